/* gallery.c — seeded test matrices for the pivoting methods (lowrank.h). */
#include <math.h>
#include <string.h>

#include "internal.h"

/* Q (m×k) Haar-distributed: QR of a Gaussian matrix, columns scaled by sign(R_ii). */
static int sk__haar(int m, int k, sk_rng_t *rng, double *Q)
{
    double *tau = sk__alloc_doubles(k, 1), *d = sk__alloc_doubles(k, 1);
    int info = SK_ENOMEM;
    if (!tau || !d) goto done;
    if ((info = sk_rng_normal_matrix(rng, m, k, Q, m)) != 0) goto done;
    if ((info = sk_dgeqrf(m, k, Q, m, tau)) != 0) goto done;
    for (int j = 0; j < k; j++) d[j] = Q[(size_t)j * m + j] < 0.0 ? -1.0 : 1.0;
    if ((info = sk_dorgqr(m, k, k, Q, m, tau)) != 0) goto done;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < m; i++) Q[(size_t)j * m + i] *= d[j];
done:
    SK_FREE(tau);
    SK_FREE(d);
    return info;
}

int sk_gallery_spectrum(int m, int n, const double *s, sk_rng_t *rng, double *A, int lda)
{
    if (m < 0) return -1;
    if (n < 0) return -2;
    int k = SK__MIN(m, n);
    if (!s && k > 0) return -3;
    if (!rng) return -4;
    if (!A && m > 0 && n > 0) return -5;
    if (lda < SK__MAX(1, m)) return -6;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) A[(size_t)j * lda + i] = 0.0;
    if (k == 0) return 0;
    double *U = sk__alloc_doubles(m, k), *V = sk__alloc_doubles(n, k);
    int info = SK_ENOMEM;
    if (!U || !V) goto done;
    if ((info = sk__haar(m, k, rng, U)) != 0 || (info = sk__haar(n, k, rng, V)) != 0) goto done;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < m; i++) U[(size_t)j * m + i] *= s[j];
    info = sk_dgemm(SK_NOTRANS, SK_TRANS, m, n, k, 1.0, U, m, V, n, 0.0, A, lda);
done:
    SK_FREE(U);
    SK_FREE(V);
    return info;
}

int sk_gallery_gmm(int d, int npts, int clusters, double sigma, sk_rng_t *rng, double *A, int lda)
{
    if (d < 0) return -1;
    if (npts < 0) return -2;
    if (clusters < 1 || clusters > d || npts % clusters != 0) return -3;
    if (!(sigma >= 0.0) || !isfinite(sigma)) return -4;
    if (!rng) return -5;
    if (!A && d > 0 && npts > 0) return -6;
    if (lda < SK__MAX(1, d)) return -7;
    int info = sk_rng_normal_matrix(rng, d, npts, A, lda);
    if (info) return info;
    int per = npts / clusters;
    for (int j = 0; j < npts; j++) {
        double *col = A + (size_t)j * lda;
        for (int i = 0; i < d; i++) col[i] *= sigma;
        int c = j / per; /* 0-based cluster; its centre is 10·(c+1)·e_c */
        col[c] += 10.0 * (c + 1);
    }
    return 0;
}

int sk_gallery_kahan(int n, double zeta, double *A, int lda)
{
    if (n < 0) return -1;
    if (!(zeta > 0.0 && zeta < 1.0)) return -2;
    if (!A && n > 0) return -3;
    if (lda < SK__MAX(1, n)) return -4;
    double phi = sqrt(1.0 - zeta * zeta), scale = 1.0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            A[(size_t)j * lda + i] = j < i ? 0.0 : (j == i ? scale : -phi * scale);
        scale *= zeta;
    }
    return 0;
}
