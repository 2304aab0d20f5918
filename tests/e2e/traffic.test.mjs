// The traffic view (issue 11): open the discovery fixture tests/discovery/shop.json through the
// toolbar's Open file, read the way a request takes (Route 53 weighted records with shares and
// TTL, the ALB's listener rules with weighted forwards, target groups with their routing and
// targets, Cloud Map instances), stop a task and watch its target drain with the deregistration
// delay counting down, then leave the group; the fleet marks each task's target state. The
// default scenario's requests per entry point, call and target group, with no hazard; the
// built-in blue/green by Route 53 weights: a weight set by hand, the share of requests resolving
// each record as client caches expire, and the stale-DNS hazard of scaling blue in too early
// (cause, timeline mark, jump). axe-core on the view; screenshots at 1280×720 and 1920×1080.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { axeViolations, clockText, eventTexts, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 180_000;
const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'discovery', 'shop.json');

async function openShop(page) {
  await waitForApp(page);
  const buffer = await readFile(SHOP);
  await page.locator('[data-testid=open-file]').setInputFiles({ name: 'shop.json', mimeType: 'application/json', buffer });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Shop behind an ALB' }).waitFor();
}

/** The health texts of a target group's targets, by task id. */
async function targets(page, group) {
  return page.locator(`[data-testid=target-group][data-target-group="${group}"] [data-testid=target]`).evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.task, r.querySelector('[data-testid=target-health]').textContent.trim()])),
  );
}

test('a stopped task\'s target drains for the deregistration delay, counting down, then leaves its group', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await openShop(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const view = page.locator('[data-testid=traffic]');
  await view.waitFor();
  // Every tab fits on one row beside the fleet at 1280 px.
  const tops = await page.locator('[role=tab]').evaluateAll((tabs) => tabs.map((t) => t.getBoundingClientRect().top));
  assert.equal(new Set(tops).size, 1, `tabs on one row: ${tops}`);
  assert.equal(await view.locator('[data-testid=traffic-rates]').textContent(), 'No requests are modelled in this scenario (it has no traffic section).');

  // Clients → Route 53: the weighted name's two records with their shares (200 and 55 of 255).
  const shop = view.locator('[data-testid=record-set][data-name="shop.example.com"] [data-testid=record]');
  assert.deepEqual(await shop.allTextContents(), [
    'blue weight 200 (78%) → alias to load balancer shop · TTL: the load balancer\'s',
    'green weight 55 (22%) → alias to load balancer shop · TTL: the load balancer\'s',
  ]);
  // → the listener's rules in priority order, with weighted forwards.
  assert.deepEqual(await view.locator('[data-testid=rule]').allTextContents(), [
    'priority 10: path /orders* → order-blue 90% · order-green 10%',
    'priority 20: path /users* → user 100%',
    'default → order-blue 100%',
  ]);
  // → target groups: order-blue routes to its two healthy targets; order-green has none.
  const blue = await targets(page, 'order-blue');
  assert.deepEqual(Object.values(blue), ['healthy', 'healthy'], JSON.stringify(blue));
  assert.equal(await view.locator('[data-target-group=order-blue] [data-testid=routing]').getAttribute('data-routing'), 'healthy');
  const green = view.locator('[data-target-group=order-green] [data-testid=routing]');
  assert.equal(await green.getAttribute('data-routing'), 'nothing to route to');
  assert.match(await green.textContent(), /clients get HTTP 503/);
  assert.deepEqual(Object.values(await targets(page, 'user')), ['healthy', 'healthy']);
  // Cloud Map: both services have their two tasks registered and healthy.
  for (const name of ['order.shop.local', 'user.shop.local']) {
    const instances = view.locator(`[data-testid=registry][data-name="${name}"] [data-testid=registry-instance]`);
    assert.equal(await instances.count(), 2, name);
  }
  // The fleet marks each task by its target's state; the legend explains the marks.
  const [stopped] = Object.keys(blue);
  const chip = page.locator(`[data-testid=task][data-task=${stopped}]`);
  assert.equal(await chip.getAttribute('data-target'), 'healthy');
  assert.match(await chip.getAttribute('aria-label'), /target healthy/);
  await page.locator('[data-testid=fleet-legend] [data-testid=legend-target]').first().waitFor();
  await screenshot(page, 'traffic-1280x720');
  assert.deepEqual(await axeViolations(page), []);

  // Stop one of order-blue's tasks from its target row (→ its details → Stop task).
  await view.locator(`[data-target-group=order-blue] [data-testid=target][data-task=${stopped}] button`).click();
  await page.locator('[data-testid=stop-task]').click();
  await page.getByRole('tab', { name: 'Traffic' }).click();
  assert.equal((await targets(page, 'order-blue'))[stopped], 'draining, 30s left');
  assert.equal(await chip.getAttribute('data-target'), 'draining');
  await view.locator('[data-target-group=order-blue]').scrollIntoViewIfNeeded();
  await screenshot(page, 'traffic-1280x720-draining');
  await jumpTo(page, '1m10s', '00:01:10.000');
  assert.equal((await targets(page, 'order-blue'))[stopped], 'draining, 20s left');
  await jumpTo(page, '1m29s500ms', '00:01:29.500');
  assert.equal((await targets(page, 'order-blue'))[stopped], 'draining, 1s left', 'partial seconds round up');
  await jumpTo(page, '1m31s', '00:01:31.000');
  assert.equal((await targets(page, 'order-blue'))[stopped], undefined, 'deregistered: gone from the group');
  await page.getByRole('tab', { name: 'Events' }).click();
  const events = await eventTexts(page);
  assert.ok(events.some((e) => e.includes(`target of task ${stopped} deregistered from target group order-blue`)), events.slice(0, 12).join('\n'));
  assert.ok(events.some((e) => e.includes(`target of task ${stopped} in target group order-blue is draining until 00:01:30.000`)));
  assert.deepEqual(errors, []);
});

