/*
 * bdsdc.c — singular value decomposition of an upper bidiagonal matrix by
 * divide and conquer (svd_internal.h: sk__bdsdc), used by sk_dgesvd when
 * singular vectors are wanted.
 *
 * Algorithm (Gu & Eisenstat, "A divide-and-conquer algorithm for the bidiagonal
 * SVD", SIMAX 16 (1995); LAPACK dbdsdc with compq = 'I' and its auxiliaries
 * dlasd0–dlasd5, dlasdq, dlaed6, dlamrg):
 *   B (n×n) is split at a middle row into an upper nl×(nl+1) block, a row
 *   (alpha, beta) and a lower block; the halves are solved recursively and
 *   merged: with their SVDs the merged matrix is U·[D | z-row]·Vᵀ, a diagonal
 *   plus one dense row. Its singular values are the roots of the secular
 *   equation  1 + rho·Σ z_j²/((d_j − σ)(d_j + σ)) = 0  (dlasd4, a rational
 *   interpolation zero finder that keeps the differences d_j − σ to high
 *   relative accuracy). The vector z is then recomputed from the computed
 *   roots by the Löwner formula (Gu–Eisenstat), so that the computed roots are
 *   the exact singular values of a nearby matrix and the singular vectors,
 *   formed from those differences, are orthogonal to working precision without
 *   extra precision. The new U and V are products of the old ones with these
 *   small vector matrices: the flops are in sk_dgemm.
 *   Deflation (dlasd2) removes entries of z below 8·eps·|B| and merges nearly
 *   equal d_j by a rotation, which both keeps the secular equation well posed
 *   and saves most of the work on matrices with clustered or graded spectra.
 *   Blocks of order <= SK__DC_SMLSIZ are solved by the bidiagonal QR
 *   iteration (sk__bdsqr).
 *
 * Storage convention: unlike LAPACK, which keeps Vᵀ and works on its rows, the
 * code here keeps V (right singular vectors in columns), so every row
 * operation of the reference becomes a contiguous column operation; the
 * LAPACK name VT(i, j) corresponds to V(j, i) below. The small K×K scratch
 * matrices that dlasd3 keeps in VT's storage keep LAPACK's layout.
 *
 * Indices in the ports of dlasd2/dlasd3/dlasd4/dlaed6 are 1-based (macros),
 * to keep the correspondence with the reference visible; permutation arrays
 * hold 1-based values.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "svd_internal.h"

/* dlamch('E') as LAPACK uses it: the unit roundoff 2^-53. */
#define SK__DC_EPS (0.5 * DBL_EPSILON)

/* ------------------------------------------------------------------------- */
/* Small helpers                                                              */
/* ------------------------------------------------------------------------- */

/* sqrt(x² + y²) without overflow (dlapy2). */
static double sk__dc_lapy2(double x, double y)
{
    double xa = fabs(x), ya = fabs(y);
    double w = SK__MAX(xa, ya), z = SK__MIN(xa, ya);
    if (z == 0.0 || w > DBL_MAX) return w;
    return w * sqrt(1.0 + (z / w) * (z / w));
}

/* x' = c x + s y, y' = c y − s x (drot). */
static void sk__dc_rot(int n, double *x, double *y, double c, double s)
{
    for (int i = 0; i < n; i++) {
        double xi = x[i], yi = y[i];
        x[i] = c * xi + s * yi;
        y[i] = c * yi - s * xi;
    }
}

static void sk__dc_swap(int n, double *x, double *y)
{
    for (int i = 0; i < n; i++) { double t = x[i]; x[i] = y[i]; y[i] = t; }
}

/*
 * dlamrg: a[0..n1−1] and a[n1..n1+n2−1] are each sorted (ascending when the
 * stride is 1, descending when −1); index[i] (1-based values) lists a in
 * ascending order.
 */
static void sk__dc_lamrg(int n1, int n2, const double *a, int s1, int s2, int *index)
{
    int ind1 = s1 > 0 ? 1 : n1, ind2 = s2 > 0 ? n1 + 1 : n1 + n2, i = 0;
    while (n1 > 0 && n2 > 0) {
        if (a[ind1 - 1] <= a[ind2 - 1]) { index[i++] = ind1; ind1 += s1; n1--; }
        else { index[i++] = ind2; ind2 += s2; n2--; }
    }
    for (; n2 > 0; n2--) { index[i++] = ind2; ind2 += s2; }
    for (; n1 > 0; n1--) { index[i++] = ind1; ind1 += s1; }
}

/* ------------------------------------------------------------------------- */
/* Secular equation (dlaed6, dlasd5, dlasd4)                                  */
/* ------------------------------------------------------------------------- */

/*
 * dlaed6: the root nearest the origin of  f(x) = rho + Σ_{i=1..3} z_i/(d_i − x)
 * (d sorted, z > 0) in (d_2, d_3) when orgati, else in (d_1, d_2), starting
 * from finit = f(0). Gragg–Thornton–Warner cubically convergent iteration,
 * bisection-safeguarded. Returns 0, or 1 when it did not converge (the caller
 * then falls back to two-pole interpolation).
 */
