/*
 * sketchlab/rpchol.h — randomly pivoted Cholesky (RPCholesky) for PSD and
 * kernel matrices, and the kernel gallery it is demonstrated on.
 *
 * Pivoted partial Cholesky of a symmetric positive semidefinite N×N matrix A:
 * choose pivots S (|S| = k) and build F (N×k) column by column,
 *     F(:,i) = g / sqrt(g_s),   g = A(:,s) − F(:,1:i−1)·F(s,1:i−1)ᵀ,
 * so that  Â = F·Fᵀ = A(:,S)·A(S,S)⁻¹·A(S,:)  (the column Nyström approximation
 * of A on S). The residual diagonal d = diag(A − Â) >= 0 is kept up to date
 * (d ← d − F(:,i)∘F(:,i)) and its sum is the exact error tr(A − Â), because
 * A − Â is PSD and its trace-norm is its trace. The pivot rule is the method
 * (specs/pivoting.md §1.8):
 *
 *   SK_RPCHOL_RANDOM   simple RPCholesky: s drawn with probability d_s / Σd
 *                      (Chen, Epperly, Tropp, Webber, CPAM 2025).
 *   SK_RPCHOL_GREEDY   s = argmax d (ties to the lowest index): the classical
 *                      diagonally pivoted Cholesky. Defeated by "robspiral".
 *   SK_RPCHOL_UNIFORM  max_rank draws, each uniform among the indices not yet
 *                      drawn: plain (non-adaptive) Nyström on k uniform
 *                      columns. A draw that is numerically in the span of
 *                      the previous ones is dropped but still uses its slot,
 *                      so the returned rank can be below max_rank. Defeated
 *                      by "smile".
 *   SK_RPCHOL_BLOCK    block RPCholesky: b pivots per round drawn without
 *                      replacement ∝ d; G = A(:,S') − F·F(S',:)ᵀ; Cholesky
 *                      H + shift·I = L·Lᵀ of H = G(S',:) with
 *                      shift = 2·b·eps·max(d); F_new = G·L⁻ᵀ. Keeps every
 *                      sampled pivot, so redundant pivots in one block waste
 *                      rank (the failure mode of blockwise sampling).
 *   SK_RPCHOL_RBRP     RBRP-Cholesky: the same block, but a greedily pivoted
 *                      Cholesky (LAPACK pstrf order) of the b×b residual block
 *                      H, truncated at the first step j whose trailing trace
 *                      ρ_j = tr(Schur complement after j−1 steps) drops below
 *                      τ_b·tr(H) (τ_b = 1/b by default); the rejected
 *                      candidates return to the pool (§1.7 "RBRP-Cholesky").
 *
 * One meaning of the tolerance, as in lowrank.h (the residual mass): stop at
 * the first rank k with  tr(A − F·Fᵀ) = Σd <= tol·tr(A). The block methods
 * cut their last block at the first column meeting it ("exact cut"), so every
 * method stops at the first k that meets tol. The rank cap max_rank is the
 * other stopping rule; at least one of the two must be given.
 *
 * Robustness. The computed residuals are exact Schur complements of a nearby
 * A + E, |E| <= γ_k·max A_ss (Cholesky is backward stable), but a Schur
 * complement moves by up to (1 + ||c||₁)²·|E| where c = A(S,S)⁻¹A(S,s) are
 * the interpolation coefficients, which grow after small pivots (on
 * robspiral, uniform pivots of 1e-6 make later residuals uncertain at 1e-3).
 * So each candidate gets a noise floor 10·(k+1)·eps·max(A_ss)·(1 + ||c||₁)²
 * (c from L⁻¹, L = F(S,:), kept up to date in O(k²) per pivot). A pivot at or
 * below its floor is numerically in span F: it is not taken, never drawn
 * again, and its d_s stays in the residual sum (so Σd = tr(A) − ||F||_F²
 * always); rank-deficient inputs (duplicate points, exhausted residual) thus
 * end cleanly, possibly below max_rank, instead of dividing by noise.
 * Non-PSD input is detected rather than factored into garbage: a negative
 * diagonal entry, a pivot below −16× its floor, or a residual diagonal entry
 * below −16·(k+b)·eps·max(A_ss)·(1 + ||L⁻¹||_F·sqrt(A_ii))² give SK_ENOTPD;
 * NaN/Inf in the diagonal or in any column read gives SK_ENONFINITE. (Only
 * the columns the algorithm reads are examined: an indefinite A can pass if
 * its indefiniteness lies outside them, as with any partial factorization.)
 *
 * Randomness comes only from the caller's sk_rng_t: the same state gives the
 * same pivots for the dense, the oracle and the kernel entry points, natively
 * and in WebAssembly.
 *
 * Cost: (k+1)·N entry evaluations (N for the diagonal, N per pivot column)
 * and about 2·N·k² flops (k²N for the products F·F(S',:)ᵀ, plus O(N·k) for
 * sampling); the block methods do the same work in k/b rounds of GEMMs and
 * evaluate b·N entries per round (RBRP also evaluates rejected candidates).
 *
 * References: Y. Chen, E. N. Epperly, J. A. Tropp, R. J. Webber, "Randomly
 * pivoted Cholesky: practical approximation of a kernel matrix with few entry
 * evaluations", CPAM 78(5) (2025), arXiv 2207.06503; E. N. Epperly, J. A. Tropp,
 * R. J. Webber, arXiv 2410.03969 (block and RBRP-Cholesky variants);
 * specs/pivoting.md §1.7–§1.8, §2.4, §3.5.5.
 */
