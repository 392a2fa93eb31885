/*
 * test_scale_safety.c — scale safety and numerical-rank robustness of the
 * column ID (sk_id_cols, lowrank.h); issue 9 parts 2 and 4.
 *
 *  - A·2^k for k in {−1000, −600, 0, 600, 1000} gives the same skeleton and T
 *    bit for bit, and res2, ||A||² scaled by exactly 4^k (a power-of-two scale
 *    is exact; sk_id_cols runs on 2^-e·A when A's scale is extreme).
 *  - Where squares of entries under/overflow but res2 and ||A||² are normal
 *    doubles (k = ±500), they are reported in A's own units.
 *  - Entries at DBL_MAX terminate (this hung), rank requests above the
 *    numerical rank stop at the numerical rank with finite T (this gave NaN),
 *    the reported res2 equals ||A − A(:,S)T||_F² computed independently, and
 *    oversample = INT_MAX does not overflow.
 *  - sk_cur, sk_rpchol, sk_rsvd with its residual estimates, and the angle
 *    bounds give the same pivots and relative quantities at every scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

static const int METHODS[] = { SK_ID_CPQR, SK_ID_RPQR, SK_ID_BRP, SK_ID_BGP, SK_ID_RBRP,
                               SK_ID_SKETCH_CPQR, SK_ID_SKETCH_LUPP, SK_ID_ADAPTIVE_LUPP };
enum { NMETHODS = sizeof METHODS / sizeof METHODS[0] };
static const int SCALES[] = { -1000, -600, 0, 600, 1000 };

typedef struct {
    int rank, S[64];
    double *T, res2, anorm2;
} id_result;

/* sk_id_cols with a fresh Philox stream from seed; T is k×n, ld kcap. */
static int run_id(int m, int n, const double *A, int method, int rank, double tol, int block,
                  uint64_t seed, id_result *r)
{
    sk_id_opts_t o;
    memset(&o, 0, sizeof o);
    o.method = method;
    o.max_rank = rank;
    o.tol = tol;
    o.block = block;
    int kcap = rank > 0 ? rank : (m < n ? m : n);
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    r->T = tu_zeros(kcap, n);
    memset(r->S, -1, sizeof r->S);
    return sk_id_cols(m, n, A, m, &o, &rng, r->S, r->T, kcap, &r->rank, &r->res2, &r->anorm2, NULL);
}

static double *scaled(int m, int n, const double *A, int k)
{
    double *B = tu_zeros(m, n);
    for (size_t i = 0; i < (size_t)m * n; i++) {
        B[i] = ldexp(A[i], k);
        assert_true(ldexp(B[i], -k) == A[i]); /* exact: A·2^k is A scaled */
    }
    return B;
}

/* Every method, with a rank and (where supported) a tolerance, at every scale. */
static void test_id_scale_invariance(void **state)
{
    (void)state;
    enum { M = 50, N = 30 };
    double s[N];
    for (int i = 0; i < N; i++) s[i] = pow(10.0, -0.25 * i); /* graded: pivots are well separated */
    double *A = tu_with_spectrum(M, N, s, 11);
    for (int mi = 0; mi < NMETHODS; mi++) {
        int sketch = METHODS[mi] == SK_ID_SKETCH_CPQR || METHODS[mi] == SK_ID_SKETCH_LUPP;
        for (int variant = 0; variant < (sketch ? 1 : 2); variant++) {
            int rank = variant == 0 ? 12 : 0;
            double tol = variant == 0 ? 0.0 : 1e-4;
            id_result ref;
            assert_int_equal(run_id(M, N, A, METHODS[mi], rank, tol, 4, 5, &ref), 0);
            assert_true(ref.rank > 0);
            if (METHODS[mi] == SK_ID_CPQR && rank > 0) {
                /* Oracle: LAPACK's dgeqp3 on the unscaled A picks the same pivots. */
                double *W = tu_copy(M, N, A, M), tau[N];
                lapack_int jpvt[N] = { 0 };
                assert_int_equal(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, M, N, W, M, jpvt, tau), 0);
                for (int j = 0; j < rank; j++) assert_int_equal(ref.S[j], jpvt[j] - 1);
                free(W);
            }
            for (int si = 0; si < 5; si++) {
                int k = SCALES[si];
                double *B = scaled(M, N, A, k);
                id_result r;
                assert_int_equal(run_id(M, N, B, METHODS[mi], rank, tol, 4, 5, &r), 0);
                assert_int_equal(r.rank, ref.rank);
                for (int j = 0; j < r.rank; j++) assert_int_equal(r.S[j], ref.S[j]);
                assert_memory_equal(r.T, ref.T, sizeof(double) * (size_t)r.rank * N);
                /* ldexp of the reference is the exact scaled value, rounded once,
                 * as is the reported one: equal, including 0/subnormal/Inf. */
                assert_true(r.res2 == ldexp(ref.res2, 2 * k));
                assert_true(r.anorm2 == ldexp(ref.anorm2, 2 * k));
                assert_true(ref.res2 > 0.0 && ref.res2 < 1e-2 * ref.anorm2);
                free(B);
                free(r.T);
            }
            free(ref.T);
        }
    }
    free(A);
}

