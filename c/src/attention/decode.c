/*
 * decode.c — one-query standard and tensor attention: the evaluation kernels
 * (two-cache rows, naive, factored through sk_dgemm, streaming online
 * softmax) and the copy-in entry points. Contracts in sketchlab/attention.h.
 */
#include <math.h>
#include <string.h>

#include "attn_internal.h"

int sk_attention_scale(int preset, int d, double *scale)
{
    if (preset < SK_SCALE_RAW || preset > SK_SCALE_SIMPLICIAL) return -1;
    if (d < 1) return -2;
    if (!scale) return -3;
    *scale = preset == SK_SCALE_RAW ? 1.0 : preset == SK_SCALE_ALMAN_SONG ? 1.0 / d : 1.0 / sqrt((double)d);
    return 0;
}

void sk__to_token_major(int n, int d, const double *A, int lda, double *X)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) X[(size_t)i * d + j] = SK__AT(A, lda, i, j);
}

double sk__h2(double p)
{
    if (p <= 0.0 || p >= 1.0) return 0.0;
    return -p * log2(p) - (1.0 - p) * log2(1.0 - p);
}

/* logits[i] = Σ_j qs_j·K[i,j] over `rows` token-major rows, and *m = max(*m, logits).
 * Each sum is accumulated in j order from 0.0, exactly as a one-row loop would
 * (bit for bit: -ffp-contract=off, no reassociation), but four rows at a time
 * with four independent accumulators: a one-row loop waits on every add's
 * latency (one chain of d dependent adds per row), which made the logit pass
 * of the two-cache and naive four-cache queries latency-bound; four chains
 * overlap. The max is taken in row order with the same comparison. */
static void row_logits(long long rows, int d, const double *qs, const double *K, double *logits, double *m)
{
    double mx = *m;
    long long i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *k0 = K + (size_t)i * d, *k1 = k0 + d, *k2 = k1 + d, *k3 = k2 + d;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (int j = 0; j < d; ++j) {
            double q = qs[j];
            s0 += q * k0[j];
            s1 += q * k1[j];
            s2 += q * k2[j];
            s3 += q * k3[j];
        }
        logits[i] = s0; logits[i + 1] = s1; logits[i + 2] = s2; logits[i + 3] = s3;
        if (s0 > mx) mx = s0;
        if (s1 > mx) mx = s1;
        if (s2 > mx) mx = s2;
        if (s3 > mx) mx = s3;
    }
    for (; i < rows; ++i) {
        const double *k = K + (size_t)i * d;
        double s = 0.0;
        for (int j = 0; j < d; ++j) s += qs[j] * k[j];
        logits[i] = s;
        if (s > mx) mx = s;
    }
    *m = mx;
}

/* The naive four-cache's logits of key block a: logits[b] = Σ_j qs_j·(k1_j·K2[b,j]) for the n
 * pair rows (a, b), without storing the rows. Each product k1_j·K2[b,j] is the double that the
 * materialised row holds, and each sum is accumulated in j order from 0.0, as row_logits does
 * on the stored block (bit for bit: -ffp-contract=off); four rows at a time, as there. */
static void pair_logits(int n, int d, const double *qs, const double *k1, const double *K2, double *logits, double *m)
{
    double mx = *m;
    int b = 0;
    for (; b + 4 <= n; b += 4) {
        const double *k0 = K2 + (size_t)b * d, *kb1 = k0 + d, *kb2 = kb1 + d, *kb3 = kb2 + d;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (int j = 0; j < d; ++j) {
            double q = qs[j], x = k1[j];
            double p0 = x * k0[j], p1 = x * kb1[j], p2 = x * kb2[j], p3 = x * kb3[j];
            s0 += q * p0;
            s1 += q * p1;
            s2 += q * p2;
            s3 += q * p3;
        }
        logits[b] = s0; logits[b + 1] = s1; logits[b + 2] = s2; logits[b + 3] = s3;
        if (s0 > mx) mx = s0;
        if (s1 > mx) mx = s1;
        if (s2 > mx) mx = s2;
        if (s3 > mx) mx = s3;
    }
    for (; b < n; ++b) {
        const double *k2 = K2 + (size_t)b * d;
        double s = 0.0;
        for (int j = 0; j < d; ++j) {
            double p = k1[j] * k2[j];
            s += qs[j] * p;
        }
        logits[b] = s;
        if (s > mx) mx = s;
    }
    *m = mx;
}

