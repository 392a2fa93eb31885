/*
 * testutil.h — shared helpers for the native cmocka tests: random and
 * structured test matrices (built with LAPACK, independent of the library
 * under test) and the scaled residuals every factorization test reports.
 */
#ifndef SKETCHLAB_TESTUTIL_H
#define SKETCHLAB_TESTUTIL_H

#include <float.h>
#include <stddef.h>

#define TU_EPS DBL_EPSILON

/* malloc that fails the test (cmocka fail_msg) on NULL; zero-filled. */
double *tu_zeros(int m, int n);
/* Copy of an m×n matrix into fresh storage with ld = m. */
double *tu_copy(int m, int n, const double *A, int lda);

/* m×n i.i.d. N(0,1) entries from LAPACK dlarnv, seeded by `seed`. */
double *tu_randn(int m, int n, int seed);

/* m×k (m >= k) with orthonormal columns: Q of the QR of a Gaussian matrix. */
double *tu_orthonormal(int m, int k, int seed);

/* m×n matrix U diag(s) Vᵀ with Haar-ish random U, V and given min(m,n) values s. */
double *tu_with_spectrum(int m, int n, const double *s, int seed);

/* Frobenius norm of an m×n matrix (LAPACK dlange). */
double tu_fro(int m, int n, const double *A, int lda);

/* ||A − B||_F for two m×n matrices. */
double tu_diff_fro(int m, int n, const double *A, int lda, const double *B, int ldb);

/* ||QᵀQ − I||_F for an m×k matrix Q. */
double tu_orth_err(int m, int k, const double *Q, int ldq);

/* C = A·B (m×k times k×n) through cblas_dgemm, into fresh storage (ld = m). */
double *tu_matmul(int m, int n, int k, const double *A, int lda, const double *B, int ldb);

#endif
