// End-to-end tests of the assertions editor (Edit scenario tab): a sentence is checked as it
// is typed (the error and its column, or the sentence as it reads), an added assertion shows
// where it stands in the run as the clock moves (not yet, then held), a broken one shows its
// moment and evidence and its badge jumps there, and Remove takes it out. The scenario card
// export carries the assertions (export.test.mjs covers its shape).

import assert from 'node:assert/strict';
import test from 'node:test';
import { clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function add(page, sentence, name = '') {
  await page.locator('[data-testid=assertion-sentence]').fill(sentence);
  await page.locator('[data-testid=assertion-canonical]').waitFor();
  await page.locator('[data-testid=assertion-name]').fill(name);
  await page.locator('[data-testid=assertion-add]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=assertion-sentence]').value === '');
}

test('add assertions, watch them hold or break, jump to the break, remove one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 900 });
  await waitForApp(page);
  await page.locator('[data-testid=tab-edit]').click();
  const editor = page.locator('[data-testid=assertions-editor]');
  await editor.waitFor();
  // The default scenario carries the docs' assertions; the ones added here come after them.
  const rows = editor.locator('[data-testid=assertion]');
  const carried = await rows.count();
  assert.ok(carried > 0, 'the default scenario carries assertions');

  await page.locator('[data-testid=assertion-sentence]').fill('at 5m at least 3 tasks of ordr');
  const error = page.locator('[data-testid=assertion-error]');
  await error.waitFor();
  assert.match(await error.textContent(), /no service or task-definition family named "ordr".* at column 27$/);
  assert.ok(await page.locator('[data-testid=assertion-add]').isDisabled(), 'a bad sentence cannot be added');

  await add(page, 'at 2m50s exactly 6 tasks of order RUNNING', 'scaled out');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=assertion]').length === n, carried + 1);
  const scaledOut = rows.nth(carried);
  assert.equal(await scaledOut.getAttribute('data-status'), 'waiting');
  assert.match(await scaledOut.textContent(), /scaled out · at 2m50s exactly 6 tasks of order RUNNING/);

  await add(page, 'always at least 4 tasks of order RUNNING from 1m');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=assertion]').length === n, carried + 2);

  await jumpTo(page, '5m', '00:05:00.000');
  await page.locator('[data-testid=tab-edit]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=assertion]')[n]?.dataset.status === 'held', carried);
  const broken = rows.nth(carried + 1);
  assert.equal(await broken.getAttribute('data-status'), 'broken');
  assert.match(
    await broken.locator('[data-testid=assertion-evidence]').textContent(),
    /at 1:00 order had 3 tasks RUNNING \(needs ≥ 4\)/,
  );
  await screenshot(page, 'assertions-editor');

  await broken.getByRole('button', { name: 'broken at 1:00' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:01:00.000');
  assert.equal(await clockText(page), '00:01:00.000');

  await page.locator('[data-testid=tab-edit]').click();
  await page.getByRole('button', { name: 'Remove the assertion always at least 4 tasks of order RUNNING from 1m' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=assertion]').length === n, carried + 1);
  assert.match(await rows.nth(carried).textContent(), /scaled out/);
  assert.deepEqual(errors, []);
});
