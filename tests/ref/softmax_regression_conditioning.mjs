// softmax_regression_conditioning.mjs — every solver method on ill-conditioned and
// rank-deficient A (duplicate/zero/nearly equal columns, a column scaled by 1e-3..1e-12),
// tiny w and w = 0 on half the rows, with and without the safeguard: prints the stop
// reason, iterations, final loss and |∇L|. The minimum loss does not depend on a
// column's scale, so 'col scaled' rows must all reach the well-conditioned row's loss.
// Run from the repository root after `make wasm`: node tests/ref/softmax_regression_conditioning.mjs
import * as sk from '../../wasm/index.js';
await sk.init();
let s = 12345;
const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296 - 0.5; };
function run(label, rows, b, w, opts) {
  const A = sk.fromRows(rows);
  for (const method of ['newton', 'sampled', 'frozen', 'gd']) {
    try {
      const r = sk.softmaxRegression(A, b, w, { method, maxIter: 400, seed: 3n, safeguard: true, x0: Array.from({ length: rows[0].length }, () => rnd()), ...opts });
      const e = sk.softmaxEval(A, b, w, r.x);
      const gn = Math.hypot(...e.gradient);
      console.log(label.padEnd(34), method.padEnd(8), String(r.reason).padEnd(10), 'it', String(r.iterations).padEnd(4), 'loss', e.loss.toExponential(6), '|g|', gn.toExponential(2));
    } catch (err) { console.log(label.padEnd(34), method.padEnd(8), 'ERR', err.code, err.message.slice(0, 150)); }
  }
}
const n = 40, d = 4;
const G = Array.from({ length: n }, () => Array.from({ length: d }, () => rnd() * 2));
const e0 = Array.from({ length: n }, () => -Math.log(rnd() + 0.5)); const es = e0.reduce((a, c) => a + c); const b = e0.map((v) => v / es);
const w = Array(n).fill(1.5);
run('well-conditioned', G, b, w);
run('duplicate column', G.map((r) => [r[0], r[1], r[2], r[2]]), b, w);
run('zero column', G.map((r) => [r[0], r[1], r[2], 0]), b, w);
run('kappa 1e12 (col scaled 1e-12)', G.map((r) => [r[0], r[1], r[2], r[3] * 1e-12]), b, w);
run('kappa 1e8 nearly dup', G.map((r) => [r[0], r[1], r[2], r[2] * (1 + 1e-8 * r[3])]), b, w);
run('w tiny 1e-4 (T4-like)', G.map((r) => r.map((v) => 3 * v)), b, Array(n).fill(1e-4));
run('w = 0 on half the rows', G, b, w.map((v, i) => (i % 2 ? 0 : v)));
for (const sc of [1e-3, 1e-6, 1e-8, 1e-10]) {
  run(`col scaled ${sc} safeguard`, G.map((r) => [r[0], r[1], r[2], r[3] * sc]), b, w);
  run(`col scaled ${sc} plain`, G.map((r) => [r[0], r[1], r[2], r[3] * sc]), b, w, { safeguard: false });
}
