/*
 * test_chol.c — sk_dpotrf: backward error for both triangles on well and
 * ill-conditioned and graded SPD matrices, the other triangle neither read
 * (it holds NaN) nor written, SK_ENOTPD on indefinite / non-finite input, and
 * argument checking.
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

#define PAD 12345.0

static int imax(int a, int b) { return a > b ? a : b; }

/* Q diag(s) Qᵀ with Q Haar-ish orthogonal; n×n, ld n, exactly symmetric. */
static double *spd_with_spectrum(int n, const double *s, int seed)
{
    double *Q = tu_orthonormal(n, n, seed);
    double *A = tu_zeros(n, n);
    for (int j = 0; j < n; j++)
        for (int i = j; i < n; i++) {
            double v = 0.0;
            for (int p = 0; p < n; p++) v += Q[(size_t)p * n + i] * s[p] * Q[(size_t)p * n + j];
            A[(size_t)j * n + i] = A[(size_t)i * n + j] = v;
        }
    free(Q);
    return A;
}

static double *spd_cond(int n, double cond, int seed)
{
    double *s = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) s[i] = n > 1 ? pow(cond, -(double)i / (n - 1)) : 1.0;
    double *A = spd_with_spectrum(n, s, seed);
    free(s);
    return A;
}

/*
 * Copy of the uplo triangle of A0 into storage with ld = n + extra; the other
 * strict triangle is NaN (it must not be read) and the padding is PAD.
 */
static double *prepare(sk_uplo_t uplo, int n, int lda, const double *A0)
{
    double *A = tu_zeros(lda, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++) {
            int in = uplo == SK_LOWER ? i >= j : i <= j;
            A[(size_t)j * lda + i] = i >= n ? PAD : in ? A0[(size_t)j * n + i] : NAN;
        }
    return A;
}

static void check_untouched(sk_uplo_t uplo, int n, int lda, const double *A)
{
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++) {
            double a = A[(size_t)j * lda + i];
            if (i >= n) { if (a != PAD) fail_msg("padding (%d,%d) overwritten", i, j); }
            else if (uplo == SK_LOWER ? i < j : i > j) {
                if (!isnan(a)) fail_msg("other triangle (%d,%d) written", i, j);
            }
        }
}

static void check_chol(int n, const double *A0, int extra, double cond)
{
    int lda = imax(1, n + extra);
    for (int u = 0; u < 2; u++) {
        sk_uplo_t uplo = u ? SK_LOWER : SK_UPPER;
        double *A = prepare(uplo, n, lda, A0);
        assert_int_equal(sk_dpotrf(uplo, n, A, lda), 0);
        check_untouched(uplo, n, lda, A);
        /* F = L (lower) or Uᵀ (upper): A = F Fᵀ. */
        double *F = tu_zeros(n, n);
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++)
                F[(size_t)j * n + i] = uplo == SK_LOWER ? A[(size_t)j * lda + i] : A[(size_t)i * lda + j];
        double *FFt = tu_zeros(n, n);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                double v = 0.0;
                for (int p = 0; p <= (i < j ? i : j); p++) v += F[(size_t)p * n + i] * F[(size_t)p * n + j];
                FFt[(size_t)j * n + i] = v;
            }
        double anrm = tu_fro(n, n, A0, imax(n, 1));
        double res = tu_diff_fro(n, n, A0, imax(n, 1), FFt, imax(n, 1));
        double sres = anrm > 0 ? res / (anrm * imax(n, 1) * TU_EPS) : res;
        /* Backward stability of Cholesky (Higham, Thm 10.3): ||A − LLᵀ|| <= c·n·eps·||A||, c ~ 1. */
        tu_assert_within(sres, 10.0, "n=%d uplo=%d: ||A-LL'||/(||A|| n eps)", n, u);

        /* Against LAPACK's factor: both are backward stable, so by the first-order
         * perturbation bound (Sun 1991; Higham §10.1) they differ by at most
         * ~κ(A)·n·eps·||L|| (κ of the scaled matrix for the graded case). */
        double *B = tu_copy(n, n, A0, imax(n, 1));
        assert_int_equal(LAPACKE_dpotrf(LAPACK_COL_MAJOR, uplo == SK_LOWER ? 'L' : 'U', n, B, imax(n, 1)), 0);
        double fd = 0.0, fn = 0.0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                if (uplo == SK_LOWER ? i < j : i > j) continue;
                fd = fmax(fd, fabs(A[(size_t)j * lda + i] - B[(size_t)j * n + i]));
                fn = fmax(fn, fabs(B[(size_t)j * n + i]));
            }
        tu_assert_within(fd, tu_bound(0, 0, cond * n, fn), "n=%d uplo=%d: factor vs LAPACK (cond %.0e)", n, u, cond);
        free(A); free(F); free(FFt); free(B);
    }
}

