// stream.js — sketches of turnstile streams and the ℓ2 / attention samplers
// (c/include/sketchlab/stream.h; specs/attention.md §1, cited §x.y).
//
//   const cs = countSketch({ buckets: 256, rows: 7, seed: 1 });
//   cs.update(Int32Array.of(3, 9), Float64Array.of(1, -2));   // one wasm call per batch
//   cs.estimate(3); cs.f2(); const bytes = cs.serialize(); cs.dispose();
//   const s = l2Sampler({ n: 200, eps: 0.25, buckets: 64, rows: 7, heavy: 8, seed: 3 });
//   s.update(idx, deltas); s.sample();  // { index, value, fail, u, zhat, r, s, tailLimit, peakLimit, ... }
//
// Stateful objects are handles on C state: dispose() (or `using`) frees it, a
// FinalizationRegistry frees forgotten ones, and any use after dispose throws
// a SketchlabError with code EDISPOSED. Inputs are validated in JS first.

import { SketchlabError, statusError } from './errors.js';
import { withScope, readF64, readI32, f64, i32, formatBytes } from './memory.js';
import { handleClass } from './handle.js';
import { asMatrix, isList, numberList } from './matrix.js';
import { describe } from './validate.js';

export const STREAM_REQUIRES = Object.freeze({
  countSketch: ['sk_cs_create', 'sk_cs_destroy', 'sk_cs_update', 'sk_cs_update_batch', 'sk_cs_estimate',
    'sk_cs_estimate_all', 'sk_cs_f2', 'sk_cs_merge', 'sk_cs_serialize', 'sk_cs_size', 'sk_cs_table', 'sk_cs_heavy'],
  deserializeSketch: ['sk_cs_deserialize'],
  amsSketch: ['sk_ams_create', 'sk_ams_destroy', 'sk_ams_update_batch', 'sk_ams_f2', 'sk_ams_size'],
  countMin: ['sk_cm_create', 'sk_cm_destroy', 'sk_cm_update_batch', 'sk_cm_estimate_all', 'sk_cm_estimate', 'sk_cm_f2', 'sk_cm_table', 'sk_cm_size'],
  sketchComparison: ['sk_cs_create', 'sk_cm_create', 'sk_ams_create'],
  attentionLive: ['sk_att_create', 'sk_att_update_a', 'sk_att_update_x', 'sk_att_stats', 'sk_att_sample'],
  l2Sampler: ['sk_l2s_create', 'sk_l2s_destroy', 'sk_l2s_update_batch', 'sk_l2s_sample', 'sk_l2s_inspect',
    'sk_l2s_table', 'sk_l2s_size'],
  attentionSampler: ['sk_att_create', 'sk_att_destroy', 'sk_att_update_a', 'sk_att_update_x', 'sk_att_sample',
    'sk_att_stats', 'sk_att_table', 'sk_att_serialize', 'sk_att_deserialize'],
  tensorSampler: ['sk_tensor_create', 'sk_tensor_destroy', 'sk_tensor_update', 'sk_tensor_sample',
    'sk_tensor_table', 'sk_tensor_fft_sketch', 'sk_tensor_size'],
  softmaxSample: ['sk_softmax_sample', 'sk_rng_init'],
  samplerTrials: ['sk_l2s_create', 'sk_l2s_destroy', 'sk_l2s_update_batch', 'sk_l2s_sample'],
  disjointnessGame: ['sk_disj_trial', 'sk_rng_init'],
  lemma62Game: ['sk_lemma62_trial'],
});

const HASH = Object.freeze({ poly: 0, fast: 1 });
const RULE = Object.freeze({ jst: 0, paper: 1 });
const ORACLE = Object.freeze({ sketch: 0, exact: 1, race: 2 });
const SETTING = Object.freeze({ A: 1, x: 2, both: 3 });
const METHOD = Object.freeze({ inverse: 0, gumbel: 1, alias: 2 });
const CM_RULE = Object.freeze({ min: 0, median: 1 });
const FAIL = [null, 'tail', 'threshold'];
const REC_LEN = 14, STAT_LEN = 8;
// What a CountSketch update or merge refused with EINVAL means (stream.h).
const OVERFLOW = 'a counter would overflow past ±1.7976931348623157e308 (the largest finite double); ' +
  'the sketch is unchanged. Scale the deltas down (the sketch is linear: divide them all by the same power of 2)';
// ... and what an ℓ2-sampler or AMS update refused with EINVAL means (stream.h "Range").
const RANGE = {
  sk_l2s_update_batch: 'a stored number (a counter of CSz = y/√u or CSy, or y itself) would reach 2^400 ≈ 2.6e120, ' +
    'beyond which the query\'s squared norms could overflow; the sampler is unchanged. Scale y down (the sampled index does not depend on the scale)',
  sk_ams_update_batch: 'a counter would reach 2^500 ≈ 3.3e150, beyond which the F2 estimate could overflow; ' +
    'the sketch is unchanged. Scale the deltas down (the sketch is linear: divide them all by the same power of 2)',
  sk_cs_update_batch: OVERFLOW,
};
const MAX_BUCKETS = 1 << 24, MAX_ROWS = 255, MAX_REPS = 4096, MAX_INDEX = 0x7fffffff;
const MAX_AMS_S1 = 1 << 20, MAX_LEMMA62_D = 1 << 20; // sk_ams_create's and sk_lemma62_trial's limits
const MAX_TENSOR_D = 4096, MAX_TENSOR_REPS = 1024; // sk_tensor_create's own limits (tensor.c)
// What a creation refused with SK_ENOMEM means: the state (named with its
// size) does not fit in wasm memory, and which options shrink it.
const HASH_BYTES = 136; // sizeof(sk_hash_t): one hash's coefficients (hash.h)
function oom(state, bytes, change) {
  return `out of memory: ${state}, about ${formatBytes(bytes)}, does not fit in wasm memory (at most 4 GB); ${change}`;
}


/** The glass-box record (SK_L2S_REC_* order) as an object. */
function record(rec) {
  const index = rec[0];
  return {
    index, value: index >= 0 ? rec[1] : null, fail: FAIL[rec[2]] ?? null,
    rep: rec[3], istar: rec[4], u: rec[5], zhat: rec[6], r: rec[7], s: rec[8],
    tailLimit: rec[9], peakLimit: rec[10], tried: rec[11], failsTail: rec[12], failsThreshold: rec[13],
  };
}

/**
 * Bind the stream API to one runtime. Called once by index.js.
 * @param {object} h { runtime: () => rt|null, need, seedArg, options, REQUIRES }
 */
