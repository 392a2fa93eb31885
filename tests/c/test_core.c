/*
 * test_core.c — status strings, version, overflow-checked allocation,
 * finiteness test and norms (sk_dnrm2, sk_dlange against LAPACK dlange).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>
#include <lapacke.h>

#include "internal.h"
#include "testutil.h"

static void test_strerror_covers_every_code(void **state)
{
    (void)state;
    const int codes[] = { SK_OK, SK_ENOMEM, SK_ENOTPD, SK_ESINGULAR, SK_ENOCONV,
                          SK_ENONFINITE, SK_ERANK, SK_EINVAL };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *msg = sk_strerror(codes[i]);
        assert_non_null(msg);
        assert_string_not_equal(msg, sk_strerror(999));   /* each code has its own text */
    }
    assert_non_null(strstr(sk_strerror(-3), "argument"));
    assert_int_equal(sk_version(), SK_VERSION_MAJOR * 10000 + SK_VERSION_MINOR * 100 + SK_VERSION_PATCH);
}

static void test_alloc_rejects_overflow_and_negative(void **state)
{
    (void)state;
    assert_null(sk__alloc_doubles(-1, 5));
    assert_null(sk__alloc_doubles(5, -1));
    assert_null(sk__alloc_doubles(1LL << 40, 1LL << 40));          /* product overflows size_t */
    assert_null(sk__alloc_doubles((long long)(SIZE_MAX / 8) + 1, 1)); /* bytes overflow size_t */
    assert_null(sk__alloc_ints(-2));
    double *p = sk__alloc_doubles(0, 7);                           /* empty is a valid block */
    assert_non_null(p);
    SK_FREE(p);
    p = sk__alloc_doubles(3, 4);
    assert_non_null(p);
    for (int i = 0; i < 12; i++) p[i] = i;                          /* ASan checks the size */
    SK_FREE(p);
}

static void test_all_finite(void **state)
{
    (void)state;
    double A[12];
    for (int i = 0; i < 12; i++) A[i] = i - 5.5;
    assert_int_equal(sk_all_finite(3, 4, A, 3), 1);
    assert_int_equal(sk_all_finite(0, 4, NULL, 1), 1);
    A[7] = NAN;
    assert_int_equal(sk_all_finite(3, 4, A, 3), 0);
    assert_int_equal(sk_all_finite(3, 2, A, 3), 1);              /* NaN outside the 3×2 block */
    A[7] = -INFINITY;
    assert_int_equal(sk_all_finite(3, 4, A, 3), 0);
    A[7] = 1.0;
    A[2] = INFINITY;                                              /* row 2 lies outside m = 2 */
    assert_int_equal(sk_all_finite(2, 4, A, 3), 1);
    assert_int_equal(sk_all_finite(3, 4, A, 3), 0);
    assert_int_equal(sk_all_finite(3, 4, NULL, 3), 0);
    assert_int_equal(sk_all_finite(3, 4, A, 2), 0);               /* lda < m is invalid */
}

static void test_dnrm2_is_overflow_and_underflow_safe(void **state)
{
    (void)state;
    double big[3] = { 1e300, 1e300, 1e300 }, tiny[3] = { 3e-300, 4e-300, 0.0 };
    /* A scaled 2-norm of n terms is accurate to ~(n + 2)·eps relative (no
     * absolute part: a norm is a sum of squares, no cancellation). */
    tu_assert_within(fabs(sk_dnrm2(3, big, 1) / (sqrt(3.0) * 1e300) - 1.0), tu_bound(0, 0, 4, 1.0), "dnrm2 near overflow");
    tu_assert_within(fabs(sk_dnrm2(2, tiny, 1) / 5e-300 - 1.0), tu_bound(0, 0, 4, 1.0), "dnrm2 near underflow");
    double strided[6] = { 3, 99, 4, 99, 12, 99 };
    tu_assert_within(fabs(sk_dnrm2(3, strided, 2) - 13.0), tu_bound(4, 13.0, 0, 0), "dnrm2 strided");
    assert_true(sk_dnrm2(0, strided, 1) == 0.0);
    assert_true(sk_dnrm2(3, strided, 0) == 0.0);
}

static void test_dlange_matches_lapack(void **state)
{
    (void)state;
    const int shapes[][2] = { { 1, 1 }, { 7, 3 }, { 3, 7 }, { 40, 33 } };
    const char norms[] = { 'F', 'M', '1', 'I' };
    for (size_t s = 0; s < 4; s++) {
        int m = shapes[s][0], n = shapes[s][1], lda = m + 2;
        double *A = tu_randn(lda, n, 11 + (int)s);
        for (size_t k = 0; k < 4; k++) {
            double ours = sk_dlange(norms[k], m, n, A, lda);
            double ref = LAPACKE_dlange(LAPACK_COL_MAJOR, norms[k], m, n, A, lda);
            /* Both are sums of m·n nonnegative terms, summed in other orders. */
            tu_assert_within(fabs(ours - ref), tu_bound(4.0 * (m + n), ref, 0, 0), "dlange %c %dx%d", norms[k], m, n);
        }
        free(A);
    }
    double huge[4] = { 1e200, -1e200, 1e200, 1e200 };
    tu_assert_within(fabs(sk_dlange('F', 2, 2, huge, 2) / 2e200 - 1.0), tu_bound(0, 0, 4, 1.0), "dlange F near overflow");
    assert_true(sk_dlange('F', 0, 5, NULL, 1) == 0.0);
    assert_true(sk_dlange('X', 2, 2, huge, 2) == -1.0);   /* unknown norm letter */
    assert_true(sk_dlange('F', -1, 2, huge, 2) == -1.0);  /* negative dimension */
    assert_true(sk_dlange('F', 2, 2, huge, 1) == -1.0);   /* lda < m */
    double withnan[2] = { 1.0, NAN };
    assert_true(isnan(sk_dlange('M', 2, 1, withnan, 2)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_covers_every_code),
        cmocka_unit_test(test_alloc_rejects_overflow_and_negative),
        cmocka_unit_test(test_all_finite),
        cmocka_unit_test(test_dnrm2_is_overflow_and_underflow_safe),
        cmocka_unit_test(test_dlange_matches_lapack),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
