/*
 * subgen.c — SubGen (Zandieh et al. 2024, spec §3.1): greedy δ-clustering of
 * the keys with t uniform reservoir slots per cluster for the softmax
 * denominator, and s value samples ∝ ‖v‖² (the weighted reservoir) for the
 * numerator. Contract in sketchlab/attention.h.
 */
#include <math.h>
#include <string.h>

#include "attn_internal.h"
#include "subgen_internal.h"

struct sk_subgen {
    int d, t, s;
    double delta;
    long long tokens;
    int m, mcap;             /* clusters opened, allocated */
    double *mu;              /* mcap×d centres (token-major) */
    double *cnt;             /* mcap counts n_c */
    double *slots;           /* mcap×t×d uniform key slots */
    sk_reservoir_t *res;     /* value sampling: s slots ∝ ‖v‖², W = F */
    double *kt, *vt, *vn;    /* payload per value slot: key, value, ‖v‖² */
    double *u;               /* t uniforms of scratch */
    double *kbuf, *vbuf;     /* one token (d each) of scratch */
    int *replaced;           /* s flags of scratch */
};

int sk_subgen_create(int d, double delta, int t, int s, sk_subgen_t **out)
{
    if (out) *out = NULL;
    if (d < 1) return -1;
    if (!(delta > 0) || !isfinite(delta)) return -2;
    if (t < 1) return -3;
    if (s < 1) return -4;
    if (!out) return -5;
    sk_subgen_t *g = (sk_subgen_t *)SK_MALLOC(sizeof *g);
    if (!g) return SK_ENOMEM;
    memset(g, 0, sizeof *g);
    g->d = d; g->t = t; g->s = s; g->delta = delta;
    int st = sk_reservoir_create(s, &g->res);
    g->kt = sk__alloc_doubles(s, d);
    g->vt = sk__alloc_doubles(s, d);
    g->vn = sk__alloc_doubles(s, 1);
    g->u = sk__alloc_doubles(t, 1);
    g->kbuf = sk__alloc_doubles(d, 1);
    g->vbuf = sk__alloc_doubles(d, 1);
    g->replaced = sk__alloc_ints(s > t ? s : t); /* also Bob's t slot flags */
    if (st || !g->kt || !g->vt || !g->vn || !g->u || !g->kbuf || !g->vbuf || !g->replaced) {
        sk_subgen_destroy(g);
        return SK_ENOMEM;
    }
    *out = g;
    return 0;
}

void sk_subgen_destroy(sk_subgen_t *g)
{
    if (!g) return;
    sk_reservoir_destroy(g->res);
    SK_FREE(g->mu); SK_FREE(g->cnt); SK_FREE(g->slots);
    SK_FREE(g->kt); SK_FREE(g->vt); SK_FREE(g->vn); SK_FREE(g->u);
    SK_FREE(g->kbuf); SK_FREE(g->vbuf); SK_FREE(g->replaced);
    SK_FREE(g);
}

/* First cluster (in opening order) whose centre is within δ of k, or -1. */
static int find_cluster(const sk_subgen_t *g, const double *k)
{
    double r2 = g->delta * g->delta;
    for (int c = 0; c < g->m; ++c) {
        const double *mu = g->mu + (size_t)c * g->d;
        double s = 0.0;
        for (int j = 0; j < g->d; ++j) {
            double e = k[j] - mu[j];
            s += e * e;
        }
        if (s <= r2) return c;
    }
    return -1;
}

static int open_cluster(sk_subgen_t *g, const double *k)
{
    if (g->m == g->mcap) {
        long long cap = g->mcap ? 2LL * g->mcap : 8;
        if (cap > 0x7fffffffLL) return SK_ENOMEM;
        double *mu = sk__alloc_doubles(cap, g->d);
        double *cnt = sk__alloc_doubles(cap, 1);
        double *sl = sk__alloc_doubles(cap * g->t, g->d);
        if (!mu || !cnt || !sl) {
            SK_FREE(mu); SK_FREE(cnt); SK_FREE(sl);
            return SK_ENOMEM;
        }
        if (g->m) {
            memcpy(mu, g->mu, (size_t)g->m * g->d * sizeof(double));
            memcpy(cnt, g->cnt, (size_t)g->m * sizeof(double));
            memcpy(sl, g->slots, (size_t)g->m * g->t * g->d * sizeof(double));
        }
        SK_FREE(g->mu); SK_FREE(g->cnt); SK_FREE(g->slots);
        g->mu = mu; g->cnt = cnt; g->slots = sl;
        g->mcap = (int)cap;
    }
    int c = g->m++;
    memcpy(g->mu + (size_t)c * g->d, k, (size_t)g->d * sizeof(double));
    g->cnt[c] = 1;
    for (int l = 0; l < g->t; ++l)
        memcpy(g->slots + ((size_t)c * g->t + l) * g->d, k, (size_t)g->d * sizeof(double));
    return 0;
}

