/*
 * qr_least_squares.c — solve a least-squares problem min ||Ax − b|| with
 * sketchlab's Householder QR: x = R⁻¹ Qᵀ b.
 * Build: make native && cc -Ic/include examples/c/qr_least_squares.c build/native/libsketchlab.a -lm
 */
#include <stdio.h>

#include "sketchlab.h"

int main(void)
{
    enum { m = 6, n = 2 };
    /* Fit y = c0 + c1 t to six points; columns [1, t]. */
    double t[m] = { 0, 1, 2, 3, 4, 5 }, y[m] = { 1.1, 2.9, 5.2, 7.1, 8.8, 11.0 };
    double A[m * n], b[m], tau[n];
    for (int i = 0; i < m; i++) { A[i] = 1.0; A[m + i] = t[i]; b[i] = y[i]; }

    int info = sk_dgeqrf(m, n, A, m, tau);                                    /* A = QR      */
    if (!info) info = sk_dormqr(SK_LEFT, SK_TRANS, m, 1, n, A, m, tau, b, m);  /* b := Qᵀb    */
    if (!info) info = sk_dtrsm(SK_LEFT, SK_UPPER, SK_NOTRANS, SK_NONUNIT, n, 1, 1.0, A, m, b, m);
    if (info) {
        fprintf(stderr, "sketchlab: %s (status %d)\n", sk_strerror(info), info);
        return 1;
    }
    printf("y = %.4f + %.4f t\n", b[0], b[1]);
    return 0;
}
