/* tensor.c — the ℓ2 sampler for y = (A1⊗A2)·vec_row(X) with A1 streamed
 * (seed paper §7; spec §1.5), and the unscaled TensorSketch/FFT identity. */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "mathfn.h"
#include "stream_internal.h"

/* Pair hashes of one sketch: bucket (b1[i1] + b2[i2]) mod b, sign s1[i1]·s2[i2]. */
typedef struct pairhash {
    int n, b;
    int *b1, *b2;       /* R·n */
    double *s1, *s2;    /* R·n */
} pairhash;

struct sk_tensor {
    int n, d; double eps; int b, R, m, reps, rule;
    uint64_t seed;
    double *G, *X;          /* G = A2·Xᵀ (n×d), X (d×d), column-major */
    pairhash *hz, *hy;      /* per rep */
    sk_hash_t *u;           /* per rep, on keys i1·n + i2 */
    double *Cz, *Cy;        /* per rep R·b */
    double *P, *Q;          /* rep 0's y-hashes applied to A1's, A2's columns: R·b × d row-major */
    sk__qwork w;
    double *gsum;           /* d: Σ_i2 |G[i2, j]| (the range's quick check)      */
    double cbound, pbound;  /* running bounds on |Cz|, |Cy| and on |P|           */
};

#define TZ(k) ((uint32_t)(3u * (uint32_t)(k) + 1u) << 11)
#define TY(k) ((uint32_t)(3u * (uint32_t)(k) + 2u) << 11)
#define TU(k) ((uint32_t)(3u * (uint32_t)(k) + 3u) << 11)

static int pair_init(pairhash *p, int n, int b, int R, uint32_t base, uint64_t seed)
{
    p->n = n; p->b = b;
    p->b1 = sk__alloc_ints((long long)R * n); p->b2 = sk__alloc_ints((long long)R * n);
    p->s1 = sk__alloc_doubles(R, n); p->s2 = sk__alloc_doubles(R, n);
    if (!p->b1 || !p->b2 || !p->s1 || !p->s2) return SK_ENOMEM;
    for (int r = 0; r < R; r++) {
        sk_hash_t h1, h2, g1, g2;
        uint32_t o = base + 4u * (uint32_t)r;
        sk_hash_init(&h1, SK_HASH_POLY, SK__K_BUCKET, o, seed);
        sk_hash_init(&h2, SK_HASH_POLY, SK__K_BUCKET, o + 1, seed);
        sk_hash_init(&g1, SK_HASH_POLY, SK__K_SIGN, o + 2, seed);
        sk_hash_init(&g2, SK_HASH_POLY, SK__K_SIGN, o + 3, seed);
        for (int i = 0; i < n; i++) {
            p->b1[r * n + i] = sk__bucket(&h1, (uint64_t)i, b);
            p->b2[r * n + i] = sk__bucket(&h2, (uint64_t)i, b);
            p->s1[r * n + i] = sk__sign(&g1, (uint64_t)i);
            p->s2[r * n + i] = sk__sign(&g2, (uint64_t)i);
        }
    }
    return 0;
}

static void pair_free(pairhash *p)
{
    SK_FREE(p->b1); SK_FREE(p->b2); SK_FREE(p->s1); SK_FREE(p->s2);
}

static void pair_loc(const void *ctx, int r, uint64_t key, int *bucket, double *sign)
{
    const pairhash *p = (const pairhash *)ctx;
    int i1 = (int)(key / (uint64_t)p->n), i2 = (int)(key % (uint64_t)p->n);
    *bucket = (p->b1[r * p->n + i1] + p->b2[r * p->n + i2]) % p->b;
    *sign = p->s1[r * p->n + i1] * p->s2[r * p->n + i2];
}

