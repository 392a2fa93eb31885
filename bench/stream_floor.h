/*
 * stream_floor.h — the memory floor of the CountSketch benchmarks
 * (bench_stream.c, bench_cs_parts.c): the time to stream the same index and
 * delta arrays once, which the "native within 3x of the floor" target
 * compares the update with.
 */
#ifndef SKETCHLAB_BENCH_STREAM_FLOOR_H
#define SKETCHLAB_BENCH_STREAM_FLOOR_H

/* The memory floor of a CountSketch stream: one pass over its T indices and
 * deltas, summed. Eight independent sums, because a single one is a chain of
 * dependent additions (3-4 cycles each) that takes about twice as long as
 * streaming the 12·T bytes: measured 6.6-7.5 ms against 2.7-3.6 ms for
 * T = 10^7 on the Zen 5 (docs/PERFORMANCE.md, "The memory floor was
 * latency-bound"). Returns the sum, for the caller to keep. */
static inline double stream_floor_sum(const int *idx, const double *dl, int T)
{
    /* Named sums, not an array: at the drivers' -O2 GCC keeps an array of
     * sums in memory (5.0 ms instead of 3.2). */
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    int t = 0;
    for (; t + 8 <= T; t += 8) {
        a0 += dl[t] + (double)idx[t];         a1 += dl[t + 1] + (double)idx[t + 1];
        a2 += dl[t + 2] + (double)idx[t + 2]; a3 += dl[t + 3] + (double)idx[t + 3];
        a4 += dl[t + 4] + (double)idx[t + 4]; a5 += dl[t + 5] + (double)idx[t + 5];
        a6 += dl[t + 6] + (double)idx[t + 6]; a7 += dl[t + 7] + (double)idx[t + 7];
    }
    for (; t < T; t++) a0 += dl[t] + (double)idx[t];
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}

#endif
