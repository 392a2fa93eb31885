/*
 * angles.c — canonical angles between subspaces (§2.4), the exact
 * characterization of the sketch's angles from a spectrum and G = VᵀΩ (§1.2,
 * with its edge cases and the overflow-safe scaling of §2.6), and the
 * Monte-Carlo estimate built on it (§1.4).  See svdsketch.h.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "prescale.h"
#include "angles_wide.h"

/* Singular values (descending) of a rows×cols block, copied first. */
static int sk__svals(int rows, int cols, const double *A, int lda, double *sv)
{
    double *C = sk__alloc_doubles(rows, cols);
    if (!C) return SK_ENOMEM;
    for (int j = 0; j < cols; j++) memcpy(C + (size_t)j * rows, A + (size_t)j * lda, (size_t)rows * sizeof *C);
    int info = sk_dgesvd(rows, cols, C, rows, sv, NULL, 1, NULL, 1);
    SK_FREE(C);
    return info;
}

int sk_canonical_sines(int m, int k, const double *Uk, int ldu, int l, const double *X,
                       int ldx, double *sines, double *theta)
{
    if (m < 1) return -1;
    if (k < 1 || k > m) return -2;
    if (!Uk) return -3;
    if (ldu < m) return -4;
    if (l < k || l > m) return -5;
    if (!X) return -6;
    if (ldx < m) return -7;
    if (!sines) return -8;

    double *R = sk__alloc_doubles(m, k), *C = sk__alloc_doubles(l, k), *C2 = sk__alloc_doubles(l, k);
    double *sv = sk__alloc_doubles(k, 1), *cv = sk__alloc_doubles(k, 1);
    int info = SK_ENOMEM;
    if (!R || !C || !C2 || !sv || !cv) goto done;
    for (int j = 0; j < k; j++) memcpy(R + (size_t)j * m, Uk + (size_t)j * ldu, (size_t)m * sizeof *R);
    /* C = XᵀUk (the cosines' matrix); R = Uk − XC, then once more: after one
     * projection R still holds O(eps) of range(X), which would swamp sines
     * below ~1e-8 relative. */
    if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, l, k, m, 1.0, X, ldx, R, m, 0.0, C, l)) != 0) goto done;
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, l, -1.0, X, ldx, C, l, 1.0, R, m)) != 0) goto done;
    if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, l, k, m, 1.0, X, ldx, R, m, 0.0, C2, l)) != 0) goto done;
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, l, -1.0, X, ldx, C2, l, 1.0, R, m)) != 0) goto done;
    if ((info = sk_dgesvd(m, k, R, m, sv, NULL, 1, NULL, 1)) != 0) goto done;
    for (int i = 0; i < k; i++) sines[i] = SK__MIN(1.0, sv[k - 1 - i]); /* ascending */
    if (theta) {
        if ((info = sk__svals(l, k, C, l, cv)) != 0) goto done; /* cosines, descending */
        for (int i = 0; i < k; i++) {
            /* asin is well conditioned below π/4, acos above (Knyazev–Argentati). */
            theta[i] = sines[i] < sqrt(0.5) ? asin(sines[i]) : acos(SK__MIN(1.0, cv[i]));
        }
    }
done:
    SK_FREE(R); SK_FREE(C); SK_FREE(C2); SK_FREE(sv); SK_FREE(cv);
    return info;
}

/* Validate a spectrum: finite, >= 0, non-increasing.  0, or 1 (non-finite), or 2 (bad order/sign). */
static int sk__spectrum_bad(int r, const double *sig)
{
    for (int i = 0; i < r; i++) {
        if (!isfinite(sig[i])) return 1;
        if (sig[i] < 0.0 || (i > 0 && sig[i] > sig[i - 1])) return 2;
    }
    return 0;
}

/* 1 if the rows×cols matrix A (lda) has full rank min(rows, cols) in the
 * exact sense that Householder QR meets no zero (or non-finite) pivot; 0 if
 * not; negative on allocation failure. Only an exactly dependent sketch
 * (zero or repeated columns, an exactly rank-one G) fails it: a nearly
 * dependent one is a legitimate, if ill-conditioned, input. */
