/*
 * test_blas.c — sk_dgemm, sk_dgemv, sk_dtrsm, sk_dsyrk against OpenBLAS CBLAS.
 *
 * Every case compares with the reference elementwise under the standard
 * rounding-error bound for an inner product of length k (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2nd ed., §3.5):
 *     |C − C_ref| <= c·(k+2)·eps·(|alpha|·|op(A)||op(B)| + |beta|·|C0|),
 * with c = 10 because both results carry their own rounding error. trsm is
 * checked by the backward error of the solve plus a forward comparison (the
 * triangular matrices are made well conditioned so the forward error is small).
 *
 * The padding rows of every operand (lda > rows) and the unreferenced triangle
 * of T and C are filled with NaN, so an implementation that reads outside the
 * documented part shows up as NaN in the result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "sketchlab.h"
#include "testutil.h"

#define NAN_FILL (nan(""))

static const int SIZES[] = { 1, 7, 33, 130, 257 };
#define NSIZES ((int)(sizeof SIZES / sizeof SIZES[0]))

/* (alpha, beta) pairs cycled over the size triples. beta = 0 gets NaN in C. */
static const double AB[][2] = { { 1.0, 0.0 }, { -0.7, 1.0 }, { 2.5, -0.3 }, { 0.0, 0.5 },
                                { 1.0, 1.0 }, { -1.0, 0.0 } };
#define NAB ((int)(sizeof AB / sizeof AB[0]))

/* rows×cols Gaussian matrix stored with leading dimension ld >= rows; the
 * padding rows are NaN. */
static double *padded_randn(int rows, int cols, int ld, int seed)
{
    double *A = tu_randn(ld, cols, seed);
    for (int j = 0; j < cols; j++)
        for (int i = rows; i < ld; i++) A[(size_t)j * ld + i] = NAN_FILL;
    return A;
}

/* Copy of rows×cols with ld, entries replaced by their absolute values, ld kept. */
static double *abs_copy(int rows, int cols, const double *A, int ld)
{
    double *B = tu_zeros(ld, cols);
    for (int j = 0; j < cols; j++)
        for (int i = 0; i < rows; i++) B[(size_t)j * ld + i] = fabs(A[(size_t)j * ld + i]);
    return B;
}

static enum CBLAS_TRANSPOSE cb_trans(sk_trans_t t) { return t == SK_NOTRANS ? CblasNoTrans : CblasTrans; }

/*
 * Elementwise check |C − R| <= tol·W + tiny for an m×n block, W = |α||A||B| +
 * |β||C| and tol = 10·(k + 2)·eps: the componentwise error bound of a dot
 * product of length k, γ_k·|A||B| (Higham Thm 3.5), for both C and the
 * OpenBLAS reference R, with a margin of 5; NaN anywhere fails (the
 * comparison is written so NaN is false). Returns 1 on success and reports
 * the first failure; the worst |C − R|/bound goes to tu_assert_within.
 */
static int check_elementwise(const char *what, int m, int n, const double *C, int ldc,
                             const double *R, int ldr, const double *W, int ldw, double tol)
{
    double worst = 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double c = C[(size_t)j * ldc + i], r = R[(size_t)j * ldr + i];
            double bound = tol * W[(size_t)j * ldw + i] + 1e-300;
            if (!(fabs(c - r) <= bound)) {
                print_error("%s: mismatch at (%d,%d) of %dx%d: got %.17g want %.17g (bound %.3g)\n",
                            what, i, j, m, n, c, r, bound);
                return 0;
            }
            worst = fmax(worst, fabs(c - r) / bound);
        }
    tu_assert_within(worst, 1.0, "%s: max |C - R| / (10 (k+2) eps |A||B|)", what);
    return 1;
}

/* ------------------------------------------------------------------ gemm */

/*
 * One gemm case: C is m×n with ldc = m + cpad, op(A) m×k, op(B) k×n with
 * their leading dimensions padded by apad/bpad.
 */
