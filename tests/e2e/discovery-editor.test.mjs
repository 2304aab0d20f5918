// End-to-end tests of the discovery and traffic editor (issue 11: editors for load balancers,
// target groups, records, registries and traffic): on the default scenario a target group's
// deregistration delay set shorter than the task's stop is applied with the clock kept, and the
// traffic view then lists the hazard with its cause (the "done when"); a load balancer
// with a weight out of range and a missing target group shows both problems with their paths
// and Apply stays disabled; malformed JSON says its line and column; an added target group and
// an added Route 53 record appear in the traffic view; removing a target group something names
// is refused with the problems (a notice); a half-typed draft survives a reload.

import assert from 'node:assert/strict';
import test from 'node:test';
import { clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function openEditor(page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=discovery-editor]').waitFor();
}

/** Opens a member's JSON: `label` as its Edit button names it ("target group “order”"). */
async function editMember(page, label) {
  await openEditor(page);
  await page.getByRole('button', { name: `Edit ${label}`, exact: true }).click();
  const editor = page.locator('[data-testid=member-editor]');
  await editor.waitFor();
  return editor;
}

/** Replaces the open member's text with `change(text)`. */
async function retype(editor, change) {
  const json = editor.locator('[data-testid=member-json]');
  await json.fill(change(await json.inputValue()));
}

test('a deregistration delay shorter than the task\'s stop: applied with the clock kept, then a hazard with its cause', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  const editor = await editMember(page, 'target group \u201corder\u201d');
  assert.equal(await editor.locator('h4').textContent(), 'Target group “order” (targetGroups[0]), as in the scenario file');
  // The member exactly as the scenario file writes it.
  const text = await editor.locator('[data-testid=member-json]').inputValue();
  assert.match(text, /^\{\n {2}"name": "order",\n {2}"protocol": "HTTP",/);
  assert.ok(await editor.locator('[data-testid=member-apply]').isDisabled(), 'nothing to apply yet');
  await retype(editor, (json) => json.replace('"deregistrationDelaySeconds": 30', '"deregistrationDelaySeconds": 0'));
  assert.equal(await editor.locator('[data-testid=member-problems]').count(), 0);
  assert.equal(await editor.locator('[data-testid=member-fix-note]').textContent(), 'Applying keeps the clock: your run is replayed up to now');
  await editor.locator('[data-testid=member-apply]').click();
  await editor.waitFor({ state: 'detached' });
  assert.equal(await clockText(page), '00:01:00.000', 'the run is replayed up to now');
  const row = page.locator('[data-testid=discovery-member][data-name=order]');
  assert.match(await row.textContent(), /deregistration delay 0 s/);

  // t0 (an order task) is stopped at 3:00: its target stops draining at once, with requests
  // still in flight.
  await jumpTo(page, '4m', '00:04:00.000');
  await page.getByRole('tab', { name: 'Traffic' }).click();
  const hazard = page.locator('[data-testid=traffic] [data-testid=hazard]');
  await hazard.first().waitFor();
  assert.match(await hazard.first().textContent(),
    /^00:03:00\.000–00:03:01\.000 · \d+ requests · target of task t0 in order finished draining with requests still in flight \(deregistration delay shorter than those requests\)$/);
  await screenshot(page, 'discovery-editor-hazard');
  assert.deepEqual(errors, []);
});

test('every problem at once with its path; Apply disabled; malformed JSON gives its line and column', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  await waitForApp(page);
  const editor = await editMember(page, 'load balancer \u201cweb-alb\u201d');
  // ALB forward weights end at 999; "shiping" names no target group.
  await retype(editor, (json) => json
    .replace('"targetGroup": "user"', '"targetGroup": "user",\n              "weight": 1000')
    .replace('"targetGroup": "shipping"', '"targetGroup": "shiping"'));
  // Every problem at once, a line each: its full path from the file's root, then ELB's words.
  const problems = editor.locator('[data-testid=member-problems]');
  await problems.filter({ hasText: 'shiping' }).waitFor();
  assert.deepEqual((await problems.textContent()).split('\n'), [
    'loadBalancers[0].listeners[0].rules[1].forward[0].weight: must be from 0 to 999, found 1000',
    'loadBalancers[0].listeners[0].rules[2].forward[0].targetGroup: no target group named "shiping" in targetGroups',
  ]);
  assert.ok(await editor.locator('[data-testid=member-apply]').isDisabled());
  assert.equal(await editor.locator('[data-testid=member-fix-note]').textContent(), 'Fix the 2 errors above');
  await editor.locator('h4').scrollIntoViewIfNeeded();
  await screenshot(page, 'discovery-editor-errors');

  // The comma after the name taken out: the parser stops where the next member starts.
  await retype(editor, (json) => json.replace('"name": "web-alb",', '"name": "web-alb"'));
  await problems.filter({ hasText: 'not valid JSON' }).waitFor();
  assert.equal(await problems.textContent(), 'not valid JSON at line 3 column 3: expected `,` or `}`');
  assert.ok(await editor.locator('[data-testid=member-apply]').isDisabled());

  // Discard leaves the scenario as it was.
  await editor.locator('[data-testid=member-discard]').click();
  await editor.waitFor({ state: 'detached' });
  assert.match(await page.locator('[data-testid=discovery-member][data-name=web-alb]').textContent(), /web-alb · ALB · 1 listener :80 HTTP · 3 rules/);
  assert.deepEqual(errors, []);
});

