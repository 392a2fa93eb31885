/*
 * gemv_multi.c — sk__gemv_t_multi (internal.h): Y += Aᵀ X for a few vectors
 * (X m×nv, nv <= 4) in one pass over A, without packing.
 *
 * Why not sk_dgemm: with transa = TRANS the packed GEMM first transposes all
 * of A into micro-panels, then multiplies from the copy; for a tall block
 * against four vectors (softmax regression's one-pass evaluation: a 256×64
 * block of A, just read, against four n-vectors) the transpose costs more
 * than the products. Here each column of A is read once, with unit stride,
 * for all nv vectors at once.
 *
 * Rounding is the same with every kernel (AVX-512F, AVX, the portable
 * kernels.h two-lane one), so the result does not depend on the machine:
 * Y(j, v) += r with
 *   s_l = Σ A(i, j)·X(i, v) over i ≡ l (mod 8), i < m8 = m − m mod 8, in
 *         increasing i, from zero (l = 0..7: the eight lanes),
 *   r   = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)),
 *         then + A(i, j)·X(i, v) for i = m8..m−1 in order.
 * Separate mul and add (no FMA), as everywhere in the library.
 */
#include "gemv_multi.h"
#include "kernels.h"

/* Y(j, v) += the fixed reduction of the eight lane sums s[v·8 + l] plus the tail rows.
   (Plain SSE2 code: the AVX kernels clear the upper register halves before
   calling it — without vzeroupper every SSE instruction after them, here and
   in the caller, runs slowly; GCC does not insert it for target("avx").) */
static void sk__multi_finish(int m, int m8, int nv, const double *a, const double *X, int ldx,
                             const double *s, double *Y, int ldy, int j)
{
    for (int v = 0; v < nv; v++) {
        const double *l = s + 8 * v;
        double r = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
        const double *x = X + (size_t)v * ldx;
        for (int i = m8; i < m; i++) r += a[i] * x[i];
        Y[j + (size_t)v * ldy] += r;
    }
}

/* Portable: one column and one vector at a time on four two-lane sums (lanes
   (0,1), (2,3), (4,5), (6,7)); the column stays in L1 across the vectors. */
