/* The simulated kernel behind the kpc_* functions (model in kpmc_sim.h). */
#include "kpmc_sim.h"
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
#define PMU_INTEL_V3 1u
#define PMU_ARM_APPLE 2u
#define MAX_COUNTERS KPMC_SIM_MAX_COUNTERS

static pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;
static struct sim_config cfg;

/* The simulated kernel; everything indexed by global counter index. */
static struct {
    uint32_t counting;
    uint32_t thread_counting;
    unsigned thread_count; /* buffer size fixed by kpc_set_thread_counting */
    int force;             /* forced by us (cfg.force_held: by another task) */
    uint64_t word[MAX_COUNTERS];
    uint64_t period[MAX_COUNTERS];
    uint32_t actionid[MAX_COUNTERS];
    uint64_t cpu[MAX_COUNTERS];
    unsigned long calls, failed_calls, set_config_calls;
    unsigned long fn_calls[SIM_FN_COUNT];
    /* Bumped whenever thread counting is switched on; a thread whose epoch
     * differs restarts its counters at 0. */
    unsigned long thread_epoch;
} k;

/* Per-read advance: 1, or 0 with KPMC_SIM_READ_STEP=0 (only simulated
 * work counts). */
static uint64_t read_units = 1;

static _Thread_local struct {
    unsigned long epoch;
    long pid; /* a forked child's thread is a new thread */
    uint64_t ctr[MAX_COUNTERS];
} self;

/* This image's process: a forked child starts its usage afresh. */
static pid_t image_pid;

/* ---- counters and classes ---- */

