// Measures, in Chromium, Play and Pause on a large fleet (5,000 container instances by default):
// how fast the simulated clock moves while playing at 10× (the play timer asks for 1 s of
// simulated time per 100 ms tick), the long tasks (≥ 50 ms) on the page while it plays, and how
// long Pause takes to answer (Event Timing: from the input to the next paint after the handler).
// Also: the number of instance cards in the DOM, and a screenshot while playing.
// Not a test (budgets are measured, not asserted by timed tests): run it by hand against a
// served dist/:  FLOTILLA_URL=http://127.0.0.1:8182/ node tests/e2e/measure-play.mjs [instances]

import { clockText, largeFleetScenario, openApp, parseClock, screenshot, waitForApp } from './harness.mjs';

const INSTANCES = Number(process.argv[2] ?? 5_000);
const SERVICES = 10;
const TASKS_PER_SERVICE = 1_000;
const PLAY_WALL_MS = 8_000;
const PAUSES = 5;

// Tasks crash two minutes after they run and are replaced, so every tick of play has work.
const scenario = largeFleetScenario({
  name: `Scale: ${INSTANCES} instances, ${SERVICES * TASKS_PER_SERVICE} tasks`,
  seed: 1,
  instances: INSTANCES,
  services: SERVICES,
  tasksPerService: TASKS_PER_SERVICE,
  crashAfter: '2m',
});

const cleanups = [];
const t = { name: 'measure play', after: (fn) => cleanups.push(fn) };
try {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  page.on('crash', () => console.log('page crashed'));
  cleanups.push(async () => console.log('errors:', errors.slice(0, 5)));
  await waitForApp(page);
  const loadStart = Date.now();
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'scale.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Scale' }).waitFor({ timeout: 60_000 });
  console.log(`scenario loaded and shown in ${Date.now() - loadStart} ms (wall, from Node)`);
  // A jump on a fleet this large takes seconds before the fix: wait for it generously.
  await page.fill('[data-testid=jump-input]', '1m', { timeout: 120_000 });
  await page.click('[data-testid=jump]', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:01:00.000', null, {
    timeout: 120_000,
  });

  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
    window.__events = [];
    new PerformanceObserver((list) =>
      window.__events.push(
        ...list.getEntries().map((e) => ({
          name: e.name,
          duration: e.duration,
          delay: e.processingStart - e.startTime,
          processing: e.processingEnd - e.processingStart,
        })),
      ),
    ).observe({ type: 'event', durationThreshold: 16, buffered: false });
  });

  await page.selectOption('[data-testid=speed]', '10');
  const rates = [];
  const pauses = [];
  for (let i = 0; i < PAUSES; i += 1) {
    const before = parseClock(await clockText(page));
    const started = Date.now();
    await page.evaluate(() => (window.__longTasks.length = 0));
    await page.click('[data-testid=play]', { timeout: 120_000 });
    await page.waitForTimeout(PLAY_WALL_MS);
    if (i === 0) await screenshot(page, `measure-play-${INSTANCES}`);
    const longTasks = await page.evaluate(() => [...window.__longTasks]);
    await page.evaluate(() => (window.__events.length = 0));
    await page.click('[data-testid=play]', { timeout: 30_000 });
    await page.locator('[data-testid=play]', { hasText: 'Play' }).waitFor({ timeout: 30_000 });
    const wall = Date.now() - started;
    const after = parseClock(await clockText(page));
    // The Event Timing entry of the Pause click (pointerdown/up/click: the longest).
    await page.waitForTimeout(300);
    const events = await page.evaluate(() => [...window.__events]);
    const pause = events.filter((e) => ['click', 'pointerup', 'mouseup', 'pointerdown', 'mousedown'].includes(e.name));
    const worst = pause.reduce((a, e) => (e.duration > (a?.duration ?? -1) ? e : a), null);
    pauses.push(worst ? worst.duration : 0);
    rates.push((after - before) / wall);
    console.log(
      `play ${i + 1}: ${((after - before) / 1000).toFixed(1)} s simulated in ${(wall / 1000).toFixed(1)} s wall ` +
        `(×${((after - before) / wall).toFixed(2)}); long tasks: ${longTasks.length}, max ${Math.round(Math.max(0, ...longTasks))} ms, ` +
        `≥200 ms: ${longTasks.filter((d) => d >= 200).length}; Pause answered in ${worst ? Math.round(worst.duration) : '<16'} ms` +
        (worst ? ` (input delay ${Math.round(worst.delay)}, handler ${Math.round(worst.processing)})` : ''),
    );
  }
  const cards = await page.locator('[data-testid=instance]').count();
  console.log(`instance cards in the DOM: ${cards} of ${INSTANCES}; task chips: ${await page.locator('[data-testid=task]').count()}`);
  console.log(`summary: speed ×${(rates.reduce((a, b) => a + b, 0) / rates.length).toFixed(2)} (asked ×10), Pause max ${Math.round(Math.max(...pauses))} ms`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
