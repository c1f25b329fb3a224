/* Groups (groups.c): what measure.c needs beyond the public
 * kpmc_groups_build.  Internal. */
#ifndef KPMC_RUNTIME_GROUPS_H
#define KPMC_RUNTIME_GROUPS_H

#include <kpmc/measure.h>

#include "plan.h"

/* One group, as kpmc_group_info describes it. */
struct kpmc_group {
    kpmc_plan plan;
    size_t n, n_anchors;
    const char *names[KPMC_MAX_EVENTS];
    size_t input[KPMC_MAX_EVENTS];
};

/* What kpmc_groups_build allocates: the groups, one block. */
struct kpmc_groups {
    size_t n;
    struct kpmc_group g[];
};

/* A kpmc_groups with room for `room` groups (n 0); NULL when out of
 * memory. */
kpmc_groups *kpmc_groups_alloc(size_t room);

/* What kpmc_groups_partition finds beyond the groups. */
struct kpmc_groups_info {
    /* For each event i: the index of the anchor that counts it, or
     * (size_t)-1 when it is in a group. */
    size_t anchor_of[KPMC_GROUPS_MAX];
    /* The events and anchors mix fixed and configurable events in
     * KPMC_MODE_ALL, and the kernel given has KPMC_KERNEL_USER_ONLY: every
     * event was resolved as counted in user mode on a configurable counter
     * (Cycles as CORE_ACTIVE_CYCLE, Instructions as INST_ALL), and the
     * groups' plans are KPMC_MODE_USER plans of the events counted. */
    int user_only;
    /* They mix, and the kernel does not know whether its configurable
     * counters count kernel mode: the groups were built as if they did.
     * `configurable` is one of the configurable events counted, which a set
     * started in KPMC_MODE_ALL finds out with. */
    int modes_unknown;
    unsigned configurable;
};

/* kpmc_groups_build for a kernel (NULL: the database's counters, and each
 * group's plan is kpmc_plan_build_names of its names; else the plan of the
 * events counted, kpmc_plan_build_kernel, which a set of those events
 * counts as planned), into groups[0 .. max_groups-1] (KPMC_E_TOOMANY when
 * more groups are needed).  info may be NULL. */
int kpmc_groups_partition(struct kpmc_group *groups, size_t max_groups, const kpmc_db *db, const kpmc_kernel *kernel,
                          const char *const *events, size_t n, const char *const *anchors, size_t n_anchors,
                          int mode, struct kpmc_groups_info *info, char *detail, size_t detail_len);

/* The search itself: the fewest groups of masks[0 .. n-1] (bit c: counter
 * c allowed) that each fit together with every anchor mask.  Writes the
 * group of each mask into group_of[] (groups numbered from 0 in the order
 * the search opened them) and returns how many; 0 when n is 0 or above
 * KPMC_GROUPS_MAX, or a mask does not fit with the anchors alone. */
size_t kpmc_groups_search(const uint32_t *masks, size_t n, const uint32_t *anchor_masks, size_t n_anchors,
                          size_t *group_of);

/* Resolve one name alone in mode as a set would (kpmc_plan_build_names):
 * the event counted and the counters it may use (either may be NULL). */
int kpmc_groups_resolve(const kpmc_db *db, const char *name, int mode, unsigned *resolved,
                        uint32_t *mask, char *detail, size_t detail_len);
/* The same for a kernel, `mixed` as for kpmc_plan_event_kernel. */
int kpmc_groups_resolve_kernel(const kpmc_db *db, const kpmc_kernel *kernel, const char *name, int mode, int mixed,
                               unsigned *resolved, uint32_t *mask, char *detail, size_t detail_len);

#endif
