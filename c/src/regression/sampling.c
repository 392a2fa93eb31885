/*
 * sampling.c — leverage scores (exact and sketched) and SUBSAMPLE, the
 * diagonal row sampling of specs/softmax_regression.md §8.
 */
#include <math.h>

#include "prescale.h"
#include "regression_internal.h"

/* Leverage scores are invariant under a scalar scale of M = diag(√D)·A, so
 * when A's or D's largest entry is outside the safe range of core/prescale.h
 * the scores are computed on 2^-ea·A and 2^-es·√D (exact powers of two; both
 * 0 at moderate scales, where nothing changes): √D·A can then neither
 * overflow (entries up to 2^1024 times √D up to 2^512) nor underflow, and the
 * scores of A·2^k, D·4^k are those of A, D bit for bit (issue 9). */
typedef struct { int ea, es; double fa1, fa2; } lev_scale_t;

static lev_scale_t lev_scale(int n, int d, const double *A, int lda, const double *D)
{
    lev_scale_t s;
    s.ea = sk__prescale_exponent(n, d, A, lda);
    s.es = D ? sk__prescale_exponent(n, 1, D, n) / 2 : 0;
    /* 2^-ea as two normal factors (as sk__scale_pow2): exact unless the
       product itself is subnormal. */
    s.fa1 = ldexp(1.0, -(s.ea / 2));
    s.fa2 = ldexp(1.0, -(s.ea - s.ea / 2));
    return s;
}

/* The row scale 2^-es·√D_i (1 without D). */
static inline double lev_row(const lev_scale_t *s, const double *D, int i)
{
    return D ? ldexp(sqrt(D[i]), -s->es) : 1.0;
}

/* W (nb×d, ld nb) := 2^-es·diag(√D(i0:i0+nb))·2^-ea·A(i0:i0+nb, :) (D may be NULL). */
static void scaled_block(int i0, int nb, int d, const double *A, int lda, const double *D,
                         const lev_scale_t *s, double *W)
{
    for (int j = 0; j < d; j++) {
        const double *a = A + (size_t)j * lda + i0;
        double *w = W + (size_t)j * nb;
        if (s->ea) for (int i = 0; i < nb; i++) w[i] = (a[i] * s->fa1) * s->fa2;
        else for (int i = 0; i < nb; i++) w[i] = a[i];
        if (D && s->es) for (int i = 0; i < nb; i++) w[i] *= lev_row(s, D, i0 + i);
        else if (D) for (int i = 0; i < nb; i++) w[i] *= sqrt(D[i0 + i]);   /* the common case: no ldexp */
    }
}

static int r_has_zero(int d, const double *R, int ldr)
{
    for (int j = 0; j < d; j++) if (SK__AT(R, ldr, j, j) == 0.0) return 1;
    return 0;
}

/* sigma_i = ||Q(i, 0:k)||², column by column (unit stride). */
static void row_norms2(int n, int k, const double *Q, int ldq, double *sigma)
{
    for (int i = 0; i < n; i++) sigma[i] = 0.0;
    for (int j = 0; j < k; j++) {
        const double *q = Q + (size_t)j * ldq;
        for (int i = 0; i < n; i++) sigma[i] += q[i] * q[i];
    }
}

/* σ_i = ||Q(i,:)||² with M = QR by Householder (the same QR as sk_dgeqrf
   users): 4nd² flops, the fallback for ill-conditioned M. */
static int leverage_householder(int n, int d, double *M, double *sigma)
{
    double *tau = sk__alloc_doubles(d, 1);
    if (!tau) return SK_ENOMEM;
    int st = sk_dgeqrf(n, d, M, n, tau);
    if (st == 0 && r_has_zero(d, M, n)) st = SK_ESINGULAR;
    if (st == 0) st = sk_dorgqr(n, d, d, M, n, tau);
    if (st == 0) row_norms2(n, d, M, n, sigma);
    SK_FREE(tau);
    return st;
}

