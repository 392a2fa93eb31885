/*
 * test_rpchol.c — randomly pivoted Cholesky (sk_rpchol*), the kernel gallery
 * and kernel matrices, against LAPACK and the numbers of specs/pivoting.md
 * §3.5.5 (smile defeats uniform Nyström, robspiral defeats greedy).
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

static const char *method_name[] = { "random", "greedy", "uniform", "block", "rbrp" };

/* Points and kernel spec, owned by the caller (free p->X). */
static sk_kernel_t make_kernel(const char *which, int n, double h, uint64_t seed)
{
    sk_kernel_t k = { SK_KERNEL_GAUSSIAN, h, 2, n, NULL, 2 };
    double *X = tu_zeros(2, n);
    if (strcmp(which, "smile") == 0) {
        sk_rng_t rng;
        sk_rng_init(&rng, seed, 0);
        assert_int_equal(sk_gallery_smile(n, &rng, X, 2), 0);
    } else {
        assert_int_equal(sk_gallery_robspiral(n, X, 2), 0);
    }
    k.X = X;
    return k;
}

typedef struct {
    int rank;
    double res, trA;
    int *S;
    double *F;
} run_t;

static run_t run_kernel(const sk_kernel_t *kern, int method, int k, double tol, int block, uint64_t seed)
{
    run_t r = { 0, -1, -1, NULL, NULL };
    int n = kern->npts, kcap = k > 0 ? k : n;
    sk_rpchol_opts_t o = { 0 };
    o.method = method;
    o.max_rank = k;
    o.tol = tol;
    o.block = block;
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 3);
    r.S = calloc((size_t)kcap, sizeof *r.S);
    r.F = tu_zeros(n, kcap);
    assert_int_equal(sk_rpchol_kernel(kern, &o, &rng, r.S, r.F, n, &r.rank, &r.res, &r.trA, NULL), 0);
    return r;
}

static void run_free(run_t *r)
{
    free(r->S);
    free(r->F);
}

static double rel_err(const sk_kernel_t *kern, int method, int k, int block, uint64_t seed)
{
    run_t r = run_kernel(kern, method, k, 0.0, block, seed);
    if (method == SK_RPCHOL_UNIFORM) assert_true(r.rank <= k); /* dependent draws are dropped */
    else assert_int_equal(r.rank, k);
    double e = r.res / r.trA;
    run_free(&r);
    return e;
}

static double median5(double *v)
{
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (v[j] < v[i]) { double t = v[i]; v[i] = v[j]; v[j] = t; }
    return v[2];
}

/* §3.5.5: on smile (h = 2), RPCholesky beats uniform Nyström by orders of
 * magnitude at k = 100 — checked on five seeds (points and pivots). */
static void test_smile_rpchol_beats_uniform(void **state)
{
    (void)state;
    const int n = 3000, k = 100;
    double er[5], eu[5], worst = HUGE_VAL;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        sk_kernel_t kern = make_kernel("smile", n, 2.0, seed);
        er[seed - 1] = rel_err(&kern, SK_RPCHOL_RANDOM, k, 0, seed);
        eu[seed - 1] = rel_err(&kern, SK_RPCHOL_UNIFORM, k, 0, seed);
        double ratio = eu[seed - 1] / er[seed - 1];
        printf("# smile N=%d h=2 k=%d seed %d: rpchol %.3g uniform %.3g ratio %.3g\n", n, k,
               (int)seed, er[seed - 1], eu[seed - 1], ratio);
        assert_true(ratio >= 100.0);
        worst = ratio < worst ? ratio : worst;
        if (seed == 1) {
            for (int m = SK_RPCHOL_GREEDY; m <= SK_RPCHOL_RBRP; m += 2) /* greedy, block */
                printf("# smile N=%d k=%d %s: %.3g\n", n, k, method_name[m], rel_err(&kern, m, k, 10, seed));
            printf("# smile N=%d k=%d rbrp b=10: %.3g\n", n, k, rel_err(&kern, SK_RPCHOL_RBRP, k, 10, seed));
        }
        free((void *)kern.X);
    }
    printf("# smile medians: rpchol %.3g uniform %.3g; smallest ratio %.3g\n", median5(er), median5(eu), worst);
}

