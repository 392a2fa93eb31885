/*
 * rng.c — Philox4x32-10 counter-based generator and the uniform, Gaussian and
 * Rademacher streams built on it (sketchlab/rng.h).
 *
 * Only 32-bit integer arithmetic (with a 64-bit product) and exactly rounded
 * double operations are used, and the logarithm and sine/cosine come from our
 * own kernels in mathfn.c, so every stream is bit-identical natively and in
 * WebAssembly.
 *
 * Stream layout. Each call consumes whole Philox blocks starting at the
 * state's counter and advances the counter past them; the unused tail of the
 * last block is dropped. Hence the values produced depend only on the
 * (key, counter) at entry and on n, never on how earlier requests were split
 * into calls beyond the blocks they consumed:
 *   uniform, normal:  2 values per block, ceil(n/2) blocks;
 *   rademacher:     128 values per block, ceil(n/128) blocks.
 */
#include <math.h> /* sqrt: exactly rounded by IEEE 754, the same everywhere */

#include <string.h>

#include "internal.h"
#include "mathfn.h"

/* Random123's Philox4x32 multipliers and Weyl key increments. */
#define SK__PHILOX_M0 0xD2511F53u
#define SK__PHILOX_M1 0xCD9E8D57u
#define SK__PHILOX_W0 0x9E3779B9u
#define SK__PHILOX_W1 0xBB67AE85u
#define SK__PHILOX_ROUNDS 10

/* The Philox4x32 bijection: ten rounds, the key bumped between rounds. */
static void sk__philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t x0 = ctr[0], x1 = ctr[1], x2 = ctr[2], x3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < SK__PHILOX_ROUNDS; r++) {
        if (r > 0) {
            k0 += SK__PHILOX_W0;
            k1 += SK__PHILOX_W1;
        }
        uint64_t p0 = (uint64_t)SK__PHILOX_M0 * x0;
        uint64_t p1 = (uint64_t)SK__PHILOX_M1 * x2;
        uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0;
        uint32_t y1 = (uint32_t)p1;
        uint32_t y2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1;
        uint32_t y3 = (uint32_t)p0;
        x0 = y0; x1 = y1; x2 = y2; x3 = y3;
    }
    out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
}

/*
 * The block at the state's counter, then advance the counter by one. The
 * block counter is ctr[0] + 2^32 ctr[1]; a carry out of it goes into ctr[2]
 * (after 2^64 blocks) and never into ctr[3], so streams cannot run into
 * each other.
 */
static void sk__next_block(sk_rng_t *rng, uint32_t out[4])
{
    sk__philox_block(rng->ctr, rng->key, out);
    if (++rng->ctr[0] == 0 && ++rng->ctr[1] == 0) ++rng->ctr[2];
}

/*
 * Two words to a double on the open interval (0, 1): k = the 20 high bits of
 * hi and all 32 bits of lo (52 bits), u = (k + 1/2) 2^-52. Every step is exact
 * (2k+1 < 2^53), so u is exactly the midpoint of one of 2^52 equal cells:
 * u in [2^-53, 1 - 2^-53], symmetric about 1/2, never 0 or 1 (log(u) is finite).
 * 53 bits would not do: (k + 1/2) 2^-53 for k >= 2^52 falls halfway between
 * doubles and would be rounded, up to 1.0 for the top k.
 */
static double sk__u01(uint32_t hi, uint32_t lo)
{
    uint64_t k = ((uint64_t)(hi >> 12) << 32) | lo;
    return ((double)k + 0.5) * 0x1p-52;
}

/*
 * Box–Muller: a block gives one pair. u1 from words 0-1 sets the radius,
 * u2 from words 2-3 the angle; g[0] = r cos 2πu2, g[1] = r sin 2πu2 with
 * r = sqrt(−2 log u1).
 *
 * sk__normal_fill computes the pairs in batches, with loops the compiler
 * vectorizes (SSE2, wasm SIMD). Without vectors (the baseline wasm build)
 * the batch form only adds work, so there it takes one pair at a time as
 * below; both give the same bits.
 */