export function createStream(h) {
  const { runtime, need, seedArg, options } = h;
  Object.assign(h.REQUIRES, STREAM_REQUIRES);
  const rt = () => runtime();

  // -------------------------------------------------------------- validation
  function intArg(v, name, fn, min, max, hint = '') {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be an integer${hint}, got ${describe(v)}`, { fn });
    }
    if (v < min || v > max) {
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be from ${min} to ${max}${hint}, got ${v}`, { fn });
    }
    return v;
  }
  function epsArg(v, fn) {
    if (v === undefined) return 0.25;
    if (typeof v !== 'number' || !(v > 0 && v < 1)) {
      throw new SketchlabError('EINVAL', `${fn}: eps must be a number strictly between 0 and 1 (e.g. 0.25), got ${describe(v)}`, { fn });
    }
    return v;
  }
  function enumArg(v, table, name, fn, dflt) {
    if (v === undefined) return table[dflt];
    if (typeof v !== 'string' || !Object.prototype.hasOwnProperty.call(table, v)) { // (a Symbol or null-prototype object is not coerced)
      throw new SketchlabError('EINVAL', `${fn}: ${name} must be one of ${Object.keys(table).map((k) => `'${k}'`).join(', ')}, got ${describe(v)}`, { fn });
    }
    return table[v];
  }
  /** An array or typed array of numbers as a new Float64Array (matrix.js numberList, copied). */
  function numbersArg(v, name, fn) {
    const x = numberList(v, name, fn);
    if (!x) throw new SketchlabError('EINVAL', `${fn}: ${name} must be an array of numbers, got ${describe(v)}`, { fn });
    return x === v ? x.slice() : x;
  }
  function finiteArg(v, name, fn) {
    if (typeof v !== 'number') throw new SketchlabError('EINVAL', `${fn}: ${name} must be a number, got ${describe(v)}`, { fn });
    if (!Number.isFinite(v)) throw new SketchlabError('ENONFINITE', `${fn}: ${name} must be finite, got ${v}; remove NaN/Infinity from the stream`, { fn });
    return v;
  }
  function check(st, fn, cname, args, advice) {
    if (st !== 0) throw statusError(st, fn, cname, args, advice);
  }

  // A C call whose last parameter is a uint64 seed: BigInt if the module
  // takes i64 directly, else (lo, hi) after legalization.
  function callSeeded(ex, cname, args, seed) {
    const f = ex[cname];
    if (f.length === args.length + 2) return f(...args, Number(seed & 0xffffffffn) | 0, Number(seed >> 32n) | 0);
    return f(...args, BigInt.asIntN(64, seed));
  }

  function readI64(ptr) {
    return Number(new DataView(rt().memory.buffer).getBigInt64(ptr, true));
  }

  // -------------------------------------------------------------- handles
  const WasmHandle = handleClass(rt);

  class Handle extends WasmHandle {
    constructor(kind, ptr, destroy) {
      super((ex) => ex[destroy](ptr));
      this._kind = kind;
      this._ptr = ptr;
    }
    /** The live C pointer, or a clear error after dispose() or after reset() replaced the instance. */
    _p(method) {
      this._assertLive(`${this._kind}.${method}`, this._kind, `create a new one with ${this._kind}({...})`);
      return this._ptr;
    }
  }

  function create(fn, cname, args, seed, argNames, oomAdvice) {
    const ex = rt().exports;
    return withScope(rt(), fn, (sc) => {
      const pOut = sc.alloc(4, 'the handle pointer');
      const st = callSeeded(ex, cname, [...args, pOut], seed);
      check(st, fn, cname, argNames, st === 1 ? oomAdvice : undefined); // 1: SK_ENOMEM
      return i32(rt(), pOut, 1)[0] >>> 0;
    });
  }

  function sizeOf(ptr, cname, fn) {
    return withScope(rt(), fn, (sc) => {
      const p = sc.alloc(16);
      check(rt().exports[cname](ptr, p, p + 8), fn, cname);
      return { bytes: readI64(p), bits: readI64(p + 8) };
    });
  }

  /** Throw the clear error for the first bad entry of a batch (if any). */
  function badEntry(idx, dl, limit, fn) {
    for (let t = 0; t < idx.length; t++) {
      if (idx[t] < 0 || idx[t] >= limit) {
        throw new SketchlabError('EINVAL', `${fn}: index ${idx[t]} at position ${t} is out of range 0..${limit - 1}`, { fn });
      }
      if (!Number.isFinite(dl[t])) {
        throw new SketchlabError('ENONFINITE', `${fn}: delta at position ${t} is ${dl[t]}; remove NaN/Infinity from the stream`, { fn });
      }
    }
  }

  /** Shared batch update: update(i, delta) or update(Int32Array, Float64Array). */
  function batchUpdate(handle, method, cname, iOrIdx, delta, limit) {
    const fn = `${handle._kind}.${method}`;
    const ptr = handle._p(method);
    let idx, dl;
    if (typeof iOrIdx === 'number') {
      intArg(iOrIdx, 'the index', fn, 0, limit - 1, limit <= MAX_INDEX ? ` (the universe is 0..${limit - 1})` : '');
      finiteArg(delta, 'delta', fn);
      idx = Int32Array.of(iOrIdx); dl = Float64Array.of(delta);
    } else {
      if (!(iOrIdx instanceof Int32Array) || !(delta instanceof Float64Array)) {
        throw new SketchlabError('EINVAL', `${fn}: pass (i, delta) numbers or (Int32Array indices, Float64Array deltas), got (${describe(iOrIdx)}, ${describe(delta)})`, { fn });
      }
      if (iOrIdx.length !== delta.length) {
        throw new SketchlabError('ESHAPE', `${fn}: indices and deltas must have the same length, got ${iOrIdx.length} and ${delta.length}`, { fn });
      }
      idx = iOrIdx; dl = delta;
    }
    if (idx.length === 0) return handle;
    withScope(rt(), fn, (sc) => {
      const pi = sc.allocI32(idx.length, 'the indices'), pd = sc.copyIn(dl, 'the deltas');
      i32(rt(), pi, idx.length).set(idx);
      const st = rt().exports[cname](ptr, idx.length, pi, pd);
      // The C call checks the whole batch before changing anything (stream.h),
      // so the entries are scanned in JS only when it refused them, to name
      // the first bad one: one pass over a long batch instead of two.
      if (st === -3 || st === 5) badEntry(idx, dl, limit, fn); // -3: an index, 5: SK_ENONFINITE
      check(st, fn, cname, [], RANGE[cname]);
    });
    return handle;
  }

  function serializeWith(ptr, cname, fn) {
    const ex = rt().exports;
    return withScope(rt(), fn, (sc) => {
      const pLen = sc.alloc(4);
      check(ex[cname](ptr, 0, 0, pLen), fn, cname);
      const len = i32(rt(), pLen, 1)[0] >>> 0;
      const buf = sc.alloc(len, 'the serialized state');
      check(ex[cname](ptr, buf, len, pLen), fn, cname);
      return new Uint8Array(rt().memory.buffer, buf, len).slice();
    });
  }

  // Format 1 (sketchlab 0.1.0) of a 'fast' state: its counters were filled
  // under the old fast CountSketch hash, which format 2 replaced (the C side
  // refuses it with SK_EFORMAT; this says why). modeAt: the header offset of
  // the hash mode.
  function refuseOldFast(bytes, magic, modeAt, fn) {
    if (bytes.length < modeAt + 4) return;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(0, true) === magic && dv.getUint32(4, true) === 1 && dv.getUint32(modeAt, true) === 1) {
      throw new SketchlabError('EFORMAT', `${fn}: this state was saved by sketchlab 0.1 with hash 'fast', whose ` +
        "CountSketch hash has changed since (format 2), so its counters cannot be read under the new one; rebuild it " +
        "from its stream (states saved with hash 'poly' still load)", { fn });
    }
  }

  function deserializeWith(bytes, cname, fn, magic, modeAt) {
    if (!(bytes instanceof Uint8Array)) {
      throw new SketchlabError('EINVAL', `${fn}: bytes must be the Uint8Array that serialize() returned, got ${describe(bytes)}`, { fn });
    }
    refuseOldFast(bytes, magic, modeAt, fn);
    const ex = rt().exports;
    return withScope(rt(), fn, (sc) => {
      const p = sc.alloc(bytes.length, 'the serialized state');
      new Uint8Array(rt().memory.buffer, p, bytes.length).set(bytes);
      const pOut = sc.alloc(4);
      check(ex[cname](p, bytes.length, pOut), fn, cname);
      return i32(rt(), pOut, 1)[0] >>> 0;
    });
  }

  // -------------------------------------------------------------- CountSketch
  class CountSketch extends Handle {
    constructor(ptr, buckets, rows, hash, seed) {
      super('countSketch', ptr, 'sk_cs_destroy');
      this.buckets = buckets; this.rows = rows; this.hash = hash;
      this._seed = BigInt.asUintN(64, seed); // for merge()'s message: the seed is the usual difference
    }
    /** x_i += delta, or a batch (Int32Array, Float64Array) in one wasm call. */
    update(i, delta) { return batchUpdate(this, 'update', 'sk_cs_update_batch', i, delta, MAX_INDEX + 1); }
    /** x̂_i = median_r s_r(i)·C[r][h_r(i)]. */
    estimate(i) {
      const fn = 'countSketch.estimate', p = this._p('estimate');
      intArg(i, 'i', fn, 0, MAX_INDEX);
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(1);
        check(rt().exports.sk_cs_estimate(p, i, o), fn, 'sk_cs_estimate');
        return readF64(rt(), o, 1)[0];
      });
    }
    /** x̂_0..x̂_{n−1}: the sketch does not know the universe size, so pass n. */
    estimateAll(n) {
      const fn = 'countSketch.estimateAll', p = this._p('estimateAll');
      intArg(n, 'n (the universe size)', fn, 0, 1 << 27);
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(n, 'the estimates');
        check(rt().exports.sk_cs_estimate_all(p, n, o), fn, 'sk_cs_estimate_all');
        return readF64(rt(), o, n);
      });
    }
    /** F̂2 = median over rows of Σ_c C[r][c]². */
    f2() {
      const fn = 'countSketch.f2', p = this._p('f2');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(1);
        check(rt().exports.sk_cs_f2(p, o), fn, 'sk_cs_f2');
        return readF64(rt(), o, 1)[0];
      });
    }
    /** The k largest |x̂_i| over [0, n): { indices: Int32Array, values: Float64Array }. */
    heavy(n, k) {
      const fn = 'countSketch.heavy', p = this._p('heavy');
      intArg(n, 'n', fn, 1, 1 << 27);
      intArg(k, 'k', fn, 1, n);
      return withScope(rt(), fn, (sc) => {
        const pi = sc.allocI32(k), pv = sc.allocF64(k);
        check(rt().exports.sk_cs_heavy(p, n, k, pi, pv), fn, 'sk_cs_heavy');
        return { indices: readI32(rt(), pi, k), values: readF64(rt(), pv, k) };
      });
    }
    /** this += other; refused (EMISMATCH) unless buckets, rows, hash and seed agree. */
    merge(other) {
      const fn = 'countSketch.merge', p = this._p('merge');
      if (!(other instanceof CountSketch)) throw new SketchlabError('EINVAL', `${fn}: other must be a countSketch handle, got ${describe(other)}`, { fn });
      let q;
      try { q = other._p('merge'); } catch (e) { // name the disposed one: 'this' would point at the wrong sketch
        if (e.code !== 'EDISPOSED') throw e;
        throw new SketchlabError('EDISPOSED', e.message.replace('this countSketch', 'other (the countSketch to merge in)'), { fn });
      }
      const st = rt().exports.sk_cs_merge(p, q);
      check(st, fn, 'sk_cs_merge', [], st === 7 ? OVERFLOW : // SK_EINVAL
        `the sketches are incompatible (this: ${this.buckets}×${this.rows} ${this.hash}, seed ${this._seed}; other: ${other.buckets}×${other.rows} ${other.hash}, seed ${other._seed}); ` +
        'merge only sketches created with the same buckets, rows, hash and seed');
      return this;
    }
    /** The R×b counters, row-major. */
    table() {
      const fn = 'countSketch.table', p = this._p('table'), n = this.rows * this.buckets;
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(n);
        check(rt().exports.sk_cs_table(p, o), fn, 'sk_cs_table');
        return readF64(rt(), o, n);
      });
    }
    /** Header, version, shape, seed, counters and checksum as bytes (deserializeSketch). */
    serialize() { return serializeWith(this._p('serialize'), 'sk_cs_serialize', 'countSketch.serialize'); }
    /** State size in bytes (counters + hash coefficients). */
    get bytes() { return sizeOf(this._p('bytes'), 'sk_cs_size', 'countSketch.bytes').bytes; }
    get bits() { return 8 * this.bytes; }
  }

  function countSketch(opts) {
    const fn = 'countSketch';
    need(fn);
    const o = options(opts, fn, ['buckets', 'rows', 'seed', 'hash']);
    const buckets = intArg(o.buckets ?? 256, 'buckets', fn, 1, MAX_BUCKETS);
    const rows = intArg(o.rows ?? 5, 'rows', fn, 1, MAX_ROWS);
    const hash = enumArg(o.hash, HASH, 'hash', fn, 'poly');
    const seed = seedArg(o.seed, fn);
    const ptr = create(fn, 'sk_cs_create', [buckets, rows, hash], seed, ['buckets', 'rows', 'hash', 'out', 'seed'],
      oom(`the sketch's rows × buckets = ${rows} × ${buckets} counters`, 8 * rows * buckets, 'use fewer buckets or rows'));
    return new CountSketch(ptr, buckets, rows, o.hash ?? 'poly', seed);
  }

  function deserializeSketch(bytes) {
    const fn = 'deserializeSketch';
    need(fn);
    const ptr = deserializeWith(bytes, 'sk_cs_deserialize', fn, 0x53434B53, 16); // "SKCS", mode at 16
    // shape from the header (little-endian u32 at 8 and 12, mode at 16, u64 seed at 20)
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new CountSketch(ptr, dv.getUint32(8, true), dv.getUint32(12, true), dv.getUint32(16, true) ? 'fast' : 'poly', dv.getBigUint64(20, true));
  }

  // -------------------------------------------------------------- AMS
  class AmsSketch extends Handle {
    constructor(ptr) { super('amsSketch', ptr, 'sk_ams_destroy'); }
    update(i, delta) { return batchUpdate(this, 'update', 'sk_ams_update_batch', i, delta, MAX_INDEX + 1); }
    f2() {
      const fn = 'amsSketch.f2', p = this._p('f2');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(1);
        check(rt().exports.sk_ams_f2(p, o), fn, 'sk_ams_f2');
        return readF64(rt(), o, 1)[0];
      });
    }
    get bytes() { return sizeOf(this._p('bytes'), 'sk_ams_size', 'amsSketch.bytes').bytes; }
    get bits() { return 8 * this.bytes; }
  }

  function amsSketch(opts) {
    const fn = 'amsSketch';
    need(fn);
    const o = options(opts, fn, ['s1', 's2', 'seed', 'hash']);
    const s1 = intArg(o.s1 ?? 16, 's1 (averaged copies)', fn, 1, MAX_AMS_S1);
    const s2 = intArg(o.s2 ?? 7, 's2 (medians)', fn, 1, MAX_ROWS);
    const ptr = create(fn, 'sk_ams_create', [s1, s2, enumArg(o.hash, HASH, 'hash', fn, 'poly')], seedArg(o.seed, fn), [],
      oom(`s1·s2 = ${s1 * s2} copies (a counter and a ${HASH_BYTES}-byte sign hash each)`, (8 + HASH_BYTES) * s1 * s2, 'use smaller s1 or s2'));
    return new AmsSketch(ptr);
  }

  // -------------------------------------------------------------- Count-Min
  class CountMin extends Handle {
    constructor(ptr, buckets, rows, hash) {
      super('countMin', ptr, 'sk_cm_destroy');
      this.buckets = buckets; this.rows = rows; this.hash = hash;
    }
    /** x_i += delta, or a batch (Int32Array, Float64Array) in one wasm call. */
    update(i, delta) { return batchUpdate(this, 'update', 'sk_cm_update_batch', i, delta, MAX_INDEX + 1); }
    /** x̂_0..x̂_{n−1}: rule 'min' (Count-Min, x >= 0: never below x_i) or 'median' (Count-Median, signed streams). */
    estimateAll(n, rule) {
      const fn = 'countMin.estimateAll', p = this._p('estimateAll');
      intArg(n, 'n', fn, 0, 1 << 26);
      const r = enumArg(rule, CM_RULE, 'rule', fn, 'min');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(n, 'the estimates');
        check(rt().exports.sk_cm_estimate_all(p, n, r, o), fn, 'sk_cm_estimate_all');
        return readF64(rt(), o, n);
      });
    }
    /** x̂_i by the rule (see estimateAll), for any key update() takes: O(rows). */
    estimate(i, rule) {
      const fn = 'countMin.estimate', p = this._p('estimate');
      intArg(i, 'i', fn, 0, MAX_INDEX);
      const r = enumArg(rule, CM_RULE, 'rule', fn, 'min');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(1);
        check(rt().exports.sk_cm_estimate(p, i, r, o), fn, 'sk_cm_estimate');
        return readF64(rt(), o, 1)[0];
      });
    }
    /** F̂2 = min over rows of Σ_c C[r][c]² (an overestimate for x >= 0). */
    f2() {
      const fn = 'countMin.f2', p = this._p('f2');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(1);
        check(rt().exports.sk_cm_f2(p, o), fn, 'sk_cm_f2');
        return readF64(rt(), o, 1)[0];
      });
    }
    /** R×b counters, row-major. */
    table() {
      const fn = 'countMin.table', p = this._p('table'), n = this.rows * this.buckets;
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(n, 'the table');
        check(rt().exports.sk_cm_table(p, o), fn, 'sk_cm_table');
        return readF64(rt(), o, n);
      });
    }
    /** State size in bytes (counters + hash coefficients). */
    get bytes() { return sizeOf(this._p('bytes'), 'sk_cm_size', 'countMin.bytes').bytes; }
    get bits() { return 8 * this.bytes; }
  }

  function countMin(opts) {
    const fn = 'countMin';
    need(fn);
    const o = options(opts, fn, ['buckets', 'rows', 'seed', 'hash']);
    const buckets = intArg(o.buckets ?? 256, 'buckets', fn, 1, MAX_BUCKETS);
    const rows = intArg(o.rows ?? 5, 'rows', fn, 1, MAX_ROWS);
    const hash = enumArg(o.hash, HASH, 'hash', fn, 'poly');
    const ptr = create(fn, 'sk_cm_create', [buckets, rows, hash], seedArg(o.seed, fn), ['buckets', 'rows', 'hash', 'out', 'seed'],
      oom(`the sketch's rows × buckets = ${rows} × ${buckets} counters`, 8 * rows * buckets, 'use fewer buckets or rows'));
    return new CountMin(ptr, buckets, rows, o.hash ?? 'poly');
  }

  /**
   * CountSketch, Count-Min and AMS at equal counter budgets on one vector x:
   * for each budget M, CountSketch and Count-Min get R rows of b = ⌊M/R⌋
   * buckets and AMS s2 = R medians of s1 = b copies (R·b counters each).
   * Over `seeds` seeds: point-query errors (RMS and max of x̂ − x; Count-Min
   * uses 'min' if x >= 0 else 'median') and F2 relative errors (absolute
   * when x = 0); the medians
   * over seeds are returned (plain data, for workers).
   */
  function sketchComparison(x, opts) {
    const fn = 'sketchComparison';
    need(fn);
    const xv = numbersArg(x, 'x', fn);
    for (let i = 0; i < xv.length; i++) finiteArg(xv[i], `x[${i}]`, fn);
    if (xv.length < 1) throw new SketchlabError('EINVAL', `${fn}: x must hold at least one number`, { fn });
    const o = options(opts, fn, ['budgets', 'rows', 'seeds', 'seed', 'hash']);
    const rows = intArg(o.rows ?? 5, 'rows', fn, 1, MAX_ROWS);
    const seeds = intArg(o.seeds ?? 15, 'seeds', fn, 1, 10000);
    const budgets = o.budgets ?? [64, 256, 1024];
    if (!Array.isArray(budgets) || budgets.length < 1) throw new SketchlabError('EINVAL', `${fn}: budgets must be a non-empty array of counter counts, got ${describe(budgets)}`, { fn });
    // AMS gets s1 = ⌊M/rows⌋ copies, at most 2^20 (amsSketch), so M <= rows·2^20
    const maxBudget = Math.min(MAX_BUCKETS, rows * MAX_AMS_S1);
    budgets.forEach((M, k) => intArg(M, `budgets[${k}]`, fn, rows, maxBudget,
      ` (at least rows = ${rows}: one bucket per row; at most ${maxBudget}: AMS gets ⌊M/rows⌋ copies, at most 2^20)`));
    const base = BigInt.asUintN(64, seedArg(o.seed, fn));
    const hash = o.hash ?? 'poly';
    enumArg(hash, HASH, 'hash', fn, 'poly');
    const n = xv.length, idx = Int32Array.from(xv, (_, i) => i);
    const nonneg = xv.every((t) => t >= 0), cmRule = nonneg ? 'min' : 'median';
    const f2 = xv.reduce((s, t) => s + t * t, 0), norm = Math.sqrt(f2);
    const med = (a) => { const b = Float64Array.from(a).sort(); const m = b.length >> 1; return b.length & 1 ? b[m] : (b[m - 1] + b[m]) / 2; };
    // |F̂2/F2 − 1|; for the zero vector (F2 = 0) the absolute error |F̂2| instead of 0/0.
    const f2Err = (e) => (f2 > 0 ? Math.abs(e / f2 - 1) : Math.abs(e));
    const pointErr = (est) => {
      let s = 0, mx = 0;
      for (let i = 0; i < n; i++) { const e = Math.abs(est[i] - xv[i]); s += e * e; if (e > mx) mx = e; }
      return { rms: Math.sqrt(s / n), max: mx };
    };
    const out = [];
    for (const M of budgets) {
      const b = Math.floor(M / rows);
      const acc = { cs: { rms: [], max: [], f2: [] }, cm: { rms: [], max: [], f2: [] }, ams: { f2: [] } };
      let bytes = null;
      for (let k = 0; k < seeds; k++) {
        const seed = BigInt.asUintN(64, base + BigInt(k)); // wraps past 2^64 − 1, as samplerTrials' seeds do
        let cs = null, cm = null, ams = null; // (created inside the try: a failed creation frees the ones before it)
        try {
          cs = countSketch({ buckets: b, rows, seed, hash });
          cm = countMin({ buckets: b, rows, seed, hash });
          ams = amsSketch({ s1: b, s2: rows, seed, hash });
          cs.update(idx, xv); cm.update(idx, xv); ams.update(idx, xv);
          const ecs = pointErr(cs.estimateAll(n)), ecm = pointErr(cm.estimateAll(n, cmRule));
          acc.cs.rms.push(ecs.rms); acc.cs.max.push(ecs.max); acc.cs.f2.push(f2Err(cs.f2()));
          acc.cm.rms.push(ecm.rms); acc.cm.max.push(ecm.max); acc.cm.f2.push(f2Err(cm.f2()));
          acc.ams.f2.push(f2Err(ams.f2()));
          bytes ??= { cs: cs.bytes, cm: cm.bytes, ams: ams.bytes };
        } finally { cs?.dispose(); cm?.dispose(); ams?.dispose(); }
      }
      out.push({
        counters: b * rows, buckets: b, rows, bytes,
        countSketch: { rms: med(acc.cs.rms), max: med(acc.cs.max), f2RelErr: med(acc.cs.f2) },
        countMin: { rms: med(acc.cm.rms), max: med(acc.cm.max), f2RelErr: med(acc.cm.f2), rule: cmRule },
        ams: { f2RelErr: med(acc.ams.f2) },
      });
    }
    return { budgets: out, n, norm, l1: xv.reduce((s, t) => s + Math.abs(t), 0), f2, seeds, countMinRule: cmRule };
  }

  // -------------------------------------------------------------- ℓ2 sampler
  /** universe: how the message names the n indices; maxReps: the C limit (the tensor sampler's is lower). */
  function samplerParams(o, fn, n, universe = `n = ${n}`, maxReps = MAX_REPS) {
    const eps = epsArg(o.eps, fn);
    const oracle = enumArg(o.oracle, ORACLE, 'oracle', fn, 'sketch');
    return {
      eps, oracle,
      buckets: intArg(o.buckets ?? 64, 'buckets', fn, 1, MAX_BUCKETS),
      rows: intArg(o.rows ?? 7, 'rows', fn, 1, MAX_ROWS),
      heavy: intArg(o.heavy ?? Math.min(8, n), 'heavy (m)', fn, 1, n, ` (at most ${universe})`),
      reps: intArg(o.repetitions ?? 1, 'repetitions', fn, 1, maxReps),
      rule: enumArg(o.thresholds, RULE, 'thresholds', fn, 'jst'),
      hash: enumArg(o.hash, HASH, 'hash', fn, 'poly'),
      seed: seedArg(o.seed, fn),
    };
  }

  function runSample(ptr, cname, fn) {
    return withScope(rt(), fn, (sc) => {
      const o = sc.allocF64(REC_LEN);
      check(rt().exports[cname](ptr, o), fn, cname);
      return record(readF64(rt(), o, REC_LEN));
    });
  }

  function readTable(ptr, cname, fn, rep, len, reps) {
    intArg(rep, 'rep', fn, 0, reps - 1);
    return withScope(rt(), fn, (sc) => {
      const o = sc.allocF64(len);
      check(rt().exports[cname](ptr, rep, o), fn, cname);
      const t = readF64(rt(), o, len);
      return { z: t.subarray(0, len / 2), y: t.subarray(len / 2) };
    });
  }

  class L2Sampler extends Handle {
    constructor(ptr, n, p) { super('l2Sampler', ptr, 'sk_l2s_destroy'); this.n = n; this._par = p; }
    update(i, delta) { return batchUpdate(this, 'update', 'sk_l2s_update_batch', i, delta, this.n); }
    /** { index, value, fail: null|'tail'|'threshold', ...glass-box record }. */
    sample() { return runSample(this._p('sample'), 'sk_l2s_sample', 'l2Sampler.sample'); }
    /** What repetition rep sees: u_i and ẑ_i for every i. */
    inspect(rep = 0) {
      const fn = 'l2Sampler.inspect', p = this._p('inspect');
      intArg(rep, 'rep', fn, 0, this._par.reps - 1);
      if (16 * this.n >= 2 ** 32) { // the sampler is small, but this lists every index
        throw new SketchlabError('ENOMEM', `${fn}: u and ẑ for all n = ${this.n} indices need ${formatBytes(16 * this.n)}, more than wasm memory can hold ` +
          "(at most 4 GB); inspect() is for universes of up to about 2^27 indices (sample() gives the answering repetition's u and ẑ)", { fn });
      }
      return withScope(rt(), fn, (sc) => {
        const pu = sc.allocF64(this.n, 'u'), pz = sc.allocF64(this.n, 'ẑ');
        check(rt().exports.sk_l2s_inspect(p, rep, pu, pz), fn, 'sk_l2s_inspect');
        return { u: readF64(rt(), pu, this.n), zhat: readF64(rt(), pz, this.n) };
      });
    }
    /** Repetition rep's z- and y-tables (R×b each, row-major); oracle 'sketch' only. */
    table(rep = 0) {
      const fn = 'l2Sampler.table', p = this._p('table');
      if (this._par.oracle !== ORACLE.sketch) {
        const name = Object.keys(ORACLE).find((k) => ORACLE[k] === this._par.oracle);
        throw new SketchlabError('EINVAL', `${fn}: oracle '${name}' keeps y itself, so there are no sketch tables; table() is for oracle 'sketch' (inspect() gives u and ẑ under every oracle)`, { fn });
      }
      const len = 2 * this._par.rows * this._par.buckets;
      return readTable(p, 'sk_l2s_table', fn, rep, len, this._par.reps);
    }
    get bytes() { return sizeOf(this._p('bytes'), 'sk_l2s_size', 'l2Sampler.bytes').bytes; }
    get bits() { return 8 * this.bytes; }
  }

  function l2Sampler(opts) {
    const fn = 'l2Sampler';
    need(fn);
    const o = options(opts, fn, ['n', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'oracle', 'seed', 'hash']);
    const n = intArg(o.n, 'n (the universe size)', fn, 1, 1 << 30);
    const p = samplerParams(o, fn, n);
    const ptr = create(fn, 'sk_l2s_create', [n, p.eps, p.buckets, p.rows, p.heavy, p.reps, p.rule, p.oracle, p.hash], p.seed, [],
      p.oracle === ORACLE.sketch
        ? oom(`the sampler's repetitions × 2 tables of rows × buckets = ${p.reps} × 2 × ${p.rows} × ${p.buckets} counters`,
          16 * p.reps * p.rows * p.buckets, 'use fewer buckets, rows or repetitions')
        : oom(`y itself (n = ${n} numbers, oracle '${o.oracle}')`, 8 * n, 'use a smaller n'));
    return new L2Sampler(ptr, n, p);
  }

  /**
   * Many independent trials of the sampler on a fixed y (fresh seed per
   * trial: seed, seed+1, ...): counts of each sampled index, failures and the
   * value errors. For workers (plain data in and out).
   */
  function samplerTrials(y, opts) {
    const fn = 'samplerTrials';
    need(fn);
    const o = options(opts, fn, ['trials', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'oracle', 'seed', 'hash']);
    const yv = numbersArg(y, 'y', fn);
    const n = yv.length;
    if (n < 1) throw new SketchlabError('ESHAPE', `${fn}: y must have at least one entry`, { fn });
    for (let i = 0; i < n; i++) finiteArg(yv[i], `y[${i}]`, fn);
    const trials = intArg(o.trials ?? 1000, 'trials', fn, 1, 1e7);
    const p = samplerParams(o, fn, n);
    const counts = new Float64Array(n);
    let accepted = 0, failTail = 0, failThreshold = 0, relErrSum = 0;
    const ex = rt().exports;
    withScope(rt(), fn, (sc) => {
      const pi = sc.allocI32(n), py = sc.copyIn(yv), pOut = sc.alloc(4), pr = sc.allocF64(REC_LEN);
      const iv = i32(rt(), pi, n);
      for (let i = 0; i < n; i++) iv[i] = i;
      for (let t = 0; t < trials; t++) {
        check(callSeeded(ex, 'sk_l2s_create', [n, p.eps, p.buckets, p.rows, p.heavy, p.reps, p.rule, p.oracle, p.hash, pOut], p.seed + BigInt(t)), fn, 'sk_l2s_create');
        const s = i32(rt(), pOut, 1)[0] >>> 0;
        try {
          check(ex.sk_l2s_update_batch(s, n, pi, py), fn, 'sk_l2s_update_batch');
          check(ex.sk_l2s_sample(s, pr), fn, 'sk_l2s_sample');
        } finally { ex.sk_l2s_destroy(s); }
        const rec = f64(rt(), pr, REC_LEN);
        if (rec[0] >= 0) {
          counts[rec[0]]++; accepted++;
          relErrSum += Math.abs(rec[1] - yv[rec[0]]) / Math.abs(yv[rec[0]]);
        }
        failTail += rec[12]; failThreshold += rec[13];
      }
    });
    return { counts, trials, accepted, failTail, failThreshold, meanValueRelErr: accepted ? relErrSum / accepted : NaN };
  }

  /**
   * One query on a fixed y, with everything the glass-box figure needs: the
   * record, and u_i and ẑ_i of the repetition that answered (plain data, for workers).
   */
  function samplerQuery(y, opts) {
    const fn = 'samplerQuery';
    need('l2Sampler');
    const yv = numbersArg(y, 'y', fn);
    const o = options(opts, fn, ['eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'oracle', 'seed', 'hash']);
    // checked here so that a message names samplerQuery and y, not the l2Sampler inside
    if (yv.length < 1) throw new SketchlabError('ESHAPE', `${fn}: y must have at least one entry`, { fn });
    for (let i = 0; i < yv.length; i++) finiteArg(yv[i], `y[${i}]`, fn);
    samplerParams(o, fn, yv.length);
    const s = l2Sampler({ ...o, n: yv.length });
    try {
      s.update(Int32Array.from(yv, (_, i) => i), yv);
      const record = s.sample();
      const { u, zhat } = s.inspect(Math.max(0, record.rep));
      return { record, u, zhat, bytes: s.bytes };
    } finally { s.dispose(); }
  }

  /**
   * The n×d matrix A that attentionSettings and attentionLive build in
   * JavaScript (and setting 'x' copies into wasm memory): ENOMEM, not a
   * RangeError, when it cannot be allocated or could never fit in wasm32.
   */
  function hostF64(n, d, fn) {
    const bytes = 8 * n * d, change = 'use a smaller n or d';
    if (bytes >= 2 ** 32) {
      throw new SketchlabError('ENOMEM', `${fn}: A (n·d = ${n * d} numbers) needs ${formatBytes(bytes)}, more than wasm memory can hold (at most 4 GB); ${change}`, { fn });
    }
    try {
      return new Float64Array(n * d);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new SketchlabError('ENOMEM', `${fn}: A (n·d = ${n * d} numbers) needs ${formatBytes(bytes)}, which JavaScript could not allocate; ${change}`, { fn });
    }
  }

  /**
   * The three settings of §1.4 side by side on one random instance: each
   * sampler is driven by a turnstile stream ending at (A, x); returns each
   * one's stats, sampled index and the 1-D sampler's index on y = A·x.
   */
  function attentionSettings(opts) {
    const fn = 'attentionSettings';
    need('attentionSampler');
    const o = options(opts, fn, ['n', 'd', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'seed']);
    const n = intArg(o.n ?? 200, 'n', fn, 2, 1 << 20), d = intArg(o.d ?? 8, 'd', fn, 1, 4096);
    const base = { eps: o.eps, buckets: o.buckets, rows: o.rows, heavy: o.heavy ?? Math.min(8, n), repetitions: o.repetitions ?? 8, thresholds: o.thresholds, seed: o.seed };
    samplerParams(base, fn, n); // (messages name attentionSettings, not the samplers inside)
    let st = Number(BigInt.asUintN(32, seedArg(o.seed, fn))) || 1;
    const rnd = () => { st = (Math.imul(st, 1664525) + 1013904223) >>> 0; return st / 4294967296 - 0.5; };
    const A = hostF64(n, d, fn), x = new Float64Array(d);
    for (let k = 0; k < n * d; k++) A[k] = rnd() * ((k % n) < 3 ? 8 : 1);
    for (let j = 0; j < d; j++) x[j] = rnd() * 2;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) y[i] += A[i + j * n] * x[j];
    const out = {};
    const ref = l2Sampler({ ...base, n });
    try { ref.update(Int32Array.from(y, (_, i) => i), y); out.reference = ref.sample().index; } finally { ref.dispose(); }
    const Am = { rows: n, cols: d, data: A };
    const make = { A: () => attentionSampler({ ...base, setting: 'A', n, x }), x: () => attentionSampler({ ...base, setting: 'x', A: Am }), both: () => attentionSampler({ ...base, setting: 'both', n, d }) };
    for (const [name, mk] of Object.entries(make)) {
      const s = mk();
      try {
        if (name !== 'x') for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) s.updateA(i, j, A[i + j * n]);
        const afterA = s.stats().lastCounterUpdates;
        if (name !== 'A') for (let j = 0; j < d; j++) s.updateX(j, x[j]);
        const stats = s.stats();
        out[name] = { ...stats, perUpdateA: name === 'x' ? null : afterA, perUpdateX: name === 'A' ? null : stats.lastCounterUpdates, index: s.sample().index };
      } finally { s.dispose(); }
    }
    return out;
  }

  /**
   * The three settings of §1.4 driven live by one log of operations: ops is a
   * string of 'a' (one update A_ij += Δ), 'x' (one update x_j += Δ) and 'b'
   * (one of each), replayed in order with (i, j, Δ) a function of (seed, op
   * number), Δ a non-zero integer in [−3, 3]. Setting 'A' keeps a fixed
   * random x and refuses x-updates, 'x' keeps a fixed random A and refuses
   * A-updates, 'both' starts at A = 0, x = 0 and takes everything. Returns,
   * per setting, the counter updates of every op (null where refused), the
   * final stats() and the sampled index (plain data, for workers).
   */
  function attentionLive(opts) {
    const fn = 'attentionLive';
    need('attentionSampler');
    const o = options(opts, fn, ['ops', 'n', 'd', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'seed']);
    const ops = o.ops ?? '';
    if (typeof ops !== 'string' || !/^[axb]*$/.test(ops)) throw new SketchlabError('EINVAL', `${fn}: ops must be a string of 'a' (update A), 'x' (update x) and 'b' (both), got ${describe(ops)}`, { fn });
    if (ops.length > 4096) throw new SketchlabError('EINVAL', `${fn}: at most 4096 ops, got ${ops.length}`, { fn });
    const n = intArg(o.n ?? 200, 'n', fn, 2, 1 << 20), d = intArg(o.d ?? 8, 'd', fn, 1, 4096);
    const base = { eps: o.eps, buckets: o.buckets, rows: o.rows, heavy: o.heavy ?? Math.min(8, n), repetitions: o.repetitions ?? 1, thresholds: o.thresholds, seed: o.seed };
    samplerParams(base, fn, n); // (messages name attentionLive, not the samplers inside)
    let st = Number(BigInt.asUintN(32, seedArg(o.seed, fn))) ^ 0x9e3779b9 || 1;
    const rint = (m) => { st = (Math.imul(st, 1664525) + 1013904223) >>> 0; return Math.floor((st / 4294967296) * m); };
    const nz = () => { const v = rint(6) - 3; return v >= 0 ? v + 1 : v; };    // −3..−1, 1..3
    const A0 = hostF64(n, d, fn), x0 = new Float64Array(d);
    for (let k = 0; k < n * d; k++) A0[k] = nz();
    for (let j = 0; j < d; j++) x0[j] = nz();
    const updates = [];
    for (const c of ops) {
      updates.push({ kind: c, a: c !== 'x' ? { i: rint(n), j: rint(d), delta: nz() } : null, x: c !== 'a' ? { j: rint(d), delta: nz() } : null });
    }
    const make = {
      A: () => attentionSampler({ ...base, setting: 'A', n, x: x0 }),
      x: () => attentionSampler({ ...base, setting: 'x', A: { rows: n, cols: d, data: A0 } }),
      both: () => attentionSampler({ ...base, setting: 'both', n, d }),
    };
    const out = { ops, n, d, settings: {} };
    for (const [name, mk] of Object.entries(make)) {
      const s = mk();
      try {
        const perOp = [];
        for (const u of updates) {
          let c = null;
          if (u.a && name !== 'x') { s.updateA(u.a.i, u.a.j, u.a.delta); c = s.stats().lastCounterUpdates; }
          if (u.x && name !== 'A') { s.updateX(u.x.j, u.x.delta); c = (c ?? 0) + s.stats().lastCounterUpdates; }
          perOp.push(c);
        }
        const rec = s.sample();
        out.settings[name] = { ...s.stats(), perOp, index: rec.index, fail: rec.fail };
      } finally { s.dispose(); }
    }
    out.last = updates.length ? updates[updates.length - 1] : null;
    return out;
  }

  // -------------------------------------------------------------- attention sampler
  // Range (stream.h, issue 9): SK_EINVAL when a stored number would reach the sampler's limit.
  const ATT_RANGE = 'a stored number of the sampler would reach 2^228 (about 4.3e68) in magnitude — a counter of y = A·x\'s ' +
    'sketches (setting \'A\') or an entry of ΦA, ΨA or x (settings \'x\', \'both\') — beyond which the sampler\'s squared norms ' +
    'could overflow; the update was refused and the state is unchanged: scale A or x down, whichever holds the large numbers (the sampled index does not depend on the scale of either)';
  const TENSOR_RANGE = 'a stored number of the tensor sampler would reach 2^140 (about 1.4e42) in magnitude — an entry of A2, X, ' +
    'A2·Xᵀ, the sketches of A1 and A2, or a counter — beyond which its norms and FFT table could overflow; nothing was changed: ' +
    'scale A1, A2 or X down';
  class AttentionSampler extends Handle {
    constructor(ptr, setting, n, d, p) {
      super('attentionSampler', ptr, 'sk_att_destroy');
      this.setting = setting; this.n = n; this.d = d; this._par = p;
    }
    /** A_ij += delta (not in setting 'x'). */
    updateA(i, j, delta) {
      const fn = 'attentionSampler.updateA', p = this._p('updateA');
      intArg(i, 'i', fn, 0, this.n - 1); intArg(j, 'j', fn, 0, this.d - 1); finiteArg(delta, 'delta', fn);
      check(rt().exports.sk_att_update_a(p, i, j, delta), fn, 'sk_att_update_a', [], this.setting === 'x'
        ? `A is fixed in setting '${this.setting}'; use setting 'A' or 'both' to stream A` : ATT_RANGE);
      return this;
    }
    /** x_j += delta (not in setting 'A'). */
    updateX(j, delta) {
      const fn = 'attentionSampler.updateX', p = this._p('updateX');
      intArg(j, 'j', fn, 0, this.d - 1); finiteArg(delta, 'delta', fn);
      check(rt().exports.sk_att_update_x(p, j, delta), fn, 'sk_att_update_x', [], this.setting === 'A'
        ? `x is fixed in setting '${this.setting}'; use setting 'x' or 'both' to stream x` : ATT_RANGE);
      return this;
    }
    sample() { return runSample(this._p('sample'), 'sk_att_sample', 'attentionSampler.sample'); }
    /** { words, bytes, bits, lastCounterUpdates, totalCounterUpdates, updatesA, updatesX, queryFlops } */
    stats() {
      const fn = 'attentionSampler.stats', p = this._p('stats');
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(STAT_LEN);
        check(rt().exports.sk_att_stats(p, o), fn, 'sk_att_stats');
        const s = readF64(rt(), o, STAT_LEN);
        return { words: s[0], bytes: s[1], bits: s[2], lastCounterUpdates: s[3], totalCounterUpdates: s[4],
          updatesA: s[5], updatesX: s[6], queryFlops: s[7] };
      });
    }
    table(rep = 0) {
      const len = 2 * this._par.rows * this._par.buckets;
      return readTable(this._p('table'), 'sk_att_table', 'attentionSampler.table', rep, len, this._par.reps);
    }
    serialize() { return serializeWith(this._p('serialize'), 'sk_att_serialize', 'attentionSampler.serialize'); }
    get bytes() { return this.stats().bytes; }
  }

  function attentionSampler(opts) {
    const fn = 'attentionSampler';
    need(fn);
    const o = options(opts, fn, ['setting', 'A', 'x', 'n', 'd', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'seed', 'hash']);
    if (o.setting === undefined) { // no default: each setting needs different inputs (stream.d.ts)
      throw new SketchlabError('EINVAL', `${fn}: pass setting: 'A' (stream A; x fixed, give x), 'x' (stream x; A fixed, give A) or 'both' (stream both; give n and d)`, { fn });
    }
    const setting = enumArg(o.setting, SETTING, 'setting', fn, 'A');
    const A = o.A !== undefined ? asMatrix(o.A, 'A', fn) : null;
    const n = A ? A.rows : intArg(o.n, 'n (rows of A; or pass A)', fn, 1, 1 << 30);
    if (o.x !== undefined && !isList(o.x)) throw new SketchlabError('EINVAL', `${fn}: x must be an array of d numbers, got ${describe(o.x)}`, { fn });
    // The factor a setting keeps fixed has no useful default: left out it would
    // be 0, so y = A·x = 0 for ever and every sample would fail.
    if (setting === SETTING.x && !A) throw new SketchlabError('EINVAL', `${fn}: setting 'x' keeps A fixed: pass A (n×d); only x is streamed`, { fn });
    if (setting === SETTING.A && o.x === undefined) throw new SketchlabError('EINVAL', `${fn}: setting 'A' keeps x fixed: pass x (d numbers); only A is streamed`, { fn });
    const d = A ? A.cols : o.x !== undefined ? o.x.length : intArg(o.d, 'd (columns of A; or pass A or x)', fn, 1, 1 << 24);
    if (A && o.n !== undefined && o.n !== n) throw new SketchlabError('ESHAPE', `${fn}: n = ${describe(o.n)} but A has ${n} rows`, { fn });
    const dFrom = A ? `A has ${d} columns` : `x has ${d} entries`;
    if ((A || o.x !== undefined) && o.d !== undefined && o.d !== d) {
      throw new SketchlabError('ESHAPE', `${fn}: d = ${describe(o.d)} but ${dFrom}; leave d out or make it agree`, { fn });
    }
    if (d > 1 << 24) throw new SketchlabError('EINVAL', `${fn}: ${dFrom}; d must be from 1 to ${1 << 24}`, { fn });
    let x = null;
    if (o.x !== undefined) {
      x = numbersArg(o.x, 'x', fn);
      if (x.length !== d) throw new SketchlabError('ESHAPE', `${fn}: x has ${x.length} entries but A has d = ${d} columns`, { fn });
      for (let j = 0; j < d; j++) finiteArg(x[j], `x[${j}]`, fn);
    }
    if (d < 1) throw new SketchlabError('ESHAPE', `${fn}: d must be at least 1`, { fn });
    const p = samplerParams({ ...o, oracle: undefined }, fn, n);
    const ptr = withScope(rt(), fn, (sc) => {
      const pA = A ? sc.copyIn(A.data, 'A') : 0, px = x ? sc.copyIn(x, 'x') : 0, pOut = sc.alloc(4);
      const st = callSeeded(rt().exports, 'sk_att_create', [setting, n, d, pA, n, px, p.eps, p.buckets, p.rows, p.heavy, p.reps, p.rule, p.hash, pOut], p.seed);
      const tables = `${p.reps} × 2 × ${p.rows} × ${p.buckets}`; // repetitions × (z, y) × rows × buckets
      check(st, fn, 'sk_att_create', [], st === 7 ? ATT_RANGE.replace('the update was refused and the state is unchanged', 'the initial A or x was refused')
        : st !== 1 ? undefined : setting === SETTING.A
          ? oom(`the sampler's ${tables} counters`, 16 * p.reps * p.rows * p.buckets, 'use fewer buckets, rows or repetitions')
          : oom(`the sketches ΦA and ΨA (${tables} counters per column of A, d = ${d} columns)`, 16 * p.reps * p.rows * p.buckets * d,
            'use fewer buckets, rows or repetitions, or a smaller d'));
      return i32(rt(), pOut, 1)[0] >>> 0;
    });
    return new AttentionSampler(ptr, o.setting, n, d, p);
  }

  function deserializeAttention(bytes) {
    const fn = 'deserializeAttention';
    need('attentionSampler');
    const ptr = deserializeWith(bytes, 'sk_att_deserialize', fn, 0x54414B53, 48); // "SKAT", mode at 48
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const setting = Object.keys(SETTING).find((k) => SETTING[k] === dv.getUint32(8, true));
    const p = { buckets: dv.getUint32(28, true), rows: dv.getUint32(32, true), reps: dv.getUint32(40, true) };
    return new AttentionSampler(ptr, setting, dv.getUint32(12, true), dv.getUint32(16, true), p);
  }

  // -------------------------------------------------------------- tensor sampler
  class TensorSampler extends Handle {
    constructor(ptr, n, d, p) { super('tensorSampler', ptr, 'sk_tensor_destroy'); this.n = n; this.d = d; this._par = p; }
    /** A1[i][j] += delta: O(n·R) counters per repetition. */
    update(i, j, delta) {
      const fn = 'tensorSampler.update', p = this._p('update');
      intArg(i, 'i', fn, 0, this.n - 1); intArg(j, 'j', fn, 0, this.d - 1); finiteArg(delta, 'delta', fn);
      const st = rt().exports.sk_tensor_update(p, i, j, delta);
      check(st, fn, 'sk_tensor_update', [], st === 7 ? TENSOR_RANGE : undefined);
      return this;
    }
    /** As l2Sampler.sample, plus the pair (i1, i2) of index = i1·n + i2. */
    sample() {
      const r = runSample(this._p('sample'), 'sk_tensor_sample', 'tensorSampler.sample');
      r.pair = r.index >= 0 ? [Math.floor(r.index / this.n), r.index % this.n] : null;
      return r;
    }
    table(rep = 0) {
      const len = 2 * this._par.rows * this._par.buckets;
      return readTable(this._p('table'), 'sk_tensor_table', 'tensorSampler.table', rep, len, this._par.reps);
    }
    /** The unscaled y-sketch by the FFT identity (R×b) and its F̂2. */
    fftSketch() {
      const fn = 'tensorSampler.fftSketch', p = this._p('fftSketch'), len = this._par.rows * this._par.buckets;
      return withScope(rt(), fn, (sc) => {
        const o = sc.allocF64(len), pf = sc.allocF64(1);
        check(rt().exports.sk_tensor_fft_sketch(p, o, pf), fn, 'sk_tensor_fft_sketch');
        return { table: readF64(rt(), o, len), f2: readF64(rt(), pf, 1)[0] };
      });
    }
    get bytes() { return sizeOf(this._p('bytes'), 'sk_tensor_size', 'tensorSampler.bytes').bytes; }
  }

  function tensorSampler(opts) {
    const fn = 'tensorSampler';
    need(fn);
    const o = options(opts, fn, ['A2', 'X', 'eps', 'buckets', 'rows', 'heavy', 'repetitions', 'thresholds', 'seed']);
    if (o.A2 === undefined || o.X === undefined) throw new SketchlabError('EINVAL', `${fn}: pass the fixed factor A2 (n×d) and X (d×d)`, { fn });
    const A2 = asMatrix(o.A2, 'A2', fn), X = asMatrix(o.X, 'X', fn);
    const n = A2.rows, d = A2.cols;
    if (X.rows !== d || X.cols !== d) throw new SketchlabError('ESHAPE', `${fn}: X must be d×d = ${d}×${d} (A2 has d = ${d} columns), got ${X.rows}×${X.cols}`, { fn });
    if (n > 46340) throw new SketchlabError('EINVAL', `${fn}: n = ${n} is too large (n² pairs must fit in 32 bits; at most 46340)`, { fn });
    if (d > MAX_TENSOR_D) throw new SketchlabError('EINVAL', `${fn}: d = ${d} (columns of A2) is too large; at most ${MAX_TENSOR_D}`, { fn });
    const p = samplerParams({ ...o, oracle: undefined, hash: undefined }, fn, n * n, `n² = ${n * n} pairs`, MAX_TENSOR_REPS);
    const ptr = withScope(rt(), fn, (sc) => {
      const pA = sc.copyIn(A2.data, 'A2'), pX = sc.copyIn(X.data, 'X'), pOut = sc.alloc(4);
      const st = callSeeded(rt().exports, 'sk_tensor_create', [n, d, pA, n, pX, d, p.eps, p.buckets, p.rows, p.heavy, p.reps, p.rule, pOut], p.seed);
      check(st, fn, 'sk_tensor_create', [], st === 7 ? TENSOR_RANGE : st !== 1 ? undefined
        : oom(`the sketches of A1 and A2 (2 × rows × buckets = 2 × ${p.rows} × ${p.buckets} numbers per column, d = ${d} columns) ` +
          `and the counters (repetitions × 2 × rows × buckets = ${p.reps} × 2 × ${p.rows} × ${p.buckets})`,
          16 * p.rows * p.buckets * (d + p.reps), 'use fewer buckets, rows or repetitions'));
      return i32(rt(), pOut, 1)[0] >>> 0;
    });
    return new TensorSampler(ptr, n, d, p);
  }

  // -------------------------------------------------------------- softmax and games
  function softmaxSample(logits, opts) {
    const fn = 'softmaxSample';
    const ex = need(fn);
    const o = options(opts, fn, ['method', 'draws', 'seed', 'stream']);
    if (!isList(logits) || logits.length < 1) {
      throw new SketchlabError('EINVAL', `${fn}: logits must be a non-empty array of numbers, got ${describe(logits)}`, { fn });
    }
    const l = numbersArg(logits, 'logits', fn);
    for (let i = 0; i < l.length; i++) finiteArg(l[i], `logits[${i}]`, fn);
    const method = enumArg(o.method, METHOD, 'method', fn, 'inverse');
    const draws = intArg(o.draws ?? 1, 'draws', fn, 0, 1 << 26);
    const seed = seedArg(o.seed, fn);
    const stream = intArg(o.stream ?? 0, 'stream', fn, 0, 2 ** 31 - 1);
    return withScope(rt(), fn, (sc) => {
      const pl = sc.copyIn(l, 'the logits'), pRng = sc.alloc(24), pOut = sc.allocI32(draws, 'the draws');
      rngInitAt(ex, pRng, seed, stream);
      check(ex.sk_softmax_sample(l.length, pl, method, draws, pRng, pOut), fn, 'sk_softmax_sample');
      return readI32(rt(), pOut, draws);
    });
  }

  function rngInitAt(ex, pRng, seed, stream) {
    if (ex.sk_rng_init.length === 4) return ex.sk_rng_init(pRng, Number(seed & 0xffffffffn) | 0, Number(seed >> 32n) | 0, stream | 0);
    return ex.sk_rng_init(pRng, BigInt.asIntN(64, seed), stream | 0);
  }

  /** Set-disjointness for softmax sampling (Thm 4.4): hit rate of Bob's draw vs sketch width. */
  function disjointnessGame(opts) {
    const fn = 'disjointnessGame';
    const ex = need(fn);
    const o = options(opts, fn, ['n', 'k', 'L', 'buckets', 'rows', 'hash', 'trials', 'seed']);
    const n = intArg(o.n ?? 1000, 'n', fn, 2, 1 << 26);
    const k = intArg(o.k ?? 100, 'k', fn, 1, Math.floor((n + 1) / 2));
    const L = o.L ?? 3 * Math.log(n);
    finiteArg(L, 'L', fn);
    if (!(L > 0)) throw new SketchlabError('EINVAL', `${fn}: L must be > 0, got ${L}`, { fn });
    const buckets = intArg(o.buckets ?? 0, 'buckets (0 = exact state)', fn, 0, MAX_BUCKETS);
    const rows = intArg(o.rows ?? 5, 'rows', fn, 1, MAX_ROWS);
    const hash = enumArg(o.hash, HASH, 'hash', fn, 'fast');
    const trials = intArg(o.trials ?? 100, 'trials', fn, 1, 1e6);
    const seed = seedArg(o.seed, fn);
    return withScope(rt(), fn, (sc) => {
      const pRng = sc.alloc(24), pHit = sc.alloc(4), pBits = sc.alloc(8);
      rngInitAt(ex, pRng, seed, 12);
      let hits = 0;
      for (let t = 0; t < trials; t++) {
        const st = ex.sk_disj_trial(n, k, L, buckets, rows, hash, pRng, pHit, pBits);
        if (st === 5 || st === 7) { // SK_ENONFINITE (y overflowed) or SK_EINVAL (a sketch counter would): L itself is finite
          throw new SketchlabError('EINVAL', `${fn}: L = ${L} is too large: y = L·(1_A + 1_B) (2L at the common element) or a counter of ` +
            `its sketch (up to 2k·L) would overflow past 1.8e308; use a smaller L (the default is 3·ln n)`, { fn });
        }
        check(st, fn, 'sk_disj_trial');
        hits += i32(rt(), pHit, 1)[0];
      }
      return { hits, trials, rate: hits / trials, messageBits: readI64(pBits) };
    });
  }

  /** Lemma 6.2: Bob reads bit v_i out of Alice's serialized setting-'both' state. */
  function lemma62Game(opts) {
    const fn = 'lemma62Game';
    const ex = need(fn);
    const o = options(opts, fn, ['v', 'i', 'eps', 'buckets', 'rows', 'repetitions', 'seed']);
    if (!isList(o.v) || o.v.length < 1) throw new SketchlabError('EINVAL', `${fn}: v must be a non-empty array of 0/1 bits, got ${describe(o.v)}`, { fn });
    // checked before the Int32Array copy, which would turn '1', true and 0.5 into bits silently
    const bad = Array.prototype.findIndex.call(o.v, (t) => t !== 0 && t !== 1);
    if (bad >= 0) throw new SketchlabError('EINVAL', `${fn}: v[${bad}] = ${describe(o.v[bad])} is not a bit (the number 0 or 1)`, { fn });
    const v = Int32Array.from(o.v);
    const d = v.length;
    if (d > MAX_LEMMA62_D) throw new SketchlabError('EINVAL', `${fn}: v has ${d} bits; at most ${MAX_LEMMA62_D}`, { fn });
    const i = intArg(o.i ?? 0, 'i', fn, 0, d - 1);
    const eps = epsArg(o.eps ?? 0.5, fn);
    const buckets = intArg(o.buckets ?? 32, 'buckets', fn, 1, MAX_BUCKETS);
    const rows = intArg(o.rows ?? 5, 'rows', fn, 1, MAX_ROWS);
    const reps = intArg(o.repetitions ?? 6, 'repetitions', fn, 1, MAX_REPS);
    return withScope(rt(), fn, (sc) => {
      const pv = sc.allocI32(d), pOut = sc.alloc(4), pBits = sc.alloc(8);
      i32(rt(), pv, d).set(v);
      check(callSeeded(ex, 'sk_lemma62_trial', [d, pv, i, eps, buckets, rows, reps, pOut, pBits], seedArg(o.seed, fn)), fn, 'sk_lemma62_trial');
      const index = i32(rt(), pOut, 1)[0];
      return { index, bit: index < 0 ? null : index === i ? 1 : 0, messageBits: readI64(pBits) };
    });
  }

  return {
    countSketch, deserializeSketch, amsSketch, countMin, sketchComparison, l2Sampler, samplerTrials, samplerQuery, attentionSettings, attentionLive, attentionSampler, deserializeAttention,
    tensorSampler, softmaxSample, disjointnessGame, lemma62Game,
  };
}
