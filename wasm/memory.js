// memory.js — scoped allocation and copy helpers over the wasm heap.
//
// Rule (see ecosystem_aesthetics.md, finding 2): memory growth detaches every
// typed-array view of the old buffer, so a view is built fresh from
// `memory.buffer` at each use and never kept across a call that may allocate.
// Every helper here takes the runtime `rt` ({ exports, memory, stats }) and
// builds its view on the spot.

import { SketchlabError } from './errors.js';
import { checkFinite } from './matrix.js';

const MAX_BYTES = 0xffffffff - 65536; // wasm32: size_t is 32 bits; leave room for malloc's header

/** A byte count for an error message: 7.5 GiB, 128.0 MiB, 3.0 KiB, 100 bytes. */
export function formatBytes(bytes) {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** A fresh Float64Array over wasm memory (valid until the next call that may allocate). */
export function f64(rt, ptr, n) {
  return new Float64Array(rt.memory.buffer, ptr, n);
}

/** A fresh Int32Array over wasm memory (same caveat). */
export function i32(rt, ptr, n) {
  return new Int32Array(rt.memory.buffer, ptr, n);
}

/** Copy `n` doubles out of wasm memory into a new, independent Float64Array. */
export function readF64(rt, ptr, n) {
  return f64(rt, ptr, n).slice();
}

/** Copy `n` ints out of wasm memory into a new Int32Array. */
export function readI32(rt, ptr, n) {
  return i32(rt, ptr, n).slice();
}

/** Copy a Float64Array (or array of numbers) into wasm memory at ptr. */
export function writeF64(rt, ptr, src) {
  f64(rt, ptr, src.length).set(src);
}

/**
 * A set of wasm allocations freed together. Use through withScope().
 */
export class Scope {
  constructor(rt, fn) {
    this.rt = rt;
    this.fn = fn;
    this.ptrs = [];
  }

  /** Allocate `bytes` (>= 0) bytes; throws ENOMEM (never traps) when malloc fails. */
  alloc(bytes, what = 'a buffer') {
    const rt = this.rt;
    const size = Math.max(8, bytes);
    if (!Number.isFinite(size) || size > MAX_BYTES) {
      throw new SketchlabError('ENOMEM',
        `${this.fn}: ${what} needs ${formatBytes(bytes)}, more than the 4 GB a wasm32 module can address; use smaller matrices`,
        { status: 1, fn: this.fn });
    }
    const ptr = rt.exports.malloc(size) >>> 0;
    if (ptr === 0) {
      throw new SketchlabError('ENOMEM',
        `${this.fn}: out of memory allocating ${what} (${formatBytes(bytes)}; the wasm heap is now ` +
        `${formatBytes(rt.memory.buffer.byteLength)} of at most 4 GB); use smaller matrices`,
        { status: 1, fn: this.fn });
    }
    this.ptrs.push(ptr);
    rt.stats.live++;
    rt.stats.allocs++;
    if (ptr + size > rt.stats.maxEnd) rt.stats.maxEnd = ptr + size;
    return ptr;
  }

  /** Allocate n doubles (n >= 0). */
  allocF64(n, what) {
    return this.alloc(n * 8, what);
  }

  /** Allocate n 32-bit ints (n >= 0). */
  allocI32(n, what) {
    return this.alloc(n * 4, what);
  }

  /** Allocate and fill with a copy of src (Float64Array). */
  copyIn(src, what) {
    const ptr = this.allocF64(src.length, what);
    writeF64(this.rt, ptr, src);
    return ptr;
  }

  /**
   * Copy a matrix validated by asMatrix(..., { finite: false }) in, then check it
   * is finite on the copy with the C library's SIMD loop (sk_all_finite): one
   * memcpy and one fast pass instead of a JS loop over every entry before the
   * copy (issue 9 part 6: validation and copy-in were ~15% of id()). On failure
   * the JS loop runs once more, to name the first bad entry in the message.
   */
  copyInFinite(A, name, what) {
    const ptr = this.copyIn(A.data, what);
    const ex = this.rt.exports;
    if (typeof ex.sk_all_finite !== 'function') {
      checkFinite(A, name, this.fn); // an older module without the export
    } else if (!ex.sk_all_finite(A.rows, A.cols, ptr, Math.max(1, A.rows))) {
      checkFinite(A, name, this.fn); // throws ENONFINITE naming the entry
      throw new SketchlabError('ENONFINITE', `${this.fn}: ${name} contains NaN or Infinity; remove or replace non-finite values`, { fn: this.fn });
    }
    return ptr;
  }

  free() {
    const { exports, stats } = this.rt;
    for (const p of this.ptrs) {
      exports.free(p);
      stats.live--;
    }
    this.ptrs.length = 0;
  }
}

/** Run body(scope); every allocation made through the scope is freed afterwards, also on throw. */
export function withScope(rt, fn, body) {
  const scope = new Scope(rt, fn);
  try {
    return body(scope);
  } finally {
    scope.free();
  }
}

/**
 * Probe the allocator: the address malloc gives for a fresh block of `bytes`
 * (freed at once). With no leaks and the same heap state, the address is the
 * same before and after any number of calls.
 */
export function probe(rt, bytes = 1 << 16) {
  const p = rt.exports.malloc(bytes) >>> 0;
  if (p) rt.exports.free(p);
  return p;
}
