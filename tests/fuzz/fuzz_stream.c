/*
 * fuzz_stream.c — libFuzzer harness for the stream module's wire format and
 * updates (c/include/sketchlab/stream.h): sk_cs_deserialize and
 * sk_att_deserialize on arbitrary bytes (the classic target: a serialized
 * sketch is a message from someone else), then updates, queries and a
 * serialize round trip on whatever was accepted.
 *
 * Input: byte 0 picks the target (even: CountSketch, odd: attention
 * sampler), byte 1 how many update/query steps follow the buffer, bytes
 * 2..3 the buffer length L (little endian), then L bytes of buffer, then the
 * steps. The seeds in tests/fuzz/corpus/fuzz_stream/ are valid serialized
 * states, so mutations reach past the header and checksum checks.
 *
 * A non-zero status is fine (SK_EFORMAT for a bad buffer, -i for an update
 * out of range); a crash, sanitizer report, leak, hang or a broken invariant
 * is a finding. Invariants: a rejected buffer leaves *out NULL; an accepted
 * one serializes back to the same bytes (the format is canonical); after
 * updates and queries, serialize then deserialize gives the same bytes again
 * (CountSketch) or is accepted (attention sampler).
 */
#include "fuzz_input.h"

#define FZ_BUF_MAX 4096

static void roundtrip_cs(const sk_cs_t *cs)
{
    size_t len = 0;
    FZ_CHECK(sk_cs_serialize(cs, NULL, 0, &len) == 0 && len > 0, "cs: size query");
    unsigned char *b = (unsigned char *)malloc(len ? len : 1);
    if (!b) abort();
    size_t len2 = 0;
    FZ_CHECK(sk_cs_serialize(cs, b, len, &len2) == 0 && len2 == len, "cs: serialize into %zu bytes", len);
    sk_cs_t *back = NULL;
    FZ_CHECK(sk_cs_deserialize(b, len, &back) == 0 && back, "cs: own bytes rejected");
    unsigned char *c = (unsigned char *)malloc(len ? len : 1);
    if (!c) abort();
    size_t len3 = 0;
    FZ_CHECK(sk_cs_serialize(back, c, len, &len3) == 0 && len3 == len && memcmp(b, c, len) == 0,
             "cs: serialize(deserialize(b)) != b");
    sk_cs_destroy(back);
    free(b); free(c);
}

/* Accepted bytes are canonical: they serialize back unchanged, except that
 * a format-1 buffer (a POLY state; stream.h) comes back as format 2, which
 * changes the version word (bytes 4-7) and the checksum (last 8 bytes). */
static int same_state_bytes(const unsigned char *out, const unsigned char *in, size_t len)
{
    if (len < 16) return memcmp(out, in, len) == 0;
    static const unsigned char v2[4] = { 2, 0, 0, 0 };
    if (memcmp(in + 4, v2, 4) == 0) return memcmp(out, in, len) == 0;
    return memcmp(out, in, 4) == 0 && memcmp(out + 4, v2, 4) == 0 && memcmp(out + 8, in + 8, len - 16) == 0;
}

