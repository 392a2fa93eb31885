/*
 * attn_internal.h — evaluation kernels shared by the copy-in decoders, the KV
 * caches and the Index game. Private (sk__ prefix).
 *
 * Storage: "token-major" — the rows of an n×d key/value set are contiguous,
 * row i at X + i·d (a d×n column-major matrix with ld = d). Caches append a
 * token by writing d contiguous doubles, and the gemm calls below read these
 * blocks transposed.
 *
 * Every kernel adds the multiply-adds it performed to *madds and reports its
 * working memory in words in *work (the cost tables of attention.h).
 */
#ifndef SKETCHLAB_ATTN_INTERNAL_H
#define SKETCHLAB_ATTN_INTERNAL_H

#include <math.h>

#include "internal.h"

/* out = Vᵀ softmax(K qs) over N rows (qs already scaled); logits: N doubles of scratch. */
void sk__attn_rows(long long N, int d, const double *qs, const double *K, const double *V,
                   double extra, double *logits, double *out, double *madds);

/* Tensor evaluations over n tokens (token-major K1, K2, V1, V2; qs scaled).
 * Return 0 or SK_ENOMEM (working memory is allocated inside and freed).
 * `extra` (here and in sk__attn_rows) counts additional rows/pairs with logit 0
 * and value 0 that enter only the softmax denominator: the Index game's
 * reader token (0 for ordinary queries). */
int sk__tensor_naive(int n, int d, const double *qs, const double *K1, const double *K2,
                     const double *V1, const double *V2, double extra, double *out, double *madds, double *work);
int sk__tensor_factored(int n, int d, const double *qs, const double *K1, const double *K2,
                        const double *V1, const double *V2, double extra, double *out, double *madds, double *work);
int sk__tensor_streaming(int n, int d, const double *qs, const double *K1, const double *K2,
                         const double *V1, const double *V2, double extra, double *out, double *madds, double *work);

/* Transpose a column-major n×d (ld) block into token-major storage. */
void sk__to_token_major(int n, int d, const double *A, int lda, double *X);

/* sk_kvcache_query with `extra` zero-logit, zero-value rows (see above). */
int sk__kvcache_query_extra(sk_kvcache_t *c, int eval, const double *q, double extra, double *out);

/* Token-major factor rows of an unbounded cache (i: 0 K1/K, 1 K2, 2 V1/V, 3 V2;
 * token t at + t·d), for SubGen2Cache, which keeps a four-cache to form the
 * new pairs of each token. NULL before the first append. */
const double *sk__kvcache_factor(const sk_kvcache_t *c, int i);

/* Extreme scale (issue 9): finite inputs whose attention output came out
 * non-finite — a logit q·k, a product k1∘k2 or v1∘v2, or Σ p·v beyond the
 * double range (~1.8e308). The public queries return this status (SK_EINVAL,
 * documented in attention.h) instead of Inf/NaN with status 0. */
#define SK_ATTN_ERANGE SK_EINVAL

static inline int sk__finite_vec(int n, const double *x)
{
    for (int i = 0; i < n; ++i) if (!isfinite(x[i])) return 0;
    return 1;
}

/* sk__attn_rows on logits and values of any finite scale (scaled.c): each logit
 * as μ·2^G, differences that overflow give weight 0 (the softmax is one-hot on
 * the max set), values prescaled per column. For the rare inputs whose plain
 * evaluation came out non-finite. Returns 0, SK_ENOMEM, or SK_ATTN_ERANGE (a
 * non-finite K/V entry, i.e. an overflowed materialised product, or an output
 * beyond the range). */
int sk__attn_rows_scaled(long long N, int d, const double *qs, const double *K, const double *V,
                         double extra, double *out);

/* Binary entropy in bits (0 at 0 and 1). */
double sk__h2(double p);

#endif
