// countmin.test.mjs — countMin (wasm/stream.js over sketchlab/countmin.h) and
// the page helpers sketchComparison / attentionLive: exact-count behaviour,
// errors that say what to change, use after dispose, native/wasm parity of
// integer tables (build/native/sk_cli stream), and the equal-memory facts the
// sampler page shows (fixed seeds).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as sk from '../../wasm/index.js';
import { CLI, freshApi } from './helpers.mjs';

await sk.init();

const code = (c) => (e) => { assert.equal(e.name, 'SketchlabError'); assert.equal(e.code, c, e.message); return true; };

test('countMin: one-sided MIN on counts, shares CountSketch buckets, f2 >= F2, bytes', () => {
  const n = 500;
  const x = Float64Array.from({ length: n }, (_, i) => Math.floor(300 / (i + 1)) + (i % 2));
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const cm = sk.countMin({ buckets: 64, rows: 5, seed: 3 });
  cm.update(idx, x);
  for (let i = 0; i < 50; i++) cm.update(i, 0);     // single updates work too
  const est = cm.estimateAll(n);
  let over = 0;
  for (let i = 0; i < n; i++) { assert.ok(est[i] >= x[i], `x̂_${i} = ${est[i]} < ${x[i]}`); over += est[i] > x[i]; }
  assert.ok(over > 0, 'some collision error (the test is not vacuous)');
  assert.equal(cm.estimate(7), est[7]);
  const f2 = x.reduce((s, v) => s + v * v, 0);
  assert.ok(cm.f2() >= f2);
  // same seed: Count-Min counters are |CountSketch counters| for a single key
  const one = sk.countMin({ buckets: 64, rows: 5, seed: 3 }), cs = sk.countSketch({ buckets: 64, rows: 5, seed: 3 });
  one.update(42, 1); cs.update(42, 1);
  assert.deepEqual([...one.table()], [...cs.table()].map(Math.abs));
  assert.equal(cm.bytes, 8 * 64 * 5 + 8 * 5 * 2);
  assert.equal(cm.bits, 8 * cm.bytes);
  for (const h of [cm, one, cs]) h.dispose();
});

test('countMin: median rule on a signed stream, MIN underestimates there', () => {
  const n = 400;
  const x = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (Math.floor(200 / (i + 1)) + 1));
  const cm = sk.countMin({ buckets: 128, rows: 7, seed: 11 });
  cm.update(Int32Array.from({ length: n }, (_, i) => i), x);
  const l1 = x.reduce((s, v) => s + Math.abs(v), 0);
  const med = cm.estimateAll(n, 'median'), mn = cm.estimateAll(n, 'min');
  const beyond = med.filter((v, i) => Math.abs(v - x[i]) > (3 * Math.E * l1) / 128).length;
  assert.ok(beyond <= n / 100, `${beyond} keys beyond 3e‖x‖₁/b`);
  assert.ok(mn.some((v, i) => v < x[i]), 'MIN is not one-sided on signed data');
  cm.dispose();
});

test('countMin: bad input and use after dispose', () => {
  assert.throws(() => sk.countMin({ buckets: 0 }), code('EINVAL'));
  assert.throws(() => sk.countMin({ rows: 256 }), code('EINVAL'));
  assert.throws(() => sk.countMin({ hash: 'md5' }), code('EINVAL'));
  assert.throws(() => sk.countMin({ width: 3 }), code('EINVAL'));
  const cm = sk.countMin({ buckets: 8, rows: 3, seed: 1 });
  assert.throws(() => cm.update(-1, 1), code('EINVAL'));
  assert.throws(() => cm.update(1, NaN), code('ENONFINITE'));
  assert.throws(() => cm.update(Int32Array.of(1, 2), Float64Array.of(1, Infinity)), code('ENONFINITE'));
  assert.throws(() => cm.update(Int32Array.of(1, 2), Float64Array.of(1)), code('ESHAPE'));
  assert.deepEqual([...cm.table()], new Array(24).fill(0), 'a rejected batch changes nothing');
  assert.throws(() => cm.estimateAll(4, 'mean'), code('EINVAL'));
  assert.throws(() => cm.estimateAll(-1), code('EINVAL'));
  cm.dispose();
  cm.dispose();
  assert.equal(cm.disposed, true);
  assert.throws(() => cm.f2(), (e) => code('EDISPOSED')(e) && /disposed/.test(e.message));
  assert.throws(() => cm.update(1, 1), code('EDISPOSED'));
});

test('countMin.estimate(i) answers for every key update() takes, in O(rows) (npm audit)', () => {
  // estimate(i) was estimateAll(i + 1)[i]: keys at or above 2^26 could be updated but never
  // estimated ('countMin.estimateAll: n must be from 0 to 67108864'), and each call cost O(i) time and memory.
  for (const i of [2 ** 26, 123456789, 2 ** 31 - 1]) {
    const one = sk.countMin({ buckets: 64, rows: 5, seed: 9 });
    one.update(i, 3);   // a single key: no collision, so both rules give its count exactly
    assert.equal(one.estimate(i), 3, `key ${i}`);
    assert.equal(one.estimate(i, 'median'), 3, `key ${i}`);
    one.dispose();
  }
  const cm = sk.countMin({ buckets: 64, rows: 5, seed: 9 });
  cm.update(Int32Array.from({ length: 200 }, (_, i) => (i * 7919) % 100), Float64Array.from({ length: 200 }, (_, i) => 1 + (i % 4)));
  const all = cm.estimateAll(64);
  for (let i = 0; i < 64; i++) for (const rule of ['min', 'median']) assert.equal(cm.estimate(i, rule), cm.estimateAll(64, rule)[i], `key ${i} ${rule}`);
  assert.equal(cm.estimate(7), all[7]);
  const before = sk.memoryStats().bytes;
  for (let k = 0; k < 1000; k++) cm.estimate(2 ** 31 - 1 - k);
  assert.equal(sk.memoryStats().bytes, before, 'no O(i) buffer per call');
  assert.throws(() => cm.estimate(2 ** 31), (e) => code('EINVAL')(e) && /^countMin\.estimate: i must be from 0 to 2147483647/.test(e.message));
  assert.throws(() => cm.estimate(1, 'max'), (e) => code('EINVAL')(e) && /^countMin\.estimate: rule must be one of 'min', 'median'/.test(e.message));
  cm.dispose();
  assert.throws(() => cm.estimate(1), (e) => code('EDISPOSED')(e) && /^countMin\.estimate:/.test(e.message));
});

