// End-to-end tests of the exchange module (flotilla-exchange: export and import), which the app
// loads on first use rather than with the page: the first page load fetches none of it; opening
// the Export menu fetches it once, and the Import dialog then uses the same load; while it loads,
// the dialog says so; a load that fails is a notice, and the next click tries again.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const AWS = new URL('../export/aws/', import.meta.url);
/** The module's glue and wasm (dist/exchange/flotilla_exchange.js, flotilla_exchange_bg.wasm). */
const EXCHANGE = /\/exchange\/flotilla_exchange(_bg\.wasm|\.js)$/;

/** The page's fetches of the exchange module so far, from its resource timing entries. */
function exchangeFetches(page) {
  return page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => entry.name).filter((url) => url.includes('flotilla_exchange')),
  );
}

test('the exchange module loads on first use, once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  const requested = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (EXCHANGE.test(url.pathname)) requested.push(url.pathname + url.search);
  });
  await waitForApp(page);
  // Give anything lazy a moment to show itself: nothing of the module may come with the page.
  await page.waitForTimeout(1_000);
  assert.deepEqual(await exchangeFetches(page), [], 'the first page load fetches no exchange file');

  await page.locator('[data-testid=export-menu] summary').click();
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('flotilla_exchange_bg.wasm')),
  );
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-cfn-yaml-download]').click()]);
  assert.match(file.suggestedFilename(), /\.cloudformation\.yaml$/);
  await page.locator('[data-testid=export-menu] summary').click();

  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('AWS JSON to import').fill(await readFile(new URL('describe-task-definition.json', AWS), 'utf8'));
  await page.locator('[data-testid=import-summary]').waitFor();
  assert.equal(await page.locator('[data-testid=import-loading]').count(), 0, 'no loading hint once loaded');

  const fetched = (await exchangeFetches(page)).map((url) => { const u = new URL(url); return u.pathname + u.search; }).sort();
  assert.deepEqual(fetched, ['/exchange/flotilla_exchange.js', '/exchange/flotilla_exchange_bg.wasm'], 'each file once');
  assert.deepEqual(requested.sort(), fetched, 'no other request for them');
  assert.deepEqual(errors, []);
});

test('the Import dialog says the importer is loading, then imports what was typed meanwhile', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  // Hold the module's wasm back until the text is in.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/exchange/flotilla_exchange_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Import…' }).click();
  const loading = page.locator('[data-testid=import-loading]');
  await loading.waitFor();
  assert.equal(await loading.textContent(), 'Loading the importer…');
  const area = page.getByLabel('AWS JSON to import');
  await area.fill('{"services": [');
  await area.fill(await readFile(new URL('describe-task-definition.json', AWS), 'utf8'));
  await screenshot(page, 'import-loading');
  assert.ok(await page.getByRole('button', { name: 'Load scenario' }).isDisabled(), 'nothing to load before the import ran');

  release();
  const summary = page.locator('[data-testid=import-summary]');
  await summary.waitFor();
  assert.match(await summary.textContent(), /^Ready: 1 task definition\(s\), 0 service\(s\), 0 instance\(s\)/);
  assert.equal(await page.locator('[data-testid=import-errors]').count(), 0, 'the answer to the broken text never shows');
  await loading.waitFor({ state: 'detached' });
  await screenshot(page, 'import-loaded');
  assert.deepEqual(errors, []);
});

test('a module that fails to load is a notice, and the next click loads it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const glue = (url) => url.pathname.endsWith('/exchange/flotilla_exchange.js');
  await page.route(glue, (route) => route.abort('aborted'));
  await page.locator('[data-testid=export-menu] summary').click();
  await page.locator('[data-testid=export-ecs-download]').click();
  const banner = page.locator('[data-testid=error-banner]', { hasText: 'Could not download ECS API JSON (bundle):' });
  await banner.waitFor();
  assert.match(await banner.textContent(), /the export and import module did not load/);
  await screenshot(page, 'exchange-load-failed');

  await page.unroute(glue);
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-ecs-download]').click()]);
  assert.match(file.suggestedFilename(), /\.ecs\.json$/);
  // Chromium reports the refused module on the console; the app itself logs nothing else.
  assert.deepEqual(errors.filter((error) => !error.includes('flotilla_exchange')), []);
});
