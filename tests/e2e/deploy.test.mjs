// End-to-end tests of deploying from a service's details: the plan preview before starting
// (rounding spelled out, fewest healthy and peak, duration or why it never finishes), "Deploy
// new revision" (RegisterTaskDefinition then UpdateService), the deployments[] view while it
// runs, "Force new deployment", and rewinding before a deployment undoes it.

import assert from 'node:assert/strict';
import test from 'node:test';
import { eventTexts, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function text(page, testid) {
  return (await page.locator(`[data-testid=${testid}]`).first().textContent()).trim();
}

test('preview a deployment plan, deploy a new revision, watch deployments[], rewind', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();

  assert.equal(await text(page, 'plan-min'), 'min 100 % of 3 = 3 tasks must stay healthy');
  assert.equal(await text(page, 'plan-max'), 'max 200 % of 3 = 6 tasks at most');
  assert.match(await text(page, 'plan-outcome'), /^Expected to finish in .+ \(\d+ rounds\)\.$/);

  await page.getByLabel('Minimum healthy percent').fill('50');
  assert.equal(await text(page, 'plan-min'), 'min 50 % of 3 = 1.5 → 2 tasks must stay healthy (rounded up)', 'the preview follows the form');
  assert.match(await text(page, 'plan-worst'), /^Fewest healthy: \d+ \(minimum 2\) at \+.+\. Peak: \d+ tasks pending or running \(maximum 6, \d+ extra\) at \+.+\.$/);
  assert.ok((await page.locator('[data-testid=plan-round]').count()) >= 1, 'the rounds are listed');

  await page.getByLabel('Minimum healthy percent').fill('100');
  await page.getByLabel('Maximum percent').fill('100');
  assert.match(await text(page, 'plan-outcome'), /^Never finishes: /, 'min 100 % and max 100 % deadlocks');
  await page.locator('[data-testid=plan-preview]').scrollIntoViewIfNeeded();
  await screenshot(page, 'deploy-plan-never');
  await page.getByLabel('Maximum percent').fill('200');

  await page.getByLabel('Image of container user').fill('example.com/user:2.0.0');
  await page.getByRole('button', { name: 'Deploy new revision', exact: true }).click();
  const deployments = page.locator('[data-testid=deployment]');
  await deployments.nth(1).waitFor();
  // The new PRIMARY row is brought into view (the form sits below the list).
  await page.waitForFunction(() => {
    const row = document.querySelector('[data-testid=deployment]');
    const box = row?.getBoundingClientRect();
    return box && box.top >= 0 && box.bottom <= window.innerHeight;
  }, null, { timeout: 5_000 });
  assert.equal(await deployments.count(), 2);
  // Just begun, the chart still has a time axis with distinct ticks (not three labels on one spot).
  const xTicks = await page.locator('[data-testid=deployment-chart] [data-testid=x-tick]').allTextContents();
  assert.equal(new Set(xTicks).size, 3, `time ticks ${JSON.stringify(xTicks)}`);
  assert.match(await deployments.nth(0).textContent(), /user:2PRIMARYIN_PROGRESS/);
  assert.match(await deployments.nth(1).textContent(), /user:1ACTIVE/);
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), [
    '00:01:00.000 RegisterTaskDefinition user',
    '00:01:00.000 Deploy user:2 to user',
  ]);
  // The fleet shades tasks by revision: user:1 is no longer the service's current revision.
  const oldChips = page.locator('[data-testid=task][data-service=user][data-revision="user:1"]');
  assert.equal(await oldChips.count(), 3);
  assert.equal(await page.locator('[data-testid=task][data-service=user][data-revision="user:1"].other-revision').count(), 3);
  assert.match(await oldChips.first().getAttribute('title'), /user:1 \(not the service's current revision\)/);
  await page.locator('[data-testid=deployments]').scrollIntoViewIfNeeded();
  await screenshot(page, 'deploy-in-progress');

  await jumpTo(page, '5m', '00:05:00.000');
  assert.match(await deployments.nth(0).textContent(), /user:2PRIMARYCOMPLETED/);
  assert.match(await text(page, 'tasks-per-revision'), /^user:2: 3 running/);
  assert.equal(await page.locator('[data-testid=revision-tasks][data-revision="user:1"]').count(), 0, 'the old revision is gone');
  assert.equal(await page.locator('[data-testid=task][data-service=user][data-revision="user:2"]').count(), 3);
  assert.equal(await page.locator('[data-testid=task].other-revision').count(), 0, 'every task runs its service\'s current revision');
  await page.locator('[data-testid=deployments]').scrollIntoViewIfNeeded();
  await screenshot(page, 'deploy-completed');

  await page.getByRole('button', { name: 'Force new deployment', exact: true }).click();
  await page.locator('[data-testid=deployment][data-status=PRIMARY][data-rollout=IN_PROGRESS]').waitFor();

  await jumpTo(page, '30s', '00:00:30.000');
  assert.equal(await deployments.count(), 1, 'rewinding before the deployment undoes it');
  assert.match(await deployments.nth(0).textContent(), /user:1PRIMARY/);
  assert.deepEqual(errors, []);
});

