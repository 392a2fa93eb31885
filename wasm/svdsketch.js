// svdsketch.js — the sketched (randomized) SVD and how accurate its singular
// SUBSPACES are (c/include/sketchlab/svdsketch.h; specs/svd_bounds.md, cited §x.y).
//
//   const r = rsvd(A, { rank: 50, oversample: 30, powerIters: 1, normalizer: 'qr', seed: 7 });
//   const sines = canonicalAngles(Utrue_k, r.X);          // ascending sines
//   const b = angleBounds({ A, rsvd: r, side: 'left' });   // prior, Monte Carlo, residual, subresidual
//   const plan = planBudget({ spectrum, k: 50, budget: 400 });
//
// Same rules as index.js: validate in JS first (messages say what to change),
// copy in, call C, copy results out into fresh arrays, free everything in
// `finally` (withScope), never keep a view of wasm memory across an allocation.
//
// Sines are always ASCENDING: entry i pairs with σ_{i+1} (0-based).
// Left quantities use t = 2q+1, right ones t = 2q+2 (§1.1).

import { SketchlabError, statusError } from './errors.js';
import { describe, isName, nameList } from './validate.js';
import { withScope, readF64, f64, i32 } from './memory.js';
import { asMatrix, makeMatrix, numberList } from './matrix.js';

/** What to change when sk_angles_exact / sk_angles_mc report SK_ESINGULAR for a wide σ^t. */
const ANGLES_SPECTRUM_ADVICE = 'a flatter spectrum (a larger flat tail or a smaller gap/decay), or a smaller rank k';
const ANGLES_RANGE_ADVICE = 'use fewer power iterations q (t = 2q+1 or 2q+2), ' + ANGLES_SPECTRUM_ADVICE;

/** Normalizers between power iterations (sk_rsvd_norm_t). */
export const NORMALIZERS = Object.freeze({ none: 0, qr: 1, lu: 2, cholqr2: 3 });
const SIDES = Object.freeze({ left: 0, right: 1 });

/** The C functions each function of this module needs (merged into index.js's table). */
export const SVDSKETCH_REQUIRES = Object.freeze({
  rsvd: ['sk_rsvd', 'sk_rng_init', 'sk_rsvd_resid_fro', 'sk_rsvd_resid_norm2'],
  canonicalAngles: ['sk_canonical_sines'],
  exactAngles: ['sk_angles_exact'],
  angleBounds: ['sk_angles_prior', 'sk_angles_mc', 'sk_spectrum_pad', 'sk_angles_residual', 'sk_angles_subres',
    'sk_rsvd_resid_norm2', 'sk_rsvd_subres_norms', 'sk_rng_init'],
  planBudget: ['sk_rsvd_plan', 'sk_rng_init'],
  angleExperiment: ['sk_rsvd', 'sk_rng_init', 'sk_rng_normal_matrix', 'sk_rng_uniform', 'sk_dgemm', 'sk_dgeqrf',
    'sk_dorgqr', 'sk_canonical_sines', 'sk_angles_prior', 'sk_angles_mc', 'sk_angles_residual', 'sk_angles_subres',
    'sk_rsvd_resid_norm2', 'sk_rsvd_subres_norms', 'sk_spectrum_pad'],
});

/** Defaults of the posterior estimators (§1.9: block 4, 5 steps gives 0.97–1.0 × ‖E‖₂). */
export const RESID_BLOCK = 4, RESID_ITS = 5;
/** Monte-Carlo trials by default (the DMN notebook uses 3–4). */
export const MC_TRIALS = 4;

const RNG_BYTES = 24, STATS_BYTES = 12;
// RNG streams of one seed: the sketch, the Monte-Carlo trials, the two power methods.
const STREAM = Object.freeze({ sketch: 0, mc: 1, resid: 2, subres: 3, plan: 4, factors: 5 });

/**
 * Bind the sketched-SVD API to one runtime. Called once by index.js.
 * @param {object} h { runtime: () => rt|null, need, seedArg, rngInit, options, boolOpt, REQUIRES }
 */
