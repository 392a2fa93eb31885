/*
 * test_regression_ahead.c — the sampled solver's draws taken ahead (issue 12,
 * performance): the next iteration's rows are drawn before the one-pass
 * evaluation and copied from A while each row block is in cache, instead of
 * drawn and gathered in that iteration. That must change nothing:
 *   - the rows the evaluation copies are A's rows, bit for bit, and the
 *     evaluation itself is unchanged (block edges, partial last block);
 *   - sk__reg_draw_rows + sk__reg_draw_weights give sk__reg_draw's D̃ bit for
 *     bit and leave the rng where it does;
 *   - a solver whose steps take the ahead path (one rng throughout) and one
 *     forced onto the direct path (each step gets a different rng object in
 *     the same state) agree bit for bit in every record, iterate, D̃ and rng
 *     state, for every sampled configuration (p fixed or not).
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

#include "sketchlab.h"
#include "testutil.h"
#include "../../c/src/regression/regression_internal.h"

/* ------------------------------------------------- gathering in the pass */

static void onepass_case(int n, int d, int lda, int nrows, int seed)
{
    double *A = tu_randn(lda, d, seed), *x = tu_randn(d, 1, seed + 1);
    double *b = tu_zeros(n, 1), *w2 = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) { b[i] = (i % 7 == 0) ? 1.0 / (1 + n / 7) : 0.0; w2[i] = 0.5 + (i % 3); }
    int nb = sk__reg_onepass_rows(d);
    /* the rows: 0, n − 1, each block's first and last, the rest spread */
    int *rows = calloc((size_t)n, sizeof *rows);
    char *pick = calloc((size_t)n, 1);
    int want = nrows;
    pick[0] = pick[n - 1] = 1;
    for (int i0 = 0; i0 < n; i0 += nb) { pick[i0] = 1; pick[SK__MIN(n, i0 + nb) - 1] = 1; }
    uint32_t h = (uint32_t)seed * 2654435761u;
    for (int t = 0; t < want; t++) { h = h * 1664525u + 1013904223u; pick[h % (uint32_t)n] = 1; }
    int k = 0;
    for (int i = 0; i < n; i++) if (pick[i]) rows[k++] = i;

    double *out[2][6];
    double loss[2], kap[2], gam[2];
    double *G = tu_zeros(k, d);
    for (int r = 0; r < 2; r++) {
        double *z = tu_zeros(n, 1), *f = tu_zeros(n, 1), *hv = tu_zeros(n, 1);
        double *blk = tu_zeros(4 * SK__MIN(n, nb), 1), *P = tu_zeros(4 * d, 1);
        double *u = tu_zeros(d, 1), *v = tu_zeros(d, 1), *g = tu_zeros(d, 1);
        sk__reg_point_onepass(n, d, A, lda, b, w2, x, z, f, hv, blk, P, u, v, g, &loss[r], &kap[r],
                              &gam[r], r ? k : 0, rows, G);
        out[r][0] = z; out[r][1] = f; out[r][2] = hv; out[r][3] = u; out[r][4] = v; out[r][5] = g;
        free(blk); free(P);
    }
    for (int t = 0; t < k; t++)
        for (int j = 0; j < d; j++)
            if (memcmp(&G[(size_t)j * k + t], &A[(size_t)j * lda + rows[t]], sizeof(double)))
                fail_msg("n=%d d=%d: G(%d,%d) is not A(%d,%d)", n, d, t, j, rows[t], j);
    /* gathering does not touch the evaluation */
    int len[6] = { n, n, n, d, d, d };
    for (int q = 0; q < 6; q++) assert_memory_equal(out[0][q], out[1][q], (size_t)len[q] * sizeof(double));
    assert_memory_equal(&loss[0], &loss[1], sizeof(double));
    assert_memory_equal(&kap[0], &kap[1], sizeof(double));
    assert_memory_equal(&gam[0], &gam[1], sizeof(double));
    for (int r = 0; r < 2; r++) for (int q = 0; q < 6; q++) free(out[r][q]);
    free(A); free(x); free(b); free(w2); free(rows); free(pick); free(G);
}

static void test_onepass_gathers_rows(void **state)
{
    (void)state;
    onepass_case(1000, 64, 1000, 40, 1);  /* 256-row blocks, a partial last one */
    onepass_case(1000, 64, 1003, 900, 2); /* lda > n; nearly every row */
    onepass_case(513, 100, 513, 5, 3);    /* 163-row blocks */
    onepass_case(50, 3, 50, 10, 4);       /* one block */
    onepass_case(1, 1, 1, 0, 5);          /* a single row, drawn */
}

/* ----------------------------------------------- the draws, split in two */

/* zeros: 0 none, 1 every third row has p = 0, 2 a few heavy rows among
   zeros and tiny ones (long runs of zero-probability rows, one row spanning
   many guide buckets, leading and trailing zeros). */
