// lowrank.js — pivoting: column interpolative decompositions (ID), CUR,
// randomly pivoted Cholesky and the test-matrix gallery (C: lowrank.h, cur.h,
// rpchol.h; specs/pivoting.md).
//
//   import { init, id, gallery } from 'sketchlab';
//   await init();
//   const A = gallery('gmm', { dim: 200, points: 1000, clusters: 100, seed: 1 });
//   const { cols, T, rank, residual } = id(A, { method: 'rbrp', rank: 90, blockSize: 30, seed: 7 });
//
// Same rules as index.js: validate in JS first (messages say what to change),
// copy in, call C, copy out into fresh arrays, free everything in a scope
// (also on throw). This module has no state of its own: index.js calls
// createLowrank() with its runtime getter and helpers, so every independent
// copy of index.js (its own wasm instance) gets its own bound functions.

import { SketchlabError, statusError } from './errors.js';
import { describe, isName, nameList } from './validate.js';
import { withScope, readF64, readI32, f64, i32 } from './memory.js';
import { asMatrix, checkDim, checkFinite, checkSymmetric, makeMatrix } from './matrix.js';
import { ldexp, outsideSafe, prescaleExponent, scaledData } from './scale.js';

/** Column-ID methods (sk_id_method_t), in the order of lowrank.h. */
export const ID_METHODS = Object.freeze({
  cpqr: 0, rpqr: 1, brp: 2, bgp: 3, rbrp: 4, 'sketch-cpqr': 5, 'sketch-lupp': 6, 'adaptive-lupp': 7,
});

/** RPCholesky pivot rules (sk_rpchol_method_t). */
export const RPCHOL_METHODS = Object.freeze({ random: 0, greedy: 1, uniform: 2, block: 3, rbrp: 4 });

const SKETCH = new Set(['sketch-cpqr', 'sketch-lupp']);
const BLOCKED = new Set(['brp', 'bgp', 'rbrp', 'adaptive-lupp']);
const KERNELS = Object.freeze({ gaussian: 0, laplace: 1 });
const CUR_CORES = Object.freeze({ optimal: 0, cross: 1 });

/** Default candidates per step (lowrank.h's and rpchol.h's defaults): 64 for the
 * blockwise sampling IDs (BRP, BGP, RBRP), 32 for adaptive LUPP and RPCholesky. */
export const DEFAULT_ID_BLOCK = 64;
export const DEFAULT_BLOCK = 32;

/** The C functions each function of this module needs (merged into index.js's table). */
export const LOWRANK_REQUIRES = Object.freeze({
  id: ['sk_id_cols', 'sk_rng_init', 'sk_dgeqrf', 'sk_dorgqr', 'sk_dgemm', 'sk_dgesvd'],
  gallery: ['sk_rng_init', 'sk_gallery_gmm', 'sk_gallery_spectrum', 'sk_gallery_kahan'],
  cur: ['sk_id_cols', 'sk_cur', 'sk_rng_init'],
  rpcholesky: ['sk_rpchol', 'sk_rpchol_kernel', 'sk_rng_init'],
});
const GALLERY_KERNEL_NEEDS = ['sk_gallery_smile', 'sk_gallery_robspiral', 'sk_kernel_matrix'];

// wasm32 layouts of the option structs (int 4, double 8 aligned to 8, pointers 4).
const ID_OPTS_BYTES = 40;   // sk_id_opts_t: method 0, max_rank 4, tol 8, block 16, filter_tol 24, oversample 32, interp 36
const TRACE_BYTES = 32;     // sk_id_trace_t: steps_cap 0, cand_cap 4, off 8, cand 12, status 16, res2 20, nsteps 24, truncated 28
const RPCHOL_OPTS_BYTES = 32; // sk_rpchol_opts_t: method 0, max_rank 4, tol 8, block 16, filter_tol 24
const KERNEL_BYTES = 32;    // sk_kernel_t: type 0, bandwidth 8, dim 16, npts 20, X 24, ldx 28

/**
 * Bind the pivoting API to one runtime. Called once by index.js.
 * @param {object} h { runtime: () => rt|null, need, seedArg, rngInit, options, boolOpt, REQUIRES, symTol }
 */
