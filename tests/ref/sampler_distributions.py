#!/usr/bin/env python3
"""Output laws of softmaxSample and the l2 / attention samplers against exact distributions.

Run from the repository root after `make wasm`:  python3 tests/ref/sampler_distributions.py
(the pyenv python3: mpmath computes the exact laws and the chi-square tail).

* softmaxSample (inverse CDF, Gumbel, alias): logits with spreads 1e3 .. 1e308, all equal,
  one element, entries near the exp underflow; exact p_i = exp(l_i - max)/sum in mpmath
  from the same doubles. Pearson chi-square with bins of expected count < 5 pooled;
  fail if p < 1e-3 or an index of exact probability < 1e-300 is ever drawn. A
  -Infinity logit must be refused with an error (not silently drawn or skipped).
* l2 sampler, exponential-race oracle: law exactly y_i^2/||y||^2; exact oracle: law
  exactly q_i ∝ p_i/(1-p_i), p_i = eps y_i^2/||y||^2 (spec §1.3 teaching variant 1),
  acceptance sum_i p_i prod_{j!=i}(1-p_j); y with dynamic range 1e-300..1e100 and at
  overall scales 1e-300..1e100 (y must stay below SK_L2S_MAX_ABS = 2^400).
* sketch samplers (l2 sketch oracle, attention sampler in settings A/X/both with A and x at
  1e±150): the law is y^2/||y||^2 only up to the sketch's error, so the total variation is
  reported next to its multinomial-noise baseline, and the attention sampler's words are
  checked against the spec's §1.4 table (A: d + reps·2Rb; X, both: reps·2Rb·d + d).
* tensor sampler: the y-table by the FFT identity (spec §1.5) vs the streamed one.
"""
import json
import math
import random
import subprocess
import sys

import mpmath as mp

mp.mp.dps = 50
RUNNER = "tests/ref/sampler_distributions_run.mjs"
bad = []


def chi2(counts, probs):
    """Pearson statistic over bins with expected >= 5 (the rest pooled) and its upper tail p."""
    N = sum(counts)
    bins, pool_c, pool_e = [], 0, mp.mpf(0)
    for c, p in zip(counts, probs):
        e = N * p
        if e >= 5:
            bins.append((c, e))
        else:
            pool_c += c
            pool_e += e
    p_pool = 1.0
    if pool_e >= 5:
        bins.append((pool_c, pool_e))
    elif pool_c > 0:
        # too few expected for chi-square: the pooled count's exact Poisson upper tail
        # P(X >= c), both p-values then Bonferroni-corrected (x2)
        p_pool = float(1 - mp.fsum(mp.e ** -pool_e * pool_e ** k / mp.factorial(k) for k in range(pool_c)))
    if len(bins) < 2:
        return 0.0, min(1.0, 2 * p_pool)
    stat = mp.fsum((c - e) ** 2 / e for c, e in bins)
    k = len(bins) - 1
    p_chi = float(mp.gammainc(mp.mpf(k) / 2, stat / 2, mp.inf, regularized=True))
    return float(stat), min(1.0, 2 * min(p_chi, p_pool))


def tv(counts, probs):
    N = sum(counts) or 1
    return 0.5 * sum(abs(c / N - float(p)) for c, p in zip(counts, probs))


def baseline_tv(probs, N, rng, reps=20):
    """Mean TV of an exact multinomial sample of size N (the noise floor)."""
    cum = list(mp.fsum(probs[:i + 1]) for i in range(len(probs)))
    out = []
    for _ in range(reps):
        c = [0] * len(probs)
        for _ in range(N):
            u = rng.random()
            lo = 0
            while lo < len(cum) - 1 and cum[lo] < u:
                lo += 1
            c[lo] += 1
        out.append(tv(c, probs))
    return sum(out) / reps


def softmax_exact(logits):
    m = max(logits)
    w = [mp.e ** (mp.mpf(l) - m) for l in logits]
    s = mp.fsum(w)
    return [v / s for v in w]


