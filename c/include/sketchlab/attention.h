/*
 * sketchlab/attention.h — standard and tensor attention decoding, KV caches
 * that grow one token at a time, SubGen compressed caches and the Index game
 * (specs/attention.md §0, §2, §3; paper: tensor-kv-cache-tradeoff).
 *
 * Definitions (spec §2.1). Standard attention of one query q ∈ R^d against a
 * cache K, V ∈ R^{n×d}:  out = Vᵀ softmax(scale·K q).
 * Tensor attention (Alman–Song; 2-simplicial attention): logits over all n²
 * pairs (a, b),  ℓ_ab = scale·⟨q, K1[a] ∘ K2[b]⟩ = scale·Σ_j q_j K1[a,j] K2[b,j],
 *     out_j = Σ_{a,b} P_ab V1[a,j] V2[b,j],   P = softmax(ℓ) over all pairs,
 * i.e. out = (V1⊘V2)ᵀ softmax((K1⊘K2) q) with the Khatri–Rao product
 * (K1⊘K2)[a·n + b, :] = K1[a,:] ∘ K2[b,:] (= scipy.linalg.khatri_rao(K1, K2)).
 *
 * Evaluations of one tensor query (spec §2.2, §2.3) and their exact
 * multiply-add counts, which the cache counters report:
 *   SK_TENSOR_TWO_CACHE  materialised K = K1⊘K2, V = V1⊘V2 (n² rows):
 *                        Kq and Vᵀp, 2n²d; working memory n² (the logits).
 *   SK_TENSOR_NAIVE      four-cache, forms K1⊘K2 and V1⊘V2 per query
 *                        (2n²d) then evaluates as the two-cache: 4n²d;
 *                        the pair rows are formed n at a time (one a),
 *                        working memory nd + n² (the spec's "streamed"
 *                        option; results as if fully materialised).
 *   SK_TENSOR_FACTORED   four-cache, S = K1·diag(scale·q)·K2ᵀ (nd + n²d, the
 *                        product through sk_dgemm), P = softmax(S),
 *                        W = P·V2 (n²d, sk_dgemm), out = colsum(V1 ∘ W) (nd):
 *                        2n²d + 2nd; working memory n² + nd.
 *   SK_TENSOR_STREAMING  the factored evaluation row by row with an online
 *                        softmax (running max m, sum l, accumulator): the same
 *                        2n²d + 2nd multiply-adds, working memory 2n + 2d.
 * Every softmax is computed in the log domain (exp(ℓ − max ℓ)), so logits of
 * any finite size do not overflow. The n² exponentials are not multiply-adds
 * and are not counted.
 *
 * Scale presets (spec §2.1): SK_SCALE_RAW (1, the lower-bound papers),
 * SK_SCALE_ALMAN_SONG (1/d), SK_SCALE_SIMPLICIAL (1/√d).
 *
 * Matrices passed to the copy-in functions are column-major n×d with a
 * leading dimension (one token per row), as in the rest of the library.
 * Errors: 0, -i for argument i, SK_ENONFINITE for NaN/Inf in q, keys or
 * values, SK_ENOMEM when a buffer does not fit (sizes are overflow-checked
 * for a 32-bit size_t). Nothing stays allocated on any return path.
 *
 * References: J. Alman, Z. Song, "How to capture higher-order correlations?
 * Generalizing matrix softmax attention to Kronecker computation", ICLR 2024;
 * Y. Chen et al., arXiv 2503.11108 (four-/two-cache, SubGen4Cache/2Cache,
 * lower bounds); A. Zandieh et al., "SubGen", arXiv 2402.06082; T. Haris,
 * K. Onak, COLT 2025 (Index construction); M. Milakov, N. Gimelshein,
 * "Online normalizer calculation for softmax", arXiv 1805.02867.
 */
