/*
 * trsm.c — sk_dtrsm (linalg.h): op(T) X = alpha B or X op(T) = alpha B.
 *
 * Recursive blocking (Elmroth, Gustavson, Jonsson & Kågström, "Recursive
 * blocked algorithms and hybrid data structures for dense matrix library
 * software", SIAM Review 46(1), 2004): split the triangle in two,
 *
 *   [T11    ] [X1]   [B1]      X1 = T11⁻¹ B1
 *   [T21 T22] [X2] = [B2]  =>  B2 −= T21 X1          (gemm)
 *                              X2 = T22⁻¹ B2
 *
 * and recurse on the halves, so all but O(order·BASE·rhs) of the flops go
 * through sk__gemm, and the big updates come first (the top-level one is a
 * quarter of the work). Below BASE a direct substitution runs, written in the
 * form whose inner loop is contiguous for that case (axpy over columns of T
 * for NOTRANS, dot products for TRANS). Divisions, not reciprocals, as the
 * reference BLAS, so a result matches it to the last bit more often.
 */
#include "kernels.h"

/* Order at or below which the triangular solve is done directly. */
#define SK__TRSM_BASE 32
/* Rows of B per pass of the right-side substitution (keeps the columns being
 * combined in L1/L2 when m is large). */
#define SK__TRSM_ROWS 256

/* First half of a split: about n/2, a multiple of 4 (gemm's register tile). */
static int sk__split(int n)
{
    int h = (n / 2 + 3) / 4 * 4;
    return h < n ? h : n / 2;
}

/* The block of op(T) with top-left corner (i0, j0), as stored, for gemm with
 * the same trans flag. */
static const double *sk__opt_at(const double *T, int ldt, sk_trans_t trans, int i0, int j0)
{
    return trans == SK_NOTRANS ? T + i0 + (size_t)j0 * ldt : T + j0 + (size_t)i0 * ldt;
}

/* op(T) X = B directly, T of order m (<= BASE), B m×n. Four columns of B
 * at a time, so each T entry loaded serves four updates. */
static void sk__trsm_left_base(sk_uplo_t uplo, sk_trans_t trans, sk_diag_t diag, int m, int n,
                               const double *T, int ldt, double *B, int ldb)
{
    int unit = diag == SK_UNIT;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        double *b0 = B + (size_t)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
        if (trans == SK_NOTRANS) {
            /* Column-oriented: once x_p is known, subtract x_p·T(:, p). */
            int lower = uplo == SK_LOWER;
            for (int q = 0; q < m; q++) {
                int p = lower ? q : m - 1 - q;
                const double *t = T + (size_t)p * ldt;
                if (!unit) { b0[p] /= t[p]; b1[p] /= t[p]; b2[p] /= t[p]; b3[p] /= t[p]; }
                double x0 = b0[p], x1 = b1[p], x2 = b2[p], x3 = b3[p];
                int i0 = lower ? p + 1 : 0, i1 = lower ? m : p;
                for (int i = i0; i < i1; i++) {
                    double ti = t[i];
                    b0[i] -= x0 * ti; b1[i] -= x1 * ti; b2[i] -= x2 * ti; b3[i] -= x3 * ti;
                }
            }
        } else {
            /* op(T)(i, :) is column i of T: a dot product per unknown. */
            int fwd = uplo == SK_UPPER;
            for (int q = 0; q < m; q++) {
                int i = fwd ? q : m - 1 - q;
                const double *t = T + (size_t)i * ldt;
                double s0 = b0[i], s1 = b1[i], s2 = b2[i], s3 = b3[i];
                int p0 = fwd ? 0 : i + 1, p1 = fwd ? i : m;
                for (int p = p0; p < p1; p++) {
                    double tp = t[p];
                    s0 -= tp * b0[p]; s1 -= tp * b1[p]; s2 -= tp * b2[p]; s3 -= tp * b3[p];
                }
                if (unit) { b0[i] = s0; b1[i] = s1; b2[i] = s2; b3[i] = s3; }
                else { b0[i] = s0 / t[i]; b1[i] = s1 / t[i]; b2[i] = s2 / t[i]; b3[i] = s3 / t[i]; }
            }
        }
    }
    for (; j < n; j++) {
        double *b = B + (size_t)j * ldb;
        if (trans == SK_NOTRANS) {
            int lower = uplo == SK_LOWER;
            for (int q = 0; q < m; q++) {
                int p = lower ? q : m - 1 - q;
                const double *t = T + (size_t)p * ldt;
                if (!unit) b[p] /= t[p];
                double x = b[p];
                int i0 = lower ? p + 1 : 0, i1 = lower ? m : p;
                for (int i = i0; i < i1; i++) b[i] -= x * t[i];
            }
        } else {
            int fwd = uplo == SK_UPPER;
            for (int q = 0; q < m; q++) {
                int i = fwd ? q : m - 1 - q;
                const double *t = T + (size_t)i * ldt;
                double s = b[i];
                int p0 = fwd ? 0 : i + 1, p1 = fwd ? i : m;
                for (int p = p0; p < p1; p++) s -= t[p] * b[p];
                b[i] = unit ? s : s / t[i];
            }
        }
    }
}

/* X op(T) = B directly, T of order n (<= BASE), B m×n: column j of X from
 * x_j op(T)(j,j) = b_j − Σ_{p≠j} x_p op(T)(p,j), axpys down the columns. */
