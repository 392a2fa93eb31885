/*
 * gemm.c — sk_dgemm (linalg.h): C := alpha op(A) op(B) + beta C.
 *
 * GotoBLAS/BLIS structure (Goto & van de Geijn, "Anatomy of high-performance
 * matrix multiplication", ACM TOMS 34(3), 2008; Van Zee & van de Geijn, BLIS,
 * ACM TOMS 41(3), 2015):
 *
 *   for jc in steps of NC          (columns of C and op(B))
 *     for pc in steps of KC        (the inner dimension)
 *       pack op(B)(pc, jc) -> Bp   (KC×NC, in NR-column micro-panels; L3/L2)
 *       for ic in steps of MC      (rows of C and op(A))
 *         pack op(A)(ic, pc) -> Ap (MC×KC, in MR-row micro-panels; L2)
 *         for jr, ir: MR×NR micro-kernel, C(ir, jr) += Ap(ir) Bp(jr)   (L1)
 *
 * Packing makes every transpose case the same contiguous, aligned stream for
 * the micro-kernel and pads edge panels with zeros, so the kernel always
 * computes a full MR×NR tile (edge tiles go through a small buffer).
 *
 * Kernels: a portable 4×4 one on the kernels.h two-lane vectors (SSE2, wasm
 * SIMD, scalar), and on x86-64, chosen by CPUID at run time, an AVX 8×4 and an
 * AVX-512F 16×4 one (the library itself stays built for baseline SSE2).
 *
 * Rounding is the same in every build and with every kernel: each C(i,j)
 * accumulates its KC-long partial inner products in order p = pc, pc+1, ...
 * from zero, then does C = beta_eff·C + alpha·acc, with the same KC
 * everywhere and no FMA (see kernels.h). So native and wasm results agree bit
 * for bit.
 */
#include "kernels.h"

/*
 * A micro-kernel computes an MR×NR tile: acc = Ap·Bp over kc (accumulated
 * from zero in order p = 0..kc-1), then C := beta·C + alpha·acc, or
 * C := alpha·acc when beta == 0 (C not read). Ap and Bp are 64-byte aligned
 * micro-panels in the packing layout (see "Packing" below) for that MR, NR and
 * BDUP (the number of copies of each B entry, see below).
 */
typedef void (*sk__ukernel)(int kc, const double *Ap, const double *Bp, double *C, int ldc,
                            double alpha, double beta);

/* Largest MR·NR of any kernel below (edge-tile buffer: 16×4). */
#define SK__TILE_MAX 64

/* Cache blocks: with a 4×4 tile, KC·NR·8 B = 8 KiB of Bp per micro-panel
 * (L1) and MC·KC·8 B = 256 KiB of Ap (L2); NC bounds the Bp buffer. KC is the
 * same for every kernel: it fixes the summation order, hence the rounding. */
#define SK__MC 128
#define SK__KC 256
#define SK__NC 2048

/* Problems with at most this many multiply-adds skip packing (its cost and
 * the allocation would dominate). */
#define SK__GEMM_SMALL 4096

void sk__scale_matrix(int m, int n, double beta, double *C, int ldc)
{
    if (beta == 1.0) return;
    for (int j = 0; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        if (beta == 0.0) for (int i = 0; i < m; i++) c[i] = 0.0;
        else for (int i = 0; i < m; i++) c[i] *= beta;
    }
}

/*
 * Plain loops, used for tiny problems and when the packing buffers cannot be
 * allocated. C has already been scaled by beta. Column-oriented (axpy) so the
 * inner loop is contiguous and vectorizable in the NOTRANS cases.
 */
static void sk__gemm_loops(sk_trans_t transa, sk_trans_t transb, int m, int n, int k,
                           double alpha, const double *A, int lda, const double *B, int ldb,
                           double *C, int ldc)
{
    for (int j = 0; j < n; j++) {
        double *c = C + (size_t)j * ldc;
        if (transa == SK_NOTRANS) {
            for (int p = 0; p < k; p++) {
                double b = alpha * (transb == SK_NOTRANS ? SK__AT(B, ldb, p, j) : SK__AT(B, ldb, j, p));
                const double *a = A + (size_t)p * lda;
                for (int i = 0; i < m; i++) c[i] += a[i] * b;
            }
        } else {
            /* op(A)(i,:) is column i of A: a dot product per entry. */
            for (int i = 0; i < m; i++) {
                const double *a = A + (size_t)i * lda;
                double s = 0.0;
                if (transb == SK_NOTRANS) {
                    const double *b = B + (size_t)j * ldb;
                    for (int p = 0; p < k; p++) s += a[p] * b[p];
                } else {
                    for (int p = 0; p < k; p++) s += a[p] * SK__AT(B, ldb, j, p);
                }
                c[i] += alpha * s;
            }
        }
    }
}

