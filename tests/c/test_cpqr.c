/*
 * test_cpqr.c — sk_dgeqp3: backward error, pivots and |diag R| against
 * LAPACKE_dgeqp3, early stopping by maxrank and by the residual-mass
 * tolerance (at the first step where it holds), res2, degenerate shapes,
 * argument checking and SK_ENOMEM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

/* Under ASan a failed huge malloc must return NULL, not abort (the SK_ENOMEM test). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

#define PAD 12345.0

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

static double *padded(int m, int n, int lda, const double *B)
{
    double *A = tu_zeros(lda, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < lda; i++) A[(size_t)j * lda + i] = i < m ? B[(size_t)j * m + i] : PAD;
    return A;
}

/* Result of one sk_dgeqp3 run on a padded copy of A0. */
typedef struct {
    int m, n, lda, rank;
    double *A; /* factored, ld lda */
    int *jpvt;
    double *tau;
    double res2;
} cp_run;

static cp_run run_cpqr(int m, int n, const double *A0, int extra, int maxrank, double tol)
{
    cp_run r = { m, n, imax(1, m + extra), -1, NULL, NULL, NULL, -1.0 };
    r.A = padded(m, n, r.lda, A0);
    r.jpvt = calloc((size_t)imax(n, 1), sizeof(int));
    r.tau = tu_zeros(imax(imin(m, n), 1), 1);
    for (int i = 0; i < imin(m, n); i++) r.tau[i] = -99.0;
    assert_int_equal(sk_dgeqp3(m, n, r.A, r.lda, r.jpvt, r.tau, maxrank, tol, &r.rank, &r.res2), 0);
    for (int j = 0; j < n; j++)
        for (int i = m; i < r.lda; i++)
            if (r.A[(size_t)j * r.lda + i] != PAD) fail_msg("padding overwritten");
    return r;
}

static void free_run(cp_run *r) { free(r->A); free(r->jpvt); free(r->tau); }

/* A0(:, jpvt), ld m. */
static double *permute_cols(int m, int n, const double *A0, const int *jpvt)
{
    double *B = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        memcpy(B + (size_t)j * m, A0 + (size_t)jpvt[j] * m, sizeof(double) * (size_t)m);
    return B;
}

/*
 * The invariants of any run: jpvt a permutation, tau zero past rank,
 * A P = Q [R11 R12; 0 R22] to backward error 10·n·eps, Q orthogonal, and
 * res2 = ||R22||_F² recomputed here from the output: a sum of squares of
 * the same entries, so relative n·eps (×100 margin), plus a mixed absolute
 * part 2·||R22||·n·eps·||A|| for a res2 taken from R22's entries before
 * their last rounding (a wrong or stale mass is off by O(res2) and fails).
 */
static void check_run(const cp_run *r, const double *A0)
{
    int m = r->m, n = r->n, lda = r->lda, k = r->rank, big = imax(1, imax(m, n));
    int *seen = calloc((size_t)imax(n, 1), sizeof(int));
    for (int j = 0; j < n; j++) {
        assert_true(r->jpvt[j] >= 0 && r->jpvt[j] < n);
        assert_int_equal(seen[r->jpvt[j]]++, 0);
    }
    free(seen);
    for (int i = k; i < imin(m, n); i++) assert_true(r->tau[i] == 0.0);
    if (m == 0 || n == 0) return;

    /* Rfull: R(0:k, :) upper trapezoid, and the residual block in rows k:m, cols k:n. */
    double *Rf = tu_zeros(m, n);
    double r22 = 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double a = r->A[(size_t)j * lda + i];
            if (i < k && i <= j) Rf[(size_t)j * m + i] = a;
            if (i >= k && j >= k) { Rf[(size_t)j * m + i] = a; r22 += a * a; }
        }
    double *Q = tu_zeros(m, m);
    for (int j = 0; j < k; j++)
        memcpy(Q + (size_t)j * m, r->A + (size_t)j * lda, sizeof(double) * (size_t)m);
    assert_int_equal(sk_dorgqr(m, m, k, Q, m, r->tau), 0);
    double *AP = permute_cols(m, n, A0, r->jpvt);
    double *QR = tu_matmul(m, n, m, Q, m, Rf, m);
    double anrm = tu_fro(m, n, A0, m);
    double res = tu_diff_fro(m, n, AP, m, QR, m);
    double sres = anrm > 0 ? res / (anrm * big * TU_EPS) : res;
    double orth = tu_orth_err(m, m, Q, m) / (big * TU_EPS);
    /* Householder QR backward stability (Higham Thm 19.4): c·n·eps·||A||, c ~ 1. */
    tu_assert_within(sres, 10.0, "cpqr m=%d n=%d rank=%d: ||AP-QR||/(||A|| n eps)", m, n, k);
    tu_assert_within(orth, 10.0, "cpqr m=%d n=%d rank=%d: ||QtQ-I||/(n eps)", m, n, k);
    tu_assert_within(fabs(r->res2 - r22), tu_bound(100.0 * big, r22, 2.0 * big, anrm * sqrt(r22)) + 1e-300,
                     "cpqr m=%d n=%d rank=%d: res2 vs ||R22||^2", m, n, k);
    free(Rf); free(Q); free(AP); free(QR);
}

