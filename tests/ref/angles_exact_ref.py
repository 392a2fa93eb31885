"""Reference values for sk_angles_exact at extreme scale (tests/c/test_regressions.c,
test_angles_exact_dbl_min_G; tests/js/regressions.test.mjs).

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
