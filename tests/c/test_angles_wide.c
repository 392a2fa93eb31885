/*
 * test_angles_wide.c — sk_angles_exact at extreme scale (issue 9, part 2):
 * the wide-range path (angles_wide.c, angles_xqr.c) gives the TRUE sines of
 * W = diag(σ^t)·G, not those of the capped single-scale problem, also
 *   - in the edge case of §1.2 (tail rank below l: r − k < l),
 *   - where the column-equilibrated tail was too ill-conditioned (rows of
 *     very different size: now a row-sorted pivoted QR),
 * Oracle: mpmath with 2600 digits on W exactly (no scaling, cap or dropped
 * row), tests/ref/angles_exact_ref.py (the values are committed below).
 * And: a power-of-two scaling of σ or G changes no bit (status included),
 * on a random extreme-scale set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sketchlab/core.h"
#include "sketchlab/rng.h"
#include "sketchlab/svdsketch.h"
#include "testutil.h"

/* |s_i − want_i| <= rel·want_i + 4·2^-1074 (subnormal results: a few units
 * of 2^-1074, sk_angles_exact's documented floor). */
static void expect_sines(int k, const double *s, const double *want, double rel, const char *what)
{
    for (int i = 0; i < k; i++) {
        double err = fabs(s[i] - want[i]);
        tu_assert_within(err, rel * want[i] + 4 * 0x1p-1074, "%s: sine %d = %.17g, want %.17g", what, i, s[i],
                         want[i]);
    }
}

/* sk_angles_exact on (σ·2^a, G·2^b) gives status st0 and exactly s0. */
static void expect_invariant(int r, const double *sig, int k, int l, int t, const double *G, int st0,
                             const double *s0, int a, int b)
{
    double sg[16], Gs[128], s[16];
    assert_true(r <= 16 && r * l <= 128 && k <= 16);
    for (int i = 0; i < r; i++) {
        sg[i] = ldexp(sig[i], a);
        if (ldexp(sg[i], -a) != sig[i]) return; /* not exact (left the normal range): no claim */
    }
    for (int i = 0; i < r * l; i++) {
        Gs[i] = ldexp(G[i], b);
        if (ldexp(Gs[i], -b) != G[i]) return;
    }
    assert_int_equal(sk_angles_exact(r, sg, k, l, t, Gs, r, s), st0);
    if (st0 == 0)
        for (int i = 0; i < k; i++)
            if (memcmp(&s[i], &s0[i], sizeof s[i]) != 0)
                fail_msg("σ·2^%d, G·2^%d: sine %d = %a, unscaled %a", a, b, i, s[i], s0[i]);
}

static void expect_invariant_grid(int r, const double *sig, int k, int l, int t, const double *G, const double *s0)
{
    static const int as[5] = { -400, -37, 1, 100, 300 }, bs[5] = { -1000, -3, 0, 7, 1000 };
    for (int x = 0; x < 5; x++)
        for (int y = 0; y < 5; y++) expect_invariant(r, sig, k, l, t, G, 0, s0, as[x], bs[y]);
}

/* Bound: each sine to O(n·eps·κ) relative, κ the condition numbers the wide
 * path checks (measured 1–8 on these inputs) times that of the problem itself
 * (projecting A off range(B) in the edge case). Observed: E1 14 eps (the
 * single-scale path on E1 moved into 2^±60 also errs 14 eps), K1 2 eps,
 * E2 below 1 eps; 512 eps leaves 36x. */
#define WIDE_REL (512 * TU_EPS)

