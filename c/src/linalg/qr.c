/*
 * qr.c — Householder QR (linalg.h: sk_dgeqrf, sk_dorgqr, sk_dormqr) and the
 * reflector helpers declared in householder.h.
 *
 * The blocked algorithms follow LAPACK (dgeqrf/dorgqr/dormqr): a panel of
 * SK__QR_NB columns is factored with level-2 code, its reflectors are
 * aggregated into the compact WY form I − V T Vᵀ (Schreiber & Van Loan; GVL
 * §5.2.3) and applied to the rest of the matrix with two sk_dgemm calls, where
 * almost all of the flops are. Workspace is one allocation per call, made
 * before A is touched, so an SK_ENOMEM return leaves every argument unchanged.
 */
#include <float.h>
#include <math.h>

#include "householder.h"
#include "prescale.h"

#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

/* sqrt(x² + y²) without overflow or needless underflow (LAPACK dlapy2). */
static double sk__dlapy2(double x, double y)
{
    if (isnan(x)) return x;
    if (isnan(y)) return y;
    double xa = fabs(x), ya = fabs(y);
    double w = xa > ya ? xa : ya, z = xa > ya ? ya : xa;
    if (z == 0.0 || w > DBL_MAX) return w;
    double q = z / w;
    return w * sqrt(1.0 + q * q);
}

static void sk__scal(int n, double a, double *x)
{
    for (int i = 0; i < n; i++) x[i] *= a;
}

void sk__dlarfg(int n, double *alpha, double *x, double *tau)
{
    if (n <= 1) { *tau = 0.0; return; }
    double xnorm = sk_dnrm2(n - 1, x, 1);
    if (xnorm == 0.0) { *tau = 0.0; return; }
    double beta = -copysign(sk__dlapy2(*alpha, xnorm), *alpha);
    /*
     * LAPACK's safmin = dlamch('S')/dlamch('E'): if |beta| is below it, 1/(alpha−beta)
     * could overflow and v would lose accuracy, so rescale x and alpha up (at
     * most 20 times, as LAPACK) and scale beta back at the end.
     */
    const double safmin = DBL_MIN / (0.5 * DBL_EPSILON);
    int knt = 0;
    if (fabs(beta) < safmin) {
        const double rsafmn = 1.0 / safmin;
        do {
            knt++;
            sk__scal(n - 1, rsafmn, x);
            beta *= rsafmn;
            *alpha *= rsafmn;
        } while (fabs(beta) < safmin && knt < 20);
        xnorm = sk_dnrm2(n - 1, x, 1);
        beta = -copysign(sk__dlapy2(*alpha, xnorm), *alpha);
    }
    *tau = (beta - *alpha) / beta;
    sk__scal(n - 1, 1.0 / (*alpha - beta), x);
    for (int j = 0; j < knt; j++) beta *= safmin;
    *alpha = beta;
}