/* |a| ~ 2^±500·randn: ||A||² ~ 2^±1000, res2 normal doubles:
 * reported in A's units, and the relative residual matches the unscaled one. */
static void test_id_representable_residual(void **state)
{
    (void)state;
    enum { M = 50, N = 30 };
    double *A = tu_randn(M, N, 3);
    for (int mi = 0; mi < NMETHODS; mi++) {
        id_result ref;
        assert_int_equal(run_id(M, N, A, METHODS[mi], 20, 0.0, 8, 9, &ref), 0);
        assert_int_equal(ref.rank, 20);
        for (int k = -500; k <= 500; k += 1000) {
            double *B = scaled(M, N, A, k);
            id_result r;
            assert_int_equal(run_id(M, N, B, METHODS[mi], 20, 0.0, 8, 9, &r), 0);
            assert_int_equal(r.rank, 20);
            assert_true(isnormal(r.res2) && isnormal(r.anorm2));
            double rel = r.res2 / r.anorm2, rel0 = ref.res2 / ref.anorm2;
            assert_true(fabs(rel - rel0) <= 1e-12 * rel0);
            free(B);
            free(r.T);
        }
        free(ref.T);
    }
    /* The case: randn(50,30)·2^-550 with rank 5 gave rank 0. */
    double *B = scaled(M, N, A, -550);
    for (int mi = 0; mi < NMETHODS; mi++) {
        id_result r;
        assert_int_equal(run_id(M, N, B, METHODS[mi], 5, 0.0, 0, 1, &r), 0);
        assert_int_equal(r.rank, 5);
        free(r.T);
    }
    /* With a tolerance at 2^±600 (||A||² overflows/underflows): same rank as A. */
    for (int mi = 0; mi < NMETHODS; mi++) {
        if (METHODS[mi] == SK_ID_SKETCH_CPQR || METHODS[mi] == SK_ID_SKETCH_LUPP) continue;
        id_result ref;
        assert_int_equal(run_id(M, N, A, METHODS[mi], 0, 0.3, 0, 2, &ref), 0);
        assert_true(ref.rank > 0);
        for (int k = -600; k <= 600; k += 1200) {
            double *C = scaled(M, N, A, k);
            id_result r;
            assert_int_equal(run_id(M, N, C, METHODS[mi], 0, 0.3, 0, 2, &r), 0);
            assert_int_equal(r.rank, ref.rank);
            for (int j = 0; j < r.rank; j++) assert_int_equal(r.S[j], ref.S[j]);
            free(C);
            free(r.T);
        }
        free(ref.T);
    }
    free(B);
    free(A);
}

