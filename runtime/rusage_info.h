/* The prefix of XNU's struct rusage_info_v6 (bsd/sys/resource.h) that kpmc
 * reads, with the same layout: proc_pid_rusage(pid, RUSAGE_INFO_V6, buf)
 * fills it on macOS.  Kept here rather than taken from <libproc.h> so that
 * it builds on every platform (docs/kpc.md §12); the test simulator writes
 * the kernel's layout by field position itself, so that a wrong offset here
 * fails the tests.  Internal. */
#ifndef KPMC_RUNTIME_RUSAGE_INFO_H
#define KPMC_RUNTIME_RUSAGE_INFO_H

#include <stdint.h>

/* Flavors of proc_pid_rusage (bsd/sys/resource.h). */
#define KPMC_RUSAGE_INFO_V4 4
#define KPMC_RUSAGE_INFO_V6 6

/* rusage_info_v6: ri_uuid, then 64-bit fields.  ri_instructions and
 * ri_cycles are fields 29 and 30 (also in v4 and v5), ri_pinstructions and
 * ri_pcycles fields 38 and 39 (v6 only); 56 fields in all, 464 bytes. */
struct kpmc_rusage_info {
    uint8_t uuid[16];
    uint64_t before_instructions[29]; /* ri_user_time .. ri_lifetime_max_phys_footprint */
    uint64_t instructions;            /* ri_instructions */
    uint64_t cycles;                  /* ri_cycles */
    uint64_t between[7];              /* ri_billed_energy .. ri_system_ptime */
    uint64_t pinstructions;           /* ri_pinstructions */
    uint64_t pcycles;                 /* ri_pcycles */
    uint64_t after[16];               /* ri_energy_nj .. ri_reserved[8] */
};

_Static_assert(sizeof(struct kpmc_rusage_info) == 464, "rusage_info_v6 is 464 bytes");

#endif
