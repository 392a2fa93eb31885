/*
 * sk_cli.c — print, as one JSON object on stdout, a fixed set of seeded
 * computations done by the native library. tests/js/parity.test.mjs runs the
 * same computations through the wasm build and compares: RNG streams bitwise,
 * CPQR pivots exactly, factorizations to 1e-12 (relative).
 *
 * Doubles are printed with %.17g, which round-trips exactly through JSON.parse.
 * Every input matrix is printed too, so the JS side factors exactly the same
 * bits (and checks that randn() reproduces them).
 *
 *   build/native/sk_cli > out.json        (exit status 0, or 1 on a C error)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketchlab.h"

static int failures = 0;

static void fail(const char *what, int status)
{
    fprintf(stderr, "sk_cli: %s returned %d (%s)\n", what, status, sk_strerror(status));
    failures++;
}

static void print_doubles(const char *key, const double *x, long n)
{
    printf("\"%s\":[", key);
    for (long i = 0; i < n; i++) printf("%s%.17g", i ? "," : "", x[i]);
    printf("]");
}

static void print_ints(const char *key, const int *x, long n)
{
    printf("\"%s\":[", key);
    for (long i = 0; i < n; i++) printf("%s%d", i ? "," : "", x[i]);
    printf("]");
}

static double *alloc_d(long n) { return calloc((size_t)(n > 0 ? n : 1), sizeof(double)); }
static int *alloc_i(long n) { return calloc((size_t)(n > 0 ? n : 1), sizeof(int)); }

/* A fresh m×n Gaussian matrix from (seed, stream 0), as randn(m, n, seed) in JS. */
static double *gaussian(int m, int n, uint64_t seed)
{
    sk_rng_t rng;
    double *A = alloc_d((long)m * n);
    int st = sk_rng_init(&rng, seed, 0);
    if (st) fail("sk_rng_init", st);
    st = sk_rng_normal_matrix(&rng, m, n, A, m > 1 ? m : 1);
    if (st) fail("sk_rng_normal_matrix", st);
    return A;
}

/* ---------------------------------------------------------------- RNG */

static void rng_case(const char *kind, uint64_t seed, uint32_t stream, int m, int n, int first)
{
    sk_rng_t rng;
    long count = (long)m * n;
    double *x = alloc_d(count);
    int st = sk_rng_init(&rng, seed, stream);
    if (st) fail("sk_rng_init", st);
    if (strcmp(kind, "uniform") == 0) st = sk_rng_uniform(&rng, (int)count, x);
    else if (strcmp(kind, "normal") == 0) st = sk_rng_normal(&rng, (int)count, x);
    else st = sk_rng_normal_matrix(&rng, m, n, x, m > 1 ? m : 1);
    if (st) fail(kind, st);
    printf("%s{\"kind\":\"%s\",\"seed\":\"%" PRIu64 "\",\"stream\":%u,\"rows\":%d,\"cols\":%d,",
           first ? "" : ",", kind, seed, (unsigned)stream, m, n);
    print_doubles("x", x, count);
    printf("}");
    free(x);
}

/* ---------------------------------------------------------------- QR */

static void qr_case(int m, int n, uint64_t seed, int first)
{
    int k = m < n ? m : n;
    double *A = gaussian(m, n, seed), *F = alloc_d((long)m * n), *tau = alloc_d(k);
    double *R = alloc_d((long)k * n);
    memcpy(F, A, sizeof(double) * (size_t)m * n);
    int st = sk_dgeqrf(m, n, F, m, tau);
    if (st) fail("sk_dgeqrf", st);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < k && i <= j; i++) R[i + (long)j * k] = F[i + (long)j * m];
    st = sk_dorgqr(m, k, k, F, m, tau);
    if (st) fail("sk_dorgqr", st);
    printf("%s{\"rows\":%d,\"cols\":%d,\"seed\":%" PRIu64 ",", first ? "" : ",", m, n, seed);
    print_doubles("A", A, (long)m * n); printf(",");
    print_doubles("Q", F, (long)m * k); printf(",");
    print_doubles("R", R, (long)k * n);
    printf("}");
    free(A); free(F); free(tau); free(R);
}

