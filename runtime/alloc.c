/* Maximum bipartite matching of events onto counters (see alloc.h).
 *
 * Kuhn's augmenting-path method over bit masks.  With at most 32 events and
 * 32 counters a search visits each counter at most once, so one placement
 * costs O(events x counters) bit operations and no memory beyond the stack.
 */
#include "alloc.h"

#include <kpmc/error.h>

struct matcher {
    const uint32_t *allowed;
    signed char owner[32]; /* event on counter c, or -1 */
    uint32_t used;         /* counters that have an owner */
    uint32_t seen;         /* counters visited by the current search */
    uint32_t reached;      /* events visited by the current search */
};

/* Find a counter for event e: a free one if any, else one whose owner can
 * move to another counter.  On failure every counter e allows is in `seen`
 * and owned by an event in `reached`. */
static int augment(struct matcher *m, unsigned e)
{
    m->reached |= 1u << e;
    uint32_t idle = m->allowed[e] & ~m->used & ~m->seen;
    if (idle) {
        unsigned c = kpmc_ctz32(idle);
        m->seen |= 1u << c;
        m->used |= 1u << c;
        m->owner[c] = (signed char)e;
        return 1;
    }
    for (uint32_t cand = m->allowed[e] & ~m->seen; cand; cand &= cand - 1) {
        unsigned c = kpmc_ctz32(cand);
        if (m->seen >> c & 1u)
            continue; /* visited by a deeper search meanwhile */
        m->seen |= 1u << c;
        if (augment(m, (unsigned)m->owner[c])) {
            m->owner[c] = (signed char)e;
            return 1;
        }
    }
    return 0;
}

int kpmc_alloc_place(const uint32_t *allowed, unsigned n, unsigned *counter, uint32_t *competing)
{
    if (competing)
        *competing = 0;
    if (n > KPMC_ALLOC_MAX || (n && (!allowed || !counter)))
        return KPMC_E_INVAL;

    /* Most constrained first, ties in index order: a stable insertion sort
     * on the number of allowed counters. */
    unsigned char order[KPMC_ALLOC_MAX];
    unsigned char weight[KPMC_ALLOC_MAX];
    for (unsigned i = 0; i < n; i++) {
        if (!allowed[i])
            return KPMC_E_INVAL;
        unsigned char w = (unsigned char)kpmc_popcount32(allowed[i]);
        unsigned k = i;
        while (k > 0 && weight[k - 1] > w) {
            order[k] = order[k - 1];
            weight[k] = weight[k - 1];
            k--;
        }
        order[k] = (unsigned char)i;
        weight[k] = w;
    }

    struct matcher m;
    m.allowed = allowed;
    m.used = 0;
    for (unsigned c = 0; c < 32; c++)
        m.owner[c] = -1;
    for (unsigned k = 0; k < n; k++) {
        m.seen = 0;
        m.reached = 0;
        if (!augment(&m, order[k])) {
            if (competing)
                *competing = m.reached;
            return KPMC_E_NOFIT;
        }
    }
    for (uint32_t u = m.used; u; u &= u - 1) {
        unsigned c = kpmc_ctz32(u);
        counter[m.owner[c]] = c;
    }
    return 0;
}