static void sk__trsm_right_base(int oplower, sk_trans_t trans, sk_diag_t diag, int m, int n,
                                const double *T, int ldt, double *B, int ldb)
{
#define SK__OPT(i, j) (trans == SK_NOTRANS ? SK__AT(T, ldt, i, j) : SK__AT(T, ldt, j, i))
    for (int i0 = 0; i0 < m; i0 += SK__TRSM_ROWS) {
        int mb = SK__MIN(SK__TRSM_ROWS, m - i0);
        for (int jj = 0; jj < n; jj++) {
            int j = oplower ? n - 1 - jj : jj;
            double *b = B + i0 + (size_t)j * ldb;
            int p0 = oplower ? j + 1 : 0, p1 = oplower ? n : j;
            for (int p = p0; p < p1; p++) {
                double t = SK__OPT(p, j);
                const double *x = B + i0 + (size_t)p * ldb;
                for (int i = 0; i < mb; i++) b[i] -= x[i] * t;
            }
            if (diag != SK_UNIT) {
                double d = SK__OPT(j, j);
                for (int i = 0; i < mb; i++) b[i] /= d;
            }
        }
    }
#undef SK__OPT
}

static void sk__trsm_left(int oplower, sk_uplo_t uplo, sk_trans_t trans, sk_diag_t diag, int m,
                          int n, const double *T, int ldt, double *B, int ldb)
{
    if (m <= SK__TRSM_BASE) {
        sk__trsm_left_base(uplo, trans, diag, m, n, T, ldt, B, ldb);
        return;
    }
    int m1 = sk__split(m), m2 = m - m1;
    const double *T22 = T + m1 + (size_t)m1 * ldt;
    if (oplower) {
        sk__trsm_left(oplower, uplo, trans, diag, m1, n, T, ldt, B, ldb);
        sk__gemm(trans, SK_NOTRANS, m2, n, m1, -1.0, sk__opt_at(T, ldt, trans, m1, 0), ldt, B,
                 ldb, 1.0, B + m1, ldb);
        sk__trsm_left(oplower, uplo, trans, diag, m2, n, T22, ldt, B + m1, ldb);
    } else {
        sk__trsm_left(oplower, uplo, trans, diag, m2, n, T22, ldt, B + m1, ldb);
        sk__gemm(trans, SK_NOTRANS, m1, n, m2, -1.0, sk__opt_at(T, ldt, trans, 0, m1), ldt,
                 B + m1, ldb, 1.0, B, ldb);
        sk__trsm_left(oplower, uplo, trans, diag, m1, n, T, ldt, B, ldb);
    }
}

static void sk__trsm_right(int oplower, sk_trans_t trans, sk_diag_t diag, int m, int n,
                           const double *T, int ldt, double *B, int ldb)
{
    if (n <= SK__TRSM_BASE) {
        sk__trsm_right_base(oplower, trans, diag, m, n, T, ldt, B, ldb);
        return;
    }
    int n1 = sk__split(n), n2 = n - n1;
    const double *T22 = T + n1 + (size_t)n1 * ldt;
    double *B2 = B + (size_t)n1 * ldb;
    if (!oplower) {
        /* op(T) upper: X1 = B1 T11⁻¹, B2 −= X1 op(T)12, X2 = B2 T22⁻¹. */
        sk__trsm_right(oplower, trans, diag, m, n1, T, ldt, B, ldb);
        sk__gemm(SK_NOTRANS, trans, m, n2, n1, -1.0, B, ldb, sk__opt_at(T, ldt, trans, 0, n1),
                 ldt, 1.0, B2, ldb);
        sk__trsm_right(oplower, trans, diag, m, n2, T22, ldt, B2, ldb);
    } else {
        /* op(T) lower: X2 = B2 T22⁻¹, B1 −= X2 op(T)21, X1 = B1 T11⁻¹. */
        sk__trsm_right(oplower, trans, diag, m, n2, T22, ldt, B2, ldb);
        sk__gemm(SK_NOTRANS, trans, m, n1, n2, -1.0, B2, ldb, sk__opt_at(T, ldt, trans, n1, 0),
                 ldt, 1.0, B, ldb);
        sk__trsm_right(oplower, trans, diag, m, n1, T, ldt, B, ldb);
    }
}

int sk_dtrsm(sk_side_t side, sk_uplo_t uplo, sk_trans_t trans, sk_diag_t diag,
             int m, int n, double alpha, const double *T, int ldt, double *B,
             int ldb)
{
    SK__CHECK(side == SK_LEFT || side == SK_RIGHT, 1);
    SK__CHECK(uplo == SK_UPPER || uplo == SK_LOWER, 2);
    SK__CHECK(trans == SK_NOTRANS || trans == SK_TRANS, 3);
    SK__CHECK(diag == SK_NONUNIT || diag == SK_UNIT, 4);
    SK__CHECK(m >= 0, 5); SK__CHECK(n >= 0, 6);
    int order = side == SK_LEFT ? m : n;
    SK__CHECK(T || m == 0 || n == 0, 8); SK__CHECK(ldt >= SK__MAX(1, order), 9);
    SK__CHECK(B || m == 0 || n == 0, 10); SK__CHECK(ldb >= SK__MAX(1, m), 11);
    if (m == 0 || n == 0) return 0;
    /* alpha == 0: X = 0 without reading T or B (as BLAS), so NaN in either
     * does not propagate. */
    sk__scale_matrix(m, n, alpha, B, ldb);
    if (alpha == 0.0) return 0;
    /* op(T) is lower triangular iff (uplo == LOWER) xor (trans == TRANS). */
    int oplower = (uplo == SK_LOWER) != (trans == SK_TRANS);
    if (side == SK_LEFT)
        sk__trsm_left(oplower, uplo, trans, diag, m, n, T, ldt, B, ldb);
    else
        sk__trsm_right(oplower, trans, diag, m, n, T, ldt, B, ldb);
    return 0;
}
