/*
 * test_extreme_scale_attention.c — attention queries at extreme scales (issue 9,
 * attention.h "Range"): standard attention (decode, standard KV cache) is
 * computed scale-safely — logits beyond DBL_MAX give the exact one-hot (or
 * tied, or temperature-like) softmax, value sums beyond it the exact mean —
 * while tensor queries and SubGen give SK_EINVAL, never ±Inf/NaN with status 0,
 * and the KV cache / SubGen state stays usable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "sketchlab.h"

/* Logits q·k = ±1e400 (beyond DBL_MAX): one-hot on the max, out = V[0] exactly;
 * a tie at +1e400 averages the tied rows. */
static void test_decode_logit_overflow(void **state)
{
    (void)state;
    double q[1] = {1e200}, K[3] = {1e200, -1e200, 1e200}, V[3] = {3.0, 5.0, 8.0}, out[1];
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 3, V, 3, out), 0);
    assert_true(out[0] == 3.0);
    /* scale folded in: q·k = 1e100·1e200·scale 1e10 = ±1e310 */
    double q2[1] = {1e100};
    assert_int_equal(sk_attention_decode(2, 1, 1e10, q2, K, 3, V, 3, out), 0);
    assert_true(out[0] == 3.0);
    assert_int_equal(sk_attention_decode(3, 1, 1.0, q, K, 3, V, 3, out), 0);
    assert_true(out[0] == 5.5); /* rows 0 and 2 tie */
}

/* Random q, K scaled by 2^600 each (logits ~2^1200): the softmax is one-hot on the
 * argmax of the moderate logits, so out = V[argmax, :] bit for bit. */
static void test_decode_one_hot_at_argmax(void **state)
{
    (void)state;
    enum { n = 20, d = 4 };
    sk_rng_t rng;
    sk_rng_init(&rng, 5, 0);
    double q[d], K[n * d], V[n * d], qb[d], Kb[n * d], out[d];
    assert_int_equal(sk_rng_normal(&rng, d, q), 0);
    assert_int_equal(sk_rng_normal(&rng, n * d, K), 0);
    assert_int_equal(sk_rng_normal(&rng, n * d, V), 0);
    int best = 0;
    double lbest = -INFINITY;
    for (int i = 0; i < n; i++) {
        double l = 0;
        for (int j = 0; j < d; j++) l += q[j] * K[i + j * n];
        if (l > lbest) { lbest = l; best = i; }
    }
    for (int j = 0; j < d; j++) qb[j] = ldexp(q[j], 600);
    for (int i = 0; i < n * d; i++) Kb[i] = ldexp(K[i], 600);
    for (int j = 0; j < d; j++) V[best + j * n] = ldexp(V[best + j * n], 1000); /* and huge values */
    assert_int_equal(sk_attention_decode(n, d, 1.0, qb, Kb, n, V, n, out), 0);
    for (int j = 0; j < d; j++) assert_true(out[j] == V[best + j * n]);
}

/* Temperature-like: one logit −2^1200 (beyond the range) and two moderate ones,
 * 0.5 and 1.0, whose weights e^-0.5 : 1 must survive the prescale: the answer is
 * the plain softmax of the two moderate rows. */
static void test_decode_overflow_with_moderate_max_set(void **state)
{
    (void)state;
    double q[2] = {0x1p600, 1.0}, K[6] = {-0x1p600, 0.0, 0.0, 0.0, 0.5, 1.0}, V[6] = {100.0, 2.0, 3.0, -1.0, 7.0, 11.0};
    double out[2], ref[2], K2[4] = {0.0, 0.0, 0.5, 1.0}, V2[4] = {2.0, 3.0, 7.0, 11.0};
    assert_int_equal(sk_attention_decode(3, 2, 1.0, q, K, 3, V, 3, out), 0);
    assert_int_equal(sk_attention_decode(2, 2, 1.0, q, K2, 2, V2, 2, ref), 0);
    for (int j = 0; j < 2; j++) assert_true(fabs(out[j] - ref[j]) <= 8 * DBL_EPSILON * fabs(ref[j]));
    double e = exp(-0.5);
    assert_true(fabs(ref[0] - (2.0 * e + 3.0) / (1 + e)) <= 8 * DBL_EPSILON * 3);
}

/* Logits 1e300 and 0.9e300: representable, so the softmax is exactly one-hot
 * (the difference 1e299 makes exp underflow to 0) and out = V[0] exactly. */
static void test_decode_large_logits_one_hot(void **state)
{
    (void)state;
    double q[1] = {1e150}, K[3] = {1e150, 0.9e150, -1e150}, V[3] = {3.0, 5.0, 7.0}, out[1];
    assert_int_equal(sk_attention_decode(3, 1, 1.0, q, K, 3, V, 3, out), 0);
    assert_true(out[0] == 3.0);
    /* d = 2 with V entries near DBL_MAX and one-hot weights: out = V[0,:] exactly */
    double q2[2] = {1e150, 0.0}, K2[4] = {1e150, -1e150, 1.0, 1.0}, V2[4] = {1.7e308, -1.7e308, -1.7e308, 1.7e308}, o2[2];
    assert_int_equal(sk_attention_decode(2, 2, 1.0, q2, K2, 2, V2, 2, o2), 0);
    assert_true(o2[0] == 1.7e308 && o2[1] == -1.7e308);
}

/* Uniform weights over values whose running sum Σ p·v exceeds DBL_MAX: the mean
 * is representable and exact (values prescaled per column). */
static void test_decode_value_sum_overflow(void **state)
{
    (void)state;
    double q[1] = {0.0}, K[2] = {1.0, 2.0}, V[2] = {1.5e308, 1.5e308}, out[1];
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 2, V, 2, out), 0);
    assert_true(out[0] == 1.5e308);
    double W[2] = {0.75e308, 0.75e308};
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 2, W, 2, out), 0);
    assert_true(out[0] == 0.75e308);
}

