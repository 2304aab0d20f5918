// End-to-end tests of defining a scenario in the editors: add N instances of a catalogue type in
// an Availability Zone with attributes, remove them; edit a service's desired count and
// placement with the memberOf expression checked live (the error points at its column); service
// edits restart the run, fleet edits keep the clock (as "Add it" does); a half-filled form
// survives switching tabs and reloading. Defining from scratch (issue 13 item 17): a new
// service's task-definition list offers a new family; the scenario can be renamed (Save writes
// the new name); a lone imported task definition says what to do next.

import assert from 'node:assert/strict';
import test from 'node:test';
import { readFile } from 'node:fs/promises';
import { clockText, jumpTo, openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;

async function openEditors(page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.locator('[data-testid=fleet-editor]').waitFor();
}

test('fleet editor: add instances with attributes, reject a bad zone, remove them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await jumpTo(page, '1m', '00:01:00.000');
  await openEditors(page);

  await page.locator('[data-testid=fleet-az]').fill('mars-1');
  await page.locator('.field-error', { hasText: 'not an Availability Zone' }).waitFor();
  assert.ok(await page.locator('[data-testid=fleet-add]').isDisabled(), 'cannot add with a bad zone');

  await page.locator('[data-testid=fleet-count]').fill('2');
  await page.locator('[data-testid=fleet-type]').selectOption('c5.xlarge');
  await page.locator('[data-testid=fleet-az]').fill('us-east-1d');
  await page.locator('[data-testid=fleet-attributes]').fill('stack=prod');
  assert.equal(await page.locator('.field-error').count(), 0);
  await screenshot(page, 'define-fleet-form');
  await page.locator('[data-testid=fleet-add]').click();

  const zone = page.locator('[data-testid=az][data-az=us-east-1d]');
  await zone.waitFor();
  assert.equal(await zone.locator('[data-testid=instance]').count(), 2);
  // Adding instances keeps the clock, as the suggestions' "Add it" does, and says so.
  assert.equal(await clockText(page), '00:01:00.000', 'the run is replayed on the new fleet up to now');
  await openEditors(page);
  assert.match(await page.locator('[data-testid=fleet-clock-note]').textContent(), /keeps the clock/);
  await page.getByRole('tab', { name: 'Details' }).click();
  await zone.locator('[data-testid=instance] button.instance-id').first().click();
  const details = await page.locator('[data-testid=instance-details]').textContent();
  assert.match(details, /c5\.xlarge/);
  assert.match(details, /stackprod/, 'the custom attribute is on the instance');

  await openEditors(page);
  await page.getByRole('button', { name: 'Remove all 2 c5.xlarge in us-east-1d' }).click();
  await page.locator('[data-testid=az][data-az=us-east-1d]').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('fleet editor: every field\'s error at once; instance types in natural order', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  const types = await page.locator('[data-testid=fleet-type] option').evaluateAll((options) => options.map((o) => o.value));
  assert.ok(types.indexOf('c5.2xlarge') < types.indexOf('c5.18xlarge'), 'c5.2xlarge before c5.18xlarge');
  assert.ok(types.indexOf('c5.large') < types.indexOf('c5.xlarge'), 'c5.large before c5.xlarge');

  await page.locator('[data-testid=fleet-count]').fill('0');
  await page.locator('[data-testid=fleet-az]').fill('mars-1z');
  await page.locator('[data-testid=fleet-attributes]').fill('stack');
  await page.locator('[data-testid=fleet-ami]').fill('ami-12');
  const shown = await page.locator('[data-testid=fleet-editor] .field-error').allTextContents();
  assert.equal(shown.length, 4, `four errors at once: ${JSON.stringify(shown)}`);
  assert.ok(shown.includes('must be at least 1'), 'count');
  assert.ok(shown.some((m) => m.includes('"mars-1z" is not an Availability Zone name')), 'zone');
  assert.ok(shown.includes('\u201cstack\u201d is not name=value'), 'attributes');
  assert.ok(shown.some((m) => m.includes('is not an AMI ID')), 'AMI');
  assert.ok(await page.locator('[data-testid=fleet-add]').isDisabled());
  assert.equal((await page.locator('[data-testid=fleet-fix-note]').textContent()).trim(), 'Fix the 4 errors above');
  await page.locator('[data-testid=fleet-add]').scrollIntoViewIfNeeded();
  await screenshot(page, 'define-fleet-all-errors');
  assert.deepEqual(errors, []);
});

test('service editor: memberOf checked live with its column; applying restarts the run', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('order');
  const memberOf = page.locator('[data-testid=edit-member-of]');
  await memberOf.fill('attribute:ecs.availability-zone in [us-east-1a, us-east-1b');
  const error = page.locator('[data-testid=member-of-error]');
  await error.waitFor();
  assert.match(await error.textContent(), /column \d+:/);
  assert.ok(await page.locator('[data-testid=edit-apply]').isDisabled());
  await screenshot(page, 'define-member-of-error');

  // A half-filled form survives switching tabs and a reload.
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.reload({ waitUntil: 'load' });
  await waitForApp(page);
  await openEditors(page);
  assert.equal(await memberOf.inputValue(), 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b');

  await memberOf.fill('attribute:ecs.availability-zone in [us-east-1a, us-east-1b]');
  await error.waitFor({ state: 'detached' });
  await page.locator('[data-testid=edit-desired]').fill('4');
  await page.locator('[data-testid=edit-apply]').click();
  await jumpTo(page, '2m', '00:02:00.000');
  const zones = await page.$$eval('[data-testid=az]', (azs) =>
    azs.flatMap((az) => [...az.querySelectorAll('[data-testid=task][data-service=order]')].map(() => az.dataset.az)),
  );
  assert.ok(zones.length >= 4, `order tasks: ${JSON.stringify(zones)}`);
  assert.ok(zones.every((zone) => zone !== 'us-east-1c'), `no order task in us-east-1c: ${JSON.stringify(zones)}`);
  await page.getByRole('button', { name: 'order', exact: true }).click();
  assert.match(await page.locator('[data-testid=service-details]').textContent(), /memberOf\(attribute:ecs\.availability-zone in \[us-east-1a, us-east-1b\]\)/);
  await screenshot(page, 'define-service-applied');
  assert.deepEqual(errors, []);
});

test('a new service\'s task-definition list offers a new family, defined in the editor it brings into view', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('+new');
  const choices = await page.locator('[data-testid=edit-task-definition] option').allTextContents();
  assert.ok(choices.some((c) => c.startsWith('New family')), `the list offers a new family: ${JSON.stringify(choices)}`);
  await page.locator('[data-testid=edit-task-definition]').selectOption('+family');
  const family = page.locator('[data-testid=taskdef-family]');
  await family.waitFor();
  assert.notEqual(await page.locator('[data-testid=edit-task-definition]').inputValue(), '+family', 'the service keeps a real choice');
  // The task-definition editor comes before the fleet form, and into view.
  const [taskdefs, fleet] = [await page.locator('[data-testid=taskdef-editor]').boundingBox(), await page.locator('[data-testid=fleet-editor]').boundingBox()];
  assert.ok(taskdefs.y < fleet.y, 'task definitions above the fleet form');
  await page.waitForFunction(() => {
    const field = document.querySelector('[data-testid=taskdef-family]').getBoundingClientRect();
    return field.top >= 0 && field.bottom <= window.innerHeight;
  }, null, { timeout: 5_000 });
  await family.fill('payments');
  await page.locator('[data-testid=taskdef-register]').click();
  await openEditors(page);
  await page.locator('[data-testid=edit-service]').selectOption('+new');
  assert.ok((await page.locator('[data-testid=edit-task-definition] option').allTextContents()).includes('payments:1'));
  await screenshot(page, 'define-new-family');
  assert.deepEqual(errors, []);
});

