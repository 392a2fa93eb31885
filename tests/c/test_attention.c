/*
 * test_attention.c — standard and tensor attention decoding and the KV caches
 * (specs/attention.md §2, T13–T15): all evaluations against an independent
 * pair-by-pair reference and the scipy.linalg.khatri_rao oracle
 * (tests/ref/tensor_attention_ref.py), shell-order decoding, windows,
 * overflow, exact counters and bad input.
 */
#define _POSIX_C_SOURCE 200809L /* popen, mkstemp: the scipy oracle */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

/* Tolerance of T13: 1e-12 relative + absolute, in units of the output scale.
 * Bound: each output is a p-weighted mean of n² products v1·v2; summation of
 * N = n² terms errs by <= N·eps·Σp|v1 v2| <= 4096·1.1e-16·max|v1 v2| ≈ 5e-13
 * for n = 64, and the logits (d-term dot products, |ℓ| <= 30 here) perturb p
 * relatively by d·eps·|ℓ|, far below that. */
#define TOL 1e-12

static double maxabs(int n, const double *x)
{
    double m = 0;
    for (int i = 0; i < n; ++i) m = fmax(m, fabs(x[i]));
    return m;
}

/* Independent reference: explicit double loop over pairs (a, b) of
 * column-major n×d inputs, two-pass log-sum-exp. */
static void ref_tensor(int n, int d, double scale, const double *q, const double *K1,
                       const double *K2, const double *V1, const double *V2, double *out)
{
    double *lg = tu_zeros(n * n, 1);
    double m = -INFINITY;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double s = 0;
            for (int j = 0; j < d; ++j) s += q[j] * K1[a + j * n] * K2[b + j * n];
            lg[a * n + b] = scale * s;
            m = fmax(m, scale * s);
        }
    double Z = 0;
    for (int j = 0; j < d; ++j) out[j] = 0;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double p = exp(lg[a * n + b] - m);
            Z += p;
            for (int j = 0; j < d; ++j) out[j] += p * V1[a + j * n] * V2[b + j * n];
        }
    for (int j = 0; j < d; ++j) out[j] /= Z;
    free(lg);
}

static void assert_close(int d, const double *x, const double *y, double scale, const char *what)
{
    for (int j = 0; j < d; ++j) {
        double err = fabs(x[j] - y[j]);
        if (!(err <= TOL * (fabs(y[j]) + scale)))
            fail_msg("%s: entry %d differs: %.17g vs %.17g (err %.3g)", what, j, x[j], y[j], err);
    }
}

/* Run the scipy oracle on column-major inputs; returns out (d) and S (n×n row-major). */
static int python_oracle(int n, int d, double scale, const double *q, const double *M[4],
                         double *out, double *S)
{
    char inpath[] = "/tmp/sk_attn_refXXXXXX";
    int fd = mkstemp(inpath);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "{\"scale\": %.17g, \"q\": [", scale);
    for (int j = 0; j < d; ++j) fprintf(f, "%s%.17g", j ? "," : "", q[j]);
    fprintf(f, "]");
    const char *names[4] = { "K1", "K2", "V1", "V2" };
    for (int w = 0; w < 4; ++w) {
        fprintf(f, ", \"%s\": [", names[w]);
        for (int i = 0; i < n; ++i) {
            fprintf(f, "%s[", i ? "," : "");
            for (int j = 0; j < d; ++j) fprintf(f, "%s%.17g", j ? "," : "", M[w][i + j * n]);
            fprintf(f, "]");
        }
        fprintf(f, "]");
    }
    fprintf(f, "}\n");
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/ref/tensor_attention_ref.py < %s", inpath);
    FILE *p = popen(cmd, "r");
    if (!p) return -2;
    size_t cap = 1 << 22, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - 1 - len, p)) > 0) len += r;
    buf[len] = 0;
    int rc = pclose(p);
    remove(inpath);
    if (rc != 0) { free(buf); return -3; }
    char *s = strstr(buf, "\"out\"");
    int got = 0;
    if (s) {
        s += 5;
        for (int j = 0; j < d; ++j) {
            while (*s && strchr(" :[],", *s)) ++s;
            out[j] = strtod(s, &s);
            ++got;
        }
    }
    s = strstr(buf, "\"S\"");
    if (s) {
        s += 3;
        for (int i = 0; i < n * n; ++i) {
            while (*s && strchr(" :[],", *s)) ++s;
            S[i] = strtod(s, &s);
            ++got;
        }
    }
    free(buf);
    return got == d + n * n ? 0 : -4;
}

