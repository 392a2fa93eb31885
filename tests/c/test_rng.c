/*
 * test_rng.c — Philox4x32-10 known answers, the uniform / Gaussian /
 * Rademacher streams (distribution, counter use, streams, argument checks)
 * and the accuracy of the private log and sin/cos(2πu) kernels against libm
 * and a long-double reference.
 *
 * Statistical checks use a fixed seed, so they are deterministic; their
 * thresholds are 5 sigma (or the 0.1% Kolmogorov–Smirnov critical value), far
 * enough out that a correct generator passes for any seed, close enough that
 * a wrong mapping (bad scale, bias, wrong pairing) fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "mathfn.h"
#include "testutil.h"

#define NSAMP 1000000
#define PI_D 3.141592653589793 /* M_PI is not ISO C */
#define TWO_PI_L (2.0L * 3.141592653589793238462643383279502884L)

/* a <= b, reporting both values (and what they are) on failure. */
#define CHECK_LE(what, a, b)                                                   \
    do {                                                                       \
        double a_ = (double)(a), b_ = (double)(b);                             \
        if (!(a_ <= b_)) fail_msg("%s: %.17g > %.17g", (what), a_, b_);        \
    } while (0)

/* ------------------------------------------------------------- helpers */

/* The documented word-pair -> double map, rebuilt independently. */
static double ref_u01(uint32_t hi, uint32_t lo)
{
    uint64_t k = ((uint64_t)(hi >> 12) << 32) | lo;
    return ((double)k + 0.5) / 4503599627370496.0; /* 2^52 */
}

static void raw_block(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                      uint32_t k0, uint32_t k1, uint32_t out[4])
{
    const uint32_t ctr[4] = { c0, c1, c2, c3 }, key[2] = { k0, k1 };
    assert_int_equal(sk_philox4x32(ctr, key, out), 0);
}

static double *xalloc(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof(double));
    if (!p) fail_msg("out of memory");
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov–Smirnov statistic of x[0..n) (sorted in place) against cdf. */
static double ks_stat(double *x, int n, double (*cdf)(double))
{
    qsort(x, (size_t)n, sizeof(double), cmp_double);
    double d = 0.0;
    for (int i = 0; i < n; i++) {
        double F = cdf(x[i]);
        double lo = F - (double)i / n, hi = (double)(i + 1) / n - F;
        if (lo > d) d = lo;
        if (hi > d) d = hi;
    }
    return d;
}

static double cdf_uniform(double x) { return x; }
static double cdf_normal(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* Two-sided KS critical value at level 1e-3: sqrt(-ln(0.0005)/2) / sqrt(n). */
static double ks_crit(int n) { return 1.9495 / sqrt((double)n); }

/* |got - ref| in units of the last place of ref as a double. */
static double ulp_err(double got, long double ref)
{
    if ((long double)got == ref) return 0.0;
    int e;
    (void)frexpl(ref, &e); /* ref = m 2^e, 1/2 <= |m| < 1 */
    long double ulp = ldexpl(1.0L, (e < -1021 ? -1021 : e) - 53);
    return (double)(fabsl((long double)got - ref) / ulp);
}

static uint64_t lcg_state;
/* Test-point generator independent of the library: 52-bit midpoints in (0,1). */
static double lcg_u01(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(lcg_state >> 12) + 0.5) / 4503599627370496.0;
}

/* ------------------------------------------------------------- Philox */

/*
 * Random123's examples/kat_vectors, "philox4x32 10" lines (counter words,
 * key words, expected output words).
 */
