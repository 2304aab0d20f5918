// End-to-end tests of fixes from a user review: a bad "Jump to time" is said inline under the
// field (not as a page notice) and replaced by the next attempt; Lose AZ is disabled once the
// zone is lost; the fleet header separates active, draining and inactive instances; a skip link
// reaches the side panel; ←/→ move between the side panel's tabs without stepping the run.

import assert from 'node:assert/strict';
import test from 'node:test';
import {
  clockText,
  eventTexts,
  jumpTo,
  openApp,
  screenshot,
  shareBrowser,
  waitForApp,
} from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

test('a bad time is said under the field, replaced by the next attempt, gone after a good one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const input = page.getByLabel('Jump to time');
  await jumpTo(page, '-5s');
  const alert = page.locator('[data-testid=jump-error]');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.equal((await alert.textContent()).trim(), '“-5s” is not a time (a time cannot be negative): use 2m30s or 0:02:30');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await input.getAttribute('aria-describedby'), 'jump-error');
  assert.equal(await page.locator('[data-testid=error-banner]').count(), 0, 'no page-wide notice');
  await screenshot(page, 'controls-jump-error');

  await jumpTo(page, 'soon');
  await page.locator('[data-testid=jump-error]', { hasText: '“soon” is not a time' }).waitFor();
  assert.equal(await page.locator('[data-testid=jump-error]').count(), 1, 'one message, replaced');
  assert.equal(await clockText(page), '00:00:00.000');

  await jumpTo(page, '0:00:30', '00:00:30.000');
  assert.equal(await page.locator('[data-testid=jump-error]').count(), 0);
  assert.equal(await input.getAttribute('aria-invalid'), null);
  assert.deepEqual(errors, []);
});

test('Lose AZ is disabled once the zone is lost; the fleet header counts each status', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const header = page.locator('[data-testid=fleet] h2 .hint');
  assert.equal((await header.textContent()).trim(), '6 active, 0 draining, 0 inactive of 6 container instances');

  const card = page.locator('[data-testid=az][data-az=us-east-1b] [data-testid=instance]').first();
  await card.locator('button.instance-id').click();
  await page.getByRole('button', { name: 'Drain', exact: true }).click();
  await page.locator('[data-testid=instance-status]', { hasText: 'DRAINING' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=fleet] h2 .hint').textContent.includes('1 draining'));
  assert.equal((await header.textContent()).trim(), '5 active, 1 draining, 0 inactive of 6 container instances');

  await page.getByRole('button', { name: 'Lose AZ us-east-1a' }).click();
  const lost = page.locator('[data-testid=az][data-az=us-east-1a] [data-testid=lose-az]');
  await page.waitForFunction(() => document.querySelector('[data-testid=az][data-az=us-east-1a] [data-testid=lose-az]').disabled);
  assert.equal(await lost.getAttribute('title'), 'us-east-1a is lost: none of its container instances is registered');
  assert.equal((await lost.textContent()).trim(), 'Lost');
  assert.equal((await header.textContent()).trim(), '3 active, 1 draining, 2 inactive of 6 container instances');
  assert.equal(await page.locator('[data-testid=az][data-az=us-east-1b] [data-testid=lose-az]').isDisabled(), false);
  await screenshot(page, 'controls-az-lost');

  // Rewinding before the loss gives the button back.
  await jumpTo(page, '0:00:59', '00:00:59.000');
  assert.equal(await lost.isDisabled(), false);
  assert.deepEqual(errors, []);
});

test('keyboard: the skip link reaches the side panel; ←/→ move between tabs, not the clock', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  const skip = page.locator('[data-testid=skip-to-side-panel]');
  const box = async () => (await skip.boundingBox()) ?? { y: -1000, height: 0 };
  assert.ok((await box()).y + (await box()).height <= 0, 'hidden until focused');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to side panel');
  assert.ok((await box()).y >= 0, 'visible once focused');
  await screenshot(page, 'controls-skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-events');

  const before = (await eventTexts(page)).length;
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-details');
  assert.equal(await page.getByRole('tab', { name: 'Details' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-compare', 'wraps to the last tab');
  await page.getByRole('button', { name: 'Branch here' }).waitFor();
  await page.keyboard.press('Home');
  assert.equal(await page.getByRole('tab', { name: 'Events' }).getAttribute('aria-selected'), 'true');
  assert.equal(await clockText(page), '00:00:00.000', 'the arrows did not step or step back the run');
  assert.equal((await eventTexts(page)).length, before);
  // Only the selected tab is in the Tab order (the tablist pattern).
  assert.deepEqual(await page.locator('[role=tab]').evaluateAll((tabs) => tabs.map((t) => t.tabIndex)), [0, -1, -1, -1, -1, -1]);

  // Away from the tabs, → still steps.
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    (before) => document.querySelectorAll('[data-testid=event-log] [data-testid=event]').length > before,
    before,
    { timeout: 10_000 },
  );
  assert.deepEqual(errors, []);
});
