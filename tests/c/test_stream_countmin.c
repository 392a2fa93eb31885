/*
 * test_stream_countmin.c — the Count-Min sketch (sketchlab/countmin.h) against
 * exact counts: it shares CountSketch's bucket hashes, its MIN estimate never
 * underestimates a non-negative vector and exceeds x_i + e‖x‖₁/b for at most
 * about e^{-R} of the keys, a single row's bias equals (‖x‖₁ − x_i)/b on
 * average over seeds, F̂2 is one-sided with the predicted bias, MEDIAN works
 * on signed streams, and bad input gets -i / SK_ENONFINITE with nothing
 * applied. Fixed seeds throughout; observed values are printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sketchlab.h"
#include "testutil.h"

enum { N = 2000 };
static const double EULER_E = 2.718281828459045;

/* Exact counts of an insert-only Zipf-like stream: x_i = floor(2000/(i+1)) + (i % 3),
 * delivered as unit insertions plus some insert/delete pairs that cancel. */
static void counts(double *x) { for (int i = 0; i < N; i++) x[i] = floor(2000.0 / (i + 1)) + (i % 3); }

static sk_cm_t *cm_of(const double *x, int b, int R, int mode, uint64_t seed)
{
    sk_cm_t *cm = NULL;
    assert_int_equal(sk_cm_create(b, R, mode, &cm, seed), 0);
    int *idx = malloc(sizeof(int) * N);
    double *neg = malloc(sizeof(double) * N);
    for (int i = 0; i < N; i++) { idx[i] = i; neg[i] = -3.0; }
    assert_int_equal(sk_cm_update_batch(cm, N, idx, x), 0);
    /* turnstile noise that cancels: −3 then +3 on every key */
    assert_int_equal(sk_cm_update_batch(cm, N, idx, neg), 0);
    for (int i = 0; i < N; i++) neg[i] = 3.0;
    assert_int_equal(sk_cm_update_batch(cm, N, idx, neg), 0);
    free(idx); free(neg);
    return cm;
}

/* Same seed and mode: a Count-Min row puts key i where the CountSketch row
 * does (the comparison on the page relies on it). */
static void test_shares_countsketch_buckets(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        enum { B = 37, R = 5 };
        double tc[B * R], tm[B * R];
        for (int key = 0; key < 300; key += 7) {
            sk_cs_t *cs; sk_cm_t *cm;
            assert_int_equal(sk_cs_create(B, R, mode, &cs, 4242), 0);
            assert_int_equal(sk_cm_create(B, R, mode, &cm, 4242), 0);
            double one = 1.0;
            assert_int_equal(sk_cs_update_batch(cs, 1, &key, &one), 0);
            assert_int_equal(sk_cm_update_batch(cm, 1, &key, &one), 0);
            sk_cs_table(cs, tc); sk_cm_table(cm, tm);
            for (int t = 0; t < B * R; t++) {
                assert_true(tm[t] == 0.0 || tm[t] == 1.0);
                if (fabs(tc[t]) != tm[t]) fail_msg("mode %d key %d: counter %d is %g in Count-Min, %g in CountSketch", mode, key, t, tm[t], tc[t]);
            }
            sk_cs_destroy(cs); sk_cm_destroy(cm);
        }
    }
}

/* Count-Min guarantee on exact counts: never below x_i; above x_i + e‖x‖₁/b for
 * at most ~e^{-R} of the keys (tested at 3× that); every row sums to ‖x‖₁. */
