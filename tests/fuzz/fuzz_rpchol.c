/*
 * fuzz_rpchol.c — libFuzzer harness for randomly pivoted Cholesky and the
 * kernels behind it: sk_rpchol (dense, every method), sk_rpchol_kernel,
 * sk_kernel_cols, sk_kernel_matrix, sk_gallery_smile and
 * sk_gallery_robspiral, with sizes, options, bandwidths (down to 1e-300 and
 * up to 1e300), points and matrices from the input (fuzz_input.h).
 *
 * A non-zero status is fine; a crash, sanitizer report, hang or broken
 * invariant is a finding. Invariants when the status is 0:
 *   rank in [0, kcap]; S distinct in [0, N);
 *   kernel matrices and columns: every entry in [0, 1], K(i,i) = 1 exactly;
 *   for finite input with entries in [1e-100, 1e100]: F finite, trace_A =
 *   tr(A), 0 <= res_trace <= tr(A)·(1 + 1e-8) for a PSD A (B·Bᵀ).
 *   galleries: finite points.
 */
#include "fuzz_input.h"

static void opts_from(fz_in *in, int n, sk_rpchol_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->method = fz_range(in, -1, 5);
    o->max_rank = fz_size(in, (n > 0 ? n : 0) + 1);
    static const double tols[8] = { 0.0, 0.0, 1e-30, 1e-12, 1e-3, 0.5, 1.0, -1.0 };
    uint8_t tb = fz_u8(in);
    o->tol = tb == 255 ? NAN : tols[tb % 8];
    o->block = fz_size(in, 12);
    static const double ftols[6] = { 0.0, 0.1, 0.5, 1.0, 1.5, -0.1 };
    o->filter_tol = ftols[fz_u8(in) % 6];
}

static void check_factor(const sk_rpchol_opts_t *o, int n, int st, int rank, const int *S,
                         const double *F, int ldf, double res_trace, double trace_A,
                         int checkable, double trA)
{
    if (st != 0) return;
    int kcap = o->max_rank > 0 ? o->max_rank : n;
    FZ_CHECK(rank >= 0 && rank <= kcap, "rank %d outside [0, %d] (method %d)", rank, kcap, o->method);
    FZ_CHECK(fz_distinct_in_range(rank, S, n), "pivots not distinct in [0, %d) (method %d)", n,
             o->method);
    if (!checkable) return;
    for (int j = 0; j < rank; j++)
        for (int i = 0; i < n; i++)
            FZ_CHECK(isfinite(F[(size_t)j * ldf + i]), "F(%d,%d) = %g (method %d)", i, j,
                     F[(size_t)j * ldf + i], o->method);
    FZ_CHECK(fabs(trace_A - trA) <= 1e-12 * fabs(trA), "trace_A %.17g, tr(A) %.17g", trace_A, trA);
    FZ_CHECK(isfinite(res_trace) && res_trace >= -1e-12 * trA && res_trace <= trA * (1.0 + 1e-8),
             "res_trace %.17g, tr(A) %.17g (method %d)", res_trace, trA, o->method);
}

static void fuzz_dense(fz_in *in)
{
    int n = fz_size(in, 20), lda = fz_ld(in, n);
    int r = fz_range(in, 0, 24);
    sk_rpchol_opts_t o;
    opts_from(in, n, &o);
    uint32_t seed = fz_u32(in);
    int psd = fz_u8(in) % 4 != 0; /* mostly B·Bᵀ; sometimes raw symmetric */
    double *A = fz_alloc(fz_elems(lda, n));
    double trA = 0.0;
    if (n > 0 && lda >= n) {
        if (psd) {
            double *B = fz_alloc(fz_elems(n, r));
            fz_matrix(in, n, r, B, n);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) {
                    double s = 0.0;
                    for (int t = 0; t < r; t++) s += B[(size_t)t * n + i] * B[(size_t)t * n + j];
                    A[(size_t)j * lda + i] = s;
                }
            free(B);
        } else {
            fz_matrix(in, n, n, A, lda);
            fz_symmetrize(n, A, lda);
        }
        for (int i = 0; i < n; i++) trA += A[(size_t)i * lda + i];
    }
    fz_save(n, n, A, lda);
    int checkable = psd && fz_moderate(n, n, A, lda);
    int kcap = n > 0 ? n : 1, ldf = fz_ld(in, n);
    int *S = (int *)calloc((size_t)kcap, sizeof(int));
    double *F = fz_alloc(fz_elems(ldf, kcap));
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 1);
    int rank = -7;
    double res_trace = -1.0, trace_A = -1.0;
    int st = sk_rpchol(n, A, lda, &o, (fz_u8(in) & 1) ? &rng : NULL, S, F, ldf, &rank, &res_trace,
                       &trace_A, NULL);
    check_factor(&o, n, st, rank, S, F, ldf, res_trace, trace_A, checkable, trA);
    free(A); free(S); free(F);
}

