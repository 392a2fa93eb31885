/*
 * rpchol.c — randomly pivoted Cholesky and its greedy, uniform, block and
 * RBRP variants (rpchol.h; specs/pivoting.md §1.7–§1.8).
 *
 * One engine for all methods. Per round:
 *   1. pick bb candidates J (one for RANDOM/GREEDY/UNIFORM, b for BLOCK/RBRP);
 *   2. G = A(:,J) − F·F(J,:)ᵀ (N×bb: the residual columns; one oracle call);
 *   3. H = G(J,:) (bb×bb residual block, symmetrized) and a partial Cholesky
 *      of it that decides which candidates become pivots:
 *        RBRP and the one-pivot methods: greedy pivoting inside the block
 *        (the pstrf order), stopping when the trailing trace drops below
 *        τ_b·tr(H) (for bb = 1 this is just "take it");
 *        BLOCK: sampled order, with the shift of the reference code;
 *      both skip pivots that are rounding noise (see rpchol.h);
 *   4. F_new = G(:,kept)·L⁻ᵀ, optionally cut at the first column meeting tol;
 *   5. d ← d − rowsums(F_new∘F_new), checked for clearly negative values.
 * For bb = 1 steps 3–4 reduce to F(:,k) = g/sqrt(g_s), the textbook loop.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "pivot_common.h"

#define SK__EPS 2.220446049250313e-16

typedef struct {
    int n;
    sk_cols_fn cols;
    void *ctx;
} sk__oracle;

/* Column oracle over a dense matrix (the sk_rpchol entry point). */
typedef struct {
    const double *A;
    int lda, n;
    double f1, f2; /* columns are read as (A·f1)·f2 (a power-of-two prescale) */
} sk__dense_ctx;

static int sk__dense_cols(void *ctx, int ncols, const int *idx, double *out, int ldout)
{
    const sk__dense_ctx *c = ctx;
    for (int j = 0; j < ncols; j++) {
        double *o = out + (size_t)j * ldout;
        memcpy(o, c->A + (size_t)idx[j] * c->lda, (size_t)c->n * sizeof *out);
        if (c->f1 != 1.0 || c->f2 != 1.0)
            for (int i = 0; i < c->n; i++) o[i] = (o[i] * c->f1) * c->f2;
    }
    return 0;
}

/* Exponent bound of the safe window for a PSD matrix's largest diagonal entry
 * (traces of n entries, and rounding floors down to eps·max A_ii, stay normal). */
#define SK__RPCHOL_SAFE_EXP 256

/* Symmetric swap of rows/columns a and b of the lower triangle of H (order m). */
static void sk__sym_swap(int m, double *H, int a, int b)
{
    if (a == b) return;
    if (a > b) { int t = a; a = b; b = t; }
#define H_(i, j) H[(size_t)(j) * m + (i)]
    for (int j = 0; j < a; j++) { double t = H_(a, j); H_(a, j) = H_(b, j); H_(b, j) = t; }
    { double t = H_(a, a); H_(a, a) = H_(b, b); H_(b, b) = t; }
    for (int i = a + 1; i < b; i++) { double t = H_(i, a); H_(i, a) = H_(b, i); H_(b, i) = t; }
    for (int i = b + 1; i < m; i++) { double t = H_(i, a); H_(i, a) = H_(i, b); H_(i, b) = t; }
#undef H_
}

/*
 * Engine. Arguments are already validated; codes use sk_rpchol_oracle's
 * argument positions. kcap = column capacity of F and S.
 */
