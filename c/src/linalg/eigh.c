/*
 * eigh.c — symmetric eigensolver (linalg.h: sk_dsyevd).
 *
 * Algorithm (GVL §8.3; LAPACK dsyev = dsytd2 + dorgtr + dsteqr):
 *   1. Scale A by a power of two when its largest entry is tiny or huge.
 *   2. Householder tridiagonalization from the lower triangle,
 *      Qᵀ A Q = T (dsytd2), each step a symmetric matrix-vector product and a
 *      rank-2 update, both sweeping columns of the lower triangle.
 *   3. Implicit-shift QL or QR on T (dsteqr: QL when the bottom is larger,
 *      QR otherwise, Wilkinson-type shift, splitting on negligible
 *      off-diagonals; the direction from the end rows, with one retry in
 *      the other direction if a block uses up its sweeps); the rotations of each sweep are saved and applied to
 *      Q in one column-major pass (dlasr). Values only: no Q is formed and
 *      no rotation is applied.
 *   4. Eigenvalues ascending, vectors permuted alike.
 * Backward stable: eigenvalues within O(n·eps·||A||), vectors orthonormal to
 * O(n·eps).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "svd_internal.h"

#define SK__ULP (0.5 * DBL_EPSILON)

/*
 * Tridiagonalize the lower triangle of the n×n A (dsytd2, uplo = 'L'): on
 * exit d, e hold T, and the reflector H_i (i = 0..n−2, acting on rows
 * i+1..n−1) is stored in A(i+2:n, i), with tau[i]. w: n doubles.
 */
static void sk__sytd2_lower(int n, double *A, int lda, double *d, double *e, double *tau,
                            double *w)
{
    for (int i = 0; i < n - 1; i++) {
        double *x = &SK__AT(A, lda, i + 1, i);
        int len = n - i - 1; /* order of the trailing block A22 */
        double taui = sk__sv_larfg(len, x, x + 1, 1);
        e[i] = *x;
        if (taui != 0.0) {
            /* v = (1; x+1), A22 = A(i+1:n, i+1:n), lower part only. */
            double *A22 = &SK__AT(A, lda, i + 1, i + 1);
            *x = 1.0;
            const double *v = x;
            /* w = tau A22 v, from the lower triangle (one pass over columns). */
            for (int r = 0; r < len; r++) w[r] = 0.0;
            for (int j = 0; j < len; j++) {
                const double *a = A22 + (size_t)j * lda;
                double vj = v[j];
                /* Column j of the lower triangle serves as row j too: a dot
                 * for w[j] and an axpy for w[j+1:], while it is in L1. */
                w[j] += a[j] * vj + sk__sv_dot(len - j - 1, a + j + 1, v + j + 1);
                for (int r = j + 1; r < len; r++) w[r] += a[r] * vj;
            }
            double alpha = 0.0;
            for (int r = 0; r < len; r++) { w[r] *= taui; alpha += w[r] * v[r]; }
            alpha *= -0.5 * taui;
            for (int r = 0; r < len; r++) w[r] += alpha * v[r];
            /* A22 := A22 − v wᵀ − w vᵀ (lower). */
            for (int j = 0; j < len; j++) {
                double *a = A22 + (size_t)j * lda;
                double vj = v[j], wj = w[j];
                for (int r = j; r < len; r++) a[r] -= v[r] * wj + w[r] * vj;
            }
            *x = e[i];
        }
        d[i] = SK__AT(A, lda, i, i);
        tau[i] = taui;
    }
    d[n - 1] = SK__AT(A, lda, n - 1, n - 1);
}

/* Eigenvalues rt1 >= rt2 of [a b; b c] and (cs1, sn1), the unit eigenvector
 * of rt1 (LAPACK dlaev2). */
