/*
 * cpqr.c — QR with column pivoting that can stop early (linalg.h: sk_dgeqp3).
 *
 * Businger–Golub pivoting (GVL §5.4.2) in the form of LAPACK dlaqp2: at step k
 * the remaining column of largest norm is swapped to position k, a reflector
 * annihilates it below the diagonal and is applied to the trailing columns,
 * and the trailing column norms are downdated with
 *     vn1(j) ← vn1(j) · sqrt(1 − (|r_kj| / vn1(j))²).
 * Downdating loses relative accuracy as a norm shrinks, so, exactly as dlaqp2,
 * a norm is recomputed from scratch once (vn1/vn2)²·(1 − (r/vn1)²) <= sqrt(eps),
 * vn2 being the norm when it was last computed — this keeps the pivot sequence
 * identical to LAPACK's when the column norms are distinct.
 *
 * Early stop by residual mass. The decision "||R22||_F² <= tol·||A||_F²" must be
 * made at the first step where it holds, so it cannot rest on the downdated
 * norms alone (they carry relative errors of up to ~k·eps/sqrt(eps)). The sum
 * of the downdated squares is used as a cheap screen; only when it comes within
 * a safety margin of the threshold are the trailing norms recomputed and the
 * test made on exact sums. The mass decreases at every step, so this happens
 * near the stopping step only (typically once or twice).
 *
 * Blocking (LAPACK dlaqps, Quintana-Ortí, Sun & Bischof 1998): within a block
 * of up to SK__QR_NB steps only the pivot column and the pivot row are brought
 * up to date; the updates of the rest are accumulated in F (A(k:m, :) −=
 * V Fᵀ) and applied with one sk_dgemm at the end of the block. A block also
 * ends early when a norm needs recomputing (that needs the updated column) or
 * when the residual screen fires (the exact test needs the updated trailing
 * block), so both decisions are taken on exactly the data the unblocked
 * algorithm would see. Half of the flops (the Aᵀv products that form F) stay
 * level 2 — that is inherent in column pivoting.
 *
 * All squared quantities are kept divided by smax², smax the largest initial
 * column norm, so that neither ||A||_F² nor the residual overflow or underflow
 * internally; res2 is scaled back only on output.
 */
#include <float.h>
#include <math.h>

#include "householder.h"
#include "prescale.h"

#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

/* Recompute the norms of columns k:n of A(k:m, :) into vn1 = vn2; return Σ (vn1/smax)². */
static double sk__recompute_norms(int m, int n, int k, const double *A, int lda, double *vn1,
                                  double *vn2, double smax)
{
    double mass = 0.0;
    for (int j = k; j < n; j++) {
        double nrm = k < m ? sk_dnrm2(m - k, &SK__AT(A, lda, k, j), 1) : 0.0;
        vn1[j] = vn2[j] = nrm;
        double q = nrm / smax;
        mass += q * q;
    }
    return mass;
}

/*
 * The residual screen: 1 if the downdated norms of columns k:n put the
 * residual mass within the error margin of the threshold (then the exact test
 * must be made). Their squares are off by at most about k·eps·vn2² each (vn2
 * the norm when last computed); the margin is that bound with a generous
 * factor, plus a relative 1e-3 of the threshold.
 */
static int sk__screen(int n, int k, const double *vn1, const double *vn2, double smax,
                      double thresh, int steps)
{
    double est = 0.0, base = 0.0;
    for (int j = k; j < n; j++) {
        double q1 = vn1[j] / smax, q2 = vn2[j] / smax;
        est += q1 * q1;
        base += q2 * q2;
    }
    return est <= thresh + 1e-3 * thresh + 16.0 * (steps + 1) * DBL_EPSILON * base;
}

/* Swap columns p and k (all m rows) and their bookkeeping. */
static void sk__swap_cols(int m, double *A, int lda, int p, int k, int *jpvt, double *vn1,
                          double *vn2)
{
    double *ap = A + (size_t)p * lda, *ak = A + (size_t)k * lda;
    for (int i = 0; i < m; i++) { double t = ap[i]; ap[i] = ak[i]; ak[i] = t; }
    int tj = jpvt[p]; jpvt[p] = jpvt[k]; jpvt[k] = tj;
    vn1[p] = vn1[k];
    vn2[p] = vn2[k];
}

