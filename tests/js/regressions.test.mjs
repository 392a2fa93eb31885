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

test('exactAngles: a G mixing 2^-1022 and normal entries gives its true sines (mpmath), at any power-of-two scale', async () => {
  await init();
  const m = 2 ** -1022;
  // The fuzz input (tests/fuzz/corpus/fuzz_angles/angles_exact_enoconv_dbl_min_entries), column-major 9×6.
  const sig = [10.125, 5.75, 0.75, 0.75, m, m, m, m, 0];
  const G = [m, m, 10.125, 0.75, m, m, 0.75, m, m,
    0.75, 0, 5.75, 10.125, m, 0, m, m, 5.5,
    0, 5.5, 0, 5.75, 0, 5.5, 0, 5.75, 10.125,
    m, 0, m, m, 5.5, 6, 10.125, m, m];
  const data = new Float64Array(54);
  data.set(G);
  // mpmath, 2600 digits (tests/ref/angles_exact_ref.py): 4.97e-617 (0 as a double),
  // 1.3685534702015745641e-309, 5.3003908453365088741e-309, 0.89534620511242789671.
  // Bound (sk_angles_exact, wide range): relative O(k·eps·κ(B)), κ(B) = 3.8 here, plus a few
  // units of 2^-1074 for subnormal sines. Was ENOCONV, then ESINGULAR.
  const want = [0, 1.3685534702015745641e-309, 5.3003908453365088741e-309, 0.89534620511242789671];
  const s0 = exactAngles(sig, { rows: 9, cols: 6, data }, { k: 4 });
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(s0[i] - want[i]) <= 1e-12 * want[i] + 4 * 2 ** -1074, `sine ${i} = ${s0[i]}, want ${want[i]}`);
  }
  // σ·2^a, G·2^b (a, b in {0, 600, 1000}: 2^-1022·2^-600 is not a double): the same bits.
  for (const a of [0, 600, 1000]) {
    for (const b of [0, 600, 1000]) {
      const d = new Float64Array(54);
      d.set(G.map((v) => v * 2 ** b));
      const s = exactAngles(sig.map((v) => v * 2 ** a), { rows: 9, cols: 6, data: d }, { k: 4 });
      assert.deepEqual(Array.from(s), Array.from(s0), `σ·2^${a}, G·2^${b}`);
    }
  }
  // α = 2^1000·2^627: the sine 2^-1627 is 0 (the e^300 head cap gave e^-300·2^-627).
  const s = exactAngles([1, 2 ** -1000], { rows: 2, cols: 1, data: new Float64Array([1, 2 ** -627]) }, { k: 1 });
  assert.deepEqual(Array.from(s), [0]);
});