/* §3.5.5: greedy fails on robspiral (h = 1000), RPCholesky does not. */
static void test_robspiral_defeats_greedy(void **state)
{
    (void)state;
    const int n = 3000, k = 100;
    sk_kernel_t kern = make_kernel("robspiral", n, 1000.0, 0);
    double eg = rel_err(&kern, SK_RPCHOL_GREEDY, k, 0, 1);
    printf("# robspiral N=%d h=1000 k=%d greedy %.4g\n", n, k, eg);
    assert_true(eg >= 0.9);
    double er[5];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        er[seed - 1] = rel_err(&kern, SK_RPCHOL_RANDOM, k, 0, seed);
        double eu = rel_err(&kern, SK_RPCHOL_UNIFORM, k, 0, seed);
        double eb = rel_err(&kern, SK_RPCHOL_BLOCK, k, 10, seed);
        double ef = rel_err(&kern, SK_RPCHOL_RBRP, k, 10, seed);
        printf("# robspiral seed %d: rpchol %.3g uniform %.3g block(b=10) %.3g rbrp(b=10) %.3g\n",
               (int)seed, er[seed - 1], eu, eb, ef);
        assert_true(er[seed - 1] <= 0.5);
        assert_true(ef <= 0.5);
    }
    printf("# robspiral median rpchol %.3g\n", median5(er));
    free((void *)kern.X);
}

/* Dense kernel matrix (fresh storage). */
static double *dense_kernel(const sk_kernel_t *kern)
{
    double *K = tu_zeros(kern->npts, kern->npts);
    assert_int_equal(sk_kernel_matrix(kern, K, kern->npts), 0);
    return K;
}

/* F Fᵀ = A(:,S) A(S,S)⁻¹ A(S,:) (column Nyström), computed independently
 * through LAPACK's Cholesky of A(S,S). */
static void test_nystrom_identity(void **state)
{
    (void)state;
    const int n = 400, k = 30;
    sk_kernel_t kern = make_kernel("smile", n, 2.0, 7);
    double *A = dense_kernel(&kern);
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        sk_rpchol_opts_t o = { 0 };
        o.method = method;
        o.max_rank = k;
        o.block = 7;
        sk_rng_t rng;
        sk_rng_init(&rng, 5, 0);
        int S[30], rank = 0;
        double *F = tu_zeros(n, k), res = 0, trA = 0;
        assert_int_equal(sk_rpchol(n, A, n, &o, &rng, S, F, n, &rank, &res, &trA, NULL), 0);
        assert_int_equal(rank, k);
        /* Nyström: L = chol(A(S,S)), Y = A(:,S) L⁻ᵀ, Â = Y Yᵀ. */
        double *Css = tu_zeros(k, k), *Y = tu_zeros(n, k);
        for (int j = 0; j < k; j++) {
            memcpy(Y + (size_t)j * n, A + (size_t)S[j] * n, n * sizeof *Y);
            for (int i = 0; i < k; i++) Css[(size_t)j * k + i] = A[(size_t)S[j] * n + S[i]];
        }
        assert_int_equal(LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', k, Css, k), 0);
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, n, k, 1.0, Css, k, Y, n);
        double *Ny = tu_zeros(n, n), *FF = tu_zeros(n, n);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, Y, n, Y, n, 0.0, Ny, n);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, F, n, F, n, 0.0, FF, n);
        double rel = tu_diff_fro(n, n, FF, n, Ny, n) / tu_fro(n, n, Ny, n);
        printf("# nystrom identity %-7s k=%d: ||FFᵀ − Nyström||/||Nyström|| = %.2e (trace err %.2e)\n",
               method_name[method], k, rel, res / trA);
        /* Both sides go through a Cholesky of A(S,S): cond(A(S,S))·k·eps relative,
         * cond up to ~1e6 for these kernels at k pivots; 1e-8 (observed <= 1e-12). */
        tu_assert_within(rel, 1e-8, "nystrom identity %s k=%d", method_name[method], k);
        free(F); free(Css); free(Y); free(Ny); free(FF);
    }
    free(A);
    free((void *)kern.X);
}