int sk__subgen_add(sk_subgen_t *g, sk_rng_t *rng, const double *k, const double *v)
{
    int d = g->d;
    int c = find_cluster(g, k);
    if (c >= 0) {
        /* t independent uniform reservoirs of the cluster's keys. */
        g->cnt[c] += 1;
        int st = sk_rng_uniform(rng, g->t, g->u);
        if (st) return st;
        double p = 1.0 / g->cnt[c];
        for (int l = 0; l < g->t; ++l)
            if (g->u[l] < p) memcpy(g->slots + ((size_t)c * g->t + l) * d, k, (size_t)d * sizeof(double));
    } else {
        int st = open_cluster(g, k);
        if (st) return st;
    }
    double w = 0.0;
    for (int j = 0; j < d; ++j) w += v[j] * v[j];
    int st = sk_reservoir_add(g->res, rng, g->tokens, w, g->replaced);
    if (st) return st;
    for (int l = 0; l < g->s; ++l) {
        if (!g->replaced[l]) continue;
        memcpy(g->kt + (size_t)l * d, k, (size_t)d * sizeof(double));
        memcpy(g->vt + (size_t)l * d, v, (size_t)d * sizeof(double));
        g->vn[l] = w;
    }
    g->tokens++;
    return 0;
}

int sk_subgen_append(sk_subgen_t *g, sk_rng_t *rng, int count,
                     const double *K, int ldk, const double *V, int ldv)
{
    if (!g) return -1;
    if (!rng) return -2;
    if (count < 0) return -3;
    if (count == 0) return 0;
    if (!K) return -4;
    if (ldk < count) return -5;
    if (!V) return -6;
    if (ldv < count) return -7;
    int d = g->d;
    if (!sk_all_finite(count, d, K, ldk) || !sk_all_finite(count, d, V, ldv)) return SK_ENONFINITE;
    for (int r = 0; r < count; ++r) {
        for (int j = 0; j < d; ++j) {
            g->kbuf[j] = SK__AT(K, ldk, r, j);
            g->vbuf[j] = SK__AT(V, ldv, r, j);
        }
        int st = sk__subgen_add(g, rng, g->kbuf, g->vbuf);
        if (st) return st;
    }
    return 0;
}

static double dot(int d, const double *x, const double *y)
{
    double s = 0.0;
    for (int j = 0; j < d; ++j) s += x[j] * y[j];
    return s;
}

/* The estimates with an optional replacement of cluster cb's slots (bob_slot[l]
 * = 1: slot l holds kb instead), count bump, or a new cluster (cb = -2) of kb.
 * All exponentials are shifted by the largest exponent M (log domain); the
 * shifted Ẑ', N̂' are returned with M. */
static void estimate(const sk_subgen_t *g, const double *q, int cb, const int *bob_slot,
                     const double *kb, double kadd, double *zs, double *ns, double *M)
{
    int d = g->d, t = g->t;
    double mx = -INFINITY;
    for (int c = 0; c < g->m; ++c)
        for (int l = 0; l < t; ++l) {
            double e = dot(d, g->slots + ((size_t)c * t + l) * d, q);
            if (e > mx) mx = e;
        }
    double F = 0.0;
    sk_reservoir_total(g->res, &F);
    if (F > 0)
        for (int l = 0; l < g->s; ++l) {
            double e = dot(d, g->kt + (size_t)l * d, q);
            if (e > mx) mx = e;
        }
    double eb = kb ? dot(d, kb, q) : -INFINITY;
    if (eb > mx) mx = eb;
    double Z = 0.0;
    for (int c = 0; c < g->m; ++c) {
        double sum = 0.0, n = g->cnt[c] + (c == cb ? kadd : 0);
        for (int l = 0; l < t; ++l) {
            double e = c == cb && bob_slot[l] ? eb : dot(d, g->slots + ((size_t)c * t + l) * d, q);
            sum += exp(e - mx);
        }
        Z += n / t * sum;
    }
    if (cb == -2) Z += kadd * exp(eb - mx); /* new cluster: n = kadd, t slots of kb */
    for (int j = 0; j < d; ++j) ns[j] = 0.0;
    if (F > 0)
        for (int l = 0; l < g->s; ++l) {
            double w = exp(dot(d, g->kt + (size_t)l * d, q) - mx) / g->vn[l];
            for (int j = 0; j < d; ++j) ns[j] += w * g->vt[(size_t)l * d + j];
        }
    for (int j = 0; j < d; ++j) ns[j] *= F / g->s;
    *zs = Z;
    *M = mx;
}

