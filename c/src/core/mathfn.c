/*
 * mathfn.c — deterministic log and sin/cos(2πu) for Box–Muller (mathfn.h).
 *
 * Why not libm: see mathfn.h. Everything here is a fixed sequence of
 * correctly rounded +, -, *, / on binary64, so native and wasm agree bit for
 * bit. Polynomials are plain truncated Taylor/atanh series (coefficients are
 * exact rationals times powers of 2π, rounded once to double and written as
 * hex literals so no decimal conversion is involved); they have more terms
 * than a minimax fit would need, which costs a few multiplies but leaves
 * nothing to tune. The error budget in each function is dominated by the final
 * addition, so the results are within 1 ulp.
 */
#include <math.h> /* HUGE_VAL and NAN only: constants, no libm calls */
#include <stdint.h>
#include <string.h>

#include "mathfn.h"

/*
 * GCC will not turn the selects of the batch functions (sk__log_n,
 * sk__sincos_2pi_n) into vector blends while it must preserve floating-point
 * traps (-ftrapping-math, its default). Nothing here depends on traps or on
 * exception flags, and the option changes no result (the tests pin the bits).
 * It is set for the whole file so that the shared kernels still inline into
 * the batch loops. Other compilers (clang: emscripten) vectorize as is.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

static uint64_t sk__bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double sk__from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* ------------------------------------------------------------------ log */

/*
 * ln 2 = LN2_HI + LN2_LO with LN2_HI carrying 29 significant bits, so k*LN2_HI
 * is exact for every binary exponent |k| < 2^11 and the only rounding of the
 * large part happens in the final sum.
 */
#define SK__LN2_HI 0x1.62e42ff000000p-1
#define SK__LN2_LO (-0x1.718432a1b0e26p-35)

/* Mantissa field of sqrt(2): above it, 1.m is folded to 1.m/2 in [1/√2, 1). */
#define SK__SQRT2_MANT 0x6a09e667f3bcdULL

/*
 * log(1 + f) + k ln 2 for f = y − 1, y in [1/√2, √2), and k an integer held
 * as a double.
 */
static inline double sk__log_core(double f, double dk)
{
    /*
     * log(1+f) = 2 atanh(s), s = f/(2+f) = 2s + s*R(s^2) with
     * R(z) = 2z/3 + 2z^2/5 + ... ; ten terms leave a truncation error below
     * 2^-60 relative for z <= 0.0295. Writing 2s = f - s*f and
     * hfsq = f^2/2 gives log(1+f) = f - (hfsq - s*(hfsq + R)), where the
     * correction to f is computed from small quantities and f is added last.
     */
    double s = f / (2.0 + f);
    double z = s * s;
    double R = z * (0x1.5555555555555p-1 +      /* 2/3  */
               z * (0x1.999999999999ap-2 +      /* 2/5  */
               z * (0x1.2492492492492p-2 +      /* 2/7  */
               z * (0x1.c71c71c71c71cp-3 +      /* 2/9  */
               z * (0x1.745d1745d1746p-3 +      /* 2/11 */
               z * (0x1.3b13b13b13b14p-3 +      /* 2/13 */
               z * (0x1.1111111111111p-3 +      /* 2/15 */
               z * (0x1.e1e1e1e1e1e1ep-4 +      /* 2/17 */
               z * (0x1.af286bca1af28p-4 +      /* 2/19 */
               z *  0x1.8618618618618p-4)))))))));  /* 2/21 */
    double hfsq = 0.5 * f * f;
    return dk * SK__LN2_HI - ((hfsq - (s * (hfsq + R) + dk * SK__LN2_LO)) - f);
}

double sk__log(double x)
{
    if (!(x > 0.0)) {
        /* log(0) = -inf; log(negative) = NaN; NaN propagates. */
        if (x == 0.0) return -HUGE_VAL;
        return x != x ? x : NAN;
    }
    uint64_t b = sk__bits(x);
    int e = (int)((b >> 52) & 0x7ff);
    if (e == 0x7ff) return x; /* +inf */
    int k = 0;
    if (e == 0) { /* subnormal: scale into the normal range exactly */
        x *= 0x1p54;
        b = sk__bits(x);
        e = (int)((b >> 52) & 0x7ff);
        k = -54;
    }
    uint64_t mant = b & 0x000fffffffffffffULL;
    k += e - 1023;
    /*
     * x = 2^k * y with y in [1/√2, √2): keeping y near 1 keeps f = y - 1
     * small (|s| <= 0.1716 below), so the series converges fast and the
     * k*ln2 and log(y) parts never cancel badly.
     */
    if (mant >= SK__SQRT2_MANT) {
        mant |= (uint64_t)1022 << 52; /* y = 1.m / 2 */
        k += 1;
    } else {
        mant |= (uint64_t)1023 << 52; /* y = 1.m */
    }
    double y = sk__from_bits(mant);
    return sk__log_core(y - 1.0, (double)k); /* y - 1 exact (Sterbenz) */
}

