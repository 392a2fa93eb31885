// extreme-scale.test.mjs — matmul, qr, lu and cpqr at extreme scales (issue 9):
// a finite A of any scale factors exactly like a moderate one (the C drivers
// prescale by 2^-e), and a result that cannot be represented (an entry beyond
// Number.MAX_VALUE) is a SketchlabError that says what to change, never
// ±Infinity or NaN with status 0. Includes the fuzz test's reproducers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { freshApi, testMatrix, jsMul } from './helpers.mjs';
import { ldexp } from '../../wasm/scale.js';

const SCALES = [-1003, -1000, -600, 600, 1000];
const MAX = Number.MAX_VALUE;

let skPromise;
function api() {
  if (!skPromise) skPromise = freshApi('extreme-scale').then(async (m) => { await m.init(); return m; });
  return skPromise;
}

/** testMatrix with |a_ij| in [2^-11, 1) and max in [1/2, 1): A·2^k is exact for |k| <= 1003. */
function base(m, n, seed) {
  const A = testMatrix(m, n, seed);
  const amax = A.data.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
  const e = Math.floor(Math.log2(amax)) + 1;
  const data = A.data.map((x) => { const y = ldexp(x, -e); return Math.abs(y) < 2 ** -11 ? (y < 0 ? -(2 ** -11) : 2 ** -11) : y; });
  assert.ok(Math.max(...data.map(Math.abs)) >= 0.5 && Math.max(...data.map(Math.abs)) < 1);
  return { rows: m, cols: n, data };
}
function scaled(A, k) {
  const data = A.data.map((x) => ldexp(x, k));
  for (let i = 0; i < data.length; i++) assert.equal(ldexp(data[i], -k), A.data[i], 'the test matrix must scale exactly');
  return { rows: A.rows, cols: A.cols, data };
}
const same = (a, b, what) => assert.deepEqual(Array.from(a), Array.from(b), what);
const allFinite = (M) => M.data.every(Number.isFinite);
const fro = (d) => Math.sqrt(d.reduce((s, x) => s + x * x, 0));
function isOverflowError(e, what) {
  assert.equal(e.name, 'SketchlabError');
  assert.equal(e.code, 'EINVAL');
  assert.match(e.message, new RegExp(what));
  assert.match(e.message, /2\^-k/);
  return true;
}

test('qr, lu, cpqr of A·2^k: Q, L, pivots bit for bit; R, U = 2^k·(those of A) exactly', async () => {
  const sk = await api();
  for (const [m, n] of [[7, 5], [5, 7], [40, 36]]) {
    const A = base(m, n, m * 31 + n);
    const q0 = sk.qr(A), l0 = sk.lu(A), c0 = sk.cpqr(A);
    for (const k of SCALES) {
      const Ak = scaled(A, k);
      const q = sk.qr(Ak);
      same(q.Q.data, q0.Q.data, `qr Q k=${k}`);
      same(q.R.data, q0.R.data.map((x) => ldexp(x, k)), `qr R k=${k}`);
      const l = sk.lu(Ak);
      same(l.perm, l0.perm, `lu perm k=${k}`);
      same(l.L.data, l0.L.data, `lu L k=${k}`);
      same(l.U.data, l0.U.data.map((x) => ldexp(x, k)), `lu U k=${k}`);
      const c = sk.cpqr(Ak);
      same(c.perm, c0.perm, `cpqr perm k=${k}`);
      same(c.Q.data, c0.Q.data, `cpqr Q k=${k}`);
      same(c.R.data, c0.R.data.map((x) => ldexp(x, k)), `cpqr R k=${k}`);
    }
    // backward error of the moderate factorization (the scaled ones are its exact multiples)
    const res = jsMul(q0.Q, q0.R).data.map((x, i) => x - A.data[i]);
    assert.ok(fro(res) <= 10 * Math.max(m, n) * 2 ** -52 * fro(A.data), `qr residual ${fro(res)}`);
  }
});

test('qr with a −MAX_VALUE entry: finite, orthonormal Q (was NaN in Q)', async () => {
  const sk = await api();
  const A = { rows: 3, cols: 3, data: Float64Array.from([-MAX, 2, 3, 4, 5, 6, 7, 8, 9]) };
  const { Q, R } = sk.qr(A);
  assert.ok(allFinite(Q) && allFinite(R));
  assert.equal(Math.abs(R.data[0]), MAX);
  const QtQ = jsMul({ rows: 3, cols: 3, data: Float64Array.from({ length: 9 }, (_, i) => Q.data[Math.floor(i / 3) + (i % 3) * 3]) }, Q);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(QtQ.data[i + 3 * j] - (i === j ? 1 : 0)) < 1e-14);
});

