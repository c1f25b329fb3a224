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

#endif
