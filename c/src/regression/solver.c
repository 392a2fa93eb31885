/*
 * solver.c — the step-wise solvers of specs/softmax_regression.md §7: exact
 * Newton, sampled Newton (SUBSAMPLE of §8 plus the exact rank-2 part), the
 * frozen Hessian AᵀW²A and gradient descent, with the safeguards of §10 T4.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "regression_internal.h"

struct sk_regression_t {
    int n, d;
    sk_regression_opts_t o;
    int s;                     /* SUBSAMPLE draws (sampled)               */
    int iter, reason;
    double eta;                /* GD step                                 */
    double cdf_total;          /* sampled, p fixed (LEV_ONCE or uniform):
                                  cdf holds p's prefix sums, built at init */
    double loss, kappa, gamma; /* at x                                    */
    sk_regression_record_t rec;
    /* n-vectors */
    double *A, *b, *w, *w2, *z, *f, *hv, *r, *Dv, *p, *dtilde, *cdf, *ztry, *Ap, *lev;
    /* d-vectors */
    double *x, *g, *u, *v, *step, *xnew;
    /* d×d */
    double *Ht, *C, *E, *Hf;
    double *P, *blk;           /* evaluate()'s workspace: 4d, 4 row blocks */
    double *work;              /* n·d                                     */
    int *idx;                  /* n: the sampled rows (dtilde's support)  */
    int nidx;                  /* how many                                */
    /* The next iteration's draws, taken ahead (sampled with p fixed: the rows
       depend only on p and the rng, not on x) so that evaluate() copies
       those rows of A into work while streaming A (see draw_ahead()). */
    int *cnt;                  /* n: draws per row, 0 off next            */
    int *next;                 /* n: the distinct drawn rows, ascending   */
    int *guide;                /* n: sk__reg_guide of cdf, with cdf       */
    int nnext;
    int ahead;                 /* next/cnt/work hold draws ahead          */
    sk_rng_t rng_from, rng_to; /* the caller's rng before and after them  */
    uintptr_t rng_id;          /* and its address                         */
    void *block;
};

/*
 * Evaluate everything at h->x: z, f, h, the loss, κ, γ and [u v g] = Aᵀ[f h r]
 * (the gradient and both factors of the rank-2 part, which the Hessian at this
 * same x needs) in one pass over A by row blocks (onepass.c): A is the
 * dominant memory stream of a sampled iteration, read once instead of twice.
 */
static void evaluate(sk_regression_t *h)
{
    sk__reg_point_onepass(h->n, h->d, h->A, h->n, h->b, h->w, h->x, h->z, h->f, h->hv, h->blk,
                          h->P, h->u, h->v, h->g, &h->loss, &h->kappa, &h->gamma,
                          h->ahead ? h->nnext : 0, h->next, h->work);
}

/* Does SAMPLED's p stay the same at every x (uniform, or scores computed once)? */
static int p_fixed(const sk_regression_t *h)
{
    return h->o.leverage == SK_LEVERAGE_UNIFORM || (h->o.flags & SK_REGRESSION_LEV_ONCE);
}

/* p from h->lev (uniform: 1/n) and its prefix sums; when p_fixed, once at init. */
static void sampling_probabilities(sk_regression_t *h)
{
    int n = h->n;
    if (h->o.leverage == SK_LEVERAGE_UNIFORM) {
        for (int i = 0; i < n; i++) h->p[i] = 1.0 / n;
    } else {
        double tot = 0.0;
        for (int i = 0; i < n; i++) tot += h->lev[i];
        for (int i = 0; i < n; i++) h->p[i] = h->lev[i] / tot;
    }
    h->cdf_total = sk__reg_cdf(n, h->p, h->cdf);
    sk__reg_guide(n, h->cdf, h->cdf_total, h->guide);
}

static int fail_init(sk_regression_t *h, int st)
{
    sk_regression_finish(h);
    return st;
}

/* λ_min and λ_max of the symmetric d×d M (lower triangle read), E workspace. */
static int eig_range(int d, const double *M, int ldm, double *E, double *lo, double *hi)
{
    double *ev = E + (size_t)d * d;
    for (int j = 0; j < d; j++)
        for (int i = 0; i < d; i++) E[(size_t)j * d + i] = SK__AT(M, ldm, i, j);
    int st = sk_dsyevd(0, d, E, d, ev);
    if (st == 0) { *lo = ev[0]; *hi = ev[d - 1]; }
    return st;
}

