/*
 * sketchlab/svdsketch.h — sketched (randomized) SVD by subspace iteration, and
 * how accurate its singular SUBSPACES are: canonical angles, their exact
 * characterization, a Monte-Carlo estimate, prior and posterior bounds, and
 * residual-norm estimators.  Reference: specs/svd_bounds.md (cited as §x.y);
 * Halko–Martinsson–Tropp, SIAM Review 53 (2011) (HMT); Dong–Martinsson–
 * Nakatsukasa, SIMAX 45 (2024) (DMN).
 *
 * Notation (§1.1).  A is m×n with SVD U Σ Vᵀ, σ₁ >= ... >= σ_r, r = min(m,n).
 * k is the target rank, l >= k the sketch size, q the number of power
 * iterations.  The sketch returns X (m×l, orthonormal basis of
 * range((AAᵀ)^q AΩ)), Y (n×l, basis of range(AᵀX)), and the rank-l SVD of
 * XXᵀA = U_l diag(σ̂) V_lᵀ; the rank-k truncated SVD is the first k columns /
 * values.  Canonical-angle sines are always listed in ASCENDING order: the
 * i-th smallest angle pairs with σ_i (i = 1..k).  Left quantities use the
 * power exponent t = 2q+1, right ones t = 2q+2 (Y gets half an iteration for
 * free).
 *
 * Operators.  Every function that touches A exists twice: `sk_xxx_op` takes an
 * sk_op_t (a callback applying A or Aᵀ to a block, so implicit and sparse
 * matrices work), and `sk_xxx` takes a dense column-major A (the entry point
 * JavaScript uses: wasm cannot call a JS function pointer through these
 * exports).  Every application of A or Aᵀ to b vectors adds b to the counts in
 * an optional sk_rsvd_stats_t, which is three ints (JS: Int32Array(3)).
 *
 * "Not applicable".  A bound whose hypotheses fail is never returned as a
 * number: its outputs are NaN and an `applicable` flag is 0 (§1.6).
 *
 * Status codes as everywhere (core.h): 0, -i for invalid argument i,
 * SK_ENOMEM, SK_ENONFINITE (non-finite matrix or spectrum), SK_ERANK (k out of
 * range), SK_EINVAL (see each function), SK_ENOCONV (a small SVD did not
 * converge).  Nothing is left allocated on any return path.
 */
#ifndef SKETCHLAB_SVDSKETCH_H
#define SKETCHLAB_SVDSKETCH_H

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An m×n linear operator.  apply(ctx, trans, b, Xin, ldx, Yout, ldy) must set
 *   Yout = A·Xin   (trans == 0; Xin n×b, Yout m×b), or
 *   Yout = Aᵀ·Xin  (trans == 1; Xin m×b, Yout n×b),
 * column-major with the given leading dimensions, and return 0; any non-zero
 * return aborts the calling routine, which then returns that value if it is
 * positive and SK_EINVAL otherwise.  Xin is never aliased with Yout.
 */
typedef int (*sk_op_apply_fn)(void *ctx, int trans, int b, const double *Xin, int ldx,
                              double *Yout, int ldy);
typedef struct sk_op_t {
    int m, n;
    void *ctx;
    sk_op_apply_fn apply;
} sk_op_t;

/* Normalizer applied between power iterations (§2.2; §2.2's CGS2 is not provided —
 * Householder QR covers the "true orthonormalization" role). */
typedef enum {
    SK_RSVD_NORM_NONE = 0,    /* plain products; only the final basis is orthonormalized
                                 (exists to demonstrate the loss of the subspace)      */
    SK_RSVD_NORM_QR = 1,      /* Householder QR, Q formed explicitly (reference)       */
    SK_RSVD_NORM_LU = 2,      /* L factor of LU with partial pivoting (scikit-learn)    */
    SK_RSVD_NORM_CHOLQR2 = 3  /* Cholesky QR twice; falls back to QR when the Gram
                                 matrix is not numerically positive definite            */
} sk_rsvd_norm_t;

/* Work counters, ADDED to by every routine that takes one (zero it first). */
typedef struct sk_rsvd_stats_t {
    int matvecs_a;      /* vectors multiplied by A                         */
    int matvecs_at;     /* vectors multiplied by Aᵀ                        */
    int orth_fallbacks; /* CholQR2 -> Householder fallbacks                */
} sk_rsvd_stats_t;

