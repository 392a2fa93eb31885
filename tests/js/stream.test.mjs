// stream.test.mjs — countSketch, amsSketch, l2Sampler, attentionSampler,
// tensorSampler, softmaxSample and the lower-bound games (wasm/stream.js):
// API, errors that say what to change, use after dispose, native/wasm parity
// (integer-update tables bit for bit, sampled indices identical for the same
// seed; build/native/sk_cli stream), and no heap growth over 10,000
// create/update/dispose cycles.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import * as sk from '../../wasm/index.js';
import { CLI, freshApi } from './helpers.mjs';

await sk.init();

const code = (c) => (e) => { assert.equal(e.name, 'SketchlabError'); assert.equal(e.code, c, e.message); return true; };

test('countSketch: single and batch updates agree, estimate/f2/heavy/merge/serialize', () => {
  const a = sk.countSketch({ buckets: 128, rows: 5, seed: 9 });
  const b = sk.countSketch({ buckets: 128, rows: 5, seed: 9 });
  const idx = Int32Array.from({ length: 500 }, (_, t) => (t * 13) % 997);
  const dl = Float64Array.from({ length: 500 }, (_, t) => (t % 7) - 3);
  a.update(idx, dl);
  for (let t = 0; t < 500; t++) b.update(idx[t], dl[t]);
  assert.deepEqual(a.table(), b.table());
  a.update(5, 1000);
  assert.ok(Math.abs(a.estimate(5) - 1000) < 100);
  assert.deepEqual([...a.heavy(1000, 1).indices], [5]);
  assert.equal(a.estimateAll(10).length, 10);
  assert.ok(a.f2() > 1e6 * 0.5);
  const bytes = a.serialize();
  assert.ok(bytes instanceof Uint8Array && bytes.length === 36 + 8 * 128 * 5);
  const c = sk.deserializeSketch(bytes);
  assert.deepEqual(c.table(), a.table());
  c.merge(b);
  assert.equal(c.estimate(5), a.estimate(5) + b.estimate(5));
  assert.equal(a.bytes, 8 * 128 * 5 + 8 * 5 * 6);
  assert.equal(a.bits, 8 * a.bytes);
});

// The batch kernel (cs_kernel.c: blocked, hand-written SIMD hashing in the
// SIMD build) against one-at-a-time updates (the scalar sk__bucket/sk__sign)
// over the whole key range: keys up to 2^31 - 1 (every bit of a 32-bit lane
// in the 32×32→64 products), a bucket count that is no power of two, and
// batch lengths that leave a tail of 1-3 keys after the blocks of four;
// and the block decode of estimateAll against estimate. Powers of two take
// the SIMD build's shift in place of the multiply-shift (b = 2 and 2^16;
// b = 1 the general path in fast mode, a shift by 61 in poly mode). Block
// tails of 1-7 keys after the poly loop's groups of eight: lengths 6, 9,
// 1023 (a last block of 511 = 63·8 + 4 + 3).
test('countSketch: batch equals single updates bit for bit over the full key range, both builds and hash modes', async () => {
  const n = 2 * 512 + 3;
  let x = 12345;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  const idx = Int32Array.from({ length: n }, (_, t) => (t < 4 ? [0, 1, 2 ** 31 - 1, 2 ** 31 - 2][t] : next() >>> 1));
  const dl = Float64Array.from({ length: n }, (_, t) => ((t * 7) % 19) - 9 + 0.25 * (t % 3));
  for (const simd of [false, true]) {
    const m = await freshApi(`stream-full-range-${simd}`);
    await m.init({ simd });
    for (const hash of ['poly', 'fast']) {
      // rows odd and even: rows are scattered in interleaved pairs, an odd one last alone
      for (const [buckets, len, rows] of [[1000, n, 7], [1024, n - 1, 6], [7, 6, 7], [1, 9, 1], [2, 1023, 2], [65536, n - 2, 7]]) {
        const a = m.countSketch({ buckets, rows, seed: 77, hash });
        const b = m.countSketch({ buckets, rows, seed: 77, hash });
        a.update(idx.subarray(0, len), dl.subarray(0, len));
        for (let t = 0; t < len; t++) b.update(idx[t], dl[t]);
        assert.deepEqual(a.table(), b.table(), `simd ${simd}, hash ${hash}, buckets ${buckets}, rows ${rows}, ${len} updates`);
        // the block decode (the same hashing, signs as masks) against one key at a time
        const all = a.estimateAll(1003);
        for (let i = 0; i < 1003; i++) assert.equal(all[i], a.estimate(i), `estimateAll[${i}], simd ${simd}, hash ${hash}`);
        a.dispose(); b.dispose();
      }
    }
  }
});

