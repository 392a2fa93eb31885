/*
 * test_attention_subgen.c — SubGen (specs/attention.md §3.1, T16–T18): exact
 * degenerate case, unbiasedness of Ẑ and N̂ over 1,000 seeds, accuracy on a
 * clusterable stream, the words formula, and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "testutil.h"

/* T18's generator: 8 unit-norm centres (pairwise > 1 apart, checked), keys
 * within 0.2 of centre i % 8, V ~ N(0,1); K, V column-major n×d. */
static void clusterable(int n, int d, double **K, double **V, double *q)
{
    double *C = tu_randn(8, d, 101);
    for (int c = 0; c < 8; ++c) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += C[c + j * 8] * C[c + j * 8];
        for (int j = 0; j < d; ++j) C[c + j * 8] /= sqrt(s);
    }
    for (int a = 0; a < 8; ++a)
        for (int b = 0; b < a; ++b) {
            double s = 0;
            for (int j = 0; j < d; ++j) s += pow(C[a + j * 8] - C[b + j * 8], 2);
            assert_true(sqrt(s) > 1.0); /* so greedy δ = 0.5 clustering finds exactly 8 */
        }
    double *G = tu_randn(n, d, 102), *U = tu_randn(n, 1, 103);
    *K = tu_zeros(n, d);
    for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += G[i + j * n] * G[i + j * n];
        double r = 0.2 * (0.5 + 0.5 * erf(U[i] / sqrt(2.0))); /* radius uniform in (0, 0.2) */
        for (int j = 0; j < d; ++j) (*K)[i + j * n] = C[i % 8 + j * 8] + r * G[i + j * n] / sqrt(s);
    }
    *V = tu_randn(n, d, 104);
    double *g = tu_randn(d, 1, 105), s = 0;
    for (int j = 0; j < d; ++j) s += g[j] * g[j];
    for (int j = 0; j < d; ++j) q[j] = 2.0 * g[j] / sqrt(s); /* ‖q‖ = 2 */
    free(C); free(G); free(U); free(g);
}

/* Exact Z, N (d) and out for K, V, q. */
static void exact(int n, int d, const double *K, const double *V, const double *q,
                  double *Z, double *N, double *out, double *p2norm)
{
    double *e = tu_zeros(n, 1), m = -INFINITY;
    for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += K[i + j * n] * q[j];
        e[i] = s;
        m = fmax(m, s);
    }
    *Z = 0;
    double ss = 0;
    for (int j = 0; j < d; ++j) N[j] = 0;
    for (int i = 0; i < n; ++i) {
        double x = exp(e[i]);
        *Z += x;
        ss += x * x;
        for (int j = 0; j < d; ++j) N[j] += x * V[i + j * n];
    }
    for (int j = 0; j < d; ++j) out[j] = N[j] / *Z;
    *p2norm = sqrt(ss) / *Z;
    free(e);
}

static double opnorm(int n, int d, const double *V)
{
    double *A = tu_copy(n, d, V, n), *s = tu_zeros(d, 1), *sup = tu_zeros(d, 1);
    LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'N', 'N', n, d, A, n, s, NULL, 1, NULL, 1, sup);
    double r = s[0];
    free(A); free(s); free(sup);
    return r;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* T16: all keys equal and all values equal: z = v exactly. */
static void test_t16_degenerate(void **state)
{
    (void)state;
    int n = 50, d = 4;
    double *K = tu_zeros(n, d), *V = tu_zeros(n, d);
    const double k[4] = { 0.3, -1, 2, 0.5 }, v[4] = { 1.5, -2, 0.25, 3 };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) { K[i + j * n] = k[j]; V[i + j * n] = v[j]; }
    sk_subgen_t *g;
    sk_rng_t rng;
    sk_rng_init(&rng, 5, 0);
    assert_int_equal(sk_subgen_create(d, 0.1, 3, 5, &g), 0);
    assert_int_equal(sk_subgen_append(g, &rng, n, K, n, V, n), 0);
    double q[4] = { 1, 0.5, -0.25, 2 }, out[4], Z, N[4];
    assert_int_equal(sk_subgen_query(g, q, out, &Z, N), 0);
    for (int j = 0; j < d; ++j) assert_true(fabs(out[j] - v[j]) <= 1e-12 * fabs(v[j]));
    double e = exp(0.3 - 0.5 - 0.5 + 1.0);
    assert_true(fabs(Z - n * e) <= 1e-12 * n * e);
    double st[5];
    assert_int_equal(sk_subgen_stats(g, st), 0);
    assert_true(st[0] == n && st[1] == 1);
    assert_true(st[2] == 1 * (3 + 1) * d + 1 + 5 * (2 * d + 1) + 1);
    sk_subgen_destroy(g);
    free(K); free(V);
}

