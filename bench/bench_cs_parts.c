/*
 * bench_cs_parts.c — where a CountSketch batch update's time goes (R = 7,
 * b = 1024, 10^7 updates over n = 10^6, the stream of bench_stream.c): the
 * hashing alone (locate_signed for every block and row, results discarded),
 * the scatter alone (every block's row scatter from precomputed buckets and
 * signed deltas held in L1), and the whole sk__cs_add_block, in both hash
 * modes, plus the floor (one sum over the arrays). It includes cs_kernel.c
 * itself so the static loops are timed exactly as the library compiles them;
 * build natively (`make build/bench/bench_cs_parts`: -O3, the library's
 * flags, not the -O2 of the other drivers) or with emcc (-msimd128 for the
 * SIMD loops):
 *   cc -O3 -ffp-contract=off -Ic/include -Ic/src/core bench/bench_cs_parts.c -o build/bench/bench_cs_parts
 *   emcc -O3 -msimd128 -ffp-contract=off -Ic/include -Ic/src/core -c bench/bench_cs_parts.c -o p.o &&
 *     emcc -O1 -msimd128 p.o -sINITIAL_MEMORY=256MB -o parts.js &&
 *     node --no-experimental-fetch --no-liftoff parts.js
 * --no-liftoff matters: every timed loop here sits in main(), which runs
 * once, and V8 only swaps in a function's optimized (TurboFan) code at its
 * next call, so without the flag the whole run is Liftoff's baseline code
 * (scatter 0.07 s instead of 0.034 s, the floor 0.021 instead of 0.0086 s;
 * the library's own loops are called per chunk and do tier up).
 * A developer's tool (not part of `make bench`); prints best-of-5 seconds
 * (CPU time). Emscripten 3.1.6's JS loader needs
 * `node --no-experimental-fetch` on Node 20; linking with -O1 skips its JS
 * optimizer (which needs acorn, not installed here).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../c/src/stream/cs_kernel.c"
#include "stream_floor.h"

#define T 10000000
#define NU 1000000
#define NR 7
#define NB 1024

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
/* The process's CPU time from Node (no CPU-time clock in Emscripten's libc). */
EM_JS(double, now, (void), { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; });
#else
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}
#endif

/* Outputs with external linkage, so the timed loops cannot be dropped. */
uint32_t g_bk[SK__BLK], g_fp[SK__BLK];
double g_sd[SK__BLK];
volatile double sink;

int main(void)
{
    uint32_t *key = malloc(sizeof(uint32_t) * T);
    double *dl = malloc(sizeof(double) * T);
    double *C = calloc((size_t)NR * NB, sizeof(double));
    if (!key || !dl || !C) return 1;
    unsigned x = 2463534242u;
    for (int t = 0; t < T; t++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        key[t] = x % NU;
        dl[t] = (double)((int)((x >> 8) % 21) - 10);
    }
    uint64_t s = 88172645463325252ull;
    sk_hash_t hb[2][NR], hs[2][NR];
    for (int m = 0; m < 2; m++)
        for (int r = 0; r < NR; r++) {
            hb[m][r].mode = hs[m][r].mode = m ? SK_HASH_FAST : SK_HASH_POLY;
            hb[m][r].k = m ? SK__CS_FAST_WORDS : 2;
            hs[m][r].k = m ? 1 : 4;
            for (int i = 0; i < SK_HASH_KMAX; i++) {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                hb[m][r].c[i] = m ? s : s % P61;
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                hs[m][r].c[i] = m ? s : s % P61;
            }
        }
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        sink = stream_floor_sum((const int *)key, dl, T);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    printf("floor   %.4f s\n", best);
    for (int m = 0; m < 2; m++) {
        const char *name = m ? "fast" : "poly";
        sk__cs cs = { .b = NB, .R = NR, .mode = m, .hb = hb[m], .hs = hs[m], .salt = (uint32_t)s, .C = C };
        /* hashing alone */
        best = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            double t0 = now();
            for (int t0b = 0; t0b < T; t0b += SK__BLK) {
                int n = T - t0b < SK__BLK ? T - t0b : SK__BLK;
                if (m) fingerprints(cs.salt, n, key + t0b, g_fp);
                for (int r = 0; r < NR; r++) locate_signed(&cs, r, n, key + t0b, g_fp, dl + t0b, g_bk, g_sd);
            }
            double dt = now() - t0;
            best = dt < best ? dt : best;
        }
        printf("%s hash    %.4f s\n", name, best);
        /* scatter alone: one precomputed block per row, scattered T/SK__BLK times */
        static uint32_t bk[NR][SK__BLK];
        static double sd[NR][SK__BLK];
        if (m) fingerprints(cs.salt, SK__BLK, key, g_fp);
        for (int r = 0; r < NR; r++) locate_signed(&cs, r, SK__BLK, key, g_fp, dl, bk[r], sd[r]);
        best = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            memset(C, 0, sizeof(double) * NR * NB);
            double t0 = now();
            for (int t0b = 0; t0b < T; t0b += SK__BLK)
                for (int r = 0; r < NR; r++) {
                    double *row = C + (size_t)r * NB;
                    for (int q = 0; q < SK__BLK; q++) row[bk[r][q]] += sd[r][q];
                }
            double dt = now() - t0;
            best = dt < best ? dt : best;
        }
        sink = C[3];
        printf("%s scatter %.4f s\n", name, best);
        /* the whole update */
        best = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            memset(C, 0, sizeof(double) * NR * NB);
            double t0 = now();
            for (int t0b = 0; t0b < T; t0b += SK__BLK)
                sk__cs_add_block(&cs, T - t0b < SK__BLK ? T - t0b : SK__BLK, key + t0b, dl + t0b);
            double dt = now() - t0;
            best = dt < best ? dt : best;
        }
        double f = 0;
        for (int i = 0; i < NR * NB; i++) f += C[i] * C[i];
        printf("%s total   %.4f s  (sum C^2 = %.17g)\n", name, best, f);
    }
    return 0;
}
