// End-to-end tests of task definitions and revision behaviour: the task-definition editor in the
// Edit tab (inline errors from the core's validation, a half-filled draft survives a reload,
// saving registers a NEW revision, moves the service to it and restarts the run, and the fleet
// shows the effect); and deploying a revision that crash-loops or fails to start from the
// deploy panel, seen through ECS's own wording, the circuit breaker's rollback and the restart
// back-off.

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

const TEST_TIMEOUT_MS = 150_000;

async function openTaskDefEditor(page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=taskdef-editor]').waitFor();
}

/** The inline error shown under the field with this core path (e.g. containerDefinitions[0].memory). */
function fieldError(page, field) {
  return page.locator(`[data-testid=taskdef-editor] .field-error[data-field="${field}"]`);
}

async function serviceRow(page, name) {
  return (await page.locator(`[data-testid=service-row][data-service=${name}]`).textContent()).trim();
}

/** The event log's entries, newest first, as one text (opens the Events tab). */
async function eventLog(page) {
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.locator('[data-testid=event-log] [data-testid=event]').first().waitFor();
  return (await eventTexts(page)).join('\n');
}

test('task-definition editor: a definition ECS would refuse shows every error at once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openTaskDefEditor(page);
  // order:1 has no health check; its container has memory 1024 and memoryReservation 512.
  await page.locator('[data-testid=taskdef-container-0-image]').fill('');
  await page.locator('[data-testid=taskdef-memory]').fill('10');
  // An interval typed without a command is checked, not silently dropped.
  await page.locator('[data-testid=taskdef-container-0-health-interval]').fill('1');
  const expected = {
    'containerDefinitions[0].image': 'Container.image should not be null or empty.',
    'containerDefinitions[0].memory': "The 'memory' setting for container 'order' is greater than for the task (1024 MiB > 10 MiB).",
    memory: "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory' (512 MiB > 10 MiB).",
    'containerDefinitions[0].healthCheck.interval': 'must be a whole number from 5 to 300 seconds, found 1',
  };
  for (const [field, message] of Object.entries(expected)) {
    assert.equal((await fieldError(page, field).textContent()).trim(), message, field);
  }
  assert.equal((await fieldError(page, 'containerDefinitions[0].healthCheck.command').textContent()).trim(), 'a health check needs a command; for none, clear interval, timeout, retries and start period too');
  assert.equal(await page.locator('[data-testid=taskdef-editor] .field-error').count(), 5, 'all five errors are shown at once');
  assert.ok(await page.locator('[data-testid=taskdef-register]').isDisabled());
  assert.equal((await page.locator('[data-testid=taskdef-fix-note]').textContent()).trim(), 'Fix the 5 errors above');
  await page.locator('[data-testid=taskdef-memory]').scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-all-errors');

  await page.locator('[data-testid=taskdef-container-0-image]').fill('example.com/order:2');
  await page.locator('[data-testid=taskdef-memory]').fill('');
  await page.locator('[data-testid=taskdef-container-0-health-interval]').fill('');
  assert.equal(await page.locator('[data-testid=taskdef-editor] .field-error').count(), 0);
  assert.equal(await page.locator('[data-testid=taskdef-fix-note]').count(), 0, 'no note once nothing is wrong');
  assert.ok(await page.locator('[data-testid=taskdef-register]').isEnabled());
  assert.deepEqual(errors, []);
});

