// The built-in discovery-at-scale (issue 11, source-talk scenario 8) in the browser: opened
// from the library, jumped to its end (10,000 services, ~10,000 tasks, an ALB and Cloud Map,
// steady traffic), it shows what a user relies on: the services counted, a list that scrolls to
// its last service while holding only the rows in view, a service found by name and opened,
// the traffic view with the load balancer serving and no 503 hazard, and no console error.
// Speed is not asserted (no timed tests): the figures are printed as `# ...` lines, and
// tests/e2e/measure-discovery.mjs measures them properly.

import assert from 'node:assert/strict';
import test from 'node:test';
import { openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 240_000;
/** The windowed services list holds the rows in view plus a margin: far fewer than this. */
const ROWS_IN_PAGE_MAX = 200;

/** Types `text` into "Jump to time", presses Go, waits for the clock to show `clock`; wall ms. */
async function jump(page, text, clock) {
  const started = Date.now();
  await page.getByLabel('Jump to time').fill(text);
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await page.waitForFunction((c) => document.querySelector('[data-testid=clock]')?.textContent.trim() === c, clock, { timeout: 120_000 });
  return Date.now() - started;
}

test('discovery at scale, at its end: 10,000 services counted and listed in a window, the load balancer serving with no 503 hazard', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption('discovery-at-scale');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Service discovery at scale' }).waitFor();
  const count = page.locator('[data-testid=service-count]');
  assert.match(await count.textContent(), /^10 services · /);

  console.log(`# jump 0 -> 10m: ${await jump(page, '10m', '00:10:00.000')} ms wall (from Node)`);
  // Every service is counted, steady, each with its task running.
  assert.equal(await count.textContent(), '10,000 services · 10,000 steady · 10,014 tasks running · 0 starting');
  const rows = page.locator('[data-testid=service-row]');
  const inPage = await rows.count();
  console.log(`# service rows in the page: ${inPage} of 10,000; DOM elements: ${await page.evaluate(() => document.getElementsByTagName('*').length)}`);
  assert.ok(inPage > 0 && inPage < ROWS_IN_PAGE_MAX, `the list holds the rows in view, not every service: ${inPage}`);
  assert.equal(await rows.first().getAttribute('data-service'), 'gateway');
  // The fleet is still on the first screens, not below ten thousand rows.
  const fleetTop = await page.locator('[data-testid=fleet]').evaluate((e) => e.getBoundingClientRect().top + e.closest('.fleet-column').scrollTop);
  assert.ok(fleetTop < 2_000, `the fleet starts ${fleetTop} px down the column`);

  // Scrolled to its end, the list shows the last service created.
  await page.locator('.services .table-box').evaluate((box) => box.scrollTo(0, box.scrollHeight));
  await page.locator('[data-testid=service-row][data-service=svc-9997]').waitFor();
  assert.ok((await rows.count()) < ROWS_IN_PAGE_MAX);
  await screenshot(page, 'scale-discovery-services-end');

  // Found by name and opened: its details say it runs its one task.
  await page.locator('[data-testid=service-find]').fill('svc-5000');
  assert.deepEqual(await rows.evaluateAll((r) => r.map((row) => row.dataset.service)), ['svc-5000']);
  await page.locator('[data-testid=service-row][data-service=svc-5000] button').first().click();
  const details = page.locator('[data-testid=service-details]');
  await details.waitFor();
  assert.match(await details.locator('h2').textContent(), /^Service svc-5000/);
  assert.equal(await details.locator('[data-testid=service-running]').textContent(), '1');

  // The traffic view: the edge load balancer, both target groups routing to healthy targets,
  // the last minute's requests with none failed, and no 503 hazard so far or on the timeline.
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const view = page.locator('[data-testid=traffic]');
  await view.waitFor();
  assert.deepEqual(await view.locator('[data-testid=load-balancer] h4 .mono').allTextContents(), ['edge']);
  assert.match(await view.locator('[data-testid=traffic-rates]').textContent(), /^2\d\d\.\d per second, 0 failed$/);
  assert.equal(await view.locator('[data-testid=no-hazards]').textContent(), 'None so far: every request found a task that could serve it.');
  assert.equal(await page.locator('[data-testid=hazard-marker]').count(), 0);
  const group = (name) => view.locator(`[data-testid=target-group][data-target-group=${name}]`);
  assert.equal(await group('gateway').locator('[data-testid=routing]').getAttribute('data-routing'), 'healthy');
  assert.equal(await group('gateway').locator('[data-testid=target][data-state=healthy]').count(), 12);
  assert.equal(await group('search').locator('[data-testid=target][data-state=healthy]').count(), 2);
  await screenshot(page, 'scale-discovery-traffic-end');
  assert.deepEqual(errors, []);
});
