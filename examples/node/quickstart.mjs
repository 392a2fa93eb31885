// quickstart.mjs — the README's Node example. Run: node examples/node/quickstart.mjs
// (from a checkout, after `make wasm`; from an install, import from 'sketchlab').
import { init, randn, svd, cpqr, matmul } from '../../wasm/index.js';

await init();                                   // loads the wasm once (SIMD if supported)
const A = randn(200, 50, 42);                   // { rows, cols, data: Float64Array } column-major
const { s } = svd(A);                           // singular values, descending
const { perm, rank } = cpqr(A, { tol: 1e-6 });  // stop when ||R22||_F^2 <= 1e-6 ||A||_F^2
const G = matmul(A, A, { transA: true });       // AᵀA, 50×50
console.log(s[0], s[49], rank, perm.slice(0, 5), G.rows);
