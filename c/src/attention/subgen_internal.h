/*
 * subgen_internal.h — SubGen hooks for the Index game (private).
 */
#ifndef SKETCHLAB_SUBGEN_INTERNAL_H
#define SKETCHLAB_SUBGEN_INTERNAL_H

#include "internal.h"

/* Add one token with contiguous key k and value v (d entries each). */
int sk__subgen_add(sk_subgen_t *g, sk_rng_t *rng, const double *k, const double *v);

/* The query Bob makes after streaming his own token (key kb, value 0) into
 * the state, computed WITHOUT changing the state: kb joins a cluster (its
 * slots are redrawn with rng as an append would) or opens one; the value
 * reservoir skips a zero value. out = N̂/Ẑ of that state. */
int sk__subgen_query_after_zero_value(const sk_subgen_t *g, sk_rng_t *rng, const double *kb,
                                      const double *q, double *out);

/* The same after k zero-value tokens of key kb (spec §3.4: the 2n+1 pairs
 * of Bob's token in a SubGen2Cache all have key 0 and value 0). */
int sk__subgen_query_after_zero_values(const sk_subgen_t *g, sk_rng_t *rng, const double *kb,
                                       double k, const double *q, double *out);

/* SubGen4Cache (sk_subgen4_query) after Bob's token (k1 = k2 = kb, v1 = v2 = 0)
 * was streamed into both factors' states, computed without changing them. */
int sk__subgen4_query_after_zero_value(const sk_subgen_t *g1, const sk_subgen_t *g2, sk_rng_t *rng,
                                       const double *kb, const double *q, double *out);

/* The SubGen over a SubGen2Cache's pair tokens. */
sk_subgen_t *sk__subgen2_pairs(sk_subgen2_t *g);

/* Words held: m(t+1)d + m + s(2d+1) + 1. */
double sk__subgen_words(const sk_subgen_t *g);

#endif