/* Rows per block of the streamed passes below: a 1024×d block (d <= 64:
   512 KiB) is reused from cache, and no n-sized temporary is ever touched
   (first-touch page faults of a fresh n×d buffer cost as much as the
   arithmetic at n = 1e5 on the test VM). */
#define SK__LEV_NB 1024

/*
 * Exact scores by Cholesky-QR, M = diag(√D)·A streamed in row blocks:
 * MᵀM = L Lᵀ (SYRK, nd² flops), then per block Q = M L⁻ᵀ (TRSM, nd² flops)
 * and σ_i = ||Q(i,:)||²: half the flops of Householder QR + forming Q, in
 * level-3 kernels, without an n×d copy. Its error is relative per row,
 * about d·eps·κ(M)² (the Gram matrix's), so when the Cholesky factor says M
 * may be ill-conditioned — it fails, or max L_jj / min L_jj > 1e3 (a lower
 * bound on κ(M)) — the scores come from Householder QR of M instead.
 */
static int leverage_exact(int n, int d, const double *A, int lda, const double *D, double *sigma)
{
    int nbmax = SK__MIN(n, SK__LEV_NB);
    double *L = sk__alloc_doubles((long long)d * d + (long long)nbmax * d, 1);
    if (!L) return SK_ENOMEM;
    double *W = L + (size_t)d * d;
    lev_scale_t sc = lev_scale(n, d, A, lda, D);
    int st = 0;
    for (int i0 = 0; st == 0 && i0 < n; i0 += nbmax) {
        int nb = SK__MIN(nbmax, n - i0);
        scaled_block(i0, nb, d, A, lda, D, &sc, W);
        st = sk_dsyrk(SK_LOWER, SK_TRANS, d, nb, 1.0, W, nb, i0 == 0 ? 0.0 : 1.0, L, d);
    }
    int chol = st == 0 ? sk_dpotrf(SK_LOWER, d, L, d) : st;
    if (st == 0 && chol == 0) {
        double lo = INFINITY, hi = 0.0;
        for (int j = 0; j < d; j++) {
            double l = SK__AT(L, d, j, j);
            lo = fmin(lo, l);
            hi = fmax(hi, l);
        }
        if (lo > 0.0 && hi <= 1e3 * lo) {
            for (int i0 = 0; st == 0 && i0 < n; i0 += nbmax) {
                int nb = SK__MIN(nbmax, n - i0);
                scaled_block(i0, nb, d, A, lda, D, &sc, W);
                st = sk_dtrsm(SK_RIGHT, SK_LOWER, SK_TRANS, SK_NONUNIT, nb, d, 1.0, L, d, W, nb);
                if (st == 0) row_norms2(nb, d, W, nb, sigma + i0);
            }
            SK_FREE(L);
            return st;
        }
    }
    SK_FREE(L);
    if (st) return st;
    double *M = sk__alloc_doubles((long long)n, d);
    if (!M) return SK_ENOMEM;
    scaled_block(0, n, d, A, lda, D, &sc, M);
    st = leverage_householder(n, d, M, sigma);
    SK_FREE(M);
    return st;
}

/*
 * Sketched scores (Drineas et al. 2012; softmax_ref.py:leverage_scores_sketch):
 * R from QR(S·M), S a CountSketch with m = min(n, 4d²) rows; then
 * σ̃_i = ||(M R⁻¹ G)(i,:)||², G a d×k Gaussian/√k with k = max(8, ceil(4 ln n)).
 * M = diag(√D)·A is never formed: S·M is built column by column straight
 * from A (each column of SM, m doubles, stays in cache while A's column
 * streams past: nnz(A) work), and σ̃_i = D_i·||(A·R⁻¹G)(i,:)||². Cost
 * O(nnz(A) + m d² + n d k), one pass over A for the sketch and one for the
 * n×d×k product, against the exact route's two n×d×d ones.
 */