/*
 * ||B − Q_k Q_kᵀ B||_F² for B = A0(:, jpvt(k:n)), Q_k the thin Q of the first
 * k reflectors — the residual mass res2 must reproduce.
 */
static double projected_residual(const cp_run *r, const double *A0)
{
    int m = r->m, n = r->n, k = r->rank;
    double *AP = permute_cols(m, n, A0, r->jpvt);
    double *B = AP + (size_t)k * m;
    int nb = n - k;
    if (k > 0 && nb > 0) {
        double *Q = tu_zeros(m, k);
        for (int j = 0; j < k; j++)
            memcpy(Q + (size_t)j * m, r->A + (size_t)j * r->lda, sizeof(double) * (size_t)m);
        assert_int_equal(sk_dorgqr(m, k, k, Q, m, r->tau), 0);
        /* B −= Q (Qᵀ B) */
        double *QtB = tu_zeros(k, nb);
        for (int j = 0; j < nb; j++)
            for (int i = 0; i < k; i++) {
                double s = 0.0;
                for (int p = 0; p < m; p++) s += Q[(size_t)i * m + p] * B[(size_t)j * m + p];
                QtB[(size_t)j * k + i] = s;
            }
        for (int j = 0; j < nb; j++)
            for (int i = 0; i < k; i++)
                for (int p = 0; p < m; p++) B[(size_t)j * m + p] -= Q[(size_t)i * m + p] * QtB[(size_t)j * k + i];
        free(Q); free(QtB);
    }
    double f = nb > 0 ? tu_fro(m, nb, B, m) : 0.0;
    free(AP);
    return f * f;
}

/* LAPACK reference: 0-based pivots and the factored matrix (ld m). */
static void lapack_qp3(int m, int n, const double *A0, int *jpvt, double **F)
{
    *F = tu_copy(m, n, A0, m);
    lapack_int *jp = calloc((size_t)imax(n, 1), sizeof(lapack_int));
    double *tau = tu_zeros(imax(imin(m, n), 1), 1);
    assert_int_equal(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, *F, imax(m, 1), jp, tau), 0);
    for (int j = 0; j < n; j++) jpvt[j] = (int)jp[j] - 1;
    free(jp);
    free(tau);
}

/* mass[k] = ||R(k:, k:)||_F² from a full factorization F (ld m), k = 0..mn. */
static double *masses(int m, int n, const double *F)
{
    int mn = imin(m, n);
    double *mass = tu_zeros(mn + 1, 1);
    for (int i = mn - 1; i >= 0; i--) {
        double row = 0.0;
        for (int j = i; j < n; j++) row += F[(size_t)j * m + i] * F[(size_t)j * m + i];
        mass[i] = mass[i + 1] + row;
    }
    return mass;
}

/*
 * Pivots and |R(i,i)| against LAPACK for the first `steps` steps (all when
 * full). Both factorizations are backward stable with the same pivots, so
 * |R(i,i)| differ by ~n·eps·||A||_F absolute (Higham Thm 19.4) amplified by
 * the conditioning of the trailing block: relative 4.5e5·eps (1e-10) covers
 * the well-separated spectra here (observed <= 1e-13), plus `slack` (in
 * units of eps·||A||_F) where the tiny diagonal entries of a nearly
 * rank-deficient matrix carry errors of order n·eps·||A||.
 */
