// regression.js — softmax regression by exact and approximate Newton methods
// (c/include/sketchlab/regression.h; specs/softmax_regression.md, cited §x).
//
//   const P = softmaxProblem('T2', { n: 4000, d: 20, seed: 2 });        // T1–T4-like problem
//   const r = softmaxRegression(P.A, P.b, P.w, { method: 'sampled', seed: 1, x0: P.x0 });
//   r.x, r.iterations, r.reason, r.history[t].loss / .gradNorm / .decrement / .rows
//
//   using s = softmaxSolver(P.A, P.b, P.w, { method: 'newton', safeguard: true });
//   s.step();  s.state();  s.sample();  s.dispose();                    // step by step
//
// Same rules as index.js: validate in JS first (messages say what to change),
// copy in, call C, copy out, free in `finally`. The step-wise solver is the one
// object here that keeps wasm memory between calls (the C handle and its RNG
// state): free it with dispose() (or `using`); a FinalizationRegistry frees a
// forgotten one, and any call after dispose() throws EDISPOSED.

import { SketchlabError, statusError } from './errors.js';
import { withScope, readF64, f64 } from './memory.js';
import { handleClass } from './handle.js';
import { asMatrix, makeMatrix, numberList } from './matrix.js';
import { describe } from './validate.js';

export const METHODS = Object.freeze({ newton: 0, sampled: 1, frozen: 2, gd: 3 });
export const LEVERAGE = Object.freeze({ exact: 0, sketch: 1, uniform: 2 });
const FLAG = Object.freeze({ safeguard: 1, noRank2: 2, printedSign: 4, eigRange: 8, stopGrad: 16, levOnce: 32 });
/** Why an iteration stopped (the C enum, by index). */
export const REASONS = Object.freeze(['running', 'converged', 'maxIter', 'nonDescent', 'dNotPositive', 'diverged']);
const PROBLEMS = Object.freeze({ T1: 1, T2: 2, T3: 3, T4: 4 });
const PROBLEM_SIZES = Object.freeze({ T1: [4000, 20], T2: [4000, 20], T3: [8, 3], T4: [200, 10] });

const OPTS_BYTES = 56;  // sk_regression_opts_t: method 0, leverage 4, flags 8, max_iter 12, tol 16, eps 24, delta 32, eta 40, oversample 48
const RECORD_DOUBLES = 8; // sk_regression_record_t
const RNG_BYTES = 24;

export const REGRESSION_REQUIRES = Object.freeze({
  softmaxRegression: ['sk_regression_init', 'sk_regression_step', 'sk_regression_get', 'sk_regression_finish', 'sk_rng_init',
    'sk_regression_regime'],
  softmaxSolver: ['sk_regression_init', 'sk_regression_step', 'sk_regression_get', 'sk_regression_sample',
    'sk_regression_finish', 'sk_rng_init'],
  softmaxProblem: ['sk_regression_problem', 'sk_rng_init'],
  softmaxEval: ['sk_regression_eval'],
  softmaxFiniteDifferences: ['sk_regression_eval'],
  softmaxLeverage: ['sk_regression_leverage', 'sk_rng_init'],
  softmaxRegime: ['sk_regression_regime'],
});

const SOLVER_OPTIONS = ['method', 'safeguard', 'eps', 'delta', 'seed', 'maxIter', 'tol', 'leverage', 'rankTwo', 'x0',
  'stopOn', 'eta', 'oversample', 'eigRange', 'printedSign', 'leverageOnce'];


function record(rec, seconds) {
  return {
    loss: rec[0], gradNorm: rec[1], decrement: rec[2], rows: rec[3],
    eigMin: rec[4], eigMax: rec[5], step: rec[6], shift: rec[7], seconds,
  };
}

/**
 * Bind the regression API to one runtime. Called once by index.js.
 * @param {object} h { runtime, need, seedArg, rngInit, options, boolOpt, REQUIRES }
 */
