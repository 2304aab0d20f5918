// End-to-end tests of branching: fork the run at a moment, change this run (its scenario, or a
// failure on the timeline), and compare the two side by side at the same simulated time: per
// service counts, the fleet per Availability Zone and the events since the fork, with what
// differs highlighted.

import assert from 'node:assert/strict';
import test from 'node:test';
import { jumpTo, openApp, parseClock, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const FORK = 'Fork (as it was branched, run to the same time)';
const THIS = 'This run (changed)';

/** A service's desired/running/pending on both sides, and whether each is highlighted. */
async function service(page, name) {
  const side = async (testid) => {
    const tr = page.locator(`[data-testid=${testid}] [data-testid=compare-service][data-service="${name}"]`);
    const out = {};
    for (const figure of ['desired', 'running', 'pending']) {
      const cell = tr.locator(`[data-testid=${figure}]`);
      out[figure] = Number(await cell.getAttribute('data-value'));
      out[`${figure}Differs`] = (await cell.getAttribute('class')).includes('differs');
    }
    return out;
  };
  return { fork: await side('compare-fork'), run: await side('compare-this-run') };
}

/** Live tasks per service in one AZ on one side, as the compact fleet words them. */
async function zoneTasks(page, testid, az) {
  const counts = page.locator(`[data-testid=${testid}] [data-testid=compare-zone][data-az=${az}] > .compare-row .task-count`);
  const out = {};
  for (const count of await counts.all()) {
    out[await count.getAttribute('data-service')] = Number(await count.locator('[data-testid=zone-tasks]').getAttribute('data-value'));
  }
  return out;
}

test('branch the run, change this one, compare both at the same time', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Branch here' }).click();
  await page.getByRole('heading', { name: FORK }).waitFor();
  await page.getByRole('heading', { name: THIS }).waitFor();
  const same = await service(page, 'user');
  assert.equal(same.fork.running, 3);
  assert.equal(same.run.running, 3);
  assert.equal(same.run.runningDiffers, false);

  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=edit-service]').selectOption('user');
  await page.locator('[data-testid=edit-desired]').fill('5');
  await page.locator('[data-testid=edit-apply]').click();
  await jumpTo(page, '2m', '00:02:00.000');

  await page.getByRole('tab', { name: 'Compare' }).click();
  assert.match(await page.locator('[data-testid=compare] h2').textContent(), /both at 00:02:00\.000, forked at 00:01:00\.000/);
  const user = await service(page, 'user');
  assert.deepEqual([user.fork.desired, user.run.desired, user.run.desiredDiffers, user.fork.desiredDiffers], [3, 5, true, true]);
  assert.deepEqual([user.fork.running, user.run.running, user.run.runningDiffers], [3, 5, true]);
  const shipping = await service(page, 'shipping');
  assert.deepEqual([shipping.fork.running, shipping.run.running, shipping.run.runningDiffers], [2, 2, false]);
  // The compact fleet: the user tasks per AZ add up to each side's running count.
  const userTasks = async (testid) => {
    let sum = 0;
    for (const az of await page.locator(`[data-testid=${testid}] [data-testid=compare-zone]`).evaluateAll((zs) => zs.map((z) => z.dataset.az))) {
      sum += (await zoneTasks(page, testid, az)).user ?? 0;
    }
    return sum;
  };
  assert.equal(await userTasks('compare-fork'), 3);
  assert.equal(await userTasks('compare-this-run'), 5);
  // The screen reader hears which figures differ.
  assert.match(await page.locator('[data-testid=compare-this-run] [data-service=user] [data-testid=desired]').textContent(), /^5 \(differs\)$/);
  await screenshot(page, 'compare-branches');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'compare-branches-1920');

  await page.getByRole('button', { name: 'Drop the branch' }).click();
  await page.getByRole('button', { name: 'Branch here' }).waitFor();
  assert.deepEqual(errors, []);
});

