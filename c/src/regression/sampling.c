/*
 * sampling.c — leverage scores (exact and sketched) and SUBSAMPLE, the
 * diagonal row sampling of specs/softmax_regression.md §8.
 */
#include <math.h>

#include "regression_internal.h"

/* M = 2^-e·diag(√D)·A into fresh n×d storage (ld n). Leverage scores are
 * invariant under a scalar scale, so the exact powers of two 2^-ea (A's largest
 * entry) and 2^-es (√D's) put M's largest entry near 1 at any scale of A and D:
 * √D·A can neither overflow (entries up to 2^1024 times √D up to 2^512) nor
 * underflow into the sketch's Gaussian products (issue 9). */
static double *scaled_copy(int n, int d, const double *A, int lda, const double *D)
{
    double *M = sk__alloc_doubles((long long)n, d);
    if (!M) return NULL;
    double amax = 0.0, smax = 0.0;
    for (int j = 0; j < d; j++)
        for (int i = 0; i < n; i++) amax = fmax(amax, fabs(SK__AT(A, lda, i, j)));
    for (int i = 0; i < n; i++) smax = fmax(smax, D ? sqrt(D[i]) : 1.0);
    int ea = 0, es = 0;
    if (amax > 0.0) (void)frexp(amax, &ea);
    if (smax > 0.0) (void)frexp(smax, &es);
    for (int i = 0; i < n; i++) {
        double s = ldexp(D ? sqrt(D[i]) : 1.0, -es);
        for (int j = 0; j < d; j++) M[(size_t)j * n + i] = s * ldexp(SK__AT(A, lda, i, j), -ea);
    }
    return M;
}

static int r_has_zero(int d, const double *R, int ldr)
{
    for (int j = 0; j < d; j++) if (SK__AT(R, ldr, j, j) == 0.0) return 1;
    return 0;
}

/* σ_i = ||Q(i,:)||² with M = QR (Householder; the same QR as sk_dgeqrf users). */
static int leverage_exact(int n, int d, double *M, double *sigma)
{
    double *tau = sk__alloc_doubles(d, 1);
    if (!tau) return SK_ENOMEM;
    int st = sk_dgeqrf(n, d, M, n, tau);
    if (st == 0 && r_has_zero(d, M, n)) st = SK_ESINGULAR;
    if (st == 0) st = sk_dorgqr(n, d, d, M, n, tau);
    if (st == 0) {
        for (int i = 0; i < n; i++) sigma[i] = 0.0;
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++) sigma[i] += M[(size_t)j * n + i] * M[(size_t)j * n + i];
    }
    SK_FREE(tau);
    return st;
}

/*
 * Sketched scores (Drineas et al. 2012; softmax_ref.py:leverage_scores_sketch):
 * R from QR(S·M), S a CountSketch with m = min(n, 4d²) rows; then
 * σ̃_i = ||(M R⁻¹ G)(i,:)||², G a d×k Gaussian/√k with k = max(8, ceil(4 ln n)).
 */
static int leverage_sketch(int n, int d, const double *M, sk_rng_t *rng, double *sigma)
{
    long long mm = 4LL * d * d;
    int m = (int)SK__MIN((long long)n, mm);
    int k = (int)ceil(4.0 * log((double)n));
    if (k < 8) k = 8;
    double *SM = sk__alloc_doubles((long long)m * d + d + (long long)d * k + (long long)n * k + 2LL * n, 1);
    if (!SM) return SK_ENOMEM;
    double *tau = SM + (size_t)m * d, *G = tau + d, *Z = G + (size_t)d * k, *u = Z + (size_t)n * k;
    for (size_t t = 0; t < (size_t)m * d; t++) SM[t] = 0.0;
    int st = sk_rng_uniform(rng, 2 * n, u);
    for (int i = 0; st == 0 && i < n; i++) {
        int row = (int)(u[2 * i] * m);
        if (row >= m) row = m - 1;
        double sign = u[2 * i + 1] < 0.5 ? -1.0 : 1.0;
        for (int j = 0; j < d; j++) SM[(size_t)j * m + row] += sign * M[(size_t)j * n + i];
    }
    if (st == 0) st = sk_dgeqrf(m, d, SM, m, tau);
    if (st == 0 && r_has_zero(d, SM, m)) st = SK_ESINGULAR;
    if (st == 0) st = sk_rng_normal(rng, d * k, G);
    if (st == 0) {
        double sc = 1.0 / sqrt((double)k);
        for (int t = 0; t < d * k; t++) G[t] *= sc;
        st = sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, d, k, 1.0, SM, m, G, d);
    }
    if (st == 0) st = sk_dgemm(SK_NOTRANS, SK_NOTRANS, n, k, d, 1.0, M, n, G, d, 0.0, Z, n);
    if (st == 0) {
        for (int i = 0; i < n; i++) sigma[i] = 0.0;
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++) sigma[i] += Z[(size_t)j * n + i] * Z[(size_t)j * n + i];
        if (!sk_all_finite(n, 1, sigma, n)) st = SK_ESINGULAR;
    }
    SK_FREE(SM);
    return st;
}

