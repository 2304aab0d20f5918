// End-to-end tests of defining services and driving their deployment alarms: create a service
// and see its tasks placed; switch one to DAEMON and see one task per instance; the deployment
// configuration's bounds spelled out as you type; bad values (max < 100, min > 100, a name clash)
// shown at their field with Apply disabled; a half-filled form survives a reload; an AMI ID on
// new instances; an alarm set to ALARM during a deployment that watches it fails the deployment
// and rolls back (in ECS's words), and rewinding before it undoes it.

import assert from 'node:assert/strict';
import test from 'node:test';
import { clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function openEditors(page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=service-editor]').waitFor();
}

async function text(page, testid) {
  return (await page.locator(`[data-testid=${testid}]`).first().textContent()).trim();
}

/** For each instance id, how many live tasks of `service` the fleet shows on it. */
async function tasksPerInstance(page, service) {
  return page.$$eval(
    '[data-testid=fleet] [data-testid=instance]',
    (instances, service) =>
      Object.fromEntries(
        instances.map((instance) => [
          instance.querySelector('button.instance-id')?.textContent.trim(),
          instance.querySelectorAll(`[data-testid=task][data-service="${service}"]`).length,
        ]),
      ),
    service,
  );
}

test('create a new service: its tasks are placed; a name clash is an inline error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await openEditors(page);

  await page.locator('[data-testid=edit-service]').selectOption({ label: 'New service…' });
  const name = page.locator('[data-testid=edit-name]');
  await name.fill('order');
  const clash = page.locator('[data-testid=error-name]');
  await clash.waitFor();
  assert.match(await clash.textContent(), /a service named "order" already exists/);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled(), 'cannot create a second "order"');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');

  await name.fill('payments');
  await clash.waitFor({ state: 'detached' });
  await page.locator('[data-testid=edit-task-definition]').selectOption('user:1');
  await page.locator('[data-testid=edit-desired]').fill('4');
  assert.equal(await text(page, 'rounding-min'), 'min 100 % (default) of 4 = 4 tasks must stay healthy');
  assert.equal(await text(page, 'rounding-max'), 'max 200 % (default) of 4 = 8 tasks at most');
  assert.equal(await page.locator('[data-testid=service-editor] .field-error').count(), 0);
  await screenshot(page, 'services-new-service-form');
  await page.getByRole('button', { name: 'Create and restart' }).click();

  assert.equal(await clockText(page), '00:00:00.000', 'creating a service restarts the run');
  await jumpTo(page, '1m', '00:01:00.000');
  const placed = await tasksPerInstance(page, 'payments');
  const total = Object.values(placed).reduce((a, b) => a + b, 0);
  assert.equal(total, 4, `payments tasks per instance: ${JSON.stringify(placed)}`);
  await page.getByRole('button', { name: 'payments', exact: true }).click();
  assert.equal(await text(page, 'service-running'), '4');
  assert.match(await page.locator('[data-testid=service-details] h2').textContent(), /user:1/);

  // The editor now edits the service it created; removing it takes it off the fleet.
  await openEditors(page);
  assert.equal(await page.locator('[data-testid=edit-service]').inputValue(), 'payments');
  await page.getByRole('button', { name: 'Remove service payments' }).click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=task][data-service=payments]'));
  assert.equal(await page.locator('[data-testid=edit-service] option[value=payments]').count(), 0);
  assert.deepEqual(errors, []);
});

test('DAEMON hides the desired count and runs one task on every instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('shipping');
  await page.locator('[data-testid=edit-scheduling]').selectOption('DAEMON');
  await page.locator('[data-testid=daemon-hint]').waitFor();
  assert.equal(await page.locator('[data-testid=edit-desired]').count(), 0, 'DAEMON has no desired count');
  assert.equal(await text(page, 'rounding-min'), 'min 0 % (default) of 6 (one task per instance) = 0 tasks must stay healthy');

  // DAEMON services need maximumPercent 100; the core's error shows at the field.
  await page.locator('[data-testid=edit-max-percent]').fill('200');
  assert.match(await text(page, 'error-maximum_percent'), /DAEMON services require 100, found 200/);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled());
  await page.locator('[data-testid=edit-max-percent]').fill('');
  await page.locator('[data-testid=error-maximum_percent]').waitFor({ state: 'detached' });
  await page.locator('[data-testid=edit-apply]').click();

  await jumpTo(page, '2m', '00:02:00.000');
  const perInstance = await tasksPerInstance(page, 'shipping');
  assert.equal(Object.keys(perInstance).length, 6, JSON.stringify(perInstance));
  assert.ok(Object.values(perInstance).every((n) => n === 1), `one shipping task per instance: ${JSON.stringify(perInstance)}`);
  await screenshot(page, 'services-daemon-fleet');
  assert.deepEqual(errors, []);
});