#if defined(__wasm__) && !defined(__wasm_simd128__)
#define SK__NORMAL_BATCHED 0
static void sk__gauss_pair(const uint32_t w[4], double g[2])
{
    double u1 = sk__u01(w[0], w[1]);
    double u2 = sk__u01(w[2], w[3]);
    double r = sqrt(-2.0 * sk__log(u1));
    double s, c;
    sk__sincos_2pi(u2, &s, &c);
    g[0] = r * c;
    g[1] = r * s;
}
#else
#define SK__NORMAL_BATCHED 1
#endif

#if SK__NORMAL_BATCHED
/* Pairs generated per batch in sk__normal_fill (arrays on the stack). */
#define SK__NBATCH 64

/*
 * Philox4x32-10 of nb consecutive counters (c0[t], c1[t], c2[t], c3) in
 * structure-of-arrays form, so the loop over t vectorizes: the same integer
 * operations as sk__philox_block, hence the same words.
 */
static void sk__philox_batch(int nb, const uint32_t *c0, const uint32_t *c1, const uint32_t *c2,
                             uint32_t c3, const uint32_t key[2], uint32_t *o0, uint32_t *o1,
                             uint32_t *o2, uint32_t *o3)
{
    uint32_t k0[SK__PHILOX_ROUNDS], k1[SK__PHILOX_ROUNDS];
    k0[0] = key[0];
    k1[0] = key[1];
    for (int r = 1; r < SK__PHILOX_ROUNDS; r++) {
        k0[r] = k0[r - 1] + SK__PHILOX_W0;
        k1[r] = k1[r - 1] + SK__PHILOX_W1;
    }
    for (int t = 0; t < nb; t++) {
        uint32_t x0 = c0[t], x1 = c1[t], x2 = c2[t], x3 = c3;
        for (int r = 0; r < SK__PHILOX_ROUNDS; r++) {
            uint64_t p0 = (uint64_t)SK__PHILOX_M0 * x0;
            uint64_t p1 = (uint64_t)SK__PHILOX_M1 * x2;
            uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0[r];
            uint32_t y1 = (uint32_t)p1;
            uint32_t y2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1[r];
            uint32_t y3 = (uint32_t)p0;
            x0 = y0; x1 = y1; x2 = y2; x3 = y3;
        }
        o0[t] = x0; o1[t] = x1; o2[t] = x2; o3[t] = x3;
    }
}

/* sk__u01 with the integer-to-double conversion done by the exponent trick
 * ((2^52 + k) − 2^52, exact for k < 2^52, so the same value as (double)k),
 * which vectorizes where a 64-bit integer conversion does not (SSE2). */
static double sk__u01_bits(uint32_t hi, uint32_t lo)
{
    uint64_t b = 0x4330000000000000ULL | ((uint64_t)(hi >> 12) << 32) | lo;
    double k;
    memcpy(&k, &b, sizeof k);
    return ((k - 0x1p52) + 0.5) * 0x1p-52;
}
#endif

/*
 * Fill the m×n column-major block A (leading dimension ld) with Gaussians in
 * column order — the stream sk_rng_normal would write to contiguous storage,
 * pairs straddling columns included. Arguments are already checked.
 *
 * Works in batches of SK__NBATCH blocks: counters, then Philox, then the
 * uniforms, log, sin/cos and the Box–Muller products each as a loop over the
 * batch (the batch forms of log and sin/cos return the same bits as the
 * scalar ones, and every other step is the same operation), so the
 * independent pairs overlap instead of waiting on one long dependency chain
 * after another.
 */
