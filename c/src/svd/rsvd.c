/*
 * rsvd.c — randomized subspace iteration with a selectable normalizer (HMT
 * Alg. 4.4 + 5.1, specs/svd_bounds.md §2.2), and the residual-norm
 * estimators that need the operator (§1.9, §1.6): block power method,
 * HMT's probabilistic bound, the subresidual norms.  See svdsketch.h.
 *
 * Every product with A goes through sk__apply, which maps the callback's
 * status and counts the vectors, so budgets compare honestly (§5 item 7).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "prescale.h"

/* ------------------------------------------------------------------ operator */

/* Y = op(A) X for b vectors; counts them; maps a failing callback's status. */
static int sk__apply(const sk_op_t *A, int trans, int b, const double *X, int ldx, double *Y,
                     int ldy, sk_rsvd_stats_t *st)
{
    int rc = A->apply(A->ctx, trans, b, X, ldx, Y, ldy);
    if (rc != 0) return rc > 0 ? rc : SK_EINVAL;
    if (st) {
        /* Saturate rather than overflow: the counters are for display. */
        int *c = trans ? &st->matvecs_at : &st->matvecs_a;
        *c = (*c > 0x7fffffff - b) ? 0x7fffffff : *c + b;
    }
    return 0;
}

typedef struct { int m, n; const double *A; int lda; } sk__dense_ctx;

static int sk__dense_apply(void *ctx, int trans, int b, const double *X, int ldx, double *Y,
                           int ldy)
{
    const sk__dense_ctx *d = ctx;
    if (trans)
        return sk_dgemm(SK_TRANS, SK_NOTRANS, d->n, b, d->m, 1.0, d->A, d->lda, X, ldx, 0.0, Y, ldy);
    return sk_dgemm(SK_NOTRANS, SK_NOTRANS, d->m, b, d->n, 1.0, d->A, d->lda, X, ldx, 0.0, Y, ldy);
}

/* Common validation of a dense matrix argument block (m, n, A, lda = args 1..4). */
static int sk__dense_check(int m, int n, const double *A, int lda)
{
    if (m < 1) return -1;
    if (n < 1) return -2;
    if (!A) return -3;
    if (lda < m) return -4;
    return 0;
}

/* Map a status of an _op routine (whose operator was arg 1) to the dense
 * wrapper's numbering, where the operator is args 1..4. */
static int sk__shift(int info)
{
    return info < 0 ? info - 3 : info;
}

static int sk__op_check(const sk_op_t *A)
{
    return (A && A->apply && A->m >= 1 && A->n >= 1) ? 0 : -1;
}

/* --------------------------------------------------------------- normalizers */

/* Householder QR in place: Y (rows×b, rows >= b) becomes Q. */
static int sk__orth_hqr(int rows, int b, double *Y, int ldy, double *tau)
{
    int info = sk_dgeqrf(rows, b, Y, ldy, tau);
    if (info == 0) info = sk_dorgqr(rows, b, b, Y, ldy, tau);
    return info;
}

/*
 * LU normalizer: P Y = L U, Y ← Pᵀ L (rows×b).  Keeps range(Y) (U is
 * invertible unless Y is rank deficient, where it still spans at least as
 * much as is left) at a third of the cost of QR, with |L| <= 1 so the block
 * stays well scaled — but it is not orthonormal, hence the final QR.
 */
static int sk__norm_lu(int rows, int b, double *Y, int ldy, int *ipiv, int *perm, double *L)
{
    int info = sk_dgetrf(rows, b, Y, ldy, ipiv);
    if (info == SK_ESINGULAR) info = 0; /* a zero pivot still leaves a valid L */
    if (info) return info;
    if ((info = sk_ipiv_to_perm(rows, b, ipiv, perm)) != 0) return info;
    for (int j = 0; j < b; j++)
        for (int i = 0; i < rows; i++) {
            double v = i > j ? SK__AT(Y, ldy, i, j) : (i == j ? 1.0 : 0.0);
            L[(size_t)j * rows + perm[i]] = v; /* row i of P·Y is row perm[i] of Y */
        }
    for (int j = 0; j < b; j++) memcpy(Y + (size_t)j * ldy, L + (size_t)j * rows, (size_t)rows * sizeof *Y);
    return 0;
}