/* T17: unbiasedness over 1,000 seeds (n = 1024, t = 32, s = 64). */
static void test_t17_unbiased(void **state)
{
    (void)state;
    int n = 1024, d = 16, R = 1000;
    double *K, *V, q[16];
    clusterable(n, d, &K, &V, q);
    double Z, N[16], out[16], p2;
    exact(n, d, K, V, q, &Z, N, out, &p2);
    double mz = 0, sz = 0, mN[16] = { 0 }, rms = 0;
    for (int r = 0; r < R; ++r) {
        sk_subgen_t *g;
        sk_rng_t rng;
        sk_rng_init(&rng, 1000 + r, 0);
        assert_int_equal(sk_subgen_create(d, 0.5, 32, 64, &g), 0);
        assert_int_equal(sk_subgen_append(g, &rng, n, K, n, V, n), 0);
        double zh, nh[16], o[16];
        assert_int_equal(sk_subgen_query(g, q, o, &zh, nh), 0);
        mz += zh; sz += zh * zh;
        double e2 = 0;
        for (int j = 0; j < d; ++j) { mN[j] += nh[j]; e2 += (nh[j] - N[j]) * (nh[j] - N[j]); }
        rms += e2;
        sk_subgen_destroy(g);
    }
    mz /= R;
    double sd = sqrt(sz / R - mz * mz);
    assert_true(sd > 0); /* the estimator is random: the check below is not vacuous */
    double zdev = fabs(mz / Z - 1), zbound = 3 * sd / (Z * sqrt((double)R));
    double ndev = 0;
    for (int j = 0; j < d; ++j) ndev += pow(mN[j] / R - N[j], 2);
    ndev = sqrt(ndev);
    double nbound = 3 * sqrt(rms / R) / sqrt((double)R);
    printf("# T17: |mean(Z^)/Z - 1| = %.2e (bound %.2e); |mean(N^) - N| = %.3g (bound %.3g)\n",
           zdev, zbound, ndev, nbound);
    assert_true(zdev <= zbound);
    assert_true(ndev <= nbound);
    free(K); free(V);
}

/* T18: exactly 8 clusters; normalised error medians (21 seeds). */
static void test_t18_clusterable(void **state)
{
    (void)state;
    int n = 4096, d = 16, R = 21;
    double *K, *V, q[16];
    clusterable(n, d, &K, &V, q);
    double Z, N[16], out[16], p2;
    exact(n, d, K, V, q, &Z, N, out, &p2);
    double scale = p2 * opnorm(n, d, V);
    const int ts[2][2] = { { 32, 256 }, { 128, 1024 } };
    const double lim[2] = { 0.35, 0.2 };
    for (int c = 0; c < 2; ++c) {
        int t = ts[c][0], s = ts[c][1];
        double err[21];
        for (int r = 0; r < R; ++r) {
            sk_subgen_t *g;
            sk_rng_t rng;
            sk_rng_init(&rng, 77 + r, c);
            assert_int_equal(sk_subgen_create(d, 0.5, t, s, &g), 0);
            assert_int_equal(sk_subgen_append(g, &rng, n, K, n, V, n), 0);
            double o[16], st[5], e2 = 0;
            assert_int_equal(sk_subgen_query(g, q, o, NULL, NULL), 0);
            for (int j = 0; j < d; ++j) e2 += (o[j] - out[j]) * (o[j] - out[j]);
            err[r] = sqrt(e2) / scale;
            assert_int_equal(sk_subgen_stats(g, st), 0);
            assert_true(st[1] == 8);
            assert_true(st[2] == 8.0 * (t + 1) * d + 8 + s * (2.0 * d + 1) + 1);
            sk_subgen_destroy(g);
        }
        qsort(err, R, sizeof(double), cmp);
        printf("# T18: (t, s) = (%d, %d): median normalised error %.3f (limit %.2f)\n", t, s, err[R / 2], lim[c]);
        assert_true(err[R / 2] <= lim[c]);
    }
    free(K); free(V);
}

