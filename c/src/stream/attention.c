/* attention.c — the ℓ2 attention sampler for y = A·x in the three turnstile
 * settings (seed paper §5; spec §1.4). The sketches are exactly those of the
 * embedded 1-D sampler, so every setting ends in the state of the 1-D sampler
 * fed y = A_final·x_final (the equivalence test T8). */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

#define ATT_MAGIC 0x54414B53u /* "SKAT" */
#define ATT_VERSION SK__STATE_FORMAT

struct sk_att {
    int setting, n, d;
    double *x;
    sk_l2s_t *s;
    double *phi, *psi;   /* X/BOTH: per rep R·b rows × d, row-major: (k, r·b + c, j) */
    long long last, total, upd_a, upd_x;
    double qflops;
    double cbound;       /* >= every stored counter's |value| (y's sketches; ΦA, ΨA) */
};

static size_t rbd(const sk_att_t *a) { return (size_t)a->s->R * a->s->b * a->d; }

/* Extreme scale (issue 9): every number the sampler stores — the counters of
 * y's sketches (setting A), the sketches ΦA, ΨA and x (settings X, BOTH) —
 * stays below SK_ATT_MAX_ABS = 2^228 (about 4.3e68) in magnitude. Then a formed
 * table entry (ΦA)x (d <= 2^24 products) is below 2^480 and a table's squared
 * row sum (b <= 2^24) below 2^984: the query's norms never overflow. An update
 * (or an initial A, x) that would break it is refused with SK_EINVAL and the
 * state left unchanged. */
static int fits(double v) { return fabs(v) < SK_ATT_MAX_ABS; }

/* 1/√u <= 2^26.5 (sk__hash_unit >= 2^-53): an added v moves no counter by more than
 * 2^27·|v|. While cbound (a running bound) stays below half the limit an update
 * needs no per-counter check: O(1) on every realistic stream, the exact check
 * (as costly as the update) only near the limit. */
#define ATT_INV_MAX 0x1p27
static int quick_fits(const sk_att_t *a, double v)
{
    return a->cbound + fabs(v) * ATT_INV_MAX < 0.5 * SK_ATT_MAX_ABS;
}

/* Would y_i += v (setting A: every repetition's z- and y-counters) stay in range? */
static int y_add_fits(const sk_l2s_t *s, int i, double v)
{
    if (!fits(v)) return 0;
    for (int k = 0; k < s->reps; k++) {
        double vz = v / sqrt(sk__hash_unit(&s->rep[k].u, (uint64_t)i));
        for (int r = 0; r < s->R; r++) {
            int c; double sg;
            sk__cs_loc(&s->rep[k].z, r, (uint64_t)i, &c, &sg);
            if (!fits(s->rep[k].z.C[(size_t)r * s->b + c] + sg * vz)) return 0;
            sk__cs_loc(&s->rep[k].y, r, (uint64_t)i, &c, &sg);
            if (!fits(s->rep[k].y.C[(size_t)r * s->b + c] + sg * v)) return 0;
        }
    }
    return 1;
}

/* A_ij += v into ΦA and ΨA of every repetition: R counters per sketch. */
static void phi_add(sk_att_t *a, int i, int j, double v)
{
    sk_l2s_t *s = a->s;
    for (int k = 0; k < s->reps; k++) {
        double inv = 1.0 / sqrt(sk__hash_unit(&s->rep[k].u, (uint64_t)i));
        double *P = a->phi + k * rbd(a), *S = a->psi + k * rbd(a);
        for (int r = 0; r < s->R; r++) {
            int c; double sg;
            sk__cs_loc(&s->rep[k].z, r, (uint64_t)i, &c, &sg);
            P[((size_t)r * s->b + c) * a->d + j] += sg * v * inv;
            sk__cs_loc(&s->rep[k].y, r, (uint64_t)i, &c, &sg);
            S[((size_t)r * s->b + c) * a->d + j] += sg * v;
        }
    }
}

/* Would A_ij += v (settings X, BOTH: ΦA and ΨA of every repetition) stay in range? */
static int phi_add_fits(const sk_att_t *a, int i, int j, double v)
{
    const sk_l2s_t *s = a->s;
    if (!fits(v)) return 0;
    for (int k = 0; k < s->reps; k++) {
        double inv = 1.0 / sqrt(sk__hash_unit(&s->rep[k].u, (uint64_t)i));
        const double *P = a->phi + k * rbd(a), *S = a->psi + k * rbd(a);
        for (int r = 0; r < s->R; r++) {
            int c; double sg;
            sk__cs_loc(&s->rep[k].z, r, (uint64_t)i, &c, &sg);
            if (!fits(P[((size_t)r * s->b + c) * a->d + j] + sg * v * inv)) return 0;
            sk__cs_loc(&s->rep[k].y, r, (uint64_t)i, &c, &sg);
            if (!fits(S[((size_t)r * s->b + c) * a->d + j] + sg * v)) return 0;
        }
    }
    return 1;
}