test('the traffic view at 1920×1080, and a scenario without discovery says so', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1920, height: 1080 });
  await waitForApp(page);
  // The default scenario has a load balancer; the rolling deployments do not.
  await page.locator('[data-testid=library]').selectOption('rolling-fast');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  await page.locator('[data-testid=traffic-empty]').waitFor();
  await openShop(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  await page.locator('[data-testid=target-group]').first().waitFor();
  assert.equal(await page.locator('[data-testid=traffic-empty]').count(), 0);
  await screenshot(page, 'traffic-1920x1080');
  assert.deepEqual(errors, []);
});

test('the default scenario: requests flow to the three services, and nothing fails', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const view = page.locator('[data-testid=traffic]');
  assert.match(await view.locator('[data-testid=traffic-rates]').textContent(), /first simulated minute ends/);
  await jumpTo(page, '2m', '00:02:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  // The minute 1:00-2:00, per entry point and call: shoppers' 50 a second reach order, which
  // calls user once and shipping every other time; nothing failed.
  assert.match(await view.locator('[data-testid=traffic-rates]').textContent(), /^1\d\d\.\d per second, 0 failed$/);
  const routes = await view.locator('[data-testid=route]').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.deepEqual(routes.map((r) => r[0]), ['shoppers', 'order→user', 'order→shipping']);
  const perSecond = routes.map((r) => Number(r[1]));
  assert.ok(perSecond[0] > 45 && perSecond[0] < 55 && perSecond[2] > 20 && perSecond[2] < 30, JSON.stringify(routes));
  assert.ok(routes.every((r) => r[3] === '0' && r[4] === '0' && r[5] === '0'), JSON.stringify(routes));
  for (const group of ['order', 'user', 'shipping']) {
    assert.match(await view.locator(`[data-target-group=${group}] [data-testid=group-minute]`).textContent(),
      /^Last minute: \d+\.\d requests\/s · 2xx \d+ · 5xx 0 · 502\/503 0 · latency p50 \d+ ms, p99 \d+ ms$/);
  }
  // Shoppers start at 1:00, once the services are up: nothing has failed.
  assert.equal(await view.locator('[data-testid=no-hazards]').textContent(), 'None so far: every request found a task that could serve it.');
  assert.equal(await page.locator('[data-testid=hazard-marker]').count(), 0);
  await screenshot(page, 'traffic-default-2m');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
});