static void gemm_case(sk_trans_t ta, sk_trans_t tb, int m, int n, int k, double alpha,
                      double beta, int apad, int bpad, int cpad, int seed)
{
    int arows = ta == SK_NOTRANS ? m : k, acols = ta == SK_NOTRANS ? k : m;
    int brows = tb == SK_NOTRANS ? k : n, bcols = tb == SK_NOTRANS ? n : k;
    int lda = (arows > 0 ? arows : 1) + apad, ldb = (brows > 0 ? brows : 1) + bpad;
    int ldc = (m > 0 ? m : 1) + cpad;
    double *A = padded_randn(arows, acols, lda, seed);
    double *B = padded_randn(brows, bcols, ldb, seed + 1);
    double *C0 = padded_randn(m, n, ldc, seed + 2);
    if (beta == 0.0) /* must be overwritten without being read */
        for (size_t i = 0; i < (size_t)ldc * n; i++) C0[i] = NAN_FILL;
    double *C = tu_copy(ldc, n, C0, ldc);

    /* Reference from a clean C (zero when beta = 0) and the weight matrix. */
    double *R = tu_zeros(m, n), *W = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double c0 = beta == 0.0 ? 0.0 : C0[(size_t)j * ldc + i];
            R[(size_t)j * m + i] = c0;
            W[(size_t)j * m + i] = fabs(beta) * fabs(c0);
        }
    double *Aa = abs_copy(arows, acols, A, lda), *Ba = abs_copy(brows, bcols, B, ldb);
    if (m > 0 && n > 0) {
        cblas_dgemm(CblasColMajor, cb_trans(ta), cb_trans(tb), m, n, k, alpha, A, lda, B, ldb,
                    beta, R, m);
        cblas_dgemm(CblasColMajor, cb_trans(ta), cb_trans(tb), m, n, k, fabs(alpha), Aa, lda,
                    Ba, ldb, 1.0, W, m);
    }

    int st = sk_dgemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    assert_int_equal(st, 0);
    char what[128];
    snprintf(what, sizeof what, "gemm %c%c m=%d n=%d k=%d alpha=%g beta=%g lda=%d ldb=%d ldc=%d",
             ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, beta, lda, ldb, ldc);
    assert_true(check_elementwise(what, m, n, C, ldc, R, m, W, m, 10.0 * (k + 2) * TU_EPS));
    /* The padding rows of C are untouched (bitwise, NaN included). */
    for (int j = 0; j < n; j++)
        assert_memory_equal(C + (size_t)j * ldc + m, C0 + (size_t)j * ldc + m,
                            (size_t)(ldc - m) * sizeof(double));
    free(A); free(B); free(C0); free(C); free(R); free(W); free(Aa); free(Ba);
}

/* All size triples from SIZES for one transpose pair, alpha/beta cycling. */
static void gemm_all_sizes(sk_trans_t ta, sk_trans_t tb)
{
    int idx = 0;
    for (int a = 0; a < NSIZES; a++)
        for (int b = 0; b < NSIZES; b++)
            for (int c = 0; c < NSIZES; c++, idx++) {
                const double *ab = AB[idx % NAB];
                int pad = idx % 3 == 0 ? 0 : idx % 5 + 1;
                gemm_case(ta, tb, SIZES[a], SIZES[b], SIZES[c], ab[0], ab[1], pad, (pad + 2) % 4,
                          pad % 2 * 3, 100 + idx);
            }
}

static void test_gemm_nn(void **state) { (void)state; gemm_all_sizes(SK_NOTRANS, SK_NOTRANS); }
static void test_gemm_nt(void **state) { (void)state; gemm_all_sizes(SK_NOTRANS, SK_TRANS); }
static void test_gemm_tn(void **state) { (void)state; gemm_all_sizes(SK_TRANS, SK_NOTRANS); }
static void test_gemm_tt(void **state) { (void)state; gemm_all_sizes(SK_TRANS, SK_TRANS); }

/* Sizes that cross several cache blocks in every dimension, and micro-tile edges. */
static void test_gemm_large_blocks(void **state)
{
    (void)state;
    for (int t = 0; t < 4; t++) {
        sk_trans_t ta = t & 1 ? SK_TRANS : SK_NOTRANS, tb = t & 2 ? SK_TRANS : SK_NOTRANS;
        gemm_case(ta, tb, 533, 419, 611, 0.75, t == 0 ? 0.0 : -1.25, 5, 1, 2, 900 + t);
    }
    /* Every small m, n around the register tile to exercise edge tiles. */
    for (int m = 1; m <= 13; m++)
        for (int n = 1; n <= 9; n++)
            gemm_case(m % 2 ? SK_TRANS : SK_NOTRANS, n % 3 ? SK_NOTRANS : SK_TRANS, m, n,
                      (m * n) % 11 + 1, 1.5, n % 2 ? 0.0 : 0.5, 1, 0, 2, 2000 + m * 16 + n);
}

