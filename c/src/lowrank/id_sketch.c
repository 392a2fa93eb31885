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
        sk__trace_add(p->trace, perm[j], 1);
    }
    if ((info = sk__id_from_skeleton(p, st, k)) != 0) goto done;
    sk__trace_close(p->trace, sk__sum(n, st->r));
done:
    SK_FREE(Om); SK_FREE(Y); SK_FREE(tau); SK_FREE(piv); SK_FREE(perm);
    return info;
}
