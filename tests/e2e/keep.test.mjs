// End-to-end tests of keeping work: the autosave restores the scenario and the run's actions on
// reload; a share link opens the scenario in a fresh browser, and a browser without
// CompressionStream writes one (stored, uncompressed) that opens too; a bad link or file shows an error
// banner and leaves the previous work open; Save downloads the scenario file; the library opens
// built-ins. Every assertion is on what the user sees.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  BASE_URL,
  clockText,
  jumpTo,
  openApp,
  screenshot,
  shareBrowser,
  skipTour,
  waitForApp,
} from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

/** A small valid scenario, different from the default, as a user might write it. */
const WORKSHOP = {
  version: 1,
  name: 'Workshop <b>fleet</b>',
  seed: 7,
  fleet: [{ instanceType: 'm5.large', availabilityZone: 'eu-west-1a', count: 2 }],
  taskDefinitions: [
    { family: 'web', containerDefinitions: [{ name: 'web', image: 'example.com/web:1', cpu: 256, memory: 512 }] },
  ],
  services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }],
};

function linkFor(text) {
  return `${BASE_URL}#s=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;
}

async function openFile(page, name, text) {
  await page.locator('[data-testid=open-file]').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

async function scenarioName(page) {
  return (await page.locator('[data-testid=scenario-name]').textContent()).trim();
}

test('autosave: the scenario, the clock and the actions survive a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '40s', '00:00:40.000');
  await page.locator('[data-testid=service-row][data-service=order] button').click();
  await page.getByLabel('Desired count').fill('5');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=service-desired]', { hasText: '5' }).waitFor();

  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  assert.equal(await clockText(page), '00:00:40.000', 'clock after reload');
  const actions = await page.locator('[data-testid=action]').allTextContents();
  assert.deepEqual(actions, ['00:00:40.000 Scale order to 5'], 'actions after reload');
  const desired = await page.locator('[data-testid=service-row][data-service=order] td.num').first().textContent();
  assert.equal(desired.trim(), '5', 'order desired count after reload');
  await screenshot(page, 'keep-autosave-restored');
  assert.deepEqual(errors, []);
});

test('open a file, share it by link, and open the link in a fresh browser', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openFile(page, 'workshop.json', JSON.stringify(WORKSHOP));
  await page.locator('[data-testid=scenario-name]', { hasText: 'Workshop' }).waitFor();
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'a name renders as text, never HTML');
  assert.equal(await page.locator('[data-testid=scenario-name] b').count(), 0);
  assert.deepEqual(
    await page.$$eval('[data-testid=az]', (nodes) => nodes.map((n) => n.dataset.az)),
    ['eu-west-1a'],
  );

  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.locator('[data-testid=share-link]').inputValue();
  assert.match(link, /#s=[A-Za-z0-9_-]+$/, 'the link carries the scenario in the fragment');
  await screenshot(page, 'keep-share-link');

  const fresh = await page.context().browser().newContext({ viewport: { width: 1920, height: 1080 } });
  await skipTour(fresh);
  t.after(() => fresh.close());
  const other = await fresh.newPage();
  other.on('pageerror', (error) => errors.push(`page error (link page): ${error.message}`));
  await other.goto(link, { waitUntil: 'load' });
  await waitForApp(other);
  assert.equal(await scenarioName(other), 'Workshop <b>fleet</b>', 'the link opened the shared scenario');
  await other.locator('[data-testid=info-banner]', { hasText: 'from the link' }).waitFor();
  assert.equal(new URL(other.url()).hash, '', 'the fragment is cleared, so a reload keeps later work');
  await screenshot(other, 'keep-link-opened-1920');
  assert.deepEqual(errors, []);
});

test('a browser without CompressionStream writes a longer share link that opens the same scenario', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openFile(page, 'workshop.json', JSON.stringify(WORKSHOP));
  await page.locator('[data-testid=scenario-name]', { hasText: 'Workshop' }).waitFor();
  await page.getByRole('button', { name: 'Share link' }).click();
  const compressed = await page.locator('[data-testid=share-link]').inputValue();

  const older = await page.context().browser().newContext({ viewport: { width: 1280, height: 720 } });
  await skipTour(older);
  await older.addInitScript(() => {
    delete globalThis.CompressionStream;
  });
  t.after(() => older.close());
  const other = await older.newPage();
  other.on('pageerror', (error) => errors.push(`page error (no CompressionStream): ${error.message}`));
  await other.goto(compressed, { waitUntil: 'load' });
  await waitForApp(other);
  assert.equal(await other.evaluate(() => typeof CompressionStream), 'undefined');
  assert.equal(await scenarioName(other), 'Workshop <b>fleet</b>', 'the compressed link opened');
  await other.getByRole('button', { name: 'Share link' }).click();
  await other.locator('[data-testid=info-banner]', { hasText: 'Share link ready' }).waitFor();
  const stored = await other.locator('[data-testid=share-link]').inputValue();

  const payload = (link) => Buffer.from(new URL(link).hash.replace(/^#s=/, ''), 'base64url');
  assert.equal(payload(stored)[0] & 0b110, 0, 'the stored link is a stored DEFLATE block');
  assert.notEqual(payload(compressed)[0] & 0b110, 0, 'the browser compressed the first link');
  assert.ok(stored.length > compressed.length, `stored ${stored.length} > compressed ${compressed.length} characters`);
  assert.equal(
    inflateRawSync(payload(stored)).toString(),
    inflateRawSync(payload(compressed)).toString(),
    'both links carry the same scenario file',
  );

  const fresh = await page.context().browser().newContext({ viewport: { width: 1280, height: 720 } });
  await skipTour(fresh);
  t.after(() => fresh.close());
  const opened = await fresh.newPage();
  opened.on('pageerror', (error) => errors.push(`page error (stored link): ${error.message}`));
  await opened.goto(stored, { waitUntil: 'load' });
  await waitForApp(opened);
  assert.equal(await scenarioName(opened), 'Workshop <b>fleet</b>', 'the stored link opened the shared scenario');
  await opened.locator('[data-testid=info-banner]', { hasText: 'from the link' }).waitFor();
  assert.deepEqual(errors, []);
});

test('a bad link or a bad file shows an error and keeps the previous work', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openFile(page, 'workshop.json', JSON.stringify(WORKSHOP));
  await page.locator('[data-testid=scenario-name]', { hasText: 'Workshop' }).waitFor();

  // Not base64url at all.
  await page.goto(`${BASE_URL}#s=not*base64`, { waitUntil: 'load' });
  await waitForApp(page);
  const banner = page.locator('[data-testid=error-banner]');
  await banner.waitFor();
  assert.match(await banner.textContent(), /link.*could not be opened.*unexpected character/s);
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'previous work still open');

  // Valid encoding, invalid scenario: the core's path-precise error is shown.
  const broken = { ...WORKSHOP, services: [{ serviceName: 'web', taskDefinition: 'web:1', desiredCont: 2 }] };
  await page.goto(linkFor(JSON.stringify(broken)), { waitUntil: 'load' });
  await waitForApp(page);
  await page.locator('[data-testid=error-banner]', { hasText: 'desiredCont' }).waitFor();
  assert.equal(await banner.count(), 1, 'one notice about the link: the newer bad link replaces the older');
  assert.match(await banner.last().textContent(), /services\[0\]\.desiredCont: unknown field/);
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'previous work still open');
  await screenshot(page, 'keep-bad-link');

  // A file that is not JSON.
  await page.locator('[data-testid=error-banner] .dismiss').first().click();
  assert.equal(await banner.count(), 0, 'banners can be dismissed');
  await openFile(page, 'notes.json', 'this is not json');
  await page.locator('[data-testid=error-banner]', { hasText: 'notes.json could not be opened' }).waitFor();
  assert.match(await page.locator('[data-testid=error-banner]').last().textContent(), /not valid JSON at line 1/);
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'previous work still open');
  assert.deepEqual(errors, []);
});