/*
 * Packing. Every packer writes the same layout (below); they differ only in
 * how many values one instruction moves. Copies are exact, so the packer
 * never affects the results.
 *
 * A: the mc×kc block of op(A) at X (already offset to the block) goes into
 * mr-row micro-panels, Ap[panel·mr·kc + p·mr + ii] = op(A)(panel·mr + ii, p),
 * rows past mc zero.
 * B: the kc×nc block of op(B) at X goes into nr-column micro-panels,
 * Bp[(panel·nr·kc + p·nr + jj)·bdup + d] = op(B)(p, panel·nr + jj), columns
 * past nc zero.
 */
typedef void (*sk__pack_fn)(sk_trans_t trans, int r, int bdup, int kc, int len, const double *X,
                            int ldx, double *P);

/* Scalar packing of one (possibly partial) A micro-panel of `rows` rows. */
static void sk__pack_a_panel_scalar(sk_trans_t transa, int mr, int rows, int kc, const double *X,
                                    int ldx, double *Ap)
{
    if (transa == SK_NOTRANS) {
        for (int p = 0; p < kc; p++, X += ldx, Ap += mr) {
            int ii = 0;
            for (; ii < rows; ii++) Ap[ii] = X[ii];
            for (; ii < mr; ii++) Ap[ii] = 0.0;
        }
    } else {
        for (int ii = 0; ii < mr; ii++) {
            if (ii < rows) {
                const double *x = X + (size_t)ii * ldx;
                for (int p = 0; p < kc; p++) Ap[(size_t)p * mr + ii] = x[p];
            } else {
                for (int p = 0; p < kc; p++) Ap[(size_t)p * mr + ii] = 0.0;
            }
        }
    }
}

/* dst[p·stride + c] = x[c·ldx + p] for c = 0, 1 (two columns into an
 * interleaved panel) with 2×2 transposes on two-lane vectors. */
static void sk__v2_tpack2(int kc, const double *x, int ldx, double *dst, int stride)
{
    const double *y = x + ldx;
    int p = 0;
    for (; p + 2 <= kc; p += 2) {
        sk__v2 a = sk__v2_load(x + p), b = sk__v2_load(y + p);
        sk__v2_store(dst + (size_t)p * stride, sk__v2_unpacklo(a, b));
        sk__v2_store(dst + (size_t)(p + 1) * stride, sk__v2_unpackhi(a, b));
    }
    for (; p < kc; p++) {
        dst[(size_t)p * stride] = x[p];
        dst[(size_t)p * stride + 1] = y[p];
    }
}

/* A packer on two-lane vectors (any even mr; the portable arch has mr = 4). */
static void sk__pack_a_v2(sk_trans_t transa, int mr, int bdup, int kc, int mc, const double *X,
                          int ldx, double *Ap)
{
    (void)bdup;
    for (int i0 = 0; i0 < mc; i0 += mr, Ap += (size_t)mr * kc) {
        int rows = SK__MIN(mr, mc - i0);
        if (rows < mr || mr % 2) {
            sk__pack_a_panel_scalar(transa, mr, rows, kc,
                                    transa == SK_NOTRANS ? X + i0 : X + (size_t)i0 * ldx, ldx, Ap);
        } else if (transa == SK_NOTRANS) {
            const double *x = X + i0;
            double *d = Ap;
            if (mr == 4) {
                for (int p = 0; p < kc; p++, x += ldx, d += 4) {
                    sk__v2_store(d, sk__v2_load(x));
                    sk__v2_store(d + 2, sk__v2_load(x + 2));
                }
            } else {
                for (int p = 0; p < kc; p++, x += ldx, d += mr)
                    for (int ii = 0; ii < mr; ii += 2) sk__v2_store(d + ii, sk__v2_load(x + ii));
            }
        } else {
            /* op(A)(i, p) = X[p + i·ldx]: rows of op(A) are columns of X. */
            for (int ii = 0; ii < mr; ii += 2)
                sk__v2_tpack2(kc, X + (size_t)(i0 + ii) * ldx, ldx, Ap + ii, mr);
        }
    }
}

