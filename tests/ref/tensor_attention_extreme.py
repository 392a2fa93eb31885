#!/usr/bin/env python3
"""Tensor-attention evaluations at extreme scales against an mpmath oracle.

Run from the repository root after `make wasm`:  python3 tests/ref/tensor_attention_extreme.py
(needs mpmath: the pyenv python3; Debian's /usr/bin/python3 lacks it).

Every case is evaluated by sketchlab (tests/ref/tensor_attention_extreme_run.mjs:
tensorAttention with evaluation two-cache/naive/factored/streaming, and
kvCache four (naive/factored/streaming) and two built by one-token appends)
and by mpmath at 60 digits from the same doubles. Reported per evaluation:
the error in units of the bound
    |out_j - exact_j| <= eps * (c1*d*L + c2*n^2) * sum_ab P_ab |V1[a,j] V2[b,j]|
with L = max_ab sum_j |scale q_j K1[a,j] K2[b,j]| (the logits' condition:
an absolute logit error d*eps*L becomes a relative weight error), and
c1 = 4, c2 = 4 (so a ratio <= 1 is inside a bound with a wide margin;
we flag > 1). An error code is fine when the exact output or some
intermediate the evaluation must form (a logit, k1*k2, v1*v2, E*V2) is beyond
the double range; an error code when the exact output is representable is
reported as a refusal, a wrong finite value as WRONG.
"""
import json
import random
import subprocess
import sys

import mpmath as mp

mp.mp.dps = 60
EPS = 2.0 ** -53
RUNNER = "tests/ref/tensor_attention_extreme_run.mjs"


def exact(c):
    q, K1, K2, V1, V2, s = c["q"], c["K1"], c["K2"], c["V1"], c["V2"], c["scale"]
    n, d = len(K1), len(q)
    w = c.get("window")
    rows = range(n - w, n) if w else range(n)
    lg, L = {}, 0.0
    for a in rows:
        for b in rows:
            terms = [mp.mpf(s) * mp.mpf(q[j]) * mp.mpf(K1[a][j]) * mp.mpf(K2[b][j]) for j in range(d)]
            lg[a, b] = mp.fsum(terms)
            L = max(L, float(mp.fsum(abs(t) for t in terms)))
    m = max(lg.values())
    P = {k: mp.e ** (v - m) for k, v in lg.items()}
    Z = mp.fsum(P.values())
    out, mag = [], []
    for j in range(d):
        out.append(mp.fsum(P[a, b] * mp.mpf(V1[a][j]) * mp.mpf(V2[b][j]) for (a, b) in P) / Z)
        mag.append(mp.fsum(P[a, b] * abs(mp.mpf(V1[a][j]) * mp.mpf(V2[b][j])) for (a, b) in P) / Z)
    return out, mag, L, len(list(rows))


def rnd(rng, n, d, sc):
    return [[rng.gauss(0, 1) * sc for _ in range(d)] for _ in range(n)]


def cases():
    rng = random.Random(20261207)
    out = []
    for n, d in [(3, 1), (7, 5), (16, 16), (9, 64)]:
        # (q scale, K1 scale, K2 scale, V1 scale, V2 scale, label)
        for qs, k1, k2, v1, v2, label in [
            (1, 1, 1, 1, 1, "unit"),
            (30, 1, 1, 1, 1, "logits ~ +-1e2"),
            (800 / d ** 0.5, 1, 1, 1, 1, "logits ~ +-800"),
            (1e4, 1, 1, 1, 1, "logits ~ +-1e4 (peaked)"),
            (1, 1e150, 1e-150, 1, 1, "K1 1e150, K2 1e-150"),
            (1e-300, 1e150, 1e150, 1, 1, "q 1e-300, K 1e150 (k1*k2 overflows)"),
            (1e300, 1e-150, 1e-150, 1, 1, "q 1e300, K 1e-150 (k1*k2 underflows)"),
            (1, 1, 1, 1e-150, 1e150, "V1 1e-150, V2 1e150"),
            (1, 1, 1, 1e150, 1e150, "V 1e150 (v1*v2 overflows)"),
            (1, 1, 1, 1e-160, 1e-160, "V 1e-160 (v1*v2 underflows)"),
            (1, 1, 1, 1e-300, 1e300, "V1 1e-300, V2 1e300"),
        ]:
            c = {"q": [rng.gauss(0, 1) * qs for _ in range(d)], "K1": rnd(rng, n, d, k1), "K2": rnd(rng, n, d, k2),
                 "V1": rnd(rng, n, d, v1), "V2": rnd(rng, n, d, v2), "scale": 1.0, "label": f"n={n} d={d} {label}"}
            out.append(c)
            if n >= 7 and label in ("logits ~ +-800", "K1 1e150, K2 1e-150", "V1 1e-300, V2 1e300"):
                out.append(dict(c, window=n // 2 + 1, label=c["label"] + f" window {n // 2 + 1}"))
    for n, d in [(40, 64), (24, 8)]:  # larger caches, ties near the max logit
        q = [rng.choice((-1.0, 1.0)) * 50 for _ in range(d)]
        K1 = [[rng.choice((-1.0, 1.0)) for _ in range(d)] for _ in range(n)]
        out.append({"q": q, "K1": K1, "K2": [list(r) for r in K1], "V1": rnd(rng, n, d, 1), "V2": rnd(rng, n, d, 1),
                    "scale": 1 / d, "label": f"n={n} d={d} +-1 keys, many tied logits"})
    return out


def main():
    cs = cases()
    res = json.loads(subprocess.run(["node", RUNNER], input=json.dumps(cs), capture_output=True, text=True, check=True).stdout)
    worst, bad = {}, 0
    for c, r in zip(cs, res):
        ex, mag, L, nn = exact(c)
        d = len(c["q"])
        representable = all(abs(v) < mp.mpf("1.7e308") for v in ex)
        for key, got in r.items():
            if isinstance(got, dict):
                if representable:
                    print(f"refused   {c['label']:<48} {key:<24} {got['error']}")
                continue
            bound = [EPS * (4 * d * L + 4 * nn * nn) * float(mg) for mg in mag]
            ratio = 0.0
            for g, e, bd in zip(got, ex, bound):
                err = abs(mp.mpf(g) - e)
                # output underflow: an absolute error of a few subnormal ulps is unavoidable
                tol = bd + 4 * 2.0 ** -1074 * nn * nn
                ratio = max(ratio, float(err / tol) if tol > 0 else (0.0 if err == 0 else float("inf")))
            worst[key] = max(worst.get(key, 0.0), ratio)
            if ratio > 1:
                bad += 1
                print(f"WRONG     {c['label']:<48} {key:<24} error/bound = {ratio:.3g}")
    print("worst error/bound per evaluation:", json.dumps({k: float(f"{v:.3g}") for k, v in sorted(worst.items())}))
    print(f"{len(cs)} cases, {bad} outside the bound")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
