/* l2sampler.c — the precision-sampling ℓ2 sampler (JST11 / AKO; seed paper
 * Algorithm 1; spec §1.3) with its exact-oracle and exponential-race
 * reference variants and a glass-box record per query. */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "mathfn.h"
#include "prescale.h"
#include "stream_internal.h"
#include "batch.h"
#include "cs_kernel.h"

void sk__topk_insert(int *idx, double *val, int *cnt, int k, int i, double v)
{
    double a = fabs(v);
    int pos = *cnt;
    if (pos == k) {
        if (!(a > fabs(val[k - 1]))) return; /* ties keep the lower index */
        pos = k - 1;
    } else {
        (*cnt)++;
    }
    while (pos > 0 && a > fabs(val[pos - 1])) { idx[pos] = idx[pos - 1]; val[pos] = val[pos - 1]; pos--; }
    idx[pos] = i; val[pos] = v;
}

int sk__work_init(sk__qwork *w, long long N, int R, int b, int m)
{
    (void)N;
    memset(w, 0, sizeof *w);
    w->tail = sk__alloc_doubles(R, b);
    w->med = sk__alloc_doubles(2 * m + SK__MAX_ROWS, 1);
    w->heavy = sk__alloc_ints(m);
    w->dwork = sk__alloc_doubles(R, SK__BLK);
    w->net = (sk__decode *)SK_MALLOC(sizeof(sk__decode));
    if (!w->tail || !w->med || !w->heavy || !w->dwork || !w->net) { sk__work_free(w); return SK_ENOMEM; }
    sk__decode_init(w->net, R);
    return 0;
}

void sk__work_free(sk__qwork *w)
{
    SK_FREE(w->tail); SK_FREE(w->med); SK_FREE(w->heavy); SK_FREE(w->dwork); SK_FREE(w->net);
    memset(w, 0, sizeof *w);
}

void sk__limits(int rule, double eps, int m, long long N, double c, double r, double *tail_lim, double *peak_lim)
{
    if (rule == SK_L2S_PAPER) {
        double L = sqrt(c * log((double)(N > 2 ? N : 2)) / eps) * r;
        *tail_lim = L; *peak_lim = L;
    } else {
        *tail_lim = sqrt(eps * m) * r;
        *peak_lim = r / sqrt(eps);
    }
}

static void rec_clear(double *rec)
{
    for (int t = 0; t < SK_L2S_REC_LEN; t++) rec[t] = 0;
    rec[SK_L2S_REC_INDEX] = -1;
}

/* e < 0 when the largest |entry| of a and b (n_a, n_b entries) is nonzero and
 * below 2^-256 (largest in [1/2, 1)·2^e), else 0: squares of numbers in
 * 2^±256 and their sums stay normal (SK__PRESCALE_SAFE_EXP, prescale.h). */
static int tiny_exponent(const double *a, size_t n_a, const double *b, size_t n_b)
{
    double mx = 0;
    for (size_t q = 0; q < n_a; q++) mx = fabs(a[q]) > mx ? fabs(a[q]) : mx;
    for (size_t q = 0; q < n_b; q++) mx = fabs(b[q]) > mx ? fabs(b[q]) : mx;
    int e = 0;
    if (mx > 0) (void)frexp(mx, &e);
    return e < -SK__PRESCALE_SAFE_EXP ? e : 0;
}

