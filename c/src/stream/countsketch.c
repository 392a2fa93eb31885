/* countsketch.c — CountSketch (Charikar–Chen–Farach-Colton) and the core the
 * samplers embed (see sketchlab/stream.h, specs/attention.md §1.1). */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

struct sk_cs { sk__cs core; };

#define CS_MAGIC 0x53434B53u /* "SKCS" little-endian */
#define CS_VERSION 1u

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
    cs->hs = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * (size_t)R);
    cs->C = sk__alloc_doubles(R, b);
    if (!cs->hb || !cs->hs || !cs->C) { sk__cs_free(cs); return SK_ENOMEM; }
    memset(cs->C, 0, sizeof(double) * (size_t)R * (size_t)b);
    for (int r = 0; r < R; r++) {
        sk_hash_init(&cs->hb[r], mode, SK__K_BUCKET, base + 2u * (uint32_t)r, seed);
        sk_hash_init(&cs->hs[r], mode, SK__K_SIGN, base + 2u * (uint32_t)r + 1u, seed);
    }
    return 0;
}

void sk__cs_free(sk__cs *cs)
{
    SK_FREE(cs->hb); SK_FREE(cs->hs); SK_FREE(cs->C);
    cs->hb = cs->hs = NULL; cs->C = NULL;
}

void sk__cs_loc(const void *ctx, int r, uint64_t key, int *bucket, double *sign)
{
    const sk__cs *cs = (const sk__cs *)ctx;
    *bucket = sk__bucket(&cs->hb[r], key, cs->b);
    *sign = sk__sign(&cs->hs[r], key);
}

void sk__cs_add(sk__cs *cs, uint64_t key, double delta)
{
    for (int r = 0; r < cs->R; r++) {
        int c = sk__bucket(&cs->hb[r], key, cs->b);
        cs->C[(size_t)r * cs->b + c] += sk__sign(&cs->hs[r], key) * delta;
    }
}

double sk__cs_est(const sk__cs *cs, uint64_t key, double *scratch)
{
    for (int r = 0; r < cs->R; r++) {
        int c = sk__bucket(&cs->hb[r], key, cs->b);
        scratch[r] = sk__sign(&cs->hs[r], key) * cs->C[(size_t)r * cs->b + c];
    }
    return sk__median(scratch, cs->R);
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
    *out = cs;
    return 0;
}

void sk_cs_destroy(sk_cs_t *cs)
{
    if (!cs) return;
    sk__cs_free(&cs->core);
    SK_FREE(cs);
}

int sk_cs_update(sk_cs_t *cs, int i, double delta)
{
    if (!cs) return -1;
    if (i < 0) return -2;
    if (!isfinite(delta)) return SK_ENONFINITE;
    sk__cs_add(&cs->core, (uint64_t)i, delta);
    return 0;
}

