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

test('exactAngles: cotangents beyond double precision (a capped head, t = 5) give ESINGULAR saying what to change', async () => {
  await init();
  // tests/c/test_regressions.c test_angles_exact_graded_cotangents: the capped problem's first sine
  // was 5.6e-141 with status 0, the true one 3.4e-438; now not determined, a clear error.
  const sig = [1.2259964326927111e+55, 9.518222275251104e-28, 3.8846119749972696e-31, 3.867660639080031e-33];
  const data = new Float64Array([0.2704702143018047, 0.5976271926383432, 0.7356257485057998, -0.37668470828825623,
    1.1861623159806638, 0.321493526673214, 0.5786988481009541, -1.3708335147121857]);
  assert.throws(() => exactAngles(sig, { rows: 4, cols: 2, data }, { k: 2, powerIters: 2 }),
    (e) => e instanceof SketchlabError && e.code === 'ESINGULAR' && /fewer power iterations q/.test(e.message) &&
      /t = 5/.test(e.message));
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

// A C hex-float literal ('0x1.8p-3') as a number (exact for normal doubles).
const hx = (x) => {
  const m = /^0x([0-9a-f])\.([0-9a-f]*)p([+-]\d+)$/.exec(x);
  return (parseInt(m[1] + m[2], 16) / 16 ** m[2].length) * 2 ** Number(m[3]);
};

test('exactAngles at extreme scale, the edge case (tail rank < l) and a row-graded tail: the true sines (mpmath), the native bits', async () => {
  await init();
  // tests/c/test_angles_wide.c, E1/E2/K1; mpmath values from tests/ref/angles_exact_ref.py. Bound: relative
  // 512·eps (the C test's WIDE_REL). The bits are those the native build gives (sk_angles_exact is one
  // C routine with -ffp-contract=off and only frexp/ldexp scaling: native and wasm agree bit for bit).
  const cases = [
    { sig: [2 ** 600, 1.5 * 2 ** 589, 2 ** -400, 1.25 * 2 ** -411, 2 ** -420], rows: 5, cols: 4, k: 2, side: 'left',
      G: [0.8, -0.3, 1.1, 0.5, -1.2, 0.7, 0.4, 1.3, -0.9, 0.6, -0.5, 1.5, 0.2, -1.1, 0.9, 1.2, 0.1, -0.7, 0.3, 1.4],
      want: [0, 9.8305743394151104159e-306], bits: [0, hx('0x1.b9cf1412be6ebp-1014')] },
    { sig: [2 ** 200, 2 ** 180, 2 ** 169, 2 ** -100], rows: 4, cols: 3, k: 3, side: 'right',
      G: [1.0, -0.6, 0.3, 0.9, 0.4, 1.2, 2 ** -1022, -0.8, -0.7, 0.5, 1.1, 0.6],
      want: [0, 0, 1.0926219169409936656e-162], bits: [0, 0, hx('0x1.f75bd078faa1ep-539')] },
    { sig: [hx('0x1.18072e8f9c859p+699'), hx('0x1.0741c7bc960dap+698'), hx('0x1.d5f4b3ac79505p+551'), hx('0x1.6ec9d2937021cp+545'),
      hx('0x1.c324c9988c8e2p+537'), hx('0x1.008a05b644434p+532')], rows: 6, cols: 2, k: 2, side: 'left',
      G: [-hx('0x1.068f242dde788p-3'), -hx('0x1.6b27079b33b36p-1'), hx('0x1.c86e1e7852474p-3'), hx('0x1.634b43e93d84fp-5'),
        -hx('0x1.063f5ca9d2438p-1022'), -hx('0x1.36ee4bda0753bp+1'), hx('0x1.a0ab03f6e4623p-3'), -hx('0x1.2dc2e449daa0bp+1'),
        -hx('0x1.80410b45ce577p-1'), -hx('0x1.8426873ddcdc1p+0'), -hx('0x1.ece574a3064dbp+0'), hx('0x1.1e9653a116c8ap+0')],
      want: [3.5042672895394978767e-47, 1.1200258063984037998e-44], bits: [hx('0x1.99b829f9e22c8p-155'), hx('0x1.ff899061cd271p-147')] },
  ];
  for (const c of cases) {
    const s = exactAngles(c.sig, { rows: c.rows, cols: c.cols, data: Float64Array.from(c.G) }, { k: c.k, side: c.side });
    for (let i = 0; i < c.k; i++) {
      assert.ok(Math.abs(s[i] - c.want[i]) <= 512 * 2 ** -52 * c.want[i] + 4 * 2 ** -1074, `sine ${i} = ${s[i]}, want ${c.want[i]}`);
    }
    assert.deepEqual(Array.from(s), c.bits);
  }
});
