import { openApp, waitForApp } from '/work/wt-worker/tests/e2e/harness.mjs';
const cleanups=[]; const t={name:'dbg', after:(f)=>cleanups.push(f)};
const zones = ['us-east-1a','us-east-1b','us-east-1c'];
const S=10;
const scenario={version:1,name:'Churn',seed:7,fleet:zones.map((z,i)=>({instanceType:'m5.4xlarge',availabilityZone:z,count:333+(i<1?1:0)})),
taskDefinitions:Array.from({length:S},(_,i)=>({family:`svc${i}`,containerDefinitions:[{name:'app',image:'x:1',cpu:128,memory:256}]})),
revisionBehaviour:Array.from({length:S},(_,i)=>({taskDefinition:`svc${i}:1`,crashAfter:'30m'})),
services:Array.from({length:S},(_,i)=>({serviceName:`svc${i}`,taskDefinition:`svc${i}:1`,desiredCount:1000}))};
try {
const {page,errors}=await openApp(t);
page.on('console', m => { if (m.text().includes('DBG')) console.log(m.text()); });
await waitForApp(page);
await page.locator('[data-testid=open-file]').setInputFiles({name:'c.json',mimeType:'application/json',buffer:Buffer.from(JSON.stringify(scenario))});
await page.locator('[data-testid=scenario-name]',{hasText:'Churn'}).waitFor();
await page.evaluate(() => { window.lt=[]; new PerformanceObserver(l => { for (const e of l.getEntries()) window.lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({type:'longtask'}); });
for (const target of ['6h', '1m']) {
await page.getByLabel('Jump to time').fill(target);
await page.getByRole('button',{name:'Go',exact:true}).click();
await page.waitForTimeout(6000);
console.log('longtasks', JSON.stringify(await page.evaluate(() => window.lt)));
}
} finally { for (const f of cleanups) await f(); }
