/*
 * test_svd.c — sk_dgesvd against LAPACKE_dgesdd.
 *
 * For every matrix (N = max(m, n), k = min(m, n), eps = DBL_EPSILON):
 *   singular values   max_i |s_i − s_ref,i| / (N·eps·σ₁)          <= 30
 *   reconstruction    ||A − U diag(s) Vᵀ||_F / (||A||_F·N·eps)    <= 30
 *   orthogonality     ||UᵀU − I||_F / (N·eps), same for V           <= 30
 *   s descending and >= 0;
 *   values only (U = V = NULL), U only and V only give the same s;
 *   padding rows of A, U, V (ld > rows) are NaN on entry: nothing reads the
 *   NaNs into the results, and U/V padding is left untouched.
 * The worst scaled errors are printed at the end of the run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* sketchlab.h before lapacke.h: the latter pulls in <complex.h>, whose macro I
 * must not reach parameter names in the public headers. */
#include "sketchlab.h"
#include "testutil.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LAPACK's own test threshold for these scaled ratios (THRESH = 30 in its svd.in / sep.in):
 * backward stability gives c·N·eps with c ~ 1; observed <= 1.5 on every OpenBLAS kernel. */
#define TOL 30.0
#define PAD 3

static double g_max_sv, g_max_res, g_max_orth, g_max_vo;
static int g_cases;

static void upd(double *g, double v) { if (v > *g || isnan(v)) *g = v; }

/* ld×cols copy of the m×n matrix A (ld = m), NaN in the padding rows. */
static double *padded(int m, int n, int ld, const double *A)
{
    double *P = tu_zeros(ld, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < ld; i++) P[(size_t)j * ld + i] = i < m ? A[(size_t)j * m + i] : nan("");
    return P;
}

static double *nan_matrix(int ld, int n)
{
    double *P = tu_zeros(ld, n);
    for (size_t i = 0; i < (size_t)ld * (size_t)(n > 0 ? n : 1); i++) P[i] = nan("");
    return P;
}

/* Reference singular values (dgesdd, values only). */
static double *ref_sv(int m, int n, const double *A)
{
    int k = m < n ? m : n;
    double *s = tu_zeros(k > 0 ? k : 1, 1);
    if (k == 0) return s;
    double *C = tu_copy(m, n, A, m);
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', m, n, C, m, s, NULL, 1, NULL, 1);
    assert_int_equal(info, 0);
    free(C);
    return s;
}

