// End-to-end tests of undo/redo of edits (toolbar buttons with what they undo, Ctrl+Z / Ctrl+Y
// outside text fields, the history surviving a reload, a link opened at startup undone back to
// the work it replaced), "Next decision" (lands on the first placement, marked in the log; step
// back returns; says so when no decision comes) and the deployment progress chart (series
// growing while a rolling deployment runs, the minimum and maximum lines, the summary in words).

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

async function openEditors(page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=fleet-editor]').waitFor();
}

/** Availability Zones shown in the fleet, in order. */
async function zones(page) {
  return page.$$eval('[data-testid=fleet] [data-testid=az]', (azs) => azs.map((az) => az.dataset.az));
}

/** The desired count shown for a service in the services table. */
async function desired(page, service) {
  return Number((await page.locator(`[data-testid=service-row][data-service=${service}] td.num`).first().textContent()).trim());
}

async function titleOf(page, testid) {
  return page.locator(`[data-testid=${testid}]`).getAttribute('title');
}

async function eventCount(page) {
  return page.locator('[data-testid=event-log] [data-testid=event]').count();
}

test('undo and redo edits, with what they undo named; the history survives a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  assert.deepEqual(await zones(page), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  assert.equal(await desired(page, 'order'), 3);
  assert.match(await titleOf(page, 'undo'), /^Nothing to undo\. .*undone by rewinding/);
  assert.equal(await page.locator('[data-testid=undo]').getAttribute('aria-disabled'), 'true');

  // The run's moment before the edit comes back with the undo.
  await jumpTo(page, '1m', '00:01:00.000');

  // Edit 1: two instances in a new AZ.
  await openEditors(page);
  await page.locator('[data-testid=fleet-count]').fill('2');
  await page.locator('[data-testid=fleet-type]').selectOption('m5.large');
  await page.locator('[data-testid=fleet-az]').fill('us-east-1d');
  await page.locator('[data-testid=fleet-add]').click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();
  assert.equal(await clockText(page), '00:01:00.000', 'a fleet edit keeps the clock (the run is replayed on the new fleet)');
  await page.getByRole('button', { name: 'Undo: add 2 × m5.large in us-east-1d' }).waitFor();
  assert.equal(await titleOf(page, 'undo'), 'Undo: add 2 × m5.large in us-east-1d (Ctrl+Z)');

  // Edit 2: order's desired count.
  await page.locator('[data-testid=edit-service]').selectOption('order');
  await page.locator('[data-testid=edit-desired]').fill('5');
  await page.locator('[data-testid=edit-apply]').click();
  await page.getByRole('button', { name: 'Undo: set order desired count 3 → 5' }).waitFor();
  assert.equal(await desired(page, 'order'), 5);
  assert.equal(await clockText(page), '00:00:00.000', 'a service edit restarts the run');
  await screenshot(page, 'playkeep-two-edits');

  // Ctrl+Z inside a text field is the field's own undo, not ours.
  const jump = page.getByLabel('Jump to time');
  await jump.fill('2m');
  await jump.press('Control+z');
  assert.equal(await desired(page, 'order'), 5, 'Ctrl+Z in a field does not undo an edit');
  await jump.fill('');

  // Undo both: the button, then Ctrl+Z with focus outside a field.
  await page.getByRole('button', { name: 'Undo: set order desired count 3 → 5' }).click();
  await page.getByRole('button', { name: 'Undo: add 2 × m5.large in us-east-1d' }).waitFor();
  assert.equal(await desired(page, 'order'), 3);
  assert.deepEqual(await zones(page), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']);
  assert.equal(await titleOf(page, 'redo'), 'Redo: set order desired count 3 → 5 (Ctrl+Shift+Z or Ctrl+Y)');
  await page.locator('[data-testid=clock]').click();
  await page.keyboard.press('Control+z');
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor({ state: 'detached' });
  assert.deepEqual(await zones(page), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  assert.equal(await clockText(page), '00:01:00.000', 'undo brings back the run as it was before the edit');
  assert.match(await titleOf(page, 'undo'), /^Nothing to undo\./);

  // Redo one (Ctrl+Y): the AZ is back, the desired count is not.
  await page.keyboard.press('Control+y');
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();
  assert.equal(await desired(page, 'order'), 3);
  assert.equal(await titleOf(page, 'redo'), 'Redo: set order desired count 3 → 5 (Ctrl+Shift+Z or Ctrl+Y)');
  assert.equal(await titleOf(page, 'undo'), 'Undo: add 2 × m5.large in us-east-1d (Ctrl+Z)');
  await screenshot(page, 'playkeep-undo-redo');

  // A reload keeps the working scenario and both directions of the history.
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  assert.deepEqual(await zones(page), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']);
  assert.equal(await titleOf(page, 'undo'), 'Undo: add 2 × m5.large in us-east-1d (Ctrl+Z)');
  await page.getByRole('button', { name: 'Redo: set order desired count 3 → 5' }).click();
  await page.getByRole('button', { name: 'Undo: set order desired count 3 → 5' }).waitFor();
  assert.equal(await desired(page, 'order'), 5);
  await page.getByRole('button', { name: 'Undo: set order desired count 3 → 5' }).click();
  await page.getByRole('button', { name: 'Undo: add 2 × m5.large in us-east-1d' }).click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor({ state: 'detached' });
  assert.equal(await desired(page, 'order'), 3);

  // Nothing left to undo (Ctrl+Z after acting on the world): the notice says actions are
  // undone by rewinding.
  await page.locator('[data-testid=clock]').click();
  await page.keyboard.press('Control+z');
  const notice = page.locator('[data-testid=info-banner]', { hasText: 'Nothing to undo.' });
  await notice.waitFor();
  assert.match(await notice.textContent(), /undone by rewinding/);
  await page.keyboard.press('Control+z');
  assert.equal(await notice.count(), 1, 'pressing again does not stack the banner');
  assert.deepEqual(errors, []);
});

test('a damaged stored history is reported and the working scenario stays', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=fleet-az]').fill('us-east-1d');
  await page.locator('[data-testid=fleet-add]').click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();
  await page.evaluate(() => localStorage.setItem('flotilla.edits', '{"version": 1, "undo": [{"label": "x", "scenario": {"version": 1}, "tape": []}], "redo": []}'));
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  const banner = page.locator('[data-testid=error-banner]', { hasText: 'Your undo history could not be restored' });
  await banner.waitFor();
  assert.match(await banner.textContent(), /undo\[0\]\.scenario/);
  assert.ok((await zones(page)).includes('us-east-1d'), 'the working scenario is kept');
  assert.match(await titleOf(page, 'undo'), /^Nothing to undo\./);
  assert.ok(await page.evaluate(() => localStorage.getItem('flotilla.edits.broken')), 'the damaged history is kept aside');
  assert.deepEqual(errors, []);
});

