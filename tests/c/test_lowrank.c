/*
 * test_lowrank.c — column IDs (sk_id_cols) and the gallery, against LAPACK
 * and the numbers of specs/pivoting.md §3.5.1 (GMM, the adversarial input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

/* ||A − A(:,S) T||_F² computed directly. */
static double id_residual2(int m, int n, const double *A, int lda, const int *S, int k,
                           const double *T, int ldt)
{
    double *C = tu_zeros(m, k > 0 ? k : 1);
    for (int j = 0; j < k; j++) memcpy(C + (size_t)j * m, A + (size_t)S[j] * lda, (size_t)m * sizeof *C);
    double *E = tu_copy(m, n, A, lda);
    if (k > 0) cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, -1.0, C, m, T, ldt, 1.0, E, m);
    double r = tu_fro(m, n, E, m);
    free(C);
    free(E);
    return r * r;
}

/* Squared singular values of A (LAPACK dgesdd), descending; and the optimal tail Σ_{i>k} σ_i². */
static double *squared_spectrum(int m, int n, const double *A, int lda)
{
    int k = m < n ? m : n;
    double *W = tu_copy(m, n, A, lda), *s = tu_zeros(k, 1);
    assert_int_equal(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', m, n, W, m, s, NULL, 1, NULL, 1), 0);
    for (int i = 0; i < k; i++) s[i] *= s[i];
    free(W);
    return s;
}

static double tail(const double *s2, int len, int k)
{
    double t = 0.0;
    for (int i = len - 1; i >= k; i--) t += s2[i];
    return t;
}

typedef struct { int d, npts; double *A; double *s2; } gmm_fixture;

static int gmm_setup(void **state)
{
    static gmm_fixture g;
    g.d = 500;
    g.npts = 2000;
    g.A = tu_zeros(g.d, g.npts);
    sk_rng_t rng;
    sk_rng_init(&rng, 2024, 0);
    if (sk_gallery_gmm(g.d, g.npts, 100, 1.0, &rng, g.A, g.d) != 0) return -1;
    g.s2 = squared_spectrum(g.d, g.npts, g.A, g.d);
    *state = &g;
    return 0;
}

static int gmm_teardown(void **state)
{
    gmm_fixture *g = *state;
    free(g->A);
    free(g->s2);
    return 0;
}

/* Relative suboptimality res2 / optimal tail at rank k for one method and seed. */
static double gmm_ratio(const gmm_fixture *g, int method, int k, uint64_t seed)
{
    sk_id_opts_t o = { 0 };
    o.method = method;
    o.max_rank = k;
    o.block = 30;
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    int *S = calloc((size_t)k, sizeof *S), rank = -1;
    double res2 = -1, anorm2 = -1;
    assert_int_equal(sk_id_cols(g->d, g->npts, g->A, g->d, &o, &rng, S, NULL, 1, &rank, &res2, &anorm2, NULL), 0);
    assert_int_equal(rank, k);
    free(S);
    return res2 / tail(g->s2, g->d, k);
}

static void test_gmm_suboptimality(void **state)
{
    const gmm_fixture *g = *state;
    const char *names[] = { "cpqr", "rpqr", "brp", "bgp", "rbrp", "sketch-cpqr", "sketch-lupp", "adaptive-lupp" };
    const int ks[] = { 90, 120 };
    for (int t = 0; t < 2; t++) {
        double r[8];
        for (int m = 0; m < 8; m++) {
            r[m] = gmm_ratio(g, m, ks[t], 7);
            printf("# GMM k=%d %-12s error / optimal = %.3g\n", ks[t], names[m], r[m]);
        }
        assert_true(r[SK_ID_CPQR] <= 2.5);
        assert_true(r[SK_ID_RBRP] <= 2.5);
        assert_true(r[SK_ID_SKETCH_LUPP] <= 2.5);
        assert_true(r[SK_ID_ADAPTIVE_LUPP] <= 2.5);
        assert_true(r[SK_ID_BGP] >= 50.0);
        assert_true(r[SK_ID_BRP] >= 10.0);
    }
}

/* The randomized methods keep their guarantees over seeds, not just one. */
static void test_gmm_rbrp_over_seeds(void **state)
{
    const gmm_fixture *g = *state;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        assert_true(gmm_ratio(g, SK_ID_RBRP, 90, seed) <= 2.5);
        assert_true(gmm_ratio(g, SK_ID_SKETCH_LUPP, 120, seed) <= 2.5);
        assert_true(gmm_ratio(g, SK_ID_BRP, 90, seed) >= 10.0);
    }
}