/* ------------------------------------------------------------------------- */
/* The sketch                                                                 */
/* ------------------------------------------------------------------------- */

/*
 * sk_rsvd_op — randomized SVD by subspace iteration (HMT Alg. 4.4 + 5.1; §2.2).
 *
 *   Ω = n×l Gaussian, drawn FIRST from rng as sk_rng_normal_matrix(rng, n, l, Ω, n)
 *   (so a caller can re-create Ω, and G = VᵀΩ, from a copy of the state);
 *   Y0 = AΩ; X = orth(Y0); repeat q times { Z = AᵀX; W = norm(Z); X = norm(AW) };
 *   the last basis is always Householder-orthonormalized.  Then Bᵀ = AᵀX = Q_B R_B,
 *   R_Bᵀ = Ũ Σ̂ Ŵᵀ, U_l = XŨ, V_l = Q_B Ŵ, so XXᵀA = U_l diag(s) V_lᵀ exactly.
 *   With SK_RSVD_NORM_NONE the intermediate bases are raw powers (AAᵀ)^j AΩ.
 *
 *   [in]     A          the operator (not NULL, apply not NULL, m, n >= 1) (arg 1).
 *   [in]     k          target rank, 1 <= k <= min(m,n), else SK_ERANK (arg 2).
 *   [in]     l          sketch size, k <= l <= min(m,n) (arg 3).
 *   [in]     q          power iterations, q >= 0 (arg 4).
 *   [in]     normalizer an sk_rsvd_norm_t (arg 5).
 *   [in,out] rng        random state, advanced by ceil(n·l/2) blocks (arg 6).
 *   [out]    X          m×l left basis, ldx >= m; may be NULL (args 7, 8).
 *   [out]    Y          n×l right basis Q_B, ldy >= n; may be NULL (args 9, 10).
 *   [out]    U          m×l left singular vectors U_l, ldu >= m (args 11, 12).
 *   [out]    s          l singular values σ̂, descending (arg 13).
 *   [out]    V          n×l right singular vectors V_l (V, not Vᵀ), ldv >= n (args 14, 15).
 *   [in,out] stats      counters or NULL; adds l(q+1) to each of matvecs_a, matvecs_at.
 * The rank-k truncated SVD is U(:,1:k), s(1:k), V(:,1:k).  k is validated only
 * (every bound below needs σ̂_{k+1..l} and all l triplets, §2.1).
 * Returns 0, -i, SK_ERANK, SK_ENOMEM, SK_ENOCONV, or the callback's status.
 * Cost: l(2q+2) operator applications + O((m+n)l²(q+1) + l³) flops.
 */
int sk_rsvd_op(const sk_op_t *A, int k, int l, int q, int normalizer, sk_rng_t *rng,
               double *X, int ldx, double *Y, int ldy, double *U, int ldu, double *s,
               double *V, int ldv, sk_rsvd_stats_t *stats);

/*
 * sk_rsvd — sk_rsvd_op for a dense m×n A (lda >= max(1,m)); arguments shift by
 * three (m, n, A, lda replace the operator: k is arg 5, ..., stats arg 19).
 * Additionally returns SK_ENONFINITE if A has a NaN or Inf (checked first).
 * Cost: 4mnl(q+1) flops in sk_dgemm plus the above.
 */
int sk_rsvd(int m, int n, const double *A, int lda, int k, int l, int q, int normalizer,
            sk_rng_t *rng, double *X, int ldx, double *Y, int ldy, double *U, int ldu,
            double *s, double *V, int ldv, sk_rsvd_stats_t *stats);

/* ------------------------------------------------------------------------- */
/* Residual norms (§1.9)                                                      */
/* ------------------------------------------------------------------------- */

/*
 * sk_rsvd_resid_fro — the exact Frobenius residual for free (§1.9):
 *   ‖A − XXᵀA‖_F = sqrt(‖A‖_F² − Σ_{i<=l} σ̂_i²),
 * evaluated as ‖A‖_F·sqrt(max(0, 1 − Σ(σ̂_i/‖A‖_F)²)) to avoid overflow.
 * Cancellation limits it to about sqrt(eps)·‖A‖_F (RandLAPACK's caveat).
 *   anorm_fro ‖A‖_F, finite, >= 0 (arg 1; e.g. sk_dlange('F', ...)).
 *   l, s      the l >= 0 values σ̂ (args 2, 3).   [out] res (arg 4).
 * Returns 0, -i, or SK_ENONFINITE.  Cost O(l).
 */