int sk_cs_update_batch(sk_cs_t *cs, int count, const int *idx, const double *delta)
{
    if (!cs) return -1;
    if (count < 0) return -2;
    if (count > 0 && !idx) return -3;
    if (count > 0 && !delta) return -4;
    for (int t = 0; t < count; t++) {
        if (idx[t] < 0) return -3;
        if (!isfinite(delta[t])) return SK_ENONFINITE;
    }
    sk__cs *c = &cs->core;
    /* Row-outer loop: one row's counters stay in cache for the whole batch.
     * Keys are hashed a block at a time into small arrays first, so the
     * independent multiplications of many keys overlap in the pipeline
     * before the (dependent) scatter into the row. */
    enum { BLK = 256 };
    int bk[BLK];
    double sg[BLK];
    for (int r = 0; r < c->R; r++) {
        double *row = c->C + (size_t)r * c->b;
        const sk_hash_t *hb = &c->hb[r], *hs = &c->hs[r];
        for (int t0 = 0; t0 < count; t0 += BLK) {
            int nb = count - t0 < BLK ? count - t0 : BLK;
            if (c->mode == SK_HASH_POLY) {
                const uint64_t b0 = hb->c[0], b1 = hb->c[1];
                const uint64_t s0 = hs->c[0], s1 = hs->c[1], s2 = hs->c[2], s3 = hs->c[3];
                for (int q = 0; q < nb; q++) {
                    uint64_t x = (uint64_t)idx[t0 + q];          /* < 2^31 < p */
                    uint64_t hv = sk__mulmod61_i(b1, x) + b0;
                    hv = hv >= SK_HASH_P61 ? hv - SK_HASH_P61 : hv;
                    bk[q] = (int)(((hv >> 29) * (uint64_t)c->b) >> 32);
                    uint64_t sv = sk__mulmod61_i(s3, x) + s2;
                    sv = sv >= SK_HASH_P61 ? sv - SK_HASH_P61 : sv;
                    sv = sk__mulmod61_i(sv, x) + s1;
                    sv = sv >= SK_HASH_P61 ? sv - SK_HASH_P61 : sv;
                    sv = sk__mulmod61_i(sv, x) + s0;
                    sv = sv >= SK_HASH_P61 ? sv - SK_HASH_P61 : sv;
                    sg[q] = (sv & 1u) ? -delta[t0 + q] : delta[t0 + q];
                }
            } else {
                for (int q = 0; q < nb; q++) {
                    uint64_t key = (uint64_t)idx[t0 + q];
                    bk[q] = sk__bucket(hb, key, c->b);
                    sg[q] = sk__sign(hs, key) * delta[t0 + q];
                }
            }
            for (int q = 0; q < nb; q++) row[bk[q]] += sg[q];
        }
    }
    return 0;
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

int sk_cs_estimate_all(const sk_cs_t *cs, int n, double *est)
{
    if (!cs) return -1;
    if (n < 0) return -2;
    if (n > 0 && !est) return -3;
    double scratch[SK__MAX_ROWS];
    for (int i = 0; i < n; i++) est[i] = sk__cs_est(&cs->core, (uint64_t)i, scratch);
    return 0;
}

int sk_cs_f2(const sk_cs_t *cs, double *f2)
{
    if (!cs) return -1;
    if (!f2) return -2;
    double scratch[SK__MAX_ROWS];
    *f2 = sk__table_f2(cs->core.C, cs->core.R, cs->core.b, scratch);
    return 0;
}

/* Keep idx/val (length k, sorted by |val| desc, index asc) the top-k seen so far. */
static void topk_insert(int *idx, double *val, int *cnt, int k, int i, double v)
{
    double a = fabs(v);
    int pos = *cnt;
    if (pos == k) {
        if (!(a > fabs(val[k - 1]))) return; /* ties keep the lower index (seen first) */
        pos = k - 1;
    } else {
        (*cnt)++;
    }
    while (pos > 0 && a > fabs(val[pos - 1])) { idx[pos] = idx[pos - 1]; val[pos] = val[pos - 1]; pos--; }
    idx[pos] = i; val[pos] = v;
}

int sk_cs_heavy(const sk_cs_t *cs, int n, int k, int *idx, double *val)
{
    if (!cs) return -1;
    if (n < 1) return -2;
    if (k < 1 || k > n) return -3;
    if (!idx) return -4;
    if (!val) return -5;
    double scratch[SK__MAX_ROWS];
    int cnt = 0;
    for (int i = 0; i < n; i++) topk_insert(idx, val, &cnt, k, i, sk__cs_est(&cs->core, (uint64_t)i, scratch));
    return 0;
}

int sk_cs_merge(sk_cs_t *dst, const sk_cs_t *src)
{
    if (!dst) return -1;
    if (!src) return -2;
    const sk__cs *a = &dst->core, *b = &src->core;
    if (a->b != b->b || a->R != b->R || a->mode != b->mode || a->seed != b->seed || a->base != b->base)
        return SK_EMISMATCH;
    size_t n = (size_t)a->R * a->b;
    for (size_t t = 0; t < n; t++) dst->core.C[t] += b->C[t];
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
    if (r.bad || magic != CS_MAGIC || ver != CS_VERSION || b < 1 || b > SK__MAX_BUCKETS ||
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
    *out = cs;
    return 0;
}

int sk_cs_size(const sk_cs_t *cs, long long *bytes, long long *bits)
{
    if (!cs) return -1;
    const sk__cs *c = &cs->core;
    /* counters, plus the hash coefficients actually used (k words per hash) */
    int kb = c->mode == SK_HASH_POLY ? SK__K_BUCKET : 1, ks = c->mode == SK_HASH_POLY ? SK__K_SIGN : 1;
    long long by = 8LL * c->R * c->b + 8LL * c->R * (kb + ks);
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}
