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

/* Words held: m(t+1)d + m + s(2d+1) + 1. */
double sk__subgen_words(const sk_subgen_t *g);

#endif