/* T13: every evaluation, the reference and the scipy oracle agree. */
static void check_equivalence(int n, int d, int preset, int seed)
{
    double scale;
    assert_int_equal(sk_attention_scale(preset, d, &scale), 0);
    double *q = tu_randn(d, 1, seed);
    const double *M[4];
    double *K1 = tu_randn(n, d, seed + 1), *K2 = tu_randn(n, d, seed + 2);
    double *V1 = tu_randn(n, d, seed + 3), *V2 = tu_randn(n, d, seed + 4);
    M[0] = K1; M[1] = K2; M[2] = V1; M[3] = V2;
    double *ref = tu_zeros(d, 1), *out = tu_zeros(d, 1), *py = tu_zeros(d, 1);
    double *S = tu_zeros(n * n, 1);
    ref_tensor(n, d, scale, q, K1, K2, V1, V2, ref);
    double vs = maxabs(n * d, V1) * maxabs(n * d, V2);
    const char *names[4] = { "two-cache", "naive", "factored", "streaming" };
    for (int e = 0; e < 4; ++e) {
        assert_int_equal(sk_tensor_attention_decode(e, n, d, scale, q, K1, n, K2, n, V1, n, V2, n, out), 0);
        assert_close(d, out, ref, vs, names[e]);
    }
    int rc = python_oracle(n, d, scale, q, M, py, S);
    if (rc) fail_msg("the scipy oracle tests/ref/tensor_attention_ref.py failed (%d): is python3-scipy installed?", rc);
    assert_close(d, py, ref, vs, "scipy khatri_rao oracle");
    /* S = K1 diag(q) K2ᵀ (cblas) equals reshape((K1⊘K2)q) from the oracle. */
    double *K1q = tu_copy(n, d, K1, n);
    for (int j = 0; j < d; ++j)
        for (int a = 0; a < n; ++a) K1q[a + j * n] *= scale * q[j];
    double *Sm = tu_zeros(n, n);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0, K1q, n, K2, n, 0.0, Sm, n);
    double smax = maxabs(n * n, S);
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
            assert_true(fabs(Sm[a + b * n] - S[a * n + b]) <= 1e-12 * (1 + smax));
    /* Our Khatri–Rao rows equal scipy's (via the logits they give). */
    double *KR = tu_zeros(n * n, d);
    assert_int_equal(sk_khatri_rao_rows(n, n, d, K1, n, K2, n, KR, n * n), 0);
    for (int r = 0; r < n * n; ++r) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += KR[r + j * n * n] * q[j];
        assert_true(fabs(scale * s - S[r]) <= 1e-12 * (1 + smax));
    }
    free(q); free(K1); free(K2); free(V1); free(V2); free(ref); free(out); free(py); free(S);
    free(K1q); free(Sm); free(KR);
}

static void test_t13_equivalence_small(void **state)
{
    (void)state;
    check_equivalence(7, 5, SK_SCALE_RAW, 11);
    check_equivalence(7, 5, SK_SCALE_ALMAN_SONG, 12);
}

static void test_t13_equivalence_64(void **state)
{
    (void)state;
    check_equivalence(64, 16, SK_SCALE_SIMPLICIAL, 21);
    check_equivalence(64, 16, SK_SCALE_RAW, 22);
}

/* The naive four-cache and the materialised two-cache evaluation (rows a·n + b) give the
 * same doubles as the plain one-row loops they replace — each k1∘k2 entry rounded, each
 * logit summed in j order from 0.0, the max in row order, then exp(ℓ − m), Z and Σ p·v —
 * bit for bit: their logit loops run four rows at a time (and the naive one forms the key
 * rows as it uses them) for speed, never in another order. Sizes with n·n and n not
 * multiples of 4 reach the leftover rows. */