int sk_rsvd_resid_fro(double anorm_fro, int l, const double *s, double *res);

/*
 * sk_rsvd_resid_norm2_op — a LOWER estimate of a residual's spectral norm by
 * the block power method (as fbpca's diffsnorm; §1.5, §1.9):
 *   side 0: E   = (I − U_lU_lᵀ)A  (= A − XXᵀA),      apply E x = (I−UUᵀ)(Ax)
 *   side 1: E_V = A(I − V_lV_lᵀ)  (E33 of §1.6),      apply E x = A(x − V(Vᵀx))
 * G₀ = orth(Gaussian n×b); then `its` times G = orth(EᵀE G); est = σ_max(E G).
 * Since G is orthonormal, est <= ‖E‖₂ always (measured 0.97–1.0× after 5 steps).
 *   [in]  A, l (1 <= l <= min(m,n)), U (m×l, ldu) used for side 0,
 *         V (n×l, ldv) used for side 1 (the other may be NULL),
 *         side (0 or 1), block b (1 <= b <= n), its >= 0, rng.
 *   [out] est;  [in,out] stats or NULL (adds b(its+1) to matvecs_a, b·its to
 *         matvecs_at).
 * Returns 0, -i, SK_ENOMEM, SK_ENOCONV, or the callback's status.
 * Cost: b(2its+2) applications + O((m+n)(l+b)b·its) flops.
 */
int sk_rsvd_resid_norm2_op(const sk_op_t *A, int l, const double *U, int ldu,
                           const double *V, int ldv, int side, int block, int its,
                           sk_rng_t *rng, double *est, sk_rsvd_stats_t *stats);
/* Dense version (SK_ENONFINITE for a non-finite A); arguments shift by three. */
int sk_rsvd_resid_norm2(int m, int n, const double *A, int lda, int l, const double *U,
                        int ldu, const double *V, int ldv, int side, int block, int its,
                        sk_rng_t *rng, double *est, sk_rsvd_stats_t *stats);

/*
 * sk_rsvd_hmt_estimate_op — HMT's probabilistic upper bound (HMT Lemma 4.1,
 * eq. (4.3); §1.9): for r fresh Gaussian ω_i,
 *   ‖(I − U_lU_lᵀ)A‖₂ <= est = α·sqrt(2/π)·max_i ‖(I − U_lU_lᵀ)Aω_i‖
 * except with probability fail_prob = α^(−r).  Valid but pessimistic: it
 * tracks ‖E‖_F (measured 34–72× ‖E‖₂ with α = 10, r = 5).
 *   [in]  A, l (1 <= l <= min(m,n)), U (m×l, ldu >= m), r >= 1, alpha > 1 finite, rng.
 *   [out] est, fail_prob (may be NULL).  [in,out] stats (adds r to matvecs_a).
 * Returns 0, -i, SK_ENOMEM, or the callback's status.  Cost r applications + O(mlr).
 */
int sk_rsvd_hmt_estimate_op(const sk_op_t *A, int l, const double *U, int ldu, int r,
                            double alpha, sk_rng_t *rng, double *est, double *fail_prob,
                            sk_rsvd_stats_t *stats);
int sk_rsvd_hmt_estimate(int m, int n, const double *A, int lda, int l, const double *U,
                         int ldu, int r, double alpha, sk_rng_t *rng, double *est,
                         double *fail_prob, sk_rsvd_stats_t *stats);

/*
 * sk_rsvd_subres_norms_op — the three norms of the subresidual bound (§1.6):
 *   E3 = A V_l − U_l diag(σ̂) (m×l, exact: one block product + a small SVD), ε3 = ‖E3‖₂,
 *   ε32 = ‖E3(:, k+1:l)‖₂ (0 when l = k), ε33 = ‖A(I − V_lV_lᵀ)‖₂ by
 *   sk_rsvd_resid_norm2_op(side 1, block, its) — a LOWER estimate; for a
 *   certified bound pass a safe upper value of ε33 to sk_angles_subres instead.
 *   [in] A, k (1 <= k <= l), l (<= min(m,n)), U (m×l), s (l), V (n×l),
 *        block, its, rng as in sk_rsvd_resid_norm2_op.
 *   [out] eps3, eps32, eps33.  [in,out] stats (l + block(its+1) products with A).
 * Returns 0, -i, SK_ENOMEM, SK_ENOCONV, or the callback's status.
 */
