/*
 * test_eigh.c — sk_dsyevd against LAPACKE_dsyev.
 *
 * For every symmetric n×n matrix (eps = DBL_EPSILON, ||A|| = ||A||_F):
 *   eigenvalues      max_i |w_i − w_ref,i| / (n·eps·||A||)   <= 30, ascending
 *   residual         ||A V − V diag(w)||_F / (||A||·n·eps)   <= 30
 *   orthogonality    ||VᵀV − I||_F / (n·eps)                 <= 30
 *   values only gives the same eigenvalues.
 * Only the lower triangle may be read: the strict upper triangle and the
 * padding rows (lda > n) are NaN on entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketchlab.h"
#include "testutil.h"

/* LAPACK's own test threshold for these scaled ratios (THRESH = 30 in its svd.in / sep.in):
 * backward stability gives c·N·eps with c ~ 1; observed <= 1.5 on every OpenBLAS kernel. */
#define TOL 30.0
#define PAD 2

static double g_max_w, g_max_res, g_max_orth, g_max_vo;
static int g_cases;

static void upd(double *g, double v) { if (v > *g || isnan(v)) *g = v; }

/* Symmetric part of a Gaussian matrix, (G + Gᵀ)/2. */
static double *rand_sym(int n, int seed)
{
    double *G = tu_randn(n, n, seed);
    for (int j = 0; j < n; j++)
        for (int i = j + 1; i < n; i++) {
            double a = 0.5 * (G[(size_t)j * n + i] + G[(size_t)i * n + j]);
            G[(size_t)j * n + i] = a;
            G[(size_t)i * n + j] = a;
        }
    return G;
}

/* Q diag(lam) Qᵀ with a random orthogonal Q (symmetrized exactly). */
static double *sym_with_eigs(int n, const double *lam, int seed)
{
    double *A = tu_with_spectrum(n, n, lam, seed);
    /* tu_with_spectrum gives U S Vᵀ with U ≠ V; build Q S Qᵀ instead. */
    free(A);
    double *Q = tu_orthonormal(n, n, seed);
    double *QS = tu_zeros(n, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) QS[(size_t)j * n + i] = Q[(size_t)j * n + i] * lam[j];
    double *Qt = tu_zeros(n, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) Qt[(size_t)i * n + j] = Q[(size_t)j * n + i];
    A = tu_matmul(n, n, n, QS, n, Qt, n);
    for (int j = 0; j < n; j++)
        for (int i = j + 1; i < n; i++) A[(size_t)i * n + j] = A[(size_t)j * n + i];
    free(Q); free(QS); free(Qt);
    return A;
}

/* lda×n copy of the lower triangle of A; NaN above the diagonal and in padding. */
static double *lower_padded(int n, int lda, const double *A)
{
    double *P = tu_zeros(lda, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++)
            P[(size_t)j * lda + i] = (i >= j && i < n) ? A[(size_t)j * n + i] : nan("");
    return P;
}

static void check_eigh(int n, const double *A, const char *label)
{
    int lda = n + PAD;
    double anorm = tu_fro(n, n, A, n > 0 ? n : 1);
    double *wref = tu_zeros(n > 0 ? n : 1, 1);
    if (n > 0) {
        double *C = tu_copy(n, n, A, n);
        assert_int_equal(LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', n, C, n, wref), 0);
        free(C);
    }
    double *Ap = lower_padded(n, lda, A);
    double *w = tu_zeros(n > 0 ? n : 1, 1);
    assert_int_equal(sk_dsyevd(1, n, Ap, lda, w), 0);
    g_cases++;
    /* Scaled by a power of two so that the checks below do not underflow for
     * the tiny test matrices (exact). */
    int e2 = 0;
    if (anorm > 0.0) (void)frexp(anorm, &e2);
    double asn = ldexp(anorm, -e2);

    double werr = 0.0;
    for (int i = 0; i < n; i++) {
        double d = fabs(w[i] - wref[i]);
        double sc = d == 0.0 ? 0.0 : ldexp(d, -e2) / (n * TU_EPS * asn);
        if (sc > werr || isnan(sc)) werr = sc;
        if (i > 0) assert_true(w[i] >= w[i - 1]);
    }
    tu_assert_within(werr, TOL, "%s (n=%d): eigenvalues / (n eps ||A||)", label, n);
    upd(&g_max_w, werr);

    if (n > 0) {
        double *V = tu_copy(n, n, Ap, lda);
        double *As = tu_copy(n, n, A, n);
        for (int i = 0; i < n * n; i++) As[i] = ldexp(As[i], -e2);
        double *AV = tu_matmul(n, n, n, As, n, V, n);
        double *VL = tu_zeros(n, n);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) VL[(size_t)j * n + i] = V[(size_t)j * n + i] * ldexp(w[j], -e2);
        double res = tu_diff_fro(n, n, AV, n, VL, n);
        double rsc = anorm == 0.0 ? (res == 0.0 ? 0.0 : INFINITY) : res / (asn * n * TU_EPS);
        double orth = tu_orth_err(n, n, V, n) / (n * TU_EPS);
        tu_assert_within(rsc, TOL, "%s (n=%d): residual / (||A|| n eps)", label, n);
        tu_assert_within(orth, TOL, "%s (n=%d): ||V'V-I||/(n eps)", label, n);
        upd(&g_max_res, rsc);
        upd(&g_max_orth, orth);
        for (int j = 0; j < n; j++)
            for (int i = n; i < lda; i++) assert_true(isnan(Ap[(size_t)j * lda + i]));
        free(V); free(As); free(AV); free(VL);
    }

    /* Values only. */
    double *A2 = lower_padded(n, lda, A);
    double *w2 = tu_zeros(n > 0 ? n : 1, 1);
    assert_int_equal(sk_dsyevd(0, n, A2, lda, w2), 0);
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        double d = fabs(w2[i] - w[i]);
        double sc = d == 0.0 ? 0.0 : ldexp(d, -e2) / (n * TU_EPS * asn);
        if (sc > e || isnan(sc)) e = sc;
    }
    tu_assert_within(e, TOL, "%s (n=%d): values-only / (n eps ||A||)", label, n);
    upd(&g_max_vo, e);
    free(A2); free(w2); free(Ap); free(w); free(wref);
}