int sk_regression_init(int n, int d, const double *A, int lda, const double *b,
                       const double *w, const double *x0, const sk_regression_opts_t *opts,
                       sk_regression_t **handle)
{
    if (handle) *handle = NULL;
    if (n < 1) return -1;
    if (d < 1) return -2;
    if (!A) return -3;
    if (lda < n) return -4;
    if (!b) return -5;
    if (!w) return -6;
    if (!x0) return -7;
    if (!opts) return -8;
    if (!handle) return -9;
    const sk_regression_opts_t *o = opts;
    if (o->method < SK_REGRESSION_NEWTON || o->method > SK_REGRESSION_GD) return -8;
    if (o->method != SK_REGRESSION_GD && n < d) return -1;
    if (o->flags < 0 || o->flags > 63) return -8;
    if (o->max_iter < 0) return -8;
    if (!(o->tol >= 0.0) || !isfinite(o->tol)) return -8;
    if (!isfinite(o->eta)) return -8;
    int s = 0;
    if (o->method == SK_REGRESSION_SAMPLED) {
        if (o->leverage < SK_LEVERAGE_EXACT || o->leverage > SK_LEVERAGE_UNIFORM) return -8;
        s = sk_regression_draws(d, o->eps, o->delta, o->oversample);
        if (s < 0) return -8;
    }
    if (!sk_all_finite(n, d, A, lda) || !sk_all_finite(n, 1, b, n) || !sk_all_finite(n, 1, w, n) ||
        !sk_all_finite(d, 1, x0, d))
        return SK_ENONFINITE;

    sk_regression_t *h = (sk_regression_t *)SK_MALLOC(sizeof *h);
    if (!h) return SK_ENOMEM;
    memset(h, 0, sizeof *h);
    long long nn = n, dd = d;
    /* work: n×d for the full Aᵀ D A (Newton, frozen, GD's λ_max, and the
       exact Hessian behind EIGRANGE); sampled without EIGRANGE gathers at
       most min(n, s) rows. */
    long long wrows = o->method == SK_REGRESSION_SAMPLED && !(o->flags & SK_REGRESSION_EIGRANGE)
                          ? SK__MIN(nn, (long long)s) : nn;
    long long wlen = SK__MAX(wrows * dd, dd * dd);
    long long nbk = SK__MIN(nn, (long long)sk__reg_onepass_rows(d));
    long long small = 15 * nn + 6 * dd + 4 * dd * dd + dd /* eig values */ + 4 * dd + 4 * nbk;
    long long total = nn * dd /* A */ + small + wlen;
    h->block = sk__alloc_doubles(total, 1);
    h->idx = sk__alloc_ints(4 * nn);
    if (!h->block || !h->idx) { SK_FREE(h->block); SK_FREE(h->idx); SK_FREE(h); return SK_ENOMEM; }
    memset(h->idx, 0, (size_t)(4 * nn) * sizeof *h->idx);
    h->cnt = h->idx + nn;
    h->next = h->cnt + nn;
    h->guide = h->next + nn;
    double *q = (double *)h->block;
    /* Zero only the vectors: A is copied in below and work is always written
       before it is read (touching n·d doubles twice costs page faults for
       nothing: ~0.1 s at n = 1e5, d = 64). */
    memset(q + nn * dd, 0, (size_t)small * sizeof *q);
    h->n = n; h->d = d; h->o = *o; h->s = s;
    h->A = q; q += nn * dd;
    double **nv[] = { &h->b, &h->w2, &h->z, &h->f, &h->hv, &h->r, &h->Dv, &h->p, &h->dtilde,
                      &h->cdf, &h->ztry, &h->Ap, &h->lev, &h->w };
    for (size_t t = 0; t < sizeof nv / sizeof nv[0]; t++) { *nv[t] = q; q += nn; }
    q += nn; /* spare */
    double **dv[] = { &h->x, &h->u, &h->v, &h->g, &h->step, &h->xnew };
    for (size_t t = 0; t < sizeof dv / sizeof dv[0]; t++) { *dv[t] = q; q += dd; }
    h->Ht = q; q += dd * dd;
    h->C = q; q += dd * dd;
    h->Hf = q; q += dd * dd;
    h->E = q; q += dd * dd + dd; /* E is followed by its eigenvalue slot */
    h->P = q; q += 4 * dd;
    h->blk = q; q += 4 * nbk;
    h->work = q;

    for (int j = 0; j < d; j++)
        for (int i = 0; i < n; i++) h->A[(size_t)j * n + i] = SK__AT(A, lda, i, j);
    for (int i = 0; i < n; i++) { h->b[i] = b[i]; h->w[i] = w[i]; h->w2[i] = w[i] * w[i]; }
    memcpy(h->x, x0, (size_t)d * sizeof *x0);
    evaluate(h);
    /* Finite A, w and x0 whose loss or gradient at x0 exceeds the double range
     * (‖w∘Ax0‖², |Aᵀr| or ‖g‖ beyond 2^1024): the problem is out of range, not a
     * divergence: SK_EINVAL (documented), never a handle holding NaN. */
    if (!isfinite(h->loss) || !sk_all_finite(d, 1, h->g, d) || !isfinite(sk_dnrm2(d, h->g, 1)))
        return fail_init(h, SK_EINVAL);

    int st = 0;
    if (o->method == SK_REGRESSION_FROZEN) {
        st = sk__reg_atda(n, d, h->A, n, h->w2, h->work, h->ztry, h->Hf, d);
        if (st == 0) st = sk_dpotrf(SK_LOWER, d, h->Hf, d);
        if (st) return fail_init(h, st);
    }
    if (o->method == SK_REGRESSION_GD) {
        h->eta = o->eta;
        if (!(h->eta > 0.0)) {
            /* 1/λ_max of the exact Hessian at x0. */
            for (int i = 0; i < n; i++) h->Dv[i] = h->hv[i] - h->kappa * h->f[i] + h->w2[i];
            st = sk__reg_atda(n, d, h->A, n, h->Dv, h->work, h->ztry, h->Ht, d);
            if (st) return fail_init(h, st);
            sk__reg_add_rank2(d, h->gamma, h->u, h->v, h->Ht, d);
            double lo, hi;
            st = eig_range(d, h->Ht, d, h->E, &lo, &hi);
            if (st) return fail_init(h, st);
            if (!(hi > 0.0) || !isfinite(hi)) return fail_init(h, SK_ENOTPD);
            h->eta = 1.0 / hi;
        }
    }
    if (o->method == SK_REGRESSION_SAMPLED && (o->flags & SK_REGRESSION_LEV_ONCE) &&
        o->leverage != SK_LEVERAGE_UNIFORM) {
        sk_rng_t r0;
        sk_rng_init(&r0, 0x5eed1e7e4a6eULL, 0); /* fixed: the scores are a deterministic setup */
        st = sk__reg_leverage(o->leverage, n, d, h->A, n, h->w2, &r0, h->lev);
        if (st) return fail_init(h, st);
        sampling_probabilities(h);
    }
    if (o->method == SK_REGRESSION_SAMPLED && o->leverage == SK_LEVERAGE_UNIFORM) sampling_probabilities(h);
    h->rec.loss = h->loss;
    h->rec.grad_norm = sk_dnrm2(d, h->g, 1);
    h->rec.eig_min = h->rec.eig_max = NAN;
    h->reason = SK_REGRESSION_RUNNING;
    *handle = h;
    return 0;
}

