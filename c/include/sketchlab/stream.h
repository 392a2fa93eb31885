/*
 * sketchlab/stream.h — linear sketches of turnstile streams and the
 * precision-sampling ℓ2 sampler for y = Ax and y = (A1⊗A2)x
 * (specs/attention.md §0, §1.1–1.6, §1.8; paper: Song–Xie–Zhou,
 * "attention sampler under turnstile updates", Algorithm 1, §5, §7, Thm 4.4,
 * Lemma 6.2).
 *
 * Every structure is an opaque handle with _create/_destroy, is a pure
 * function of its seed and the stream it saw (hashing from sketchlab/hash.h,
 * so native and wasm states are identical for integer updates), and reports
 * its state size in bytes and bits (sk_*_size) so lower-bound demos can
 * compare it with information-theoretic floors. Indices are 0-based ints.
 * Deltas must be finite (SK_ENONFINITE otherwise) and indices in range
 * (status -i for the index argument).
 */
#ifndef SKETCHLAB_STREAM_H
#define SKETCHLAB_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "hash.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================== CountSketch
 * C[r][h_r(i)] += s_r(i)·Δ for r < R (Charikar–Chen–Farach-Colton, ICALP 2002),
 * h_r 2-wise, s_r 4-wise (theory mode), independent across rows and of each
 * other. estimate(i) = median_r s_r(i)·C[r][h_r(i)] (even R: mean of the two
 * middle values); f2() = median_r Σ_c C[r][c]² (Thorup–Zhang "fast AMS").
 * Guarantee: with b = Θ(k), R = O(log n/δ), |x̂_i − x_i| <= ‖x_{−k}‖₂/√k for
 * all i with probability 1 − δ. Memory R·b doubles. */
typedef struct sk_cs sk_cs_t;

/*
 * sk_cs_create — an all-zero CountSketch.
 *   [in]  buckets  b, 1 <= b <= 2^24 (argument 1).
 *   [in]  rows     R, 1 <= R <= 255 (argument 2).
 *   [in]  hash     SK_HASH_POLY or SK_HASH_FAST (argument 3).
 *                  POLY: h_r and s_r are polynomials over 2^61 − 1 of degree
 *                  1 and 3 (2-wise buckets, 4-wise signs).
 *                  FAST: one 64-bit multiply-add-shift per row of the vector
 *                  (key's low word, its murmur3 fmix32 fingerprint, key's
 *                  high word), four random words per row: the top 32 bits
 *                  give the bucket, the 33rd the sign, 2-wise independent
 *                  jointly (Dietzfelbinger 1996), so buckets and signs are
 *                  2-wise independent and independent of each other, as
 *                  POLY's buckets; signs are not 4-wise, so f2() has no
 *                  proven variance bound in FAST mode. Faster than POLY,
 *                  above all in wasm (docs/PERFORMANCE.md).
 *   [out] out      the new handle (argument 4).
 *   [in]  seed     seed of every hash (argument 5).
 * Returns 0, -i, or SK_ENOMEM. Cost O(R·b).
 */
int sk_cs_create(int buckets, int rows, int hash, sk_cs_t **out, uint64_t seed);
/* sk_cs_destroy — free the handle (NULL is a no-op). */
void sk_cs_destroy(sk_cs_t *cs);

/*
 * sk_cs_update — x_i += delta. [in] cs (1), i >= 0 (2), delta finite (3).
 * Counters stay finite: an update that would take one past ±DBL_MAX is
 * refused with SK_EINVAL and changes nothing (scale the deltas down; the
 * sketch is linear), so every state serializes into bytes that
 * sk_cs_deserialize accepts.
 * Returns 0, -1, -2 (negative index), SK_ENONFINITE, SK_EINVAL. Cost O(R).
 */
int sk_cs_update(sk_cs_t *cs, int i, double delta);

/*
 * sk_cs_update_batch — x_idx[t] += delta[t] for t < count, in order (one
 * boundary crossing from JS). Everything is validated before any counter
 * changes, so a bad entry leaves the sketch untouched. The table equals that
 * of count calls of sk_cs_update bit for bit (each counter sums its updates
 * in stream order), on every platform. If a counter would pass ±DBL_MAX at
 * any point of the batch, the whole batch is refused with SK_EINVAL and the
 * sketch is unchanged (as sk_cs_update).
 *   [in] cs (1), count >= 0 (2), idx (3), delta (4).
 * Returns 0, -i (a negative index gives -3), SK_ENONFINITE, SK_EINVAL,
 * SK_ENOMEM (only near DBL_MAX, where a copy of the table is kept to undo an
 * overflow). Cost O(count·R), plus O(R·b) once the sum of |counter| and
 * count·max|delta| exceeds 2^1021.
 */
