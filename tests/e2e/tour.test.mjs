// End-to-end tests of what a newcomer meets first: the first-run tour (a fresh browser sees it;
// it is stepped through with the keyboard and the mouse, each step marks its part of the screen,
// in view and not covered by the tour; Skip or Done hides it for good; the toolbar's Tour replays
// it; axe finds nothing serious with it open) and the "About this scenario" block (the built-in's
// description, collapsed and expanded, remembered per scenario). Every other test file opens the
// app with the tour marked as seen (harness.mjs, `TOUR_KEYS`); these ask for it.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { afterFrames, assertNoViolations, axeViolations, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

/** What each step points at, in order (a selector the marked element matches). */
const STEP_TARGETS = [
  '[data-testid=about]',
  '[data-testid=fleet]',
  'section.services',
  '.playbar',
  'section.event-log',
  '[role=tablist]',
];

const DEFAULT_SCENARIO = JSON.parse(await readFile(new URL('../../core/scenarios/microservices.json', import.meta.url), 'utf8'));
const CICD_SCENARIO = JSON.parse(await readFile(new URL('../../core/scenarios/cicd.json', import.meta.url), 'utf8'));

/**
 * The tour's state: its step, the marked element (which selector of `STEP_TARGETS` it matches),
 * whether that element meets the viewport, whether the tour card overlaps it, and whether the
 * focus is in the tour.
 */
async function tourState(page) {
  return page.evaluate((targets) => {
    const tour = document.querySelector('[data-testid=tour]');
    if (!tour) return null;
    const marked = [...document.querySelectorAll('[data-tour-target]')];
    const target = marked[0];
    const rect = target?.getBoundingClientRect();
    const card = tour.getBoundingClientRect();
    const inView = !!rect && rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
    const overlaps = !!rect && card.left < rect.right && rect.left < card.right && card.top < rect.bottom && rect.top < card.bottom;
    const cardInView = card.top >= 0 && card.left >= 0 && card.bottom <= innerHeight && card.right <= innerWidth;
    const ring = document.querySelector('.tour-ring').getBoundingClientRect();
    // The ring goes round the part of the element inside the window, a few pixels out (at the
    // window's edge, 2 px in, so that it shows).
    const seen = rect && { left: Math.max(rect.left, 2), top: Math.max(rect.top, 2), right: Math.min(rect.right, innerWidth - 2), bottom: Math.min(rect.bottom, innerHeight - 2) };
    const ringed = !!seen && ring.left <= seen.left + 0.5 && ring.top <= seen.top + 0.5 && ring.right >= seen.right - 0.5 && ring.bottom >= seen.bottom - 0.5
      && ring.left >= seen.left - 6 && ring.top >= seen.top - 6 && ring.right <= seen.right + 6 && ring.bottom <= seen.bottom + 6;
    return {
      step: Number(tour.dataset.step),
      title: tour.querySelector('[data-testid=tour-title]').textContent,
      marked: marked.length,
      matches: targets.findIndex((selector) => target?.matches(selector)),
      inView,
      overlaps,
      cardInView,
      ringed,
      focusInTour: tour.contains(document.activeElement),
    };
  }, STEP_TARGETS);
}

/** Asserts the tour shows step `step` with its element marked, ringed and in view. */
async function assertStep(page, step, { uncovered = true } = {}) {
  await page.waitForFunction((n) => document.querySelector('[data-testid=tour]')?.dataset.step === String(n), step);
  await afterFrames(page, 2);
  const state = await tourState(page);
  assert.equal(state.marked, 1, `step ${step}: exactly one element marked`);
  assert.equal(state.matches, step, `step ${step} (${state.title}) marks ${STEP_TARGETS[step]}`);
  assert.ok(state.inView, `step ${step}: the marked element is in the viewport`);
  assert.ok(state.cardInView, `step ${step}: the tour card is whole in the viewport`);
  assert.ok(state.ringed, `step ${step}: the ring is around the marked element`);
  if (uncovered) assert.ok(!state.overlaps, `step ${step}: the tour does not cover what it explains`);
  return state;
}

test('a fresh browser sees the tour; keyboard and mouse step through it; Done hides it for good; Tour replays it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 720, tour: true });
  await waitForApp(page);
  await page.locator('[data-testid=tour]').waitFor();
  let state = await assertStep(page, 0);
  assert.ok(state.focusInTour, 'the focus moved to the tour');
  await screenshot(page, 'tour-1280-step-0');

  // Keyboard: Enter on Next (which has the focus) goes forward; Tab to Back and Enter goes back.
  await page.keyboard.press('Enter');
  await assertStep(page, 1);
  await page.keyboard.press('Enter');
  await assertStep(page, 2);
  await screenshot(page, 'tour-1280-step-2');
  await page.keyboard.press('Shift+Tab'); // Next → Back
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tour-back');
  await page.keyboard.press('Enter');
  await assertStep(page, 1);
  await screenshot(page, 'tour-1280-step-1');

  // Mouse: Next to the end, Back once on the way.
  for (const step of [2, 3, 4, 5]) {
    await page.getByTestId('tour-next').click();
    state = await assertStep(page, step);
    assert.ok(state.focusInTour, `step ${step}: the focus stays in the tour`);
    await screenshot(page, `tour-1280-step-${step}`);
  }
  await page.getByTestId('tour-back').click();
  await assertStep(page, 4);
  await page.getByTestId('tour-next').click();
  await assertStep(page, 5);
  assert.equal(await page.getByTestId('tour-next').textContent(), 'Done');
  await page.getByTestId('tour-next').click();
  assert.equal(await page.locator('[data-testid=tour]').count(), 0, 'Done closes the tour');
  assert.equal(await page.locator('[data-tour-target]').count(), 0, 'and takes its mark off');

  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await afterFrames(page);
  assert.equal(await page.locator('[data-testid=tour]').count(), 0, 'a reload after Done shows no tour');

  // The toolbar's Tour replays it from the start; Escape skips it.
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await assertStep(page, 0);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid=tour]').count(), 0, 'Escape skips the tour');
  assert.deepEqual(errors, []);
});

