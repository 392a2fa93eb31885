/*
 * sketchlab/rng.h — counter-based random numbers (Philox4x32-10).
 *
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy
 * as 1, 2, 3", SC'11; Random123) maps a 128-bit counter and a 64-bit key to 128
 * random bits with ten rounds of multiply-and-xor. It uses only 32-bit integer
 * arithmetic, so the same (key, counter) gives bit-identical streams natively
 * and in WebAssembly. The conversions to doubles use only exactly rounded IEEE
 * operations (+, -, *, /, sqrt) — the logarithm and sine/cosine of Box–Muller
 * are our own polynomial kernels, not the platform libm (glibc and the musl of
 * wasm differ in the last bit) — and the library is built with
 * -ffp-contract=off, so the Gaussian stream is bit-identical too; the JS tests
 * check native/wasm parity.
 *
 * The state is a plain value owned by the caller and passed by pointer; each
 * generator call reads it, consumes whole blocks starting at its counter, and
 * writes the advanced counter back (the unused tail of a call's last block is
 * discarded, so what a call returns depends only on the entry state and n).
 * There is no global state. Two states with the same key and different
 * counters give independent streams: sk_rng_init(seed, stream) puts the
 * stream number in the high counter word, so up to 2^32 streams per seed of
 * 2^64 blocks each never overlap.
 */
#ifndef SKETCHLAB_RNG_H
#define SKETCHLAB_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_rng_t {
    uint32_t key[2];  /* from the seed: key[0] low word, key[1] high word */
    uint32_t ctr[4];  /* ctr[0] + 2^32 ctr[1]: block counter (a carry out
                         of it goes to ctr[2], never to ctr[3]);
                         ctr[3]: stream number                            */
} sk_rng_t;

/*
 * sk_rng_init — state for (seed, stream): key = seed (lo, hi), counter = 0 with
 * ctr[3] = stream.
 *   [out] rng  state to initialize (not NULL).
 * Returns 0, or -1 if rng is NULL.
 */
int sk_rng_init(sk_rng_t *rng, uint64_t seed, uint32_t stream);

/*
 * sk_philox4x32 — one raw Philox4x32-10 block (the known-answer-test entry point).
 *   [in]  ctr[4], key[2]   counter and key words.
 *   [out] out[4]           the 128 output bits as four words.
 * out may be the same array as ctr. Bit-exact with Random123's
 * philox4x32_R(10, ctr, key) (checked against its kat_vectors).
 * Returns 0, or -i for a NULL argument i.
 */
int sk_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/*
 * sk_rng_uniform — n doubles uniform on the open interval (0, 1), each from 52
 * random bits: u = (k + 0.5) / 2^52 with k uniform in [0, 2^52), so
 * 2^-53 <= u <= 1 - 2^-53, exactly symmetric about 1/2. Words (w0, w1) of a
 * block give k = (w0 >> 12) * 2^32 + w1, words (w2, w3) the next value.
 * (52, not 53, bits: every such u is an exact double, whereas (k + 0.5)/2^53
 * for k >= 2^52 falls halfway between doubles and would round, up to 1.0.)
 * One Philox block gives two doubles; an odd tail discards the unused half so
 * that the stream position depends only on the counts requested.
 *   [in,out] rng  state (argument 1); its counter advances by ceil(n/2) blocks.
 *   [in]     n    number of values, n >= 0 (argument 2).
 *   [out]    x    array of length n; may be NULL if n == 0 (argument 3).
 * Returns 0, or -i for an invalid argument i; on error the state is unchanged.
 */
int sk_rng_uniform(sk_rng_t *rng, int n, double *x);

/*
 * sk_rng_normal — n standard Gaussian doubles by the Box–Muller transform: each
 * block's two uniforms u1, u2 (as in sk_rng_uniform) give r = sqrt(-2 log u1)
 * and the pair x[2b] = r cos 2πu2, x[2b+1] = r sin 2πu2. Same counter use and
 * arguments as sk_rng_uniform. log, sin and cos are the library's own kernels
 * (within 1 ulp), so the values may differ from a libm-based Box–Muller in the
 * last bits but are the same on every platform.
 * Returns 0, or -i for an invalid argument i.
 */
int sk_rng_normal(sk_rng_t *rng, int n, double *x);

/*
 * sk_rng_rademacher — n values ±1 with equal probability, one per random bit
 * (128 per block; an unused tail of a block is discarded): value b of a block
 * is +1 if bit b%32 of word b/32 is set, else -1. Counter advances by
 * ceil(n/128) blocks; arguments as sk_rng_uniform.
 * Returns 0, or -i for an invalid argument i.
 */
int sk_rng_rademacher(sk_rng_t *rng, int n, double *x);

/*
 * sk_rng_normal_matrix — fill an m×n column-major block (leading dimension
 * ld >= max(1, m)) with standard Gaussians, column after column, drawing the
 * same stream as sk_rng_normal(rng, m*n, ...) would on contiguous storage
 * (a Box–Muller pair may straddle two columns). Rows m..ld-1 are not touched.
 *   [in,out] rng  state (argument 1); advances by ceil(m*n/2) blocks.
 *   [in]     m, n dimensions, >= 0 (arguments 2, 3).
 *   [out]    A    m×n block; may be NULL if m == 0 or n == 0 (argument 4).
 *   [in]     ld   leading dimension, ld >= max(1, m) (argument 5).
 * Returns 0, or -i for an invalid argument i; on error the state is unchanged.
 */
int sk_rng_normal_matrix(sk_rng_t *rng, int m, int n, double *A, int ld);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_RNG_H */