static int leverage_sketch(int n, int d, const double *A, int lda, const double *D,
                           sk_rng_t *rng, double *sigma)
{
    long long mm = 4LL * d * d;
    int m = (int)SK__MIN((long long)n, mm);
    int k = (int)ceil(4.0 * log((double)n));
    if (k < 8) k = 8;
    int nbmax = SK__MIN(n, SK__LEV_NB);
    lev_scale_t scl = lev_scale(n, d, A, lda, D);
    /* an extreme A is scaled a row block at a time into Ab for the n×d×k product */
    long long nab = scl.ea ? (long long)nbmax * d : 0;
    double *SM = sk__alloc_doubles((long long)m * d + d + (long long)d * k + (long long)nbmax * k + 3LL * n + nab, 1);
    int *bucket = sk__alloc_ints(n);
    if (!SM || !bucket) { SK_FREE(SM); SK_FREE(bucket); return SK_ENOMEM; }
    double *tau = SM + (size_t)m * d, *G = tau + d, *Z = G + (size_t)d * k, *u = Z + (size_t)nbmax * k;
    double *sc = u + 2 * (size_t)n, *Ab = sc + n;
    for (size_t t = 0; t < (size_t)m * d; t++) SM[t] = 0.0;
    int st = sk_rng_uniform(rng, 2 * n, u);
    if (st == 0) {
        for (int i = 0; i < n; i++) {
            int row = (int)(u[2 * i] * m);
            bucket[i] = row >= m ? m - 1 : row;
            double sign = u[2 * i + 1] < 0.5 ? -1.0 : 1.0;
            sc[i] = sign * lev_row(&scl, D, i);   /* ±2^-es·√D_i: the sign is exact */
        }
        /* Entry (r, j) sums its rows i in increasing order, as a row-by-row
           scatter would: the same sketch, bit for bit, at a fraction of the
           cache misses. */
        for (int j = 0; j < d; j++) {
            const double *a = A + (size_t)j * lda;
            double *smj = SM + (size_t)j * m;
            if (scl.ea) for (int i = 0; i < n; i++) smj[bucket[i]] += sc[i] * ((a[i] * scl.fa1) * scl.fa2);
            else for (int i = 0; i < n; i++) smj[bucket[i]] += sc[i] * a[i];
        }
    }
    if (st == 0) st = sk_dgeqrf(m, d, SM, m, tau);
    if (st == 0 && r_has_zero(d, SM, m)) st = SK_ESINGULAR;
    if (st == 0) st = sk_rng_normal(rng, d * k, G);
    if (st == 0) {
        double s1 = 1.0 / sqrt((double)k);
        for (int t = 0; t < d * k; t++) G[t] *= s1;
        st = sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, d, k, 1.0, SM, m, G, d);
    }
    /* σ̃ = D∘rownorms²(A·(R⁻¹G)), a row block at a time (no n×k temporary). */
    for (int i0 = 0; st == 0 && i0 < n; i0 += nbmax) {
        int nb = SK__MIN(nbmax, n - i0);
        if (scl.ea) scaled_block(i0, nb, d, A, lda, NULL, &scl, Ab);
        st = scl.ea ? sk_dgemm(SK_NOTRANS, SK_NOTRANS, nb, k, d, 1.0, Ab, nb, G, d, 0.0, Z, nb)
                    : sk_dgemm(SK_NOTRANS, SK_NOTRANS, nb, k, d, 1.0, A + i0, lda, G, d, 0.0, Z, nb);
        if (st == 0) row_norms2(nb, k, Z, nb, sigma + i0);
    }
    if (st == 0) {
        /* D_i·2^-2es, as two normal factors (2^-es each) */
        double fs = ldexp(1.0, -scl.es);
        if (D) for (int i = 0; i < n; i++) sigma[i] *= scl.es ? (D[i] * fs) * fs : D[i];
        if (!sk_all_finite(n, 1, sigma, n)) st = SK_ESINGULAR;
    }
    SK_FREE(SM);
    SK_FREE(bucket);
    return st;
}

