/*
 * test_regressions.c — one test per bug found by fuzzing (issue 9: the
 * libFuzzer harnesses in tests/fuzz/ and the JS fuzzing of part 4), each with
 * the input that showed it, so the bug cannot come back.
 *
 *   eigh_graded_zero_corner   sk_dsyevd returned SK_ENOCONV on finite graded
 *                             symmetric matrices whose (1,1) entry is 0 (found
 *                             by fuzz_linalg; LAPACK's dsteqr fails alike):
 *                             checked against LAPACKE_dsyev at 2^0, 2^±500
 *                             with |w − w_ref| <= 10·n·eps·||A||_F + 10·eps·|w_ref|
 *                             (eigenvalues of a symmetric matrix move by at
 *                             most ||ΔA||_2 under a backward error ΔA).
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

/* ||A||_F of an m×n matrix (ld = m) as max|a|·sqrt(Σ(a/max|a|)²): safe at any
 * scale. (tu_fro goes through OpenBLAS's dlange, which on this machine gave
 * 4.4e142 for a matrix with an eigenvalue of 1.9e146.) */
static double fro_safe(int m, int n, const double *A)
{
    double mx = 0.0, s = 0.0;
    for (size_t i = 0; i < (size_t)m * n; i++) mx = fmax(mx, fabs(A[i]));
    if (mx == 0.0) return 0.0;
    for (size_t i = 0; i < (size_t)m * n; i++) s += (A[i] / mx) * (A[i] / mx);
    return mx * sqrt(s);
}

/* ------------------------------------------------------------------ eigh */

/* n×n symmetric A(i,j) = g_ij·2^(−grade·(i+j) + shift), g Gaussian, A(0,0) = 0. */
static double *graded_sym(int n, int grade, int shift, int seed)
{
    double *A = tu_randn(n, n, seed);
    for (int j = 0; j < n; j++)
        for (int i = j; i < n; i++) {
            double v = ldexp(A[(size_t)j * n + i], -grade * (i + j) + shift);
            A[(size_t)j * n + i] = v;
            A[(size_t)i * n + j] = v;
        }
    A[0] = 0.0;
    return A;
}

static void test_eigh_graded_zero_corner(void **state)
{
    (void)state;
    int cases = 0;
    double worst = 0.0, worst_res = 0.0;
    static const int shifts[3] = { 0, 500, -500 };
    for (int n = 18; n <= 24; n++)
        for (int grade = 13; grade <= 22; grade += 3)
            for (int seed = 0; seed < 8; seed++)
                for (int sc = 0; sc < 3; sc++) {
                    double *A = graded_sym(n, grade, shifts[sc], 1000 * n + 10 * grade + seed);
                    double *B = tu_copy(n, n, A, n), *V = tu_copy(n, n, A, n);
                    double *w = tu_zeros(n, 1), *wv = tu_zeros(n, 1), *wref = tu_zeros(n, 1);
                    double anorm = fro_safe(n, n, A);
                    assert_int_equal(LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', n, B, n, wref), 0);
                    int st = sk_dsyevd(0, n, A, n, w);
                    if (st != 0)
                        fail_msg("values only: status %d (n=%d grade=%d seed=%d shift=%d)", st, n,
                                 grade, seed, shifts[sc]);
                    st = sk_dsyevd(1, n, V, n, wv);
                    if (st != 0)
                        fail_msg("vectors: status %d (n=%d grade=%d seed=%d shift=%d)", st, n,
                                 grade, seed, shifts[sc]);
                    for (int i = 0; i < n; i++) {
                        double tol = 10.0 * n * TU_EPS * anorm + 10.0 * TU_EPS * fabs(wref[i]);
                        double e = fmax(fabs(w[i] - wref[i]), fabs(wv[i] - wref[i])) / tol;
                        if (e > worst) worst = e;
                        if (!(e <= 1.0))
                            fail_msg("w[%d] = %.17g / %.17g, LAPACK %.17g (n=%d grade=%d seed=%d "
                                     "shift=%d))", i, w[i], wv[i], wref[i], n, grade, seed, shifts[sc]);
                    }
                    /* ||A V − V diag(w)||_F <= 10·n·eps·||A||_F. */
                    double *C = graded_sym(n, grade, shifts[sc], 1000 * n + 10 * grade + seed);
                    double *AV = tu_matmul(n, n, n, C, n, V, n);
                    for (int j = 0; j < n; j++)
                        for (int i = 0; i < n; i++) AV[(size_t)j * n + i] -= V[(size_t)j * n + i] * wv[j];
                    double res = fro_safe(n, n, AV) / (10.0 * n * TU_EPS * anorm);
                    if (res > worst_res) worst_res = res;
                    assert_true(res <= 1.0);
                    assert_true(tu_orth_err(n, n, V, n) <= 10.0 * n * TU_EPS);
                    free(A); free(B); free(V); free(w); free(wv); free(wref); free(C); free(AV);
                    cases++;
                }
    printf("eigh_graded_zero_corner: %d matrices, max |w − w_LAPACK| / bound %.3g, "
           "residual / bound %.3g\n", cases, worst, worst_res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eigh_graded_zero_corner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
