// regression.test.mjs — the softmax-regression API (wasm/regression.js):
// results, the step-wise solver's lifecycle (dispose, Symbol.dispose, the
// error after dispose), every bad input with its clear error, native/wasm
// parity (`build/native/sk_cli regression`, both wasm variants: 1e-12 on the
// deterministic runs, the same sampled rows for the same seed), and a heap
// that stays unchanged over 10,000 calls.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, missing, freshApi, diff, fro } from './helpers.mjs';

const NEED = missing('sk_regression_init', 'sk_regression_step', 'sk_regression_problem', 'sk_regression_eval');

const apis = {};
async function api(tag = 'regression', simd) {
  if (!apis[tag]) {
    apis[tag] = freshApi(tag).then(async (m) => { await m.init(simd === undefined ? {} : { simd }); return m; });
  }
  return apis[tag];
}

let nativeCache;
function native() {
  if (!nativeCache) {
    const path = fileURLToPath(CLI);
    assert.ok(existsSync(path), `${path} is missing: run \`make build/native/sk_cli\``);
    nativeCache = JSON.parse(execFileSync(path, ['regression'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  }
  return nativeCache;
}

function close(a, e, what, tol = 1e-12) {
  assert.equal(a.length, e.length, `${what}: length`);
  const err = diff(Float64Array.from(a), Float64Array.from(e)), scale = Math.max(fro(Float64Array.from(e)), Number.MIN_VALUE);
  assert.ok(err <= tol * scale, `${what}: relative difference ${(err / scale).toExponential(2)} > ${tol}`);
}

async function expectError(fn, code, re) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, 'SketchlabError', `expected a SketchlabError, got ${e}`);
    assert.equal(e.code, code, `code ${e.code} (${e.message})`);
    if (re) assert.match(e.message, re);
    return true;
  });
}

// ------------------------------------------------------------------ results

test('newton on a T3-like problem: quadratic convergence, tiny gradient, regime reported', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T3', { seed: 3 });
  assert.equal(P.A.rows, 8);
  assert.equal(P.A.cols, 3);
  const r = sk.softmaxRegression(P.A, P.b, P.w, { x0: P.x0, tol: 1e-12, regime: true, iterates: true });
  assert.equal(r.reason, 'converged');
  assert.ok(r.iterations >= 2 && r.iterations <= 8, `iterations ${r.iterations}`);
  assert.equal(r.history.length, r.iterations + 1);
  assert.equal(r.regime.holds, false);
  const g = sk.softmaxEval(P.A, P.b, P.w, r.x);
  assert.ok(Math.hypot(...g.gradient) < 1e-10, `‖g‖ = ${Math.hypot(...g.gradient)}`);
  assert.equal(g.loss, r.history.at(-1).loss);
  // the history's losses decrease and the iterates are the ones returned
  for (let t = 1; t < r.history.length; t++) assert.ok(r.history[t].loss <= r.history[t - 1].loss * (1 + 1e-14));
  assert.deepEqual(Array.from(r.history.at(-1).x), Array.from(r.x));
  assert.ok(r.history.at(-1).seconds >= 0);
});

test('gradient and Hessian from softmaxEval agree with central differences', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T3', { n: 30, d: 4, seed: 8 });
  const x = Float64Array.from(P.x0, (v) => 0.5 * v);
  const { gradient, hessian } = sk.softmaxEval(P.A, P.b, P.w, x, { hessian: true });
  const h = 1e-5, d = 4;
  let eg = 0, eh = 0, sg = 0, sh = 0;
  for (let j = 0; j < d; j++) {
    const xp = Float64Array.from(x), xm = Float64Array.from(x);
    xp[j] += h; xm[j] -= h;
    const p = sk.softmaxEval(P.A, P.b, P.w, xp), m = sk.softmaxEval(P.A, P.b, P.w, xm);
    const gfd = (p.loss - m.loss) / (2 * h);
    eg = Math.max(eg, Math.abs(gfd - gradient[j])); sg = Math.max(sg, Math.abs(gfd));
    for (let i = 0; i < d; i++) {
      const hfd = (p.gradient[i] - m.gradient[i]) / (2 * h);
      eh = Math.max(eh, Math.abs(hfd - hessian.data[i + j * d])); sh = Math.max(sh, Math.abs(hfd));
    }
  }
  assert.ok(eg / sg <= 1e-8, `gradient rel. error ${eg / sg}`);
  assert.ok(eh / sh <= 1e-8, `Hessian rel. error ${eh / sh}`);
});