/* ---------------------------------------------------------------- CPQR */

/* A = G1 G2 + noise·G3: numerical rank r, distinct column norms. */
static double *low_rank(int m, int n, int r, double noise, uint64_t seed)
{
    double *G1 = gaussian(m, r, seed), *G2 = gaussian(r, n, seed + 1), *A = gaussian(m, n, seed + 2);
    int st = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, n, r, 1.0, G1, m, G2, r, noise, A, m);
    if (st) fail("sk_dgemm", st);
    free(G1); free(G2);
    return A;
}

static void cpqr_case(int m, int n, const double *A, int maxrank, double tol, int first)
{
    int k = m < n ? m : n, rank = -1;
    double res2 = -1, *F = alloc_d((long)m * n), *tau = alloc_d(k);
    int *jpvt = alloc_i(n);
    memcpy(F, A, sizeof(double) * (size_t)m * n);
    int st = sk_dgeqp3(m, n, F, m, jpvt, tau, maxrank, tol, &rank, &res2);
    if (st) fail("sk_dgeqp3", st);
    if (rank < 0) rank = 0;
    double *R = alloc_d((long)rank * n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < rank && i <= j; i++) R[i + (long)j * rank] = F[i + (long)j * m];
    st = sk_dorgqr(m, rank, rank, F, m, tau);
    if (st) fail("sk_dorgqr", st);
    printf("%s{\"rows\":%d,\"cols\":%d,\"maxrank\":%d,\"tol\":%.17g,\"rank\":%d,\"res2\":%.17g,",
           first ? "" : ",", m, n, maxrank, tol, rank, res2);
    print_doubles("A", A, (long)m * n); printf(",");
    print_ints("perm", jpvt, n); printf(",");
    print_doubles("Q", F, (long)m * rank); printf(",");
    print_doubles("R", R, (long)rank * n);
    printf("}");
    free(F); free(tau); free(jpvt); free(R);
}

/* ---------------------------------------------------------------- LU */

static void lu_case(int m, int n, uint64_t seed, int first)
{
    int k = m < n ? m : n;
    double *A = gaussian(m, n, seed), *F = alloc_d((long)m * n);
    double *L = alloc_d((long)m * k), *U = alloc_d((long)k * n);
    int *ipiv = alloc_i(k), *perm = alloc_i(m);
    memcpy(F, A, sizeof(double) * (size_t)m * n);
    int st = sk_dgetrf(m, n, F, m, ipiv);
    if (st) fail("sk_dgetrf", st);
    st = sk_ipiv_to_perm(m, k, ipiv, perm);
    if (st) fail("sk_ipiv_to_perm", st);
    for (int j = 0; j < k; j++) {
        L[j + (long)j * m] = 1.0;
        for (int i = j + 1; i < m; i++) L[i + (long)j * m] = F[i + (long)j * m];
    }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < k && i <= j; i++) U[i + (long)j * k] = F[i + (long)j * m];
    printf("%s{\"rows\":%d,\"cols\":%d,", first ? "" : ",", m, n);
    print_doubles("A", A, (long)m * n); printf(",");
    print_ints("perm", perm, m); printf(",");
    print_doubles("L", L, (long)m * k); printf(",");
    print_doubles("U", U, (long)k * n);
    printf("}");
    free(A); free(F); free(L); free(U); free(ipiv); free(perm);
}

/* ---------------------------------------------------------------- Cholesky, eigh */

/* S = BᵀB + n·I, exactly symmetric (both triangles filled). */
static double *spd(int n, uint64_t seed)
{
    double *B = gaussian(n + 3, n, seed), *S = alloc_d((long)n * n);
    int st = sk_dgemm(SK_TRANS, SK_NOTRANS, n, n, n + 3, 1.0, B, n + 3, B, n + 3, 0.0, S, n);
    if (st) fail("sk_dgemm", st);
    for (int i = 0; i < n; i++) S[i + (long)i * n] += n;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < j; i++) S[i + (long)j * n] = S[j + (long)i * n];
    free(B);
    return S;
}