/* Full check of one m×n matrix A (ld = m). */
static void check_svd(int m, int n, const double *A, const char *label)
{
    int k = m < n ? m : n, N = m > n ? m : n;
    int lda = m + PAD, ldu = m + PAD, ldv = n + PAD;
    double *sref = ref_sv(m, n, A);
    double sigma1 = k > 0 ? sref[0] : 0.0;
    double anorm = tu_fro(m, n, A, m > 0 ? m : 1);

    double *Ap = padded(m, n, lda, A);
    double *s = tu_zeros(k > 0 ? k : 1, 1);
    double *U = nan_matrix(ldu, k);
    double *V = nan_matrix(ldv, k);
    int info = sk_dgesvd(m, n, Ap, lda, s, U, ldu, V, ldv);
    assert_int_equal(info, 0);
    g_cases++;

    /* Values vs reference, order and sign. */
    double sverr = 0.0;
    for (int i = 0; i < k; i++) {
        double d = fabs(s[i] - sref[i]);
        double sc = d == 0.0 ? 0.0 : d / (N * TU_EPS * sigma1);
        if (sc > sverr || isnan(sc)) sverr = sc;
        assert_true(s[i] >= 0.0);
        if (i > 0) assert_true(s[i] <= s[i - 1]);
    }
    tu_assert_within(sverr, TOL, "%s (%dx%d): singular values / (N eps sigma_1)", label, m, n);
    upd(&g_max_sv, sverr);

    if (k > 0) {
        /* Residual A − U S Vᵀ, with A and S scaled by the same power of two
         * to about norm 1: exact, and the product U S Vᵀ is then formed
         * without underflow for the subnormal test matrices. */
        int e2 = 0;
        if (anorm > 0.0) (void)frexp(anorm, &e2);
        double *As = tu_copy(m, n, A, m);
        for (int i = 0; i < m * n; i++) As[i] = ldexp(As[i], -e2);
        double *US = tu_zeros(m, k);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < m; i++) US[(size_t)j * m + i] = U[(size_t)j * ldu + i] * ldexp(s[j], -e2);
        double *Vt = tu_zeros(k, n);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++) Vt[(size_t)i * k + j] = V[(size_t)j * ldv + i];
        double *R = tu_matmul(m, n, k, US, m, Vt, k);
        double res = tu_diff_fro(m, n, As, m, R, m);
        double asn = ldexp(anorm, -e2);
        double rsc = anorm == 0.0 ? (res == 0.0 ? 0.0 : INFINITY) : res / (asn * N * TU_EPS);
        tu_assert_within(rsc, TOL, "%s (%dx%d): residual / (||A|| N eps)", label, m, n);
        upd(&g_max_res, rsc);
        double ou = tu_orth_err(m, k, U, ldu) / (N * TU_EPS);
        double ov = tu_orth_err(n, k, V, ldv) / (N * TU_EPS);
        tu_assert_within(ou, TOL, "%s (%dx%d): ||U'U-I||/(N eps)", label, m, n);
        tu_assert_within(ov, TOL, "%s (%dx%d): ||V'V-I||/(N eps)", label, m, n);
        upd(&g_max_orth, ou);
        upd(&g_max_orth, ov);
        /* Padding rows of U and V untouched (still NaN). */
        for (int j = 0; j < k; j++) {
            for (int i = m; i < ldu; i++) assert_true(isnan(U[(size_t)j * ldu + i]));
            for (int i = n; i < ldv; i++) assert_true(isnan(V[(size_t)j * ldv + i]));
        }
        free(As); free(US); free(Vt); free(R);
    }

    /* Values only, U only, V only: same singular values. */
    for (int mode = 0; mode < 3; mode++) {
        double *A2 = padded(m, n, lda, A);
        double *s2 = tu_zeros(k > 0 ? k : 1, 1);
        double *U2 = mode == 1 ? nan_matrix(ldu, k) : NULL;
        double *V2 = mode == 2 ? nan_matrix(ldv, k) : NULL;
        info = sk_dgesvd(m, n, A2, lda, s2, U2, ldu, V2, ldv);
        assert_int_equal(info, 0);
        double e = 0.0;
        for (int i = 0; i < k; i++) {
            double d = fabs(s2[i] - s[i]);
            double sc = d == 0.0 ? 0.0 : d / (N * TU_EPS * sigma1);
            if (sc > e || isnan(sc)) e = sc;
        }
        tu_assert_within(e, TOL, "%s (%dx%d): mode %d values / (N eps sigma_1)", label, m, n, mode);
        upd(&g_max_vo, e);
        if (U2 && k > 0) {
            double ou = tu_orth_err(m, k, U2, ldu) / (N * TU_EPS);
            tu_assert_within(ou, TOL, "%s: mode %d ||U'U-I||/(N eps)", label, mode);
        }
        if (V2 && k > 0) {
            double ov = tu_orth_err(n, k, V2, ldv) / (N * TU_EPS);
            tu_assert_within(ov, TOL, "%s: mode %d ||V'V-I||/(N eps)", label, mode);
        }
        free(A2); free(s2); free(U2); free(V2);
    }

    free(sref); free(Ap); free(s); free(U); free(V);
}

static void test_random_square(void **state)
{
    (void)state;
    static const int sizes[] = { 1, 2, 3, 10, 31, 64, 100, 200 };
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        int n = sizes[t];
        double *A = tu_randn(n, n, 100 + n);
        check_svd(n, n, A, "random square");
        free(A);
    }
}

