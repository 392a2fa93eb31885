/*
 * sketchlab/reservoir.h — the weighted reservoir: s independent single-slot
 * samplers that each keep one item of a stream with probability proportional
 * to its weight (specs/attention.md §1.7).
 *
 * Math. One slot keeps (item, W). On an item with weight w > 0: W += w, and
 * the slot takes the item with probability w/W. By induction the slot holds
 * item i at the end with probability exactly w_i / Σ_j w_j. Items of weight 0
 * are skipped (no coin is flipped), so they are never selected. s slots are s
 * independent copies sharing W (sampling WITH replacement across slots; a
 * multi-slot reservoir without replacement would need Chao-type corrections).
 *
 * Used by SubGen's value sampling (attention.h) and by the attention samplers.
 * Randomness comes only from the caller's sk_rng_t: one sk_rng_uniform draw
 * of s numbers per positive-weight item, so equal states give equal samples
 * natively and in WebAssembly.
 *
 * Reference: Chao, "A general purpose unequal probability sampling plan",
 * Biometrika 69(3) 1982; Efraimidis & Spirakis, IPL 97(5) 2006.
 */
#ifndef SKETCHLAB_RESERVOIR_H
#define SKETCHLAB_RESERVOIR_H

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_reservoir sk_reservoir_t;

/*
 * sk_reservoir_create — an empty reservoir of s single-slot samplers.
 *   s    number of slots, s >= 1.
 *   res  out: the handle (set to NULL on failure).
 * Returns 0; -1 if s < 1; -2 if res is NULL; SK_ENOMEM.
 * Memory: s item ids + s uniforms of scratch + W (see sk_reservoir_state_size).
 */
int sk_reservoir_create(int s, sk_reservoir_t **res);

/* sk_reservoir_destroy — free the handle (NULL is a no-op). */
void sk_reservoir_destroy(sk_reservoir_t *res);

/*
 * sk_reservoir_add — offer one item.
 *   res       the reservoir.
 *   rng       caller-owned generator (consumed only when w > 0).
 *   item      the item's id (any value >= 0).
 *   w         its weight: finite and >= 0; w = 0 is skipped.
 *   replaced  optional (NULL or s ints): replaced[l] = 1 if slot l now holds
 *             this item, else 0 (lets a caller keep a payload per slot).
 * Returns 0; -1, -2 for NULL handles; -3 if item < 0; SK_ENONFINITE if w is
 * NaN/Inf; -4 if w < 0. The state is unchanged on any error.
 * Cost: s uniforms and s comparisons when w > 0, O(1) otherwise.
 */
int sk_reservoir_add(sk_reservoir_t *res, sk_rng_t *rng, long long item, double w,
                     int *replaced);

/*
 * sk_reservoir_sample — the s current samples.
 *   items  out: s ids; -1 for every slot while no positive weight was seen.
 * Returns 0; -1 or -2 for NULL arguments.
 */
int sk_reservoir_sample(const sk_reservoir_t *res, long long *items);

/* sk_reservoir_total — W, the sum of the weights offered so far. 0 or -1/-2. */
int sk_reservoir_total(const sk_reservoir_t *res, double *total);

/*
 * sk_reservoir_state_size — size of the sampler's state: s item ids (8 bytes
 * each) and W (8 bytes); the scratch uniforms are not state.
 *   bytes, bits  out (either may be NULL).
 * Returns 0 or -1.
 */
int sk_reservoir_state_size(const sk_reservoir_t *res, long long *bytes, long long *bits);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_RESERVOIR_H */
