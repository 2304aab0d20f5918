// End-to-end tests of the game day (components/gameday_panel.rs, opened from the Lessons list):
// the built-in release-day opens its scenario as the tab's own document; "Run the campaign"
// scores the starting policy (15 / 100, as `flotilla gameday` and the core's tests say) and ends
// the clock at the run's end; a loss moves the clock to its moment; the policy changed with the
// service and fleet editors (minimum 100 %, maximum 200 %, the circuit breaker with rollback, two
// more instances in us-east-1c) scores 80 and passes; a change the game day does not allow is
// named with its path; axe finds nothing serious; at 800×600, a loss clicked says where the
// clock went and brings the services and fleet into view on request, and "Open the editors"
// brings the service editor into view; screenshots at 1280×720 and 800×600.

import assert from 'node:assert/strict';
import test from 'node:test';
import { assertNoViolations, axeViolations, clockText, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 240_000;
const ID = 'gameday:release-day';

/** Opens the Lessons list and starts the game day; waits for its panel. */
async function openGameDay(page) {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator(`[data-testid=gameday-item][data-lesson="${ID}"] [data-testid=gameday-open]`).click();
  await page.locator('[data-testid=gameday-panel]').waitFor();
}

/** Runs the campaign; waits for a score (or the policy's problems) and returns its text. */
async function runCampaign(page) {
  await page.getByTestId('gameday-run').click();
  const result = page.locator('[data-testid=gameday-score], [data-testid=gameday-problems]');
  await result.waitFor({ timeout: 30_000 });
  return result.textContent();
}

/** Opens the Edit tab from the panel and sets web's deployment settings. */
async function editService(page, { min, max, breaker }) {
  await page.getByTestId('gameday-edit').click();
  await page.locator('[data-testid=service-editor]').waitFor();
  await page.locator('[data-testid=edit-min-healthy]').fill(min);
  await page.locator('[data-testid=edit-max-percent]').fill(max);
  if (breaker) {
    await page.locator('[data-testid=edit-breaker]').check();
    await page.locator('[data-testid=edit-breaker-rollback]').check();
  }
  await page.locator('[data-testid=edit-apply]').click();
}

test('the game day scores the starting policy, jumps to a loss and scores a better policy set with the editors', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const workName = await page.getByTestId('scenario-name').textContent();
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('[data-testid=gameday-item]').waitFor();
  assert.deepEqual(await page.locator('[data-testid=gameday-item]').evaluateAll((items) => items.map((i) => i.dataset.lesson)), [ID]);
  await page.getByTestId('lessons-close').click();
  await openGameDay(page);
  // The game day's scenario is this tab's own document; the user's work is one click away.
  assert.match(await page.getByTestId('scenario-name').textContent(), /Rolling deploy at minimal resource cost/);
  assert.notEqual(await page.getByTestId('scenario-name').textContent(), workName);
  await screenshot(page, 'gameday-panel-1280');

  // The starting policy: 15 / 100, not passed; the clock at the run's end.
  const first = await runCampaign(page);
  assert.match(first, /Score: 15 \/ 100 — not passed \(pass score 60\)/);
  assert.match(first, /lost: availability −67, failed launches −11, cost −7/);
  assert.equal(await clockText(page), '00:15:00.000');
  const losses = page.locator('[data-testid=gameday-loss]');
  assert.equal(await losses.count(), 9);
  await screenshot(page, 'gameday-score-1280');
  // A loss moves the clock to its moment: the bad build's stretch below required, at 6:00.
  const badBuild = losses.filter({ hasText: 'up to 2 of 3 required healthy tasks of web missing' });
  assert.equal(await badBuild.getAttribute('data-at'), '360000');
  await badBuild.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:06:00.000');
  // The run can be scrubbed on from there, and the score stays.
  assert.match(await page.getByTestId('gameday-total').textContent(), /15 \/ 100/);

  // A better policy with the editors: min 100 %, max 200 %, the circuit breaker with rollback...
  await editService(page, { min: '100', max: '200', breaker: true });
  await page.getByTestId('gameday-stale').waitFor();
  // ... and two m5.large in a third zone.
  await page.locator('[data-testid=fleet-count]').fill('2');
  await page.locator('[data-testid=fleet-type]').selectOption('m5.large');
  await page.locator('[data-testid=fleet-az]').fill('us-east-1c');
  await page.locator('[data-testid=fleet-add]').click();
  await page.locator('[data-testid=az][data-az=us-east-1c]').waitFor();
  const second = await runCampaign(page);
  assert.match(second, /Score: 80 \/ 100 — passed \(pass score 60\)/);
  assert.match(second, /lost: availability −1, failed launches −8, cost −11/);
  assert.equal(await page.getByTestId('gameday-stale').count(), 0);
  const zoneLost = losses.filter({ hasText: 'availability' });
  assert.equal(await zoneLost.count(), 1);
  await zoneLost.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:10:00.000');
  await page.getByTestId('gameday-panel').scrollIntoViewIfNeeded();
  await screenshot(page, 'gameday-better-1280');

  // Leaving goes back to the user's own work.
  await page.getByTestId('lesson-leave').click();
  await page.locator('[data-testid=gameday-panel]').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('scenario-name').textContent(), workName);
  assert.deepEqual(errors, []);
});