int sk_cs_update_batch(sk_cs_t *cs, int count, const int *idx, const double *delta);

/* sk_cs_estimate — x̂_i (median estimate). [in] cs, i >= 0; [out] est. Cost O(R). */
int sk_cs_estimate(const sk_cs_t *cs, int i, double *est);

/*
 * sk_cs_estimate_all — x̂_0..x̂_{n−1} into est[n] (the values of
 * sk_cs_estimate, bit for bit; a zero estimate is +0).
 * Returns 0, -i, SK_ENOMEM. Cost O(n·R·log²R), O(R) memory.
 */
int sk_cs_estimate_all(const sk_cs_t *cs, int n, double *est);

/* sk_cs_f2 — F̂2 = median of the rows' sums of squares. Cost O(R·b). */
int sk_cs_f2(const sk_cs_t *cs, double *f2);

/*
 * sk_cs_heavy — heavy-hitter decode over the universe [0, n): the k indices
 * with the largest |x̂_i| (ties to the lower index), in decreasing order.
 *   [in] cs (1), n >= 1 (2), 1 <= k <= n (3); [out] idx[k] (4), val[k] (5).
 * Returns 0, -i, SK_ENOMEM. Cost O(n·R·log²R + n·k).
 */
int sk_cs_heavy(const sk_cs_t *cs, int n, int k, int *idx, double *val);

/*
 * sk_cs_merge — dst += src (linearity). Refused with SK_EMISMATCH unless
 * buckets, rows, hash mode and seed are all equal, and with SK_EINVAL if a
 * sum would overflow past ±DBL_MAX (dst unchanged in both cases).
 */
int sk_cs_merge(sk_cs_t *dst, const sk_cs_t *src);

/* sk_cs_table — copy the R×b table, row-major (row r at out + r·b). */
int sk_cs_table(const sk_cs_t *cs, double *out);

/*
 * sk_cs_serialize — the state as bytes: "SKCS", format version 2, b, R, hash
 * mode, seed, R·b little-endian doubles, FNV-1a-64 checksum of all that.
 * (Version 1 had another SK_HASH_FAST CountSketch hash; see sk_cs_create.)
 *   [in] cs (1); [out] buf (2) may be NULL to ask only for the length;
 *   [in] cap (3) bytes available; [out] len (4) bytes needed/written.
 * Returns 0, -i, or SK_EINVAL if cap < *len (nothing written).
 */
int sk_cs_serialize(const sk_cs_t *cs, unsigned char *buf, size_t cap, size_t *len);

/*
 * sk_cs_deserialize — a new handle from sk_cs_serialize's bytes. A truncated,
 * extended, corrupted (checksum) or other-version buffer gives SK_EFORMAT and
 * *out = NULL; so does a version-1 buffer of an SK_HASH_FAST sketch (its
 * counters were filled under the old fast hash; version-1 SK_HASH_POLY
 * buffers are read as before). Cost O(R·b).
 */
int sk_cs_deserialize(const unsigned char *buf, size_t len, sk_cs_t **out);

/* sk_cs_size — state size: bytes of counters + hash coefficients; bits = 8·bytes. */
int sk_cs_size(const sk_cs_t *cs, long long *bytes, long long *bits);

/* ===================================================================== AMS F2
 * Z[a][c] += σ_{a,c}(i)·Δ with σ 4-wise independent per counter (Alon–Matias–
 * Szegedy 1996); F̂2 = median_a mean_c Z[a][c]². s1 = ⌈16/ε²⌉ copies give
 * relative error ε with probability 7/8; s2 medians boost to 1 − δ. */
typedef struct sk_ams sk_ams_t;
/* sk_ams_create — s1 in [1, 2^20] (1), s2 in [1, 255] (2), hash (3), out (4), seed (5).
 * State: s1·s2 counters (8 bytes) and sign hashes (sizeof(sk_hash_t) = 136
 * bytes each). Returns 0, -i, or SK_ENOMEM (also when s1·s2·136 bytes exceed
 * SIZE_MAX, e.g. s1·s2 > 3.1e7 in wasm32). */
