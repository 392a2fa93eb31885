/*
 * softmax_regression.c — fit x in min_x 0.5‖softmax(Ax) − b‖² + 0.5‖diag(w)Ax‖²
 * (specs/softmax_regression.md) with exact Newton, then with Newton on a
 * leverage-score-sampled Hessian (scores of W·A computed once), stepping the
 * sampled solver one iteration at a time to print its convergence.
 * Build: make native && cc -Ic/include examples/c/softmax_regression.c build/native/libsketchlab.a -lm
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sketchlab.h"

static int fail(const char *what, int st)
{
    fprintf(stderr, "%s: %s (status %d)\n", what, sk_strerror(st), st);
    return 1;
}

int main(void)
{
    enum { n = 4000, d = 20 };
    double *A = malloc(sizeof(double) * n * d), *b = malloc(sizeof(double) * n);
    double *w = malloc(sizeof(double) * n);
    double x0[d], xs[d], x[d];
    if (!A || !b || !w) return 1;

    /* The coherent test problem T2 of the spec (a few rows hold nearly all the leverage). */
    sk_rng_t rng;
    sk_rng_init(&rng, 2, 0);
    int st = sk_regression_problem(2, n, d, 0.0, &rng, A, n, b, w, x0);
    if (st) return fail("sk_regression_problem", st);

    /* Exact Newton to a tiny decrement gives the reference solution x*. */
    sk_regression_opts_t exact = { 0 };
    exact.method = SK_REGRESSION_NEWTON;
    exact.max_iter = 50;
    exact.tol = 1e-13;
    int iters, reason;
    st = sk_regression_solve(n, d, A, n, b, w, x0, &exact, NULL, xs, NULL, &iters, &reason);
    if (st) return fail("sk_regression_solve", st);
    printf("exact Newton: %d iterations (reason %d)\n", iters, reason);

    /* Sampled Newton: s = ceil(d ln(d/δ)/ε²) leverage-score draws per iteration. */
    sk_regression_opts_t o = { 0 };
    o.method = SK_REGRESSION_SAMPLED;
    o.leverage = SK_LEVERAGE_EXACT;
    o.flags = SK_REGRESSION_LEV_ONCE;
    o.max_iter = 40;
    o.tol = 1e-10;
    o.eps = 0.5;
    o.delta = 0.01;
    sk_regression_t *h;
    st = sk_regression_init(n, d, A, n, b, w, x0, &o, &h);
    if (st) return fail("sk_regression_init", st);
    sk_rng_init(&rng, 7, 0); /* the sampling's random stream */
    printf("sampled Newton (%d draws per iteration):\n", sk_regression_draws(d, o.eps, o.delta, 1.0));
    reason = SK_REGRESSION_RUNNING;
    while (st == 0 && reason == SK_REGRESSION_RUNNING) {
        sk_regression_record_t rec;
        st = sk_regression_step(h, &rng, &rec);
        if (st) break;
        sk_regression_get(h, x, NULL, &iters, &reason);
        double err = 0.0;
        for (int j = 0; j < d; j++) err += (x[j] - xs[j]) * (x[j] - xs[j]);
        printf("  %2d  rows %4.0f  loss %.6e  ||x - x*|| %.2e\n", iters, rec.rows, rec.loss, sqrt(err));
    }
    sk_regression_finish(h);
    if (st) return fail("sk_regression_step", st);
    printf("stopped: reason %d (1 = converged)\n", reason);
    free(A); free(b); free(w);
    return reason == SK_REGRESSION_CONVERGED ? 0 : 1;
}
