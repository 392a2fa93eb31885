/*
 * sketchlab/regression.h — regularized softmax regression by exact and
 * approximate Newton methods with a leverage-score-sampled Hessian.
 *
 * Problem (Deng, Li, Song 2023, arXiv 2304.10411; J. Yin's 2024 BU thesis,
 * Def. 1.0.4). Given A (n×d), b and w (length n), minimize
 *
 *     L(x) = 0.5·|| softmax(Ax) − b ||²  +  0.5·|| diag(w)·A·x ||².
 *
 * With z = Ax, f = softmax(z) = exp(z − max z)/Σexp(z − max z) (log domain:
 * no overflow however large ||Ax||∞ is), c = f − b, κ = <c, f>,
 * h = (2f − b)∘f, γ = <3f − 2b, f> and W² = diag(w∘w), the formulas used here
 * are the CORRECTED ones of specs/softmax_regression.md §3–§4 (the thesis
 * prints a wrong sign in the gradient, a wrong B(x) and a wrong update sign;
 * see §0 there). Each is checked against central differences in
 * tests/c/test_regression.c:
 *
 *     ∇L(x)  = Aᵀ( f∘c − κ f + w∘w∘z )
 *     ∇²L(x) = Aᵀ diag(h − κ f + w∘w) A  +  γ u uᵀ − u vᵀ − v uᵀ,
 *              u = Aᵀf, v = Aᵀh                (the exact rank-<=2 part)
 *
 * Methods (§7), all with x_{t+1} = x_t − t·H̃⁻¹∇L(x_t):
 *   SK_REGRESSION_NEWTON   H̃ = ∇²L (exact), O(nd² + d³) per iteration.
 *   SK_REGRESSION_SAMPLED  H̃ = Aᵀ D̃ A (+ the exact rank-2 part unless
 *                          SK_REGRESSION_NO_RANK2), D̃ from SUBSAMPLE (§8) of
 *                          D = h − κ f + w∘w, which must be > 0: s =
 *                          ceil(C·d·ln(d/δ)/ε²) i.i.d. draws i ~ p, each
 *                          adding D_i/(s·p_i) to D̃_i; p from leverage scores
 *                          of √D·A (exact by QR, or sketched) or uniform.
 *   SK_REGRESSION_FROZEN   H̃ = Aᵀ W² A, factored once at _init.
 *   SK_REGRESSION_GD       gradient descent, x_{t+1} = x_t − η ∇L(x_t).
 *
 * Safeguards (SK_REGRESSION_SAFEGUARD, §10 T4): if H̃ is indefinite,
 * λ_min(H̃) < −16·d·eps·|λ_max| (beyond the eigenvalues' rounding), then
 * H̃ += μI with μ = |λ_min| + 1e-3·|λ_max| (eigenvalues by sk_dsyevd; a
 * positive definite but ill-conditioned H̃ is not shifted), and
 * the step length t is found by Armijo backtracking from 1 (halving while
 * L(x + t·Δ) > L(x) + 1e-4·t·gᵀΔ + 1e-14·|L(x)|, down to t = 1e-10). Without
 * the safeguard t = 1 and a failed Cholesky is retried with μI, μ doubling
 * from 1e-10·tr(H̃)/d (the shift is recorded).
 *
 * References: specs/softmax_regression.md (§3–§11); [SYYZ22] Song, Yang, Yang,
 * Zhou arXiv 2211.14407 Def. 4.1/Lemma 4.2 (sampling); Drineas, Magdon-Ismail,
 * Mahoney, Woodruff, JMLR 13 (2012) (sketched leverage scores); Boyd &
 * Vandenberghe §9.5 (Newton decrement).
 */
#ifndef SKETCHLAB_REGRESSION_H
#define SKETCHLAB_REGRESSION_H

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Methods. */
enum {
    SK_REGRESSION_NEWTON = 0,
    SK_REGRESSION_SAMPLED = 1,
    SK_REGRESSION_FROZEN = 2,
    SK_REGRESSION_GD = 3
};

