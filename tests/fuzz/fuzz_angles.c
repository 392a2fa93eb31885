/*
 * fuzz_angles.c — libFuzzer harness for the canonical angles and the bounds
 * on them (svdsketch.h): sk_canonical_sines, sk_angles_exact, sk_angles_mc,
 * sk_spectrum_pad, sk_angles_prior, sk_angles_residual, sk_angles_subres,
 * sk_rsvd_plan_phi and sk_rsvd_plan, with sizes, spectra (sorted, often with
 * zeros, ties and extreme values), sketch matrices G and the knobs from the
 * input (fuzz_input.h).
 *
 * A non-zero status is fine; a crash, sanitizer report, hang or broken
 * invariant is a finding. Invariants when the status is 0:
 *   sines (canonical, exact, mc, prior, residual): every value in [0, 1],
 *   never NaN; the exact and canonical ones ascending; canonical sines only
 *   when Uk and X were orthonormalized first; subres: all NaN with
 *   applicable = 0, or all in [0, 1]; plan: lq in [0, r], qbest in [-1, qmax].
 *   exact, any status: the same status and bits under σ·2^a, G·2^b when
 *   both scalings are exact (normal σ, no G entry rounded).
 */
#include "fuzz_input.h"

/* r values, sorted descending, >= 0 (a few raw, unsorted or negative when
 * `raw`): the spectra the functions document as valid, plus invalid ones. */
static double *spectrum(fz_in *in, int r, int raw)
{
    /* Room for 16 more (zeros), so a caller may read past r (pad's l). */
    double *s = fz_alloc((size_t)(r > 0 ? r : 0) + 16);
    for (int i = 0; i < r; i++) s[i] = raw ? fz_real(in) : fabs(fz_real(in));
    if (!raw)
        for (int i = 1; i < r; i++)
            for (int j = i; j > 0 && s[j] > s[j - 1]; j--) { double t = s[j]; s[j] = s[j - 1]; s[j - 1] = t; }
    return s;
}

static void check_sines(const char *what, int k, const double *x, int ascending)
{
    for (int i = 0; i < k; i++) {
        FZ_CHECK(x[i] >= 0.0 && x[i] <= 1.0, "%s: sine[%d] = %g", what, i, x[i]);
        if (ascending && i) FZ_CHECK(x[i] >= x[i - 1], "%s: not ascending at %d", what, i);
    }
}

/* Orthonormalize the m×k matrix Q (ld m) in place: Householder QR + Q. */
static int orthonormalize(int m, int k, double *Q)
{
    double *tau = fz_alloc((size_t)(k > 0 ? k : 1));
    int st = sk_dgeqrf(m, k, Q, m, tau);
    if (st == 0) st = sk_dorgqr(m, k, k, Q, m, tau);
    free(tau);
    return st;
}

static void fuzz_canonical(fz_in *in)
{
    int m = fz_size(in, 16), k = fz_size(in, 16), l = fz_size(in, 16);
    int ortho = fz_u8(in) % 4 != 0;
    int ldu = fz_ld(in, m), ldx = fz_ld(in, m);
    double *Uk = fz_alloc(fz_elems(ldu, k)), *X = fz_alloc(fz_elems(ldx, l));
    int valid = m >= 1 && k >= 1 && l >= k && m >= l && ldu >= m && ldx >= m;
    double *Ut = NULL, *Xt = NULL;
    if (valid && ortho) {
        Ut = fz_alloc((size_t)m * k);
        Xt = fz_alloc((size_t)m * l);
        fz_matrix(in, m, k, Ut, m);
        fz_matrix(in, m, l, Xt, m);
        if (!fz_moderate(m, k, Ut, m) || !fz_moderate(m, l, Xt, m) || orthonormalize(m, k, Ut) ||
            orthonormalize(m, l, Xt))
            ortho = 0;
        for (int j = 0; j < k; j++) memcpy(Uk + (size_t)j * ldu, Ut + (size_t)j * m, (size_t)m * sizeof(double));
        for (int j = 0; j < l; j++) memcpy(X + (size_t)j * ldx, Xt + (size_t)j * m, (size_t)m * sizeof(double));
    } else {
        fz_matrix(in, m, k, Uk, ldu);
        fz_matrix(in, m, l, X, ldx);
        ortho = 0;
    }
    int kk = k > 0 ? k : 1;
    double *sines = fz_alloc((size_t)kk), *theta = fz_alloc((size_t)kk);
    int st = sk_canonical_sines(m, k, Uk, ldu, l, X, ldx, sines, (fz_u8(in) & 1) ? theta : NULL);
    if (st == 0 && ortho) {
        FZ_CHECK(st != SK_ENOCONV, "canonical_sines: ENOCONV");
        check_sines("canonical_sines", k, sines, 1);
    }
    free(Uk); free(X); free(Ut); free(Xt); free(sines); free(theta);
}

