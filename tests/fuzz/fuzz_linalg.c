/*
 * fuzz_linalg.c — libFuzzer harness for the dense factorizations of linalg.h:
 * sk_dgeqrf + sk_dorgqr + sk_dormqr, sk_dgeqp3 (CPQR), sk_dgetrf +
 * sk_ipiv_to_perm, sk_dpotrf, sk_dgesvd and sk_dsyevd, with sizes, leading
 * dimensions, options and entries from the input (fuzz_input.h).
 *
 * A non-zero status is fine (bad arguments must be rejected); a crash, a
 * sanitizer report, a hang or a broken invariant is a finding. Invariants,
 * checked when the input is finite:
 *   QR      tau and R finite; Q orthonormal columns (||QᵀQ − I||_max small).
 *   CPQR    rank in [0, maxrank], jpvt a permutation, tau finite; res2 finite
 *           and >= 0 when the entries are in [1e-100, 1e100] (outside that the
 *           residual mass may legitimately overflow or underflow).
 *   LU      ipiv in range, sk_ipiv_to_perm gives a permutation.
 *   Cholesky status 0 → a finite factor with a positive diagonal.
 *   SVD     no ENOCONV; s finite, descending, >= 0; Σs² = ||A||_F² to
 *           1e-10 relative in the moderate range above.
 *   eigh    no ENOCONV; w finite and ascending; Σw = trace(A) and
 *           Σw² = ||A||_F² to 1e-10·||A||_F (²) in the moderate range.
 */
#include "fuzz_input.h"

/* The input is in a range where sums of squares neither overflow nor underflow. */
static int moderate(int m, int n, const double *A, int lda)
{
    double mx = fz_maxabs(m, n, A, lda);
    return mx == 0.0 || (mx >= 1e-100 && mx <= 1e100);
}

/* Singular values and eigenvalues are at most n·max|a_ij|: they are
 * representable, and must come out finite, when that is below DBL_MAX. */
static int representable(int m, int n, const double *A, int lda)
{
    return fz_maxabs(m, n, A, lda) <= DBL_MAX / (2.0 * (m > n ? m : n));
}

static double fro2(int m, int n, const double *A, int lda)
{
    double s = 0.0;
    if (m <= 0 || n <= 0 || lda < m) return 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) s += A[(size_t)j * lda + i] * A[(size_t)j * lda + i];
    return s;
}

static void fuzz_qr(fz_in *in, int m, int n, double *A, int lda, int finite)
{
    int k = m < n ? m : n;
    double *tau = fz_alloc((size_t)(k > 0 ? k : 1));
    int mod = finite && moderate(m, n, A, lda);
    int st = sk_dgeqrf(m, n, A, lda, tau);
    if (st == 0 && finite && m >= n && n > 0) {
        FZ_CHECK(fz_all_finite((size_t)k, tau), "dgeqrf: tau not finite (m=%d n=%d)", m, n);
        if (!mod) { free(tau); return; }
        int kk = fz_range(in, 0, n);
        st = sk_dorgqr(m, n, kk, A, lda, tau);
        FZ_CHECK(st == 0 || st == SK_ENOMEM, "dorgqr status %d on valid arguments", st);
        double worst = 0.0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                double d = 0.0;
                for (int i = 0; i < m; i++) d += A[(size_t)a * lda + i] * A[(size_t)b * lda + i];
                worst = fmax(worst, fabs(d - (a == b)));
            }
        FZ_CHECK(worst <= 1e-10, "dorgqr: ||QᵀQ − I||_max = %g (m=%d n=%d k=%d)", worst, m, n, kk);
    }
    free(tau);
}

