"""bench_stream_numpy.py OUTDIR — a vectorized NumPy CountSketch (R = 7, b = 1024):
np.bincount per row over precomputed bucket and sign arrays (hash time not
counted), on the stream bench_stream.c wrote. One JSON line."""
import json, sys, time
import numpy as np

outdir = sys.argv[1]
idx = np.fromfile(f"{outdir}/stream_idx.bin", dtype=np.int32)
dl = np.fromfile(f"{outdir}/stream_delta.bin", dtype=np.float64)
R, B, N = 7, 1024, 1_000_000
rng = np.random.default_rng(1)
hb = rng.integers(0, B, size=(R, N))           # bucket of each key, per row
hs = rng.choice([-1.0, 1.0], size=(R, N))      # sign of each key, per row
bk = hb[:, idx]                                # precomputed per update (not timed)
sg = hs[:, idx]
best = cpu = float("inf")
for _ in range(3):
    t0, c0 = time.perf_counter(), time.process_time()
    C = np.stack([np.bincount(bk[r], weights=sg[r] * dl, minlength=B) for r in range(R)])
    best = min(best, time.perf_counter() - t0)
    cpu = min(cpu, time.process_time() - c0)
print(json.dumps({"name": "cs-update", "impl": "numpy-bincount", "size": int(idx.size), "seconds": best, "cpu_seconds": cpu}))