def jobs():
    rng = random.Random(11)
    J = []
    L = {
        "spread 1e3": [1000.0, 999.0, 998.5, 995.0, 990.0, 0.0, -1000.0],
        "spread 1e300 (ties at 1e300)": [1e300, 1e300, -1e300, 1e300, 0.0],
        "spread 3.4e308 (l - max overflows)": [-1.7e308, 1.7e308, 1.7e308 - 1e293, -1.7e308],
        "all equal (n=50)": [7.3] * 50,
        "one element": [-123.0],
        "N(0,2^2) n=100 + max-700, max-745, max-746": None,
        "max - 36.7 (p ~ 1e-16 next to 1), 3 near ties": [0.0, -36.7, -36.7, -20.0, -1e-9, -2e-9],
        "logits ~ 1e17 (spacing 16)": [1e17, 1e17 + 16, 1e17 - 16, 1e17 + 32],
    }
    g = [rng.gauss(0, 2) for _ in range(97)]
    L["N(0,2^2) n=100 + max-700, max-745, max-746"] = g + [max(g) - 700, max(g) - 745, max(g) - 746]
    for name, lg in L.items():
        for method in ("inverse", "gumbel", "alias"):
            J.append(({"kind": "softmax", "logits": lg, "method": method, "draws": 200000 if method != "gumbel" else 60000,
                       "seed": 5}, ("softmax", name, method, lg)))
    J.append(({"kind": "softmax", "logits": [0.0, "-Infinity", 1.0], "method": "inverse", "draws": 10, "seed": 1},
              ("softmax-neginf", "-Infinity entry", "inverse", None)))
    # l2 samplers: y with a huge dynamic range, at several overall scales
    n = 40
    base = [5 - 4 * i / 19 for i in range(20)] + [((i * 7919) % 13 - 6) / 20 for i in range(20, n)]
    wide = [10.0 ** (-(i * 12 % 61)) * (1 if i % 3 else -1) for i in range(n)]  # 1 .. 1e-60
    wide[0], wide[1], wide[2] = 0.7, -0.5, 0.45
    for yname, y0 in (("linspace + noise", base), ("dynamic range 1e-60..1", wide)):
        for sc in (1.0, 1e100, 1e-150, 1e-300):
            y = [v * sc for v in y0]
            for oracle in ("race", "exact"):
                J.append(({"kind": "l2", "y": y, "oracle": oracle, "trials": 40000, "eps": 0.25, "repetitions": 1,
                           "seed": 100}, ("l2", f"{yname} x{sc:g}", oracle, y)))
            J.append(({"kind": "l2", "y": y, "oracle": "sketch", "trials": 6000, "eps": 0.25, "buckets": 64, "rows": 7,
                       "heavy": 8, "repetitions": 8, "seed": 100}, ("l2", f"{yname} x{sc:g}", "sketch", y)))
    # attention sampler
    nA, d = 60, 5
    A0 = [[rng.gauss(0, 1) * (6 if i < 4 else 1) for _ in range(d)] for i in range(nA)]
    x0 = [rng.gauss(0, 1) for _ in range(d)]
    for sa, sx in ((1.0, 1.0), (1e-150, 1e150), (1e-150, 1e-150), (1e150, 1e-150)):
        A = [[v * sa for v in r] for r in A0]
        x = [v * sx for v in x0]
        y = [math.fsum(a * b for a, b in zip(r, x)) for r in A]
        for setting in ("A", "x", "both"):
            J.append(({"kind": "att", "setting": setting, "A": A, "x": x, "trials": 1500, "eps": 0.25, "buckets": 32,
                       "rows": 5, "heavy": 6, "repetitions": 6, "seed": 1},
                      ("att", f"A x{sa:g}, x x{sx:g}", setting, (y, d, 5, 32, 6))))
    # tensor: FFT identity
    nt, dt = 16, 3
    J.append(({"kind": "tensor-fft", "A2": [[rng.gauss(0, 1) for _ in range(dt)] for _ in range(nt)],
               "X": [[rng.gauss(0, 1) for _ in range(dt)] for _ in range(dt)],
               "A1": [[rng.gauss(0, 1) for _ in range(dt)] for _ in range(nt)], "buckets": 64, "rows": 7, "seed": 3},
              ("tensor-fft", "n=16 d=3", "", None)))
    return J


