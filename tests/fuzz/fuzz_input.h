/*
 * fuzz_input.h — shared input decoding for the libFuzzer harnesses in
 * tests/fuzz/ (header only: each harness is one translation unit).
 *
 * A fuzz input is read front to back as a byte stream; reading past its end
 * gives zeros, so every input is valid and short inputs mean "small, simple
 * problem". Sizes come from one byte each and stay small (a harness must run
 * thousands of times a second), but also reach the invalid values (-1, lda < m)
 * the library must reject. Matrices come in a few shapes that reach the
 * numerically interesting cases with few bytes: raw entries from a palette
 * that includes 0, NaN, ±Inf, DBL_MAX, DBL_MIN and subnormals; Gaussian;
 * exactly low rank; graded rows and columns; then a power-of-two scale and a
 * few special-value "pokes".
 *
 * A finding is reported with FZ_CHECK: it prints the broken invariant and
 * aborts, which libFuzzer records as a crash with the input that caused it.
 */
#ifndef SKETCHLAB_FUZZ_INPUT_H
#define SKETCHLAB_FUZZ_INPUT_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketchlab.h"

typedef struct {
    const uint8_t *p;
    size_t n, i;
} fz_in;

/* The main input matrix as it was before the call (fz_save), printed with a
 * finding so that it can be turned into a regression test directly. */
static double *fz_saved = NULL;
static int fz_saved_m = 0, fz_saved_n = 0;

static inline void fz_save(int m, int n, const double *A, int lda)
{
    free(fz_saved);
    fz_saved = NULL;
    fz_saved_m = fz_saved_n = 0;
    if (m <= 0 || n <= 0 || lda < m || m > 64 || n > 64) return;
    fz_saved = (double *)malloc((size_t)m * n * sizeof(double));
    if (!fz_saved) abort();
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) fz_saved[(size_t)j * m + i] = A[(size_t)j * lda + i];
    fz_saved_m = m;
    fz_saved_n = n;
}

static inline void fz_print_saved(void)
{
    if (!fz_saved) return;
    fprintf(stderr, "  input matrix %dx%d, column-major (%%a):\n", fz_saved_m, fz_saved_n);
    for (int j = 0; j < fz_saved_n; j++) {
        fprintf(stderr, "   ");
        for (int i = 0; i < fz_saved_m; i++) fprintf(stderr, " %a,", fz_saved[(size_t)j * fz_saved_m + i]);
        fprintf(stderr, "\n");
    }
}

#define FZ_CHECK(cond, ...)                                                   \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "fuzz invariant broken (%s:%d): %s\n  ", __FILE__, \
                    __LINE__, #cond);                                         \
            fprintf(stderr, __VA_ARGS__);                                     \
            fprintf(stderr, "\n");                                            \
            fz_print_saved();                                                 \
            abort();                                                          \
        }                                                                     \
    } while (0)

static inline uint8_t fz_u8(fz_in *in) { return in->i < in->n ? in->p[in->i++] : 0; }

static inline uint32_t fz_u32(fz_in *in)
{
    uint32_t v = 0;
    for (int b = 0; b < 4; b++) v |= (uint32_t)fz_u8(in) << (8 * b);
    return v;
}

/* An integer in [lo, hi] (one byte; hi − lo < 256 covers every use here). */
static inline int fz_range(fz_in *in, int lo, int hi)
{
    return lo + (int)(fz_u8(in) % (unsigned)(hi - lo + 1));
}

/* A size: mostly 0..maxv, byte 255 gives -1 (an invalid size). */
static inline int fz_size(fz_in *in, int maxv)
{
    uint8_t b = fz_u8(in);
    return b == 255 ? -1 : (int)(b % (unsigned)(maxv + 1));
}

/* A leading dimension for `rows` rows: usually max(1, rows) + 0..2, byte
 * value 0xF0 and up gives rows − 1 (invalid unless rows <= 1). */
static inline int fz_ld(fz_in *in, int rows)
{
    uint8_t b = fz_u8(in);
    int base = rows > 1 ? rows : 1;
    return b >= 0xF0 ? rows - 1 : base + (b % 3);
}

/* Elements a column-major buffer with leading dimension ld and n columns
 * needs (at least 1, so a pointer is always valid). */
static inline size_t fz_elems(int ld, int n)
{
    size_t l = ld > 1 ? (size_t)ld : 1, c = n > 1 ? (size_t)n : 1;
    return l * c;
}

static inline double *fz_alloc(size_t count)
{
    double *x = (double *)calloc(count ? count : 1, sizeof(double));
    if (!x) abort();
    return x;
}

/* A scalar from the palette: specials for bytes 0..15, otherwise a small
 * multiple of 1/8 (so exact zeros, ties and repeats are common). */
