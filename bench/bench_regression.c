/*
 * bench_regression.c — native timing of the softmax-regression solvers
 * (regression.h) on the performance case, and the problem the wasm
 * and NumPy benches read:
 *
 *   T2-like problem (sk_regression_problem kind 2, coherence 300, seed 2),
 *   n = 100000, d = 64 (ε = 0.5, δ = 0.01: s = ceil(64·ln(6400)/0.25) = 2244 draws).
 *
 * Writes (OUTDIR, default build/bench): reg_A.bin, reg_b.bin, reg_w.bin,
 * reg_x0.bin, reg_xstar.bin (raw little-endian float64, A column-major) and
 * reg.json {"n","d","seed"}.
 *
 * Prints one JSON line per case ("seconds": best wall time, "cpu_seconds":
 * best thread CPU time, robust when other processes share the cores):
 *   softmax-newton-iter   one exact-Newton iteration (the second step of a solver:
 *                         steady state, after the workspace has been touched once)
 *   softmax-sampled-iter  one sampled-Newton iteration, leverage scores of W·A
 *                         computed once at init (not timed here, §8.4)
 *   softmax-lev-once-exact / -sketch   that one-time setup (exact QR / sketched)
 *   softmax-newton-to-1e-8 / softmax-sampled-to-1e-8[-sketch]  time to
 *                         ‖x − x*‖ <= 1e-8 from x0, setup included
 *                         (x* from safeguarded Newton to a 1e-14 decrement).
 *
 * usage: bench_regression [-o OUTDIR] [-n N] [-d D] [-r REPS]
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sketchlab.h"
#include "bench_util.h"

static int n = 100000, d = 64, reps = 3;
static double *A, *b, *w, *x0, *xs;

static void write_bin(const char *dir, const char *name, const double *x, size_t count)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(x, sizeof *x, count, f) != count) { fprintf(stderr, "bench_regression: cannot write %s\n", path); exit(1); }
    fclose(f);
}

static sk_regression_opts_t opts(int method, int leverage, int flags, int max_iter, double tol)
{
    sk_regression_opts_t o = { 0 };
    o.method = method; o.leverage = leverage; o.flags = flags; o.max_iter = max_iter; o.tol = tol;
    o.eps = 0.5; o.delta = 0.01;
    return o;
}

static void check(int st, const char *what)
{
    if (st) { fprintf(stderr, "bench_regression: %s returned %d (%s)\n", what, st, sk_strerror(st)); exit(1); }
}

static void emit(const char *name, const char *impl, double sec, double cpu, int iters)
{
    printf("{\"name\":\"%s\",\"impl\":\"%s\",\"size\":%d,\"d\":%d,\"seconds\":%.6g,\"cpu_seconds\":%.6g,\"iterations\":%d}\n",
           name, impl, n, d, sec, cpu, iters);
    fflush(stdout);
}

/* Best time of one step of a solver created (untimed) with o. */
static void time_step(const char *name, const sk_regression_opts_t *o)
{
    double best = INFINITY, bestc = INFINITY;
    sk_rng_t rng;
    sk_rng_init(&rng, 11, 0);
    for (int r = 0; r < reps; r++) {
        sk_regression_t *h;
        check(sk_regression_init(n, d, A, n, b, w, x0, o, &h), "sk_regression_init");
        /* untimed first step: it touches the n·d workspace for the first time, and
           first-touch page faults (~150 ms for 51 MB on the test VM) are a one-time cost */
        check(sk_regression_step(h, &rng, NULL), "sk_regression_step");
        double t0 = now(), c0 = cpu_now();
        check(sk_regression_step(h, &rng, NULL), "sk_regression_step");
        double t = now() - t0, c = cpu_now() - c0;
        if (t < best) best = t;
        if (c < bestc) bestc = c;
        sk_regression_finish(h);
    }
    emit(name, "native", best, bestc, 1);
}

