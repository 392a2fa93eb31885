/*
 * stream_internal.h — private pieces shared by the stream module: hashing
 * helpers, the CountSketch core that the samplers embed, the generic
 * precision-sampling query, and a little-endian wire format with a checksum.
 */
#ifndef SKETCHLAB_STREAM_INTERNAL_H
#define SKETCHLAB_STREAM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "sketchlab.h"

uint64_t sk__mod61(uint64_t x);
uint64_t sk__mulmod61(uint64_t a, uint64_t b);
uint64_t sk__hash(const sk_hash_t *h, uint64_t key);
double sk__hash_unit(const sk_hash_t *h, uint64_t key);
/* out[0..n): the 64-bit words of Philox stream (seed, stream), the same
 * words sk_hash_init's FAST mode takes its salt from. */
void sk__hash_words(uint64_t seed, uint32_t stream, int n, uint64_t *out);
/* FAST mode's CountSketch row hash (sk__cs_fast_h below): hb becomes the
 * row's four words, drawn from Philox stream `stream` (the row's bucket
 * stream, base + 2r); the sketch's salt is the first word of stream base + 1. */
void sk__cs_fast_init(sk_hash_t *hb, uint32_t stream, uint64_t seed);
uint32_t sk__cs_fast_salt(uint32_t base, uint64_t seed);

/* Inline versions for the update loops (same values as sk__hash). */
static inline uint64_t sk__mod61_i(uint64_t x)
{
    x = (x & SK_HASH_P61) + (x >> 61);
    x = (x & SK_HASH_P61) + (x >> 61);
    return x >= SK_HASH_P61 ? x - SK_HASH_P61 : x;
}
static inline uint64_t sk__mulmod61_i(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t lo = a0 * b0, mid = a1 * b0 + a0 * b1, hi = a1 * b1;
    return sk__mod61_i((hi << 3) + (mid >> 29) + ((mid & 0x1FFFFFFFu) << 32) + (lo >> 61) + (lo & SK_HASH_P61));
}
static inline uint64_t sk__hash_i(const sk_hash_t *h, uint64_t key)
{
    if (h->mode == SK_HASH_FAST) {
        uint64_t z = key + h->c[0] + 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t x = sk__mod61_i(key), acc = h->c[h->k - 1];
    for (int i = h->k - 2; i >= 0; i--) {
        acc = sk__mulmod61_i(acc, x) + h->c[i];
        acc = acc >= SK_HASH_P61 ? acc - SK_HASH_P61 : acc;
    }
    return acc;
}

/* Bucket from one hash (multiply-shift range reduction of its top 32 bits:
 * no 64-bit division), sign from an independent one (its low bit). */
static inline int sk__bucket(const sk_hash_t *h, uint64_t key, int b)
{
    uint64_t v = sk__hash_i(h, key);
    uint64_t top = h->mode == SK_HASH_FAST ? v >> 32 : v >> 29;  /* 32 uniform bits */
    return (int)((top * (uint64_t)b) >> 32);
}
static inline double sk__sign(const sk_hash_t *h, uint64_t key)
{
    return (sk__hash_i(h, key) & 1u) ? -1.0 : 1.0;
}

/* Fast mode's CountSketch row hash. Row r holds four 64-bit words a[0..3]
 * and the sketch one 32-bit salt; for a key with 32-bit halves lo, hi:
 *   f = fmix32(lo ^ fmix32(hi + salt))        (murmur3's finalizer: a fingerprint)
 *   H = a0·lo + a1·f + a2·hi + a3  (mod 2^64)
 *   bucket = ((H >> 32)·b) >> 32,  sign = −1 where bit 31 of H is set.
 * Over the random words this is Dietzfelbinger's multiply-add-shift of the
 * vector (lo, f, hi) of 32-bit words: the top 33 bits of H are strongly
 * universal (2-independent) for distinct keys, since 64 >= 32 + 33 − 1
 * (Dietzfelbinger, STACS 1996; Thorup, "High speed hashing for integers and
 * strings", 2015), so the pair (bucket, sign) is 2-wise independent, the
 * sign independent of the bucket, and rows independent of each other: the
 * guarantee theory mode's CountSketch needs (2-wise buckets and signs). The
 * fingerprint f, shared by all rows, is what makes structured keys (runs,
 * progressions) behave like random ones beyond pairs. Keys below 2^32 have
 * hi = 0, one fingerprint per key and two 32×32→64 products per row: the
 * cheapest form in wasm SIMD, where 64-bit products are emulated. */
#define SK__CS_FAST_WORDS 4
static inline uint32_t sk__fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}
static inline uint64_t sk__cs_fast_h(const uint64_t *a, uint32_t salt, uint64_t key)
{
    uint32_t lo = (uint32_t)key, hi = (uint32_t)(key >> 32);
    uint32_t f = sk__fmix32(lo ^ sk__fmix32(hi + salt));
    return a[0] * lo + a[1] * f + a[2] * hi + a[3];
}

