/*
 * test_rsvd.c — the sketched SVD (svdsketch.h, specs/svd_bounds.md §2):
 * accuracy against LAPACK, the normalizers (§3.3 check 7), the 2000×2000
 * rank-100 accuracy check of the issue, the operator/callback path and its
 * counts, the residual-norm estimators, and bad inputs.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime, for the printed timings */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

/* The module headers, not the umbrella: this test needs nothing else. */
#include "sketchlab/core.h"
#include "sketchlab/linalg.h"
#include "sketchlab/rng.h"
#include "sketchlab/svdsketch.h"
#include "testutil.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Singular values (descending) of an m×n matrix, by LAPACK (values only). */
static double *lapack_svals(int m, int n, const double *A, int lda)
{
    int k = m < n ? m : n;
    double *W = tu_copy(m, n, A, lda), *s = tu_zeros(k, 1);
    assert_int_equal(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', m, n, W, m, s, NULL, 1, NULL, 1), 0);
    free(W);
    return s;
}

/* Largest sine between range(Uk) (m×k) and range(X) (m×l) by LAPACK: σ_max((I − XXᵀ)Uk). */
static double lapack_max_sine(int m, int k, const double *Uk, int ldu, int l, const double *X, int ldx)
{
    double *R = tu_copy(m, k, Uk, ldu), *C = tu_zeros(l, k);
    for (int pass = 0; pass < 2; pass++) {
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, l, k, m, 1.0, X, ldx, R, m, 0.0, C, l);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, k, l, -1.0, X, ldx, C, l, 1.0, R, m);
    }
    double *s = lapack_svals(m, k, R, m);
    double r = s[0];
    free(R); free(C); free(s);
    return r;
}

/* Uniform (0,1) numbers from LAPACK. */
static void lapack_uniform(int n, int seed, double *x)
{
    lapack_int iseed[4] = { seed & 4095, (seed >> 12) & 4095, 5, 2 * (seed & 2047) + 1 };
    LAPACKE_dlarnv(1, iseed, n, x);
}

/*
 * SNN matrix (Sorensen–Embree, §3.1, the textbook definition): A = Σ_j w_j x_j y_jᵀ
 * with sparse nonnegative x_j, y_j (density 0.05), w_j = a/j (j <= 20), 1/j after.
 */
static double *snn_matrix(int m, int n, int r, double a, int seed)
{
    double *A = tu_zeros(m, n), *x = tu_zeros(m, 1), *y = tu_zeros(n, 1);
    double *ux = tu_zeros(m, 1), *uy = tu_zeros(n, 1);
    for (int j = 1; j <= r; j++) {
        lapack_uniform(m, seed + 3 * j, ux);
        lapack_uniform(m, seed + 3 * j + 1, x);
        for (int i = 0; i < m; i++) x[i] = ux[i] < 0.05 ? x[i] : 0.0;
        lapack_uniform(n, seed + 3 * j + 2, uy);
        lapack_uniform(n, seed + 3 * j + 7919, y);
        for (int i = 0; i < n; i++) y[i] = uy[i] < 0.05 ? y[i] : 0.0;
        double w = (j <= 20 ? a : 1.0) / j;
        cblas_dger(CblasColMajor, m, n, w, x, 1, y, 1, A, m);
    }
    free(x); free(y); free(ux); free(uy);
    return A;
}

typedef struct {
    int m, n, k, l, q;
    double *U, *s, *V, *X, *Y;
} run_t;

static void run_alloc(run_t *r, int m, int n, int k, int l, int q)
{
    r->m = m; r->n = n; r->k = k; r->l = l; r->q = q;
    r->U = tu_zeros(m, l); r->s = tu_zeros(l, 1); r->V = tu_zeros(n, l);
    r->X = tu_zeros(m, l); r->Y = tu_zeros(n, l);
}

static void run_free(run_t *r)
{
    free(r->U); free(r->s); free(r->V); free(r->X); free(r->Y);
}

static int run_dense(run_t *r, const double *A, int norm, uint64_t seed, sk_rsvd_stats_t *st)
{
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    return sk_rsvd(r->m, r->n, A, r->m, r->k, r->l, r->q, norm, &rng, r->X, r->m, r->Y, r->n,
                   r->U, r->m, r->s, r->V, r->n, st);
}

