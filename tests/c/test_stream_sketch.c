/*
 * test_stream_sketch.c — hashing, CountSketch and AMS (specs/attention.md §0,
 * §1.1, §1.2; tests T1–T3) and their bad-input handling.
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

/* ---------------------------------------------------------------- hashing */

static void test_mulmod61(void **state)
{
    (void)state;
    const uint64_t P = SK_HASH_P61;
    __extension__ typedef unsigned __int128 u128;
    uint64_t edge[] = { 0, 1, 2, P - 1, P - 2, (1ull << 60), (1ull << 32) - 1, (1ull << 32), 0x123456789ABCDEFull };
    int ne = (int)(sizeof edge / sizeof edge[0]);
    sk_rng_t rng;
    sk_rng_init(&rng, 99, 0);
    for (int t = 0; t < 20000 + ne * ne; t++) {
        uint64_t a, b, got;
        if (t < ne * ne) { a = edge[t / ne]; b = edge[t % ne]; }
        else {
            uint32_t o[4];
            sk_philox4x32(rng.ctr, rng.key, o); rng.ctr[0]++;
            a = (((uint64_t)o[0] << 32) | o[1]) % P; b = (((uint64_t)o[2] << 32) | o[3]) % P;
        }
        assert_int_equal(sk_mulmod61(a, b, &got), 0);
        uint64_t want = (uint64_t)(((u128)a * b) % P);
        if (got != want) fail_msg("mulmod61(%llu, %llu) = %llu, want %llu", (unsigned long long)a,
                                  (unsigned long long)b, (unsigned long long)got, (unsigned long long)want);
    }
    /* the plain 64-bit (a*x) % p that the spec warns about is wrong here */
    uint64_t a = P - 1, x = P - 2, got;
    sk_mulmod61(a, x, &got);
    assert_true(got != (a * x) % P);
    assert_int_equal(sk_mulmod61(P, 1, &got), -1);
    assert_int_equal(sk_mulmod61(1, P, &got), -2);
}

/* Same (seed, stream) → same function; buckets and units roughly uniform;
 * pairwise: the bucket collision rate of two keys ≈ 1/b over many functions. */
static void test_hash_family(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        sk_hash_t h1, h2, h3;
        assert_int_equal(sk_hash_init(&h1, mode, 4, 7, 12345), 0);
        assert_int_equal(sk_hash_init(&h2, mode, 4, 7, 12345), 0);
        assert_int_equal(sk_hash_init(&h3, mode, 4, 8, 12345), 0);
        int same = 0;
        for (uint64_t key = 0; key < 1000; key++) {
            uint64_t a, b, c;
            sk_hash_eval(&h1, key, &a); sk_hash_eval(&h2, key, &b); sk_hash_eval(&h3, key, &c);
            assert_true(a == b);
            same += a == c;
            double u;
            sk_hash_unit(&h1, key, &u);
            assert_true(u > 0 && u < 1);
            if (mode == SK_HASH_POLY) assert_true(a < SK_HASH_P61);
        }
        assert_true(same < 3);
        /* collision rate of keys 3 and 10 in b = 16 buckets over 4000 functions */
        int coll = 0;
        for (uint32_t s = 0; s < 4000; s++) {
            sk_hash_t h; uint64_t a, b;
            sk_hash_init(&h, mode, 2, s, 777);
            sk_hash_eval(&h, 3, &a); sk_hash_eval(&h, 10, &b);
            coll += (a % 16) == (b % 16);
        }
        /* mean 250, sd ≈ 15.3: 5 sd */
        assert_true(abs(coll - 250) < 77);
    }
    sk_hash_t h;
    assert_int_equal(sk_hash_init(&h, 2, 4, 0, 0), -2);
    assert_int_equal(sk_hash_init(&h, SK_HASH_POLY, 1, 0, 0), -3);
    assert_int_equal(sk_hash_init(&h, SK_HASH_POLY, SK_HASH_KMAX + 1, 0, 0), -3);
}

/* ---------------------------------------------------------------- T1 */

#define T1N 10000
static double *t1_vector(void)
{
    static const double planted[10] = { 1000, -800, 600, 500, -400, 300, 250, 200, 150, 100 };
    double *x = tu_randn(T1N, 1, 11);
    for (int i = 0; i < T1N; i++) x[i] *= 5;
    for (int i = 0; i < 10; i++) x[i] = planted[i];
    return x;
}

