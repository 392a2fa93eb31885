/*
 * sketchlab/linalg.h — dense kernels and factorizations (double, column-major).
 *
 * Conventions (LAPACK/BLAS): every matrix is followed by its leading dimension
 * ld >= max(1, rows); dimensions come first, outputs last. Sizes are int and
 * may be 0 (an empty problem is a successful no-op unless the doc says
 * otherwise). Arguments are checked in order and the first invalid one i gives
 * -i. Functions that need workspace allocate it internally through SK_MALLOC and
 * return SK_ENOMEM if that fails; nothing is left allocated on any return path.
 * None of these functions checks its inputs for NaN/Inf (that costs a pass over
 * the data); call sk_all_finite first where input is untrusted (the JS layer does).
 *
 * References: BLAS (Dongarra et al.), LAPACK Users' Guide 3rd ed.; Golub & Van
 * Loan, Matrix Computations 4th ed. (GVL).
 */
#ifndef SKETCHLAB_LINALG_H
#define SKETCHLAB_LINALG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Operation codes, as BLAS characters but typed. */
typedef enum { SK_NOTRANS = 0, SK_TRANS = 1 } sk_trans_t;
typedef enum { SK_UPPER = 0, SK_LOWER = 1 } sk_uplo_t;
typedef enum { SK_LEFT = 0, SK_RIGHT = 1 } sk_side_t;
typedef enum { SK_NONUNIT = 0, SK_UNIT = 1 } sk_diag_t;

/* ------------------------------------------------------------------------- */
/* Level-1 / norms                                                            */
/* ------------------------------------------------------------------------- */

/*
 * sk_all_finite — 1 if all m×n entries of A are finite, 0 otherwise (also 0 for
 * a NULL A with m*n > 0). Never fails.
 */
int sk_all_finite(int m, int n, const double *A, int lda);

/*
 * sk_dnrm2 — Euclidean norm of x (n entries, stride incx >= 1), computed
 * without overflow or harmful underflow (scaled sum of squares, as LAPACK dnrm2).
 * Returns the norm (0 for n <= 0).
 */
double sk_dnrm2(int n, const double *x, int incx);

/*
 * sk_dlange — a norm of the m×n matrix A.
 *   norm  'F' Frobenius (overflow-safe), 'M' max |a_ij|, '1' max column sum,
 *         'I' max row sum.
 * Returns the norm, 0 for an empty matrix, and -1.0 for an unknown norm letter
 * or invalid dimensions (a norm is never negative, so the sign is the signal).
 */
double sk_dlange(char norm, int m, int n, const double *A, int lda);

/* ------------------------------------------------------------------------- */
/* Level-2/3 kernels (cache-blocked; written so that compilers vectorize them  */
/* under -msimd128 / SSE2)                                                     */
/* ------------------------------------------------------------------------- */

/*
 * sk_dgemm — C := alpha op(A) op(B) + beta C, with op(X) = X or Xᵀ.
 *   op(A) is m×k, op(B) is k×n, C is m×n.
 *   lda >= max(1, rows of A as stored), likewise ldb, ldc >= max(1, m).
 * beta == 0 overwrites C without reading it (NaNs in C do not propagate).
 * Returns 0 or -i. Cost 2mnk flops.
 */
int sk_dgemm(sk_trans_t transa, sk_trans_t transb, int m, int n, int k,
             double alpha, const double *A, int lda, const double *B, int ldb,
             double beta, double *C, int ldc);

/*
 * sk_dgemv — y := alpha op(A) x + beta y, A m×n, x and y contiguous.
 *   trans = SK_NOTRANS: x has n entries, y has m; SK_TRANS: x has m, y has n.
 * beta == 0 overwrites y. Returns 0 or -i. Cost 2mn flops.
 */
int sk_dgemv(sk_trans_t trans, int m, int n, double alpha, const double *A,
             int lda, const double *x, double beta, double *y);

/*
 * sk_dtrsm — solve op(T) X = alpha B (side = SK_LEFT) or X op(T) = alpha B
 * (SK_RIGHT) for X, overwriting B (m×n). T is triangular (uplo), of order m
 * (left) or n (right), unit or non-unit diagonal. No test for singularity is
 * made (as BLAS): a zero diagonal gives Inf/NaN. Returns 0 or -i.
 */
int sk_dtrsm(sk_side_t side, sk_uplo_t uplo, sk_trans_t trans, sk_diag_t diag,
             int m, int n, double alpha, const double *T, int ldt, double *B,
             int ldb);

/*
 * sk_dsyrk — C := alpha AᵀA + beta C (trans = SK_TRANS, A is k×n) or
 * C := alpha AAᵀ + beta C (SK_NOTRANS, A is n×k); C is n×n symmetric and only
 * its uplo triangle is referenced and updated. Returns 0 or -i. Cost n²k flops.
 */