/* The B packer for every arch: bdup copies, nr columns per panel. */
static void sk__pack_b_generic(sk_trans_t transb, int nr, int bdup, int kc, int nc,
                               const double *X, int ldx, double *Bp)
{
    int step = nr * bdup;
    for (int j0 = 0; j0 < nc; j0 += nr, Bp += (size_t)step * kc) {
        int cols = SK__MIN(nr, nc - j0);
        if (transb == SK_NOTRANS) {
            if (bdup == 1 && cols == nr && nr % 2 == 0) {
                for (int jj = 0; jj < nr; jj += 2)
                    sk__v2_tpack2(kc, X + (size_t)(j0 + jj) * ldx, ldx, Bp + jj, nr);
                continue;
            }
            for (int jj = 0; jj < nr; jj++) {
                double *dst = Bp + jj * bdup;
                const double *x = X + (size_t)(j0 + jj) * ldx;
                if (bdup == 2) {
                    if (jj < cols) for (int p = 0; p < kc; p++) dst[p * step] = dst[p * step + 1] = x[p];
                    else for (int p = 0; p < kc; p++) dst[p * step] = dst[p * step + 1] = 0.0;
                } else {
                    if (jj < cols) for (int p = 0; p < kc; p++) dst[p * step] = x[p];
                    else for (int p = 0; p < kc; p++) dst[p * step] = 0.0;
                }
            }
        } else {
            /* op(B)(p, j) = X[j + p·ldx]: rows of op(B) are contiguous. */
            const double *x = X + j0;
            double *dst = Bp;
            for (int p = 0; p < kc; p++, x += ldx) {
                for (int jj = 0; jj < nr; jj++, dst += bdup) {
                    double v = jj < cols ? x[jj] : 0.0;
                    dst[0] = v;
                    if (bdup == 2) dst[1] = v;
                }
            }
        }
    }
}

/*
 * Portable 4×4 kernel on the kernels.h two-lane vectors: 8 accumulators,
 * which leaves room in 16 vector registers (SSE2, and V8's x64/arm64 wasm
 * code) for the two A vectors, a B broadcast and a product temporary.
 *
 * On SSE2 (no broadcast load before SSE3's movddup) Bp stores every entry
 * twice, so the kernel reads a ready-made {b, b} pair with one aligned load
 * instead of a load and a shuffle. wasm has v128.load64_splat.
 */
#if defined(__SSE2__) && !defined(__wasm_simd128__)
#define SK__BDUP 2
static inline sk__v2 sk__loadb(const double *p) { return sk__v2_loada(p); }
#else
#define SK__BDUP 1
static inline sk__v2 sk__loadb(const double *p) { return sk__v2_loadsplat(p); }
#endif

static void sk__kernel_4x4(int kc, const double *Ap, const double *Bp, double *C, int ldc,
                           double alpha, double beta)
{
    sk__v2 c00 = sk__v2_splat(0.0), c10 = c00, c01 = c00, c11 = c00;
    sk__v2 c02 = c00, c12 = c00, c03 = c00, c13 = c00;
    for (int p = 0; p < kc; p++) {
        sk__v2 a0 = sk__v2_loada(Ap), a1 = sk__v2_loada(Ap + 2), b;
        b = sk__loadb(Bp + 0 * SK__BDUP);
        c00 = sk__v2_add(c00, sk__v2_mul(a0, b)); c10 = sk__v2_add(c10, sk__v2_mul(a1, b));
        b = sk__loadb(Bp + 1 * SK__BDUP);
        c01 = sk__v2_add(c01, sk__v2_mul(a0, b)); c11 = sk__v2_add(c11, sk__v2_mul(a1, b));
        b = sk__loadb(Bp + 2 * SK__BDUP);
        c02 = sk__v2_add(c02, sk__v2_mul(a0, b)); c12 = sk__v2_add(c12, sk__v2_mul(a1, b));
        b = sk__loadb(Bp + 3 * SK__BDUP);
        c03 = sk__v2_add(c03, sk__v2_mul(a0, b)); c13 = sk__v2_add(c13, sk__v2_mul(a1, b));
        Ap += 4;
        Bp += 4 * SK__BDUP;
    }
    sk__v2 va = sk__v2_splat(alpha);
    double *c0 = C, *c1 = C + ldc, *c2 = C + 2 * (size_t)ldc, *c3 = C + 3 * (size_t)ldc;
    if (beta == 0.0) {
        sk__v2_store(c0, sk__v2_mul(va, c00)); sk__v2_store(c0 + 2, sk__v2_mul(va, c10));
        sk__v2_store(c1, sk__v2_mul(va, c01)); sk__v2_store(c1 + 2, sk__v2_mul(va, c11));
        sk__v2_store(c2, sk__v2_mul(va, c02)); sk__v2_store(c2 + 2, sk__v2_mul(va, c12));
        sk__v2_store(c3, sk__v2_mul(va, c03)); sk__v2_store(c3 + 2, sk__v2_mul(va, c13));
    } else {
        sk__v2 vb = sk__v2_splat(beta);
#define SK__UPD(ptr, acc) \
        sk__v2_store(ptr, sk__v2_add(sk__v2_mul(vb, sk__v2_load(ptr)), sk__v2_mul(va, acc)))
        SK__UPD(c0, c00); SK__UPD(c0 + 2, c10);
        SK__UPD(c1, c01); SK__UPD(c1 + 2, c11);
        SK__UPD(c2, c02); SK__UPD(c2 + 2, c12);
        SK__UPD(c3, c03); SK__UPD(c3 + 2, c13);
#undef SK__UPD
    }
}