/* SubGen4Cache (product sampling, our construction): exact degenerate case. */
static void test_subgen4_degenerate(void **state)
{
    (void)state;
    int n = 30, d = 3;
    double *K1 = tu_zeros(n, d), *K2 = tu_zeros(n, d), *V1 = tu_zeros(n, d), *V2 = tu_zeros(n, d);
    const double k1[3] = { 0.5, -1, 0.2 }, k2[3] = { 1, 2, -0.5 }, v1[3] = { 1, -2, 0.5 }, v2[3] = { 3, 0.25, -1 };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) { K1[i + j * n] = k1[j]; K2[i + j * n] = k2[j]; V1[i + j * n] = v1[j]; V2[i + j * n] = v2[j]; }
    sk_subgen_t *g1, *g2;
    sk_rng_t rng;
    sk_rng_init(&rng, 3, 0);
    assert_int_equal(sk_subgen_create(d, 0.1, 2, 4, &g1), 0);
    assert_int_equal(sk_subgen_create(d, 0.1, 2, 4, &g2), 0);
    assert_int_equal(sk_subgen_append(g1, &rng, n, K1, n, V1, n), 0);
    assert_int_equal(sk_subgen_append(g2, &rng, n, K2, n, V2, n), 0);
    double q[3] = { 0.3, 0.1, -0.2 }, out[3], Z;
    assert_int_equal(sk_subgen4_query(g1, g2, q, out, &Z, NULL), 0);
    for (int j = 0; j < d; ++j) assert_true(fabs(out[j] - v1[j] * v2[j]) <= 1e-12 * fabs(v1[j] * v2[j]));
    double e = exp(0.3 * 0.5 * 1 + 0.1 * -1 * 2 + -0.2 * 0.2 * -0.5);
    assert_true(fabs(Z - (double)n * n * e) <= 1e-12 * n * n * e);
    /* Mismatched states are refused. */
    sk_subgen_t *g3;
    assert_int_equal(sk_subgen_create(d, 0.1, 3, 4, &g3), 0);
    assert_int_equal(sk_subgen4_query(g1, g3, q, out, NULL, NULL), SK_EINVAL);   /* t differs */
    sk_subgen_destroy(g3);
    assert_int_equal(sk_subgen_create(d, 0.1, 2, 4, &g3), 0);
    assert_int_equal(sk_subgen_append(g3, &rng, 1, K2, n, V2, n), 0);
    assert_int_equal(sk_subgen4_query(g1, g3, q, out, NULL, NULL), SK_EINVAL);   /* token counts differ */
    q[1] = NAN;
    assert_int_equal(sk_subgen4_query(g1, g2, q, out, NULL, NULL), SK_ENONFINITE);
    assert_int_equal(sk_subgen4_query(NULL, g2, q, out, NULL, NULL), -1);
    sk_subgen_destroy(g1); sk_subgen_destroy(g2); sk_subgen_destroy(g3);
    free(K1); free(K2); free(V1); free(V2);
}

