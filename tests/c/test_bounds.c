/*
 * test_bounds.c — canonical-angle bounds against the true sines
 * (specs/svd_bounds.md §3.3 checks 2, 3, 5, 6, 8): residual bound with σ and
 * σ̂ (§1.5), subresidual bound and its "not applicable" (§1.6), prior bounds
 * (§1.3), the planners (§1.10), the HMT estimator (§1.9).  Matrices: poly1,
 * exp, SNN-a100 of §3.1 at m = n = 300 (the spec uses 500; 300 keeps the
 * 150-sketch grid to seconds and still has r − k >= l), k = 50, the five
 * (l, q) cells of §3.2's table, 10 seeds each.
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

#include "sketchlab/core.h"
#include "sketchlab/rng.h"
#include "sketchlab/svdsketch.h"
#include "testutil.h"

#define N 300
#define K 50
#define NSEED 10

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

typedef struct {
    const char *name;
    double *A, *U, *s, *V; /* A and its full SVD (LAPACK) */
} mat_t;

static void lapack_uniform(int n, int seed, double *x)
{
    lapack_int iseed[4] = { seed & 4095, (seed >> 12) & 4095, 5, 2 * (seed & 2047) + 1 };
    LAPACKE_dlarnv(1, iseed, n, x);
}

/* Full SVD of A by LAPACK into M (V as columns). */
static void mat_svd(mat_t *M)
{
    double *W = tu_copy(N, N, M->A, N), *Vt = tu_zeros(N, N);
    M->U = tu_zeros(N, N);
    M->s = tu_zeros(N, 1);
    M->V = tu_zeros(N, N);
    assert_int_equal(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', N, N, W, N, M->s, M->U, N, Vt, N), 0);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) M->V[(size_t)j * N + i] = Vt[(size_t)i * N + j];
    free(W); free(Vt);
}

static void mat_from_spectrum(mat_t *M, const char *name, const double *sig, int seed)
{
    M->name = name;
    double *U = tu_orthonormal(N, N, seed), *V = tu_orthonormal(N, N, seed + 1000);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) U[(size_t)j * N + i] *= sig[j];
    M->A = tu_zeros(N, N);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, N, N, N, 1.0, U, N, V, N, 0.0, M->A, N);
    free(U); free(V);
    mat_svd(M); /* the SVD of the matrix as rounded, so "true" is exact to LAPACK accuracy */
}

/* SNN (Sorensen–Embree, textbook definition, §3.1): Σ_j w_j x_j y_jᵀ, sparse nonnegative. */
static void mat_snn(mat_t *M, double a, int seed)
{
    M->name = "SNN-a100";
    M->A = tu_zeros(N, N);
    double *x = tu_zeros(N, 1), *y = tu_zeros(N, 1), *u = tu_zeros(N, 1);
    for (int j = 1; j <= N; j++) {
        lapack_uniform(N, seed + 4 * j, u);
        lapack_uniform(N, seed + 4 * j + 1, x);
        for (int i = 0; i < N; i++) x[i] = u[i] < 0.05 ? x[i] : 0.0;
        lapack_uniform(N, seed + 4 * j + 2, u);
        lapack_uniform(N, seed + 4 * j + 3, y);
        for (int i = 0; i < N; i++) y[i] = u[i] < 0.05 ? y[i] : 0.0;
        cblas_dger(CblasColMajor, N, N, (j <= 20 ? a : 1.0) / j, x, 1, y, 1, M->A, N);
    }
    free(x); free(y); free(u);
    mat_svd(M);
}

static mat_t mats[3];

static int setup(void **state)
{
    double sig[N];
    for (int i = 0; i < N; i++) sig[i] = i < 20 ? 1.0 : fmax(1e-5, 1.0 / (i - 18)); /* poly1 */
    mat_from_spectrum(&mats[0], "poly1", sig, 31);
    for (int i = 0; i < N; i++) sig[i] = i < 20 ? 1.0 : fmax(1e-5, pow(0.98, i - 19)); /* exp */
    mat_from_spectrum(&mats[1], "exp", sig, 37);
    mat_snn(&mats[2], 100.0, 41);
    *state = mats;
    return 0;
}

