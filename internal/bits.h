/* kpmc internal: counter masks (bit c = counter c) for the library, the
 * generator and the command. */
#ifndef KPMC_INTERNAL_BITS_H
#define KPMC_INTERNAL_BITS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Index of the lowest set bit of a non-zero x. */
static inline unsigned kpmc_ctz32(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(x);
#else
    unsigned n = 0;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* Set bits of x.  Bit arithmetic rather than __builtin_popcount, which
 * becomes a library call on targets without a popcount instruction. */
static inline unsigned kpmc_popcount32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (unsigned)((x * 0x01010101u) >> 24);
}

/* The n lowest set bits of m (all of them when m has fewer). */
static inline uint32_t kpmc_low_bits(uint32_t m, unsigned n)
{
    uint32_t r = 0;
    for (; n && m; n--, m &= m - 1)
        r |= m & (~m + 1u);
    return r;
}

/* The counters of a mask as people read them: runs of three or more joined
 * by '-', "2-9", "0,1", "2-4,8,9"; "" for 0.  32 counters fit in 96 bytes. */
enum { KPMC_COUNTER_LIST_LEN = 96 };
static inline void kpmc_counter_list(uint32_t mask, char out[KPMC_COUNTER_LIST_LEN])
{
    size_t n = 0;
    out[0] = '\0';
    while (mask) {
        unsigned lo = kpmc_ctz32(mask), hi = lo;
        while (hi < 31 && (mask >> (hi + 1) & 1u))
            hi++;
        const char *sep = n ? "," : "";
        int w = hi >= lo + 2 ? snprintf(out + n, KPMC_COUNTER_LIST_LEN - n, "%s%u-%u", sep, lo, hi)
                : hi > lo    ? snprintf(out + n, KPMC_COUNTER_LIST_LEN - n, "%s%u,%u", sep, lo, hi)
                             : snprintf(out + n, KPMC_COUNTER_LIST_LEN - n, "%s%u", sep, lo);
        n += (size_t)w;
        mask = hi >= 31 ? 0 : mask & ~((2u << hi) - 1u);
    }
}

#endif