static void test_random_rect(void **state)
{
    (void)state;
    /* Tall ones both below and above the QR-first crossover (1.6 n), wide ones. */
    static const int shapes[][2] = { { 200, 50 }, { 100, 80 }, { 31, 3 }, { 64, 1 }, { 2, 1 },
                                     { 17, 10 }, { 16, 10 }, { 300, 7 }, { 50, 200 }, { 80, 100 },
                                     { 3, 31 }, { 1, 64 }, { 1, 2 }, { 10, 17 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 7 * m + n);
        check_svd(m, n, A, "random rect");
        free(A);
    }
}

static void with_spec_case(int m, int n, const double *s, int seed, const char *label)
{
    double *A = tu_with_spectrum(m, n, s, seed);
    check_svd(m, n, A, label);
    free(A);
}

static void test_rank_deficient(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 40, 40 }, { 60, 25 }, { 25, 60 }, { 100, 100 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], k = m < n ? m : n;
        double *s = tu_zeros(k, 1);
        for (int i = 0; i < k; i++) s[i] = i < k / 3 ? 1.0 + i : 0.0;
        with_spec_case(m, n, s, 11 + (int)t, "rank deficient");
        free(s);
    }
    /* Rank one and the zero matrix. */
    double *s = tu_zeros(30, 1);
    s[0] = 3.0;
    with_spec_case(30, 30, s, 5, "rank one");
    double *Z = tu_zeros(12, 7);
    check_svd(12, 7, Z, "zero");
    check_svd(7, 12, Z, "zero");
    free(Z);
    free(s);
}

static void test_graded(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 50, 50 }, { 120, 40 }, { 40, 90 }, { 200, 200 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], k = m < n ? m : n;
        double *s = tu_zeros(k, 1);
        for (int i = 0; i < k; i++) s[i] = pow(10.0, -15.0 * i / (k - 1));
        with_spec_case(m, n, s, 21 + (int)t, "graded 1..1e-15");
        free(s);
    }
    /* A graded matrix that is not just graded in its spectrum: columns scaled
     * over 15 orders of magnitude. */
    double *A = tu_randn(60, 40, 77);
    for (int j = 0; j < 40; j++)
        for (int i = 0; i < 60; i++) A[(size_t)j * 60 + i] *= pow(10.0, -15.0 * j / 39);
    check_svd(60, 40, A, "column graded");
    free(A);
}

static void test_clustered(void **state)
{
    (void)state;
    int k = 60;
    double *s = tu_zeros(k, 1);
    /* Exactly repeated values, a tight cluster, and a repeated tail. */
    for (int i = 0; i < k; i++) s[i] = i < 20 ? 1.0 : i < 40 ? 0.5 + 1e-13 * i : 1e-3;
    with_spec_case(k, k, s, 31, "clustered");
    with_spec_case(90, k, s, 32, "clustered tall");
    with_spec_case(k, 70, s, 33, "clustered wide");
    free(s);
    /* Identity and a multiple of an orthogonal matrix: all values equal. */
    double *Id = tu_zeros(25, 25);
    for (int i = 0; i < 25; i++) Id[i * 26] = 1.0;
    check_svd(25, 25, Id, "identity");
    free(Id);
    double *Q = tu_orthonormal(40, 40, 9);
    check_svd(40, 40, Q, "orthogonal");
    free(Q);
    /* Diagonal with negative and unsorted entries. */
    double *D = tu_zeros(6, 6);
    double dv[6] = { -3.0, 1.0, 0.0, -7.0, 2.0, 1.0 };
    for (int i = 0; i < 6; i++) D[i * 7] = dv[i];
    check_svd(6, 6, D, "signed diagonal");
    free(D);
    /* Bidiagonal with a zero on the diagonal (forces the zero-shift path and splitting). */
    int n = 30;
    double *B = tu_zeros(n, n);
    for (int i = 0; i < n; i++) {
        B[(size_t)i * n + i] = i == 15 ? 0.0 : 1.0 + 0.1 * i;
        if (i + 1 < n) B[(size_t)(i + 1) * n + i] = 1.0;
    }
    check_svd(n, n, B, "bidiagonal with zero");
    free(B);
}