static int teardown(void **state)
{
    for (int i = 0; i < 3; i++) {
        free(mats[i].A); free(mats[i].U); free(mats[i].s); free(mats[i].V);
    }
    return 0;
}

/* Singular values (descending) by LAPACK, into sv (N values). */
static void svals(double *E, double *sv)
{
    assert_int_equal(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', N, N, E, N, sv, NULL, 1, NULL, 1), 0);
}

/* ----------------------------------------------------------- the grid */

/* A bound b "fails" against a true sine t only by more than the error of the
 * computed t: absolute, the rounding floor of the computed sines (§2.4:
 * ~eps·σ₁/σ_i; 64× that here), since bounds of 1e-25 against a true 3e-16
 * are the floor, not a violation; relative, 4500·eps (≈ 1e-12) for the
 * bound formulas' own rounding (a few eps each; margin > 100). */
static double floor_i(const mat_t *M, int i)
{
    return 64.0 * TU_EPS * M->s[0] / M->s[i];
}
#define BELOW(b, t, i) ((t) - (b) > tu_bound(4500, (t), 64.0 * M->s[0] / M->s[i], 1.0))

static void test_bounds_grid(void **state)
{
    (void)state;
    /* The five (l, q) cells of §3.2's table. */
    const int cells[5][2] = { { 80, 0 }, { 80, 1 }, { 200, 0 }, { 200, 1 }, { 80, 3 } };
    int runs = 0, checks = 0, viol_res = 0, viol_res_hat = 0, viol_sub = 0, viol_cons = 0, viol_hmt = 0;
    int sub_applicable = 0, sub_na = 0, sub_hat_na = 0, viol_sub_hat = 0, viol_nb = 0, nb_checks = 0;
    double worst_res = 1e300, worst_sub = 1e300, worst_cons = 1e300, hmt_min = 1e300;
    double *U = tu_zeros(N, 200), *V = tu_zeros(N, 200), *X = tu_zeros(N, 200), *Y = tu_zeros(N, 200);
    double *s = tu_zeros(200, 1), *E = tu_zeros(N, N), *C = tu_zeros(200, N), *AV = tu_zeros(N, 200);
    double se[N], sev[N], shp[N];
    for (int mi = 0; mi < 3; mi++) {
        const mat_t *M = &mats[mi];
        for (int ci = 0; ci < 5; ci++) {
                const int l = cells[ci][0], q = cells[ci][1];
                double prior_ratio[NSEED], res_ratio[NSEED], sub_ratio[NSEED], truek[NSEED];
                int nsub = 0;
                for (int seed = 1; seed <= NSEED; seed++) {
                    sk_rng_t rng;
                    sk_rng_init(&rng, (uint64_t)(1000 * mi + 100 * l + 10 * q + seed), 0);
                    assert_int_equal(sk_rsvd(N, N, M->A, N, K, l, q, SK_RSVD_NORM_QR, &rng, X, N, Y, N, U, N, s, V,
                                             N, NULL), 0);
                    runs++;
                    /* True sines: ∠(U_k, X), ∠(V_k, Y), ∠(U_k, Û_k), ∠(V_k, V̂_k). */
                    double tU[K], tV[K], tUk[K], tVk[K];
                    assert_int_equal(sk_canonical_sines(N, K, M->U, N, l, X, N, tU, NULL), 0);
                    assert_int_equal(sk_canonical_sines(N, K, M->V, N, l, Y, N, tV, NULL), 0);
                    assert_int_equal(sk_canonical_sines(N, K, M->U, N, K, U, N, tUk, NULL), 0);
                    assert_int_equal(sk_canonical_sines(N, K, M->V, N, K, V, N, tVk, NULL), 0);
                    /* Exact ‖E‖ and σ(E) for E = (I − XXᵀ)A, and E_V = A(I − V_lV_lᵀ). */
                    memcpy(E, M->A, sizeof(double) * N * N);
                    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, l, N, N, 1.0, X, N, M->A, N, 0.0, C, l);
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, N, N, l, -1.0, X, N, C, l, 1.0, E, N);
                    svals(E, se);
                    memcpy(E, M->A, sizeof(double) * N * N);
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, N, l, N, 1.0, M->A, N, V, N, 0.0, AV, N);
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, N, N, l, -1.0, AV, N, V, N, 1.0, E, N);
                    svals(E, sev);

                    /* Check 2: residual bound with σ and with σ̂ (U and V sides). */
                    double bU[K], bV[K], hU[K], hV[K];
                    assert_int_equal(sk_angles_residual(K, M->s, se[0], se, bU), 0);
                    assert_int_equal(sk_angles_residual(K, M->s, sev[0], sev, bV), 0);
                    assert_int_equal(sk_angles_residual(K, s, se[0], se, hU), 0);
                    assert_int_equal(sk_angles_residual(K, s, sev[0], sev, hV), 0);
                    for (int i = 0; i < K; i++) {
                        checks++;
                        viol_res += BELOW(bU[i], tU[i], i);
                        viol_res += BELOW(bV[i], tV[i], i);
                        viol_res_hat += BELOW(hU[i], tU[i], i);
                        viol_res_hat += BELOW(hV[i], tV[i], i);
                        if (tU[i] > floor_i(M, i)) worst_res = fmin(worst_res, fmin(bU[i] / tU[i], hU[i] / tU[i]));
                    }
                    res_ratio[seed - 1] = bU[K - 1] / tU[K - 1];
                    truek[seed - 1] = tU[K - 1];

                    /* Check 3: subresidual bound, true σ, exact ε33 (a certified value). */
                    double e3, e32, e33est;
                    sk_rng_t r2;
                    sk_rng_init(&r2, (uint64_t)seed, 3);
                    assert_int_equal(sk_rsvd_subres_norms(N, N, M->A, N, K, l, U, N, s, V, N, 4, 5, &r2, &e3, &e32,
                                                          &e33est, NULL), 0);
                    /* A power-iteration estimate never exceeds ‖E_V‖₂, up to the
                     * rounding of forming E_V two ways (here with cblas, there
                     * with the library): ~eps·√N·‖A‖ absolute; bound 10·N·eps·σ₁
                     * + 100·eps relative (‖E_V‖ ≈ σ_{l+1} is 1e3-1e5 below σ₁). */
                    tu_assert_within(e33est - sev[0], tu_bound(100, sev[0], 10.0 * N, M->s[0]), "eps33 estimate vs ||E_V||");
                    double uL[K], vL[K], uK[K], vK[K];
                    int app;
                    assert_int_equal(sk_angles_subres(K, M->s, s[K], e3, e32, sev[0], uL, vL, uK, vK, &app), 0);
                    if (app) {
                        sub_applicable++;
                        for (int i = 0; i < K; i++) {
                            viol_sub += BELOW(uL[i], tU[i], i);
                            viol_sub += BELOW(vL[i], tV[i], i);
                            viol_sub += BELOW(uK[i], tUk[i], i);
                            viol_sub += BELOW(vK[i], tVk[i], i);
                            if (tV[i] > floor_i(M, i)) worst_sub = fmin(worst_sub, fmin(uL[i] / tU[i], vL[i] / tV[i]));
                        }
                        sub_ratio[nsub++] = uL[K - 1] / tU[K - 1];
                    } else {
                        sub_na++;
                        for (int i = 0; i < K; i++) assert_true(isnan(uL[i]) && isnan(vL[i]) && isnan(uK[i]) && isnan(vK[i]));
                    }
                    /* σ̂ version: not asserted (validity measured only with σ, §1.6), but
                     * when it is applicable it must not be violated either in our runs. */
                    assert_int_equal(sk_angles_subres(K, s, s[K], e3, e32, sev[0], uL, vL, NULL, NULL, &app), 0);
                    if (!app) sub_hat_na++;
                    else
                        for (int i = 0; i < K; i++) viol_sub_hat += BELOW(uL[i], tU[i], i);
                    for (int i = 0; i < K; i++) assert_true(!(uL[i] < 0.0)); /* never negative */

                    /* Check 5: conservative prior bound never below the truth (U and V). */
                    double pu[K], pl[K], pv[K];
                    assert_int_equal(sk_angles_prior(N, M->s, K, l, 2 * q + 1, 1.0, 1, pu, pl), 0);
                    assert_int_equal(sk_angles_prior(N, M->s, K, l, 2 * q + 2, 1.0, 1, pv, NULL), 0);
                    for (int i = 0; i < K; i++) {
                        viol_cons += BELOW(pu[i], tU[i], i);
                        viol_cons += BELOW(pv[i], tV[i], i);
                        viol_cons += BELOW(tU[i], pl[i], i); /* the lower bound, same tolerance */
                        if (tU[i] > floor_i(M, i)) worst_cons = fmin(worst_cons, pu[i] / tU[i]);
                    }
                    /* Notebook ε = 1 bound: ratio at i = k (check 5), violations counted only. */
                    assert_int_equal(sk_angles_prior(N, M->s, K, l, 2 * q + 1, 1.0, 0, pu, NULL), 0);
                    prior_ratio[seed - 1] = pu[K - 1] / tU[K - 1];
                    for (int i = 0; i < K; i++, nb_checks++) viol_nb += BELOW(pu[i], tU[i], i);
                    /* σ̂ padded: finite and in [0, 1]. */
                    assert_int_equal(sk_spectrum_pad(l, s, N, shp), 0);
                    assert_int_equal(sk_angles_prior(N, shp, K, l, 2 * q + 1, 1.0, 0, pu, NULL), 0);
                    for (int i = 0; i < K; i++) assert_true(pu[i] >= 0.0 && pu[i] <= 1.0);

                    /* Check 8: HMT estimator >= ‖E‖₂ (α = 10, r = 5). */
                    double hmt, fp;
                    sk_rng_init(&r2, (uint64_t)seed, 5);
                    assert_int_equal(sk_rsvd_hmt_estimate(N, N, M->A, N, l, X, N, 5, 10.0, &r2, &hmt, &fp, NULL), 0);
                    viol_hmt += hmt < se[0];
                    hmt_min = fmin(hmt_min, hmt / se[0]);
                }
                print_message("%-8s l=%3d q=%d: true sin_k %.2e | ratio at i=k: prior(eps=1,sigma) %6.2f  "
                              "residual(sigma) %6.2f  subres(sigma) %s%6.2f (applicable %d/%d)\n",
                              M->name, l, q, median(truek, NSEED), median(prior_ratio, NSEED),
                              median(res_ratio, NSEED), nsub ? "" : "  n/a", nsub ? median(sub_ratio, nsub) : 0.0,
                              nsub, NSEED);
                if (l == 80 && q == 0) {
                    double pr = median(prior_ratio, NSEED);
                    assert_true(pr >= 0.95 && pr <= 1.3); /* check 5 */
                }
            }
    }
    print_message("grid: %d sketches, %d angle checks per bound and side.\n"
                  "  residual bound violations: sigma %d, sigma-hat %d (min ratio %.3f)\n"
                  "  subresidual bound (sigma): applicable in %d runs, n/a in %d, violations %d (min ratio %.3f);\n"
                  "    sigma-hat: n/a in %d runs, violations when applicable %d\n"
                  "  conservative prior: violations %d (min ratio %.3f); notebook eps=1 prior: %d of %d below truth\n"
                  "  HMT estimator (10, r=5): below ||E|| in %d runs, min ratio %.1f\n",
                  runs, checks, viol_res, viol_res_hat, worst_res, sub_applicable, sub_na, viol_sub, worst_sub,
                  sub_hat_na, viol_sub_hat, viol_cons, worst_cons, viol_nb, nb_checks, viol_hmt, hmt_min);
    assert_int_equal(viol_res, 0);
    assert_int_equal(viol_res_hat, 0);
    assert_int_equal(viol_sub, 0);
    assert_true(sub_applicable > 0);
    assert_true(sub_na + sub_hat_na > 0); /* the "not applicable" path was exercised */
    assert_int_equal(viol_cons, 0);
    assert_int_equal(viol_hmt, 0);
    free(U); free(V); free(X); free(Y); free(s); free(E); free(C); free(AV);
}

