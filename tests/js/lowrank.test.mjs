// lowrank.test.mjs — the pivoting API (wasm/lowrank.js): id, gallery, cur,
// rpcholesky. Shapes, T(:,S) = I, residuals against a direct computation,
// native-vs-wasm parity of skeletons for fixed seeds (build/native/sk_cli),
// the GMM acceptance numbers of specs/pivoting.md §3.5.1, the teaching trace,
// and every bad input with its clear error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, missing, freshApi, jsMul, fro, testMatrix, bound, res2Bound, within } from './helpers.mjs';

const NEED = missing('sk_id_cols', 'sk_gallery_gmm', 'sk_rng_init');
const NEED_KERNEL = missing('sk_gallery_smile', 'sk_gallery_robspiral', 'sk_kernel_matrix', 'sk_rpchol_kernel', 'sk_rpchol');
const NEED_CUR = missing('sk_cur');
const METHODS = ['cpqr', 'rpqr', 'brp', 'bgp', 'rbrp', 'sketch-cpqr', 'sketch-lupp', 'adaptive-lupp'];

let skPromise;
function api(tag = 'lowrank') {
  if (!skPromise) skPromise = freshApi(tag).then(async (m) => { await m.init(); return m; });
  return skPromise;
}

let nativeCache;
function native() {
  if (!nativeCache) {
    const path = fileURLToPath(CLI);
    assert.ok(existsSync(path), `${path} is missing: run \`make build/native/sk_cli\``);
    nativeCache = JSON.parse(execFileSync(path, { encoding: 'utf8', maxBuffer: 64 << 20 }));
  }
  return nativeCache;
}

function cols(A, S) {
  const m = A.rows, out = new Float64Array(m * S.length);
  for (let j = 0; j < S.length; j++) out.set(A.data.subarray(S[j] * m, S[j] * m + m), j * m);
  return { rows: m, cols: S.length, data: out };
}

/** ‖A − A(:,S)T‖_F / ‖A‖_F computed directly in JS. */
function directResidual(A, S, T) {
  const P = jsMul(cols(A, S), T);
  let e = 0;
  for (let i = 0; i < P.data.length; i++) e += (A.data[i] - P.data[i]) ** 2;
  return Math.sqrt(e) / fro(A);
}

async function expectError(fnCall, code, pattern) {
  let err;
  try { await fnCall(); } catch (e) { err = e; }
  assert.ok(err, `expected a ${code} error`);
  assert.equal(err.name, 'SketchlabError', `${err}`);
  assert.equal(err.code, code, `code of: ${err.message}`);
  if (pattern) assert.match(err.message, pattern);
  return err;
}

test('id: result shapes, T(:,S) = I and the residual equal a direct computation, every method', { skip: NEED }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 40, points: 200, clusters: 20, seed: 3 });
  assert.equal(A.rows, 40);
  assert.equal(A.cols, 200);
  for (const method of METHODS) {
    const r = sk.id(A, { method, rank: 15, blockSize: 6, seed: 9 });
    assert.equal(r.method, method);
    assert.ok(r.cols instanceof Int32Array);
    assert.equal(r.rank, 15);
    assert.equal(r.cols.length, 15);
    assert.equal(new Set(r.cols).size, 15, `${method}: distinct columns`);
    for (const c of r.cols) assert.ok(c >= 0 && c < 200);
    assert.equal(r.T.rows, 15);
    assert.equal(r.T.cols, 200);
    assert.ok(r.T.data instanceof Float64Array);
    for (let j = 0; j < 15; j++) {
      for (let i = 0; i < 15; i++) assert.equal(r.T.data[i + r.cols[j] * 15], i === j ? 1 : 0, `${method}: T(:,S) = I`);
    }
    const direct = directResidual(A, r.cols, r.T);
    // Relative residuals ‖E‖/‖A‖: E's entries carry ~n·eps·‖A‖ (n = 200), so the
    // residual is absolutely accurate to ~n·eps (×1 here, 450·eps) plus the
    // algorithm's relative slack (the sketch methods' T from a solve: 1e-10).
    within(Math.abs(direct - r.residual), 1e-10 * direct + bound(0, 0, 450, 1), `${method}: residual vs direct`);
    within(Math.abs(r.residual2 - direct ** 2 * fro(A) ** 2), res2Bound(1e-9, r.residual2, 2 * 200 * 10, fro(A)), `${method}: residual2 is the absolute squared mass`);
    within(Math.abs(r.norm2 - fro(A) ** 2), bound(4 * 8000, r.norm2), `${method}: norm2`); // a sum of 8000 squares in two orders
    assert.equal(r.trace, undefined, 'no trace unless asked');
  }
  assert.equal(sk.memoryStats().live, 0, 'nothing leaked');
});

