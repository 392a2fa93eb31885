// api.test.mjs — the public API: shapes, scaled residuals, helpers.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  init, isInitialized, version, matmul, qr, cpqr, lu, cholesky, svd, eigh, randn, rand,
  fromRows, toRows, SketchlabError, memoryStats, supports,
} from '../../wasm/index.js';
import {
  missing, jsMul, transpose, fro, diff, relDiff, orthErr, scaleCols, permuteCols, permuteRows,
  testMatrix, spdMatrix, symMatrix, EPS, bound, within,
} from './helpers.mjs';

const SHAPES = [[1, 1], [6, 4], [4, 6], [7, 7], [30, 12], [12, 30]];

test('init is idempotent and returns the same cached promise', async () => {
  assert.equal(isInitialized(), false);
  const p1 = init();
  const p2 = init({ simd: false }); // options of later calls are ignored
  assert.equal(p1, p2);
  const info = await p1;
  assert.equal(isInitialized(), true);
  assert.equal(typeof info.simd, 'boolean');
  assert.match(info.version, /^\d+\.\d+\.\d+$/);
  assert.equal(await init(), info);
});

test('version() matches package.json', async () => {
  await init();
  const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(version(), pkg.version);
});

test('fromRows / toRows round-trip, column-major layout', () => {
  const A = fromRows([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual({ rows: A.rows, cols: A.cols }, { rows: 2, cols: 3 });
  assert.deepEqual([...A.data], [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(toRows(A), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(toRows(fromRows([])), []);
  assert.throws(() => fromRows([[1, 2], [3]]), (e) => e instanceof SketchlabError && e.code === 'ESHAPE');
  // a DataView row has no entries (it gave cols: undefined): it is not a row
  const dv = new DataView(new ArrayBuffer(16));
  assert.throws(() => fromRows([dv]), (e) => e instanceof SketchlabError && e.code === 'EINVAL' && /A\[0\] must be an array of numbers \(one row\), got a DataView/.test(e.message));
});

test('matmul: all transpose cases against plain JS', { skip: missing('matmul') }, async () => {
  await init();
  const A = testMatrix(5, 3, 1), B = testMatrix(3, 4, 2);
  const ref = jsMul(A, B);
  const cases = [
    [A, B, {}],
    [transpose(A), B, { transA: true }],
    [A, transpose(B), { transB: true }],
    [transpose(A), transpose(B), { transA: true, transB: true }],
  ];
  for (const [X, Y, o] of cases) {
    const C = matmul(X, Y, o);
    assert.equal(C.rows, 5); assert.equal(C.cols, 4);
    // Dot products of length k = 3 (γ_k = 3·eps per entry, relative to |A||B| ≈ ‖C‖ here): 45·eps.
    within(relDiff(C, ref), bound(0, 0, 45, 1), `matmul ${JSON.stringify(o)}`);
  }
  // number[][] input and empty inner dimension
  assert.deepEqual(toRows(matmul([[1, 2], [3, 4]], [[5], [6]])), [[17], [39]]);
  const Z = matmul({ rows: 2, cols: 0, data: new Float64Array(0) }, { rows: 0, cols: 3, data: new Float64Array(0) });
  assert.deepEqual([...Z.data], [0, 0, 0, 0, 0, 0]);
});

test('qr: thin shapes, ‖A − QR‖/(‖A‖ n ε) small, Q orthonormal, R upper', { skip: missing('qr') }, async () => {
  await init();
  for (const [m, n] of SHAPES) {
    const A = testMatrix(m, n, m * 31 + n), k = Math.min(m, n);
    const { Q, R } = qr(A);
    assert.deepEqual([Q.rows, Q.cols, R.rows, R.cols], [m, k, k, n]);
    // Householder QR (Higham Thm 19.4, 19.13): c·n·eps·‖A‖ and c·m·eps, c ~ 1.
    within(diff(jsMul(Q, R), A) / (fro(A) * n * EPS), 10, `residual ${m}×${n}`);
    within(orthErr(Q) / (m * EPS), 10, `orthogonality ${m}×${n}`);
    for (let j = 0; j < n; j++) for (let i = j + 1; i < k; i++) assert.equal(R.data[i + j * k], 0);
  }
});

test('cpqr: full, fixed rank, tolerance; pivots are a permutation; |R| diagonal decreasing', { skip: missing('cpqr') }, async () => {
  await init();
  for (const [m, n] of SHAPES) {
    const A = testMatrix(m, n, 7 * m + n), k = Math.min(m, n);
    const { Q, R, perm, rank, res2 } = cpqr(A);
    assert.equal(rank, k);
    assert.ok(perm instanceof Int32Array);
    assert.deepEqual([...perm].sort((a, b) => a - b), [...Array(n).keys()]);
    assert.deepEqual([Q.rows, Q.cols, R.rows, R.cols], [m, k, k, n]);
    within(diff(jsMul(Q, R), permuteCols(A, perm)) / (fro(A) * n * EPS), 10, `cpqr residual ${m}×${n}`); // as QR
    // CPQR's |R(i,i)| is nonincreasing up to the rounding of the downdated norms: n·eps·‖A‖.
    for (let i = 1; i < k; i++) within(Math.abs(R.data[i + i * k]) - Math.abs(R.data[i - 1 + (i - 1) * k]), bound(0, 0, 10 * n, fro(A)), `|R| diagonal at ${i}`);
    assert.ok(res2 >= 0);
  }
  // numerically rank-3 matrix: tol stops at 3, rank option stops where asked
  const A = jsMul(testMatrix(20, 3, 5), testMatrix(3, 15, 6));
  const byTol = cpqr(A, { tol: 1e-20 });
  assert.equal(byTol.rank, 3);
  assert.deepEqual([byTol.Q.rows, byTol.Q.cols, byTol.R.rows, byTol.R.cols], [20, 3, 3, 15]);
  within(diff(jsMul(byTol.Q, byTol.R), permuteCols(A, byTol.perm)), bound(0, 0, 10 * 15, fro(A)), 'rank-3 cpqr residual'); // as QR, n = 15
  const byRank = cpqr(A, { rank: 2 });
  assert.equal(byRank.rank, 2);
  assert.ok(byRank.res2 > 0);
  assert.equal(cpqr(A, { rank: 0 }).rank, 0);
});

test('lu: A(perm,:) = L U, L unit lower, |L| <= 1', { skip: missing('lu') }, async () => {
  await init();
  for (const [m, n] of SHAPES) {
    const A = testMatrix(m, n, 3 * m + n), k = Math.min(m, n);
    const { L, U, perm, singular } = lu(A);
    assert.equal(singular, false);
    assert.deepEqual([L.rows, L.cols, U.rows, U.cols], [m, k, k, n]);
    assert.ok(perm instanceof Int32Array && perm.length === m);
    within(diff(jsMul(L, U), permuteRows(A, perm)) / (fro(A) * n * EPS), 10, `lu residual ${m}×${n}`); // GEPP, Higham Thm 9.3
    for (let j = 0; j < k; j++) {
      assert.equal(L.data[j + j * m], 1);
      for (let i = j + 1; i < m; i++) assert.ok(Math.abs(L.data[i + j * m]) <= 1);
    }
  }
  const S = lu([[1, 2], [2, 4]]);
  assert.equal(S.singular, true, 'exactly singular input completes with singular: true');
  within(diff(jsMul(S.L, S.U), permuteRows(fromRows([[1, 2], [2, 4]]), S.perm)), bound(0, 0, 2 * 10, 5), 'singular lu residual'); // n·eps·‖A‖ ×10
});

test('cholesky: A = L Lᵀ, L lower; tolerates tiny asymmetry', { skip: missing('cholesky') }, async () => {
  await init();
  for (const n of [1, 2, 5, 40]) {
    const A = spdMatrix(n, n);
    const { L } = cholesky(A);
    for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) assert.equal(L.data[i + j * n], 0);
    within(diff(jsMul(L, transpose(L)), A) / (fro(A) * n * EPS), 10, `cholesky residual n=${n}`); // Higham Thm 10.3
  }
  const A = spdMatrix(4, 9);
  A.data[1] *= 1 + 1e-14; // within the default symTol (1e-10 · max|a|)
  assert.doesNotThrow(() => cholesky(A));
});

test('svd: A = U diag(s) Vᵀ, s descending, U and V orthonormal', { skip: missing('svd') }, async () => {
  await init();
  for (const [m, n] of SHAPES) {
    const A = testMatrix(m, n, 11 * m + n), k = Math.min(m, n);
    const { U, s, V } = svd(A);
    assert.ok(s instanceof Float64Array && s.length === k);
    assert.deepEqual([U.rows, U.cols, V.rows, V.cols], [m, k, n, k]);
    for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1] && s[i] >= 0);
    // Backward-stable SVD (LAPACK's dgesvd test ratios): c·N·eps, c ~ 1, margin 20.
    within(diff(jsMul(scaleCols(U, s), transpose(V)), A) / (fro(A) * Math.max(m, n) * EPS), 20, `svd residual ${m}×${n}`);
    within(orthErr(U) / (m * EPS), 20, `svd U ${m}×${n}`);
    within(orthErr(V) / (n * EPS), 20, `svd V ${m}×${n}`);
  }
  const { s } = svd(fromRows([[3, 0], [0, -4]]));
  within(Math.abs(s[0] - 4), bound(0, 0, 4 * 2, 4), 'σ₁ of diag(3, −4)'); // c·N·eps·σ₁
  within(Math.abs(s[1] - 3), bound(0, 0, 4 * 2, 4), 'σ₂ of diag(3, −4)');
});

test('svd / eigh with { vectors: false }: the same values, no vectors', { skip: missing('svd', 'eigh') }, async () => {
  await init();
  const A = testMatrix(30, 12, 5);
  const full = svd(A), only = svd(A, { vectors: false });
  assert.equal(only.U, null);
  assert.equal(only.V, null);
  // Two backward-stable paths: each σ within c·N·eps·σ₁ (Weyl).
  for (let i = 0; i < 12; i++) within(Math.abs(only.s[i] - full.s[i]), bound(0, 0, 4 * 30, full.s[0]), `s[${i}]`);
  const S = symMatrix(20, 3), e = eigh(S), ev = eigh(S, { vectors: false });
  assert.equal(ev.vectors, null);
  for (let i = 0; i < 20; i++) within(Math.abs(ev.values[i] - e.values[i]), bound(0, 0, 4 * 20, fro(S)), `value ${i}`); // Weyl, as svd
  assert.throws(() => svd(A, { vectors: 'no' }), (err) => err.code === 'EINVAL' && /vectors/.test(err.message));
  assert.throws(() => eigh(S, { vectors: 1 }), (err) => err.code === 'EINVAL' && /vectors/.test(err.message));
});

test('eigh: A V = V diag(values), values ascending, V orthonormal', { skip: missing('eigh') }, async () => {
  await init();
  for (const n of [1, 2, 6, 30]) {
    const A = symMatrix(n, n + 1);
    const { values, vectors } = eigh(A);
    assert.ok(values instanceof Float64Array && values.length === n);
    for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1]);
    // LAPACK's dsyevd test ratios: c·n·eps, c ~ 1, margin 20.
    within(diff(jsMul(A, vectors), scaleCols(vectors, values)) / (fro(A) * n * EPS), 20, `eigh residual n=${n}`);
    within(orthErr(vectors) / (n * EPS), 20, `eigh orthogonality n=${n}`);
  }
});

