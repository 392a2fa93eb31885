// fuzz.test.mjs — every exported function with adversarial arguments (issue 9 part 5).
//
// A fixed-seed generator builds calls from a pool of good arguments (small random
// matrices, valid options) mutated with bad ones: wrong types, BigInt, Symbol,
// null-prototype objects, prototype names ('constructor', '__proto__', ...),
// NaN/±Infinity entries, empty/ragged/mismatched shapes, and sizes too large for
// wasm32 (rejected as ENOMEM before anything is allocated). Each call must either
// return a sane result (matrices shaped rows·cols and finite, no NaN anywhere)
// or throw a SketchlabError with a code and a message; after every call the JS
// layer holds no wasm blocks, and at the end the heap probe is back to baseline
// and the module still computes correctly.
//
// "Good" matrices are finite but numerically hard: Gaussian at any scale from
// the smallest normals to near Number.MAX_VALUE, exactly low rank (so ranks
// above the numerical rank are asked for), graded, or tiny entries with one
// large one; symmetric inputs are sometimes graded; kernel bandwidths go down
// to subnormal. Every function gets every scale (MODERATE, below, is empty).
// Huge sizes stop at ones whose product is above 4 GB or 2^31 entries, so the
// fuzzer never makes the machine actually hand out gigabytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as sk from '../../wasm/index.js';

const CALLS = Number(process.env.FUZZ_CALLS ?? 6000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed9);

/** mulberry32: a small fixed-seed PRNG (the test must not depend on Math.random). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = prng(SEED);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;

function gaussian() {
  const u = 1 - rnd(), v = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
const SCALES = [1, 1, 1, 1e-8, 1e8, 1e-160, 1e160, 1e-300, 1e300, 2 ** -1000, 1e307];
// Functions whose extreme-scale findings are still open get moderate scales
// (see EXTREME below): set by the main loop for each call.
let moderate = false;
function goodMatrix(m = int(1, 7), n = int(1, 7)) {
  const scale = moderate ? pick([1, 1, 1e-8, 1e8]) : pick(SCALES), shape = rnd();
  let data = Float64Array.from({ length: m * n }, gaussian);
  if (shape < 0.15) { // exactly rank r < min(m, n) (r = 0: the zero matrix)
    const r = int(0, Math.min(m, n) - 1), B = Float64Array.from({ length: m * r }, gaussian), C = Float64Array.from({ length: r * n }, gaussian);
    data = data.map((_, t) => { let s = 0; for (let k = 0; k < r; k++) s += B[t % m + k * m] * C[k + Math.floor(t / m) * r]; return s; });
  } else if (shape < 0.25) { // graded rows and columns: 2^(g·(i + j))
    const g = moderate ? int(-3, 3) : int(-40, 40);
    data = data.map((x, t) => x * 2 ** (g * (t % m + Math.floor(t / m))));
  }
  data = data.map((x) => x * scale);
  if (shape >= 0.25 && shape < 0.32 && !moderate) data[int(0, m * n - 1)] = pick([-8, 1e300, -Number.MAX_VALUE, Number.MAX_VALUE / 2]); // one large entry
  data = data.map((x) => (Number.isFinite(x) ? x : 0)); // (grading may overflow)
  return chance(0.3) ? toRowsArr(m, n, data) : { rows: m, cols: n, data };
}
function toRowsArr(m, n, d) {
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => d[i + j * m]));
}
/** A symmetric positive definite n×n matrix B·Bᵀ + n·I, sometimes graded D·S·D with D = diag(2^(g·i)). */
function spd(n = int(1, 7)) {
  const S = spdPlain(n);
  if (chance(0.25)) { const g = moderate ? int(-3, 3) : int(-60, 60); S.data = S.data.map((x, t) => x * 2 ** (g * (t % n + Math.floor(t / n)))); }
  return S;
}
function spdPlain(n) {
  const B = Float64Array.from({ length: n * n }, gaussian), d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += B[i + k * n] * B[j + k * n];
      d[i + j * n] = s;
    }
  }
  return { rows: n, cols: n, data: d };
}
/** Orthonormal m×k columns (the Q of a QR through the API itself). */
function orth(m, k) {
  return sk.qr({ rows: m, cols: k, data: Float64Array.from({ length: m * k }, gaussian) }).Q;
}
const spectrum = (r) => Float64Array.from({ length: r }, (_, i) => Math.exp(-i / 2));
/** A vector of d entries (Gaussian, or sometimes a plain array). */
const vec = (d, scale = pick([1, 1e-3, 10])) => (chance(0.2) ? Array.from({ length: d }, () => scale * gaussian()) : Float64Array.from({ length: d }, () => scale * gaussian()));
/** Sampler options (stream.d.ts SamplerOptions), small. */
const samplerSpec = () => ({ eps: () => pick([0.25, 0.5, 0.9]), buckets: () => int(1, 16), rows: () => int(1, 4), heavy: () => int(1, 3),
  repetitions: () => int(1, 3), thresholds: () => pick(['jst', 'paper', 'hasOwnProperty']), seed: () => int(0, 9) });
