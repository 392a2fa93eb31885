"""bench_regression_numpy.py — the NumPy/OpenBLAS peer of one exact-Newton
iteration of softmax regression: the formulas of tests/ref/softmax_ref.py
(SoftmaxRegression.grad and .hessian, then numpy.linalg.solve), on the problem
bench_regression (native) writes to OUTDIR/reg_*.bin.

Prints one JSON line: {"name":"softmax-newton-iter","impl":"numpy",...}
seconds / cpu_seconds: best of REPS iterations (wall / process CPU time), after
one untimed iteration (each iteration allocates its n×d temporary afresh, as
numpy does).
Run with OPENBLAS_NUM_THREADS=1 (one thread, like the C library).

usage: bench_regression_numpy.py [OUTDIR] [REPS]
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "ref"))
from softmax_ref import SoftmaxRegression  # noqa: E402


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(os.path.join(outdir, "reg.json")) as f:
        meta = json.load(f)
    n, d = meta["n"], meta["d"]
    rd = lambda name: np.fromfile(os.path.join(outdir, name), dtype="<f8")
    A = rd("reg_A.bin").reshape((d, n)).T.copy()   # column-major on disk
    P = SoftmaxRegression(A, rd("reg_b.bin"), rd("reg_w.bin"))
    x0 = rd("reg_x0.bin")
    best, best_cpu = float("inf"), float("inf")
    for r in range(reps + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        g = P.grad(x0)
        H = P.hessian(x0)
        x1 = x0 - np.linalg.solve(H, g)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        if r > 0:
            best, best_cpu = min(best, t), min(best_cpu, c)
    assert np.all(np.isfinite(x1))
    print(json.dumps({"name": "softmax-newton-iter", "impl": "numpy", "size": n, "d": d,
                      "seconds": best, "cpu_seconds": best_cpu, "iterations": 1}))


if __name__ == "__main__":
    main()
