/*
 * id_adaptive_lupp.c — column ID by adaptive blocked randomized LUPP
 * (Pearce, Chen, Dong, Martinsson; specs/pivoting.md §1.4), transposed to
 * columns: a row ID of Aᵀ.
 *
 * Each block draws a fresh Gaussian Γ_t (m×b, entries N(0, 1/b)) and forms
 * Y_t = AᵀΓ_t (n×b). With Y the sketches of all blocks so far (n×k) and S the
 * chosen columns, the Schur complement of the new block,
 *     E_t = Y_t(rest) − Y(rest,:) · Y(S,:)⁻¹ · Y_t(S),
 * is a fresh sketch of the LU residual Aᵀ(rest) − W Aᵀ(S), so ||E_t||_F² is an
 * unbiased estimate of the squared residual: the method stops when it is at
 * most tol·||A||_F² (or at the rank cap), and otherwise takes the next b
 * columns from the LU with partial pivoting of E_t. The trace records these
 * estimates. The skeleton's optimal T and exact residual come from the shared
 * final stage (an orthonormal basis of A(:,S)), as for every method.
 */
#include <math.h>
#include <string.h>

#include "id_internal.h"

int sk__id_adaptive_lupp(const sk__id_problem *p, sk__id_state *st)
{
    const int m = p->m, n = p->n, kcap = p->kcap;
    const int b = SK__MIN(p->opts->block > 0 ? p->opts->block : 32, kcap);
    const double threshold = p->opts->tol * p->anorm2;
    double *G = sk__alloc_doubles(m, b), *Y = sk__alloc_doubles(n, (long long)kcap + b);
    double *YS = sk__alloc_doubles((long long)kcap, kcap), *Z = sk__alloc_doubles((long long)kcap, b);
    double *E = sk__alloc_doubles(n, b);
    int *scratch = sk__alloc_ints(n), *order = sk__alloc_ints(n), *piv = sk__alloc_ints(SK__MAX(n, kcap));
    int *perm = sk__alloc_ints(n);
    int info = SK_ENOMEM;
    if (!G || !Y || !YS || !Z || !E || !scratch || !order || !piv || !perm) goto done;

    /* order[0..k) are the chosen columns, order[k..n) the rest. */
    for (int j = 0; j < n; j++) order[j] = j;
    const double scale = 1.0 / sqrt((double)b);
    int k = 0;
    info = 0;
    while (k < kcap) {
        const int bb = SK__MIN(b, kcap - k), rest = n - k;
        /* Y(:, k:k+bb) = Aᵀ Γ_t, rows kept in the original column order of A. */
        if ((info = sk_rng_normal_matrix(p->rng, m, bb, G, m)) != 0) goto done;
        double *Yt = Y + (size_t)k * n;
        if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, n, bb, m, scale, p->A, p->lda, G, m, 0.0, Yt, n)) != 0)
            goto done;
        /* E = Y_t(rest) − Y(rest, 0:k) · Y(S, 0:k)⁻¹ · Y_t(S). */
        for (int c = 0; c < bb; c++)
            for (int i = 0; i < rest; i++) E[(size_t)c * rest + i] = Yt[(size_t)c * n + order[k + i]];
        if (k > 0) {
            for (int c = 0; c < k; c++)
                for (int i = 0; i < k; i++) YS[(size_t)c * k + i] = Y[(size_t)c * n + order[i]];
            for (int c = 0; c < bb; c++)
                for (int i = 0; i < k; i++) Z[(size_t)c * k + i] = Yt[(size_t)c * n + order[i]];
            info = sk_dgetrf(k, k, YS, k, piv);
            if (info == SK_ESINGULAR) { info = 0; break; } /* the sketches lost rank: keep S as is */
            if (info) goto done;
            for (int i = 0; i < k; i++) /* Z := P Z, then L⁻¹ and U⁻¹ */
                if (piv[i] != i)
                    for (int c = 0; c < bb; c++) {
                        double t = Z[(size_t)c * k + i];
                        Z[(size_t)c * k + i] = Z[(size_t)c * k + piv[i]];
                        Z[(size_t)c * k + piv[i]] = t;
                    }
            sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_UNIT, k, bb, 1.0, YS, k, Z, k);
            sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, k, bb, 1.0, YS, k, Z, k);
            /* Y(rest, 0:k) gathered into the scratch block after the sketches. */
            double *Yr = Y + (size_t)(k + bb) * n; /* room for one more n×b block is reserved */
            for (int c0 = 0; c0 < k; c0 += bb) {
                int cw = SK__MIN(bb, k - c0);
                for (int c = 0; c < cw; c++)
                    for (int i = 0; i < rest; i++) Yr[(size_t)c * rest + i] = Y[(size_t)(c0 + c) * n + order[k + i]];
                sk_dgemm(SK_NOTRANS, SK_NOTRANS, rest, bb, cw, -1.0, Yr, rest, Z + c0, k, 1.0, E, rest);
            }
        }
        double est = 0.0;
        for (int c = 0; c < bb; c++) {
            double v = sk_dnrm2(rest, E + (size_t)c * rest, 1);
            est += v * v;
        }
        est /= (double)bb / (double)b; /* keep the estimator unbiased for a short last block */
        if (k > 0 && threshold > 0.0 && est <= threshold) break;
        if (!(est > 0.0)) break; /* the sketch of the residual vanished: A(:,S) spans A */
        /* LUPP of E picks the next bb columns among the rest. */
        info = sk_dgetrf(rest, bb, E, rest, piv);
        if (info == SK_ESINGULAR) info = 0;
        if (info || (info = sk_ipiv_to_perm(rest, SK__MIN(rest, bb), piv, perm)) != 0) goto done;
        int *tail = order + k; /* reorder the rest by the LU's row permutation */
        for (int i = 0; i < rest; i++) scratch[i] = tail[perm[i]];
        memcpy(tail, scratch, (size_t)rest * sizeof *tail);
        for (int j = 0; j < bb; j++) {
            st->S[k + j] = order[k + j];
            sk__trace_add(p->trace, order[k + j], 1);
        }
        sk__trace_close(p->trace, est);
        k += bb;
    }
    /* The optimal T and the exact residual for this skeleton. */
    info = sk__id_from_skeleton(p, st, k);
done:
    SK_FREE(G); SK_FREE(Y); SK_FREE(YS); SK_FREE(Z); SK_FREE(E); SK_FREE(scratch); SK_FREE(order); SK_FREE(piv); SK_FREE(perm);
    return info;
}