test('blue/green by Route 53 weights: a weight set by hand moves requests as client caches expire; scaling blue in too early is a stale-DNS hazard', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption('blue-green-dns');
  await page.locator('[data-testid=scenario-name]', { hasText: 'Blue/green by Route 53 weights' }).waitFor();
  await jumpTo(page, '2m', '00:02:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const view = page.locator('[data-testid=traffic]');
  const record = (id) => view.locator('[data-testid=record-set][data-name="shop.example.com"] li').filter({ hasText: `${id} weight` });
  assert.match(await record('blue').locator('[data-testid=resolving]').textContent(), / 100% of requests resolve it now/);
  assert.match(await record('green').locator('[data-testid=resolving]').textContent(), / 0% of requests resolve it now/);
  const caches = view.locator('[data-testid=record-set][data-name="shop.example.com"] [data-testid=client-caches]');
  assert.equal(
    await caches.textContent(),
    'Clients cache answers: 95% for up to 1m; 5% for up to 10m. The weights have not changed, so every cached answer is current.',
  );
  // Out of range: said at once, nothing applied.
  await record('green').locator('[data-testid=weight-input]').fill('300');
  await record('green').getByRole('alert').waitFor();
  assert.equal(await record('green').locator('[data-testid=set-weight]').isDisabled(), true);
  // green 255 beside blue 100: 72% of fresh answers, reached by clients as their caches expire.
  await record('green').locator('[data-testid=weight-input]').fill('255');
  await record('green').locator('[data-testid=set-weight]').click();
  assert.match(await record('green').locator('[data-testid=record]').textContent(), /^green weight 255 \(72%\)/);
  assert.match(await page.locator('[data-testid=action]').first().textContent(), /changeResourceRecordWeight shop\.example\.com green 255|shop\.example\.com/);
  await jumpTo(page, '2m30s', '00:02:30.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  // Half a TTL later: 95% of clients refresh within the TTL (half did), 5% within ten TTLs.
  assert.match(await record('green').locator('[data-testid=resolving]').textContent(), / 34% of requests resolve it now/);
  // Per class of clients: how old an answer gets, and how many already have the new weights.
  assert.equal(
    await caches.textContent(),
    'Clients cache answers: 95% for up to 1m, of whom 50% have the weights of 00:02:00.000; 5% for up to 10m, of whom 5% have them.',
  );
  await jumpTo(page, '3m', '00:03:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const green = await view.locator('[data-target-group=shop-green] [data-testid=group-minute]').textContent();
  assert.ok(Number(/([\d.]+) requests\/s/.exec(green)[1]) > 20, green);
  await screenshot(page, 'traffic-blue-green-3m');
  // The scripted 90/10 at 3m replaced both weights; each field shows the weight now.
  assert.equal(await record('blue').locator('[data-testid=weight-input]').inputValue(), '90');
  assert.equal(await record('green').locator('[data-testid=weight-input]').inputValue(), '10');
  // The scripted switch ends at 0/100 (7m); shop-blue is scaled to 0 at 10m while clients still
  // cache blue: a hazard with that cause, still going at 11m.
  await jumpTo(page, '11m', '00:11:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  // The one hazard: its interval, the requests affected and the cause, drawn on the timeline;
  // its time moves the clock there.
  const hazards = view.locator('[data-testid=hazard]');
  assert.deepEqual((await hazards.allTextContents()).length, 1);
  assert.match(await hazards.first().textContent(),
    /^00:10:01\.000–00:11:0\d\.000 \(still going\) · \d+ requests · clients still resolve shop\.example\.com to blue after a weight change \(their cached answer has not expired: TTL\), and it cannot serve$/);
  assert.equal(await page.locator('[data-testid=hazard-marker]').count(), 1);
  await screenshot(page, 'traffic-blue-green-11m');
  await hazards.first().locator('button').click();
  assert.equal(await clockText(page), '00:10:01.000');
  assert.deepEqual(errors, []);
});
