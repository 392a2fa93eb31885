/*
 * test_attention_index.c — the Index game (specs/attention.md §3.3, §3.4,
 * T19–T21): Bob recovers Alice's bits through the exact caches, loses them at
 * the predicted rates through compressed caches, and no configuration's
 * message is ever smaller than the Fano floor N·(1 − H₂(1 − accuracy)).
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

static unsigned char *random_bits(long long N, uint64_t seed)
{
    unsigned char *b = malloc((size_t)N);
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 9);
    double u;
    for (long long i = 0; i < N; ++i) {
        sk_rng_uniform(&rng, 1, &u);
        b[i] = u < 0.5;
    }
    return b;
}

/* Play one game; returns accuracy, checks the Fano floor and recovered bits. */
static double play(int n, int d, int kind, int budget, double delta, int t, int s,
                   uint64_t seed, double *res)
{
    long long N = (long long)(kind == SK_INDEX_TWO ? n * n : n) * d;
    unsigned char *bits = random_bits(N, seed), *rec = malloc((size_t)N);
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    assert_int_equal(sk_index_game(n, d, 12.0, kind, budget, delta, t, s, &rng, bits, rec, res), 0);
    long long right = 0;
    for (long long i = 0; i < N; ++i) right += rec[i] == bits[i];
    assert_true(fabs((double)right / N - res[0]) < 1e-15);
    double floor;
    assert_int_equal(sk_fano_floor_bits((double)N, res[0], &floor), 0);
    assert_true(floor == res[2]);
    /* The floor can never be violated: a failure means a bug in accounting. */
    if (!(res[1] >= res[2])) fail_msg("state bits %.0f < Fano floor %.0f", res[1], res[2]);
    free(bits); free(rec);
    return res[0];
}

static void test_fano(void **state)
{
    (void)state;
    double b;
    /* 65536·(1 − H₂(0.125)) = 29,912.96 and 65536·(1 − H₂(0.373)) = 3,083.62
     * (computed by hand/Python; spec §3.3 quotes 29,933 and 3,074, which
     * correspond to its unrounded observed accuracies, not to 0.875/0.627). */
    assert_int_equal(sk_fano_floor_bits(65536, 0.875, &b), 0);
    assert_true(fabs(b - 29912.96065047125) < 1e-6);
    assert_int_equal(sk_fano_floor_bits(65536, 0.627, &b), 0);
    assert_true(fabs(b - 3083.6161288598378) < 1e-6);
    assert_int_equal(sk_fano_floor_bits(100, 1.0, &b), 0); assert_true(b == 100);
    assert_int_equal(sk_fano_floor_bits(100, 0.4, &b), 0); assert_true(b == 0);
    assert_int_equal(sk_fano_floor_bits(100, 1.5, &b), -2);
    assert_int_equal(sk_fano_floor_bits(-1, 0.5, &b), -1);
}

/* T19: exact standard cache, n = 1024, d = 64, C = 12. */
static void test_t19_exact(void **state)
{
    (void)state;
    double res[4];
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        assert_true(play(1024, 64, SK_INDEX_EXACT, 0, 0, 0, 0, seed, res) == 1.0);
        assert_true(res[3] <= 0.05);                         /* outputs within 0.05 of their bit */
        assert_true(res[1] == 64.0 * 2 * 1024 * 64);
    }
    double a = play(1024, 8, SK_INDEX_EXACT, 0, 0, 0, 0, 4, res); /* d = 8: keys collide */
    printf("# T19: d = 8 accuracy %.3f\n", a);
    assert_true(a < 0.8);
}

/* T20: compressed caches lose bits at the predicted rates. */
static void test_t20_compressed(void **state)
{
    (void)state;
    int n = 1024, d = 64;
    double res[4];
    const int B[4] = { 768, 512, 256, 64 };
    for (int i = 0; i < 4; ++i) {
        double a = play(n, d, SK_INDEX_EVICT, B[i], 0, 0, 0, 10 + i, res);
        double want = (double)B[i] / n + (1 - (double)B[i] / n) / 2;
        printf("# T20: evict B = %d: accuracy %.4f (predicted %.4f)\n", B[i], a, want);
        assert_true(fabs(a - want) <= 0.02);
        assert_true(res[1] == 64.0 * 2 * B[i] * d);
    }
    const int W[2] = { 512, 128 };
    for (int i = 0; i < 2; ++i) {
        double a = play(n, d, SK_INDEX_WINDOW, W[i], 0, 0, 0, 20 + i, res);
        double want = (double)W[i] / n + (1 - (double)W[i] / n) / 2;
        printf("# T20: window W = %d: accuracy %.4f (predicted %.4f)\n", W[i], a, want);
        assert_true(fabs(a - want) <= 0.02);
    }
    const int S[2] = { 256, 1024 };
    for (int i = 0; i < 2; ++i) {
        double a = play(n, d, SK_INDEX_SUBGEN, 0, 0.5, 1, S[i], 30 + i, res);
        double want = 0.5 + 0.5 * (1 - exp(-(double)S[i] / n));
        printf("# T20: SubGen delta=0.5 t=1 s=%d: accuracy %.4f (predicted %.4f), %.0f bits\n", S[i], a, want, res[1]);
        assert_true(fabs(a - want) <= 0.03);
        /* No key merging: 1024 clusters, words m(t+1)d + m + s(2d+1) + 1. */
        assert_true(res[1] == 64.0 * (1024.0 * 2 * d + 1024 + S[i] * (2.0 * d + 1) + 1));
    }
    double a = play(n, d, SK_INDEX_SUBGEN, 0, 2.0, 16, 256, 40, res); /* one cluster */
    printf("# T20: SubGen delta=2 t=16 s=256: accuracy %.4f\n", a);
    assert_true(a < 0.6);
}

