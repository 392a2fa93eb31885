/*
 * angles_xnum.h — the number format of the wide-range path of
 * sk_angles_exact (angles_wide.c, angles_xqr.c): a vector is a mantissa
 * vector (largest |entry| in [1/2, 1)) times its own power of two 2^e, e a
 * long long, so no scaling of the data over- or underflows and a power-of-two
 * scaling of σ or G only shifts exponents (changes no mantissa bit). Plain
 * doubles and ldexp/frexp only (no long double): native and wasm agree bit
 * for bit. Private.
 */
#ifndef SKETCHLAB_SVD_ANGLES_XNUM_H
#define SKETCHLAB_SVD_ANGLES_XNUM_H

#include <limits.h>
#include <math.h>

#define SK__XZERO LLONG_MIN /* exponent of an all-zero vector */

/* x·2^e for any e: beyond ±3000 the result is 0 (|x| <= 2^1024) or ±Inf. */
static inline double sk__ldexpx(double x, long long e)
{
    if (e > 3000) e = 3000;
    if (e < -3000) e = -3000;
    return ldexp(x, (int)e);
}

/* y (n) := y·2^-s with max |y| in [1/2, 1), e += s; all zero: e = SK__XZERO. */
static inline void sk__xnormalize(int n, double *y, long long *e)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++) mx = fmax(mx, fabs(y[i]));
    if (mx == 0.0) {
        *e = SK__XZERO;
        return;
    }
    int s;
    (void)frexp(mx, &s);
    if (s)
        for (int i = 0; i < n; i++) y[i] = ldexp(y[i], -s);
    *e += s;
}

/* ‖y‖ for mantissas (entries at most 1: the squares of the largest do not
 * underflow, those below 2^-537 add nothing). */
static inline double sk__xnrm(int n, const double *y)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += y[i] * y[i];
    return sqrt(s);
}

/* The value |m|·2^e as an exact ordering key (exponent, mantissa in
 * [1/2, 1)): comparisons without log2, whose last bits differ between libms
 * (native glibc, wasm musl), so that pivots and orders agree bit for bit. */
typedef struct {
    long long e;
    double m;
} sk__xkey;

static inline sk__xkey sk__xkey_of(double m, long long e)
{
    sk__xkey k = { SK__XZERO, 0.0 };
    if (m == 0.0 || e == SK__XZERO) return k;
    int f;
    k.m = frexp(fabs(m), &f);
    k.e = e + f;
    return k;
}

static inline int sk__xkey_less(sk__xkey a, sk__xkey b)
{
    return a.e < b.e || (a.e == b.e && a.m < b.m);
}

/* sqrt(a² + b²) without over/underflow, from +, *, / and sqrt only (all
 * correctly rounded in IEEE 754): the same bits native and wasm (libm's
 * hypot is not the same function in glibc and musl). */
static inline double sk__xhypot(double a, double b)
{
    a = fabs(a);
    b = fabs(b);
    const double mx = a > b ? a : b, mn = a > b ? b : a;
    if (mx == 0.0) return 0.0;
    const double q = mn / mx;
    return mx * sqrt(1.0 + q * q);
}

/*
 * sk__xqrcp — Householder QR with column pivoting of the m×n matrix whose
 * column j is Y(:, j)·2^e[j] (Y ld m), the rows first sorted by decreasing
 * largest entry when sortrows (Powell–Reid / Cox–Higham: row sorting plus
 * column pivoting makes Householder QR row-wise backward stable, so rows of
 * very different size keep their relative accuracy). With mn = min(m, n):
 *   Y·Π (rows in the order rp) = Q·R,  R mn×n upper trapezoidal.
 *   [in,out] Y   on exit the Householder vectors v_i = [1; Y(i+1:m, i)]
 *                (scale-free mantissas) in the strict lower part, rows in rp order.
 *   [in,out] e   column exponents, permuted with the columns (Π).
 *   [out] rp     m row indices (the order used; identity unless sortrows).
 *   [out] cp     n column indices: column j of Y·Π is column cp[j] of the input.
 *   [out] tau    mn Householder scalars (0 for a step with a zero column).
 *   [out] Rm, Re R(i, j) = Rm[j·n + i]·2^Re[j·n + i] (n×n, ld n; below the
 *                diagonal and past the rank: 0 and SK__XZERO).
 *   [out] rank   the number of steps with a nonzero pivot column (the rest of
 *                R is exactly zero).
 * Returns 0 or SK_ENOMEM.
 */
int sk__xqrcp(int m, int n, double *Y, long long *e, int sortrows, int *rp, int *cp, double *tau,
              double *Rm, long long *Re, int *rank);

/*
 * sk__xqr_applyt — A := Qᵀ·A (rows of A in the original order on entry, in
 * the order rp on exit) for the reflectors of sk__xqrcp(m, ·, ...), nsteps
 * of them; A m×na column mantissas (ld m) times 2^ea[j], renormalized.
 * Returns 0 or SK_ENOMEM.
 */
int sk__xqr_applyt(int m, int nsteps, const double *V, const double *tau, const int *rp, int na,
                   double *A, long long *ea);

#endif
