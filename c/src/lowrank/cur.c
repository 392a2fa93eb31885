/*
 * cur.c — CUR on a column skeleton (rows by CPQR of Cᵀ; optimal core through
 * QR factors, or the cross core A(I,J)⁻¹) and the row ID as a transposed
 * column ID (cur.h; specs/pivoting.md §1.9).
 */
#include <math.h>
#include <string.h>

#include "id_internal.h"

#define SK__EPS 2.220446049250313e-16

/* 1 if the k×k upper triangle T (ld ldt) has some |T_ii| <= k·eps·max|T_jj|. */
static int sk__tri_deficient(int k, const double *T, int ldt)
{
    double mx = 0.0, mn = HUGE_VAL;
    for (int i = 0; i < k; i++) {
        double a = fabs(T[(size_t)i * ldt + i]);
        mx = a > mx ? a : mx;
        mn = a < mn ? a : mn;
    }
    return !(mn > k * SK__EPS * mx);
}

/* Optimal core U = T_C⁻¹ (Q_Cᵀ A Q_R) T_R⁻ᵀ from C (m×k) and Rᵀ (n×k). */
static int sk__core_optimal(int m, int n, const double *A, int lda, int k, const double *Cw,
                            const double *Rw, double *U, int ldu, double *res2)
{
    double *Qc = sk__alloc_doubles(m, k), *Qr = sk__alloc_doubles(n, k);
    double *Tc = sk__alloc_doubles(k, k), *Tr = sk__alloc_doubles(k, k);
    double *tau = sk__alloc_doubles(k, 1), *AQ = sk__alloc_doubles(m, k);
    double *M = sk__alloc_doubles(k, k);
    int info = SK_ENOMEM;
    if (!Qc || !Qr || !Tc || !Tr || !tau || !AQ || !M) goto done;
    memcpy(Qc, Cw, (size_t)m * k * sizeof *Qc);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < k; i++) Qr[(size_t)i * n + j] = Rw[(size_t)j * k + i]; /* Rᵀ */

    /* C = Q_C·T_C and Rᵀ = Q_R·T_R (keep the triangles before forming Q). */
    if ((info = sk_dgeqrf(m, k, Qc, m, tau)) != 0) goto done;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < k; i++) Tc[(size_t)j * k + i] = i <= j ? Qc[(size_t)j * m + i] : 0.0;
    if ((info = sk_dorgqr(m, k, k, Qc, m, tau)) != 0) goto done;
    if ((info = sk_dgeqrf(n, k, Qr, n, tau)) != 0) goto done;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < k; i++) Tr[(size_t)j * k + i] = i <= j ? Qr[(size_t)j * n + i] : 0.0;
    if ((info = sk_dorgqr(n, k, k, Qr, n, tau)) != 0) goto done;
    if (sk__tri_deficient(k, Tc, k) || sk__tri_deficient(k, Tr, k)) { info = SK_ERANK; goto done; }

    /* M = Q_Cᵀ (A Q_R): the only pass over A. */
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, n, 1.0, A, lda, Qr, n, 0.0, AQ, m)) != 0) goto done;
    if ((info = sk_dgemm(SK_TRANS, SK_NOTRANS, k, k, m, 1.0, Qc, m, AQ, m, 0.0, M, k)) != 0) goto done;
    if (res2) {
        /* ||A − Q_C M Q_Rᵀ||_F² = ||A − C·U·R||_F² in exact arithmetic, evaluated
         * without U: C·U·R formed from an explicit U loses ~cond(C)·eps (it
         * gives 9e-6 instead of 5e-11 at k = 400 in the §3.5.7 example). */
        double *E = sk__alloc_doubles(m, n);
        if (!E) { info = SK_ENOMEM; goto done; }
        for (int j = 0; j < n; j++) memcpy(E + (size_t)j * m, A + (size_t)j * lda, (size_t)m * sizeof *E);
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, k, 1.0, Qc, m, M, k, 0.0, AQ, m); /* AQ := Q_C M */
        sk_dgemm(SK_NOTRANS, SK_TRANS, m, n, k, -1.0, AQ, m, Qr, n, 1.0, E, m);
        double e = sk_dlange('F', m, n, E, m);
        *res2 = e * e;
        SK_FREE(E);
    }
    /* U = T_C⁻¹ M T_R⁻ᵀ by two triangular solves (backward stable; the
     * triangles of a good skeleton are graded like the singular values, and
     * substitution handles graded triangles well). */
    if ((info = sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, k, k, 1.0, Tc, k, M, k)) != 0) goto done;
    if ((info = sk_dtrsm(SK_RIGHT, SK_UPPER, SK_TRANS, SK_NONUNIT, k, k, 1.0, Tr, k, M, k)) != 0) goto done;
    for (int j = 0; j < k; j++) memcpy(U + (size_t)j * ldu, M + (size_t)j * k, (size_t)k * sizeof *U);
