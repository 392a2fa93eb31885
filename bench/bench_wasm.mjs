// bench_wasm.mjs — the same kernels as bench_native.c, run in Node on the
// baseline and the SIMD wasm builds. Yields records {name, impl, size, seconds, gflops}.
import { loadRaw, randomData } from './wasm_raw.mjs';

const FLOPS = {
  gemm: (n) => 2 * n ** 3,
  qr: (n) => (8 / 3) * n ** 3,
  cpqr: (n) => (4 / 3) * n ** 3,
  svd: (n) => 22 * n ** 3,
};

// One untimed run first: V8 compiles wasm with a baseline tier and optimizes
// hot functions in the background, so a cold first run measures the compiler.
function best(fn, reset) {
  reset();
  fn();
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    reset();
    const t0 = performance.now();
    const status = fn();
    const t = (performance.now() - t0) / 1000;
    if (status !== 0) throw new Error(`status ${status}`);
    best = Math.min(best, t);
    if (t > 2) break;
  }
  return best;
}

export async function* benchWasm(file, impl, sizes, only) {
  const w = await loadRaw(file);
  const ex = w.exports;
  for (const n of sizes) {
    const nn = n * n;
    const A0 = randomData(nn, 1);
    const A = w.alloc(nn), B = w.alloc(nn), C = w.alloc(nn), work = w.alloc(4 * n);
    w.view(B, nn).set(randomData(nn, 4));
    const reset = () => w.view(A, nn).set(A0);
    const run = {
      gemm: () => ex.sk_dgemm(0, 0, n, n, n, 1.0, A, n, B, n, 0.0, C, n),
      qr: () => ex.sk_dgeqrf(n, n, A, n, work) || ex.sk_dorgqr(n, n, n, A, n, work),
      cpqr: () => {
        const rankPtr = w.alloc(1);
        try { return ex.sk_dgeqp3(n, n, A, n, work + 8 * n, work, n, 0.0, rankPtr, 0); }
        finally { w.free(rankPtr); }
      },
      svd: () => ex.sk_dgesvd(n, n, A, n, work, B, n, C, n),
    };
    for (const name of Object.keys(run)) {
      if (only && !only.includes(name)) continue;
      if (typeof ex[name === 'qr' ? 'sk_dgeqrf' : name === 'cpqr' ? 'sk_dgeqp3' : name === 'svd' ? 'sk_dgesvd' : 'sk_dgemm'] !== 'function') continue;
      try {
        const seconds = best(run[name], reset);
        yield { name, impl, size: n, seconds, gflops: FLOPS[name](n) / seconds / 1e9 };
      } catch (err) {
        console.error(`bench: ${name}/${impl} n=${n}: ${err.message}`);
      }
    }
    [A, B, C, work].forEach((p) => w.free(p));
  }
}