int sk_rsvd_subres_norms_op(const sk_op_t *A, int k, int l, const double *U, int ldu,
                            const double *s, const double *V, int ldv, int block, int its,
                            sk_rng_t *rng, double *eps3, double *eps32, double *eps33,
                            sk_rsvd_stats_t *stats);
int sk_rsvd_subres_norms(int m, int n, const double *A, int lda, int k, int l,
                         const double *U, int ldu, const double *s, const double *V,
                         int ldv, int block, int its, sk_rng_t *rng, double *eps3,
                         double *eps32, double *eps33, sk_rsvd_stats_t *stats);

/* ------------------------------------------------------------------------- */
/* Canonical angles, the exact characterization, the Monte-Carlo estimate     */
/* ------------------------------------------------------------------------- */

/*
 * sk_canonical_sines — sines of the canonical angles between range(Uk) (m×k,
 * orthonormal) and range(X) (m×l, orthonormal, l >= k) (§1.1, §2.4):
 *   sin θ = singular values of (I − XXᵀ)Uk, ascending,
 * computed with the projection applied twice, so tiny angles keep their
 * relative accuracy (not 1 − cos², which loses everything below 1e-8).
 *   [in]  m >= 1, k (1 <= k <= m), Uk (ldu >= m), l (k <= l <= m), X (ldx >= m).
 *   [out] sines  k values in [0, 1], ascending.
 *   [out] theta  k angles in radians, or NULL: asin(sin θ) below π/4 and
 *                acos(cos θ) above, cos θ from the singular values of XᵀUk
 *                (Knyazev–Argentati, as scipy.linalg.subspace_angles).
 * For the k-dimensional angles ∠(U_k, Û_k) pass l = k and the first k
 * columns.  Returns 0, -i, SK_ENOMEM, SK_ENOCONV.  Cost O(mlk + mk²).
 */
int sk_canonical_sines(int m, int k, const double *Uk, int ldu, int l, const double *X,
                       int ldx, double *sines, double *theta);