static void plain_rows(int n, int d, double scale, const double *q, const double *K1, const double *K2,
                       const double *V1, const double *V2, double *out)
{
    long long N = (long long)n * n;
    double *KR = tu_zeros(N, d), *VR = tu_zeros(N, d), *lg = tu_zeros(N, 1), *qs = tu_zeros(d, 1);
    for (int j = 0; j < d; ++j) qs[j] = scale * q[j];
    for (int a = 0; a < n; ++a) /* token-major rows, as the library holds them */
        for (int b = 0; b < n; ++b)
            for (int j = 0; j < d; ++j) {
                KR[((size_t)a * n + b) * d + j] = K1[a + j * n] * K2[b + j * n];
                VR[((size_t)a * n + b) * d + j] = V1[a + j * n] * V2[b + j * n];
            }
    double m = -INFINITY;
    for (long long i = 0; i < N; ++i) {
        double s = 0.0;
        for (int j = 0; j < d; ++j) s += qs[j] * KR[(size_t)i * d + j];
        lg[i] = s;
        if (s > m) m = s;
    }
    double Z = 0.0;
    for (int j = 0; j < d; ++j) out[j] = 0.0;
    for (long long i = 0; i < N; ++i) {
        double p = exp(lg[i] - m);
        Z += p;
        for (int j = 0; j < d; ++j) out[j] += p * VR[(size_t)i * d + j];
    }
    for (int j = 0; j < d; ++j) out[j] /= Z;
    free(KR); free(VR); free(lg); free(qs);
}

static void test_rows_bit_for_bit(void **state)
{
    (void)state;
    const int ns[] = { 1, 2, 3, 5, 6, 9, 17 }, ds[] = { 1, 3, 4, 7, 16, 33 };
    for (size_t a = 0; a < sizeof ns / sizeof *ns; ++a)
        for (size_t b = 0; b < sizeof ds / sizeof *ds; ++b) {
            int n = ns[a], d = ds[b];
            unsigned seed = 900 + 10 * (unsigned)a + (unsigned)b;
            double *q = tu_randn(d, 1, seed), *K1 = tu_randn(n, d, seed + 1), *K2 = tu_randn(n, d, seed + 2);
            double *V1 = tu_randn(n, d, seed + 3), *V2 = tu_randn(n, d, seed + 4);
            double *want = tu_zeros(d, 1), *got = tu_zeros(d, 1);
            plain_rows(n, d, 0.7, q, K1, K2, V1, V2, want);
            assert_int_equal(sk_tensor_attention_decode(SK_TENSOR_NAIVE, n, d, 0.7, q, K1, n, K2, n, V1, n, V2, n, got), 0);
            assert_memory_equal(got, want, sizeof(double) * d);
            assert_int_equal(sk_tensor_attention_decode(SK_TENSOR_TWO_CACHE, n, d, 0.7, q, K1, n, K2, n, V1, n, V2, n, got), 0);
            assert_memory_equal(got, want, sizeof(double) * d);
            free(q); free(K1); free(K2); free(V1); free(V2); free(want); free(got);
        }
}

static void test_scale_presets(void **state)
{
    (void)state;
    double s;
    assert_int_equal(sk_attention_scale(SK_SCALE_RAW, 16, &s), 0); assert_true(s == 1.0);
    assert_int_equal(sk_attention_scale(SK_SCALE_ALMAN_SONG, 16, &s), 0); assert_true(s == 1.0 / 16);
    assert_int_equal(sk_attention_scale(SK_SCALE_SIMPLICIAL, 16, &s), 0); assert_true(s == 0.25);
    assert_int_equal(sk_attention_scale(3, 16, &s), -1);
    assert_int_equal(sk_attention_scale(0, 0, &s), -2);
}

