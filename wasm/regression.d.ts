// Type declarations for the softmax-regression API (hand-written; see regression.js,
// c/include/sketchlab/regression.h and specs/softmax_regression.md).
import type { Matrix, MatrixLike } from './index.js';

export type SoftmaxMethod = 'newton' | 'sampled' | 'frozen' | 'gd';
export type SoftmaxLeverageKind = 'exact' | 'sketch' | 'uniform';
/** Why an iteration stopped ('running' only on a live solver). */
export type SoftmaxReason = 'running' | 'converged' | 'maxIter' | 'nonDescent' | 'dNotPositive' | 'diverged';

export interface SoftmaxOptions {
  /** 'newton' (exact Hessian), 'sampled' (SUBSAMPLE, §8), 'frozen' (AᵀW²A), 'gd' (η = 1/λ_max). Default 'newton'. */
  method?: SoftmaxMethod;
  /** PD shift (μ = |λ_min| + 1e-3 λ_max when H̃ is not PD) and Armijo backtracking (spec §10 T4). Default false. */
  safeguard?: boolean;
  /** SUBSAMPLE accuracy ε in (0, 1), default 0.5; s = ceil(oversample·d·ln(d/δ)/ε²) draws. */
  eps?: number;
  /** SUBSAMPLE failure probability δ in (0, 1), default 0.01. */
  delta?: number;
  /** Seed of the Philox stream (sampled, sketched scores). Default 0. */
  seed?: number | bigint;
  /** Iteration cap, default 50. */
  maxIter?: number;
  /** Stop when the Newton decrement (or ‖∇L‖ with stopOn 'gradient') is <= tol; default 1e-10; 0 runs to maxIter. */
  tol?: number;
  /** Sampling probabilities of 'sampled': leverage scores of √D·A, exact (QR) or sketched, or uniform. Default 'exact'. */
  leverage?: SoftmaxLeverageKind;
  /** Add the exact rank-2 part of the Hessian to the sampled one (default true; false = thesis Alg. 1 as printed). */
  rankTwo?: boolean;
  /** Starting point, d entries (default 0). */
  x0?: ArrayLike<number>;
  stopOn?: 'decrement' | 'gradient';
  /** GD step (default 1/λ_max(∇²L(x0))). */
  eta?: number;
  /** The constant C of the number of draws (default 1). */
  oversample?: number;
  /** Record the eigenvalue range of H^-½ H̃ H^-½ each step (costs an exact Hessian). */
  eigRange?: boolean;
  /** x + H̃⁻¹g, the thesis's printed (wrong) update sign: for teaching; it ascends. */
  printedSign?: boolean;
  /** Leverage scores of W·A computed once (valid in the theorem regime, §8.4). */
  leverageOnce?: boolean;
}

/** One iteration (history[0] is the starting point). */
export interface SoftmaxRecord {
  loss: number;
  gradNorm: number;
  /** sqrt(gᵀH̃⁻¹g) of the step that led here (GD: sqrt(η)‖g‖); 0 at t = 0. */
  decrement: number;
  /** Distinct rows in D̃ (sampled), n (newton), 0 otherwise. */
  rows: number;
  /** Eigenvalue range of H^-½H̃H^-½ (NaN unless eigRange). */
  eigMin: number;
  eigMax: number;
  /** Step length t (Armijo), or η for GD. */
  step: number;
  /** PD shift μ added to H̃ (0 if none). */
  shift: number;
  /** Cumulative measured seconds of the C steps. */
  seconds: number;
  /** The iterate (only with { iterates: true }). */
  x?: Float64Array;
  /** With { samples: true } and method 'sampled': the step's probabilities p, D̃ and sampled row indices. */
  p?: Float64Array;
  dtilde?: Float64Array;
  sampled?: Int32Array;
}

export interface SoftmaxRegime {
  sigmaMin: number; normA: number; minW2: number;
  /** (min w² − 100)·σ_min²: the largest l with w_i² >= 100 + l/σ_min² (theorem regime iff > 0);
   *  ±Infinity when its magnitude is beyond Number.MAX_VALUE (σ_min above ~1e154); the sign is right. */
  lMax: number;
  b1: number;
  holds: boolean;
}