export function createRegression(h) {
  const { runtime, need, seedArg, rngInit, options, boolOpt } = h;
  Object.assign(h.REQUIRES, REGRESSION_REQUIRES);
  const rt = () => runtime();
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

  // ------------------------------------------------------------ validation
  function vector(v, name, len, fn, what) {
    const x = numberList(v, name, fn);
    if (!x) throw new SketchlabError('EINVAL', `${fn}: ${name} must be a Float64Array or number[] of length ${len} (${what}), got ${describe(v)}`, { fn });
    if (x.length !== len) {
      throw new SketchlabError('ESHAPE', `${fn}: ${name} has length ${x.length} but must have ${len} entries (${what} of A)`, { fn });
    }
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        throw new SketchlabError('ENONFINITE', `${fn}: ${name}[${i}] is ${x[i]}; ${name} must contain finite numbers only`, { fn });
      }
    }
    return x;
  }
  function problemArgs(A, b, w, fn) {
    const a = asMatrix(A, 'A', fn);
    return { a, b: vector(b, 'b', a.rows, fn, 'one per row'), w: vector(w, 'w', a.rows, fn, 'one per row') };
  }
  function numOpt(v, name, fn, dflt, test, what) {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || !test(v)) {
      throw new SketchlabError('EINVAL', `${fn}: option ${name} must be ${what}, got ${describe(v)}`, { fn });
    }
    return v;
  }
  function choice(v, name, fn, table, dflt) {
    const k = v === undefined ? dflt : v;
    if (typeof k !== 'string' || !Object.hasOwn(table, k)) {
      throw new SketchlabError('EINVAL', `${fn}: option ${name} must be one of ${Object.keys(table).map((t) => `'${t}'`).join(', ')}, got ${describe(v)}`, { fn });
    }
    return k;
  }

  /** Parse the solver options into the C struct fields. */
  function solverOptions(opts, fn, n, d) {
    const o = options(opts, fn, SOLVER_OPTIONS);
    const method = choice(o.method, 'method', fn, METHODS, 'newton');
    const leverage = choice(o.leverage, 'leverage', fn, LEVERAGE, 'exact');
    const stopOn = choice(o.stopOn, 'stopOn', fn, { decrement: 0, gradient: 1 }, 'decrement');
    if (method !== 'gd' && n < d) {
      throw new SketchlabError('ESHAPE', `${fn}: A is ${n}×${d} with fewer rows than columns; method '${method}' needs n >= d ` +
        "(AᵀDA must be able to have full rank): add rows, drop columns, or use method 'gd'", { fn });
    }
    const eps = numOpt(o.eps, 'eps', fn, 0.5, (x) => x > 0 && x < 1, 'in (0, 1) (the SUBSAMPLE accuracy ε, e.g. 0.5)');
    const delta = numOpt(o.delta, 'delta', fn, 0.01, (x) => x > 0 && x < 1, 'in (0, 1) (the failure probability δ, e.g. 0.01)');
    const maxIter = numOpt(o.maxIter, 'maxIter', fn, 50, (x) => Number.isInteger(x) && x >= 0 && x <= 1e7,
      'an integer from 0 to 1e7 (the iteration cap)');
    const tol = numOpt(o.tol, 'tol', fn, 1e-10, (x) => x >= 0, 'a finite number >= 0 (0 runs to maxIter)');
    const eta = numOpt(o.eta, 'eta', fn, 0, (x) => x > 0, "a finite step > 0 for 'gd' (leave it out for 1/λ_max(H(x0)))");
    const oversample = numOpt(o.oversample, 'oversample', fn, 1, (x) => x > 0 && x <= 1e6, 'a number in (0, 1e6] (the C in s = C·d·ln(d/δ)/ε²)');
    let flags = 0;
    if (boolOpt(o.safeguard, 'safeguard', fn)) flags |= FLAG.safeguard;
    if (o.rankTwo !== undefined && !boolOpt(o.rankTwo, 'rankTwo', fn)) flags |= FLAG.noRank2;
    if (boolOpt(o.printedSign, 'printedSign', fn)) flags |= FLAG.printedSign;
    if (boolOpt(o.eigRange, 'eigRange', fn)) flags |= FLAG.eigRange;
    if (boolOpt(o.leverageOnce, 'leverageOnce', fn)) flags |= FLAG.levOnce;
    if (stopOn === 'gradient') flags |= FLAG.stopGrad;
    if (method === 'sampled') {
      // s = ceil(C d ln(d/δ)/ε²) must fit (sk_regression_draws caps it at 2^30)
      const s = Math.ceil(oversample * d * Math.log(d / delta) / (eps * eps));
      if (!(s <= 2 ** 30)) {
        throw new SketchlabError('EINVAL', `${fn}: ${s} draws (C·d·ln(d/δ)/ε²) is too many; raise eps or delta, or lower oversample`, { fn });
      }
    }
    const x0 = o.x0 === undefined ? new Float64Array(d) : vector(o.x0, 'x0', d, fn, 'one per column');
    return { method, leverage, flags, maxIter, tol, eps, delta, eta, oversample, x0, seed: seedArg(o.seed, fn) };
  }

  function writeOpts(p, c) {
    const dv = new DataView(rt().memory.buffer, p, OPTS_BYTES);
    dv.setInt32(0, METHODS[c.method], true);
    dv.setInt32(4, LEVERAGE[c.leverage], true);
    dv.setInt32(8, c.flags, true);
    dv.setInt32(12, c.maxIter, true);
    dv.setFloat64(16, c.tol, true);
    dv.setFloat64(24, c.eps, true);
    dv.setFloat64(32, c.delta, true);
    dv.setFloat64(40, c.eta, true);
    dv.setFloat64(48, c.oversample, true);
  }

  /** SK_EINVAL of init/eval: finite inputs whose loss or derivatives are beyond the double range. */
  const RANGE_ADVICE = (x) => `the loss, gradient or Hessian at ${x} is beyond the double range (about 1.8e308; ` +
    `the loss grows like ‖w∘A·${x}‖², the gradient like |A|²·|${x}|, the Hessian like |A|²): scale A (or ${x}) down`;
  const INIT_NAMES = ['n', 'd', 'A', 'lda', 'b', 'w', 'x0', 'opts', 'handle'];
  function initError(st, fn, c) {
    if (st === 2) {
      return statusError(st, fn, 'sk_regression_init', INIT_NAMES, c.method === 'frozen'
        ? 'the frozen Hessian AᵀW²A is not positive definite: A is rank deficient (equal, zero or nearly dependent columns) or w is zero (or tiny) on rows that A needs; drop dependent columns, use larger weights, or another method'
        : 'the Hessian at x0 has no positive eigenvalue, so 1/λ_max is undefined; pass eta explicitly');
    }
    return statusError(st, fn, 'sk_regression_init', INIT_NAMES,
      st === 5 ? 'A, b, w or x0 contains NaN or Infinity' : st === 7 ? RANGE_ADVICE('x0') : undefined);
  }
  function stepError(st, fn) {
    return statusError(st, fn, 'sk_regression_step', ['h', 'rng', 'rec'],
      st === 2 ? 'the approximate Hessian could not be factored even after shifting (it is not finite); ' +
        'check the input scaling, or use safeguard: true' :
        st === 3 ? 'the leverage scores failed: √D·A (or its sketch) is rank deficient; use leverage: \'exact\' or \'uniform\'' : undefined);
  }

  /** Create the C handle + RNG in wasm memory (not scoped: the caller frees). */
  function createNative(ex, fn, a, b, w, c) {
    const r = rt();
    const alloc = (bytes) => {
      const p = ex.malloc(Math.max(8, bytes)) >>> 0;
      if (!p) throw new SketchlabError('ENOMEM', `${fn}: out of wasm memory for the solver state; use a smaller problem`, { fn, status: 1 });
      return p;
    };
    const pRng = alloc(RNG_BYTES);
    r.stats.live++;
    let pH = 0;
    try {
      const st0 = rngInit(ex, pRng, c.seed, 0);
      if (st0) throw statusError(st0, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      pH = withScope(r, fn, (s) => {
        const n = a.rows, d = a.cols;
        const pA = s.copyIn(a.data, `the ${n}×${d} matrix A`), pb = s.copyIn(b, 'b'), pw = s.copyIn(w, 'w');
        const px = s.copyIn(c.x0, 'x0'), pO = s.alloc(OPTS_BYTES, 'the options'), pHp = s.alloc(4, 'the handle');
        writeOpts(pO, c);
        const st = ex.sk_regression_init(n, d, pA, n, pb, pw, px, pO, pHp);
        if (st) throw initError(st, fn, c);
        return new Uint32Array(rt().memory.buffer, pHp, 1)[0];
      });
    } catch (e) {
      ex.free(pRng);
      r.stats.live--;
      throw e;
    }
    return { pH, pRng };
  }
  function destroyNative(ex, nat) {
    ex.sk_regression_finish(nat.pH);
    ex.free(nat.pRng);
    const r = rt();
    if (r) r.stats.live--;
  }
  /** One step; returns the record (Float64Array(8)). */
  function stepNative(ex, fn, nat, d, withX) {
    return withScope(rt(), fn, (s) => {
      const pRec = s.allocF64(RECORD_DOUBLES, 'the record'), pX = s.allocF64(d, 'x'), pI = s.alloc(8, 'the counters');
      const t0 = now();
      const st = ex.sk_regression_step(nat.pH, nat.pRng, pRec);
      const seconds = (now() - t0) / 1000;
      if (st) throw stepError(st, fn);
      ex.sk_regression_get(nat.pH, pX, 0, pI, pI + 4);
      const ints = new Int32Array(rt().memory.buffer, pI, 2);
      return { rec: readF64(rt(), pRec, RECORD_DOUBLES), x: withX ? readF64(rt(), pX, d) : null, iteration: ints[0], reason: ints[1], seconds };
    });
  }
  /** The last SUBSAMPLE: probabilities p, D̃ and the sampled rows. */
  function sampleNative(ex, fn, nat, n) {
    return withScope(rt(), fn, (s) => {
      const pP = s.allocF64(n, 'p'), pD = s.allocF64(n, 'dtilde');
      ex.sk_regression_sample(nat.pH, pP, pD);
      const p = readF64(rt(), pP, n), dtilde = readF64(rt(), pD, n);
      const idx = [];
      for (let i = 0; i < n; i++) if (dtilde[i] > 0) idx.push(i);
      return { p, dtilde, sampled: Int32Array.from(idx) };
    });
  }
  function getNative(ex, fn, nat, d) {
    return withScope(rt(), fn, (s) => {
      const pRec = s.allocF64(RECORD_DOUBLES, 'the record'), pX = s.allocF64(d, 'x'), pI = s.alloc(8, 'the counters');
      ex.sk_regression_get(nat.pH, pX, pRec, pI, pI + 4);
      const ints = new Int32Array(rt().memory.buffer, pI, 2);
      return { rec: readF64(rt(), pRec, RECORD_DOUBLES), x: readF64(rt(), pX, d), iteration: ints[0], reason: ints[1] };
    });
  }

  // ------------------------------------------------------------ one-shot
  /**
   * Minimize L(x) = ½‖softmax(Ax) − b‖² + ½‖diag(w)Ax‖² (spec §2).
   * @param {MatrixLike} A n×d
   * @param {Float64Array|number[]} b n entries; w n entries
   * @param {object} [opts] { method = 'newton', safeguard = false, eps = 0.5, delta = 0.01, seed = 0,
   *   maxIter = 50, tol = 1e-10, leverage = 'exact', rankTwo = true, x0 = 0, stopOn = 'decrement', eta,
   *   oversample = 1, eigRange = false, printedSign = false, leverageOnce = false,
   *   iterates = false (history[t].x), samples = false (history[t].p/.dtilde/.sampled for 'sampled'), regime = false }
   * @returns {{x: Float64Array, iterations: number, reason: string, history: object[], regime: object|null}}
   */
  function softmaxRegression(A, b, w, opts) {
    const fn = 'softmaxRegression', ex = need(fn);
    let iterates = false, regimeWanted = false, samples = false;
    if (opts && typeof opts === 'object' && !Array.isArray(opts)) {
      const { iterates: it, regime, samples: sm, ...rest } = opts;
      iterates = boolOpt(it, 'iterates', fn);
      regimeWanted = boolOpt(regime, 'regime', fn);
      samples = boolOpt(sm, 'samples', fn);
      opts = rest;
    }
    const p = problemArgs(A, b, w, fn);
    const c = solverOptions(opts, fn, p.a.rows, p.a.cols);
    const d = p.a.cols;
    const nat = createNative(ex, fn, p.a, p.b, p.w, c);
    try {
      const g0 = getNative(ex, fn, nat, d);
      const history = [record(g0.rec, 0)];
      if (iterates) history[0].x = g0.x;
      let reason = g0.reason, iterations = 0, seconds = 0;
      while (reason === 0) {
        const r = stepNative(ex, fn, nat, d, iterates);
        reason = r.reason;
        if (r.iteration > iterations) {
          iterations = r.iteration;
          seconds += r.seconds;
          const h = record(r.rec, seconds);
          if (iterates) h.x = r.x;
          if (samples && c.method === 'sampled') Object.assign(h, sampleNative(ex, fn, nat, p.a.rows));
          history.push(h);
        }
      }
      const g = getNative(ex, fn, nat, d);
      const out = { x: g.x, iterations, reason: REASONS[reason], history, regime: null };
      if (regimeWanted) out.regime = softmaxRegime(A, b, w);
      return out;
    } finally {
      destroyNative(ex, nat);
    }
  }

  // ------------------------------------------------------------ step-wise
  // dispose(), the FinalizationRegistry net, EDISPOSED (also after reset()): handle.js
  const WasmHandle = handleClass(rt);

  class SoftmaxSolver extends WasmHandle {
    #ex; #nat; #d; #n; #fn = 'softmaxSolver'; #method;
    constructor(ex, nat, n, d, method) {
      super((exports) => destroyNative(exports, nat));
      this.#ex = ex; this.#nat = nat; this.#n = n; this.#d = d; this.#method = method;
    }
    #live(what) {
      this._assertLive(`softmaxSolver.${what}`, 'solver', 'create a new one with softmaxSolver(A, b, w, opts)');
      return this.#nat;
    }
    /** The method name ('newton', ...). */
    get method() { return this.#method; }
    /** One iteration: { iteration, reason, x, record }. After a stop, returns the same state. */
    step() {
      const nat = this.#live('step');
      const r = stepNative(this.#ex, this.#fn, nat, this.#d, true);
      return { iteration: r.iteration, reason: REASONS[r.reason], x: r.x, record: record(r.rec, r.seconds) };
    }
    /** The current state: { iteration, reason, x, record } (record of the latest iteration). */
    state() {
      const nat = this.#live('state');
      const g = getNative(this.#ex, this.#fn, nat, this.#d);
      return { iteration: g.iteration, reason: REASONS[g.reason], x: g.x, record: record(g.rec, 0) };
    }
    /** The last sampling step ('sampled' only): { p, dtilde, rows: Int32Array of the sampled row indices }. */
    sample() {
      const nat = this.#live('sample');
      const { p, dtilde, sampled } = sampleNative(this.#ex, this.#fn, nat, this.#n);
      return { p, dtilde, rows: sampled };
    }
  }

  /**
   * A step-wise solver (same options as softmaxRegression). Holds wasm memory
   * until dispose().
   */
  function softmaxSolver(A, b, w, opts) {
    const fn = 'softmaxSolver', ex = need(fn);
    const p = problemArgs(A, b, w, fn);
    const c = solverOptions(opts, fn, p.a.rows, p.a.cols);
    const nat = createNative(ex, fn, p.a, p.b, p.w, c);
    return new SoftmaxSolver(ex, nat, p.a.rows, p.a.cols, c.method);
  }

  // ------------------------------------------------------------ helpers
  /**
   * A test problem by the recipe of spec §10 ('T1'..'T4'), from our RNG.
   * @param {'T1'|'T2'|'T3'|'T4'} name
   * @param {object} [opts] { n, d, seed = 0, param } (param: T2 coherence (300), T3 w² (1.5), T4 w (0.01))
   * @returns {{A, b: Float64Array, w: Float64Array, x0: Float64Array}}
   */
  function softmaxProblem(name, opts) {
    const fn = 'softmaxProblem', ex = need(fn);
    if (typeof name !== 'string' || !Object.hasOwn(PROBLEMS, name)) {
      throw new SketchlabError('EINVAL', `${fn}: name must be 'T1', 'T2', 'T3' or 'T4' (spec §10), got ${describe(name)}`, { fn });
    }
    const o = options(opts, fn, ['n', 'd', 'seed', 'param']);
    const [n0, d0] = PROBLEM_SIZES[name];
    const d = numOpt(o.d, 'd', fn, d0, (x) => Number.isInteger(x) && x >= 1 && x <= 4096, 'an integer from 1 to 4096');
    const nmin = name === 'T4' ? 1 : d;
    const n = numOpt(o.n, 'n', fn, Math.max(n0, nmin), (x) => Number.isInteger(x) && x >= nmin && x <= 1e7,
      `an integer from ${nmin} to 1e7${name === 'T4' ? '' : ' (n >= d)'}`);
    const param = numOpt(o.param, 'param', fn, 0, () => true, 'a finite number');
    const seed = seedArg(o.seed, fn);
    if (n * d > 2 ** 28) throw new SketchlabError('ENOMEM', `${fn}: ${n}×${d} is too large for wasm memory; use a smaller problem`, { fn });
    return withScope(rt(), fn, (s) => {
      const pRng = s.alloc(RNG_BYTES, 'the RNG state');
      let st = rngInit(ex, pRng, seed, 0);
      if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      const pA = s.allocF64(n * d, `the ${n}×${d} matrix A`), pb = s.allocF64(n, 'b'), pw = s.allocF64(n, 'w'), px = s.allocF64(d, 'x0');
      st = ex.sk_regression_problem(PROBLEMS[name], n, d, param, pRng, pA, n, pb, pw, px);
      if (st) throw statusError(st, fn, 'sk_regression_problem', ['kind', 'n', 'd', 'param', 'rng', 'A', 'lda', 'b', 'w', 'x0']);
      return { A: makeMatrix(n, d, readF64(rt(), pA, n * d)), b: readF64(rt(), pb, n), w: readF64(rt(), pw, n), x0: readF64(rt(), px, d) };
    });
  }

  /** Loss, gradient and (with { hessian: true }) the exact Hessian at x (spec §3–§4). */
  function softmaxEval(A, b, w, x, opts) {
    const fn = 'softmaxEval', ex = need(fn);
    const o = options(opts, fn, ['hessian']);
    const hess = boolOpt(o.hessian, 'hessian', fn);
    const p = problemArgs(A, b, w, fn);
    const n = p.a.rows, d = p.a.cols;
    const xv = vector(x, 'x', d, fn, 'one per column');
    return withScope(rt(), fn, (s) => {
      const pA = s.copyIn(p.a.data, 'A'), pb = s.copyIn(p.b, 'b'), pw = s.copyIn(p.w, 'w'), px = s.copyIn(xv, 'x');
      const pL = s.allocF64(1, 'the loss'), pg = s.allocF64(d, 'the gradient'), pH = hess ? s.allocF64(d * d, 'the Hessian') : 0;
      const st = ex.sk_regression_eval(n, d, pA, n, pb, pw, px, pL, pg, pH, d);
      if (st) throw statusError(st, fn, 'sk_regression_eval', ['n', 'd', 'A', 'lda', 'b', 'w', 'x', 'loss', 'g', 'H', 'ldh'],
        st === 7 ? RANGE_ADVICE('x') : undefined);
      return { loss: f64(rt(), pL, 1)[0], gradient: readF64(rt(), pg, d), hessian: hess ? makeMatrix(d, d, readF64(rt(), pH, d * d)) : null };
    });
  }

  /**
   * The derivative check of spec §11–§12 in one call: loss, gradient and Hessian at x, and their
   * central differences with step h (default 1e-5): gradientFD_j = (L(x+h·e_j) − L(x−h·e_j))/2h,
   * column j of hessianFD = (∇L(x+h·e_j) − ∇L(x−h·e_j))/2h (not symmetrized). A, b, w are copied in
   * once and the 2d+1 evaluations run in one scope, so a page's check is one worker round trip.
   */
  function softmaxFiniteDifferences(A, b, w, x, opts) {
    const fn = 'softmaxFiniteDifferences', ex = need(fn);
    const o = options(opts, fn, ['h']);
    const h = numOpt(o.h, 'h', fn, 1e-5, (v) => v > 0, 'a finite number > 0 (the difference step)');
    const p = problemArgs(A, b, w, fn);
    const n = p.a.rows, d = p.a.cols;
    const xv = vector(x, 'x', d, fn, 'one per column');
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(xv[j] + h) || !Number.isFinite(xv[j] - h)) {
        throw new SketchlabError('EINVAL', `${fn}: x[${j}] ± h is not finite (x[${j}] = ${xv[j]}, h = ${h}); use a smaller h`, { fn });
      }
    }
    const names = ['n', 'd', 'A', 'lda', 'b', 'w', 'x', 'loss', 'g', 'H', 'ldh'];
    return withScope(rt(), fn, (s) => {
      const pA = s.copyIn(p.a.data, 'A'), pb = s.copyIn(p.b, 'b'), pw = s.copyIn(p.w, 'w'), px = s.copyIn(xv, 'x');
      const pL = s.allocF64(1, 'the loss'), pg = s.allocF64(d, 'the gradient'), pH = s.allocF64(d * d, 'the Hessian');
      const eval1 = (at, hess) => {
        const st = ex.sk_regression_eval(n, d, pA, n, pb, pw, px, pL, pg, hess ? pH : 0, d);
        if (st) throw statusError(st, fn, 'sk_regression_eval', names, st === 7 ? RANGE_ADVICE(at) : undefined);
        return f64(rt(), pL, 1)[0];
      };
      const loss = eval1('x', true);
      const gradient = readF64(rt(), pg, d), hessian = makeMatrix(d, d, readF64(rt(), pH, d * d));
      const gradientFD = new Float64Array(d), hessianFD = new Float64Array(d * d);
      const gPlus = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        // views are made afresh after each call: the C code may grow the memory
        f64(rt(), px, d).set(xv); f64(rt(), px, d)[j] = xv[j] + h;
        const lp = eval1(`x + h·e_${j}`, false);
        gPlus.set(f64(rt(), pg, d));
        f64(rt(), px, d)[j] = xv[j] - h;
        const lm = eval1(`x − h·e_${j}`, false);
        const gm = f64(rt(), pg, d);
        gradientFD[j] = (lp - lm) / (2 * h);
        for (let i = 0; i < d; i++) hessianFD[i + j * d] = (gPlus[i] - gm[i]) / (2 * h);
      }
      return { loss, gradient, hessian, gradientFD, hessianFD: makeMatrix(d, d, hessianFD) };
    });
  }

  /** Leverage scores of diag(√D)·A (D optional, >= 0): { kind = 'exact' | 'sketch' | 'uniform', D, seed }. */
  function softmaxLeverage(A, opts) {
    const fn = 'softmaxLeverage', ex = need(fn);
    const o = options(opts, fn, ['kind', 'D', 'seed']);
    const kind = choice(o.kind, 'kind', fn, LEVERAGE, 'exact');
    const a = asMatrix(A, 'A', fn);
    const n = a.rows, d = a.cols;
    if (n < d) throw new SketchlabError('ESHAPE', `${fn}: A is ${n}×${d}; leverage scores need n >= d (more rows than columns)`, { fn });
    const D = o.D === undefined ? null : vector(o.D, 'D', n, fn, 'one per row');
    if (D) for (let i = 0; i < n; i++) if (D[i] < 0) throw new SketchlabError('EINVAL', `${fn}: D[${i}] = ${D[i]} is negative; D must be >= 0 (it scales rows by √D)`, { fn });
    const seed = seedArg(o.seed, fn);
    return withScope(rt(), fn, (s) => {
      const pA = s.copyIn(a.data, 'A'), pD = D ? s.copyIn(D, 'D') : 0, pS = s.allocF64(n, 'the scores');
      const pRng = s.alloc(RNG_BYTES, 'the RNG state');
      let st = rngInit(ex, pRng, seed, 0);
      if (st) throw statusError(st, fn, 'sk_rng_init', ['rng', 'seed', 'stream']);
      st = ex.sk_regression_leverage(LEVERAGE[kind], n, d, pA, n, pD, pRng, pS);
      if (st) throw statusError(st, fn, 'sk_regression_leverage', ['kind', 'n', 'd', 'A', 'lda', 'D', 'rng', 'sigma'],
        st === 3 ? 'diag(√D)·A is rank deficient (a zero in R\'s diagonal): make D positive on enough rows' : undefined);
      return readF64(rt(), pS, n);
    });
  }

  /** The theorem-regime check of spec §5/§9: { sigmaMin, normA, minW2, lMax, b1, holds }. */
  function softmaxRegime(A, b, w) {
    const fn = 'softmaxRegime', ex = need(fn);
    const p = problemArgs(A, b, w, fn);
    const n = p.a.rows, d = p.a.cols;
    if (n < d) throw new SketchlabError('ESHAPE', `${fn}: A is ${n}×${d}; the check needs n >= d (σ_min(A) > 0 requires rank d)`, { fn });
    return withScope(rt(), fn, (s) => {
      const pA = s.copyIn(p.a.data, 'A'), pb = s.copyIn(p.b, 'b'), pw = s.copyIn(p.w, 'w'), pI = s.allocF64(6, 'info');
      const st = ex.sk_regression_regime(n, d, pA, n, pb, pw, pI);
      if (st) throw statusError(st, fn, 'sk_regression_regime', ['n', 'd', 'A', 'lda', 'b', 'w', 'info']);
      const v = f64(rt(), pI, 6);
      return { sigmaMin: v[0], normA: v[1], minW2: v[2], lMax: v[3], b1: v[4], holds: v[5] === 1 };
    });
  }

  return { softmaxRegression, softmaxSolver, softmaxProblem, softmaxEval, softmaxFiniteDifferences, softmaxLeverage, softmaxRegime };
}