/* Standard attention against a direct reference; one-hot keys give known answers. */
static void test_standard_decode(void **state)
{
    (void)state;
    int n = 9, d = 4;
    double *K = tu_randn(n, d, 5), *V = tu_randn(n, d, 6), *q = tu_randn(d, 1, 7);
    double out[4], ref[4] = { 0 }, lg[9], m = -INFINITY, Z = 0;
    for (int i = 0; i < n; ++i) {
        lg[i] = 0;
        for (int j = 0; j < d; ++j) lg[i] += 0.5 * q[j] * K[i + j * n];
        m = fmax(m, lg[i]);
    }
    for (int i = 0; i < n; ++i) {
        double p = exp(lg[i] - m);
        Z += p;
        for (int j = 0; j < d; ++j) ref[j] += p * V[i + j * n];
    }
    for (int j = 0; j < d; ++j) ref[j] /= Z;
    assert_int_equal(sk_attention_decode(n, d, 0.5, q, K, n, V, n, out), 0);
    assert_close(d, out, ref, maxabs(n * d, V), "standard");
    /* Two equal logits, the rest -inf-like: the mean of the two values. */
    double K2[2 * 1] = { 1000, 1000 }, V2[2 * 1] = { 2, 4 }, q1 = 1, o;
    assert_int_equal(sk_attention_decode(2, 1, 1.0, &q1, K2, 2, V2, 2, &o), 0);
    assert_true(o == 3.0);
    free(K); free(V); free(q);
}

/* Column-major t×d prefix of an n×d matrix. */
static double *prefix(int t, int d, const double *A, int lda, int first)
{
    double *P = tu_zeros(t, d);
    for (int j = 0; j < d; ++j)
        for (int i = 0; i < t; ++i) P[i + j * t] = A[first + i + j * lda];
    return P;
}