/* ---------------------------------------------------------------- accuracy */

static void test_rsvd_matches_lapack(void **state)
{
    (void)state;
    const int m = 220, n = 160, k = 20, l = 30;
    double *sig = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) sig[i] = pow(0.8, i);
    double *A = tu_with_spectrum(m, n, sig, 11);
    run_t r;
    run_alloc(&r, m, n, k, l, 3);
    sk_rsvd_stats_t st = { 0 };
    assert_int_equal(run_dense(&r, A, SK_RSVD_NORM_QR, 7, &st), 0);
    /* Counts: l(q+1) products with A and with Aᵀ (§2.2). */
    assert_int_equal(st.matvecs_a, l * 4);
    assert_int_equal(st.matvecs_at, l * 4);
    assert_int_equal(st.orth_fallbacks, 0);
    /* σ̂ <= σ (interlacing) and, with a steep spectrum and q = 3, equal to 1e-10 for i <= k. */
    /* Interlacing holds up to rounding: A itself is built with an error of
     * ~m·eps·σ₁ (Weyl: every σ moves by that much absolutely), plus a few eps
     * relative; σ_l = 0.8^29 ≈ 2e-3, so a purely relative bound is kernel-bound. */
    for (int i = 0; i < l; i++) tu_assert_within(r.s[i] - sig[i], tu_bound(450, sig[i], 10.0 * m, sig[0]), "interlacing at %d", i);
    /* q = 3: the algorithm's error (σ_{l+1}/σ_k)^{2q+1}·σ₁ ~ 1e-12 plus rounding m·eps·σ₁; 1e-10·σ₁. */
    for (int i = 0; i < k; i++) tu_assert_within(fabs(r.s[i] - sig[i]), tu_bound(0, 0, 4.5e5, sig[0]), "sigma_%d", i + 1);
    /* Householder Q: ||QᵀQ − I|| <= c·l·eps (Higham 19.13), 450·eps ≈ 15·l·eps. */
    tu_assert_within(tu_orth_err(m, l, r.U, m), tu_bound(0, 0, 450, 1.0), "orth U");
    tu_assert_within(tu_orth_err(n, l, r.V, n), tu_bound(0, 0, 450, 1.0), "orth V");
    tu_assert_within(tu_orth_err(m, l, r.X, m), tu_bound(0, 0, 450, 1.0), "orth X");
    tu_assert_within(tu_orth_err(n, l, r.Y, n), tu_bound(0, 0, 450, 1.0), "orth Y");
    /* XXᵀA = U_l Σ̂ V_lᵀ. */
    double *XtA = tu_zeros(l, n), *XXA = tu_zeros(m, n), *US = tu_copy(m, l, r.U, m), *USV = tu_zeros(m, n);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, l, n, m, 1.0, r.X, m, A, m, 0.0, XtA, l);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, l, 1.0, r.X, m, XtA, l, 0.0, XXA, m);
    for (int j = 0; j < l; j++)
        for (int i = 0; i < m; i++) US[(size_t)j * m + i] *= r.s[j];
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m, n, l, 1.0, US, m, r.V, n, 0.0, USV, m);
    /* Two backward-stable products of the same factors: c·l·eps·||A|| (450·eps·||A||). */
    tu_assert_within(tu_diff_fro(m, n, XXA, m, USV, m), tu_bound(0, 0, 450, tu_fro(m, n, A, m)), "XX'A vs U S V'");
    /* Frobenius residual identity against the direct value. */
    double res;
    assert_int_equal(sk_rsvd_resid_fro(tu_fro(m, n, A, m), l, r.s, &res), 0);
    double direct = tu_diff_fro(m, n, A, m, XXA, m);
    /* res = √(||A||² − Σσ̂²) cancels: res² errs by ~n·eps·||A||², i.e. res by
     * n·eps·||A||²/res (1e-6 relative covers it here); plus 45·eps·||A||. */
    tu_assert_within(fabs(res - direct), 1e-6 * direct + tu_bound(0, 0, 45, tu_fro(m, n, A, m)), "Frobenius residual identity");
    /* Same seed, same result (the sketch is reproducible). */
    run_t r2;
    run_alloc(&r2, m, n, k, l, 3);
    assert_int_equal(run_dense(&r2, A, SK_RSVD_NORM_QR, 7, NULL), 0);
    assert_memory_equal(r.s, r2.s, (size_t)l * sizeof(double));
    run_free(&r2);
    free(XtA); free(XXA); free(US); free(USV);
    run_free(&r);
    free(A); free(sig);
}