/* Reported residual = tr(A) − ||F||_F² = tr(A − FFᵀ) computed directly. */
static void test_trace_identities(void **state)
{
    (void)state;
    const int n = 500;
    const char *clouds[] = { "smile", "robspiral" };
    const double hs[] = { 2.0, 1000.0 };
    for (int c = 0; c < 2; c++) {
        sk_kernel_t kern = make_kernel(clouds[c], n, hs[c], 3);
        double *A = dense_kernel(&kern);
        for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
            const int k = 25;
            sk_rpchol_opts_t o = { 0 };
            o.method = method;
            o.max_rank = k;
            o.block = 6;
            sk_rng_t rng;
            sk_rng_init(&rng, 9, 0);
            int S[25], rank = 0;
            double *F = tu_zeros(n, k), res = 0, trA = 0;
            assert_int_equal(sk_rpchol(n, A, n, &o, &rng, S, F, n, &rank, &res, &trA, NULL), 0);
            double tr = 0.0, f2 = tu_fro(n, rank, F, n);
            for (int i = 0; i < n; i++) tr += A[(size_t)i * n + i];
            assert_true(tr == trA);
            double *E = tu_copy(n, n, A, n);
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, rank, -1.0, F, n, F, n, 1.0, E, n);
            double direct = 0.0;
            for (int i = 0; i < n; i++) direct += E[(size_t)i * n + i];
            double e1 = fabs(res - (tr - f2 * f2)) / res, e2 = fabs(res - direct) / res;
            printf("# trace identity %-9s %-7s res/tr=%.3g: vs tr−||F||² %.1e, vs tr(A−FFᵀ) %.1e\n",
                   clouds[c], method_name[method], res / tr, e1, e2);
            /* res = tr(A) − ||F||² cancels: absolute n·eps·tr(A) in either
             * order (×10 margin), plus a relative 4500·eps. A missing diagonal
             * update is off by O(res) and fails. */
            tu_assert_within(e1 * res, tu_bound(4500, res, 10.0 * n, tr), "%s %s: res vs tr - ||F||^2", clouds[c], method_name[method]);
            tu_assert_within(e2 * res, tu_bound(4500, res, 10.0 * n, tr), "%s %s: res vs tr(A - FF')", clouds[c], method_name[method]);
            free(F); free(E);
        }
        free(A);
        free((void *)kern.X);
    }
}

/* A user column oracle over a kernel spec. */
static int user_oracle(void *ctx, int ncols, const int *idx, double *out, int ldout)
{
    return sk_kernel_cols((const sk_kernel_t *)ctx, ncols, idx, out, ldout);
}

