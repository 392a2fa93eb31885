/* hash.c — Mersenne-prime polynomial and splitmix hashing (see sketchlab/hash.h). */
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

#define P61 SK_HASH_P61

uint64_t sk__mod61(uint64_t x)
{
    x = (x & P61) + (x >> 61);
    x = (x & P61) + (x >> 61);
    return x >= P61 ? x - P61 : x;
}

/* a, b < 2^61: a·b = hi·2^64 + mid·2^32 + lo with 32-bit limbs; 2^61 ≡ 1, so
 * 2^64 ≡ 2^3 and mid·2^32 = (mid >> 29)·2^61 + (mid mod 2^29)·2^32. Every
 * partial sum stays below 2^63. */
uint64_t sk__mulmod61(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t lo = a0 * b0;              /* < 2^64 */
    uint64_t mid = a1 * b0 + a0 * b1;   /* each < 2^61, sum < 2^62 */
    uint64_t hi = a1 * b1;              /* < 2^58 */
    uint64_t r = (hi << 3) + (mid >> 29) + ((mid & 0x1FFFFFFFu) << 32) + (lo >> 61) + (lo & P61);
    return sk__mod61(r);
}

int sk_mulmod61(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a >= P61) return -1;
    if (b >= P61) return -2;
    if (!out) return -3;
    *out = sk__mulmod61(a, b);
    return 0;
}

void sk__hash_words(uint64_t seed, uint32_t stream, int n, uint64_t *out)
{
    sk_rng_t rng;
    sk_rng_init(&rng, seed, stream);
    for (int got = 0; got < n;) {
        uint32_t w[4];
        sk_philox4x32(rng.ctr, rng.key, w);
        if (++rng.ctr[0] == 0) rng.ctr[1]++;
        for (int i = 0; i < 4 && got < n; i += 2) out[got++] = ((uint64_t)w[i] << 32) | w[i + 1];
    }
}

void sk__cs_fast_init(sk_hash_t *hb, uint32_t stream, uint64_t seed)
{
    memset(hb, 0, sizeof *hb);
    hb->mode = SK_HASH_FAST;
    hb->k = SK__CS_FAST_WORDS;
    sk__hash_words(seed, stream, SK__CS_FAST_WORDS, hb->c);
}

uint32_t sk__cs_fast_salt(uint32_t base, uint64_t seed)
{
    uint64_t w;
    sk__hash_words(seed, base + 1u, 1, &w);
    return (uint32_t)w;
}

int sk_hash_init(sk_hash_t *h, int mode, int k, uint32_t stream, uint64_t seed)
{
    if (!h) return -1;
    if (mode != SK_HASH_POLY && mode != SK_HASH_FAST) return -2;
    if (mode == SK_HASH_POLY && (k < 2 || k > SK_HASH_KMAX)) return -3;
    h->mode = mode;
    h->k = mode == SK_HASH_POLY ? k : 1;
    for (int i = 0; i < SK_HASH_KMAX; i++) h->c[i] = 0;
    if (mode == SK_HASH_FAST) {  /* the salt: the stream's first word */
        sk__hash_words(seed, stream, 1, h->c);
        return 0;
    }
    sk_rng_t rng;
    sk_rng_init(&rng, seed, stream);
    int need = h->k, got = 0;
    while (got < need) {
        uint32_t out[4];
        sk_philox4x32(rng.ctr, rng.key, out);
        if (++rng.ctr[0] == 0) rng.ctr[1]++;
        for (int w = 0; w < 4 && got < need; w += 2) {
            uint64_t v = ((uint64_t)out[w] << 32) | out[w + 1];
            v &= P61;                 /* 61 random bits; reject the one value p */
            if (v == P61) continue;
            /* The leading coefficient must be nonzero for full degree; a zero
             * draw has probability 2^-61, reject it anyway for determinism. */
            if (got == need - 1 && v == 0) continue;
            h->c[got++] = v;
        }
    }
    return 0;
}

uint64_t sk__hash(const sk_hash_t *h, uint64_t key)
{
    return sk__hash_i(h, key);
}

double sk__hash_unit(const sk_hash_t *h, uint64_t key)
{
    uint64_t v = sk__hash(h, key);
    uint64_t t = h->mode == SK_HASH_FAST ? v >> 12 : v >> 9; /* top 52 bits */
    return ((double)t + 0.5) * 0x1p-52;
}

int sk_hash_eval(const sk_hash_t *h, uint64_t key, uint64_t *out)
{
    if (!h || (h->mode != SK_HASH_POLY && h->mode != SK_HASH_FAST)) return -1;
    if (!out) return -3;
    *out = sk__hash(h, key);
    return 0;
}

int sk_hash_unit(const sk_hash_t *h, uint64_t key, double *u)
{
    if (!h || (h->mode != SK_HASH_POLY && h->mode != SK_HASH_FAST)) return -1;
    if (!u) return -3;
    *u = sk__hash_unit(h, key);
    return 0;
}
