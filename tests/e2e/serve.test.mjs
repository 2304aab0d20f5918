// The app is served compressed: the server answers a client that accepts gzip with the
// precompressed FILE.gz (Content-Encoding: gzip, the right Content-Type), whose bytes unpack to
// the file itself, and a client that does not gets the file as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BASE_URL } from './harness.mjs';

function get(path, headers) {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, BASE_URL), { headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

for (const [path, type] of [
  ['pkg/flotilla_web_bg.wasm', 'application/wasm'],
  ['pkg/flotilla_web.js', 'text/javascript'],
  ['index.html', 'text/html'],
]) {
  test(`${path} is sent gzip-compressed to a client that accepts it, as itself otherwise`, async () => {
    const raw = readFileSync(new URL(`../../dist/${path}`, import.meta.url));
    const compressed = await get(path, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(compressed.headers['content-encoding'], 'gzip');
    assert.equal(compressed.headers['content-type'], type);
    assert.ok(compressed.body.length < raw.length, `${compressed.body.length} bytes sent for ${raw.length}`);
    assert.ok(gunzipSync(compressed.body).equals(raw), 'the compressed file unpacks to the file');
    const plain = await get(path, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.equals(raw));
  });
}
