/*
 * syrk.c — sk_dsyrk (linalg.h): C := alpha op(A) op(A)ᵀ + beta C on one
 * triangle of C, with op(A) = A (NOTRANS, n×k) or Aᵀ (TRANS, A k×n).
 *
 * Recursive blocking: with op(A) split by rows into A1 (n1 rows) and A2,
 *
 *   C11 := syrk(A1),  C22 := syrk(A2),  C21 := alpha A2 A1ᵀ + beta C21 (gemm)
 *
 * (C12 for the upper triangle), so the off-diagonal blocks — all but
 * O(n·BASE·k) of the flops — go through sk__gemm in a few large calls. A
 * diagonal block of order <= BASE is computed in full by gemm into a small
 * buffer, of which only the wanted triangle is added to C (twice the flops of
 * that block, but at gemm speed and without touching the other triangle).
 */
#include "kernels.h"

/* Order of the diagonal blocks done through the buffer. */
#define SK__SYRK_BASE 32

static int sk__split(int n)
{
    int h = (n / 2 + 3) / 4 * 4;
    return h < n ? h : n / 2;
}

/* Rows r.. of op(A) as stored: rows of A (NOTRANS) or columns (TRANS). */
static const double *sk__rows(sk_trans_t trans, const double *A, int lda, int r)
{
    return trans == SK_NOTRANS ? A + r : A + (size_t)r * lda;
}

/* Diagonal block without a buffer (allocation failed): dot products. */
static void sk__syrk_loops(sk_uplo_t uplo, sk_trans_t trans, int n, int k, double alpha,
                           const double *A, int lda, double beta, double *C, int ldc)
{
    for (int j = 0; j < n; j++) {
        int i0 = uplo == SK_UPPER ? 0 : j, i1 = uplo == SK_UPPER ? j + 1 : n;
        for (int i = i0; i < i1; i++) {
            double s = 0.0;
            for (int p = 0; p < k; p++)
                s += trans == SK_TRANS ? SK__AT(A, lda, p, i) * SK__AT(A, lda, p, j)
                                       : SK__AT(A, lda, i, p) * SK__AT(A, lda, j, p);
            double *c = &SK__AT(C, ldc, i, j);
            *c = (beta == 0.0 ? 0.0 : beta * *c) + alpha * s;
        }
    }
}

static void sk__syrk_rec(sk_uplo_t uplo, sk_trans_t trans, int n, int k, double alpha,
                         const double *A, int lda, double beta, double *C, int ldc, double *buf)
{
    sk_trans_t other = trans == SK_NOTRANS ? SK_TRANS : SK_NOTRANS;
    if (n <= SK__SYRK_BASE) {
        if (!buf) {
            sk__syrk_loops(uplo, trans, n, k, alpha, A, lda, beta, C, ldc);
            return;
        }
        sk__gemm(trans, other, n, n, k, alpha, A, lda, A, lda, 0.0, buf, n);
        for (int j = 0; j < n; j++) {
            int i0 = uplo == SK_UPPER ? 0 : j, i1 = uplo == SK_UPPER ? j + 1 : n;
            double *c = C + (size_t)j * ldc;
            const double *t = buf + (size_t)j * n;
            if (beta == 0.0) for (int i = i0; i < i1; i++) c[i] = t[i];
            else for (int i = i0; i < i1; i++) c[i] = beta * c[i] + t[i];
        }
        return;
    }
    int n1 = sk__split(n), n2 = n - n1;
    const double *A2 = sk__rows(trans, A, lda, n1);
    sk__syrk_rec(uplo, trans, n1, k, alpha, A, lda, beta, C, ldc, buf);
    if (uplo == SK_LOWER)
        sk__gemm(trans, other, n2, n1, k, alpha, A2, lda, A, lda, beta, C + n1, ldc);
    else
        sk__gemm(trans, other, n1, n2, k, alpha, A, lda, A2, lda, beta, C + (size_t)n1 * ldc, ldc);
    sk__syrk_rec(uplo, trans, n2, k, alpha, A2, lda, beta, C + n1 + (size_t)n1 * ldc, ldc, buf);
}

int sk_dsyrk(sk_uplo_t uplo, sk_trans_t trans, int n, int k, double alpha,
             const double *A, int lda, double beta, double *C, int ldc)
{
    SK__CHECK(uplo == SK_UPPER || uplo == SK_LOWER, 1);
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 2);
    SK__CHECK(n >= 0, 3); SK__CHECK(k >= 0, 4);
    int arows = trans == SK_NOTRANS ? n : k;
    SK__CHECK(A || n == 0 || k == 0, 6); SK__CHECK(lda >= SK__MAX(1, arows), 7);
    SK__CHECK(C || n == 0, 9); SK__CHECK(ldc >= SK__MAX(1, n), 10);
    if (n == 0) return 0;
    if (k == 0 || alpha == 0.0) {
        /* C := beta C on the triangle only; A is not read. */
        for (int j = 0; j < n; j++) {
            int i0 = uplo == SK_UPPER ? 0 : j, i1 = uplo == SK_UPPER ? j + 1 : n;
            sk__scale_matrix(i1 - i0, 1, beta, C + i0 + (size_t)j * ldc, ldc);
        }
        return 0;
    }
    /* A failed allocation only costs speed (the loops above), never the call. */
    double *buf = sk__alloc_doubles(SK__SYRK_BASE, SK__SYRK_BASE);
    sk__syrk_rec(uplo, trans, n, k, alpha, A, lda, beta, C, ldc, buf);
    SK_FREE(buf);
    return 0;
}