static void test_tiny_shapes(void **state)
{
    (void)state;
    double *A = tu_randn(1, 1, 3);
    check_svd(1, 1, A, "1x1");
    A[0] = -2.5;
    check_svd(1, 1, A, "1x1 negative");
    free(A);
    A = tu_randn(1, 9, 4);
    check_svd(1, 9, A, "1xn");
    free(A);
    A = tu_randn(9, 1, 5);
    check_svd(9, 1, A, "nx1");
    free(A);
    /* Empty: success, nothing written (NULL outputs allowed). */
    double dummy = 0.0;
    assert_int_equal(sk_dgesvd(0, 5, &dummy, 1, NULL, NULL, 1, NULL, 5), 0);
    assert_int_equal(sk_dgesvd(5, 0, &dummy, 5, NULL, NULL, 5, NULL, 1), 0);
    assert_int_equal(sk_dgesvd(0, 0, NULL, 1, NULL, NULL, 1, NULL, 1), 0);
}

static void test_extreme_scale(void **state)
{
    (void)state;
    static const double scales[] = { 1e150, 1e-150, 1e300, 1e-300, 1e-310 };
    for (size_t t = 0; t < sizeof scales / sizeof scales[0]; t++) {
        for (int shape = 0; shape < 3; shape++) {
            int m = shape == 1 ? 20 : 30, n = shape == 2 ? 20 : 30;
            double *A = tu_randn(m, n, 40 + (int)t);
            for (int i = 0; i < m * n; i++) A[i] *= scales[t];
            check_svd(m, n, A, "extreme scale");
            free(A);
        }
    }
    /* Huge and tiny entries in the same matrix. */
    double *A = tu_randn(20, 20, 61);
    for (int j = 0; j < 20; j++)
        for (int i = 0; i < 20; i++) A[j * 20 + i] *= (i + j) % 2 ? 1e150 : 1e-150;
    check_svd(20, 20, A, "mixed 1e150/1e-150");
    free(A);
}

static void test_invalid_args(void **state)
{
    (void)state;
    double A[12] = { 0 }, s[3], U[12], V[12];
    assert_int_equal(sk_dgesvd(-1, 3, A, 4, s, U, 4, V, 3), -1);
    assert_int_equal(sk_dgesvd(4, -1, A, 4, s, U, 4, V, 3), -2);
    assert_int_equal(sk_dgesvd(4, 3, NULL, 4, s, U, 4, V, 3), -3);
    assert_int_equal(sk_dgesvd(4, 3, A, 3, s, U, 4, V, 3), -4);
    assert_int_equal(sk_dgesvd(4, 3, A, 0, s, U, 4, V, 3), -4);
    assert_int_equal(sk_dgesvd(4, 3, A, 4, NULL, U, 4, V, 3), -5);
    assert_int_equal(sk_dgesvd(4, 3, A, 4, s, U, 3, V, 3), -7);
    assert_int_equal(sk_dgesvd(4, 3, A, 4, s, U, 4, V, 2), -9);
    /* The leading dimension of a skipped output is not checked. */
    assert_int_equal(sk_dgesvd(4, 3, A, 4, s, NULL, 0, NULL, 0), 0);
    /* Empty problem still validates its leading dimensions. */
    assert_int_equal(sk_dgesvd(0, 3, A, 0, s, U, 1, V, 3), -4);
}

/* ------------------------------------------------------------------------- */
/* Divide and conquer (n > 25 with vectors): sizes around the base case and   */
/* the split points, and the deflation cases of the merge.                    */
/* ------------------------------------------------------------------------- */

/* The n×n upper bidiagonal matrix with diagonal d and superdiagonal e (the
 * bidiagonalization leaves it as it is, so the cases below reach the D&C
 * exactly as written). */
