/*
 * test_reservoir.c — the weighted reservoir (specs/attention.md §1.7, T4):
 * exact law w_i/Σw by chi-square, zero weights never chosen, state size,
 * reproducibility and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sketchlab.h"

/* T4: weights (0,1,2,3,4,0,10,0.5), 200k independent single-slot runs (the
 * slots of one reservoir are independent samplers). Chi-square over the six
 * positive-weight items (5 degrees of freedom): fail if p < 1e-3, i.e. if the
 * statistic exceeds 20.515 (the 0.999 quantile of chi-square(5)). */
static void test_t4_law(void **state)
{
    (void)state;
    const double w[8] = { 0, 1, 2, 3, 4, 0, 10, 0.5 };
    const int S = 200000;
    sk_reservoir_t *r;
    sk_rng_t rng;
    sk_rng_init(&rng, 2024, 0);
    assert_int_equal(sk_reservoir_create(S, &r), 0);
    for (int i = 0; i < 8; ++i) assert_int_equal(sk_reservoir_add(r, &rng, i, w[i], NULL), 0);
    long long *items = malloc(sizeof(long long) * S);
    assert_int_equal(sk_reservoir_sample(r, items), 0);
    long counts[8] = { 0 };
    for (int l = 0; l < S; ++l) {
        assert_true(items[l] >= 0 && items[l] < 8);
        counts[items[l]]++;
    }
    assert_int_equal(counts[0], 0);
    assert_int_equal(counts[5], 0);
    double W = 20.5, chi2 = 0, total;
    assert_int_equal(sk_reservoir_total(r, &total), 0);
    assert_true(total == W);
    for (int i = 0; i < 8; ++i) {
        if (w[i] == 0) continue;
        double e = S * w[i] / W;
        chi2 += (counts[i] - e) * (counts[i] - e) / e;
    }
    if (chi2 > 20.515) fail_msg("chi-square %.2f > 20.515 (p < 1e-3)", chi2);
    long long bytes, bits;
    assert_int_equal(sk_reservoir_state_size(r, &bytes, &bits), 0);
    assert_true(bytes == 8LL * S + 8 && bits == 64LL * S + 64);
    free(items);
    sk_reservoir_destroy(r);
}

/* A trivial "always keep the heaviest" or "always keep the last" sampler fails
 * T4; check the law is not degenerate on two items either: P(first) = 1/4. */
static void test_two_items(void **state)
{
    (void)state;
    const int S = 100000;
    sk_reservoir_t *r;
    sk_rng_t rng;
    sk_rng_init(&rng, 7, 3);
    assert_int_equal(sk_reservoir_create(S, &r), 0);
    int *rep = malloc(sizeof(int) * S);
    assert_int_equal(sk_reservoir_add(r, &rng, 10, 1.0, rep), 0);
    for (int l = 0; l < S; ++l) assert_int_equal(rep[l], 1); /* first positive item fills every slot */
    assert_int_equal(sk_reservoir_add(r, &rng, 20, 3.0, rep), 0);
    long long *items = malloc(sizeof(long long) * S);
    sk_reservoir_sample(r, items);
    long first = 0;
    for (int l = 0; l < S; ++l) {
        first += items[l] == 10;
        assert_int_equal(rep[l], items[l] == 20);
    }
    /* Binomial(1e5, 1/4): sd 137; allow 5 sd. */
    assert_true(labs(first - S / 4) < 5 * 137);
    free(rep); free(items);
    sk_reservoir_destroy(r);
}

static void test_empty_and_zero(void **state)
{
    (void)state;
    sk_reservoir_t *r;
    sk_rng_t rng, before;
    sk_rng_init(&rng, 1, 0);
    assert_int_equal(sk_reservoir_create(3, &r), 0);
    long long items[3];
    sk_reservoir_sample(r, items);
    for (int l = 0; l < 3; ++l) assert_true(items[l] == -1);
    before = rng;
    assert_int_equal(sk_reservoir_add(r, &rng, 4, 0.0, NULL), 0);
    assert_memory_equal(&before, &rng, sizeof rng); /* no coin for w = 0 */
    sk_reservoir_sample(r, items);
    for (int l = 0; l < 3; ++l) assert_true(items[l] == -1);
    sk_reservoir_destroy(r);
}

static void test_reproducible(void **state)
{
    (void)state;
    long long a[64], b[64];
    for (int rep = 0; rep < 2; ++rep) {
        sk_reservoir_t *r;
        sk_rng_t rng;
        sk_rng_init(&rng, 99, 1);
        sk_reservoir_create(64, &r);
        for (int i = 0; i < 50; ++i) sk_reservoir_add(r, &rng, i, 1.0 + i % 7, NULL);
        sk_reservoir_sample(r, rep ? b : a);
        sk_reservoir_destroy(r);
    }
    assert_memory_equal(a, b, sizeof a);
}

static void test_bad_input(void **state)
{
    (void)state;
    sk_reservoir_t *r = (sk_reservoir_t *)1;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    assert_int_equal(sk_reservoir_create(0, &r), -1);
    assert_null(r);
    assert_int_equal(sk_reservoir_create(2, NULL), -2);
    assert_int_equal(sk_reservoir_create(2, &r), 0);
    assert_int_equal(sk_reservoir_add(NULL, &rng, 0, 1.0, NULL), -1);
    assert_int_equal(sk_reservoir_add(r, NULL, 0, 1.0, NULL), -2);
    assert_int_equal(sk_reservoir_add(r, &rng, -1, 1.0, NULL), -3);
    assert_int_equal(sk_reservoir_add(r, &rng, 0, -1.0, NULL), -4);
    assert_int_equal(sk_reservoir_add(r, &rng, 0, NAN, NULL), SK_ENONFINITE);
    assert_int_equal(sk_reservoir_add(r, &rng, 0, INFINITY, NULL), SK_ENONFINITE);
    double W;
    sk_reservoir_total(r, &W);
    assert_true(W == 0); /* unchanged by the rejected items */
    assert_int_equal(sk_reservoir_sample(r, NULL), -2);
    assert_int_equal(sk_reservoir_state_size(NULL, NULL, NULL), -1);
    sk_reservoir_destroy(r);
    sk_reservoir_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t4_law),
        cmocka_unit_test(test_two_items),
        cmocka_unit_test(test_empty_and_zero),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("reservoir", tests, NULL, NULL);
}