static void chol_case(int n, uint64_t seed, int first)
{
    double *A = spd(n, seed), *L = alloc_d((long)n * n);
    memcpy(L, A, sizeof(double) * (size_t)n * n);
    int st = sk_dpotrf(SK_LOWER, n, L, n);
    if (st) fail("sk_dpotrf", st);
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++) L[i + (long)j * n] = 0.0;
    printf("%s{\"n\":%d,", first ? "" : ",", n);
    print_doubles("A", A, (long)n * n); printf(",");
    print_doubles("L", L, (long)n * n);
    printf("}");
    free(A); free(L);
}

static void eigh_case(int n, uint64_t seed, int first)
{
    /* symmetric indefinite: G + Gᵀ */
    double *G = gaussian(n, n, seed), *A = alloc_d((long)n * n), *V = alloc_d((long)n * n), *w = alloc_d(n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) A[i + (long)j * n] = G[i + (long)j * n] + G[j + (long)i * n];
    memcpy(V, A, sizeof(double) * (size_t)n * n);
    int st = sk_dsyevd(1, n, V, n, w);
    if (st) fail("sk_dsyevd", st);
    printf("%s{\"n\":%d,", first ? "" : ",", n);
    print_doubles("A", A, (long)n * n); printf(",");
    print_doubles("values", w, n); printf(",");
    print_doubles("vectors", V, (long)n * n);
    printf("}");
    free(G); free(A); free(V); free(w);
}

/* ---------------------------------------------------------------- SVD */

static void svd_case(int m, int n, uint64_t seed, int first)
{
    int k = m < n ? m : n;
    double *A = gaussian(m, n, seed), *F = alloc_d((long)m * n), *s = alloc_d(k);
    double *U = alloc_d((long)m * k), *V = alloc_d((long)n * k);
    memcpy(F, A, sizeof(double) * (size_t)m * n);
    int st = sk_dgesvd(m, n, F, m, s, U, m, V, n);
    if (st) fail("sk_dgesvd", st);
    printf("%s{\"rows\":%d,\"cols\":%d,", first ? "" : ",", m, n);
    print_doubles("A", A, (long)m * n); printf(",");
    print_doubles("s", s, k); printf(",");
    print_doubles("U", U, (long)m * k); printf(",");
    print_doubles("V", V, (long)n * k);
    printf("}");
    free(A); free(F); free(s); free(U); free(V);
}

/* ---------------------------------------------------------------- lowrank (ID, RPCholesky) */

static const char *id_method_name(int method)
{
    static const char *names[] = { "cpqr", "rpqr", "brp", "bgp", "rbrp", "sketch-cpqr", "sketch-lupp" };
    return names[method];
}

/* The GMM test matrix d×npts from (gseed, stream 0), as gallery('gmm', ...) in JS. */
static double *gmm(int d, int npts, int clusters, uint64_t gseed)
{
    sk_rng_t rng;
    double *A = alloc_d((long)d * npts);
    int st = sk_rng_init(&rng, gseed, 0);
    if (st) fail("sk_rng_init", st);
    st = sk_gallery_gmm(d, npts, clusters, 1.0, &rng, A, d);
    if (st) fail("sk_gallery_gmm", st);
    return A;
}

static void gmm_case(int d, int npts, int clusters, uint64_t gseed, int first)
{
    double *A = gmm(d, npts, clusters, gseed);
    printf("%s{\"dim\":%d,\"points\":%d,\"clusters\":%d,\"seed\":%" PRIu64 ",", first ? "" : ",", d, npts, clusters, gseed);
    print_doubles("A", A, (long)d * npts);
    printf("}");
    free(A);
}