export interface SoftmaxResult {
  x: Float64Array;
  iterations: number;
  reason: Exclude<SoftmaxReason, 'running'>;
  history: SoftmaxRecord[];
  /** With { regime: true }. */
  regime: SoftmaxRegime | null;
}

/**
 * Minimize L(x) = ½‖softmax(Ax) − b‖² + ½‖diag(w)Ax‖² with the corrected formulas of spec §3–§4.
 * A is n×d (n >= d except for 'gd'); b and w have n entries.
 * Extreme scale: when the loss or gradient at x0 is beyond Number.MAX_VALUE (the loss grows like
 * ‖w∘A·x0‖², the gradient like |A|²·|x0|) this throws EINVAL (scale A or x0 down); a later step
 * whose loss or gradient overflows ends with reason 'diverged' and +Infinity in its record; a
 * Hessian beyond the range is ENOTPD ("not finite").
 */
export function softmaxRegression(A: MatrixLike, b: ArrayLike<number>, w: ArrayLike<number>,
  opts?: SoftmaxOptions & { iterates?: boolean; samples?: boolean; regime?: boolean }): SoftmaxResult;

/** A step-wise solver; holds wasm memory until dispose(). Calls after dispose() throw EDISPOSED. */
export interface SoftmaxSolver {
  readonly method: SoftmaxMethod;
  readonly disposed: boolean;
  step(): { iteration: number; reason: SoftmaxReason; x: Float64Array; record: SoftmaxRecord };
  state(): { iteration: number; reason: SoftmaxReason; x: Float64Array; record: SoftmaxRecord };
  /** The last SUBSAMPLE: probabilities p, D̃, and the sampled row indices. */
  sample(): { p: Float64Array; dtilde: Float64Array; rows: Int32Array };
  dispose(): void;
  [Symbol.dispose](): void;
}
/** As softmaxRegression (including its extreme-scale EINVAL at x0), one step at a time. */
export function softmaxSolver(A: MatrixLike, b: ArrayLike<number>, w: ArrayLike<number>, opts?: SoftmaxOptions): SoftmaxSolver;

export interface SoftmaxProblem { A: Matrix; b: Float64Array; w: Float64Array; x0: Float64Array }
/** A problem by the recipe of T1–T4 (spec §10) from our Philox stream; param: T2 coherence, T3 w², T4 w. */
export function softmaxProblem(name: 'T1' | 'T2' | 'T3' | 'T4', opts?: { n?: number; d?: number; seed?: number | bigint; param?: number }): SoftmaxProblem;

/** Loss, gradient and (optionally) exact Hessian at x. Throws EINVAL when one of them has a value
 *  beyond Number.MAX_VALUE (extreme scale: scale A or x down), never returns ±Infinity or NaN. */
export function softmaxEval(A: MatrixLike, b: ArrayLike<number>, w: ArrayLike<number>, x: ArrayLike<number>,
  opts?: { hessian?: boolean }): { loss: number; gradient: Float64Array; hessian: Matrix | null };

/** The derivative check in one call (spec §11–§12): loss, gradient and Hessian at x, and their central
 *  differences with step h (default 1e-5): gradientFD[j] = (L(x+h·e_j) − L(x−h·e_j))/2h, column j of
 *  hessianFD = (∇L(x+h·e_j) − ∇L(x−h·e_j))/2h, not symmetrized. Cost: one Hessian and 2d gradients.
 *  Throws EINVAL for h not finite and > 0, for x[j] ± h not finite, and as softmaxEval at any of the points. */
export function softmaxFiniteDifferences(A: MatrixLike, b: ArrayLike<number>, w: ArrayLike<number>, x: ArrayLike<number>,
  opts?: { h?: number }): { loss: number; gradient: Float64Array; hessian: Matrix; gradientFD: Float64Array; hessianFD: Matrix };

/** Leverage scores of diag(√D)·A (scale invariant: any finite scale of A or D gives the same scores). */
export function softmaxLeverage(A: MatrixLike, opts?: { kind?: SoftmaxLeverageKind; D?: ArrayLike<number>; seed?: number | bigint }): Float64Array;

/** The theorem-regime check of spec §5/§9. */
export function softmaxRegime(A: MatrixLike, b: ArrayLike<number>, w: ArrayLike<number>): SoftmaxRegime;