static void test_wide_edge_case(void **state)
{
    (void)state;
    /* E1: r − k = 3 tail rows < l = 4 (d = 1 direction of range(W) in
     * span(E_2)), head 2^1000 above the tail. */
    const double s1[5] = { 0x1p600, 0x1.8p589, 0x1p-400, 0x1.4p-411, 0x1p-420 };
    const double G1[20] = { 0.8, -0.3, 1.1, 0.5, -1.2, 0.7, 0.4, 1.3, -0.9, 0.6,
                            -0.5, 1.5, 0.2, -1.1, 0.9, 1.2, 0.1, -0.7, 0.3, 1.4 };
    const double w1[2] = { 0.0, 9.8305743394151104159e-306 };
    double o1[2];
    assert_int_equal(sk_angles_exact(5, s1, 2, 4, 1, G1, 5, o1), 0);
    assert_true(o1[0] == 0.0);
    expect_sines(2, o1, w1, WIDE_REL, "E1");
    expect_invariant_grid(5, s1, 2, 4, 1, G1, o1);

    /* E2: one tail row, l = k = 3, t = 2, a DBL_MIN entry in G: two zero
     * sines, the third 1.0926219169409936656e-162. */
    const double s2[4] = { 0x1p200, 0x1p180, 0x1p169, 0x1p-100 };
    const double G2[12] = { 1.0, -0.6, 0.3, 0.9, 0.4, 1.2, 0x1p-1022, -0.8, -0.7, 0.5, 1.1, 0.6 };
    const double w2[3] = { 0.0, 0.0, 1.0926219169409936656e-162 };
    double o2[3];
    assert_int_equal(sk_angles_exact(4, s2, 3, 3, 2, G2, 4, o2), 0);
    assert_true(o2[0] == 0.0 && o2[1] == 0.0);
    expect_sines(3, o2, w2, WIDE_REL, "E2");
    expect_invariant_grid(4, s2, 3, 3, 2, G2, o2);

    /* E3: d = l − ρ = 2 >= k: range(W) ⊇ span(E_2), both sines exactly 0
     * (mpmath: below 1e-2600, its working floor). */
    const double s3[3] = { 0x1p700, 0x1p600, 0x1p-700 };
    const double G3[9] = { 1.0, 0.5, 0.25, -0.5, 1.0, 0.75, 0.3, -0.2, 1.0 };
    double o3[2];
    assert_int_equal(sk_angles_exact(3, s3, 2, 3, 1, G3, 3, o3), 0);
    assert_true(o3[0] == 0.0 && o3[1] == 0.0);
    expect_invariant_grid(3, s3, 2, 3, 1, G3, o3);

    /* Exactly rank-deficient W in the edge case (two equal columns of G that
     * the tail cannot tell apart, and zero in the head difference too): the
     * single-scale path's SK_ESINGULAR, also at extreme scale. */
    const double G4[12] = { 1.0, 0.5, 0.25, 0.7, 1.0, 0.5, 0.25, 0.7, 0.3, -0.2, 1.0, 0.1 };
    const double s4[4] = { 0x1p700, 0x1p600, 0x1p500, 0x1p-700 };
    double o4[3];
    assert_int_equal(sk_angles_exact(4, s4, 3, 3, 1, G4, 4, o4), SK_ESINGULAR);
}

static void test_wide_kappa_cases(void **state)
{
    (void)state;
    /* Two inputs of the random extreme-scale stress set whose
     * column-equilibrated tail failed the old κ check (the capped answer
     * came back: K1 gave 3.3e-48-sized sines off by orders of magnitude). */
    const double sk1[6] = { 0x1.18072e8f9c859p+699, 0x1.0741c7bc960dap+698, 0x1.d5f4b3ac79505p+551,
                            0x1.6ec9d2937021cp+545, 0x1.c324c9988c8e2p+537, 0x1.008a05b644434p+532 };
    const double Gk1[12] = { -0x1.068f242dde788p-3, -0x1.6b27079b33b36p-1, 0x1.c86e1e7852474p-3,
                             0x1.634b43e93d84fp-5,  -0x1.063f5ca9d2438p-1022, -0x1.36ee4bda0753bp+1,
                             0x1.a0ab03f6e4623p-3,  -0x1.2dc2e449daa0bp+1, -0x1.80410b45ce577p-1,
                             -0x1.8426873ddcdc1p+0, -0x1.ece574a3064dbp+0, 0x1.1e9653a116c8ap+0 };
    const double wk1[2] = { 3.5042672895394978767e-47, 1.1200258063984037998e-44 };
    double ok1[2];
    assert_int_equal(sk_angles_exact(6, sk1, 2, 2, 1, Gk1, 6, ok1), 0);
    expect_sines(2, ok1, wk1, WIDE_REL, "K1");
    expect_invariant_grid(6, sk1, 2, 2, 1, Gk1, ok1);

    /* K2: k = 1, l = 3, t = 2, tail rows 2^-980 with DBL_MIN-sized and
     * subnormal G entries: the sine is 1.2e-887, 0 as a double. */
    const double sk2[4] = { 0x1.e0c215b92eabap+464, 0x1.d2f3b53bda0a4p-980, 0x1.0cbbdbe6ac8cap-981,
                            0x1.b7723d429d969p-989 };
    const double Gk2[12] = { 0x1.4c78dae917a8ep-3, 0x1.0f69d82b6933ep+0, 0x1.1b23b8250284cp-1022,
                             0x1.1ea460a6de082p-2, 0x1.45e65d8b6dc0cp+1, -0x1.4354259161d55p-2,
                             0x1.d80928cd54349p-52, 0x1.e78f6a5724c10p-1, -0x1.801bb97392b24p-2,
                             -0x1.0645a1d8debcep-1, -0x0.8b34eae371c5cp-1022, -0x1.42b66221fcc9dp-3 };
    double ok2[1];
    assert_int_equal(sk_angles_exact(4, sk2, 1, 3, 2, Gk2, 4, ok2), 0);
    assert_true(ok2[0] == 0.0);
    expect_invariant_grid(4, sk2, 1, 3, 2, Gk2, ok2);
}

