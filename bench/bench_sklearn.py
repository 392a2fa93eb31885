#!/usr/bin/python3
"""bench_sklearn.py — scikit-learn's randomized_svd on the matrix bench_rsvd
writes (the sketched-SVD issue's baseline: 2000×2000, σ_i = (i+1)^-2,
k = 100, p = 10, q = 2).

    /usr/bin/python3 bench/bench_sklearn.py [OUTDIR] [REPS]   (default build/bench 5)

Needs Debian's python3-sklearn (so /usr/bin/python3, not a pyenv/venv python
without it). Reads OUTDIR/rsvd_A.json and the raw column-major float64 matrix
it names, and times, on ONE thread (OMP/OpenBLAS/MKL/BLIS threads = 1, set
before numpy loads its BLAS),

    sklearn.utils.extmath.randomized_svd(A, k, n_oversamples=p, n_iter=q,
                                         random_state=0,
                                         power_iteration_normalizer=NORM)

for NORM = 'auto' (the default; 'none' for n_iter <= 2: impl "sklearn"),
'LU' ("sklearn-lu") and 'QR' ("sklearn-qr"). Prints one JSON line each:
  {"name":"rsvd-2000","impl":"sklearn","size":2000,"seconds":..,"gflops":..,
   "error_ratio":..,"error_ratio_fro":..,"error_ratio_spec":..}
seconds is the best of REPS calls (same random_state, after one untimed
warm-up call), cpu_seconds the best process CPU time (robust under load); error_ratio_fro = ‖A − U diag(s) Vᵀ‖_F / sqrt(Σ_{i>k} σ_i²),
error_ratio_spec = ‖A − U diag(s) Vᵀ‖_2 / σ_{k+1} (explicit residual; the
2-norm from scipy.linalg.svdvals); error_ratio = error_ratio_fro, as in
bench_rsvd.c. gflops counts the sketch's 4·m·n·l·(q+1) flops.
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
import scipy.linalg  # noqa: E402
import sklearn  # noqa: E402
from sklearn.utils.extmath import randomized_svd  # noqa: E402


def load(outdir):
    with open(os.path.join(outdir, "rsvd_A.json")) as f:
        meta = json.load(f)
    m, n = meta["m"], meta["n"]
    raw = np.fromfile(os.path.join(outdir, meta["file"]), dtype="<f8", count=m * n)
    if raw.size != m * n:
        raise SystemExit(f"bench_sklearn: {meta['file']} is short")
    sig = np.fromfile(os.path.join(outdir, meta["sigma_file"]), dtype="<f8", count=min(m, n))
    return meta, np.asfortranarray(raw.reshape((n, m)).T), sig  # column-major m×n


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{d.get('internal_api')} {d.get('version')} threads={d.get('num_threads')}"
                         for d in threadpool_info())
    except Exception:  # noqa: BLE001 — informational only
        return "unknown"


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    meta, A, sig = load(outdir)
    m, n, k, p, q = meta["m"], meta["n"], meta["k"], meta["p"], meta["q"]
    opt_fro, opt_spec = meta["opt_fro"], meta["opt_spec"]
    flops = 4.0 * m * n * (k + p) * (q + 1)
    print(f"  sklearn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}; "
          f"BLAS: {blas_info()}", file=sys.stderr)
    for impl, norm in (("sklearn", "auto"), ("sklearn-lu", "LU"), ("sklearn-qr", "QR")):
        def run():
            return randomized_svd(A, k, n_oversamples=p, n_iter=q, random_state=0,
                                  power_iteration_normalizer=norm)
        run()  # warm-up
        best = best_cpu = float("inf")
        for _ in range(reps):
            t0, c0 = time.perf_counter(), time.process_time()
            U, s, Vt = run()
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        E = A - (U * s) @ Vt
        fro = float(np.linalg.norm(E, "fro"))
        spec = float(scipy.linalg.svdvals(E, overwrite_a=True, check_finite=False)[0])
        rec = {"name": meta["name"], "impl": impl, "size": n, "seconds": best, "cpu_seconds": best_cpu,
               "gflops": flops / best * 1e-9, "error_ratio": fro / opt_fro,
               "error_ratio_fro": fro / opt_fro, "error_ratio_spec": spec / opt_spec,
               "normalizer": norm, "k": k, "p": p, "q": q, "reps": reps}
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