static int cmp_abs_desc(const void *a, const void *b)
{
    double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return (x < y) - (x > y);
}
static int cmp_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ‖x_{−k}‖₂: norm without the k largest magnitudes. */
static double tail_norm(const double *x, int n, int k)
{
    double *s = malloc(sizeof(double) * n);
    memcpy(s, x, sizeof(double) * n);
    qsort(s, n, sizeof(double), cmp_abs_desc);
    double t = 0;
    for (int i = k; i < n; i++) t += s[i] * s[i];
    free(s);
    return sqrt(t);
}

static void t1_run(int b, int R, int seeds, double max_bound, double p99_bound, int check_top)
{
    double *x = t1_vector();
    double scale = tail_norm(x, T1N, 64) / sqrt((double)b);
    /* the bound is not vacuous: the all-zeros estimator breaks it by far */
    assert_true(1000.0 / scale > 3 * max_bound);
    double *est = malloc(sizeof(double) * T1N), *ratio = malloc(sizeof(double) * T1N);
    double worst = 0;
    for (int s = 0; s < seeds; s++) {
        sk_cs_t *cs;
        assert_int_equal(sk_cs_create(b, R, SK_HASH_POLY, &cs, 1000 + s), 0);
        int *idx = malloc(sizeof(int) * T1N);
        for (int i = 0; i < T1N; i++) idx[i] = i;
        assert_int_equal(sk_cs_update_batch(cs, T1N, idx, x), 0);
        assert_int_equal(sk_cs_estimate_all(cs, T1N, est), 0);
        double mx = 0;
        for (int i = 0; i < T1N; i++) { ratio[i] = fabs(est[i] - x[i]) / scale; if (ratio[i] > mx) mx = ratio[i]; }
        qsort(ratio, T1N, sizeof(double), cmp_asc);
        double p99 = ratio[(int)(0.99 * T1N)];
        if (mx > worst) worst = mx;
        if (mx > max_bound) fail_msg("T1 b=%d R=%d seed %d: max ratio %.3f > %.1f", b, R, s, mx, max_bound);
        if (p99_bound > 0 && p99 > p99_bound) fail_msg("T1 seed %d: 99th pct ratio %.3f > %.2f", s, p99, p99_bound);
        if (check_top) {
            int top[8]; double val[8];
            assert_int_equal(sk_cs_heavy(cs, T1N, 8, top, val), 0);
            int seen[8] = { 0 };
            for (int t = 0; t < 8; t++) { assert_true(top[t] >= 0 && top[t] < 8); seen[top[t]] = 1; }
            for (int t = 0; t < 8; t++) assert_true(seen[t]);
            for (int i = 0; i < 10; i++) assert_true(est[i] * x[i] > 0);
        }
        free(idx);
        sk_cs_destroy(cs);
    }
    printf("T1 b=%d R=%d: worst max ratio %.3f over %d seeds\n", b, R, worst, seeds);
    free(est); free(ratio); free(x);
}

static void test_t1_point_error(void **state)
{
    (void)state;
    t1_run(256, 9, 20, 4.0, 1.5, 1);
    t1_run(1024, 11, 10, 3.0, 0, 0);
}

/* ---------------------------------------------------------------- T2 */

