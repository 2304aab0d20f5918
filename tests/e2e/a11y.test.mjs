// Accessibility checks with axe-core (WCAG 2.1 A and AA rules) on each screen a user reaches:
// the first screen, every tab of the side panel, a task's details with its explanation, a
// service's details with the deploy panel; and keyboard use: every control reached with Tab shows
// a visible focus indicator, and the shortcuts space, → and ← work.

import assert from 'node:assert/strict';
import test from 'node:test';
import { assertNoViolations, axeViolations, clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 180_000;

test('axe finds no serious or critical WCAG 2.1 AA violation on any screen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const found = {};
  found['first screen'] = await axeViolations(page);
  for (const tab of ['Events', 'Traffic', 'Batch jobs', 'Edit scenario', 'Compare']) {
    await page.getByRole('tab', { name: tab }).click();
    found[`tab ${tab}`] = await axeViolations(page);
  }
  // The side-by-side comparison (after a change, so figures and events are highlighted) and an
  // inline "not a time" error.
  await page.getByRole('button', { name: 'Branch here' }).click();
  await page.getByRole('button', { name: 'Lose AZ us-east-1a' }).click();
  await jumpTo(page, '1m30s', '00:01:30.000');
  await page.locator('[data-testid=compare-this-run] .only-here').first().waitFor();
  await jumpTo(page, '-5s');
  await page.locator('[data-testid=jump-error]').waitFor();
  found['compare and a bad time'] = await axeViolations(page);
  await page.locator('[data-testid=task]').first().click();
  await page.getByRole('button', { name: 'Why here?', exact: true }).click();
  await page.locator('[data-testid=task-details] [data-testid=placement-explainer]').waitFor();
  found['task details'] = await axeViolations(page);
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  found['service details'] = await axeViolations(page);
  await page.locator('[data-testid=instance] .instance-id').first().click();
  found['instance details'] = await axeViolations(page);
  assertNoViolations(found);
  assert.deepEqual(errors, []);
});

test('keyboard: every control reached with Tab shows its focus; space, → and ← drive the clock', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const unfocused = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { name: `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 20)}]`, visible };
    });
    if (focus && !focus.visible) unfocused.push(focus.name);
  }
  assert.deepEqual(unfocused, [], 'controls without a visible focus indicator');
  await screenshot(page, 'a11y-keyboard-focus');

  await jumpTo(page, '1m', '00:01:00.000');
  await page.locator('[data-testid=fleet]').click({ position: { x: 5, y: 5 } }); // focus off the time field
  const start = await clockText(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((start) => document.querySelector('[data-testid=clock]').textContent.trim() !== start, start);
  const stepped = await clockText(page);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((start) => document.querySelector('[data-testid=clock]').textContent.trim() === start, start);
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  assert.notEqual(stepped, start);
  assert.deepEqual(errors, []);
});