test('qr with entries ~1e-302: finite R (was Inf in R)', async () => {
  const sk = await api();
  const A = { rows: 4, cols: 3, data: Float64Array.from([1e-302, -2e-302, 3e-302, 5e-303, 4e-302, 1e-302, -1e-302, 2e-302, 7e-302, 3e-302, 2e-302, -5e-302]) };
  const { Q, R } = sk.qr(A);
  assert.ok(allFinite(Q) && allFinite(R));
  const QR = jsMul(Q, R).data;
  const err = fro(QR.map((x, i) => (x - A.data[i]) * 1e302));
  assert.ok(err <= 1e-13 * fro(A.data.map((x) => x * 1e302)), `residual ${err}`);
});

test('overflowing factors are a clear EINVAL, not ±Inf', async () => {
  const sk = await api();
  // lu: entries ~1e307 with one −MAX_VALUE: U(1,1) = MAX + MAX
  const L = { rows: 2, cols: 2, data: Float64Array.from([1e307, 1e307, -MAX, MAX]) };
  assert.throws(() => sk.lu(L), (e) => isOverflowError(e, 'entry of U'));
  // qr and cpqr: a 6×6 matrix whose column norms exceed MAX_VALUE
  const Big = { rows: 6, cols: 6, data: Float64Array.from({ length: 36 }, (_, i) => 1e308 * (1 + 0.01 * i)) };
  assert.throws(() => sk.qr(Big), (e) => isOverflowError(e, 'entry of R'));
  assert.throws(() => sk.cpqr(Big), (e) => isOverflowError(e, 'entry of R'));
  // ... and 6×6 of ~1e307 is representable: finite, with R(0,0) the largest column norm
  const Near = { rows: 6, cols: 6, data: Float64Array.from({ length: 36 }, (_, i) => 1e307 * (1 + 0.01 * i)) };
  const c = sk.cpqr(Near);
  assert.ok(allFinite(c.Q) && allFinite(c.R));
  const norm5 = 1e307 * Math.sqrt(Array.from({ length: 6 }, (_, i) => (1 + 0.01 * (30 + i)) ** 2).reduce((s, x) => s + x, 0));
  assert.ok(Math.abs(Math.abs(c.R.data[0]) - norm5) <= 1e-14 * norm5);
  assert.ok(allFinite(sk.qr(Near).R) && allFinite(sk.lu(Near).U));
});

test('matmul: a product beyond MAX_VALUE is a clear EINVAL (was Inf − Inf = NaN)', async () => {
  const sk = await api();
  const A = { rows: 1, cols: 4, data: Float64Array.from([1e300, -1e300, 2e300, 1e300]) };
  const B = { rows: 4, cols: 3, data: Float64Array.from([1e10, 1e10, 1, 1e10, 1, 1, 1, 1e10, 1, 1, 1, 1]) };
  assert.throws(() => sk.matmul(A, B), (e) => isOverflowError(e, 'product overflows'));
  assert.throws(() => sk.matmul(B, A, { transA: true, transB: true }), (e) => isOverflowError(e, 'product overflows'));
  // large but representable: exact
  const C = sk.matmul({ rows: 1, cols: 2, data: Float64Array.from([2 ** 1000, 2 ** 1000]) },
    { rows: 2, cols: 1, data: Float64Array.from([2 ** 20, -(2 ** 21)]) });
  assert.equal(C.data[0], -(2 ** 1020));
});

test('lu: a pivot that underflows to 0 when U goes back to A\'s units is reported (singular: true)', async () => {
  const sk = await api();
  // Non-zero (2^-54) in the prescaled factor, 2^-1075 -> 0 in A's units (issue 9).
  const s = 2 ** -1021;
  const r = sk.lu({ rows: 2, cols: 2, data: Float64Array.from([0.75 * s, 0.5 * s, 0.5 * s, s / 3]) });
  assert.equal(r.U.data[3], 0);
  assert.equal(r.singular, true);
  // ... and the same matrix times 2^1021 (exact) is not singular: its U(1,1) is ±2^-54.
  const m = sk.lu({ rows: 2, cols: 2, data: Float64Array.from([0.75, 0.5, 0.5, (s / 3) * 2 ** 1021]) });
  assert.equal(m.singular, false);
  assert.equal(Math.abs(m.U.data[3]), 2 ** -54);
});

