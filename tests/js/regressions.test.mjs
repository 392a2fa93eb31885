// regressions.test.mjs — the JS side of tests/c/test_regressions.c: inputs that
// fuzzing (issue 9 part 4/5) showed giving NaN, each checked through the
// public API.
import test from 'node:test';
import assert from 'node:assert/strict';
import { init, gallery, rpcholesky, exactAngles, SketchlabError } from '../../wasm/index.js';

test('gallery smile with bandwidth 1e-300: K(i,i) = 1, and rpcholesky runs on it', async () => {
  await init();
  for (const bandwidth of [1e-300, 5e-324, 1e300]) {
    const g = gallery('smile', { points: 9, bandwidth, seed: 0 });
    const K = g.matrix;
    for (let i = 0; i < 9; i++) assert.equal(K.data[i * 9 + i], 1, `h = ${bandwidth}: K(${i},${i})`);
    for (const v of K.data) assert.ok(v >= 0 && v <= 1, `h = ${bandwidth}: entry ${v}`);
    const r = rpcholesky({ points: g.points, bandwidth }, { rank: 3, seed: 1 });
    assert.ok(r.rank >= 1 && r.rank <= 3);
  }
});

test('exactAngles: G = 0 gives sines of 1; a rank-one G a clear ESINGULAR', async () => {
  await init();
  const z = exactAngles([1, 0.5, 0], { rows: 3, cols: 1, data: new Float64Array(3) }, { k: 1 });
  assert.deepEqual(Array.from(z), [1]);
  const u = [1, -2, 3, 1, 2, -1], v = [1, 2, -1, 3];
  const data = new Float64Array(24);
  for (let j = 0; j < 4; j++) for (let i = 0; i < 6; i++) data[j * 6 + i] = u[i] * v[j];
  assert.throws(() => exactAngles([4, 3, 2, 1, 0.5, 0.25], { rows: 6, cols: 4, data }, { k: 4 }),
    (e) => e instanceof SketchlabError && e.code === 'ESINGULAR' && /full column rank/.test(e.message));
});

test('exactAngles: a G mixing 2^-1022 and normal entries gives ESINGULAR or tiny sines, never ENOCONV', async () => {
  await init();
  const m = 2 ** -1022;
  // The fuzz input (tests/fuzz/corpus/fuzz_angles/angles_exact_enoconv_dbl_min_entries), column-major 9×6.
  const sig = [10.125, 5.75, 0.75, 0.75, m, m, m, m, 0];
  const data = new Float64Array(54);
  data.set([m, m, 10.125, 0.75, m, m, 0.75, m, m,
    0.75, 0, 5.75, 10.125, m, 0, m, m, 5.5,
    0, 5.5, 0, 5.75, 0, 5.5, 0, 5.75, 10.125,
    m, 0, m, m, 5.5, 6, 10.125, m, m]);
  assert.throws(() => exactAngles(sig, { rows: 9, cols: 6, data }, { k: 4 }),
    (e) => e instanceof SketchlabError && e.code === 'ESINGULAR' && /unevenly scaled/.test(e.message));
  // M = e^300·2^627 overflows; the sine is its reciprocal (subnormal), not an error.
  const s = exactAngles([1, 2 ** -1000], { rows: 2, cols: 1, data: new Float64Array([1, 2 ** -627]) }, { k: 1 });
  const want = Math.exp(-300) * 2 ** -627;
  assert.ok(s[0] > 0 && Math.abs(s[0] - want) <= 1e-3 * want, `sine ${s[0]}, want ${want}`);
});