static int sk__rpchol_run(const sk__oracle *orc, const double *diag, const sk_rpchol_opts_t *o,
                          sk_rng_t *rng, int kcap, int *S, double *F, int ldf, int *rank,
                          double *res_trace, double *trace_A, sk_id_trace_t *trace)
{
    const int n = orc->n, method = o->method;
    const int blocky = method == SK_RPCHOL_BLOCK || method == SK_RPCHOL_RBRP;
    int b = blocky ? SK__MIN(o->block, kcap) : 1;
    if (b < 1) b = 1;
    const double tau_b = o->filter_tol > 0.0 ? o->filter_tol : 1.0 / b;

    double *d0 = sk__alloc_doubles(n, 1), *d = sk__alloc_doubles(n, 1);
    double *G = sk__alloc_doubles(n, b), *H = sk__alloc_doubles(b, b);
    double *Fj = sk__alloc_doubles(b, kcap), *u = sk__alloc_doubles(b, 1);
    double *colsq = sk__alloc_doubles(b, 1), *floor_ = sk__alloc_doubles(b, 1);
    double *Y = sk__alloc_doubles(b, kcap), *Linv = sk__alloc_doubles(kcap, kcap);
    int *J = sk__alloc_ints(b), *p = sk__alloc_ints(b);
    signed char *noise = SK_MALLOC((size_t)b + 1);
    unsigned char *taken = SK_MALLOC((size_t)n + 1);
    int info = SK_ENOMEM;
    if (!d0 || !d || !G || !H || !Fj || !u || !colsq || !floor_ || !Y || !Linv || !J || !p ||
        !noise || !taken)
        goto done;
    memset(taken, 0, (size_t)n);

    /* The diagonal: finite and >= 0, else not a PSD matrix. */
    for (int i = 0; i < n; i++) {
        if (!isfinite(diag[i])) { info = SK_ENONFINITE; goto done; }
        if (diag[i] < 0.0) { info = SK_ENOTPD; goto done; }
    }
    memcpy(d0, diag, (size_t)n * sizeof *d0);
    memcpy(d, diag, (size_t)n * sizeof *d);
    const double trA = sk__sum(n, d0);
    if (trace_A) *trace_A = trA;
    const double threshold = o->tol * trA;

    int k = 0;
    double maxd0S = 0.0, linvF2 = 0.0; /* max A_ss over S; ||L⁻¹||_F² */
    int drawn = 0;
    info = 0;
    /* UNIFORM is plain Nyström on kcap uniform draws: a draw that turns out
     * numerically dependent still uses up its slot (otherwise skipping it
     * would make the baseline adaptive). */
    /* Each pass adds >= 1 pivot or marks >= 1 candidate as noise for good, so
     * n + kcap passes bound the loop whatever the data (a safety net). */
    for (int pass = 0; k < kcap && (method != SK_RPCHOL_UNIFORM || drawn < kcap) && pass <= n + kcap; pass++) {
        double rsum = sk__sum(n, d);
        if (rsum <= threshold || rsum <= 0.0) break;
        int eligible = 0;
        for (int i = 0; i < n; i++) eligible += d[i] > 0.0 && !taken[i];
        const int bb = SK__MIN(SK__MIN(b, kcap - k), eligible);
        if (bb == 0) break; /* every remaining residual is numerically zero */
        if (method != SK_RPCHOL_GREEDY && (info = sk_rng_uniform(rng, bb, u)) != 0) goto done;
        sk__pick(n, d, bb, method == SK_RPCHOL_GREEDY ? SK__PICK_GREEDY
                           : method == SK_RPCHOL_UNIFORM ? SK__PICK_UNIFORM : SK__PICK_WEIGHTED,
                 u, taken, J);
        drawn += bb;

        /* 2. Residual columns G = A(:,J) − F·F(J,:)ᵀ. */
        if ((info = orc->cols(orc->ctx, bb, J, G, n)) != 0) goto done;
        if (!sk_all_finite(n, bb, G, n)) { info = SK_ENONFINITE; goto done; }
        for (int t = 0; t < bb; t++) {
            /* The oracle must agree with the diagonal it came with; otherwise
             * d would not describe the matrix being factored. */
            double a = G[(size_t)t * n + J[t]], e = diag[J[t]];
            if (fabs(a - e) > 1e-8 * fabs(e)) { info = SK_EINVAL; goto done; }
        }
        if (k > 0) {
            for (int j = 0; j < k; j++)
                for (int t = 0; t < bb; t++) Fj[(size_t)j * bb + t] = F[(size_t)j * ldf + J[t]];
            sk_dgemm(SK_NOTRANS, SK_TRANS, n, bb, k, -1.0, F, ldf, Fj, bb, 1.0, G, n);
            /* Interpolation coefficients c_t = A(S,S)⁻¹A(S,J_t), as rows
             * c_tᵀ = F(J_t,:)·L⁻¹ (L = F(S,:) lower triangular). */
            sk_dgemm(SK_NOTRANS, SK_NOTRANS, bb, k, k, 1.0, Fj, bb, Linv, kcap, 0.0, Y, bb);
        }

        /* 3. Partial Cholesky of the residual block H = G(J,:) (lower triangle,
         * symmetrized: G(J(i),j) and G(J(j),i) differ by rounding). */
        for (int j = 0; j < bb; j++) {
            for (int i = j; i < bb; i++)
                H[(size_t)j * bb + i] = 0.5 * (G[(size_t)j * n + J[i]] + G[(size_t)i * n + J[j]]);
            p[j] = j;
            noise[j] = 0;
        }
        double shift = 0.0;
        if (method == SK_RPCHOL_BLOCK) {
            double dmax = 0.0;
            for (int i = 0; i < n; i++) dmax = d[i] > dmax ? d[i] : dmax;
            shift = 2.0 * bb * SK__EPS * dmax; /* rpcholesky.py's "regularize" shift */
        }
        /* Noise floor of each candidate's pivot. The computed residual is the
         * exact Schur complement of A + E with |E_ab| <= γ_k·max A_aa
         * (Cholesky is backward stable), and that Schur complement moves by
         * up to (1 + ||c_t||₁)²·max|E|: after small pivots the coefficients
         * grow and a pivot of 1e-4 can be pure rounding (robspiral with
         * uniform pivots shows it). Pivots at or below the floor are
         * numerically zero; a pivot below −16·floor means A is not PSD.
         * (A shifted block adds ≈ shift to the Schur complement of a
         * duplicate, hence 2·shift.) */
        for (int t = 0; t < bb; t++) {
            double c1 = 0.0;
            for (int j = 0; j < k; j++) c1 += fabs(Y[(size_t)j * bb + t]);
            double scale = maxd0S > d0[J[t]] ? maxd0S : d0[J[t]];
            floor_[t] = 10.0 * (k + 1) * SK__EPS * scale * (1.0 + c1) * (1.0 + c1) + 2.0 * shift;
        }
        double rho0 = 0.0;
        for (int i = 0; i < bb; i++) rho0 += H[(size_t)i * bb + i] > 0.0 ? H[(size_t)i * bb + i] : 0.0;
        int bt = 0;
        for (int j = 0; j < bb; j++) {
            /* Choose the pivot among positions j..bb−1. */
            int q = -1;
            if (method == SK_RPCHOL_BLOCK) {
                /* Sampled order: the earliest-sampled candidate that is not noise. */
                for (int i = j; i < bb; i++) {
                    double h = H[(size_t)i * bb + i];
                    if (h < -16.0 * floor_[p[i]]) { info = SK_ENOTPD; goto done; }
                    if (h > floor_[p[i]] && (q < 0 || p[i] < p[q])) q = i;
                }
                if (q < 0) { for (int i = j; i < bb; i++) noise[p[i]] = 1; break; }
            } else {
                double rho = 0.0;
                for (int i = j; i < bb; i++) {
                    double h = H[(size_t)i * bb + i];
                    if (h < -16.0 * floor_[p[i]]) { info = SK_ENOTPD; goto done; }
                    rho += h > 0.0 ? h : 0.0;
                    if (q < 0 || h > H[(size_t)q * bb + q]) q = i;
                }
                if (j > 0 && rho < tau_b * rho0) break; /* robust blockwise filter */
                if (H[(size_t)q * bb + q] <= floor_[p[q]]) {
                    /* The largest remaining pivot is noise: treat all as noise
                     * (the others are smaller; near the floor the order is
                     * itself rounding). */
                    for (int i = j; i < bb; i++) noise[p[i]] = 1;
                    break;
                }
            }
            sk__sym_swap(bb, H, j, q);
            { int t = p[j]; p[j] = p[q]; p[q] = t; }
            double piv = sqrt(H[(size_t)j * bb + j] + shift);
            H[(size_t)j * bb + j] = piv;
            for (int i = j + 1; i < bb; i++) H[(size_t)j * bb + i] /= piv;
            for (int c = j + 1; c < bb; c++) {
                double l = H[(size_t)j * bb + c];
                for (int i = c; i < bb; i++) H[(size_t)c * bb + i] -= H[(size_t)j * bb + i] * l;
            }
            bt++;
        }

        /* 4. F_new = G(:, p(1:bt))·L⁻ᵀ, written straight into F(:, k:k+bt). */
        double *Fn = F + (size_t)k * ldf;
        for (int j = 0; j < bt; j++)
            memcpy(Fn + (size_t)j * ldf, G + (size_t)p[j] * n, (size_t)n * sizeof *Fn);
        if (bt > 0 &&
            (info = sk_dtrsm(SK_RIGHT, SK_LOWER, SK_TRANS, SK_NONUNIT, n, bt, 1.0, H, bb, Fn, ldf)) != 0)
            goto done;
        /* Pivot rows are exact by construction: F(s_i, j) = 0 for j > i. */
        for (int j = 0; j < bt; j++)
            for (int i = 0; i < j; i++) Fn[(size_t)j * ldf + J[p[i]]] = 0.0;
        for (int j = 0; j < bt; j++) {
            double c = sk_dnrm2(n, Fn + (size_t)j * ldf, 1);
            colsq[j] = c * c;
        }
        if (threshold > 0.0 && bt > 1) { /* exact cut at the first column meeting tol */
            double left = rsum;
            for (int j = 0; j < bt; j++) {
                left -= colsq[j];
                if (left <= threshold) { bt = j + 1; break; }
            }
        }

        /* L⁻¹ for the new pivots: with L_new = [L 0; B C], B = F(S_new, 0:k),
         * C = the block's Cholesky factor, the new rows of L_new⁻¹ are
         * [−C⁻¹·B·L⁻¹, C⁻¹]. O(bt·k²), next to the O(N·k·bt) of the round. */
        if (bt > 0) {
            double *Lr = Linv + k; /* rows k..k+bt−1 of Linv (ld kcap) */
            for (int j = 0; j < k; j++)
                for (int i = 0; i < bt; i++) Lr[(size_t)j * kcap + i] = -Y[(size_t)j * bb + p[i]];
            for (int j = 0; j < bt; j++)
                for (int i = 0; i < bt; i++) Lr[(size_t)(k + j) * kcap + i] = i == j ? 1.0 : 0.0;
            sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_NONUNIT, bt, k + bt, 1.0, H, bb, Lr, kcap);
            for (int j = k; j < k + bt; j++)
                for (int i = 0; i < k; i++) Linv[(size_t)j * kcap + i] = 0.0;
            for (int j = 0; j < k + bt; j++)
                for (int i = 0; i < bt; i++) linvF2 += Lr[(size_t)j * kcap + i] * Lr[(size_t)j * kcap + i];
            for (int j = 0; j < bt; j++) maxd0S = d0[J[p[j]]] > maxd0S ? d0[J[p[j]]] : maxd0S;
        }

        /* 5. Downdate the residual diagonal. The rounding in d_i is bounded
         * like a pivot's floor, with ||c_i||₂ <= ||L⁻¹||_F·sqrt(A_ii) in place
         * of the (unknown, O(k²) per row) coefficients; below −16× that, the
         * negative residual is not rounding and A is not PSD. */
        const double nfac = 16.0 * (k + bb) * SK__EPS;
        for (int i = 0; i < n; i++) {
            double di = d[i];
            for (int j = 0; j < bt; j++) {
                double f = Fn[(size_t)j * ldf + i];
                di -= f * f;
            }
            if (di < 0.0) {
                double a = 1.0 + sqrt(linvF2 * d0[i]);
                double scale = maxd0S > d0[i] ? maxd0S : d0[i];
                if (di < -nfac * scale * a * a) { info = SK_ENOTPD; goto done; }
            }
            d[i] = di > 0.0 ? di : 0.0;
        }
        for (int j = 0; j < bt; j++) {
            S[k + j] = J[p[j]];
            d[J[p[j]]] = 0.0;
        }
        for (int t = 0; t < bb; t++)
            if (noise[t]) taken[J[t]] = 2; /* numerically in span F: never sampled again
                                            * (its d stays in the residual sum, so
                                            * Σd = tr(A) − ||F||_F² still holds) */
        for (int j = 0; j < bb; j++) sk__trace_add(trace, J[p[j]], j < bt);
        sk__trace_close(trace, sk__sum(n, d));
        k += bt;
    }
    *rank = k;
    if (res_trace) *res_trace = sk__sum(n, d);