int sk_att_create(int setting, int n, int d, const double *A, int lda, const double *x,
                  double eps, int buckets, int rows, int heavy, int reps, int rule, int hash,
                  sk_att_t **out, uint64_t seed)
{
    if (out) *out = NULL;
    if (setting != SK_ATT_A && setting != SK_ATT_X && setting != SK_ATT_BOTH) return -1;
    if (n < 1 || n > (1 << 30)) return -2;
    if (d < 1 || d > (1 << 24)) return -3;
    if (A && lda < n) return -5;
    if (!(eps > 0 && eps < 1)) return -7;
    if (buckets < 1 || buckets > SK__MAX_BUCKETS) return -8;
    if (rows < 1 || rows > SK__MAX_ROWS) return -9;
    if (heavy < 1 || heavy > n) return -10;
    if (reps < 1 || reps > SK__MAX_REPS) return -11;
    if (rule != SK_L2S_JST && rule != SK_L2S_PAPER) return -12;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -13;
    if (!out) return -14;
    if (A)
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++)
                if (!isfinite(SK__AT(A, lda, i, j))) return SK_ENONFINITE;
    if (x)
        for (int j = 0; j < d; j++)
            if (!isfinite(x[j])) return SK_ENONFINITE;
    sk_att_t *a = (sk_att_t *)SK_MALLOC(sizeof *a);
    if (!a) return SK_ENOMEM;
    memset(a, 0, sizeof *a);
    a->setting = setting; a->n = n; a->d = d;
    int st = sk_l2s_create(n, eps, buckets, rows, heavy, reps, rule, SK_L2S_SKETCH, hash, &a->s, seed);
    if (st) { SK_FREE(a); return st; }
    a->x = sk__alloc_doubles(d, 1);
    if (!a->x) { sk_att_destroy(a); return SK_ENOMEM; }
    for (int j = 0; j < d; j++) {
        a->x[j] = x ? x[j] : 0.0;
        if (!fits(a->x[j])) { sk_att_destroy(a); return SK_EINVAL; }
    }
    if (setting != SK_ATT_A) {
        long long words = (long long)reps * rows * buckets;
        a->phi = sk__alloc_doubles(words, d);
        a->psi = sk__alloc_doubles(words, d);
        if (!a->phi || !a->psi) { sk_att_destroy(a); return SK_ENOMEM; }
        memset(a->phi, 0, sizeof(double) * (size_t)words * d);
        memset(a->psi, 0, sizeof(double) * (size_t)words * d);
        if (A)  /* one pass over A */
            for (int j = 0; j < d; j++)
                for (int i = 0; i < n; i++)
                    if (SK__AT(A, lda, i, j) != 0) {
                        double v = SK__AT(A, lda, i, j);
                        if (!quick_fits(a, v) && !phi_add_fits(a, i, j, v)) { sk_att_destroy(a); return SK_EINVAL; }
                        phi_add(a, i, j, v);
                        a->cbound += fabs(v) * ATT_INV_MAX;
                    }
    } else if (A) {
        for (int i = 0; i < n; i++) {   /* y = A·x fed coordinate-wise */
            double yi = 0;
            for (int j = 0; j < d; j++) yi += SK__AT(A, lda, i, j) * a->x[j];
            if (yi != 0) {
                if (!quick_fits(a, yi) && !y_add_fits(a->s, i, yi)) { sk_att_destroy(a); return SK_EINVAL; }
                sk_l2s_update(a->s, i, yi);
                a->cbound += fabs(yi) * ATT_INV_MAX;
            }
        }
    }
    *out = a;
    return 0;
}

void sk_att_destroy(sk_att_t *a)
{
    if (!a) return;
    sk_l2s_destroy(a->s);
    SK_FREE(a->x); SK_FREE(a->phi); SK_FREE(a->psi);
    SK_FREE(a);
}

