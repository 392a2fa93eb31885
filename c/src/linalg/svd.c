/*
 * svd.c — thin SVD by Golub–Kahan–Reinsch (linalg.h: sk_dgesvd), and the small
 * Householder/Givens kernels it shares with eigh.c (svd_internal.h).
 *
 * Algorithm (GVL §8.6; LAPACK dgesvd/dgesdd):
 *   1. Scale A by a power of two into a safe range when its largest entry is
 *      tiny or huge, so that nothing below overflows or flushes to zero.
 *   2. m < n is reduced to m > n by working on Aᵀ (U and V swap roles).
 *   3. When m >= 1.6 n, first A = QR, and the rest works on the n×n R, so
 *      steps 4 and 5 only touch n-row matrices.
 *   4. Householder bidiagonalization A = Q B Pᵀ, B upper bidiagonal: blocked
 *      (dgebrd/dlabrd, half the flops in gemm) down to the last 128 columns,
 *      then unblocked (dgebd2, fused so that each step sweeps the trailing
 *      matrix twice).
 *   5. Singular vectors wanted and n > 25: divide and conquer on B (bdsdc.c,
 *      LAPACK dbdsdc), B = UB S VBᵀ, then U = Q [UB; 0] and V = P VB by
 *      applying the reflectors (sk_dormqr) — as dgesdd; all O(n³) work is
 *      gemm. Otherwise implicit-shift bidiagonal QR (Demmel–Kahan, dbdsqr):
 *      relative-accuracy convergence tests, zero shift when a shift would
 *      spoil the small singular values, chasing from the larger end; the
 *      rotations are queued and applied to U and V (Q, P formed explicitly by
 *      sk_dorgqr) a row block at a time.
 *   6. s >= 0 (sign moved into V) and sorted descending.
 *
 * Accuracy: backward stable, so every singular value is within O(n·eps·σ₁)
 * of the exact one; U, V are orthonormal to O(n·eps) (both paths of step 5;
 * the divide and conquer's vectors come from the Löwner-corrected secular
 * vector, so no extra precision is needed for their orthogonality).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "svd_internal.h"

/* LAPACK's dlamch('E'): the unit roundoff 2^-53, which its tolerances assume. */
#define SK__ULP (0.5 * DBL_EPSILON)

/* ------------------------------------------------------------------------- */
/* Shared kernels                                                             */
/* ------------------------------------------------------------------------- */

double sk__sv_larfg(int n, double *alpha, double *x, int incx)
{
    if (n <= 1) return 0.0;
    double xnorm = sk_dnrm2(n - 1, x, incx);
    if (xnorm == 0.0) return 0.0;
    double a = *alpha;
    double beta = -copysign(hypot(a, xnorm), a);
    /* A tiny beta would make v = x/(alpha − beta) overflow or lose precision:
     * scale up (at most 20 times, as dlarfg) and scale beta back at the end. */
    const double safmin = DBL_MIN / SK__ULP, rsafmn = 1.0 / safmin;
    int knt = 0;
    if (fabs(beta) < safmin) {
        do {
            knt++;
            for (int i = 0; i < n - 1; i++) x[(size_t)i * incx] *= rsafmn;
            beta *= rsafmn;
            a *= rsafmn;
        } while (fabs(beta) < safmin && knt < 20);
        xnorm = sk_dnrm2(n - 1, x, incx);
        beta = -copysign(hypot(a, xnorm), a);
    }
    double tau = (beta - a) / beta;
    double scal = 1.0 / (a - beta);
    for (int i = 0; i < n - 1; i++) x[(size_t)i * incx] *= scal;
    for (int j = 0; j < knt; j++) beta *= safmin;
    *alpha = beta;
    return tau;
}

void sk__sv_lartg(double f, double g, double *c, double *s, double *r)
{
    /* Bounds from LAPACK 3.10 dlartg: inside them f² + g² cannot overflow or
     * underflow, so the cheap formula is exact to rounding. */
    const double safmin = DBL_MIN, safmax = 1.0 / DBL_MIN;
    const double rtmin = sqrt(safmin), rtmax = sqrt(safmax / 2);
    if (g == 0.0) {
        *c = 1.0; *s = 0.0; *r = f;
    } else if (f == 0.0) {
        *c = 0.0; *s = copysign(1.0, g); *r = fabs(g);
    } else {
        double f1 = fabs(f), g1 = fabs(g);
        if (f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax) {
            double d = sqrt(f * f + g * g);
            *c = f1 / d;
            *r = copysign(d, f);
            *s = g / *r;
        } else {
            double u = SK__MIN(safmax, SK__MAX(safmin, SK__MAX(f1, g1)));
            double fs = f / u, gs = g / u;
            double d = sqrt(fs * fs + gs * gs);
            *c = fabs(fs) / d;
            double rr = copysign(d, f);
            *s = gs / rr;
            *r = rr * u;
        }
    }
}

void sk__sv_larf_left(int m, int n, const double *vtail, double tau, double *C, int ldc)
{
    if (tau == 0.0 || m <= 0) return;
    for (int j = 0; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        double w = (c[0] + sk__sv_dot(m - 1, vtail, c + 1)) * tau;
        c[0] -= w;
        for (int i = 1; i < m; i++) c[i] -= w * vtail[i - 1];
    }
}