static void test_t2_linearity_merge(void **state)
{
    (void)state;
    enum { N = 3000 };
    int i1[N], i2[N];
    double d1[N], d2[N];
    sk_rng_t rng;
    sk_rng_init(&rng, 5, 0);
    double u[2 * N];
    sk_rng_uniform(&rng, 2 * N, u);
    for (int t = 0; t < N; t++) {
        i1[t] = (int)(u[t] * 5000); d1[t] = (double)((int)(u[N + t] * 201) - 100);
        i2[t] = (int)(u[N + t] * 5000); d2[t] = (double)((int)(u[t] * 31) - 15);
    }
    for (int mode = 0; mode < 2; mode++) {
        sk_cs_t *a, *b, *c;
        assert_int_equal(sk_cs_create(128, 5, mode, &a, 42), 0);
        assert_int_equal(sk_cs_create(128, 5, mode, &b, 42), 0);
        assert_int_equal(sk_cs_create(128, 5, mode, &c, 42), 0);
        sk_cs_update_batch(a, N, i1, d1);
        sk_cs_update_batch(b, N, i2, d2);
        for (int t = 0; t < N; t++) sk_cs_update(c, i1[t], d1[t]);  /* single updates = batch */
        for (int t = 0; t < N; t++) sk_cs_update(c, i2[t], d2[t]);
        assert_int_equal(sk_cs_merge(a, b), 0);
        double ta[640], tc[640];
        sk_cs_table(a, ta); sk_cs_table(c, tc);
        assert_memory_equal(ta, tc, sizeof ta);   /* bit for bit: integer updates */
        double nz = 0;
        for (int t = 0; t < 640; t++) nz += fabs(ta[t]);
        assert_true(nz > 0);
        /* +Δ then −Δ returns to all zeros */
        for (int t = 0; t < N; t++) sk_cs_update(c, i1[t], -d1[t]);
        for (int t = 0; t < N; t++) sk_cs_update(c, i2[t], -d2[t]);
        sk_cs_table(c, tc);
        for (int t = 0; t < 640; t++) assert_true(tc[t] == 0.0);
        /* incompatible merges are refused and leave dst unchanged */
        sk_cs_t *o1, *o2, *o3, *o4;
        sk_cs_create(128, 5, mode, &o1, 43);
        sk_cs_create(64, 5, mode, &o2, 42);
        sk_cs_create(128, 7, mode, &o3, 42);
        sk_cs_create(128, 5, 1 - mode, &o4, 42);
        assert_int_equal(sk_cs_merge(a, o1), SK_EMISMATCH);
        assert_int_equal(sk_cs_merge(a, o2), SK_EMISMATCH);
        assert_int_equal(sk_cs_merge(a, o3), SK_EMISMATCH);
        assert_int_equal(sk_cs_merge(a, o4), SK_EMISMATCH);
        double ta2[640];
        sk_cs_table(a, ta2);
        assert_memory_equal(ta, ta2, sizeof ta);
        sk_cs_destroy(o1); sk_cs_destroy(o2); sk_cs_destroy(o3); sk_cs_destroy(o4);
        sk_cs_destroy(a); sk_cs_destroy(b); sk_cs_destroy(c);
    }
}

static void test_serialize(void **state)
{
    (void)state;
    sk_cs_t *a, *b;
    assert_int_equal(sk_cs_create(32, 3, SK_HASH_POLY, &a, 77), 0);
    for (int i = 0; i < 100; i++) sk_cs_update(a, i * 7, i - 50.5);
    size_t len;
    assert_int_equal(sk_cs_serialize(a, NULL, 0, &len), 0);
    assert_int_equal((int)len, 4 * 5 + 8 + 32 * 3 * 8 + 8);
    unsigned char *buf = malloc(len + 16);
    assert_int_equal(sk_cs_serialize(a, buf, len - 1, &len), SK_EINVAL);
    assert_int_equal(sk_cs_serialize(a, buf, len, &len), 0);
    assert_int_equal(sk_cs_deserialize(buf, len, &b), 0);
    double ta[96], tb[96], ea, eb;
    sk_cs_table(a, ta); sk_cs_table(b, tb);
    assert_memory_equal(ta, tb, sizeof ta);
    sk_cs_estimate(a, 70, &ea); sk_cs_estimate(b, 70, &eb);
    assert_true(ea == eb);
    assert_int_equal(sk_cs_merge(b, a), 0);   /* same seed and shape survive the trip */
    sk_cs_destroy(b);
    /* every truncation, an extension, and every single-byte corruption is refused */
    for (size_t cut = 0; cut < len; cut++) {
        b = (sk_cs_t *)1;
        assert_int_equal(sk_cs_deserialize(buf, cut, &b), SK_EFORMAT);
        assert_null(b);
    }
    buf[len] = 0;
    assert_int_equal(sk_cs_deserialize(buf, len + 1, &b), SK_EFORMAT);
    for (size_t pos = 0; pos < len; pos += 3) {
        buf[pos] ^= 0x10;
        assert_int_equal(sk_cs_deserialize(buf, len, &b), SK_EFORMAT);
        buf[pos] ^= 0x10;
    }
    assert_int_equal(sk_cs_deserialize(buf, len, &b), 0);
    sk_cs_destroy(b);
    assert_int_equal(sk_cs_deserialize(NULL, len, &b), -1);
    free(buf);
    sk_cs_destroy(a);
}