static void sk__laev2(double a, double b, double c, double *rt1, double *rt2, double *cs1,
                      double *sn1)
{
    double sm = a + c, df = a - c, adf = fabs(df), tb = b + b, ab = fabs(tb);
    double acmx, acmn, rt;
    int sgn1, sgn2;
    if (fabs(a) > fabs(c)) { acmx = a; acmn = c; } else { acmx = c; acmn = a; }
    if (adf > ab) rt = adf * sqrt(1.0 + (ab / adf) * (ab / adf));
    else if (adf < ab) rt = ab * sqrt(1.0 + (adf / ab) * (adf / ab));
    else rt = ab * sqrt(2.0);
    if (sm < 0.0) {
        *rt1 = 0.5 * (sm - rt);
        sgn1 = -1;
        /* The smaller root from the product, to avoid cancellation. */
        *rt2 = (acmx / *rt1) * acmn - (b / *rt1) * b;
    } else if (sm > 0.0) {
        *rt1 = 0.5 * (sm + rt);
        sgn1 = 1;
        *rt2 = (acmx / *rt1) * acmn - (b / *rt1) * b;
    } else {
        *rt1 = 0.5 * rt;
        *rt2 = -0.5 * rt;
        sgn1 = 1;
    }
    double cs;
    if (df >= 0.0) { cs = df + rt; sgn2 = 1; } else { cs = df - rt; sgn2 = -1; }
    if (fabs(cs) > ab) {
        double ct = -tb / cs;
        *sn1 = 1.0 / sqrt(1.0 + ct * ct);
        *cs1 = ct * *sn1;
    } else if (ab == 0.0) {
        *cs1 = 1.0;
        *sn1 = 0.0;
    } else {
        double tn = -cs / tb;
        *cs1 = 1.0 / sqrt(1.0 + tn * tn);
        *sn1 = tn * *cs1;
    }
    if (sgn1 == sgn2) {
        double tn = *cs1;
        *cs1 = -*sn1;
        *sn1 = tn;
    }
}

/*
 * Implicit QL/QR on the symmetric tridiagonal (d, e) of order n (LAPACK
 * dsteqr, compz = 'V' when Z != NULL): Z := Z·(the eigenvector rotations), Z
 * n×n, applied through the deferred queue (svd_internal.h). On exit d
 * ascending (Z columns alike). work: (2 + 4·SK__SWEEPS)·n doubles.
 * Returns 0 or SK_ENOCONV. 1-based indices, as the reference.
 */