static void sk__multi_portable(int m, int n, int nv, const double *A, int lda, const double *X,
                               int ldx, double *Y, int ldy)
{
    int m8 = m & ~7;
    double s[32];
    for (int j = 0; j < n; j++) {
        const double *a = A + (size_t)j * lda;
        for (int v = 0; v < nv; v++) {
            const double *x = X + (size_t)v * ldx;
            sk__v2 c0 = sk__v2_splat(0.0), c1 = c0, c2 = c0, c3 = c0;
            for (int i = 0; i < m8; i += 8) {
                c0 = sk__v2_add(c0, sk__v2_mul(sk__v2_load(a + i), sk__v2_load(x + i)));
                c1 = sk__v2_add(c1, sk__v2_mul(sk__v2_load(a + i + 2), sk__v2_load(x + i + 2)));
                c2 = sk__v2_add(c2, sk__v2_mul(sk__v2_load(a + i + 4), sk__v2_load(x + i + 4)));
                c3 = sk__v2_add(c3, sk__v2_mul(sk__v2_load(a + i + 6), sk__v2_load(x + i + 6)));
            }
            sk__v2_store(s + 8 * v, c0);
            sk__v2_store(s + 8 * v + 2, c1);
            sk__v2_store(s + 8 * v + 4, c2);
            sk__v2_store(s + 8 * v + 6, c3);
        }
        sk__multi_finish(m, m8, nv, a, X, ldx, s, Y, ldy, j);
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__wasm__) && !defined(SK_NO_AVX)
#define SK__HAVE_AVX_MULTI 1
#include <immintrin.h>

/* AVX: one column against all nv vectors, lanes 0–3 and 4–7 in two registers. */
__attribute__((target("avx")))
static void sk__multi_avx(int m, int n, int nv, const double *A, int lda, const double *X,
                          int ldx, double *Y, int ldy)
{
    int m8 = m & ~7;
    double s[32];
    for (int j = 0; j < n; j++) {
        const double *a = A + (size_t)j * lda;
        __m256d lo[4], hi[4];
        for (int v = 0; v < 4; v++) lo[v] = hi[v] = _mm256_setzero_pd();
        if (nv == 4) {
            const double *x0 = X, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
            for (int i = 0; i < m8; i += 8) {
                __m256d al = _mm256_loadu_pd(a + i), ah = _mm256_loadu_pd(a + i + 4);
                lo[0] = _mm256_add_pd(lo[0], _mm256_mul_pd(al, _mm256_loadu_pd(x0 + i)));
                hi[0] = _mm256_add_pd(hi[0], _mm256_mul_pd(ah, _mm256_loadu_pd(x0 + i + 4)));
                lo[1] = _mm256_add_pd(lo[1], _mm256_mul_pd(al, _mm256_loadu_pd(x1 + i)));
                hi[1] = _mm256_add_pd(hi[1], _mm256_mul_pd(ah, _mm256_loadu_pd(x1 + i + 4)));
                lo[2] = _mm256_add_pd(lo[2], _mm256_mul_pd(al, _mm256_loadu_pd(x2 + i)));
                hi[2] = _mm256_add_pd(hi[2], _mm256_mul_pd(ah, _mm256_loadu_pd(x2 + i + 4)));
                lo[3] = _mm256_add_pd(lo[3], _mm256_mul_pd(al, _mm256_loadu_pd(x3 + i)));
                hi[3] = _mm256_add_pd(hi[3], _mm256_mul_pd(ah, _mm256_loadu_pd(x3 + i + 4)));
            }
        } else {
            for (int v = 0; v < nv; v++) {
                const double *x = X + (size_t)v * ldx;
                for (int i = 0; i < m8; i += 8) {
                    __m256d pl = _mm256_mul_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(x + i));
                    __m256d ph = _mm256_mul_pd(_mm256_loadu_pd(a + i + 4), _mm256_loadu_pd(x + i + 4));
                    lo[v] = _mm256_add_pd(lo[v], pl);
                    hi[v] = _mm256_add_pd(hi[v], ph);
                }
            }
        }
        for (int v = 0; v < nv; v++) {
            _mm256_storeu_pd(s + 8 * v, lo[v]);
            _mm256_storeu_pd(s + 8 * v + 4, hi[v]);
        }
        _mm256_zeroupper();
        sk__multi_finish(m, m8, nv, a, X, ldx, s, Y, ldy, j);
    }
}

#ifndef SK_NO_AVX512
#define SK__HAVE_AVX512_MULTI 1
/* AVX-512F: four columns against four vectors (16 accumulators; each load of
   A or X feeds four products), the eight lanes in one register. */