test('softmaxFiniteDifferences: the same numbers as 2d+1 softmaxEval calls, bit for bit; agrees with the exact derivatives', { skip: NEED }, async () => {
  const sk = await api();
  for (const [name, n, d, wZero] of [['T2', 300, 6, true], ['T3', 30, 4, false], ['T4', 200, 10, true]]) {
    const P = sk.softmaxProblem(name, { n, d, seed: 8 });
    const w = wZero ? new Float64Array(n) : P.w; // w = 0: the softmax part alone, as the page checks it
    const x = Float64Array.from(P.x0, (v) => 0.5 * v);
    for (const h of [1e-5, 1e-3]) {
      const r = sk.softmaxFiniteDifferences(P.A, P.b, w, x, { h });
      const at = sk.softmaxEval(P.A, P.b, w, x, { hessian: true });
      assert.equal(r.loss, at.loss);
      assert.deepEqual(Array.from(r.gradient), Array.from(at.gradient));
      assert.deepEqual(Array.from(r.hessian.data), Array.from(at.hessian.data));
      assert.deepEqual([r.hessianFD.rows, r.hessianFD.cols], [d, d]);
      const gFD = new Float64Array(d), HFD = new Float64Array(d * d);
      for (let j = 0; j < d; j++) {
        const xp = Float64Array.from(x), xm = Float64Array.from(x);
        xp[j] += h; xm[j] -= h;
        const p = sk.softmaxEval(P.A, P.b, w, xp), m = sk.softmaxEval(P.A, P.b, w, xm);
        gFD[j] = (p.loss - m.loss) / (2 * h);
        for (let i = 0; i < d; i++) HFD[i + j * d] = (p.gradient[i] - m.gradient[i]) / (2 * h);
      }
      assert.deepEqual(Array.from(r.gradientFD), Array.from(gFD), `${name} h = ${h}: gradientFD`);
      assert.deepEqual(Array.from(r.hessianFD.data), Array.from(HFD), `${name} h = ${h}: hessianFD`);
    }
    // h = 1e-5: central differences are O(h²) accurate; rounding adds about eps·|L|/h
    const r = sk.softmaxFiniteDifferences(P.A, P.b, w, x);
    const rel = (X, Y) => { let e = 0, m = 0; for (let i = 0; i < X.length; i++) { e = Math.max(e, Math.abs(X[i] - Y[i])); m = Math.max(m, Math.abs(Y[i])); } return e / m; };
    assert.ok(rel(r.gradient, r.gradientFD) <= 1e-6, `${name}: gradient rel. error ${rel(r.gradient, r.gradientFD)}`);
    assert.ok(rel(r.hessian.data, r.hessianFD.data) <= 1e-6, `${name}: Hessian rel. error ${rel(r.hessian.data, r.hessianFD.data)}`);
  }
  assert.equal(sk.memoryStats().live, 0);
});