#ifndef SKETCHLAB_RPCHOL_H
#define SKETCHLAB_RPCHOL_H

#include "rng.h"
#include "lowrank.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SK_RPCHOL_RANDOM = 0,
    SK_RPCHOL_GREEDY = 1,
    SK_RPCHOL_UNIFORM = 2,
    SK_RPCHOL_BLOCK = 3,
    SK_RPCHOL_RBRP = 4
} sk_rpchol_method_t;

/*
 * Options for the sk_rpchol* functions. Zero-initialize and set what you need:
 *   method      one of sk_rpchol_method_t.
 *   max_rank    cap on k and the column capacity of F; 0 means N (then tol
 *               must be > 0). Must be <= N, else SK_ERANK.
 *   tol         residual-mass tolerance: stop once tr(A − FFᵀ) <= tol·tr(A).
 *               Must be in [0, 1); 0 disables. max_rank = 0 with tol = 0 (no
 *               stopping rule) gives SK_EINVAL.
 *   block       pivots sampled per round b for SK_RPCHOL_BLOCK and
 *               SK_RPCHOL_RBRP; must be >= 1 for them (there is no silent
 *               default: b changes the result). Ignored (any value >= 0) by
 *               the one-pivot methods.
 *   filter_tol  RBRP's τ_b; 0 means 1/b. Must be in [0, 1].
 */
typedef struct {
    int method;
    int max_rank;
    double tol;
    int block;
    double filter_tol;
} sk_rpchol_opts_t;

/*
 * Column oracle of a symmetric PSD N×N matrix: write the ncols columns
 * A(:, idx[c]) (0-based indices, 0 <= idx[c] < N) to out(:, c), out having
 * leading dimension ldout >= N. Return 0 on success; any nonzero value stops
 * the factorization and is returned unchanged by sk_rpchol_oracle (use a
 * sketchlab code such as SK_ENOMEM, or your own). C callers only: a function
 * pointer cannot be passed from JavaScript, use sk_rpchol or sk_rpchol_kernel.
 */
typedef int (*sk_cols_fn)(void *ctx, int ncols, const int *idx, double *out, int ldout);

/*
 * sk_rpchol — randomly pivoted (or greedy/uniform/block/RBRP) partial
 * Cholesky A ≈ F·Fᵀ of a dense symmetric PSD matrix.
 *   [in]     n         order N of A, n >= 0.
 *   [in]     A         N×N symmetric PSD (only the columns S and the diagonal
 *                      are read; symmetry is assumed, not checked), lda >= max(1,n).
 *   [in]     lda       leading dimension of A.
 *   [in]     opts      options (not NULL), see sk_rpchol_opts_t.
 *   [in,out] rng       random state (advanced); may be NULL for SK_RPCHOL_GREEDY.
 *   [out]    S         k pivot indices (0-based) in pivot order; room for kcap =
 *                      max_rank (or N) entries.
 *   [out]    F         N×k factor, ldf >= max(1, n), room for kcap columns.
 *                      F(S,:) is lower triangular up to the column order of
 *                      block pivots (F(S(i), j) = 0 for j > i).
 *   [in]     ldf       leading dimension of F.
 *   [out]    rank      k (<= max_rank; below it only if the residual is
 *                      exhausted to rounding, or for SK_RPCHOL_UNIFORM).
 *   [out]    res_trace tr(A − F·Fᵀ) = Σ d (the residual diagonal sum); may be NULL.
 *   [out]    trace_A   tr(A); may be NULL.
 *   [in,out] trace     teaching trace in the format of lowrank.h (per round:
 *                      the sampled candidates, accepted ones first in pivot
 *                      order, then the ones rejected by RBRP's filter or as
 *                      numerical noise; and Σd after the round) or NULL.
 * Returns 0; -i for invalid argument i (opts: bad method, tol outside [0,1)
 * or NaN, block < 1 for a block method, filter_tol outside [0,1]); SK_ERANK
 * (max_rank < 0 or > N); SK_EINVAL (neither max_rank nor tol given);
 * SK_ENOTPD (negative diagonal, or a residual/pivot clearly negative: A is
 * not PSD); SK_ENONFINITE (NaN/Inf in the diagonal or in a column read); or
 * SK_ENOMEM. On an error return the outputs are unspecified.
 * Cost: see the file comment; (k+1)·N entries of A are read.
 */