int sk_ams_create(int s1, int s2, int hash, sk_ams_t **out, uint64_t seed);
void sk_ams_destroy(sk_ams_t *a);
/* sk_ams_update — x_i += delta. Cost O(s1·s2·k).
 * Range (extreme scale, issue 9): every counter stays below SK_AMS_MAX_ABS =
 * 2^500 (about 3.3e150) in magnitude, so the F2 estimate (a mean of s1 squared
 * counters) cannot overflow. An update, or a batch, that would break it
 * returns SK_EINVAL and leaves the sketch unchanged (scale the deltas down:
 * the sketch is linear). Returns 0, -i, SK_ENONFINITE, SK_EINVAL, SK_ENOMEM
 * (near the limit a batch is applied to a saved copy's original). */
#define SK_AMS_MAX_ABS 0x1p500
int sk_ams_update(sk_ams_t *a, int i, double delta);
/* sk_ams_update_batch — count updates; all or nothing (a bad index: -3,
 * a NaN/Inf delta: SK_ENONFINITE, the range above: SK_EINVAL). */
int sk_ams_update_batch(sk_ams_t *a, int count, const int *idx, const double *delta);
int sk_ams_f2(const sk_ams_t *a, double *f2);
int sk_ams_size(const sk_ams_t *a, long long *bytes, long long *bits);

/* ===================================================================== ℓ2 sampler
 * Precision sampling (Jowhari–Sağlam–Tardos PODS 2011; Andoni–Krauthgamer–
 * Onak FOCS 2011; seed paper Algorithm 1). Per repetition: u_i = unit hash of
 * (seed, i); CSz sketches z_i = y_i/√u_i, CSy (independent hashes) sketches y.
 * Query: ẑ = decode, i* = argmax|ẑ|, H = top m, r = √F̂2(y),
 * s = √F̂2(CSz − ẑ_H); FAIL "tail" if s > tail limit, FAIL "threshold" if
 * |ẑ_i*| < peak limit, else return i* and ŷ = ẑ_i*·√u_i*. Repetitions are
 * independent (seeds); the first non-FAIL one answers.
 *   rule SK_L2S_JST:   tail limit √(εm)·r, peak limit r/√ε.
 *   rule SK_L2S_PAPER: both limits √(C·ln n/ε)·r (seed paper; C = 1).
 * Oracles: SK_L2S_SKETCH (above); SK_L2S_EXACT (y kept exactly: accept iff
 * exactly one i has u_i <= p_i = y_i²/peak², law ∝ p_i/(1−p_i); "tail" means
 * two or more passed); SK_L2S_RACE (y kept exactly: argmax y_i²/E_i,
 * E_i = −log u_i, law exactly ∝ y_i², never fails). */
enum { SK_L2S_JST = 0, SK_L2S_PAPER = 1 };
enum { SK_L2S_SKETCH = 0, SK_L2S_EXACT = 1, SK_L2S_RACE = 2 };
enum { SK_L2S_OK = 0, SK_L2S_FAIL_TAIL = 1, SK_L2S_FAIL_THRESHOLD = 2 };

/* The glass-box record of one query (doubles, in this order). */
enum {
    SK_L2S_REC_INDEX = 0,   /* sampled index, −1 if every repetition failed  */
    SK_L2S_REC_VALUE,       /* ŷ_i* = ẑ_i*·√u_i* (exact oracles: y_i*)       */
    SK_L2S_REC_FAIL,        /* SK_L2S_OK / _FAIL_TAIL / _FAIL_THRESHOLD       */
    SK_L2S_REC_REP,         /* repetition the record describes                */
    SK_L2S_REC_ISTAR,       /* argmax |ẑ| in that repetition                  */
    SK_L2S_REC_U,           /* u_i* of that repetition                        */
    SK_L2S_REC_ZHAT,        /* ẑ_i*                                           */
    SK_L2S_REC_R,           /* r ≈ ‖y‖₂                                       */
    SK_L2S_REC_S,           /* tail estimate s (exact: number of passers)     */
    SK_L2S_REC_TAIL_LIMIT,  /* the tail test's limit                          */
    SK_L2S_REC_PEAK_LIMIT,  /* the peak test's limit                          */
    SK_L2S_REC_TRIED,       /* repetitions examined                           */
    SK_L2S_REC_NTAIL,       /* of those, failed the tail test                 */
    SK_L2S_REC_NTHRESH,     /* of those, failed the peak test                 */
    SK_L2S_REC_LEN
};

