// End-to-end tests of acting on a run and seeing why: scale a service, stop a task from its
// details, terminate an instance; each action lands on the timeline strip and rewinding before
// it undoes it. The service view shows counts, ECS-worded events and the placement explainer;
// the event log filters by service, instance and kind. Assertions are on what the user sees.

import assert from 'node:assert/strict';
import test from 'node:test';
import { eventTexts, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function desiredInRow(page, service) {
  const cells = page.locator(`[data-testid=service-row][data-service=${service}] td.num`);
  return (await cells.first().textContent()).trim();
}

test('scale a service, see it on the timeline, undo it by rewinding', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  const details = page.locator('[data-testid=service-details]');
  await details.waitFor();
  assert.match(await details.textContent(), /Service user/);
  assert.equal((await page.locator('[data-testid=service-running]').textContent()).trim(), '3');
  const events = await page.locator('[data-testid=service-events]').textContent();
  assert.match(events, /\(service user\) has reached a steady state\./, 'service events in ECS wording');
  const explainer = page.locator('[data-testid=placement-explainer]');
  assert.match(await explainer.locator('[data-testid=placement-outcome]').textContent(), /^Would place on i-0[0-9a-f]{16} \(us-east-1[abc]\)(, drawn at random from the \d+ instances tied after the last strategy)?$/);
  assert.ok((await explainer.locator('[data-testid=placement-stage]').count()) >= 2, 'the explainer lists the stages');
  await screenshot(page, 'act-service-details');

  await page.getByLabel('Desired count').fill('5');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=service-desired]', { hasText: '5' }).waitFor();
  assert.equal(await desiredInRow(page, 'user'), '5');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), ['00:01:00.000 Scale user to 5']);

  await jumpTo(page, '1m30s', '00:01:30.000');
  assert.equal((await page.locator('[data-testid=service-running]').textContent()).trim(), '5', 'scaled out');

  await jumpTo(page, '30s', '00:00:30.000');
  assert.equal(await desiredInRow(page, 'user'), '3', 'rewinding before the action undoes it');
  assert.equal(await page.locator('[data-testid=action][data-ahead=true]').count(), 1, 'shown as undone');
  await screenshot(page, 'act-rewound-before-action');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  assert.equal(await page.locator('[data-testid=action]').count(), 0, 'acting again discards the undone action');
  assert.deepEqual(errors, []);
});

test('stop a task from its details; terminate an instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const chip = page.locator('[data-testid=task][data-service=order][data-state=RUNNING]').first();
  const taskId = await chip.getAttribute('data-task');
  await chip.click();
  const details = page.locator('[data-testid=task-details]');
  await details.waitFor();
  assert.equal((await page.locator('[data-testid=task-state]').textContent()).trim(), 'RUNNING');
  assert.equal((await page.locator('[data-testid=task-revision]').textContent()).trim(), 'order:1');
  assert.match((await page.locator('[data-testid=task-instance]').textContent()).trim(), /^i-0[0-9a-f]{16}$/);
  await page.getByRole('button', { name: 'Stop task', exact: true }).click();
  await page.locator('[data-testid=task-state]', { hasText: 'DEACTIVATING' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Stop task', exact: true }).isDisabled(), 'a stopping task cannot be stopped again');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [`00:01:00.000 Stop task ${taskId}`]);
  await screenshot(page, 'act-task-stopped-1920');

  await page.locator('[data-testid=task-instance]').click();
  await page.getByRole('button', { name: 'Terminate instance', exact: true }).click();
  await page.locator('[data-testid=instance-status]', { hasText: 'INACTIVE' }).waitFor();
  assert.equal(await page.locator('[data-testid=action]').count(), 2);
  await page.getByRole('tab', { name: 'Events' }).click();
  const texts = await eventTexts(page);
  assert.ok(texts.some((text) => text.includes('action terminateInstance')), 'the log shows the action');
  assert.deepEqual(errors, []);
});

test('event log filters by service, instance and kind', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '3m', '00:03:00.000');
  const all = (await eventTexts(page)).length;

  await page.getByLabel('services', { exact: true }).selectOption('shipping');
  const shipping = await eventTexts(page);
  assert.ok(shipping.length > 0 && shipping.length < all, `${shipping.length} of ${all} events`);
  assert.ok(!shipping.some((text) => /service (order|user)\b/.test(text)), 'no event of another service');

  await page.getByLabel('kinds', { exact: true }).selectOption('service-event');
  const kinds = await page.$$eval('[data-testid=event]', (nodes) => nodes.map((n) => n.dataset.kind));
  assert.ok(kinds.length > 0 && kinds.every((kind) => kind === 'service-event'), JSON.stringify(kinds));
  assert.match(await page.locator('[data-testid=event-count]').textContent(), /shown of/);
  await screenshot(page, 'see-filtered-events');

  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  const instance = await page.locator('[data-testid=instance]').first().getAttribute('data-instance');
  await page.getByLabel('instances', { exact: true }).selectOption(instance);
  const onInstance = await eventTexts(page);
  assert.ok(onInstance.length > 0 && onInstance.length < all);
  assert.ok(onInstance.some((text) => text.includes(instance)), 'events name the instance');
  assert.deepEqual(errors, []);
});
