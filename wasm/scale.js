// Power-of-two prescaling for matrices of extreme scale (issue 9 part 2).
//
// A matrix whose largest |entry| is outside [2^-256, 2^256] (and whose ‖A‖_F²
// is outside [2^-400, 2^400], so that the unscaled run may have lost digits)
// is copied into wasm as 2^-e·A with its largest entry in [1/2, 1): a power-of-two scale is exact,
// so pivots and interpolation matrices are bit for bit those of A, and every
// squared norm and residual mass computed from the copy is a normal double.
// Relative quantities are read off the scaled run unchanged; absolute ones are
// scaled back with ldexp (Infinity or 0 only where the true value is not a
// double). The rule is the C library's own (sk_id_cols, id_internal.h), so the
// native build sees the same scaled matrix and parity holds bit for bit.

/** Exponent bound of the safe window (SK__ID_SAFE_EXP in c/src/lowrank/id_internal.h). */
export const SAFE_EXP = 256;

/**
 * True when a reported ‖A‖_F² (in A's units) may have lost digits or
 * over/underflowed: then the caller runs again on the prescaled copy. Inside
 * [2^-400, 2^400] every quantity derived from it (relative residuals, traces,
 * curves) is exact to rounding, so the common case pays no extra pass over A.
 */
export function outsideSafe(anorm2) {
  return !(anorm2 >= 2 ** -400 && anorm2 <= 2 ** 400);
}

/** x·2^n, exact unless the result over/underflows (then rounded as one product). */
export function ldexp(x, n) {
  if (x === 0 || !Number.isFinite(x) || n === 0) return x;
  // Two or three factors, each a normal power of two (|step| <= 1000).
  while (n > 1000) { x *= 2 ** 1000; n -= 1000; }
  while (n < -1000) { x *= 2 ** -1000; n += 1000; }
  return x * 2 ** n;
}

/** e with 2^(e-1) <= a < 2^e (C's frexp exponent) for a finite a > 0. */
export function frexpExponent(a) {
  let e = Math.floor(Math.log2(a)) + 1;
  while (a >= ldexp(1, e)) e++;
  while (a < ldexp(1, e - 1)) e--;
  return e;
}

/**
 * The exponent e of the prescale 2^-e for data (0 when none is needed); with
 * even = true, data is an n×n PSD matrix: e comes from its largest diagonal
 * entry and is rounded up to an even number (F must scale exactly by 2^(e/2)).
 */
export function prescaleExponent(data, even = false, n = 0) {
  let amax = 0;
  if (even) { // n×n PSD: entries are bounded by the diagonal (sk_rpchol's rule)
    for (let i = 0; i < n; i++) amax = Math.max(amax, Math.abs(data[i + i * n]));
  } else {
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]);
      if (a > amax) amax = a;
    }
  }
  if (!(amax > 0) || !Number.isFinite(amax)) return 0;
  let e = frexpExponent(amax);
  if (e >= -SAFE_EXP && e <= SAFE_EXP) return 0;
  if (even && e % 2 !== 0) e += 1;
  return e;
}

/** data·2^-e as a new Float64Array (data itself when e = 0). */
export function scaledData(data, e) {
  if (e === 0) return data;
  const out = new Float64Array(data.length);
  // The C library's split (sk__scale_pow2): two normal factors, one rounding.
  const e1 = Math.trunc(-e / 2), e2 = -e - e1;
  const f1 = 2 ** e1, f2 = 2 ** e2;
  for (let i = 0; i < data.length; i++) out[i] = (data[i] * f1) * f2;
  return out;
}
