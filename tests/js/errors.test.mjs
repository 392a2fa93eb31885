// errors.test.mjs — every bad input gives a SketchlabError with a code and a
// message that says what to change; the module stays usable afterwards and
// holds no blocks after any error.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as sk from '../../wasm/index.js';
import { missing, spdMatrix, testMatrix } from './helpers.mjs';

const { init, matmul, qr, cpqr, lu, cholesky, svd, eigh, randn, rand, SketchlabError, memoryStats } = sk;

/** assert.throws with a SketchlabError of `code` whose message matches every regexp in `res`. */
function throwsSk(fn, code, ...res) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof SketchlabError, `expected SketchlabError, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'SketchlabError');
    assert.equal(e.code, code, e.message);
    for (const re of res) assert.match(e.message, re);
    return true;
  });
}

/** After an error: nothing held, and a call still works. */
function stillUsable() {
  assert.equal(memoryStats().live, 0);
  assert.deepEqual([...matmul([[2]], [[3]]).data], [6]);
}

test('before init(): ENOTINIT says to call init', () => {
  throwsSk(() => matmul([[1]], [[1]]), 'ENOTINIT', /await init\(\)/);
  throwsSk(() => svd([[1]]), 'ENOTINIT', /init/);
  throwsSk(() => sk.version(), 'ENOTINIT');
});

test('init: bad options reject with EINVAL, and a later init still works', async () => {
  const fresh = await import(new URL('../../wasm/index.js?errors-init', import.meta.url).href);
  await assert.rejects(fresh.init({ simd: 'yes' }), (e) => e.code === 'EINVAL' && /simd/.test(e.message));
  await assert.rejects(fresh.init({ wasm: 42 }), (e) => e.code === 'EINVAL' && /opts\.wasm/.test(e.message));
  await assert.rejects(fresh.init({ wasm: new Uint8Array([1, 2, 3]) }), (e) => e.code === 'ELOAD');
  await assert.rejects(fresh.init({ wasm: new URL('./no-such-file.wasm', import.meta.url) }), (e) => e.code === 'ELOAD' && /make wasm/.test(e.message));
  assert.equal(fresh.isInitialized(), false);
  await fresh.init();
  assert.equal(fresh.isInitialized(), true);
});

test('matrix arguments: types, lengths, dims, ragged rows', async () => {
  await init();
  throwsSk(() => matmul(null, [[1]]), 'EINVAL', /A must be a matrix/);
  throwsSk(() => matmul('abc', [[1]]), 'EINVAL', /\{rows, cols, data/);
  throwsSk(() => qr({ rows: 2, cols: 2, data: new Float32Array(4) }), 'EINVAL', /Float64Array/);
  throwsSk(() => qr({ rows: 2, cols: 3, data: new Float64Array(5) }), 'ESHAPE', /has 5 entries/, /2×3/, /6/);
  throwsSk(() => qr({ rows: 2.5, cols: 2, data: new Float64Array(5) }), 'EINVAL', /A\.rows must be a non-negative integer/);
  throwsSk(() => qr({ rows: -1, cols: 2, data: new Float64Array(0) }), 'EINVAL', /non-negative integer/);
  throwsSk(() => qr({ rows: '2', cols: 1, data: new Float64Array(2) }), 'EINVAL', /integer/);
  throwsSk(() => qr([[1, 2], [3]]), 'ESHAPE', /ragged/, /row 1 has 1/);
  throwsSk(() => qr([[1, 'x']]), 'EINVAL', /A\[0\]\[1\] must be a number/);
  throwsSk(() => qr({ rows: 1, cols: 2, data: [1, null] }), 'EINVAL', /A\.data\[1\] must be a number/);
  throwsSk(() => matmul([[1, 2]], [[1, 2]]), 'ESHAPE', /inner dimensions differ/, /1×2/);
  stillUsable();
});

test('NaN and Infinity are rejected with their position', async () => {
  await init();
  const fns = { matmul: (A) => matmul(A, A, { transB: true }), qr, cpqr, lu, svd, cholesky, eigh };
  for (const [name, f] of Object.entries(fns)) {
    if (missing(name)) continue;
    const A = spdMatrix(3, 2);
    A.data[1 + 2 * 3] = NaN;
    throwsSk(() => f(A), 'ENONFINITE', /A\[1\]\[2\]/, /NaN/, /finite/);
    A.data[1 + 2 * 3] = -Infinity;
    throwsSk(() => f(A), 'ENONFINITE', /-Infinity/);
    stillUsable();
  }
  throwsSk(() => matmul([[1]], [[Infinity]]), 'ENONFINITE', /B\[0\]\[0\]/);
});

test('empty matrices are rejected where a factorization needs entries', async () => {
  await init();
  const E = { rows: 0, cols: 3, data: new Float64Array(0) };
  for (const f of [qr, cpqr, lu, svd]) throwsSk(() => f(E), 'ESHAPE', /empty \(0×3\)/, /at least one row and one column/);
  throwsSk(() => cholesky([]), 'ESHAPE', /empty/);
  throwsSk(() => eigh({ rows: 0, cols: 0, data: new Float64Array(0) }), 'ESHAPE', /empty/);
  stillUsable();
});

test('non-square input to cholesky / eigh', async () => {
  await init();
  throwsSk(() => cholesky(testMatrix(3, 2)), 'ESHAPE', /must be square/, /3×2/);
  throwsSk(() => eigh(testMatrix(2, 3)), 'ESHAPE', /must be square/, /2×3/);
});

test('cholesky / eigh: non-symmetric input names the worst pair and the fix', { skip: missing('cholesky') }, async () => {
  await init();
  throwsSk(() => cholesky([[4, 1], [2, 4]]), 'ENOTSYM', /must be symmetric/, /A\[1\]\[0\] = 2/, /\(A \+ Aᵀ\)\/2/, /symTol/);
  throwsSk(() => eigh([[1, 0, 0], [0, 1, 0], [0.5, 0, 1]]), 'ENOTSYM', /A\[2\]\[0\]/);
  assert.doesNotThrow(() => cholesky([[4, 1], [1.5, 4]], { symTol: 0.2 }));
  throwsSk(() => cholesky([[1]], { symTol: -1 }), 'EINVAL', /symTol/);
  stillUsable();
});

test('cholesky: not positive definite → ENOTPD with advice', { skip: missing('cholesky') }, async () => {
  await init();
  throwsSk(() => cholesky([[1, 2], [2, 1]]), 'ENOTPD', /not positive definite/, /eigh|A \+ δI/);
  throwsSk(() => cholesky([[0]]), 'ENOTPD');
  stillUsable();
});

test('options: unknown keys, wrong types, rank out of range', async () => {
  await init();
  throwsSk(() => matmul([[1]], [[1]], { transpose: true }), 'EINVAL', /unknown option 'transpose'/, /transA, transB/);
  throwsSk(() => matmul([[1]], [[1]], { transA: 1 }), 'EINVAL', /transA must be true or false/);
  throwsSk(() => svd([[1]], 5), 'EINVAL', /options must be an object/);
  if (!missing('cpqr')) {
    throwsSk(() => cpqr(testMatrix(4, 3), { rank: 4 }), 'ERANK', /between|from 0 to min\(rows, cols\) = 3/);
    throwsSk(() => cpqr(testMatrix(4, 3), { rank: 1.5 }), 'ERANK');
    throwsSk(() => cpqr(testMatrix(4, 3), { tol: -1 }), 'EINVAL', /tol must be a finite number >= 0/);
    throwsSk(() => cpqr(testMatrix(4, 3), { tol: NaN }), 'EINVAL', /tol/);
  }
  throwsSk(() => randn(2, 2, -1), 'EINVAL', /seed must be a non-negative integer/);
  throwsSk(() => randn(2, 2, 1.5), 'EINVAL', /seed/);
  throwsSk(() => randn(2, 2, 2n ** 64n), 'EINVAL', /2\^64/);
  throwsSk(() => rand(2, 2, 1, { stream: -3 }), 'EINVAL', /stream/);
  throwsSk(() => randn(2.5, 2, 1), 'EINVAL', /rows must be a non-negative integer/);
  stillUsable();
});

test('sizes too large to allocate → ENOMEM, never a trap', { skip: missing('matmul', 'randn') }, async () => {
  await init();
  const before = memoryStats().bytes;
  // result 22900² doubles ≈ 4.0 GB: fits size_t, so malloc is asked and returns 0
  const col = { rows: 22900, cols: 1, data: new Float64Array(22900) };
  throwsSk(() => matmul(col, col, { transB: true }), 'ENOMEM', /out of memory/, /use smaller matrices/);
  // beyond what wasm32 can address at all
  const big = { rows: 50000, cols: 1, data: new Float64Array(50000) };
  throwsSk(() => matmul(big, big, { transB: true }), 'ENOMEM', /4 GB/);
  throwsSk(() => randn(100000, 100000, 1), 'ENOMEM', /smaller/);
  throwsSk(() => randn(2 ** 31, 1, 1), 'ENOMEM');
  assert.equal(memoryStats().bytes, before, 'a failed allocation does not grow the heap');
  stillUsable();
  if (!missing('svd')) assert.equal(svd([[3, 0], [0, 4]]).s[0], 4);
});

test('errors cross as SketchlabError with code, status and toJSON', async () => {
  await init();
  try {
    cholesky([[-1]]);
    assert.fail('no throw');
  } catch (e) {
    if (missing('cholesky')) return;
    assert.equal(e.code, 'ENOTPD');
    assert.equal(e.status, 2);
    const j = e.toJSON();
    const back = SketchlabError.fromJSON(structuredClone(j));
    assert.ok(back instanceof SketchlabError);
    assert.equal(back.code, 'ENOTPD');
    assert.equal(back.message, e.message);
  }
});