typedef struct sk_l2s sk_l2s_t;

/*
 * sk_l2s_create — an ℓ2 sampler of y ∈ R^n, y = 0.
 *   [in] n        universe, 1 <= n <= 2^30 (argument 1).
 *   [in] eps      ε in (0, 1) (argument 2).
 *   [in] buckets  b per CountSketch row (argument 3; ignored by exact oracles).
 *   [in] rows     R (argument 4).
 *   [in] heavy    m, 1 <= m <= n (argument 5).
 *   [in] reps     repetitions, 1..4096; ⌈ln(1/δ)/ε⌉ for failure δ (argument 6).
 *   [in] rule     SK_L2S_JST or SK_L2S_PAPER (argument 7).
 *   [in] oracle   SK_L2S_SKETCH, _EXACT or _RACE (argument 8).
 *   [in] hash     SK_HASH_POLY or SK_HASH_FAST (argument 9).
 *   [out] out     handle (argument 10).
 *   [in] seed     (argument 11).
 * Memory: reps·2·R·b doubles (sketch) or n doubles (exact oracles).
 * Returns 0, -i, SK_ENOMEM.
 */
int sk_l2s_create(int n, double eps, int buckets, int rows, int heavy, int reps, int rule,
                  int oracle, int hash, sk_l2s_t **out, uint64_t seed);
void sk_l2s_destroy(sk_l2s_t *s);
/* sk_l2s_update — y_i += delta: CSz gets Δ/√u_i, CSy gets Δ, in every repetition. O(reps·R).
 * Range (extreme scale, issue 9): every stored number — the counters of CSz
 * and CSy, or y itself for the exact oracles — stays below SK_L2S_MAX_ABS =
 * 2^400 (about 2.6e120) in magnitude, so a query's squared norms and limits
 * (b <= 2^24 squared counters; n <= 2^30 terms y_i²/u_i) cannot overflow. An
 * update, or a batch, that would break it returns SK_EINVAL and leaves the
 * sampler unchanged (scale y down: the sample's index does not depend on the
 * scale). Returns 0, -i, SK_ENONFINITE, SK_EINVAL, SK_ENOMEM. Cost O(1) extra
 * while a running bound on the counters is below 2^399; beyond it a batch is
 * applied to the tables with a saved copy to put back. No lower limit: a
 * query on tables (or y) whose largest entry is below 2^-256 works on them
 * scaled up by an exact power of two, so y and 2^k·y sample the same index. */
#define SK_L2S_MAX_ABS 0x1p400
int sk_l2s_update(sk_l2s_t *s, int i, double delta);
/* sk_l2s_update_batch — count updates; all or nothing (a bad index: -3,
 * a NaN/Inf delta: SK_ENONFINITE, the range above: SK_EINVAL). */
int sk_l2s_update_batch(sk_l2s_t *s, int count, const int *idx, const double *delta);
/*
 * sk_l2s_sample — run the query; rec[SK_L2S_REC_LEN] gets the glass-box
 * record of the accepting repetition (or of the last one if all failed).
 * Cost O(reps·(n·R + n·m + R·b)) worst case. Returns 0 or -i.
 */
int sk_l2s_sample(sk_l2s_t *s, double *rec);
/*
 * sk_l2s_inspect — what repetition `rep` sees: u_i and ẑ_i (sketch oracle:
 * decoded; exact oracles: y_i/√u_i) for i < n. For the demo's figure.
 */
int sk_l2s_inspect(const sk_l2s_t *s, int rep, double *u, double *zhat);
/* sk_l2s_table — copy repetition rep's CSz then CSy tables (2·R·b doubles). */
int sk_l2s_table(const sk_l2s_t *s, int rep, double *out);
/* sk_l2s_size — state bytes (counters or exact y, plus hash words); bits = 8·bytes. */
int sk_l2s_size(const sk_l2s_t *s, long long *bytes, long long *bits);