/* SubGen4Cache: Ẑ and N̂ unbiased for the tensor Z, N over all n² pairs (400 seeds). */
static void test_subgen4_unbiased(void **state)
{
    (void)state;
    int n = 64, d = 4, R = 400;
    /* Keys near two centres per factor (clusterable), values Gaussian. */
    double *G1 = tu_randn(n, d, 201), *G2 = tu_randn(n, d, 202);
    double *V1 = tu_randn(n, d, 203), *V2 = tu_randn(n, d, 204);
    double *K1 = tu_zeros(n, d), *K2 = tu_zeros(n, d);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) {
            K1[i + j * n] = (i % 2 ? 0.7 : -0.7) * (j == 0) + 0.05 * G1[i + j * n];
            K2[i + j * n] = (i % 2 ? 0.6 : -0.6) * (j == 1) + 0.05 * G2[i + j * n];
        }
    double q[4] = { 1.0, -0.8, 0.5, 0.3 }, Z = 0, N[4] = { 0 };
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double l = 0;
            for (int j = 0; j < d; ++j) l += q[j] * K1[a + j * n] * K2[b + j * n];
            double e = exp(l);
            Z += e;
            for (int j = 0; j < d; ++j) N[j] += e * V1[a + j * n] * V2[b + j * n];
        }
    double mz = 0, sz = 0, mN[4] = { 0 }, rms = 0;
    for (int r = 0; r < R; ++r) {
        sk_subgen_t *g1, *g2;
        sk_rng_t rng;
        sk_rng_init(&rng, 7000 + r, 0);
        assert_int_equal(sk_subgen_create(d, 0.5, 4, 16, &g1), 0);
        assert_int_equal(sk_subgen_create(d, 0.5, 4, 16, &g2), 0);
        assert_int_equal(sk_subgen_append(g1, &rng, n, K1, n, V1, n), 0);
        assert_int_equal(sk_subgen_append(g2, &rng, n, K2, n, V2, n), 0);
        double o[4], zh, nh[4];
        assert_int_equal(sk_subgen4_query(g1, g2, q, o, &zh, nh), 0);
        mz += zh; sz += zh * zh;
        double e2 = 0;
        for (int j = 0; j < d; ++j) { mN[j] += nh[j]; e2 += (nh[j] - N[j]) * (nh[j] - N[j]); }
        rms += e2;
        if (r == 0) {
            double st[5];
            sk_subgen_stats(g1, st);
            assert_true(st[1] == 2); /* two clusters per factor */
        }
        sk_subgen_destroy(g1); sk_subgen_destroy(g2);
    }
    mz /= R;
    double sd = sqrt(sz / R - mz * mz);
    assert_true(sd > 0);
    double zdev = fabs(mz / Z - 1), zbound = 3 * sd / (Z * sqrt((double)R));
    double ndev = 0;
    for (int j = 0; j < d; ++j) ndev += pow(mN[j] / R - N[j], 2);
    ndev = sqrt(ndev);
    double nbound = 3 * sqrt(rms / R) / sqrt((double)R);
    printf("# SubGen4Cache: |mean(Z^)/Z - 1| = %.2e (bound %.2e); |mean(N^) - N| = %.3g (bound %.3g)\n", zdev, zbound, ndev, nbound);
    assert_true(zdev <= zbound);
    assert_true(ndev <= nbound);
    free(G1); free(G2); free(V1); free(V2); free(K1); free(K2);
}

/* SubGen2Cache, all keys equal and all values equal: out is the exact tensor
 * attention v1 ∘ v2 (spec T16 on pairs), compared with the library's exact
 * factored evaluation. Both sum n² equal terms: error <= ~n²·eps relative. */
static void test_subgen2_degenerate(void **state)
{
    (void)state;
    int n = 12, d = 4;
    double *K1 = tu_zeros(n, d), *K2 = tu_zeros(n, d), *V1 = tu_zeros(n, d), *V2 = tu_zeros(n, d);
    const double k1[4] = { 0.3, -1, 2, 0.5 }, k2[4] = { 1, 0.5, -0.25, 2 };
    const double v1[4] = { 1.5, -2, 0.25, 3 }, v2[4] = { -1, 0.5, 4, 0.75 };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) {
            K1[i + j * n] = k1[j]; K2[i + j * n] = k2[j];
            V1[i + j * n] = v1[j]; V2[i + j * n] = v2[j];
        }
    double q[4] = { 0.7, -0.2, 0.4, 1.1 }, out[4], ref[4], Z;
    sk_rng_t rng;
    sk_rng_init(&rng, 5, 0);
    sk_subgen2_t *g;
    assert_int_equal(sk_subgen2_create(d, 0.1, 3, 5, &g), 0);
    assert_int_equal(sk_subgen2_append(g, &rng, n, K1, n, K2, n, V1, n, V2, n), 0);
    assert_int_equal(sk_subgen2_query(g, q, out, &Z, NULL), 0);
    assert_int_equal(sk_tensor_attention_decode(SK_TENSOR_FACTORED, n, d, 1.0, q, K1, n, K2, n, V1, n, V2, n, ref), 0);
    double vmax = 0, l = 0;
    for (int j = 0; j < d; ++j) { vmax = fmax(vmax, fabs(v1[j] * v2[j])); l += q[j] * k1[j] * k2[j]; }
    double tol = 10.0 * (n * n + d) * DBL_EPSILON * vmax;
    for (int j = 0; j < d; ++j) {
        assert_true(fabs(out[j] - ref[j]) <= tol);
        assert_true(fabs(out[j] - v1[j] * v2[j]) <= tol);
    }
    assert_true(fabs(Z - n * n * exp(l)) <= 10.0 * n * n * DBL_EPSILON * n * n * exp(l));
    double st[SK_SG2STAT_COUNT];
    assert_int_equal(sk_subgen2_stats(g, st), 0);
    assert_true(st[SK_SG2STAT_TOKENS] == n);
    assert_true(st[SK_SG2STAT_PAIRS] == n * n);
    assert_true(st[SK_SG2STAT_CLUSTERS] == 1);
    assert_true(st[SK_SG2STAT_WORDS] == 1.0 * (3 + 1) * d + 1 + 5 * (2 * d + 1) + 1);
    assert_true(st[SK_SG2STAT_BYTES] == 8 * st[SK_SG2STAT_WORDS]);
    assert_true(st[SK_SG2STAT_BITS] == 64 * st[SK_SG2STAT_WORDS]);
    assert_true(st[SK_SG2STAT_AUX_WORDS] == 4.0 * n * d);
    assert_true(st[SK_SG2STAT_APPEND_OPS] == 2.0 * (2 * (n - 1) + 1) * d);
    sk_subgen2_destroy(g);
    free(K1); free(K2); free(V1); free(V2);
}

