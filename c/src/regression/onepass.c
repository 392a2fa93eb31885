/*
 * onepass.c — everything the solvers need at a point x from ONE pass over A
 * (specs/softmax_regression.md §2–§4, the corrected formulas of formulas.c).
 *
 * Why: at n = 1e5, d = 64 A is 51 MB; a sampled-Newton iteration is two
 * memory-bound streams over it (z = Ax, then [u v g] = Aᵀ[f h r]). The n-vectors
 * fed to Aᵀ depend on the softmax normalizer α = Σ exp(z − m), known only after
 * all of z, but each is a fixed combination of per-row quantities with scalar
 * coefficients. With e = exp(z − m), f = e/α, κ = <f − b, f>:
 *   u = Aᵀf            = P1/α
 *   v = Aᵀ((2f − b)∘f) = 2 P2/α² − P3/α
 *   g = Aᵀ(f∘(f − b) − κf + w²∘z) = P2/α² − P3/α − κ P1/α + P4
 * with P1 = Aᵀe, P2 = Aᵀ(e∘e), P3 = Aᵀ(b∘e), P4 = Aᵀ(w²∘z). So A is streamed in
 * row blocks that fit in cache: a block's slice of z, then Aᵀ of the four
 * per-row vectors over that block while it is still cached. m is a running
 * maximum (online softmax): when it grows, the exp-weighted sums are rescaled
 * by exp(m_old − m_new) (P2 by its square), so no exp ever sees a positive
 * argument (no overflow for ‖Ax‖∞ ≫ 709).
 */
#include <math.h>

#include "gemv_multi.h"
#include "regression_internal.h"

int sk__reg_onepass_rows(int d)
{
    /* ~128 KB of A per block, read from cache by the Aᵀ product (n = 1e5,
       d = 64: 128 to 1024 rows measured alike, 2048 and more slower). */
    return SK__MAX(16, 16384 / SK__MAX(1, d));
}

void sk__reg_point_onepass(int n, int d, const double *A, int lda, const double *b,
                           const double *w, const double *x, double *z, double *f, double *hv,
                           double *blk, double *P, double *u, double *v, double *g,
                           double *loss, double *kappa, double *gamma, int nrows,
                           const int *rows, double *G)
{
    int nb = SK__MIN(n, sk__reg_onepass_rows(d));
    int t0 = 0; /* the first of rows not gathered yet */
    double *P1 = P, *P2 = P + d, *P3 = P + 2 * d, *P4 = P + 3 * d;
    for (int j = 0; j < 4 * d; j++) P[j] = 0.0;
    double m = -INFINITY, s1 = 0.0;
    for (int i0 = 0; i0 < n; i0 += nb) {
        int k = SK__MIN(nb, n - i0);
        double *zb = z + i0;
        sk_dgemv(SK_NOTRANS, k, d, 1.0, A + i0, lda, x, 0.0, zb);
        /* The requested rows in this block, copied while it is in cache (a
           separate gather after the pass would miss on each of a row's d
           entries, A being column-major). */
        int t1 = t0;
        while (t1 < nrows && rows[t1] < i0 + k) t1++;
        if (t1 > t0)
            for (int j = 0; j < d; j++) {
                const double *a = A + (size_t)j * lda;
                double *gj = G + (size_t)j * nrows;
                for (int t = t0; t < t1; t++) gj[t] = a[rows[t]];
            }
        t0 = t1;
        double mb = zb[0];
        for (int i = 1; i < k; i++) if (zb[i] > mb) mb = zb[i];
        if (mb > m) {
            double c = exp(m - mb); /* 0 on the first block */
            for (int j = 0; j < d; j++) { P1[j] *= c; P2[j] *= c * c; P3[j] *= c; }
            s1 *= c;
            m = mb;
        }
        /* hv[i0] remembers the shift this block's e used (hv is rewritten below). */
        hv[i0] = m;
        double *E1 = blk, *E2 = blk + nb, *E3 = blk + 2 * nb, *E4 = blk + 3 * nb;
        for (int i = 0; i < k; i++) {
            double e = exp(zb[i] - m);
            f[i0 + i] = e;
            s1 += e;
            E1[i] = e;
            E2[i] = e * e;
            E3[i] = b[i0 + i] * e;
            E4[i] = w[i0 + i] * (w[i0 + i] * zb[i]);
        }
        /* [P1 P2 P3 P4] += A(i0:i0+k, :)ᵀ [E1 E2 E3 E4] while the block is in
           cache. Natively each column read once for all four, unpacked
           (gemv_multi.h): n = 1e5, d = 64, the pass's products took ~0.8 ms
           less than with the core's packed GEMM, whose transpose of every
           block cost more than its multiplications (CPU time, one run of 40
           repetitions, load ~9), and GEMM had beaten four GEMVs (6.1 against
           4.5 ms for the whole evaluation). In wasm four GEMVs were the
           fastest measured: a sampled iteration took 15.3 ms (SIMD 9.5) with
           GEMM, 12.3 ms (SIMD 8.4) with them (load ~7). */
#ifdef __wasm__
        for (int t = 0; t < 4; t++)
            sk_dgemv(SK_TRANS, k, d, 1.0, A + i0, lda, blk + (size_t)t * nb, 1.0, P + (size_t)t * d);
#else
        sk__gemv_t_multi(k, d, 4, A + i0, lda, blk, nb, P, d);
#endif
    }
    /* f = e·exp(m_block − m)/α, then the O(n) scalars as in sk__reg_point
       (rounded alike when one block holds all rows: c = 1, f = e/α). */
    double kap = 0.0, gam = 0.0, cc = 0.0, reg = 0.0;
    for (int i0 = 0; i0 < n; i0 += nb) {
        int k = SK__MIN(nb, n - i0);
        double c = exp(hv[i0] - m);
        for (int i = i0; i < i0 + k; i++) {
            double fi = f[i] * c / s1;
            f[i] = fi;
            double ci = fi - b[i];
            kap += ci * fi;
            gam += (3.0 * fi - 2.0 * b[i]) * fi;
            cc += ci * ci;
            double wz = w[i] * z[i];
            reg += wz * wz;
            hv[i] = (2.0 * fi - b[i]) * fi;
        }
    }
    double ia = 1.0 / s1, ia2 = ia * ia;
    for (int j = 0; j < d; j++) {
        u[j] = P1[j] * ia;
        v[j] = 2.0 * P2[j] * ia2 - P3[j] * ia;
        g[j] = P2[j] * ia2 - P3[j] * ia - kap * P1[j] * ia + P4[j];
    }
    *loss = 0.5 * cc + 0.5 * reg;
    *kappa = kap;
    *gamma = gam;
}
