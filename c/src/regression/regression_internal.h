/*
 * regression_internal.h — private pieces of the regression module shared by
 * its translation units (formulas.c, sampling.c, solver.c).
 */
#ifndef SK_REGRESSION_INTERNAL_H
#define SK_REGRESSION_INTERNAL_H

#include "internal.h"

/*
 * The quantities at one point x (spec §2): z = Ax, f = softmax(z) by max
 * shift, h = (2f − b)∘f, κ = <f − b, f>, γ = <3f − 2b, f>, the loss and the
 * gradient g = Aᵀ(f∘c − κf + w²∘z) (g may be NULL: then only r = f∘c − κf + w²∘z,
 * n entries, is formed, for a caller that multiplies by Aᵀ itself). Never overflows.
 * Takes w, not w²: the regulariser terms are formed as w·(w·z) and (w·z)², since
 * w² underflows for |w| < 2^-511 although w·(w·z) and (w·z)² can be ordinary
 * numbers (w = 1e-170, z = 1e150: (wz)² = 1e-40, w²·z² gave 0).
 */
void sk__reg_point(int n, int d, const double *A, int lda, const double *b, const double *w,
                   const double *x, double *z, double *f, double *hv, double *r, double *g,
                   double *loss, double *kappa, double *gamma);

/*
 * The same quantities from one pass over A (onepass.c): u = Aᵀf, v = Aᵀh and
 * g are formed from per-block Aᵀ products while each row block of A is in
 * cache; r is not formed. blk: 4·sk__reg_onepass_rows(d) doubles (at least 4·min(n, that)),
 * P: 4d doubles, both workspace. Also, in the same pass, G(t, :) := A(rows[t], :)
 * for t < nrows (rows strictly ascending, G nrows×d with leading dimension
 * nrows; nrows = 0: rows and G are not read).
 */
int sk__reg_onepass_rows(int d);
void sk__reg_point_onepass(int n, int d, const double *A, int lda, const double *b,
                           const double *w, const double *x, double *z, double *f, double *hv,
                           double *blk, double *P, double *u, double *v, double *g,
                           double *loss, double *kappa, double *gamma, int nrows,
                           const int *rows, double *G);

/* L at the point with scores z (O(n), for line searches): f is workspace. */
double sk__reg_loss_z(int n, const double *z, const double *b, const double *w, double *f);

/*
 * H(lower) := Aᵀ diag(D) A with D of any sign: rows with D_i >= 0 scaled by
 * √D_i go to one SYRK, rows with D_i < 0 scaled by √−D_i to a subtracting one
 * (nd² flops in all). Rows with D_i == 0 are skipped. work: n·d doubles,
 * scale: n doubles.
 */
int sk__reg_atda(int n, int d, const double *A, int lda, const double *D, double *work,
                 double *scale, double *H, int ldh);

/* H(lower) += γ u uᵀ − u vᵀ − v uᵀ (the exact rank-<=2 part of §4). */
void sk__reg_add_rank2(int d, double gamma, const double *u, const double *v, double *H, int ldh);

/* Copy the lower triangle to the upper one. */
void sk__reg_symmetrize(int d, double *H, int ldh);

/* Solve L Lᵀ y = y in place with the Cholesky factor in the lower triangle of C. */
int sk__reg_chol_solve(int d, const double *C, int ldc, double *y);

/* Leverage scores of diag(√D)·A (D may be NULL); see sk_regression_leverage. */
int sk__reg_leverage(int kind, int n, int d, const double *A, int lda, const double *D,
                     sk_rng_t *rng, double *sigma);

/* The prefix sums of p into cdf; returns their total. */
double sk__reg_cdf(int n, const double *p, double *cdf);

/* guide[b] := the first i with cdf[i] > total·(b/n) (n − 1 if none), b < n:
   a table that lets a draw start next to its row (O(n) to build, n ints). */
void sk__reg_guide(int n, const double *cdf, double total, int *guide);

/* SUBSAMPLE's draws given cdf = sk__reg_cdf(p) and its total (a caller whose
   p does not change, e.g. scores computed once, builds cdf once), and
   optionally guide = sk__reg_guide(cdf) (NULL: binary search; the rows drawn
   are the same either way, bit for bit). */
int sk__reg_draw(int n, const double *D, const double *p, const double *cdf, const int *guide,
                 double total, int s, sk_rng_t *rng, double *dtilde, int *rows);

/*
 * The rows of SUBSAMPLE's draws without their weights (which need D, i.e. the
 * point x; the rows need only p and the rng): consumes rng exactly as
 * sk__reg_draw does; cnt[i] += the number of draws of row i (cnt: n ints, zero
 * on entry), rows[0..*k) := the distinct drawn rows ascending (k <= min(n, s)).
 * A nonzero return is sk_rng_uniform's; cnt and rows are then partial.
 */
int sk__reg_draw_rows(int n, const double *p, const double *cdf, const int *guide, double total,
                      int s, sk_rng_t *rng, int *cnt, int *rows, int *k);

/* The draws' weights given D: dtilde[rows[t]] := what sk__reg_draw would store
   there for the same draws (bit for bit); cnt of those rows back to 0. Other
   entries of dtilde are not touched. */
void sk__reg_draw_weights(const double *D, const double *p, double total, int s, int k,
                          const int *rows, int *cnt, double *dtilde);

/* SUBSAMPLE without argument checks; cdf: n doubles of workspace. */
int sk__reg_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                      double *cdf, double *dtilde, int *rows);

#endif