static int sk__steqr(int n, double *d, double *e, double *Z, int ldz, double *work)
{
#define D(i) d[(i) - 1]
#define E(i) e[(i) - 1]
#define WORK(i) work[(i) - 1]
    const double eps = SK__ULP, eps2 = eps * eps, safmin = DBL_MIN, safmax = 1.0 / DBL_MIN;
    const double ssfmax = sqrt(safmax) / 3.0, ssfmin = sqrt(safmin) / eps2;
    const int maxit = 30;
    if (n <= 1) return 0;
    int nmaxit = n * maxit, jtot = 0;
    int l1 = 1, nm1 = n - 1;
    int status = 0;
    /* One retry in the other direction when a block uses up the sweeps: the
     * direction test below is a heuristic, and on some graded matrices (a
     * tiny end row that the split test cannot cut off because its diagonal
     * is exactly 0) it picks the direction in which the shifts never reach
     * the small end. The state is still an exact orthogonal similarity, so
     * the iteration simply goes on from it, with a fresh sweep budget. */
    int force = -1, last_qr = 0, retried = 0; /* force: -1 none, 0 QL, 1 QR */
    sk__rotq q = { n, 0, { 0 }, { 0 }, { 0 }, work + 2 * (size_t)n, Z, NULL, ldz, n, 0, 0 };
    for (;;) {
        if (l1 > n) break;
        if (l1 > 1) E(l1 - 1) = 0.0;
        /* Split at negligible off-diagonals. */
        int m;
        for (m = l1; m <= nm1; m++) {
            double tst = fabs(E(m));
            if (tst == 0.0) break;
            if (tst <= (sqrt(fabs(D(m))) * sqrt(fabs(D(m + 1)))) * eps) { E(m) = 0.0; break; }
        }
        if (m > nm1) m = n;
        int l = l1, lsv = l, lend = m, lendsv = lend;
        l1 = m + 1;
        if (lend == l) continue;
        /* Scale the block into a range where squares neither overflow nor underflow. */
        double anorm = 0.0;
        for (int i = l; i <= lend; i++) anorm = SK__MAX(anorm, fabs(D(i)));
        for (int i = l; i <= lend - 1; i++) anorm = SK__MAX(anorm, fabs(E(i)));
        int iscale = 0;
        if (anorm == 0.0) continue;
        double sfac = 1.0;
        if (anorm > ssfmax) { iscale = 1; sfac = ssfmax / anorm; }
        if (anorm < ssfmin) { iscale = 2; sfac = ssfmin / anorm; }
        if (iscale) {
            for (int i = l; i <= lend; i++) D(i) *= sfac;
            for (int i = l; i <= lend - 1; i++) E(i) *= sfac;
        }
        /* QL when the bottom end is larger (the iteration converges at the
         * top then), QR otherwise. dsteqr compares the end diagonals alone;
         * we compare the end rows (|d| + |e|): with a zero d(1) under a huge
         * e(1) (a graded matrix, large end on top) the diagonals pick QL,
         * whose top-2×2 shift then leaves the tiny bottom untouched and the
         * sweep limit is reached (LAPACK's dsteqr fails alike, INFO > 0). */
        int qr_dir = fabs(D(lend)) + fabs(E(lend - 1)) < fabs(D(l)) + fabs(E(l));
        if (force >= 0) { qr_dir = force; force = -1; }
        last_qr = qr_dir;
        if (qr_dir) { lend = lsv; l = lendsv; }
        if (lend > l) {
            /* QL iteration. */
            for (;;) {
                if (l != lend) {
                    for (m = l; m <= lend - 1; m++) {
                        double tst = fabs(E(m)) * fabs(E(m));
                        if (tst <= (eps2 * fabs(D(m))) * fabs(D(m + 1)) + safmin) break;
                    }
                } else {
                    m = lend;
                }
                if (m < lend) E(m) = 0.0;
                double p = D(l);
                if (m == l) {
                    /* Eigenvalue found. */
                    D(l) = p;
                    l++;
                    if (l <= lend) continue;
                    break;
                }
                if (m == l + 1) {
                    double rt1, rt2, c, s;
                    sk__laev2(D(l), E(l), D(l + 1), &rt1, &rt2, &c, &s);
                    if (Z) sk__sv_rotq_push(&q, l - 1, 2, 1, &c, &s, NULL, NULL);
                    D(l) = rt1;
                    D(l + 1) = rt2;
                    E(l) = 0.0;
                    l += 2;
                    if (l <= lend) continue;
                    break;
                }
                if (jtot == nmaxit) break;
                jtot++;
                /* Shift from the leading 2×2 (Wilkinson). */
                double g = (D(l + 1) - p) / (2.0 * E(l));
                double r = hypot(g, 1.0);
                g = D(m) - p + (E(l) / (g + copysign(r, g)));
                double s = 1.0, c = 1.0;
                p = 0.0;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * E(i), b = c * E(i);
                    sk__sv_lartg(g, f, &c, &s, &r);
                    if (i != m - 1) E(i + 1) = r;
                    g = D(i + 1) - p;
                    r = (D(i) - g) * s + 2.0 * c * b;
                    p = s * r;
                    D(i + 1) = g + p;
                    g = c * r - b;
                    if (Z) { WORK(i) = c; WORK(n - 1 + i) = -s; }
                }
                if (Z) sk__sv_rotq_push(&q, l - 1, m - l + 1, 1, &WORK(l), &WORK(n - 1 + l), NULL, NULL);
                D(l) = D(l) - p;
                E(l) = g;
            }
        } else {
            /* QR iteration. */
            for (;;) {
                if (l != lend) {
                    for (m = l; m >= lend + 1; m--) {
                        double tst = fabs(E(m - 1)) * fabs(E(m - 1));
                        if (tst <= (eps2 * fabs(D(m))) * fabs(D(m - 1)) + safmin) break;
                    }
                } else {
                    m = lend;
                }
                if (m > lend) E(m - 1) = 0.0;
                double p = D(l);
                if (m == l) {
                    D(l) = p;
                    l--;
                    if (l >= lend) continue;
                    break;
                }
                if (m == l - 1) {
                    double rt1, rt2, c, s;
                    sk__laev2(D(l - 1), E(l - 1), D(l), &rt1, &rt2, &c, &s);
                    if (Z) sk__sv_rotq_push(&q, l - 2, 2, 0, &c, &s, NULL, NULL);
                    D(l - 1) = rt1;
                    D(l) = rt2;
                    E(l - 1) = 0.0;
                    l -= 2;
                    if (l >= lend) continue;
                    break;
                }
                if (jtot == nmaxit) break;
                jtot++;
                double g = (D(l - 1) - p) / (2.0 * E(l - 1));
                double r = hypot(g, 1.0);
                g = D(m) - p + (E(l - 1) / (g + copysign(r, g)));
                double s = 1.0, c = 1.0;
                p = 0.0;
                for (int i = m; i <= l - 1; i++) {
                    double f = s * E(i), b = c * E(i);
                    sk__sv_lartg(g, f, &c, &s, &r);
                    if (i != m) E(i - 1) = r;
                    g = D(i) - p;
                    r = (D(i + 1) - g) * s + 2.0 * c * b;
                    p = s * r;
                    D(i) = g + p;
                    g = c * r - b;
                    if (Z) { WORK(i) = c; WORK(n - 1 + i) = s; }
                }
                if (Z) sk__sv_rotq_push(&q, m - 1, l - m + 1, 0, &WORK(m), &WORK(n - 1 + m), NULL, NULL);
                D(l) = D(l) - p;
                E(l - 1) = g;
            }
        }
        /* Undo the block scaling. */
        if (iscale) {
            double inv = 1.0 / sfac;
            for (int i = lsv; i <= lendsv; i++) D(i) *= inv;
            for (int i = lsv; i <= lendsv - 1; i++) E(i) *= inv;
        }
        if (jtot >= nmaxit && !retried) {
            retried = 1;
            jtot = 0;
            force = !last_qr;
            l1 = lsv; /* the block again (deflated parts split off at once) */
            continue;
        }
        if (jtot >= nmaxit) {
            for (int i = 1; i <= n - 1; i++)
                if (E(i) != 0.0) { status = SK_ENOCONV; break; }
            if (status) { sk__sv_rotq_flush(&q); return status; }
            break;
        }
    }
    sk__sv_rotq_flush(&q);
    /* Ascending order; selection sort, at most n−1 column swaps. */
    for (int ii = 2; ii <= n; ii++) {
        int i = ii - 1, k = i;
        double p = D(i);
        for (int j = ii; j <= n; j++)
            if (D(j) < p) { k = j; p = D(j); }
        if (k != i) {
            D(k) = D(i);
            D(i) = p;
            if (Z) {
                double *a = Z + (size_t)(i - 1) * ldz, *b = Z + (size_t)(k - 1) * ldz;
                for (int r = 0; r < n; r++) { double t = a[r]; a[r] = b[r]; b[r] = t; }
            }
        }
    }
    return status;