static void fuzz_cpqr(fz_in *in, int m, int n, double *A, int lda, int finite)
{
    int k = m < n ? m : n;
    int maxrank = fz_size(in, k > 0 ? k : 0);
    static const double tols[6] = { 0.0, 1e-30, 1e-12, 0.5, -1.0, NAN };
    double tol = tols[fz_u8(in) % 6];
    int nn = n > 0 ? n : 1;
    int *jpvt = (int *)calloc((size_t)nn, sizeof(int));
    double *tau = fz_alloc((size_t)(k > 0 ? k : 1));
    int rank = -7;
    double res2 = -1.0;
    int mod = finite && moderate(m, n, A, lda);
    int st = sk_dgeqp3(m, n, A, lda, jpvt, tau, maxrank, tol, &rank, &res2);
    if (st == 0 && finite) {
        FZ_CHECK(rank >= 0 && rank <= maxrank, "dgeqp3: rank %d outside [0, %d]", rank, maxrank);
        FZ_CHECK(fz_distinct_in_range(n, jpvt, n), "dgeqp3: jpvt is not a permutation (n=%d)", n);
        FZ_CHECK(fz_all_finite((size_t)k, tau), "dgeqp3: tau not finite");
        if (mod) FZ_CHECK(isfinite(res2) && res2 >= 0.0, "dgeqp3: res2 = %g", res2);
    }
    free(jpvt);
    free(tau);
}

static void fuzz_lu(int m, int n, double *A, int lda, int finite)
{
    int k = m < n ? m : n;
    int *ipiv = (int *)calloc((size_t)(k > 0 ? k : 1), sizeof(int));
    int *perm = (int *)calloc((size_t)(m > 0 ? m : 1), sizeof(int));
    int st = sk_dgetrf(m, n, A, lda, ipiv);
    if ((st == 0 || st == SK_ESINGULAR) && k > 0) {
        for (int i = 0; i < k; i++)
            FZ_CHECK(ipiv[i] >= i && ipiv[i] < m, "dgetrf: ipiv[%d] = %d (m=%d)", i, ipiv[i], m);
        FZ_CHECK(sk_ipiv_to_perm(m, k, ipiv, perm) == 0, "ipiv_to_perm rejected dgetrf's ipiv");
        FZ_CHECK(fz_distinct_in_range(m, perm, m), "ipiv_to_perm: not a permutation");
        (void)finite;
    }
    free(ipiv);
    free(perm);
}

static void fuzz_chol(fz_in *in, int n, double *A, int lda, int finite)
{
    /* Half the time make A = BᵀB + δI from the input matrix (PSD, often PD). */
    if (n > 0 && lda >= n && (fz_u8(in) & 1)) {
        double *B = fz_alloc(fz_elems(lda, n));
        memcpy(B, A, fz_elems(lda, n) * sizeof(double));
        double delta = fz_real(in);
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++) {
                double s = 0.0;
                for (int t = 0; t < n; t++) s += B[(size_t)i * lda + t] * B[(size_t)j * lda + t];
                A[(size_t)j * lda + i] = s + (i == j ? delta : 0.0);
            }
        free(B);
        finite = fz_all_finite(fz_elems(lda, n), A);
    }
    sk_uplo_t uplo = (fz_u8(in) & 1) ? SK_LOWER : SK_UPPER;
    if (n > 0 && lda >= n) fz_symmetrize(n, A, lda);
    int st = sk_dpotrf(uplo, n, A, lda);
    if (st == 0 && finite)
        for (int j = 0; j < n; j++) {
            double d = A[(size_t)j * lda + j];
            FZ_CHECK(isfinite(d) && d > 0.0, "dpotrf: status 0 but L(%d,%d) = %g", j, j, d);
        }
}

