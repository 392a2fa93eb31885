// Types of the stream module (wasm/stream.js): sketches of turnstile streams,
// the ℓ2 precision sampler, the attention and tensor samplers, softmax sampling
// and the lower-bound games. Re-exported from index.d.ts.
import type { MatrixLike } from './index.js';

/**
 * 'poly': polynomials over 2^61 − 1 (CountSketch: 2-wise buckets, 4-wise signs).
 * 'fast': CountSketch and Count-Min hash each row by one 64-bit multiply-add-shift
 * (2-wise buckets and signs; updates about 2× faster than 'poly' natively, 3× in wasm SIMD); the other
 * structures use splitmix64. States saved by sketchlab 0.1 in 'fast' mode do not load.
 */
export type HashMode = 'poly' | 'fast';

/** A handle on C state: free it with dispose() (or `using`); use after dispose throws EDISPOSED. */
export interface StreamHandle {
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface CountSketch extends StreamHandle {
  readonly buckets: number;
  readonly rows: number;
  readonly hash: HashMode;
  /**
   * x_i += delta; or a batch (one wasm call). Indices >= 0, deltas finite.
   * EINVAL (sketch unchanged) if a counter would overflow past ±DBL_MAX.
   */
  update(i: number, delta: number): this;
  update(indices: Int32Array, deltas: Float64Array): this;
  /** median_r s_r(i)·C[r][h_r(i)] */
  estimate(i: number): number;
  estimateAll(n: number): Float64Array;
  /** median over rows of Σ_c C[r][c]² */
  f2(): number;
  heavy(n: number, k: number): { indices: Int32Array; values: Float64Array };
  /** this += other; EMISMATCH unless buckets, rows, hash and seed agree; EINVAL if a sum would overflow. */
  merge(other: CountSketch): this;
  /** R×b counters, row-major. */
  table(): Float64Array;
  /** Header ("SKCS", version), shape, seed, counters, checksum. */
  serialize(): Uint8Array;
  readonly bytes: number;
  readonly bits: number;
}
export function countSketch(opts?: { buckets?: number; rows?: number; seed?: number | bigint; hash?: HashMode }): CountSketch;
/** EFORMAT for truncated, corrupted or other-version bytes. */
export function deserializeSketch(bytes: Uint8Array): CountSketch;

export interface AmsSketch extends StreamHandle {
  /**
   * x_i += delta; or a batch (one wasm call). EINVAL (sketch unchanged) if a counter would reach
   * 2^500 ≈ 3.3e150, beyond which the F2 estimate could overflow: scale the deltas down.
   */
  update(i: number, delta: number): this;
  update(indices: Int32Array, deltas: Float64Array): this;
  f2(): number;
  readonly bytes: number;
  readonly bits: number;
}
export function amsSketch(opts?: { s1?: number; s2?: number; seed?: number | bigint; hash?: HashMode }): AmsSketch;

/**
 * Count-Min (Cormode–Muthukrishnan 2005): C[r][h_r(i)] += Δ, no signs; row r's
 * bucket hash is CountSketch's for the same seed and hash mode.
 */
export interface CountMin extends StreamHandle {
  readonly buckets: number;
  readonly rows: number;
  readonly hash: HashMode;
  update(i: number, delta: number): this;
  update(indices: Int32Array, deltas: Float64Array): this;
  /** 'min' (default; x >= 0: never below x_i, above x_i + e‖x‖₁/b w.p. <= e^-R) or 'median' (signed streams); any key update() takes, O(rows). */
  estimate(i: number, rule?: 'min' | 'median'): number;
  estimateAll(n: number, rule?: 'min' | 'median'): Float64Array;
  /** min over rows of Σ_c C[r][c]²: >= F2 for x >= 0, bias ≈ (‖x‖₁² − F2)/b. */
  f2(): number;
  /** R×b counters, row-major. */
  table(): Float64Array;
  readonly bytes: number;
  readonly bits: number;
}
export function countMin(opts?: { buckets?: number; rows?: number; seed?: number | bigint; hash?: HashMode }): CountMin;

export interface SketchBudgetResult {
  counters: number; buckets: number; rows: number;
  bytes: { cs: number; cm: number; ams: number };
  /** medians over seeds: RMS and max |x̂_i − x_i|, |F̂2/F2 − 1| (|F̂2| when x = 0) */
  countSketch: { rms: number; max: number; f2RelErr: number };
  countMin: { rms: number; max: number; f2RelErr: number; rule: 'min' | 'median' };
  ams: { f2RelErr: number };
}
/** CountSketch, Count-Min and AMS at equal counter budgets (R rows of ⌊M/R⌋ counters each) on one vector. */
export function sketchComparison(x: ArrayLike<number>, opts?: { budgets?: number[]; rows?: number; seeds?: number; seed?: number | bigint; hash?: HashMode }): {
  budgets: SketchBudgetResult[]; n: number; norm: number; l1: number; f2: number; seeds: number; countMinRule: 'min' | 'median';
};

/** The glass-box record of one query (the accepting repetition, or the last one). */
export interface SampleRecord {
  index: number;                 // −1 if every repetition failed
  value: number | null;          // ŷ = ẑ·√u (exact oracles: y)
  fail: null | 'tail' | 'threshold';
  rep: number; istar: number; u: number; zhat: number;
  r: number;                     // ≈ ‖y‖₂
  s: number;                     // tail estimate (exact oracle: how many passed; race oracle: NaN, as tailLimit/peakLimit)
  tailLimit: number; peakLimit: number;
  tried: number; failsTail: number; failsThreshold: number;
}

export interface SamplerOptions {
  eps?: number;                  // in (0, 1), default 0.25
  buckets?: number; rows?: number; heavy?: number; repetitions?: number;
  thresholds?: 'jst' | 'paper';
  seed?: number | bigint;
}

export interface L2Sampler extends StreamHandle {
  readonly n: number;
  /**
   * y_i += delta; or a batch (one wasm call). EINVAL (sampler unchanged) if a stored number (a
   * counter of CSz = y/√u or CSy, or y itself for the exact oracles) would reach 2^400 ≈ 2.6e120,
   * beyond which the query's squared norms could overflow: scale y down.
   */
  update(i: number, delta: number): this;
  update(indices: Int32Array, deltas: Float64Array): this;
  sample(): SampleRecord;
  inspect(rep?: number): { u: Float64Array; zhat: Float64Array };
  table(rep?: number): { z: Float64Array; y: Float64Array };
  readonly bytes: number;
  readonly bits: number;
}
export function l2Sampler(opts: SamplerOptions & { n: number; oracle?: 'sketch' | 'exact' | 'race'; hash?: HashMode }): L2Sampler;

/** Many trials on a fixed y, seeds seed, seed+1, ... (for workers). */
export function samplerTrials(y: ArrayLike<number>, opts?: SamplerOptions & { trials?: number; oracle?: 'sketch' | 'exact' | 'race'; hash?: HashMode }): {
  counts: Float64Array; trials: number; accepted: number; failTail: number; failThreshold: number; meanValueRelErr: number /* NaN if accepted = 0 */;
};

export interface AttentionStats {
  words: number; bytes: number; bits: number;
  lastCounterUpdates: number; totalCounterUpdates: number;
  updatesA: number; updatesX: number; queryFlops: number;
}
/**
 * Range (extreme scale): every number the sampler stores — the counters of y = A·x's sketches (setting 'A'),
 * or the sketches ΦA, ΨA and x (settings 'x', 'both') — stays below 2^228 (about 4.3e68) in magnitude, so
 * that its squared norms never overflow. An initial A or x beyond it throws EINVAL at creation; an update that
 * would cross it throws EINVAL and leaves the state unchanged; deserializeAttention throws EFORMAT for bytes
 * holding such numbers.
 */
export interface AttentionSampler extends StreamHandle {
  readonly setting: 'A' | 'x' | 'both';
  readonly n: number; readonly d: number;
  /** A_ij += delta; EINVAL (state unchanged) beyond the range above. */
  updateA(i: number, j: number, delta: number): this;
  /** x_j += delta; EINVAL (state unchanged) beyond the range above. */
  updateX(j: number, delta: number): this;
  sample(): SampleRecord;
  /**
   * State size, and the counter updates and operations made through this handle: a copy from
   * deserializeAttention() holds the same state but counts its own operations from 0.
   */
  stats(): AttentionStats;
  table(rep?: number): { z: Float64Array; y: Float64Array };
  serialize(): Uint8Array;
  readonly bytes: number;
}
/**
 * Setting 'A' keeps x fixed (pass x; A optional, its initial value), 'x' keeps A fixed (pass A; x optional),
 * 'both' streams both (pass n and d, or A and/or x for the initial state). n and d, when given with A or x, must agree with them.
 */
export function attentionSampler(opts: SamplerOptions & {
  setting: 'A' | 'x' | 'both'; A?: MatrixLike; x?: ArrayLike<number>; n?: number; d?: number; hash?: HashMode;
}): AttentionSampler;
type LiveSetting = AttentionStats & { perOp: Array<number | null>; index: number; fail: null | 'tail' | 'threshold' };
/** The three settings driven by one op log ('a' = update A, 'x' = update x, 'b' = both); null where a setting refuses the op. */
export function attentionLive(opts?: SamplerOptions & { ops?: string; n?: number; d?: number }): {
  ops: string; n: number; d: number;
  settings: { A: LiveSetting; x: LiveSetting; both: LiveSetting };
  last: null | { kind: 'a' | 'x' | 'b'; a: { i: number; j: number; delta: number } | null; x: { j: number; delta: number } | null };
};
export function deserializeAttention(bytes: Uint8Array): AttentionSampler;

/**
 * Range (extreme scale): every number the tensor sampler stores — A2, X, A2·Xᵀ, the sketches of A1 and A2 and
 * the counters — stays below 2^140 (about 1.4e42) in magnitude, so that its norms and the FFT table never
 * overflow. A2 or X beyond it throws EINVAL at creation; an update that would cross it throws EINVAL and leaves
 * the state unchanged.
 */
export interface TensorSampler extends StreamHandle {
  readonly n: number; readonly d: number;
  /** A1[i][j] += delta; EINVAL (state unchanged) beyond the range above. */
  update(i: number, j: number, delta: number): this;
  sample(): SampleRecord & { pair: [number, number] | null };
  table(rep?: number): { z: Float64Array; y: Float64Array };
  fftSketch(): { table: Float64Array; f2: number };
  readonly bytes: number;
}
/** A2 n×d with n <= 46340 (n² pairs fit in 32 bits) and d <= 4096, X d×d; heavy <= n², repetitions <= 1024. */
export function tensorSampler(opts: SamplerOptions & { A2: MatrixLike; X: MatrixLike }): TensorSampler;

export function softmaxSample(logits: ArrayLike<number>, opts?: { method?: 'inverse' | 'gumbel' | 'alias'; draws?: number; seed?: number | bigint; stream?: number }): Int32Array;

export function disjointnessGame(opts?: { n?: number; k?: number; L?: number; buckets?: number; rows?: number; hash?: HashMode; trials?: number; seed?: number | bigint }):
  { hits: number; trials: number; rate: number; messageBits: number };
export function lemma62Game(opts: { v: ArrayLike<number>; i?: number; eps?: number; buckets?: number; rows?: number; repetitions?: number; seed?: number | bigint }):
  { index: number; bit: 0 | 1 | null; messageBits: number };

/** One query on a fixed y with the glass-box data of the answering repetition. */
export function samplerQuery(y: ArrayLike<number>, opts?: SamplerOptions & { oracle?: 'sketch' | 'exact' | 'race'; hash?: HashMode }):
  { record: SampleRecord; u: Float64Array; zhat: Float64Array; bytes: number };
type SettingResult = AttentionStats & { perUpdateA: number | null; perUpdateX: number | null; index: number };
/** The three settings of §1.4 on one random instance, each driven to (A, x). */
export function attentionSettings(opts?: SamplerOptions & { n?: number; d?: number }):
  { reference: number; A: SettingResult; x: SettingResult; both: SettingResult };
