// index.js — sketchlab's public JavaScript API (copy-in / copy-out).
//
//   import { init, svd, fromRows } from 'sketchlab';
//   await init();
//   const { U, s, V } = svd(fromRows([[1, 2], [3, 4], [5, 6]]));
//
// Every function validates its arguments in JS, copies the inputs into wasm
// memory, calls the C routine, copies the results out into new Float64Arrays
// and frees everything (try/finally), so nothing can leak and the module stays
// usable after any error. Matrices are { rows, cols, data: Float64Array } in
// column-major order, or number[][] (rows) as input. See index.d.ts.

import { SketchlabError, statusError, notInitialized } from './errors.js';
import { load, defaultVariants } from './loader.js';
import { withScope, readF64, readI32, f64, i32, probe } from './memory.js';
import { asMatrix, checkDim, checkSymmetric, makeMatrix, fromRows, toRows } from './matrix.js';
import { describe, lookupName } from './validate.js';
import { ldexp, prescaleExponent, scaledData } from './scale.js';
import { createLowrank } from './lowrank.js';
import { createSvdsketch } from './svdsketch.js';
import { createRegression } from './regression.js';
import { createAttention } from './attention.js';
import { createStream } from './stream.js';

export { SketchlabError, fromRows, toRows };

/** Default symmetry tolerance for cholesky and eigh: |a_ij − a_ji| <= symTol · max|a|. */
export const DEFAULT_SYM_TOL = 1e-10;

let rt = null;          // { exports, memory, stats, simd }
let initPromise = null; // cached; cleared on failure so init() can be retried
let variantsOverride = null;
let initOpts = {};       // the options of the init() that loaded the current instance (for reset())

/** The C functions each public function needs. */
const REQUIRES = {
  matmul: ['sk_dgemm'],
  qr: ['sk_dgeqrf', 'sk_dorgqr'],
  cpqr: ['sk_dgeqp3', 'sk_dorgqr'],
  lu: ['sk_dgetrf'],
  cholesky: ['sk_dpotrf'],
  svd: ['sk_dgesvd'],
  eigh: ['sk_dsyevd'],
  randn: ['sk_rng_init', 'sk_rng_normal_matrix'],
  rand: ['sk_rng_init', 'sk_rng_uniform'],
  version: ['sk_version'],
};

/** @internal used by inline.js to supply embedded bytes instead of URLs. */
export function _setDefaultVariants(v) {
  variantsOverride = v;
}

/**
 * Load the wasm module once. Idempotent: later calls return the same promise
 * (their options are ignored). If loading fails the promise rejects with a
 * SketchlabError (code ELOAD or EINVAL) and a later init() tries again.
 * @param {{wasm?: any, simd?: 'auto'|boolean}} [opts]
 * @returns {Promise<{simd: boolean|null, version: string}>}
 */
export function init(opts = {}) {
  if (!initPromise) {
    if (opts === null || typeof opts !== 'object') {
      return Promise.reject(new SketchlabError('EINVAL', `init: opts must be an object like { simd, wasm }, got ${describe(opts)}`));
    }
    initOpts = opts;
    initPromise = (async () => {
      const r = await load(opts, variantsOverride || defaultVariants());
      const ex = r.instance.exports;
      rt = { exports: ex, memory: ex.memory, simd: r.simd, stats: { live: 0, allocs: 0, maxEnd: 0 } };
      return { simd: r.simd, version: version() };
    })();
    initPromise.catch(() => { initPromise = null; rt = null; });
  }
  return initPromise;
}

/**
 * Give the wasm heap back: drop the current instance and load a fresh one.
 * WebAssembly memory can grow but never shrink, so after one huge call (or a
 * huge request that failed with ENOMEM after growing the heap) the module keeps
 * its peak size, up to 4 GB, for as long as it lives. reset() lets the old
 * instance be garbage-collected and starts a new one at the initial size.
 * Results already returned are plain JS arrays and stay valid. Calls made
 * while reset() is pending throw ENOTINIT. Handles made before it lose their
 * state with the old instance and throw EDISPOSED (their dispose() does
 * nothing). `opts` are init()'s options; by default the ones of the first
 * init() (pass new ones when that source was a one-shot Response).
 * @param {{wasm?: any, simd?: 'auto'|boolean}} [opts]
 * @returns {Promise<{simd: boolean|null, version: string}>}
 */