static void id_case(int method, int d, int npts, int clusters, uint64_t gseed, int max_rank, double tol,
                    int block, uint64_t seed, int first)
{
    double *A = gmm(d, npts, clusters, gseed);
    sk_id_opts_t o = { 0 };
    o.method = method;
    o.max_rank = max_rank;
    o.tol = tol;
    o.block = block;
    sk_rng_t rng;
    int st = sk_rng_init(&rng, seed, 0);
    if (st) fail("sk_rng_init", st);
    int kcap = max_rank > 0 ? max_rank : (d < npts ? d : npts), rank = -1;
    int *S = alloc_i(kcap);
    double res2 = -1, anorm2 = -1;
    st = sk_id_cols(d, npts, A, d, &o, &rng, S, NULL, 1, &rank, &res2, &anorm2, NULL);
    if (st) fail("sk_id_cols", st);
    if (rank < 0) rank = 0;
    printf("%s{\"method\":\"%s\",\"dim\":%d,\"points\":%d,\"clusters\":%d,\"gseed\":%" PRIu64
           ",\"rank_cap\":%d,\"tol\":%.17g,\"block\":%d,\"seed\":%" PRIu64 ",\"rank\":%d,\"res2\":%.17g,\"anorm2\":%.17g,",
           first ? "" : ",", id_method_name(method), d, npts, clusters, gseed, max_rank, tol, block, seed, rank, res2, anorm2);
    print_ints("S", S, rank);
    printf("}");
    free(A); free(S);
}

static void rpchol_case(int method, int npts, double h, uint64_t gseed, int max_rank, int block, uint64_t seed, int first)
{
    static const char *names[] = { "random", "greedy", "uniform", "block", "rbrp" };
    sk_rng_t rng;
    double *X = alloc_d(2L * npts);
    int st = sk_rng_init(&rng, gseed, 0);
    if (st) fail("sk_rng_init", st);
    st = sk_gallery_smile(npts, &rng, X, 2);
    if (st) fail("sk_gallery_smile", st);
    sk_kernel_t kern = { SK_KERNEL_GAUSSIAN, h, 2, npts, X, 2 };
    sk_rpchol_opts_t o = { 0 };
    o.method = method;
    o.max_rank = max_rank;
    o.block = block;
    st = sk_rng_init(&rng, seed, 0);
    if (st) fail("sk_rng_init", st);
    int *S = alloc_i(max_rank), rank = -1;
    double *F = alloc_d((long)npts * max_rank), res = -1, tr = -1;
    st = sk_rpchol_kernel(&kern, &o, &rng, S, F, npts, &rank, &res, &tr, NULL);
    if (st) fail("sk_rpchol_kernel", st);
    if (rank < 0) rank = 0;
    printf("%s{\"method\":\"%s\",\"points\":%d,\"bandwidth\":%.17g,\"gseed\":%" PRIu64 ",\"rank_cap\":%d,\"block\":%d,"
           "\"seed\":%" PRIu64 ",\"rank\":%d,\"res_trace\":%.17g,",
           first ? "" : ",", names[method], npts, h, gseed, max_rank, block, seed, rank, res);
    print_ints("S", S, rank);
    printf("}");
    free(X); free(S); free(F);
}

/* ---------------------------------------------------------------- stream (sk_cli stream)
 * Seeded sketches with integer updates (tables must match wasm bit for bit),
 * sampled indices of the ℓ2 sampler for 30 seeds, softmax draws. */
