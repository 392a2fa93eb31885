/*
 * formulas.c — loss, gradient and exact Hessian of regularized softmax
 * regression (specs/softmax_regression.md §2–§4, the corrected formulas).
 */
#include <math.h>

#include "regression_internal.h"

void sk__reg_point(int n, int d, const double *A, int lda, const double *b, const double *w,
                   const double *x, double *z, double *f, double *hv, double *r, double *g,
                   double *loss, double *kappa, double *gamma)
{
    sk_dgemv(SK_NOTRANS, n, d, 1.0, A, lda, x, 0.0, z);
    /* softmax by max shift: exp never sees a positive argument, so no overflow. */
    double zmax = z[0];
    for (int i = 1; i < n; i++) if (z[i] > zmax) zmax = z[i];
    double sum = 0.0;
    for (int i = 0; i < n; i++) { f[i] = exp(z[i] - zmax); sum += f[i]; }
    double kap = 0.0, gam = 0.0, cc = 0.0, reg = 0.0;
    for (int i = 0; i < n; i++) {
        f[i] /= sum;
        double c = f[i] - b[i];
        kap += c * f[i];
        gam += (3.0 * f[i] - 2.0 * b[i]) * f[i];
        cc += c * c;
        double wz = w[i] * z[i];  /* not w²·z: w² underflows for |w| < 2^-511 (see sk__reg_point) */
        reg += wz * wz;
        if (hv) hv[i] = (2.0 * f[i] - b[i]) * f[i];
    }
    if (r) for (int i = 0; i < n; i++) r[i] = f[i] * (f[i] - b[i]) - kap * f[i] + w[i] * (w[i] * z[i]);
    if (g) sk_dgemv(SK_TRANS, n, d, 1.0, A, lda, r, 0.0, g);
    *loss = 0.5 * cc + 0.5 * reg;
    if (kappa) *kappa = kap;
    if (gamma) *gamma = gam;
}

double sk__reg_loss_z(int n, const double *z, const double *b, const double *w, double *f)
{
    double zmax = z[0];
    for (int i = 1; i < n; i++) if (z[i] > zmax) zmax = z[i];
    double sum = 0.0;
    for (int i = 0; i < n; i++) { f[i] = exp(z[i] - zmax); sum += f[i]; }
    double cc = 0.0, reg = 0.0;
    for (int i = 0; i < n; i++) {
        double c = f[i] / sum - b[i];
        cc += c * c;
        double wz = w[i] * z[i];
        reg += wz * wz;
    }
    return 0.5 * cc + 0.5 * reg;
}

int sk__reg_atda(int n, int d, const double *A, int lda, const double *D, double *work,
                 double *scale, double *H, int ldh)
{
    int npos = 0, nneg = 0;
    for (int i = 0; i < n; i++) {
        if (D[i] > 0.0) scale[npos + nneg] = sqrt(D[i]), npos++;
        else if (D[i] < 0.0) scale[npos + nneg] = sqrt(-D[i]), nneg++;
    }
    double *P = work, *N = work + (size_t)npos * (size_t)d;
    /* Column by column (A is column-major: a row-wise copy would stride by lda
       and miss the cache on every entry for large n); scale[k] is √|D| of the
       k-th nonzero row in order, so one counter k walks it for both parts. */
    for (int j = 0; j < d; j++) {
        const double *a = A + (size_t)j * (size_t)lda;
        double *pj = P + (size_t)j * npos, *nj = N + (size_t)j * nneg;
        int ip = 0, in = 0, k = 0;
        for (int i = 0; i < n; i++) {
            double s = D[i];
            if (s > 0.0) pj[ip++] = scale[k++] * a[i];
            else if (s < 0.0) nj[in++] = scale[k++] * a[i];
        }
    }
    int st = sk_dsyrk(SK_LOWER, SK_TRANS, d, npos, 1.0, P, SK__MAX(1, npos), 0.0, H, ldh);
    if (st == 0 && nneg > 0)
        st = sk_dsyrk(SK_LOWER, SK_TRANS, d, nneg, -1.0, N, nneg, 1.0, H, ldh);
    return st;
}

void sk__reg_add_rank2(int d, double gamma, const double *u, const double *v, double *H, int ldh)
{
    for (int j = 0; j < d; j++)
        for (int i = j; i < d; i++)
            SK__AT(H, ldh, i, j) += gamma * u[i] * u[j] - u[i] * v[j] - v[i] * u[j];
}

void sk__reg_symmetrize(int d, double *H, int ldh)
{
    for (int j = 0; j < d; j++)
        for (int i = j + 1; i < d; i++) SK__AT(H, ldh, j, i) = SK__AT(H, ldh, i, j);
}