done:
    SK_FREE(Qc); SK_FREE(Qr); SK_FREE(Tc); SK_FREE(Tr); SK_FREE(tau); SK_FREE(AQ); SK_FREE(M);
    return info;
}

/* Cross core U = A(I,J)⁻¹ by LU with partial pivoting: P W = L U0, W⁻¹ = U0⁻¹ L⁻¹ P. */
static int sk__core_cross(const double *A, int lda, int k, const int *rows, const int *J,
                          double *U, int ldu)
{
    double *W = sk__alloc_doubles(k, k);
    int *ipiv = sk__alloc_ints(k), *perm = sk__alloc_ints(k);
    int info = SK_ENOMEM;
    if (!W || !ipiv || !perm) goto done;
    for (int j = 0; j < k; j++)
        for (int i = 0; i < k; i++) W[(size_t)j * k + i] = A[(size_t)J[j] * lda + rows[i]];
    if ((info = sk_dgetrf(k, k, W, k, ipiv)) != 0) goto done; /* SK_ESINGULAR too */
    if ((info = sk_ipiv_to_perm(k, k, ipiv, perm)) != 0) goto done;
    /* Columns of P: column c of U starts as e_{perm⁻¹(c)}, i.e. U(i, perm[i]) = 1. */
    for (int j = 0; j < k; j++)
        for (int i = 0; i < k; i++) U[(size_t)j * ldu + i] = 0.0;
    for (int i = 0; i < k; i++) U[(size_t)perm[i] * ldu + i] = 1.0;
    if ((info = sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_UNIT, k, k, 1.0, W, k, U, ldu)) != 0) goto done;
    info = sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, k, k, 1.0, W, k, U, ldu);
done:
    SK_FREE(W); SK_FREE(ipiv); SK_FREE(perm);
    return info;
}