/* A kernel with its tile shape and packers. */
typedef struct {
    int mr, nr, bdup;
    sk__ukernel kernel;
    sk__pack_fn pack_a, pack_b;
} sk__gemm_arch;

static const sk__gemm_arch sk__arch_portable = { 4, 4, SK__BDUP, sk__kernel_4x4, sk__pack_a_v2,
                                                 sk__pack_b_generic };

/*
 * x86-64 with AVX at run time: an 8×4 kernel on four-lane vectors, chosen by
 * CPUID, so the library is still built for baseline SSE2. It uses mul and add
 * only (no FMA), in the same per-element order as the 4×4 kernel, so its
 * results are bit-for-bit those of the SSE2 and wasm builds.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__wasm__) && !defined(SK_NO_AVX)
#define SK__HAVE_AVX_KERNEL 1
#include <immintrin.h>

__attribute__((target("avx")))
static void sk__kernel_avx_8x4(int kc, const double *Ap, const double *Bp, double *C, int ldc,
                               double alpha, double beta)
{
    __m256d c00 = _mm256_setzero_pd(), c10 = c00, c01 = c00, c11 = c00;
    __m256d c02 = c00, c12 = c00, c03 = c00, c13 = c00;
    for (int p = 0; p < kc; p++) {
        __m256d a0 = _mm256_load_pd(Ap), a1 = _mm256_load_pd(Ap + 4), b;
        b = _mm256_broadcast_sd(Bp + 0);
        c00 = _mm256_add_pd(c00, _mm256_mul_pd(a0, b)); c10 = _mm256_add_pd(c10, _mm256_mul_pd(a1, b));
        b = _mm256_broadcast_sd(Bp + 1);
        c01 = _mm256_add_pd(c01, _mm256_mul_pd(a0, b)); c11 = _mm256_add_pd(c11, _mm256_mul_pd(a1, b));
        b = _mm256_broadcast_sd(Bp + 2);
        c02 = _mm256_add_pd(c02, _mm256_mul_pd(a0, b)); c12 = _mm256_add_pd(c12, _mm256_mul_pd(a1, b));
        b = _mm256_broadcast_sd(Bp + 3);
        c03 = _mm256_add_pd(c03, _mm256_mul_pd(a0, b)); c13 = _mm256_add_pd(c13, _mm256_mul_pd(a1, b));
        Ap += 8;
        Bp += 4;
    }
    __m256d va = _mm256_set1_pd(alpha);
    double *c0 = C, *c1 = C + ldc, *c2 = C + 2 * (size_t)ldc, *c3 = C + 3 * (size_t)ldc;
    if (beta == 0.0) {
        _mm256_storeu_pd(c0, _mm256_mul_pd(va, c00)); _mm256_storeu_pd(c0 + 4, _mm256_mul_pd(va, c10));
        _mm256_storeu_pd(c1, _mm256_mul_pd(va, c01)); _mm256_storeu_pd(c1 + 4, _mm256_mul_pd(va, c11));
        _mm256_storeu_pd(c2, _mm256_mul_pd(va, c02)); _mm256_storeu_pd(c2 + 4, _mm256_mul_pd(va, c12));
        _mm256_storeu_pd(c3, _mm256_mul_pd(va, c03)); _mm256_storeu_pd(c3 + 4, _mm256_mul_pd(va, c13));
    } else {
        __m256d vb = _mm256_set1_pd(beta);
#define SK__UPD(ptr, acc) \
        _mm256_storeu_pd(ptr, _mm256_add_pd(_mm256_mul_pd(vb, _mm256_loadu_pd(ptr)), _mm256_mul_pd(va, acc)))
        SK__UPD(c0, c00); SK__UPD(c0 + 4, c10);
        SK__UPD(c1, c01); SK__UPD(c1 + 4, c11);
        SK__UPD(c2, c02); SK__UPD(c2 + 4, c12);
        SK__UPD(c3, c03); SK__UPD(c3 + 4, c13);
#undef SK__UPD
    }
}

/* dst[p·stride + c] = x[c·ldx + p] for c = 0..3 with 4×4 transposes. */
__attribute__((target("avx")))
static void sk__avx_tpack4(int kc, const double *x, int ldx, double *dst, int stride)
{
    const double *x1 = x + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
        __m256d r0 = _mm256_loadu_pd(x + p), r1 = _mm256_loadu_pd(x1 + p);
        __m256d r2 = _mm256_loadu_pd(x2 + p), r3 = _mm256_loadu_pd(x3 + p);
        __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
        __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
        double *d = dst + (size_t)p * stride;
        _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
        _mm256_storeu_pd(d + stride, _mm256_permute2f128_pd(t1, t3, 0x20));
        _mm256_storeu_pd(d + 2 * (size_t)stride, _mm256_permute2f128_pd(t0, t2, 0x31));
        _mm256_storeu_pd(d + 3 * (size_t)stride, _mm256_permute2f128_pd(t1, t3, 0x31));
    }
    for (; p < kc; p++) {
        double *d = dst + (size_t)p * stride;
        d[0] = x[p]; d[1] = x1[p]; d[2] = x2[p]; d[3] = x3[p];
    }
}

