/*
 * test_extreme_scale_stream.c — the attention and tensor samplers at extreme
 * scales (issue 9, stream.h "Range"): an initial A/x/A2/X or an update that
 * would make a stored number reach SK_ATT_MAX_ABS (2^228) / SK_TENSOR_MAX_ABS
 * (2^140) is SK_EINVAL with the state unchanged (serialized bytes / tables
 * identical), and a sampler just inside the range answers with no NaN or Inf
 * in its record.
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

enum { N = 5, D = 3 };

static sk_att_t *make_att(int setting, double scale)
{
    double A[N * D], x[D];
    for (int i = 0; i < N * D; i++) A[i] = scale * (1.0 + 0.25 * (i % 7)) * (i % 2 ? -1 : 1);
    for (int j = 0; j < D; j++) x[j] = 1.0 + j;
    sk_att_t *a = NULL;
    int st = sk_att_create(setting, N, D, A, N, x, 0.5, 8, 3, 2, 2, SK_L2S_JST, SK_HASH_POLY, &a, 3);
    assert_int_equal(st, 0);
    return a;
}

static unsigned char *bytes_of(const sk_att_t *a, size_t *len)
{
    assert_int_equal(sk_att_serialize(a, NULL, 0, len), 0);
    unsigned char *b = malloc(*len);
    assert_non_null(b);
    assert_int_equal(sk_att_serialize(a, b, *len, len), 0);
    return b;
}

static void assert_record_sane(const double *rec)
{
    for (int t = 0; t < SK_L2S_REC_LEN; t++) assert_false(isnan(rec[t]));
    assert_true(isfinite(rec[SK_L2S_REC_S]));
}

static void test_att_initial_out_of_range(void **state)
{
    (void)state;
    int settings[3] = {SK_ATT_A, SK_ATT_X, SK_ATT_BOTH};
    double A[N * D], x[D] = {1, 2, 3};
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < N * D; i++) A[i] = 0x1p229;
        sk_att_t *a = (sk_att_t *)A;
        assert_int_equal(sk_att_create(settings[s], N, D, A, N, x, 0.5, 8, 3, 2, 2, SK_L2S_JST, SK_HASH_POLY, &a, 3), SK_EINVAL);
        assert_null(a);
        double xb[D] = {1, 0x1p229, 1};
        for (int i = 0; i < N * D; i++) A[i] = 1.0;
        assert_int_equal(sk_att_create(settings[s], N, D, A, N, xb, 0.5, 8, 3, 2, 2, SK_L2S_JST, SK_HASH_POLY, &a, 3), SK_EINVAL);
    }
}

/* Every setting: an update beyond the range is refused and the state is unchanged;
 * the sampler still answers sanely near the range's edge. */
static void test_att_update_refused_state_unchanged(void **state)
{
    (void)state;
    int settings[3] = {SK_ATT_A, SK_ATT_X, SK_ATT_BOTH};
    for (int s = 0; s < 3; s++) {
        sk_att_t *a = make_att(settings[s], 0x1p200);
        size_t l0, l1;
        unsigned char *b0 = bytes_of(a, &l0);
        if (settings[s] != SK_ATT_X) assert_int_equal(sk_att_update_a(a, 1, 2, 0x1p227 * 3), SK_EINVAL);
        if (settings[s] != SK_ATT_A) assert_int_equal(sk_att_update_x(a, 0, 0x1p228), SK_EINVAL);
        unsigned char *b1 = bytes_of(a, &l1);
        assert_int_equal(l0, l1);
        assert_memory_equal(b0, b1, l0);
        double rec[SK_L2S_REC_LEN];
        assert_int_equal(sk_att_sample(a, rec), 0);
        assert_record_sane(rec);
        /* a moderate update is still taken */
        if (settings[s] != SK_ATT_X) assert_int_equal(sk_att_update_a(a, 1, 2, 1.0), 0);
        else assert_int_equal(sk_att_update_x(a, 0, 1.0), 0);
        free(b0); free(b1);
        sk_att_destroy(a);
    }
}

static void test_tensor_out_of_range(void **state)
{
    (void)state;
    double A2[N * D], X[D * D];
    for (int i = 0; i < N * D; i++) A2[i] = 1.0 + (i % 3);
    for (int i = 0; i < D * D; i++) X[i] = i % 4 == 0 ? 1.0 : 0.25;
    sk_tensor_t *t = NULL;
    A2[4] = 0x1p141;
    assert_int_equal(sk_tensor_create(N, D, A2, N, X, D, 0.5, 8, 3, 2, 2, SK_L2S_JST, &t, 1), SK_EINVAL);
    assert_null(t);
    A2[4] = 0x1p70;
    X[1] = 0x1p71; /* G = A2·Xᵀ reaches 2^141 */
    assert_int_equal(sk_tensor_create(N, D, A2, N, X, D, 0.5, 8, 3, 2, 2, SK_L2S_JST, &t, 1), SK_EINVAL);
    X[1] = 0.25;
    assert_int_equal(sk_tensor_create(N, D, A2, N, X, D, 0.5, 8, 3, 2, 2, SK_L2S_JST, &t, 1), 0);
    assert_int_equal(sk_tensor_update(t, 0, 1, 0x1p60), 0);
    double z0[2 * 3 * 8], z1[2 * 3 * 8], fft0[3 * 8], fft1[3 * 8], f2;
    assert_int_equal(sk_tensor_table(t, 0, z0), 0);
    assert_int_equal(sk_tensor_fft_sketch(t, fft0, &f2), 0);
    assert_int_equal(sk_tensor_update(t, 2, 0, 0x1p139), SK_EINVAL); /* times G ~ 2^72 */
    assert_int_equal(sk_tensor_table(t, 0, z1), 0);
    assert_int_equal(sk_tensor_fft_sketch(t, fft1, &f2), 0);
    assert_memory_equal(z0, z1, sizeof z0);
    assert_memory_equal(fft0, fft1, sizeof fft0);
    assert_true(isfinite(f2));
    double rec[SK_L2S_REC_LEN];
    assert_int_equal(sk_tensor_sample(t, rec), 0);
    assert_record_sane(rec);
    sk_tensor_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_att_initial_out_of_range),
        cmocka_unit_test(test_att_update_refused_state_unchanged),
        cmocka_unit_test(test_tensor_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
