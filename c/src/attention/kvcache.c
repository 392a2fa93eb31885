/*
 * kvcache.c — KV caches that grow one token at a time: standard (K, V),
 * tensor four-cache (K1, K2, V1, V2) and two-cache (K1⊘K2, V1⊘V2 in shell
 * order), unbounded or as causal sliding windows (ring buffers), with the
 * counters of spec §2.2/§2.4. Contract in sketchlab/attention.h.
 */
#include <math.h>
#include <string.h>

#include "attn_internal.h"

struct sk_kvcache {
    int kind, d, window;   /* window = SK_KV_NO_WINDOW or >= 1 */
    double scale;
    long long tokens;      /* appended so far */
    int cap;               /* token slots allocated (== window if windowed) */
    double *F[4];          /* factor rows, token-major: K1,K2,V1,V2 (standard: F[0]=K, F[2]=V) */
    double *PK, *PV;       /* two-cache pair rows, cap² each, shell order */
    double *qs;            /* d scratch: scale·q */
    double last_append, last_query, last_work, total_append, total_query;
};

/* Row of the pair of slots (x, y) in shell order (spec §2.4, 0-based):
 * shell s = max(x, y) occupies rows [s², (s+1)²); (s, y) at s² + y for y <= s,
 * (x, s) at s² + s + 1 + x for x < s. A bijection of [0,c)² onto [0, c²) for
 * every c, so growing the cache never moves a row. */
static size_t shell_row(long long x, long long y)
{
    long long s = x > y ? x : y;
    return (size_t)(s * s + (x == s ? y : s + 1 + x));
}

static int factor_count(int kind) { return kind == SK_KV_STANDARD ? 2 : 4; }
static int factor_used(int kind, int i) { return kind != SK_KV_STANDARD || i == 0 || i == 2; }

static long long held(const sk_kvcache_t *c)
{
    return c->window > 0 && c->tokens > c->window ? c->window : c->tokens;
}

static long long slot_of(const sk_kvcache_t *c, long long token)
{
    return c->window > 0 ? token % c->window : token;
}

/* Allocate storage for `cap` token slots and move what is held. */
static int grow(sk_kvcache_t *c, int cap)
{
    double *F[4] = { NULL, NULL, NULL, NULL }, *PK = NULL, *PV = NULL;
    int ok = 1;
    /* The pair rows first: the largest block, and the one whose size can
     * overflow size_t, so an impossible request fails before any malloc. */
    if (c->kind == SK_KV_TWO) {
        PK = sk__alloc_doubles((long long)cap * cap, c->d);
        PV = PK ? sk__alloc_doubles((long long)cap * cap, c->d) : NULL;
        if (!PK || !PV) ok = 0;
    }
    for (int i = 0; i < 4 && ok; ++i)
        if (factor_used(c->kind, i) && !(F[i] = sk__alloc_doubles(cap, c->d))) ok = 0;
    if (!ok) {
        for (int i = 0; i < 4; ++i) SK_FREE(F[i]);
        SK_FREE(PK); SK_FREE(PV);
        return SK_ENOMEM;
    }
    /* Only unbounded caches grow after holding tokens: slots are token indices. */
    long long m = held(c);
    for (int i = 0; i < 4; ++i) {
        if (F[i] && c->F[i] && m) memcpy(F[i], c->F[i], (size_t)m * c->d * sizeof(double));
        SK_FREE(c->F[i]);
        c->F[i] = F[i];
    }
    if (c->kind == SK_KV_TWO) {
        if (c->PK && m) {
            memcpy(PK, c->PK, (size_t)(m * m) * c->d * sizeof(double));
            memcpy(PV, c->PV, (size_t)(m * m) * c->d * sizeof(double));
        }
        SK_FREE(c->PK); SK_FREE(c->PV);
        c->PK = PK; c->PV = PV;
    }
    c->cap = cap;
    return 0;
}

int sk_kvcache_create(int kind, int d, int window, double scale, int capacity, sk_kvcache_t **cache)
{
    if (cache) *cache = NULL;
    if (kind < SK_KV_STANDARD || kind > SK_KV_TWO) return -1;
    if (d < 1) return -2;
    if (window < 1 && window != SK_KV_NO_WINDOW) return -3;
    if (!isfinite(scale)) return -4;
    if (capacity < 0) return -5;
    if (!cache) return -6;
    sk_kvcache_t *c = (sk_kvcache_t *)SK_MALLOC(sizeof *c);
    if (!c) return SK_ENOMEM;
    memset(c, 0, sizeof *c);
    c->kind = kind; c->d = d; c->window = window; c->scale = scale;
    c->qs = sk__alloc_doubles(d, 1);
    int st = c->qs ? 0 : SK_ENOMEM;
    int cap = window > 0 ? window : capacity;
    if (!st && cap > 0) st = grow(c, cap);
    if (st) {
        sk_kvcache_destroy(c);
        return st;
    }
    *cache = c;
    return 0;
}

