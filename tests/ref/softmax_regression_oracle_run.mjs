// softmax_regression_oracle_run.mjs — sketchlab side of softmax_regression_oracle.py:
// reads JSON cases on stdin ({A: row lists, b, w, x}) and prints softmaxEval's
// loss, gradient and Hessian (or the error code) for each.
import { readFileSync } from 'node:fs';
import * as sk from '../../wasm/index.js';

await sk.init();
const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = cases.map((c) => {
  try {
    const r = sk.softmaxEval(sk.fromRows(c.A), c.b, c.w, c.x, { hessian: true });
    return { loss: r.loss, g: Array.from(r.gradient), H: Array.from(r.hessian.data) };
  } catch (e) { return { error: e.code || String(e.message).slice(0, 160) }; }
});
process.stdout.write(JSON.stringify(out));