/* Best time of init + steps until ‖x − x*‖ <= 1e-8 (the check itself, O(d), is inside). */
static void time_to(const char *name, const sk_regression_opts_t *o)
{
    double best = INFINITY, bestc = INFINITY;
    int iters = -1;
    double *x = xmalloc(sizeof(double) * (size_t)d);
    for (int r = 0; r < reps; r++) {
        sk_rng_t rng;
        sk_rng_init(&rng, 11 + (uint64_t)r, 0);
        double t0 = now(), c0 = cpu_now();
        sk_regression_t *h;
        check(sk_regression_init(n, d, A, n, b, w, x0, o, &h), "sk_regression_init");
        int it = 0, why = 0;
        for (;;) {
            sk_regression_get(h, x, NULL, &it, &why);
            double e = 0;
            for (int j = 0; j < d; j++) e += (x[j] - xs[j]) * (x[j] - xs[j]);
            if (sqrt(e) <= 1e-8 || why != SK_REGRESSION_RUNNING) break;
            check(sk_regression_step(h, &rng, NULL), "sk_regression_step");
        }
        double t = now() - t0, c = cpu_now() - c0;
        sk_regression_finish(h);
        if (why != SK_REGRESSION_RUNNING && why != SK_REGRESSION_CONVERGED) { fprintf(stderr, "%s: stopped, reason %d\n", name, why); }
        if (t < best) best = t;
        if (c < bestc) bestc = c;
        iters = it;
    }
    emit(name, "native", best, bestc, iters);
    free(x);
}

int main(int argc, char **argv)
{
    const char *outdir = "build/bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-o")) outdir = argv[i + 1];
        else if (!strcmp(argv[i], "-n")) n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-d")) d = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-r")) reps = atoi(argv[i + 1]);
    }
    A = xmalloc(sizeof(double) * (size_t)n * d);
    b = xmalloc(sizeof(double) * (size_t)n);
    w = xmalloc(sizeof(double) * (size_t)n);
    x0 = xmalloc(sizeof(double) * (size_t)d);
    xs = xmalloc(sizeof(double) * (size_t)d);
    sk_rng_t rng;
    sk_rng_init(&rng, 2, 0);
    check(sk_regression_problem(2, n, d, 0.0, &rng, A, n, b, w, x0), "sk_regression_problem");
    sk_regression_opts_t o = opts(SK_REGRESSION_NEWTON, 0, SK_REGRESSION_SAFEGUARD, 100, 1e-14);
    int it, why;
    check(sk_regression_solve(n, d, A, n, b, w, x0, &o, NULL, xs, NULL, &it, &why), "x*");
    if (why != SK_REGRESSION_CONVERGED) { fprintf(stderr, "bench_regression: x* not converged (%d)\n", why); return 1; }
    write_bin(outdir, "reg_A.bin", A, (size_t)n * d);
    write_bin(outdir, "reg_b.bin", b, (size_t)n);
    write_bin(outdir, "reg_w.bin", w, (size_t)n);
    write_bin(outdir, "reg_x0.bin", x0, (size_t)d);
    write_bin(outdir, "reg_xstar.bin", xs, (size_t)d);
    char path[1024];
    snprintf(path, sizeof path, "%s/reg.json", outdir);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f, "{\"n\":%d,\"d\":%d,\"seed\":2}\n", n, d);
    fclose(f);

    sk_regression_opts_t newton = opts(SK_REGRESSION_NEWTON, 0, 0, 100, 0.0);
    sk_regression_opts_t sampled = opts(SK_REGRESSION_SAMPLED, SK_LEVERAGE_EXACT, SK_REGRESSION_LEV_ONCE, 100, 0.0);
    sk_regression_opts_t sampled_sk = opts(SK_REGRESSION_SAMPLED, SK_LEVERAGE_SKETCH, SK_REGRESSION_LEV_ONCE, 100, 0.0);
    time_step("softmax-newton-iter", &newton);
    time_step("softmax-sampled-iter", &sampled);
    /* the one-time setup: init with LEV_ONCE minus init without it */
    for (int k = 0; k < 2; k++) {
        sk_regression_opts_t with = k ? sampled_sk : sampled, without = with;
        without.flags = 0;
        double best = INFINITY, bestc = INFINITY;
        for (int r = 0; r < reps; r++) {
            sk_regression_t *h;
            double t0 = now(), c0 = cpu_now();
            check(sk_regression_init(n, d, A, n, b, w, x0, &with, &h), "init");
            double t1 = now(), c1 = cpu_now();
            sk_regression_finish(h);
            double t2 = now(), c2 = cpu_now();
            check(sk_regression_init(n, d, A, n, b, w, x0, &without, &h), "init");
            double t3 = now(), c3 = cpu_now();
            sk_regression_finish(h);
            best = fmin(best, (t1 - t0) - (t3 - t2));
            bestc = fmin(bestc, (c1 - c0) - (c3 - c2));
        }
        emit(k ? "softmax-lev-once-sketch" : "softmax-lev-once-exact", "native", best, bestc, 0);
    }
    time_to("softmax-newton-to-1e-8", &newton);
    time_to("softmax-sampled-to-1e-8", &sampled);
    time_to("softmax-sampled-to-1e-8-sketch", &sampled_sk);
    free(A); free(b); free(w); free(x0); free(xs);
    return 0;
}
