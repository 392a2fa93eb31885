/*
 * test_stream_fasthash.c — the CountSketch hash of SK_HASH_FAST (sk_cs_create
 * in stream.h): the library computes exactly the documented multiply-add-
 * shift; over seeds, the (bucket, sign) pairs of two keys are jointly uniform
 * (2-wise independence, checked in both modes, with the spec's warned-against
 * "sign = low bit of the bucket" as the control that the test must reject);
 * point and F2 estimates on structured key sets (runs, power-of-two strides)
 * stay within the bounds that POLY meets; and format-1 states (saved before
 * this hash) load in POLY mode and are refused in FAST mode.
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
#include "streamstat.h"

/* ---------------------------------------------------------------- the definition, written out again */

/* Words w[0..n) of Philox stream (seed, stream): block t gives
 * (out0·2^32 + out1, out2·2^32 + out3). */
static void philox_words(uint64_t seed, uint32_t stream, int n, uint64_t *w)
{
    sk_rng_t rng;
    assert_int_equal(sk_rng_init(&rng, seed, stream), 0);
    for (int got = 0; got < n; rng.ctr[0]++) {
        uint32_t o[4];
        sk_philox4x32(rng.ctr, rng.key, o);
        for (int i = 0; i < 4 && got < n; i += 2) w[got++] = ((uint64_t)o[i] << 32) | o[i + 1];
    }
}

static uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; return h ^ (h >> 16);
}

/* Row r of a FAST CountSketch (seed, b): bucket and sign of key, as stream.h
 * documents them (row words: stream 2r; salt: first word of stream 1). */
static void reference(uint64_t seed, int b, int r, uint32_t key, int *bucket, int *sign)
{
    uint64_t a[4], s;
    philox_words(seed, 2u * (uint32_t)r, 4, a);
    philox_words(seed, 1u, 1, &s);
    uint32_t f = fmix32(key ^ fmix32(0u + (uint32_t)s));   /* high word of the key: 0 */
    uint64_t h = a[0] * key + a[1] * f + a[3];
    *bucket = (int)(((h >> 32) * (uint64_t)b) >> 32);
    *sign = (h >> 31) & 1 ? -1 : 1;
}

/* Bucket and sign of one key in every row, read off the table after x_key = 1. */
static void observe(int mode, uint64_t seed, int b, int R, int key, int *bucket, int *sign)
{
    sk_cs_t *cs;
    assert_int_equal(sk_cs_create(b, R, mode, &cs, seed), 0);
    assert_int_equal(sk_cs_update(cs, key, 1.0), 0);
    double *t = malloc(sizeof(double) * (size_t)R * b);
    sk_cs_table(cs, t);
    for (int r = 0; r < R; r++) {
        int found = 0;
        for (int c = 0; c < b; c++)
            if (t[(size_t)r * b + c] != 0) { bucket[r] = c; sign[r] = t[(size_t)r * b + c] > 0 ? 1 : -1; found++; }
        assert_int_equal(found, 1);
    }
    free(t);
    sk_cs_destroy(cs);
}

static void test_matches_documented_formula(void **state)
{
    (void)state;
    const uint64_t seeds[] = { 0, 1, 2024, 0xFFFFFFFFFFFFFFFFull };
    const int keys[] = { 0, 1, 2, 3, 4, 5, 12345, 65536, 1000003, 0x7FFFFFFE, 0x7FFFFFFF };
    const int bs[] = { 1, 8, 1000, 1024 };
    int checked = 0;
    for (size_t si = 0; si < sizeof seeds / sizeof *seeds; si++)
        for (size_t bi = 0; bi < sizeof bs / sizeof *bs; bi++)
            for (size_t ki = 0; ki < sizeof keys / sizeof *keys; ki++) {
                int bk[5], sg[5];
                observe(SK_HASH_FAST, seeds[si], bs[bi], 5, keys[ki], bk, sg);
                for (int r = 0; r < 5; r++) {
                    int eb, es;
                    reference(seeds[si], bs[bi], r, (uint32_t)keys[ki], &eb, &es);
                    if (eb != bk[r] || es != sg[r])
                        fail_msg("seed %llu b %d key %d row %d: library (%d, %+d), formula (%d, %+d)",
                                 (unsigned long long)seeds[si], bs[bi], keys[ki], r, bk[r], sg[r], eb, es);
                    checked++;
                }
            }
    /* and the batch kernel (blocked, SIMD-width loops) agrees with the formula over a block */
    enum { NB = 700, B = 1000, R = 3 };
    int idx[NB];
    double one[NB], t[R * B];
    for (int q = 0; q < NB; q++) { idx[q] = q * 3067; one[q] = 1.0 + q; }
    sk_cs_t *cs;
    assert_int_equal(sk_cs_create(B, R, SK_HASH_FAST, &cs, 99), 0);
    assert_int_equal(sk_cs_update_batch(cs, NB, idx, one), 0);
    sk_cs_table(cs, t);
    double expect[R * B] = { 0 };
    for (int q = 0; q < NB; q++)
        for (int r = 0; r < R; r++) {
            int eb, es;
            reference(99, B, r, (uint32_t)idx[q], &eb, &es);
            expect[r * B + eb] += es * one[q];
        }
    assert_memory_equal(t, expect, sizeof t);
    sk_cs_destroy(cs);
    printf("fast hash: %d (seed, b, key, row) cases and a %d-key batch equal the documented formula\n", checked, NB);
}

