// End-to-end tests of two full apps on one page (www/two.html, each mounted with
// `mount(element)`): a Step, a shortcut, a saved run, a lesson or a game day in one never
// reaches the other, and no DOM id is rendered twice. Keyboard scope, as the app documents it
// (web/src/hooks/shortcuts.rs): a key pressed with the focus inside an app goes to that app
// only; with the focus outside every app, to the app used last (pointer or focus inside it).

import assert from 'node:assert/strict';
import test from 'node:test';
import { chromium } from 'playwright-core';
import { BASE_URL, parseClock, screenshot, skipTour } from './harness.mjs';

const TEST_TIMEOUT_MS = 120_000;
const TWO_URL = new URL('two.html', BASE_URL).href;

/** Opens two.html in a fresh browser (fresh storage); returns `{ page, errors }`. */
async function openTwo(t) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await skipTour(page);
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.text().includes('panicked')) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  const response = await page.goto(TWO_URL, { waitUntil: 'load' });
  assert.ok(response?.ok(), `GET ${TWO_URL} answered ${response?.status()}`);
  for (const side of ['left', 'right']) {
    await page.waitForSelector(`#${side} [data-testid=fleet] [data-testid=instance]`, { timeout: 20_000 });
  }
  return { page, errors };
}

/** The number of events an app's log says it has ("N so far"). */
async function events(page, side) {
  const text = await page.locator(`#${side} [data-testid=event-count]`).textContent();
  const match = /^(\d[\d,]*) so far$/.exec(text.trim());
  assert.ok(match, `event count text ${JSON.stringify(text)}`);
  return Number(match[1].replace(/,/g, ''));
}

async function clock(page, side) {
  return parseClock(await page.locator(`#${side} [data-testid=clock]`).textContent());
}

test('two apps on one page: unique ids, and a Step in one does not advance the other', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openTwo(t);
  assert.equal(await page.locator('.flotilla').count(), 2);
  const ids = await page.$$eval('[id]', (nodes) => nodes.map((n) => n.id));
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(repeated, [], 'no id is rendered twice');
  assert.ok(ids.includes('flotilla-left-side-panel') && ids.includes('flotilla-right-side-panel'), `ids: ${ids}`);
  // The skip link of each app leads to its own side panel.
  assert.equal(await page.locator('#right [data-testid=skip-to-side-panel]').getAttribute('href'), '#flotilla-right-side-panel');

  const [left, right] = [await events(page, 'left'), await events(page, 'right')];
  for (let i = 0; i < 3; i++) await page.locator('#left [data-testid=step]').click();
  await page.waitForFunction(() => /^\d/.test(document.querySelector('#left [data-testid=event-count]').textContent));
  assert.ok(await events(page, 'left') > left, 'the left app stepped');
  assert.equal(await events(page, 'right'), right, 'the right app did not');
  assert.equal(await clock(page, 'right'), 0);

  // Selecting in one app does not select in the other.
  await page.locator('#right [data-testid=service-row] button').first().click();
  await page.locator('#right [data-testid=service-details]').waitFor();
  assert.equal(await page.locator('#left [data-testid=service-details]').count(), 0);
  await screenshot(page, 'two-apps');
  assert.deepEqual(errors, []);
});

test('a shortcut goes to the app with the focus, or to the app used last', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openTwo(t);
  const start = { left: await events(page, 'left'), right: await events(page, 'right') };

  // Focus inside the right app: → steps the right app only.
  await page.locator('#right [data-testid=step-back]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => Number(document.querySelector('#right [data-testid=event-count]').textContent.replace(/,/g, '').match(/\d+/)[0]) > n, start.right);
  assert.equal(await events(page, 'left'), start.left, '→ in the right app does not step the left one');

  // The left app used last (a click on its fleet, which takes no focus): → from the page's body
  // steps the left app only.
  await page.locator('#left [data-testid=fleet] h2').click();
  await page.evaluate(() => document.activeElement?.blur());
  const right = await events(page, 'right');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => Number(document.querySelector('#left [data-testid=event-count]').textContent.replace(/,/g, '').match(/\d+/)[0]) > n, start.left);
  assert.equal(await events(page, 'right'), right, '→ on the body goes to the app used last only');
  assert.deepEqual(errors, []);
});