void sk_kvcache_destroy(sk_kvcache_t *c)
{
    if (!c) return;
    for (int i = 0; i < 4; ++i) SK_FREE(c->F[i]);
    SK_FREE(c->PK); SK_FREE(c->PV); SK_FREE(c->qs);
    SK_FREE(c);
}

int sk_kvcache_bytes_needed(int kind, int d, int window, double tokens, double *bytes)
{
    if (kind < SK_KV_STANDARD || kind > SK_KV_TWO) return -1;
    if (d < 1) return -2;
    if (window < 1 && window != SK_KV_NO_WINDOW) return -3;
    if (!(tokens >= 0) || !isfinite(tokens)) return -4;
    if (!bytes) return -5;
    double m = window > 0 && tokens > window ? window : tokens;
    double words = kind == SK_KV_STANDARD ? 2 * m * d
                 : kind == SK_KV_FOUR ? 4 * m * d : 2 * m * m * d + 4 * m * d;
    *bytes = 8 * words;
    return 0;
}

int sk_kvcache_append(sk_kvcache_t *c, int count,
                      const double *K1, int ldk1, const double *K2, int ldk2,
                      const double *V1, int ldv1, const double *V2, int ldv2)
{
    if (!c) return -1;
    if (count < 0) return -2;
    if (count == 0) return 0;
    int tensor = c->kind != SK_KV_STANDARD, d = c->d;
    if (!K1) return -3;
    if (ldk1 < count) return -4;
    if (tensor && !K2) return -5;
    if (tensor && ldk2 < count) return -6;
    if (!V1) return -7;
    if (ldv1 < count) return -8;
    if (tensor && !V2) return -9;
    if (tensor && ldv2 < count) return -10;
    if (!sk_all_finite(count, d, K1, ldk1) || !sk_all_finite(count, d, V1, ldv1) ||
        (tensor && (!sk_all_finite(count, d, K2, ldk2) || !sk_all_finite(count, d, V2, ldv2))))
        return SK_ENONFINITE;
    if (c->tokens + count > 0x7fffffffLL) return SK_ENOMEM;
    if (c->window < 0 && c->tokens + count > c->cap) {
        /* Geometric growth; the two-cache's storage is quadratic in tokens, so
         * it grows its token capacity by ~√2 (memory ×2), not ×2 (memory ×4). */
        long long grown = c->kind == SK_KV_TWO ? c->cap + c->cap / 2 - c->cap / 12 : 2LL * c->cap;
        long long want = SK__MAX(grown, c->tokens + count);
        if (want < 16) want = 16;
        if (want > 0x7fffffffLL) want = 0x7fffffffLL;
        int st = grow(c, (int)want);
        if (st && want > c->tokens + count) st = grow(c, (int)(c->tokens + count));
        if (st) return st;
    }
    const double *src[4] = { K1, K2, V1, V2 };
    int lds[4] = { ldk1, ldk2, ldv1, ldv2 };
    for (int r = 0; r < count; ++r) {
        long long t = c->tokens, st = slot_of(c, t);
        for (int i = 0; i < 4; ++i) {
            if (!factor_used(c->kind, i)) continue;
            double *dst = c->F[i] + (size_t)st * d;
            for (int j = 0; j < d; ++j) dst[j] = SK__AT(src[i], lds[i], r, j);
        }
        c->tokens = t + 1;
        double ops = (double)factor_count(c->kind) * d;
        if (c->kind == SK_KV_TWO) {
            /* The 2m−1 new pairs (new, b) and (b, new) over the m tokens held
             * (ring slots 0..m−1), each a k- and a v-row: 2(2m−1)d mults. */
            long long m = held(c);
            const double *k1n = c->F[0] + (size_t)st * d, *k2n = c->F[1] + (size_t)st * d;
            const double *v1n = c->F[2] + (size_t)st * d, *v2n = c->F[3] + (size_t)st * d;
            for (long long b = 0; b < m; ++b) {
                const double *k1b = c->F[0] + (size_t)b * d, *k2b = c->F[1] + (size_t)b * d;
                const double *v1b = c->F[2] + (size_t)b * d, *v2b = c->F[3] + (size_t)b * d;
                double *pk = c->PK + shell_row(st, b) * d, *pv = c->PV + shell_row(st, b) * d;
                for (int j = 0; j < d; ++j) { pk[j] = k1n[j] * k2b[j]; pv[j] = v1n[j] * v2b[j]; }
                if (b == st) continue;
                pk = c->PK + shell_row(b, st) * d; pv = c->PV + shell_row(b, st) * d;
                for (int j = 0; j < d; ++j) { pk[j] = k1b[j] * k2n[j]; pv[j] = v1b[j] * v2n[j]; }
            }
            ops = 2.0 * (2.0 * m - 1.0) * d;
        }
        c->last_append = ops;
        c->total_append += ops;
    }
    return 0;
}

int sk_kvcache_query(sk_kvcache_t *c, int eval, const double *q, double *out)
{
    return sk__kvcache_query_extra(c, eval, q, 0.0, out);
}

