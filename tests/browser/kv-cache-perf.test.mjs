// kv-cache-perf.test.mjs — RECORDS (never asserts) how fast web/kv-cache.html
// redraws in headless Chromium: control change → first decoding step drawn and
// → whole live decode (Figure 1), control change → Index-game figures redrawn
// (Figures 2–3), the main-thread draw time of one decoding step, and a whole
// decode of T = 256 tokens. Times depend on the machine and its load; they are
// printed and written to build/perf/kv-cache.json for docs/PERFORMANCE.md.
// Only correctness (no errors, the figures were drawn) is asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withPage, waitRendered, DESKTOP } from './harness.mjs';

const OUT = fileURLToPath(new URL('../../build/perf/', import.meta.url));
const median = (a) => { const b = [...a].sort((x, y) => x - y); return b.length ? b[Math.floor(b.length / 2)] : NaN; };
const round = (x) => Math.round(x * 10) / 10;

async function setControl(page, name, value) {
  const box = page.locator(`[data-control="${name}"] input[type="number"]`);
  await box.fill(String(value));
  await box.press('Enter');
}

test('kv-cache.html redraw and decode times (recorded, not asserted)', { timeout: 600_000 }, async () => {
  const rec = { when: new Date().toISOString(), loadavg: readFileSync('/proc/loadavg', 'utf8').trim() };
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}kv-cache.html`);
    await waitRendered(page, { timeout: 120_000 });
    const first = await page.evaluate(() => globalThis.__sketchlab.decodeTimings.at(-1));
    rec.load = { decodeMs: round(first.decodeMs), perCacheMs: first.totals };

    // Figures 2–3: cache-budget and SubGen controls (one Index-game job each).
    const game = [];
    for (const [name, value] of [['B', 40], ['B', 56], ['W', 24], ['ss', 48], ['st', 2]]) {
      const before = await page.evaluate(() => globalThis.__sketchlab.gameRenders);
      await setControl(page, name, value);
      await page.waitForFunction((b) => globalThis.__sketchlab.gameRenders > b, before, { timeout: 120_000 });
      await waitRendered(page, { timeout: 120_000 });
      game.push(await page.evaluate(() => globalThis.__sketchlab.timings.at(-1)));
    }
    rec.gameRedrawMs = game.map((g) => round(g.latency));
    rec.gameJobMs = game.map((g) => round(g.game));

    // Figure 1: decode controls (d, T, seed): time to the first step on screen and to the whole decode.
    const dec = [];
    for (const [name, value] of [['T', 97], ['seed', 2], ['d', 33]]) {
      const n = await page.evaluate(() => globalThis.__sketchlab.decodeTimings.length);
      await setControl(page, name, value);
      await page.waitForFunction((k) => globalThis.__sketchlab.decodeTimings.length > k, n, { timeout: 120_000 });
      await waitRendered(page, { timeout: 120_000 });
      const t = await page.evaluate(() => globalThis.__sketchlab.decodeTimings.at(-1));
      dec.push({ control: name, firstStepDrawnMs: round(t.firstDrawMs), wholeDecodeMs: round(t.latency) });
    }
    rec.decodeRedraw = dec;
    const draw = await page.evaluate(() => globalThis.__sketchlab.drawMs);
    rec.drawOneStepMs = { median: round(median(draw)), max: round(Math.max(...draw)), count: draw.length };

    // A whole decode of T = 256 tokens (d = 32, the default, and d = 64).
    rec.T256 = [];
    for (const d of [32, 64]) {
      await page.goto(`${base}kv-cache.html#d=${d}&T=256`);
      await waitRendered(page, { timeout: 300_000 });
      const t = await page.evaluate(() => globalThis.__sketchlab.decodeTimings.at(-1));
      rec.T256.push({ d, allThreeCachesMs: round(t.decodeMs), perCacheMs: Object.fromEntries(Object.entries(t.totals).map(([k, v]) => [k, round(v)])) });
    }
    rec.loadavgAfter = readFileSync('/proc/loadavg', 'utf8').trim();
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}kv-cache.json`, JSON.stringify(rec, null, 2));
  console.log(JSON.stringify(rec, null, 2));
});
