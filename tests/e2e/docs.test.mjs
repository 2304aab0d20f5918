// End-to-end tests of the documentation site (www/docs/, served at /docs/): every page loads
// under a strict Content-Security-Policy with no violation (no inline script or style), its
// one stylesheet applies, every link to another page of the site or to a scenario file
// answers, every embed names a scenario that is served, and every embed renders its views,
// runs, and holds every assertion of its scenario in the browser (`flotilla check`,
// cli/tests/check.rs, checks the same assertions headless).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import test from 'node:test';
import { BASE_URL, openApp, screenshot, shareBrowser } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const DOCS = new URL('../../www/docs/', import.meta.url);
const PAGES = readdirSync(DOCS).filter((name) => name.endsWith('.html')).sort();
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";

test('every docs page loads under a strict CSP, styled, with working links', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  assert.ok(PAGES.length >= 8, `the index and seven chapters: ${PAGES}`);
  const { page, errors } = await openApp(t, { width: 1280, height: 900 });
  await page.route('**/docs/**', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': STRICT_CSP };
    await route.fulfill({ response, headers });
  });
  // Every CSP violation of a docs page, from its first byte (Chromium also logs each as a
  // console error, which `errors` collects).
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  for (const name of PAGES) {
    const url = new URL(`docs/${name}`, BASE_URL).href;
    await page.goto(url, { waitUntil: 'load' });
    const violations = await page.evaluate(() => window.__violations);
    assert.deepEqual(violations, [], `${name}: CSP violations`);
    const fontSize = await page.locator('h1').evaluate((h1) => getComputedStyle(h1).fontSize);
    assert.equal(fontSize, '32px', `${name}: docs.css applies`);
    const embeds = await page.locator('flotilla-sandbox').count();
    assert.ok(embeds >= 1, `${name}: has an embed`);
    const targets = await page.evaluate(() => [
      ...[...document.querySelectorAll('a[href]')].map((a) => a.href).filter((href) => href.startsWith(location.origin)),
      ...[...document.querySelectorAll('flotilla-sandbox[src]')].map((e) => new URL(e.getAttribute('src'), location.href).href),
    ]);
    for (const target of new Set(targets)) {
      const answer = await page.request.get(target);
      assert.equal(answer.status(), 200, `${name}: ${target}`);
    }
    // Every embed renders its views with the transport, runs (stepping moves its clock), and
    // shows a held badge for each assertion its scenario carries.
    const verdicts = await page.evaluate(async () => Promise.all([...document.querySelectorAll('flotilla-sandbox')]
      .map(async (el) => {
        const handle = await el.ready;
        const views = [...el.shadowRoot.querySelectorAll('section[data-view]')].map((s) => s.dataset.view);
        // A step runs one event; several may share the first instant (an az-loss run places its
        // whole fleet at 0 s), so step until the clock moves, at most 50 times.
        const before = handle.state();
        let steps = 0;
        do { handle.step(); steps += 1; } while (handle.state().nowMs === before.nowMs && steps < 50);
        const after = handle.state();
        const badges = await handle.checkAssertions();
        return {
          views,
          moved: after.nowMs > before.nowMs && after.events > before.events,
          badges: badges.map((b) => `${b.status}: ${b.label}`),
        };
      })));
    for (const [i, verdict] of verdicts.entries()) {
      assert.ok(verdict.views.includes('fleet') && verdict.views.includes('timeline'), `${name} embed #${i + 1} renders: ${verdict.views}`);
      assert.ok(verdict.moved, `${name} embed #${i + 1}: stepping moves its clock`);
      assert.ok(verdict.badges.length > 0, `${name} embed #${i + 1} carries assertions`);
      assert.deepEqual(verdict.badges.filter((b) => !b.startsWith('held')), [], `${name} embed #${i + 1}: every assertion holds`);
    }
    if (name === 'index.html' || name === 'cicd.html') await screenshot(page, `docs-${name.replace('.html', '')}`);
  }
  assert.deepEqual(errors, []);
});