/* Exact tensor Z and N (d) over all n² pairs, by direct double loops. */
static void tensor_exact(int n, int d, const double *K1, const double *K2, const double *V1,
                         const double *V2, const double *q, double *Z, double *N)
{
    *Z = 0;
    for (int j = 0; j < d; ++j) N[j] = 0;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double l = 0;
            for (int j = 0; j < d; ++j) l += q[j] * K1[a + j * n] * K2[b + j * n];
            double e = exp(l);
            *Z += e;
            for (int j = 0; j < d; ++j) N[j] += e * V1[a + j * n] * V2[b + j * n];
        }
}

/* SubGen2Cache with δ below every distance between distinct pair keys and
 * t = 1: every pair opens its own cluster (count 1, slot = its key), so Ẑ is
 * the exact Z whatever the seed — which checks that exactly the n² pairs
 * k1_a ∘ k2_b were streamed, each once. Batch and one-by-one appends with the
 * same seed give the same answer. */
static void test_subgen2_pairs_streamed(void **state)
{
    (void)state;
    int n = 9, d = 3;
    double *K1 = tu_randn(n, d, 301), *K2 = tu_randn(n, d, 302);
    double *V1 = tu_randn(n, d, 303), *V2 = tu_randn(n, d, 304);
    double q[3] = { 0.4, -0.9, 0.3 }, Z, N[3];
    tensor_exact(n, d, K1, K2, V1, V2, q, &Z, N);
    sk_rng_t r1, r2;
    sk_rng_init(&r1, 11, 0);
    sk_rng_init(&r2, 11, 0);
    sk_subgen2_t *g, *h;
    assert_int_equal(sk_subgen2_create(d, 1e-9, 1, 4, &g), 0);
    assert_int_equal(sk_subgen2_create(d, 1e-9, 1, 4, &h), 0);
    assert_int_equal(sk_subgen2_append(g, &r1, n, K1, n, K2, n, V1, n, V2, n), 0);
    for (int i = 0; i < n; ++i)
        assert_int_equal(sk_subgen2_append(h, &r2, 1, K1 + i, n, K2 + i, n, V1 + i, n, V2 + i, n), 0);
    double o1[3], o2[3], z1, z2;
    assert_int_equal(sk_subgen2_query(g, q, o1, &z1, NULL), 0);
    assert_int_equal(sk_subgen2_query(h, q, o2, &z2, NULL), 0);
    double st[SK_SG2STAT_COUNT];
    sk_subgen2_stats(g, st);
    assert_true(st[SK_SG2STAT_CLUSTERS] == n * n);
    /* Z: n² positive terms, shifted by the max and summed: <= ~2n²·eps relative. */
    assert_true(fabs(z1 - Z) <= 4.0 * n * n * DBL_EPSILON * Z);
    assert_true(z1 == z2);
    for (int j = 0; j < d; ++j) assert_true(o1[j] == o2[j]);
    sk_subgen2_destroy(g); sk_subgen2_destroy(h);
    free(K1); free(K2); free(V1); free(V2);
}

