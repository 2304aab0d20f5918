// End-to-end tests of instructor links (issue 14): the lesson list to project (www/lessons/,
// served at /lessons/) lists every built-in lesson in the core's order with its title, what it
// teaches, each step's instruction and link, under a strict Content-Security-Policy, axe-clean,
// and each lesson's link opens the app at that lesson and step; "Link to this step" in the lesson
// panel, opened in a second browser context, reproduces the step, the clock and the world (tasks
// and event count), both for the lesson's own state (a short link) and for the instructor's own
// run (the link carries it), and pasted into the address bar of an open app; bad links (unknown lesson, step 99, garbage) are notices that say
// what exists, and the user's saved work stays intact and one click away. Screenshots of the page
// at 1920×1080 and 1280×720 and of the app opened from a link.

import assert from 'node:assert/strict';
import test from 'node:test';
import { axeViolations, BASE_URL, clockText, jumpTo, openApp, screenshot, shareBrowser, skipTour, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 240_000;
const LESSONS = ['rolling-minimal-cost', 'rolling-fast', 'placement', 'batch-jobs', 'cicd', 'draining-az-loss', 'unplaceable'];
const LESSON_PAGE = new URL('lessons/', BASE_URL).href;
// The docs' strict policy (docs.test.mjs), with `data:` images for the page's empty icon (as the
// app's index.html and embed-demo.html have), which keeps browsers from asking for /favicon.ico.
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

/** Lesson `id`'s file as the app fetches it. */
async function lessonFile(id) {
  const response = await fetch(new URL(`lessons/${id}.json`, BASE_URL));
  assert.ok(response.ok, `lessons/${id}.json: HTTP ${response.status}`);
  return response.json();
}

/** A lesson duration ("2m10s", "90s", "1h") in ms. */
function durationMs(text) {
  const units = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(number) * units[unit];
  return total;
}

/** `ms` as the app's clock shows it, HH:MM:SS.mmm. */
function clockOf(ms) {
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/** Waits for the lesson panel of `id` at step `index` (0-based). */
async function lessonPanelAt(page, id, index) {
  await page.locator(`[data-testid=lesson-panel][data-lesson="${id}"][data-step="${index}"]`).waitFor({ timeout: 30_000 });
}

/** What a room sees of the world: step, clock, event count, every task chip with its state. */
async function worldSeen(page) {
  await page.locator('[data-testid=event-count]').waitFor();
  return {
    step: await page.locator('[data-testid=lesson-panel]').getAttribute('data-step'),
    clock: await clockText(page),
    events: (await page.locator('[data-testid=event-count]').textContent()).trim(),
    tasks: await page.locator('[data-testid=task]').evaluateAll((chips) => chips.map((c) => `${c.dataset.task} ${c.dataset.service} ${c.dataset.state}`)),
    newest: (await page.locator('[data-testid=event-log] [data-testid=event]').allTextContents()).slice(0, 20),
  };
}

/** Clicks "Link to this step" and returns the link the notice shows. */
async function linkToThisStep(page) {
  await page.locator('[data-testid=lesson-link]').click();
  const banner = page.locator('[data-testid=info-banner]', { hasText: /Link to step \d+ ready/ });
  await banner.waitFor();
  return banner.locator('[data-testid=share-link]').inputValue();
}

/** A page in a fresh browser context (its own storage, as another person's browser). */
async function freshPage(t, browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  t.after(() => context.close());
  await skipTour(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.text().includes('panicked')) errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

test('the lesson page lists every lesson and step with its link, under a strict CSP, axe-clean', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await page.route('**/lessons/**', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } });
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(LESSON_PAGE, { waitUntil: 'load' });
  await page.locator('[data-testid=status]', { hasText: `${LESSONS.length} lessons` }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'CSP violations');
  assert.deepEqual(await page.locator('[data-testid=lesson]').evaluateAll((sections) => sections.map((s) => s.dataset.lesson)), LESSONS);
  for (const id of LESSONS) {
    const file = await lessonFile(id);
    const section = page.locator(`[data-testid=lesson][data-lesson="${id}"]`);
    assert.equal(await section.locator('h2').textContent(), file.title, `${id}: title`);
    assert.equal(await section.locator('.teaches').textContent(), file.teaches, `${id}: what it teaches`);
    assert.deepEqual(await section.locator('.instruction').allTextContents(), file.steps.map((s) => s.instruction), `${id}: instructions`);
    const links = await section.locator('[data-testid=step-link]').evaluateAll((anchors) => anchors.map((a) => [a.href, a.textContent]));
    assert.deepEqual(links, file.steps.map((_, i) => {
      const href = `${BASE_URL}#lesson=${id}&step=${i + 1}`;
      return [href, href];
    }), `${id}: one link a step, shown as it is`);
  }
  // Big enough for the back of a room: body text at least 28 px at 1920 wide, 20 px at 1280.
  const size = async () => parseFloat(await page.locator('.instruction').first().evaluate((e) => getComputedStyle(e).fontSize));
  assert.ok((await size()) >= 28, `body text at 1920: ${await size()} px`);
  await screenshot(page, 'lessons-page-1920');
  // axe is injected as an inline script, which the CSP above forbids: checked without it.
  await page.unroute('**/lessons/**');
  await page.reload({ waitUntil: 'load' });
  await page.locator('[data-testid=status]', { hasText: `${LESSONS.length} lessons` }).waitFor();
  assert.deepEqual(await axeViolations(page, { all: true }), []);
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.ok((await size()) >= 20, `body text at 1280: ${await size()} px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'lessons-page-1280');
  await page.locator('[data-testid=contents] a', { hasText: 'Placement' }).first().click();
  await screenshot(page, 'lessons-page-1280-placement');
  assert.deepEqual(errors, []);
});

test('each lesson\'s last step link opens the app at that step, with the lesson\'s own clock', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.goto(LESSON_PAGE, { waitUntil: 'load' });
  await page.locator('[data-testid=status]', { hasText: `${LESSONS.length} lessons` }).waitFor();
  const hrefs = {};
  for (const id of LESSONS) {
    hrefs[id] = await page.locator(`[data-testid=lesson][data-lesson="${id}"] [data-testid=step-link]`).last().getAttribute('href');
  }
  for (const id of LESSONS) {
    const file = await lessonFile(id);
    const last = file.steps.length - 1;
    // A full load each time (not a fragment change), as a student's fresh tab.
    await page.goto('about:blank');
    await page.goto(hrefs[id], { waitUntil: 'load' });
    await lessonPanelAt(page, id, last);
    assert.equal(await page.locator('[data-testid=lesson-instruction]').textContent(), file.steps[last].instruction, id);
    const startsAt = durationMs(file.steps[last - 1].runUntil);
    await page.waitForFunction((clock) => document.querySelector('[data-testid=clock]')?.textContent.trim() === clock, clockOf(startsAt), { timeout: 30_000 });
    assert.equal(await page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'not-yet', `${id}: judged at the step's end`);
    assert.equal(new URL(page.url()).hash, '', `${id}: the fragment is cleared`);
    if (id === 'placement') await screenshot(page, 'instructor-link-opened-1280');
  }
  assert.deepEqual(errors, []);
});