int sk__reg_leverage(int kind, int n, int d, const double *A, int lda, const double *D,
                     sk_rng_t *rng, double *sigma)
{
    if (kind == SK_LEVERAGE_UNIFORM) {
        for (int i = 0; i < n; i++) sigma[i] = (double)d / n;
        return 0;
    }
    return kind == SK_LEVERAGE_SKETCH ? leverage_sketch(n, d, A, lda, D, rng, sigma)
                                      : leverage_exact(n, d, A, lda, D, sigma);
}

int sk_regression_leverage(int kind, int n, int d, const double *A, int lda,
                           const double *D, sk_rng_t *rng, double *sigma)
{
    if (kind < SK_LEVERAGE_EXACT || kind > SK_LEVERAGE_UNIFORM) return -1;
    if (n < 1 || n < d) return -2;
    if (d < 1) return -3;
    if (!A) return -4;
    if (lda < n) return -5;
    if (kind == SK_LEVERAGE_SKETCH && !rng) return -7;
    if (!sigma) return -8;
    if (!sk_all_finite(n, d, A, lda)) return SK_ENONFINITE;
    if (D) {
        if (!sk_all_finite(n, 1, D, n)) return SK_ENONFINITE;
        for (int i = 0; i < n; i++) if (D[i] < 0.0) return -6;
    }
    return sk__reg_leverage(kind, n, d, A, lda, D, rng, sigma);
}

int sk_regression_draws(int d, double eps, double delta, double oversample)
{
    if (d < 1) return -1;
    if (!(eps > 0.0 && eps < 1.0)) return -2;
    if (!(delta > 0.0 && delta < 1.0)) return -3;
    if (!(oversample <= 0.0 || isfinite(oversample))) return -4;
    double C = oversample > 0.0 ? oversample : 1.0;
    double s = ceil(C * d * log(d / delta) / (eps * eps));
    if (!(s <= 1073741824.0)) return -4;
    return s < 1.0 ? 1 : (int)s;
}

double sk__reg_cdf(int n, const double *p, double *cdf)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) { total += p[i]; cdf[i] = total; }
    return total;
}

void sk__reg_guide(int n, const double *cdf, double total, int *guide)
{
    int i = 0;
    for (int b = 0; b < n; b++) {
        double t = total * ((double)b / n);
        while (i < n - 1 && !(cdf[i] > t)) i++;
        guide[b] = i;
    }
}

/* The row one draw lands on: the first i with cdf[i] > target (n − 1 if
   none), moved back off zero-probability rows. With a guide (sk__reg_guide),
   start at the guide's row for target's n-th of the total and walk to that
   same i (cdf is nondecreasing, so the walks end on it whatever the guide's
   rounding): O(1) expected instead of log2(n) scattered probes of cdf. */
static int draw_row(int n, const double *p, const double *cdf, const int *guide, double total,
                    double target)
{
    int lo = 0;
    if (guide) {
        double q = target / total * n;
        int b = q >= n ? n - 1 : q > 0.0 ? (int)q : 0;
        lo = guide[b];
        while (lo > 0 && cdf[lo - 1] > target) lo--;
        while (lo < n - 1 && !(cdf[lo] > target)) lo++;
    } else {
        int hi = n - 1;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (cdf[mid] > target) hi = mid; else lo = mid + 1;
        }
    }
    while (lo > 0 && p[lo] == 0.0) lo--;   /* never land on a zero-probability row */
    return lo;
}

/* SUBSAMPLE's s draws in order, from uniforms taken 64 at a time (the one
   rng use of both sk__reg_draw and sk__reg_draw_rows, so the two consume
   the stream alike): take(ctx, row) for each. */
