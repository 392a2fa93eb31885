/*
 * angles_xqr.c — Householder QR with row sorting and column pivoting in the
 * per-column power-of-two format of angles_xnum.h: the factorization the
 * wide-range path of sk_angles_exact uses for the tail block W2, for the
 * part of range(W) inside span(E_k) (the edge case of §1.2) and to
 * precondition a row-graded M before Jacobi (as LAPACK's dgejsv). The core's
 * sk_dgeqrf works on plain doubles, whose single exponent range cannot hold
 * these blocks; this is the same algorithm (dgeqpf's pivoting, dlarfg's
 * reflector) with each column carried at its own exponent.
 */
#include <string.h>

#include "internal.h"
#include "angles_xnum.h"

int sk__xqrcp(int m, int n, double *Y, long long *e, int sortrows, int *rp, int *cp, double *tau,
              double *Rm, long long *Re, int *rank)
{
    double *P = sk__alloc_doubles(m, SK__MAX(n, 1));
    sk__xkey *rl = (sk__xkey *)SK_MALLOC((size_t)SK__MAX(m, 1) * sizeof *rl);
    int info = SK_ENOMEM;
    if (!P || !rl) goto done;
    /* Rows by decreasing largest entry (stable insertion sort: ties keep their order). */
    for (int q = 0; q < m; q++) {
        rl[q] = sk__xkey_of(0.0, SK__XZERO);
        for (int j = 0; sortrows && j < n; j++) {
            const sk__xkey kj = sk__xkey_of(Y[(size_t)j * m + q], e[j]);
            if (sk__xkey_less(rl[q], kj)) rl[q] = kj;
        }
        int w = q;
        while (w > 0 && sk__xkey_less(rl[rp[w - 1]], rl[q])) { rp[w] = rp[w - 1]; w--; }
        rp[w] = q;
    }
    for (int j = 0; j < n; j++) {
        cp[j] = j;
        for (int q = 0; q < m; q++) P[(size_t)j * m + q] = Y[(size_t)j * m + rp[q]];
    }
    memcpy(Y, P, (size_t)m * n * sizeof *Y);
    for (long long x = 0; x < (long long)n * n; x++) { Rm[x] = 0.0; Re[x] = SK__XZERO; }
    const int mn = SK__MIN(m, n);
    *rank = 0;
    for (int i = 0; i < mn; i++) {
        tau[i] = 0.0;
        /* Pivot: the largest active part (rows i..m-1), each renormalized first. */
        int p = -1;
        sk__xkey best = sk__xkey_of(0.0, SK__XZERO);
        for (int j = i; j < n; j++) {
            if (e[j] == SK__XZERO) continue;
            sk__xnormalize(m - i, Y + (size_t)j * m + i, &e[j]);
            if (e[j] == SK__XZERO) continue;
            const sk__xkey kj = sk__xkey_of(sk__xnrm(m - i, Y + (size_t)j * m + i), e[j]);
            if (p < 0 || sk__xkey_less(best, kj)) { best = kj; p = j; }
        }
        if (p < 0) break; /* the rest of R is zero */
        if (p != i) {
            for (int q = 0; q < m; q++) {
                double tmp = Y[(size_t)i * m + q];
                Y[(size_t)i * m + q] = Y[(size_t)p * m + q];
                Y[(size_t)p * m + q] = tmp;
            }
            for (int q = 0; q < i; q++) {
                double tm = Rm[(size_t)i * n + q];
                long long te = Re[(size_t)i * n + q];
                Rm[(size_t)i * n + q] = Rm[(size_t)p * n + q];
                Re[(size_t)i * n + q] = Re[(size_t)p * n + q];
                Rm[(size_t)p * n + q] = tm;
                Re[(size_t)p * n + q] = te;
            }
            long long te = e[i];
            e[i] = e[p];
            e[p] = te;
            int tc = cp[i];
            cp[i] = cp[p];
            cp[p] = tc;
        }
        /* dlarfg on the mantissas x (max |x| in [1/2, 1)): H·x = β·e1. */
        double *x = Y + (size_t)i * m + i;
        const double alpha = x[0], xn = sk_dnrm2(m - i - 1, x + 1, 1); /* scaled: the tail may be all tiny */
        double beta = alpha, ti = 0.0;
        if (xn != 0.0) {
            beta = -copysign(sk__xhypot(alpha, xn), alpha);
            ti = (beta - alpha) / beta;
            const double sc = 1.0 / (alpha - beta);
            for (int q = 1; q < m - i; q++) x[q] *= sc;
        }
        tau[i] = ti;
        Rm[(size_t)i * n + i] = beta;
        Re[(size_t)i * n + i] = e[i];
        for (int j = i + 1; j < n; j++) {
            if (e[j] == SK__XZERO) continue;
            double *y = Y + (size_t)j * m + i, d = y[0];
            for (int q = 1; q < m - i; q++) d += x[q] * y[q];
            d *= ti;
            y[0] -= d;
            for (int q = 1; q < m - i; q++) y[q] -= d * x[q];
            Rm[(size_t)j * n + i] = y[0];
            Re[(size_t)j * n + i] = y[0] == 0.0 ? SK__XZERO : e[j];
        }
        *rank = i + 1;
    }
    info = 0;
done:
    SK_FREE(P);
    SK_FREE(rl);
    return info;
}

int sk__xqr_applyt(int m, int nsteps, const double *V, const double *tau, const int *rp, int na,
                   double *A, long long *ea)
{
    double *c = sk__alloc_doubles(SK__MAX(m, 1), 1);
    if (!c) return SK_ENOMEM;
    for (int j = 0; j < na; j++) {
        double *a = A + (size_t)j * m;
        if (ea[j] == SK__XZERO) continue;
        for (int q = 0; q < m; q++) c[q] = a[rp[q]];
        for (int i = 0; i < nsteps; i++) {
            const double *v = V + (size_t)i * m + i;
            double *y = c + i, d = y[0];
            if (tau[i] == 0.0) continue;
            for (int q = 1; q < m - i; q++) d += v[q] * y[q];
            d *= tau[i];
            y[0] -= d;
            for (int q = 1; q < m - i; q++) y[q] -= d * v[q];
        }
        memcpy(a, c, (size_t)m * sizeof *a);
        sk__xnormalize(m, a, &ea[j]);
    }
    SK_FREE(c);
    return 0;
}
