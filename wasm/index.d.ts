/// <reference lib="esnext.disposable" />
// Type declarations for 'sketchlab' and 'sketchlab/inline' (hand-written; see index.js).
//
// No lib is required beyond ES2020: the host types named here (WebAssembly.Module,
// Response, URL) are taken from the global scope when the program has them (the
// DOM lib, @types/node) and drop out of the unions when it does not, so a Node
// project without the DOM lib compiles (see tests/js/types.test.mjs). The one lib
// referenced above declares `Disposable` and `Symbol.dispose`, which the handles
// (KV caches, solvers, sketches) implement so that `using` frees them.

/** `T[K]`'s instance type if the global scope declares K (e.g. with the DOM lib), else `never`. */
export type HostInstance<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer I } } ? I : never;
/** A compiled WebAssembly.Module, where the program's libs declare it. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;
/** The fetch API's Response, where declared. */
export type HostResponse = HostInstance<'Response'>;
/** The WHATWG URL, where declared. */
export type HostURL = HostInstance<'URL'>;

/** Options of the functions that take none yet (an empty object is accepted, as at run time). */
export type NoOptions = Record<string, never>;

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
 * plain `number[]`, column-major) or `number[][]`, an array of equally long rows
 * (each row an array or a typed array; `readonly` arrays, e.g. `as const`, too).
 * Inputs are validated (integer dimensions, `data.length === rows * cols`,
 * finite entries) and never modified.
 */
export type MatrixLike = Matrix | { rows: number; cols: number; data: Float64Array | readonly number[] } | readonly ArrayLike<number>[];

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
  | 'EWORKER'    // worker crashed, failed to start, or client terminated
  | 'EFORMAT'    // serialized sketch truncated, corrupted or of another version
  | 'EMISMATCH'  // merge of sketches with different seed, shape or hash
  | 'EDISPOSED'; // a handle (softmaxSolver, countSketch, ...) used after dispose()

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
  wasm?: Uint8Array | ArrayBuffer | HostURL | string | HostResponse | WasmModule | (() => unknown);
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

/**
 * Drop the wasm instance and load a fresh one (with `opts`, or the options of
 * the first init()), giving its memory back. WebAssembly memory grows but never
 * shrinks: after one big call, or a big request that failed with ENOMEM after
 * the heap had grown, the module keeps its peak size (up to 4 GB) until
 * reset(). Results already returned stay valid; calls made while the promise is
 * pending throw ENOTINIT. Handles made before it (sketches, samplers, KV caches,
 * SubGen, softmaxSolver) lose their state with the old instance: their methods
 * throw EDISPOSED (create new ones), and dispose() on them does nothing. In a worker, `client.terminate()` and a new client
 * do the same. Requests whose single buffers would exceed 4 GB are rejected
 * with ENOMEM before anything is allocated.
 */
export function reset(opts?: InitOptions): Promise<InitInfo>;

/*
 * Main thread or worker? Every function runs synchronously on the calling
 * thread. On a page, anything that can take more than ~50 ms (a long task that
 * freezes input and animation) belongs in the worker client
 * (`sketchlab/worker`). Measured in Node on a 2-core AMD EPYC (CPU time):
 * svd 300×300 ~0.1–0.2 s, svd 1000×1000 ~0.8 s, qr/matmul 1000×1000 ~0.1–0.2 s,
 * id 2000×2000 rank 100 ~0.1 s (rbrp) / 0.3 s (cpqr), rsvd 2000×2000 rank 100
 * ~0.3 s, gallery('exponential', { rows: 1000 }) ~0.5 s (it is O(rows³): 3000
 * rows take ~16 s). Cost grows like m·n·min(m, n) for the dense factorizations
 * (svd, eigh, qr, lu, cholesky, cpqr, gallery 'exponential'/'polynomial'),
 * m·n·rank·(2·powerIters + 2) for rsvd, m·n·rank for id/cur, and N·rank² for
 * rpcholesky; angleExperiment and budgetExperiment are whole demo computations.
 * Nothing is refused for being slow: `rsvd(randn(1500, 1500), { rank: 1400,
 * powerIters: 1000 })` is valid and runs for minutes, so call it in a worker
 * (which can be cancelled with an AbortSignal) and keep the main thread for
 * small matrices (up to a few hundred rows).
 */

