/*
 * subgen2.c — SubGen2Cache (spec §3.2, paper's Lemma 5.2): SubGen run on the
 * pair tokens (k1_a ∘ k2_b, v1_a ∘ v2_b) of the two-cache. Each appended token
 * t brings its 2t−1 new pairs in the two-cache's shell order, so the stream of
 * pairs the SubGen sees is exactly the shell-ordered two-cache's rows. The
 * factor rows needed to form new pairs are kept in a four-cache (shared code:
 * validation, all-or-nothing batch append, growth). Contract in
 * sketchlab/attention.h.
 */
#include <math.h>
#include <string.h>

#include "attn_internal.h"
#include "subgen_internal.h"

struct sk_subgen2 {
    int d;
    sk_kvcache_t *factors;  /* K1, K2, V1, V2 of every token (the aux words) */
    sk_subgen_t *pairs;     /* SubGen over the pair tokens */
    double *kp, *vp;        /* one pair key and value (d each) of scratch */
    long long tokens;       /* tokens whose pairs are all in `pairs` */
    double last_append;     /* mults forming the last token's pairs: 2(2t−1)d */
    int broken;             /* an append failed half way: pairs are a prefix */
};

int sk_subgen2_create(int d, double delta, int t, int s, sk_subgen2_t **out)
{
    if (out) *out = NULL;
    /* The pair SubGen first: its checks of arguments 1–5 are ours (same order, same codes). */
    sk_subgen_t *pairs = NULL;
    int st = sk_subgen_create(d, delta, t, s, out ? &pairs : NULL);
    if (st) return st;
    sk_subgen2_t *g = (sk_subgen2_t *)SK_MALLOC(sizeof *g);
    if (!g) { sk_subgen_destroy(pairs); return SK_ENOMEM; }
    memset(g, 0, sizeof *g);
    g->d = d;
    g->pairs = pairs;
    st = sk_kvcache_create(SK_KV_FOUR, d, SK_KV_NO_WINDOW, 1.0, 0, &g->factors);
    g->kp = sk__alloc_doubles(d, 1);
    g->vp = sk__alloc_doubles(d, 1);
    if (!st && (!g->kp || !g->vp)) st = SK_ENOMEM;
    if (st) {
        sk_subgen2_destroy(g);
        return st;
    }
    *out = g;
    return 0;
}

void sk_subgen2_destroy(sk_subgen2_t *g)
{
    if (!g) return;
    sk_kvcache_destroy(g->factors);
    sk_subgen_destroy(g->pairs);
    SK_FREE(g->kp); SK_FREE(g->vp);
    SK_FREE(g);
}

/* Feed pair (a, b) of the factor rows into the SubGen. */
static int add_pair(sk_subgen2_t *g, sk_rng_t *rng, const double *const F[4], long long a, long long b)
{
    int d = g->d;
    const double *k1 = F[0] + (size_t)a * d, *k2 = F[1] + (size_t)b * d;
    const double *v1 = F[2] + (size_t)a * d, *v2 = F[3] + (size_t)b * d;
    int finite = 1;
    for (int j = 0; j < d; ++j) {
        g->kp[j] = k1[j] * k2[j];
        g->vp[j] = v1[j] * v2[j];
        finite &= isfinite(g->kp[j]) && isfinite(g->vp[j]);
    }
    if (!finite) return SK_EINVAL; /* a product beyond the double range (attention.h) */
    return sk__subgen_add(g->pairs, rng, g->kp, g->vp);
}

int sk_subgen2_append(sk_subgen2_t *g, sk_rng_t *rng, int count,
                      const double *K1, int ldk1, const double *K2, int ldk2,
                      const double *V1, int ldv1, const double *V2, int ldv2)
{
    if (!g) return -1;
    if (!rng) return -2;
    if (count < 0) return -3;
    if (g->broken) return SK_EINVAL;
    if (count == 0) return 0;
    /* The four-cache checks shapes and finiteness of the whole batch and
     * appends all of it or nothing; its argument k is our argument k + 1. */
    int st = sk_kvcache_append(g->factors, count, K1, ldk1, K2, ldk2, V1, ldv1, V2, ldv2);
    if (st < 0) return st - 1;
    if (st) return st;
    const double *F[4];
    for (int i = 0; i < 4; ++i) F[i] = sk__kvcache_factor(g->factors, i);
    for (int r = 0; r < count; ++r) {
        long long t = g->tokens; /* 0-based index of the new token */
        /* Shell t in the two-cache's order: (t, b) for b <= t, then (a, t) for a < t. */
        for (long long b = 0; b <= t && !st; ++b) st = add_pair(g, rng, F, t, b);
        for (long long a = 0; a < t && !st; ++a) st = add_pair(g, rng, F, a, t);
        if (st) {
            g->broken = 1;
            return st;
        }
        g->tokens = t + 1;
        g->last_append = 2.0 * (2.0 * (double)t + 1.0) * g->d;
    }
    return 0;
}

int sk_subgen2_query(const sk_subgen2_t *g, const double *q, double *out, double *zhat, double *nhat)
{
    if (!g) return -1;
    if (!q) return -2;
    if (!out) return -3;
    if (g->broken) return SK_EINVAL;
    return sk_subgen_query(g->pairs, q, out, zhat, nhat);
}

int sk_subgen2_stats(const sk_subgen2_t *g, double *s)
{
    if (!g) return -1;
    if (!s) return -2;
    double p[5];
    sk_subgen_stats(g->pairs, p);
    s[SK_SG2STAT_TOKENS] = (double)g->tokens;
    s[SK_SG2STAT_PAIRS] = p[0];
    s[SK_SG2STAT_CLUSTERS] = p[1];
    s[SK_SG2STAT_WORDS] = p[2];
    s[SK_SG2STAT_BYTES] = p[3];
    s[SK_SG2STAT_BITS] = p[4];
    s[SK_SG2STAT_AUX_WORDS] = 4.0 * (double)g->tokens * g->d;
    s[SK_SG2STAT_APPEND_OPS] = g->last_append;
    return 0;
}

sk_subgen_t *sk__subgen2_pairs(sk_subgen2_t *g)
{
    return g->pairs;
}