export async function reset(opts) {
  if (initPromise) await initPromise.catch(() => {});
  const next = opts === undefined ? initOpts : opts;
  initPromise = null;
  rt = null;
  return init(next);
}

/** true once init() has resolved. */
export function isInitialized() {
  return rt !== null;
}

/** true if the loaded module has the C functions that `name` (e.g. 'svd') needs. */
export function supports(name) {
  if (!rt) return false;
  const req = lookupName(REQUIRES, name); // own names only: supports('__proto__') is false
  return !!req && req.every((c) => typeof rt.exports[c] === 'function');
}

function need(fn) {
  if (!rt) throw notInitialized(fn);
  for (const c of REQUIRES[fn]) {
    if (typeof rt.exports[c] !== 'function') {
      throw new SketchlabError('ENOTIMPL',
        `${fn}: the loaded wasm module does not export ${c}; rebuild it with \`make wasm\` from a source tree that has it`, { fn });
    }
  }
  return rt.exports;
}

/** The library version, 'MAJOR.MINOR.PATCH', from the C library (sk_version). */
export function version() {
  const ex = need('version');
  const v = ex.sk_version();
  return `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
}

/**
 * Heap statistics, for leak and growth tests.
 *   bytes    current size of wasm memory (memory.buffer.byteLength)
 *   live     blocks the JS layer holds right now (0 between calls)
 *   maxEnd   highest end address of any block the JS layer ever allocated
 *   probe    address malloc returns for a fresh 64 KiB block (freed at once);
 *            unchanged by any number of leak-free calls
 */
export function memoryStats() {
  if (!rt) throw notInitialized('memoryStats');
  return { bytes: rt.memory.buffer.byteLength, live: rt.stats.live, maxEnd: rt.stats.maxEnd, probe: probe(rt), simd: rt.simd };
}

function options(opts, fn, allowed) {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new SketchlabError('EINVAL', `${fn}: options must be an object like { ${allowed.join(', ')} }, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new SketchlabError('EINVAL', `${fn}: unknown option '${key}'; allowed: ${allowed.length ? allowed.join(', ') : '(none)'}`);
    }
  }
  return opts;
}

/** A boolean option: exactly true or false (no truthy 1, 1n or 'yes'); undefined gives false. */
function boolOpt(v, name, fn) {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') {
    throw new SketchlabError('EINVAL', `${fn}: option ${name} must be true or false, got ${describe(v)}; pass a boolean (e.g. ${name}: true)`, { fn });
  }
  return v;
}

function symTolOpt(v, fn) {
  if (v === undefined) return DEFAULT_SYM_TOL;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new SketchlabError('EINVAL', `${fn}: option symTol must be a finite number >= 0, got ${describe(v)}`);
  }
  return v;
}

/** Copy the upper trapezoid of rows 0..r-1 of the m×n column-major block at ptr. */
function upperRows(ptr, m, n, r) {
  const a = f64(rt, ptr, m * n), R = new Float64Array(r * n);
  for (let j = 0; j < n; j++) {
    const top = Math.min(j + 1, r);
    for (let i = 0; i < top; i++) R[i + j * r] = a[i + j * m];
  }
  return makeMatrix(r, n, R);
}

// ------------------------------------------------------------------ kernels

/**
 * C = op(A) op(B), op(X) = X or Xᵀ. Empty dimensions are allowed (k = 0 gives zeros).
 * @param {object} [opts] { transA = false, transB = false }
 */