test('softmaxFiniteDifferences: bad h, x and out-of-range values are clear errors, nothing held', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T3', { seed: 3 });
  const f = (x, o) => sk.softmaxFiniteDifferences(P.A, P.b, P.w, x, o);
  for (const h of [0, -1e-5, NaN, Infinity, '1e-5', null]) await expectError(() => f(P.x0, { h }), 'EINVAL', /option h must be a finite number > 0/);
  await expectError(() => f(P.x0, { step: 1e-5 }), 'EINVAL', /unknown option 'step'/);
  await expectError(() => f([1, 2]), 'ESHAPE', /x has length 2 but must have 3/);
  await expectError(() => f([1, NaN, 2]), 'ENONFINITE', /x\[1\]/);
  await expectError(() => f([1.79e308, 0, 0], { h: 1e306 }), 'EINVAL', /x\[0\] ± h is not finite.*smaller h/);
  await expectError(() => sk.softmaxFiniteDifferences(P.A, P.b.subarray(1), P.w, P.x0), 'ESHAPE', /b has length 7/);
  // A·2^530 at x = 0: loss and gradient are finite, the Hessian (~2^1060) is not
  const big = { rows: 8, cols: 3, data: P.A.data.map((v) => v * 2 ** 530) };
  await expectError(() => sk.softmaxFiniteDifferences(big, P.b, P.w, [0, 0, 0]), 'EINVAL', /beyond the double range.*scale A/);
  assert.equal(sk.memoryStats().live, 0);
});

test('T2-like: leverage sampling converges, uniform sampling does not (spec §10)', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T2', { n: 2000, d: 12, seed: 2 });
  const ref = sk.softmaxRegression(P.A, P.b, P.w, { x0: P.x0, safeguard: true, tol: 1e-14 });
  assert.equal(ref.reason, 'converged');
  const lev = sk.softmaxRegression(P.A, P.b, P.w, { method: 'sampled', x0: P.x0, seed: 4, maxIter: 40, samples: true });
  assert.equal(lev.reason, 'converged');
  // samples: the drawn rows of each step, and the heavy rows (the first d) among them
  assert.equal(lev.history[1].sampled.length, lev.history[1].rows);
  assert.ok([...lev.history[1].sampled].filter((i) => i < 12).length >= 10, 'leverage sampling finds the heavy rows');
  assert.ok(Math.abs(lev.history[1].p.reduce((a, v) => a + v, 0) - 1) < 1e-12);
  assert.ok(Math.hypot(...lev.x.map((v, i) => v - ref.x[i])) < 1e-8);
  assert.ok(lev.history[1].rows < 200, `rows sampled ${lev.history[1].rows}`);
  const uni = sk.softmaxRegression(P.A, P.b, P.w, { method: 'sampled', leverage: 'uniform', x0: P.x0, seed: 4, maxIter: 30 });
  assert.notEqual(uni.reason, 'converged');
  assert.ok(Math.hypot(...uni.x.map((v, i) => v - ref.x[i])) > 1, 'uniform sampling should diverge on coherent A');
  const sketched = sk.softmaxRegression(P.A, P.b, P.w, { method: 'sampled', leverage: 'sketch', rankTwo: false, x0: P.x0, seed: 4, maxIter: 40 });
  assert.equal(sketched.reason, 'converged');
  const gd = sk.softmaxRegression(P.A, P.b, P.w, { method: 'gd', x0: P.x0, maxIter: 200 });
  assert.equal(gd.reason, 'maxIter');
  assert.ok(sk.softmaxRegime(P.A, P.b, P.w).holds);
});

test('T4-like: sampling refuses D <= 0 with a reason; the safeguard converges; the printed sign ascends', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T4', { seed: 4 });
  const s = sk.softmaxRegression(P.A, P.b, P.w, { method: 'sampled', x0: P.x0 });
  assert.equal(s.reason, 'dNotPositive');
  assert.equal(s.iterations, 0);
  const g = sk.softmaxRegression(P.A, P.b, P.w, { safeguard: true, x0: P.x0, maxIter: 60 });
  assert.equal(g.reason, 'converged');
  const T3 = sk.softmaxProblem('T3', { seed: 3 });
  const bad = sk.softmaxRegression(T3.A, T3.b, T3.w, { printedSign: true, x0: T3.x0 });
  assert.equal(bad.reason, 'nonDescent');
  assert.ok(bad.history[1].loss > bad.history[0].loss);
});