#ifndef SKETCHLAB_ATTENTION_H
#define SKETCHLAB_ATTENTION_H

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { SK_SCALE_RAW = 0, SK_SCALE_ALMAN_SONG = 1, SK_SCALE_SIMPLICIAL = 2 };
enum { SK_TENSOR_TWO_CACHE = 0, SK_TENSOR_NAIVE = 1, SK_TENSOR_FACTORED = 2,
       SK_TENSOR_STREAMING = 3 };

/*
 * sk_attention_scale — the scale of a preset.
 *   preset  SK_SCALE_RAW, SK_SCALE_ALMAN_SONG or SK_SCALE_SIMPLICIAL (arg 1).
 *   d       head dimension >= 1 (arg 2).
 *   scale   out: 1, 1/d or 1/sqrt(d) (arg 3).
 * Returns 0 or -i.
 */
int sk_attention_scale(int preset, int d, double *scale);

/*
 * sk_khatri_rao_rows — the row-wise Khatri–Rao product C = A ⊘ B:
 * C[a·nb + b, :] = A[a, :] ∘ B[b, :] (C is (na·nb)×d).
 *   na, nb, d  sizes >= 0 (args 1–3).  A na×d, lda >= max(1, na) (4, 5);
 *   B nb×d, ldb >= max(1, nb) (6, 7);  C out, ldc >= max(1, na·nb) (8, 9).
 * Returns 0, -i, or SK_ENOMEM if na·nb overflows int. Cost na·nb·d mults.
 */
int sk_khatri_rao_rows(int na, int nb, int d, const double *A, int lda,
                       const double *B, int ldb, double *C, int ldc);

/*
 * sk_attention_decode — standard attention of one query:
 * out = Vᵀ softmax(scale·K q) (log-domain softmax).
 *   n      tokens >= 1 (arg 1);   d  dimension >= 1 (arg 2);
 *   scale  finite (arg 3);        q  d entries (arg 4);
 *   K, ldk n×d keys, ldk >= n (args 5, 6);  V, ldv values (args 7, 8);
 *   out    d entries (arg 9).
 * Scale safe: logits scale·q·k_i beyond the double range (about 1.8e308) give
 * the exact softmax — weight 0 wherever ℓ_i − max ℓ is below about −745, so
 * one-hot on the max set when the logits are huge — and values whose weighted
 * sum would overflow give the exact mean ("Range" below).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM. Cost 2nd multiply-adds, n exps (the
 * scale-safe evaluation, only when the plain one overflows, about twice that).
 */
int sk_attention_decode(int n, int d, double scale, const double *q,
                        const double *K, int ldk, const double *V, int ldv, double *out);

/*
 * sk_tensor_attention_decode — tensor attention of one query by one of the
 * four evaluations above; all agree to rounding (spec T13).
 *   eval   SK_TENSOR_TWO_CACHE (materialises K1⊘K2, V1⊘V2 first, 2n²d extra
 *          words and mults), _NAIVE, _FACTORED or _STREAMING (arg 1).
 *   n >= 1, d >= 1 (args 2, 3);  scale finite (arg 4);  q d entries (arg 5);
 *   K1, K2, V1, V2 n×d with leading dimensions >= n (args 6–13);
 *   out d entries (arg 14).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM, SK_EINVAL (extreme scale: a logit
 * scale·⟨q, k1∘k2⟩, a product k1∘k2 or v1∘v2, or the output beyond the double
 * range; see "Range" below).
 *
 * Range (issue 9). Standard attention (sk_attention_decode, SK_KV_STANDARD
 * caches) is evaluated scale-safely when the plain evaluation overflows: each
 * logit as μ·2^G from the exact power-of-two prescaled q and k_i, differences
 * that overflow give weight exactly 0, values prescaled per column; only a
 * mean beyond DBL_MAX itself is SK_EINVAL. Tensor queries (this function, the
 * SK_KV_FOUR/_TWO caches) and SubGen evaluate in double precision; when finite
 * inputs give a non-finite result — a logit or an entry product k1∘k2, v1∘v2
 * beyond ~1.8e308 (e.g. k1, k2 entries ~ 1e160) — the call returns SK_EINVAL
 * and writes nothing meaningful to out, never Inf/NaN with status 0: scale q,
 * K or V down.
 */