/* Sampling probabilities for SK_REGRESSION_SAMPLED (and sk_regression_leverage). */
enum {
    SK_LEVERAGE_EXACT = 0,   /* σ_i = ||Q(i,:)||², Q = M R⁻¹ by Cholesky-QR (2nd² flops,
                                streamed in row blocks), or Householder QR (4nd²) when the
                                Cholesky factor fails or shows κ(M) > 1e3                   */
    SK_LEVERAGE_SKETCH = 1,  /* CountSketch (m = min(n, 4d²) rows) + QR + Gaussian JL with
                                k = max(8, ceil(4 ln n)) columns: O(nnz + m d² + n d k)      */
    SK_LEVERAGE_UNIFORM = 2  /* p_i = 1/n (the baseline that fails on coherent A)           */
};

/* Option flags (or-ed). */
enum {
    SK_REGRESSION_SAFEGUARD = 1,    /* PD shift + Armijo backtracking                      */
    SK_REGRESSION_NO_RANK2 = 2,     /* sampled: drop the rank-2 part (thesis Alg. 1 as printed) */
    SK_REGRESSION_PRINTED_SIGN = 4, /* x + H̃⁻¹g (thesis Alg. 1 line 9 as printed: WRONG; for
                                       teaching only, it ascends)                          */
    SK_REGRESSION_EIGRANGE = 8,     /* record the eigenvalue range of H^-½ H̃ H^-½ (costs an
                                       exact Hessian, a Cholesky and an eigh per step)      */
    SK_REGRESSION_STOP_GRAD = 16,   /* stop on ||∇L|| <= tol instead of the Newton decrement */
    SK_REGRESSION_LEV_ONCE = 32     /* sampled: leverage scores of W·A computed once at _init
                                       (valid for every iterate when min w² >= 100, §8.4)   */
};

/* Why an iteration stopped (sk_regression_get's reason). */
enum {
    SK_REGRESSION_RUNNING = 0,    /* not stopped yet                                        */
    SK_REGRESSION_CONVERGED = 1,  /* decrement (or ||g||) <= tol                             */
    SK_REGRESSION_MAXITER = 2,    /* the iteration cap was reached                          */
    SK_REGRESSION_NONDESCENT = 3, /* the loss went up (no safeguard, deterministic methods:
                                     the step is kept, so the failure is visible; SAMPLED
                                     goes on, since the next sample may recover), or Armijo
                                     found no decrease down to t = 1e-10 (safeguard: x is
                                     left unchanged)                                        */
    SK_REGRESSION_DNOTPOS = 4,    /* sampled: some D_i = (h − κf + w²)_i <= 0, SUBSAMPLE's
                                     lemma does not apply (x unchanged; use the safeguarded
                                     exact Newton)                                          */
    SK_REGRESSION_DIVERGED = 5    /* the iterate or the loss became NaN/Inf (x is the last
                                     finite iterate)                                        */
};

/*
 * Options of the step-wise solver. Layout (wasm32 and x86-64 alike, 56 bytes):
 * method 0, leverage 4, flags 8, max_iter 12, tol 16, eps 24, delta 32, eta 40,
 * oversample 48.
 *   method      SK_REGRESSION_NEWTON / _SAMPLED / _FROZEN / _GD.
 *   leverage    SK_LEVERAGE_EXACT / _SKETCH / _UNIFORM (sampled only).
 *   flags       or of SK_REGRESSION_SAFEGUARD, ... above.
 *   max_iter    iteration cap, >= 0 (0: _step stops at once with MAXITER).
 *   tol         >= 0: stop when the Newton decrement sqrt(gᵀH̃⁻¹g) (GD: sqrt(η)·||g||)
 *               of the step just taken is <= tol, or with SK_REGRESSION_STOP_GRAD
 *               when ||∇L(x_t)|| <= tol. 0 runs to the cap.
 *   eps, delta  SUBSAMPLE accuracy and failure probability, both in (0, 1)
 *               (sampled only; ignored otherwise).
 *   eta         GD step; <= 0 means 1/λ_max(∇²L(x0)) (one exact Hessian + eigh).
 *   oversample  the constant C in s = ceil(C·d·ln(d/δ)/ε²); <= 0 means 1.
 */
typedef struct sk_regression_opts_t {
    int method;
    int leverage;
    int flags;
    int max_iter;
    double tol;
    double eps;
    double delta;
    double eta;
    double oversample;
} sk_regression_opts_t;

