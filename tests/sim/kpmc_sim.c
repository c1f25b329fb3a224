/* The simulated kernel behind the kpc_* functions (model in kpmc_sim.h). */
#include "kpmc_sim.h"
#include "bits_ref.h"
#include "sim_internal.h"
#include "sim_shared.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLASS_FIXED 0x1u
#define CLASS_CONFIGURABLE 0x2u
#define CLASS_POWER 0x4u
#define COUNTED_CLASSES (CLASS_FIXED | CLASS_CONFIGURABLE)
#define X86_CONFIG_KEEP 0xffc7ffffu /* the kernel drops PC, INT and ANY */
#define X86_USR 0x10000u
#define X86_OS 0x20000u
#define X86_INT_EN 0x500000u        /* INT and EN, set when counting starts */
#define ARM_EL0A32 0x10000u
#define ARM_EL0A64 0x20000u
#define ARM_EL1 0x40000u
#define ARM_EL3 0x80000u
#define PMU_INTEL_V3 1u
#define PMU_ARM_APPLE 2u
#define MAX_COUNTERS KPMC_SIM_MAX_COUNTERS

static pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;
static struct sim_config cfg;

/* The simulated kernel; everything indexed by global counter index. */
static struct {
    uint32_t counting;
    uint32_t thread_classes; /* of the last kpc_set_thread_counting that had counters */
    unsigned thread_count;   /* values a thread buffer holds */
    int thread_on;
    int force;               /* forced by this process (cfg.force_held: another task) */
    uint64_t word[MAX_COUNTERS]; /* configuration as kpc stores it */
    uint64_t hw[MAX_COUNTERS];   /* the hardware, as kpc_get_config reads it back
                                    (x86_64: without INT and EN) */
    int applied;             /* cpc: the configuration is on the hardware */
    int dirty;               /* cpc: set_config since it was applied */
    uint64_t period[MAX_COUNTERS];
    uint32_t actionid[MAX_COUNTERS];
    unsigned long calls, failed_calls, set_config_calls, thread_counting_calls;
    unsigned long fn_calls[SIM_FN_COUNT];
    unsigned long selfcounts_calls; /* thread_selfcounts, not a kpc call */
    char log[sizeof ((struct kpmc_sim_state *)0)->log];
    size_t log_len;
    int log_full;
} k;

/* Bumped by every load, so that a thread whose generation differs starts
 * afresh: no buffer, accumulators 0. */
static unsigned long generation;

static _Thread_local struct {
    unsigned long generation;
    long pid;                   /* a forked child's thread is a new thread */
    int has_buffer;
    uint64_t acc[MAX_COUNTERS]; /* by buffer position */
    uint64_t own_cycles, own_instructions; /* thread_selfcounts */
} self;

/* Reads count as work of one unit, or of none with KPMC_SIM_READ_STEP=0. */
static uint64_t read_units = 1;

/* The process of this image: a forked child starts its usage afresh. */
static pid_t image_pid;

/* ---- counters and classes ---- */

static int is_cpc(void)
{
    return cfg.kernel == SIM_CPC;
}

static int is_x86(void)
{
    return cfg.arch == KPMC_ARCH_X86_64;
}

static int forced(void)
{
    return k.force || cfg.force_held;
}

/* The configurable counters the kernel has: the database's, but on a cpc
 * x86_64 kernel only its lower half. */
static uint32_t kernel_config_counters(void)
{
    uint32_t m = cfg.config_counters;
    if (is_cpc() && is_x86()) {
        unsigned keep = popcount32(m) / 2;
        uint32_t half = 0;
        for (; keep; keep--, m &= m - 1)
            half |= m & -m;
        m = half;
    }
    return m;
}

static uint32_t pmc_mask(void)
{
    uint32_t m = kernel_config_counters();
    if (!forced())
        m &= ~cfg.power_counters;
    return m;
}

static unsigned counter_count(uint32_t classes)
{
    return ((classes & CLASS_FIXED) ? popcount32(cfg.fixed_counters) : 0) +
           ((classes & CLASS_CONFIGURABLE) ? popcount32(pmc_mask()) : 0);
}

/* Words before the configurable ones: the x86_64 FIXED word. */
static unsigned fixed_words(uint32_t classes)
{
    return (classes & CLASS_FIXED) && is_x86() ? 1 : 0;
}

