/*
 * kernels.c — kernel matrices from point clouds (Gaussian, Laplace), their
 * column oracle, and the "smile" and "robspiral" point clouds of the
 * RPCholesky gallery (rpchol.h; specs/pivoting.md §2.4).
 *
 * Everything here uses only correctly rounded IEEE operations plus the
 * library's own sin/cos (mathfn.h) and the exp below, so points and kernel
 * values are bit-identical natively and in WebAssembly (glibc and musl exp
 * differ in the last bit, which could change a sampled pivot).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "mathfn.h"

/*
 * exp(x) for x <= 709 (kernel arguments are <= 0; robspiral needs e^{12.8}),
 * deterministic. x = k·ln2 + r with the
 * Cody–Waite split ln2 = LN2_HI + LN2_LO (LN2_HI has 11 trailing zero bits, so
 * k·LN2_HI is exact for |k| < 2^11), |r| <= ln2/2; e^r by its Taylor
 * polynomial of degree 13 (truncation < 4e-18 relative), then · 2^k built
 * from the exponent bits. Within 2 ulp of exp in the normal range; results
 * below 2^-1022·2^-52 flush to 0, which no kernel value cares about.
 */
static double sk__exp_det(double x)
{
    if (x != x) return x;              /* NaN propagates */
    if (x > 709.0) return HUGE_VAL;    /* not reached here */
    if (x < -745.0) return 0.0;
    const double LN2_HI = 6.93147180369123816490e-01; /* 0x3fe62e42fee00000 */
    const double LN2_LO = 1.90821492927058770002e-10;
    const double INV_LN2 = 1.44269504088896338700e+00;
    double kd = x * INV_LN2;
    int k = (int)(kd < 0.0 ? kd - 0.5 : kd + 0.5); /* round to nearest */
    double r = (x - k * LN2_HI) - k * LN2_LO;
    /* Horner, highest degree first: Σ r^j / j!, j = 0..13. */
    static const double inv_fact[14] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
        1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
        1.0 / 6227020800.0
    };
    double p = inv_fact[13];
    for (int j = 12; j >= 0; j--) p = p * r + inv_fact[j];
    /* 2^k in two exact factors, so that subnormal results are formed by one
     * (correctly rounded) multiplication. */
    int k1 = k < -1000 ? -1000 : k;
    int k2 = k - k1;
    union { double d; uint64_t u; } s1, s2;
    s1.u = (uint64_t)(k1 + 1023) << 52;
    s2.u = (uint64_t)(k2 + 1023) << 52;
    return (p * s1.d) * s2.d;
}

static int sk__kernel_check(const sk_kernel_t *kern)
{
    if (!kern) return -1;
    if (kern->type != SK_KERNEL_GAUSSIAN && kern->type != SK_KERNEL_LAPLACE) return -1;
    if (!(kern->bandwidth > 0.0) || !isfinite(kern->bandwidth)) return -1;
    if (kern->dim < 1 || kern->npts < 0) return -1;
    if (kern->ldx < kern->dim) return -1;
    if (!kern->X && kern->npts > 0) return -1;
    return 0;
}

/* κ(x_i, x_j) for two points (columns) of the spec. */
static double sk__kappa(const sk_kernel_t *kern, const double *xi, const double *xj)
{
    const int d = kern->dim;
    const double h = kern->bandwidth;
    double s = 0.0;
    if (kern->type == SK_KERNEL_GAUSSIAN) {
        for (int t = 0; t < d; t++) {
            double e = xi[t] - xj[t];
            s += e * e;
        }
        const double h2 = 2.0 * h * h;
        if (h2 >= DBL_MIN && h2 <= DBL_MAX && s <= DBL_MAX) return sk__exp_det(-s / h2);
        /* 2h² or ||x−y||² is not representable (h below ~1e-154 or above
         * ~1e154, or points ~1e154 apart): 0/0 or ∞/∞ would give NaN (K(i,i)
         * of gallery('smile', { bandwidth: 1e-300 })). Scale each coordinate
         * difference by h first: (e/h)² is +0 or +∞ where it is not
         * representable, which is the right limit (κ = 1 or 0), never NaN.
         * Only this range takes the slower path, so ordinary bandwidths keep
         * their bit-exact values. */
        s = 0.0;
        for (int t = 0; t < d; t++) {
            double u = (xi[t] - xj[t]) / h;
            s += u * u;
        }
        return sk__exp_det(-0.5 * s);
    }
    for (int t = 0; t < d; t++) s += fabs(xi[t] - xj[t]);
    return sk__exp_det(-s / h);
}