/* ===================================================================== attention sampler
 * ℓ2 sampling from y = A·x, A n×d, x ∈ R^d, in the seed paper's three
 * turnstile settings (§5; spec §1.4). Φ = S·D_u^{−1/2} (the z-sketch), Ψ the
 * y-sketch, both exactly those of an sk_l2s with the same parameters and
 * seed, so the state equals that of the 1-D sampler fed y = A_final·x_final.
 *   SK_ATT_A     A updates, x fixed: keep x, Φy, Ψy; A_ij += Δ feeds
 *                (i, Δ·x_j) to the 1-D sampler: O(R) counters per sketch.
 *   SK_ATT_X     x updates, A fixed: keep ΦA, ΨA (R·b × d each, one pass over
 *                A at creation) and x; x_j += Δ is O(1); query forms (ΦA)x.
 *   SK_ATT_BOTH  both: ΦA[h_r(i), j] += s_r(i)·Δ/√u_i (and ΨA): O(R) per
 *                sketch per A update, O(1) per x update.
 * Memory (words): A: d + reps·2Rb; X and BOTH: reps·2Rb·d + d.
 * Lower bound for BOTH: Ω(d) bits (Lemma 6.2; sk_lemma62_trial). */
enum { SK_ATT_A = 1, SK_ATT_X = 2, SK_ATT_BOTH = 3 };

/* Statistics (doubles, in this order) from sk_att_stats. */
enum {
    SK_ATT_STAT_WORDS = 0,   /* state words per the §1.4 table                */
    SK_ATT_STAT_BYTES,       /* state bytes (words·8 + hash coefficients)     */
    SK_ATT_STAT_BITS,        /* 8·bytes                                       */
    SK_ATT_STAT_LAST_COUNTERS, /* counters written by the last update          */
    SK_ATT_STAT_TOTAL_COUNTERS,
    SK_ATT_STAT_UPDATES_A,
    SK_ATT_STAT_UPDATES_X,
    SK_ATT_STAT_QUERY_FLOPS, /* multiply-adds of the last query's (ΦA)x       */
    SK_ATT_STAT_LEN
};

typedef struct sk_att sk_att_t;

/*
 * sk_att_create — an attention sampler.
 *   [in] setting  SK_ATT_A, SK_ATT_X or SK_ATT_BOTH (argument 1).
 *   [in] n, d     A is n×d, 1 <= n, d (arguments 2, 3).
 *   [in] A, lda   initial A, column-major, or NULL for zeros (SK_ATT_X needs
 *                 it) (arguments 4, 5; lda >= n).
 *   [in] x        initial x (d), or NULL for zeros (argument 6).
 *   [in] eps..hash  as sk_l2s_create, oracle SK_L2S_SKETCH (arguments 7–13:
 *                 eps, buckets, rows, heavy, reps, rule, hash).
 *   [out] out     (argument 14).   [in] seed (argument 15).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM, SK_EINVAL (range, below).
 *
 * Range (extreme scale, issue 9): every number the sampler stores — the
 * counters of y = A·x's sketches (setting A: y_i scaled by up to 1/√u_i), or
 * the sketches ΦA, ΨA and x (settings X, BOTH) — must stay below
 * SK_ATT_MAX_ABS = 2^228 (about 4.3e68) in magnitude, so that the query's
 * tables (ΦA)x and their squared norms never overflow. An initial A or x, or
 * an update (sk_att_update_a/_x), that would break it returns SK_EINVAL and
 * leaves the state unchanged (scale A and x down); sk_att_deserialize returns
 * SK_EFORMAT for a buffer holding such numbers. Cost: O(1) per update while a
 * running bound on the counters is below 2^227; beyond it each update also
 * checks its own counters exactly (as costly as the update).
 */
#define SK_ATT_MAX_ABS 0x1p228
int sk_att_create(int setting, int n, int d, const double *A, int lda, const double *x,
                  double eps, int buckets, int rows, int heavy, int reps, int rule, int hash,
                  sk_att_t **out, uint64_t seed);
void sk_att_destroy(sk_att_t *a);
/* sk_att_update_a — A_ij += delta (SK_EINVAL in setting SK_ATT_X, or when a
 * stored number would reach SK_ATT_MAX_ABS: see sk_att_create; state unchanged). */
int sk_att_update_a(sk_att_t *a, int i, int j, double delta);
/* sk_att_update_x — x_j += delta (SK_EINVAL in setting SK_ATT_A, or when |x_j|
 * would reach SK_ATT_MAX_ABS; state unchanged). */