__attribute__((target("avx512f")))
static void sk__multi_avx512(int m, int n, int nv, const double *A, int lda, const double *X,
                             int ldx, double *Y, int ldy)
{
    int m8 = m & ~7;
    double s[128];
    int j = 0;
    if (nv == 4) {
        const double *x0 = X, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
        for (; j + 4 <= n; j += 4) {
            const double *a = A + (size_t)j * lda, *b = a + lda, *c = b + lda, *e = c + lda;
            __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
            __m512d b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            __m512d c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            __m512d e0 = a0, e1 = a0, e2 = a0, e3 = a0;
            for (int i = 0; i < m8; i += 8) {
                __m512d va = _mm512_loadu_pd(a + i), vb = _mm512_loadu_pd(b + i);
                __m512d vc = _mm512_loadu_pd(c + i), ve = _mm512_loadu_pd(e + i), x;
#define SK__ROW4(k, xv) \
                x = _mm512_loadu_pd(xv + i); \
                a##k = _mm512_add_pd(a##k, _mm512_mul_pd(va, x)); \
                b##k = _mm512_add_pd(b##k, _mm512_mul_pd(vb, x)); \
                c##k = _mm512_add_pd(c##k, _mm512_mul_pd(vc, x)); \
                e##k = _mm512_add_pd(e##k, _mm512_mul_pd(ve, x));
                SK__ROW4(0, x0) SK__ROW4(1, x1) SK__ROW4(2, x2) SK__ROW4(3, x3)
#undef SK__ROW4
            }
            _mm512_storeu_pd(s, a0); _mm512_storeu_pd(s + 8, a1);
            _mm512_storeu_pd(s + 16, a2); _mm512_storeu_pd(s + 24, a3);
            _mm512_storeu_pd(s + 32, b0); _mm512_storeu_pd(s + 40, b1);
            _mm512_storeu_pd(s + 48, b2); _mm512_storeu_pd(s + 56, b3);
            _mm512_storeu_pd(s + 64, c0); _mm512_storeu_pd(s + 72, c1);
            _mm512_storeu_pd(s + 80, c2); _mm512_storeu_pd(s + 88, c3);
            _mm512_storeu_pd(s + 96, e0); _mm512_storeu_pd(s + 104, e1);
            _mm512_storeu_pd(s + 112, e2); _mm512_storeu_pd(s + 120, e3);
            _mm256_zeroupper();
            sk__multi_finish(m, m8, 4, a, X, ldx, s, Y, ldy, j);
            sk__multi_finish(m, m8, 4, b, X, ldx, s + 32, Y, ldy, j + 1);
            sk__multi_finish(m, m8, 4, c, X, ldx, s + 64, Y, ldy, j + 2);
            sk__multi_finish(m, m8, 4, e, X, ldx, s + 96, Y, ldy, j + 3);
        }
    }
    for (; j < n; j++) {
        const double *a = A + (size_t)j * lda;
        for (int v = 0; v < nv; v++) {
            const double *x = X + (size_t)v * ldx;
            __m512d c = _mm512_setzero_pd();
            for (int i = 0; i < m8; i += 8)
                c = _mm512_add_pd(c, _mm512_mul_pd(_mm512_loadu_pd(a + i), _mm512_loadu_pd(x + i)));
            _mm512_storeu_pd(s + 8 * v, c);
        }
        _mm256_zeroupper();
        sk__multi_finish(m, m8, nv, a, X, ldx, s, Y, ldy, j);
    }
}
#endif
#endif

int sk__gemv_t_multi_with(int kernel, int m, int n, int nv, const double *A, int lda,
                          const double *X, int ldx, double *Y, int ldy)
{
    int best = 0;
#ifdef SK__HAVE_AVX_MULTI
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx")) best = 1;
#ifdef SK__HAVE_AVX512_MULTI
    if (__builtin_cpu_supports("avx512f")) best = 2;
#endif
#endif
    int use = kernel < 0 || kernel > best ? best : kernel;
    if (m <= 0 || n <= 0) return use;
    /* the kernels take up to four vectors at a time */
    for (int v0 = 0; v0 < nv; v0 += 4) {
        int k = SK__MIN(4, nv - v0);
        const double *Xv = X + (size_t)v0 * ldx;
        double *Yv = Y + (size_t)v0 * ldy;
#ifdef SK__HAVE_AVX_MULTI
#ifdef SK__HAVE_AVX512_MULTI
        if (use == 2) { sk__multi_avx512(m, n, k, A, lda, Xv, ldx, Yv, ldy); continue; }
#endif
        if (use == 1) { sk__multi_avx(m, n, k, A, lda, Xv, ldx, Yv, ldy); continue; }
#endif
        sk__multi_portable(m, n, k, A, lda, Xv, ldx, Yv, ldy);
    }
    return use;
}

void sk__gemv_t_multi(int m, int n, int nv, const double *A, int lda, const double *X, int ldx,
                      double *Y, int ldy)
{
    sk__gemv_t_multi_with(-1, m, n, nv, A, lda, X, ldx, Y, ldy);
}
