/*
 * id.c — sk_id_cols: argument checks, the shared final stage (optimal T and
 * the residual mass), and helpers used by every method (lowrank.h).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "id_internal.h"

double sk__id_noise2(int m, int k)
{
    double c = 4.0 * ((double)m + (double)k) * DBL_EPSILON;
    return c * c;
}

void sk__id_downdate(const sk__id_problem *p, const double *Q, const double *F, int k,
                     int j0, int j1, double *r, double *rlast, double *work)
{
    const double tol3z = sqrt(2.220446049250313e-16);
    double *x = work + p->m; /* row i of F, gathered contiguously */
    for (int i = 0; i < p->n; i++) {
        if (r[i] == 0.0) continue; /* a skeleton column, or one already resolved */
        double ri = r[i];
        for (int j = j0; j < j1; j++) {
            double f = F[(size_t)j * p->n + i];
            ri -= f * f;
        }
        if (ri <= tol3z * rlast[i]) {
            /* The downdate may have lost half the digits (LAPACK dlaqp2's test):
             * recompute ||A(:,i) − Q F(i,:)ᵀ||² from A. */
            memcpy(work, p->A + (size_t)i * p->lda, (size_t)p->m * sizeof *work);
            for (int j = 0; j < k; j++) x[j] = F[(size_t)j * p->n + i];
            sk_dgemv(SK_NOTRANS, p->m, k, -1.0, Q, p->m, x, 1.0, work);
            double nrm = sk_dnrm2(p->m, work, 1);
            ri = nrm * nrm;
            rlast[i] = ri;
        }
        /* A residual at rounding level relative to the column itself means
         * the column lies in span Q numerically: resolved (lowrank.h,
         * "numerical rank"). */
        r[i] = ri > p->noise2 * p->colnorm2[i] ? ri : 0.0;
    }
}

int sk__id_from_skeleton(const sk__id_problem *p, sk__id_state *st, int k)
{
    const int m = p->m, n = p->n;
    double *tau = sk__alloc_doubles(SK__MAX(k, 1), 1), *rlast = sk__alloc_doubles(n, 1);
    double *work = sk__alloc_doubles((long long)m + p->kcap, 1);
    int *drop = sk__alloc_ints(SK__MAX(k, 1));
    int info = SK_ENOMEM;
    if (!tau || !rlast || !work || !drop) goto done;
    /* QR of A(:,S) in pivot order; a column whose R(j,j) is at rounding level
     * relative to its own norm is numerically in the span of the ones before
     * it: move it behind the kept ones and factor again (each pass drops at
     * least one, so at most k passes; one is the rule). */
    int kk = k, ndrop = 0;
    for (int pass = 0; pass <= k; pass++) {
        for (int j = 0; j < kk; j++)
            memcpy(st->Q + (size_t)j * m, p->A + (size_t)st->S[j] * p->lda, (size_t)m * sizeof *st->Q);
        info = 0;
        if (kk == 0 || (info = sk_dgeqrf(m, kk, st->Q, m, tau)) != 0) break;
        int keep = 0, nd = 0;
        for (int j = 0; j < kk; j++) {
            double d = st->Q[(size_t)j * m + j];
            if (d * d > p->noise2 * p->colnorm2[st->S[j]]) st->S[keep++] = st->S[j];
            else drop[ndrop + nd++] = st->S[j];
        }
        if (nd == 0) break;
        ndrop += nd; /* dropped columns go after the kept ones, in drop order */
        kk = keep;
    }
    if (info) goto done;
    for (int j = 0; j < ndrop; j++) st->S[kk + j] = drop[j];
    if (kk > 0 && ((info = sk_dorgqr(m, kk, kk, st->Q, m, tau)) != 0 ||
                   (info = sk_dgemm(SK_TRANS, SK_NOTRANS, n, kk, m, 1.0, p->A, p->lda, st->Q, m, 0.0, st->F, n)) != 0))
        goto done;
    memcpy(st->r, p->colnorm2, (size_t)n * sizeof *st->r);
    memcpy(rlast, p->colnorm2, (size_t)n * sizeof *rlast);
    /* Skeleton columns first (r = 0 is skipped): their ~0 residual would
     * only be recomputed from A and thrown away (see id_sampling.c). */
    for (int j = 0; j < kk; j++) st->r[st->S[j]] = 0.0;
    sk__id_downdate(p, st->Q, st->F, kk, 0, kk, st->r, rlast, work);
    st->k = kk;
done:
    SK_FREE(tau);
    SK_FREE(rlast);
    SK_FREE(work);
    SK_FREE(drop);
    return info;
}

