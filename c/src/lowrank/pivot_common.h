/*
 * pivot_common.h — private pieces shared by the pivoting methods (column IDs
 * in id*.c and randomly pivoted Cholesky in rpchol.c): the teaching trace,
 * candidate selection, and a plain sum.
 */
#ifndef SKETCHLAB_PIVOT_COMMON_H
#define SKETCHLAB_PIVOT_COMMON_H

#include "internal.h"

/* Selection rules for sk__pick. */
enum { SK__PICK_WEIGHTED = 0, SK__PICK_GREEDY = 1, SK__PICK_UNIFORM = 2 };

/*
 * Pick bb distinct candidates among the indices with w_i > 0 and taken[i] == 0:
 *   SK__PICK_WEIGHTED  sequentially without replacement, P(i) ∝ w_i (u: bb uniforms);
 *   SK__PICK_GREEDY    the bb largest w_i, ties to the lowest index (u unused);
 *   SK__PICK_UNIFORM   uniformly without replacement (u: bb uniforms).
 * taken[] is scratch that the call restores (callers may keep other nonzero
 * marks in it to exclude indices permanently). The caller ensures that bb
 * eligible indices exist.
 */
void sk__pick(int n, const double *w, int bb, int rule, const double *u,
              unsigned char *taken, int *J);

/* Validate a caller's trace buffers and reset it; 0 if usable (or NULL), -1 if not. */
int sk__trace_begin(sk_id_trace_t *t);
/* Add a candidate to the open step; close the step with its residual mass. */
void sk__trace_add(sk_id_trace_t *t, int col, int accepted);
void sk__trace_close(sk_id_trace_t *t, double res2);

/* Sum of n doubles. */
double sk__sum(int n, const double *x);

#endif
