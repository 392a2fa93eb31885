/*
 * gemv_multi.h — sk__gemv_t_multi (c/src/linalg/gemv_multi.c), for modules
 * that multiply a tall block of A, transposed, by a few vectors.
 */
#ifndef SKETCHLAB_GEMV_MULTI_H
#define SKETCHLAB_GEMV_MULTI_H

/*
 * sk__gemv_t_multi — Y(j, v) += Σ_i A(i, j)·X(i, v) for j < n, v < nv:
 * Y (n×nv, leading dimension ldy) += Aᵀ X with A m×n (lda >= m), X m×nv
 * (ldx >= m), in one pass over A with unit stride and no packing (the
 * right tool for a block of A that is in cache, against a few vectors; for
 * many vectors use sk_dgemm). No argument checks; m, n or nv <= 0: no-op.
 * Rounding is the same on every machine and in every build (AVX-512, AVX,
 * SSE2, wasm): eight interleaved partial sums in a fixed reduction tree (see
 * the .c file), hence not that of sk_dgemv or sk_dgemm. Cost: 2mn·nv flops.
 */
void sk__gemv_t_multi(int m, int n, int nv, const double *A, int lda, const double *X, int ldx,
                      double *Y, int ldy);

/* The same with a chosen kernel (for the tests): 0 portable, 1 AVX, 2 AVX-512F,
   -1 the best this machine has; one it lacks falls back to the best it has.
   Returns the kernel used. */
int sk__gemv_t_multi_with(int kernel, int m, int n, int nv, const double *A, int lda,
                          const double *X, int ldx, double *Y, int ldy);

#endif