/* Rank-deficient input and l = min(m, n): still orthonormal, exact. */
static void test_rsvd_rank_deficient(void **state)
{
    (void)state;
    const int m = 60, n = 40;
    double *sig = tu_zeros(n, 1);
    for (int i = 0; i < 10; i++) sig[i] = 1.0 / (i + 1);
    double *A = tu_with_spectrum(m, n, sig, 3);
    for (int norm = 0; norm <= 3; norm++) {
        run_t r;
        run_alloc(&r, m, n, 10, n, 1);
        assert_int_equal(run_dense(&r, A, norm, 5, NULL), 0);
        /* Exact rank 10, l = n: only rounding, ~n·eps·σ₁ (σ₁ = 1) on each σ and on the
         * zero ones, c·n·eps on U's orthogonality; 4500 / 450 / 4500 eps (×10+ margin). */
        for (int i = 0; i < 10; i++) tu_assert_within(fabs(r.s[i] - sig[i]), tu_bound(0, 0, 4500, sig[0]), "norm %d: sigma_%d", norm, i + 1);
        for (int i = 10; i < n; i++) tu_assert_within(r.s[i], tu_bound(0, 0, 450, sig[0]), "norm %d: zero sigma_%d", norm, i + 1);
        tu_assert_within(tu_orth_err(m, n, r.U, m), tu_bound(0, 0, 4500, 1.0), "norm %d: orth U", norm);
        run_free(&r);
    }
    free(A); free(sig);
}

/* ------------------------------------------------------- normalizers (check 7) */