test('cpqr: residual = ‖R22‖_F/‖A‖_F is finite and the same at every scale; res2, norm2 in A\'s units', async () => {
  const sk = await api();
  for (const [m, n] of [[7, 5], [40, 36]]) {
    const A = base(m, n, m * 17 + n), rank = Math.min(m, n) - 2;
    const c0 = sk.cpqr(A, { rank });
    // The reference, directly: ‖R22‖_F² = ‖A(:, perm) − Q R‖_F² (R22 is what Q R misses).
    const P = { rows: m, cols: n, data: new Float64Array(m * n) };
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) P.data[i + j * m] = A.data[i + c0.perm[j] * m];
    const miss = fro(jsMul(c0.Q, c0.R).data.map((x, i) => x - P.data[i]));
    assert.ok(c0.residual > 0 && Math.abs(c0.residual - miss / fro(A.data)) <= 1e-12, `residual ${c0.residual} vs ${miss / fro(A.data)}`);
    assert.equal(c0.norm2, A.data.reduce((s, x) => s + x * x, 0));
    for (const k of SCALES) {
      const c = sk.cpqr(scaled(A, k), { rank });
      assert.equal(c.residual, c0.residual, `residual at 2^${k}`);
      assert.ok(Number.isFinite(c.residual));
      assert.equal(c.res2, ldexp(c0.res2, 2 * k), `res2 at 2^${k}`);
      assert.equal(c.norm2, ldexp(c0.norm2, 2 * k), `norm2 at 2^${k}`);
      same(c.R.data, c0.R.data.map((x) => ldexp(x, k)), `R at 2^${k}`);
      // Documented: Infinity / 0 where the squared mass is not a double (here at 2^±1000).
      if (Math.abs(k) === 1000) assert.equal(c.res2, k > 0 ? Infinity : 0);
    }
  }
});

// ---------------------------------------------------------------- attention, softmax regression, samplers
// (attention.d.ts, regression.d.ts, stream.d.ts "Range"): the fuzz test's reproducers.
function isRangeError(e, what) {
  assert.equal(e.name, 'SketchlabError');
  assert.equal(e.code, 'EINVAL');
  assert.match(e.message, new RegExp(what));
  assert.match(e.message, /scale .* down/);
  return true;
}

test('attention: logits beyond MAX_VALUE give the exact one-hot softmax; tensor queries and SubGen throw EINVAL', async () => {
  const sk = await api();
  const K = [[1e200], [-1e200]], V = [[3], [5]];
  same(sk.attention([1e200], K, V), [3], 'logits ±1e400: one-hot'); // (was NaN)
  same(sk.attention([1e200], [[1e200], [-1e200], [1e200]], [[3], [5], [8]]), [5.5], 'tied max set');
  same(sk.attention([0], [[1], [2]], [[1.5e308], [1.5e308]]), [1.5e308], 'Σ p·v beyond MAX_VALUE, exact mean');
  // logits 1e300 and 0.9e300: representable, the softmax is exactly one-hot
  same(sk.attention([1e150], [[1e150], [0.9e150], [-1e150]], [[3], [5], [7]]), [3], 'one-hot');
  // tensor: k1∘k2 = 1e320 in every evaluation (the fuzz test's call 510, seed 1)
  const K1 = [[1e160, 2], [-1e160, 1]], K2 = [[1e160, 1], [1e160, 3]], V1 = [[1, 2], [3, 4]], V2 = [[5, 6], [7, 8]];
  for (const evaluation of ['two-cache', 'naive', 'factored', 'streaming'])
    assert.throws(() => sk.tensorAttention([1, 0.5], K1, K2, V1, V2, { evaluation }), (e) => isRangeError(e, 'k1∘k2'));
  // a KV cache stays usable after the error, and its empty-cache message is unchanged
  const c = sk.kvCache({ kind: 'standard', d: 1 });
  assert.throws(() => c.query([1]), /the cache is empty/);
  c.append(K, V);
  same(c.query([1e200]), [3], 'standard cache: one-hot');
  assert.ok(Math.abs(c.query([1e-300])[0] - 4) <= 4 * 2 ** -52);
  c.dispose();
  const f = sk.kvCache({ kind: 'four', d: 1 });
  f.append([1e160], [1e160], [2], [2]);
  for (const evaluation of ['factored', 'naive', 'streaming']) assert.throws(() => f.query([1], { evaluation }), (e) => isRangeError(e, 'beyond'));
  f.dispose();
  const g = sk.subgen({ d: 1, delta: 0.5, t: 1, s: 2, seed: 7 });
  assert.throws(() => g.query([1]), /no token was appended/);
  g.append(K, V);
  assert.throws(() => g.query([1e200]), (e) => isRangeError(e, 'beyond the double range'));
  assert.ok(Number.isFinite(g.query([1e-300])[0]));
  g.dispose();
  assert.equal(sk.memoryStats().live, 0);
});