void sk__attn_rows(long long N, int d, const double *qs, const double *K, const double *V,
                   double extra, double *logits, double *out, double *madds)
{
    double m = extra > 0 ? 0.0 : -INFINITY;
    row_logits(N, d, qs, K, logits, &m);
    /* Log domain: exp(ℓ − max ℓ) <= 1, and the max term is exactly 1, so Z >= 1.
     * With no zero-logit pairs (extra = 0) m can be very negative and exp(−m)
     * overflow: 0·Inf would be NaN, so the term is left out. */
    double Z = extra > 0 ? extra * exp(-m) : 0.0;
    for (int j = 0; j < d; ++j) out[j] = 0.0;
    for (long long i = 0; i < N; ++i) {
        double p = exp(logits[i] - m);
        Z += p;
        const double *v = V + (size_t)i * d;
        for (int j = 0; j < d; ++j) out[j] += p * v[j];
    }
    for (int j = 0; j < d; ++j) out[j] /= Z;
    *madds += 2.0 * (double)N * d;
}

int sk__tensor_naive(int n, int d, const double *qs, const double *K1, const double *K2,
                     const double *V1, const double *V2, double extra, double *out, double *madds, double *work)
{
    /* Remark 3.9 of the paper: form K1⊘K2 and V1⊘V2 for this query (2n²d
     * mults), then evaluate as the two-cache. The pair rows are formed one
     * block of n rows (fixed a) at a time and never held all at once: a
     * per-query buffer of 2n²d words (256 MiB at n = 512, d = 64) cost 65,536
     * fresh-page faults per query natively (0.75 s vs 0.036 s in wasm, whose
     * heap stays mapped). The arithmetic and its order are those of
     * sk__attn_rows over the fully materialised rows — pass 1 the logits and
     * their max, pass 2 the shifted exponentials and the weighted sum — so
     * the result is bit-for-bit what the materialised evaluation gave. Pass 1
     * forms each key-row entry as it is used (pair_logits: the same products,
     * not stored); pass 2 stores the value block, which n² weighted sums read. */
    long long N = (long long)n * n;
    double *blk = sk__alloc_doubles(n, d);
    double *lg = sk__alloc_doubles(N, 1);
    if (!blk || !lg) {
        SK_FREE(blk); SK_FREE(lg);
        return SK_ENOMEM;
    }
    double m = extra > 0 ? 0.0 : -INFINITY;
    for (int a = 0; a < n; ++a) /* pass 1: key block (a, ·), its logits (rows formed on the fly) */
        pair_logits(n, d, qs, K1 + (size_t)a * d, K2, lg + (size_t)a * n, &m);
    /* As in sk__attn_rows: no 0·Inf when m << 0 and extra = 0. */
    double Z = extra > 0 ? extra * exp(-m) : 0.0;
    for (int j = 0; j < d; ++j) out[j] = 0.0;
    for (int a = 0; a < n; ++a) { /* pass 2: value block (a, ·), weighted sum */
        const double *v1 = V1 + (size_t)a * d;
        for (int b = 0; b < n; ++b) {
            const double *v2 = V2 + (size_t)b * d;
            double *v = blk + (size_t)b * d;
            for (int j = 0; j < d; ++j) v[j] = v1[j] * v2[j];
        }
        for (int b = 0; b < n; ++b) {
            double p = exp(lg[(size_t)a * n + b] - m);
            Z += p;
            const double *v = blk + (size_t)b * d;
            for (int j = 0; j < d; ++j) out[j] += p * v[j];
        }
    }
    for (int j = 0; j < d; ++j) out[j] /= Z;
    *madds += 4.0 * (double)N * d; /* 2n²d forming the rows + 2n²d as the two-cache */
    *work = (double)n * d + (double)N; /* one pair block + the n² logits */
    SK_FREE(blk); SK_FREE(lg);
    return 0;
}