/** Serialized bytes of a fresh handle from make(), valid or damaged: a flipped byte, truncated, extended, random or empty. */
function wireBytes(make) {
  const h = make(), b = h.serialize();
  h.dispose();
  const kind = int(0, 5);
  if (kind === 1) b[int(0, b.length - 1)] ^= 1 << int(0, 7);
  if (kind === 2) return b.subarray(0, int(0, b.length - 1));
  if (kind === 3) { const c = new Uint8Array(b.length + int(1, 8)); c.set(b); return c; }
  if (kind === 4) return Uint8Array.from({ length: int(0, 64) }, () => int(0, 255));
  if (kind === 5 && chance(0.3)) return new Uint8Array(0);
  return b;
}
/** Softmax-regression arguments A (n×d, n >= d), b (n, a distribution), w (n positive weights); any may be bad. */
function softmaxArgs() {
  const d = int(1, 4), n = int(d, 10);
  const b = Float64Array.from({ length: n }, () => rnd()), sb = b.reduce((x, y) => x + y, 0);
  return { d, n, args: [mat(() => goodMatrix(n, d), 0.15), arg(() => b.map((x) => x / sb), 0.1), arg(() => vec(n, pick([0.1, 1, 10])).map(Math.abs), 0.1)] };
}
const solverSpec = (d) => ({
  method: () => pick(['newton', 'sampled', 'frozen', 'gd', 'toString']), safeguard: () => chance(0.5), eps: () => pick([0.3, 0.5, 0.9]),
  delta: () => pick([0.01, 0.1]), seed: () => int(0, 9), maxIter: () => int(0, 8), tol: () => pick([0, 1e-10, 1e-3]),
  leverage: () => pick(['exact', 'sketch', 'uniform']), rankTwo: () => chance(0.5), x0: () => vec(d, 0.1), stopOn: () => pick(['decrement', 'gradient']),
  eta: () => pick([0.01, 1]), oversample: () => pick([0.1, 1, 2]), eigRange: () => chance(0.5), printedSign: () => chance(0.2), leverageOnce: () => chance(0.5),
});

// ------------------------------------------------------------------ bad values
const HUGE = [2 ** 31, 2 ** 40, 1e300, 50000, 100000];
// A 1×N_OOM result needs just under 4 GB: it passes the size checks and reaches
// malloc, which fails because the wasm memory cannot grow that far (the heap
// already holds a few MB). A real out-of-memory path, without touching a page.
const N_OOM = Math.floor((0xffffffff - 65536 - 8) / 8);
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
function badValue() {
  return pick([
    () => undefined, () => null, () => NaN, () => Infinity, () => -Infinity, () => -1, () => 0, () => 1.5,
    () => pick(HUGE), () => -0, () => Number.MAX_SAFE_INTEGER + 2,
    () => 1n, () => -1n, () => 2n ** 70n, () => Symbol('fuzz'), () => Object.create(null), () => ({}),
    () => [], () => [1, 2], () => pick(PROTO_NAMES), () => '', () => '3', () => true, () => false,
    () => () => 1, () => new Float64Array(3), () => new Int8Array(2), () => new ArrayBuffer(8),
    // (no throwing getters or Proxies: an exception thrown by the caller's own code propagates as is)
  ])();
}
/** badValue without the mid-size numbers (50000, 100000) that are valid but slow as sizes/step counts. */
function badSmall() {
  for (;;) { const v = badValue(); if (v !== 50000 && v !== 100000) return v; }
}
function badMatrix() {
  const m = int(1, 5), n = int(1, 5);
  return pick([
    () => { const A = goodMatrix(m, n); const d = A.data ?? null; if (d) d[int(0, d.length - 1)] = pick([NaN, Infinity, -Infinity]); else A[int(0, m - 1)][int(0, n - 1)] = pick([NaN, Infinity]); return A; },
    () => ({ rows: 0, cols: n, data: new Float64Array(0) }),
    () => ({ rows: m, cols: n, data: new Float64Array(m * n + 1) }),
    () => ({ rows: m, cols: n, data: Array.from({ length: m * n }, () => pick([1, '1', 1n, null])) }),
    () => ({ rows: pick(HUGE), cols: pick(HUGE), data: new Float64Array(4) }),
    () => ({ rows: -1, cols: 2, data: new Float64Array(0) }),
    () => ({ rows: 1.5, cols: 2, data: new Float64Array(3) }),
    () => ({ rows: 1n, cols: 1n, data: new Float64Array(1) }),
    () => ({ rows: m, cols: n, data: new Float32Array(m * n) }),
    () => [[1, 2], [3]],
    () => [[1n, 2n]],
    () => [[Symbol('x')]],
    () => [],
    () => [[]],
    () => Object.assign(Object.create(null), { rows: 1, cols: 1, data: new Float64Array([1]) }),
    () => Object.create(null),
    badValue,
  ])();
}
const arg = (good, pBad = 0.15) => (chance(pBad) ? (chance(0.5) ? badValue() : badMatrix()) : good());
const mat = (good, pBad = 0.2) => (chance(pBad) ? badMatrix() : good());

/** An options object from { key: () => goodValue }: keys kept or dropped, values mutated, unknown keys added. */
function opts(spec, { pBad = 0.15, pDrop = 0.3, required = [], bad = badValue } = {}) {
  if (chance(0.04)) return bad();
  const o = {};
  for (const [key, good] of Object.entries(spec)) {
    if (!required.includes(key) && chance(pDrop)) continue;
    o[key] = chance(pBad) ? bad() : good();
  }
  if (chance(0.04)) o[pick([...PROTO_NAMES, 'bogus'])] = 1;
  return o;
}