/* beta = 0: NaN/Inf in C never propagate, also when alpha = 0 or k = 0. */
static void test_gemm_beta0_nan(void **state)
{
    (void)state;
    gemm_case(SK_NOTRANS, SK_NOTRANS, 33, 7, 130, 1.0, 0.0, 0, 0, 0, 7);
    gemm_case(SK_TRANS, SK_TRANS, 130, 33, 7, -2.0, 0.0, 1, 1, 1, 8);
    gemm_case(SK_NOTRANS, SK_TRANS, 7, 33, 0, 1.0, 0.0, 0, 0, 3, 9);
    gemm_case(SK_TRANS, SK_NOTRANS, 33, 33, 33, 0.0, 0.0, 0, 0, 0, 10);
    /* alpha = 0 must not read A or B (they may hold NaN), as BLAS. */
    double A[4] = { NAN_FILL, NAN_FILL, NAN_FILL, NAN_FILL }, C[4] = { 1, 2, 3, 4 };
    assert_int_equal(sk_dgemm(SK_NOTRANS, SK_NOTRANS, 2, 2, 2, 0.0, A, 2, A, 2, 2.0, C, 2), 0);
    for (int i = 0; i < 4; i++) assert_true(C[i] == 2.0 * (i + 1));
}

static void test_gemm_empty(void **state)
{
    (void)state;
    /* m = 0 or n = 0: nothing is touched, NULL pointers allowed. */
    assert_int_equal(sk_dgemm(SK_NOTRANS, SK_NOTRANS, 0, 5, 3, 1.0, NULL, 1, NULL, 3, 0.0, NULL, 1), 0);
    assert_int_equal(sk_dgemm(SK_TRANS, SK_NOTRANS, 4, 0, 3, 1.0, NULL, 3, NULL, 3, 0.0, NULL, 4), 0);
    /* k = 0: C := beta C, A and B may be NULL. */
    double C[6] = { 1, 2, 3, 4, 5, 6 };
    assert_int_equal(sk_dgemm(SK_NOTRANS, SK_NOTRANS, 3, 2, 0, 1.0, NULL, 3, NULL, 1, 2.0, C, 3), 0);
    for (int i = 0; i < 6; i++) assert_true(C[i] == 2.0 * (i + 1));
    for (int i = 0; i < 6; i++) C[i] = NAN_FILL;
    assert_int_equal(sk_dgemm(SK_TRANS, SK_TRANS, 3, 2, 0, 1.0, NULL, 1, NULL, 2, 0.0, C, 3), 0);
    for (int i = 0; i < 6; i++) assert_true(C[i] == 0.0);
}

static void test_gemm_invalid(void **state)
{
    (void)state;
    double A[16] = { 0 }, B[16] = { 0 }, C[16] = { 0 };
    const sk_trans_t N = SK_NOTRANS, T = SK_TRANS;
    assert_int_equal(sk_dgemm((sk_trans_t)2, N, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2), -1);
    assert_int_equal(sk_dgemm((sk_trans_t)-1, N, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2), -1);
    assert_int_equal(sk_dgemm(N, (sk_trans_t)5, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2), -2);
    assert_int_equal(sk_dgemm(N, N, -1, 2, 2, 1, A, 2, B, 2, 0, C, 2), -3);
    assert_int_equal(sk_dgemm(N, N, 2, -1, 2, 1, A, 2, B, 2, 0, C, 2), -4);
    assert_int_equal(sk_dgemm(N, N, 2, 2, -1, 1, A, 2, B, 2, 0, C, 2), -5);
    assert_int_equal(sk_dgemm(N, N, 2, 2, 2, 1, NULL, 2, B, 2, 0, C, 2), -7);
    assert_int_equal(sk_dgemm(N, N, 3, 2, 2, 1, A, 2, B, 2, 0, C, 3), -8);  /* lda < m */
    assert_int_equal(sk_dgemm(T, N, 2, 2, 3, 1, A, 2, B, 3, 0, C, 2), -8);  /* lda < k */
    assert_int_equal(sk_dgemm(N, N, 0, 2, 2, 1, A, 0, B, 2, 0, C, 1), -8);  /* lda < 1 */
    assert_int_equal(sk_dgemm(N, N, 2, 2, 2, 1, A, 2, NULL, 2, 0, C, 2), -9);
    assert_int_equal(sk_dgemm(N, N, 2, 2, 3, 1, A, 2, B, 2, 0, C, 2), -10); /* ldb < k */
    assert_int_equal(sk_dgemm(N, T, 2, 3, 2, 1, A, 2, B, 2, 0, C, 2), -10); /* ldb < n */
    assert_int_equal(sk_dgemm(N, N, 2, 2, 2, 1, A, 2, B, 2, 0, NULL, 2), -12);
    assert_int_equal(sk_dgemm(N, N, 3, 2, 2, 1, A, 3, B, 2, 0, C, 2), -13); /* ldc < m */
    assert_int_equal(sk_dgemm(N, N, 0, 2, 2, 1, A, 1, B, 2, 0, C, 0), -13); /* ldc < 1 */
    /* The first invalid argument wins. */
    assert_int_equal(sk_dgemm(N, N, -1, -1, 2, 1, NULL, 0, B, 2, 0, C, 2), -3);
    assert_int_equal(sk_dgemm(N, N, 2, 2, 2, 1, A, 1, NULL, 1, 0, NULL, 1), -8);
}

