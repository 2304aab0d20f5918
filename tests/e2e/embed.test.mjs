// End-to-end tests of the <flotilla-sandbox> element and the `Flotilla` JS API (issue 12) on
// www/embed-demo.html: two embeds (one from `src`, one inline) under a strict Content-Security-
// Policy meta tag. Both render and run independently from one download of the wasm; the page
// gets no global but `Flotilla`; page styles stay out of the embeds and theirs out of the page;
// a bad seed, until or scenario shows a typed error in the element; the JS API throws
// `Flotilla.FlotillaError`s with a path; names from a scenario are text, never markup. The first
// render's time (Performance API) is printed for the report.

import assert from 'node:assert/strict';
import test from 'node:test';
import { BASE_URL, clockText, openApp, parseClock, screenshot, shareBrowser, waitForApp } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const DEMO_URL = new URL('embed-demo.html', BASE_URL).href;
const PROBE = Symbol.for('flotilla-embed-test');

/** Opens the demo page with a probe installed before any page script: CSP violations and the
 * global names the page started with. Returns `{ page, errors, wasmFetches }`. */
async function openDemo(t) {
  const { page, errors } = await openApp(t, { width: 1100, height: 1300 });
  const wasmFetches = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFetches.push(request.url());
  });
  await page.addInitScript((key) => {
    const probe = { globals: Object.getOwnPropertyNames(window), violations: [] };
    document.addEventListener('securitypolicyviolation', (event) => {
      probe.violations.push(`${event.violatedDirective}: ${event.blockedURI}`);
    });
    window[Symbol.for(key)] = probe;
  }, PROBE.description);
  const response = await page.goto(DEMO_URL, { waitUntil: 'load' });
  assert.ok(response?.ok(), `GET ${DEMO_URL} answered ${response?.status()}`);
  await page.evaluate(() => Promise.all([...document.querySelectorAll('flotilla-sandbox')].map((el) => el.ready)));
  return { page, errors, wasmFetches };
}

/** `handle.state()` of the embed with this id. */
function state(page, id) {
  return page.evaluate(async (id) => (await document.getElementById(id).ready).state(), id);
}

