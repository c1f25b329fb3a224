/* Plans (plan.c): what the groups of a measurement need beyond the public
 * API.  Internal. */
#ifndef KPMC_RUNTIME_PLAN_H
#define KPMC_RUNTIME_PLAN_H

#include <kpmc/kpmc.h>

/* kpmc_plan_event_counters for a kernel (NULL: the database's counters):
 * configurable events only on the counters it gives, and, with `mixed`, as
 * an event of a KPMC_MODE_ALL set that mixes fixed and configurable events,
 * which a kernel with KPMC_KERNEL_USER_ONLY counts wholly in user mode on
 * configurable counters (kpmc_plan_build_kernel). */
int kpmc_plan_event_kernel(const kpmc_db *db, const kpmc_kernel *kernel, unsigned event, int mode, int mixed,
                           unsigned *resolved, uint32_t *counters, char *detail, size_t detail_len);

#endif
