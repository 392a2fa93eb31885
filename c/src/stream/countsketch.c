/* countsketch.c — CountSketch (Charikar–Chen–Farach-Colton) and the core the
 * samplers embed (see sketchlab/stream.h, specs/attention.md §1.1). */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"
#include "batch.h"
#include "cs_kernel.h"

/* bound: an upper bound on every |counter| (0 for a new sketch), so that a
 * batch that cannot overflow a counter is recognised without a pass over the
 * table (see sk_cs_update_batch). */
struct sk_cs { sk__cs core; double bound; };

/* Counters are kept below this in the fast path of a batch: a sum of up to
 * 2^31 terms whose magnitudes add up to at most 2^1021 cannot round past
 * DBL_MAX (the rounding error is a factor below 1 + 2^-22). */
#define CS_SAFE 0x1p1021

#define CS_MAGIC 0x53434B53u /* "SKCS" little-endian */
#define CS_VERSION SK__STATE_FORMAT

double sk__median(double *v, int n)
{
    for (int i = 1; i < n; i++) {  /* insertion sort: n = R is small */
        double t = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > t) { v[j + 1] = v[j]; j--; }
        v[j + 1] = t;
    }
    return (n & 1) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int sk__cs_init(sk__cs *cs, int b, int R, int mode, uint32_t base, uint64_t seed)
{
    memset(cs, 0, sizeof *cs);
    cs->b = b; cs->R = R; cs->mode = mode; cs->base = base; cs->seed = seed;
    cs->hb = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * (size_t)R);
    /* FAST takes bucket and sign from one hash (sk__cs_fast_h): no sign hashes. */
    if (mode == SK_HASH_POLY) cs->hs = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * (size_t)R);
    cs->C = sk__alloc_doubles(R, b);
    if (!cs->hb || (mode == SK_HASH_POLY && !cs->hs) || !cs->C) { sk__cs_free(cs); return SK_ENOMEM; }
    memset(cs->C, 0, sizeof(double) * (size_t)R * (size_t)b);
    for (int r = 0; r < R; r++) {
        if (mode == SK_HASH_FAST) {
            sk__cs_fast_init(&cs->hb[r], base + 2u * (uint32_t)r, seed);
        } else {
            sk_hash_init(&cs->hb[r], mode, SK__K_BUCKET, base + 2u * (uint32_t)r, seed);
            sk_hash_init(&cs->hs[r], mode, SK__K_SIGN, base + 2u * (uint32_t)r + 1u, seed);
        }
    }
    if (mode == SK_HASH_FAST) cs->salt = sk__cs_fast_salt(base, seed);
    return 0;
}

void sk__cs_free(sk__cs *cs)
{
    SK_FREE(cs->hb); SK_FREE(cs->hs); SK_FREE(cs->C);
    cs->hb = cs->hs = NULL; cs->C = NULL;
}

void sk__cs_loc(const void *ctx, int r, uint64_t key, int *bucket, double *sign)
{
    int neg;
    sk__cs_hash((const sk__cs *)ctx, r, key, bucket, &neg);
    *sign = neg ? -1.0 : 1.0;
}

void sk__cs_add(sk__cs *cs, uint64_t key, double delta)
{
    for (int r = 0; r < cs->R; r++) {
        int c, neg;
        sk__cs_hash(cs, r, key, &c, &neg);
        cs->C[(size_t)r * cs->b + c] += neg ? -delta : delta;
    }
}

double sk__cs_est(const sk__cs *cs, uint64_t key, double *scratch)
{
    for (int r = 0; r < cs->R; r++) {
        int c, neg;
        sk__cs_hash(cs, r, key, &c, &neg);
        double v = cs->C[(size_t)r * cs->b + c];
        scratch[r] = neg ? -v : v;
    }
    return sk__median(scratch, cs->R) + 0.0;  /* + 0.0: -0 becomes +0, as sk__cs_decode_block */
}

double sk__table_f2(const double *C, int R, int b, double *scratch)
{
    for (int r = 0; r < R; r++) {
        double s = 0;
        for (int c = 0; c < b; c++) s += C[(size_t)r * b + c] * C[(size_t)r * b + c];
        scratch[r] = s;
    }
    return sk__median(scratch, R);
}

/* ---------------------------------------------------------------- public API */

int sk_cs_create(int buckets, int rows, int hash, sk_cs_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (buckets < 1 || buckets > SK__MAX_BUCKETS) return -1;
    if (rows < 1 || rows > SK__MAX_ROWS) return -2;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -3;
    if (!out) return -4;
    sk_cs_t *cs = (sk_cs_t *)SK_MALLOC(sizeof *cs);
    if (!cs) return SK_ENOMEM;
    int st = sk__cs_init(&cs->core, buckets, rows, hash, 0u, seed);
    if (st) { SK_FREE(cs); return st; }
    cs->bound = 0;
    *out = cs;
    return 0;
}