static int all_finite(int n, const double *x)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* [[M,M],[M,M]] and [[M,1],[1,1]] with M = DBL_MAX never returned for RBRP. */
static void test_id_dbl_max_terminates(void **state)
{
    (void)state;
    const double M = DBL_MAX;
    const double A1[4] = { M, M, M, M }, A2[4] = { M, 1, 1, 1 };
    for (int mi = 0; mi < NMETHODS; mi++) {
        id_result r;
        assert_int_equal(run_id(2, 2, A1, METHODS[mi], 2, 0.0, 0, 0, &r), 0);
        assert_int_equal(r.rank, 1); /* numerical rank 1 */
        assert_true(all_finite(4, r.T));
        assert_true(r.res2 == 0.0 && isinf(r.anorm2)); /* ||A||² = 4·DBL_MAX² is not a double */
        free(r.T);
        assert_int_equal(run_id(2, 2, A2, METHODS[mi], 2, 0.0, 0, 0, &r), 0);
        /* Column 2 is 1e-308 of ||A||: numerically rank 1 */
        assert_int_equal(r.rank, 1);
        assert_int_equal(r.S[0], 0);
        assert_true(all_finite(4, r.T));
        free(r.T);
        assert_int_equal(run_id(2, 2, A1, METHODS[mi], 0, 0.5, 0, 0, &r),
                         METHODS[mi] == SK_ID_SKETCH_CPQR || METHODS[mi] == SK_ID_SKETCH_LUPP ? SK_EINVAL : 0);
        free(r.T);
    }
}

/* ||A − A(:,S)T||_F² with CBLAS. */
static double explicit_res2(int m, int n, const double *A, const int *S, int k, const double *T, int ldt)
{
    double *E = tu_copy(m, n, A, m);
    if (k > 0) {
        double *C = tu_zeros(m, k);
        for (int j = 0; j < k; j++) memcpy(C + (size_t)j * m, A + (size_t)S[j] * m, (size_t)m * sizeof *C);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, -1.0, C, m, T, ldt, 1.0, E, m);
        free(C);
    }
    double r = tu_fro(m, n, E, m);
    free(E);
    return r * r;
}

/* Rank asked above the numerical rank: stop there, T finite, res2 honest. */
static void test_id_numerical_rank_stop(void **state)
{
    (void)state;
    const double ones[6] = { 1, 1, 1, 1, 1, 1 }; /* 2×3 */
    double u[5] = { 1, -2, 0.5, 3, 1 }, v[9] = { 2, 1, -1, 0.25, 4, 3, -2, 1, 1 };
    double R1[45];
    for (int j = 0; j < 9; j++)
        for (int i = 0; i < 5; i++) R1[j * 5 + i] = u[i] * v[j];
    for (int mi = 0; mi < NMETHODS; mi++) {
        for (uint64_t seed = 0; seed < 8; seed++) {
            id_result r;
            assert_int_equal(run_id(2, 3, ones, METHODS[mi], 2, 0.0, 0, seed, &r), 0);
            assert_int_equal(r.rank, 1);
            for (int j = 0; j < 3; j++) assert_true(fabs(r.T[j * 2] - 1.0) <= 4 * TU_EPS); /* ldt = 2 */
            assert_true(r.res2 <= 1e-30);
            free(r.T);
            for (int rank = 2; rank <= 5; rank++) {
                assert_int_equal(run_id(5, 9, R1, METHODS[mi], rank, 0.0, 0, seed, &r), 0);
                assert_int_equal(r.rank, 1);
                assert_true(all_finite(rank * 9, r.T));
                double e = explicit_res2(5, 9, R1, r.S, r.rank, r.T, rank);
                assert_true(r.res2 <= 1e-24 * r.anorm2 && e <= 1e-24 * r.anorm2);
                free(r.T);
            }
        }
    }
    /* The sketch's own T cannot describe a smaller skeleton: a clear error. */
    sk_id_opts_t o;
    memset(&o, 0, sizeof o);
    o.method = SK_ID_SKETCH_CPQR;
    o.max_rank = 3;
    o.interp = SK_ID_INTERP_SKETCH;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    int S[3], rank;
    double T[27];
    assert_int_equal(sk_id_cols(5, 9, R1, 5, &o, &rng, S, T, 3, &rank, NULL, NULL, NULL), SK_ESINGULAR);
}

