/*
 * angles_wide.h — the wide-range path of sk_angles_exact (issue 9): the
 * sines for a W = Σ^t G whose row scales or entries span more than the
 * double range, with every column carried as a mantissa vector times its own
 * power of two (angles_xnum.h), the tail of any rank (the edge case of §1.2
 * included). Private.
 */
#ifndef SKETCHLAB_SVD_ANGLES_WIDE_H
#define SKETCHLAB_SVD_ANGLES_WIDE_H

/* Not applicable (a block too ill-conditioned for this path's accuracy, or
 * Jacobi did not converge): the caller keeps its single-scale path. */
#define SK__WIDE_NA (-1)

/*
 * sk__angles_wide — the kw = min(kp, lw) sines of sk_angles_exact for the
 * head rows 0..kp-1 (σ > 0) and every tail row k..r-1 with σ > 0 (none
 * dropped), columns cols[0..lw-1] of G; see angles_wide.c.
 * Returns 0 (sines[0..kw-1] ascending), SK_ESINGULAR (the tail or the part of
 * range(W) in span(E_k) exactly rank deficient: the single-scale path's
 * criterion), SK__WIDE_NA, SK_ENOMEM.
 */
int sk__angles_wide(int r, const double *sig, int k, int kp, int t, const double *G, int ldg,
                    const int *cols, int lw, double *sines);

#endif