void sk_tensor_destroy(sk_tensor_t *t)
{
    if (!t) return;
    if (t->hz) for (int k = 0; k < t->reps; k++) pair_free(&t->hz[k]);
    if (t->hy) for (int k = 0; k < t->reps; k++) pair_free(&t->hy[k]);
    SK_FREE(t->hz); SK_FREE(t->hy); SK_FREE(t->u);
    SK_FREE(t->G); SK_FREE(t->X); SK_FREE(t->gsum); SK_FREE(t->Cz); SK_FREE(t->Cy); SK_FREE(t->P); SK_FREE(t->Q);
    sk__work_free(&t->w);
    SK_FREE(t);
}

/* Extreme scale (issue 9): every number the sampler stores — A2, X, G = A2·Xᵀ,
 * the sketches P (of A1) and Q (of A2), the counters Cz, Cy — stays below
 * SK_TENSOR_MAX_ABS = 2^140 (about 1.4e42) in magnitude. Then the FFT identity's
 * table (at most b²d²·|P||Q||X| <= 2^72·2^420) is below 2^492 and every squared
 * row sum (b <= 2^24 counters) below 2^1008: no norm of a query overflows. An
 * input or update that would break it is refused with SK_EINVAL (state unchanged). */
static int fits(double v) { return fabs(v) < SK_TENSOR_MAX_ABS; }

/* Running bounds (|Cz|, |Cy| <= cbound; |P| <= pbound): an update moves a counter by
 * at most |Δ|·Σ_i2 |G[i2, j]|·2^27 (1/√u <= 2^26.5) and P by |Δ|. While both stay
 * below half the limit no per-counter check is needed (O(d) per update instead of
 * the exact check, as costly as the update itself, which runs only near the limit). */
static int quick_fits(const sk_tensor_t *t, int j, double delta)
{
    double a = fabs(delta);
    return t->cbound + a * t->gsum[j] * 0x1p27 < 0.5 * SK_TENSOR_MAX_ABS && t->pbound + a < 0.5 * SK_TENSOR_MAX_ABS;
}
static int all_fit(size_t count, const double *v)
{
    for (size_t t = 0; t < count; t++) if (!fits(v[t])) return 0;
    return 1;
}

/* The counters A1_ij += delta touches, with the same increments in both modes:
 * apply = 0 only checks that every new value (P and each repetition's Cz, Cy)
 * would stay in range (returns 0 at the first that would not), apply = 1 adds
 * them. One walk for both, so the check is of exactly the sums the update makes. */
static int walk_update(sk_tensor_t *t, int i, int j, double delta, int apply)
{
    int n = t->n, b = t->b, R = t->R;
    size_t rb = (size_t)R * b;
    if (!apply && !fits(delta)) return 0;
    for (int k = 0; k < t->reps; k++) {
        const pairhash *pz = &t->hz[k], *py = &t->hy[k];
        double *Cz = t->Cz + k * rb, *Cy = t->Cy + k * rb;
        for (int i2 = 0; i2 < n; i2++) {
            double dl = delta * t->G[i2 + (size_t)j * n];
            if (dl == 0) continue;
            double inv = 1.0 / sqrt(sk__hash_unit(&t->u[k], (uint64_t)i * n + i2));
            for (int r = 0; r < R; r++) {
                double *z = &Cz[(size_t)r * b + (pz->b1[r * n + i] + pz->b2[r * n + i2]) % b];
                double *y = &Cy[(size_t)r * b + (py->b1[r * n + i] + py->b2[r * n + i2]) % b];
                double vz = pz->s1[r * n + i] * pz->s2[r * n + i2] * dl * inv;
                double vy = py->s1[r * n + i] * py->s2[r * n + i2] * dl;
                if (apply) { *z += vz; *y += vy; }
                else if (!fits(*z + vz) || !fits(*y + vy)) return 0;
            }
        }
    }
    const pairhash *p = &t->hy[0];
    for (int r = 0; r < R; r++) {
        double *c = &t->P[((size_t)r * b + p->b1[r * n + i]) * t->d + j];
        double v = p->s1[r * n + i] * delta;
        if (apply) *c += v;
        else if (!fits(*c + v)) return 0;
    }
    return 1;
}

