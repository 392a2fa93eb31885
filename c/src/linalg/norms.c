/* norms.c — finiteness test, overflow-safe 2-norm and matrix norms (linalg.h). */
#include <math.h>

#include "internal.h"
#include "kernels.h"

int sk_all_finite(int m, int n, const double *A, int lda)
{
    if (m <= 0 || n <= 0) return 1;
    if (!A || lda < m) return 0;
    for (int j = 0; j < n; j++) {
        const double *col = A + (size_t)j * lda;
        /* x - x is 0 for finite x and NaN for Inf/NaN; summing keeps the loop
         * branch-free. Four independent two-lane accumulators, so the loop is
         * bound by loads, not by the latency of one chain of additions. */
        sk__v2 a0 = sk__v2_splat(0.0), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            sk__v2 x0 = sk__v2_load(col + i), x1 = sk__v2_load(col + i + 2);
            sk__v2 x2 = sk__v2_load(col + i + 4), x3 = sk__v2_load(col + i + 6);
            a0 = sk__v2_add(a0, sk__v2_sub(x0, x0));
            a1 = sk__v2_add(a1, sk__v2_sub(x1, x1));
            a2 = sk__v2_add(a2, sk__v2_sub(x2, x2));
            a3 = sk__v2_add(a3, sk__v2_sub(x3, x3));
        }
        sk__v2 s = sk__v2_add(sk__v2_add(a0, a1), sk__v2_add(a2, a3));
        double acc = sk__v2_lo(s) + sk__v2_hi(s);
        for (; i < m; i++) acc += col[i] - col[i];
        if (acc != 0.0) return 0;
    }
    return 1;
}

double sk__colnorm2_amax(int m, int n, const double *A, int lda, double *colnorm2)
{
    sk__v2 amax = sk__v2_splat(0.0);
    double tmax = 0.0; /* over the rows past the last multiple of 4 */
    for (int j = 0; j < n; j++) {
        const double *col = A + (size_t)j * lda;
        /* lanes {s0, s1}, {s2, s3}: s_r sums the squares of rows i ≡ r (mod 4) */
        sk__v2 s01 = sk__v2_splat(0.0), s23 = s01, m01 = s01, m23 = s01;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            sk__v2 a01 = sk__v2_abs(sk__v2_load(col + i)), a23 = sk__v2_abs(sk__v2_load(col + i + 2));
            s01 = sk__v2_add(s01, sk__v2_mul(a01, a01));
            s23 = sk__v2_add(s23, sk__v2_mul(a23, a23));
            m01 = sk__v2_max(a01, m01);
            m23 = sk__v2_max(a23, m23);
        }
        double s0 = sk__v2_lo(s01);
        for (; i < m; i++) {
            double a = fabs(col[i]);
            s0 += a * a;
            tmax = a > tmax ? a : tmax;
        }
        colnorm2[j] = (s0 + sk__v2_hi(s01)) + (sk__v2_lo(s23) + sk__v2_hi(s23));
        amax = sk__v2_max(sk__v2_max(m01, m23), amax);
    }
    double lo = sk__v2_lo(amax), hi = sk__v2_hi(amax);
    lo = hi > lo ? hi : lo;
    return tmax > lo ? tmax : lo;
}

/*
 * Scaled sum of squares (LAPACK dlassq, one pass): keeps scale = max |x_i| seen
 * so far and ssq with x_i/scale, so neither overflow nor underflow occurs.
 */
static void sk__lassq(int n, const double *x, int incx, double *scale, double *ssq)
{
    for (int i = 0; i < n; i++) {
        double a = fabs(x[(size_t)i * incx]);
        if (a == 0.0) continue;
        if (*scale < a) {
            double r = *scale / a;
            *ssq = 1.0 + *ssq * r * r;
            *scale = a;
        } else {
            double r = a / *scale;
            *ssq += r * r;
        }
    }
}

double sk_dnrm2(int n, const double *x, int incx)
{
    if (n <= 0 || !x || incx < 1) return 0.0;
    double scale = 0.0, ssq = 1.0;
    sk__lassq(n, x, incx, &scale, &ssq);
    return scale * sqrt(ssq);
}

double sk_dlange(char norm, int m, int n, const double *A, int lda)
{
    if (m < 0 || n < 0 || (m > 0 && n > 0 && (!A || lda < m))) return -1.0;
    if (norm != 'F' && norm != 'f' && norm != 'M' && norm != 'm' && norm != '1' &&
        norm != 'O' && norm != 'o' && norm != 'I' && norm != 'i')
        return -1.0;
    if (m == 0 || n == 0) return 0.0;
    double value = 0.0;
    switch (norm) {
    case 'F': case 'f': {
        double scale = 0.0, ssq = 1.0;
        for (int j = 0; j < n; j++) sk__lassq(m, A + (size_t)j * lda, 1, &scale, &ssq);
        return scale * sqrt(ssq);
    }
    case 'M': case 'm':
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) {
                double a = fabs(SK__AT(A, lda, i, j));
                if (a > value || isnan(a)) value = a;
            }
        return value;
    case '1': case 'O': case 'o':
        for (int j = 0; j < n; j++) {
            double sum = 0.0;
            for (int i = 0; i < m; i++) sum += fabs(SK__AT(A, lda, i, j));
            if (sum > value || isnan(sum)) value = sum;
        }
        return value;
    default: { /* 'I' */
        double *rowsum = sk__alloc_doubles(m, 1);
        if (!rowsum) { /* fall back to an O(1)-memory double loop */
            for (int i = 0; i < m; i++) {
                double sum = 0.0;
                for (int j = 0; j < n; j++) sum += fabs(SK__AT(A, lda, i, j));
                if (sum > value || isnan(sum)) value = sum;
            }
            return value;
        }
        for (int i = 0; i < m; i++) rowsum[i] = 0.0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) rowsum[i] += fabs(SK__AT(A, lda, i, j));
        for (int i = 0; i < m; i++)
            if (rowsum[i] > value || isnan(rowsum[i])) value = rowsum[i];
        SK_FREE(rowsum);
        return value;
    }
    }
}