void sk__l2_query(const sk__view *z, const sk__view *y, const sk_hash_t *u, long long N,
                  double eps, int m, int rule, double c, sk__qwork *w, double *rec)
{
    int R = z->R, b = z->b;
    double *med = w->med;
    /* decode ẑ over the universe, keep the m largest |ẑ| */
    double *hv = med + SK__MAX_ROWS;
    int cnt = 0;
    if (z->loc == sk__cs_loc && N <= 0x80000000LL) {
        /* A plain CountSketch over keys < 2^31: blocks of keys hashed per row
         * without per-key calls, medians by the network (cs_kernel.c). */
        const sk__cs *cs = (const sk__cs *)z->ctx;
        double e[SK__BLK];
        for (long long k0 = 0; k0 < N; k0 += SK__BLK) {
            int nb = N - k0 < SK__BLK ? (int)(N - k0) : SK__BLK;
            sk__cs_decode_block(cs, w->net, (uint32_t)k0, nb, e, w->dwork);
            for (int q = 0; q < nb; q++) sk__topk_insert(w->heavy, hv, &cnt, m, (int)k0 + q, e[q]);
        }
    } else {
        for (long long key = 0; key < N; key++) {
            for (int r = 0; r < R; r++) {
                int cb; double sg;
                z->loc(z->ctx, r, (uint64_t)key, &cb, &sg);
                med[r] = sg * z->C[(size_t)r * b + cb];
            }
            double e = sk__median(med, R) + 0.0;  /* -0 as +0, like the blocked decode */
            sk__topk_insert(w->heavy, hv, &cnt, m, (int)key, e);
        }
    }
    int istar = w->heavy[0];
    double zs = hv[0];  /* the largest |ẑ| comes first */
    /* Tiny tables (largest counter below 2^-256): squared counters would be
     * subnormal or 0, r and s would collapse and every query FAIL although
     * the sampled index does not depend on y's scale. Work on 2^-e·tables
     * instead (exact: a power of two scaling up), the tests being scale
     * invariant; the record's r, s and limits go back to y's units. Tables
     * in range are not touched, so their results are bit for bit as before. */
    size_t rb = (size_t)R * b;
    int e = tiny_exponent(z->C, rb, y->C, rb);
    double f1 = ldexp(1.0, -e / 2), f2 = ldexp(1.0, -e - (-e / 2));
    double zs_s = (zs * f1) * f2;
    for (size_t q = 0; q < rb; q++) w->tail[q] = (y->C[q] * f1) * f2;
    double rr = sqrt(sk__table_f2(w->tail, R, b, med));
    /* tail: subtract the heavy part from a copy of the z-table (linearity) */
    for (size_t q = 0; q < rb; q++) w->tail[q] = (z->C[q] * f1) * f2;
    for (int t = 0; t < cnt; t++) {
        double hs = (hv[t] * f1) * f2;
        for (int r = 0; r < R; r++) {
            int cb; double sg;
            z->loc(z->ctx, r, (uint64_t)w->heavy[t], &cb, &sg);
            w->tail[(size_t)r * b + cb] -= sg * hs;
        }
    }
    double s = sqrt(sk__table_f2(w->tail, R, b, med));
    double tl, pl;
    sk__limits(rule, eps, m, N, 1.0, rr, &tl, &pl);
    double ui = sk__hash_unit(u, (uint64_t)istar);
    int fail = SK_L2S_OK;
    if (s > tl) fail = SK_L2S_FAIL_TAIL;
    else if (!(fabs(zs_s) >= pl) || rr == 0) fail = SK_L2S_FAIL_THRESHOLD;
    rec[SK_L2S_REC_INDEX] = fail ? -1 : istar;
    rec[SK_L2S_REC_VALUE] = fail ? 0 : zs * sqrt(ui);
    rec[SK_L2S_REC_FAIL] = fail;
    rec[SK_L2S_REC_ISTAR] = istar;
    rec[SK_L2S_REC_U] = ui;
    rec[SK_L2S_REC_ZHAT] = zs;
    rec[SK_L2S_REC_R] = ldexp(rr, e);
    rec[SK_L2S_REC_S] = ldexp(s, e);
    rec[SK_L2S_REC_TAIL_LIMIT] = ldexp(tl, e);
    rec[SK_L2S_REC_PEAK_LIMIT] = ldexp(pl, e);
}