/*
 * The batch form (mathfn.h): the same reduction without branches, so that
 * the loop vectorizes. For a normal x > 0 with biased exponent e and
 * y = 1.m: k = e − 1023, folded (k + 1, y/2) when y >= √2 — exactly what
 * sk__log computes, with e and k held as doubles (exact small integers) and
 * y/2 as 0.5·y (exact), so the core sees the same f and k and returns the
 * same bits. Inputs outside the normal positive range go through sk__log.
 */
#define SK__EXP_MASK 0x7ff0000000000000ULL
#define SK__MANT_MASK 0x000fffffffffffffULL
#define SK__ONE_BITS 0x3ff0000000000000ULL
/* 2^52 as bits: OR-ing a value below 2^52 into its mantissa and subtracting
 * 2^52 converts that integer to double exactly. */
#define SK__TWO52_BITS 0x4330000000000000ULL


void sk__log_n(int n, const double *x, double *y)
{
    const double ysqrt2 = sk__from_bits(SK__ONE_BITS | SK__SQRT2_MANT);
    for (int i = 0; i < n; i++) {
        uint64_t b = sk__bits(x[i]);
        double e = sk__from_bits(SK__TWO52_BITS | (b >> 52)) - 0x1p52; /* sign, exponent */
        double m = sk__from_bits((b & SK__MANT_MASK) | SK__ONE_BITS); /* 1.m */
        /* Both candidates computed unconditionally, then selected: a pure
         * select the compiler can vectorize. */
        double half = 0.5 * m, e0 = e - 1023.0, e1 = e0 + 1.0;
        int fold = m >= ysqrt2;
        double yy = fold ? half : m;
        double dk = fold ? e1 : e0; /* (e − 1023) + 1 exactly as k + 1 */
        y[i] = sk__log_core(yy - 1.0, dk);
    }
    /* Zero, subnormal, negative, Inf and NaN inputs (never from the RNG). */
    for (int i = 0; i < n; i++) {
        uint64_t e = sk__bits(x[i]) & (SK__EXP_MASK | 0x8000000000000000ULL);
        if (e == 0 || e >= SK__EXP_MASK) y[i] = sk__log(x[i]);
    }
}

/* ------------------------------------------------------- sin, cos of 2πu */

/*
 * 2π = TWO_PI_HI + TWO_PI_LO (+ 4e-25 relative), TWO_PI_HI with 26 bits so
 * that its product with a 26-bit number is exact.
 * 2π² = TWO_PI2_HI + TWO_PI2_LO, same idea for the cos leading term.
 */
#define SK__TWO_PI_HI 0x1.921fb58000000p+2
#define SK__TWO_PI_LO (-0x1.dde973dcb3b3ap-25)
#define SK__TWO_PI2_HI 0x1.3bd3cc8000000p+4
#define SK__TWO_PI2_LO 0x1.be45de5a4adc5p-24

/*
 * Veltkamp split: x = hi + lo exactly, hi with 53 - s significant bits,
 * using sigma = 2^s + 1. Valid in round-to-nearest without overflow (|x| <= 1/8 here).
 */
static void sk__split(double x, double sigma, double *hi, double *lo)
{
    double c = sigma * x;
    double h = c - (c - x);
    *hi = h;
    *lo = x - h;
}

/*
 * sin(2πr) and cos(2πr) for |r| <= 1/8 (angle <= π/4).
 *
 * sin: 2πr = r_hi*TWO_PI_HI (exact: 26 x 26 bits) + a small correction; the
 * remaining series (2πr)^3/3! ... is at most 10% of the result, so its
 * rounding errors hardly matter, and the result has a single significant
 * rounding — the final add. Terms to (2πr)^17/17!: truncation < 2^-62 relative.
 *
 * cos: 1 - 2π²r² is where accuracy is lost (2π²r² reaches 0.31), so r² is
 * split as r_hi^2 (exact, r_hi with 13 bits) + r_lo*(r + r_hi), and
 * TWO_PI2_HI*r_hi^2 (26 x 26 bits) is exact; 1 - that is formed with its
 * rounding error recovered (Fast2Sum), leaving again one final rounding.
 * Terms to (2πr)^18/18!: truncation < 2^-68.
 */