static unsigned config_count(uint32_t classes)
{
    return fixed_words(classes) + ((classes & CLASS_CONFIGURABLE) ? popcount32(pmc_mask()) : 0);
}

static unsigned append_bits(uint32_t m, unsigned *idx, unsigned n)
{
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        if (m >> c & 1)
            idx[n++] = c;
    return n;
}

/* The counters of `classes` in buffer order; returns how many. */
static unsigned layout(uint32_t classes, unsigned idx[MAX_COUNTERS])
{
    unsigned n = 0;
    if (classes & CLASS_FIXED)
        n = append_bits(cfg.fixed_counters, idx, n);
    if (classes & CLASS_CONFIGURABLE)
        n = append_bits(pmc_mask(), idx, n);
    return n;
}

static int is_fixed(unsigned c)
{
    return cfg.fixed_counters >> c & 1;
}

/* What counter c counts for one read: its base in user mode plus
 * KPMC_SIM_KERNEL_FACTOR times it in kernel mode, in the modes it counts. */
static uint64_t step(unsigned c)
{
    if (is_fixed(c)) {
        uint64_t base = (uint64_t)(popcount32(cfg.fixed_counters & ((1u << c) - 1)) + 1) * KPMC_SIM_FIXED_STEP;
        return base * (1 + KPMC_SIM_KERNEL_FACTOR); /* fixed counters never stop */
    }
    if (!(k.counting & CLASS_CONFIGURABLE))
        return 0;
    uint64_t hw = k.hw[c], base = hw & 0xffff;
    int user = is_x86() ? (hw & X86_USR) != 0 : (hw & (ARM_EL0A32 | ARM_EL0A64)) != 0;
    int kernel = is_x86() ? (hw & X86_OS) != 0 : (hw & ARM_EL1) != 0;
    return base * (uint64_t)(user ? 1 : 0) + base * KPMC_SIM_KERNEL_FACTOR * (uint64_t)(kernel ? 1 : 0);
}

/* ---- the hardware a configuration word gives ---- */

static int allowed(unsigned sel)
{
    if (!cfg.allowlist || sel == 0)
        return 1;
    for (size_t i = 0; i < cfg.n_allow; i++)
        if (cfg.allow[i] == sel)
            return 1;
    return 0;
}

/* arm64, pre-cpc kernels (osfmk/arm64/kpc.c set_modes, restore_control_regs,
 * get_counter_config). */
static uint64_t arm_hw_pre_cpc(uint64_t w)
{
    int v15 = cfg.kernel == SIM_15;
    int allow_kernel = !v15 || cfg.kernel_counting;
    int a32 = (w & ARM_EL0A32) != 0, a64 = (w & ARM_EL0A64) != 0;
    int el1 = allow_kernel && (w & ARM_EL1);
    if (!v15 && !cfg.no_monitor && (w & ARM_EL3))
        a64 = 1; /* PMCR1_EL3_A64_ENABLE_MASK is the EL0A64 bit */
    if (!a32 && !a64 && !el1 && w != 0) {
        /* backwards compatibility: no mode bit means every mode allowed */
        a64 = 1;
        a32 = allow_kernel;
        el1 = allow_kernel;
    }
    if (v15 && !cfg.kernel_counting)
        a32 = el1 = 0; /* PMCR1 masked with PMCR1_EL0_MASK */
    uint64_t r = w & cfg.sel_mask;
    if (a32)
        r |= ARM_EL0A32;
    if (a64)
        r |= ARM_EL0A64;
    if (el1)
        r |= ARM_EL1 | (cfg.no_monitor ? ARM_EL3 : 0);
    if (!cfg.no_monitor && a64)
        r |= ARM_EL3;
    return r;
}

/* arm64, cpc (kpc_config_arch_process, kpc_config_arch_flags,
 * cpc_machine_regs_event_select, _kpc_read_pmesr): EL0 counts as EL0A64,
 * EL1 reads back as EL1|EL3; a secure kernel (an allowlist) clears EL1. */