/* SubGen2Cache: Ẑ and N̂ unbiased for the tensor Z and N (spec T17's test on
 * pairs): 1,000 seeds, n = 16 tokens (256 pair tokens in two clusters). */
static void test_subgen2_unbiased(void **state)
{
    (void)state;
    int n = 16, d = 4, R = 1000;
    double *G1 = tu_randn(n, d, 211), *G2 = tu_randn(n, d, 212);
    double *V1 = tu_randn(n, d, 213), *V2 = tu_randn(n, d, 214);
    double *K1 = tu_zeros(n, d), *K2 = tu_zeros(n, d);
    /* Pair keys k1∘k2 ≈ ±0.8·𝟙 + small: two clusters 3.2 apart at δ = 0.5. */
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) {
            K1[i + j * n] = (i % 2 ? 0.8 : -0.8) + 0.03 * G1[i + j * n];
            K2[i + j * n] = 1.0 + 0.03 * G2[i + j * n];
        }
    double q[4] = { 1.0, -0.8, 0.5, 0.3 }, Z, N[4];
    tensor_exact(n, d, K1, K2, V1, V2, q, &Z, N);
    double mz = 0, sz = 0, mN[4] = { 0 }, rms = 0;
    for (int r = 0; r < R; ++r) {
        sk_subgen2_t *g;
        sk_rng_t rng;
        sk_rng_init(&rng, 9000 + r, 0);
        assert_int_equal(sk_subgen2_create(d, 0.5, 4, 16, &g), 0);
        assert_int_equal(sk_subgen2_append(g, &rng, n, K1, n, K2, n, V1, n, V2, n), 0);
        double o[4], zh, nh[4];
        assert_int_equal(sk_subgen2_query(g, q, o, &zh, nh), 0);
        mz += zh; sz += zh * zh;
        double e2 = 0;
        for (int j = 0; j < d; ++j) { mN[j] += nh[j]; e2 += (nh[j] - N[j]) * (nh[j] - N[j]); }
        rms += e2;
        if (r == 0) {
            double st[SK_SG2STAT_COUNT];
            sk_subgen2_stats(g, st);
            assert_true(st[SK_SG2STAT_CLUSTERS] == 2);
        }
        sk_subgen2_destroy(g);
    }
    mz /= R;
    double sd = sqrt(sz / R - mz * mz);
    assert_true(sd > 0); /* a random estimator, not the exact Z */
    double zdev = fabs(mz / Z - 1), zbound = 3 * sd / (Z * sqrt((double)R));
    double ndev = 0;
    for (int j = 0; j < d; ++j) ndev += pow(mN[j] / R - N[j], 2);
    ndev = sqrt(ndev);
    double nbound = 3 * sqrt(rms / R) / sqrt((double)R);
    printf("# SubGen2Cache: |mean(Z^)/Z - 1| = %.2e (bound %.2e); |mean(N^) - N| = %.3g (bound %.3g)\n", zdev, zbound, ndev, nbound);
    assert_true(zdev <= zbound);
    assert_true(ndev <= nbound);
    free(G1); free(G2); free(V1); free(V2); free(K1); free(K2);
}

