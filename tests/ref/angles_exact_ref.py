"""Reference values for sk_angles_exact at extreme scale (tests/c/test_regressions.c,
test_angles_exact_dbl_min_G; tests/c/test_angles_wide.c; tests/js/regressions.test.mjs).

The sines of the canonical angles between span(E_k) and range(W), W = diag(sig^t) G
(specs/svd_bounds.md §1.2), computed in mpmath with 2600 digits, with no scaling,
cap or dropped row: an orthonormal basis Q of range(W) by Gram-Schmidt applied
twice, then the singular values of (I - Q Q^T) E_k from the eigenvalues of its
Gram matrix (1 - cos^2 loses nothing at 2600 digits for sines down to 1e-1234).

Needs python3-mpmath (Debian). Run:  python3 tests/ref/angles_exact_ref.py   (a few seconds)
"""
import mpmath as mp

mp.mp.dps = 2600


def true_sines(sig, G, k, t):
    r, l = len(sig), len(G[0])
    W = mp.matrix(r, l)
    for i in range(r):
        s = mp.mpf(sig[i]) ** t
        for j in range(l):
            W[i, j] = s * mp.mpf(G[i][j])
    Q = []
    for j in range(l):
        v = W[:, j]
        for _ in range(2):
            for q in Q:
                v = v - (q.T * v)[0] * q
        n = mp.norm(v)
        if n > 0 and n > mp.mpf(10) ** -2400 * mp.norm(W[:, j]):
            Q.append(v / n)
    P = mp.matrix(r, k)
    for j in range(k):
        e = mp.matrix(r, 1)
        e[j] = 1
        v = e
        for q in Q:
            v = v - (q.T * e)[0] * q
        for i in range(r):
            P[i, j] = v[i]
    return sorted(mp.sqrt(max(x, 0)) for x in mp.eigsy(P.T * P, eigvals_only=True))


def show(name, sig, G, k, t):
    s = true_sines(sig, G, k, t)
    print(name, 't =', t, [mp.nstr(x, 20) for x in s])


def colmajor(r, l, data):
    data = list(data) + [0] * (r * l - len(data))
    return [[data[j * r + i] for j in range(l)] for i in range(r)]