test('task-definition editor: inline errors, draft kept over a reload, saving registers order:2 and fewer tasks fit', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await openTaskDefEditor(page);

  assert.equal(await page.locator('[data-testid=taskdef-pick]').inputValue(), 'order:1');
  assert.match(await page.locator('[data-testid=taskdef-immutable]').textContent(), /immutable in ECS: saving registers a new revision order:2 instead of changing order:1/);
  const memory = page.locator('[data-testid=taskdef-container-0-memory]');
  const reservation = page.locator('[data-testid=taskdef-container-0-memory-reservation]');
  assert.equal(await memory.inputValue(), '1024');
  assert.equal(await reservation.inputValue(), '512');
  const register = page.locator('[data-testid=taskdef-register]');
  assert.equal((await register.textContent()).trim(), 'Register order:2 and restart');

  // A value that is not a number, and one the core rejects: each shown under its field.
  await memory.fill('abc');
  assert.equal((await fieldError(page, 'containerDefinitions[0].memory').textContent()).trim(), 'must be a whole number of MiB, found \u201cabc\u201d');
  assert.ok(await register.isDisabled(), 'cannot register with a bad memory');
  await memory.fill('1024');
  await reservation.fill('7000');
  assert.equal((await fieldError(page, 'containerDefinitions[0].memoryReservation').textContent()).trim(), 'must be lower than memory (7000 >= 1024)');
  assert.equal(await fieldError(page, 'containerDefinitions[0].memory').count(), 0);
  assert.ok(await register.isDisabled());
  await page.locator('[data-testid=taskdef-crash-after]').fill('soon');
  assert.match(await fieldError(page, 'behaviour.crashAfter').textContent(), /duration "soon"/);
  await page.locator('[data-testid=taskdef-crash-after]').fill('');
  await page.locator('[data-testid=taskdef-container-0-health-command]').fill('CMD-SHELL curl -f http://localhost:8080/ || exit 1');
  await page.locator('[data-testid=taskdef-container-0-health-interval]').fill('2');
  assert.equal((await fieldError(page, 'containerDefinitions[0].healthCheck.interval').textContent()).trim(), 'must be a whole number from 5 to 300 seconds, found 2');
  await page.locator('[data-testid=taskdef-container-0-health-interval]').fill('10');
  await reservation.scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-inline-errors');

  // A half-filled form survives a reload: memory fixed, a port mapping added, not yet saved.
  await memory.fill('7500');
  await page.locator('[data-testid=taskdef-container-0-add-port]').click();
  await page.locator('[data-testid=taskdef-container-0-port-1-container]').fill('9090');
  await page.locator('[data-testid=taskdef-container-0-port-1-protocol]').selectOption('udp');
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await openTaskDefEditor(page);
  assert.equal(await memory.inputValue(), '7500');
  assert.equal(await reservation.inputValue(), '7000');
  assert.equal(await page.locator('[data-testid=taskdef-container-0-port-1-container]').inputValue(), '9090');
  assert.equal(await page.locator('[data-testid=taskdef-container-0-port-1-protocol]').inputValue(), 'udp');
  assert.equal(await page.locator('[data-testid=taskdef-container-0-health-interval]').inputValue(), '10');
  assert.equal(await page.locator('[data-testid=taskdef-editor] .field-error').count(), 0);
  await page.locator('[data-testid=taskdef-container-0-remove-port-1]').click();
  assert.equal(await page.locator('[data-testid=taskdef-port]').count(), 1);
  assert.ok(await page.locator('[data-testid=taskdef-update-services]').isChecked(), 'the order service moves to the new revision by default');

  await register.click();
  await page.locator('[data-testid=service-row][data-service=order]', { hasText: 'order:2' }).waitFor();
  assert.equal(await clockText(page), '00:00:00.000', 'saving restarts the run');
  assert.match(await serviceRow(page, 'order'), /order:2/);
  // The draft moved on to the revision just registered.
  await openTaskDefEditor(page);
  assert.equal(await page.locator('[data-testid=taskdef-pick]').inputValue(), 'order:2');
  assert.equal((await register.textContent()).trim(), 'Register order:3 and restart');

  // 7000 MiB reserved per task: at 2 m order scales out to 6 and no longer fits everywhere.
  await jumpTo(page, '2m30s', '00:02:30.000');
  const events = await eventLog(page);
  assert.match(events, /\(service order\) was unable to place a task because no container instance met all of its requirements\. The closest matching container-instance i-[0-9a-f]+ has insufficient memory available\./);
  const orderTasks = await page.locator('[data-testid=fleet] [data-testid=task][data-service=order]').count();
  assert.ok(orderTasks >= 3 && orderTasks < 6, `order tasks on the fleet: ${orderTasks} (desired 6)`);
  await screenshot(page, 'taskdefs-registered-fewer-fit');
  assert.deepEqual(errors, []);
});