// States saved in format 1 (before the fast CountSketch hash became the
// multiply-add-shift of stream.h): 'poly' states still load; 'fast' ones are
// refused with a message that says why and what to do. The bytes are
// rewritten as format 1 with their FNV-1a-64 checksum recomputed.
function asFormat1(bytes) {
  const b = bytes.slice(), dv = new DataView(b.buffer);
  dv.setUint32(4, 1, true);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < b.length - 8; i++) h = BigInt.asUintN(64, (h ^ BigInt(b[i])) * 0x100000001b3n);
  dv.setBigUint64(b.length - 8, h, true);
  return b;
}
test('deserialize: format-1 states load in poly mode; in fast mode they are refused with the reason', () => {
  const A = [[1, 0, 2], [0, 1, -1], [3, 1, 0], [0, 0, 1]];
  for (const hash of ['poly', 'fast']) {
    const cs = sk.countSketch({ buckets: 16, rows: 3, seed: 4, hash });
    cs.update(Int32Array.of(1, 5, 9), Float64Array.of(2, -1, 0.5));
    const att = sk.attentionSampler({ setting: 'A', A, x: [1, -1, 2], buckets: 8, rows: 3, heavy: 2, repetitions: 2, seed: 4, hash });
    const old = [[asFormat1(cs.serialize()), sk.deserializeSketch], [asFormat1(att.serialize()), sk.deserializeAttention]];
    for (const [bytes, load] of old) {
      if (hash === 'poly') {
        const back = load(bytes);
        if (load === sk.deserializeSketch) assert.deepEqual(back.table(), cs.table());
        else {  // the same state; the operation tallies are the copy's own (stats() docs)
          assert.equal(back.stats().bytes, att.stats().bytes);
          assert.equal(back.stats().updatesA, 0);
          back.updateA(1, 2, 0.5);
          assert.equal(back.stats().updatesA, 1);
        }
        back.dispose();
      } else {
        assert.throws(() => load(bytes), (e) => code('EFORMAT')(e) && /saved by sketchlab 0\.1 with hash 'fast'.*rebuild it from its stream/.test(e.message));
      }
    }
    cs.dispose(); att.dispose();
  }
});

test('countSketch: errors say what to change', () => {
  assert.throws(() => sk.countSketch({ buckets: 0 }), code('EINVAL'));
  assert.throws(() => sk.countSketch({ buckets: 2 ** 30 }), code('EINVAL'));
  assert.throws(() => sk.countSketch({ rows: 0 }), code('EINVAL'));
  assert.throws(() => sk.countSketch({ hash: 'md5' }), code('EINVAL'));
  assert.throws(() => sk.countSketch({ width: 3 }), code('EINVAL'));
  const a = sk.countSketch({ buckets: 16, seed: 1 });
  assert.throws(() => a.update(-1, 1), code('EINVAL'));
  assert.throws(() => a.update(1, NaN), code('ENONFINITE'));
  assert.throws(() => a.update(1, Infinity), code('ENONFINITE'));
  assert.throws(() => a.update(Int32Array.of(1, 2), Float64Array.of(1)), code('ESHAPE'));
  assert.throws(() => a.update([1], [2]), code('EINVAL'));
  assert.throws(() => a.update(Int32Array.of(1, 2), Float64Array.of(1, NaN)), code('ENONFINITE'));
  // a refused batch names its first bad entry (the C call checked it first) and changes nothing
  const t0 = a.table(), n = 3000, bi = Int32Array.from({ length: n }, (_, t) => t), bd = new Float64Array(n).fill(1);
  bi[2500] = -4; bd[1800] = -Infinity;
  assert.throws(() => a.update(bi, bd), (e) => code('ENONFINITE')(e) && /delta at position 1800 is -Infinity/.test(e.message));
  bi[1200] = -7;
  assert.throws(() => a.update(bi, bd), (e) => code('EINVAL')(e) && /index -7 at position 1200 is out of range/.test(e.message));
  assert.deepEqual(a.table(), t0);
  const sm = sk.l2Sampler({ n: 10, buckets: 8, rows: 3, heavy: 2, seed: 1 });
  assert.throws(() => sm.update(Int32Array.of(3, 10), Float64Array.of(1, 1)), (e) => code('EINVAL')(e) && /index 10 at position 1 is out of range 0\.\.9/.test(e.message));
  sm.dispose();
  const other = sk.countSketch({ buckets: 16, seed: 2 });
  assert.throws(() => a.merge(other), (e) => code('EMISMATCH')(e) && /same buckets, rows, hash and seed/.test(e.message));
  // two sketches alike but for the seed: the message shows the seeds (it showed only "16×5 poly" twice)
  assert.throws(() => a.merge(other), (e) => /this: 16×5 poly, seed 1; other: 16×5 poly, seed 2\)/.test(e.message));
  const wide = sk.countSketch({ buckets: 32, seed: 1 });
  assert.throws(() => a.merge(wide), code('EMISMATCH'));
  const bytes = a.serialize();
  const copy = sk.deserializeSketch(bytes); // the seed read back from the header
  assert.throws(() => copy.merge(sk.countSketch({ buckets: 16, seed: 2n ** 64n - 1n })), (e) => code('EMISMATCH')(e) && /this: 16×5 poly, seed 1; other: 16×5 poly, seed 18446744073709551615\)/.test(e.message));
  copy.dispose();
  assert.throws(() => sk.deserializeSketch(bytes.subarray(0, bytes.length - 1)), code('EFORMAT'));
  assert.throws(() => sk.deserializeSketch(new Uint8Array(0)), code('EFORMAT'));
  const bad = bytes.slice(); bad[40] ^= 4;
  assert.throws(() => sk.deserializeSketch(bad), code('EFORMAT'));
  const ver = bytes.slice(); ver[4] = 9;
  assert.throws(() => sk.deserializeSketch(ver), code('EFORMAT'));
  assert.throws(() => sk.deserializeSketch([1, 2]), code('EINVAL'));
});