static void fuzz_kernel(fz_in *in)
{
    sk_kernel_t k;
    memset(&k, 0, sizeof k);
    k.type = fz_range(in, -1, 2);
    static const double hs[12] = { 1.0, 2.0, 0.1, 1e-3, 1e-150, 1e-160, 1e-300, 4.9e-324,
                                   1e150, 1e300, 0.0, -1.0 };
    uint8_t hb = fz_u8(in);
    k.bandwidth = hb == 255 ? NAN : hb == 254 ? INFINITY : hs[hb % 12];
    k.dim = fz_size(in, 4);
    k.npts = fz_size(in, 24);
    k.ldx = fz_ld(in, k.dim);
    double *X = fz_alloc(fz_elems(k.ldx, k.npts));
    fz_matrix(in, k.dim, k.npts, X, k.ldx);
    k.X = (fz_u8(in) == 255) ? NULL : X;
    fz_save(k.dim, k.npts, X, k.ldx);
    int finite = fz_all_finite(fz_elems(k.ldx, k.npts), X);
    int N = k.npts > 0 ? k.npts : 1;
    int what = fz_u8(in) % 3;
    if (what == 0) {
        int ldk = fz_ld(in, k.npts);
        double *K = fz_alloc(fz_elems(ldk, N));
        int st = sk_kernel_matrix(&k, K, ldk);
        if (st == 0 && finite)
            for (int j = 0; j < k.npts; j++)
                for (int i = 0; i < k.npts; i++) {
                    double v = K[(size_t)j * ldk + i];
                    FZ_CHECK(v >= 0.0 && v <= 1.0, "K(%d,%d) = %g (type %d, h = %g)", i, j, v,
                             k.type, k.bandwidth);
                    if (i == j) FZ_CHECK(v == 1.0, "K(%d,%d) = %g (h = %g)", i, i, v, k.bandwidth);
                }
        free(K);
    } else if (what == 1) {
        int nc = fz_size(in, 6), ldo = fz_ld(in, k.npts);
        int *idx = (int *)calloc((size_t)(nc > 0 ? nc : 1), sizeof(int));
        for (int c = 0; c < nc; c++) idx[c] = fz_range(in, -1, 24);
        double *out = fz_alloc(fz_elems(ldo, nc));
        int st = sk_kernel_cols(&k, nc, idx, out, ldo);
        if (st == 0 && finite)
            for (int c = 0; c < nc; c++)
                for (int i = 0; i < k.npts; i++) {
                    double v = out[(size_t)c * ldo + i];
                    FZ_CHECK(v >= 0.0 && v <= 1.0, "K(%d,%d) = %g (h = %g)", i, idx[c], v, k.bandwidth);
                    if (i == idx[c]) FZ_CHECK(v == 1.0, "K(%d,%d) = %g (h = %g)", i, i, v, k.bandwidth);
                }
        free(idx); free(out);
    } else {
        sk_rpchol_opts_t o;
        opts_from(in, k.npts, &o);
        int ldf = fz_ld(in, k.npts);
        int *S = (int *)calloc((size_t)N, sizeof(int));
        double *F = fz_alloc(fz_elems(ldf, N));
        sk_rng_t rng;
        sk_rng_init(&rng, fz_u32(in), 2);
        int rank = -7;
        double res_trace = -1.0, trace_A = -1.0;
        int st = sk_rpchol_kernel(&k, &o, &rng, S, F, ldf, &rank, &res_trace, &trace_A, NULL);
        /* tr(K) = N: every diagonal entry is 1. */
        check_factor(&o, k.npts, st, rank, S, F, ldf, res_trace, trace_A, finite, (double)k.npts);
        free(S); free(F);
    }
    free(X);
}

static void fuzz_gallery(fz_in *in)
{
    int which = fz_u8(in) & 1;
    int npts = fz_size(in, 200), ldx = fz_range(in, 1, 3);
    double *X = fz_alloc(fz_elems(ldx, npts));
    sk_rng_t rng;
    sk_rng_init(&rng, fz_u32(in), 3);
    int st = which ? sk_gallery_robspiral(npts, X, ldx) : sk_gallery_smile(npts, &rng, X, ldx);
    if (st == 0)
        for (int j = 0; j < npts; j++)
            FZ_CHECK(isfinite(X[(size_t)j * ldx]) && isfinite(X[(size_t)j * ldx + 1]),
                     "gallery %d point %d not finite", which, j);
    free(X);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    switch (fz_u8(&in) % 3) {
    case 0: fuzz_dense(&in); break;
    case 1: fuzz_kernel(&in); break;
    default: fuzz_gallery(&in); break;
    }
    return 0;
}