test('a policy that changes what the game day does not allow is named with its path', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openGameDay(page);
  await page.getByTestId('gameday-edit').click();
  await page.locator('[data-testid=edit-desired]').fill('8');
  await page.locator('[data-testid=edit-apply]').click();
  const problems = await runCampaign(page);
  assert.match(problems, /services\[0\]\.desiredCount: the game day does not let you change this \(it is 4\)/);
  assert.equal(await clockText(page), '00:00:00.000', 'nothing ran');
  assert.deepEqual(errors, []);
});

test('axe finds no serious or critical violation with the game day listed, open and scored', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('[data-testid=gameday-item]').waitFor();
  await page.locator('[data-testid=gameday-item]').scrollIntoViewIfNeeded();
  await screenshot(page, 'gameday-list-1280');
  const found = { list: await axeViolations(page) };
  await page.locator('[data-testid=gameday-open]').click();
  await page.locator('[data-testid=gameday-panel]').waitFor();
  found.panel = await axeViolations(page);
  await runCampaign(page);
  found.score = await axeViolations(page);
  assertNoViolations(found);
  assert.deepEqual(errors, []);
});

test('at 800×600 the panel and its score fit the window', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 800, height: 600 });
  await waitForApp(page);
  await openGameDay(page);
  await screenshot(page, 'gameday-panel-800');
  // A newcomer is told where to start; the line goes once the campaign has run.
  const start = page.getByTestId('gameday-panel').getByText('Run it as it is first');
  await start.waitFor();
  await runCampaign(page);
  assert.equal(await start.count(), 0);
  await page.getByTestId('gameday-score').scrollIntoViewIfNeeded();
  await screenshot(page, 'gameday-score-800');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  for (const id of ['gameday-run', 'gameday-edit', 'lesson-leave']) {
    const box = await page.getByTestId(id).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 800, `${id} is inside the window`);
  }
  const loss = await page.getByTestId('gameday-loss').first().boundingBox();
  assert.ok(loss && loss.x + loss.width <= 800, 'a loss is inside the window');

  // The services, fleet and clock are far below the panel here: a loss clicked says where the
  // clock went, right under it, and offers the way to what to look at.
  const badBuild = page.getByTestId('gameday-loss').filter({ hasText: 'up to 2 of 3 required healthy tasks of web missing' });
  await badBuild.click();
  const note = page.getByTestId('gameday-at-loss');
  await note.waitFor();
  assert.match(await note.textContent(), /The clock is at 6:00, where this loss begins/);
  assert.equal(await badBuild.getAttribute('aria-pressed'), 'true');
  assert.ok(await inView(page, '[data-testid=gameday-at-loss]'), 'the line is on screen where the loss was clicked');
  assert.ok(!(await inView(page, 'section.services')), 'the services start off screen');
  await page.getByTestId('gameday-show-run').click();
  await page.waitForFunction(() => {
    const box = document.querySelector('section.services')?.getBoundingClientRect();
    return box && box.top < window.innerHeight / 4 && box.bottom > 0;
  });
  assert.ok(await inView(page, '[data-testid=fleet]'), 'the fleet shows under the services');
  await screenshot(page, 'gameday-at-loss-800');
  // The clock moved on from the loss's moment: the line no longer says where the clock is.
  await page.getByTestId('jump-input').fill('6m30s');
  await page.getByTestId('jump').click();
  await note.waitFor({ state: 'detached' });

  // "Open the editors" brings the service editor into view, not only its tab.
  await page.getByTestId('gameday-edit').scrollIntoViewIfNeeded();
  await page.getByTestId('gameday-edit').click();
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid=service-editor]')?.getBoundingClientRect();
    return box && box.top < window.innerHeight && box.bottom > 0;
  });
  await screenshot(page, 'gameday-editors-800');
  assert.deepEqual(errors, []);
});

/** Whether the element `selector` names shows, at least in part, in the window. */
async function inView(page, selector) {
  return page.evaluate((selector) => {
    const box = document.querySelector(selector)?.getBoundingClientRect();
    return Boolean(box) && box.top < window.innerHeight && box.bottom > 0;
  }, selector);
}