/*
 * One Cholesky-QR pass: G = YᵀY = RᵀR, Y ← Y R⁻¹.  Returns 1 (not an error)
 * when the Gram matrix is not numerically positive definite or R is so
 * ill-conditioned (diagonal ratio > 1e7, i.e. cond(Y) >~ 1e7, where
 * eps·cond(Y)² stops being small) that Y R⁻¹ would not be orthonormal enough
 * for the second pass to repair.
 */
static int sk__cholqr_pass(int rows, int b, double *Y, int ldy, double *G)
{
    int info = sk_dsyrk(SK_UPPER, SK_TRANS, b, rows, 1.0, Y, ldy, 0.0, G, b);
    if (info) return info;
    info = sk_dpotrf(SK_UPPER, b, G, b);
    if (info == SK_ENOTPD) return -100;
    if (info) return info;
    double dmax = 0.0, dmin = DBL_MAX;
    for (int j = 0; j < b; j++) {
        double d = fabs(G[(size_t)j * b + j]);
        if (!isfinite(d)) return -100;
        dmax = SK__MAX(dmax, d);
        dmin = SK__MIN(dmin, d);
    }
    if (!(dmin > 0.0) || dmax > 1e7 * dmin) return -100;
    return sk_dtrsm(SK_RIGHT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, rows, b, 1.0, G, b, Y, ldy);
}

/* Scale a block by an exact power of two so that its largest entry is O(1):
 * the raw powers of NORM_NONE then never overflow, and since the scaling is
 * exact the rounding behaviour (the point of the demo) is unchanged. */
static void sk__pow2_rescale(int rows, int b, double *Y, int ldy)
{
    double mx = 0.0;
    for (int j = 0; j < b; j++)
        for (int i = 0; i < rows; i++) mx = SK__MAX(mx, fabs(SK__AT(Y, ldy, i, j)));
    if (!(mx > 0.0) || !isfinite(mx)) return;
    int e;
    frexp(mx, &e);
    if (e > -64 && e < 64) return;
    for (int j = 0; j < b; j++)
        for (int i = 0; i < rows; i++) SK__AT(Y, ldy, i, j) = ldexp(SK__AT(Y, ldy, i, j), -e);
}

typedef struct {
    double *tau, *G, *L;
    int *ipiv, *perm;
} sk__norm_ws;

/* Apply the chosen normalizer (final != 0 forces Householder QR). */
static int sk__normalize(int kind, int final, int rows, int b, double *Y, int ldy,
                         sk__norm_ws *ws, sk_rsvd_stats_t *st)
{
    if (final) return sk__orth_hqr(rows, b, Y, ldy, ws->tau);
    switch (kind) {
    case SK_RSVD_NORM_NONE:
        sk__pow2_rescale(rows, b, Y, ldy);
        return 0;
    case SK_RSVD_NORM_QR:
        return sk__orth_hqr(rows, b, Y, ldy, ws->tau);
    case SK_RSVD_NORM_LU:
        return sk__norm_lu(rows, b, Y, ldy, ws->ipiv, ws->perm, ws->L);
    default: { /* CHOLQR2 with fallback to Householder */
        /* Keep a copy: a failed pass has already overwritten Y. */
        for (int j = 0; j < b; j++) memcpy(ws->L + (size_t)j * rows, Y + (size_t)j * ldy, (size_t)rows * sizeof *Y);
        int info = sk__cholqr_pass(rows, b, Y, ldy, ws->G);
        if (info == 0) info = sk__cholqr_pass(rows, b, Y, ldy, ws->G);
        if (info != -100) return info;
        if (st) st->orth_fallbacks++;
        for (int j = 0; j < b; j++) memcpy(Y + (size_t)j * ldy, ws->L + (size_t)j * rows, (size_t)rows * sizeof *Y);
        return sk__orth_hqr(rows, b, Y, ldy, ws->tau);
    }
    }
}

