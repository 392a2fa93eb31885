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
 *   build/native/sk_cli regression        (softmax regression cases only)
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


/* ---------------------------------------------------------------- regression
 * `sk_cli regression`: softmax-regression runs on sk_regression_problem data
 * (inputs printed, so the JS side solves the same bits): x, the per-step
 * losses and the last sampled D̃ (identical samples for the same seed). */

static void regression_case(int kind, int n, int d, uint64_t pseed, int method, int leverage, int flags,
                            int max_iter, uint64_t sseed, int first)
{
    sk_rng_t rng;
    double *A = alloc_d((long)n * d), *b = alloc_d(n), *w = alloc_d(n), *x0 = alloc_d(d), *x = alloc_d(d);
    double *loss = alloc_d(max_iter + 1), *p = alloc_d(n), *dt = alloc_d(n);
    sk_rng_init(&rng, pseed, 0);
    int st = sk_regression_problem(kind, n, d, 0.0, &rng, A, n, b, w, x0);
    if (st) fail("sk_regression_problem", st);
    sk_regression_opts_t o = { 0 };
    o.method = method; o.leverage = leverage; o.flags = flags; o.max_iter = max_iter;
    o.tol = 0.0; o.eps = 0.5; o.delta = 0.01;
    sk_regression_t *h = NULL;
    st = sk_regression_init(n, d, A, n, b, w, x0, &o, &h);
    if (st) fail("sk_regression_init", st);
    sk_rng_init(&rng, sseed, 0);
    int it = 0, why = 0;
    sk_regression_record_t rec;
    sk_regression_get(h, NULL, &rec, NULL, &why);
    loss[0] = rec.loss;
    while (h && why == SK_REGRESSION_RUNNING) {
        st = sk_regression_step(h, &rng, &rec);
        if (st) { fail("sk_regression_step", st); break; }
        sk_regression_get(h, NULL, NULL, &it, &why);
        if (it <= max_iter) loss[it] = rec.loss;
    }
    sk_regression_get(h, x, NULL, &it, &why);
    sk_regression_sample(h, p, dt);
    sk_regression_finish(h);
    printf("%s{\"kind\":%d,\"n\":%d,\"d\":%d,\"pseed\":%" PRIu64 ",\"method\":%d,\"leverage\":%d,\"flags\":%d,"
           "\"maxIter\":%d,\"seed\":%" PRIu64 ",\"iterations\":%d,\"reason\":%d,",
           first ? "" : ",", kind, n, d, pseed, method, leverage, flags, max_iter, sseed, it, why);
    print_doubles("A", A, (long)n * d); printf(",");
    print_doubles("b", b, n); printf(",");
    print_doubles("w", w, n); printf(",");
    print_doubles("x0", x0, d); printf(",");
    print_doubles("x", x, d); printf(",");
    print_doubles("loss", loss, it + 1); printf(",");
    print_doubles("dtilde", dt, n);
    printf("}");
    free(A); free(b); free(w); free(x0); free(x); free(loss); free(p); free(dt);
}

static int regression_main(void)
{
    printf("{\"regression\":[");
    regression_case(3, 8, 3, 3, SK_REGRESSION_NEWTON, 0, 0, 6, 0, 1);
    regression_case(4, 200, 10, 4, SK_REGRESSION_NEWTON, 0, SK_REGRESSION_SAFEGUARD, 12, 0, 0);
    regression_case(1, 300, 6, 1, SK_REGRESSION_FROZEN, 0, 0, 5, 0, 0);
    regression_case(1, 300, 6, 1, SK_REGRESSION_GD, 0, 0, 20, 0, 0);
    regression_case(2, 300, 6, 2, SK_REGRESSION_SAMPLED, SK_LEVERAGE_EXACT, 0, 5, 5, 0);
    regression_case(2, 300, 6, 2, SK_REGRESSION_SAMPLED, SK_LEVERAGE_SKETCH, SK_REGRESSION_NO_RANK2, 5, 6, 0);
    regression_case(2, 300, 6, 2, SK_REGRESSION_SAMPLED, SK_LEVERAGE_UNIFORM, 0, 3, 7, 0);
    /* n = 1200, d = 32: three row blocks of the solvers' one-pass evaluation. */
    regression_case(3, 1200, 32, 5, SK_REGRESSION_NEWTON, 0, SK_REGRESSION_SAFEGUARD, 8, 0, 0);
    regression_case(2, 1200, 32, 6, SK_REGRESSION_SAMPLED, SK_LEVERAGE_EXACT, 0, 4, 8, 0);
    printf("]}\n");
    return failures ? 1 : 0;
}

/* ---------------------------------------------------------------- attention
 * `sk_cli attention`: tensor/standard decoding, a decode through the four- and
 * two-cache with every counter, SubGen and the Index game, all from seeded
 * inputs (gaussian() = randn in JS). tests/js/attention.test.mjs compares. */