test('an added target group and an added Route 53 record appear in the traffic view; a referenced target group is not removed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  await waitForApp(page);
  await openEditor(page);
  await page.locator('[data-testid=discovery-editor]').scrollIntoViewIfNeeded();
  await screenshot(page, 'discovery-editor-listing');
  const groups = page.locator('[data-testid=discovery-section][data-kind="Target groups"]');
  await groups.locator('[data-testid=discovery-add]').click();
  const editor = groups.locator('[data-testid=member-editor]');
  assert.match(await editor.locator('h4').textContent(), /^New target group/);
  assert.match(await editor.locator('[data-testid=member-json]').inputValue(), /"name": "my-target-group"/);
  await editor.locator('[data-testid=member-apply]').click();
  await editor.waitFor({ state: 'detached' });
  await groups.locator('[data-testid=discovery-member][data-name=my-target-group]').waitFor();

  const zone = await editMember(page, 'hosted zone \u201cexample.com\u201d');
  await retype(zone, (json) => json.replace('"records": [',
    '"records": [\n { "name": "www.example.com", "type": "A", "alias": { "loadBalancer": "web-alb" } },'));
  await zone.locator('[data-testid=member-apply]').click();
  await zone.waitFor({ state: 'detached' });

  await page.getByRole('tab', { name: 'Traffic' }).click();
  const view = page.locator('[data-testid=traffic]');
  await view.locator('[data-testid=target-group][data-target-group=my-target-group]').waitFor();
  await view.locator('[data-testid=record-set][data-name="www.example.com"]').waitFor();

  // Removing "user", which a service and a listener rule name, is refused with what it would
  // break, in a notice as any action that could not apply.
  await openEditor(page);
  await page.getByRole('button', { name: 'Remove target group \u201cuser\u201d', exact: true }).click();
  const refused = page.locator('[data-testid=error-banner]');
  await refused.waitFor();
  assert.match(await refused.locator('strong').textContent(), /^The target group “user” was not removed: something still names it$/);
  assert.deepEqual((await refused.locator('pre').textContent()).split('\n'), [
    'services[1].loadBalancers[0].targetGroupArn: no target group named "user" in targetGroups',
    'loadBalancers[0].listeners[0].rules[1].forward[0].targetGroup: no target group named "user" in targetGroups',
  ]);
  assert.equal(await groups.locator('[data-testid=discovery-member][data-name=user]').count(), 1, 'still there');
  await refused.getByRole('button', { name: 'Dismiss' }).click();
  // The unused one goes.
  await page.getByRole('button', { name: 'Remove target group \u201cmy-target-group\u201d', exact: true }).click();
  await groups.locator('[data-testid=discovery-member][data-name=my-target-group]').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('a half-typed draft survives a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t, { width: 1280, height: 800 });
  await waitForApp(page);
  const editor = await editMember(page, 'target group \u201cuser\u201d');
  await retype(editor, (json) => json.replace('"port": 8080', '"port": 80,,'));
  const typed = await editor.locator('[data-testid=member-json]').inputValue();
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await openEditor(page);
  const again = page.locator('[data-testid=member-editor]');
  assert.equal(await again.locator('[data-testid=member-json]').inputValue(), typed);
  assert.match(await again.locator('[data-testid=member-problems]').textContent(), /^not valid JSON at line \d+ column \d+: /);
  assert.ok(await again.locator('[data-testid=member-apply]').isDisabled());
  await again.locator('[data-testid=member-discard]').click();
  await again.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
