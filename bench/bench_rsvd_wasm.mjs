// bench_rsvd_wasm.mjs — sk_rsvd (svdsketch.h) in Node on the baseline and SIMD
// wasm builds, on the matrix bench_rsvd (native) writes: OUTDIR/rsvd_A.{json,bin}
// (2000×2000, σ_i = (i+1)^-2, Haar factors; k = 100, p = 10, q = 2, LU normalizer).
// Yields records like bench_rsvd.c's:
//   {name:'rsvd-2000', impl:'wasm-simd', size, seconds, gflops, error_ratio,
//    error_ratio_fro, error_ratio_spec, parity_max_abs_ds, ...}
// seconds: best of `reps` calls with the same seed (0, stream 1, as native)
// after one untimed warm-up call (V8 tiers up hot wasm functions); cpu_seconds:
// best process CPU time of those calls (process.cpuUsage: includes V8's helper
// threads, so at least the wall time on an idle machine; robust under load).
// error_ratio_fro = ‖A − U_k diag(s_k) V_kᵀ‖_F / sqrt(Σ_{i>k} σ_i²), computed in
// wasm (sk_dgemm + sk_dlange); error_ratio = error_ratio_fro.
// error_ratio_spec = ‖…‖_2 / σ_{k+1} from sk_rsvd_resid_norm2 (side 0 with the
// first k columns of U, block 16, 8 steps): a LOWER estimate (the native bench
// gets the exact 2-norm from dgesdd; the two agree to about 1e-4 here).
// parity_max_abs_ds = max_i |σ̂_i(wasm) − σ̂_i(native)| against
// OUTDIR/rsvd_native_s.bin (0 when the builds agree bit for bit).
//
// CLI: node bench/bench_rsvd_wasm.mjs [OUTDIR] [REPS]   (default build/bench 3)
// Environment: BENCH_RSVD_WASM="wasm/dist/sketchlab.wasm:wasm wasm/dist/sketchlab-simd.wasm:wasm-simd"
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRaw } from './wasm_raw.mjs';

const RNG_SIZE = 24; // sk_rng_t: uint32_t key[2], ctr[4]
const SK_RSVD_NORM_LU = 2;

function rngInit(ex, ptr, seed, stream) {
  // i64 is a BigInt with the wasm BigInt integration, two i32 halves if legalized.
  if (ex.sk_rng_init.length === 4) return ex.sk_rng_init(ptr, Number(seed & 0xffffffffn) | 0, Number(seed >> 32n) | 0, stream);
  return ex.sk_rng_init(ptr, seed, stream);
}

export function loadRsvdMatrix(outdir) {
  const meta = JSON.parse(readFileSync(join(outdir, 'rsvd_A.json'), 'utf8'));
  const buf = readFileSync(join(outdir, meta.file));
  if (buf.length !== meta.m * meta.n * 8) throw new Error(`${meta.file}: ${buf.length} bytes, expected ${meta.m * meta.n * 8}`);
  // Copy into an aligned Float64Array (a Buffer's offset need not be 8-aligned); little-endian hosts only.
  const A = new Float64Array(meta.m * meta.n);
  new Uint8Array(A.buffer).set(buf);
  let sNative = null;
  const sFile = join(outdir, 'rsvd_native_s.bin');
  if (existsSync(sFile)) {
    const b = readFileSync(sFile);
    sNative = new Float64Array(b.length / 8);
    new Uint8Array(sNative.buffer).set(b);
  }
  return { meta, A, sNative };
}

export async function* benchRsvdWasm(outdir, builds, reps = 3) {
  const { meta, A: A0, sNative } = loadRsvdMatrix(outdir);
  const { m, n, k, p, q } = meta;
  const l = k + p;
  const flops = 4 * m * n * l * (q + 1);
  for (const [file, impl] of builds) {
    const w = await loadRaw(file);
    const ex = w.exports;
    if (typeof ex.sk_rsvd !== 'function') { console.error(`bench_rsvd_wasm: ${file} has no sk_rsvd`); continue; }
    const A = w.alloc(m * n), U = w.alloc(m * l), V = w.alloc(n * l), s = w.alloc(l);
    const E = w.alloc(m * n), US = w.alloc(m * k), small = w.alloc(8);
    const rng = small, est = small + RNG_SIZE + 8; // 24-byte state, then a double at +32
    w.view(A, m * n).set(A0);
    const call = () => {
      rngInit(ex, rng, 0n, 1);
      return ex.sk_rsvd(m, n, A, m, k, l, q, SK_RSVD_NORM_LU, rng, 0, m, 0, n, U, m, s, V, n, 0);
    };
    try {
      let status = call(); // warm-up
      if (status !== 0) throw new Error(`sk_rsvd status ${status}`);
      let best = Infinity, bestCpu = Infinity;
      for (let rep = 0; rep < reps; rep++) {
        const c0 = process.cpuUsage(), t0 = performance.now();
        status = call();
        const t = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
        if (status !== 0) throw new Error(`sk_rsvd status ${status}`);
        best = Math.min(best, t);
        bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
      }
      // Frobenius error of the rank-k truncation, explicitly.
      const sv = Float64Array.from(w.view(s, l));
      const u = w.view(U, m * k), us = w.view(US, m * k);
      for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) us[j * m + i] = u[j * m + i] * sv[j];
      w.view(E, m * n).set(A0);
      let st = ex.sk_dgemm(0, 1, m, n, k, -1.0, US, m, V, n, 1.0, E, m);
      if (st !== 0) throw new Error(`sk_dgemm status ${st}`);
      const fro = ex.sk_dlange('F'.charCodeAt(0), m, n, E, m);
      // Spectral error: block power method on (I − U_kU_kᵀ)A (a lower estimate).
      rngInit(ex, rng, 7n, 2);
      st = ex.sk_rsvd_resid_norm2(m, n, A, m, k, U, m, 0, n, 0, 16, 8, rng, est, 0);
      if (st !== 0) throw new Error(`sk_rsvd_resid_norm2 status ${st}`);
      const spec = new Float64Array(ex.memory.buffer, est, 1)[0];
      let parity = null;
      if (sNative && sNative.length === l) parity = Math.max(...sv.map((x, i) => Math.abs(x - sNative[i])));
      yield {
        name: meta.name, impl, size: n, seconds: best, cpu_seconds: bestCpu, gflops: flops / best / 1e9,
        error_ratio: fro / meta.opt_fro, error_ratio_fro: fro / meta.opt_fro,
        error_ratio_spec: spec / meta.opt_spec, parity_max_abs_ds: parity, k, p, q, reps,
      };
    } catch (err) {
      console.error(`bench_rsvd_wasm: ${impl}: ${err.message}`);
    } finally {
      [A, U, V, s, E, US, small].forEach((ptr) => w.free(ptr));
    }
  }
}

export const DEFAULT_BUILDS = [['wasm/dist/sketchlab.wasm', 'wasm'], ['wasm/dist/sketchlab-simd.wasm', 'wasm-simd']];

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2] ?? 'build/bench';
  const reps = Number(process.argv[3] ?? 3);
  const builds = process.env.BENCH_RSVD_WASM
    ? process.env.BENCH_RSVD_WASM.split(/\s+/).filter(Boolean).map((s) => s.split(':'))
    : DEFAULT_BUILDS;
  console.error(`  bench_rsvd_wasm: Node ${process.version}`);
  for await (const r of benchRsvdWasm(outdir, builds, reps)) console.log(JSON.stringify(r));
}