static void compare_lapack_slack(const cp_run *r, const double *A0, int steps, double slack)
{
    int m = r->m, n = r->n;
    int *jp = calloc((size_t)imax(n, 1), sizeof(int));
    double *F;
    lapack_qp3(m, n, A0, jp, &F);
    for (int j = 0; j < steps; j++)
        if (r->jpvt[j] != jp[j])
            fail_msg("m=%d n=%d: pivot %d is column %d, LAPACK's %d", m, n, j, r->jpvt[j], jp[j]);
    if (steps == imin(m, n))
        for (int j = 0; j < n; j++)
            if (r->jpvt[j] != jp[j]) fail_msg("m=%d n=%d: jpvt[%d] differs", m, n, j);
    for (int i = 0; i < steps; i++) {
        double a = fabs(r->A[(size_t)i * r->lda + i]), b = fabs(F[(size_t)i * m + i]);
        tu_assert_within(fabs(a - b), tu_bound(4.5e5, b, slack, tu_fro(m, n, A0, m)), "m=%d n=%d: |R(%d,%d)| vs LAPACK", m, n, i, i);
    }
    free(jp);
    free(F);
}

static void compare_lapack(const cp_run *r, const double *A0, int steps)
{
    compare_lapack_slack(r, A0, steps, 0.0);
}

static void test_cpqr_full_vs_lapack(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 1, 1 },   { 2, 2 },   { 31, 31 },  { 33, 33 },
                                     { 64, 64 }, { 100, 100 }, { 257, 257 }, { 100, 40 },
                                     { 40, 100 }, { 1, 7 },   { 7, 1 },     { 300, 130 },
                                     { 130, 300 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], mn = imin(m, n);
        double *A = tu_randn(m, n, 1000 + (int)t);
        for (int extra = 0; extra <= 2; extra += 2) {
            cp_run r = run_cpqr(m, n, A, extra, mn, 0.0);
            assert_int_equal(r.rank, mn);
            check_run(&r, A);
            compare_lapack(&r, A, mn);
            free_run(&r);
        }
        free(A);
    }
}

static void test_cpqr_graded(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 60, 60 }, { 150, 90 }, { 90, 150 }, { 257, 257 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], mn = imin(m, n);
        double *A = tu_randn(m, n, 50 + (int)t);
        /* Column j scaled by 10^(-k) with k from a fixed shuffle, so pivoting must reorder. */
        for (int j = 0; j < n; j++) {
            double s = pow(10.0, -(double)((j * 37) % n) * 10.0 / n);
            for (int i = 0; i < m; i++) A[(size_t)j * m + i] *= s;
        }
        cp_run r = run_cpqr(m, n, A, 1, mn, 0.0);
        check_run(&r, A);
        compare_lapack(&r, A, mn);
        free_run(&r);
        free(A);
    }
}