test('parity: Count-Min tables, median estimates and f2 bit for bit native vs wasm (baseline and SIMD)', async (t) => {
  const path = fileURLToPath(CLI);
  if (!existsSync(path)) { t.skip(`${path} missing: run make build/native/sk_cli`); return; }
  const nat = JSON.parse(execFileSync(path, ['stream'], { encoding: 'utf8' }));
  assert.equal(nat.cm.length, 2);
  for (const simd of [false, true]) {
    const m = await freshApi(`countmin-${simd}`);
    await m.init({ simd });
    for (const c of nat.cm) {
      const cm = m.countMin({ buckets: 64, rows: 5, hash: c.hash ? 'fast' : 'poly', seed: 2024 });
      const idx = Int32Array.from({ length: 3000 }, (_, k) => (k * 7919) % 1000);
      cm.update(idx, Float64Array.from(idx, (_, k) => (k % 21) - 10));
      assert.deepEqual([...cm.table()], c.table, `hash ${c.hash}, simd ${simd}`);
      assert.deepEqual([...cm.estimateAll(50, 'median')], c.median);
      assert.equal(cm.f2(), c.f2[0]);
      cm.dispose();
    }
  }
});

test('sketchComparison: equal counters; CountSketch beats Count-Min on a heavy-tailed count vector; AMS F2 error shrinks with memory', () => {
  // counts with a long tail: ‖x‖₁ ≫ ‖x‖₂, where CountSketch's ‖x‖₂/√b error wins over Count-Min's ‖x‖₁/b
  const x = Float64Array.from({ length: 2000 }, (_, i) => (i < 10 ? 500 - 40 * i : 3 + (i % 5)));
  const r = sk.sketchComparison(x, { budgets: [70, 700], rows: 7, seeds: 15, seed: 1 });
  assert.equal(r.countMinRule, 'min');
  for (const b of r.budgets) {
    assert.equal(b.counters, b.buckets * b.rows);
    assert.ok(b.bytes.cs >= 8 * b.counters && b.bytes.cm >= 8 * b.counters && b.bytes.ams >= 8 * b.counters);
  }
  const [small, big] = r.budgets;
  assert.ok(big.countSketch.rms < small.countSketch.rms && big.countMin.rms < small.countMin.rms);
  assert.ok(big.countSketch.rms < big.countMin.rms, `CS ${big.countSketch.rms} vs CM ${big.countMin.rms}`);
  assert.ok(big.ams.f2RelErr < small.ams.f2RelErr);
  // Count-Min's F2 is biased up by about (‖x‖₁² − F2)/b: far worse than the unbiased ones here
  assert.ok(big.countMin.f2RelErr > 2 * big.countSketch.f2RelErr);
  const signed = sk.sketchComparison(Float64Array.from(x, (v, i) => (i % 2 ? v : -v)), { budgets: [70], rows: 7, seeds: 3 });
  assert.equal(signed.countMinRule, 'median');
  const zero = sk.sketchComparison([0, 0, 0], { budgets: [4], rows: 2, seeds: 2 });
  assert.equal(zero.budgets[0].countSketch.f2RelErr, 0, 'the zero vector: absolute F2 error 0, not NaN');
  assert.equal(zero.budgets[0].ams.f2RelErr, 0);
  assert.throws(() => sk.sketchComparison([1, NaN]), code('ENONFINITE'));
  assert.throws(() => sk.sketchComparison([1, 2], { budgets: [3], rows: 5 }), code('EINVAL'));
  assert.throws(() => sk.sketchComparison([], {}), code('EINVAL'));
});

test('attentionLive: counters per op follow spec §1.4, refusals are null, matches attentionSettings sizes', () => {
  const o = { n: 60, d: 4, buckets: 16, rows: 5, heavy: 4, repetitions: 2, seed: 7 };
  const r = sk.attentionLive({ ...o, ops: 'aaxbx' });
  const R = 5, reps = 2;
  assert.deepEqual(r.settings.A.perOp, [2 * R * reps, 2 * R * reps, null, 2 * R * reps, null]);
  assert.deepEqual(r.settings.x.perOp, [null, null, 1, 1, 1]);
  assert.deepEqual(r.settings.both.perOp, [2 * R * reps, 2 * R * reps, 1, 2 * R * reps + 1, 1]);
  assert.equal(r.settings.A.words, o.d + 2 * R * 16 * reps);
  assert.equal(r.settings.x.words, 2 * R * 16 * reps * o.d + o.d);
  assert.equal(r.settings.both.words, r.settings.x.words);
  assert.equal(r.settings.both.updatesA, 3);
  assert.equal(r.settings.both.updatesX, 3);
  assert.equal(r.last.kind, 'x');
  // deterministic in (seed, ops)
  assert.deepEqual(sk.attentionLive({ ...o, ops: 'aaxbx' }), r);
  assert.throws(() => sk.attentionLive({ ops: 'aq' }), code('EINVAL'));
});