static void test_normalizers(void **state)
{
    (void)state;
    const int m = 400, n = 400, k = 50, l = 80;
    double *A = snn_matrix(m, n, 400, 100.0, 101);
    /* True U_k from LAPACK. */
    double *W = tu_copy(m, n, A, m), *s = tu_zeros(n, 1), *Ut = tu_zeros(m, n), *Vt = tu_zeros(n, n);
    assert_int_equal(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', m, n, W, m, s, Ut, m, Vt, n), 0);
    print_message("SNN-a100 %dx%d: sigma_1 = %.3g, sigma_1/sigma_%d = %.0f, sigma_%d/sigma_%d = %.3f\n",
                  m, n, s[0], k, s[0] / s[k - 1], k, k + 1, s[k - 1] / s[k]);
    double worst_none = 1.0, best_ok = 0.0, maxdiff = 0.0;
    for (int seed = 1; seed <= 3; seed++) {
        double smax[4], sines[4][50];
        for (int norm = 0; norm <= 3; norm++) {
            run_t r;
            run_alloc(&r, m, n, k, l, 2);
            sk_rsvd_stats_t st = { 0 };
            assert_int_equal(run_dense(&r, A, norm, (uint64_t)seed, &st), 0);
            assert_int_equal(sk_canonical_sines(m, k, Ut, m, l, r.X, m, sines[norm], NULL), 0);
            smax[norm] = sines[norm][k - 1];
            /* Cross-check the library's sines with LAPACK. */
            /* Sines of orthonormal bases are absolutely accurate to a few
             * eps·√k either way: 4500·eps. */
            tu_assert_within(fabs(smax[norm] - lapack_max_sine(m, k, Ut, m, l, r.X, m)), tu_bound(0, 0, 4500, 1.0), "largest sine vs LAPACK, norm %d", norm);
            run_free(&r);
        }
        print_message("seed %d, q = 2: largest sine NONE %.4f  QR %.4f  LU %.4f  CholQR2 %.4f\n", seed,
                      smax[0], smax[1], smax[2], smax[3]);
        worst_none = fmin(worst_none, smax[0]);
        for (int norm = 1; norm <= 3; norm++) {
            best_ok = fmax(best_ok, smax[norm]);
            for (int i = 0; i < k; i++) maxdiff = fmax(maxdiff, fabs(sines[norm][i] - sines[1][i]));
        }
    }
    print_message("normalizers: NONE min largest sine %.4f (> 0.9), others max %.4f, max |diff vs QR| %.2e\n",
                  worst_none, best_ok, maxdiff);
    assert_true(worst_none > 0.9);
    assert_true(best_ok < 0.5);
    /* Normalizers differ by rounding amplified by cond of the sketch block at q = 2
     * (LU/CholQR2 lose up to cond·eps): 1e-10 absolute on the sines. */
    tu_assert_within(maxdiff, 1e-10, "normalizers vs QR: max sine difference");
    free(A); free(W); free(s); free(Ut); free(Vt);
}

/* CholQR2 falls back to Householder when the Gram matrix is not positive
 * definite (a huge dynamic range within the block), and counts it. */
static void test_cholqr2_fallback(void **state)
{
    (void)state;
    const int m = 200, n = 200, k = 10, l = 20;
    double *sig = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) sig[i] = pow(10.0, -0.5 * i); /* σ₁/σ₂₀ ~ 3e9: cond(YᵀY) past 1/eps */
    double *A = tu_with_spectrum(m, n, sig, 21);
    run_t rc, rq;
    run_alloc(&rc, m, n, k, l, 3);
    run_alloc(&rq, m, n, k, l, 3);
    sk_rsvd_stats_t st = { 0 };
    assert_int_equal(run_dense(&rc, A, SK_RSVD_NORM_CHOLQR2, 9, &st), 0);
    assert_int_equal(run_dense(&rq, A, SK_RSVD_NORM_QR, 9, NULL), 0);
    print_message("CholQR2 fallbacks on a 3e9-conditioned block: %d of %d\n", st.orth_fallbacks, 2 * 3);
    assert_true(st.orth_fallbacks >= 1);
    /* After the fallback both are Householder-orthonormalized: n·eps·σ₁ apart (×20). */
    for (int i = 0; i < k; i++) tu_assert_within(fabs(rc.s[i] - rq.s[i]), tu_bound(0, 0, 4500, sig[0]), "CholQR2 vs QR sigma_%d", i + 1);
    run_free(&rc); run_free(&rq);
    free(A); free(sig);
}

/* ----------------------------------------------------- 2000×2000 (the issue) */