/* A packer on four-lane vectors, for mr a multiple of 4. */
__attribute__((target("avx")))
static void sk__pack_a_avx(sk_trans_t transa, int mr, int bdup, int kc, int mc, const double *X,
                           int ldx, double *Ap)
{
    (void)bdup;
    for (int i0 = 0; i0 < mc; i0 += mr, Ap += (size_t)mr * kc) {
        int rows = SK__MIN(mr, mc - i0);
        if (rows < mr || mr % 4) {
            sk__pack_a_panel_scalar(transa, mr, rows, kc,
                                    transa == SK_NOTRANS ? X + i0 : X + (size_t)i0 * ldx, ldx, Ap);
        } else if (transa == SK_NOTRANS) {
            const double *x = X + i0;
            double *d = Ap;
            if (mr == 8) {
                for (int p = 0; p < kc; p++, x += ldx, d += 8) {
                    _mm256_store_pd(d, _mm256_loadu_pd(x));
                    _mm256_store_pd(d + 4, _mm256_loadu_pd(x + 4));
                }
            } else {
                for (int p = 0; p < kc; p++, x += ldx, d += mr)
                    for (int ii = 0; ii < mr; ii += 4) _mm256_store_pd(d + ii, _mm256_loadu_pd(x + ii));
            }
        } else {
            for (int ii = 0; ii < mr; ii += 4)
                sk__avx_tpack4(kc, X + (size_t)(i0 + ii) * ldx, ldx, Ap + ii, mr);
        }
    }
}

/* B packer for bdup = 1 and nr a multiple of 4 (full panels vectorized). */
__attribute__((target("avx")))
static void sk__pack_b_avx(sk_trans_t transb, int nr, int bdup, int kc, int nc, const double *X,
                           int ldx, double *Bp)
{
    if (bdup != 1 || nr % 4) { sk__pack_b_generic(transb, nr, bdup, kc, nc, X, ldx, Bp); return; }
    int full = nc / nr * nr;
    for (int j0 = 0; j0 < full; j0 += nr, Bp += (size_t)nr * kc) {
        if (transb == SK_NOTRANS) {
            for (int jj = 0; jj < nr; jj += 4)
                sk__avx_tpack4(kc, X + (size_t)(j0 + jj) * ldx, ldx, Bp + jj, nr);
        } else {
            const double *x = X + j0;
            double *d = Bp;
            for (int p = 0; p < kc; p++, x += ldx, d += nr)
                for (int jj = 0; jj < nr; jj += 4) _mm256_storeu_pd(d + jj, _mm256_loadu_pd(x + jj));
        }
    }
    if (full < nc)
        sk__pack_b_generic(transb, nr, 1, kc, nc - full,
                           transb == SK_NOTRANS ? X + (size_t)full * ldx : X + full, ldx, Bp);
}