int sk_cur(int m, int n, const double *A, int lda, int k, const int *J, int core, int *rows,
           double *C, int ldc, double *U, int ldu, double *R, int ldr, double *res2)
{
    if (m < 0) return -1;
    if (n < 0) return -2;
    if (!A && m > 0 && n > 0) return -3;
    if (lda < SK__MAX(1, m)) return -4;
    if (k < 0 || k > SK__MIN(m, n)) return SK_ERANK;
    if (!J && k > 0) return -6;
    if (core != SK_CUR_OPTIMAL && core != SK_CUR_CROSS) return -7;
    if (!rows && k > 0) return -8;
    if (C && ldc < SK__MAX(1, m)) return -10;
    if (!U && k > 0) return -11;
    if (ldu < SK__MAX(1, k)) return -12;
    if (R && ldr < SK__MAX(1, k)) return -14;
    for (int j = 0; j < k; j++)
        if (J[j] < 0 || J[j] >= n) return -6;
    if (!sk_all_finite(m, n, A, lda)) return SK_ENONFINITE;
    if (k > 0) {
        /* Extreme scales: work on 2^-e·A (exact; the rows are those of A) with
         * max entry in [1/2, 1), as sk_id_cols does; then C, R are A's own
         * entries, U = 2^-e·U_s and res2 = 4^e·res2_s. */
        int e = sk__prescale_exponent(m, n, A, lda);
        if (e != 0) {
            double *As = sk__alloc_doubles(m, n);
            if (!As) return SK_ENOMEM;
            sk__scale_pow2(m, n, A, lda, -e, As, m);
            int info = sk_cur(m, n, As, m, k, J, core, rows, C, ldc, U, ldu, R, ldr, res2);
            SK_FREE(As);
            if (info) return info;
            if (C)
                for (int j = 0; j < k; j++)
                    memcpy(C + (size_t)j * ldc, A + (size_t)J[j] * lda, (size_t)m * sizeof *C);
            if (R)
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < k; i++) R[(size_t)j * ldr + i] = A[(size_t)j * lda + rows[i]];
            sk__scale_pow2(k, k, U, ldu, -e, U, ldu);
            if (res2) *res2 = ldexp(*res2, 2 * e);
            /* U scales as 1/A: for tiny A it may not be representable. */
            return sk_all_finite(k, k, U, ldu) ? 0 : SK_ESINGULAR;
        }
    }

    unsigned char *seen = SK_MALLOC((size_t)n + 1);
    double *Cw = sk__alloc_doubles(m, k), *Ct = sk__alloc_doubles(k, m);
    double *Rw = sk__alloc_doubles(k, n), *tau = sk__alloc_doubles(k, 1);
    double *CU = NULL, *E = NULL;
    int *jpvt = sk__alloc_ints(m);
    int info = SK_ENOMEM;
    if (!seen || !Cw || !Ct || !Rw || !tau || !jpvt) goto done;
    memset(seen, 0, (size_t)n);
    info = -6;
    for (int j = 0; j < k; j++) {
        if (seen[J[j]]) goto done;
        seen[J[j]] = 1;
    }
    info = 0;
    if (k == 0) {
        if (res2) {
            double a = sk_dlange('F', m, n, A, lda);
            *res2 = a * a;
        }
        goto done;
    }

    /* Rows: the first k CPQR pivots of Cᵀ (k×m). */
    for (int j = 0; j < k; j++) {
        memcpy(Cw + (size_t)j * m, A + (size_t)J[j] * lda, (size_t)m * sizeof *Cw);
        for (int i = 0; i < m; i++) Ct[(size_t)i * k + j] = A[(size_t)J[j] * lda + i];
    }
    int rk = 0;
    if ((info = sk_dgeqp3(k, m, Ct, k, jpvt, tau, k, 0.0, &rk, NULL)) != 0) goto done;
    for (int i = 0; i < k; i++) rows[i] = jpvt[i];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < k; i++) Rw[(size_t)j * k + i] = A[(size_t)j * lda + rows[i]];

    if (core == SK_CUR_OPTIMAL) info = sk__core_optimal(m, n, A, lda, k, Cw, Rw, U, ldu, res2);
    else info = sk__core_cross(A, lda, k, rows, J, U, ldu);
    if (info) goto done;
    /* A core too ill-conditioned for double range (e.g. entries 2^-785 next
     * to an 8: U ~ 2^1573) overflows: an error, never an Inf in U. */
    if (!sk_all_finite(k, k, U, ldu)) { info = SK_ESINGULAR; goto done; }

    if (C)
        for (int j = 0; j < k; j++) memcpy(C + (size_t)j * ldc, Cw + (size_t)j * m, (size_t)m * sizeof *C);
    if (R)
        for (int j = 0; j < n; j++) memcpy(R + (size_t)j * ldr, Rw + (size_t)j * k, (size_t)k * sizeof *R);
    if (res2 && core == SK_CUR_CROSS) { /* explicit: U is the whole approximation here */
        CU = sk__alloc_doubles(m, k);
        E = sk__alloc_doubles(m, n);
        if (!CU || !E) { info = SK_ENOMEM; goto done; }
        for (int j = 0; j < n; j++) memcpy(E + (size_t)j * m, A + (size_t)j * lda, (size_t)m * sizeof *E);
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, k, k, 1.0, Cw, m, U, ldu, 0.0, CU, m);
        sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, n, k, -1.0, CU, m, Rw, k, 1.0, E, m);
        double e = sk_dlange('F', m, n, E, m);
        *res2 = e * e;
    }
done:
    SK_FREE(seen); SK_FREE(Cw); SK_FREE(Ct); SK_FREE(Rw); SK_FREE(tau); SK_FREE(jpvt);
    SK_FREE(CU); SK_FREE(E);
    return info;
}

int sk_id_rows(int m, int n, const double *A, int lda, const sk_id_opts_t *opts, sk_rng_t *rng,
               int *rows, double *W, int ldw, int *rank, double *res2, double *anorm2,
               sk_id_trace_t *trace)
{
    if (m < 0) return -1;
    if (n < 0) return -2;
    if (!A && m > 0 && n > 0) return -3;
    if (lda < SK__MAX(1, m)) return -4;
    if (!opts) return -5;
    if (W && ldw < SK__MAX(1, m)) return -9;
    int minmn = SK__MIN(m, n);
    /* Let sk_id_cols judge the options; kcap only sizes the T buffer here. */
    int kcap = opts->max_rank > 0 && opts->max_rank <= minmn ? opts->max_rank : minmn;
    double *At = sk__alloc_doubles(n, m), *T = W ? sk__alloc_doubles(kcap, m) : NULL;
    int info = SK_ENOMEM;
    if (!At || (W && !T)) goto done;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) At[(size_t)i * n + j] = A[(size_t)j * lda + i];
    info = sk_id_cols(n, m, At, SK__MAX(1, n), opts, rng, rows, T, SK__MAX(1, kcap), rank, res2,
                      anorm2, trace);
    if (info == -1 || info == -2) info = info == -1 ? -2 : -1; /* its m is our n */
    if (info) goto done;
    if (W)
        for (int j = 0; j < *rank; j++)
            for (int i = 0; i < m; i++) W[(size_t)j * ldw + i] = T[(size_t)i * kcap + j];
done:
    SK_FREE(At);
    SK_FREE(T);
    return info;
}
