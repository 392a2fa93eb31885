// validation.test.mjs — regressions of issue 9 part 4 (JS findings): enum names are
// own properties only, every bad value gives a SketchlabError whose message can
// be built for any JS value, and a bloated heap can be given back (reset()).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as sk from '../../wasm/index.js';
import { describe, isName, lookupName } from '../../wasm/validate.js';
import { execFileSync } from 'node:child_process';

const PROTO = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

function throwsSk(f, code, re) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof sk.SketchlabError, `expected a SketchlabError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

const A = { rows: 4, cols: 3, data: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)) };
const spd = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];

test('validate.js: own names only; describe() never throws', () => {
  const t = Object.freeze({ a: 1 });
  assert.equal(isName(t, 'a'), true);
  for (const p of PROTO) { assert.equal(isName(t, p), false, p); assert.equal(lookupName(t, p), undefined, p); }
  assert.equal(isName(new Map([['a', 1]]), 'constructor'), false);
  assert.equal(isName(t, Symbol('a')), false);
  for (const v of [Symbol('s'), Object.create(null), 1n, () => 1, new Proxy({}, {}), [1], new Float32Array(2), null, undefined, 'x', NaN]) {
    assert.equal(typeof describe(v), 'string');
  }
  assert.equal(describe(1n), '1n (a BigInt)');
  assert.equal(describe(Object.create(null)), 'an object with a null prototype');
});

test('enum options: Object.prototype names are unknown names, not aliases (method, normalizer, kernel, core, side, gallery)', async () => {
  await sk.init();
  for (const p of PROTO) {
    throwsSk(() => sk.id(A, { method: p, rank: 2 }), 'EINVAL', /unknown method .*use one of 'cpqr'/);
    throwsSk(() => sk.cur(A, { method: p, rank: 2 }), 'EINVAL', /unknown method/);
    throwsSk(() => sk.cur(A, { rank: 2, core: p }), 'EINVAL', /core must be 'optimal'/);
    throwsSk(() => sk.rpcholesky(spd, { method: p, rank: 2 }), 'EINVAL', /unknown method/);
    throwsSk(() => sk.rpcholesky({ points: [[0, 1, 2], [1, 0, 1]], bandwidth: 1, kernel: p }, { rank: 2 }), 'EINVAL', /kernel must be 'gaussian' or 'laplace'/);
    throwsSk(() => sk.rsvd(A, { rank: 1, normalizer: p }), 'EINVAL', /unknown normalizer/);
    throwsSk(() => sk.exactAngles([1, 0.5, 0.25], [[1], [0.5], [0.1]], { k: 1, side: p }), 'EINVAL', /side must be 'left'/);
    throwsSk(() => sk.angleBounds({ spectrum: [1, 0.5, 0.25, 0.1], k: 1, l: 2, q: 0, side: p }), 'EINVAL', /side must be 'left'/);
    throwsSk(() => sk.gallery(p, {}), 'EINVAL', /unknown test matrix .*use one of 'gmm'/);
    assert.equal(sk.supports(p), false, `supports(${p})`);
  }
  // the names that exist still work
  assert.equal(sk.id(A, { method: 'cpqr', rank: 2 }).rank, 2);
  assert.equal(sk.supports('svd'), true);
  assert.equal(sk.memoryStats().live, 0);
});

test('BigInt, Symbol and null-prototype values give EINVAL/ERANK with a message, never a TypeError', async () => {
  await sk.init();
  throwsSk(() => sk.matmul(A, A, { transA: 1n }), 'EINVAL', /transA must be true or false, got 1n \(a BigInt\)/);
  for (const [f, key] of [[(o) => sk.svd(A, o), 'vectors'], [(o) => sk.id(A, { rank: 1, ...o }), 'trace'], [(o) => sk.rsvd(A, { rank: 1, ...o }), 'residual'],
    [(o) => sk.canonicalAngles([[1], [0]], [[1], [0]], o), 'angles'], [(o) => sk.eigh(spd, o), 'vectors']]) {
    throwsSk(() => f({ [key]: 1n }), 'EINVAL', new RegExp(`${key} must be true or false`));
    throwsSk(() => f({ [key]: 1 }), 'EINVAL', /pass a boolean/);
  }
  const odd = [Symbol('x'), Object.create(null)];
  for (const v of odd) {
    throwsSk(() => sk.cpqr(A, { rank: v }), 'ERANK', /rank must be an integer/);
    throwsSk(() => sk.cpqr(A, { tol: v }), 'EINVAL', /tol must be a finite number/);
    throwsSk(() => sk.cholesky(spd, { symTol: v }), 'EINVAL', /symTol/);
    throwsSk(() => sk.randn(v, 2), 'EINVAL', /rows must be a non-negative integer/);
    throwsSk(() => sk.randn(2, 2, v), 'EINVAL', /seed must be a non-negative integer/);
    throwsSk(() => sk.randn(2, 2, 0, { stream: v }), 'EINVAL', /stream/);
    throwsSk(() => sk.id(A, { rank: v }), 'EINVAL', /rank must be an integer/);
    throwsSk(() => sk.id(A, { method: v, rank: 1 }), 'EINVAL', /unknown method/);
    throwsSk(() => sk.rsvd(A, { rank: v }), 'EINVAL', /rank must be an integer/);
    throwsSk(() => sk.gallery(v, {}), 'EINVAL', /unknown test matrix/);
    throwsSk(() => sk.gallery('kahan', { n: v }), 'EINVAL', /n must be a non-negative integer/);
    throwsSk(() => sk.svd(v), 'EINVAL', /A must be a matrix/);
    throwsSk(() => sk.svd({ rows: 1, cols: 1, data: [v] }), 'EINVAL', /A\.data\[0\] must be a number/);
    throwsSk(() => sk.svd([[v]]), 'EINVAL', /A\[0\]\[0\] must be a number/);
    // (a null-prototype object is a fine options object; a Symbol is not)
    if (typeof v === 'symbol') throwsSk(() => sk.svd(A, v), 'EINVAL', /options must be an object like \{ vectors \}, got a Symbol/);
  }
  assert.equal(sk.memoryStats().live, 0);
});

test('new SketchlabError(code, message, null) and other odd arguments construct an error', () => {
  const e = new sk.SketchlabError('EINVAL', 'm', null);
  assert.equal(e.code, 'EINVAL');
  assert.equal(e.message, 'm');
  assert.equal(e.status, undefined);
  assert.equal(new sk.SketchlabError('EINVAL', 'm', 5).message, 'm');
  assert.equal(new sk.SketchlabError('EINVAL', Symbol('s')).message, 'a Symbol');
  assert.equal(new sk.SketchlabError(1n, 'm').code, 'EINVAL');
  const r = sk.SketchlabError.fromJSON(new sk.SketchlabError('ERANK', 'x', { status: 6, fn: 'id' }).toJSON());
  assert.equal(r.code, 'ERANK');
  assert.equal(r.fn, 'id');
});

test('reset(): wasm memory never shrinks, but a fresh instance gives the heap back and works', async () => {
  await sk.init();
  const big = sk.randn(3000, 2000, 1); // 48 MB in wasm memory, so the heap grows past it
  const grown = sk.memoryStats().bytes;
  assert.ok(grown >= 3000 * 2000 * 8, `heap ${grown} bytes`);
  sk.matmul([[1]], [[1]]);
  assert.equal(sk.memoryStats().bytes, grown, 'wasm memory does not shrink by itself');
  const info = await sk.reset();
  assert.equal(typeof info.version, 'string');
  const after = sk.memoryStats();
  assert.ok(after.bytes < grown / 2, `after reset the heap is ${after.bytes} bytes (was ${grown})`);
  assert.equal(after.live, 0);
  assert.equal(big.data.length, 3000 * 2000, 'results returned before reset stay valid');
  assert.deepEqual([...sk.randn(3000, 2000, 1).data.subarray(0, 5)], [...big.data.subarray(0, 5)], 'same bits from the fresh instance');
  await sk.reset();
  assert.deepEqual([...sk.matmul([[1, 2]], [[3], [4]]).data], [11]);
});

test('reset(): handles made before it (sketches, samplers, caches, SubGen, solvers) throw EDISPOSED instead of using the new instance', async () => {
  await sk.init();
  const cs = sk.countSketch({ seed: 1 }).update(3, 5);
  const l2 = sk.l2Sampler({ n: 4, seed: 1 }).update(1, 2);
  const kv = sk.kvCache({ kind: 'four', d: 2 }).append([1, 0], [0, 1], [1, 1], [2, 2]);
  const sg = sk.subgen({ d: 2, delta: 1, t: 2, s: 2, tensor: true }).append([1, 0], [0, 1], [1, 1], [2, 2]);
  const P = sk.softmaxProblem('T3');
  const sv = sk.softmaxSolver(P.A, P.b, P.w);
  const kept = sk.countSketch({ seed: 1 }); // merged into a fresh sketch below
  await sk.reset();
  // a fresh handle whose C state may sit where the old ones' did
  const fresh = sk.countSketch({ seed: 9 }).update(7, 1);
  assert.equal(cs.disposed, true, 'a handle of the old instance reports disposed');
  throwsSk(() => cs.estimate(3), 'EDISPOSED', /countSketch\.estimate: .*before reset\(\).*create a new one with countSketch\(\{\.\.\.\}\) after reset/);
  throwsSk(() => cs.update(3, 1), 'EDISPOSED', /reset\(\)/);
  throwsSk(() => l2.sample(), 'EDISPOSED', /l2Sampler\.sample: .*reset\(\)/);
  throwsSk(() => fresh.merge(kept), 'EDISPOSED', /reset\(\)/);
  throwsSk(() => kv.query([1, 0]), 'EDISPOSED', /kvCache\.query: .*reset\(\).*kvCache\(\{\.\.\.\}\) after reset/);
  throwsSk(() => kv.stats(), 'EDISPOSED', /reset\(\)/);
  throwsSk(() => sg.query([1, 0]), 'EDISPOSED', /subgen\.query: .*reset\(\)/);
  throwsSk(() => sv.step(), 'EDISPOSED', /softmaxSolver\.step: .*reset\(\)/);
  assert.equal(sv.disposed, true);
  // disposing them frees nothing in the new instance (it used to free the new instance's blocks, or trap)
  for (const h of [cs, l2, kv, sg, sv, kept]) { h.dispose(); h[Symbol.dispose](); }
  assert.equal(fresh.estimate(7), 1, 'the fresh handle is untouched');
  assert.equal(sk.memoryStats().live, 0, 'the JS layer holds no block of the new instance');
  fresh.dispose();
});

// The FinalizationRegistry safety net after reset(): handles of the old instance that are
// garbage-collected must not be freed in the new one. Before, the KV-cache/SubGen/solver
// registries freed them there: a RuntimeError (memory access out of bounds) thrown from the
// registry callback killed Node, or fresh handles at the same addresses were corrupted.
// In a child process: it needs --expose-gc.
test('reset(): garbage-collected handles of the old instance are not freed in the new one', { timeout: 120_000 }, () => {
  const script = `
    const sk = await import(${JSON.stringify(new URL('../../wasm/index.js', import.meta.url).href)});
    await sk.init();
    const P = sk.softmaxProblem('T3');
    (() => { // dropped without dispose, in the first instance
      for (let i = 0; i < 50; i++) {
        sk.kvCache({ kind: 'four', d: 4 }).append([1, 2, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]);
        sk.subgen({ d: 2, delta: 1, t: 1, s: 1 });
        sk.softmaxSolver(P.A, P.b, P.w);
        sk.countSketch({ buckets: 64 });
      }
    })();
    await sk.reset();
    // fresh handles in the new instance, at the addresses the old ones had
    const fresh = Array.from({ length: 50 }, (_, i) => sk.kvCache({ kind: 'standard', d: 4 }).append([1, 0, 0, 0], [i, 1, 2, 3]));
    const solvers = Array.from({ length: 20 }, () => sk.softmaxSolver(P.A, P.b, P.w));
    for (let k = 0; k < 5; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
    let bad = 0;
    fresh.forEach((c, i) => { const y = c.query([0, 0, 0, 0]); if (y[0] !== i || y[3] !== 3 || c.stats().tokens !== 1) bad++; });
    for (const s of solvers) if (s.step().iteration !== 1) bad++;
    for (const h of [...fresh, ...solvers]) h.dispose();
    process.stdout.write(JSON.stringify({ bad, live: sk.memoryStats().live }));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.deepEqual(JSON.parse(out), { bad: 0, live: 0 }, 'fresh handles intact, nothing held');
});

