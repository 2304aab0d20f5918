// End-to-end test of branching: fork the run at a moment, change this run's scenario, and
// compare the two side by side at the same simulated time.

import assert from 'node:assert/strict';
import test from 'node:test';
import { jumpTo, openApp, screenshot, waitForApp } from './harness.mjs';

const TEST_TIMEOUT_MS = 120_000;

async function row(page, label) {
  const tr = page.locator(`[data-testid=compare-row][data-label="${label}"]`);
  return {
    branch: (await tr.locator('[data-testid=compare-branch]').textContent()).trim(),
    run: (await tr.locator('[data-testid=compare-this]').textContent()).trim(),
    differs: (await tr.getAttribute('class'))?.includes('differs') ?? false,
  };
}

test('branch the run, change this one, compare both at the same time', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Branch here' }).click();
  assert.deepEqual(await row(page, 'user running'), { branch: '3', run: '3', differs: false });

  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=edit-service]').selectOption('user');
  await page.locator('[data-testid=edit-desired]').fill('5');
  await page.locator('[data-testid=edit-apply]').click();
  await jumpTo(page, '2m', '00:02:00.000');

  await page.getByRole('tab', { name: 'Compare' }).click();
  assert.match(await page.locator('[data-testid=compare] h2').textContent(), /both at 00:02:00\.000/);
  assert.deepEqual(await row(page, 'user desired'), { branch: '3', run: '5', differs: true });
  assert.deepEqual(await row(page, 'user running'), { branch: '3', run: '5', differs: true });
  assert.deepEqual(await row(page, 'shipping running'), { branch: '2', run: '2', differs: false });
  await screenshot(page, 'compare-branches');

  await page.getByRole('button', { name: 'Drop the branch' }).click();
  await page.getByRole('button', { name: 'Branch here' }).waitFor();
  assert.deepEqual(errors, []);
});