int sk_subgen_query(const sk_subgen_t *g, const double *q, double *out, double *zhat, double *nhat)
{
    if (!g) return -1;
    if (!q) return -2;
    if (!out) return -3;
    if (g->tokens == 0) return SK_EINVAL;
    for (int j = 0; j < g->d; ++j) if (!isfinite(q[j])) return SK_ENONFINITE;
    double zs, M;
    estimate(g, q, -1, NULL, NULL, 0.0, &zs, out, &M);
    double scale = exp(M);
    if (nhat) for (int j = 0; j < g->d; ++j) nhat[j] = out[j] * scale;
    if (zhat) *zhat = zs * scale;
    for (int j = 0; j < g->d; ++j) out[j] /= zs;
    return sk__finite_vec(g->d, out) ? 0 : SK_ATTN_ERANGE; /* beyond the double range (attn_internal.h) */
}

/* Bob's k zero-value tokens of key kb, drawn into a view of g without
 * changing g: they join the first cluster within δ of kb (count + k; each
 * slot, a uniform reservoir, ends up holding one of them with probability
 * k/(n_c + k): t uniforms from rng) or open one (count k, every slot kb; the
 * later ones join it, as no earlier centre is within δ). Zero values never
 * enter the value reservoir. */
static int zero_view(const sk_subgen_t *g, sk_rng_t *rng, const double *kb, double k, int *cb)
{
    *cb = find_cluster(g, kb);
    if (*cb < 0) { *cb = -2; return 0; }
    int st = sk_rng_uniform(rng, g->t, g->u);
    if (st) return st;
    double p = k / (g->cnt[*cb] + k);
    for (int l = 0; l < g->t; ++l) g->replaced[l] = g->u[l] < p;
    return 0;
}

int sk__subgen_query_after_zero_values(const sk_subgen_t *g, sk_rng_t *rng, const double *kb,
                                       double k, const double *q, double *out)
{
    int cb;
    int st = zero_view(g, rng, kb, k, &cb);
    if (st) return st;
    double zs, M;
    estimate(g, q, cb, g->replaced, kb, k, &zs, out, &M);
    for (int j = 0; j < g->d; ++j) out[j] /= zs;
    return sk__finite_vec(g->d, out) ? 0 : SK_ATTN_ERANGE; /* beyond the double range (attn_internal.h) */
}

int sk__subgen_query_after_zero_value(const sk_subgen_t *g, sk_rng_t *rng, const double *kb,
                                      const double *q, double *out)
{
    return sk__subgen_query_after_zero_values(g, rng, kb, 1.0, q, out);
}

double sk__subgen_words(const sk_subgen_t *g)
{
    double m = g->m, d = g->d;
    return m * (g->t + 1) * d + m + g->s * (2 * d + 1) + 1;
}

int sk_subgen_stats(const sk_subgen_t *g, double *s)
{
    if (!g) return -1;
    if (!s) return -2;
    double w = sk__subgen_words(g);
    s[0] = (double)g->tokens;
    s[1] = g->m;
    s[2] = w;
    s[3] = 8 * w;
    s[4] = 64 * w;
    return 0;
}

/* ⟨q, x ∘ y⟩ */
static double dot3(int d, const double *q, const double *x, const double *y)
{
    double s = 0.0;
    for (int j = 0; j < d; ++j) s += q[j] * x[j] * y[j];
    return s;
}

/* One factor's clusters, optionally with Bob's zero-value token drawn in
 * (zero_view): cluster c < m is g's (count + kadd if c == cb, slot l = kb if
 * bob[l]); c == m is the new cluster of kb when cb == -2. */
typedef struct {
    const sk_subgen_t *g;
    int cb;
    const int *bob;
    const double *kb;
    double kadd;
} view_t;

