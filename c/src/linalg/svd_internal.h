/*
 * svd_internal.h — private helpers shared by svd.c, bdsdc.c and eigh.c
 * (definitions in svd.c, except sk__bdsdc in bdsdc.c). Not installed; nothing
 * here is public API.
 *
 * They duplicate a few LAPACK auxiliaries (dlarfg, dlartg, dlasr)
 * rather than borrowing qr.c's private ones, so that the SVD and the
 * eigensolver depend only on qr.c's public API; the kernels are small.
 */
#ifndef SKETCHLAB_LINALG_SVD_INTERNAL_H
#define SKETCHLAB_LINALG_SVD_INTERNAL_H

#include "internal.h"

/*
 * sk__sv_dot — xᵀy with four independent partial sums. Without -ffast-math the
 * compiler must keep a single sum in order and cannot vectorize the loop; the
 * split sums vectorize (SSE2 / simd128) and pipeline, at no cost in accuracy
 * (the error bound of a dot product does not depend on the summation order).
 */
static inline double sk__sv_dot(int n, const double *x, const double *y)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++) s0 += x[i] * y[i];
    return (s0 + s2) + (s1 + s3);
}

/*
 * sk__sv_larfg — Householder reflector H = I − tau v vᵀ with H (alpha; x) =
 * (beta; 0) (LAPACK dlarfg, with its rescaling of tiny vectors).
 *   n      order of H; x has n−1 entries with stride incx >= 1.
 *   alpha  in: first entry; out: beta.
 *   x      in: the rest; out: v(1:n−1), v(0) = 1 implied.
 * Returns tau (0 when x is already zero, H = I).
 */
double sk__sv_larfg(int n, double *alpha, double *x, int incx);

/*
 * sk__sv_lartg — plane rotation with [c s; −s c] (f; g) = (r; 0), c >= 0
 * (LAPACK 3.10 dlartg: no overflow, no harmful underflow).
 */
void sk__sv_lartg(double f, double g, double *c, double *s, double *r);

/*
 * sk__sv_larf_left — C := (I − tau v vᵀ) C for the m×n matrix C, v = (1; vtail)
 * (vtail contiguous, m−1 entries). One fused pass per column.
 */
void sk__sv_larf_left(int m, int n, const double *vtail, double tau, double *C, int ldc);

/*
 * sk__sv_rot_seq — apply a sequence of plane rotations to the columns of the
 * nrows×ncols matrix X (LAPACK dlasr, side 'R', pivot 'V'): rotation j
 * (0 <= j < ncols−1) replaces columns (x_j, x_{j+1}) by
 *     (c_j x_j + s_j x_{j+1},  c_j x_{j+1} − s_j x_j),
 * in order j = 0, 1, ... (backward = 0) or j = ncols−2, ..., 0 (backward = 1).
 */
void sk__sv_rot_seq(int nrows, int ncols, const double *c, const double *s, double *X,
                    int ldx, int backward);

/*
 * Deferred rotation sequences. Each QR sweep yields one rotation sequence
 * for U and one for V (eigh: Z only); applied at once, every sweep streams
 * all of U and V through memory (they are usually bigger than L2). Instead up
 * to SK__SWEEPS sequences are queued and then applied one block of
 * SK__ROWBLK rows at a time, the block staying in cache across all queued
 * sweeps. The sequences never feed back into the iteration, so deferring
 * them is exact: the same rotations in the same order on every row.
 */
#define SK__SWEEPS 16
#define SK__ROWBLK 32

typedef struct {
    int n;                       /* order of the bidiagonal/tridiagonal */
    int count;                   /* queued sweeps */
    int off[SK__SWEEPS], len[SK__SWEEPS], bwd[SK__SWEEPS];
    double *buf;                 /* SK__SWEEPS·4n doubles: (cV, sV, cU, sU) per sweep */
    double *V, *U;               /* either may be NULL */
    int ldv, nv, ldu, nu;        /* leading dimensions and row counts */
} sk__rotq;

/* Queue a sweep on columns off..off+len−1 (rotations as sk__sv_rot_seq):
 * (cv, sv) for V, (cu, su) for U; flushes first when the queue is full. */
void sk__sv_rotq_push(sk__rotq *q, int off, int len, int bwd, const double *cv,
                      const double *sv, const double *cu, const double *su);

/* Apply and empty the queue. */
void sk__sv_rotq_flush(sk__rotq *q);

/*
 * sk__sv_pow2_exp — an exponent e such that anrm·2^e is about 1 when anrm
 * lies outside [lo, hi] (0 when it is inside, zero or not finite). Callers
 * scale with ldexp(x, e): exact, unlike multiplying by a computed factor,
 * and 2^e itself may not be representable when anrm is subnormal.
 */
int sk__sv_pow2_exp(double anrm, double lo, double hi);

/*
 * sk__bdsqr (svd.c) — singular values of the n×n upper bidiagonal B = diag(d) +
 * superdiag(e) by implicit-shift QR (dbdsqr), and, when V/U are given,
 * V := V·Q_R, U := U·Q_L where B = Q_L diag(s) Q_Rᵀ (V has nv rows, U has nu
 * rows). On exit d holds s >= 0 descending (columns of U and V permuted alike).
 * work: (4 + 4·SK__SWEEPS)·n doubles. Returns 0 or SK_ENOCONV.
 */
int sk__bdsqr(int n, double *d, double *e, double *V, int ldv, int nv, double *U, int ldu,
              int nu, double *work);

/*
 * Blocks of at most this order are left to sk__bdsqr by the divide and
 * conquer (LAPACK's SMLSIZ, ilaenv ispec 9).
 */
#define SK__DC_SMLSIZ 25

/*
 * sk__bdsdc (bdsdc.c) — SVD B = U diag(d) Vᵀ of the n×n upper bidiagonal
 * B = diag(d) + superdiag(e) by divide and conquer (LAPACK dbdsdc, compq 'I'),
 * U and V n×n (overwritten, not accumulated). On exit d holds the singular
 * values, >= 0 and descending; e is destroyed. Falls back to sk__bdsqr if the
 * secular equation solver fails. Returns 0, SK_ENOMEM or SK_ENOCONV.
 */
int sk__bdsdc(int n, double *d, double *e, double *U, int ldu, double *V, int ldv);

#endif /* SKETCHLAB_LINALG_SVD_INTERNAL_H */