static void test_min_one_sided_and_bound(void **state)
{
    (void)state;
    double *x = malloc(sizeof(double) * N), *est = malloc(sizeof(double) * N);
    counts(x);
    double l1 = 0;
    for (int i = 0; i < N; i++) l1 += x[i];
    const int b = 272, R = 5;           /* ε = e/b = 0.01, δ = e^{-5} */
    double *tab = malloc(sizeof(double) * b * R);
    double worst = 0;
    for (int mode = 0; mode < 2; mode++)
        for (int s = 0; s < 10; s++) {
            sk_cm_t *cm = cm_of(x, b, R, mode, 700 + s);
            sk_cm_table(cm, tab);
            for (int r = 0; r < R; r++) {
                double sum = 0;
                for (int c = 0; c < b; c++) sum += tab[r * b + c];
                if (sum != l1) fail_msg("row %d sums to %.17g, want ‖x‖₁ = %.17g", r, sum, l1);
            }
            assert_int_equal(sk_cm_estimate_all(cm, N, SK_CM_MIN, est), 0);
            int over = 0;
            for (int i = 0; i < N; i++) {
                if (est[i] < x[i]) fail_msg("mode %d seed %d: x̂_%d = %g < x_%d = %g (Count-Min never underestimates)", mode, s, i, est[i], i, x[i]);
                if (est[i] - x[i] > EULER_E * l1 / b) over++;
            }
            double frac = (double)over / N;
            if (frac > worst) worst = frac;
            if (frac > 3 * exp(-R)) fail_msg("mode %d seed %d: %.4f of keys beyond x + e‖x‖₁/b (bound e^-R = %.4f)", mode, s, frac, exp(-R));
            /* not vacuous: the all-zeros estimator is below x everywhere, and
             * the error is non-trivial (some key was hit by a collision) */
            int hit = 0;
            for (int i = 0; i < N; i++) hit += est[i] > x[i];
            assert_true(hit > 0);
            sk_cm_destroy(cm);
        }
    printf("Count-Min MIN b=%d R=%d: worst fraction beyond e‖x‖₁/b = %.4f (e^-R = %.4f)\n", b, R, worst, exp(-R));
    free(x); free(est); free(tab);
}

/* One row is biased: E[C[h(i)] − x_i] = (‖x‖₁ − x_i)/b. Averaged over 200
 * seeds and all keys the observed bias matches within 10 % (the standard
 * error is ~1.5 %); an unbiased estimator (CountSketch's signed row, mean ~0)
 * or the exact answer (bias 0) fails. */
static void test_single_row_bias(void **state)
{
    (void)state;
    double *x = malloc(sizeof(double) * N), *est = malloc(sizeof(double) * N);
    counts(x);
    double l1 = 0;
    for (int i = 0; i < N; i++) l1 += x[i];
    const int b = 64, seeds = 200;
    double want = 0, got = 0;
    for (int i = 0; i < N; i++) want += (l1 - x[i]) / b;
    want /= N;
    for (int s = 0; s < seeds; s++) {
        sk_cm_t *cm = cm_of(x, b, 1, SK_HASH_POLY, 9000 + s);
        assert_int_equal(sk_cm_estimate_all(cm, N, SK_CM_MIN, est), 0);
        for (int i = 0; i < N; i++) got += est[i] - x[i];
        sk_cm_destroy(cm);
    }
    got /= (double)N * seeds;
    printf("Count-Min one row b=%d: mean bias %.3f, predicted (‖x‖₁ − x_i)/b = %.3f\n", b, got, want);
    assert_true(fabs(got / want - 1) < 0.10);
    free(x); free(est);
}

/* F̂2 = min_r Σ C²: >= F2 for x >= 0; one row's mean over seeds is
 * F2 + (‖x‖₁² − F2)/b within 10 %. */