int sk_att_update_a(sk_att_t *a, int i, int j, double delta)
{
    if (!a) return -1;
    if (i < 0 || i >= a->n) return -2;
    if (j < 0 || j >= a->d) return -3;
    if (!isfinite(delta)) return SK_ENONFINITE;
    if (a->setting == SK_ATT_X) return SK_EINVAL;
    long long per = 2LL * a->s->R * a->s->reps; /* R counters per sketch, 2 sketches per rep */
    if (a->setting == SK_ATT_A) {
        double v = delta * a->x[j];
        if (!fits(v) || (!quick_fits(a, v) && !y_add_fits(a->s, i, v)))
            return SK_EINVAL; /* beyond SK_ATT_MAX_ABS: unchanged */
        sk_l2s_update(a->s, i, v);
        a->cbound += fabs(v) * ATT_INV_MAX;
    } else {
        if (!fits(delta) || (!quick_fits(a, delta) && !phi_add_fits(a, i, j, delta)))
            return SK_EINVAL; /* beyond SK_ATT_MAX_ABS: unchanged */
        phi_add(a, i, j, delta);
        a->cbound += fabs(delta) * ATT_INV_MAX;
    }
    a->last = per; a->total += per; a->upd_a++;
    return 0;
}

int sk_att_update_x(sk_att_t *a, int j, double delta)
{
    if (!a) return -1;
    if (j < 0 || j >= a->d) return -2;
    if (!isfinite(delta)) return SK_ENONFINITE;
    if (a->setting == SK_ATT_A) return SK_EINVAL;
    if (!fits(a->x[j] + delta)) return SK_EINVAL; /* beyond SK_ATT_MAX_ABS: unchanged */
    a->x[j] += delta;
    a->last = 1; a->total += 1; a->upd_x++;
    return 0;
}

/* Settings X/BOTH: the tables of y are (ΦA)x and (ΨA)x. */
static void form_tables(sk_att_t *a)
{
    sk_l2s_t *s = a->s;
    size_t rb = (size_t)s->R * s->b;
    for (int k = 0; k < s->reps; k++) {
        const double *P = a->phi + k * rbd(a), *S = a->psi + k * rbd(a);
        for (size_t t = 0; t < rb; t++) {
            double z = 0, y = 0;
            for (int j = 0; j < a->d; j++) { z += P[t * a->d + j] * a->x[j]; y += S[t * a->d + j] * a->x[j]; }
            s->rep[k].z.C[t] = z;
            s->rep[k].y.C[t] = y;
        }
    }
    a->qflops = 2.0 * s->reps * (double)rb * a->d;
}

int sk_att_sample(sk_att_t *a, double *rec)
{
    if (!a) return -1;
    if (!rec) return -2;
    if (a->setting != SK_ATT_A) form_tables(a);
    sk__l2s_run(a->s, rec);
    return 0;
}

int sk_att_table(sk_att_t *a, int rep, double *out)
{
    if (!a) return -1;
    if (rep < 0 || rep >= a->s->reps) return -2;
    if (!out) return -3;
    if (a->setting != SK_ATT_A) form_tables(a);
    return sk_l2s_table(a->s, rep, out);
}

int sk_att_stats(const sk_att_t *a, double *stats)
{
    if (!a) return -1;
    if (!stats) return -2;
    const sk_l2s_t *s = a->s;
    double sk2 = 2.0 * s->reps * s->R * s->b;
    double words = a->setting == SK_ATT_A ? a->d + sk2 : sk2 * a->d + a->d;
    long long ku = s->mode == SK_HASH_POLY ? SK__K_UNIT : 1;
    double bytes = 8.0 * words + (double)s->reps * (2.0 * (double)sk__cs_hash_bytes(s->mode, s->R) + 8.0 * ku);
    stats[SK_ATT_STAT_WORDS] = words;
    stats[SK_ATT_STAT_BYTES] = bytes;
    stats[SK_ATT_STAT_BITS] = 8 * bytes;
    stats[SK_ATT_STAT_LAST_COUNTERS] = (double)a->last;
    stats[SK_ATT_STAT_TOTAL_COUNTERS] = (double)a->total;
    stats[SK_ATT_STAT_UPDATES_A] = (double)a->upd_a;
    stats[SK_ATT_STAT_UPDATES_X] = (double)a->upd_x;
    stats[SK_ATT_STAT_QUERY_FLOPS] = a->qflops;
    return 0;
}

