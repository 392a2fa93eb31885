/*
 * gemv.c — sk_dgemv (linalg.h): y := alpha op(A) x + beta y.
 *
 * Both cases are bound by the one pass over A, so the aim is to stream A once
 * with unit stride and keep y (NOTRANS) or x (TRANS) in L1:
 *   NOTRANS  y += A(:, j:j+3)·(alpha x(j:j+3)), added four columns at a time,
 *            two such groups per sweep over a row block of y (an eighth of
 *            the y traffic of plain axpys; n = 1e5, d = 64: 4.7 -> 3.6 ms);
 *   TRANS    four dot products A(:, j:j+3)ᵀx at once in two-lane accumulators
 *            (the compiler cannot vectorize a reduction without reassociating,
 *            which -ffp-contract=off builds do not allow, so it is written
 *            with the kernels.h vectors).
 */
#include "kernels.h"

/* Rows of y per NOTRANS sweep: 1024 doubles = 8 KiB, well inside L1. */
#define SK__GEMV_MB 1024

/* The NOTRANS loops, written once and compiled for several instruction sets
   (below): every y(i) is its own sum, so vectors of any width across i round
   exactly alike, and a wider build gives the same result bit for bit. */
static inline __attribute__((always_inline))
void sk__gemv_n_body(int m, int n, double alpha, const double *A, int lda, const double *x,
                     double *y)
{
    for (int i0 = 0; i0 < m; i0 += SK__GEMV_MB) {
        int mb = SK__MIN(SK__GEMV_MB, m - i0);
        double *yy = y + i0;
        int j = 0;
        /* Two four-column groups per sweep: y is read and written once per
           eight columns, and each y(i) still gets the same two additions, in
           the same order, as two four-column sweeps would give (bit for bit). */
        for (; j + 8 <= n; j += 8) {
            const double *a0 = A + i0 + (size_t)j * lda, *a1 = a0 + lda;
            const double *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda;
            const double *a5 = a4 + lda, *a6 = a5 + lda, *a7 = a6 + lda;
            double t0 = alpha * x[j], t1 = alpha * x[j + 1];
            double t2 = alpha * x[j + 2], t3 = alpha * x[j + 3];
            double t4 = alpha * x[j + 4], t5 = alpha * x[j + 5];
            double t6 = alpha * x[j + 6], t7 = alpha * x[j + 7];
            for (int i = 0; i < mb; i++) {
                double y0 = yy[i] + (a0[i] * t0 + a1[i] * t1 + a2[i] * t2 + a3[i] * t3);
                yy[i] = y0 + (a4[i] * t4 + a5[i] * t5 + a6[i] * t6 + a7[i] * t7);
            }
        }
        for (; j + 4 <= n; j += 4) {
            const double *a0 = A + i0 + (size_t)j * lda, *a1 = a0 + lda;
            const double *a2 = a1 + lda, *a3 = a2 + lda;
            double t0 = alpha * x[j], t1 = alpha * x[j + 1];
            double t2 = alpha * x[j + 2], t3 = alpha * x[j + 3];
            for (int i = 0; i < mb; i++)
                yy[i] += a0[i] * t0 + a1[i] * t1 + a2[i] * t2 + a3[i] * t3;
        }
        for (; j < n; j++) {
            const double *a0 = A + i0 + (size_t)j * lda;
            double t0 = alpha * x[j];
            for (int i = 0; i < mb; i++) yy[i] += a0[i] * t0;
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__wasm__) && !defined(SK_NO_AVX)
/* x86-64 (the library is built for baseline SSE2): an AVX2 and an AVX-512F
   build of the same loops, chosen at run time as gemm.c chooses its kernels.
   In SSE2's two lanes the NOTRANS loops were bound by arithmetic, not by
   memory: softmax regression's one-pass evaluation (n = 1e5, d = 64, A in
   256-row blocks, each block's z by this kernel, then the cached products)
   went from 3.6 to 3.1 ms, a sampled-Newton iteration from 4.6–4.8 to
   4.2–4.3 ms (CPU time, best of 40 and of 10 repetitions, load ~9). */
__attribute__((target("avx2")))
static void sk__gemv_n_avx2(int m, int n, double alpha, const double *A, int lda, const double *x,
                            double *y)
{
    sk__gemv_n_body(m, n, alpha, A, lda, x, y);
}

#ifndef SK_NO_AVX512
__attribute__((target("avx512f")))
static void sk__gemv_n_avx512(int m, int n, double alpha, const double *A, int lda,
                              const double *x, double *y)
{
    sk__gemv_n_body(m, n, alpha, A, lda, x, y);
}
#endif

static void sk__gemv_n(int m, int n, double alpha, const double *A, int lda, const double *x,
                       double *y)
{
    __builtin_cpu_init();
#ifndef SK_NO_AVX512
    if (__builtin_cpu_supports("avx512f")) { sk__gemv_n_avx512(m, n, alpha, A, lda, x, y); return; }
#endif
    if (__builtin_cpu_supports("avx2")) { sk__gemv_n_avx2(m, n, alpha, A, lda, x, y); return; }
    sk__gemv_n_body(m, n, alpha, A, lda, x, y);
}
#else
static void sk__gemv_n(int m, int n, double alpha, const double *A, int lda, const double *x,
                       double *y)
{
    sk__gemv_n_body(m, n, alpha, A, lda, x, y);
}
#endif

/* y(j) := beta y(j) + alpha s, beta == 0 not reading y. */
static inline void sk__gemv_put(double *y, double alpha, double beta, double s)
{
    *y = (beta == 0.0 ? 0.0 : beta * *y) + alpha * s;
}

static void sk__gemv_t(int m, int n, double alpha, const double *A, int lda, const double *x,
                       double beta, double *y)
{
    int m2 = m & ~1;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        const double *a0 = A + (size_t)j * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        sk__v2 s0 = sk__v2_splat(0.0), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < m2; i += 2) {
            sk__v2 xv = sk__v2_load(x + i);
            s0 = sk__v2_add(s0, sk__v2_mul(sk__v2_load(a0 + i), xv));
            s1 = sk__v2_add(s1, sk__v2_mul(sk__v2_load(a1 + i), xv));
            s2 = sk__v2_add(s2, sk__v2_mul(sk__v2_load(a2 + i), xv));
            s3 = sk__v2_add(s3, sk__v2_mul(sk__v2_load(a3 + i), xv));
        }
        double r0 = sk__v2_lo(s0) + sk__v2_hi(s0), r1 = sk__v2_lo(s1) + sk__v2_hi(s1);
        double r2 = sk__v2_lo(s2) + sk__v2_hi(s2), r3 = sk__v2_lo(s3) + sk__v2_hi(s3);
        if (m2 < m) {
            r0 += a0[m2] * x[m2]; r1 += a1[m2] * x[m2];
            r2 += a2[m2] * x[m2]; r3 += a3[m2] * x[m2];
        }
        sk__gemv_put(y + j, alpha, beta, r0); sk__gemv_put(y + j + 1, alpha, beta, r1);
        sk__gemv_put(y + j + 2, alpha, beta, r2); sk__gemv_put(y + j + 3, alpha, beta, r3);
    }
    for (; j < n; j++) {
        const double *a0 = A + (size_t)j * lda;
        sk__v2 s0 = sk__v2_splat(0.0);
        for (int i = 0; i < m2; i += 2)
            s0 = sk__v2_add(s0, sk__v2_mul(sk__v2_load(a0 + i), sk__v2_load(x + i)));
        double r0 = sk__v2_lo(s0) + sk__v2_hi(s0);
        if (m2 < m) r0 += a0[m2] * x[m2];
        sk__gemv_put(y + j, alpha, beta, r0);
    }
}

int sk_dgemv(sk_trans_t trans, int m, int n, double alpha, const double *A,
             int lda, const double *x, double beta, double *y)
{
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 1);
    SK__CHECK(m >= 0, 2); SK__CHECK(n >= 0, 3);
    SK__CHECK(A || m == 0 || n == 0, 5); SK__CHECK(lda >= SK__MAX(1, m), 6);
    int xlen = trans == SK_NOTRANS ? n : m, ylen = trans == SK_NOTRANS ? m : n;
    SK__CHECK(x || xlen == 0, 7); SK__CHECK(y || ylen == 0, 9);
    if (ylen == 0) return 0;
    if (xlen == 0 || alpha == 0.0) {
        sk__scale_matrix(ylen, 1, beta, y, ylen);
        return 0;
    }
    if (trans == SK_NOTRANS) {
        sk__scale_matrix(m, 1, beta, y, m);
        sk__gemv_n(m, n, alpha, A, lda, x, y);
    } else {
        sk__gemv_t(m, n, alpha, A, lda, x, beta, y);
    }
    return 0;
}
