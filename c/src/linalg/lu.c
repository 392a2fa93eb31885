/*
 * lu.c — LU with partial pivoting (linalg.h: sk_dgetrf, sk_ipiv_to_perm).
 *
 * Blocked right-looking LU (LAPACK dgetrf; GVL §3.4.8): a panel of SK__LU_NB
 * columns is factored with partial pivoting, its row interchanges are applied
 * to the columns on both sides, the block row of U is obtained with sk_dtrsm
 * and the trailing matrix is updated with one sk_dgemm. No workspace is
 * needed, so SK_ENOMEM is never returned.
 *
 * The panel itself is factored recursively (Toledo, SIAM J. Matrix Anal.
 * Appl. 18(4), 1997; LAPACK dgetrf2): split its columns in two halves, factor
 * the left, update the right with a triangular solve and one gemm, factor the
 * right. For a tall, skinny panel (the randomized SVD's 2000×110 blocks) this
 * moves nearly all flops from rank-1 updates over the full height into
 * gemm. Below SK__LU_BASE columns the unblocked algorithm runs. The pivots are
 * those of partial pivoting as in LAPACK (largest |entry|, first on ties).
 */
#include <float.h>
#include <math.h>

#include "internal.h"
#include "prescale.h"

#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

#define SK__LU_NB 128
/* Panel width at or below which the unblocked algorithm runs. */
#define SK__LU_BASE 8

/* Interchange rows i and ipiv[i] (i = i0..i1−1) of the n columns of A (LAPACK dlaswp). */
static void sk__laswp(int n, double *A, int lda, int i0, int i1, const int *ipiv)
{
    for (int j = 0; j < n; j++) {
        double *a = A + (size_t)j * lda;
        for (int i = i0; i < i1; i++) {
            int p = ipiv[i];
            if (p != i) { double t = a[i]; a[i] = a[p]; a[p] = t; }
        }
    }
}

/*
 * Unblocked LU of the m×n panel (LAPACK dgetf2), ipiv local (0-based within
 * the panel). Returns the index of the first exactly-zero pivot, or −1.
 */
static int sk__getf2(int m, int n, double *A, int lda, int *ipiv)
{
    /* Below sfmin, 1/pivot overflows: divide instead of multiplying by the reciprocal. */
    const double sfmin = DBL_MIN;
    int info = -1;
    int k = SK__MIN(m, n);
    for (int j = 0; j < k; j++) {
        double *col = A + (size_t)j * lda;
        int p = j;
        double amax = fabs(col[j]);
        for (int i = j + 1; i < m; i++) {
            double a = fabs(col[i]);
            if (a > amax) { amax = a; p = i; }
        }
        ipiv[j] = p;
        if (col[p] != 0.0) {
            if (p != j)
                for (int c = 0; c < n; c++) {
                    double *a = A + (size_t)c * lda;
                    double t = a[j]; a[j] = a[p]; a[p] = t;
                }
            double d = col[j];
            if (fabs(d) >= sfmin) {
                double r = 1.0 / d;
                for (int i = j + 1; i < m; i++) col[i] *= r;
            } else {
                for (int i = j + 1; i < m; i++) col[i] /= d;
            }
        } else if (info < 0) {
            info = j;
        }
        /* Rank-1 update of the rest of the panel. */
        for (int c = j + 1; c < n; c++) {
            double *a = A + (size_t)c * lda;
            double t = a[j];
            if (t == 0.0) continue;
            for (int i = j + 1; i < m; i++) a[i] -= t * col[i];
        }
    }
    return info;
}

/*
 * Recursive LU of the m×n panel (m >= n), ipiv local. Returns the index of
 * the first exactly-zero pivot, or −1 (as sk__getf2).
 */