static unsigned popcount(uint32_t m)
{
    unsigned n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

static int forced(void)
{
    return k.force || cfg.force_held;
}

static uint32_t pmc_mask(void)
{
    uint32_t m = cfg.config_counters;
    if (!forced())
        m &= ~cfg.power_counters;
    return m;
}

static unsigned counter_count(uint32_t classes)
{
    return ((classes & CLASS_FIXED) ? popcount(cfg.fixed_counters) : 0) +
           ((classes & CLASS_CONFIGURABLE) ? popcount(pmc_mask()) : 0);
}

/* Words before the configurable ones: the x86_64 FIXED word. */
static unsigned fixed_words(uint32_t classes)
{
    return (classes & CLASS_FIXED) && cfg.arch == KPMC_ARCH_X86_64 ? 1 : 0;
}

static unsigned config_count(uint32_t classes)
{
    return fixed_words(classes) +
           ((classes & CLASS_CONFIGURABLE) ? popcount(pmc_mask()) : 0);
}

static unsigned append_bits(uint32_t m, unsigned *idx, unsigned n)
{
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        if (m >> c & 1)
            idx[n++] = c;
    return n;
}

/* The counters of `classes` in buffer order (§3); returns how many. */
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

/* How much counter c advances per read while its class counts. */
static uint64_t step(unsigned c)
{
    if (is_fixed(c))
        return (uint64_t)(popcount(cfg.fixed_counters & ((1u << c) - 1)) + 1) * KPMC_SIM_FIXED_STEP;
    return k.word[c];
}

/* Advance the counters of layout idx[0..n) whose class is in `active`. */
static void advance(uint64_t *ctr, const unsigned *idx, unsigned n, uint32_t active, uint64_t units)
{
    for (unsigned i = 0; i < n; i++)
        if (active & (is_fixed(idx[i]) ? CLASS_FIXED : CLASS_CONFIGURABLE))
            ctr[idx[i]] += units * step(idx[i]);
}

static int selector_known(uint64_t word)
{
    unsigned sel = (unsigned)(word & 0xffff);
    for (size_t i = 0; i < cfg.n_events; i++) {
        kpmc_event_info ev;
        if (kpmc_event_get(cfg.db, (unsigned)i, &ev) != 0 || !(ev.has & KPMC_HAS_NUMBER))
            continue;
        unsigned s = cfg.arch == KPMC_ARCH_X86_64 ? ev.number | ev.umask << 8 : ev.number;
        if ((s & 0xffff) == sel)
            return 1;
    }
    return 0;
}

static void set_thread_counting_locked(uint32_t classes)
{
    unsigned n = counter_count(classes);
    if (n == 0) {
        k.thread_counting = 0;
        k.thread_count = 0;
        return;
    }
    if (k.thread_counting == 0)
        k.thread_epoch++;
    k.thread_counting = classes;
    k.thread_count = n;
}

/* Read the environment and start from the initial state. */
static void load(void)
{
    sim_config_load(&cfg);
    unsigned long epoch = k.thread_epoch;
    memset(&k, 0, sizeof k);
    k.thread_epoch = epoch + 1;
    loaded = 1;
    const char *rs = getenv("KPMC_SIM_READ_STEP");
    read_units = rs && !strcmp(rs, "0") ? 0 : 1;
    if (!cfg.error[0] && sim_shared_attach(sizeof k, cfg.error, sizeof cfg.error) != 0)
        fprintf(stderr, "kpmc_sim: %s\n", cfg.error);
    if (cfg.error[0]) {
        fprintf(stderr, "kpmc_sim: %s\n", cfg.error);
        return;
    }
}

/* ---- call bookkeeping ---- */

/* Start a kpc call: lock, load the environment the first time, count the
 * call; returns the errno the call must fail with before doing anything
 * (an invalid environment, an injected fault, no root), or 0. */
/* Lock the process's state and the machine, taking the shared kernel. */
static void lock_all(void)
{
    pthread_mutex_lock(&sim_lock);
    if (!loaded)
        load();
    if (cfg.error[0])
        return;
    int fresh;
    uint64_t keep_epoch = k.thread_epoch;
    sim_shared_lock(&k, sizeof k, &fresh);
    if (fresh) {
        /* The first process: the kernel as the environment sets it up. */
        memset(&k, 0, sizeof k);
        k.thread_epoch = keep_epoch;
        k.counting = cfg.init_counting & COUNTED_CLASSES;
        k.force = cfg.init_force;
        set_thread_counting_locked(cfg.init_thread_counting);
    }
    if (image_pid != getpid()) {
        image_pid = getpid();
        sim_usage_new_image();
    }
    if (self.pid != (long)getpid()) {
        memset(&self, 0, sizeof self);
        self.pid = (long)getpid();
        self.epoch = k.thread_epoch;
    }
}

static void unlock_all(void)
{
    if (!cfg.error[0])
        sim_shared_unlock(&k, sizeof k);
    pthread_mutex_unlock(&sim_lock);
}

static int enter(enum sim_fn fn, int needs_root)
{
    lock_all();
    k.calls++;
    unsigned long nth = ++k.fn_calls[fn];
    if (cfg.error[0])
        return ENODEV;
    for (size_t i = 0; i < cfg.n_faults; i++)
        if (cfg.faults[i].fn == fn && cfg.faults[i].nth == nth)
            return cfg.faults[i].err;
    if (needs_root && cfg.noroot)
        return EPERM;
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
        k.counting = classes & COUNTED_CLASSES;
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
    if (!err)
        set_thread_counting_locked(classes);
    return leave(err);
}

uint32_t kpc_get_thread_counting(void)
{
    int err = enter(SIM_FN_get_thread_counting, 1);
    return leave_u32(err, k.thread_counting, 0xFFFFFFFFu);
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
            cfgbuf[i] = k.word[idx[i]];
    }
    return leave(err);
}

int kpc_set_config(uint32_t classes, uint64_t *cfgbuf)
{
    int err = enter(SIM_FN_set_config, 1);
    if (!err && (classes & CLASS_POWER))
        err = EPERM;
    err = check_transfer(err, config_count(classes), cfgbuf);
    unsigned idx[MAX_COUNTERS];
    unsigned n = 0;
    const uint64_t *words = cfgbuf ? cfgbuf + fixed_words(classes) : NULL;
    if (!err) {
        n = layout(classes & CLASS_CONFIGURABLE, idx);
        for (unsigned i = 0; i < n && !err; i++)
            if (cfg.strict && words[i] != 0 && !selector_known(words[i]))
                err = EPERM;
    }
    if (!err) {
        for (unsigned i = 0; i < n; i++)
            k.word[idx[i]] = cfg.arch == KPMC_ARCH_X86_64 ? words[i] & X86_CONFIG_KEEP : words[i];
        k.set_config_calls++;
    }
    return leave(err);
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
            if (c == cur)
                advance(ctr, idx, n, classes & k.counting, read_units);
            for (unsigned i = 0; i < n; i++)
                *buf++ = ctr[idx[i]];
        }
        if (curcpu)
            *curcpu = (int)cur;
    }
    return leave(err);
}

