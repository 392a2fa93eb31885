/*
 * id_sampling.c — column ID by adaptive pivoting, one block of candidates per
 * step: RPQR (b = 1, §1.5), BRP (b draws without replacement ∝ residual mass,
 * §1.6), BGP (the b largest residual masses, §1.6) and RBRP (BRP + local CPQR
 * of the residual block + the robust filter, §1.7) of specs/pivoting.md.
 *
 * Per step: V = (I − QQᵀ)A(:,J) by classical Gram–Schmidt twice (CGS2);
 * V P = Qv Rv by CPQR; RBRP keeps the leading b_t candidates whose tail energy
 * ρ_j = Σ_{i>=j} ||Rv(i,:)||² is at least τ_b·ρ_1; the kept directions are
 * orthogonalized once more against Q (so [Q, Qv] stays orthonormal even when
 * BRP/BGP keep near-duplicates); F_t = AᵀQv updates the residual masses; with
 * a tolerance the block is cut at the first column that meets it.
 */
#include <string.h>

#include "id_internal.h"

/* V (m×c) := (I − QQᵀ)V, twice, with Q m×k; C is k×c scratch (ld k). */
static void sk__cgs2(int m, int k, int c, const double *Q, double *V, double *C)
{
    if (k == 0) return;
    for (int pass = 0; pass < 2; pass++) {
        sk_dgemm(SK_TRANS, SK_NOTRANS, k, c, m, 1.0, Q, m, V, m, 0.0, C, k);
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, c, k, -1.0, Q, m, C, k, 1.0, V, m);
    }
}