/** The C library's version, 'MAJOR.MINOR.PATCH'. */
export function version(): string;

/**
 * Whether the loaded module has the C functions `name` needs (e.g. 'svd').
 * Own names only: supports('constructor') and supports('__proto__') are false.
 */
export function supports(name: 'matmul' | 'qr' | 'cpqr' | 'lu' | 'cholesky' | 'svd' | 'eigh' | 'randn' | 'rand' | string): boolean;

/** Heap statistics, for leak and growth checks. */
export interface MemoryStats {
  /** Current wasm memory size in bytes (grows, never shrinks; see reset()). */
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
 * Throws ESHAPE if the inner dimensions differ, EINVAL if the product (or a
 * partial sum) overflows Number.MAX_VALUE (scale A or B by 2^-k).
 */
export function matmul(A: MatrixLike, B: MatrixLike, opts?: { transA?: boolean; transB?: boolean }): Matrix;

/**
 * Thin Householder QR, A = Q R (LAPACK dgeqrf + dorgqr).
 * Q is m×k with orthonormal columns, R is k×n upper trapezoidal, k = min(m, n).
 * Any finite scale (A is prescaled by an exact power of two); throws EINVAL
 * if an entry of R exceeds Number.MAX_VALUE (scale A by 2^-k).
 */
export function qr(A: MatrixLike, opts?: NoOptions): { Q: Matrix; R: Matrix };

/**
 * QR with column pivoting, A(:, perm) ≈ Q R (Businger–Golub, sk_dgeqp3), stopped
 * after `rank` steps or as soon as the residual mass ‖R22‖_F² <= tol·‖A‖_F²,
 * whichever comes first. Default: all k = min(m, n) steps.
 * @returns Q m×rank, R rank×n with columns in pivot order (upper trapezoidal),
 *   perm (n entries, 0-based: column j of A(:, perm) is column perm[j] of A),
 *   rank (steps taken), residual = ‖R22‖_F/‖A‖_F at exit (relative, finite and the
 *   same at every scale: a matrix whose largest entry is outside 2^±256 is factored as
 *   2^-e·A, exact), res2 = ‖R22‖_F² and norm2 = ‖A‖_F² in A's units (Infinity or 0 only
 *   where the true value is not a double, e.g. entries near 1e155 or 1e-162: use residual).
 * Throws ERANK if rank is not an integer in [0, min(m, n)], EINVAL for a bad tol
 * or when an entry of R exceeds Number.MAX_VALUE (scale A by 2^-k).
 */
export function cpqr(A: MatrixLike, opts?: { rank?: number; tol?: number }): {
  Q: Matrix; R: Matrix; perm: Int32Array; rank: number; residual: number; res2: number; norm2: number;
};

/**
 * LU with partial pivoting, A(perm, :) = L U (LAPACK dgetrf): L m×k unit lower
 * triangular (|L| <= 1), U k×n upper, k = min(m, n); perm has m entries.
 * An exactly singular A is not an error: the factorization is complete and
 * `singular` is true (some U(i,i) == 0). Any finite scale; throws EINVAL if
 * an entry of U exceeds Number.MAX_VALUE (scale A by 2^-k).
 */
export function lu(A: MatrixLike, opts?: NoOptions): { L: Matrix; U: Matrix; perm: Int32Array; singular: boolean };

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
 * in the (rare) case the iteration limit is reached. `{ vectors: false }` computes the
 * singular values only (much faster) and returns U and V as null.
 */
export function svd(A: MatrixLike, opts?: { vectors?: true }): { U: Matrix; s: Float64Array; V: Matrix };
export function svd(A: MatrixLike, opts: { vectors: false }): { U: null; s: Float64Array; V: null };
export function svd(A: MatrixLike, opts?: { vectors?: boolean }): { U: Matrix | null; s: Float64Array; V: Matrix | null };

/**
 * Symmetric eigendecomposition A = V diag(values) Vᵀ (sk_dsyevd): values
 * ascending, column j of `vectors` for values[j]. Same square/symmetry checks
 * as {@link cholesky}. `{ vectors: false }` computes the eigenvalues only and returns
 * `vectors: null`.
 */
export function eigh(A: MatrixLike, opts?: { symTol?: number; vectors?: true }): { values: Float64Array; vectors: Matrix };
export function eigh(A: MatrixLike, opts: { symTol?: number; vectors: false }): { values: Float64Array; vectors: null };
export function eigh(A: MatrixLike, opts?: { symTol?: number; vectors?: boolean }): { values: Float64Array; vectors: Matrix | null };

/**
 * rows×cols matrix of standard Gaussians from Philox4x32-10 (sk_rng_normal_matrix),
 * filled column after column. The same (seed, stream) gives bit-identical values
 * natively and in wasm. seed: integer in [0, 2^64) (number up to 2^53−1 or BigInt),
 * default 0; stream: integer in [0, 2^32), default 0.
 */
export function randn(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }): Matrix;

