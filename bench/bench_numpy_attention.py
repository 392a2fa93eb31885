#!/usr/bin/python3
"""The factored tensor-attention query with NumPy (BLAS), beside bench_attention.c.

S = (K1 * q) @ K2.T, P = exp(S - max S), out = colsum(V1 * (P @ V2)) / sum(P) — the
same 2n^2 d + 2nd multiply-adds as sketchlab's factored evaluation — and the naive
einsum form (materialised khatri-rao rows). Prints JSON lines like the C driver.
Run with OPENBLAS_NUM_THREADS=1 for a single-thread comparison.

    /usr/bin/python3 bench/bench_numpy_attention.py [n d reps]
"""
import json
import sys
import time

import numpy as np
from scipy.linalg import khatri_rao


def best(f, reps):
    f()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 2 else 512
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rng = np.random.default_rng(1)
    K1, K2, V1, V2 = (rng.standard_normal((n, d)) for _ in range(4))
    q = rng.standard_normal(d) / d

    def factored():
        S = (K1 * q) @ K2.T
        P = np.exp(S - S.max())
        return (V1 * (P @ V2)).sum(axis=0) / P.sum()

    def naive():
        K = khatri_rao(K1, K2)
        V = khatri_rao(V1, V2)
        lg = K @ q
        p = np.exp(lg - lg.max())
        return V.T @ p / p.sum()

    assert np.allclose(factored(), naive(), rtol=1e-10, atol=1e-12)
    for name, f in (("factored", factored), ("naive", naive)):
        s = best(f, reps)
        print(json.dumps({"name": f"attention-{name}", "impl": "numpy", "size": n, "d": d, "seconds": s}))


if __name__ == "__main__":
    main()