test('deployment configuration: rounding spelled out, bad values inline, draft kept over a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('order');
  await page.locator('[data-testid=edit-desired]').fill('4');
  await page.locator('[data-testid=edit-min-healthy]').fill('50');
  await page.locator('[data-testid=edit-max-percent]').fill('200');
  assert.equal(await text(page, 'rounding-min'), 'min 50 % of 4 = 2 tasks must stay healthy', 'no "(rounded up)" when nothing was rounded');
  assert.equal(await text(page, 'rounding-max'), 'max 200 % of 4 = 8 tasks at most');

  await page.locator('[data-testid=edit-desired]').fill('3');
  await page.locator('[data-testid=edit-max-percent]').fill('150');
  assert.equal(await text(page, 'rounding-min'), 'min 50 % of 3 = 1.5 → 2 tasks must stay healthy (rounded up)');
  assert.equal(await text(page, 'rounding-max'), 'max 150 % of 3 = 4.5 → 4 tasks at most (rounded down)');

  await page.locator('[data-testid=edit-min-healthy]').fill('100');
  await page.locator('[data-testid=edit-max-percent]').fill('100');
  assert.match(await text(page, 'rounding-deadlock'), /\(service order\) was unable to stop or start tasks during a deployment because of the service deployment configuration/);
  await page.locator('[data-testid=rounding]').scrollIntoViewIfNeeded();
  await screenshot(page, 'services-rounding-deadlock');

  await page.locator('[data-testid=edit-max-percent]').fill('90');
  assert.match(await text(page, 'error-maximum_percent'), /must be a whole number from 100 to 10000, found 90/);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled(), 'max < 100 blocks Apply');
  await page.locator('[data-testid=edit-max-percent]').fill('200');
  await page.locator('[data-testid=edit-min-healthy]').fill('150');
  assert.match(await text(page, 'error-minimum_healthy_percent'), /must be a whole number from 0 to 100, found 150/);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled(), 'min > 100 blocks Apply');
  assert.equal(await page.locator('[data-testid=rounding]').count(), 0, 'no bounds are spelled out for a rejected percentage');
  await page.locator('[data-testid=edit-alarm-names]').fill('order-5xx');
  await page.locator('[data-testid=edit-alarms-enable]').check();
  await page.locator('[data-testid=edit-bake-time]').fill('2');
  await page.locator('[data-testid=error-minimum_healthy_percent]').scrollIntoViewIfNeeded();
  await screenshot(page, 'services-min-error-1280');

  // Half-filled, with an error: a reload keeps every field as typed.
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await openEditors(page);
  assert.equal(await page.locator('[data-testid=edit-service]').inputValue(), 'order');
  assert.equal(await page.locator('[data-testid=edit-desired]').inputValue(), '3');
  assert.equal(await page.locator('[data-testid=edit-min-healthy]').inputValue(), '150');
  assert.equal(await page.locator('[data-testid=edit-alarm-names]').inputValue(), 'order-5xx');
  assert.ok(await page.locator('[data-testid=edit-alarms-enable]').isChecked());
  assert.equal(await page.locator('[data-testid=edit-bake-time]').inputValue(), '2');
  assert.match(await text(page, 'error-minimum_healthy_percent'), /must be a whole number from 0 to 100, found 150/);

  await page.locator('[data-testid=edit-min-healthy]').fill('50');
  await page.locator('[data-testid=edit-apply]').click();
  await page.getByRole('button', { name: 'order', exact: true }).click();
  assert.equal(await text(page, 'service-desired'), '3');
  assert.equal(await page.locator('[data-testid=alarm][data-alarm=order-5xx]').getAttribute('data-state'), 'OK');
  assert.deepEqual(errors, []);
});