/** Like {@link randn} but uniform on the open interval (0, 1) (sk_rng_uniform). */
export function rand(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }): Matrix;

// ---------------------------------------------------------------- pivoting (lowrank.js)

/** Column-ID methods (specs/pivoting.md §1). 'adaptive-lupp' stops on its own unbiased residual estimate, and its trace records those estimates. */
export type IdMethod = 'cpqr' | 'sketch-cpqr' | 'sketch-lupp' | 'adaptive-lupp' | 'rpqr' | 'brp' | 'bgp' | 'rbrp';

/**
 * Stopping rules shared by {@link id}, {@link cur} and {@link rpcholesky}: give `rank`
 * (1..min(m, n)), `tol` (the allowed residual mass as a fraction of ‖A‖_F², or tr(K)
 * for RPCholesky, in (0, 1)), or both (whichever comes first). Sketch methods need
 * `rank` and do not accept `tol`.
 */
export interface StopOptions {
  rank?: number;
  tol?: number;
}

export interface IdOptions extends StopOptions {
  /** Default 'rbrp'. */
  method?: IdMethod;
  /** Candidates sampled per step for 'brp' | 'bgp' | 'rbrp' (default 64) and 'adaptive-lupp' (default 32); a positive integer. */
  blockSize?: number;
  /** RBRP's filter tolerance τ_b in (0, 1] (default 1/blockSize). */
  filterTol?: number;
  /** Sketch methods: l = rank + oversample sketch rows (default 10, >= 1). */
  oversample?: number;
  /** Seed of the Philox stream (stream 0) used by the randomized methods; default 0. */
  seed?: number | bigint;
  /**
   * Which T to return: true or 'optimal' (default), the optimal T = A(:,S)⁺A; 'sketch' (methods
   * 'sketch-cpqr' and 'sketch-lupp' only), the sketch's own T = [I, R11⁻¹R12] or [I, (L21·L11⁻¹)ᵀ]
   * in pivot order — no second pass over A to build, but not optimal for S (residual and
   * residual2 are then this T's, computed exactly; the trace and curve keep the optimal-T errors;
   * an exactly singular sketch gives ESINGULAR); false, no T (saves the O(k²n) solve).
   */
  interp?: boolean | 'optimal' | 'sketch';
  /** Record the teaching trace (default false). */
  trace?: boolean;
  /** Also return `curve`: the relative residual after each of the first j skeleton columns. */
  curve?: boolean;
  /** Also compute the SVD tail and the ratio `suboptimality` (uses svd; O(mn·min(m,n))). */
  suboptimality?: boolean;
}

/** One step of the teaching trace: one sampled block (or one pivot for cpqr/rpqr). */
export interface IdTraceStep {
  /** Candidate columns (0-based); accepted ones first, in pivot order. */
  candidates: Int32Array;
  /** 1 accepted, 0 filtered out (RBRP's filter, or cut by the tolerance). */
  accepted: Uint8Array;
  /** Skeleton size after this step. */
  rank: number;
  /** Relative residual ‖A − A(:,S)T‖_F/‖A‖_F after this step (for rpcholesky: tr(K − FFᵀ)/tr(K)). */
  residual: number;
  /** The absolute residual mass after this step. */
  residual2: number;
}
export type IdTrace = IdTraceStep[] & { truncated: boolean };

