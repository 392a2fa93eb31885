"""Before/after bit comparison of sk_angles_exact over the random inputs of
angles_guard_search.py (seeds 100.., 500 each): how many keep status and every
bit, how many went from status 0 to SK_ESINGULAR, how many changed otherwise.
  python3 tests/ref/angles_guard_bitcmp.py before.so after.so [n] [diffs.pkl]
(each .so linked from build/native/obj/*/*.o with cc -shared ... -lm).
Measured at the forward-error-bound change: 20000 inputs, 19207 identical,
76 0 -> SK_ESINGULAR, 717 other changes (695 right before and after, 22
wrong before and right after, against mpmath)."""
import ctypes, os, random, sys
sys.path.insert(0, os.path.dirname(__file__))
from angles_guard_search import draw
from angles_wide_stress import typed
A = typed(ctypes.CDLL(sys.argv[1])); B = typed(ctypes.CDLL(sys.argv[2]))
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000; same = diff = b2s = other = 0; diffs = []
for seed in range(100, 100 + n // 500):
    rng = random.Random(seed)
    for _ in range(500):
        r, k, l, t, sig, G = draw(rng)
        out = []
        for lib in (A, B):
            s = (ctypes.c_double * k)()
            st = lib.sk_angles_exact(r, (ctypes.c_double * r)(*sig), k, l, t, (ctypes.c_double * (r * l))(*G), r, s)
            out.append((st, list(s)))
        if out[0] == out[1]: same += 1
        elif out[0][0] == 0 and out[1][0] == 3: b2s += 1; diffs.append((r, k, l, t, sig, G))
        else: other += 1; diffs.append((r, k, l, t, sig, G))
print('inputs %d: bit-identical (status and sines) %d; 0 -> SK_ESINGULAR %d; other changes %d' % (same + b2s + other, same, b2s, other))
if len(sys.argv) > 4:  # the changed inputs, for a check against mpmath
    import pickle; pickle.dump(diffs, open(sys.argv[4], 'wb'))
