// The traffic view (issue 11): open the discovery fixture tests/discovery/shop.json through the
// toolbar's Open file, read the way a request takes (Route 53 weighted records with shares and
// TTL, the ALB's listener rules with weighted forwards, target groups with their routing and
// targets, Cloud Map instances), stop a task and watch its target drain with the deregistration
// delay counting down, then leave the group; the fleet marks each task's target state. axe-core
// on the view; screenshots at 1280×720 and 1920×1080.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventTexts, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 180_000;
const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'discovery', 'shop.json');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' ; ')}`);
  });
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
  assert.equal(await view.locator('[data-testid=traffic-rates]').textContent(), 'no traffic modelled in this scenario');

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