static void test_rsvd_2000(void **state)
{
    (void)state;
    const int n = 2000, k = 100, l = 110, h = 500;
    double *sig = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) sig[i] = 1.0 / ((i + 1.0) * (i + 1.0));
    /* A = U diag(σ) with U Haar (V = I: the Gaussian sketch is rotation
     * invariant, so the error has the same distribution as for U Σ Vᵀ). */
    double t0 = now();
    double *Uh = tu_orthonormal(n, n, 77);
    double *A = tu_copy(n, n, Uh, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) A[(size_t)j * n + i] *= sig[j];
    double t1 = now();
    run_t r;
    run_alloc(&r, n, n, k, l, 2);
    sk_rsvd_stats_t st = { 0 };
    assert_int_equal(run_dense(&r, A, SK_RSVD_NORM_LU, 2024, &st), 0);
    double t2 = now();
    /* ‖A − Û_kΣ̂_kV̂_kᵀ‖₂ = ‖(I − PPᵀ)A‖₂ with P = Û_k (since Û_kᵀA = Σ̂_kV̂_kᵀ), and
     * in U-coordinates that is ‖M‖ with M = (I − ZZᵀ)Σ, Z = UᵀÛ_k.  Splitting the
     * columns at h: ‖M_H‖ <= ‖M‖ <= sqrt(‖M_H‖² + σ_{h+1}²) — a certified
     * two-sided value from an n×h SVD instead of an n×n one. */
    double *Z = tu_zeros(n, k), *MH = tu_zeros(n, h), *ZH = tu_zeros(k, h);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, k, n, 1.0, Uh, n, r.U, n, 0.0, Z, n);
    for (int j = 0; j < h; j++) {
        MH[(size_t)j * n + j] = sig[j];
        for (int c = 0; c < k; c++) ZH[(size_t)j * k + c] = Z[(size_t)c * n + j] * sig[j]; /* Z_HᵀΣ_H */
    }
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, h, k, -1.0, Z, n, ZH, k, 1.0, MH, n);
    double *sv = lapack_svals(n, h, MH, n);
    double lo = sv[0], hi = sqrt(sv[0] * sv[0] + sig[h] * sig[h]);
    /* Frobenius: ‖M‖_F² <= ‖M_H‖_F² + Σ_{j>h} σ_j²; optimal = sqrt(Σ_{j>k} σ_j²). */
    double fro2 = 0.0, tail2 = 0.0, opt2 = 0.0;
    for (int j = 0; j < h; j++) fro2 += sv[j] * sv[j];
    for (int j = h; j < n; j++) tail2 += sig[j] * sig[j];
    for (int j = k; j < n; j++) opt2 += sig[j] * sig[j];
    double fro_hi = sqrt(fro2 + tail2), fro_ratio = fro_hi / sqrt(opt2);
    double t3 = now();
    print_message("2000x2000, sigma_i=(i+1)^-2, k=100, p=10, q=2, LU: Frobenius error / optimal <= %.5f; "
                  "spectral ||A - A_k||_2 in [%.6e, %.6e] vs sigma_101 = %.6e, ratio <= %.5f "
                  "(build %.2fs, rsvd %.2fs, check %.2fs)\n",
                  fro_ratio, lo, hi, sig[k], hi / sig[k], t1 - t0, t2 - t1, t3 - t2);
    /* Eckart–Young: cannot beat optimal, up to the lower estimate's relative
     * 1e-10 and A's construction error n·eps·σ₁ (Weyl). */
    tu_assert_within(sig[k] - lo, 1e-10 * sig[k] + tu_bound(0, 0, 10.0 * 2000, sig[0]), "Eckart-Young");
    /* The 1.01 holds in the Frobenius norm (measured 1.005–1.007 over
     * seeds).  In the spectral norm q = 2 gives 1.013–1.023 on this spectrum
     * (gap σ_100/σ_101 = 1.02; q = 3 gives 1.002–1.005), so the spectral
     * check is 1.03 — a property of the algorithm: QR and LU agree to 1e-13. */
    assert_true(fro_ratio <= 1.01);
    assert_true(hi <= 1.03 * sig[k]);
    assert_int_equal(st.matvecs_a, 3 * l);
    free(sv); free(Z); free(Uh); free(MH); free(ZH);
    run_free(&r);
    free(A); free(sig);
}

/* ----------------------------------------------------- the operator interface */

typedef struct { int m, n; const double *A; int calls; int fail_after; } cb_ctx;

static int cb_apply(void *ctx, int trans, int b, const double *X, int ldx, double *Y, int ldy)
{
    cb_ctx *c = ctx;
    if (c->fail_after >= 0 && c->calls >= c->fail_after) return 42;
    c->calls++;
    if (trans)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, c->n, b, c->m, 1.0, c->A, c->m, X, ldx, 0.0, Y, ldy);
    else
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, c->m, b, c->n, 1.0, c->A, c->m, X, ldx, 0.0, Y, ldy);
    return 0;
}