int sk_dsyrk(sk_uplo_t uplo, sk_trans_t trans, int n, int k, double alpha,
             const double *A, int lda, double beta, double *C, int ldc);

/* ------------------------------------------------------------------------- */
/* QR                                                                         */
/* ------------------------------------------------------------------------- */

/*
 * sk_dgeqrf — blocked Householder QR, A = QR (LAPACK dgeqrf, compact WY).
 *   [in,out] A    m×n; on exit R in the upper triangle, the Householder vectors
 *                 v_i (v_i(i) = 1 implied) below the diagonal.
 *   [out]    tau  min(m,n) scalar factors, H_i = I − tau_i v_i v_iᵀ, Q = H_1⋯H_k.
 * Any finite scale: when max|a_ij| is outside 2^±256, A is factored as 2^-e·A
 * (exact: the same reflectors and tau) and R is scaled back by 2^e.
 * Returns 0, -i, SK_ENOMEM, or SK_EINVAL when an entry of R exceeds DBL_MAX
 * (cannot be represented; A then holds unusable values: scale A by 2^-k and
 * keep the factor 2^k of R). Cost 2mn² − 2n³/3 flops (m >= n).
 */
int sk_dgeqrf(int m, int n, double *A, int lda, double *tau);

/*
 * sk_dorgqr — form the m×n matrix Q with orthonormal columns, the first n
 * columns of H_1⋯H_k, from the output of sk_dgeqrf/sk_dgeqp3 (LAPACK dorgqr).
 *   m >= n >= k >= 0. A (m×n) holds the k reflectors on entry, Q on exit.
 * Returns 0, -i, or SK_ENOMEM.
 */
int sk_dorgqr(int m, int n, int k, double *A, int lda, const double *tau);

/*
 * sk_dormqr — C := op(Q) C (side = SK_LEFT, C m×n, Q of order m) or
 * C := C op(Q) (SK_RIGHT, Q of order n), with Q = H_1⋯H_k from sk_dgeqrf
 * (LAPACK dormqr). A holds the k reflectors in its first k columns and has
 * lda >= max(1, order of Q). Returns 0, -i, or SK_ENOMEM.
 */
int sk_dormqr(sk_side_t side, sk_trans_t trans, int m, int n, int k,
              const double *A, int lda, const double *tau, double *C, int ldc);

/*
 * sk_dgeqp3 — QR with column pivoting, A P = Q R (Businger–Golub; LAPACK
 * dgeqp3/dlaqp2), that can stop early.
 *   [in,out] A       m×n; on exit the first `*rank` Householder steps: R(1:r,:)
 *                    in the upper trapezoid, reflectors below; the trailing
 *                    block A(r+1:m, r+1:n) holds the (unfactored) residual R22.
 *   [out]    jpvt    n entries, 0-based: column j of A·P is column jpvt[j] of
 *                    the input. All n are set (the trailing ones in the order
 *                    they were left in).
 *   [out]    tau     min(m,n) factors (entries past *rank are set to 0).
 *   [in]     maxrank stop after this many steps; 0 <= maxrank <= min(m,n).
 *   [in]     tol     stop as soon as ||R22||_F² <= tol·||A||_F² (the residual
 *                    mass; sketchlab's one meaning of a tolerance, see
 *                    specs/pivoting.md §1.1(c)); tol = 0 disables the test.
 *                    Must be finite and >= 0.
 *   [out]    rank    the number of steps taken.
 *   [out]    res2    ||R22||_F² at exit (from recomputed column norms), in A's
 *                    units, may be NULL. With a prescale (below) it is the scaled
 *                    run's value times 2^(2e), so it is +Inf when ||R22||_F exceeds
 *                    sqrt(DBL_MAX) ≈ 1.34e154, a subnormal with fewer digits
 *                    when it is below sqrt(DBL_MIN) ≈ 1.49e-154, and 0 below
 *                    about 1.6e-162, with status 0 (the factorization itself is
 *                    fine). For a relative
 *                    residual at any scale, factor 2^-e·A yourself (sk_dgeqp3 then
 *                    does not rescale; e from frexp of max|a_ij|) and divide by
 *                    ||2^-e·A||_F², as the JS cpqr does.
 * Pivot choice: largest remaining column norm, ties to the lowest index — the
 * same pivots as dgeqp3 when the column norms are distinct. Norms are
 * downdated and recomputed when cancellation has lost half the digits (the
 * dlaqp2 test with tol3z = sqrt(eps)).
 * Any finite scale: when max|a_ij| is outside 2^±256 (column norms that would
 * overflow near DBL_MAX, or squares that underflow), A is factored as 2^-e·A
 * (exact: the same pivots, reflectors and tau) and R, R22 and res2 are scaled
 * back. The tolerance test is made in the scaled run, so it is scale-free.
 * Returns 0, -i, SK_ENOMEM, or SK_EINVAL when an entry of R or R22 exceeds
 * DBL_MAX (cannot be represented: scale A by 2^-k and keep the factor 2^k). Cost about 4mnk − 2k²(m+n) + 4k³/3 flops.
 */