static int sk__dc_laed6(int kniter, int orgati, double rho, const double *dd, const double *zz,
                        double finit, double *tau_out)
{
#define DD(i) dd[(i) - 1]
#define ZZ(i) zz[(i) - 1]
    const double eps = SK__DC_EPS;
    double lbd = orgati ? DD(2) : DD(1), ubd = orgati ? DD(3) : DD(2);
    if (finit < 0.0) lbd = 0.0;
    else ubd = 0.0;
    double tau = 0.0, a, b, c, temp;
    if (kniter == 2) {
        if (orgati) {
            temp = (DD(3) - DD(2)) / 2.0;
            c = rho + ZZ(1) / ((DD(1) - DD(2)) - temp);
            a = c * (DD(2) + DD(3)) + ZZ(2) + ZZ(3);
            b = c * DD(2) * DD(3) + ZZ(2) * DD(3) + ZZ(3) * DD(2);
        } else {
            temp = (DD(1) - DD(2)) / 2.0;
            c = rho + ZZ(3) / ((DD(3) - DD(2)) - temp);
            a = c * (DD(1) + DD(2)) + ZZ(1) + ZZ(2);
            b = c * DD(1) * DD(2) + ZZ(1) * DD(2) + ZZ(2) * DD(1);
        }
        temp = SK__MAX(fabs(a), SK__MAX(fabs(b), fabs(c)));
        a /= temp; b /= temp; c /= temp;
        if (c == 0.0) tau = b / a;
        else if (a <= 0.0) tau = (a - sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
        else tau = 2.0 * b / (a + sqrt(fabs(a * a - 4.0 * b * c)));
        if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2.0;
        if (DD(1) == tau || DD(2) == tau || DD(3) == tau) {
            tau = 0.0;
        } else {
            temp = finit + tau * ZZ(1) / (DD(1) * (DD(1) - tau)) +
                   tau * ZZ(2) / (DD(2) * (DD(2) - tau)) + tau * ZZ(3) / (DD(3) * (DD(3) - tau));
            if (temp <= 0.0) lbd = tau;
            else ubd = tau;
            if (fabs(finit) <= fabs(temp)) tau = 0.0;
        }
    }
    /* Scale up when a pole is so close that 1/(d − tau)³ could overflow:
     * by 2^340 or 2^680 (powers of two nearest safmin^(-1/3), safmin^(-2/3)). */
    const double small1 = ldexp(1.0, -340), sminv1 = ldexp(1.0, 340);
    const double small2 = small1 * small1, sminv2 = sminv1 * sminv1;
    temp = orgati ? SK__MIN(fabs(DD(2) - tau), fabs(DD(3) - tau))
                  : SK__MIN(fabs(DD(1) - tau), fabs(DD(2) - tau));
    double dscale[3], zscale[3], sclinv = 1.0;
    int scale = 0;
    if (temp <= small1) {
        scale = 1;
        double sclfac;
        if (temp <= small2) { sclfac = sminv2; sclinv = small2; }
        else { sclfac = sminv1; sclinv = small1; }
        for (int i = 0; i < 3; i++) { dscale[i] = dd[i] * sclfac; zscale[i] = zz[i] * sclfac; }
        tau *= sclfac; lbd *= sclfac; ubd *= sclfac;
    } else {
        for (int i = 0; i < 3; i++) { dscale[i] = dd[i]; zscale[i] = zz[i]; }
    }
    double fc = 0.0, df = 0.0, ddf = 0.0;
    for (int i = 0; i < 3; i++) {
        double t = 1.0 / (dscale[i] - tau);
        double t1 = zscale[i] * t, t2 = t1 * t, t3 = t2 * t;
        fc += t1 / dscale[i];
        df += t2;
        ddf += t3;
    }
    double f = finit + tau * fc;
    int info = 0;
    if (fabs(f) <= 0.0) goto done;
    if (f <= 0.0) lbd = tau;
    else ubd = tau;
    info = 1;
    for (int niter = 2; niter <= 40; niter++) {
        double t1 = orgati ? dscale[1] - tau : dscale[0] - tau;
        double t2 = orgati ? dscale[2] - tau : dscale[1] - tau;
        a = (t1 + t2) * f - t1 * t2 * df;
        b = t1 * t2 * f;
        c = f - (t1 + t2) * df + t1 * t2 * ddf;
        temp = SK__MAX(fabs(a), SK__MAX(fabs(b), fabs(c)));
        a /= temp; b /= temp; c /= temp;
        double eta;
        if (c == 0.0) eta = b / a;
        else if (a <= 0.0) eta = (a - sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
        else eta = 2.0 * b / (a + sqrt(fabs(a * a - 4.0 * b * c)));
        if (f * eta >= 0.0) eta = -f / df;
        tau += eta;
        if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2.0;
        fc = 0.0;
        double erretm = 0.0;
        df = 0.0;
        ddf = 0.0;
        for (int i = 0; i < 3; i++) {
            if (dscale[i] - tau == 0.0) { info = 0; goto done; }
            double t = 1.0 / (dscale[i] - tau);
            double u1 = zscale[i] * t, u2 = u1 * t, u3 = u2 * t, u4 = u1 / dscale[i];
            fc += u4;
            erretm += fabs(u4);
            df += u2;
            ddf += u3;
        }
        f = finit + tau * fc;
        erretm = 8.0 * (fabs(finit) + fabs(tau) * erretm) + fabs(tau) * df;
        if (fabs(f) <= 4.0 * eps * erretm || (ubd - lbd) <= 4.0 * eps * fabs(tau)) {
            info = 0;
            goto done;
        }
        if (f <= 0.0) lbd = tau;
        else ubd = tau;
    }
done:
    if (scale) tau *= sclinv;
    *tau_out = tau;
    return info;
#undef DD
#undef ZZ
}

/*
 * dlasd5: the i-th (i = 1, 2) root of the 2×2 secular equation, with
 * delta_j = d_j − sigma and work_j = d_j + sigma formed without cancellation.
 */
static void sk__dc_lasd5(int i, const double *d, const double *z, double *delta, double rho,
                         double *dsigma, double *work)
{
    double del = d[1] - d[0], delsq = del * (d[1] + d[0]), b, c, tau, w;
    if (i == 1) {
        w = 1.0 + 4.0 * rho * (z[1] * z[1] / (d[0] + 3.0 * d[1]) - z[0] * z[0] / (3.0 * d[0] + d[1])) / del;
        if (w > 0.0) {
            b = delsq + rho * (z[0] * z[0] + z[1] * z[1]);
            c = rho * z[0] * z[0] * delsq;
            /* tau = sigma² − d_1², then sigma − d_1. */
            tau = 2.0 * c / (b + sqrt(fabs(b * b - 4.0 * c)));
            tau = tau / (d[0] + sqrt(d[0] * d[0] + tau));
            *dsigma = d[0] + tau;
            delta[0] = -tau;
            delta[1] = del - tau;
            work[0] = 2.0 * d[0] + tau;
            work[1] = (d[0] + tau) + d[1];
        } else {
            b = -delsq + rho * (z[0] * z[0] + z[1] * z[1]);
            c = rho * z[1] * z[1] * delsq;
            if (b > 0.0) tau = -2.0 * c / (b + sqrt(b * b + 4.0 * c));
            else tau = (b - sqrt(b * b + 4.0 * c)) / 2.0;
            tau = tau / (d[1] + sqrt(fabs(d[1] * d[1] + tau)));
            *dsigma = d[1] + tau;
            delta[0] = -(del + tau);
            delta[1] = -tau;
            work[0] = d[0] + tau + d[1];
            work[1] = 2.0 * d[1] + tau;
        }
    } else {
        b = -delsq + rho * (z[0] * z[0] + z[1] * z[1]);
        c = rho * z[1] * z[1] * delsq;
        if (b > 0.0) tau = (b + sqrt(b * b + 4.0 * c)) / 2.0;
        else tau = 2.0 * c / (-b + sqrt(b * b + 4.0 * c));
        tau = tau / (d[1] + sqrt(d[1] * d[1] + tau));
        *dsigma = d[1] + tau;
        delta[0] = -(del + tau);
        delta[1] = -tau;
        work[0] = d[0] + tau + d[1];
        work[1] = 2.0 * d[1] + tau;
    }
}

/*
 * dlasd4: the i-th root sigma (1 <= i <= n) of the secular equation
 *     1/rho + Σ_j z_j² / ((d_j − sigma)(d_j + sigma)) = 0,
 * 0 <= d_1 < d_2 < ... < d_n, ||z|| = 1, rho > 0; d_i < sigma < d_{i+1}
 * (sigma_n > d_n). On exit delta_j = d_j − sigma and work_j = d_j + sigma,
 * both computed relative to the nearer pole so that they carry full relative
 * accuracy (the singular vectors are formed from them).
 * Returns 0, or 1 when the iteration limit was reached.
 */
static int sk__dc_lasd4(int n, int i, const double *d, const double *z, double *delta, double rho,
                        double *sigma_out, double *work)
{
#define D(j) d[(j) - 1]
#define Z(j) z[(j) - 1]
#define DELTA(j) delta[(j) - 1]
#define WORK(j) work[(j) - 1]
    const int maxit = 400;
    const double eps = SK__DC_EPS;
    double a, b, c, w, eta, tau, tau2, temp, temp1, temp2, psi, dpsi, phi, dphi, erretm, sigma;
    if (n == 1) {
        *sigma_out = sqrt(D(1) * D(1) + rho * Z(1) * Z(1));
        DELTA(1) = 1.0;
        WORK(1) = 1.0;
        return 0;
    }
    if (n == 2) {
        sk__dc_lasd5(i, d, z, delta, rho, sigma_out, work);
        return 0;
    }
    double rhoinv = 1.0 / rho;
    if (i == n) {
        /* The largest root, beyond d_n: two-pole interpolation on d_{n−1}, d_n. */
        int ii = n - 1;
        temp = rho / 2.0;
        temp1 = temp / (D(n) + sqrt(D(n) * D(n) + temp));
        for (int j = 1; j <= n; j++) {
            WORK(j) = D(j) + D(n) + temp1;
            DELTA(j) = (D(j) - D(n)) - temp1;
        }
        psi = 0.0;
        for (int j = 1; j <= n - 2; j++) psi += Z(j) * Z(j) / (DELTA(j) * WORK(j));
        c = rhoinv + psi;
        w = c + Z(ii) * Z(ii) / (DELTA(ii) * WORK(ii)) + Z(n) * Z(n) / (DELTA(n) * WORK(n));
        if (w <= 0.0) {
            temp1 = sqrt(D(n) * D(n) + rho);
            temp = Z(n - 1) * Z(n - 1) / ((D(n - 1) + temp1) * (D(n) - D(n - 1) + rho / (D(n) + temp1))) +
                   Z(n) * Z(n) / rho;
            /* d_n² + rho/2 <= sigma_n² <= d_n² + tau2 <= d_n² + rho. */
            if (c <= temp) {
                tau2 = rho;
            } else {
                double delsq = (D(n) - D(n - 1)) * (D(n) + D(n - 1));
                a = -c * delsq + Z(n - 1) * Z(n - 1) + Z(n) * Z(n);
                b = Z(n) * Z(n) * delsq;
                if (a < 0.0) tau2 = 2.0 * b / (sqrt(a * a + 4.0 * b * c) - a);
                else tau2 = (a + sqrt(a * a + 4.0 * b * c)) / (2.0 * c);
            }
        } else {
            /* d_n² < d_n² + tau2 < sigma_n² < d_n² + rho/2. */
            double delsq = (D(n) - D(n - 1)) * (D(n) + D(n - 1));
            a = -c * delsq + Z(n - 1) * Z(n - 1) + Z(n) * Z(n);
            b = Z(n) * Z(n) * delsq;
            if (a < 0.0) tau2 = 2.0 * b / (sqrt(a * a + 4.0 * b * c) - a);
            else tau2 = (a + sqrt(a * a + 4.0 * b * c)) / (2.0 * c);
        }
        /* tau approximates sigma_n − d_n. */
        tau = tau2 / (D(n) + sqrt(D(n) * D(n) + tau2));
        sigma = D(n) + tau;
        for (int j = 1; j <= n; j++) {
            DELTA(j) = (D(j) - D(n)) - tau;
            WORK(j) = D(j) + D(n) + tau;
        }
        for (int niter = 1; niter <= maxit; niter++) {
            /* psi, phi and their derivatives; erretm bounds the rounding error of w. */
            dpsi = 0.0; psi = 0.0; erretm = 0.0;
            for (int j = 1; j <= ii; j++) {
                temp = Z(j) / (WORK(j) * DELTA(j));
                psi += Z(j) * temp;
                dpsi += temp * temp;
                erretm += psi;
            }
            erretm = fabs(erretm);
            temp = Z(n) / (WORK(n) * DELTA(n));
            phi = Z(n) * temp;
            dphi = temp * temp;
            erretm = 8.0 * (-phi - psi) + erretm - phi + rhoinv;
            w = rhoinv + phi + psi;
            if (fabs(w) <= eps * erretm) {
                *sigma_out = sigma;
                return 0;
            }
            double dtnsq1 = WORK(n - 1) * DELTA(n - 1), dtnsq = WORK(n) * DELTA(n);
            c = w - dtnsq1 * dpsi - dtnsq * dphi;
            a = (dtnsq + dtnsq1) * w - dtnsq * dtnsq1 * (dpsi + dphi);
            b = dtnsq * dtnsq1 * w;
            if (niter == 1) {
                if (c < 0.0) c = fabs(c);
                if (c == 0.0) eta = rho - sigma * sigma;
                else if (a >= 0.0) eta = (a + sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
                else eta = 2.0 * b / (a - sqrt(fabs(a * a - 4.0 * b * c)));
            } else {
                if (a >= 0.0) eta = (a + sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
                else eta = 2.0 * b / (a - sqrt(fabs(a * a - 4.0 * b * c)));
            }
            /* eta must have the sign of −w; if rounding says otherwise, take a
             * Newton step, which does. */
            if (w * eta > 0.0) eta = -w / (dpsi + dphi);
            temp = eta - dtnsq;
            if (niter == 1) {
                if (temp > rho) eta = rho + dtnsq;
            } else {
                if (temp <= 0.0) eta = eta / 2.0;
            }
            eta = eta / (sigma + sqrt(eta + sigma * sigma));
            tau += eta;
            sigma += eta;
            for (int j = 1; j <= n; j++) {
                DELTA(j) -= eta;
                WORK(j) += eta;
            }
        }
        *sigma_out = sigma;
        return 1;
    }

    /* 1 <= i < n: the root lies in (d_i, d_{i+1}). */
    int ip1 = i + 1;
    double delsq = (D(ip1) - D(i)) * (D(ip1) + D(i));
    double delsq2 = delsq / 2.0;
    double sq2 = sqrt((D(i) * D(i) + D(ip1) * D(ip1)) / 2.0);
    temp = delsq2 / (D(i) + sq2);
    for (int j = 1; j <= n; j++) {
        WORK(j) = D(j) + D(i) + temp;
        DELTA(j) = (D(j) - D(i)) - temp;
    }
    psi = 0.0;
    for (int j = 1; j <= i - 1; j++) psi += Z(j) * Z(j) / (WORK(j) * DELTA(j));
    phi = 0.0;
    for (int j = n; j >= i + 2; j--) phi += Z(j) * Z(j) / (WORK(j) * DELTA(j));
    c = rhoinv + psi + phi;
    w = c + Z(i) * Z(i) / (WORK(i) * DELTA(i)) + Z(ip1) * Z(ip1) / (WORK(ip1) * DELTA(ip1));
    int orgati, ii, geomavg = 0;
    double sglb, sgub;
    if (w > 0.0) {
        /* d_i² < sigma² < (d_i² + d_{i+1}²)/2: the origin is d_i. */
        orgati = 1;
        ii = i;
        sglb = 0.0;
        sgub = delsq2 / (D(i) + sq2);
        a = c * delsq + Z(i) * Z(i) + Z(ip1) * Z(ip1);
        b = Z(i) * Z(i) * delsq;
        if (a > 0.0) tau2 = 2.0 * b / (a + sqrt(fabs(a * a - 4.0 * b * c)));
        else tau2 = (a - sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
        tau = tau2 / (D(i) + sqrt(D(i) * D(i) + tau2));
        temp = sqrt(eps);
        if (D(i) <= temp * D(ip1) && fabs(Z(i)) <= temp && D(i) > 0.0) {
            /* A tiny pole with a tiny weight: the root is within a few
             * multiples of d_i; bisect geometrically, not arithmetically. */
            tau = SK__MIN(10.0 * D(i), sgub);
            geomavg = 1;
        }
    } else {
        /* (d_i² + d_{i+1}²)/2 <= sigma² < d_{i+1}²: the origin is d_{i+1}. */
        orgati = 0;
        ii = ip1;
        sglb = -delsq2 / (D(ii) + sq2);
        sgub = 0.0;
        a = c * delsq - Z(i) * Z(i) - Z(ip1) * Z(ip1);
        b = Z(ip1) * Z(ip1) * delsq;
        if (a < 0.0) tau2 = 2.0 * b / (a - sqrt(fabs(a * a + 4.0 * b * c)));
        else tau2 = -(a + sqrt(fabs(a * a + 4.0 * b * c))) / (2.0 * c);
        tau = tau2 / (D(ip1) + sqrt(fabs(D(ip1) * D(ip1) + tau2)));
    }
    sigma = D(ii) + tau;
    for (int j = 1; j <= n; j++) {
        WORK(j) = D(j) + D(ii) + tau;
        DELTA(j) = (D(j) - D(ii)) - tau;
    }
    int iim1 = ii - 1, iip1 = ii + 1;
    /* w without its ii-th term decides whether three poles are needed. */
    dpsi = 0.0; psi = 0.0; erretm = 0.0;
    for (int j = 1; j <= iim1; j++) {
        temp = Z(j) / (WORK(j) * DELTA(j));
        psi += Z(j) * temp;
        dpsi += temp * temp;
        erretm += psi;
    }
    erretm = fabs(erretm);
    dphi = 0.0; phi = 0.0;
    for (int j = n; j >= iip1; j--) {
        temp = Z(j) / (WORK(j) * DELTA(j));
        phi += Z(j) * temp;
        dphi += temp * temp;
        erretm += phi;
    }
    w = rhoinv + phi + psi;
    int swtch3 = orgati ? w < 0.0 : w > 0.0;
    if (ii == 1 || ii == n) swtch3 = 0;
    temp = Z(ii) / (WORK(ii) * DELTA(ii));
    double dw = dpsi + dphi + temp * temp;
    temp = Z(ii) * temp;
    w += temp;
    erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * fabs(temp);
    int swtch = 0;
    double prew = 0.0;
    double dd[3], zz[3];
    for (int niter = 1; niter <= maxit; niter++) {
        if (fabs(w) <= eps * erretm) {
            *sigma_out = sigma;
            return 0;
        }
        if (w <= 0.0) sglb = SK__MAX(sglb, tau);
        else sgub = SK__MIN(sgub, tau);
        int two_pole = !swtch3;
        if (swtch3) {
            /* Interpolation with the three most relevant poles (dlaed6). */
            double dtiim = WORK(iim1) * DELTA(iim1), dtiip = WORK(iip1) * DELTA(iip1);
            temp = rhoinv + psi + phi;
            if (swtch) {
                c = temp - dtiim * dpsi - dtiip * dphi;
                zz[0] = dtiim * dtiim * dpsi;
                zz[2] = dtiip * dtiip * dphi;
            } else if (orgati) {
                temp1 = Z(iim1) / dtiim;
                temp1 = temp1 * temp1;
                temp2 = (D(iim1) - D(iip1)) * (D(iim1) + D(iip1)) * temp1;
                c = temp - dtiip * (dpsi + dphi) - temp2;
                zz[0] = Z(iim1) * Z(iim1);
                if (dpsi < temp1) zz[2] = dtiip * dtiip * dphi;
                else zz[2] = dtiip * dtiip * ((dpsi - temp1) + dphi);
            } else {
                temp1 = Z(iip1) / dtiip;
                temp1 = temp1 * temp1;
                temp2 = (D(iip1) - D(iim1)) * (D(iim1) + D(iip1)) * temp1;
                c = temp - dtiim * (dpsi + dphi) - temp2;
                if (dphi < temp1) zz[0] = dtiim * dtiim * dpsi;
                else zz[0] = dtiim * dtiim * (dpsi + (dphi - temp1));
                zz[2] = Z(iip1) * Z(iip1);
            }
            zz[1] = Z(ii) * Z(ii);
            dd[0] = dtiim;
            dd[1] = DELTA(ii) * WORK(ii);
            dd[2] = dtiip;
            if (sk__dc_laed6(niter + 1, orgati, c, dd, zz, w, &eta) != 0) {
                /* dlaed6 failed: back to two poles for good. */
                swtch3 = 0;
                two_pole = 1;
            }
        }
        if (two_pole) {
            double dtipsq = WORK(ip1) * DELTA(ip1), dtisq = WORK(i) * DELTA(i);
            if (!swtch) {
                if (orgati) c = w - dtipsq * dw + delsq * (Z(i) / dtisq) * (Z(i) / dtisq);
                else c = w - dtisq * dw - delsq * (Z(ip1) / dtipsq) * (Z(ip1) / dtipsq);
            } else {
                temp = Z(ii) / (WORK(ii) * DELTA(ii));
                if (orgati) dpsi += temp * temp;
                else dphi += temp * temp;
                c = w - dtisq * dpsi - dtipsq * dphi;
            }
            a = (dtipsq + dtisq) * w - dtipsq * dtisq * dw;
            b = dtipsq * dtisq * w;
            if (c == 0.0) {
                if (a == 0.0) {
                    if (!swtch) {
                        if (orgati) a = Z(i) * Z(i) + dtipsq * dtipsq * (dpsi + dphi);
                        else a = Z(ip1) * Z(ip1) + dtisq * dtisq * (dpsi + dphi);
                    } else {
                        a = dtisq * dtisq * dpsi + dtipsq * dtipsq * dphi;
                    }
                }
                eta = b / a;
            } else if (a <= 0.0) {
                eta = (a - sqrt(fabs(a * a - 4.0 * b * c))) / (2.0 * c);
            } else {
                eta = 2.0 * b / (a + sqrt(fabs(a * a - 4.0 * b * c)));
            }
        }
        /* eta must have the sign of −w; otherwise take a Newton step. */
        if (w * eta >= 0.0) eta = -w / dw;
        eta = eta / (sigma + sqrt(sigma * sigma + eta));
        temp = tau + eta;
        if (temp > sgub || temp < sglb) {
            /* Outside the bracket: bisect (geometrically for a tiny pole). */
            eta = w < 0.0 ? (sgub - tau) / 2.0 : (sglb - tau) / 2.0;
            if (geomavg) {
                if (w < 0.0) {
                    if (tau > 0.0) eta = sqrt(sgub * tau) - tau;
                } else {
                    if (sglb > 0.0) eta = sqrt(sglb * tau) - tau;
                }
            }
        }
        prew = w;
        tau += eta;
        sigma += eta;
        for (int j = 1; j <= n; j++) {
            WORK(j) += eta;
            DELTA(j) -= eta;
        }
        dpsi = 0.0; psi = 0.0; erretm = 0.0;
        for (int j = 1; j <= iim1; j++) {
            temp = Z(j) / (WORK(j) * DELTA(j));
            psi += Z(j) * temp;
            dpsi += temp * temp;
            erretm += psi;
        }
        erretm = fabs(erretm);
        dphi = 0.0; phi = 0.0;
        for (int j = n; j >= iip1; j--) {
            temp = Z(j) / (WORK(j) * DELTA(j));
            phi += Z(j) * temp;
            dphi += temp * temp;
            erretm += phi;
        }
        tau2 = WORK(ii) * DELTA(ii);
        temp = Z(ii) / tau2;
        dw = dpsi + dphi + temp * temp;
        temp = Z(ii) * temp;
        w = rhoinv + phi + psi + temp;
        erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * fabs(temp);
        if (niter == 1) {
            /* After the first step: switch the interpolation side when w
             * did not drop by a factor 10. */
            swtch = orgati ? -w > fabs(prew) / 10.0 : w > fabs(prew) / 10.0;
        } else if (w * prew > 0.0 && fabs(w) > fabs(prew) / 10.0) {
            swtch = !swtch;
        }
    }
    *sigma_out = sigma;
    return 1;
#undef D
#undef Z
#undef DELTA
#undef WORK
}

/* ------------------------------------------------------------------------- */
/* Merge step (dlasd1, dlasd2, dlasd3)                                        */
/* ------------------------------------------------------------------------- */

#define DM(i) d[(i) - 1]
#define ZV(i) z[(i) - 1]
#define DS(i) dsigma[(i) - 1]
#define UM(i, j) U[(size_t)((j) - 1) * (size_t)ldu + (size_t)((i) - 1)]
#define VM(i, j) V[(size_t)((j) - 1) * (size_t)ldv + (size_t)((i) - 1)]
#define U2M(i, j) U2[(size_t)((j) - 1) * (size_t)ldu2 + (size_t)((i) - 1)]
#define V2M(i, j) V2[(size_t)((j) - 1) * (size_t)ldv2 + (size_t)((i) - 1)]
#define QM(i, j) Q[(size_t)((j) - 1) * (size_t)ldq + (size_t)((i) - 1)]

/*
 * dlasd2: deflation. On entry d(1:nl) and d(nl+2:n) hold the singular values
 * of the two halves (each ascending, as idxq says), U and V their vectors.
 * On exit k (returned) non-deflated values, sorted, in dsigma(1:k) with
 * dsigma(1) = 0, the secular vector z(1:k), and U2/V2 the vectors to be
 * updated, grouped by sparsity type (coltyp: 1 upper half only, 2 lower half
 * only, 3 dense, 4 deflated) so that dlasd3 multiplies no known zeros. The
 * deflated values and vectors are already final: d, U, V columns k+1..n.
 */
static int sk__dc_lasd2(int nl, int nr, int sqre, double *d, double *z, double alpha, double beta,
                        double *U, int ldu, double *V, int ldv, double *dsigma, double *U2,
                        int ldu2, double *V2, int ldv2, int *idxp, int *idx, int *idxc,
                        int *idxq, int *coltyp)
{
#define IDXP(i) idxp[(i) - 1]
#define IDX(i) idx[(i) - 1]
#define IDXC(i) idxc[(i) - 1]
#define IDXQ(i) idxq[(i) - 1]
#define CTYP(i) coltyp[(i) - 1]
    int n = nl + nr + 1, m = n + sqre, nlp1 = nl + 1, nlp2 = nl + 2;
    /* z = (alpha·(last row of the left V), beta·(first row of the right V)),
     * and the left values move down one place to make room for z(1). */
    double z1 = alpha * VM(nlp1, nlp1);
    ZV(1) = z1;
    for (int i = nl; i >= 1; i--) {
        ZV(i + 1) = alpha * VM(nlp1, i);
        DM(i + 1) = DM(i);
        IDXQ(i + 1) = IDXQ(i) + 1;
    }
    for (int i = nlp2; i <= m; i++) ZV(i) = beta * VM(nlp2, i);
    for (int i = 2; i <= nlp1; i++) CTYP(i) = 1;
    for (int i = nlp2; i <= n; i++) CTYP(i) = 2;
    for (int i = nlp2; i <= n; i++) IDXQ(i) += nlp1;
    /* Sort d(2:n) ascending (dsigma, idxc, U2(:,1) as scratch). */
    for (int i = 2; i <= n; i++) {
        DS(i) = DM(IDXQ(i));
        U2M(i, 1) = ZV(IDXQ(i));
        IDXC(i) = CTYP(IDXQ(i));
    }
    sk__dc_lamrg(nl, nr, &DS(2), 1, 1, &IDX(2));
    for (int i = 2; i <= n; i++) {
        int idxi = 1 + IDX(i);
        DM(i) = DS(idxi);
        ZV(i) = U2M(idxi, 1);
        CTYP(i) = IDXC(idxi);
    }
    /* Deflation tolerance: 8·eps·max(|alpha|, |beta|, d_max) (absolute, so
     * the result is backward stable). */
    const double eps = SK__DC_EPS;
    double tol = SK__MAX(fabs(alpha), fabs(beta));
    tol = 8.0 * eps * SK__MAX(fabs(DM(n)), tol);
    /*
     * Two kinds of deflation: a small z_j (d_j is then a singular value, its
     * vectors unchanged), and two close d_j (a rotation of the two vector
     * pairs zeroes one z entry). Deflated indices go to the back of idxp.
     */
    int k = 1, k2 = n + 1, jprev = 0, all_deflated = 0;
    for (int j = 2; j <= n; j++) {
        if (fabs(ZV(j)) <= tol) {
            k2--;
            IDXP(k2) = j;
            CTYP(j) = 4;
            if (j == n) all_deflated = 1;
        } else {
            jprev = j;
            break;
        }
    }
    if (!all_deflated) {
        for (int j = jprev + 1; j <= n; j++) {
            if (fabs(ZV(j)) <= tol) {
                k2--;
                IDXP(k2) = j;
                CTYP(j) = 4;
            } else if (fabs(DM(j) - DM(jprev)) <= tol) {
                double s = ZV(jprev), c = ZV(j);
                double tau = sk__dc_lapy2(c, s);
                c = c / tau;
                s = -s / tau;
                ZV(j) = tau;
                ZV(jprev) = 0.0;
                int idxjp = IDXQ(IDX(jprev) + 1), idxj = IDXQ(IDX(j) + 1);
                if (idxjp <= nlp1) idxjp--;
                if (idxj <= nlp1) idxj--;
                sk__dc_rot(n, &UM(1, idxjp), &UM(1, idxj), c, s);
                sk__dc_rot(m, &VM(1, idxjp), &VM(1, idxj), c, s);
                if (CTYP(j) != CTYP(jprev)) CTYP(j) = 3;
                CTYP(jprev) = 4;
                k2--;
                IDXP(k2) = jprev;
                jprev = j;
            } else {
                k++;
                U2M(k, 1) = ZV(jprev);
                DS(k) = DM(jprev);
                IDXP(k) = jprev;
                jprev = j;
            }
        }
        k++;
        U2M(k, 1) = ZV(jprev);
        DS(k) = DM(jprev);
        IDXP(k) = jprev;
    }
    /* Group the columns by type (1, 2, 3, 4) from column 2 on. */
    int ctot[5] = { 0, 0, 0, 0, 0 }, psm[5];
    for (int j = 2; j <= n; j++) ctot[CTYP(j)]++;
    psm[1] = 2;
    psm[2] = 2 + ctot[1];
    psm[3] = psm[2] + ctot[2];
    psm[4] = psm[3] + ctot[3];
    for (int j = 2; j <= n; j++) {
        int jp = IDXP(j), ct = CTYP(jp);
        IDXC(psm[ct]) = j;
        psm[ct]++;
    }
    /* dsigma in sorted order (non-deflated first); U2, V2 in grouped order. */
    for (int j = 2; j <= n; j++) {
        int jp = IDXP(j);
        DS(j) = DM(jp);
        int idxj = IDXQ(IDX(IDXP(IDXC(j))) + 1);
        if (idxj <= nlp1) idxj--;
        memcpy(&U2M(1, j), &UM(1, idxj), (size_t)n * sizeof(double));
        memcpy(&V2M(1, j), &VM(1, idxj), (size_t)m * sizeof(double));
    }
    /* dsigma(1) = 0 is the pole of the new row; dsigma(2) is kept away from it. */
    DS(1) = 0.0;
    double hlftol = tol / 2.0;
    if (fabs(DS(2)) <= hlftol) DS(2) = hlftol;
    double c = 1.0, s = 0.0;
    if (m > n) {
        /* The extra column: rotate it into z(1). */
        ZV(1) = sk__dc_lapy2(z1, ZV(m));
        if (ZV(1) <= tol) {
            c = 1.0; s = 0.0;
            ZV(1) = tol;
        } else {
            c = z1 / ZV(1);
            s = ZV(m) / ZV(1);
        }
    } else {
        ZV(1) = fabs(z1) <= tol ? tol : z1;
    }
    for (int i = 2; i <= k; i++) ZV(i) = U2M(i, 1);
    /* First column of U2, first column of V2 (first row of VT2), last of V. */
    for (int i = 1; i <= n; i++) U2M(i, 1) = 0.0;
    U2M(nlp1, 1) = 1.0;
    if (m > n) {
        for (int i = 1; i <= nlp1; i++) {
            VM(i, m) = -s * VM(i, nlp1);
            V2M(i, 1) = c * VM(i, nlp1);
        }
        for (int i = nlp2; i <= m; i++) {
            V2M(i, 1) = s * VM(i, m);
            VM(i, m) = c * VM(i, m);
        }
        memcpy(&V2M(1, m), &VM(1, m), (size_t)m * sizeof(double));
    } else {
        memcpy(&V2M(1, 1), &VM(1, nlp1), (size_t)m * sizeof(double));
    }
    /* Deflated values and vectors to the back of d, U and V (final). */
    if (n > k) {
        for (int j = k + 1; j <= n; j++) {
            DM(j) = DS(j);
            memcpy(&UM(1, j), &U2M(1, j), (size_t)n * sizeof(double));
            memcpy(&VM(1, j), &V2M(1, j), (size_t)m * sizeof(double));
        }
    }
    for (int j = 1; j <= 4; j++) CTYP(j) = ctot[j];
    return k;
#undef IDXP
#undef IDX
#undef IDXC
#undef IDXQ
#undef CTYP
}

/*
 * dlasd3: the k non-deflated singular values (secular equation) and vectors
 * of the merged problem; U(:,1:k), V(:,1:k) := U2·Q_u, V2·Q_vᵀ by blocks that
 * skip the known zero blocks of U2 and V2. ctot: counts of column types 1–4.
 * Returns 0 or SK_ENOCONV.
 */
static int sk__dc_lasd3(int nl, int nr, int sqre, int k, double *d, double *Q, int ldq,
                        double *dsigma, double *U, int ldu, double *U2, int ldu2, double *V,
                        int ldv, double *V2, int ldv2, const int *idxc, const int *ctot,
                        double *z)
{
#define CTOT(i) ctot[(i) - 1]
#define IDXC(i) idxc[(i) - 1]
/* LAPACK keeps the K×K scratch "VT(i, j)" in VT's storage; here in V's, same layout. */
#define WM(i, j) V[(size_t)((j) - 1) * (size_t)ldv + (size_t)((i) - 1)]
    int n = nl + nr + 1, m = n + sqre, nlp1 = nl + 1, nlp2 = nl + 2;
    if (k == 1) {
        DM(1) = fabs(ZV(1));
        memcpy(&VM(1, 1), &V2M(1, 1), (size_t)m * sizeof(double));
        if (ZV(1) > 0.0) memcpy(&UM(1, 1), &U2M(1, 1), (size_t)n * sizeof(double));
        else for (int i = 1; i <= n; i++) UM(i, 1) = -U2M(i, 1);
        return 0;
    }
    /* Keep z (for its signs), normalize it. */
    for (int i = 1; i <= k; i++) QM(i, 1) = ZV(i);
    double rho = sk_dnrm2(k, z, 1);
    for (int i = 1; i <= k; i++) ZV(i) /= rho;
    rho = rho * rho;
    /* The roots: UM(:, j) = dsigma − sigma_j, WM(:, j) = dsigma + sigma_j. */
    for (int j = 1; j <= k; j++) {
        if (sk__dc_lasd4(k, j, dsigma, z, &UM(1, j), rho, &DM(j), &WM(1, j)) != 0)
            return SK_ENOCONV;
    }
    /* Recompute z from the computed roots (Löwner): the roots are then the
     * exact singular values of the merged matrix with this z, and the
     * vectors below are orthogonal to working precision. */
    for (int i = 1; i <= k; i++) {
        double zi = UM(i, k) * WM(i, k);
        for (int j = 1; j <= i - 1; j++)
            zi *= UM(i, j) * WM(i, j) / (DS(i) - DS(j)) / (DS(i) + DS(j));
        for (int j = i; j <= k - 1; j++)
            zi *= UM(i, j) * WM(i, j) / (DS(i) - DS(j + 1)) / (DS(i) + DS(j + 1));
        ZV(i) = copysign(sqrt(fabs(zi)), QM(i, 1));
    }
    /* Left vectors of the merged diagonal-plus-row matrix (into Q, rows in
     * U2's grouped order); WM keeps what the right vectors need. */
    for (int i = 1; i <= k; i++) {
        WM(1, i) = ZV(1) / UM(1, i) / WM(1, i);
        UM(1, i) = -1.0;
        for (int j = 2; j <= k; j++) {
            WM(j, i) = ZV(j) / UM(j, i) / WM(j, i);
            UM(j, i) = DS(j) * WM(j, i);
        }
        double temp = sk_dnrm2(k, &UM(1, i), 1);
        QM(1, i) = UM(1, i) / temp;
        for (int j = 2; j <= k; j++) QM(j, i) = UM(IDXC(j), i) / temp;
    }
    /* U(:, 1:k) = U2 Q, block by block. */
    if (k == 2) {
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, n, k, k, 1.0, U2, ldu2, Q, ldq, 0.0, U, ldu);
    } else {
        int ktemp = 2 + CTOT(1) + CTOT(2);
        if (CTOT(1) > 0) {
            sk_dgemm(SK_NOTRANS, SK_NOTRANS, nl, k, CTOT(1), 1.0, &U2M(1, 2), ldu2, &QM(2, 1), ldq,
                     0.0, U, ldu);
            if (CTOT(3) > 0)
                sk_dgemm(SK_NOTRANS, SK_NOTRANS, nl, k, CTOT(3), 1.0, &U2M(1, ktemp), ldu2,
                         &QM(ktemp, 1), ldq, 1.0, U, ldu);
        } else if (CTOT(3) > 0) {
            sk_dgemm(SK_NOTRANS, SK_NOTRANS, nl, k, CTOT(3), 1.0, &U2M(1, ktemp), ldu2,
                     &QM(ktemp, 1), ldq, 0.0, U, ldu);
        } else {
            /* Every column is zero in the upper half. */
            for (int j = 1; j <= k; j++) memcpy(&UM(1, j), &U2M(1, j), (size_t)nl * sizeof(double));
        }
        for (int j = 1; j <= k; j++) UM(nlp1, j) = QM(1, j);
        ktemp = 2 + CTOT(1);
        int ctemp = CTOT(2) + CTOT(3);
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, nr, k, ctemp, 1.0, &U2M(nlp2, ktemp), ldu2, &QM(ktemp, 1),
                 ldq, 0.0, &UM(nlp2, 1), ldu);
    }
    /* Right vectors: Q(i, :) is the i-th one, in V2's grouped order. */
    for (int i = 1; i <= k; i++) {
        double temp = sk_dnrm2(k, &WM(1, i), 1);
        QM(i, 1) = WM(1, i) / temp;
        for (int j = 2; j <= k; j++) QM(i, j) = WM(IDXC(j), i) / temp;
    }
    /* V(:, 1:k) = V2 Qᵀ, block by block (VT := Q·VT2 in LAPACK's terms). */
    if (k == 2) {
        sk_dgemm(SK_NOTRANS, SK_TRANS, m, k, k, 1.0, V2, ldv2, Q, ldq, 0.0, V, ldv);
        return 0;
    }
    int ktemp = 1 + CTOT(1);
    sk_dgemm(SK_NOTRANS, SK_TRANS, nlp1, k, ktemp, 1.0, V2, ldv2, Q, ldq, 0.0, V, ldv);
    ktemp = 2 + CTOT(1) + CTOT(2);
    if (ktemp <= ldv2 && CTOT(3) > 0)
        sk_dgemm(SK_NOTRANS, SK_TRANS, nlp1, k, CTOT(3), 1.0, &V2M(1, ktemp), ldv2, &QM(1, ktemp),
                 ldq, 1.0, V, ldv);
    ktemp = CTOT(1) + 1;
    int nrp1 = nr + sqre;
    if (ktemp > 1) {
        /* Put the dense first column next to the type-2/3 ones; the type-1
         * column it replaces is zero in the lower half. */
        for (int i = 1; i <= k; i++) QM(i, ktemp) = QM(i, 1);
        for (int i = nlp2; i <= m; i++) V2M(i, ktemp) = V2M(i, 1);
    }
    int ctemp = 1 + CTOT(2) + CTOT(3);
    sk_dgemm(SK_NOTRANS, SK_TRANS, nrp1, k, ctemp, 1.0, &V2M(nlp2, ktemp), ldv2, &QM(1, ktemp), ldq,
             0.0, &VM(nlp2, 1), ldv);
    return 0;
#undef CTOT
#undef IDXC
#undef WM
}

/*
 * dlasd1: merge. d(1:nl), d(nl+2:n) (ascending per idxq) and the vectors of
 * the two halves in U (n×n) and V (m×m, m = n + sqre); alpha, beta the
 * connecting row. On exit d(1:n) the singular values, U and V the vectors,
 * idxq the permutation that sorts d ascending.
 * work: m + n + n² + m² + n² doubles; iwork: 4n ints.
 */
static int sk__dc_lasd1(int nl, int nr, int sqre, double *d, double alpha, double beta, double *U,
                        int ldu, double *V, int ldv, int *idxq, int *iwork, double *work)
{
    int n = nl + nr + 1, m = n + sqre;
    int ldu2 = n, ldv2 = m;
    double *z = work, *dsigma = z + m, *U2 = dsigma + n, *V2 = U2 + (size_t)ldu2 * n;
    double *Q = V2 + (size_t)ldv2 * m;
    int *idx = iwork, *idxc = idx + n, *coltyp = idxc + n, *idxp = coltyp + n;
    /* Scale to max |entry| = 1. */
    double orgnrm = SK__MAX(fabs(alpha), fabs(beta));
    d[nl] = 0.0;
    for (int i = 0; i < n; i++) orgnrm = SK__MAX(orgnrm, fabs(d[i]));
    if (orgnrm == 0.0) orgnrm = 1.0;
    for (int i = 0; i < n; i++) d[i] /= orgnrm;
    alpha /= orgnrm;
    beta /= orgnrm;
    int k = sk__dc_lasd2(nl, nr, sqre, d, z, alpha, beta, U, ldu, V, ldv, dsigma, U2, ldu2, V2,
                         ldv2, idxp, idx, idxc, idxq, coltyp);
    int st = sk__dc_lasd3(nl, nr, sqre, k, d, Q, k, dsigma, U, ldu, U2, ldu2, V, ldv, V2, ldv2, idxc,
                          coltyp, z);
    if (st != 0) return st;
    for (int i = 0; i < n; i++) d[i] *= orgnrm;
    /* d(1:k) ascending, d(k+1:n) descending: merge into idxq. */
    sk__dc_lamrg(k, n - k, d, 1, -1, idxq);
    return 0;
}

#undef DM
#undef ZV
#undef DS
#undef UM
#undef VM
#undef U2M
#undef V2M
#undef QM

/* ------------------------------------------------------------------------- */
/* Leaves and the recursion (dlasdq, dlasd0)                                  */
/* ------------------------------------------------------------------------- */

/*
 * dlasdq for a leaf: the n×(n+sqre) upper bidiagonal block (d, e; e has
 * n−1+sqre entries), U (n×n) and V ((n+sqre)×(n+sqre)) updated in place. A
 * non-square block is first rotated to square (on the right, then on the
 * left), then QR iteration (sk__bdsqr). Values come out ascending, as the
 * merge expects. work: (6 + 4·SK__SWEEPS)·n doubles.
 */
static int sk__dc_lasdq(int n, int sqre, double *d, double *e, double *U, int ldu, double *V,
                        int ldv, double *work)
{
    int m = n + sqre;
    double *cs = work, *sn = work + n, *wk = work + 2 * (size_t)n;
    if (sqre == 1) {
        /* Right rotations chase e(n) off the end: n×(n+1) upper becomes n×n lower. */
        double c, s, r;
        for (int i = 0; i < n - 1; i++) {
            sk__sv_lartg(d[i], e[i], &c, &s, &r);
            d[i] = r;
            e[i] = s * d[i + 1];
            d[i + 1] = c * d[i + 1];
            cs[i] = c;
            sn[i] = s;
        }
        sk__sv_lartg(d[n - 1], e[n - 1], &c, &s, &r);
        d[n - 1] = r;
        e[n - 1] = 0.0;
        cs[n - 1] = c;
        sn[n - 1] = s;
        sk__sv_rot_seq(m, m, cs, sn, V, ldv, 0);
        /* Left rotations: lower back to upper. */
        for (int i = 0; i < n - 1; i++) {
            sk__sv_lartg(d[i], e[i], &c, &s, &r);
            d[i] = r;
            e[i] = s * d[i + 1];
            d[i + 1] = c * d[i + 1];
            cs[i] = c;
            sn[i] = s;
        }
        sk__sv_rot_seq(n, n, cs, sn, U, ldu, 0);
    }
    int st = sk__bdsqr(n, d, e, V, ldv, m, U, ldu, n, wk);
    /* sk__bdsqr sorts descending; reverse. */
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        double t = d[i]; d[i] = d[j]; d[j] = t;
        sk__dc_swap(n, U + (size_t)i * ldu, U + (size_t)j * ldu);
        sk__dc_swap(m, V + (size_t)i * ldv, V + (size_t)j * ldv);
    }
    return st;
}

/*
 * dlasd0 as a recursion: the n×(n+sqre) upper bidiagonal (d, e) is split at
 * row nl = n/2 (0-based), the two halves solved, then merged (alpha = d(nl),
 * beta = e(nl) is the connecting row). U (n×n) and V (m×m) must be the
 * identity on entry; idxq (n) receives the ascending sort permutation.
 */
static int sk__dc_lasd0(int n, int sqre, double *d, double *e, double *U, int ldu, double *V,
                        int ldv, int *idxq, int *iwork, double *work)
{
    if (n <= SK__DC_SMLSIZ) {
        int st = sk__dc_lasdq(n, sqre, d, e, U, ldu, V, ldv, work);
        for (int j = 0; j < n; j++) idxq[j] = j + 1;
        return st;
    }
    int nl = n / 2, nr = n - nl - 1;
    int st = sk__dc_lasd0(nl, 1, d, e, U, ldu, V, ldv, idxq, iwork, work);
    if (st != 0) return st;
    size_t o = (size_t)nl + 1;
    st = sk__dc_lasd0(nr, sqre, d + o, e + o, U + o + o * (size_t)ldu, ldu, V + o + o * (size_t)ldv,
                      ldv, idxq + o, iwork, work);
    if (st != 0) return st;
    return sk__dc_lasd1(nl, nr, sqre, d, d[nl], e[nl], U, ldu, V, ldv, idxq, iwork, work);
}

/* U := I (n×n). */
static void sk__dc_identity(int n, double *U, int ldu)
{
    for (int j = 0; j < n; j++) {
        double *u = U + (size_t)j * ldu;
        for (int i = 0; i < n; i++) u[i] = 0.0;
        u[j] = 1.0;
    }
}

/* D&C proper, on the scaled matrix; U, V are the identity on entry. */
static int sk__dc_run(int n, double *d, double *e, double *U, int ldu, double *V, int ldv,
                      int *iwork, double *work)
{
    /*
     * Entries below eps (the matrix is scaled to max 1) are perturbed or
     * dropped, as dbdsdc does: a backward error of eps·|B|. A tiny d_i is
     * raised to eps so that no pole of the secular equation is zero; a tiny
     * e_i splits the matrix into independent problems.
     */
    const double eps = 0.9 * SK__DC_EPS;
    int *idxq = iwork, *iw = iwork + n;
    for (int i = 0; i < n; i++)
        if (fabs(d[i]) < eps) d[i] = copysign(eps, d[i]);
    int start = 0;
    for (int i = 0; i < n - 1; i++) {
        if (fabs(e[i]) < eps || i == n - 2) {
            int nsize;
            if (i < n - 2) {
                nsize = i - start + 1;
            } else if (fabs(e[i]) >= eps) {
                nsize = n - start;
            } else {
                /* e(n−1) negligible: d(n) alone is a 1×1 problem. */
                nsize = i - start + 1;
                SK__AT(U, ldu, n - 1, n - 1) = copysign(1.0, d[n - 1]);
                SK__AT(V, ldv, n - 1, n - 1) = 1.0;
                d[n - 1] = fabs(d[n - 1]);
            }
            int st = sk__dc_lasd0(nsize, 0, d + start, e + start,
                                  U + (size_t)start + (size_t)start * ldu, ldu,
                                  V + (size_t)start + (size_t)start * ldv, ldv, idxq + start, iw,
                                  work);
            if (st != 0) return st;
            start = i + 1;
        }
    }
    return 0;
}

int sk__bdsdc(int n, double *d, double *e, double *U, int ldu, double *V, int ldv)
{
    if (n <= 0) return 0;
    sk__dc_identity(n, U, ldu);
    sk__dc_identity(n, V, ldv);
    if (n == 1) {
        U[0] = copysign(1.0, d[0]);
        d[0] = fabs(d[0]);
        return 0;
    }
    double orgnrm = 0.0;
    for (int i = 0; i < n; i++) orgnrm = SK__MAX(orgnrm, fabs(d[i]));
    for (int i = 0; i < n - 1; i++) orgnrm = SK__MAX(orgnrm, fabs(e[i]));
    if (orgnrm == 0.0) return 0; /* B = 0: U = V = I, d = 0 */

    /* Workspace: the merge's m + n + 3n² (m <= n at the top, where it is
     * largest), the leaves' (6 + 4·SWEEPS)·SMLSIZ, and a copy of d and e for
     * the fallback. iwork: idxq (n) and the merge's 4n. */
    long long nn = n, lw = 2 * nn + 3 * nn * nn;
    long long lleaf = (6LL + 4 * SK__SWEEPS) * SK__MIN(n, SK__DC_SMLSIZ + 1);
    long long lqr = (4LL + 4 * SK__SWEEPS) * nn;
    lw = SK__MAX(lw, SK__MAX(lleaf, lqr));
    double *work = sk__alloc_doubles(lw + 2 * nn, 1);
    int *iwork = sk__alloc_ints(5 * nn);
    if (!work || !iwork) {
        SK_FREE(work);
        SK_FREE(iwork);
        return SK_ENOMEM;
    }
    double *d0 = work + lw, *e0 = d0 + n;
    memcpy(d0, d, (size_t)n * sizeof(double));
    memcpy(e0, e, (size_t)(n - 1) * sizeof(double));

    int status;
    if (n <= SK__DC_SMLSIZ) {
        status = sk__bdsqr(n, d, e, V, ldv, n, U, ldu, n, work);
    } else {
        for (int i = 0; i < n; i++) d[i] /= orgnrm;
        for (int i = 0; i < n - 1; i++) e[i] /= orgnrm;
        status = sk__dc_run(n, d, e, U, ldu, V, ldv, iwork, work);
        for (int i = 0; i < n; i++) d[i] *= orgnrm;
        if (status != 0) {
            /*
             * The secular-equation solver did not converge (not observed in
             * practice; dlasd4 allows 400 steps): start again from B with the
             * QR iteration, which has its own, well-tested failure path.
             */
            memcpy(d, d0, (size_t)n * sizeof(double));
            memcpy(e, e0, (size_t)(n - 1) * sizeof(double));
            sk__dc_identity(n, U, ldu);
            sk__dc_identity(n, V, ldv);
            status = sk__bdsqr(n, d, e, V, ldv, n, U, ldu, n, work);
        } else {
            /* Sort descending (selection sort: at most n−1 swaps of vectors). */
            for (int i = 0; i < n - 1; i++) {
                int kk = i;
                double p = d[i];
                for (int j = i + 1; j < n; j++)
                    if (d[j] > p) { kk = j; p = d[j]; }
                if (kk != i) {
                    d[kk] = d[i];
                    d[i] = p;
                    sk__dc_swap(n, U + (size_t)i * ldu, U + (size_t)kk * ldu);
                    sk__dc_swap(n, V + (size_t)i * ldv, V + (size_t)kk * ldv);
                }
            }
        }
    }
    SK_FREE(work);
    SK_FREE(iwork);
    return status;
}