/* ---------------------------------------------------------------- blocked loops */

/* Uniform key in [0, 2^31) and a real delta (non-integer, so the rounding
 * order of every counter's sum is visible in its bits). */
static void random_stream(uint64_t seed, int count, int keymax, int *idx, double *dl)
{
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    double *u = malloc(sizeof(double) * 2 * (size_t)count);
    sk_rng_uniform(&rng, 2 * count, u);
    for (int t = 0; t < count; t++) {
        idx[t] = (int)(u[t] * keymax);
        if (t % 97 == 0) idx[t] = keymax - 1 - t % 3;      /* the largest keys too */
        dl[t] = (u[count + t] - 0.5) * 1e3 / 3.0;
    }
    free(u);
}

/* sk_cs_update_batch (blocked, vectorized hashing) gives the table of one
 * sk_cs_update (scalar hashing) at a time, bit for bit: both hash modes,
 * keys up to 2^31 - 1, odd b, even and odd R, batches that end inside a block. */
static void test_batch_equals_single(void **state)
{
    (void)state;
    enum { N = 5000 };
    int *idx = malloc(sizeof(int) * N);
    double *dl = malloc(sizeof(double) * N);
    static const int shapes[][2] = { { 1024, 7 }, { 37, 4 }, { 1, 3 }, { 5000, 1 } };
    static const int keymax[] = { 1000000, 0x7fffffff, 700 };
    for (int mode = 0; mode < 2; mode++)
        for (int sh = 0; sh < 4; sh++)
            for (int km = 0; km < 3; km++) {
                int b = shapes[sh][0], R = shapes[sh][1];
                random_stream(100 + (uint64_t)km, N, keymax[km], idx, dl);
                sk_cs_t *one, *bat, *chunk;
                assert_int_equal(sk_cs_create(b, R, mode, &one, 9), 0);
                assert_int_equal(sk_cs_create(b, R, mode, &bat, 9), 0);
                assert_int_equal(sk_cs_create(b, R, mode, &chunk, 9), 0);
                for (int t = 0; t < N; t++) assert_int_equal(sk_cs_update(one, idx[t], dl[t]), 0);
                assert_int_equal(sk_cs_update_batch(bat, N, idx, dl), 0);
                for (int t0 = 0, len = 1; t0 < N; t0 += len, len = len * 3 + 1) {
                    int n = N - t0 < len ? N - t0 : len;
                    assert_int_equal(sk_cs_update_batch(chunk, n, idx + t0, dl + t0), 0);
                }
                size_t rb = (size_t)b * R;
                double *t1 = malloc(sizeof(double) * rb), *t2 = malloc(sizeof(double) * rb), *t3 = malloc(sizeof(double) * rb);
                sk_cs_table(one, t1); sk_cs_table(bat, t2); sk_cs_table(chunk, t3);
                assert_memory_equal(t1, t2, sizeof(double) * rb);
                assert_memory_equal(t1, t3, sizeof(double) * rb);
                double nz = 0;
                for (size_t t = 0; t < rb; t++) nz += fabs(t1[t]);
                assert_true(nz > 0);
                free(t1); free(t2); free(t3);
                sk_cs_destroy(one); sk_cs_destroy(bat); sk_cs_destroy(chunk);
            }
    free(idx); free(dl);
}

/* sk_cs_estimate_all and sk_cs_heavy (blocked decode, median by a sorting
 * network) agree bit for bit with sk_cs_estimate (insertion sort) for every
 * R from 1 to 16 and some large ones; the heavy list is the top k of the
 * estimates (ties to the lower index). */