test('Skip hides the tour and a reload does not show it again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { tour: true });
  await waitForApp(page);
  await page.locator('[data-testid=tour]').waitFor();
  await page.getByTestId('tour-next').click();
  await assertStep(page, 1);
  await page.getByTestId('tour-skip').click();
  assert.equal(await page.locator('[data-testid=tour]').count(), 0, 'Skip closes the tour');
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await afterFrames(page);
  assert.equal(await page.locator('[data-testid=tour]').count(), 0, 'a reload after Skip shows no tour');
  assert.deepEqual(errors, []);
});

for (const [width, height] of [[1920, 1080], [800, 900]]) {
  test(`the tour at ${width}×${height}: every step's part in view, the tour whole beside it`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, errors } = await openApp(t, { width, height, tour: true });
    await waitForApp(page);
    await page.locator('[data-testid=tour]').waitFor();
    for (let step = 0; step < STEP_TARGETS.length; step += 1) {
      // At 800 px the page is one column and the event log box most of the window high: the
      // page scrolls it down to make room for the tour above it.
      await assertStep(page, step);
      await screenshot(page, `tour-${width}-step-${step}`);
      if (step + 1 < STEP_TARGETS.length) await page.getByTestId('tour-next').click();
    }
    assert.deepEqual(errors, []);
  });
}

test('axe finds no serious or critical violation with the tour open', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { tour: true });
  await waitForApp(page);
  await page.locator('[data-testid=tour]').waitFor();
  const found = {};
  for (const step of [0, 3, 5]) {
    while ((await tourState(page)).step < step) await page.getByTestId('tour-next').click();
    await assertStep(page, step);
    found[`step ${step}`] = await axeViolations(page);
  }
  assertNoViolations(found);
  assert.deepEqual(errors, []);
});

test('About this scenario: the built-in description as text, collapsed and expanded, remembered per scenario', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 720 });
  await waitForApp(page);
  const about = page.getByTestId('about');
  const toggle = page.getByTestId('about-toggle');
  const description = page.getByTestId('about-description');
  assert.equal(await page.getByTestId('about-name').textContent(), DEFAULT_SCENARIO.name);
  assert.equal((await description.textContent()).trim(), DEFAULT_SCENARIO.description);
  assert.ok(await description.isVisible());
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  // The fleet's first cards are still on the first screen under it.
  const fleetTop = await page.evaluate(() => document.querySelector('[data-testid=fleet] [data-testid=instance]').getBoundingClientRect().top);
  assert.ok(fleetTop < 720, `the first instance card starts at ${fleetTop}px`);
  await screenshot(page, 'about-1280-open');

  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await description.isVisible()), 'collapsed: the description is hidden');
  await screenshot(page, 'about-1280-collapsed');
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'collapsed after a reload');

  // Another scenario has its own: open, with its own description (as text, not markup).
  await page.getByTestId('library').selectOption('cicd');
  await page.waitForFunction((name) => document.querySelector('[data-testid=about-name]')?.textContent === name, CICD_SCENARIO.name);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'another scenario opens expanded');
  assert.equal((await description.textContent()).trim(), CICD_SCENARIO.description);
  await page.getByTestId('library').selectOption('microservices');
  await page.waitForFunction((name) => document.querySelector('[data-testid=about-name]')?.textContent === name, DEFAULT_SCENARIO.name);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'the default scenario is still collapsed');
  await toggle.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'the keyboard expands it');
  assert.ok(await description.isVisible());
  assert.equal(await about.count(), 1);

  for (const [width, height] of [[1920, 1080], [800, 900]]) {
    await page.setViewportSize({ width, height });
    await afterFrames(page, 3);
    await screenshot(page, `about-${width}-open`);
  }
  assert.deepEqual(errors, []);
});

test('About this scenario at 800×720 starts collapsed to one line, so the fleet stays on the first screen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 800, height: 720 });
  await waitForApp(page);
  const toggle = page.getByTestId('about-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await page.getByTestId('about-description').isVisible()));
  const preview = await page.locator('[data-testid=about] .about-preview').boundingBox();
  const button = await toggle.boundingBox();
  assert.ok(preview && Math.abs(preview.y - button.y) < 12, 'the description starts on the title line');
  const cardTop = await page.evaluate(() => document.querySelector('[data-testid=fleet] [data-testid=instance]').getBoundingClientRect().top);
  assert.ok(cardTop + 40 < 720, `the first instance card starts at ${cardTop}px`);
  await screenshot(page, 'about-800-collapsed');
  await toggle.click();
  assert.ok(await page.getByTestId('about-description').isVisible(), 'opened on request');
  await screenshot(page, 'about-800-opened');
  assert.deepEqual(errors, []);
});