static uint64_t arm_hw_cpc(uint64_t w)
{
    int secure = cfg.allowlist;
    if (secure)
        w &= ~(uint64_t)ARM_EL1;
    if (!(w & (ARM_EL0A32 | ARM_EL0A64 | ARM_EL1)))
        w |= ARM_EL0A32 | ARM_EL0A64 | (secure ? 0 : ARM_EL1);
    uint64_t sel = w & 0xffff & cfg.sel_mask;
    if (sel == 0)
        return 0; /* cpc_set_alloc skips selector 0 */
    return sel | ((w & (ARM_EL0A32 | ARM_EL0A64)) ? ARM_EL0A64 : 0) | ((w & ARM_EL1) ? ARM_EL1 | ARM_EL3 : 0);
}

/* x86_64, cpc (cpc_machine_regs_event_select): event and umask, USR/OS from
 * the flags (neither: both). */
static uint64_t x86_hw_cpc(uint64_t w)
{
    uint64_t sel = w & 0xffff;
    if (sel == 0)
        return 0;
    uint64_t modes = w & (X86_USR | X86_OS);
    return sel | (modes ? modes : X86_USR | X86_OS);
}

/* cpc: the stored configuration reaches the hardware (the CPC set is
 * applied), or leaves it (mode bits cleared, selectors kept). */
static void cpc_apply(void)
{
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        if (cfg.config_counters >> c & 1)
            k.hw[c] = is_x86() ? x86_hw_cpc(k.word[c]) : arm_hw_cpc(k.word[c]);
    k.applied = 1;
    k.dirty = 0;
}

static void cpc_remove(void)
{
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        k.hw[c] = is_x86() ? 0 : k.hw[c] & 0xffff;
    k.applied = 0;
}

/* What kpc_get_config reads back for configurable counter c. */
static uint64_t readback(unsigned c)
{
    uint64_t r = k.hw[c];
    if (is_x86() && (is_cpc() ? k.applied && r : (k.counting & CLASS_CONFIGURABLE) != 0))
        r |= X86_INT_EN;
    return r;
}

static void set_counting_locked(uint32_t classes)
{
    k.counting = classes & COUNTED_CLASSES;
    if (!is_cpc())
        return;
    if (k.counting & CLASS_CONFIGURABLE) {
        if (!k.applied || k.dirty)
            cpc_apply();
    } else if (k.applied) {
        cpc_remove();
    }
}

static void set_thread_counting_locked(uint32_t classes, int give_buffer)
{
    unsigned n = counter_count(classes);
    if (classes == 0 || n == 0) {
        k.thread_on = 0; /* classes and count stay */
        return;
    }
    k.thread_classes = classes;
    k.thread_count = n;
    k.thread_on = 1;
    if (give_buffer)
        self.has_buffer = 1;
}

/* This thread's state, started afresh after a load and in a forked child
 * (a new thread, which kpmc_sim_thread_begin gives a buffer). */
static void self_check(void)
{
    if (self.generation != generation || self.pid != (long)getpid()) {
        memset(&self, 0, sizeof self);
        self.generation = generation;
        self.pid = (long)getpid();
    }
}

/* Accumulate what the thread's counters counted into its buffer, position
 * by position of the thread-counting layout (kpc_update_thread_counters). */
static void accumulate(uint64_t units)
{
    unsigned idx[MAX_COUNTERS];
    unsigned n = layout(k.thread_classes, idx);
    if (n > k.thread_count)
        n = k.thread_count;
    for (unsigned i = 0; i < n; i++)
        self.acc[i] += units * step(idx[i]);
}

/* Read the environment and start from the initial state. */
static void load(void)
{
    sim_config_load(&cfg);
    memset(&k, 0, sizeof k);
    loaded = 1;
    generation++;
    const char *rs = getenv("KPMC_SIM_READ_STEP");
    read_units = rs && !strcmp(rs, "0") ? 0 : 1;
    if (!cfg.error[0])
        sim_shared_attach(sizeof k, cfg.error, sizeof cfg.error);
    if (cfg.error[0]) {
        fprintf(stderr, "kpmc_sim: %s\n", cfg.error);
        return;
    }
    k.force = cfg.init_force;
    set_counting_locked(cfg.init_counting);
    set_thread_counting_locked(cfg.init_thread_counting, 0);
}

/* ---- call bookkeeping ---- */

/* Lock this process's state and the machine, and take the kernel state the
 * processes share (sim_shared.h); the first process's own, from its
 * environment, when the machine has none yet. */
