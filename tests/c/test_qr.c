/*
 * test_qr.c — sk_dgeqrf, sk_dorgqr, sk_dormqr: backward error and
 * orthogonality on random, rank-deficient, graded and degenerate shapes,
 * agreement with LAPACK (the oracle), argument checking and SK_ENOMEM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

/* Under ASan a failed huge malloc must return NULL, not abort (the SK_ENOMEM tests). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

#define PAD 12345.0 /* value in the lda padding rows; must survive untouched */

/* Copy the m×n matrix B (ld m) into fresh storage with leading dimension lda > m, padded with PAD. */
static double *padded(int m, int n, int lda, const double *B)
{
    double *A = tu_zeros(lda, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++) A[(size_t)j * lda + i] = i < m ? B[(size_t)j * m + i] : PAD;
    return A;
}

static void check_padding(int m, int n, int lda, const double *A)
{
    for (int j = 0; j < n; j++)
        for (int i = m; i < lda; i++)
            if (A[(size_t)j * lda + i] != PAD) fail_msg("padding A(%d,%d) overwritten", i, j);
}

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

/* Column j scaled by 10^(-grade*j/(n-1)). */
static void grade_columns(int m, int n, double *A, double grade)
{
    for (int j = 0; j < n; j++) {
        double s = pow(10.0, -grade * (n > 1 ? (double)j / (n - 1) : 0.0));
        for (int i = 0; i < m; i++) A[(size_t)j * m + i] *= s;
    }
}

/*
 * Factor A0 (m×n, ld m) with lda = m + extra; check ||A − QR||, ||QᵀQ − I||,
 * the padding, and (if compare) R and tau against LAPACKE_dgeqrf.
 */
static void check_qr(int m, int n, const double *A0, int extra, int compare)
{
    int lda = imax(1, m + extra), k = imin(m, n), big = imax(1, imax(m, n));
    double *A = padded(m, n, lda, A0);
    double *tau = tu_zeros(k, 1);
    assert_int_equal(sk_dgeqrf(m, n, A, lda, tau), 0);
    check_padding(m, n, lda, A);

    /* R: k×n upper trapezoid. */
    double *R = tu_zeros(k, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i <= j && i < k; i++) R[(size_t)j * k + i] = A[(size_t)j * lda + i];
    /* Thin Q (m×k) from the first k columns. */
    double *Q = tu_zeros(lda, imax(k, 1));
    memcpy(Q, A, sizeof(double) * (size_t)lda * k);
    assert_int_equal(sk_dorgqr(m, k, k, Q, lda, tau), 0);
    check_padding(m, k, lda, Q);

    double anrm = tu_fro(m, n, A0, imax(1, m));
    double *QR = tu_matmul(m, n, k, Q, lda, R, imax(1, k));
    double res = tu_diff_fro(m, n, A0, imax(1, m), QR, imax(1, m));
    double sres = anrm > 0 ? res / (anrm * big * TU_EPS) : res;
    double orth = tu_orth_err(m, k, Q, lda) / (big * TU_EPS);
    /* Householder QR (Higham Thm 19.4, 19.13): both c·n·eps with c ~ 1. */
    tu_assert_within(sres, 10.0, "m=%d n=%d lda=%d: ||A-QR||/(||A|| n eps)", m, n, lda);
    tu_assert_within(orth, 10.0, "m=%d n=%d lda=%d: ||Q'Q-I||/(n eps)", m, n, lda);

    if (compare && k > 0) {
        double *B = tu_copy(m, n, A0, imax(1, m));
        double *tb = tu_zeros(k, 1);
        assert_int_equal(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, B, imax(1, m), tb), 0);
        double rmax = 0.0, tmax = 0.0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j && i < k; i++)
                rmax = fmax(rmax, fabs(R[(size_t)j * k + i] - B[(size_t)j * m + i]));
        for (int i = 0; i < k; i++) tmax = fmax(tmax, fabs(tau[i] - tb[i]));
        /* Same reflectors up to rounding: R differs by ~cond(A)·n·eps·||A||, tau
         * (in [1, 2]) by cond·n·eps; random A has cond ~1e2-1e3: 4.5e5·eps. */
        tu_assert_within(rmax, tu_bound(0, 0, 4.5e5, anrm) + 1e-300 * (anrm == 0), "m=%d n=%d: R vs LAPACK", m, n);
        tu_assert_within(tmax, tu_bound(0, 0, 4.5e5, 1.0), "m=%d n=%d: tau vs LAPACK", m, n);
        free(B);
        free(tb);
    }
    free(A); free(tau); free(R); free(Q); free(QR);
}