test('handles: clear error after dispose, dispose is idempotent', () => {
  const a = sk.countSketch({ seed: 1 });
  a.dispose();
  a.dispose();
  assert.equal(a.disposed, true);
  assert.throws(() => a.update(1, 1), (e) => code('EDISPOSED')(e) && /disposed; create a new one/.test(e.message));
  assert.throws(() => a.f2(), code('EDISPOSED'));
  assert.throws(() => a.bytes, code('EDISPOSED'));
  const s = sk.l2Sampler({ n: 10, seed: 1 });
  s[Symbol.dispose]();
  assert.throws(() => s.sample(), code('EDISPOSED'));
  const b = sk.countSketch({ seed: 1 });
  assert.throws(() => b.merge(a), code('EDISPOSED'));
  b.dispose();
  // console.log(handle) shows the handle, not the runtime it keeps (it printed all ~200 wasm exports)
  for (const h of [sk.countSketch(), sk.l2Sampler({ n: 4 }), sk.kvCache({ d: 2 }), sk.subgen({ d: 2, delta: 1, t: 1, s: 1 })]) {
    const shown = inspect(h);
    assert.ok(shown.length < 400 && !/WebAssembly|_initialize|sk_dgemm/.test(shown), shown);
    h.dispose();
  }
});

test('amsSketch: F2 within its error bound', () => {
  const a = sk.amsSketch({ s1: 64, s2: 7, seed: 3 });
  const idx = Int32Array.from({ length: 300 }, (_, i) => i);
  const x = Float64Array.from(idx, (i) => (i < 5 ? 50 : (i % 5) - 2));
  a.update(idx, x);
  const f2 = x.reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(a.f2() - f2) / f2 < 0.5);
  assert.ok(a.bytes > 0);
  assert.throws(() => sk.amsSketch({ s1: 0 }), code('EINVAL'));
});

test('amsSketch: s1·s2 copies too many for wasm memory give ENOMEM naming s1 and s2, never a trap (npm audit)', async () => {
  // 2^20·255 copies of a 136-byte hash overflowed wasm32's size_t in sk_ams_create: a
  // small block was allocated and filled far past its end ("memory access out of bounds").
  const m = await freshApi('ams-oom');
  await m.init();
  for (const [s1, s2] of [[1 << 20, 255], [1 << 20, 32], [1 << 19, 255]]) {
    assert.throws(() => m.amsSketch({ s1, s2 }), (e) => code('ENOMEM')(e) && /s1·s2 = \d+ copies/.test(e.message) && /smaller s1 or s2/.test(e.message));
  }
  const a = m.amsSketch({ s1: 4, s2: 3, seed: 1 });  // the instance still works
  a.update(2, 3);
  assert.equal(a.f2(), 9);
  a.dispose();
  assert.equal(m.memoryStats().live, 0);
});

test('stream states too large for wasm memory give ENOMEM naming the state and the options that shrink it (npm audit)', async () => {
  const m = await freshApi('stream-oom');
  await m.init();
  const oom = (re) => (e) => code('ENOMEM')(e) && /does not fit in wasm memory \(at most 4 GB\)/.test(e.message) && re.test(e.message);
  assert.throws(() => m.countSketch({ buckets: 1 << 24, rows: 255 }), oom(/255 × 16777216 counters, about 31\.9 GiB.*use fewer buckets or rows$/));
  assert.throws(() => m.countMin({ buckets: 1 << 24, rows: 255 }), oom(/use fewer buckets or rows$/));
  assert.throws(() => m.l2Sampler({ n: 10, buckets: 1 << 24, rows: 255, repetitions: 8 }), oom(/8 × 2 × 255 × 16777216 counters.*use fewer buckets, rows or repetitions$/));
  assert.throws(() => m.l2Sampler({ n: 1 << 30, oracle: 'exact' }), oom(/y itself \(n = 1073741824 numbers, oracle 'exact'\), about 8\.0 GiB.*use a smaller n$/));
  assert.throws(() => m.attentionSampler({ setting: 'both', n: 10, d: 1 << 24 }), oom(/ΦA and ΨA .*d = 16777216 columns.*or a smaller d$/));
  assert.throws(() => m.attentionSampler({ setting: 'A', n: 10, x: [1], buckets: 1 << 24, rows: 255, repetitions: 8 }), oom(/use fewer buckets, rows or repetitions$/));
  assert.throws(() => m.tensorSampler({ A2: [[1]], X: [[1]], buckets: 1 << 24, rows: 255, repetitions: 8 }), oom(/use fewer buckets, rows or repetitions$/));
  const st = m.memoryStats();
  assert.equal(st.live, 0);
  // refused before any multi-GB growth (the largest block made: setting 'both''s x, d = 2^24 doubles = 128 MiB)
  assert.ok(st.bytes <= 256 << 20, `refused before the heap grew (${st.bytes} bytes)`);
});