/*
 * sk_angles_exact — the exact characterization (§1.2): with G = VᵀΩ (r×l),
 *   W1 = Σ_k^t G(1:k,:), W2 = Σ_⊥^t G(k+1:r,:) = Q2R2, M = W1R2⁻¹,
 *   α = svd(M), sin θ_i(U_k, X) = (1 + α_i²)^(-1/2), ascending.
 * Use t = 2q+1 for ∠(U_k, X) and t = 2q+2 with the same G for ∠(V_k, Y).
 * Single-scale path (§2.6): rows are scaled by (σ_j/σ_ref)^t computed as
 * exp(t·log(σ_j/σ_ref)) with σ_ref the first positive tail value; head
 * scales are capped at e^300, tail rows whose scale is below e^-300 are
 * dropped; where either happens the wide-range path below answers instead
 * when it can.  Edge case
 * (§1.2): when the tail W2 has rank ρ < l (r − k < l, or dropped rows), the
 * l − ρ directions of range(W) inside span(E_k) give exactly-zero sines and
 * the rest come from the same formula on the complement — not sin = 1 as a
 * pseudo-inverse would give.
 *   [in]  r >= 1 rows of G and values of sig; sig (r values, finite, >= 0,
 *         non-increasing: σ or padded σ̂); k (1 <= k <= r, else SK_ERANK);
 *         l (k <= l); t >= 1; G (r×l, ldg >= r).
 *   [out] sines  k values, ascending.
 * Rank-deficient sketches (§1.2 with range(X) of dimension below l): columns
 * of G that are zero on every kept row are dropped (they add nothing to
 * range(X)); when fewer than k columns remain, the last sines are 1 (angles
 * of π/2: range(X) is too small to contain those directions), so G = 0 gives
 * all sines 1. Otherwise G restricted to the rows used (the head rows with
 * σ > 0 and the kept tail rows) must have full rank min(rows, columns) to
 * working precision, σ_min > 10·max(rows, columns)·eps·σ_max; if not
 * (repeated columns, a rank-one G) the sines are not determined and the
 * result is SK_ESINGULAR: pass a G of full column rank (a Gaussian G has it
 * with probability 1), or drop the dependent columns and lower l.
 * Wide range (issue 9): the single-scale W above is not used whenever it
 * would cap a head scale, drop a tail row of σ > 0, or hold an entry of W
 * below 2^-969 (G mixing DBL_MIN-sized and normal entries), when M (or, in
 * the edge case, its complement block) overflows, and when the SVD of M
 * leaves a sine undetermined to working accuracy (below).
 * Then the sines come from a path with a power-of-two exponent per column
 * and no cap or dropped row (every tail row with σ > 0 is used): the tail by
 * Householder QR with row sorting and column pivoting, of any rank ρ (the
 * edge case: l − ρ zero sines from B = W·N, the part of range(W) in
 * span(E_k), and the rest from the complement), M column by column, and α
 * by one-sided Jacobi (Demmel–Veselić) on M, or, when M is row-graded too or
 * wide, on Rᵀ from a row-sorted pivoted QR of M (as LAPACK's dgejsv). Each α
 * is then relatively accurate to O(n·eps·κ), n = max(r, l), κ the condition
 * numbers this path requires below 1/(10·n·eps): the tail with its columns
 * equilibrated, or with rows and columns equilibrated and then R11 as well;
 * in the edge case with d < k, B likewise; M with columns equilibrated, or
 * with rows and columns and then Rᵀ with columns. So each sine is relatively
 * accurate down to DBL_MIN and within a few units of 2^-1074 below it (a true
 * sine below 2^-1075 is returned as 0); scaling sig or G by a power of two
 * changes no bit of the result (status included), and native and wasm
 * agree bit for bit (no libm function in this path). An exactly rank
 * deficient B gives SK_ESINGULAR, as in the single-scale path. Measured on a
 * random extreme-scale set (tests/ref/angles_wide_stress.py, 600 inputs,
 * head/tail gaps up to 2^2000, G entries down to 2^-1022): 589 (98.2%)
 * agree with an mpmath oracle to 1e-10 relative and the other 11 are
 * SK_ESINGULAR (before the forward error bound below: 591 agreed, 2
 * SK_ESINGULAR, 7 wrong with status 0; 84% agreed before this path covered
 * the edge case and row-graded tails). When a required κ is too large (G entries
 * graded in neither rows nor columns, so no diagonal scaling makes the
 * blocks well conditioned), or Jacobi does not converge in 100 sweeps, the
 * single-scale path answers: head scales capped and tail rows dropped as
 * above, so the result is the capped problem's sine, which can differ from
 * the true one; the solve is redone with a power-of-two scale (as LAPACK's
 * dlatrs) when M overflows. Forward error bound of that path: the SVD of M
 * gives each α_i to within δ = 10·max(rows, columns)·eps·α_1 (absolute), so
 * sine i has relative error up to about e_i = δ·(α_i + δ)/(1 + α_i²)
 * (δ/α_i·(1 + δ/α_i) for α_i >= 1 or after a scaled solve). The result is
 * SK_ESINGULAR — the sines are not determined; rescale σ, or drop the
 * offending columns of G, or lower t — exactly when the wide-range path
 * cannot answer and either some e_i > sqrt(eps) (α spanning more than about
 * 1e7/n, e.g. α_1/α_2 = 1e12 at t = 1 gave a second sine wrong by 1e-5 with
 * status 0 before), or the solve was scaled and some α_i <= δ. So every
 * sine returned with status 0 by the single-scale path is relatively
 * accurate to about sqrt(eps) or better, of the capped problem when a cap or
 * drop applied (that case alone can still differ from the true sines).
 * Measured (tests/ref/angles_guard_search.py, 20000 random inputs, σ over
 * 2^100..2^300, t = 1..5, Gaussian G): 76 results off by more than 1e-6
 * with status 0 before became 22 right (the wide path now answers) and 54
 * SK_ESINGULAR, 22 that were right to 1e-6 became SK_ESINGULAR (all 76
 * SK_ESINGULAR are capped inputs: none without a cap or drop), 695 changed
 * bits but stay right (the wide path answers), 19207 kept every bit. Capped
 * inputs whose capped α stays resolved can still come back wrong with status
 * 0 (40 of 4000 inputs of that set, e.g. a capped head direction's tiny sine).
 * Returns 0, -i, SK_ERANK, SK_ENONFINITE (sig or G), SK_ESINGULAR (above),
 * SK_ENOMEM, SK_ENOCONV.
 * Cost O((r−k)l² + kl²) flops, no access to A (the wide-range path adds
 * a few small SVDs for its condition checks and O((k + l)·l²) per Jacobi
 * sweep, at most 100 sweeps).
 */