static inline double fz_real(fz_in *in)
{
    uint8_t c = fz_u8(in);
    if (c < 16) {
        static const double sp[16] = { 0.0, NAN, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX,
                                       DBL_MIN, 4.9e-324, 1e-300, 1e300, 1e154, 1e-154,
                                       -0.0, 1.0, 2.2250738585072009e-308, 0x1p-1022 };
        return sp[c];
    }
    return (double)(int8_t)fz_u8(in) / 8.0;
}

/* A power-of-two exponent for a whole matrix: usually 0, sometimes anything
 * in [-1070, 1020]. */
static inline int fz_scale_exp(fz_in *in)
{
    uint8_t b = fz_u8(in);
    if (b < 160) return 0;
    int e = ((int)b - 160) * 2090 / 95 - 1070;
    return e;
}

/* Fill the m×n matrix A (leading dimension lda >= m, lda*n entries allocated)
 * in one of the shapes described at the top. Non-positive sizes: nothing. */
static inline void fz_matrix(fz_in *in, int m, int n, double *A, int lda)
{
    if (m <= 0 || n <= 0 || lda < m) return;
    uint8_t mode = fz_u8(in) % 4;
    if (mode == 0) {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) A[(size_t)j * lda + i] = fz_real(in);
    } else {
        sk_rng_t rng;
        sk_rng_init(&rng, fz_u8(in), 7);
        for (int j = 0; j < n; j++) sk_rng_normal(&rng, m, A + (size_t)j * lda);
        if (mode == 2) {
            /* Exactly rank r: A = B·C with B m×r, C r×n Gaussian. */
            int r = fz_range(in, 0, 5);
            double *B = fz_alloc((size_t)m * (r ? r : 1)), *C = fz_alloc((size_t)(r ? r : 1) * n);
            sk_rng_normal(&rng, m * r, B);
            sk_rng_normal(&rng, r * n, C);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) {
                    double s = 0.0;
                    for (int t = 0; t < r; t++) s += B[(size_t)t * m + i] * C[(size_t)j * r + t];
                    A[(size_t)j * lda + i] = s;
                }
            free(B);
            free(C);
        } else if (mode == 3) {
            /* Graded: A(i,j) *= 2^(gr·i + gc·j), gr, gc in [-24, 24]. */
            int gr = fz_range(in, 0, 48) - 24, gc = fz_range(in, 0, 48) - 24;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                    A[(size_t)j * lda + i] = ldexp(A[(size_t)j * lda + i], gr * i + gc * j);
        }
    }
    int e = fz_scale_exp(in);
    if (e)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) A[(size_t)j * lda + i] = ldexp(A[(size_t)j * lda + i], e);
    int pokes = fz_u8(in) % 4;
    for (int t = 0; t < pokes; t++) {
        int i = fz_u8(in) % m, j = fz_u8(in) % n;
        A[(size_t)j * lda + i] = fz_real(in);
    }
}

/* Make the n×n matrix in A (lda) exactly symmetric from its lower triangle. */
static inline void fz_symmetrize(int n, double *A, int lda)
{
    for (int j = 0; j < n; j++)
        for (int i = j + 1; i < n; i++) A[(size_t)i * lda + j] = A[(size_t)j * lda + i];
}

static inline int fz_all_finite(size_t count, const double *x)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* max |A(i,j)| over the m×n matrix (NaN-blind). */
static inline double fz_maxabs(int m, int n, const double *A, int lda)
{
    double a = 0.0;
    if (m <= 0 || n <= 0 || lda < m) return 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) a = fmax(a, fabs(A[(size_t)j * lda + i]));
    return a;
}

/* 1 if the m×n matrix is finite and every non-zero |a_ij| is in [1e-100,
 * 1e100]: a range where sums of squares, products and quotients of entries
 * neither overflow nor underflow, so invariants on the outputs' finiteness
 * and residuals apply. Outside it the scale-safety work (issue 9 part 2)
 * owns the answers. */
static inline int fz_moderate(int m, int n, const double *A, int lda)
{
    if (m <= 0 || n <= 0 || lda < m) return 1;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double a = fabs(A[(size_t)j * lda + i]);
            if (!(a == 0.0 || (a >= 1e-100 && a <= 1e100))) return 0;
        }
    return 1;
}

/* 1 if v[0..k) are distinct integers in [0, n). */
static inline int fz_distinct_in_range(int k, const int *v, int n)
{
    if (k <= 0) return 1;
    unsigned char *seen = (unsigned char *)calloc((size_t)(n > 0 ? n : 1), 1);
    if (!seen) abort();
    int ok = 1;
    for (int i = 0; i < k && ok; i++) {
        if (v[i] < 0 || v[i] >= n || seen[v[i]]) ok = 0;
        else seen[v[i]] = 1;
    }
    free(seen);
    return ok;
}

#endif /* SKETCHLAB_FUZZ_INPUT_H */