int sk__id_sampling(const sk__id_problem *p, sk__id_state *st)
{
    const sk_id_opts_t *o = p->opts;
    const int m = p->m, n = p->n, kcap = p->kcap;
    int b = o->method == SK_ID_RPQR ? 1 : (o->block > 0 ? o->block : 64);
    if (b > kcap) b = kcap;
    const double tau_b = o->filter_tol > 0.0 ? o->filter_tol : 1.0 / b;
    const int filter = o->method == SK_ID_RBRP, greedy = o->method == SK_ID_BGP;
    const double threshold = o->tol * p->anorm2;

    double *V = sk__alloc_doubles(m, b), *C = sk__alloc_doubles(kcap, b);
    double *Ft = sk__alloc_doubles(n, b), *tau = sk__alloc_doubles(b, 1);
    double *u = sk__alloc_doubles(b, 1), *rho = sk__alloc_doubles(b, 1);
    double *rlast = sk__alloc_doubles(n, 1), *work = sk__alloc_doubles((long long)m + kcap, 1);
    int *J = sk__alloc_ints(b), *jpvt = sk__alloc_ints(b);
    unsigned char *taken = SK_MALLOC((size_t)n);
    int info = SK_ENOMEM;
    if (!V || !C || !Ft || !tau || !u || !rho || !rlast || !work || !J || !jpvt || !taken) goto done;
    memset(taken, 0, (size_t)n);
    memcpy(st->r, p->colnorm2, (size_t)n * sizeof *st->r);
    memcpy(rlast, p->colnorm2, (size_t)n * sizeof *rlast);

    int k = 0;
    info = 0;
    /* Every pass either adds >= 1 column or resolves >= 1 candidate for good
     * (r = 0), so n + kcap passes bound the loop whatever the data. */
    for (int pass = 0; k < kcap && pass <= n + kcap; pass++) {
        double rsum = sk__sum(n, st->r);
        if (!(rsum > threshold) || !(rsum > 0.0)) break;
        int eligible = 0;
        for (int i = 0; i < n; i++) eligible += st->r[i] > 0.0;
        int bb = SK__MIN(SK__MIN(b, kcap - k), eligible);
        if (bb <= 0) break;
        if (!greedy && (info = sk_rng_uniform(p->rng, bb, u)) != 0) goto done;
        sk__pick(n, st->r, bb, greedy ? SK__PICK_GREEDY : SK__PICK_WEIGHTED, u, taken, J);

        for (int t = 0; t < bb; t++)
            memcpy(V + (size_t)t * m, p->A + (size_t)J[t] * p->lda, (size_t)m * sizeof *V);
        sk__cgs2(m, k, bb, st->Q, V, C);
        /* Candidates whose projected norm is at rounding level relative to
         * the column are numerically in span Q (their masses were rounding
         * noise): resolve them for good and keep the others. */
        int nb = 0;
        for (int t = 0; t < bb; t++) {
            double c = sk_dnrm2(m, V + (size_t)t * m, 1);
            if (c * c > p->noise2 * p->colnorm2[J[t]]) {
                if (nb != t) {
                    memcpy(V + (size_t)nb * m, V + (size_t)t * m, (size_t)m * sizeof *V);
                    J[nb] = J[t];
                }
                nb++;
            } else {
                st->r[J[t]] = 0.0;
                sk__trace_add(p->trace, J[t], 0);
            }
        }
        if (nb == 0) {
            sk__trace_close(p->trace, sk__sum(n, st->r));
            continue;
        }
        if (nb < bb) {
            bb = nb;
            rsum = sk__sum(n, st->r);
            sk__trace_close(p->trace, rsum); /* the resolved ones form a step */
        }
        int rk = 0;
        if ((info = sk_dgeqp3(m, bb, V, m, jpvt, tau, bb, 0.0, &rk, NULL)) != 0) goto done;

        /* ρ_j: energy left in the block after its first j CPQR pivots. */
        double tail = 0.0;
        for (int i = bb - 1; i >= 0; i--) {
            double c = sk_dnrm2(bb - i, V + (size_t)i * m + i, m);
            tail += c * c;
            rho[i] = tail;
        }
        int bt = bb;
        if (filter) {
            bt = 1; /* the first pivot always passes (ρ_0 >= τ_b·ρ_0) */
            while (bt < bb && rho[bt] >= tau_b * rho[0]) bt++;
        }
        /* Within the block: stop before a pivot that is numerically in the
         * span of Q and the block's earlier pivots (BRP/BGP keep near-
         * duplicates otherwise, and R of the skeleton would be singular). */
        for (int j = 1; j < bt; j++) {
            double d = V[(size_t)j * m + j];
            if (!(d * d > p->noise2 * p->colnorm2[J[jpvt[j]]])) { bt = j; break; }
        }
        /* Kept directions: Householder Q of the block, re-orthogonalized against
         * Q and re-orthonormalized (nested spans are preserved). In the first
         * block Q is empty and the Householder Q is already orthonormal to
         * working precision: a second QR would only round it again (an
         * O(m·bt²) pass of level-2 work, ~5% of an RBRP call). */
        if ((info = sk_dorgqr(m, bt, bt, V, m, tau)) != 0) goto done;
        if (k > 0) {
            sk__cgs2(m, k, bt, st->Q, V, C);
            if ((info = sk_dgeqrf(m, bt, V, m, tau)) != 0) goto done;
            if ((info = sk_dorgqr(m, bt, bt, V, m, tau)) != 0) goto done;
        }

        if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, n, bt, m, 1.0, p->A, p->lda, V, m, 0.0, Ft, n)) != 0)
            goto done;
        if (threshold > 0.0) { /* exact cut of the block at the first column meeting tol */
            double left = rsum;
            for (int j = 0; j < bt; j++) {
                double c = sk_dnrm2(n, Ft + (size_t)j * n, 1);
                left -= c * c;
                if (left <= threshold) { bt = j + 1; break; }
            }
        }
        memcpy(st->Q + (size_t)k * m, V, (size_t)m * bt * sizeof *V);
        memcpy(st->F + (size_t)k * n, Ft, (size_t)n * bt * sizeof *Ft);
        for (int j = 0; j < bt; j++) st->S[k + j] = J[jpvt[j]];
        /* The new skeleton columns leave the pool first: the downdate skips
         * r = 0, and their residual (~0) would otherwise trip its loss-of-
         * digits test and be recomputed from A (an m×k gemv each, thrown away). */
        for (int j = 0; j < bt; j++) st->r[st->S[k + j]] = 0.0;
        sk__id_downdate(p, st->Q, st->F, k + bt, k, k + bt, st->r, rlast, work);
        for (int j = 0; j < bb; j++) sk__trace_add(p->trace, J[jpvt[j]], j < bt);
        sk__trace_close(p->trace, sk__sum(n, st->r));
        k += bt;
    }
    st->k = k;
done:
    SK_FREE(V); SK_FREE(C); SK_FREE(Ft); SK_FREE(tau); SK_FREE(u); SK_FREE(rho);
    SK_FREE(rlast); SK_FREE(work); SK_FREE(J); SK_FREE(jpvt); SK_FREE(taken);
    return info;
}
