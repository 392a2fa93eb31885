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
 * One Box–Muller pair from a block: u1 from words 0-1 sets the radius, u2
 * from words 2-3 the angle; g[0] = r cos 2πu2, g[1] = r sin 2πu2.
 */
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

/*
 * Fill the m×n column-major block A (leading dimension ld) with Gaussians in
 * column order — the stream sk_rng_normal would write to contiguous storage,
 * pairs straddling columns included. Arguments are already checked.
 */
static void sk__normal_fill(sk_rng_t *rng, int m, int n, double *A, int ld)
{
    long long total = (long long)m * n;
    int i = 0, j = 0;
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