test('the browser inflates links: a cut-off link, one too large and a browser that cannot inflate are errors that keep the work', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openFile(page, 'workshop.json', JSON.stringify(WORKSHOP));
  await page.locator('[data-testid=scenario-name]', { hasText: 'Workshop' }).waitFor();
  const banner = page.locator('[data-testid=error-banner]');

  // A compressed link cut off when copied: its base64 is valid, its DEFLATE stream is not whole.
  const whole = deflateRawSync(Buffer.from(JSON.stringify(WORKSHOP)));
  const cut = whole.subarray(0, Math.floor(whole.length / 2)).toString('base64url');
  await page.goto(`${BASE_URL}#s=${cut}`, { waitUntil: 'load' });
  await waitForApp(page);
  await banner.waitFor();
  assert.match(await banner.textContent(), /link.*could not be opened.*damaged or incomplete.*cut off when copied/s);
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'previous work still open');

  // A small link that inflates past the 4 MiB a scenario file may have is stopped there.
  const bomb = deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 32)).toString('base64url');
  assert.ok(bomb.length < 20_000, `the bomb is a short link (${bomb.length} characters)`);
  await page.goto(`${BASE_URL}#s=${bomb}`, { waitUntil: 'load' });
  await waitForApp(page);
  await banner.filter({ hasText: 'larger than 4194304 bytes' }).waitFor();
  assert.equal(await banner.count(), 1, 'one notice about the link');
  assert.equal(await scenarioName(page), 'Workshop <b>fleet</b>', 'previous work still open');

  // A browser without DecompressionStream('deflate-raw') says what it lacks.
  const older = await page.context().browser().newContext({ viewport: { width: 1280, height: 720 } });
  await skipTour(older);
  await older.addInitScript(() => {
    delete globalThis.DecompressionStream;
  });
  t.after(() => older.close());
  const other = await older.newPage();
  other.on('pageerror', (error) => errors.push(`page error (no DecompressionStream): ${error.message}`));
  await other.goto(linkFor(JSON.stringify(WORKSHOP)), { waitUntil: 'load' });
  await waitForApp(other);
  await other.locator('[data-testid=error-banner]', { hasText: 'no DecompressionStream' }).waitFor();
  assert.notEqual(await scenarioName(other), 'Workshop <b>fleet</b>', 'nothing was opened');
  assert.deepEqual(errors, []);
});

