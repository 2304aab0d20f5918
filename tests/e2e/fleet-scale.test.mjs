// End-to-end tests of a large fleet on the page (5,000 container instances, 10,000 tasks): the
// fleet renders only the rows of instance cards in view (a virtual grid), so the number of cards
// in the page stays bounded while scrolling reaches the last instance of each Availability Zone;
// the scroll height is that of every card; a rendered card still opens its details by keyboard
// and the accessibility tree names it; Play and Pause still work. Timings are measured by
// tests/e2e/measure-play.mjs, not asserted here.

import assert from 'node:assert/strict';
import test from 'node:test';
import { afterFrames, largeFleetScenario, openApp, parseClock, clockText, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 240_000;
const INSTANCES = 5_000;
/** Cards a 1920×1080 window may hold in the page: a screenful of rows per zone plus margins. */
const CARDS_MAX = 120;

const scenario = largeFleetScenario({
  name: `Scale: ${INSTANCES} instances, 10000 tasks`,
  seed: 3,
  instances: INSTANCES,
  services: 10,
  tasksPerService: 1_000,
});

async function openLarge(t) {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  await page.locator('[data-testid=open-file]').setInputFiles({
    name: 'scale.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Scale' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=zones].virtual').waitFor();
  return { page, errors };
}

/** The fleet's scroll container: the nearest ancestor that scrolls. */
function scroller(page) {
  return page.evaluateHandle(() => {
    let node = document.querySelector('[data-testid=zones]');
    while (node && !(node.scrollHeight > node.clientHeight && getComputedStyle(node).overflowY !== 'visible')) {
      node = node.parentElement;
    }
    return node ?? document.scrollingElement;
  });
}

test('a 5,000-instance fleet renders a bounded number of cards, and scrolling reaches the last instance of every zone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openLarge(t);
  const cards = () => page.locator('[data-testid=instance]').count();
  const first = await cards();
  assert.ok(first > 0 && first <= CARDS_MAX, `cards in the page at the top: ${first} (at most ${CARDS_MAX})`);
  const zones = await page.$$eval('[data-testid=az]', (nodes) => nodes.map((n) => ({ zone: n.dataset.az, instances: Number(n.dataset.instances) })));
  assert.deepEqual(zones.map((z) => z.instances).reduce((a, b) => a + b, 0), INSTANCES, 'the zones hold every instance');

  // The scroll height stands for every card: one zone column is about (instances/3) × 132 px.
  const box = await scroller(page);
  const height = await box.evaluate((node) => node.scrollHeight);
  assert.ok(height > (INSTANCES / 3) * 120, `scroll height ${height} px stands for ${INSTANCES / 3} rows of cards`);

  // Scroll through the fleet in big steps: the number of cards stays bounded all the way.
  let most = first;
  for (let step = 1; step <= 8; step += 1) {
    await box.evaluate((node, fraction) => (node.scrollTop = fraction * (node.scrollHeight - node.clientHeight)), step / 8);
    await page.waitForFunction(() => {
      const rect = document.querySelector('[data-testid=zones]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid=instance]')].some((card) => {
        const r = card.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight && r.top >= rect.top;
      });
    });
    most = Math.max(most, await cards());
  }
  assert.ok(most <= CARDS_MAX, `at most ${most} cards in the page while scrolling (bound ${CARDS_MAX})`);

  // At the bottom, the last instance of each zone is rendered and on screen.
  const last = await page.$$eval('[data-testid=az]', (nodes) =>
    nodes.map((zone) => {
      const cards = zone.querySelectorAll('[data-testid=instance]');
      const card = cards[cards.length - 1];
      const r = card.getBoundingClientRect();
      const below = parseFloat(zone.querySelector('.rows').style.paddingBottom || '0');
      return { instance: card.dataset.instance, onScreen: r.top < innerHeight && r.bottom > 0, below };
    }),
  );
  for (const { instance, onScreen, below } of last) {
    assert.equal(below, 0, `no row of the zone is left below ${instance}`);
    assert.ok(instance?.startsWith('i-'), `the zone's last card is an instance (${instance})`);
    assert.ok(onScreen, `the last card ${instance} is on screen at the bottom`);
  }
  await screenshot(page, 'fleet-scale-bottom-1920');

  // The accessibility tree names the rendered cards' buttons; a card opens its details by keyboard.
  const target = last[0].instance;
  const button = page.getByRole('button', { name: target, exact: true });
  assert.equal(await button.count(), 1, `the a11y tree has a button named ${target}`);
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=instance-details]').waitFor();
  assert.match(await page.locator('[data-testid=instance-details]').textContent(), new RegExp(target));
  await screenshot(page, 'fleet-scale-details-1920');

  // Back to the top: the first cards come back.
  await box.evaluate((node) => (node.scrollTop = 0));
  await page.waitForFunction(() => {
    const zone = document.querySelector('[data-testid=az] .rows');
    return zone && parseFloat(zone.style.paddingTop || '0') === 0;
  });
  assert.ok((await cards()) <= CARDS_MAX);
  assert.deepEqual(errors, []);
});

test('Play and Pause on a 5,000-instance fleet: the clock moves, then stands still', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openLarge(t);
  await page.selectOption('[data-testid=speed]', '10');
  const before = parseClock(await clockText(page));
  await page.click('[data-testid=play]');
  await page.waitForFunction((t0) => {
    const text = document.querySelector('[data-testid=clock]').textContent.trim();
    const [h, m, s] = text.split(':');
    return (Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000 > t0 + 5_000;
  }, before, { timeout: 60_000 });
  await screenshot(page, 'fleet-scale-playing-1920');
  assert.ok((await page.locator('[data-testid=instance]').count()) <= CARDS_MAX, 'cards stay bounded while playing');
  await page.click('[data-testid=play]');
  await page.locator('[data-testid=play]', { hasText: 'Play' }).waitFor();
  const paused = await clockText(page);
  await afterFrames(page, 30);
  assert.equal(await clockText(page), paused, 'the clock stands still after Pause');
  assert.deepEqual(errors, []);
});
