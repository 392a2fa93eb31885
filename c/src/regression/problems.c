/*
 * problems.c — the recipes of the test problems T1–T4 of
 * specs/softmax_regression.md §10, drawn from our Philox stream (so they are
 * "T1-like": the same construction as softmax_ref.py:make_problem, but not
 * numpy's numbers; the exact T1–T4 come from `softmax_ref.py --dump`).
 */
#include <math.h>

#include "regression_internal.h"

/* b = e/Σe, e_i = −log u_i ~ Exp(1): a uniformly random probability vector. */
static int dirichlet(sk_rng_t *rng, int n, double *b)
{
    int st = sk_rng_uniform(rng, n, b);
    if (st) return st;
    double s = 0.0;
    for (int i = 0; i < n; i++) { b[i] = -log(b[i]); s += b[i]; }
    for (int i = 0; i < n; i++) b[i] /= s;
    return 0;
}

/* Smallest singular value of the n×d A (copied). */
static int sigma_min(int n, int d, const double *A, int lda, double *smin)
{
    double *C = sk__alloc_doubles((long long)n * d + d, 1);
    if (!C) return SK_ENOMEM;
    for (int j = 0; j < d; j++)
        for (int i = 0; i < n; i++) C[(size_t)j * n + i] = SK__AT(A, lda, i, j);
    int st = sk_dgesvd(n, d, C, n, C + (size_t)n * d, NULL, 1, NULL, 1);
    if (st == 0) *smin = C[(size_t)n * d + d - 1];
    SK_FREE(C);
    return st;
}

/* Q factor (m×k, in place, ld m) of the m×k Gaussian in M. */
static int orthonormalize(int m, int k, double *M)
{
    double *tau = sk__alloc_doubles(k, 1);
    if (!tau) return SK_ENOMEM;
    int st = sk_dgeqrf(m, k, M, m, tau);
    if (st == 0) st = sk_dorgqr(m, k, k, M, m, tau);
    SK_FREE(tau);
    return st;
}

static int make_t2(int n, int d, double coherence, sk_rng_t *rng, double *A, int lda, double *w)
{
    double *G = sk__alloc_doubles((long long)n * d + 2LL * d * d + d, 1);
    if (!G) return SK_ENOMEM;
    double *V = G + (size_t)n * d, *US = V + (size_t)d * d, *s = US + (size_t)d * d;
    (void)US;
    int st = sk_rng_normal_matrix(rng, n, d, G, n);
    if (st == 0) {
        for (int j = 0; j < d; j++)
            for (int i = 0; i < d; i++) G[(size_t)j * n + i] *= coherence;
        st = orthonormalize(n, d, G);
    }
    if (st == 0) st = sk_rng_normal_matrix(rng, d, d, V, d);
    if (st == 0) st = orthonormalize(d, d, V);
    if (st == 0) {
        for (int j = 0; j < d; j++) s[j] = d > 1 ? pow(10.0, -2.0 * j / (d - 1)) : 1.0;
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++) G[(size_t)j * n + i] *= s[j];
        /* A = (U diag(s)) Vᵀ */
        st = sk_dgemm(SK_NOTRANS, SK_TRANS, n, d, d, 1.0, G, n, V, d, 0.0, A, lda);
    }
    if (st == 0) {
        double l = 1e-4, sd = s[d - 1];
        st = sk_rng_uniform(rng, n, w);
        for (int i = 0; st == 0 && i < n; i++) w[i] = sqrt(100.0 + l / (sd * sd) + 100.0 * w[i]);
    }
    SK_FREE(G);
    return st;
}

int sk_regression_problem(int kind, int n, int d, double param, sk_rng_t *rng, double *A,
                          int lda, double *b, double *w, double *x0)
{
    if (kind < 1 || kind > 4) return -1;
    if (n < 1 || (kind != 4 && n < d)) return -2;
    if (d < 1) return -3;
    if (!isfinite(param)) return -4;
    if (!rng) return -5;
    if (!A) return -6;
    if (lda < n) return -7;
    if (!b) return -8;
    if (!w) return -9;
    if (!x0) return -10;
    int st = 0;
    if (kind == 2) {
        st = make_t2(n, d, param > 0.0 ? param : 300.0, rng, A, lda, w);
    } else {
        st = sk_rng_normal_matrix(rng, n, d, A, lda);
        double scale = kind == 1 ? 1.0 / sqrt((double)n) : (kind == 3 ? 5.0 : 3.0) / sqrt((double)d);
        for (int j = 0; st == 0 && j < d; j++)
            for (int i = 0; i < n; i++) SK__AT(A, lda, i, j) *= scale;
    }
    if (st) return st;
    if (kind == 4) {
        /* realizable b = softmax(A x_true), x_true ~ N(0, 9I/d); weak w; x0 = 0 */
        double *r = sk__alloc_doubles(n, 1);
        if (!r) return SK_ENOMEM;
        st = sk_rng_normal(rng, d, x0);
        for (int j = 0; j < d; j++) x0[j] *= 3.0 / sqrt((double)d);
        if (st == 0) {
            sk_dgemv(SK_NOTRANS, n, d, 1.0, A, lda, x0, 0.0, r);
            double zmax = r[0], s = 0.0;
            for (int i = 1; i < n; i++) zmax = SK__MAX(zmax, r[i]);
            for (int i = 0; i < n; i++) { b[i] = exp(r[i] - zmax); s += b[i]; }
            for (int i = 0; i < n; i++) { b[i] /= s; w[i] = param > 0.0 ? param : 1e-2; }
            for (int j = 0; j < d; j++) x0[j] = 0.0;
        }
        SK_FREE(r);
        return st;
    }
    st = dirichlet(rng, n, b);
    if (st) return st;
    if (kind == 1) {
        double smin = 0.0;
        st = sigma_min(n, d, A, lda, &smin);
        if (st == 0) st = sk_rng_uniform(rng, n, w);
        for (int i = 0; st == 0 && i < n; i++) w[i] = sqrt(100.0 + 1.0 / (smin * smin) + 50.0 * w[i]);
    } else if (kind == 3) {
        double w2 = param > 0.0 ? param : 1.5;
        for (int i = 0; i < n; i++) w[i] = sqrt(w2);
    }
    if (st) return st;
    st = sk_rng_normal(rng, d, x0);
    if (kind != 3) for (int j = 0; j < d; j++) x0[j] /= sqrt((double)d);
    return st;
}