/* ------------------------------------------------------------------ gemv */

static void gemv_case(sk_trans_t tr, int m, int n, double alpha, double beta, int pad, int seed)
{
    int lda = (m > 0 ? m : 1) + pad;
    int xlen = tr == SK_NOTRANS ? n : m, ylen = tr == SK_NOTRANS ? m : n;
    double *A = padded_randn(m, n, lda, seed);
    double *x = tu_randn(xlen, 1, seed + 1), *y0 = tu_randn(ylen, 1, seed + 2);
    if (beta == 0.0) for (int i = 0; i < ylen; i++) y0[i] = NAN_FILL;
    double *y = tu_copy(ylen, 1, y0, ylen > 0 ? ylen : 1);
    double *r = tu_zeros(ylen, 1), *w = tu_zeros(ylen, 1);
    for (int i = 0; i < ylen; i++) {
        r[i] = beta == 0.0 ? 0.0 : y0[i];
        w[i] = fabs(beta) * fabs(r[i]);
    }
    double *Aa = abs_copy(m, n, A, lda), *xa = abs_copy(xlen, 1, x, xlen > 0 ? xlen : 1);
    if (m > 0 && n > 0) {
        cblas_dgemv(CblasColMajor, cb_trans(tr), m, n, alpha, A, lda, x, 1, beta, r, 1);
        cblas_dgemv(CblasColMajor, cb_trans(tr), m, n, fabs(alpha), Aa, lda, xa, 1, 1.0, w, 1);
    }
    assert_int_equal(sk_dgemv(tr, m, n, alpha, A, lda, x, beta, y), 0);
    char what[96];
    snprintf(what, sizeof what, "gemv %c m=%d n=%d alpha=%g beta=%g lda=%d", tr ? 'T' : 'N', m,
             n, alpha, beta, lda);
    assert_true(check_elementwise(what, ylen, 1, y, ylen, r, ylen, w, ylen,
                                  10.0 * (xlen + 2) * TU_EPS));
    free(A); free(x); free(y0); free(y); free(r); free(w); free(Aa); free(xa);
}

static void test_gemv(void **state)
{
    (void)state;
    int idx = 0;
    for (int t = 0; t < 2; t++)
        for (int a = 0; a < NSIZES; a++)
            for (int b = 0; b < NSIZES; b++, idx++) {
                const double *ab = AB[idx % NAB];
                gemv_case(t ? SK_TRANS : SK_NOTRANS, SIZES[a], SIZES[b], ab[0], ab[1], idx % 4,
                          300 + idx);
            }
    gemv_case(SK_NOTRANS, 1000, 777, 1.0, 0.0, 3, 11);
    gemv_case(SK_TRANS, 777, 1000, -1.0, 2.0, 1, 12);
}

/* NOTRANS in gemv.c's documented order, in plain scalar code: y := beta y, then
   per column group of 8 (then 4, then 1), t_j = alpha x_j, y(i) += the
   group's sum of a_j(i) t_j left to right (two halves of four for a group of
   8). Every y(i) is its own sum, so gemv.c's SSE2, AVX2 and AVX-512F builds
   of its loops must all give exactly this. */
static void gemv_n_scalar(int m, int n, double alpha, const double *A, int lda, const double *x,
                          double beta, double *y)
{
    if (beta != 1.0) for (int i = 0; i < m; i++) y[i] = beta == 0.0 ? 0.0 : y[i] * beta;
    if (alpha == 0.0 || n == 0) return;
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int i = 0; i < m; i++) {
            const double *a = A + i + (size_t)j * lda;
            double y0 = y[i] + (((a[0] * (alpha * x[j]) + a[lda] * (alpha * x[j + 1])) + a[2 * (size_t)lda] * (alpha * x[j + 2])) + a[3 * (size_t)lda] * (alpha * x[j + 3]));
            y[i] = y0 + (((a[4 * (size_t)lda] * (alpha * x[j + 4]) + a[5 * (size_t)lda] * (alpha * x[j + 5])) + a[6 * (size_t)lda] * (alpha * x[j + 6])) + a[7 * (size_t)lda] * (alpha * x[j + 7]));
        }
    for (; j + 4 <= n; j += 4)
        for (int i = 0; i < m; i++) {
            const double *a = A + i + (size_t)j * lda;
            y[i] = y[i] + (((a[0] * (alpha * x[j]) + a[lda] * (alpha * x[j + 1])) + a[2 * (size_t)lda] * (alpha * x[j + 2])) + a[3 * (size_t)lda] * (alpha * x[j + 3]));
        }
    for (; j < n; j++)
        for (int i = 0; i < m; i++) y[i] = y[i] + A[i + (size_t)j * lda] * (alpha * x[j]);
}

