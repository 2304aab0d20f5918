// End-to-end tests of the lessons (components/lesson_list.rs, lesson_panel.rs): every built-in
// lesson driven from start to finish through "Show me", each step's check shown as held (so a
// core change that breaks a lesson fails here too); one lesson done by hand (Play, the deploy
// panel, Jump to time) with its checks passing; a step held and then broken on a changed run
// loses its mark (shown and stored); Restart step undone with Undo and Ctrl+Z; a reload mid-lesson resumes at the same step;
// the user's work is untouched and one click away; axe finds nothing serious with the panel
// open; screenshots at 1280×720 and 1920×1080.

import assert from 'node:assert/strict';
import test from 'node:test';
import { assertNoViolations, axeViolations, clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 240_000;
const LESSONS = ['rolling-minimal-cost', 'rolling-fast', 'placement', 'batch-jobs', 'cicd', 'draining-az-loss', 'unplaceable'];

/** Opens the list and starts (or resumes) lesson `id`; waits for its panel. */
async function openLesson(page, id) {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator(`[data-testid=lesson-item][data-lesson="${id}"] [data-testid=lesson-open]`).click();
  await page.locator(`[data-testid=lesson-panel][data-lesson="${id}"]`).waitFor();
}

/** The check's status once it is decided (not "not yet"), with its detail. */
async function decidedCheck(page) {
  const check = page.locator('[data-testid=lesson-check]:is([data-status=held], [data-status=broken])');
  await check.waitFor({ timeout: 30_000 });
  return { status: await check.getAttribute('data-status'), detail: await page.locator('[data-testid=lesson-check-detail]').textContent() };
}

test('every built-in lesson holds step by step through "Show me"', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  assert.equal(await page.locator('[data-testid=lesson-item]').count(), 0);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('[data-testid=lesson-item]').nth(LESSONS.length - 1).waitFor();
  assert.deepEqual(await page.locator('[data-testid=lesson-item]').evaluateAll((items) => items.map((i) => i.dataset.lesson)), LESSONS);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  const failures = [];
  for (const id of LESSONS) {
    await openLesson(page, id);
    const panel = page.locator('[data-testid=lesson-panel]');
    const count = Number(/of (\d+)/.exec(await page.locator('[data-testid=lesson-step]').textContent())[1]);
    for (let step = 0; step < count; step++) {
      assert.equal(await panel.getAttribute('data-step'), String(step));
      await page.locator('[data-testid=lesson-show-me]').click();
      const { status, detail } = await decidedCheck(page);
      if (status !== 'held') failures.push(`${id} step ${step + 1}: ${detail}`);
      else await page.locator('[data-testid=lesson-explanation]').waitFor();
      if (step + 1 < count) await page.locator('[data-testid=lesson-next]').click();
    }
    assert.match(await page.locator('.lesson-progress').textContent(), new RegExp(`${count} of ${count} done`), id);
    if (id === 'rolling-fast') await screenshot(page, 'lesson-rolling-fast-done-1280');
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
});

test('a lesson done by hand: Play, the deploy panel and Jump to time pass its checks', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openLesson(page, 'rolling-fast');
  assert.equal(await page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'not-yet');
  await page.locator('[data-testid=service-row][data-service=web][data-lesson-watch]').waitFor({ timeout: 5_000 });
  await screenshot(page, 'lesson-panel-1280');
  // Step 1: play until the clock passes 2:00, then pause.
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=lesson-check]')?.dataset.status === 'held', null, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await page.locator('[data-testid=lesson-next]').click();
  // Step 2: back to 2:00, then deploy revision 2 with min 100 % and max 200 % from the deploy panel.
  await jumpTo(page, '2m', '00:02:00.000');
  await page.locator('[data-testid=service-row][data-service=web] button.link').click();
  await page.locator('[data-testid=deploy-panel]').waitFor();
  await page.getByTestId('deploy-image').fill('example.com/web:1.1.0');
  await page.getByLabel('Minimum healthy percent').fill('100');
  await page.getByLabel('Maximum percent').fill('200');
  await page.getByTestId('deploy-new-revision').click();
  await jumpTo(page, '2m10s', '00:02:10.000');
  assert.equal((await decidedCheck(page)).status, 'held');
  await page.locator('[data-testid=lesson-explanation]').waitFor();
  // Step 3 with Step presses and a jump.
  await page.locator('[data-testid=lesson-next]').click();
  assert.equal(await page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'not-yet');
  await page.getByTestId('step').click();
  await jumpTo(page, '3m30s', '00:03:30.000');
  assert.equal((await decidedCheck(page)).status, 'held');
  await screenshot(page, 'lesson-held-1280');
  assert.deepEqual(errors, []);
});

