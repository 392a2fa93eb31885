/*
 * batch.h — the one validation pass shared by the stream module's batch
 * updates (sk_cs_update_batch, sk_ams_update_batch, sk_l2s_update_batch):
 * the whole batch is checked before any counter changes, so a bad entry
 * leaves the sketch untouched, and the update loops that follow need no
 * per-update checks.
 */
#ifndef SKETCHLAB_STREAM_BATCH_H
#define SKETCHLAB_STREAM_BATCH_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "sketchlab.h"
#include "internal.h"

#define SK__EXP_MASK 0x7FF0000000000000ull

/*
 * sk__check_batch — 0 if every idx[t] is in [0, limit) and every delta[t] is
 * finite; otherwise the status of the first bad entry: -3 for an index out of
 * range, SK_ENONFINITE for a NaN/Inf delta (as the per-update functions).
 * limit <= 2^31; the callers have already checked count >= 0 and the
 * pointers. If expbits is not NULL it gets the bitwise OR of the deltas'
 * exponent fields: every |delta[t]| < 2^(e - 1022) where e = expbits >> 52,
 * a bound the CountSketch overflow check uses without a second pass.
 *
 * The common all-good case runs without branches over blocks (so it
 * vectorizes); only a block that holds a bad entry is rescanned in order, to
 * report the first one.
 */
static inline int sk__check_batch(int count, const int *idx, const double *delta, uint32_t limit,
                                  uint64_t *expbits)
{
    enum { BLK = 1024 };
    uint64_t eor = 0;
    for (int t0 = 0; t0 < count; t0 += BLK) {
        int n = count - t0 < BLK ? count - t0 : BLK;
        uint32_t badi = 0;
        uint64_t bade = 0, e = 0;
        /* Two simple loops (one element type each) so that they vectorize
         * even with plain SSE2. An exponent field of all ones (NaN/Inf) is
         * the one that carries into bit 63 when 2^52 is added. */
        for (int q = 0; q < n; q++) badi |= (uint32_t)((uint32_t)idx[t0 + q] >= limit);
        for (int q = 0; q < n; q++) {
            uint64_t bits;
            memcpy(&bits, &delta[t0 + q], sizeof bits);
            uint64_t ex = bits & SK__EXP_MASK;
            bade |= ex + (1ull << 52);
            e |= ex;
        }
        bade >>= 63;
        if (badi | bade) {
            for (int q = 0; q < n; q++) {
                uint64_t bits;
                memcpy(&bits, &delta[t0 + q], sizeof bits);
                if ((uint32_t)idx[t0 + q] >= limit) return -3;
                if ((bits & SK__EXP_MASK) == SK__EXP_MASK) return SK_ENONFINITE;
            }
        }
        eor |= e;
    }
    if (expbits) *expbits = eor;
    return 0;
}

/*
 * sk__apply_in_range — apply a checked batch to a sketch's tables, all or
 * nothing, so that every stored number stays below `limit` in magnitude
 * (INFINITY: stays finite). Shared by CountSketch (finite counters), AMS and
 * the ℓ2 sampler (their documented ranges, stream.h).
 *
 * *bound is a running upper bound on the stored magnitudes and `grow` one on
 * how far the batch can move any of them. While bound + grow stays at most
 * `safe` nothing can reach the limit: the batch is applied with no further
 * check (every stream of ordinary numbers; the factor 1 + 2^-50 keeps the sum
 * an upper bound despite its own rounding). Otherwise the batch is applied to
 * the tables with a saved copy, which is put back (SK_EINVAL) if a number
 * reached the limit: finite deltas reach Inf only by overflow and Inf stays
 * Inf, so the final tables show any overflow during the batch.
 * tab(obj, t) is table t of ntab, each of len doubles. Returns 0, SK_EINVAL
 * or SK_ENOMEM (the saved copy).
 */
typedef void (*sk__batch_apply_fn)(void *obj, int count, const int *idx, const double *delta);
typedef double *(*sk__batch_table_fn)(void *obj, int t);

static inline int sk__apply_in_range(void *obj, sk__batch_apply_fn apply, sk__batch_table_fn tab,
                                     int ntab, size_t len, double *bound, double grow, double safe,
                                     double limit, int count, const int *idx, const double *delta)
{
    double nb = (*bound + grow) * (1 + 0x1p-50);
    if (nb <= safe) {
        apply(obj, count, idx, delta);
        *bound = nb;
        return 0;
    }
    double *save = sk__alloc_doubles((long long)ntab, (long long)len);
    if (!save) return SK_ENOMEM;
    for (int t = 0; t < ntab; t++) memcpy(save + (size_t)t * len, tab(obj, t), len * sizeof(double));
    apply(obj, count, idx, delta);
    double mx = 0.0;
    for (int t = 0; t < ntab; t++) {
        const double *c = tab(obj, t);
        for (size_t q = 0; q < len; q++) mx = fabs(c[q]) > mx ? fabs(c[q]) : mx;
    }
    int ok = mx < limit;   /* false for an Inf counter whatever the limit */
    if (ok) *bound = mx;
    else for (int t = 0; t < ntab; t++) memcpy(tab(obj, t), save + (size_t)t * len, len * sizeof(double));
    SK_FREE(save);
    return ok ? 0 : SK_EINVAL;
}

/* Every |delta[t]| < 2^(e - 1022), e the largest exponent field that
 * sk__check_batch reported in expbits. */
static inline double sk__batch_dmax(uint64_t expbits)
{
    return ldexp(1.0, (int)(expbits >> 52) - 1022);
}

#endif