test('id: rank-adaptive tol stops at the first rank meeting it; interp: false skips T', { skip: NEED }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 60, points: 300, clusters: 30, seed: 4 });
  for (const method of ['cpqr', 'rpqr', 'brp', 'bgp', 'rbrp']) {
    const tol = 1e-3;
    const r = sk.id(A, { method, tol, blockSize: 16, seed: 2, curve: true });
    within(r.residual ** 2 - tol, bound(4500, tol), `${method}: residual² <= tol`); // the stopping test's own rounding
    // the prefix curve: relative residual after each column; one column fewer misses tol
    assert.equal(r.curve.length, r.rank);
    // Nonincreasing up to the downdating's absolute rounding, n·eps (relative residuals; n = 300, ×10).
    for (let j = 1; j < r.rank; j++) within(r.curve[j] - r.curve[j - 1], bound(0, 0, 3000, 1), `${method}: curve decreases at ${j}`);
    if (r.rank > 1) assert.ok(r.curve[r.rank - 2] ** 2 > tol, `${method}: exact cut — rank ${r.rank - 1} would not meet tol`);
    const direct = directResidual(A, r.cols, r.T);
    within(Math.abs(direct - r.residual), 1e-9 * direct + bound(0, 0, 10000, 1), `${method}: residual vs direct`); // as above, n = 300 (×33; bgp observed 370·eps)
  }
  const r = sk.id(A, { method: 'cpqr', rank: 5, interp: false });
  assert.equal(r.T, null);
  assert.equal(r.cols.length, 5);
});

test("id: interp 'sketch' returns the sketch's own T, its exact residual, and errors elsewhere", { skip: NEED }, async () => {
  const sk = await api();
  const A = sk.gallery('exponential', { rows: 120, cols: 90, flat: 5, decay: 0.8, seed: 3 });
  for (const method of ['sketch-cpqr', 'sketch-lupp']) {
    const opts = { method, rank: 15, oversample: 5, seed: 11 };
    const best = sk.id(A, opts);
    const r = sk.id(A, { ...opts, interp: 'sketch', curve: true });
    assert.deepEqual(r.cols, best.cols, `${method}: the choice of T does not move the skeleton`);
    for (let j = 0; j < r.rank; j++) {
      for (let i = 0; i < r.rank; i++) assert.equal(r.T.data[i + r.cols[j] * r.rank], i === j ? 1 : 0);
    }
    const direct = directResidual(A, r.cols, r.T);
    // As in 'id: every method': relative slack of T's solve plus n·eps absolute (n = 90, ×10).
    within(Math.abs(direct - r.residual), 1e-9 * direct + bound(0, 0, 900, 1), `${method}: reported vs direct`);
    within(best.residual - r.residual, bound(0, 0, 900, 1), `${method}: no T beats the optimal one`);
    let diff = 0;
    for (let i = 0; i < r.T.data.length; i++) diff = Math.max(diff, Math.abs(r.T.data[i] - best.T.data[i]));
    assert.ok(diff > 1e-8, `${method}: the sketch T is a different matrix`);
    within(Math.abs(r.curve[r.rank - 1] - best.residual), bound(0, 0, 900, 1), `${method}: the curve keeps the optimal-T error`);
  }
  assert.throws(() => sk.id(A, { method: 'rbrp', rank: 5, interp: 'sketch' }),
    (e) => e.code === 'EINVAL' && /interp 'sketch' needs method 'sketch-cpqr' or 'sketch-lupp'/.test(e.message));
  assert.throws(() => sk.id(A, { method: 'sketch-cpqr', rank: 5, interp: 'exact' }),
    (e) => e.code === 'EINVAL' && /interp must be true, false, 'optimal' or 'sketch'/.test(e.message));
  // Two nonzero columns: a rank-3 sketch T would divide by an exactly zero pivot.
  const Z = { rows: 6, cols: 5, data: new Float64Array(30) };
  for (let i = 0; i < 6; i++) { Z.data[i] = 1 + i; Z.data[18 + i] = i % 2 ? -1 : 2; }
  assert.throws(() => sk.id(Z, { method: 'sketch-lupp', rank: 3, interp: 'sketch' }),
    (e) => e.code === 'ESINGULAR' && /interp: 'optimal' or a smaller rank/.test(e.message));
  const opt = sk.id(Z, { method: 'sketch-lupp', rank: 3 });
  assert.equal(opt.rank, 2, 'the optimal T stops at the numerical rank 2');
  assert.equal(opt.stop, 'numerical-rank');
});

