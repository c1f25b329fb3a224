/* The simulated kperf.framework used by the tests.
 *
 * libkpmc_sim (a shared library) exports the kpc_* functions of
 * kperf.framework with the kernel semantics recorded in
 * shared/docs/kpc-abi.md, for one database of the catalog, so that the
 * runtime can be run end to end on any OS: load it with
 * KPMC_KPERF_PATH=<path of libkpmc_sim> or kpmc_options.kperf_path.
 * CMake target kpmc_sim; the path is $<TARGET_FILE:kpmc_sim>.  Besides the
 * kpc_* functions it exports only kpmc_sim_get_state and kpmc_sim_reset
 * (look them up with dlsym), kpmc_sim_work and kpmc_sim_set_cpu, and
 * libSystem's proc_pid_rusage and sysctlbyname as a Mac answers them.
 *
 * Like the framework, every kpc_* function that fails returns -1 (or the
 * documented error value: 0 for kpc_get_counting, kpc_pmu_version,
 * kpc_get_config_count and kpc_get_counter_count, 0xFFFFFFFF for
 * kpc_get_thread_counting) and sets errno.  A failed call changes no state.
 * kpc_cpu_string returns the length of the full string, as snprintf does.
 *
 * Configuration, read from the environment at the first kpc_* (or
 * kpmc_sim_*) call and again by kpmc_sim_reset():
 *   KPMC_SIM_DB=NAME          database to simulate (default a14): counter
 *                             counts and masks, power counters reserved
 *                             unless forced, architecture.
 *   KPMC_SIM_CPU=STRING       what kpc_cpu_string() answers; default
 *                             "cpu_<type>_<subtype>_<family>" of the
 *                             database's first family link (lowest family
 *                             number), with "_9e" appended on x86_64 (as
 *                             machdep.cpu.model).
 *   KPMC_SIM_NOROOT=1         every call that needs root fails with EPERM
 *                             (all but kpc_cpu_string, kpc_get_config_count
 *                             and kpc_get_counter_count).
 *   KPMC_SIM_STRICT=1         kpc_set_config() fails with EPERM for a
 *                             non-zero CONFIGURABLE word whose selector is
 *                             not the selector of an event of the database
 *                             (arm64: word & 0xffff against `number`;
 *                             x86_64: event | umask << 8 = word & 0xffff
 *                             against number | umask << 8).  Nothing is
 *                             stored then.  The x86_64 FIXED word is never
 *                             checked.
 *   KPMC_SIM_FORCE_HELD=1     another task holds the forced counters:
 *                             kpc_force_all_ctrs_get() reports 1, the
 *                             counters count as forced, and
 *                             kpc_force_all_ctrs_set() fails with EACCES
 *                             whatever its argument (the kernel refuses any
 *                             change from a task that does not own the force).
 *   KPMC_SIM_FAULT=FN:N:ERR[,FN:N:ERR...]
 *                             the N-th call (1-based, counting every call of
 *                             FN since the environment was read) of kpc
 *                             function FN ("kpc_set_config" or
 *                             "set_config") fails with errno ERR (a number or
 *                             a name such as EBUSY, EPERM, EINVAL, EACCES,
 *                             EIO, ENOTSUP, ENOMEM) before doing anything.
 *                             Faults come before the root check.
 *   KPMC_SIM_INIT=C:T:F       initial kpc.counting, kpc.thread_counting and
 *                             force_all_ctrs (default 0:0:0), e.g. 3:3:1;
 *                             C and T in decimal or 0x-hex, applied as
 *                             kpc_set_counting(C), kpc_force_all_ctrs_set(F)
 *                             and kpc_set_thread_counting(T) would.
 * The switches take "0" or "1" (unset or empty: 0).  A value the simulator
 * cannot parse, or an unknown database, is reported once on stderr
 * ("kpmc_sim: ..." naming the variable) and then every kpc_* call fails with
 * ENODEV and kpmc_sim_get_state() returns -1, until kpmc_sim_reset() reads a
 * valid environment.
 *
 * Kernel model (kpc-abi.md §1-§3, §8, §9):
 *  - Classes: FIXED 0x1 and CONFIGURABLE 0x2 have counters.  POWER 0x4 has
 *    none of its own and writing it (kpc_set_config, kpc_set_period) fails
 *    with EPERM; RAWPMU 0x8 is advertised on arm64 but not simulated (no
 *    counters, no words).  Other bits are ignored.
 *  - counter_count: FIXED = popcount(fixed_counters); CONFIGURABLE =
 *    popcount(pmc_mask), where pmc_mask = config_counters when forced (or
 *    when the database has no power_counters), else config_counters &
 *    ~power_counters (a14: PMC2,3,4,8,9; a7: PMC2,3,4).
 *  - config_count: FIXED = 0 on arm64, 1 on x86_64 (a word that is accepted
 *    and ignored; kpc_get_config reports it as 0); CONFIGURABLE =
 *    popcount(pmc_mask).
 *  - kpc_set_config reads exactly config_count(classes) words (EINVAL when
 *    0): the x86_64 FIXED word first, then word k goes to the k-th counter of
 *    pmc_mask, ascending.  Counters outside pmc_mask keep their words.  On
 *    x86_64 the kernel stores word & 0xffc7ffff; arm64 stores the word as is.
 *  - kpc_set_counting stores classes & 0x3 (what kpc_get_counting reports).
 *  - kpc_set_thread_counting(T) stores T, and sizes the thread buffers as
 *    counter_count(T) at that moment (forcing or releasing afterwards does
 *    not resize them: force first, §8); if that count is 0 thread counting
 *    is switched off and kpc_get_thread_counting reports 0.
 *  - kpc_get_thread_counters(tid, n, buf): EINVAL if tid != 0, if thread
 *    counting is off (the sim gives a thread a buffer only while it is on)
 *    or if n is below the buffer size; it writes exactly buffer-size values
 *    and leaves the rest of buf alone.  A slot past the current layout
 *    (sized while forced, read unforced) reads 0.
 *  - kpc_get_cpu_counters: one simulated CPU (curcpu = 0, `all` changes
 *    nothing); its own counters, advanced like a thread's for the classes
 *    in (classes & counting); EINVAL when counter_count(classes) is 0.
 *  - kpc_set/get_period and kpc_set/get_actionid move counter_count(classes)
 *    values (EINVAL when 0), laid out like the counter buffer; they have no
 *    other effect.  kpc_sw_inc fails with ENOTSUP.  kpc_pmu_version is 2
 *    (ARM_APPLE) on arm64, 1 (INTEL_V3) on x86_64.
 *  - NULL buffers fail with EFAULT (the kernel's copyout would).
 *
 * Counting model: each kpc_get_thread_counters() call first advances the
 * calling thread's counters of the classes in (counting & thread_counting):
 * fixed counter i by (i + 1) * KPMC_SIM_FIXED_STEP, and each configurable
 * counter by the word programmed on it (0 when unprogrammed), then copies
 * them out in the kernel's order (fixed counters, then the configurable
 * counters of the current pmc_mask, ascending).  A thread's counters start
 * at 0 the first time it reads after thread counting was switched on (from
 * 0 to non-zero, or by kpmc_sim_reset / KPMC_SIM_INIT).  So after k reads a
 * counter holding word w reads k * w, which tells a test which event landed
 * where.  Counters are kept per hardware counter, so forcing between reads
 * does not mix them up.
 *
 * Thread safety: every function may be called from any thread (one mutex
 * guards the global state; thread counters are thread-local).
 *
 * Shared kernel (tests/sim/sim_shared.c), for counting a whole command
 * (kpmc stat):
 *   KPMC_SIM_SHARED=/NAME     the kernel state lives in the POSIX
 *                             shared-memory segment NAME, so every process
 *                             that loads the simulator with this variable
 *                             (kpmc stat, the command, its threads and
 *                             children) sees one kernel.  The first process
 *                             creates it from its environment (KPMC_SIM_INIT
 *                             included); the others use it as they find it.
 *                             Whoever set the variable removes the segment
 *                             (shm_unlink).  A forked child's thread and an
 *                             exec'd program's thread start with counters
 *                             at 0, as new kernel threads do.
 *   KPMC_SIM_CPUS=P,E[,L2]    P performance and E efficiency CPUs (default
 *                             one CPU), efficiency clusters of L2 CPUs,
 *                             numbered die by die, efficiency cluster first
 *                             (sysctlbyname: hw.ncpu, hw.nperflevels,
 *                             hw.perflevelN.logicalcpu, .cpusperl2, .name).
 *                             kpc_get_cpu_counters(all) fills CPU by CPU.
 *   KPMC_SIM_READ_STEP=0      reads advance nothing: only kpmc_sim_work
 *                             counts, so totals are exact whatever the
 *                             number of reads.
 * kpmc_sim_work(units) advances, on the calling thread, what `units` reads
 * would: its counters (while thread counting is on), its CPU's counters
 * (kpmc_sim_set_cpu; CPU 0 by default) and its process's resource usage,
 * which proc_pid_rusage(pid, RUSAGE_INFO_V4 or V6, buf) reports (ri_cycles
 * and ri_instructions: the steps of the fixed counters of the Cycles and
 * Instructions aliases, CORE_ACTIVE_CYCLE and INST_ALL on x86_64; the
 * ri_p* shares for work on performance CPUs), also for a zombie.
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
    int force_all;              /* kpc.force_all_ctrs (1 when held by
                                   another task, KPMC_SIM_FORCE_HELD) */
    unsigned n_fixed;           /* counters of the database */
    unsigned n_config;          /*   (popcounts of its masks, whatever the force) */
    /* words programmed on configurable counters; config[k] is the k-th
     * configurable counter of the database (global counter index = the
     * k-th set bit of config_counters); entries k >= n_config are 0.
     * Words as stored (x86_64: already masked with 0xffc7ffff). */
    uint64_t config[KPMC_SIM_MAX_COUNTERS];
    unsigned long calls;        /* kpc_* calls so far, every function */
    unsigned long failed_calls; /* of which failed (faults, EPERM, EINVAL, ...) */
    unsigned long set_config_calls; /* kpc_set_config calls that succeeded */
};

/* Fill *out with the simulated kernel's state; 0 on success, -1 when out
 * is NULL or the environment is invalid.  Not counted as a kpc call. */
int kpmc_sim_get_state(struct kpmc_sim_state *out);
/* Forget all state, re-read the environment. */
void kpmc_sim_reset(void);
/* Simulated work on the calling thread: its counters (while thread
 * counting is on), its CPU's counters and its process's resource usage
 * advance as `units` reads would. */
void kpmc_sim_work(uint64_t units);
/* The calling thread runs on simulated CPU cpu from now on. */
void kpmc_sim_set_cpu(unsigned cpu);

#endif