/**
 * Why id() stopped at its rank k: 'rank' (the rank asked for), 'tol' (the tolerance is met;
 * for adaptive-lupp, its unbiased estimate is), or 'numerical-rank': every column left lies
 * in the span of the skeleton up to rounding (its residual is at most 4(m + rank)·ε times
 * its norm), so k is A's numerical rank and is smaller than the rank asked for. Adding such
 * a column would make T meaningless (it gave NaN before), so it is never added; residual is
 * then at rounding level. A = 0 gives rank 0 with 'numerical-rank'.
 */
export type IdStop = 'rank' | 'tol' | 'numerical-rank';

export interface IdResult {
  method: IdMethod;
  /** Skeleton S: k column indices (0-based) in pivot order. */
  cols: Int32Array;
  /** k×n interpolation matrix (the optimal T = A(:,S)⁺A unless interp: 'sketch'), with T(:,S) = I exactly; null with interp: false. */
  T: Matrix | null;
  /** k: at most the rank asked for; smaller when `stop` is 'tol' or 'numerical-rank'. */
  rank: number;
  stop: IdStop;
  /**
   * Relative residual ‖A − A(:,S)T‖_F / ‖A‖_F. Exact at any scale: a matrix whose largest
   * entry is outside 2^±256 is factored as 2^-e·A (exact), and relative values are taken there.
   */
  residual: number;
  /** Absolute squared residual mass ‖A − A(:,S)T‖_F², in A's units (Infinity or 0 only where the true value is not a double). */
  residual2: number;
  /** ‖A‖_F² (Infinity when it exceeds Number.MAX_VALUE, e.g. entries near 1e155; residual stays exact). */
  norm2: number;
  trace?: IdTrace;
  curve?: Float64Array;
  /** With suboptimality: true — residual2 / Σ_{i>k} σ_i² (squared ratio, >= 1 up to rounding). */
  suboptimality?: number;
  /** Σ_{i>k} σ_i² and its relative square root. */
  optimalResidual2?: number;
  optimalResidual?: number;
}

/**
 * Column interpolative decomposition A ≈ A(:, cols)·T (sk_id_cols): CPQR, RPQR
 * (adaptive random pivoting), BRP/BGP (blockwise random/greedy), RBRP (robust
 * blockwise random pivoting), sketch + CPQR or LUPP. Every method returns the
 * optimal T for its skeleton. Errors: EINVAL (no stopping rule, tol outside (0,1),
 * bad blockSize, unknown method...), ERANK (rank outside 1..min(m,n)),
 * ENONFINITE, ESHAPE (empty A).
 */
export function id(A: MatrixLike, opts: IdOptions): IdResult;

export interface GalleryOptions {
  gmm: { dim?: number; points?: number; clusters?: number; sigma?: number; seed?: number | bigint };
  exponential: { rows?: number; cols?: number; flat?: number; decay?: number; floor?: number; seed?: number | bigint };
  polynomial: { rows?: number; cols?: number; flat?: number; power?: number; floor?: number; seed?: number | bigint };
  kahan: { n?: number; zeta?: number };
  smile: { points?: number; bandwidth?: number; kernel?: 'gaussian' | 'laplace'; seed?: number | bigint; matrix?: boolean };
  robspiral: { points?: number; bandwidth?: number; kernel?: 'gaussian' | 'laplace'; matrix?: boolean };
}
/** A 2-D point cloud and its kernel matrix (null with matrix: false). */
export interface PointCloud { matrix: Matrix | null; points: Matrix; kernel: 'gaussian' | 'laplace'; bandwidth: number }

/**
 * Seeded test matrices (specs/pivoting.md §2); the same seed gives the same bits natively and in wasm.
 *  - 'gmm': dim×points, one point per column; cluster c (1-based, points/clusters consecutive
 *    columns) centred at 10·c·e_c plus N(0, sigma²) noise (defaults 500×2000, 100 clusters, sigma 1).
 *  - 'exponential' / 'polynomial': U diag(σ) Vᵀ with Haar U, V; σ_i = 1 for i <= flat (default
 *    min(100, k)), then max(floor, decay^(i−flat)) (decay 0.8) or max(floor, (i−flat)^(−power)) (power 1); floor 1e-5.
 *  - 'kahan': n×n Kahan matrix (default 300, zeta 0.95).
 *  - 'smile' / 'robspiral': 2×N points and their N×N kernel matrix (Gaussian; h = 2 and 1000 by default).
 */