static int sk__exact_full_rank(int rows, int cols, const double *A, int lda)
{
    if (rows == 0 || cols == 0) return 1;
    int tall = rows >= cols, mm = tall ? rows : cols, nn = tall ? cols : rows;
    double *C = sk__alloc_doubles(mm, nn), *tau = sk__alloc_doubles(nn, 1);
    int ok = -1;
    if (C && tau) {
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < rows; i++) {
                double v = A[(size_t)j * lda + i];
                if (tall) C[(size_t)j * mm + i] = v; else C[(size_t)i * mm + j] = v;
            }
        ok = sk_dgeqrf(mm, nn, C, mm, tau) == 0 ? 1 : -1;
        for (int i = 0; ok == 1 && i < nn; i++) {
            double d = C[(size_t)i * mm + i];
            if (d == 0.0 || !isfinite(d)) ok = 0;
        }
    }
    SK_FREE(C);
    SK_FREE(tau);
    return ok;
}

/* Row scales and row count for §1.2 / §2.6; see sk_angles_exact. */
#define SK__LOGCAP 300.0

/* log(a/b) for a, b > 0: the ratio first (one rounding, so scaling σ by a
 * constant leaves the sines unchanged to the last bits), the difference of
 * logs only when the ratio over- or underflows. */
static double sk__logratio(double a, double b)
{
    double r = a / b;
    if (r >= DBL_MIN && r <= DBL_MAX) return log(r);
    return log(a) - log(b);
}

/* Scaled right triangular solve (LAPACK dlatrs's idea, for X·op(R) = B):
 * X := 2^-e·B·op(R)⁻¹ in place of B (rows×n), R upper n×n (ldr), op(R) = R
 * (trans 0) or Rᵀ (trans 1), with e >= 0 chosen as the solve goes so that no
 * entry exceeds 2^SK__TRS_BIG_EXP: the true solution is X·2^e. For a nearly
 * singular R whose B·R⁻¹ does not fit in a double (sk_dtrsm gives Inf, and
 * the SVD after it ENOCONV: fuzz finding, issue 9). Entries rounded away by a
 * rescale are below 2^-1074 of the largest one. Needs |r_ii| > 0 and finite
 * entries of moderate size (here: |r_ij| <= sqrt(rows of W2)). Returns e. */
#define SK__TRS_BIG_EXP 500
static int sk__trsm_right_scaled(int rows, int n, const double *R, int ldr, int trans, double *X, int ldx)
{
    const double big = ldexp(1.0, SK__TRS_BIG_EXP);
    int e = 0;
    double xmax = 0.0; /* max |X| over the solved columns */
    for (int s = 0; s < n; s++) {
        const int j = trans ? n - 1 - s : s; /* Rᵀ is lower: solve from the last column */
        double *xj = X + (size_t)j * ldx;
        double cj = 0.0, bj = 0.0;
        for (int q = 0; q < s; q++) {
            const int i = trans ? n - 1 - q : q;
            cj += fabs(trans ? R[(size_t)i * ldr + j] : R[(size_t)j * ldr + i]);
        }
        for (int r = 0; r < rows; r++) bj = SK__MAX(bj, fabs(xj[r]));
        const double rjj = fabs(R[(size_t)j * ldr + j]);
        /* |new column| <= (bj + xmax·cj)/|r_jj|: keep it below big. */
        const double nb = bj + xmax * cj;
        if (nb > big || nb / big > rjj) {
            int en, er;
            (void)frexp(nb, &en);
            (void)frexp(rjj, &er);
            int sh = SK__MAX(1, SK__MAX(en - SK__TRS_BIG_EXP, en - er - SK__TRS_BIG_EXP) + 1);
            (void)sk__scale_pow2_inplace(rows, n, X, ldx, -sh);
            xmax = ldexp(xmax, -sh);
            e += sh;
        }
        for (int q = 0; q < s; q++) {
            const int i = trans ? n - 1 - q : q;
            const double t = trans ? R[(size_t)i * ldr + j] : R[(size_t)j * ldr + i];
            const double *xi = X + (size_t)i * ldx;
            for (int r = 0; r < rows; r++) xj[r] -= xi[r] * t;
        }
        const double d = R[(size_t)j * ldr + j];
        for (int r = 0; r < rows; r++) {
            xj[r] /= d;
            xmax = SK__MAX(xmax, fabs(xj[r]));
        }
    }
    return e;
}