int sk__tensor_factored(int n, int d, const double *qs, const double *K1, const double *K2,
                        const double *V1, const double *V2, double extra, double *out, double *madds, double *work)
{
    /* S and M share one buffer region: M (d×n) is dead once S is formed, and
     * W (n×d) reuses it. Working memory n² + nd words. */
    double *S = sk__alloc_doubles((long long)n * n, 1);
    double *M = sk__alloc_doubles(n, d);
    if (!S || !M) {
        SK_FREE(S); SK_FREE(M);
        return SK_ENOMEM;
    }
    /* M = K1·diag(qs) (n×d column-major, M[a + j·n] = qs_j K1[a,j]): nd. Built
     * column-major so that the product below is a plain NN gemm (the
     * transposed-A path of sk_dgemm is several times slower in wasm). */
    for (int a = 0; a < n; ++a)
        for (int j = 0; j < d; ++j) M[(size_t)j * n + a] = qs[j] * K1[(size_t)a * d + j];
    /* S = M·K2ᵀ, with K2ᵀ the token-major storage (d×n, ld d):
     * S[a,b] = ⟨qs ∘ k1_a, k2_b⟩ (n×n, column-major): n²d. */
    sk_dgemm(SK_NOTRANS, SK_NOTRANS, n, n, d, 1.0, M, n, K2, d, 0.0, S, n);
    long long N = (long long)n * n;
    double m = extra > 0 ? 0.0 : -INFINITY;
    for (long long i = 0; i < N; ++i) if (S[i] > m) m = S[i];
    double Z = extra > 0 ? extra * exp(-m) : 0.0; /* extra = 0: no 0·Inf when m << 0 */
    for (long long i = 0; i < N; ++i) {
        S[i] = exp(S[i] - m);
        Z += S[i];
    }
    /* W = E·V2 (n×d, ld n) into M's storage: n²d. */
    double *W = M;
    sk_dgemm(SK_NOTRANS, SK_TRANS, n, d, n, 1.0, S, n, V2, d, 0.0, W, n);
    /* out = colsum(V1 ∘ W) / Z = diag(V1ᵀ E V2)/Z, never forming V1ᵀEV2: nd. */
    for (int j = 0; j < d; ++j) {
        double s = 0.0;
        for (int a = 0; a < n; ++a) s += V1[(size_t)a * d + j] * W[(size_t)j * n + a];
        out[j] = s / Z;
    }
    *madds += 2.0 * (double)N * d + 2.0 * (double)n * d;
    *work = (double)N + (double)n * d;
    SK_FREE(S); SK_FREE(M);
    return 0;
}