/** n×d with max |a| in [1/2, 1) and entries >= 2^-11·max (exact under 2^±1000). */
const regA = (n, d, seed) => base(n, d, seed);
const uniformB = (n) => Float64Array.from({ length: n }, () => 1 / n);
const weights = (n) => Float64Array.from({ length: n }, (_, i) => 1 + 0.1 * i);

test('softmax regression: a loss/gradient/Hessian beyond MAX_VALUE is EINVAL, never NaN; divergence records +Infinity', async () => {
  const sk = await api();
  const n = 8, d = 3, A = regA(n, d, 5), b = uniformB(n), w = weights(n), A530 = scaled(A, 530);
  assert.throws(() => sk.softmaxEval(A530, b, w, [1, -1, 0.5]), (e) => isRangeError(e, 'beyond the double range'));
  // x = 0: loss 0 and a finite gradient; only the Hessian (~2^1060) is out of range
  const r0 = sk.softmaxEval(A530, b, w, [0, 0, 0]);
  assert.equal(r0.loss, 0);
  assert.ok(r0.gradient.every(Number.isFinite));
  assert.throws(() => sk.softmaxEval(A530, b, w, [0, 0, 0], { hessian: true }), (e) => isRangeError(e, 'Hessian'));
  // the solvers refuse a start whose loss is out of range (was history[0].gradNorm NaN)
  assert.throws(() => sk.softmaxRegression(A530, b, w, { x0: [1, 1, 1] }), (e) => isRangeError(e, 'x0'));
  assert.throws(() => sk.softmaxSolver(A530, b, w, { x0: [1, 1, 1] }), (e) => isRangeError(e, 'x0'));
  // gradient descent with a huge step diverges: 'diverged', +Infinity, no NaN in the history
  const r = sk.softmaxRegression(A, b, w, { method: 'gd', eta: 1e306, x0: [0.1, -0.2, 0.3], maxIter: 10 });
  assert.equal(r.reason, 'diverged');
  for (const h of r.history) assert.ok(!Number.isNaN(h.loss) && !Number.isNaN(h.gradNorm), JSON.stringify(h));
  assert.equal(r.history.at(-1).loss, Infinity);
});

test('softmaxLeverage of A·2^k (and D·4^k) is that of A bit for bit; softmaxRegime has no NaN', async () => {
  const sk = await api();
  const n = 8, d = 3, A = regA(n, d, 6), D = Float64Array.from({ length: n }, (_, i) => 0.5 + i);
  for (const kind of ['exact', 'sketch']) {
    const s0 = sk.softmaxLeverage(A, { kind, D, seed: 3 });
    assert.ok(Math.abs(s0.reduce((s, x) => s + x, 0) - d) < 1e-12 || kind === 'sketch');
    for (const k of SCALES) {
      const Dk = D.map((x) => ldexp(x, k > 0 ? 500 : -500));
      same(sk.softmaxLeverage(scaled(A, k), { kind, D: Dk, seed: 3 }), s0, `${kind} k=${k}`); // (k = -1000 sketch: was ESINGULAR)
    }
  }
  const R = sk.softmaxRegime(scaled(A, 600), uniformB(n), weights(n));
  assert.equal(R.lMax, -Infinity);
  assert.equal(R.holds, false);
  assert.equal(sk.softmaxRegime(scaled(A, 600), uniformB(n), Float64Array.from({ length: n }, () => 10)).lMax, 0);
});