/* Exact Hessian (lower) at h->x into H. */
static int exact_hessian(sk_regression_t *h, double *H)
{
    int n = h->n, d = h->d;
    for (int i = 0; i < n; i++) h->Dv[i] = h->hv[i] - h->kappa * h->f[i] + h->w2[i];
    int st = sk__reg_atda(n, d, h->A, n, h->Dv, h->work, h->ztry, H, d);
    if (st) return st;
    sk__reg_add_rank2(d, h->gamma, h->u, h->v, H, d); /* u = Aᵀf, v = Aᵀh from evaluate() */
    return 0;
}

/* Forget the draws taken ahead (cnt back to all zero). */
static void drop_ahead(sk_regression_t *h)
{
    if (!h->ahead) return;
    for (int t = 0; t < h->nnext; t++) h->cnt[h->next[t]] = 0;
    h->ahead = 0;
}

/*
 * The next iteration's draws, taken now from a COPY of the caller's rng, so
 * that evaluate() can copy their rows of A while each row block is in cache
 * (a gather after the pass misses the cache on each of a row's d entries, A
 * being column-major: n = 1e5, d = 64, s = 2244, perf put 5.0% of a sampled
 * iteration in sk_regression_step's own code with it, 1.5% without). The
 * caller's rng is not advanced here: the next step uses these draws, and
 * advances it, only if it is given the same generator in the same state
 * (ahead_valid); otherwise it drops them and draws as usual. Either way its
 * samples and its rng use are those of drawing in that step: the same for
 * the same seed, whatever the call pattern.
 */
