// attention.js — standard and tensor attention decoding, KV caches that grow
// one token at a time, SubGen and the Index game (c/include/sketchlab/attention.h;
// specs/attention.md §2–§3).
//
//   const out = tensorAttention(q, K1, K2, V1, V2, { evaluation: 'factored', scale: 'alman-song' });
//   using cache = kvCache({ kind: 'four', d: 64 });
//   cache.append(k1, k2, v1, v2);                 // one token (vectors) or a batch (count×d matrices)
//   const y = cache.query(q, { evaluation: 'streaming' });
//   cache.stats();                                // { tokens, words, bytes, appendOps, queryOps, ... }
//   const g = indexGame({ n: 256, d: 64, cache: { kind: 'evict', budget: 128 }, seed: 1 });
//
// Same rules as index.js: validate in JS first (messages say what to change),
// copy in, call C, copy out into fresh arrays, free scratch in `finally`.
// Handles own C memory until dispose() (or `using`, or — as a safety net only —
// garbage collection through a FinalizationRegistry); a batch append or query
// crosses the wasm boundary once.

import { SketchlabError, statusError } from './errors.js';
import { withScope, readF64, f64, i32, formatBytes } from './memory.js';
import { handleClass } from './handle.js';
import { asMatrix, numberList } from './matrix.js';
import { describe, isName } from './validate.js'; // own names only: 'constructor' is not a kind, a Symbol is not coerced

export const ATTENTION_REQUIRES = Object.freeze({
  tensorAttention: ['sk_tensor_attention_decode', 'sk_attention_scale'],
  attention: ['sk_attention_decode', 'sk_attention_scale'],
  kvCache: ['sk_kvcache_create', 'sk_kvcache_destroy', 'sk_kvcache_append', 'sk_kvcache_query',
    'sk_kvcache_stats', 'sk_kvcache_bytes_needed', 'sk_attention_scale'],
  subgen: ['sk_subgen_create', 'sk_subgen_destroy', 'sk_subgen_append', 'sk_subgen_query',
    'sk_subgen4_query', 'sk_subgen_stats', 'sk_rng_init',
    'sk_subgen2_create', 'sk_subgen2_destroy', 'sk_subgen2_append', 'sk_subgen2_query', 'sk_subgen2_stats'],
  indexGame: ['sk_index_game', 'sk_rng_init', 'sk_rng_uniform'],
  decodeRun: ['sk_kvcache_create', 'sk_kvcache_destroy', 'sk_kvcache_append', 'sk_kvcache_query',
    'sk_kvcache_stats', 'sk_kvcache_bytes_needed', 'sk_rng_init', 'sk_rng_normal_matrix', 'sk_attention_scale'],
});

/** Evaluations of a tensor query (sk_tensor_* codes). */
export const EVALUATIONS = Object.freeze({ 'two-cache': 0, naive: 1, factored: 2, streaming: 3 });
const KINDS = Object.freeze({ standard: 0, four: 1, two: 2 });
const SCALES = Object.freeze({ raw: 0, 'alman-song': 1, alman_song: 1, simplicial: 2 });
const INDEX_KINDS = Object.freeze({ exact: 0, evict: 1, window: 2, subgen: 3, four: 4, two: 5, subgen4: 6, subgen2: 7 });
const STAT_COUNT = 10;
const SG2_STAT_COUNT = 8;
const RNG_BYTES = 24;
const NO_WINDOW = -1;



/**
 * Bind the attention API to one runtime. Called once by index.js.
 * @param {object} h { runtime: () => rt|null, need, seedArg, rngInit, options, REQUIRES }
 */
