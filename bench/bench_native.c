/*
 * bench_native.c — time sketchlab's native kernels against OpenBLAS/LAPACK in
 * one run. Prints one JSON line per measurement:
 *   {"name":"gemm","impl":"native","size":500,"seconds":0.0123,"gflops":20.3}
 * impl is "native" (ours) or "lapack" (OpenBLAS + reference LAPACK from Debian).
 * Run with OPENBLAS_NUM_THREADS=1 (bench/run.mjs does) so both sides use one core.
 *
 * usage: bench_native [size ...]     (default 500 1000)
 * Each timing is the best of `reps` runs (3, or 1 when one run takes > 2 s).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <lapacke.h>

#include "sketchlab.h"
#include "bench_util.h"

static double *random_matrix(int m, int n, unsigned seed)
{
    double *A = malloc((size_t)m * n * sizeof *A);
    if (!A) { fprintf(stderr, "bench: out of memory\n"); exit(1); }
    /* xorshift: the benchmark needs data, not statistics. */
    unsigned x = seed * 2654435761u + 1u;
    for (size_t i = 0; i < (size_t)m * n; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        A[i] = (double)x / 4294967296.0 - 0.5;
    }
    return A;
}

typedef struct {
    const char *name;
    double (*flops)(int n);
    int (*run_ours)(int n, double *A, double *work);
    int (*run_lapack)(int n, double *A, double *work);
} bench_case;

/* Workspace layout per case: A (n×n, overwritten), work (enough for the case). */
static double *B_global, *C_global;

static double flops_gemm(int n) { return 2.0 * n * (double)n * n; }
static int ours_gemm(int n, double *A, double *w)
{ (void)w; return sk_dgemm(SK_NOTRANS, SK_NOTRANS, n, n, n, 1.0, A, n, B_global, n, 0.0, C_global, n); }
static int lapack_gemm(int n, double *A, double *w)
{ (void)w; cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, A, n, B_global, n, 0.0, C_global, n); return 0; }

/* QR: factor and form the thin Q, as a user calling qr() gets. */
static double flops_qr(int n) { return 4.0 / 3.0 * n * (double)n * n * 2.0; }
static int ours_qr(int n, double *A, double *w)
{
    int info = sk_dgeqrf(n, n, A, n, w);
    return info ? info : sk_dorgqr(n, n, n, A, n, w);
}
static int lapack_qr(int n, double *A, double *w)
{
    int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, n, A, n, w);
    return info ? info : LAPACKE_dorgqr(LAPACK_COL_MAJOR, n, n, n, A, n, w);
}

/* CPQR: the full pivoted factorization (dgeqp3 cannot stop early). */
static double flops_cpqr(int n) { return 4.0 / 3.0 * n * (double)n * n; }
static int ours_cpqr(int n, double *A, double *w)
{
    int rank = 0;
    return sk_dgeqp3(n, n, A, n, (int *)(w + n), w, n, 0.0, &rank, NULL);
}
static int lapack_cpqr(int n, double *A, double *w)
{
    lapack_int *jpvt = (lapack_int *)(w + n);
    memset(jpvt, 0, (size_t)n * sizeof *jpvt);
    return LAPACKE_dgeqp3(LAPACK_COL_MAJOR, n, n, A, n, jpvt, w);
}

/* SVD with both singular-vector sets (thin), against dgesdd. */
static double flops_svd(int n) { return 22.0 * n * (double)n * n; } /* GVL's count for U,S,V */
static int ours_svd(int n, double *A, double *w)
{ return sk_dgesvd(n, n, A, n, w, B_global, n, C_global, n); }
static int lapack_svd(int n, double *A, double *w)
{ return LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', n, n, A, n, w, B_global, n, C_global, n); }

static const bench_case cases[] = {
    { "gemm", flops_gemm, ours_gemm, lapack_gemm },
    { "qr", flops_qr, ours_qr, lapack_qr },
    { "cpqr", flops_cpqr, ours_cpqr, lapack_cpqr },
    { "svd", flops_svd, ours_svd, lapack_svd },
};

static double time_case(int n, const double *A0, double *A, double *w,
                        int (*fn)(int, double *, double *), int *status)
{
    double best = 1e300;
    for (int rep = 0; rep < 3; rep++) {
        memcpy(A, A0, (size_t)n * n * sizeof *A);
        double t0 = now();
        *status = fn(n, A, w);
        double t = now() - t0;
        if (t < best) best = t;
        if (t > 2.0) break;
    }
    return best;
}

int main(int argc, char **argv)
{
    int sizes[8] = { 500, 1000 }, nsizes = 2;
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 8; i++) sizes[nsizes++] = atoi(argv[i]);
    }
    const char *only = getenv("BENCH_ONLY"); /* e.g. "gemm,svd" */
    for (int s = 0; s < nsizes; s++) {
        int n = sizes[s];
        double *A0 = random_matrix(n, n, 1), *A = random_matrix(n, n, 2);
        double *w = random_matrix(n, 4, 3); /* tau / s / jpvt scratch */
        B_global = random_matrix(n, n, 4);
        C_global = random_matrix(n, n, 5);
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            if (only && !strstr(only, cases[c].name)) continue;
            const char *impls[2] = { "native", "lapack" };
            int (*fns[2])(int, double *, double *) = { cases[c].run_ours, cases[c].run_lapack };
            for (int k = 0; k < 2; k++) {
                int status = 0;
                double t = time_case(n, A0, A, w, fns[k], &status);
                if (status != 0) {
                    fprintf(stderr, "bench: %s/%s n=%d returned status %d\n", cases[c].name, impls[k], n, status);
                    continue;
                }
                printf("{\"name\":\"%s\",\"impl\":\"%s\",\"size\":%d,\"seconds\":%.6g,\"gflops\":%.4g}\n",
                       cases[c].name, impls[k], n, t, cases[c].flops(n) / t * 1e-9);
                fflush(stdout);
            }
        }
        free(A0); free(A); free(w); free(B_global); free(C_global);
    }
    return 0;
}
