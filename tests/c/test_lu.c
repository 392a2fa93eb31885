/*
 * test_lu.c — sk_dgetrf and sk_ipiv_to_perm: backward error, pivots against
 * LAPACKE_dgetrf, exactly singular input (SK_ESINGULAR with a completed
 * factorization), degenerate shapes and argument checking.
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
static int imin(int a, int b) { return a < b ? a : b; }

static double *padded(int m, int n, int lda, const double *B)
{
    double *A = tu_zeros(lda, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++) A[(size_t)j * lda + i] = i < m ? B[(size_t)j * m + i] : PAD;
    return A;
}

/*
 * Factor A0 (m×n) with lda = m + extra; check the status and ipiv against
 * LAPACK, ||PA − LU||/(||A|| max(m,n) eps) <= 10, and the factors against
 * LAPACK's (relative 1e-8, generous for element growth). Only the first
 * `steps` pivots are compared (for numerically rank-deficient input the later
 * ones are chosen among rounding errors), and the factors only when all are.
 */
static void check_lu_steps(int m, int n, const double *A0, int extra, int steps)
{
    int lda = imax(1, m + extra), k = imin(m, n), big = imax(1, imax(m, n));
    double *A = padded(m, n, lda, A0);
    int *ipiv = calloc((size_t)imax(k, 1), sizeof(int));
    int st = sk_dgetrf(m, n, A, lda, ipiv);
    for (int j = 0; j < n; j++)
        for (int i = m; i < lda; i++)
            if (A[(size_t)j * lda + i] != PAD) fail_msg("padding overwritten");

    double *B = tu_copy(m, n, A0, imax(1, m));
    lapack_int *jp = calloc((size_t)imax(k, 1), sizeof(lapack_int));
    lapack_int info = k > 0 ? LAPACKE_dgetrf(LAPACK_COL_MAJOR, m, n, B, imax(1, m), jp) : 0;
    assert_true(info >= 0);
    if (info > 0) {
        if (st != SK_ESINGULAR) fail_msg("m=%d n=%d: LAPACK info %d but status %d", m, n, (int)info, st);
    } else if (st != 0) {
        fail_msg("m=%d n=%d: status %d, LAPACK info 0", m, n, st);
    }
    if (steps < 0 || steps > k) steps = k;
    for (int i = 0; i < k; i++) assert_true(ipiv[i] >= i && ipiv[i] < m);
    for (int i = 0; i < steps; i++) {
        if (ipiv[i] != (int)jp[i] - 1)
            fail_msg("m=%d n=%d: ipiv[%d] = %d, LAPACK %d", m, n, i, ipiv[i], (int)jp[i] - 1);
    }

    /* L (m×k, unit lower) and U (k×n, upper). */
    double *L = tu_zeros(m, k), *U = tu_zeros(k, n);
    for (int j = 0; j < k; j++)
        for (int i = 0; i < m; i++)
            L[(size_t)j * m + i] = i == j ? 1.0 : (i > j ? A[(size_t)j * lda + i] : 0.0);
    for (int j = 0; j < n; j++)
        for (int i = 0; i <= j && i < k; i++) U[(size_t)j * k + i] = A[(size_t)j * lda + i];
    int *perm = calloc((size_t)imax(m, 1), sizeof(int));
    assert_int_equal(sk_ipiv_to_perm(m, k, ipiv, perm), 0);
    double *PA = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) PA[(size_t)j * m + i] = A0[(size_t)j * m + perm[i]];
    double *LU = tu_matmul(m, n, k, L, imax(1, m), U, imax(1, k));
    double anrm = tu_fro(m, n, A0, imax(1, m));
    double res = tu_diff_fro(m, n, PA, imax(1, m), LU, imax(1, m));
    double sres = anrm > 0 ? res / (anrm * big * TU_EPS) : res;
    /* Backward error of GEPP (Higham Thm 9.3): c·n·eps·ρ·||A||, growth ρ small on these inputs. */
    tu_assert_within(sres, 10.0, "m=%d n=%d lda=%d: ||PA-LU||/(||A|| n eps)", m, n, lda);

    double fd = 0.0;
    if (steps == k)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) fd = fmax(fd, fabs(A[(size_t)j * lda + i] - B[(size_t)j * m + i]));
    /* Same pivots, both backward stable: the factors differ by ~cond(A)·ρ·n·eps·||A||
     * (first-order LU perturbation, Higham §9.13); the random and structured
     * matrices here have cond(A)·ρ <= 1e3: 1e3·n·eps·||A||. */
    tu_assert_within(fd, tu_bound(0, 0, 1e3 * big, anrm), "m=%d n=%d: factors vs LAPACK", m, n);

    free(A); free(ipiv); free(B); free(jp); free(L); free(U); free(perm); free(PA); free(LU);
}