test('id: the prefix curve matches separate exact projections', { skip: NEED }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 30, points: 120, clusters: 10, seed: 8 });
  const r = sk.id(A, { method: 'rbrp', rank: 20, blockSize: 5, seed: 1, curve: true });
  for (const k of [1, 5, 12, 20]) {
    // optimal T for the first k columns by least squares through qr
    const C = cols(A, r.cols.subarray(0, k));
    const { Q } = sk.qr(C);
    const P = jsMul(Q, sk.matmul(Q, A, { transA: true }));
    let e = 0;
    for (let i = 0; i < P.data.length; i++) e += (A.data[i] - P.data[i]) ** 2;
    const want = Math.sqrt(e) / fro(A);
    // The curve's downdated residual vs a QR projection: n·eps absolute (×10) plus the
    // downdate's relative loss (‖A‖²/‖E‖²·eps, ≤ 1e-7 at these k).
    within(Math.abs(r.curve[k - 1] - want), 1e-7 * want + bound(0, 0, 10 * A.cols, 1), `k = ${k}: curve vs QR projection`);
  }
});

test('id: teaching trace — candidates, accepted flags, residual per step; consistent with the skeleton', { skip: NEED }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 40, points: 200, clusters: 20, seed: 3 });
  for (const method of METHODS) {
    const r = sk.id(A, { method, rank: 18, blockSize: 6, seed: 5, trace: true });
    assert.ok(Array.isArray(r.trace));
    assert.equal(r.trace.truncated, false);
    const accepted = [];
    let prev = 1;
    for (const step of r.trace) {
      assert.ok(step.candidates instanceof Int32Array);
      assert.ok(step.accepted instanceof Uint8Array);
      assert.equal(step.candidates.length, step.accepted.length);
      // accepted candidates come first, in pivot order
      let seenReject = false;
      step.accepted.forEach((a, i) => {
        if (a) { assert.ok(!seenReject, `${method}: accepted first`); accepted.push(step.candidates[i]); } else seenReject = true;
      });
      // adaptive LUPP's trace holds unbiased estimates, which need not shrink
      if (method !== 'adaptive-lupp') within(step.residual - prev, 1e-9 * prev + bound(0, 0, 10 * A.cols, 1), `${method}: residual shrinks`); // as the curve
      prev = step.residual;
      assert.equal(step.rank, accepted.length);
    }
    assert.deepEqual(accepted, [...r.cols], `${method}: trace acceptances = skeleton`);
    if (method !== 'adaptive-lupp') within(Math.abs(r.trace.at(-1).residual - r.residual), bound(4500, r.residual, 10 * A.cols, 1), `${method}: trace ends at the residual`);
    if (method === 'rpqr' || method === 'cpqr') assert.equal(r.trace.length, 18, 'one pivot per step');
    if (method === 'brp' || method === 'bgp') assert.equal(r.trace.length, 3, 'blocks of 6, all kept');
  }
  // RBRP filters: on GMM some candidates are rejected
  const rb = sk.id(sk.gallery('gmm', { dim: 100, points: 500, clusters: 50, seed: 1 }), { method: 'rbrp', rank: 50, blockSize: 20, seed: 3, trace: true });
  const rejected = rb.trace.reduce((s, st) => s + st.accepted.filter((a) => !a).length, 0);
  assert.ok(rejected > 0, 'RBRP rejected redundant candidates');
});