export function createSvdsketch(h) {
  const { runtime, need, seedArg, rngInit, options, boolOpt } = h;
  Object.assign(h.REQUIRES, SVDSKETCH_REQUIRES);
  const rt = () => runtime();

  // -------------------------------------------------------------- option parsing
  function intArg(v, name, fn, { min, max, hint = '', code = 'EINVAL' }) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be an integer${hint}, got ${describe(v)}`, { fn });
    }
    if (v < min || (max !== undefined && v > max)) {
      const range = max !== undefined ? `from ${min} to ${max}` : `>= ${min}`;
      throw new SketchlabError(code, `${fn}: ${name} must be ${range}${hint}, got ${v}`, { fn });
    }
    return v;
  }
  function numArg(v, name, fn, test, what) {
    if (typeof v !== 'number' || !Number.isFinite(v) || !test(v)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be ${what}, got ${describe(v)}`, { fn });
    }
    return v;
  }
  function normalizerArg(v, fn) {
    const name = v === undefined ? 'qr' : v;
    if (!isName(NORMALIZERS, name)) {
      throw new SketchlabError('EINVAL', `${fn}: unknown normalizer ${describe(v)}; use one of 'none', 'qr', 'lu', 'cholqr2' ` +
        "('none' exists to show how plain powers lose the subspace)", { fn });
    }
    return name;
  }
  function sideArg(v, fn) {
    const s = v === undefined ? 'left' : v;
    if (!isName(SIDES, s)) {
      throw new SketchlabError('EINVAL', `${fn}: side must be 'left' (∠(U_k, X), t = 2q+1) or 'right' (∠(V_k, Y), t = 2q+2), got ${describe(v)}`, { fn });
    }
    return s;
  }
  /** Validate a spectrum: finite, >= 0, non-increasing, at least `minLen` values. */
  function spectrumArg(v, name, fn, minLen = 1) {
    const s = numberList(v, name, fn);
    if (!s) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be the singular values σ₁ >= σ₂ >= ... as a Float64Array or number[], got ${describe(v)}`, { fn });
    }
    if (s.length < minLen) {
      throw new SketchlabError('ESHAPE', `${fn}: ${name} has ${s.length} values but at least ${minLen} are needed here ` +
        '(the tail σ_{k+1}, ... enters every bound); pass all min(m, n) singular values', { fn });
    }
    for (let i = 0; i < s.length; i++) {
      const x = s[i];
      if (!Number.isFinite(x)) {
        throw new SketchlabError('ENONFINITE', `${fn}: ${name}[${i}] is ${x}; singular values must be finite numbers`, { fn });
      }
      if (x < 0) throw new SketchlabError('EINVAL', `${fn}: ${name}[${i}] = ${x} is negative; singular values are >= 0`, { fn });
      if (i > 0 && x > s[i - 1]) {
        throw new SketchlabError('EINVAL', `${fn}: ${name} must be non-increasing, but ${name}[${i}] = ${x} > ${name}[${i - 1}] = ${s[i - 1]}; ` +
          'sort it in descending order', { fn });
      }
    }
    return s;
  }
  /** k, l, q against r = min(m, n). */
  function sketchDims(k, l, q, r, fn, { kName = 'rank' } = {}) {
    intArg(k, kName, fn, { min: 1, max: r, hint: ` (1 <= k <= min(m, n) = ${r})`, code: 'ERANK' });
    if (typeof l !== 'number' || !Number.isInteger(l)) {
      throw new SketchlabError('EINVAL', `${fn}: the sketch size l must be an integer, got ${describe(l)}`, { fn });
    }
    if (l < k) {
      throw new SketchlabError('EINVAL', `${fn}: the sketch size l = ${l} is smaller than the rank k = ${k}; l must be >= k ` +
        '(use oversample >= 0, typically 5–20, or a larger sketch)', { fn });
    }
    if (l > r) {
      throw new SketchlabError('EINVAL', `${fn}: the sketch size l = ${l} is larger than min(m, n) = ${r}; lower the rank or the oversampling`, { fn });
    }
    intArg(q, 'powerIters', fn, { min: 0, max: 1000, hint: ' (the number of power iterations q >= 0, typically 0–3)' });
  }
  const cError = (st, fn, cname, names, advice) => statusError(st, fn, cname, names, advice);

  function newRng(s, ex, fn, seed, stream) {
    const p = s.alloc(RNG_BYTES, 'the RNG state');
    const st = rngInit(ex, p, seed, stream);
    if (st) throw cError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
    return p;
  }
  function readStats(p) {
    const v = i32(rt(), p, 3);
    return { A: v[0], At: v[1], total: v[0] + v[1], orthFallbacks: v[2] };
  }
  function fro(data) {
    let scale = 0, ssq = 1;
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]);
      if (a === 0) continue;
      if (scale < a) { ssq = 1 + ssq * (scale / a) ** 2; scale = a; } else ssq += (a / scale) ** 2;
    }
    return scale * Math.sqrt(ssq);
  }

  const RSVD_NAMES = ['m', 'n', 'A', 'lda', 'k', 'l', 'q', 'normalizer', 'rng', 'X', 'ldx', 'Y', 'ldy', 'U', 'ldu', 's', 'V', 'ldv', 'stats'];
  const NORM2_NAMES = ['m', 'n', 'A', 'lda', 'l', 'U', 'ldu', 'V', 'ldv', 'side', 'block', 'its', 'rng', 'est', 'stats'];
  const SUBRES_NAMES = ['m', 'n', 'A', 'lda', 'k', 'l', 'U', 'ldu', 's', 'V', 'ldv', 'block', 'its', 'rng', 'eps3', 'eps32', 'eps33', 'stats'];

  /**
   * The sketch on A already in wasm memory (pA, m×n, lda = m). Returns pointers
   * and the counters; the caller reads what it needs.
   */
  function runRsvd(s, ex, fn, pA, m, n, k, l, q, norm, seed) {
    const pRng = newRng(s, ex, fn, seed, STREAM.sketch);
    const pX = s.allocF64(m * l, `the ${m}×${l} basis X`), pY = s.allocF64(n * l, `the ${n}×${l} basis Y`);
    const pU = s.allocF64(m * l, 'U'), pS = s.allocF64(l, 's'), pV = s.allocF64(n * l, 'V');
    const pSt = s.alloc(STATS_BYTES, 'the counters');
    i32(rt(), pSt, 3).fill(0);
    const st = ex.sk_rsvd(m, n, pA, m, k, l, q, NORMALIZERS[norm], pRng, pX, m, pY, n, pU, m, pS, pV, n, pSt);
    if (st) {
      throw cError(st, fn, 'sk_rsvd', RSVD_NAMES,
        st === 5 ? 'A contains NaN or Infinity; remove or replace non-finite values' :
          st === 6 ? `the rank is out of range for a ${m}×${n} matrix` : undefined);
    }
    return { pX, pY, pU, pS, pV, pSt };
  }

  /** Power-method lower estimate of ‖E‖₂: side 0 E = (I − XXᵀ)A, side 1 E_V = A(I − V_lV_lᵀ). */
  function residNorm(s, ex, fn, pA, m, n, l, pU, pV, side, block, its, seed, pSt) {
    const pRng = newRng(s, ex, fn, seed, STREAM.resid + 16 * side);
    const pE = s.allocF64(1, 'the estimate');
    const st = ex.sk_rsvd_resid_norm2(m, n, pA, m, l, pU, m, pV, n, side, Math.min(block, n), its, pRng, pE, pSt);
    if (st) throw cError(st, fn, 'sk_rsvd_resid_norm2', NORM2_NAMES);
    return f64(rt(), pE, 1)[0];
  }

  // -------------------------------------------------------------- rsvd
  /**
   * Randomized SVD by subspace iteration (sk_rsvd, HMT Alg. 4.4 + 5.1, §2.2).
   * @param {MatrixLike} A
   * @param {object} opts { rank (k, required), oversample = 10 (l = k + oversample, capped at min(m, n)),
   *   sketchSize (l, instead of oversample), powerIters = 1, normalizer = 'qr', seed = 0,
   *   residual = true (power-method estimate of ‖A − XXᵀA‖₂: 4 vectors × 5 steps) }
   */
  function rsvd(A, opts) {
    const fn = 'rsvd', ex = need(fn);
    const o = options(opts, fn, ['rank', 'oversample', 'sketchSize', 'powerIters', 'normalizer', 'seed', 'residual']);
    const a = asMatrix(A, 'A', fn, { finite: false }); // checked on the copy (copyInFinite)
    const m = a.rows, n = a.cols, r = Math.min(m, n);
    if (o.rank === undefined) throw new SketchlabError('EINVAL', `${fn}: give the target rank, e.g. { rank: 10 } (1 <= rank <= min(m, n) = ${r})`, { fn });
    const k = intArg(o.rank, 'rank', fn, { min: 1, max: r, hint: ` (1 <= rank <= min(m, n) = ${r})`, code: 'ERANK' });
    if (o.oversample !== undefined && o.sketchSize !== undefined) {
      throw new SketchlabError('EINVAL', `${fn}: give oversample or sketchSize, not both (sketchSize = rank + oversample)`, { fn });
    }
    let l;
    if (o.sketchSize !== undefined) l = o.sketchSize;
    else {
      const p = o.oversample === undefined ? 10 : intArg(o.oversample, 'oversample', fn, { min: 0, hint: ' (extra sketch columns p = l − k, e.g. 10)' });
      l = o.oversample === undefined ? Math.min(k + p, r) : k + p;
    }
    const q = o.powerIters === undefined ? 1 : o.powerIters;
    sketchDims(k, l, q, r, fn);
    const norm = normalizerArg(o.normalizer, fn);
    const seed = seedArg(o.seed, fn);
    const wantResid = o.residual === undefined ? true : boolOpt(o.residual, 'residual', fn);
    return withScope(rt(), fn, (s) => {
      const pA = s.copyInFinite(a, 'A', 'a copy of A');
      const p = runRsvd(s, ex, fn, pA, m, n, k, l, q, norm, seed);
      const anormFro = fro(a.data);
      const pRes = s.allocF64(1, 'the residual');
      let st = ex.sk_rsvd_resid_fro(anormFro, l, p.pS, pRes);
      if (st) {
        // A is finite (copyInFinite): status 5 means ‖A‖_F or σ_1 is above Number.MAX_VALUE
        throw cError(st, fn, 'sk_rsvd_resid_fro', ['anorm_fro', 'l', 's', 'res'], st === 5
          ? 'A is finite, but its norm (or largest singular value) exceeds Number.MAX_VALUE ≈ 1.8e308; ' +
            'scale A by a power of two (e.g. A·2^-64) and multiply s by 2^64 afterwards' : undefined);
      }
      const residualFro = f64(rt(), pRes, 1)[0];
      const residual2 = wantResid ? residNorm(s, ex, fn, pA, m, n, l, p.pU, p.pV, 0, RESID_BLOCK, RESID_ITS, seed, p.pSt) : null;
      const Ul = readF64(rt(), p.pU, m * l), Vl = readF64(rt(), p.pV, n * l), sl = readF64(rt(), p.pS, l);
      return {
        U: makeMatrix(m, k, Ul.slice(0, m * k)), s: sl.slice(0, k), V: makeMatrix(n, k, Vl.slice(0, n * k)),
        X: makeMatrix(m, l, readF64(rt(), p.pX, m * l)), Y: makeMatrix(n, l, readF64(rt(), p.pY, n * l)),
        Ul: makeMatrix(m, l, Ul), sAll: sl, Vl: makeMatrix(n, l, Vl),
        rank: k, sketchSize: l, powerIters: q, normalizer: norm,
        residualFro, residual2, anormFro,
        applications: readStats(p.pSt),
      };
    });
  }

  // -------------------------------------------------------------- canonical angles
  function checkOrthonormalCols(M, name, fn) {
    for (let j = 0; j < M.cols; j++) {
      let ss = 0;
      for (let i = 0; i < M.rows; i++) { const x = M.data[i + j * M.rows]; ss += x * x; }
      if (Math.abs(Math.sqrt(ss) - 1) > 1e-6) {
        throw new SketchlabError('EINVAL', `${fn}: ${name} must have orthonormal columns, but column ${j} has norm ${Math.sqrt(ss).toPrecision(6)}; ` +
          `orthonormalize it first (qr(${name}).Q)`, { fn });
      }
    }
  }

  /**
   * Sines of the canonical angles between range(Q1) (m×k) and range(Q2) (m×l, l >= k),
   * both with orthonormal columns: the singular values of (I − Q2Q2ᵀ)Q1, ascending
   * (sk_canonical_sines; the projection is applied twice, so tiny angles keep
   * their relative accuracy). opts { angles: true } returns { sines, theta } instead.
   */
  function canonicalAngles(Q1, Q2, opts) {
    const fn = 'canonicalAngles', ex = need(fn);
    const o = options(opts, fn, ['angles']);
    const wantTheta = boolOpt(o.angles, 'angles', fn);
    const a = asMatrix(Q1, 'Q1', fn), b = asMatrix(Q2, 'Q2', fn);
    if (a.rows !== b.rows) {
      throw new SketchlabError('ESHAPE', `${fn}: Q1 and Q2 must have the same number of rows (they are bases of subspaces of the same space), ` +
        `got ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`, { fn });
    }
    if (a.cols > b.cols) {
      throw new SketchlabError('ESHAPE', `${fn}: Q1 (${a.cols} columns) must not have more columns than Q2 (${b.cols}); ` +
        'swap the arguments, or compare with the first columns of Q1', { fn });
    }
    if (a.cols > a.rows) throw new SketchlabError('ESHAPE', `${fn}: Q1 is ${a.rows}×${a.cols}: more columns than rows cannot be orthonormal`, { fn });
    checkOrthonormalCols(a, 'Q1', fn);
    checkOrthonormalCols(b, 'Q2', fn);
    const m = a.rows, k = a.cols, l = b.cols;
    return withScope(rt(), fn, (s) => {
      const p1 = s.copyIn(a.data, 'Q1'), p2 = s.copyIn(b.data, 'Q2');
      const pOut = s.allocF64(2 * k, 'the sines');
      const st = ex.sk_canonical_sines(m, k, p1, m, l, p2, m, pOut, wantTheta ? pOut + 8 * k : 0);
      if (st) throw cError(st, fn, 'sk_canonical_sines', ['m', 'k', 'Uk', 'ldu', 'l', 'X', 'ldx', 'sines', 'theta']);
      const sines = readF64(rt(), pOut, k);
      return wantTheta ? { sines, theta: readF64(rt(), pOut + 8 * k, k) } : sines;
    });
  }

  /**
   * The exact characterization (§1.2, sk_angles_exact): the sines of ∠(U_k, range((AAᵀ)^q AΩ))
   * (t = 2q+1) or ∠(V_k, Y) (t = 2q+2) from the spectrum and G = VᵀΩ alone.
   * @param spectrum all r singular values; G r×l; opts { k, powerIters = 0, side = 'left' }
   */
  function exactAngles(spectrum, G, opts) {
    const fn = 'exactAngles', ex = need(fn);
    const o = options(opts, fn, ['k', 'powerIters', 'side']);
    const sig = spectrumArg(spectrum, 'spectrum', fn);
    const g = asMatrix(G, 'G', fn);
    const r = sig.length;
    if (g.rows !== r) throw new SketchlabError('ESHAPE', `${fn}: G = VᵀΩ must have one row per singular value (${r}), got ${g.rows}×${g.cols}`, { fn });
    if (o.k === undefined) throw new SketchlabError('EINVAL', `${fn}: give k, the dimension of the target subspace (1 <= k <= ${Math.min(r, g.cols)})`, { fn });
    const k = intArg(o.k, 'k', fn, { min: 1, max: r, code: 'ERANK' });
    const l = g.cols;
    if (l < k) throw new SketchlabError('EINVAL', `${fn}: G has ${l} columns (the sketch size l) but k = ${k}; l must be >= k`, { fn });
    const q = o.powerIters === undefined ? 0 : intArg(o.powerIters, 'powerIters', fn, { min: 0, max: 1000 });
    const side = sideArg(o.side, fn);
    const t = side === 'left' ? 2 * q + 1 : 2 * q + 2;
    return withScope(rt(), fn, (s) => {
      const pS = s.copyIn(sig, 'the spectrum'), pG = s.copyIn(g.data, 'G'), pOut = s.allocF64(k, 'the sines');
      const st = ex.sk_angles_exact(r, pS, k, l, t, pG, r, pOut);
      if (st) {
        throw cError(st, fn, 'sk_angles_exact', ['r', 'sig', 'k', 'l', 't', 'G', 'ldg', 'sines'],
          st === 3 ? 'the columns of G are exactly dependent (e.g. repeated columns or an exactly rank-one G), so the sketch ' +
            `spans fewer than l = ${l} directions, or G is so unevenly scaled (entries near 2^-1022 next to normal ones), ` +
            `or σ^t (t = ${t}) spans so wide a range that the cotangents span more than double precision resolves, ` +
            'so the angles are not determined to working accuracy; pass a G of full column rank with entries of ' +
            'comparable size (a Gaussian G has both with probability 1) or drop the dependent columns ' +
            '(zero columns are dropped for you), or ' + ANGLES_RANGE_ADVICE : undefined);
      }
      return readF64(rt(), pOut, k);
    });
  }

  // -------------------------------------------------------------- bounds
  /** Spectrum-only bounds: prior (notebook ε, conservative) and the Monte-Carlo estimate. */
  function priorAndMc(s, ex, fn, sig, k, l, t, eps, trials, seed) {
    const r = sig.length;
    const pSig = s.copyIn(sig, 'the spectrum');
    const pOut = s.allocF64(7 * k, 'the bounds');
    let st = ex.sk_angles_prior(r, pSig, k, l, t, eps, 0, pOut, pOut + 8 * k);
    if (st) throw cError(st, fn, 'sk_angles_prior', ['r', 'sig', 'k', 'l', 't', 'eps', 'conservative', 'sin_up', 'sin_lo']);
    st = ex.sk_angles_prior(r, pSig, k, l, t, 1.0, 1, pOut + 16 * k, pOut + 24 * k);
    if (st) throw cError(st, fn, 'sk_angles_prior', ['r', 'sig', 'k', 'l', 't', 'eps', 'conservative', 'sin_up', 'sin_lo']);
    let mc = null;
    if (trials > 0) {
      const pRng = newRng(s, ex, fn, seed, STREAM.mc);
      st = ex.sk_angles_mc(r, pSig, k, l, t, trials, pRng, pOut + 32 * k, pOut + 40 * k, pOut + 48 * k);
      if (st) {
        throw cError(st, fn, 'sk_angles_mc', ['r', 'sig', 'k', 'l', 't', 'ntrial', 'rng', 'mean', 'lo', 'hi'],
          st === 3 ? `the Monte-Carlo estimate's exact angles are not determined in double precision: σ^t (t = ${t}) ` +
            'spans so wide a range that the cotangents span more than double precision resolves; ' + ANGLES_RANGE_ADVICE : undefined);
      }
      mc = {
        mean: readF64(rt(), pOut + 32 * k, k), lo: readF64(rt(), pOut + 40 * k, k), hi: readF64(rt(), pOut + 48 * k, k), trials,
        cost: { matvecs: 0, flops: trials * (2 * (r - k) * l * l + 6 * k * l * l + r * l) },
      };
    }
    return {
      prior: {
        upper: readF64(rt(), pOut, k), lower: readF64(rt(), pOut + 8 * k, k), eps,
        conservative: readF64(rt(), pOut + 16 * k, k), conservativeLower: readF64(rt(), pOut + 24 * k, k),
        cost: { matvecs: 0, flops: 6 * r },
      },
      monteCarlo: mc,
    };
  }

  /** Posterior bounds on a sketch in wasm memory (A at pA; U_l, σ̂, V_l at pU, pS, pV). */
  function posterior(s, ex, fn, pA, m, n, k, l, pU, pS, pV, sigPost, sHatK1, side, block, its, seed) {
    const pSt = s.alloc(STATS_BYTES, 'the counters');
    const cnt = () => readStats(pSt).total;
    i32(rt(), pSt, 3).fill(0);
    // Subresidual norms (ε3, ε32 exact; ε33 = ‖A(I − V_lV_lᵀ)‖₂ by the power method).
    const pE = s.allocF64(3, 'the norms');
    const pRng = newRng(s, ex, fn, seed, STREAM.subres);
    let st = ex.sk_rsvd_subres_norms(m, n, pA, m, k, l, pU, m, pS, pV, n, Math.min(block, n), its, pRng, pE, pE + 8, pE + 16, pSt);
    if (st) throw cError(st, fn, 'sk_rsvd_subres_norms', SUBRES_NAMES);
    const [eps3, eps32, eps33] = f64(rt(), pE, 3);
    const subMatvecs = cnt();
    // Residual bound: ‖E‖₂ (left) or ‖E_V‖₂ = ε33 (right, already measured above).
    let normE, resMatvecs;
    if (side === 'left') {
      i32(rt(), pSt, 3).fill(0);
      normE = residNorm(s, ex, fn, pA, m, n, l, pU, pV, 0, block, its, seed, pSt);
      resMatvecs = cnt();
    } else {
      normE = eps33;
      resMatvecs = Math.min(block, n) * (2 * its + 1); // shared with the subresidual bound
    }
    const pSig = s.copyIn(sigPost, 'σ for the posterior bounds');
    const pOut = s.allocF64(2 * k, 'the bounds'), pApp = s.allocI32(1, 'the flag');
    st = ex.sk_angles_residual(k, pSig, normE, 0, pOut);
    if (st) throw cError(st, fn, 'sk_angles_residual', ['k', 'sig', 'normE', 'svE', 'sin_up']);
    const residualBound = readF64(rt(), pOut, k);
    let subBound, applicable;
    if (sigPost.every((x) => x > 0)) {
      st = ex.sk_angles_subres(k, pSig, sHatK1, eps3, eps32, eps33, side === 'left' ? pOut + 8 * k : 0,
        side === 'right' ? pOut + 8 * k : 0, 0, 0, pApp);
      if (st) throw cError(st, fn, 'sk_angles_subres', ['k', 'sig', 'sh_k1', 'eps3', 'eps32', 'eps33', 'u_l', 'v_l', 'u_k', 'v_k', 'applicable']);
      subBound = readF64(rt(), pOut + 8 * k, k);
      applicable = i32(rt(), pApp, 1)[0] === 1;
    } else {
      subBound = new Float64Array(k).fill(NaN);
      applicable = false;
    }
    const b = Math.min(block, n);
    return {
      residual: {
        bound: residualBound, normE, estimator: 'power method (a lower estimate of ‖E‖₂)',
        cost: { matvecs: resMatvecs, flops: resMatvecs * 2 * m * n + 4 * (m + n) * (l + b) * b * its },
      },
      subresidual: {
        bound: subBound, applicable, eps3, eps32, eps33,
        conditions: { sigmaK: sigPost[k - 1], eps33, sHatK1 },
        cost: { matvecs: subMatvecs, flops: subMatvecs * 2 * m * n + 4 * m * l * l + 4 * (m + n) * (l + b) * b * its },
      },
    };
  }

  /**
   * Per-angle bounds and estimates for ∠(U_k, X) (side 'left') or ∠(V_k, Y) ('right').
   * @param {object} o {
   *   spectrum?: the true σ (all r = min(m, n) values), rsvd?: a result of rsvd(), A?: the matrix (posterior bounds),
   *   k, l, q (default: from rsvd), side = 'left', sigma: 'spectrum' | 'sketch' (which σ the bounds use;
   *   default 'spectrum' when given, else σ̂ padded), eps = 1, trials = 4, seed = 0, block = 4, its = 5 }
   */
  function angleBounds(o) {
    const fn = 'angleBounds', ex = need(fn);
    const opts = options(o, fn, ['spectrum', 'rsvd', 'A', 'k', 'l', 'q', 'side', 'sigma', 'eps', 'trials', 'seed', 'block', 'its']);
    if (opts.spectrum === undefined && opts.rsvd === undefined) {
      throw new SketchlabError('EINVAL', `${fn}: give { spectrum } (the singular values, for the prior bound and the estimate) ` +
        'or { rsvd, A } (a result of rsvd() and its matrix, for the posterior bounds too), or both', { fn });
    }
    const side = sideArg(opts.side, fn);
    const R = opts.rsvd;
    if (R !== undefined && !(R && typeof R === 'object' && R.Ul && R.sAll && R.Vl && R.X)) {
      throw new SketchlabError('EINVAL', `${fn}: rsvd must be the object returned by rsvd() (with Ul, sAll, Vl, X), got ${describe(R)}`, { fn });
    }
    let k = opts.k, l = opts.l, q = opts.q;
    if (R) {
      for (const [name, v, w] of [['k', k, R.rank], ['l', l, R.sketchSize], ['q', q, R.powerIters]]) {
        if (v !== undefined && v !== w) {
          throw new SketchlabError('EINVAL', `${fn}: ${name} = ${describe(v)} differs from the rsvd result's ${name} = ${w}; drop ${name} or recompute the sketch`, { fn });
        }
      }
      k = R.rank; l = R.sketchSize; q = R.powerIters;
    }
    for (const [name, v] of [['k', k], ['l', l], ['q', q]]) {
      if (v === undefined) throw new SketchlabError('EINVAL', `${fn}: give ${name} (k the rank, l the sketch size, q the power iterations) or an rsvd result`, { fn });
    }
    const spectrum = opts.spectrum === undefined ? null : spectrumArg(opts.spectrum, 'spectrum', fn);
    const r = R ? Math.min(R.Ul.rows, R.Vl.rows) : spectrum.length;
    if (spectrum && R && spectrum.length !== r) {
      throw new SketchlabError('ESHAPE', `${fn}: spectrum has ${spectrum.length} values but the matrix has min(m, n) = ${r}; pass all of them`, { fn });
    }
    sketchDims(k, l, q, r, fn, { kName: 'k' });
    if (k >= r) throw new SketchlabError('ERANK', `${fn}: k = ${k} leaves no tail (min(m, n) = ${r}); the bounds need k < min(m, n)`, { fn });
    const sigmaSrc = opts.sigma === undefined ? (spectrum ? 'spectrum' : 'sketch') : opts.sigma;
    if (!['spectrum', 'sketch'].includes(sigmaSrc)) {
      throw new SketchlabError('EINVAL', `${fn}: sigma must be 'spectrum' (the true σ) or 'sketch' (the computed σ̂), got ${describe(opts.sigma)}`, { fn });
    }
    if (sigmaSrc === 'spectrum' && !spectrum) throw new SketchlabError('EINVAL', `${fn}: sigma: 'spectrum' needs { spectrum }`, { fn });
    if (sigmaSrc === 'sketch' && !R) throw new SketchlabError('EINVAL', `${fn}: sigma: 'sketch' needs { rsvd } (σ̂ comes from the sketch)`, { fn });
    const eps = opts.eps === undefined ? 1 : numArg(opts.eps, 'eps', fn, (x) => x >= 0, 'a finite number >= 0 (the notebook uses 1)');
    const trials = opts.trials === undefined ? MC_TRIALS : intArg(opts.trials, 'trials', fn, { min: 0, max: 10000, hint: ' (Monte-Carlo trials; 0 skips the estimate)' });
    const seed = seedArg(opts.seed, fn);
    const block = opts.block === undefined ? RESID_BLOCK : intArg(opts.block, 'block', fn, { min: 1, max: 4096 });
    const its = opts.its === undefined ? RESID_ITS : intArg(opts.its, 'its', fn, { min: 0, max: 1000 });
    let a = null;
    if (opts.A !== undefined) {
      if (!R) throw new SketchlabError('EINVAL', `${fn}: A is only used with { rsvd } (the posterior bounds need the sketch)`, { fn });
      a = asMatrix(opts.A, 'A', fn);
      if (a.rows !== R.Ul.rows || a.cols !== R.Vl.rows) {
        throw new SketchlabError('ESHAPE', `${fn}: A is ${a.rows}×${a.cols} but the sketch is of a ${R.Ul.rows}×${R.Vl.rows} matrix`, { fn });
      }
    }
    const t = side === 'left' ? 2 * q + 1 : 2 * q + 2;
    return withScope(rt(), fn, (s) => {
      let sig = spectrum;
      if (sigmaSrc === 'sketch') {
        const pSh = s.copyIn(R.sAll, 'σ̂'), pPad = s.allocF64(r, 'the padded σ̂');
        const st = ex.sk_spectrum_pad(l, pSh, r, pPad);
        if (st) throw cError(st, fn, 'sk_spectrum_pad', ['l', 'sh', 'r', 'out']);
        sig = readF64(rt(), pPad, r);
      }
      const out = { side, k, l, q, t, sigma: sigmaSrc, ...priorAndMc(s, ex, fn, sig, k, l, t, eps, trials, seed), residual: null, subresidual: null };
      if (a) {
        const m = a.rows, n = a.cols;
        const pA = s.copyIn(a.data, 'a copy of A');
        const pU = s.copyIn(R.Ul.data, 'U_l'), pS = s.copyIn(R.sAll, 'σ̂'), pV = s.copyIn(R.Vl.data, 'V_l');
        const sigPost = (sigmaSrc === 'spectrum' ? spectrum : R.sAll).slice(0, k);
        Object.assign(out, posterior(s, ex, fn, pA, m, n, k, l, pU, pS, pV, sigPost, l > k ? R.sAll[k] : 0, side, block, its, seed));
      }
      return out;
    });
  }

  // -------------------------------------------------------------- budget
  /**
   * Choose (l, q) under a budget of l(2q+1) range-finder products (§1.10, sk_rsvd_plan):
   * for q = 0..qmax, l_q = min(floor(budget/(2q+1)), r), scored by the largest left sine
   * predicted from the spectrum (Monte-Carlo mean, and the prior bound with eps).
   * @param {object} o { spectrum, k, budget, qmax = 8, trials = 4, eps = 1, seed = 0 }
   */
  function planBudget(o) {
    const fn = 'planBudget', ex = need(fn);
    const opts = options(o, fn, ['spectrum', 'k', 'budget', 'qmax', 'trials', 'eps', 'seed']);
    if (opts.spectrum === undefined) throw new SketchlabError('EINVAL', `${fn}: give { spectrum, k, budget }`, { fn });
    const sig = spectrumArg(opts.spectrum, 'spectrum', fn, 2);
    const r = sig.length;
    const k = intArg(opts.k, 'k', fn, { min: 1, max: r - 1, hint: ` (1 <= k < number of singular values = ${r})`, code: 'ERANK' });
    const budget = intArg(opts.budget, 'budget', fn, { min: k, max: 1 << 24, hint: ` (products l(2q+1) >= k = ${k})` });
    const qmax = opts.qmax === undefined ? 8 : intArg(opts.qmax, 'qmax', fn, { min: 0, max: 100 });
    const trials = opts.trials === undefined ? MC_TRIALS : intArg(opts.trials, 'trials', fn, { min: 1, max: 10000 });
    const eps = opts.eps === undefined ? 1 : numArg(opts.eps, 'eps', fn, (x) => x >= 0, 'a finite number >= 0');
    const seed = seedArg(opts.seed, fn);
    return withScope(rt(), fn, (s) => {
      const pSig = s.copyIn(sig, 'the spectrum');
      const pLq = s.allocI32(qmax + 1, 'l_q'), pSc = s.allocF64(2 * (qmax + 1), 'the scores'), pB = s.allocI32(2, 'qbest');
      const pRng = newRng(s, ex, fn, seed, STREAM.plan);
      const names = ['r', 'sig', 'k', 'budget', 'qmax', 'eps', 'ntrial', 'rng', 'lq', 'score', 'qbest'];
      let st = ex.sk_rsvd_plan(r, pSig, k, budget, qmax, eps, trials, pRng, pLq, pSc, pB);
      if (st) {
        throw cError(st, fn, 'sk_rsvd_plan', names,
          st === 3 ? `the Monte-Carlo prediction's exact angles (sk_angles_mc, t up to ${2 * qmax + 1}) are not determined ` +
            'in double precision: σ^t spans so wide a range that the cotangents span more than double precision resolves; ' +
            `use a smaller qmax (now ${qmax}), ` + ANGLES_SPECTRUM_ADVICE : undefined);
      }
      st = ex.sk_rsvd_plan(r, pSig, k, budget, qmax, eps, 0, 0, pLq, pSc + 8 * (qmax + 1), pB + 4);
      if (st) throw cError(st, fn, 'sk_rsvd_plan', names);
      const lq = i32(rt(), pLq, qmax + 1).slice(), b = i32(rt(), pB, 2);
      const qs = Int32Array.from({ length: qmax + 1 }, (_, i) => i);
      return {
        q: qs, l: lq, budget, k,
        predicted: readF64(rt(), pSc, qmax + 1), prior: readF64(rt(), pSc + 8 * (qmax + 1), qmax + 1),
        best: b[0] >= 0 ? { q: b[0], l: lq[b[0]] } : null,
        bestPrior: b[1] >= 0 ? { q: b[1], l: lq[b[1]] } : null,
      };
    });
  }

  // -------------------------------------------------------------- the demo's experiment
  // A test matrix A = U diag(σ) Vᵀ with KNOWN singular vectors that is cheap to
  // rebuild when σ changes: U = B₂·P·B₁ with B₁, B₂ block diagonal (Haar blocks of
  // size 32) and P a random permutation — dense and exactly orthogonal, applied in
  // O(32·m·n) flops instead of the 2m·n·r of a dense product. The sketch's angles
  // do not depend on U, V at all (Ω is Gaussian, so VᵀΩ is too), so nothing is
  // lost by not drawing them from the Haar measure.
  const BLOCK = 32;
  let factorCache = null; // { key, fu, fv, VrT (r×n row-major-by-columns), r }

  function makeFactor(s, ex, fn, N, pRng) {
    const blocks = [[], []];
    const pG = s.allocF64(BLOCK * BLOCK, 'a block'), pTau = s.allocF64(BLOCK, 'tau');
    for (let layer = 0; layer < 2; layer++) {
      for (let off = 0; off < N; off += BLOCK) {
        const bs = Math.min(BLOCK, N - off);
        let st = ex.sk_rng_normal_matrix(pRng, bs, bs, pG, bs);
        if (st) throw cError(st, fn, 'sk_rng_normal_matrix', []);
        st = ex.sk_dgeqrf(bs, bs, pG, bs, pTau);
        if (st) throw cError(st, fn, 'sk_dgeqrf', []);
        const sign = Float64Array.from({ length: bs }, (_, j) => (f64(rt(), pG, bs * bs)[j + j * bs] < 0 ? -1 : 1));
        st = ex.sk_dorgqr(bs, bs, bs, pG, bs, pTau);
        if (st) throw cError(st, fn, 'sk_dorgqr', []);
        const Q = readF64(rt(), pG, bs * bs);
        for (let j = 0; j < bs; j++) if (sign[j] < 0) for (let i = 0; i < bs; i++) Q[i + j * bs] = -Q[i + j * bs];
        blocks[layer].push({ off, bs, Q });
      }
    }
    const pu = s.allocF64(N, 'uniforms');
    const st = ex.sk_rng_uniform(pRng, N, pu);
    if (st) throw cError(st, fn, 'sk_rng_uniform', []);
    const u = f64(rt(), pu, N), perm = Int32Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i > 0; i--) { const j = Math.min(i, Math.floor(u[i] * (i + 1))); const x = perm[i]; perm[i] = perm[j]; perm[j] = x; }
    return { N, b1: blocks[0], b2: blocks[1], perm };
  }

  /** Y ← Q·X for X N×c at pX (ld N), with scratch pW (N×c); result ends in pX. */
  function applyFactor(s, ex, fn, F, pX, c, pW, pBlk) {
    const N = F.N;
    const layer = (blocks, pIn, pOut) => {
      for (const { off, bs, Q } of blocks) {
        f64(rt(), pBlk, bs * bs).set(Q);
        const st = ex.sk_dgemm(0, 0, bs, c, bs, 1.0, pBlk, bs, pIn + 8 * off, N, 0.0, pOut + 8 * off, N);
        if (st) throw cError(st, fn, 'sk_dgemm', []);
      }
    };
    layer(F.b1, pX, pW);
    // row permutation: X(i, :) = W(perm[i], :)
    const heap = new Float64Array(rt().memory.buffer), x0 = pX / 8, w0 = pW / 8, perm = F.perm;
    for (let j = 0; j < c; j++) {
      const xo = x0 + j * N, wo = w0 + j * N;
      for (let i = 0; i < N; i++) heap[xo + i] = heap[wo + perm[i]];
    }
    layer(F.b2, pX, pW);
    new Float64Array(rt().memory.buffer).copyWithin(x0, w0, w0 + N * c);
  }

  /** E_c (N×c, first c columns of the identity) pushed through the factor: its first c columns. */
  function factorColumns(s, ex, fn, F, c) {
    const N = F.N;
    const pX = s.allocF64(N * c, 'the columns'), pW = s.allocF64(N * c, 'scratch'), pBlk = s.allocF64(BLOCK * BLOCK, 'a block');
    const x = f64(rt(), pX, N * c);
    x.fill(0);
    for (let j = 0; j < c; j++) x[j + j * N] = 1;
    applyFactor(s, ex, fn, F, pX, c, pW, pBlk);
    return readF64(rt(), pX, N * c);
  }

  function factors(s, ex, fn, m, n, seed) {
    const key = `${m}x${n}@${seed}`;
    if (factorCache && factorCache.key === key) return factorCache;
    const pRng = newRng(s, ex, fn, seed, STREAM.factors);
    const fu = makeFactor(s, ex, fn, m, pRng), fv = makeFactor(s, ex, fn, n, pRng);
    const r = Math.min(m, n);
    const Vr = factorColumns(s, ex, fn, fv, r); // n×r
    factorCache = { key, fu, fv, Vr, r, Ucols: new Map() };
    return factorCache;
  }

  /** Build A = U diag(σ) Vᵀ into wasm memory (pA, m×n). */
  function buildMatrix(s, ex, fn, F, m, n, sig) {
    const r = F.r;
    const pA = s.allocF64(m * n, `the ${m}×${n} matrix`), pW = s.allocF64(m * n, 'scratch'), pBlk = s.allocF64(BLOCK * BLOCK, 'a block');
    const A = f64(rt(), pA, m * n), Vr = F.Vr;
    A.fill(0);
    for (let j = 0; j < n; j++) { // S = diag(σ)·V_rᵀ in the first r rows
      const col = j * m;
      for (let i = 0; i < r; i++) A[col + i] = sig[i] * Vr[j + i * n];
    }
    applyFactor(s, ex, fn, F.fu, pA, n, pW, pBlk);
    return pA;
  }

  function truthColumns(s, ex, fn, F, side, k) {
    if (side === 'right') return F.Vr.subarray(0, F.fv.N * k);
    const c = F.Ucols.get(k);
    if (c) return c;
    const U = factorColumns(s, ex, fn, F.fu, k);
    F.Ucols.clear();
    F.Ucols.set(k, U);
    return U;
  }

  function experimentArgs(o, fn, allowed) {
    const opts = options(o, fn, allowed);
    const m = intArg(opts.m, 'm', fn, { min: 2, max: 4096 }), n = intArg(opts.n, 'n', fn, { min: 2, max: 4096 });
    const r = Math.min(m, n);
    const sig = spectrumArg(opts.spectrum, 'spectrum', fn, r);
    if (sig.length !== r) throw new SketchlabError('ESHAPE', `${fn}: spectrum must have min(m, n) = ${r} values, got ${sig.length}`, { fn });
    const k = opts.k, l = opts.l, q = opts.q;
    sketchDims(k, l, q, r, fn, { kName: 'k' });
    if (k >= r) throw new SketchlabError('ERANK', `${fn}: k = ${k} must be < min(m, n) = ${r}`, { fn });
    return { opts, m, n, r, sig, k, l, q, norm: normalizerArg(opts.normalizer, fn), side: sideArg(opts.side, fn), seed: seedArg(opts.seed, fn) };
  }

  /**
   * The demo page's whole computation in one worker call: build A = U diag(σ) Vᵀ (known
   * U, V; cached per (m, n, seed)), sketch it, compute the true sines of the chosen
   * side and every bound and estimate. Timings in `ms`.
   * @param {object} o { m, n, seed, spectrum (r values), k, l, q, normalizer, side,
   *   sigma: 'spectrum' | 'sketch', trials = 4, posterior = true }
   */
  function angleExperiment(o) {
    const fn = 'angleExperiment', ex = need(fn);
    const { opts, m, n, r, sig, k, l, q, norm, side, seed } =
      experimentArgs(o, fn, ['m', 'n', 'seed', 'spectrum', 'k', 'l', 'q', 'normalizer', 'side', 'sigma', 'trials', 'posterior']);
    const sigmaSrc = opts.sigma === undefined ? 'spectrum' : opts.sigma;
    if (!['spectrum', 'sketch'].includes(sigmaSrc)) throw new SketchlabError('EINVAL', `${fn}: sigma must be 'spectrum' or 'sketch'`, { fn });
    const trials = opts.trials === undefined ? MC_TRIALS : intArg(opts.trials, 'trials', fn, { min: 0, max: 1000 });
    const wantPost = opts.posterior === undefined ? true : boolOpt(opts.posterior, 'posterior', fn);
    const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
    const ms = {};
    let t0 = now();
    return withScope(rt(), fn, (s) => {
      const cached = factorCache && factorCache.key === `${m}x${n}@${seed}`;
      const F = factors(s, ex, fn, m, n, seed);
      ms.factors = now() - t0; t0 = now();
      const pA = buildMatrix(s, ex, fn, F, m, n, sig);
      ms.build = now() - t0; t0 = now();
      const p = runRsvd(s, ex, fn, pA, m, n, k, l, q, norm, seed);
      const applications = readStats(p.pSt);
      ms.rsvd = now() - t0; t0 = now();
      const truth = truthColumns(s, ex, fn, F, side, k);
      const dim = side === 'left' ? m : n;
      const pT = s.copyIn(truth, 'the true singular vectors'), pSin = s.allocF64(k, 'the sines');
      const st = ex.sk_canonical_sines(dim, k, pT, dim, l, side === 'left' ? p.pX : p.pY, dim, pSin, 0);
      if (st) throw cError(st, fn, 'sk_canonical_sines', ['m', 'k', 'Uk', 'ldu', 'l', 'X', 'ldx', 'sines', 'theta']);
      const sines = readF64(rt(), pSin, k);
      ms.sines = now() - t0; t0 = now();
      const sHat = readF64(rt(), p.pS, l);
      const t = side === 'left' ? 2 * q + 1 : 2 * q + 2;
      let sigB = sig;
      if (sigmaSrc === 'sketch') {
        sigB = new Float64Array(r);
        sigB.set(sHat);
        sigB.fill(sHat[l - 1], l);
      }
      const pm = priorAndMc(s, ex, fn, sigB, k, l, t, 1.0, trials, seed);
      ms.prior = now() - t0; t0 = now();
      let post = { residual: null, subresidual: null };
      if (wantPost) {
        const sigPost = (sigmaSrc === 'spectrum' ? sig : sHat).slice(0, k);
        post = posterior(s, ex, fn, pA, m, n, k, l, p.pU, p.pS, p.pV, sigPost, l > k ? sHat[k] : 0, side, RESID_BLOCK, RESID_ITS, seed);
      }
      ms.posterior = now() - t0;
      ms.total = Object.values(ms).reduce((x, y) => x + y, 0);
      return {
        m, n, k, l, q, t, side, normalizer: norm, sigma: sigmaSrc, factorsCached: cached,
        sines, spectrum: Float64Array.from(sig), sHat, applications, ...pm, ...post, ms,
      };
    });
  }

  /**
   * One measured point of the budget planner: sketch the same test matrix as
   * angleExperiment with (l, q) and return the true sines of the chosen side.
   * @param {object} o { m, n, seed, spectrum, k, l, q, normalizer, side }
   */
  function budgetExperiment(o) {
    const fn = 'budgetExperiment', ex = need('angleExperiment');
    const { m, n, sig, k, l, q, norm, side, seed } =
      experimentArgs(o, fn, ['m', 'n', 'seed', 'spectrum', 'k', 'l', 'q', 'normalizer', 'side']);
    const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    return withScope(rt(), fn, (s) => {
      const F = factors(s, ex, fn, m, n, seed);
      const pA = buildMatrix(s, ex, fn, F, m, n, sig);
      const p = runRsvd(s, ex, fn, pA, m, n, k, l, q, norm, seed);
      const truth = truthColumns(s, ex, fn, F, side, k);
      const dim = side === 'left' ? m : n;
      const pT = s.copyIn(truth, 'the true singular vectors'), pSin = s.allocF64(k, 'the sines');
      const st = ex.sk_canonical_sines(dim, k, pT, dim, l, side === 'left' ? p.pX : p.pY, dim, pSin, 0);
      if (st) throw cError(st, fn, 'sk_canonical_sines', ['m', 'k', 'Uk', 'ldu', 'l', 'X', 'ldx', 'sines', 'theta']);
      const sines = readF64(rt(), pSin, k);
      return { l, q, sines, maxSine: sines[k - 1], applications: readStats(p.pSt), ms: (typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0 };
    });
  }

  return { rsvd, canonicalAngles, exactAngles, angleBounds, planBudget, angleExperiment, budgetExperiment };
}