/* The cases and a sweep: reported res2 against ||A − A(:,S)T||_F². */
static void test_id_reported_residual(void **state)
{
    (void)state;
    const double A4[16] = { -1, 0, -1, 2, -1, 0, -1, 2, -1, 0, -1, 2, -1, 1, -1, 2 };
    id_result r;
    assert_int_equal(run_id(4, 4, A4, SK_ID_RPQR, 3, 0.0, 0, 0, &r), 0);
    double e = explicit_res2(4, 4, A4, r.S, r.rank, r.T, 3);
    assert_int_equal(r.rank, 2); /* columns 1–3 are equal */
    assert_true(r.res2 <= 1e-28 && e <= 1e-28);
    free(r.T);

    double worst = 0.0;
    int cases = 0;
    for (int seed = 0; seed < 300; seed++) {
        /* m×n with small-integer entries from a rank-r product, some columns repeated. */
        int m = 2 + seed % 6, n = 2 + (seed / 6) % 7, rr = 1 + seed % 3;
        double *X = tu_randn(m, rr, seed), *Y = tu_randn(rr, n, seed + 1000);
        for (int i = 0; i < m * rr; i++) X[i] = round(2 * X[i]);
        for (int i = 0; i < rr * n; i++) Y[i] = round(2 * Y[i]);
        double *A = tu_matmul(m, n, rr, X, m, Y, rr);
        if (seed % 4 == 0) memcpy(A, A + (size_t)(n - 1) * m, (size_t)m * sizeof *A);
        int minmn = m < n ? m : n;
        for (int mi = 0; mi < NMETHODS; mi++) {
            for (int rank = 1; rank <= minmn; rank++) {
                if (run_id(m, n, A, METHODS[mi], rank, 0.0, 2, seed, &r) != 0) fail();
                assert_true(r.rank <= rank);
                assert_true(all_finite(rank * n, r.T));
                e = explicit_res2(m, n, A, r.S, r.rank, r.T, rank);
                double dev = fabs(r.res2 - e) / (TU_EPS * (r.anorm2 > 0 ? r.anorm2 : 1.0));
                if (dev > worst) worst = dev;
                /* Rounding bound: both are sums of squares of residual entries
                 * each with absolute error ~ (m + k)·eps·||A||; a wide margin. */
                assert_true(dev <= 64.0 * (m + n));
                cases++;
                free(r.T);
            }
        }
        free(X); free(Y); free(A);
    }
    print_message("reported vs explicit res2: worst %.3g eps·||A||², %d cases\n", worst, cases);
}

/* oversample = INT_MAX overflowed k + oversample in the sketch methods. */
static void test_id_oversample_int_max(void **state)
{
    (void)state;
    double *A = tu_randn(20, 15, 4);
    for (int method = SK_ID_SKETCH_CPQR; method <= SK_ID_SKETCH_LUPP; method++) {
        sk_id_opts_t o;
        memset(&o, 0, sizeof o);
        o.method = method;
        o.max_rank = 5;
        o.oversample = INT_MAX;
        sk_rng_t rng;
        sk_rng_init(&rng, 1, 0);
        int S[5], rank = -1;
        double T[75], res2;
        assert_int_equal(sk_id_cols(20, 15, A, 20, &o, &rng, S, T, 5, &rank, &res2, NULL, NULL), 0);
        assert_int_equal(rank, 5);
        assert_true(isfinite(res2));
    }
    free(A);
}


static void assert_rel(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol * fabs(b))) fail_msg("%.17g vs %.17g (rel %.3g)", a, b, fabs(a - b) / fabs(b));
}

