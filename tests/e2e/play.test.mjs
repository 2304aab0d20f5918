// End-to-end tests of playing time: jump to a time, rewind exactly with the scrubber and with
// "Jump to time", step back, and the keyboard shortcuts (space, →, ←) that stay quiet while the
// user types in a field. Every assertion is on what the user sees.

import assert from 'node:assert/strict';
import test from 'node:test';
import {
  clockText,
  eventTexts,
  jumpTo,
  openApp,
  parseClock,
  screenshot,
  shareBrowser,
  waitForApp,
  waitForClockAfter,
} from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

test('jump to a time, rewind to an earlier one, and come back to the identical run', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '4m', '00:04:00.000');
  const at4m = await eventTexts(page);
  assert.ok(at4m.some((text) => text.includes('desiredCount 3 -> 6')), 'the timeline scale-out at 2m happened');

  await jumpTo(page, '1:00', '00:01:00.000');
  const at1m = await eventTexts(page);
  assert.ok(at1m.length < at4m.length, `rewound: ${at1m.length} events at 1m, ${at4m.length} at 4m`);
  assert.ok(!at1m.some((text) => text.includes('desiredCount 3 -> 6')), 'the 2m scale-out is undone at 1m');
  assert.deepEqual(at4m.slice(-at1m.length), at1m, 'the first minute is the same run');

  await jumpTo(page, '4m', '00:04:00.000');
  assert.deepEqual(await eventTexts(page), at4m, 'replay after a rewind gives the identical events');

  // The scrubber is a slider: its value is the clock in ms; Home goes back to the start.
  const scrubber = page.getByRole('slider', { name: 'Timeline position' });
  assert.equal(await scrubber.inputValue(), String(4 * 60_000));
  await scrubber.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').textContent.trim() === '00:00:00.000');
  assert.ok((await eventTexts(page)).length < at1m.length, 'scrubbed to the start');
  await screenshot(page, 'play-scrubbed-to-start');

  await jumpTo(page, 'soon');
  await page.getByRole('alert').filter({ hasText: 'is not a time' }).waitFor();
  assert.deepEqual(errors, []);
});

test('keyboard: → steps, ← steps back, space plays and pauses, not while typing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  const count = async () => (await eventTexts(page)).length;
  // A key's render may land after the keypress returns: wait (bounded) for the log to change.
  const settled = async (changed) => {
    await page
      .waitForFunction(
        (changed) => new Function('n', `return ${changed}`)(document.querySelectorAll('[data-testid=event-log] [data-testid=event]').length),
        changed,
        { timeout: 5_000 },
      )
      .catch(() => {});
    return count();
  };
  const start = await count();
  let stepped = start;
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('ArrowRight');
    stepped = await settled(`n > ${stepped}`);
  }
  assert.ok(stepped > start, `→ stepped: ${start} → ${stepped} events`);
  await page.keyboard.press('ArrowLeft');
  const back = await settled(`n < ${stepped}`);
  assert.ok(back < stepped, `← stepped back: ${stepped} → ${back} events`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await settled(`n === ${stepped}`), stepped, '→ after ← gives the same events again');

  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  await waitForClockAfter(page, '00:00:00.000');
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  const paused = await clockText(page);
  assert.ok(parseClock(paused) > 0, 'the clock moved while playing');

  const jump = page.getByLabel('Jump to time');
  await jump.click();
  await page.keyboard.type('1m 30s');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await jump.inputValue(), '1m 30s', 'typing a space went into the field');
  assert.equal(await clockText(page), paused, 'keys typed in a field do not play or step');
  assert.equal(await page.getByRole('button', { name: 'Play', exact: true }).count(), 1, 'still paused');

  // Visible focus: the focused control has an outline.
  await page.getByRole('button', { name: 'Step', exact: true }).focus();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focused buttons show an outline');
  await screenshot(page, 'play-keyboard-1920');
  assert.deepEqual(errors, []);
});

test('a fleet of more than 2,000 tasks shows counts per instance, and every chip on request', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const scenario = {
    version: 1,
    name: 'Large fleet',
    seed: 1,
    fleet: [{ instanceType: 'm5.4xlarge', availabilityZone: 'us-east-1a', count: 20 }],
    taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'app', image: 'example.com/app:1', cpu: 128, memory: 256 }] }],
    services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2_100 }],
  };
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'large.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Large fleet' }).waitFor();
  await jumpTo(page, '5s', '00:00:05.000');
  assert.equal(await page.locator('[data-testid=task-summary]').count(), 20, 'one summary per instance');
  assert.equal(await page.locator('[data-testid=task]').count(), 0, 'no chip per task');
  await page.locator('[data-testid=show-all-tasks]').click();
  await page.locator('[data-testid=task]').nth(2_099).waitFor({ state: 'attached' });
  assert.equal(await page.locator('[data-testid=task]').count(), 2_100);
  assert.equal(await page.locator('[data-testid=task-summary]').count(), 0);
  assert.deepEqual(errors, []);
});

test('Reset goes back before every action, those at 0:00 included; scrubbing forward redoes them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=service-row][data-service=order] button').click();
  await page.getByLabel('Desired count').fill('5');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=service-desired]', { hasText: '5' }).waitFor();
  const desired = () => page.locator('[data-testid=service-row][data-service=order] td.num').first().textContent();
  assert.equal((await desired()).trim(), '5');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.locator('[data-testid=action][data-ahead=true]').waitFor();
  assert.equal((await desired()).trim(), '3', 'the scale-out given at 0:00 is undone by Reset');
  assert.equal(await clockText(page), '00:00:00.000');
  assert.deepEqual(errors, []);
});
