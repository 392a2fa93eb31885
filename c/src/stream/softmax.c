/* softmax.c — exact sampling from softmax(ℓ) in log domain (spec §1.6):
 * inverse CDF, Gumbel-max, Walker–Vose alias table. */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "mathfn.h"
#include "stream_internal.h"

#define CHUNK 256

int sk_softmax_sample(int n, const double *logits, int method, int draws, sk_rng_t *rng, int *out)
{
    if (n < 1) return -1;
    if (!logits) return -2;
    if (method != SK_SOFTMAX_INVERSE && method != SK_SOFTMAX_GUMBEL && method != SK_SOFTMAX_ALIAS) return -3;
    if (draws < 0) return -4;
    if (!rng) return -5;
    if (draws > 0 && !out) return -6;
    double mx = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (!isfinite(logits[i])) return SK_ENONFINITE;
        if (logits[i] > mx) mx = logits[i];
    }
    if (draws == 0) return 0;
    double ubuf[CHUNK];
    if (method == SK_SOFTMAX_GUMBEL) {
        double *u = sk__alloc_doubles(n, 1);
        if (!u) return SK_ENOMEM;
        for (int t = 0; t < draws; t++) {
            sk_rng_uniform(rng, n, u);
            int best = 0; double bv = -INFINITY;
            for (int i = 0; i < n; i++) {
                double g = (logits[i] - mx) - sk__log(-sk__log(u[i]));
                if (g > bv) { bv = g; best = i; }
            }
            out[t] = best;
        }
        SK_FREE(u);
        return 0;
    }
    double *w = sk__alloc_doubles(n, 1);
    if (!w) return SK_ENOMEM;
    double W = 0;
    for (int i = 0; i < n; i++) { w[i] = exp(logits[i] - mx); W += w[i]; }  /* max term is 1: W >= 1 */
    if (method == SK_SOFTMAX_INVERSE) {
        for (int i = 1; i < n; i++) w[i] += w[i - 1];   /* cumulative */
        W = w[n - 1];
        for (int t = 0; t < draws; t++) {
            if (t % CHUNK == 0) sk_rng_uniform(rng, draws - t < CHUNK ? draws - t : CHUNK, ubuf);
            double target = ubuf[t % CHUNK] * W;
            int lo = 0, hi = n - 1;            /* first i with cw[i] >= target */
            while (lo < hi) { int mid = lo + (hi - lo) / 2; if (w[mid] >= target) hi = mid; else lo = mid + 1; }
            while (lo > 0 && w[lo] == w[lo - 1]) lo--;  /* never land on a zero-weight index */
            out[t] = lo;
        }
        SK_FREE(w);
        return 0;
    }
    /* Vose's alias method: prob[i] in [0,1], alias[i]. */
    double *prob = sk__alloc_doubles(n, 1);
    int *alias = sk__alloc_ints(n), *stack = sk__alloc_ints(n);
    if (!prob || !alias || !stack) { SK_FREE(w); SK_FREE(prob); SK_FREE(alias); SK_FREE(stack); return SK_ENOMEM; }
    int ns = 0, nl = n;  /* small ones grow from the front of stack, large ones from the back */
    for (int i = 0; i < n; i++) {
        prob[i] = w[i] * n / W;
        alias[i] = i;
        if (prob[i] < 1.0) stack[ns++] = i; else stack[--nl] = i;
    }
    while (ns > 0 && nl < n) {
        int s = stack[--ns], l = stack[nl++];
        alias[s] = l;
        prob[l] = (prob[l] + prob[s]) - 1.0;
        if (prob[l] < 1.0) stack[ns++] = l; else stack[--nl] = l;
    }
    while (ns > 0) prob[stack[--ns]] = 1.0;   /* round-off leftovers */
    while (nl < n) prob[stack[nl++]] = 1.0;
    for (int t = 0; t < draws; t++) {
        if (t % (CHUNK / 2) == 0) sk_rng_uniform(rng, 2 * (draws - t < CHUNK / 2 ? draws - t : CHUNK / 2), ubuf);
        int q = t % (CHUNK / 2);
        int col = (int)(ubuf[2 * q] * n);
        if (col >= n) col = n - 1;
        out[t] = ubuf[2 * q + 1] < prob[col] ? col : alias[col];
    }
    SK_FREE(w); SK_FREE(prob); SK_FREE(alias); SK_FREE(stack);
    return 0;
}