static const int sizes[] = { 1, 2, 3, 31, 32, 33, 64, 65, 100, 257 };
#define NSIZES ((int)(sizeof sizes / sizeof sizes[0]))

static void test_qr_random_square(void **state)
{
    (void)state;
    for (int s = 0; s < NSIZES; s++) {
        int n = sizes[s];
        double *A = tu_randn(n, n, 100 + n);
        check_qr(n, n, A, 0, 1);
        check_qr(n, n, A, 3, 0);
        free(A);
    }
}

static void test_qr_random_rect(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 1, 5 }, { 5, 1 }, { 1, 100 }, { 100, 1 }, { 2, 70 },
                                     { 70, 2 }, { 31, 33 }, { 33, 31 }, { 64, 100 }, { 100, 64 },
                                     { 257, 40 }, { 40, 257 }, { 300, 97 }, { 97, 300 },
                                     { 130, 129 }, { 129, 130 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 7 * m + n);
        check_qr(m, n, A, 0, 1);
        check_qr(m, n, A, 5, 0);
        free(A);
    }
}

static void test_qr_empty(void **state)
{
    (void)state;
    double tau[1] = { 7.0 }, dummy[4] = { 1, 2, 3, 4 };
    assert_int_equal(sk_dgeqrf(0, 5, dummy, 1, tau), 0);
    assert_int_equal(sk_dgeqrf(5, 0, dummy, 5, tau), 0);
    assert_int_equal(sk_dgeqrf(0, 0, NULL, 1, NULL), 0);
    assert_int_equal(sk_dgeqrf(0, 5, NULL, 1, NULL), 0);
    assert_true(tau[0] == 7.0 && dummy[0] == 1.0);
    assert_int_equal(sk_dorgqr(0, 0, 0, NULL, 1, NULL), 0);
    assert_int_equal(sk_dorgqr(5, 0, 0, NULL, 5, NULL), 0);
    /* k = 0 reflectors: Q is the first n columns of the identity. */
    double Q[12];
    for (int i = 0; i < 12; i++) Q[i] = 9.0;
    assert_int_equal(sk_dorgqr(4, 3, 0, Q, 4, NULL), 0);
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 4; i++) assert_true(Q[j * 4 + i] == (i == j ? 1.0 : 0.0));
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 0, 3, 0, NULL, 1, NULL, NULL, 1), 0);
    assert_int_equal(sk_dormqr(SK_RIGHT, SK_TRANS, 3, 0, 0, NULL, 1, NULL, NULL, 3), 0);
    /* k = 0 leaves C alone. */
    double C[6] = { 1, 2, 3, 4, 5, 6 };
    assert_int_equal(sk_dormqr(SK_LEFT, SK_TRANS, 3, 2, 0, NULL, 3, NULL, C, 3), 0);
    for (int i = 0; i < 6; i++) assert_true(C[i] == i + 1);
}

static void test_qr_one_by_one(void **state)
{
    (void)state;
    double a = -3.0, tau = 5.0;
    assert_int_equal(sk_dgeqrf(1, 1, &a, 1, &tau), 0);
    /* A 1-vector needs no reflection (LAPACK: tau = 0, R = a). */
    assert_true(a == -3.0 && tau == 0.0);
    assert_int_equal(sk_dorgqr(1, 1, 1, &a, 1, &tau), 0);
    assert_true(a == 1.0);
}