/* T := R⁻¹Fᵀ with R = F(S,:)ᵀ (k×k upper triangular), then T(:,S) = I exactly. */
static int sk__id_interp(int n, int k, const int *S, const double *F, double *T, int ldt)
{
    double *L = sk__alloc_doubles(k, k);
    if (!L) return SK_ENOMEM;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) L[(size_t)i * k + j] = F[(size_t)i * n + S[j]];
    for (int c = 0; c < n; c++)
        for (int i = 0; i < k; i++) T[(size_t)c * ldt + i] = F[(size_t)i * n + c];
    int info = sk_dtrsm(SK_LEFT, SK_LOWER, SK_TRANS, SK_NONUNIT, k, n, 1.0, L, k, T, ldt);
    for (int j = 0; j < k && info == 0; j++)
        for (int i = 0; i < k; i++) T[(size_t)S[j] * ldt + i] = (i == j) ? 1.0 : 0.0;
    SK_FREE(L);
    return info;
}

/*
 * ||A − A(:,S)·T||_F² computed directly, a block of columns at a time (for a
 * T that is not the optimal one, whose residual the methods do not track).
 */
static int sk__id_residual(const sk__id_problem *p, const int *S, int k, const double *T,
                           int ldt, double *res2)
{
    const int m = p->m, n = p->n, nb = SK__MIN(n, 256);
    double *C = sk__alloc_doubles(m, k), *E = sk__alloc_doubles(m, nb);
    int info = SK_ENOMEM;
    if (!C || !E) goto done;
    for (int j = 0; j < k; j++)
        memcpy(C + (size_t)j * m, p->A + (size_t)S[j] * p->lda, (size_t)m * sizeof *C);
    double sum = 0.0;
    for (int j0 = 0; j0 < n; j0 += nb) {
        int w = SK__MIN(nb, n - j0);
        for (int j = 0; j < w; j++)
            memcpy(E + (size_t)j * m, p->A + (size_t)(j0 + j) * p->lda, (size_t)m * sizeof *E);
        if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, w, k, -1.0, C, m, T + (size_t)j0 * ldt, ldt,
                             1.0, E, m)) != 0)
            goto done;
        double f = sk_dlange('F', m, w, E, m);
        sum += f * f;
    }
    *res2 = sum;
    info = 0;
done:
    SK_FREE(C);
    SK_FREE(E);
    return info;
}

static int sk__is_random(int method)
{
    return method != SK_ID_CPQR && method != SK_ID_BGP;
}