test('"Link to this step" opened in another browser gives the same step, clock and world', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE_URL).origin });
  await waitForApp(page);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('[data-testid=lesson-item][data-lesson=rolling-fast] [data-testid=lesson-open]').click();
  await lessonPanelAt(page, 'rolling-fast', 0);
  await page.locator('[data-testid=lesson-show-me]').click();
  await page.locator('[data-testid=lesson-check][data-status=held]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=lesson-next]').click();
  await lessonPanelAt(page, 'rolling-fast', 1);

  // The lesson's own state at step 2: a short link, no run carried.
  const short = await linkToThisStep(page);
  assert.equal(short, `${BASE_URL}#lesson=rolling-fast&step=2`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), short, 'the clipboard holds the link');
  await screenshot(page, 'instructor-link-notice-1280');
  const room = await freshPage(t, page.context().browser());
  await room.page.goto(short, { waitUntil: 'load' });
  await lessonPanelAt(room.page, 'rolling-fast', 1);
  assert.deepEqual(await worldSeen(room.page), await worldSeen(page));
  // A fresh browser has no work of its own: nothing to go back to, and the notice says so.
  assert.match(await room.page.locator('[data-testid=info-banner]').textContent(), /Opened “Fast rolling deploy without losing capacity, step 2” from the link\..*kept while the tab is open/s);
  assert.equal(await room.page.locator('[data-testid=your-work]').count(), 0, 'no "Back to your work" in a fresh browser');

  // The instructor's own run: step 2 shown, then the clock on to 2:37 — the link carries it.
  await page.locator('[data-testid=lesson-show-me]').click();
  await page.locator('[data-testid=lesson-check][data-status=held]').waitFor({ timeout: 30_000 });
  await jumpTo(page, '2m37s', '00:02:37.000');
  const long = await linkToThisStep(page);
  assert.match(long, /#lesson=rolling-fast&step=2&run=[A-Za-z0-9_-]+$/);
  assert.ok(long.length < 1_000, `${long.length} characters`);
  t.diagnostic(`the link with the instructor's run: ${long.length} characters`);
  const second = await freshPage(t, page.context().browser());
  await second.page.goto(long, { waitUntil: 'load' });
  await lessonPanelAt(second.page, 'rolling-fast', 1);
  await second.page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:37.000');
  const seen = await worldSeen(second.page);
  assert.deepEqual(seen, await worldSeen(page));
  assert.equal(await second.page.locator('[data-testid=lesson-check]').getAttribute('data-status'), 'held', 'the check sees the same run');
  await screenshot(second.page, 'instructor-link-own-run-1280');

  // Pasted into the address bar of the open app (a fragment change, no reload): the room's
  // tab, on step 2 of the same lesson, goes to the instructor's run, then to step 3.
  await room.page.goto(long);
  await room.page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:37.000');
  assert.deepEqual(await worldSeen(room.page), seen);
  await room.page.goto(`${BASE_URL}#lesson=rolling-fast&step=3`);
  await lessonPanelAt(room.page, 'rolling-fast', 2);
  await room.page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:02:10.000');
  assert.deepEqual([...errors, ...room.errors, ...second.errors], []);
});