test('service editor: every field\'s error at once, and why Apply is disabled', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('order');
  await page.locator('[data-testid=edit-desired]').fill('-1');
  await page.locator('[data-testid=edit-min-healthy]').fill('300');
  await page.locator('[data-testid=edit-max-percent]').fill('50');
  await page.locator('[data-testid=edit-strategies]').fill('spread(colour), binpack(disk)');
  assert.equal(await text(page, 'error-desired_count'), 'must be a whole number, at least 0, found \u201c-1\u201d');
  assert.equal(await text(page, 'error-minimum_healthy_percent'), 'must be a whole number from 0 to 100, found 300');
  assert.equal(await text(page, 'error-maximum_percent'), 'must be a whole number from 100 to 10000, found 50');
  const strategyErrors = await page.locator('[data-testid=error-strategies]').allTextContents();
  assert.equal(strategyErrors.length, 2, `both bad strategies are reported: ${JSON.stringify(strategyErrors)}`);
  assert.match(strategyErrors[0], /^spread: /);
  assert.match(strategyErrors[1], /^binpack: /);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled());
  assert.equal(await text(page, 'edit-fix-note'), 'Fix the 5 errors above');
  // The labels use ECS's member names, as the deploy form does.
  assert.ok(await page.locator('[data-testid=service-editor]').getByLabel('Minimum healthy percent').isVisible());
  assert.ok(await page.locator('[data-testid=service-editor]').getByLabel('Maximum percent').isVisible());
  await page.locator('[data-testid=edit-apply]').scrollIntoViewIfNeeded();
  await screenshot(page, 'services-all-errors');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'services-all-errors-1920');
  assert.deepEqual(errors, []);
});

test('an AMI ID is checked by the core and lands on the new instances', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=fleet-az]').fill('us-east-1d');
  await page.locator('[data-testid=fleet-count]').fill('3');
  await page.locator('[data-testid=fleet-ami]').fill('ami-12');
  await page.locator('.field-error', { hasText: 'is not an AMI ID' }).waitFor();
  assert.ok(await page.locator('[data-testid=fleet-add]').isDisabled());
  await page.locator('[data-testid=fleet-ami]').fill('ami-0abcdef1234567890');
  await page.locator('[data-testid=fleet-attributes]').fill('team=payments');
  assert.equal(await page.locator('[data-testid=fleet-editor] .field-error').count(), 0);
  await page.locator('[data-testid=fleet-add]').click();
  const zone = page.locator('[data-testid=az][data-az=us-east-1d]');
  await zone.waitFor();
  assert.equal(await zone.locator('[data-testid=instance]').count(), 3);
  await zone.locator('[data-testid=instance] button.instance-id').first().click();
  const details = await page.locator('[data-testid=instance-details]').textContent();
  assert.match(details, /ami-0abcdef1234567890/);
  assert.match(details, /teampayments/);
  assert.deepEqual(errors, []);
});

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
]) {
  test(`an alarm in ALARM fails a watching deployment and rolls back; rewinding undoes it (${width}x${height})`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, errors } = await openApp(t, { width, height });
    await waitForApp(page);
    await openEditors(page);
    await page.locator('[data-testid=edit-service]').selectOption('order');
    await page.locator('[data-testid=edit-alarm-names]').fill('order-5xx');
    await page.locator('[data-testid=edit-alarms-enable]').check();
    await page.locator('[data-testid=edit-alarms-rollback]').check();
    await page.locator('[data-testid=edit-bake-time]').fill('1');
    await page.locator('[data-testid=service-editor] fieldset').first().scrollIntoViewIfNeeded();
    await screenshot(page, `services-editor-alarms-${width}`);
    await page.locator('[data-testid=edit-apply]').click();

    // The first deployment completes when its 1-minute bake after steady state (1m01s) ends;
    // the timeline's scaling at 2m and task stop at 3m are ordinary scheduling: it stays
    // COMPLETED (ECS never takes a completed deployment back to IN_PROGRESS).
    await jumpTo(page, '3m30s', '00:03:30.000');
    await page.getByRole('button', { name: 'order', exact: true }).click();
    const first = page.locator('[data-testid=deployment][data-status=PRIMARY]');
    assert.equal(await first.getAttribute('data-rollout'), 'COMPLETED', 'completed at the end of the bake, before the task stop at 3m');
    await jumpTo(page, '5m30s', '00:05:30.000');
    assert.equal(await first.getAttribute('data-rollout'), 'COMPLETED', 'still COMPLETED after the stopped task was replaced');
    const alarm = page.locator('[data-testid=service-details] [data-testid=alarm][data-alarm=order-5xx]');
    assert.equal(await alarm.getAttribute('data-state'), 'OK');
    assert.match(await text(page, 'alarm-effects'), /no deployment in progress/);

    await page.getByRole('button', { name: 'Force new deployment' }).click();
    await page.locator('[data-testid=deployment][data-status=PRIMARY][data-rollout=IN_PROGRESS]').waitFor();
    assert.match(await text(page, 'alarm-effects'), /an ALARM now fails deployment ecs-svc\/\d{19} and rolls back to ecs-svc\/\d{19}\./);

    await page.getByRole('button', { name: 'Set alarm order-5xx to ALARM' }).click();
    await page.locator('[data-testid=service-details] [data-testid=alarm][data-state=ALARM]').waitFor();
    const failed = page.locator('[data-testid=deployment][data-rollout=FAILED]');
    await failed.waitFor();
    const rows = await page.locator('[data-testid=deployments] tbody').textContent();
    assert.match(rows, /ECS deployment alarm: order-5xx is in ALARM state\./);
    assert.match(rows, /ECS deployment alarms: rolling back to deploymentId ecs-svc\/\d{19}\./);
    assert.equal(
      await page.locator('[data-testid=deployment][data-status=PRIMARY]').getAttribute('data-rollout'),
      'IN_PROGRESS',
      'the rollback deployment is the new PRIMARY',
    );
    await page.locator('[data-testid=deployments]').scrollIntoViewIfNeeded();
    await screenshot(page, `services-alarm-rollback-${width}`);

    // The events tab shows the alarm too, and the timeline lists the action.
    await page.getByRole('tab', { name: 'Events' }).click();
    assert.equal(await page.locator('[data-testid=alarms] [data-alarm=order-5xx]').getAttribute('data-state'), 'ALARM');
    const log = await page.locator('[data-testid=event-log]').textContent();
    assert.match(log, /alarm order-5xx is ALARM/);
    assert.match(await page.locator('[data-testid=actions]').textContent(), /Alarm order-5xx ALARM/);
    await screenshot(page, `services-alarm-events-${width}`);

    // Rewinding before the action undoes it.
    await jumpTo(page, '5m29s', '00:05:29.000');
    assert.equal(await page.locator('[data-testid=alarms] [data-alarm=order-5xx]').getAttribute('data-state'), 'OK');
    await page.getByRole('button', { name: 'order', exact: true }).click();
    assert.equal(await page.locator('[data-testid=deployment][data-rollout=FAILED]').count(), 0);
    assert.deepEqual(errors, []);
  });
}

