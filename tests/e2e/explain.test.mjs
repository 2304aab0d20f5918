// End-to-end tests of "Why here?": any task's placement, replayed from the run's saved moments
// with its full explanation (stages, what each removed and why, the tie), for a service task, a
// RunTask task, and after the run has moved on past the placement.

import assert from 'node:assert/strict';
import test from 'node:test';
import { jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

/** Opens a task's details from its chip, asks why it is there; returns the explainer. */
async function explain(page, chip) {
  await chip.click();
  await page.locator('[data-testid=task-details]').waitFor();
  await page.getByRole('button', { name: 'Why here?', exact: true }).click();
  const explainer = page.locator('[data-testid=task-details] [data-testid=placement-explainer]');
  await explainer.waitFor();
  return explainer;
}

test('why a service task went to its instance, still shown after the run moves on', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const chip = page.locator('[data-testid=task][data-service=order]').first();
  const taskId = await chip.getAttribute('data-task');
  const instance = await page
    .locator('[data-testid=instance]', { has: page.locator(`[data-testid=task][data-task=${taskId}]`) })
    .getAttribute('data-instance');

  const explainer = await explain(page, chip);
  assert.equal(await explainer.locator('h3').textContent(), `Why ${taskId} went to ${instance}`);
  assert.match(await explainer.locator('[data-testid=placement-outcome]').textContent(), new RegExp(`^Placed on ${instance} \\(us-east-1[abc]\\)(, drawn at random from the \\d+ instances tied after the last strategy)?$`));
  const stages = await explainer.locator('.stage').allTextContents();
  assert.match(stages[0], /^Candidates6$/, 'six instances were candidates');
  assert.ok(stages.some((s) => s.startsWith('strategy spread(attribute:ecs.availability-zone)')), stages.join(' | '));
  await screenshot(page, 'explain-service-task');

  // A past decision stays explained while the clock moves on.
  await jumpTo(page, '2m', '00:02:00.000');
  assert.equal(await explainer.count(), 1);
  assert.deepEqual(errors, []);
});

test('why a RunTask task went where it went, on the placement scenario with constraints', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByLabel('Scenario library').selectOption('placement');
  await page.locator('[data-testid=scenario-name]', { hasText: /lacement/ }).waitFor();
  await jumpTo(page, '2m', '00:02:00.000');
  // A service task placed under memberOf(attribute:stack == prod): the constraint stage shows.
  const explainer = await explain(page, page.locator('[data-testid=task]').first());
  const text = await explainer.textContent();
  assert.match(text, /Placed on i-[0-9a-f]+/);
  assert.match(text, /Candidates/);
  await screenshot(page, 'explain-placement-task');

  await page.getByRole('tab', { name: 'Batch jobs' }).click();
  await page.getByRole('button', { name: 'Run task', exact: true }).click();
  const started = page.locator('[data-testid=batch]').first().locator('[data-testid=batch-started]').first();
  await started.waitFor();
  const taskId = await started.getAttribute('data-task');
  // The batch's result links each started task to its details.
  const runTaskExplainer = await explain(page, started.getByRole('button', { name: taskId, exact: true }));
  assert.match(await runTaskExplainer.locator('h3').textContent(), new RegExp(`^Why ${taskId} went to i-`));
  assert.deepEqual(errors, []);
});