/* Independence of each hash in theory mode. */
#define SK__K_BUCKET 2
#define SK__K_SIGN 4   /* 4-wise: each row's sum of squares is an unbiased F2 */
#define SK__K_UNIT 8   /* precision scalars: O(log 1/eps) (JST11) */

/* Limits that turn absurd sizes into -i before any allocation. */
#define SK__MAX_BUCKETS (1 << 24)
#define SK__MAX_ROWS 255
#define SK__MAX_REPS 4096

/* The CountSketch core: R rows of b float64 counters, row r at C + r*b. */
typedef struct sk__cs {
    int b, R, mode;
    uint32_t base;       /* Philox stream base: row r uses base+2r (bucket), base+2r+1 (sign) */
    uint64_t seed;
    sk_hash_t *hb, *hs;  /* R bucket hashes, R sign hashes (POLY); FAST: hb[r].c[0..3]
                            are row r's words of sk__cs_fast_h, and hs is NULL */
    uint32_t salt;       /* FAST: the fingerprint's salt */
    double *C;
} sk__cs;

/* The bucket of key under a CountSketch row's bucket hash hb (either mode;
 * salt: the sketch's, FAST only). Count-Min uses it too, so that its rows
 * put every key where CountSketch's rows of the same seed do. */
static inline int sk__cs_bucket(const sk_hash_t *hb, uint32_t salt, uint64_t key, int b)
{
    if (hb->mode == SK_HASH_FAST) return (int)(((sk__cs_fast_h(hb->c, salt, key) >> 32) * (uint64_t)b) >> 32);
    return sk__bucket(hb, key, b);
}

/* Row r's bucket of key, and its sign as 1 (negative) or 0. */
static inline void sk__cs_hash(const sk__cs *cs, int r, uint64_t key, int *bucket, int *neg)
{
    if (cs->mode == SK_HASH_FAST) {
        uint64_t h = sk__cs_fast_h(cs->hb[r].c, cs->salt, key);
        *bucket = (int)(((h >> 32) * (uint64_t)cs->b) >> 32);  /* = sk__cs_bucket */
        *neg = (int)(h >> 31) & 1;
    } else {
        *bucket = sk__bucket(&cs->hb[r], key, cs->b);
        *neg = (int)(sk__hash_i(&cs->hs[r], key) & 1u);
    }
}

/* Serialized CountSketch and attention-sampler states: format 2 since FAST
 * mode's CountSketch hash became sk__cs_fast_h. A format-1 buffer of a POLY
 * state still reads (same hashes); a format-1 FAST state was filled under
 * other hash functions, so its counters mean nothing under these: refused. */
#define SK__STATE_FORMAT 2u
static inline int sk__state_format_ok(uint32_t version, int mode)
{
    return version == SK__STATE_FORMAT || (version == 1u && mode == SK_HASH_POLY);
}

/* Bytes of R rows' bucket hashes (for the state sizes; Count-Min has only
 * these): k words per hash (POLY), or four words per row and the 32-bit
 * salt (FAST, whose words give the sign too). */
static inline long long sk__bucket_hash_bytes(int mode, int R)
{
    return mode == SK_HASH_POLY ? 8LL * R * SK__K_BUCKET : 8LL * R * SK__CS_FAST_WORDS + 4;
}

/* Bytes of a CountSketch's hash description: the bucket hashes, and POLY's
 * separate sign hashes. */
static inline long long sk__cs_hash_bytes(int mode, int R)
{
    return sk__bucket_hash_bytes(mode, R) + (mode == SK_HASH_POLY ? 8LL * R * SK__K_SIGN : 0);
}