int sk_angles_exact(int r, const double *sig, int k, int l, int t, const double *G, int ldg,
                    double *sines);

/*
 * sk_angles_mc — the Monte-Carlo ("unbiased") estimate (§1.4): ntrial fresh
 * r×l Gaussian G̃ from rng (one sk_rng_normal_matrix(rng, r, l, ...) each,
 * so use a stream independent of the sketch's), each through sk_angles_exact.
 * With the true σ every trial has exactly the distribution of the algorithm's
 * sines, so `mean` is unbiased for E[sin θ_i]; with padded σ̂
 * (sk_spectrum_pad) it is biased upward.
 *   [in]  r, sig, k, l, t as sk_angles_exact; ntrial >= 1; rng.
 *   [out] mean, lo, hi  k values each (per-index mean, min, max); lo/hi may be NULL.
 * Returns as sk_angles_exact.  Cost ntrial·O((r−k)l² + kl²).
 */
int sk_angles_mc(int r, const double *sig, int k, int l, int t, int ntrial, sk_rng_t *rng,
                 double *mean, double *lo, double *hi);

/*
 * sk_spectrum_pad — σ̂ padded to length r as in the DMN notebook (§1.3):
 * out(1:l) = sh(1:l), out(l+1:r) = sh(l).  l >= 1, r >= l, sh finite >= 0.
 * Returns 0, -i, SK_ENONFINITE.
 */
int sk_spectrum_pad(int l, const double *sh, int r, double *out);

/* ------------------------------------------------------------------------- */
/* Bounds                                                                     */
/* ------------------------------------------------------------------------- */

/*
 * sk_angles_prior — space-agnostic prior bounds ("Thm1", §1.3), with
 * T_t = Σ_{j>k} σ_j^{2t}:
 *   sin θ_i <= (1 + c_up·l·σ_i^{2t}/T_t)^(-1/2),  sin θ_i >= (1 + c_lo·l·σ_i^{2t}/T_t)^(-1/2).
 *   conservative == 0 (notebook): c_up = (1 − ε√(k/l))/(1 + ε√(l/(r−k))),
 *                                 c_lo = (1 + ε√(k/l))/(1 − ε√(l/(r−k)));
 *   conservative == 1 (§1.3, derived): with the powered tail's stable rank
 *       s_t = T_t/σ_{k+1}^{2t}: c_up = (1 − ε√(k/l))²/(1 + ε√(l/s_t))²,
 *                               c_lo = (1 + ε√(k/l))²/(1 − ε√(l/s_t))²;
 *   the spec's conservative variant is ε = 1.  c_up <= 0 gives the vacuous
 *   upper bound 1; a non-positive denominator of c_lo gives the lower bound 0.
 * These hold with high probability for the true σ; ε = 1 (notebook) is
 * sometimes violated, the conservative variant (almost) never (§1.3).
 * Evaluated in logarithms with a log-sum-exp for T_t (σ^{2t} spans hundreds of
 * decades for large q), so nothing overflows.  A zero tail gives sin = 0.
 *   [in]  r >= k+1 values sig (finite, >= 0, non-increasing; σ or padded σ̂),
 *         k >= 1 (else SK_ERANK), l >= k, t >= 1, eps finite >= 0, conservative 0/1.
 *   [out] sin_up k values (ascending in i);  sin_lo k values or NULL.
 * Returns 0, -i, SK_ERANK, SK_ENONFINITE.  Cost O(r).
 */
int sk_angles_prior(int r, const double *sig, int k, int l, int t, double eps,
                    int conservative, double *sin_up, double *sin_lo);

/*
 * sk_angles_residual — the residual posterior bound ("Thm2", §1.5),
 * deterministic for ANY orthonormal X:
 *   sin θ_i <= min{ ‖E‖₂/σ_i , σ_{k−i+1}(E)/σ_k },  clipped to 1,
 * with E = (I − XXᵀ)A for ∠(U_k, X) or E_V = A(I − V_lV_lᵀ) for ∠(V_k, Y).
 * σ may be replaced by σ̂ (σ̂_i <= σ_i keeps it rigorous); normE must be an
 * UPPER value of ‖E‖₂ for a certificate (the power method gives a lower one).
 *   [in]  k >= 1; sig (k values, finite, >= 0, non-increasing); normE finite >= 0;
 *         svE  the top k singular values of E, descending, or NULL to skip
 *         the refined term.
 *   [out] sin_up  k values (σ_i = 0 gives 1).
 * Returns 0, -i, SK_ENONFINITE.  Cost O(k).
 */