void sk_cs_destroy(sk_cs_t *cs)
{
    if (!cs) return;
    sk__cs_free(&cs->core);
    SK_FREE(cs);
}

static double table_maxabs(const sk__cs *c)
{
    double m = 0;
    for (size_t t = 0; t < (size_t)c->R * c->b; t++) m = fabs(c->C[t]) > m ? fabs(c->C[t]) : m;
    return m;
}

int sk_cs_update(sk_cs_t *cs, int i, double delta)
{
    if (!cs) return -1;
    if (i < 0) return -2;
    if (!isfinite(delta)) return SK_ENONFINITE;
    sk__cs *c = &cs->core;
    double nv[SK__MAX_ROWS];
    int cb[SK__MAX_ROWS];
    double m = cs->bound;
    for (int r = 0; r < c->R; r++) {   /* every new value first: refuse before any change */
        int neg;
        sk__cs_hash(c, r, (uint64_t)i, &cb[r], &neg);
        nv[r] = c->C[(size_t)r * c->b + cb[r]] + (neg ? -delta : delta);
        if (!isfinite(nv[r])) return SK_EINVAL;
        m = fabs(nv[r]) > m ? fabs(nv[r]) : m;
    }
    for (int r = 0; r < c->R; r++) c->C[(size_t)r * c->b + cb[r]] = nv[r];
    cs->bound = m;
    return 0;
}

static void add_all(sk__cs *c, int count, const int *idx, const double *delta)
{
    /* idx[t] >= 0 was checked, so the int keys read as uint32_t unchanged. */
    const uint32_t *key = (const uint32_t *)(const void *)idx;
    for (int t0 = 0; t0 < count; t0 += SK__BLK)
        sk__cs_add_block(c, count - t0 < SK__BLK ? count - t0 : SK__BLK, key + t0, delta + t0);
}

/* sk__apply_in_range's view of a CountSketch: its one table, and add_all. */
static void cs_apply(void *obj, int count, const int *idx, const double *delta)
{
    add_all(&((sk_cs_t *)obj)->core, count, idx, delta);
}
static double *cs_table(void *obj, int t)
{
    (void)t;
    return ((sk_cs_t *)obj)->core.C;
}

int sk_cs_update_batch(sk_cs_t *cs, int count, const int *idx, const double *delta)
{
    if (!cs) return -1;
    if (count < 0) return -2;
    if (count > 0 && !idx) return -3;
    if (count > 0 && !delta) return -4;
    if (count == 0) return 0;
    uint64_t ebits = 0;
    int st = sk__check_batch(count, idx, delta, 0x80000000u, &ebits);
    if (st) return st;
    /* No counter moves by more than count·dmax; below CS_SAFE none can
     * overflow, so ordinary streams are added with no further check; near
     * DBL_MAX the batch is refused (SK_EINVAL, sketch unchanged) if a counter
     * would become ±Inf (batch.h). */
    return sk__apply_in_range(cs, cs_apply, cs_table, 1, (size_t)cs->core.R * cs->core.b, &cs->bound,
                              (double)count * sk__batch_dmax(ebits), CS_SAFE, INFINITY, count, idx, delta);
}

int sk_cs_estimate(const sk_cs_t *cs, int i, double *est)
{
    if (!cs) return -1;
    if (i < 0) return -2;
    if (!est) return -3;
    double scratch[SK__MAX_ROWS];
    *est = sk__cs_est(&cs->core, (uint64_t)i, scratch);
    return 0;
}

/* est[i] for i < n a block at a time (cs_kernel.c): keys hashed per row
 * without per-key calls, medians by a sorting network across the block. */
static int decode_all(const sk__cs *c, int n, void (*sink)(void *ctx, int key0, int cnt, const double *e), void *ctx)
{
    double *work = sk__alloc_doubles((long long)c->R, SK__BLK);
    sk__decode *d = (sk__decode *)SK_MALLOC(sizeof *d);
    if (!work || !d) { SK_FREE(work); SK_FREE(d); return SK_ENOMEM; }
    sk__decode_init(d, c->R);
    double e[SK__BLK];
    for (int i0 = 0; i0 < n; i0 += SK__BLK) {
        int cnt = n - i0 < SK__BLK ? n - i0 : SK__BLK;
        sk__cs_decode_block(c, d, (uint32_t)i0, cnt, e, work);
        sink(ctx, i0, cnt, e);
    }
    SK_FREE(work); SK_FREE(d);
    return 0;
}

static void sink_copy(void *ctx, int key0, int cnt, const double *e)
{
    memcpy((double *)ctx + key0, e, sizeof(double) * (size_t)cnt);
}

int sk_cs_estimate_all(const sk_cs_t *cs, int n, double *est)
{
    if (!cs) return -1;
    if (n < 0) return -2;
    if (n > 0 && !est) return -3;
    return decode_all(&cs->core, n, sink_copy, est);
}