/* sk_angles_exact on (σ·2^a, G·2^b), when both scalings are exact (no
 * entry leaves the normal range or rounds), gives the same status and the
 * same bits: range(Σ^t G) and the sines do not depend on the scale, and the
 * library uses only power-of-two scalings of it (svdsketch.h). */
static void scale_invariance(fz_in *in, int r, const double *sig, int k, int l, int t, const double *G, int ldg,
                             int st0, const double *s0)
{
    const int a = (int)(fz_u8(in) % 41) * 25 - 500, b = (int)(fz_u8(in) % 41) * 50 - 1000;
    double *sg = fz_alloc((size_t)r), *Gs = fz_alloc(fz_elems(ldg, l)), *s = fz_alloc((size_t)k);
    int exact = 1;
    for (int i = 0; i < r && exact; i++) {
        sg[i] = ldexp(sig[i], a);
        exact = ldexp(sg[i], -a) == sig[i] && (sig[i] == 0.0 || fabs(sig[i]) >= DBL_MIN) &&
                (sg[i] == 0.0 || fabs(sg[i]) >= DBL_MIN);
    }
    for (int j = 0; j < l && exact; j++)
        for (int i = 0; i < r && exact; i++) {
            const double g = G[(size_t)j * ldg + i];
            Gs[(size_t)j * ldg + i] = ldexp(g, b);
            exact = ldexp(Gs[(size_t)j * ldg + i], -b) == g;
        }
    if (exact) {
        int st = sk_angles_exact(r, sg, k, l, t, Gs, ldg, s);
        FZ_CHECK(st == st0, "angles_exact: status %d, %d under sigma*2^%d, G*2^%d", st0, st, a, b);
        for (int i = 0; st == 0 && st0 == 0 && i < k; i++)
            FZ_CHECK(memcmp(&s[i], &s0[i], sizeof s[i]) == 0, "angles_exact: sine %d %a -> %a under sigma*2^%d, G*2^%d",
                     i, s0[i], s[i], a, b);
    }
    free(sg); free(Gs); free(s);
}

static void fuzz_exact(fz_in *in, int mc)
{
    int r = fz_size(in, 12), k = fz_size(in, 12), l = fz_size(in, 14), t = fz_size(in, 9);
    int raw = fz_u8(in) % 8 == 0;
    double *sig = spectrum(in, r, raw);
    int kk = k > 0 ? k : 1;
    double *sines = fz_alloc((size_t)kk), *lo = fz_alloc((size_t)kk), *hi = fz_alloc((size_t)kk);
    int st;
    if (mc) {
        int ntrial = fz_size(in, 4);
        sk_rng_t rng;
        sk_rng_init(&rng, fz_u32(in), 5);
        st = sk_angles_mc(r, sig, k, l, t, ntrial, &rng, sines, lo, hi);
    } else {
        int ldg = fz_ld(in, r);
        double *G = fz_alloc(fz_elems(ldg, l));
        fz_matrix(in, r, l, G, ldg);
        fz_save(r, l, G, ldg);
        st = sk_angles_exact(r, sig, k, l, t, G, ldg, sines);
        if (!raw && r >= 1 && k >= 1 && k <= r && l >= k && ldg >= r) scale_invariance(in, r, sig, k, l, t, G, ldg, st, sines);
        free(G);
    }
    if (st == 0) check_sines(mc ? "angles_mc" : "angles_exact", k, sines, !mc);
    FZ_CHECK(st != SK_ENOCONV || raw, "angles: ENOCONV");
    free(sig); free(sines); free(lo); free(hi);
}