static void test_philox_known_answers(void **state)
{
    (void)state;
    static const struct { uint32_t ctr[4], key[2], out[4]; } kat[] = {
        { { 0, 0, 0, 0 }, { 0, 0 },
          { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
        { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
          { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
        { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
          { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
    };
    for (size_t t = 0; t < sizeof kat / sizeof kat[0]; t++) {
        uint32_t out[4] = { 0, 0, 0, 0 };
        assert_int_equal(sk_philox4x32(kat[t].ctr, kat[t].key, out), 0);
        for (int i = 0; i < 4; i++) assert_int_equal(out[i], kat[t].out[i]);
        /* Output may overwrite the counter in place. */
        uint32_t io[4];
        memcpy(io, kat[t].ctr, sizeof io);
        assert_int_equal(sk_philox4x32(io, kat[t].key, io), 0);
        for (int i = 0; i < 4; i++) assert_int_equal(io[i], kat[t].out[i]);
    }
}

static void test_init_layout(void **state)
{
    (void)state;
    sk_rng_t r;
    memset(&r, 0xab, sizeof r);
    assert_int_equal(sk_rng_init(&r, 0x0123456789abcdefULL, 77u), 0);
    assert_int_equal(r.key[0], 0x89abcdefu);
    assert_int_equal(r.key[1], 0x01234567u);
    assert_int_equal(r.ctr[0], 0);
    assert_int_equal(r.ctr[1], 0);
    assert_int_equal(r.ctr[2], 0);
    assert_int_equal(r.ctr[3], 77u);
}

/* ------------------------------------------------------------- uniform */

/* The stream is exactly the documented map of consecutive Philox blocks. */
static void test_uniform_matches_blocks(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 0xfeedface12345678ULL, 3u);
    double x[9];
    assert_int_equal(sk_rng_uniform(&r, 9, x), 0);
    for (uint32_t b = 0; b < 5; b++) {
        uint32_t w[4];
        raw_block(b, 0, 0, 3u, 0x12345678u, 0xfeedfaceu, w);
        assert_true(x[2 * b] == ref_u01(w[0], w[1]));
        if (2 * b + 1 < 9) assert_true(x[2 * b + 1] == ref_u01(w[2], w[3]));
    }
    assert_int_equal(r.ctr[0], 5); /* ceil(9/2) blocks */
    assert_int_equal(r.ctr[3], 3u);
}

static void test_uniform_distribution(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 20240611ULL, 0u);
    double *x = xalloc(NSAMP);
    assert_int_equal(sk_rng_uniform(&r, NSAMP, x), 0);
    double sum = 0.0, lo = 1.0, hi = 0.0;
    for (int i = 0; i < NSAMP; i++) {
        if (!(x[i] > 0.0 && x[i] < 1.0)) fail_msg("x[%d] = %a outside (0,1)", i, x[i]);
        sum += x[i];
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    double mean = sum / NSAMP, ss = 0.0;
    for (int i = 0; i < NSAMP; i++) ss += (x[i] - mean) * (x[i] - mean);
    double var = ss / (NSAMP - 1);
    /* mean: sd sqrt(1/12/n); variance: sd sqrt((1/80 - 1/144)/n). */
    CHECK_LE("|mean - 1/2|", fabs(mean - 0.5), 5.0 * sqrt(1.0 / 12.0 / NSAMP));
    CHECK_LE("|var - 1/12|", fabs(var - 1.0 / 12.0), 5.0 * sqrt((1.0 / 80 - 1.0 / 144) / NSAMP));
    /* 1e6 draws: the extremes are ~1e-6 from the ends, not clumped away from them. */
    CHECK_LE("min", lo, 1e-4);
    CHECK_LE("1 - max", 1.0 - hi, 1e-4);
    double d = ks_stat(x, NSAMP, cdf_uniform);
    print_message("uniform: mean %.6f var %.6f KS D %.2e (crit %.2e)\n", mean, var, d, ks_crit(NSAMP));
    CHECK_LE("uniform KS D", d, ks_crit(NSAMP));
    free(x);
}

/* ------------------------------------------------------------- normal */

/* Box–Muller pairing and formula, checked against libm on the same words. */
static void test_normal_matches_box_muller(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 99ULL, 1u);
    enum { N = 2001 };
    double x[N];
    assert_int_equal(sk_rng_normal(&r, N, x), 0);
    assert_int_equal(r.ctr[0], (N + 1) / 2);
    for (uint32_t b = 0; b < (N + 1) / 2; b++) {
        uint32_t w[4];
        raw_block(b, 0, 0, 1u, 99u, 0u, w);
        double u1 = ref_u01(w[0], w[1]), u2 = ref_u01(w[2], w[3]);
        double rad = sqrt(-2.0 * log(u1));
        double g0 = rad * cos(2.0 * PI_D * u2);
        double g1 = rad * sin(2.0 * PI_D * u2);
        /* libm's own 2π·u2 rounding allows a few ulps; 1e-13 is far below any
           mistake in pairing or scaling. */
        CHECK_LE("cos part", fabs(x[2 * b] - g0), 1e-13 * (1.0 + fabs(g0)));
        if (2 * b + 1 < N) CHECK_LE("sin part", fabs(x[2 * b + 1] - g1), 1e-13 * (1.0 + fabs(g1)));
    }
}

static void test_normal_distribution(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 0x5eed5eed5eedULL, 12u);
    double *x = xalloc(NSAMP);
    assert_int_equal(sk_rng_normal(&r, NSAMP, x), 0);
    double sum = 0.0;
    for (int i = 0; i < NSAMP; i++) {
        if (!isfinite(x[i])) fail_msg("x[%d] not finite", i);
        sum += x[i];
    }
    double mean = sum / NSAMP, m2 = 0.0, m4 = 0.0, m3 = 0.0;
    for (int i = 0; i < NSAMP; i++) {
        double d = x[i] - mean, d2 = d * d;
        m2 += d2; m3 += d2 * d; m4 += d2 * d2;
    }
    m2 /= NSAMP; m3 /= NSAMP; m4 /= NSAMP;
    double skew = m3 / pow(m2, 1.5), kurt = m4 / (m2 * m2);
    /* sds: mean 1/sqrt(n), variance sqrt(2/n), skewness sqrt(6/n), kurtosis sqrt(24/n). */
    CHECK_LE("|mean|", fabs(mean), 5.0 / sqrt((double)NSAMP));
    CHECK_LE("|var - 1|", fabs(m2 - 1.0), 5.0 * sqrt(2.0 / NSAMP));
    CHECK_LE("|skew|", fabs(skew), 5.0 * sqrt(6.0 / NSAMP));
    CHECK_LE("|kurtosis - 3|", fabs(kurt - 3.0), 5.0 * sqrt(24.0 / NSAMP));
    double d = ks_stat(x, NSAMP, cdf_normal);
    print_message("normal: mean %.2e var %.6f skew %.2e kurt %.4f KS D %.2e (crit %.2e)\n",
                  mean, m2, skew, kurt, d, ks_crit(NSAMP));
    CHECK_LE("normal KS D", d, ks_crit(NSAMP));
    free(x);
}

/*
 * Pinned bit patterns of the first Gaussians for seed 42, stream 0. They only
 * change if the stream changes, which breaks reproducibility for users and the
 * native/wasm parity fixtures: update them deliberately, never casually.
 */
#define PINNED_HASH 0x05a2564e97c035cdULL
static void test_normal_pinned_values(void **state)
{
    (void)state;
    static const uint64_t expect[6] = {
        0x3fec5e2d0b7a25ffULL, /*  0.88649608842496253  */
        0x3fdc1e6e421d77f1ULL, /*  0.43935734230569695  */
        0xbfc40bbbc947f671ULL, /* -0.15660807922533906  */
        0xbf8c185eab3a0766ULL, /* -0.013718356705115741 */
        0xbfdf9f5531a299aeULL, /* -0.49409990164931628  */
        0xbfd7d191894af315ULL, /* -0.37216604621407728  */
    };
    sk_rng_t r;
    sk_rng_init(&r, 42ULL, 0u);
    double x[6];
    assert_int_equal(sk_rng_normal(&r, 6, x), 0);
    for (int i = 0; i < 6; i++) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        if (b != expect[i]) fail_msg("x[%d] = %a (0x%016llx), expected 0x%016llx", i, x[i],
                                     (unsigned long long)b, (unsigned long long)expect[i]);
    }
    /* All bits of the next 100000 values (a rounding change in the log or
       sin/cos kernels shows up only in a few of them), as an FNV-1a hash. */
    enum { NH = 100000 };
    double *y = xalloc(NH);
    assert_int_equal(sk_rng_normal(&r, NH, y), 0);
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p = (const unsigned char *)y;
    for (size_t i = 0; i < (size_t)NH * sizeof(double); i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    free(y);
    if (h != PINNED_HASH) fail_msg("hash of 100000 normals 0x%016llx, expected 0x%016llx",
                                   (unsigned long long)h, (unsigned long long)PINNED_HASH);
}

/* ------------------------------------------------------------- rademacher */

static void test_rademacher(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 7ULL, 5u);
    double *x = xalloc(NSAMP);
    assert_int_equal(sk_rng_rademacher(&r, NSAMP, x), 0);
    assert_int_equal(r.ctr[0], (NSAMP + 127) / 128);
    long plus = 0;
    double lag1 = 0.0;
    for (int i = 0; i < NSAMP; i++) {
        if (x[i] != 1.0 && x[i] != -1.0) fail_msg("x[%d] = %g is not +-1", i, x[i]);
        plus += x[i] > 0;
        if (i > 0) lag1 += x[i] * x[i - 1];
    }
    /* #(+1) ~ Binomial(n, 1/2): sd sqrt(n)/2. Lag-1 product sum: sd sqrt(n). */
    CHECK_LE("|#plus - n/2|", fabs((double)plus - NSAMP / 2.0), 5.0 * 0.5 * sqrt((double)NSAMP));
    CHECK_LE("|lag-1 sum|", fabs(lag1), 5.0 * sqrt((double)NSAMP));
    /* Bit layout: bit b of a block is bit b%32 of word b/32, set bit -> +1. */
    uint32_t w[4];
    raw_block(1, 0, 0, 5u, 7u, 0u, w);
    for (int b = 0; b < 128; b++) {
        double want = ((w[b / 32] >> (b % 32)) & 1u) ? 1.0 : -1.0;
        assert_true(x[128 + b] == want);
    }
    free(x);
}

/* ------------------------------------------------------------- counters */

/*
 * Each call starts at the state's counter and consumes whole blocks; an odd
 * tail's unused half is dropped. So n=3 then n=5 yields elements 0..2 and
 * 4..8 of one n=10 call (the n=3 call used blocks 0-1, the n=5 call 2-4).
 */
static void test_counter_advance(void **state)
{
    (void)state;
    typedef int (*gen_fn)(sk_rng_t *, int, double *);
    const gen_fn gens[2] = { sk_rng_uniform, sk_rng_normal };
    for (int g = 0; g < 2; g++) {
        sk_rng_t a, b;
        sk_rng_init(&a, 1234ULL, 9u);
        sk_rng_init(&b, 1234ULL, 9u);
        double whole[10], p[3], q[5];
        assert_int_equal(gens[g](&a, 10, whole), 0);
        assert_int_equal(a.ctr[0], 5);
        assert_int_equal(gens[g](&b, 3, p), 0);
        assert_int_equal(b.ctr[0], 2);
        assert_int_equal(gens[g](&b, 5, q), 0);
        assert_int_equal(b.ctr[0], 5);
        for (int i = 0; i < 3; i++) assert_true(p[i] == whole[i]);
        for (int i = 0; i < 5; i++) assert_true(q[i] == whole[4 + i]);
        /* n = 0 consumes nothing (and x may be NULL). */
        assert_int_equal(gens[g](&b, 0, NULL), 0);
        assert_int_equal(b.ctr[0], 5);
    }
    /* Rademacher: 128 per block. n=130 uses blocks 0-1, then n=1 is block 2. */
    sk_rng_t a, b;
    sk_rng_init(&a, 1234ULL, 9u);
    sk_rng_init(&b, 1234ULL, 9u);
    double whole[384], p[130], q[1];
    assert_int_equal(sk_rng_rademacher(&a, 384, whole), 0);
    assert_int_equal(sk_rng_rademacher(&b, 130, p), 0);
    assert_int_equal(b.ctr[0], 2);
    assert_int_equal(sk_rng_rademacher(&b, 1, q), 0);
    assert_int_equal(b.ctr[0], 3);
    for (int i = 0; i < 130; i++) assert_true(p[i] == whole[i]);
    assert_true(q[0] == whole[256]);
}

/* The 64-bit block counter carries across words; the stream word never changes. */
static void test_counter_carry(void **state)
{
    (void)state;
    sk_rng_t r;
    sk_rng_init(&r, 5ULL, 2u);
    r.ctr[0] = 0xffffffffu;
    double x[4];
    assert_int_equal(sk_rng_uniform(&r, 4, x), 0);
    assert_int_equal(r.ctr[0], 1);
    assert_int_equal(r.ctr[1], 1);
    assert_int_equal(r.ctr[2], 0);
    assert_int_equal(r.ctr[3], 2u);
    uint32_t w[4];
    raw_block(0xffffffffu, 0, 0, 2u, 5u, 0u, w);
    assert_true(x[0] == ref_u01(w[0], w[1]));
    raw_block(0, 1, 0, 2u, 5u, 0u, w);
    assert_true(x[2] == ref_u01(w[0], w[1]));

    r.ctr[0] = r.ctr[1] = 0xffffffffu;
    assert_int_equal(sk_rng_uniform(&r, 2, x), 0);
    assert_int_equal(r.ctr[0], 0);
    assert_int_equal(r.ctr[1], 0);
    assert_int_equal(r.ctr[2], 1);
    assert_int_equal(r.ctr[3], 2u);
}

/* ------------------------------------------------------------- seeds, streams */

static int same(const double *a, const double *b, int n)
{
    return memcmp(a, b, (size_t)n * sizeof(double)) == 0;
}

static void test_seeds_and_streams(void **state)
{
    (void)state;
    enum { N = 64 };
    double a[N], b[N];
    sk_rng_t r;

    sk_rng_init(&r, 31337ULL, 4u); sk_rng_normal(&r, N, a);
    sk_rng_init(&r, 31337ULL, 4u); sk_rng_normal(&r, N, b);
    assert_true(same(a, b, N));                         /* reproducible */

    sk_rng_init(&r, 31337ULL, 5u); sk_rng_normal(&r, N, b);
    assert_false(same(a, b, N));                        /* other stream */
    int equal = 0;
    for (int i = 0; i < N; i++) equal += a[i] == b[i];
    assert_int_equal(equal, 0);

    sk_rng_init(&r, 31338ULL, 4u); sk_rng_normal(&r, N, b);
    assert_false(same(a, b, N));                        /* other seed (low word) */
    sk_rng_init(&r, 31337ULL | (1ULL << 32), 4u); sk_rng_normal(&r, N, b);
    assert_false(same(a, b, N));                        /* other seed (high word) */

    /* The stream number sits in ctr[3]: stream s block 0 is Philox((0,0,0,s), key). */
    sk_rng_init(&r, 31337ULL, 4u);
    sk_rng_uniform(&r, 2, a);
    uint32_t w[4];
    raw_block(0, 0, 0, 4u, 31337u, 0u, w);
    assert_true(a[0] == ref_u01(w[0], w[1]) && a[1] == ref_u01(w[2], w[3]));
}

/* ------------------------------------------------------------- matrix */

static void test_normal_matrix(void **state)
{
    (void)state;
    enum { M = 3, NC = 5, LD = 4 };
    const double sentinel = 12345.0;
    double A[LD * NC], flat[M * NC];
    for (int i = 0; i < LD * NC; i++) A[i] = sentinel;
    sk_rng_t a, b;
    sk_rng_init(&a, 77ULL, 0u);
    sk_rng_init(&b, 77ULL, 0u);
    assert_int_equal(sk_rng_normal_matrix(&a, M, NC, A, LD), 0);
    assert_int_equal(sk_rng_normal(&b, M * NC, flat), 0);
    assert_int_equal(a.ctr[0], (M * NC + 1) / 2);     /* 15 values: 8 blocks */
    assert_int_equal(b.ctr[0], a.ctr[0]);
    for (int j = 0; j < NC; j++) {
        for (int i = 0; i < M; i++) assert_true(A[j * LD + i] == flat[j * M + i]);
        assert_true(A[j * LD + M] == sentinel);      /* padding row untouched */
    }
    /* Empty shapes consume nothing; A may be NULL. */
    assert_int_equal(sk_rng_normal_matrix(&a, 0, 4, NULL, 1), 0);
    assert_int_equal(sk_rng_normal_matrix(&a, 4, 0, NULL, 4), 0);
    assert_int_equal(a.ctr[0], 8);
}

/* ------------------------------------------------------------- arguments */

static void test_bad_arguments(void **state)
{
    (void)state;
    sk_rng_t r, saved;
    double x[4];
    const uint32_t ctr[4] = { 0 }, key[2] = { 0 };
    uint32_t out[4];

    assert_int_equal(sk_rng_init(NULL, 1ULL, 0u), -1);

    assert_int_equal(sk_philox4x32(NULL, key, out), -1);
    assert_int_equal(sk_philox4x32(ctr, NULL, out), -2);
    assert_int_equal(sk_philox4x32(ctr, key, NULL), -3);

    sk_rng_init(&r, 1ULL, 0u);
    saved = r;
    typedef int (*gen_fn)(sk_rng_t *, int, double *);
    const gen_fn gens[3] = { sk_rng_uniform, sk_rng_normal, sk_rng_rademacher };
    for (int g = 0; g < 3; g++) {
        assert_int_equal(gens[g](NULL, 4, x), -1);
        assert_int_equal(gens[g](&r, -1, x), -2);
        assert_int_equal(gens[g](&r, 4, NULL), -3);
        assert_int_equal(gens[g](&r, 0, NULL), 0);
    }
    assert_int_equal(sk_rng_normal_matrix(NULL, 2, 2, x, 2), -1);
    assert_int_equal(sk_rng_normal_matrix(&r, -1, 2, x, 2), -2);
    assert_int_equal(sk_rng_normal_matrix(&r, 2, -1, x, 2), -3);
    assert_int_equal(sk_rng_normal_matrix(&r, 2, 2, NULL, 2), -4);
    assert_int_equal(sk_rng_normal_matrix(&r, 2, 2, x, 1), -5);  /* ld < m */
    assert_int_equal(sk_rng_normal_matrix(&r, 0, 2, x, 0), -5);  /* ld < 1 */
    /* A rejected call leaves the state alone. */
    assert_memory_equal(&r, &saved, sizeof r);
}

/* ------------------------------------------------------------- math kernels */

/* Exact or correctly rounded special values. */
static void test_mathfn_special_values(void **state)
{
    (void)state;
    double s, c;
    assert_true(sk__log(1.0) == 0.0);
    /* Correctly rounded values (computed with 200-bit mpmath). */
    assert_true(sk__log(0.5) == -0x1.62e42fefa39efp-1);
    assert_true(sk__log(0x1p-54) == -0x1.2b708872320e2p+5);    /* smallest uniform / 2 */
    assert_true(sk__log(0x1p-1074) == -0x1.74385446d71c3p+9);  /* smallest subnormal */
    assert_true(isinf(sk__log(0.0)) && sk__log(0.0) < 0);
    assert_true(isnan(sk__log(-1.0)));
    sk__sincos_2pi(0.25, &s, &c);
    assert_true(s == 1.0 && c == 0.0);
    sk__sincos_2pi(0.5, &s, &c);
    assert_true(s == 0.0 && c == -1.0);
    sk__sincos_2pi(0.125, &s, &c); /* both within 1 ulp (2^-53) of sqrt(1/2) */
    CHECK_LE("sin(pi/4)", fabs(s - 0x1.6a09e667f3bcdp-1), 0x1p-53);
    CHECK_LE("cos(pi/4)", fabs(c - 0x1.6a09e667f3bcdp-1), 0x1p-53);
    sk__sincos_2pi(1.0 / 12.0, &s, &c); /* 30 degrees, u rounded: sin ~ 0.5 */
    CHECK_LE("sin(pi/6)", fabs(s - 0.5), 2e-16);
}

/*
 * Accuracy over ~1e6 points, spread to stress each part: random u, u near the
 * ends of (0,1) (radius of Box–Muller), near quarter turns (zeros of sin/cos)
 * and across the reduction boundaries. Two references:
 *   long double (64-bit mantissa) — the true error; must be <= 1 ulp;
 *   glibc double — what "agrees with libm" means; must be <= 2 ulp. For sin
 *   and cos glibc is given the reduced angle 2π·r (|r| <= 1/8) rounded once
 *   from long double: the double product 2π·u would carry an extra rounding
 *   (and, near zeros of sin/cos, a large relative error) that is libm's
 *   input error, not ours.
 */
static void test_mathfn_accuracy(void **state)
{
    (void)state;
    const int have_ld = LDBL_MANT_DIG >= 64;
    double log_ld = 0, log_libm = 0, sin_ld = 0, sin_libm = 0, cos_ld = 0, cos_libm = 0;
    lcg_state = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < NSAMP; i++) {
        double x;
        switch (i % 4) {
        case 0: x = lcg_u01(); break;
        case 1: x = ldexp(0.5 + 0.5 * lcg_u01(), -(int)(lcg_u01() * 54.0)); break;
        case 2: x = 1.0 - ldexp(lcg_u01(), -(int)(lcg_u01() * 53.0)); break;
        default: x = sqrt(0.5) * (1.0 + (lcg_u01() - 0.5) * 1e-6); break;
        }
        if (!(x > 0.0 && x <= 1.0)) continue;
        double l = sk__log(x), e;
        if (have_ld && (e = ulp_err(l, logl((long double)x))) > log_ld) log_ld = e;
        if ((e = ulp_err(l, (long double)log(x))) > log_libm) log_libm = e;
    }
    for (int i = 0; i < NSAMP; i++) {
        double u;
        switch (i % 3) {
        case 0: u = lcg_u01(); break;
        case 1: u = (int)(lcg_u01() * 5.0) * 0.25 + (lcg_u01() - 0.5) * ldexp(1.0, -(int)(lcg_u01() * 50.0)); break;
        default: u = (int)(lcg_u01() * 9.0) * 0.125 + (lcg_u01() - 0.5) * 1e-3; break;
        }
        if (!(u > 0.0 && u < 1.0)) continue;
        double s, c;
        sk__sincos_2pi(u, &s, &c);
        int n = (int)floor(4.0 * u + 0.5);
        double rd = u - n * 0.25; /* exact */
        long double S = sinl(TWO_PI_L * rd), C = cosl(TWO_PI_L * rd), rs, rc;
        double th = (double)(TWO_PI_L * rd); /* the correctly rounded angle */
        double Sd = sin(th), Cd = cos(th), ds, dc;
        switch (n & 3) {
        case 0: rs = S; rc = C; ds = Sd; dc = Cd; break;
        case 1: rs = C; rc = -S; ds = Cd; dc = -Sd; break;
        case 2: rs = -S; rc = -C; ds = -Sd; dc = -Cd; break;
        default: rs = -C; rc = S; ds = -Cd; dc = Sd; break;
        }
        double e;
        if (have_ld && (e = ulp_err(s, rs)) > sin_ld) sin_ld = e;
        if (have_ld && (e = ulp_err(c, rc)) > cos_ld) cos_ld = e;
        if ((e = ulp_err(s, ds)) > sin_libm) sin_libm = e;
        if ((e = ulp_err(c, dc)) > cos_libm) cos_libm = e;
    }
    print_message("max ulp  log: %.3f (long double) %.3f (glibc)\n", log_ld, log_libm);
    print_message("max ulp  sin(2πu): %.3f (long double) %.3f (glibc)\n", sin_ld, sin_libm);
    print_message("max ulp  cos(2πu): %.3f (long double) %.3f (glibc)\n", cos_ld, cos_libm);
    CHECK_LE("log ulp vs long double", log_ld, 1.0);
    CHECK_LE("sin ulp vs long double", sin_ld, 1.0);
    CHECK_LE("cos ulp vs long double", cos_ld, 1.0);
    CHECK_LE("log ulp vs glibc", log_libm, 2.0);
    CHECK_LE("sin ulp vs glibc", sin_libm, 2.0);
    CHECK_LE("cos ulp vs glibc", cos_libm, 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answers),
        cmocka_unit_test(test_init_layout),
        cmocka_unit_test(test_uniform_matches_blocks),
        cmocka_unit_test(test_uniform_distribution),
        cmocka_unit_test(test_normal_matches_box_muller),
        cmocka_unit_test(test_normal_distribution),
        cmocka_unit_test(test_normal_pinned_values),
        cmocka_unit_test(test_rademacher),
        cmocka_unit_test(test_counter_advance),
        cmocka_unit_test(test_counter_carry),
        cmocka_unit_test(test_seeds_and_streams),
        cmocka_unit_test(test_normal_matrix),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_mathfn_special_values),
        cmocka_unit_test(test_mathfn_accuracy),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
