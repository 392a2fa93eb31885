/*
 * prescale.h — exact power-of-two prescaling for the factorizations (issue 9):
 * a matrix whose largest |entry| is outside [2^-256, 2^256] is factored as
 * 2^-e·A (largest entry in [1/2, 1)), which is exact, so pivots, reflectors
 * and L are bit for bit those of A's scaled copy; then R or U go back to A's
 * units. The rule is that of sk_id_cols (lowrank/id_internal.h). Private.
 */
#ifndef SKETCHLAB_LINALG_PRESCALE_H
#define SKETCHLAB_LINALG_PRESCALE_H

#include <float.h>
#include <math.h>

#include "internal.h"

/* The exponent e of the prescale 2^-e (0 when max|a_ij| is in 2^±256, zero or not finite). */
static inline int sk__prescale_exponent(int m, int n, const double *A, int lda)
{
    double amax = 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double a = fabs(A[(size_t)j * lda + i]);
            amax = a > amax ? a : amax;
        }
    int e = 0;
    if (amax > 0.0 && amax <= DBL_MAX) (void)frexp(amax, &e);
    return e <= 256 && e >= -256 ? 0 : e;
}

/* A := 2^e·A (m×n), in two normal factors (exact unless a result is subnormal);
 * returns 1 when some result overflowed (is not finite), else 0. */
static inline int sk__scale_pow2_inplace(int m, int n, double *A, int lda, int e)
{
    int e1 = e / 2, e2 = e - e1, bad = 0;
    double f1 = ldexp(1.0, e1), f2 = ldexp(1.0, e2);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double *a = &A[(size_t)j * lda + i];
            *a = (*a * f1) * f2;
            bad |= !isfinite(*a);
        }
    return bad;
}

/* The upper trapezoid (rows 0..min(j, k−1) of column j; R of QR, U of LU) := 2^e·itself;
 * returns 1 when some entry overflowed. */
static inline int sk__scale_upper_pow2(int n, int k, double *A, int lda, int e)
{
    int bad = 0;
    for (int j = 0; j < n; j++)
        bad |= sk__scale_pow2_inplace(j < k ? j + 1 : k, 1, A + (size_t)j * lda, lda, e);
    return bad;
}

#endif