test('GMM 2000 points × 500 dims, k = 90, b = 30: RBRP error/optimal <= 2.5, BGP >= 50 (spec §3.5.1)', { skip: NEED, timeout: 120_000 }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 500, points: 2000, clusters: 100, seed: 2024 });
  const ratio = {};
  for (const method of ['rbrp', 'bgp', 'brp', 'cpqr']) {
    const r = sk.id(A, { method, rank: 90, blockSize: 30, seed: 7, interp: false, suboptimality: true });
    ratio[method] = r.suboptimality;
    within(Math.abs(r.suboptimality - r.residual2 / r.optimalResidual2), bound(8, r.suboptimality), 'suboptimality is the ratio'); // one division
    assert.ok(r.optimalResidual <= r.residual);
  }
  assert.ok(ratio.rbrp <= 2.5, `RBRP ${ratio.rbrp}`);
  assert.ok(ratio.cpqr <= 2.5, `CPQR ${ratio.cpqr}`);
  assert.ok(ratio.bgp >= 50, `BGP ${ratio.bgp}`);
  assert.ok(ratio.brp >= 10, `BRP ${ratio.brp}`);
});

test('native vs wasm: identical GMM matrices and identical skeletons for fixed seeds (baseline and SIMD)', { skip: NEED }, async () => {
  const nat = native();
  if (!nat.id) return test.skip?.('sk_cli has no lowrank section');
  for (const variant of ['baseline', 'simd']) {
    const sk = await freshApi(`lowrank-${variant}`);
    await sk.init({ simd: variant === 'simd' });
    for (const g of nat.gmm) {
      const A = sk.gallery('gmm', { dim: g.dim, points: g.points, clusters: g.clusters, seed: g.seed });
      assert.deepEqual([...A.data], g.A, `${variant}: gmm bits`);
    }
    for (const c of nat.id) {
      const A = sk.gallery('gmm', { dim: c.dim, points: c.points, clusters: c.clusters, seed: c.gseed });
      const opts = { method: c.method, blockSize: c.block, seed: c.seed, interp: false };
      if (c.rank_cap > 0) opts.rank = c.rank_cap;
      if (c.tol > 0) opts.tol = c.tol;
      const r = sk.id(A, opts);
      const what = `${variant} ${JSON.stringify(opts)}`;
      assert.equal(r.rank, c.rank, `${what}: rank`);
      assert.deepEqual([...r.cols], c.S, `${what}: skeleton`);
      // Native vs wasm, the same C with -ffp-contract=off: only libm may differ (a few eps), mixed bound ×100.
      within(Math.abs(r.residual2 - c.res2), res2Bound(4500 * 2 ** -52, c.res2, 200 * c.points, fro(A)), `${what}: res2 native vs wasm`);
    }
    if (nat.rpchol && !NEED_KERNEL) {
      for (const c of nat.rpchol) {
        const { points } = sk.gallery('smile', { points: c.points, seed: c.gseed, matrix: false });
        const r = sk.rpcholesky({ points, bandwidth: c.bandwidth }, { method: c.method, rank: c.rank_cap, blockSize: c.block, seed: c.seed });
        assert.deepEqual([...r.pivots], c.S, `${variant} rpcholesky ${c.method}: pivots`);
        // tr(K) − ‖F‖² cancels: n·eps·tr(K) absolute (tr K = n, unit diagonal), ×10.
        within(Math.abs(r.residualTrace - c.res_trace), bound(4500, c.res_trace, 10 * c.points, c.points), `${variant} rpcholesky ${c.method}: trace`);
      }
    }
  }
});

