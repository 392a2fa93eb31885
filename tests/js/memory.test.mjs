// memory.test.mjs — no leaks: 10,000 calls of each function (successful and
// failing) leave the wasm heap unchanged: same memory size, no block held by
// the JS layer, the same address for a fresh malloc probe, and the same
// high-water mark of the blocks the JS layer ever received.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  init, matmul, qr, cpqr, lu, cholesky, svd, eigh, randn, rand, memoryStats,
} from '../../wasm/index.js';
import { missing, testMatrix, spdMatrix, symMatrix } from './helpers.mjs';

const N = 10000;
const A = testMatrix(8, 5, 3), B = testMatrix(5, 6, 4), S = spdMatrix(6, 5), Y = symMatrix(6, 6);

const CASES = {
  matmul: () => matmul(A, B),
  qr: () => qr(A),
  cpqr: () => cpqr(A, { rank: 3 }),
  lu: () => lu(A),
  cholesky: () => cholesky(S),
  svd: () => svd(A),
  eigh: () => eigh(Y),
  randn: () => randn(7, 5, 99),
  rand: () => rand(7, 5, 99),
};

// calls that fail inside C (after JS has allocated) or in JS validation
const FAILING = {
  'cholesky (not PD)': ['cholesky', () => cholesky([[1, 2], [2, 1]])],
  'matmul (ENOMEM)': ['matmul', () => matmul({ rows: 22900, cols: 1, data: new Float64Array(22900) }, { rows: 1, cols: 22900, data: new Float64Array(22900) })],
  'qr (NaN)': ['qr', () => qr([[1, NaN]])],
};

function snapshot() {
  const { bytes, live, maxEnd, probe } = memoryStats();
  return { bytes, live, maxEnd, probe };
}

for (const [name, call] of Object.entries(CASES)) {
  test(`${name}: ${N} calls leave the heap unchanged`, { skip: missing(name) }, async () => {
    await init();
    for (let i = 0; i < 20; i++) call(); // warm up: the allocator reaches its steady state
    const before = snapshot();
    let last;
    for (let i = 0; i < N; i++) last = call();
    assert.ok(last);
    assert.deepEqual(snapshot(), before);
    assert.equal(before.live, 0);
  });
}

for (const [label, [name, call]] of Object.entries(FAILING)) {
  test(`${label}: ${N} failing calls leave the heap unchanged`, { skip: missing(name) }, async () => {
    await init();
    for (let i = 0; i < 20; i++) assert.throws(call);
    const before = snapshot();
    for (let i = 0; i < N; i++) {
      try { call(); assert.fail('expected an error'); } catch (e) { if (e.code === undefined) throw e; }
    }
    assert.deepEqual(snapshot(), before);
  });
}
