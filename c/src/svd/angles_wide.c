/*
 * angles_wide.c — the wide-range path of sk_angles_exact (issue 9, fuzz
 * finding angles_exact_enoconv_dbl_min_entries).
 *
 * Why: W = Σ^t G can have row scales (σ_i/σ_j)^t and, through G, column
 * scales far beyond the double range, and then the cotangents α = svd(M),
 * M = W1·R2⁻¹, span more than 1/eps (the fuzz input: 1e616 down to 0.5). A
 * single-scale M overflows, or its SVD resolves the small α only to
 * eps·α_1 absolutely. Here every column is a mantissa vector times its own
 * power of two (exponents as long long), so nothing over- or underflows
 * except entries below 2^-1074 of their column's largest one, and:
 *   1. W1 (head rows, σ > 0) and W2 (every tail row with σ > 0) are built
 *      column by column: σ^t = f·2^h (pow of σ's mantissa, t·exponent), G's
 *      mantissa and exponent, so scaling σ or G by 2^j changes no mantissa.
 *   2. Columns are ordered by increasing ρ_j = ‖W1 e_j‖/‖W2 e_j‖ (range(W) is
 *      unchanged by a column permutation). With W2 = Q2·R̃2·D_b (R̃2 from the
 *      column-equilibrated tail), M = W1·D_b⁻¹·R̃2⁻¹; in this order column j
 *      of M is dominated by its own term, so M = B·D with B well conditioned
 *      whenever the equilibrated W1 and W2 are (Demmel et al., "Computing the
 *      SVD with high relative accuracy", LAA 299 (1999), §3: an RRD).
 *   3. M's columns come from a column-by-column triangular solve in which
 *      each column is summed at the exponent of its largest term.
 *   4. One-sided Jacobi on M (Demmel–Veselić, SIMAX 13 (1992)): each α_j to
 *      relative accuracy O(eps·κ(B)), B = M with unit columns; a rotation of
 *      two columns whose scales differ by more than 2^400 is the
 *      Gram–Schmidt step it reduces to, at the smaller column's scale. When
 *      M is row-graded too (head rows of very different size), κ(B) is huge:
 *      then Jacobi on Rᵀ from a row-sorted pivoted QR of M (dgejsv's idea).
 * Each step checks the condition number its accuracy rests on and reports
 * SK__WIDE_NA when it is too large: the caller's single-scale path then
 * gives its documented (capped) result. A wide M (more kept columns than
 * head rows, l > k) always takes the QR variant. Not covered: a tail of rank
 * below l (the edge case of §1.2).
 * The sines (1 + α²)^(-1/2) are then relatively accurate down to DBL_MIN and
 * to a few units of 2^-1074 below (subnormal results, 0 below 2^-1075).
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "angles_wide.h"

#define SK__XZERO LLONG_MIN /* exponent of an all-zero column */

/* x·2^e for any e: beyond ±3000 the result is 0 (|x| <= 2^1024) or ±Inf. */
static double sk__ldexpx(double x, long long e)
{
    if (e > 3000) e = 3000;
    if (e < -3000) e = -3000;
    return ldexp(x, (int)e);
}

/* y (n) := y·2^-s with max |y| in [1/2, 1), e += s; all zero: e = SK__XZERO. */
static void sk__xnormalize(int n, double *y, long long *e)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++) mx = fmax(mx, fabs(y[i]));
    if (mx == 0.0) {
        *e = SK__XZERO;
        return;
    }
    int s;
    (void)frexp(mx, &s);
    if (s)
        for (int i = 0; i < n; i++) y[i] = ldexp(y[i], -s);
    *e += s;
}

static double sk__nrm(int n, const double *y)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += y[i] * y[i];
    return sqrt(s);
}

/* ‖y‖ without underflow of the squares (entries at most 1 in magnitude). */
static double sk__nrm_safe(int n, const double *y)
{
    double mx = 0.0, s = 0.0;
    for (int i = 0; i < n; i++) mx = fmax(mx, fabs(y[i]));
    if (mx == 0.0) return 0.0;
    for (int i = 0; i < n; i++) s += (y[i] / mx) * (y[i] / mx);
    return mx * sqrt(s);
}