/* Rank-adaptive: stop at the first rank meeting tol; RBRP's exact cut lands near optimal. */
static void test_gmm_rank_adaptive(void **state)
{
    const gmm_fixture *g = *state;
    const double eps = 5e-3;
    double total = 0.0;
    for (int i = 0; i < g->d; i++) total += g->s2[i];
    int optimal = 0;
    while (tail(g->s2, g->d, optimal) > eps * total) optimal++;
    const int methods[] = { SK_ID_CPQR, SK_ID_RPQR, SK_ID_RBRP };
    for (int t = 0; t < 3; t++) {
        sk_id_opts_t o = { 0 };
        o.method = methods[t];
        o.tol = eps;
        o.block = 128; /* large blocks: only the exact cut avoids overshooting */
        sk_rng_t rng;
        sk_rng_init(&rng, 11, 0);
        int *S = calloc(g->d, sizeof *S), rank = 0;
        double *T = tu_zeros(g->d, g->npts), res2 = 0, anorm2 = 0;
        assert_int_equal(sk_id_cols(g->d, g->npts, g->A, g->d, &o, &rng, S, T, g->d, &rank, &res2, &anorm2, NULL), 0);
        printf("# GMM tol=%g method %d: rank %d (optimal %d)\n", eps, methods[t], rank, optimal);
        assert_true(res2 <= eps * anorm2);
        assert_true(rank >= optimal);
        if (methods[t] == SK_ID_RBRP) assert_true(rank <= optimal + 5);
        /* The reported residual is the true one, and one column fewer would not meet tol. */
        double direct = id_residual2(g->d, g->npts, g->A, g->d, S, rank, T, g->d);
        tu_assert_within(fabs(direct - res2), tu_res2_bound(4500 * TU_EPS, direct, 200.0 * g->npts, sqrt(anorm2)), "GMM: reported vs direct res2");
        double *Q = tu_zeros(g->d, rank), *tau = tu_zeros(rank, 1);
        for (int j = 0; j < rank - 1; j++) memcpy(Q + (size_t)j * g->d, g->A + (size_t)S[j] * g->d, g->d * sizeof *Q);
        LAPACKE_dgeqrf(LAPACK_COL_MAJOR, g->d, rank - 1, Q, g->d, tau);
        LAPACKE_dorgqr(LAPACK_COL_MAJOR, g->d, rank - 1, rank - 1, Q, g->d, tau);
        double *P = tu_zeros(rank - 1, g->npts), *E = tu_copy(g->d, g->npts, g->A, g->d);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, rank - 1, g->npts, g->d, 1.0, Q, g->d, g->A, g->d, 0.0, P, rank - 1);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, g->d, g->npts, rank - 1, -1.0, Q, g->d, P, rank - 1, 1.0, E, g->d);
        double before = tu_fro(g->d, g->npts, E, g->d);
        assert_true(before * before > eps * anorm2);
        free(S); free(T); free(Q); free(tau); free(P); free(E);
    }
}

/*
 * Adaptive LUPP stops on its unbiased estimate of the LU residual after whole
 * blocks (§1.4): on a matrix with a decaying spectrum it stops within about a
 * block of the optimal rank, with a residual near the tolerance.
 */
static void test_adaptive_lupp_rank_adaptive(void **state)
{
    (void)state;
    const int m = 300, n = 400, b = 20;
    double s[300];
    for (int i = 0; i < m; i++) s[i] = exp(-i / 10.0);
    double *A = tu_with_spectrum(m, n, s, 21);
    double total = 0.0;
    for (int i = 0; i < m; i++) total += s[i] * s[i];
    const double eps = 1e-6;
    int optimal = 0;
    double tailmass = total;
    while (tailmass > eps * total) tailmass -= s[optimal] * s[optimal], optimal++;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        sk_id_opts_t o = { 0 };
        o.method = SK_ID_ADAPTIVE_LUPP;
        o.tol = eps;
        o.block = b;
        sk_rng_t rng;
        sk_rng_init(&rng, seed, 0);
        int S[300], rank = 0;
        double res2 = 0, anorm2 = 0;
        assert_int_equal(sk_id_cols(m, n, A, m, &o, &rng, S, NULL, 1, &rank, &res2, &anorm2, NULL), 0);
        printf("# exp spectrum tol=%g adaptive-lupp seed %d: rank %d (optimal %d), res2/tol = %.3g\n",
               eps, (int)seed, rank, optimal, res2 / (eps * anorm2));
        assert_true(rank >= optimal - b && rank <= optimal + 2 * b);
        assert_true(res2 <= 10.0 * eps * anorm2);
    }
    free(A);
}