void sk__sv_rot_seq(int nrows, int ncols, const double *c, const double *s, double *X,
                    int ldx, int backward)
{
    if (nrows <= 0 || ncols < 2) return;
    /* Two consecutive rotations share a column, so they are applied together:
     * three columns are read and written once instead of four. */
    if (!backward) {
        int j = 0;
        for (; j + 1 < ncols - 1; j += 2) {
            double c0 = c[j], s0 = s[j], c1 = c[j + 1], s1 = s[j + 1];
            double *x = X + (size_t)j * ldx, *y = x + ldx, *z = y + ldx;
            for (int i = 0; i < nrows; i++) {
                double xi = x[i], yi = y[i], zi = z[i];
                double xn = c0 * xi + s0 * yi;
                double yt = c0 * yi - s0 * xi;
                x[i] = xn;
                y[i] = c1 * yt + s1 * zi;
                z[i] = c1 * zi - s1 * yt;
            }
        }
        for (; j < ncols - 1; j++) {
            double cj = c[j], sj = s[j];
            if (cj == 1.0 && sj == 0.0) continue;
            double *x = X + (size_t)j * ldx, *y = x + ldx;
            for (int i = 0; i < nrows; i++) {
                double xi = x[i], yi = y[i];
                x[i] = cj * xi + sj * yi;
                y[i] = cj * yi - sj * xi;
            }
        }
    } else {
        int j = ncols - 2;
        for (; j - 1 >= 0; j -= 2) {
            /* rotation j on (x_j, x_{j+1}), then j−1 on (x_{j−1}, x_j). */
            double c1 = c[j], s1 = s[j], c0 = c[j - 1], s0 = s[j - 1];
            double *w = X + (size_t)(j - 1) * ldx, *x = w + ldx, *y = x + ldx;
            for (int i = 0; i < nrows; i++) {
                double wi = w[i], xi = x[i], yi = y[i];
                double xt = c1 * xi + s1 * yi;
                y[i] = c1 * yi - s1 * xi;
                w[i] = c0 * wi + s0 * xt;
                x[i] = c0 * xt - s0 * wi;
            }
        }
        for (; j >= 0; j--) {
            double cj = c[j], sj = s[j];
            double *x = X + (size_t)j * ldx, *y = x + ldx;
            for (int i = 0; i < nrows; i++) {
                double xi = x[i], yi = y[i];
                x[i] = cj * xi + sj * yi;
                y[i] = cj * yi - sj * xi;
            }
        }
    }
}

int sk__sv_pow2_exp(double anrm, double lo, double hi)
{
    if (anrm == 0.0 || (anrm >= lo && anrm <= hi) || !isfinite(anrm)) return 0;
    int e;
    (void)frexp(anrm, &e);
    return -e;
}

/* ------------------------------------------------------------------------- */
/* 2×2 bidiagonal kernels (LAPACK dlas2, dlasv2)                              */
/* ------------------------------------------------------------------------- */

/* Singular values of [f g; 0 h], without overflow or needless underflow. */
static void sk__las2(double f, double g, double h, double *ssmin, double *ssmax)
{
    double fa = fabs(f), ga = fabs(g), ha = fabs(h);
    double fhmn = SK__MIN(fa, ha), fhmx = SK__MAX(fa, ha);
    if (fhmn == 0.0) {
        *ssmin = 0.0;
        if (fhmx == 0.0) {
            *ssmax = ga;
        } else {
            double mx = SK__MAX(fhmx, ga), mn = SK__MIN(fhmx, ga);
            *ssmax = mx * sqrt(1.0 + (mn / mx) * (mn / mx));
        }
    } else if (ga < fhmx) {
        double as = 1.0 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) * (ga / fhmx);
        double c = 2.0 / (sqrt(as * as + au) + sqrt(at * at + au));
        *ssmin = fhmn * c;
        *ssmax = fhmx / c;
    } else {
        double au = fhmx / ga;
        if (au == 0.0) {
            /* Avoid underflow of min(|f|,|h|)·max(|f|,|h|)/|g| only being the
             * product of two tiny numbers: this ordering is dlas2's. */
            *ssmin = (fhmn * fhmx) / ga;
            *ssmax = ga;
        } else {
            double as = 1.0 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
            double c = 1.0 / (sqrt(1.0 + (as * au) * (as * au)) + sqrt(1.0 + (at * au) * (at * au)));
            *ssmin = (fhmn * c) * au;
            *ssmin += *ssmin;
            *ssmax = ga / (c + c);
        }
    }
}

/* SVD of [f g; 0 h]: [csl snl; −snl csl] [f g; 0 h] [csr −snr; snr csr] =
 * diag(ssmax, ssmin), |ssmax| >= |ssmin|, signed (dlasv2). */
static void sk__lasv2(double f, double g, double h, double *ssmin, double *ssmax,
                      double *snr, double *csr, double *snl, double *csl)
{
    double ft = f, fa = fabs(ft), ht = h, ha = fabs(h);
    int pmax = 1;
    int swap = ha > fa;
    if (swap) {
        pmax = 3;
        double t = ft; ft = ht; ht = t;
        t = fa; fa = ha; ha = t;
    }
    double gt = g, ga = fabs(gt);
    double clt, crt, slt, srt;
    if (ga == 0.0) {
        *ssmin = ha;
        *ssmax = fa;
        clt = 1.0; crt = 1.0; slt = 0.0; srt = 0.0;
    } else {
        int gasmal = 1;
        clt = crt = slt = srt = 0.0;
        if (ga > fa) {
            pmax = 2;
            if (fa / ga < SK__ULP) {
                /* Very large g: the formulas below would lose everything. */
                gasmal = 0;
                *ssmax = ga;
                *ssmin = ha > 1.0 ? fa / (ga / ha) : (fa / ga) * ha;
                clt = 1.0;
                slt = ht / gt;
                srt = 1.0;
                crt = ft / gt;
            }
        }
        if (gasmal) {
            double d = fa - ha;
            double l = d == fa ? 1.0 : d / fa;
            double m = gt / ft;
            double t = 2.0 - l;
            double mm = m * m, tt = t * t;
            double s = sqrt(tt + mm);
            double r = l == 0.0 ? fabs(m) : sqrt(l * l + mm);
            double a = 0.5 * (s + r);
            *ssmin = ha / a;
            *ssmax = fa * a;
            if (mm == 0.0) {
                if (l == 0.0) t = copysign(2.0, ft) * copysign(1.0, gt);
                else t = gt / copysign(d, ft) + m / t;
            } else {
                t = (m / (s + t) + m / (r + l)) * (1.0 + a);
            }
            l = sqrt(t * t + 4.0);
            crt = 2.0 / l;
            srt = t / l;
            clt = (crt + srt * m) / a;
            slt = (ht / ft) * srt / a;
        }
    }
    if (swap) {
        *csl = srt; *snl = crt; *csr = slt; *snr = clt;
    } else {
        *csl = clt; *snl = slt; *csr = crt; *snr = srt;
    }
    double tsign;
    if (pmax == 1) tsign = copysign(1.0, *csr) * copysign(1.0, *csl) * copysign(1.0, f);
    else if (pmax == 2) tsign = copysign(1.0, *snr) * copysign(1.0, *csl) * copysign(1.0, g);
    else tsign = copysign(1.0, *snr) * copysign(1.0, *snl) * copysign(1.0, h);
    *ssmax = copysign(*ssmax, tsign);
    *ssmin = copysign(*ssmin, tsign * copysign(1.0, f) * copysign(1.0, h));
}