static int stream_main(void)
{
    printf("{\"cs\":[");
    for (int mode = 0; mode < 2; mode++) {
        sk_cs_t *cs;
        int st = sk_cs_create(64, 5, mode, &cs, 2024);
        if (st) { fail("sk_cs_create", st); return 1; }
        for (int t = 0; t < 3000; t++) sk_cs_update(cs, (t * 7919) % 1000, (double)(t % 21 - 10));
        double tab[320];
        sk_cs_table(cs, tab);
        printf("%s{\"hash\":%d,", mode ? "," : "", mode);
        print_doubles("table", tab, 320);
        printf("}");
        sk_cs_destroy(cs);
    }
    printf("],\"l2\":{\"index\":[");
    double y[200];
    for (int i = 0; i < 200; i++) y[i] = i < 5 ? 40.0 - 5 * i : (double)((i * 37) % 23 - 11);
    double vals[30];
    for (int s = 1; s <= 30; s++) {
        sk_l2s_t *l2;
        int st = sk_l2s_create(200, 0.25, 64, 7, 8, 8, SK_L2S_JST, SK_L2S_SKETCH, SK_HASH_POLY, &l2, (uint64_t)s);
        if (st) { fail("sk_l2s_create", st); return 1; }
        for (int i = 0; i < 200; i++) sk_l2s_update(l2, i, y[i]);
        double rec[SK_L2S_REC_LEN];
        sk_l2s_sample(l2, rec);
        printf("%s%d", s > 1 ? "," : "", (int)rec[SK_L2S_REC_INDEX]);
        vals[s - 1] = rec[SK_L2S_REC_VALUE];
        sk_l2s_destroy(l2);
    }
    printf("],");
    print_doubles("value", vals, 30);
    printf("},\"softmax\":{");
    double l[50];
    for (int i = 0; i < 50; i++) l[i] = (i % 13) * 0.7;
    static const char *names[3] = { "inverse", "gumbel", "alias" };
    for (int m = 0; m < 3; m++) {
        sk_rng_t rng;
        int out[200];
        sk_rng_init(&rng, 5, 0);
        int st = sk_softmax_sample(50, l, m, 200, &rng, out);
        if (st) { fail("sk_softmax_sample", st); return 1; }
        if (m) printf(",");
        print_ints(names[m], out, 200);
    }
    printf("}}\n");
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "stream") == 0) return stream_main();
    printf("{\"version\":%d,\n\"rng\":[", sk_version());
    rng_case("uniform", 42, 0, 1, 9, 1);
    rng_case("uniform", UINT64_MAX, 1, 1, 8, 0);
    rng_case("normal", 7, 0, 1, 11, 0);
    rng_case("normal", 0x123456789abcdefULL, 3, 1, 16, 0);
    rng_case("normal_matrix", 123, 2, 5, 3, 0);
    rng_case("normal_matrix", 1, 0, 64, 33, 0);
    printf("],\n\"qr\":[");
    qr_case(9, 5, 11, 1);
    qr_case(4, 7, 12, 0);
    qr_case(40, 40, 13, 0);
    printf("],\n\"cpqr\":[");
    {
        double *A = low_rank(12, 9, 4, 1e-9, 21), *B = gaussian(10, 14, 24);
        cpqr_case(12, 9, A, 9, 0.0, 1);        /* full */
        cpqr_case(12, 9, A, 3, 0.0, 0);        /* fixed rank */
        cpqr_case(12, 9, A, 9, 1e-12, 0);      /* tolerance: stops at 4 */
        cpqr_case(10, 14, B, 10, 0.0, 0);      /* wide */
        free(A); free(B);
    }
    printf("],\n\"lu\":[");
    lu_case(6, 6, 31, 1);
    lu_case(7, 4, 32, 0);
    lu_case(3, 5, 33, 0);
    printf("],\n\"cholesky\":[");
    chol_case(6, 41, 1);
    chol_case(30, 42, 0);
    printf("],\n\"svd\":[");
    svd_case(8, 5, 51, 1);
    svd_case(4, 9, 52, 0);
    svd_case(30, 30, 53, 0);
    printf("],\n\"eigh\":[");
    eigh_case(7, 61, 1);
    eigh_case(25, 62, 0);
    printf("],\n\"gmm\":[");
    gmm_case(30, 120, 10, 71, 1);
    printf("],\n\"id\":[");
    {
        int first = 1;
        for (int method = SK_ID_CPQR; method <= SK_ID_SKETCH_LUPP; method++) {
            id_case(method, 40, 300, 20, 72, 25, 0.0, 8, 5, first);        /* fixed rank */
            first = 0;
        }
        id_case(SK_ID_RBRP, 40, 300, 20, 72, 0, 1e-3, 8, 6, 0);            /* rank-adaptive */
        id_case(SK_ID_RPQR, 40, 300, 20, 72, 0, 1e-3, 1, 6, 0);
        id_case(SK_ID_CPQR, 40, 300, 20, 72, 0, 1e-3, 1, 0, 0);
        id_case(SK_ID_BRP, 40, 300, 20, 72, 0, 1e-3, 8, 9, 0);
    }
    printf("],\n\"rpchol\":[");
    for (int method = SK_RPCHOL_RANDOM; method <= SK_RPCHOL_RBRP; method++)
        rpchol_case(method, 300, 2.0, 73, 30, 8, 11, method == SK_RPCHOL_RANDOM);
    printf("]}\n");
    return failures ? 1 : 0;
}