test('frozen on a rank-deficient A: the ENOTPD error names the dependent columns, not only w', { skip: NEED }, async () => {
  // Two equal columns make AᵀW²A singular although every w_i = 1.5: the message used to
  // blame w alone ("w is zero (or tiny) on rows that A needs").
  const sk = await api();
  const rows = Array.from({ length: 12 }, (_, i) => { const a = Math.sin(i + 1), c = Math.cos(2 * i); return [a, c, c]; });
  const b = new Float64Array(12).fill(1 / 12);
  b[0] += 0.05; b[1] -= 0.05;
  assert.throws(() => sk.softmaxRegression(sk.fromRows(rows), b, new Float64Array(12).fill(1.5), { method: 'frozen', x0: [0.1, 0.2, 0.3] }),
    (e) => e.code === 'ENOTPD' && /rank deficient/.test(e.message) && /dependent columns/.test(e.message));
});

test('softmaxSolver: step, state, sample, dispose, Symbol.dispose, EDISPOSED', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T1', { n: 500, d: 6, seed: 1 });
  const before = sk.memoryStats();
  const s = sk.softmaxSolver(P.A, P.b, P.w, { method: 'sampled', x0: P.x0, seed: 9, eigRange: true });
  assert.equal(s.method, 'sampled');
  assert.equal(s.state().iteration, 0);
  const st = s.step();
  assert.equal(st.iteration, 1);
  assert.equal(st.reason, 'running');
  assert.ok(st.record.eigMin > 0 && st.record.eigMin < 1 && st.record.eigMax > 1, `${st.record.eigMin} ${st.record.eigMax}`);
  const smp = s.sample();
  assert.equal(smp.rows.length, st.record.rows);
  assert.ok(Math.abs(smp.p.reduce((a, v) => a + v, 0) - 1) < 1e-12);
  assert.deepEqual(Array.from(s.state().x), Array.from(st.x));
  s.dispose();
  assert.equal(s.disposed, true);
  s.dispose(); // twice is harmless
  await expectError(() => s.step(), 'EDISPOSED', /disposed.*create a new one/);
  await expectError(() => s.state(), 'EDISPOSED');
  await expectError(() => s.sample(), 'EDISPOSED');
  const s2 = sk.softmaxSolver(P.A, P.b, P.w, { method: 'frozen', x0: P.x0 });
  s2[Symbol.dispose]();
  assert.equal(s2.disposed, true);
  const after = sk.memoryStats();
  assert.equal(after.live, 0);
  assert.equal(after.probe, before.probe);
});

// ------------------------------------------------------------------ errors

