/*
 * test_extreme_scale_regression.c — softmax regression at extreme scales
 * (issue 9, regression.h): a loss, gradient or Hessian beyond the double range
 * is SK_EINVAL (eval, init), a step that overflows ends as DIVERGED with +Inf
 * (never NaN) in its record, leverage scores are those of a moderate scale bit
 * for bit (power-of-two prescale), and the regime's l_max is never NaN.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sketchlab.h"
#include "testutil.h"

enum { N = 8, D = 3 };

/* randn N×D scaled by a power of two to max|a| in [1/2, 1), entries >= 2^-11·max. */
static double *base_matrix(int seed)
{
    double *A = tu_randn(N, D, seed), amax = 0.0;
    for (int i = 0; i < N * D; i++) amax = fmax(amax, fabs(A[i]));
    int e;
    (void)frexp(amax, &e);
    for (int i = 0; i < N * D; i++) {
        A[i] = ldexp(A[i], -e);
        if (fabs(A[i]) < 0x1p-11) A[i] = A[i] < 0 ? -0x1p-11 : 0x1p-11;
    }
    return A;
}

static void problem(double *b, double *w)
{
    for (int i = 0; i < N; i++) { b[i] = 1.0 / N; w[i] = 1.0 + 0.1 * i; }
}

static void test_eval_overflow_is_einval(void **state)
{
    (void)state;
    double *A = base_matrix(1), b[N], w[N], x[D] = {1.0, -1.0, 0.5}, loss, g[D], H[D * D];
    problem(b, w);
    for (int i = 0; i < N * D; i++) A[i] = ldexp(A[i], 530); /* z ~ 2^530: z² beyond DBL_MAX */
    assert_int_equal(sk_regression_eval(N, D, A, N, b, w, x, &loss, g, NULL, D), SK_EINVAL);
    assert_int_equal(sk_regression_eval(N, D, A, N, b, w, x, &loss, NULL, H, D), SK_EINVAL);
    /* x = 0: z = 0, loss = ½‖softmax(0) − b‖² = 0 finite, g = Aᵀr with r = f∘(f − b) − κf = 0;
     * the Hessian AᵀDA ~ 2^1060 is beyond the range only when asked for */
    double x0[D] = {0, 0, 0};
    assert_int_equal(sk_regression_eval(N, D, A, N, b, w, x0, &loss, g, NULL, D), 0);
    assert_true(loss == 0.0 && isfinite(g[0]) && isfinite(g[1]) && isfinite(g[2]));
    assert_int_equal(sk_regression_eval(N, D, A, N, b, w, x0, &loss, g, H, D), SK_EINVAL);
    /* at 2^200 everything is representable and finite */
    for (int i = 0; i < N * D; i++) A[i] = ldexp(A[i], -330);
    assert_int_equal(sk_regression_eval(N, D, A, N, b, w, x0, &loss, g, H, D), 0);
    assert_true(sk_all_finite(D, D, H, D));
    free(A);
}

static void test_init_overflow_is_einval(void **state)
{
    (void)state;
    double *A = base_matrix(2), b[N], w[N], x0[D] = {1.0, 1.0, 1.0};
    problem(b, w);
    for (int i = 0; i < N * D; i++) A[i] = ldexp(A[i], 530);
    sk_regression_opts_t o = { SK_REGRESSION_NEWTON, SK_LEVERAGE_EXACT, 0, 5, 0.0, 0.5, 0.1, 0.0, 1.0 };
    sk_regression_t *h = (sk_regression_t *)&o; /* must come back NULL */
    assert_int_equal(sk_regression_init(N, D, A, N, b, w, x0, &o, &h), SK_EINVAL);
    assert_null(h);
    free(A);
}

/* GD with a huge step: the iterate's Ax overflows. The record says +Inf, never NaN. */
static void test_divergence_records_inf(void **state)
{
    (void)state;
    double *A = base_matrix(3), b[N], w[N], x0[D] = {0.1, -0.2, 0.3};
    problem(b, w);
    sk_regression_opts_t o = { SK_REGRESSION_GD, SK_LEVERAGE_EXACT, 0, 10, 0.0, 0.5, 0.1, 1e306, 1.0 };
    sk_regression_t *h = NULL;
    assert_int_equal(sk_regression_init(N, D, A, N, b, w, x0, &o, &h), 0);
    int reason = 0;
    for (int t = 0; t < 10; t++) {
        sk_regression_record_t rec;
        assert_int_equal(sk_regression_step(h, NULL, &rec), 0);
        assert_false(isnan(rec.loss));
        assert_false(isnan(rec.grad_norm));
        assert_int_equal(sk_regression_get(h, NULL, NULL, NULL, &reason), 0);
        if (reason != SK_REGRESSION_RUNNING) break;
    }
    assert_int_equal(reason, SK_REGRESSION_DIVERGED);
    sk_regression_finish(h);
    free(A);
}