/* ------------------------------------------------ subres: "not applicable" */

static void test_subres_not_applicable(void **state)
{
    (void)state;
    /* The SNN numbers printed by the DMN notebook (§1.6): σ_k = 0.1319,
     * σ̂_{k+1} = 0.1302, ‖E33‖ = 0.1536 — the raw formula is negative here. */
    double sig[3] = { 1.0, 0.5, 0.1319 }, u[3], v[3], uk[3], vk[3];
    int app = -1;
    assert_int_equal(sk_angles_subres(3, sig, 0.1302, 0.05, 0.02, 0.1536, u, v, uk, vk, &app), 0);
    assert_int_equal(app, 0);
    for (int i = 0; i < 3; i++) assert_true(isnan(u[i]) && isnan(v[i]) && isnan(uk[i]) && isnan(vk[i]));
    /* σ_k <= σ̂_{k+1} alone also fails. */
    assert_int_equal(sk_angles_subres(3, sig, 0.14, 0.05, 0.02, 0.01, u, NULL, NULL, NULL, &app), 0);
    assert_int_equal(app, 0);
    assert_true(isnan(u[0]));
    /* Conditions hold: finite, in [0, 1], increasing in i. */
    assert_int_equal(sk_angles_subres(3, sig, 0.05, 0.01, 0.005, 0.02, u, v, uk, vk, &app), 0);
    assert_int_equal(app, 1);
    /* uk >= u in exact arithmetic; both formulas round at a few eps on values in [0, 1]. */
    for (int i = 0; i < 3; i++) {
        assert_true(u[i] >= 0 && u[i] <= 1 && v[i] <= u[i]);
        tu_assert_within(u[i] - uk[i], tu_bound(0, 0, 8, 1.0), "uk >= u at %d", i);
    }
    assert_true(u[0] <= u[1] && u[1] <= u[2]);
    /* Bad inputs. */
    assert_int_equal(sk_angles_subres(0, sig, 0.05, 0.01, 0.005, 0.02, u, v, uk, vk, &app), -1);
    assert_int_equal(sk_angles_subres(3, sig, -1.0, 0.01, 0.005, 0.02, u, v, uk, vk, &app), -3);
    assert_int_equal(sk_angles_subres(3, sig, 0.05, NAN, 0.005, 0.02, u, v, uk, vk, &app), SK_ENONFINITE);
    assert_int_equal(sk_angles_subres(3, sig, 0.05, 0.01, 0.005, 0.02, u, v, uk, vk, NULL), -11);
}