export function createAttention(h) {
  const { runtime, need, seedArg, rngInit, options } = h;
  Object.assign(h.REQUIRES, ATTENTION_REQUIRES);
  const rt = () => runtime();

  // dispose(), the FinalizationRegistry net, EDISPOSED (also after reset()): handle.js
  const WasmHandle = handleClass(rt);

  // -------------------------------------------------------------- validation
  // C takes an int: without the default upper bound 2^31 − 1, wasm would wrap 2^32 + 1 to 1.
  function intArg(v, name, fn, min, max = 2 ** 31 - 1) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be an integer, got ${describe(v)}`, { fn });
    }
    if (v < min || v > max) {
      const range = v < min && max === 2 ** 31 - 1 ? `>= ${min}` : `from ${min} to ${max}`;
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be ${range}, got ${v}`, { fn });
    }
    return v;
  }
  function posNum(v, name, fn) {
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be a finite number > 0, got ${describe(v)}`, { fn });
    }
    return v;
  }
  function scaleArg(v, d, fn) {
    if (v === undefined) return 1;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new SketchlabError('EINVAL', `${fn}: scale must be finite, got ${v}`, { fn });
      return v;
    }
    if (!isName(SCALES, v)) {
      throw new SketchlabError('EINVAL',
        `${fn}: scale must be a number or one of 'raw' (1), 'alman-song' (1/d), 'simplicial' (1/√d), got ${describe(v)}`, { fn });
    }
    return SCALES[v] === 0 ? 1 : SCALES[v] === 1 ? 1 / d : 1 / Math.sqrt(d);
  }
  function evalArg(v, fn, allowed, dflt) {
    if (v === undefined) return EVALUATIONS[dflt];
    if (!allowed.includes(v)) {
      throw new SketchlabError('EINVAL', `${fn}: evaluation must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`, { fn });
    }
    return EVALUATIONS[v];
  }
  /** A vector of d finite numbers as a Float64Array. */
  function vecArg(v, name, fn, d) {
    const x = numberList(v, name, fn);
    if (!x) throw new SketchlabError('EINVAL', `${fn}: ${name} must be a Float64Array or number[] of length ${d ?? 'd'}, got ${describe(v)}`, { fn });
    if (d !== undefined && x.length !== d) {
      throw new SketchlabError('ESHAPE', `${fn}: ${name} has ${x.length} entries but d = ${d}; every token and query must have d entries`, { fn });
    }
    if (x.length === 0) throw new SketchlabError('ESHAPE', `${fn}: ${name} is empty; pass d >= 1 entries`, { fn });
    for (let j = 0; j < x.length; j++) {
      if (!Number.isFinite(x[j])) {
        throw new SketchlabError('ENONFINITE', `${fn}: ${name}[${j}] is ${x[j]}; inputs must be finite — remove or replace NaN/Infinity values`, { fn });
      }
    }
    return x;
  }
  /** A token (vector, count 1) or a batch (count×d matrix) → { count, data column-major }. */
  function tokensArg(v, name, fn, d) {
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !(Array.isArray(v) && typeof v[0] === 'number')) {
      const M = asMatrix(v, name, fn);
      if (M.cols !== d) {
        throw new SketchlabError('ESHAPE', `${fn}: ${name} is ${M.rows}×${M.cols} but d = ${d}; a batch is count×d (one token per row)`, { fn });
      }
      return { count: M.rows, data: M.data };
    }
    return { count: 1, data: vecArg(v, name, fn, d) };
  }
  function sameCount(parts, fn) {
    const c = parts[0].count;
    for (const p of parts) {
      if (p.count !== c) throw new SketchlabError('ESHAPE', `${fn}: the batches have different token counts (${parts.map((x) => x.count).join(', ')}); pass the same number of rows for every argument`, { fn });
    }
    return c;
  }
  /** SK_EINVAL from a query on finite inputs: the result is beyond the double range (attention.h). */
  const RANGE = 'a logit q·k (tensor: q·(k1∘k2)), a product k1∘k2 or v1∘v2, or the output is beyond the double range ' +
    '(about 1.8e308), so softmax(q·Kᵀ)·V is not representable: scale q, K or V down (e.g. by a power of two)';
  function check(st, fn, cname, args, advice) {
    if (st !== 0) throw statusError(st, fn, cname, args, advice);
  }

  // -------------------------------------------------------------- copy-in decoders
  function decodeInputs(fn, q, mats) {
    const M = mats.map(([m, name]) => asMatrix(m, name, fn));
    const n = M[0].rows, d = M[0].cols;
    for (let i = 1; i < M.length; i++) {
      if (M[i].rows !== n || M[i].cols !== d) {
        throw new SketchlabError('ESHAPE', `${fn}: ${mats[i][1]} is ${M[i].rows}×${M[i].cols} but ${mats[0][1]} is ${n}×${d}; keys and values must all be n×d`, { fn });
      }
    }
    return { M, n, d, q: vecArg(q, 'q', fn, d) };
  }

  /**
   * Tensor attention of one query: out_j = Σ_ab P_ab V1[a,j] V2[b,j], P = softmax over all
   * n² pairs of scale·⟨q, K1[a] ∘ K2[b]⟩.
   * @param {object} [opts] { evaluation = 'factored' | 'two-cache' | 'naive' | 'streaming', scale = 'raw' }
   * @returns {Float64Array} d entries
   */
  function tensorAttention(q, K1, K2, V1, V2, opts) {
    const fn = 'tensorAttention', ex = need(fn);
    const o = options(opts, fn, ['evaluation', 'scale']);
    const { M, n, d, q: qv } = decodeInputs(fn, q, [[K1, 'K1'], [K2, 'K2'], [V1, 'V1'], [V2, 'V2']]);
    const e = evalArg(o.evaluation, fn, Object.keys(EVALUATIONS), 'factored');
    const scale = scaleArg(o.scale, d, fn);
    return withScope(rt(), fn, (s) => {
      const pq = s.copyIn(qv, 'q');
      const p = M.map((m, i) => s.copyIn(m.data, ['K1', 'K2', 'V1', 'V2'][i]));
      const pOut = s.allocF64(d, 'the output');
      const st = ex.sk_tensor_attention_decode(e, n, d, scale, pq, p[0], n, p[1], n, p[2], n, p[3], n, pOut);
      check(st, fn, 'sk_tensor_attention_decode', [], st === 7 ? RANGE : e === 0 || e === 1
          ? `the ${e === 0 ? 'two-cache' : 'naive'} evaluation materialises 2n²d = ${2 * n * n * d} numbers (${formatBytes(16 * n * n * d)}), too much for wasm memory; use evaluation 'factored' or 'streaming'`
          : undefined);
      return readF64(rt(), pOut, d);
    });
  }

  /**
   * Standard attention of one query: out = Vᵀ softmax(scale·K q).
   * @param {object} [opts] { scale = 'raw' }
   */
  function attention(q, K, V, opts) {
    const fn = 'attention', ex = need(fn);
    const o = options(opts, fn, ['scale']);
    const { M, n, d, q: qv } = decodeInputs(fn, q, [[K, 'K'], [V, 'V']]);
    const scale = scaleArg(o.scale, d, fn);
    return withScope(rt(), fn, (s) => {
      const pq = s.copyIn(qv, 'q'), pK = s.copyIn(M[0].data, 'K'), pV = s.copyIn(M[1].data, 'V');
      const pOut = s.allocF64(d, 'the output');
      const st = ex.sk_attention_decode(n, d, scale, pq, pK, n, pV, n, pOut);
      check(st, fn, 'sk_attention_decode', [], st === 7 ? RANGE : undefined);
      return readF64(rt(), pOut, d);
    });
  }

  // -------------------------------------------------------------- handles
  /** The C pointers of a cache (WasmHandle: dispose, the error after dispose). */
  class Handle extends WasmHandle {
    constructor(fn, ptr, destroy, extra = 0, ptr2 = 0) {
      super((ex) => {
        ex[destroy](ptr);
        if (ptr2) ex[destroy](ptr2);
        if (extra) ex.free(extra);
      });
      this._fn = fn;
      this._ptr = ptr;
      this._ptr2 = ptr2; // SubGen4Cache: the second factor's state (same destroy)
      this._extra = extra;
    }
    _live(method) {
      this._assertLive(`${this._fn}.${method}`, 'handle', `create a new one with ${this._fn}({...})`);
      return this._ptr;
    }
  }

  function readStats(ex, ptr, cfn, fn, count) {
    return withScope(rt(), fn, (s) => {
      const p = s.allocF64(count, 'the counters');
      check(ex[cfn](ptr, p), fn, cfn);
      return readF64(rt(), p, count);
    });
  }

  function bytesNeeded(ex, kind, d, window, tokens) {
    return withScope(rt(), 'kvCache', (s) => {
      const p = s.allocF64(1);
      ex.sk_kvcache_bytes_needed(kind, d, window, tokens, p);
      return f64(rt(), p, 1)[0];
    });
  }

  function memoryAdvice(ex, kindName, kind, d, window, tokens) {
    if (tokens === 0 || 8 * d >= 2 ** 32) { // what failed is the query's vector of d numbers, before any token
      return `d = ${d} is too large: one vector of d numbers needs ${formatBytes(8 * d)}, and the wasm heap ` +
        `(${formatBytes(rt().memory.buffer.byteLength)} of at most 4 GB) could not provide it; use a smaller d`;
    }
    const need4 = bytesNeeded(ex, KINDS.four, d, window, tokens);
    const needK = bytesNeeded(ex, kind, d, window, tokens);
    const heap = rt().memory.buffer.byteLength;
    return `a ${kindName}-cache of ${tokens} tokens with d = ${d} needs ${formatBytes(needK)} (and, while growing, a copy of what it holds); ` +
      `the wasm heap is ${formatBytes(heap)} of at most 4 GB and could not provide it; ` +
      (kind === KINDS.two ? `use kind 'four' (needs ${formatBytes(need4)}, same answers through the factored evaluation) or a window` : 'use fewer tokens or a window');
  }

  class KVCache extends Handle {
    constructor(ptr, kindName, kind, d, window) {
      super('kvCache', ptr, 'sk_kvcache_destroy');
      this.kind = kindName;
      this.d = d;
      this.window = window === NO_WINDOW ? null : window;
      this._kind = kind;
      this._cwindow = window;
    }

    /**
     * Append one token (vectors of d entries) or a batch (count×d matrices, one
     * token per row), in one call: append(k1, k2, v1, v2) for tensor caches,
     * append(k, v) for a standard cache. Nothing is appended on any error.
     */
    append(...args) {
      const fn = 'kvCache.append', ptr = this._live('append'), ex = need('kvCache');
      const names = this._kind === KINDS.standard ? ['k', 'v'] : ['k1', 'k2', 'v1', 'v2'];
      if (args.length !== names.length) {
        throw new SketchlabError('EINVAL', `${fn}: a ${this.kind} cache takes append(${names.join(', ')}), got ${args.length} arguments`, { fn });
      }
      const parts = args.map((a, i) => tokensArg(a, names[i], fn, this.d));
      const count = sameCount(parts, fn);
      withScope(rt(), fn, (s) => {
        const p = parts.map((x, i) => s.copyIn(x.data, names[i]));
        const [k1, k2, v1, v2] = this._kind === KINDS.standard ? [p[0], 0, p[1], 0] : p;
        const st = ex.sk_kvcache_append(ptr, count, k1, count, k2, count, v1, count, v2, count);
        check(st, fn, 'sk_kvcache_append', [], st === 1
          ? memoryAdvice(ex, this.kind, this._kind, this.d, this._cwindow, this.stats().tokens + count) : undefined);
      });
      return this;
    }

    /**
     * Attention of q against the cache.
     * @param {object} [opts] { evaluation }: four-cache 'factored' (default), 'naive', 'streaming';
     *   two-cache 'two-cache' (default); ignored by a standard cache.
     * @returns {Float64Array} d entries
     */
    query(q, opts) {
      const fn = 'kvCache.query', ptr = this._live('query'), ex = need('kvCache');
      const o = options(opts, fn, ['evaluation']);
      let e = 0;
      if (this._kind === KINDS.four) e = evalArg(o.evaluation, fn, ['naive', 'factored', 'streaming'], 'factored');
      else if (this._kind === KINDS.two) e = evalArg(o.evaluation, fn, ['two-cache'], 'two-cache');
      const qv = vecArg(q, 'q', fn, this.d);
      return withScope(rt(), fn, (s) => {
        const pq = s.copyIn(qv, 'q'), pOut = s.allocF64(this.d, 'the output');
        const st = ex.sk_kvcache_query(ptr, e, pq, pOut);
        check(st, fn, 'sk_kvcache_query', [], st === 7 ? (this.stats().tokens === 0 ? 'the cache is empty; append at least one token before querying' : RANGE) : undefined);
        return readF64(rt(), pOut, this.d);
      });
    }

    /**
     * Counters (spec §2.2/§2.4): tokens, words held, bytes, bits; auxWords (two-cache:
     * the 4td factor words kept to form new pairs); appendOps (words written by the
     * last token's append: 4d, or 2(2t−1)d products for the two-cache); queryOps
     * (multiply-adds of the last query); workWords (its working memory); totals.
     */
    stats() {
      const v = readStats(need('kvCache'), this._live('stats'), 'sk_kvcache_stats', 'kvCache.stats', STAT_COUNT);
      return {
        tokens: v[0], words: v[1], bytes: v[2], bits: v[3], auxWords: v[4], appendOps: v[5],
        queryOps: v[6], workWords: v[7], totalAppendOps: v[8], totalQueryOps: v[9],
      };
    }
  }

  /**
   * A KV cache handle. Call dispose() (or `using`) when done.
   * @param {object} o { kind: 'four' | 'two' | 'standard', d, window?, scale = 'raw', capacity = 0 }
   */
  function kvCache(o) {
    const fn = 'kvCache', ex = need(fn);
    if (!o || typeof o !== 'object') throw new SketchlabError('EINVAL', `${fn}: pass options { kind: 'four' | 'two' | 'standard', d, window?, scale? }`, { fn });
    options(o, fn, ['kind', 'd', 'window', 'scale', 'capacity']);
    const kindName = o.kind ?? 'four';
    if (!isName(KINDS, kindName)) throw new SketchlabError('EINVAL', `${fn}: kind must be 'four', 'two' or 'standard', got ${describe(o.kind)}`, { fn });
    const d = intArg(o.d, 'd', fn, 1);
    const window = o.window === undefined || o.window === null ? NO_WINDOW : intArg(o.window, 'window', fn, 1);
    const scale = scaleArg(o.scale, d, fn);
    const capacity = o.capacity === undefined ? 0 : intArg(o.capacity, 'capacity', fn, 0, 2 ** 31 - 1);
    const kind = KINDS[kindName];
    const ptr = withScope(rt(), fn, (s) => {
      const pp = s.allocI32(1, 'the handle');
      const st = ex.sk_kvcache_create(kind, d, window, scale, capacity, pp);
      check(st, fn, 'sk_kvcache_create', [], st === 1 ? memoryAdvice(ex, kindName, kind, d, window, window > 0 ? window : capacity) : undefined);
      return i32(rt(), pp, 1)[0] >>> 0;
    });
    return new KVCache(ptr, kindName, kind, d, window);
  }

  class SubGen extends Handle {
    constructor(ptr, rng, d, ptr2 = 0) {
      super('subgen', ptr, 'sk_subgen_destroy', rng, ptr2);
      this.d = d;
      this.tensor = !!ptr2;
    }
    /**
     * Append one token or a batch (count×d matrices): append(k, v), or for the tensor
     * variant append(k1, k2, v1, v2) (k1, v1 feed the first factor's state, k2, v2 the second's).
     */
    append(...args) {
      const fn = 'subgen.append', ptr = this._live('append'), ex = need('subgen');
      const names = this.tensor ? ['k1', 'k2', 'v1', 'v2'] : ['k', 'v'];
      if (args.length !== names.length) {
        throw new SketchlabError('EINVAL', `${fn}: this SubGen takes append(${names.join(', ')}), got ${args.length} arguments`, { fn });
      }
      const parts = args.map((a, i) => tokensArg(a, names[i], fn, this.d));
      const count = sameCount(parts, fn);
      withScope(rt(), fn, (s) => {
        const p = parts.map((x, i) => s.copyIn(x.data, names[i]));
        if (!this.tensor) {
          check(ex.sk_subgen_append(ptr, this._extra, count, p[0], count, p[1], count), fn, 'sk_subgen_append');
        } else {
          check(ex.sk_subgen_append(ptr, this._extra, count, p[0], count, p[2], count), fn, 'sk_subgen_append');
          check(ex.sk_subgen_append(this._ptr2, this._extra, count, p[1], count, p[3], count), fn, 'sk_subgen_append');
        }
      });
      return this;
    }
    /** out = N̂/Ẑ (Float64Array(d)); the tensor variant over all pairs (sk_subgen4_query). */
    query(q) {
      const fn = 'subgen.query', ptr = this._live('query'), ex = need('subgen');
      const qv = vecArg(q, 'q', fn, this.d);
      return withScope(rt(), fn, (s) => {
        const pq = s.copyIn(qv, 'q'), pOut = s.allocF64(this.d, 'the output');
        const st = this.tensor ? ex.sk_subgen4_query(ptr, this._ptr2, pq, pOut, 0, 0) : ex.sk_subgen_query(ptr, pq, pOut, 0, 0);
        check(st, fn, this.tensor ? 'sk_subgen4_query' : 'sk_subgen_query', [], st === 7 ? (this.stats().tokens === 0 ? 'no token was appended yet; append before querying' : RANGE) : undefined);
        return readF64(rt(), pOut, this.d);
      });
    }
    /** { tokens, clusters, words, bytes, bits }; words = m(t+1)d + m + s(2d+1) + 1 (summed over both factors for the tensor variant; clusters = m1·m2). */
    stats() {
      const a = readStats(need('subgen'), this._live('stats'), 'sk_subgen_stats', 'subgen.stats', 5);
      if (!this.tensor) return { tokens: a[0], clusters: a[1], words: a[2], bytes: a[3], bits: a[4] };
      const b = readStats(need('subgen'), this._ptr2, 'sk_subgen_stats', 'subgen.stats', 5);
      return { tokens: a[0], clusters: a[1] * b[1], words: a[2] + b[2], bytes: a[3] + b[3], bits: a[4] + b[4] };
    }
  }

  /**
   * SubGen2Cache (the paper's construction, spec §3.2): SubGen on the two-cache's
   * pair tokens (k1_a ∘ k2_b, v1_a ∘ v2_b). Each appended token streams its 2t−1
   * new pairs in shell order; the factor rows needed to form them are kept
   * (auxWords = 4Td, reported apart from the SubGen's words).
   */
  class SubGen2 extends Handle {
    constructor(ptr, rng, d) {
      super('subgen', ptr, 'sk_subgen2_destroy', rng);
      this.d = d;
      this.tensor = 'pairs';
    }
    /** Append one token (vectors) or a batch (count×d matrices): append(k1, k2, v1, v2). */
    append(...args) {
      const fn = 'subgen.append', ptr = this._live('append'), ex = need('subgen');
      const names = ['k1', 'k2', 'v1', 'v2'];
      if (args.length !== 4) {
        throw new SketchlabError('EINVAL', `${fn}: this SubGen takes append(${names.join(', ')}), got ${args.length} arguments`, { fn });
      }
      const parts = args.map((a, i) => tokensArg(a, names[i], fn, this.d));
      const count = sameCount(parts, fn);
      withScope(rt(), fn, (s) => {
        const p = parts.map((x, i) => s.copyIn(x.data, names[i]));
        const st = ex.sk_subgen2_append(ptr, this._extra, count, p[0], count, p[1], count, p[2], count, p[3], count);
        check(st, fn, 'sk_subgen2_append', [], st === 7
          ? 'a pair product k1∘k2 or v1∘v2 is beyond the double range (about 1.8e308), or an earlier append failed half way; ' +
            'the pairs kept are an incomplete prefix: dispose this SubGen and start a new one (with K or V scaled down)' : undefined);
      });
      return this;
    }
    /** out = N̂/Ẑ over all appended pairs (Float64Array(d)); fold any scale into q. */
    query(q) {
      const fn = 'subgen.query', ptr = this._live('query'), ex = need('subgen');
      const qv = vecArg(q, 'q', fn, this.d);
      return withScope(rt(), fn, (s) => {
        const pq = s.copyIn(qv, 'q'), pOut = s.allocF64(this.d, 'the output');
        const st = ex.sk_subgen2_query(ptr, pq, pOut, 0, 0);
        check(st, fn, 'sk_subgen2_query', [], st === 7 ? (this.stats().tokens === 0
          ? 'no token was appended yet (or an append failed); append before querying'
          : `either an earlier append failed half way (dispose and start a new one), or ${RANGE}`) : undefined);
        return readF64(rt(), pOut, this.d);
      });
    }
    /**
     * { tokens, pairs (T²), clusters (of pair keys), words (m(t+1)d + m + s(2d+1) + 1), bytes,
     *   bits, auxWords (4Td factor rows kept to form pairs), appendOps (2(2t−1)d for token t, 1-based) }
     */
    stats() {
      const v = readStats(need('subgen'), this._live('stats'), 'sk_subgen2_stats', 'subgen.stats', SG2_STAT_COUNT);
      return { tokens: v[0], pairs: v[1], clusters: v[2], words: v[3], bytes: v[4], bits: v[5], auxWords: v[6], appendOps: v[7] };
    }
  }

  /**
   * SubGen state (greedy δ-clusters with t uniform key slots each, s value samples ∝ ‖v‖²).
   * tensor: 'product' (or true) gives the product-sampling SubGen4Cache for tensor attention
   * (our construction, spec §3.2): one SubGen per factor, queried over all pairs;
   * 'pairs' gives the paper's SubGen2Cache: SubGen on the n² pair tokens.
   * @param {object} o { d, delta, t, s, seed = 0, tensor = false | true | 'product' | 'pairs' }
   */
  function subgen(o) {
    const fn = 'subgen', ex = need(fn);
    if (!o || typeof o !== 'object') throw new SketchlabError('EINVAL', `${fn}: pass options { d, delta, t, s, seed }`, { fn });
    options(o, fn, ['d', 'delta', 't', 's', 'seed', 'tensor']);
    const tv = o.tensor;
    if (tv !== undefined && typeof tv !== 'boolean' && tv !== 'product' && tv !== 'pairs') {
      throw new SketchlabError('EINVAL', `${fn}: tensor must be false, true / 'product' (SubGen4Cache) or 'pairs' (SubGen2Cache), got ${describe(tv)}`, { fn });
    }
    const mode = tv === true || tv === 'product' ? 'product' : tv === 'pairs' ? 'pairs' : 'standard';
    const d = intArg(o.d, 'd', fn, 1);
    const delta = posNum(o.delta, 'delta (the cluster radius δ)', fn);
    const t = intArg(o.t, 't (uniform slots per cluster)', fn, 1);
    const s = intArg(o.s, 's (value samples)', fn, 1);
    const seed = seedArg(o.seed, fn);
    const r = rt();
    const rng = r.exports.malloc(RNG_BYTES) >>> 0;
    if (!rng) throw new SketchlabError('ENOMEM', `${fn}: out of wasm memory for the RNG state`, { fn });
    const cname = mode === 'pairs' ? 'sk_subgen2_create' : 'sk_subgen_create';
    const destroy = mode === 'pairs' ? 'sk_subgen2_destroy' : 'sk_subgen_destroy';
    let ptr = 0, ptr2 = 0, ok = false;
    const create = () => withScope(r, fn, (sc) => {
      const pp = sc.allocI32(1, 'the handle');
      check(ex[cname](d, delta, t, s, pp), fn, cname);
      return i32(rt(), pp, 1)[0] >>> 0;
    });
    try {
      check(rngInit(ex, rng, seed, 0), fn, 'sk_rng_init');
      ptr = create();
      if (mode === 'product') ptr2 = create();
      ok = true;
    } finally {
      if (!ok) {
        if (ptr) ex[destroy](ptr);
        r.exports.free(rng);
      }
    }
    return mode === 'pairs' ? new SubGen2(ptr, rng, d) : new SubGen(ptr, rng, d, ptr2);
  }

  // -------------------------------------------------------------- Index game
  function cacheArg(c, n, fn) {
    if (c === undefined || c === 'exact') return { kind: 0, budget: 0, delta: 0, t: 0, s: 0, name: 'exact' };
    if (c === 'four' || c === 'two') return { kind: INDEX_KINDS[c], budget: 0, delta: 0, t: 0, s: 0, name: c };
    if (!c || typeof c !== 'object' || !isName(INDEX_KINDS, c.kind)) {
      throw new SketchlabError('EINVAL', `${fn}: cache must be 'exact', 'four', 'two', { kind: 'evict', budget }, { kind: 'window', size } or { kind: 'subgen' | 'subgen4' | 'subgen2', delta, t, s }, got ${describe(c)}`, { fn });
    }
    const r = { kind: INDEX_KINDS[c.kind], budget: 0, delta: 0, t: 0, s: 0, name: c.kind };
    if (c.kind === 'evict') r.budget = intArg(c.budget, 'cache.budget', fn, 1, n);
    if (c.kind === 'window') r.budget = intArg(c.size, 'cache.size', fn, 1, n);
    if (c.kind === 'subgen' || c.kind === 'subgen4' || c.kind === 'subgen2') {
      r.delta = posNum(c.delta, 'cache.delta', fn);
      r.t = intArg(c.t, 'cache.t', fn, 1);
      r.s = intArg(c.s, 'cache.s', fn, 1);
    }
    return r;
  }

  /**
   * The Index game (spec §3.3/§3.4): Alice's bits → a cache state → Bob's reads. 'four' and
   * { kind: 'subgen4' | 'subgen2', delta, t, s } play the tensor four-cache lift (k2 = v2 = 𝟙)
   * exactly or through SubGen4Cache (product sampling, our construction) / SubGen2Cache (pairs).
   * @param {object} o { n, d, C = 12, cache, seed = 0, bits? (Uint8Array of n·d, or n²·d for 'two', row-major) }
   * @returns {{accuracy, stateBits, fanoBits, maxError, N, bits: Uint8Array, recovered: Uint8Array}}
   */
  function indexGame(o) {
    const fn = 'indexGame', ex = need(fn);
    if (!o || typeof o !== 'object') throw new SketchlabError('EINVAL', `${fn}: pass options { n, d, C, cache, seed }`, { fn });
    options(o, fn, ['n', 'd', 'C', 'cache', 'seed', 'bits']);
    const n = intArg(o.n, 'n', fn, 1), d = intArg(o.d, 'd', fn, 1);
    const C = o.C === undefined ? 12 : posNum(o.C, 'C', fn);
    const c = cacheArg(o.cache, n, fn);
    const seed = seedArg(o.seed, fn);
    const N = (c.kind === INDEX_KINDS.two ? n * n : n) * d;
    let bits = o.bits;
    if (bits !== undefined) {
      if (!(bits instanceof Uint8Array) || bits.length !== N) {
        throw new SketchlabError('ESHAPE', `${fn}: bits must be a Uint8Array of ${N} entries (n·d${c.kind === INDEX_KINDS.two ? ' with n² rows' : ''}), got ${describe(bits)}`, { fn });
      }
      if (bits.some((b) => b > 1)) throw new SketchlabError('EINVAL', `${fn}: bits must be 0 or 1`, { fn });
    }
    return withScope(rt(), fn, (s) => {
      const pRng = s.alloc(RNG_BYTES, 'the RNG state');
      if (bits === undefined) { // Alice's bits: uniform, from stream 1 of the seed
        const pu = s.allocF64(N, 'the random bits');
        check(rngInit(ex, pRng, seed, 1), fn, 'sk_rng_init');
        check(ex.sk_rng_uniform(pRng, N, pu), fn, 'sk_rng_uniform');
        const u = f64(rt(), pu, N);
        bits = new Uint8Array(N);
        for (let i = 0; i < N; i++) bits[i] = u[i] < 0.5 ? 1 : 0;
      }
      const pBits = s.alloc(N, 'the bits'), pRec = s.alloc(N, 'the recovered bits'), pRes = s.allocF64(4);
      new Uint8Array(rt().memory.buffer, pBits, N).set(bits);
      check(rngInit(ex, pRng, seed, 0), fn, 'sk_rng_init');
      check(ex.sk_index_game(n, d, C, c.kind, c.budget, c.delta, c.t, c.s, pRng, pBits, pRec, pRes), fn, 'sk_index_game');
      const res = readF64(rt(), pRes, 4);
      const recovered = new Uint8Array(rt().memory.buffer, pRec, N).slice();
      return { accuracy: res[0], stateBits: res[1], fanoBits: res[2], maxError: res[3], N, bits: bits.slice(), recovered };
    });
  }

  // -------------------------------------------------------------- a whole decode (worker/demo)
  /**
   * How long decodeRun repeats a short query so that the clock resolves it: five ticks of
   * `now` (measured: the largest of three edge-to-edge steps), between 0.05 and 1 ms. Browsers
   * without cross-origin isolation tick every 0.1 ms: 0.5 ms, over which the clock's 0.1 ms
   * steps make the error of a short query's time at most 20 % (it was 10 % over 1 ms); a fine
   * clock (Node, isolated pages) gets 0.05 ms.
   * This used to be 1 ms whatever the clock: for a decode of T = 256 through three caches, the
   * steps whose query takes less than that (about 500 of the 768 at d = 64) spent ~0.5 s
   * repeating queries, a quarter to a third of the whole decode.
   */
  function querySpan(now) {
    // Each wait for the next tick is bounded (a clock that does not move within 10⁶ reads is
    // treated as coarse: 1 ms).
    const edge = (a) => { let b = a; for (let i = 0; i < 1e6 && b === a; i++) b = now(); return b; };
    let b = edge(now()), tick = 0;
    for (let k = 0; k < 3 && tick < 0.2; k++) { // a clock this coarse gets 1 ms at once
      const a = b;
      b = edge(a);
      tick = b === a ? 1 : Math.max(tick, b - a);
    }
    return Math.min(1, Math.max(0.05, 5 * tick));
  }

  /**
   * Decode T random tokens (Gaussian, seeded) one at a time through one cache, or through
   * several side by side (`caches`), querying every step: per-step wall time (the append plus
   * one query, the query repeated for five ticks of the clock (0.05–1 ms, querySpan) so that coarse timers still resolve
   * it), words held and multiply-adds.
   * @param {object} o { kind: 'four' | 'two', evaluation, d, T, seed = 0, scale = 'alman-song', window?,
   *   caches?: [{ kind, evaluation }] (then the result is { runs: [...] }, one per cache, in order),
   *   onStep?: ({ t, T, steps: [{ ms, words, queryOps, appendOps, workWords }] }) => void — called
   *   after every step (t = 1..T, one entry per cache); the worker client turns it into progress
   *   events { phase: 'step', step } }
   * @returns {{ms: Float64Array, words: Float64Array, queryOps: Float64Array, appendOps: Float64Array, workWords: Float64Array, out: Float64Array}}
   *   out: the last step's output (d entries).
   */
  function decodeRun(o) {
    const fn = 'decodeRun', ex = need(fn);
    if (!o || typeof o !== 'object') throw new SketchlabError('EINVAL', `${fn}: pass options { kind, evaluation, d, T, seed }`, { fn });
    options(o, fn, ['kind', 'evaluation', 'd', 'T', 'seed', 'scale', 'window', 'caches', 'onStep']);
    const d = intArg(o.d, 'd', fn, 1), T = intArg(o.T, 'T', fn, 1, 1 << 20);
    const seed = seedArg(o.seed, fn);
    if (o.onStep !== undefined && typeof o.onStep !== 'function') {
      throw new SketchlabError('EINVAL', `${fn}: onStep must be a function, got ${describe(o.onStep)}`, { fn });
    }
    let specs = [{ kind: o.kind, evaluation: o.evaluation }];
    if (o.caches !== undefined) {
      if (!Array.isArray(o.caches) || o.caches.length === 0 || o.caches.some((c) => !c || typeof c !== 'object')) {
        throw new SketchlabError('EINVAL', `${fn}: caches must be a non-empty array of { kind, evaluation }, got ${describe(o.caches)}`, { fn });
      }
      specs = o.caches.map((c) => ({ kind: c.kind, evaluation: c.evaluation }));
    }
    specs.forEach((c, i) => { // decodeRun appends tensor tokens (k1, k2, v1, v2): a standard cache cannot take them
      if (c.kind !== undefined && c.kind !== 'four' && c.kind !== 'two') {
        const where = o.caches !== undefined ? `caches[${i}].kind` : 'kind';
        throw new SketchlabError('EINVAL', `${fn}: ${where} must be 'four' or 'two' (a tensor decode), got ${describe(c.kind)}`, { fn });
      }
    });
    const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
    const span = querySpan(now);
    const caches = [];
    try {
      // Sized for all T tokens up front: a growing two-cache re-allocates and copies its
      // 2t²d pair words ~8 times on the way to T (and touches ~2× the fresh memory), a
      // cost of the allocator, not of the cache, that showed as spikes of 60–115 ms at
      // single steps of a first decode. Results and counters are the same.
      for (const c of specs) caches.push(kvCache({ kind: c.kind ?? 'four', d, window: o.window, scale: o.scale ?? 'alman-song', capacity: T }));
      const qopts = specs.map((c) => (c.evaluation === undefined ? undefined : { evaluation: c.evaluation }));
      caches.forEach((c, i) => { if (qopts[i]) evalArg(qopts[i].evaluation, fn, c._kind === KINDS.two ? ['two-cache'] : ['naive', 'factored', 'streaming']); });
      const tok = withScope(rt(), fn, (s) => { // 5 rows per token: q, k1, k2, v1, v2
        const pRng = s.alloc(RNG_BYTES), p = s.allocF64(5 * T * d);
        check(rngInit(ex, pRng, seed, 2), fn, 'sk_rng_init');
        check(ex.sk_rng_normal_matrix(pRng, d, 5 * T, p, d), fn, 'sk_rng_normal_matrix');
        return readF64(rt(), p, 5 * T * d);
      });
      const runs = caches.map(() => ({
        ms: new Float64Array(T), words: new Float64Array(T), queryOps: new Float64Array(T),
        appendOps: new Float64Array(T), workWords: new Float64Array(T), out: null,
      }));
      for (let t = 0; t < T; t++) {
        const row = (r) => tok.subarray((5 * t + r) * d, (5 * t + r + 1) * d);
        const steps = [];
        for (let i = 0; i < caches.length; i++) {
          const cache = caches[i], r = runs[i];
          // A coarse clock cannot time one short query: repeat it until `span` ms have
          // passed (five ticks of this clock) and report append time + time per query.
          const t0 = now();
          cache.append(row(1), row(2), row(3), row(4));
          const t1 = now();
          let reps = 0, t2;
          do { r.out = cache.query(row(0), qopts[i]); reps++; t2 = now(); } while (t2 - t1 < span && reps < 1000);
          r.ms[t] = (t1 - t0) + (t2 - t1) / reps;
          const st = cache.stats();
          r.words[t] = st.words; r.queryOps[t] = st.queryOps; r.appendOps[t] = st.appendOps; r.workWords[t] = st.workWords;
          steps.push({ ms: r.ms[t], words: st.words, queryOps: st.queryOps, appendOps: st.appendOps, workWords: st.workWords });
        }
        if (o.onStep) o.onStep({ t: t + 1, T, steps });
      }
      return o.caches !== undefined ? { runs } : runs[0];
    } finally {
      for (const c of caches) c.dispose();
    }
  }

  return { tensorAttention, attention, kvCache, subgen, indexGame, decodeRun };
}
