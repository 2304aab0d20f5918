// Shared set-up for the end-to-end tests: launches Debian's Chromium through playwright-core (one
// browser per test file, see `shareBrowser`), opens the served app in a fresh context per test,
// records every console error, page error and panic message, and saves screenshots under
// test-output/screenshots/. Also the helpers that wait for a condition instead of sleeping.
// Not a test file itself (node --test skips it by name).

import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** Where scripts/test.sh serves dist/; override with FLOTILLA_URL. */
export const BASE_URL = process.env.FLOTILLA_URL ?? 'http://127.0.0.1:8081/';

/** Debian's Chromium: Playwright's own browser downloads do not work on these machines. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without the networking flags Chromium keeps trying to reach Google on a closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'screenshots');

/**
 * The first-run tour (web/src/components/tour.rs) opens by itself in a fresh browser, takes the
 * focus and sits beside what it explains, where it would take clicks, Tab presses and keys from
 * tests about other things. So every context `openApp` opens starts with the tour marked as seen,
 * by an init script that sets its storage keys before the app reads them: `flotilla.tour` (the
 * app at `#app`) and `flotilla@<name>.tour` for the apps www/two.html mounts (`left`, `right`).
 * Only tests of the tour itself ask for it (`openApp(t, { tour: true })`). A test that opens its
 * own context or page calls `skipTour(contextOrPage)` first.
 */
export const TOUR_KEYS = ['flotilla.tour', 'flotilla@left.tour', 'flotilla@right.tour'];

/** Marks the tour as seen in every page `contextOrPage` opens from now on (see `TOUR_KEYS`). */
export function skipTour(contextOrPage) {
  return contextOrPage.addInitScript((keys) => {
    try {
      for (const key of keys) window.localStorage.setItem(key, 'done');
    } catch {
      // Pages without storage (about:blank, a sandboxed frame) have no tour either.
    }
  }, TOUR_KEYS);
}

/** Launches Debian's Chromium headless with the flags above. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The browser of this test file once `shareBrowser` has launched it (a promise). */
let sharedBrowser = null;

/**
 * Call once at the top of a test file: launches one Chromium before the file's first test and
 * closes it after the last. Every `openApp` then opens a fresh context (own storage, cookies,
 * permissions) in that browser, which isolates tests as well as a browser each did, at a
 * fraction of the start-up cost.
 */
export function shareBrowser() {
  before(() => {
    sharedBrowser = launchBrowser();
    return sharedBrowser;
  });
  after(async () => {
    const launched = sharedBrowser;
    sharedBrowser = null;
    if (launched) await (await launched).close();
  });
}

/**
 * Opens BASE_URL in a fresh browser context and returns `{ page, errors }`. `errors` collects
 * console errors, any console message mentioning "panicked" (a Rust panic), uncaught page errors,
 * failed requests and HTTP error responses; tests assert that it stays empty. When the test `t`
 * ends, a screenshot `last-<test name>.png` is saved and the context closes. The browser is the
 * file's shared one (`shareBrowser`), else `browser` if given, else one launched for this test
 * alone and closed with it. The first-run tour is marked as seen unless `tour` is true (see
 * `TOUR_KEYS`).
 */
