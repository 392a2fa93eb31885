/*
 * cs_kernel.h — the blocked CountSketch loops behind batch updates and the
 * universe decode of the samplers (cs_kernel.c). They compute exactly the
 * values of the scalar definitions in stream_internal.h (sk__cs_hash,
 * sk__hash_unit, sk__cs_add, sk__cs_est): the hashes are exact
 * integer arithmetic, and every counter receives its additions in stream
 * order, so tables are bit-identical to one-at-a-time updates on every
 * platform (native, wasm, wasm SIMD). Only the loop structure differs: keys
 * are hashed a block at a time with no per-key branches or calls, so the
 * compiler vectorizes the hashing (natively; the wasm SIMD build has
 * hand-written loops, see cs_kernel.c), and each row's counters stay in L1
 * while the block is scattered into them.
 */
#ifndef SKETCHLAB_STREAM_CS_KERNEL_H
#define SKETCHLAB_STREAM_CS_KERNEL_H

#include <stdint.h>
#include "stream_internal.h"

/* Keys per block: the block's keys, deltas, buckets and signed deltas
 * (2 + 4 + 2 + 4 KiB; fast mode: + 2 KiB of fingerprints) and one row of
 * counters share the L1 cache. */
#define SK__BLK 512

/* sk__unit_block — u[q] = sk__hash_unit(h, key[q]) for q < n <= SK__BLK, keys < 2^31
 * (the poly loops reduce lazily, which needs that bound; every caller's keys
 * are non-negative ints). */
void sk__unit_block(const sk_hash_t *h, int n, const uint32_t *key, double *u);

/*
 * sk__cs_add_block — for t < n <= SK__BLK in order: sk__cs_add(cs, key[t],
 * delta[t]) (keys < 2^31, deltas finite; the caller validated them).
 */
void sk__cs_add_block(sk__cs *cs, int n, const uint32_t *key, const double *delta);

/*
 * Median of R values by a fixed sorting network (Batcher's odd-even merge
 * sort, comparators touching the padding dropped), so the medians of a whole
 * block of keys are computed lane by lane without branches. Up to
 * SK__NET_MAX comparators (enough for R <= SK__MAX_ROWS).
 */
#define SK__NET_MAX 4096
int sk__sortnet(int n, uint8_t (*pairs)[2]);

/* Scratch of one block decode: R·SK__BLK doubles for the row estimates. */
typedef struct sk__decode {
    int npairs;
    uint8_t pairs[SK__NET_MAX][2];
} sk__decode;
void sk__decode_init(sk__decode *d, int R);

/*
 * sk__cs_decode_block — est[q] = sk__cs_est(cs, key0 + q) (the median over
 * rows of s_r·C[r][h_r], with -0 returned as +0) for q < n <= SK__BLK;
 * key0 + n <= 2^31. work holds R·SK__BLK doubles.
 */
void sk__cs_decode_block(const sk__cs *cs, const sk__decode *d, uint32_t key0, int n, double *est,
                         double *work);

#endif