test('gallery: exponential, polynomial, kahan; seeded and reproducible', { skip: NEED }, async () => {
  const sk = await api();
  const E = sk.gallery('exponential', { rows: 60, cols: 40, flat: 5, decay: 0.5, seed: 3 });
  assert.equal(E.rows, 60);
  assert.equal(E.cols, 40);
  const s = sk.svd(E).s;
  for (let i = 0; i < 40; i++) {
    const want = i < 5 ? 1 : Math.max(1e-5, 0.5 ** (i + 1 - 5));
    within(Math.abs(s[i] - want), bound(0, 0, 4500, 1), `σ_${i + 1}`); // A = UΣVᵀ built and its SVD: c·n·eps·σ₁ (n = 60, ×75)
  }
  assert.deepEqual(E.data, sk.gallery('exponential', { rows: 60, cols: 40, flat: 5, decay: 0.5, seed: 3 }).data, 'same seed, same matrix');
  assert.notDeepEqual(E.data, sk.gallery('exponential', { rows: 60, cols: 40, flat: 5, decay: 0.5, seed: 4 }).data);
  const P = sk.gallery('polynomial', { rows: 30, cols: 30, flat: 0, power: 2, seed: 1 });
  const sp = sk.svd(P).s;
  for (let i = 0; i < 30; i++) within(Math.abs(sp[i] - Math.max(1e-5, (i + 1) ** -2)), bound(0, 0, 4500, 1), `polynomial σ_${i + 1}`); // as above
  const K = sk.gallery('kahan', { n: 20, zeta: 0.9 });
  assert.equal(K.rows, 20);
  for (let j = 0; j < 20; j++) {
    let c = 0;
    for (let i = 0; i < 20; i++) c += K.data[i + j * 20] ** 2;
    within(Math.abs(c - 1), bound(0, 0, 45, 1), 'every Kahan column has norm 1'); // a sum of 20 squares, ×2
    // the classic perturbation (column j scaled by 1 − 1e-9·j) breaks the ties: then CPQR keeps the order
    for (let i = 0; i < 20; i++) K.data[i + j * 20] *= 1 - 1e-9 * j;
  }
  const r = sk.id(K, { method: 'cpqr', rank: 19 });
  assert.deepEqual([...r.cols], Array.from({ length: 19 }, (_, i) => i));
});

test('gallery: smile and robspiral return { matrix, points }; kernel matrix is symmetric with unit diagonal', { skip: NEED_KERNEL }, async () => {
  const sk = await api();
  for (const name of ['smile', 'robspiral']) {
    const g = sk.gallery(name, name === 'smile' ? { points: 100, seed: 2 } : { points: 100 });
    assert.equal(g.points.rows, 2);
    assert.equal(g.points.cols, 100);
    assert.equal(g.matrix.rows, 100);
    for (let i = 0; i < 100; i++) assert.equal(g.matrix.data[i * 101], 1);
    for (let i = 0; i < 100; i++) for (let j = 0; j < i; j++) assert.equal(g.matrix.data[i + j * 100], g.matrix.data[j + i * 100]);
    const x = g.points.data;
    const k01 = Math.exp(-((x[0] - x[2]) ** 2 + (x[1] - x[3]) ** 2) / (2 * g.bandwidth ** 2));
    within(Math.abs(g.matrix.data[1] - k01), bound(45, k01), `${name}: k(x0, x1)`); // exp of a short sum: a few eps relative (×10)
  }
});

