/* Core types and QoS pinning (cores.c): the platform's part of the
 * measurement options.  Internal. */
#ifndef KPMC_RUNTIME_CORES_H
#define KPMC_RUNTIME_CORES_H

#include <kpmc/measure.h>

/* What kpmc_cores_pin changed, for kpmc_cores_unpin. */
struct kpmc_pin {
    int done;
    unsigned saved; /* the thread's QoS class before */
};

/* Ask for core type `kind` (KPMC_CORE_PERFORMANCE or _EFFICIENCY) for the
 * calling thread through its QoS class.  1 when set; KPMC_E_UNSUPPORTED off
 * macOS; KPMC_E_STATE when macOS refused. */
int kpmc_cores_pin(int kind, struct kpmc_pin *pin);
/* Put back the QoS class kpmc_cores_pin found. */
void kpmc_cores_unpin(struct kpmc_pin *pin);
/* The platform's source of the current core type, or NULL when it has none
 * (not macOS, one core type, no pthread_cpu_number_np). */
kpmc_core_fn kpmc_cores_source(void);

/* sysctlbyname, or the simulator's (kpmc_session_cpus looks it up in the
 * kperf library first). */
typedef int (*kpmc_sysctlbyname_fn)(const char *name, void *old, size_t *oldlen, void *new_value, size_t newlen);
/* The non-negative int sysctl `name` through fn: 0, else -1. */
int kpmc_sysctl_uint(kpmc_sysctlbyname_fn fn, const char *name, unsigned *out);

/* The performance level of CPUs 0 .. n_cpus-1 into level[] (0: one of the
 * p performance CPUs, 1: one of the e efficiency CPUs), numbered as the
 * kernel numbers them on Apple's chips: cluster by cluster, each die's
 * efficiency cluster first, the dies being as many as the efficiency
 * clusters of e_per_cluster CPUs (0: unknown, one die) (docs/kpc.md §12). */
void kpmc_cpu_levels(unsigned p, unsigned e, unsigned e_per_cluster, unsigned n_cpus, uint8_t *level);

#endif