int sk_id_cols(int m, int n, const double *A, int lda, const sk_id_opts_t *opts,
               sk_rng_t *rng, int *S, double *T, int ldt, int *rank, double *res2,
               double *anorm2, sk_id_trace_t *trace)
{
    if (m < 0) return -1;
    if (n < 0) return -2;
    if (!A && m > 0 && n > 0) return -3;
    if (lda < SK__MAX(1, m)) return -4;
    if (!opts) return -5;
    int minmn = SK__MIN(m, n);
    if (opts->method < SK_ID_CPQR || opts->method > SK_ID_ADAPTIVE_LUPP) return -5;
    if (!(opts->tol >= 0.0 && opts->tol < 1.0)) return -5;       /* also rejects NaN */
    if (opts->block < 0 || opts->oversample < 0) return -5;
    if (!(opts->filter_tol >= 0.0 && opts->filter_tol <= 1.0)) return -5;
    int sketch = opts->method == SK_ID_SKETCH_CPQR || opts->method == SK_ID_SKETCH_LUPP;
    if (opts->interp != SK_ID_INTERP_OPTIMAL && !(opts->interp == SK_ID_INTERP_SKETCH && sketch)) return -5;
    if (opts->max_rank < 0 || opts->max_rank > minmn) return SK_ERANK;
    if (sketch && opts->max_rank == 0 && minmn > 0) return SK_EINVAL;
    if (!rng && sk__is_random(opts->method)) return -6;
    if (!S && minmn > 0) return -7;
    int kcap = opts->max_rank > 0 ? opts->max_rank : minmn;
    if (T && ldt < SK__MAX(1, kcap)) return -9;
    if (!rank) return -10;
    if (sk__trace_begin(trace) != 0) return -13;
    *rank = 0;
    if (res2) *res2 = 0.0;
    if (anorm2) *anorm2 = 0.0;
    if (minmn == 0) return 0;

    sk__id_problem p = { m, n, lda, kcap, A, opts, rng, trace, 0.0, NULL, 0.0 };
    double *As = NULL; /* the scaled copy of A, if one is needed */
    sk__id_state st = { 0, S, NULL, NULL, NULL, NULL };
    p.colnorm2 = sk__alloc_doubles(n, 1);
    st.Q = sk__alloc_doubles(m, kcap);
    st.F = sk__alloc_doubles(n, kcap);
    st.r = sk__alloc_doubles(n, 1);
    if (opts->interp == SK_ID_INTERP_SKETCH) st.Tsk = sk__alloc_doubles(kcap, n);
    int info = SK_ENOMEM;
    if (!p.colnorm2 || !st.Q || !st.F || !st.r || (opts->interp == SK_ID_INTERP_SKETCH && !st.Tsk)) goto done;
    /* One pass: squared column norms by plain sums of squares, max |a_ij|, and
     * finiteness (an Inf or NaN makes a sum non-finite). Then, if A's scale is
     * outside [2^-SK__ID_SAFE_EXP, 2^SK__ID_SAFE_EXP], run on 2^-e·A with max
     * entry in [1/2, 1): a power-of-two scale is exact, so the skeleton is the
     * one the unscaled A gets in exact arithmetic (and bit for bit the one of
     * any A·2^j in range), while squared norms and residual masses can neither
     * overflow nor underflow. Reported masses are scaled back to A's units. */
    double amax = sk__colnorm2_amax(m, n, A, lda, p.colnorm2); /* linalg/norms.c, SIMD */
    for (int j = 0; j < n; j++)
        if (!(p.colnorm2[j] <= DBL_MAX) && !sk_all_finite(m, 1, A + (size_t)j * lda, lda)) {
            info = SK_ENONFINITE;
            goto done;
        }
    if (amax == 0.0) { info = 0; goto done; } /* A = 0: the empty skeleton is exact */
    int e = 0;
    (void)frexp(amax, &e);
    if (e > SK__ID_SAFE_EXP || e < -SK__ID_SAFE_EXP) {
        As = sk__alloc_doubles(m, n);
        if (!As) goto done;
        sk__scale_pow2(m, n, A, lda, -e, As, m);
        p.A = As;
        p.lda = m;
        (void)sk__colnorm2_amax(m, n, As, m, p.colnorm2); /* the same sums on the scaled copy */
    } else {
        e = 0;
    }
    p.anorm2 = sk__sum(n, p.colnorm2);
    p.noise2 = sk__id_noise2(m, kcap);
    if (anorm2) *anorm2 = ldexp(p.anorm2, 2 * e);
    /* F is written by each method (only CPQR needs zeros, and sets them). */

    if (opts->method == SK_ID_CPQR) info = sk__id_cpqr(&p, &st);
    else if (sketch) info = sk__id_sketch(&p, &st);
    else if (opts->method == SK_ID_ADAPTIVE_LUPP) info = sk__id_adaptive_lupp(&p, &st);
    else info = sk__id_sampling(&p, &st);
    if (info) goto done;

    *rank = st.k;
    if (st.Tsk) {
        if (res2 && (info = sk__id_residual(&p, S, st.k, st.Tsk, kcap, res2)) != 0) goto done;
        if (res2) *res2 = ldexp(*res2, 2 * e);
        if (T)
            for (int c = 0; c < n; c++)
                memcpy(T + (size_t)c * ldt, st.Tsk + (size_t)c * kcap, (size_t)st.k * sizeof *T);
    } else {
        if (res2) *res2 = ldexp(sk__sum(n, st.r), 2 * e);
        if (T && st.k > 0) info = sk__id_interp(n, st.k, S, st.F, T, ldt);
    }
    if (trace && e != 0)
        for (int t = 0; t < trace->nsteps; t++) trace->res2[t] = ldexp(trace->res2[t], 2 * e);
done:
    SK_FREE(As);
    SK_FREE(p.colnorm2);
    SK_FREE(st.Q);
    SK_FREE(st.F);
    SK_FREE(st.r);
    SK_FREE(st.Tsk);
    return info;
}