/* T14: decode T = 40 tokens one at a time through the four- and two-cache. */
static void test_t14_decoding(void **state)
{
    (void)state;
    int T = 40, d = 6;
    double scale = 1.0 / d;
    double *K1 = tu_randn(T, d, 31), *K2 = tu_randn(T, d, 32), *V1 = tu_randn(T, d, 33);
    double *V2 = tu_randn(T, d, 34), *Q = tu_randn(T, d, 35);
    sk_kvcache_t *four, *two;
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, SK_KV_NO_WINDOW, scale, 0, &four), 0);
    assert_int_equal(sk_kvcache_create(SK_KV_TWO, d, SK_KV_NO_WINDOW, scale, 3, &two), 0);
    double out[6], ref[6], q[6], st[SK_KVSTAT_COUNT];
    double vs = maxabs(T * d, V1) * maxabs(T * d, V2);
    double *early = NULL;
    for (int t = 1; t <= T; ++t) {
        int r = t - 1;
        assert_int_equal(sk_kvcache_append(four, 1, K1 + r, T, K2 + r, T, V1 + r, T, V2 + r, T), 0);
        assert_int_equal(sk_kvcache_append(two, 1, K1 + r, T, K2 + r, T, V1 + r, T, V2 + r, T), 0);
        for (int j = 0; j < d; ++j) q[j] = Q[r + j * T];
        double *P1 = prefix(t, d, K1, T, 0), *P2 = prefix(t, d, K2, T, 0);
        double *W1 = prefix(t, d, V1, T, 0), *W2 = prefix(t, d, V2, T, 0);
        ref_tensor(t, d, scale, q, P1, P2, W1, W2, ref);
        double td = (double)t * d, t2d = (double)t * t * d;
        for (int e = SK_TENSOR_NAIVE; e <= SK_TENSOR_STREAMING; ++e) {
            assert_int_equal(sk_kvcache_query(four, e, q, out), 0);
            assert_close(d, out, ref, vs, "four-cache decode");
            assert_int_equal(sk_kvcache_stats(four, st), 0);
            double want = e == SK_TENSOR_NAIVE ? 4 * t2d : 2 * t2d + 2 * td;
            assert_true(st[SK_KVSTAT_QUERY_OPS] == want);
        }
        assert_true(st[SK_KVSTAT_WORK_WORDS] == t + 2.0 * d + 3); /* streaming: O(n + d) */
        assert_true(st[SK_KVSTAT_TOKENS] == t);
        assert_true(st[SK_KVSTAT_WORDS] == 4 * td);
        assert_true(st[SK_KVSTAT_BITS] == 64 * 4 * td);
        assert_true(st[SK_KVSTAT_APPEND_OPS] == 4.0 * d);
        assert_int_equal(sk_kvcache_query(two, SK_TENSOR_TWO_CACHE, q, out), 0);
        assert_close(d, out, ref, vs, "two-cache decode");
        assert_int_equal(sk_kvcache_stats(two, st), 0);
        assert_true(st[SK_KVSTAT_WORDS] == 2 * t2d);
        assert_true(st[SK_KVSTAT_AUX_WORDS] == 4 * td);
        assert_true(st[SK_KVSTAT_APPEND_OPS] == 2.0 * (2 * t - 1) * d);
        assert_true(st[SK_KVSTAT_QUERY_OPS] == 2 * t2d);
        /* Shell order: the paper-order rows equal K1⊘K2 rebuilt from scratch. */
        double *KR = tu_zeros(t * t, d), *got = tu_zeros(t * t, d);
        assert_int_equal(sk_khatri_rao_rows(t, t, d, P1, t, P2, t, KR, t * t), 0);
        assert_int_equal(sk_kvcache_rows(two, 0, 1, got, t * t), 0);
        assert_memory_equal(KR, got, sizeof(double) * t * t * d);
        /* ... and storage row s² + b holds (s, b), s² + s + 1 + a holds (a, s). */
        assert_int_equal(sk_kvcache_rows(two, 0, 0, got, t * t), 0);
        for (int s = 0; s < t; ++s)
            for (int x = 0; x < t; ++x) {
                if (x > s) continue;
                int row_sb = s * s + x, ab = s * t + x;                 /* (s, x) */
                for (int j = 0; j < d; ++j) assert_true(got[row_sb + j * t * t] == KR[ab + j * t * t]);
                if (x == s) continue;
                int row_as = s * s + s + 1 + x, xs = x * t + s;         /* (x, s) */
                for (int j = 0; j < d; ++j) assert_true(got[row_as + j * t * t] == KR[xs + j * t * t]);
            }
        if (t == 10) early = tu_copy(100, d, got, t * t);
        if (t == T) /* appends never moved a row: the first 100 rows are unchanged */
            for (int j = 0; j < d; ++j)
                for (int i = 0; i < 100; ++i) assert_true(got[i + j * t * t] == early[i + j * 100]);
        free(KR); free(got); free(P1); free(P2); free(W1); free(W2);
    }
    assert_int_equal(sk_kvcache_stats(two, st), 0);
    double tot = 0;
    for (int t = 1; t <= T; ++t) tot += 2.0 * (2 * t - 1) * d;
    assert_true(st[SK_KVSTAT_TOTAL_APPEND_OPS] == tot); /* = 2T²d */
    assert_true(tot == 2.0 * T * T * d);
    free(early);
    sk_kvcache_destroy(four); sk_kvcache_destroy(two);
    free(K1); free(K2); free(V1); free(V2); free(Q);
}

