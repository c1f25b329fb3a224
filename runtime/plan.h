/* Plans (plan.c): what the opaque kpmc_plan holds, and what the groups of a
 * measurement need beyond the public API.  Internal: the runtime reads plans
 * directly, programs through kpmc_plan_get/kpmc_plan_event_get. */
#ifndef KPMC_RUNTIME_PLAN_H
#define KPMC_RUNTIME_PLAN_H

#include <kpmc/kpmc.h>

/* The fields as kpmc_plan_info and kpmc_plan_event describe them. */
struct kpmc_plan {
    const kpmc_db *db;
    int mode;
    uint32_t classes;
    unsigned n_events;
    unsigned n_config;
    unsigned n_counters;
    unsigned config_skip;
    uint64_t config[KPMC_MAX_EVENTS + 1];    /* config[n_config..] are 0 */
    kpmc_plan_event events[KPMC_MAX_EVENTS]; /* in the caller's order */
};

/* kpmc_plan_event_counters for a kernel (NULL: the database's counters):
 * configurable events only on the counters it gives, and, with `mixed`, as
 * an event of a KPMC_MODE_ALL set that mixes fixed and configurable events,
 * which a kernel with KPMC_KERNEL_USER_ONLY counts wholly in user mode on
 * configurable counters (kpmc_plan_build_kernel). */
int kpmc_plan_event_kernel(const kpmc_db *db, const kpmc_kernel *kernel, unsigned event, int mode, int mixed,
                           unsigned *resolved, uint32_t *counters, char *detail, size_t detail_len);

#endif