int sk_dgeqp3(int m, int n, double *A, int lda, int *jpvt, double *tau,
              int maxrank, double tol, int *rank, double *res2);

/* ------------------------------------------------------------------------- */
/* LU, Cholesky                                                               */
/* ------------------------------------------------------------------------- */

/*
 * sk_dgetrf — LU with partial pivoting, P A = L U (LAPACK dgetrf, blocked,
 * right-looking). A is m×n; on exit L (unit lower, m×min(m,n), diagonal not
 * stored) and U (min(m,n)×n, upper).
 *   [out] ipiv  min(m,n) 0-based row interchanges: row i was swapped with
 *               row ipiv[i] (i <= ipiv[i] < m), in order i = 0, 1, ...
 * Any finite scale: when max|a_ij| is outside 2^±256, A is factored as 2^-e·A
 * (exact; partial pivoting is scale invariant: the same L and ipiv) and U is
 * scaled back by 2^e.
 * Returns 0, -i, SK_ESINGULAR if some U(i,i) of the returned U is exactly
 * zero (also one that is non-zero in 2^-e·A's factor but below the smallest
 * subnormal in A's units; the factorization is still completed, as LAPACK's
 * INFO > 0), or SK_EINVAL when
 * an entry of U exceeds DBL_MAX (cannot be represented; A then holds unusable
 * values: scale A by 2^-k and keep the factor 2^k of U). Never SK_ENOMEM.
 */
int sk_dgetrf(int m, int n, double *A, int lda, int *ipiv);

/*
 * sk_ipiv_to_perm — turn k interchanges (as from sk_dgetrf) on m rows into a
 * permutation: perm[i] = the original row that ends up in row i, so that
 * (P A)(i, :) = A(perm[i], :). perm has m entries. Returns 0 or -i.
 */
int sk_ipiv_to_perm(int m, int k, const int *ipiv, int *perm);

/*
 * sk_dpotrf — Cholesky factorization of a symmetric positive definite n×n A
 * (blocked; LAPACK dpotrf). Only the uplo triangle is read; on exit it holds
 * L (A = L Lᵀ, SK_LOWER) or U (A = UᵀU, SK_UPPER); the other triangle is not
 * touched. Returns 0, -i, SK_ENOMEM, or SK_ENOTPD when a pivot is <= 0 or not
 * finite (A is then partially overwritten).
 */
int sk_dpotrf(sk_uplo_t uplo, int n, double *A, int lda);

/* ------------------------------------------------------------------------- */
/* SVD and symmetric eigenproblem                                             */
/* ------------------------------------------------------------------------- */

/*
 * sk_dgesvd — thin SVD A = U diag(s) Vᵀ of an m×n matrix, accurate to working
 * precision: each computed singular value is within a modest multiple of
 * n·eps·σ₁ of the exact one, and U, V are orthonormal to n·eps.
 *   [in,out] A  m×n; destroyed.
 *   [out]    s  k = min(m,n) singular values, descending, >= 0.
 *   [out]    U  m×k left singular vectors (ldu >= max(1,m)); may be NULL to skip.
 *   [out]    V  n×k right singular vectors (ldv >= max(1,n)), V not Vᵀ; may be NULL.
 * Returns 0, -i, SK_ENOMEM, or SK_ENOCONV (the iteration limit was reached;
 * the outputs are then a best effort and should not be trusted).
 */
int sk_dgesvd(int m, int n, double *A, int lda, double *s, double *U, int ldu,
              double *V, int ldv);

/*
 * sk_dsyevd — all eigenvalues (ascending, as LAPACK dsyev) and, if wanted,
 * orthonormal eigenvectors of a symmetric n×n matrix. Only the lower triangle
 * of A is read.
 *   [in,out] A  n×n; on exit, if vectors != 0, the eigenvectors as columns
 *               (column j for w[j]); otherwise destroyed.
 *   [out]    w  n eigenvalues, ascending.
 *   vectors     1 to compute eigenvectors, 0 for values only.
 * Returns 0, -i, SK_ENOMEM, or SK_ENOCONV.
 */
int sk_dsyevd(int vectors, int n, double *A, int lda, double *w);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_LINALG_H */