int sk_angles_residual(int k, const double *sig, double normE, const double *svE,
                       double *sin_up);

/*
 * sk_angles_subres — the subresidual posterior bound ("Thm3", §1.6):
 *   D = σ_k² − ε33²,
 *   sin θ_i(U_k, X)   <= ε3·σ_k² / (D·σ_i)
 *   sin θ_i(V_k, Y)   <= ε3·ε33·σ_k / (D·σ_i)
 *   sin θ_i(U_k, Û_k) <= sqrt(1 + (ε32·σ̂_{k+1}·σ_k/((σ_k² − σ̂_{k+1}²)σ_i))²)·ε3·σ_k/D
 *   sin θ_i(V_k, V̂_k) <= sqrt((ε33/σ_k)² + (ε32·σ_k²/((σ_k² − σ̂_{k+1}²)σ_i))²)·ε3·σ_k/D
 * each clipped to 1, valid only under the gap conditions σ_k > ε33 and
 * σ_k > σ̂_{k+1}.  If they fail (e.g. q = 0 with little oversampling, or σ̂
 * in place of σ) every output is NaN and *applicable = 0 — never the
 * negative numbers the raw formula produces.  Validity was measured, not
 * proved (§1.6). Scale-safe: the ratios to σ are carried as f·2^e and each
 * bound is rounded once, so no input in the double range gives Inf·0 (a NaN
 * labelled applicable) and scaling every input by 2^j changes nothing.
 *   [in]  k >= 1; sig (k values, non-increasing, > 0 finite; σ or σ̂);
 *         sh_k1 = σ̂_{k+1} (0 when l = k); eps3, eps32, eps33 >= 0 finite
 *         (sk_rsvd_subres_norms_op).
 *   [out] u_l, v_l, u_k, v_k  k values each (any may be NULL);
 *         applicable  1 if the conditions hold, else 0.
 * Returns 0 (also when not applicable), -i, SK_ENONFINITE.  Cost O(k).
 */
int sk_angles_subres(int k, const double *sig, double sh_k1, double eps3, double eps32,
                     double eps33, double *u_l, double *v_l, double *u_k, double *v_k,
                     int *applicable);

/* ------------------------------------------------------------------------- */
/* Choosing (l, q) under a matvec budget (§1.10)                              */
/* ------------------------------------------------------------------------- */

/*
 * sk_rsvd_plan_phi — the DMN notebook's closed-form score for the flat-gap
 * model (k values g, βk values 1, budget l(2q+1) = αk):
 *   φ_γ(q) = (1 + [√(α/β)/√(2q+1) − γ/√β] / [√(β/α)√(2q+1) + γ] · g^{4q+2})^(-1/2),
 * valid for 2q+1 < α/γ²; φ(q) = NaN where not valid.
 *   [in]  alpha, beta > 0, gamma >= 0, g >= 1 (finite), qmax >= 0.
 *   [out] phi   qmax+1 values (q = 0..qmax);  qbest  argmin over the valid q
 *               (-1 if none is valid).
 * Returns 0, -i.  Cost O(qmax).
 */
int sk_rsvd_plan_phi(double alpha, double beta, double gamma, double g, int qmax,
                     double *phi, int *qbest);

/*
 * sk_rsvd_plan — sweep q = 0..qmax under a budget of `budget` range-finder
 * products, l_q = min(floor(budget/(2q+1)), r), and score each by the largest
 * left sine predicted from the spectrum: the Monte-Carlo mean at i = k
 * (ntrial >= 1, rng used) or, with ntrial == 0, the prior upper bound with ε
 * (rng may be NULL).  A q whose l_q < k gets score NaN.
 *   [in]  r, sig (as sk_angles_prior), k, budget >= k, qmax >= 0, eps, ntrial, rng.
 *   [out] lq (qmax+1 ints), score (qmax+1 doubles), qbest (argmin, -1 if none).
 * Returns 0, -i, SK_ERANK, SK_ENONFINITE, SK_ENOMEM, SK_ENOCONV.
 * Cost: ntrial·O(r·l_q²) per q (no access to A).
 */
int sk_rsvd_plan(int r, const double *sig, int k, int budget, int qmax, double eps,
                 int ntrial, sk_rng_t *rng, int *lq, double *score, int *qbest);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_SVDSKETCH_H */