/** Polls `condition` (async) every 100 ms until it holds; fails after 10 s saying `what`. */
async function waitFor(condition, what) {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Text of the first element matching `selector` in the embed's shadow root. */
function shadowText(page, id, selector) {
  return page.evaluate(([id, selector]) =>
    document.getElementById(id).shadowRoot.querySelector(selector)?.textContent ?? null, [id, selector]);
}

test('two embeds render under a strict CSP from one wasm download, with no global but Flotilla', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors, wasmFetches } = await openDemo(t);
  const rolling = await state(page, 'rolling');
  const inline = await state(page, 'inline');
  assert.equal(rolling.seed, 7, 'the seed attribute replaces the scenario\'s');
  assert.equal(rolling.untilMs, 5 * 60_000);
  assert.equal(rolling.instances.length, 8);
  assert.equal(inline.untilMs, 2 * 60_000);
  assert.equal(inline.instances.length, 2);
  // Each embed draws the views it names, in its own shadow root.
  const views = await page.evaluate(() => [...document.querySelectorAll('flotilla-sandbox')].map((el) =>
    [...el.shadowRoot.querySelectorAll('section[data-view]')].map((s) => s.dataset.view).join(',')));
  assert.deepEqual(views, ['timeline,fleet,service', 'timeline,events,fleet']);
  assert.match(await page.evaluate(() => document.getElementById('rolling').shadowRoot.querySelector('.chart > svg')?.getAttribute('aria-label')),
    /^Deployment progress: fewest healthy 0 \(minimum 4\)/, 'the service view draws the deployment chart');

  const probe = await page.evaluate((key) => {
    const probe = window[Symbol.for(key)];
    const added = Object.getOwnPropertyNames(window).filter((name) => !probe.globals.includes(name));
    return { added, violations: probe.violations };
  }, PROBE.description);
  assert.deepEqual(probe.added, ['Flotilla'], 'the only new global is Flotilla');
  assert.ok(await page.evaluate(() => customElements.get('flotilla-sandbox') !== undefined));
  assert.deepEqual(probe.violations, [], 'no Content-Security-Policy violation');
  assert.equal(wasmFetches.length, 1, `the wasm is downloaded once for both embeds: ${wasmFetches.join(', ')}`);

  // The first render, from navigation start to the first embed drawn (Performance API).
  const renderedMs = await page.evaluate(() => performance.getEntriesByName('flotilla:rendered')
    .map((mark) => Math.round(mark.startTime)));
  assert.equal(renderedMs.length, 2);
  console.log(`# first render: ${renderedMs[0]} ms, second embed ${renderedMs[1]} ms after navigation start`);
  assert.ok(renderedMs[0] < 5_000, `first render took ${renderedMs[0]} ms`);
  await page.screenshot({ path: await screenshot(page, 'embed-demo'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('the two embeds step and play independently; scrubbing back is exact', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  const before = { rolling: await state(page, 'rolling'), inline: await state(page, 'inline') };
  const steps = [];
  await page.evaluate(() => {
    const el = document.getElementById('rolling');
    window.__stepEvents = 0;
    el.addEventListener('flotilla:step', () => { window.__stepEvents += 1; });
  });
  await page.evaluate(() => document.getElementById('rolling').shadowRoot.querySelector('button[data-act=step]').click());
  steps.push(await state(page, 'rolling'));
  assert.ok(steps[0].events > before.rolling.events || steps[0].nowMs > before.rolling.nowMs, 'Step moved the rolling embed');
  assert.deepEqual(await state(page, 'inline'), before.inline, 'and left the inline one alone');
  assert.equal(await page.evaluate(() => window.__stepEvents), 1, 'one flotilla:step event');

  // Play the inline embed: its clock runs, the other's stays; Pause stops it.
  await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelector('button[data-act=play]').click());
  await waitFor(async () => (await state(page, 'inline')).nowMs >= 20_000, 'the inline embed to play to 20s');
  assert.equal(await shadowText(page, 'inline', 'button[data-act=play]'), 'Pause');
  await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelector('button[data-act=play]').click());
  const paused = await state(page, 'inline');
  await page.waitForTimeout(400);
  assert.equal((await state(page, 'inline')).nowMs, paused.nowMs, 'paused');
  assert.deepEqual((await state(page, 'rolling')).nowMs, steps[0].nowMs, 'the rolling embed did not move while the other played');
  assert.ok((await state(page, 'inline')).services[0].running > 0, 'the inline service started its tasks');

  // Seek forward and back through the JS API: the world at 3m is the same either way.
  const at3m = await page.evaluate(async () => { const h = await document.getElementById('rolling').ready; h.seek('3m'); return h.state(); });
  await page.evaluate(async () => { const h = await document.getElementById('rolling').ready; h.seek('4m'); h.seek(180_000); });
  assert.deepEqual(await state(page, 'rolling'), at3m);
  assert.equal(at3m.now, '00:03:00.000');
  assert.equal(await page.evaluate(() => document.getElementById('rolling').shadowRoot.querySelector('input[type=range]').value), '180000');
  await page.screenshot({ path: await screenshot(page, 'embed-played'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('interactive: stopping a task and scaling act on that embed only, and the link carries them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  await page.evaluate(async () => (await document.getElementById('rolling').ready).seek('1m'));
  const before = await state(page, 'rolling');
  const task = before.instances.flatMap((i) => i.tasks).find((task) => task.state === 'RUNNING');
  assert.ok(task, 'a RUNNING task at 1m');
  await page.evaluate((id) => document.getElementById('rolling').shadowRoot
    .querySelector(`button[data-act=stop][data-task="${id}"]`).click(), task.id);
  const after = await state(page, 'rolling');
  const stopped = after.instances.flatMap((i) => i.tasks).find((t) => t.id === task.id);
  assert.ok(!stopped || stopped.state !== 'RUNNING', `task ${task.id} is no longer RUNNING: ${stopped?.state}`);
  await page.evaluate(() => document.getElementById('rolling').shadowRoot.querySelector('button[data-act=scale][aria-label="Scale web to 5"]').click());
  assert.equal((await state(page, 'rolling')).services[0].desiredCount, 5);
  const instance = after.instances[0].id;
  await page.evaluate((id) => document.getElementById('rolling').shadowRoot
    .querySelector(`button[data-act=drain][data-instance="${id}"]`).click(), instance);
  assert.equal((await state(page, 'rolling')).instances[0].status, 'DRAINING');
  // The read-only embed offers no actions.
  assert.equal(await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelectorAll('button[data-act=stop],button[data-act=scale],button[data-act=drain]').length), 0);
  const href = await page.evaluate(() => document.getElementById('rolling').shadowRoot.querySelector('a.open').getAttribute('href'));
  assert.match(href, /^\/#s=[A-Za-z0-9_-]+&t=1m$/);
  assert.equal(await page.evaluate(async () => (await document.getElementById('rolling').ready).openLink()), href);
  // The full app opens the link at the embed's moment, with the reader's actions in its timeline.
  const app = await page.context().newPage();
  const appErrors = [];
  app.on('pageerror', (error) => appErrors.push(error.message));
  await app.goto(new URL(href, DEMO_URL).href);
  await waitForApp(app);
  await waitFor(async () => parseClock(await clockText(app)) === 60_000, 'the app to open at 1m');
  const opened = await app.textContent('body');
  assert.match(opened, /Opened .Fast rolling deploy without losing capacity/);
  await screenshot(app, 'embed-opened-in-app');
  assert.deepEqual(appErrors, []);
  assert.deepEqual(errors, []);
});

test('page styles do not leak in, embed styles do not leak out, and names are text', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  const styles = await page.evaluate(() => {
    const root = document.getElementById('rolling').shadowRoot;
    const inner = getComputedStyle(root.querySelector('button[data-act=step]'));
    const section = getComputedStyle(root.querySelector('section'));
    const page = getComputedStyle(document.querySelector('.page-button'));
    const text = getComputedStyle(root.querySelector('.flotilla'));
    return {
      innerBackground: inner.backgroundColor, innerColor: inner.color, innerSize: inner.fontSize,
      sectionBorder: section.borderTopStyle, textColor: text.color, textFont: text.fontFamily,
      pageBackground: page.backgroundColor, pageSize: page.fontSize,
    };
  });
  assert.equal(styles.innerBackground, 'rgb(255, 255, 255)', 'the page\'s button rule does not reach the embed');
  assert.notEqual(styles.innerColor, 'rgb(0, 0, 255)');
  assert.equal(styles.innerSize, '12px');
  assert.equal(styles.sectionBorder, 'none', 'the page\'s section rule does not reach the embed');
  assert.notEqual(styles.textColor, 'rgb(124, 45, 18)', 'the page\'s inherited colour does not reach the embed');
  assert.ok(!styles.textFont.includes('Georgia'), `the page's font does not reach the embed: ${styles.textFont}`);
  assert.equal(styles.pageBackground, 'rgb(255, 105, 180)', 'the embed\'s button rule does not reach the page');
  assert.equal(styles.pageSize, '20px');
  // The inline scenario's name has markup in it: it is shown as text, never parsed.
  assert.equal(await shadowText(page, 'inline', '.name'), 'Two <b>web</b> tasks');
  assert.equal(await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelectorAll('b').length), 0);
  assert.deepEqual(errors, []);
});

test('a bad seed, until, view or scenario shows a typed error in the element', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  const cases = [
    [{ src: 'embed/scenarios/rolling-fast.json', seed: 'seven' }, 'seed', /expected a whole number/],
    [{ src: 'embed/scenarios/rolling-fast.json', until: '5 parsecs' }, 'until', /missing unit after 5/],
    [{ src: 'embed/scenarios/rolling-fast.json', until: '9h' }, 'until', /limit is 6h/],
    [{ src: 'embed/scenarios/rolling-fast.json', view: 'fleet,map' }, 'view[1]', /unknown view "map"/],
    [{ src: 'embed/scenarios/missing.json' }, 'src', /HTTP 404/],
    [{ inline: '{"version": 1, "name": ' }, 'scenario', /not valid JSON at line 1/],
    [{ inline: '{"version": 1, "name": "x", "seed": 1, "fleet": [{"instanceType": "t3.giant", "availabilityZone": "us-east-1a", "count": 1}]}' },
      'scenario.fleet[0].instanceType', /t3\.giant/],
    // The embed is built without regular expressions (its size budget): a constraint with `=~`
    // is refused where it stands, pointing to the full app.
    [{ inline: JSON.stringify({ version: 1, name: 'x', seed: 1,
      fleet: [{ instanceType: 't3.medium', availabilityZone: 'us-east-1a', count: 1 }],
      taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', cpu: 256, memory: 256, essential: true }] }],
      services: [{ serviceName: 'web', taskDefinition: 'web', desiredCount: 1,
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] }] }) },
      'scenario.services[0].placementConstraints[0]', /regular expressions .* not available in this build of Flotilla/],
    // Nor load balancers, Route 53, Cloud Map or traffic (flotilla-core's `discovery` feature):
    // the built-in microservices scenario has an ALB and traffic, refused at the first of them.
    [{ src: 'embed/scenarios/microservices.json' }, 'scenario.targetGroups',
      /load balancers, service discovery and traffic are not in this build of Flotilla/],
  ];
  for (const [attributes, path, message] of cases) {
    const result = await page.evaluate(async (attributes) => {
      const el = document.createElement('flotilla-sandbox');
      for (const [name, value] of Object.entries(attributes)) {
        if (name === 'inline') {
          const script = document.createElement('script');
          script.type = 'application/json';
          script.textContent = value;
          el.append(script);
        } else el.setAttribute(name, value);
      }
      document.body.append(el);
      let error = null;
      try { await el.ready; } catch (e) { error = { name: e.name, path: e.path, message: e.message, typed: e instanceof Flotilla.FlotillaError }; }
      const box = el.shadowRoot.querySelector('.error[role=alert]');
      const shown = box ? { text: box.textContent, path: box.dataset.path, visible: box.getBoundingClientRect().height > 0 } : null;
      el.remove();
      return { error, shown };
    }, attributes);
    const what = JSON.stringify(attributes).slice(0, 80);
    assert.ok(result.error, `${what}: ready rejects`);
    assert.equal(result.error.name, 'FlotillaError', what);
    assert.ok(result.error.typed, `${what}: an instance of Flotilla.FlotillaError`);
    assert.equal(result.error.path, path, what);
    assert.match(result.error.message, message, what);
    assert.ok(result.shown?.visible, `${what}: the element shows the error`);
    assert.equal(result.shown.path, path);
    assert.match(result.shown.text, message);
  }
  // A failed embed leaves the others running.
  await page.evaluate(async () => (await document.getElementById('rolling').ready).step());
  // Expected 404 of the missing scenario, and nothing else.
  assert.deepEqual(errors.filter((e) => !e.includes('missing.json')), []);
});

test('the JS API throws FlotillaErrors with a path, never a panic', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  const results = await page.evaluate(async () => {
    const h = await document.getElementById('rolling').ready;
    const results = [];
    const attempt = async (body) => {
      try { await body(); return 'no error'; } catch (e) {
        return `${e instanceof Flotilla.FlotillaError ? 'FlotillaError' : e.name} ${e.path}: ${e.message}`;
      }
    };
    results.push(
      await attempt(() => Flotilla.mount(null)),
      await attempt(() => Flotilla.mount(document.body, 'fleet')),
      await attempt(() => Flotilla.mount(document.createElement('div'), { scenario: {}, colour: 'red' })),
      await attempt(() => h.seek(true)),
      await attempt(() => h.seek('99h')),
      await attempt(() => h.seek(-5)),
      await attempt(() => h.apply({ stopTask: {} })),
      await attempt(() => h.apply({ updateService: { service: 'web', desiredCount: 'many' } })),
      await attempt(() => h.apply({ launchRocket: {} })),
      await attempt(() => h.apply({ stopTask: { task: 't999' } })),
      await attempt(() => h.apply('stopTask')),
      await attempt(() => h.seek('1m')),
    );
    // Mounting again into the same element replaces the embed: the old handle is destroyed.
    const div = document.createElement('div');
    document.body.append(div);
    const scenario = await (await fetch('embed/scenarios/rolling-fast.json')).text();
    const first = await Flotilla.mount(div, { scenario, view: 'timeline' });
    const second = await Flotilla.mount(div, { scenario, view: 'timeline', until: '1m' });
    results.push(await attempt(() => first.step()));
    const before = second.state().events;
    div.shadowRoot.querySelector('button[data-act=step]').click();
    results.push(`second stepped: ${second.state().events > before}, until ${second.state().untilMs}`);
    div.remove();
    return results;
  });
  const lines = results.map((line) => line.split(':')[0]);
  assert.deepEqual(lines, [
    'FlotillaError element',
    'FlotillaError options',
    'FlotillaError colour',
    'FlotillaError t',
    'FlotillaError t',
    'FlotillaError t',
    'FlotillaError action.stopTask',
    'FlotillaError action.updateService.desiredCount',
    'FlotillaError action',
    'FlotillaError action',
    'FlotillaError action.stopTask',
    'no error',
    'FlotillaError ',
    'second stepped',
  ], results.join('\n'));
  assert.match(results[12], /destroyed/);
  assert.equal(results[13], 'second stepped: true, until 60000');
  assert.match(results[4], /after the end of this embed's run/);
  assert.match(results[6], /task/);
  // The embed still works after every refusal.
  assert.equal((await state(page, 'rolling')).now, '00:01:00.000');
  assert.deepEqual(errors, []);
});

test('assertion badges: held and broken at a moment, a click jumps there, events carry them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, errors } = await openDemo(t);
  const badges = await page.evaluate(async () => (await document.getElementById('inline').ready).checkAssertions());
  assert.deepEqual(badges.map((b) => [b.label, b.status, b.atMs]), [
    ['both <i>tasks</i> run', 'held', 60_000],
    ['at 30s exactly 3 tasks of web', 'broken', 30_000],
  ]);
  assert.match(badges[1].evidence, /2/);
  await waitFor(async () => (await page.evaluate(() =>
    document.getElementById('inline').shadowRoot.querySelectorAll('.assertions .badge').length)) === 2, 'two badges');
  const shown = await page.evaluate(() => [...document.getElementById('inline').shadowRoot.querySelectorAll('.assertions .badge')]
    .map((b) => [b.className, b.textContent]));
  assert.deepEqual(shown, [
    ['badge held', '✓ both <i>tasks</i> run · held'],
    ['badge broken', '✗ at 30s exactly 3 tasks of web · broken at 0:30'],
  ]);
  assert.equal(await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelectorAll('i').length), 0,
    'a name with markup is text');
  // The built-in rolling-fast carries the docs' five assertions; in the page's interactive embed
  // (seed 7, until 5m) every one of them holds.
  const rollingBadges = await page.evaluate(async () => (await document.getElementById('rolling').ready).checkAssertions());
  assert.deepEqual(rollingBadges.map((b) => [b.label, b.status]), [
    ['capacity never drops', 'held'],
    ['never more than 8 tasks of web', 'held'],
    ['at 2m10s exactly 8 tasks of web', 'held'],
    ['the deployment of web completes before 4m', 'held'],
    ['at 5m exactly 4 tasks of web RUNNING', 'held'],
  ]);
  // A click on the broken badge jumps the embed to the moment it broke.
  await page.evaluate(() => document.getElementById('inline').shadowRoot.querySelector('.badge.broken').click());
  assert.equal((await state(page, 'inline')).nowMs, 30_000);
  // A page can listen: every mount sends one flotilla:assertion per assertion.
  const events = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('flotilla-sandbox');
    el.setAttribute('until', '1m');
    const script = document.createElement('script');
    script.type = 'application/json';
    script.textContent = document.querySelector('#inline > script').textContent;
    el.append(script);
    const seen = [];
    el.addEventListener('flotilla:assertion', (event) => {
      seen.push(`${event.detail.status} ${event.detail.label}`);
      if (seen.length === 2) resolve(seen);
    });
    document.body.append(el);
  }));
  assert.deepEqual(events, ['held both <i>tasks</i> run', 'broken at 30s exactly 3 tasks of web']);
  await page.screenshot({ path: await screenshot(page, 'embed-badges'), fullPage: true });
  assert.deepEqual(errors, []);
});
