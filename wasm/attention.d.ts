// Type declarations for the attention module (wasm/attention.js; c/include/sketchlab/attention.h).
import type { MatrixLike } from './index.js';

/** A vector of d numbers: an array or a typed array (copied in, never modified). */
export type VectorLike = ArrayLike<number>;
/** One token (a vector of d entries) or a batch of tokens (a count×d matrix, one token per row). */
export type TokensLike = VectorLike | MatrixLike;
/** Logit scale: a number, or a preset: 'raw' (1), 'alman-song' (1/d), 'simplicial' (1/√d). */
export type AttentionScale = number | 'raw' | 'alman-song' | 'alman_song' | 'simplicial';
/** Evaluations of one tensor query (all agree to rounding; costs in attention.h). */
export type TensorEvaluation = 'two-cache' | 'naive' | 'factored' | 'streaming';

/**
 * Tensor attention of one query: logits scale·⟨q, K1[a] ∘ K2[b]⟩ over all n² pairs,
 * out_j = Σ_ab P_ab V1[a,j] V2[b,j]. K1, K2, V1, V2 are n×d. Returns d entries.
 * 'two-cache' and 'naive' materialise 2n²d numbers; 'factored' uses n² + nd, 'streaming' O(n + d).
 * Range (tensorAttention, tensor KVCache.query, SubGen.query): when finite inputs give a result beyond
 * Number.MAX_VALUE — a logit (tensor: scale·q·(k1∘k2)), a product k1∘k2 or v1∘v2, or the output — it throws
 * EINVAL (scale q, K or V down); never ±Infinity or NaN. Standard attention (attention(), a 'standard'
 * KVCache) is scale safe instead: logits beyond the range give the exact softmax (one-hot on the max set).
 */
export function tensorAttention(q: VectorLike, K1: MatrixLike, K2: MatrixLike, V1: MatrixLike, V2: MatrixLike,
  opts?: { evaluation?: TensorEvaluation; scale?: AttentionScale }): Float64Array;

/** Standard attention of one query: Vᵀ softmax(scale·K q). Scale safe: logits beyond Number.MAX_VALUE give the
 *  exact softmax (one-hot on the max set), values whose weighted sum would overflow the exact mean. */
export function attention(q: VectorLike, K: MatrixLike, V: MatrixLike, opts?: { scale?: AttentionScale }): Float64Array;

/** Counters of a cache (spec §2.2/§2.4), exact integers. */
export interface KVCacheStats {
  tokens: number;
  /** Words (doubles) held: 4td (four), 2t²d (two), 2td (standard); t → min(t, window). */
  words: number;
  bytes: number;
  bits: number;
  /** Two-cache only: the 4td factor words it keeps to form new pairs (not in `words`). */
  auxWords: number;
  /** Words written by the last token's append: 4d (four), 2(2t−1)d products (two), 2d (standard). */
  appendOps: number;
  /** Multiply-adds of the last query: factored/streaming 2t²d + 2td, naive 4t²d, two-cache 2t²d. */
  queryOps: number;
  /** Working memory (words) of the last query. */
  workWords: number;
  totalAppendOps: number;
  totalQueryOps: number;
}

/** A KV cache that grows one token at a time. Dispose it (or `using`). */
export interface KVCache extends Disposable {
  readonly kind: 'four' | 'two' | 'standard';
  readonly d: number;
  readonly window: number | null;
  readonly disposed: boolean;
  /** Tensor caches: append(k1, k2, v1, v2); standard: append(k, v). One token or a batch (one wasm call). */
  append(...tokens: TokensLike[]): this;
  /** Four-cache: 'factored' (default), 'naive', 'streaming'; two-cache: 'two-cache'. EINVAL beyond the double range for
   *  tensor caches (see tensorAttention); a standard cache is scale safe like attention(). */
  query(q: VectorLike, opts?: { evaluation?: TensorEvaluation }): Float64Array;
  stats(): KVCacheStats;
  dispose(): void;
}

export function kvCache(opts: {
  kind?: 'four' | 'two' | 'standard';
  d: number;
  /** Causal sliding window (>= 1); omit for no window. */
  window?: number | null;
  scale?: AttentionScale;
  /** Tokens to reserve up front (the cache grows by doubling beyond). */
  capacity?: number;
}): KVCache;