static double *bidiag(int n, const double *d, const double *e)
{
    double *B = tu_zeros(n, n);
    for (int i = 0; i < n; i++) {
        B[(size_t)i * n + i] = d[i];
        if (i + 1 < n) B[(size_t)(i + 1) * n + i] = e[i];
    }
    return B;
}

static void test_dc_sizes(void **state)
{
    (void)state;
    /* Around the base-case order (25) and twice it (a merge of two leaves,
     * then of two merges), odd and even. */
    static const int sizes[] = { 24, 25, 26, 27, 50, 51, 52, 53, 103, 256 };
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        int n = sizes[t];
        double *A = tu_randn(n, n, 500 + n);
        check_svd(n, n, A, "dc random square");
        free(A);
    }
    /* Shapes above the base case: QR first, tall without, wide; n > 128
     * also takes the blocked bidiagonalization. */
    static const int shapes[][2] = { { 300, 100 }, { 130, 100 }, { 100, 130 }, { 60, 300 },
                                     { 27, 26 }, { 26, 27 }, { 250, 200 }, { 400, 150 },
                                     { 170, 290 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 900 + m + n);
        check_svd(m, n, A, "dc random rect");
        free(A);
    }
}

static void test_dc_large(void **state)
{
    (void)state;
    double *A = tu_randn(1000, 1000, 1000);
    check_svd(1000, 1000, A, "dc random 1000");
    free(A);
}

static void test_dc_bidiagonal(void **state)
{
    (void)state;
    int n = 120;
    double *d = tu_zeros(n, 1), *e = tu_zeros(n, 1), *B;

    /* Zeros on the diagonal: at the start, in the middle (the split row and
     * inside leaves), and at the end. */
    for (int i = 0; i < n; i++) { d[i] = 1.0 + 0.01 * i; e[i] = 0.5; }
    d[0] = d[37] = d[59] = d[60] = d[n - 1] = 0.0;
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc zero diagonal");
    free(B);

    /* Zeros and tiny entries on the superdiagonal: independent blocks,
     * including a 1×1 at either end and blocks smaller than the base case. */
    for (int i = 0; i < n; i++) { d[i] = 2.0 - 0.01 * i; e[i] = 1.0; }
    e[0] = 0.0; e[10] = 1e-20; e[59] = 0.0; e[60] = 0.0; e[90] = 1e-300; e[n - 2] = 0.0;
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc zero superdiagonal");
    free(B);

    /* Diagonal (every superdiagonal zero), with repeated and negative values. */
    for (int i = 0; i < n; i++) { d[i] = (i % 3 == 0 ? -1.0 : 1.0) * (1 + i % 4); e[i] = 0.0; }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc diagonal repeated");
    free(B);

    /* Constant bidiagonal (1, 1): values cluster near 2. */
    for (int i = 0; i < n; i++) { d[i] = 1.0; e[i] = 1.0; }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc toeplitz bidiagonal");
    free(B);

    /* Identical diagonal, tiny superdiagonal: almost every merge deflates by
     * close values (rotations). */
    for (int i = 0; i < n; i++) { d[i] = 1.0; e[i] = 1e-10 * (1 + i % 5); }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc nearly repeated");
    free(B);

    /* Graded: entries from 1 down to 1e-200 (most of z is negligible). */
    for (int i = 0; i < n; i++) { d[i] = pow(10.0, -200.0 * i / (n - 1)); e[i] = d[i] * 0.7; }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc graded bidiagonal");
    free(B);

    /* Graded the other way (tiny first). */
    for (int i = 0; i < n; i++) { d[i] = pow(10.0, -12.0 * (n - 1 - i) / (n - 1)); e[i] = d[i] * 0.3; }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc reverse graded");
    free(B);

    /* Large superdiagonal, small diagonal. */
    for (int i = 0; i < n; i++) { d[i] = 1e-8 * (1 + i % 7); e[i] = 1.0; }
    B = bidiag(n, d, e);
    check_svd(n, n, B, "dc dominant superdiagonal");
    free(B);

    free(d);
    free(e);
}

