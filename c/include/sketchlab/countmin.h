/*
 * sketchlab/countmin.h — the Count-Min sketch (Cormode–Muthukrishnan), the
 * unsigned sibling of CountSketch, for the equal-memory comparison of
 * CountSketch, Count-Min and AMS (specs/attention.md §6 item 8, issue 10).
 *
 * State: R rows of b float64 counters. Update x_i += Δ adds Δ to
 * C[r][h_r(i)] in every row, with NO random sign. Row r's bucket hash h_r is
 * the same function as CountSketch's row-r bucket hash for the same seed and
 * hash mode (Philox stream 2r, 2-wise in theory mode), so a Count-Min and a
 * CountSketch of one seed see exactly the same collisions and differ only by
 * CountSketch's signs: the comparison isolates what the signs buy.
 *
 * Error behaviour (x ∈ R^n, ‖x‖₁ = Σ|x_i|; E over the hash functions):
 *   one row:   C[r][h_r(i)] − x_i = Σ_{j≠i, h_r(j)=h_r(i)} x_j, expectation
 *              (Σ_{j≠i} x_j)/b — biased, unlike CountSketch's signed rows.
 *   MIN rule   x̂_i = min_r C[r][h_r(i)] (Count-Min; x ≥ 0 entrywise, i.e. a
 *              strict turnstile stream): x_i <= x̂_i always, and with
 *              b = ⌈e/ε⌉, R = ⌈ln 1/δ⌉, x̂_i <= x_i + ε‖x‖₁ with
 *              probability >= 1 − δ. Never an underestimate.
 *   MEDIAN rule x̂_i = median_r C[r][h_r(i)] (Count-Median, general
 *              turnstile): |x̂_i − x_i| <= 3ε‖x‖₁ with probability 1 − δ^{1/4}
 *              for b = ⌈e/ε⌉, R = O(ln 1/δ).
 *   F2         F̂2 = min_r Σ_c C[r][c]² ("self-join size"): for x ≥ 0,
 *              F2 <= F̂2 and E[Σ_c C[r][c]²] = F2 + (‖x‖₁² − F2)/b; with
 *              b = ⌈e/ε⌉, R = ⌈ln 1/δ⌉, F̂2 <= F2 + ε‖x‖₁² w.p. 1 − δ.
 *   Compare CountSketch: error ∝ ‖x‖₂/√b (tail), unbiased rows; AMS: F2 only.
 *
 * Reference: G. Cormode, S. Muthukrishnan, "An improved data stream summary:
 * the count-min sketch and its applications", J. Algorithms 55(1) 2005,
 * Thm 1 (MIN), Thm 4 (MEDIAN), Thm 2 and §4.2 (inner/self-join products).
 */
#ifndef SKETCHLAB_COUNTMIN_H
#define SKETCHLAB_COUNTMIN_H

#include <stdint.h>
#include "hash.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_cm sk_cm_t;

/* Point-query rules of sk_cm_estimate_all. */
enum { SK_CM_MIN = 0, SK_CM_MEDIAN = 1 };

/*
 * sk_cm_create — an all-zero Count-Min sketch.
 *   [in]  buckets  b, 1 <= b <= 2^24 (argument 1).
 *   [in]  rows     R, 1 <= R <= 255 (argument 2).
 *   [in]  hash     SK_HASH_POLY or SK_HASH_FAST (argument 3).
 *   [out] out      the new handle; NULL on any error (argument 4).
 *   [in]  seed     seed of the R bucket hashes (argument 5; same functions
 *                  as sk_cs_create's bucket hashes for this seed and mode).
 * Returns 0, -i for an invalid argument i, or SK_ENOMEM. Cost O(R·b).
 */
int sk_cm_create(int buckets, int rows, int hash, sk_cm_t **out, uint64_t seed);

/* sk_cm_destroy — free the handle (NULL is a no-op). */
void sk_cm_destroy(sk_cm_t *cm);

/*
 * sk_cm_update_batch — x_idx[t] += delta[t] for t < count, in order. All
 * entries are validated before any counter changes (a bad entry leaves the
 * sketch untouched).
 *   [in] cm (argument 1); count >= 0 (2); idx[count], each >= 0 (3);
 *   delta[count], each finite (4).
 * Returns 0, -i (a negative index gives -3), SK_ENONFINITE. Cost O(count·R).
 */
int sk_cm_update_batch(sk_cm_t *cm, int count, const int *idx, const double *delta);

/*
 * sk_cm_estimate_all — point estimates x̂_0 … x̂_{n−1}.
 *   [in]  cm (1); n >= 0 (2); rule SK_CM_MIN or SK_CM_MEDIAN (3) (even R:
 *         MEDIAN is the mean of the two middle values).
 *   [out] est[n] (4).
 * Returns 0 or -i. Cost O(n·R).
 */
int sk_cm_estimate_all(const sk_cm_t *cm, int n, int rule, double *est);

/*
 * sk_cm_estimate — the point estimate x̂_i of one key, exactly est[i] of
 * sk_cm_estimate_all (for any key update_batch takes, up to INT_MAX).
 *   [in]  cm (1); i >= 0 (2); rule SK_CM_MIN or SK_CM_MEDIAN (3).
 *   [out] est (4).
 * Returns 0 or -i. Cost O(R) (O(R log R) for MEDIAN).
 */
int sk_cm_estimate(const sk_cm_t *cm, int i, int rule, double *est);

/*
 * sk_cm_f2 — F̂2 = min over rows of Σ_c C[r][c]² (an overestimate of F2 for
 * x >= 0; see the header comment for its bias).
 *   [in] cm (1); [out] f2 (2). Returns 0 or -i. Cost O(R·b).
 */
int sk_cm_f2(const sk_cm_t *cm, double *f2);

/* sk_cm_table — copy the R×b counters, row-major (row r at out + r·b).
 * [in] cm (1); [out] out (2). Returns 0 or -i. */
int sk_cm_table(const sk_cm_t *cm, double *out);

/*
 * sk_cm_size — state size: 8·R·b bytes of counters plus the hash
 * coefficients (2 words per row in theory mode, 1 salt word in fast mode),
 * counted like sk_cs_size; bits = 8·bytes. [in] cm (1); [out] bytes (2),
 * bits (3), either may be NULL. Returns 0 or -1.
 */
int sk_cm_size(const sk_cm_t *cm, long long *bytes, long long *bits);

#ifdef __cplusplus
}
#endif

#endif
