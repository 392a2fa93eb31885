/*
 * sketchlab/core.h — status codes, error strings and library version.
 *
 * Every public sketchlab function returns an int status:
 *   0            success;
 *   -i (i >= 1)  argument i (1-based, in the order of the prototype) is invalid,
 *                as LAPACK's INFO = -i;
 *   > 0          a named condition below (SK_ENOMEM, SK_ENOTPD, ...).
 * No library function aborts, exits, asserts or prints: in WebAssembly an abort
 * kills the instance, so every failure comes back as a status.
 *
 * Storage convention (all modules): column-major, each matrix followed by its
 * leading dimension ld >= max(1, rows); dimensions first, outputs last.
 */
#ifndef SKETCHLAB_CORE_H
#define SKETCHLAB_CORE_H

#ifdef __cplusplus
extern "C" {
#endif

#define SK_VERSION_MAJOR 0
#define SK_VERSION_MINOR 1
#define SK_VERSION_PATCH 0

/* Named positive status codes. Keep in sync with sk_strerror and wasm/src/errors.js. */
enum {
    SK_OK = 0,
    SK_ENOMEM = 1,   /* an allocation failed or its size overflowed size_t    */
    SK_ENOTPD = 2,   /* matrix is not (numerically) positive definite          */
    SK_ESINGULAR = 3,/* exactly singular pivot (U(i,i) == 0) in LU            */
    SK_ENOCONV = 4,  /* an iteration did not converge within its sweep limit  */
    SK_ENONFINITE = 5,/* input contains NaN or Inf                            */
    SK_ERANK = 6,    /* requested rank is out of range                        */
    SK_EINVAL = 7,   /* invalid combination of arguments (see the function doc)*/
    SK_EFORMAT = 8,  /* serialized buffer truncated, corrupted or of another version */
    SK_EMISMATCH = 9 /* two sketches differ in seed, shape or hash mode (merge) */
};

/*
 * sk_strerror — a static, human-readable description of a status code.
 *   code  any value returned by a sketchlab function.
 * Returns a non-NULL pointer to a constant string; never fails.
 */
const char *sk_strerror(int code);

/* sk_version — SK_VERSION_MAJOR*10000 + MINOR*100 + PATCH. */
int sk_version(void);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_CORE_H */
