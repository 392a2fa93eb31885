/*
 * angles_wide.c — the wide-range path of sk_angles_exact (issue 9).
 *
 * Why: W = Σ^t G can have row scales (σ_i/σ_j)^t and, through G, entries
 * far beyond the double range, and then the cotangents α = svd(M) span more
 * than 1/eps. A single-scale W caps, drops rows, overflows or underflows;
 * its M's SVD resolves the small α only to eps·α_1 absolutely. Here every
 * column is a mantissa vector times its own power of two (angles_xnum.h), so
 * nothing over- or underflows except entries below 2^-1074 of their
 * column's largest one, and a power-of-two scaling of σ or G changes no
 * mantissa bit (the result is bit for bit the same). The steps (§1.2):
 *   1. W1 (head rows, σ > 0) and W2 (every tail row with σ > 0, none
 *      dropped) column by column: σ^t = f·2^h (pow of σ's mantissa,
 *      t·exponent), G's mantissa and exponent.
 *   2. W2·Π = Q2·[R11 R12] by Householder QR with row sorting and column
 *      pivoting (angles_xqr.c; column-wise backward stable, and row-wise
 *      with the sorting and pivoting, Cox–Higham, IMA J. Numer. Anal. 18
 *      (1998)). ρ = its rank (columns whose remaining part is exactly zero,
 *      or below 2^-1074 of the column, end it: those null directions are the
 *      edge case's). Needs W2 with columns equilibrated, or else with rows and
 *      columns equilibrated, and R11 with rows and columns equilibrated, of
 *      condition below 1/(10·n·eps).
 *   3. range(W) = range(W·Π·T), T = [R11⁻¹ −R11⁻¹R12; 0 I]:
 *      W·Π·T = [A B; Q2 0] with A = W1Π(:,1:ρ)·R11⁻¹ and
 *      B = W1Π(:,ρ+1:l) − A·R12, column by column (each column summed at the
 *      exponent of its largest term). B = W·N spans range(W) ∩ span(E_k):
 *      d = l − ρ zero angles (the edge case of §1.2) if B has rank
 *      min(k, d) (else SK_ESINGULAR, as the single-scale path; for d < k,
 *      B equilibrated as W2 must be well conditioned), and the
 *      other cotangents are α = svd(M), M = Q_Bcᵀ·A (the rows of Q_Bᵀ·A
 *      below B's rank, from a Householder QR of B). d = 0 is the generic
 *      M = W1·R2⁻¹.
 *   4. One-sided Jacobi on M (Demmel–Veselić, SIMAX 13 (1992)): each α_j to
 *      relative accuracy O(eps·κ(B_M)), B_M = M with unit columns; a rotation
 *      of two columns whose scales differ by more than 2^400 is the
 *      Gram–Schmidt step it reduces to. When M is row-graded too (κ(B_M)
 *      huge) or wide (more columns than rows), Jacobi on Rᵀ from a row-sorted
 *      pivoted QR of M (LAPACK dgejsv's preconditioning, Drmač–Veselić,
 *      SIMAX 29 (2008)).
 * Each step checks the condition number its accuracy rests on and reports
 * SK__WIDE_NA when it is too large (or Jacobi does not converge): the
 * caller's single-scale path then gives its documented (capped) result.
 * The sines (1 + α²)^(-1/2) are relatively accurate down to DBL_MIN and to
 * a few units of 2^-1074 below (subnormal results, 0 below 2^-1075).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "angles_wide.h"
#include "angles_xnum.h"

/* σ^t = f·2^h, f in [1/2, 1): σ's mantissa raised to t by binary powering,
 * renormalized at each step (any t, no over/underflow; about log2(t) + 1
 * roundings, O(log2(t)·eps) relative against the condition t·eps of the
 * power itself), and t times σ's exponent. No libm pow: its last bits
 * differ between glibc and musl (native vs wasm). Exact for t = 1. */
