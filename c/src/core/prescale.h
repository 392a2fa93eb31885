/*
 * prescale.h — exact power-of-two prescaling, one rule for the whole library
 * (issue 9): a matrix whose largest |entry| is outside 2^±SK__PRESCALE_SAFE_EXP
 * is worked on as 2^-e·A (largest entry in [1/2, 1)). A power-of-two scale is
 * exact, so pivots, reflectors, L and skeletons are bit for bit those of A's
 * scaled copy; R, U, singular values and residual masses then go back to A's
 * units. Used by the factorizations (qr.c, lu.c, cpqr.c), the column ID and
 * CUR (lowrank/) and rsvd (svd/). Private.
 */
#ifndef SKETCHLAB_CORE_PRESCALE_H
#define SKETCHLAB_CORE_PRESCALE_H

#include <float.h>
#include <math.h>
#include <stddef.h>

/* Inside 2^±256, squares, sums of m·n squares and residual masses down to
 * eps²·||A||² all stay normal doubles. */
#define SK__PRESCALE_SAFE_EXP 256

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
    return e <= SK__PRESCALE_SAFE_EXP && e >= -SK__PRESCALE_SAFE_EXP ? 0 : e;
}

/* B := 2^e·A (m×n; B may be A). 2^e is applied as two factors, each a normal
 * double for |e| <= 2100, so the product is exact or (for a subnormal result)
 * correctly rounded once. Returns 1 when some result overflowed, else 0. */
static inline int sk__scale_pow2(int m, int n, const double *A, int lda, int e, double *B, int ldb)
{
    int e1 = e / 2, e2 = e - e1, bad = 0;
    double f1 = ldexp(1.0, e1), f2 = ldexp(1.0, e2);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double b = (A[(size_t)j * lda + i] * f1) * f2;
            B[(size_t)j * ldb + i] = b;
            bad |= !isfinite(b);
        }
    return bad;
}

/* A := 2^e·A in place; returns 1 when some entry overflowed. */
static inline int sk__scale_pow2_inplace(int m, int n, double *A, int lda, int e)
{
    return sk__scale_pow2(m, n, A, lda, e, A, lda);
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
