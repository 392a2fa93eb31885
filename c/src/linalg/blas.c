/*
 * blas.c — reference (unblocked) gemm, gemv, trsm and syrk (linalg.h).
 * Correct for every transpose/side/uplo case; the cache-blocked versions
 * replace these behind the same tests.
 */
#include "internal.h"

/* Argument checks shared by the kernels: returns 0 or -(index). */
#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

static void sk__scale_matrix(int m, int n, double beta, double *C, int ldc)
{
    for (int j = 0; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        if (beta == 0.0) for (int i = 0; i < m; i++) c[i] = 0.0;
        else if (beta != 1.0) for (int i = 0; i < m; i++) c[i] *= beta;
    }
}

int sk_dgemm(sk_trans_t transa, sk_trans_t transb, int m, int n, int k,
             double alpha, const double *A, int lda, const double *B, int ldb,
             double beta, double *C, int ldc)
{
    int arows = transa == SK_NOTRANS ? m : k, brows = transb == SK_NOTRANS ? k : n;
    SK__CHECK(transa == SK_NOTRANS || transa == SK_TRANS, 1);
    SK__CHECK(transb == SK_NOTRANS || transb == SK_TRANS, 2);
    SK__CHECK(m >= 0, 3); SK__CHECK(n >= 0, 4); SK__CHECK(k >= 0, 5);
    SK__CHECK(A || m == 0 || k == 0 || n == 0, 7); SK__CHECK(lda >= SK__MAX(1, arows), 8);
    SK__CHECK(B || m == 0 || k == 0 || n == 0, 9); SK__CHECK(ldb >= SK__MAX(1, brows), 10);
    SK__CHECK(C || m == 0 || n == 0, 12); SK__CHECK(ldc >= SK__MAX(1, m), 13);
    if (m == 0 || n == 0) return 0;
    sk__scale_matrix(m, n, beta, C, ldc);
    if (k == 0 || alpha == 0.0) return 0;
    for (int j = 0; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        for (int p = 0; p < k; p++) {
            double b = alpha * (transb == SK_NOTRANS ? SK__AT(B, ldb, p, j) : SK__AT(B, ldb, j, p));
            if (transa == SK_NOTRANS) {
                const double *a = A + (size_t)p * lda;
                for (int i = 0; i < m; i++) c[i] += a[i] * b;
            } else {
                for (int i = 0; i < m; i++) c[i] += SK__AT(A, lda, p, i) * b;
            }
        }
    }
    return 0;
}

int sk_dgemv(sk_trans_t trans, int m, int n, double alpha, const double *A,
             int lda, const double *x, double beta, double *y)
{
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 1);
    SK__CHECK(m >= 0, 2); SK__CHECK(n >= 0, 3);
    SK__CHECK(A || m == 0 || n == 0, 5); SK__CHECK(lda >= SK__MAX(1, m), 6);
    int xlen = trans == SK_NOTRANS ? n : m, ylen = trans == SK_NOTRANS ? m : n;
    SK__CHECK(x || xlen == 0, 7); SK__CHECK(y || ylen == 0, 9);
    if (ylen == 0) return 0;
    sk__scale_matrix(ylen, 1, beta, y, ylen);
    if (xlen == 0 || alpha == 0.0) return 0;
    if (trans == SK_NOTRANS) {
        for (int j = 0; j < n; j++) {
            const double *a = A + (size_t)j * lda;
            double t = alpha * x[j];
            for (int i = 0; i < m; i++) y[i] += a[i] * t;
        }
    } else {
        for (int j = 0; j < n; j++) {
            const double *a = A + (size_t)j * lda;
            double s = 0.0;
            for (int i = 0; i < m; i++) s += a[i] * x[i];
            y[j] += alpha * s;
        }
    }
    return 0;
}

/* T(i,j) of op(T): element (i,j) of T or of Tᵀ. */
#define OPT(i, j) (trans == SK_NOTRANS ? SK__AT(T, ldt, i, j) : SK__AT(T, ldt, j, i))