done:
    SK_FREE(d0); SK_FREE(d); SK_FREE(G); SK_FREE(H); SK_FREE(Fj); SK_FREE(u); SK_FREE(colsq);
    SK_FREE(floor_); SK_FREE(Y); SK_FREE(Linv);
    SK_FREE(J); SK_FREE(p); SK_FREE(noise); SK_FREE(taken);
    return info;
}

/* Checks shared by the entry points, in sk_rpchol_oracle's argument numbering. */
static int sk__rpchol_check(int n, const sk_rpchol_opts_t *o, sk_rng_t *rng, int *S, double *F,
                            int ldf, int *rank, sk_id_trace_t *trace, int *kcap)
{
    if (!o) return -5;
    if (o->method < SK_RPCHOL_RANDOM || o->method > SK_RPCHOL_RBRP) return -5;
    if (!(o->tol >= 0.0 && o->tol < 1.0)) return -5; /* also rejects NaN */
    if (!(o->filter_tol >= 0.0 && o->filter_tol <= 1.0)) return -5;
    if (o->block < 0) return -5;
    if ((o->method == SK_RPCHOL_BLOCK || o->method == SK_RPCHOL_RBRP) && o->block < 1) return -5;
    if (o->max_rank < 0 || o->max_rank > n) return SK_ERANK;
    if (o->max_rank == 0 && o->tol == 0.0 && n > 0) return SK_EINVAL;
    if (!rng && o->method != SK_RPCHOL_GREEDY) return -6;
    *kcap = o->max_rank > 0 ? o->max_rank : n;
    if (!S && *kcap > 0) return -7;
    if (!F && *kcap > 0) return -8;
    if (ldf < SK__MAX(1, n)) return -9;
    if (!rank) return -10;
    if (sk__trace_begin(trace) != 0) return -13;
    return 0;
}

