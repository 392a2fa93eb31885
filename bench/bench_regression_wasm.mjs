// bench_regression_wasm.mjs — the softmax-regression solvers through the public
// JS API (wasm/index.js: softmaxSolver) on the baseline and SIMD builds, on the
// problem bench_regression (native) writes to OUTDIR/reg_*.bin (T2-like,
// n = 100000, d = 64). Yields records like bench_regression.c's:
//   {name:'softmax-newton-iter' | 'softmax-sampled-iter', impl:'wasm' | 'wasm-simd', size, d, seconds, cpu_seconds}
// seconds: best of `reps` single steps, each the second step of a fresh solver
// (created and stepped once untimed), after one untimed warm-up round; cpu_seconds: process CPU time of the best
// step (process.cpuUsage, includes V8's helper threads).
//
// CLI: node bench/bench_regression_wasm.mjs [OUTDIR] [REPS]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function readBin(outdir, name) {
  const buf = readFileSync(join(outdir, name));
  const out = new Float64Array(buf.length / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export async function* benchRegressionWasm(outdir = 'build/bench', reps = 3) {
  const meta = JSON.parse(readFileSync(join(outdir, 'reg.json'), 'utf8'));
  const A = { rows: meta.n, cols: meta.d, data: readBin(outdir, 'reg_A.bin') };
  const b = readBin(outdir, 'reg_b.bin'), w = readBin(outdir, 'reg_w.bin'), x0 = readBin(outdir, 'reg_x0.bin');
  const index = pathToFileURL(join(process.cwd(), 'wasm/index.js')).href;
  for (const [impl, simd] of [['wasm', false], ['wasm-simd', true]]) {
    const sk = await import(`${index}?bench=${impl}`);
    await sk.init({ simd });
    const cases = [
      ['softmax-newton-iter', { method: 'newton' }],
      ['softmax-sampled-iter', { method: 'sampled', leverage: 'exact', leverageOnce: true, seed: 11 }],
    ];
    for (const [name, opts] of cases) {
      let best = Infinity, bestCpu = Infinity;
      for (let r = 0; r <= reps; r++) {
        const s = sk.softmaxSolver(A, b, w, { ...opts, x0, tol: 0, maxIter: 10 });
        try {
          s.step(); // untimed: as native, time the second step (steady state)
          const t0 = performance.now(), c0 = process.cpuUsage();
          s.step();
          const t = (performance.now() - t0) / 1000, cu = process.cpuUsage(c0);
          const c = (cu.user + cu.system) / 1e6;
          if (r > 0) { best = Math.min(best, t); bestCpu = Math.min(bestCpu, c); } // r = 0: warm-up
        } finally {
          s.dispose();
        }
      }
      yield { name, impl, size: meta.n, d: meta.d, seconds: best, cpu_seconds: bestCpu, iterations: 1 };
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for await (const r of benchRegressionWasm(process.argv[2] ?? 'build/bench', Number(process.argv[3] ?? 3))) console.log(JSON.stringify(r));
}
