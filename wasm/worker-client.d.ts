// Type declarations for 'sketchlab/worker' (hand-written; see worker-client.js).
import type { Matrix, MatrixLike, InitOptions, InitInfo, MemoryStats, IdOptions, IdResult, PointCloud, KernelSpec, HostURL, WasmModule, HostInstance } from './index.js';
import type * as sk from './index.js';

export type { Matrix, MatrixLike } from './index.js';

export interface ClientOptions extends Pick<InitOptions, 'simd'> {
  /**
   * Passed to init() inside the worker: bytes, a URL/string or a
   * WebAssembly.Module (a Response cannot be sent to a worker).
   */
  wasm?: Uint8Array | ArrayBuffer | HostURL | string | WasmModule;
  /**
   * Location of the worker host ('sketchlab/worker-host', i.e. worker.js) for
   * bundlers that move or do not emit it (default: worker.js next to
   * worker-client.js, which Vite and webpack 5 bundle by themselves).
   */
  workerURL?: HostURL | string;
  /**
   * The browser Worker's type: 'module' (default) or 'classic', for a worker
   * host bundled as a classic script, e.g. a blob: URL on a file:// page.
   */
  workerType?: 'module' | 'classic';
}

/**
 * A matrix kept in a worker client by `client.keep(A)`: pass it in place of a
 * matrix (any top-level argument) to that client's calls, so the matrix is
 * sent to the worker once instead of once per call. Only its shape is
 * visible. Created only by keep(); usable only with the client that made it.
 */
export declare class ResidentMatrix {
  #private; // nominal: a plain { rows, cols } is not a ResidentMatrix
  private constructor();
  readonly rows: number;
  readonly cols: number;
}

/** A matrix argument of a Client call: a matrix, or a token from that client's keep(). */
export type ClientMatrix = MatrixLike | ResidentMatrix;

/** Options of `Client.keep`. */
export interface KeepOptions {
  /**
   * Copy nothing on the calling thread: A.data's buffer is taken (detached for
   * the caller, as by postMessage's transfer; a view on part of a buffer, or
   * a non-Float64Array input, is copied as usual) and moved into the worker
   * with the first call that uses the token. The client keeps no copy, so if
   * that worker is stopped (an aborted call, a crash) the token is lost:
   * `holds()` turns false and calls with it reject EINVAL; keep() A again.
   */
  transfer?: boolean;
}

/** Counters of a client's resident matrices (a snapshot; see `Client.stats`). */
export interface ResidentStats {
  /** Tokens kept and not released. */
  readonly kept: number;
  /** Bytes of the client's copies of those matrices (a `{ transfer: true }` token's moved into its worker count 0). */
  readonly keptBytes: number;
  /** Kept matrices the current worker instance holds (0 after an abort killed it, until the next call uploads them). */
  readonly resident: number;
  /** Matrices sent to a worker so far (every worker instance of this client together). */
  readonly uploads: number;
  /** Bytes of those uploads. */
  readonly uploadedBytes: number;
}

/**
 * Progress events: `{phase: 'start'}` when the worker begins the call, `{phase: 'done', seconds}` when it ends;
 * decodeRun also sends `{phase: 'step', step}` after every decoding step (one entry per cache in step.steps).
 */
export type Progress = { phase: 'start' } | { phase: 'done'; seconds: number }
  | { phase: 'step'; step: { t: number; T: number; steps: sk.DecodeStep[] } };

