// Measures, in Chromium with the Performance API, the built-in discovery-at-scale (10 -> 100 ->
// 1,000 -> 10,000 services behind an ALB and Cloud Map, steady traffic) as a newcomer drives it
// at 1280x800: a step (simulate + render, until the DOM is updated and laid out) at each growth
// stage, each jump, opening every side-panel tab and selecting a service at 10,000 services,
// scrolling the page, the long tasks (>= 50 ms) of each phase, memory at the end (JS heap, wasm
// memory, DOM nodes), and a screenshot of each stage under test-output/screenshots/.
// Not a test (budgets are measured, not asserted by timed tests): run it by hand against a
// served dist/:  FLOTILLA_URL=http://127.0.0.1:8921/ node tests/e2e/measure-discovery.mjs

import { openApp, screenshot, waitForApp } from './harness.mjs';

const STEPS_PER_STAGE = 10;
const TABS = ['events', 'details', 'traffic', 'jobs', 'edit', 'compare', 'events'];

const cleanups = [];
const t = { name: 'measure discovery', after: (fn) => cleanups.push(fn) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${median(xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} (${xs.map((x) => x.toFixed(1)).join(' ')})`;

try {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  page.on('crash', () => console.log('page crashed'));
  cleanups.push(async () => console.log('errors:', errors.slice(0, 5)));
  await waitForApp(page);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  // Long tasks since the last call: count, max, total.
  const longTasks = async () => {
    const all = await page.evaluate(() => window.__longTasks.splice(0));
    return `long tasks ${all.length}, max ${Math.round(Math.max(0, ...all))} ms, total ${Math.round(all.reduce((a, b) => a + b, 0))} ms`;
  };

  // From the click to the DOM changed and laid out (a MutationObserver fires once the
  // synchronous render is done; offsetHeight forces style and layout). `until`, if given, is a
  // JS predicate source that must hold too (a jump changes its progress bar long before it ends).
  const timeClick = (selector, until = null, timeoutMs = 60_000) =>
    page.evaluate(
      ({ selector, until, timeoutMs }) =>
        new Promise((resolve) => {
          const root = document.querySelector('.flotilla');
          const done = until ? new Function(`return (${until});`) : () => true;
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (!done()) return;
            observer.disconnect();
            void document.body.offsetHeight;
            resolve(performance.now() - start);
          });
          setTimeout(() => resolve(Number.NaN), timeoutMs);
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          document.querySelector(selector).click();
        }),
      { selector, until, timeoutMs },
    );
  const clockIs = (clock) => `document.querySelector('[data-testid=clock]')?.textContent.trim() === '${clock}'`;
  const jump = async (text, clock) => {
    await page.fill('[data-testid=jump-input]', text);
    const ms = await timeClick('[data-testid=jump]', clockIs(clock), 120_000);
    await page.waitForFunction((c) => document.querySelector('[data-testid=clock]')?.textContent.trim() === c, clock, { timeout: 120_000 });
    return ms;
  };
  const steps = async () => {
    const times = [];
    for (let i = 0; i < STEPS_PER_STAGE; i += 1) times.push(await timeClick('[data-testid=step]'));
    return times;
  };
  // The wasm module's exports (init returns them once initialised); its memory only grows, so
  // this is the peak so far.
  const counts = () =>
    page.evaluate(async () => {
      const wasm = await (await import('/pkg/flotilla_web.js')).default();
      return {
        serviceRows: document.querySelectorAll('[data-testid=service-row]').length,
        domNodes: document.getElementsByTagName('*').length,
        wasmMiB: Math.round(wasm.memory.buffer.byteLength / 2 ** 20),
      };
    });

  const openStart = Date.now();
  await page.locator('[data-testid=library]').selectOption('discovery-at-scale');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Service discovery at scale' }).waitFor({ timeout: 60_000 });
  console.log(`# opened from the library in ${Date.now() - openStart} ms (wall, from Node); ${await longTasks()}`);
  await screenshot(page, 'discovery-0-open');

  console.log(`# step at 0s (10 services), ms: ${fmt(await steps())}; ${await longTasks()}`);
  for (const [text, clock, label] of [
    ['2m30s', '00:02:30.000', '100 services'],
    ['4m30s', '00:04:30.000', '1,000 services'],
    ['6m30s', '00:06:30.000', '10,000 services'],
    ['10m', '00:10:00.000', 'the end'],
  ]) {
    const ms = await jump(text, clock);
    console.log(`# jump to ${text} (${label}), click to laid out, ms: ${ms.toFixed(0)}; ${await longTasks()}; ${JSON.stringify(await counts())}`);
    await screenshot(page, `discovery-${text}`);
    console.log(`# step at ${text} (${label}), ms: ${fmt(await steps())}; ${await longTasks()}`);
  }

  // Every tab at 10,000 services.
  for (const tab of TABS) {
    const ms = await timeClick(`[data-testid=tab-${tab}]`);
    console.log(`# open tab ${tab}, ms: ${ms.toFixed(1)}; ${await longTasks()}`);
    if (tab === 'traffic' || tab === 'edit') {
      if (tab === 'traffic') await screenshot(page, 'discovery-10m-traffic');
      console.log(`# step with the ${tab} tab open, ms: ${fmt(await steps())}; ${await longTasks()}`);
    }
  }
  // Find a service by name in the services list (a long list is windowed), select it, then
  // step with its details open.
  const name = 'svc-5000';
  const find = page.locator('[data-testid=service-find]');
  if (await find.count()) {
    const findMs = await page.evaluate(
      (name) =>
        new Promise((resolve) => {
          const input = document.querySelector('[data-testid=service-find]');
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (!document.querySelector(`[data-testid=service-row][data-service="${name}"]`)) return;
            observer.disconnect();
            void document.body.offsetHeight;
            resolve(performance.now() - start);
          });
          observer.observe(document.querySelector('.flotilla'), { subtree: true, childList: true, characterData: true, attributes: true });
          input.value = name;
          input.dispatchEvent(new InputEvent('input', { bubbles: true }));
        }),
      name,
    );
    console.log(`# find ${name} by name (typed at once), ms: ${findMs.toFixed(1)}; ${await longTasks()}`);
  }
  const selectMs = await page.evaluate(
    (name) =>
      new Promise((resolve) => {
        const button = document.querySelector(`[data-testid=service-row][data-service="${name}"] button`);
        if (!button) return resolve(Number.NaN);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          observer.disconnect();
          void document.body.offsetHeight;
          resolve(performance.now() - start);
        });
        observer.observe(document.querySelector('.flotilla'), { subtree: true, childList: true, characterData: true, attributes: true });
        button.click();
      }),
    name,
  );
  console.log(`# select service ${name} (its row in the list), ms: ${selectMs.toFixed(1)}; ${await longTasks()}`);
  await page.waitForTimeout(500);
  await screenshot(page, 'discovery-10m-service');
  console.log(`# step with a service's details open, ms: ${fmt(await steps())}; ${await longTasks()}`);

  // Scroll the page from top to bottom in 20 wheel turns, letting each paint.
  const scrollStart = Date.now();
  for (let i = 0; i < 20; i += 1) {
    await page.mouse.move(400, 500);
    await page.mouse.wheel(0, 2_000);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  console.log(`# scroll 20 x 2,000 px over the services and fleet: ${Date.now() - scrollStart} ms wall; ${await longTasks()}`);
  await screenshot(page, 'discovery-10m-scrolled');

  // Play for a few seconds at 10x at the end of the run.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.selectOption('[data-testid=speed]', '10');
  await page.click('[data-testid=play]');
  await page.waitForTimeout(4_000);
  await page.click('[data-testid=play]');
  console.log(`# play 4 s at x10 from 10m: clock ${await page.locator('[data-testid=clock]').textContent()}; ${await longTasks()}`);

  const memory = await page.evaluate(async () => {
    const wasm = await (await import('/pkg/flotilla_web.js')).default();
    return {
      jsHeapUsedMiB: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null,
      wasmMemoryMiB: wasm?.memory ? wasm.memory.buffer.byteLength / 2 ** 20 : null,
      domNodes: document.getElementsByTagName('*').length,
    };
  });
  const client = await page.context().newCDPSession(page);
  const metrics = Object.fromEntries((await client.send('Performance.getMetrics').catch(() => ({ metrics: [] }))).metrics.map((m) => [m.name, m.value]));
  await client.send('Performance.enable');
  const enabled = Object.fromEntries((await client.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  console.log(
    `# memory at the end: JS heap ${memory.jsHeapUsedMiB?.toFixed(1)} MiB (CDP JSHeapUsedSize ${((enabled.JSHeapUsedSize ?? metrics.JSHeapUsedSize ?? 0) / 2 ** 20).toFixed(1)} MiB), ` +
      `wasm memory ${memory.wasmMemoryMiB?.toFixed(1)} MiB, DOM elements ${memory.domNodes} (CDP Nodes ${enabled.Nodes})`,
  );
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
