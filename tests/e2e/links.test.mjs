// End-to-end tests of share links and notices (issue 13, items 5, 6, 18 and 19): a link opens
// as its own document and never replaces the user's work in storage (two links in a row, two
// embedded links, two tabs), the work stays one click away ("Back to your work"); one notice per
// subject (a new share link replaces the old one's notice, loading another scenario drops it,
// repeated bad counts give one banner that says the range), the link is copied to the clipboard;
// Step at the end of a run says so; the slider reaches the scenario's horizon and shows its
// scripted events; the fleet legend uses neutral labels; work an earlier version kept aside when a
// link replaced it (`flotilla.autosave.previous`) is offered again. Every assertion is on what the
// user sees.

import assert from 'node:assert/strict';
import test from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { BASE_URL, clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

/** A small valid scenario named `name`, as a user might write it. */
function scenario(name, extra = {}) {
  return {
    version: 1,
    name,
    seed: 7,
    fleet: [{ instanceType: 'm5.large', availabilityZone: 'eu-west-1a', count: 2 }],
    taskDefinitions: [
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'example.com/web:1', cpu: 256, memory: 512 }] },
    ],
    services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }],
    ...extra,
  };
}

function linkFor(value) {
  return `${BASE_URL}#s=${deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url')}`;
}

async function scenarioName(page) {
  return (await page.locator('[data-testid=scenario-name]').textContent()).trim();
}

async function openFile(page, value) {
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'work.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(value)),
  });
}

/** The user's own work: a scenario of theirs with one action on the run (scale web to 5). */
async function makeWork(page) {
  await openFile(page, scenario('My work'));
  await page.locator('[data-testid=scenario-name]', { hasText: 'My work' }).waitFor();
  await page.locator('[data-testid=service-row][data-service=web] button').click();
  await page.getByLabel('Desired count').fill('5');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=action]', { hasText: 'Scale web to 5' }).waitFor();
}

async function assertWork(page, what) {
  assert.equal(await scenarioName(page), 'My work', `${what}: the user's scenario`);
  assert.deepEqual(
    (await page.locator('[data-testid=action]').allTextContents()).map((text) => text.replace(/^\S+ /, '')),
    ['Scale web to 5'],
    `${what}: the user's actions`,
  );
}

test('two links opened in a row never replace the work, which is one click away', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await makeWork(page);

  await page.goto(linkFor(scenario('Link one')), { waitUntil: 'load' });
  await waitForApp(page);
  assert.equal(await scenarioName(page), 'Link one');
  await page.goto(linkFor(scenario('Link two')), { waitUntil: 'load' });
  await waitForApp(page);
  assert.equal(await scenarioName(page), 'Link two');
  const banner = page.locator('[data-testid=info-banner]', { hasText: 'from the link' });
  assert.equal(await banner.count(), 1, 'one notice about the link, not one per link');
  assert.match(await banner.textContent(), /Link two.*your work is kept as it was/s);
  await screenshot(page, 'links-second-link-1280');

  // The work is one click away, and the link's edits never reached it.
  await page.locator('[data-testid=your-work]').click();
  await page.locator('[data-testid=scenario-name]', { hasText: 'My work' }).waitFor();
  await assertWork(page, 'after Back to your work');
  assert.equal(await page.locator('[data-testid=your-work]').count(), 0, 'no way back needed once back');
  assert.equal(await banner.count(), 0, 'the notice about the link went with it');

  // A reload (no link) keeps the work.
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await assertWork(page, 'after a reload');
  assert.deepEqual(errors, []);
});

test('two embedded links on one page leave the work as it was', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await makeWork(page);

  // A page embedding two share links (the case: iframes of the app, one after the other).
  const embedding = await page.context().newPage();
  await embedding.goto(`${BASE_URL}?embed`, { waitUntil: 'load' });
  await embedding.setContent(
    `<iframe id="a" src="${linkFor(scenario('Link one'))}" width="800" height="400"></iframe>` +
      `<iframe id="b" src="${linkFor(scenario('Link two'))}" width="800" height="400"></iframe>`,
  );
  for (const id of ['a', 'b']) {
    const frame = embedding.frameLocator(`#${id}`);
    await frame.locator('[data-testid=fleet] [data-testid=instance]').first().waitFor();
  }
  assert.equal(await embedding.frameLocator('#b').locator('[data-testid=scenario-name]').textContent(), 'Link two');
  await embedding.close();

  // The app opened afterwards, in a new tab, opens the user's work, not the last link.
  const later = await page.context().newPage();
  await later.goto(BASE_URL, { waitUntil: 'load' });
  await waitForApp(later);
  await assertWork(later, 'a new tab after two embedded links');
  assert.equal(await later.locator('[data-testid=your-work]').count(), 0);
  await later.close();
  assert.deepEqual(errors, []);
});

