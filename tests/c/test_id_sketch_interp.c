/*
 * test_id_sketch_interp.c — the sketch interpolation matrix of sk_id_cols
 * (SK_ID_INTERP_SKETCH, lowrank.h) against LAPACK: the same Gaussian sketch
 * Y = ΩA (drawn from the same Philox stream), then dgeqp3 → T = [I, R11⁻¹R12]
 * or dgetrf of Yᵀ → T = [I, (L21·L11⁻¹)ᵀ], columns put back in pivot order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

enum { M = 90, N = 70, K = 12, P = 10, L = K + P };

/* ||A − A(:,S) T||_F² computed directly with CBLAS. */
static double residual2(const double *A, const int *S, const double *T)
{
    double *C = tu_zeros(M, K), *E = tu_copy(M, N, A, M);
    for (int j = 0; j < K; j++) memcpy(C + (size_t)j * M, A + (size_t)S[j] * M, M * sizeof *C);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, M, N, K, -1.0, C, M, T, K, 1.0, E, M);
    double r = tu_fro(M, N, E, M);
    free(C);
    free(E);
    return r * r;
}

/* The reference T from LAPACK on the same sketch; fills perm (0-based pivot order). */
static double *reference_T(const double *A, int method, uint64_t seed, int *perm)
{
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    double *Om = tu_zeros(L, M), *Y = tu_zeros(L, N), *T = tu_zeros(K, N);
    assert_int_equal(sk_rng_normal_matrix(&rng, L, M, Om, L), 0);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, L, N, M, 1.0, Om, L, A, M, 0.0, Y, L);
    double *X = tu_zeros(K, N); /* k×n factor, columns in pivot order, leading block triangular */
    CBLAS_DIAG diag = CblasNonUnit;
    if (method == SK_ID_SKETCH_CPQR) {
        lapack_int jpvt[N] = { 0 };
        double tau[L];
        assert_int_equal(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, L, N, Y, L, jpvt, tau), 0);
        for (int j = 0; j < N; j++) {
            perm[j] = jpvt[j] - 1;
            for (int i = 0; i < K; i++) X[(size_t)j * K + i] = i <= j ? Y[(size_t)j * L + i] : 0.0;
        }
    } else {
        double *Yt = tu_zeros(N, L);
        for (int j = 0; j < N; j++)
            for (int i = 0; i < L; i++) Yt[(size_t)i * N + j] = Y[(size_t)j * L + i];
        lapack_int ipiv[L];
        assert_int_equal(LAPACKE_dgetrf(LAPACK_COL_MAJOR, N, L, Yt, N, ipiv), 0);
        for (int j = 0; j < N; j++) perm[j] = j;
        for (int i = 0; i < L; i++) {
            int t = perm[i]; perm[i] = perm[ipiv[i] - 1]; perm[ipiv[i] - 1] = t;
        }
        for (int j = 0; j < N; j++)
            for (int i = 0; i < K; i++) X[(size_t)j * K + i] = j == i ? 1.0 : j < i ? 0.0 : Yt[(size_t)i * N + j];
        diag = CblasUnit;
        free(Yt);
    }
    cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, diag, K, N - K, 1.0, X, K, X + (size_t)K * K, K);
    for (int c = 0; c < N; c++)
        for (int i = 0; i < K; i++) T[(size_t)perm[c] * K + i] = c < K ? (i == c ? 1.0 : 0.0) : X[(size_t)c * K + i];
    free(Om); free(Y); free(X);
    return T;
}