static void test_operator_matches_dense(void **state)
{
    (void)state;
    const int m = 90, n = 120, k = 8, l = 15, q = 2;
    double *sig = tu_zeros(m, 1);
    for (int i = 0; i < m; i++) sig[i] = 1.0 / (1 + i);
    double *A = tu_with_spectrum(m, n, sig, 31);
    cb_ctx c = { m, n, A, 0, -1 };
    sk_op_t op = { m, n, &c, cb_apply };
    run_t r1, r2;
    run_alloc(&r1, m, n, k, l, q);
    run_alloc(&r2, m, n, k, l, q);
    sk_rng_t rng;
    sk_rng_init(&rng, 99, 0);
    sk_rsvd_stats_t st = { 0 };
    assert_int_equal(sk_rsvd_op(&op, k, l, q, SK_RSVD_NORM_CHOLQR2, &rng, r1.X, m, NULL, 1, r1.U, m, r1.s,
                                r1.V, n, &st), 0);
    assert_int_equal(c.calls, 2 * q + 2);
    assert_int_equal(st.matvecs_a + st.matvecs_at, l * (2 * q + 2));
    assert_int_equal(run_dense(&r2, A, SK_RSVD_NORM_CHOLQR2, 99, NULL), 0);
    /* Operator vs dense path: the same arithmetic up to summation order, a few
     * n·eps·σ₁ (σ₁ <= 1 here): 450·eps. */
    for (int i = 0; i < l; i++) tu_assert_within(fabs(r1.s[i] - r2.s[i]), tu_bound(0, 0, 450, 1.0), "operator vs dense sigma_%d", i + 1);
    /* A failing callback aborts with its status, nothing leaks (ASan). */
    for (int fa = 0; fa < 2 * q + 2; fa++) {
        cb_ctx cf = { m, n, A, 0, fa };
        sk_op_t opf = { m, n, &cf, cb_apply };
        assert_int_equal(sk_rsvd_op(&opf, k, l, q, SK_RSVD_NORM_LU, &rng, NULL, 1, NULL, 1, r1.U, m, r1.s,
                                    r1.V, n, NULL), 42);
    }
    run_free(&r1); run_free(&r2);
    free(A); free(sig);
}

/* ------------------------------------------------ residual estimators (§1.9) */

static void test_residual_estimators(void **state)
{
    (void)state;
    const int m = 300, n = 250, k = 20, l = 30;
    double *sig = tu_zeros(n, 1);
    for (int i = 0; i < n; i++) sig[i] = 1.0 / (1 + i);
    double *A = tu_with_spectrum(m, n, sig, 41);
    double worst_pow = 1e9, worst_hmt = 1e9, max_hmt = 0, worst_v = 1e9;
    for (int seed = 1; seed <= 10; seed++) {
        run_t r;
        run_alloc(&r, m, n, k, l, seed % 2);
        assert_int_equal(run_dense(&r, A, SK_RSVD_NORM_QR, (uint64_t)seed, NULL), 0);
        /* Exact ‖E‖₂ and ‖E_V‖₂ by LAPACK. */
        double *E = tu_copy(m, n, A, m), *C = tu_zeros(l, n);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, l, n, m, 1.0, r.U, m, A, m, 0.0, C, l);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, l, -1.0, r.U, m, C, l, 1.0, E, m);
        double *se = lapack_svals(m, n, E, m);
        double *EV = tu_copy(m, n, A, m), *AV = tu_zeros(m, l);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, l, n, 1.0, A, m, r.V, n, 0.0, AV, m);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m, n, l, -1.0, AV, m, r.V, n, 1.0, EV, m);
        double *sev = lapack_svals(m, n, EV, m);
        sk_rng_t rng;
        sk_rng_init(&rng, (uint64_t)seed, 1); /* its own stream, independent of Ω */
        double est, estv, hmt, fail;
        sk_rsvd_stats_t st = { 0 };
        assert_int_equal(sk_rsvd_resid_norm2(m, n, A, m, l, r.U, m, r.V, n, 0, 4, 5, &rng, &est, &st), 0);
        assert_int_equal(st.matvecs_a, 4 * 6);
        assert_int_equal(st.matvecs_at, 4 * 5);
        assert_int_equal(sk_rsvd_resid_norm2(m, n, A, m, l, r.U, m, r.V, n, 1, 4, 5, &rng, &estv, NULL), 0);
        assert_int_equal(sk_rsvd_hmt_estimate(m, n, A, m, l, r.U, m, 5, 10.0, &rng, &hmt, &fail, NULL), 0);
        assert_true(fabs(fail - 1e-5) < 1e-20);
        /* A lower estimate, always, up to forming E two ways (~√n·eps·σ₁
         * absolute): 100·eps relative + 10·n·eps·σ₁. */
        tu_assert_within(est - se[0], tu_bound(100, se[0], 10.0 * n, sig[0]), "power estimate <= ||E||");
        tu_assert_within(estv - sev[0], tu_bound(100, sev[0], 10.0 * n, sig[0]), "power estimate <= ||E_V||");
        assert_true(hmt >= se[0]);                  /* check 8 */
        worst_pow = fmin(worst_pow, est / se[0]);
        worst_v = fmin(worst_v, estv / sev[0]);
        worst_hmt = fmin(worst_hmt, hmt / se[0]);
        max_hmt = fmax(max_hmt, hmt / se[0]);
        free(E); free(C); free(se); free(EV); free(AV); free(sev);
        run_free(&r);
    }
    print_message("power method (b=4, 5 its): min est/||E|| = %.3f, E_V %.3f; HMT (10, r=5): %.1f..%.1f x ||E||\n",
                  worst_pow, worst_v, worst_hmt, max_hmt);
    assert_true(worst_pow > 0.8);
    assert_true(worst_v > 0.8);
    free(A); free(sig);
}

