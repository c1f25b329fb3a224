/* Counter masks for the simulators and the tests, bit by bit: a second
 * route to the library's internal/bits.h. */
#ifndef KPMC_TESTS_BITS_REF_H
#define KPMC_TESTS_BITS_REF_H

#include <stdint.h>

static inline unsigned popcount32(uint32_t m)
{
    unsigned n = 0;
    for (unsigned b = 0; b < 32; b++)
        n += m >> b & 1u;
    return n;
}

/* Index of the lowest set bit of m (32 for 0). */
static inline unsigned ctz32(uint32_t m)
{
    unsigned c = 0;
    while (c < 32 && !(m >> c & 1u))
        c++;
    return c;
}

#endif