/* sk_cur on a skeleton at every scale: the same rows; U scales by 2^-k; res2 by 4^k. */
static void test_cur_scale(void **state)
{
    (void)state;
    enum { M = 40, N = 30, K = 5 };
    double s[N];
    for (int i = 0; i < N; i++) s[i] = pow(10.0, -0.1 * i);
    double *A = tu_with_spectrum(M, N, s, 21);
    const int J[K] = { 0, 4, 9, 13, 20 };
    for (int core = SK_CUR_OPTIMAL; core <= SK_CUR_CROSS; core++) {
        int rows0[K], rows[K];
        double U0[K * K], U[K * K], C[M * K], R[K * N], r0, r;
        assert_int_equal(sk_cur(M, N, A, M, K, J, core, rows0, C, M, U0, K, R, K, &r0), 0);
        for (int si = 0; si < 5; si++) {
            int k = SCALES[si];
            double *B = scaled(M, N, A, k);
            assert_int_equal(sk_cur(M, N, B, M, K, J, core, rows, C, M, U, K, R, K, &r), 0);
            for (int i = 0; i < K; i++) assert_int_equal(rows[i], rows0[i]);
            for (int i = 0; i < K * K; i++) assert_rel(ldexp(U[i], k), U0[i], 1e-12);
            if (abs(k) <= 500) assert_rel(ldexp(r, -2 * k), r0, 1e-12);
            free(B);
        }
    }
    /* Entries near DBL_MAX: the CPQR of Cᵀ saw Inf column norms and gave
     * SK_ERANK (optimal) or a NaN core. */
    const double Mx = DBL_MAX, A2[4] = { Mx, Mx / 2, Mx / 2, Mx };
    const int J2[2] = { 0, 1 };
    for (int core = SK_CUR_OPTIMAL; core <= SK_CUR_CROSS; core++) {
        int rows[2];
        double C[4], U[4], R[4];
        assert_int_equal(sk_cur(2, 2, A2, 2, 2, J2, core, rows, C, 2, U, 2, R, 2, NULL), 0);
        assert_int_equal(rows[0], 0);
        assert_int_equal(rows[1], 1);
        assert_memory_equal(C, A2, sizeof C);
        assert_memory_equal(R, A2, sizeof R);
        /* U = A⁻¹ = (1/Mx)·[4/3 −2/3; −2/3 4/3], subnormal: a few ulps of 2^-1074 */
        assert_true(fabs(U[0] - 4.0 / 3.0 / Mx) <= 1e-12 / Mx && fabs(U[1] + 2.0 / 3.0 / Mx) <= 1e-12 / Mx);
    }
    free(A);
}

/* sk_rpchol on K·4^j, K's entries from 2^-1000 to 2^1000: the same pivots,
 * relative residual, and F·2^-j (the dense entry point prescales by 4^-j). */
static void test_rpchol_scale(void **state)
{
    (void)state;
    enum { P = 30, N = 25, KC = 8 };
    double s[N];
    for (int i = 0; i < N; i++) s[i] = pow(10.0, -0.2 * i);
    double *B = tu_with_spectrum(P, N, s, 5);
    double *K = tu_zeros(N, N);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, N, N, P, 1.0, B, P, B, P, 0.0, K, N);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < j; i++) K[(size_t)j * N + i] = K[(size_t)i * N + j];
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        sk_rpchol_opts_t o;
        memset(&o, 0, sizeof o);
        o.method = method;
        o.max_rank = KC;
        o.block = 3;
        int S0[KC], S[KC], k0, k1;
        double F0[N * KC], F[N * KC], rt0, ta0, rt, ta;
        sk_rng_t rng;
        sk_rng_init(&rng, 4, 0);
        assert_int_equal(sk_rpchol(N, K, N, &o, &rng, S0, F0, N, &k0, &rt0, &ta0, NULL), 0);
        for (int j = -500; j <= 500; j += 200) {
            double *Kj = scaled(N, N, K, 2 * j);
            sk_rng_init(&rng, 4, 0);
            assert_int_equal(sk_rpchol(N, Kj, N, &o, &rng, S, F, N, &k1, &rt, &ta, NULL), 0);
            assert_int_equal(k1, k0);
            for (int i = 0; i < k1; i++) assert_int_equal(S[i], S0[i]);
            assert_rel(rt / ta, rt0 / ta0, 1e-12);
            assert_rel(ldexp(ta, -2 * j), ta0, 1e-12);
            for (int i = 0; i < N * k1; i++)
                if (F0[i] != 0.0) assert_rel(ldexp(F[i], -j), F0[i], 1e-12);
            free(Kj);
        }
    }
    /* Diagonal entries at DBL_MAX: tr(A) overflowed and the method returned rank 0. */
    const double Mx = DBL_MAX, K2[4] = { Mx, 0, 0, Mx / 2 };
    sk_rpchol_opts_t o;
    memset(&o, 0, sizeof o);
    o.method = SK_RPCHOL_RANDOM;
    o.tol = 0.1;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    int S2[2], k2;
    double F2[4], rt2, ta2;
    assert_int_equal(sk_rpchol(2, K2, 2, &o, &rng, S2, F2, 2, &k2, &rt2, &ta2, NULL), 0);
    assert_int_equal(k2, 2);
    assert_true(isinf(ta2) && rt2 == 0.0);
    free(B);
    free(K);
}

