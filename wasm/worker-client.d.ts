// Type declarations for 'sketchlab/worker' (hand-written; see worker-client.js).
import type { Matrix, MatrixLike, InitOptions, InitInfo, MemoryStats, IdOptions, IdResult, PointCloud, KernelSpec } from './index.js';
import type * as sk from './index.js';

export type { Matrix, MatrixLike } from './index.js';

export interface ClientOptions extends Pick<InitOptions, 'simd'> {
  /**
   * Passed to init() inside the worker: bytes, a URL/string or a
   * WebAssembly.Module (a Response cannot be sent to a worker).
   */
  wasm?: Uint8Array | ArrayBuffer | URL | string | WebAssembly.Module;
  /** Location of worker.js, for bundlers that move files (default: next to worker-client.js). */
  workerURL?: URL | string;
}

/** Progress events: `{phase: 'start'}` when the worker begins the call, `{phase: 'done', seconds}` when it ends. */
export type Progress = { phase: 'start' } | { phase: 'done'; seconds: number };

export interface CallOptions {
  /**
   * Cancels the call: it rejects with an `AbortError` DOMException. A running
   * call is stopped by terminating the worker; a fresh one starts lazily for the
   * next call. A call still in the queue is simply dropped.
   */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/**
 * A sketchlab running in a Worker (module Worker in browsers, worker_threads in
 * Node). Calls run one at a time in the order they are made; results are
 * transferred (not cloned); errors reject as SketchlabError with their code.
 */
export interface Client {
  /** Resolves when the worker has loaded the wasm; rejects (SketchlabError ELOAD/EWORKER) if it cannot. */
  readonly ready: Promise<void>;
  /** Call any API function by name with its positional arguments. */
  call(name: string, args?: unknown[], opts?: CallOptions): Promise<any>;
  matmul(A: MatrixLike, B: MatrixLike, opts?: { transA?: boolean; transB?: boolean }, call?: CallOptions): Promise<Matrix>;
  qr(A: MatrixLike, opts?: {}, call?: CallOptions): Promise<{ Q: Matrix; R: Matrix }>;
  cpqr(A: MatrixLike, opts?: { rank?: number; tol?: number }, call?: CallOptions):
    Promise<{ Q: Matrix; R: Matrix; perm: Int32Array; rank: number; res2: number }>;
  lu(A: MatrixLike, opts?: {}, call?: CallOptions): Promise<{ L: Matrix; U: Matrix; perm: Int32Array; singular: boolean }>;
  cholesky(A: MatrixLike, opts?: { symTol?: number }, call?: CallOptions): Promise<{ L: Matrix }>;
  svd(A: MatrixLike, opts?: { vectors?: boolean }, call?: CallOptions): Promise<{ U: Matrix | null; s: Float64Array; V: Matrix | null }>;
  eigh(A: MatrixLike, opts?: { symTol?: number; vectors?: boolean }, call?: CallOptions): Promise<{ values: Float64Array; vectors: Matrix | null }>;
  randn(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }, call?: CallOptions): Promise<Matrix>;
  rand(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }, call?: CallOptions): Promise<Matrix>;
  id(A: MatrixLike, opts: IdOptions, call?: CallOptions): Promise<IdResult>;
  gallery(name: 'gmm' | 'exponential' | 'polynomial' | 'kahan' | 'smile' | 'robspiral', opts?: object, call?: CallOptions): Promise<Matrix | PointCloud>;
  cur(A: MatrixLike, opts: Parameters<typeof sk.cur>[1], call?: CallOptions): Promise<ReturnType<typeof sk.cur>>;
  rpcholesky(K: MatrixLike | KernelSpec, opts: Parameters<typeof sk.rpcholesky>[1], call?: CallOptions): Promise<ReturnType<typeof sk.rpcholesky>>;
  rsvd(A: MatrixLike, opts: sk.RsvdOptions, call?: CallOptions): Promise<sk.RsvdResult>;
  canonicalAngles(Q1: MatrixLike, Q2: MatrixLike, opts?: { angles?: boolean }, call?: CallOptions): Promise<Float64Array | { sines: Float64Array; theta: Float64Array }>;
  exactAngles(spectrum: ArrayLike<number>, G: MatrixLike, opts: Parameters<typeof sk.exactAngles>[2], call?: CallOptions): Promise<Float64Array>;
  angleBounds(opts: sk.AngleBoundsOptions, call?: CallOptions): Promise<sk.AngleBoundsResult>;
  planBudget(opts: Parameters<typeof sk.planBudget>[0], call?: CallOptions): Promise<ReturnType<typeof sk.planBudget>>;
  angleExperiment(opts: Parameters<typeof sk.angleExperiment>[0], call?: CallOptions): Promise<ReturnType<typeof sk.angleExperiment>>;
  budgetExperiment(opts: Parameters<typeof sk.budgetExperiment>[0], call?: CallOptions): Promise<ReturnType<typeof sk.budgetExperiment>>;
  version(call?: CallOptions): Promise<string>;
  memoryStats(call?: CallOptions): Promise<MemoryStats>;
  supports(name: string, call?: CallOptions): Promise<boolean>;
  /** Stop the worker. Pending calls reject with EWORKER; later calls too. */
  terminate(): void;
}

/** Start a worker (lazily restarted after an abort) and return its client. */
export function createClient(opts?: ClientOptions): Client;

export type { InitInfo };