test('a link in a second tab is its own document; both tabs keep their work', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await makeWork(page);

  const other = await page.context().newPage();
  other.on('pageerror', (error) => errors.push(`page error (second tab): ${error.message}`));
  await other.setViewportSize({ width: 1920, height: 1080 });
  await other.goto(linkFor(scenario('Link one')), { waitUntil: 'load' });
  await waitForApp(other);
  assert.equal(await scenarioName(other), 'Link one');
  // An action in the link's tab stays in that tab's document.
  await other.locator('[data-testid=service-row][data-service=web] button').click();
  await other.getByLabel('Desired count').fill('3');
  await other.getByRole('button', { name: 'Scale', exact: true }).click();
  await other.locator('[data-testid=action]', { hasText: 'Scale web to 3' }).waitFor();
  await screenshot(other, 'links-second-tab-1920');

  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await assertWork(page, 'the first tab after the second opened a link');

  await other.reload({ waitUntil: 'load' });
  await waitForApp(other);
  assert.equal(await scenarioName(other), 'Link one', 'a reload of the link tab keeps its document');
  await other.locator('[data-testid=action]', { hasText: 'Scale web to 3' }).waitFor();
  await other.locator('[data-testid=your-work]').click();
  await other.locator('[data-testid=scenario-name]', { hasText: 'My work' }).waitFor();
  await assertWork(other, 'the link tab after Back to your work');
  await other.close();
  assert.deepEqual(errors, []);
});

test('a fresh browser opening a link is not told of previous work', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.goto('about:blank');
  await page.goto(linkFor(scenario('Link one')), { waitUntil: 'load' });
  await waitForApp(page);
  const banner = page.locator('[data-testid=info-banner]', { hasText: 'from the link' });
  assert.doesNotMatch(await banner.textContent(), /previous work|your work is kept/i);
  assert.equal(await page.locator('[data-testid=your-work]').count(), 0);
  assert.deepEqual(errors, []);
});

test('one notice per subject; the share link is copied to the clipboard', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE_URL).origin });
  await waitForApp(page);
  const share = page.locator('[data-testid=info-banner]', { hasText: 'Share link ready' });
  await page.getByRole('button', { name: 'Share link' }).click();
  await share.waitFor();
  await page.getByRole('button', { name: 'Share link' }).click();
  await page.locator('[data-testid=info-banner]', { hasText: 'copied to the clipboard' }).waitFor();
  assert.equal(await share.count(), 1, 'a second share replaces the first notice');
  const link = await page.locator('[data-testid=share-link]').inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link');

  await page.locator('[data-testid=library]').selectOption('rolling-fast');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Fast rolling deploy' }).waitFor();
  assert.equal(await share.count(), 0, "the old scenario's share link is gone");
  // A long name is cut in the one-row header at 1280, never wrapped onto a second row.
  const header = await page.locator('header.toolbar').boundingBox();
  assert.ok(header.height < 60, `header height ${header.height}`);
  const hint = page.locator('[data-testid=actions] .hint');
  assert.ok(await hint.evaluate((node) => node.scrollWidth <= node.clientWidth), 'the actions hint is not cut');

  // Three bad counts: one banner, naming the range.
  await page.locator('[data-testid=service-row] button').first().click();
  for (const text of ['1e9', '100001', '4294967296']) {
    await page.getByLabel('Desired count').fill(text);
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await page.locator('[data-testid=error-banner]', { hasText: `\u201c${text}\u201d` }).waitFor();
  }
  const bad = page.locator('[data-testid=error-banner]');
  assert.equal(await bad.count(), 1, 'one notice for the desired count, replaced');
  assert.match(await bad.textContent(), /“4294967296”: give a whole number of tasks from 0 to 100000/);
  await screenshot(page, 'links-one-notice-1280');
  assert.deepEqual(errors, []);
});

