// tolerance.mjs — error-bound tolerances for the node and browser suites (not a
// test file). Every numerical check is
//     err <= eps·(cRel·|ref| + cAbs·scale)
// a relative part plus an absolute part in units of eps times the problem's
// scale (‖A‖, σ₁, 1 for sines and unit vectors), with the bound's constant
// (dimension factors included) times a margin of 10–100 over the worst error
// observed (see tests/c/testutil.h for the native side). Each call site says
// which error bound it comes from.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';

export const EPS = 2 ** -52;

/** eps·(cRel·|ref| + cAbs·|scale|) */
export function bound(cRel, ref, cAbs = 0, scale = 0) {
  return EPS * (cRel * Math.abs(ref) + cAbs * Math.abs(scale));
}

/**
 * Bound on |res2 − direct| for two computations of a squared residual ‖E‖²_F:
 * rel·res2 plus the mixed absolute part cAbs·eps·‖A‖·√res2 (each entry of E
 * carries ~n·eps·‖A‖, so ‖E‖² moves by 2·‖E‖·n·eps·‖A‖; cAbs is 2n × margin).
 */
export function res2Bound(rel, res2, cAbs, anorm) {
  return rel * res2 + EPS * cAbs * anorm * Math.sqrt(Math.max(res2, 0));
}

const sites = new Map();
let hooked = false;

/** Assert err <= b (NaN fails), naming what; records the worst err/b per call site for TU_TOL_REPORT. */
export function within(err, b, what = 'value') {
  const ratio = b > 0 ? err / b : err === 0 ? 0 : Infinity;
  const site = (new Error().stack.split('\n')[2] || '').replace(/^.*[/(]tests\//, 'tests/').replace(/:\d+\)?$/, '');
  const prev = sites.get(site);
  if (!prev || !(ratio <= prev.ratio)) sites.set(site, { ratio: Number.isNaN(ratio) ? Infinity : ratio, err, b, what });
  if (!hooked && process.env.TU_TOL_REPORT) {
    hooked = true;
    process.on('exit', () => {
      const lines = [...sites].map(([s, v]) => `wasm\t${s}\t${v.what}\t${v.ratio.toExponential(3)}\t${Number(v.err).toExponential(3)}\t${v.b.toExponential(3)}\n`);
      try { appendFileSync(process.env.TU_TOL_REPORT, lines.join('')); } catch { /* report only */ }
    });
  }
  assert.ok(err <= b, `${what}: error ${err} exceeds its bound ${b} (ratio ${ratio.toFixed(2)})`);
}