static void test_decode_equals_estimate(void **state)
{
    (void)state;
    enum { N = 1500, U = 1300, K = 6 };
    int *idx = malloc(sizeof(int) * N);
    double *dl = malloc(sizeof(double) * N);
    random_stream(7, N, U, idx, dl);
    for (int t = 0; t < 40; t++) { idx[t] = 3 * t; dl[t] = 1e4 + t; }  /* clear heavy keys */
    static const int Rs[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 31, 64, 255 };
    double *all = malloc(sizeof(double) * U);
    for (int mode = 0; mode < 2; mode++)
        for (size_t c = 0; c < sizeof Rs / sizeof Rs[0]; c++) {
            sk_cs_t *cs;
            assert_int_equal(sk_cs_create(64, Rs[c], mode, &cs, 31 + c), 0);
            assert_int_equal(sk_cs_update_batch(cs, N, idx, dl), 0);
            assert_int_equal(sk_cs_estimate_all(cs, U, all), 0);
            for (int i = 0; i < U; i++) {
                double e;
                sk_cs_estimate(cs, i, &e);
                if (memcmp(&e, &all[i], sizeof e) != 0)
                    fail_msg("R=%d mode %d key %d: estimate %.17g, estimate_all %.17g", Rs[c], mode, i, e, all[i]);
            }
            int hi[K];
            double hv[K];
            assert_int_equal(sk_cs_heavy(cs, U, K, hi, hv), 0);
            for (int k = 0; k < K; k++) {
                assert_memory_equal(&hv[k], &all[hi[k]], sizeof(double));
                int above = 0;  /* keys strictly bigger, or as big with a lower index */
                for (int i = 0; i < U; i++)
                    above += fabs(all[i]) > fabs(hv[k]) || (fabs(all[i]) == fabs(hv[k]) && i < hi[k]);
                assert_int_equal(above, k);
            }
            sk_cs_destroy(cs);
        }
    free(all); free(idx); free(dl);
}

/* Fuzz finding stream_cs_counter_overflow: finite deltas that would add up to
 * a ±Inf counter are refused (SK_EINVAL, the sketch unchanged), so every
 * table stays finite and serialize → deserialize always round-trips. */
static void test_counter_overflow(void **state)
{
    (void)state;
    const double M = 1.7976931348623157e308;  /* DBL_MAX */
    for (int mode = 0; mode < 2; mode++) {
        sk_cs_t *cs, *back;
        double before[30], after[30];
        assert_int_equal(sk_cs_create(10, 3, mode, &cs, 5), 0);
        assert_int_equal(sk_cs_update(cs, 4, M), 0);
        sk_cs_table(cs, before);
        /* single update */
        assert_int_equal(sk_cs_update(cs, 4, M), SK_EINVAL);
        sk_cs_table(cs, after);
        assert_memory_equal(before, after, sizeof before);
        /* a batch: refused as a whole, even when its first entries fit */
        int i3[3] = { 1, 4, 4 };
        double d3[3] = { 2.5, -M, -M };  /* 4: +M, 0, then -M: fine; 1 gets 2.5 */
        assert_int_equal(sk_cs_update_batch(cs, 3, i3, d3), 0);
        sk_cs_table(cs, before);
        double d3b[3] = { 1.0, -M / 2, -M };  /* 4 would reach -1.5·M */
        assert_int_equal(sk_cs_update_batch(cs, 3, i3, d3b), SK_EINVAL);
        sk_cs_table(cs, after);
        assert_memory_equal(before, after, sizeof before);
        /* ordinary updates near the limit still go through, and equal single updates */
        int ib[600];
        double db[600];
        for (int t = 0; t < 600; t++) { ib[t] = t % 13; db[t] = (t % 5) - 2.0 + 0.25; }
        sk_cs_t *ref;
        assert_int_equal(sk_cs_create(10, 3, mode, &ref, 5), 0);
        sk_cs_update(ref, 4, M); sk_cs_update(ref, 1, 2.5); sk_cs_update(ref, 4, -M); sk_cs_update(ref, 4, -M);
        for (int t = 0; t < 600; t++) sk_cs_update(ref, ib[t], db[t]);
        assert_int_equal(sk_cs_update_batch(cs, 600, ib, db), 0);
        sk_cs_table(cs, after);
        sk_cs_table(ref, before);
        assert_memory_equal(before, after, sizeof before);
        sk_cs_destroy(ref);
        /* the saturated table serializes into bytes that deserialize accepts */
        size_t len;
        sk_cs_serialize(cs, NULL, 0, &len);
        unsigned char *buf = malloc(len);
        assert_int_equal(sk_cs_serialize(cs, buf, len, &len), 0);
        assert_int_equal(sk_cs_deserialize(buf, len, &back), 0);
        /* the deserialized copy knows its counters are near the limit */
        assert_int_equal(sk_cs_update(back, 4, -M), SK_EINVAL);
        int one = 4;
        double dm = -M;
        assert_int_equal(sk_cs_update_batch(back, 1, &one, &dm), SK_EINVAL);
        /* merge: a sum past DBL_MAX is refused, dst unchanged */
        sk_cs_table(cs, before);
        assert_int_equal(sk_cs_merge(cs, back), SK_EINVAL);
        sk_cs_table(cs, after);
        assert_memory_equal(before, after, sizeof before);
        for (int k = 0; k < 30; k++) assert_true(isfinite(after[k]));
        free(buf);
        sk_cs_destroy(back);
        sk_cs_destroy(cs);
    }
    /* A long batch of moderate deltas (sum of magnitudes far below DBL_MAX)
     * on a fresh sketch is never refused: 10^6 updates of 1e300. */
    enum { L = 1000000 };
    int *ix = malloc(sizeof(int) * L);
    double *dx = malloc(sizeof(double) * L);
    for (int t = 0; t < L; t++) { ix[t] = t; dx[t] = (t & 1) ? 1e300 : -1e300; }
    sk_cs_t *cs;
    assert_int_equal(sk_cs_create(64, 5, SK_HASH_FAST, &cs, 1), 0);
    assert_int_equal(sk_cs_update_batch(cs, L, ix, dx), 0);
    double f2;
    sk_cs_f2(cs, &f2);
    assert_true(f2 > 0);  /* Inf: the counters are finite but their squares overflow */
    sk_cs_destroy(cs);
    free(ix); free(dx);
}

