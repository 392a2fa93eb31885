// bench_mlmatrix.mjs — sketchlab's public JS API (wasm, SIMD when available)
// against ml-matrix, the pure-JS library a JS developer would otherwise use,
// on SVD (with vectors) and QR of n×n matrices. Includes the copy-in/copy-out
// cost on our side, as a user would see it.
import { Matrix, SingularValueDecomposition, QrDecomposition } from 'ml-matrix';
import * as sk from '../wasm/index.js';
import { randomData } from './wasm_raw.mjs';

function time(fn) {
  fn(); // warm-up: JIT tiers (ours and ml-matrix's alike)
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    fn();
    const t = (performance.now() - t0) / 1000;
    best = Math.min(best, t);
    if (t > 2) break;
  }
  return best;
}

export async function* benchMlMatrix(sizes) {
  await sk.init();
  for (const n of sizes) {
    const data = randomData(n * n, 7);
    const A = { rows: n, cols: n, data };
    const rows = sk.toRows(A);
    const M = new Matrix(rows);
    yield { name: 'svd-js', impl: 'sketchlab', size: n, seconds: time(() => sk.svd(A)) };
    yield { name: 'svd-js', impl: 'ml-matrix', size: n,
            seconds: time(() => new SingularValueDecomposition(M, { autoTranspose: true })) };
    yield { name: 'qr-js', impl: 'sketchlab', size: n, seconds: time(() => sk.qr(A)) };
    yield { name: 'qr-js', impl: 'ml-matrix', size: n,
            seconds: time(() => { const d = new QrDecomposition(M); d.orthogonalMatrix; d.upperTriangularMatrix; }) };
  }
}
