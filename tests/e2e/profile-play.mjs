// Profiles the page (Chrome's sampling CPU profiler over CDP) while a large fleet plays at 10×,
// and prints the functions with the most self time (wasm functions by name when dist/ was built
// with names kept: wasm-bindgen --keep-debug and no wasm-opt). A tool to find where time goes,
// not a test: FLOTILLA_URL=http://127.0.0.1:8182/ node tests/e2e/profile-play.mjs [instances] [what]
// `what` is `play` (default) or `rewind` (1,000 instances / 10,000 tasks: jumps 10m -> earlier).

import { largeFleetScenario, openApp, waitForApp } from './harness.mjs';

const INSTANCES = Number(process.argv[2] ?? 5_000);
const WHAT = process.argv[3] ?? 'play';
const scenario = largeFleetScenario({
  name: `Scale: ${INSTANCES} instances`,
  seed: 1,
  instances: INSTANCES,
  services: 10,
  tasksPerService: 1_000,
  crashAfter: WHAT === 'play' ? '2m' : undefined,
});

const jump = async (page, text, clock) => {
  await page.fill('[data-testid=jump-input]', text, { timeout: 120_000 });
  await page.click('[data-testid=jump]', { timeout: 120_000 });
  await page.waitForFunction((c) => document.querySelector('[data-testid=clock]')?.textContent.trim() === c, clock, {
    timeout: 120_000,
  });
};

const cleanups = [];
const t = { name: 'profile', after: (fn) => cleanups.push(fn) };
try {
  const { page } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'scale.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Scale' }).waitFor({ timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  if (WHAT === 'play') {
    await jump(page, '1m', '00:01:00.000');
    await page.selectOption('[data-testid=speed]', '10');
    await cdp.send('Profiler.start');
    await page.click('[data-testid=play]');
    await page.waitForTimeout(8_000);
    await page.click('[data-testid=play]', { timeout: 60_000 });
  } else {
    await jump(page, '10m', '00:10:00.000');
    await cdp.send('Profiler.start');
    // The targets, from 10m: PROFILE_TARGETS="1m13s,27s" profiles those alone.
    const clockOf = (text) => {
      const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
      const total = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
      const pad = (n) => String(n).padStart(2, '0');
      return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}.000`;
    };
    for (const text of (process.env.PROFILE_TARGETS ?? '9m37s,1m13s,6m2s,3m41s,8m19s').split(',')) {
      const start = Date.now();
      await jump(page, text, clockOf(text));
      console.log(`jump to ${text}: ${Date.now() - start} ms (wall, from Node)`);
    }
  }
  const { profile } = await cdp.send('Profiler.stop');
  if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  // Long stretches of work (no idle sample for 150 ms): what ran in them, by inclusive time of
  // the app's own frames.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idle = (id) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id).callFrame.functionName);
  let runStart = null;
  let runMs = 0;
  let runFrames = new Map();
  const flush = () => {
    if (runMs >= 150) {
      const top = [...runFrames].sort((a, b) => b[1] - a[1]).slice(0, 12);
      console.log(`long stretch ${runMs.toFixed(0)} ms:`);
      for (const [name, ms] of top) console.log(`   ${ms.toFixed(0).padStart(6)} ms  ${name.slice(0, 140)}`);
    }
    runStart = null;
    runMs = 0;
    runFrames = new Map();
  };
  profile.samples.forEach((id, i) => {
    const ms = (dt[i] ?? 0) / 1000;
    if (byId.get(id).callFrame.functionName === '(idle)') return flush();
    runMs += ms;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at).callFrame.functionName;
      if (!/flotilla|yew::html::component::lifecycle|RenderRunner|scheduler|dlmalloc|memcmp|Dlmalloc/.test(name) || seen.has(name)) continue;
      seen.add(name);
      runFrames.set(name, (runFrames.get(name) ?? 0) + ms);
    }
  });
  flush();
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`profiled ${total.toFixed(0)} ms`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) {
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${name.slice(0, 150)}`);
  }
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