/* ------------------------------------------------------------------------- */
/* Bidiagonal QR iteration (LAPACK dbdsqr, upper, relative accuracy)          */
/* ------------------------------------------------------------------------- */

/* Deferred rotations (svd_internal.h): a row block stays in cache across all
 * queued sweeps. */
void sk__sv_rotq_flush(sk__rotq *q)
{
    if (q->count == 0) return;
    size_t n = (size_t)q->n;
    for (int pass = 0; pass < 2; pass++) {
        double *X = pass == 0 ? q->V : q->U;
        int nrows = pass == 0 ? q->nv : q->nu, ldx = pass == 0 ? q->ldv : q->ldu;
        if (!X || nrows <= 0) continue;
        for (int r0 = 0; r0 < nrows; r0 += SK__ROWBLK) {
            int nr = SK__MIN(SK__ROWBLK, nrows - r0);
            for (int k = 0; k < q->count; k++) {
                const double *c = q->buf + (size_t)k * 4 * n + (size_t)pass * 2 * n;
                sk__sv_rot_seq(nr, q->len[k], c, c + n, X + r0 + (size_t)q->off[k] * ldx, ldx,
                               q->bwd[k]);
            }
        }
    }
    q->count = 0;
}

void sk__sv_rotq_push(sk__rotq *q, int off, int len, int bwd, const double *cv,
                          const double *sv, const double *cu, const double *su)
{
    if ((!q->V || q->nv <= 0) && (!q->U || q->nu <= 0)) return;
    if (len < 2) return;
    if (q->count == SK__SWEEPS) sk__sv_rotq_flush(q);
    size_t n = (size_t)q->n, nr = (size_t)(len - 1) * sizeof(double);
    double *b = q->buf + (size_t)q->count * 4 * n;
    memcpy(b, cv, nr);
    memcpy(b + n, sv, nr);
    if (cu && su) {
        memcpy(b + 2 * n, cu, nr);
        memcpy(b + 3 * n, su, nr);
    }
    q->off[q->count] = off;
    q->len[q->count] = len;
    q->bwd[q->count] = bwd;
    q->count++;
}

/*
 * sk__bdsqr (svd_internal.h) — a faithful port of dbdsqr (LAPACK 3.x): the
 * indices below are 1-based to keep the correspondence with the reference
 * visible.
 */
