/* The simulated kperf.framework used by the tests.
 *
 * libkpmc_sim (a shared library) exports the kpc_* functions of
 * kperf.framework with the semantics of XNU's kpc code for one database of
 * the catalog and one of four kernels, so that the runtime can be run end
 * to end on any OS: load it with KPMC_KPERF_PATH=<path of libkpmc_sim> or
 * kpmc_options.kperf_path.  CMake target kpmc_sim; the path is
 * $<TARGET_FILE:kpmc_sim>.  Besides the kpc_* functions it exports only
 * kpmc_sim_get_state, kpmc_sim_reset, kpmc_sim_thread_begin, kpmc_sim_work
 * and kpmc_sim_set_cpu (look them up with dlsym), and libSystem's
 * proc_pid_rusage, sysctlbyname and thread_selfcounts as a Mac answers them
 * (kpmc looks them up in the kperf library first).
 *
 * Like the framework, every kpc_* function that fails returns -1 (or the
 * documented error value: 0 for kpc_get_counting, kpc_pmu_version,
 * kpc_get_config_count and kpc_get_counter_count, 0xFFFFFFFF for
 * kpc_get_thread_counting) and sets errno.  kpc_cpu_string returns the
 * length of the full string, as snprintf does.
 *
 * Configuration, read from the environment at the first kpc_* (or
 * kpmc_sim_*) call and again by kpmc_sim_reset():
 *   KPMC_SIM_KERNEL=NAME      the kernel (below): pre14.4, 14.4, 15 or cpc
 *                             (default cpc, the newest).
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
 *   KPMC_SIM_ALLOWLIST=LIST   arm64: the selectors the kernel's compiled list
 *                             holds: "db" (the selectors of the database's
 *                             events), "none" (a SoC missing from the
 *                             kernel's list: an empty list), "off" (no
 *                             check) or selectors "0x8c,0x2,...".  Default:
 *                             "off" on pre14.4, "db" on the others (cpc:
 *                             "off" with KPMC_SIM_KERNEL_COUNTING=1).  x86_64
 *                             and pre14.4 kernels have no list: only "off" is
 *                             valid there.
 *   KPMC_SIM_KERNEL_COUNTING=1  15 and cpc: the machine lets configurable
 *                             counters count the kernel (15: a debug boot,
 *                             kpc_allows_counting_system; cpc: an insecure
 *                             kernel, which has no allowlist either).
 *   KPMC_SIM_FORCE_HELD=1     another task holds the forced counters:
 *                             kpc_force_all_ctrs_get() reports 1 and the
 *                             counters count as forced; pre-cpc kernels
 *                             refuse kpc_force_all_ctrs_set() with EACCES
 *                             whatever its argument, cpc answers 0 and
 *                             changes nothing.
 *   KPMC_SIM_BUSY=1           another client uses the counters
 *                             (cpc_hw_in_use): every kpc request answers
 *                             EBUSY after the root check, the counts
 *                             included; kpc_cpu_string is not a kpc request.
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
 *                             and kpc_set_thread_counting(T) would (no
 *                             thread is given a counter buffer by it).
 *   KPMC_SIM_SELFCOUNTS_FAIL=ERR or N:ERR
 *                             every thread_selfcounts call (ERR), or the
 *                             N-th since the environment was read (N:ERR,
 *                             1-based), fails with errno ERR (a number or a
 *                             name as in KPMC_SIM_FAULT): ENOTSUP is a
 *                             kernel built without per-thread counts.
 * The switches take "0" or "1" (unset or empty: 0).  A value the simulator
 * cannot parse, or an unknown database, is reported once on stderr
 * ("kpmc_sim: ..." naming the variable) and then every kpc_* call fails with
 * ENODEV and kpmc_sim_get_state() returns -1, until kpmc_sim_reset() reads a
 * valid environment.
 *
 * The kernels (XNU sources; the tag and file of each rule in brackets):
 *   pre14.4  xnu-10002 and older: no allowlist; a configurable word's mode
 *            bits 0x10000 EL0A32, 0x20000 EL0A64, 0x40000 EL1 are honoured,
 *            and a non-zero word without any counts in all modes.
 *   14.4     xnu-10063: as pre14.4, plus the selector allowlist on arm64
 *            [osfmk/arm64/kpc.c kpc_set_config_arch, cpc_arm64_events.c]:
 *            kpc_set_config fails with EPERM, before storing anything, when
 *            a word's selector field (8 bits on a7-a15, 16 bits on a16 and
 *            later: PMESR_PMC_MASK) is non-zero and not in the list.
 *   15       xnu-11215/11417: as 14.4, but configurable counters count EL0
 *            (64-bit) only: EL1 is ignored, a word without mode bits counts
 *            EL0A64, and the hardware keeps only EL0A64 (restore_control_regs
 *            masks PMCR1 with PMCR1_EL0_MASK), unless
 *            KPMC_SIM_KERNEL_COUNTING=1.
 *   cpc      the newest tree, kpc on top of CPC [osfmk/kern/kpc_common.c,
 *            osfmk/arm64/kpc.c, osfmk/kern/cpc.c, cpc_arm64.c, cpc_x86_64.c]:
 *            kpc_set_config validates every word against the list with the
 *            16-bit field (config & 0xffff) on every chip (EPERM) and forces
 *            the counters by itself; the configuration reaches the hardware
 *            only when kpc_set_counting starts the configurable class (the
 *            CPC set is applied), and leaves it (mode bits cleared, selectors
 *            kept) when it stops; on a secure kernel (an allowlist in force)
 *            configurable counters count EL0 only; a word without mode bits
 *            counts every mode allowed.  kpc_force_all_ctrs_set never fails
 *            with EACCES: when another task holds the force it answers 0
 *            and changes nothing (cpc_task_set_owner returns 0); without a
 *            power manager (x86_64 databases) kpc_force_all_ctrs_get always
 *            reports 1.  x86_64: the configurable count is half the
 *            database's (the lower general-purpose counters); the words are
 *            taken from index 0 whatever the classes, so with FIXED in the
 *            classes the FIXED word lands on the first general-purpose
 *            counter and the last word is dropped; only event, umask and the
 *            USR/OS modes reach the hardware (CMASK, INV, EDGE dropped; a
 *            word with neither USR nor OS counts both).
 * Common to every kernel [bsd/kern/kern_kpc.c, osfmk/kern/kpc_thread.c,
 * osfmk/kern/kpc_common.c]:
 *  - Classes: FIXED 0x1 and CONFIGURABLE 0x2 have counters.  POWER 0x4 has
 *    none of its own and writing it (kpc_set_config, kpc_set_period) fails
 *    with EPERM; RAWPMU 0x8 is advertised on arm64 but not simulated (no
 *    counters, no words).  Other bits are ignored.
 *  - counter_count: FIXED = popcount(fixed_counters); CONFIGURABLE =
 *    popcount(pmc_mask), where pmc_mask = the configurable counters the
 *    kernel has when forced (or when the database has no power_counters),
 *    else those minus power_counters (a14: PMC2,3,4,8,9; a7: PMC2,3,4).
 *  - config_count: FIXED = 0 on arm64, 1 on x86_64 (a word that is accepted
 *    and ignored; kpc_get_config reports it as 0); CONFIGURABLE =
 *    popcount(pmc_mask).
 *  - kpc_set_config reads exactly config_count(classes) words (EINVAL when
 *    0): (pre-cpc) the x86_64 FIXED word first, then word k goes to the
 *    k-th counter of pmc_mask, ascending.  Counters outside pmc_mask keep
 *    their words.  On x86_64 the kernel stores word & 0xffc7ffff.
 *  - kpc_get_config reads the hardware back: arm64 the selector (masked to
 *    the chip's field) and the mode bits in effect (EL1 reads as 0xC0000 on
 *    a10 and later and on cpc, EL0A64 also sets 0x80000 on a7-a9 before
 *    cpc); x86_64 the PERFEVTSEL register, with INT and EN (0x500000) while
 *    the configurable class counts.
 *  - kpc_set_counting stores classes & 0x3 (what kpc_get_counting reports).
 *  - kpc_set_thread_counting(T) with counter_count(T) > 0 stores T and that
 *    count (the size of every thread's buffer: forcing or releasing
 *    afterwards does not resize it) and gives the calling thread a counter
 *    buffer; T = 0 (or a class without counters) switches thread counting
 *    off and keeps T and the count of before.
 *  - A thread has a counter buffer once it called kpc_set_thread_counting
 *    with a class that has counters, or when kpmc_sim_thread_begin() says it
 *    was just created while thread counting was on; the buffer stays for the
 *    thread's life (kpmc_sim_reset forgets it) and its accumulators are
 *    never zeroed.  (The kernel also gives one lazily after a context
 *    switch while thread counting is on; the simulator never does.)
 *  - kpc_get_thread_counters(tid, n, buf): EINVAL if tid != 0 or the calling
 *    thread has no buffer; otherwise it accumulates (below) and copies the
 *    count of the last kpc_set_thread_counting values: a NULL buf asks the
 *    size only (0, nothing written), n below the count writes the first n
 *    values and fails with ENOMEM, a larger n leaves the rest of buf alone.
 *    Reading after thread counting is switched off still succeeds.
 *  - kpc_get_cpu_counters: the calling thread's simulated CPU
 *    (kpmc_sim_set_cpu; CPU 0 by default), or with `all` every CPU, CPU by
 *    CPU; each CPU's own counters, the calling CPU's advanced like a
 *    thread's; EINVAL when counter_count(classes) is 0.
 *  - kpc_set/get_period and kpc_set/get_actionid move counter_count(classes)
 *    values (EINVAL when 0), laid out like the counter buffer; they have no
 *    other effect.  kpc_sw_inc fails with ENOTSUP.  kpc_pmu_version is 2
 *    (ARM_APPLE) on arm64, 1 (INTEL_V3) on x86_64.
 *  - NULL buffers fail with EFAULT (the kernel's copyout would), but for the
 *    size probe above.
 *  - A failed call changes nothing, except a kpc_get_thread_counters that
 *    fails with ENOMEM (it accumulated first, as the kernel does) and a cpc
 *    kpc_set_config refused with EPERM (it forced the counters first).
 *
 * Counting model: each kpc_get_thread_counters() (or kpc_get_cpu_counters)
 * call first accumulates, position by position of the thread-counting
 * layout (fixed counters, then the configurable counters of the current
 * pmc_mask, ascending), what the counter at that position counted since the
 * last call: every call stands for user work and kernel work.  A counter
 * counts its "base" in user mode and KPMC_SIM_KERNEL_FACTOR times its base
 * in kernel mode, each only when it counts that mode:
 *  - fixed counter i (i-th of the database's): base (i + 1) *
 *    KPMC_SIM_FIXED_STEP; fixed counters always count, user and kernel,
 *    whatever kpc.counting says (monotonic owns them);
 *  - a configurable counter: base = its selector as the hardware holds it
 *    (arm64 the PMESR field; x86_64 event | umask << 8), counting only while
 *    kpc.counting has CONFIGURABLE, in the modes the hardware holds.
 * So after k reads an all-mode event of selector s reads k * 3 * s and a
 * user-only one k * s (factor 2): a test can tell which event landed where
 * and in which modes.
 *
 * Thread safety: every function may be called from any thread (one mutex
 * guards the global state; thread buffers are thread-local).
 *
 * A machine for whole commands (tests/sim/sim_shared.c; kpmc stat):
 *   KPMC_SIM_SHARED=/NAME     the kernel state lives in the POSIX
 *                             shared-memory segment NAME, so every process
 *                             that loads the simulator with this variable
 *                             (kpmc stat, the command, its threads and
 *                             children) sees one kernel.  The first process
 *                             creates it from its environment (KPMC_SIM_INIT
 *                             included); the others use it as they find it;
 *                             kpmc_sim_reset starts it again.  Whoever set
 *                             the variable removes the segment (shm_unlink).
 *                             A process image new to the machine (started,
 *                             forked or exec'd while it runs) starts with
 *                             usage 0, and the thread of its first call has
 *                             a counter buffer when thread counting is on:
 *                             it is a new kernel thread.  Other new threads
 *                             still need kpmc_sim_thread_begin.
 *   KPMC_SIM_CPUS=P,E[,L2]    P performance and E efficiency CPUs (default
 *                             one CPU), efficiency clusters of L2 CPUs,
 *                             numbered die by die, efficiency cluster first;
 *                             sysctlbyname answers hw.ncpu, hw.nperflevels,
 *                             hw.perflevelN.logicalcpu, .cpusperl2, .name.
 *   KPMC_SIM_READ_STEP=0      reads stand for no work: only kpmc_sim_work
 *                             counts, so totals do not depend on how often
 *                             counters are read.
 * kpmc_sim_work(units) stands for `units` reads' worth of work on the
 * calling thread: its buffer (when it has one), its CPU's counters and its
 * process's resource usage advance by units times what one read adds.
 * proc_pid_rusage(pid, RUSAGE_INFO_V4 or V6, buf) reports that usage, also
 * for a zombie: ri_cycles and ri_instructions are the work's counts on the
 * fixed counters of the Cycles and Instructions aliases (CORE_ACTIVE_CYCLE
 * and INST_ALL on x86_64), user and kernel mode; V6's ri_pcycles and
 * ri_pinstructions their share on performance CPUs.
 *
 * A thread's own counts (docs/kpc.md §13): thread_selfcounts(kind, dst,
 * size) needs no root and knows nothing of kpc (counting, thread counting,
 * the force, KPMC_SIM_NOROOT and KPMC_SIM_BUSY change nothing; it is not a
 * kpc call: neither counted in `calls` nor logged).  Each thread keeps its
 * own cycles and instructions, which advance, in the units of
 * proc_pid_rusage (the step of the fixed counter of Cycles and of
 * Instructions, user and kernel mode: (rank + 1) * KPMC_SIM_FIXED_STEP *
 * (1 + KPMC_SIM_KERNEL_FACTOR), a14 3000 and 6000 a unit, skylake 6000 and
 * 3000), by `units` at kpmc_sim_work(units) and by one unit at each call
 * (none with KPMC_SIM_READ_STEP=0), as a kpc read does; that unit goes to
 * the process's usage too.  kind 1 (THSC_CPI) then copies {instructions,
 * cycles}, MIN(16, size) bytes, into dst; another kind fails with ENOTSUP
 * (kinds 2-6 exist but are not simulated), a NULL dst with EFAULT.  A new
 * thread (and every thread after kpmc_sim_reset, or in a forked child)
 * starts at 0.
 */