int sk_att_serialize(const sk_att_t *a, unsigned char *buf, size_t cap, size_t *len)
{
    if (!a) return -1;
    if (!len) return -4;
    const sk_l2s_t *s = a->s;
    sk__wbuf w = { NULL, 0, 0, 0 };
    for (int pass = 0; pass < 2; pass++) {
        sk__put_u32(&w, ATT_MAGIC); sk__put_u32(&w, ATT_VERSION);
        sk__put_u32(&w, (uint32_t)a->setting); sk__put_u32(&w, (uint32_t)a->n); sk__put_u32(&w, (uint32_t)a->d);
        sk__put_f64(&w, s->eps);
        sk__put_u32(&w, (uint32_t)s->b); sk__put_u32(&w, (uint32_t)s->R); sk__put_u32(&w, (uint32_t)s->m);
        sk__put_u32(&w, (uint32_t)s->reps); sk__put_u32(&w, (uint32_t)s->rule); sk__put_u32(&w, (uint32_t)s->mode);
        sk__put_u64(&w, s->seed);
        for (int j = 0; j < a->d; j++) sk__put_f64(&w, a->x[j]);
        size_t rb = (size_t)s->R * s->b;
        if (a->setting == SK_ATT_A) {
            for (int k = 0; k < s->reps; k++) {
                for (size_t t = 0; t < rb; t++) sk__put_f64(&w, s->rep[k].z.C[t]);
                for (size_t t = 0; t < rb; t++) sk__put_f64(&w, s->rep[k].y.C[t]);
            }
        } else {
            size_t tot = (size_t)s->reps * rbd(a);
            for (size_t t = 0; t < tot; t++) sk__put_f64(&w, a->phi[t]);
            for (size_t t = 0; t < tot; t++) sk__put_f64(&w, a->psi[t]);
        }
        sk__put_checksum(&w);
        if (pass == 0) {
            *len = w.len;
            if (!buf) return 0;
            if (cap < w.len) return SK_EINVAL;
            w.p = buf; w.cap = cap; w.len = 0;
        }
    }
    return 0;
}

int sk_att_deserialize(const unsigned char *buf, size_t len, sk_att_t **out)
{
    if (out) *out = NULL;
    if (!buf) return -1;
    if (!out) return -3;
    if (len < 72 || sk__check_checksum(buf, len)) return SK_EFORMAT;
    sk__rbuf r = { buf, len - 8, 0, 0 };
    uint32_t magic = sk__get_u32(&r), ver = sk__get_u32(&r);
    int setting = (int)sk__get_u32(&r), n = (int)sk__get_u32(&r), d = (int)sk__get_u32(&r);
    double eps = sk__get_f64(&r);
    int b = (int)sk__get_u32(&r), R = (int)sk__get_u32(&r), m = (int)sk__get_u32(&r);
    int reps = (int)sk__get_u32(&r), rule = (int)sk__get_u32(&r), mode = (int)sk__get_u32(&r);
    uint64_t seed = sk__get_u64(&r);
    if (r.bad || magic != ATT_MAGIC || !sk__state_format_ok(ver, mode)) return SK_EFORMAT;
    sk_att_t *a;
    /* Checks the header like any caller's arguments; any rejection is a bad buffer. */
    int st = sk_att_create(setting, n, d, NULL, n, NULL, eps, b, R, m, reps, rule, mode, &a, seed);
    if (st) return st == SK_ENOMEM ? st : SK_EFORMAT;
    size_t rb = (size_t)R * b;
    size_t body = (size_t)d + (setting == SK_ATT_A ? 2 * (size_t)reps * rb : 2 * (size_t)reps * rbd(a));
    if (body * 8 != r.len - r.pos) { sk_att_destroy(a); return SK_EFORMAT; }
    /* Every stored number in range (SK_ATT_MAX_ABS): a sampler never holds more. */
    int ok = 1;
    for (int j = 0; j < d; j++) ok &= fits(a->x[j] = sk__get_f64(&r));
    if (setting == SK_ATT_A) {
        for (int k = 0; k < reps; k++) {
            for (size_t t = 0; t < rb; t++) ok &= fits(a->s->rep[k].z.C[t] = sk__get_f64(&r));
            for (size_t t = 0; t < rb; t++) ok &= fits(a->s->rep[k].y.C[t] = sk__get_f64(&r));
        }
    } else {
        size_t tot = (size_t)reps * rbd(a);
        for (size_t t = 0; t < tot; t++) ok &= fits(a->phi[t] = sk__get_f64(&r));
        for (size_t t = 0; t < tot; t++) ok &= fits(a->psi[t] = sk__get_f64(&r));
    }
    if (!ok) { sk_att_destroy(a); return SK_EFORMAT; }
    /* the running bound restarts at the largest stored counter */
    if (setting == SK_ATT_A) {
        for (int k = 0; k < reps; k++)
            for (size_t t = 0; t < rb; t++)
                a->cbound = fmax(a->cbound, fmax(fabs(a->s->rep[k].z.C[t]), fabs(a->s->rep[k].y.C[t])));
    } else {
        size_t tot = (size_t)reps * rbd(a);
        for (size_t t = 0; t < tot; t++) a->cbound = fmax(a->cbound, fmax(fabs(a->phi[t]), fabs(a->psi[t])));
    }
    *out = a;
    return 0;
}