/* Sliding windows: each kind equals the decode over its last w tokens. */
static void test_windows(void **state)
{
    (void)state;
    int T = 17, d = 3, w = 5;
    double *K1 = tu_randn(T, d, 41), *K2 = tu_randn(T, d, 42), *V1 = tu_randn(T, d, 43);
    double *V2 = tu_randn(T, d, 44), *q = tu_randn(d, 1, 45);
    sk_kvcache_t *four, *two, *std;
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, w, 1.0, 0, &four), 0);
    assert_int_equal(sk_kvcache_create(SK_KV_TWO, d, w, 1.0, 0, &two), 0);
    assert_int_equal(sk_kvcache_create(SK_KV_STANDARD, d, w, 1.0, 0, &std), 0);
    double out[3], ref[3], st[SK_KVSTAT_COUNT];
    double vs = maxabs(T * d, V1) * maxabs(T * d, V2);
    for (int t = 1; t <= T; ++t) {
        int r = t - 1, m = t < w ? t : w;
        assert_int_equal(sk_kvcache_append(four, 1, K1 + r, T, K2 + r, T, V1 + r, T, V2 + r, T), 0);
        assert_int_equal(sk_kvcache_append(two, 1, K1 + r, T, K2 + r, T, V1 + r, T, V2 + r, T), 0);
        assert_int_equal(sk_kvcache_append(std, 1, K1 + r, T, NULL, 1, V1 + r, T, NULL, 1), 0);
        double *P1 = prefix(m, d, K1, T, t - m), *P2 = prefix(m, d, K2, T, t - m);
        double *W1 = prefix(m, d, V1, T, t - m), *W2 = prefix(m, d, V2, T, t - m);
        ref_tensor(m, d, 1.0, q, P1, P2, W1, W2, ref);
        for (int e = SK_TENSOR_NAIVE; e <= SK_TENSOR_STREAMING; ++e) {
            assert_int_equal(sk_kvcache_query(four, e, q, out), 0);
            assert_close(d, out, ref, vs, "windowed four-cache");
        }
        assert_int_equal(sk_kvcache_query(two, SK_TENSOR_TWO_CACHE, q, out), 0);
        assert_close(d, out, ref, vs, "windowed two-cache");
        assert_int_equal(sk_kvcache_stats(two, st), 0);
        assert_true(st[SK_KVSTAT_WORDS] == 2.0 * m * m * d);
        assert_true(st[SK_KVSTAT_APPEND_OPS] == 2.0 * (2 * m - 1) * d);
        assert_int_equal(sk_kvcache_stats(four, st), 0);
        assert_true(st[SK_KVSTAT_WORDS] == 4.0 * m * d);
        assert_true(st[SK_KVSTAT_QUERY_OPS] == 2.0 * m * m * d + 2.0 * m * d);
        /* The window's rows come out oldest first. */
        double *got = tu_zeros(m, d);
        assert_int_equal(sk_kvcache_rows(four, 1, 0, got, m), 0);
        assert_memory_equal(got, P2, sizeof(double) * m * d);
        free(got);
        assert_int_equal(sk_attention_decode(m, d, 1.0, q, P1, m, W1, m, ref), 0);
        assert_int_equal(sk_kvcache_query(std, 0, q, out), 0);
        assert_close(d, out, ref, maxabs(T * d, V1), "windowed standard");
        assert_int_equal(sk_kvcache_stats(std, st), 0);
        assert_true(st[SK_KVSTAT_WORDS] == 2.0 * m * d);
        assert_true(st[SK_KVSTAT_QUERY_OPS] == 2.0 * m * d);
        free(P1); free(P2); free(W1); free(W2);
    }
    sk_kvcache_destroy(four); sk_kvcache_destroy(two); sk_kvcache_destroy(std);
    free(K1); free(K2); free(V1); free(V2); free(q);
}

/* Batch appends equal token-by-token appends bit for bit. */
static void test_batch_append(void **state)
{
    (void)state;
    int T = 12, d = 4;
    double *K1 = tu_randn(T, d, 51), *K2 = tu_randn(T, d, 52), *V1 = tu_randn(T, d, 53);
    double *V2 = tu_randn(T, d, 54), *q = tu_randn(d, 1, 55);
    for (int kind = SK_KV_FOUR; kind <= SK_KV_TWO; ++kind) {
        sk_kvcache_t *a, *b;
        assert_int_equal(sk_kvcache_create(kind, d, SK_KV_NO_WINDOW, 0.5, 0, &a), 0);
        assert_int_equal(sk_kvcache_create(kind, d, SK_KV_NO_WINDOW, 0.5, 0, &b), 0);
        assert_int_equal(sk_kvcache_append(a, T, K1, T, K2, T, V1, T, V2, T), 0);
        for (int r = 0; r < T; ++r)
            assert_int_equal(sk_kvcache_append(b, 1, K1 + r, T, K2 + r, T, V1 + r, T, V2 + r, T), 0);
        double oa[4], ob[4], sa[SK_KVSTAT_COUNT], sb[SK_KVSTAT_COUNT];
        int e = kind == SK_KV_TWO ? SK_TENSOR_TWO_CACHE : SK_TENSOR_FACTORED;
        assert_int_equal(sk_kvcache_query(a, e, q, oa), 0);
        assert_int_equal(sk_kvcache_query(b, e, q, ob), 0);
        assert_memory_equal(oa, ob, sizeof oa);
        sk_kvcache_stats(a, sa); sk_kvcache_stats(b, sb);
        assert_memory_equal(sa, sb, sizeof sa);
        sk_kvcache_destroy(a); sk_kvcache_destroy(b);
    }
    free(K1); free(K2); free(V1); free(V2); free(q);
}