int sk_tensor_attention_decode(int eval, int n, int d, double scale, const double *q,
                               const double *K1, int ldk1, const double *K2, int ldk2,
                               const double *V1, int ldv1, const double *V2, int ldv2,
                               double *out);

/* ------------------------------------------------------------------------- */
/* KV caches (opaque handles that grow one token at a time)                   */
/* ------------------------------------------------------------------------- */

/*
 * Kinds:
 *   SK_KV_STANDARD  K, V (standard attention): 2d words per token.
 *   SK_KV_FOUR      K1, K2, V1, V2 (tensor attention, spec §2.1 four-cache):
 *                   holds 4td words after t tokens; an append writes 4d words;
 *                   queries by SK_TENSOR_NAIVE, _FACTORED or _STREAMING.
 *   SK_KV_TWO       K = K1⊘K2, V = V1⊘V2 materialised (two-cache): holds 2t²d
 *                   words; the append at step t (1-based) forms the 2t−1 new
 *                   pair rows of K and of V, 2(2t−1)d mults. Rows are kept in
 *                   the SHELL ORDER of spec §2.4 — shell s (0-based) holds the
 *                   pairs with max(a,b) = s at rows [s², (s+1)²): (s, b) at
 *                   s² + b for b <= s, (a, s) at s² + s + 1 + a for a < s — so
 *                   appends never move a row. sk_kvcache_rows gives the paper's
 *                   order a·t + b. Queries by SK_TENSOR_TWO_CACHE only.
 *                   Forming new pairs needs the earlier k1, k2, v1, v2: they
 *                   are kept as well and reported separately as aux words
 *                   (4td), not as cache words, so that "words" is the spec's
 *                   2t²d.
 * Causal sliding window w >= 1: only the last w tokens are kept (ring
 * buffers); tensor pairs (a, b) range over that window (a, b ∈ (t−w, t]), so
 * words are 4·min(t,w)·d (four), 2·min(t,w)²·d (two), 2·min(t,w)·d
 * (standard) and queries cost as for n = min(t, w). window = SK_KV_NO_WINDOW
 * keeps everything.
 */
enum { SK_KV_STANDARD = 0, SK_KV_FOUR = 1, SK_KV_TWO = 2 };
#define SK_KV_NO_WINDOW (-1)

typedef struct sk_kvcache sk_kvcache_t;

/* Number of doubles sk_kvcache_stats writes, and their positions. */
enum {
    SK_KVSTAT_TOKENS = 0,        /* tokens appended so far                     */
    SK_KVSTAT_WORDS = 1,         /* words (doubles) the cache holds (spec §2.4)*/
    SK_KVSTAT_BYTES = 2,         /* 8·words                                    */
    SK_KVSTAT_BITS = 3,          /* 64·words                                   */
    SK_KVSTAT_AUX_WORDS = 4,     /* two-cache: factor rows kept for appends    */
    SK_KVSTAT_APPEND_OPS = 5,    /* words written by the last token's append   */
    SK_KVSTAT_QUERY_OPS = 6,     /* multiply-adds of the last query            */
    SK_KVSTAT_WORK_WORDS = 7,    /* working memory (words) of the last query   */
    SK_KVSTAT_TOTAL_APPEND_OPS = 8,
    SK_KVSTAT_TOTAL_QUERY_OPS = 9,
    SK_KVSTAT_COUNT = 10
};

