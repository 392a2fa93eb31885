// Type declarations for 'sketchlab' and 'sketchlab/inline' (hand-written; see index.js).

/**
 * A dense matrix in column-major order: entry (i, j), 0-based, is
 * `data[i + j * rows]`. Results are always of this shape, with fresh arrays.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * What the functions accept as a matrix: a {@link Matrix} (`data` may also be a
 * plain `number[]`, column-major) or `number[][]`, an array of equally long rows.
 * Inputs are validated (integer dimensions, `data.length === rows * cols`,
 * finite entries) and never modified.
 */
export type MatrixLike = Matrix | { rows: number; cols: number; data: Float64Array | number[] } | number[][];

/** Error codes carried by {@link SketchlabError}. */
export type SketchlabErrorCode =
  | 'ENOTINIT'   // called before `await init()`
  | 'ELOAD'      // the wasm could not be fetched/compiled/instantiated
  | 'EINVAL'     // wrong argument type, bad option
  | 'ESHAPE'     // dimensions/lengths do not fit, non-square, empty
  | 'ENONFINITE' // NaN or ±Infinity in an input
  | 'ENOTSYM'    // symmetric input required (cholesky, eigh)
  | 'ENOMEM'     // too large to allocate in wasm memory (max 4 GB)
  | 'ENOTPD'     // not positive definite (cholesky)
  | 'ESINGULAR'  // exactly singular (C-level; lu() reports `singular: true` instead)
  | 'ENOCONV'    // iteration did not converge (svd, eigh)
  | 'ERANK'      // requested rank out of range (cpqr)
  | 'EARG'       // the C library rejected an argument: a glue bug, please report
  | 'ENOTIMPL'   // the loaded wasm lacks the C function
  | 'EWORKER';   // worker crashed, failed to start, or client terminated

/**
 * Every error thrown (or rejected) by sketchlab. `message` says what to change.
 * The module stays usable after any error.
 */
export class SketchlabError extends Error {
  constructor(code: SketchlabErrorCode, message: string, extra?: { status?: number; arg?: number; fn?: string });
  readonly name: 'SketchlabError';
  readonly code: SketchlabErrorCode;
  /** The C status code, when the error came from the C library (core.h). */
  readonly status?: number;
  /** For EARG: the 1-based C argument that was rejected. */
  readonly arg?: number;
  /** The public function that failed. */
  readonly fn?: string;
  /** A structured-cloneable plain object. */
  toJSON(): { name: string; code: SketchlabErrorCode; message: string; status?: number; arg?: number; fn?: string };
  static fromJSON(o: { code: SketchlabErrorCode; message: string; status?: number; arg?: number; fn?: string }): SketchlabError;
}

export interface InitOptions {
  /**
   * Where to get the module. Default: in Node, `dist/sketchlab[-simd].wasm` next
   * to index.js read with `fs`; in browsers, fetched from the same place with
   * `WebAssembly.compileStreaming` (falling back to `arrayBuffer()` when the
   * server sends the wrong MIME type). A string is a URL (browsers) or a URL or
   * file path (Node). A function may return any of these (or a promise of one).
   */
  wasm?: Uint8Array | ArrayBuffer | URL | string | Response | WebAssembly.Module | (() => unknown);
  /**
   * `'auto'` (default): the SIMD build where `WebAssembly.validate` accepts a tiny
   * SIMD module, else the baseline build. `true`: SIMD or reject. `false`: baseline.
   * With `opts.wasm` this only labels the supplied module.
   */
  simd?: 'auto' | boolean;
}

export interface InitInfo {
  /** Whether the SIMD build was loaded (null: a caller-supplied module, not labelled). */
  simd: boolean | null;
  /** Library version, e.g. '0.1.0'. */
  version: string;
}

/**
 * Load the wasm module. Call once before anything else; idempotent (later calls
 * return the same promise and ignore their options). On failure the promise
 * rejects with a SketchlabError (ELOAD/EINVAL) and a later call tries again.
 * `import { init } from 'sketchlab/inline'` uses bytes embedded in the JS instead
 * (no fetch; works from file:// and in any bundler).
 */
export function init(opts?: InitOptions): Promise<InitInfo>;

/** true once init() has resolved. */
export function isInitialized(): boolean;

/** The C library's version, 'MAJOR.MINOR.PATCH'. */
export function version(): string;

/** Whether the loaded module has the C functions `name` needs (e.g. 'svd'). */
export function supports(name: 'matmul' | 'qr' | 'cpqr' | 'lu' | 'cholesky' | 'svd' | 'eigh' | 'randn' | 'rand' | string): boolean;

