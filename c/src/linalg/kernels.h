/*
 * kernels.h — private to the dense level-2/3 kernels (gemm.c, gemv.c, trsm.c,
 * syrk.c; norms.c uses the vectors too): a two-lane double vector
 * abstraction and the unchecked gemm entry point that trsm and syrk route
 * most of their flops through.
 *
 * The vector type has three implementations: wasm SIMD (-msimd128), SSE2
 * (every x86-64), and a plain struct for everything else (baseline wasm).
 * All three do the same IEEE operations lane by lane, and there is no FMA in
 * any of them, so a kernel written against this interface rounds identically
 * in every build (the Makefile's -ffp-contract=off keeps the compiler from
 * fusing the scalar parts).
 */
#ifndef SKETCHLAB_LINALG_KERNELS_H
#define SKETCHLAB_LINALG_KERNELS_H

#include <math.h>

#include "internal.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
typedef v128_t sk__v2;
static inline sk__v2 sk__v2_load(const double *p) { return wasm_v128_load(p); }
static inline sk__v2 sk__v2_loada(const double *p) { return wasm_v128_load(p); }
static inline void sk__v2_store(double *p, sk__v2 v) { wasm_v128_store(p, v); }
static inline sk__v2 sk__v2_splat(double x) { return wasm_f64x2_splat(x); }
static inline sk__v2 sk__v2_loadsplat(const double *p) { return wasm_v128_load64_splat(p); }
static inline sk__v2 sk__v2_add(sk__v2 a, sk__v2 b) { return wasm_f64x2_add(a, b); }
static inline sk__v2 sk__v2_sub(sk__v2 a, sk__v2 b) { return wasm_f64x2_sub(a, b); }
static inline sk__v2 sk__v2_mul(sk__v2 a, sk__v2 b) { return wasm_f64x2_mul(a, b); }
static inline sk__v2 sk__v2_abs(sk__v2 a) { return wasm_f64x2_abs(a); }
/* a > b ? a : b per lane (b when either is NaN), as the SSE2 and scalar ones. */
static inline sk__v2 sk__v2_max(sk__v2 a, sk__v2 b) { return wasm_f64x2_pmax(b, a); }
/* {a0, b0} and {a1, b1}: a 2×2 transpose (packing). */
static inline sk__v2 sk__v2_unpacklo(sk__v2 a, sk__v2 b) { return wasm_i64x2_shuffle(a, b, 0, 2); }
static inline sk__v2 sk__v2_unpackhi(sk__v2 a, sk__v2 b) { return wasm_i64x2_shuffle(a, b, 1, 3); }
static inline double sk__v2_lo(sk__v2 v) { return wasm_f64x2_extract_lane(v, 0); }
static inline double sk__v2_hi(sk__v2 v) { return wasm_f64x2_extract_lane(v, 1); }
#define SK__V2_NAME "wasm-simd128"
#elif defined(__SSE2__)
#include <emmintrin.h>
typedef __m128d sk__v2;
static inline sk__v2 sk__v2_load(const double *p) { return _mm_loadu_pd(p); }
/* 16-byte aligned load: lets the compiler fold it into mulpd's memory operand. */
static inline sk__v2 sk__v2_loada(const double *p) { return _mm_load_pd(p); }
static inline void sk__v2_store(double *p, sk__v2 v) { _mm_storeu_pd(p, v); }
static inline sk__v2 sk__v2_splat(double x) { return _mm_set1_pd(x); }
static inline sk__v2 sk__v2_loadsplat(const double *p) { return _mm_load1_pd(p); }
static inline sk__v2 sk__v2_add(sk__v2 a, sk__v2 b) { return _mm_add_pd(a, b); }
static inline sk__v2 sk__v2_sub(sk__v2 a, sk__v2 b) { return _mm_sub_pd(a, b); }
static inline sk__v2 sk__v2_mul(sk__v2 a, sk__v2 b) { return _mm_mul_pd(a, b); }
static inline sk__v2 sk__v2_abs(sk__v2 a) { return _mm_andnot_pd(_mm_set1_pd(-0.0), a); }
static inline sk__v2 sk__v2_max(sk__v2 a, sk__v2 b) { return _mm_max_pd(a, b); } /* a > b ? a : b */
static inline sk__v2 sk__v2_unpacklo(sk__v2 a, sk__v2 b) { return _mm_unpacklo_pd(a, b); }
static inline sk__v2 sk__v2_unpackhi(sk__v2 a, sk__v2 b) { return _mm_unpackhi_pd(a, b); }
static inline double sk__v2_lo(sk__v2 v) { return _mm_cvtsd_f64(v); }
static inline double sk__v2_hi(sk__v2 v) { return _mm_cvtsd_f64(_mm_unpackhi_pd(v, v)); }
#define SK__V2_NAME "sse2"
#else
typedef struct { double x0, x1; } sk__v2;
static inline sk__v2 sk__v2_load(const double *p) { sk__v2 v = { p[0], p[1] }; return v; }
static inline sk__v2 sk__v2_loada(const double *p) { return sk__v2_load(p); }
static inline void sk__v2_store(double *p, sk__v2 v) { p[0] = v.x0; p[1] = v.x1; }
static inline sk__v2 sk__v2_splat(double x) { sk__v2 v = { x, x }; return v; }
static inline sk__v2 sk__v2_loadsplat(const double *p) { return sk__v2_splat(*p); }
static inline sk__v2 sk__v2_add(sk__v2 a, sk__v2 b) { sk__v2 v = { a.x0 + b.x0, a.x1 + b.x1 }; return v; }
static inline sk__v2 sk__v2_sub(sk__v2 a, sk__v2 b) { sk__v2 v = { a.x0 - b.x0, a.x1 - b.x1 }; return v; }
static inline sk__v2 sk__v2_mul(sk__v2 a, sk__v2 b) { sk__v2 v = { a.x0 * b.x0, a.x1 * b.x1 }; return v; }
static inline sk__v2 sk__v2_abs(sk__v2 a) { sk__v2 v = { fabs(a.x0), fabs(a.x1) }; return v; }
static inline sk__v2 sk__v2_max(sk__v2 a, sk__v2 b)
{
    sk__v2 v = { a.x0 > b.x0 ? a.x0 : b.x0, a.x1 > b.x1 ? a.x1 : b.x1 };
    return v;
}
static inline sk__v2 sk__v2_unpacklo(sk__v2 a, sk__v2 b) { sk__v2 v = { a.x0, b.x0 }; return v; }
static inline sk__v2 sk__v2_unpackhi(sk__v2 a, sk__v2 b) { sk__v2 v = { a.x1, b.x1 }; return v; }
static inline double sk__v2_lo(sk__v2 v) { return v.x0; }
static inline double sk__v2_hi(sk__v2 v) { return v.x1; }
#define SK__V2_NAME "scalar"
#endif

/* Argument checks shared by the kernels: returns -(index) from the caller. */
#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

/* C := beta C for an m×n block; beta == 0 stores zeros without reading C. */
void sk__scale_matrix(int m, int n, double beta, double *C, int ldc);

/*
 * sk__gemm — C := alpha op(A) op(B) + beta C with no argument checks (the
 * caller guarantees valid sizes and leading dimensions). Cache-blocked and
 * packed; if the packing buffers cannot be allocated it falls back to plain
 * loops, so it never fails. beta == 0 does not read C.
 */
void sk__gemm(sk_trans_t transa, sk_trans_t transb, int m, int n, int k, double alpha,
              const double *A, int lda, const double *B, int ldb, double beta, double *C,
              int ldc);

#endif /* SKETCHLAB_LINALG_KERNELS_H */