/* σ^t = f·2^h, f in [1/2, 1): pow of σ's mantissa (exact for t = 1; a
 * normal double for t <= 1000) and t times its exponent. */
static void sk__pow_split(double s, int t, double *f, long long *h)
{
    int E, e2;
    double m = frexp(s, &E), p;
    long long extra = 0;
    if (t <= 1000) {
        p = pow(m, t);
    } else {
        double L = t * log2(m), ip = floor(L);
        p = exp2(L - ip);
        extra = (long long)ip;
    }
    p = frexp(p, &e2);
    *f = p;
    *h = (long long)t * E + extra + e2;
}

/* The graded block B(i, j) = σ_i^t·G(rows[i], cols[j]) (row i scale f[i]·2^h[i]),
 * nr×lw, as column mantissas Y (ld nr, max |entry| in [1/2, 1)) and exponents ex. */
static void sk__graded_block(int nr, const int *rows, const double *f, const long long *h,
                             const double *G, int ldg, const int *cols, int lw, double *Y,
                             long long *ex)
{
    for (int j = 0; j < lw; j++) {
        const double *g = G + (size_t)cols[j] * ldg;
        double *y = Y + (size_t)j * nr;
        long long emax = SK__XZERO;
        for (int i = 0; i < nr; i++) {
            int eg;
            if (g[rows[i]] == 0.0) continue;
            (void)frexp(g[rows[i]], &eg);
            emax = SK__MAX(emax, h[i] + eg);
        }
        for (int i = 0; i < nr; i++) {
            int eg;
            double gm = frexp(g[rows[i]], &eg); /* exact, also for subnormals */
            y[i] = emax == SK__XZERO ? 0.0 : sk__ldexpx(f[i] * gm, h[i] + eg - emax);
        }
        ex[j] = emax;
        if (emax != SK__XZERO) sk__xnormalize(nr, y, &ex[j]);
    }
}

/* 1 if the nonzero columns (e != SK__XZERO) of the m×n mantissas Y (rows
 * scaled to a largest entry in [1/2, 1) too when `rows`; zero rows kept, they
 * do not change the singular values) have σ_min(m, c) > 10·max(m, c)·eps·σ_max, 0
 * if not, <0 on failure (SK_ENOMEM ...). */
static int sk__equilibrated_ok(int m, int n, const double *Y, const long long *e, int rows)
{
    double *C = sk__alloc_doubles(m, SK__MAX(n, 1)), *sv = sk__alloc_doubles(SK__MAX(n, 1), 1);
    int c = 0, ok = -SK_ENOMEM;
    if (C && sv) {
        for (int j = 0; j < n; j++)
            if (e[j] != SK__XZERO) memcpy(C + (size_t)(c++) * m, Y + (size_t)j * m, (size_t)m * sizeof *C);
        for (int i = 0; rows && i < m; i++) {
            double mx = 0.0;
            for (int j = 0; j < c; j++) mx = fmax(mx, fabs(C[(size_t)j * m + i]));
            int sh;
            (void)frexp(mx, &sh);
            for (int j = 0; mx > 0.0 && j < c; j++) C[(size_t)j * m + i] = ldexp(C[(size_t)j * m + i], -sh);
        }
        if (c == 0) {
            ok = 1;
        } else {
            int info = sk_dgesvd(m, c, C, m, sv, NULL, 1, NULL, 1);
            const int mn = SK__MIN(m, c);
            ok = info ? -(info > 0 ? info : SK_ENOCONV) : (sv[mn - 1] > 10.0 * SK__MAX(m, c) * DBL_EPSILON * sv[0]);
        }
    }
    SK_FREE(C);
    SK_FREE(sv);
    return ok;
}

/* One-sided Jacobi on the m×n columns Y·2^e until every pair is orthogonal to
 * m·eps (cosine); the singular values are then ‖y_j‖·2^e_j. */