/*
 * Per-iteration record: 8 doubles (a JS Float64Array view of 8 entries).
 *   loss, grad_norm  L(x_t) and ||∇L(x_t)|| at the iterate after the step.
 *   decrement        sqrt(gᵀH̃⁻¹g) at the previous iterate (GD: sqrt(η)·||g||).
 *   rows             distinct rows in D̃ (sampled), n (exact), 0 otherwise.
 *   eig_min, eig_max eigenvalue range of H^-½ H̃ H^-½ (H exact, H̃ before any
 *                    shift) with SK_REGRESSION_EIGRANGE; NaN otherwise or when H is
 *                    not PD.
 *   step             the step length t (1 without the safeguard; η for GD).
 *   shift            the μ added to H̃ (0 if none).
 * The record of iteration 0 (from sk_regression_get before any step) has
 * decrement = rows = step = shift = 0 and NaN eigenvalues.
 */
typedef struct sk_regression_record_t {
    double loss, grad_norm, decrement, rows, eig_min, eig_max, step, shift;
} sk_regression_record_t;

/* Opaque step-wise solver. */
typedef struct sk_regression_t sk_regression_t;

/*
 * sk_regression_eval — loss, gradient and exact Hessian at x (§3–§4).
 *   [in]  n, d      sizes, n >= 1, d >= 1.
 *   [in]  A         n×d, lda >= n.
 *   [in]  b, w      n entries each.
 *   [in]  x         d entries.
 *   [out] loss      L(x); may be NULL.
 *   [out] g         ∇L(x), d entries; may be NULL.
 *   [out] H         ∇²L(x), d×d (both triangles), ldh >= d; may be NULL.
 *   [in]  ldh       leading dimension of H (checked only when H is given).
 * Returns 0, -i, SK_ENONFINITE (NaN/Inf in A, b, w or x), SK_ENOMEM, SK_EINVAL
 * (extreme scale, issue 9: finite inputs whose loss, gradient or — when asked
 * for — Hessian has a value beyond the double range, about 1.8e308: L grows like
 * ‖w∘Ax‖², g like |A|²|x|, H like |A|²; scale A or x down).
 * Cost O(nd) for loss and gradient; nd² + O(nd + d²) flops for the Hessian
 * (two SYRKs, on the rows where the diagonal is >= 0 and < 0).
 */
int sk_regression_eval(int n, int d, const double *A, int lda, const double *b,
                       const double *w, const double *x, double *loss, double *g,
                       double *H, int ldh);

/*
 * sk_regression_leverage — leverage scores σ_i = m_iᵀ(MᵀM)⁻¹m_i of
 * M = diag(√D)·A (σ ∈ [0, 1], Σσ = d for exact scores), §8.3.
 *   [in]  kind      SK_LEVERAGE_EXACT, _SKETCH or _UNIFORM (σ_i = d/n).
 *   [in]  n, d      n >= d >= 1.
 *   [in]  A         n×d, lda >= n.
 *   [in]  D         n entries >= 0, or NULL for D = 1.
 *   [in,out] rng    random state for _SKETCH (advanced); may be NULL otherwise.
 *   [out] sigma     n scores.
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM, SK_ESINGULAR (√D·A, or its sketch,
 * is rank deficient: a zero in R's diagonal). The scores are scale invariant
 * and computed on 2^-e·√D·A (exact powers of two), so any finite scale of A and
 * D gives the scores of a moderate one.
 * Cost: exact 2nd² flops (Cholesky-QR: one SYRK and one TRSM pass over A in
 * row blocks of 1024, workspace d² + 1024·d) when κ(√D·A) is moderate, else
 * Householder QR and Q (4nd², an n×d copy); sketch O(nnz(A) + m d² + n d k),
 * workspace m·d + 1024·k + 3n. Reference: Drineas, Magdon-Ismail, Mahoney,
 * Woodruff, "Fast approximation of matrix coherence and statistical leverage",
 * JMLR 13, 2012 (the sketch).
 */
int sk_regression_leverage(int kind, int n, int d, const double *A, int lda,
                           const double *D, sk_rng_t *rng, double *sigma);