test('bad input: clear errors', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T3', { seed: 3 });
  const { A, b, w } = P;
  const f = sk.softmaxRegression;
  await expectError(() => f(A, b.subarray(1), w), 'ESHAPE', /b has length 7 but must have 8/);
  await expectError(() => f(A, b, [1, 2]), 'ESHAPE', /w has length 2/);
  await expectError(() => f(A, b, w, { x0: [1, 2] }), 'ESHAPE', /x0 has length 2 but must have 3/);
  const An = { rows: 8, cols: 3, data: Float64Array.from(A.data) };
  An.data[5] = NaN;
  await expectError(() => f(An, b, w), 'ENONFINITE');
  const bn = Float64Array.from(b); bn[2] = Infinity;
  await expectError(() => f(A, bn, w), 'ENONFINITE', /b\[2\] is Infinity/);
  await expectError(() => f(A, b, w, { x0: [0, NaN, 0] }), 'ENONFINITE', /x0\[1\]/);
  const wide = sk.softmaxProblem('T4', { n: 3, d: 5, seed: 1 });
  await expectError(() => f(wide.A, wide.b, wide.w), 'ESHAPE', /fewer rows than columns.*'gd'/);
  assert.equal(f(wide.A, wide.b, wide.w, { method: 'gd', maxIter: 3 }).iterations, 3);
  await expectError(() => f(A, b, w, { method: 'sampled', eps: 1 }), 'EINVAL', /eps must be in \(0, 1\)/);
  await expectError(() => f(A, b, w, { method: 'sampled', eps: 0 }), 'EINVAL', /eps/);
  await expectError(() => f(A, b, w, { delta: -0.1 }), 'EINVAL', /delta/);
  await expectError(() => f(A, b, w, { method: 'bfgs' }), 'EINVAL', /'newton', 'sampled', 'frozen', 'gd'/);
  await expectError(() => f(A, b, w, { leverage: 'magic' }), 'EINVAL', /'exact', 'sketch', 'uniform'/);
  await expectError(() => f(A, b, w, { maxIter: -1 }), 'EINVAL', /maxIter/);
  await expectError(() => f(A, b, w, { maxIter: 1.5 }), 'EINVAL', /maxIter/);
  await expectError(() => f(A, b, w, { tol: NaN }), 'EINVAL', /tol/);
  await expectError(() => f(A, b, w, { rankTwo: 'yes' }), 'EINVAL', /rankTwo/);
  await expectError(() => f(A, b, w, { sede: 1 }), 'EINVAL', /unknown option 'sede'/);
  await expectError(() => f(A, b, w, { seed: -1 }), 'EINVAL', /seed/);
  await expectError(() => f(A, b, w, 5), 'EINVAL', /options must be an object/);
  await expectError(() => f(A, 'b', w), 'EINVAL', /b must be a Float64Array/);
  await expectError(() => f(A, b, new Float64Array(8), { method: 'frozen' }), 'ENOTPD', /AᵀW²A is not positive definite/);
  await expectError(() => sk.softmaxProblem('T9'), 'EINVAL', /'T1', 'T2', 'T3' or 'T4'/);
  await expectError(() => sk.softmaxProblem('T1', { n: 5, d: 10 }), 'EINVAL', /n >= d/);
  await expectError(() => sk.softmaxLeverage(A, { D: [1, 2] }), 'ESHAPE');
  await expectError(() => sk.softmaxLeverage(A, { D: new Float64Array(8).fill(-1) }), 'EINVAL', /negative/);
  await expectError(() => sk.softmaxRegime(wide.A, wide.b, wide.w), 'ESHAPE', /n >= d/);
  await expectError(() => sk.softmaxSolver(A, b, w, { iterates: true }), 'EINVAL', /unknown option 'iterates'/);
  assert.equal(sk.memoryStats().live, 0);
});

// ------------------------------------------------------------------ parity

for (const variant of ['baseline', 'simd']) {
  test(`native/wasm parity (${variant}): problems, deterministic runs to 1e-12, identical samples`, { skip: NEED }, async () => {
    const sk = await api(`regression-${variant}`, variant === 'simd');
    const names = [null, 'T1', 'T2', 'T3', 'T4'];
    const methods = ['newton', 'sampled', 'frozen', 'gd'], levs = ['exact', 'sketch', 'uniform'];
    for (const c of native().regression) {
      const what = `${names[c.kind]} ${methods[c.method]}${c.method === 1 ? `/${levs[c.leverage]}` : ''}`;
      const P = sk.softmaxProblem(names[c.kind], { n: c.n, d: c.d, seed: c.pseed });
      close(P.A.data, c.A, `${what}: A`);
      close(P.b, c.b, `${what}: b`);
      close(P.w, c.w, `${what}: w`);
      close(P.x0, c.x0, `${what}: x0`);
      const A = { rows: c.n, cols: c.d, data: Float64Array.from(c.A) };
      const opts = {
        method: methods[c.method], leverage: levs[c.leverage], safeguard: !!(c.flags & 1), rankTwo: !(c.flags & 2),
        maxIter: c.maxIter, tol: 0, seed: c.seed, x0: c.x0,
      };
      const s = sk.softmaxSolver(A, c.b, c.w, opts);
      try {
        let st = s.state();
        const losses = [st.record.loss];
        while (st.reason === 'running') { st = s.step(); if (st.iteration >= losses.length) losses.push(st.record.loss); }
        assert.equal(st.iteration, c.iterations, `${what}: iterations`);
        assert.equal(['running', 'converged', 'maxIter', 'nonDescent', 'dNotPositive', 'diverged'].indexOf(st.reason), c.reason, `${what}: reason`);
        close(st.x, c.x, `${what}: x`, c.leverage === 2 ? 1e-9 : 1e-12); // uniform diverges: relative error grows with ‖x‖
        close(losses, c.loss, `${what}: losses`, c.leverage === 2 ? 1e-9 : 1e-12);
        const smp = s.sample();
        const supportNative = c.dtilde.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
        assert.deepEqual(Array.from(smp.rows), supportNative, `${what}: sampled rows`);
        close(smp.dtilde, c.dtilde, `${what}: D̃`);
      } finally {
        s.dispose();
      }
    }
  });
}