test('Save downloads the working scenario; the library opens a built-in', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openFile(page, 'workshop.json', JSON.stringify(WORKSHOP));
  await page.locator('[data-testid=scenario-name]', { hasText: 'Workshop' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'workshop-b-fleet-b.json');
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.name, WORKSHOP.name);
  assert.equal(saved.services[0].desiredCount, 2);
  assert.deepEqual(saved.timeline ?? [], [], 'no actions yet, none saved');

  // Your actions up to now are saved on the file's timeline, at the times you gave them.
  await jumpTo(page, '40s', '00:00:40.000');
  await page.locator('[data-testid=service-row][data-service=web] button').click();
  await page.getByLabel('Desired count').fill('3');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  await page.locator('[data-testid=service-desired]', { hasText: '3' }).waitFor();
  const [second] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  const withActions = JSON.parse(await readFile(await second.path(), 'utf8'));
  assert.deepEqual(withActions.timeline, [
    { at: '40s', action: { updateService: { service: 'web', desiredCount: 3 } } },
  ]);
  // Opened again, the file replays the scale-out by itself.
  await openFile(page, 'saved.json', JSON.stringify(withActions));
  await jumpTo(page, '1m', '00:01:00.000');
  await page.locator('[data-testid=service-row][data-service=web] td.num', { hasText: '3' }).first().waitFor();

  await page.getByLabel('Scenario library').selectOption('microservices');
  await page.locator('[data-testid=scenario-name]', { hasText: 'microservices' }).waitFor();
  assert.equal(await page.locator('[data-testid=az]').count(), 3);
  assert.deepEqual(errors, []);
});
