/*
 * mathfn.h — private, deterministic elementary functions for the RNG.
 *
 * Box–Muller needs log, sin and cos. The platform libm cannot be used: glibc
 * (native) and musl (the wasm build) round differently in the last bit, and
 * the Gaussian stream must be bit-identical on both. These kernels use only
 * +, -, *, / (each correctly rounded by IEEE 754 on every target), bit-level
 * exponent extraction and exact constants written as hex literals, so the
 * same input gives the same bits everywhere — provided the compiler neither
 * contracts a*b+c into an FMA (the build uses -ffp-contract=off) nor
 * evaluates in excess precision (x86-64 SSE2 and wasm both use plain binary64).
 *
 * Not part of the public API (sk__ prefix).
 */
#ifndef SKETCHLAB_MATHFN_H
#define SKETCHLAB_MATHFN_H

/*
 * sk__log — natural logarithm.
 *   [in] x  0 < x < +inf; the RNG only passes x in (0, 1), but any positive
 *           finite x (subnormals included) is handled.
 * Returns log(x), within 1 ulp of the exact value (the test measures the
 * maximum error against a long-double reference). x == 0 gives -inf; x < 0
 * or NaN gives NaN, so misuse is visible rather than silently wrong.
 */
double sk__log(double x);

/*
 * sk__sincos_2pi — sin(2πu) and cos(2πu) together.
 *   [in]  u  0 <= u <= 1 (the RNG passes u in (0, 1)).
 *   [out] s  sin(2πu), not NULL.
 *   [out] c  cos(2πu), not NULL.
 * Taking the turn fraction u instead of the angle 2πu lets the range reduction
 * be exact: u − n/4 is computed without rounding, so there is no large-argument
 * error, and values near the zeros of sin/cos keep full relative accuracy.
 * Both results are within 1 ulp of the exact values.
 */
void sk__sincos_2pi(double u, double *s, double *c);

/*
 * Batch forms, for the Gaussian generator: y[i] = sk__log(x[i]) and
 * (s[i], c[i]) = sk__sincos_2pi(u[i]) for i < n, bit for bit the same values
 * as the scalar functions (same operations on the same operands; only the
 * branches are replaced by selects so that the loops vectorize and
 * independent evaluations overlap). Outputs must not alias inputs.
 */
void sk__log_n(int n, const double *x, double *y);
void sk__sincos_2pi_n(int n, const double *u, double *s, double *c);

#endif /* SKETCHLAB_MATHFN_H */