/* Dense, kernel-spec and user-oracle inputs give identical pivots and F. */
static void test_oracle_dense_identical(void **state)
{
    (void)state;
    const int n = 600, k = 40;
    sk_kernel_t kern = make_kernel("smile", n, 1.0, 11);
    double *A = dense_kernel(&kern), diag[600];
    for (int i = 0; i < n; i++) diag[i] = A[(size_t)i * n + i];
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        sk_rpchol_opts_t o = { 0 };
        o.method = method;
        o.max_rank = k;
        o.block = 8;
        int S[3][40], rank[3];
        double *F[3], res[3], trA[3];
        for (int v = 0; v < 3; v++) {
            sk_rng_t rng;
            sk_rng_init(&rng, 42, 0);
            F[v] = tu_zeros(n, k);
            int info = v == 0 ? sk_rpchol(n, A, n, &o, &rng, S[v], F[v], n, &rank[v], &res[v], &trA[v], NULL)
                     : v == 1 ? sk_rpchol_kernel(&kern, &o, &rng, S[v], F[v], n, &rank[v], &res[v], &trA[v], NULL)
                              : sk_rpchol_oracle(n, user_oracle, &kern, diag, &o, &rng, S[v], F[v], n,
                                                 &rank[v], &res[v], &trA[v], NULL);
            assert_int_equal(info, 0);
        }
        for (int v = 1; v < 3; v++) {
            assert_int_equal(rank[v], rank[0]);
            assert_memory_equal(S[v], S[0], (size_t)rank[0] * sizeof(int));
            assert_memory_equal(F[v], F[0], (size_t)n * rank[0] * sizeof(double));
            assert_true(res[v] == res[0] && trA[v] == trA[0]);
        }
        for (int v = 0; v < 3; v++) free(F[v]);
    }
    free(A);
    free((void *)kern.X);
}

/* Rank-adaptive stop: Σd <= tol·tr(A) at the returned k, and not at k − 1
 * (the first k−1 columns of F are the Nyström factor of the first k−1 pivots,
 * so the residual there is res + ||F(:,k)||²). Also for large blocks: the
 * exact cut of the last block. */
static void test_rank_adaptive(void **state)
{
    (void)state;
    const int n = 800;
    sk_kernel_t kern = make_kernel("smile", n, 1.0, 2);
    const double tols[] = { 1e-2, 1e-4 };
    for (int t = 0; t < 2; t++) {
        for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
            run_t r = run_kernel(&kern, method, 0, tols[t], 32, 4);
            double last = sk_dnrm2(n, r.F + (size_t)(r.rank - 1) * n, 1);
            printf("# adaptive tol=%g %-7s: k=%d res/tr=%.3g (k−1: %.3g)\n", tols[t], method_name[method],
                   r.rank, r.res / r.trA, (r.res + last * last) / r.trA);
            assert_true(r.rank > 1);
            assert_true(r.res <= tols[t] * r.trA);
            assert_true(r.res + last * last > tols[t] * r.trA);
            run_free(&r);
        }
    }
    free((void *)kern.X);
}

/* Rank-deficient inputs end cleanly: duplicate points, an exactly low-rank Gram matrix. */
static void test_rank_deficient(void **state)
{
    (void)state;
    /* 60 points, each twice: rank <= 60 of 120. */
    const int n = 120;
    double X[2 * 120];
    sk_rng_t g;
    sk_rng_init(&g, 8, 0);
    sk_rng_normal(&g, 120, X);
    memcpy(X + 120, X, 120 * sizeof *X);
    sk_kernel_t kern = { SK_KERNEL_GAUSSIAN, 0.7, 2, n, X, 2 };
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        run_t r = run_kernel(&kern, method, n, 0.0, 16, 1);
        printf("# duplicates %-7s: rank %d res/tr %.2e\n", method_name[method], r.rank, r.res / r.trA);
        assert_true(r.rank <= 60);
        /* Rank <= 60 of a 120-point set with duplicates: the residual is rounding,
         * n·eps·tr(A) absolute; 1e-10·tr(A) ≈ 4.5e5·eps·tr (the pivot tolerance's floor). */
        tu_assert_within(r.res, tu_bound(0, 0, 4.5e5, r.trA), "duplicates %s", method_name[method]);
        run_free(&r);
    }
    /* A = Z Zᵀ, Z 50×5: every method stops at rank 5 (or so) with residual ≈ 0. */
    double *Z = tu_randn(50, 5, 3), *A = tu_zeros(50, 50);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, 50, 50, 5, 1.0, Z, 50, Z, 50, 0.0, A, 50);
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        sk_rpchol_opts_t o = { 0 };
        o.method = method;
        o.max_rank = 50;
        o.block = 4;
        sk_rng_t rng;
        sk_rng_init(&rng, 1, 0);
        int S[50], rank = 0;
        double *F = tu_zeros(50, 50), res = -1, trA = 0;
        assert_int_equal(sk_rpchol(50, A, 50, &o, &rng, S, F, 50, &rank, &res, &trA, NULL), 0);
        assert_true(rank == 5);
        /* Exact rank 5: rounding only, n·eps·tr(A) = 50·eps·tr (×90 margin). */
        tu_assert_within(res, tu_bound(0, 0, 4500, trA), "Z Z', method %s", method_name[method]);
        free(F);
    }
    free(Z);
    free(A);
}

