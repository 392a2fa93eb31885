/* cs_kernel.c — blocked CountSketch hashing, scatter and decode (see cs_kernel.h). */
#include <string.h>
#include "internal.h"
#include "cs_kernel.h"

#define P61 SK_HASH_P61

/* On x86-64 Linux with GCC, the hashing loops are also compiled for AVX2 and
 * AVX-512 (x86-64-v4: 8 lanes of 64-bit multiply) and the loader picks the
 * widest the CPU has. Integer arithmetic only, so every clone computes the
 * same bits; wasm and other targets get the portable loop. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(SK_NO_CLONES)
#define SK__CLONES __attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
#else
#define SK__CLONES
#endif

/* The wasm SIMD build. Left to itself, clang vectorizes the hashing loops
 * with the generic i64x2.mul, which V8 expands into about eight
 * instructions per two lanes (no 64-bit multiply in SSE), and they ran
 * slower than scalar. So the CountSketch loops are hand-written below with
 * i64x2.extmul_{low,high}_i32x4_u, the 32×32→64 product (a pmuludq and
 * two unpacks in V8): poly (locate_poly24, signed_poly24) needs exactly
 * those products, 0.47-0.51 → 0.34-0.38 s of hashing for 7·10^7 key-rows,
 * then 0.235 s with fewer reductions and eight keys per iteration
 * (bench/bench_cs_parts.c run with node --no-liftoff, CPU time, machine
 * loaded; docs/PERFORMANCE.md "wasm SIMD hashing, second pass"). Fast mode
 * was two splitmix64 hashes per row (bucket, sign), 0.12-0.13 s at best by
 * hand; its multiply-add-shift (sk__cs_fast_h) needs two 32×32→64 products
 * per row and key: 0.04-0.055 s (docs/PERFORMANCE.md "A fast CountSketch
 * hash built for wasm"). The loops without a hand-written version (unit_*)
 * stay scalar there. */
#if defined(__wasm_simd128__) && defined(__clang__)
#define SK__SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")
#else
#define SK__SCALAR_LOOP
#endif

/* ---------------------------------------------------------------- hashing */

/* (s mod 2^61) + floor(s / 2^61) ≡ s (mod p), below 2^61 + 8. */
static inline uint64_t fold61(uint64_t s) { return (s & P61) + (s >> 61); }

/* Any a < 2^64 and a key x < 2^31: a value ≡ a·x (mod p) below
 * 2^63 + 2^61 + 2^34, reduced lazily: Horner adds a coefficient < 2^61, which
 * stays below 2^64 (no wrap-around), multiplies again, and only the final
 * value is made canonical. With a = a1·2^32 + a0, a·x = hi·2^32 + lo
 * (hi = a1·x and lo = a0·x, both < 2^63 because x < 2^31: two 32×32→64
 * products, which vectorize), and hi·2^32 = (hi >> 29)·2^61 +
 * (hi mod 2^29)·2^32 ≡ (hi >> 29) + (hi mod 2^29)·2^32. lo is not folded:
 * that bound on x is what lets it be added as it is (3 operations fewer per
 * step; poly hashing of 7·10^7 key-rows in wasm SIMD 0.23 → 0.19-0.21 s,
 * natively 0.063 → 0.054 s: docs/PERFORMANCE.md "Lazier poly reduction and
 * an unrolled scatter"). */
static inline uint64_t mulmod_small(uint64_t a, uint64_t x)
{
    uint64_t lo = (uint64_t)(uint32_t)a * x;
    uint64_t hi = (uint64_t)(uint32_t)(a >> 32) * x;
    return lo + (hi >> 29) + ((hi & 0x1FFFFFFFu) << 32);
}

/* The canonical residue (in [0, p)) of any v < 2^64. */
static inline uint64_t canon61(uint64_t v)
{
    v = fold61(fold61(v));
    return v >= P61 ? v - P61 : v;
}

/* Horner over p with a compile-time degree, so the key loop has no inner
 * loop and vectorizes; same value as sk__hash_i (both reduce to the unique
 * residue in [0, p)). */