export async function openApp(t, { width = 1280, height = 720, browser: given, tour = false } = {}) {
  let browser = given ?? (sharedBrowser && (await sharedBrowser));
  const ownBrowser = !browser;
  if (ownBrowser) browser = await launchBrowser();
  let page = null;
  let context = null;
  t.after(async () => {
    // The page as the test left it, pass or fail: the first thing to look at when one fails.
    if (page) await screenshot(page, `last-${slug(t.name)}`).catch(() => {});
    if (context) await context.close().catch(() => {});
    if (ownBrowser) await browser.close();
  });

  context = await browser.newContext({ viewport: { width, height } });
  if (!tour) await skipTour(context);
  page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || text.includes('panicked')) {
      const where = message.location()?.url;
      errors.push(`console.${message.type()}: ${text}${where ? ` (at ${where})` : ''}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const why = request.failure()?.errorText;
    // A request cut off by a navigation (a reload while the app still loads a file)
    // is not a failure of the app; any other failure is.
    if (why === 'net::ERR_ABORTED') return;
    errors.push(`request failed: ${request.url()} (${why})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  const response = await page.goto(BASE_URL, { waitUntil: 'load' });
  if (!response?.ok()) {
    throw new Error(`GET ${BASE_URL} answered ${response?.status()}; is dist/ served there?`);
  }
  return { page, errors };
}

/** Saves a PNG of the whole viewport to test-output/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A file-name-safe form of a test name. */
function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** Parses the simulated clock text `HH:MM:SS.mmm` into milliseconds; throws on any other shape. */
export function parseClock(text) {
  const match = /^\s*(\d+):(\d{2}):(\d{2})\.(\d{3})\s*$/.exec(text);
  if (!match) throw new Error(`clock text ${JSON.stringify(text)} is not HH:MM:SS.mmm`);
  const [hours, minutes, seconds, millis] = match.slice(1).map(Number);
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** Waits until the app has rendered its fleet (at least one instance); explains a timeout. */
export async function waitForApp(page, { timeoutMs = 20_000 } = {}) {
  try {
    await page.waitForSelector('[data-testid=fleet] [data-testid=instance]', { timeout: timeoutMs });
  } catch (error) {
    const body = (await page.textContent('body').catch(() => '')) ?? '';
    throw new Error(`the app did not render a fleet within ${timeoutMs} ms; page text: ${body.slice(0, 500)}`, {
      cause: error,
    });
  }
}

/** The simulated clock's text, `HH:MM:SS.mmm`. */
export async function clockText(page) {
  return (await page.locator('[data-testid=clock]').textContent()).trim();
}

/** Types a time into "Jump to time" and presses Go; waits for the clock to show it. */
export async function jumpTo(page, text, expectedClock) {
  await page.getByLabel('Jump to time').fill(text);
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  if (expectedClock) {
    await page.waitForFunction(
      (clock) => document.querySelector('[data-testid=clock]')?.textContent.trim() === clock,
      expectedClock,
      { timeout: 10_000 },
    );
  }
}

/** The texts of the event log entries as shown, newest first. */
export async function eventTexts(page) {
  return page.$$eval('[data-testid=event-log] [data-testid=event]', (nodes) => nodes.map((n) => n.textContent));
}

/**
 * A large scenario for scale tests: `instances` m5.4xlarge spread over three AZs, `services`
 * services of `tasksPerService` tasks (128 CPU units, 256 MiB each), and optionally a
 * `crashAfter` behaviour for every revision (tasks exit that long after RUNNING and are replaced).
 */
export function largeFleetScenario({ name, seed, instances = 1_000, services = 10, tasksPerService = 1_000, crashAfter } = {}) {
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const scenario = {
    version: 1,
    name,
    seed,
    fleet: zones.map((zone, i) => ({
      instanceType: 'm5.4xlarge',
      availabilityZone: zone,
      count: Math.floor(instances / zones.length) + (i < instances % zones.length ? 1 : 0),
    })),
    taskDefinitions: Array.from({ length: services }, (_, i) => ({
      family: `svc${i}`,
      containerDefinitions: [{ name: 'app', image: 'example.com/app:1', cpu: 128, memory: 256 }],
    })),
    services: Array.from({ length: services }, (_, i) => ({
      serviceName: `svc${i}`,
      taskDefinition: `svc${i}:1`,
      desiredCount: tasksPerService,
    })),
  };
  if (crashAfter) {
    scenario.revisionBehaviour = Array.from({ length: services }, (_, i) => ({ taskDefinition: `svc${i}:1`, crashAfter }));
  }
  return scenario;
}

/**
 * Lets the page render `frames` animation frames (about 16 ms each) and returns. For checks that
 * something does NOT happen ("the clock stands still while paused"): the page must have had the
 * chance to change, which a count of rendered frames states as a condition rather than a sleep.
 */
export async function afterFrames(page, frames = 30) {
  await page.evaluate(
    (count) =>
      new Promise((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

/** Waits until the simulated clock shows a time after `afterText` (`HH:MM:SS.mmm`). */
export async function waitForClockAfter(page, afterText, { timeoutMs = 20_000 } = {}) {
  await page.waitForFunction(
    (after) => {
      const text = document.querySelector('[data-testid=clock]')?.textContent.trim() ?? '';
      const match = /^(\d+):(\d{2}):(\d{2})\.(\d{3})$/.exec(text);
      if (!match) return false;
      const [h, m, s, ms] = match.slice(1).map(Number);
      return ((h * 60 + m) * 60 + s) * 1000 + ms > after;
    },
    parseClock(afterText),
    { timeout: timeoutMs },
  );
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's WCAG 2.1 A and AA violations on the page, one line each with the first offending nodes:
 * those of impact serious or critical, or with `all` every one, axe's best practices included. */
export async function axeViolations(page, { all = false } = {}) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (all) => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', ...(all ? ['best-practice'] : [])];
    const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return violations
      .filter((v) => all || v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' ; ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} nodes` : ''}`);
  }, all);
}

/** Fails listing every screen's violations if any screen of `found` (name → violations) has one. */
export function assertNoViolations(found) {
  const failing = Object.entries(found).filter(([, list]) => list.length > 0);
  if (failing.length > 0) throw new Error(`axe violations: ${JSON.stringify(Object.fromEntries(failing), null, 2)}`);
}