void sk__dlarf_left(int m, int n, const double *vtail, double tau, double *C, int ldc)
{
    if (tau == 0.0 || m <= 0) return;
    int j = 0;
    /* Eight, then four columns at a time: independent dot products (each
     * summed in the same order as the one-column loop below, so the results
     * do not depend on the blocking) instead of one chain of dependent
     * additions, and one load of v per several updates. */
    for (; j + 8 <= n; j += 8) {
        double *c0 = C + (size_t)j * ldc;
        double w[8];
        for (int t = 0; t < 8; t++) w[t] = c0[(size_t)t * ldc];
        double w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6],
               w7 = w[7];
        const double *d1 = c0 + ldc, *d2 = d1 + ldc, *d3 = d2 + ldc, *d4 = d3 + ldc;
        const double *d5 = d4 + ldc, *d6 = d5 + ldc, *d7 = d6 + ldc;
        for (int i = 1; i < m; i++) {
            double v = vtail[i - 1];
            w0 += v * c0[i]; w1 += v * d1[i]; w2 += v * d2[i]; w3 += v * d3[i];
            w4 += v * d4[i]; w5 += v * d5[i]; w6 += v * d6[i]; w7 += v * d7[i];
        }
        w[0] = w0 * tau; w[1] = w1 * tau; w[2] = w2 * tau; w[3] = w3 * tau;
        w[4] = w4 * tau; w[5] = w5 * tau; w[6] = w6 * tau; w[7] = w7 * tau;
        for (int t = 0; t < 8; t += 4) {
            double *e0 = c0 + (size_t)t * ldc, *e1 = e0 + ldc, *e2 = e1 + ldc, *e3 = e2 + ldc;
            double x0 = w[t], x1 = w[t + 1], x2 = w[t + 2], x3 = w[t + 3];
            if (x0 != 0.0 && x1 != 0.0 && x2 != 0.0 && x3 != 0.0) {
                e0[0] -= x0; e1[0] -= x1; e2[0] -= x2; e3[0] -= x3;
                for (int i = 1; i < m; i++) {
                    double v = vtail[i - 1];
                    e0[i] -= x0 * v;
                    e1[i] -= x1 * v;
                    e2[i] -= x2 * v;
                    e3[i] -= x3 * v;
                }
            } else {
                double *es[4] = { e0, e1, e2, e3 };
                for (int u = 0; u < 4; u++) {
                    if (w[t + u] == 0.0) continue;
                    es[u][0] -= w[t + u];
                    for (int i = 1; i < m; i++) es[u][i] -= w[t + u] * vtail[i - 1];
                }
            }
        }
    }
    for (; j + 4 <= n; j += 4) {
        double *c0 = C + (size_t)j * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        double w0 = c0[0], w1 = c1[0], w2 = c2[0], w3 = c3[0];
        for (int i = 1; i < m; i++) {
            double v = vtail[i - 1];
            w0 += v * c0[i];
            w1 += v * c1[i];
            w2 += v * c2[i];
            w3 += v * c3[i];
        }
        w0 *= tau; w1 *= tau; w2 *= tau; w3 *= tau;
        if (w0 != 0.0 && w1 != 0.0 && w2 != 0.0 && w3 != 0.0) {
            c0[0] -= w0; c1[0] -= w1; c2[0] -= w2; c3[0] -= w3;
            for (int i = 1; i < m; i++) {
                double v = vtail[i - 1];
                c0[i] -= w0 * v;
                c1[i] -= w1 * v;
                c2[i] -= w2 * v;
                c3[i] -= w3 * v;
            }
        } else {
            /* A zero w leaves its column untouched, as in the loop below. */
            double *cs[4] = { c0, c1, c2, c3 }, ws[4] = { w0, w1, w2, w3 };
            for (int t = 0; t < 4; t++) {
                if (ws[t] == 0.0) continue;
                cs[t][0] -= ws[t];
                for (int i = 1; i < m; i++) cs[t][i] -= ws[t] * vtail[i - 1];
            }
        }
    }
    for (; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        double w = c[0];
        for (int i = 1; i < m; i++) w += vtail[i - 1] * c[i];
        w *= tau;
        if (w == 0.0) continue;
        c[0] -= w;
        for (int i = 1; i < m; i++) c[i] -= w * vtail[i - 1];
    }
}

void sk__copy_v(int m, int k, const double *A, int lda, double *V, int ldv)
{
    for (int j = 0; j < k; j++) {
        const double *a = A + (size_t)j * lda;
        double *v = V + (size_t)j * ldv;
        for (int i = 0; i < j; i++) v[i] = 0.0;
        v[j] = 1.0;
        for (int i = j + 1; i < m; i++) v[i] = a[i];
    }
}

void sk__dlarft(int m, int k, const double *V, int ldv, const double *tau, double *T, int ldt)
{
    for (int i = 0; i < k; i++) {
        double *t = T + (size_t)i * ldt;
        for (int r = i + 1; r < k; r++) t[r] = 0.0; /* keep T's lower part defined */
        if (tau[i] == 0.0) {
            /* H_i = I: its column of T is zero. */
            for (int r = 0; r <= i; r++) t[r] = 0.0;
            continue;
        }
        /* T(0:i, i) = −tau_i V(i:m, 0:i)ᵀ v_i; rows above i of v_i are zero. */
        if (i > 0) {
            const double *vi = V + (size_t)i * ldv;
            sk_dgemv(SK_TRANS, m - i, i, -tau[i], V + i, ldv, vi + i, 0.0, t);
            /* T(0:i, i) := T(0:i, 0:i) T(0:i, i), upper triangular, in place top-down. */
            for (int r = 0; r < i; r++) {
                double s = 0.0;
                for (int c = r; c < i; c++) s += T[(size_t)c * ldt + r] * t[c];
                t[r] = s;
            }
        }
        t[i] = tau[i];
    }
}

