// bundlers.test.mjs — the npm package in production bundles, in Chromium:
// tests/bundlers/app (main entry, 'sketchlab/inline', 'sketchlab/worker') built
// with esbuild, Vite, webpack 5 and Parcel 2 (tests/bundlers/build.mjs, into
// build/bundlers/), served over http, each SVD checked against the closed form;
// without the .wasm next to an esbuild bundle, ELOAD names the URL and the
// three fixes; Parcel without its packageExports opt-in fails as the README says.
import test from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, CHROMIUM, LAUNCH_ARGS } from './harness.mjs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEsbuild, buildVite, startViteDev, buildWebpack, buildParcel } from '../bundlers/build.mjs';

const EPS = 2 ** -52;
// A = [[1,2],[3,4],[5,6]]: AᵀA = [[35,44],[44,56]], so σ² = (91 ± √8185)/2.
const A = [[1, 2], [3, 4], [5, 6]];
const SIGMA = [Math.sqrt((91 + Math.sqrt(8185)) / 2), Math.sqrt((91 - Math.sqrt(8185)) / 2)];
// Backward-stable SVD: |σ̂ − σ| and ‖A − U S Vᵀ‖ within a small multiple of eps·σ₁;
// 100 is a wide margin over the few-ulp errors of a 3×2 problem (and covers the closed form's own rounding).
const TOL = 100 * EPS * SIGMA[0];

/** Check one { s, U, V } result (U 3×2, V 2×2, column-major) against A. */
function checkSvd(r, what) {
  assert.ok(r && !r.error, `${what}: ${JSON.stringify(r && r.error)}`);
  assert.equal(r.s.length, 2, `${what}: two singular values`);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(r.s[i] - SIGMA[i]) <= TOL, `${what}: s[${i}] = ${r.s[i]}, expected ${SIGMA[i]}`);
  let err = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      let x = 0;
      for (let k = 0; k < 2; k++) x += r.U.data[i + 3 * k] * r.s[k] * r.V.data[j + 2 * k];
      err = Math.max(err, Math.abs(x - A[i][j]));
    }
  }
  assert.ok(err <= TOL, `${what}: max |A − U S Vᵀ| = ${err} > ${TOL}`);
}

/** Serve dir (or use a running server { base, close }), open index.html + query in Chromium, return { result, errors, wasmRequests }. */
async function runApp(dir, query = '') {
  const srv = typeof dir === 'string' ? await startServer(dir) : dir;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30_000 });
    const page = await browser.newPage();
    const errors = [];
    const wasmRequests = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) wasmRequests.push(r.url()); });
    await page.goto(`${srv.base}index.html${query}`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 30_000 });
    return { result: await page.evaluate(() => globalThis.__result), errors, wasmRequests };
  } finally {
    await browser?.close().catch(() => {});
    await srv.close();
  }
}

function checkMissingWorker(r, what) {
  assert.equal(r.error?.code, 'EWORKER', `${what}: ${JSON.stringify(r)}`);
  assert.match(r.error.message, /no-such-worker\.js/, `${what}: EWORKER names the worker URL`);
  assert.match(r.error.message, /workerURL/, `${what}: EWORKER says how to point at the worker host`);
}

test('esbuild bundle (app + worker host, dist/*.wasm copied): main, inline and worker give the SVD in Chromium', { timeout: 120_000 }, async () => {
  const dir = await buildEsbuild({ copyWasm: true });
  assertNoFileURLs(dir, 'esbuild');
  const { result, errors } = await runApp(dir);
  assert.deepEqual(errors, []);
  checkSvd(result.main, 'esbuild main');
  checkSvd(result.inline, 'esbuild inline');
  checkSvd(result.worker, 'esbuild worker');
  checkMissingWorker(result.missingWorker, 'esbuild');
});

test('esbuild bundle, inline only: the SVD with no .wasm fetched', { timeout: 120_000 }, async () => {
  const dir = await buildEsbuild({ copyWasm: false });
  const { result, errors, wasmRequests } = await runApp(dir, '?mode=inline');
  assert.deepEqual(errors, []);
  checkSvd(result.inline, 'esbuild inline-only');
  assert.deepEqual(wasmRequests, [], 'sketchlab/inline fetches no .wasm');
});

