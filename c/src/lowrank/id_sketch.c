/*
 * id_sketch.c — column ID from a Gaussian sketch Y = ΩA (l×n, l = k + p):
 * the skeleton is the first k pivots of CPQR(Y) (§1.2) or of LUPP(Yᵀ) (§1.3),
 * then the optimal T for that skeleton from an orthonormal basis of A(:,S).
 */
#include <string.h>

#include "id_internal.h"

int sk__id_sketch(const sk__id_problem *p, sk__id_state *st)
{
    const int m = p->m, n = p->n, k = p->kcap;
    const int l = SK__MIN(k + (p->opts->oversample > 0 ? p->opts->oversample : 10), m);
    double *Om = sk__alloc_doubles(l, m), *Y = sk__alloc_doubles(l, n);
    double *tau = sk__alloc_doubles(SK__MAX(l, k), 1), *rlast = sk__alloc_doubles(n, 1);
    double *work = sk__alloc_doubles((long long)m + k, 1);
    int *piv = sk__alloc_ints(n), *perm = sk__alloc_ints(n);
    int info = SK_ENOMEM;
    if (!Om || !Y || !tau || !rlast || !work || !piv || !perm) goto done;

    if ((info = sk_rng_normal_matrix(p->rng, l, m, Om, l)) != 0) goto done;
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, l, n, m, 1.0, Om, l, p->A, p->lda, 0.0, Y, l)) != 0)
        goto done;
    if (p->opts->method == SK_ID_SKETCH_CPQR) {
        int rk = 0;
        if ((info = sk_dgeqp3(l, n, Y, l, perm, tau, k, 0.0, &rk, NULL)) != 0) goto done;
    } else {
        /* LUPP of Yᵀ (n×l): its row pivots are columns of A. */
        double *Yt = sk__alloc_doubles(n, l);
        if (!Yt) { info = SK_ENOMEM; goto done; }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < l; i++) Yt[(size_t)i * n + j] = Y[(size_t)j * l + i];
        info = sk_dgetrf(n, l, Yt, n, piv);
        SK_FREE(Yt);
        if (info == SK_ESINGULAR) info = 0; /* rank-deficient sketch: pivots still valid */
        if (info || (info = sk_ipiv_to_perm(n, SK__MIN(n, l), piv, perm)) != 0) goto done;
    }
    for (int j = 0; j < k; j++) {
        st->S[j] = perm[j];
        memcpy(st->Q + (size_t)j * m, p->A + (size_t)perm[j] * p->lda, (size_t)m * sizeof *st->Q);
    }
    if ((info = sk_dgeqrf(m, k, st->Q, m, tau)) != 0 || (info = sk_dorgqr(m, k, k, st->Q, m, tau)) != 0)
        goto done;
    if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, n, k, m, 1.0, p->A, p->lda, st->Q, m, 0.0, st->F, n)) != 0)
        goto done;
    memcpy(st->r, p->colnorm2, (size_t)n * sizeof *st->r);
    memcpy(rlast, p->colnorm2, (size_t)n * sizeof *rlast);
    sk__id_downdate(p, st->Q, st->F, k, 0, k, st->r, rlast, work);
    for (int j = 0; j < k; j++) {
        st->r[st->S[j]] = 0.0;
        sk__trace_add(p->trace, st->S[j], 1);
    }
    sk__trace_close(p->trace, sk__sum(n, st->r));
    st->k = k;
done:
    SK_FREE(Om); SK_FREE(Y); SK_FREE(tau); SK_FREE(rlast); SK_FREE(work); SK_FREE(piv); SK_FREE(perm);
    return info;
}
