// sketched_svd.mjs — a randomized SVD and how far its singular vectors are from
// the true ones: the true canonical angles next to a bound you can compute
// without knowing the answer. Run: node examples/node/sketched_svd.mjs
import { init, gallery, rsvd, angleBounds } from '../../wasm/index.js';

await init();
const n = 400, k = 20;
// sigma_i = 1/i: A = U diag(sigma) V^T with random orthogonal U, V.
const spectrum = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
const A = gallery('polynomial', { rows: n, cols: n, flat: 0, power: 1, floor: 0, seed: 1 });
const r = rsvd(A, { rank: k, oversample: 10, powerIters: 1, normalizer: 'lu', seed: 3 });
console.log(`sigma_1..3 computed: ${Array.from(r.s.slice(0, 3), (x) => x.toFixed(4)).join(' ')}` +
            `  true: ${Array.from(spectrum.slice(0, 3), (x) => x.toFixed(4)).join(' ')}`);
const b = angleBounds({ rsvd: r, A, spectrum, side: 'left' });
console.log(`largest sine of the angle to the true top-${k} left subspace:` +
            ` Monte-Carlo estimate ${b.monteCarlo.mean[k - 1].toFixed(3)},` +
            ` residual bound ${b.residual.bound[k - 1].toFixed(3)}`);