int sk__tensor_streaming(int n, int d, const double *qs, const double *K1, const double *K2,
                         const double *V1, const double *V2, double extra, double *out, double *madds, double *work)
{
    /* Online softmax over rows a of S (spec §2.3): row (n), e (shares row),
     * qk1 (d), u = Σ_b e_b v2_b (d): O(n + d) words, no n×n buffer. */
    double *row = sk__alloc_doubles(n, 1);
    double *qk = sk__alloc_doubles(d, 1);
    double *u = sk__alloc_doubles(d, 1);
    if (!row || !qk || !u) {
        SK_FREE(row); SK_FREE(qk); SK_FREE(u);
        return SK_ENOMEM;
    }
    double m = -INFINITY, l = 0.0;
    for (int j = 0; j < d; ++j) out[j] = 0.0;
    for (int a = 0; a < n; ++a) {
        const double *k1 = K1 + (size_t)a * d;
        for (int j = 0; j < d; ++j) qk[j] = qs[j] * k1[j];
        double mr = -INFINITY;
        for (int b = 0; b < n; ++b) {
            const double *k2 = K2 + (size_t)b * d;
            double s = 0.0;
            for (int j = 0; j < d; ++j) s += k2[j] * qk[j];
            row[b] = s;
            if (s > mr) mr = s;
        }
        double mn = mr > m ? mr : m;
        double c = m == -INFINITY ? 0.0 : exp(m - mn);
        double rs = 0.0;
        for (int j = 0; j < d; ++j) u[j] = 0.0;
        for (int b = 0; b < n; ++b) {
            double e = exp(row[b] - mn);
            rs += e;
            const double *v2 = V2 + (size_t)b * d;
            for (int j = 0; j < d; ++j) u[j] += e * v2[j];
        }
        const double *v1 = V1 + (size_t)a * d;
        for (int j = 0; j < d; ++j) out[j] = out[j] * c + v1[j] * u[j];
        l = l * c + rs;
        m = mn;
    }
    if (extra > 0) { /* zero-logit pairs: fold them in as one more "row" */
        double mn = m > 0 ? m : 0.0, c = exp(m - mn);
        for (int j = 0; j < d; ++j) out[j] *= c;
        l = l * c + extra * exp(-mn);
    }
    for (int j = 0; j < d; ++j) out[j] /= l;
    *madds += 2.0 * (double)n * n * d + 2.0 * (double)n * d;
    *work = (double)n + 2.0 * d + 3.0; /* row, qk, u; m, l, c */
    SK_FREE(row); SK_FREE(qk); SK_FREE(u);
    return 0;
}

int sk_khatri_rao_rows(int na, int nb, int d, const double *A, int lda,
                       const double *B, int ldb, double *C, int ldc)
{
    if (na < 0) return -1;
    if (nb < 0) return -2;
    if (d < 0) return -3;
    long long N = (long long)na * nb;
    if (N > 0x7fffffffLL) return SK_ENOMEM;
    if (!A && na * d > 0) return -4;
    if (lda < SK__MAX(1, na)) return -5;
    if (!B && nb * d > 0) return -6;
    if (ldb < SK__MAX(1, nb)) return -7;
    if (!C && N * d > 0) return -8;
    if (ldc < SK__MAX(1, N)) return -9;
    for (int j = 0; j < d; ++j)
        for (int a = 0; a < na; ++a)
            for (int b = 0; b < nb; ++b)
                SK__AT(C, ldc, (long long)a * nb + b, j) = SK__AT(A, lda, a, j) * SK__AT(B, ldb, b, j);
    return 0;
}


int sk_attention_decode(int n, int d, double scale, const double *q,
                        const double *K, int ldk, const double *V, int ldv, double *out)
{
    if (n < 1) return -1;
    if (d < 1) return -2;
    if (!isfinite(scale)) return -3;
    if (!q) return -4;
    if (!K) return -5;
    if (ldk < n) return -6;
    if (!V) return -7;
    if (ldv < n) return -8;
    if (!out) return -9;
    if (!sk__finite_vec(d, q) || !sk_all_finite(n, d, K, ldk) || !sk_all_finite(n, d, V, ldv))
        return SK_ENONFINITE;
    double *Kt = sk__alloc_doubles(n, d), *Vt = sk__alloc_doubles(n, d);
    double *lg = sk__alloc_doubles(n, 1), *qs = sk__alloc_doubles(d, 1);
    int st = 0;
    if (!Kt || !Vt || !lg || !qs) {
        st = SK_ENOMEM;
    } else {
        sk__to_token_major(n, d, K, ldk, Kt);
        sk__to_token_major(n, d, V, ldv, Vt);
        for (int j = 0; j < d; ++j) qs[j] = scale * q[j];
        double madds = 0.0;
        sk__attn_rows(n, d, qs, Kt, Vt, 0.0, lg, out, &madds);
        /* a logit or Σ p·v beyond the double range: the scale-safe evaluation */
        if (!sk__finite_vec(d, out)) st = sk__attn_rows_scaled(n, d, qs, Kt, Vt, 0.0, out);
    }
    SK_FREE(Kt); SK_FREE(Vt); SK_FREE(lg); SK_FREE(qs);
    return st;
}