static const sk__gemm_arch sk__arch_avx = { 8, 4, 1, sk__kernel_avx_8x4, sk__pack_a_avx,
                                            sk__pack_b_avx };

/*
 * AVX-512F at run time: a 16×4 kernel on eight-lane vectors, again mul and add
 * only in the same per-element order (bit-for-bit the other builds' results).
 * Cores with full-width 512-bit units (e.g. AMD Zen 5, Intel server parts)
 * do twice the work per instruction of the AVX kernel.
 */
#ifndef SK_NO_AVX512
#define SK__HAVE_AVX512_KERNEL 1
__attribute__((target("avx512f")))
static void sk__kernel_avx512_16x4(int kc, const double *Ap, const double *Bp, double *C, int ldc,
                                   double alpha, double beta)
{
    __m512d c00 = _mm512_setzero_pd(), c10 = c00, c01 = c00, c11 = c00;
    __m512d c02 = c00, c12 = c00, c03 = c00, c13 = c00;
    for (int p = 0; p < kc; p++) {
        __m512d a0 = _mm512_load_pd(Ap), a1 = _mm512_load_pd(Ap + 8), b;
        b = _mm512_set1_pd(Bp[0]);
        c00 = _mm512_add_pd(c00, _mm512_mul_pd(a0, b)); c10 = _mm512_add_pd(c10, _mm512_mul_pd(a1, b));
        b = _mm512_set1_pd(Bp[1]);
        c01 = _mm512_add_pd(c01, _mm512_mul_pd(a0, b)); c11 = _mm512_add_pd(c11, _mm512_mul_pd(a1, b));
        b = _mm512_set1_pd(Bp[2]);
        c02 = _mm512_add_pd(c02, _mm512_mul_pd(a0, b)); c12 = _mm512_add_pd(c12, _mm512_mul_pd(a1, b));
        b = _mm512_set1_pd(Bp[3]);
        c03 = _mm512_add_pd(c03, _mm512_mul_pd(a0, b)); c13 = _mm512_add_pd(c13, _mm512_mul_pd(a1, b));
        Ap += 16;
        Bp += 4;
    }
    __m512d va = _mm512_set1_pd(alpha);
    double *c0 = C, *c1 = C + ldc, *c2 = C + 2 * (size_t)ldc, *c3 = C + 3 * (size_t)ldc;
    if (beta == 0.0) {
        _mm512_storeu_pd(c0, _mm512_mul_pd(va, c00)); _mm512_storeu_pd(c0 + 8, _mm512_mul_pd(va, c10));
        _mm512_storeu_pd(c1, _mm512_mul_pd(va, c01)); _mm512_storeu_pd(c1 + 8, _mm512_mul_pd(va, c11));
        _mm512_storeu_pd(c2, _mm512_mul_pd(va, c02)); _mm512_storeu_pd(c2 + 8, _mm512_mul_pd(va, c12));
        _mm512_storeu_pd(c3, _mm512_mul_pd(va, c03)); _mm512_storeu_pd(c3 + 8, _mm512_mul_pd(va, c13));
    } else {
        __m512d vb = _mm512_set1_pd(beta);
#define SK__UPD(ptr, acc) \
        _mm512_storeu_pd(ptr, _mm512_add_pd(_mm512_mul_pd(vb, _mm512_loadu_pd(ptr)), _mm512_mul_pd(va, acc)))
        SK__UPD(c0, c00); SK__UPD(c0 + 8, c10);
        SK__UPD(c1, c01); SK__UPD(c1 + 8, c11);
        SK__UPD(c2, c02); SK__UPD(c2 + 8, c12);
        SK__UPD(c3, c03); SK__UPD(c3 + 8, c13);
#undef SK__UPD
    }
}

static const sk__gemm_arch sk__arch_avx512 = { 16, 4, 1, sk__kernel_avx512_16x4, sk__pack_a_avx,
                                               sk__pack_b_avx };
