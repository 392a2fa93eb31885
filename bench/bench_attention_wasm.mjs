// bench_attention_wasm.mjs — the same decode query as bench_attention.c
// (n, d, one query per evaluation through kvCache), in the baseline and SIMD
// wasm builds. Yields records like the native driver's JSON lines.
//
//   node bench/bench_attention_wasm.mjs [n d reps]
import { performance } from 'node:perf_hooks';

export async function* benchAttentionWasm(n = 512, d = 64, reps = 5) {
  for (const simd of [false, true]) {
    const m = await import(`../wasm/index.js?attn-bench-${simd}`);
    await m.init({ simd });
    const tok = m.randn(5 * n, d, 1);
    const rows = (b) => { // rows b·n .. (b+1)·n − 1 of the 5n×d Gaussian matrix
      const out = new Float64Array(n * d);
      for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) out[i + j * n] = tok.data[b * n + i + j * 5 * n];
      return { rows: n, cols: d, data: out };
    };
    const [K1, K2, V1, V2] = [0, 1, 2, 3].map(rows);
    const q = Float64Array.from({ length: d }, (_, j) => tok.data[4 * n + j * 5 * n]);
    for (const [kind, evaluation] of [['two', 'two-cache'], ['four', 'naive'], ['four', 'factored'], ['four', 'streaming']]) {
      const cache = m.kvCache({ kind, d, scale: 1 / d, capacity: n });
      cache.append(K1, K2, V1, V2);
      cache.query(q, { evaluation });
      // Wall time and process CPU time (the wasm runs on this one thread), best of reps.
      let best = Infinity, bestCpu = Infinity;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now(), c0 = process.cpuUsage();
        cache.query(q, { evaluation });
        const c = process.cpuUsage(c0);
        best = Math.min(best, performance.now() - t0);
        bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
      }
      const st = cache.stats();
      cache.dispose();
      yield { name: `attention-${evaluation}`, impl: simd ? 'wasm-simd' : 'wasm', size: n, d, seconds: best / 1000, cpu_seconds: bestCpu / 1000, words: st.words, ops: st.queryOps };
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, d, reps] = process.argv.slice(2).map(Number);
  for await (const r of benchAttentionWasm(n || 512, d || 64, reps || 5)) console.log(JSON.stringify(r));
}