/* Exact oracle (accept iff exactly one |z_i| >= peak) and exponential race. */
static void exact_query(sk_l2s_t *s, int k, double *rec)
{
    const sk_hash_t *u = &s->rep[k].u;
    /* A tiny y (largest |y_i| below 2^-256) is worked on as 2^-e·y, exactly:
     * its squares would be subnormal or 0 (see sk__l2_query). */
    int e = tiny_exponent(s->yex, (size_t)s->n, NULL, 0);
    double f1 = ldexp(1.0, -e / 2), f2 = ldexp(1.0, -e - (-e / 2));
    double Y2 = 0;
    for (int i = 0; i < s->n; i++) { double yi = (s->yex[i] * f1) * f2; Y2 += yi * yi; }
    double r = sqrt(Y2), tl, pl;
    sk__limits(s->rule, s->eps, s->m, s->n, 1.0, r, &tl, &pl);
    int istar = 0, passed = 0;
    double best = -1;
    for (int i = 0; i < s->n; i++) {
        double ui = sk__hash_unit(u, (uint64_t)i), yi = (s->yex[i] * f1) * f2, key;
        if (s->oracle == SK_L2S_RACE) {
            key = yi * yi / (-sk__log(ui));     /* y_i² / E_i */
        } else {
            key = fabs(yi) / sqrt(ui);
            if (yi * yi >= ui * pl * pl && yi != 0) passed++;
        }
        if (key > best) { best = key; istar = i; }
    }
    double ui = sk__hash_unit(u, (uint64_t)istar);
    int fail = SK_L2S_OK;
    if (s->oracle == SK_L2S_RACE) {
        if (Y2 == 0) fail = SK_L2S_FAIL_THRESHOLD;
        tl = pl = NAN;
    } else if (passed == 0) {
        fail = SK_L2S_FAIL_THRESHOLD;
    } else if (passed > 1) {
        fail = SK_L2S_FAIL_TAIL;
    }
    rec[SK_L2S_REC_INDEX] = fail ? -1 : istar;
    rec[SK_L2S_REC_VALUE] = fail ? 0 : s->yex[istar];
    rec[SK_L2S_REC_FAIL] = fail;
    rec[SK_L2S_REC_ISTAR] = istar;
    rec[SK_L2S_REC_U] = ui;
    rec[SK_L2S_REC_ZHAT] = s->yex[istar] / sqrt(ui);
    rec[SK_L2S_REC_R] = ldexp(r, e);
    rec[SK_L2S_REC_S] = s->oracle == SK_L2S_RACE ? NAN : passed;
    rec[SK_L2S_REC_TAIL_LIMIT] = ldexp(tl, e);
    rec[SK_L2S_REC_PEAK_LIMIT] = ldexp(pl, e);
}

void sk__l2s_rep_query(sk_l2s_t *s, int k, double *rec)
{
    if (s->oracle != SK_L2S_SKETCH) { exact_query(s, k, rec); return; }
    sk__view z = { s->R, s->b, s->rep[k].z.C, sk__cs_loc, &s->rep[k].z };
    sk__view y = { s->R, s->b, s->rep[k].y.C, sk__cs_loc, &s->rep[k].y };
    sk__l2_query(&z, &y, &s->rep[k].u, s->n, s->eps, s->m, s->rule, 1.0, &s->w, rec);
}

void sk__l2s_run(sk_l2s_t *s, double *rec)
{
    int ntail = 0, nthr = 0, k;
    rec_clear(rec);
    for (k = 0; k < s->reps; k++) {
        sk__l2s_rep_query(s, k, rec);
        rec[SK_L2S_REC_REP] = k;
        int f = (int)rec[SK_L2S_REC_FAIL];
        if (f == SK_L2S_FAIL_TAIL) ntail++;
        else if (f == SK_L2S_FAIL_THRESHOLD) nthr++;
        else break;
    }
    rec[SK_L2S_REC_TRIED] = k < s->reps ? k + 1 : s->reps;
    rec[SK_L2S_REC_NTAIL] = ntail;
    rec[SK_L2S_REC_NTHRESH] = nthr;
}

/* ---------------------------------------------------------------- public API */