test('esbuild bundle without the .wasm: ELOAD names the URL tried and the three fixes (inline still works)', { timeout: 120_000 }, async () => {
  const dir = await buildEsbuild({ copyWasm: false });
  const { result } = await runApp(dir);
  const e = result.main.error;
  assert.equal(e?.code, 'ELOAD', JSON.stringify(result.main));
  assert.equal(result.main.isSketchlabError, true);
  assert.match(e.message, /http:\/\/127\.0\.0\.1:\d+\/dist\/sketchlab(-simd)?\.wasm/, 'names the URL it tried');
  assert.match(e.message, /HTTP 404/);
  assert.match(e.message, /dist\/\*\.wasm/, 'fix 1: copy the .wasm');
  assert.match(e.message, /init\(\{ wasm/, 'fix 2: init({ wasm })');
  assert.match(e.message, /sketchlab\/inline/, 'fix 3: sketchlab/inline');
  checkSvd(result.inline, 'esbuild inline after the failed main init');
  // The worker host loads the same default URL: its failure reaches the client as the same ELOAD.
  assert.equal(result.worker.error?.code, 'ELOAD', JSON.stringify(result.worker));
  assert.match(result.worker.error.message, /sketchlab\/inline/);
});

/**
 * A bundler's production output: main, inline and worker give the SVD; the
 * .wasm fetched is one the bundler emitted into dir; ?mode=inline fetches no
 * .wasm; a missing worker host is EWORKER naming its URL; no .js file embeds
 * a file: URL. Returns the .wasm URLs the main entry fetched.
 */
async function checkBundle(dir, what) {
  assertNoFileURLs(dir, what);
  let fetched;
  for (const query of ['', '?mode=inline']) {
    const { result, errors, wasmRequests } = await runApp(dir, query);
    assert.deepEqual(errors, [], `${what} ${query}`);
    checkSvd(result.inline, `${what} inline ${query}`);
    if (query) {
      assert.deepEqual(wasmRequests, [], `${what}: sketchlab/inline fetches no .wasm`);
      continue;
    }
    checkSvd(result.main, `${what} main`);
    checkSvd(result.worker, `${what} worker`);
    checkMissingWorker(result.missingWorker, what);
    assert.ok(wasmRequests.length > 0, `${what}: the main entry fetched a .wasm`);
    fetched = wasmRequests;
    for (const u of wasmRequests) {
      assert.ok(existsSync(join(dir, decodeURIComponent(new URL(u).pathname))), `${what}: ${u} is a file the bundler emitted`);
    }
  }
  return fetched;
}

/** No .js file under dir embeds a file: URL (a build machine's path, from an import.meta.url replaced at build time). */
function assertNoFileURLs(dir, what) {
  for (const f of readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(join(dir, f), 'utf8'), /file:\/\/\//, `${what}: ${f} embeds a file: URL`);
  }
}

test('Vite build (no configuration): main, inline and worker give the SVD in Chromium', { timeout: 180_000 }, async () => {
  const wasmRequests = await checkBundle(await buildVite(), 'vite');
  // Vite names the emitted .wasm after the source, with a content hash
  assert.ok(wasmRequests.some((u) => /\/assets\/sketchlab(-simd)?-[\w-]+\.wasm/.test(u)), `Vite emitted and fetched the hashed .wasm: ${wasmRequests}`);
});

test('webpack 5 build (production, no loaders or plugins): main, inline and worker give the SVD in Chromium', { timeout: 180_000 }, async () => {
  await checkBundle(await buildWebpack(), 'webpack');
});

test('Parcel 2 build (production, packageExports on): main, inline and worker give the SVD in Chromium', { timeout: 180_000 }, async () => {
  await checkBundle(await buildParcel(), 'parcel');
});

test('Parcel 2 without the packageExports opt-in: the subpath entries do not resolve (the README says to opt in)', { timeout: 180_000 }, async () => {
  await assert.rejects(buildParcel({ packageExports: false }), (e) => /Failed to resolve 'sketchlab\/(inline|worker)'/.test(e.message));
});

test('Vite dev server: main, inline and worker give the SVD in Chromium', { timeout: 180_000 }, async () => {
  const dev = await startViteDev();
  const { result, errors } = await runApp(dev);
  assert.deepEqual(errors, []);
  checkSvd(result.main, 'vite dev main');
  checkSvd(result.inline, 'vite dev inline');
  checkSvd(result.worker, 'vite dev worker');
});