test('a huge request fails with ENOMEM (before allocating, or when malloc fails) and names what to change', async () => {
  await sk.init();
  const before = sk.memoryStats().bytes;
  throwsSk(() => sk.gallery('kahan', { n: 40000 }), 'ENOMEM', /4 GB.*use smaller matrices/);
  throwsSk(() => sk.randn(50000, 50000), 'ENOMEM', /use a smaller matrix/);
  throwsSk(() => sk.svd({ rows: 1, cols: 2e8, data: new Float64Array(0) }), 'ESHAPE', /needs rows·cols = 200000000/);
  // just under 4 GB: passes the size checks, then malloc fails (wasm memory cannot grow that far)
  const nOom = Math.floor((0xffffffff - 65536 - 8) / 8);
  throwsSk(() => sk.randn(1, nOom), 'ENOMEM', /out of memory allocating the 1×\d+ result .*use smaller matrices/);
  throwsSk(() => sk.gallery('exponential', { rows: 1, cols: nOom }), 'ENOMEM', /out of memory/);
  assert.deepEqual([...sk.matmul([[1, 2]], [[3], [4]]).data], [11], 'usable after running out of memory');
  assert.equal(sk.memoryStats().bytes, before, 'nothing was allocated');
  assert.equal(sk.memoryStats().live, 0);
});