/* ---------------------------------------------------------------- T3 */

static void test_t3_ams(void **state)
{
    (void)state;
    double *x = t1_vector();
    double f2 = 0;
    for (int i = 0; i < T1N; i++) f2 += x[i] * x[i];
    int *idx = malloc(sizeof(int) * T1N);
    for (int i = 0; i < T1N; i++) idx[i] = i;
    static const int s1v[3] = { 16, 64, 256 };
    static const double p95[3] = { 0.30, 0.15, 0.072 };
    static const int seeds[3] = { 200, 80, 30 };
    for (int c = 0; c < 3; c++) {
        /* the zeros estimator has relative error 1: far above every bound */
        assert_true(1.5 * p95[c] < 0.5);
        double *err = malloc(sizeof(double) * seeds[c]);
        for (int s = 0; s < seeds[c]; s++) {
            sk_ams_t *a;
            assert_int_equal(sk_ams_create(s1v[c], 7, SK_HASH_POLY, &a, 5000 + s), 0);
            assert_int_equal(sk_ams_update_batch(a, T1N, idx, x), 0);
            double e;
            sk_ams_f2(a, &e);
            err[s] = fabs(e - f2) / f2;
            sk_ams_destroy(a);
        }
        qsort(err, seeds[c], sizeof(double), cmp_asc);
        double q95 = err[(int)(0.95 * seeds[c])], med = err[seeds[c] / 2];
        printf("T3 s1=%d: median rel err %.4f, 95th pct %.4f (%d seeds)\n", s1v[c], med, q95, seeds[c]);
        assert_true(q95 <= 1.5 * p95[c]);
        free(err);
    }
    /* CountSketch-F2 of the same vector: rows are unbiased F2 estimators */
    sk_cs_t *cs;
    sk_cs_create(1024, 7, SK_HASH_POLY, &cs, 3);
    sk_cs_update_batch(cs, T1N, idx, x);
    double e;
    sk_cs_f2(cs, &e);
    assert_true(fabs(e - f2) / f2 < 0.2);
    sk_cs_destroy(cs);
    free(idx); free(x);
}

/* ---------------------------------------------------------------- bad input */