static void lock_all(void)
{
    pthread_mutex_lock(&sim_lock);
    if (!loaded)
        load();
    self_check();
    if (cfg.error[0])
        return;
    int fresh;
    sim_shared_lock(&k, sizeof k, &fresh);
    if (image_pid != getpid()) {
        /* A process image new to the machine: a forked child or a program
         * started or exec'd while the machine ran.  Its usage starts at 0;
         * its thread was created while thread counting was as it is now. */
        image_pid = getpid();
        sim_usage_new_image();
        if (sim_shared_is_shared() && !fresh && k.thread_on)
            self.has_buffer = 1;
    }
}

static void unlock_all(void)
{
    if (!cfg.error[0])
        sim_shared_unlock(&k, sizeof k);
    pthread_mutex_unlock(&sim_lock);
}

/* Start a kpc call: lock, load the environment the first time, count the
 * call; returns the errno the call must fail with before doing anything
 * (an invalid environment, an injected fault, no root, another client), or
 * 0. */
static int enter(enum sim_fn fn, int needs_root)
{
    lock_all();
    k.calls++;
    unsigned long nth = ++k.fn_calls[fn];
    const char *name = sim_fn_names[fn];
    size_t need = strlen(name) + (k.log_len ? 1 : 0);
    if (!k.log_full && k.log_len + need < sizeof k.log) {
        snprintf(k.log + k.log_len, sizeof k.log - k.log_len, "%s%s", k.log_len ? " " : "", name);
        k.log_len += need;
    } else {
        k.log_full = 1;
    }
    if (cfg.error[0])
        return ENODEV;
    for (size_t i = 0; i < cfg.n_faults; i++)
        if (cfg.faults[i].fn == fn && cfg.faults[i].nth == nth)
            return cfg.faults[i].err;
    if (needs_root && cfg.noroot)
        return EPERM;
    if (cfg.busy && fn != SIM_FN_cpu_string)
        return EBUSY;
    return 0;
}

/* End a kpc call: 0 on success, else -1 with errno = err. */
static int leave(int err)
{
    if (err)
        k.failed_calls++;
    unlock_all();
    if (!err)
        return 0;
    errno = err;
    return -1;
}

static uint32_t leave_u32(int err, uint32_t value, uint32_t on_error)
{
    return leave(err) == 0 ? value : on_error;
}

/* The kernel's checks of a sized transfer, after err from enter(): EINVAL
 * when it would move no value, EFAULT for a NULL buffer. */
static int check_transfer(int err, unsigned count, const void *buf)
{
    if (err)
        return err;
    if (count == 0)
        return EINVAL;
    return buf ? 0 : EFAULT;
}

/* ---- the kpc functions ---- */

int kpc_cpu_string(char *buf, size_t len)
{
    int err = enter(SIM_FN_cpu_string, 0);
    if (!err && (!buf || len == 0))
        err = EINVAL;
    int n = 0;
    if (!err)
        n = snprintf(buf, len, "%s", cfg.cpu_string);
    return leave(err) == 0 ? n : -1;
}

uint32_t kpc_pmu_version(void)
{
    int err = enter(SIM_FN_pmu_version, 1);
    uint32_t v = cfg.arch == KPMC_ARCH_ARM64 ? PMU_ARM_APPLE : PMU_INTEL_V3;
    return leave_u32(err, v, 0);
}

int kpc_set_counting(uint32_t classes)
{
    int err = enter(SIM_FN_set_counting, 1);
    if (!err)
        set_counting_locked(classes);
    return leave(err);
}

uint32_t kpc_get_counting(void)
{
    int err = enter(SIM_FN_get_counting, 1);
    return leave_u32(err, k.counting, 0);
}

int kpc_set_thread_counting(uint32_t classes)
{
    int err = enter(SIM_FN_set_thread_counting, 1);
    if (!err) {
        set_thread_counting_locked(classes, 1);
        k.thread_counting_calls++;
    }
    return leave(err);
}

uint32_t kpc_get_thread_counting(void)
{
    int err = enter(SIM_FN_get_thread_counting, 1);
    return leave_u32(err, k.thread_on ? k.thread_classes : 0, 0xFFFFFFFFu);
}

