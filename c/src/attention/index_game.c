/*
 * index_game.c — the Index game through a cache (spec §3.3, §3.4): Alice's
 * bits become a cache state (the message), Bob recovers each bit with one
 * query, and the Fano floor bounds how small any message can be.
 * Contract in sketchlab/attention.h.
 *
 * Modelling choice: Bob's own token (q = C·k_i, k = 0, v = 0) enters the
 * softmax (logit 0, value 0: +1 to the denominator for a standard cache,
 * +2n+1 zero pairs for the tensor caches) but never evicts one of Alice's
 * tokens; for SubGen it is streamed into a virtual copy of the state (it
 * joins or opens a cluster exactly as an append would; the value reservoir
 * skips its zero value).
 */
#include <math.h>
#include <string.h>

#include "attn_internal.h"
#include "subgen_internal.h"

int sk_fano_floor_bits(double N, double accuracy, double *bits)
{
    if (!(N >= 0) || !isfinite(N)) return -1;
    if (!(accuracy >= 0 && accuracy <= 1)) return -2;
    if (!bits) return -3;
    *bits = accuracy <= 0.5 ? 0.0 : N * (1.0 - sk__h2(1.0 - accuracy));
    return 0;
}

typedef struct {
    int n, d, kind;
    double C;
    double *keys;   /* nkeys×d token-major, ±1/√d */
    double *vals;   /* nkeys×d token-major bits as doubles */
    double *q, *out, *ones;
    double maxerr;  /* max |out_ij − X_ij| over Bob's reads */
} game_t;

static void record(game_t *g, int i, unsigned char *recovered)
{
    for (int j = 0; j < g->d; ++j) {
        size_t at = (size_t)i * g->d + j;
        recovered[at] = g->out[j] > 0.5;
        double e = fabs(g->out[j] - g->vals[at]);
        if (!(e <= g->maxerr)) g->maxerr = e; /* NaN would stick (it cannot occur) */
    }
}

/* Bob's reads through a standard (or four) cache: recovered[i·d + j]. */
static int read_cache(game_t *g, sk_kvcache_t *c, int eval, int nkeys, double extra,
                      unsigned char *recovered)
{
    int d = g->d;
    for (int i = 0; i < nkeys; ++i) {
        for (int j = 0; j < d; ++j) g->q[j] = g->C * g->keys[(size_t)i * d + j];
        int st = sk__kvcache_query_extra(c, eval, g->q, extra, g->out);
        if (st) return st;
        record(g, i, recovered);
    }
    return 0;
}