static void draw_ahead(sk_regression_t *h, const sk_rng_t *rng)
{
    drop_ahead(h);
    sk_rng_t r = *rng;
    h->ahead = 1; /* cnt/next hold draws from here on, even partial ones */
    if (sk__reg_draw_rows(h->n, h->p, h->cdf, h->guide, h->cdf_total, h->s, &r, h->cnt, h->next,
                          &h->nnext)) {
        drop_ahead(h);
        return;
    }
    h->rng_from = *rng;
    h->rng_to = r;
    h->rng_id = (uintptr_t)rng;
}

static int rng_equal(const sk_rng_t *a, const sk_rng_t *b)
{
    return a->key[0] == b->key[0] && a->key[1] == b->key[1] && a->ctr[0] == b->ctr[0] &&
           a->ctr[1] == b->ctr[1] && a->ctr[2] == b->ctr[2] && a->ctr[3] == b->ctr[3];
}

/* Would drawing now from rng give the draws taken ahead? */
static int ahead_valid(const sk_regression_t *h, const sk_rng_t *rng)
{
    return h->ahead && h->rng_id == (uintptr_t)rng && rng_equal(rng, &h->rng_from);
}

/* H̃ for SAMPLED: Aᵀ D̃ A (+ rank-2). Sets rec->rows; may set the reason. */
static int sampled_hessian(sk_regression_t *h, sk_rng_t *rng, sk_regression_record_t *rec)
{
    int n = h->n, d = h->d, st = 0;
    for (int i = 0; i < n; i++) {
        h->Dv[i] = h->hv[i] - h->kappa * h->f[i] + h->w2[i];
        if (!(h->Dv[i] > 0.0)) { drop_ahead(h); h->reason = SK_REGRESSION_DNOTPOS; return 0; }
    }
    /* Aᵀ D̃ A from the sampled rows only: √D̃_i·a_i for the k rows with D̃_i > 0
       (all drawn rows but underflows), ascending, into work (k×d), one SYRK. */
    int k = 0;
    if (ahead_valid(h, rng)) {
        /* The draws taken ahead; evaluate() has put their rows in work (m×d). */
        *rng = h->rng_to;
        for (int t = 0; t < h->nidx; t++) h->dtilde[h->idx[t]] = 0.0; /* the last support */
        int m = h->nnext;
        sk__reg_draw_weights(h->Dv, h->p, h->cdf_total, h->s, m, h->next, h->cnt, h->dtilde);
        h->ahead = 0;
        for (int t = 0; t < m; t++) {
            double dt = h->dtilde[h->next[t]];
            if (dt > 0.0) { h->idx[k] = h->next[t]; h->ztry[k++] = sqrt(dt); }
        }
        /* In place, column by column, to leading dimension k: each entry
           moves to an address no later than its own. */
        for (int j = 0; j < d; j++) {
            const double *src = h->work + (size_t)j * m;
            double *wj = h->work + (size_t)j * k;
            if (k == m) {
                for (int t = 0; t < k; t++) wj[t] = h->ztry[t] * src[t];
            } else {
                for (int t = 0, kk = 0; t < m; t++)
                    if (h->dtilde[h->next[t]] > 0.0) { wj[kk] = h->ztry[kk] * src[t]; kk++; }
            }
        }
    } else {
        drop_ahead(h);
        if (!p_fixed(h)) {   /* scores of √D·A at this x */
            st = sk__reg_leverage(h->o.leverage, n, d, h->A, n, h->Dv, rng, h->lev);
            if (st) return st;
            sampling_probabilities(h);
        }
        st = sk__reg_draw(n, h->Dv, h->p, h->cdf, h->guide, h->cdf_total, h->s, rng, h->dtilde, NULL);
        if (st) return st;
        for (int i = 0; i < n; i++) if (h->dtilde[i] > 0.0) h->idx[k++] = i;
        for (int t = 0; t < k; t++) h->ztry[t] = sqrt(h->dtilde[h->idx[t]]);
        for (int j = 0; j < d; j++) {
            const double *a = h->A + (size_t)j * n;
            double *wj = h->work + (size_t)j * k;
            for (int t = 0; t < k; t++) wj[t] = h->ztry[t] * a[h->idx[t]];
        }
    }
    h->nidx = k;
    rec->rows = k;
    st = sk_dsyrk(SK_LOWER, SK_TRANS, d, k, 1.0, h->work, SK__MAX(1, k), 0.0, h->Ht, d);
    if (st) return st;
    if (!(h->o.flags & SK_REGRESSION_NO_RANK2)) sk__reg_add_rank2(d, h->gamma, h->u, h->v, h->Ht, d);
    return 0;
}

