/* wire.c — little-endian serialization with an FNV-1a-64 checksum, shared by
 * every serializable stream structure (platform-independent bytes). */
#include <string.h>
#include "internal.h"
#include "stream_internal.h"

static void put_byte(sk__wbuf *w, unsigned char c)
{
    if (w->p) {
        if (w->len < w->cap) w->p[w->len] = c; else w->overflow = 1;
    }
    w->len++;
}

void sk__put_u32(sk__wbuf *w, uint32_t v)
{
    for (int i = 0; i < 4; i++) put_byte(w, (unsigned char)(v >> (8 * i)));
}

void sk__put_u64(sk__wbuf *w, uint64_t v)
{
    for (int i = 0; i < 8; i++) put_byte(w, (unsigned char)(v >> (8 * i)));
}

void sk__put_f64(sk__wbuf *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    sk__put_u64(w, u);
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ull; }
    return h;
}

void sk__put_checksum(sk__wbuf *w)
{
    uint64_t h = (w->p && !w->overflow) ? fnv1a(w->p, w->len) : 0;
    sk__put_u64(w, h);
}

uint32_t sk__get_u32(sk__rbuf *r)
{
    if (r->pos + 4 > r->len) { r->bad = 1; return 0; }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)r->p[r->pos + i] << (8 * i);
    r->pos += 4;
    return v;
}

uint64_t sk__get_u64(sk__rbuf *r)
{
    if (r->pos + 8 > r->len) { r->bad = 1; return 0; }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[r->pos + i] << (8 * i);
    r->pos += 8;
    return v;
}

double sk__get_f64(sk__rbuf *r)
{
    uint64_t u = sk__get_u64(r);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

int sk__check_checksum(const unsigned char *buf, size_t len)
{
    if (len < 8) return SK_EFORMAT;
    sk__rbuf r = { buf, len, len - 8, 0 };
    uint64_t want = sk__get_u64(&r);
    return fnv1a(buf, len - 8) == want ? 0 : SK_EFORMAT;
}