/* The teaching trace lists the pivots in order; RBRP rejects some candidates. */
static void test_trace_format(void **state)
{
    (void)state;
    const int n = 1000, k = 60, b = 20;
    sk_kernel_t kern = make_kernel("robspiral", n, 1000.0, 0);
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        sk_rpchol_opts_t o = { 0 };
        o.method = method;
        o.max_rank = k;
        o.block = b;
        sk_rng_t rng;
        sk_rng_init(&rng, 6, 0);
        enum { STEPS = 400, CANDS = 400 * 20 };
        int S[60], rank = 0, *off = calloc(STEPS + 1, sizeof(int)), *cand = calloc(CANDS, sizeof(int));
        signed char *status = calloc(CANDS, 1);
        double *resv = calloc(STEPS, sizeof(double)), *F = tu_zeros(n, k), res = 0, trA = 0;
        sk_id_trace_t tr = { STEPS, CANDS, off, cand, status, resv, 0, 0 };
        assert_int_equal(sk_rpchol_kernel(&kern, &o, &rng, S, F, n, &rank, &res, &trA, &tr), 0);
        assert_false(tr.truncated);
        int a = 0, rejected = 0;
        for (int t = 0; t < tr.nsteps; t++) {
            for (int c = off[t]; c < off[t + 1]; c++) {
                if (status[c]) { assert_true(a < rank); assert_int_equal(cand[c], S[a]); a++; }
                else rejected++;
            }
            /* Nonincreasing up to the cancellation in tr(A) − ||F||² (n·eps·tr(A)). */
            if (t > 0) tu_assert_within(resv[t] - resv[t - 1], tu_bound(4500, resv[t - 1], 10.0 * n, trA), "trace step %d", t);
        }
        assert_int_equal(a, rank);
        assert_true(resv[tr.nsteps - 1] == res);
        printf("# trace %-7s: %d rounds, %d rejected candidates\n", method_name[method], tr.nsteps, rejected);
        free(off); free(cand); free(status); free(resv); free(F);
    }
    free((void *)kern.X);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    sk_rpchol_opts_t o = { 0 };
    o.method = SK_RPCHOL_RANDOM;
    o.max_rank = 2;
    int S[4], rank;
    double F[16], res, trA;
    /* Not PSD: eigenvalues 3 and −1. Any pivot exposes it. */
    double B[4] = { 1, 2, 2, 1 };
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++) {
        o.method = method;
        o.block = 2;
        assert_int_equal(sk_rpchol(2, B, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ENOTPD);
    }
    o.method = SK_RPCHOL_RANDOM;
    /* Negative diagonal. */
    double Nd[4] = { 1, 0, 0, -1e-3 };
    assert_int_equal(sk_rpchol(2, Nd, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ENOTPD);
    /* Indefinite but with a positive diagonal, larger: I + 0.9·(ones − I) − 2·e1e2ᵀ-type coupling. */
    double M[16];
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++) M[j * 4 + i] = i == j ? 1.0 : 0.0;
    M[1] = M[4] = 1.5; /* |a12| > sqrt(a11 a22) */
    o.max_rank = 4;
    assert_int_equal(sk_rpchol(4, M, 4, &o, &rng, S, F, 4, &rank, &res, &trA, NULL), SK_ENOTPD);
    /* NaN on the diagonal, and NaN off the diagonal in a column that is read. */
    double Q[4] = { 1, 0, 0, NAN };
    o.max_rank = 2;
    assert_int_equal(sk_rpchol(2, Q, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ENONFINITE);
    double P[4] = { 1, NAN, NAN, 1 };
    assert_int_equal(sk_rpchol(2, P, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ENONFINITE);
    /* Rank and tolerance rules. */
    double I2[4] = { 1, 0, 0, 1 };
    o.max_rank = 3; /* k > N */
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ERANK);
    o.max_rank = -1;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ERANK);
    o.max_rank = 0; /* no k and no tol */
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_EINVAL);
    o.tol = -0.1;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.tol = NAN;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.tol = 1.0;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.tol = 0.5; /* tol alone is a valid stopping rule */
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), 0);
    assert_int_equal(rank, 1);
    o.tol = 0;
    o.max_rank = 2;
    /* Block methods need block >= 1. */
    o.method = SK_RPCHOL_BLOCK;
    o.block = 0;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.method = SK_RPCHOL_RBRP;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.block = 2;
    o.filter_tol = 1.5;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.filter_tol = 0;
    o.method = 9;
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    o.method = SK_RPCHOL_RANDOM;
    assert_int_equal(sk_rpchol(2, I2, 2, NULL, &rng, S, F, 2, &rank, &res, &trA, NULL), -4);
    assert_int_equal(sk_rpchol(2, I2, 2, &o, NULL, S, F, 2, &rank, &res, &trA, NULL), -5);
    assert_int_equal(sk_rpchol(2, I2, 1, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -3);
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 1, &rank, &res, &trA, NULL), -8);
    assert_int_equal(sk_rpchol(2, I2, 2, &o, &rng, S, F, 2, NULL, &res, &trA, NULL), -9);
    o.method = SK_RPCHOL_GREEDY; /* no randomness needed */
    assert_int_equal(sk_rpchol(2, I2, 2, &o, NULL, S, F, 2, &rank, &res, &trA, NULL), 0);
    /* Empty matrix. */
    o.max_rank = 0;
    o.tol = 0.1;
    assert_int_equal(sk_rpchol(0, NULL, 1, &o, &rng, S, F, 1, &rank, &res, &trA, NULL), 0);
    assert_int_equal(rank, 0);
    /* Oracle: NULL callback, a diagonal that disagrees with the columns, an
     * error status passed through. */
    sk_kernel_t kern = { SK_KERNEL_GAUSSIAN, 1.0, 2, 2, I2, 2 };
    double dg[2] = { 1.0, 2.0 };
    o.max_rank = 2;
    o.tol = 0;
    o.method = SK_RPCHOL_GREEDY;
    assert_int_equal(sk_rpchol_oracle(2, NULL, &kern, dg, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -2);
    assert_int_equal(sk_rpchol_oracle(2, user_oracle, &kern, dg, &o, &rng, S, F, 2, &rank, &res, &trA, NULL),
                     SK_EINVAL);
    /* Kernel spec checks. */
    sk_kernel_t badk = kern;
    badk.bandwidth = 0.0;
    assert_int_equal(sk_rpchol_kernel(&badk, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -1);
    badk = kern;
    badk.type = 7;
    assert_int_equal(sk_kernel_matrix(&badk, F, 2), -1);
    o.method = SK_RPCHOL_BLOCK;
    o.block = 0;
    assert_int_equal(sk_rpchol_kernel(&kern, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), -2);
    o.block = 1;
    assert_int_equal(sk_rpchol_kernel(&kern, &o, &rng, S, F, 1, &rank, &res, &trA, NULL), -6);
    double Xn[4] = { 0, 0, NAN, 1 };
    badk = kern;
    badk.X = Xn;
    assert_int_equal(sk_rpchol_kernel(&badk, &o, &rng, S, F, 2, &rank, &res, &trA, NULL), SK_ENONFINITE);
    int idx[1] = { 2 };
    assert_int_equal(sk_kernel_cols(&kern, 1, idx, F, 2), -3);
    assert_int_equal(sk_kernel_cols(&kern, 1, idx, F, 1), -3);
    idx[0] = 1;
    assert_int_equal(sk_kernel_cols(&kern, 1, idx, F, 1), -5);
    /* Gallery. */
    double G[40];
    assert_int_equal(sk_gallery_smile(5, &rng, G, 2), -1); /* too few points for eyes+mouth */
    assert_int_equal(sk_gallery_smile(10, NULL, G, 2), -2);
    assert_int_equal(sk_gallery_smile(10, &rng, G, 1), -4);
    assert_int_equal(sk_gallery_robspiral(-1, G, 2), -1);
    assert_int_equal(sk_gallery_robspiral(10, G, 1), -3);
}

/* A callback error stops the factorization and comes back unchanged. */
static int failing_oracle(void *ctx, int ncols, const int *idx, double *out, int ldout)
{
    int *calls = ctx;
    if (++*calls == 3) return 12345;
    for (int c = 0; c < ncols; c++)
        for (int i = 0; i < ldout; i++) out[(size_t)c * ldout + i] = i == idx[c] ? 1.0 : 0.0;
    return 0;
}

static void test_oracle_error_passthrough(void **state)
{
    (void)state;
    int calls = 0, S[5], rank;
    double dg[5] = { 1, 1, 1, 1, 1 }, F[25], res, trA;
    sk_rpchol_opts_t o = { 0 };
    o.method = SK_RPCHOL_RANDOM;
    o.max_rank = 5;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    assert_int_equal(sk_rpchol_oracle(5, failing_oracle, &calls, dg, &o, &rng, S, F, 5, &rank, &res, &trA, NULL),
                     12345);
    calls = -100;
    assert_int_equal(sk_rpchol_oracle(5, failing_oracle, &calls, dg, &o, &rng, S, F, 5, &rank, &res, &trA, NULL), 0);
    assert_int_equal(rank, 5);
    assert_true(res == 0.0);
}

/* Kernel values against libm-based formulas; the gallery's shapes. */
static void test_kernels_and_gallery(void **state)
{
    (void)state;
    /* 1-D Laplace with h = 1 from x_0 = 0: K(i, 0) = exp(−|x_i|) over a wide range. */
    const int n = 2001;
    double *X = tu_zeros(1, n), *col = tu_zeros(n, 1), maxrel = 0.0;
    for (int i = 0; i < n; i++) X[i] = i * 0.35 - 1e-3 * (i % 7);
    X[0] = 0.0;
    sk_kernel_t lap = { SK_KERNEL_LAPLACE, 1.0, 1, n, X, 1 };
    int zero = 0;
    assert_int_equal(sk_kernel_cols(&lap, 1, &zero, col, n), 0);
    for (int i = 0; i < n; i++) {
        double ref = exp(-fabs(X[i]));
        if (ref < 1e-300) continue;
        double rel = fabs(col[i] - ref) / ref;
        maxrel = rel > maxrel ? rel : maxrel;
    }
    printf("# deterministic exp: max relative error %.2e (%.2f ulp)\n", maxrel, maxrel / TU_EPS);
    assert_true(maxrel <= 4 * TU_EPS);
    free(X);
    free(col);

    /* Gaussian kernel in 3-D, matrix vs columns vs formula. */
    const int m = 50;
    double *P = tu_randn(3, m, 4), *K = tu_zeros(m, m), *C = tu_zeros(m, 3);
    sk_kernel_t g = { SK_KERNEL_GAUSSIAN, 0.8, 3, m, P, 3 };
    assert_int_equal(sk_kernel_matrix(&g, K, m), 0);
    int idx[3] = { 4, 0, 49 };
    assert_int_equal(sk_kernel_cols(&g, 3, idx, C, m), 0);
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < m; i++) {
            assert_true(C[(size_t)c * m + i] == K[(size_t)idx[c] * m + i]);
            double s = 0;
            for (int t = 0; t < 3; t++) {
                double e = P[i * 3 + t] - P[idx[c] * 3 + t];
                s += e * e;
            }
            assert_true(fabs(C[(size_t)c * m + i] - exp(-s / (2 * 0.64))) <= 4 * TU_EPS);
        }
    for (int i = 0; i < m; i++) assert_true(K[(size_t)i * m + i] == 1.0);
    /* Laplace is ℓ1. */
    sk_kernel_t l = { SK_KERNEL_LAPLACE, 2.0, 3, m, P, 3 };
    assert_int_equal(sk_kernel_cols(&l, 1, idx, C, m), 0);
    double s1 = fabs(P[0] - P[12]) + fabs(P[1] - P[13]) + fabs(P[2] - P[14]);
    assert_true(fabs(C[0] - exp(-s1 / 2.0)) <= 4 * TU_EPS);
    free(P); free(K); free(C);

    /* Smile: eyes in unit discs at (±4, 4), mouth on the parabola, face on the circle. */
    const int N = 1000, eye = 32, mouth = 100;
    double *S = tu_zeros(2, N);
    sk_rng_t rng;
    sk_rng_init(&rng, 5, 0);
    assert_int_equal(sk_gallery_smile(N, &rng, S, 2), 0);
    for (int i = 0; i < N; i++) {
        double x = S[2 * i], y = S[2 * i + 1];
        if (i < 2 * eye) {
            double cx = i < eye ? -4.0 : 4.0;
            assert_true((x - cx) * (x - cx) + (y - 4) * (y - 4) <= 1.0 + 1e-12);
        } else if (i < 2 * eye + mouth) {
            assert_true(fabs(y - (x * x / 16 - 5)) <= 1e-14);
        } else {
            assert_true(fabs(sqrt(x * x + y * y) - 10.0) <= 1e-13);
        }
    }
    assert_true(S[2 * (2 * eye)] == -5.0 && S[2 * (2 * eye + mouth - 1)] == 5.0);
    assert_true(S[2 * (2 * eye + mouth)] == 10.0 && S[2 * (N - 1)] == 10.0); /* θ = 0 and 2π */
    /* Same seed, same cloud. */
    double *S2 = tu_zeros(2, N);
    sk_rng_init(&rng, 5, 0);
    assert_int_equal(sk_gallery_smile(N, &rng, S2, 2), 0);
    assert_memory_equal(S, S2, 2 * N * sizeof(double));
    free(S); free(S2);

    /* Robspiral: t_0 = 64 (outermost), t_{N−1} = 0 (the point (1, 0)). */
    double *R = tu_zeros(2, N);
    assert_int_equal(sk_gallery_robspiral(N, R, 2), 0);
    double r0 = hypot(R[0], R[1]);
    assert_true(fabs(r0 - exp(12.8)) <= 1e-12 * exp(12.8));
    assert_true(fabs(atan2(R[1], R[0]) - remainder(64.0, 2 * 3.14159265358979323846)) <= 1e-12);
    assert_true(R[2 * (N - 1)] == 1.0 && R[2 * (N - 1) + 1] == 0.0);
    free(R);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernels_and_gallery),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_oracle_error_passthrough),
        cmocka_unit_test(test_nystrom_identity),
        cmocka_unit_test(test_trace_identities),
        cmocka_unit_test(test_oracle_dense_identical),
        cmocka_unit_test(test_rank_adaptive),
        cmocka_unit_test(test_rank_deficient),
        cmocka_unit_test(test_trace_format),
        cmocka_unit_test(test_smile_rpchol_beats_uniform),
        cmocka_unit_test(test_robspiral_defeats_greedy),
    };
    return cmocka_run_group_tests_name("rpchol", tests, NULL, NULL);
}