static void test_cpqr_maxrank(void **state)
{
    (void)state;
    static const int cases[][3] = { { 100, 80, 10 }, { 80, 100, 33 }, { 257, 200, 64 },
                                    { 50, 50, 0 },   { 50, 50, 1 },   { 40, 30, 30 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        int m = cases[t][0], n = cases[t][1], k = cases[t][2];
        double *A = tu_randn(m, n, 200 + (int)t);
        cp_run r = run_cpqr(m, n, A, 3, k, 0.0);
        assert_int_equal(r.rank, k);
        check_run(&r, A);
        compare_lapack(&r, A, k);
        double p = projected_residual(&r, A);
        /* p = ||B − Q_k Q_kᵀ B||², recomputed with BLAS: subtracting the projection
         * leaves an absolute error ~n·eps·||A|| per entry, so mixed 2·n·eps·||A||·√p,
         * plus n·eps relative; ×100 margin. */
        tu_assert_within(fabs(r.res2 - p), tu_bound(100.0 * imax(m, n), p, 200.0 * imax(m, n), tu_fro(m, n, A, m) * sqrt(p)),
                         "maxrank %d: res2 vs projected", k);
        if (k == 0) {
            /* Nothing done: A intact, identity pivots, res2 = ||A||_F². */
            for (int j = 0; j < n; j++) {
                assert_int_equal(r.jpvt[j], j);
                for (int i = 0; i < m; i++) assert_true(r.A[(size_t)j * r.lda + i] == A[(size_t)j * m + i]);
            }
            double a = tu_fro(m, n, A, m);
            /* Untouched A: a sum of m·n squares in another order. */
            tu_assert_within(fabs(r.res2 - a * a), tu_bound(4.0 * m * n, a * a, 0, 0), "k = 0: res2 = ||A||^2");
        }
        free_run(&r);
        free(A);
    }
}

/* A with slowly decaying singular values, so the residual masses are well separated. */
static double *decaying(int m, int n, double decades_per_sv, int seed)
{
    int k = imin(m, n);
    double *s = tu_zeros(k, 1);
    for (int i = 0; i < k; i++) s[i] = pow(10.0, -decades_per_sv * i);
    double *A = tu_with_spectrum(m, n, s, seed);
    free(s);
    return A;
}

static void test_cpqr_tol_first_step(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 120, 90 }, { 90, 120 }, { 70, 70 }, { 257, 100 } };
    static const int targets[] = { 1, 2, 5, 13, 20, 31, 33 };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], mn = imin(m, n);
        double *A = decaying(m, n, 0.125, 400 + (int)t);
        double anrm = tu_fro(m, n, A, m), a2 = anrm * anrm;
        int *jp = calloc((size_t)n, sizeof(int));
        double *F;
        lapack_qp3(m, n, A, jp, &F);
        double *mass = masses(m, n, F);
        for (size_t q = 0; q < sizeof targets / sizeof targets[0]; q++) {
            int k0 = targets[q];
            /* Just above mass[k0]: the first step meeting tol is k0. */
            double tol = mass[k0] / a2 * (1.0 + 1e-6);
            cp_run r = run_cpqr(m, n, A, 1, mn, tol);
            if (r.rank != k0) fail_msg("m=%d n=%d tol=mass[%d](1+1e-6): rank %d", m, n, k0, r.rank);
            check_run(&r, A);
            compare_lapack(&r, A, k0);
            double p = projected_residual(&r, A);
            /* As in test_cpqr_maxrank. */
            tu_assert_within(fabs(r.res2 - p), tu_bound(100.0 * mn, p, 200.0 * mn, anrm * sqrt(p)), "tol stop at %d: res2 vs projected", k0);
            /* LAPACK's mass from its own R: the same mixed bound between two backward-stable runs. */
            tu_assert_within(fabs(r.res2 - mass[k0]), tu_bound(100.0 * mn, mass[k0], 200.0 * mn, anrm * sqrt(mass[k0])),
                             "tol stop at %d: res2 vs LAPACK's mass", k0);
            free_run(&r);
            /* Just below mass[k0]: one more step is needed. */
            tol = mass[k0] / a2 * (1.0 - 1e-6);
            r = run_cpqr(m, n, A, 0, mn, tol);
            if (r.rank != k0 + 1)
                fail_msg("m=%d n=%d tol=mass[%d](1-1e-6): rank %d", m, n, k0, r.rank);
            check_run(&r, A);
            free_run(&r);
            /* maxrank and tol together: whichever comes first. */
            r = run_cpqr(m, n, A, 0, k0 - 1, tol);
            assert_int_equal(r.rank, k0 - 1);
            free_run(&r);
        }
        free(jp); free(F); free(mass); free(A);
    }
}

static void test_cpqr_tol_extremes(void **state)
{
    (void)state;
    int m = 30, n = 20;
    double *A = tu_randn(m, n, 9);
    double a = tu_fro(m, n, A, m);
    /* tol >= 1: ||A||² <= tol ||A||² already, no step. */
    cp_run r = run_cpqr(m, n, A, 0, n, 1.0);
    assert_int_equal(r.rank, 0);
    tu_assert_within(fabs(r.res2 - a * a), tu_bound(4.0 * m * n, a * a, 0, 0), "tol 1: res2 = ||A||^2"); /* as above */
    free_run(&r);
    /* tol = 0 disables the test: all min(m,n) steps, residual 0. */
    r = run_cpqr(m, n, A, 0, n, 0.0);
    assert_int_equal(r.rank, n);
    assert_true(r.res2 == 0.0);
    free_run(&r);
    free(A);
    /* Zero matrix: with tol > 0 nothing to do; with tol = 0 all steps (tau = 0). */
    double *Z = tu_zeros(10, 6);
    r = run_cpqr(10, 6, Z, 0, 6, 1e-3);
    assert_int_equal(r.rank, 0);
    assert_true(r.res2 == 0.0);
    free_run(&r);
    r = run_cpqr(10, 6, Z, 0, 6, 0.0);
    assert_int_equal(r.rank, 6);
    check_run(&r, Z);
    for (int i = 0; i < 6; i++) assert_true(r.tau[i] == 0.0 && r.jpvt[i] == i);
    free_run(&r);
    free(Z);
}