static int sk__xjacobi(int m, int n, double *Y, long long *e)
{
    const double tol = SK__MAX(m, 1) * DBL_EPSILON;
    for (int sweep = 0; sweep < 100; sweep++) {
        int rotated = 0;
        for (int p = 0; p + 1 < n; p++)
            for (int q = p + 1; q < n; q++) {
                if (e[p] == SK__XZERO || e[q] == SK__XZERO) continue;
                double *yp = Y + (size_t)p * m, *yq = Y + (size_t)q * m;
                double aa = 0.0, bb = 0.0, gg = 0.0;
                for (int i = 0; i < m; i++) {
                    aa += yp[i] * yp[i];
                    bb += yq[i] * yq[i];
                    gg += yp[i] * yq[i];
                }
                if (!(fabs(gg) > tol * sqrt(aa) * sqrt(bb))) continue;
                rotated = 1;
                const long long d = e[p] - e[q];
                if (d > 400) {
                    /* ‖x_p‖ >> ‖x_q‖: the rotation is x_q −= (x_pᵀx_q/‖x_p‖²)·x_p,
                     * x_p unchanged below its last bit. */
                    const double c = gg / aa;
                    for (int i = 0; i < m; i++) yq[i] -= c * yp[i];
                } else if (d < -400) {
                    const double c = gg / bb;
                    for (int i = 0; i < m; i++) yp[i] -= c * yq[i];
                } else {
                    /* Rutishauser's rotation for [[A, C], [C, B]] at x_p's scale. */
                    const double A = aa, B = ldexp(bb, (int)(-2 * d)), C = ldexp(gg, (int)(-d));
                    const double zeta = (B - A) / (2.0 * C);
                    const double tt = copysign(1.0, zeta) / (fabs(zeta) + hypot(1.0, zeta));
                    const double c = 1.0 / sqrt(1.0 + tt * tt), s = c * tt;
                    const double s_to_p = ldexp(s, (int)(-d)), s_to_q = ldexp(s, (int)d);
                    for (int i = 0; i < m; i++) {
                        const double u = yp[i], v = yq[i];
                        yp[i] = c * u - s_to_p * v;
                        yq[i] = s_to_q * u + c * v;
                    }
                }
                sk__xnormalize(m, yp, &e[p]);
                sk__xnormalize(m, yq, &e[q]);
            }
        if (!rotated) return 0;
    }
    return SK_ENOCONV;
}

/* Row-graded M (head rows of very different size): the preconditioning of
 * LAPACK's dgejsv (Drmač–Veselić, SIMAX 29 (2008)). Rows sorted by
 * decreasing size, then Householder QR with column pivoting, M·Π = Q·R, with
 * the active part of every column (rows i..m-1 at step i) renormalized to its
 * own exponent and each entry of R kept with its own exponent; on return Z =
 * Rᵀ (n×n, ld n) as column mantissas and exponents ze: R = D·R̃ has graded
 * rows, so Z is column-graded, which one-sided Jacobi resolves. With
 * mn = min(m, n) steps, Z is n×mn (ld n). */