int sk_l2s_create(int n, double eps, int buckets, int rows, int heavy, int reps, int rule,
                  int oracle, int hash, sk_l2s_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (n < 1 || n > (1 << 30)) return -1;
    if (!(eps > 0 && eps < 1)) return -2;
    int sketch = oracle == SK_L2S_SKETCH;
    if (sketch && (buckets < 1 || buckets > SK__MAX_BUCKETS)) return -3;
    if (sketch && (rows < 1 || rows > SK__MAX_ROWS)) return -4;
    if (heavy < 1 || heavy > n) return -5;
    if (reps < 1 || reps > SK__MAX_REPS) return -6;
    if (rule != SK_L2S_JST && rule != SK_L2S_PAPER) return -7;
    if (oracle != SK_L2S_SKETCH && oracle != SK_L2S_EXACT && oracle != SK_L2S_RACE) return -8;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -9;
    if (!out) return -10;
    sk_l2s_t *s = (sk_l2s_t *)SK_MALLOC(sizeof *s);
    if (!s) return SK_ENOMEM;
    memset(s, 0, sizeof *s);
    s->n = n; s->eps = eps; s->b = sketch ? buckets : 1; s->R = sketch ? rows : 1; s->m = heavy;
    s->reps = reps; s->rule = rule; s->oracle = oracle; s->mode = hash; s->seed = seed;
    s->rep = (sk__rep *)SK_MALLOC(sizeof(sk__rep) * (size_t)reps);
    if (!s->rep) { SK_FREE(s); return SK_ENOMEM; }
    memset(s->rep, 0, sizeof(sk__rep) * (size_t)reps);
    int st = 0;
    for (int k = 0; k < reps && !st; k++) {
        sk_hash_init(&s->rep[k].u, hash, SK__K_UNIT, SK__REP_USTREAM(k), seed);
        if (sketch) {
            st = sk__cs_init(&s->rep[k].z, s->b, s->R, hash, SK__REP_ZBASE(k), seed);
            if (!st) st = sk__cs_init(&s->rep[k].y, s->b, s->R, hash, SK__REP_YBASE(k), seed);
        }
    }
    if (!st && !sketch) {
        s->yex = sk__alloc_doubles(n, 1);
        if (!s->yex) st = SK_ENOMEM; else memset(s->yex, 0, sizeof(double) * (size_t)n);
    }
    if (!st && sketch) st = sk__work_init(&s->w, n, s->R, s->b, heavy);
    if (st) { sk_l2s_destroy(s); return st; }
    *out = s;
    return 0;
}

void sk_l2s_destroy(sk_l2s_t *s)
{
    if (!s) return;
    if (s->rep)
        for (int k = 0; k < s->reps; k++) { sk__cs_free(&s->rep[k].z); sk__cs_free(&s->rep[k].y); }
    SK_FREE(s->rep);
    SK_FREE(s->yex);
    sk__work_free(&s->w);
    SK_FREE(s);
}

/* Apply a checked batch. Blocked as sk_cs_update_batch; each counter still
 * gets its updates in stream order, so the tables equal those of one-at-a-time
 * updates. */
static void l2s_add_batch(sk_l2s_t *s, int count, const int *idx, const double *delta)
{
    if (s->oracle != SK_L2S_SKETCH) {
        for (int t = 0; t < count; t++) s->yex[idx[t]] += delta[t];
        return;
    }
    const uint32_t *key = (const uint32_t *)(const void *)idx;
    double u[SK__BLK], zd[SK__BLK];
    for (int t0 = 0; t0 < count; t0 += SK__BLK) {
        int nb = count - t0 < SK__BLK ? count - t0 : SK__BLK;
        for (int k = 0; k < s->reps; k++) {
            sk__unit_block(&s->rep[k].u, nb, key + t0, u);
            for (int q = 0; q < nb; q++) zd[q] = delta[t0 + q] / sqrt(u[q]);
            sk__cs_add_block(&s->rep[k].z, nb, key + t0, zd);
            sk__cs_add_block(&s->rep[k].y, nb, key + t0, delta + t0);
        }
    }
}

/* Extreme scale (issue 9): every stored number — the counters of CSz and CSy,
 * or y itself for the exact oracles — stays below SK_L2S_MAX_ABS in magnitude
 * (stream.h), so a query's squared norms never overflow. The stored numbers,
 * as one array per table (the exact oracles: y; else CSz, CSy of each rep). */
