/*
 * bench_attention.c — one tensor-attention decode query through each
 * evaluation (two-cache, naive four-cache, factored four-cache, streaming),
 * at the sizes given on the command line (default n = 512, d = 64), through
 * the KV caches exactly as a decoder would call them. Prints JSON lines
 * {"name":"attention-<eval>","impl":"native","size":n,"d":..,"seconds":..,"cpu_seconds":..,"words":..,"ops":..}.
 * Ratios between evaluations in one run are the result; absolute times
 * depend on the machine and its load (CPU time is reported beside wall time).
 *
 *   build/bench/bench_attention [n d] [reps]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>

#include "sketchlab.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[1]) : 512, d = argc > 2 ? atoi(argv[2]) : 64;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    sk_rng_t rng;
    sk_rng_init(&rng, 1, 0);
    double *X = xmalloc(sizeof(double) * 5 * (size_t)n * d), out[1024];
    sk_rng_normal_matrix(&rng, n, 5 * d, X, n);
    const double *K1 = X, *K2 = X + (size_t)n * d, *V1 = K2 + (size_t)n * d, *V2 = V1 + (size_t)n * d;
    const double *q = V2 + (size_t)n * d; /* first row of the fifth block: stride n */
    double qv[1024];
    for (int j = 0; j < d; ++j) qv[j] = q[(size_t)j * n];
    const struct { int kind, eval; const char *name; } cases[] = {
        { SK_KV_TWO, SK_TENSOR_TWO_CACHE, "two-cache" },
        { SK_KV_FOUR, SK_TENSOR_NAIVE, "naive" },
        { SK_KV_FOUR, SK_TENSOR_FACTORED, "factored" },
        { SK_KV_FOUR, SK_TENSOR_STREAMING, "streaming" },
    };
    for (int c = 0; c < 4; ++c) {
        sk_kvcache_t *cache;
        if (sk_kvcache_create(cases[c].kind, d, SK_KV_NO_WINDOW, 1.0 / d, n, &cache)) { fprintf(stderr, "bench: create failed\n"); return 1; }
        if (sk_kvcache_append(cache, n, K1, n, K2, n, V1, n, V2, n)) { fprintf(stderr, "bench: append failed\n"); return 1; }
        sk_kvcache_query(cache, cases[c].eval, qv, out); /* warm-up */
        double best = 1e300, bestcpu = 1e300;
        for (int r = 0; r < reps; ++r) {
            double t0 = now(), c0 = cpu_now();
            sk_kvcache_query(cache, cases[c].eval, qv, out);
            double t = now() - t0, tc = cpu_now() - c0;
            if (t < best) best = t;
            if (tc < bestcpu) bestcpu = tc;
        }
        double st[SK_KVSTAT_COUNT];
        sk_kvcache_stats(cache, st);
        printf("{\"name\":\"attention-%s\",\"impl\":\"native\",\"size\":%d,\"d\":%d,\"seconds\":%.6g,\"cpu_seconds\":%.6g,\"words\":%.0f,\"ops\":%.0f}\n",
               cases[c].name, n, d, best, bestcpu, st[SK_KVSTAT_WORDS], st[SK_KVSTAT_QUERY_OPS]);
        sk_kvcache_destroy(cache);
    }
    free(X);
    return 0;
}