static void test_f2_bias(void **state)
{
    (void)state;
    double *x = malloc(sizeof(double) * N);
    counts(x);
    double l1 = 0, f2 = 0;
    for (int i = 0; i < N; i++) { l1 += x[i]; f2 += x[i] * x[i]; }
    const int b = 128, seeds = 200;
    double want = f2 + (l1 * l1 - f2) / b, mean = 0;
    for (int s = 0; s < seeds; s++) {
        sk_cm_t *cm = cm_of(x, b, 1, SK_HASH_POLY, 5000 + s);
        double e;
        assert_int_equal(sk_cm_f2(cm, &e), 0);
        assert_true(e >= f2);
        mean += e / seeds;
        sk_cm_destroy(cm);
        cm = cm_of(x, b, 5, SK_HASH_FAST, 5000 + s);
        assert_int_equal(sk_cm_f2(cm, &e), 0);
        assert_true(e >= f2);
        sk_cm_destroy(cm);
    }
    printf("Count-Min F2 one row b=%d: mean %.6g, predicted %.6g, true F2 %.6g\n", b, mean, want, f2);
    assert_true(fabs(mean / want - 1) < 0.10);
    assert_true((want - f2) / f2 > 0.3);   /* the bias is large enough to be seen */
    free(x);
}

/* Signed stream: MEDIAN keeps |x̂_i − x_i| <= 3e‖x‖₁/b for all but a few
 * keys; MIN is then biased low for negative entries (it underestimates). */
static void test_median_signed(void **state)
{
    (void)state;
    double *x = malloc(sizeof(double) * N), *est = malloc(sizeof(double) * N);
    counts(x);
    for (int i = 0; i < N; i += 2) x[i] = -x[i];
    double l1 = 0;
    for (int i = 0; i < N; i++) l1 += fabs(x[i]);
    const int b = 272, R = 7;
    int below = 0, worst = 0;
    for (int s = 0; s < 10; s++) {
        sk_cm_t *cm = cm_of(x, b, R, SK_HASH_POLY, 300 + s);
        assert_int_equal(sk_cm_estimate_all(cm, N, SK_CM_MEDIAN, est), 0);
        int over = 0;
        for (int i = 0; i < N; i++) over += fabs(est[i] - x[i]) > 3 * EULER_E * l1 / b;
        if (over > worst) worst = over;
        if (over > N / 100) fail_msg("seed %d: %d keys beyond 3e‖x‖₁/b", s, over);
        assert_int_equal(sk_cm_estimate_all(cm, N, SK_CM_MIN, est), 0);
        for (int i = 0; i < N; i++) below += est[i] < x[i];
        sk_cm_destroy(cm);
    }
    printf("Count-Median signed b=%d R=%d: worst %d keys beyond 3e‖x‖₁/b; MIN underestimated %d of %d\n", b, R, worst, below, 10 * N);
    assert_true(below > 0);
    free(x); free(est);
}

static void test_bad_input(void **state)
{
    (void)state;
    sk_cm_t *cm = (sk_cm_t *)1;
    assert_int_equal(sk_cm_create(0, 5, 0, &cm, 1), -1);
    assert_null(cm);
    assert_int_equal(sk_cm_create(1 << 30, 5, 0, &cm, 1), -1);
    assert_int_equal(sk_cm_create(16, 0, 0, &cm, 1), -2);
    assert_int_equal(sk_cm_create(16, 256, 0, &cm, 1), -2);
    assert_int_equal(sk_cm_create(16, 5, 9, &cm, 1), -3);
    assert_int_equal(sk_cm_create(16, 5, 0, NULL, 1), -4);
    assert_int_equal(sk_cm_create(16, 5, 0, &cm, 1), 0);
    int idx[3] = { 1, 2, -3 };
    double dl[3] = { 1, 2, 3 }, dn[3] = { 1, NAN, 3 }, t[80];
    assert_int_equal(sk_cm_update_batch(NULL, 3, idx, dl), -1);
    assert_int_equal(sk_cm_update_batch(cm, -1, idx, dl), -2);
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, dl), -3);
    idx[2] = 3;
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, dn), SK_ENONFINITE);
    dn[1] = INFINITY;
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, dn), SK_ENONFINITE);
    assert_int_equal(sk_cm_update_batch(cm, 3, NULL, dl), -3);
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, NULL), -4);
    assert_int_equal(sk_cm_table(cm, t), 0);
    for (int k = 0; k < 80; k++) assert_true(t[k] == 0);  /* nothing applied */
    assert_int_equal(sk_cm_estimate_all(cm, -1, SK_CM_MIN, t), -2);
    assert_int_equal(sk_cm_estimate_all(cm, 4, 7, t), -3);
    assert_int_equal(sk_cm_estimate_all(cm, 4, SK_CM_MIN, NULL), -4);
    assert_int_equal(sk_cm_f2(cm, NULL), -2);
    assert_int_equal(sk_cm_f2(NULL, t), -1);
    assert_int_equal(sk_cm_table(cm, NULL), -2);
    /* +Δ then −Δ returns the table to zero exactly (integer updates) */
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, dl), 0);
    for (int k = 0; k < 3; k++) dl[k] = -dl[k];
    assert_int_equal(sk_cm_update_batch(cm, 3, idx, dl), 0);
    sk_cm_table(cm, t);
    for (int k = 0; k < 80; k++) assert_true(t[k] == 0);
    long long by = 0, bi = 0;
    assert_int_equal(sk_cm_size(cm, &by, &bi), 0);
    assert_true(by == 8LL * 80 + 8LL * 5 * 2);
    assert_true(bi == 8 * by);
    assert_int_equal(sk_cm_size(NULL, &by, &bi), -1);
    sk_cm_destroy(cm);
    /* FAST: CountSketch's four words per row and its salt */
    assert_int_equal(sk_cm_create(16, 5, SK_HASH_FAST, &cm, 1), 0);
    assert_int_equal(sk_cm_size(cm, &by, &bi), 0);
    assert_true(by == 8LL * 80 + 8LL * 5 * 4 + 4);
    sk_cm_destroy(cm);
    sk_cm_destroy(NULL);
}