export function gallery<K extends 'gmm' | 'exponential' | 'polynomial' | 'kahan'>(name: K, opts?: GalleryOptions[K]): Matrix;
export function gallery<K extends 'smile' | 'robspiral'>(name: K, opts?: GalleryOptions[K]): PointCloud;

/**
 * CUR A ≈ C·U·R (sk_cur): column skeleton `cols` as given, or chosen by id() with the same options
 * (not both: EINVAL), rows by CPQR of Cᵀ, core 'optimal' (U = C⁺AR⁺ through QR, default) or
 * 'cross' (U = A(I,J)⁻¹). Bad `cols` (not integers in [0, n), repeated): EINVAL; more than
 * min(m, n): ERANK.
 */
export function cur(A: MatrixLike, opts: (Omit<IdOptions, 'interp' | 'trace' | 'curve' | 'suboptimality'> | { cols: ArrayLike<number> }) & { core?: 'optimal' | 'cross' }): {
  rows: Int32Array; cols: Int32Array; rank: number; C: Matrix; U: Matrix; R: Matrix;
  /** ‖A − CUR‖_F/‖A‖_F (exact at any scale, as for id) */ residual: number;
  /** In A's units (Infinity or 0 only where the true value is not a double). */ residual2: number; norm2: number;
  /** Why the skeleton chosen by id() has its rank (absent when `cols` is given). */ stop?: IdStop;
};

/** A kernel matrix given by its points (d×N, one per column), evaluated matrix-free. */
export interface KernelSpec { points: MatrixLike; bandwidth: number; kernel?: 'gaussian' | 'laplace' }

/**
 * Randomly pivoted partial Cholesky K ≈ F·Fᵀ (Nyström on the pivots) of a symmetric PSD
 * matrix (sk_rpchol) or a kernel (sk_rpchol_kernel). `residual` is the relative trace
 * error tr(K − FFᵀ)/tr(K). Methods: 'random' (default), 'greedy', 'uniform', 'block', 'rbrp'.
 * Errors: ENOTSYM, ENOTPD, ERANK, EINVAL.
 */
export function rpcholesky(K: MatrixLike | KernelSpec, opts: StopOptions & {
  method?: 'random' | 'greedy' | 'uniform' | 'block' | 'rbrp'; blockSize?: number; filterTol?: number;
  seed?: number | bigint; trace?: boolean; symTol?: number;
}): { method: string; pivots: Int32Array; F: Matrix; rank: number; residual: number; residualTrace: number; traceA: number; trace?: IdTrace };

// ---------------------------------------------------------------- sketched SVD (svdsketch.js)

/** Normalizer between power iterations: 'none' (plain powers; shows the loss of the subspace), 'qr' (Householder), 'lu' (L of LUPP), 'cholqr2' (Cholesky QR twice, falls back to QR). */
export type RsvdNormalizer = 'none' | 'qr' | 'lu' | 'cholqr2';

/** Products with A and Aᵀ (vectors), and CholQR2 → Householder fallbacks. */
export interface Applications { A: number; At: number; total: number; orthFallbacks: number }

/** Work of one bound or estimate: products with A or Aᵀ (vectors) and an estimate of the flops. */
export interface BoundCost { matvecs: number; flops: number }

export interface RsvdOptions {
  /** Target rank k, 1..min(m, n) (ERANK otherwise). Required. */
  rank: number;
  /** Sketch size l = rank + oversample (default 10, capped at min(m, n) when not given). */
  oversample?: number;
  /** The sketch size l directly (k <= l <= min(m, n)); instead of oversample. */
  sketchSize?: number;
  /** Power iterations q >= 0 (default 1). */
  powerIters?: number;
  /** Default 'qr'. */
  normalizer?: RsvdNormalizer;
  /** Philox seed (stream 0 draws Ω first); default 0. */
  seed?: number | bigint;
  /** Estimate ‖A − XXᵀA‖₂ by the block power method (4 vectors, 5 steps; default true). */
  residual?: boolean;
}