// ------------------------------------------------------------------ the calls
const ID_METHODS = ['cpqr', 'rpqr', 'brp', 'bgp', 'rbrp', 'sketch-cpqr', 'sketch-lupp', 'adaptive-lupp'];
const GENERATORS = {
  matmul: () => { const k = int(0, 5); return [mat(() => goodMatrix(int(1, 5), k)), mat(() => goodMatrix(k || 1, int(1, 5))), opts({ transA: () => false, transB: () => false })]; },
  qr: () => [mat(goodMatrix), chance(0.1) ? badValue() : {}],
  cpqr: () => { const A = goodMatrix(); return [mat(() => A), opts({ rank: () => int(0, 3), tol: () => pick([0, 1e-12, 0.1]) })]; },
  lu: () => [mat(goodMatrix), chance(0.1) ? badValue() : {}],
  cholesky: () => [mat(() => spd()), opts({ symTol: () => 1e-10 })],
  svd: () => [mat(goodMatrix), opts({ vectors: () => chance(0.5) })],
  eigh: () => [mat(() => spd()), opts({ symTol: () => 1e-10, vectors: () => chance(0.5) })],
  randn: () => (chance(0.05) ? [1, N_OOM] : [arg(() => int(0, 6)), arg(() => int(0, 6)), arg(() => int(0, 1e6)), opts({ stream: () => int(0, 5) })]),
  rand: () => (chance(0.05) ? [N_OOM, 1] : [arg(() => int(0, 6)), arg(() => int(0, 6)), arg(() => int(0, 1e6)), opts({ stream: () => int(0, 5) })]),
  id: () => {
    const m = int(2, 8), n = int(2, 8), method = pick(ID_METHODS);
    return [mat(() => goodMatrix(m, n)), opts({
      method: () => (chance(0.1) ? pick(PROTO_NAMES) : method), rank: () => int(1, Math.min(m, n)),
      blockSize: () => int(1, 8), oversample: () => pick([1, 5, 10]), seed: () => int(0, 99),
      interp: () => pick([true, false, 'optimal']), trace: () => chance(0.5), curve: () => chance(0.5),
      suboptimality: () => chance(0.5), filterTol: () => pick([0.1, 0.5, 1]),
    }, { required: ['rank'] })];
  },
  cur: () => {
    const m = int(2, 8), n = int(2, 8);
    return [mat(() => goodMatrix(m, n)), opts({
      method: () => pick(['cpqr', 'rbrp', 'rpqr', ...PROTO_NAMES.slice(0, 2)]), rank: () => int(1, Math.min(m, n)),
      seed: () => int(0, 9), core: () => pick(['optimal', 'cross', 'toString']),
    }, { required: ['rank'] })];
  },
  rpcholesky: () => {
    const n = int(2, 8);
    const K = chance(0.3)
      ? { points: goodMatrix(2, n), bandwidth: pick([0.5, 1, 2, 1e-160, 1e-300, 5e-324, 1e300, -1, 0, NaN]), kernel: pick(['gaussian', 'laplace', 'constructor']) }
      : spd(n);
    return [chance(0.2) ? badMatrix() : K, opts({
      method: () => pick(['random', 'greedy', 'uniform', 'block', 'rbrp', '__proto__']), rank: () => int(1, n),
      blockSize: () => int(1, 4), seed: () => int(0, 9), trace: () => chance(0.5),
    }, { required: ['rank'] })];
  },
  gallery: () => {
    const name = chance(0.15) ? badValue() : pick(['gmm', 'exponential', 'polynomial', 'kahan', 'smile', 'robspiral', ...PROTO_NAMES]);
    const size = () => (chance(0.05) ? pick([...HUGE, N_OOM]) : int(0, 12));
    const specs = {
      gmm: { dim: () => 4, points: () => 8, clusters: () => pick([1, 2, 4]), sigma: () => 1, seed: () => 1 },
      exponential: { rows: size, cols: size, flat: () => int(0, 3), decay: () => 0.5, floor: () => 1e-5, seed: () => 1 },
      polynomial: { rows: size, cols: size, flat: () => int(0, 3), power: () => 1, floor: () => 1e-5, seed: () => 1 },
      kahan: { n: size, zeta: () => 0.9 },
      smile: { points: () => int(7, 20), bandwidth: () => pick([0.5, 2, 1e-3, 1e-160, 1e-300, 5e-324]), kernel: () => pick(['gaussian', 'laplace']), seed: () => 1, matrix: () => true },
      robspiral: { points: () => int(0, 20), bandwidth: () => pick([0.5, 2, 100, 1e-160, 5e-324, 1e300]), kernel: () => pick(['laplace', 'gaussian']), matrix: () => true },
    };
    const spec = typeof name === 'string' && Object.hasOwn(specs, name) ? specs[name] : { rows: size };
    // sizes are never left to their (large, slow) defaults
    return [name, opts(spec, { pDrop: 0, pBad: 0.1 })];
  },
  rsvd: () => {
    const m = int(2, 8), n = int(2, 8), r = Math.min(m, n);
    return [mat(() => goodMatrix(m, n)), opts({
      rank: () => int(1, r), oversample: () => int(0, 3), powerIters: () => int(0, 3),
      normalizer: () => pick(['none', 'qr', 'lu', 'cholqr2', 'toString']), seed: () => int(0, 9), residual: () => chance(0.5),
    }, { required: ['rank'] })];
  },
  canonicalAngles: () => { const m = int(2, 8), k = int(1, m); return [mat(() => orth(m, k), 0.15), mat(() => orth(m, int(1, m)), 0.15), opts({ angles: () => chance(0.5) })]; },
  exactAngles: () => {
    const r = int(2, 8), l = int(1, r);
    return [arg(() => spectrum(r)), mat(() => goodMatrix(r, l), 0.1), opts({ k: () => int(1, l), powerIters: () => int(0, 2), side: () => pick(['left', 'right', 'constructor']) }, { required: ['k'] })];
  },
  angleBounds: () => {
    const r = int(4, 8);
    if (chance(0.4)) { // posterior bounds from a sketch: { rsvd, A } (k, l, q must match it or be left out)
      moderate = true; // (a valid sketch to bound: ‖A‖ above Number.MAX_VALUE would make rsvd itself fail here)
      const A = goodMatrix(r, r + int(0, 3));
      const R = sk.rsvd(A, { rank: 1, oversample: 1, powerIters: int(0, 1) });
      return [opts({ rsvd: () => R, A: () => A, k: () => 1, l: () => 2, sigma: () => pick(['sketch', 'spectrum']),
        side: () => pick(['left', 'right']), block: () => int(1, 3), its: () => int(1, 3), seed: () => 1 }, { required: ['rsvd', 'A'] })];
    }
    return [opts({ spectrum: () => spectrum(r), k: () => int(1, 2), l: () => int(2, 3), q: () => int(0, 2),
      side: () => pick(['left', 'right', '__proto__']), trials: () => int(1, 3), seed: () => 1 }, { required: ['spectrum', 'k', 'l', 'q'] })];
  },
  planBudget: () => {
    const r = int(3, 10);
    return [opts({ spectrum: () => spectrum(r), k: () => int(1, r - 1), budget: () => int(r, 4 * r), qmax: () => int(0, 3), trials: () => int(1, 3), seed: () => 1 },
      { required: ['spectrum', 'k', 'budget'] })];
  },
  angleExperiment: () => {
    const m = int(4, 10), n = int(4, 10), r = Math.min(m, n);
    return [opts({ m: () => (chance(0.05) ? pick(HUGE) : m), n: () => n, spectrum: () => spectrum(r), k: () => 1, l: () => 2, q: () => int(0, 2),
      seed: () => 1, trials: () => 2, side: () => 'left', sigma: () => pick(['spectrum', 'sketch', 'toString']), posterior: () => chance(0.5),
      normalizer: () => 'qr' }, { required: ['m', 'n', 'spectrum', 'k', 'l', 'q'] })];
  },
  budgetExperiment: () => {
    const m = int(4, 10), n = int(4, 10), r = Math.min(m, n);
    return [opts({ m: () => m, n: () => (chance(0.05) ? pick(HUGE) : n), spectrum: () => spectrum(r), k: () => 1, l: () => 2, q: () => int(0, 2), seed: () => 1 },
      { required: ['m', 'n', 'spectrum', 'k', 'l', 'q'] })];
  },
  // ---- attention (wasm/attention.js): sizes stay tiny; a bad size is one wasm32 cannot hold
  // (never the mid-size 50000/100000: a 50000-step decode or Index game would take minutes)
  tensorAttention: () => {
    const n = int(1, 5), d = int(1, 4);
    return [arg(() => vec(d)), mat(() => goodMatrix(n, d)), mat(() => goodMatrix(n, d)), mat(() => goodMatrix(n, d)), mat(() => goodMatrix(n, d)),
      opts({ evaluation: () => pick(['two-cache', 'naive', 'factored', 'streaming', 'constructor']), scale: () => pick([1, 'raw', 'alman-song', 'alman_song', 'simplicial', 1e-3, -2, 'toString']) },
        { bad: badSmall })];
  },
  attention: () => {
    const n = int(1, 5), d = int(1, 4);
    return [arg(() => vec(d)), mat(() => goodMatrix(n, d)), mat(() => goodMatrix(n, d)),
      opts({ scale: () => pick([1, 'raw', 'alman-song', 'simplicial', 0.5, '__proto__']) }, { bad: badSmall })];
  },
  kvCache: () => [opts({ kind: () => pick(['four', 'two', 'standard', 'constructor']), d: () => int(1, 4), window: () => pick([null, 1, 2, 3]),
    scale: () => pick(['raw', 'alman-song', 'simplicial', 0.5]), capacity: () => (chance(0.05) ? 2 ** 31 - 1 : int(0, 4)) }, { bad: badSmall })],
  subgen: () => [opts({ d: () => int(1, 4), delta: () => pick([0.1, 1, 5]), t: () => int(1, 3), s: () => int(1, 4), seed: () => pick([0, 7, 3n]),
    tensor: () => pick([false, true, 'pairs', 'product', 'constructor']) }, { bad: badSmall, required: ['d', 'delta', 't', 's'] })],
  indexGame: () => {
    const n = int(1, 4), d = int(1, 3);
    const cache = () => pick(['exact', 'four', 'two', { kind: 'evict', budget: int(1, n) }, { kind: 'window', size: int(1, n) },
      { kind: 'subgen', delta: 0.5, t: 1, s: 2 }, { kind: pick(['subgen4', 'subgen2']), delta: pick([0.5, 2]), t: 1, s: int(1, 3) }, { kind: 'constructor' }, 'toString', { kind: 'evict', budget: n + 1 }]);
    const o = opts({ n: () => n, d: () => d, C: () => pick([1, 12]), cache, seed: () => int(0, 9) }, { bad: badSmall, required: ['n', 'd'] });
    if (o && typeof o === 'object' && chance(0.2)) o.bits = pick([new Uint8Array(n * d), Uint8Array.from({ length: n * d }, () => int(0, 1)), new Uint8Array(1), Uint8Array.of(2), [1, 0]]);
    return [o];
  },
  decodeRun: () => [opts({ kind: () => pick(['four', 'two', 'standard']), evaluation: () => pick(['factored', 'naive', 'streaming', 'two-cache']), d: () => int(1, 3),
    T: () => int(1, 3), seed: () => int(0, 9), scale: () => pick(['alman-song', 1]), window: () => pick([1, 2]) }, { bad: badSmall, required: ['d', 'T'] })],
  // ---- softmax regression (wasm/regression.js): n×d problems with n <= 10
  softmaxRegression: () => {
    const P = softmaxArgs();
    return [...P.args, opts({ ...solverSpec(P.d), iterates: () => chance(0.5), samples: () => chance(0.5), regime: () => chance(0.5) }, { bad: badSmall, pBad: 0.03 })];
  },
  softmaxSolver: () => { const P = softmaxArgs(); return [...P.args, opts(solverSpec(P.d), { bad: badSmall, pBad: 0.03 })]; },
  softmaxProblem: () => [chance(0.15) ? badValue() : pick(['T1', 'T2', 'T3', 'T4', 'constructor']),
    opts({ n: () => int(1, 12), d: () => int(1, 4), seed: () => int(0, 9), param: () => pick([0.01, 1.5, 300, -1]) }, { bad: badSmall, pDrop: 0 })],
  softmaxEval: () => { const P = softmaxArgs(); return [...P.args, arg(() => vec(P.d, 1)), opts({ hessian: () => chance(0.5) }, { bad: badSmall })]; },
  softmaxFiniteDifferences: () => { const P = softmaxArgs(); return [...P.args, arg(() => vec(P.d, 1)), opts({ h: () => pick([1e-5, 1e-3, 0.5, 0, 1e300]) }, { bad: badSmall })]; },
  softmaxLeverage: () => {
    const n = int(1, 8), d = int(1, 4);
    return [mat(() => goodMatrix(n, d)), opts({ kind: () => pick(['exact', 'sketch', 'uniform', 'hasOwnProperty']), D: () => vec(n, 1).map(Math.abs), seed: () => int(0, 9) }, { bad: badSmall })];
  },
  softmaxRegime: () => softmaxArgs().args,
  // ---- stream (wasm/stream.js): small sketches; serialized bytes good, mutated, truncated or random
  countSketch: () => [opts({ buckets: () => int(1, 16), rows: () => int(1, 5), seed: () => pick([0, 3, 5n]), hash: () => pick(['poly', 'fast', 'toString']) }, { bad: badSmall })],
  deserializeSketch: () => [chance(0.1) ? badValue() : wireBytes(() => sk.countSketch({ buckets: int(1, 8), rows: int(1, 3), seed: int(0, 9), hash: pick(['poly', 'fast']) }))],
  amsSketch: () => [opts({ s1: () => int(1, 8), s2: () => int(1, 5), seed: () => int(0, 9), hash: () => pick(['poly', 'fast']) }, { bad: badSmall })],
  countMin: () => [opts({ buckets: () => int(1, 16), rows: () => int(1, 5), seed: () => pick([0, 3, 5n]), hash: () => pick(['poly', 'fast', 'toString']) }, { bad: badSmall })],
  sketchComparison: () => [arg(() => vec(int(1, 8))), opts({ budgets: () => (chance(0.2) ? badValue() : [int(1, 12), int(4, 20)]), rows: () => int(1, 3), seeds: () => int(1, 3),
    seed: () => int(0, 9), hash: () => pick(['poly', 'fast', 'valueOf']) }, { bad: badSmall })],
  attentionLive: () => [opts({ ...samplerSpec(), ops: () => (chance(0.2) ? pick(['q', 'aXb', 7, 'a'.repeat(5000)]) : pick(['', 'a', 'axb', 'bbxa'])), n: () => int(2, 10), d: () => int(1, 4) },
    { bad: badSmall, pDrop: 0 })],
  l2Sampler: () => [opts({ ...samplerSpec(), n: () => int(1, 12), oracle: () => pick(['sketch', 'exact', 'race', 'valueOf']), hash: () => pick(['poly', 'fast']) },
    { bad: badSmall, required: ['n'] })],
  samplerTrials: () => [arg(() => vec(int(1, 8))), opts({ ...samplerSpec(), trials: () => int(1, 20), oracle: () => pick(['sketch', 'exact', 'race']), hash: () => pick(['poly', 'fast']) },
    { bad: badSmall, required: ['trials'] })],
  samplerQuery: () => [arg(() => vec(int(1, 8))), opts({ ...samplerSpec(), oracle: () => pick(['sketch', 'exact', 'race']), hash: () => pick(['poly', 'fast']) }, { bad: badSmall })],
  attentionSettings: () => [opts({ ...samplerSpec(), n: () => int(2, 10), d: () => int(1, 4) }, { bad: badSmall, pDrop: 0 })],
  attentionSampler: () => {
    const n = int(1, 6), d = int(1, 4), setting = pick(['A', 'x', 'both', '__proto__']);
    return [opts({ ...samplerSpec(), setting: () => setting, A: () => goodMatrix(n, d), x: () => vec(d), n: () => n, d: () => d, hash: () => pick(['poly', 'fast']) },
      { bad: badSmall, required: ['setting', 'n', 'd'] })];
  },
  deserializeAttention: () => [chance(0.1) ? badValue() : wireBytes(() => {
    const n = int(1, 4), d = int(1, 3);
    const o = { setting: pick(['A', 'x', 'both']), n, d, x: vec(d), buckets: int(1, 8), rows: int(1, 3), repetitions: int(1, 2), seed: int(0, 9) };
    try {
      return sk.attentionSampler({ ...o, A: goodMatrix(n, d) });
    } catch (e) { // an A beyond the sampler's range (2^228, stream.d.ts) is refused: serialize a moderate one
      assert.ok(e instanceof sk.SketchlabError && e.code === 'EINVAL', `attentionSampler for deserializeAttention: ${e.message}`);
      moderate = true;
      return sk.attentionSampler({ ...o, A: goodMatrix(n, d) });
    }
  })],
  tensorSampler: () => {
    const n = int(1, 4), d = int(1, 3);
    return [opts({ ...samplerSpec(), A2: () => goodMatrix(n, d), X: () => goodMatrix(d, d) }, { bad: badSmall, required: ['A2', 'X'] })];
  },
  softmaxSample: () => [arg(() => vec(int(1, 8), pick([1, 10, 700, 1e300]))),
    opts({ method: () => pick(['inverse', 'gumbel', 'alias', 'constructor']), draws: () => int(0, 8), seed: () => int(0, 9), stream: () => int(0, 3) }, { bad: badSmall })],
  disjointnessGame: () => {
    const n = int(2, 40);
    return [opts({ n: () => n, k: () => int(1, Math.floor((n + 1) / 2)), L: () => pick([1, 5, 0.5]), buckets: () => int(0, 8), rows: () => int(1, 3),
      hash: () => pick(['poly', 'fast']), trials: () => int(1, 5), seed: () => int(0, 9) }, { bad: badSmall, pDrop: 0 })];
  },
  lemma62Game: () => {
    const d = int(1, 8);
    return [opts({ v: () => Array.from({ length: d }, () => int(0, 1)), i: () => int(0, d - 1), eps: () => pick([0.25, 0.5]), buckets: () => int(1, 8),
      rows: () => int(1, 3), repetitions: () => int(1, 3), seed: () => int(0, 9) }, { bad: badSmall, required: ['v'] })];
  },
  fromRows: () => [mat(() => toRowsArr(2, 2, new Float64Array([1, 2, 3, 4])), 0.5)],
  toRows: () => [mat(goodMatrix, 0.5)],
  supports: () => [pick(['svd', 'id', ...PROTO_NAMES, 1n, Symbol('s'), null])],
  SketchlabError: () => [badValue(), badValue(), badValue()],
};

