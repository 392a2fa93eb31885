/*
 * sketchlab/lowrank.h — column interpolative decompositions (ID) by pivoting.
 *
 * A column ID selects k columns S of an m×n matrix A and an interpolation
 * matrix T (k×n) with A ≈ A(:,S)·T and T(:,S) = I. Every method here returns
 * the optimal T* = A(:,S)⁺A for its skeleton (all of them build an orthonormal
 * basis Q of range A(:,S) in pivot order as a by-product, and T* = R⁻¹QᵀA with
 * R = QᵀA(:,S) upper triangular), so methods differ only in the skeleton S.
 *
 * One meaning of the tolerance for every method (specs/pivoting.md §1.1(c)):
 * stop at the first rank k whose squared Frobenius residual
 *     ||A − A(:,S)T||_F² = ||(I − QQᵀ)A||_F²  <=  tol·||A||_F².
 * The rank cap max_rank is the alternative (or additional) stopping rule.
 * Blockwise methods test the tolerance inside the last block too ("exact cut",
 * §1.7): the residual after each accepted column is known from the block's
 * product AᵀQ_t, so they never overshoot the first rank that meets tol.
 *
 * Numerical rank. The rank k can be smaller than max_rank (and than a tol
 * would need): a column whose residual ||(I − QQᵀ)A(:,j)|| is at most
 * 4(m + max_rank)·eps·||A(:,j)|| lies in the span of the skeleton up to
 * rounding, and is never added to it (its direction is rounding noise, and
 * R = QᵀA(:,S) would be numerically singular, T meaningless). So the method
 * stops at A's numerical rank: then k < max_rank, res2 > tol·||A||_F² fails
 * to hold only by rounding (res2 <= (4(m + max_rank)·eps)²·||A||_F²), and T is
 * finite. Callers detect it as k < max_rank with tol == 0 or res2 > tol·anorm2
 * (the JS API reports it as stop: 'numerical-rank'). A = 0 gives k = 0.
 *
 * Scale. Any finite A works, from subnormal to DBL_MAX entries: when max|a_ij|
 * is outside [2^-256, 2^256] the methods run on 2^-e·A with max entry in
 * [1/2, 1) (a power-of-two scale is exact, so S and T are bit for bit those of
 * A·2^j for any j in range). res2, anorm2 and the trace are reported in A's
 * units; they are Inf or 0 only where the true value is not a double (e.g.
 * ||A||_F² for entries near 1e160); their ratio is then best taken from a
 * scaled copy of A.
 *
 * Methods (specs/pivoting.md §1):
 *   SK_ID_CPQR        deterministic column-pivoted QR (Businger–Golub, §1.1)
 *   SK_ID_RPQR        sequential adaptive random pivoting: sample one column
 *                     with probability ∝ its residual squared norm (§1.5)
 *   SK_ID_BRP         blockwise random pivoting: b columns without replacement
 *                     ∝ residual norms, all kept (§1.6)
 *   SK_ID_BGP         blockwise greedy: the b largest residual norms (§1.6)
 *   SK_ID_RBRP        robust BRP: BRP + local CPQR of the residual block and the
 *                     filter ρ_j >= τ_b·ρ_1 that drops near-duplicates (§1.7)
 *   SK_ID_SKETCH_CPQR Gaussian sketch Y = ΩA (l×n, l = k + oversample), CPQR of
 *                     Y for the skeleton (§1.2); needs max_rank, ignores tol
 *   SK_ID_SKETCH_LUPP same sketch, LU with partial pivoting of Yᵀ (§1.3)
 *   SK_ID_ADAPTIVE_LUPP adaptive blocked randomized LUPP (Pearce et al., §1.4):
 *                     b fresh Gaussian sketch columns per block, LUPP of the
 *                     Schur complement; rank-adaptive through the unbiased
 *                     estimate of the residual that the Schur complement gives
 *                     (so it stops where the *estimate* meets tol; the trace
 *                     records the estimates, res2 is exact)
 */
