// Measures, in Chromium with the Performance API, one UI step (simulate + render, until the DOM
// is updated and laid out) and rewinds (to revisited and to never-visited moments) at 1,000
// container instances / 10,000 tasks. With `traffic` (issue 11's budget: "the UI step at 1,000
// instances / 10,000 tasks with traffic on"), svc0's 1,000 tasks are targets of an ALB's target
// group behind a Route 53 alias, shoppers send 200 requests a second from 0 s, and steps are
// also measured with the Traffic tab open (its target group lists 1,000 targets).
// Not a test (budgets are measured, not asserted by timed tests): run it by hand against a
// served dist/:  FLOTILLA_URL=http://127.0.0.1:8182/ node tests/e2e/measure-step.mjs [traffic]

import { jumpTo, largeFleetScenario, openApp, screenshot, waitForApp } from './harness.mjs';

const INSTANCES = 1_000;
const SERVICES = 10;
const TASKS_PER_SERVICE = 1_000;
const SAMPLES = 15;
const TRAFFIC = process.argv[2] === 'traffic';

const scenario = largeFleetScenario({
  name: `Scale: ${INSTANCES} instances, ${SERVICES * TASKS_PER_SERVICE} tasks`,
  seed: 1,
  instances: INSTANCES,
  services: SERVICES,
  tasksPerService: TASKS_PER_SERVICE,
});

if (TRAFFIC) {
  const web = scenario.taskDefinitions[0];
  web.networkMode = 'bridge';
  web.containerDefinitions[0].portMappings = [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }];
  scenario.services[0].loadBalancers = [
    { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1a2b3c4d5e6f7081', containerName: 'app', containerPort: 8080 },
  ];
  scenario.targetGroups = [{ name: 'web', protocol: 'HTTP', port: 8080, healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5 } }];
  scenario.loadBalancers = [{ name: 'edge', listeners: [{ port: 80, protocol: 'HTTP', defaultForward: [{ targetGroup: 'web' }] }] }];
  scenario.route53 = { hostedZones: [{ name: 'shop.example.com', records: [{ name: 'www.shop.example.com', type: 'A', alias: { loadBalancer: 'edge' } }] }] };
  scenario.traffic = { entryPoints: [{ name: 'shoppers', target: { dns: 'www.shop.example.com' }, profile: { constant: 200 }, startAt: '0s' }] };
}

