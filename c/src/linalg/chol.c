/*
 * chol.c — Cholesky factorization (linalg.h: sk_dpotrf).
 *
 * Blocked left-looking form of LAPACK dpotrf (GVL §4.2.9): for each diagonal
 * block, subtract the contribution of the columns already factored (sk_dsyrk),
 * factor it with the unblocked algorithm, then update and solve for the block
 * column below it (SK_LOWER) or block row to its right (SK_UPPER) with sk_dgemm
 * and sk_dtrsm. Only the uplo triangle is read or written. No workspace.
 */
#include <float.h>
#include <math.h>

#include "internal.h"

#define SK__CHECK(cond, idx) do { if (!(cond)) return -(idx); } while (0)

#define SK__CHOL_NB 32

/*
 * A pivot is acceptable only if it is > 0 and finite; written as a single
 * comparison chain so that a NaN (for which every comparison is false) fails.
 */
static int sk__pivot_ok(double ajj)
{
    return ajj > 0.0 && ajj <= DBL_MAX;
}

/*
 * Unblocked Cholesky of the n×n diagonal block (LAPACK dpotf2). Returns 0, or
 * SK_ENOTPD with the offending (non-positive or non-finite) pivot left in
 * A(j, j), as LAPACK does.
 */
static int sk__potf2(sk_uplo_t uplo, int n, double *A, int lda)
{
    for (int j = 0; j < n; j++) {
        double ajj = SK__AT(A, lda, j, j);
        if (uplo == SK_LOWER) {
            for (int p = 0; p < j; p++) { double l = SK__AT(A, lda, j, p); ajj -= l * l; }
        } else {
            const double *u = A + (size_t)j * lda;
            for (int p = 0; p < j; p++) ajj -= u[p] * u[p];
        }
        if (!sk__pivot_ok(ajj)) {
            SK__AT(A, lda, j, j) = ajj;
            return SK_ENOTPD;
        }
        ajj = sqrt(ajj);
        SK__AT(A, lda, j, j) = ajj;
        double r = 1.0 / ajj;
        if (uplo == SK_LOWER) {
            /* L(j+1:n, j) = (A(j+1:n, j) − L(j+1:n, 0:j) L(j, 0:j)ᵀ) / L(j,j) */
            double *col = A + (size_t)j * lda;
            for (int p = 0; p < j; p++) {
                double l = SK__AT(A, lda, j, p);
                if (l == 0.0) continue;
                const double *lp = A + (size_t)p * lda;
                for (int i = j + 1; i < n; i++) col[i] -= l * lp[i];
            }
            for (int i = j + 1; i < n; i++) col[i] *= r;
        } else {
            /* U(j, j+1:n) = (A(j, j+1:n) − U(0:j, j)ᵀ U(0:j, j+1:n)) / U(j,j) */
            const double *u = A + (size_t)j * lda;
            for (int c = j + 1; c < n; c++) {
                double *uc = A + (size_t)c * lda;
                double s = uc[j];
                for (int p = 0; p < j; p++) s -= u[p] * uc[p];
                uc[j] = s * r;
            }
        }
    }
    return 0;
}

int sk_dpotrf(sk_uplo_t uplo, int n, double *A, int lda)
{
    SK__CHECK(uplo == SK_UPPER || uplo == SK_LOWER, 1);
    SK__CHECK(n >= 0, 2);
    SK__CHECK(A || n == 0, 3);
    SK__CHECK(lda >= SK__MAX(1, n), 4);

    for (int j = 0; j < n; j += SK__CHOL_NB) {
        int jb = SK__MIN(SK__CHOL_NB, n - j);
        int rest = n - j - jb;
        double *Ajj = &SK__AT(A, lda, j, j);
        if (uplo == SK_LOWER) {
            const double *Lj0 = &SK__AT(A, lda, j, 0); /* L(j:j+jb, 0:j) */
            sk_dsyrk(SK_LOWER, SK_NOTRANS, jb, j, -1.0, Lj0, lda, 1.0, Ajj, lda);
            if (sk__potf2(SK_LOWER, jb, Ajj, lda)) return SK_ENOTPD;
            if (rest > 0) {
                double *A21 = Ajj + jb;
                /* A21 −= L20 L10ᵀ, then L21 = A21 L11⁻ᵀ. */
                sk_dgemm(SK_NOTRANS, SK_TRANS, rest, jb, j, -1.0, &SK__AT(A, lda, j + jb, 0), lda,
                         Lj0, lda, 1.0, A21, lda);
                sk_dtrsm(SK_RIGHT, SK_LOWER, SK_TRANS, SK_NONUNIT, rest, jb, 1.0, Ajj, lda, A21,
                         lda);
            }
        } else {
            const double *U0j = A + (size_t)j * lda; /* U(0:j, j:j+jb) */
            sk_dsyrk(SK_UPPER, SK_TRANS, jb, j, -1.0, U0j, lda, 1.0, Ajj, lda);
            if (sk__potf2(SK_UPPER, jb, Ajj, lda)) return SK_ENOTPD;
            if (rest > 0) {
                double *A12 = Ajj + (size_t)jb * lda;
                /* A12 −= U01ᵀ U02, then U12 = U11⁻ᵀ A12. */
                sk_dgemm(SK_TRANS, SK_NOTRANS, jb, rest, j, -1.0, U0j, lda,
                         A + (size_t)(j + jb) * lda, lda, 1.0, A12, lda);
                sk_dtrsm(SK_LEFT, SK_UPPER, SK_TRANS, SK_NONUNIT, jb, rest, 1.0, Ajj, lda, A12,
                         lda);
            }
        }
    }
    return 0;
}