/*
 * sk_regression_draws — s = ceil(C·d·ln(d/δ)/ε²), SUBSAMPLE's number of
 * draws (C = oversample, <= 0 meaning 1). Returns s >= 1, or -i for a bad
 * argument (d < 1; eps, delta outside (0, 1)), or -4 if s would exceed 2^30.
 */
int sk_regression_draws(int d, double eps, double delta, double oversample);

/*
 * sk_regression_subsample — SUBSAMPLE of §8.2: s i.i.d. draws i ~ p (with
 * replacement, inverse CDF by binary search), each adding D_i/(s·p_i) to
 * dtilde_i, so that E[Aᵀ D̃ A] = Aᵀ D A.
 *   [in]  n       >= 1.
 *   [in]  D       n entries > 0 (finite).
 *   [in]  p       n probabilities >= 0 with a positive finite sum (normalized
 *                 here: p need not sum to 1; σ from sk_regression_leverage works).
 *   [in]  s       number of draws >= 1.
 *   [in,out] rng  random state (advanced by ceil(s/2) blocks).
 *   [out] dtilde  n entries (0 off the sample).
 *   [out] rows    number of distinct rows drawn; may be NULL.
 * Returns 0, -i, SK_ENONFINITE, SK_EINVAL (some D_i <= 0: the lemma needs a
 * positive diagonal), SK_ENOMEM. Cost O(n + s log n).
 */
int sk_regression_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                            double *dtilde, int *rows);

/*
 * sk_regression_regime — the theorem-regime check of §5/§9 (thesis Thm 2.3.1):
 * is w_i² >= 100 + l/σ_min(A)² for all i with some l > 0, and ||b||₁ <= 1?
 *   [in]  n, d, A, lda, b, w   as sk_regression_eval (n >= d).
 *   [out] info    6 doubles: σ_min(A), σ_max(A) (= ||A||, the R of the theorem),
 *                 min_i w_i², l_max = (min w² − 100)·σ_min² (the largest l the
 *                 condition allows), ||b||₁, and 1.0 if l_max > 0 and ||b||₁ <= 1
 *                 (the regime holds), else 0.0. l_max is ±Inf when its magnitude
 *                 is beyond the double range (σ_min above ~1e154; its sign,
 *                 which decides the regime, is still right).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM, SK_ENOCONV (SVD). Cost O(nd²).
 */
int sk_regression_regime(int n, int d, const double *A, int lda, const double *b,
                         const double *w, double *info);

/*
 * sk_regression_problem — a test problem built by the recipe of T1–T4 in
 * specs/softmax_regression.md §10, from our Philox stream ("T1-like": the
 * construction of softmax_ref.py:make_problem, not numpy's numbers).
 *   [in]  kind   1: theorem regime, well conditioned: A = G/√n, w_i² = 100 +
 *                   1/σ_min(A)² + 50·U(0,1); x0 ~ N(0, I/d).
 *                2: theorem regime, ill conditioned and coherent: A = U diag(s) Vᵀ,
 *                   s = logspace(0, −2, d), U = Q of a Gaussian whose first d rows
 *                   are multiplied by `param` (the coherence; <= 0 means 300);
 *                   w_i² = 100 + 1e-4/s_d² + 100·U(0,1); x0 ~ N(0, I/d).
 *                3: outside the theorem, PD: A = 5G/√d, w_i² = param (<= 0: 1.5);
 *                   x0 ~ N(0, I).
 *                4: outside any guarantee: A = 3G/√d, b = softmax(A x_true),
 *                   x_true ~ N(0, 9I/d), w_i = param (<= 0: 0.01); x0 = 0.
 *                b is Dirichlet(1, ..., 1) (e/Σe, e_i ~ Exp(1)) for kinds 1–3.
 *   [in]  n, d   sizes, d >= 1, n >= d (n >= 1 for kind 4).
 *   [in]  param  see kind (finite).
 *   [in,out] rng random state (advanced).
 *   [out] A (n×d, lda >= n), b, w (n), x0 (d).
 * Returns 0, -i, SK_ENOMEM, SK_ENOCONV (kind 1's SVD). Cost O(nd²) for kinds 1, 2.
 */
int sk_regression_problem(int kind, int n, int d, double param, sk_rng_t *rng, double *A,
                          int lda, double *b, double *w, double *x0);