/* Eigenvalue range of H^-½ H̃ H^-½ with H exact: L⁻¹ H̃ L⁻ᵀ, H = L Lᵀ. */
static int record_eig_range(sk_regression_t *h, sk_regression_record_t *rec)
{
    int d = h->d;
    int st = exact_hessian(h, h->C);
    if (st) return st;
    if (sk_dpotrf(SK_LOWER, d, h->C, d) != 0) return 0; /* H not PD: leave NaN */
    double *M = h->work; /* d×d, full symmetric copy of H̃ */
    for (int j = 0; j < d; j++)
        for (int i = 0; i < d; i++)
            M[(size_t)j * d + i] = i >= j ? SK__AT(h->Ht, d, i, j) : SK__AT(h->Ht, d, j, i);
    st = sk_dtrsm(SK_LEFT, SK_LOWER, SK_NOTRANS, SK_NONUNIT, d, d, 1.0, h->C, d, M, d);
    if (st == 0) st = sk_dtrsm(SK_RIGHT, SK_LOWER, SK_TRANS, SK_NONUNIT, d, d, 1.0, h->C, d, M, d);
    if (st == 0) st = eig_range(d, M, d, h->E, &rec->eig_min, &rec->eig_max);
    return st;
}

/* Cholesky of H̃ (lower) into h->C, shifting as the header describes. */
static int factor(sk_regression_t *h, double *shift)
{
    int d = h->d, st;
    double mu = 0.0;
    if (h->o.flags & SK_REGRESSION_SAFEGUARD) {
        double lo, hi;
        st = eig_range(d, h->Ht, d, h->E, &lo, &hi);
        if (st) return st;
        /* Shift only an H̃ that is indefinite beyond the eigenvalues' rounding
         * (|error| <~ d·eps·|λ_max|): a positive definite but ill-conditioned
         * H̃ (λ_min <= 1e-12·λ_max, e.g. a column of A scaled by 1e-6) shifted
         * by 1e-3·λ_max froze its small-eigenvalue directions, and the small
         * decrement of the shifted H̃ then reported CONVERGED (or ran to
         * MAXITER) away from the minimum. Such an H̃ is factored unshifted
         * (the doubling retry below if Cholesky fails); Armijo keeps descent. */
        if (!(lo > 1e-12 * hi) && !(lo >= -16.0 * d * DBL_EPSILON * fabs(hi))) mu = -lo + 1e-3 * fabs(hi);
        if (!isfinite(mu)) return SK_ENOTPD;
    }
    double tr = 0.0;
    for (int j = 0; j < d; j++) tr += fabs(SK__AT(h->Ht, d, j, j));
    double mu0 = 1e-10 * (tr > 0.0 ? tr / d : 1.0);
    for (int attempt = 0; attempt < 200; attempt++) {
        for (int j = 0; j < d; j++)
            for (int i = j; i < d; i++)
                SK__AT(h->C, d, i, j) = SK__AT(h->Ht, d, i, j) + (i == j ? mu : 0.0);
        st = sk_dpotrf(SK_LOWER, d, h->C, d);
        if (st != SK_ENOTPD) { *shift = mu; return st; }
        mu = mu > 0.0 ? 2.0 * mu : mu0;
    }
    return SK_ENOTPD;
}