test('rpcholesky: dense and kernel forms agree; F Fᵀ reproduces K up to the reported trace error', { skip: NEED_KERNEL }, async () => {
  const sk = await api();
  const g = sk.gallery('smile', { points: 200, seed: 5 });
  for (const method of ['random', 'greedy', 'uniform', 'block', 'rbrp']) {
    const a = sk.rpcholesky(g.matrix, { method, rank: 25, blockSize: 8, seed: 4, trace: true });
    const b = sk.rpcholesky({ points: g.points, bandwidth: g.bandwidth }, { method, rank: 25, blockSize: 8, seed: 4 });
    assert.deepEqual([...a.pivots], [...b.pivots], `${method}: same pivots`);
    assert.equal(a.F.rows, 200);
    assert.equal(a.F.cols, a.rank);
    const FFt = sk.matmul(a.F, a.F, { transB: true });
    let tr = 0;
    for (let i = 0; i < 200; i++) tr += g.matrix.data[i * 201] - FFt.data[i * 201];
    // tr(K − FFᵀ) in two orders: n·eps·tr(K) absolute (tr K = 200), ×10 + a relative 4500·eps.
    within(Math.abs(tr - a.residualTrace), bound(4500, a.residualTrace, 2000, 200), `${method}: trace error`);
    within(Math.abs(a.residual - a.residualTrace / a.traceA), bound(4, a.residual), `${method}: residual = trace/tr(A)`); // one division
    assert.ok(a.trace.length >= 1);
    within(Math.abs(a.trace.at(-1).residual - a.residual), bound(4500, a.residual, 2000, 1), `${method}: trace ends at the residual`);
  }
  const rr = sk.rpcholesky(g.matrix, { method: 'random', tol: 1e-3, seed: 1 });
  assert.ok(rr.residual <= 1e-3);
});

test('cur: shapes, residual equals ‖A − CUR‖_F/‖A‖_F computed directly', { skip: NEED || NEED_CUR }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 40, points: 200, clusters: 20, seed: 3 });
  for (const core of ['optimal', 'cross']) {
    const r = sk.cur(A, { method: 'rbrp', rank: 15, blockSize: 6, seed: 2, core });
    assert.equal(r.rows.length, 15);
    assert.equal(r.cols.length, 15);
    assert.equal(r.C.rows, 40); assert.equal(r.C.cols, 15);
    assert.equal(r.U.rows, 15); assert.equal(r.U.cols, 15);
    assert.equal(r.R.rows, 15); assert.equal(r.R.cols, 200);
    for (let j = 0; j < 15; j++) for (let i = 0; i < 40; i++) assert.equal(r.C.data[i + j * 40], A.data[i + r.cols[j] * 40]);
    const P = jsMul(jsMul(r.C, r.U), r.R);
    let e = 0;
    for (let i = 0; i < P.data.length; i++) e += (A.data[i] - P.data[i]) ** 2;
    const want = Math.sqrt(e) / fro(A);
    // C·U·R in two orders, amplified by the core's conditioning (1e-8 relative), plus n·eps (n = 200, ×10).
    within(Math.abs(want - r.residual), 1e-8 * want + bound(0, 0, 2000, 1), `${core}: residual vs direct`);
  }
});

