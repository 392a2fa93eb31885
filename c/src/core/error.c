/* error.c — status strings and version (see sketchlab/core.h). */
#include "internal.h"

const char *sk_strerror(int code)
{
    if (code < 0) return "invalid argument (the status -i names argument i)";
    switch (code) {
    case SK_OK: return "success";
    case SK_ENOMEM: return "out of memory: the sizes are too large to allocate";
    case SK_ENOTPD: return "matrix is not positive definite";
    case SK_ESINGULAR: return "matrix is exactly singular (a zero pivot)";
    case SK_ENOCONV: return "iteration did not converge";
    case SK_ENONFINITE: return "input contains NaN or Inf";
    case SK_ERANK: return "rank out of range";
    case SK_EINVAL: return "invalid combination of arguments";
    case SK_EFORMAT: return "serialized buffer is truncated, corrupted or of another format version";
    case SK_EMISMATCH: return "sketches are incompatible (different seed, shape or hash mode)";
    default: return "unknown sketchlab status code";
    }
}

int sk_version(void)
{
    return SK_VERSION_MAJOR * 10000 + SK_VERSION_MINOR * 100 + SK_VERSION_PATCH;
}