#define POLY(c, k, x)                                                       \
    do {                                                                    \
        uint64_t acc_ = (c)[(k) - 1];                                       \
        for (int i_ = (k) - 2; i_ >= 0; i_--) acc_ = mulmod_small(acc_, x) + (c)[i_]; \
        out_ = canon61(acc_);                                               \
    } while (0)

static inline uint64_t mix_fast(uint64_t c0, uint64_t key)
{
    uint64_t z = key + c0 + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Multiply-shift range reduction of 32 uniform bits (as sk__bucket). */
static inline uint32_t range32(uint64_t top32, uint32_t b)
{
    return (uint32_t)(((uint64_t)(uint32_t)top32 * b) >> 32);
}

static uint64_t poly_any(const sk_hash_t *h, uint64_t x)
{
    uint64_t acc = h->c[h->k - 1];
    for (int i = h->k - 2; i >= 0; i--) acc = mulmod_small(acc, x) + h->c[i];
    return canon61(acc);
}

/* x with its sign bit flipped where mask has bit 63 set (exact negation). */
static inline double flip(double x, uint64_t mask)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits ^= mask;
    memcpy(&x, &bits, sizeof x);
    return x;
}

/* Row hashing, one loop per hash mode and output: the sign as a bit mask
 * (decode) or applied to the deltas (update, one pass less). */

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

/* Hand-written wasm SIMD of the poly loops, four keys at a time, the same
 * integer operations lane by lane (so the same bits). The 32×32→64 products
 * of mulmod_small are i64x2.extmul_{low,high}_i32x4_u (pmuludq in V8): the
 * four keys sit in one u32x4, their accumulators in two u64x2 (keys 0-1,
 * 2-3), whose low and high 32-bit halves one shuffle each gathers into the
 * u32x4 layout the extmuls read. */

/* Clang sees that extending the even halves of a shuffle is a mask of the
 * u64x2 it came from and emits the generic i64x2.mul (~8 instructions in V8)
 * instead of extmul; an empty asm hides the operand's origin (no code;
 * volatile, so it is not hoisted out of the loop with the operand). */