test('Next decision lands on the first placement; step back returns; no decision is said', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  const atStart = await eventCount(page);
  const button = page.getByRole('button', { name: 'Next decision' });
  assert.match(await button.getAttribute('title'), /\(Shift\+→\)$/);

  await button.click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=event-log] [data-testid=event]').length > n, atStart);
  assert.equal(await clockText(page), '00:00:00.000');
  const texts = await eventTexts(page);
  const placed = texts.filter((text) => /placed on/.test(text));
  assert.equal(placed.length, 3, `the order service's three placements: ${texts.slice(0, 6).join(' | ')}`);
  assert.match(texts[0], /\(service order\) has started 3 tasks/);
  assert.equal(await page.locator('[data-testid=event].decision').first().textContent(), texts[0], 'decisions are marked');
  await screenshot(page, 'playkeep-next-decision');

  // Three more (Shift+→ for one): user, shipping, then the first steady state, later in time.
  await button.click();
  await page.locator('body').press('Shift+ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid=event-log] [data-testid=event]')?.textContent.includes('(service shipping) has started'));
  await button.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').textContent.trim() !== '00:00:00.000');
  const first = (await eventTexts(page))[0];
  const clock = await clockText(page);
  assert.match(first, /steady state|deployment/, `the next decision: ${first}`);
  assert.ok(first.startsWith(clock), `the clock (${clock}) shows the decision's time: ${first}`);

  // Step back undoes one Next decision.
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').textContent.trim() === '00:00:00.000');
  assert.match((await eventTexts(page))[0], /\(service shipping\) has started/);

  // Past the last decision, it says none came instead of moving silently.
  await jumpTo(page, '30m', '00:30:00.000');
  const before = await eventCount(page);
  await button.click();
  const banner = page.locator('[data-testid=info-banner]', { hasText: 'No decision came.' });
  await banner.waitFor();
  const said = await banner.textContent();
  if (/Nothing is left to happen/.test(said)) {
    assert.equal(await eventCount(page), before);
  } else {
    // The default scenario's traffic never lets the world go idle: the search moved the clock
    // an hour, and what it logged on the way is the traffic's minute lines, no decision.
    assert.match(said, /Nothing was decided in the next 60 minutes of simulated time; the clock moved to 01:30:00\.000/);
    assert.equal(await clockText(page), '01:30:00.000');
    const added = (await eventTexts(page)).slice(0, (await eventCount(page)) - before);
    assert.ok(added.length > 0 && added.every((text) => /^\d\d:\d\d:\d\d\.\d{3} ?traffic \d\d:\d\d:\d\d\.\d{3} to /.test(text)), added.slice(0, 5).join(' | '));
  }
  await screenshot(page, 'playkeep-no-decision');
  assert.deepEqual(errors, []);
});