test('cur: a given column skeleton (cols) gives the same CUR as choosing it by id(); bad cols are refused', { skip: NEED || NEED_CUR }, async () => {
  const sk = await api();
  const A = sk.gallery('gmm', { dim: 40, points: 200, clusters: 20, seed: 3 });
  const chosen = sk.cur(A, { method: 'rpqr', rank: 12, seed: 5 });
  const given = sk.cur(A, { cols: chosen.cols });
  assert.deepEqual(given.cols, chosen.cols);
  assert.deepEqual(given.rows, chosen.rows);
  assert.deepEqual(given.U.data, chosen.U.data);
  within(Math.abs(given.residual - chosen.residual), bound(0, 0, 45, 1), 'given vs chosen residual'); // the same computation: equal up to a few eps
  // a plain array works too, and CUR never beats the ID on the same columns
  const cols = Array.from(sk.id(A, { method: 'cpqr', rank: 10 }).cols);
  within(sk.id(A, { method: 'cpqr', rank: 10 }).residual - sk.cur(A, { cols }).residual, bound(0, 0, 2000, 1), 'CUR does not beat the ID'); // n·eps (n = 200, ×10)
  await expectError(() => sk.cur(A, { cols: [0, 1], rank: 2 }), 'EINVAL', /either cols .* or the id\(\) options .* \('rank'\)/);
  await expectError(() => sk.cur(A, { cols: [0, 200] }), 'EINVAL', /cols\[1\] = 200 is not a column index; use integers from 0 to 199/);
  await expectError(() => sk.cur(A, { cols: [3, 3] }), 'EINVAL', /column 3 appears twice/);
  await expectError(() => sk.cur(A, { cols: [1.5] }), 'EINVAL', /cols\[0\] = 1.5/);
  await expectError(() => sk.cur(A, { cols: 'abc' }), 'EINVAL', /cols must be an array or Int32Array/);
  await expectError(() => sk.cur(A, { cols: Array.from({ length: 41 }, (_, i) => i) }), 'ERANK', /41 indices, more than min\(m, n\) = 40/);
});