/* ------------------------------------------------------------------ the sketch */

int sk_rsvd_op(const sk_op_t *A, int k, int l, int q, int normalizer, sk_rng_t *rng,
               double *X, int ldx, double *Y, int ldy, double *U, int ldu, double *s,
               double *V, int ldv, sk_rsvd_stats_t *stats)
{
    if (sk__op_check(A)) return -1;
    const int m = A->m, n = A->n, mn = SK__MIN(m, n);
    if (k < 1 || k > mn) return SK_ERANK;
    if (l < k || l > mn) return -3;
    if (q < 0) return -4;
    if (normalizer < SK_RSVD_NORM_NONE || normalizer > SK_RSVD_NORM_CHOLQR2) return -5;
    if (!rng) return -6;
    if (X && ldx < m) return -8;
    if (Y && ldy < n) return -10;
    if (!U) return -11;
    if (ldu < m) return -12;
    if (!s) return -13;
    if (!V) return -14;
    if (ldv < n) return -15;

    const int big = SK__MAX(m, n);
    double *Xw = sk__alloc_doubles(m, l), *Zw = sk__alloc_doubles(n, l);
    double *Rt = sk__alloc_doubles(l, l), *Us = sk__alloc_doubles(l, l), *Vs = sk__alloc_doubles(l, l);
    sk__norm_ws ws = { sk__alloc_doubles(l, 1), sk__alloc_doubles(l, l), sk__alloc_doubles(big, l),
                       sk__alloc_ints(l), sk__alloc_ints(big) };
    int info = SK_ENOMEM;
    if (!Xw || !Zw || !Rt || !Us || !Vs || !ws.tau || !ws.G || !ws.L || !ws.ipiv || !ws.perm)
        goto done;

    /* 1–3. Ω (drawn first, documented, so G = VᵀΩ can be re-created), Y = AΩ. */
    if ((info = sk_rng_normal_matrix(rng, n, l, Zw, n)) != 0) goto done;
    if ((info = sk__apply(A, 0, l, Zw, n, Xw, m, stats)) != 0) goto done;
    /* The first basis is a true orthonormalization (§2.2 step 3) except for
     * NONE, which must show what raw powers do. */
    if ((info = sk__normalize(normalizer == SK_RSVD_NORM_NONE ? normalizer : SK_RSVD_NORM_QR,
                              q == 0, m, l, Xw, m, &ws, stats)) != 0)
        goto done;
    /* 4. Power iterations. */
    for (int j = 1; j <= q; j++) {
        if ((info = sk__apply(A, 1, l, Xw, m, Zw, n, stats)) != 0) goto done;
        if ((info = sk__normalize(normalizer, 0, n, l, Zw, n, &ws, stats)) != 0) goto done;
        if ((info = sk__apply(A, 0, l, Zw, n, Xw, m, stats)) != 0) goto done;
        if ((info = sk__normalize(normalizer, j == q, m, l, Xw, m, &ws, stats)) != 0) goto done;
    }
    /* 5–6. Bᵀ = AᵀX = Q_B R_B. */
    if ((info = sk__apply(A, 1, l, Xw, m, Zw, n, stats)) != 0) goto done;
    if ((info = sk_dgeqrf(n, l, Zw, n, ws.tau)) != 0) goto done;
    for (int j = 0; j < l; j++)
        for (int i = 0; i < l; i++) Rt[(size_t)j * l + i] = i >= j ? Zw[(size_t)i * n + j] : 0.0;
    if ((info = sk_dorgqr(n, l, l, Zw, n, ws.tau)) != 0) goto done;
    /* 7. R_Bᵀ = Ũ Σ̂ Ŵᵀ, so B = XᵀA = Ũ Σ̂ (Q_B Ŵ)ᵀ. */
    if ((info = sk_dgesvd(l, l, Rt, l, s, Us, l, Vs, l)) != 0) goto done;
    /* 8. U_l = XŨ, V_l = Q_B Ŵ. */
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, m, l, l, 1.0, Xw, m, Us, l, 0.0, U, ldu)) != 0) goto done;
    if ((info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, n, l, l, 1.0, Zw, n, Vs, l, 0.0, V, ldv)) != 0) goto done;
    if (X)
        for (int j = 0; j < l; j++) memcpy(X + (size_t)j * ldx, Xw + (size_t)j * m, (size_t)m * sizeof *X);
    if (Y)
        for (int j = 0; j < l; j++) memcpy(Y + (size_t)j * ldy, Zw + (size_t)j * n, (size_t)n * sizeof *Y);