#endif
#endif

/* The kernel for this machine. CPUID is cheap next to any packed gemm, and
 * asking every time avoids mutable global state (no threads race on it).
 * (__builtin_cpu_supports also checks that the OS saves the wide registers.) */
static const sk__gemm_arch *sk__gemm_arch_select(void)
{
#ifdef SK__HAVE_AVX_KERNEL
    __builtin_cpu_init();
#ifdef SK__HAVE_AVX512_KERNEL
    if (__builtin_cpu_supports("avx512f")) return &sk__arch_avx512;
#endif
    if (__builtin_cpu_supports("avx")) return &sk__arch_avx;
#endif
    return &sk__arch_portable;
}

/* Round a double pointer up to a 64-byte boundary (cache line; also gives the
 * alignment the kernels' aligned loads need). */
static double *sk__align64(double *p)
{
    uintptr_t u = (uintptr_t)p;
    return (double *)(void *)((u + 63u) & ~(uintptr_t)63u);
}

/*
 * A product with one column (n = 1) or one row (m = 1) is a matrix-vector
 * product, and the packed path is the wrong tool for it: it copies all of A
 * into panels for a single use and pads the one column to an NR-wide tile
 * (RPCholesky and the one-pivot-per-step methods make thousands of such
 * calls). Route it through sk_dgemv, gathering a strided vector into a
 * buffer first. Returns 0 when it could not (no memory for the buffer), and
 * the caller falls back to the general path.
 */
static int sk__gemm_vector(sk_trans_t transa, sk_trans_t transb, int m, int n, int k, double alpha,
                           const double *A, int lda, const double *B, int ldb, double beta,
                           double *C, int ldc)
{
    /* x: the vector of the product; its stride in memory. */
    const double *x;
    int incx, len = k;
    if (n == 1) {
        x = B;
        incx = transb == SK_NOTRANS ? 1 : ldb;
    } else {
        x = A;
        incx = transa == SK_NOTRANS ? lda : 1;
    }
    /* y: C's column (contiguous) or row (stride ldc). */
    int ylen = n == 1 ? m : n, incy = n == 1 ? 1 : ldc;
    double *buf = NULL;
    if (incx != 1 || (incy != 1 && ylen > 1)) {
        buf = sk__alloc_doubles((long long)len + ylen, 1);
        if (!buf) return 0;
    }
    const double *xc = x;
    if (incx != 1) {
        for (int p = 0; p < len; p++) buf[p] = x[(size_t)p * incx];
        xc = buf;
    }
    double *y = C;
    if (incy != 1 && ylen > 1) {
        y = buf + len;
        for (int j = 0; j < ylen; j++) y[j] = C[(size_t)j * incy];
    }
    if (n == 1) {
        /* C(:,0) = alpha op(A) x + beta C(:,0); A is m×k (NOTRANS) or k×m. */
        if (transa == SK_NOTRANS) sk_dgemv(SK_NOTRANS, m, k, alpha, A, lda, xc, beta, y);
        else sk_dgemv(SK_TRANS, k, m, alpha, A, lda, xc, beta, y);
    } else {
        /* C(0,:) = alpha op(B)ᵀ x + beta C(0,:); B is k×n (NOTRANS) or n×k. */
        if (transb == SK_NOTRANS) sk_dgemv(SK_TRANS, k, n, alpha, B, ldb, xc, beta, y);
        else sk_dgemv(SK_NOTRANS, n, k, alpha, B, ldb, xc, beta, y);
    }
    if (y != C)
        for (int j = 0; j < ylen; j++) C[(size_t)j * incy] = y[j];
    SK_FREE(buf);
    return 1;
}

