/*
 * id.c — sk_id_cols: argument checks, the shared final stage (optimal T and
 * the residual mass), and helpers used by every method (lowrank.h).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "id_internal.h"

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
        r[i] = ri > 0.0 ? ri : 0.0;
    }
}

int sk__id_from_skeleton(const sk__id_problem *p, sk__id_state *st, int k)
{
    const int m = p->m, n = p->n;
    double *tau = sk__alloc_doubles(SK__MAX(k, 1), 1), *rlast = sk__alloc_doubles(n, 1);
    double *work = sk__alloc_doubles((long long)m + p->kcap, 1);
    int info = SK_ENOMEM;
    if (!tau || !rlast || !work) goto done;
    for (int j = 0; j < k; j++)
        memcpy(st->Q + (size_t)j * m, p->A + (size_t)st->S[j] * p->lda, (size_t)m * sizeof *st->Q);
    info = 0;
    if (k > 0 && ((info = sk_dgeqrf(m, k, st->Q, m, tau)) != 0 || (info = sk_dorgqr(m, k, k, st->Q, m, tau)) != 0 ||
                  (info = sk_dgemm(SK_TRANS, SK_NOTRANS, n, k, m, 1.0, p->A, p->lda, st->Q, m, 0.0, st->F, n)) != 0))
        goto done;
    memcpy(st->r, p->colnorm2, (size_t)n * sizeof *st->r);
    memcpy(rlast, p->colnorm2, (size_t)n * sizeof *rlast);
    sk__id_downdate(p, st->Q, st->F, k, 0, k, st->r, rlast, work);
    for (int j = 0; j < k; j++) st->r[st->S[j]] = 0.0;
    st->k = k;
done:
    SK_FREE(tau);
    SK_FREE(rlast);
    SK_FREE(work);
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

    sk__id_problem p = { m, n, lda, kcap, A, opts, rng, trace, 0.0, NULL };
    sk__id_state st = { 0, S, NULL, NULL, NULL, NULL };
    p.colnorm2 = sk__alloc_doubles(n, 1);
    st.Q = sk__alloc_doubles(m, kcap);
    st.F = sk__alloc_doubles(n, kcap);
    st.r = sk__alloc_doubles(n, 1);
    if (opts->interp == SK_ID_INTERP_SKETCH) st.Tsk = sk__alloc_doubles(kcap, n);
    int info = SK_ENOMEM;
    if (!p.colnorm2 || !st.Q || !st.F || !st.r || (opts->interp == SK_ID_INTERP_SKETCH && !st.Tsk)) goto done;
    /* Squared column norms by a plain sum of squares, in the same pass as the
     * finiteness check (an Inf or NaN makes the sum non-finite); the scaled
     * sk_dnrm2 only where the sum could have overflowed or underflowed. */
    for (int j = 0; j < n; j++) {
        const double *col = A + (size_t)j * lda;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            s0 += col[i] * col[i]; s1 += col[i + 1] * col[i + 1];
            s2 += col[i + 2] * col[i + 2]; s3 += col[i + 3] * col[i + 3];
        }
        for (; i < m; i++) s0 += col[i] * col[i];
        double s = (s0 + s1) + (s2 + s3);
        if (!(s <= DBL_MAX) && !sk_all_finite(m, 1, col, lda)) { info = SK_ENONFINITE; goto done; }
        if (!(s <= DBL_MAX) || s < DBL_MIN / DBL_EPSILON) {
            double c = sk_dnrm2(m, col, 1);
            s = c * c;
        }
        p.colnorm2[j] = s;
    }
    p.anorm2 = sk__sum(n, p.colnorm2);
    if (anorm2) *anorm2 = p.anorm2;
    if (p.anorm2 == 0.0) { info = 0; goto done; } /* A = 0: the empty skeleton is exact */
    /* F is written by each method (only CPQR needs zeros, and sets them). */

    if (opts->method == SK_ID_CPQR) info = sk__id_cpqr(&p, &st);
    else if (sketch) info = sk__id_sketch(&p, &st);
    else if (opts->method == SK_ID_ADAPTIVE_LUPP) info = sk__id_adaptive_lupp(&p, &st);
    else info = sk__id_sampling(&p, &st);
    if (info) goto done;

    *rank = st.k;
    if (st.Tsk) {
        if (res2 && (info = sk__id_residual(&p, S, st.k, st.Tsk, kcap, res2)) != 0) goto done;
        if (T)
            for (int c = 0; c < n; c++)
                memcpy(T + (size_t)c * ldt, st.Tsk + (size_t)c * kcap, (size_t)st.k * sizeof *T);
    } else {
        if (res2) *res2 = sk__sum(n, st.r);
        if (T && st.k > 0) info = sk__id_interp(n, st.k, S, st.F, T, ldt);
    }
done:
    SK_FREE(p.colnorm2);
    SK_FREE(st.Q);
    SK_FREE(st.F);
    SK_FREE(st.r);
    SK_FREE(st.Tsk);
    return info;
}
