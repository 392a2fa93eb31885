// pivoting.mjs — pick the columns that matter: an interpolative decomposition
// A ≈ A(:,S)·T of the adversarial Gaussian-mixture data, by robust blockwise
// random pivoting (RBRP) and by plain blockwise random pivoting (BRP).
// Run: node examples/node/pivoting.mjs
import { init, gallery, id } from '../../wasm/index.js';

await init();
// 2000 points in 500 dimensions, 100 clusters: one point per column.
const A = gallery('gmm', { dim: 500, points: 2000, clusters: 100, seed: 2024 });
for (const method of ['rbrp', 'brp', 'cpqr']) {
  const r = id(A, { method, rank: 90, blockSize: 30, seed: 7, suboptimality: true });
  console.log(`${method.padEnd(5)} k=${r.rank}  relative error ${r.residual.toExponential(2)}` +
              `  (squared) / optimal = ${r.suboptimality.toFixed(2)}`);
}
// Rank-adaptive: stop at the first rank whose squared residual is <= 5e-3 of ||A||_F^2.
const a = id(A, { method: 'rbrp', tol: 5e-3, blockSize: 128, seed: 7 });
console.log(`rbrp with tol 5e-3 stops at rank ${a.rank}`);
