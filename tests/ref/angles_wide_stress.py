"""Stress set for sk_angles_exact at extreme scale (issue 9, part 2): random
inputs whose W = diag(sig^t) G spans far beyond the double range (head/tail
gaps up to 2^2000, G entries from 2^-1022*g to g), each compared with the
mpmath oracle of angles_exact_ref.py (2700 digits, no scaling, cap or dropped
row). Prints, per seed, how many results agree with the truth to 1e-10
relative (plus 4 units of 2^-1074) and the worst relative error of those that do.

Needs python3-mpmath and the native build (make build/native/libsketchlab.a:
its objects are compiled -fPIC and linked here into a shared object for ctypes).
  python3 tests/ref/angles_wide_stress.py [seeds] [cases per seed] [edge]
'edge' draws r - k < l (the edge case of §1.2) instead of r - k >= l.
SK_STRESS_SO=/path/lib.so uses that shared object instead (before/after).
"""
import ctypes, glob, os, random, subprocess, sys, tempfile

import mpmath as mp

sys.path.insert(0, os.path.dirname(__file__))
from angles_exact_ref import true_sines  # noqa: E402

mp.mp.dps = 2700
ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


def library():
    so = os.environ.get('SK_STRESS_SO')  # an A/B comparison: another build's shared object
    if so:
        return typed(ctypes.CDLL(so))
    so = os.path.join(tempfile.gettempdir(), 'sketchlab_stress_%d.so' % os.getpid())
    objs = glob.glob(os.path.join(ROOT, 'build/native/obj/*/*.o'))
    subprocess.check_call(['cc', '-shared', '-o', so] + objs + ['-lm'])
    return typed(ctypes.CDLL(so))


def typed(lib):
    D = ctypes.POINTER(ctypes.c_double)
    lib.sk_angles_exact.argtypes = [ctypes.c_int, D, ctypes.c_int, ctypes.c_int, ctypes.c_int, D, ctypes.c_int, D]
    return lib


def draw(rng, edge):
    k = rng.randint(1, 4)
    l = k + rng.randint(0, 3)
    r = k + (rng.randint(0, l - 1) if edge else rng.randint(l, l + 3))
    t = rng.choice([1, 1, 2, 3])
    h0 = rng.randint(-300, 1000)
    t0 = rng.randint(-1000, h0 - 10)
    he = sorted([h0 - rng.randint(0, 30) for _ in range(k)], reverse=True)
    te = sorted([t0 - rng.randint(0, 30) for _ in range(r - k)], reverse=True)
    te = [max(x, -1070) for x in te]
    if te and he[-1] < te[0]:
        te = [min(x, he[-1]) for x in te]
    sig = sorted([rng.uniform(0.5, 1) * 2.0 ** e for e in he + te], reverse=True)
    G = []
    for _ in range(r * l):
        e = rng.choice([0, 0, 0, 0, 0, 0, -1022, rng.randint(-1000, 0)])
        G.append(rng.gauss(0, 1) * 2.0 ** e)
    return r, k, l, t, sig, G


def main():
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    edge = len(sys.argv) > 3 and sys.argv[3] == 'edge'
    lib = library()
    tot = good = sing = 0
    worst = 0.0
    for seed in range(1, seeds + 1):
        rng = random.Random(seed)
        g0 = good
        for _ in range(n):
            r, k, l, t, sig, G = draw(rng, edge)
            s = (ctypes.c_double * k)()
            st = lib.sk_angles_exact(r, (ctypes.c_double * r)(*sig), k, l, t, (ctypes.c_double * (r * l))(*G), r, s)
            tot += 1
            if st != 0:
                sing += st == 3
                continue
            want = true_sines(sig, [[G[j * r + i] for j in range(l)] for i in range(r)], k, t)
            ok, rel = True, 0.0
            for got, w in zip(s, want):
                err = abs(mp.mpf(got) - w)
                if err > mp.mpf(1e-10) * w + 4 * mp.ldexp(1, -1074):
                    ok = False
                rel = max(rel, float(err / max(w, mp.ldexp(1, -1022))))
            if ok:
                good += 1
                worst = max(worst, rel)
        print('seed %d: %d of %d agree with mpmath' % (seed, good - g0, n), flush=True)
    print('total: %d of %d agree (%.1f%%), %d SK_ESINGULAR; worst relative error of those %.2e'
          % (good, tot, 100.0 * good / tot, sing, worst))


if __name__ == '__main__':
    main()
