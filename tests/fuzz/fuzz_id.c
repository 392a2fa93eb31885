/*
 * fuzz_id.c — libFuzzer harness for the interpolative decompositions:
 * sk_id_cols with every method (and sk_id_rows, the same drivers on Aᵀ),
 * with sizes, leading dimensions, all options, the trace's capacities and the
 * matrix from the input (fuzz_input.h).
 *
 * A non-zero status is fine; a crash, sanitizer report, hang (-timeout) or a
 * broken invariant is a finding. Invariants when the status is 0:
 *   rank in [0, kcap]; S distinct indices in [0, n);
 *   for finite input with entries in [1e-100, 1e100] (the relative
 *   accuracies below are only claimed there, fuzz_input.h fz_moderate):
 *     anorm2 = ||A||_F² to 1e-10 relative; res2 finite and >= 0;
 *     T finite (also for a rank above the numerical rank); and the reported
 *     res2 equals ||A − A(:,S)T||_F² to 1e-8·||A||_F².
 * Every input class runs, in the CI pass too: entries up to ±DBL_MAX and
 * non-finite ones, oversample = INT_MAX.
 */
#include "fuzz_input.h"

/* ||A − A(:,S)·T||_F² for the m×n A (lda), k skeleton columns, T k×n (ldt). */
static double true_res2(int m, int n, const double *A, int lda, int k, const int *S,
                        const double *T, int ldt)
{
    double s = 0.0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double r = A[(size_t)j * lda + i];
            for (int t = 0; t < k; t++) r -= A[(size_t)S[t] * lda + i] * T[(size_t)j * ldt + t];
            s += r * r;
        }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t flags = fz_u8(&in);
    int rows = flags & 1;          /* sk_id_rows instead of sk_id_cols */
    int want_T = !(flags & 2);
    int want_trace = (flags & 4) != 0;
    sk_id_opts_t o;
    memset(&o, 0, sizeof o);
    o.method = fz_range(&in, -1, 8); /* -1 and 8 are invalid */
    int m = fz_size(&in, 20), n = fz_size(&in, 20);
    int lda = fz_ld(&in, m);
    int kmax = m < n ? m : n;
    o.max_rank = fz_size(&in, (kmax > 0 ? kmax : 0) + 1); /* kmax + 1 is out of range */
    static const double tols[8] = { 0.0, 0.0, 1e-30, 1e-12, 1e-3, 0.5, 1.0, -1.0 };
    uint8_t tb = fz_u8(&in);
    o.tol = tb == 255 ? NAN : tols[tb % 8];
    o.block = fz_size(&in, 12);
    static const double ftols[6] = { 0.0, 0.1, 0.5, 1.0, 1.5, -0.1 };
    o.filter_tol = ftols[fz_u8(&in) % 6];
    uint8_t ob = fz_u8(&in);
    o.oversample = ob == 255 ? 2147483647 : (int)(ob % 24) - 1;
    o.interp = fz_range(&in, 0, 2);
    uint32_t seed = fz_u32(&in);

    size_t cap = fz_elems(lda, n);
    double *A = fz_alloc(cap);
    fz_matrix(&in, m, n, A, lda);
    fz_save(m, n, A, lda);
    int checkable = fz_moderate(m, n, A, lda);

    /* The "columns" the drivers choose among: n for sk_id_cols, m for rows. */
    int ncols = rows ? m : n, nrows = rows ? n : m;
    int kcap = kmax > 0 ? kmax : 1;
    int *S = (int *)calloc((size_t)kcap + 1, sizeof(int));
    int ldt = kcap + fz_range(&in, 0, 1);
    double *T = want_T ? fz_alloc(fz_elems(rows ? (m > 1 ? m : 1) : ldt, rows ? kcap : n)) : NULL;
    int ldT = rows ? (m > 1 ? m : 1) : ldt; /* W is m×k for rows */
    sk_id_trace_t tr, *trp = NULL;
    int *off = NULL, *cand = NULL;
    signed char *tst = NULL;
    double *tres = NULL;
    if (want_trace) {
        memset(&tr, 0, sizeof tr);
        tr.steps_cap = fz_range(&in, 0, 40);
        tr.cand_cap = fz_range(&in, 0, 200);
        off = (int *)calloc((size_t)tr.steps_cap + 1, sizeof(int));
        cand = (int *)calloc((size_t)tr.cand_cap + 1, sizeof(int));
        tst = (signed char *)calloc((size_t)tr.cand_cap + 1, 1);
        tres = fz_alloc((size_t)tr.steps_cap + 1);
        tr.off = off; tr.cand = cand; tr.status = tst; tr.res2 = tres;
        trp = &tr;
    }
    sk_rng_t rng;
    sk_rng_init(&rng, seed, 0);
    int rank = -7;
    double res2 = -1.0, anorm2 = -1.0;
    int st = rows ? sk_id_rows(m, n, A, lda, &o, &rng, S, T, ldT, &rank, &res2, &anorm2, trp)
                  : sk_id_cols(m, n, A, lda, &o, &rng, S, T, ldT, &rank, &res2, &anorm2, trp);
    if (st == 0) {
        int cap_k = o.max_rank > 0 ? o.max_rank : kmax;
        FZ_CHECK(rank >= 0 && rank <= cap_k, "rank %d outside [0, %d] (method %d)", rank, cap_k, o.method);
        FZ_CHECK(fz_distinct_in_range(rank, S, ncols), "skeleton not distinct in [0, %d) (method %d)",
                 ncols, o.method);
        if (trp) {
            FZ_CHECK(tr.nsteps >= 0 && tr.nsteps <= tr.steps_cap, "trace nsteps %d cap %d", tr.nsteps,
                     tr.steps_cap);
            for (int t = 0; t < tr.nsteps; t++)
                FZ_CHECK(off[t] <= off[t + 1] && off[t + 1] <= tr.cand_cap, "trace offsets");
            for (int c = 0; c < (tr.nsteps ? off[tr.nsteps] : 0); c++)
                FZ_CHECK(cand[c] >= 0 && cand[c] < ncols, "trace candidate %d", cand[c]);
        }
        if (checkable) {
            double f2 = 0.0;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) f2 += A[(size_t)j * lda + i] * A[(size_t)j * lda + i];
            FZ_CHECK(fabs(anorm2 - f2) <= 1e-10 * f2, "anorm2 %.17g, ||A||² %.17g (method %d)", anorm2,
                     f2, o.method);
            FZ_CHECK(isfinite(res2) && res2 >= 0.0, "res2 = %g (method %d)", res2, o.method);
            if (T && rank > 0) {
                FZ_CHECK(fz_all_finite((size_t)ldT * (rows ? rank : n), T),
                         "T not finite (method %d, rank %d, m=%d n=%d)", o.method, rank, m, n);
                if (!rows) {
                    double r2 = true_res2(m, n, A, lda, rank, S, T, ldT);
                    FZ_CHECK(fabs(r2 - res2) <= 1e-8 * f2 + 1e-300,
                             "reported res2 %.17g, ||A − A(:,S)T||² %.17g (method %d, rank %d)", res2,
                             r2, o.method, rank);
                }
            }
        }
    }
    (void)nrows;
    free(A); free(S); free(T); free(off); free(cand); free(tst); free(tres);
    return 0;
}