/* A random extreme-scale set like the stress set of tests/ref/angles_wide_stress.py
 * (head/tail gaps up to 2^2000, G entries from 2^-1022·g to g): the status
 * and every bit are unchanged by σ·2^a, G·2^b; sines in [0, 1], ascending. */
static void test_wide_invariance_random(void **state)
{
    (void)state;
    sk_rng_t rng;
    sk_rng_init(&rng, 20261207, 9);
    int nz = 0, ncase = 150;
    for (int c = 0; c < ncase; c++) {
        double u[64], g[128], sig[16], G[128], s0[8];
        assert_int_equal(sk_rng_uniform(&rng, 64, u), 0);
        assert_int_equal(sk_rng_normal(&rng, 128, g), 0);
        const int k = 1 + (int)(u[0] * 4), l = k + (int)(u[1] * 4);
        const int r = k + (u[2] < 0.3 ? (int)(u[3] * l) : l + (int)(u[3] * 4)); /* 30%: the edge case */
        const int t = 1 + (int)(u[4] * 3);
        const int h0 = -300 + (int)(u[5] * 1300), t0 = -1000 + (int)(u[6] * (h0 + 990));
        for (int i = 0; i < r; i++) {
            int e = i < k ? h0 - (int)(u[7 + i] * 30) : t0 - (int)(u[7 + i] * 30);
            if (e < -1070) e = -1070;
            sig[i] = ldexp(0.5 + 0.5 * u[30 + i], e);
        }
        for (int i = 1; i < r; i++) /* sort descending */
            for (int j = i; j > 0 && sig[j] > sig[j - 1]; j--) { double x = sig[j]; sig[j] = sig[j - 1]; sig[j - 1] = x; }
        for (int i = 0; i < r * l; i++) {
            int sel = (int)(fabs(g[(i + 64) % 128]) * 1000) % 8;
            G[i] = sel < 6 ? g[i] : sel == 6 ? ldexp(g[i], -1022) : ldexp(g[i], -(int)(fabs(g[(i + 1) % 128]) * 400));
        }
        int st = sk_angles_exact(r, sig, k, l, t, G, r, s0);
        assert_true(st == 0 || st == SK_ESINGULAR);
        if (st == 0) {
            nz++;
            for (int i = 0; i < k; i++) {
                assert_true(s0[i] >= 0.0 && s0[i] <= 1.0);
                if (i) assert_true(s0[i] >= s0[i - 1]);
            }
        }
        static const int as[3] = { -200, 3, 250 }, bs[3] = { -900, 1, 600 };
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++) expect_invariant(r, sig, k, l, t, G, st, s0, as[x], bs[y]);
    }
    printf("random extreme-scale set: %d of %d cases status 0, all bit-identical under sigma*2^a, G*2^b\n", nz, ncase);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_edge_case),
        cmocka_unit_test(test_wide_kappa_cases),
        cmocka_unit_test(test_wide_invariance_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