export function matmul(A, B, opts) {
  const fn = 'matmul', ex = need(fn);
  const o = options(opts, fn, ['transA', 'transB']);
  const tA = boolOpt(o.transA, 'transA', fn), tB = boolOpt(o.transB, 'transB', fn);
  const a = asMatrix(A, 'A', fn, { allowEmpty: true, finite: false }), b = asMatrix(B, 'B', fn, { allowEmpty: true, finite: false });
  const m = tA ? a.cols : a.rows, k = tA ? a.rows : a.cols;
  const kb = tB ? b.cols : b.rows, n = tB ? b.rows : b.cols;
  if (k !== kb) {
    throw new SketchlabError('ESHAPE',
      `${fn}: inner dimensions differ: ${tA ? 'Aᵀ' : 'A'} is ${m}×${k} but ${tB ? 'Bᵀ' : 'B'} is ${kb}×${n}; ` +
      'the columns of the first factor must equal the rows of the second (check transA/transB)');
  }
  return withScope(rt, fn, (s) => {
    const pA = s.copyInFinite(a, 'A', 'A'), pB = s.copyInFinite(b, 'B', 'B');
    const pC = s.allocF64(m * n, `the ${m}×${n} result`);
    const st = ex.sk_dgemm(tA ? 1 : 0, tB ? 1 : 0, m, n, k, 1.0, pA, Math.max(1, a.rows), pB, Math.max(1, b.rows), 0.0, pC, Math.max(1, m));
    if (st) throw statusError(st, fn, 'sk_dgemm', ['transa', 'transb', 'm', 'n', 'k', 'alpha', 'A', 'lda', 'B', 'ldb', 'beta', 'C', 'ldc']);
    // Finite inputs (copyInFinite) but a non-finite product: an entry or a
    // partial sum exceeds Number.MAX_VALUE. Never hand back ±Inf/NaN (issue 9).
    if (m * n > 0 && !ex.sk_all_finite(m, n, pC, Math.max(1, m))) {
      throw new SketchlabError('EINVAL',
        `${fn}: the product overflows double range (an entry of ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'} or one of its partial sums exceeds ` +
        `${Number.MAX_VALUE}); scale A or B by a power of two 2^-k (exact) and keep the factor 2^k apart`);
    }
    return makeMatrix(m, n, readF64(rt, pC, m * n));
  });
}

// ------------------------------------------------------------------ factorizations

/** Thin QR: A = Q R, Q m×k with orthonormal columns, R k×n upper trapezoidal, k = min(m, n). */
export function qr(A, opts) {
  const fn = 'qr', ex = need(fn);
  options(opts, fn, []);
  const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
  const m = a.rows, n = a.cols, k = Math.min(m, n);
  return withScope(rt, fn, (s) => {
    const pA = s.copyInFinite(a, 'A', 'a copy of A'), pTau = s.allocF64(k, 'tau');
    let st = ex.sk_dgeqrf(m, n, pA, m, pTau);
    if (st) throw statusError(st, fn, 'sk_dgeqrf', ['m', 'n', 'A', 'lda', 'tau'],
      st === 7 ? 'an entry of R of this A exceeds Number.MAX_VALUE and cannot be represented; scale A by a power of two 2^-k (exact: the other factors are unchanged) and keep the factor 2^k of R' : undefined);
    const R = upperRows(pA, m, n, k);
    st = ex.sk_dorgqr(m, k, k, pA, m, pTau);
    if (st) throw statusError(st, fn, 'sk_dorgqr', ['m', 'n', 'k', 'A', 'lda', 'tau']);
    return { Q: makeMatrix(m, k, readF64(rt, pA, m * k)), R };
  });
}

/**
 * QR with column pivoting, A(:, perm) ≈ Q R, stopped at `rank` steps or when
 * ‖R22‖_F² <= tol·‖A‖_F² (sk_dgeqp3). Default: full (k = min(m, n) steps).
 * @param {object} [opts] { rank?: integer 0..min(m,n), tol?: number >= 0 }
 * @returns {{Q, R, perm: Int32Array, rank: number, residual: number, res2: number, norm2: number}}
 *   residual = ‖R22‖_F/‖A‖_F (finite at every scale); res2 = ‖R22‖_F², norm2 = ‖A‖_F² in
 *   A's units (Infinity or 0 only where the true value is not a double).
 */