int sk__reg_leverage(int kind, int n, int d, const double *A, int lda, const double *D,
                     sk_rng_t *rng, double *sigma)
{
    if (kind == SK_LEVERAGE_UNIFORM) {
        for (int i = 0; i < n; i++) sigma[i] = (double)d / n;
        return 0;
    }
    double *M = scaled_copy(n, d, A, lda, D);
    if (!M) return SK_ENOMEM;
    int st = kind == SK_LEVERAGE_EXACT ? leverage_exact(n, d, M, sigma)
                                       : leverage_sketch(n, d, M, rng, sigma);
    SK_FREE(M);
    return st;
}

int sk_regression_leverage(int kind, int n, int d, const double *A, int lda,
                           const double *D, sk_rng_t *rng, double *sigma)
{
    if (kind < SK_LEVERAGE_EXACT || kind > SK_LEVERAGE_UNIFORM) return -1;
    if (n < 1 || n < d) return -2;
    if (d < 1) return -3;
    if (!A) return -4;
    if (lda < n) return -5;
    if (kind == SK_LEVERAGE_SKETCH && !rng) return -7;
    if (!sigma) return -8;
    if (!sk_all_finite(n, d, A, lda)) return SK_ENONFINITE;
    if (D) {
        if (!sk_all_finite(n, 1, D, n)) return SK_ENONFINITE;
        for (int i = 0; i < n; i++) if (D[i] < 0.0) return -6;
    }
    return sk__reg_leverage(kind, n, d, A, lda, D, rng, sigma);
}

int sk_regression_draws(int d, double eps, double delta, double oversample)
{
    if (d < 1) return -1;
    if (!(eps > 0.0 && eps < 1.0)) return -2;
    if (!(delta > 0.0 && delta < 1.0)) return -3;
    if (!(oversample <= 0.0 || isfinite(oversample))) return -4;
    double C = oversample > 0.0 ? oversample : 1.0;
    double s = ceil(C * d * log(d / delta) / (eps * eps));
    if (!(s <= 1073741824.0)) return -4;
    return s < 1.0 ? 1 : (int)s;
}

int sk__reg_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                      double *cdf, double *dtilde, int *rows)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) { total += p[i]; cdf[i] = total; dtilde[i] = 0.0; }
    double u[64];
    for (int done = 0; done < s;) {
        int batch = SK__MIN(64, s - done);
        int st = sk_rng_uniform(rng, batch, u);
        if (st) return st;
        for (int t = 0; t < batch; t++) {
            double target = u[t] * total;
            int lo = 0, hi = n - 1;           /* first i with cdf[i] > target */
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (cdf[mid] > target) hi = mid; else lo = mid + 1;
            }
            while (lo > 0 && p[lo] == 0.0) lo--;   /* never land on a zero-probability row */
            dtilde[lo] += D[lo] * total / ((double)s * p[lo]);
        }
        done += batch;
    }
    if (rows) {
        int r = 0;
        for (int i = 0; i < n; i++) r += dtilde[i] > 0.0;
        *rows = r;
    }
    return 0;
}

int sk_regression_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                            double *dtilde, int *rows)
{
    if (n < 1) return -1;
    if (!D) return -2;
    if (!p) return -3;
    if (s < 1) return -4;
    if (!rng) return -5;
    if (!dtilde) return -6;
    if (!sk_all_finite(n, 1, D, n) || !sk_all_finite(n, 1, p, n)) return SK_ENONFINITE;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        if (p[i] < 0.0) return -3;
        if (D[i] <= 0.0) return SK_EINVAL;
        total += p[i];
    }
    if (!(total > 0.0 && isfinite(total))) return -3;
    double *cdf = sk__alloc_doubles(n, 1);
    if (!cdf) return SK_ENOMEM;
    int st = sk__reg_subsample(n, D, p, s, rng, cdf, dtilde, rows);
    SK_FREE(cdf);
    return st;
}