static void fuzz_svd(fz_in *in, int m, int n, double *A, int lda, int finite)
{
    int k = m < n ? m : n, kk = k > 0 ? k : 1;
    int want = fz_u8(in) % 4;
    int ldu = fz_ld(in, m), ldv = fz_ld(in, n);
    double *s = fz_alloc((size_t)kk);
    double *U = (want & 1) ? fz_alloc(fz_elems(ldu, kk)) : NULL;
    double *V = (want & 2) ? fz_alloc(fz_elems(ldv, kk)) : NULL;
    int mod = finite && m > 0 && n > 0 && lda >= m && moderate(m, n, A, lda);
    double f2 = mod ? fro2(m, n, A, lda) : 0.0;
    finite = finite && representable(m, n, A, lda);
    int st = sk_dgesvd(m, n, A, lda, s, U, ldu, V, ldv);
    if (finite && st != SK_ENOMEM && st >= 0)
        FZ_CHECK(st != SK_ENOCONV, "dgesvd: ENOCONV on a finite %dx%d matrix", m, n);
    if (st == 0 && finite) {
        double sum = 0.0;
        for (int i = 0; i < k; i++) {
            FZ_CHECK(isfinite(s[i]) && s[i] >= 0.0, "dgesvd: s[%d] = %g", i, s[i]);
            if (i) FZ_CHECK(s[i] <= s[i - 1], "dgesvd: s not descending at %d", i);
            sum += s[i] * s[i];
        }
        if (mod) FZ_CHECK(fabs(sum - f2) <= 1e-10 * f2, "dgesvd: Σs² = %.17g, ||A||² = %.17g", sum, f2);
        if (U) FZ_CHECK(fz_all_finite(fz_elems(ldu, kk), U), "dgesvd: U not finite");
        if (V) FZ_CHECK(fz_all_finite(fz_elems(ldv, kk), V), "dgesvd: V not finite");
    }
    free(s);
    free(U);
    free(V);
}

static void fuzz_eigh(fz_in *in, int n, double *A, int lda, int finite)
{
    int vectors = fz_u8(in) % 3; /* 2 is an invalid flag */
    double *w = fz_alloc((size_t)(n > 0 ? n : 1));
    int ok = n > 0 && lda >= n;
    if (ok) fz_symmetrize(n, A, lda);
    fz_save(n, n, A, lda);
    int mod = finite && ok && moderate(n, n, A, lda);
    double tr = 0.0, f2 = mod ? fro2(n, n, A, lda) : 0.0;
    finite = finite && representable(n, n, A, lda);
    if (mod)
        for (int i = 0; i < n; i++) tr += A[(size_t)i * lda + i];
    int st = sk_dsyevd(vectors, n, A, lda, w);
    if (finite && st >= 0 && st != SK_ENOMEM)
        FZ_CHECK(st != SK_ENOCONV, "dsyevd: ENOCONV on a finite symmetric %dx%d matrix", n, n);
    if (st == 0 && finite && n > 0) {
        double sw = 0.0, sw2 = 0.0;
        for (int i = 0; i < n; i++) {
            FZ_CHECK(isfinite(w[i]), "dsyevd: w[%d] = %g", i, w[i]);
            if (i) FZ_CHECK(w[i] >= w[i - 1], "dsyevd: w not ascending at %d", i);
            sw += w[i];
            sw2 += w[i] * w[i];
        }
        if (mod) {
            FZ_CHECK(fabs(sw - tr) <= 1e-10 * sqrt(f2) * n, "dsyevd: Σw = %.17g, trace = %.17g", sw, tr);
            FZ_CHECK(fabs(sw2 - f2) <= 1e-10 * f2, "dsyevd: Σw² = %.17g, ||A||² = %.17g", sw2, f2);
        }
        if (vectors == 1) FZ_CHECK(fz_all_finite(fz_elems(lda, n), A), "dsyevd: vectors not finite");
    }
    free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    int op = fz_u8(&in) % 6;
    int m = fz_size(&in, 24), n = fz_size(&in, 24);
    if (op == 3 || op == 5) m = n;
    int lda = fz_ld(&in, m);
    size_t cap = fz_elems(lda, n);
    double *A = fz_alloc(cap);
    fz_matrix(&in, m, n, A, lda);
    /* "finite" gates the invariants: finite input whose norms are representable. */
    int finite = fz_all_finite(cap, A) && representable(m, n, A, lda);
    fz_save(m, n, A, lda);
    switch (op) {
    case 0: fuzz_qr(&in, m, n, A, lda, finite); break;
    case 1: fuzz_cpqr(&in, m, n, A, lda, finite); break;
    case 2: fuzz_lu(m, n, A, lda, finite); break;
    case 3: fuzz_chol(&in, n, A, lda, finite); break;
    case 4: fuzz_svd(&in, m, n, A, lda, finite); break;
    default: fuzz_eigh(&in, n, A, lda, finite); break;
    }
    free(A);
    return 0;
}