// ------------------------------------------------------------------ handles
/** Call fn; it must return (the value) or throw a SketchlabError. `what` names the call for the message. */
function expectSane(what, fn) {
  let r;
  try {
    r = fn();
  } catch (e) {
    assert.ok(e instanceof sk.SketchlabError, `${what} threw ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(/^E[A-Z]+$/.test(e.code) && e.message.length > 10 && e.code !== 'EARG', `${what}: code ${e.code}, message ${e.message}`);
    return { error: e };
  }
  return { value: r };
}
const tokens = (d, count) => (count === 0 ? vec(d) : goodMatrix(count, d));
/** Random method calls on a live handle (good and bad arguments), then dispose, double dispose and use after dispose. */
const HANDLE_DRIVERS = {
  kvCache: (h) => {
    const arity = h.kind === 'standard' ? 2 : 4;
    for (let i = int(0, 5); i > 0; i--) {
      const op = pick(['append', 'append', 'query', 'stats']);
      if (op === 'append') {
        const count = int(0, 2), nargs = chance(0.1) ? int(0, 5) : arity;
        const args = Array.from({ length: nargs }, () => (chance(0.1) ? pick([badValue, badMatrix])() : tokens(chance(0.1) ? h.d + 1 : h.d, count)));
        expectSane(`kvCache.append(${show(args)})`, () => h.append(...args));
      } else if (op === 'query') {
        const q = arg(() => vec(h.d)), o = opts({ evaluation: () => pick(['factored', 'naive', 'streaming', 'two-cache', 'valueOf']) }, { bad: badSmall });
        const r = expectSane(`kvCache.query(${show([q, o])})`, () => h.query(q, o));
        if (r.value) { assert.equal(r.value.length, h.d); checkSane(r.value, 'kvCache.query'); }
      } else {
        checkSane(h.stats(), 'kvCache.stats');
      }
    }
  },
  subgen: (h) => {
    const arity = h.tensor ? 4 : 2;
    for (let i = int(0, 5); i > 0; i--) {
      const op = pick(['append', 'append', 'query', 'stats']);
      if (op === 'append') {
        const count = int(0, 2), nargs = chance(0.1) ? int(0, 5) : arity;
        const args = Array.from({ length: nargs }, () => (chance(0.1) ? pick([badValue, badMatrix])() : tokens(h.d, count)));
        expectSane(`subgen.append(${show(args)})`, () => h.append(...args));
      } else if (op === 'query') {
        const q = arg(() => vec(h.d));
        const r = expectSane(`subgen.query(${show([q])})`, () => h.query(q));
        if (r.value) { assert.equal(r.value.length, h.d); checkSane(r.value, 'subgen.query'); }
      } else {
        checkSane(h.stats(), 'subgen.stats');
      }
    }
  },
  softmaxSolver: (h) => {
    for (let i = int(0, 4); i > 0; i--) {
      const op = pick(['step', 'step', 'state', 'sample']);
      const r = expectSane(`softmaxSolver.${op}()`, () => (chance(0.1) ? h[op](badValue()) : h[op]()));
      if (r.value && op !== 'sample') checkSane(r.value.x, `softmaxSolver.${op}.x`);
    }
  },
};
/** Random calls on a stream handle: [method, () => args] pairs, good and bad arguments mixed. */
function driveCalls(name, h, calls) {
  for (let i = int(0, 6); i > 0; i--) {
    const [m, args] = pick(calls);
    const a = args();
    const r = expectSane(`${name}.${m}(${show(a)})`, () => h[m](...a));
    if (r.value && r.value !== h) checkSane(r.value, `${name}.${m}`);
  }
}
const idx = () => (chance(0.1) ? badSmall() : int(-1, 12));
const delta = () => (chance(0.1) ? pick([NaN, Infinity, '1', 1n]) : pick([1, -2.5, 1e-3, 1e300]));
const batch = () => { const c = int(0, 4); return [chance(0.1) ? [1, 2] : Int32Array.from({ length: c }, () => int(-1, 12)), chance(0.1) ? new Float64Array(c + 1) : Float64Array.from({ length: c }, () => pick([1, -2.5, NaN, Infinity, 1e300]))]; };
const updates = [['update', () => [idx(), delta()]], ['update', batch]];
const countSketchCalls = (h) => [...updates, ['estimate', () => [idx()]], ['estimateAll', () => [chance(0.1) ? badSmall() : int(0, 12)]],
  ['heavy', () => [int(0, 12), chance(0.1) ? badSmall() : int(0, 4)]], ['table', () => []],
  ['merge', () => [chance(0.3) ? badValue() : partner(sk.countSketch({ buckets: h.buckets ?? 4, rows: h.rows ?? 2, seed: 1 }))]]];
/** Merge partners live until the driver ends, then are disposed (a leak would move the heap probe). */
const partners = [];
const partner = (h) => { partners.push(h); return h; };
const STREAM_CALLS = {
  countSketch: (h) => countSketchCalls(h),
  deserializeSketch: (h) => countSketchCalls(h),
  amsSketch: () => [...updates, ['f2', () => []]],
  countMin: () => [...updates, ['estimate', () => [idx(), pick(['min', 'median', 'mean'])]], ['estimateAll', () => [chance(0.1) ? badSmall() : int(0, 12), pick(['min', 'median', undefined, 'toString'])]],
    ['f2', () => []], ['table', () => []]],
  l2Sampler: () => [...updates, ['sample', () => []], ['inspect', () => [chance(0.2) ? badSmall() : int(0, 2)]], ['table', () => [chance(0.2) ? badSmall() : int(0, 2)]]],
  attentionSampler: () => [['updateA', () => [idx(), idx(), delta()]], ['updateX', () => [idx(), delta()]], ['sample', () => []], ['stats', () => []],
    ['table', () => [chance(0.2) ? badSmall() : int(0, 2)]]],
  deserializeAttention: () => STREAM_CALLS.attentionSampler(),
  tensorSampler: () => [['update', () => [idx(), idx(), delta()]], ['sample', () => []], ['table', () => [chance(0.2) ? badSmall() : int(0, 2)]], ['fftSketch', () => []]],
};
for (const [name, calls] of Object.entries(STREAM_CALLS)) {
  HANDLE_DRIVERS[name] = (h) => {
    driveCalls(name, h, calls(h));
    while (partners.length) partners.pop().dispose();
    if (typeof h.serialize === 'function') { // round trip: the bytes deserialize to an equal state
      const b = h.serialize(), back = (name === 'attentionSampler' || name === 'deserializeAttention' ? sk.deserializeAttention : sk.deserializeSketch)(b);
      assert.deepEqual(back.serialize(), b, `${name}: serialize(deserialize(b)) != b`);
      back.dispose();
    }
  };
}

function driveHandle(name, h) {
  HANDLE_DRIVERS[name](h);
  if (chance(0.5)) h.dispose(); else h[Symbol.dispose]();
  assert.equal(h.disposed, true, `${name}: disposed flag after dispose()`);
  h.dispose(); // a second dispose does nothing
  const after = name === 'softmaxSolver' ? ['step', 'state', 'sample'] : STREAM_CALLS[name] ? ['sample', 'update', 'updateA', 'f2', 'table', 'serialize'].filter((m) => typeof h[m] === 'function')
    : ['append', 'query', 'stats'];
  for (const m of after) {
    const r = expectSane(`${name}.${m} after dispose`, () => h[m](...(m === 'query' ? [vec(h.d ?? 1)] : m === 'update' ? [0, 1] : m === 'updateA' ? [0, 0, 1] : [])));
    assert.ok(r.error, `${name}.${m} after dispose() must throw`);
  }
}

// Functions that get moderate scales only (Gaussian at 1, 1e±8, mild grading): none.
// The extreme-scale findings of issue 9 are closed: every function takes every scale,
// and a result beyond the double range is a documented SketchlabError (EINVAL):
//   softmaxEval/Regression/Solver  a loss, gradient or Hessian beyond Number.MAX_VALUE;
//   attention, tensorAttention, kvCache, subgen  a logit, entry product or output beyond it;
//   attentionSampler, deserializeAttention, tensorSampler  a stored number beyond 2^228 / 2^140
//           (the update is refused, the state unchanged).
// (softmaxLeverage, softmaxRegime are scale safe.)
const MODERATE = new Set([]);

/** Walk a result: matrices shaped and finite, no NaN in any number or array. `where` names the path. */
// Documented NaNs: planBudget scores are NaN where l_q < k (index.d.ts); the
// converters toRows/fromRows copy values as they are (they compute nothing);
// softmax records have eigMin/eigMax NaN unless eigRange (regression.d.ts);
// an inapplicable subresidual bound is all NaN (skipped in checkSane).
// a sampler record's s/tailLimit/peakLimit are NaN for the race oracle, samplerTrials'
// meanValueRelErr with no accepted trial (stream.d.ts).
const NAN_ALLOWED = /^(planBudget\.(predicted|prior)|toRows|fromRows|softmaxRegression\.history\.\d+\.eig(Min|Max)|(samplerQuery\.record|l2Sampler\.sample)\.(s|tailLimit|peakLimit)|samplerTrials\.meanValueRelErr)$/;

const FINITE_REQUIRED = /^(attention|tensorAttention|kvCache\.query|subgen\.query)$/;

function checkSane(x, where, depth = 0) {
  if (depth > 4 || x === null || x === undefined) return;
  if (NAN_ALLOWED.test(where)) return;
  if (typeof x === 'number') { assert.ok(!Number.isNaN(x), `${where} is NaN`); return; }
  if (ArrayBuffer.isView(x)) {
    for (let i = 0; i < x.length; i++) assert.ok(!Number.isNaN(x[i]), `${where}[${i}] is NaN`);
    // an attention output is a convex combination of values: never ±Infinity (attention.d.ts "Range")
    if (FINITE_REQUIRED.test(where)) for (let i = 0; i < x.length; i++) assert.ok(Number.isFinite(x[i]), `${where}[${i}] = ${x[i]}`);
    return;
  }
  if (typeof x !== 'object') return;
  if (x.data instanceof Float64Array && typeof x.rows === 'number' && typeof x.cols === 'number') {
    assert.equal(x.data.length, x.rows * x.cols, `${where}: data length ${x.data.length} != ${x.rows}×${x.cols}`);
    for (let i = 0; i < x.data.length; i++) assert.ok(Number.isFinite(x.data[i]), `${where}.data[${i}] = ${x.data[i]}`);
    return;
  }
  for (const [k, v] of Object.entries(x)) {
    // documented: a subresidual bound that is not applicable is all NaN (index.d.ts)
    if (k === 'bound' && x.applicable === false) continue;
    checkSane(v, `${where}.${k}`, depth + 1);
  }
}

/** A short, throw-free description of the arguments for a failure message. */
function show(args) {
  try {
    return JSON.stringify(args, (k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'Symbol' : ArrayBuffer.isView(v) ? Array.from(v) : v)).slice(0, 400);
  } catch { return '(unprintable)'; }
}

test(`fuzz: ${CALLS} adversarial calls of every exported function (seed ${SEED}): a sane result or a SketchlabError, nothing held`, async () => {
  await sk.init();
  // every exported function is fuzzed (a new export without a generator fails here)
  const untested = Object.keys(sk).filter((k) => typeof sk[k] === 'function' && !GENERATORS[k] &&
    !['init', 'isInitialized', 'version', 'memoryStats', 'reset', '_setDefaultVariants'].includes(k));
  assert.deepEqual(untested, [], 'exported functions without a fuzz generator');

  sk.svd(goodMatrix(5, 5)); // warm-up so the baseline heap is the steady one
  const base = sk.memoryStats();
  const names = Object.keys(GENERATORS);
  const outcomes = {};
  for (let c = 0; c < CALLS; c++) {
    const name = names[c % names.length];
    moderate = MODERATE.has(name);
    const args = GENERATORS[name]();
    let result, error = null;
    try {
      result = name === 'SketchlabError' ? new sk.SketchlabError(...args) : sk[name](...args);
    } catch (e) {
      error = e;
    }
    const key = `${name}:${error ? error.code : 'ok'}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (error) {
      assert.ok(error instanceof sk.SketchlabError,
        `call ${c}: ${name}(${show(args)}) threw ${error?.constructor?.name}: ${error?.message}`);
      assert.ok(typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code), `call ${c}: ${name}: code ${error.code}`);
      // EARG: C rejected an argument that the JS layer should have validated
      assert.notEqual(error.code, 'EARG', `call ${c}: ${name}(${show(args)}): ${error.message}`);
      assert.ok(typeof error.message === 'string' && error.message.length > 10, `call ${c}: ${name}: message ${error.message}`);
    } else if (name !== 'SketchlabError' && name !== 'supports') {
      try {
        if (HANDLE_DRIVERS[name]) driveHandle(name, result);
        else checkSane(result, name);
      } catch (e) {
        e.message = `call ${c}: ${name}(${show(args)}): ${e.message}`;
        throw e;
      }
    }
    assert.equal(sk.memoryStats().live, 0, `call ${c}: ${name} left wasm blocks allocated`);
  }
  // still usable and leak-free: the heap probe is back where it started, and a call is right
  const after = sk.memoryStats();
  assert.equal(after.live, 0);
  assert.equal(after.probe, base.probe, 'the allocator probe moved: a block leaked or the heap fragmented');
  assert.deepEqual([...sk.matmul([[1, 2]], [[3], [4]]).data], [11]);
  if (process.env.FUZZ_VERBOSE) console.log(outcomes);
  const ok = Object.keys(outcomes).filter((k) => k.endsWith(':ok')).length;
  assert.ok(ok >= names.length - 3, `most functions should also succeed sometimes: ${JSON.stringify(outcomes)}`);
  assert.ok(outcomes['randn:ENOMEM'] > 0 && outcomes['rand:ENOMEM'] > 0, `out-of-memory requests were made: ${JSON.stringify(outcomes)}`);
  // valid calls (e.g. a 100000×3 gallery matrix) may grow the heap a little; the failed
  // near-4-GB requests must not have grown it
  assert.ok(after.bytes < 256 * 2 ** 20, `heap ${after.bytes} bytes after fuzzing: a failed huge request grew it`);
  // sanity of the generator: both outcomes happen for the central functions
  for (const f of ['id', 'svd', 'rsvd', 'gallery', 'matmul']) {
    assert.ok(outcomes[`${f}:ok`] > 0, `${f} never succeeded`);
    assert.ok(Object.keys(outcomes).some((k) => k.startsWith(`${f}:E`)), `${f} never failed`);
  }
});
