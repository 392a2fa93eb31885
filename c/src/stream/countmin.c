/* countmin.c — the Count-Min sketch (see sketchlab/countmin.h). Reuses the
 * CountSketch bucket hashes (stream_internal.h's sk__cs_bucket, streams 2r),
 * so the two sketches of one seed share their collisions. */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

struct sk_cm {
    int b, R, mode;
    sk_hash_t *hb;  /* R bucket hashes: CountSketch's row-r bucket hash */
    uint32_t salt;  /* FAST: CountSketch's fingerprint salt */
    double *C;      /* R rows of b counters */
};

int sk_cm_create(int buckets, int rows, int hash, sk_cm_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (buckets < 1 || buckets > SK__MAX_BUCKETS) return -1;
    if (rows < 1 || rows > SK__MAX_ROWS) return -2;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -3;
    if (!out) return -4;
    sk_cm_t *cm = (sk_cm_t *)SK_MALLOC(sizeof *cm);
    if (!cm) return SK_ENOMEM;
    cm->b = buckets; cm->R = rows; cm->mode = hash;
    cm->hb = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * (size_t)rows);
    cm->C = sk__alloc_doubles(rows, buckets);
    if (!cm->hb || !cm->C) { sk_cm_destroy(cm); return SK_ENOMEM; }
    memset(cm->C, 0, sizeof(double) * (size_t)rows * (size_t)buckets);
    /* Stream 2r (k = SK__K_BUCKET, or FAST's row words and salt): exactly sk__cs_init's bucket hash of row r
     * (base 0, as sk_cs_create uses). */
    for (int r = 0; r < rows; r++) {
        if (hash == SK_HASH_FAST) sk__cs_fast_init(&cm->hb[r], 2u * (uint32_t)r, seed);
        else sk_hash_init(&cm->hb[r], hash, SK__K_BUCKET, 2u * (uint32_t)r, seed);
    }
    cm->salt = hash == SK_HASH_FAST ? sk__cs_fast_salt(0u, seed) : 0u;
    *out = cm;
    return 0;
}

void sk_cm_destroy(sk_cm_t *cm)
{
    if (!cm) return;
    SK_FREE(cm->hb); SK_FREE(cm->C); SK_FREE(cm);
}

int sk_cm_update_batch(sk_cm_t *cm, int count, const int *idx, const double *delta)
{
    if (!cm) return -1;
    if (count < 0) return -2;
    if (count > 0 && !idx) return -3;
    if (count > 0 && !delta) return -4;
    for (int t = 0; t < count; t++) {
        if (idx[t] < 0) return -3;
        if (!isfinite(delta[t])) return SK_ENONFINITE;
    }
    for (int r = 0; r < cm->R; r++) {  /* row-outer: one row stays in cache */
        double *row = cm->C + (size_t)r * cm->b;
        for (int t = 0; t < count; t++) row[sk__cs_bucket(&cm->hb[r], cm->salt, (uint64_t)idx[t], cm->b)] += delta[t];
    }
    return 0;
}

/* Key i's estimate by the rule: its R counters, then their min or median. */
static double cm_point(const sk_cm_t *cm, uint64_t i, int rule)
{
    double v[SK__MAX_ROWS];
    for (int r = 0; r < cm->R; r++) v[r] = cm->C[(size_t)r * cm->b + sk__cs_bucket(&cm->hb[r], cm->salt, i, cm->b)];
    if (rule == SK_CM_MEDIAN) return sk__median(v, cm->R);
    /* From row 0's counter, not +Inf, as before: a NaN there stays NaN. */
    double m = NAN;
    for (int r = 0; r < cm->R; r++) m = (r == 0 || v[r] < m) ? v[r] : m;
    return m;
}

int sk_cm_estimate_all(const sk_cm_t *cm, int n, int rule, double *est)
{
    if (!cm) return -1;
    if (n < 0) return -2;
    if (rule != SK_CM_MIN && rule != SK_CM_MEDIAN) return -3;
    if (n > 0 && !est) return -4;
    for (int i = 0; i < n; i++) est[i] = cm_point(cm, (uint64_t)i, rule);
    return 0;
}

int sk_cm_estimate(const sk_cm_t *cm, int i, int rule, double *est)
{
    if (!cm) return -1;
    if (i < 0) return -2;
    if (rule != SK_CM_MIN && rule != SK_CM_MEDIAN) return -3;
    if (!est) return -4;
    *est = cm_point(cm, (uint64_t)i, rule);
    return 0;
}

int sk_cm_f2(const sk_cm_t *cm, double *f2)
{
    if (!cm) return -1;
    if (!f2) return -2;
    double m = INFINITY;
    for (int r = 0; r < cm->R; r++) {
        double s = 0;
        for (int c = 0; c < cm->b; c++) s += cm->C[(size_t)r * cm->b + c] * cm->C[(size_t)r * cm->b + c];
        m = s < m ? s : m;
    }
    *f2 = m;
    return 0;
}

int sk_cm_table(const sk_cm_t *cm, double *out)
{
    if (!cm) return -1;
    if (!out) return -2;
    memcpy(out, cm->C, sizeof(double) * (size_t)cm->R * (size_t)cm->b);
    return 0;
}

int sk_cm_size(const sk_cm_t *cm, long long *bytes, long long *bits)
{
    if (!cm) return -1;
    long long by = 8LL * cm->R * cm->b + sk__bucket_hash_bytes(cm->mode, cm->R);
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}