int sk__bdsqr(int n, double *d, double *e, double *V, int ldv, int nv, double *U, int ldu,
              int nu, double *work)
{
#define D(i) d[(i) - 1]
#define E(i) e[(i) - 1]
#define WORK(i) work[(i) - 1]
    const double eps = SK__ULP, unfl = DBL_MIN;
    const int maxitr = 6;
    int status = 0;
    if (n <= 0) return 0;
    sk__rotq q = { n, 0, { 0 }, { 0 }, { 0 }, work + 4 * (size_t)n, V, U, ldv, nv, ldu, nu };
    if (n > 1) {
        int nm1 = n - 1, nm12 = nm1 + nm1, nm13 = nm12 + nm1, idir = 0;
        /* tol = tolmul·eps: relative accuracy; the tests use 1 ulp · ~100. */
        double tolmul = SK__MAX(10.0, SK__MIN(100.0, pow(eps, -0.125)));
        double tol = tolmul * eps;
        double smax = 0.0;
        for (int i = 1; i <= n; i++) smax = SK__MAX(smax, fabs(D(i)));
        for (int i = 1; i <= n - 1; i++) smax = SK__MAX(smax, fabs(E(i)));
        /* Lower bound on the smallest singular value (Demmel–Kahan recurrence). */
        double sminoa = fabs(D(1));
        if (sminoa != 0.0) {
            double mu = sminoa;
            for (int i = 2; i <= n; i++) {
                mu = fabs(D(i)) * (mu / (mu + fabs(E(i - 1))));
                sminoa = SK__MIN(sminoa, mu);
                if (sminoa == 0.0) break;
            }
        }
        sminoa = sminoa / sqrt((double)n);
        double thresh = SK__MAX(tol * sminoa, maxitr * (n * (n * unfl)));
        /* Iteration cap: maxitr·n² inner steps (dbdsqr's MAXIT), counted in
         * units of n to stay far from int overflow. */
        long long maxitdivn = (long long)maxitr * n, iterdivn = 0;
        long long iter = -1;
        int oldll = -1, oldm = -1;
        int m = n, ll = 0;
        double smin = 0.0, shift, r;
        for (;;) {
            if (m <= 1) break;
            if (iter >= n) {
                iter -= n;
                iterdivn++;
                if (iterdivn >= maxitdivn) { status = SK_ENOCONV; break; }
            }
            /* Find the diagonal block to work on: from the bottom, the first
             * negligible superdiagonal entry. */
            smax = fabs(D(m));
            int split = 0;
            for (int lll = 1; lll <= m - 1; lll++) {
                ll = m - lll;
                double abss = fabs(D(ll)), abse = fabs(E(ll));
                if (abse <= thresh) { split = 1; break; }
                smax = SK__MAX(smax, SK__MAX(abss, abse));
            }
            if (split) {
                E(ll) = 0.0;
                if (ll == m - 1) { m = m - 1; continue; } /* bottom value converged */
            } else {
                ll = 0;
            }
            ll = ll + 1;
            /* E(ll)..E(m−1) nonzero, E(ll−1) zero. */
            if (ll == m - 1) {
                /* 2×2 block: closed form. */
                double sigmn, sigmx, sinr, cosr, sinl, cosl;
                sk__lasv2(D(m - 1), E(m - 1), D(m), &sigmn, &sigmx, &sinr, &cosr, &sinl, &cosl);
                D(m - 1) = sigmx;
                E(m - 1) = 0.0;
                D(m) = sigmn;
                sk__sv_rotq_push(&q, m - 2, 2, 0, &cosr, &sinr, &cosl, &sinl);
                m = m - 2;
                continue;
            }
            /* On a new submatrix, chase the bulge from the larger end. */
            if (ll > oldm || m < oldll) idir = fabs(D(ll)) >= fabs(D(m)) ? 1 : 2;
            /* Convergence tests. */
            int deflated = 0;
            if (idir == 1) {
                if (fabs(E(m - 1)) <= fabs(tol) * fabs(D(m))) { E(m - 1) = 0.0; continue; }
                double mu = fabs(D(ll));
                smin = mu;
                for (int lll = ll; lll <= m - 1; lll++) {
                    if (fabs(E(lll)) <= tol * mu) { E(lll) = 0.0; deflated = 1; break; }
                    mu = fabs(D(lll + 1)) * (mu / (mu + fabs(E(lll))));
                    smin = SK__MIN(smin, mu);
                }
            } else {
                if (fabs(E(ll)) <= fabs(tol) * fabs(D(ll))) { E(ll) = 0.0; continue; }
                double mu = fabs(D(m));
                smin = mu;
                for (int lll = m - 1; lll >= ll; lll--) {
                    if (fabs(E(lll)) <= tol * mu) { E(lll) = 0.0; deflated = 1; break; }
                    mu = fabs(D(lll)) * (mu / (mu + fabs(E(lll))));
                    smin = SK__MIN(smin, mu);
                }
            }
            if (deflated) continue;
            oldll = ll;
            oldm = m;
            /* Shift: zero when it would ruin the relative accuracy of the
             * smallest singular value (Demmel–Kahan), else the smaller
             * singular value of the trailing (leading) 2×2. */
            if (n * tol * (smin / smax) <= SK__MAX(eps, 0.01 * tol)) {
                shift = 0.0;
            } else {
                double sll;
                if (idir == 1) {
                    sll = fabs(D(ll));
                    sk__las2(D(m - 1), E(m - 1), D(m), &shift, &r);
                } else {
                    sll = fabs(D(m));
                    sk__las2(D(ll), E(ll), D(ll + 1), &shift, &r);
                }
                if (sll > 0.0 && (shift / sll) * (shift / sll) < eps) shift = 0.0;
            }
            iter += m - ll;
            double *cr = &WORK(1), *sr = &WORK(n), *cl = &WORK(nm12 + 1), *sl = &WORK(nm13 + 1);
            int len = m - ll + 1;
            if (shift == 0.0) {
                if (idir == 1) {
                    double cs = 1.0, oldcs = 1.0, sn = 0.0, oldsn = 0.0;
                    for (int i = ll; i <= m - 1; i++) {
                        sk__sv_lartg(D(i) * cs, E(i), &cs, &sn, &r);
                        if (i > ll) E(i - 1) = oldsn * r;
                        sk__sv_lartg(oldcs * r, D(i + 1) * sn, &oldcs, &oldsn, &D(i));
                        WORK(i - ll + 1) = cs;
                        WORK(i - ll + 1 + nm1) = sn;
                        WORK(i - ll + 1 + nm12) = oldcs;
                        WORK(i - ll + 1 + nm13) = oldsn;
                    }
                    double h = D(m) * cs;
                    D(m) = h * oldcs;
                    E(m - 1) = h * oldsn;
                    sk__sv_rotq_push(&q, ll - 1, len, 0, cr, sr, cl, sl);
                    if (fabs(E(m - 1)) <= thresh) E(m - 1) = 0.0;
                } else {
                    double cs = 1.0, oldcs = 1.0, sn = 0.0, oldsn = 0.0;
                    for (int i = m; i >= ll + 1; i--) {
                        sk__sv_lartg(D(i) * cs, E(i - 1), &cs, &sn, &r);
                        if (i < m) E(i) = oldsn * r;
                        sk__sv_lartg(oldcs * r, D(i - 1) * sn, &oldcs, &oldsn, &D(i));
                        WORK(i - ll) = cs;
                        WORK(i - ll + nm1) = -sn;
                        WORK(i - ll + nm12) = oldcs;
                        WORK(i - ll + nm13) = -oldsn;
                    }
                    double h = D(ll) * cs;
                    D(ll) = h * oldcs;
                    E(ll) = h * oldsn;
                    sk__sv_rotq_push(&q, ll - 1, len, 1, cl, sl, cr, sr);
                    if (fabs(E(ll)) <= thresh) E(ll) = 0.0;
                }
            } else {
                if (idir == 1) {
                    double f = (fabs(D(ll)) - shift) * (copysign(1.0, D(ll)) + shift / D(ll));
                    double g = E(ll);
                    for (int i = ll; i <= m - 1; i++) {
                        double cosr, sinr, cosl, sinl;
                        sk__sv_lartg(f, g, &cosr, &sinr, &r);
                        if (i > ll) E(i - 1) = r;
                        f = cosr * D(i) + sinr * E(i);
                        E(i) = cosr * E(i) - sinr * D(i);
                        g = sinr * D(i + 1);
                        D(i + 1) = cosr * D(i + 1);
                        sk__sv_lartg(f, g, &cosl, &sinl, &r);
                        D(i) = r;
                        f = cosl * E(i) + sinl * D(i + 1);
                        D(i + 1) = cosl * D(i + 1) - sinl * E(i);
                        if (i < m - 1) {
                            g = sinl * E(i + 1);
                            E(i + 1) = cosl * E(i + 1);
                        }
                        WORK(i - ll + 1) = cosr;
                        WORK(i - ll + 1 + nm1) = sinr;
                        WORK(i - ll + 1 + nm12) = cosl;
                        WORK(i - ll + 1 + nm13) = sinl;
                    }
                    E(m - 1) = f;
                    sk__sv_rotq_push(&q, ll - 1, len, 0, cr, sr, cl, sl);
                    if (fabs(E(m - 1)) <= thresh) E(m - 1) = 0.0;
                } else {
                    double f = (fabs(D(m)) - shift) * (copysign(1.0, D(m)) + shift / D(m));
                    double g = E(m - 1);
                    for (int i = m; i >= ll + 1; i--) {
                        double cosr, sinr, cosl, sinl;
                        sk__sv_lartg(f, g, &cosr, &sinr, &r);
                        if (i < m) E(i) = r;
                        f = cosr * D(i) + sinr * E(i - 1);
                        E(i - 1) = cosr * E(i - 1) - sinr * D(i);
                        g = sinr * D(i - 1);
                        D(i - 1) = cosr * D(i - 1);
                        sk__sv_lartg(f, g, &cosl, &sinl, &r);
                        D(i) = r;
                        f = cosl * E(i - 1) + sinl * D(i - 1);
                        D(i - 1) = cosl * D(i - 1) - sinl * E(i - 1);
                        if (i > ll + 1) {
                            g = sinl * E(i - 2);
                            E(i - 2) = cosl * E(i - 2);
                        }
                        WORK(i - ll) = cosr;
                        WORK(i - ll + nm1) = -sinr;
                        WORK(i - ll + nm12) = cosl;
                        WORK(i - ll + nm13) = -sinl;
                    }
                    E(ll) = f;
                    if (fabs(E(ll)) <= thresh) E(ll) = 0.0;
                    sk__sv_rotq_push(&q, ll - 1, len, 1, cl, sl, cr, sr);
                }
            }
        }
    }
    sk__sv_rotq_flush(&q);
    /* Make the singular values non-negative (the sign goes into V). */
    for (int i = 1; i <= n; i++) {
        if (D(i) < 0.0) {
            D(i) = -D(i);
            if (V && nv > 0) {
                double *v = V + (size_t)(i - 1) * ldv;
                for (int r2 = 0; r2 < nv; r2++) v[r2] = -v[r2];
            }
        }
    }
    /* Sort descending; selection sort, so at most n−1 column swaps. */
    for (int i = 1; i <= n - 1; i++) {
        int isub = 1;
        double mn = D(1);
        for (int j = 2; j <= n + 1 - i; j++) {
            if (D(j) <= mn) { isub = j; mn = D(j); }
        }
        int last = n + 1 - i;
        if (isub != last) {
            D(isub) = D(last);
            D(last) = mn;
            if (V && nv > 0) {
                double *a = V + (size_t)(isub - 1) * ldv, *b = V + (size_t)(last - 1) * ldv;
                for (int r2 = 0; r2 < nv; r2++) { double t = a[r2]; a[r2] = b[r2]; b[r2] = t; }
            }
            if (U && nu > 0) {
                double *a = U + (size_t)(isub - 1) * ldu, *b = U + (size_t)(last - 1) * ldu;
                for (int r2 = 0; r2 < nu; r2++) { double t = a[r2]; a[r2] = b[r2]; b[r2] = t; }
            }
        }
    }
    return status;
#undef D
#undef E
#undef WORK
}