int sk_tensor_create(int n, int d, const double *A2, int lda2, const double *X, int ldx,
                     double eps, int buckets, int rows, int heavy, int reps, int rule,
                     sk_tensor_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (n < 1 || n > 46340) return -1;       /* n² must fit in an int */
    if (d < 1 || d > 4096) return -2;
    if (!A2) return -3;
    if (lda2 < n) return -4;
    if (!X) return -5;
    if (ldx < d) return -6;
    if (!(eps > 0 && eps < 1)) return -7;
    if (buckets < 1 || buckets > SK__MAX_BUCKETS) return -8;
    if (rows < 1 || rows > SK__MAX_ROWS) return -9;
    if (heavy < 1 || heavy > n * n) return -10;
    if (reps < 1 || reps > 1024) return -11;
    if (rule != SK_L2S_JST && rule != SK_L2S_PAPER) return -12;
    if (!out) return -13;
    for (int j = 0; j < d; j++) {
        for (int i = 0; i < n; i++) if (!isfinite(SK__AT(A2, lda2, i, j))) return SK_ENONFINITE;
        for (int i = 0; i < d; i++) if (!isfinite(SK__AT(X, ldx, i, j))) return SK_ENONFINITE;
    }
    for (int j = 0; j < d; j++) { /* (after the NaN/Inf checks: those say ENONFINITE) */
        for (int i = 0; i < n; i++) if (!fits(SK__AT(A2, lda2, i, j))) return SK_EINVAL;
        for (int i = 0; i < d; i++) if (!fits(SK__AT(X, ldx, i, j))) return SK_EINVAL;
    }
    sk_tensor_t *t = (sk_tensor_t *)SK_MALLOC(sizeof *t);
    if (!t) return SK_ENOMEM;
    memset(t, 0, sizeof *t);
    t->n = n; t->d = d; t->eps = eps; t->b = buckets; t->R = rows; t->m = heavy; t->reps = reps;
    t->rule = rule; t->seed = seed;
    size_t rb = (size_t)rows * buckets;
    t->G = sk__alloc_doubles(n, d); t->X = sk__alloc_doubles(d, d);
    t->hz = (pairhash *)SK_MALLOC(sizeof(pairhash) * (size_t)reps);
    t->hy = (pairhash *)SK_MALLOC(sizeof(pairhash) * (size_t)reps);
    t->u = (sk_hash_t *)SK_MALLOC(sizeof(sk_hash_t) * (size_t)reps);
    t->Cz = sk__alloc_doubles((long long)reps * rows, buckets);
    t->Cy = sk__alloc_doubles((long long)reps * rows, buckets);
    t->P = sk__alloc_doubles((long long)rb, d); t->Q = sk__alloc_doubles((long long)rb, d);
    int st = 0;
    if (!t->G || !t->X || !t->hz || !t->hy || !t->u || !t->Cz || !t->Cy || !t->P || !t->Q) st = SK_ENOMEM;
    if (t->hz) memset(t->hz, 0, sizeof(pairhash) * (size_t)reps);
    if (t->hy) memset(t->hy, 0, sizeof(pairhash) * (size_t)reps);
    for (int k = 0; k < reps && !st; k++) {
        st = pair_init(&t->hz[k], n, buckets, rows, TZ(k), seed);
        if (!st) st = pair_init(&t->hy[k], n, buckets, rows, TY(k), seed);
        sk_hash_init(&t->u[k], SK_HASH_POLY, SK__K_UNIT, TU(k), seed);
    }
    if (!st) st = sk__work_init(&t->w, (long long)n * n, rows, buckets, heavy);
    if (st) { sk_tensor_destroy(t); return st; }
    memset(t->Cz, 0, sizeof(double) * rb * reps);
    memset(t->Cy, 0, sizeof(double) * rb * reps);
    memset(t->P, 0, sizeof(double) * rb * d);
    memset(t->Q, 0, sizeof(double) * rb * d);
    for (int j = 0; j < d; j++)
        for (int i = 0; i < d; i++) t->X[i + (size_t)j * d] = SK__AT(X, ldx, i, j);
    /* G = A2·Xᵀ: G[i2][j] = Σ_l A2[i2][l]·X[j][l] */
    sk_dgemm(SK_NOTRANS, SK_TRANS, n, d, d, 1.0, A2, lda2, t->X, d, 0.0, t->G, n);
    const pairhash *p = &t->hy[0];
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                t->Q[((size_t)r * buckets + p->b2[r * n + i]) * d + j] += p->s2[r * n + i] * SK__AT(A2, lda2, i, j);
    if (!all_fit((size_t)n * d, t->G) || !all_fit(rb * d, t->Q)) { sk_tensor_destroy(t); return SK_EINVAL; }
    t->gsum = sk__alloc_doubles(d, 1);
    if (!t->gsum) { sk_tensor_destroy(t); return SK_ENOMEM; }
    for (int j = 0; j < d; j++) {
        double g = 0.0;
        for (int i2 = 0; i2 < n; i2++) g += fabs(t->G[i2 + (size_t)j * n]);
        t->gsum[j] = g;
    }
    *out = t;
    return 0;
}