test('a broken check shows its hint; Restart step goes back to the step\'s start', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openLesson(page, 'rolling-fast');
  await page.locator('[data-testid=lesson-show-me]').click();
  await decidedCheck(page);
  await page.locator('[data-testid=lesson-next]').click();
  // Step 2 without deploying: at 2:10 only four tasks run.
  await jumpTo(page, '2m10s', '00:02:10.000');
  assert.equal((await decidedCheck(page)).status, 'broken');
  await page.locator('[data-testid=lesson-hint]').waitFor();
  await screenshot(page, 'lesson-broken-1280');
  await page.locator('[data-testid=lesson-restart]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:00.000');
  assert.equal(await page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'not-yet');
  assert.deepEqual(errors, []);
});

test('a step held and then broken on a changed run is no longer marked done', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await openLesson(page, 'rolling-minimal-cost');
  const done = () => page.locator('.lesson-progress .hint').textContent();
  // Step 1 (at 2m exactly 4 healthy tasks of web): held through "Show me".
  await page.locator('[data-testid=lesson-show-me]').click();
  assert.equal((await decidedCheck(page)).status, 'held');
  await page.waitForFunction(() => /^1 of 4 done/.test(document.querySelector('.lesson-progress .hint')?.textContent));
  // Rewound to 1:30 and a web task stopped there: the run no longer reaches the step's end, and
  // it changed before it: not done any more, and stored so.
  await jumpTo(page, '1m30s', '00:01:30.000');
  const chip = page.locator('[data-testid=task][data-service=web][data-state=RUNNING]').first();
  await chip.click();
  await page.getByRole('button', { name: 'Stop task', exact: true }).click();
  await page.waitForFunction(() => /^0 of 4 done/.test(document.querySelector('.lesson-progress .hint')?.textContent));
  assert.equal(await page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'not-yet');
  // On to the step's end: its replacement is not healthy yet at 2:00, so the check breaks.
  await jumpTo(page, '2m', '00:02:00.000');
  const { status, detail } = await decidedCheck(page);
  assert.equal(status, 'broken', detail);
  assert.match(await done(), /^0 of 4 done/);
  const stored = await page.evaluate(() => localStorage.getItem('flotilla.lessons.rolling-minimal-cost'));
  assert.equal(stored, '0 ', 'the stored progress follows the run');
  // Restart step gives back the lesson's own run; "Show me" holds again, and so does the mark.
  await page.locator('[data-testid=lesson-restart]').click();
  await page.locator('[data-testid=lesson-show-me]').click();
  assert.equal((await decidedCheck(page)).status, 'held');
  await page.waitForFunction(() => /^1 of 4 done/.test(document.querySelector('.lesson-progress .hint')?.textContent));
  assert.deepEqual(errors, []);
});