/* sin = (1 + α²)^(-1/2) for α = a·2^e (a >= 0 finite, e >= 0), without overflow. */
static double sk__sine_of_scaled(double a, int e)
{
    if (e == 0) return 1.0 / hypot(1.0, a);
    if (a == 0.0) return 1.0;
    int ea;
    (void)frexp(a, &ea);
    if ((long)ea + e > 60) return ldexp(1.0 / a, -e); /* 1 + α² rounds to α² */
    return 1.0 / hypot(1.0, ldexp(a, e));
}

/* The SVD of M resolves each α_i only to about eps·α_1 (absolute): an α_i
 * below that is not determined by it, nor is its sine (anything in
 * [1/(α_i + eps·α_1), 1]). 1 if one of the first n is not resolved. */
static int sk__unresolved(int n, const double *al, int rows, int cols)
{
    const double tol = 10.0 * SK__MAX(rows, cols) * DBL_EPSILON * al[0];
    for (int i = 0; i < n; i++)
        if (!(al[i] > tol)) return 1;
    return 0;
}

/* Forward error bound of the single-scale sines: the computed M = W1·R⁻¹ and
 * its SVD give each α_i to within δ = 10·max(rows, cols)·eps·α_1 (absolute;
 * the same bound as sk__unresolved), and sin = (1 + α²)^(-1/2) has relative
 * condition α²/(1 + α²), so the relative error of sine i is at most about
 * δ·(α_i + δ)/(1 + α_i²) (<= (δ/α_i)(1 + δ/α_i) for α_i >= 1). 1 if that
 * exceeds sqrt(eps) for one of the first n (the sine is not determined to
 * working accuracy by this computation; an α_i below δ < 1e-8 still gives
 * sin = 1 to within eps). With mexp > 0 the α are al·2^mexp >= 2^400 or so:
 * only the scale-free δ/α_i part applies. Found by
 * tests/ref/angles_guard_search.py: α_1/α_i near 1e10 gave sines wrong by
 * 1e-5 relative with status 0. */
static int sk__inaccurate(int n, const double *al, int rows, int cols, int mexp)
{
    const double dl = 10.0 * SK__MAX(rows, cols) * DBL_EPSILON * al[0], tau = sqrt(DBL_EPSILON);
    for (int i = 0; i < n; i++) {
        const double a = al[i];
        double eb;
        if (mexp > 0 || a >= 1.0) eb = a > 0.0 ? (dl / a) * (1.0 + dl / a) : HUGE_VAL;
        else eb = dl * (a + dl) / (1.0 + a * a);
        if (!(eb <= tau)) return 1;
    }
    return 0;
}

/* 1 if the single-scale W (head scales capped at e^LOGCAP, tail rows below
 * e^-LOGCAP dropped, G read as 2^-ge·G) is not the true one to working
 * precision: a head scale capped, a tail row of σ > 0 dropped, or a nonzero
 * G entry whose entry of W falls below 2^-969 (DBL_MIN·2^53: not all of its
 * bits, or none, survive). */
static int sk__single_scale_inexact(int r, const double *sig, int k, int kp, int nt, int t, double ref,
                                    const double *G, int ldg, const int *cols, int lw, int ge)
{
    if (k + nt < r && sig[k + nt] > 0.0) return 1;
    const double tiny = ldexp(1.0, -969);
    for (int i = 0; i < kp + nt; i++) {
        const int row = i < kp ? i : k + (i - kp);
        const double lr = t * sk__logratio(sig[row], ref);
        if (i < kp && lr > SK__LOGCAP) return 1;
        const double sc = exp(SK__MIN(SK__LOGCAP, lr));
        for (int j = 0; j < lw; j++) {
            const double g = G[(size_t)cols[j] * ldg + row];
            if (g != 0.0 && fabs(sc * ldexp(g, -ge)) < tiny) return 1;
        }
    }
    return 0;
}