#ifndef KPMC_SIM_H
#define KPMC_SIM_H

#include <stdint.h>

#define KPMC_SIM_FIXED_STEP 1000u
#define KPMC_SIM_KERNEL_FACTOR 2u
#define KPMC_SIM_MAX_COUNTERS 32

struct kpmc_sim_state {
    char db[32];                /* simulated database */
    char kernel[16];            /* simulated kernel: pre14.4, 14.4, 15, cpc */
    uint32_t counting;          /* kpc.counting */
    uint32_t thread_counting;   /* kpc.thread_counting (0 when off) */
    int force_all;              /* what kpc_force_all_ctrs_get reports */
    int force_owned;            /* this process owns the force */
    unsigned n_fixed;           /* counters of the database */
    unsigned n_config;          /*   (popcounts of its masks, whatever the force) */
    unsigned n_config_kernel;   /* configurable counters the kernel has */
    /* words programmed on configurable counters, as kpc stores them;
     * config[k] is the k-th configurable counter of the database (global
     * counter index = the k-th set bit of config_counters); entries
     * k >= n_config are 0.  x86_64: already masked with 0xffc7ffff. */
    uint64_t config[KPMC_SIM_MAX_COUNTERS];
    /* what kpc_get_config would read back for the same counters now */
    uint64_t hw[KPMC_SIM_MAX_COUNTERS];
    unsigned long calls;        /* kpc_* calls so far, every function */
    unsigned long failed_calls; /* of which failed (faults, EPERM, EINVAL, ...) */
    unsigned long set_config_calls; /* kpc_set_config calls that succeeded */
    unsigned long thread_counting_calls; /* kpc_set_thread_counting calls that succeeded */
    int thread_has_buffer;      /* the calling thread has a counter buffer */
    unsigned long selfcounts_calls; /* thread_selfcounts calls, every thread */
    /* the kpc functions called since the environment was read, in order,
     * names without "kpc_" separated by spaces ("force_all_ctrs_get
     * get_counting ..."); when full, later calls are left out and
     * log_full is 1 */
    char log[2048];
    int log_full;
};

/* Fill *out with the simulated kernel's state; 0 on success, -1 when out
 * is NULL or the environment is invalid.  Not counted as a kpc call. */
int kpmc_sim_get_state(struct kpmc_sim_state *out);
/* Forget all state (every thread's buffer too), re-read the environment. */
void kpmc_sim_reset(void);
/* The calling thread was just created: it gets a counter buffer when thread
 * counting is on, as the kernel gives one to threads created while thread
 * counting is on.  Not counted as a kpc call. */
void kpmc_sim_thread_begin(void);
/* Simulated work of `units` reads on the calling thread (above). */
void kpmc_sim_work(uint64_t units);
/* The calling thread runs on simulated CPU cpu from now on. */
void kpmc_sim_set_cpu(unsigned cpu);

#endif