int sk_regression_step(sk_regression_t *h, sk_rng_t *rng, sk_regression_record_t *rec_out)
{
    if (!h) return -1;
    if (h->reason != SK_REGRESSION_RUNNING) {
        if (rec_out) *rec_out = h->rec;
        return 0;
    }
    if (h->iter >= h->o.max_iter) {
        h->reason = SK_REGRESSION_MAXITER;
        if (rec_out) *rec_out = h->rec;
        return 0;
    }
    int n = h->n, d = h->d, method = h->o.method, flags = h->o.flags, st = 0;
    if (method == SK_REGRESSION_SAMPLED && !rng) return -2;
    sk_regression_record_t rec = { 0 };
    rec.eig_min = rec.eig_max = NAN;
    rec.step = 1.0;

    /* 1. The direction: step = H̃⁻¹ g (GD: η g). */
    if (method == SK_REGRESSION_GD) {
        for (int j = 0; j < d; j++) h->step[j] = h->eta * h->g[j];
    } else {
        if (method == SK_REGRESSION_NEWTON) {
            st = exact_hessian(h, h->Ht);
            rec.rows = n;
        } else if (method == SK_REGRESSION_SAMPLED) {
            st = sampled_hessian(h, rng, &rec);
            if (st == 0 && h->reason == SK_REGRESSION_DNOTPOS) {
                h->rec.decrement = 0.0;
                if (rec_out) *rec_out = h->rec;
                return 0;
            }
            if (st == 0 && (flags & SK_REGRESSION_EIGRANGE)) st = record_eig_range(h, &rec);
        }
        if (st) return st;
        if (method == SK_REGRESSION_FROZEN) {
            memcpy(h->C, h->Hf, (size_t)d * d * sizeof *h->C);
        } else {
            if (!sk_all_finite(d, d, h->Ht, d)) return SK_ENOTPD;
            st = factor(h, &rec.shift);
            if (st) return st;
        }
        memcpy(h->step, h->g, (size_t)d * sizeof *h->g);
        st = sk__reg_chol_solve(d, h->C, d, h->step);
        if (st) return st;
    }
    double gTs = 0.0;
    for (int j = 0; j < d; j++) gTs += h->g[j] * h->step[j];
    rec.decrement = sqrt(fmax(gTs, 0.0));

    /* 2. The step length: Armijo along Δ = ∓step with the safeguard, else t = 1. */
    double sign = (flags & SK_REGRESSION_PRINTED_SIGN) ? 1.0 : -1.0;
    double L0 = h->loss, t = 1.0;
    if (flags & SK_REGRESSION_SAFEGUARD) {
        sk_dgemv(SK_NOTRANS, n, d, 1.0, h->A, n, h->step, 0.0, h->Ap);
        double slope = sign * gTs; /* gᵀΔ */
        for (;;) {
            for (int i = 0; i < n; i++) h->ztry[i] = h->z[i] + sign * t * h->Ap[i];
            double Lt = sk__reg_loss_z(n, h->ztry, h->b, h->w, h->r);
            if (Lt <= L0 + 1e-4 * t * slope + 1e-14 * fabs(L0)) break;
            if (!(t > 1e-10)) { t = 0.0; break; }
            t *= 0.5;
        }
        if (t == 0.0) {
            rec.step = 0.0;
            rec.loss = h->loss;
            rec.grad_norm = sk_dnrm2(d, h->g, 1);
            h->iter++;
            h->rec = rec;
            h->reason = SK_REGRESSION_NONDESCENT;
            if (rec_out) *rec_out = rec;
            return 0;
        }
    }
    if (method == SK_REGRESSION_GD) rec.step = h->eta; else rec.step = t;

    /* 3. Take it and evaluate the new point. */
    for (int j = 0; j < d; j++) h->xnew[j] = h->x[j] + sign * t * h->step[j];
    if (!sk_all_finite(d, 1, h->xnew, d)) {
        h->iter++;
        rec.loss = rec.grad_norm = INFINITY;
        h->rec = rec;
        h->reason = SK_REGRESSION_DIVERGED;
        if (rec_out) *rec_out = rec;
        return 0;
    }
    memcpy(h->x, h->xnew, (size_t)d * sizeof *h->x);
    /* A sampled iteration may follow (not at max_iter, not converged on the
       decrement): its rows, drawn now, are gathered by the evaluation. */
    if (method == SK_REGRESSION_SAMPLED && p_fixed(h) && h->iter + 1 < h->o.max_iter &&
        ((flags & SK_REGRESSION_STOP_GRAD) || !(rec.decrement <= h->o.tol)))
        draw_ahead(h, rng);
    evaluate(h);
    h->iter++;
    rec.loss = h->loss;
    rec.grad_norm = sk_dnrm2(d, h->g, 1);
    if (!isfinite(h->loss) || !isfinite(rec.grad_norm)) {
        /* The loss and |g| are >= 0: NaN here comes from an overflow (Inf − Inf), so the
         * record says +Inf (beyond the double range), as for a non-finite iterate. */
        h->reason = SK_REGRESSION_DIVERGED;
        if (!isfinite(rec.loss)) rec.loss = INFINITY;
        if (!isfinite(rec.grad_norm)) rec.grad_norm = INFINITY;
    }
    h->rec = rec;
    if (h->reason == SK_REGRESSION_DIVERGED) {
        /* stays diverged */
    } else if (method != SK_REGRESSION_SAMPLED && h->loss > L0 + 1e-14 * fabs(L0))
        h->reason = SK_REGRESSION_NONDESCENT; /* deterministic: repeating cannot help */
    else if ((flags & SK_REGRESSION_STOP_GRAD) ? rec.grad_norm <= h->o.tol
                                               : rec.decrement <= h->o.tol)
        h->reason = SK_REGRESSION_CONVERGED;
    else if (h->iter >= h->o.max_iter) h->reason = SK_REGRESSION_MAXITER;
    if (rec_out) *rec_out = rec;
    return 0;
}

