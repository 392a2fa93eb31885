/*
 * test_extreme_scale_attention.c — attention queries at extreme scales (issue 9,
 * attention.h "Range"): finite inputs whose logit, entry product or output is
 * beyond the double range give SK_EINVAL, never ±Inf/NaN with status 0, and the
 * KV cache / SubGen state stays usable; large but representable logits still
 * give the exact one-hot softmax.
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

/* n = 2, d = 1: logits q·k = ±1e400 (beyond DBL_MAX): SK_EINVAL. */
static void test_decode_logit_overflow(void **state)
{
    (void)state;
    double q[1] = {1e200}, K[2] = {1e200, -1e200}, V[2] = {3.0, 5.0}, out[1];
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 2, V, 2, out), SK_EINVAL);
    /* scale folded in: q·k = 1e200·1e100·scale 1e10 = 1e310 */
    double q2[1] = {1e100};
    assert_int_equal(sk_attention_decode(2, 1, 1e10, q2, K, 2, V, 2, out), SK_EINVAL);
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

/* Uniform weights over values whose running sum Σ p·v exceeds DBL_MAX: SK_EINVAL
 * (documented), and just inside the range the mean is exact. */
static void test_decode_value_sum_overflow(void **state)
{
    (void)state;
    double q[1] = {0.0}, K[2] = {1.0, 2.0}, V[2] = {1.5e308, 1.5e308}, out[1];
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 2, V, 2, out), SK_EINVAL);
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

/* KV caches: a query whose logits overflow is SK_EINVAL; the counters are not
 * updated and a moderate query afterwards works. */
static void test_kvcache_overflow_keeps_cache(void **state)
{
    (void)state;
    sk_kvcache_t *c = NULL;
    assert_int_equal(sk_kvcache_create(SK_KV_STANDARD, 1, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    double K[2] = {1e200, -1e200}, V[2] = {3.0, 5.0};
    assert_int_equal(sk_kvcache_append(c, 2, K, 2, NULL, 1, V, 2, NULL, 1), 0);
    double q[1] = {1e200}, out[1], st0[SK_KVSTAT_COUNT], st1[SK_KVSTAT_COUNT];
    assert_int_equal(sk_kvcache_stats(c, st0), 0);
    assert_int_equal(sk_kvcache_query(c, 0, q, out), SK_EINVAL);
    assert_int_equal(sk_kvcache_stats(c, st1), 0);
    assert_memory_equal(st0, st1, sizeof st0);
    double qm[1] = {1e-300}; /* logits ±1e-100: uniform weights */
    assert_int_equal(sk_kvcache_query(c, 0, qm, out), 0);
    assert_true(fabs(out[0] - 4.0) <= 4 * DBL_EPSILON);
    sk_kvcache_destroy(c);

    /* four-cache, every tensor evaluation */
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, 1, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    double k1[1] = {1e160}, k2[1] = {1e160}, v[1] = {2.0};
    assert_int_equal(sk_kvcache_append(c, 1, k1, 1, k2, 1, v, 1, v, 1), 0);
    double q1[1] = {1.0};
    for (int e = SK_TENSOR_NAIVE; e <= SK_TENSOR_STREAMING; e++) assert_int_equal(sk_kvcache_query(c, e, q1, out), SK_EINVAL);
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
        cmocka_unit_test(test_decode_value_sum_overflow),
        cmocka_unit_test(test_tensor_overflow_every_evaluation),
        cmocka_unit_test(test_kvcache_overflow_keeps_cache),
        cmocka_unit_test(test_subgen_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