static void test_gemv_notrans_order(void **state)
{
    (void)state;
    int ms[] = { 1, 3, 8, 17, 1023, 1024, 1025, 2500 }, ns[] = { 1, 3, 4, 7, 8, 9, 13, 64 };
    double ab[][2] = { { 1.0, 0.0 }, { -0.7, 1.0 }, { 2.5, -1.5 } };
    int seed = 900;
    for (size_t a = 0; a < sizeof ms / sizeof ms[0]; a++)
        for (size_t b = 0; b < sizeof ns / sizeof ns[0]; b++)
            for (size_t c = 0; c < 3; c++, seed++) {
                int m = ms[a], n = ns[b], lda = m + (int)c;
                double *A = tu_randn(lda, n, seed), *x = tu_randn(n, 1, seed + 1);
                double *y = tu_randn(m, 1, seed + 2), *r = tu_copy(m, 1, y, m);
                assert_int_equal(sk_dgemv(SK_NOTRANS, m, n, ab[c][0], A, lda, x, ab[c][1], y), 0);
                gemv_n_scalar(m, n, ab[c][0], A, lda, x, ab[c][1], r);
                if (memcmp(y, r, (size_t)m * sizeof *y))
                    fail_msg("gemv N m=%d n=%d alpha=%g beta=%g: not the documented order", m, n, ab[c][0], ab[c][1]);
                free(A); free(x); free(y); free(r);
            }
}

static void test_gemv_edge(void **state)
{
    (void)state;
    double y[3] = { NAN_FILL, NAN_FILL, NAN_FILL };
    /* n = 0 (NOTRANS): y := beta y, x and A may be NULL; beta = 0 clears NaN. */
    assert_int_equal(sk_dgemv(SK_NOTRANS, 3, 0, 1.0, NULL, 3, NULL, 0.0, y), 0);
    for (int i = 0; i < 3; i++) assert_true(y[i] == 0.0);
    double y2[2] = { 1, 2 };
    assert_int_equal(sk_dgemv(SK_TRANS, 0, 2, 1.0, NULL, 1, NULL, 3.0, y2), 0);
    assert_true(y2[0] == 3.0 && y2[1] == 6.0);
    assert_int_equal(sk_dgemv(SK_NOTRANS, 0, 0, 1.0, NULL, 1, NULL, 0.0, NULL), 0);

    double A[9] = { 0 }, x[3] = { 0 }, yy[3] = { 0 };
    assert_int_equal(sk_dgemv((sk_trans_t)3, 3, 3, 1, A, 3, x, 0, yy), -1);
    assert_int_equal(sk_dgemv(SK_NOTRANS, -1, 3, 1, A, 3, x, 0, yy), -2);
    assert_int_equal(sk_dgemv(SK_NOTRANS, 3, -1, 1, A, 3, x, 0, yy), -3);
    assert_int_equal(sk_dgemv(SK_NOTRANS, 3, 3, 1, NULL, 3, x, 0, yy), -5);
    assert_int_equal(sk_dgemv(SK_NOTRANS, 3, 3, 1, A, 2, x, 0, yy), -6);
    assert_int_equal(sk_dgemv(SK_TRANS, 0, 3, 1, A, 0, x, 0, yy), -6);
    assert_int_equal(sk_dgemv(SK_NOTRANS, 3, 3, 1, A, 3, NULL, 0, yy), -7);
    assert_int_equal(sk_dgemv(SK_TRANS, 3, 3, 1, A, 3, x, 0, NULL), -9);
}

/* ------------------------------------------------------------------ trsm */

/*
 * A well-conditioned triangular matrix of order `order`: off-diagonal entries
 * N(0,1)/order, diagonal in ±[1, 2]. `clean` gets zeros in the other triangle
 * (for the reference); the returned matrix has NaN there and in its padding,
 * and, if unit, a wrong diagonal (3.0) that must not be read.
 */
static double *tri_matrix(sk_uplo_t uplo, sk_diag_t diag, int order, int ld, int seed,
                          double **clean)
{
    double *T = padded_randn(order, order, ld, seed);
    double *Tc = tu_zeros(ld, order);
    for (int j = 0; j < order; j++)
        for (int i = 0; i < order; i++) {
            double *t = &T[(size_t)j * ld + i], *c = &Tc[(size_t)j * ld + i];
            int in = uplo == SK_UPPER ? i < j : i > j;
            if (i == j) {
                double d = (1.0 + fabs(*t) / (1.0 + fabs(*t))) * (*t < 0 ? -1.0 : 1.0);
                *c = diag == SK_UNIT ? 1.0 : d;
                *t = diag == SK_UNIT ? 3.0 : d;
            } else if (in) {
                *t /= order;
                *c = *t;
            } else {
                *t = NAN_FILL;
            }
        }
    *clean = Tc;
    return T;
}