static void test_chol_sizes(void **state)
{
    (void)state;
    static const int sizes[] = { 1, 2, 3, 31, 32, 33, 64, 65, 100, 257 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        double *A = spd_cond(n, 1e3, 40 + n);
        check_chol(n, A, 0, 1e3);
        check_chol(n, A, 3, 1e3);
        free(A);
    }
}

static void test_chol_ill_conditioned_and_graded(void **state)
{
    (void)state;
    int n = 90;
    double *A = spd_cond(n, 1e10, 3);
    check_chol(n, A, 2, 1e10);
    free(A);
    /* D S D with S well conditioned and D graded over 8 decades: Cholesky is scale invariant. */
    double *S = spd_cond(n, 10.0, 4);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            S[(size_t)j * n + i] *= pow(10.0, -4.0 * i / n) * pow(10.0, -4.0 * j / n);
    check_chol(n, S, 1, 10.0);
    free(S);
}

static void test_chol_not_pd(void **state)
{
    (void)state;
    static const int cases[][2] = { { 1, 0 }, { 10, 9 }, { 50, 3 }, { 100, 70 }, { 257, 200 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        int n = cases[t][0], bad = cases[t][1];
        double *A = spd_cond(n, 10.0, 60 + (int)t);
        /* Make the leading (bad+1)×(bad+1) block indefinite: first failure at pivot `bad`. */
        A[(size_t)bad * n + bad] -= 1e3;
        for (int u = 0; u < 2; u++) {
            sk_uplo_t uplo = u ? SK_LOWER : SK_UPPER;
            double *B = prepare(uplo, n, n + 1, A);
            assert_int_equal(sk_dpotrf(uplo, n, B, n + 1), SK_ENOTPD);
            check_untouched(uplo, n, n + 1, B);
            double *C = tu_copy(n, n, A, n);
            lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, u ? 'L' : 'U', n, C, n);
            assert_int_equal((int)info, bad + 1);
            free(B); free(C);
        }
        free(A);
    }
    /* Zero, negative, NaN and Inf pivots. */
    double vals[] = { 0.0, -1.0, NAN, INFINITY, -INFINITY };
    for (int v = 0; v < 5; v++) {
        double *A = spd_cond(40, 10.0, 9);
        A[35 * 40 + 35] = vals[v];
        for (int u = 0; u < 2; u++) {
            double *B = tu_copy(40, 40, A, 40);
            assert_int_equal(sk_dpotrf(u ? SK_LOWER : SK_UPPER, 40, B, 40), SK_ENOTPD);
            free(B);
        }
        free(A);
    }
    /* A NaN off the diagonal poisons a later pivot. */
    double *A = spd_cond(40, 10.0, 9);
    A[3 * 40 + 20] = A[20 * 40 + 3] = NAN;
    for (int u = 0; u < 2; u++) {
        double *B = tu_copy(40, 40, A, 40);
        assert_int_equal(sk_dpotrf(u ? SK_LOWER : SK_UPPER, 40, B, 40), SK_ENOTPD);
        free(B);
    }
    free(A);
}

static void test_chol_small_exact(void **state)
{
    (void)state;
    /* [4 2; 2 5] = L Lᵀ with L = [2 0; 1 2]. */
    double A[4] = { 4, 2, 2, 5 };
    assert_int_equal(sk_dpotrf(SK_LOWER, 2, A, 2), 0);
    assert_true(A[0] == 2.0 && A[1] == 1.0 && A[3] == 2.0 && A[2] == 2.0);
    double B[4] = { 4, 2, 2, 5 };
    assert_int_equal(sk_dpotrf(SK_UPPER, 2, B, 2), 0);
    assert_true(B[0] == 2.0 && B[2] == 1.0 && B[3] == 2.0 && B[1] == 2.0);
    assert_int_equal(sk_dpotrf(SK_LOWER, 0, NULL, 1), 0);
}

static void test_chol_invalid_args(void **state)
{
    (void)state;
    double A[4] = { 1, 0, 0, 1 };
    assert_int_equal(sk_dpotrf((sk_uplo_t)7, 2, A, 2), -1);
    assert_int_equal(sk_dpotrf(SK_LOWER, -1, A, 2), -2);
    assert_int_equal(sk_dpotrf(SK_LOWER, 2, NULL, 2), -3);
    assert_int_equal(sk_dpotrf(SK_UPPER, 2, A, 1), -4);
    assert_int_equal(sk_dpotrf(SK_UPPER, 0, A, 0), -4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chol_sizes),
        cmocka_unit_test(test_chol_ill_conditioned_and_graded),
        cmocka_unit_test(test_chol_not_pd),
        cmocka_unit_test(test_chol_small_exact),
        cmocka_unit_test(test_chol_invalid_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