export function cpqr(A, opts) {
  const fn = 'cpqr', ex = need(fn);
  const o = options(opts, fn, ['rank', 'tol']);
  const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
  const m = a.rows, n = a.cols, k = Math.min(m, n);
  let maxrank = k, tol = 0;
  if (o.rank !== undefined) {
    if (typeof o.rank !== 'number' || !Number.isInteger(o.rank) || o.rank < 0 || o.rank > k) {
      throw new SketchlabError('ERANK', `${fn}: rank must be an integer from 0 to min(rows, cols) = ${k}, got ${describe(o.rank)}`);
    }
    maxrank = o.rank;
  }
  if (o.tol !== undefined) {
    if (typeof o.tol !== 'number' || !Number.isFinite(o.tol) || o.tol < 0) {
      throw new SketchlabError('EINVAL', `${fn}: tol must be a finite number >= 0 (a fraction of ‖A‖_F², e.g. 1e-12), got ${describe(o.tol)}`);
    }
    tol = o.tol;
  }
  // Extreme scales: factor 2^-e·A (scale.js, the C library's own rule and split, so the
  // pivots, Q and the scaled R are bit for bit what sk_dgeqp3 computes on A), so that the
  // relative residual comes from normal doubles; R, res2 and norm2 go back to A's units.
  const e = prescaleExponent(a.data);
  const as = e === 0 ? a : { rows: m, cols: n, data: scaledData(a.data, e) };
  const overflow = 'an entry of R of this A exceeds Number.MAX_VALUE and cannot be represented; scale A by a power of two 2^-k (exact: the other factors are unchanged) and keep the factor 2^k of R';
  return withScope(rt, fn, (s) => {
    const pA = s.copyInFinite(as, 'A', 'a copy of A');
    const pJ = s.allocI32(n, 'the pivots'), pTau = s.allocF64(k, 'tau');
    const pRank = s.allocI32(1, 'rank'), pRes = s.allocF64(1, 'res2');
    // ‖2^-e·A‖_F²: its largest entry is within 2^±256, so the sum of squares is a normal double.
    let norm2s = 0;
    for (const x of f64(rt, pA, m * n)) norm2s += x * x;
    let st = ex.sk_dgeqp3(m, n, pA, m, pJ, pTau, maxrank, tol, pRank, pRes);
    if (st) throw statusError(st, fn, 'sk_dgeqp3', ['m', 'n', 'A', 'lda', 'jpvt', 'tau', 'maxrank', 'tol', 'rank', 'res2'],
      st === 7 ? overflow : undefined);
    const r = i32(rt, pRank, 1)[0], res2s = f64(rt, pRes, 1)[0];
    const perm = readI32(rt, pJ, n);
    const R = upperRows(pA, m, n, r);
    if (e !== 0) {
      for (let i = 0; i < R.data.length; i++) {
        R.data[i] = ldexp(R.data[i], e);
        if (!Number.isFinite(R.data[i])) throw new SketchlabError('EINVAL', `${fn}: ${overflow}`, { fn });
      }
    }
    st = ex.sk_dorgqr(m, r, r, pA, m, pTau);
    if (st) throw statusError(st, fn, 'sk_dorgqr', ['m', 'n', 'k', 'A', 'lda', 'tau']);
    const residual = norm2s > 0 ? Math.sqrt(res2s / norm2s) : 0;
    return {
      Q: makeMatrix(m, r, readF64(rt, pA, m * r)), R, perm, rank: r, residual,
      res2: ldexp(res2s, 2 * e), norm2: ldexp(norm2s, 2 * e),
    };
  });
}

/**
 * LU with partial pivoting: A(perm, :) = L U, L m×k unit lower, U k×n upper, k = min(m, n).
 * An exactly singular A is not an error: the factorization is complete and `singular` is true.
 */
export function lu(A, opts) {
  const fn = 'lu', ex = need(fn);
  options(opts, fn, []);
  const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
  const m = a.rows, n = a.cols, k = Math.min(m, n);
  return withScope(rt, fn, (s) => {
    const pA = s.copyInFinite(a, 'A', 'a copy of A'), pIpiv = s.allocI32(k, 'the pivots');
    const st = ex.sk_dgetrf(m, n, pA, m, pIpiv);
    if (st && st !== 3) throw statusError(st, fn, 'sk_dgetrf', ['m', 'n', 'A', 'lda', 'ipiv'],
      st === 7 ? 'an entry of U of this A exceeds Number.MAX_VALUE and cannot be represented; scale A by a power of two 2^-k (exact: the other factors are unchanged) and keep the factor 2^k of U' : undefined);
    const f = readF64(rt, pA, m * n), ipiv = readI32(rt, pIpiv, k);
    const L = new Float64Array(m * k), U = new Float64Array(k * n);
    for (let j = 0; j < k; j++) {
      L[j + j * m] = 1;
      for (let i = j + 1; i < m; i++) L[i + j * m] = f[i + j * m];
    }
    for (let j = 0; j < n; j++) {
      const top = Math.min(j + 1, k);
      for (let i = 0; i < top; i++) U[i + j * k] = f[i + j * m];
    }
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let i = 0; i < k; i++) {
      const p = ipiv[i];
      if (p !== i) { const t = perm[i]; perm[i] = perm[p]; perm[p] = t; }
    }
    return { L: makeMatrix(m, k, L), U: makeMatrix(k, n, U), perm, singular: st === 3 };
  });
}