static void test_dc_spectra(void **state)
{
    (void)state;
    int n = 200;
    double *s = tu_zeros(n, 1);
    /* Three distinct values, each repeated many times. */
    for (int i = 0; i < n; i++) s[i] = i < 70 ? 3.0 : i < 150 ? 2.0 : 1.0;
    with_spec_case(n, n, s, 41, "dc three values");
    /* Tight clusters. */
    for (int i = 0; i < n; i++) s[i] = (i < 100 ? 1.0 : 0.5) + 1e-14 * i;
    with_spec_case(n, n, s, 42, "dc tight clusters");
    /* Half zero (rank deficient), tall and wide. */
    for (int i = 0; i < n; i++) s[i] = i < n / 2 ? 1.0 + i : 0.0;
    with_spec_case(n, n, s, 43, "dc rank deficient");
    with_spec_case(n + 150, n, s, 44, "dc rank deficient tall");
    with_spec_case(n, n + 40, s, 45, "dc rank deficient wide");
    /* Graded over 15 and over 300 orders of magnitude. */
    for (int i = 0; i < n; i++) s[i] = pow(10.0, -15.0 * i / (n - 1));
    with_spec_case(n, n, s, 46, "dc graded 1..1e-15");
    for (int i = 0; i < n; i++) s[i] = pow(10.0, -300.0 * i / (n - 1));
    with_spec_case(n, n, s, 47, "dc graded 1..1e-300");
    /* One large value and many equal small ones. */
    for (int i = 0; i < n; i++) s[i] = i == 0 ? 1e6 : 1.0;
    with_spec_case(n, n, s, 48, "dc one large");
    /* Geometric pairs: every value twice. */
    for (int i = 0; i < n; i++) s[i] = pow(0.9, i / 2);
    with_spec_case(n, n, s, 49, "dc pairs");
    free(s);

    /* Orthogonal and identity matrices above the base case (every z entry
     * but one deflates). */
    double *Q = tu_orthonormal(100, 100, 50);
    check_svd(100, 100, Q, "dc orthogonal");
    free(Q);
    double *Id = tu_zeros(64, 64);
    for (int i = 0; i < 64; i++) Id[i * 65] = 1.0;
    check_svd(64, 64, Id, "dc identity");
    free(Id);
    /* Rank one, zero. */
    double *A = tu_zeros(80, 60);
    double *u = tu_randn(80, 1, 51), *v = tu_randn(60, 1, 52);
    for (int j = 0; j < 60; j++)
        for (int i = 0; i < 80; i++) A[(size_t)j * 80 + i] = u[i] * v[j];
    check_svd(80, 60, A, "dc rank one");
    free(u); free(v);
    for (int i = 0; i < 80 * 60; i++) A[i] = 0.0;
    check_svd(80, 60, A, "dc zero");
    free(A);
    /* Extreme scales. */
    static const double scales[] = { 1e300, 1e-300, 1e-310 };
    for (size_t t = 0; t < sizeof scales / sizeof scales[0]; t++) {
        double *R = tu_randn(60, 50, 53 + (int)t);
        for (int i = 0; i < 60 * 50; i++) R[i] *= scales[t];
        check_svd(60, 50, R, "dc extreme scale");
        free(R);
    }
}

static int report(void **state)
{
    (void)state;
    printf("test_svd: %d matrices; max scaled errors: values %.3g, residual %.3g, "
           "orthogonality %.3g, paths agree %.3g (limit %.0f)\n",
           g_cases, g_max_sv, g_max_res, g_max_orth, g_max_vo, TOL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_square),
        cmocka_unit_test(test_random_rect),
        cmocka_unit_test(test_rank_deficient),
        cmocka_unit_test(test_graded),
        cmocka_unit_test(test_clustered),
        cmocka_unit_test(test_tiny_shapes),
        cmocka_unit_test(test_extreme_scale),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_dc_sizes),
        cmocka_unit_test(test_dc_bidiagonal),
        cmocka_unit_test(test_dc_spectra),
        cmocka_unit_test(test_dc_large),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