static void attn_tensor_case(int n, int d, uint64_t seed, int first)
{
    double *K1 = gaussian(n, d, seed), *K2 = gaussian(n, d, seed + 1), *V1 = gaussian(n, d, seed + 2);
    double *V2 = gaussian(n, d, seed + 3), *q = gaussian(d, 1, seed + 4), *out = alloc_d(d);
    printf("%s{\"n\":%d,\"d\":%d,\"seed\":%" PRIu64 ",\"scale\":%.17g", first ? "" : ",", n, d, seed, 1.0 / d);
    const char *names[4] = { "two-cache", "naive", "factored", "streaming" };
    for (int e = 0; e < 4; ++e) {
        int st = sk_tensor_attention_decode(e, n, d, 1.0 / d, q, K1, n, K2, n, V1, n, V2, n, out);
        if (st) fail("sk_tensor_attention_decode", st);
        printf(",");
        print_doubles(names[e], out, d);
    }
    int st = sk_attention_decode(n, d, 0.5, q, K1, n, V1, n, out);
    if (st) fail("sk_attention_decode", st);
    printf(",");
    print_doubles("standard", out, d);
    printf("}");
    free(K1); free(K2); free(V1); free(V2); free(q); free(out);
}

/* Decode T tokens (rows of gaussian(T, d, seed..seed+4): k1, k2, v1, v2, q). */
static void attn_decode_case(int kind, int eval, int window, int T, int d, uint64_t seed, int first)
{
    double *M[5];
    for (int i = 0; i < 5; ++i) M[i] = gaussian(T, d, seed + i);
    sk_kvcache_t *c = NULL;
    int st = sk_kvcache_create(kind, d, window, 1.0 / d, 0, &c);
    if (st) { fail("sk_kvcache_create", st); return; }
    double *outs = alloc_d((long)T * d), *stats = alloc_d((long)T * SK_KVSTAT_COUNT), *q = alloc_d(d);
    for (int t = 0; t < T; ++t) {
        st = sk_kvcache_append(c, 1, M[0] + t, T, M[1] + t, T, M[2] + t, T, M[3] + t, T);
        if (st) fail("sk_kvcache_append", st);
        for (int j = 0; j < d; ++j) q[j] = M[4][t + (long)j * T];
        st = sk_kvcache_query(c, eval, q, outs + (long)t * d);
        if (st) fail("sk_kvcache_query", st);
        sk_kvcache_stats(c, stats + (long)t * SK_KVSTAT_COUNT);
    }
    printf("%s{\"kind\":%d,\"eval\":%d,\"window\":%d,\"T\":%d,\"d\":%d,\"seed\":%" PRIu64 ",",
           first ? "" : ",", kind, eval, window, T, d, seed);
    print_doubles("out", outs, (long)T * d);
    printf(",");
    print_doubles("stats", stats, (long)T * SK_KVSTAT_COUNT);
    printf("}");
    sk_kvcache_destroy(c);
    for (int i = 0; i < 5; ++i) free(M[i]);
    free(outs); free(stats); free(q);
}

static void attn_subgen_case(int n, int d, double delta, int t, int s, uint64_t seed)
{
    double *K = gaussian(n, d, seed + 1), *V = gaussian(n, d, seed + 2), *q = gaussian(d, 1, seed + 3);
    double out[64], stats[5];
    sk_subgen_t *g = NULL;
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    int st = sk_subgen_create(d, delta, t, s, &g);
    if (st) { fail("sk_subgen_create", st); return; }
    if ((st = sk_subgen_append(g, &rng, n, K, n, V, n))) fail("sk_subgen_append", st);
    if ((st = sk_subgen_query(g, q, out, NULL, NULL))) fail("sk_subgen_query", st);
    sk_subgen_stats(g, stats);
    printf("{\"n\":%d,\"d\":%d,\"delta\":%.17g,\"t\":%d,\"s\":%d,\"seed\":%" PRIu64 ",", n, d, delta, t, s, seed);
    print_doubles("out", out, d);
    printf(",");
    print_doubles("stats", stats, 5);
    printf("}");
    sk_subgen_destroy(g);
    free(K); free(V); free(q);
}

/* SubGen2Cache: the pair tokens of a Gaussian decode (parity of out, Ẑ, counters). */
static void attn_subgen2_case(int n, int d, double delta, int t, int s, uint64_t seed)
{
    double *M[4], *q = gaussian(d, 1, seed + 5);
    for (int i = 0; i < 4; ++i) M[i] = gaussian(n, d, seed + 1 + i);
    double out[64], stats[SK_SG2STAT_COUNT], zhat = 0;
    sk_subgen2_t *g = NULL;
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    int st = sk_subgen2_create(d, delta, t, s, &g);
    if (st) { fail("sk_subgen2_create", st); return; }
    if ((st = sk_subgen2_append(g, &rng, n, M[0], n, M[1], n, M[2], n, M[3], n))) fail("sk_subgen2_append", st);
    if ((st = sk_subgen2_query(g, q, out, &zhat, NULL))) fail("sk_subgen2_query", st);
    sk_subgen2_stats(g, stats);
    printf("{\"n\":%d,\"d\":%d,\"delta\":%.17g,\"t\":%d,\"s\":%d,\"seed\":%" PRIu64 ",\"zhat\":%.17g,", n, d, delta, t, s, seed, zhat);
    print_doubles("out", out, d);
    printf(",");
    print_doubles("stats", stats, SK_SG2STAT_COUNT);
    printf("}");
    sk_subgen2_destroy(g);
    for (int i = 0; i < 4; ++i) free(M[i]);
    free(q);
}

