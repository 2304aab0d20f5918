// End-to-end tests of the documentation site (www/docs/, served at /docs/): every page loads
// under a strict Content-Security-Policy with no violation (no inline script or style), its
// one stylesheet applies, every link to another page of the site or to a scenario file
// answers, and every embed names a scenario that is served. Whether the embeds render and hold
// their assertions in the browser is the embed's own test; `flotilla check` (cli/tests/check.rs)
// checks the assertions headless.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import test from 'node:test';
import { BASE_URL, openApp, screenshot, shareBrowser } from './harness.mjs';

shareBrowser();

const TEST_TIMEOUT_MS = 120_000;
const DOCS = new URL('../../www/docs/', import.meta.url);
const PAGES = readdirSync(DOCS).filter((name) => name.endsWith('.html')).sort();
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
// Until the embed script is built into dist/ (the embed's branch), its request is the one 404 a
// docs page may have.
const EMBED_BUILT = existsSync(new URL('../../dist/embed/flotilla-embed.js', import.meta.url));

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
    if (name === 'index.html' || name === 'cicd.html') await screenshot(page, `docs-${name.replace('.html', '')}`);
  }
  const expected = EMBED_BUILT ? [] : errors.filter((e) => e.includes('/embed/flotilla-embed.js'));
  assert.deepEqual(errors, expected);
});
