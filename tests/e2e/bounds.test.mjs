// End-to-end test of the run budget (issue 13 item 14): a crash-looping scenario asked to jump
// 30 days ahead would hold more events than a tab can; the jump (in the worker) ends where the
// run stopped with a notice naming the bound, never waits forever; Play and Step at the bound say
// so again instead of silently doing nothing; going back to an earlier moment runs again.

import assert from 'node:assert/strict';
import test from 'node:test';
import { clockText, largeFleetScenario, openApp, parseClock, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 400_000;
const EVENTS_KEPT_MAX = 4_500_000;

// 10,000 tasks whose container exits a minute after RUNNING: millions of events an hour.
const scenario = {
  ...largeFleetScenario({
    name: 'Crash loop: 10,000 tasks exiting every minute',
    seed: 11,
    instances: 300,
    services: 10,
    tasksPerService: 1_000,
    crashAfter: '1m',
  }),
  duration: '30d',
};

test('a long jump into a crash loop ends at the run bound with a notice saying which and where', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'crash-loop.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Crash loop' }).waitFor();

  await page.getByLabel('Jump to time').fill('30d');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  const progress = page.locator('[data-testid=jump-progress]');
  await progress.waitFor({ timeout: 10_000 });
  const started = Date.now();
  // The jump ends (the bar goes) well before 30 simulated days: the bound stopped it.
  await progress.waitFor({ state: 'detached', timeout: 360_000 });
  console.log(`# jump to the bound: ${Date.now() - started} ms after the bar appeared`);

  const banner = page.locator('[data-testid=error-banner]', { hasText: 'run bound hit' });
  await banner.waitFor({ timeout: 10_000 });
  const clock = await clockText(page);
  const stoppedAt = parseClock(clock);
  assert.ok(stoppedAt > 0 && stoppedAt < 24 * 3_600_000, `stopped at ${clock}`);
  const text = await banner.textContent();
  assert.ok(text.includes(`The run stopped at ${clock}: run bound hit.`), text);
  assert.ok(text.includes(`its bound of ${EVENTS_KEPT_MAX} events kept`), text);
  assert.ok(text.includes("browser tab's memory"), text);
  const result = page.locator('[data-testid=jump-result]');
  assert.equal(await result.getAttribute('data-at'), clock);
  assert.equal(await result.getAttribute('data-bound'), `${EVENTS_KEPT_MAX} events kept`);
  assert.equal(await result.getAttribute('data-ran-in'), 'worker');
  const events = Number(await result.getAttribute('data-events'));
  assert.ok(events >= EVENTS_KEPT_MAX && events < EVENTS_KEPT_MAX + 200_000, `${events} events`);
  assert.ok(await page.getByRole('button', { name: 'Go', exact: true }).isEnabled(), 'Go answers again');
  await screenshot(page, 'bounds-jump-stopped-1280');

  // Play at the bound: it stops at once and says so again (one notice, not a pile).
  await page.locator('[data-testid=play]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=play]')?.textContent.trim() === 'Play');
  assert.equal(await clockText(page), clock);
  assert.equal(await page.locator('[data-testid=error-banner]', { hasText: 'run bound hit' }).count(), 1);
  await page.locator('[data-testid=step]').click();
  assert.equal(await clockText(page), clock);
  assert.equal(await page.locator('[data-testid=error-banner]', { hasText: 'run bound hit' }).count(), 1);

  // Back before the bound, the run goes on.
  await page.getByLabel('Jump to time').fill('10m');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:10:00.000', null, {
    timeout: 120_000,
  });
  await page.locator('[data-testid=step]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() !== '00:10:00.000');
  assert.deepEqual(errors, []);
});