/* Scale invariance: the stop decision and pivots do not change at 1e±150, res2 scales. */
static void test_cpqr_scaling(void **state)
{
    (void)state;
    int m = 60, n = 50;
    double *A = decaying(m, n, 0.125, 77);
    double a = tu_fro(m, n, A, m);
    double *F;
    int *jp = calloc((size_t)n, sizeof(int));
    lapack_qp3(m, n, A, jp, &F);
    double *mass = masses(m, n, F);
    double tol = sqrt(mass[9] * mass[10]) / (a * a);
    cp_run r0 = run_cpqr(m, n, A, 0, n, tol);
    assert_int_equal(r0.rank, 10);
    double scales[] = { 1e150, 1e-150, 1e170 };
    for (int s = 0; s < 3; s++) {
        double *B = tu_copy(m, n, A, m);
        for (int i = 0; i < m * n; i++) B[i] *= scales[s];
        cp_run r = run_cpqr(m, n, B, 0, n, tol);
        assert_int_equal(r.rank, 10);
        for (int j = 0; j < n; j++) assert_int_equal(r.jpvt[j], r0.jpvt[j]);
        double expect = r0.res2 * scales[s] * scales[s];
        if (isinf(expect)) assert_true(isinf(r.res2));
        /* Same pivots, scaled arithmetic: the mixed bound of check_run between two runs. */
        else tu_assert_within(fabs(r.res2 / scales[s] / scales[s] - r0.res2),
                              tu_bound(100.0 * m, r0.res2, 200.0 * m, a * sqrt(r0.res2)), "scale %g: res2 / scale^2", scales[s]);
        free_run(&r);
        free(B);
    }
    free_run(&r0); free(F); free(jp); free(mass); free(A);
}

static void test_cpqr_rank_deficient(void **state)
{
    (void)state;
    static const int cases[][3] = { { 80, 60, 25 }, { 60, 80, 40 }, { 257, 100, 37 }, { 33, 33, 32 } };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        int m = cases[t][0], n = cases[t][1], rk = cases[t][2], mn = imin(m, n);
        double *s = tu_zeros(mn, 1);
        for (int i = 0; i < rk; i++) s[i] = 1.0 + (double)(rk - i);
        double *A = tu_with_spectrum(m, n, s, 600 + (int)t);
        /* Full factorization is backward stable; with a tolerance it stops at the rank. */
        cp_run r = run_cpqr(m, n, A, 2, mn, 0.0);
        check_run(&r, A);
        free_run(&r);
        r = run_cpqr(m, n, A, 2, mn, 1e-20);
        assert_int_equal(r.rank, rk);
        check_run(&r, A);
        free_run(&r);
        free(s);
        free(A);
    }
    /*
     * Nearly parallel columns c_j a0 + 1e-6 g_j: after the first step every
     * downdated norm has lost ~12 digits and must be recomputed (inside a
     * block for this size), and the pivots must still be LAPACK's.
     */
    {
        int mm = 200, nn = 150;
        double *G = tu_randn(mm, nn, 21), *a0 = tu_randn(mm, 1, 22), *c = tu_randn(nn, 1, 23);
        for (int j = 0; j < nn; j++)
            for (int i = 0; i < mm; i++) G[(size_t)j * mm + i] = c[j] * a0[i] + 1e-6 * G[(size_t)j * mm + i];
        cp_run r = run_cpqr(mm, nn, G, 0, nn, 0.0);
        check_run(&r, G);
        compare_lapack_slack(&r, G, nn, 100.0 * nn);
        free_run(&r);
        /* The residual after one step is ~1e-12 of ||A||²: the tolerance must see it. */
        r = run_cpqr(mm, nn, G, 0, nn, 1e-11);
        assert_int_equal(r.rank, 1);
        double p = projected_residual(&r, G);
        tu_assert_within(fabs(r.res2 - p), tu_bound(100.0 * mm, p, 200.0 * mm, tu_fro(mm, nn, G, mm) * sqrt(p)), "parallel columns: res2 vs projected");
        free_run(&r);
        free(G); free(a0); free(c);
    }
    /* Exactly repeated columns: ties go to the lowest index. */
    int m = 20, n = 6;
    double *B = tu_randn(m, n, 3);
    for (int i = 0; i < m; i++) B[4 * m + i] = B[1 * m + i] = 10.0 * B[0 * m + i];
    cp_run r = run_cpqr(m, n, B, 0, 1, 0.0);
    assert_int_equal(r.jpvt[0], 1);
    free_run(&r);
    free(B);
}

