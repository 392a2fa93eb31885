/* ams.c — the AMS F2 sketch (Alon–Matias–Szegedy; spec §1.2). */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"
#include "batch.h"

struct sk_ams {
    int s1, s2, mode;
    sk_hash_t *sig; /* s1*s2 sign hashes, 4-wise */
    double *Z;      /* s2 rows of s1 counters */
    double bound;   /* >= every counter's magnitude (SK_AMS_MAX_ABS) */
};

int sk_ams_create(int s1, int s2, int hash, sk_ams_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (s1 < 1 || s1 > (1 << 20)) return -1;
    if (s2 < 1 || s2 > SK__MAX_ROWS) return -2;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -3;
    if (!out) return -4;
    sk_ams_t *a = (sk_ams_t *)SK_MALLOC(sizeof *a);
    if (!a) return SK_ENOMEM;
    a->s1 = s1; a->s2 = s2; a->mode = hash; a->bound = 0.0;
    size_t cnt = (size_t)s1 * (size_t)s2;
    /* s1·s2 hashes of 136 bytes overflow a 32-bit size_t (wasm32) long
     * before s1 and s2 reach their limits: a wrapped size would allocate a
     * small block and the loop below would write past it. */
    if (cnt > SIZE_MAX / sizeof(sk_hash_t)) { SK_FREE(a); return SK_ENOMEM; }
    a->sig = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * cnt);
    a->Z = sk__alloc_doubles(s1, s2);
    if (!a->sig || !a->Z) { sk_ams_destroy(a); return SK_ENOMEM; }
    memset(a->Z, 0, sizeof(double) * cnt);
    for (size_t t = 0; t < cnt; t++) sk_hash_init(&a->sig[t], hash, 4, 0x40000000u + (uint32_t)t, seed);
    *out = a;
    return 0;
}

void sk_ams_destroy(sk_ams_t *a)
{
    if (!a) return;
    SK_FREE(a->sig); SK_FREE(a->Z); SK_FREE(a);
}

static void ams_add(sk_ams_t *a, int count, const int *idx, const double *delta)
{
    size_t cnt = (size_t)a->s1 * a->s2;
    for (int q = 0; q < count; q++)
        for (size_t t = 0; t < cnt; t++) a->Z[t] += sk__sign(&a->sig[t], (uint64_t)idx[q]) * delta[q];
}

/* sk__apply_in_range's view of an AMS sketch: one table of s1·s2 counters. */
static void ams_apply_fn(void *obj, int count, const int *idx, const double *delta)
{
    ams_add((sk_ams_t *)obj, count, idx, delta);
}
static double *ams_table(void *obj, int t)
{
    (void)t;
    return ((sk_ams_t *)obj)->Z;
}

/* Every counter stays below SK_AMS_MAX_ABS (stream.h: then the F2 estimate, a
 * mean of s1 <= 2^20 squares, cannot overflow); a counter moves by at most
 * count·dmax (batch.h's sk__apply_in_range: refused with SK_EINVAL, unchanged). */
static int ams_apply(sk_ams_t *a, int count, const int *idx, const double *delta, double dmax)
{
    return sk__apply_in_range(a, ams_apply_fn, ams_table, 1, (size_t)a->s1 * a->s2, &a->bound,
                              (double)count * dmax, 0.5 * SK_AMS_MAX_ABS, SK_AMS_MAX_ABS, count, idx, delta);
}

int sk_ams_update(sk_ams_t *a, int i, double delta)
{
    if (!a) return -1;
    if (i < 0) return -2;
    if (!isfinite(delta)) return SK_ENONFINITE;
    return ams_apply(a, 1, &i, &delta, fabs(delta));
}

int sk_ams_update_batch(sk_ams_t *a, int count, const int *idx, const double *delta)
{
    if (!a) return -1;
    if (count < 0) return -2;
    if (count > 0 && !idx) return -3;
    if (count > 0 && !delta) return -4;
    if (count == 0) return 0;
    uint64_t ebits = 0;
    int st = sk__check_batch(count, idx, delta, 0x80000000u, &ebits);
    if (st) return st;
    return ams_apply(a, count, idx, delta, sk__batch_dmax(ebits));
}

int sk_ams_f2(const sk_ams_t *a, double *f2)
{
    if (!a) return -1;
    if (!f2) return -2;
    double med[SK__MAX_ROWS];
    for (int r = 0; r < a->s2; r++) {
        double s = 0;
        for (int c = 0; c < a->s1; c++) { double z = a->Z[(size_t)r * a->s1 + c]; s += z * z; }
        med[r] = s / a->s1;
    }
    *f2 = sk__median(med, a->s2);
    return 0;
}

int sk_ams_size(const sk_ams_t *a, long long *bytes, long long *bits)
{
    if (!a) return -1;
    long long cnt = (long long)a->s1 * a->s2;
    long long by = 8 * cnt + 8 * cnt * (a->mode == SK_HASH_POLY ? 4 : 1);
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}