test('randn / rand: shape, determinism by seed, streams, BigInt seeds, moments', { skip: missing('randn', 'rand') }, async () => {
  await init();
  const A = randn(50, 40, 123);
  assert.deepEqual([A.rows, A.cols, A.data.length], [50, 40, 2000]);
  assert.deepEqual(randn(50, 40, 123).data, A.data);
  assert.deepEqual(randn(50, 40, 123n).data, A.data, 'number and BigInt seeds agree');
  assert.notDeepEqual(randn(50, 40, 124).data, A.data);
  assert.notDeepEqual(randn(50, 40, 123, { stream: 1 }).data, A.data);
  assert.equal(randn(3, 3, 2n ** 64n - 1n).data.length, 9);
  // prefix property: randn fills column after column from one stream
  assert.deepEqual(randn(2000, 1, 123).data, A.data);
  const n = A.data.length, mean = A.data.reduce((a, b) => a + b) / n;
  const variance = A.data.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n) && Math.abs(variance - 1) < 0.15, `mean ${mean}, variance ${variance}`);
  const U = rand(100, 100, 5);
  assert.ok(U.data.every((u) => u > 0 && u < 1));
  const um = U.data.reduce((a, b) => a + b) / U.data.length;
  assert.ok(Math.abs(um - 0.5) < 5 * Math.sqrt(1 / 12 / U.data.length));
  assert.deepEqual(randn(0, 5, 1).data.length, 0);
});

test('supports() and memoryStats()', async () => {
  await init();
  assert.equal(supports('matmul'), true);
  assert.equal(supports('nonsense'), false);
  const st = memoryStats();
  assert.equal(st.live, 0);
  assert.ok(st.bytes >= 16 * 1024 * 1024 && st.probe > 0);
});
