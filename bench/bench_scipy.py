#!/usr/bin/env python3
"""bench_scipy.py — SciPy's randomized interpolative decomposition on the
matrix bench_pivoting writes (the pivoting issue's baseline, specs/pivoting.md).

    python3 bench/bench_scipy.py [OUTDIR] [SEEDS] [TIMED]   (default build/bench 3 10)

Reads OUTDIR/pivot-exp-2000.json and the raw column-major float64 matrix it
names, times scipy.linalg.interpolative.interp_decomp(A, k, rand=True) on ONE
thread, reconstructs A(:,idx[:k])·[I, proj] permuted back
(reconstruct_matrix_from_id) and prints one JSON line per case, as
bench_pivoting.c does:
  {"name":"id-exp","impl":"scipy-id","size":2000,"seconds":..,"rank":100,
   "err_ratio":..,"err_ratio_min":..,"seeds":3,"reps":10}
Run r seeds SciPy's ID generator with 1000 + (r mod SEEDS); err_ratio =
||A − A(:,S)T||_F² / optimal squared tail, the worst over the seeds; seconds
is the best wall time of TIMED runs (the machine may be shared) and
cpu_seconds the best CPU time of the calling thread (time.thread_time; BLAS
runs on that thread with one BLAS thread). Also "scipy-id-det"
(rand=False, the deterministic CPQR-based ID) for context. With
BENCH_SCIPY_TAG=t set, only the randomized ID runs, as impl "scipy-id-t" (run.mjs
uses t = prescott with OPENBLAS_CORETYPE=Prescott).
"""
import os

# One thread, set before numpy loads its BLAS.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg.interpolative as sli  # noqa: E402


def load(outdir, meta_name):
    with open(os.path.join(outdir, meta_name)) as f:
        meta = json.load(f)
    m, n = meta["m"], meta["n"]
    raw = np.fromfile(os.path.join(outdir, meta["file"]), dtype="<f8", count=m * n)
    if raw.size != m * n:
        raise SystemExit(f"bench_scipy: {meta['file']} is short")
    return meta, np.asfortranarray(raw.reshape((n, m)).T)  # column-major m×n


def bench(A, k, opt_tail, rand, seeds, timed):
    best, best_cpu, errs, spent, runs = float("inf"), float("inf"), [], 0.0, 0
    nseeds = seeds if rand else 1
    for rep in range(max(timed if rand else min(timed, 3), nseeds, 2)):
        if rand:
            sli.seed(1000 + rep % nseeds)
        c0, t0 = time.thread_time(), time.perf_counter()
        idx, proj = sli.interp_decomp(A, k, rand=rand)
        t, c = time.perf_counter() - t0, time.thread_time() - c0
        best, best_cpu, spent, runs = min(best, t), min(best_cpu, c), spent + t, runs + 1
        if rep < nseeds:
            B = A[:, idx[:k]]
            E = A - sli.reconstruct_matrix_from_id(B, idx, proj)
            errs.append(float(np.sum(E * E)) / opt_tail)
        elif spent > 30.0 and runs >= 2:
            break
    return best, best_cpu, errs, runs


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    timed = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    meta, A = load(outdir, "pivot-exp-2000.json")
    k = meta["k"]
    # Warm-up: first call loads the Fortran ID routines and touches A.
    sli.interp_decomp(A[:, :200].copy(order="F"), 10, rand=True)
    print(f"  scipy {scipy.__version__}, numpy {np.__version__}", file=sys.stderr)
    # BENCH_SCIPY_TAG (e.g. "prescott", with OPENBLAS_CORETYPE=Prescott set by the
    # caller): a second run under another OpenBLAS kernel, impl "scipy-id-<tag>",
    # randomized ID only.
    tag = os.environ.get("BENCH_SCIPY_TAG", "")
    cases = (("scipy-id", True), ("scipy-id-det", False)) if not tag else ((f"scipy-id-{tag}", True),)
    if tag:
        print(f"  tag {tag}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}", file=sys.stderr)
    for impl, rand in cases:
        seconds, cpu_seconds, errs, runs = bench(A, k, meta["opt_tail2"], rand, seeds, timed)
        rec = {"name": meta["name"], "impl": impl, "size": meta["n"], "seconds": seconds, "cpu_seconds": cpu_seconds,
               "rank": k, "err_ratio": max(errs), "err_ratio_min": min(errs), "seeds": len(errs), "reps": runs,
               "m": meta["m"], "n": meta["n"]}
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