static void attn_index_case(int n, int d, int kind, int budget, double delta, int t, int s, uint64_t seed, int first)
{
    long N = (long)(kind == SK_INDEX_TWO ? n * n : n) * d;
    unsigned char *bits = malloc((size_t)N), *rec = malloc((size_t)N);
    double *u = alloc_d(N), res[4];
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 1); /* Alice's bits: stream 1, u < 1/2 (as indexGame in JS) */
    sk_rng_uniform(&rng, (int)N, u);
    for (long i = 0; i < N; ++i) bits[i] = u[i] < 0.5;
    sk_rng_init(&rng, seed, 0);
    int st = sk_index_game(n, d, 12.0, kind, budget, delta, t, s, &rng, bits, rec, res);
    if (st) fail("sk_index_game", st);
    printf("%s{\"n\":%d,\"d\":%d,\"kind\":%d,\"budget\":%d,\"delta\":%.17g,\"t\":%d,\"s\":%d,\"seed\":%" PRIu64 ",",
           first ? "" : ",", n, d, kind, budget, delta, t, s, seed);
    print_doubles("result", res, 4);
    printf(",\"recovered\":\"");
    for (long i = 0; i < N; ++i) putchar('0' + rec[i]);
    printf("\"}");
    free(bits); free(rec); free(u);
}

static int attention_main(void)
{
    printf("{\"tensor\":[");
    attn_tensor_case(7, 5, 101, 1);
    attn_tensor_case(33, 8, 201, 0);
    printf("],\n\"decode\":[");
    attn_decode_case(SK_KV_FOUR, SK_TENSOR_FACTORED, SK_KV_NO_WINDOW, 12, 4, 301, 1);
    attn_decode_case(SK_KV_FOUR, SK_TENSOR_NAIVE, SK_KV_NO_WINDOW, 12, 4, 301, 0);
    attn_decode_case(SK_KV_FOUR, SK_TENSOR_STREAMING, 5, 12, 4, 301, 0);
    attn_decode_case(SK_KV_TWO, SK_TENSOR_TWO_CACHE, SK_KV_NO_WINDOW, 12, 4, 301, 0);
    attn_decode_case(SK_KV_TWO, SK_TENSOR_TWO_CACHE, 5, 12, 4, 301, 0);
    printf("],\n\"subgen\":");
    attn_subgen_case(60, 4, 0.8, 3, 5, 401);
    printf(",\n\"subgen2\":");
    attn_subgen2_case(10, 3, 0.8, 3, 5, 601);
    printf(",\n\"index\":[");
    attn_index_case(64, 32, SK_INDEX_EXACT, 0, 0, 0, 0, 501, 1);
    attn_index_case(64, 32, SK_INDEX_EVICT, 32, 0, 0, 0, 502, 0);
    attn_index_case(64, 32, SK_INDEX_WINDOW, 16, 0, 0, 0, 503, 0);
    attn_index_case(64, 32, SK_INDEX_SUBGEN, 0, 0.5, 1, 32, 504, 0);
    attn_index_case(32, 32, SK_INDEX_FOUR, 0, 0, 0, 0, 505, 0);
    attn_index_case(48, 32, SK_INDEX_SUBGEN4, 0, 0.5, 1, 24, 506, 0);
    attn_index_case(24, 32, SK_INDEX_SUBGEN2, 0, 0.5, 2, 16, 507, 0);
    printf("]}\n");
    return failures ? 1 : 0;
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
    printf("],\"cm\":[");
    for (int mode = 0; mode < 2; mode++) {  /* Count-Min on the same stream */
        sk_cm_t *cm;
        int st = sk_cm_create(64, 5, mode, &cm, 2024);
        if (st) { fail("sk_cm_create", st); return 1; }
        for (int t = 0; t < 3000; t++) {
            int i = (t * 7919) % 1000;
            double dl = (double)(t % 21 - 10);
            sk_cm_update_batch(cm, 1, &i, &dl);
        }
        double tab[320], est[50], f2;
        sk_cm_table(cm, tab);
        printf("%s{\"hash\":%d,", mode ? "," : "", mode);
        print_doubles("table", tab, 320);
        sk_cm_estimate_all(cm, 50, SK_CM_MEDIAN, est);
        printf(",");
        print_doubles("median", est, 50);
        sk_cm_f2(cm, &f2);
        printf(",");
        print_doubles("f2", &f2, 1);
        printf("}");
        sk_cm_destroy(cm);
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
    if (argc > 1 && strcmp(argv[1], "regression") == 0) return regression_main();
    if (argc > 1 && strcmp(argv[1], "attention") == 0) return attention_main();
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