static void draw_case(int n, int s, int zeros, uint64_t seed)
{
    double *p = tu_zeros(n, 1), *D = tu_zeros(n, 1), *cdf = tu_zeros(n, 1);
    double *dt1 = tu_zeros(n, 1), *dt2 = tu_zeros(n, 1), *dt3 = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) {
        p[i] = (zeros == 1 && i % 3 == 1) ? 0.0 : 1.0 + (i % 11) * 0.37;
        if (zeros == 2) p[i] = (i % 97 == 5) ? 1e3 * (1 + i % 3) : (i % 13 == 0) ? 1e-9 : 0.0;
        D[i] = 0.25 + (i % 5) * 1.5;
    }
    if (zeros == 2 && n > 5) p[n / 2] = 1.0;   /* not all zero whatever n */
    double total = sk__reg_cdf(n, p, cdf);
    int *guide = calloc((size_t)n, sizeof *guide);
    sk__reg_guide(n, cdf, total, guide);
    sk_rng_t r1, r2, r3;
    sk_rng_init(&r1, seed, 3);
    r2 = r3 = r1;
    int rows1 = -1, rows3 = -1;
    assert_int_equal(sk__reg_draw(n, D, p, cdf, NULL, total, s, &r1, dt1, &rows1), 0);
    /* the guide changes where a draw's search starts, never its row */
    assert_int_equal(sk__reg_draw(n, D, p, cdf, guide, total, s, &r3, dt3, &rows3), 0);
    assert_memory_equal(dt1, dt3, (size_t)n * sizeof(double));
    assert_int_equal(rows1, rows3);
    assert_memory_equal(&r1, &r3, sizeof r1);
    int *cnt = calloc((size_t)n, sizeof *cnt), *rows = calloc((size_t)n, sizeof *rows), k = -1;
    assert_int_equal(sk__reg_draw_rows(n, p, cdf, guide, total, s, &r2, cnt, rows, &k), 0);
    assert_memory_equal(&r1, &r2, sizeof r1); /* the same rng use */
    assert_int_equal(k, rows1);
    int drawn = 0;
    for (int t = 0; t < k; t++) {
        if (t) assert_true(rows[t] > rows[t - 1]);   /* ascending, distinct */
        assert_true(p[rows[t]] > 0.0);
        drawn += cnt[rows[t]];
    }
    assert_int_equal(drawn, s);
    sk__reg_draw_weights(D, p, total, s, k, rows, cnt, dt2);
    assert_memory_equal(dt1, dt2, (size_t)n * sizeof(double)); /* bit for bit */
    for (int i = 0; i < n; i++) assert_int_equal(cnt[i], 0);
    free(p); free(D); free(cdf); free(dt1); free(dt2); free(dt3); free(cnt); free(rows); free(guide);
}

/* Targets at every cdf value and its two neighbours, not only random ones:
   the guided search lands where the binary search does. (The total passed
   differs from the guide's, so the guide is off and its walks are tested.) */
static void test_guide_every_boundary(void **state)
{
    (void)state;
    for (int zeros = 0; zeros < 3; zeros++) {
        int n = 2000;
        double *p = tu_zeros(n, 1), *cdf = tu_zeros(n, 1), *D = tu_zeros(n, 1);
        for (int i = 0; i < n; i++) {
            p[i] = zeros == 0 ? 1.0 / (1 + i % 7) : zeros == 1 ? ((i % 5) ? 0.0 : 3.0) : (i < 10 || i > n - 10 ? 0.0 : 1.0);
            D[i] = 1.0;
        }
        double total = sk__reg_cdf(n, p, cdf);
        int *guide = calloc((size_t)n, sizeof *guide);
        sk__reg_guide(n, cdf, total, guide);
        for (int i = 0; i < n; i++) assert_true(guide[i] >= 0 && guide[i] < n && (i == 0 || guide[i] >= guide[i - 1]));
        for (int i = 0; i < n; i++)
            for (int e = -1; e <= 1; e++) {
                double t = e < 0 ? nextafter(cdf[i], 0.0) : e > 0 ? nextafter(cdf[i], INFINITY) : cdf[i];
                if (!(t > 0.0)) continue;
                /* one draw whose target u·tot2 is t (to one rounding): the
                   rng's first uniform u is known, so choose the total */
                double *x1 = tu_zeros(n, 1), *x2 = tu_zeros(n, 1);
                sk_rng_t r;
                sk_rng_init(&r, (uint64_t)(i * 3 + e + 7), 0);
                sk_rng_t rc = r;
                double u;
                assert_int_equal(sk_rng_uniform(&rc, 1, &u), 0);
                double tot2 = t / u;
                assert_int_equal(sk__reg_draw(n, D, p, cdf, NULL, tot2, 1, &r, x1, NULL), 0);
                sk_rng_init(&r, (uint64_t)(i * 3 + e + 7), 0);
                assert_int_equal(sk__reg_draw(n, D, p, cdf, guide, tot2, 1, &r, x2, NULL), 0);
                assert_memory_equal(x1, x2, (size_t)n * sizeof(double));
                free(x1); free(x2);
            }
        free(p); free(cdf); free(D); free(guide);
    }
}

