/*
 * scaled.c — standard attention when the plain evaluation overflows (issue 9).
 *
 * sk__attn_rows computes logits q·k_i in double; when some |q·k_i| is beyond
 * DBL_MAX (or Σ p_i v_i overflows) its output is Inf/NaN. The softmax itself is
 * still well defined: a logit difference beyond ~745 gives an exactly zero
 * weight, so the answer is (nearly always) one-hot on the max set. Here each
 * logit is kept as μ_i·2^G_i with μ_i in [1/2, 1): the dot product runs on
 * 2^-eq·q and 2^-e_i·k_i (exact powers of two, every term below 1 in
 * magnitude), differences ℓ_i − ℓ_max are formed at a common exponent and
 * overflow harmlessly to −Inf, and the weighted sum of the values runs on
 * 2^-e_j·V(:, j) per column. Called only after the fast path failed, so it
 * costs nothing on ordinary inputs.
 */
#include <math.h>

#include "attn_internal.h"

/* A logit as μ·2^G (μ = 0 for a zero logit). */
typedef struct { double mu; int g; } xlogit;

static int exponent_of(double a)
{
    int e = 0;
    if (a > 0.0) (void)frexp(a, &e);
    return e;
}

/* a − b as a double (saturating to ±Inf beyond the range). */
static double xdiff(xlogit a, xlogit b)
{
    if (a.mu == 0.0 && b.mu == 0.0) return 0.0;
    int G = a.mu == 0.0 ? b.g : b.mu == 0.0 ? a.g : (a.g > b.g ? a.g : b.g);
    double x = a.mu == 0.0 ? 0.0 : ldexp(a.mu, a.g - G); /* |x| <= 1; tiny parts underflow */
    double y = b.mu == 0.0 ? 0.0 : ldexp(b.mu, b.g - G);
    return ldexp(x - y, G);
}

int sk__attn_rows_scaled(long long N, int d, const double *qs, const double *K, const double *V,
                         double extra, double *out)
{
    for (long long i = 0; i < N * d; ++i)
        if (!isfinite(K[i]) || !isfinite(V[i])) return SK_ATTN_ERANGE; /* materialised k1∘k2 overflowed */
    double qmax = 0.0;
    for (int j = 0; j < d; ++j) qmax = fmax(qmax, fabs(qs[j]));
    if (!isfinite(qmax)) return SK_ATTN_ERANGE;
    int eq = exponent_of(qmax);
    xlogit *L = (xlogit *)SK_MALLOC((size_t)N * sizeof *L);
    double *p = sk__alloc_doubles(N, 1);
    if (!L || !p) { SK_FREE(L); SK_FREE(p); return SK_ENOMEM; }
    /* Logits and the max (a zero-logit "extra" row competes as μ = 0). */
    xlogit zero = { 0.0, 0 }, m = zero;
    int have = extra > 0;
    for (long long i = 0; i < N; ++i) {
        const double *k = K + (size_t)i * d;
        double kmax = 0.0;
        for (int j = 0; j < d; ++j) kmax = fmax(kmax, fabs(k[j]));
        int ek = exponent_of(kmax);
        double s = 0.0;
        for (int j = 0; j < d; ++j) s += ldexp(qs[j], -eq) * ldexp(k[j], -ek);
        int f = 0;
        double mu = frexp(s, &f);
        L[i].mu = mu;
        L[i].g = mu == 0.0 ? 0 : eq + ek + f;
        if (!have || xdiff(L[i], m) > 0.0) { m = L[i]; have = 1; }
    }
    /* Weights exp(ℓ_i − ℓ_max) in [0, 1], exactly 1 on the max set. */
    double Z = extra > 0 ? extra * exp(xdiff(zero, m)) : 0.0;
    for (long long i = 0; i < N; ++i) {
        p[i] = exp(xdiff(L[i], m));
        Z += p[i];
    }
    /* out_j = Σ p_i v_ij / Z on 2^-e_j·V(:, j), e_j from the rows that carry weight. */
    int st = 0;
    for (int j = 0; j < d; ++j) {
        double vmax = 0.0;
        for (long long i = 0; i < N; ++i) if (p[i] > 0.0) vmax = fmax(vmax, fabs(V[(size_t)i * d + j]));
        int ev = exponent_of(vmax);
        double acc = 0.0;
        for (long long i = 0; i < N; ++i) if (p[i] > 0.0) acc += p[i] * ldexp(V[(size_t)i * d + j], -ev);
        out[j] = ldexp(acc / Z, ev);
        if (!isfinite(out[j])) st = SK_ATTN_ERANGE; /* the mean itself beyond DBL_MAX (rounding at the edge) */
    }
    SK_FREE(L); SK_FREE(p);
    return st;
}