static void test_bad_input(void **state)
{
    (void)state;
    sk_cs_t *cs = (sk_cs_t *)1;
    assert_int_equal(sk_cs_create(0, 5, 0, &cs, 1), -1);
    assert_null(cs);
    assert_int_equal(sk_cs_create(1 << 30, 5, 0, &cs, 1), -1);
    assert_int_equal(sk_cs_create(16, 0, 0, &cs, 1), -2);
    assert_int_equal(sk_cs_create(16, 100000, 0, &cs, 1), -2);
    assert_int_equal(sk_cs_create(16, 5, 9, &cs, 1), -3);
    assert_int_equal(sk_cs_create(16, 5, 0, NULL, 1), -4);
    assert_int_equal(sk_cs_create(16, 5, 0, &cs, 1), 0);
    assert_int_equal(sk_cs_update(cs, -1, 1.0), -2);
    assert_int_equal(sk_cs_update(cs, 1, NAN), SK_ENONFINITE);
    assert_int_equal(sk_cs_update(cs, 1, INFINITY), SK_ENONFINITE);
    int idx[3] = { 1, 2, -3 };
    double dl[3] = { 1, 2, 3 }, dn[3] = { 1, NAN, 3 }, t[80];
    assert_int_equal(sk_cs_update_batch(cs, 3, idx, dl), -3);
    idx[2] = 3;
    assert_int_equal(sk_cs_update_batch(cs, 3, idx, dn), SK_ENONFINITE);
    sk_cs_table(cs, t);
    for (int k = 0; k < 80; k++) assert_true(t[k] == 0);  /* nothing applied */
    assert_int_equal(sk_cs_update_batch(cs, -1, idx, dl), -2);
    {   /* long batches: the first bad entry decides, wherever the block boundary is */
        enum { L = 3000 };
        static int li[L];
        static double ld[L];
        for (int k = 0; k < L; k++) { li[k] = k; ld[k] = 1; }
        li[2500] = -1;
        assert_int_equal(sk_cs_update_batch(cs, L, li, ld), -3);
        ld[1500] = -INFINITY;
        assert_int_equal(sk_cs_update_batch(cs, L, li, ld), SK_ENONFINITE);
        li[1025] = -7;
        assert_int_equal(sk_cs_update_batch(cs, L, li, ld), -3);
        sk_cs_table(cs, t);
        for (int k = 0; k < 80; k++) assert_true(t[k] == 0);
    }
    assert_int_equal(sk_cs_estimate(cs, -5, t), -2);
    assert_int_equal(sk_cs_heavy(cs, 10, 11, idx, dl), -3);
    assert_int_equal(sk_cs_merge(cs, NULL), -2);
    sk_cs_destroy(cs);
    sk_cs_destroy(NULL);
    sk_ams_t *a;
    assert_int_equal(sk_ams_create(0, 3, 0, &a, 1), -1);
    assert_int_equal(sk_ams_create(4, 0, 0, &a, 1), -2);
    assert_int_equal(sk_ams_create(4, 3, 0, &a, 1), 0);
    assert_int_equal(sk_ams_update(a, 0, NAN), SK_ENONFINITE);
    assert_int_equal(sk_ams_update(a, -1, 1), -2);
    assert_int_equal(sk_ams_update_batch(a, 3, (int[]){ 1, -2, 3 }, dl), -3);
    assert_int_equal(sk_ams_update_batch(a, 3, (int[]){ 1, 2, 3 }, dn), SK_ENONFINITE);
    double f2a = -1;
    sk_ams_f2(a, &f2a);
    assert_true(f2a == 0);  /* nothing applied */
    sk_ams_destroy(a);
    /* sizes in bytes and bits */
    long long by, bi;
    sk_cs_create(100, 5, SK_HASH_POLY, &cs, 1);
    sk_cs_size(cs, &by, &bi);
    assert_true(by == 8LL * 500 + 8LL * 5 * 6);
    assert_true(bi == 8 * by);
    sk_cs_destroy(cs);
    /* FAST: four words per row (bucket and sign from one hash) and the salt */
    sk_cs_create(100, 5, SK_HASH_FAST, &cs, 1);
    sk_cs_size(cs, &by, &bi);
    assert_true(by == 8LL * 500 + 8LL * 5 * 4 + 4);
    sk_cs_destroy(cs);
    assert_string_equal(sk_strerror(SK_EFORMAT), "serialized buffer is truncated, corrupted or of another format version");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mulmod61),
        cmocka_unit_test(test_hash_family),
        cmocka_unit_test(test_t1_point_error),
        cmocka_unit_test(test_t2_linearity_merge),
        cmocka_unit_test(test_serialize),
        cmocka_unit_test(test_batch_equals_single),
        cmocka_unit_test(test_decode_equals_estimate),
        cmocka_unit_test(test_counter_overflow),
        cmocka_unit_test(test_t3_ams),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