int sk_att_update_x(sk_att_t *a, int j, double delta);
/* sk_att_sample — as sk_l2s_sample (forms (ΦA)x first in settings X/BOTH). */
int sk_att_sample(sk_att_t *a, double *rec);
/* sk_att_table — repetition rep's z- and y-tables of y (2·R·b), as sk_l2s_table. */
int sk_att_table(sk_att_t *a, int rep, double *out);
/* sk_att_stats — stats[SK_ATT_STAT_LEN]. The update and counter tallies
 * count the operations on this handle: sk_att_deserialize's copy starts
 * them at 0 (they are not part of the state or its message). */
int sk_att_stats(const sk_att_t *a, double *stats);
/* sk_att_serialize / _deserialize — the whole state (the "message" of the
 * lower-bound games); same conventions and errors as sk_cs_serialize. */
int sk_att_serialize(const sk_att_t *a, unsigned char *buf, size_t cap, size_t *len);
int sk_att_deserialize(const unsigned char *buf, size_t len, sk_att_t **out);

/* ===================================================================== tensor sampler
 * y = (A1⊗A2)·x, x = vec_row(X), Y = A1·X·A2ᵀ, y[i1·n + i2] = Y[i1][i2]
 * (spec §1.5; seed paper §7). A2 (n×d) and X (d×d) fixed, A1 streamed from 0.
 * G = A2·Xᵀ; A1[i][j] += Δ changes row i of Y by Δ·G[:, j], fed to the
 * pair-hashed sketches (bucket (h1(i1)+h2(i2)) mod b, sign σ1(i1)σ2(i2)):
 * O(n·R) per update. Query: §1.3 over the n² pairs. The unscaled y-sketch
 * also equals IFFT(Σ_j1 FFT(P)[:, j1] ∘ (FFT(Q)·Xᵀ)[:, j1]) with P, Q the
 * CountSketches of A1's and A2's columns (P updated in O(R)):
 * sk_tensor_fft_sketch. Memory: n·d (G) + reps·2Rb + R·b·d (P) + O(R·n)
 * hash words. */
typedef struct sk_tensor sk_tensor_t;
/*
 * sk_tensor_create — [in] n (1) in [1, 46340] (n·n must fit in an int), d (2)
 * in [1, 4096], A2 n×d (3), lda2 (4), X d×d (5), ldx (6), eps (7), buckets
 * (8), rows (9), heavy (10) in [1, n·n], reps (11) in [1, 1024], rule (12),
 * [out] out (13), [in] seed (14).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM, SK_EINVAL (range, below).
 * Range (extreme scale, issue 9): every number the sampler stores — A2, X,
 * G = A2·Xᵀ, the sketches P (of A1) and Q (of A2) and the counters — must stay
 * below SK_TENSOR_MAX_ABS = 2^140 (about 1.4e42) in magnitude, so that the
 * query's norms and the FFT identity's table (up to b²d²·|P||Q||X|) never
 * overflow. An A2 or X that breaks it gives SK_EINVAL; so does an update
 * (state unchanged). Scale A1, A2 or X down. Cost: O(1) per update while running
 * bounds on the counters and P are below 2^139; beyond them each update also
 * checks its own counters exactly (as costly as the update).
 */
#define SK_TENSOR_MAX_ABS 0x1p140
int sk_tensor_create(int n, int d, const double *A2, int lda2, const double *X, int ldx,
                     double eps, int buckets, int rows, int heavy, int reps, int rule,
                     sk_tensor_t **out, uint64_t seed);
void sk_tensor_destroy(sk_tensor_t *t);
/* sk_tensor_update — A1[i][j] += delta. Cost O(reps·n·R). Returns 0, -i,
 * SK_ENONFINITE, SK_EINVAL when a stored number would reach SK_TENSOR_MAX_ABS
 * (see sk_tensor_create; the state is then unchanged). */
int sk_tensor_update(sk_tensor_t *t, int i, int j, double delta);
/* sk_tensor_sample — rec as sk_l2s_sample; index = i1·n + i2. */
int sk_tensor_sample(sk_tensor_t *t, double *rec);
/* sk_tensor_table — repetition rep's z- then y-table (2·R·b). */
int sk_tensor_table(const sk_tensor_t *t, int rep, double *out);
/*
 * sk_tensor_sketch_y — the z- and y-tables (2·R·b) that repetition rep would
 * hold for an explicitly given Y (n×n, column-major, Y(i1, i2), ldy >= n),
 * fed pair by pair: the reference for the streamed updates. Cost O(n²R).
 */
