/*
 * fuzz_cur.c — libFuzzer harness for sk_cur (CUR on a given column skeleton,
 * both cores), with sizes, leading dimensions, the skeleton J (often valid,
 * sometimes repeated or out of range), the core and the matrix from the input.
 *
 * A non-zero status is fine; a crash, sanitizer report, hang or broken
 * invariant is a finding. Invariants when the status is 0:
 *   rows are k distinct indices in [0, m); C = A(:,J) and R = A(I,:) exactly;
 *   for finite input with non-zero entries in [1e-100, 1e100]: U finite, res2 finite
 *   and >= 0 and at most ||A||_F²·(1 + 1e-8) for the optimal core (it is a
 *   projection of A, so it cannot be larger).
 */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    int m = fz_size(&in, 20), n = fz_size(&in, 20);
    int lda = fz_ld(&in, m);
    int kmax = m < n ? m : n;
    int k = fz_size(&in, (kmax > 0 ? kmax : 0) + 1);
    int core = fz_range(&in, -1, 2);
    uint8_t flags = fz_u8(&in);
    int kk = k > 0 ? k : 1;
    int *J = (int *)calloc((size_t)kk, sizeof(int));
    /* J: a random selection of distinct columns, then maybe one corruption. */
    uint32_t seed = fz_u32(&in);
    if (n > 0 && k > 0 && k <= n) {
        int *perm = (int *)malloc((size_t)n * sizeof(int));
        for (int j = 0; j < n; j++) perm[j] = j;
        for (int j = 0; j < k; j++) {
            seed = seed * 1664525u + 1013904223u;
            int r = j + (int)(seed % (uint32_t)(n - j));
            int t = perm[j]; perm[j] = perm[r]; perm[r] = t;
            J[j] = perm[j];
        }
        free(perm);
    }
    if ((flags & 7) == 7 && k > 0) J[fz_u8(&in) % k] = fz_range(&in, -2, 24);
    int ldc = fz_ld(&in, m), ldu = fz_ld(&in, k), ldr = fz_ld(&in, k);
    double *A = fz_alloc(fz_elems(lda, n));
    fz_matrix(&in, m, n, A, lda);
    fz_save(m, n, A, lda);
    int checkable = fz_moderate(m, n, A, lda);
    int *rows = (int *)calloc((size_t)kk, sizeof(int));
    double *C = (flags & 8) ? NULL : fz_alloc(fz_elems(ldc, kk));
    double *U = fz_alloc(fz_elems(ldu, kk));
    double *R = (flags & 16) ? NULL : fz_alloc(fz_elems(ldr, n));
    double res2 = -1.0;
    int st = sk_cur(m, n, A, lda, k, J, core, rows, C, ldc, U, ldu, R, ldr,
                    (flags & 32) ? NULL : &res2);
    if (st == 0) {
        FZ_CHECK(fz_distinct_in_range(k, rows, m), "rows not distinct in [0, %d)", m);
        for (int t = 0; t < k; t++) {
            if (C)
                for (int i = 0; i < m; i++)
                    FZ_CHECK(C[(size_t)t * ldc + i] == A[(size_t)J[t] * lda + i] ||
                                 isnan(A[(size_t)J[t] * lda + i]),
                             "C(%d,%d) is not A(%d,%d)", i, t, i, J[t]);
            if (R)
                for (int j = 0; j < n; j++)
                    FZ_CHECK(R[(size_t)j * ldr + t] == A[(size_t)j * lda + rows[t]] ||
                                 isnan(A[(size_t)j * lda + rows[t]]),
                             "R(%d,%d) is not A(%d,%d)", t, j, rows[t], j);
        }
        if (checkable) {
            for (int j = 0; j < k; j++)
                for (int i = 0; i < k; i++)
                    FZ_CHECK(isfinite(U[(size_t)j * ldu + i]), "U(%d,%d) = %g (core %d)", i, j,
                             U[(size_t)j * ldu + i], core);
            if (!(flags & 32)) {
                double f2 = 0.0;
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < m; i++) f2 += A[(size_t)j * lda + i] * A[(size_t)j * lda + i];
                FZ_CHECK(isfinite(res2) && res2 >= 0.0, "res2 = %g (core %d)", res2, core);
                if (core == SK_CUR_OPTIMAL)
                    FZ_CHECK(res2 <= f2 * (1.0 + 1e-8), "res2 %.17g > ||A||² %.17g", res2, f2);
            }
        }
    }
    free(J); free(A); free(rows); free(C); free(U); free(R);
    return 0;
}