#ifndef SKETCHLAB_LOWRANK_H
#define SKETCHLAB_LOWRANK_H

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SK_ID_CPQR = 0,
    SK_ID_RPQR = 1,
    SK_ID_BRP = 2,
    SK_ID_BGP = 3,
    SK_ID_RBRP = 4,
    SK_ID_SKETCH_CPQR = 5,
    SK_ID_SKETCH_LUPP = 6,
    SK_ID_ADAPTIVE_LUPP = 7
} sk_id_method_t;

/*
 * Options for sk_id_cols. Zero-initialize and set what you need:
 *   method      one of sk_id_method_t.
 *   max_rank    cap on k; 0 means min(m, n). Must be <= min(m, n).
 *   tol         residual-mass tolerance (see above); 0 disables. Must be in [0, 1).
 *               At least one of max_rank > 0 or tol > 0 must be given for the
 *               sketch methods, which need a target rank (they use max_rank).
 *   block       candidates per step b; 0 means 64 for BRP/BGP/RBRP (the block
 *               size of the RBRP authors' MATLAB and CUDA code; the exact cut
 *               keeps large blocks from overshooting a tolerance) and 32 for
 *               adaptive LUPP (which stops after whole blocks).
 *   filter_tol  RBRP's τ_b; 0 means 1/b. Must be in [0, 1].
 *   oversample  sketch methods: l = min(k + oversample, m) rows; 0 means 10.
 *   interp      which T to return (sk_id_interp_t): SK_ID_INTERP_OPTIMAL (0,
 *               the default, every method) or SK_ID_INTERP_SKETCH (the sketch
 *               methods only, else -5). The sketch T costs O(k²n) and no
 *               further pass to build, but is not optimal for S (§3.5.6: a
 *               5–17× larger squared error); res2 is then the residual of
 *               that T, computed exactly (one extra product A(:,S)·T). The
 *               trace keeps the skeleton's optimal residual.
 */
typedef struct {
    int method;
    int max_rank;
    double tol;
    int block;
    double filter_tol;
    int oversample;
    int interp;
} sk_id_opts_t;

/*
 * The interpolation matrix returned for a skeleton S (sk_id_opts_t.interp).
 *   SK_ID_INTERP_OPTIMAL  T* = A(:,S)⁺A: the least-squares optimum for S.
 *   SK_ID_INTERP_SKETCH   from the sketch Y = ΩA alone: sketch + CPQR gives
 *                         T(:,P) = [I, R11⁻¹R12] from CPQR(Y) = Q[R11 R12]P
 *                         (the RBRP authors' randCPQR.m); sketch + LUPP gives
 *                         T(:,P) = [I, (L21·L11⁻¹)ᵀ] from LUPP(PYᵀ) = LU
 *                         (Dong & Martinsson 2023). T(:,S) = I exactly.
 *                         A sketch whose first k pivots are exactly singular
 *                         gives SK_ESINGULAR.
 */
typedef enum {
    SK_ID_INTERP_OPTIMAL = 0,
    SK_ID_INTERP_SKETCH = 1
} sk_id_interp_t;

/*
 * A trace for teaching (every pivoting method): for step t (one sampled block,
 * or one pivot for CPQR/RPQR), the candidate columns cand[off[t] .. off[t+1]-1]
 * with status 1 (accepted, in pivot order first) or 0 (filtered out by RBRP's
 * filter, or cut by the tolerance), and the residual mass res2[t] after it.
 * The caller allocates: steps_cap >= max_rank + n + 1 steps and cand_cap >=
 * steps_cap·b candidates are always enough (candidates found numerically in
 * the span of the skeleton form steps of their own, each resolving at least
 * one column for good; without such columns max_rank + 1 steps suffice). If a buffer is too small the
 * trace stops growing and `truncated` is set; the factorization is unaffected.
 */
typedef struct {
    int steps_cap, cand_cap;   /* [in]  capacities of the arrays below            */
    int *off;                  /* [out] steps_cap + 1 offsets into cand/status     */
    int *cand;                 /* [out] candidate column indices (0-based)         */
    signed char *status;       /* [out] 1 accepted, 0 rejected                     */
    double *res2;              /* [out] residual mass after each step              */
    int nsteps;                /* [out] steps recorded                             */
    int truncated;             /* [out] 1 if a capacity was too small              */
} sk_id_trace_t;