int sk_cs_f2(const sk_cs_t *cs, double *f2)
{
    if (!cs) return -1;
    if (!f2) return -2;
    double scratch[SK__MAX_ROWS];
    *f2 = sk__table_f2(cs->core.C, cs->core.R, cs->core.b, scratch);
    return 0;
}

typedef struct topk { int *idx; double *val; int cnt, k; } topk;

static void sink_topk(void *ctx, int key0, int cnt, const double *e)
{
    topk *h = (topk *)ctx;
    for (int q = 0; q < cnt; q++) sk__topk_insert(h->idx, h->val, &h->cnt, h->k, key0 + q, e[q]);
}

int sk_cs_heavy(const sk_cs_t *cs, int n, int k, int *idx, double *val)
{
    if (!cs) return -1;
    if (n < 1) return -2;
    if (k < 1 || k > n) return -3;
    if (!idx) return -4;
    if (!val) return -5;
    topk h = { idx, val, 0, k };
    return decode_all(&cs->core, n, sink_topk, &h);
}

int sk_cs_merge(sk_cs_t *dst, const sk_cs_t *src)
{
    if (!dst) return -1;
    if (!src) return -2;
    const sk__cs *a = &dst->core, *b = &src->core;
    if (a->b != b->b || a->R != b->R || a->mode != b->mode || a->seed != b->seed || a->base != b->base)
        return SK_EMISMATCH;
    size_t n = (size_t)a->R * a->b;
    int ok = 1;
    for (size_t t = 0; t < n; t++) ok &= isfinite(a->C[t] + b->C[t]) != 0;
    if (!ok) return SK_EINVAL;  /* a sum would overflow to ±Inf: dst unchanged */
    for (size_t t = 0; t < n; t++) dst->core.C[t] += b->C[t];
    dst->bound = table_maxabs(&dst->core);
    return 0;
}

int sk_cs_table(const sk_cs_t *cs, double *out)
{
    if (!cs) return -1;
    if (!out) return -2;
    memcpy(out, cs->core.C, sizeof(double) * (size_t)cs->core.R * cs->core.b);
    return 0;
}

int sk_cs_serialize(const sk_cs_t *cs, unsigned char *buf, size_t cap, size_t *len)
{
    if (!cs) return -1;
    if (!len) return -4;
    const sk__cs *c = &cs->core;
    size_t need = 4 + 4 + 4 + 4 + 4 + 8 + (size_t)c->R * c->b * 8 + 8;
    *len = need;
    if (!buf) return 0;
    if (cap < need) return SK_EINVAL;
    sk__wbuf w = { buf, cap, 0, 0 };
    sk__put_u32(&w, CS_MAGIC);
    sk__put_u32(&w, CS_VERSION);
    sk__put_u32(&w, (uint32_t)c->b);
    sk__put_u32(&w, (uint32_t)c->R);
    sk__put_u32(&w, (uint32_t)c->mode);
    sk__put_u64(&w, c->seed);
    for (size_t t = 0; t < (size_t)c->R * c->b; t++) sk__put_f64(&w, c->C[t]);
    sk__put_checksum(&w);
    return 0;
}

int sk_cs_deserialize(const unsigned char *buf, size_t len, sk_cs_t **out)
{
    if (out) *out = NULL;
    if (!buf) return -1;
    if (!out) return -3;
    if (len < 36 || sk__check_checksum(buf, len)) return SK_EFORMAT;
    sk__rbuf r = { buf, len - 8, 0, 0 };
    uint32_t magic = sk__get_u32(&r), ver = sk__get_u32(&r);
    uint32_t b = sk__get_u32(&r), R = sk__get_u32(&r), mode = sk__get_u32(&r);
    uint64_t seed = sk__get_u64(&r);
    if (r.bad || magic != CS_MAGIC || !sk__state_format_ok(ver, (int)mode) || b < 1 || b > SK__MAX_BUCKETS ||
        R < 1 || R > SK__MAX_ROWS || (mode != SK_HASH_POLY && mode != SK_HASH_FAST))
        return SK_EFORMAT;
    if ((size_t)R * b * 8 != r.len - r.pos) return SK_EFORMAT;
    sk_cs_t *cs;
    int st = sk_cs_create((int)b, (int)R, (int)mode, &cs, seed);
    if (st) return st > 0 ? st : SK_EFORMAT;
    for (size_t t = 0; t < (size_t)R * b; t++) {
        double v = sk__get_f64(&r);
        if (!isfinite(v)) { sk_cs_destroy(cs); return SK_EFORMAT; }
        cs->core.C[t] = v;
    }
    cs->bound = table_maxabs(&cs->core);
    *out = cs;
    return 0;
}

int sk_cs_size(const sk_cs_t *cs, long long *bytes, long long *bits)
{
    if (!cs) return -1;
    const sk__cs *c = &cs->core;
    /* counters, plus the hash coefficients actually used */
    long long by = 8LL * c->R * c->b + sk__cs_hash_bytes(c->mode, c->R);
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}
