// parity.test.mjs — native vs wasm, baseline vs SIMD.
// build/native/sk_cli prints fixed seeded computations as JSON; the wasm
// builds (both variants, each in its own instance) must reproduce them: RNG
// streams bit for bit, CPQR/LU pivots exactly, factorizations to 4500·eps·‖X‖_F
// (an absolute bound in units of the result's norm); U, V and eigenvectors up
// to the sign of each column.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, missing, freshApi, diff, fro, bound, within } from './helpers.mjs';

// The same C, compiled by gcc and by emcc, both with -ffp-contract=off: the
// arithmetic is identical except libm calls (sqrt is exact; hypot/exp/log may
// differ by an ulp) and SIMD summation order, each a few eps relative to the
// quantities they feed. Through a backward-stable factorization that is
// c·n·eps·‖X‖ with n <= 70 here: 4500·eps·‖X‖_F (≈ 1e-12) is ×10 over it.
const C_ABS = 4500;

let nativeCache;
function native() {
  if (!nativeCache) {
    const path = fileURLToPath(CLI);
    assert.ok(existsSync(path), `${path} is missing: run \`make build/native/sk_cli\``);
    nativeCache = JSON.parse(execFileSync(path, { encoding: 'utf8', maxBuffer: 64 << 20 }));
  }
  return nativeCache;
}

const variants = {};
async function api(name) {
  if (!variants[name]) {
    const m = await freshApi(name);
    const info = await m.init({ simd: name === 'simd' });
    assert.equal(info.simd, name === 'simd');
    variants[name] = m;
  }
  return variants[name];
}

const mat = (rows, cols, data) => ({ rows, cols, data: Float64Array.from(data) });

function close(actual, expected, what, cAbs = C_ABS) {
  const a = actual.data || actual, e = expected.data || expected;
  assert.equal(a.length, e.length, `${what}: length`);
  within(diff(a, e), bound(0, 0, cAbs, fro(e)) + Number.MIN_VALUE, what);
}

/** Same, after flipping each column of `actual` to agree in sign with `expected`. */
function closeUpToSign(actual, expected, rows, what) {
  const a = Float64Array.from(actual.data || actual), e = expected.data || expected;
  const cols = a.length / rows;
  for (let j = 0; j < cols; j++) {
    let dot = 0;
    for (let i = 0; i < rows; i++) dot += a[i + j * rows] * e[i + j * rows];
    if (dot < 0) for (let i = 0; i < rows; i++) a[i + j * rows] = -a[i + j * rows];
  }
  close(a, e, what);
}

function bitwise(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new BigUint64Array(Float64Array.from(actual).buffer), e = new BigUint64Array(Float64Array.from(expected).buffer);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) assert.fail(`${what}: entry ${i} differs: ${actual[i]} vs ${expected[i]}`);
  }
}