export interface RsvdResult {
  /** Rank-k truncated SVD: U m×k, s (k, descending), V n×k. */
  U: Matrix; s: Float64Array; V: Matrix;
  /** Orthonormal bases: X of range((AAᵀ)^q AΩ) (m×l), Y of range(AᵀX) (n×l). */
  X: Matrix; Y: Matrix;
  /** All l triplets: XXᵀA = Ul diag(sAll) Vlᵀ exactly (the bounds need σ̂_{k+1..l}). */
  Ul: Matrix; sAll: Float64Array; Vl: Matrix;
  rank: number; sketchSize: number; powerIters: number; normalizer: RsvdNormalizer;
  /** ‖A − XXᵀA‖_F = sqrt(‖A‖_F² − Σσ̂ᵢ²) (exact up to cancellation near sqrt(ε)·‖A‖_F). */
  residualFro: number;
  /** Block-power-method estimate of ‖A − XXᵀA‖₂ (from below); null with residual: false. */
  residual2: number | null;
  anormFro: number;
  /** Counters: l(q+1) products with each of A and Aᵀ, plus the residual estimate's. */
  applications: Applications;
}

/**
 * Randomized SVD by subspace iteration (HMT Alg. 4.4 + 5.1; sk_rsvd). Errors: ERANK (rank outside
 * 1..min(m, n)), EINVAL (l < k, l > min(m, n), q < 0, unknown normalizer, bad seed), ENONFINITE, ESHAPE.
 */
export function rsvd(A: MatrixLike, opts: RsvdOptions): RsvdResult;

/**
 * Sines of the canonical angles between range(Q1) (m×k) and range(Q2) (m×l, l >= k), both with
 * orthonormal columns, ASCENDING (sk_canonical_sines). With { angles: true }: { sines, theta } (radians).
 */
export function canonicalAngles(Q1: MatrixLike, Q2: MatrixLike, opts?: { angles?: false }): Float64Array;
export function canonicalAngles(Q1: MatrixLike, Q2: MatrixLike, opts: { angles: true }): { sines: Float64Array; theta: Float64Array };
export function canonicalAngles(Q1: MatrixLike, Q2: MatrixLike, opts?: { angles?: boolean }): Float64Array | { sines: Float64Array; theta: Float64Array };

/**
 * The exact characterization (specs/svd_bounds.md §1.2; sk_angles_exact): sines of ∠(U_k, X) (side 'left',
 * t = 2q+1) or ∠(V_k, Y) ('right', t = 2q+2) from the spectrum (all r values) and G = VᵀΩ (r×l) alone.
 * Throws ESINGULAR when G is exactly rank deficient, or when σ^t spans so wide a range that the sines are
 * not determined to working accuracy in double precision (the message says what to change: fewer power
 * iterations, a flatter spectrum, a smaller k); angleBounds' Monte-Carlo estimate and planBudget likewise.
 */
export function exactAngles(spectrum: ArrayLike<number>, G: MatrixLike, opts: { k: number; powerIters?: number; side?: 'left' | 'right' }): Float64Array;

export interface AngleBoundsOptions {
  /** The true singular values (all min(m, n) of them, non-increasing). */
  spectrum?: ArrayLike<number>;
  /** A result of rsvd(); gives k, l, q and σ̂ (and, with A, the posterior bounds). */
  rsvd?: RsvdResult;
  /** The sketched matrix, for the residual and subresidual bounds. */
  A?: MatrixLike;
  k?: number; l?: number; q?: number;
  /** 'left' = ∠(U_k, X), 'right' = ∠(V_k, Y). Default 'left'. */
  side?: 'left' | 'right';
  /** Which σ every bound uses: 'spectrum' (true σ) or 'sketch' (σ̂; the tail padded with σ̂_l for the prior/MC). Default: 'spectrum' if given. */
  sigma?: 'spectrum' | 'sketch';
  /** ε of the notebook's prior bound (default 1). */
  eps?: number;
  /** Monte-Carlo trials (default 4; 0 skips the estimate). */
  trials?: number;
  seed?: number | bigint;
  /** Block size and steps of the power method for ‖E‖₂ and ‖E33‖₂ (default 4 and 5). */
  block?: number; its?: number;
}