export function createLowrank(h) {
  const { runtime, need, seedArg, rngInit, options, boolOpt } = h;
  Object.assign(h.REQUIRES, LOWRANK_REQUIRES);
  const rt = () => runtime();

  // -------------------------------------------------------------- struct helpers
  function dv() { return new DataView(rt().memory.buffer); }
  function writeIdOpts(ptr, o) {
    const v = dv();
    for (let b = 0; b < ID_OPTS_BYTES; b += 4) v.setInt32(ptr + b, 0, true);
    v.setInt32(ptr, o.code, true);
    v.setInt32(ptr + 4, o.maxRank, true);
    v.setFloat64(ptr + 8, o.tol, true);
    v.setInt32(ptr + 16, o.block, true);
    v.setFloat64(ptr + 24, o.filterTol, true);
    v.setInt32(ptr + 32, o.oversample, true);
    v.setInt32(ptr + 36, o.interp === 'sketch' ? 1 : 0, true); // sk_id_interp_t
  }
  function writeRpcholOpts(ptr, o) {
    const v = dv();
    for (let b = 0; b < RPCHOL_OPTS_BYTES; b += 4) v.setInt32(ptr + b, 0, true);
    v.setInt32(ptr, o.code, true);
    v.setInt32(ptr + 4, o.maxRank, true);
    v.setFloat64(ptr + 8, o.tol, true);
    v.setInt32(ptr + 16, o.block, true);
    v.setFloat64(ptr + 24, o.filterTol, true);
  }

  /** Allocate a trace buffer for at most `kcap` pivots of n columns, `b` candidates per step. */
  function allocTrace(s, kcap, b, n) {
    // lowrank.h: steps_cap >= kcap + n + 1 and cand_cap >= steps_cap·b always suffice (a step
    // whose samples were rounding noise resolves at least one column for good).
    const stepsCap = kcap + n + 1, candCap = stepsCap * Math.max(1, b);
    const p = s.alloc(TRACE_BYTES, 'the trace header');
    const off = s.allocI32(stepsCap + 1, 'the trace offsets');
    const cand = s.allocI32(candCap, 'the trace candidates');
    const status = s.alloc(candCap, 'the trace status');
    const res2 = s.allocF64(stepsCap, 'the trace residuals');
    const v = dv();
    v.setInt32(p, stepsCap, true);
    v.setInt32(p + 4, candCap, true);
    v.setInt32(p + 8, off, true);
    v.setInt32(p + 12, cand, true);
    v.setInt32(p + 16, status, true);
    v.setInt32(p + 20, res2, true);
    v.setInt32(p + 24, 0, true);
    v.setInt32(p + 28, 0, true);
    return { p, off, cand, status, res2 };
  }

  /** Read a trace into [{ candidates, accepted, residual, residual2, rank }]; `truncated` on the array. */
  function readTrace(t, total) {
    const v = dv();
    const nsteps = v.getInt32(t.p + 24, true), truncated = v.getInt32(t.p + 28, true) !== 0;
    const off = readI32(rt(), t.off, nsteps + 1);
    const ncand = off[nsteps];
    const cand = readI32(rt(), t.cand, ncand);
    const status = new Uint8Array(rt().memory.buffer, t.status, ncand).slice();
    const res2 = readF64(rt(), t.res2, nsteps);
    const steps = [];
    let rank = 0;
    for (let i = 0; i < nsteps; i++) {
      const candidates = cand.slice(off[i], off[i + 1]);
      const accepted = status.slice(off[i], off[i + 1]);
      for (const a of accepted) rank += a;
      steps.push({
        candidates, accepted, rank,
        residual: total > 0 ? Math.sqrt(Math.max(res2[i], 0) / total) : 0,
        residual2: res2[i],
      });
    }
    steps.truncated = truncated;
    return steps;
  }

  // -------------------------------------------------------------- option parsing
  function intOpt(v, name, fn, { min, max, hint = '' }) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
      const range = max !== undefined ? `from ${min} to ${max}` : `>= ${min}`;
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be an integer ${range}${hint}, got ${describe(v)}`);
    }
    return v;
  }
  function numOpt(v, name, fn, test, what) {
    if (typeof v !== 'number' || Number.isNaN(v) || !Number.isFinite(v) || !test(v)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be ${what}, got ${describe(v)}`);
    }
    return v;
  }

  /** rank / tol: at least one stopping rule. Returns { maxRank, tol }. */
  function stopOpts(o, fn, minmn, { sketch = false, methodName = '', what = 'min(rows, cols)' } = {}) {
    let maxRank = 0, tol = 0;
    if (o.rank !== undefined) {
      if (typeof o.rank !== 'number' || !Number.isInteger(o.rank)) {
        throw new SketchlabError('EINVAL', `${fn}: rank must be an integer from 1 to ${what} = ${minmn}, got ${describe(o.rank)}`);
      }
      if (o.rank < 1 || o.rank > minmn) {
        throw new SketchlabError('ERANK', `${fn}: rank must be from 1 to ${what} = ${minmn}, got ${o.rank}; ` +
          (o.rank > minmn ? 'a skeleton cannot have more columns than that' : 'ask for at least one column'), { fn });
      }
      maxRank = o.rank;
    }
    if (o.tol !== undefined) {
      if (typeof o.tol !== 'number' || Number.isNaN(o.tol)) {
        throw new SketchlabError('EINVAL', `${fn}: tol must be a number in (0, 1), got ${describe(o.tol)}`);
      }
      if (o.tol >= 1 || o.tol < 0) {
        throw new SketchlabError('EINVAL',
          `${fn}: tol is the residual mass allowed, a fraction of ${fn === 'rpcholesky' ? 'tr(A)' : '‖A‖_F²'}, so it must be in (0, 1) ` +
          `(for example 1e-3), got ${o.tol}`);
      }
      tol = o.tol;
    }
    if (sketch) {
      if (maxRank === 0) {
        throw new SketchlabError('EINVAL', `${fn}: method '${methodName}' needs a rank (it samples a fixed number of columns and ` +
          'cannot adapt the rank to a tolerance); pass { rank }, or use a rank-adaptive method such as \'rbrp\' with { tol }');
      }
      if (tol > 0) {
        throw new SketchlabError('EINVAL', `${fn}: method '${methodName}' has no rank adaptivity, so tol is not supported; ` +
          "drop tol and keep rank, or use 'cpqr', 'rpqr' or 'rbrp' with tol");
      }
    }
    if (maxRank === 0 && !(tol > 0)) {
      throw new SketchlabError('EINVAL',
        `${fn}: give a stopping rule: rank (an integer from 1 to ${minmn}) or tol > 0 (the allowed residual mass, e.g. 1e-3), or both`);
    }
    return { maxRank, tol };
  }

  function blockOpt(v, fn) {
    if (v === undefined) return DEFAULT_BLOCK;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0x7fffffff) {
      throw new SketchlabError('EINVAL', `${fn}: blockSize (candidates sampled per step) must be a positive integer, ` +
        `e.g. ${DEFAULT_BLOCK}, got ${describe(v)}`);
    }
    return v;
  }
  function filterOpt(v, fn) {
    if (v === undefined) return 0; // C default 1/b
    return numOpt(v, 'filterTol', fn, (x) => x > 0 && x <= 1, 'a number in (0, 1] (the default is 1/blockSize)');
  }

  function idOptions(o, fn, m, n) {
    const name = o.method === undefined ? 'rbrp' : o.method;
    if (!isName(ID_METHODS, name)) {
      throw new SketchlabError('EINVAL', `${fn}: unknown method ${describe(name)}; use one of ${nameList(ID_METHODS)}`);
    }
    const minmn = Math.min(m, n);
    const { maxRank, tol } = stopOpts(o, fn, minmn, { sketch: SKETCH.has(name), methodName: name });
    const block = o.blockSize === undefined && name !== 'adaptive-lupp' ? DEFAULT_ID_BLOCK : blockOpt(o.blockSize, fn);
    const filterTol = filterOpt(o.filterTol, fn);
    const oversample = o.oversample === undefined ? 10 : intOpt(o.oversample, 'oversample', fn, { min: 1, max: 1 << 20, hint: ' (extra sketch rows, e.g. 10)' });
    const seed = seedArg(o.seed, fn);
    return { name, code: ID_METHODS[name], maxRank, tol, block, filterTol, oversample, seed, kcap: maxRank > 0 ? maxRank : minmn };
  }

  /** Run sk_id_cols inside scope s on A already copied to pA. */
  function runId(s, ex, fn, pA, m, n, io, { wantT, wantTrace, source }) {
    const pOpts = s.alloc(ID_OPTS_BYTES, 'the options');
    writeIdOpts(pOpts, { ...io, block: io.block });
    const pRng = s.alloc(24, 'the RNG state');
    let st = rngInit(ex, pRng, io.seed, 0);
    if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
    const kcap = io.kcap;
    const pS = s.allocI32(kcap, 'the skeleton');
    const pT = wantT ? s.allocF64(kcap * n, `the ${kcap}×${n} interpolation matrix`) : 0;
    const pOut = s.alloc(24, 'the outputs'); // rank (int) at +0, res2 at +8, anorm2 at +16
    const tr = wantTrace ? allocTrace(s, kcap, BLOCKED.has(io.name) ? Math.min(io.block, n) : 1, n) : null;
    st = ex.sk_id_cols(m, n, pA, Math.max(1, m), pOpts, pRng, pS, pT, Math.max(1, kcap), pOut, pOut + 8, pOut + 16, tr ? tr.p : 0);
    // sk_id_cols checks finiteness in its column-norm pass (SK_ENONFINITE = 5); name the entry.
    if (st === 5 && source) checkFinite(source, 'A', fn);
    if (st) {
      throw statusError(st, fn, 'sk_id_cols', ['m', 'n', 'A', 'lda', 'opts', 'rng', 'S', 'T', 'ldt', 'rank', 'res2', 'anorm2', 'trace'],
        st === 6 ? `the rank is out of range for a ${m}×${n} matrix` : st === 7 ? `method '${io.name}' needs a rank`
          : st === 3 ? `A's numerical rank is below ${io.kcap} (or the sketch is exactly singular within its first ${io.kcap} pivots), ` +
            `so the sketch's interpolation matrix is not defined; use interp: 'optimal' or a smaller rank (interp 'optimal' stops at the numerical rank)` : undefined);
    }
    const k = i32(rt(), pOut, 1)[0];
    const out = f64(rt(), pOut + 8, 2);
    return { k, res2: out[0], anorm2: out[1], pS, pT, kcap, tr };
  }

  /** Relative residual after each of the first j+1 skeleton columns (exact projection, QR of A(:,S)). */
  function prefixCurve(s, ex, fn, pA, m, n, pS, k, anorm2) {
    if (k === 0) return new Float64Array(0);
    const S = readI32(rt(), pS, k);
    const pC = s.allocF64(m * k, `the ${m}×${k} skeleton columns`), pTau = s.allocF64(k, 'tau');
    const heap = new Float64Array(rt().memory.buffer);
    const a0 = pA / 8, c0 = pC / 8;
    for (let j = 0; j < k; j++) heap.copyWithin(c0 + j * m, a0 + S[j] * m, a0 + S[j] * m + m);
    let st = ex.sk_dgeqrf(m, k, pC, m, pTau);
    if (st) throw statusError(st, fn, 'sk_dgeqrf', ['m', 'n', 'A', 'lda', 'tau']);
    st = ex.sk_dorgqr(m, k, k, pC, m, pTau);
    if (st) throw statusError(st, fn, 'sk_dorgqr', ['m', 'n', 'k', 'A', 'lda', 'tau']);
    const pF = s.allocF64(n * k, `the ${n}×${k} product AᵀQ`);
    st = ex.sk_dgemm(1, 0, n, k, m, 1.0, pA, Math.max(1, m), pC, m, 0.0, pF, n);
    if (st) throw statusError(st, fn, 'sk_dgemm', []);
    const F = f64(rt(), pF, n * k);
    const curve = new Float64Array(k);
    let left = anorm2;
    for (let j = 0; j < k; j++) {
      let c = 0;
      for (let i = 0; i < n; i++) { const x = F[i + j * n]; c += x * x; }
      left -= c;
      curve[j] = anorm2 > 0 ? Math.sqrt(Math.max(left, 0) / anorm2) : 0;
    }
    return curve;
  }

  /**
   * Why the rank stopped where it did: 'rank' (the rank asked for), 'tol' (the tolerance is
   * met; for adaptive-lupp its estimate is), or 'numerical-rank' (every column left is in the
   * span of the skeleton up to rounding: A's numerical rank is k; see lowrank.h).
   */
  function stopReason(k, io, res2, anorm2) {
    if (k === io.kcap) return 'rank';
    if (io.tol > 0 && (res2 <= io.tol * anorm2 || io.name === 'adaptive-lupp')) return 'tol';
    return 'numerical-rank';
  }

  /** Squared singular values of A (data: A's entries, possibly prescaled), descending. */
  function squaredSpectrum(s, ex, fn, a, data) {
    const m = a.rows, n = a.cols, k = Math.min(m, n);
    const pW = s.copyIn(data, 'a copy of A for the SVD'), pSig = s.allocF64(k, 'the singular values');
    const st = ex.sk_dgesvd(m, n, pW, m, pSig, 0, Math.max(1, m), 0, Math.max(1, n));
    if (st) throw statusError(st, fn, 'sk_dgesvd', ['m', 'n', 'A', 'lda', 's', 'U', 'ldu', 'V', 'ldv']);
    return readF64(rt(), pSig, k).map((x) => x * x);
  }

  // -------------------------------------------------------------- id
  /** The interp option: 'optimal' (also true/undefined), 'sketch' (sketch methods only) or null (false). */
  function interpMode(x, fn, method) {
    if (x === undefined || x === true || x === 'optimal') return 'optimal';
    if (x === false) return null;
    if (x === 'sketch') {
      if (!SKETCH.has(method)) {
        throw new SketchlabError('EINVAL', `${fn}: interp 'sketch' needs method 'sketch-cpqr' or 'sketch-lupp' (got ${describe(method)}); ` +
          `the other methods return the optimal T (interp: true)`);
      }
      return 'sketch';
    }
    throw new SketchlabError('EINVAL', `${fn}: interp must be true, false, 'optimal' or 'sketch', got ${describe(x)}`);
  }

  /**
   * Column interpolative decomposition A ≈ A(:, cols)·T, T(:, cols) = I (sk_id_cols).
   * @param {MatrixLike} A
   * @param {object} opts { method = 'rbrp', rank, tol, blockSize = 32, filterTol, oversample = 10,
   *   seed = 0, interp = true, trace = false, curve = false, suboptimality = false }
   *   interp: true or 'optimal' (T = A(:,S)⁺A), 'sketch' (the sketch methods' own T, cheaper
   *   but not optimal; residual is then that T's), false (no T).
   */
  function id(A, opts) {
    const fn = 'id', ex = need(fn);
    const o = options(opts, fn, ['method', 'rank', 'tol', 'blockSize', 'filterTol', 'oversample', 'seed',
      'interp', 'trace', 'curve', 'suboptimality']);
    const wantTrace = boolOpt(o.trace, 'trace', fn), wantCurve = boolOpt(o.curve, 'curve', fn);
    const wantSub = boolOpt(o.suboptimality, 'suboptimality', fn);
    // Finiteness is checked in C, in the column-norm pass sk_id_cols makes over A anyway
    // (a separate sk_all_finite pass over the copy cost ~3% of an RBRP call); runId then
    // names the first bad entry.
    const a = asMatrix(A, 'A', fn, { finite: false });
    const m = a.rows, n = a.cols;
    const base = idOptions(o, fn, m, n);
    const io = { ...base, interp: interpMode(o.interp, fn, base.name) };
    const interp = io.interp !== null;
    return withScope(rt(), fn, (s) => {
      // Extreme scales run again on 2^-e·A (scale.js): res2, anorm2 below are in those units.
      let e = 0, data = a.data, pA = s.copyIn(a.data, 'a copy of A');
      let r = runId(s, ex, fn, pA, m, n, io, { wantT: interp, wantTrace, source: a });
      if (outsideSafe(r.anorm2) && (e = prescaleExponent(a.data)) !== 0) {
        data = scaledData(a.data, e);
        pA = s.copyIn(data, 'a scaled copy of A');
        r = runId(s, ex, fn, pA, m, n, io, { wantT: interp, wantTrace });
      }
      const { k, res2, anorm2 } = r;
      const cols = readI32(rt(), r.pS, k);
      let T = null;
      if (interp) {
        let t;
        if (k === r.kcap) {
          t = readF64(rt(), r.pT, k * n); // ldt = k already: one block copy
        } else {
          const buf = f64(rt(), r.pT, r.kcap * n);
          t = new Float64Array(k * n);
          for (let j = 0; j < n; j++) t.set(buf.subarray(j * r.kcap, j * r.kcap + k), j * k);
        }
        T = makeMatrix(k, n, t);
      }
      const out = {
        method: io.name, cols, T, rank: k, stop: stopReason(k, io, res2, anorm2),
        residual: anorm2 > 0 ? Math.sqrt(Math.max(res2, 0) / anorm2) : 0,
        residual2: ldexp(res2, 2 * e), norm2: ldexp(anorm2, 2 * e),
      };
      if (wantTrace) {
        out.trace = readTrace(r.tr, anorm2);
        if (e !== 0) for (const stp of out.trace) stp.residual2 = ldexp(stp.residual2, 2 * e);
      }
      if (wantCurve) {
        out.curve = prefixCurve(s, ex, fn, pA, m, n, r.pS, k, anorm2);
        // the exact value from C (for the optimal T; the curve is the optimal-T error of each prefix)
        if (k > 0 && io.interp !== 'sketch') out.curve[k - 1] = out.residual;
      }
      if (wantSub) {
        const s2 = squaredSpectrum(s, ex, fn, a, data);
        let tail = 0;
        for (let i = s2.length - 1; i >= k; i--) tail += s2[i];
        out.optimalResidual2 = ldexp(tail, 2 * e);
        out.optimalResidual = anorm2 > 0 ? Math.sqrt(tail / anorm2) : 0;
        out.suboptimality = tail > 0 ? res2 / tail : (res2 > 0 ? Infinity : 1);
      }
      return out;
    });
  }

  // -------------------------------------------------------------- gallery
  function galleryGmm(o, fn) {
    const dim = o.dim === undefined ? 500 : checkDim(o.dim, 'dim', fn);
    const points = o.points === undefined ? 2000 : checkDim(o.points, 'points', fn);
    const clusters = o.clusters === undefined ? Math.min(100, dim) : intOpt(o.clusters, 'clusters', fn, { min: 1 });
    if (clusters > dim) {
      throw new SketchlabError('EINVAL', `${fn}('gmm'): clusters (${clusters}) must be <= dim (${dim}): cluster c is centred at 10·c·e_c, ` +
        'one coordinate axis per cluster; raise dim or lower clusters');
    }
    if (points % clusters !== 0) {
      throw new SketchlabError('EINVAL', `${fn}('gmm'): points (${points}) must be a multiple of clusters (${clusters}), ` +
        `e.g. ${Math.max(clusters, Math.round(points / clusters) * clusters)}`);
    }
    const sigma = o.sigma === undefined ? 1 : numOpt(o.sigma, 'sigma', fn, (x) => x >= 0, 'a finite number >= 0 (the noise level)');
    const seed = seedArg(o.seed, fn);
    const ex = need(fn);
    return withScope(rt(), fn, (s) => {
      const pRng = s.alloc(24, 'the RNG state');
      let st = rngInit(ex, pRng, seed, 0);
      if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      const pA = s.allocF64(dim * points, `the ${dim}×${points} matrix`);
      st = ex.sk_gallery_gmm(dim, points, clusters, sigma, pRng, pA, Math.max(1, dim));
      if (st) throw statusError(st, fn, 'sk_gallery_gmm', ['d', 'npts', 'clusters', 'sigma', 'rng', 'A', 'lda']);
      return makeMatrix(dim, points, readF64(rt(), pA, dim * points));
    });
  }

  function gallerySpectrum(kind, o, fn) {
    const rows = o.rows === undefined ? 1000 : checkDim(o.rows, 'rows', fn);
    const cols = o.cols === undefined ? rows : checkDim(o.cols, 'cols', fn);
    const k = Math.min(rows, cols);
    const flat = o.flat === undefined ? Math.min(100, k) : intOpt(o.flat, 'flat', fn, { min: 0, hint: ' (leading singular values equal to 1)' });
    const floor = o.floor === undefined ? 1e-5 : numOpt(o.floor, 'floor', fn, (x) => x >= 0, 'a finite number >= 0');
    const sigma = new Float64Array(k);
    if (kind === 'exponential') {
      const decay = o.decay === undefined ? 0.8 : numOpt(o.decay, 'decay', fn, (x) => x > 0 && x < 1, 'a number in (0, 1): σ_i = decay^(i − flat) after the flat part');
      for (let i = 1; i <= k; i++) sigma[i - 1] = i <= flat ? 1 : Math.max(floor, Math.pow(decay, i - flat));
    } else {
      const power = o.power === undefined ? 1 : numOpt(o.power, 'power', fn, (x) => x > 0, 'a number > 0: σ_i = (i − flat)^(−power) after the flat part');
      for (let i = 1; i <= k; i++) sigma[i - 1] = i <= flat ? 1 : Math.max(floor, Math.pow(i - flat, -power));
    }
    const seed = seedArg(o.seed, fn);
    const ex = need(fn);
    return withScope(rt(), fn, (s) => {
      const pRng = s.alloc(24, 'the RNG state');
      let st = rngInit(ex, pRng, seed, 0);
      if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      const pS = s.copyIn(sigma, 'the singular values');
      const pA = s.allocF64(rows * cols, `the ${rows}×${cols} matrix`);
      st = ex.sk_gallery_spectrum(rows, cols, pS, pRng, pA, Math.max(1, rows));
      if (st) throw statusError(st, fn, 'sk_gallery_spectrum', ['m', 'n', 's', 'rng', 'A', 'lda']);
      return makeMatrix(rows, cols, readF64(rt(), pA, rows * cols));
    });
  }

  function galleryKahan(o, fn) {
    const n = o.n === undefined ? 300 : checkDim(o.n, 'n', fn);
    const zeta = o.zeta === undefined ? 0.95 : numOpt(o.zeta, 'zeta', fn, (x) => x > 0 && x < 1, 'a number in (0, 1)');
    const ex = need(fn);
    return withScope(rt(), fn, (s) => {
      const pA = s.allocF64(n * n, `the ${n}×${n} matrix`);
      const st = ex.sk_gallery_kahan(n, zeta, pA, Math.max(1, n));
      if (st) throw statusError(st, fn, 'sk_gallery_kahan', ['n', 'zeta', 'A', 'lda']);
      return makeMatrix(n, n, readF64(rt(), pA, n * n));
    });
  }

  function kernelOpts(o, fn, defaultBandwidth) {
    const kernel = o.kernel === undefined ? 'gaussian' : o.kernel;
    if (!isName(KERNELS, kernel)) {
      throw new SketchlabError('EINVAL', `${fn}: kernel must be 'gaussian' or 'laplace', got ${describe(kernel)}`);
    }
    const bandwidth = o.bandwidth === undefined ? defaultBandwidth
      : numOpt(o.bandwidth, 'bandwidth', fn, (x) => x > 0, 'a finite number > 0 (the kernel length scale h)');
    return { type: KERNELS[kernel], bandwidth };
  }

  function writeKernel(ptr, kt, dim, npts, pX) {
    const v = dv();
    for (let b = 0; b < KERNEL_BYTES; b += 4) v.setInt32(ptr + b, 0, true);
    v.setInt32(ptr, kt.type, true);
    v.setFloat64(ptr + 8, kt.bandwidth, true);
    v.setInt32(ptr + 16, dim, true);
    v.setInt32(ptr + 20, npts, true);
    v.setInt32(ptr + 24, pX, true);
    v.setInt32(ptr + 28, Math.max(1, dim), true);
  }

  function galleryCloud(name, o, fn) {
    for (const c of GALLERY_KERNEL_NEEDS) {
      if (typeof rt().exports[c] !== 'function') {
        throw new SketchlabError('ENOTIMPL', `${fn}('${name}'): the loaded wasm module does not export ${c}; rebuild it with \`make wasm\``, { fn });
      }
    }
    const N = o.points === undefined ? 1000 : checkDim(o.points, 'points', fn);
    if (name === 'smile' && N > 0 && N < 7) {
      throw new SketchlabError('EINVAL', `${fn}('smile'): points must be 0 or at least 7 (two eyes, a mouth and a face), got ${N}`);
    }
    if (name === 'robspiral' && o.seed !== undefined) {
      throw new SketchlabError('EINVAL', `${fn}('robspiral'): the spiral is deterministic and takes no seed; drop the seed option`);
    }
    const kt = kernelOpts(o, fn, name === 'smile' ? 2.0 : 1000);
    const wantMatrix = o.matrix === undefined ? true : boolOpt(o.matrix, 'matrix', fn);
    if (wantMatrix && N * N > 0x7fffffff) {
      throw new SketchlabError('ENOMEM', `${fn}('${name}'): the ${N}×${N} kernel matrix is too large; use fewer points or { matrix: false }`);
    }
    const seed = seedArg(o.seed, fn);
    const ex = rt().exports;
    return withScope(rt(), fn, (s) => {
      const pX = s.allocF64(2 * N, 'the points');
      let st;
      if (name === 'smile') {
        const pRng = s.alloc(24, 'the RNG state');
        st = rngInit(ex, pRng, seed, 0);
        if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
        st = ex.sk_gallery_smile(N, pRng, pX, 2);
        if (st) throw statusError(st, fn, 'sk_gallery_smile', ['npts', 'rng', 'X', 'ldx']);
      } else {
        st = ex.sk_gallery_robspiral(N, pX, 2);
        if (st) throw statusError(st, fn, 'sk_gallery_robspiral', ['npts', 'X', 'ldx']);
      }
      const points = makeMatrix(2, N, readF64(rt(), pX, 2 * N));
      if (!wantMatrix) return { matrix: null, points, kernel: o.kernel ?? 'gaussian', bandwidth: kt.bandwidth };
      const pK = s.alloc(KERNEL_BYTES, 'the kernel spec');
      writeKernel(pK, kt, 2, N, pX);
      const pM = s.allocF64(N * N, `the ${N}×${N} kernel matrix`);
      st = ex.sk_kernel_matrix(pK, pM, Math.max(1, N));
      if (st) throw statusError(st, fn, 'sk_kernel_matrix', ['kern', 'K', 'ldk']);
      return { matrix: makeMatrix(N, N, readF64(rt(), pM, N * N)), points, kernel: o.kernel ?? 'gaussian', bandwidth: kt.bandwidth };
    });
  }

  const GALLERY = {
    gmm: ['dim', 'points', 'clusters', 'sigma', 'seed'],
    exponential: ['rows', 'cols', 'flat', 'decay', 'floor', 'seed'],
    polynomial: ['rows', 'cols', 'flat', 'power', 'floor', 'seed'],
    kahan: ['n', 'zeta'],
    smile: ['points', 'bandwidth', 'kernel', 'seed', 'matrix'],
    robspiral: ['points', 'bandwidth', 'kernel', 'matrix'],
  };

  /**
   * Seeded test matrices of specs/pivoting.md §2 (same seed, same bits natively and in wasm).
   * @param {'gmm'|'exponential'|'polynomial'|'kahan'|'smile'|'robspiral'} name
   */
  function gallery(name, opts) {
    const fn = 'gallery';
    need(fn);
    if (!isName(GALLERY, name)) {
      throw new SketchlabError('EINVAL', `${fn}: unknown test matrix ${describe(name)}; use one of ${nameList(GALLERY)}`);
    }
    const o = options(opts, `${fn}('${name}')`, GALLERY[name]);
    if (name === 'gmm') return galleryGmm(o, fn);
    if (name === 'exponential' || name === 'polynomial') return gallerySpectrum(name, o, fn);
    if (name === 'kahan') return galleryKahan(o, fn);
    return galleryCloud(name, o, fn);
  }

  // -------------------------------------------------------------- cur
  const ID_CHOICE = ['method', 'rank', 'tol', 'blockSize', 'filterTol', 'oversample', 'seed'];

  /** A given column skeleton: k distinct integers in [0, n), k <= min(m, n). */
  function skeletonArg(cols, fn, m, n) {
    if (!(Array.isArray(cols) || cols instanceof Int32Array)) {
      throw new SketchlabError('EINVAL', `${fn}: cols must be an array or Int32Array of column indices, got ${describe(cols)}`);
    }
    if (cols.length > Math.min(m, n)) {
      throw new SketchlabError('ERANK', `${fn}: cols has ${cols.length} indices, more than min(m, n) = ${Math.min(m, n)}`);
    }
    const seen = new Set();
    for (let i = 0; i < cols.length; i++) {
      const j = cols[i];
      if (!(Number.isInteger(j) && j >= 0 && j < n)) {
        throw new SketchlabError('EINVAL', `${fn}: cols[${i}] = ${describe(j)} is not a column index; use integers from 0 to ${n - 1}`);
      }
      if (seen.has(j)) throw new SketchlabError('EINVAL', `${fn}: column ${j} appears twice in cols; a skeleton lists distinct columns`);
      seen.add(j);
    }
    return Int32Array.from(cols);
  }

  /** ‖x‖² without overflow or underflow (scaled by the largest magnitude). */
  function sumSquares(x) {
    let big = 0;
    for (const v of x) big = Math.max(big, Math.abs(v));
    if (big === 0) return 0;
    let t = 0;
    for (const v of x) { const y = v / big; t += y * y; }
    return t * big * big;
  }

  /**
   * CUR decomposition A ≈ C·U·R (sk_cur) on a column skeleton: the given `cols`, or one
   * chosen by id() with the same options (sk_id_cols).
   * @param {object} opts { cols } or { method = 'rbrp', rank, tol, blockSize, filterTol, oversample, seed };
   *   and core = 'optimal'
   */
  /** Advice for status 3 of sk_cur: the core is singular or overflows double range. */
  function curOverflow(k, coreName) {
    return coreName === 'cross'
      ? `A(I,J) is singular, or so ill-conditioned that U = A(I,J)⁻¹ overflows (entries beyond 1.8e308), at rank ${k}; use core 'optimal' or a smaller rank`
      : `U = C⁺AR⁺ is not representable at rank ${k} (entries beyond 1.8e308): the chosen columns or rows are too ill-conditioned; use a smaller rank or a larger tol`;
  }

  function cur(A, opts) {
    const fn = 'cur', ex = need(fn);
    const o = options(opts, fn, [...ID_CHOICE, 'cols', 'core']);
    const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
    const m = a.rows, n = a.cols;
    let given = null, io = null;
    if (o.cols !== undefined) {
      const both = ID_CHOICE.find((key) => o[key] !== undefined);
      if (both) {
        throw new SketchlabError('EINVAL', `${fn}: give either cols (a column skeleton) or the id() options that choose one, not both ('${both}')`);
      }
      given = skeletonArg(o.cols, fn, m, n);
    } else {
      io = idOptions(o, fn, m, n);
    }
    const coreName = o.core === undefined ? 'optimal' : o.core;
    if (!isName(CUR_CORES, coreName)) {
      throw new SketchlabError('EINVAL', `${fn}: core must be 'optimal' (U = C⁺AR⁺) or 'cross' (U = A(I,J)⁻¹), got ${describe(coreName)}`);
    }
    return withScope(rt(), fn, (s) => {
      // Extreme scales run on 2^-e·A (scale.js): C and R are read from A itself, U = 2^-e·U_s.
      let e = 0, data = a.data, pA = 0, r;
      const skeleton = () => {
        pA = e ? s.copyIn(data, 'a scaled copy of A') : s.copyInFinite(a, 'A', 'a copy of A');
        if (!given) return runId(s, ex, fn, pA, m, n, io, { wantT: false, wantTrace: false });
        const pS = s.allocI32(given.length, 'the column skeleton');
        i32(rt(), pS, given.length).set(given);
        return { k: given.length, pS, anorm2: sumSquares(data) };
      };
      r = skeleton();
      if (outsideSafe(r.anorm2) && (e = prescaleExponent(a.data)) !== 0) {
        data = scaledData(a.data, e);
        r = skeleton();
      }
      const k = r.k;
      const pRows = s.allocI32(k, 'the row skeleton');
      const pC = s.allocF64(m * k, 'C'), pU = s.allocF64(k * k, 'U'), pR = s.allocF64(k * n, 'R');
      const pRes = s.allocF64(1, 'res2');
      const st = ex.sk_cur(m, n, pA, Math.max(1, m), k, r.pS, CUR_CORES[coreName], pRows, pC, Math.max(1, m), pU, Math.max(1, k), pR, Math.max(1, k), pRes);
      if (st) {
        throw statusError(st, fn, 'sk_cur', ['m', 'n', 'A', 'lda', 'k', 'J', 'core', 'rows', 'C', 'ldc', 'U', 'ldu', 'R', 'ldr', 'res2'],
          st === 6 ? `C or R is numerically rank deficient at rank ${k}, so the optimal core is not determined; use a smaller rank or a larger tol` :
            st === 3 ? curOverflow(k, coreName) : undefined);
      }
      const res2 = f64(rt(), pRes, 1)[0];
      const rows = readI32(rt(), pRows, k), cols = readI32(rt(), r.pS, k);
      let C, R, U = readF64(rt(), pU, k * k);
      if (e === 0) {
        C = readF64(rt(), pC, m * k);
        R = readF64(rt(), pR, k * n);
      } else {
        C = new Float64Array(m * k);
        R = new Float64Array(k * n);
        for (let j = 0; j < k; j++) C.set(a.data.subarray(cols[j] * m, cols[j] * m + m), j * m);
        for (let j = 0; j < n; j++) for (let i = 0; i < k; i++) R[i + j * k] = a.data[rows[i] + j * m];
        for (let i = 0; i < U.length; i++) U[i] = ldexp(U[i], -e);
        // U scales as 1/A: for tiny A the scaled-back core may not be representable
        if (!U.every(Number.isFinite)) {
          throw new SketchlabError('ESINGULAR', `${fn}: ${curOverflow(k, coreName)}; or scale A up by a power of two ` +
            `(A·2^${-e} has U·2^${e}, which is finite) and keep the factor`, { status: 3, fn });
        }
      }
      const out = {
        rows, cols, rank: k,
        C: makeMatrix(m, k, C), U: makeMatrix(k, k, U), R: makeMatrix(k, n, R),
        residual: r.anorm2 > 0 ? Math.sqrt(Math.max(res2, 0) / r.anorm2) : 0,
        residual2: ldexp(res2, 2 * e), norm2: ldexp(r.anorm2, 2 * e),
      };
      if (!given) out.stop = stopReason(k, io, r.res2, r.anorm2);
      return out;
    });
  }

  // -------------------------------------------------------------- rpcholesky
  /**
   * Randomly pivoted (partial) Cholesky K ≈ F·Fᵀ of a PSD matrix (sk_rpchol), or of the
   * kernel matrix of a point cloud given as { points, kernel?, bandwidth } (sk_rpchol_kernel,
   * matrix-free).
   * @param {object} opts { method = 'random', rank, tol, blockSize, filterTol, seed, trace, symTol }
   */
  function rpcholesky(K, opts) {
    const fn = 'rpcholesky', ex = need(fn);
    const o = options(opts, fn, ['method', 'rank', 'tol', 'blockSize', 'filterTol', 'seed', 'trace', 'symTol']);
    const wantTrace = boolOpt(o.trace, 'trace', fn);
    const name = o.method === undefined ? 'random' : o.method;
    if (!isName(RPCHOL_METHODS, name)) {
      throw new SketchlabError('EINVAL', `${fn}: unknown method ${describe(name)}; use one of ${nameList(RPCHOL_METHODS)}`);
    }
    let kernel = null, a = null, N;
    if (K && typeof K === 'object' && !Array.isArray(K) && Object.hasOwn(K, 'points')) {
      for (const key of Object.keys(K)) {
        if (!['points', 'kernel', 'bandwidth'].includes(key)) {
          throw new SketchlabError('EINVAL', `${fn}: unknown kernel field '${key}'; a kernel is { points (d×N, one point per column), kernel: 'gaussian'|'laplace', bandwidth }`);
        }
      }
      if (K.bandwidth === undefined) throw new SketchlabError('EINVAL', `${fn}: a kernel needs a bandwidth h > 0, e.g. { points, bandwidth: 2 }`);
      const X = asMatrix(K.points, 'points', fn);
      kernel = { X, ...kernelOpts(K, fn, 1) };
      N = X.cols;
    } else {
      a = asMatrix(K, 'K', fn, { square: true });
      const symTol = o.symTol === undefined ? h.symTol : numOpt(o.symTol, 'symTol', fn, (x) => x >= 0, 'a finite number >= 0');
      checkSymmetric(a, 'K', fn, symTol);
      N = a.rows;
    }
    const { maxRank, tol } = stopOpts(o, fn, N, { what: 'N' });
    const block = blockOpt(o.blockSize, fn);
    const filterTol = filterOpt(o.filterTol, fn);
    const seed = seedArg(o.seed, fn);
    const kcap = maxRank > 0 ? maxRank : N;
    let eK = 0; // K's prescale exponent (0 for kernels, whose entries are in [0, 1])
    return withScope(rt(), fn, (s) => {
      const pOpts = s.alloc(RPCHOL_OPTS_BYTES, 'the options');
      writeRpcholOpts(pOpts, { code: RPCHOL_METHODS[name], maxRank, tol, block, filterTol });
      const pRng = s.alloc(24, 'the RNG state');
      let st = rngInit(ex, pRng, seed, 0);
      if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      const pS = s.allocI32(kcap, 'the pivots');
      const pF = s.allocF64(N * kcap, `the ${N}×${kcap} factor`);
      const pOut = s.alloc(24, 'the outputs');
      const isBlock = name === 'block' || name === 'rbrp';
      const tr = wantTrace ? allocTrace(s, kcap, isBlock ? Math.min(block, N) : 1, N) : null;
      const names = ['opts', 'rng', 'S', 'F', 'ldf', 'rank', 'res_trace', 'trace_A', 'trace'];
      if (kernel) {
        const pX = s.copyIn(kernel.X.data, 'the points');
        const pK = s.alloc(KERNEL_BYTES, 'the kernel spec');
        writeKernel(pK, kernel, kernel.X.rows, N, pX);
        st = ex.sk_rpchol_kernel(pK, pOpts, pRng, pS, pF, Math.max(1, N), pOut, pOut + 8, pOut + 16, tr ? tr.p : 0);
        if (st) throw rpcholError(st, fn, 'sk_rpchol_kernel', ['kern', ...names]);
      } else {
        // Extreme scales run on 4^-j·K (scale.js; an even exponent, so F scales by 2^j exactly).
        eK = prescaleExponent(a.data, true, N);
        const pA = s.copyIn(scaledData(a.data, eK), 'a copy of K');
        st = ex.sk_rpchol(N, pA, Math.max(1, N), pOpts, pRng, pS, pF, Math.max(1, N), pOut, pOut + 8, pOut + 16, tr ? tr.p : 0);
        if (st) throw rpcholError(st, fn, 'sk_rpchol', ['n', 'A', 'lda', ...names]);
      }
      const k = i32(rt(), pOut, 1)[0];
      const [resTrace, traceA] = f64(rt(), pOut + 8, 2);
      const F = readF64(rt(), pF, N * k);
      if (eK !== 0) for (let i = 0; i < F.length; i++) F[i] = ldexp(F[i], eK / 2);
      const out = {
        method: name, pivots: readI32(rt(), pS, k), F: makeMatrix(N, k, F), rank: k,
        residual: traceA > 0 ? Math.max(resTrace, 0) / traceA : 0,
        residualTrace: ldexp(resTrace, eK), traceA: ldexp(traceA, eK),
      };
      if (wantTrace) {
        out.trace = readTrace(tr, 1);
        for (const stp of out.trace) {
          stp.residual = traceA > 0 ? Math.max(stp.residual2, 0) / traceA : 0;
          stp.residual2 = ldexp(stp.residual2, eK);
        }
      }
      return out;
    });
  }

  function rpcholError(st, fn, cname, argNames) {
    const advice = {
      2: 'the matrix is not positive semidefinite (a negative diagonal entry or residual); RPCholesky needs a PSD matrix such as a kernel matrix',
      5: 'the matrix or the points contain NaN or Infinity; remove or replace non-finite values',
      6: 'the rank is out of range',
    }[st];
    return statusError(st, fn, cname, argNames, advice);
  }

  return { id, gallery, cur, rpcholesky };
}