int sk_kernel_cols(const sk_kernel_t *kern, int ncols, const int *idx, double *out, int ldout)
{
    if (sk__kernel_check(kern)) return -1;
    const int n = kern->npts;
    if (ncols < 0) return -2;
    if (!idx && ncols > 0) return -3;
    for (int c = 0; c < ncols; c++)
        if (idx[c] < 0 || idx[c] >= n) return -3;
    if (!out && ncols > 0 && n > 0) return -4;
    if (ldout < SK__MAX(1, n)) return -5;
    if (ncols > 0 && !sk_all_finite(kern->dim, n, kern->X, kern->ldx)) return SK_ENONFINITE;
    for (int c = 0; c < ncols; c++) {
        const double *xj = kern->X + (size_t)idx[c] * kern->ldx;
        double *o = out + (size_t)c * ldout;
        for (int i = 0; i < n; i++) o[i] = sk__kappa(kern, kern->X + (size_t)i * kern->ldx, xj);
    }
    return 0;
}

int sk_kernel_matrix(const sk_kernel_t *kern, double *K, int ldk)
{
    if (sk__kernel_check(kern)) return -1;
    const int n = kern->npts;
    if (!K && n > 0) return -2;
    if (ldk < SK__MAX(1, n)) return -3;
    if (!sk_all_finite(kern->dim, n, kern->X, kern->ldx)) return SK_ENONFINITE;
    for (int j = 0; j < n; j++) {
        const double *xj = kern->X + (size_t)j * kern->ldx;
        for (int i = j; i < n; i++) {
            /* Argument order (x_i, x_j) as in sk_kernel_cols' column j, so the
             * two entry points agree bit for bit (the sums are symmetric in
             * exact terms, and here also in rounding since |a−b| = |b−a|). */
            double v = sk__kappa(kern, kern->X + (size_t)i * kern->ldx, xj);
            K[(size_t)j * ldk + i] = v;
            K[(size_t)i * ldk + j] = v;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Point clouds                                                               */
/* ------------------------------------------------------------------------- */

/* numpy.linspace(a, b, num)[i]: a + i·step with the last point exactly b. */
static double sk__linspace(double a, double b, int num, int i)
{
    if (num == 1) return a;
    if (i == num - 1) return b;
    return i * ((b - a) / (num - 1)) + a;
}

/* ⌈√n⌉ in integers (no libm rounding question at perfect squares). */
static int sk__ceil_sqrt(int n)
{
    int r = (int)sqrt((double)n);
    while ((long long)r * r > n) r--;
    while ((long long)r * r < n) r++;
    return r;
}

int sk_gallery_smile(int npts, sk_rng_t *rng, double *X, int ldx)
{
    if (npts < 0) return -1;
    const int eye = sk__ceil_sqrt(npts), mouth = (npts + 9) / 10;
    const int face = npts - 2 * eye - mouth;
    if (npts > 0 && face < 0) return -1;
    if (!rng) return -2;
    if (!X && npts > 0) return -3;
    if (ldx < 2) return -4;
    if (npts == 0) return 0;
    int idx = 0;
    /* Eyes: rejection sampling from [−1,1]², two uniforms per trial (one
     * Philox block), as the reference's pair of np.random.rand() calls. */
    for (int side = 0; side < 2; side++) {
        const double shift = side == 0 ? -4.0 : 4.0;
        for (int i = 0; i < eye; i++) {
            /* A trial is accepted with probability π/4; 1000 rejections in a
             * row (probability 0.215^1000) would mean a broken generator, and
             * the loop must not depend on random values for its end. */
            int trial = 0;
            for (; trial < 1000; trial++) {
                double u[2];
                int info = sk_rng_uniform(rng, 2, u);
                if (info) return info;
                double x = 2.0 * u[0] - 1.0, y = 2.0 * u[1] - 1.0;
                if (x * x + y * y <= 1.0) {
                    X[(size_t)idx * ldx] = x + shift;
                    X[(size_t)idx * ldx + 1] = y + 4.0;
                    idx++;
                    break;
                }
            }
            if (trial == 1000) return SK_ENOCONV;
        }
    }
    for (int i = 0; i < mouth; i++, idx++) {
        double x = sk__linspace(-5.0, 5.0, mouth, i);
        X[(size_t)idx * ldx] = x;
        X[(size_t)idx * ldx + 1] = x * x / 16.0 - 5.0;
    }
    /* Face: θ = 2π·i/(face−1); the turn fraction i/(face−1) is what our
     * sin/cos take, which keeps the reduction exact. */
    for (int i = 0; i < face; i++, idx++) {
        double s, c;
        sk__sincos_2pi(sk__linspace(0.0, 1.0, face, i), &s, &c);
        X[(size_t)idx * ldx] = 10.0 * c;
        X[(size_t)idx * ldx + 1] = 10.0 * s;
    }
    return 0;
}

int sk_gallery_robspiral(int npts, double *X, int ldx)
{
    if (npts < 0) return -1;
    if (!X && npts > 0) return -2;
    if (ldx < 2) return -3;
    const double two_pi = 6.283185307179586476925286766559;
    for (int j = 0; j < npts; j++) {
        double s = sk__linspace(0.0, 2.0, npts, npts - 1 - j); /* reversed */
        double s3 = s * s * s, t = s3 * s3;
        /* cos t, sin t through the turn fraction frac(t/2π): t <= 64, so the
         * relative rounding of t/2π moves the angle by at most ~1e-14. */
        double u = t / two_pi;
        u -= floor(u);
        double sn, cs;
        sk__sincos_2pi(u, &sn, &cs);
        double r = sk__exp_det(0.2 * t);
        X[(size_t)j * ldx] = r * cs;
        X[(size_t)j * ldx + 1] = r * sn;
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* RPCholesky on a kernel spec (the callback-free entry point)               */
/* ------------------------------------------------------------------------- */

static int sk__kernel_oracle(void *ctx, int ncols, const int *idx, double *out, int ldout)
{
    return sk_kernel_cols((const sk_kernel_t *)ctx, ncols, idx, out, ldout);
}

int sk_rpchol_kernel(const sk_kernel_t *kern, const sk_rpchol_opts_t *opts, sk_rng_t *rng,
                     int *S, double *F, int ldf, int *rank, double *res_trace,
                     double *trace_A, sk_id_trace_t *trace)
{
    if (sk__kernel_check(kern)) return -1;
    const int n = kern->npts;
    if (!sk_all_finite(kern->dim, n, kern->X, kern->ldx)) return SK_ENONFINITE;
    double *diag = sk__alloc_doubles(n, 1);
    if (!diag) return SK_ENOMEM;
    for (int i = 0; i < n; i++) diag[i] = 1.0; /* κ(x, x) = exp(0) = 1 for both kernels */
    int info = sk_rpchol_oracle(n, sk__kernel_oracle, (void *)kern, diag, opts, rng, S, F, ldf,
                                rank, res_trace, trace_A, trace);
    SK_FREE(diag);
    /* Map the oracle's argument positions (opts = 5, ...) to this prototype's
     * (opts = 2, ...): three fewer leading arguments. */
    if (info <= -5) info += 3;
    return info;
}