export interface AngleBoundsResult {
  side: 'left' | 'right'; k: number; l: number; q: number; t: number; sigma: 'spectrum' | 'sketch';
  /** Prior ("Thm1", §1.3): upper/lower with the notebook's ε, and the conservative variant (§1.3). No products with A. */
  prior: { upper: Float64Array; lower: Float64Array; conservative: Float64Array; conservativeLower: Float64Array; eps: number; cost: BoundCost };
  /** Monte-Carlo estimate ("Prop1", §1.4): per-angle mean and min–max band over the trials; unbiased with the true σ. */
  monteCarlo: { mean: Float64Array; lo: Float64Array; hi: Float64Array; trials: number; cost: BoundCost } | null;
  /** Residual bound ("Thm2", §1.5) with the power-method ‖E‖₂ (a lower estimate, so not strictly certified). Needs rsvd and A. */
  residual: { bound: Float64Array; normE: number; estimator: string; cost: BoundCost } | null;
  /**
   * Subresidual bound ("Thm3", §1.6). When the gap conditions σ_k > ε33 and σ_k > σ̂_{k+1} fail,
   * `applicable` is false and `bound` is all NaN (never a negative number). Needs rsvd and A.
   */
  subresidual: {
    bound: Float64Array; applicable: boolean; eps3: number; eps32: number; eps33: number;
    conditions: { sigmaK: number; eps33: number; sHatK1: number }; cost: BoundCost;
  } | null;
}

/** Per-angle bounds and estimates of the canonical angles of a sketch (see AngleBoundsOptions). */
export function angleBounds(opts: AngleBoundsOptions): AngleBoundsResult;

/**
 * Choose (l, q) under a budget of l(2q+1) range-finder products (§1.10; sk_rsvd_plan): for q = 0..qmax
 * (default 8), l_q = min(floor(budget/(2q+1)), r), scored by the largest left sine predicted by the
 * Monte-Carlo estimate (`predicted`) and by the prior bound (`prior`); NaN where l_q < k.
 */
export function planBudget(opts: { spectrum: ArrayLike<number>; k: number; budget: number; qmax?: number; trials?: number; eps?: number; seed?: number | bigint }): {
  q: Int32Array; l: Int32Array; budget: number; k: number; predicted: Float64Array; prior: Float64Array;
  best: { q: number; l: number } | null; bestPrior: { q: number; l: number } | null;
};

/** Options of the demo helpers: a test matrix A = U diag(spectrum) Vᵀ with known U, V (cached per (m, n, seed)). */
export interface ExperimentOptions {
  m: number; n: number; seed?: number | bigint; spectrum: ArrayLike<number>;
  k: number; l: number; q: number; normalizer?: RsvdNormalizer; side?: 'left' | 'right';
}

/**
 * The demo page's computation in one call (web/svd-bounds.html): build the test matrix, sketch it, the
 * true sines of the chosen side and every bound/estimate; `ms` has the time of each phase.
 */
export function angleExperiment(opts: ExperimentOptions & { sigma?: 'spectrum' | 'sketch'; trials?: number; posterior?: boolean }):
  Omit<AngleBoundsResult, 'sigma'> & {
    m: number; n: number; normalizer: RsvdNormalizer; sigma: 'spectrum' | 'sketch'; factorsCached: boolean;
    sines: Float64Array; spectrum: Float64Array; sHat: Float64Array; applications: Applications; ms: Record<string, number>;
  };

/** One measured point of the budget planner: the true sines of a sketch of the same test matrix with (l, q). */
export function budgetExperiment(opts: ExperimentOptions): { l: number; q: number; sines: Float64Array; maxSine: number; applications: Applications; ms: number };

export * from './regression.js';
// Attention decoding, KV caches, SubGen and the Index game: see attention.d.ts.
export * from './attention.js';
export * from './stream.js';
