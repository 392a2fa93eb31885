// kv-cache-perf.test.mjs — drives the controls of web/kv-cache.html and
// REPORTS (never asserts) the page's own redraw times (web/lib/redraw.js):
// control change → first decoding step drawn ('decode-first') and → whole live
// decode ('decode', with the worker's time, each cache's total and the
// main-thread cost of drawing one step as segments) for Figure 1, → Index-game
// figures redrawn ('game') for Figures 2–3, Reset and Next token, and a whole
// decode of T = 256 tokens ('game-first' is the first, possibly partial, draw of
// Figures 2–3, 'game' the complete one). Times depend on the machine and its load; they are
// printed and written to build/redraw-times/kv-cache.json (redraw-report.mjs)
// for docs/PERFORMANCE.md. Asserted: each control redraws the figures it
// should, and the page logs no errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitRendered, DESKTOP } from './harness.mjs';
import { drive, settleLoad, report } from './redraw-report.mjs';

const DECODE = ['decode-first', 'decode'];

test('kv-cache.html: every control redraws its figures; the page-measured times are reported', { timeout: 600_000 }, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}kv-cache.html`);
    await waitRendered(page, { timeout: 120_000 });
    const rows = [await settleLoad(page)];
    const setControl = (name, value) => async () => {
      const box = page.locator(`[data-control="${name}"] input[type="number"]`);
      await box.fill(String(value));
      await box.press('Enter');
    };

    // Figures 2–3: cache-budget and SubGen controls replay only the Index games they affect.
    for (const [name, value] of [['B', 40], ['B', 56], ['W', 24], ['ss', 48], ['st', 2], ['st', 1], ['delta', 0.6], ['n', 120], ['gd', 24]]) {
      const r = await drive(page, `${name} = ${value}`, setControl(name, value), { expect: ['game'] });
      assert.ok(!r.mark.figures.includes('decode'), `${name} does not restart the decode`);
      rows.push(r);
    }
    // Figure 1: decode controls (the seed also replays the games).
    for (const [name, value] of [['T', 97], ['d', 33], ['seed', 2]]) {
      const r = await drive(page, `${name} = ${value}`, setControl(name, value), { expect: name === 'seed' ? [...DECODE, 'game'] : DECODE });
      if (name !== 'seed') assert.ok(!r.mark.figures.includes('game'), `${name} does not replay the games`);
      rows.push(r);
    }
    await waitRendered(page, { timeout: 120_000 });
    rows.push(await drive(page, 'Reset (new decode)', () => page.locator('#stepper [data-action="reset"]').click(), { expect: DECODE }));
    rows.push(await drive(page, 'Next token', () => page.locator('#stepper [data-action="step"]').click(), { expect: ['decode-step'] }));

    // A whole decode of T = 256 tokens (d = 32, the default, and d = 64): the hash changes in place.
    for (const d of [32, 64]) {
      rows.push(await drive(page, `whole decode at T 256, d ${d} (hash)`, () => page.evaluate((h) => { location.hash = h; }, `d=${d}&T=256`),
        { expect: DECODE, timeout: 300_000 }));
    }
    report('kv-cache', rows, { viewport: DESKTOP });
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});