static void check_lu(int m, int n, const double *A0, int extra) { check_lu_steps(m, n, A0, extra, -1); }

static void test_lu_random_square(void **state)
{
    (void)state;
    static const int sizes[] = { 1, 2, 3, 31, 32, 33, 64, 65, 100, 257 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        double *A = tu_randn(n, n, 10 + n);
        check_lu(n, n, A, 0);
        check_lu(n, n, A, 4);
        free(A);
    }
}

static void test_lu_random_rect(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 1, 6 },   { 6, 1 },   { 1, 100 }, { 100, 1 },
                                     { 31, 33 }, { 33, 31 }, { 64, 100 }, { 100, 64 },
                                     { 257, 40 }, { 40, 257 }, { 300, 97 }, { 97, 300 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 3 * m + n);
        check_lu(m, n, A, 0);
        check_lu(m, n, A, 3);
        free(A);
    }
}

static void test_lu_rank_deficient_and_graded(void **state)
{
    (void)state;
    int n = 100;
    double *s = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) s[i] = i < 60 ? 1.0 + i : 0.0;
    double *A = tu_with_spectrum(n, n, s, 5);
    check_lu_steps(n, n, A, 1, 60);
    free(A);
    free(s);
    /* Rows and columns graded over 12 decades. */
    static const int shapes[][2] = { { 80, 80 }, { 150, 70 }, { 70, 150 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], nn = shapes[t][1];
        double *B = tu_randn(m, nn, 20 + (int)t);
        for (int j = 0; j < nn; j++)
            for (int i = 0; i < m; i++)
                B[(size_t)j * m + i] *= pow(10.0, -12.0 * j / nn) * pow(10.0, -6.0 * ((i * 7) % m) / m);
        check_lu(m, nn, B, 2);
        free(B);
    }
}