/* ------------------------------------------------------------------------- */
/* Bidiagonalization and the driver                                           */
/* ------------------------------------------------------------------------- */

/*
 * Upper bidiagonalization of the m×n A, m >= n >= 1 (LAPACK dgebd2): on exit
 * d, e hold B; the left reflectors (tauq) are stored below the diagonal, the
 * right ones (taup) right of the superdiagonal, as LAPACK does.
 *
 * The trailing matrix is swept twice per step instead of three times: with
 * w = tauq·Aᵀv known, row i after the left update is A(i,:) − w, so the right
 * reflector u is formed before the left update is applied; that update then
 * fuses with y = A u, and the right update A −= taup·y uᵀ fuses with the dot
 * products w' of the next step (whose column is updated first). The matrix
 * is usually bigger than L2, so passes, not flops, set the time.
 * y: m doubles, w: n doubles of workspace.
 */
static void sk__gebd2(int m, int n, double *A, int lda, double *d, double *e, double *tauq,
                      double *taup, double *y, double *w)
{
    /* Step 0's left reflector and its w. */
    tauq[0] = sk__sv_larfg(m, &A[0], &A[1], 1);
    d[0] = A[0];
    for (int j = 1; j < n; j++) {
        const double *c = A + (size_t)j * lda;
        w[j] = tauq[0] * (c[0] + sk__sv_dot(m - 1, A + 1, c + 1));
    }
    for (int i = 0; i < n - 1; i++) {
        /* Invariant: column i is reduced (v below the diagonal, tauq[i]) and
         * w[j] = tauq[i]·vᵀA(i:m, j) for j > i, from the not-yet-updated A. */
        const double *v = &SK__AT(A, lda, i + 1, i);
        double tq = tauq[i];
        int mr = m - i - 1; /* rows below i, >= 1 since m >= n > i + 1 */
        for (int j = i + 1; j < n; j++) SK__AT(A, lda, i, j) -= w[j];
        double *air = &SK__AT(A, lda, i, i + 1);
        taup[i] = sk__sv_larfg(n - i - 1, air, air + lda, lda);
        e[i] = *air;
        double tp = taup[i];
        /* Pass 1: left update of rows i+1.., and y = A(i+1:m, i+1:n) u. */
        for (int r = 0; r < mr; r++) y[r] = 0.0;
        for (int j = i + 1; j < n; j++) {
            double *c = &SK__AT(A, lda, i + 1, j);
            double wj = w[j], uj = j == i + 1 ? 1.0 : SK__AT(A, lda, i, j);
            if (tq != 0.0)
                for (int r = 0; r < mr; r++) c[r] -= wj * v[r];
            if (tp != 0.0)
                for (int r = 0; r < mr; r++) y[r] += uj * c[r];
        }
        /* Pass 2: right update, column i+1 first so that the next left
         * reflector and its w can be computed in the same sweep. */
        double *c1 = &SK__AT(A, lda, i + 1, i + 1);
        if (tp != 0.0)
            for (int r = 0; r < mr; r++) c1[r] -= tp * y[r];
        tauq[i + 1] = sk__sv_larfg(mr, c1, c1 + 1, 1);
        d[i + 1] = *c1;
        double tq1 = tauq[i + 1];
        for (int j = i + 2; j < n; j++) {
            double *c = &SK__AT(A, lda, i + 1, j);
            if (tp != 0.0) {
                double t = tp * SK__AT(A, lda, i, j);
                for (int r = 0; r < mr; r++) c[r] -= t * y[r];
            }
            w[j] = tq1 * (c[0] + sk__sv_dot(mr - 1, c1 + 1, c + 1));
        }
    }
    taup[n - 1] = 0.0;
}