int sk_tensor_update(sk_tensor_t *t, int i, int j, double delta)
{
    if (!t) return -1;
    if (i < 0 || i >= t->n) return -2;
    if (j < 0 || j >= t->d) return -3;
    if (!isfinite(delta)) return SK_ENONFINITE;
    if (!quick_fits(t, j, delta) && !walk_update(t, i, j, delta, 0))
        return SK_EINVAL; /* beyond SK_TENSOR_MAX_ABS: unchanged */
    t->cbound += fabs(delta) * t->gsum[j] * 0x1p27;
    t->pbound += fabs(delta);
    walk_update(t, i, j, delta, 1);
    return 0;
}

int sk_tensor_sample(sk_tensor_t *t, double *rec)
{
    if (!t) return -1;
    if (!rec) return -2;
    size_t rb = (size_t)t->R * t->b;
    int ntail = 0, nthr = 0, k;
    for (k = 0; k < t->reps; k++) {
        sk__view z = { t->R, t->b, t->Cz + k * rb, pair_loc, &t->hz[k] };
        sk__view y = { t->R, t->b, t->Cy + k * rb, pair_loc, &t->hy[k] };
        sk__l2_query(&z, &y, &t->u[k], (long long)t->n * t->n, t->eps, t->m, t->rule, 1.0, &t->w, rec);
        rec[SK_L2S_REC_REP] = k;
        int f = (int)rec[SK_L2S_REC_FAIL];
        if (f == SK_L2S_FAIL_TAIL) ntail++;
        else if (f == SK_L2S_FAIL_THRESHOLD) nthr++;
        else break;
    }
    rec[SK_L2S_REC_TRIED] = k < t->reps ? k + 1 : t->reps;
    rec[SK_L2S_REC_NTAIL] = ntail;
    rec[SK_L2S_REC_NTHRESH] = nthr;
    return 0;
}

int sk_tensor_table(const sk_tensor_t *t, int rep, double *out)
{
    if (!t) return -1;
    if (rep < 0 || rep >= t->reps) return -2;
    if (!out) return -3;
    size_t rb = (size_t)t->R * t->b;
    memcpy(out, t->Cz + rep * rb, rb * sizeof(double));
    memcpy(out + rb, t->Cy + rep * rb, rb * sizeof(double));
    return 0;
}

/* Plain DFT of length b with exact argument reduction ((k·t) mod b)/b, sign
 * −1 forward, +1 inverse (unnormalized). O(b²); b is the sketch width. */
static void dft(int b, const double *re, const double *im, double *ore, double *oim, int sign)
{
    for (int k = 0; k < b; k++) {
        double sr = 0, si = 0;
        for (int t = 0; t < b; t++) {
            double s, c;
            sk__sincos_2pi((double)(((long long)k * t) % b) / b, &s, &c);
            s *= sign;
            sr += re[t] * c - im[t] * s;
            si += re[t] * s + im[t] * c;
        }
        ore[k] = sr; oim[k] = si;
    }
}

