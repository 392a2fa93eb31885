// bench_stream_wasm.mjs — CountSketch batch updates through the public JS API
// (countSketch().update(Int32Array, Float64Array): one wasm call per chunk of
// 10^6, the copy into wasm memory included), baseline and SIMD builds, on the
// stream bench_stream.c wrote to OUTDIR; then one ℓ2-sampler query at n = 10^6.
import { readFileSync } from 'node:fs';

export async function* benchStreamWasm(outdir) {
  const idxBuf = readFileSync(`${outdir}/stream_idx.bin`), dlBuf = readFileSync(`${outdir}/stream_delta.bin`);
  const idx = new Int32Array(idxBuf.buffer, idxBuf.byteOffset, idxBuf.byteLength / 4);
  const dl = new Float64Array(dlBuf.buffer.slice(dlBuf.byteOffset, dlBuf.byteOffset + dlBuf.byteLength));
  const T = idx.length, CHUNK = 1 << 20;
  let k = 0;
  for (const simd of [false, true]) {
    const sk = await import(`../wasm/index.js?bench-stream-${simd}-${k++}`);
    await sk.init({ simd });
    for (const hash of ['poly', 'fast']) {
      let best = Infinity, bestCpu = Infinity, f2 = 0;
      for (let rep = 0; rep < 3; rep++) {
        const cs = sk.countSketch({ buckets: 1024, rows: 7, seed: 2024, hash });
        const t0 = performance.now(), c0 = process.cpuUsage();
        for (let s = 0; s < T; s += CHUNK) cs.update(idx.subarray(s, Math.min(T, s + CHUNK)), dl.subarray(s, Math.min(T, s + CHUNK)));
        const dt = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
        bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
        f2 = cs.f2();
        cs.dispose();
        best = Math.min(best, dt);
      }
      yield { name: 'cs-update', impl: `${simd ? 'wasm-simd' : 'wasm'}-${hash}`, size: T, seconds: best, cpu_seconds: bestCpu, f2 };
    }
    // One ℓ2-sampler query at n = 10^6 (decode + tests, one repetition) after
    // the first 10^6 updates of the stream, as bench_stream.c.
    const NU = 1000000;
    for (const hash of ['poly', 'fast']) {
      const s = sk.l2Sampler({ n: NU, eps: 0.25, buckets: 1024, rows: 7, heavy: 8, repetitions: 1, seed: 2024, hash });
      s.update(idx.subarray(0, NU), dl.subarray(0, NU));
      let best = Infinity, bestCpu = Infinity, r;
      for (let rep = 0; rep < 5; rep++) {
        const t0 = performance.now(), c0 = process.cpuUsage();
        r = s.sample();
        const dt = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
        best = Math.min(best, dt);
        bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
      }
      s.dispose();
      yield { name: 'l2-query', impl: `${simd ? 'wasm-simd' : 'wasm'}-${hash}`, size: NU, seconds: best, cpu_seconds: bestCpu, istar: r.istar };
    }
  }
}