/*
 * sk_kvcache_create — an empty cache.
 *   kind      SK_KV_STANDARD, SK_KV_FOUR or SK_KV_TWO (arg 1).
 *   d         dimension >= 1 (arg 2).
 *   window    >= 1, or SK_KV_NO_WINDOW (arg 3); 0 and other negatives: -3.
 *   scale     finite logit scale (arg 4), e.g. from sk_attention_scale.
 *   capacity  tokens to reserve now, >= 0 (arg 5); the cache grows by
 *             doubling beyond it. A windowed cache reserves its window.
 *   cache     out: the handle, NULL on failure (arg 6).
 * Returns 0, -i, SK_ENOMEM (use sk_kvcache_bytes_needed to say how much).
 */
int sk_kvcache_create(int kind, int d, int window, double scale, int capacity,
                      sk_kvcache_t **cache);

/* sk_kvcache_destroy — free the handle (NULL is a no-op). */
void sk_kvcache_destroy(sk_kvcache_t *cache);

/*
 * sk_kvcache_bytes_needed — bytes of storage a cache of this kind needs to
 * hold `tokens` tokens (including a two-cache's aux factor rows), as a double
 * so that sizes beyond 2^53 or the address space can still be reported.
 *   kind, d, window as for sk_kvcache_create (args 1–3); tokens >= 0 (arg 4);
 *   bytes out (arg 5).  Returns 0 or -i.
 */
int sk_kvcache_bytes_needed(int kind, int d, int window, double tokens, double *bytes);

/*
 * sk_kvcache_append — append `count` tokens in order (a batch, one call).
 *   cache  (arg 1);  count >= 0 tokens (arg 2);
 *   K1, ldk1  count×d keys (k for SK_KV_STANDARD), ldk1 >= max(1,count) (3, 4);
 *   K2, ldk2  second keys (tensor kinds; ignored, may be NULL, for standard) (5, 6);
 *   V1, ldv1  values (v for standard) (7, 8);
 *   V2, ldv2  second values (tensor kinds) (9, 10).
 * The whole batch is checked first: NaN/Inf anywhere gives SK_ENONFINITE and
 * appends nothing. SK_ENOMEM if the storage cannot grow (nothing appended).
 * Cost per token: 4d copies (four), 2d (standard), 2(2t−1)d mults (two).
 */
int sk_kvcache_append(sk_kvcache_t *cache, int count,
                      const double *K1, int ldk1, const double *K2, int ldk2,
                      const double *V1, int ldv1, const double *V2, int ldv2);

/*
 * sk_kvcache_query — attention of q against the cache (it must hold >= 1
 * token, else SK_EINVAL).
 *   cache (arg 1);  eval (arg 2): ignored for SK_KV_STANDARD; SK_TENSOR_TWO_CACHE
 *   for SK_KV_TWO; SK_TENSOR_NAIVE/_FACTORED/_STREAMING for SK_KV_FOUR
 *   (another value gives -2);  q d entries (arg 3);  out d entries (arg 4).
 * Returns 0, -i, SK_EINVAL (empty cache, or a tensor result beyond the double
 * range: "Range" above; the counters are then not updated; a standard cache
 * is scale safe), SK_ENONFINITE, SK_ENOMEM.
 * Updates the query counters.
 */
int sk_kvcache_query(sk_kvcache_t *cache, int eval, const double *q, double *out);

/*
 * sk_kvcache_stats — the counters, SK_KVSTAT_COUNT doubles at the positions
 * SK_KVSTAT_* (exact integers as doubles).  Returns 0 or -i.
 */
int sk_kvcache_stats(const sk_kvcache_t *cache, double *stats);

/*
 * sk_kvcache_rows — copy one of the cache's matrices out, oldest token first.
 *   which  0: K (standard) / K1 (four) / K (two-cache, t²×d, or m² for a
 *          window of m tokens); 1: K2 (four only); 2: V / V1 / V (two-cache);
 *          3: V2 (four only) (arg 2).
 *   paper_order  two-cache only: 0 storage (shell) order, 1 the paper's order
 *          a·m + b over the m tokens held (arg 3).
 *   A, lda  out: rows×d, lda >= rows (args 4, 5); rows from sk_kvcache_stats
 *          (tokens held, or its square for the two-cache).
 * Returns 0 or -i.
 */