/* W (r×k) := W Tᵀ, T upper triangular k×k; column j uses columns >= j, so go up. */
static void sk__trmm_wtt(int r, int k, const double *T, int ldt, double *W, int ldw)
{
    for (int j = 0; j < k; j++) {
        double *wj = W + (size_t)j * ldw;
        double d = T[(size_t)j * ldt + j];
        for (int i = 0; i < r; i++) wj[i] *= d;
        for (int l = j + 1; l < k; l++) {
            double t = T[(size_t)l * ldt + j];
            if (t == 0.0) continue;
            const double *wl = W + (size_t)l * ldw;
            for (int i = 0; i < r; i++) wj[i] += t * wl[i];
        }
    }
}

/* W (r×k) := W T, T upper triangular k×k; column j uses columns <= j, so go down. */
static void sk__trmm_wt(int r, int k, const double *T, int ldt, double *W, int ldw)
{
    for (int j = k - 1; j >= 0; j--) {
        double *wj = W + (size_t)j * ldw;
        double d = T[(size_t)j * ldt + j];
        for (int i = 0; i < r; i++) wj[i] *= d;
        for (int l = 0; l < j; l++) {
            double t = T[(size_t)j * ldt + l];
            if (t == 0.0) continue;
            const double *wl = W + (size_t)l * ldw;
            for (int i = 0; i < r; i++) wj[i] += t * wl[i];
        }
    }
}

void sk__dlarfb(sk_side_t side, sk_trans_t trans, int m, int n, int k, const double *V,
                int ldv, const double *T, int ldt, double *C, int ldc, double *W, int ldw)
{
    if (m <= 0 || n <= 0 || k <= 0) return;
    if (side == SK_LEFT) {
        /* op(Q_b) C = C − V op(T) Vᵀ C = C − V (W op(T)ᵀ)ᵀ with W = Cᵀ V. */
        sk_dgemm(SK_TRANS, SK_NOTRANS, n, k, m, 1.0, C, ldc, V, ldv, 0.0, W, ldw);
        if (trans == SK_NOTRANS) sk__trmm_wtt(n, k, T, ldt, W, ldw);
        else sk__trmm_wt(n, k, T, ldt, W, ldw);
        sk_dgemm(SK_NOTRANS, SK_TRANS, m, n, k, -1.0, V, ldv, W, ldw, 1.0, C, ldc);
    } else {
        /* C op(Q_b) = C − (C V) op(T) Vᵀ. */
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, n, 1.0, C, ldc, V, ldv, 0.0, W, ldw);
        if (trans == SK_NOTRANS) sk__trmm_wt(m, k, T, ldt, W, ldw);
        else sk__trmm_wtt(m, k, T, ldt, W, ldw);
        sk_dgemm(SK_NOTRANS, SK_TRANS, m, n, k, -1.0, W, ldw, V, ldv, 1.0, C, ldc);
    }
}

/* Unblocked QR of an m×n panel (LAPACK dgeqr2). */
static void sk__dgeqr2(int m, int n, double *A, int lda, double *tau)
{
    int k = SK__MIN(m, n);
    for (int i = 0; i < k; i++) {
        double *aii = &SK__AT(A, lda, i, i);
        sk__dlarfg(m - i, aii, aii + 1, &tau[i]);
        if (i + 1 < n) sk__dlarf_left(m - i, n - i - 1, aii + 1, tau[i], aii + lda, lda);
    }
}

static void sk__dgeqrf_run(int m, int n, double *A, int lda, double *tau, double *work);