static void test_random(void **state)
{
    (void)state;
    static const int sizes[] = { 1, 2, 3, 10, 31, 64, 100, 200 };
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        double *A = rand_sym(sizes[t], 500 + sizes[t]);
        check_eigh(sizes[t], A, "random");
        free(A);
    }
}

static void test_spectra(void **state)
{
    (void)state;
    int n = 80;
    double *lam = tu_zeros(n, 1);
    /* Graded, both signs. */
    for (int i = 0; i < n; i++) lam[i] = (i % 2 ? -1.0 : 1.0) * pow(10.0, -15.0 * i / (n - 1));
    double *A = sym_with_eigs(n, lam, 1);
    check_eigh(n, A, "graded");
    free(A);
    /* Repeated and clustered. */
    for (int i = 0; i < n; i++) lam[i] = i < 30 ? 2.0 : i < 50 ? -1.0 + 1e-14 * i : 0.0;
    A = sym_with_eigs(n, lam, 2);
    check_eigh(n, A, "clustered / repeated / singular");
    free(A);
    /* Positive definite, badly conditioned. */
    for (int i = 0; i < n; i++) lam[i] = pow(10.0, -12.0 * i / (n - 1));
    A = sym_with_eigs(n, lam, 3);
    check_eigh(n, A, "spd ill-conditioned");
    free(A);
    free(lam);
    /* Identity, zero, unsorted diagonal, the 1-2-1 tridiagonal (Wilkinson-like). */
    double *T = tu_zeros(20, 20);
    for (int i = 0; i < 20; i++) T[i * 21] = 1.0;
    check_eigh(20, T, "identity");
    for (int i = 0; i < 20; i++) T[i * 21] = (double)((i * 7) % 11) - 5.0;
    check_eigh(20, T, "unsorted diagonal");
    memset(T, 0, 400 * sizeof(double));
    check_eigh(20, T, "zero");
    for (int i = 0; i < 20; i++) {
        T[i * 21] = 2.0;
        if (i + 1 < 20) { T[i * 21 + 1] = -1.0; T[(i + 1) * 20 + i] = -1.0; }
    }
    check_eigh(20, T, "1-2-1 tridiagonal");
    /* Wilkinson W21+. */
    memset(T, 0, 400 * sizeof(double));
    for (int i = 0; i < 20; i++) {
        T[i * 21] = fabs(9.5 - i);
        if (i + 1 < 20) { T[i * 21 + 1] = 1.0; T[(i + 1) * 20 + i] = 1.0; }
    }
    check_eigh(20, T, "Wilkinson");
    free(T);
}

static void test_scale(void **state)
{
    (void)state;
    static const double scales[] = { 1e150, 1e-150, 1e300, 1e-300, 1e-310 };
    for (size_t t = 0; t < sizeof scales / sizeof scales[0]; t++) {
        double *A = rand_sym(30, 70 + (int)t);
        for (int i = 0; i < 900; i++) A[i] *= scales[t];
        check_eigh(30, A, "extreme scale");
        free(A);
    }
    double *A = rand_sym(20, 91);
    for (int j = 0; j < 20; j++)
        for (int i = 0; i < 20; i++) A[j * 20 + i] *= (i + j) % 2 ? 1e150 : 1e-150;
    check_eigh(20, A, "mixed 1e150/1e-150");
    free(A);
}

static void test_tiny_and_invalid(void **state)
{
    (void)state;
    double a = -4.0, w = 0.0;
    assert_int_equal(sk_dsyevd(1, 1, &a, 1, &w), 0);
    assert_true(w == -4.0 && a == 1.0);
    assert_int_equal(sk_dsyevd(1, 0, NULL, 1, NULL), 0);
    assert_int_equal(sk_dsyevd(0, 0, NULL, 1, NULL), 0);
    double A[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, ws[3];
    assert_int_equal(sk_dsyevd(2, 3, A, 3, ws), -1);
    assert_int_equal(sk_dsyevd(-1, 3, A, 3, ws), -1);
    assert_int_equal(sk_dsyevd(1, -1, A, 3, ws), -2);
    assert_int_equal(sk_dsyevd(1, 3, NULL, 3, ws), -3);
    assert_int_equal(sk_dsyevd(1, 3, A, 2, ws), -4);
    assert_int_equal(sk_dsyevd(1, 0, A, 0, ws), -4);
    assert_int_equal(sk_dsyevd(1, 3, A, 3, NULL), -5);
}

static int report(void **state)
{
    (void)state;
    printf("test_eigh: %d matrices; max scaled errors: eigenvalues %.3g, residual %.3g, "
           "orthogonality %.3g, values-only agrees %.3g (limit %.0f)\n",
           g_cases, g_max_w, g_max_res, g_max_orth, g_max_vo, TOL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_spectra),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_tiny_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