test('the demo pages never call sketchlab on the main thread: only the worker client is imported', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const root = new URL('../../web/', import.meta.url);
  const files = [
    ...readdirSync(root).filter((f) => /\.(js|html)$/.test(f)).map((f) => new URL(f, root)),
    ...readdirSync(new URL('lib/', root)).filter((f) => f.endsWith('.js')).map((f) => new URL(`lib/${f}`, root)),
  ];
  assert.ok(files.length >= 5);
  let clientImports = 0;
  for (const url of files) {
    const text = readFileSync(url, 'utf8');
    // any reference to the package's main-thread entry points (index.js, inline.js, the IIFE build)
    assert.doesNotMatch(text, /vendor\/sketchlab\/(index|inline|sketchlab)[\w.-]*\.js/, `${url.pathname} loads sketchlab on the main thread`);
    // (an import statement at the start of a line: prose in <code> on the landing page does not count)
    assert.doesNotMatch(text, /^\s*import\b[^;]*from\s*['"]sketchlab(\/inline)?['"]/m, `${url.pathname} imports sketchlab on the main thread`);
    assert.doesNotMatch(text, /import\(\s*['"]sketchlab(\/inline)?['"]/, `${url.pathname} imports sketchlab on the main thread`);
    if (/vendor\/sketchlab\/worker-client\.js/.test(text)) clientImports++;
  }
  assert.ok(clientImports >= 1, 'the pages reach sketchlab through the worker client (web/lib/compute.js)');
});

test('init(): odd option values reject with EINVAL (never a TypeError from the message)', async () => {
  const fresh = await import(new URL('../../wasm/index.js?validation-init', import.meta.url).href);
  for (const o of [{ simd: 1n }, { simd: Symbol('s') }, { simd: Object.create(null) }, { wasm: Symbol('w') }, Symbol('o'), 1n]) {
    await assert.rejects(fresh.init(o), (e) => e instanceof sk.SketchlabError && e.code === 'EINVAL' && e.message.length > 20, String(typeof o));
  }
  await fresh.init();
  assert.equal(fresh.isInitialized(), true);
});

test('attention (fuzz findings): prototype names, Symbols, BigInts and null-prototype values are EINVAL; very negative logits are not NaN', async () => {
  await sk.init();
  const K = [[1, 0], [0, 1]], V = [[1, 2], [3, 4]];
  for (const p of PROTO) {
    throwsSk(() => sk.kvCache({ kind: p, d: 2 }), 'EINVAL', /kind must be 'four', 'two' or 'standard'/);
    throwsSk(() => sk.attention([1, 1], K, V, { scale: p }), 'EINVAL', /scale must be a number or one of 'raw'/);
    throwsSk(() => sk.indexGame({ n: 2, d: 2, cache: { kind: p } }), 'EINVAL', /cache must be 'exact'/);
  }
  throwsSk(() => sk.kvCache({ kind: Object.create(null), d: 2 }), 'EINVAL', /kind must be/);
  throwsSk(() => sk.tensorAttention([1, 1], K, K, V, V, { scale: Object.create(null) }), 'EINVAL', /scale must be/);
  throwsSk(() => sk.attention([Symbol('q'), 1], K, V), 'EINVAL', /q\[0\] is a Symbol, not a number; q must hold numbers/);
  throwsSk(() => sk.attention([1, 1n], K, V), 'EINVAL', /q\[1\] is 1n \(a BigInt\), not a number/);
  throwsSk(() => sk.attention(new BigInt64Array(2), K, V), 'EINVAL', /q\[0\] is 0n \(a BigInt\), not a number/);
  const c = sk.subgen({ d: 1, delta: 1, t: 1, s: 1 });
  c.append([1], [2]);
  throwsSk(() => c.query([Symbol('q')]), 'EINVAL', /must hold numbers/);
  throwsSk(() => c.append([1n], [2]), 'EINVAL', /got 1n \(a BigInt\)/);
  c.dispose();
  // sizes beyond a C int: EINVAL in JS (2^32 + 1 used to wrap to 1 in wasm, 2^31 reached C as EARG)
  throwsSk(() => sk.kvCache({ d: 2 ** 32 + 1 }), 'EINVAL', /d must be from 1 to 2147483647/);
  throwsSk(() => sk.kvCache({ d: 2, window: 2 ** 31 }), 'EINVAL', /window must be from 1 to 2147483647/);
  throwsSk(() => sk.subgen({ d: 1, delta: 1, t: 2 ** 31, s: 1 }), 'EINVAL', /t \(uniform slots per cluster\) must be from 1/);
  throwsSk(() => sk.decodeRun({ d: 2 ** 31, T: 1 }), 'EINVAL', /d must be from 1/);
  // one key with logit −2.3e8: softmax of a single logit is 1, so out = V (was NaN from 0·exp(2.3e8))
  assert.deepEqual([...sk.attention([2.8], [[-8.2e7]], [[-0.37]])], [-0.37]);
  assert.deepEqual([...sk.tensorAttention([1, 1], [[-1e4, 1]], [[1e4, 0]], [[2, 3]], [[0.5, -1]], { evaluation: 'factored' })], [1, -3]);
  assert.equal(sk.memoryStats().live, 0);
});

test('cur: a core that double cannot hold is ESINGULAR with advice, never Inf in U (fuzz finding)', async () => {
  await sk.init();
  const A = { rows: 3, cols: 2, data: [1.320524740877426e-301, 5.3697375402686e-310, -4.65542416e-316, 1.24966450972433e-310, -3.4647324e-316, -5e-324] };
  throwsSk(() => sk.cur(A, { method: 'rbrp', rank: 2, seed: 1, core: 'optimal' }), 'ESINGULAR', /U = C⁺AR⁺ is not representable at rank 2.*scale A up by a power of two/);
  // tiny overall but representable: U ~ 1/A is finite
  const B = { rows: 3, cols: 2, data: [3e-300, 1e-300, -2e-300, 1e-300, 4e-300, 2e-300] };
  assert.ok(sk.cur(B, { method: 'cpqr', rank: 2 }).U.data.every(Number.isFinite));
  assert.equal(sk.memoryStats().live, 0);
});

test('rsvd: entries near Number.MAX_VALUE give finite singular values, 2^1000·s of the scaled matrix (fuzz finding: Inf s, then a false ENONFINITE)', async () => {
  await sk.init();
  const data = Float64Array.from([2.1017425618548504e+306, 6.105949745541484e+306, -1.190212953706837e+306, -6.57717202413512e+306, -4.664014489730163e+306,
    -4.7527169434631716e+306, -5.704058633398725e+306, 1.6162550323720387e+307, 3.3440591087108356e+306, -1.9359115739372906e+307, 1.724523752664869e+307,
    -5.7390294838105974e+305, 7.482155421095895e+306, 2.459010503639386e+307, 3.199259325977107e+306, -1.689178889931507e+306, -8.973386124501638e+306,
    -5.675104138614592e+306, 1.9234134714410453e+307, -1.8488808051438215e+306, 3.144116858757644e+307, -2.3453248915875525e+307, -7.091348940567299e+306,
    4.816420540699777e+306, 8.730928558723573e+306, -2.015973274520512e+307, -8.556726404012206e+306, -7.668719282320214e+306, -1.5560943747607583e+306,
    6.979314376864281e+306, 2.169010325899815e+307, -1.6310018485354588e+307, 3.548476951416722e+306, -3.761818273458884e+306, 5.675365411533873e+305,
    -6.076302085373743e+306]);
  const o = { rank: 1, oversample: 1, powerIters: 1 };
  const r = sk.rsvd({ rows: 6, cols: 6, data }, o);
  const t = sk.rsvd({ rows: 6, cols: 6, data: data.map((x) => x * 2 ** -1000) }, o);
  for (let i = 0; i < 2; i++) {
    assert.ok(Number.isFinite(r.sAll[i]));
    assert.ok(Math.abs(r.sAll[i] * 2 ** -1000 - t.sAll[i]) <= 1e-13 * t.sAll[0], `s[${i}]`);
  }
  assert.equal(sk.memoryStats().live, 0);
});

test('rsvd: a norm above Number.MAX_VALUE is ENONFINITE that says A is finite and what to change', async () => {
  await sk.init();
  const data = Float64Array.from({ length: 24 }, (_, i) => Math.cos(i) * 1e300);
  data[13] = -Number.MAX_VALUE; data[2] = Number.MAX_VALUE; // ‖A‖_F >= √2·MAX_VALUE
  throwsSk(() => sk.rsvd({ rows: 4, cols: 6, data }, { rank: 1, oversample: 1 }), 'ENONFINITE', /A is finite, but its norm .* exceeds Number.MAX_VALUE/);
  assert.equal(sk.memoryStats().live, 0);
});

test('stream (fuzz findings): Symbols, BigInts, null and null-prototype values are EINVAL/ESHAPE, never a TypeError', async () => {
  await sk.init();
  throwsSk(() => sk.attentionSampler({ setting: Object.create(null), n: 2, d: 2 }), 'EINVAL', /setting must be one of/);
  throwsSk(() => sk.attentionSampler({ setting: 'both', A: [[1, 2]], n: Object.create(null) }), 'ESHAPE', /n = an object with a null prototype but A has 1 rows/);
  throwsSk(() => sk.attentionSampler({ setting: 'x', A: [[1, 2]], x: [1, 2n] }), 'EINVAL', /x\[1\] is 2n \(a BigInt\), not a number/);
  throwsSk(() => sk.samplerQuery(null), 'EINVAL', /y must be an array of numbers/);
  throwsSk(() => sk.samplerTrials([1, Symbol('y')], { trials: 1 }), 'EINVAL', /y\[1\] is a Symbol, not a number/);
  throwsSk(() => sk.softmaxSample([1, 2], { stream: Object.create(null) }), 'EINVAL', /stream/);
  throwsSk(() => sk.softmaxSample([1n, 2]), 'EINVAL', /logits\[0\] is 1n \(a BigInt\), not a number/);
  assert.equal(sk.memoryStats().live, 0);
});
