/*
 * fuzz_rsvd.c — libFuzzer harness for the randomized SVD and its residual
 * estimators: sk_rsvd (every normalizer), then on its output
 * sk_rsvd_resid_norm2 (both sides), sk_rsvd_hmt_estimate and
 * sk_rsvd_subres_norms, with sizes, k, l, q, block sizes, iteration counts and
 * the matrix from the input (fuzz_input.h).
 *
 * A non-zero status is fine; a crash, sanitizer report, hang or broken
 * invariant is a finding. Invariants when the status is 0 and the input is
 * finite with non-zero entries in [1e-100, 1e100] (outside that the scale
 * work of issue 9 part 2 owns rsvd's answers):
 *   no SK_ENOCONV; s finite, descending, >= 0, s[0] <= ||A||_F·(1 + 1e-10);
 *   U, V finite; the estimates finite and >= 0, the spectral residual
 *   estimate <= ||A||_F·(1 + 1e-10) (it is a lower estimate of ||E||₂ <= ||A||₂).
 */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    int m = fz_size(&in, 20), n = fz_size(&in, 20);
    int lda = fz_ld(&in, m);
    int kmax = m < n ? m : n;
    int k = fz_size(&in, (kmax > 0 ? kmax : 0) + 1);
    int l = fz_size(&in, (kmax > 0 ? kmax : 0) + 1);
    int q = fz_size(&in, 6);
    int normalizer = fz_range(&in, -1, 4);
    uint8_t flags = fz_u8(&in);
    int ldx = fz_ld(&in, m), ldy = fz_ld(&in, n), ldu = fz_ld(&in, m), ldv = fz_ld(&in, n);
    sk_rng_t rng;
    sk_rng_init(&rng, fz_u32(&in), 4);
    double *A = fz_alloc(fz_elems(lda, n));
    fz_matrix(&in, m, n, A, lda);
    fz_save(m, n, A, lda);
    int checkable = fz_moderate(m, n, A, lda);
    double f2 = 0.0;
    if (checkable && m > 0 && n > 0 && lda >= m)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) f2 += A[(size_t)j * lda + i] * A[(size_t)j * lda + i];
    double anorm = sqrt(f2);
    int ll = l > 0 ? l : 1;
    double *X = (flags & 1) ? NULL : fz_alloc(fz_elems(ldx, ll));
    double *Y = (flags & 2) ? NULL : fz_alloc(fz_elems(ldy, ll));
    double *U = fz_alloc(fz_elems(ldu, ll)), *V = fz_alloc(fz_elems(ldv, ll)), *s = fz_alloc((size_t)ll);
    sk_rsvd_stats_t stats;
    memset(&stats, 0, sizeof stats);
    int st = sk_rsvd(m, n, A, lda, k, l, q, normalizer, &rng, X, ldx, Y, ldy, U, ldu, s, V, ldv,
                     (flags & 4) ? NULL : &stats);
    if (checkable) FZ_CHECK(st != SK_ENOCONV, "rsvd: ENOCONV (m=%d n=%d l=%d q=%d)", m, n, l, q);
    if (st == 0 && checkable) {
        for (int i = 0; i < l; i++) {
            FZ_CHECK(isfinite(s[i]) && s[i] >= 0.0, "rsvd: s[%d] = %g", i, s[i]);
            if (i) FZ_CHECK(s[i] <= s[i - 1], "rsvd: s not descending at %d", i);
        }
        FZ_CHECK(s[0] <= anorm * (1.0 + 1e-10), "rsvd: s[0] %.17g > ||A||_F %.17g", s[0], anorm);
        for (int j = 0; j < l; j++) {
            for (int i = 0; i < m; i++) FZ_CHECK(isfinite(U[(size_t)j * ldu + i]), "rsvd: U not finite");
            for (int i = 0; i < n; i++) FZ_CHECK(isfinite(V[(size_t)j * ldv + i]), "rsvd: V not finite");
        }
        /* The estimators, on this output, with their own fuzzed knobs. */
        int what = fz_u8(&in) % 3;
        int block = fz_size(&in, 8), its = fz_size(&in, 4);
        double est = -1.0, e3 = -1.0, e32 = -1.0, e33 = -1.0, fail = -1.0;
        if (what == 0) {
            int side = fz_range(&in, 0, 2);
            st = sk_rsvd_resid_norm2(m, n, A, lda, l, U, ldu, V, ldv, side, block, its, &rng, &est, NULL);
            if (st == 0) {
                FZ_CHECK(isfinite(est) && est >= 0.0, "resid_norm2: est = %g", est);
                FZ_CHECK(est <= anorm * (1.0 + 1e-10), "resid_norm2: est %.17g > ||A||_F %.17g", est, anorm);
            }
        } else if (what == 1) {
            int r = fz_size(&in, 8);
            static const double alphas[5] = { 10.0, 2.0, 1.0, 0.5, -1.0 };
            st = sk_rsvd_hmt_estimate(m, n, A, lda, l, U, ldu, r, alphas[fz_u8(&in) % 5], &rng, &est,
                                      &fail, NULL);
            if (st == 0) FZ_CHECK(isfinite(est) && est >= 0.0, "hmt_estimate: est = %g", est);
        } else {
            int kk = fz_size(&in, l + 1);
            st = sk_rsvd_subres_norms(m, n, A, lda, kk, l, U, ldu, s, V, ldv, block, its, &rng, &e3,
                                      &e32, &e33, NULL);
            if (st == 0)
                FZ_CHECK(isfinite(e3) && isfinite(e32) && isfinite(e33) && e3 >= 0 && e32 >= 0 && e33 >= 0,
                         "subres_norms: %g %g %g", e3, e32, e33);
        }
        if (checkable) FZ_CHECK(st != SK_ENOCONV, "estimator %d: ENOCONV", what);
    }
    free(A); free(X); free(Y); free(U); free(V); free(s);
    return 0;
}