int sk_regression_get(const sk_regression_t *h, double *x, sk_regression_record_t *rec,
                      int *iter, int *reason)
{
    if (!h) return -1;
    if (x) memcpy(x, h->x, (size_t)h->d * sizeof *x);
    if (rec) *rec = h->rec;
    if (iter) *iter = h->iter;
    if (reason) *reason = h->reason;
    return 0;
}

int sk_regression_sample(const sk_regression_t *h, double *p, double *dtilde)
{
    if (!h) return -1;
    int sampled = h->o.method == SK_REGRESSION_SAMPLED;
    for (int i = 0; i < h->n; i++) {
        if (p) p[i] = sampled ? h->p[i] : 0.0;
        if (dtilde) dtilde[i] = sampled ? h->dtilde[i] : 0.0;
    }
    return 0;
}

int sk_regression_finish(sk_regression_t *h)
{
    if (!h) return 0;
    SK_FREE(h->block);
    SK_FREE(h->idx);
    SK_FREE(h);
    return 0;
}

int sk_regression_solve(int n, int d, const double *A, int lda, const double *b,
                        const double *w, const double *x0, const sk_regression_opts_t *opts,
                        sk_rng_t *rng, double *x, sk_regression_record_t *history,
                        int *iters, int *reason)
{
    if (!x) return -10;
    sk_regression_t *h = NULL;
    int st = sk_regression_init(n, d, A, lda, b, w, x0, opts, &h);
    if (st) return st;
    int k = 0, why = SK_REGRESSION_RUNNING;
    if (history) sk_regression_get(h, NULL, &history[0], NULL, NULL);
    sk_regression_get(h, NULL, NULL, NULL, &why);
    while (st == 0 && why == SK_REGRESSION_RUNNING) {
        sk_regression_record_t rec;
        st = sk_regression_step(h, rng, &rec);
        if (st) break;
        sk_regression_get(h, NULL, NULL, &k, &why);
        if (history && k >= 1 && k <= opts->max_iter) history[k] = rec;
    }
    if (st == 0) {
        sk_regression_get(h, x, NULL, &k, &why);
        if (iters) *iters = k;
        if (reason) *reason = why;
    }
    sk_regression_finish(h);
    return st;
}