/* CPQR-ID: skeleton = LAPACK dgeqp3's first k pivots, T(:,S) = I, residual exact. */
static void test_cpqr_id_matches_lapack(void **state)
{
    (void)state;
    const int m = 60, n = 45, k = 20;
    double s[45];
    for (int i = 0; i < 45; i++) s[i] = pow(0.7, i);
    double *A = tu_with_spectrum(m, n, s, 5);
    double *W = tu_copy(m, n, A, m), *tau = tu_zeros(n, 1);
    lapack_int jpvt[45] = { 0 };
    assert_int_equal(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, W, m, jpvt, tau), 0);
    sk_id_opts_t o = { 0 };
    o.method = SK_ID_CPQR;
    o.max_rank = k;
    int S[20], rank = 0;
    double *T = tu_zeros(k, n), res2 = 0;
    assert_int_equal(sk_id_cols(m, n, A, m, &o, NULL, S, T, k, &rank, &res2, NULL, NULL), 0);
    assert_int_equal(rank, k);
    for (int j = 0; j < k; j++) {
        assert_int_equal(S[j], jpvt[j] - 1);
        for (int i = 0; i < k; i++) assert_true(T[(size_t)S[j] * k + i] == (i == j ? 1.0 : 0.0));
    }
    double direct = id_residual2(m, n, A, m, S, k, T, k);
    double anorm = tu_fro(m, n, A, m);
    tu_assert_within(fabs(direct - res2), tu_res2_bound(4500 * TU_EPS, direct, 200.0 * n, anorm), "cpqr ID: reported vs direct res2");
    /* ||R22||_F² of LAPACK's factorization is the same residual. */
    double r22 = 0.0; /* upper triangle of R(k:, k:); below it are LAPACK's reflectors */
    for (int j = k; j < n; j++)
        for (int i = k; i <= j && i < m; i++) r22 += W[(size_t)j * m + i] * W[(size_t)j * m + i];
    tu_assert_within(fabs(r22 - res2), tu_res2_bound(4500 * TU_EPS, res2, 200.0 * n, anorm), "cpqr ID: res2 vs LAPACK's ||R22||^2");
    free(A); free(W); free(tau); free(T);
}

/* Every method: T(:,S) = I, the residual matches, the trace is consistent. */
static void test_all_methods_consistent(void **state)
{
    (void)state;
    const int m = 80, n = 120, k = 25;
    double s[80];
    for (int i = 0; i < 80; i++) s[i] = 1.0 / (1.0 + i * i);
    double *A = tu_with_spectrum(m, n, s, 9);
    for (int method = SK_ID_CPQR; method <= SK_ID_ADAPTIVE_LUPP; method++) {
        sk_id_opts_t o = { 0 };
        o.method = method;
        o.max_rank = k;
        o.block = 8;
        sk_rng_t rng;
        sk_rng_init(&rng, 3, 1);
        int S[25], rank = 0, off[27], cand[26 * 8];
        signed char status[26 * 8];
        double res[26], res2 = 0, *T = tu_zeros(k, n);
        sk_id_trace_t tr = { 26, 26 * 8, off, cand, status, res, 0, 0 };
        assert_int_equal(sk_id_cols(m, n, A, m, &o, &rng, S, T, k, &rank, &res2, NULL, &tr), 0);
        assert_int_equal(rank, k);
        double direct = id_residual2(m, n, A, m, S, k, T, k);
        double anorm = tu_fro(m, n, A, m);
        tu_assert_within(fabs(direct - res2), tu_res2_bound(4500 * TU_EPS, direct, 200.0 * n, anorm), "method %d: reported vs direct res2", method);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < k; i++) assert_true(T[(size_t)S[j] * k + i] == (i == j ? 1.0 : 0.0));
        /* Accepted candidates, in order, are the skeleton; residuals decrease to res2. */
        assert_false(tr.truncated);
        int a = 0;
        for (int t = 0; t < tr.nsteps; t++) {
            for (int c = off[t]; c < off[t + 1]; c++)
                if (status[c]) { assert_true(a < k); assert_int_equal(cand[c], S[a]); a++; }
            /* adaptive LUPP records unbiased estimates, which need not decrease */
            if (t > 0 && method != SK_ID_ADAPTIVE_LUPP)
                tu_assert_within(res[t] - res[t - 1], tu_res2_bound(4500 * TU_EPS, res[t - 1], 200.0 * n, anorm), "method %d: trace decreases at %d", method, t);
        }
        assert_int_equal(a, k);
        if (method != SK_ID_ADAPTIVE_LUPP)
            tu_assert_within(fabs(res[tr.nsteps - 1] - res2), tu_res2_bound(4500 * TU_EPS, res2, 200.0 * n, anorm), "method %d: trace ends at res2", method);
        free(T);
    }
    free(A);
}

