// kv-cache.test.mjs — web/kv-cache.html in headless Chromium: loads without
// errors, draws Figure 1 from a real decode (memory counters on the 2t²d and
// 4td formulas), Play advances the decode, the exact cache's image equals
// Alice's bits, the Fano floor is never crossed, a control change redraws,
// the hash restores the state, axe-core WCAG 2 A/AA passes, and it fits a
// 390 px phone. Screenshots go to build/screenshots/kv-cache-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withPage, waitRendered, chartData, screenshot, overflowX, DESKTOP, PHONE } from './harness.mjs';

const T = { timeout: 240_000 };
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const series = (chart, label) => chart.datasets.find((d) => d.label.startsWith(label))?.data ?? [];

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  });
}

test('kv-cache.html: decode figure, Play, the Index game images, hash, axe', T, async () => {
  await withPage(async ({ page, base, errors, newPage }) => {
    await page.goto(`${base}kv-cache.html`);
    await waitRendered(page, { timeout: 90_000 });
    assert.match(await page.evaluate(() => location.hash), /^#d=32&T=96&n=128&gd=32&B=48&W=32&delta=0\.5&st=1&ss=64&seed=1$/);
    const mem = await chartData(page, '#chart-mem');
    assert.equal(mem.role, 'img');
    const two = series(mem, 'two-cache'), four = series(mem, 'four-cache');
    assert.equal(two.length, 96);
    for (const [t, w] of two) assert.equal(w, 2 * t * t * 32, `two-cache words at t = ${t}`);
    for (const [t, w] of four) assert.equal(w, 4 * t * 32, `four-cache words at t = ${t}`);
    const time = await chartData(page, '#chart-time');
    for (const name of ['two-cache (measured)', 'naive four-cache (measured)', 'factored four-cache (measured)']) {
      const pts = series(time, name);
      assert.equal(pts.length, 96, name);
      assert.ok(pts.every(([, y]) => y > 0), `${name}: positive times`);
    }
    // The exact cache's image is Alice's picture; the others lose bits; no point beats the Fano floor.
    const game = await page.evaluate(() => {
      const g = globalThis.__sketchlab.lastGame;
      return {
        exact: g.games.exact.accuracy, same: g.games.exact.recovered.every((b, i) => b === g.bits[i]),
        fano: Object.values(g.games).every((x) => x.stateBits >= x.fanoBits),
        evict: g.games.evict.accuracy,
      };
    });
    assert.equal(game.exact, 1);
    assert.ok(game.same, 'the exact cache recovers the picture');
    assert.ok(game.fano, 'state bits >= Fano floor');
    assert.ok(game.evict < 0.9);
    assert.match(await page.locator('canvas[data-image="exact"]').getAttribute('aria-label'), /recovers 100% of the bits/);
    await screenshot(page, 'kv-cache-desktop');

    // Play replays the decode token by token.
    await page.locator('[data-action="reset"]').click();
    assert.equal(await page.evaluate(() => document.body.dataset.cursor), '1');
    await page.locator('[data-action="play"]').click();
    await page.waitForFunction(() => Number(document.body.dataset.cursor) >= 4);
    await page.locator('[data-action="play"]').click(); // pause
    const cursor = Number(await page.evaluate(() => document.body.dataset.cursor));
    assert.ok(cursor >= 4 && cursor < 96);
    assert.equal(series(await chartData(page, '#chart-mem'), 'two-cache').length, cursor);
    await screenshot(page, 'kv-cache-desktop-play', { fullPage: false });

    // A control change redraws the game; the hash restores it in a fresh page.
    await page.locator('[data-control="B"] input[type="number"]').fill('16');
    await page.locator('[data-control="B"] input[type="number"]').press('Enter');
    await page.waitForFunction(() => location.hash.includes('&B=16&'));
    await waitRendered(page, { timeout: 90_000 });
    const evict16 = await page.evaluate(() => globalThis.__sketchlab.lastGame.games.evict.accuracy);
    assert.ok(evict16 < game.evict, `fewer tokens kept, fewer bits: ${game.evict} → ${evict16}`);
    const other = await newPage();
    await other.goto(page.url());
    await waitRendered(other, { timeout: 90_000 });
    assert.equal(await other.evaluate(() => globalThis.__sketchlab.lastGame.games.evict.accuracy), evict16);
    assert.equal(await other.locator('[data-control="B"] input[type="number"]').inputValue(), '16');

    const violations = await axe(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('kv-cache.html: phone width, keyboard', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}kv-cache.html#T=32&n=64`);
    await waitRendered(page, { timeout: 90_000 });
    assert.equal(await overflowX(page), 0, 'no horizontal scrolling at 390 px');
    // keyboard: focus the Next token button and press Enter
    await page.locator('[data-action="reset"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-action="step"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset.cursor === '2');
    await screenshot(page, 'kv-cache-phone');
    await screenshot(page, 'kv-cache-phone-top', { fullPage: false });
    const violations = await axe(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    assert.deepEqual(errors, []);
  }, { viewport: PHONE });
});