/** The user's own work: a scenario of theirs with one action on the run (scale web to 5). */
async function makeWork(page) {
  const scenario = {
    version: 1,
    name: 'My work',
    seed: 7,
    fleet: [{ instanceType: 'm5.large', availabilityZone: 'eu-west-1a', count: 2 }],
    taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'example.com/web:1', cpu: 256, memory: 512 }] }],
    services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }],
  };
  await page.locator('[data-testid=open-file]').setInputFiles({ name: 'work.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await page.locator('[data-testid=scenario-name]', { hasText: 'My work' }).waitFor();
  await page.locator('[data-testid=service-row][data-service=web] button').click();
  await page.getByLabel('Desired count').fill('5');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=action]', { hasText: 'Scale web to 5' }).waitFor();
}

async function assertWork(page, what) {
  assert.equal((await page.locator('[data-testid=scenario-name]').textContent()).trim(), 'My work', `${what}: the user's scenario`);
  assert.deepEqual(
    (await page.locator('[data-testid=action]').allTextContents()).map((text) => text.replace(/^\S+ /, '')),
    ['Scale web to 5'],
    `${what}: the user's actions`,
  );
}

test('bad links are notices that say what exists; the saved work stays intact and one click away', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await makeWork(page);
  const bad = [
    // [link, what the notice says, how it opens: a fresh load or a fragment change in the open app]
    ['#lesson=rolling-slow&step=1', /no lesson “rolling-slow”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable/, 'load'],
    ['#lesson=rolling-fast&step=99', /the lesson “rolling-fast” has steps 1 to 4, not 99/, 'load'],
    ['#lesson=placement&step=99', /the lesson “placement” has steps 1 to \d, not 99/, 'hash'],
    ['#lesson=placement&step=two', /step “two” is not a step number/, 'hash'],
    ['#lesson=rolling-fast&step=2&run=%25%25not-base64', /the link's run \(run=\)/, 'load'],
    ['#lesson=cicd&step=1&x=%3Cscript%3E', /unexpected part “x=%3Cscript%3E”/, 'load'],
  ];
  for (const [fragment, says, how] of bad) {
    if (how === 'load') await page.goto('about:blank');
    await page.goto(`${BASE_URL}${fragment}`, { waitUntil: 'load' });
    const banner = page.locator('[data-testid=error-banner]', { hasText: 'The lesson link could not be opened; what was open stays open.' });
    await banner.waitFor();
    assert.match(await banner.textContent(), says, fragment);
    if (fragment.includes('step=99')) await screenshot(page, `instructor-bad-link-${how}-1280`);
    await waitForApp(page);
    await assertWork(page, fragment);
    assert.equal(await page.locator('[data-testid=lesson-panel]').count(), 0, `${fragment}: no lesson opened`);
    assert.equal(await page.locator('[data-testid=your-work]').count(), 0, `${fragment}: the work itself is open`);
    await banner.locator('button.dismiss').click();
  }
  // A good link opens the lesson as the tab's own document; the work is one click away.
  await page.goto('about:blank');
  await page.goto(`${BASE_URL}#lesson=placement&step=2`, { waitUntil: 'load' });
  await lessonPanelAt(page, 'placement', 1);
  assert.match(await page.locator('[data-testid=info-banner]').first().textContent(), /Opened “Placement constraints and strategies, step 2” from the link\..*your work is kept as it was/s);
  await page.getByTestId('your-work').click();
  await page.locator('[data-testid=lesson-panel]').waitFor({ state: 'detached' });
  await assertWork(page, 'after Back to your work');
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await assertWork(page, 'after a reload');
  assert.deepEqual(errors, []);
});

test('in a fresh browser a bad step leaves the tab keeping its work in the browser as before', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.goto('about:blank');
  await page.goto(`${BASE_URL}#lesson=cicd&step=9`, { waitUntil: 'load' });
  await page.locator('[data-testid=error-banner]', { hasText: 'has steps 1 to 5, not 9' }).waitFor();
  await waitForApp(page);
  // What the user does next is their work, in the browser's storage (not in a document of this
  // tab's): another tab opens it.
  await jumpTo(page, '45s', '00:00:45.000');
  const other = await page.context().newPage();
  await other.goto(BASE_URL, { waitUntil: 'load' });
  await waitForApp(other);
  await other.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent.trim() === '00:00:45.000');
  assert.equal(await other.locator('[data-testid=your-work]').count(), 0);
  assert.deepEqual(errors, []);
});

