// End-to-end tests of failures and batch jobs: drain and activate an instance, lose an
// Availability Zone, RunTask and StartTask with their started tasks and failures[], and the
// verified suggestions of the placement explainer when a task cannot be placed.

import assert from 'node:assert/strict';
import test from 'node:test';
import { jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

test('drain and activate an instance; lose an Availability Zone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const card = page.locator('[data-testid=az][data-az=us-east-1b] [data-testid=instance]').first();
  await card.locator('button.instance-id').click();
  // The details list the instance's tasks, the same ones its card shows as chips.
  const chips = await card.locator('[data-testid=task]').evaluateAll((nodes) => nodes.map((n) => n.dataset.task));
  assert.ok(chips.length > 0);
  const listed = await page.locator('[data-testid=instance-tasks] li button').allTextContents();
  assert.deepEqual(listed.sort(), chips.sort());
  assert.match(await page.locator('[data-testid=instance-ports]').textContent(), /^6 of 100 reserved: the agent's 22, 2375, 2376, 51678, 51679, 51680$/);
  await page.getByRole('button', { name: 'Drain', exact: true }).click();
  await page.locator('[data-testid=instance-status]', { hasText: 'DRAINING' }).waitFor();
  // Its service tasks stop once their replacements are healthy behind the load balancer and
  // their targets have drained (the target groups' 30 s deregistration delay): by 2:17.
  await jumpTo(page, '3m', '00:03:00.000');
  assert.equal(await card.locator('[data-testid=task]').count(), 0, 'a drained instance has no tasks left');
  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  await page.locator('[data-testid=instance-status]', { hasText: 'ACTIVE' }).waitFor();

  await page.getByRole('button', { name: 'Lose AZ us-east-1a' }).click();
  await page.locator('[data-testid=az][data-az=us-east-1a] [data-testid=instance].inactive').nth(1).waitFor();
  await jumpTo(page, '4m', '00:04:00.000');
  assert.equal(await page.locator('[data-testid=az][data-az=us-east-1a] [data-testid=task]').count(), 0);
  await screenshot(page, 'operate-az-lost');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [
    '00:01:00.000 Drain ' + (await card.getAttribute('data-instance')),
    '00:03:00.000 Activate ' + (await card.getAttribute('data-instance')),
    '00:03:00.000 Lose us-east-1a',
  ]);
  assert.deepEqual(errors, []);
});

test('RunTask and StartTask show started tasks and failures', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Batch jobs' }).click();
  await page.getByLabel('Task definition').selectOption('shipping');
  await page.getByLabel(/^Count/).fill('4');
  await page.getByLabel('Placement strategy').selectOption({ label: 'spread across Availability Zones' });
  await page.getByRole('button', { name: 'Run task', exact: true }).click();
  const batch = page.locator('[data-testid=batch]').first();
  await batch.waitFor();
  assert.match(await batch.textContent(), /4 started, 0 failed/);
  assert.equal(await batch.locator('[data-testid=batch-started]').count(), 4);

  await page.locator('[data-testid=start-on]').first().check();
  await page.getByRole('button', { name: 'Start task on chosen', exact: true }).click();
  await page.locator('[data-testid=batch]').nth(1).waitFor();
  assert.match(await page.locator('[data-testid=batch]').first().textContent(), /1 started, 0 failed/);

  // Far more than fits: ten at a time until the cluster is full, then failures with reasons.
  for (let i = 0; i < 8; i += 1) {
    await page.getByLabel(/^Count/).fill('10');
    await page.getByRole('button', { name: 'Run task', exact: true }).click();
  }
  const failure = page.locator('[data-testid=batch-failure]').first();
  await failure.waitFor();
  assert.match(await failure.textContent(), /^RESOURCE:(CPU|MEMORY)/);
  await screenshot(page, 'operate-batch-failures');
  assert.deepEqual(errors, []);
});

test('a service that cannot place its next task gets verified suggestions; add one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.getByLabel('Desired count').fill('200');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await jumpTo(page, '3m', '00:03:00.000');
  assert.match(await page.locator('[data-testid=placement-outcome]').textContent(), /^Cannot place/);
  const suggestions = page.locator('[data-testid=suggestion]');
  await suggestions.first().waitFor();
  assert.match(await suggestions.first().textContent(), /add a .+ in us-east-1[abc]/);
  assert.match(await page.locator('[data-testid=suggestions-hint]').textContent(), /tasks of this service are waiting, so more may be needed/);
  await page.locator('[data-testid=suggestions]').scrollIntoViewIfNeeded();
  await screenshot(page, 'operate-suggestions');
  const before = await page.locator('[data-testid=instance]').count();
  await page.locator('[data-testid=apply-suggestion]').first().click();
  await page.locator('[data-testid=instance]').nth(before).waitFor();
  assert.equal(await page.locator('[data-testid=instance]').count(), before + 1, 'the fleet has one more instance');
  // The run is replayed on the changed fleet up to the same moment: the scale-out is kept.
  assert.equal((await page.locator('[data-testid=clock]').textContent()).trim(), '00:03:00.000');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), ['00:01:00.000 Scale user to 200']);
  assert.match(await page.locator('[data-testid=service-row][data-service=user]').textContent(), /user.*200/);
  // Undo takes the added instance back.
  await page.getByRole('button', { name: /^Undo/ }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=instance]').length === n, before);
  assert.deepEqual(errors, []);
});