static void fuzz_bounds(fz_in *in)
{
    int what = fz_u8(in) % 5;
    int r = fz_size(in, 14), k = fz_size(in, 12), l = fz_size(in, 14), t = fz_size(in, 9);
    int raw = fz_u8(in) % 8 == 0;
    double *sig = spectrum(in, r > k ? r : k, raw);
    int kk = k > 0 ? k : 1;
    double *a = fz_alloc((size_t)kk), *b = fz_alloc((size_t)kk), *c = fz_alloc((size_t)kk),
           *d = fz_alloc((size_t)kk);
    static const double epss[6] = { 0.0, 0.5, 1.0, 2.0, -1.0, 1e300 };
    double eps = epss[fz_u8(in) % 6];
    if (what == 0) {
        int st = sk_angles_prior(r, sig, k, l, t, eps, fz_range(in, 0, 2), a, (fz_u8(in) & 1) ? b : NULL);
        if (st == 0) check_sines("angles_prior", k, a, 0);
    } else if (what == 1) {
        double normE = fabs(fz_real(in));
        double *svE = spectrum(in, k, 0);
        int st = sk_angles_residual(k, sig, normE, (fz_u8(in) & 1) ? svE : NULL, a);
        if (st == 0) check_sines("angles_residual", k, a, 0);
        free(svE);
    } else if (what == 2) {
        int applicable = -1;
        double sh = fabs(fz_real(in)), e3 = fabs(fz_real(in)), e32 = fabs(fz_real(in)), e33 = fabs(fz_real(in));
        int st = sk_angles_subres(k, sig, sh, e3, e32, e33, a, b, c, d, &applicable);
        if (st == 0) {
            FZ_CHECK(applicable == 0 || applicable == 1, "subres: applicable = %d", applicable);
            for (int i = 0; i < k; i++) {
                double v[4] = { a[i], b[i], c[i], d[i] };
                for (int j = 0; j < 4; j++)
                    FZ_CHECK(applicable ? (v[j] >= 0.0 && v[j] <= 1.0) : isnan(v[j]),
                             "subres: bound %d[%d] = %g (applicable %d)", j, i, v[j], applicable);
            }
        }
    } else if (what == 3) {
        int lo = fz_size(in, 12);
        double *out = fz_alloc((size_t)(r > 0 ? r : 1));
        int st = sk_spectrum_pad(lo, sig, r, out);
        if (st == 0)
            for (int i = 0; i < r; i++) FZ_CHECK(out[i] >= 0.0 && isfinite(out[i]), "pad: out[%d] = %g", i, out[i]);
        free(out);
    } else {
        int qmax = fz_size(in, 6), budget = fz_size(in, 40), ntrial = fz_size(in, 3);
        int *lq = (int *)calloc((size_t)(qmax > 0 ? qmax + 1 : 1), sizeof(int));
        double *score = fz_alloc((size_t)(qmax > 0 ? qmax + 1 : 1));
        int qbest = -7;
        sk_rng_t rng;
        sk_rng_init(&rng, fz_u32(in), 6);
        int st = sk_rsvd_plan(r, sig, k, budget, qmax, eps, ntrial, (fz_u8(in) & 1) ? &rng : NULL, lq,
                              score, &qbest);
        if (st == 0) {
            FZ_CHECK(qbest >= -1 && qbest <= qmax, "plan: qbest %d (qmax %d)", qbest, qmax);
            for (int q = 0; q <= qmax; q++) FZ_CHECK(lq[q] >= 0 && lq[q] <= r, "plan: lq[%d] = %d", q, lq[q]);
        }
        double phi[8];
        int qb = -7;
        st = sk_rsvd_plan_phi(fz_real(in), fz_real(in), fz_real(in), fz_real(in), qmax, phi, &qb);
        if (st == 0) FZ_CHECK(qb >= -1 && qb <= qmax, "plan_phi: qbest %d", qb);
        free(lq); free(score);
    }
    free(sig); free(a); free(b); free(c); free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    switch (fz_u8(&in) % 4) {
    case 0: fuzz_canonical(&in); break;
    case 1: fuzz_exact(&in, 0); break;
    case 2: fuzz_exact(&in, 1); break;
    default: fuzz_bounds(&in); break;
    }
    return 0;
}