/* Index of the largest vn1[k:n], the first one on ties (LAPACK idamax). */
static int sk__argmax(int n, int k, const double *vn1)
{
    int p = k;
    for (int j = k + 1; j < n; j++)
        if (vn1[j] > vn1[p]) p = j;
    return p;
}

/*
 * One block of at most nb steps (LAPACK dlaqps) on the nc columns A(:, 0:nc)
 * whose first `off` rows are already final. jpvt, tau, vn1, vn2 are indexed
 * locally. F (nc×nb, ldf) and auxv (nb) and row (nc) are workspace. When
 * screen is set, the block ends before any step (after the first) at which
 * sk__screen fires. Returns the number of steps taken (>= 1); on return the
 * trailing block A(off+kb:m, kb:nc) is fully updated and every norm in
 * vn1[kb:nc] is valid.
 */
static int sk__laqps(int m, int nc, int off, int nb, double *A, int lda, int *jpvt, double *tau,
                     double *vn1, double *vn2, double *auxv, double *row, double *F, int ldf,
                     int screen, double smax, double thresh, int kglob)
{
    const double tol3z = sqrt(0.5 * DBL_EPSILON);
    const int lastrk = SK__MIN(m, nc + off);
    int recompute = 0, k = 0;
    while (k < nb && !recompute) {
        if (k > 0 && screen && sk__screen(nc, k, vn1, vn2, smax, thresh, kglob + k)) break;
        const int rk = off + k;
        int p = sk__argmax(nc, k, vn1);
        if (p != k) {
            sk__swap_cols(m, A, lda, p, k, jpvt, vn1, vn2);
            for (int l = 0; l < k; l++) {
                double t = F[(size_t)l * ldf + p];
                F[(size_t)l * ldf + p] = F[(size_t)l * ldf + k];
                F[(size_t)l * ldf + k] = t;
            }
        }
        double *ark = &SK__AT(A, lda, rk, 0); /* row rk, stride lda */
        double *colk = &SK__AT(A, lda, rk, k);
        /* Bring column k up to date: A(rk:m, k) −= A(rk:m, 0:k) F(k, 0:k)ᵀ. */
        if (k > 0) {
            for (int l = 0; l < k; l++) auxv[l] = F[(size_t)l * ldf + k];
            sk_dgemv(SK_NOTRANS, m - rk, k, -1.0, ark, lda, auxv, 1.0, colk);
        }
        sk__dlarfg(m - rk, colk, colk + 1, &tau[k]);
        double akk = *colk;
        *colk = 1.0;
        double *fk = F + (size_t)k * ldf;
        /* F(k+1:nc, k) = tau_k A(rk:m, k+1:nc)ᵀ v_k (A's trailing columns as they were at the block start). */
        if (k + 1 < nc)
            sk_dgemv(SK_TRANS, m - rk, nc - k - 1, tau[k], colk + lda, lda, colk, 0.0, fk + k + 1);
        for (int l = 0; l <= k; l++) fk[l] = 0.0;
        /* F(:, k) −= tau_k F(:, 0:k) A(rk:m, 0:k)ᵀ v_k: the earlier reflectors' share. */
        if (k > 0) {
            sk_dgemv(SK_TRANS, m - rk, k, -tau[k], ark, lda, colk, 0.0, auxv);
            sk_dgemv(SK_NOTRANS, nc, k, 1.0, F, ldf, auxv, 1.0, fk);
        }
        /* Row rk of the trailing columns: A(rk, k+1:nc) −= A(rk, 0:k+1) F(k+1:nc, 0:k+1)ᵀ. */
        if (k + 1 < nc) {
            for (int l = 0; l <= k; l++) auxv[l] = ark[(size_t)l * lda];
            sk_dgemv(SK_NOTRANS, nc - k - 1, k + 1, 1.0, F + k + 1, ldf, auxv, 0.0, row);
            for (int j = k + 1; j < nc; j++) ark[(size_t)j * lda] -= row[j - k - 1];
        }
        /* Downdate the norms; one that needs recomputing ends the block (marked by vn2 < 0). */
        if (rk + 1 < lastrk) {
            for (int j = k + 1; j < nc; j++) {
                if (vn1[j] == 0.0) continue;
                double r = fabs(ark[(size_t)j * lda]) / vn1[j];
                double temp = (1.0 + r) * (1.0 - r);
                if (temp < 0.0) temp = 0.0;
                double ratio = vn1[j] / vn2[j];
                if (temp * ratio * ratio <= tol3z) {
                    vn2[j] = -1.0;
                    recompute = 1;
                } else {
                    vn1[j] *= sqrt(temp);
                }
            }
        }
        *colk = akk;
        k++;
    }
    const int rk = off + k;
    /* The deferred update: A(rk:m, k:nc) −= A(rk:m, 0:k) F(k:nc, 0:k)ᵀ. */
    if (k < SK__MIN(nc, m - off))
        sk_dgemm(SK_NOTRANS, SK_TRANS, m - rk, nc - k, k, -1.0, &SK__AT(A, lda, rk, 0), lda, F + k,
                 ldf, 1.0, &SK__AT(A, lda, rk, k), lda);
    if (recompute)
        for (int j = k; j < nc; j++)
            if (vn2[j] < 0.0)
                vn1[j] = vn2[j] = rk < m ? sk_dnrm2(m - rk, &SK__AT(A, lda, rk, j), 1) : 0.0;
    return k;
}

