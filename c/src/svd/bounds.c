/*
 * bounds.c — canonical-angle bounds that need only numbers, not A: the
 * space-agnostic prior bounds (§1.3), the residual (§1.5) and subresidual
 * (§1.6) posterior bounds, and the (l, q) planners of §1.10.  See
 * svdsketch.h for the formulas.
 */
#include <float.h>
#include <math.h>

#include "internal.h"

static int sk__spec_check(int r, const double *sig)
{
    for (int i = 0; i < r; i++) {
        if (!isfinite(sig[i])) return 1;
        if (sig[i] < 0.0 || (i > 0 && sig[i] > sig[i - 1])) return 2;
    }
    return 0;
}

/* (1 + exp(x))^(-1/2) without overflow: exp(−x/2) once exp(x) dwarfs 1. */
static double sk__inv_sqrt1pexp(double x)
{
    if (x > 80.0) return exp(-0.5 * x);
    return 1.0 / sqrt(1.0 + exp(x));
}

int sk_angles_prior(int r, const double *sig, int k, int l, int t, double eps,
                    int conservative, double *sin_up, double *sin_lo)
{
    if (r < 2) return -1;
    if (!sig) return -2;
    if (k < 1 || k >= r) return SK_ERANK;
    if (l < k) return -4;
    if (t < 1) return -5;
    if (!(eps >= 0.0) || !isfinite(eps)) return -6;
    if (conservative != 0 && conservative != 1) return -7;
    if (!sin_up) return -8;
    int bad = sk__spec_check(r, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;

    /* The bounds depend on ratios of σ only: take logs of 2^-e·σ with σ_1 in
     * [1/2, 1) (exact), so the result does not depend on the scale of σ in
     * its last digits (log σ + e·ln 2 would round differently per scale). */
    int es = 0;
    if (sig[0] > 0.0) (void)frexp(sig[0], &es);
#define SK__LOGSIG(x) log(ldexp((x), -es))
    /* log T_t = log Σ_{j>k} σ_j^{2t} by log-sum-exp: σ^{2t} spans hundreds
     * of decades for large q (§1.3), where the notebook's clamping loses it. */
    const double tt = 2.0 * t;
    double lmax = -INFINITY;
    for (int j = k; j < r; j++)
        if (sig[j] > 0.0) lmax = SK__MAX(lmax, tt * SK__LOGSIG(sig[j]));
    if (lmax == -INFINITY) {
        /* Zero tail: range(X) contains U_k exactly (if σ_i > 0). */
        for (int i = 0; i < k; i++) {
            sin_up[i] = sig[i] > 0.0 ? 0.0 : 1.0;
            if (sin_lo) sin_lo[i] = sin_up[i];
        }
        return 0;
    }
    double acc = 0.0;
    for (int j = k; j < r; j++)
        if (sig[j] > 0.0) acc += exp(tt * SK__LOGSIG(sig[j]) - lmax);
    const double logT = lmax + log(acc);

    const double dk = eps * sqrt((double)k / l);
    double dl, cup, clo_den;
    if (conservative) {
        /* Stable rank of the powered tail, s_t = T_t/σ_{k+1}^{2t} (>= 1). */
        double st = exp(logT - tt * SK__LOGSIG(sig[k]));
        dl = eps * sqrt((double)l / st);
        cup = (1.0 - dk) * (1.0 - dk) / ((1.0 + dl) * (1.0 + dl));
        if (dk >= 1.0) cup = 0.0;
        clo_den = dl < 1.0 ? (1.0 - dl) * (1.0 - dl) : 0.0;
    } else {
        dl = eps * sqrt((double)l / (r - k));
        cup = (1.0 - dk) / (1.0 + dl);
        clo_den = 1.0 - dl;
    }
    const double clo_num = conservative ? (1.0 + dk) * (1.0 + dk) : 1.0 + dk;
    for (int i = 0; i < k; i++) {
        double li = sig[i] > 0.0 ? tt * SK__LOGSIG(sig[i]) - logT : -INFINITY;
        sin_up[i] = (cup > 0.0 && li > -INFINITY) ? sk__inv_sqrt1pexp(log(cup * l) + li) : 1.0;
        if (sin_lo) {
            if (clo_den > 0.0 && li > -INFINITY)
                sin_lo[i] = sk__inv_sqrt1pexp(log(clo_num / clo_den * l) + li);
            else
                sin_lo[i] = li > -INFINITY ? 0.0 : 1.0;
        }
    }
#undef SK__LOGSIG
    return 0;
}

int sk_angles_residual(int k, const double *sig, double normE, const double *svE,
                       double *sin_up)
{
    if (k < 1) return -1;
    if (!sig) return -2;
    if (!(normE >= 0.0) && !isnan(normE)) return -3;
    if (!sin_up) return -5;
    if (isnan(normE) || !isfinite(normE)) return SK_ENONFINITE;
    int bad = sk__spec_check(k, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;
    if (svE)
        for (int i = 0; i < k; i++) {
            if (!isfinite(svE[i])) return SK_ENONFINITE;
            if (svE[i] < 0.0) return -4;
        }
    const double sk = sig[k - 1];
    for (int i = 0; i < k; i++) {
        double b = sig[i] > 0.0 ? normE / sig[i] : 1.0;
        if (svE && sk > 0.0) b = SK__MIN(b, svE[k - 1 - i] / sk);
        sin_up[i] = SK__MIN(1.0, b);
    }
    return 0;
}

/* A non-negative number f·2^e with f in [1/2, 1) or f = 0 (e = 0): products
 * and quotients of such never over- or underflow (e is an int), so a bound
 * like ε3·ε33/(σ_i·σ_k·D) is rounded once, at the end. */
typedef struct { double f; int e; } sk__fe;

static sk__fe sk__fe_of(double x)
{
    int e = 0;
    double f = frexp(x, &e);
    sk__fe r = { f, f == 0.0 ? 0 : e };
    return r;
}

static sk__fe sk__fe_mul(sk__fe a, sk__fe b)
{
    sk__fe r = sk__fe_of(a.f * b.f); /* in [1/4, 1): exact renormalization */
    if (r.f != 0.0) r.e += a.e + b.e;
    return r;
}

/* a / b for b > 0. */
static sk__fe sk__fe_div(sk__fe a, sk__fe b)
{
    sk__fe r = sk__fe_of(a.f / b.f); /* in (1/2, 2) */
    if (r.f != 0.0) r.e += a.e - b.e;
    return r;
}

/* sqrt(a² + b²), scaled by the larger exponent (the smaller term may flush to 0). */
static sk__fe sk__fe_hypot(sk__fe a, sk__fe b)
{
    if (a.f == 0.0) return b;
    if (b.f == 0.0) return a;
    int e = SK__MAX(a.e, b.e);
    sk__fe r = sk__fe_of(hypot(ldexp(a.f, a.e - e), ldexp(b.f, b.e - e)));
    r.e += e;
    return r;
}

/* The value as a double (0 below the subnormals; callers keep it below 1 or clip). */
static double sk__fe_value(sk__fe a) { return a.e > 1024 ? INFINITY : ldexp(a.f, a.e); }

/* min(1, value). */
static double sk__fe_clip1(sk__fe a) { return a.e >= 1 ? 1.0 : ldexp(a.f, a.e); }

int sk_angles_subres(int k, const double *sig, double sh_k1, double eps3, double eps32,
                     double eps33, double *u_l, double *v_l, double *u_k, double *v_k,
                     int *applicable)
{
    if (k < 1) return -1;
    if (!sig) return -2;
    if (!applicable) return -11;
    const double in[4] = { sh_k1, eps3, eps32, eps33 };
    for (int j = 0; j < 4; j++) {
        if (isnan(in[j]) || !isfinite(in[j])) return SK_ENONFINITE;
        if (in[j] < 0.0) return -(3 + j);
    }
    int bad = sk__spec_check(k, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;

    const double sk = sig[k - 1];
    /* Gap conditions (§1.6).  Outside them the formula turns negative or
     * meaningless: report "no bound" as NaN + flag, never a number. */
    *applicable = (sk > eps33 && sk > sh_k1) ? 1 : 0;
    /* The ratios ε3/σ_i, ε32/σ_i, ε33/σ_k, σ̂_{k+1}/σ_k over- or underflow
     * when σ spans the exponent range (a subnormal σ_k with ε3 ~ 10 gives
     * Inf·0 = NaN: fuzz finding, issue 9). They are carried as f·2^e
     * (sk__fe) and the product is rounded once at the end, clipped to 1.
     * (1−a)(1+a) is the accurate 1 − a² for a = ε33/σ_k < 1. */
    sk__fe A = sk__fe_of(0.0), B = A, E3 = A;
    if (*applicable) { /* then σ_i >= σ_k > 0 */
        A = sk__fe_div(sk__fe_of(eps33), sk__fe_of(sk));
        B = sk__fe_div(sk__fe_of(sh_k1), sk__fe_of(sk));
        E3 = sk__fe_div(sk__fe_of(eps3), sk__fe_of(sk));
    }
    const double a = sk__fe_value(A), bb = sk__fe_value(B); /* < 1 */
    const sk__fe da = sk__fe_of((1.0 - a) * (1.0 + a)), db = sk__fe_of((1.0 - bb) * (1.0 + bb));
    for (int i = 0; i < k; i++) {
        if (!*applicable) {
            if (u_l) u_l[i] = NAN;
            if (v_l) v_l[i] = NAN;
            if (u_k) u_k[i] = NAN;
            if (v_k) v_k[i] = NAN;
            continue;
        }
        const sk__fe ri = sk__fe_div(sk__fe_of(eps3), sk__fe_of(sig[i]));
        const sk__fe r32 = sk__fe_div(sk__fe_of(eps32), sk__fe_of(sig[i]));
        const sk__fe e3da = sk__fe_div(E3, da);
        if (u_l) u_l[i] = sk__fe_clip1(sk__fe_div(ri, da));
        if (v_l) v_l[i] = sk__fe_clip1(sk__fe_div(sk__fe_mul(ri, A), da));
        if (u_k)
            u_k[i] = sk__fe_clip1(sk__fe_mul(sk__fe_hypot(sk__fe_of(1.0), sk__fe_div(sk__fe_mul(r32, B), db)), e3da));
        if (v_k) v_k[i] = sk__fe_clip1(sk__fe_mul(sk__fe_hypot(A, sk__fe_div(r32, db)), e3da));
    }
    return 0;
}

int sk_rsvd_plan_phi(double alpha, double beta, double gamma, double g, int qmax,
                     double *phi, int *qbest)
{
    if (!(alpha > 0.0) || !isfinite(alpha)) return -1;
    if (!(beta > 0.0) || !isfinite(beta)) return -2;
    if (!(gamma >= 0.0) || !isfinite(gamma)) return -3;
    if (!(g >= 1.0) || !isfinite(g)) return -4;
    if (qmax < 0) return -5;
    if (!phi) return -6;
    if (!qbest) return -7;
    *qbest = -1;
    for (int q = 0; q <= qmax; q++) {
        const double s = sqrt(2.0 * q + 1.0);
        const double num = sqrt(alpha / beta) / s - gamma / sqrt(beta);
        const double den = sqrt(beta / alpha) * s + gamma;
        if (!(2.0 * q + 1.0 < alpha / (gamma * gamma)) || !(num > 0.0)) { phi[q] = NAN; continue; }
        /* g^{4q+2} in logarithms: it overflows for q in the hundreds. */
        phi[q] = sk__inv_sqrt1pexp(log(num / den) + (4.0 * q + 2.0) * log(g));
        if (*qbest < 0 || phi[q] < phi[*qbest]) *qbest = q;
    }
    return 0;
}

int sk_rsvd_plan(int r, const double *sig, int k, int budget, int qmax, double eps,
                 int ntrial, sk_rng_t *rng, int *lq, double *score, int *qbest)
{
    if (r < 2) return -1;
    if (!sig) return -2;
    if (k < 1 || k >= r) return SK_ERANK;
    if (budget < k) return -4;
    if (qmax < 0) return -5;
    if (!(eps >= 0.0) || !isfinite(eps)) return -6;
    if (ntrial < 0) return -7;
    if (ntrial > 0 && !rng) return -8;
    if (!lq) return -9;
    if (!score) return -10;
    if (!qbest) return -11;
    int bad = sk__spec_check(r, sig);
    if (bad == 1) return SK_ENONFINITE;
    if (bad == 2) return -2;

    double *buf = sk__alloc_doubles(k, 1);
    if (!buf) return SK_ENOMEM;
    int info = 0;
    *qbest = -1;
    for (int q = 0; q <= qmax && !info; q++) {
        const int l = SK__MIN(budget / (2 * q + 1), r);
        lq[q] = l;
        score[q] = NAN;
        if (l < k) continue;
        if (ntrial > 0)
            info = sk_angles_mc(r, sig, k, l, 2 * q + 1, ntrial, rng, buf, NULL, NULL);
        else
            info = sk_angles_prior(r, sig, k, l, 2 * q + 1, eps, 0, buf, NULL);
        if (info) break;
        score[q] = buf[k - 1];
        if (*qbest < 0 || score[q] < score[*qbest]) *qbest = q;
    }
    SK_FREE(buf);
    return info;
}