static void test_id_bad_inputs(void **state)
{
    (void)state;
    double A[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    int S[4], rank;
    double res2;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    sk_id_opts_t o = { 0 };
    o.method = SK_ID_RBRP;
    assert_int_equal(sk_id_cols(-1, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -1);
    assert_int_equal(sk_id_cols(3, 4, A, 2, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -4);
    assert_int_equal(sk_id_cols(3, 4, A, 3, NULL, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -5);
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, NULL, S, NULL, 1, &rank, &res2, NULL, NULL), -6);
    o.tol = -1e-3;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -5);
    o.tol = NAN;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -5);
    o.tol = 0;
    o.max_rank = 4; /* > min(3, 4) */
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), SK_ERANK);
    o.max_rank = 2;
    o.method = 99;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), -5);
    o.method = SK_ID_SKETCH_CPQR;
    o.max_rank = 0;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), SK_EINVAL);
    o.method = SK_ID_RBRP;
    o.max_rank = 2;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, A, 1, &rank, &res2, NULL, NULL), -9); /* ldt < k */
    A[5] = NAN;
    assert_int_equal(sk_id_cols(3, 4, A, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), SK_ENONFINITE);
    A[5] = 6;
    /* Empty and zero matrices give rank 0 without error. */
    o.max_rank = 0;
    assert_int_equal(sk_id_cols(0, 4, NULL, 1, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), 0);
    assert_int_equal(rank, 0);
    double Z[12] = { 0 };
    assert_int_equal(sk_id_cols(3, 4, Z, 3, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), 0);
    assert_int_equal(rank, 0);
    assert_true(res2 == 0.0);
    /* Gallery argument checks. */
    assert_int_equal(sk_gallery_gmm(5, 12, 6, 1.0, &rng, Z, 5), -3);   /* clusters > d */
    assert_int_equal(sk_gallery_gmm(5, 7, 2, 1.0, &rng, Z, 5), -3);    /* npts % clusters */
    assert_int_equal(sk_gallery_kahan(3, 1.0, Z, 3), -2);
    double sv[3] = { 3, 2, 1 };
    assert_int_equal(sk_gallery_spectrum(-1, 4, sv, &rng, Z, 3), -1);
    assert_int_equal(sk_gallery_spectrum(3, 4, NULL, &rng, Z, 3), -3);   /* no spectrum */
    assert_int_equal(sk_gallery_spectrum(3, 4, sv, NULL, Z, 3), -4);     /* no RNG state */
    assert_int_equal(sk_gallery_spectrum(3, 4, sv, &rng, Z, 2), -6);     /* lda < m */
    assert_int_equal(sk_gallery_gmm(5, 10, 5, NAN, &rng, Z, 5), -4);     /* sigma must be finite */
    assert_int_equal(sk_gallery_gmm(5, 10, 5, 1.0, NULL, Z, 5), -5);
}

/*
 * The column-norm pass (linalg/norms.c, two-lane vectors): rows past the last
 * multiple of 4 count in both the sums and the max, NaN anywhere (vector part
 * or tail) is SK_ENONFINITE, and ||A||_F² is summed in the documented order
 * (column sums (s0 + s1) + (s2 + s3), s_r over rows i ≡ r mod 4 with the tail
 * in s0, then the columns in order): bit for bit, every build.
 */