test('lose an AZ after the fork: the fleet and the events since the fork differ', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Branch here' }).click();
  await page.getByRole('heading', { name: FORK }).waitFor();
  for (const testid of ['compare-fork', 'compare-this-run']) {
    assert.equal(await page.locator(`[data-testid=${testid}] [data-testid=compare-event]`).count(), 0, 'no events since the fork yet');
  }

  await page.getByRole('button', { name: 'Lose AZ us-east-1a' }).click();
  await jumpTo(page, '2m', '00:02:00.000');
  const instances = (testid, status) =>
    page.locator(`[data-testid=${testid}] [data-testid=compare-instances] [data-testid=instances-${status}]`).getAttribute('data-value');
  const inactiveHere = Number(await instances('compare-this-run', 'inactive'));
  assert.ok(inactiveHere > 0, 'the lost AZ\'s instances are INACTIVE in this run');
  assert.equal(await instances('compare-fork', 'inactive'), '0');
  assert.match(await page.locator('[data-testid=compare-this-run] [data-testid=instances-inactive]').first().getAttribute('class'), /differs/);
  // This run has no task left in the lost AZ; the fork still has its tasks there.
  assert.deepEqual(await zoneTasks(page, 'compare-this-run', 'us-east-1a'), {});
  assert.ok(Object.values(await zoneTasks(page, 'compare-fork', 'us-east-1a')).reduce((a, b) => a + b, 0) > 0);
  // The events since the fork, newest first, on both sides; this run's begin with the loss.
  const times = async (testid) =>
    (await page.locator(`[data-testid=${testid}] [data-testid=compare-event] time`).allTextContents()).map(parseClock);
  for (const testid of ['compare-fork', 'compare-this-run']) {
    const seen = await times(testid);
    assert.ok(seen.length > 0 && seen.length <= 30, `${testid}: bounded list of events`);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), `${testid}: newest first`);
    assert.ok(seen.every((at) => at >= 60_000 && at <= 120_000), `${testid}: only events after the fork`);
  }
  const oldest = await page.locator('[data-testid=compare-this-run] [data-testid=compare-event]').last().textContent();
  const all = await page.locator('[data-testid=compare-this-run] h4 [data-testid=events-since]').getAttribute('data-value');
  if (Number(all) <= 30) assert.match(oldest, /us-east-1a/, 'the first event after the fork is the AZ loss');
  // The loss and what followed from it are marked as missing from the fork.
  const marked = page.locator('[data-testid=compare-this-run] [data-testid=compare-event].only-here');
  assert.ok((await marked.count()) > 0);
  assert.match(await marked.first().textContent(), /\(not on the other side\)$/);
  await screenshot(page, 'compare-az-lost');
  assert.deepEqual(errors, []);
});

test('a fleet of 1,000 instances is compared per AZ in totals, quickly', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const scenario = {
    version: 1,
    name: 'Compare at scale',
    seed: 1,
    fleet: zones.map((zone, i) => ({ instanceType: 'm5.4xlarge', availabilityZone: zone, count: i === 0 ? 334 : 333 })),
    taskDefinitions: ['web', 'api'].map((family) => ({ family, containerDefinitions: [{ name: 'app', image: 'example.com/app:1', cpu: 128, memory: 256 }] })),
    services: ['web', 'api'].map((name) => ({ serviceName: name, taskDefinition: `${name}:1`, desiredCount: 1_500 })),
  };
  await page.locator('[data-testid=open-file]').setInputFiles({ name: 'scale.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Compare at scale' }).waitFor();
  await jumpTo(page, '30s', '00:00:30.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Branch here' }).click();
  await page.getByRole('heading', { name: THIS }).waitFor();
  assert.equal(await page.locator('[data-testid=compare-instance]').count(), 0, 'no row per instance at this size');
  assert.equal(await page.locator('[data-testid=compare-zone-summarised]').count(), 6);
  assert.equal(await page.locator('[data-testid=compare-this-run] [data-testid=compare-instances] [data-testid=instances-active]').getAttribute('data-value'), '1000');
  // One step with the comparison on screen: simulate both runs and render, timed to layout.
  const ms = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const start = performance.now();
        new MutationObserver((_, observer) => {
          observer.disconnect();
          void document.body.offsetHeight;
          resolve(performance.now() - start);
        }).observe(document.querySelector('.flotilla'), { subtree: true, childList: true, characterData: true });
        document.querySelector('[data-testid=step]').click();
      }),
  );
  console.log(`step with the comparison shown at 1,000 instances: ${ms.toFixed(1)} ms`);
  assert.ok(ms < 1_000, `a step took ${ms} ms`);
  await screenshot(page, 'compare-1000-instances');
  assert.deepEqual(errors, []);
});