test('bad inputs give clear SketchlabErrors, and the module stays usable', { skip: NEED }, async () => {
  const sk = await api();
  const A = testMatrix(8, 12, 3);
  await expectError(() => sk.id(A, { method: 'rbrp' }), 'EINVAL', /stopping rule: rank .* or tol > 0/);
  await expectError(() => sk.id(A, { tol: 0 }), 'EINVAL', /stopping rule/);
  await expectError(() => sk.id(A, { tol: -1e-3 }), 'EINVAL', /\(0, 1\)/);
  await expectError(() => sk.id(A, { tol: 1 }), 'EINVAL', /must be in \(0, 1\)/);
  await expectError(() => sk.id(A, { tol: 1.5, rank: 3 }), 'EINVAL', /\(0, 1\)/);
  await expectError(() => sk.id(A, { tol: NaN }), 'EINVAL', /tol must be a number/);
  await expectError(() => sk.id(A, { rank: NaN }), 'EINVAL', /rank must be an integer/);
  await expectError(() => sk.id(A, { rank: 9 }), 'ERANK', /from 1 to min\(rows, cols\) = 8, got 9/);
  await expectError(() => sk.id(A, { rank: 0 }), 'ERANK', /at least one column/);
  await expectError(() => sk.id(A, { rank: 2.5 }), 'EINVAL', /integer/);
  await expectError(() => sk.id(A, { rank: 3, blockSize: 0 }), 'EINVAL', /blockSize .* positive integer/);
  await expectError(() => sk.id(A, { rank: 3, blockSize: 2.5 }), 'EINVAL', /blockSize/);
  await expectError(() => sk.id(A, { rank: 3, method: 'qr' }), 'EINVAL', /unknown method "qr"; use one of 'cpqr'/);
  await expectError(() => sk.id(A, { method: 'sketch-cpqr', tol: 1e-3 }), 'EINVAL', /needs a rank/);
  await expectError(() => sk.id(A, { method: 'sketch-lupp', tol: 1e-3, rank: 3 }), 'EINVAL', /tol is not supported/);
  await expectError(() => sk.id(A, { rank: 3, filterTol: 0 }), 'EINVAL', /filterTol/);
  await expectError(() => sk.id(A, { rank: 3, seed: -1 }), 'EINVAL', /seed/);
  await expectError(() => sk.id(A, { rank: 3, trace: 'yes' }), 'EINVAL', /trace must be true or false/);
  await expectError(() => sk.id(A, { rank: 3, block: 4 }), 'EINVAL', /unknown option 'block'/);
  const bad = { rows: 2, cols: 2, data: Float64Array.from([1, NaN, 3, 4]) };
  await expectError(() => sk.id(bad, { rank: 1 }), 'ENONFINITE', /row 1, column 0/);
  await expectError(() => sk.id({ rows: 0, cols: 3, data: new Float64Array(0) }, { rank: 1 }), 'ESHAPE', /empty/);
  await expectError(() => sk.gallery('mnist'), 'EINVAL', /unknown test matrix "mnist"/);
  await expectError(() => sk.gallery('gmm', { dim: 10, points: 40, clusters: 20 }), 'EINVAL', /clusters \(20\) must be <= dim \(10\)/);
  await expectError(() => sk.gallery('gmm', { dim: 30, points: 41, clusters: 20 }), 'EINVAL', /multiple of clusters/);
  await expectError(() => sk.gallery('gmm', { sigma: -1 }), 'EINVAL', /sigma/);
  await expectError(() => sk.gallery('kahan', { zeta: 1 }), 'EINVAL', /zeta/);
  await expectError(() => sk.gallery('kahan', { n: 10, seed: 1 }), 'EINVAL', /unknown option 'seed'/);
  if (!NEED_KERNEL) {
    await expectError(() => sk.gallery('robspiral', { points: 10, seed: 1 }), 'EINVAL', /unknown option 'seed'/);
    await expectError(() => sk.gallery('smile', { points: 5 }), 'EINVAL', /at least 7/);
    await expectError(() => sk.gallery('smile', { points: 50, bandwidth: 0 }), 'EINVAL', /bandwidth/);
    await expectError(() => sk.rpcholesky(A, { rank: 2 }), 'ESHAPE', /square/);
    await expectError(() => sk.rpcholesky([[1, 2], [0, 1]], { rank: 1 }), 'ENOTSYM', /symmetric/);
    await expectError(() => sk.rpcholesky([[1, 0], [0, 1]], { method: 'rpqr', rank: 1 }), 'EINVAL', /unknown method "rpqr"/);
    await expectError(() => sk.rpcholesky([[1, 0], [0, 1]], {}), 'EINVAL', /stopping rule/);
    await expectError(() => sk.rpcholesky([[1, 0], [0, -1]], { rank: 2, method: 'greedy' }), 'ENOTPD', /positive semidefinite/);
    await expectError(() => sk.rpcholesky({ points: [[0, 1]] }, { rank: 1 }), 'EINVAL', /bandwidth/);
  }
  if (!NEED_CUR) {
    await expectError(() => sk.cur(A, { rank: 3, core: 'pinv' }), 'EINVAL', /core must be 'optimal'/);
    await expectError(() => sk.cur(A, { rank: 30 }), 'ERANK', /min\(rows, cols\) = 8/);
  }
  // still usable, nothing leaked
  const r = sk.id(A, { method: 'cpqr', rank: 3 });
  assert.equal(r.rank, 3);
  assert.equal(sk.memoryStats().live, 0);
});

test('worker client: id and gallery run off the main thread', { skip: NEED }, async () => {
  const { createClient } = await import('../../wasm/worker-client.js');
  const c = createClient();
  try {
    await c.ready;
    const A = await c.gallery('gmm', { dim: 20, points: 100, clusters: 10, seed: 1 });
    const r = await c.id(A, { method: 'rbrp', rank: 12, blockSize: 4, seed: 3, trace: true });
    assert.equal(r.rank, 12);
    assert.ok(r.cols instanceof Int32Array);
    assert.ok(r.trace[0].candidates instanceof Int32Array);
    const a = await c.id(A, { method: 'adaptive-lupp', rank: 12, blockSize: 4, seed: 3 });
    assert.equal(a.rank, 12);
  } finally {
    c.terminate();
  }
});