static int draw_each(int n, const double *p, const double *cdf, const int *guide, double total,
                     int s, sk_rng_t *rng, void (*take)(void *, int), void *ctx)
{
    double u[64];
    for (int done = 0; done < s;) {
        int batch = SK__MIN(64, s - done);
        int st = sk_rng_uniform(rng, batch, u);
        if (st) return st;
        for (int t = 0; t < batch; t++) take(ctx, draw_row(n, p, cdf, guide, total, u[t] * total));
        done += batch;
    }
    return 0;
}

/* The weight one draw of row i adds to D̃_i. */
static inline double draw_weight(const double *D, const double *p, double total, int s, int i)
{
    return D[i] * total / ((double)s * p[i]);
}

typedef struct { const double *D, *p; double total; int s; double *dtilde; } weigh_ctx;

static void weigh(void *ctx, int i)
{
    weigh_ctx *c = (weigh_ctx *)ctx;
    c->dtilde[i] += draw_weight(c->D, c->p, c->total, c->s, i);
}

int sk__reg_draw(int n, const double *D, const double *p, const double *cdf, const int *guide,
                 double total, int s, sk_rng_t *rng, double *dtilde, int *rows)
{
    for (int i = 0; i < n; i++) dtilde[i] = 0.0;
    weigh_ctx c = { D, p, total, s, dtilde };
    int st = draw_each(n, p, cdf, guide, total, s, rng, weigh, &c);
    if (st) return st;
    if (rows) {
        int r = 0;
        for (int i = 0; i < n; i++) r += dtilde[i] > 0.0;
        *rows = r;
    }
    return 0;
}

typedef struct { int *cnt, *rows, k; } count_ctx;

static void count(void *ctx, int i)
{
    count_ctx *c = (count_ctx *)ctx;
    if (c->cnt[i]++ == 0) c->rows[c->k++] = i;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int sk__reg_draw_rows(int n, const double *p, const double *cdf, const int *guide, double total,
                      int s, sk_rng_t *rng, int *cnt, int *rows, int *k)
{
    count_ctx c = { cnt, rows, 0 };
    int st = draw_each(n, p, cdf, guide, total, s, rng, count, &c);
    qsort(rows, (size_t)c.k, sizeof *rows, cmp_int);
    *k = c.k;
    return st;
}

void sk__reg_draw_weights(const double *D, const double *p, double total, int s, int k,
                          const int *rows, int *cnt, double *dtilde)
{
    for (int t = 0; t < k; t++) {
        int i = rows[t];
        /* the same terms added in the same order as sk__reg_draw's: bit for bit */
        double w = draw_weight(D, p, total, s, i), sum = 0.0;
        for (int m = 0; m < cnt[i]; m++) sum += w;
        dtilde[i] = sum;
        cnt[i] = 0;
    }
}

int sk__reg_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                      double *cdf, double *dtilde, int *rows)
{
    double total = sk__reg_cdf(n, p, cdf);
    return sk__reg_draw(n, D, p, cdf, NULL, total, s, rng, dtilde, rows);
}

int sk_regression_subsample(int n, const double *D, const double *p, int s, sk_rng_t *rng,
                            double *dtilde, int *rows)
{
    if (n < 1) return -1;
    if (!D) return -2;
    if (!p) return -3;
    if (s < 1) return -4;
    if (!rng) return -5;
    if (!dtilde) return -6;
    if (!sk_all_finite(n, 1, D, n) || !sk_all_finite(n, 1, p, n)) return SK_ENONFINITE;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        if (p[i] < 0.0) return -3;
        if (D[i] <= 0.0) return SK_EINVAL;
        total += p[i];
    }
    if (!(total > 0.0 && isfinite(total))) return -3;
    double *cdf = sk__alloc_doubles(n, 1);
    if (!cdf) return SK_ENOMEM;
    int st = sk__reg_subsample(n, D, p, s, rng, cdf, dtilde, rows);
    SK_FREE(cdf);
    return st;
}