test('Restart step is undone with Undo (and Ctrl+Z): the run comes back as it was', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await openLesson(page, 'rolling-fast');
  await page.locator('[data-testid=lesson-show-me]').click();
  await decidedCheck(page);
  await page.locator('[data-testid=lesson-next]').click();
  // The learner's own run in step 2: a web task stopped at 2:05, the clock on to 2:20.
  await jumpTo(page, '2m5s', '00:02:05.000');
  await page.locator('[data-testid=task][data-service=web][data-state=RUNNING]').first().click();
  await page.getByRole('button', { name: 'Stop task', exact: true }).click();
  await jumpTo(page, '2m20s', '00:02:20.000');
  const actions = await page.locator('[data-testid=action]').allTextContents();
  assert.equal(actions.length, 1, `one action of the learner's: ${actions}`);
  const tasks = () => page.locator('[data-testid=fleet] [data-testid=task]').evaluateAll((chips) => chips.map((c) => `${c.dataset.task} ${c.dataset.state}`));
  const before = await tasks();

  await page.locator('[data-testid=lesson-restart]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:00.000');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), []);
  const undo = page.getByTestId('undo');
  assert.equal(await undo.getAttribute('aria-label'), 'Undo: Restart step');
  await undo.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:20.000');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), actions);
  assert.deepEqual(await tasks(), before, 'the same tasks in the same states');
  assert.equal(await page.locator('[data-testid=lesson-panel]').getAttribute('data-step'), '1', 'the lesson stays at its step');

  // Redo restarts it again; Ctrl+Z (the focus on the page, not in a field) undoes it again.
  await page.getByTestId('redo').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:00.000');
  await page.locator('[data-testid=lesson-instruction]').click();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:20.000');
  assert.deepEqual(await page.locator('[data-testid=action]').allTextContents(), actions);
  assert.deepEqual(errors, []);
});

test('a reload mid-lesson resumes at the same step; the user\'s work stays one click away', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  const workName = await page.getByTestId('scenario-name').textContent();
  await jumpTo(page, '1m', '00:01:00.000'); // the user's own run, autosaved
  await openLesson(page, 'rolling-minimal-cost');
  await page.locator('[data-testid=lesson-show-me]').click();
  await decidedCheck(page);
  await page.locator('[data-testid=lesson-next]').click();
  const clock = await clockText(page);
  await screenshot(page, 'lesson-panel-1920');
  await page.reload();
  await page.locator('[data-testid=lesson-panel][data-lesson=rolling-minimal-cost][data-step="1"]').waitFor();
  assert.equal(await clockText(page), clock, 'the lesson run is kept too');
  // Back to the user's work: the lesson closes; their scenario and run are as they were.
  await page.getByTestId('your-work').click();
  await page.locator('[data-testid=lesson-panel]').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('scenario-name').textContent(), workName);
  assert.equal(await clockText(page), '00:01:00.000');
  // Coming back resumes at step 2.
  await openLesson(page, 'rolling-minimal-cost');
  assert.equal(await page.locator('[data-testid=lesson-panel]').getAttribute('data-step'), '1');
  assert.deepEqual(errors, []);
});

test('axe finds no serious or critical violation with the lesson list and panel open', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('[data-testid=lessons]').waitFor();
  await screenshot(page, 'lesson-list-1280');
  const found = { list: await axeViolations(page) };
  await page.locator('[data-testid=lesson-item][data-lesson=placement] [data-testid=lesson-open]').click();
  await page.locator('[data-testid=lesson-show-me]').click();
  await decidedCheck(page);
  found.panel = await axeViolations(page);
  assertNoViolations(found);
  assert.deepEqual(errors, []);
});

test('at 800 px the panel fits the window and its buttons stay on screen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 800, height: 720 });
  await waitForApp(page);
  await openLesson(page, 'placement');
  await page.locator('[data-testid=lesson-show-me]').click();
  assert.equal((await decidedCheck(page)).status, 'held');
  await screenshot(page, 'lesson-panel-800');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  for (const id of ['lesson-back', 'lesson-restart', 'lesson-show-me', 'lesson-next']) {
    const box = await page.getByTestId(id).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 800, `${id} is inside the window`);
  }
  assert.deepEqual(errors, []);
});

