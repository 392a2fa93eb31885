/*
 * id_internal.h — pieces shared by the column-ID methods (lowrank.h).
 *
 * Every method ends with the same state: an orthonormal basis Q (m×k) of
 * range A(:,S) built in pivot order (so span Q(:,1:j) = span A(:,S(1:j))), and
 * F = AᵀQ (n×k). Then R = F(S,:)ᵀ = QᵀA(:,S) is upper triangular and the
 * optimal interpolation matrix is T* = R⁻¹Fᵀ (specs/pivoting.md §1.5, §1.7).
 */
#ifndef SKETCHLAB_ID_INTERNAL_H
#define SKETCHLAB_ID_INTERNAL_H

#include "internal.h"
#include "prescale.h"
#include "pivot_common.h"
#include "sketchlab/lowrank.h"

/* Problem description handed from sk_id_cols to a method. */
typedef struct {
    int m, n, lda, kcap;
    const double *A;
    const sk_id_opts_t *opts;
    sk_rng_t *rng;
    sk_id_trace_t *trace;
    double anorm2;   /* ||A||_F² */
    double *colnorm2; /* n initial squared column norms */
    double noise2;    /* sk__id_noise2(m, kcap) */
} sk__id_problem;

/*
 * A, lda above are the (possibly power-of-two scaled) matrix the methods work
 * on; sk_id_cols scales A when max|a_ij| is outside 2^±SK__ID_SAFE_EXP, where
 * squares, sums of m·n squares and residual masses down to eps²·||A||² all
 * stay normal doubles.
 */
#define SK__ID_SAFE_EXP SK__PRESCALE_SAFE_EXP  /* core/prescale.h, with sk__scale_pow2 */

/*
 * The numerical-rank test (lowrank.h): a column whose residual mass is at
 * most noise2·||A(:,i)||², noise2 = (4(m + k)·eps)², is numerically in the
 * span of the skeleton (its residual is what rounding leaves of a column in
 * that span, whose size is about sqrt(m)·eps·||A(:,i)||), so it is never
 * picked as a new skeleton column.
 */
double sk__id_noise2(int m, int k);

/* Result of a method: S (k), Q (m×kcap, ld m), F (n×kcap, ld n), r (n residual
 * masses); Tsk (kcap×n, ld kcap) is non-NULL only when the caller asked for
 * the sketch interpolation matrix, which the sketch methods then fill. */
typedef struct {
    int k;
    int *S;
    double *Q, *F, *r;
    double *Tsk;
} sk__id_state;

int sk__id_cpqr(const sk__id_problem *p, sk__id_state *st);
int sk__id_sampling(const sk__id_problem *p, sk__id_state *st);
int sk__id_sketch(const sk__id_problem *p, sk__id_state *st);
int sk__id_adaptive_lupp(const sk__id_problem *p, sk__id_state *st);

/*
 * For methods that choose the skeleton S(0..k) first (sketch, adaptive LUPP):
 * Q = orthonormal basis of A(:,S) in pivot order, F = AᵀQ, and the residual
 * masses r (exact, via sk__id_downdate), with r(S) = 0; sets st->k = k.
 */
int sk__id_from_skeleton(const sk__id_problem *p, sk__id_state *st, int k);

/*
 * Downdate residual masses r_i -= Σ_{j in [j0, j1)} F(i,j)², and recompute
 * r_i = ||A(:,i) − Q F(i,:)ᵀ||² exactly (with k columns of Q, F) wherever the
 * downdate has lost half the digits relative to the last exact value rlast_i
 * (LAPACK dlaqp2's sqrt(eps) test). work holds m doubles.
 */
void sk__id_downdate(const sk__id_problem *p, const double *Q, const double *F, int k,
                     int j0, int j1, double *r, double *rlast, double *work);

#endif