int sk_index_game(int n, int d, double C, int kind, int budget, double delta,
                  int t, int s, sk_rng_t *rng, const unsigned char *bits,
                  unsigned char *recovered, double *result)
{
    if (n < 1) return -1;
    if (d < 1) return -2;
    if (!(C > 0) || !isfinite(C)) return -3;
    if (kind < SK_INDEX_EXACT || kind > SK_INDEX_SUBGEN2) return -4;
    if ((kind == SK_INDEX_EVICT || kind == SK_INDEX_WINDOW) && (budget < 1 || budget > n)) return -5;
    if (kind == SK_INDEX_SUBGEN || kind == SK_INDEX_SUBGEN4 || kind == SK_INDEX_SUBGEN2) {
        if (!(delta > 0) || !isfinite(delta)) return -6;
        if (t < 1) return -7;
        if (s < 1) return -8;
    }
    if (!rng) return -9;
    long long nkeys = kind == SK_INDEX_TWO ? (long long)n * n : n;
    if (nkeys > 0x7fffffffLL / d) return SK_ENOMEM;
    long long N = nkeys * d;
    if (!bits) return -10;
    for (long long i = 0; i < N; ++i) if (bits[i] > 1) return -10;
    if (!recovered) return -11;
    if (!result) return -12;

    game_t g = { n, d, kind, C, NULL, NULL, NULL, NULL, NULL, 0.0 };
    g.keys = sk__alloc_doubles(nkeys, d);
    g.vals = sk__alloc_doubles(nkeys, d);
    g.q = sk__alloc_doubles(d, 1);
    g.out = sk__alloc_doubles(d, 1);
    g.ones = sk__alloc_doubles(d, 1);
    sk_kvcache_t *cache = NULL;
    sk_subgen_t *sg = NULL, *sg2 = NULL;
    sk_subgen2_t *pairs = NULL;
    int *kept = NULL;
    int st = 0;
    double words = 0.0;
    if (!g.keys || !g.vals || !g.q || !g.out || !g.ones) { st = SK_ENOMEM; goto done; }
    /* Public randomness first: the JL keys. */
    st = sk_rng_rademacher(rng, (int)N, g.keys);
    if (st) goto done;
    double inv = 1.0 / sqrt((double)d);
    for (long long i = 0; i < N; ++i) {
        g.keys[i] *= inv;
        g.vals[i] = bits[i];
    }
    for (int j = 0; j < d; ++j) g.ones[j] = 1.0;

    switch (kind) {
    case SK_INDEX_EXACT:
    case SK_INDEX_WINDOW:
    case SK_INDEX_TWO: {
        int window = kind == SK_INDEX_WINDOW ? budget : SK_KV_NO_WINDOW;
        st = sk_kvcache_create(SK_KV_STANDARD, d, window, 1.0, window > 0 ? 0 : (int)nkeys, &cache);
        if (st) goto done;
        for (long long a = 0; a < nkeys && !st; ++a)
            st = sk_kvcache_append(cache, 1, g.keys + (size_t)a * d, 1, NULL, 1, g.vals + (size_t)a * d, 1, NULL, 1);
        if (st) goto done;
        double stats[SK_KVSTAT_COUNT];
        sk_kvcache_stats(cache, stats);
        words = stats[SK_KVSTAT_WORDS];
        /* Two-cache instance: Bob's token adds 2n+1 pair rows (key 0, value 0). */
        st = read_cache(&g, cache, 0, (int)nkeys, kind == SK_INDEX_TWO ? 2.0 * n + 1 : 1.0, recovered);
        break;
    }
    case SK_INDEX_EVICT: {
        /* Algorithm R: a uniform random subset of `budget` of the n tokens. */
        kept = sk__alloc_ints(budget);
        double u;
        if (!kept) { st = SK_ENOMEM; goto done; }
        for (int a = 0; a < n; ++a) {
            if (a < budget) { kept[a] = a; continue; }
            if ((st = sk_rng_uniform(rng, 1, &u))) goto done;
            long long r = (long long)(u * (a + 1));   /* uniform in [0, a] */
            if (r < budget) kept[r] = a;
        }
        st = sk_kvcache_create(SK_KV_STANDARD, d, SK_KV_NO_WINDOW, 1.0, budget, &cache);
        if (st) goto done;
        for (int r = 0; r < budget && !st; ++r)
            st = sk_kvcache_append(cache, 1, g.keys + (size_t)kept[r] * d, 1, NULL, 1,
                                   g.vals + (size_t)kept[r] * d, 1, NULL, 1);
        if (st) goto done;
        words = 2.0 * budget * d;
        st = read_cache(&g, cache, 0, n, 1.0, recovered);
        break;
    }
    case SK_INDEX_FOUR: {
        st = sk_kvcache_create(SK_KV_FOUR, d, SK_KV_NO_WINDOW, 1.0, n, &cache);
        if (st) goto done;
        for (int a = 0; a < n && !st; ++a)
            st = sk_kvcache_append(cache, 1, g.keys + (size_t)a * d, 1, g.ones, 1,
                                   g.vals + (size_t)a * d, 1, g.ones, 1);
        if (st) goto done;
        words = 4.0 * n * d;
        st = read_cache(&g, cache, SK_TENSOR_FACTORED, n, 2.0 * n + 1, recovered);
        break;
    }
    case SK_INDEX_SUBGEN: {
        st = sk_subgen_create(d, delta, t, s, &sg);
        if (st) goto done;
        for (int a = 0; a < n && !st; ++a)
            st = sk__subgen_add(sg, rng, g.keys + (size_t)a * d, g.vals + (size_t)a * d);
        if (st) goto done;
        words = sk__subgen_words(sg);
        for (int j = 0; j < d; ++j) g.ones[j] = 0.0; /* Bob's key */
        for (int i = 0; i < n && !st; ++i) {
            for (int j = 0; j < d; ++j) g.q[j] = C * g.keys[(size_t)i * d + j];
            st = sk__subgen_query_after_zero_value(sg, rng, g.ones, g.q, g.out);
            if (!st) record(&g, i, recovered);
        }
        break;
    }
    case SK_INDEX_SUBGEN4: { /* four-cache lift: (k1, v1) = (key, bits), (k2, v2) = (𝟙, 𝟙) */
        st = sk_subgen_create(d, delta, t, s, &sg);
        if (!st) st = sk_subgen_create(d, delta, t, s, &sg2);
        if (st) goto done;
        for (int a = 0; a < n && !st; ++a) {
            st = sk__subgen_add(sg, rng, g.keys + (size_t)a * d, g.vals + (size_t)a * d);
            if (!st) st = sk__subgen_add(sg2, rng, g.ones, g.ones);
        }
        if (st) goto done;
        words = sk__subgen_words(sg) + sk__subgen_words(sg2);
        double *kb = sk__alloc_doubles(d, 1); /* Bob's keys k1 = k2 = 0 */
        if (!kb) { st = SK_ENOMEM; goto done; }
        for (int j = 0; j < d; ++j) kb[j] = 0.0;
        for (int i = 0; i < n && !st; ++i) {
            for (int j = 0; j < d; ++j) g.q[j] = C * g.keys[(size_t)i * d + j];
            st = sk__subgen4_query_after_zero_value(sg, sg2, rng, kb, g.q, g.out);
            if (!st) record(&g, i, recovered);
        }
        SK_FREE(kb);
        break;
    }
    case SK_INDEX_SUBGEN2: { /* four-cache lift through SubGen on the pair tokens */
        st = sk_subgen2_create(d, delta, t, s, &pairs);
        if (st) goto done;
        for (int a = 0; a < n && !st; ++a)
            st = sk_subgen2_append(pairs, rng, 1, g.keys + (size_t)a * d, 1, g.ones, 1,
                                   g.vals + (size_t)a * d, 1, g.ones, 1);
        if (st) goto done;
        sk_subgen_t *ps = sk__subgen2_pairs(pairs);
        words = sk__subgen_words(ps);
        for (int j = 0; j < d; ++j) g.ones[j] = 0.0; /* Bob's pair keys */
        for (int i = 0; i < n && !st; ++i) {
            for (int j = 0; j < d; ++j) g.q[j] = C * g.keys[(size_t)i * d + j];
            st = sk__subgen_query_after_zero_values(ps, rng, g.ones, 2.0 * n + 1, g.q, g.out);
            if (!st) record(&g, i, recovered);
        }
        break;
    }
    }
    if (st) goto done;
    {
        long long right = 0;
        for (long long i = 0; i < N; ++i) right += recovered[i] == bits[i];
        double acc = (double)right / (double)N;
        result[0] = acc;
        result[1] = 64.0 * words;
        sk_fano_floor_bits((double)N, acc, &result[2]);
        result[3] = g.maxerr;
    }
done:
    sk_kvcache_destroy(cache);
    sk_subgen_destroy(sg);
    sk_subgen_destroy(sg2);
    sk_subgen2_destroy(pairs);
    SK_FREE(kept);
    SK_FREE(g.keys); SK_FREE(g.vals); SK_FREE(g.q); SK_FREE(g.out); SK_FREE(g.ones);
    return st;
}