/**
 * Cholesky: A = L Lᵀ for symmetric positive definite A.
 * A counts as symmetric when |a_ij − a_ji| <= symTol · max|a| (default symTol = 1e-10);
 * only its lower triangle is used.
 * @param {object} [opts] { symTol?: number }
 */
export function cholesky(A, opts) {
  const fn = 'cholesky', ex = need(fn);
  const o = options(opts, fn, ['symTol']);
  const tol = symTolOpt(o.symTol, fn);
  const a = asMatrix(A, 'A', fn, { square: true });
  checkSymmetric(a, 'A', fn, tol);
  const n = a.rows;
  return withScope(rt, fn, (s) => {
    const pA = s.copyIn(a.data, 'a copy of A');
    const st = ex.sk_dpotrf(1 /* SK_LOWER */, n, pA, n);
    if (st) {
      throw statusError(st, fn, 'sk_dpotrf', ['uplo', 'n', 'A', 'lda'],
        st === 2 ? 'A is symmetric but not positive definite (a pivot was <= 0); for a semidefinite or indefinite matrix ' +
          'use eigh() or lu(), or shift it to A + δI' : undefined);
    }
    const L = readF64(rt, pA, n * n);
    for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) L[i + j * n] = 0;
    return { L: makeMatrix(n, n, L) };
  });
}

/** Thin SVD: A = U diag(s) Vᵀ; U m×k, s (k, descending), V n×k, k = min(m, n). */
export function svd(A, opts) {
  const fn = 'svd', ex = need(fn);
  const o = options(opts, fn, ['vectors']);
  const vectors = o.vectors === undefined ? true : boolOpt(o.vectors, 'vectors', fn);
  const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
  const m = a.rows, n = a.cols, k = Math.min(m, n);
  return withScope(rt, fn, (s) => {
    const pA = s.copyInFinite(a, 'A', 'a copy of A'), pS = s.allocF64(k, 's');
    // Values only: NULL U and V skip every rotation (several times faster).
    const pU = vectors ? s.allocF64(m * k, 'U') : 0, pV = vectors ? s.allocF64(n * k, 'V') : 0;
    const st = ex.sk_dgesvd(m, n, pA, m, pS, pU, m, pV, n);
    if (st) throw statusError(st, fn, 'sk_dgesvd', ['m', 'n', 'A', 'lda', 's', 'U', 'ldu', 'V', 'ldv']);
    const sv = readF64(rt, pS, k);
    if (!vectors) return { U: null, s: sv, V: null };
    return { U: makeMatrix(m, k, readF64(rt, pU, m * k)), s: sv, V: makeMatrix(n, k, readF64(rt, pV, n * k)) };
  });
}

export function eigh(A, opts) {
  const fn = 'eigh', ex = need(fn);
  const o = options(opts, fn, ['symTol', 'vectors']);
  const tol = symTolOpt(o.symTol, fn);
  const vectors = o.vectors === undefined ? true : boolOpt(o.vectors, 'vectors', fn);
  const a = asMatrix(A, 'A', fn, { square: true });
  checkSymmetric(a, 'A', fn, tol);
  const n = a.rows;
  return withScope(rt, fn, (s) => {
    const pA = s.copyIn(a.data, 'a copy of A'), pW = s.allocF64(n, 'the eigenvalues');
    const st = ex.sk_dsyevd(vectors ? 1 : 0, n, pA, n, pW);
    if (st) throw statusError(st, fn, 'sk_dsyevd', ['vectors', 'n', 'A', 'lda', 'w']);
    return { values: readF64(rt, pW, n), vectors: vectors ? makeMatrix(n, n, readF64(rt, pA, n * n)) : null };
  });
}

// ------------------------------------------------------------------ random matrices

function seedArg(seed, fn) {
  if (seed === undefined) return 0n;
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) throw new SketchlabError('EINVAL', `${fn}: seed must be in [0, 2^64), got ${seed}`);
    return seed;
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new SketchlabError('EINVAL',
      `${fn}: seed must be a non-negative integer (a number up to 2^53−1, or a BigInt below 2^64), got ${describe(seed)}`);
  }
  return BigInt(seed);
}

