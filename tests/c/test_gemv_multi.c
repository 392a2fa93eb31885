/*
 * test_gemv_multi.c — sk__gemv_t_multi (c/src/core/gemv_multi.h), Y += AᵀX for
 * a few vectors in one unpacked pass: every kernel (portable, AVX, AVX-512F,
 * as far as this machine has them) gives bit for bit the documented summation
 * order (eight interleaved lane sums, a fixed reduction tree, then the tail
 * rows), so results do not depend on the machine; and against BLAS dgemm
 * within the dot-product bound. Shapes cover the tails: m mod 8, n mod 4,
 * nv beyond the four-vector kernels, lda/ldx/ldy > their minimum, m = 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cblas.h>

#include "sketchlab.h"
#include "testutil.h"
#include "gemv_multi.h"

/* The documented order, in plain scalar code. */
static void reference_order(int m, int n, int nv, const double *A, int lda, const double *X,
                            int ldx, double *Y, int ldy)
{
    int m8 = m & ~7;
    for (int j = 0; j < n; j++)
        for (int v = 0; v < nv; v++) {
            const double *a = A + (size_t)j * lda, *x = X + (size_t)v * ldx;
            double s[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
            for (int i = 0; i < m8; i += 8)
                for (int l = 0; l < 8; l++) s[l] = s[l] + a[i + l] * x[i + l];
            double r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
            for (int i = m8; i < m; i++) r = r + a[i] * x[i];
            Y[j + (size_t)v * ldy] = Y[j + (size_t)v * ldy] + r;
        }
}

static void shape(int m, int n, int nv, int seed)
{
    int lda = m + 3, ldx = m + 1, ldy = n + 2;
    double *A = tu_randn(lda, n, seed), *X = tu_randn(ldx, nv > 0 ? nv : 1, seed + 1);
    double *Y0 = tu_randn(ldy, nv > 0 ? nv : 1, seed + 2);
    size_t ylen = (size_t)ldy * (size_t)(nv > 0 ? nv : 1);
    double *R = tu_copy(ldy, nv > 0 ? nv : 1, Y0, ldy), *Y = tu_zeros(ldy, nv > 0 ? nv : 1);
    reference_order(m, n, nv, A, lda, X, ldx, R, ldy);
    /* BLAS: Yb = Y0 + AᵀX; |AᵀX| summed with absolute values for the bound. */
    double *Yb = tu_copy(ldy, nv > 0 ? nv : 1, Y0, ldy);
    if (m > 0 && n > 0 && nv > 0)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, nv, m, 1.0, A, lda, X, ldx, 1.0, Yb, ldy);
    for (int kernel = 0; kernel <= 2; kernel++) {
        memcpy(Y, Y0, ylen * sizeof *Y);
        int used = sk__gemv_t_multi_with(kernel, m, n, nv, A, lda, X, ldx, Y, ldy);
        if (used != kernel && kernel == 2) print_message("    (no AVX-512F here: kernel %d)\n", used);
        if (memcmp(Y, R, ylen * sizeof *Y))
            fail_msg("m=%d n=%d nv=%d kernel %d: not the documented summation order", m, n, nv, used);
        for (int v = 0; v < nv; v++)
            for (int j = 0; j < n; j++) {
                double absdot = 0.0;
                for (int i = 0; i < m; i++) absdot += fabs(A[i + (size_t)j * lda] * X[i + (size_t)v * ldx]);
                size_t e = j + (size_t)v * ldy;
                /* both are a dot product (error <= m·eps·|a|ᵀ|x| each, any order)
                   plus one addition to Y0 (eps·|Y|): margin 10 */
                double bound = tu_bound(20.0, Yb[e], 20.0 * (m + 2), absdot);
                tu_assert_within(fabs(Y[e] - Yb[e]), bound, "m=%d n=%d nv=%d (%d,%d)", m, n, nv, j, v);
            }
        /* rows of Y outside 0..n-1 (the ldy padding) untouched */
        for (int v = 0; v < nv; v++)
            for (int j = n; j < ldy; j++) assert_memory_equal(&Y[j + (size_t)v * ldy], &Y0[j + (size_t)v * ldy], sizeof(double));
    }
    free(A); free(X); free(Y0); free(R); free(Y); free(Yb);
}

static void test_every_kernel_same_order_and_bound(void **state)
{
    (void)state;
    int ms[] = { 0, 1, 7, 8, 9, 31, 256, 1003 };
    int ns[] = { 1, 3, 4, 5, 9, 64 };
    int nvs[] = { 1, 2, 3, 4, 5, 8 };
    int seed = 1;
    for (size_t a = 0; a < sizeof ms / sizeof ms[0]; a++)
        for (size_t b = 0; b < sizeof ns / sizeof ns[0]; b++)
            for (size_t c = 0; c < sizeof nvs / sizeof nvs[0]; c++) shape(ms[a], ns[b], nvs[c], seed++);
}

static void test_best_kernel_is_default(void **state)
{
    (void)state;
    double A[16] = { 1 }, X[8] = { 2 }, Y[2] = { 0 };
    int best = sk__gemv_t_multi_with(-1, 8, 2, 1, A, 8, X, 8, Y, 2);
    assert_true(best >= 0 && best <= 2);
    assert_int_equal(sk__gemv_t_multi_with(7, 8, 2, 1, A, 8, X, 8, Y, 2), best); /* unknown: the best */
    print_message("    kernel on this machine: %s\n", best == 2 ? "AVX-512F" : best == 1 ? "AVX" : "portable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kernel_same_order_and_bound),
        cmocka_unit_test(test_best_kernel_is_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