void sk__gemm(sk_trans_t transa, sk_trans_t transb, int m, int n, int k, double alpha,
              const double *A, int lda, const double *B, int ldb, double beta, double *C,
              int ldc)
{
    if (m == 0 || n == 0) return;
    if (k == 0 || alpha == 0.0) { sk__scale_matrix(m, n, beta, C, ldc); return; }
    if ((n == 1 || m == 1) &&
        sk__gemm_vector(transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc))
        return;
    if ((long long)m * n * k <= SK__GEMM_SMALL) {
        sk__scale_matrix(m, n, beta, C, ldc);
        sk__gemm_loops(transa, transb, m, n, k, alpha, A, lda, B, ldb, C, ldc);
        return;
    }

    const sk__gemm_arch *arch = sk__gemm_arch_select();
    const int mr = arch->mr, nr = arch->nr, bdup = arch->bdup;
    const sk__ukernel kernel = arch->kernel;

    /* Buffers sized for this problem (small calls from trsm/syrk stay small),
     * plus slack for aligning both to 64 bytes. */
    int mcmax = (SK__MIN(m, SK__MC) + mr - 1) / mr * mr;
    int ncmax = (SK__MIN(n, SK__NC) + nr - 1) / nr * nr;
    int kcmax = SK__MIN(k, SK__KC);
    long long apsize = (long long)mcmax * kcmax;
    long long bpsize = (long long)ncmax * kcmax * bdup;
    double *work = sk__alloc_doubles(apsize + bpsize + 16, 1);
    if (!work) {
        sk__scale_matrix(m, n, beta, C, ldc);
        sk__gemm_loops(transa, transb, m, n, k, alpha, A, lda, B, ldb, C, ldc);
        return;
    }
    double *Ap = sk__align64(work);
    double *Bp = sk__align64(Ap + apsize);

    for (int jc = 0; jc < n; jc += SK__NC) {
        int nc = SK__MIN(SK__NC, n - jc);
        for (int pc = 0; pc < k; pc += SK__KC) {
            int kc = SK__MIN(SK__KC, k - pc);
            double beff = pc == 0 ? beta : 1.0;
            arch->pack_b(transb, nr, bdup, kc, nc,
                       transb == SK_NOTRANS ? B + pc + (size_t)jc * ldb : B + jc + (size_t)pc * ldb,
                       ldb, Bp);
            for (int ic = 0; ic < m; ic += SK__MC) {
                int mc = SK__MIN(SK__MC, m - ic);
                arch->pack_a(transa, mr, bdup, kc, mc,
                           transa == SK_NOTRANS ? A + ic + (size_t)pc * lda : A + pc + (size_t)ic * lda,
                           lda, Ap);
                for (int jr = 0; jr < nc; jr += nr) {
                    int ncols = SK__MIN(nr, nc - jr);
                    const double *bp = Bp + (size_t)jr * kc * bdup;
                    double *cc = C + ic + (size_t)(jc + jr) * ldc;
                    for (int ir = 0; ir < mc; ir += mr) {
                        int nrows = SK__MIN(mr, mc - ir);
                        const double *ap = Ap + (size_t)ir * kc;
                        if (nrows == mr && ncols == nr) {
                            kernel(kc, ap, bp, cc + ir, ldc, alpha, beff);
                        } else {
                            /* Edge tile: same arithmetic via a buffer, then
                             * C = beta·C + (alpha·acc) on the valid part. */
                            double buf[SK__TILE_MAX];
                            kernel(kc, ap, bp, buf, mr, alpha, 0.0);
                            for (int j = 0; j < ncols; j++) {
                                double *c = cc + ir + (size_t)j * ldc;
                                const double *b = buf + j * mr;
                                if (beff == 0.0) for (int i = 0; i < nrows; i++) c[i] = b[i];
                                else for (int i = 0; i < nrows; i++) c[i] = beff * c[i] + b[i];
                            }
                        }
                    }
                }
            }
        }
    }
    SK_FREE(work);
}

int sk_dgemm(sk_trans_t transa, sk_trans_t transb, int m, int n, int k,
             double alpha, const double *A, int lda, const double *B, int ldb,
             double beta, double *C, int ldc)
{
    int arows = transa == SK_NOTRANS ? m : k, brows = transb == SK_NOTRANS ? k : n;
    SK__CHECK(transa == SK_NOTRANS || transa == SK_TRANS, 1);
    SK__CHECK(transb == SK_NOTRANS || transb == SK_TRANS, 2);
    SK__CHECK(m >= 0, 3); SK__CHECK(n >= 0, 4); SK__CHECK(k >= 0, 5);
    SK__CHECK(A || m == 0 || k == 0 || n == 0, 7); SK__CHECK(lda >= SK__MAX(1, arows), 8);
    SK__CHECK(B || m == 0 || k == 0 || n == 0, 9); SK__CHECK(ldb >= SK__MAX(1, brows), 10);
    SK__CHECK(C || m == 0 || n == 0, 12); SK__CHECK(ldc >= SK__MAX(1, m), 13);
    sk__gemm(transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    return 0;
}