/*
 * sk_regression_init — create a step-wise solver at x0 (copies A, b, w, x0).
 *   [in]  n, d      n >= 1, d >= 1; n >= d for every method but GD (AᵀDA must be
 *                   able to have full rank); sketched/exact leverage need n >= d.
 *   [in]  A         n×d, lda >= n.  [in] b, w: n entries.  [in] x0: d entries.
 *   [in]  opts      see sk_regression_opts_t (not NULL).
 *   [out] handle    the solver; free it with sk_regression_finish.
 * Returns 0; -i for a bad argument i (opts fields are reported as -8: the message
 * in the JS layer names the field); SK_ENONFINITE for NaN/Inf in A, b, w or x0;
 * SK_ENOTPD when the frozen AᵀW²A is not positive definite (w has zeros on
 * rows that A needs); SK_ENOMEM; SK_EINVAL when the loss or the gradient at x0
 * is beyond the double range (about 1.8e308; extreme scale, issue 9: scale A or
 * x0 down). On error *handle is NULL. A later step whose loss or gradient
 * overflows ends the run as SK_REGRESSION_DIVERGED with +Inf in the record.
 * Cost: O(nd) plus, for FROZEN, nd² + d³/3; for GD with eta <= 0, nd² + O(d³);
 * for LEV_ONCE the leverage scores of W·A.
 */
int sk_regression_init(int n, int d, const double *A, int lda, const double *b,
                       const double *w, const double *x0, const sk_regression_opts_t *opts,
                       sk_regression_t **handle);

/*
 * sk_regression_step — one iteration of the method. If the solver has already
 * stopped (reason != RUNNING) nothing changes. Otherwise the step is computed,
 * taken (unless the reason says otherwise), and the new reason is set.
 *   [in,out] h    solver.
 *   [in,out] rng  random state for SAMPLED (advanced); may be NULL otherwise.
 *   [out]    rec  the record of this iteration; may be NULL.
 * Returns 0, -i, SK_ENOMEM, SK_ENOCONV (eigh), SK_ENOTPD (Cholesky kept
 * failing after 200 doublings of the shift: H̃ is not finite). A non-zero
 * return leaves x unchanged. Cost per method: see the top of this header.
 */
int sk_regression_step(sk_regression_t *h, sk_rng_t *rng, sk_regression_record_t *rec);

/*
 * sk_regression_get — the current state.
 *   [out] x       d entries (current iterate); may be NULL.
 *   [out] rec     record of the latest iteration (iteration 0: see the record); may be NULL.
 *   [out] iter    iterations taken; may be NULL.
 *   [out] reason  SK_REGRESSION_RUNNING, _CONVERGED, ...; may be NULL.
 * Returns 0 or -1 (NULL handle).
 */
int sk_regression_get(const sk_regression_t *h, double *x, sk_regression_record_t *rec,
                      int *iter, int *reason);

/*
 * sk_regression_sample — the last sampling step of SAMPLED: probabilities p
 * (normalized, n entries) and D̃ (n entries, 0 off the sample). Either may be
 * NULL. Before any sampled step (or for other methods) both are all zero.
 * Returns 0 or -1 (NULL handle).
 */
int sk_regression_sample(const sk_regression_t *h, double *p, double *dtilde);

/*
 * sk_regression_finish — free the solver (NULL is a no-op). Returns 0.
 */
int sk_regression_finish(sk_regression_t *h);

/*
 * sk_regression_solve — run _init, _step until a reason, and _finish.
 *   [in]  n..opts   as sk_regression_init.
 *   [in,out] rng    as sk_regression_step.
 *   [out] x         d entries, the last iterate.
 *   [out] history   records of iterations 0..iters, room for opts->max_iter + 1; may be NULL.
 *   [out] iters     iterations taken; may be NULL.
 *   [out] reason    why it stopped; may be NULL.
 * Returns as sk_regression_init / _step (x is written only on success).
 */
int sk_regression_solve(int n, int d, const double *A, int lda, const double *b,
                        const double *w, const double *x0, const sk_regression_opts_t *opts,
                        sk_rng_t *rng, double *x, sk_regression_record_t *history,
                        int *iters, int *reason);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_REGRESSION_H */