/** SubGen state (greedy δ-clusters, t uniform key slots each, s value samples ∝ ‖v‖²). */
export interface SubGen extends Disposable {
  readonly d: number;
  readonly disposed: boolean;
  /** true for the tensor SubGen4Cache (product sampling, our construction). */
  readonly tensor: boolean;
  /** append(k, v); the tensor variant takes append(k1, k2, v1, v2). */
  append(...tokens: TokensLike[]): this;
  /** N̂/Ẑ (scale folded into q); the tensor variant over all pairs. EINVAL beyond the double range (see tensorAttention). */
  query(q: VectorLike): Float64Array;
  /** words = m(t+1)d + m + s(2d+1) + 1 with m clusters. */
  stats(): { tokens: number; clusters: number; words: number; bytes: number; bits: number };
  dispose(): void;
}

/**
 * SubGen2Cache (the paper's construction): SubGen on the two-cache's pair tokens
 * (k1_a ∘ k2_b, v1_a ∘ v2_b); each token streams its 2t−1 new pairs in shell order.
 */
export interface SubGen2 extends Disposable {
  readonly d: number;
  readonly disposed: boolean;
  readonly tensor: 'pairs';
  /** append(k1, k2, v1, v2): one token (vectors) or a batch (count×d matrices). */
  append(k1: TokensLike, k2: TokensLike, v1: TokensLike, v2: TokensLike): this;
  /** N̂/Ẑ over all pairs (scale folded into q). */
  query(q: VectorLike): Float64Array;
  /**
   * words = m(t+1)d + m + s(2d+1) + 1 (the SubGen state over m pair clusters);
   * auxWords = 4Td factor rows kept to form new pairs; appendOps = 2(2t−1)d for token t.
   */
  stats(): { tokens: number; pairs: number; clusters: number; words: number; bytes: number; bits: number; auxWords: number; appendOps: number };
  dispose(): void;
}

/**
 * SubGen state. tensor: true / 'product' = SubGen4Cache (product sampling, our construction);
 * 'pairs' = SubGen2Cache (the paper's, SubGen on pair tokens).
 */
export function subgen(opts: { d: number; delta: number; t: number; s: number; seed?: number | bigint; tensor: 'pairs' }): SubGen2;
export function subgen(opts: { d: number; delta: number; t: number; s: number; seed?: number | bigint; tensor?: boolean | 'product' }): SubGen;

export type IndexCache =
  | 'exact' | 'four' | 'two'
  | { kind: 'evict'; budget: number }
  | { kind: 'window'; size: number }
  | { kind: 'subgen'; delta: number; t: number; s: number }
  /** The tensor four-cache lift through SubGen4Cache (product sampling, our construction) or SubGen2Cache (pairs). */
  | { kind: 'subgen4' | 'subgen2'; delta: number; t: number; s: number };

export interface IndexGameResult {
  /** Fraction of Alice's N bits Bob recovers. */
  accuracy: number;
  /** Size of the message (the cache state after Alice), in bits. */
  stateBits: number;
  /** N·(1 − H₂(1 − accuracy)): no message can be smaller at this accuracy. */
  fanoBits: number;
  /** max |out − bit| over Bob's reads. */
  maxError: number;
  N: number;
  bits: Uint8Array;
  recovered: Uint8Array;
}

/** The Index game (spec §3.3/§3.4). bits: N = n·d (n²·d for 'two'), row-major; random from seed if omitted. */
export function indexGame(opts: { n: number; d: number; C?: number; cache?: IndexCache; seed?: number | bigint; bits?: Uint8Array }): IndexGameResult;

/** One decoding step's counters and time for one cache (decodeRun's onStep). */
export interface DecodeStep { ms: number; words: number; queryOps: number; appendOps: number; workWords: number }
/** Per-step arrays of a whole decode through one cache. */
export interface DecodeRunResult { ms: Float64Array; words: Float64Array; queryOps: Float64Array; appendOps: Float64Array; workWords: Float64Array; out: Float64Array }
export interface DecodeRunOptions {
  kind?: 'four' | 'two'; evaluation?: TensorEvaluation; d: number; T: number;
  seed?: number | bigint; scale?: AttentionScale;
  /** Causal sliding window of every cache (>= 1); omit (or null) for none. */
  window?: number | null;
  /** Called after every step t = 1..T with one entry per cache (through the worker client: progress events { phase: 'step', step }). */
  onStep?: (step: { t: number; T: number; steps: DecodeStep[] }) => void;
}
/** A whole decode of T random tokens through a cache: per-step time (ms) and counters. */
export function decodeRun(opts: DecodeRunOptions & { caches?: undefined }): DecodeRunResult;
/** The same decode through several caches side by side (the same tokens, step by step). */
export function decodeRun(opts: DecodeRunOptions & { caches: { kind?: 'four' | 'two'; evaluation?: TensorEvaluation }[] }): { runs: DecodeRunResult[] };