done:
    SK_FREE(Xw); SK_FREE(Zw); SK_FREE(Rt); SK_FREE(Us); SK_FREE(Vs);
    SK_FREE(ws.tau); SK_FREE(ws.G); SK_FREE(ws.L); SK_FREE(ws.ipiv); SK_FREE(ws.perm);
    return info;
}

int sk_rsvd(int m, int n, const double *A, int lda, int k, int l, int q, int normalizer,
            sk_rng_t *rng, double *X, int ldx, double *Y, int ldy, double *U, int ldu,
            double *s, double *V, int ldv, sk_rsvd_stats_t *stats)
{
    int info = sk__dense_check(m, n, A, lda);
    if (info) return info;
    sk__dense_ctx ctx = { m, n, A, lda };
    sk_op_t op = { m, n, &ctx, sk__dense_apply };
    /* Validate the remaining arguments before the O(mn) finiteness pass. */
    const int mn = SK__MIN(m, n);
    if (k < 1 || k > mn) return SK_ERANK;
    if (l < k || l > mn) return -6;
    if (q < 0) return -7;
    if (normalizer < SK_RSVD_NORM_NONE || normalizer > SK_RSVD_NORM_CHOLQR2) return -8;
    if (!sk_all_finite(m, n, A, lda)) return SK_ENONFINITE;
    /* Extreme scales (fuzz finding, issue 9: entries near DBL_MAX overflowed
     * A·Ω into Inf singular values with status 0): run on 2^-e·A, max entry in
     * [1/2, 1), as sk_id_cols does. X, Y, U, V do not depend on the scale;
     * s = 2^e·s_scaled (Inf only where σ itself exceeds DBL_MAX). */
    int e = sk__prescale_exponent(m, n, A, lda);
    if (e != 0) {
        double *As = sk__alloc_doubles(m, n);
        if (!As) return SK_ENOMEM;
        sk__scale_pow2(m, n, A, lda, -e, As, m);
        sk__dense_ctx cs = { m, n, As, m };
        sk_op_t ops = { m, n, &cs, sk__dense_apply };
        info = sk__shift(sk_rsvd_op(&ops, k, l, q, normalizer, rng, X, ldx, Y, ldy, U, ldu, s, V, ldv, stats));
        SK_FREE(As);
        if (!info)
            for (int i = 0; i < l; i++) s[i] = ldexp(s[i], e);
        return info;
    }
    return sk__shift(sk_rsvd_op(&op, k, l, q, normalizer, rng, X, ldx, Y, ldy, U, ldu, s, V, ldv, stats));
}

/* ------------------------------------------------------------ residual norms */

int sk_rsvd_resid_fro(double anorm_fro, int l, const double *s, double *res)
{
    if (!(anorm_fro >= 0.0)) return -1;
    if (l < 0) return -2;
    if (!s && l > 0) return -3;
    if (!res) return -4;
    if (!isfinite(anorm_fro)) return SK_ENONFINITE;
    if (anorm_fro == 0.0) { *res = 0.0; return 0; }
    double acc = 0.0;
    for (int i = 0; i < l; i++) {
        if (!isfinite(s[i])) return SK_ENONFINITE;
        double r = s[i] / anorm_fro;
        acc += r * r;
    }
    *res = anorm_fro * sqrt(SK__MAX(0.0, 1.0 - acc));
    return 0;
}

/* Z ← (I − QQᵀ)Z, twice (one projection leaves O(eps·‖Z‖) in range(Q), which
 * matters when the residual is small compared with Z). */