static void test_cpqr_tiny_shapes(void **state)
{
    (void)state;
    static const int shapes[][2] = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 1 }, { 1, 2 } };
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1];
        double *A = tu_randn(m, n, 5 + (int)t);
        cp_run r = run_cpqr(m, n, A, 1, imin(m, n), 0.0);
        check_run(&r, A);
        compare_lapack(&r, A, imin(m, n));
        free_run(&r);
        free(A);
    }
    /* Empty: every jpvt set, rank 0, res2 0. */
    int jpvt[5] = { -1, -1, -1, -1, -1 }, rank = -1;
    double res2 = -1.0, dummy = 0.0;
    assert_int_equal(sk_dgeqp3(0, 5, NULL, 1, jpvt, NULL, 0, 0.1, &rank, &res2), 0);
    assert_int_equal(rank, 0);
    assert_true(res2 == 0.0);
    for (int j = 0; j < 5; j++) assert_int_equal(jpvt[j], j);
    rank = -1;
    assert_int_equal(sk_dgeqp3(4, 0, &dummy, 4, NULL, NULL, 0, 0.0, &rank, NULL), 0);
    assert_int_equal(rank, 0);
}

static void test_cpqr_invalid_args(void **state)
{
    (void)state;
    double A[16] = { 0 }, tau[4];
    int jpvt[4], rank;
    double res2;
    assert_int_equal(sk_dgeqp3(-1, 2, A, 2, jpvt, tau, 0, 0.0, &rank, &res2), -1);
    assert_int_equal(sk_dgeqp3(2, -1, A, 2, jpvt, tau, 0, 0.0, &rank, &res2), -2);
    assert_int_equal(sk_dgeqp3(2, 2, NULL, 2, jpvt, tau, 0, 0.0, &rank, &res2), -3);
    assert_int_equal(sk_dgeqp3(2, 2, A, 1, jpvt, tau, 0, 0.0, &rank, &res2), -4);
    assert_int_equal(sk_dgeqp3(0, 2, A, 0, jpvt, tau, 0, 0.0, &rank, &res2), -4);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, NULL, tau, 0, 0.0, &rank, &res2), -5);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, NULL, 0, 0.0, &rank, &res2), -6);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, -1, 0.0, &rank, &res2), -7);
    assert_int_equal(sk_dgeqp3(2, 3, A, 2, jpvt, tau, 3, 0.0, &rank, &res2), -7);
    assert_int_equal(sk_dgeqp3(0, 3, A, 1, jpvt, tau, 1, 0.0, &rank, &res2), -7);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, 1, -1e-3, &rank, &res2), -8);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, 1, NAN, &rank, &res2), -8);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, 1, INFINITY, &rank, &res2), -8);
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, 1, 0.0, NULL, &res2), -9);
    /* res2 may be NULL. */
    A[0] = 1.0; A[3] = 2.0;
    assert_int_equal(sk_dgeqp3(2, 2, A, 2, jpvt, tau, 2, 0.0, &rank, NULL), 0);
    assert_int_equal(rank, 2);
    assert_int_equal(jpvt[0], 1);
}

static void test_cpqr_enomem(void **state)
{
    (void)state;
    /* The norm workspace is at least 2n doubles, allocated before A is read. */
    const int big = INT_MAX;
    void *p = malloc((size_t)big * 2 * sizeof(double));
    if (p) { free(p); skip(); }
    double dummy[4] = { 1, 2, 3, 4 }, tau[2] = { 0 };
    int jpvt[2], rank = -1;
    /* jpvt must hold n entries; the function fills it only after allocating, so a tiny one is safe. */
    assert_int_equal(sk_dgeqp3(big, big, dummy, big, jpvt, tau, 0, 0.0, &rank, NULL), SK_ENOMEM);
    assert_true(dummy[0] == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpqr_full_vs_lapack),
        cmocka_unit_test(test_cpqr_graded),
        cmocka_unit_test(test_cpqr_maxrank),
        cmocka_unit_test(test_cpqr_tol_first_step),
        cmocka_unit_test(test_cpqr_tol_extremes),
        cmocka_unit_test(test_cpqr_scaling),
        cmocka_unit_test(test_cpqr_rank_deficient),
        cmocka_unit_test(test_cpqr_tiny_shapes),
        cmocka_unit_test(test_cpqr_invalid_args),
        cmocka_unit_test(test_cpqr_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