static inline v128_t sk__opaque(v128_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

/* lo + (hi >> 29) + (hi mod 2^29)·2^32 + c: the sum mulmod_small returns,
 * plus a Horner coefficient c. */
static inline v128_t sk__fold_v(v128_t lo, v128_t hi, v128_t c)
{
    const v128_t m29 = wasm_i64x2_splat(0x1FFFFFFF);
    v128_t s = wasm_i64x2_add(lo, wasm_u64x2_shr(hi, 29));
    s = wasm_i64x2_add(s, wasm_i64x2_shl(wasm_v128_and(hi, m29), 32));
    return wasm_i64x2_add(s, c);
}

/* One Horner step a ← mulmod_small(a, x) + c for four keys: a's 32-bit
 * halves alo, ahi (u32x4, key order), x the keys; result in *a01, *a23. */
static inline void sk__horner_v(v128_t alo, v128_t ahi, v128_t x, v128_t c, v128_t *a01, v128_t *a23)
{
    *a01 = sk__fold_v(wasm_u64x2_extmul_low_u32x4(alo, x), wasm_u64x2_extmul_low_u32x4(ahi, x), c);
    *a23 = sk__fold_v(wasm_u64x2_extmul_high_u32x4(alo, x), wasm_u64x2_extmul_high_u32x4(ahi, x), c);
}

/* The last reduction of a Horner value v < 2^64 (every value sk__horner_v
 * returns): w = (v mod 2^61) + (v >> 61) ≡ v is at most p + 7 < 2p, so the
 * canonical residue is w, or w − p where w >= p (w < 2^62: the signed
 * compare is exact). One fold and a compare instead of canon61's two folds
 * and its test for v = p: the same residue, 4 fewer operations per vector. */
static inline v128_t sk__fold1_v(v128_t v)
{
    const v128_t p61 = wasm_i64x2_splat((int64_t)P61);
    return wasm_i64x2_add(wasm_v128_and(v, p61), wasm_u64x2_shr(v, 61));
}
static inline v128_t sk__ge_p_v(v128_t w)
{
    /* w opaque: clang knows w >= 0, makes the compare unsigned, which
     * wasm SIMD lacks, and would scalarize it. */
    return wasm_i64x2_gt(sk__opaque(w), wasm_i64x2_splat((int64_t)P61 - 1));
}

/* canon61 of a Horner value. */
static inline v128_t sk__canon_v(v128_t v)
{
    v128_t w = sk__fold1_v(v);
    /* mask opaque: clang would make the and-subtract a bitselect (3 x86
     * instructions in V8 instead of 2). */
    return wasm_i64x2_sub(w, wasm_v128_and(sk__opaque(sk__ge_p_v(w)), wasm_i64x2_splat((int64_t)P61)));
}

/* canon61(v) << 63 (the sign as a bit mask) of a Horner value: p is odd, so
 * w − p has the other parity than w; bit 0 of the residue is bit 0 of w
 * XOR (w >= p), and the subtraction is not needed. */
static inline v128_t sk__parity63_v(v128_t v)
{
    v128_t w = sk__fold1_v(v);
    return wasm_i64x2_shl(wasm_v128_xor(w, sk__ge_p_v(w)), 63);
}

/* The Horner values (below 2^64, not yet canonical) of the degree k-1
 * polynomial c at the keys x[0..nk) (nk vectors of four keys; h[2j], h[2j+1]
 * for keys 0-1, 2-3 of x[j]). With nk = 2 the two chains are interleaved
 * step by step: a Horner step is a chain of ~10 dependent instructions
 * (unpack, pmuludq, the fold, the shuffles), and one chain of four keys
 * left the CPU waiting (8 keys: 0.285 → 0.23 s of poly hashing). */
static inline __attribute__((always_inline)) void sk__poly_v(const uint64_t *c, int k, int nk, const v128_t *x,
                                                             v128_t *h)
{
    v128_t clo = sk__opaque(wasm_i32x4_splat((int32_t)(uint32_t)c[k - 1]));
    v128_t chi = sk__opaque(wasm_i32x4_splat((int32_t)(uint32_t)(c[k - 1] >> 32)));
    for (int j = 0; j < nk; j++) sk__horner_v(clo, chi, x[j], wasm_i64x2_splat((int64_t)c[k - 2]), &h[2 * j], &h[2 * j + 1]);
    for (int i = k - 3; i >= 0; i--)
        for (int j = 0; j < nk; j++)
            sk__horner_v(sk__opaque(wasm_i32x4_shuffle(h[2 * j], h[2 * j + 1], 0, 2, 4, 6)),
                         sk__opaque(wasm_i32x4_shuffle(h[2 * j], h[2 * j + 1], 1, 3, 5, 7)), x[j],
                         wasm_i64x2_splat((int64_t)c[i]), &h[2 * j], &h[2 * j + 1]);
}

/* range32(h >> 29, b) for four canonical values h: the high halves of the
 * products (h >> 29)·b; or, where b = 2^lg (lg >= 0, else lg = -1), the
 * same value as h >> (61 − lg), one shift (the multiply-shift of a power of
 * two is a shift). */
static inline v128_t sk__range_v(v128_t h01, v128_t h23, v128_t b, int lg)
{
    if (lg >= 0) {
        /* The count made opaque in the loop: a variable splat hoisted out
         * of it is not seen as one, and the shift would be scalarized. */
        int sh = 61 - lg;
        __asm__ volatile("" : "+r"(sh));
        return wasm_i32x4_shuffle(wasm_u64x2_shr(h01, sh), wasm_u64x2_shr(h23, sh), 0, 2, 4, 6);
    }
    v128_t t = sk__opaque(wasm_i32x4_shuffle(wasm_u64x2_shr(h01, 29), wasm_u64x2_shr(h23, 29), 0, 2, 4, 6));
    b = sk__opaque(b);
    return wasm_i32x4_shuffle(wasm_u64x2_extmul_low_u32x4(t, b), wasm_u64x2_extmul_high_u32x4(t, b), 1, 3, 5, 7);
}

/* lg = log2(b) if b is a power of two, else -1. */
static inline int sk__log2_exact(uint32_t b)
{
    if (b & (b - 1)) return -1;
    int lg = 0;
    while ((1u << lg) < b) lg++;
    return lg;
}

/* Buckets (stored) and sign bits (bit 63 of s[0..2nk)) of 4·nk keys under
 * the degree-1 bucket and degree-3 sign polynomials. */
static inline __attribute__((always_inline)) void sk__poly24_v(const uint64_t *cb, const uint64_t *cs, v128_t bv, int lg,
                                                               int nk, const uint32_t *key, uint32_t *bucket, v128_t *s)
{
    v128_t x[2], h[4];
    for (int j = 0; j < nk; j++) x[j] = wasm_v128_load(key + 4 * j);
    sk__poly_v(cb, 2, nk, x, h);
    for (int j = 0; j < nk; j++)
        wasm_v128_store(bucket + 4 * j, sk__range_v(sk__canon_v(h[2 * j]), sk__canon_v(h[2 * j + 1]), bv, lg));
    sk__poly_v(cs, 4, nk, x, h);
    for (int j = 0; j < 2 * nk; j++) s[j] = sk__parity63_v(h[j]);
}

/* The SIMD part of the poly key loops: keys [0, q) for the q returned (n
 * rounded down to a multiple of four), eight at a time, then four. The sign
 * goes to out as the mask of a double, XORed into delta where given (sd),
 * else stored as it is (smask). Always inlined, so each caller has copies
 * with lg and delta known. */
static inline __attribute__((always_inline)) int sk__poly24_run(const uint64_t *cb, const uint64_t *cs, uint32_t b,
                                                                int lg, int n, const uint32_t *key,
                                                                const double *delta, uint32_t *bucket, void *out)
{
    const v128_t bv = wasm_i32x4_splat((int32_t)b);
    char *o = out;
    v128_t sg[4];
    int q = 0;
    for (; q + 8 <= n; q += 8) {
        sk__poly24_v(cb, cs, bv, lg, 2, key + q, bucket + q, sg);
        for (int j = 0; j < 4; j++)
            wasm_v128_store(o + 8 * (q + 2 * j), delta ? wasm_v128_xor(wasm_v128_load(delta + q + 2 * j), sg[j]) : sg[j]);
    }
    for (; q + 4 <= n; q += 4) {
        sk__poly24_v(cb, cs, bv, lg, 1, key + q, bucket + q, sg);
        for (int j = 0; j < 2; j++)
            wasm_v128_store(o + 8 * (q + 2 * j), delta ? wasm_v128_xor(wasm_v128_load(delta + q + 2 * j), sg[j]) : sg[j]);
    }
    return q;
}

static void locate_poly24(const uint64_t *cb, const uint64_t *cs, uint32_t b, int n, const uint32_t *key,
                          uint32_t *bucket, uint64_t *smask)
{
    const int lg = sk__log2_exact(b);
    int q = lg >= 0 ? sk__poly24_run(cb, cs, b, lg, n, key, NULL, bucket, smask)
                    : sk__poly24_run(cb, cs, b, -1, n, key, NULL, bucket, smask);
    SK__SCALAR_LOOP
    for (; q < n; q++) {
        uint64_t x = key[q], out_;
        POLY(cb, 2, x);
        bucket[q] = range32(out_ >> 29, b);
        POLY(cs, 4, x);
        smask[q] = out_ << 63;
    }
}

static void signed_poly24(const uint64_t *cb, const uint64_t *cs, uint32_t b, int n, const uint32_t *key,
                          const double *delta, uint32_t *bucket, double *sd)
{
    const int lg = sk__log2_exact(b);
    int q = lg >= 0 ? sk__poly24_run(cb, cs, b, lg, n, key, delta, bucket, sd)
                    : sk__poly24_run(cb, cs, b, -1, n, key, delta, bucket, sd);
    SK__SCALAR_LOOP
    for (; q < n; q++) {
        uint64_t x = key[q], out_;
        POLY(cb, 2, x);
        bucket[q] = range32(out_ >> 29, b);
        POLY(cs, 4, x);
        sd[q] = flip(delta[q], out_ << 63);
    }
}
#else
SK__CLONES
static void locate_poly24(const uint64_t *cb, const uint64_t *cs, uint32_t b, int n, const uint32_t *key,
                          uint32_t *bucket, uint64_t *smask)
{
    for (int q = 0; q < n; q++) {
        uint64_t x = key[q], out_;
        POLY(cb, 2, x);
        bucket[q] = range32(out_ >> 29, b);
        POLY(cs, 4, x);
        smask[q] = out_ << 63;
    }
}

SK__CLONES
static void signed_poly24(const uint64_t *cb, const uint64_t *cs, uint32_t b, int n, const uint32_t *key,
                          const double *delta, uint32_t *bucket, double *sd)
{
    SK__SCALAR_LOOP
    for (int q = 0; q < n; q++) {
        uint64_t x = key[q], out_;
        POLY(cb, 2, x);
        bucket[q] = range32(out_ >> 29, b);
        POLY(cs, 4, x);
        sd[q] = flip(delta[q], out_ << 63);
    }
}

#endif


/* Fast mode (sk__cs_fast_h in stream_internal.h) for keys below 2^32, so
 * hi = 0: the fingerprints fp[q] = fmix32(key[q] ^ fmix32(salt)) of a block
 * are computed once and shared by all rows; row r's hash is then
 * H = a0·key + a1·fp + a3 (mod 2^64), its bucket range32(H >> 32, b) and
 * its sign bit 31 of H (moved to bit 63, the sign of a double). */

#if defined(__wasm_simd128__)
/* fmix32 of four words. */
static inline v128_t sk__fmix32_v(v128_t h)
{
    h = wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
    h = wasm_i32x4_mul(h, wasm_i32x4_splat((int32_t)0x85EBCA6Bu));
    h = wasm_v128_xor(h, wasm_u32x4_shr(h, 13));
    h = wasm_i32x4_mul(h, wasm_i32x4_splat((int32_t)0xC2B2AE35u));
    return wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
}
#endif

SK__CLONES
static void fingerprints(uint32_t salt, int n, const uint32_t *key, uint32_t *fp)
{
    const uint32_t k0 = sk__fmix32(salt);
    int q = 0;
#if defined(__wasm_simd128__)
    for (; q + 4 <= n; q += 4)
        wasm_v128_store(fp + q, sk__fmix32_v(wasm_v128_xor(wasm_v128_load(key + q), wasm_i32x4_splat((int32_t)k0))));
#endif
    SK__SCALAR_LOOP
    for (; q < n; q++) fp[q] = sk__fmix32(key[q] ^ k0);
}

#if defined(__wasm_simd128__)
/* H of four keys x with fingerprints f under row words a: the high words
 * (u32x4, key order) in *hi, the sign bits as the masks of four doubles in
 * *m01 (keys 0-1) and *m23 (keys 2-3). a0·x = a0_lo·x + (a0_hi·x)·2^32:
 * the 32×32→64 products a0_lo·x and a1_lo·f are i64x2.extmul (a pmuludq and
 * two unpacks in V8), summed with a3 in 64-bit lanes; a0_hi·x + a1_hi·f
 * only reaches the high word, so it is an i32x4.mul each. 4 extmuls and 2
 * i32x4.mul per four keys and row, against 6 extmuls and 7 i32x4.mul (and
 * the xorshifts) for the two splitmix64 hashes, bucket and sign, of the
 * old fast mode. */
static inline void sk__fast_h_v(const uint64_t *a, v128_t x, v128_t f, v128_t *hi, v128_t *m01, v128_t *m23)
{
    /* The low-word splats made opaque here, inside the loop: a splat that
     * clang hoists lets it rewrite extmul as a generic i64x2.mul of
     * zero-extended operands (eight instructions in V8 instead of three:
     * measured 0.075 instead of 0.041 s for 7·10^7 key-rows). */
    v128_t a0l = sk__opaque(wasm_i32x4_splat((int32_t)(uint32_t)a[0]));
    v128_t a1l = sk__opaque(wasm_i32x4_splat((int32_t)(uint32_t)a[1]));
    v128_t c = wasm_i64x2_splat((int64_t)a[3]);
    v128_t p01 = wasm_i64x2_add(wasm_i64x2_add(wasm_u64x2_extmul_low_u32x4(x, a0l), wasm_u64x2_extmul_low_u32x4(f, a1l)), c);
    v128_t p23 = wasm_i64x2_add(wasm_i64x2_add(wasm_u64x2_extmul_high_u32x4(x, a0l), wasm_u64x2_extmul_high_u32x4(f, a1l)), c);
    v128_t cross = wasm_i32x4_add(wasm_i32x4_mul(x, wasm_i32x4_splat((int32_t)(uint32_t)(a[0] >> 32))),
                                  wasm_i32x4_mul(f, wasm_i32x4_splat((int32_t)(uint32_t)(a[1] >> 32))));
    *hi = wasm_i32x4_add(wasm_i32x4_shuffle(p01, p23, 1, 3, 5, 7), cross);
    const v128_t sign = wasm_i64x2_splat(INT64_MIN);
    *m01 = wasm_v128_and(wasm_i64x2_shl(p01, 32), sign);
    *m23 = wasm_v128_and(wasm_i64x2_shl(p23, 32), sign);
}

/* range32(top, b) of four words: for b = 2^lg with lg >= 1 a shift by
 * 32 − lg (wasm shifts count mod 32, so b = 1 takes the product), else the
 * high halves of top·b. */
static inline v128_t sk__range32_v(v128_t top, v128_t bv, int lg)
{
    if (lg >= 1) {
        /* The count made opaque in the loop: a variable splat hoisted out
         * of it is not seen as one, and the shift would be scalarized. */
        int sh = 32 - lg;
        __asm__ volatile("" : "+r"(sh));
        return wasm_u32x4_shr(top, sh);
    }
    v128_t bb = sk__opaque(bv);
    return wasm_i32x4_shuffle(wasm_u64x2_extmul_low_u32x4(top, bb), wasm_u64x2_extmul_high_u32x4(top, bb), 1, 3, 5,
                              7);
}

/* The SIMD part of the fast key loops: keys [0, q) for the q returned (n
 * rounded down to a multiple of four), as sk__poly24_run: the sign goes to
 * out as the mask of a double, XORed into delta where given (sd), else
 * stored as it is (smask). Always inlined, so each caller has copies with lg
 * and delta known. */
static inline __attribute__((always_inline)) int sk__fast_run(const uint64_t *a, uint32_t b, int lg, int n,
                                                              const uint32_t *key, const uint32_t *fp,
                                                              const double *delta, uint32_t *bucket, void *out)
{
    const v128_t bv = wasm_i32x4_splat((int32_t)b);
    char *o = out;
    int q = 0;
    for (; q + 4 <= n; q += 4) {
        v128_t hi, m01, m23;
        sk__fast_h_v(a, wasm_v128_load(key + q), wasm_v128_load(fp + q), &hi, &m01, &m23);
        wasm_v128_store(bucket + q, sk__range32_v(hi, bv, lg));
        wasm_v128_store(o + 8 * q, delta ? wasm_v128_xor(wasm_v128_load(delta + q), m01) : m01);
        wasm_v128_store(o + 8 * (q + 2), delta ? wasm_v128_xor(wasm_v128_load(delta + q + 2), m23) : m23);
    }
    return q;
}
#endif

/* H = a0·key + a1·fp + a3 (mod 2^64): sk__cs_fast_h of a key below 2^32. */
static inline uint64_t fast_h(uint64_t a0, uint64_t a1, uint64_t a3, uint32_t key, uint32_t fp)
{
    return a0 * key + a1 * fp + a3;
}

/* Both fast key loops: the sign of key[q] goes to out as the mask of a
 * double, XORed into delta[q] where delta is given (sd), else stored as it
 * is (smask); always inlined, so each caller has its own loop. */
static inline __attribute__((always_inline)) void fast_keys(const uint64_t *a, uint32_t b, int n, const uint32_t *key,
                                                            const uint32_t *fp, const double *delta, uint32_t *bucket,
                                                            void *out)
{
    int q = 0;
#if defined(__wasm_simd128__)
    const int lg = sk__log2_exact(b);
    q = lg >= 1 ? sk__fast_run(a, b, lg, n, key, fp, delta, bucket, out)
                : sk__fast_run(a, b, 0, n, key, fp, delta, bucket, out);
#endif
    const uint64_t a0 = a[0], a1 = a[1], a3 = a[3];
    SK__SCALAR_LOOP
    for (; q < n; q++) {
        uint64_t h = fast_h(a0, a1, a3, key[q], fp[q]);
        uint64_t m = (h << 32) & 0x8000000000000000ull;  /* bit 31: the sign */
        bucket[q] = range32(h >> 32, b);
        if (delta) ((double *)out)[q] = flip(delta[q], m);
        else ((uint64_t *)out)[q] = m;
    }
}

SK__CLONES
static void locate_fast(const uint64_t *a, uint32_t b, int n, const uint32_t *key, const uint32_t *fp,
                        uint32_t *bucket, uint64_t *smask)
{
    fast_keys(a, b, n, key, fp, NULL, bucket, smask);
}

SK__CLONES
static void signed_fast(const uint64_t *a, uint32_t b, int n, const uint32_t *key, const uint32_t *fp,
                        const double *delta, uint32_t *bucket, double *sd)
{
    fast_keys(a, b, n, key, fp, delta, bucket, sd);
}

/* Row r's buckets and sign masks of keys key[0..n) (fp: their fingerprints,
 * fast mode only). */
static void locate_row(const sk__cs *cs, int r, int n, const uint32_t *key, const uint32_t *fp, uint32_t *bucket,
                       uint64_t *smask)
{
    const sk_hash_t *hb = &cs->hb[r];
    if (cs->mode == SK_HASH_FAST) {
        locate_fast(hb->c, (uint32_t)cs->b, n, key, fp, bucket, smask);
        return;
    }
    const sk_hash_t *hs = &cs->hs[r];
    if (hb->k == 2 && hs->k == 4) {
        locate_poly24(hb->c, hs->c, (uint32_t)cs->b, n, key, bucket, smask);
    } else {
        for (int q = 0; q < n; q++) {
            bucket[q] = range32(poly_any(hb, key[q]) >> 29, (uint32_t)cs->b);
            smask[q] = poly_any(hs, key[q]) << 63;
        }
    }
}

/* As locate_row, with sd[q] = s(key[q])·delta[q] in place of the mask. */
static void locate_signed(const sk__cs *cs, int r, int n, const uint32_t *key, const uint32_t *fp,
                          const double *delta, uint32_t *bucket, double *sd)
{
    const sk_hash_t *hb = &cs->hb[r];
    if (cs->mode == SK_HASH_FAST) {
        signed_fast(hb->c, (uint32_t)cs->b, n, key, fp, delta, bucket, sd);
        return;
    }
    const sk_hash_t *hs = &cs->hs[r];
    if (hb->k == 2 && hs->k == 4) {
        signed_poly24(hb->c, hs->c, (uint32_t)cs->b, n, key, delta, bucket, sd);
    } else {
        uint64_t sm[SK__BLK];
        locate_row(cs, r, n, key, fp, bucket, sm);
        for (int q = 0; q < n; q++) sd[q] = flip(delta[q], sm[q]);
    }
}

SK__CLONES
static void unit_poly8(const uint64_t *c, int n, const uint32_t *key, double *u)
{
    SK__SCALAR_LOOP
    for (int q = 0; q < n; q++) {
        uint64_t x = key[q], out_;
        POLY(c, 8, x);
        u[q] = ((double)(int64_t)(out_ >> 9) + 0.5) * 0x1p-52;
    }
}

SK__CLONES
static void unit_fast(uint64_t c0, int n, const uint32_t *key, double *u)
{
    SK__SCALAR_LOOP
    for (int q = 0; q < n; q++) u[q] = ((double)(int64_t)(mix_fast(c0, key[q]) >> 12) + 0.5) * 0x1p-52;
}

void sk__unit_block(const sk_hash_t *h, int n, const uint32_t *key, double *u)
{
    if (h->mode == SK_HASH_FAST) unit_fast(h->c[0], n, key, u);
    else if (h->k == 8) unit_poly8(h->c, n, key, u);
    else for (int q = 0; q < n; q++) u[q] = ((double)(int64_t)(poly_any(h, key[q]) >> 9) + 0.5) * 0x1p-52;
}

/* ---------------------------------------------------------------- update */

void sk__cs_add_block(sk__cs *cs, int n, const uint32_t *key, const double *delta)
{
    uint32_t bk[SK__BLK], fp[SK__BLK];
    double sd[SK__BLK];
    if (cs->mode == SK_HASH_FAST) fingerprints(cs->salt, n, key, fp);
    for (int r = 0; r < cs->R; r++) {
        locate_signed(cs, r, n, key, fp, delta, bk, sd);
        /* The scatter: counters of row r receive their updates in stream
         * order, so the sums round exactly as one update at a time. */
        double *row = cs->C + (size_t)r * cs->b;
        /* Unrolled by hand (the same additions in the same order): GCC -O3
         * left one scatter per iteration with its own index arithmetic and
         * branch, about 2 cycles per add on Zen 5; four per iteration run at
         * about 1.45, and the native fast update of bench_cs_parts.c (7·10^7
         * key-rows) took 0.051 instead of 0.063 s. `#pragma GCC unroll 4`
         * gained half of that; wasm did not change (docs/PERFORMANCE.md
         * "Lazier poly reduction and an unrolled scatter"). */
        int q = 0;
        for (; q + 4 <= n; q += 4) {
            row[bk[q]] += sd[q];
            row[bk[q + 1]] += sd[q + 1];
            row[bk[q + 2]] += sd[q + 2];
            row[bk[q + 3]] += sd[q + 3];
        }
        for (; q < n; q++) row[bk[q]] += sd[q];
    }
}

/* ---------------------------------------------------------------- decode */

int sk__sortnet(int n, uint8_t (*pairs)[2])
{
    int N = 1, cnt = 0;
    while (N < n) N <<= 1;
    /* Batcher's odd-even merge sort on N = 2^m wires; comparators that touch
     * a wire >= n are dropped (those wires hold +inf padding that never moves). */
    for (int p = 1; p < N; p <<= 1)
        for (int k = p; k >= 1; k >>= 1)
            for (int j = k % p; j + k < N; j += 2 * k)
                for (int i = 0; i < k && i + j + k < N; i++)
                    if ((i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < n) {
                        pairs[cnt][0] = (uint8_t)(i + j);
                        pairs[cnt][1] = (uint8_t)(i + j + k);
                        cnt++;
                    }
    return cnt;
}

void sk__decode_init(sk__decode *d, int R)
{
    d->npairs = sk__sortnet(R, d->pairs);
}

/* One comparator over a block: lo[q] = min, hi[q] = max (ties unchanged).
 * restrict and unconditional stores: the compiler emits min/max
 * instructions across the block instead of a mispredicted branch per key. */
static void compare_exchange(double *restrict lo, double *restrict hi, int n)
{
    for (int q = 0; q < n; q++) {
        double a = lo[q], c = hi[q];
        double mn = c < a ? c : a, mx = c < a ? a : c;
        lo[q] = mn;
        hi[q] = mx;
    }
}

void sk__cs_decode_block(const sk__cs *cs, const sk__decode *d, uint32_t key0, int n, double *est,
                         double *work)
{
    uint32_t key[SK__BLK], bk[SK__BLK], fp[SK__BLK];
    uint64_t sm[SK__BLK];
    int R = cs->R;
    for (int q = 0; q < n; q++) key[q] = key0 + (uint32_t)q;
    if (cs->mode == SK_HASH_FAST) fingerprints(cs->salt, n, key, fp);
    for (int r = 0; r < R; r++) {
        locate_row(cs, r, n, key, fp, bk, sm);
        const double *row = cs->C + (size_t)r * cs->b;
        double *w = work + (size_t)r * SK__BLK;
        for (int q = 0; q < n; q++) w[q] = flip(row[bk[q]], sm[q]);
    }
    for (int t = 0; t < d->npairs; t++)
        compare_exchange(work + (size_t)d->pairs[t][0] * SK__BLK, work + (size_t)d->pairs[t][1] * SK__BLK, n);
    const double *mid = work + (size_t)(R / 2) * SK__BLK;
    if (R & 1) {
        for (int q = 0; q < n; q++) est[q] = mid[q] + 0.0;  /* + 0.0: -0 becomes +0 */
    } else {
        const double *lo = mid - SK__BLK;
        for (int q = 0; q < n; q++) est[q] = 0.5 * (lo[q] + mid[q]) + 0.0;
    }
}