static void sk__pow_split(double s, int t, double *f, long long *h)
{
    int E, eb, ep;
    double b = frexp(s, &E), p = 1.0;
    long long pe = 0, be = 0; /* p·2^pe (result so far), b·2^be (σ's mantissa squared so far) */
    for (int n = t; n > 0; n >>= 1) {
        if (n & 1) {
            p = frexp(p * b, &ep);
            pe += ep + be;
        }
        if (n > 1) {
            b = frexp(b * b, &eb);
            be = 2 * be + eb;
        }
    }
    *f = p;
    *h = (long long)t * E + pe;
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
                    const double tt = copysign(1.0, zeta) / (fabs(zeta) + sk__xhypot(1.0, zeta));
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

/* (1 + α²)^(-1/2) for α = nrm·2^e (nrm in [1/2, √m]). */
static double sk__xsine(double nrm, long long e)
{
    if (e == SK__XZERO || nrm == 0.0) return 1.0;
    int en;
    (void)frexp(nrm, &en);
    if (e + en > 60) return sk__ldexpx(1.0 / nrm, -e); /* 1 + α² rounds to α² */
    if (e + en < -60) return 1.0;                       /* α² below 2^-120 */
    return 1.0 / sk__xhypot(1.0, ldexp(nrm, (int)e));
}

/* Z = Rᵀ (n×nc, ld n) in column mantissas and exponents ze from R(i, j) =
 * Rm[j·n + i]·2^Re[j·n + i] (rows i < nc): each column at its largest entry. */
static void sk__xtranspose_r(int n, int nc, const double *Rm, const long long *Re, double *Z, long long *ze)
{
    for (int i = 0; i < nc; i++) {
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
}

/* Step 3: X = W1·Π·T column by column (kp rows), for the tail's R (n×n
 * storage, rank rho): columns j < rho are A = W1Π·R11⁻¹, the rest
 * B = W1Π − A·R12. Each column is summed at the exponent of its largest term. */
static void sk__xsolve(int kp, int lw, int rho, const double *Y1, const long long *ea, const int *cp,
                       const double *Rm, const long long *Re, double *X, long long *mu)
{
    for (int j = 0; j < lw; j++) {
        const int pj = cp[j], ni = SK__MIN(j, rho);
        const double *rj = Rm + (size_t)j * lw;
        const long long *rej = Re + (size_t)j * lw;
        double *x = X + (size_t)j * kp;
        long long E = ea[pj];
        for (int i = 0; i < ni; i++) {
            int er;
            if (rj[i] == 0.0 || rej[i] == SK__XZERO || mu[i] == SK__XZERO) continue;
            (void)frexp(rj[i], &er);
            E = SK__MAX(E, mu[i] + rej[i] + er);
        }
        if (E == SK__XZERO) {
            memset(x, 0, (size_t)kp * sizeof *x);
            mu[j] = SK__XZERO;
            continue;
        }
        for (int q = 0; q < kp; q++) x[q] = ea[pj] == SK__XZERO ? 0.0 : sk__ldexpx(Y1[(size_t)pj * kp + q], ea[pj] - E);
        for (int i = 0; i < ni; i++) {
            if (rj[i] == 0.0 || rej[i] == SK__XZERO || mu[i] == SK__XZERO) continue;
            const double fac = sk__ldexpx(rj[i], mu[i] + rej[i] - E);
            const double *xi = X + (size_t)i * kp;
            if (fac != 0.0)
                for (int q = 0; q < kp; q++) x[q] -= xi[q] * fac;
        }
        mu[j] = E;
        if (j < rho) {
            int ed;
            const double dm = frexp(rj[j], &ed);
            for (int q = 0; q < kp; q++) x[q] /= dm;
            mu[j] = E - ed - rej[j];
        }
        sk__xnormalize(kp, x, &mu[j]);
    }
}

int sk__angles_wide(int r, const double *sig, int k, int kp, int t, const double *G, int ldg,
                    const int *cols, int lw, double *sines)
{
    int nt = 0;
    while (k + nt < r && sig[k + nt] > 0.0) nt++;
    const int nr = kp + nt;
    int rho = SK__MIN(nt, lw), d = lw - rho;
    const int L = SK__MAX(lw, 1), K = SK__MAX(kp, 1);
    int *rows = sk__alloc_ints(SK__MAX(nr, 1)), *perm = sk__alloc_ints(L), *cp = sk__alloc_ints(L);
    int *rp = sk__alloc_ints(SK__MAX(SK__MAX(nt, kp), 1));
    long long *h = (long long *)SK_MALLOC((size_t)SK__MAX(nr, 1) * sizeof(long long));
    long long *ea = (long long *)SK_MALLOC((size_t)L * sizeof(long long)), *eb = (long long *)SK_MALLOC((size_t)L * sizeof(long long));
    long long *mu = (long long *)SK_MALLOC((size_t)L * sizeof(long long)), *ze = (long long *)SK_MALLOC((size_t)L * sizeof(long long));
    long long *Re = (long long *)SK_MALLOC((size_t)L * L * sizeof(long long));
    double *f = sk__alloc_doubles(SK__MAX(nr, 1), 1), *Y1 = sk__alloc_doubles(K, L), *Y2 = sk__alloc_doubles(SK__MAX(nt, 1), L);
    double *tau = sk__alloc_doubles(L, 1), *Rm = sk__alloc_doubles(L, L), *X = sk__alloc_doubles(K, L);
    double *Bc = sk__alloc_doubles(SK__MAX(K, L), L), *al = sk__alloc_doubles(L, 1), *Z = sk__alloc_doubles(L, L);
    int info = SK_ENOMEM;
    if (!rows || !perm || !cp || !rp || !h || !ea || !eb || !mu || !ze || !Re || !f || !Y1 || !Y2 || !tau ||
        !Rm || !X || !Bc || !al || !Z)
        goto done;

    /* 1. The graded blocks. */
    for (int i = 0; i < nr; i++) {
        rows[i] = i < kp ? i : k + (i - kp);
        sk__pow_split(sig[rows[i]], t, &f[i], &h[i]);
    }
    sk__graded_block(kp, rows, f, h, G, ldg, cols, lw, Y1, ea);
    sk__graded_block(nt, rows + kp, f + kp, h + kp, G, ldg, cols, lw, Y2, eb);

    /* 2. The tail: W2·Π = Q2·[R11 R12]. */
    int rank = 0;
    for (int j = 0; j < lw; j++) cp[j] = j;
    for (long long x = 0; x < (long long)lw * lw; x++) { Rm[x] = 0.0; Re[x] = SK__XZERO; }
    /* Accurate for the sines when the column-equilibrated tail is well
     * conditioned (Householder QR is column-wise backward stable), or, for
     * a tail with rows of very different size, when it is with rows and
     * columns equilibrated (the row sorting and column pivoting make the QR
     * row-wise backward stable, Cox–Higham) and so is R11 (checked below). */
    int tail_ok = 1;
    if (nt > 0) {
        tail_ok = sk__equilibrated_ok(nt, lw, Y2, eb, 0);
        if (tail_ok == 0) tail_ok = sk__equilibrated_ok(nt, lw, Y2, eb, 1);
        if (tail_ok < 0) { info = -tail_ok; goto done; }
    }
    if (nt > 0 && (info = sk__xqrcp(nt, lw, Y2, eb, 1, rp, cp, tau, Rm, Re, &rank)) != 0) goto done;
    /* The tail's rank: below min(rows, l) when a column's remaining part is
     * exactly zero, or below 2^-1074 of that column (rows so small next to
     * the others that they move no sine by a representable amount). Its
     * null directions are the edge case's, below. */
    rho = rank;
    d = lw - rho;
    if (rho > 0) {
        sk__xtranspose_r(lw, rho, Rm, Re, Z, ze); /* R11ᵀ and R12ᵀ; R11ᵀ is the leading rho×rho */
        double *C = Bc; /* R11ᵀ, rho×rho, ld rho, columns renormalized */
        for (int j = 0; j < rho; j++) {
            memcpy(C + (size_t)j * rho, Z + (size_t)j * lw, (size_t)rho * sizeof *C);
            long long ej0 = 0;
            sk__xnormalize(rho, C + (size_t)j * rho, &ej0);
            ze[j] = ej0;
        }
        int ok = tail_ok ? sk__equilibrated_ok(rho, rho, C, ze, 1) : 0;
        info = ok < 0 ? -ok : SK__WIDE_NA;
        if (ok <= 0) goto done;
    }

    /* 3. X = W1·Π·T = [A B]. */
    sk__xsolve(kp, lw, rho, Y1, ea, cp, Rm, Re, X, mu);
    double *M = X; /* kc×rho, ld kc */
    int kc = kp;
    if (d > 0) {
        /* B = W·N spans range(W) ∩ span(E_k): d zero angles if of rank
         * min(kp, d). With d < kp, range(B) is needed to working precision:
         * B with rows and columns equilibrated well conditioned (the row-sorted
         * pivoted QR below is then accurate for it). */
        double *B = X + (size_t)rho * kp;
        long long *eB = mu + rho;
        memcpy(Bc, B, (size_t)kp * d * sizeof *Bc);
        int rb = 0, ok = d < kp ? sk__equilibrated_ok(kp, d, Bc, eB, 0) : 1;
        if (ok < 0) { info = -ok; goto done; }
        if (!ok) ok = sk__equilibrated_ok(kp, d, Bc, eB, 1);
        if (ok < 0) { info = -ok; goto done; }
        if ((info = sk__xqrcp(kp, d, B, eB, 1, rp, perm, tau, Rm, Re, &rb)) != 0) goto done;
        info = SK_ESINGULAR;
        if (rb < SK__MIN(kp, d)) goto done;
        info = SK__WIDE_NA;
        if (!ok) goto done; /* range(B) not determined to working precision */
        if (d >= kp) {
            for (int i = 0; i < kp; i++) sines[i] = 0.0;
            info = 0;
            goto done;
        }
        /* M = rows d.. of Q_Bᵀ·A (kc×rho), each column renormalized. */
        if ((info = sk__xqr_applyt(kp, d, B, tau, rp, rho, X, mu)) != 0) goto done;
        kc = kp - d;
        for (int j = 0; j < rho; j++) {
            memmove(Bc + (size_t)j * kc, X + (size_t)j * kp + d, (size_t)kc * sizeof *Bc);
            if (mu[j] != SK__XZERO) sk__xnormalize(kc, Bc + (size_t)j * kc, &mu[j]);
        }
        M = Bc;
    }
    for (int i = 0; i < d; i++) sines[i] = 0.0;
    if (rho == 0) { info = 0; goto done; }

    /* 4. Jacobi on M when M = B_M·D with B_M well conditioned; when M is also
     * row-graded (κ(B_M) too large, but not that of M with rows and columns
     * equilibrated) or wide, on Z = Rᵀ from a row-sorted pivoted QR of M;
     * else not determined here. A wide M always takes the QR: Jacobi on its
     * columns in fewer dimensions would leave the surplus at rounding level. */
    const int kw = SK__MIN(kc, rho);
    double *Mj = M;
    long long *ej = mu;
    int nj = kc, na = rho;
    {
        int ok = rho <= kc ? sk__equilibrated_ok(kc, rho, M, mu, 0) : 0;
        if (ok < 0) { info = -ok; goto done; }
        if (!ok) {
            ok = sk__equilibrated_ok(kc, rho, M, mu, 1);
            if (ok < 0) { info = -ok; goto done; }
            info = SK__WIDE_NA;
            if (!ok) goto done;
            int rm = 0;
            if ((info = sk__xqrcp(kc, rho, M, mu, 1, rp, perm, tau, Rm, Re, &rm)) != 0) goto done;
            sk__xtranspose_r(rho, kw, Rm, Re, Z, ze);
            ok = sk__equilibrated_ok(rho, kw, Z, ze, 0);
            if (ok < 0) { info = -ok; goto done; }
            info = SK__WIDE_NA;
            if (!ok) goto done;
            Mj = Z;
            ej = ze;
            nj = rho;
            na = kw;
        }
    }
    /* Jacobi converges quadratically; should it not within its sweeps, the
     * single-scale path answers (as documented) rather than an ENOCONV. */
    if (sk__xjacobi(nj, na, Mj, ej) != 0) { info = SK__WIDE_NA; goto done; }

    /* α descending (by exponent, then mantissa) -> sines ascending. */
    for (int j = 0; j < na; j++) {
        al[j] = ej[j] == SK__XZERO ? 0.0 : sk__xnrm(nj, Mj + (size_t)j * nj);
        perm[j] = j;
    }
    for (int j = 1; j < na; j++) {
        int q = j, pj = perm[j];
        const sk__xkey kj = sk__xkey_of(al[pj], ej[pj]);
        while (q > 0 && sk__xkey_less(sk__xkey_of(al[perm[q - 1]], ej[perm[q - 1]]), kj)) {
            perm[q] = perm[q - 1];
            q--;
        }
        perm[q] = pj;
    }
    for (int j = 0; j < kw; j++) sines[d + j] = sk__xsine(al[perm[j]], ej[perm[j]]);
    info = 0;
done:
    SK_FREE(rows); SK_FREE(perm); SK_FREE(cp); SK_FREE(rp); SK_FREE(h); SK_FREE(ea); SK_FREE(eb);
    SK_FREE(mu); SK_FREE(ze); SK_FREE(Re); SK_FREE(f); SK_FREE(Y1); SK_FREE(Y2); SK_FREE(tau);
    SK_FREE(Rm); SK_FREE(X); SK_FREE(Bc); SK_FREE(al); SK_FREE(Z);
    return info;
}