static int sk__project_out(int rows, int l, const double *Q, int ldq, int b, double *Z, int ldz,
                           double *W)
{
    int info = 0;
    for (int pass = 0; pass < 2 && !info; pass++) {
        info = sk_dgemm(SK_TRANS, SK_NOTRANS, l, b, rows, 1.0, Q, ldq, Z, ldz, 0.0, W, l);
        if (!info) info = sk_dgemm(SK_NOTRANS, SK_NOTRANS, rows, b, l, -1.0, Q, ldq, W, l, 1.0, Z, ldz);
    }
    return info;
}

/*
 * Z ← 2^-e·Z with e the exponent of max|z_ij| (so max|z_ij| lands in [1/2, 1)):
 * exact, and the same Z for A and any A·2^j, so the power method neither
 * overflows nor underflows after a few products with a badly scaled A and its
 * iterates do not depend on A's scale (the next orthonormalization removes the
 * factor anyway).
 */
static void sk__normalize_pow2(int rows, int b, double *Z, int ldz)
{
    double amax = 0.0;
    for (int j = 0; j < b; j++)
        for (int i = 0; i < rows; i++) {
            double a = fabs(Z[(size_t)j * ldz + i]);
            if (a > amax) amax = a;
        }
    if (!(amax > 0.0) || !(amax <= DBL_MAX)) return;
    int e = 0;
    (void)frexp(amax, &e);
    int e1 = -e / 2, e2 = -e - e1;
    double f1 = ldexp(1.0, e1), f2 = ldexp(1.0, e2);
    for (int j = 0; j < b; j++)
        for (int i = 0; i < rows; i++) Z[(size_t)j * ldz + i] = (Z[(size_t)j * ldz + i] * f1) * f2;
}

/* Largest singular value of a rows×b block (copied; the block is kept). */
static int sk__smax(int rows, int b, const double *Z, int ldz, double *out)
{
    const int kk = SK__MIN(rows, b);
    if (kk == 0) { *out = 0.0; return 0; }
    double *C = sk__alloc_doubles(rows, b), *sv = sk__alloc_doubles(kk, 1);
    int info = SK_ENOMEM;
    if (C && sv) {
        for (int j = 0; j < b; j++) memcpy(C + (size_t)j * rows, Z + (size_t)j * ldz, (size_t)rows * sizeof *C);
        info = sk_dgesvd(rows, b, C, rows, sv, NULL, 1, NULL, 1);
        if (!info) *out = sv[0];
    }
    SK_FREE(C);
    SK_FREE(sv);
    return info;
}

/* Z = E·G (side 0: (I−UUᵀ)AG; side 1: A(I−VVᵀ)G).  G (n×b) is used as scratch on side 1. */
static int sk__resid_apply(const sk_op_t *A, int side, int l, const double *U, int ldu,
                           const double *V, int ldv, int b, double *G, double *Z, double *W,
                           sk_rsvd_stats_t *st)
{
    const int m = A->m, n = A->n;
    int info;
    if (side == 1 && (info = sk__project_out(n, l, V, ldv, b, G, n, W)) != 0) return info;
    if ((info = sk__apply(A, 0, b, G, n, Z, m, st)) != 0) return info;
    if (side == 0) return sk__project_out(m, l, U, ldu, b, Z, m, W);
    return 0;
}

/* G = Eᵀ·Z (side 0: Aᵀ(I−UUᵀ)Z; side 1: (I−VVᵀ)AᵀZ).  Z is scratch on side 0. */
static int sk__resid_apply_t(const sk_op_t *A, int side, int l, const double *U, int ldu,
                             const double *V, int ldv, int b, double *Z, double *G, double *W,
                             sk_rsvd_stats_t *st)
{
    const int m = A->m, n = A->n;
    int info;
    if (side == 0 && (info = sk__project_out(m, l, U, ldu, b, Z, m, W)) != 0) return info;
    if ((info = sk__apply(A, 1, b, Z, m, G, n, st)) != 0) return info;
    if (side == 1) return sk__project_out(n, l, V, ldv, b, G, n, W);
    return 0;
}