static void sk__sincos_2pi_kernel(double r, double *s, double *c)
{
    double z = r * r;

    double rh, rl;
    sk__split(r, 0x1p27 + 1.0, &rh, &rl); /* rh: 26 bits */
    double ph = rh * SK__TWO_PI_HI;       /* exact */
    double ps = z * (-0x1.4abbce625be53p+5 +  /* -(2π)^3/3!  */
                z * ( 0x1.466bc6775aae2p+6 +  /*  (2π)^5/5!  */
                z * (-0x1.32d2cce62bd86p+6 +  /* -(2π)^7/7!  */
                z * ( 0x1.50783487ee782p+5 +  /*  (2π)^9/9!  */
                z * (-0x1.e3074fde8871fp+3 +  /* -(2π)^11/11! */
                z * ( 0x1.e8f434d018d63p+1 +  /*  (2π)^13/13! */
                z * (-0x1.6fadb9f155744p-1 +  /* -(2π)^15/15! */
                z *   0x1.aaec32af93359p-4))))))); /* (2π)^17/17! */
    double stail = (rl * SK__TWO_PI_HI + r * SK__TWO_PI_LO) + r * ps;
    *s = ph + stail;

    double qh, ql;
    sk__split(r, 0x1p40 + 1.0, &qh, &ql); /* qh: 13 bits */
    double wh = SK__TWO_PI2_HI * (qh * qh); /* exact: 26 bits x 26 bits */
    double wl = SK__TWO_PI2_HI * (ql * (r + qh)) + SK__TWO_PI2_LO * z;
    double h = 1.0 - wh;
    double herr = (1.0 - h) - wh;           /* exact, since 1 >= wh */
    double pc = z * z * ( 0x1.03c1f081b5ac4p+6 +  /*  (2π)^4/4!  */
                z * (-0x1.55d3c7e3cbffap+6 +  /* -(2π)^6/6!  */
                z * ( 0x1.e1f506891babbp+5 +  /*  (2π)^8/8!  */
                z * (-0x1.a6d1f2a204a8cp+4 +  /* -(2π)^10/10! */
                z * ( 0x1.f9d38a3763cc3p+2 +  /*  (2π)^12/12! */
                z * (-0x1.b6e24f44b128fp+0 +  /* -(2π)^14/14! */
                z * ( 0x1.20c62c2f2d7f5p-2 +  /*  (2π)^16/16! */
                z *  -0x1.2a0c591af8314p-5)))))));  /* -(2π)^18/18! */
    *c = h + ((herr - wl) + pc);
}

void sk__sincos_2pi(double u, double *s, double *c)
{
    /*
     * u = n/4 + r with n the nearest quarter turn: 4u is exact, n = round(4u)
     * and r = (4u - n)/4 are exact too (Sterbenz, then a power-of-two scale),
     * so the reduction adds no error and |r| <= 1/8. Ties (|4u - n| = 1/2)
     * stay with the lower n, which is harmless: the kernel is accurate at
     * |r| = 1/8 from both sides.
     */
    double q = 4.0 * u;
    int n = (int)q;            /* q in [0, 4]: truncation is floor */
    double fr = q - (double)n; /* exact */
    if (fr > 0.5) {
        n += 1;
        fr = q - (double)n;
    }
    double r = 0.25 * fr;
    double sr, cr;
    sk__sincos_2pi_kernel(r, &sr, &cr);
    switch (n & 3) {
    case 0: *s = sr;  *c = cr;  break;
    case 1: *s = cr;  *c = -sr; break; /* 2πu = π/2 + θ  */
    case 2: *s = -sr; *c = -cr; break; /* 2πu = π + θ    */
    default: *s = -cr; *c = sr; break; /* 2πu = 3π/2 + θ */
    }
}

/*
 * The batch form (mathfn.h): sk__sincos_2pi's reduction and quadrant
 * selection written with selects instead of branches (so the loop
 * vectorizes), around the same kernel; the same bits come out.
 */
void sk__sincos_2pi_n(int n, const double *u, double *s, double *c)
{
    for (int i = 0; i < n; i++) {
        /* n = floor(q) as in sk__sincos_2pi, but held as a double (q in
         * [0, 4]: (q + 2^52) − 2^52 rounds q to an integer exactly, one less
         * if that went up), so no int conversion stops the vectorizer. */
        double q = 4.0 * u[i];
        double kn = (q + 0x1p52) - 0x1p52;
        double km = kn - 1.0;
        double k = kn > q ? km : kn;
        double fr0 = q - k, k1 = k + 1.0;
        double fr1 = q - k1;
        int up = fr0 > 0.5;
        k = up ? k1 : k;
        double fr = up ? fr1 : fr0;
        double sr, cr;
        sk__sincos_2pi_kernel(0.25 * fr, &sr, &cr);
        /* Quadrant k mod 4 (k is 0..4, 4 only for u = 1):
         * (s, c) = (sr, cr), (cr, −sr), (−sr, −cr), (−cr, sr). */
        int odd = (k == 1.0) | (k == 3.0);
        int neg_s = (k == 2.0) | (k == 3.0), neg_c = (k == 1.0) | (k == 2.0);
        double a = odd ? cr : sr, b = odd ? sr : cr;
        double na = -a, nb = -b;
        s[i] = neg_s ? na : a;
        c[i] = neg_c ? nb : b;
    }
}