/* rsvd, its residual estimates (ENOCONV at 2^600 before) and the bounds at every scale. */
static void test_rsvd_bounds_scale(void **state)
{
    (void)state;
    enum { M = 60, N = 40, K = 5, L = 10 };
    double sv[N];
    for (int i = 0; i < N; i++) sv[i] = pow(0.85, i);
    double *A = tu_with_spectrum(M, N, sv, 8);
    double ref[8], U[M * L], V[N * L], X[M * L], Y[N * L], s[L], s0[L];
    for (int si = 0; si < 5; si++) {
        int k = SCALES[si];
        double *B = si == 2 ? tu_copy(M, N, A, M) : scaled(M, N, A, k);
        sk_rng_t rng;
        sk_rng_init(&rng, 1, 0);
        assert_int_equal(sk_rsvd(M, N, B, M, K, L, 1, SK_RSVD_NORM_QR, &rng, X, M, Y, N, U, M, s, V, N, NULL), 0);
        double v[8];
        assert_int_equal(sk_rsvd_resid_norm2(M, N, B, M, L, U, M, V, N, 0, 4, 5, &rng, &v[0], NULL), 0);
        assert_int_equal(sk_rsvd_resid_norm2(M, N, B, M, L, U, M, V, N, 1, 4, 5, &rng, &v[1], NULL), 0);
        assert_int_equal(sk_rsvd_subres_norms(M, N, B, M, K, L, U, M, s, V, N, 4, 5, &rng, &v[2], &v[3], &v[4], NULL), 0);
        assert_int_equal(sk_rsvd_hmt_estimate(M, N, B, M, L, U, M, 5, 10.0, &rng, &v[5], NULL, NULL), 0);
        double fro = sk_dlange('F', M, N, B, M);
        assert_int_equal(sk_rsvd_resid_fro(fro, L, s, &v[6]), 0);
        v[7] = s[0];
        for (int i = 0; i < 8; i++) v[i] = ldexp(v[i], -k);
        if (si == 0) { memcpy(ref, v, sizeof v); for (int i = 0; i < L; i++) s0[i] = ldexp(s[i], -k); }
        for (int i = 0; i < 8; i++) assert_rel(v[i], ref[i], 1e-12);
        /* The bounds take σ at the same scale. */
        double up[K], lo[K], upc[K], loc[K], res[K], svE[K], ul[K], vl[K], uk[K], vk[K], mc[K];
        for (int i = 0; i < K; i++) svE[i] = s[L - K + i] / 4;
        int app = -1;
        assert_int_equal(sk_angles_prior(L, s, K, L, 3, 1.0, 0, up, lo), 0);
        assert_int_equal(sk_angles_prior(L, s, K, L, 3, 1.0, 1, upc, loc), 0);
        assert_int_equal(sk_angles_residual(K, s, ldexp(ref[0], k), svE, res), 0);
        assert_int_equal(sk_angles_subres(K, s, s[K], ldexp(ref[2], k), ldexp(ref[3], k), ldexp(ref[4], k), ul, vl, uk, vk, &app), 0);
        sk_rng_init(&rng, 2, 1);
        assert_int_equal(sk_angles_mc(L, s, K, L, 3, 8, &rng, mc, NULL, NULL), 0);
        static double b0[11][K];
        double *now[11] = { up, lo, upc, loc, res, ul, vl, uk, vk, mc, svE };
        for (int t = 0; t < 10; t++) {
            if (si == 0) memcpy(b0[t], now[t], sizeof up);
            for (int i = 0; i < K; i++) {
                if (isnan(b0[t][i])) assert_true(isnan(now[t][i]));
                else assert_rel(now[t][i], b0[t][i], 1e-12);
            }
        }
        for (int i = 0; i < L; i++) assert_rel(ldexp(s[i], -k), s0[i], 1e-12);
        free(B);
    }
    free(A);
}

