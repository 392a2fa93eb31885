// errors.js — SketchlabError and the mapping from C status codes to messages
// that say what to change. Shared by the main-thread API, the worker host and
// the worker client (this file never touches wasm).

import { describe } from './validate.js';

/**
 * Error codes (the `code` property of a SketchlabError):
 *   ENOTINIT    a function was called before `await init()` resolved
 *   ELOAD       the wasm module could not be fetched, compiled or instantiated
 *   EINVAL      an argument has the wrong type or an option is out of range
 *   ESHAPE      dimensions or lengths do not fit (mismatch, non-square, empty)
 *   ENONFINITE  an input contains NaN or ±Infinity
 *   ENOTSYM     a symmetric matrix was required (cholesky, eigh)
 *   ENOMEM      the sizes are too large to allocate in wasm memory
 *   ENOTPD      the matrix is not positive definite (cholesky)
 *   ESINGULAR   exactly singular (reported by C's LU; lu() returns `singular: true` instead)
 *   ENOCONV     an iteration did not converge (svd, eigh)
 *   ERANK       a requested rank is out of range
 *   EARG        the C library rejected argument i (status -i): a bug in the glue, please report
 *   ENOTIMPL    the loaded wasm module does not export the C function (older/newer build)
 *   EWORKER     the worker thread crashed or could not start
 *   EFORMAT     a serialized sketch is truncated, corrupted or of another version
 *   EMISMATCH   two sketches differ in seed, shape or hash (merge)
 *   EDISPOSED   a handle (softmaxSolver, countSketch, l2Sampler, kvCache, subgen, ...) was used after dispose() or after reset()
 */
export class SketchlabError extends Error {
  /**
   * @param {string} code    one of the codes above
   * @param {string} message what went wrong and what to change
   * @param {object} [extra] optional fields: status (C status), arg (1-based C argument), fn;
   *   null or a non-object is treated as none (an error constructor must never throw)
   */
  constructor(code, message, extra) {
    super(typeof message === 'string' ? message : describe(message));
    this.name = 'SketchlabError';
    this.code = typeof code === 'string' ? code : 'EINVAL';
    const x = extra !== null && typeof extra === 'object' ? extra : {};
    if (x.status !== undefined) this.status = x.status;
    if (x.arg !== undefined) this.arg = x.arg;
    if (x.fn !== undefined) this.fn = x.fn;
  }

  /** A structured-cloneable plain object (for postMessage). */
  toJSON() {
    return { name: this.name, code: this.code, message: this.message, status: this.status, arg: this.arg, fn: this.fn };
  }

  /** Rebuild from toJSON() output (worker → main thread). */
  static fromJSON(o) {
    const e = new SketchlabError(o.code, o.message, { status: o.status, arg: o.arg, fn: o.fn });
    return e;
  }
}

/** C status codes (core.h) → [code name, default advice]. Keep in sync with core.h. */
export const STATUS = Object.freeze({
  1: ['ENOMEM', 'out of memory: the sizes are too large to allocate in wasm memory (at most 4 GB); use smaller matrices'],
  2: ['ENOTPD', 'the matrix is not positive definite; check that it is SPD, or add a multiple of the identity (A + δI)'],
  3: ['ESINGULAR', 'the matrix is exactly singular (a zero pivot)'],
  4: ['ENOCONV', 'the iteration did not converge within its sweep limit; check the input scaling (very large/small entries)'],
  5: ['ENONFINITE', 'the input contains NaN or Infinity; remove or replace non-finite values'],
  6: ['ERANK', 'the requested rank is out of range'],
  7: ['EINVAL', 'invalid combination of arguments'],
  8: ['EFORMAT', 'the serialized buffer is truncated, corrupted or of another format version; pass the exact bytes serialize() returned'],
  9: ['EMISMATCH', 'the sketches are incompatible: create both with the same buckets, rows, seed and hash'],
});

/**
 * Turn a nonzero C status into a SketchlabError.
 * @param {number} status     the value returned by the C function
 * @param {string} fn         the public JS function name, for the message (e.g. 'svd')
 * @param {string} cname      the C function (e.g. 'sk_dgesvd')
 * @param {string[]} [argNames] names of the C arguments, in prototype order
 * @param {string} [advice]   a more specific message for positive codes
 */
export function statusError(status, fn, cname, argNames = [], advice) {
  if (status < 0) {
    const i = -status;
    const name = argNames[i - 1] ? ` (${argNames[i - 1]})` : '';
    return new SketchlabError('EARG',
      `${fn}: ${cname} rejected argument ${i}${name}. The JavaScript layer should have caught this; ` +
      'please report it with the input shapes.', { status, arg: i, fn });
  }
  const [code, text] = STATUS[status] || ['EINVAL', `unknown sketchlab status ${status}`];
  return new SketchlabError(code, `${fn}: ${advice || text}`, { status, fn });
}

/** Error for calling a function before init(). */
export function notInitialized(fn) {
  return new SketchlabError('ENOTINIT', `${fn}: sketchlab is not initialized; call \`await init()\` first (once, before any other function)`);
}