test('attention and tensor samplers: out-of-range input or update is EINVAL with the state unchanged', async () => {
  const sk = await api();
  const n = 5, d = 3, A = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => 2 ** 200 * (1 + 0.25 * ((i + j) % 3)))), x = [1, 2, 3];
  for (const setting of ['A', 'x', 'both']) {
    assert.throws(() => sk.attentionSampler({ setting, A: scaled({ rows: n, cols: d, data: Float64Array.from(A.flat()) }, 29), x, buckets: 8, rows: 3, seed: 3 }),
      (e) => isRangeError(e, '2\\^228'));
    const s = sk.attentionSampler({ setting, A, x, buckets: 8, rows: 3, repetitions: 2, seed: 3 });
    const b0 = s.serialize();
    if (setting !== 'x') assert.throws(() => s.updateA(1, 2, 3 * 2 ** 227), (e) => isRangeError(e, 'state is unchanged'));
    if (setting !== 'A') assert.throws(() => s.updateX(0, 2 ** 228), (e) => isRangeError(e, 'state is unchanged'));
    same(s.serialize(), b0, `${setting}: state unchanged`);
    const rec = s.sample();
    for (const [k, v] of Object.entries(rec)) if (typeof v === 'number') assert.ok(!Number.isNaN(v), `${setting}: sample.${k} is NaN`);
    const back = sk.deserializeAttention(b0);
    same(back.serialize(), b0, 'round trip');
    back.dispose(); s.dispose();
  }
  const A2 = [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 1, 1], [2, 2, 2]], X = [[1, 0.25, 0.25], [0.25, 1, 0.25], [0.25, 0.25, 1]];
  assert.throws(() => sk.tensorSampler({ A2: [[2 ** 141, 0, 0], ...A2.slice(1)], X }), (e) => isRangeError(e, '2\\^140'));
  const t = sk.tensorSampler({ A2, X, buckets: 8, rows: 3, repetitions: 2, seed: 1 });
  t.update(0, 1, 2 ** 60);
  const t0 = t.table(0), f0 = t.fftSketch();
  assert.throws(() => t.update(2, 0, 2 ** 139), (e) => isRangeError(e, 'nothing was changed'));
  same(t.table(0).z, t0.z, 'tensor z-table unchanged');
  same(t.table(0).y, t0.y, 'tensor y-table unchanged');
  same(t.fftSketch().table, f0.table, 'fft table unchanged');
  assert.ok(Number.isFinite(f0.f2) && f0.table.every(Number.isFinite));
  t.dispose();
  assert.equal(sk.memoryStats().live, 0);
});

test('l2Sampler and amsSketch: an update past their range (2^400, 2^500) is EINVAL naming the limit, state unchanged, still usable', async () => {
  const sk = await api();
  for (const oracle of ['sketch', 'exact', 'race']) {
    const s = sk.l2Sampler({ n: 30, eps: 0.25, buckets: 16, rows: 5, heavy: 4, repetitions: 2, oracle, seed: 4 });
    for (let i = 0; i < 30; i++) s.update(i, 2 ** 360 * (1 + i / 64));
    const before = s.sample();
    assert.ok(Number.isFinite(before.r), `${oracle}: r = ${before.r}`);
    assert.throws(() => s.update(3, 2 ** 400), (e) => e.code === 'EINVAL' && /2\^400/.test(e.message) && /unchanged/.test(e.message));
    assert.throws(() => s.update(Int32Array.of(1, 2), Float64Array.of(1, Number.MAX_VALUE)), (e) => e.code === 'EINVAL');
    assert.deepEqual(s.sample(), before, `${oracle}: the same state answers the same`);
    s.update(Int32Array.of(1, 2), Float64Array.of(1, -2));
    s.dispose();
  }
  const a = sk.amsSketch({ s1: 16, s2: 5, seed: 2 });
  for (let i = 0; i < 10; i++) a.update(i, 2 ** 495);
  const f0 = a.f2();
  assert.ok(Number.isFinite(f0) && f0 > 0);
  assert.throws(() => a.update(3, 2 ** 500), (e) => e.code === 'EINVAL' && /2\^500/.test(e.message) && /unchanged/.test(e.message));
  assert.equal(a.f2(), f0);
  a.dispose();
  assert.equal(sk.memoryStats().live, 0);
});

test('SubGen2Cache: a pair product beyond MAX_VALUE is EINVAL at append (never a silent Inf pair); the handle then refuses further use clearly', async () => {
  const sk = await api();
  const g = sk.subgen({ d: 2, delta: 1, t: 1, s: 2, tensor: 'pairs', seed: 1 });
  g.append([[1, 1]], [[1, 1]], [[1, 2]], [[3, 4]]);
  assert.throws(() => g.append([[1e200, 1]], [[1e200, 1]], [[1, 2]], [[3, 4]]),
    (e) => e.code === 'EINVAL' && /beyond the double range/.test(e.message) && /start a new one/.test(e.message));
  assert.throws(() => g.query([1, 1]), (e) => e.code === 'EINVAL' && /failed half way/.test(e.message));
  g.dispose();
  assert.equal(sk.memoryStats().live, 0);
});