// ------------------------------------------------------------------ heap

test('vectors: a non-number entry or a DataView is named as such, not as NaN or length 0 (npm audit)', { skip: NEED }, async () => {
  const sk = await api();
  const { A, b, w } = sk.softmaxProblem('T3', { seed: 3 });
  // '1' was read as NaN ('b[0] is NaN'); a DataView as an empty array ('b has length 0')
  await expectError(() => sk.softmaxRegression(A, Array.from(b, String), w), 'EINVAL', /^softmaxRegression: b\[0\] is "[^"]*", not a number; b must hold numbers/);
  await expectError(() => sk.softmaxRegression(A, b, w, { x0: [0, 1n, 0] }), 'EINVAL', /^softmaxRegression: x0\[1\] is 1n \(a BigInt\), not a number; x0 must hold numbers/);
  await expectError(() => sk.softmaxRegression(A, new DataView(new ArrayBuffer(64)), w), 'EINVAL', /^softmaxRegression: b must be a Float64Array or number\[\] of length 8 .*got a DataView/);
  await expectError(() => sk.softmaxEval(A, b, w, [0, null, 0]), 'EINVAL', /^softmaxEval: x\[1\] is null, not a number; x must hold numbers/);
  assert.equal(sk.softmaxRegression(A, Float32Array.from(b), w, { maxIter: 2 }).x.length, 3, 'typed arrays of numbers still work');
});

test('10,000 calls (successful and failing) leave the heap unchanged', { skip: NEED }, async () => {
  const sk = await api();
  const P = sk.softmaxProblem('T3', { seed: 3 });
  const big = { rows: 8, cols: 3, data: P.A.data.map((v) => v * 2 ** 530) }; // its Hessian at 0 is beyond the double range
  const calls = [
    () => sk.softmaxRegression(P.A, P.b, P.w, { x0: P.x0, maxIter: 3 }),
    () => sk.softmaxRegression(P.A, P.b, P.w, { method: 'sampled', x0: P.x0, maxIter: 2, seed: 3 }),
    () => { const s = sk.softmaxSolver(P.A, P.b, P.w, { method: 'gd', maxIter: 2 }); s.step(); s.dispose(); },
    () => { try { sk.softmaxRegression(P.A, P.b, new Float64Array(8), { method: 'frozen' }); } catch (e) { if (e.code !== 'ENOTPD') throw e; } },
    () => sk.softmaxEval(P.A, P.b, P.w, P.x0, { hessian: true }),
    () => sk.softmaxFiniteDifferences(P.A, P.b, P.w, P.x0),
    () => { try { sk.softmaxFiniteDifferences(big, P.b, P.w, [0, 0, 0]); } catch (e) { if (e.code !== 'EINVAL') throw e; } },
  ];
  for (let i = 0; i < 50; i++) for (const c of calls) c();
  const before = sk.memoryStats();
  for (let i = 0; i < 10000; i++) calls[i % calls.length]();
  const after = sk.memoryStats();
  assert.deepEqual({ bytes: after.bytes, live: after.live, maxEnd: after.maxEnd, probe: after.probe },
    { bytes: before.bytes, live: before.live, maxEnd: before.maxEnd, probe: before.probe });
  assert.equal(after.live, 0);
});