/* ------------------------------------------------------------- bad inputs */

/* Entries near DBL_MAX (fuzz finding of the JS fuzz test, issue 9): on this
 * 6×6 matrix (entries up to 2^1021.5, σ_1 representable) sk_rsvd with k = 1,
 * l = 2, q = 1 overflowed inside and returned status 0 with Inf singular
 * values. Now it runs on 2^-e·A: s(A) = 2^e·s(2^-e·A), finite; and since
 * power-of-two scaling commutes with every rounded operation, s(2^-1000·A)
 * scaled back agrees to a few ulps (bound 1e-13 relative, wide margin). */
static void test_extreme_scale(void **state)
{
    (void)state;
    const int m = 6, n = 6, k = 1, l = 2;
    double A[36] = {
        0x1.7f19fe50e6894p+1017, 0x1.163ec2699d150p+1019, -0x1.b1e63eaafd2d6p+1016, -0x1.2bb7f1292cce8p+1019,
        -0x1.a912e0409d155p+1018, -0x1.b12871ffccd42p+1018, -0x1.03ee6147f99fap+1019, 0x1.70428051a7f4cp+1020,
        0x1.30c637b5195f2p+1018, -0x1.b917bd7313b82p+1020, 0x1.88edb47113cacp+1020, -0x1.a2708c678e991p+1015,
        0x1.54f54b04179e2p+1019, 0x1.1823c853132cap+1021, 0x1.2393cef1d0638p+1018, -0x1.33e675ccc5dc9p+1017,
        -0x1.98e9af60132f0p+1019, -0x1.029c9a50ecef8p+1019, 0x1.b63ebd0f4c55ap+1020, -0x1.5102a8d644d43p+1017,
        0x1.66308f0347746p+1021, -0x1.0b303328bb63fp+1021, -0x1.43263982f1774p+1019, 0x1.b6f6c065a8462p+1018,
        0x1.8ddd3988e4f93p+1019, -0x1.cb55a8352f8bap+1020, -0x1.85ed04a0d9ad7p+1019, -0x1.5d75b57621ae4p+1019,
        -0x1.1ba4503772f9bp+1017, 0x1.3e0b409baae65p+1019, 0x1.ee3426ce1c750p+1020, -0x1.739eaafdbee83p+1020,
        0x1.43679c6a41ec9p+1018, -0x1.56d9340ecf8dep+1018, 0x1.9dcc3dbfabdbap+1015, -0x1.14e4e5592410ep+1019 };
    double B[36], U[12], V[12], s1[2], s2[2];
    for (int i = 0; i < m * n; i++) B[i] = ldexp(A[i], -1000);
    for (int seed = 0; seed < 8; seed++)
        for (int stream = 0; stream < 4; stream++)
            for (int q = 0; q <= 2; q++) {
                sk_rng_t rng;
                sk_rng_init(&rng, seed, stream);
                assert_int_equal(sk_rsvd(m, n, A, m, k, l, q, SK_RSVD_NORM_QR, &rng, NULL, 1, NULL, 1, U, m, s1, V, n, NULL), 0);
                sk_rng_init(&rng, seed, stream);
                assert_int_equal(sk_rsvd(m, n, B, m, k, l, q, SK_RSVD_NORM_QR, &rng, NULL, 1, NULL, 1, U, m, s2, V, n, NULL), 0);
                for (int i = 0; i < l; i++) {
                    assert_true(isfinite(s1[i]));
                    assert_true(fabs(ldexp(s1[i], -1000) - s2[i]) <= 1e-13 * s2[0]);
                }
            }
}