def main():
    J = jobs()
    res = json.loads(subprocess.run(["node", RUNNER], input=json.dumps([j for j, _ in J]), capture_output=True,
                                    text=True, check=True).stdout)
    rng = random.Random(3)
    for (job, (kind, name, method, data)), r in zip(J, res):
        tag = f"{kind:<8} {name:<46} {method:<8}"
        if kind == "softmax-neginf":
            ok = "error" in r
            print(f"{tag} {'refused: ' + r.get('message', '') if ok else 'DRAWN (silent)'}")
            if not ok:
                bad.append(tag)
            continue
        if "error" in r:
            print(f"{tag} error {r['error']}: {r.get('message', '')}")
            if kind != "att":
                bad.append(tag)
            continue
        if kind == "softmax":
            p = softmax_exact(data)
            stat, pv = chi2(r["counts"], p)
            impossible = sum(c for c, q in zip(r["counts"], p) if q < mp.mpf("1e-300"))
            flag = "ok" if pv >= 1e-3 and impossible == 0 else "BAD"
            print(f"{tag} chi2 {stat:9.2f} p {pv:.3f}  draws of p<1e-300 indices: {impossible}  {flag}")
            if flag != "ok":
                bad.append(tag)
        elif kind == "l2":
            y = [mp.mpf(v) for v in data]
            Y2 = mp.fsum(v * v for v in y)
            if method == "race":
                law = [v * v / Y2 for v in y]
            else:
                pp = [0.25 * v * v / Y2 for v in y]
                wq = [q / (1 - q) for q in pp]
                law = [q / mp.fsum(wq) for q in wq]
            if method in ("race", "exact"):
                stat, pv = chi2(r["counts"], law)
                extra = ""
                if method == "exact":
                    acc = mp.fsum(pp[i] * mp.fprod(1 - pp[j] for j in range(len(pp)) if j != i) for i in range(len(pp)))
                    se = math.sqrt(float(acc) * (1 - float(acc)) / r["trials"])
                    z = (r["accepted"] / r["trials"] - float(acc)) / se
                    extra = f" acceptance {r['accepted'] / r['trials']:.4f} vs {float(acc):.4f} (z {z:+.2f})"
                    if abs(z) > 4.5:
                        bad.append(tag + " acceptance")
                flag = "ok" if pv >= 1e-3 else "BAD"
                print(f"{tag} chi2 {stat:9.2f} p {pv:.3f}{extra}  {flag}")
                if flag != "ok":
                    bad.append(tag)
            else:
                law = [v * v / Y2 for v in y]
                t = tv(r["counts"], law)
                print(f"{tag} accepted {r['accepted']}/{r['trials']}  TV vs y^2/|y|^2 {t:.4f}")
                if r["accepted"] < r["trials"] * 0.3:
                    bad.append(tag + " acceptance")
        elif kind == "att":
            yv, d, R, b, reps = data
            y = [mp.mpf(v) for v in yv]
            Y2 = mp.fsum(v * v for v in y)
            law = [v * v / Y2 for v in y]
            t = tv(r["counts"], law)
            words = d + reps * 2 * R * b if method == "A" else reps * 2 * R * b * d + d
            wflag = "ok" if r["words"] == words else f"WORDS {r['words']} != {words}"
            print(f"{tag} accepted {r['accepted']}/{r['trials']}  TV {t:.4f} (noise floor ~{baseline_tv(law, max(1, r['accepted']), rng, 5):.4f})  words {r['words']} {wflag}")
            if wflag != "ok" or r["accepted"] < r["trials"] * 0.3:
                bad.append(tag)
        elif kind == "tensor-fft":
            ymax = max(abs(v) for v in r["ytab"])
            dev = max(abs(a - b) for a, b in zip(r["fft"], r["ytab"])) / ymax
            R = job["rows"]
            b = job["buckets"]
            rows = sorted(math.fsum(v * v for v in r["ytab"][k * b:(k + 1) * b]) for k in range(R))
            f2 = rows[R // 2]
            print(f"{tag} max|fft - streamed| / max|y-table| = {dev:.2e}; f2 {r['f2']:.6g} vs median row F2 of the streamed table {f2:.6g}")
            if dev > 1e-12 or abs(r["f2"] - f2) > 1e-12 * f2:
                bad.append(tag)
    print(f"{len(J)} jobs, {len(bad)} bad" + (": " + "; ".join(bad) if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
