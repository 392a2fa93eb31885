/*
 * internal.h — private helpers shared by the library's translation units.
 * Not installed; nothing here is part of the public API (private names use the
 * sk__ prefix, stb style).
 */
#ifndef SKETCHLAB_INTERNAL_H
#define SKETCHLAB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sketchlab.h"

/*
 * Allocation goes through these macros so that an embedder (or a test that
 * injects failures) can replace them. Define SK_MALLOC/SK_FREE before
 * compiling the library to override.
 */
#ifndef SK_MALLOC
#define SK_MALLOC(size) malloc(size)
#endif
#ifndef SK_FREE
#define SK_FREE(ptr) free(ptr)
#endif

/*
 * sk__alloc_doubles — allocate count1*count2 doubles, with every product checked
 * for size_t overflow (wasm32 has a 32-bit size_t). Negative counts, overflow
 * and allocation failure all return NULL. A zero-sized request returns a
 * valid 1-byte block so that callers can treat NULL as failure uniformly.
 */
static inline double *sk__alloc_doubles(long long count1, long long count2)
{
    if (count1 < 0 || count2 < 0) return NULL;
    unsigned long long c1 = (unsigned long long)count1, c2 = (unsigned long long)count2;
    unsigned long long limit = (unsigned long long)SIZE_MAX / sizeof(double);
    if (c1 != 0 && c2 > limit / c1) return NULL;
    size_t bytes = (size_t)(c1 * c2) * sizeof(double);
    return (double *)SK_MALLOC(bytes ? bytes : 1);
}

/* Same for ints. */
static inline int *sk__alloc_ints(long long count)
{
    if (count < 0) return NULL;
    if ((unsigned long long)count > (unsigned long long)SIZE_MAX / sizeof(int)) return NULL;
    size_t bytes = (size_t)count * sizeof(int);
    return (int *)SK_MALLOC(bytes ? bytes : 1);
}

#define SK__MIN(a, b) ((a) < (b) ? (a) : (b))
#define SK__MAX(a, b) ((a) > (b) ? (a) : (b))

/* Column-major element access: A(i, j) with leading dimension ld. */
#define SK__AT(A, ld, i, j) ((A)[(size_t)(j) * (size_t)(ld) + (size_t)(i)])

/*
 * sk__colnorm2_amax (linalg/norms.c) — one pass over A (m×n, ld lda): squared
 * column norms as plain sums of squares, colnorm2[j] = (s0 + s1) + (s2 + s3)
 * with s_r summing rows i ≡ r (mod 4) in order (the tail rows past the last
 * multiple of 4 go to s0), on two-lane vectors; returns max |a_ij|. Not scaled:
 * a sum overflows to Inf for huge entries, and NaN/Inf entries make it
 * non-finite (NaN entries are ignored by the max). Bitwise the same in every
 * build (no FMA, fixed order).
 */
double sk__colnorm2_amax(int m, int n, const double *A, int lda, double *colnorm2);

#endif /* SKETCHLAB_INTERNAL_H */