int sk_tensor_sketch_y(const sk_tensor_t *t, int rep, const double *Y, int ldy, double *out);
/* sk_tensor_fft_sketch — the y-table of repetition 0 via the FFT identity
 * (R·b), and f2 = median of its rows' sums of squares (may be NULL). */
int sk_tensor_fft_sketch(const sk_tensor_t *t, double *out, double *f2);
int sk_tensor_size(const sk_tensor_t *t, long long *bytes, long long *bits);

/* ===================================================================== softmax
 * sk_softmax_sample — `draws` exact samples from p_i = exp(ℓ_i)/Σ exp(ℓ_j),
 * computed in log domain (subtract max ℓ), so logits of any finite size work.
 *   [in] n (1) >= 1, logits (2) finite, method (3): SK_SOFTMAX_INVERSE
 *   (inverse CDF, binary search on the cumulative weights, O(n + draws·log n)),
 *   SK_SOFTMAX_GUMBEL (argmax ℓ_i + G_i, O(n) per draw), SK_SOFTMAX_ALIAS
 *   (Walker–Vose table, O(n) build, O(1) per draw); draws >= 0 (4);
 *   rng (5) caller's Philox state, advanced; [out] out[draws] (6).
 * Returns 0, -i, SK_ENONFINITE, SK_ENOMEM.
 */
enum { SK_SOFTMAX_INVERSE = 0, SK_SOFTMAX_GUMBEL = 1, SK_SOFTMAX_ALIAS = 2 };
int sk_softmax_sample(int n, const double *logits, int method, int draws, sk_rng_t *rng, int *out);

/* ===================================================================== lower-bound games
 * sk_disj_trial — one round of the set-disjointness reduction for softmax
 * sampling (seed paper Thm 4.4; spec §1.6, T12). From rng: Alice's set A and
 * Bob's set B ⊂ [n], |A| = |B| = k, |A∩B| = 1. y = L·(1_A + 1_B). Alice
 * streams L·1_A into her state and sends serialize(state); Bob deserializes,
 * streams L·1_B, and draws one index from softmax(ŷ) (Gumbel).
 *   buckets = 0: the exact state (her set as an n-bit map); else a
 *   CountSketch(buckets, rows) whose seed comes from rng, ŷ = estimate_all.
 *   [in] n (1) >= 2, k (2) in [1, n/2], L (3) finite > 0, buckets (4) >= 0,
 *   rows (5), hash (6) SK_HASH_POLY or SK_HASH_FAST, rng (7); [out] hit (8)
 *   1 if the draw is the intersection, message_bits (9) size of the message.
 * Note: on a universe n ≈ b the 2-wise linear (POLY) bucket hash spreads
 *   [0, n) almost like a permutation, so a random subset collides less than
 *   under a fully random hash and the hit rate is higher (b = 1024, 4000
 *   trials: 0.80 vs 0.62 with FAST, whose fingerprint term spreads a run of
 *   keys like a random hash: the spec's fully random prototype gives 0.63).
 */
int sk_disj_trial(int n, int k, double L, int buckets, int rows, int hash, sk_rng_t *rng,
                  int *hit, long long *message_bits);

/*
 * sk_lemma62_trial — the Ω(d) game for setting BOTH (seed paper Lemma 6.2;
 * spec §1.8, T9). Alice: A = [diag(v); 1e−10·1ᵀ] ((d+1)×d) streamed into an
 * SK_ATT_BOTH sampler; message = sk_att_serialize. Bob: deserialize,
 * x_i += 1, sample. out = sampled row (i if v_i = 1, d if v_i = 0), −1 if
 * every repetition failed.
 *   [in] d (1), v[d] in {0,1} (2), i (3), eps (4), buckets (5), rows (6),
 *   reps (7); [out] out (8), message_bits (9); [in] seed (10).
 */
int sk_lemma62_trial(int d, const int *v, int i, double eps, int buckets, int rows, int reps,
                     int *out, long long *message_bits, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif /* SKETCHLAB_STREAM_H */