static void check_method(int method)
{
    double s[N];
    for (int i = 0; i < N; i++) s[i] = pow(0.8, i);
    double *A = tu_with_spectrum(M, N, s, 21);
    const uint64_t seed = 7;
    int perm[N];
    double *Tref = reference_T(A, method, seed, perm);

    sk_id_opts_t o = { 0 };
    o.method = method;
    o.max_rank = K;
    o.oversample = P;
    int S[K], Sopt[K], rank = 0;
    double *T = tu_zeros(K, N), *Topt = tu_zeros(K, N), res2 = 0, res2opt = 0;
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, Sopt, Topt, K, &rank, &res2opt, NULL, NULL), 0);
    o.interp = SK_ID_INTERP_SKETCH;
    sk_rng_init(&rng, seed, 0);
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, S, T, K, &rank, &res2, NULL, NULL), 0);
    assert_int_equal(rank, K);
    for (int j = 0; j < K; j++) {
        assert_int_equal(S[j], perm[j]);      /* LAPACK's pivots on the same sketch */
        assert_int_equal(S[j], Sopt[j]);      /* the choice of T does not move S   */
        for (int i = 0; i < K; i++) assert_true(T[(size_t)S[j] * K + i] == (i == j ? 1.0 : 0.0));
    }
    double diff = 0.0, ref = tu_fro(K, N, Tref, K);
    for (size_t i = 0; i < (size_t)K * N; i++) diff = fmax(diff, fabs(T[i] - Tref[i]));
    /* T from the same sketch by two triangular solves: cond(R11)·k·eps·||T||
     * (cond ~1e2 for this spectrum); 1e-11 ≈ 4.5e4·eps·||T||. */
    tu_assert_within(diff, tu_bound(0, 0, 4.5e4, ref), "T vs LAPACK's solve");
    /* res2 is the residual of the T returned, and no T beats the optimal one. */
    double direct = residual2(A, S, T);
    double anorm = tu_fro(M, N, A, M);
    tu_assert_within(fabs(direct - res2), tu_res2_bound(4500 * TU_EPS, direct, 200.0 * N, anorm), "reported vs direct res2");
    tu_assert_within(res2opt - res2, tu_res2_bound(4500 * TU_EPS, res2opt, 200.0 * N, anorm), "optimal T is optimal");
    tu_assert_within(fabs(residual2(A, S, Topt) - res2opt), tu_res2_bound(4500 * TU_EPS, res2opt, 200.0 * N, anorm), "optimal res2 vs direct");
    free(A); free(Tref); free(T); free(Topt);
}

static void test_sketch_cpqr_T(void **state) { (void)state; check_method(SK_ID_SKETCH_CPQR); }
static void test_sketch_lupp_T(void **state) { (void)state; check_method(SK_ID_SKETCH_LUPP); }

static void test_sketch_T_errors(void **state)
{
    (void)state;
    double A[6 * 5] = { 0 };
    /* Only columns 0 and 3 are nonzero: a rank-3 skeleton has an exactly zero pivot. */
    for (int i = 0; i < 6; i++) { A[i] = 1.0 + i; A[3 * 6 + i] = (i % 2 ? -1.0 : 2.0); }
    int S[3], rank;
    double T[3 * 5], res2;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    sk_id_opts_t o = { 0 };
    o.max_rank = 3;
    o.interp = SK_ID_INTERP_SKETCH;
    for (int method = SK_ID_SKETCH_CPQR; method <= SK_ID_SKETCH_LUPP; method++) {
        o.method = method;
        assert_int_equal(sk_id_cols(6, 5, A, 6, &o, &rng, S, T, 3, &rank, &res2, NULL, NULL), SK_ESINGULAR);
        o.max_rank = 2; /* the two independent columns: fine */
        assert_int_equal(sk_id_cols(6, 5, A, 6, &o, &rng, S, T, 2, &rank, &res2, NULL, NULL), 0);
        /* Exact: the residual is rounding, (n·eps·||A||)² with ||A|| ~ 1; 1e-24 ≈ (20·n·eps)². */
        tu_assert_within(res2, 1e-24, "rank-2 A, method %d", method);
        o.max_rank = 3;
    }
    /* The sketch T exists only for the sketch methods; unknown values are rejected. */
    o.method = SK_ID_RBRP;
    assert_int_equal(sk_id_cols(6, 5, A, 6, &o, &rng, S, T, 3, &rank, &res2, NULL, NULL), -5);
    o.method = SK_ID_SKETCH_CPQR;
    o.interp = 2;
    assert_int_equal(sk_id_cols(6, 5, A, 6, &o, &rng, S, T, 3, &rank, &res2, NULL, NULL), -5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sketch_cpqr_T),
        cmocka_unit_test(test_sketch_lupp_T),
        cmocka_unit_test(test_sketch_T_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