test('the plan preview never peaks above maximumPercent; a maximum under 100 % is refused as in the service editor', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  // order runs 6 tasks from 2m (the timeline scales it).
  await jumpTo(page, '2m30s', '00:02:30.000');
  await page.getByRole('button', { name: 'order', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  await page.getByLabel('Minimum healthy percent').fill('50');
  await page.getByLabel('Maximum percent').fill('100');
  assert.equal(await text(page, 'plan-max'), 'max 100 % of 6 = 6 tasks at most', 'nothing to round');
  assert.match(await text(page, 'plan-worst'), /Peak: 6 tasks pending or running \(maximum 6, 0 extra\)/);
  for (const row of await page.locator('[data-testid=plan-round]').all()) {
    const cells = await row.locator('td').allTextContents();
    assert.ok(Number(cells[5]) <= 6, `round ${cells.join(' ')} above the maximum`);
  }
  assert.match(await text(page, 'plan-outcome'), /^Expected to finish in /);
  await page.locator('[data-testid=plan-preview]').scrollIntoViewIfNeeded();
  await screenshot(page, 'deploy-plan-min50-max100-1920');

  await page.getByLabel('Maximum percent').fill('90');
  const alert = page.locator('[data-testid=deploy-panel] .field-error[role=alert]');
  assert.equal((await alert.textContent()).trim(), 'Maximum percent (maximumPercent): must be a whole number from 100 to 10000, found 90.');
  assert.equal(await page.locator('[data-testid=plan-preview]').count(), 0, 'no preview of numbers ECS refuses');
  assert.equal(await text(page, 'plan-waits'), 'The plan preview waits for a valid deployment configuration.');
  assert.ok(await page.getByRole('button', { name: 'Force new deployment', exact: true }).isDisabled());
  await screenshot(page, 'deploy-max-90-refused-1920');
  assert.deepEqual(errors, []);
});

test('a revision that crash-loops after RUNNING trips the breaker: "task failed to start.", rolled back; every row starts with its id', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  await page.getByLabel('Image of container user').fill('example.com/user:crashes');
  await page.locator('[data-testid=deploy-crash-after]').fill('15s');
  const breaker = page.locator('[data-testid=deploy-breaker]');
  if (!(await breaker.isChecked())) await breaker.check();
  await page.getByRole('button', { name: 'Deploy new revision', exact: true }).click();
  await jumpTo(page, '6m', '00:06:00.000');
  await page.getByRole('button', { name: 'user', exact: true }).click();
  const failed = page.locator('[data-testid=deployment][data-rollout=FAILED]');
  await failed.waitFor();
  assert.match(await failed.textContent(), /^user:2(ACTIVE|INACTIVE)FAILED$/);
  const reasons = (await page.locator('[data-testid=deployment-reason]').allTextContents()).map((r) => r.trim());
  assert.equal(reasons.length, 3, `reasons: ${reasons.join(' | ')}`);
  for (const reason of reasons) assert.match(reason, /^ecs-svc\/\d{19}: /, 'every row starts with its deployment id');
  assert.match(reasons[1], /^ecs-svc\/\d{19}: ECS deployment circuit breaker: task failed to start\.$/);
  assert.doesNotMatch(reasons.join('\n'), /health checks/, 'no health check was involved');
  // The rollback deployment (newest first) has run user:1 again and completed by now.
  assert.match(await page.locator('[data-testid=deployment]').first().textContent(), /^user:1PRIMARYCOMPLETED$/);
  await page.locator('[data-testid=deployments]').scrollIntoViewIfNeeded();
  await screenshot(page, 'deploy-breaker-crash-after-running');
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.locator('[data-testid=event-log] [data-testid=event]').first().waitFor();
  const log = (await eventTexts(page)).join('\n');
  assert.match(log, /ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d{19}\./);
  assert.match(log, /deploymentCircuitBreaker\(enable=true rollback=true\)/, 'the updateService line says what was set');
  assert.deepEqual(errors, []);
});