static void test_draw_rows_then_weights_is_draw(void **state)
{
    (void)state;
    draw_case(1, 1, 0, 1);
    draw_case(10, 500, 0, 2);    /* s >> n: every row drawn many times */
    draw_case(1000, 63, 1, 3);   /* batches of 64: below, at, above */
    draw_case(1000, 64, 1, 4);
    draw_case(1000, 65, 0, 5);
    draw_case(5000, 2244, 1, 6); /* the bench's s */
    draw_case(5000, 3000, 2, 7); /* heavy rows among zeros */
    draw_case(7, 100, 2, 8);
    draw_case(1, 5, 2, 9);
}

/* ------------------------------------------------ the solver, both paths */

typedef struct { int kind, n, d, leverage, flags, max_iter; double tol; } cfg_t;

/* Run to the end; alternate != 0: each step gets the other of two rng objects
   holding the same state (the draws taken ahead are then never used). Records
   x, the record, D̃ and the rng state after every step into log. */
static int run(const cfg_t *c, int alternate, double *log, int per)
{
    int n = c->n, d = c->d;
    double *A = tu_zeros(n, d), *b = tu_zeros(n, 1), *w = tu_zeros(n, 1), *x0 = tu_zeros(d, 1);
    sk_rng_t rng[2];
    sk_rng_init(&rng[0], 7, 0);
    assert_int_equal(sk_regression_problem(c->kind, n, d, 0.0, &rng[0], A, n, b, w, x0), 0);
    sk_regression_opts_t o = { 0 };
    o.method = SK_REGRESSION_SAMPLED; o.leverage = c->leverage; o.flags = c->flags;
    o.max_iter = c->max_iter; o.tol = c->tol; o.eps = 0.5; o.delta = 0.01;
    sk_regression_t *h = NULL;
    assert_int_equal(sk_regression_init(n, d, A, n, b, w, x0, &o, &h), 0);
    sk_rng_init(&rng[0], 99, 1);
    int which = 0, it = 0, why = SK_REGRESSION_RUNNING, steps = 0;
    double *p = tu_zeros(n, 1);
    while (why == SK_REGRESSION_RUNNING) {
        if (alternate) { rng[1 - which] = rng[which]; which = 1 - which; }
        sk_regression_record_t rec;
        assert_int_equal(sk_regression_step(h, &rng[which], &rec), 0);
        sk_regression_get(h, log, NULL, &it, &why);
        memcpy(log + d, &rec, sizeof rec);
        sk_regression_sample(h, p, log + d + 8);
        memcpy(log + d + 8 + n, &rng[which], sizeof(sk_rng_t));
        log += per;
        steps++;
    }
    sk_regression_finish(h);
    free(A); free(b); free(w); free(x0); free(p);
    return steps * 100 + why;
}

static void test_solver_ahead_equals_direct(void **state)
{
    (void)state;
    const cfg_t cfgs[] = {
        { 2, 300, 6, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE, 12, 0.0 },
        { 2, 1200, 32, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE, 6, 0.0 },   /* several blocks */
        { 2, 2000, 10, SK_LEVERAGE_UNIFORM, 0, 6, 0.0 },
        { 3, 1500, 16, SK_LEVERAGE_SKETCH, SK_REGRESSION_LEV_ONCE | SK_REGRESSION_SAFEGUARD, 10, 0.0 },
        { 1, 2000, 10, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE | SK_REGRESSION_EIGRANGE, 6, 0.0 },
        { 2, 800, 8, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE | SK_REGRESSION_STOP_GRAD, 40, 1e-9 },
        { 2, 300, 6, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE, 40, 1e-8 },   /* converges */
        { 2, 1000, 8, SK_LEVERAGE_EXACT, 0, 4, 0.0 },                         /* p changes: direct */
        { 2, 40, 30, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE | SK_REGRESSION_NO_RANK2, 8, 0.0 },
    };
    for (size_t q = 0; q < sizeof cfgs / sizeof cfgs[0]; q++) {
        const cfg_t *c = &cfgs[q];
        int per = c->d + 8 + c->n + 4;
        size_t len = (size_t)per * (size_t)(c->max_iter + 1);
        double *l1 = tu_zeros((int)len, 1), *l2 = tu_zeros((int)len, 1);
        int r1 = run(c, 0, l1, per), r2 = run(c, 1, l2, per);
        assert_int_equal(r1, r2);
        assert_true(r1 / 100 >= 1);
        if (memcmp(l1, l2, len * sizeof(double)))
            fail_msg("configuration %zu: the ahead and direct paths differ", q);
        free(l1); free(l2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_onepass_gathers_rows),
        cmocka_unit_test(test_draw_rows_then_weights_is_draw),
        cmocka_unit_test(test_guide_every_boundary),
        cmocka_unit_test(test_solver_ahead_equals_direct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