static void test_qr_rank_deficient(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 40, 40 }, { 100, 60 }, { 60, 100 }, { 257, 70 }, { 33, 33 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], k = imin(m, n);
        double *s = tu_zeros(k, 1);
        for (int i = 0; i < k; i++) s[i] = (i % 3 == 2 || i > k / 2) ? 0.0 : 1.0 + i;
        double *A = tu_with_spectrum(m, n, s, 31 + (int)t);
        check_qr(m, n, A, 2, 0);
        free(A);
        free(s);
    }
    /* An exactly zero matrix and a zero column. */
    double *Z = tu_zeros(50, 40);
    check_qr(50, 40, Z, 0, 1);
    free(Z);
    double *B = tu_randn(70, 45, 4);
    for (int i = 0; i < 70; i++) B[3 * 70 + i] = 0.0;
    check_qr(70, 45, B, 0, 1);
    free(B);
}

static void test_qr_graded(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 50, 50 }, { 120, 80 }, { 80, 120 }, { 257, 257 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 99 + (int)t);
        grade_columns(m, n, A, 12.0);
        check_qr(m, n, A, 1, 0);
        /* Reversed grading (tiny columns first). */
        for (int j = 0; j < n / 2; j++)
            for (int i = 0; i < m; i++) {
                double tmp = A[(size_t)j * m + i];
                A[(size_t)j * m + i] = A[(size_t)(n - 1 - j) * m + i];
                A[(size_t)(n - 1 - j) * m + i] = tmp;
            }
        check_qr(m, n, A, 0, 0);
        free(A);
    }
}

static void test_qr_extreme_scale(void **state)
{
    (void)state;
    /* Entries near underflow and overflow: dlarfg's rescaling keeps R accurate. */
    int m = 40, n = 35;
    double scales[] = { 1e-300, 1e-303, 1e290 };
    for (int t = 0; t < 3; t++) {
        double *A = tu_randn(m, n, 5 + t);
        for (int i = 0; i < m * n; i++) A[i] *= scales[t];
        check_qr(m, n, A, 0, 1);
        free(A);
    }
}

/* dorgqr with k < n reflectors, and m > n, against LAPACKE_dorgqr. */
static void test_orgqr_vs_lapack(void **state)
{
    (void)state;
    static const int cases[][3] = { { 100, 80, 40 }, { 100, 100, 100 }, { 257, 100, 65 },
                                    { 70, 70, 0 },   { 70, 64, 33 },    { 5, 3, 2 },
                                    { 300, 200, 200 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        int m = cases[t][0], n = cases[t][1], k = cases[t][2];
        double *A = tu_randn(m, n, 11 + (int)t);
        double *tau = tu_zeros(imax(k, 1), 1);
        if (k > 0) assert_int_equal(sk_dgeqrf(m, k, A, m, tau), 0);
        double *B = tu_copy(m, n, A, m);
        assert_int_equal(sk_dorgqr(m, n, k, A, m, tau), 0);
        assert_int_equal(LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, n, k, B, m, tau), 0);
        double d = tu_diff_fro(m, n, A, m, B, m);
        double orth = tu_orth_err(m, n, A, m) / (m * TU_EPS);
        /* The same reflectors applied in another order/blocking: c·m·eps (c = 100 margin). */
        tu_assert_within(d, tu_bound(0, 0, 100.0 * m, 1.0), "orgqr m=%d n=%d k=%d: vs LAPACK", m, n, k);
        tu_assert_within(orth, 10.0, "orgqr m=%d n=%d k=%d: ||Q'Q-I||/(m eps)", m, n, k);
        free(A); free(B); free(tau);
    }
}

/* Full m×m Q from the reflectors of an m×n factorization; ld = m. */
static double *full_q(int m, int n, const double *F, int ldf, const double *tau)
{
    int k = imin(m, n);
    double *Q = tu_zeros(m, m);
    for (int j = 0; j < k; j++)
        for (int i = 0; i < m; i++) Q[(size_t)j * m + i] = F[(size_t)j * ldf + i];
    assert_int_equal(sk_dorgqr(m, m, k, Q, m, tau), 0);
    return Q;
}

