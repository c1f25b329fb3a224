/* The simulated kperf.framework used by the tests.
 *
 * libkpmc_sim (a shared library) exports the kpc_* functions of
 * kperf.framework with the kernel semantics recorded in
 * shared/docs/kpc-abi.md, for one database of the catalog, so that the
 * runtime can be run end to end on any OS: load it with
 * KPMC_KPERF_PATH=<path of libkpmc_sim> or kpmc_options.kperf_path.
 *
 * Like the framework, every kpc_* function that fails returns -1 (or the
 * documented error value: 0 for kpc_get_counting, 0xFFFFFFFF for
 * kpc_get_thread_counting) and sets errno.
 *
 * Configuration, read from the environment at the first kpc_* call and again
 * by kpmc_sim_reset():
 *   KPMC_SIM_DB=NAME          database to simulate (default a14): counter
 *                             counts and masks, power counters reserved
 *                             unless forced, architecture.
 *   KPMC_SIM_CPU=STRING       what kpc_cpu_string() answers; default
 *                             "cpu_<type>_<subtype>_<family>" of the
 *                             database's first family link, with "_9e"
 *                             appended on x86_64 (as machdep.cpu.model).
 *   KPMC_SIM_NOROOT=1         every call that needs root fails with EPERM.
 *   KPMC_SIM_STRICT=1         kpc_set_config() fails with EPERM for a
 *                             non-zero word whose selector is not an event
 *                             of the database (arm64: word & 0xffff;
 *                             x86_64: event | umask << 8).
 *   KPMC_SIM_FORCE_HELD=1     another task holds the forced counters:
 *                             kpc_force_all_ctrs_set(1) fails with EACCES.
 *   KPMC_SIM_FAULT=FN:N:ERR[,FN:N:ERR...]
 *                             the N-th call (1-based) of kpc function FN
 *                             fails with errno ERR (a number or a name
 *                             such as EBUSY, EPERM, EINVAL, EACCES, EIO).
 *   KPMC_SIM_INIT=C:T:F       initial kpc.counting, kpc.thread_counting and
 *                             force_all_ctrs (default 0:0:0), e.g. 3:3:1.
 *
 * Counting model: each kpc_get_thread_counters() call first advances the
 * calling thread's counters of the classes in (counting & thread_counting):
 * fixed counter i by (i + 1) * KPMC_SIM_FIXED_STEP, and each configurable
 * counter by the word programmed on it (0 when unprogrammed), then copies
 * them out in the kernel's order (fixed counters, then the configurable
 * counters of the current pmc_mask, ascending).  A thread's counters start
 * at 0 the first time it reads after thread counting was switched on.  So
 * after k reads a counter holding word w reads k * w, which tells a test
 * which event landed where.
 */
#ifndef KPMC_SIM_H
#define KPMC_SIM_H

#include <stdint.h>

#define KPMC_SIM_FIXED_STEP 1000u
#define KPMC_SIM_MAX_COUNTERS 32

struct kpmc_sim_state {
    char db[32];                /* simulated database */
    uint32_t counting;          /* kpc.counting */
    uint32_t thread_counting;   /* kpc.thread_counting */
    int force_all;              /* kpc.force_all_ctrs */
    unsigned n_fixed;           /* counters of the database */
    unsigned n_config;
    /* words programmed on configurable counters; config[k] is the k-th
     * configurable counter of the database (global counter index = the
     * k-th set bit of config_counters) */
    uint64_t config[KPMC_SIM_MAX_COUNTERS];
    unsigned long calls;        /* kpc_* calls so far */
    unsigned long failed_calls; /* of which failed (faults, EPERM, EINVAL, ...) */
    unsigned long set_config_calls;
};

/* Fill *out with the simulated kernel's state; 0 on success. */
int kpmc_sim_get_state(struct kpmc_sim_state *out);
/* Forget all state, re-read the environment. */
void kpmc_sim_reset(void);

#endif