static void trsm_case(sk_side_t side, sk_uplo_t uplo, sk_trans_t tr, sk_diag_t diag, int m,
                      int n, double alpha, int pad, int seed)
{
    int order = side == SK_LEFT ? m : n;
    int ldt = (order > 0 ? order : 1) + pad, ldb = (m > 0 ? m : 1) + (pad + 1) % 3;
    double *Tc;
    double *T = tri_matrix(uplo, diag, order, ldt, seed, &Tc);
    double *B0 = padded_randn(m, n, ldb, seed + 1);
    double *X = tu_copy(ldb, n, B0, ldb);
    double *R = tu_copy(ldb, n, B0, ldb);
    if (m > 0 && n > 0)
        cblas_dtrsm(CblasColMajor, side == SK_LEFT ? CblasLeft : CblasRight,
                    uplo == SK_UPPER ? CblasUpper : CblasLower, cb_trans(tr),
                    diag == SK_UNIT ? CblasUnit : CblasNonUnit, m, n, alpha, Tc, ldt, R, ldb);
    assert_int_equal(sk_dtrsm(side, uplo, tr, diag, m, n, alpha, T, ldt, X, ldb), 0);

    char what[128];
    snprintf(what, sizeof what, "trsm side=%c uplo=%c trans=%c diag=%c m=%d n=%d alpha=%g",
             side ? 'R' : 'L', uplo ? 'L' : 'U', tr ? 'T' : 'N', diag ? 'U' : 'N', m, n, alpha);
    /* Backward error: ||op(T) X − alpha B||_F <= c·order·eps·(||T|| ||X|| + |alpha| ||B||). */
    double *P = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) P[(size_t)j * m + i] = alpha * B0[(size_t)j * ldb + i];
    if (m > 0 && n > 0) {
        if (side == SK_LEFT)
            cblas_dgemm(CblasColMajor, cb_trans(tr), CblasNoTrans, m, n, m, 1.0, Tc, ldt, X, ldb,
                        -1.0, P, m);
        else
            cblas_dgemm(CblasColMajor, CblasNoTrans, cb_trans(tr), m, n, n, 1.0, X, ldb, Tc, ldt,
                        -1.0, P, m);
    }
    double res = tu_fro(m, n, P, m > 0 ? m : 1);
    double scale = tu_fro(order, order, Tc, ldt) * tu_fro(m, n, X, ldb) +
                   fabs(alpha) * tu_fro(m, n, B0, ldb);
    /* Triangular solves are backward stable (Higham Thm 8.5): ||TX − αB|| <=
     * γ_n·||T||·||X|| (+ the residual's own rounding), margin 20. */
    tu_assert_within(res, tu_bound(0, 0, 20.0 * (order + 1), scale) + 1e-300, "%s: backward error", what);
    /* Forward comparison with OpenBLAS: cond(T)·n·eps relative (T is well conditioned, cond < 10; margin 10). */
    double diff = tu_diff_fro(m, n, X, ldb, R, ldb), xn = tu_fro(m, n, R, ldb);
    tu_assert_within(diff, tu_bound(100.0 * (order + 1), xn, 0, 0) + 1e-300, "%s: ||X - X_ref||", what);
    /* Padding of B untouched. */
    for (int j = 0; j < n; j++)
        assert_memory_equal(X + (size_t)j * ldb + m, B0 + (size_t)j * ldb + m,
                            (size_t)(ldb - m) * sizeof(double));
    free(T); free(Tc); free(B0); free(X); free(R); free(P);
}

static void test_trsm_all_combos(void **state)
{
    (void)state;
    static const int tm[] = { 1, 7, 33, 130, 257 }, tn[] = { 1, 33, 7, 257, 130 };
    int idx = 0;
    for (int c = 0; c < 16; c++) {
        sk_side_t side = c & 1 ? SK_RIGHT : SK_LEFT;
        sk_uplo_t uplo = c & 2 ? SK_LOWER : SK_UPPER;
        sk_trans_t tr = c & 4 ? SK_TRANS : SK_NOTRANS;
        sk_diag_t diag = c & 8 ? SK_UNIT : SK_NONUNIT;
        for (int s = 0; s < 5; s++, idx++)
            trsm_case(side, uplo, tr, diag, tm[s], tn[s], s == 2 ? -0.5 : 1.0, idx % 3, 500 + idx);
        /* Larger than the trsm block size in the triangular dimension. */
        trsm_case(side, uplo, tr, diag, side == SK_LEFT ? 400 : 45, side == SK_LEFT ? 45 : 400,
                  2.0, 1, 700 + c);
    }
}