static int sk__xqrcp_rt(int m, int n, double *Y, long long *e, double *Z, long long *ze)
{
    double *P = sk__alloc_doubles(m, n), *Rm = sk__alloc_doubles(n, n), *rl = sk__alloc_doubles(m, 1);
    long long *Re = (long long *)SK_MALLOC((size_t)n * n * sizeof(long long));
    int *rp = (int *)SK_MALLOC((size_t)m * sizeof(int));
    int info = SK_ENOMEM;
    if (!P || !Rm || !rl || !Re || !rp) goto done;
    /* Rows by decreasing largest entry (exponent + log2 mantissa). */
    for (int q = 0; q < m; q++) {
        rl[q] = -INFINITY;
        for (int j = 0; j < n; j++) {
            double v = Y[(size_t)j * m + q];
            if (e[j] != SK__XZERO && v != 0.0) rl[q] = fmax(rl[q], (double)e[j] + log2(fabs(v)));
        }
        int w = q;
        while (w > 0 && rl[rp[w - 1]] < rl[q]) { rp[w] = rp[w - 1]; w--; }
        rp[w] = q;
    }
    for (int j = 0; j < n; j++)
        for (int q = 0; q < m; q++) P[(size_t)j * m + q] = Y[(size_t)j * m + rp[q]];
    for (int x = 0; x < n * n; x++) { Rm[x] = 0.0; Re[x] = SK__XZERO; }
    const int mn = SK__MIN(m, n);
    for (int i = 0; i < mn; i++) {
        int p = -1;
        double best = -INFINITY;
        for (int j = i; j < n; j++) {
            if (e[j] == SK__XZERO) continue;
            sk__xnormalize(m - i, P + (size_t)j * m + i, &e[j]);
            if (e[j] == SK__XZERO) continue;
            double lj = (double)e[j] + log2(sk__nrm(m - i, P + (size_t)j * m + i));
            if (lj > best) { best = lj; p = j; }
        }
        if (p < 0) break; /* the rest of R is zero */
        if (p != i) {
            for (int q = 0; q < m; q++) {
                double tmp = P[(size_t)i * m + q];
                P[(size_t)i * m + q] = P[(size_t)p * m + q];
                P[(size_t)p * m + q] = tmp;
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
        }
        double *x = P + (size_t)i * m + i; /* max |x| in [1/2, 1) */
        const double alpha = x[0], xn = sk__nrm_safe(m - i - 1, x + 1);
        double beta = alpha, tau = 0.0;
        if (xn != 0.0) {
            beta = -copysign(hypot(alpha, xn), alpha);
            tau = (beta - alpha) / beta;
            const double sc = 1.0 / (alpha - beta);
            for (int q = 1; q < m - i; q++) x[q] *= sc;
        }
        Rm[(size_t)i * n + i] = beta;
        Re[(size_t)i * n + i] = e[i];
        for (int j = i + 1; j < n; j++) {
            if (e[j] == SK__XZERO) continue;
            double *y = P + (size_t)j * m + i, d = y[0];
            for (int q = 1; q < m - i; q++) d += x[q] * y[q];
            d *= tau;
            y[0] -= d;
            for (int q = 1; q < m - i; q++) y[q] -= d * x[q];
            Rm[(size_t)j * n + i] = y[0];
            Re[(size_t)j * n + i] = e[j];
        }
    }
    /* Z(j, i) = R(i, j), each column of Z at the exponent of its largest entry. */
    for (int i = 0; i < mn; i++) {
        long long E = SK__XZERO;
        for (int j = i; j < n; j++) {
            int er;
            if (Rm[(size_t)j * n + i] == 0.0 || Re[(size_t)j * n + i] == SK__XZERO) continue;
            (void)frexp(Rm[(size_t)j * n + i], &er);
            E = SK__MAX(E, Re[(size_t)j * n + i] + er);
        }
        double *z = Z + (size_t)i * n;
        for (int j = 0; j < n; j++) {
            const double v = j < i ? 0.0 : Rm[(size_t)j * n + i];
            z[j] = (E == SK__XZERO || v == 0.0 || Re[(size_t)j * n + i] == SK__XZERO) ? 0.0
                   : sk__ldexpx(v, Re[(size_t)j * n + i] - E);
        }
        ze[i] = E;
        if (E != SK__XZERO) sk__xnormalize(n, z, &ze[i]);
    }
    info = 0;
done:
    SK_FREE(P); SK_FREE(Rm); SK_FREE(rl); SK_FREE(Re); SK_FREE(rp);
    return info;
}

/* (1 + α²)^(-1/2) for α = nrm·2^e (nrm in [1/2, √m]). */
static double sk__xsine(double nrm, long long e)
{
    if (e == SK__XZERO || nrm == 0.0) return 1.0;
    int en;
    (void)frexp(nrm, &en);
    if (e + en > 60) return sk__ldexpx(1.0 / nrm, -e); /* 1 + α² rounds to α² */
    if (e + en < -60) return 1.0;                       /* α² below 2^-120 */
    return 1.0 / hypot(1.0, ldexp(nrm, (int)e));
}

int sk__angles_wide(int r, const double *sig, int k, int kp, int t, const double *G, int ldg,
                    const int *cols, int lw, double *sines)
{
    int nt = 0;
    while (k + nt < r && sig[k + nt] > 0.0) nt++;
    if (nt < lw) return SK__WIDE_NA;
    const int kw = SK__MIN(kp, lw); /* α's (M is kp×lw) */
    const int nr = kp + nt;
    int *rows = (int *)SK_MALLOC((size_t)nr * sizeof(int)), *perm = (int *)SK_MALLOC((size_t)lw * sizeof(int));
    long long *h = (long long *)SK_MALLOC((size_t)nr * sizeof(long long));
    long long *ea = (long long *)SK_MALLOC((size_t)lw * sizeof(long long)), *eb = (long long *)SK_MALLOC((size_t)lw * sizeof(long long));
    long long *mu = (long long *)SK_MALLOC((size_t)lw * sizeof(long long));
    double *f = sk__alloc_doubles(nr, 1), *Y1 = sk__alloc_doubles(kp, lw), *Y2 = sk__alloc_doubles(nt, lw);
    double *Yp = sk__alloc_doubles(nt, lw), *tau = sk__alloc_doubles(lw, 1), *rho = sk__alloc_doubles(lw, 1);
    double *M = sk__alloc_doubles(kp, lw), *al = sk__alloc_doubles(lw, 1), *Z = NULL;
    long long *ze = NULL;
    int info = SK_ENOMEM;
    if (!rows || !perm || !h || !ea || !eb || !mu || !f || !Y1 || !Y2 || !Yp || !tau || !rho || !M || !al) goto done;

    for (int i = 0; i < nr; i++) {
        rows[i] = i < kp ? i : k + (i - kp);
        sk__pow_split(sig[rows[i]], t, &f[i], &h[i]);
    }
    sk__graded_block(kp, rows, f, h, G, ldg, cols, lw, Y1, ea);
    sk__graded_block(nt, rows + kp, f + kp, h + kp, G, ldg, cols, lw, Y2, eb);

    /* 2. Order by increasing ρ_j (a column without head part first). */
    info = SK__WIDE_NA;
    for (int j = 0; j < lw; j++) {
        if (eb[j] == SK__XZERO) goto done; /* tail rank < lw: the edge case */
        rho[j] = ea[j] == SK__XZERO ? -INFINITY
                 : (double)(ea[j] - eb[j]) + log2(sk__nrm(kp, Y1 + (size_t)j * kp) / sk__nrm(nt, Y2 + (size_t)j * nt));
        int q = j;
        while (q > 0 && rho[perm[q - 1]] > rho[j]) { perm[q] = perm[q - 1]; q--; }
        perm[q] = j;
    }
    for (int j = 0; j < lw; j++) memcpy(Yp + (size_t)j * nt, Y2 + (size_t)perm[j] * nt, (size_t)nt * sizeof *Yp);

    /* The equilibrated tail must have full rank to working precision. */
    {
        int ok = sk__equilibrated_ok(nt, lw, Yp, eb, 0);
        if (ok < 0) { info = -ok; goto done; }
        if (!ok) goto done;
    }
    if ((info = sk_dgeqrf(nt, lw, Yp, nt, tau)) != 0) goto done;
    info = SK__WIDE_NA;
    for (int j = 0; j < lw; j++)
        if (Yp[(size_t)j * nt + j] == 0.0) goto done;

    /* 3. M = W1·D_b⁻¹·R̃2⁻¹ column by column, each summed at its largest term's exponent. */
    for (int j = 0; j < lw; j++) {
        const int pj = perm[j];
        const double *rj = Yp + (size_t)j * nt;
        double *x = M + (size_t)j * kp;
        const long long za = ea[pj] == SK__XZERO ? SK__XZERO : ea[pj] - eb[pj];
        long long E = za;
        for (int i = 0; i < j; i++) {
            int er;
            if (rj[i] == 0.0 || mu[i] == SK__XZERO) continue;
            (void)frexp(rj[i], &er);
            E = SK__MAX(E, mu[i] + er);
        }
        if (E == SK__XZERO) {
            memset(x, 0, (size_t)kp * sizeof *x);
            mu[j] = SK__XZERO;
            continue;
        }
        for (int q = 0; q < kp; q++) x[q] = za == SK__XZERO ? 0.0 : sk__ldexpx(Y1[(size_t)pj * kp + q], za - E);
        for (int i = 0; i < j; i++) {
            if (rj[i] == 0.0 || mu[i] == SK__XZERO) continue;
            const double fac = sk__ldexpx(rj[i], mu[i] - E);
            const double *xi = M + (size_t)i * kp;
            if (fac != 0.0)
                for (int q = 0; q < kp; q++) x[q] -= xi[q] * fac;
        }
        int ed;
        const double dm = frexp(rj[j], &ed);
        for (int q = 0; q < kp; q++) x[q] /= dm;
        mu[j] = E - ed;
        sk__xnormalize(kp, x, &mu[j]);
    }

    /* 4. Jacobi on M when M = B·D with B well conditioned; when M is also
     * row-graded (κ(B) too large, but not that of M with rows and columns
     * equilibrated), on Z = Rᵀ from a row-sorted pivoted QR of M; else not
     * determined here. */
    double *Mj = M;
    long long *ej = mu;
    int nj = kp;
    {
        /* A wide M (l > k) always takes the QR: Jacobi on its l columns in
         * k dimensions would leave l − k of them at rounding level. */
        int ok = lw <= kp ? sk__equilibrated_ok(kp, lw, M, mu, 0) : 0;
        if (ok < 0) { info = -ok; goto done; }
        if (!ok) {
            ok = sk__equilibrated_ok(kp, lw, M, mu, 1);
            if (ok < 0) { info = -ok; goto done; }
            if (!ok || !(Z = sk__alloc_doubles(lw, lw)) ||
                !(ze = (long long *)SK_MALLOC((size_t)lw * sizeof(long long)))) {
                info = ok ? SK_ENOMEM : SK__WIDE_NA;
                goto done;
            }
            if ((info = sk__xqrcp_rt(kp, lw, M, mu, Z, ze)) != 0) goto done;
            ok = sk__equilibrated_ok(lw, kw, Z, ze, 0);
            if (ok < 0) { info = -ok; goto done; }
            if (!ok) { info = SK__WIDE_NA; goto done; }
            Mj = Z;
            ej = ze;
            nj = lw;
        }
    }
    /* Jacobi converges quadratically; should it not within its sweeps, the
     * single-scale path answers (as documented) rather than an ENOCONV. */
    const int na = Mj == M ? lw : kw; /* columns of what Jacobi works on */
    if ((info = sk__xjacobi(nj, na, Mj, ej)) != 0) {
        info = SK__WIDE_NA;
        goto done;
    }

    /* α descending (by exponent, then mantissa) -> sines ascending. */
    for (int j = 0; j < na; j++) {
        al[j] = ej[j] == SK__XZERO ? 0.0 : sk__nrm(nj, Mj + (size_t)j * nj);
        perm[j] = j;
    }
    for (int j = 1; j < na; j++) {
        int q = j, pj = perm[j];
        double lj = ej[pj] == SK__XZERO ? -INFINITY : (double)ej[pj] + log2(al[pj]);
        while (q > 0) {
            int pq = perm[q - 1];
            double lq = ej[pq] == SK__XZERO ? -INFINITY : (double)ej[pq] + log2(al[pq]);
            if (lq >= lj) break;
            perm[q] = pq;
            q--;
        }
        perm[q] = pj;
    }
    for (int j = 0; j < kw; j++) sines[j] = sk__xsine(al[perm[j]], ej[perm[j]]);
    info = 0;
done:
    SK_FREE(rows); SK_FREE(perm); SK_FREE(h); SK_FREE(ea); SK_FREE(eb); SK_FREE(mu);
    SK_FREE(f); SK_FREE(Y1); SK_FREE(Y2); SK_FREE(Yp); SK_FREE(tau); SK_FREE(rho); SK_FREE(M); SK_FREE(al); SK_FREE(Z); SK_FREE(ze);
    return info;
}