test('l2Sampler: glass-box record is consistent with the FAIL tests', () => {
  const n = 200, y = Float64Array.from({ length: n }, (_, i) => (i < 20 ? 5 - (4 * i) / 19 : ((i * 37) % 7) * 0.05));
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  let accepted = 0;
  for (let seed = 0; seed < 40; seed++) {
    const s = sk.l2Sampler({ n, eps: 0.25, buckets: 64, rows: 7, heavy: 8, seed });
    s.update(idx, y);
    const r = s.sample();
    if (r.fail === null) {
      accepted++;
      assert.equal(r.index, r.istar);
      assert.ok(r.s <= r.tailLimit && Math.abs(r.zhat) >= r.peakLimit);
      assert.ok(Math.abs(r.value - y[r.index]) < 0.1 * Math.abs(y[r.index]) + 0.05);
      const { u, zhat } = s.inspect(0);
      assert.equal(u[r.istar], r.u);
      assert.equal(zhat[r.istar], r.zhat);
    } else if (r.fail === 'tail') assert.ok(r.s > r.tailLimit);
    else assert.ok(Math.abs(r.zhat) < r.peakLimit);
    assert.ok(Math.abs(r.peakLimit - r.r / Math.sqrt(0.25)) < 1e-9 * r.peakLimit);
  }
  assert.ok(accepted > 2 && accepted < 25, `accepted ${accepted} of 40 (≈ 0.2 expected)`);
  assert.throws(() => sk.l2Sampler({ n: 10, eps: 0 }), code('EINVAL'));
  assert.throws(() => sk.l2Sampler({ n: 10, eps: 1.5 }), code('EINVAL'));
  assert.throws(() => sk.l2Sampler({ n: 10, heavy: 11 }), code('EINVAL'));
  assert.throws(() => sk.l2Sampler({ n: 10, repetitions: 0 }), code('EINVAL'));
  assert.throws(() => sk.l2Sampler({ n: 10, thresholds: 'strict' }), code('EINVAL'));
  assert.throws(() => sk.l2Sampler({ n: 0 }), code('EINVAL'));
  const s = sk.l2Sampler({ n: 10 });
  assert.throws(() => s.update(10, 1), (e) => code('EINVAL')(e) && /0\.\.9/.test(e.message));
});

test('samplerTrials: exact oracle law ≈ q ∝ p/(1−p), race never fails', () => {
  const y = [3, 2, 1, 1, 0.5];
  const r = sk.samplerTrials(y, { trials: 4000, oracle: 'race', seed: 1 });
  assert.equal(r.accepted, 4000);
  const Y2 = y.reduce((s, v) => s + v * v, 0);
  for (let i = 0; i < y.length; i++) {
    const p = (y[i] * y[i]) / Y2, sd = Math.sqrt(p * (1 - p) / 4000);
    assert.ok(Math.abs(r.counts[i] / 4000 - p) < 5 * sd, `index ${i}`);
  }
  const e = sk.samplerTrials(y, { trials: 2000, oracle: 'exact', eps: 0.25, seed: 2 });
  assert.ok(e.accepted > 0 && e.accepted < 2000 && e.failTail + e.failThreshold === 2000 - e.accepted);
});

test('attentionSampler: the three settings give the 1-D sampler state; stats per §1.4', () => {
  const n = 60, d = 4, base = { eps: 0.25, buckets: 32, rows: 5, heavy: 4, repetitions: 6, seed: 77 };
  const A = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, k) => Math.sin(k * 1.3) * (k % n < 3 ? 8 : 1)) };
  const x = [1, -2, 0.5, 3];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) y[i] += A.data[i + j * n] * x[j];
  const ref = sk.l2Sampler({ n, ...base });
  ref.update(Int32Array.from({ length: n }, (_, i) => i), y);
  const s1 = sk.attentionSampler({ setting: 'A', n, x, ...base });
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) s1.updateA(i, j, A.data[i + j * n]);
  const s2 = sk.attentionSampler({ setting: 'x', A, ...base });
  for (let j = 0; j < d; j++) s2.updateX(j, x[j]);
  const s3 = sk.attentionSampler({ setting: 'both', n, d, ...base });
  for (let j = 0; j < d; j++) { s3.updateX(j, x[j]); for (let i = 0; i < n; i++) s3.updateA(i, j, A.data[i + j * n]); }
  const want = ref.table(2), r0 = ref.sample();
  for (const s of [s1, s2, s3]) {
    const t = s.table(2);
    for (let k = 0; k < want.z.length; k++) assert.ok(Math.abs(t.z[k] - want.z[k]) <= 1e-12 * (1 + Math.abs(want.z[k])));
    assert.equal(s.sample().index, r0.index);
  }
  assert.equal(s1.stats().lastCounterUpdates, 2 * 5 * 6);
  assert.equal(s2.stats().lastCounterUpdates, 1);
  assert.equal(s1.stats().words, d + 6 * 2 * 5 * 32);
  assert.equal(s3.stats().words, 6 * 2 * 5 * 32 * d + d);
  assert.throws(() => s1.updateX(0, 1), (e) => code('EINVAL')(e) && /use setting 'x' or 'both'/.test(e.message));
  assert.throws(() => s2.updateA(0, 0, 1), (e) => code('EINVAL')(e) && /use setting 'A' or 'both'/.test(e.message));
  assert.throws(() => s3.updateA(n, 0, 1), code('EINVAL'));
  assert.throws(() => s3.updateX(0, NaN), code('ENONFINITE'));
  assert.throws(() => sk.attentionSampler({ setting: 'y', n, d }), code('EINVAL'));
  // no setting: refused (as the types say) instead of a silent setting 'A' with x fixed at 0, where y = A·0 can never be sampled
  assert.throws(() => sk.attentionSampler({ n, d }), (e) => code('EINVAL')(e) && /^attentionSampler: pass setting: 'A' .*'x' .*'both'/.test(e.message));
  assert.throws(() => sk.attentionSampler({ setting: 'x', A, x: [1, 2] }), code('ESHAPE'));
  const back = sk.deserializeAttention(s3.serialize());
  assert.equal(back.sample().index, r0.index);
});