uint32_t kpc_get_config_count(uint32_t classes)
{
    int err = enter(SIM_FN_get_config_count, 0);
    return leave_u32(err, err ? 0 : config_count(classes), 0);
}

uint32_t kpc_get_counter_count(uint32_t classes)
{
    int err = enter(SIM_FN_get_counter_count, 0);
    return leave_u32(err, err ? 0 : counter_count(classes), 0);
}

int kpc_get_config(uint32_t classes, uint64_t *cfgbuf)
{
    int err = check_transfer(enter(SIM_FN_get_config, 1), config_count(classes), cfgbuf);
    if (!err) {
        unsigned idx[MAX_COUNTERS];
        unsigned nw = fixed_words(classes);
        for (unsigned i = 0; i < nw; i++)
            *cfgbuf++ = 0; /* IA32_FIXED_CTR_CTRL is not simulated */
        unsigned n = layout(classes & CLASS_CONFIGURABLE, idx);
        for (unsigned i = 0; i < n; i++)
            cfgbuf[i] = readback(idx[i]);
    }
    return leave(err);
}

int kpc_set_config(uint32_t classes, uint64_t *cfgbuf)
{
    int err = enter(SIM_FN_set_config, 1);
    if (!err && (classes & CLASS_POWER))
        err = EPERM;
    /* The copy-in is sized before the kernel acts (kern_kpc.c). */
    unsigned nw = config_count(classes);
    err = check_transfer(err, nw, cfgbuf);
    if (err)
        return leave(err);
    uint64_t in[MAX_COUNTERS + 1] = {0}; /* words past the copy-in read as 0 */
    memcpy(in, cfgbuf, nw * sizeof *in);
    /* cpc forces by itself, whatever follows (kpc_set_config_kernel). */
    if (is_cpc() && !cfg.force_held)
        k.force = 1;
    unsigned idx[MAX_COUNTERS];
    unsigned n = layout(classes & CLASS_CONFIGURABLE, idx);
    /* pre-cpc kernels skip the x86_64 FIXED word; cpc indexes from 0. */
    const uint64_t *words = in + (is_cpc() ? 0 : fixed_words(classes));
    for (unsigned i = 0; i < n && !err; i++) {
        unsigned sel = (unsigned)(words[i] & (is_cpc() ? 0xffffu : cfg.sel_mask));
        if (!allowed(sel))
            err = EPERM; /* checked before anything is stored */
    }
    if (err)
        return leave(err);
    if (is_cpc()) {
        /* The CPC set holds exactly the counters of this call. */
        for (unsigned c = 0; c < MAX_COUNTERS; c++)
            k.word[c] = 0;
        k.dirty = 1;
    }
    for (unsigned i = 0; i < n; i++) {
        unsigned c = idx[i];
        if (is_x86()) {
            k.word[c] = is_cpc() ? words[i] : words[i] & X86_CONFIG_KEEP;
            if (!is_cpc())
                k.hw[c] = k.word[c];
        } else {
            k.word[c] = words[i];
            if (!is_cpc())
                k.hw[c] = arm_hw_pre_cpc(words[i]);
        }
    }
    k.set_config_calls++;
    return leave(0);
}

int kpc_get_cpu_counters(bool all, uint32_t classes, int *curcpu, uint64_t *buf)
{
    int err = check_transfer(enter(SIM_FN_get_cpu_counters, 1), counter_count(classes), buf);
    if (!err) {
        unsigned idx[MAX_COUNTERS];
        unsigned n = layout(classes, idx);
        unsigned cur = sim_cpu_self(), first = all ? 0 : cur, last = all ? sim_cpu_count() : cur + 1;
        for (unsigned c = first; c < last; c++) {
            uint64_t *ctr = sim_cpu_counters(c);
            for (unsigned i = 0; i < n; i++) {
                if (c == cur)
                    ctr[idx[i]] += read_units * step(idx[i]);
                *buf++ = ctr[idx[i]];
            }
        }
        if (curcpu)
            *curcpu = (int)cur;
    }
    return leave(err);
}

int kpc_get_thread_counters(uint32_t tid, uint32_t buf_count, uint64_t *buf)
{
    int err = enter(SIM_FN_get_thread_counters, 1);
    if (!err && (tid != 0 || !self.has_buffer))
        err = EINVAL;
    if (!err) {
        accumulate(read_units);
        if (buf) {
            unsigned n = k.thread_count;
            if (buf_count < n) {
                n = buf_count; /* the copy-out stops short */
                err = ENOMEM;
            }
            memcpy(buf, self.acc, n * sizeof *buf);
        }
    }
    return leave(err);
}

