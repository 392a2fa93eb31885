/*
 * openblas_core.c — print the OpenBLAS kernel ("core") that actually runs, so
 * `make test-kernels` can show that OPENBLAS_CORETYPE took effect (an unknown
 * or unsupported name silently falls back to another kernel).
 */
#include <stdio.h>

char *openblas_get_corename(void);
char *openblas_get_config(void);

int main(void)
{
    printf("%s (%s)\n", openblas_get_corename(), openblas_get_config());
    return 0;
}
