// End-to-end tests of export and import: the Export menu downloads and copies ECS API JSON,
// CloudFormation YAML and JSON, the scenario file and the scenario card; the Import dialog takes pasted AWS JSON
// (tests/export/aws/*.json), shows notes with their paths and loads the scenario.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { openApp, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const AWS = new URL('../export/aws/', import.meta.url);

async function download(page, testid) {
  await page.locator('[data-testid=export-menu] summary').click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${testid}]`).click()]);
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  await page.locator('[data-testid=export-menu] summary').click();
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

test('export ECS JSON, CloudFormation and the scenario file', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await waitForApp(page);
  const ecs = await download(page, 'export-ecs-download');
  assert.match(ecs.name, /\.ecs\.json$/);
  assert.match(ecs.text, /"family": "order"/);
  const yaml = await download(page, 'export-cfn-yaml-download');
  assert.match(yaml.name, /\.cloudformation\.yaml$/);
  assert.match(yaml.text, /^# Flotilla /);
  assert.match(yaml.text, /AWS::ECS::Service/);
  const json = await download(page, 'export-cfn-json-download');
  assert.ok(JSON.parse(json.text).Resources, 'a CloudFormation template');
  const scenario = await download(page, 'export-scenario-download');
  assert.equal(JSON.parse(scenario.text).name, 'Order, User and Shipping microservices');
  const card = await download(page, 'export-card-download');
  assert.match(card.name, /\.card\.html$/);
  const inline = card.text.match(/<script type="application\/json">\n([\s\S]*)\n<\/script>/);
  assert.ok(inline, 'the card holds the scenario inline');
  assert.deepEqual(JSON.parse(inline[1]), JSON.parse(scenario.text), 'the same scenario as the file');
  assert.match(card.text, /<flotilla-sandbox seed="\d+" until="10m" /);

  await page.locator('[data-testid=export-menu] summary').click();
  await screenshot(page, 'export-menu');
  await page.locator('[data-testid=export-cfn-yaml-copy]').click();
  await page.getByText('CloudFormation YAML copied to the clipboard.').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, yaml.text, 'the copy is the same text as the download');
  assert.deepEqual(errors, []);
});

test('import pasted describe-services, task definition and container instances', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const area = page.getByLabel('AWS JSON to import');
  await area.fill('{"services": [');
  await page.locator('[data-testid=import-errors]').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Load scenario' }).isDisabled(), 'broken JSON cannot be loaded');

  for (const name of ['describe-task-definition.json', 'describe-container-instances.json']) {
    await area.fill(await readFile(new URL(name, AWS), 'utf8'));
    await page.getByRole('button', { name: 'Add another document' }).click();
  }
  await area.fill(await readFile(new URL('describe-services.json', AWS), 'utf8'));
  const summary = page.locator('[data-testid=import-summary]');
  await summary.waitFor();
  assert.match(await summary.textContent(), /^Ready: 1 task definition\(s\), 1 service\(s\), \d+ instance\(s\)/);
  const notes = page.locator('[data-testid=import-note]');
  assert.ok((await notes.count()) > 0, 'notes are listed');
  assert.equal(await notes.first().getAttribute('data-kind'), 'unsupported', 'unsupported fields come first');
  assert.match(await notes.first().locator('code.path').textContent(), /\S/, 'each note names its path');
  await screenshot(page, 'import-notes');

  await page.getByRole('button', { name: 'Load scenario' }).click();
  await page.locator('[data-testid=service-row][data-service=web]').waitFor();
  assert.equal(await page.locator('[data-testid=scenario-name]').textContent(), 'Imported from AWS');
  assert.deepEqual(errors, []);
});