/* sk_cm_estimate is est[i] of sk_cm_estimate_all for every key, and answers
 * keys far above any n estimate_all could be given (up to INT_MAX). */
static void test_point_estimate(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        sk_cm_t *cm = NULL;
        assert_int_equal(sk_cm_create(32, 4, mode, &cm, 11), 0);
        int idx[300];
        double dl[300], all[200], one = -1;
        for (int t = 0; t < 300; t++) { idx[t] = (t * 7919) % 200; dl[t] = (double)(t % 5) - 1; }
        assert_int_equal(sk_cm_update_batch(cm, 300, idx, dl), 0);
        for (int rule = SK_CM_MIN; rule <= SK_CM_MEDIAN; rule++) {
            assert_int_equal(sk_cm_estimate_all(cm, 200, rule, all), 0);
            for (int i = 0; i < 200; i++) {
                assert_int_equal(sk_cm_estimate(cm, i, rule, &one), 0);
                assert_true(one == all[i]);
            }
        }
        sk_cm_destroy(cm);
        /* one key: no collision, both rules return its count exactly */
        assert_int_equal(sk_cm_create(32, 4, mode, &cm, 11), 0);
        int big = INT_MAX;
        double three = 3;
        assert_int_equal(sk_cm_update_batch(cm, 1, &big, &three), 0);
        assert_int_equal(sk_cm_estimate(cm, INT_MAX, SK_CM_MIN, &one), 0);
        assert_true(one == 3);
        assert_int_equal(sk_cm_estimate(cm, INT_MAX, SK_CM_MEDIAN, &one), 0);
        assert_true(one == 3);
        assert_int_equal(sk_cm_estimate(NULL, 0, SK_CM_MIN, &one), -1);
        assert_int_equal(sk_cm_estimate(cm, -1, SK_CM_MIN, &one), -2);
        assert_int_equal(sk_cm_estimate(cm, 0, 7, &one), -3);
        assert_int_equal(sk_cm_estimate(cm, 0, SK_CM_MIN, NULL), -4);
        sk_cm_destroy(cm);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shares_countsketch_buckets),
        cmocka_unit_test(test_min_one_sided_and_bound),
        cmocka_unit_test(test_single_row_bias),
        cmocka_unit_test(test_f2_bias),
        cmocka_unit_test(test_median_signed),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_point_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