static void sk__normal_fill(sk_rng_t *rng, int m, int n, double *A, int ld)
{
    long long total = (long long)m * n;
    int i = 0, j = 0;
#if !SK__NORMAL_BATCHED
    for (long long idx = 0; idx < total; idx += 2) {
        uint32_t w[4];
        double g[2];
        sk__next_block(rng, w);
        sk__gauss_pair(w, g);
        for (int t = 0; t < 2 && idx + t < total; t++) {
            SK__AT(A, ld, i, j) = g[t];
            if (++i == m) { i = 0; j++; }
        }
    }
#else
    uint32_t c0[SK__NBATCH], c1[SK__NBATCH], c2[SK__NBATCH];
    uint32_t w0[SK__NBATCH], w1[SK__NBATCH], w2[SK__NBATCH], w3[SK__NBATCH];
    double u1[SK__NBATCH], u2[SK__NBATCH], lg[SK__NBATCH], sn[SK__NBATCH], cs[SK__NBATCH];
    double g[2 * SK__NBATCH];
    for (long long idx = 0; idx < total;) {
        long long left_pairs = (total - idx + 1) / 2;
        int nb = left_pairs < SK__NBATCH ? (int)left_pairs : SK__NBATCH;
        /* The counters of the next nb blocks, advanced as sk__next_block does. */
        for (int t = 0; t < nb; t++) {
            c0[t] = rng->ctr[0];
            c1[t] = rng->ctr[1];
            c2[t] = rng->ctr[2];
            if (++rng->ctr[0] == 0 && ++rng->ctr[1] == 0) ++rng->ctr[2];
        }
        sk__philox_batch(nb, c0, c1, c2, rng->ctr[3], rng->key, w0, w1, w2, w3);
        for (int t = 0; t < nb; t++) {
            u1[t] = sk__u01_bits(w0[t], w1[t]);
            u2[t] = sk__u01_bits(w2[t], w3[t]);
        }
        sk__log_n(nb, u1, lg);
        sk__sincos_2pi_n(nb, u2, sn, cs);
        for (int t = 0; t < nb; t++) {
            double r = sqrt(-2.0 * lg[t]);
            g[2 * t] = r * cs[t];
            g[2 * t + 1] = r * sn[t];
        }
        long long cnt = SK__MIN(2LL * nb, total - idx);
        for (long long t = 0; t < cnt; t++) {
            SK__AT(A, ld, i, j) = g[t];
            if (++i == m) { i = 0; j++; }
        }
        idx += cnt;
    }
#endif
}

int sk_rng_init(sk_rng_t *rng, uint64_t seed, uint32_t stream)
{
    if (!rng) return -1;
    rng->key[0] = (uint32_t)seed;
    rng->key[1] = (uint32_t)(seed >> 32);
    rng->ctr[0] = 0;
    rng->ctr[1] = 0;
    rng->ctr[2] = 0;
    rng->ctr[3] = stream;
    return 0;
}

int sk_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    if (!ctr) return -1;
    if (!key) return -2;
    if (!out) return -3;
    /* sk__philox_block reads all inputs before writing, so out may alias ctr. */
    sk__philox_block(ctr, key, out);
    return 0;
}

int sk_rng_uniform(sk_rng_t *rng, int n, double *x)
{
    if (!rng) return -1;
    if (n < 0) return -2;
    if (!x && n > 0) return -3;
    for (int i = 0; i < n; i += 2) {
        uint32_t w[4];
        sk__next_block(rng, w);
        x[i] = sk__u01(w[0], w[1]);
        if (i + 1 < n) x[i + 1] = sk__u01(w[2], w[3]);
    }
    return 0;
}

int sk_rng_normal(sk_rng_t *rng, int n, double *x)
{
    if (!rng) return -1;
    if (n < 0) return -2;
    if (!x && n > 0) return -3;
    if (n > 0) sk__normal_fill(rng, n, 1, x, n);
    return 0;
}

int sk_rng_rademacher(sk_rng_t *rng, int n, double *x)
{
    if (!rng) return -1;
    if (n < 0) return -2;
    if (!x && n > 0) return -3;
    for (int i = 0; i < n; i += 128) {
        uint32_t w[4];
        sk__next_block(rng, w);
        int len = SK__MIN(128, n - i);
        /* Bit b of the block is bit b%32 of word b/32; a set bit gives +1. */
        for (int b = 0; b < len; b++)
            x[i + b] = ((w[b >> 5] >> (b & 31)) & 1u) ? 1.0 : -1.0;
    }
    return 0;
}

int sk_rng_normal_matrix(sk_rng_t *rng, int m, int n, double *A, int ld)
{
    if (!rng) return -1;
    if (m < 0) return -2;
    if (n < 0) return -3;
    if (!A && m > 0 && n > 0) return -4;
    if (ld < SK__MAX(1, m)) return -5;
    if (m > 0 && n > 0) sk__normal_fill(rng, m, n, A, ld);
    return 0;
}