#undef D
#undef E
#undef WORK
}

int sk_dsyevd(int vectors, int n, double *A, int lda, double *w)
{
    if (vectors != 0 && vectors != 1) return -1;
    if (n < 0) return -2;
    if (!A && n > 0) return -3;
    if (lda < SK__MAX(1, n)) return -4;
    if (!w && n > 0) return -5;
    if (n == 0) return 0;
    if (n == 1) {
        w[0] = A[0];
        if (vectors) A[0] = 1.0;
        return 0;
    }
    /* Scale into [sqrt(safmin/eps), sqrt(1/(safmin/eps))] as dsyev does. */
    double anrm = 0.0;
    for (int j = 0; j < n; j++)
        for (int i = j; i < n; i++) anrm = SK__MAX(anrm, fabs(SK__AT(A, lda, i, j)));
    const double smlnum = DBL_MIN / SK__ULP;
    const double rmin = sqrt(smlnum), rmax = sqrt(1.0 / smlnum);
    int sexp = sk__sv_pow2_exp(anrm, rmin, rmax);
    if (sexp != 0)
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++) SK__AT(A, lda, i, j) = ldexp(SK__AT(A, lda, i, j), sexp);

    double *work = sk__alloc_doubles(4 + 4 * SK__SWEEPS, n);
    if (!work) return SK_ENOMEM;
    double *e = work, *tau = e + n, *wk = tau + n; /* wk: steqr's work (sytd2 uses n) */
    sk__sytd2_lower(n, A, lda, w, e, tau, wk);
    int status;
    if (vectors) {
        /* Q = diag(1, Q') where Q' is formed (blocked, sk_dorgqr) from the
         * reflectors shifted one column right (dorgtr, lower): reflector i
         * becomes a QR reflector of order n−1 in column i+1. */
        for (int j = n - 1; j >= 1; j--) {
            SK__AT(A, lda, 0, j) = 0.0;
            for (int i = j + 1; i < n; i++) SK__AT(A, lda, i, j) = SK__AT(A, lda, i, j - 1);
        }
        A[0] = 1.0;
        for (int i = 1; i < n; i++) A[i] = 0.0;
        status = sk_dorgqr(n - 1, n - 1, n - 1, A + 1 + lda, lda, tau);
        if (status == 0) status = sk__steqr(n, w, e, A, lda, wk);
    } else {
        status = sk__steqr(n, w, e, NULL, 0, wk);
    }
    SK_FREE(work);
    if (sexp != 0)
        for (int i = 0; i < n; i++) w[i] = ldexp(w[i], -sexp);
    return status;
}