int sk__reg_chol_solve(int d, const double *C, int ldc, double *y)
{
    int st = sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_NONUNIT, d, 1, 1.0, C, ldc, y, d);
    if (st == 0) st = sk_dtrsm(SK_LEFT, SK_LOWER, SK_TRANS, SK_NONUNIT, d, 1, 1.0, C, ldc, y, d);
    return st;
}

/* Shared argument checks of the public entry points: -i for argument i. */
static int check_problem(int n, int d, const double *A, int lda, const double *b, const double *w)
{
    if (n < 1) return -1;
    if (d < 1) return -2;
    if (!A) return -3;
    if (lda < n) return -4;
    if (!b) return -5;
    if (!w) return -6;
    if (!sk_all_finite(n, d, A, lda) || !sk_all_finite(n, 1, b, n) || !sk_all_finite(n, 1, w, n))
        return SK_ENONFINITE;
    return 0;
}

int sk_regression_eval(int n, int d, const double *A, int lda, const double *b,
                       const double *w, const double *x, double *loss, double *g,
                       double *H, int ldh)
{
    int st = check_problem(n, d, A, lda, b, w);
    if (st) return st;
    if (!x) return -7;
    if (H && ldh < d) return -11;
    if (!sk_all_finite(d, 1, x, d)) return SK_ENONFINITE;
    double *buf = sk__alloc_doubles(6LL * n + (H ? (long long)n * d : 0) + 2LL * d, 1);
    if (!buf) return SK_ENOMEM;
    double *w2 = buf, *z = w2 + n, *f = z + n, *hv = f + n, *r = hv + n, *sc = r + n, *u = sc + n, *v = u + d;
    double *work = v + d;
    for (int i = 0; i < n; i++) w2[i] = w[i] * w[i];
    double L, kap, gam;
    sk__reg_point(n, d, A, lda, b, w, x, z, f, hv, r, g, &L, &kap, &gam);
    if (loss) *loss = L;
    if (H) {
        /* D = B_diag + W² = h − κ f + w²; then the rank-2 part from u = Aᵀf, v = Aᵀh. */
        for (int i = 0; i < n; i++) r[i] = hv[i] - kap * f[i] + w2[i];
        st = sk__reg_atda(n, d, A, lda, r, work, sc, H, ldh);
        if (st == 0) {
            sk_dgemv(SK_TRANS, n, d, 1.0, A, lda, f, 0.0, u);
            sk_dgemv(SK_TRANS, n, d, 1.0, A, lda, hv, 0.0, v);
            sk__reg_add_rank2(d, gam, u, v, H, ldh);
            sk__reg_symmetrize(d, H, ldh);
        }
    }
    /* Finite inputs whose loss, gradient or Hessian exceeds the double range
     * (e.g. ‖w∘Ax‖² or |AᵀDA| beyond 2^1024): SK_EINVAL, never Inf/NaN with status 0. */
    if (st == 0 && (!isfinite(L) || (g && !sk_all_finite(d, 1, g, d)) || (H && !sk_all_finite(d, d, H, ldh))))
        st = SK_EINVAL;
    SK_FREE(buf);
    return st;
}

int sk_regression_regime(int n, int d, const double *A, int lda, const double *b,
                         const double *w, double *info)
{
    int st = check_problem(n, d, A, lda, b, w);
    if (st) return st;
    if (n < d) return -1;
    if (!info) return -7;
    double *C = sk__alloc_doubles((long long)n * d + d, 1);
    if (!C) return SK_ENOMEM;
    double *s = C + (size_t)n * d;
    for (int j = 0; j < d; j++)
        for (int i = 0; i < n; i++) C[(size_t)j * n + i] = SK__AT(A, lda, i, j);
    st = sk_dgesvd(n, d, C, n, s, NULL, 1, NULL, 1);
    if (st == 0) {
        double wmin = INFINITY, b1 = 0.0;
        for (int i = 0; i < n; i++) { wmin = SK__MIN(wmin, w[i] * w[i]); b1 += fabs(b[i]); }
        double smin = s[d - 1];
        /* ±Inf when |λ| is beyond the double range (documented); never 0·Inf = NaN. */
        double lmax = wmin == 100.0 ? 0.0 : (wmin - 100.0) * smin * smin;
        info[0] = smin;
        info[1] = s[0];
        info[2] = wmin;
        info[3] = lmax;
        info[4] = b1;
        info[5] = (lmax > 0.0 && b1 <= 1.0 + 1e-12) ? 1.0 : 0.0;
    }
    SK_FREE(C);
    return st;
}
