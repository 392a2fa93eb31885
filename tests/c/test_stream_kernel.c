/*
 * test_stream_kernel.c — the blocked poly hash loops of cs_kernel.c at the
 * edges of their contract, against exact arithmetic. The loops reduce
 * lazily (cs_kernel.c, mulmod_small): each Horner step adds the low product
 * unfolded, which stays below 2^64 only because keys are below 2^31. The
 * public API reaches these loops only with random coefficients, so this test
 * includes cs_kernel.c itself (as bench/bench_cs_parts.c does) and drives
 * its static loops with the coefficients and keys that make every partial
 * sum largest: coefficients p − 1, p − 2, 2^61 − 2^32 and others with all
 * low bits set, keys 2^31 − 1 and just below. The oracle is Horner over
 * unsigned __int128 with a full reduction each step.
 *
 * Native only: the wasm SIMD loops are checked against the scalar hashes
 * over the full key range by tests/js/stream.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../c/src/stream/cs_kernel.c"

__extension__ typedef unsigned __int128 u128;

/* Σ c[i]·x^i mod p, exactly. */
static uint64_t poly_exact(const uint64_t *c, int k, uint64_t x)
{
    u128 acc = c[k - 1];
    for (int i = k - 2; i >= 0; i--) acc = (acc * x + c[i]) % P61;
    return (uint64_t)acc;
}

/* Coefficient sets with every partial sum near its bound. */
static const uint64_t EDGE[] = {
    P61 - 1, P61 - 2, P61 - 0xFFFFFFFFull, (1ull << 61) - (1ull << 32), 0xFFFFFFFFull,
    (1ull << 61) - (1ull << 29) - 1, 0x1FFFFFFF00000000ull - 1, 1, 0,
};
#define NEDGE ((int)(sizeof EDGE / sizeof EDGE[0]))

/* Keys: the largest ones, and low-bit patterns that fill a 32-bit lane. */
static int edge_keys(uint32_t *key)
{
    int n = 0;
    for (uint32_t d = 0; d < 24; d++) key[n++] = 0x7FFFFFFFu - d;
    key[n++] = 0x40000000u; key[n++] = 0x7FFF0000u; key[n++] = 0x0000FFFFu; key[n++] = 0x55555555u;
    key[n++] = 0; key[n++] = 1; key[n++] = 2; key[n++] = 0x2AAAAAAAu;
    return n;   /* 32, a multiple of eight: the SIMD groups and a scalar tail are cut below */
}

/* The bucket and sign loops (degrees 1 and 3), in both output forms, and
 * lengths that leave scalar tails after the vector groups. */
static void test_poly24_at_the_edges(void **state)
{
    (void)state;
    uint32_t key[64], bucket[64], bucket2[64];
    uint64_t smask[64];
    double sd[64], delta[64];
    int nk = edge_keys(key);
    for (int q = 0; q < nk; q++) delta[q] = 1.5 + q;
    const uint32_t bs[] = { 1024, 1000, 1, 7 };
    int cases = 0;
    for (int i = 0; i < NEDGE; i++)
        for (int j = 0; j < NEDGE; j++) {
            uint64_t cb[2] = { EDGE[j], EDGE[i] };
            uint64_t cs[4] = { EDGE[(i + 3) % NEDGE], EDGE[j], EDGE[(i + j) % NEDGE], EDGE[i] };
            for (int t = 0; t < 4; t++)
                for (int n = nk - 3; n <= nk; n++) {
                    locate_poly24(cb, cs, bs[t], n, key, bucket, smask);
                    signed_poly24(cb, cs, bs[t], n, key, delta, bucket2, sd);
                    for (int q = 0; q < n; q++) {
                        uint64_t hb = poly_exact(cb, 2, key[q]), hs = poly_exact(cs, 4, key[q]);
                        uint32_t want = (uint32_t)(((hb >> 29) * bs[t]) >> 32);
                        assert_int_equal(bucket[q], want);
                        assert_int_equal(bucket2[q], want);
                        assert_true(smask[q] == (hs & 1) << 63);
                        assert_true(sd[q] == ((hs & 1) ? -delta[q] : delta[q]));
                        cases++;
                    }
                }
        }
    print_message("# %d (coefficients, key, b) cases agree with exact arithmetic\n", cases);
}

/* The precision scalars' degree-7 loop (unit_poly8): u = ((h >> 9) + 0.5)·2^-52. */
static void test_unit_poly8_at_the_edges(void **state)
{
    (void)state;
    uint32_t key[64];
    double u[64];
    int nk = edge_keys(key);
    for (int i = 0; i < NEDGE; i++) {
        uint64_t c[8];
        for (int m = 0; m < 8; m++) c[m] = EDGE[(i + m * m) % NEDGE];
        c[7] = EDGE[i] ? EDGE[i] : P61 - 1;
        unit_poly8(c, nk, key, u);
        for (int q = 0; q < nk; q++) {
            uint64_t h = poly_exact(c, 8, key[q]);
            assert_true(u[q] == ((double)(int64_t)(h >> 9) + 0.5) * 0x1p-52);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poly24_at_the_edges),
        cmocka_unit_test(test_unit_poly8_at_the_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