export interface CallOptions {
  /**
   * Cancels the call: it rejects with an `AbortError` DOMException. A running
   * call is stopped by terminating the worker; a fresh one starts lazily for the
   * next call. A call still in the queue is simply dropped.
   */
  signal?: HostInstance<'AbortSignal'>;
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
  /** Call any API function by name with its positional arguments (a ResidentMatrix may stand for any matrix argument). */
  call(name: string, args?: unknown[], opts?: CallOptions): Promise<any>;
  /**
   * Keep a private copy of A for this client's calls and return its token. A
   * snapshot: later changes to A are not seen (keep() it again). Checks only
   * type (SketchlabError EINVAL) and shape (ESHAPE); NaN/Infinity are reported,
   * with their position, by the function called. Nothing is sent until the
   * first call that uses the token; the worker then keeps it (re-sent once
   * after the worker was restarted by an abort).
   */
  keep(A: MatrixLike, opts?: KeepOptions): ResidentMatrix;
  /**
   * True while calls can use the token: false once released, and for a
   * `{ transfer: true }` token once the worker holding its only copy was
   * stopped (an aborted call, a crash).
   */
  holds(token: ResidentMatrix): boolean;
  /**
   * Free the worker's and the client's copy. Calls made earlier still run;
   * later calls with the token reject with EINVAL. Releasing twice does
   * nothing; another client's token throws EINVAL.
   */
  release(token: ResidentMatrix): void;
  /** A snapshot of the resident-matrix counters. */
  readonly stats: ResidentStats;
  matmul(A: ClientMatrix, B: ClientMatrix, opts?: { transA?: boolean; transB?: boolean }, call?: CallOptions): Promise<Matrix>;
  qr(A: ClientMatrix, opts?: {}, call?: CallOptions): Promise<{ Q: Matrix; R: Matrix }>;
  cpqr(A: ClientMatrix, opts?: { rank?: number; tol?: number }, call?: CallOptions):
    Promise<{ Q: Matrix; R: Matrix; perm: Int32Array; rank: number; res2: number }>;
  lu(A: ClientMatrix, opts?: {}, call?: CallOptions): Promise<{ L: Matrix; U: Matrix; perm: Int32Array; singular: boolean }>;
  cholesky(A: ClientMatrix, opts?: { symTol?: number }, call?: CallOptions): Promise<{ L: Matrix }>;
  svd(A: ClientMatrix, opts?: { vectors?: boolean }, call?: CallOptions): Promise<{ U: Matrix | null; s: Float64Array; V: Matrix | null }>;
  eigh(A: ClientMatrix, opts?: { symTol?: number; vectors?: boolean }, call?: CallOptions): Promise<{ values: Float64Array; vectors: Matrix | null }>;
  randn(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }, call?: CallOptions): Promise<Matrix>;
  rand(rows: number, cols: number, seed?: number | bigint, opts?: { stream?: number }, call?: CallOptions): Promise<Matrix>;
  id(A: ClientMatrix, opts: IdOptions, call?: CallOptions): Promise<IdResult>;
  gallery(name: 'gmm' | 'exponential' | 'polynomial' | 'kahan' | 'smile' | 'robspiral', opts?: object, call?: CallOptions): Promise<Matrix | PointCloud>;
  cur(A: ClientMatrix, opts: Parameters<typeof sk.cur>[1], call?: CallOptions): Promise<ReturnType<typeof sk.cur>>;
  rpcholesky(K: ClientMatrix | KernelSpec, opts: Parameters<typeof sk.rpcholesky>[1], call?: CallOptions): Promise<ReturnType<typeof sk.rpcholesky>>;
  rsvd(A: ClientMatrix, opts: sk.RsvdOptions, call?: CallOptions): Promise<sk.RsvdResult>;
  canonicalAngles(Q1: ClientMatrix, Q2: ClientMatrix, opts?: { angles?: boolean }, call?: CallOptions): Promise<Float64Array | { sines: Float64Array; theta: Float64Array }>;
  exactAngles(spectrum: ArrayLike<number>, G: ClientMatrix, opts: Parameters<typeof sk.exactAngles>[2], call?: CallOptions): Promise<Float64Array>;
  angleBounds(opts: sk.AngleBoundsOptions, call?: CallOptions): Promise<sk.AngleBoundsResult>;
  planBudget(opts: Parameters<typeof sk.planBudget>[0], call?: CallOptions): Promise<ReturnType<typeof sk.planBudget>>;
  angleExperiment(opts: Parameters<typeof sk.angleExperiment>[0], call?: CallOptions): Promise<ReturnType<typeof sk.angleExperiment>>;
  budgetExperiment(opts: Parameters<typeof sk.budgetExperiment>[0], call?: CallOptions): Promise<ReturnType<typeof sk.budgetExperiment>>;
  softmaxRegression(A: ClientMatrix, b: ArrayLike<number>, w: ArrayLike<number>, opts?: sk.SoftmaxOptions, call?: CallOptions): Promise<sk.SoftmaxResult>;
  softmaxProblem(name: 'T1' | 'T2' | 'T3' | 'T4', opts?: Parameters<typeof sk.softmaxProblem>[1], call?: CallOptions): Promise<sk.SoftmaxProblem>;
  softmaxEval(A: ClientMatrix, b: ArrayLike<number>, w: ArrayLike<number>, x: ArrayLike<number>, opts?: { hessian?: boolean }, call?: CallOptions): Promise<ReturnType<typeof sk.softmaxEval>>;
  softmaxLeverage(A: ClientMatrix, opts?: Parameters<typeof sk.softmaxLeverage>[1], call?: CallOptions): Promise<Float64Array>;
  softmaxFiniteDifferences(A: ClientMatrix, b: ArrayLike<number>, w: ArrayLike<number>, x: ArrayLike<number>, opts?: { h?: number }, call?: CallOptions): Promise<ReturnType<typeof sk.softmaxFiniteDifferences>>;
  softmaxRegime(A: ClientMatrix, b: ArrayLike<number>, w: ArrayLike<number>, call?: CallOptions): Promise<sk.SoftmaxRegime>;
  tensorAttention(q: ArrayLike<number>, K1: ClientMatrix, K2: ClientMatrix, V1: ClientMatrix, V2: ClientMatrix, opts?: Parameters<typeof sk.tensorAttention>[5], call?: CallOptions): Promise<Float64Array>;
  attention(q: ArrayLike<number>, K: ClientMatrix, V: ClientMatrix, opts?: Parameters<typeof sk.attention>[3], call?: CallOptions): Promise<Float64Array>;
  indexGame(opts: Parameters<typeof sk.indexGame>[0], call?: CallOptions): Promise<ReturnType<typeof sk.indexGame>>;
  /** A whole decode (see decodeRun); per-step progress through call.onProgress ({ phase: 'step' }), cancel with call.signal. */
  decodeRun(opts: Omit<sk.DecodeRunOptions, 'onStep'> & { caches?: undefined }, call?: CallOptions): Promise<sk.DecodeRunResult>;
  decodeRun(opts: Omit<sk.DecodeRunOptions, 'onStep'> & { caches: { kind?: 'four' | 'two'; evaluation?: sk.TensorEvaluation }[] }, call?: CallOptions): Promise<{ runs: sk.DecodeRunResult[] }>;
  /** Many sampler trials; call in chunks for progress, cancel with call.signal. */
  samplerTrials(y: ArrayLike<number>, opts?: Parameters<typeof sk.samplerTrials>[1], call?: CallOptions): Promise<ReturnType<typeof sk.samplerTrials>>;
  samplerQuery(y: ArrayLike<number>, opts?: Parameters<typeof sk.samplerQuery>[1], call?: CallOptions): Promise<ReturnType<typeof sk.samplerQuery>>;
  attentionSettings(opts?: Parameters<typeof sk.attentionSettings>[0], call?: CallOptions): Promise<ReturnType<typeof sk.attentionSettings>>;
  attentionLive(opts?: Parameters<typeof sk.attentionLive>[0], call?: CallOptions): Promise<ReturnType<typeof sk.attentionLive>>;
  sketchComparison(x: ArrayLike<number>, opts?: Parameters<typeof sk.sketchComparison>[1], call?: CallOptions): Promise<ReturnType<typeof sk.sketchComparison>>;
  softmaxSample(logits: ArrayLike<number>, opts?: Parameters<typeof sk.softmaxSample>[1], call?: CallOptions): Promise<Int32Array>;
  disjointnessGame(opts?: Parameters<typeof sk.disjointnessGame>[0], call?: CallOptions): Promise<ReturnType<typeof sk.disjointnessGame>>;
  lemma62Game(opts: Parameters<typeof sk.lemma62Game>[0], call?: CallOptions): Promise<ReturnType<typeof sk.lemma62Game>>;
  version(call?: CallOptions): Promise<string>;
  memoryStats(call?: CallOptions): Promise<MemoryStats>;
  supports(name: string, call?: CallOptions): Promise<boolean>;
  /** Stop the worker. Pending calls reject with EWORKER; later calls too. Every kept matrix is dropped. */
  terminate(): void;
}

/** Start a worker (lazily restarted after an abort) and return its client. */
export function createClient(opts?: ClientOptions): Client;

export type { InitInfo };
