/*
 * reservoir.c — s independent single-slot weighted reservoirs (spec §1.7).
 * See sketchlab/reservoir.h for the contract.
 */
#include <math.h>

#include "internal.h"

struct sk_reservoir {
    int s;
    double total;      /* W = sum of weights seen */
    long long *items;  /* s slots, -1 while empty */
    double *u;         /* s uniforms of scratch per item */
};

int sk_reservoir_create(int s, sk_reservoir_t **res)
{
    if (res) *res = NULL;
    if (s < 1) return -1;
    if (!res) return -2;
    sk_reservoir_t *r = (sk_reservoir_t *)SK_MALLOC(sizeof *r);
    if (!r) return SK_ENOMEM;
    r->s = s;
    r->total = 0.0;
    r->items = NULL;
    r->u = sk__alloc_doubles(s, 1);
    if ((unsigned long long)s <= (unsigned long long)SIZE_MAX / sizeof(long long))
        r->items = (long long *)SK_MALLOC((size_t)s * sizeof(long long));
    if (!r->u || !r->items) {
        sk_reservoir_destroy(r);
        return SK_ENOMEM;
    }
    for (int l = 0; l < s; ++l) r->items[l] = -1;
    *res = r;
    return 0;
}

void sk_reservoir_destroy(sk_reservoir_t *r)
{
    if (!r) return;
    SK_FREE(r->items);
    SK_FREE(r->u);
    SK_FREE(r);
}

int sk_reservoir_add(sk_reservoir_t *r, sk_rng_t *rng, long long item, double w, int *replaced)
{
    if (!r) return -1;
    if (!rng) return -2;
    if (item < 0) return -3;
    if (!isfinite(w)) return SK_ENONFINITE;
    if (w < 0) return -4;
    if (replaced)
        for (int l = 0; l < r->s; ++l) replaced[l] = 0;
    if (w == 0) return 0; /* zero weights are never selectable: skip, no coin */
    r->total += w;
    int st = sk_rng_uniform(rng, r->s, r->u);
    if (st) return st;
    /* P(take) = w / W. The first positive item has w == W and u < 1 always, so
     * every slot takes it. Comparing u*W < w avoids the division. */
    for (int l = 0; l < r->s; ++l) {
        if (r->u[l] * r->total < w) {
            r->items[l] = item;
            if (replaced) replaced[l] = 1;
        }
    }
    return 0;
}

int sk_reservoir_sample(const sk_reservoir_t *r, long long *items)
{
    if (!r) return -1;
    if (!items) return -2;
    for (int l = 0; l < r->s; ++l) items[l] = r->items[l];
    return 0;
}

int sk_reservoir_total(const sk_reservoir_t *r, double *total)
{
    if (!r) return -1;
    if (!total) return -2;
    *total = r->total;
    return 0;
}

int sk_reservoir_state_size(const sk_reservoir_t *r, long long *bytes, long long *bits)
{
    if (!r) return -1;
    long long b = 8LL * r->s + 8;
    if (bytes) *bytes = b;
    if (bits) *bits = 8 * b;
    return 0;
}