static void test_id_column_norm_pass(void **state)
{
    (void)state;
    enum { M = 7, N = 5 };
    double A[M * N];
    int S[N], rank;
    double res2, anorm2;
    sk_rng_t rng;
    sk_rng_init(&rng, 3, 0);
    sk_id_opts_t o = { 0 };
    o.method = SK_ID_RBRP;
    o.max_rank = 2;
    /* Only the tail rows (4..6) are nonzero: a max that missed them would
     * call A zero and return rank 0. */
    memset(A, 0, sizeof A);
    A[5] = 1.0; A[M + 6] = -2.0; A[3 * M + 4] = 3.0;
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, S, NULL, 1, &rank, &res2, &anorm2, NULL), 0);
    assert_int_equal(rank, 2);
    assert_true(anorm2 == 14.0);
    /* Exact summation order on entries whose sums round. */
    for (int i = 0; i < M * N; i++) A[i] = 1.0 / (i + 3) + (i % 3 ? 1e-3 : -0.7);
    double want = 0.0;
    for (int j = 0; j < N; j++) {
        const double *c = A + (size_t)j * M;
        double s[4] = { 0, 0, 0, 0 };
        int i = 0;
        for (; i + 4 <= M; i += 4)
            for (int r = 0; r < 4; r++) s[r] += c[i + r] * c[i + r];
        for (; i < M; i++) s[0] += c[i] * c[i];
        want += (s[0] + s[1]) + (s[2] + s[3]);
    }
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, S, NULL, 1, &rank, &res2, &anorm2, NULL), 0);
    assert_true(anorm2 == want);
    /* Non-finite entries in the vector part and in the tail. */
    double keep = A[2 * M + 1];
    A[2 * M + 1] = NAN;
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), SK_ENONFINITE);
    A[2 * M + 1] = keep;
    A[4 * M + 6] = -INFINITY;
    assert_int_equal(sk_id_cols(M, N, A, M, &o, &rng, S, NULL, 1, &rank, &res2, NULL, NULL), SK_ENONFINITE);
}

static void test_kahan_defeats_cpqr_pivoting(void **state)
{
    (void)state;
    const int n = 100;
    double *K = tu_zeros(n, n);
    assert_int_equal(sk_gallery_kahan(n, 0.95, K, n), 0);
    /* Every column of K has norm 1 (and so does every residual column): scale
     * column j by 1 − 1e-9·j, the classic perturbation, so CPQR keeps the order. */
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) K[(size_t)j * n + i] *= 1.0 - 1e-9 * j;
    double *s2 = squared_spectrum(n, n, K, n);
    sk_id_opts_t o = { 0 };
    o.method = SK_ID_CPQR;
    o.max_rank = n - 1;
    int *S = calloc(n, sizeof *S), rank;
    double res2;
    assert_int_equal(sk_id_cols(n, n, K, n, &o, NULL, S, NULL, 1, &rank, &res2, NULL, NULL), 0);
    for (int j = 0; j < n - 1; j++) assert_int_equal(S[j], j); /* no pivoting happened */
    assert_true(res2 > 100.0 * s2[n - 1]);                     /* |R_nn|² ≫ σ_n² */
    free(K); free(s2); free(S);
}

int main(void)
{
    const struct CMUnitTest gmm[] = {
        cmocka_unit_test(test_gmm_suboptimality),
        cmocka_unit_test(test_gmm_rbrp_over_seeds),
        cmocka_unit_test(test_gmm_rank_adaptive),
    };
    const struct CMUnitTest small[] = {
        cmocka_unit_test(test_cpqr_id_matches_lapack),
        cmocka_unit_test(test_all_methods_consistent),
        cmocka_unit_test(test_id_bad_inputs),
        cmocka_unit_test(test_id_column_norm_pass),
        cmocka_unit_test(test_kahan_defeats_cpqr_pivoting),
        cmocka_unit_test(test_adaptive_lupp_rank_adaptive),
    };
    int failed = cmocka_run_group_tests_name("lowrank", small, NULL, NULL);
    return failed + cmocka_run_group_tests_name("lowrank-gmm", gmm, gmm_setup, gmm_teardown);
}
