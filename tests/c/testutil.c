/* testutil.c — see testutil.h. Uses LAPACKE/CBLAS only, never sketchlab. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>
#include <cblas.h>
#include <lapacke.h>

#include "testutil.h"

double *tu_zeros(int m, int n)
{
    size_t count = (size_t)(m > 0 ? m : 1) * (size_t)(n > 0 ? n : 1);
    double *p = calloc(count, sizeof(double));
    if (!p) fail_msg("out of memory allocating a %d x %d test matrix", m, n);
    return p;
}

double *tu_copy(int m, int n, const double *A, int lda)
{
    double *B = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) B[(size_t)j * m + i] = A[(size_t)j * lda + i];
    return B;
}

double *tu_randn(int m, int n, int seed)
{
    double *A = tu_zeros(m, n);
    /* dlarnv wants iseed entries in [0, 4095] with iseed[3] odd. */
    lapack_int iseed[4] = { seed & 4095, (seed >> 12) & 4095, 17, 2 * (seed & 2047) + 1 };
    if (m > 0 && n > 0) LAPACKE_dlarnv(3, iseed, (lapack_int)m * n, A);
    return A;
}

double *tu_orthonormal(int m, int k, int seed)
{
    double *Q = tu_randn(m, k, seed);
    if (m == 0 || k == 0) return Q;
    double *tau = tu_zeros(k, 1);
    LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, k, Q, m, tau);
    LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, k, k, Q, m, tau);
    free(tau);
    return Q;
}

double *tu_with_spectrum(int m, int n, const double *s, int seed)
{
    int k = m < n ? m : n;
    double *U = tu_orthonormal(m, k, seed);
    double *V = tu_orthonormal(n, k, seed + 7919);
    for (int j = 0; j < k; j++)
        for (int i = 0; i < m; i++) U[(size_t)j * m + i] *= s[j];
    double *A = tu_zeros(m, n);
    if (m > 0 && n > 0 && k > 0)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0, U, m, V, n, 0.0, A, m);
    free(U);
    free(V);
    return A;
}

double tu_fro(int m, int n, const double *A, int lda)
{
    if (m == 0 || n == 0) return 0.0;
    return LAPACKE_dlange(LAPACK_COL_MAJOR, 'F', m, n, A, lda);
}

double tu_diff_fro(int m, int n, const double *A, int lda, const double *B, int ldb)
{
    double *D = tu_zeros(m, n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++)
            D[(size_t)j * m + i] = A[(size_t)j * lda + i] - B[(size_t)j * ldb + i];
    double r = tu_fro(m, n, D, m > 0 ? m : 1);
    free(D);
    return r;
}

double tu_orth_err(int m, int k, const double *Q, int ldq)
{
    if (k == 0) return 0.0;
    double *G = tu_zeros(k, k);
    if (m > 0) cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, k, m, 1.0, Q, ldq, Q, ldq, 0.0, G, k);
    for (int i = 0; i < k; i++) G[(size_t)i * k + i] -= 1.0;
    double r = tu_fro(k, k, G, k);
    free(G);
    return r;
}

double *tu_matmul(int m, int n, int k, const double *A, int lda, const double *B, int ldb)
{
    double *C = tu_zeros(m, n);
    if (m > 0 && n > 0 && k > 0)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A, lda, B, ldb, 0.0, C, m);
    return C;
}

/* ------------------------------------------------------------ tolerances */

char *openblas_get_corename(void); /* OpenBLAS extension: the kernel that runs */

typedef struct {
    const char *file;
    int line;
    char what[96];
    double ratio, err, bound;
} tu_site_t;

static tu_site_t tu_sites[512];
static int tu_nsites;

static void tu_write_report(void)
{
    const char *path = getenv("TU_TOL_REPORT");
    if (!path || !*path) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    const char *core = openblas_get_corename();
    for (int i = 0; i < tu_nsites; i++)
        fprintf(f, "%s\t%s:%d\t%s\t%.3e\t%.3e\t%.3e\n", core ? core : "?", tu_sites[i].file,
                tu_sites[i].line, tu_sites[i].what, tu_sites[i].ratio, tu_sites[i].err, tu_sites[i].bound);
    fclose(f);
}

void tu_check_within_(double err, double bound, const char *file, int line, const char *fmt, ...)
{
    char what[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    double ratio = bound > 0 ? err / bound : (err == 0 ? 0.0 : INFINITY);
    if (ratio != ratio) ratio = INFINITY; /* NaN error */
    int i = 0;
    while (i < tu_nsites && !(tu_sites[i].line == line && strcmp(tu_sites[i].file, file) == 0)) i++;
    if (i == tu_nsites && tu_nsites < (int)(sizeof tu_sites / sizeof *tu_sites)) {
        if (tu_nsites == 0) atexit(tu_write_report);
        tu_sites[i].file = file;
        tu_sites[i].line = line;
        tu_sites[i].ratio = -INFINITY;
        tu_nsites++;
    }
    if (i < tu_nsites && ratio > tu_sites[i].ratio) {
        tu_sites[i].ratio = ratio;
        tu_sites[i].err = err;
        tu_sites[i].bound = bound;
        snprintf(tu_sites[i].what, sizeof tu_sites[i].what, "%s", what);
    }
    if (!(err <= bound))
        fail_msg("%s:%d: %s: error %.3e exceeds its bound %.3e (ratio %.2f)", file, line, what, err, bound, ratio);
}