function rngInit(ex, pRng, seed, stream) {
  let st;
  if (ex.sk_rng_init.length === 4) { // i64 legalized into (lo, hi)
    st = ex.sk_rng_init(pRng, Number(seed & 0xffffffffn) | 0, Number(seed >> 32n) | 0, stream | 0);
  } else {
    st = ex.sk_rng_init(pRng, BigInt.asIntN(64, seed), stream | 0);
  }
  return st;
}

function randomMatrix(fn, rows, cols, seed, opts, fill) {
  const ex = need(fn);
  const o = options(opts, fn, ['stream']);
  rows = checkDim(rows, 'rows', fn);
  cols = checkDim(cols, 'cols', fn);
  const s64 = seedArg(seed, fn);
  const stream = o.stream === undefined ? 0 : o.stream;
  if (typeof stream !== 'number' || !Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new SketchlabError('EINVAL', `${fn}: option stream must be an integer in [0, 2^32), got ${describe(stream)}`);
  }
  const count = rows * cols;
  if (count > 0x7fffffff) {
    throw new SketchlabError('ENOMEM', `${fn}: ${rows}×${cols} = ${count} entries is more than wasm memory can hold; use a smaller matrix`);
  }
  return withScope(rt, fn, (s) => {
    const pRng = s.alloc(24, 'the RNG state');
    const pOut = s.allocF64(count, `the ${rows}×${cols} result`);
    let st = rngInit(ex, pRng, s64, stream);
    if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
    st = fill(ex, pRng, pOut);
    if (st) throw statusError(st, fn, fn === 'randn' ? 'sk_rng_normal_matrix' : 'sk_rng_uniform', []);
    return makeMatrix(rows, cols, readF64(rt, pOut, count));
  });
}

/**
 * rows×cols standard Gaussian matrix from Philox4x32-10 (sk_rng_normal_matrix):
 * the same (seed, stream) gives bit-identical values natively and in wasm.
 * @param {number|bigint} [seed=0]
 * @param {object} [opts] { stream?: integer in [0, 2^32) }
 */
export function randn(rows, cols, seed, opts) {
  return randomMatrix('randn', rows, cols, seed, opts,
    (ex, pRng, pOut) => ex.sk_rng_normal_matrix(pRng, rows, cols, pOut, Math.max(1, rows)));
}

/** rows×cols matrix uniform on (0, 1) (sk_rng_uniform, column-major fill order). */
export function rand(rows, cols, seed, opts) {
  return randomMatrix('rand', rows, cols, seed, opts,
    (ex, pRng, pOut) => ex.sk_rng_uniform(pRng, rows * cols, pOut));
}

// ------------------------------------------------------------------ pivoting (lowrank.js)

/** Column ID, gallery, CUR and RPCholesky (see lowrank.js and index.d.ts), bound to this module's runtime. */
export const { id, gallery, cur, rpcholesky } = createLowrank({
  runtime: () => rt, need, seedArg, rngInit, options, boolOpt, REQUIRES, symTol: DEFAULT_SYM_TOL,
});

// ------------------------------------------------------------------ sketched SVD (svdsketch.js)

/** Randomized SVD, canonical angles, their bounds and the budget planner (see svdsketch.js and index.d.ts). */
export const { rsvd, canonicalAngles, exactAngles, angleBounds, planBudget, angleExperiment, budgetExperiment } = createSvdsketch({
  runtime: () => rt, need, seedArg, rngInit, options, boolOpt, REQUIRES,
});

/** Softmax regression by exact/sampled/frozen Newton and GD (see regression.js and regression.d.ts). */
export const { softmaxRegression, softmaxSolver, softmaxProblem, softmaxEval, softmaxFiniteDifferences, softmaxLeverage, softmaxRegime } = createRegression({ runtime: () => rt, need, seedArg, rngInit, options, boolOpt, REQUIRES });
/** Attention decoding, KV caches, SubGen and the Index game (see attention.js and attention.d.ts). */
export const { tensorAttention, attention, kvCache, subgen, indexGame, decodeRun } = createAttention({ runtime: () => rt, need, seedArg, rngInit, options, REQUIRES });
// ------------------------------------------------------------------ streams and samplers (stream.js)
export const { countSketch, deserializeSketch, amsSketch, countMin, sketchComparison, l2Sampler, samplerTrials, samplerQuery, attentionSettings, attentionLive, attentionSampler, deserializeAttention, tensorSampler, softmaxSample, disjointnessGame, lemma62Game } = createStream({ runtime: () => rt, need, seedArg, options, REQUIRES });