int sk_dtrsm(sk_side_t side, sk_uplo_t uplo, sk_trans_t trans, sk_diag_t diag,
             int m, int n, double alpha, const double *T, int ldt, double *B,
             int ldb)
{
    SK__CHECK(side == SK_LEFT || side == SK_RIGHT, 1);
    SK__CHECK(uplo == SK_UPPER || uplo == SK_LOWER, 2);
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 3);
    SK__CHECK(diag == SK_NONUNIT || diag == SK_UNIT, 4);
    SK__CHECK(m >= 0, 5); SK__CHECK(n >= 0, 6);
    int order = side == SK_LEFT ? m : n;
    SK__CHECK(T || m == 0 || n == 0, 8); SK__CHECK(ldt >= SK__MAX(1, order), 9);
    SK__CHECK(B || m == 0 || n == 0, 10); SK__CHECK(ldb >= SK__MAX(1, m), 11);
    if (m == 0 || n == 0) return 0;
    sk__scale_matrix(m, n, alpha, B, ldb);
    /* op(T) is lower triangular iff (uplo == LOWER) xor (trans == TRANS). */
    int oplower = (uplo == SK_LOWER) != (trans == SK_TRANS);
    if (side == SK_LEFT) {
        /* Solve op(T) X = B column by column. */
        for (int j = 0; j < n; j++) {
            double *b = B + (size_t)j * ldb;
            if (oplower) {
                for (int i = 0; i < m; i++) {
                    double s = b[i];
                    for (int p = 0; p < i; p++) s -= OPT(i, p) * b[p];
                    b[i] = diag == SK_UNIT ? s : s / OPT(i, i);
                }
            } else {
                for (int i = m - 1; i >= 0; i--) {
                    double s = b[i];
                    for (int p = i + 1; p < m; p++) s -= OPT(i, p) * b[p];
                    b[i] = diag == SK_UNIT ? s : s / OPT(i, i);
                }
            }
        }
    } else {
        /* Solve X op(T) = B: column j of X from x_j op(T)(j,j) = b_j − Σ_{p≠j} x_p op(T)(p,j). */
        if (oplower) {
            for (int j = n - 1; j >= 0; j--) {
                double *b = B + (size_t)j * ldb;
                for (int p = j + 1; p < n; p++) {
                    double t = OPT(p, j);
                    const double *x = B + (size_t)p * ldb;
                    for (int i = 0; i < m; i++) b[i] -= x[i] * t;
                }
                if (diag != SK_UNIT) { double d = OPT(j, j); for (int i = 0; i < m; i++) b[i] /= d; }
            }
        } else {
            for (int j = 0; j < n; j++) {
                double *b = B + (size_t)j * ldb;
                for (int p = 0; p < j; p++) {
                    double t = OPT(p, j);
                    const double *x = B + (size_t)p * ldb;
                    for (int i = 0; i < m; i++) b[i] -= x[i] * t;
                }
                if (diag != SK_UNIT) { double d = OPT(j, j); for (int i = 0; i < m; i++) b[i] /= d; }
            }
        }
    }
    return 0;
}
#undef OPT

int sk_dsyrk(sk_uplo_t uplo, sk_trans_t trans, int n, int k, double alpha,
             const double *A, int lda, double beta, double *C, int ldc)
{
    SK__CHECK(uplo == SK_UPPER || uplo == SK_LOWER, 1);
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 2);
    SK__CHECK(n >= 0, 3); SK__CHECK(k >= 0, 4);
    int arows = trans == SK_NOTRANS ? n : k;
    SK__CHECK(A || n == 0 || k == 0, 6); SK__CHECK(lda >= SK__MAX(1, arows), 7);
    SK__CHECK(C || n == 0, 9); SK__CHECK(ldc >= SK__MAX(1, n), 10);
    for (int j = 0; j < n; j++) {
        int i0 = uplo == SK_UPPER ? 0 : j, i1 = uplo == SK_UPPER ? j + 1 : n;
        for (int i = i0; i < i1; i++) {
            double s = 0.0;
            if (alpha != 0.0)
                for (int p = 0; p < k; p++)
                    s += trans == SK_TRANS ? SK__AT(A, lda, p, i) * SK__AT(A, lda, p, j)
                                           : SK__AT(A, lda, i, p) * SK__AT(A, lda, j, p);
            double *c = &SK__AT(C, ldc, i, j);
            *c = (beta == 0.0 ? 0.0 : beta * *c) + alpha * s;
        }
    }
    return 0;
}