test('task-definition editor: a new family, and a behaviour set in place without a new revision', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await openTaskDefEditor(page);

  await page.locator('[data-testid=taskdef-pick]').selectOption('shipping:1');
  await page.locator('[data-testid=taskdef-start-time]').fill('5s');
  await page.locator('[data-testid=taskdef-set-behaviour]').click();
  await page.locator('[data-testid=taskdef-pick]').waitFor();
  await openTaskDefEditor(page);
  assert.equal(await page.locator('[data-testid=taskdef-pick]').inputValue(), 'shipping:1', 'no new revision for a behaviour');
  assert.equal(await page.locator('[data-testid=taskdef-start-time]').inputValue(), '5s');
  assert.match(await serviceRow(page, 'shipping'), /shipping:1/);
  // Shipping tasks now start in 5 s instead of 30 s: RUNNING well before 30 s.
  await jumpTo(page, '10s', '00:00:10.000');
  assert.match(await serviceRow(page, 'shipping'), /shipping:1\s*2\s*2\s*0/, 'both shipping tasks RUNNING at 10 s');

  await openTaskDefEditor(page);
  await page.locator('[data-testid=taskdef-pick]').selectOption('');
  await page.locator('[data-testid=taskdef-family]').fill('bad family');
  assert.match(await fieldError(page, 'family').textContent(), /letters, digits, hyphens or underscores/);
  await page.locator('[data-testid=taskdef-family]').fill('worker');
  await page.locator('[data-testid=taskdef-add-container]').click();
  assert.equal(await page.locator('[data-testid=taskdef-container]').count(), 2);
  await page.locator('[data-testid=taskdef-container-1-name]').fill('container-1');
  assert.match(await fieldError(page, 'containerDefinitions[1].name').textContent(), /duplicate container name "container-1"/);
  await page.locator('[data-testid=taskdef-container-1-name]').fill('sidecar');
  await page.locator('[data-testid=taskdef-network-mode]').selectOption('awsvpc');
  await page.locator('[data-testid=taskdef-container-0-add-port]').click();
  await page.locator('[data-testid=taskdef-container-0-port-0-host]').fill('8080');
  assert.match(await fieldError(page, 'containerDefinitions[0].portMappings[0].hostPort').textContent(), /in awsvpc mode hostPort must be omitted or equal containerPort/);
  await page.locator('[data-testid=taskdef-container-0-port-0-host]').fill('');
  await page.locator('[data-testid=taskdef-editor]').scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-new-family-1920');
  const register = page.locator('[data-testid=taskdef-register]');
  assert.equal((await register.textContent()).trim(), 'Register worker:1 and restart');
  await register.click();
  await openTaskDefEditor(page);
  assert.equal(await page.locator('[data-testid=taskdef-pick]').inputValue(), 'worker:1');
  assert.deepEqual(await page.locator('[data-testid=taskdef-pick] option').allTextContents(),
    ['order:1', 'user:1', 'shipping:1', 'worker:1', 'New family…']);
  assert.deepEqual(errors, []);
});

test('deploy a revision that crash-loops: tasks exit with ECS wording, the circuit breaker rolls back, rewinding undoes it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();

  await page.getByLabel('Image of container user').fill('example.com/user:2.0.0');
  const crashAfter = page.locator('[data-testid=deploy-crash-after]');
  await crashAfter.fill('soon');
  await page.locator('[data-testid=deploy-behaviour] .field-error', { hasText: 'duration "soon"' }).waitFor();
  const deploy = page.getByRole('button', { name: 'Deploy new revision', exact: true });
  assert.ok(await deploy.isDisabled(), 'cannot deploy with a bad duration');
  await page.locator('[data-testid=deploy-crash-rate]').fill('101');
  await page.locator('[data-testid=deploy-behaviour] .field-error', { hasText: 'must be a whole number from 0 to 100, found' }).waitFor();
  await page.locator('[data-testid=deploy-crash-rate]').fill('');
  await crashAfter.fill('20s');
  assert.equal(await page.locator('[data-testid=deploy-behaviour] .field-error').count(), 0);
  const breaker = page.locator('[data-testid=deploy-breaker]');
  if (!(await breaker.isChecked())) await breaker.check();
  await page.locator('[data-testid=deploy-behaviour]').scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-deploy-crash-loop-form');
  await deploy.click();

  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [
    '00:01:00.000 RegisterTaskDefinition user (exits 20s after RUNNING)',
    '00:01:00.000 Deploy user:2 to user',
  ]);
  await jumpTo(page, '2m', '00:02:00.000');
  const events = await eventLog(page);
  assert.match(events, /task t\d+ desired STOPPED: EssentialContainerExited \(Essential container in task exited\)/);
  assert.match(events, /deployment ecs-svc\/\d+ \(user:2\): PRIMARY FAILED: ECS deployment circuit breaker: /);
  const deployments = page.locator('[data-testid=deployment]');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deployments]').waitFor();
  const rows = await deployments.allTextContents();
  assert.match(rows[0], /^user:1PRIMARY(IN_PROGRESS|COMPLETED)$/, `deployments: ${rows}`);
  assert.ok(rows.some((row) => /^user:2(ACTIVE|INACTIVE)FAILED$/.test(row)), `deployments: ${rows}`);
  assert.match(await page.locator('[data-testid=deployments]').textContent(), /ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d+\./);
  await page.locator('[data-testid=deployments]').scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-crash-loop-rolled-back');

  await jumpTo(page, '30s', '00:00:30.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  assert.equal(await deployments.count(), 1, 'rewinding before the deployment undoes it');
  assert.match(await deployments.nth(0).textContent(), /user:1PRIMARY/);
  assert.deepEqual(errors, []);
});