int sk_rpchol(int n, const double *A, int lda, const sk_rpchol_opts_t *opts, sk_rng_t *rng,
              int *S, double *F, int ldf, int *rank, double *res_trace, double *trace_A,
              sk_id_trace_t *trace);

/*
 * sk_rpchol_oracle — as sk_rpchol, for a matrix given by its diagonal and a
 * column oracle (matrix-free: the N×N matrix is never formed).
 *   [in] n     order N, n >= 0.
 *   [in] cols  the column oracle (not NULL if n > 0); see sk_cols_fn.
 *   [in] ctx   passed to cols unchanged.
 *   [in] diag  N diagonal entries A_ii (not NULL if n > 0). The oracle must
 *              agree with it: a column whose diagonal entry differs from
 *              diag by more than 1e-8 relative gives SK_EINVAL.
 * The other arguments and the return codes are those of sk_rpchol (shifted by
 * one position: opts is argument 5, ..., trace argument 13), plus any nonzero
 * status returned by cols. With the same rng state the pivots and F are
 * identical to sk_rpchol's on the same matrix.
 */
int sk_rpchol_oracle(int n, sk_cols_fn cols, void *ctx, const double *diag,
                     const sk_rpchol_opts_t *opts, sk_rng_t *rng, int *S, double *F, int ldf,
                     int *rank, double *res_trace, double *trace_A, sk_id_trace_t *trace);

/* ------------------------------------------------------------------------- */
/* Kernel matrices (specs/pivoting.md §2.4)                                  */
/* ------------------------------------------------------------------------- */

typedef enum {
    SK_KERNEL_GAUSSIAN = 0, /* κ(x,y) = exp(−||x − y||₂² / (2h²))          */
    SK_KERNEL_LAPLACE = 1   /* κ(x,y) = exp(−||x − y||₁ / h)  (ℓ1 distance, as
                               the RPCholesky reference code kernels.py)   */
} sk_kernel_type_t;

/*
 * A kernel matrix K(i,j) = κ(x_i, x_j) on N points in d dimensions. Both
 * kernels are positive definite functions, so K is PSD with unit diagonal.
 *   type       one of sk_kernel_type_t.
 *   bandwidth  h > 0, finite.
 *   dim        d >= 1.
 *   npts       N >= 0.
 *   X          d×N, one point per column (column-major), ldx >= max(1, d).
 */
typedef struct {
    int type;
    double bandwidth;
    int dim;
    int npts;
    const double *X;
    int ldx;
} sk_kernel_t;

/*
 * sk_kernel_cols — the columns K(:, idx[c]), c = 0..ncols−1, of a kernel matrix.
 *   [in]  kern   kernel spec (argument 1; invalid fields give -1).
 *   [in]  ncols  >= 0.
 *   [in]  idx    ncols indices in [0, N).
 *   [out] out    N×ncols, ldout >= max(1, N).
 * Distances are formed directly from coordinate differences (not through
 * ||x||² + ||y||² − 2xᵀy, which cancels), so K(i,i) = 1 exactly and nearby
 * points keep full relative accuracy. exp is the library's own deterministic
 * kernel (+, −, ×, / only, within 2 ulp), so the values are bit-identical
 * natively and in WebAssembly. Any bandwidth h > 0 is valid: when 2h² or
 * ||x − y||² is not representable (h below ~1e-154 or above ~1e154), the
 * Gaussian is evaluated as exp(−Σ((x_t − y_t)/h)²/2), so K(i,i) = 1 and
 * entries go to their limits 0 or 1, never NaN.
 * Returns 0, -i, or SK_ENONFINITE (a non-finite coordinate). Cost N·d·ncols.
 */
