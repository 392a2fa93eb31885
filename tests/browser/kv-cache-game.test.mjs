// kv-cache-game.test.mjs — Figures 2–3 of web/kv-cache.html are drawn in stages
// (the standard caches first, then the budget sweeps, then the tensor lifts),
// and what they finally show must be exactly what the page showed when it
// played every game in one list before drawing. The reference here is that
// list, written out independently of the page (the same caches, budgets,
// seeds and C as the one-list job had), played with the package's indexGame
// in Node (the same wasm), on the bits the page drew; every number the page
// keeps (accuracy, message bits, Fano bits, max error, every recovered bit,
// every sweep point) must be equal, at the defaults and after the game
// dimension changes (which replays every game, through the staged path).
// Also checked: a staged change draws a first figure before the complete one
// (game-first, then game), the panels still being computed say so while they
// are (and only those: a game the change does not affect is shown at once),
// and the table ends with all 32 games. Times are never asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitRendered, DESKTOP } from './harness.mjs';
import { init, indexGame } from '../../wasm/index.node.js';

const C = 12, N_TWO = 32;

/** The one-list job's games for values v (as the page had them before drawing in stages). */
function referenceGames(v, bits, twoBits) {
  const base = { n: v.n, d: v.gd, C, seed: v.seed, bits };
  const sg = (kind, s) => ({ kind, delta: v.delta, t: v.st, s });
  const games = {
    exact: indexGame({ ...base, cache: 'exact' }),
    evict: indexGame({ ...base, cache: { kind: 'evict', budget: Math.min(v.B, v.n) } }),
    window: indexGame({ ...base, cache: { kind: 'window', size: Math.min(v.W, v.n) } }),
    subgen: indexGame({ ...base, cache: sg('subgen', v.ss) }),
    four: indexGame({ ...base, cache: 'four' }),
    subgen4: indexGame({ ...base, cache: sg('subgen4', v.ss) }),
    subgen2: indexGame({ ...base, cache: sg('subgen2', v.ss) }),
    two: indexGame({ n: N_TWO, d: v.gd, C, seed: v.seed, bits: twoBits, cache: 'two' }),
  };
  const sweep = { evict: [], window: [], subgen: [], subgen4: [] };
  for (const f of [1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4, 1]) {
    const b = Math.max(1, Math.round(f * v.n)), s = Math.max(1, Math.round(f * 2 * v.n));
    const point = (budget, r) => ({ budget, accuracy: r.accuracy, stateBits: r.stateBits });
    sweep.evict.push(point(b, indexGame({ ...base, cache: { kind: 'evict', budget: b } })));
    sweep.window.push(point(b, indexGame({ ...base, cache: { kind: 'window', size: b } })));
    sweep.subgen.push(point(s, indexGame({ ...base, cache: sg('subgen', s) })));
    sweep.subgen4.push(point(s, indexGame({ ...base, cache: sg('subgen4', s) })));
  }
  return { games, sweep };
}

/** The page's last complete game result as plain data (typed arrays as arrays). */
const pageGame = (page) => page.evaluate(() => {
  const g = globalThis.__sketchlab.lastGame;
  const plain = (x) => ({ accuracy: x.accuracy, stateBits: x.stateBits, fanoBits: x.fanoBits, maxError: x.maxError, N: x.N, recovered: [...x.recovered], bits: [...x.bits] });
  return {
    params: g.params, bits: [...g.bits], partial: g.partial,
    games: Object.fromEntries(Object.entries(g.games).map(([k, x]) => [k, plain(x)])),
    sweep: g.sweep,
    tableRows: document.querySelectorAll('#table tbody tr').length,
    pending: [...document.querySelectorAll('.bit-caption')].filter((c) => c.textContent.includes('computing')).length,
  };
});

function assertSame(got, ref, where) {
  assert.equal(got.partial, false, `${where}: the kept result is the complete one`);
  assert.deepEqual(Object.keys(got.games).sort(), Object.keys(ref.games).sort(), `${where}: the same games`);
  for (const [k, r] of Object.entries(ref.games)) {
    const g = got.games[k];
    for (const f of ['accuracy', 'stateBits', 'fanoBits', 'maxError', 'N']) assert.equal(g[f], r[f], `${where}: ${k}.${f}`);
    assert.deepEqual(g.recovered, [...r.recovered], `${where}: ${k} recovered bits`);
  }
  for (const kind of Object.keys(ref.sweep)) assert.deepEqual(got.sweep[kind], ref.sweep[kind], `${where}: ${kind} sweep`);
  assert.equal(got.tableRows, 8 + 24, `${where}: the table lists all games`);
  assert.equal(got.pending, 0, `${where}: no panel left "computing…"`);
}

test('kv-cache.html: Figures 2–3 drawn in stages show exactly the games of the one-list job', { timeout: 240_000 }, async () => {
  await init();
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}kv-cache.html`);
    await waitRendered(page, { timeout: 90_000 });
    const check = async (where) => {
      const got = await pageGame(page);
      const ref = referenceGames(got.params, Uint8Array.from(got.bits), Uint8Array.from(got.games.two.bits));
      assertSame(got, ref, where);
    };
    await check('defaults');

    // Record what the page shows at each draw of a game-dimension change (every game replayed).
    await page.evaluate(() => {
      const seen = (globalThis.__stages = []);
      const cap = () => [...document.querySelectorAll('.bit-caption')].filter((c) => c.textContent.includes('computing')).length;
      new MutationObserver(() => seen.push(cap())).observe(document.getElementById('bit-grid'), { subtree: true, childList: true, characterData: true });
    });
    const box = page.locator('[data-control="gd"] input[type="number"]');
    await box.fill('24');
    await box.press('Enter');
    await page.waitForFunction(() => location.hash.includes('&gd=24&'));
    await waitRendered(page, { timeout: 90_000 });
    await check('gd = 24');
    const { records, stages } = await page.evaluate(() => {
      const m = globalThis.__redrawMarks.at(-1);
      return { records: globalThis.__redrawTimes.filter((r) => r.id === m.id), stages: globalThis.__stages };
    });
    const first = records.find((r) => r.figure === 'game-first'), all = records.find((r) => r.figure === 'game');
    assert.ok(first && all, `game-first and game recorded (got ${records.map((r) => r.figure).join(', ')})`);
    assert.equal(first.segments.stage, 1, 'the first figure is drawn after the first stage, before the sweeps and lifts');
    assert.ok(stages.some((k) => k === 3), 'while the lifts are computed, their three panels say "computing…"');
    assert.equal(stages.at(-1), 0, 'and none does at the end');

    // Back to the defaults: all memoized, drawn once, the same numbers as the first time.
    await box.fill('32');
    await box.press('Enter');
    await page.waitForFunction(() => location.hash.includes('&gd=32&'));
    await waitRendered(page, { timeout: 90_000 });
    await check('gd = 32 again (memoized)');

    // SubGen t replays the SubGen games only: the lifts it does not affect (four, two) are shown
    // from the first draw, so at most one panel (SubGen2Cache) ever says "computing…".
    await page.evaluate(() => { globalThis.__stages.length = 0; });
    const st = page.locator('[data-control="st"] input[type="number"]');
    await st.fill('3');
    await st.press('Enter');
    await page.waitForFunction(() => location.hash.includes('&st=3&'));
    await waitRendered(page, { timeout: 90_000 });
    await check('st = 3');
    const stStages = await page.evaluate(() => globalThis.__stages);
    assert.ok(stStages.includes(1) && Math.max(...stStages) === 1, `the SubGen2Cache panel, and only it, waits (seen: ${stStages.join(',')})`);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});