test('the deployment chart grows while a rolling deployment runs, with its bounds and summary', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    const { page, errors } = await openApp(t, { width, height });
    await waitForApp(page);
    await page.locator('[data-testid=library]').selectOption('rolling-fast');
    await page.locator('[data-testid=scenario-name]', { hasText: 'Fast rolling deploy' }).waitFor();
    await jumpTo(page, '2m5s', '00:02:05.000');
    await page.getByRole('button', { name: 'web', exact: true }).click();
    const chart = page.locator('[data-testid=deployment-chart]');
    await chart.waitFor();
    const segments = async (testid) =>
      (await chart.locator(`[data-testid=${testid}]`).first().getAttribute('d')).split(/[ML]/).filter(Boolean).length;
    const early = await segments('series-healthy');
    assert.equal(await chart.locator('figcaption').textContent(), 'Progress since 0:02:00');
    assert.equal(
      await chart.locator('[data-testid=deployment-summary]').textContent(),
      'fewest healthy 4 (minimum 4) at 00:02:00.000; peak 8 (maximum 8) at 00:02:00.000',
    );
    assert.match(await chart.locator('svg').getAttribute('aria-label'), /^Deployment progress: fewest healthy 4 \(minimum 4\)/);
    assert.ok(await chart.locator('[data-testid=line-minimum]').getAttribute('d'));
    assert.ok(await chart.locator('[data-testid=line-maximum]').getAttribute('d'));

    await jumpTo(page, '3m30s', '00:03:30.000');
    const later = await segments('series-healthy');
    assert.ok(later > early, `the healthy series grows: ${early} -> ${later} points`);
    const legend = await chart.locator('[data-testid=chart-legend]').textContent();
    assert.match(legend, /web:1 RUNNING.*web:2 RUNNING.*healthy.*minimum healthy.*PENDING or RUNNING.*maximum/);
    assert.equal(await chart.locator('[data-testid=series-revision]').count(), 2);
    assert.equal(
      await chart.locator('[data-testid=deployment-summary]').textContent(),
      'fewest healthy 4 (minimum 4) at 00:02:00.000; peak 8 (maximum 8) at 00:02:00.000',
    );
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, `playkeep-deployment-chart-${width}x${height}`);
    assert.deepEqual(errors, []);
  }
});

test('a link opened at startup leaves the work as it was, one click away', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=fleet-az]').fill('us-east-1d');
  await page.locator('[data-testid=fleet-add]').click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();

  // A link to another scenario, opened in a fresh load of the page.
  await page.locator('[data-testid=library]').selectOption('rolling-fast');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Fast rolling deploy' }).waitFor();
  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.locator('[data-testid=share-link]').inputValue();
  await page.getByRole('button', { name: /^Undo: open “Fast rolling deploy/ }).click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();
  await page.goto('about:blank');
  await page.goto(link, { waitUntil: 'load' });
  await waitForApp(page);
  await page.locator('[data-testid=scenario-name]', { hasText: 'Fast rolling deploy' }).waitFor();
  // The link is its own document: its history starts with it, the work is not an Undo away but
  // a click away.
  assert.match(await titleOf(page, 'undo'), /^Nothing to undo/);

  await page.locator('[data-testid=your-work]').click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor();
  assert.equal(await page.locator('[data-testid=scenario-name]').textContent(), 'Order, User and Shipping microservices');
  assert.match(await titleOf(page, 'undo'), /^Undo: /, "the work's own undo history came back with it");
  assert.deepEqual(errors, []);
});