test('the slider reaches the horizon and marks scripted events; Step at the end says so', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const scripted = scenario('Scripted', {
    duration: '10m',
    timeline: [
      { at: '2m', action: { updateService: { service: 'web', desiredCount: 1 } } },
      { at: '4m', action: { terminateInstance: { instance: 'i-00000000000000001' } } },
    ],
  });
  await openFile(page, scripted);
  const problem = page.locator('[data-testid=error-banner]');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Scripted' }).or(problem).first().waitFor();
  assert.equal(await problem.count(), 0, await problem.first().textContent().catch(() => ''));
  const scrubber = page.locator('[data-testid=scrubber]');
  assert.equal(await scrubber.getAttribute('max'), String(10 * 60_000), 'the slider spans the duration');
  const markers = page.locator('[data-testid=scripted-marker]');
  assert.equal(await markers.count(), 2);
  assert.match(await markers.first().getAttribute('data-label'), /0:02:00.*web/);
  assert.match(await page.locator('.scripted-label').first().textContent(), /web/);
  await screenshot(page, 'links-scripted-markers-1280');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'links-scripted-markers-1920');

  // The neutral legend: no chip looks like a task id.
  const legend = await page.locator('[data-testid=fleet-legend] .sample').allTextContents();
  assert.ok(legend.every((label) => !/^t\d+$/.test(label)), `legend labels ${legend}`);

  // A run with nothing left to happen: Step says so.
  await openFile(page, { ...scenario('Idle'), services: [] });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Idle' }).waitFor();
  await page.locator('[data-testid=next-decision]').click();
  for (let i = 0; i < 3; i += 1) await page.locator('[data-testid=step]').click();
  await page.locator('[data-testid=info-banner]', { hasText: 'Nothing is left to happen' }).first().waitFor();
  assert.equal(await page.locator('[data-testid=info-banner]', { hasText: 'Nothing is left to happen.' }).count(), 1);
  assert.deepEqual(errors, []);
});

test('an import error without a path shows no empty code chip', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('AWS JSON to import').fill('{"services": [');
  const failed = page.locator('[data-testid=import-errors] li');
  await failed.first().waitFor();
  const paths = await page.locator('[data-testid=import-errors] code.path').allTextContents();
  assert.ok(paths.every((path) => path.trim() !== ''), `code chips: ${JSON.stringify(paths)}`);
  assert.ok((await failed.first().textContent()).trim().length > 0);
  await screenshot(page, 'links-import-error-1280');
  assert.deepEqual(errors, []);
});

test("the chart's zero count is clear of its first time label", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption('rolling-fast');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Fast rolling deploy' }).waitFor();
  await jumpTo(page, '3m30s', '00:03:30.000');
  await page.getByRole('button', { name: 'web', exact: true }).click();
  const chart = page.locator('[data-testid=deployment-chart]');
  await chart.waitFor();
  await chart.scrollIntoViewIfNeeded();
  const zero = await chart.locator('[data-testid=y-tick]', { hasText: /^0$/ }).boundingBox();
  const first = await chart.locator('[data-testid=x-tick]').first().boundingBox();
  // Beside each other "0" and "0:02:00" read as one "00:02:00".
  assert.ok(zero.y + zero.height + 4 <= first.y, `zero label ${JSON.stringify(zero)}, time label ${JSON.stringify(first)}`);
  await screenshot(page, 'links-chart-axes-1280');
  assert.deepEqual(errors, []);
});

// Before links became documents of their own, a link replaced the user's work and an earlier
// version kept that work under `flotilla.autosave.previous`. It stays reachable: the library
// offers it, it opens with its run replayed, and Undo goes back.
test('work an earlier version kept aside for a link is offered in the library and opens with its run', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const offered = page.locator('[data-testid=library] option', { hasText: 'Work kept from before a link' });
  assert.equal(await offered.count(), 0, 'nothing to offer in a fresh browser');
  const kept = { version: 1, scenario: scenario('Kept before a link'), tape: [{ runUntil: { at_ms: 90_000 } }] };
  await page.evaluate((text) => localStorage.setItem('flotilla.autosave.previous', text), JSON.stringify(kept));
  await page.reload();
  await waitForApp(page);
  const before = await scenarioName(page);
  assert.equal(await offered.count(), 1);
  await page.locator('[data-testid=library]').selectOption({ label: 'Work kept from before a link (earlier version)' });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Kept before a link' }).waitFor();
  assert.equal(await clockText(page), '00:01:30.000', 'its run is replayed');
  assert.match(await page.locator('[data-testid=info-banner]', { hasText: 'work kept from before a link' }).textContent(), /Undo goes back/);
  await screenshot(page, 'links-previous-work');
  await page.getByRole('button', { name: /^Undo/ }).click();
  await page.locator('[data-testid=scenario-name]', { hasText: before }).waitFor();

  // A copy that cannot be read says so and changes nothing.
  await page.evaluate(() => localStorage.setItem('flotilla.autosave.previous', '{"version": 1, "scenario": {"version": 1}}'));
  await page.reload();
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption({ label: 'Work kept from before a link (earlier version)' });
  await page.locator('[data-testid=error-banner]', { hasText: 'could not be read' }).waitFor();
  assert.equal(await scenarioName(page), before);
  assert.deepEqual(errors, []);
});