static void test_lu_singular(void **state)
{
    (void)state;
    /* A zero column j stays exactly zero under elimination: U(j,j) = 0. */
    static const int cases[][3] = { { 50, 50, 7 }, { 100, 100, 40 }, { 70, 90, 69 }, { 90, 70, 0 },
                                    { 5, 5, 4 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        int m = cases[t][0], n = cases[t][1], zc = cases[t][2];
        double *A = tu_randn(m, n, 70 + (int)t);
        for (int i = 0; i < m; i++) A[(size_t)zc * m + i] = 0.0;
        int *ipiv = calloc((size_t)imin(m, n), sizeof(int));
        double *B = tu_copy(m, n, A, m);
        assert_int_equal(sk_dgetrf(m, n, B, m, ipiv), SK_ESINGULAR);
        assert_true(B[(size_t)zc * m + zc] == 0.0);
        free(B);
        free(ipiv);
        check_lu(m, n, A, 1); /* completed: same factors and pivots as LAPACK */
        free(A);
    }
    /* Zero matrix, and two zero columns. */
    double *Z = tu_zeros(40, 40);
    check_lu(40, 40, Z, 0);
    int ipiv[40];
    assert_int_equal(sk_dgetrf(40, 40, Z, 40, ipiv), SK_ESINGULAR);
    for (int i = 0; i < 40; i++) assert_int_equal(ipiv[i], i);
    free(Z);
    double *C = tu_randn(60, 60, 8);
    for (int i = 0; i < 60; i++) C[3 * 60 + i] = C[45 * 60 + i] = 0.0;
    check_lu(60, 60, C, 0);
    free(C);
}

static void test_lu_small_exact(void **state)
{
    (void)state;
    /* [1 2; 3 4]: pivot row 1, L = [1 0; 1/3 1], U = [3 4; 0 2/3]. */
    double A[4] = { 1, 3, 2, 4 };
    int ipiv[2];
    assert_int_equal(sk_dgetrf(2, 2, A, 2, ipiv), 0);
    assert_int_equal(ipiv[0], 1);
    assert_int_equal(ipiv[1], 1);
    /* One division (correctly rounded) and one multiply-subtract: a few eps relative. */
    assert_true(A[0] == 3.0 && A[2] == 4.0);
    tu_assert_within(fabs(A[1] - 1.0 / 3.0), tu_bound(1, 1.0 / 3.0, 0, 0), "L21 = 1/3");
    tu_assert_within(fabs(A[3] - 2.0 / 3.0), tu_bound(8, 2.0 / 3.0, 0, 0), "U22 = 2/3");
    double one = 0.0;
    int p = -1;
    assert_int_equal(sk_dgetrf(1, 1, &one, 1, &p), SK_ESINGULAR);
    assert_int_equal(p, 0);
}

static void test_lu_empty(void **state)
{
    (void)state;
    double dummy = 1.0;
    int ipiv = -7;
    assert_int_equal(sk_dgetrf(0, 5, NULL, 1, NULL), 0);
    assert_int_equal(sk_dgetrf(5, 0, NULL, 5, NULL), 0);
    assert_int_equal(sk_dgetrf(0, 0, &dummy, 1, &ipiv), 0);
    assert_true(dummy == 1.0 && ipiv == -7);
    assert_int_equal(sk_ipiv_to_perm(0, 0, NULL, NULL), 0);
}

static void test_ipiv_to_perm(void **state)
{
    (void)state;
    /* Swaps (0,2), (1,1), (2,3) on 4 rows: [0 1 2 3] → [2 1 0 3] → [2 1 3 0]. */
    int ipiv[3] = { 2, 1, 3 }, perm[4];
    assert_int_equal(sk_ipiv_to_perm(4, 3, ipiv, perm), 0);
    int expect[4] = { 2, 1, 3, 0 };
    for (int i = 0; i < 4; i++) assert_int_equal(perm[i], expect[i]);
    /* k = 0: identity. */
    assert_int_equal(sk_ipiv_to_perm(3, 0, NULL, perm), 0);
    for (int i = 0; i < 3; i++) assert_int_equal(perm[i], i);
    /* Invalid arguments. */
    assert_int_equal(sk_ipiv_to_perm(-1, 0, ipiv, perm), -1);
    assert_int_equal(sk_ipiv_to_perm(2, 3, ipiv, perm), -2);
    assert_int_equal(sk_ipiv_to_perm(4, -1, ipiv, perm), -2);
    assert_int_equal(sk_ipiv_to_perm(4, 2, NULL, perm), -3);
    int bad[2] = { 0, 4 };
    assert_int_equal(sk_ipiv_to_perm(4, 2, bad, perm), -3);
    bad[1] = -1;
    assert_int_equal(sk_ipiv_to_perm(4, 2, bad, perm), -3);
    assert_int_equal(sk_ipiv_to_perm(4, 3, ipiv, NULL), -4);
}

static void test_lu_invalid_args(void **state)
{
    (void)state;
    double A[9] = { 0 };
    int ipiv[3];
    assert_int_equal(sk_dgetrf(-1, 2, A, 2, ipiv), -1);
    assert_int_equal(sk_dgetrf(2, -1, A, 2, ipiv), -2);
    assert_int_equal(sk_dgetrf(2, 2, NULL, 2, ipiv), -3);
    assert_int_equal(sk_dgetrf(3, 2, A, 2, ipiv), -4);
    assert_int_equal(sk_dgetrf(0, 2, A, 0, ipiv), -4);
    assert_int_equal(sk_dgetrf(2, 2, A, 2, NULL), -5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lu_random_square),
        cmocka_unit_test(test_lu_random_rect),
        cmocka_unit_test(test_lu_rank_deficient_and_graded),
        cmocka_unit_test(test_lu_singular),
        cmocka_unit_test(test_lu_small_exact),
        cmocka_unit_test(test_lu_empty),
        cmocka_unit_test(test_ipiv_to_perm),
        cmocka_unit_test(test_lu_invalid_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
