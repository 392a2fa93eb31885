// attention.test.mjs — tensorAttention, attention, kvCache, subgen, indexGame
// (wasm/attention.js): the API and its errors, the scipy.linalg.khatri_rao
// oracle (tests/ref/tensor_attention_ref.py, run by /usr/bin/python3),
// native/wasm parity of outputs (1e-12) and counters (exact) against
// `build/native/sk_cli attention`, baseline and SIMD builds, and 10,000
// append/dispose cycles with a stable heap.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, ROOT, freshApi } from './helpers.mjs';

const TOL = 1e-12;

const variants = {};
async function api(name = 'simd') {
  if (!variants[name]) {
    const m = await freshApi(`attn-${name}`);
    const info = await m.init({ simd: name === 'simd' });
    assert.equal(info.simd, name === 'simd');
    variants[name] = m;
  }
  return variants[name];
}

let nativeCache;
function native() {
  if (!nativeCache) {
    const path = fileURLToPath(CLI);
    assert.ok(existsSync(path), `${path} is missing: run \`make build/native/sk_cli\``);
    nativeCache = JSON.parse(execFileSync(path, ['attention'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  }
  return nativeCache;
}

/** |a − e| <= tol·(|e| + scale) entrywise. */
function close(a, e, what, scale = 1, tol = TOL) {
  assert.equal(a.length, e.length, `${what}: length`);
  for (let i = 0; i < e.length; i++) {
    assert.ok(Math.abs(a[i] - e[i]) <= tol * (Math.abs(e[i]) + scale), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  }
}

const rowsOf = (M) => Array.from({ length: M.rows }, (_, i) => Array.from({ length: M.cols }, (_, j) => M.data[i + j * M.rows]));
const maxAbs = (M) => M.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

function oracle(q, K1, K2, V1, V2, scale) {
  const input = JSON.stringify({ scale, q: Array.from(q), K1: rowsOf(K1), K2: rowsOf(K2), V1: rowsOf(V1), V2: rowsOf(V2) });
  const out = execFileSync('/usr/bin/python3', [`${ROOT}tests/ref/tensor_attention_ref.py`], { input, encoding: 'utf8' });
  return JSON.parse(out);
}

test('T13: every evaluation equals the scipy khatri_rao oracle (n = 7, d = 5 and n = 64, d = 16)', async () => {
  const m = await api();
  for (const [n, d, seed, scale] of [[7, 5, 1, 'raw'], [7, 5, 2, 'alman-song'], [64, 16, 3, 'simplicial']]) {
    const [K1, K2, V1, V2] = [0, 1, 2, 3].map((i) => m.randn(n, d, seed * 10 + i));
    const q = m.randn(d, 1, seed * 10 + 9).data;
    const s = scale === 'raw' ? 1 : scale === 'alman-song' ? 1 / d : 1 / Math.sqrt(d);
    const ref = oracle(q, K1, K2, V1, V2, s).out;
    const vs = maxAbs(V1) * maxAbs(V2);
    for (const evaluation of ['two-cache', 'naive', 'factored', 'streaming']) {
      close(m.tensorAttention(q, K1, K2, V1, V2, { evaluation, scale }), ref, `${evaluation} n=${n}`, vs);
    }
    close(m.tensorAttention(q, K1, K2, V1, V2, { scale: s }), ref, 'numeric scale', vs);
  }
});

test('attention(): standard decode, and rows given as number[][]', async () => {
  const m = await api();
  const K = [[1, 0], [0, 1], [1, 1]], V = [[1, 2], [3, 4], [5, 6]], q = [2, -1];
  const lg = [2, -1, 1], mx = 2, p = lg.map((l) => Math.exp(l - mx)), Z = p.reduce((a, b) => a + b);
  const want = [0, 1].map((j) => p.reduce((acc, pi, i) => acc + pi * V[i][j], 0) / Z);
  close(m.attention(q, K, V), want, 'attention', 6);
});

test('kvCache: decode with exact counters (four, two in shell order, windows)', async () => {
  const m = await api();
  const d = 4, T = 9;
  const toks = [0, 1, 2, 3, 4].map((i) => m.randn(T, d, 70 + i));
  const row = (M, t) => Float64Array.from({ length: d }, (_, j) => M.data[t + j * T]);
  const four = m.kvCache({ kind: 'four', d, scale: 'alman-song' });
  const two = m.kvCache({ kind: 'two', d, scale: 'alman-song' });
  for (let t = 1; t <= T; t++) {
    const args = [0, 1, 2, 3].map((i) => row(toks[i], t - 1));
    four.append(...args);
    two.append(...args);
    const q = row(toks[4], t - 1);
    const ys = ['naive', 'factored', 'streaming'].map((evaluation) => {
      const y = four.query(q, { evaluation });
      const st = four.stats();
      assert.equal(st.queryOps, evaluation === 'naive' ? 4 * t * t * d : 2 * t * t * d + 2 * t * d);
      return y;
    });
    const y2 = two.query(q);
    for (const y of ys) close(y, y2, `step ${t}`, 10);
    const s4 = four.stats(), s2 = two.stats();
    assert.deepEqual([s4.tokens, s4.words, s4.bytes, s4.appendOps], [t, 4 * t * d, 32 * t * d, 4 * d]);
    assert.deepEqual([s2.words, s2.auxWords, s2.appendOps, s2.queryOps], [2 * t * t * d, 4 * t * d, 2 * (2 * t - 1) * d, 2 * t * t * d]);
  }
  // A batch append is one call and gives the same state.
  const batch = m.kvCache({ kind: 'two', d, scale: 'alman-song' });
  batch.append(...[0, 1, 2, 3].map((i) => toks[i]));
  const q = row(toks[4], 0);
  assert.deepEqual(batch.query(q), two.query(q));
  assert.equal(batch.stats().totalAppendOps, 2 * T * T * d);
  // Windows.
  const w = m.kvCache({ kind: 'four', d, window: 3 });
  w.append(...[0, 1, 2, 3].map((i) => toks[i]));
  assert.equal(w.stats().words, 4 * 3 * d);
  assert.equal(w.window, 3);
  for (const h of [four, two, batch, w]) h[Symbol.dispose]();
  assert.ok(four.disposed && w.disposed);
});

test('kvCache and subgen errors say what to change; use after dispose', async () => {
  const m = await api();
  const err = (f, code, re) => assert.throws(f, (e) => e.name === 'SketchlabError' && e.code === code && re.test(e.message));
  err(() => m.kvCache({ kind: 'four', d: 4, window: 0 }), 'EINVAL', /window must be >= 1/);
  err(() => m.kvCache({ kind: 'three', d: 4 }), 'EINVAL', /kind must be/);
  // Enum names are own properties only (issue 9: 'constructor' and friends once passed an `in` check).
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    err(() => m.kvCache({ kind: name, d: 4 }), 'EINVAL', /kind must be/);
    err(() => m.kvCache({ kind: 'four', d: 4, scale: name }), 'EINVAL', /scale must be/);
    err(() => m.indexGame({ n: 8, d: 8, cache: { kind: name } }), 'EINVAL', /cache/);
  }
  err(() => m.kvCache({ kind: 'two', d: 64, capacity: 100000 }), 'ENOMEM', /needs .*GiB.*use kind 'four'/);
  const c = m.kvCache({ kind: 'four', d: 3 });
  err(() => c.query([1, 2, 3]), 'EINVAL', /empty/);
  err(() => c.append([1, 2, 3], [1, 2], [1, 2, 3], [1, 2, 3]), 'ESHAPE', /k2 has 2 entries but d = 3/);
  err(() => c.append([1, 2, 3], [1, 2, 3], [1, NaN, 3], [1, 2, 3]), 'ENONFINITE', /v1\[1\] is NaN/);
  err(() => c.append([1, 2, 3], [1, 2, 3], [1, 2, 3], [Infinity, 2, 3]), 'ENONFINITE', /v2\[0\] is Infinity/);
  err(() => c.append([1, 2, 3], [1, 2, 3]), 'EINVAL', /append\(k1, k2, v1, v2\)/);
  assert.equal(c.stats().tokens, 0);
  c.append([1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]);
  err(() => c.query([1, 2, Infinity]), 'ENONFINITE', /q\[2\]/);
  err(() => c.query([1, 2, 3], { evaluation: 'two-cache' }), 'EINVAL', /evaluation must be one of/);
  c.dispose();
  c.dispose(); // idempotent
  assert.equal(c.disposed, true);
  err(() => c.query([1, 2, 3]), 'EDISPOSED', /disposed/);
  err(() => c.append([1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]), 'EDISPOSED', /disposed/);
  err(() => m.subgen({ d: 2, delta: 0, t: 1, s: 1 }), 'EINVAL', /delta/);
  err(() => m.subgen({ d: 2, delta: -1, t: 1, s: 1 }), 'EINVAL', /delta/);
  err(() => m.subgen({ d: 2, delta: 0.5, t: 0, s: 1 }), 'EINVAL', /t \(uniform slots/);
  err(() => m.subgen({ d: 2, delta: 0.5, t: 1, s: 0 }), 'EINVAL', /s \(value samples/);
  const g = m.subgen({ d: 2, delta: 0.5, t: 1, s: 2, seed: 3 });
  err(() => g.query([1, 1]), 'EINVAL', /no token/);
  g.append([1, 0], [2, 3]);
  close(g.query([0.3, 0.1]), [2, 3], 'subgen one token', 1);
  g[Symbol.dispose]();
  err(() => g.stats(), 'EDISPOSED', /disposed/);
  err(() => m.tensorAttention([1, 2], [[1, 2]], [[1, 2], [3, 4]], [[1, 2]], [[1, 2]]), 'ESHAPE', /K2 is 2×2 but K1 is 1×2/);
  err(() => m.tensorAttention([1, 2], [[1, 2]], [[1, 2]], [[1, 2]], [[1, 2]], { evaluation: 'fast' }), 'EINVAL', /evaluation/);
  err(() => m.indexGame({ n: 8, d: 4, cache: { kind: 'evict', budget: 9 } }), 'EINVAL', /budget must be from 1 to 8/);
});

test('kvCache: a d too large for one vector says so; a DataView token is not an empty vector (npm audit)', async () => {
  const m = await freshApi('attn-audit');
  await m.init();
  const err = (f, code, re) => assert.throws(f, (e) => e.name === 'SketchlabError' && e.code === code && re.test(e.message), re);
  // was 'a four-cache of 0 tokens with d = 1000000000 needs 0 bytes ...; use fewer tokens or a window'
  err(() => m.kvCache({ d: 1e9 }), 'ENOMEM', /^kvCache: d = 1000000000 is too large: one vector of d numbers needs 7\.5 GiB.*use a smaller d$/);
  const c = m.kvCache({ d: 2 });
  const dv = new DataView(new ArrayBuffer(16));
  // was 'k1 has 0 entries but d = 2'
  err(() => c.append(dv, [1, 0], [0, 1], [1, 1]), 'EINVAL', /^kvCache\.append: k1 must be a Float64Array or number\[\] of length 2, got a DataView/);
  c.append([1, 2], [1, 0], [0, 1], [1, 1]);
  err(() => c.query(dv), 'EINVAL', /^kvCache\.query: q must be a Float64Array or number\[\] of length 2, got a DataView/);
  assert.equal(c.query(Float32Array.of(1, 0)).length, 2, 'typed arrays of numbers still work');
  c.dispose();
  assert.equal(m.memoryStats().live, 0);
});

test('subgen({ tensor: true }): SubGen4Cache returns v1 ∘ v2 on a degenerate stream, errors, dispose', async () => {
  const m = await api();
  const g = m.subgen({ d: 3, delta: 0.1, t: 2, s: 4, seed: 5, tensor: true });
  assert.equal(g.tensor, true);
  const k1 = [0.5, -1, 0.2], k2 = [1, 2, -0.5], v1 = [1, -2, 0.5], v2 = [3, 0.25, -1];
  for (let i = 0; i < 20; i++) g.append(k1, k2, v1, v2);
  close(g.query([0.3, 0.1, -0.2]), v1.map((x, j) => x * v2[j]), 'SubGen4Cache degenerate', 1);
  const st = g.stats();
  assert.equal(st.tokens, 20);
  assert.equal(st.clusters, 1);
  assert.equal(st.words, 2 * (1 * 3 * 3 + 1 + 4 * 7 + 1));
  assert.throws(() => g.append(k1, v1), /append\(k1, k2, v1, v2\)/);
  g.dispose();
  assert.throws(() => g.query([1, 2, 3]), /disposed/);
});

test("subgen({ tensor: 'pairs' }): SubGen2Cache equals exact tensor attention on a degenerate stream; errors; dispose", async () => {
  const m = await api();
  const err = (f, code, re) => assert.throws(f, (e) => e.name === 'SketchlabError' && e.code === code && re.test(e.message));
  const d = 3, n = 12;
  const g = m.subgen({ d, delta: 0.1, t: 2, s: 4, seed: 5, tensor: 'pairs' });
  assert.equal(g.tensor, 'pairs');
  const k1 = [0.5, -1, 0.2], k2 = [1, 2, -0.5], v1 = [1, -2, 0.5], v2 = [3, 0.25, -1];
  const rows = (v) => ({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, i) => v[Math.floor(i / n)]) });
  g.append(rows(k1), rows(k2), rows(v1), rows(v2));
  const q = [0.3, 0.1, -0.2];
  const exact = m.tensorAttention(q, rows(k1), rows(k2), rows(v1), rows(v2), { evaluation: 'factored' });
  // Both sum n² equal terms: error <= ~n²·eps relative to max |v1 ∘ v2| (= 3).
  close(g.query(q), exact, 'SubGen2Cache degenerate vs exact', 3, 10 * (n * n + d) * 2.2e-16);
  close(g.query(q), v1.map((x, j) => x * v2[j]), 'SubGen2Cache degenerate vs v1∘v2', 3, 10 * (n * n + d) * 2.2e-16);
  const st = g.stats();
  assert.deepEqual(st, { tokens: n, pairs: n * n, clusters: 1, words: 1 * 3 * 3 + 1 + 4 * 7 + 1, bytes: 8 * 39, bits: 64 * 39, auxWords: 4 * n * d, appendOps: 2 * (2 * n - 1) * d });
  err(() => g.append(k1, v1), 'EINVAL', /append\(k1, k2, v1, v2\)/);
  err(() => g.append(k1, k2, [1, NaN, 0], v2), 'ENONFINITE', /v1\[1\] is NaN/);
  err(() => g.append(k1, [1, 2], v1, v2), 'ESHAPE', /k2 has 2 entries but d = 3/);
  err(() => g.query([1, 2, Infinity]), 'ENONFINITE', /q\[2\]/);
  assert.equal(g.stats().tokens, n, 'nothing appended by the failed calls');
  err(() => m.subgen({ d, delta: 0.1, t: 2, s: 4, tensor: 'triples' }), 'EINVAL', /tensor must be/);
  err(() => m.subgen({ d, delta: 0, t: 2, s: 4, tensor: 'pairs' }), 'EINVAL', /delta/);
  const e = m.subgen({ d, delta: 0.1, t: 2, s: 4, tensor: 'pairs' });
  err(() => e.query(q), 'EINVAL', /no token was appended/);
  e.dispose();
  g[Symbol.dispose]();
  assert.equal(g.disposed, true);
  err(() => g.query(q), 'EDISPOSED', /disposed/);
  err(() => g.append(k1, k2, v1, v2), 'EDISPOSED', /disposed/);
  err(() => g.stats(), 'EDISPOSED', /disposed/);
});

test('SubGen2Cache: mean of 300 seeded outputs on a two-cluster pair stream is near the exact tensor attention', async () => {
  // Unbiasedness of Ẑ and N̂ is tested in C (1,000 seeds, test_subgen2_unbiased); here the
  // ratio's average over seeds must approach exact attention within its own spread.
  const m = await api();
  const n = 10, d = 3, R = 300;
  const K1 = m.randn(n, d, 71), K2 = m.randn(n, d, 72), V1 = m.randn(n, d, 73), V2 = m.randn(n, d, 74);
  for (let i = 0; i < n * d; i++) { K1.data[i] = (i % n) % 2 ? 0.8 + 0.02 * K1.data[i] : -0.8 + 0.02 * K1.data[i]; K2.data[i] = 1 + 0.02 * K2.data[i]; }
  const q = [0.7, -0.4, 0.2];
  const exact = m.tensorAttention(q, K1, K2, V1, V2);
  const mean = new Float64Array(d), sq = new Float64Array(d);
  for (let r = 0; r < R; r++) {
    const g = m.subgen({ d, delta: 0.5, t: 4, s: 32, seed: 100 + r, tensor: 'pairs' });
    g.append(K1, K2, V1, V2);
    const y = g.query(q);
    g.dispose();
    for (let j = 0; j < d; j++) { mean[j] += y[j] / R; sq[j] += y[j] * y[j] / R; }
  }
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(Math.max(sq[j] - mean[j] * mean[j], 0));
    assert.ok(sd > 0, 'a random estimate');
    // N̂/Ẑ is a ratio (bias O(1/s)), so allow 4 standard errors plus 5 % of the spread.
    assert.ok(Math.abs(mean[j] - exact[j]) <= 4 * sd / Math.sqrt(R) + 0.05 * sd, `coordinate ${j}: mean ${mean[j]} vs exact ${exact[j]} (sd ${sd})`);
  }
});

test('indexGame: the exact cache recovers every bit; state bits >= Fano floor', async () => {
  const m = await api();
  const g = m.indexGame({ n: 128, d: 64, cache: 'exact', seed: 4 });
  assert.equal(g.accuracy, 1);
  assert.deepEqual(g.recovered, g.bits);
  assert.equal(g.stateBits, 64 * 2 * 128 * 64);
  assert.equal(g.fanoBits, 128 * 64);
  const e = m.indexGame({ n: 128, d: 64, cache: { kind: 'evict', budget: 32 }, seed: 4 });
  assert.ok(e.accuracy < 0.8 && e.stateBits >= e.fanoBits);
  const bits = new Uint8Array(8 * 32).map((_, i) => (i % 3 === 0 ? 1 : 0));
  const b = m.indexGame({ n: 8, d: 32, cache: 'four', bits, seed: 1 });
  assert.deepEqual(b.recovered, bits);
});

test('native/wasm parity: outputs to 1e-12, counters and recovered bits exactly (baseline and SIMD)', async () => {
  const nat = native();
  for (const variant of ['baseline', 'simd']) {
    const m = await api(variant);
    for (const c of nat.tensor) {
      const [K1, K2, V1, V2] = [0, 1, 2, 3].map((i) => m.randn(c.n, c.d, c.seed + i));
      const q = m.randn(c.d, 1, c.seed + 4).data;
      for (const evaluation of ['two-cache', 'naive', 'factored', 'streaming']) {
        close(m.tensorAttention(q, K1, K2, V1, V2, { evaluation, scale: c.scale }), c[evaluation], `${variant} ${evaluation}`, 1);
      }
      close(m.attention(q, K1, V1, { scale: 0.5 }), c.standard, `${variant} standard`, 1);
    }
    const kinds = ['standard', 'four', 'two'], evals = ['two-cache', 'naive', 'factored', 'streaming'];
    for (const c of nat.decode) {
      const M = [0, 1, 2, 3, 4].map((i) => m.randn(c.T, c.d, c.seed + i));
      const cache = m.kvCache({ kind: kinds[c.kind], d: c.d, window: c.window > 0 ? c.window : undefined, scale: 1 / c.d });
      for (let t = 0; t < c.T; t++) {
        const row = (X) => Float64Array.from({ length: c.d }, (_, j) => X.data[t + j * c.T]);
        cache.append(row(M[0]), row(M[1]), row(M[2]), row(M[3]));
        const y = cache.query(row(M[4]), { evaluation: evals[c.eval] });
        close(y, c.out.slice(t * c.d, (t + 1) * c.d), `${variant} decode kind ${c.kind} step ${t}`, 1);
        const s = cache.stats();
        assert.deepEqual([s.tokens, s.words, s.bytes, s.bits, s.auxWords, s.appendOps, s.queryOps, s.workWords, s.totalAppendOps, s.totalQueryOps],
          c.stats.slice(t * 10, t * 10 + 10), `${variant} counters kind ${c.kind} step ${t}`);
      }
      cache.dispose();
    }
    const sg = nat.subgen;
    const g = m.subgen({ d: sg.d, delta: sg.delta, t: sg.t, s: sg.s, seed: sg.seed });
    g.append(m.randn(sg.n, sg.d, sg.seed + 1), m.randn(sg.n, sg.d, sg.seed + 2));
    close(g.query(m.randn(sg.d, 1, sg.seed + 3).data), sg.out, `${variant} subgen`, 1);
    const st = g.stats();
    assert.deepEqual([st.tokens, st.clusters, st.words, st.bytes, st.bits], sg.stats);
    g.dispose();
    const s2 = nat.subgen2;
    const g2 = m.subgen({ d: s2.d, delta: s2.delta, t: s2.t, s: s2.s, seed: s2.seed, tensor: 'pairs' });
    g2.append(...[1, 2, 3, 4].map((i) => m.randn(s2.n, s2.d, s2.seed + i)));
    close(g2.query(m.randn(s2.d, 1, s2.seed + 5).data), s2.out, `${variant} subgen2`, 1);
    const t2 = g2.stats();
    assert.deepEqual([t2.tokens, t2.pairs, t2.clusters, t2.words, t2.bytes, t2.bits, t2.auxWords, t2.appendOps], s2.stats);
    g2.dispose();
    const names = ['exact', 'evict', 'window', 'subgen', 'four', 'two', 'subgen4', 'subgen2'];
    for (const c of nat.index) {
      const name = names[c.kind];
      const cache = name === 'exact' || name === 'four' ? name
        : name === 'evict' ? { kind: 'evict', budget: c.budget }
          : name === 'window' ? { kind: 'window', size: c.budget } : { kind: name, delta: c.delta, t: c.t, s: c.s };
      const r = m.indexGame({ n: c.n, d: c.d, C: 12, cache, seed: c.seed });
      assert.equal(Array.from(r.recovered).join(''), c.recovered, `${variant} index ${name} bits`);
      assert.deepEqual([r.accuracy, r.stateBits], c.result.slice(0, 2));
      close([r.fanoBits, r.maxError], c.result.slice(2), `${variant} index ${name}`, 1);
    }
  }
});

test('10,000 append/dispose cycles keep the heap high-water mark stable', async () => {
  const m = await api();
  const k = new Float64Array(8).fill(0.5);
  const cycle = () => {
    const c = m.kvCache({ kind: 'four', d: 8 });
    c.append(k, k, k, k);
    c.dispose();
    const g = m.subgen({ d: 8, delta: 0.5, t: 2, s: 2 });
    g.append(k, k);
    g.dispose();
    const g4 = m.subgen({ d: 8, delta: 0.5, t: 2, s: 2, tensor: true });
    g4.append(k, k, k, k);
    g4.dispose();
    const g2 = m.subgen({ d: 8, delta: 0.5, t: 2, s: 2, tensor: 'pairs' });
    g2.append(k, k, k, k);
    g2.append(k, k, k, k);
    g2.dispose();
  };
  for (let i = 0; i < 100; i++) cycle();
  const before = m.memoryStats();
  for (let i = 0; i < 10000; i++) cycle();
  const after = m.memoryStats();
  assert.equal(after.bytes, before.bytes, 'wasm memory did not grow');
  assert.equal(after.maxEnd, before.maxEnd, 'high-water mark of JS allocations unchanged');
  assert.equal(after.probe, before.probe, 'a fresh malloc lands at the same address (no leak)');
  assert.equal(after.live, 0);
});

test('decodeRun (the worker method): counters follow the theory', async () => {
  const m = await api();
  const r = m.decodeRun({ kind: 'four', evaluation: 'factored', d: 8, T: 6, seed: 1 });
  assert.deepEqual(Array.from(r.queryOps), [1, 2, 3, 4, 5, 6].map((t) => 2 * t * t * 8 + 2 * t * 8));
  assert.deepEqual(Array.from(r.words), [1, 2, 3, 4, 5, 6].map((t) => 4 * t * 8));
  const r2 = m.decodeRun({ kind: 'two', d: 8, T: 6, seed: 1 });
  close(r2.out, r.out, 'two vs four at the last step', 1);
  // a tensor decode through a standard cache used to fail inside kvCache.append ("takes append(k, v), got 4 arguments")
  const before = m.memoryStats();
  assert.throws(() => m.decodeRun({ kind: 'standard', d: 8, T: 2 }), (e) => e.code === 'EINVAL' && /^decodeRun: kind must be 'four' or 'two'.*"standard"/.test(e.message));
  assert.throws(() => m.decodeRun({ d: 8, T: 2, caches: [{ kind: 'four' }, { kind: 'standard' }] }), (e) => e.code === 'EINVAL' && /^decodeRun: caches\[1\]\.kind must be 'four' or 'two'/.test(e.message));
  assert.equal(m.memoryStats().live, before.live, 'nothing held after the refusals');
});