int sk_tensor_fft_sketch(const sk_tensor_t *t, double *out, double *f2)
{
    if (!t) return -1;
    if (!out) return -2;
    int b = t->b, d = t->d;
    double *buf = sk__alloc_doubles(4LL * b * d + 4LL * b, 1);
    if (!buf) return SK_ENOMEM;
    double *FPr = buf, *FPi = FPr + (size_t)b * d, *FQr = FPi + (size_t)b * d, *FQi = FQr + (size_t)b * d;
    double *col = FQi + (size_t)b * d, *zero = col + b, *accr = zero + b, *acci = accr + b;
    memset(zero, 0, sizeof(double) * b);
    for (int r = 0; r < t->R; r++) {
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < b; c++) col[c] = t->P[((size_t)r * b + c) * d + j];
            dft(b, col, zero, FPr + (size_t)j * b, FPi + (size_t)j * b, -1);
            for (int c = 0; c < b; c++) col[c] = t->Q[((size_t)r * b + c) * d + j];
            dft(b, col, zero, FQr + (size_t)j * b, FQi + (size_t)j * b, -1);
        }
        for (int c = 0; c < b; c++) {
            double ar = 0, ai = 0;
            for (int j1 = 0; j1 < d; j1++) {
                double wr = 0, wi = 0;   /* (FFT(Q)·Xᵀ)[c, j1] = Σ_j2 FQ[c, j2]·X[j1, j2] */
                for (int j2 = 0; j2 < d; j2++) {
                    double x = t->X[j1 + (size_t)j2 * d];
                    wr += FQr[(size_t)j2 * b + c] * x;
                    wi += FQi[(size_t)j2 * b + c] * x;
                }
                double pr = FPr[(size_t)j1 * b + c], pi = FPi[(size_t)j1 * b + c];
                ar += pr * wr - pi * wi;
                ai += pr * wi + pi * wr;
            }
            accr[c] = ar; acci[c] = ai;
        }
        dft(b, accr, acci, col, zero, +1);
        for (int c = 0; c < b; c++) out[(size_t)r * b + c] = col[c] / b;
        memset(zero, 0, sizeof(double) * b);
    }
    if (f2) {
        double med[SK__MAX_ROWS];
        *f2 = sk__table_f2(out, t->R, b, med);
    }
    SK_FREE(buf);
    return 0;
}

int sk_tensor_size(const sk_tensor_t *t, long long *bytes, long long *bits)
{
    if (!t) return -1;
    long long rb = (long long)t->R * t->b;
    long long by = 8LL * t->n * t->d + 8LL * t->d * t->d + 8LL * t->reps * 2 * rb + 8LL * 2 * rb * t->d
                 + 24LL * t->reps * 2 * t->R * t->n + 8LL * t->reps * SK__K_UNIT;
    if (bytes) *bytes = by;
    if (bits) *bits = 8 * by;
    return 0;
}

int sk_tensor_sketch_y(const sk_tensor_t *t, int rep, const double *Y, int ldy, double *out)
{
    if (!t) return -1;
    if (rep < 0 || rep >= t->reps) return -2;
    if (!Y) return -3;
    if (ldy < t->n) return -4;
    if (!out) return -5;
    int n = t->n, b = t->b;
    size_t rb = (size_t)t->R * b;
    memset(out, 0, 2 * rb * sizeof(double));
    for (int i1 = 0; i1 < n; i1++)
        for (int i2 = 0; i2 < n; i2++) {
            double v = SK__AT(Y, ldy, i1, i2);
            if (!isfinite(v)) return SK_ENONFINITE;
            uint64_t key = (uint64_t)i1 * n + i2;
            double inv = 1.0 / sqrt(sk__hash_unit(&t->u[rep], key));
            for (int r = 0; r < t->R; r++) {
                int c; double sg;
                pair_loc(&t->hz[rep], r, key, &c, &sg);
                out[(size_t)r * b + c] += sg * v * inv;
                pair_loc(&t->hy[rep], r, key, &c, &sg);
                out[rb + (size_t)r * b + c] += sg * v;
            }
        }
    return 0;
}