const cleanups = [];
const t = { name: 'measure step', after: (fn) => cleanups.push(fn) };
try {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  page.on('crash', () => console.log('page crashed'));
  cleanups.push(async () => console.log('errors:', errors.slice(0, 5)));
  await waitForApp(page);
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'scale.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Scale' }).waitFor();
  // At 5 s every task is placed and PENDING: each Step then moves one task on (one event).
  await jumpTo(page, '5s', '00:00:05.000');
  const tasks = await page.locator('[data-testid=task]').count();
  const instances = await page.locator('[data-testid=instance]').count();

  // Time from the click to the DOM updated and laid out (a MutationObserver fires once the
  // synchronous render is done; reading offsetHeight forces style and layout).
  const timeClick = (selector) =>
    page.evaluate(
      (selector) =>
        new Promise((resolve) => {
          const root = document.querySelector('.flotilla');
          const start = performance.now();
          const observer = new MutationObserver(() => {
            observer.disconnect();
            void document.body.offsetHeight;
            resolve(performance.now() - start);
          });
          setTimeout(() => resolve(Number.NaN), 10_000); // nothing changed on screen
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          document.querySelector(selector).click();
        }),
      selector,
    );
  // Time from the click until the clock shows `clock` and the DOM is laid out: a jump that
  // outlasts its first share changes the DOM (its progress bar) long before it is done.
  const timeJump = (selector, clock) =>
    page.evaluate(
      ({ selector, clock }) =>
        new Promise((resolve) => {
          const root = document.querySelector('.flotilla');
          const start = performance.now();
          const done = () => document.querySelector('[data-testid=clock]')?.textContent.trim() === clock;
          const observer = new MutationObserver(() => {
            if (!done()) return;
            observer.disconnect();
            void document.body.offsetHeight;
            resolve(performance.now() - start);
          });
          setTimeout(() => resolve(Number.NaN), 10_000);
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          document.querySelector(selector).click();
        }),
      { selector, clock },
    );
  const clockOf = (text) => {
    const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    const total = (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
    const pad = (n) => String(n).padStart(2, '0');
    return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}.000`;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const steps = [];
  for (let i = 0; i < SAMPLES; i += 1) steps.push(await timeClick('[data-testid=step]'));
  const [trafficSteps, trafficStepsAt2m, eventStepsAt2m] = [[], [], []];
  if (TRAFFIC) {
    await page.click('[data-testid=tab-traffic]');
    await page.locator('[data-testid=target-group]').first().waitFor();
    for (let i = 0; i < SAMPLES; i += 1) trafficSteps.push(await timeClick('[data-testid=step]'));
    console.log(`targets listed in the traffic view at 5 s: ${await page.locator('[data-testid=target]').count()}`);
    // At 2m every task is a healthy target: the Traffic tab lists them all.
    await jumpTo(page, '2m', '00:02:00.000');
    await page.click('[data-testid=tab-traffic]');
    await page.locator('[data-testid=target]').first().waitFor();
    for (let i = 0; i < SAMPLES; i += 1) trafficStepsAt2m.push(await timeClick('[data-testid=step]'));
    console.log(`targets listed in the traffic view at 2m: ${await page.locator('[data-testid=target]').count()}`);
    await screenshot(page, 'measure-scale-traffic-1920');
    await page.click('[data-testid=tab-events]');
    for (let i = 0; i < SAMPLES; i += 1) eventStepsAt2m.push(await timeClick('[data-testid=step]'));
  }
  const rewinds = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const target = i % 2 === 0 ? '2s' : '4m';
    await page.fill('[data-testid=jump-input]', target);
    rewinds.push(await timeJump('[data-testid=jump]', clockOf(target)));
  }
  // Rewinds to moments never visited: run to 10 minutes, then jump back to distinct earlier
  // times, each restoring a checkpoint and replaying to a moment that was never saved.
  await jumpTo(page, '10m', '00:10:00.000');
  const firstVisits = [];
  const targets = ['9m37s', '1m13s', '6m2s', '3m41s', '8m19s', '27s', '5m5s', '7m53s', '2m31s', '4m47s', '9m3s', '1m59s', '6m44s', '3m7s', '8m51s'];
  for (const target of targets) {
    await page.fill('[data-testid=jump-input]', target);
    firstVisits.push(await timeJump('[data-testid=jump]', clockOf(target)));
  }
  await screenshot(page, 'measure-scale-1920');
  console.log(`instances shown: ${instances}, task chips shown: ${tasks}`);
  console.log(`step${TRAFFIC ? ' with traffic on' : ''} (simulate + render + layout), ms: median ${median(steps).toFixed(1)}, all ${steps.map((x) => x.toFixed(1)).join(' ')}`);
  if (TRAFFIC) {
    console.log(`step with traffic on, Traffic tab open, ms: median ${median(trafficSteps).toFixed(1)}, all ${trafficSteps.map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`step at 2m (1,000 healthy targets), Traffic tab open, ms: median ${median(trafficStepsAt2m).toFixed(1)}, all ${trafficStepsAt2m.map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`step at 2m, Events tab open, ms: median ${median(eventStepsAt2m).toFixed(1)}, all ${eventStepsAt2m.map((x) => x.toFixed(1)).join(' ')}`);
  }
  console.log(`rewind to a never-visited moment (10m -> 0..10m), ms: median ${median(firstVisits).toFixed(1)}, max ${Math.max(...firstVisits).toFixed(1)}, all ${firstVisits.map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`jump 4m <-> 2s (rewind/replay + render + layout), ms: median ${median(rewinds).toFixed(1)}, all ${rewinds.map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