/** Heap statistics, for leak and growth checks. */
export interface MemoryStats {
  /** Current wasm memory size in bytes (grows, never shrinks). */
  bytes: number;
  /** Blocks the JS layer holds right now; 0 between calls. */
  live: number;
  /** Highest end address of any block the JS layer ever allocated. */
  maxEnd: number;
  /** Address malloc returns for a fresh 64 KiB block (freed at once); unchanged by leak-free calls. */
  probe: number;
  /** Whether the SIMD build is loaded. */
  simd: boolean | null;
}
export function memoryStats(): MemoryStats;

/** Symmetry tolerance used by cholesky/eigh when `symTol` is not given: 1e-10. */
export const DEFAULT_SYM_TOL: number;

/** Convert rows (number[][]) to a column-major {@link Matrix}. Throws ESHAPE on ragged rows. */
export function fromRows(rows: ArrayLike<number>[]): Matrix;

/** Convert a matrix to rows (number[][]). */
export function toRows(M: MatrixLike): number[][];

/**
 * C = op(A) · op(B), op(X) = X or Xᵀ (BLAS dgemm). Empty dimensions are allowed.
 * Throws ESHAPE if the inner dimensions differ.
 */
export function matmul(A: MatrixLike, B: MatrixLike, opts?: { transA?: boolean; transB?: boolean }): Matrix;

/**
 * Thin Householder QR, A = Q R (LAPACK dgeqrf + dorgqr).
 * Q is m×k with orthonormal columns, R is k×n upper trapezoidal, k = min(m, n).
 */
export function qr(A: MatrixLike): { Q: Matrix; R: Matrix };

/**
 * QR with column pivoting, A(:, perm) ≈ Q R (Businger–Golub, sk_dgeqp3), stopped
 * after `rank` steps or as soon as the residual mass ‖R22‖_F² <= tol·‖A‖_F²,
 * whichever comes first. Default: all k = min(m, n) steps.
 * @returns Q m×rank, R rank×n with columns in pivot order (upper trapezoidal),
 *   perm (n entries, 0-based: column j of A(:, perm) is column perm[j] of A),
 *   rank (steps taken) and res2 = ‖R22‖_F² at exit.
 * Throws ERANK if rank is not an integer in [0, min(m, n)], EINVAL for a bad tol.
 */
export function cpqr(A: MatrixLike, opts?: { rank?: number; tol?: number }): {
  Q: Matrix; R: Matrix; perm: Int32Array; rank: number; res2: number;
};

/**
 * LU with partial pivoting, A(perm, :) = L U (LAPACK dgetrf): L m×k unit lower
 * triangular (|L| <= 1), U k×n upper, k = min(m, n); perm has m entries.
 * An exactly singular A is not an error: the factorization is complete and
 * `singular` is true (some U(i,i) == 0).
 */
export function lu(A: MatrixLike): { L: Matrix; U: Matrix; perm: Int32Array; singular: boolean };

/**
 * Cholesky A = L Lᵀ of a symmetric positive definite A (LAPACK dpotrf); L is
 * lower triangular with zeros above the diagonal.
 * A must be square (ESHAPE) and symmetric: |a_ij − a_ji| <= symTol · max|a|
 * (default symTol = 1e-10), else ENOTSYM; only the lower triangle is used.
 * Throws ENOTPD if A is not positive definite.
 */
export function cholesky(A: MatrixLike, opts?: { symTol?: number }): { L: Matrix };

/**
 * Thin SVD A = U diag(s) Vᵀ (sk_dgesvd): U m×k, s descending (k), V n×k (V, not Vᵀ),
 * k = min(m, n). Singular vectors are determined up to sign. Throws ENOCONV
 * in the (rare) case the iteration limit is reached.
 */
export function svd(A: MatrixLike): { U: Matrix; s: Float64Array; V: Matrix };

/**
 * Symmetric eigendecomposition A = V diag(values) Vᵀ (sk_dsyevd): values
 * ascending, column j of `vectors` for values[j]. Same square/symmetry checks
 * as {@link cholesky}.
 */
export function eigh(A: MatrixLike, opts?: { symTol?: number }): { values: Float64Array; vectors: Matrix };

/**
 * rows×cols matrix of standard Gaussians from Philox4x32-10 (sk_rng_normal_matrix),
 * filled column after column. The same (seed, stream) gives bit-identical values
 * natively and in wasm. seed: integer in [0, 2^64) (number up to 2^53−1 or BigInt),
 * default 0; stream: integer in [0, 2^32), default 0.
 */
export function randn(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }): Matrix;

/** Like {@link randn} but uniform on the open interval (0, 1) (sk_rng_uniform). */
export function rand(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }): Matrix;