/*
 * Blocked bidiagonalization (LAPACK dgebrd/dlabrd, m >= n): panels of
 * SK__BRD_NB columns and rows are reduced with the trailing matrix left
 * unchanged, accumulating X (m×nb) and Y (n×nb) such that the trailing
 * matrix is A − V Yᵀ − X Uᵀ (V, U the panel's left and right reflectors);
 * that rank-2nb update is then two gemm calls. Half the 8n³/3 flops move
 * into gemm, and each panel step reads the trailing matrix twice (two gemv)
 * instead of reading and writing it twice as sk__gebd2 does. The last
 * SK__BRD_NX columns (too few for gemm to pay) go to sk__gebd2.
 * Same output format as sk__gebd2. y: m, w: n doubles of workspace for the
 * unblocked tail; the panel workspace is allocated here, and without it the
 * whole reduction is simply done unblocked.
 */
#define SK__BRD_NB 32
#define SK__BRD_NX 128

/* One panel (dlabrd, m >= n > nb): A is the trailing m×n matrix. X is m×nb
 * (ldx = m), Y is n×nb (ldy = n); t1, t2: max(m, n) doubles each. */
static void sk__labrd(int m, int n, int nb, double *A, int lda, double *d, double *e,
                      double *tauq, double *taup, double *X, double *Y, double *t1, double *t2)
{
    const int ldx = m, ldy = n;
    for (int i = 0; i < nb; i++) {
        double *aii = &SK__AT(A, lda, i, i);
        int mi = m - i, ni = n - i - 1; /* rows from i, columns after i */
        /* Column i of the current trailing matrix: A(i:m, i) −= A(i:m, 0:i) Y(i, 0:i)ᵀ
         * + X(i:m, 0:i) A(0:i, i). */
        for (int j = 0; j < i; j++) t1[j] = Y[(size_t)j * ldy + i];
        sk_dgemv(SK_NOTRANS, mi, i, -1.0, A + i, lda, t1, 1.0, aii);
        sk_dgemv(SK_NOTRANS, mi, i, -1.0, X + i, ldx, A + (size_t)i * lda, 1.0, aii);
        tauq[i] = sk__sv_larfg(mi, aii, aii + 1, 1);
        d[i] = *aii;
        if (ni <= 0) continue;
        *aii = 1.0;
        /* Y(i+1:n, i) = tauq·(Aᵀv − Y Vᵀv − Uᵀ Xᵀv), v = A(i:m, i); the
         * top of column i of Y is scratch. */
        double *yi = Y + (size_t)i * ldy;
        sk_dgemv(SK_TRANS, mi, ni, 1.0, aii + lda, lda, aii, 0.0, yi + i + 1);
        sk_dgemv(SK_TRANS, mi, i, 1.0, A + i, lda, aii, 0.0, yi);
        sk_dgemv(SK_NOTRANS, ni, i, -1.0, Y + i + 1, ldy, yi, 1.0, yi + i + 1);
        sk_dgemv(SK_TRANS, mi, i, 1.0, X + i, ldx, aii, 0.0, yi);
        sk_dgemv(SK_TRANS, i, ni, -1.0, A + (size_t)(i + 1) * lda, lda, yi, 1.0, yi + i + 1);
        for (int j = i + 1; j < n; j++) yi[j] *= tauq[i];
        /* Row i: A(i, i+1:n) −= Y(i+1:n, 0:i+1) A(i, 0:i+1)ᵀ + A(0:i, i+1:n)ᵀ X(i, 0:i)ᵀ. */
        for (int j = 0; j <= i; j++) t1[j] = SK__AT(A, lda, i, j);
        sk_dgemv(SK_NOTRANS, ni, i + 1, 1.0, Y + i + 1, ldy, t1, 0.0, t2);
        for (int j = 0; j < i; j++) t1[j] = X[(size_t)j * ldx + i];
        sk_dgemv(SK_TRANS, i, ni, 1.0, A + (size_t)(i + 1) * lda, lda, t1, 1.0, t2);
        double *air = aii + lda;
        for (int j = 0; j < ni; j++) air[(size_t)j * lda] -= t2[j];
        taup[i] = sk__sv_larfg(ni, air, air + lda, lda);
        e[i] = *air;
        *air = 1.0;
        /* X(i+1:m, i) = taup·(A u − V Yᵀu − X Uᵀu), u = A(i, i+1:n) (copied to
         * t1); the top of column i of X is scratch. */
        for (int j = 0; j < ni; j++) t1[j] = air[(size_t)j * lda];
        double *xi = X + (size_t)i * ldx;
        sk_dgemv(SK_NOTRANS, mi - 1, ni, 1.0, air + 1, lda, t1, 0.0, xi + i + 1);
        sk_dgemv(SK_TRANS, ni, i + 1, 1.0, Y + i + 1, ldy, t1, 0.0, xi);
        sk_dgemv(SK_NOTRANS, mi - 1, i + 1, -1.0, A + i + 1, lda, xi, 1.0, xi + i + 1);
        sk_dgemv(SK_NOTRANS, i, ni, 1.0, A + (size_t)(i + 1) * lda, lda, t1, 0.0, xi);
        sk_dgemv(SK_NOTRANS, mi - 1, i, -1.0, X + i + 1, ldx, xi, 1.0, xi + i + 1);
        for (int j = i + 1; j < m; j++) xi[j] *= taup[i];
    }
}