int sk__kvcache_query_extra(sk_kvcache_t *c, int eval, const double *q, double extra, double *out)
{
    if (!c) return -1;
    if (c->kind == SK_KV_FOUR && (eval < SK_TENSOR_NAIVE || eval > SK_TENSOR_STREAMING)) return -2;
    if (c->kind == SK_KV_TWO && eval != SK_TENSOR_TWO_CACHE) return -2;
    if (!q) return -3;
    if (!out) return -4;
    if (c->tokens == 0) return SK_EINVAL;
    int d = c->d;
    for (int j = 0; j < d; ++j) {
        if (!isfinite(q[j])) return SK_ENONFINITE;
        c->qs[j] = c->scale * q[j];
    }
    long long m = held(c);
    double madds = 0.0, work = 0.0;
    int st = 0;
    if (c->kind == SK_KV_FOUR) {
        if (eval == SK_TENSOR_NAIVE)
            st = sk__tensor_naive((int)m, d, c->qs, c->F[0], c->F[1], c->F[2], c->F[3], extra, out, &madds, &work);
        else if (eval == SK_TENSOR_FACTORED)
            st = sk__tensor_factored((int)m, d, c->qs, c->F[0], c->F[1], c->F[2], c->F[3], extra, out, &madds, &work);
        else
            st = sk__tensor_streaming((int)m, d, c->qs, c->F[0], c->F[1], c->F[2], c->F[3], extra, out, &madds, &work);
    } else {
        long long N = c->kind == SK_KV_TWO ? m * m : m;
        const double *K = c->kind == SK_KV_TWO ? c->PK : c->F[0];
        const double *V = c->kind == SK_KV_TWO ? c->PV : c->F[2];
        double *lg = sk__alloc_doubles(N, 1);
        if (!lg) return SK_ENOMEM;
        sk__attn_rows(N, d, c->qs, K, V, extra, lg, out, &madds);
        work = (double)N;
        SK_FREE(lg);
        /* a logit or Σ p·v beyond the double range: the scale-safe evaluation
         * (a two-cache's overflowed k1∘k2 rows stay SK_ATTN_ERANGE) */
        if (!sk__finite_vec(d, out)) st = sk__attn_rows_scaled(N, d, c->qs, K, V, extra, out);
    }
    if (st) return st;
    if (!sk__finite_vec(d, out)) return SK_ATTN_ERANGE; /* beyond the double range (attn_internal.h) */
    c->last_query = madds;
    c->last_work = work;
    c->total_query += madds;
    return 0;
}

int sk_kvcache_stats(const sk_kvcache_t *c, double *s)
{
    if (!c) return -1;
    if (!s) return -2;
    double m = (double)held(c), d = c->d;
    double words = c->kind == SK_KV_STANDARD ? 2 * m * d : c->kind == SK_KV_FOUR ? 4 * m * d : 2 * m * m * d;
    s[SK_KVSTAT_TOKENS] = (double)c->tokens;
    s[SK_KVSTAT_WORDS] = words;
    s[SK_KVSTAT_BYTES] = 8 * words;
    s[SK_KVSTAT_BITS] = 64 * words;
    s[SK_KVSTAT_AUX_WORDS] = c->kind == SK_KV_TWO ? 4 * m * d : 0;
    s[SK_KVSTAT_APPEND_OPS] = c->last_append;
    s[SK_KVSTAT_QUERY_OPS] = c->last_query;
    s[SK_KVSTAT_WORK_WORDS] = c->last_work;
    s[SK_KVSTAT_TOTAL_APPEND_OPS] = c->total_append;
    s[SK_KVSTAT_TOTAL_QUERY_OPS] = c->total_query;
    return 0;
}

int sk_kvcache_rows(const sk_kvcache_t *c, int which, int paper_order, double *A, int lda)
{
    if (!c) return -1;
    if (which < 0 || which > 3 || (c->kind != SK_KV_FOUR && (which == 1 || which == 3))) return -2;
    if (paper_order != 0 && paper_order != 1) return -3;
    long long m = held(c);
    long long rows = c->kind == SK_KV_TWO ? m * m : m;
    if (!A && rows > 0) return -4;
    if (lda < SK__MAX(1, rows)) return -5;
    int d = c->d;
    long long first = c->tokens - m; /* oldest token held */
    if (c->kind == SK_KV_TWO) {
        const double *P = which == 0 ? c->PK : c->PV;
        for (long long r = 0; r < rows; ++r) {
            size_t src = (size_t)r;
            if (paper_order) {
                long long a = r / m, b = r % m;
                src = shell_row(slot_of(c, first + a), slot_of(c, first + b));
            }
            for (int j = 0; j < d; ++j) SK__AT(A, lda, r, j) = P[src * d + j];
        }
        return 0;
    }
    for (long long r = 0; r < rows; ++r) {
        const double *src = c->F[which] + (size_t)slot_of(c, first + r) * d;
        for (int j = 0; j < d; ++j) SK__AT(A, lda, r, j) = src[j];
    }
    return 0;
}

const double *sk__kvcache_factor(const sk_kvcache_t *c, int i)
{
    return c->F[i];
}