/* Tensor attention: k1∘k2 products of 1e160·1e160 overflow in every evaluation. */
static void test_tensor_overflow_every_evaluation(void **state)
{
    (void)state;
    double q[2] = {1.0, 0.5}, K1[4] = {1e160, -1e160, 2.0, 1.0}, K2[4] = {1e160, 1e160, 1.0, 3.0};
    double V1[4] = {1, 2, 3, 4}, V2[4] = {5, 6, 7, 8}, out[2];
    int evals[4] = {SK_TENSOR_TWO_CACHE, SK_TENSOR_NAIVE, SK_TENSOR_FACTORED, SK_TENSOR_STREAMING};
    for (int e = 0; e < 4; e++)
        assert_int_equal(sk_tensor_attention_decode(evals[e], 2, 2, 1.0, q, K1, 2, K2, 2, V1, 2, V2, 2, out), SK_EINVAL);
    /* values: v1∘v2 = 1e160·1e160 with bounded logits */
    double K3[4] = {1, 2, 3, 4}, W1[4] = {1e160, 1e160, 1e160, 1e160};
    for (int e = 0; e < 4; e++)
        assert_int_equal(sk_tensor_attention_decode(evals[e], 2, 2, 1.0, q, K3, 2, K3, 2, W1, 2, W1, 2, out), SK_EINVAL);
    /* the same shapes at a moderate scale agree across evaluations */
    double ref[2];
    assert_int_equal(sk_tensor_attention_decode(SK_TENSOR_TWO_CACHE, 2, 2, 1.0, q, K3, 2, K3, 2, V1, 2, V2, 2, ref), 0);
    for (int e = 1; e < 4; e++) {
        assert_int_equal(sk_tensor_attention_decode(evals[e], 2, 2, 1.0, q, K3, 2, K3, 2, V1, 2, V2, 2, out), 0);
        for (int j = 0; j < 2; j++) assert_true(fabs(out[j] - ref[j]) <= 64 * DBL_EPSILON * fabs(ref[j]));
    }
}

/* KV caches: a standard cache answers logits beyond the range exactly (one-hot);
 * a four-cache query whose k1∘k2 overflows is SK_EINVAL with the counters not
 * updated, and a moderate query afterwards works. */
static void test_kvcache_overflow_keeps_cache(void **state)
{
    (void)state;
    sk_kvcache_t *c = NULL;
    assert_int_equal(sk_kvcache_create(SK_KV_STANDARD, 1, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    double K[2] = {1e200, -1e200}, V[2] = {3.0, 5.0};
    assert_int_equal(sk_kvcache_append(c, 2, K, 2, NULL, 1, V, 2, NULL, 1), 0);
    double q[1] = {1e200}, out[1], st0[SK_KVSTAT_COUNT], st1[SK_KVSTAT_COUNT];
    assert_int_equal(sk_kvcache_query(c, 0, q, out), 0);
    assert_true(out[0] == 3.0);
    double qm[1] = {1e-300}; /* logits ±1e-100: uniform weights */
    assert_int_equal(sk_kvcache_query(c, 0, qm, out), 0);
    assert_true(fabs(out[0] - 4.0) <= 4 * DBL_EPSILON);
    sk_kvcache_destroy(c);

    /* four-cache, every tensor evaluation */
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, 1, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    double k1[1] = {1e160}, k2[1] = {1e160}, v[1] = {2.0};
    assert_int_equal(sk_kvcache_append(c, 1, k1, 1, k2, 1, v, 1, v, 1), 0);
    double q1[1] = {1.0};
    assert_int_equal(sk_kvcache_stats(c, st0), 0);
    for (int e = SK_TENSOR_NAIVE; e <= SK_TENSOR_STREAMING; e++) assert_int_equal(sk_kvcache_query(c, e, q1, out), SK_EINVAL);
    assert_int_equal(sk_kvcache_stats(c, st1), 0);
    assert_memory_equal(st0, st1, sizeof st0);
    double q0[1] = {0.0};
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_FACTORED, q0, out), 0);
    assert_true(out[0] == 4.0);
    sk_kvcache_destroy(c);
}

/* SubGen: logits beyond DBL_MAX give SK_EINVAL; a moderate query still works. */
static void test_subgen_overflow(void **state)
{
    (void)state;
    sk_subgen_t *g = NULL;
    sk_rng_t rng;
    sk_rng_init(&rng, 7, 0);
    assert_int_equal(sk_subgen_create(1, 0.5, 1, 2, &g), 0);
    double K[2] = {1e200, -1e200}, V[2] = {3.0, 5.0}, out[1];
    assert_int_equal(sk_subgen_append(g, &rng, 2, K, 2, V, 2), 0);
    double q[1] = {1e200};
    assert_int_equal(sk_subgen_query(g, q, out, NULL, NULL), SK_EINVAL);
    double qm[1] = {1e-300}; /* logits ±1e-100: uniform weights */
    assert_int_equal(sk_subgen_query(g, qm, out, NULL, NULL), 0);
    assert_true(isfinite(out[0]));
    sk_subgen_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_logit_overflow),
        cmocka_unit_test(test_decode_large_logits_one_hot),
        cmocka_unit_test(test_decode_one_hot_at_argmax),
        cmocka_unit_test(test_decode_overflow_with_moderate_max_set),
        cmocka_unit_test(test_decode_value_sum_overflow),
        cmocka_unit_test(test_tensor_overflow_every_evaluation),
        cmocka_unit_test(test_kvcache_overflow_keeps_cache),
        cmocka_unit_test(test_subgen_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
