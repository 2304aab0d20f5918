// End-to-end tests of the first screen a visitor sees: the default scenario's fleet renders, Step and
// Play/Pause move the simulated clock and grow the event log, the three services get tasks, and
// nothing is logged as an error. The DOM contract is the data-testid attributes used below.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import {
  afterFrames,
  openApp,
  parseClock,
  screenshot,
  shareBrowser,
  waitForClockAfter,
} from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const FLEET_TIMEOUT_MS = 20_000;
const STEP_CLICKS_MAX = 50; // to see the clock change
const STEP_CLICKS_FOR_TASKS_MAX = 500; // to see a task of every service
const PLAY_TIMEOUT_MS = 20_000; // for the clock to move while playing
const DEFAULT_AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const DEFAULT_INSTANCES_MIN = 6;
const DEFAULT_SERVICES = ['order', 'shipping', 'user'];

test('first screen: fleet renders, Step and Play/Pause advance the clock', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 720 });
  await waitForFleet(page, errors);

  const azs = await page.$$eval('[data-testid=az]', (nodes) => nodes.map((node) => node.dataset.az));
  assert.deepEqual([...azs].sort(), DEFAULT_AZS, 'data-az of the Availability Zones');

  // Before any task: each card shows the agent's six default reserved ports and no ENI in use.
  const usages = await page.$$eval('[data-testid=instance-usage]', (nodes) => nodes.map((n) => n.textContent.trim()));
  assert.ok(usages.length >= DEFAULT_INSTANCES_MIN, `usage lines: ${usages.length}`);
  for (const usage of usages) assert.match(usage, /^Ports 6\/100 · ENIs 0\/\d+$/);

  const step = await buttonNamed(page, 'step', 'Step');
  const clockStart = await clockText(page);
  parseClock(clockStart); // asserts the HH:MM:SS.mmm shape
  const eventsStart = await eventCount(page);

  let clockStepped = clockStart;
  let clicks = 0;
  while (clockStepped === clockStart && clicks < STEP_CLICKS_MAX) {
    await step.click();
    clicks += 1;
    clockStepped = await clockText(page);
  }
  assert.ok(
    parseClock(clockStepped) > parseClock(clockStart),
    `clock went from ${clockStart} to ${clockStepped} after ${clicks} Step clicks`,
  );
  const eventsStepped = await eventCount(page);
  assert.ok(
    eventsStepped > eventsStart,
    `event log had ${eventsStart} entries before stepping and ${eventsStepped} after ${clicks} Step clicks`,
  );

  await (await buttonNamed(page, 'play', 'Play')).click();
  await buttonNamed(page, 'play', 'Pause'); // the same button now offers to pause
  await waitForClockAfter(page, clockStepped, { timeoutMs: PLAY_TIMEOUT_MS });
  await (await buttonNamed(page, 'play', 'Pause')).click();
  await buttonNamed(page, 'play', 'Play');
  const clockPaused = await clockText(page);
  assert.ok(
    parseClock(clockPaused) > parseClock(clockStepped),
    `clock went from ${clockStepped} to ${clockPaused} while playing`,
  );
  await afterFrames(page);
  assert.equal(await clockText(page), clockPaused, 'the clock must stand still while paused');

  const file = await screenshot(page, 'first-screen');
  assert.deepEqual(await pngSize(file), { width: 1280, height: 720 }, `size of ${file}`);
  assert.deepEqual(errors, [], 'console errors, page errors or panics');
});

test('stepping the default scenario starts tasks of every service', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForFleet(page, errors);
  const step = await buttonNamed(page, 'step', 'Step');

  let services = await taskServices(page);
  let clicks = 0;
  while (!DEFAULT_SERVICES.every((name) => services.includes(name)) && clicks < STEP_CLICKS_FOR_TASKS_MAX) {
    await step.click();
    clicks += 1;
    services = await taskServices(page);
  }
  assert.deepEqual(
    DEFAULT_SERVICES.filter((name) => services.includes(name)),
    DEFAULT_SERVICES,
    `services with tasks after ${clicks} Step clicks: ${JSON.stringify([...new Set(services)])}`,
  );
  assert.ok(!services.includes(''), 'every task names its service in data-service');
  assert.deepEqual(errors, [], 'console errors, page errors or panics');
});

/** Waits until the fleet shows the default scenario's AZs and instances; explains a timeout. */
async function waitForFleet(page, errors) {
  try {
    await page.waitForFunction(
      ({ azs, instancesMin }) =>
        document.querySelector('[data-testid=fleet]') !== null &&
        document.querySelectorAll('[data-testid=az]').length === azs &&
        document.querySelectorAll('[data-testid=instance]').length >= instancesMin,
      { azs: DEFAULT_AZS.length, instancesMin: DEFAULT_INSTANCES_MIN },
      { timeout: FLEET_TIMEOUT_MS },
    );
  } catch (error) {
    const seen = await page.evaluate(() => ({
      fleet: document.querySelectorAll('[data-testid=fleet]').length,
      azs: document.querySelectorAll('[data-testid=az]').length,
      instances: document.querySelectorAll('[data-testid=instance]').length,
    }));
    throw new Error(
      `fleet with ${DEFAULT_AZS.length} AZs and >= ${DEFAULT_INSTANCES_MIN} instances did not appear ` +
        `within ${FLEET_TIMEOUT_MS} ms; saw ${JSON.stringify(seen)}; errors: ${JSON.stringify(errors)}`,
      { cause: error },
    );
  }
}

/** The button with this data-testid, checked to have exactly this accessible name. */
async function buttonNamed(page, testId, name) {
  const button = page.getByRole('button', { name, exact: true });
  await button.waitFor({ timeout: 5_000 });
  assert.equal(await button.getAttribute('data-testid'), testId, `data-testid of the "${name}" button`);
  return button;
}

async function clockText(page) {
  return (await page.locator('[data-testid=clock]').textContent()).trim();
}

async function eventCount(page) {
  return page.locator('[data-testid=event-log] [data-testid=event]').count();
}

async function taskServices(page) {
  return page.$$eval('[data-testid=task]', (nodes) => nodes.map((node) => node.dataset.service ?? ''));
}

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(file) {
  const bytes = await readFile(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