static int sk__dgeqp3_run(int m, int n, double *A, int lda, int *jpvt, double *tau,
                          int maxrank, double tol, int *rank, double *res2, double *work);

int sk_dgeqp3(int m, int n, double *A, int lda, int *jpvt, double *tau,
              int maxrank, double tol, int *rank, double *res2)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(n >= 0, 2);
    SK__CHECK(A || m == 0 || n == 0, 3);
    SK__CHECK(lda >= SK__MAX(1, m), 4);
    SK__CHECK(jpvt || n == 0, 5);
    SK__CHECK(tau || SK__MIN(m, n) == 0, 6);
    SK__CHECK(maxrank >= 0 && maxrank <= SK__MIN(m, n), 7);
    SK__CHECK(isfinite(tol) && tol >= 0.0, 8);
    SK__CHECK(rank, 9);
    if (m == 0 || n == 0) return sk__dgeqp3_run(m, n, A, lda, jpvt, tau, maxrank, tol, rank, res2, NULL);
    /*
     * Workspace, one block allocated before A is read or any output is written
     * (so SK_ENOMEM leaves everything as it was): vn1 (current, downdated
     * column norms), vn2 (the norms when last computed), row (n), auxv (nb)
     * and F (n×nb).
     */
    double *work = sk__alloc_doubles((long long)n + 1, SK__QR_NB + 3);
    if (!work) return SK_ENOMEM;
    /* Extreme scales (column norms that overflow near DBL_MAX, or squares
     * that underflow): factor 2^-e·A, max entry in [1/2, 1), which is exact
     * and gives the same pivots and reflectors; then R and the trailing
     * block go back to A's units (the reflectors are scale-free). */
    int e = sk__prescale_exponent(m, n, A, lda);
    if (e != 0) sk__scale_pow2_inplace(m, n, A, lda, -e);
    int info = sk__dgeqp3_run(m, n, A, lda, jpvt, tau, maxrank, tol, rank, res2, work);
    if (e != 0) {
        const int k = *rank;
        /* rows 0..min(j, k−1) are R; rows >= k of columns >= k are R22 */
        int bad = sk__scale_upper_pow2(n, k, A, lda, e);
        if (k < n) bad |= sk__scale_pow2_inplace(m - k, n - k, A + (size_t)k * lda + k, lda, e);
        if (res2 && info == 0) *res2 = ldexp(*res2, 2 * e);
        /* An entry of R (or R22) beyond DBL_MAX cannot be returned: say so
         * instead of handing back ±Inf (issue 9). */
        if (bad && info == 0) info = SK_EINVAL;
    }
    SK_FREE(work);
    return info;
}