for (const variant of ['baseline', 'simd']) {
  test(`${variant}: RNG streams are bit-identical to native`, { skip: missing('randn', 'rand') }, async () => {
    const sk = await api(variant);
    for (const c of native().rng) {
      const seed = BigInt(c.seed), opts = { stream: c.stream };
      const got = c.kind === 'uniform' ? sk.rand(c.rows, c.cols, seed, opts) : sk.randn(c.rows, c.cols, seed, opts);
      bitwise(got.data, c.x, `${c.kind} seed ${c.seed} stream ${c.stream}`);
    }
  });

  test(`${variant}: QR matches native`, { skip: missing('qr', 'randn') }, async () => {
    const sk = await api(variant);
    for (const c of native().qr) {
      const A = mat(c.rows, c.cols, c.A);
      bitwise(sk.randn(c.rows, c.cols, c.seed).data, c.A, 'input from randn');
      const { Q, R } = sk.qr(A);
      close(Q, c.Q, `Q ${c.rows}×${c.cols}`);
      close(R, c.R, `R ${c.rows}×${c.cols}`);
    }
  });

  test(`${variant}: CPQR pivots identical, factors match native`, { skip: missing('cpqr') }, async () => {
    const sk = await api(variant);
    for (const c of native().cpqr) {
      const A = mat(c.rows, c.cols, c.A);
      const opts = {};
      if (c.maxrank < Math.min(c.rows, c.cols)) opts.rank = c.maxrank;
      if (c.tol > 0) opts.tol = c.tol;
      const r = sk.cpqr(A, opts);
      const what = `cpqr ${c.rows}×${c.cols} ${JSON.stringify(opts)}`;
      assert.equal(r.rank, c.rank, `${what}: rank`);
      assert.deepEqual([...r.perm], c.perm, `${what}: pivots`);
      close(r.Q, c.Q, `${what}: Q`);
      close(r.R, c.R, `${what}: R`);
      // ‖R22‖² from the same entries up to the parity bound above: relative 4.5e5·eps (1e-10), kept
      // from before; 1e-300 for res2 = 0.
      within(Math.abs(r.res2 - c.res2), bound(4.5e5, c.res2) + 1e-300, `${what}: res2`);
    }
  });

  test(`${variant}: LU pivots identical, factors match native`, { skip: missing('lu') }, async () => {
    const sk = await api(variant);
    for (const c of native().lu) {
      const r = sk.lu(mat(c.rows, c.cols, c.A));
      assert.deepEqual([...r.perm], c.perm, `lu ${c.rows}×${c.cols}: perm`);
      close(r.L, c.L, 'L');
      close(r.U, c.U, 'U');
    }
  });

  test(`${variant}: Cholesky matches native`, { skip: missing('cholesky') }, async () => {
    const sk = await api(variant);
    for (const c of native().cholesky) close(sk.cholesky(mat(c.n, c.n, c.A)).L, c.L, `L ${c.n}`);
  });

  test(`${variant}: SVD matches native (U, V up to sign)`, { skip: missing('svd') }, async () => {
    const sk = await api(variant);
    for (const c of native().svd) {
      const r = sk.svd(mat(c.rows, c.cols, c.A));
      close(r.s, c.s, `s ${c.rows}×${c.cols}`);
      closeUpToSign(r.U, c.U, c.rows, 'U');
      closeUpToSign(r.V, c.V, c.cols, 'V');
    }
  });

  test(`${variant}: eigh matches native (vectors up to sign)`, { skip: missing('eigh') }, async () => {
    const sk = await api(variant);
    for (const c of native().eigh) {
      const r = sk.eigh(mat(c.n, c.n, c.A));
      close(r.values, c.values, `values ${c.n}`);
      closeUpToSign(r.vectors, c.vectors, c.n, 'vectors');
    }
  });
}

test('baseline and SIMD builds agree on larger problems', async () => {
  const b = await api('baseline'), s = await api('simd');
  const can = (f) => !missing(f);
  const A = can('randn') ? b.randn(90, 70, 2024) : { rows: 90, cols: 70, data: Float64Array.from({ length: 6300 }, (_, i) => Math.sin(i * 1.3)) };
  if (can('randn')) bitwise(s.randn(90, 70, 2024).data, A.data, 'randn');
  const B = { rows: 70, cols: 50, data: A.data.slice(0, 3500) };
  close(s.matmul(A, B), b.matmul(A, B), 'matmul');
  close(s.matmul(A, A, { transA: true }), b.matmul(A, A, { transA: true }), 'matmul Aᵀ A');
  if (can('qr')) { const x = s.qr(A), y = b.qr(A); close(x.Q, y.Q, 'Q'); close(x.R, y.R, 'R'); }
  if (can('cpqr')) { const x = s.cpqr(A, { rank: 30 }), y = b.cpqr(A, { rank: 30 }); assert.deepEqual(x.perm, y.perm); close(x.R, y.R, 'cpqr R'); }
  if (can('lu')) { const x = s.lu(A), y = b.lu(A); assert.deepEqual(x.perm, y.perm); close(x.U, y.U, 'U'); }
  if (can('svd')) { const x = s.svd(A), y = b.svd(A); close(x.s, y.s, 's'); closeUpToSign(x.V, y.V, 70, 'V'); }
  const G = b.matmul(A, A, { transA: true });
  if (can('cholesky')) close(s.cholesky(G).L, b.cholesky(G).L, 'cholesky');
  if (can('eigh')) { const x = s.eigh(G), y = b.eigh(G); close(x.values, y.values, 'eigenvalues'); closeUpToSign(x.vectors, y.vectors, 70, 'eigenvectors'); }
});