static void sk__gebrd(int m, int n, double *A, int lda, double *d, double *e, double *tauq,
                      double *taup, double *y, double *w)
{
    const int nb = SK__BRD_NB;
    int i = 0;
    if (n > SK__BRD_NX) {
        double *work = sk__alloc_doubles((long long)(m + n) * nb + 2LL * m, 1);
        if (work) {
            double *X = work, *Y = X + (size_t)m * nb, *t1 = Y + (size_t)n * nb, *t2 = t1 + m;
            for (; n - i > SK__BRD_NX; i += nb) {
                int mr = m - i, nr = n - i;
                double *Aii = &SK__AT(A, lda, i, i);
                sk__labrd(mr, nr, nb, Aii, lda, d + i, e + i, tauq + i, taup + i, X, Y, t1, t2);
                /* Trailing update A22 −= V Y2ᵀ + X2 U, then put d and e back
                 * where the panel left the reflectors' unit entries. */
                double *A22 = Aii + nb + (size_t)nb * lda;
                sk_dgemm(SK_NOTRANS, SK_TRANS, mr - nb, nr - nb, nb, -1.0, Aii + nb, lda, Y + nb, nr,
                         1.0, A22, lda);
                sk_dgemm(SK_NOTRANS, SK_NOTRANS, mr - nb, nr - nb, nb, -1.0, X + nb, mr,
                         Aii + (size_t)nb * lda, lda, 1.0, A22, lda);
                for (int j = 0; j < nb; j++) {
                    SK__AT(Aii, lda, j, j) = d[i + j];
                    SK__AT(Aii, lda, j, j + 1) = e[i + j];
                }
            }
            SK_FREE(work);
        }
    }
    sk__gebd2(m - i, n - i, &SK__AT(A, lda, i, i), lda, d + i, e + i, tauq + i, taup + i, y, w);
}

/*
 * Vectors by divide and conquer (n > SK__DC_SMLSIZ, U or V wanted): B =
 * UB·diag(s)·VBᵀ by sk__bdsdc, then U = Q_B·[UB; 0] and V = P·VB by applying
 * the stored reflectors (sk_dormqr, blocked) rather than forming Q_B and P:
 * the O(n³) work is then all in gemm, where the QR iteration's rotations
 * cost a similar number of flops at level-1 speed. B is the bidiagonalized mm×n
 * matrix (left reflectors below the diagonal, right ones right of the
 * superdiagonal); d, e, tauq, taup as from sk__gebd2; e is destroyed.
 * When Aqr is not NULL, A = Q_qr·R was factored first (B came from R) and U
 * is the m-row Q_qr·[Q_B UB; 0].
 */
static int sk__svd_dc_vectors(int m, int mm, int n, const double *B, int ldb, double *d, double *e,
                              const double *tauq, const double *taup, const double *Aqr,
                              int lda, const double *tau_qr, double *U, int ldu, double *V,
                              int ldv)
{
    /* UB and VB are computed in place in the top n×n blocks of U and V (no
     * copies, and less fresh memory to fault in); scratch only for the one
     * that is not wanted, and W for the transposed right reflectors. */
    size_t nn = (size_t)n * n, n1 = (size_t)(n - 1);
    size_t len = (U ? 0 : nn) + (V ? n1 * n1 : nn);
    double *work = sk__alloc_doubles(1, (long long)len);
    if (!work) return SK_ENOMEM;
    double *UB = U ? U : work, *W = U ? work : work + nn, *VB = V ? V : W;
    int ldub = U ? ldu : n, ldvb = V ? ldv : n;
    int status = sk__bdsdc(n, d, e, UB, ldub, VB, ldvb);
    if (status == SK_ENOMEM) { SK_FREE(work); return status; }
    if (V && n > 1) {
        /* P = G_0⋯G_{n−2}, G_i acting on rows i+1..n−1 with its vector in
         * row i of B: transposed into the columns of W, a QR-style set of
         * n−1 reflectors of order n−1, applied to rows 1..n−1 of VB = V. */
        for (size_t i = 0; i + 2 < (size_t)n; i++)
            for (size_t j = i + 2; j < (size_t)n; j++) W[i * n1 + (j - 1)] = SK__AT(B, ldb, i, j);
        int st = sk_dormqr(SK_LEFT, SK_NOTRANS, n - 1, n, n - 1, W, n - 1, taup, V + 1, ldv);
        if (st != 0 && status == 0) status = st;
    }
    if (U) {
        int st = 0;
        if (Aqr) /* U(0:n, :) := Q_B UB, then U = Q_qr [U(0:n, :); 0]. */
            st = sk_dormqr(SK_LEFT, SK_NOTRANS, n, n, n, B, ldb, tauq, U, ldu);
        if (st != 0 && status == 0) status = st;
        for (int j = 0; j < n; j++)
            for (int i = n; i < m; i++) SK__AT(U, ldu, i, j) = 0.0;
        st = Aqr ? sk_dormqr(SK_LEFT, SK_NOTRANS, m, n, n, Aqr, lda, tau_qr, U, ldu)
                 : sk_dormqr(SK_LEFT, SK_NOTRANS, mm, n, n, B, ldb, tauq, U, ldu);
        if (st != 0 && status == 0) status = st;
    }
    SK_FREE(work);
    return status;
}

/*
 * SVD of the m×n A with m >= n >= 1 (A destroyed). U (m×n) and V (n×n) may be
 * NULL. Returns 0, SK_ENOMEM or SK_ENOCONV.
 */