static void check_ormqr(int m, int n, int p, int seed)
{
    /* Q of order m from an m×n factorization (k = min(m, n) reflectors). */
    int k = imin(m, n);
    int lda = m + 2;
    double *A0 = tu_randn(m, n, seed);
    double *A = padded(m, n, lda, A0);
    double *tau = tu_zeros(imax(k, 1), 1);
    assert_int_equal(sk_dgeqrf(m, n, A, lda, tau), 0);
    double *Q = full_q(m, n, A, lda, tau);
    double *QT = tu_zeros(m, m);
    for (int j = 0; j < m; j++)
        for (int i = 0; i < m; i++) QT[(size_t)j * m + i] = Q[(size_t)i * m + j];

    for (int side = 0; side < 2; side++)
        for (int tr = 0; tr < 2; tr++) {
            int cm = side == 0 ? m : p, cn = side == 0 ? p : m;
            int ldc = cm + 3;
            double *C0 = tu_randn(cm, cn, seed + 17 * side + tr);
            double *C = padded(cm, cn, ldc, C0);
            int st = sk_dormqr(side ? SK_RIGHT : SK_LEFT, tr ? SK_TRANS : SK_NOTRANS, cm, cn, k, A,
                               lda, tau, C, ldc);
            assert_int_equal(st, 0);
            check_padding(cm, cn, ldc, C);
            const double *op = tr ? QT : Q;
            double *ref = side == 0 ? tu_matmul(cm, cn, m, op, m, C0, cm)
                                    : tu_matmul(cm, cn, m, C0, cm, op, m);
            double d = tu_diff_fro(cm, cn, C, ldc, ref, cm);
            double cn0 = tu_fro(cm, cn, C0, cm);
            double sres = d / (cn0 * imax(m, 1) * TU_EPS);
            /* Applying reflectors vs multiplying by the formed Q: c·m·eps·||C||. */
            tu_assert_within(sres, 10.0, "ormqr m=%d n=%d p=%d side=%d trans=%d: scaled diff", m, n, p, side, tr);
            free(C0); free(C); free(ref);
        }
    free(A0); free(A); free(tau); free(Q); free(QT);
}

static void test_ormqr_all_cases(void **state)
{
    (void)state;
    static const int cases[][3] = { { 1, 1, 3 },   { 5, 3, 4 },    { 3, 5, 4 },   { 33, 33, 7 },
                                    { 64, 40, 70 }, { 100, 100, 1 }, { 257, 100, 50 },
                                    { 80, 200, 33 }, { 2, 1, 1 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++)
        check_ormqr(cases[t][0], cases[t][1], cases[t][2], 300 + (int)t);
}

/* dormqr with k < order of Q: compare against LAPACKE_dormqr. */
static void test_ormqr_vs_lapack(void **state)
{
    (void)state;
    int m = 90, k = 45, p = 20;
    double *A = tu_randn(m, k, 77);
    double *tau = tu_zeros(k, 1);
    assert_int_equal(sk_dgeqrf(m, k, A, m, tau), 0);
    for (int side = 0; side < 2; side++)
        for (int tr = 0; tr < 2; tr++) {
            int cm = side == 0 ? m : p, cn = side == 0 ? p : m;
            double *C = tu_randn(cm, cn, 5 + side * 2 + tr);
            double *D = tu_copy(cm, cn, C, cm);
            assert_int_equal(sk_dormqr(side ? SK_RIGHT : SK_LEFT, tr ? SK_TRANS : SK_NOTRANS, cm,
                                       cn, k, A, m, tau, C, cm), 0);
            assert_int_equal(LAPACKE_dormqr(LAPACK_COL_MAJOR, side ? 'R' : 'L', tr ? 'T' : 'N',
                                            cm, cn, k, A, m, tau, D, cm), 0);
            double d = tu_diff_fro(cm, cn, C, cm, D, cm) / tu_fro(cm, cn, D, cm);
            tu_assert_within(d, tu_bound(0, 0, 100.0 * m, 1.0), "ormqr vs LAPACK side=%d tr=%d (relative)", side, tr); /* as orgqr */
            free(C); free(D);
        }
    free(A); free(tau);
}

static void test_qr_invalid_args(void **state)
{
    (void)state;
    double A[16] = { 0 }, tau[4] = { 0 }, C[16] = { 0 };
    assert_int_equal(sk_dgeqrf(-1, 2, A, 2, tau), -1);
    assert_int_equal(sk_dgeqrf(2, -1, A, 2, tau), -2);
    assert_int_equal(sk_dgeqrf(2, 2, NULL, 2, tau), -3);
    assert_int_equal(sk_dgeqrf(2, 2, A, 1, tau), -4);
    assert_int_equal(sk_dgeqrf(0, 2, A, 0, tau), -4);
    assert_int_equal(sk_dgeqrf(2, 2, A, 2, NULL), -5);

    assert_int_equal(sk_dorgqr(-1, 0, 0, A, 1, tau), -1);
    assert_int_equal(sk_dorgqr(2, 3, 0, A, 2, tau), -2);
    assert_int_equal(sk_dorgqr(2, -1, 0, A, 2, tau), -2);
    assert_int_equal(sk_dorgqr(3, 2, 3, A, 3, tau), -3);
    assert_int_equal(sk_dorgqr(3, 2, -1, A, 3, tau), -3);
    assert_int_equal(sk_dorgqr(3, 2, 1, NULL, 3, tau), -4);
    assert_int_equal(sk_dorgqr(3, 2, 1, A, 2, tau), -5);
    assert_int_equal(sk_dorgqr(3, 2, 1, A, 3, NULL), -6);

    assert_int_equal(sk_dormqr((sk_side_t)2, SK_NOTRANS, 2, 2, 1, A, 2, tau, C, 2), -1);
    assert_int_equal(sk_dormqr(SK_LEFT, (sk_trans_t)5, 2, 2, 1, A, 2, tau, C, 2), -2);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, -1, 2, 1, A, 2, tau, C, 2), -3);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, -1, 1, A, 2, tau, C, 2), -4);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, 4, 3, A, 2, tau, C, 2), -5);
    assert_int_equal(sk_dormqr(SK_RIGHT, SK_NOTRANS, 4, 2, 3, A, 2, tau, C, 4), -5);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, 2, -1, A, 2, tau, C, 2), -5);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, 2, 1, NULL, 2, tau, C, 2), -6);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 3, 2, 1, A, 2, tau, C, 3), -7);
    assert_int_equal(sk_dormqr(SK_RIGHT, SK_NOTRANS, 2, 3, 1, A, 2, tau, C, 2), -7);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, 2, 1, A, 2, NULL, C, 2), -8);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_NOTRANS, 2, 2, 1, A, 2, tau, NULL, 2), -9);
    assert_int_equal(sk_dormqr(SK_RIGHT, SK_NOTRANS, 3, 2, 1, A, 2, tau, C, 2), -10);
}