static void fuzz_cs(const unsigned char *buf, size_t len, fz_in *in, int steps)
{
    sk_cs_t *cs = (sk_cs_t *)(uintptr_t)1;
    int st = sk_cs_deserialize(buf, len, &cs);
    if (st) {
        FZ_CHECK(cs == NULL, "cs: rejected buffer (status %d) but *out set", st);
        return;
    }
    FZ_CHECK(cs != NULL, "cs: status 0 without a handle");
    size_t l2 = 0;
    unsigned char *b = (unsigned char *)malloc(len ? len : 1);
    if (!b) abort();
    FZ_CHECK(sk_cs_serialize(cs, b, len, &l2) == 0 && l2 == len && same_state_bytes(b, buf, len),
             "cs: accepted %zu bytes serialize back differently (%zu bytes)", len, l2);
    free(b);
    for (int s = 0; s < steps; s++) {
        int i = (int)fz_u32(in) % 64 - 4; /* some negative: must be rejected */
        double delta = fz_real(in), est = 0.0, f2 = 0.0;
        if (sk_cs_update(cs, i, delta)) continue;
        (void)sk_cs_estimate(cs, i, &est);
        (void)sk_cs_f2(cs, &f2);
    }
    double all[8];
    (void)sk_cs_estimate_all(cs, 8, all);
    int idx[3];
    double val[3];
    (void)sk_cs_heavy(cs, 8, 3, idx, val);
    /* Every counter stays finite: an update that would overflow one to ±Inf
     * (DBL_MAX + DBL_MAX) is refused with SK_EINVAL and changes nothing
     * (regression: tests/fuzz/corpus/fuzz_stream/stream_cs_counter_overflow),
     * so the round trip must always work. */
    long long bytes = 0, bits = 0;
    (void)sk_cs_size(cs, &bytes, &bits);
    double *tab = fz_alloc((size_t)(bytes / 8) + 1);
    FZ_CHECK(sk_cs_table(cs, tab) == 0, "cs: table");
    size_t cnt = 0;
    (void)sk_cs_serialize(cs, NULL, 0, &cnt);
    for (size_t t = 0; cnt >= 36 && t < (cnt - 36) / 8; t++) FZ_CHECK(isfinite(tab[t]), "cs: counter %zu is %g", t, tab[t]);
    free(tab);
    roundtrip_cs(cs);
    sk_cs_destroy(cs);
}

static void fuzz_att(const unsigned char *buf, size_t len, fz_in *in, int steps)
{
    sk_att_t *a = (sk_att_t *)(uintptr_t)1;
    int st = sk_att_deserialize(buf, len, &a);
    if (st) {
        FZ_CHECK(a == NULL, "att: rejected buffer (status %d) but *out set", st);
        return;
    }
    FZ_CHECK(a != NULL, "att: status 0 without a handle");
    size_t l2 = 0;
    unsigned char *b = (unsigned char *)malloc(len ? len : 1);
    if (!b) abort();
    FZ_CHECK(sk_att_serialize(a, b, len, &l2) == 0 && l2 == len && same_state_bytes(b, buf, len),
             "att: accepted %zu bytes serialize back differently (%zu bytes)", len, l2);
    free(b);
    double rec[SK_L2S_REC_LEN], stats[SK_ATT_STAT_LEN];
    for (int s = 0; s < steps; s++) {
        uint8_t op = fz_u8(in) % 4;
        int i = (int)(fz_u8(in) % 40) - 2, j = (int)(fz_u8(in) % 40) - 2;
        double delta = fz_real(in);
        if (op == 0) (void)sk_att_update_a(a, i, j, delta);
        else if (op == 1) (void)sk_att_update_x(a, j, delta);
        else if (op == 2) (void)sk_att_sample(a, rec);
        else (void)sk_att_stats(a, stats);
    }
    size_t len3 = 0;
    (void)sk_att_serialize(a, NULL, 0, &len3);
    unsigned char *c = (unsigned char *)malloc(len3 ? len3 : 1);
    if (!c) abort();
    size_t len4 = 0;
    FZ_CHECK(sk_att_serialize(a, c, len3, &len4) == 0 && len4 == len3, "att: serialize");
    sk_att_t *back = NULL;
    FZ_CHECK(sk_att_deserialize(c, len3, &back) == 0 && back, "att: own bytes rejected");
    sk_att_destroy(back);
    free(c);
    sk_att_destroy(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t target = fz_u8(&in);
    int steps = fz_u8(&in) % 16;
    size_t L = (size_t)fz_u8(&in) | ((size_t)fz_u8(&in) << 8);
    if (L > FZ_BUF_MAX) L = FZ_BUF_MAX;
    size_t avail = in.i < in.n ? in.n - in.i : 0;
    if (L > avail) L = avail;
    /* A copy of exactly L bytes, so ASan sees any read past the buffer. */
    unsigned char *buf = (unsigned char *)malloc(L ? L : 1);
    if (!buf) abort();
    if (L) memcpy(buf, in.p + in.i, L);
    in.i += L;
    if (target % 2 == 0) fuzz_cs(buf, L, &in, steps);
    else fuzz_att(buf, L, &in, steps);
    free(buf);
    return 0;
}
