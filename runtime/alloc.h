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

#include "bits.h"

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

#endif