/* Leverage scores of A·2^k (and D·4^k) are those of A bit for bit. */
static void test_leverage_exact_scaling(void **state)
{
    (void)state;
    static const int KS[] = {-1000, -600, 600, 1000};
    double *A = base_matrix(4), Dv[N], s0[N], s1[N];
    for (int i = 0; i < N; i++) Dv[i] = 0.5 + i;
    for (int kind = SK_LEVERAGE_EXACT; kind <= SK_LEVERAGE_SKETCH; kind++) {
        sk_rng_t rng;
        sk_rng_init(&rng, 11, 0);
        assert_int_equal(sk_regression_leverage(kind, N, D, A, N, Dv, &rng, s0), 0);
        for (size_t t = 0; t < sizeof KS / sizeof KS[0]; t++) {
            double *B = tu_copy(N, D, A, N), E[N];
            for (int i = 0; i < N * D; i++) B[i] = ldexp(B[i], KS[t]);
            for (int i = 0; i < N; i++) E[i] = ldexp(Dv[i], KS[t] > 0 ? 500 : -500); /* √D·2^±250 */
            sk_rng_init(&rng, 11, 0);
            assert_int_equal(sk_regression_leverage(kind, N, D, B, N, E, &rng, s1), 0);
            assert_memory_equal(s0, s1, sizeof s0);
            free(B);
        }
    }
    free(A);
}

/* Regime at σ_min ~ 2^600: l_max beyond the range is -Inf (documented), never NaN;
 * with min w² = 100 exactly it is 0, not 0·Inf. */
static void test_regime_no_nan(void **state)
{
    (void)state;
    double *A = base_matrix(5), b[N], w[N], info[6];
    problem(b, w);
    for (int i = 0; i < N * D; i++) A[i] = ldexp(A[i], 600);
    assert_int_equal(sk_regression_regime(N, D, A, N, b, w, info), 0);
    assert_true(isinf(info[3]) && info[3] < 0);
    assert_true(info[5] == 0.0);
    for (int i = 0; i < N; i++) w[i] = 10.0;
    assert_int_equal(sk_regression_regime(N, D, A, N, b, w, info), 0);
    assert_true(info[3] == 0.0);
    free(A);
}

/* Tiny w (a silent wrong answer before): the regulariser's terms were formed
 * from w² = w·w, which underflows for |w| < 2^-511, so w = 2^-560 with
 * z ~ 2^500 gave loss 0 and gradient 0 although (w∘z)² ~ 2^-120 and
 * w∘w∘z ~ 2^-620 are ordinary doubles. Instance with exact answers: A =
 * [1 0; 0 1; -1 1], x = (2^500, -2^500), z = (2^500, -2^500, -2^501), so
 * f = e_0 exactly (exp(-2^501) = 0) = b and only the regulariser is left:
 * loss = ½·2^-120·(1 + 1 + 4) = 3·2^-120, g = Aᵀ(w∘w∘z) = (3, -3)·2^-620 —
 * every operation exact in binary. Checked through eval and through the
 * solver's first record (one-pass evaluation, solver.c). */
static void test_tiny_w_regulariser(void **state)
{
    (void)state;
    double A[6] = {1, 0, -1, 0, 1, 1}, b[3] = {1, 0, 0}, x[2] = {0x1p500, -0x1p500};
    double w[3] = {0x1p-560, 0x1p-560, 0x1p-560}, loss, g[2];
    assert_int_equal(sk_regression_eval(3, 2, A, 3, b, w, x, &loss, g, NULL, 2), 0);
    assert_true(loss == 3 * 0x1p-120);
    assert_true(g[0] == 3 * 0x1p-620 && g[1] == -3 * 0x1p-620);
    sk_regression_opts_t o = { SK_REGRESSION_GD, SK_LEVERAGE_EXACT, 0, 1, 0.0, 0.5, 0.1, 1.0, 1.0 };
    sk_regression_t *h = NULL;
    assert_int_equal(sk_regression_init(3, 2, A, 3, b, w, x, &o, &h), 0);
    sk_regression_record_t rec;
    assert_int_equal(sk_regression_get(h, NULL, &rec, NULL, NULL), 0);
    assert_true(rec.loss == 3 * 0x1p-120);
    assert_true(fabs(rec.grad_norm - 3 * sqrt(2.0) * 0x1p-620) <= 4 * DBL_EPSILON * 3 * sqrt(2.0) * 0x1p-620);
    sk_regression_finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_overflow_is_einval),
        cmocka_unit_test(test_init_overflow_is_einval),
        cmocka_unit_test(test_divergence_records_inf),
        cmocka_unit_test(test_leverage_exact_scaling),
        cmocka_unit_test(test_regime_no_nan),
        cmocka_unit_test(test_tiny_w_regulariser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