test('each app keeps its work under its own storage keys and gets it back on remount and reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openTwo(t);
  const jump = async (side, text) => {
    await page.locator(`#${side} [data-testid=jump-input]`).fill(text);
    await page.locator(`#${side} [data-testid=jump]`).click();
  };
  await jump('left', '30s');
  await jump('right', '1m');
  await page.waitForFunction(() => document.querySelector('#right [data-testid=clock]').textContent.trim() === '00:01:00.000');
  assert.equal(await clock(page, 'left'), 30_000);

  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.ok(keys.includes('flotilla@left.autosave') && keys.includes('flotilla@right.autosave'), `keys: ${keys}`);
  assert.ok(!keys.includes('flotilla.autosave'), 'the page app\'s own autosave is untouched');
  const saved = await page.evaluate(() => [localStorage.getItem('flotilla@left.autosave'), localStorage.getItem('flotilla@right.autosave')]);
  assert.notEqual(saved[0], saved[1]);

  // Mounting a third app under a name in use is refused with a clear message.
  const refused = await page.evaluate(async () => {
    const { mount } = await import('./pkg/flotilla_web.js');
    try {
      mount(document.createElement('div'), 'left');
      return 'mounted';
    } catch (error) {
      return String(error.message ?? error);
    }
  });
  assert.match(refused, /already mounted/);

  // Destroying an app frees its name: mounted again, it opens its own saved work.
  await page.evaluate(() => window.flotillaApps[1].destroy());
  await page.waitForFunction(() => !document.querySelector('#right .flotilla'));
  await page.evaluate(async () => {
    const { mount } = await import('./pkg/flotilla_web.js');
    window.flotillaApps[1] = mount(document.getElementById('right'));
  });
  await page.waitForFunction(() => document.querySelector('#right [data-testid=clock]')?.textContent.trim() === '00:01:00.000');
  assert.equal(await clock(page, 'left'), 30_000, 'the other app is untouched');

  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#right [data-testid=fleet] [data-testid=instance]', { timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('#right [data-testid=clock]').textContent.trim() === '00:01:00.000');
  await page.waitForFunction(() => document.querySelector('#left [data-testid=clock]')?.textContent.trim() === '00:00:30.000');
  assert.deepEqual(errors, []);
});

test('a lesson or a game day opened in one app changes nothing of the other: document, progress, panel', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openTwo(t);
  const jump = async (side, text) => {
    await page.locator(`#${side} [data-testid=jump-input]`).fill(text);
    await page.locator(`#${side} [data-testid=jump]`).click();
  };
  // The right app's own work: its clock at 1:00, autosaved.
  await jump('right', '1m');
  await page.waitForFunction(() => document.querySelector('#right [data-testid=clock]').textContent.trim() === '00:01:00.000');
  const right = async () => ({
    name: await page.locator('#right [data-testid=scenario-name]').textContent(),
    clock: await clock(page, 'right'),
    events: await events(page, 'right'),
    panels: await page.locator('#right :is([data-testid=lesson-panel], [data-testid=gameday-panel])').count(),
    stored: await page.evaluate(() => Object.fromEntries(
      [...Object.keys(localStorage), ...Object.keys(sessionStorage).map((k) => `session:${k}`)]
        .filter((k) => k.includes('@right'))
        .map((k) => [k, k.startsWith('session:') ? sessionStorage.getItem(k.slice(8)) : localStorage.getItem(k)]))),
  });
  const before = await right();
  assert.equal(before.panels, 0);

  // A lesson in the left app, a step done through "Show me".
  await page.locator('#left').getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('#left [data-testid=lesson-item][data-lesson=rolling-fast] [data-testid=lesson-open]').click();
  await page.locator('#left [data-testid=lesson-panel][data-lesson=rolling-fast]').waitFor();
  await page.locator('#left [data-testid=lesson-show-me]').click();
  await page.locator('#left [data-testid=lesson-check][data-status=held]').waitFor({ timeout: 30_000 });
  await page.locator('#left [data-testid=lesson-next]').click();
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.includes('flotilla@left.lessons.rolling-fast'), `keys: ${keys}`);
  assert.deepEqual(await right(), before, 'the right app is as it was after a lesson in the left one');
  await page.locator('#left [data-lesson-watch]').first().waitFor();
  assert.equal(await page.locator('#right [data-lesson-watch]').count(), 0, 'what the lesson watches is outlined in its own app only');
  const ids = await page.$$eval('[id]', (nodes) => nodes.map((n) => n.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no id is rendered twice');

  // The right app's lesson list knows nothing of the left's progress.
  await page.locator('#right').getByRole('button', { name: 'Lessons', exact: true }).click();
  const item = page.locator('#right [data-testid=lesson-item][data-lesson=rolling-fast]');
  await item.waitFor();
  assert.match(await item.textContent(), /0 done/);
  await page.locator('#right').getByRole('button', { name: 'Close', exact: true }).click();

  // The game day in the left app, run: the right app still as it was.
  await page.locator('#left').getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.locator('#left [data-testid=gameday-open]').click();
  await page.locator('#left [data-testid=gameday-panel]').waitFor();
  await page.locator('#left [data-testid=gameday-run]').click();
  await page.locator('#left [data-testid=gameday-score]').waitFor({ timeout: 30_000 });
  assert.deepEqual(await right(), before, 'the right app is as it was after a game day in the left one');

  // A reload: the left app reopens its game day, the right its own work and no panel.
  await page.reload({ waitUntil: 'load' });
  await page.locator('#left [data-testid=gameday-panel]').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('#right [data-testid=clock]')?.textContent.trim() === '00:01:00.000');
  assert.equal(await page.locator('#right :is([data-testid=lesson-panel], [data-testid=gameday-panel])').count(), 0);
  assert.equal(await page.locator('#right [data-testid=scenario-name]').textContent(), before.name);
  assert.deepEqual(errors, []);
});