static void test_subgen2_bad_input(void **state)
{
    (void)state;
    sk_subgen2_t *g = (sk_subgen2_t *)1;
    assert_int_equal(sk_subgen2_create(0, 0.5, 1, 1, &g), -1);
    assert_null(g);
    assert_int_equal(sk_subgen2_create(2, 0.0, 1, 1, &g), -2);
    assert_int_equal(sk_subgen2_create(2, INFINITY, 1, 1, &g), -2);
    assert_int_equal(sk_subgen2_create(2, 0.5, 0, 1, &g), -3);
    assert_int_equal(sk_subgen2_create(2, 0.5, 1, 0, &g), -4);
    assert_int_equal(sk_subgen2_create(2, 0.5, 1, 1, NULL), -5);
    assert_int_equal(sk_subgen2_create(2, 0.5, 2, 3, &g), 0);
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    double q[2] = { 1, 1 }, out[2], bad[2] = { 1, NAN }, v[2] = { 1, 2 };
    assert_int_equal(sk_subgen2_query(g, q, out, NULL, NULL), SK_EINVAL); /* empty */
    assert_int_equal(sk_subgen2_append(g, &rng, 1, v, 1, v, 1, v, 1, bad, 1), SK_ENONFINITE);
    assert_int_equal(sk_subgen2_append(g, &rng, 1, bad, 1, v, 1, v, 1, v, 1), SK_ENONFINITE);
    double st[SK_SG2STAT_COUNT];
    sk_subgen2_stats(g, st);
    assert_true(st[SK_SG2STAT_TOKENS] == 0 && st[SK_SG2STAT_PAIRS] == 0); /* nothing appended */
    assert_int_equal(sk_subgen2_append(NULL, &rng, 1, v, 1, v, 1, v, 1, v, 1), -1);
    assert_int_equal(sk_subgen2_append(g, NULL, 1, v, 1, v, 1, v, 1, v, 1), -2);
    assert_int_equal(sk_subgen2_append(g, &rng, -1, v, 1, v, 1, v, 1, v, 1), -3);
    assert_int_equal(sk_subgen2_append(g, &rng, 1, NULL, 1, v, 1, v, 1, v, 1), -4);
    assert_int_equal(sk_subgen2_append(g, &rng, 2, v, 1, v, 2, v, 2, v, 2), -5);
    assert_int_equal(sk_subgen2_append(g, &rng, 2, v, 2, v, 2, v, 2, v, 1), -11);
    assert_int_equal(sk_subgen2_append(g, &rng, 1, v, 1, v, 1, v, 1, v, 1), 0);
    q[1] = NAN;
    assert_int_equal(sk_subgen2_query(g, q, out, NULL, NULL), SK_ENONFINITE);
    assert_int_equal(sk_subgen2_query(g, NULL, out, NULL, NULL), -2);
    assert_int_equal(sk_subgen2_stats(g, NULL), -2);
    assert_int_equal(sk_subgen2_stats(NULL, st), -1);
    sk_subgen2_destroy(g);
    sk_subgen2_destroy(NULL);
}

static void test_bad_input(void **state)
{
    (void)state;
    sk_subgen_t *g = (sk_subgen_t *)1;
    assert_int_equal(sk_subgen_create(0, 0.5, 1, 1, &g), -1);
    assert_null(g);
    assert_int_equal(sk_subgen_create(2, 0.0, 1, 1, &g), -2);   /* δ <= 0 */
    assert_int_equal(sk_subgen_create(2, -1.0, 1, 1, &g), -2);
    assert_int_equal(sk_subgen_create(2, NAN, 1, 1, &g), -2);
    assert_int_equal(sk_subgen_create(2, 0.5, 0, 1, &g), -3);   /* t = 0 */
    assert_int_equal(sk_subgen_create(2, 0.5, 1, 0, &g), -4);   /* s = 0 */
    assert_int_equal(sk_subgen_create(2, 0.5, 1, 1, &g), 0);
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    double q[2] = { 1, 1 }, out[2], k[2] = { 1, NAN }, v[2] = { 1, 2 };
    assert_int_equal(sk_subgen_query(g, q, out, NULL, NULL), SK_EINVAL); /* empty */
    assert_int_equal(sk_subgen_append(g, &rng, 1, k, 1, v, 1), SK_ENONFINITE);
    assert_int_equal(sk_subgen_append(g, &rng, 1, v, 1, k, 1), SK_ENONFINITE);
    double st[5];
    sk_subgen_stats(g, st);
    assert_true(st[0] == 0);
    assert_int_equal(sk_subgen_append(g, NULL, 1, v, 1, v, 1), -2);
    assert_int_equal(sk_subgen_append(g, &rng, 2, v, 1, v, 1), -5);
    assert_int_equal(sk_subgen_append(g, &rng, 1, v, 1, v, 1), 0);
    q[0] = INFINITY;
    assert_int_equal(sk_subgen_query(g, q, out, NULL, NULL), SK_ENONFINITE);
    sk_subgen_destroy(g);
    sk_subgen_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t16_degenerate),
        cmocka_unit_test(test_t17_unbiased),
        cmocka_unit_test(test_t18_clusterable),
        cmocka_unit_test(test_subgen4_degenerate),
        cmocka_unit_test(test_subgen4_unbiased),
        cmocka_unit_test(test_subgen2_degenerate),
        cmocka_unit_test(test_subgen2_pairs_streamed),
        cmocka_unit_test(test_subgen2_unbiased),
        cmocka_unit_test(test_subgen2_bad_input),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("attention_subgen", tests, NULL, NULL);
}