test('a scenario can be renamed: the top bar and the saved file say the new name and description', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=library]').selectOption('rolling-minimal-cost');
  await page.locator('[data-testid=scenario-name]', { hasText: '(min 50 %, max 100 %)' }).waitFor();
  await jumpTo(page, '1m', '00:01:00.000');
  await openEditors(page);
  const name = page.locator('[data-testid=scenario-name-input]');
  assert.match(await name.inputValue(), /\(min 50 %, max 100 %\)$/);
  await name.fill('');
  assert.ok(await page.locator('[data-testid=scenario-rename]').isDisabled(), 'a scenario needs a name');
  await name.fill('Rolling deploy, nothing kept healthy (min 0 %, max 100 %)');
  await page.locator('[data-testid=scenario-description-input]').fill('All four tasks stop at once.');
  await page.locator('[data-testid=scenario-rename]').click();
  await page.locator('[data-testid=scenario-name]', { hasText: 'nothing kept healthy' }).waitFor();
  assert.equal(await clockText(page), '00:01:00.000', 'renaming keeps the clock');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save]').click()]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.name, 'Rolling deploy, nothing kept healthy (min 0 %, max 100 %)');
  assert.equal(saved.description, 'All four tasks stop at once.');
  assert.deepEqual(errors, []);
});

test('a lone imported task definition says what to do next, and each step opens its form', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.locator('[data-testid=import]').click();
  const taskDefinition = { family: 'web', containerDefinitions: [{ name: 'web', image: 'example.com/web:1', cpu: 256, memory: 512 }] };
  await page.locator('[data-testid=import-text]').fill(JSON.stringify(taskDefinition));
  await page.locator('[data-testid=import-load]').click();
  const steps = page.locator('[data-testid=next-steps]');
  await steps.waitFor();
  assert.equal(await page.locator('[data-testid=next-step-fleet]').count(), 1, 'it needs instances');
  assert.match(await page.locator('[data-testid=next-step-service]').textContent(), /web:1/, 'a service using the imported revision');
  await screenshot(page, 'define-next-steps');

  await page.getByRole('button', { name: 'Add instances…' }).click();
  const fleetForm = page.locator('[data-testid=fleet-editor]');
  await fleetForm.waitFor();
  const [fleetBox, servicesBox] = [await fleetForm.boundingBox(), await page.locator('[data-testid=service-editor]').boundingBox()];
  assert.ok(fleetBox.y < servicesBox.y, 'without instances, the fleet form leads');
  await page.locator('[data-testid=fleet-count]').fill('2');
  await page.locator('[data-testid=fleet-add]').click();
  await page.locator('[data-testid=next-step-fleet]').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Add a service using web:1…' }).click();
  await page.locator('[data-testid=edit-name]').waitFor();
  assert.equal(await page.locator('[data-testid=edit-task-definition]').inputValue(), 'web:1');
  await page.locator('[data-testid=edit-name]').fill('web');
  await page.locator('[data-testid=edit-apply]').click();
  await steps.waitFor({ state: 'detached' });
  await page.locator('[data-testid=service-row][data-service=web]').waitFor();
  assert.deepEqual(errors, []);
});
