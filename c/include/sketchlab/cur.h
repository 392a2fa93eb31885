/*
 * sketchlab/cur.h — CUR decompositions from a column skeleton, and row IDs.
 *
 * A CUR decomposition A ≈ C·U·R keeps k actual columns C = A(:,J) and k actual
 * rows R = A(I,:) of an m×n matrix (interpretable factors that inherit
 * sparsity and non-negativity), with a k×k core U (specs/pivoting.md §1.9):
 *   1. J: a column skeleton, from any column-ID method (sk_id_cols, or the
 *      pivots of sk_rpchol for a PSD matrix);
 *   2. I: the first k pivots of column-pivoted QR of Cᵀ (k×m), i.e. a row ID
 *      of C, O(mk²) and no extra pass over A (Dong & Martinsson's CUR-ID);
 *   3. the core, one of
 *      SK_CUR_OPTIMAL  U = C⁺·A·R⁺, the minimizer of ||A − C·U·R||_F for the
 *                      given C and R. Evaluated through Householder QR of C
 *                      and Rᵀ:  C = Q_C·T_C,  Rᵀ = Q_R·T_R,
 *                          U = T_C⁻¹·(Q_Cᵀ·A·Q_R)·T_R⁻ᵀ,
 *                      so that C·U·R = Q_C·(Q_Cᵀ A Q_R)·Q_Rᵀ. Never through the
 *                      normal equations (CᵀC)⁻¹, which square cond(C) (≈ 1e12
 *                      at k = 400 in the fast-decay example of §3.5.7), and
 *                      not through two independent least-squares solves,
 *                      which lose ~5 digits there. One extra pass over A.
 *      SK_CUR_CROSS    U = A(I,J)⁻¹ (cross/skeleton approximation): no pass
 *                      over A, O(k³), but 6–2000× less accurate in §3.5.7.
 *                      By LU with partial pivoting of A(I,J).
 *
 * Row IDs: sk_id_rows is the column ID of Aᵀ (A ≈ W·A(I,:), W(I,:) = I_k).
 */
#ifndef SKETCHLAB_CUR_H
#define SKETCHLAB_CUR_H

#include "rng.h"
#include "lowrank.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SK_CUR_OPTIMAL = 0, SK_CUR_CROSS = 1 } sk_cur_core_t;

/*
 * sk_cur — CUR decomposition A ≈ C·U·R on a given column skeleton.
 *   [in]  m, n   A is m×n, m, n >= 0 (arguments 1, 2).
 *   [in]  A      the matrix (not modified), lda >= max(1, m) (3, 4).
 *   [in]  k      skeleton size, 0 <= k <= min(m, n), else SK_ERANK (5).
 *   [in]  J      k distinct column indices in [0, n) (6), e.g. S from sk_id_cols.
 *   [in]  core   sk_cur_core_t (7).
 *   [out] rows   k row indices I (0-based), the CPQR pivot order of Cᵀ (8).
 *   [out] C      m×k, A(:,J), ldc >= max(1, m); may be NULL (9, 10).
 *   [out] U      k×k core, ldu >= max(1, k) (11, 12).
 *   [out] R      k×n, A(I,:), ldr >= max(1, k); may be NULL (13, 14).
 *   [out] res2   ||A − C·U·R||_F² (one more m×n product); may be NULL to
 *                skip it (15). For SK_CUR_OPTIMAL it is evaluated as
 *                ||A − Q_C (Q_Cᵀ A Q_R) Q_Rᵀ||_F², the same product in exact
 *                arithmetic without the explicit U. Note: U itself is correct
 *                to working precision relative to T_C⁻¹ and T_R⁻¹, but
 *                multiplying out C·U·R in floating point loses about
 *                cond(C)·eps relative to ||A|| (§3.5.7, k = 400: 9e-6 versus
 *                5e-11 for the factored form); keep the product factored when
 *                C is ill-conditioned. For SK_CUR_CROSS it is ||A − C·U·R||
 *                from the returned factors.
 * Returns 0; -i for invalid argument i (J with an index out of range or a
 * repeated index gives -6); SK_ERANK (k out of range, or for SK_CUR_OPTIMAL
 * a numerically rank-deficient C or R: some |T_ii| <= k·eps·max|T_jj|, so
 * C⁺ or R⁺ is not determined by a triangular solve; pick a smaller k);
 * SK_ESINGULAR (SK_CUR_CROSS with an exactly singular A(I,J); or, either
 * core, a U not representable in double: an entry would exceed DBL_MAX, as
 * when the chosen k×k part is tiny next to the rest, or A is tiny overall —
 * U scales as 1/A; U is then left undefined rather than holding Inf);
 * SK_ENONFINITE (NaN/Inf in A); SK_ENOMEM.
 * Cost: O(mk²) for the rows; SK_CUR_OPTIMAL 2mnk + O((m+n)k²); the residual
 * 2mnk more.
 * References: Y. Dong, P.-G. Martinsson, "Simpler is better", Adv. Comput.
 * Math. 49:66 (2023); specs/pivoting.md §1.9, §3.5.7.
 */
int sk_cur(int m, int n, const double *A, int lda, int k, const int *J, int core, int *rows,
           double *C, int ldc, double *U, int ldu, double *R, int ldr, double *res2);

/*
 * sk_id_rows — row interpolative decomposition A ≈ W·A(I,:), W(I,:) = I_k:
 * sk_id_cols applied to Aᵀ (formed internally, n×m, one copy of A), with
 * the same options, randomness, stopping rule and trace (whose "columns"
 * are rows of A). W = Tᵀ is m×k with ldw >= max(1, m); may be NULL.
 * Argument numbering and return codes are sk_id_cols's with rows, W, ldw in the
 * places of S, T, ldt (and m, n as given here). Cost: sk_id_cols on n×m, plus
 * the copy.
 */
int sk_id_rows(int m, int n, const double *A, int lda, const sk_id_opts_t *opts, sk_rng_t *rng,
               int *rows, double *W, int ldw, int *rank, double *res2, double *anorm2,
               sk_id_trace_t *trace);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_CUR_H */
