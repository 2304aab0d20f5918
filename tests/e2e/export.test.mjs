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

test('export a discovery scenario: load balancers, Route 53 and Cloud Map in every format', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openApp(t);
  await waitForApp(page);
  const shop = await readFile(new URL('../discovery/shop.json', import.meta.url));
  await page.locator('[data-testid=open-file]').setInputFiles({ name: 'shop.json', mimeType: 'application/json', buffer: shop });
  await page.locator('[data-testid=scenario-name]', { hasText: 'Shop behind an ALB' }).waitFor();

  const ecs = JSON.parse((await download(page, 'export-ecs-download')).text);
  const operations = ecs.documents.map((d) => `${d.api ?? 'ecs'} ${d.operation}`);
  for (const wanted of ['elbv2 CreateTargetGroup', 'elbv2 ModifyTargetGroupAttributes', 'elbv2 CreateLoadBalancer', 'elbv2 CreateListener',
    'elbv2 CreateRule', 'route53 ChangeResourceRecordSets', 'servicediscovery CreatePrivateDnsNamespace', 'servicediscovery CreateService']) {
    assert.ok(operations.includes(wanted), `${wanted} in ${operations.join(', ')}`);
  }
  // The discovery requests come before the ECS services that name them.
  assert.ok(operations.lastIndexOf('servicediscovery CreateService') < operations.indexOf('ecs CreateService'));
  const order = ecs.documents.find((d) => d.operation === 'CreateService' && !d.api && d.input.serviceName === 'order');
  assert.equal(order.input.loadBalancers[0].containerPort, 8080);
  assert.match(order.input.serviceRegistries[0].registryArn, /service\/order$/);

  const yaml = (await download(page, 'export-cfn-yaml-download')).text;
  for (const type of ['AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::Route53::RecordSet', 'AWS::ServiceDiscovery::Service']) {
    assert.ok(yaml.includes(type), type);
  }
  const template = JSON.parse((await download(page, 'export-cfn-json-download')).text);
  assert.deepEqual(template.Resources.OrderService.Properties.LoadBalancers[0].TargetGroupArn, { Ref: 'OrderBlueTargetGroup' });
  assert.ok(template.Resources.OrderService.DependsOn.includes('ShopListener80'));
  const scenario = JSON.parse((await download(page, 'export-scenario-download')).text);
  assert.deepEqual(scenario.targetGroups, JSON.parse(shop.toString('utf8')).targetGroups);
  assert.deepEqual(errors, []);
});