if __name__ == '__main__':
    m = mp.ldexp(1, -1022)
    # tests/fuzz/corpus/fuzz_angles/angles_exact_enoconv_dbl_min_entries (r = 9, k = 4, l = 6)
    sig = [10.125, 5.75, 0.75, 0.75, m, m, m, m, 0]
    G = colmajor(9, 6, [m, m, 10.125, 0.75, m, m, 0.75, m, m,
                        0.75, 0, 5.75, 10.125, m, 0, m, m, 5.5,
                        0, 5.5, 0, 5.75, 0, 5.5, 0, 5.75, 10.125,
                        m, 0, m, m, 5.5, 6, 10.125, m, m])
    for t in (1, 2, 3):
        show('fuzz input', sig, G, 4, t)
    # A spectrum spanning 2^1000, sines that are normal doubles (r = 5, k = l = 2)
    sw = [mp.ldexp(1, 500), mp.ldexp(3, 497), mp.ldexp(1, -500), mp.ldexp(3, -503), mp.ldexp(1, -502)]
    show('wide spectrum', sw, colmajor(5, 2, [0.8, 0.4, -1.1, 0.6, 1.2, -1.3, 0.9, 0.3, 1.7, -0.7]), 2, 1)
    # Head rows 2^900 apart: M row-graded too (r = 4, k = l = 2)
    show('row-graded head', [mp.ldexp(1, 600), mp.ldexp(3, -302), mp.ldexp(1, -700), mp.ldexp(5, -713)],
         colmajor(4, 2, [0.8, -0.3, 1.1, 0.5, -1.2, 0.7, 0.4, 1.3]), 2, 1)
    # Oversampled, l = 3 > k = 2 (r = 6)
    so = [mp.ldexp(1, 500), mp.ldexp(3, 495), mp.ldexp(1, -500), mp.ldexp(3, -503), mp.ldexp(1, -503), mp.ldexp(5, -508)]
    Go = colmajor(6, 3, [0.8, 0.4, -1.1, 0.6, 1.2, -0.5, -1.3, 0.9, 0.3, 1.7, -0.7, 0.2, 0.5, -0.6, 1.4, -0.3, 0.9, 1.1])
    for t in (1, 2):
        show('oversampled', so, Go, 2, t)
    show('k = l = 1', [1, mp.ldexp(1, -1000)], [[1], [mp.ldexp(1, -627)]], 1, 1)
    show('t = 3 tiny', [1, 0.5, mp.ldexp(1, -900), mp.ldexp(1, -901)],
         colmajor(4, 2, [1, -0.5, mp.ldexp(1, -600), mp.ldexp(1, -601), 0.25, 1, mp.ldexp(1, -620), -mp.ldexp(1, -599)]), 2, 3)
    show('edge, wide', [1, 0.5, mp.ldexp(1, -1000)],
         colmajor(3, 2, [1, 0.25, mp.ldexp(1, -627), -0.5, 1, mp.ldexp(1, -628)]), 2, 1)
    # tests/c/test_angles_wide.c. Edge case (§1.2) at extreme scale: tail rank < l.
    show('edge E1', [mp.ldexp(1, 600), mp.ldexp(3, 588), mp.ldexp(1, -400), mp.ldexp(5, -413), mp.ldexp(1, -420)],
         colmajor(5, 4, [0.8, -0.3, 1.1, 0.5, -1.2, 0.7, 0.4, 1.3, -0.9, 0.6, -0.5, 1.5, 0.2, -1.1, 0.9,
                         1.2, 0.1, -0.7, 0.3, 1.4]), 2, 1)
    show('edge E2', [mp.ldexp(1, 200), mp.ldexp(1, 180), mp.ldexp(1, 169), mp.ldexp(1, -100)],
         colmajor(4, 3, [1.0, -0.6, 0.3, 0.9, 0.4, 1.2, mp.ldexp(1, -1022), -0.8, -0.7, 0.5, 1.1, 0.6]), 3, 2)
    show('edge E3', [mp.ldexp(1, 700), mp.ldexp(1, 600), mp.ldexp(1, -700)],
         colmajor(3, 3, [1.0, 0.5, 0.25, -0.5, 1.0, 0.75, 0.3, -0.2, 1.0]), 2, 1)
    # Stress-set inputs (random extreme scale) whose column-equilibrated tail
    # failed the κ check before the row-sorted pivoted tail QR: the capped answer.
    h = float.fromhex
    show('kappa K1', [h(x) for x in '0x1.18072e8f9c859p+699 0x1.0741c7bc960dap+698 0x1.d5f4b3ac79505p+551 '
                      '0x1.6ec9d2937021cp+545 0x1.c324c9988c8e2p+537 0x1.008a05b644434p+532'.split()],
         colmajor(6, 2, [h(x) for x in '-0x1.068f242dde788p-3 -0x1.6b27079b33b36p-1 0x1.c86e1e7852474p-3 '
                         '0x1.634b43e93d84fp-5 -0x1.063f5ca9d2438p-1022 -0x1.36ee4bda0753bp+1 0x1.a0ab03f6e4623p-3 '
                         '-0x1.2dc2e449daa0bp+1 -0x1.80410b45ce577p-1 -0x1.8426873ddcdc1p+0 -0x1.ece574a3064dbp+0 '
                         '0x1.1e9653a116c8ap+0'.split()]), 2, 1)
    show('kappa K2', [h(x) for x in '0x1.e0c215b92eabap+464 0x1.d2f3b53bda0a4p-980 0x1.0cbbdbe6ac8cap-981 '
                      '0x1.b7723d429d969p-989'.split()],
         colmajor(4, 3, [h(x) for x in '0x1.4c78dae917a8ep-3 0x1.0f69d82b6933ep+0 0x1.1b23b8250284cp-1022 '
                         '0x1.1ea460a6de082p-2 0x1.45e65d8b6dc0cp+1 -0x1.4354259161d55p-2 0x1.d80928cd54349p-52 '
                         '0x1.e78f6a5724c10p-1 -0x1.801bb97392b24p-2 -0x1.0645a1d8debcep-1 -0x0.8b34eae371c5cp-1022 '
                         '-0x1.42b66221fcc9dp-3'.split()]), 1, 2)
