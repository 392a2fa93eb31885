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

/*
 * Tolerances. Every numerical check in the native suites is
 *     err <= eps·(c_rel·|ref| + c_abs·scale)
 * a relative part (backward-stable arithmetic on the quantity itself) plus an
 * absolute part in units of eps times the problem's scale (||A||, sigma_1, 1
 * for sines and unit vectors): rounding in the test's own construction and in
 * a BLAS kernel's summation order is absolute, so a purely relative bound on a
 * small quantity cannot hold on every OpenBLAS kernel. c_rel and c_abs are
 * the error bound's constant (dimension factors included) times a margin of
 * 10–100 over the worst error observed across the Prescott, Haswell, SkylakeX
 * and native kernels (`make test-kernels`). Each call site says in a comment
 * which bound it comes from.
 */
static inline double tu_bound(double c_rel, double ref, double c_abs, double scale)
{
    return TU_EPS * (c_rel * (ref < 0 ? -ref : ref) + c_abs * (scale < 0 ? -scale : scale));
}

/*
 * Two computations of a squared residual res2 = ||E||_F² (reported by the
 * library vs recomputed here with BLAS) differ by rel·res2 (a few eps per
 * term of the sum: 4500·eps at most call sites) plus a mixed absolute part: each entry of E
 * carries ~n·eps·||A|| absolute, so ||E||² moves by 2·||E||·n·eps·||A||;
 * c_abs is that 2·n times the margin. A wrong or stale residual is off by
 * O(res2) and still fails.
 */
static inline double tu_res2_bound(double rel, double res2, double c_abs, double anorm)
{
    return rel * res2 + TU_EPS * c_abs * anorm * __builtin_sqrt(res2 > 0 ? res2 : 0);
}

/*
 * tu_assert_within(err, bound, what...): fail the test (cmocka fail_msg) unless
 * err <= bound (a NaN err fails), printing err, bound and what (printf-style).
 * Every call records err/bound per call site; when TU_TOL_REPORT names a file,
 * the worst ratio of each site is appended to it at exit with the OpenBLAS
 * kernel that ran (the table `make test-kernels` prints).
 */
#define tu_assert_within(err, bound, ...) tu_check_within_((err), (bound), __FILE__, __LINE__, __VA_ARGS__)
void tu_check_within_(double err, double bound, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

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
