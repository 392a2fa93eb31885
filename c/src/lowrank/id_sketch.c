/*
 * id_sketch.c — column ID from a Gaussian sketch Y = ΩA (l×n, l = k + p):
 * the skeleton is the first k pivots of CPQR(Y) (§1.2) or of LUPP(Yᵀ) (§1.3),
 * then the optimal T for that skeleton from an orthonormal basis of A(:,S),
 * and on request the sketch's own T (lowrank.h, SK_ID_INTERP_SKETCH).
 */
#include <string.h>

#include "id_internal.h"

/*
 * The sketch interpolation matrix from a factor X (k×n part, ld ldx) whose
 * leading k×k block X1 is triangular and whose columns are in pivot order:
 * T(:, perm) = [I, X1⁻¹·X2]. CPQR: X = R(1:k,:) (upper, non-unit). LUPP:
 * X = L(:,1:k)ᵀ (so X1 = L11ᵀ, unit upper). Tsk is k×n with ld kcap.
 */
static int sk__id_sketch_interp(int n, int k, const double *X, int ldx, sk_diag_t diag,
                                const int *perm, double *Tsk, int ldt)
{
    for (int j = 0; j < k; j++)
        if (X[(size_t)j * ldx + j] == 0.0) return SK_ESINGULAR;
    double *Z = sk__alloc_doubles(k, n - k);
    if (!Z && n > k) return SK_ENOMEM;
    for (int c = k; c < n; c++)
        memcpy(Z + (size_t)(c - k) * k, X + (size_t)c * ldx, (size_t)k * sizeof *Z);
    int info = n > k ? sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, diag, k, n - k, 1.0, X, ldx, Z, k) : 0;
    for (int c = 0; c < n && info == 0; c++) {
        double *t = Tsk + (size_t)perm[c] * ldt;
        if (c < k) for (int i = 0; i < k; i++) t[i] = i == c ? 1.0 : 0.0;
        else memcpy(t, Z + (size_t)(c - k) * k, (size_t)k * sizeof *t);
    }
    SK_FREE(Z);
    return info;
}

int sk__id_sketch(const sk__id_problem *p, sk__id_state *st)
{
    const int m = p->m, n = p->n, k = p->kcap;
    /* l = min(k + oversample, m), without forming k + oversample (int overflow
     * for oversample near INT_MAX). */
    const int os = p->opts->oversample > 0 ? p->opts->oversample : 10;
    const int l = os >= m - k ? m : k + os;
    double *Om = sk__alloc_doubles(l, m), *Y = sk__alloc_doubles(l, n);
    double *tau = sk__alloc_doubles(l, 1);
    int *piv = sk__alloc_ints(n), *perm = sk__alloc_ints(n);
    int info = SK_ENOMEM;
    if (!Om || !Y || !tau || !piv || !perm) goto done;

    if ((info = sk_rng_normal_matrix(p->rng, l, m, Om, l)) != 0) goto done;
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, l, n, m, 1.0, Om, l, p->A, p->lda, 0.0, Y, l)) != 0)
        goto done;
    if (p->opts->method == SK_ID_SKETCH_CPQR) {
        int rk = 0;
        if ((info = sk_dgeqp3(l, n, Y, l, perm, tau, k, 0.0, &rk, NULL)) != 0) goto done;
        /* Y now holds R(1:k, :) of Y·P in its upper rows, columns in pivot order. */
        if (st->Tsk && (info = sk__id_sketch_interp(n, k, Y, l, SK_NONUNIT, perm, st->Tsk, p->kcap)) != 0)
            goto done;
    } else {
        /* LUPP of Yᵀ (n×l): its row pivots are columns of A. */
        double *Yt = sk__alloc_doubles(n, l);
        if (!Yt) { info = SK_ENOMEM; goto done; }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < l; i++) Yt[(size_t)i * n + j] = Y[(size_t)j * l + i];
        info = sk_dgetrf(n, l, Yt, n, piv);
        if (info == SK_ESINGULAR) info = 0; /* rank-deficient sketch: pivots still valid */
        if (!info) info = sk_ipiv_to_perm(n, SK__MIN(n, l), piv, perm);
        if (!info && st->Tsk) {
            /* W = L21·L11⁻¹ interpolates the other rows of PYᵀ from its first k;
             * T's columns are Wᵀ = L11⁻ᵀ·L21ᵀ. Y is free now: X = L(:,1:k)ᵀ. */
            for (int j = 0; j < n; j++)
                for (int i = 0; i < k; i++)
                    Y[(size_t)j * l + i] = j == i ? 1.0 : j < i ? 0.0 : Yt[(size_t)i * n + j];
            /* An exactly zero pivot U(i,i) leaves L's column i unscaled: no T. */
            for (int i = 0; i < k && !info; i++)
                if (Yt[(size_t)i * n + i] == 0.0) info = SK_ESINGULAR;
            if (!info) info = sk__id_sketch_interp(n, k, Y, l, SK_UNIT, perm, st->Tsk, p->kcap);
        }
        SK_FREE(Yt);
        if (info) goto done;
    }
    for (int j = 0; j < k; j++) st->S[j] = perm[j];
    if ((info = sk__id_from_skeleton(p, st, k)) != 0) goto done;
    /* Sketch pivots that are numerically dependent columns of A were dropped
     * (the rank is A's numerical rank): the sketch's T, built for all k, does
     * not describe the smaller skeleton. */
    if (st->k < k && st->Tsk) { info = SK_ESINGULAR; goto done; }
    for (int j = 0; j < k; j++) sk__trace_add(p->trace, st->S[j], j < st->k);
    sk__trace_close(p->trace, sk__sum(n, st->r));
done:
    SK_FREE(Om); SK_FREE(Y); SK_FREE(tau); SK_FREE(piv); SK_FREE(perm);
    return info;
}
