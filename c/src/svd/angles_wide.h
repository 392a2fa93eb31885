/*
 * angles_wide.h — the wide-range path of sk_angles_exact (issue 9): the
 * cotangents α = svd(W1·R2⁻¹) for a W = Σ^t G whose row scales or column
 * scales span more than the double range, with every column carried as a
 * mantissa vector times its own power of two. Private.
 */
#ifndef SKETCHLAB_SVD_ANGLES_WIDE_H
#define SKETCHLAB_SVD_ANGLES_WIDE_H

/* Not applicable (tail rank below the columns kept, or a block too
 * ill-conditioned): the caller keeps its single-scale path. */
#define SK__WIDE_NA (-1)

/*
 * sk__angles_wide — the kw = min(kp, lw) sines of sk_angles_exact for the
 * head rows 0..kp-1 (σ > 0) and every tail row k..r-1 with σ > 0, columns
 * cols[0..lw-1] of G, when the tail block has rank lw; see angles_wide.c.
 * Returns 0 (sines[0..kw-1] ascending), SK__WIDE_NA (also when a graded
 * block is too ill-conditioned for this path's accuracy, or Jacobi does not
 * converge), SK_ENOMEM.
 */
int sk__angles_wide(int r, const double *sig, int k, int kp, int t, const double *G, int ldg,
                    const int *cols, int lw, double *sines);

#endif