int sk_rsvd_resid_norm2_op(const sk_op_t *A, int l, const double *U, int ldu,
                           const double *V, int ldv, int side, int block, int its,
                           sk_rng_t *rng, double *est, sk_rsvd_stats_t *stats)
{
    if (sk__op_check(A)) return -1;
    const int m = A->m, n = A->n;
    if (l < 1 || l > SK__MIN(m, n)) return -2;
    if (side == 0 && !U) return -3;
    if (side == 0 && ldu < m) return -4;
    if (side == 1 && !V) return -5;
    if (side == 1 && ldv < n) return -6;
    if (side != 0 && side != 1) return -7;
    if (block < 1 || block > n) return -8;
    if (its < 0) return -9;
    if (!rng) return -10;
    if (!est) return -11;

    const int b = block;
    double *G = sk__alloc_doubles(n, b), *Z = sk__alloc_doubles(m, b);
    double *W = sk__alloc_doubles(l, b), *tau = sk__alloc_doubles(b, 1);
    int info = SK_ENOMEM;
    if (!G || !Z || !W || !tau) goto done;
    if ((info = sk_rng_normal_matrix(rng, n, b, G, n)) != 0) goto done;
    if ((info = sk__orth_hqr(n, b, G, n, tau)) != 0) goto done;
    for (int it = 0;; it++) {
        /* The side-1 apply destroys G, which is re-formed below anyway. */
        if ((info = sk__resid_apply(A, side, l, U, ldu, V, ldv, b, G, Z, W, stats)) != 0) goto done;
        if (it == its) break;
        sk__normalize_pow2(m, b, Z, m);
        if ((info = sk__resid_apply_t(A, side, l, U, ldu, V, ldv, b, Z, G, W, stats)) != 0) goto done;
        sk__normalize_pow2(n, b, G, n);
        if ((info = sk__orth_hqr(n, b, G, n, tau)) != 0) goto done;
    }
    /* On side 1 the projection of G is what multiplied A, and it has norm
     * <= 1 per direction, so σ_max(Z) <= ‖E‖₂ still holds. */
    info = sk__smax(m, b, Z, m, est);
done:
    SK_FREE(G); SK_FREE(Z); SK_FREE(W); SK_FREE(tau);
    return info;
}

int sk_rsvd_resid_norm2(int m, int n, const double *A, int lda, int l, const double *U,
                        int ldu, const double *V, int ldv, int side, int block, int its,
                        sk_rng_t *rng, double *est, sk_rsvd_stats_t *stats)
{
    int info = sk__dense_check(m, n, A, lda);
    if (info) return info;
    if (!sk_all_finite(m, n, A, lda)) return SK_ENONFINITE;
    sk__dense_ctx ctx = { m, n, A, lda };
    sk_op_t op = { m, n, &ctx, sk__dense_apply };
    return sk__shift(sk_rsvd_resid_norm2_op(&op, l, U, ldu, V, ldv, side, block, its, rng, est, stats));
}

int sk_rsvd_hmt_estimate_op(const sk_op_t *A, int l, const double *U, int ldu, int r,
                            double alpha, sk_rng_t *rng, double *est, double *fail_prob,
                            sk_rsvd_stats_t *stats)
{
    if (sk__op_check(A)) return -1;
    const int m = A->m, n = A->n;
    if (l < 1 || l > SK__MIN(m, n)) return -2;
    if (!U) return -3;
    if (ldu < m) return -4;
    if (r < 1) return -5;
    if (!(alpha > 1.0) || !isfinite(alpha)) return -6;
    if (!rng) return -7;
    if (!est) return -8;

    double *Om = sk__alloc_doubles(n, r), *Z = sk__alloc_doubles(m, r), *W = sk__alloc_doubles(l, r);
    int info = SK_ENOMEM;
    if (!Om || !Z || !W) goto done;
    if ((info = sk_rng_normal_matrix(rng, n, r, Om, n)) != 0) goto done;
    if ((info = sk__apply(A, 0, r, Om, n, Z, m, stats)) != 0) goto done;
    if ((info = sk__project_out(m, l, U, ldu, r, Z, m, W)) != 0) goto done;
    double mx = 0.0;
    for (int j = 0; j < r; j++) mx = SK__MAX(mx, sk_dnrm2(m, Z + (size_t)j * m, 1));
    /* sqrt(2/π) */
    *est = alpha * 0.79788456080286535588 * mx;
    if (fail_prob) *fail_prob = pow(alpha, -(double)r);
done:
    SK_FREE(Om); SK_FREE(Z); SK_FREE(W);
    return info;
}

