/*
 * sketchlab/hash.h — seeded, platform-independent hash families for the
 * streaming sketches (specs/attention.md §0 "Hashing").
 *
 * Two modes, both a pure function of (seed, stream, key), identical natively
 * and in WebAssembly (integer arithmetic only):
 *
 *   SK_HASH_POLY  "theory mode": a random polynomial of degree k−1 over the
 *                 Mersenne prime p = 2^61 − 1, evaluated by Horner,
 *                     h(x) = (a_{k−1} x^{k−1} + ... + a_1 x + a_0) mod p,
 *                 a k-wise independent family on keys in [0, p). The
 *                 products use sk_mulmod61 (32-bit limbs), never a plain
 *                 64-bit (a·x + b) % p, which overflows and stops being
 *                 universal. Values are uniform on [0, p).
 *   SK_HASH_FAST  splitmix64's finalizer of key + salt: fast, not provably
 *                 k-wise independent, values on [0, 2^64).
 *
 * The coefficients (or the salt) come from the library's Philox generator
 * keyed by the seed, with `stream` as the Philox stream, so different streams
 * of one seed are independent hash functions (a POLY CountSketch takes its
 * bucket and sign hashes from different streams, never from bits of one
 * hash). CountSketch and Count-Min in FAST mode do not use SK_HASH_FAST for
 * their buckets and signs: they use a multiply-add-shift family whose
 * bucket and sign bits are jointly 2-wise independent (see sk_cs_create in
 * stream.h); SK_HASH_FAST remains the hash of every other FAST structure.
 *
 * Reference: M. Thorup, Y. Zhang, "Tabulation-based 5-independent hashing",
 * SIAM J. Comput. 41(2) 2012 (Mersenne-prime multiply); specs/attention.md §0.
 */
#ifndef SKETCHLAB_HASH_H
#define SKETCHLAB_HASH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SK_HASH_P61 ((uint64_t)0x1FFFFFFFFFFFFFFFull) /* 2^61 − 1 */
#define SK_HASH_KMAX 16

enum { SK_HASH_POLY = 0, SK_HASH_FAST = 1 };

typedef struct sk_hash_t {
    int mode;                    /* SK_HASH_POLY or SK_HASH_FAST              */
    int k;                       /* independence (polynomial has k coeffs)    */
    uint64_t c[SK_HASH_KMAX];    /* coefficients in [0, p) (c[0] = salt FAST) */
} sk_hash_t;

/*
 * sk_mulmod61 — a·b mod (2^61 − 1) without 64-bit overflow.
 *   [in]  a, b  operands in [0, 2^61 − 1) (arguments 1, 2).
 *   [out] out   the product mod p (argument 3).
 * Returns 0, -1/-2 for an operand >= p, -3 for NULL out. Cost: 4 32×32-bit
 * multiplies and two folds.
 */
int sk_mulmod61(uint64_t a, uint64_t b, uint64_t *out);

/*
 * sk_hash_init — draw one hash function of the family.
 *   [out] h       the function (argument 1).
 *   [in]  mode    SK_HASH_POLY or SK_HASH_FAST (argument 2).
 *   [in]  k       independence, 2 <= k <= SK_HASH_KMAX (ignored for FAST)
 *                 (argument 3).
 *   [in]  stream  Philox stream: different streams give independent
 *                 functions (argument 4).
 *   [in]  seed    64-bit seed (argument 5, last so wasm's i64 legalization
 *                 only appends).
 * Returns 0 or -i for an invalid argument i.
 */
int sk_hash_init(sk_hash_t *h, int mode, int k, uint32_t stream, uint64_t seed);

/*
 * sk_hash_eval — the hash value of a key.
 *   [in]  h    function from sk_hash_init (argument 1).
 *   [in]  key  any 64-bit key; POLY reduces it mod p first (argument 2).
 *   [out] out  value in [0, p) (POLY) or [0, 2^64) (FAST) (argument 3).
 * Returns 0 or -i. Cost O(k).
 */
int sk_hash_eval(const sk_hash_t *h, uint64_t key, uint64_t *out);

/*
 * sk_hash_unit — a uniform variate in the open interval (0, 1) from a hash
 * value: u = (t + 0.5)·2^-52 with t the top 52 bits of the value (exact
 * double, never 0 or 1). E = −log u is then Exp(1). The precision scalar of
 * index i is sk_hash_unit(h, i): a function of (seed, i), never stored.
 *   [in]  h, key, [out] u  as sk_hash_eval.
 * Returns 0 or -i.
 */
int sk_hash_unit(const sk_hash_t *h, uint64_t key, double *u);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_HASH_H */
