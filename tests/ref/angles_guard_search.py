"""Search for silent wrong answers of sk_angles_exact on normal-range inputs
(σ spanning 2^100..2^300, Gaussian G, t = 1..5, small r, k, l): inputs where
status 0 comes back with a sine off from the mpmath oracle
(angles_exact_ref.py) by more than 1e-6 relative
(plus 4 units of 2^-1074: a true sine below 2^-1075 is returned as 0). Prints the counts and the
first few such inputs (as C initializers for tests/c/test_regressions.c).

  python3 tests/ref/angles_guard_search.py [seed] [cases]
SK_STRESS_SO=/path/lib.so as in angles_wide_stress.py (before/after).
"""
import ctypes, math, os, random, sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(__file__))
from angles_exact_ref import true_sines  # noqa: E402
from angles_wide_stress import library  # noqa: E402


mp.mp.dps = 2700  # the oracle's rank threshold is 10^-2400 relative


def draw(rng):
    k = rng.randint(1, 4)
    l = k + rng.randint(0, 3)
    edge = rng.random() < 0.25
    r = k + (rng.randint(1, l) if edge else rng.randint(l, l + 3))
    t = rng.randint(1, 5)
    span = rng.randint(100, 300)
    top = rng.randint(-200, 200)
    # exponents clustered at the top, the bottom, or anywhere in the span
    ex = sorted([top - rng.choice([rng.uniform(0, 8), span - rng.uniform(0, 8), rng.uniform(0, span)])
                 for _ in range(r - 1)] + [top], reverse=True)
    sig = [2.0 ** e for e in ex]
    G = [rng.gauss(0, 1) for _ in range(r * l)]
    return r, k, l, t, sig, G


def capped(r, k, t, sig):
    # the single-scale path caps a head scale (σ_i/ref)^t at e^300 or drops a tail row below e^-300
    ref = next((x for x in sig[k:] if x > 0), sig[0])
    return any(t * math.log(x / ref) > 300 for x in sig[:k] if x > 0) or \
        any(t * math.log(x / ref) < -300 for x in sig[k:] if x > 0)


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    lib = library()
    rng = random.Random(seed)
    cnt = {'ok': 0, 'wrong': 0, 'wrong_capped': 0, 'singular': 0, 'other': 0}
    shown = 0
    for _ in range(n):
        r, k, l, t, sig, G = draw(rng)
        s = (ctypes.c_double * k)()
        st = lib.sk_angles_exact(r, (ctypes.c_double * r)(*sig), k, l, t, (ctypes.c_double * (r * l))(*G), r, s)
        if st != 0:
            cnt['singular' if st == 3 else 'other'] += 1
            continue
        want = true_sines(sig, [[G[j * r + i] for j in range(l)] for i in range(r)], k, t)
        bad = any(abs(mp.mpf(g) - w) > mp.mpf(1e-6) * w + 4 * mp.ldexp(1, -1074) for g, w in zip(s, want))
        cap = capped(r, k, t, sig)
        cnt[('wrong_capped' if cap else 'wrong') if bad else 'ok'] += 1
        if bad and not cap and shown < 4:
            shown += 1
            print('r=%d k=%d l=%d t=%d' % (r, k, l, t))
            print('  sig = {%s};' % ', '.join(repr(x) for x in sig))
            print('  G = {%s};' % ', '.join(repr(x) for x in G))
            print('  got', list(s), 'want', [mp.nstr(w, 17) for w in want])
    print('seed %d: %d cases: %d agree to 1e-6, WRONG with status 0: %d normal-range + %d capped/dropped, '
          '%d SK_ESINGULAR, %d other status'
          % (seed, n, cnt['ok'], cnt['wrong'], cnt['wrong_capped'], cnt['singular'], cnt['other']), flush=True)


if __name__ == '__main__':
    main()