/* kpc_{set,get}_{period,actionid}: move counter_count(classes) values of
 * `size` bytes between buf and table (indexed by counter), laid out like the
 * counter buffer. */
static int per_counter(enum sim_fn fn, uint32_t classes, void *buf, void *table, size_t size,
                       int writing)
{
    int err = enter(fn, 1);
    if (!err && writing && fn == SIM_FN_set_period && (classes & CLASS_POWER))
        err = EPERM;
    err = check_transfer(err, counter_count(classes), buf);
    if (!err) {
        unsigned idx[MAX_COUNTERS];
        unsigned n = layout(classes, idx);
        for (unsigned i = 0; i < n; i++) {
            char *slot = (char *)table + idx[i] * size, *val = (char *)buf + i * size;
            memcpy(writing ? slot : val, writing ? val : slot, size);
        }
    }
    return leave(err);
}

int kpc_set_period(uint32_t classes, uint64_t *period)
{
    return per_counter(SIM_FN_set_period, classes, period, k.period, sizeof *period, 1);
}

int kpc_get_period(uint32_t classes, uint64_t *period)
{
    return per_counter(SIM_FN_get_period, classes, period, k.period, sizeof *period, 0);
}

int kpc_set_actionid(uint32_t classes, uint32_t *actionid)
{
    return per_counter(SIM_FN_set_actionid, classes, actionid, k.actionid, sizeof *actionid, 1);
}

int kpc_get_actionid(uint32_t classes, uint32_t *actionid)
{
    return per_counter(SIM_FN_get_actionid, classes, actionid, k.actionid, sizeof *actionid, 0);
}

/* What kpc_force_all_ctrs_get reports: cpc without a power manager reports
 * exclusive use (cpc_sharing_is_exclusive). */
static int force_reported(void)
{
    return (is_cpc() && !cfg.power_counters) || forced();
}

int kpc_force_all_ctrs_set(int val)
{
    int err = enter(SIM_FN_force_all_ctrs_set, 1);
    if (!err && cfg.force_held && !is_cpc())
        err = EACCES;
    if (!err && !cfg.force_held)
        k.force = val != 0;
    return leave(err);
}

int kpc_force_all_ctrs_get(int *val)
{
    int err = enter(SIM_FN_force_all_ctrs_get, 1);
    if (!err && !val)
        err = EFAULT;
    if (!err)
        *val = force_reported();
    return leave(err);
}

int kpc_sw_inc(int mask)
{
    (void)mask;
    int err = enter(SIM_FN_sw_inc, 1);
    return leave(err ? err : ENOTSUP);
}

/* ---- test hooks ---- */

int kpmc_sim_get_state(struct kpmc_sim_state *out)
{
    lock_all();
    int ok = out && !cfg.error[0];
    if (ok) {
        memset(out, 0, sizeof *out);
        snprintf(out->db, sizeof out->db, "%s", cfg.db_name);
        snprintf(out->kernel, sizeof out->kernel, "%s", sim_kernel_names[cfg.kernel]);
        out->counting = k.counting;
        out->thread_counting = k.thread_on ? k.thread_classes : 0;
        out->force_all = force_reported();
        out->force_owned = k.force;
        out->n_fixed = popcount32(cfg.fixed_counters);
        out->n_config_kernel = popcount32(kernel_config_counters());
        unsigned idx[MAX_COUNTERS];
        out->n_config = append_bits(cfg.config_counters, idx, 0);
        for (unsigned i = 0; i < out->n_config; i++) {
            out->config[i] = k.word[idx[i]];
            out->hw[i] = readback(idx[i]);
        }
        out->calls = k.calls;
        out->failed_calls = k.failed_calls;
        out->set_config_calls = k.set_config_calls;
        out->thread_counting_calls = k.thread_counting_calls;
        out->thread_has_buffer = self.has_buffer;
        out->selfcounts_calls = k.selfcounts_calls;
        memcpy(out->log, k.log, sizeof out->log);
        out->log_full = k.log_full;
    }
    unlock_all();
    return ok ? 0 : -1;
}