/* ------------------------------------------- prior and residual: unit checks */

static void test_prior_and_residual_units(void **state)
{
    (void)state;
    /* Huge t: σ^{2t} over hundreds of decades, still finite and ordered. */
    double sig[100], up[10], lo[10];
    for (int i = 0; i < 100; i++) sig[i] = pow(0.5, i / 10.0);
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 401, 1.0, 0, up, lo), 0);
    for (int i = 0; i < 10; i++) {
        assert_true(isfinite(up[i]) && up[i] >= 0.0 && up[i] <= 1.0 && lo[i] <= up[i]);
        if (i) assert_true(up[i - 1] <= up[i]);
    }
    /* l = k: 1 − √(k/l) = 0, the vacuous bound 1. */
    assert_int_equal(sk_angles_prior(100, sig, 10, 10, 1, 1.0, 1, up, NULL), 0);
    for (int i = 0; i < 10; i++) assert_true(up[i] == 1.0);
    /* Zero tail: sin = 0. */
    double z[20] = { 3, 2, 1, 0.5 };
    assert_int_equal(sk_angles_prior(20, z, 4, 6, 1, 1.0, 0, up, lo), 0);
    for (int i = 0; i < 4; i++) assert_true(up[i] == 0.0);
    /* Residual bound: min of the two terms, clipped to 1. */
    double s3[3] = { 2.0, 1.0, 0.5 }, svE[3] = { 0.4, 0.1, 0.01 }, b[3];
    assert_int_equal(sk_angles_residual(3, s3, 0.4, svE, b), 0);
    /* One division and a min: correctly rounded up to a few eps relative. */
    tu_assert_within(fabs(b[0] - fmin(0.2, 0.01 / 0.5)), tu_bound(4, b[0], 0, 0), "residual bound 0");
    tu_assert_within(fabs(b[1] - fmin(0.4, 0.1 / 0.5)), tu_bound(4, b[1], 0, 0), "residual bound 1");
    tu_assert_within(fabs(b[2] - fmin(0.8, 0.4 / 0.5)), tu_bound(4, b[2], 0, 0), "residual bound 2");
    assert_int_equal(sk_angles_residual(3, s3, 5.0, NULL, b), 0);
    assert_true(b[0] == 1.0 && b[2] == 1.0);
    /* Bad inputs. */
    assert_int_equal(sk_angles_prior(100, sig, 100, 100, 1, 1.0, 0, up, NULL), SK_ERANK);
    assert_int_equal(sk_angles_prior(100, sig, 10, 5, 1, 1.0, 0, up, NULL), -4);
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 0, 1.0, 0, up, NULL), -5);
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 1, -1.0, 0, up, NULL), -6);
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 1, 1.0, 2, up, NULL), -7);
    sig[3] = 5.0; /* not non-increasing */
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 1, 1.0, 0, up, NULL), -2);
    sig[3] = INFINITY;
    assert_int_equal(sk_angles_prior(100, sig, 10, 20, 1, 1.0, 0, up, NULL), SK_ENONFINITE);
    assert_int_equal(sk_angles_residual(3, s3, NAN, NULL, b), SK_ENONFINITE);
    assert_int_equal(sk_angles_residual(3, s3, -1.0, NULL, b), -3);
}