int sk__cs_init(sk__cs *cs, int b, int R, int mode, uint32_t base, uint64_t seed);
void sk__cs_free(sk__cs *cs);
void sk__cs_add(sk__cs *cs, uint64_t key, double delta);
double sk__cs_est(const sk__cs *cs, uint64_t key, double *scratch);
double sk__table_f2(const double *C, int R, int b, double *scratch);
double sk__median(double *v, int n); /* sorts v in place */

/* A sketch as the query sees it: table plus a "where does key go" function. */
typedef void (*sk__loc_fn)(const void *ctx, int r, uint64_t key, int *bucket, double *sign);
void sk__cs_loc(const void *cs, int r, uint64_t key, int *bucket, double *sign);

typedef struct sk__view {
    int R, b;
    const double *C;
    sk__loc_fn loc;
    const void *ctx;
} sk__view;

/* Scratch for one query, allocated once with the sampler (nothing of size
 * N: the decode streams over the universe a block of keys at a time). */
struct sk__decode;
typedef struct sk__qwork {
    double *tail;   /* R*b */
    double *med;    /* max(R, ...) */
    int *heavy;     /* m */
    double *dwork;  /* R*SK__BLK: row estimates of one decode block */
    struct sk__decode *net; /* the median network for R */
} sk__qwork;

/* Threshold limits (peak and tail) for rule/eps/m/n and r. */
void sk__limits(int rule, double eps, int m, long long N, double c, double r, double *tail_lim, double *peak_lim);

/* One sketch-based repetition (spec §1.3 query); fills rec (SK_L2S_REC_* layout). */
void sk__l2_query(const sk__view *z, const sk__view *y, const sk_hash_t *u, long long N,
                  double eps, int m, int rule, double c, sk__qwork *w, double *rec);

/* ---------------------------------------------------------------- wire format */
typedef struct sk__wbuf {
    unsigned char *p;  /* NULL: only count */
    size_t cap, len;
    int overflow;
} sk__wbuf;
void sk__put_u32(sk__wbuf *w, uint32_t v);
void sk__put_u64(sk__wbuf *w, uint64_t v);
void sk__put_f64(sk__wbuf *w, double v);
void sk__put_checksum(sk__wbuf *w);

typedef struct sk__rbuf {
    const unsigned char *p;
    size_t len, pos;
    int bad;
} sk__rbuf;
uint32_t sk__get_u32(sk__rbuf *r);
uint64_t sk__get_u64(sk__rbuf *r);
double sk__get_f64(sk__rbuf *r);
/* 0 if buf[0..len-8) hashes to the trailing 8-byte checksum, SK_EFORMAT otherwise. */
int sk__check_checksum(const unsigned char *buf, size_t len);

/* ---------------------------------------------------------------- ℓ2 sampler internals */
typedef struct sk__rep {
    sk__cs z, y;    /* z-sketch (precision-scaled) and y-sketch (F2 only) */
    sk_hash_t u;    /* precision scalars u_i = unit(u, i) */
} sk__rep;

struct sk_l2s {
    int n; double eps; int b, R, m, reps, rule, oracle, mode;
    uint64_t seed;
    sk__rep *rep;
    double *yex;       /* exact oracles: y itself (n) */
    sk__qwork w;
    double cbound;     /* >= every stored counter's (or y_i's) magnitude: SK_L2S_MAX_ABS */
};

/* Philox streams of repetition k (bucket/sign streams base..base+2R). */
#define SK__REP_ZBASE(k) ((uint32_t)(3u * (uint32_t)(k) + 1u) << 9)
#define SK__REP_YBASE(k) ((uint32_t)(3u * (uint32_t)(k) + 2u) << 9)
#define SK__REP_USTREAM(k) ((uint32_t)(3u * (uint32_t)(k) + 3u) << 9)

int sk__work_init(sk__qwork *w, long long N, int R, int b, int m);
void sk__work_free(sk__qwork *w);
/* Run the repetitions in order, first non-FAIL answers; rec as sk_l2s_sample. */
void sk__l2s_run(sk_l2s_t *s, double *rec);
/* Record of the query of one repetition. */
void sk__l2s_rep_query(sk_l2s_t *s, int k, double *rec);
void sk__topk_insert(int *idx, double *val, int *cnt, int k, int i, double v);

#endif