static int view_m(const view_t *v) { return v->g->m + (v->cb == -2); }
static double view_cnt(const view_t *v, int c)
{
    return c == v->g->m ? v->kadd : v->g->cnt[c] + (c == v->cb ? v->kadd : 0.0);
}
static const double *view_slot(const view_t *v, int c, int l)
{
    if (c == v->g->m || (c == v->cb && v->bob[l])) return v->kb;
    return v->g->slots + ((size_t)c * v->g->t + l) * v->g->d;
}

static void subgen4_estimate(const view_t *v1, const view_t *v2, const double *q,
                             double *out, double *zhat, double *nhat)
{
    const sk_subgen_t *g1 = v1->g, *g2 = v2->g;
    int d = g1->d, t = g1->t, s = g1->s, m1 = view_m(v1), m2 = view_m(v2);
    double F1 = 0.0, F2 = 0.0;
    sk_reservoir_total(g1->res, &F1);
    sk_reservoir_total(g2->res, &F2);
    /* Pass 1: the largest exponent (log-domain shift). */
    double mx = -INFINITY;
    for (int c1 = 0; c1 < m1; ++c1)
        for (int c2 = 0; c2 < m2; ++c2)
            for (int l = 0; l < t; ++l) {
                double e = dot3(d, q, view_slot(v1, c1, l), view_slot(v2, c2, l));
                if (e > mx) mx = e;
            }
    int num = F1 > 0 && F2 > 0;
    if (num)
        for (int l = 0; l < s; ++l) {
            double e = dot3(d, q, g1->kt + (size_t)l * d, g2->kt + (size_t)l * d);
            if (e > mx) mx = e;
        }
    double Z = 0.0;
    for (int c1 = 0; c1 < m1; ++c1)
        for (int c2 = 0; c2 < m2; ++c2) {
            double sum = 0.0;
            for (int l = 0; l < t; ++l)
                sum += exp(dot3(d, q, view_slot(v1, c1, l), view_slot(v2, c2, l)) - mx);
            Z += view_cnt(v1, c1) * view_cnt(v2, c2) / t * sum;
        }
    for (int j = 0; j < d; ++j) out[j] = 0.0;
    if (num)
        for (int l = 0; l < s; ++l) {
            const double *k1 = g1->kt + (size_t)l * d, *k2 = g2->kt + (size_t)l * d;
            const double *a = g1->vt + (size_t)l * d, *b = g2->vt + (size_t)l * d;
            double w = exp(dot3(d, q, k1, k2) - mx) / (g1->vn[l] * g2->vn[l]);
            for (int j = 0; j < d; ++j) out[j] += w * a[j] * b[j];
        }
    double scale = exp(mx);
    for (int j = 0; j < d; ++j) {
        out[j] *= F1 * F2 / s;
        if (nhat) nhat[j] = out[j] * scale;
        out[j] /= Z;
    }
    if (zhat) *zhat = Z * scale;
}

int sk_subgen4_query(const sk_subgen_t *g1, const sk_subgen_t *g2, const double *q,
                     double *out, double *zhat, double *nhat)
{
    if (!g1) return -1;
    if (!g2) return -2;
    if (!q) return -3;
    if (!out) return -4;
    if (g1->d != g2->d || g1->t != g2->t || g1->s != g2->s || g1->tokens != g2->tokens) return SK_EINVAL;
    if (g1->tokens == 0) return SK_EINVAL;
    for (int j = 0; j < g1->d; ++j) if (!isfinite(q[j])) return SK_ENONFINITE;
    view_t v1 = { g1, -1, NULL, NULL, 0.0 }, v2 = { g2, -1, NULL, NULL, 0.0 };
    subgen4_estimate(&v1, &v2, q, out, zhat, nhat);
    return sk__finite_vec(g1->d, out) ? 0 : SK_ATTN_ERANGE; /* beyond the double range (attn_internal.h) */
}

int sk__subgen4_query_after_zero_value(const sk_subgen_t *g1, const sk_subgen_t *g2, sk_rng_t *rng,
                                       const double *kb, const double *q, double *out)
{
    view_t v1 = { g1, -1, g1->replaced, kb, 1.0 }, v2 = { g2, -1, g2->replaced, kb, 1.0 };
    int st = zero_view(g1, rng, kb, 1.0, &v1.cb);
    if (!st) st = zero_view(g2, rng, kb, 1.0, &v2.cb);
    if (st) return st;
    subgen4_estimate(&v1, &v2, q, out, NULL, NULL);
    return sk__finite_vec(g1->d, out) ? 0 : SK_ATTN_ERANGE; /* beyond the double range (attn_internal.h) */
}