/* ------------------------------------------------------ planner (check 6) */

static void test_planner(void **state)
{
    (void)state;
    double phi[8];
    int qb;
    /* (α, β, γ) = (32, 64, 2): valid for 2q+1 < 8, i.e. q <= 3; tested q ∈ {0, 2, 3}. */
    assert_int_equal(sk_rsvd_plan_phi(32, 64, 2, 1.01, 3, phi, &qb), 0);
    print_message("phi(g=1.01) = %.3f %.3f %.3f %.3f -> q = %d\n", phi[0], phi[1], phi[2], phi[3], qb);
    assert_int_equal(qb, 0);
    assert_int_equal(sk_rsvd_plan_phi(32, 64, 2, 1.5, 3, phi, &qb), 0);
    print_message("phi(g=1.5)  = %.3f %.3f %.3f %.3f -> q = %d\n", phi[0], phi[1], phi[2], phi[3], qb);
    assert_int_equal(qb, 3);
    assert_int_equal(sk_rsvd_plan_phi(32, 64, 2, 1.5, 7, phi, &qb), 0);
    for (int q = 4; q <= 7; q++) assert_true(isnan(phi[q]));
    assert_int_equal(qb, 3);
    /* Spectrum-based planner with the MC estimate, the measured §1.10 setting:
     * k = 10, r = 650, budget 320; g = 1.01 -> q = 0, g = 1.5 -> a large q. */
    const int r = 650, k = 10, qmax = 7;
    double *sig = tu_zeros(r, 1), score[8];
    int lq[8];
    sk_rng_t rng;
    for (int gi = 0; gi < 2; gi++) {
        double g = gi ? 1.5 : 1.01;
        for (int i = 0; i < r; i++) sig[i] = i < k ? g : 1.0;
        sk_rng_init(&rng, 5, 9);
        assert_int_equal(sk_rsvd_plan(r, sig, k, 320, qmax, 1.0, 3, &rng, lq, score, &qb), 0);
        print_message("plan g=%.2f (MC, 3 trials): ", g);
        for (int q = 0; q <= qmax; q++) print_message("q%d/l%d %.3f  ", q, lq[q], score[q]);
        print_message("-> q = %d\n", qb);
        if (gi == 0) assert_int_equal(qb, 0);
        else assert_true(qb >= 5);
    }
    assert_int_equal(lq[0], 320);
    assert_int_equal(lq[7], 21);
    /* Prior-bound scoring (no rng). */
    assert_int_equal(sk_rsvd_plan(r, sig, k, 320, qmax, 1.0, 0, NULL, lq, score, &qb), 0);
    assert_true(qb >= 0);
    assert_int_equal(sk_rsvd_plan(r, sig, k, 5, qmax, 1.0, 0, NULL, lq, score, &qb), -4);
    assert_int_equal(sk_rsvd_plan_phi(32, 64, 2, 0.5, 3, phi, &qb), -4);
    free(sig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds_grid),
        cmocka_unit_test(test_subres_not_applicable),
        cmocka_unit_test(test_prior_and_residual_units),
        cmocka_unit_test(test_planner),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