int sk_kvcache_rows(const sk_kvcache_t *cache, int which, int paper_order,
                    double *A, int lda);

/* ------------------------------------------------------------------------- */
/* SubGen (Zandieh, Han, Mirrokni, Karbasi 2024), spec §3.1                    */
/* ------------------------------------------------------------------------- */

/*
 * State: greedy δ-clusters of the keys (centre μ_c = the first key that
 * opened it, count n_c, t uniform reservoir slots of keys) for the softmax
 * denominator, and s value samples (k̃_l, ṽ_l) drawn ∝ ‖v‖² by the weighted
 * reservoir (reservoir.h) with F = Σ‖v_i‖² for the numerator:
 *   Ẑ = Σ_c (n_c/t) Σ_l exp(⟨S_c[l], q⟩),
 *   N̂ = (F/s) Σ_l exp(⟨k̃_l, q⟩) ṽ_l / ‖ṽ_l‖²,     out = N̂ / Ẑ.
 * A key joins the FIRST cluster (in opening order) with ‖k − μ_c‖ <= δ,
 * else opens a new one. Ẑ and N̂ are unbiased for Z = Σ exp(⟨k_i,q⟩) and
 * N = Σ exp(⟨k_i,q⟩) v_i. No scale: fold it into q. Words held:
 *   m(t+1)d + m + s(2d+1) + 1   (m clusters).
 * Update O(m d + t + s), query O((m t + s) d).
 */
typedef struct sk_subgen sk_subgen_t;

/*
 * sk_subgen_create — empty SubGen state.
 *   d >= 1 (arg 1); delta > 0 finite (arg 2); t >= 1 (arg 3); s >= 1 (arg 4);
 *   sg out (arg 5).  Returns 0, -i, SK_ENOMEM.
 */
int sk_subgen_create(int d, double delta, int t, int s, sk_subgen_t **sg);

/* sk_subgen_destroy — free the handle (NULL is a no-op). */
void sk_subgen_destroy(sk_subgen_t *sg);

/*
 * sk_subgen_append — stream `count` tokens (rows of K, V; count×d, ld >= count).
 *   sg (1), rng (2, caller-owned), count >= 0 (3), K, ldk (4, 5), V, ldv (6, 7).
 * NaN/Inf anywhere: SK_ENONFINITE, nothing appended. SK_ENOMEM if a new
 * cluster cannot be stored (the tokens before it stay appended).
 */
int sk_subgen_append(sk_subgen_t *sg, sk_rng_t *rng, int count,
                     const double *K, int ldk, const double *V, int ldv);

/*
 * sk_subgen_query — out = N̂/Ẑ (log-domain), optionally the estimates.
 *   sg (1); q d entries (2); out d entries (3);
 *   zhat  NULL or 1 double: Ẑ (4);  nhat  NULL or d doubles: N̂ (5)
 *   (zhat, nhat are not shifted and overflow like exp for logits > ~700).
 * Returns 0, -i, SK_EINVAL if no token was appended or the estimate is beyond
 * the double range ("Range" above), SK_ENONFINITE.
 */
int sk_subgen_query(const sk_subgen_t *sg, const double *q, double *out,
                    double *zhat, double *nhat);

/*
 * sk_subgen_stats — [tokens, clusters m, words, bytes, bits] (5 doubles).
 * Returns 0 or -i.
 */
int sk_subgen_stats(const sk_subgen_t *sg, double *stats);