int sk_angles_exact(int r, const double *sig, int k, int l, int t, const double *G, int ldg,
                    double *sines)
{
    if (r < 1) return -1;
    if (!sig) return -2;
    if (k < 1 || k > r) return SK_ERANK;
    if (l < k) return -4;
    if (t < 1) return -5;
    if (!G) return -6;
    if (ldg < r) return -7;
    if (!sines) return -8;
    int bad = sk__spectrum_bad(r, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;
    if (!sk_all_finite(r, l, G, ldg)) return SK_ENONFINITE;

    /* Reference scale: the first positive tail value, so the tail's leading
     * row has scale 1 and W2 neither overflows nor underflows (§2.6). */
    double ref = 0.0;
    for (int j = k; j < r && ref == 0.0; j++) ref = sig[j];
    if (ref == 0.0) ref = sig[0] > 0.0 ? sig[0] : 1.0;

    /* Head rows with σ_i = 0 are zero rows of W: those directions are
     * orthogonal to range(W) (sin = 1) and decouple; they are the last ones. */
    int kp = k;
    while (kp > 0 && sig[kp - 1] == 0.0) kp--;
    /* Tail rows kept: scale >= e^-LOGCAP (σ non-increasing, so a prefix). */
    int nt = 0;
    while (k + nt < r && sig[k + nt] > 0.0 && t * sk__logratio(sig[k + nt], ref) >= -SK__LOGCAP) nt++;

    for (int i = kp; i < k; i++) sines[i] = 1.0;
    if (kp == 0) return 0;

    /* Columns of W that are exactly zero (G zero on every kept row) add
     * nothing to range(W) = range(X): drop them. With lw < kp columns left,
     * range(X) has dimension lw < kp and the last kp − lw sines are 1 (those
     * directions of U_k are orthogonal to it); G = 0 gives sines of 1
     * (angles of π/2), not the NaN of 0/0. */
    int *cols = (int *)SK_MALLOC((size_t)SK__MAX(l, 1) * sizeof(int));
    if (!cols) return SK_ENOMEM;
    int lw = 0;
    for (int j = 0; j < l; j++) {
        int nz = 0;
        for (int i = 0; i < kp && !nz; i++) nz = G[(size_t)j * ldg + i] != 0.0;
        for (int i = 0; i < nt && !nz; i++) nz = G[(size_t)j * ldg + k + i] != 0.0;
        if (nz) cols[lw++] = j;
    }
    const int kw = SK__MIN(kp, lw); /* sines from the formula; the rest are 1 */
    for (int i = kw; i < kp; i++) sines[i] = 1.0;
    if (lw == 0) { SK_FREE(cols); return 0; }

    /* range(W) does not change when G is scaled: read G as 2^-ge·G (exact
     * but for entries 2^-1074·max|G| and below) with its largest kept entry
     * in [1/2, 1), so that neither the rank check's SVD nor W1, W2 overflow
     * for entries near DBL_MAX (ENOCONV before; fuzz finding, issue 9). */
    int ge = 0;
    {
        double gmax = 0.0;
        for (int j = 0; j < lw; j++) {
            for (int i = 0; i < kp; i++) gmax = SK__MAX(gmax, fabs(G[(size_t)cols[j] * ldg + i]));
            for (int i = 0; i < nt; i++) gmax = SK__MAX(gmax, fabs(G[(size_t)cols[j] * ldg + k + i]));
        }
        (void)frexp(gmax, &ge);
    }
#define SK__G(i, j) ldexp(G[(size_t)cols[j] * ldg + (i)], -ge)

    /* The kept rows of G (unscaled: G is not graded, W = Σ^t G is) must
     * have full rank min(kp + nt, lw) numerically; otherwise range(X) has
     * fewer dimensions than the formula assumes (repeated columns, a
     * rank-one G) and its sines would be rounding noise or NaN. */
    {
        const int gr = kp + nt, gmin = SK__MIN(gr, lw);
        double *Gk = sk__alloc_doubles(gr, lw), *sv = sk__alloc_doubles(gmin, 1);
        int info0 = (Gk && sv) ? 0 : SK_ENOMEM;
        if (!info0) {
            for (int j = 0; j < lw; j++) {
                for (int i = 0; i < kp; i++) Gk[(size_t)j * gr + i] = SK__G(i, j);
                for (int i = 0; i < nt; i++) Gk[(size_t)j * gr + kp + i] = SK__G(k + i, j);
            }
            info0 = sk_dgesvd(gr, lw, Gk, gr, sv, NULL, 1, NULL, 1);
            if (!info0 && !(sv[gmin - 1] > 10.0 * SK__MAX(gr, lw) * DBL_EPSILON * sv[0])) info0 = SK_ESINGULAR;
        }
        SK_FREE(Gk);
        SK_FREE(sv);
        if (info0) { SK_FREE(cols); return info0; }
    }

    /* Where the single-scale path would cap a head scale at e^300, drop a
     * tail row of σ > 0, or hold an entry of W at the bottom of the double
     * range (fewer than 53 bits: G mixing DBL_MIN-sized and normal entries),
     * the wide-range path (angles_wide.c) answers without any of that, when
     * its condition checks pass; otherwise the capped path below, as
     * documented. */
    if (sk__single_scale_inexact(r, sig, k, kp, nt, t, ref, G, ldg, cols, lw, ge)) {
        int w = sk__angles_wide(r, sig, k, kp, t, G, ldg, cols, lw, sines);
        if (w != SK__WIDE_NA) { SK_FREE(cols); return w; }
    }

    const int rho = SK__MIN(nt, lw), d = lw - rho;
    double *W1 = sk__alloc_doubles(kp, lw), *W2 = sk__alloc_doubles(SK__MAX(nt, lw), lw);
    double *Q = sk__alloc_doubles(lw, lw), *tau = sk__alloc_doubles(lw, 1), *al = sk__alloc_doubles(kp, 1);
    int info = SK_ENOMEM;
    if (!W1 || !W2 || !Q || !tau || !al) goto done;
#define SK__FILL_W1()                                                                   \
    for (int i = 0; i < kp; i++) {                                                     \
        double sc = exp(SK__MIN(SK__LOGCAP, t * sk__logratio(sig[i], ref)));           \
        for (int j = 0; j < lw; j++) W1[(size_t)j * kp + i] = sc * SK__G(i, j);        \
    }
    SK__FILL_W1();
    /* The scale of M = W1·R⁻¹ (edge case: M·R⁻ᵀ) as 2^mexp: 0 unless the solve
     * with a nearly singular R overflowed and was redone scaled. */
    int mexp = 0;

    if (nt >= lw) {
        /* Generic case: W2 = Q2R2 (nt×lw, full column rank), M = W1R2⁻¹. */
        for (int i = 0; i < nt; i++) {
            double sc = exp(t * sk__logratio(sig[k + i], ref));
            for (int j = 0; j < lw; j++) W2[(size_t)j * nt + i] = sc * SK__G(k + i, j);
        }
        if ((info = sk_dgeqrf(nt, lw, W2, nt, tau)) != 0) goto done;
        /* An exactly singular R2 (W2's columns exactly dependent): the
         * formula would divide by zero. */
        for (int i = 0; i < lw; i++)
            if (W2[(size_t)i * nt + i] == 0.0) { info = SK_ESINGULAR; goto done; }
        if ((info = sk_dtrsm(SK_RIGHT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, kp, lw, 1.0, W2, nt, W1, kp)) != 0)
            goto done;
        if (!sk_all_finite(kp, lw, W1, kp)) {
            /* M does not fit (W2 nearly singular next to the head's scale:
             * G mixing DBL_MIN-sized and normal entries; fuzz finding, issue
             * 9): the wide-range path when it applies, else redo the solve
             * scaled, M = W1·2^mexp. */
            int w = sk__angles_wide(r, sig, k, kp, t, G, ldg, cols, lw, sines);
            if (w != SK__WIDE_NA) { info = w; goto done; }
            SK__FILL_W1();
            mexp = sk__trsm_right_scaled(kp, lw, W2, nt, 0, W1, kp);
        }
        if ((info = sk_dgesvd(kp, lw, W1, kp, al, NULL, 1, NULL, 1)) != 0) goto done;
        if (sk__unresolved(kw, al, kp, lw) || sk__inaccurate(kw, al, kp, lw, mexp)) {
            /* α spans more than the SVD resolves to working accuracy (M
             * graded): the wide-range path's Jacobi gives each α to relative
             * accuracy when its checks pass; otherwise not determined. */
            int w = sk__angles_wide(r, sig, k, kp, t, G, ldg, cols, lw, sines);
            if (w != SK__WIDE_NA) { info = w; goto done; }
            if ((mexp > 0 && sk__unresolved(kw, al, kp, lw)) || sk__inaccurate(kw, al, kp, lw, mexp)) {
                info = SK_ESINGULAR;
                goto done;
            }
        }
        /* α descending -> sin = 1/hypot(1, α) ascending; hypot avoids 1 + α² overflow. */
        for (int i = 0; i < kw; i++) sines[i] = sk__sine_of_scaled(al[i], mexp);
        info = 0;
        goto done;
    }

    /* Edge case (§1.2): rank(W2) = ρ = nt < l.  Split range(W) with the null
     * space N of W2 (l×d) and its complement C (l×ρ): W·N = [W1N; 0] lies in
     * span(E_k) (zero angles), and the rest is W·C projected off W1N, on which
     * the generic formula applies: M = Q1cᵀ(W1C)·(W2C)⁻¹ with W2C = Rᵀ. */
    if (rho == 0) {
        /* W = [W1; 0]: range(W) lies in span(E_k), zero angles for its
         * min(kp, lw) dimensions, if W1 has that rank. */
        int fr = sk__exact_full_rank(kp, lw, W1, kp);
        if (fr < 0) { info = SK_ENOMEM; goto done; }
        if (fr == 0) { info = SK_ESINGULAR; goto done; }
        for (int i = 0; i < kw; i++) sines[i] = 0.0;
        info = 0;
        goto done;
    }
    /* W2ᵀ (lw×ρ) = Q R; Q (lw×lw) full: C = Q(:,0:ρ), N = Q(:,ρ:lw). */
    for (int i = 0; i < rho; i++) {
        double sc = exp(t * sk__logratio(sig[k + i], ref));
        for (int j = 0; j < lw; j++) Q[(size_t)i * lw + j] = sc * SK__G(k + i, j);
    }
    if ((info = sk_dgeqrf(lw, rho, Q, lw, tau)) != 0) goto done;
    double *R = W2; /* ρ×ρ upper triangle, ld = rho */
    for (int j = 0; j < rho; j++)
        for (int i = 0; i < rho; i++) R[(size_t)j * rho + i] = i <= j ? Q[(size_t)j * lw + i] : 0.0;
    /* An exactly singular R: W2's rows exactly dependent, W2C not invertible. */
    for (int i = 0; i < rho; i++)
        if (R[(size_t)i * rho + i] == 0.0) { info = SK_ESINGULAR; goto done; }
    if ((info = sk_dorgqr(lw, lw, rho, Q, lw, tau)) != 0) goto done;
    {
        double *WQ = sk__alloc_doubles(kp, lw), *tau1 = sk__alloc_doubles(SK__MAX(d, 1), 1);
        if (!WQ || !tau1) { SK_FREE(WQ); SK_FREE(tau1); info = SK_ENOMEM; goto done; }
        /* WQ = W1·[C N]: columns 0..ρ-1 are W1C, ρ..lw-1 are W1N. */
        info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, kp, lw, lw, 1.0, W1, kp, Q, lw, 0.0, WQ, kp);
        double *W1N = WQ + (size_t)rho * kp;
        /* W·N = [W1N; 0] is range(W) ∩ span(E_k): zero angles for its
         * dimension, which is d only if W1N (kp×d) has rank min(kp, d) —
         * else W itself is exactly rank deficient (e.g. a rank-one G). */
        if (!info) {
            int fr = sk__exact_full_rank(kp, d, W1N, kp);
            if (fr < 0) info = SK_ENOMEM;
            else if (fr == 0) info = SK_ESINGULAR;
        }
        if (!info && d >= kp) {
            /* range(W) ⊇ span(E_kp). */
            for (int i = 0; i < kp; i++) sines[i] = 0.0;
            SK_FREE(WQ);
            SK_FREE(tau1);
            goto done;
        }
        const int kc = kp - d; /* rows of M; > ρ when lw < kp */
        const int na = SK__MIN(kc, rho);
        /* Q1 from W1N = Q1R1 (kp×d); rows d.. of Q1ᵀ(W1C) are Q1cᵀW1C. */
        if (!info && d > 0) info = sk_dgeqrf(kp, d, W1N, kp, tau1);
        if (!info && d > 0) info = sk_dormqr(SK_LEFT, SK_TRANS, kp, rho, d, W1N, kp, tau1, WQ, kp);
        double *M = WQ + d; /* kc×ρ block, ld = kp */
        /* M (W2C)⁻¹ = M R⁻ᵀ. */
        double *Mc = NULL; /* M before the solve, kept for a scaled redo */
        if (!info && !(Mc = sk__alloc_doubles(kc, rho))) info = SK_ENOMEM;
        if (!info)
            for (int j = 0; j < rho; j++) memcpy(Mc + (size_t)j * kc, M + (size_t)j * kp, (size_t)kc * sizeof *Mc);
        if (!info) info = sk_dtrsm(SK_RIGHT, SK_UPPER, SK_TRANS, SK_NONUNIT, kc, rho, 1.0, R, rho, M, kp);
        if (!info && !sk_all_finite(kc, rho, M, kp)) {
            int w = sk__angles_wide(r, sig, k, kp, t, G, ldg, cols, lw, sines);
            if (w != SK__WIDE_NA) {
                SK_FREE(Mc); SK_FREE(WQ); SK_FREE(tau1);
                info = w;
                goto done;
            }
            for (int j = 0; j < rho; j++) memcpy(M + (size_t)j * kp, Mc + (size_t)j * kc, (size_t)kc * sizeof *Mc);
            mexp = sk__trsm_right_scaled(kc, rho, R, rho, 1, M, kp);
        }
        SK_FREE(Mc);
        if (!info) info = sk__svals(kc, rho, M, kp, al);
        if (!info && (sk__unresolved(na, al, kc, rho) || sk__inaccurate(na, al, kc, rho, mexp))) {
            int w = sk__angles_wide(r, sig, k, kp, t, G, ldg, cols, lw, sines);
            if (w != SK__WIDE_NA) {
                SK_FREE(WQ); SK_FREE(tau1);
                info = w;
                goto done;
            }
            if ((mexp > 0 && sk__unresolved(na, al, kc, rho)) || sk__inaccurate(na, al, kc, rho, mexp))
                info = SK_ESINGULAR;
        }
        if (!info) {
            for (int i = 0; i < d; i++) sines[i] = 0.0;
            for (int i = 0; i < na; i++) sines[d + i] = sk__sine_of_scaled(al[i], mexp);
            for (int i = d + na; i < kp; i++) sines[i] = 1.0;
        }
        SK_FREE(WQ);
        SK_FREE(tau1);
    }
done:
    /* Backstop: a sine is never NaN; an exactly dependent sketch that the
     * checks above did not see (overflow inside the solve) is reported. */
    for (int i = 0; info == 0 && i < k; i++)
        if (!(sines[i] >= 0.0 && sines[i] <= 1.0)) info = SK_ESINGULAR;
    SK_FREE(cols);
    SK_FREE(W1); SK_FREE(W2); SK_FREE(Q); SK_FREE(tau); SK_FREE(al);
    return info;
}
#undef SK__G
#undef SK__FILL_W1

