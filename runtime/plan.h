/* Plans (plan.c): what the opaque kpmc_plan holds.  Internal: the runtime
 * reads plans directly, programs through kpmc_plan_get/kpmc_plan_event. */
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

#endif