/*
 * sk_subgen4_query — the product-sampling SubGen4Cache for TENSOR attention
 * (our construction, spec §3.2 [D]; not the paper's): g1 has been fed the
 * rows (k1, v1) and g2 the rows (k2, v2) of the same tokens (each with its
 * own δ-clustering and value reservoir). Product clusters (c1, c2) are
 * clusters of pair keys; slot l of c1 times slot l of c2 is a uniform sample
 * of the product cluster, and independent draws a ∝ ‖v1_a‖², b ∝ ‖v2_b‖²
 * sample pairs for the numerator:
 *   Ẑ = Σ_{c1,c2} (n_c1 n_c2 / t) Σ_l exp(⟨q, S1_c1[l] ∘ S2_c2[l]⟩),
 *   N̂ = (F1 F2 / s) Σ_l exp(⟨q, k̃1_l ∘ k̃2_l⟩) (ṽ1_l ∘ ṽ2_l) / (‖ṽ1_l‖² ‖ṽ2_l‖²),
 * both unbiased for the tensor Z and N over all n² pairs; out = N̂ / Ẑ.
 * The variance of N̂ is governed by ‖V1‖_F²‖V2‖_F² ≥ ‖V1⊘V2‖_F².
 *   g1, g2 (args 1, 2): same d, t and s (else SK_EINVAL), same token count
 *   (else SK_EINVAL), at least one token;  q (3), out (4), zhat (5), nhat (6)
 *   as for sk_subgen_query (fold the scale into q), including its SK_EINVAL
 *   for an estimate beyond the double range.
 * Words held: those of g1 plus g2. Query O(m1·m2·t·d + s·d).
 */
int sk_subgen4_query(const sk_subgen_t *g1, const sk_subgen_t *g2, const double *q,
                     double *out, double *zhat, double *nhat);

/*
 * SubGen2Cache (the paper's construction, arXiv 2503.11108 Lemma 5.2; spec
 * §3.2): SubGen (above) run on the n² PAIR tokens of the two-cache,
 * key k1_a ∘ k2_b and value v1_a ∘ v2_b, assuming the pair keys are
 * (m, δ)-clusterable. Appending token t (0-based) streams its 2t+1 new pairs
 * in the two-cache's shell order — (t, b) for b = 0..t, then (a, t) for
 * a = 0..t−1 — so after T tokens the SubGen has seen exactly the T² rows of
 * the shell-ordered two-cache (spec §2.4), and
 *   Ẑ = Σ_c (n_c/t) Σ_l exp(⟨S_c[l], q⟩),
 *   N̂ = (F/s) Σ_l exp(⟨k̃_l, q⟩) ṽ_l / ‖ṽ_l‖²,   F = Σ_{a,b} ‖v1_a ∘ v2_b‖²,
 * are unbiased for the tensor Z = Σ_{a,b} exp(⟨q, k1_a ∘ k2_b⟩) and
 * N = Σ_{a,b} exp(⟨q, k1_a ∘ k2_b⟩) v1_a ∘ v2_b; out = N̂/Ẑ. No scale: fold it
 * into q (as for sk_subgen4_query). With all keys equal and all values equal
 * out = v1 ∘ v2, the exact tensor attention (spec T16).
 * Forming the new pairs needs every earlier k1, k2, v1, v2: they are kept
 * (a four-cache, 4Td words after T tokens), reported separately as aux words;
 * "words" are the SubGen state's m(t+1)d + m + s(2d+1) + 1, as for sk_subgen.
 * Per token t: 2(2t+1)d mults to form the pairs and 2t+1 SubGen updates,
 * O((2t+1)(m d + t_slots + s)) — the O(t·d) per-step work of spec §3.2.
 * Query O((m t + s) d) like sk_subgen_query.
 */
typedef struct sk_subgen2 sk_subgen2_t;

