// tensor_attention_extreme_run.mjs — sketchlab side of tensor_attention_extreme.py:
// reads JSON cases on stdin ({q, K1, K2, V1, V2 as row lists, scale, window}),
// prints, per case, every evaluation's output (or its error code) through
// tensorAttention (copy-in decode) and kvCache (four-cache: naive, factored,
// streaming; two-cache), the cache built by appending the tokens one at a time
// (with c.window: a sliding-window cache, and no copy-in decode).
import { readFileSync } from 'node:fs';
import * as sk from '../../wasm/index.js';

await sk.init();
const cases = JSON.parse(readFileSync(0, 'utf8'));
const run = (f) => { try { return Array.from(f()); } catch (e) { return { error: e.code || String(e.message).slice(0, 120) }; } };
const out = cases.map((c) => {
  const M = ['K1', 'K2', 'V1', 'V2'].map((k) => sk.fromRows(c[k]));
  const r = {};
  if (!c.window) for (const e of ['two-cache', 'naive', 'factored', 'streaming']) {
    r[`decode:${e}`] = run(() => sk.tensorAttention(c.q, ...M, { evaluation: e, scale: c.scale }));
  }
  const n = c.K1.length;
  for (const kind of ['four', 'two']) {
    let cache;
    try {
      cache = sk.kvCache({ kind, d: c.q.length, scale: c.scale, window: c.window ?? undefined });
      for (let t = 0; t < n; t++) cache.append(c.K1[t], c.K2[t], c.V1[t], c.V2[t]);
      const evals = kind === 'four' ? ['naive', 'factored', 'streaming'] : ['two-cache'];
      for (const e of evals) r[`cache:${kind}:${e}`] = run(() => cache.query(c.q, { evaluation: e }));
    } catch (e) {
      r[`cache:${kind}`] = { error: e.code || String(e.message).slice(0, 120) };
    } finally { cache?.dispose(); }
  }
  return r;
});
process.stdout.write(JSON.stringify(out));