int sk_dgeqrf(int m, int n, double *A, int lda, double *tau)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(n >= 0, 2);
    SK__CHECK(A || m == 0 || n == 0, 3);
    SK__CHECK(lda >= SK__MAX(1, m), 4);
    int k = SK__MIN(m, n);
    SK__CHECK(tau || k == 0, 5);
    if (k == 0) return 0;
    /* Workspace (V m×nb | T nb×nb | W n×nb) before A is touched, so that
     * SK_ENOMEM leaves A as it was; a single panel needs none. */
    double *work = NULL;
    if (n > SK__QR_NB) {
        work = sk__alloc_doubles((long long)m + n + SK__QR_NB, SK__QR_NB);
        if (!work) return SK_ENOMEM;
    }
    /* Extreme scales (a −DBL_MAX entry makes the column norm Inf, entries
     * near 1e-302 make it underflow): factor 2^-e·A exactly, then put R back
     * in A's units; the reflectors and tau are scale-free. */
    int e = sk__prescale_exponent(m, n, A, lda), info = 0;
    if (e != 0) sk__scale_pow2_inplace(m, n, A, lda, -e);
    sk__dgeqrf_run(m, n, A, lda, tau, work);
    if (e != 0 && sk__scale_upper_pow2(n, k, A, lda, e)) info = SK_EINVAL; /* R overflows */
    SK_FREE(work);
    return info;
}

/* The blocked factorization; arguments checked, k > 0, work as allocated above. */
static void sk__dgeqrf_run(int m, int n, double *A, int lda, double *tau, double *work)
{
    int k = SK__MIN(m, n);
    /* A single panel with nothing to its right needs no block machinery. */
    if (n <= SK__QR_NB) {
        sk__dgeqr2(m, n, A, lda, tau);
        return;
    }
    const int nb = SK__QR_NB;
    double *V = work, *T = V + (size_t)m * nb, *W = T + (size_t)nb * nb;

    for (int i = 0; i < k; i += nb) {
        int ib = SK__MIN(nb, k - i);
        double *Aii = &SK__AT(A, lda, i, i);
        sk__dgeqr2(m - i, ib, Aii, lda, tau + i);
        if (i + ib < n) {
            /* A(i:m, i+ib:n) := Q_bᵀ A(i:m, i+ib:n). */
            sk__copy_v(m - i, ib, Aii, lda, V, m - i);
            sk__dlarft(m - i, ib, V, m - i, tau + i, T, nb);
            sk__dlarfb(SK_LEFT, SK_TRANS, m - i, n - i - ib, ib, V, m - i, T, nb,
                       Aii + (size_t)ib * lda, lda, W, n - i - ib);
        }
    }
}

/* Unblocked generation of Q (LAPACK dorg2r): m×n, k reflectors, m >= n >= k. */
static void sk__dorg2r(int m, int n, int k, double *A, int lda, const double *tau)
{
    /* Columns k:n start as columns of the identity. */
    for (int j = k; j < n; j++) {
        double *a = A + (size_t)j * lda;
        for (int i = 0; i < m; i++) a[i] = 0.0;
        a[j] = 1.0;
    }
    for (int i = k - 1; i >= 0; i--) {
        double *aii = &SK__AT(A, lda, i, i);
        /* H_i applied to A(i:m, i+1:n); the reflector's own column is formed last. */
        if (i + 1 < n) sk__dlarf_left(m - i, n - i - 1, aii + 1, tau[i], aii + lda, lda);
        sk__scal(m - i - 1, -tau[i], aii + 1);
        *aii = 1.0 - tau[i];
        for (int r = 0; r < i; r++) SK__AT(A, lda, r, i) = 0.0;
    }
}