test('attentionSampler: each setting is given the factor it keeps fixed, and n, d agree with A and x (npm audit)', () => {
  const A = { rows: 6, cols: 3, data: Float64Array.from({ length: 18 }, (_, k) => (k % 5) - 2) };
  // A fixed factor left out was taken as 0: y = A·x = 0 for ever, and every sample failed
  assert.throws(() => sk.attentionSampler({ setting: 'x', n: 6, d: 3 }), (e) => code('EINVAL')(e) && /setting 'x' keeps A fixed: pass A \(n×d\)/.test(e.message));
  assert.throws(() => sk.attentionSampler({ setting: 'A', n: 6, d: 3 }), (e) => code('EINVAL')(e) && /setting 'A' keeps x fixed: pass x \(d numbers\)/.test(e.message));
  // ... also when d is left out too: the missing factor is what to say, not d
  assert.throws(() => sk.attentionSampler({ setting: 'A', n: 6 }), (e) => code('EINVAL')(e) && /setting 'A' keeps x fixed: pass x/.test(e.message));
  // d disagreeing with A or x was ignored
  assert.throws(() => sk.attentionSampler({ setting: 'both', A, d: 4 }), (e) => code('ESHAPE')(e) && /d = 4 but A has 3 columns/.test(e.message));
  assert.throws(() => sk.attentionSampler({ setting: 'both', n: 6, d: 4, x: [1, 2, 3] }), (e) => code('ESHAPE')(e) && /d = 4 but x has 3 entries/.test(e.message));
  assert.throws(() => sk.attentionSampler({ setting: 'A', n: 6, x: new Float64Array((1 << 24) + 1) }), (e) => code('EINVAL')(e) && /x has 16777217 entries; d must be from 1 to 16777216/.test(e.message));
  // what is given consistently still works: both with everything, A with x and an initial A, n/d repeated
  for (const o of [{ setting: 'both', A, x: [1, -1, 2] }, { setting: 'A', A, x: [1, -1, 2], n: 6, d: 3 }, { setting: 'x', A, d: 3 }, { setting: 'both', n: 6, d: 3 }]) {
    const s = sk.attentionSampler({ ...o, seed: 1 });
    assert.deepEqual([s.n, s.d], [6, 3]);
    s.dispose();
  }
});

test('tensorSampler: d above 4096 and repetitions above 1024 are refused in JS with the limits (npm audit)', () => {
  // they reached the C library, which rejected them as a glue bug (EARG 'please report it')
  const X = { rows: 4097, cols: 4097, data: new Float64Array(4097 * 4097) };
  assert.throws(() => sk.tensorSampler({ A2: { rows: 1, cols: 4097, data: new Float64Array(4097) }, X }), (e) => code('EINVAL')(e) && /d = 4097 .*at most 4096/.test(e.message));
  assert.throws(() => sk.tensorSampler({ A2: [[1]], X: [[1]], repetitions: 1025 }), (e) => code('EINVAL')(e) && /repetitions must be from 1 to 1024/.test(e.message));
  // heavy is bounded by the n² pairs, and the message says so
  assert.throws(() => sk.tensorSampler({ A2: [[1], [2]], X: [[1]], heavy: 5 }), (e) => code('EINVAL')(e) && /at most n² = 4 pairs/.test(e.message));
  const t = sk.tensorSampler({ A2: [[1], [2]], X: [[1]], repetitions: 1024, heavy: 4 });
  t.dispose();
});

test('samplerQuery, attentionSettings, attentionLive: errors name the function called and its own argument (npm audit)', () => {
  // they named the helper inside ('l2Sampler: n (the universe size) must be from 1', 'l2Sampler.update: delta at position 1')
  const own = (c, fn, re) => (e) => code(c)(e) && e.message.startsWith(`${fn}: `) && re.test(e.message);
  assert.throws(() => sk.samplerQuery([]), own('ESHAPE', 'samplerQuery', /y must have at least one entry/));
  assert.throws(() => sk.samplerQuery([1, NaN]), own('ENONFINITE', 'samplerQuery', /y\[1\] must be finite/));
  assert.throws(() => sk.samplerQuery([1, 2], { heavy: 3 }), own('EINVAL', 'samplerQuery', /heavy \(m\) must be from 1 to 2/));
  assert.throws(() => sk.attentionSettings({ n: 4, heavy: 5 }), own('EINVAL', 'attentionSettings', /heavy \(m\) must be from 1 to 4/));
  assert.throws(() => sk.attentionLive({ n: 4, heavy: 9 }), own('EINVAL', 'attentionLive', /heavy \(m\) must be from 1 to 4/));
  assert.throws(() => sk.attentionLive({ eps: 2 }), own('EINVAL', 'attentionLive', /eps must be/));
  // n·d too large for memory: a RangeError ('Array buffer allocation failed') from building A in JavaScript
  for (const f of ['attentionSettings', 'attentionLive']) {
    assert.throws(() => sk[f]({ n: 1 << 20, d: 4096 }), own('ENOMEM', f, /A \(n·d = 4294967296 numbers\) needs 32\.0 GiB.*use a smaller n or d/));
  }
});