int sk_tensor_attention_decode(int eval, int n, int d, double scale, const double *q,
                               const double *K1, int ldk1, const double *K2, int ldk2,
                               const double *V1, int ldv1, const double *V2, int ldv2,
                               double *out)
{
    if (eval < SK_TENSOR_TWO_CACHE || eval > SK_TENSOR_STREAMING) return -1;
    if (n < 1) return -2;
    if (d < 1) return -3;
    if (!isfinite(scale)) return -4;
    if (!q) return -5;
    if (!K1) return -6;
    if (ldk1 < n) return -7;
    if (!K2) return -8;
    if (ldk2 < n) return -9;
    if (!V1) return -10;
    if (ldv1 < n) return -11;
    if (!V2) return -12;
    if (ldv2 < n) return -13;
    if (!out) return -14;
    if (!sk__finite_vec(d, q) || !sk_all_finite(n, d, K1, ldk1) || !sk_all_finite(n, d, K2, ldk2) ||
        !sk_all_finite(n, d, V1, ldv1) || !sk_all_finite(n, d, V2, ldv2))
        return SK_ENONFINITE;
    double *T = sk__alloc_doubles(4LL * n + 1, d);
    if (!T) return SK_ENOMEM;
    double *k1 = T, *k2 = T + (size_t)n * d, *v1 = k2 + (size_t)n * d, *v2 = v1 + (size_t)n * d;
    double *qs = v2 + (size_t)n * d;
    sk__to_token_major(n, d, K1, ldk1, k1);
    sk__to_token_major(n, d, K2, ldk2, k2);
    sk__to_token_major(n, d, V1, ldv1, v1);
    sk__to_token_major(n, d, V2, ldv2, v2);
    for (int j = 0; j < d; ++j) qs[j] = scale * q[j];
    double madds = 0.0, work = 0.0;
    int st;
    if (eval == SK_TENSOR_NAIVE) {
        st = sk__tensor_naive(n, d, qs, k1, k2, v1, v2, 0.0, out, &madds, &work);
    } else if (eval == SK_TENSOR_FACTORED) {
        st = sk__tensor_factored(n, d, qs, k1, k2, v1, v2, 0.0, out, &madds, &work);
    } else if (eval == SK_TENSOR_STREAMING) {
        st = sk__tensor_streaming(n, d, qs, k1, k2, v1, v2, 0.0, out, &madds, &work);
    } else {
        /* Two-cache: the materialised rows in the paper's order a·n + b. */
        long long N = (long long)n * n;
        double *KR = sk__alloc_doubles(N, d), *VR = sk__alloc_doubles(N, d);
        double *lg = sk__alloc_doubles(N, 1);
        st = 0;
        if (!KR || !VR || !lg) {
            st = SK_ENOMEM;
        } else {
            for (int a = 0; a < n; ++a)
                for (int b = 0; b < n; ++b)
                    for (int j = 0; j < d; ++j) {
                        size_t r = ((size_t)a * n + b) * d + j;
                        KR[r] = k1[(size_t)a * d + j] * k2[(size_t)b * d + j];
                        VR[r] = v1[(size_t)a * d + j] * v2[(size_t)b * d + j];
                    }
            sk__attn_rows(N, d, qs, KR, VR, 0.0, lg, out, &madds);
        }
        SK_FREE(KR); SK_FREE(VR); SK_FREE(lg);
    }
    /* A logit ⟨q, k1∘k2⟩, a product k1∘k2 / v1∘v2 or the output beyond the double range. */
    if (st == 0 && !sk__finite_vec(d, out)) st = SK_ATTN_ERANGE;
    SK_FREE(T);
    return st;
}