/*
 * SK_ENOMEM: absurd sizes with a tiny buffer. Safe because each function
 * allocates its (single-block) workspace before touching A or C; the test
 * first checks that an allocation of the same order really fails here and
 * skips otherwise (a machine with that much memory would let the call run).
 */
static int huge_alloc_fails(size_t bytes)
{
    void *p = malloc(bytes);
    if (p) { free(p); return 0; }
    return 1;
}

static void test_qr_enomem(void **state)
{
    (void)state;
    const int big = 1 << 30;
    /* dgeqrf/dorgqr workspace is (m + n + 32)·32 doubles: ~512 GiB here. */
    if (!huge_alloc_fails((size_t)big * 64 * sizeof(double))) skip();
    double dummy[4] = { 1, 2, 3, 4 }, tau[4] = { 0 };
    assert_int_equal(sk_dgeqrf(big, big, dummy, big, tau), SK_ENOMEM);
    assert_int_equal(sk_dorgqr(big, big, big, dummy, big, tau), SK_ENOMEM);
    assert_int_equal(sk_dormqr(SK_LEFT, SK_TRANS, big, big, big, dummy, big, tau, dummy, big),
                     SK_ENOMEM);
    assert_true(dummy[0] == 1.0 && dummy[3] == 4.0 && tau[0] == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_random_square),
        cmocka_unit_test(test_qr_random_rect),
        cmocka_unit_test(test_qr_empty),
        cmocka_unit_test(test_qr_one_by_one),
        cmocka_unit_test(test_qr_rank_deficient),
        cmocka_unit_test(test_qr_graded),
        cmocka_unit_test(test_qr_extreme_scale),
        cmocka_unit_test(test_orgqr_vs_lapack),
        cmocka_unit_test(test_ormqr_all_cases),
        cmocka_unit_test(test_ormqr_vs_lapack),
        cmocka_unit_test(test_qr_invalid_args),
        cmocka_unit_test(test_qr_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