test('l2Sampler.table() with an exact oracle says there are no sketch tables (npm audit)', () => {
  for (const oracle of ['exact', 'race']) {
    const s = sk.l2Sampler({ n: 5, oracle, seed: 1 });
    s.update(3, 2);
    // was 'l2Sampler.table: invalid combination of arguments'
    assert.throws(() => s.table(), (e) => code('EINVAL')(e) && new RegExp(`oracle '${oracle}' keeps y itself.*no sketch tables.*oracle 'sketch'.*inspect\\(\\)`).test(e.message));
    assert.equal(s.inspect().u.length, 5);
    s.dispose();
  }
});

test('countSketch.merge(other) after other.dispose() says other was disposed, not this (npm audit)', () => {
  const a = sk.countSketch({ seed: 1 }), b = sk.countSketch({ seed: 1 });
  b.dispose();
  // was 'countSketch.merge: this countSketch was disposed'
  assert.throws(() => a.merge(b), (e) => code('EDISPOSED')(e) && /^countSketch\.merge: other \(the countSketch to merge in\) was disposed/.test(e.message));
  a.update(1, 2);
  assert.equal(a.estimate(1), 2, 'this one still works');
  a.dispose();
  assert.throws(() => a.merge(b), (e) => code('EDISPOSED')(e) && /^countSketch\.merge: this countSketch was disposed/.test(e.message));
});

test('lemma62Game: v must hold the numbers 0 and 1 (strings, booleans and fractions were truncated silently) (npm audit)', () => {
  for (const v of [['0', '1'], [true, false], [0.5, 1], [1, 1.7], [0, -0.2]]) {
    assert.throws(() => sk.lemma62Game({ v }), (e) => code('EINVAL')(e) && /^lemma62Game: v\[\d\] = .* is not a bit \(the number 0 or 1\)/.test(e.message), JSON.stringify(v));
  }
  assert.equal(sk.lemma62Game({ v: Uint8Array.of(1, 0, 1), i: 0, seed: 1 }).messageBits > 0, true);
});

test('disjointnessGame: an L so large that y overflows says to lower L (npm audit)', () => {
  // was ENONFINITE 'the input contains NaN or Infinity' for a finite L
  assert.throws(() => sk.disjointnessGame({ n: 10, k: 2, L: 1e308, trials: 1 }), (e) => code('EINVAL')(e) && /^disjointnessGame: L = 1e\+308 is too large.*use a smaller L/.test(e.message));
  assert.equal(sk.disjointnessGame({ n: 10, k: 2, L: 1e300, buckets: 0, trials: 3, seed: 1 }).hits, 3);
});

test('a DataView where an array of numbers is expected is refused as such (npm audit)', () => {
  // a DataView passed ArrayBuffer.isView and was read as an empty array: EARG 'please report' from
  // softmaxSample, 'd = undefined columns' from attentionSampler, 'i must be from 0 to -1' from lemma62Game
  const dv = new DataView(new ArrayBuffer(16));
  const isArrayError = (fn, name) => (e) => code('EINVAL')(e) && e.message.startsWith(`${fn}: ${name} must be a`) && /array/.test(e.message) && /got a DataView/.test(e.message);
  assert.throws(() => sk.softmaxSample(dv), isArrayError('softmaxSample', 'logits'));
  assert.throws(() => sk.samplerTrials(dv), isArrayError('samplerTrials', 'y'));
  assert.throws(() => sk.samplerQuery(dv), isArrayError('samplerQuery', 'y'));
  assert.throws(() => sk.sketchComparison(dv), isArrayError('sketchComparison', 'x'));
  assert.throws(() => sk.attentionSampler({ setting: 'A', n: 3, x: dv }), isArrayError('attentionSampler', 'x'));
  assert.throws(() => sk.lemma62Game({ v: dv }), isArrayError('lemma62Game', 'v'));
  // typed arrays of numbers are still arrays of numbers
  assert.equal(sk.softmaxSample(Float32Array.of(0, 50), { seed: 1 })[0], 1);
  assert.equal(sk.lemma62Game({ v: Uint8Array.of(1, 0), seed: 1 }).messageBits > 0, true);
});