int sk_rsvd_hmt_estimate(int m, int n, const double *A, int lda, int l, const double *U,
                         int ldu, int r, double alpha, sk_rng_t *rng, double *est,
                         double *fail_prob, sk_rsvd_stats_t *stats)
{
    int info = sk__dense_check(m, n, A, lda);
    if (info) return info;
    if (!sk_all_finite(m, n, A, lda)) return SK_ENONFINITE;
    sk__dense_ctx ctx = { m, n, A, lda };
    sk_op_t op = { m, n, &ctx, sk__dense_apply };
    return sk__shift(sk_rsvd_hmt_estimate_op(&op, l, U, ldu, r, alpha, rng, est, fail_prob, stats));
}

int sk_rsvd_subres_norms_op(const sk_op_t *A, int k, int l, const double *U, int ldu,
                            const double *s, const double *V, int ldv, int block, int its,
                            sk_rng_t *rng, double *eps3, double *eps32, double *eps33,
                            sk_rsvd_stats_t *stats)
{
    if (sk__op_check(A)) return -1;
    const int m = A->m, n = A->n;
    if (k < 1 || k > l) return -2;
    if (l > SK__MIN(m, n)) return -3;
    if (!U) return -4;
    if (ldu < m) return -5;
    if (!s) return -6;
    if (!V) return -7;
    if (ldv < n) return -8;
    if (block < 1 || block > n) return -9;
    if (its < 0) return -10;
    if (!rng) return -11;
    if (!eps3) return -12;
    if (!eps32) return -13;
    if (!eps33) return -14;

    double *E3 = sk__alloc_doubles(m, l), *W = sk__alloc_doubles(l, l);
    int info = SK_ENOMEM;
    if (!E3 || !W) goto done;
    /* E3 = (I − XXᵀ)AV_l, which equals AV_l − U_lΣ̂ (XXᵀAV_l = U_lΣ̂) but has
     * no cancellation against U_lΣ̂ when E3 is small. */
    if ((info = sk__apply(A, 0, l, V, ldv, E3, m, stats)) != 0) goto done;
    if ((info = sk__project_out(m, l, U, ldu, l, E3, m, W)) != 0) goto done;
    if ((info = sk__smax(m, l, E3, m, eps3)) != 0) goto done;
    *eps32 = 0.0;
    if (l > k && (info = sk__smax(m, l - k, E3 + (size_t)k * m, m, eps32)) != 0) goto done;
    info = sk_rsvd_resid_norm2_op(A, l, U, ldu, V, ldv, 1, block, its, rng, eps33, stats);
    if (info < 0) info = SK_EINVAL; /* cannot happen: arguments were checked above */
done:
    SK_FREE(E3); SK_FREE(W);
    return info;
}

int sk_rsvd_subres_norms(int m, int n, const double *A, int lda, int k, int l,
                         const double *U, int ldu, const double *s, const double *V,
                         int ldv, int block, int its, sk_rng_t *rng, double *eps3,
                         double *eps32, double *eps33, sk_rsvd_stats_t *stats)
{
    int info = sk__dense_check(m, n, A, lda);
    if (info) return info;
    if (!sk_all_finite(m, n, A, lda)) return SK_ENONFINITE;
    sk__dense_ctx ctx = { m, n, A, lda };
    sk_op_t op = { m, n, &ctx, sk__dense_apply };
    return sk__shift(sk_rsvd_subres_norms_op(&op, k, l, U, ldu, s, V, ldv, block, its, rng,
                                             eps3, eps32, eps33, stats));
}