int kpc_get_thread_counters(uint32_t tid, uint32_t buf_count, uint64_t *buf)
{
    int err = enter(SIM_FN_get_thread_counters, 1);
    if (!err && (tid != 0 || k.thread_counting == 0 || buf_count < k.thread_count))
        err = EINVAL;
    if (!err && !buf)
        err = EFAULT;
    if (!err) {
        if (self.epoch != k.thread_epoch) {
            memset(self.ctr, 0, sizeof self.ctr);
            self.epoch = k.thread_epoch;
        }
        unsigned idx[MAX_COUNTERS];
        unsigned n = layout(k.thread_counting, idx);
        if (n > k.thread_count)
            n = k.thread_count;
        advance(self.ctr, idx, n, k.counting & k.thread_counting, read_units);
        for (unsigned i = 0; i < k.thread_count; i++)
            buf[i] = i < n ? self.ctr[idx[i]] : 0;
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

int kpc_force_all_ctrs_set(int val)
{
    int err = enter(SIM_FN_force_all_ctrs_set, 1);
    if (!err && cfg.force_held)
        err = EACCES;
    if (!err)
        k.force = val != 0;
    return leave(err);
}

int kpc_force_all_ctrs_get(int *val)
{
    int err = enter(SIM_FN_force_all_ctrs_get, 1);
    if (!err && !val)
        err = EFAULT;
    if (!err)
        *val = forced();
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
        out->counting = k.counting;
        out->thread_counting = k.thread_counting;
        out->force_all = forced();
        out->n_fixed = popcount(cfg.fixed_counters);
        unsigned idx[MAX_COUNTERS];
        out->n_config = append_bits(cfg.config_counters, idx, 0);
        for (unsigned i = 0; i < out->n_config; i++)
            out->config[i] = k.word[idx[i]];
        out->calls = k.calls;
        out->failed_calls = k.failed_calls;
        out->set_config_calls = k.set_config_calls;
    }
    unlock_all();
    return ok ? 0 : -1;
}

void kpmc_sim_reset(void)
{
    pthread_mutex_lock(&sim_lock);
    load();
    pthread_mutex_unlock(&sim_lock);
    lock_all();
    if (!cfg.error[0]) {
        sim_shared_clear();
        unsigned long epoch = k.thread_epoch;
        memset(&k, 0, sizeof k);
        k.thread_epoch = epoch + 1;
        k.counting = cfg.init_counting & COUNTED_CLASSES;
        k.force = cfg.init_force;
        set_thread_counting_locked(cfg.init_thread_counting);
    }
    unlock_all();
}

/* The fixed counter that counts cycles (instructions): the one of the
 * database's Cycles (Instructions) alias on arm64, of CORE_ACTIVE_CYCLE
 * (INST_ALL) on x86_64; step 0 when there is none. */
static uint64_t fixed_step_of(const char *const *names)
{
    for (; *names; names++) {
        int ev = kpmc_event_find(cfg.db, *names);
        kpmc_event_info info;
        if (ev >= 0 && kpmc_event_get(cfg.db, (unsigned)ev, &info) == 0 && (info.has & KPMC_HAS_FIXED_COUNTER)) {
            unsigned c = 0;
            for (uint32_t m = cfg.fixed_counters, i = 0; m; m &= m - 1, i++)
                if (i == info.fixed_counter) {
                    c = (unsigned)__builtin_ctz(m);
                    return step(c);
                }
        }
    }
    return 0;
}

void kpmc_sim_work(uint64_t units)
{
    lock_all();
    if (!cfg.error[0]) {
        unsigned idx[MAX_COUNTERS];
        /* The thread's counters, while thread counting is on. */
        if (k.thread_counting) {
            if (self.epoch != k.thread_epoch) {
                memset(self.ctr, 0, sizeof self.ctr);
                self.epoch = k.thread_epoch;
            }
            unsigned n = layout(k.thread_counting, idx);
            advance(self.ctr, idx, n, k.counting & k.thread_counting, units);
        }
        /* The CPU's, for what counts. */
        unsigned n = layout(COUNTED_CLASSES, idx);
        advance(sim_cpu_counters(sim_cpu_self()), idx, n, k.counting, units);
        /* The process's resource usage, whatever kpc does. */
        static const char *const cycles[] = {"Cycles", "CORE_ACTIVE_CYCLE", NULL};
        static const char *const instructions[] = {"Instructions", "INST_ALL", NULL};
        sim_usage_add(units * fixed_step_of(cycles), units * fixed_step_of(instructions),
                      sim_cpu_level(sim_cpu_self()) == 0);
    }
    unlock_all();
}

void kpmc_sim_set_cpu(unsigned cpu)
{
    sim_cpu_set_self(cpu);
}
