#!/usr/bin/env python3
"""softmaxEval (loss, gradient, Hessian) against mpmath, at ordinary and extreme scales.

Run from the repository root after `make wasm`:  python3 tests/ref/softmax_regression_oracle.py
(the pyenv python3, which has mpmath; /usr/bin/python3 lacks it).

The oracle is independent of the spec's closed forms: L(x) is evaluated in
mpmath at 80 digits from the same doubles, the gradient by central
differences of L (step 1e-25·max|x_j|) and the Hessian by central second
differences (step 1e-20·max|x_j|); at 80 digits both are exact to far below double precision.
Error units: gradient component j, eps*n*S_j with S_j = sum_i |a_ij| (|f_i c_i| +
|kappa f_i| + w_i^2 |z_i|) (the terms summed, so cancellation is allowed for);
Hessian entry (j,k), eps*n*T_jk with T_jk = sum_i |a_ij a_ik| (|h_i| + |kappa f_i|
+ w_i^2) + |gamma| |u_j u_k| + |u_j v_k| + |v_j u_k|. Ratios above 10 are reported
as WRONG; an error code is fine only when the exact value is beyond the double range.
"""
import json
import random
import subprocess
import sys

import mpmath as mp

mp.mp.dps = 90
EPS = 2.0 ** -53
RUNNER = "tests/ref/softmax_regression_oracle_run.mjs"


def loss(A, b, w, x):
    n, d = len(A), len(x)
    z = [mp.fsum(mp.mpf(A[i][j]) * x[j] for j in range(d)) for i in range(n)]
    m = max(z)
    e = [mp.e ** (zi - m) for zi in z]
    s = mp.fsum(e)
    f = [ei / s for ei in e]
    return mp.fsum((f[i] - b[i]) ** 2 for i in range(n)) / 2 + mp.fsum((mp.mpf(w[i]) ** 2) * z[i] ** 2 for i in range(n)) / 2


def oracle(c):
    A, b, w = c["A"], [mp.mpf(v) for v in c["b"]], c["w"]
    x = [mp.mpf(v) for v in c["x"]]
    n, d = len(A), len(x)
    L0 = loss(A, b, w, x)
    h1, h2 = mp.mpf("1e-25"), mp.mpf("1e-20")

    def at(*moves):
        y = list(x)
        for j, t in moves:
            y[j] += t
        return loss(A, b, w, y)

    # steps relative to the size of x (z = Ax scales with it)
    xs = max(abs(v) for v in x) or mp.mpf(1)
    h1, h2 = h1 * xs, h2 * xs
    g = [(at((j, h1)) - at((j, -h1))) / (2 * h1) for j in range(d)]
    H = [[None] * d for _ in range(d)]
    for j in range(d):
        for k in range(j, d):
            if j == k:
                v = (at((j, h2)) - 2 * L0 + at((j, -h2))) / h2 ** 2
            else:
                v = (at((j, h2), (k, h2)) - at((j, h2), (k, -h2)) - at((j, -h2), (k, h2)) + at((j, -h2), (k, -h2))) / (4 * h2 ** 2)
            H[j][k] = H[k][j] = v
    # magnitudes for the error units (spec §3-§4 terms, in mpmath)
    z = [mp.fsum(mp.mpf(A[i][j]) * x[j] for j in range(d)) for i in range(n)]
    m = max(z)
    e = [mp.e ** (zi - m) for zi in z]
    s = mp.fsum(e)
    f = [ei / s for ei in e]
    kap = mp.fsum((f[i] - b[i]) * f[i] for i in range(n))
    gam = mp.fsum((3 * f[i] - 2 * b[i]) * f[i] for i in range(n))
    hv = [(2 * f[i] - b[i]) * f[i] for i in range(n)]
    w2 = [mp.mpf(v) ** 2 for v in w]
    u = [mp.fsum(abs(mp.mpf(A[i][j]) * f[i]) for i in range(n)) for j in range(d)]
    v = [mp.fsum(abs(mp.mpf(A[i][j]) * hv[i]) for i in range(n)) for j in range(d)]
    S = [mp.fsum(abs(mp.mpf(A[i][j])) * (abs(f[i] * (f[i] - b[i])) + abs(kap * f[i]) + w2[i] * abs(z[i])) for i in range(n)) for j in range(d)]
    T = [[mp.fsum(abs(mp.mpf(A[i][j]) * A[i][k]) * (abs(hv[i]) + abs(kap * f[i]) + w2[i]) for i in range(n))
          + abs(gam) * u[j] * u[k] + u[j] * v[k] + v[j] * u[k] for k in range(d)] for j in range(d)]
    return L0, g, H, S, T


def gauss(rng, r, c, s):
    return [[rng.gauss(0, 1) * s for _ in range(c)] for _ in range(r)]