/* ---------------------------------------------------------------- 2-wise independence */

/* Chi-square p-value of the joint law of (bucket(x), sign(x), bucket(y),
 * sign(y)) over SEEDS seeds × R rows with b = 8: 256 cells, uniform for a
 * 2-wise independent pair. If parity_sign, the sign is replaced by the
 * bucket's low bit (the construction the spec forbids), which must fail. */
enum { PB = 8, PR = 3, SEEDS = 3000 };
static double pair_p(int mode, int x, int y, int parity_sign, long *coll)
{
    static long cnt[4 * PB * PB];
    memset(cnt, 0, sizeof cnt);
    *coll = 0;
    for (int s = 0; s < SEEDS; s++) {
        sk_cs_t *cs;
        assert_int_equal(sk_cs_create(PB, PR, mode, &cs, 5000 + (uint64_t)s), 0);
        /* x with +1 and y with +2: every counter value tells both signs, even on a collision */
        assert_int_equal(sk_cs_update(cs, x, 1.0), 0);
        assert_int_equal(sk_cs_update(cs, y, 2.0), 0);
        double t[PR * PB];
        sk_cs_table(cs, t);
        for (int r = 0; r < PR; r++) {
            int bx = -1, by = -1, sx = 0, sy = 0, nz = 0;
            for (int c = 0; c < PB; c++) nz += t[r * PB + c] != 0;
            for (int c = 0; c < PB; c++) {
                double v = t[r * PB + c];
                if (v == 0) continue;
                if (nz == 2) {   /* apart: x's counter holds ±1, y's ±2 */
                    if (fabs(v) == 1) { bx = c; sx = v > 0 ? 1 : -1; } else { by = c; sy = v > 0 ? 1 : -1; }
                } else {         /* together: sx + 2·sy is 3, 1, -1 or -3 */
                    bx = by = c;
                    sy = v > 0 ? 1 : -1;
                    sx = (int)v - 2 * sy;
                }
            }
            assert_true(bx >= 0 && by >= 0);
            *coll += bx == by;
            int ux = parity_sign ? (bx & 1) : sx > 0, uy = parity_sign ? (by & 1) : sy > 0;
            cnt[((bx * 2 + ux) * PB + by) * 2 + uy]++;
        }
        sk_cs_destroy(cs);
    }
    static double p[4 * PB * PB];
    for (int i = 0; i < 4 * PB * PB; i++) p[i] = 1.0 / (4 * PB * PB);
    int df;
    return ss_chisq_p(4 * PB * PB, cnt, p, &df);
}

static void test_pairs_jointly_uniform(void **state)
{
    (void)state;
    const int pairs[][2] = { { 0, 1 }, { 1, 2 }, { 0, 0x7FFFFFFF }, { 7, 7 + (1 << 20) }, { 1 << 16, 1 << 17 }, { 1000, 1001 } };
    for (int mode = 0; mode < 2; mode++)
        for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
            long coll;
            double pv = pair_p(mode, pairs[k][0], pairs[k][1], 0, &coll);
            printf("%s keys (%d, %d): joint (bucket, sign) chi-square p = %.3g, collisions %ld of %d (expect %d)\n",
                   mode ? "fast" : "poly", pairs[k][0], pairs[k][1], pv, coll, SEEDS * PR, SEEDS * PR / PB);
            if (pv < 1e-3) fail_msg("%s keys (%d, %d): (bucket, sign) pairs not uniform, p = %.3g", mode ? "fast" : "poly",
                                    pairs[k][0], pairs[k][1], pv);
        }
    /* the control: the same data with the sign read as the bucket's low bit is rejected */
    long coll;
    double bad = pair_p(SK_HASH_FAST, 0, 1, 1, &coll);
    printf("control (sign = low bit of the bucket): p = %.3g\n", bad);
    assert_true(bad < 1e-6);
}

/* ---------------------------------------------------------------- structured keys */

/* F̂2 of the all-ones vector, and the point error of one key raised to 500,
 * on a run of keys and on a stride of 2^16, over 40 seeds, b = 256, R = 7.
 * Per row, 4-wise signs give
 * sd(F̂2)/F2 <= sqrt(2/b) = 0.088; the median of 7 rows is tighter, so 0.35
 * (4 per-row sd) is not reached by a sound hash, and the all-zero estimator
 * (error 1) breaks it. The point error: |x̂ − x| <= 4·sqrt(F2_tail/b). */
