/*
 * bench_util.h — timing and allocation helpers shared by the native benchmark
 * drivers (bench_*.c). Include after defining _POSIX_C_SOURCE >= 199309L.
 */
#ifndef SKETCHLAB_BENCH_UTIL_H
#define SKETCHLAB_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Wall-clock seconds (monotonic). */
static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of this thread: what a run cost when other processes share the
 * cores (wall time then includes their time slices). The library is single
 * threaded; counting only this thread leaves out OpenBLAS's worker threads,
 * which may still spin after an error check outside the timed region. */
static inline double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* malloc that ends the benchmark with a message when memory runs out. */
static inline void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) { fprintf(stderr, "bench: out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

#endif