test('l2Sampler.inspect() on a universe too large to list says so (npm audit)', () => {
  // the sampler of n = 2^30 is small (its sketches), but inspect() lists u and ẑ for every index:
  // the message was 'a buffer needs 8192.0 MB ...; use smaller matrices'
  const s = sk.l2Sampler({ n: 2 ** 30, seed: 1 });
  s.update(2 ** 30 - 1, 1);
  assert.throws(() => s.inspect(), (e) => code('ENOMEM')(e) && /^l2Sampler\.inspect: u and ẑ for all n = 1073741824 indices need 16\.0 GiB.*sample\(\) gives the answering repetition's u and ẑ/.test(e.message));
  assert.equal(typeof s.sample().u, 'number');
  s.dispose();
  assert.equal(sk.memoryStats().live, 0);
});

test('lemma62Game and sketchComparison: limits of the C library and of the AMS sketch inside are checked in JS, named by the function called (npm audit)', () => {
  // a v longer than 2^20 reached C and came back as EARG 'please report'
  assert.throws(() => sk.lemma62Game({ v: new Uint8Array((1 << 20) + 1) }), (e) => code('EINVAL')(e) && /^lemma62Game: v has 1048577 bits; at most 1048576/.test(e.message));
  // a budget whose AMS share s1 = ⌊M/rows⌋ is above 2^20 failed as 'amsSketch: s1 (averaged copies) must be from 1 to 1048576'
  assert.throws(() => sk.sketchComparison([1, 2], { budgets: [1 << 24], seeds: 1 }), (e) => code('EINVAL')(e) && /^sketchComparison: budgets\[0\] must be from 5 to 5242880 .*2\^20/.test(e.message));
  assert.equal(sk.sketchComparison([1, 2], { budgets: [5 * 2 ** 10], rows: 5, seeds: 1 }).budgets[0].counters, 5 * 2 ** 10);
});

test('sketchComparison: seeds seed, seed+1, ... wrap below 2^64, as in samplerTrials (npm audit)', () => {
  // the seed after 2^64 − 1 was passed on as 2^64: 'countSketch: seed must be in [0, 2^64), got 18446744073709551616'
  const top = sk.sketchComparison([3, 1, 2, 0, 5], { seed: 2n ** 64n - 1n, seeds: 2, budgets: [10] });
  assert.equal(top.seeds, 2);
  // the medians over seeds {2^64 − 1, 0} are the mean of those two single-seed results
  const a = sk.sketchComparison([3, 1, 2, 0, 5], { seed: 2n ** 64n - 1n, seeds: 1, budgets: [10] }).budgets[0];
  const b = sk.sketchComparison([3, 1, 2, 0, 5], { seed: 0, seeds: 1, budgets: [10] }).budgets[0];
  assert.equal(top.budgets[0].countSketch.rms, (a.countSketch.rms + b.countSketch.rms) / 2);
  assert.equal(top.budgets[0].ams.f2RelErr, (a.ams.f2RelErr + b.ams.f2RelErr) / 2);
  assert.equal(sk.memoryStats().live, 0);
});

test('tensorSampler: FFT sketch equals the streamed y-sketch; softmaxSample; games', () => {
  const n = 8, d = 2;
  const A2 = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, k) => Math.cos(k)) };
  const t = sk.tensorSampler({ A2, X: [[1, 0.5], [-0.5, 2]], buckets: 16, rows: 3, heavy: 4, repetitions: 3, seed: 4 });
  for (let i = 0; i < n; i++) t.update(i, i % d, i - 3);
  const y = t.table(0).y, f = t.fftSketch().table;
  for (let k = 0; k < y.length; k++) assert.ok(Math.abs(y[k] - f[k]) < 1e-12 * 100);
  const r = t.sample();
  if (r.index >= 0) assert.deepEqual(r.pair, [Math.floor(r.index / n), r.index % n]);
  assert.throws(() => sk.tensorSampler({ A2, X: [[1]] }), code('ESHAPE'));
  for (const method of ['inverse', 'gumbel', 'alias']) {
    const out = sk.softmaxSample([0, 1000, -1000, 999], { method, draws: 500, seed: 3 });
    assert.ok(out instanceof Int32Array && out.length === 500);
    assert.ok(out.every((i) => i === 1 || i === 3));
  }
  assert.throws(() => sk.softmaxSample([1, NaN]), code('ENONFINITE'));
  assert.throws(() => sk.softmaxSample([1, 2], { method: 'topk' }), code('EINVAL'));
  const g = sk.disjointnessGame({ buckets: 0, trials: 20, seed: 1 });
  assert.equal(g.hits, 20); assert.equal(g.messageBits, 1000);
  const v = [1, 0, 1, 1, 0, 1, 0, 0];
  for (let i = 0; i < v.length; i++) {
    const r2 = sk.lemma62Game({ v, i, seed: 10 + i });
    if (r2.index >= 0) assert.equal(r2.bit, v[i]);
  }
  assert.throws(() => sk.lemma62Game({ v: [0, 2] }), code('EINVAL'));
});

test('countSketch: an update or merge that would overflow a counter is refused, the sketch unchanged (fuzz finding stream_cs_counter_overflow)', () => {
  const M = Number.MAX_VALUE;
  for (const hash of ['poly', 'fast']) {
    const a = sk.countSketch({ buckets: 10, rows: 3, seed: 5, hash });
    a.update(4, M);
    const before = a.table();
    assert.throws(() => a.update(4, M), (e) => code('EINVAL')(e) && /overflow past ±1\.79\d*e\+?308.*unchanged.*Scale the deltas down/.test(e.message));
    assert.throws(() => a.update(Int32Array.of(1, 4, 4), Float64Array.of(2.5, -M / 2, M)), code('EINVAL'));  // M, then 0.5·M fit; then 1.5·M
    assert.deepEqual(a.table(), before);
    a.update(Int32Array.of(1, 4, 4), Float64Array.of(2.5, -M, M));  // fine in order: M, 0, M
    const bytes = a.serialize();
    const b = sk.deserializeSketch(bytes);  // every accepted state round-trips
    assert.deepEqual(b.table(), a.table());
    assert.ok([...a.table()].every(Number.isFinite));
    const t = a.table();
    assert.throws(() => a.merge(b), (e) => code('EINVAL')(e) && /overflow/.test(e.message));
    assert.deepEqual(a.table(), t);
    a.dispose(); b.dispose();
  }
});

