/*
 * householder.h — private Householder reflector helpers shared by qr.c and
 * cpqr.c (LAPACK dlarfg, dlarf, dlarft, dlarfb). Not installed; the definitions
 * live in qr.c.
 *
 * A reflector is H = I − tau v vᵀ with v(0) = 1. The factorizations store v
 * below the diagonal with the leading 1 implied, as LAPACK does; the blocked
 * kernels below instead take an explicit copy of the reflector block V (ones on
 * the diagonal, zeros above), so that the whole of V·W can go through one
 * sk_dgemm call instead of a triangular product plus a gemm.
 */
#ifndef SKETCHLAB_LINALG_HOUSEHOLDER_H
#define SKETCHLAB_LINALG_HOUSEHOLDER_H

#include "internal.h"

/* Block size of the compact-WY code (LAPACK's default for dgeqrf/dorgqr). */
#define SK__QR_NB 32

/*
 * sk__dlarfg — generate a reflector H with H (alpha; x) = (beta; 0), H orthogonal
 * and symmetric (LAPACK dlarfg, including its rescaling of tiny vectors so
 * that beta does not underflow).
 *   n      order of H (x has n−1 contiguous entries).
 *   alpha  in: first entry; out: beta.
 *   x      in: the rest of the vector; out: v(1:n−1) (v(0) = 1 implied).
 *   tau    out: the scalar factor; 0 when x is already zero (H = I).
 */
void sk__dlarfg(int n, double *alpha, double *x, double *tau);

/*
 * sk__dlarf_left — C := H C for the m×n matrix C, H = I − tau v vᵀ with
 * v = (1; vtail) (vtail has m−1 entries). One fused pass per column (the dot
 * product and the axpy while the column is in L1), no workspace.
 */
void sk__dlarf_left(int m, int n, const double *vtail, double tau, double *C, int ldc);

/*
 * sk__copy_v — copy the k reflectors stored below the diagonal of the m×k
 * block A into V (m×k, ldv >= m) with explicit ones on the diagonal and zeros
 * above it (m >= k).
 */
void sk__copy_v(int m, int k, const double *A, int lda, double *V, int ldv);

/*
 * sk__dlarft — the k×k upper triangular factor T of the block reflector
 * H_1⋯H_k = I − V T Vᵀ (LAPACK dlarft, forward, columnwise). V is the explicit
 * m×k copy from sk__copy_v; T has ldt >= k.
 */
void sk__dlarft(int m, int k, const double *V, int ldv, const double *tau, double *T, int ldt);

/*
 * sk__dlarfb — apply the block reflector Q_b = I − V T Vᵀ or its transpose
 * (LAPACK dlarfb, forward, columnwise):
 *   side = SK_LEFT:  C := op(Q_b) C, C m×n, V m×k,  W workspace n×k (ldw >= n);
 *   side = SK_RIGHT: C := C op(Q_b), C m×n, V n×k,  W workspace m×k (ldw >= m).
 * V explicit as from sk__copy_v; T from sk__dlarft.
 */
void sk__dlarfb(sk_side_t side, sk_trans_t trans, int m, int n, int k, const double *V,
                int ldv, const double *T, int ldt, double *C, int ldc, double *W, int ldw);

#endif /* SKETCHLAB_LINALG_HOUSEHOLDER_H */