/* The factorization proper; arguments are checked, work as allocated above (NULL when m or n is 0). */
static int sk__dgeqp3_run(int m, int n, double *A, int lda, int *jpvt, double *tau,
                          int maxrank, double tol, int *rank, double *res2, double *work)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(n >= 0, 2);
    SK__CHECK(A || m == 0 || n == 0, 3);
    SK__CHECK(lda >= SK__MAX(1, m), 4);
    SK__CHECK(jpvt || n == 0, 5);
    int mn = SK__MIN(m, n);
    SK__CHECK(tau || mn == 0, 6);
    SK__CHECK(maxrank >= 0 && maxrank <= mn, 7);
    SK__CHECK(isfinite(tol) && tol >= 0.0, 8);
    SK__CHECK(rank, 9);

    if (m == 0 || n == 0) {
        for (int j = 0; j < n; j++) jpvt[j] = j;
        *rank = 0;
        if (res2) *res2 = 0.0;
        return 0;
    }

    const int nb = SK__QR_NB; /* work: vn1, vn2, row (n each), auxv (nb), F (n×nb) */
    double *vn1 = work, *vn2 = vn1 + n, *row = vn2 + n, *auxv = row + n, *F = auxv + nb;
    for (int j = 0; j < n; j++) jpvt[j] = j;

    double smax = 0.0;
    for (int j = 0; j < n; j++) {
        vn1[j] = vn2[j] = sk_dnrm2(m, A + (size_t)j * lda, 1);
        if (vn1[j] > smax) smax = vn1[j];
    }
    if (smax == 0.0 || !isfinite(smax)) smax = 1.0;
    double total = 0.0; /* ||A||_F² / smax² */
    for (int j = 0; j < n; j++) { double q = vn1[j] / smax; total += q * q; }
    const double thresh = tol * total;
    const double tol3z = sqrt(0.5 * DBL_EPSILON);
    /* mass: Σ (vn1/smax)² over the trailing columns, exact when `exact` is set. */
    double mass = total;
    int exact = 1;

    int k = 0;
    for (;;) {
        if (tol > 0.0) {
            if (!exact && sk__screen(n, k, vn1, vn2, smax, thresh, k)) {
                mass = sk__recompute_norms(m, n, k, A, lda, vn1, vn2, smax);
                exact = 1;
            }
            if (exact && mass <= thresh) break;
        }
        if (k == maxrank) break;
        exact = 0;

        /*
         * Blocked steps while the trailing matrix is large; the last few steps
         * (where the block machinery costs more than it saves) are unblocked.
         */
        if (mn - k > 2 * nb && maxrank - k > 1) {
            int jb = SK__MIN(nb, maxrank - k);
            k += sk__laqps(m, n - k, k, jb, A + (size_t)k * lda, lda, jpvt + k, tau + k, vn1 + k,
                           vn2 + k, auxv, row, F, n - k, tol > 0.0, smax, thresh, k);
            continue;
        }

        /* One unblocked step (LAPACK dlaqp2). */
        int p = sk__argmax(n, k, vn1);
        if (p != k) sk__swap_cols(m, A, lda, p, k, jpvt, vn1, vn2);
        /* Reflector for column k, applied to the trailing columns with the norm downdate fused in. */
        double *akk = &SK__AT(A, lda, k, k);
        sk__dlarfg(m - k, akk, akk + 1, &tau[k]);
        const double *v = akk + 1;
        const double tk = tau[k];
        const int len = m - k; /* rows k:m */
        for (int j = k + 1; j < n; j++) {
            double *c = &SK__AT(A, lda, k, j);
            if (tk != 0.0) {
                double w = c[0];
                for (int i = 1; i < len; i++) w += v[i - 1] * c[i];
                w *= tk;
                if (w != 0.0) {
                    c[0] -= w;
                    for (int i = 1; i < len; i++) c[i] -= w * v[i - 1];
                }
            }
            if (vn1[j] != 0.0) {
                double r = fabs(c[0]) / vn1[j];
                double temp = (1.0 + r) * (1.0 - r);
                if (temp < 0.0) temp = 0.0;
                double ratio = vn1[j] / vn2[j];
                if (temp * ratio * ratio <= tol3z) {
                    vn1[j] = len > 1 ? sk_dnrm2(len - 1, c + 1, 1) : 0.0;
                    vn2[j] = vn1[j];
                } else {
                    vn1[j] *= sqrt(temp);
                }
            }
        }
        k++;
    }

    *rank = k;
    for (int i = k; i < mn; i++) tau[i] = 0.0;
    if (res2) {
        if (!exact) mass = sk__recompute_norms(m, n, k, A, lda, vn1, vn2, smax);
        *res2 = mass * smax * smax;
    }
    return 0;
}