test('parity: native and wasm (baseline and SIMD) agree bit for bit on integer tables and sampled indices', async (t) => {
  const path = fileURLToPath(CLI);
  if (!existsSync(path)) { t.skip(`${path} missing: run make build/native/sk_cli`); return; }
  const nat = JSON.parse(execFileSync(path, ['stream'], { encoding: 'utf8' }));
  for (const simd of [false, true]) {
    const m = await freshApi(`stream-${simd}`);
    await m.init({ simd });
    for (const c of nat.cs) {
      const cs = m.countSketch({ buckets: 64, rows: 5, hash: c.hash ? 'fast' : 'poly', seed: 2024 });
      const idx = Int32Array.from({ length: 3000 }, (_, k) => (k * 7919) % 1000);
      cs.update(idx, Float64Array.from(idx, (_, k) => (k % 21) - 10));
      assert.deepEqual([...cs.table()], c.table, `hash ${c.hash}, simd ${simd}`);
    }
    const y = Float64Array.from({ length: 200 }, (_, i) => (i < 5 ? 40 - 5 * i : ((i * 37) % 23) - 11));
    const idx = Int32Array.from({ length: 200 }, (_, i) => i);
    for (let s = 1; s <= 30; s++) {
      const l2 = m.l2Sampler({ n: 200, eps: 0.25, buckets: 64, rows: 7, heavy: 8, repetitions: 8, seed: s });
      l2.update(idx, y);
      const r = l2.sample();
      assert.equal(r.index, nat.l2.index[s - 1], `seed ${s}`);
      if (r.index >= 0) assert.ok(Math.abs(r.value - nat.l2.value[s - 1]) <= 1e-12 * Math.abs(nat.l2.value[s - 1]));
    }
    assert.ok(nat.l2.index.some((i) => i >= 0), 'some seeds accept');
    const l = Float64Array.from({ length: 50 }, (_, i) => (i % 13) * 0.7);
    for (const method of ['inverse', 'gumbel', 'alias']) {
      assert.deepEqual([...m.softmaxSample(l, { method, draws: 200, seed: 5 })], nat.softmax[method], method);
    }
  }
});

test('10,000 create/update/dispose cycles keep the heap high-water mark stable', () => {
  const cycle = (k) => {
    const cs = sk.countSketch({ buckets: 64, rows: 5, seed: k });
    cs.update(Int32Array.of(k % 100, 7), Float64Array.of(1, 2));
    cs.dispose();
    const s = sk.l2Sampler({ n: 50, buckets: 16, rows: 3, heavy: 2, seed: k });
    s.update(k % 50, 1);
    s.sample();
    s.dispose();
    try { sk.countSketch({ buckets: 0 }); } catch { /* failing create leaks nothing */ }
  };
  for (let k = 0; k < 100; k++) cycle(k);   // warm up the allocator
  const before = sk.memoryStats();
  for (let k = 0; k < 10000; k++) cycle(k);
  const after = sk.memoryStats();
  assert.equal(after.bytes, before.bytes, 'wasm memory did not grow');
  assert.equal(after.live, 0);
  assert.equal(after.probe, before.probe, 'a fresh malloc lands at the same address');
  assert.equal(after.maxEnd, before.maxEnd, 'high-water mark of JS-layer blocks unchanged');
});

test('worker client: sampler trials in chunks with progress, and cancel', async () => {
  const { createClient } = await import('../../wasm/worker-client.js');
  const c = createClient({ simd: false });
  try {
    await c.ready;
    const y = [3, 2, 1, 1, 0.5];
    const phases = [];
    let total = 0;
    for (let chunk = 0; chunk < 3; chunk++) {
      const r = await c.samplerTrials(y, { trials: 500, oracle: 'race', seed: 1000 * chunk }, { onProgress: (e) => phases.push(e.phase) });
      total += r.accepted;
    }
    assert.equal(total, 1500);
    assert.ok(phases.includes('start') && phases.includes('done'));
    const direct = sk.samplerTrials(y, { trials: 500, oracle: 'race', seed: 0 });
    const viaWorker = await c.samplerTrials(y, { trials: 500, oracle: 'race', seed: 0 });
    assert.deepEqual([...viaWorker.counts], [...direct.counts], 'the worker computes the same trials');
    const ac = new AbortController();
    const long = c.samplerTrials(Array.from({ length: 2000 }, (_, i) => 1 + (i % 7)), { trials: 1e6, seed: 1 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(long, (e) => e.name === 'AbortError');
    const after = await c.softmaxSample([0, 1000], { draws: 3, seed: 2 });
    assert.deepEqual([...after], [1, 1, 1], 'the client works after a cancel');
  } finally {
    c.terminate();
  }
});