static void test_bad_inputs(void **state)
{
    (void)state;
    const int m = 30, n = 20;
    double *A = tu_randn(m, n, 5);
    double *U = tu_zeros(m, n), *s = tu_zeros(n, 1), *V = tu_zeros(n, n);
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
#define RS(k, l, q, nm) sk_rsvd(m, n, A, m, k, l, q, nm, &rng, NULL, 1, NULL, 1, U, m, s, V, n, NULL)
    assert_int_equal(RS(5, 4, 0, 1), -6);                 /* l < k */
    assert_int_equal(RS(21, 21, 0, 1), SK_ERANK);         /* k > min(m, n) */
    assert_int_equal(RS(0, 4, 0, 1), SK_ERANK);           /* k < 1 */
    assert_int_equal(RS(5, 21, 0, 1), -6);                /* l > min(m, n) */
    assert_int_equal(RS(5, 8, -1, 1), -7);                /* q < 0 */
    assert_int_equal(RS(5, 8, 0, 4), -8);                 /* unknown normalizer */
    assert_int_equal(RS(5, 8, 0, -1), -8);
    assert_int_equal(sk_rsvd(0, n, A, m, 5, 8, 0, 1, &rng, NULL, 1, NULL, 1, U, m, s, V, n, NULL), -1);
    assert_int_equal(sk_rsvd(m, n, A, m - 1, 5, 8, 0, 1, &rng, NULL, 1, NULL, 1, U, m, s, V, n, NULL), -4);
    assert_int_equal(sk_rsvd(m, n, A, m, 5, 8, 0, 1, NULL, NULL, 1, NULL, 1, U, m, s, V, n, NULL), -9);
    assert_int_equal(sk_rsvd(m, n, A, m, 5, 8, 0, 1, &rng, U, m - 1, NULL, 1, U, m, s, V, n, NULL), -11);
    assert_int_equal(sk_rsvd(m, n, A, m, 5, 8, 0, 1, &rng, NULL, 1, NULL, 1, U, m, NULL, V, n, NULL), -16);
    A[7] = NAN;
    assert_int_equal(RS(5, 8, 1, 1), SK_ENONFINITE);
    A[7] = INFINITY;
    assert_int_equal(RS(5, 8, 1, 1), SK_ENONFINITE);
    assert_int_equal(sk_rsvd_hmt_estimate(m, n, A, m, 8, U, m, 5, 10.0, &rng, s, NULL, NULL), SK_ENONFINITE);
    A[7] = 0.0;
    assert_string_not_equal(sk_strerror(SK_ENONFINITE), "");
    sk_op_t bad = { m, n, NULL, NULL };
    assert_int_equal(sk_rsvd_op(&bad, 5, 8, 0, 1, &rng, NULL, 1, NULL, 1, U, m, s, V, n, NULL), -1);
    assert_int_equal(sk_rsvd_op(NULL, 5, 8, 0, 1, &rng, NULL, 1, NULL, 1, U, m, s, V, n, NULL), -1);
    double est;
    assert_int_equal(sk_rsvd_resid_norm2(m, n, A, m, 8, U, m, V, n, 2, 4, 5, &rng, &est, NULL), -10);
    assert_int_equal(sk_rsvd_resid_norm2(m, n, A, m, 8, U, m, V, n, 0, 0, 5, &rng, &est, NULL), -11);
    assert_int_equal(sk_rsvd_hmt_estimate(m, n, A, m, 8, U, m, 5, 1.0, &rng, &est, NULL, NULL), -9);
    double res;
    assert_int_equal(sk_rsvd_resid_fro(-1.0, 3, s, &res), -1);
    assert_int_equal(sk_rsvd_resid_fro(INFINITY, 3, s, &res), SK_ENONFINITE);
#undef RS
    free(A); free(U); free(s); free(V);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsvd_matches_lapack),
        cmocka_unit_test(test_rsvd_rank_deficient),
        cmocka_unit_test(test_normalizers),
        cmocka_unit_test(test_cholqr2_fallback),
        cmocka_unit_test(test_rsvd_2000),
        cmocka_unit_test(test_operator_matches_dense),
        cmocka_unit_test(test_residual_estimators),
        cmocka_unit_test(test_extreme_scale),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
