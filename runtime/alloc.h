/* kpmc — placing events on counters (internal to the runtime).
 *
 * A pure maximum bipartite matching: event i may use any counter whose bit
 * is set in allowed[i] (bit c = hardware counter c, c < 32), and no counter
 * takes two events.  It knows nothing about fixed counters, fallbacks or
 * databases; runtime/plan.c turns events into masks first.
 */
#ifndef KPMC_ALLOC_H
#define KPMC_ALLOC_H

#include <stdint.h>

/* At most this many events (the bits of a uint32_t event set). */
#define KPMC_ALLOC_MAX 32

/* Place n events (n <= KPMC_ALLOC_MAX).  Succeeds whenever some placement
 * exists (augmenting paths, no greedy order dependence), and the result
 * depends only on allowed[]: events are taken from the fewest allowed
 * counters to the most (ties in index order), each on the lowest free
 * allowed counter when one is free, else by moving earlier events along
 * augmenting paths, counters tried in ascending order.
 *
 * Returns 0 with counter[i] set for every event, or KPMC_E_NOFIT with
 * *competing (if not NULL) set to a set of event indices (bit i = event i)
 * whose allowed counters together number fewer than the events: the events
 * reachable from the first event that could not be placed.  No proper
 * subset of it has that property.  KPMC_E_INVAL when n is too large or an
 * event allows no counter. */
int kpmc_alloc_place(const uint32_t *allowed, unsigned n, unsigned *counter, uint32_t *competing);

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

#endif