/* T21: tensor lifts. */
static void test_t21_lifts(void **state)
{
    (void)state;
    double res[4];
    assert_true(play(256, 64, SK_INDEX_FOUR, 0, 0, 0, 0, 50, res) == 1.0);
    printf("# T21: four-cache lift max |out - bit| = %.4f\n", res[3]);
    assert_true(res[3] <= 0.01);
    assert_true(res[1] == 64.0 * 4 * 256 * 64);
    assert_true(play(32, 64, SK_INDEX_TWO, 0, 0, 0, 0, 51, res) == 1.0);
    assert_true(res[1] == 64.0 * 2 * 32 * 32 * 64);
}

/* The four-cache lift through SubGen4Cache (product sampling, our
 * construction) and SubGen2Cache (SubGen on pairs). With δ = 0.5 and t = 1 no
 * two JL keys merge (distances ≈ √2) and K2 = 𝟙 is one cluster, so both
 * denominators are exact and a row is read iff the value reservoir sampled it
 * (∝ ‖X[a]‖², like SubGen in T20): accuracy ≈ ½ + ½(1 − e^{−s/n}). Tolerance:
 * 4 standard deviations of the sampled-row fraction, √(p(1−p)/n)/2 each. */
static void test_subgen_lifts(void **state)
{
    (void)state;
    double res[4];
    struct { int kind, n, s; } cases[] = {
        { SK_INDEX_SUBGEN4, 1024, 1024 }, { SK_INDEX_SUBGEN4, 1024, 256 },
        { SK_INDEX_SUBGEN2, 128, 128 }, { SK_INDEX_SUBGEN2, 128, 32 },
    };
    for (int c = 0; c < 4; ++c) {
        int n = cases[c].n, s = cases[c].s, d = 64;
        double a = play(n, d, cases[c].kind, 0, 0.5, 1, s, 60 + c, res);
        double p = 1 - exp(-(double)s / n), want = 0.5 + 0.5 * p, tol = 4 * sqrt(p * (1 - p) / n) / 2;
        printf("# %s n=%d s=%d: accuracy %.4f (predicted %.4f +- %.3f), %.0f bits\n",
               cases[c].kind == SK_INDEX_SUBGEN4 ? "SubGen4Cache" : "SubGen2Cache", n, s, a, want, tol, res[1]);
        assert_true(fabs(a - want) <= tol);
        double words = cases[c].kind == SK_INDEX_SUBGEN4
            ? (n * 2.0 * d + n + s * (2.0 * d + 1) + 1) + (1 * 2.0 * d + 1 + s * (2.0 * d + 1) + 1)
            : n * 2.0 * d + n + s * (2.0 * d + 1) + 1;
        assert_true(res[1] == 64.0 * words);
    }
    /* Many value samples: almost every row is sampled, but a row is read right
     * only if its sample count c is at least half its mean (out ≈ X_i·c/E[c]),
     * so accuracy rises above the s = n case yet stays below 1. */
    double a4 = play(256, 64, SK_INDEX_SUBGEN4, 0, 0.5, 1, 8 * 256, 70, res);
    double a2 = play(64, 64, SK_INDEX_SUBGEN2, 0, 0.5, 1, 8 * 64, 71, res);
    printf("# s = 8n: SubGen4Cache %.4f, SubGen2Cache %.4f\n", a4, a2);
    assert_true(a4 > 0.85 && a2 > 0.85);
}

static void test_bad_input(void **state)
{
    (void)state;
    unsigned char bits[8] = { 0, 1, 0, 1, 1, 1, 0, 0 }, rec[8];
    double res[4];
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    assert_int_equal(sk_index_game(0, 2, 12, 0, 0, 0, 0, 0, &rng, bits, rec, res), -1);
    assert_int_equal(sk_index_game(4, 2, 0, 0, 0, 0, 0, 0, &rng, bits, rec, res), -3);
    assert_int_equal(sk_index_game(4, 2, 12, 8, 0, 0, 0, 0, &rng, bits, rec, res), -4);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN4, 0, -1.0, 1, 1, &rng, bits, rec, res), -6);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN2, 0, 0.5, 0, 1, &rng, bits, rec, res), -7);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN4, 0, 0.5, 1, 0, &rng, bits, rec, res), -8);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_EVICT, 0, 0, 0, 0, &rng, bits, rec, res), -5);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_WINDOW, 5, 0, 0, 0, &rng, bits, rec, res), -5);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN, 0, 0.0, 1, 1, &rng, bits, rec, res), -6);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN, 0, 0.5, 0, 1, &rng, bits, rec, res), -7);
    assert_int_equal(sk_index_game(4, 2, 12, SK_INDEX_SUBGEN, 0, 0.5, 1, 0, &rng, bits, rec, res), -8);
    bits[3] = 2;
    assert_int_equal(sk_index_game(4, 2, 12, 0, 0, 0, 0, 0, &rng, bits, rec, res), -10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fano),
        cmocka_unit_test(test_t19_exact),
        cmocka_unit_test(test_t20_compressed),
        cmocka_unit_test(test_t21_lifts),
        cmocka_unit_test(test_subgen_lifts),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("attention_index", tests, NULL, NULL);
}