int sk_rpchol_oracle(int n, sk_cols_fn cols, void *ctx, const double *diag,
                     const sk_rpchol_opts_t *opts, sk_rng_t *rng, int *S, double *F, int ldf,
                     int *rank, double *res_trace, double *trace_A, sk_id_trace_t *trace)
{
    if (n < 0) return -1;
    if (!cols && n > 0) return -2;
    if (!diag && n > 0) return -4;
    int kcap = 0;
    int info = sk__rpchol_check(n, opts, rng, S, F, ldf, rank, trace, &kcap);
    if (info) return info;
    *rank = 0;
    if (res_trace) *res_trace = 0.0;
    if (trace_A) *trace_A = 0.0;
    if (n == 0) return 0;
    sk__oracle orc = { n, cols, ctx };
    return sk__rpchol_run(&orc, diag, opts, rng, kcap, S, F, ldf, rank, res_trace, trace_A, trace);
}

int sk_rpchol(int n, const double *A, int lda, const sk_rpchol_opts_t *opts, sk_rng_t *rng,
              int *S, double *F, int ldf, int *rank, double *res_trace, double *trace_A,
              sk_id_trace_t *trace)
{
    if (n < 0) return -1;
    if (!A && n > 0) return -2;
    if (lda < SK__MAX(1, n)) return -3;
    double *diag = sk__alloc_doubles(n, 1);
    if (!diag) return SK_ENOMEM;
    /* A PSD matrix's entries are bounded by its largest diagonal entry: when
     * that is outside 2^±256, factor 2^-e·A instead (e even, so F scales back
     * by 2^(e/2) exactly; the pivots are those of A), as sk_id_cols does. */
    double dmax = 0.0;
    for (int i = 0; i < n; i++) {
        diag[i] = A[(size_t)i * lda + i];
        if (fabs(diag[i]) > dmax) dmax = fabs(diag[i]);
    }
    int e = 0;
    if (dmax > 0.0 && dmax <= DBL_MAX) (void)frexp(dmax, &e);
    if (e >= -SK__RPCHOL_SAFE_EXP && e <= SK__RPCHOL_SAFE_EXP) e = 0;
    else if (e % 2 != 0) e++;
    sk__dense_ctx c = { A, lda, n, ldexp(1.0, -e / 2), ldexp(1.0, -e - (-e / 2)) };
    if (e != 0)
        for (int i = 0; i < n; i++) diag[i] = (diag[i] * c.f1) * c.f2;
    int info = sk_rpchol_oracle(n, sk__dense_cols, &c, diag, opts, rng, S, F, ldf, rank,
                                res_trace, trace_A, trace);
    SK_FREE(diag);
    if (info == 0 && e != 0) { /* back to A's units */
        for (int j = 0; j < *rank; j++)
            for (int i = 0; i < n; i++) F[(size_t)j * ldf + i] = ldexp(F[(size_t)j * ldf + i], e / 2);
        if (res_trace) *res_trace = ldexp(*res_trace, e);
        if (trace_A) *trace_A = ldexp(*trace_A, e);
        if (trace)
            for (int t = 0; t < trace->nsteps; t++) trace->res2[t] = ldexp(trace->res2[t], e);
    }
    /* Oracle positions (opts = 5, ...) to this prototype's (opts = 4, ...). */
    if (info <= -5) info += 1;
    return info;
}