/* sk_dgeqp3 (also the JS cpqr): A·2^k gives LAPACK's pivots on A, the same
 * reflectors and tau, and R·2^k; near DBL_MAX the norms overflowed into NaN. */
static void test_dgeqp3_scale(void **state)
{
    (void)state;
    enum { M = 30, N = 20 };
    double s[N];
    for (int i = 0; i < N; i++) s[i] = pow(10.0, -0.2 * i);
    double *A = tu_with_spectrum(M, N, s, 17);
    double *W = tu_copy(M, N, A, M), tau0[N];
    lapack_int jp[N] = { 0 };
    assert_int_equal(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, M, N, W, M, jp, tau0), 0);
    double *R0 = tu_copy(M, N, A, M), t0[N];
    int p0[N], k0;
    assert_int_equal(sk_dgeqp3(M, N, R0, M, p0, t0, 12, 0.0, &k0, NULL), 0);
    for (int j = 0; j < 12; j++) assert_int_equal(p0[j], jp[j] - 1);
    for (int si = 0; si < 5; si++) {
        int k = SCALES[si], p[N], kk;
        double *R = scaled(M, N, A, k), t[N], r2;
        assert_int_equal(sk_dgeqp3(M, N, R, M, p, t, 12, 0.0, &kk, &r2), 0);
        assert_int_equal(kk, 12);
        for (int j = 0; j < N; j++) assert_int_equal(p[j], p0[j]);
        assert_memory_equal(t, t0, sizeof t);
        for (int j = 0; j < N; j++)
            for (int i = 0; i < M; i++) {
                double a = R[(size_t)j * M + i], b = R0[(size_t)j * M + i];
                if (i > j && j < 12) assert_true(a == b); /* reflectors: scale-free */
                else assert_true(a == ldexp(b, k));       /* R and R22: exactly 2^k */
            }
        free(R);
    }
    const double Mx = DBL_MAX;
    double B[4] = { Mx, Mx / 2, Mx / 2, Mx }, tb[2];
    int pb[2], kb;
    /* |R11| = ||A(:,1)|| = 1.118·DBL_MAX is not a double: SK_EINVAL, not a
     * silent Inf (issue 9); the representable entries are still scaled back. */
    assert_int_equal(sk_dgeqp3(2, 2, B, 2, pb, tb, 2, 0.0, &kb, NULL), SK_EINVAL);
    assert_int_equal(kb, 2);
    assert_rel(B[2], -Mx / sqrt(1.25), 1e-14);
    assert_rel(B[3], 0.75 * Mx / sqrt(1.25), 1e-14);
    assert_true(isfinite(B[1]) && isfinite(tb[0]) && isfinite(tb[1]));
    free(A); free(W); free(R0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_scale_invariance),
        cmocka_unit_test(test_id_representable_residual),
        cmocka_unit_test(test_id_dbl_max_terminates),
        cmocka_unit_test(test_id_numerical_rank_stop),
        cmocka_unit_test(test_id_reported_residual),
        cmocka_unit_test(test_id_oversample_int_max),
        cmocka_unit_test(test_cur_scale),
        cmocka_unit_test(test_rpchol_scale),
        cmocka_unit_test(test_rsvd_bounds_scale),
        cmocka_unit_test(test_dgeqp3_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