static void test_trsm_edge(void **state)
{
    (void)state;
    /* Empty: nothing touched, NULL allowed. */
    assert_int_equal(sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, 0, 3, 1, NULL, 1, NULL, 1), 0);
    assert_int_equal(sk_dtrsm(SK_RIGHT, SK_LOWER, SK_TRANS, SK_UNIT, 3, 0, 1, NULL, 1, NULL, 3), 0);
    /* alpha = 0: B := 0 without reading T or B (NaN in B does not propagate). */
    double T[4] = { NAN_FILL, NAN_FILL, NAN_FILL, NAN_FILL }, B[4] = { NAN_FILL, 1, 2, 3 };
    assert_int_equal(sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_NONUNIT, 2, 2, 0.0, T, 2, B, 2), 0);
    for (int i = 0; i < 4; i++) assert_true(B[i] == 0.0);

    double A[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, X[9] = { 0 };
    const sk_side_t L = SK_LEFT; const sk_uplo_t U = SK_UPPER;
    const sk_trans_t N = SK_NOTRANS; const sk_diag_t D = SK_NONUNIT;
    assert_int_equal(sk_dtrsm((sk_side_t)2, U, N, D, 3, 3, 1, A, 3, X, 3), -1);
    assert_int_equal(sk_dtrsm(L, (sk_uplo_t)-1, N, D, 3, 3, 1, A, 3, X, 3), -2);
    assert_int_equal(sk_dtrsm(L, U, (sk_trans_t)2, D, 3, 3, 1, A, 3, X, 3), -3);
    assert_int_equal(sk_dtrsm(L, U, N, (sk_diag_t)2, 3, 3, 1, A, 3, X, 3), -4);
    assert_int_equal(sk_dtrsm(L, U, N, D, -1, 3, 1, A, 3, X, 3), -5);
    assert_int_equal(sk_dtrsm(L, U, N, D, 3, -1, 1, A, 3, X, 3), -6);
    assert_int_equal(sk_dtrsm(L, U, N, D, 3, 3, 1, NULL, 3, X, 3), -8);
    assert_int_equal(sk_dtrsm(L, U, N, D, 3, 2, 1, A, 2, X, 3), -9);        /* ldt < m */
    assert_int_equal(sk_dtrsm(SK_RIGHT, U, N, D, 2, 3, 1, A, 2, X, 2), -9); /* ldt < n */
    assert_int_equal(sk_dtrsm(L, U, N, D, 3, 3, 1, A, 3, NULL, 3), -10);
    assert_int_equal(sk_dtrsm(SK_RIGHT, U, N, D, 3, 2, 1, A, 2, X, 2), -11); /* ldb < m */
}

/* ------------------------------------------------------------------ syrk */

static void syrk_case(sk_uplo_t uplo, sk_trans_t tr, int n, int k, double alpha, double beta,
                      int pad, int seed)
{
    int arows = tr == SK_NOTRANS ? n : k, acols = tr == SK_NOTRANS ? k : n;
    int lda = (arows > 0 ? arows : 1) + pad, ldc = (n > 0 ? n : 1) + (pad + 2) % 3;
    double *A = padded_randn(arows, acols, lda, seed);
    double *C0 = padded_randn(n, n, ldc, seed + 1);
    /* Unreferenced triangle: NaN, must stay bitwise as is. With beta = 0 the
     * referenced one is NaN too, and must be overwritten without being read. */
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            int in = uplo == SK_UPPER ? i <= j : i >= j;
            if (!in || beta == 0.0) C0[(size_t)j * ldc + i] = NAN_FILL;
        }
    double *C = tu_copy(ldc, n, C0, ldc);
    double *R = tu_zeros(n, n), *W = tu_zeros(n, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double c0 = beta == 0.0 ? 0.0 : C0[(size_t)j * ldc + i];
            if (c0 != c0) c0 = 0.0; /* other triangle: the reference works on a full matrix */
            R[(size_t)j * n + i] = c0;
            W[(size_t)j * n + i] = fabs(beta) * fabs(c0);
        }
    double *Aa = abs_copy(arows, acols, A, lda);
    if (n > 0) {
        cblas_dsyrk(CblasColMajor, uplo == SK_UPPER ? CblasUpper : CblasLower, cb_trans(tr), n, k,
                    alpha, A, lda, beta, R, n);
        cblas_dsyrk(CblasColMajor, uplo == SK_UPPER ? CblasUpper : CblasLower, cb_trans(tr), n, k,
                    fabs(alpha), Aa, lda, 1.0, W, n);
    }
    assert_int_equal(sk_dsyrk(uplo, tr, n, k, alpha, A, lda, beta, C, ldc), 0);
    char what[96];
    snprintf(what, sizeof what, "syrk uplo=%c trans=%c n=%d k=%d alpha=%g beta=%g",
             uplo ? 'L' : 'U', tr ? 'T' : 'N', n, k, alpha, beta);
    double tol = 10.0 * (k + 2) * TU_EPS;
    for (int j = 0; j < n; j++) {
        int i0 = uplo == SK_UPPER ? 0 : j, i1 = uplo == SK_UPPER ? j + 1 : n;
        if (!check_elementwise(what, i1 - i0, 1, C + (size_t)j * ldc + i0, ldc,
                               R + (size_t)j * n + i0, n, W + (size_t)j * n + i0, n, tol))
            fail_msg("%s: column %d", what, j);
    }
    /* The other triangle and the padding are untouched. */
    for (int j = 0; j < n; j++)
        for (int i = 0; i < ldc; i++) {
            int in = i < n && (uplo == SK_UPPER ? i <= j : i >= j);
            if (!in) assert_memory_equal(&C[(size_t)j * ldc + i], &C0[(size_t)j * ldc + i], sizeof(double));
        }
    free(A); free(C0); free(C); free(R); free(W); free(Aa);
}