int sk_angles_mc(int r, const double *sig, int k, int l, int t, int ntrial, sk_rng_t *rng,
                 double *mean, double *lo, double *hi)
{
    if (r < 1) return -1;
    if (!sig) return -2;
    if (k < 1 || k > r) return SK_ERANK;
    if (l < k) return -4;
    if (t < 1) return -5;
    if (ntrial < 1) return -6;
    if (!rng) return -7;
    if (!mean) return -8;
    int bad = sk__spectrum_bad(r, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;

    double *G = sk__alloc_doubles(r, l), *sn = sk__alloc_doubles(k, 1);
    int info = SK_ENOMEM;
    if (!G || !sn) goto done;
    for (int i = 0; i < k; i++) mean[i] = 0.0;
    for (int tr = 0; tr < ntrial; tr++) {
        if ((info = sk_rng_normal_matrix(rng, r, l, G, r)) != 0) goto done;
        if ((info = sk_angles_exact(r, sig, k, l, t, G, r, sn)) != 0) goto done;
        for (int i = 0; i < k; i++) {
            mean[i] += sn[i];
            if (lo) lo[i] = tr == 0 ? sn[i] : SK__MIN(lo[i], sn[i]);
            if (hi) hi[i] = tr == 0 ? sn[i] : SK__MAX(hi[i], sn[i]);
        }
    }
    for (int i = 0; i < k; i++) mean[i] /= ntrial;
done:
    SK_FREE(G); SK_FREE(sn);
    return info;
}

int sk_spectrum_pad(int l, const double *sh, int r, double *out)
{
    if (l < 1) return -1;
    if (!sh) return -2;
    if (r < l) return -3;
    if (!out) return -4;
    for (int i = 0; i < l; i++) {
        if (!isfinite(sh[i])) return SK_ENONFINITE;
        if (sh[i] < 0.0) return -2;
    }
    memmove(out, sh, (size_t)l * sizeof *out);
    for (int i = l; i < r; i++) out[i] = sh[l - 1];
    return 0;
}
