// growth.test.mjs — wasm memory grows in the middle of calls (in this fresh
// process the heap starts at the build's 16 MB) and results stay correct: no
// view of the old buffer is used after growth.
import test from 'node:test';
import assert from 'node:assert/strict';
import { init, svd, matmul, memoryStats } from '../../wasm/index.js';
import { missing, testMatrix, jsMul, transpose, scaleCols, diff, fro, orthErr, EPS, bound, within } from './helpers.mjs';

test('svd: memory grows inside the C call (its workspace), results correct', { skip: missing('svd') }, async () => {
  await init();
  const before = memoryStats();
  assert.ok(before.bytes <= 16 * 1024 * 1024, `starts small (${before.bytes} bytes)`);
  // A wide 500×1200 matrix: the JS side allocates A, s, U (500²), V (1200×500),
  // about 11.6 MB, which fits the first 16 MB; sk_dgesvd then allocates a
  // transposed copy and its workspace (~9 MB more), so memory must grow while
  // C runs, between our copy-in and our copy-out.
  const m = 500, n = 1200;
  const A = testMatrix(m, n, 7);
  const { U, s, V } = svd(A);
  const after = memoryStats();
  assert.ok(after.bytes > before.bytes, 'memory grew');
  assert.ok(after.maxEnd <= before.bytes, `every block the JS layer allocated lies in the first heap (end ${after.maxEnd} <= ${before.bytes}), so the growth happened inside C`);
  assert.equal(s.length, m);
  for (let i = 1; i < m; i++) assert.ok(s[i] <= s[i - 1]);
  // Backward-stable SVD: c·N·eps, c ~ 1, margin 20.
  within(diff(jsMul(scaleCols(U, s), transpose(V)), A) / (fro(A) * n * EPS), 20, 'residual');
  within(orthErr(U) / (m * EPS), 20, 'U orthonormal');
  assert.equal(after.live, 0);
});

test('matmul: memory grows during the JS-side allocations, result correct', { skip: missing('matmul') }, async () => {
  await init();
  const before = memoryStats().bytes;
  const m = Math.ceil(Math.sqrt(before / 8)) + 64; // the m×m result alone exceeds the current heap
  const A = testMatrix(m, 2, 1), B = testMatrix(2, m, 2);
  const C = matmul(A, B);
  assert.ok(memoryStats().bytes > before);
  const ref = jsMul(A, B);
  within(diff(C, ref), bound(0, 0, 45, fro(ref)), 'matmul after growth'); // γ_k·‖|A||B|‖, k = 2, ×20
});