/*
 * sk_id_cols — column interpolative decomposition A ≈ A(:,S)·T.
 *   [in]     m, n     A is m×n, m, n >= 0.
 *   [in]     A        the matrix (not modified), lda >= max(1, m).
 *   [in]     opts     options (not NULL), see sk_id_opts_t.
 *   [in,out] rng      random state for the randomized methods (advanced);
 *                     may be NULL for SK_ID_CPQR and SK_ID_BGP.
 *   [out]    S        k skeleton column indices (0-based) in pivot order;
 *                     room for max_rank (or min(m,n)) entries.
 *   [out]    T        k×n interpolation matrix, ldt >= max(1, kcap); may be NULL
 *                     to skip it (saves the O(k²n) solve).
 *   [out]    rank     k (<= max_rank; smaller at A's numerical rank, see above).
 *   [out]    res2     ||A − A(:,S)T||_F² (exact up to rounding: residual column
 *                     norms are recomputed where downdating lost half the
 *                     digits); may be NULL.
 *   [out]    anorm2   ||A||_F²; may be NULL.
 *   [in,out] trace    teaching trace or NULL.
 * Returns 0, -i for invalid argument i, SK_ERANK (max_rank out of range),
 * SK_EINVAL (a sketch method without max_rank), SK_ESINGULAR (the sketch
 * interpolation matrix of an exactly singular sketch, or interp =
 * SK_ID_INTERP_SKETCH when the numerical rank is below max_rank), SK_ENONFINITE
 * (A has Inf or NaN) or SK_ENOMEM.
 * Cost: about 2mnk flops for the sampling methods (one product AᵀQ per block)
 * plus O(mk² + mkb); CPQR 4mnk; sketch methods 2mnl + the ID solve.
 */
int sk_id_cols(int m, int n, const double *A, int lda, const sk_id_opts_t *opts,
               sk_rng_t *rng, int *S, double *T, int ldt, int *rank, double *res2,
               double *anorm2, sk_id_trace_t *trace);

/* ------------------------------------------------------------------------- */
/* Test-matrix gallery (specs/pivoting.md §2), seeded through the core RNG so  */
/* the same seed gives the same matrix natively and in wasm.                   */
/* ------------------------------------------------------------------------- */

/*
 * sk_gallery_spectrum — A = U diag(s) Vᵀ (m×n) with Haar-distributed U (m×k),
 * V (n×k), k = min(m,n): Q factors of Gaussian matrices with the signs of
 * diag(R) divided out. s holds k values. Returns 0, -i, or SK_ENOMEM.
 */
int sk_gallery_spectrum(int m, int n, const double *s, sk_rng_t *rng, double *A, int lda);

/*
 * sk_gallery_gmm — the Gaussian-mixture matrix that defeats blockwise
 * sampling (§2.1): d×npts, one point per column, `clusters` clusters of
 * npts/clusters consecutive columns; cluster c (1-based) is centred at
 * 10·c·e_c plus N(0, sigma²I) noise. Needs d >= clusters >= 1 and npts a
 * multiple of clusters. Returns 0 or -i. (The spec's "GMM 2000×500" is
 * npts = 2000 points in d = 500 dimensions, i.e. a 500×2000 matrix here.)
 */
int sk_gallery_gmm(int d, int npts, int clusters, double sigma, sk_rng_t *rng, double *A, int lda);

/*
 * sk_gallery_kahan — the n×n Kahan matrix diag(ζ^{i}) (I − φ·strict upper
 * ones), φ = sqrt(1 − ζ²), 0 < ζ < 1: CPQR does not pivot on it and |R_nn|
 * overestimates σ_n exponentially (§1.1). Returns 0 or -i.
 */
int sk_gallery_kahan(int n, double zeta, double *A, int lda);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_LOWRANK_H */
