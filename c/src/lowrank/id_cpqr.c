/*
 * id_cpqr.c — column ID by deterministic column-pivoted QR (specs/pivoting.md
 * §1.1). sk_dgeqp3 stops at the rank cap or at the first step whose residual
 * mass ||R22||_F² meets tol·||A||_F²; F = AᵀQ is read off R without a product
 * (F(perm(j), i) = R(i, j)) and the residual masses are the trailing column
 * norms of R22.
 */
#include <string.h>

#include "id_internal.h"

int sk__id_cpqr(const sk__id_problem *p, sk__id_state *st)
{
    int m = p->m, n = p->n, minmn = SK__MIN(m, n);
    double *R = sk__alloc_doubles(m, n), *tau = sk__alloc_doubles(minmn, 1);
    int *perm = sk__alloc_ints(n);
    int info = SK_ENOMEM;
    if (!R || !tau || !perm) goto done;
    for (int j = 0; j < n; j++) memcpy(R + (size_t)j * m, p->A + (size_t)j * p->lda, (size_t)m * sizeof *R);

    int k = 0;
    info = sk_dgeqp3(m, n, R, m, perm, tau, p->kcap, p->opts->tol, &k, NULL);
    if (info) goto done;
    /* Stop at the numerical rank: a pivot whose |R(j,j)| is at rounding level
     * relative to its own column is in the span of the previous pivots, and
     * every later residual is no larger (CPQR takes the largest), so below
     * 4(m+k)·eps·||A||_F. */
    const int kfact = k; /* reflectors were formed for columns 0..kfact-1 */
    for (int j = 0; j < k; j++) {
        double d = R[(size_t)j * m + j];
        if (!(d * d > p->noise2 * p->colnorm2[perm[j]])) { k = j; break; }
    }

    for (int j = 0; j < n; j++) {
        for (int i = 0; i <= j && i < k; i++) st->F[(size_t)i * n + perm[j]] = R[(size_t)j * m + i];
        /* Residual of column perm[j]: rows k.. of its transformed column; for
         * a column factored past the cut (k <= j < kfact), rows below j hold
         * its reflector, and its residual is R(k:j, j). */
        int len = j < k ? 0 : j < kfact ? j - k + 1 : m - k;
        double c = sk_dnrm2(len, R + (size_t)j * m + k, 1);
        st->r[perm[j]] = c * c;
    }
    for (int j = 0; j < k; j++) st->S[j] = perm[j];
    st->k = k;

    if (p->trace) {
        /* Residual after pivot t: the final mass plus the rows of R not yet taken. */
        double after = sk__sum(n, st->r);
        double *rowmass = tau; /* reuse: tau is no longer needed */
        for (int i = k - 1; i >= 0; i--) {
            double c = sk_dnrm2(n - i, R + (size_t)i * m + i, m);
            rowmass[i] = c * c;
        }
        double *res = sk__alloc_doubles(k, 1);
        if (!res) { info = SK_ENOMEM; goto done; }
        for (int t = k - 1; t >= 0; t--) { res[t] = after; after += rowmass[t]; }
        for (int t = 0; t < k; t++) {
            sk__trace_add(p->trace, perm[t], 1);
            sk__trace_close(p->trace, res[t]);
        }
        SK_FREE(res);
    }
done:
    SK_FREE(R);
    SK_FREE(tau);
    SK_FREE(perm);
    return info;
}