void kpmc_sim_reset(void)
{
    pthread_mutex_lock(&sim_lock);
    load();
    self_check();
    if (!cfg.error[0]) {
        /* The machine starts again from this process's environment. */
        int fresh;
        unsigned char mine[sizeof k];
        memcpy(mine, &k, sizeof k);
        sim_shared_lock(&k, sizeof k, &fresh);
        sim_shared_clear();
        memcpy(&k, mine, sizeof k);
        sim_shared_unlock(&k, sizeof k);
    }
    pthread_mutex_unlock(&sim_lock);
}

void kpmc_sim_thread_begin(void)
{
    lock_all();
    if (k.thread_on && !cfg.error[0])
        self.has_buffer = 1;
    unlock_all();
}

/* The step of the fixed counter that counts cycles (instructions): the
 * event of the database's Cycles (Instructions) alias on arm64,
 * CORE_ACTIVE_CYCLE (INST_ALL) on x86_64; 0 when there is none. */
static uint64_t fixed_step_of(const char *const *names)
{
    for (; *names; names++) {
        int ev = kpmc_event_find(cfg.db, *names);
        kpmc_event_info info = {.size = sizeof info};
        if (ev < 0 || kpmc_event_get(cfg.db, (unsigned)ev, &info) != 0 || !(info.has & KPMC_HAS_FIXED_COUNTER))
            continue;
        unsigned i = 0;
        for (unsigned c = 0; c < MAX_COUNTERS; c++)
            if (cfg.fixed_counters >> c & 1 && i++ == info.fixed_counter)
                return step(c);
    }
    return 0;
}

static const char *const cycles_names[] = {"Cycles", "CORE_ACTIVE_CYCLE", NULL};
static const char *const instructions_names[] = {"Instructions", "INST_ALL", NULL};

/* Work of `units` reads on the calling thread, whatever kpc does: its own
 * cycles and instructions (thread_selfcounts) and its process's resource
 * usage (proc_pid_rusage).  Locked. */
static void own_work(uint64_t units)
{
    uint64_t cycles = units * fixed_step_of(cycles_names), instructions = units * fixed_step_of(instructions_names);
    self.own_cycles += cycles;
    self.own_instructions += instructions;
    sim_usage_add(cycles, instructions, sim_cpu_level(sim_cpu_self()) == 0);
}

void kpmc_sim_work(uint64_t units)
{
    lock_all();
    if (!cfg.error[0]) {
        /* The thread's counters, when it has a buffer. */
        if (self.has_buffer)
            accumulate(units);
        /* Its CPU's. */
        unsigned idx[MAX_COUNTERS];
        unsigned n = layout(COUNTED_CLASSES, idx);
        uint64_t *cpu = sim_cpu_counters(sim_cpu_self());
        for (unsigned i = 0; i < n; i++)
            cpu[idx[i]] += units * step(idx[i]);
        /* Its own counts and its process's resource usage. */
        own_work(units);
    }
    unlock_all();
}

/* Kinds of thread_selfcounts (bsd/sys/resource_private.h): THSC_CPI is
 * simulated; 2 to 6 exist but are not. */
#define THSC_CPI 1u

int thread_selfcounts(uint32_t kind, void *dst, size_t size)
{
    lock_all();
    int err = cfg.error[0] ? ENODEV : 0;
    if (!err) {
        unsigned long nth = ++k.selfcounts_calls;
        if (cfg.selfcounts_fail_err && (cfg.selfcounts_fail_nth == 0 || cfg.selfcounts_fail_nth == nth))
            err = cfg.selfcounts_fail_err;
    }
    if (!err && kind != THSC_CPI)
        err = ENOTSUP;
    if (!err && !dst)
        err = EFAULT;
    if (!err) {
        /* The call is work of one read, like a kpc read; then the copy-out
         * of MIN(sizeof, size) bytes. */
        own_work(read_units);
        uint64_t counts[2] = {self.own_instructions, self.own_cycles};
        memcpy(dst, counts, size < sizeof counts ? size : sizeof counts);
    }
    unlock_all();
    if (!err)
        return 0;
    errno = err;
    return -1;
}

void kpmc_sim_set_cpu(unsigned cpu)
{
    sim_cpu_set_self(cpu);
}