int sk_dorgqr(int m, int n, int k, double *A, int lda, const double *tau)
{
    SK__CHECK(m >= 0, 1);
    SK__CHECK(n >= 0 && n <= m, 2);
    SK__CHECK(k >= 0 && k <= n, 3);
    SK__CHECK(A || n == 0, 4);
    SK__CHECK(lda >= SK__MAX(1, m), 5);
    SK__CHECK(tau || k == 0, 6);
    if (n == 0) return 0;

    if (k <= SK__QR_NB) {
        sk__dorg2r(m, n, k, A, lda, tau);
        return 0;
    }
    const int nb = SK__QR_NB;
    double *work = sk__alloc_doubles((long long)m + n + nb, nb);
    if (!work) return SK_ENOMEM;
    double *V = work, *T = V + (size_t)m * nb, *W = T + (size_t)nb * nb;

    /*
     * Blocks of reflectors from the last one back (LAPACK dorgqr with nx = 0):
     * the columns past the last reflector start as identity columns, and each
     * block is applied to the columns already formed on its right before its
     * own columns are generated.
     */
    int ki = ((k - 1) / nb) * nb; /* start of the last block */
    sk__dorg2r(m - k, n - k, 0, &SK__AT(A, lda, k, k), lda, tau);
    for (int j = k; j < n; j++)
        for (int i = 0; i < k; i++) SK__AT(A, lda, i, j) = 0.0;
    for (int i = ki; i >= 0; i -= nb) {
        int ib = SK__MIN(nb, k - i);
        double *Aii = &SK__AT(A, lda, i, i);
        if (i + ib < n) {
            sk__copy_v(m - i, ib, Aii, lda, V, m - i);
            sk__dlarft(m - i, ib, V, m - i, tau + i, T, nb);
            sk__dlarfb(SK_LEFT, SK_NOTRANS, m - i, n - i - ib, ib, V, m - i, T, nb,
                       Aii + (size_t)ib * lda, lda, W, n - i - ib);
        }
        sk__dorg2r(m - i, ib, ib, Aii, lda, tau + i);
        for (int j = i; j < i + ib; j++)
            for (int r = 0; r < i; r++) SK__AT(A, lda, r, j) = 0.0;
    }
    SK_FREE(work);
    return 0;
}

int sk_dormqr(sk_side_t side, sk_trans_t trans, int m, int n, int k,
              const double *A, int lda, const double *tau, double *C, int ldc)
{
    SK__CHECK(side == SK_LEFT || side == SK_RIGHT, 1);
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 2);
    SK__CHECK(m >= 0, 3);
    SK__CHECK(n >= 0, 4);
    int left = side == SK_LEFT;
    int nq = left ? m : n; /* order of Q */
    SK__CHECK(k >= 0 && k <= nq, 5);
    SK__CHECK(A || k == 0, 6);
    SK__CHECK(lda >= SK__MAX(1, nq), 7);
    SK__CHECK(tau || k == 0, 8);
    SK__CHECK(C || m == 0 || n == 0, 9);
    SK__CHECK(ldc >= SK__MAX(1, m), 10);
    if (m == 0 || n == 0 || k == 0) return 0;

    const int nb = SK__MIN(SK__QR_NB, k);
    int nw = left ? n : m; /* rows of W */
    double *work = sk__alloc_doubles((long long)nq + nw + nb, nb);
    if (!work) return SK_ENOMEM;
    double *V = work, *T = V + (size_t)nq * nb, *W = T + (size_t)nb * nb;

    /*
     * Q = H_1⋯H_k. Qᵀ C (left) and C Q (right) apply H_1 first, so go through
     * the blocks forward; Q C and C Qᵀ go backward.
     */
    int forward = left != (trans == SK_NOTRANS);
    int nblocks = (k + nb - 1) / nb;
    for (int b = 0; b < nblocks; b++) {
        int i = (forward ? b : nblocks - 1 - b) * nb;
        int ib = SK__MIN(nb, k - i);
        const double *Aii = A + (size_t)i * lda + i;
        sk__copy_v(nq - i, ib, Aii, lda, V, nq - i);
        sk__dlarft(nq - i, ib, V, nq - i, tau + i, T, nb);
        if (left)
            sk__dlarfb(SK_LEFT, trans, m - i, n, ib, V, nq - i, T, nb, C + i, ldc, W, nw);
        else
            sk__dlarfb(SK_RIGHT, trans, m, n - i, ib, V, nq - i, T, nb, C + (size_t)i * ldc,
                       ldc, W, nw);
    }
    SK_FREE(work);
    return 0;
}
