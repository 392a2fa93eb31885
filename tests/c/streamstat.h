/*
 * streamstat.h — goodness-of-fit helpers for the stream-module tests:
 * chi-square p-values (regularized upper incomplete gamma), pooled
 * chi-square tests, total variation and its multinomial-noise baseline.
 */
#ifndef SKETCHLAB_STREAMSTAT_H
#define SKETCHLAB_STREAMSTAT_H

#include <math.h>
#include <stdlib.h>

/* Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, Lentz continued fraction otherwise. */
static inline double ss_gammq(double a, double x)
{
    if (x <= 0) return 1.0;
    double gln = lgamma(a);
    if (x < a + 1) {
        double ap = a, sum = 1.0 / a, del = sum;
        for (int n = 0; n < 10000; n++) {
            ap += 1; del *= x / ap; sum += del;
            if (fabs(del) < fabs(sum) * 1e-15) break;
        }
        return 1.0 - sum * exp(-x + a * log(x) - gln);
    }
    double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b; if (fabs(d) < 1e-300) d = 1e-300;
        c = b + an / c; if (fabs(c) < 1e-300) c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15) break;
    }
    return exp(-x + a * log(x) - gln) * h;
}

/* Chi-square p-value of counts[k] against probabilities p[k] (sum 1), with
 * categories of expected count < 5 pooled into one. *df gets the degrees of freedom. */
static inline double ss_chisq_p(int k, const long *counts, const double *p, int *df_out)
{
    long N = 0;
    for (int i = 0; i < k; i++) N += counts[i];
    double chi = 0, pe = 0, po = 0;
    int cats = 0;
    for (int i = 0; i < k; i++) {
        double e = p[i] * N;
        if (e < 5) { pe += e; po += counts[i]; continue; }
        chi += (counts[i] - e) * (counts[i] - e) / e;
        cats++;
    }
    if (pe > 0) { chi += (po - pe) * (po - pe) / (pe > 1e-300 ? pe : 1e-300); cats++; }
    int df = cats - 1;
    if (df_out) *df_out = df;
    return df > 0 ? ss_gammq(df / 2.0, chi / 2.0) : 1.0;
}

/* TV distance between the empirical law counts/N and p. */
static inline double ss_tv(int k, const long *counts, const double *p)
{
    long N = 0;
    for (int i = 0; i < k; i++) N += counts[i];
    double tv = 0;
    for (int i = 0; i < k; i++) tv += fabs((double)counts[i] / N - p[i]);
    return tv / 2;
}

/* Expected TV of an N-sample multinomial from p (normal approximation
 * E|X − Np| ≈ sqrt(2Np(1−p)/π)): what pure sampling noise gives. */
static inline double ss_tv_baseline(int k, const double *p, long N)
{
    double s = 0;
    for (int i = 0; i < k; i++) s += sqrt(2 * p[i] * (1 - p[i]) / (3.14159265358979323846 * N));
    return s / 2;
}

/* counts concentrated on one item (the "most frequent item" trivial estimator). */
static inline double ss_trivial_p(int k, const double *p, long N)
{
    long *c = calloc((size_t)k, sizeof *c);
    int best = 0;
    for (int i = 1; i < k; i++) if (p[i] > p[best]) best = i;
    c[best] = N;
    double pv = ss_chisq_p(k, c, p, NULL);
    free(c);
    return pv;
}

#endif

/* Two-sample chi-square p-value (are counts a and b draws from one law?). */
static inline double ss_chisq2_p(int k, const long *a, const long *b)
{
    long Na = 0, Nb = 0;
    for (int i = 0; i < k; i++) { Na += a[i]; Nb += b[i]; }
    double ra = sqrt((double)Nb / Na), rb = sqrt((double)Na / Nb), chi = 0;
    int cats = 0;
    for (int i = 0; i < k; i++) {
        if (a[i] + b[i] == 0) continue;
        double d = a[i] * ra - b[i] * rb;
        chi += d * d / (a[i] + b[i]);
        cats++;
    }
    return cats > 1 ? ss_gammq((cats - 1) / 2.0, chi / 2.0) : 1.0;
}