/* Number of doubles sk_subgen2_stats writes, and their positions. */
enum {
    SK_SG2STAT_TOKENS = 0,      /* tokens appended                            */
    SK_SG2STAT_PAIRS = 1,       /* pair tokens streamed into the SubGen (T²)  */
    SK_SG2STAT_CLUSTERS = 2,    /* clusters m of the pair keys                */
    SK_SG2STAT_WORDS = 3,       /* SubGen words m(t+1)d + m + s(2d+1) + 1      */
    SK_SG2STAT_BYTES = 4,       /* 8·words                                    */
    SK_SG2STAT_BITS = 5,        /* 64·words                                   */
    SK_SG2STAT_AUX_WORDS = 6,   /* factor rows kept to form pairs: 4Td        */
    SK_SG2STAT_APPEND_OPS = 7,  /* mults forming the last token's pairs 2(2t+1)d (t 0-based) */
    SK_SG2STAT_COUNT = 8
};

/*
 * sk_subgen2_create — an empty SubGen2Cache.
 *   d >= 1 (arg 1); delta > 0 finite, the pair-key cluster radius (arg 2);
 *   t >= 1 uniform slots per cluster (arg 3); s >= 1 value samples (arg 4);
 *   sg out: the handle, NULL on failure (arg 5).
 * Returns 0, -i, SK_ENOMEM.
 */
int sk_subgen2_create(int d, double delta, int t, int s, sk_subgen2_t **sg);

/* sk_subgen2_destroy — free the handle (NULL is a no-op). */
void sk_subgen2_destroy(sk_subgen2_t *sg);

/*
 * sk_subgen2_append — append `count` tokens in order (one call for a batch).
 *   sg (arg 1); rng (arg 2, caller-owned: the reservoir coins);
 *   count >= 0 (arg 3); K1, ldk1; K2, ldk2; V1, ldv1; V2, ldv2: count×d,
 *   column-major, ld >= max(1, count) (args 4–11).
 * The whole batch is checked first: NaN/Inf anywhere gives SK_ENONFINITE and
 * appends nothing. SK_ENOMEM if the factor rows cannot grow (nothing
 * appended) or a new cluster cannot be stored; in the latter case the
 * handle's pairs are an incomplete prefix and every later append or query
 * returns SK_EINVAL: destroy it. Extreme scale (issue 9): a pair product
 * k1∘k2 or v1∘v2 beyond the double range (~1.8e308) returns SK_EINVAL, with
 * the same incomplete prefix: scale K or V down and start a new handle.
 * Cost per token t (0-based): 2(2t+1)d mults plus 2t+1 SubGen updates.
 */
int sk_subgen2_append(sk_subgen2_t *sg, sk_rng_t *rng, int count,
                      const double *K1, int ldk1, const double *K2, int ldk2,
                      const double *V1, int ldv1, const double *V2, int ldv2);

/*
 * sk_subgen2_query — out = N̂/Ẑ over all pairs (log-domain), as sk_subgen_query.
 *   sg (1); q d entries (2); out d entries (3);
 *   zhat NULL or 1 double: Ẑ (4);  nhat NULL or d doubles: N̂ (5).
 * Returns 0, -i, SK_EINVAL (no token yet, or a failed append), SK_ENONFINITE.
 */
int sk_subgen2_query(const sk_subgen2_t *sg, const double *q, double *out,
                     double *zhat, double *nhat);

/*
 * sk_subgen2_stats — the counters, SK_SG2STAT_COUNT doubles at the positions
 * SK_SG2STAT_* (exact integers as doubles).  Returns 0 or -i.
 */
int sk_subgen2_stats(const sk_subgen2_t *sg, double *stats);

/* ------------------------------------------------------------------------- */
/* The Index game (spec §3.3, §3.4)                                           */
/* ------------------------------------------------------------------------- */

