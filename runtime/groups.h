/* Groups (groups.c): what measure.c needs beyond the public
 * kpmc_groups_build.  Internal. */
#ifndef KPMC_RUNTIME_GROUPS_H
#define KPMC_RUNTIME_GROUPS_H

#include <kpmc/measure.h>

/* kpmc_groups_build, and for each event i, anchor_of[i] (if anchor_of is not
 * NULL): the index of the anchor that counts it, or (size_t)-1 when it is in
 * a group. */
int kpmc_groups_partition(kpmc_group *groups, size_t max_groups, const kpmc_db *db,
                          const char *const *events, size_t n, const char *const *anchors,
                          size_t n_anchors, int mode, size_t *anchor_of, char *detail,
                          size_t detail_len);

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

#endif