/* T15: logits with max ≈ 800 overflow nothing. */
static void test_t15_overflow(void **state)
{
    (void)state;
    int n = 12, d = 4;
    double *K1 = tu_randn(n, d, 61), *K2 = tu_randn(n, d, 62), *V1 = tu_randn(n, d, 63);
    double *V2 = tu_randn(n, d, 64), *q = tu_randn(d, 1, 65);
    /* Scale q so the largest logit is 800. */
    double mx = -INFINITY;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double s = 0;
            for (int j = 0; j < d; ++j) s += q[j] * K1[a + j * n] * K2[b + j * n];
            mx = fmax(mx, s);
        }
    for (int j = 0; j < d; ++j) q[j] *= 800.0 / mx;
    double ref[4], out[4];
    ref_tensor(n, d, 1.0, q, K1, K2, V1, V2, ref);
    double vs = maxabs(n * d, V1) * maxabs(n * d, V2);
    for (int e = 0; e < 4; ++e) {
        assert_int_equal(sk_tensor_attention_decode(e, n, d, 1.0, q, K1, n, K2, n, V1, n, V2, n, out), 0);
        for (int j = 0; j < d; ++j) assert_true(isfinite(out[j]));
        /* Logits of size 800 carry absolute rounding ~800·d·eps into p. */
        for (int j = 0; j < d; ++j) assert_true(fabs(out[j] - ref[j]) <= 1e-10 * (fabs(ref[j]) + vs));
    }
    assert_int_equal(sk_attention_decode(n, d, 1.0, q, K1, n, V1, n, out), 0);
    for (int j = 0; j < d; ++j) assert_true(isfinite(out[j]));
    free(K1); free(K2); free(V1); free(V2); free(q);
}

/* Fuzz finding (issue 9): when every logit is very negative, exp(−max ℓ)
 * overflows; with no zero-logit pairs its weight is 0 and 0·Inf was NaN. The
 * softmax is shift-invariant, so logits −1e8 and −1e8 − 1 weigh 1 : e^−1. */