/*
 * Caches the game is played through:
 *   SK_INDEX_EXACT   standard cache of all n tokens.
 *   SK_INDEX_EVICT   keeps `budget` tokens chosen uniformly at random
 *                    (reservoir sampling, Algorithm R: each arriving token
 *                    evicts a random one with probability budget/t).
 *   SK_INDEX_WINDOW  sliding window of the last `budget` tokens.
 *   SK_INDEX_SUBGEN  SubGen(delta, t, s).
 *   SK_INDEX_FOUR    tensor four-cache lift (spec §3.4): Alice inserts
 *                    (k1 = JL key, k2 = 1, v1 = X[a,:], v2 = 1), Bob
 *                    (q = C·k1_i, 0, 0, 0, 0); factored evaluation.
 *   SK_INDEX_TWO     two-cache free-row instance: Alice writes n² arbitrary
 *                    rows (JL keys, bit rows), so N = n²·d bits.
 *   SK_INDEX_SUBGEN4 the four-cache lift through SubGen4Cache (product
 *                    sampling, our construction; sk_subgen4_query): one
 *                    SubGen(delta, t, s) fed (k1, v1), one fed (k2, v2); Bob's
 *                    token (0, 0, 0, 0) is drawn into both. State: both
 *                    SubGens' words. K2 = 𝟙 is one cluster; K1 (JL keys) is
 *                    clusterable only for delta >= ~√2.
 *   SK_INDEX_SUBGEN2 the four-cache lift through SubGen2Cache (SubGen on the
 *                    n² pair tokens k1_a ∘ k2_b = k1_a, v1_a ∘ v2_b = X[a,:],
 *                    each pair a appearing n times); Bob's token adds 2n+1
 *                    pairs of key 0 and value 0. State: the pair SubGen's
 *                    words (Bob's pairs are all zero, so the factor rows a
 *                    SubGen2Cache keeps for future appends are not part of
 *                    the message).
 */
enum { SK_INDEX_EXACT = 0, SK_INDEX_EVICT = 1, SK_INDEX_WINDOW = 2, SK_INDEX_SUBGEN = 3,
       SK_INDEX_FOUR = 4, SK_INDEX_TWO = 5, SK_INDEX_SUBGEN4 = 6, SK_INDEX_SUBGEN2 = 7 };

/*
 * sk_index_game — Alice streams her bits into a cache, the cache state is the
 * message, Bob recovers every bit X[i, j] by streaming one token
 * (q = C·k_i, k = 0, v = 0) into the restored state and reading out_j > 1/2.
 * Keys k_a are public random ±1/√d vectors (from rng, before anything else).
 *   n >= 1 tokens (1); d >= 1 (2); C finite > 0 (3);
 *   kind SK_INDEX_* (4); budget (5): tokens kept for EVICT/WINDOW, 1..n;
 *   delta, t, s (6–8): SubGen parameters (SUBGEN, SUBGEN4, SUBGEN2 only;
 *   checked as in sk_subgen_create);  rng (9);
 *   bits (10): N = n·d bits (N = n²·d for SK_INDEX_TWO), row-major
 *   X[a·d + j] ∈ {0, 1};  recovered (11): out, N bytes;
 *   result (12): out, 4 doubles [accuracy, state bits of the message,
 *   Fano floor N·(1 − H₂(1 − accuracy)) (0 when accuracy <= 1/2),
 *   max over all reads of |out_ij − X_ij| (how close Bob's outputs are)].
 * The message's state bits are 64 × the words the cache holds after Alice
 * (exact 2nd, evict/window 2·budget·d, SubGen its words, four 4nd, two 2n²d,
 * SubGen4/SubGen2 their SubGen words).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM.
 */
int sk_index_game(int n, int d, double C, int kind, int budget, double delta,
                  int t, int s, sk_rng_t *rng, const unsigned char *bits,
                  unsigned char *recovered, double *result);

/*
 * sk_fano_floor_bits — N·(1 − H₂(1 − a)) for a in [0, 1] (0 for a <= 1/2):
 * the fewest bits any message can have if Bob recovers N bits with average
 * accuracy a (Fano + subadditivity + concavity, spec §3.3).
 *   N >= 0 (arg 1); accuracy in [0, 1] (arg 2); bits out (arg 3).
 * Returns 0 or -i.
 */
int sk_fano_floor_bits(double N, double accuracy, double *bits);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_ATTENTION_H */
