/*
 * fuzz_countmin.c — libFuzzer harness for the Count-Min sketch
 * (c/include/sketchlab/countmin.h): sizes from one byte each (0 and absurd
 * values included), both hash modes, batches of updates with negative indices
 * and NaN/Inf/DBL_MAX deltas. Invariants: create succeeds exactly for valid
 * sizes and sets *out only then; a rejected batch leaves the table unchanged;
 * with only finite counters, MIN <= MEDIAN <= max over rows per key and F̂2 is
 * finite and >= 0; the point query equals estimate_all's entry; every counter row sums to the sum of accepted deltas when
 * they are small integers (exact arithmetic).
 */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    int b = fz_size(&in, 40), R = fz_size(&in, 9), mode = fz_range(&in, 0, 2);
    if (fz_u8(&in) == 7) b = 1 << 25;   /* absurd */
    sk_cm_t *cm = (sk_cm_t *)(uintptr_t)1;
    int st = sk_cm_create(b, R, mode, &cm, (uint64_t)fz_u32(&in));
    int valid = b >= 1 && b <= (1 << 24) && R >= 1 && R <= 255 && mode <= 1;
    if (!valid) {
        FZ_CHECK(st < 0 && cm == NULL, "create(b=%d, R=%d, mode=%d) = %d, want -i and *out = NULL", b, R, mode, st);
        return 0;
    }
    FZ_CHECK(st == 0 && cm != NULL, "create(b=%d, R=%d, mode=%d) failed: %d", b, R, mode, st);
    size_t cells = (size_t)b * (size_t)R;
    double *tab = fz_alloc(cells), *before = fz_alloc(cells);
    int exact = 1;            /* all accepted deltas small integers */
    double sum = 0;
    int steps = fz_u8(&in) % 8;
    for (int s = 0; s < steps; s++) {
        int cnt = fz_u8(&in) % 6;
        int idx[6];
        double dl[6];
        for (int t = 0; t < cnt; t++) { idx[t] = (int)(fz_u8(&in) % 40) - 3; dl[t] = fz_real(&in); }
        sk_cm_table(cm, before);
        int us = sk_cm_update_batch(cm, cnt, idx, dl);
        sk_cm_table(cm, tab);
        if (us != 0) {
            FZ_CHECK(memcmp(tab, before, cells * sizeof(double)) == 0, "rejected batch (status %d) changed the table", us);
            continue;
        }
        for (int t = 0; t < cnt; t++) {
            FZ_CHECK(idx[t] >= 0 && isfinite(dl[t]), "accepted index %d delta %g", idx[t], dl[t]);
            if (dl[t] != floor(dl[t]) || fabs(dl[t]) > 1e6) exact = 0;
            sum += dl[t];
        }
    }
    sk_cm_table(cm, tab);
    if (exact)
        for (int r = 0; r < R; r++) {
            double rs = 0;
            for (int c = 0; c < b; c++) rs += tab[(size_t)r * b + c];
            FZ_CHECK(rs == sum, "row %d sums to %g, deltas to %g", r, rs, sum);
        }
    if (fz_all_finite(cells, tab)) {
        double mn[40], md[40], f2 = -1;
        FZ_CHECK(sk_cm_estimate_all(cm, 40, SK_CM_MIN, mn) == 0 && sk_cm_estimate_all(cm, 40, SK_CM_MEDIAN, md) == 0, "estimate_all");
        for (int i = 0; i < 40; i++) FZ_CHECK(mn[i] <= md[i] || isnan(md[i]) || isinf(md[i]), "key %d: MIN %g > MEDIAN %g", i, mn[i], md[i]);
        for (int i = -1; i < 40; i++) {   /* the point query is est[i] of estimate_all; -1 refused */
            double e1 = -7, e2 = -7;
            int s1 = sk_cm_estimate(cm, i, SK_CM_MIN, &e1), s2 = sk_cm_estimate(cm, i, SK_CM_MEDIAN, &e2);
            if (i < 0) { FZ_CHECK(s1 == -2 && s2 == -2 && e1 == -7 && e2 == -7, "estimate(-1) = %d, %d", s1, s2); continue; }
            FZ_CHECK(s1 == 0 && s2 == 0 && e1 == mn[i] && (e2 == md[i] || (isnan(e2) && isnan(md[i]))), "estimate(%d) = %g, %g; estimate_all %g, %g", i, e1, e2, mn[i], md[i]);
        }
        FZ_CHECK(sk_cm_f2(cm, &f2) == 0 && (f2 >= 0 || isinf(f2)), "f2 = %g", f2);
    }
    long long by = 0, bi = 0;
    FZ_CHECK(sk_cm_size(cm, &by, &bi) == 0 && by >= 8LL * (long long)cells && bi == 8 * by, "size %lld / %lld", by, bi);
    sk_cm_destroy(cm);
    free(tab); free(before);
    return 0;
}