static double *l2s_tab(void *obj, int t)
{
    sk_l2s_t *s = (sk_l2s_t *)obj;
    if (s->oracle != SK_L2S_SKETCH) return s->yex;
    return t % 2 ? s->rep[t / 2].y.C : s->rep[t / 2].z.C;
}
static void l2s_apply_fn(void *obj, int count, const int *idx, const double *delta)
{
    l2s_add_batch((sk_l2s_t *)obj, count, idx, delta);
}

/* 1/√u_i <= 2^26.5 (sk__hash_unit >= 2^-53): a delta moves no stored number
 * by more than 2^27·|delta|. */
#define L2S_INV_MAX 0x1p27

/* Apply a checked batch whose deltas are all below `dmax` in magnitude
 * (batch.h's sk__apply_in_range: refused with SK_EINVAL, the sampler
 * unchanged, if a stored number would reach SK_L2S_MAX_ABS). */
static int l2s_apply(sk_l2s_t *s, int count, const int *idx, const double *delta, double dmax)
{
    int exact = s->oracle != SK_L2S_SKETCH;
    return sk__apply_in_range(s, l2s_apply_fn, l2s_tab, exact ? 1 : 2 * s->reps,
                              exact ? (size_t)s->n : (size_t)s->R * s->b, &s->cbound,
                              (double)count * dmax * L2S_INV_MAX, 0.5 * SK_L2S_MAX_ABS, SK_L2S_MAX_ABS,
                              count, idx, delta);
}

int sk_l2s_update(sk_l2s_t *s, int i, double delta)
{
    if (!s) return -1;
    if (i < 0 || i >= s->n) return -2;
    if (!isfinite(delta)) return SK_ENONFINITE;
    return l2s_apply(s, 1, &i, &delta, fabs(delta));
}

int sk_l2s_update_batch(sk_l2s_t *s, int count, const int *idx, const double *delta)
{
    if (!s) return -1;
    if (count < 0) return -2;
    if (count > 0 && !idx) return -3;
    if (count > 0 && !delta) return -4;
    if (count == 0) return 0;
    uint64_t ebits = 0;
    int st = sk__check_batch(count, idx, delta, (uint32_t)s->n, &ebits);
    if (st) return st;
    return l2s_apply(s, count, idx, delta, sk__batch_dmax(ebits));
}

int sk_l2s_sample(sk_l2s_t *s, double *rec)
{
    if (!s) return -1;
    if (!rec) return -2;
    sk__l2s_run(s, rec);
    return 0;
}

int sk_l2s_inspect(const sk_l2s_t *s, int rep, double *u, double *zhat)
{
    if (!s) return -1;
    if (rep < 0 || rep >= s->reps) return -2;
    double scratch[SK__MAX_ROWS];
    for (int i = 0; i < s->n; i++) {
        double ui = sk__hash_unit(&s->rep[rep].u, (uint64_t)i);
        if (u) u[i] = ui;
        if (zhat) zhat[i] = s->oracle == SK_L2S_SKETCH ? sk__cs_est(&s->rep[rep].z, (uint64_t)i, scratch)
                                                      : s->yex[i] / sqrt(ui);
    }
    return 0;
}

int sk_l2s_table(const sk_l2s_t *s, int rep, double *out)
{
    if (!s) return -1;
    if (rep < 0 || rep >= s->reps) return -2;
    if (!out) return -3;
    if (s->oracle != SK_L2S_SKETCH) return SK_EINVAL;
    size_t rb = (size_t)s->R * s->b;
    memcpy(out, s->rep[rep].z.C, rb * sizeof(double));
    memcpy(out + rb, s->rep[rep].y.C, rb * sizeof(double));
    return 0;
}

int sk_l2s_size(const sk_l2s_t *s, long long *bytes, long long *bits)
{
    if (!s) return -1;
    long long ku = s->mode == SK_HASH_POLY ? SK__K_UNIT : 1;
    long long by = s->oracle == SK_L2S_SKETCH
        ? s->reps * (8LL * (2LL * s->R * s->b + ku) + 2 * sk__cs_hash_bytes(s->mode, s->R))
        : 8LL * s->n + 8LL * s->reps * ku;
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}
