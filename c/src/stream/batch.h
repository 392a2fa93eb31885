/*
 * batch.h — the one validation pass shared by the stream module's batch
 * updates (sk_cs_update_batch, sk_ams_update_batch, sk_l2s_update_batch):
 * the whole batch is checked before any counter changes, so a bad entry
 * leaves the sketch untouched, and the update loops that follow need no
 * per-update checks.
 */
#ifndef SKETCHLAB_STREAM_BATCH_H
#define SKETCHLAB_STREAM_BATCH_H

#include <stdint.h>
#include <string.h>
#include "sketchlab.h"

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

#endif