static int sk__getrf_rec(int m, int n, double *A, int lda, int *ipiv)
{
    if (n <= SK__LU_BASE) return sk__getf2(m, n, A, lda, ipiv);
    int n1 = n / 2, n2 = n - n1;
    double *A12 = A + (size_t)n1 * lda, *A21 = A + n1, *A22 = A12 + n1;
    int info = sk__getrf_rec(m, n1, A, lda, ipiv);
    /* [A12; A22] := P1 [A12; A22], A12 := L11⁻¹ A12, A22 −= A21 A12. */
    sk__laswp(n2, A12, lda, 0, n1, ipiv);
    sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_UNIT, n1, n2, 1.0, A, lda, A12, lda);
    sk_dgemm(SK_NOTRANS, SK_NOTRANS, m - n1, n2, n1, -1.0, A21, lda, A12, lda, 1.0, A22, lda);
    int info2 = sk__getrf_rec(m - n1, n2, A22, lda, ipiv + n1);
    if (info < 0 && info2 >= 0) info = n1 + info2;
    for (int i = n1; i < n; i++) ipiv[i] += n1;
    /* The right half's interchanges, on the left half's rows below n1. */
    sk__laswp(n1, A, lda, n1, n, ipiv);
    return info;
}

int sk_dgetrf(int m, int n, double *A, int lda, int *ipiv)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(n >= 0, 2);
    SK__CHECK(A || m == 0 || n == 0, 3);
    SK__CHECK(lda >= SK__MAX(1, m), 4);
    int mn = SK__MIN(m, n);
    SK__CHECK(ipiv || mn == 0, 5);
    if (mn == 0) return 0;

    /* Extreme scales: factor 2^-e·A exactly (partial pivoting is scale
     * invariant, so L and the pivots are those of A), then U := 2^e·U. */
    int e = sk__prescale_exponent(m, n, A, lda);
    if (e != 0) sk__scale_pow2_inplace(m, n, A, lda, -e);
    int first_zero = -1;
    for (int j = 0; j < mn; j += SK__LU_NB) {
        int jb = SK__MIN(SK__LU_NB, mn - j);
        double *Ajj = &SK__AT(A, lda, j, j);
        int info = m - j >= jb ? sk__getrf_rec(m - j, jb, Ajj, lda, ipiv + j)
                               : sk__getf2(m - j, jb, Ajj, lda, ipiv + j);
        if (info >= 0 && first_zero < 0) first_zero = j + info;
        for (int i = j; i < j + jb; i++) ipiv[i] += j;
        /* The panel's interchanges, on the columns to its left and right. */
        sk__laswp(j, A, lda, j, j + jb, ipiv);
        if (j + jb < n) {
            double *Aright = A + (size_t)(j + jb) * lda;
            sk__laswp(n - j - jb, Aright, lda, j, j + jb, ipiv);
            /* U12 := L11⁻¹ A12, then A22 −= L21 U12. */
            sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_UNIT, jb, n - j - jb, 1.0, Ajj, lda,
                     Aright + j, lda);
            if (j + jb < m)
                sk_dgemm(SK_NOTRANS, SK_NOTRANS, m - j - jb, n - j - jb, jb, -1.0, Ajj + jb, lda,
                         Aright + j, lda, 1.0, Aright + j + jb, lda);
        }
    }
    /* An entry of U beyond DBL_MAX cannot be returned: say so instead of ±Inf. */
    if (e != 0 && sk__scale_upper_pow2(n, mn, A, lda, e)) return SK_EINVAL;
    /* A U(i,i) of 2^-e·A that underflows to 0 in A's units (below 2^-1075)
     * is an exactly zero pivot of the factor returned: report it, as
     * LAPACK's INFO = i does for U(i,i) == 0. */
    for (int i = 0; e < 0 && first_zero < 0 && i < mn; i++)
        if (SK__AT(A, lda, i, i) == 0.0) first_zero = i;
    return first_zero >= 0 ? SK_ESINGULAR : 0;
}

int sk_ipiv_to_perm(int m, int k, const int *ipiv, int *perm)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(k >= 0 && k <= m, 2);
    SK__CHECK(ipiv || k == 0, 3);
    /* Any sequence of in-range interchanges is a permutation; reject only out-of-range rows. */
    for (int i = 0; i < k; i++) SK__CHECK(ipiv[i] >= 0 && ipiv[i] < m, 3);
    SK__CHECK(perm || m == 0, 4);
    for (int i = 0; i < m; i++) perm[i] = i;
    for (int i = 0; i < k; i++) {
        int p = ipiv[i];
        int t = perm[i]; perm[i] = perm[p]; perm[p] = t;
    }
    return 0;
}