def dirichlet(rng, n):
    e = [rng.expovariate(1) for _ in range(n)]
    t = sum(e)
    return [v / t for v in e]


def cases():
    rng = random.Random(7)
    cs = []
    n, d = 60, 6
    base = dict(A=gauss(rng, n, d, 1), b=dirichlet(rng, n), w=[0.3] * n, x=[rng.gauss(0, 1) for _ in range(d)])
    cs.append(dict(base, label="spec FD instance (n=60 d=6 w=0.3)"))
    cs.append(dict(base, x=[v * 300 for v in base["x"]], label="z ~ +-1e3 (saturated softmax)"))
    cs.append(dict(base, x=[v * 1e100 for v in base["x"]], w=[1e-60] * n, label="z ~ 1e100, w 1e-60"))
    cs.append(dict(base, w=[1e-170] * n, x=[v * 1e150 for v in base["x"]], label="w 1e-170 (w^2 underflows), z ~ 1e150"))
    cs.append(dict(base, w=[1e-170] * n, label="w 1e-170, z ~ 1"))
    cs.append(dict(base, w=[1e100] * n, x=[v * 1e-110 for v in base["x"]], label="w 1e100, z ~ 1e-110"))
    cs.append(dict(base, A=[[v * 1e-150 for v in r] for r in base["A"]], x=[v * 1e150 for v in base["x"]], label="A 1e-150, x 1e150"))
    cs.append(dict(base, A=[[v * 1e150 for v in r] for r in base["A"]], x=[v * 1e-150 for v in base["x"]], label="A 1e150, x 1e-150"))
    cs.append(dict(base, b=[rng.gauss(0, 1) * 10 for _ in range(n)], label="b not a probability vector"))
    A = gauss(rng, n, d, 1)
    for r in A:
        r[5] = r[4]
    cs.append(dict(base, A=A, label="rank-deficient A (two equal columns)"))
    A3 = gauss(rng, 3, 8, 1)
    cs.append(dict(A=A3, b=dirichlet(rng, 3), w=[1.2] * 3, x=[rng.gauss(0, 1) for _ in range(8)], label="d > n (n=3, d=8)"))
    cs.append(dict(A=[[2.0, -1.0]], b=[1.0], w=[0.5], x=[0.3, 0.7], label="n = 1"))
    # f one-hot (= b): only the regulariser is left, w^2 underflows but w*(w*z) does not
    cs.append(dict(A=[[1.0, 0.0], [0.0, 1.0], [-1.0, 1.0]], b=[1.0, 0.0, 0.0], w=[2.0 ** -560] * 3,
                   x=[2.0 ** 500, -(2.0 ** 500)], label="w 2^-560, z ~ 2^500, f = b one-hot"))
    cs.append(dict(base, A=[[v * 1e-6 for v in r] for r in base["A"]], w=[1e3] * n, label="ill-scaled: A 1e-6, w 1e3"))
    return cs


def main():
    cs = cases()
    res = json.loads(subprocess.run(["node", RUNNER], input=json.dumps(cs), capture_output=True, text=True, check=True).stdout)
    bad, worst_g, worst_h = 0, 0.0, 0.0
    for c, r in zip(cs, res):
        L, g, H, S, T = oracle(c)
        n, d = len(c["A"]), len(c["x"])
        if "error" in r:
            big = abs(L) > mp.mpf("1.7e308") or any(abs(v) > mp.mpf("1.7e308") for v in g) or \
                any(abs(v) > mp.mpf("1.7e308") for row in H for v in row)
            print(f"{'ok-error' if big else 'REFUSED'}  {c['label']:<44} {r['error']}")
            bad += 0 if big else 1
            continue
        rg = max(float(abs(mp.mpf(r["g"][j]) - g[j]) / (EPS * n * S[j] + mp.mpf(2) ** -1074 * n)) for j in range(d))
        rh = max(float(abs(mp.mpf(r["H"][j + k * d]) - H[j][k]) / (EPS * n * T[j][k] + mp.mpf(2) ** -1074 * n))
                 for j in range(d) for k in range(d))
        rl = float(abs(mp.mpf(r["loss"]) - L) / (abs(L) + mp.mpf(2) ** -1074)) if L != 0 else 0.0
        flag = "WRONG" if rg > 10 or rh > 10 else "ok"
        bad += flag == "WRONG"
        worst_g, worst_h = max(worst_g, rg), max(worst_h, rh)
        print(f"{flag:<8} {c['label']:<44} grad err/bound {rg:9.3g}  Hess err/bound {rh:9.3g}  loss rel err {rl:.2e}")
    print(f"worst: gradient {worst_g:.3g}, Hessian {worst_h:.3g} (units above); {bad} bad of {len(cs)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