// Issue 13 item 18: a task that cannot be placed is on no instance, so no card shows it. The
// service row says how many and why (with the way to the explainer), and the fleet marks it.
test('a task that cannot be placed shows in the service row (how many, why) and as a marker in the fleet', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const tooSmall = {
    version: 1,
    name: 'One instance too few',
    seed: 3,
    fleet: [{ instanceType: 'm5.large', availabilityZone: 'us-east-1a', count: 1 }],
    taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'example.com/web:1', cpu: 1024, memory: 1024 }] }],
    services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCount: 3 }],
  };
  await page.locator('[data-testid=open-file]').setInputFiles({ name: 'small.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tooSmall)) });
  await page.locator('[data-testid=scenario-name]', { hasText: 'One instance too few' }).waitFor();
  assert.equal(await page.locator('[data-testid=service-unplaced]').count(), 0, 'nothing tried yet');
  await jumpTo(page, '30s', '00:00:30.000');

  const row = page.locator('[data-testid=service-row][data-service=web]');
  const note = row.locator('[data-testid=service-unplaced]');
  await note.waitFor();
  assert.equal(await note.getAttribute('data-count'), '1');
  assert.match(await note.textContent(), /^1 task could not be placed/);
  assert.match(await row.locator('[data-testid=service-unplaced-reason]').textContent(), /The closest matching container-instance i-[0-9a-f]+ has insufficient CPU units available/);
  const marker = page.locator('[data-testid=fleet] [data-testid=fleet-unplaced] [data-testid=unplaced-marker][data-service=web]');
  assert.equal(await marker.getAttribute('data-count'), '1');
  assert.match(await marker.textContent(), /web ×1/);
  await screenshot(page, 'services-unplaced');

  // "Why?" opens the service with the placement explainer.
  await note.getByRole('button', { name: 'Why?' }).click();
  await page.locator('[data-testid=service-details] [data-testid=placement-explainer]').waitFor();
  assert.match(await page.locator('[data-testid=placement-outcome]').first().textContent(), /./);

  // Scaled to what fits, the marks go.
  await page.getByLabel('Desired count').fill('2');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await jumpTo(page, '1m', '00:01:00.000');
  assert.equal(await page.locator('[data-testid=service-unplaced]').count(), 0);
  assert.equal(await page.locator('[data-testid=fleet-unplaced]').count(), 0);
  assert.deepEqual(errors, []);
});
