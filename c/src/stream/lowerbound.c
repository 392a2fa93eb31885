/* lowerbound.c — the communication games behind the samplers' lower bounds
 * (seed paper Thm 4.4 and Lemma 6.2; spec §1.6, §1.8): Alice's streaming
 * state is serialized, that byte string is the message, Bob continues. */
#include <math.h>
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

int sk_disj_trial(int n, int k, double L, int buckets, int rows, int hash, sk_rng_t *rng,
                  int *hit, long long *message_bits)
{
    if (n < 2 || n > (1 << 26)) return -1;
    if (k < 1 || 2 * k - 1 > n) return -2;
    if (!isfinite(L) || !(L > 0)) return -3;
    if (buckets < 0 || buckets > SK__MAX_BUCKETS) return -4;
    if (buckets > 0 && (rows < 1 || rows > SK__MAX_ROWS)) return -5;
    if (hash != SK_HASH_POLY && hash != SK_HASH_FAST) return -6;
    if (!rng) return -7;
    if (!hit) return -8;
    if (!message_bits) return -9;
    int *perm = sk__alloc_ints(n);
    double *y = sk__alloc_doubles(n, 1);
    if (!perm || !y) { SK_FREE(perm); SK_FREE(y); return SK_ENOMEM; }
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int t = 0; t < 2 * k - 1; t++) {  /* partial Fisher–Yates */
        double u;
        sk_rng_uniform(rng, 1, &u);
        int j = t + (int)(u * (n - t));
        if (j >= n) j = n - 1;
        int tmp = perm[t]; perm[t] = perm[j]; perm[j] = tmp;
    }
    int common = perm[k - 1];   /* A = perm[0..k-1], B = perm[k-1..2k-2] */
    int st = 0;
    if (buckets == 0) {
        /* exact: Alice's message is her set as an n-bit map */
        memset(y, 0, sizeof(double) * (size_t)n);
        for (int t = 0; t < k; t++) y[perm[t]] += L;
        *message_bits = n;
    } else {
        uint32_t ctr[4] = { 0, 0, 0, 0 }, key[2], o[4];
        sk_rng_uniform(rng, 1, y);  /* the sketch's seed from the caller's stream */
        memcpy(key, &y[0], sizeof key);
        sk_philox4x32(ctr, key, o);
        uint64_t seed = ((uint64_t)o[0] << 32) | o[1];
        sk_cs_t *alice = NULL, *bob = NULL;
        st = sk_cs_create(buckets, rows, hash, &alice, seed);
        for (int t = 0; t < k && !st; t++) st = sk_cs_update(alice, perm[t], L);
        size_t len = 0;
        unsigned char *msg = NULL;
        if (!st) st = sk_cs_serialize(alice, NULL, 0, &len);
        if (!st) { msg = (unsigned char *)SK_MALLOC(len); if (!msg) st = SK_ENOMEM; }
        if (!st) st = sk_cs_serialize(alice, msg, len, &len);
        sk_cs_destroy(alice);
        if (!st) st = sk_cs_deserialize(msg, len, &bob);
        SK_FREE(msg);
        if (!st) {
            *message_bits = 8LL * (long long)len;
            for (int t = k - 1; t < 2 * k - 1 && !st; t++) st = sk_cs_update(bob, perm[t], L);
            if (!st) st = sk_cs_estimate_all(bob, n, y);
        }
        sk_cs_destroy(bob);
        if (st) { SK_FREE(perm); SK_FREE(y); return st; }
    }
    if (buckets == 0)
        for (int t = k - 1; t < 2 * k - 1; t++) y[perm[t]] += L;
    int pick = -1;
    st = sk_softmax_sample(n, y, SK_SOFTMAX_GUMBEL, 1, rng, &pick);
    if (!st) *hit = pick == common;
    SK_FREE(perm); SK_FREE(y);
    return st;
}

int sk_lemma62_trial(int d, const int *v, int i, double eps, int buckets, int rows, int reps,
                     int *out, long long *message_bits, uint64_t seed)
{
    if (d < 1 || d > (1 << 20)) return -1;
    if (!v) return -2;
    if (i < 0 || i >= d) return -3;
    if (!(eps > 0 && eps < 1)) return -4;
    if (buckets < 1 || buckets > SK__MAX_BUCKETS) return -5;
    if (rows < 1 || rows > SK__MAX_ROWS) return -6;
    if (reps < 1 || reps > SK__MAX_REPS) return -7;
    if (!out) return -8;
    if (!message_bits) return -9;
    for (int j = 0; j < d; j++) if (v[j] != 0 && v[j] != 1) return -2;
    sk_att_t *alice = NULL, *bob = NULL;
    int st = sk_att_create(SK_ATT_BOTH, d + 1, d, NULL, d + 1, NULL, eps, buckets, rows, 2, reps,
                           SK_L2S_JST, SK_HASH_POLY, &alice, seed);
    if (st) return st;
    /* A = [diag(v); 1e-10·1ᵀ], streamed entry by entry */
    for (int j = 0; j < d; j++) if (v[j]) sk_att_update_a(alice, j, j, 1.0);
    for (int j = 0; j < d; j++) sk_att_update_a(alice, d, j, 1e-10);
    size_t len = 0;
    unsigned char *msg = NULL;
    st = sk_att_serialize(alice, NULL, 0, &len);
    if (!st) { msg = (unsigned char *)SK_MALLOC(len); if (!msg) st = SK_ENOMEM; }
    if (!st) st = sk_att_serialize(alice, msg, len, &len);
    sk_att_destroy(alice);
    if (!st) st = sk_att_deserialize(msg, len, &bob);
    SK_FREE(msg);
    if (!st) {
        *message_bits = 8LL * (long long)len;
        st = sk_att_update_x(bob, i, 1.0);
        double rec[SK_L2S_REC_LEN];
        if (!st) st = sk_att_sample(bob, rec);
        if (!st) *out = (int)rec[SK_L2S_REC_INDEX];
    }
    sk_att_destroy(bob);
    return st;
}