static int sk__svd_tall(int m, int n, double *A, int lda, double *s, double *U, int ldu,
                        double *V, int ldv)
{
    /* QR first (sk_dgeqrf) when it pays: bidiagonalizing R costs 8n³/3 against the
     * 4mn² − 4n³/3 of A, and the rotations then update n-row U (dgesvd's
     * crossover is about 1.6 n). */
    int qr_first = m >= n + n / 2 + n / 8 && n > 1;
    /* Divide and conquer for the vectors of all but small matrices. */
    int dc = (U || V) && n > SK__DC_SMLSIZ;
    int mm = qr_first ? n : m;
    size_t extra = qr_first ? (size_t)n * n + (size_t)n + (U && !dc ? (size_t)n * n : 0) : 0;
    double *work = sk__alloc_doubles(1, (9LL + 4 * SK__SWEEPS) * n + m + (long long)extra);
    if (!work) return SK_ENOMEM;
    double *d = work, *e = d + n, *tauq = e + n, *taup = tauq + n, *rot = taup + n;
    double *y = rot + (4 + 4 * SK__SWEEPS) * (size_t)n, *wv = y + m;
    double *B = A, *UB = U, *tau_qr = NULL;
    int ldb = lda, ldub = ldu;
    if (qr_first) {
        tau_qr = wv + n;
        B = tau_qr + n;
        ldb = n;
        int st = sk_dgeqrf(m, n, A, lda, tau_qr);
        if (st != 0) { SK_FREE(work); return st; }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) B[(size_t)j * n + i] = i <= j ? SK__AT(A, lda, i, j) : 0.0;
        if (U && !dc) { UB = B + (size_t)n * n; ldub = n; }
    }
    sk__gebrd(mm, n, B, ldb, d, e, tauq, taup, y, wv);
    if (dc) {
        int status = sk__svd_dc_vectors(m, mm, n, B, ldb, d, e, tauq, taup, qr_first ? A : NULL,
                                        lda, tau_qr, U, ldu, V, ldv);
        if (status != SK_ENOMEM) memcpy(s, d, (size_t)n * sizeof(double));
        SK_FREE(work);
        return status;
    }
    if (UB) {
        /* UB := Q_B (mm×n) from the left reflectors. */
        for (int j = 0; j < n; j++)
            for (int i = j + 1; i < mm; i++) UB[(size_t)j * ldub + i] = B[(size_t)j * ldb + i];
        int st = sk_dorgqr(mm, n, n, UB, ldub, tauq);
        if (st != 0) { SK_FREE(work); return st; }
    }
    if (V) {
        /* V := P = G_0⋯G_{n−2}: the right reflectors, transposed into
         * columns 1..n−1, form a QR-style reflector set of order n−1. */
        for (int i = 0; i < n; i++) { V[i] = 0.0; V[(size_t)i * ldv] = 0.0; }
        V[0] = 1.0;
        for (int i = 0; i + 2 < n; i++)
            for (int j = i + 2; j < n; j++) SK__AT(V, ldv, j, i + 1) = SK__AT(B, ldb, i, j);
        if (n > 1) {
            int st = sk_dorgqr(n - 1, n - 1, n - 1, V + 1 + ldv, ldv, taup);
            if (st != 0) { SK_FREE(work); return st; }
        }
    }
    int status = sk__bdsqr(n, d, e, V, ldv, n, UB, ldub, UB ? mm : 0, rot);
    if (U && qr_first) {
        /* U = Q [UB; 0], applying H_{n−1}, ..., H_0 to the padded block in place. */
        for (int j = 0; j < n; j++) {
            double *u = U + (size_t)j * ldu;
            memcpy(u, UB + (size_t)j * n, (size_t)n * sizeof(double));
            for (int i = n; i < m; i++) u[i] = 0.0;
        }
        int st = sk_dormqr(SK_LEFT, SK_NOTRANS, m, n, n, A, lda, tau_qr, U, ldu);
        if (st != 0 && status == 0) status = st;
    }
    memcpy(s, d, (size_t)n * sizeof(double));
    SK_FREE(work);
    return status;
}

int sk_dgesvd(int m, int n, double *A, int lda, double *s, double *U, int ldu,
              double *V, int ldv)
{
    if (m < 0) return -1;
    if (n < 0) return -2;
    int k = SK__MIN(m, n);
    if (!A && k > 0) return -3;
    if (lda < SK__MAX(1, m)) return -4;
    if (!s && k > 0) return -5;
    /* U and V may be NULL (skip them); their leading dimensions are only
     * checked when they are wanted. */
    if (U && ldu < SK__MAX(1, m)) return -7;
    if (V && ldv < SK__MAX(1, n)) return -9;
    if (k == 0) return 0;

    /* Scale into [smlnum, bignum] (dgesvd's range), by a power of two. */
    const double smlnum = sqrt(DBL_MIN) / SK__ULP, bignum = 1.0 / smlnum;
    double anrm = sk_dlange('M', m, n, A, lda);
    int sexp = sk__sv_pow2_exp(anrm, smlnum, bignum);

    int status;
    if (m >= n) {
        if (sexp != 0)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) SK__AT(A, lda, i, j) = ldexp(SK__AT(A, lda, i, j), sexp);
        status = sk__svd_tall(m, n, A, lda, s, U, ldu, V, ldv);
    } else {
        /* Aᵀ = V S Uᵀ: the tall code on the transpose, U and V swapped. */
        double *At = sk__alloc_doubles(n, m);
        if (!At) return SK_ENOMEM;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) At[(size_t)i * n + j] = ldexp(SK__AT(A, lda, i, j), sexp);
        status = sk__svd_tall(n, m, At, n, s, V, ldv, U, ldu);
        SK_FREE(At);
    }
    if (status == SK_ENOMEM) return status;
    if (sexp != 0)
        for (int i = 0; i < k; i++) s[i] = ldexp(s[i], -sexp);
    return status;
}