test('deploy a revision that never starts, without the circuit breaker: the restart back-off shows', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  await page.getByLabel('Image of container user').fill('example.com/user:broken');
  await page.locator('[data-testid=deploy-crash-rate]').fill('100');
  await page.locator('[data-testid=deploy-start-time]').fill('5s');
  const breaker = page.locator('[data-testid=deploy-breaker]');
  if (await breaker.isChecked()) await breaker.uncheck();
  await page.locator('[data-testid=deploy-behaviour]').scrollIntoViewIfNeeded();
  await screenshot(page, 'taskdefs-deploy-never-starts-1920');
  await page.getByRole('button', { name: 'Deploy new revision', exact: true }).click();
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [
    '00:01:00.000 RegisterTaskDefinition user (100 % fail to start, starts in 5s)',
    '00:01:00.000 Deploy user:2 to user',
  ]);

  await jumpTo(page, '5m', '00:05:00.000');
  const events = await eventLog(page);
  assert.match(events, /TaskFailedToStart/);
  assert.match(events, /\(service user\) is unable to consistently start tasks successfully\./);
  await page.getByRole('button', { name: 'user', exact: true }).click();
  assert.match(await page.locator('[data-testid=deployment]').first().textContent(), /^user:2PRIMARYIN_PROGRESS$/, 'without the breaker the deployment keeps trying');
  assert.match(await page.locator('[data-testid=revision-tasks][data-revision="user:1"]').textContent(), /user:1: 3 running/, 'the old tasks keep serving');
  assert.deepEqual(errors, []);
});

test('deploy a revision with more task memory: RegisterTaskDefinition carries it and the new tasks reserve it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  const taskMemory = page.locator('[data-testid=deploy-task-memory]');
  assert.equal(await taskMemory.getAttribute('placeholder'), 'not set (512 MiB charged)');
  await taskMemory.fill('lots');
  await page.locator('[data-testid=deploy-panel] .field-error', { hasText: 'memory "lots" is not a number of MiB ("1024") or GB ("1 GB")' }).waitFor();
  const deploy = page.getByRole('button', { name: 'Deploy new revision', exact: true });
  assert.ok(await deploy.isDisabled(), 'cannot deploy with a bad memory');
  await taskMemory.fill('7 GB');
  assert.match(await page.locator('[data-testid=plan-assumes]').textContent(), /assumes the new revision fits and starts like user:1/);
  await deploy.click();

  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [
    '00:01:00.000 RegisterTaskDefinition user (memory 7 GB)',
    '00:01:00.000 Deploy user:2 to user',
  ]);
  await jumpTo(page, '1m30s', '00:01:30.000');
  assert.match(await eventLog(page), /action registerTaskDefinition user user=example\.com\/user:1\.0\.0 memory=7 GB/);
  await page.locator('[data-testid=fleet] [data-testid=task][data-task=t8]').click();
  const details = await page.locator('[data-testid=task-details]').textContent();
  assert.match(details, /user:2/);
  assert.match(details, /256 CPU units, 7168 MiB/, 'the new revision reserves the task-level memory');
  assert.deepEqual(errors, []);
});
