// wasm_raw.mjs — instantiate a sketchlab .wasm directly (no glue) so kernel
// timings measure the C code, not the copy-in/copy-out of the public API.
import { readFileSync } from 'node:fs';

/** Load `file` and return { exports, alloc(n doubles) → ptr, view(ptr, n), free(ptr) }. */
export async function loadRaw(file) {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {
    env: { emscripten_notify_memory_growth() {} },
  });
  const ex = instance.exports;
  ex._initialize();
  return {
    exports: ex,
    alloc(count) {
      const ptr = ex.malloc(count * 8);
      if (!ptr) throw new Error(`wasm malloc of ${count} doubles failed`);
      return ptr;
    },
    // A fresh view each time: memory growth detaches old ones.
    view: (ptr, count) => new Float64Array(ex.memory.buffer, ptr, count),
    free: (ptr) => ex.free(ptr),
  };
}

/** Deterministic pseudo-random data in [-0.5, 0.5) (xorshift, as bench_native.c). */
export function randomData(count, seed) {
  const out = new Float64Array(count);
  let x = (Math.imul(seed, 2654435761) + 1) >>> 0;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x / 4294967296 - 0.5;
  }
  return out;
}