int sk_kernel_cols(const sk_kernel_t *kern, int ncols, const int *idx, double *out, int ldout);

/*
 * sk_kernel_matrix — the dense N×N kernel matrix K (ldk >= max(1, N)), exactly
 * symmetric (each pair is evaluated once). Same values as sk_kernel_cols.
 * Returns 0, -i, or SK_ENONFINITE. Cost N²·d/2 evaluations.
 */
int sk_kernel_matrix(const sk_kernel_t *kern, double *K, int ldk);

/*
 * sk_rpchol_kernel — sk_rpchol on the kernel matrix of `kern`, evaluated
 * column by column (matrix-free; the entry point to use from JavaScript).
 * Arguments as sk_rpchol with (n, A, lda) replaced by kern (argument 1):
 * opts is argument 2, rng 3, S 4, F 5, ldf 6 (>= max(1, N)), rank 7,
 * res_trace 8, trace_A 9, trace 10. Pivots and F are identical to
 * sk_rpchol's on sk_kernel_matrix(kern) with the same rng state.
 * Returns the codes of sk_rpchol (and -1 for an invalid kernel spec).
 */
int sk_rpchol_kernel(const sk_kernel_t *kern, const sk_rpchol_opts_t *opts, sk_rng_t *rng,
                     int *S, double *F, int ldf, int *rank, double *res_trace,
                     double *trace_A, sk_id_trace_t *trace);

/*
 * sk_gallery_smile — the "smile" point cloud (gallery.py `smile`), N points
 * in 2-D stored as X (2×N, ldx >= 2), in this order:
 *   two eyes: e = ⌈√N⌉ points each, uniform in the unit discs centred at
 *     (−4, 4) then (4, 4), by rejection from the square [−1,1]² (pairs of
 *     uniforms from rng, x = 2u − 1);
 *   mouth: m = ⌈N/10⌉ points (x, x²/16 − 5), x = linspace(−5, 5, m);
 *   face: the remaining N − 2e − m points 10·(cos θ, sin θ),
 *     θ = linspace(0, 2π, N − 2e − m) (endpoint included, so the first and
 *     last face points coincide, as in the reference).
 * Uniform regions of very different density: uniform Nyström undersamples
 * the dense mouth/eyes relative to their kernel mass and is 10⁵× worse than
 * RPCholesky at k = 100 with h = 2 (§3.5.5). The reference uses a Gaussian
 * kernel with h = 2.0 (N = 10⁴) or h ∈ {0.2, 0.15, 0.1} (N = 10⁵).
 *   [in]     npts  N = 0 or N >= 2⌈√N⌉ + ⌈N/10⌉ (true for N >= 7), else -1.
 *   [in,out] rng   random state (advanced).
 * Returns 0 or -i (SK_ENOCONV after 1000 rejected draws for one eye point, which
 * needs a broken generator: the rejection loop is bounded). Bit-identical natively and in wasm.
 */
int sk_gallery_smile(int npts, sk_rng_t *rng, double *X, int ldx);

/*
 * sk_gallery_robspiral — the "robspiral" point cloud (gallery.py `robspiral`),
 * adversarial for greedy pivoting: t = reverse(linspace(0, 2, N))⁶ (so
 * t ∈ [0, 64], largest first) and x_j = e^{0.2 t_j}·(cos t_j, sin t_j), 2×N
 * (ldx >= 2). Deterministic (no rng). With the reference bandwidth h = 1000
 * the hundreds of outer-arm points are isolated (kernel ≈ identity there)
 * while the remaining bulk is nearly rank one; greedy pivoting takes the
 * isolated points one by one (all diagonals tie at 1; ties go to the lowest
 * index, the outer arm) and leaves the bulk's trace: relative trace error
 * ≈ 0.99 at k = 100, N = 10⁴, against ≈ 0.05 for RPCholesky (§3.5.5).
 *   [in] npts  N >= 0 (N = 1 gives t = 0).
 * Returns 0 or -i. Bit-identical natively and in wasm.
 */
int sk_gallery_robspiral(int npts, double *X, int ldx);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_RPCHOL_H */