static void test_structured_keys(void **state)
{
    (void)state;
    enum { N = 20000, B = 256, R = 7, S = 40 };
    int *idx = malloc(sizeof(int) * N);
    double *val = malloc(sizeof(double) * N);
    for (int mode = 0; mode < 2; mode++)
        for (int shape = 0; shape < 2; shape++) {
            for (int i = 0; i < N; i++) { idx[i] = shape ? (int)((i * 65536u) & 0x7FFFFFFFu) + (i >> 15) : i; val[i] = 1.0; }
            const int heavy = 77;
            double worst = 0, worst_pt = 0;
            for (int s = 0; s < S; s++) {
                sk_cs_t *cs;
                double e, est;
                /* F2 of the flat vector (F2 = N: no key dominates it) */
                val[heavy] = 1.0;
                assert_int_equal(sk_cs_create(B, R, mode, &cs, 31 + (uint64_t)s), 0);
                assert_int_equal(sk_cs_update_batch(cs, N, idx, val), 0);
                assert_int_equal(sk_cs_f2(cs, &e), 0);
                worst = fmax(worst, fabs(e / N - 1));
                /* one key raised to 500 on top of it */
                assert_int_equal(sk_cs_update(cs, idx[heavy], 499.0), 0);
                assert_int_equal(sk_cs_estimate(cs, idx[heavy], &est), 0);
                worst_pt = fmax(worst_pt, fabs(est - 500.0) / sqrt((N - 1.0) / B));
                sk_cs_destroy(cs);
            }
            printf("%s, %s: worst |F2^/F2 - 1| = %.3f, worst point error / sqrt(F2_tail/b) = %.2f over %d seeds\n",
                   mode ? "fast" : "poly", shape ? "stride 2^16" : "run 0..N-1", worst, worst_pt, S);
            if (worst > 0.35) fail_msg("F2 estimate off by %.3f", worst);
            if (worst_pt > 4) fail_msg("point error %.2f·sqrt(F2_tail/b)", worst_pt);
        }
    free(idx); free(val);
}

/* ---------------------------------------------------------------- format 1 */

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ull; }
    return h;
}

/* buf as the library's format `version` would have written it: the version
 * word at byte 4, the FNV-1a-64 checksum of the rest in the last 8 bytes. */
static void set_version(unsigned char *buf, size_t len, uint32_t version)
{
    for (int i = 0; i < 4; i++) buf[4 + i] = (unsigned char)(version >> (8 * i));
    uint64_t h = fnv1a(buf, len - 8);
    for (int i = 0; i < 8; i++) buf[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

static void test_format1_states(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        sk_cs_t *a, *b = NULL;
        assert_int_equal(sk_cs_create(16, 3, mode, &a, 8), 0);
        for (int i = 0; i < 50; i++) sk_cs_update(a, i, i - 20.0);
        size_t len;
        sk_cs_serialize(a, NULL, 0, &len);
        unsigned char *buf = malloc(len);
        assert_int_equal(sk_cs_serialize(a, buf, len, &len), 0);
        assert_int_equal(buf[4], 2);   /* written as format 2 */
        set_version(buf, len, 1);
        if (mode == SK_HASH_POLY) {
            assert_int_equal(sk_cs_deserialize(buf, len, &b), 0);   /* same hashes: still reads */
            double ta[48], tb[48];
            sk_cs_table(a, ta); sk_cs_table(b, tb);
            assert_memory_equal(ta, tb, sizeof ta);
            sk_cs_destroy(b);
        } else {
            assert_int_equal(sk_cs_deserialize(buf, len, &b), SK_EFORMAT);   /* old fast hash: refused */
            assert_null(b);
        }
        set_version(buf, len, 3);
        assert_int_equal(sk_cs_deserialize(buf, len, &b), SK_EFORMAT);
        free(buf);
        sk_cs_destroy(a);

        /* the attention sampler's state (the lower-bound games' message) likewise */
        enum { N = 6, D = 3 };
        double A[N * D], x[D] = { 1, -2, 0.5 };
        for (int t = 0; t < N * D; t++) A[t] = (t % 5) - 2.0;
        sk_att_t *s, *s2 = NULL;
        assert_int_equal(sk_att_create(SK_ATT_A, N, D, A, N, x, 0.5, 8, 3, 2, 2, SK_L2S_JST, mode, &s, 3), 0);
        sk_att_serialize(s, NULL, 0, &len);
        buf = malloc(len);
        assert_int_equal(sk_att_serialize(s, buf, len, &len), 0);
        set_version(buf, len, 1);
        assert_int_equal(sk_att_deserialize(buf, len, &s2), mode == SK_HASH_POLY ? 0 : SK_EFORMAT);
        sk_att_destroy(s2);
        free(buf);
        sk_att_destroy(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_documented_formula),
        cmocka_unit_test(test_pairs_jointly_uniform),
        cmocka_unit_test(test_structured_keys),
        cmocka_unit_test(test_format1_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
