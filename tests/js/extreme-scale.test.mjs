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
