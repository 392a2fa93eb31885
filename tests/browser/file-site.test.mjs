// file-site.test.mjs — the demo site opened from file:// with no server, as a
// teacher with a copied folder would: `make site` builds build/site/ (classic
// scripts, a blob: worker with the wasm embedded); every page loads without
// errors, computes in its worker and draws its figure. And the classic-script
// build wasm/dist/sketchlab.iife.js computes an SVD on a file:// page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS, waitRendered, chartData, screenshot } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SITE = join(ROOT, 'build/site');

async function withBrowser(fn) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30_000 });
  try {
    return await fn(browser);
  } finally {
    await browser.close().catch(() => {});
  }
}

function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

// How to wait for a page's first drawing: a demo page sets body[data-rendered]
// to the hash it drew (waitRendered); the landing page counts its preview renders.
const PAGES = {
  'index.html': { chart: '#preview-chart', wait: (p) => p.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1, null, { timeout: 60_000 }) },
};
const DEMO_PAGE = { wait: (p) => waitRendered(p, { timeout: 60_000 }) };
const sitePages = () => readdirSync(SITE).filter((f) => f.endsWith('.html')).sort();

test('make site: build/site/ has every page, and no module script is left', () => {
  assert.ok(existsSync(join(SITE, 'index.html')), 'build/site/ exists: run `make site` (make test-browser does)');
  const pages = readdirSync(join(ROOT, 'web')).filter((f) => f.endsWith('.html')).sort();
  assert.deepEqual(readdirSync(SITE).filter((f) => f.endsWith('.html')).sort(), pages);
  for (const p of pages) {
    const html = readFileSync(join(SITE, p), 'utf8');
    assert.doesNotMatch(html, /type="module"/, `${p}: no module script (blocked from file://)`);
    for (const [, src] of html.matchAll(/<script src="([^"]+)"/g)) assert.ok(existsSync(join(SITE, src)), `${p}: ${src} exists`);
  }
});

test('build/site/ pages work from file://: no errors, the worker computes, the figure is drawn', { timeout: 300_000 }, async () => {
  await withBrowser(async (browser) => {
    for (const name of sitePages()) {
      const spec = PAGES[name] ?? DEMO_PAGE;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watch(page);
      const url = pathToFileURL(join(SITE, name)).href;
      await page.goto(url);
      await spec.wait(page);
      assert.deepEqual(errors, [], `${name} from file://`);
      const drawn = await page.evaluate(() => {
        const charts = [...document.querySelectorAll('canvas')].map((c) => globalThis.Chart?.getChart(c)).filter(Boolean);
        return charts.map((ch) => ch.data.datasets.reduce((n, d) => n + d.data.filter((p) => Number.isFinite(p?.y ?? p)).length, 0));
      });
      assert.ok(drawn.length > 0 && drawn.some((n) => n > 0), `${name}: a chart has finite points (${drawn})`);
      if (spec.chart) {
        const d = await chartData(page, spec.chart);
        assert.ok(d && d.datasets.every((s) => s.data.length > 0), `${name}: every dataset of ${spec.chart} is drawn`);
      }
      await screenshot(page, `file-site-${name.replace('.html', '')}`, { fullPage: false });
      await page.close();
    }
  });
});

test('wasm/dist/sketchlab.iife.js: a classic script on a file:// page computes an SVD (global sketchlab, no fetch)', { timeout: 120_000 }, async () => {
  const dir = join(ROOT, 'build/iife-test');
  mkdirSync(dir, { recursive: true });
  const src = relative(dir, join(ROOT, 'wasm/dist/sketchlab.iife.js'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iife</title>
<script src="${src}"></script></head><body><script>
sketchlab.init().then((info) => {
  const r = sketchlab.svd([[3, 0], [4, 5]]);
  globalThis.__result = { s: [...r.s], simd: info.simd, version: info.version };
}, (e) => { globalThis.__result = { error: e.code + ': ' + e.message }; }).finally(() => { document.title = 'done'; });
</script></body></html>`);
  await withBrowser(async (browser) => {
    const page = await browser.newPage();
    const errors = watch(page);
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 30_000 });
    const r = await page.evaluate(() => globalThis.__result);
    assert.deepEqual(errors, []);
    assert.ok(!r.error, r.error);
    // [[3,0],[4,5]]: σ₁σ₂ = |det| = 15, σ₁² + σ₂² = ‖A‖²_F = 50 → σ = √45, √5; tolerance 100·eps·σ₁.
    const tol = 100 * 2 ** -52 * Math.sqrt(45);
    assert.ok(Math.abs(r.s[0] - Math.sqrt(45)) <= tol && Math.abs(r.s[1] - Math.sqrt(5)) <= tol, `s = ${r.s}`);
    assert.equal(r.simd, true, 'the SIMD build was chosen (Chromium supports wasm SIMD)');
  });
});