/** The headline's cell of one figure for a service on one side: its data-value and whether it is highlighted. */
async function headlineCell(page, service, testid, side) {
  const cell = page.locator(`[data-testid=headline-service][data-service="${service}"] [data-testid=${testid}][data-side=${side}]`);
  return {
    value: await cell.getAttribute('data-value'),
    text: (await cell.textContent()).trim(),
    differs: (await cell.locator('.figure').getAttribute('class')).includes('differs'),
  };
}

// Issue 13 item 15: rolling 50/100 against 0/100. The per-service counts at a moment say little;
// the headline leads with what differs: no healthy task for 54 s, finished at 2:54 instead of 3:48.
test('the headline leads: fewest healthy and for how long, when the deployment finished, each side\'s policy', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption('rolling-minimal-cost');
  await page.locator('[data-testid=scenario-name]', { hasText: 'minimal resource cost' }).waitFor();
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Branch here' }).click();
  await page.getByRole('heading', { name: THIS }).waitFor();

  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=edit-service]').selectOption('web');
  await page.locator('[data-testid=edit-min-healthy]').fill('0');
  await page.locator('[data-testid=edit-apply]').click();
  await jumpTo(page, '4m', '00:04:00.000');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.locator('[data-testid=compare-headline]').waitFor();

  const policy = { fork: await headlineCell(page, 'web', 'headline-policy', 'fork'), run: await headlineCell(page, 'web', 'headline-policy', 'this-run') };
  assert.equal(policy.fork.value, 'rolling min 50 % / max 100 %');
  assert.equal(policy.run.value, 'rolling min 0 % / max 100 %');
  assert.ok(policy.run.differs);
  assert.match(await page.locator('[data-testid=compare-this-run] [data-testid=compare-side-policy]').textContent(), /web: rolling min 0 % \/ max 100 %/);
  assert.match(await page.locator('[data-testid=compare-fork] [data-testid=compare-side-policy]').textContent(), /web: rolling min 50 % \/ max 100 %/);

  const fewest = { fork: await headlineCell(page, 'web', 'headline-fewest-healthy', 'fork'), run: await headlineCell(page, 'web', 'headline-fewest-healthy', 'this-run') };
  assert.equal(fewest.run.value, '0/54000', 'no healthy task for 54 s');
  assert.match(fewest.run.text, /^0 of 4 for 54s/);
  assert.match(fewest.fork.value, /^2\//, 'half the tasks stay healthy at 50 %');
  assert.ok(fewest.run.differs && fewest.fork.differs);

  const deployment = { fork: await headlineCell(page, 'web', 'headline-deployment', 'fork'), run: await headlineCell(page, 'web', 'headline-deployment', 'this-run') };
  assert.equal(deployment.run.value, `finished ${2 * 60_000 + 54_000}`, 'finished at 2:54');
  assert.equal(deployment.fork.value, `finished ${3 * 60_000 + 48_000}`, 'finished at 3:48');
  assert.match(deployment.run.text, /^finished at 00:02:54\.000, 54s after it began at 00:02:00\.000/);
  assert.ok(deployment.run.differs);

  const peak = await headlineCell(page, 'web', 'headline-peak', 'this-run');
  assert.deepEqual([peak.value, peak.differs], ['4', false], 'max 100 %: never an extra task on either side');
  assert.equal((await headlineCell(page, 'web', 'headline-unplaced', 'fork')).value, '0');
  const onlyHere = page.locator('[data-testid=headline-events-only-here][data-side=this-run]');
  assert.ok(Number(await onlyHere.getAttribute('data-value')) > 0, 'the changed run has events the fork lacks');
  await page.locator('[data-testid=compare-headline]').scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-headline');
  assert.deepEqual(errors, []);
});