static void test_syrk(void **state)
{
    (void)state;
    int idx = 0;
    for (int c = 0; c < 4; c++) {
        sk_uplo_t uplo = c & 1 ? SK_LOWER : SK_UPPER;
        sk_trans_t tr = c & 2 ? SK_TRANS : SK_NOTRANS;
        for (int a = 0; a < NSIZES; a++)
            for (int b = 0; b < NSIZES; b++, idx++) {
                const double *ab = AB[idx % NAB];
                syrk_case(uplo, tr, SIZES[a], SIZES[b], ab[0], ab[1], idx % 3, 800 + idx);
            }
        syrk_case(uplo, tr, 450, 300, -1.5, 0.5, 1, 990 + c);
        syrk_case(uplo, tr, 300, 0, 1.0, 0.0, 2, 995 + c);   /* k = 0, beta = 0: zeros */
        syrk_case(uplo, tr, 65, 0, 1.0, -2.0, 0, 999 + c);   /* k = 0: C := beta C */
    }
}

static void test_syrk_edge(void **state)
{
    (void)state;
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 0, 5, 1, NULL, 1, 0, NULL, 1), 0);
    /* alpha = 0 must not read A. */
    double A[4] = { NAN_FILL, NAN_FILL, NAN_FILL, NAN_FILL }, C[4] = { 1, 2, 3, 4 };
    assert_int_equal(sk_dsyrk(SK_LOWER, SK_TRANS, 2, 2, 0.0, A, 2, 2.0, C, 2), 0);
    assert_true(C[0] == 2 && C[1] == 4 && C[2] == 3 && C[3] == 8);

    double M[9] = { 0 }, S[9] = { 0 };
    assert_int_equal(sk_dsyrk((sk_uplo_t)2, SK_NOTRANS, 3, 3, 1, M, 3, 0, S, 3), -1);
    assert_int_equal(sk_dsyrk(SK_UPPER, (sk_trans_t)2, 3, 3, 1, M, 3, 0, S, 3), -2);
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, -1, 3, 1, M, 3, 0, S, 3), -3);
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 3, -1, 1, M, 3, 0, S, 3), -4);
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 3, 3, 1, NULL, 3, 0, S, 3), -6);
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 3, 2, 1, M, 2, 0, S, 3), -7); /* lda < n */
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_TRANS, 2, 3, 1, M, 2, 0, S, 2), -7);   /* lda < k */
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 3, 3, 1, M, 3, 0, NULL, 3), -9);
    assert_int_equal(sk_dsyrk(SK_UPPER, SK_NOTRANS, 3, 3, 1, M, 3, 0, S, 2), -10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gemm_nn),
        cmocka_unit_test(test_gemm_nt),
        cmocka_unit_test(test_gemm_tn),
        cmocka_unit_test(test_gemm_tt),
        cmocka_unit_test(test_gemm_large_blocks),
        cmocka_unit_test(test_gemm_beta0_nan),
        cmocka_unit_test(test_gemm_empty),
        cmocka_unit_test(test_gemm_invalid),
        cmocka_unit_test(test_gemv),
        cmocka_unit_test(test_gemv_edge),
        cmocka_unit_test(test_gemv_notrans_order),
        cmocka_unit_test(test_trsm_all_combos),
        cmocka_unit_test(test_trsm_edge),
        cmocka_unit_test(test_syrk),
        cmocka_unit_test(test_syrk_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