static void test_very_negative_logits(void **state)
{
    (void)state;
    double q[1] = { 1.0 }, K[2] = { -1e8, -1e8 - 1 }, V[2] = { 1.0, -1.0 }, out[2];
    double w = 1.0 / (1.0 + exp(-1.0)), ref = w - (1.0 - w);
    assert_int_equal(sk_attention_decode(2, 1, 1.0, q, K, 2, V, 2, out), 0);
    assert_true(fabs(out[0] - ref) <= 1e-12);
    /* tensor, n = 1: one pair with logit q·(k1∘k2) = −1e8, so out = v1∘v2 */
    double q2[2] = { 1.0, 1.0 }, K1[2] = { -1e4, 1.0 }, K2[2] = { 1e4, 0.0 }, V1[2] = { 2.0, 3.0 }, V2[2] = { 0.5, -1.0 };
    for (int e = 0; e < 4; ++e) {
        assert_int_equal(sk_tensor_attention_decode(e, 1, 2, 1.0, q2, K1, 1, K2, 1, V1, 1, V2, 1, out), 0);
        assert_true(fabs(out[0] - 1.0) <= 1e-15 && fabs(out[1] + 3.0) <= 1e-15);
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    int d = 3;
    sk_kvcache_t *c = NULL;
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, 0, 1.0, 0, &c), -3);     /* window 0 */
    assert_null(c);
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, -2, 1.0, 0, &c), -3);
    assert_int_equal(sk_kvcache_create(3, d, SK_KV_NO_WINDOW, 1.0, 0, &c), -1);
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, 0, SK_KV_NO_WINDOW, 1.0, 0, &c), -2);
    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, SK_KV_NO_WINDOW, NAN, 0, &c), -4);
    /* A cache too large for memory: a clear SK_ENOMEM, and the size it needs. */
    assert_int_equal(sk_kvcache_create(SK_KV_TWO, 64, SK_KV_NO_WINDOW, 1.0, 2000000000, &c), SK_ENOMEM);
    assert_null(c);
    double bytes;
    assert_int_equal(sk_kvcache_bytes_needed(SK_KV_TWO, 64, SK_KV_NO_WINDOW, 4096, &bytes), 0);
    assert_true(bytes == 8.0 * (2.0 * 4096 * 4096 * 64 + 4.0 * 4096 * 64)); /* 8 GiB + 8 MiB */
    assert_int_equal(sk_kvcache_bytes_needed(SK_KV_FOUR, 64, SK_KV_NO_WINDOW, 4096, &bytes), 0);
    assert_true(bytes == 8.0 * 4 * 4096 * 64);
    assert_int_equal(sk_kvcache_bytes_needed(SK_KV_FOUR, 64, 0, 4096, &bytes), -3);

    assert_int_equal(sk_kvcache_create(SK_KV_FOUR, d, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    double q[3] = { 1, 2, 3 }, out[3], k[3] = { 1, 0, 0 }, bad[3] = { 1, NAN, 0 }, inf[3] = { INFINITY, 0, 0 };
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_FACTORED, q, out), SK_EINVAL); /* empty */
    assert_int_equal(sk_kvcache_append(c, 1, bad, 1, k, 1, k, 1, k, 1), SK_ENONFINITE);
    assert_int_equal(sk_kvcache_append(c, 1, k, 1, k, 1, k, 1, inf, 1), SK_ENONFINITE);
    double st[SK_KVSTAT_COUNT];
    sk_kvcache_stats(c, st);
    assert_true(st[SK_KVSTAT_TOKENS] == 0); /* nothing appended */
    assert_int_equal(sk_kvcache_append(c, 2, k, 1, k, 1, k, 1, k, 1), -4);   /* ld < count */
    assert_int_equal(sk_kvcache_append(c, 1, k, 1, NULL, 1, k, 1, k, 1), -5); /* missing k2 */
    assert_int_equal(sk_kvcache_append(c, 1, k, 1, k, 1, k, 1, k, 1), 0);
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_TWO_CACHE, q, out), -2);  /* wrong evaluation */
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_FACTORED, bad, out), SK_ENONFINITE);
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_FACTORED, q, out), 0);
    sk_kvcache_destroy(c);
    sk_kvcache_destroy(NULL);
    assert_int_equal(sk_kvcache_create(SK_KV_TWO, d, SK_KV_NO_WINDOW, 1.0, 0, &c), 0);
    assert_int_equal(sk_kvcache_append(c, 1, k, 1, k, 1, k, 1, k, 1), 0);
    assert_int_equal(sk_kvcache_query(c, SK_TENSOR_FACTORED, q, out), -2);
    sk_kvcache_destroy(c);

    double K[3] = { 1, 2, 3 };
    assert_int_equal(sk_attention_decode(0, d, 1.0, q, K, 1, K, 1, out), -1);
    assert_int_equal(sk_attention_decode(1, d, 1.0, bad, K, 1, K, 1, out), SK_ENONFINITE);
    assert_int_equal(sk_tensor_attention_decode(4, 1, d, 1.0, q, K, 1, K, 1, K, 1, K, 1, out), -1);
    assert_int_equal(sk_tensor_attention_decode(2, 1, d, 1.0, q, K, 1, K, 1, bad, 1, K, 1, out), SK_ENONFINITE);
    assert_int_equal(sk_tensor_attention_decode(2, 2, d, 1.0, q, K, 1, K, 1, K, 1, K, 1, out), -7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t13_equivalence_small),
        cmocka_unit_test(test_t13_equivalence_64),
        cmocka_unit_test(test_rows_bit_for_bit),
        cmocka_unit_test(test_scale_presets),
        cmocka_unit_test(test_standard_decode),
        cmocka_unit_test(test_t14_decoding),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_batch_append),
        cmocka_unit_test(test_t15_overflow),
        cmocka_unit_test(test_very_negative_logits),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("attention", tests, NULL, NULL);
}
