/* Tests of the simulated kperf.framework (tests/sim/kpmc_sim.h).
 *
 * The simulator is loaded the way the runtime loads kperf.framework: dlopen
 * by path, every kpc_* function through dlsym.  Expected values are worked
 * out by hand from XNU's kpc sources (the kernels of kpmc_sim.h:
 * bsd/kern/kern_kpc.c, osfmk/kern/kpc_thread.c, osfmk/arm64/kpc.c,
 * osfmk/x86_64/kpc_x86.c and, for cpc, kpc_common.c and cpc*.c),
 * docs/kpc.md (§2 counter counts and power counters, §3 order of
 * values and words) and the kpep plists; the "allcounts" case recomputes
 * them for every database from the catalog's masks with its own loop.
 * Counting model: a counter counts its base in user mode and twice it in
 * kernel mode, each in the modes it counts; fixed counter i's base is
 * (i + 1) * 1000, a configurable counter's its selector.
 *
 * Usage: test_sim CASE   (one CTest case per CASE, see main()).
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/catalog.h>

#include "check.h"
#include "sim/kpmc_sim.h"

#ifndef KPMC_SIM_PATH
#error "KPMC_SIM_PATH must name libkpmc_sim"
#endif

#define FIXED 0x1u
#define CONF 0x2u
#define POWER 0x4u
#define RAWPMU 0x8u
#define FC (FIXED | CONF)
#define STEP KPMC_SIM_FIXED_STEP
/* One read of fixed counter i (user and kernel: three times its base). */
#define FIX(i) (3ull * ((i) + 1) * STEP)

/* ---- the simulator, through dlsym ---- */

static struct {
    int (*cpu_string)(char *, size_t);
    uint32_t (*pmu_version)(void);
    int (*set_counting)(uint32_t);
    uint32_t (*get_counting)(void);
    int (*set_thread_counting)(uint32_t);
    uint32_t (*get_thread_counting)(void);
    uint32_t (*get_config_count)(uint32_t);
    uint32_t (*get_counter_count)(uint32_t);
    int (*get_config)(uint32_t, uint64_t *);
    int (*set_config)(uint32_t, uint64_t *);
    int (*get_cpu_counters)(bool, uint32_t, int *, uint64_t *);
    int (*get_thread_counters)(uint32_t, uint32_t, uint64_t *);
    int (*set_period)(uint32_t, uint64_t *);
    int (*get_period)(uint32_t, uint64_t *);
    int (*set_actionid)(uint32_t, uint32_t *);
    int (*get_actionid)(uint32_t, uint32_t *);
    int (*force_all_ctrs_set)(int);
    int (*force_all_ctrs_get)(int *);
    int (*sw_inc)(int);
    int (*get_state)(struct kpmc_sim_state *);
    void (*reset)(void);
    void (*thread_begin)(void);
} K;

static int load_symbol(void *h, const char *name, void *fnptr, size_t size)
{
    void *p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "test_sim: %s: no symbol %s\n", KPMC_SIM_PATH, name);
        return -1;
    }
    memcpy(fnptr, &p, size); /* object to function pointer without a cast */
    return 0;
}

static int load_sim(void)
{
    void *h = dlopen(KPMC_SIM_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "test_sim: dlopen %s: %s\n", KPMC_SIM_PATH, dlerror());
        return -1;
    }
    int bad = 0;
#define LOAD(field, name) bad |= load_symbol(h, name, &K.field, sizeof K.field)
    LOAD(cpu_string, "kpc_cpu_string");
    LOAD(pmu_version, "kpc_pmu_version");
    LOAD(set_counting, "kpc_set_counting");
    LOAD(get_counting, "kpc_get_counting");
    LOAD(set_thread_counting, "kpc_set_thread_counting");
    LOAD(get_thread_counting, "kpc_get_thread_counting");
    LOAD(get_config_count, "kpc_get_config_count");
    LOAD(get_counter_count, "kpc_get_counter_count");
    LOAD(get_config, "kpc_get_config");
    LOAD(set_config, "kpc_set_config");
    LOAD(get_cpu_counters, "kpc_get_cpu_counters");
    LOAD(get_thread_counters, "kpc_get_thread_counters");
    LOAD(set_period, "kpc_set_period");
    LOAD(get_period, "kpc_get_period");
    LOAD(set_actionid, "kpc_set_actionid");
    LOAD(get_actionid, "kpc_get_actionid");
    LOAD(force_all_ctrs_set, "kpc_force_all_ctrs_set");
    LOAD(force_all_ctrs_get, "kpc_force_all_ctrs_get");
    LOAD(sw_inc, "kpc_sw_inc");
    LOAD(get_state, "kpmc_sim_get_state");
    LOAD(reset, "kpmc_sim_reset");
    LOAD(thread_begin, "kpmc_sim_thread_begin");
#undef LOAD
    /* The catalog linked into the simulator must stay private to it. */
    if (dlsym(h, "kpmc_db_find")) {
        fprintf(stderr, "test_sim: %s exports kpmc_db_find\n", KPMC_SIM_PATH);
        bad = -1;
    }
    return bad ? -1 : 0;
}

/* ---- checks ---- */

/* expr must fail with `ret` and errno `err`. */
#define FAILS(expr, ret, err)                                                                                          \
    do {                                                                                                               \
        errno = 0;                                                                                                     \
        unsigned long long r_ = (unsigned long long)(expr);                                                            \
        int e_ = errno;                                                                                                \
        check_int(__FILE__, __LINE__, #expr " (return)", (long long)r_, (long long)(ret));                             \
        check_int(__FILE__, __LINE__, #expr " (errno)", e_, (err));                                                    \
    } while (0)
#define OK(expr) CHECK_INT((expr), 0)
#define EQ_ARRAY(got, want, n) eq_array((got), (want), (n), __FILE__, __LINE__, #got)

static void eq_array(const uint64_t *got, const uint64_t *want, size_t n, const char *file,
                     int line, const char *what)
{
    check_count++;
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i]) {
            check_fail(file, line, what, "[%zu] is %llu (0x%llx), expected %llu (0x%llx)", i,
                       (unsigned long long)got[i], (unsigned long long)got[i], (unsigned long long)want[i],
                       (unsigned long long)want[i]);
            return;
        }
}

/* Environment "DB=a14 NOROOT=1" (KPMC_SIM_ prefix implied, every other
 * KPMC_SIM_* variable unset), then kpmc_sim_reset(). */
static void use(const char *spec)
{
    static const char *const vars[] = {"KERNEL", "DB",   "CPU",   "NOROOT", "ALLOWLIST", "KERNEL_COUNTING",
                                       "FORCE_HELD", "BUSY", "FAULT", "INIT"};
    char name[64], buf[512];
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        snprintf(name, sizeof name, "KPMC_SIM_%s", vars[i]);
        unsetenv(name);
    }
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            fprintf(stderr, "test_sim: bad spec %s\n", tok);
            exit(2);
        }
        *eq = '\0';
        snprintf(name, sizeof name, "KPMC_SIM_%s", tok);
        setenv(name, eq + 1, 1);
    }
    K.reset();
}

static struct kpmc_sim_state state(void)
{
    struct kpmc_sim_state s;
    memset(&s, 0xa5, sizeof s);
    CHECK(K.get_state(&s) == 0);
    return s;
}

/* Read the thread counters n times; the last read lands in buf. */
static int read_n(unsigned n, uint32_t count, uint64_t *buf)
{
    for (unsigned i = 0; i < n; i++)
        if (K.get_thread_counters(0, count, buf) != 0)
            return -1;
    return 0;
}

/* ---- cases ---- */

/* Hand values from docs/kpc.md §2 and the plists' masks. */
struct counts {
    const char *db;
    unsigned fixed;       /* popcount(fixed_counters) */
    unsigned conf;        /* configurable, not forced */
    unsigned conf_forced; /* popcount(config_counters) */
    unsigned fixed_words; /* config_count(FIXED): 0 arm64, 1 x86_64 */
    unsigned pmu;         /* kpc_pmu_version: 2 ARM_APPLE, 1 INTEL_V3 */
};

static void check_counts(const struct counts *c, const char *kernel)
{
    char spec[64];
    snprintf(spec, sizeof spec, "KERNEL=%s DB=%s", kernel, c->db);
    use(spec);
    struct kpmc_sim_state s = state();
    CHECK(strcmp(s.db, c->db) == 0);
    CHECK(strcmp(s.kernel, kernel) == 0);
    CHECK_INT(s.n_fixed, c->fixed);
    CHECK_INT(s.n_config, c->conf_forced);
    CHECK_INT(s.n_config_kernel, c->conf_forced);
    CHECK_INT(s.force_all, 0);
    CHECK_INT(K.pmu_version(), c->pmu);
    for (int forced = 0; forced < 2; forced++) {
        unsigned conf = forced ? c->conf_forced : c->conf;
        OK(K.force_all_ctrs_set(forced));
        CHECK_INT(K.get_counter_count(FIXED), c->fixed);
        CHECK_INT(K.get_counter_count(CONF), conf);
        CHECK_INT(K.get_counter_count(FC), c->fixed + conf);
        CHECK_INT(K.get_counter_count(POWER), 0);
        CHECK_INT(K.get_counter_count(RAWPMU), 0);
        CHECK_INT(K.get_counter_count(0), 0);
        CHECK_INT(K.get_config_count(FIXED), c->fixed_words);
        CHECK_INT(K.get_config_count(CONF), conf);
        CHECK_INT(K.get_config_count(FC), c->fixed_words + conf);
    }
    OK(K.force_all_ctrs_set(0));
}

/* Counts and config counts per database (§2, §3); a cpc x86_64 kernel
 * gives half the general-purpose counters. */
static void case_counts(void)
{
    static const struct counts cases[] = {
        {"a7", 2, 3, 6, 0, 2},  /* PMC2-7, 5-7 reserved */
        {"a14", 2, 5, 8, 0, 2}, /* PMC2-9, 5-7 reserved */
        {"a16", 2, 5, 8, 0, 2},
        {"as4", 2, 5, 8, 0, 2},
        {"ivybridge", 3, 4, 4, 1, 1}, /* no power counters */
        {"skylake", 3, 4, 4, 1, 1},
        {"icelake", 4, 8, 8, 1, 1},
    };
    static const char *const kernels[] = {"pre14.4", "14.4", "15"};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            check_counts(&cases[i], kernels[k]);
    /* cpc arm64: as before. */
    for (size_t i = 0; i < 4; i++)
        check_counts(&cases[i], "cpc");
    /* cpc x86_64: half, and force_all_ctrs always reads 1 without a power
     * manager. */
    use("KERNEL=cpc DB=icelake");
    struct kpmc_sim_state s = state();
    CHECK_INT(s.n_config, 8);
    CHECK_INT(s.n_config_kernel, 4);
    CHECK_INT(s.force_all, 1);
    CHECK_INT(K.get_counter_count(CONF), 4);
    CHECK_INT(K.get_counter_count(FC), 8);
    CHECK_INT(K.get_config_count(FC), 5);
    use("KERNEL=cpc DB=skylake");
    CHECK_INT(K.get_counter_count(FC), 5);
    CHECK_INT(K.get_config_count(CONF), 2);
}

/* set_config errors and word placement on arm64. */
static void case_arm64(void)
{
    use("KERNEL=pre14.4 DB=a14");
    uint64_t w[16] = {0};
    FAILS(K.set_config(FIXED, w), -1, EINVAL); /* no word to read */
    FAILS(K.set_config(0, w), -1, EINVAL);
    FAILS(K.set_config(CONF | POWER, w), -1, EPERM);
    FAILS(K.set_config(POWER, w), -1, EPERM);
    FAILS(K.get_config(FIXED, w), -1, EINVAL);
    FAILS(K.set_config(CONF, NULL), -1, EFAULT);
    struct kpmc_sim_state s = state();
    CHECK_INT(s.set_config_calls, 0);
    CHECK_INT(s.failed_calls, 6);

    /* A7 unforced: the words land on PMC2, 3, 4. */
    use("KERNEL=pre14.4 DB=a7");
    uint64_t a7w[3] = {0x2, 0x20011, 0x1};
    OK(K.set_config(CONF, a7w));
    s = state();
    uint64_t want_a7[8] = {0x2, 0x20011, 0x1, 0, 0, 0, 0, 0};
    EQ_ARRAY(s.config, want_a7, 8);
    CHECK_INT(s.set_config_calls, 1);
}

/* x86_64 before cpc: one ignored FIXED word, kernel masking (§3, §4), INT
 * and EN read back while counting. */
static void case_x86(void)
{
    use("KERNEL=15 DB=skylake");
    struct kpmc_sim_state s;
    /* FIXED alone: one word, accepted and ignored. */
    uint64_t fixed_word = 0x333;
    OK(K.set_config(FIXED, &fixed_word));
    s = state();
    CHECK_INT(s.config[0], 0);
    CHECK_INT(s.set_config_calls, 1);

    /* 0x7b00c5 = 0x4300c5 | PC | INT | ANY (bits 19-21); the kernel keeps
     * cfg & 0xffc7ffff. */
    uint64_t w[5] = {0xffffffff, 0x7b00c5, 0x4301c4, 0xff3fffff, 0};
    OK(K.set_config(FC, w));
    s = state();
    uint64_t want[4] = {0x4300c5, 0x4301c4, 0xff07ffff, 0};
    EQ_ARRAY(s.config, want, 4);
    uint64_t got[5];
    memset(got, 0xee, sizeof got);
    OK(K.get_config(FC, got));
    uint64_t want_get[5] = {0, 0x4300c5, 0x4301c4, 0xff07ffff, 0};
    EQ_ARRAY(got, want_get, 5);
    memset(got, 0xee, sizeof got);
    OK(K.get_config(FIXED, got));
    CHECK_INT(got[0], 0);
    CHECK_INT(got[1], 0xeeeeeeeeeeeeeeeeull);
    /* Counting: the kernel sets INT and EN in every PERFEVTSEL. */
    OK(K.set_counting(CONF));
    OK(K.get_config(CONF, got));
    uint64_t want_on[4] = {0x5300c5, 0x5301c4, 0xff57ffff, 0x500000};
    EQ_ARRAY(got, want_on, 4);
    OK(K.set_counting(0));
    /* CONFIGURABLE alone: the first word goes to GP0. */
    uint64_t w2[4] = {0x4300c4, 0, 0, 0x53003c}; /* 0x53: INT set, dropped */
    OK(K.set_config(CONF, w2));
    s = state();
    uint64_t want2[4] = {0x4300c4, 0, 0, 0x43003c};
    EQ_ARRAY(s.config, want2, 4);

    use("KERNEL=14.4 DB=icelake");
    uint64_t iw[9] = {0, 1, 2, 3, 4, 5, 6, 7, 0x3f0008};
    OK(K.set_config(FC, iw));
    s = state();
    uint64_t want_ice[8] = {1, 2, 3, 4, 5, 6, 7, 0x070008};
    EQ_ARRAY(s.config, want_ice, 8);
}

/* x86_64 on cpc: half the counters, words from index 0 whatever the
 * classes, only event, umask and USR/OS reach the hardware, and only while
 * the configurable class counts. */
static void case_x86_cpc(void)
{
    use("KERNEL=cpc DB=skylake");
    uint64_t got[4];
    /* FIXED|CONFIGURABLE: three words read, the FIXED one lands on GP0. */
    uint64_t w[3] = {0xaaaa, 0x4300c5, 0x4301c4};
    OK(K.set_config(FC, w));
    struct kpmc_sim_state s = state();
    uint64_t want[4] = {0xaaaa, 0x4300c5, 0, 0};
    EQ_ARRAY(s.config, want, 4);
    OK(K.get_config(CONF, got));
    CHECK_INT(got[0], 0); /* not on the hardware yet */
    CHECK_INT(got[1], 0);
    OK(K.set_counting(CONF));
    OK(K.get_config(CONF, got));
    CHECK_INT(got[0], 0x53aaaa); /* no USR nor OS: both */
    CHECK_INT(got[1], 0x5300c5);
    /* CMASK 1 + INV (UOPS_ISSUED.STALL_CYCLES as kpmc encodes it) and EDGE:
     * dropped.  A new configuration waits for the next kpc_set_counting. */
    uint64_t w2[2] = {0x01c3010e, 0x0005010e};
    OK(K.set_config(CONF, w2));
    OK(K.get_config(CONF, got));
    CHECK_INT(got[0], 0x53aaaa);
    OK(K.set_counting(CONF));
    OK(K.get_config(CONF, got));
    CHECK_INT(got[0], 0x53010e);
    CHECK_INT(got[1], 0x51010e); /* USR only: user mode only */
    s = state();
    CHECK_INT(s.config[0], 0x01c3010e); /* kpc keeps the words as given */
    /* Counting: fixed counters always; GP0 both modes, GP1 user only. */
    OK(K.set_thread_counting(FC));
    uint64_t buf[5];
    OK(read_n(2, 5, buf));
    uint64_t want_r[5] = {2 * FIX(0), 2 * FIX(1), 2 * FIX(2), 2 * 3 * 0x10e, 2 * 0x10e};
    EQ_ARRAY(buf, want_r, 5);
    /* Counting off: the set leaves the hardware. */
    OK(K.set_counting(FIXED));
    OK(K.get_config(CONF, got));
    CHECK_INT(got[0], 0);
    CHECK_INT(got[1], 0);
    /* No allowlist on x86_64. */
    uint64_t any[2] = {0xffff, 0x1234};
    OK(K.set_config(CONF, any));
}

/* Buffer layouts, thread buffers and the counting model (§3,
 * kpc_thread.c). */
static void case_layout(void)
{
    uint64_t buf[32];

    /* a14 not forced: words land on PMC2, 3, 4, 8, 9.  No mode bits: all
     * modes before 15, read back as A32|A64|EL1 and EL3 (no EL3 on a14,
     * NO_MONITOR: it reads as EL1's). */
    use("KERNEL=14.4 ALLOWLIST=off DB=a14");
    uint64_t w5[5] = {1, 2, 3, 4, 5};
    OK(K.set_config(CONF, w5));
    struct kpmc_sim_state s = state();
    uint64_t want_cfg[8] = {1, 2, 3, 0, 0, 0, 4, 5};
    EQ_ARRAY(s.config, want_cfg, 8);
    uint64_t want_hw[8] = {0xf0001, 0xf0002, 0xf0003, 0, 0, 0, 0xf0004, 0xf0005};
    EQ_ARRAY(s.hw, want_hw, 8);
    uint64_t got5[5];
    OK(K.get_config(FC, got5));
    uint64_t want_got5[5] = {0xf0001, 0xf0002, 0xf0003, 0xf0004, 0xf0005};
    EQ_ARRAY(got5, want_got5, 5);

    /* kpc.counting keeps the classes with counters. */
    OK(K.set_counting(0xF));
    CHECK_INT(K.get_counting(), FC);
    /* No buffer yet. */
    FAILS(K.get_thread_counters(0, 32, buf), -1, EINVAL);
    CHECK_INT(state().thread_has_buffer, 0);
    OK(K.set_thread_counting(FC));
    CHECK_INT(state().thread_has_buffer, 1);
    CHECK_INT(K.get_thread_counting(), FC);
    FAILS(K.get_thread_counters(1, 32, buf), -1, EINVAL);
    /* A buffer one short: the first six values, then ENOMEM (read 1). */
    for (size_t i = 0; i < 32; i++)
        buf[i] = 0x5151;
    FAILS(K.get_thread_counters(0, 6, buf), -1, ENOMEM);
    uint64_t want6[7] = {FIX(0), FIX(1), 3, 6, 9, 12, 0x5151};
    EQ_ARRAY(buf, want6, 7);
    /* NULL: a size probe, which still accumulates (read 2). */
    OK(K.get_thread_counters(0, 7, NULL));
    OK(read_n(1, 32, buf)); /* read 3 */
    uint64_t want7[8] = {3 * FIX(0), 3 * FIX(1), 9, 18, 27, 36, 45, 0x5151};
    EQ_ARRAY(buf, want7, 8); /* seven values, the rest untouched */

    /* Counting only CONFIGURABLE: fixed counters never stop. */
    OK(K.set_counting(CONF));
    OK(read_n(1, 7, buf));
    uint64_t want_c[7] = {4 * FIX(0), 4 * FIX(1), 12, 24, 36, 48, 60};
    EQ_ARRAY(buf, want_c, 7);
    /* Counting nothing: only the fixed counters move. */
    OK(K.set_counting(0));
    OK(read_n(2, 7, buf));
    uint64_t want_n[7] = {6 * FIX(0), 6 * FIX(1), 12, 24, 36, 48, 60};
    EQ_ARRAY(buf, want_n, 7);
    OK(K.set_counting(FC));

    /* Forcing after thread counting was sized keeps the 7-value buffer
     * (§8: force first); its positions now hold PMC0-6. */
    OK(K.force_all_ctrs_set(1));
    uint64_t w8[8] = {10, 20, 30, 40, 50, 60, 70, 80};
    OK(K.set_config(CONF, w8));
    s = state();
    EQ_ARRAY(s.config, w8, 8);
    buf[7] = 0x5151;
    OK(read_n(1, 7, buf));
    uint64_t want_stale[8] = {7 * FIX(0), 7 * FIX(1), 42, 84, 126, 168, 210, 0x5151};
    EQ_ARRAY(buf, want_stale, 8);
    /* Sizing again while forced: ten values; positions 7-9 start at 0. */
    OK(K.set_thread_counting(FC));
    FAILS(K.get_thread_counters(0, 9, buf), -1, ENOMEM);
    OK(read_n(1, 10, buf));
    uint64_t want10[10] = {9 * FIX(0), 9 * FIX(1), 102, 204, 306, 408, 510, 360, 420, 480};
    EQ_ARRAY(buf, want10, 10);
    /* Released again, the 10-slot buffer: positions past the 7-counter
     * layout stay; position 5 and 6 now hold PMC8 and PMC9. */
    OK(K.force_all_ctrs_set(0));
    OK(read_n(1, 10, buf));
    uint64_t want_rel[10] = {10 * FIX(0), 10 * FIX(1), 132, 264, 396, 618, 750, 360, 420, 480};
    EQ_ARRAY(buf, want_rel, 10);

    /* Thread counting off: reads still work, on the last classes. */
    OK(K.set_thread_counting(0));
    CHECK_INT(K.get_thread_counting(), 0);
    OK(read_n(1, 10, buf));
    uint64_t want_off[10] = {11 * FIX(0), 11 * FIX(1), 162, 324, 486, 828, 990, 360, 420, 480};
    EQ_ARRAY(buf, want_off, 10);
    /* On again for CONFIGURABLE, forced: the accumulators are never
     * zeroed; positions 0-7 now hold PMC2-9. */
    OK(K.force_all_ctrs_set(1));
    OK(K.set_thread_counting(CONF));
    OK(read_n(1, 8, buf));
    uint64_t want_conf[8] = {11 * FIX(0) + 30, 11 * FIX(1) + 60, 252, 444, 636, 1008, 1200, 600};
    EQ_ARRAY(buf, want_conf, 8);
    /* Thread counting of a class without counters switches it off. */
    OK(K.set_thread_counting(POWER));
    CHECK_INT(K.get_thread_counting(), 0);
    CHECK_INT(state().thread_counting_calls, 5);

    /* skylake: three fixed counters, then GP0-3; a zero word counts
     * nothing, USR|OS both modes. */
    use("KERNEL=15 DB=skylake");
    uint64_t sw[5] = {0, 0x4300c5, 0x4301c4, 0, 0x43003c};
    OK(K.set_config(FC, sw));
    OK(K.set_counting(FC));
    OK(K.set_thread_counting(FC));
    OK(read_n(2, 7, buf));
    uint64_t want_sky[7] = {2 * FIX(0), 2 * FIX(1), 2 * FIX(2), 6 * 0xc5, 6 * 0x1c4, 0, 6 * 0x3c};
    EQ_ARRAY(buf, want_sky, 7);

    /* icelake: four fixed, eight GP; user-only words.  Thread counting found
     * on gives this thread no buffer. */
    use("KERNEL=15 DB=icelake INIT=3:3:0");
    uint64_t iw[9] = {0, 0x10001, 0x10002, 0x10003, 0x10004, 0x10005, 0x10006, 0x10007, 0x10008};
    OK(K.set_config(FC, iw));
    FAILS(K.get_thread_counters(0, 12, buf), -1, EINVAL);
    OK(K.set_thread_counting(FC));
    OK(read_n(1, 12, buf));
    uint64_t want_ice[12] = {FIX(0), FIX(1), FIX(2), FIX(3), 1, 2, 3, 4, 5, 6, 7, 8};
    EQ_ARRAY(buf, want_ice, 12);

    /* CPU counters: the same layout, advanced per call; the fixed counters
     * even when not counting. */
    use("KERNEL=14.4 ALLOWLIST=off DB=a14");
    OK(K.set_config(CONF, w5));
    int cpu = -1;
    FAILS(K.get_cpu_counters(false, 0, &cpu, buf), -1, EINVAL);
    FAILS(K.get_cpu_counters(false, FC, &cpu, NULL), -1, EFAULT);
    OK(K.get_cpu_counters(false, FC, &cpu, buf));
    CHECK_INT(cpu, 0);
    uint64_t want_idle[7] = {FIX(0), FIX(1), 0, 0, 0, 0, 0};
    EQ_ARRAY(buf, want_idle, 7);
    OK(K.set_counting(FC));
    OK(K.get_cpu_counters(true, FC, NULL, buf));
    OK(K.get_cpu_counters(false, FC, &cpu, buf));
    uint64_t want_cpu[7] = {3 * FIX(0), 3 * FIX(1), 6, 12, 18, 24, 30};
    EQ_ARRAY(buf, want_cpu, 7);
    OK(K.get_cpu_counters(false, CONF, &cpu, buf));
    uint64_t want_cpu_c[5] = {9, 18, 27, 36, 45};
    EQ_ARRAY(buf, want_cpu_c, 5);
    /* Thread counters are separate from the CPU's. */
    OK(K.set_thread_counting(FC));
    OK(read_n(1, 7, buf));
    uint64_t want_t1[7] = {FIX(0), FIX(1), 3, 6, 9, 12, 15};
    EQ_ARRAY(buf, want_t1, 7);
}

/* What each kernel does with the mode bits of arm64 words: read back and
 * counted (four words on PMC2-5, forced). */
struct modes_case {
    const char *spec;
    uint64_t back[4];    /* kpc_get_config while counting */
    uint64_t per_read[4];
};

static void check_modes(const struct modes_case *c)
{
    use(c->spec);
    /* 0x8c none (all modes), 0x8d EL0A32|EL0A64, 0x2 EL1 only, 0xcb EL0A32 only */
    uint64_t w[8] = {0x8c, 0x3008d, 0x40002, 0x100cb, 0, 0, 0, 0};
    OK(K.force_all_ctrs_set(1));
    OK(K.set_config(CONF, w));
    OK(K.set_counting(CONF));
    OK(K.set_thread_counting(CONF));
    uint64_t got[8], buf[8];
    OK(K.get_config(CONF, got));
    uint64_t zero4[4] = {0};
    EQ_ARRAY(got, c->back, 4);
    EQ_ARRAY(got + 4, zero4, 4);
    OK(read_n(1, 8, buf));
    EQ_ARRAY(buf, c->per_read, 4);
}

static void case_modes(void)
{
    static const struct modes_case cases[] = {
        /* Before 15: each bit honoured; none is all modes. */
        {"KERNEL=pre14.4 DB=a14", {0xf008c, 0x3008d, 0xc0002, 0x100cb}, {3 * 0x8c, 0x8d, 2 * 0x2, 0xcb}},
        {"KERNEL=14.4 DB=a14", {0xf008c, 0x3008d, 0xc0002, 0x100cb}, {3 * 0x8c, 0x8d, 2 * 0x2, 0xcb}},
        /* 15: EL1 ignored, none is EL0A64, EL0A32 masked out. */
        {"KERNEL=15 DB=a14", {0x2008c, 0x2008d, 0x20002, 0xcb}, {0x8c, 0x8d, 0x2, 0}},
        {"KERNEL=15 KERNEL_COUNTING=1 DB=a14", {0xf008c, 0x3008d, 0xc0002, 0x100cb}, {3 * 0x8c, 0x8d, 2 * 0x2, 0xcb}},
        /* cpc, secure: EL0 only, read back as EL0A64. */
        {"KERNEL=cpc DB=a14", {0x2008c, 0x2008d, 0x20002, 0x200cb}, {0x8c, 0x8d, 0x2, 0xcb}},
        /* cpc, insecure: EL1 reads back as EL1|EL3. */
        {"KERNEL=cpc KERNEL_COUNTING=1 DB=a14", {0xe008c, 0x2008d, 0xc0002, 0x200cb}, {3 * 0x8c, 0x8d, 2 * 0x2, 0xcb}},
        {"KERNEL=cpc ALLOWLIST=off DB=a14", {0xe008c, 0x2008d, 0xc0002, 0x200cb}, {3 * 0x8c, 0x8d, 2 * 0x2, 0xcb}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_modes(&cases[i]);

    /* a7 (EL3 exists): EL0A64 also reads as EL3; an EL3 bit alone enables
     * EL0A64 (PMCR1_EL3_A64_ENABLE_MASK). */
    use("KERNEL=14.4 ALLOWLIST=off DB=a7");
    OK(K.force_all_ctrs_set(1));
    uint64_t a7[6] = {0x30002, 0x2, 0x80003, 0x10004, 0, 0};
    OK(K.set_config(CONF, a7));
    uint64_t got[6];
    OK(K.get_config(CONF, got));
    uint64_t want_a7[6] = {0xb0002, 0xf0002, 0xa0003, 0x10004, 0, 0};
    EQ_ARRAY(got, want_a7, 6);

    /* cpc: the hardware gets the configuration when counting starts and
     * keeps only the selectors when it stops. */
    use("KERNEL=cpc DB=a14");
    uint64_t w[5] = {0x8c, 0x3008d, 0, 0, 0};
    OK(K.set_config(CONF, w)); /* forces by itself: eight words, three read as 0 */
    CHECK_INT(state().force_owned, 1);
    uint64_t g[8];
    OK(K.get_config(CONF, g));
    CHECK_INT(g[0], 0);
    OK(K.set_counting(FC));
    OK(K.get_config(CONF, g));
    CHECK_INT(g[0], 0x2008c);
    CHECK_INT(g[1], 0x2008d);
    OK(K.set_counting(FIXED));
    OK(K.get_config(CONF, g));
    CHECK_INT(g[0], 0x8c);
    CHECK_INT(g[1], 0x8d);
}

/* Threads: each has its own buffer, given by kpc_set_thread_counting on
 * that thread or at creation while thread counting is on. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int open;
};

static void gate_wait(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void gate_open(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

struct reader {
    struct gate *start;
    int created;  /* calls kpmc_sim_thread_begin first */
    int own;      /* calls kpc_set_thread_counting itself */
    unsigned reads;
    uint64_t last[10];
    int err, has_buffer;
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    if (r->created)
        K.thread_begin();
    gate_wait(r->start);
    if (r->own)
        r->err |= K.set_thread_counting(FC);
    r->has_buffer = state().thread_has_buffer;
    errno = 0;
    r->err |= read_n(r->reads, 10, r->last);
    if (r->err)
        r->err = errno;
    return NULL;
}

static void case_threads(void)
{
    use("KERNEL=14.4 ALLOWLIST=off DB=a14 INIT=3:0:1");
    uint64_t w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    OK(K.set_config(CONF, w));
    /* A thread that exists before thread counting is switched on. */
    struct gate early = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    struct reader old = {&early, 0, 0, 1, {0}, 0, 0};
    pthread_t t_old;
    CHECK(pthread_create(&t_old, NULL, reader_main, &old) == 0);
    /* Created before, but it switches thread counting on itself. */
    struct reader own = {&early, 0, 1, 4, {0}, 0, 0};
    pthread_t t_own;
    CHECK(pthread_create(&t_own, NULL, reader_main, &own) == 0);
    OK(K.set_thread_counting(FC));
    uint64_t mine[10];
    OK(read_n(3, 10, mine));

    /* Threads created now, while thread counting is on. */
    struct gate start = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    struct reader r[2] = {{&start, 1, 0, 500, {0}, 0, 0}, {&start, 1, 0, 300, {0}, 0, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, reader_main, &r[i]) == 0);
    gate_open(&start);
    gate_open(&early);
    for (int i = 0; i < 50; i++)
        CHECK(read_n(1, 10, mine) == 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_join(t_old, NULL);
    pthread_join(t_own, NULL);

    /* Each thread's counters started at 0 and moved only with its own reads. */
    struct reader *all[3] = {&r[0], &r[1], &own};
    for (int i = 0; i < 3; i++) {
        CHECK_INT(all[i]->err, 0);
        CHECK_INT(all[i]->has_buffer, 1);
        uint64_t n = all[i]->reads;
        uint64_t want[10] = {n * FIX(0), n * FIX(1), 3 * n, 6 * n, 9 * n, 12 * n, 15 * n, 18 * n, 21 * n, 24 * n};
        EQ_ARRAY(all[i]->last, want, 10);
    }
    CHECK_INT(old.has_buffer, 0);
    CHECK_INT(old.err, EINVAL);
    uint64_t want_main[10] = {53 * FIX(0), 53 * FIX(1), 159, 318, 477, 636, 795, 954, 1113, 1272};
    EQ_ARRAY(mine, want_main, 10);
    CHECK_INT(state().calls, 1 + 1 + 1 + 3 + 500 + 300 + 4 + 50 + 1);

    /* Created while thread counting is off: no buffer. */
    use("KERNEL=14.4 DB=a14");
    K.thread_begin();
    CHECK_INT(state().thread_has_buffer, 0);
    use("KERNEL=14.4 DB=a14 INIT=3:3:0");
    K.thread_begin();
    CHECK_INT(state().thread_has_buffer, 1);
    CHECK_INT(state().calls, 0);
}

/* Every call that needs root (all but cpu_string, get_config_count and
 * get_counter_count) fails with err and writes nothing. */
static void gated_calls_fail(int err)
{
    uint64_t b[16];
    uint32_t a[16];
    int v = 7, cpu = 7;
    for (int i = 0; i < 16; i++)
        b[i] = a[i] = 7;
    FAILS(K.pmu_version(), 0, err);
    FAILS(K.set_counting(FC), -1, err);
    FAILS(K.get_counting(), 0, err);
    FAILS(K.set_thread_counting(FC), -1, err);
    FAILS(K.get_thread_counting(), 0xFFFFFFFFu, err);
    FAILS(K.get_config(CONF, b), -1, err);
    FAILS(K.set_config(CONF, b), -1, err);
    FAILS(K.get_cpu_counters(false, FC, &cpu, b), -1, err);
    FAILS(K.get_thread_counters(0, 16, b), -1, err);
    FAILS(K.set_period(CONF, b), -1, err);
    FAILS(K.get_period(CONF, b), -1, err);
    FAILS(K.set_actionid(CONF, a), -1, err);
    FAILS(K.get_actionid(CONF, a), -1, err);
    FAILS(K.force_all_ctrs_set(1), -1, err);
    FAILS(K.force_all_ctrs_get(&v), -1, err);
    FAILS(K.sw_inc(1), -1, err);
    CHECK_INT(v, 7);
    CHECK_INT(cpu, 7);
    for (int i = 0; i < 16; i++) {
        CHECK_INT(b[i], 7);
        CHECK_INT(a[i], 7);
    }
}

/* Without root every call fails with EPERM but the three informational ones. */
static void case_noroot(void)
{
    use("DB=a14 NOROOT=1");
    char s[64];
    gated_calls_fail(EPERM);
    /* Not gated. */
    errno = 0;
    CHECK_INT(K.get_counter_count(FC), 7);
    CHECK_INT(K.get_config_count(FC), 5);
    CHECK_INT(K.cpu_string(s, sizeof s), strlen("cpu_100000c_2_1b588bb3"));
    CHECK_INT(errno, 0);
    struct kpmc_sim_state st = state();
    CHECK_INT(st.calls, 19);
    CHECK_INT(st.failed_calls, 16);
    CHECK_INT(st.counting, 0);
    CHECK_INT(st.force_all, 0);
    CHECK_INT(st.set_config_calls, 0);
}

/* Another client uses the counters: every kpc request answers EBUSY, after
 * the root check; kpc_cpu_string is no kpc request. */
static void case_busy(void)
{
    static const char *const kernels[] = {"KERNEL=pre14.4 DB=a14 BUSY=1", "KERNEL=cpc DB=a14 BUSY=1"};
    for (size_t k = 0; k < 2; k++) {
        use(kernels[k]);
        gated_calls_fail(EBUSY);
        FAILS(K.get_counter_count(FC), 0, EBUSY);
        FAILS(K.get_config_count(FC), 0, EBUSY);
        char s[64];
        CHECK_INT(K.cpu_string(s, sizeof s), 22);
    }
    use("DB=a14 BUSY=1 NOROOT=1");
    gated_calls_fail(EPERM);
    FAILS(K.get_counter_count(FC), 0, EBUSY);
}

/* The selector allowlist (14.4 and later, arm64; osfmk/arm64/kpc.c,
 * cpc_arm64_events.c, and for cpc kpc_common.c _validate_kpc_config). */
static void case_allowlist(void)
{
    static const char *const listed[] = {"KERNEL=14.4 DB=a14 INIT=0:0:1", "KERNEL=15 DB=a14 INIT=0:0:1",
                                         "KERNEL=cpc DB=a14 INIT=0:0:1"};
    for (size_t k = 0; k < 3; k++) {
        use(listed[k]);
        /* a14 selectors: 0x8c INST_ALL, 0x2 CORE_ACTIVE_CYCLE; mode bits and
         * zero words pass. */
        uint64_t good[8] = {0x8c | 0x20000, 0x2, 0, 0, 0x2 | 0x30000, 0, 0, 0xcb};
        OK(K.set_config(CONF, good));
        EQ_ARRAY(state().config, good, 8);
        /* 0x11 is as4's CORE_ACTIVE_CYCLE: not a14's. */
        uint64_t bad[8] = {0x8c, 0x11, 0, 0, 0, 0, 0, 0};
        FAILS(K.set_config(CONF, bad), -1, EPERM);
        EQ_ARRAY(state().config, good, 8); /* nothing stored */
        CHECK_INT(state().set_config_calls, 1);
        /* a16's L1D_CACHE_MISS_LD, 0x5a3: a14's field is 8 bits before
         * cpc, so the kernel checks and programs 0xa3 (a14's
         * L1D_CACHE_MISS_LD); cpc checks all 16 bits. */
        bad[1] = 0x5a3;
        if (k < 2) {
            OK(K.set_config(CONF, bad));
            uint64_t g[8];
            OK(K.get_config(CONF, g));
            CHECK_INT(g[1] & 0xffff, 0xa3);
        } else {
            FAILS(K.set_config(CONF, bad), -1, EPERM);
        }
    }
    /* 16 bits from a16 on; M4 renumbering: 0x2 refused, 0x11 accepted. */
    use("KERNEL=14.4 DB=as4 INIT=0:0:1");
    uint64_t m4[8] = {0x2, 0, 0, 0, 0, 0, 0, 0};
    FAILS(K.set_config(CONF, m4), -1, EPERM);
    m4[0] = 0x11;
    m4[1] = 0x4006; /* L1I_CACHE_MISS_DEMAND, 16 bits */
    OK(K.set_config(CONF, m4));
    m4[1] = 0x14006;
    OK(K.set_config(CONF, m4)); /* mode bits are not the selector */
    m4[1] = 0x4106;
    FAILS(K.set_config(CONF, m4), -1, EPERM);

    /* A SoC missing from the kernel's list: only selector 0. */
    use("KERNEL=15 DB=a14 ALLOWLIST=none INIT=0:0:1");
    uint64_t z[8] = {0, 0, 0x30000, 0, 0, 0, 0, 0};
    OK(K.set_config(CONF, z));
    z[0] = 0x2;
    FAILS(K.set_config(CONF, z), -1, EPERM);
    /* A list given by the test. */
    use("KERNEL=14.4 DB=a14 ALLOWLIST=0x8c,2 INIT=0:0:1");
    uint64_t l[8] = {0x8c, 0x2, 0, 0, 0, 0, 0, 0};
    OK(K.set_config(CONF, l));
    l[2] = 0x8d;
    FAILS(K.set_config(CONF, l), -1, EPERM);
    /* No list: before 14.4, or switched off. */
    static const char *const open_kernels[] = {"KERNEL=pre14.4 DB=a14", "KERNEL=14.4 ALLOWLIST=off DB=a14",
                                               "KERNEL=cpc KERNEL_COUNTING=1 DB=a14"};
    for (size_t k = 0; k < 3; k++) {
        use(open_kernels[k]);
        uint64_t any[5] = {0x5a3, 0xffff, 0x11, 0, 0};
        OK(K.set_config(CONF, any));
    }
    /* cpc refuses after forcing by itself. */
    use("KERNEL=cpc DB=a14");
    uint64_t bad5[5] = {0x11, 0, 0, 0, 0};
    FAILS(K.set_config(CONF, bad5), -1, EPERM);
    CHECK_INT(state().force_owned, 1);
    CHECK_INT(K.get_counter_count(CONF), 8);
}

/* KPMC_SIM_FAULT in all its forms. */
static void case_faults(void)
{
    uint64_t w[8] = {1, 2, 3, 4, 5, 0, 0, 0};
    struct kpmc_sim_state s;

    /* By name, the second call only; the failed call changes nothing. */
    use("KERNEL=pre14.4 DB=a14 FAULT=kpc_set_config:2:EBUSY");
    OK(K.set_config(CONF, w));
    uint64_t w2[5] = {9, 9, 9, 9, 9};
    FAILS(K.set_config(CONF, w2), -1, EBUSY);
    s = state();
    CHECK_INT(s.config[0], 1);
    CHECK_INT(s.set_config_calls, 1);
    CHECK_INT(s.failed_calls, 1);
    OK(K.set_config(CONF, w2));
    CHECK_INT(state().config[0], 9);

    /* Numeric errno, function name without the kpc_ prefix. */
    use("KERNEL=pre14.4 DB=a14 FAULT=set_counting:1:5");
    FAILS(K.set_counting(FC), -1, 5);
    CHECK_INT(K.get_counting(), 0);
    OK(K.set_counting(FC));
    CHECK_INT(K.get_counting(), FC);

    /* Several faults; each function's own error value. */
    use("KERNEL=pre14.4 DB=a14 INIT=3:3:0 FAULT=get_counting:1:EACCES,get_thread_counting:1:EPERM,"
        "get_config_count:1:EINVAL,get_counter_count:1:EIO,pmu_version:1:ENOMEM,"
        "cpu_string:2:EIO,force_all_ctrs_get:1:EBUSY,force_all_ctrs_get:3:ENOTSUP");
    char str[64];
    int v = 5;
    FAILS(K.get_counting(), 0, EACCES);
    FAILS(K.get_thread_counting(), 0xFFFFFFFFu, EPERM);
    FAILS(K.get_config_count(FC), 0, EINVAL);
    FAILS(K.get_counter_count(FC), 0, EIO);
    FAILS(K.pmu_version(), 0, ENOMEM);
    CHECK_INT(K.cpu_string(str, sizeof str), 22);
    FAILS(K.cpu_string(str, sizeof str), -1, EIO);
    FAILS(K.force_all_ctrs_get(&v), -1, EBUSY);
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 0);
    FAILS(K.force_all_ctrs_get(&v), -1, ENOTSUP);
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(K.get_counting(), FC);
    CHECK_INT(K.get_thread_counting(), FC);
    CHECK_INT(K.get_config_count(FC), 5);
    CHECK_INT(K.get_counter_count(FC), 7);
    CHECK_INT(K.pmu_version(), 2);
    s = state();
    CHECK_INT(s.failed_calls, 8);
    CHECK_INT(s.calls, 16);

    /* Faults come before the root check; calls that fail for other reasons
     * still count toward N. */
    use("KERNEL=pre14.4 DB=a14 NOROOT=1 FAULT=set_counting:1:EBUSY");
    FAILS(K.set_counting(FC), -1, EBUSY);
    FAILS(K.set_counting(FC), -1, EPERM);
    use("KERNEL=pre14.4 DB=a14 FAULT=set_config:2:EIO");
    FAILS(K.set_config(FIXED, w), -1, EINVAL);
    FAILS(K.set_config(CONF, w), -1, EIO);
    OK(K.set_config(CONF, w));

    /* Every kpc function can be made to fail, and the state stays. */
    use("KERNEL=pre14.4 DB=a14 INIT=2:2:0 FAULT=pmu_version:1:EIO,set_counting:1:EIO,get_counting:1:EIO,"
        "set_thread_counting:1:EIO,get_thread_counting:1:EIO,get_config:1:EIO,set_config:1:EIO,"
        "get_cpu_counters:1:EIO,get_thread_counters:1:EIO,set_period:1:EIO,get_period:1:EIO,"
        "set_actionid:1:EIO,get_actionid:1:EIO,force_all_ctrs_set:1:EIO,"
        "force_all_ctrs_get:1:EIO,sw_inc:1:EIO");
    gated_calls_fail(EIO);
    s = state();
    CHECK_INT(s.counting, CONF);
    CHECK_INT(s.thread_counting, CONF);
    CHECK_INT(s.force_all, 0);
    CHECK_INT(s.config[0], 0);
    CHECK_INT(s.failed_calls, 16);
    CHECK_INT(s.thread_has_buffer, 0);

    /* A reset restarts the call numbers. */
    use("DB=a14 FAULT=get_counting:1:EBUSY");
    FAILS(K.get_counting(), 0, EBUSY);
    K.reset();
    FAILS(K.get_counting(), 0, EBUSY);
    CHECK_INT(K.get_counting(), 0);

    /* Malformed: every call fails with ENODEV, get_state with -1. */
    static const char *const bad[] = {
        "FAULT=set_config:0:EBUSY", "FAULT=nosuch:1:EIO", "FAULT=set_config:1:EWHAT",
        "FAULT=set_config:1", "FAULT=set_config:1:EIO,", "FAULT=set_config:x:EIO",
        "FAULT=set_config:1:EIO:2", "FAULT=kpc_:1:EIO", "FAULT=set_config:1:0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        struct kpmc_sim_state st;
        CHECK_INT(K.get_state(&st), -1);
        FAILS(K.get_counter_count(FC), 0, ENODEV);
        FAILS(K.set_config(CONF, w), -1, ENODEV);
    }
}

/* The call log. */
static void case_log(void)
{
    use("DB=a14 FAULT=get_counting:1:EIO");
    int v;
    K.force_all_ctrs_get(&v);
    K.get_counting();
    K.get_counter_count(FC);
    struct kpmc_sim_state s = state();
    CHECK(strcmp(s.log, "force_all_ctrs_get get_counting get_counter_count") == 0);
    CHECK_INT(s.log_full, 0);
    K.reset();
    CHECK_INT(state().log[0], 0);
    for (int i = 0; i < 200; i++)
        K.get_counter_count(FC);
    s = state();
    CHECK_INT(s.log_full, 1);
    /* "get_counter_count" and a space, 18 bytes, as often as fits in 2048
     * with the terminating NUL: 113 times, less the last space. */
    CHECK_INT(strlen(s.log), 18 * 113 - 1);
}

/* KPMC_SIM_INIT. */
static void case_init(void)
{
    uint64_t b[16];
    int v = -1;
    use("DB=a14 INIT=3:3:1");
    CHECK_INT(K.get_counting(), 3);
    CHECK_INT(K.get_thread_counting(), 3);
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 1);
    CHECK_INT(K.get_counter_count(CONF), 8);
    /* No thread got a buffer from it; one created now does. */
    FAILS(K.get_thread_counters(0, 10, b), -1, EINVAL);
    K.thread_begin();
    FAILS(K.get_thread_counters(0, 9, b), -1, ENOMEM); /* sized while forced: 10 */
    OK(K.get_thread_counters(0, 10, b));
    CHECK_INT(b[0], 2 * FIX(0));
    CHECK_INT(b[2], 0);

    use("DB=a14 INIT=0x2:0:0");
    CHECK_INT(K.get_counting(), CONF);
    CHECK_INT(K.get_thread_counting(), 0);
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 0);

    use("DB=a14 INIT=7:0xb:0"); /* counting keeps FIXED|CONF; thread counting as given */
    struct kpmc_sim_state s = state();
    CHECK_INT(s.counting, 3);
    CHECK_INT(s.thread_counting, 0xb);
    K.thread_begin();
    OK(K.get_thread_counters(0, 7, b));
    use("DB=a14 INIT=0:4:0"); /* POWER alone has no counters */
    CHECK_INT(K.get_thread_counting(), 0);

    use("DB=a14");
    s = state();
    CHECK_INT(s.counting, 0);
    CHECK_INT(s.thread_counting, 0);
    CHECK_INT(s.force_all, 0);
    uint64_t zero[KPMC_SIM_MAX_COUNTERS] = {0};
    EQ_ARRAY(s.config, zero, KPMC_SIM_MAX_COUNTERS);
    CHECK_INT(s.calls, 0);

    static const char *const bad[] = {"INIT=1:2", "INIT=a:b:c", "INIT=1:2:3:4", "INIT=::", "INIT=-1:0:0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        CHECK_INT(K.get_state(&s), -1);
        FAILS(K.get_counting(), 0, ENODEV);
    }
}

/* kpc_cpu_string: default from the family links (§7) and override. */
static void case_cpu_string(void)
{
    static const struct {
        const char *spec, *want;
    } cases[] = {
        {"DB=a14", "cpu_100000c_2_1b588bb3"},
        {"", "cpu_100000c_2_1b588bb3"},
        {"DB=a7", "cpu_100000c_1_37a09642"},
        {"DB=a12", "cpu_100000c_2_7d34b9f"},
        {"DB=as3", "cpu_100000c_2_5f4dea93"}, /* lowest of its two families */
        {"DB=skylake", "cpu_7_8_37fc219f_9e"},
        {"DB=ivybridge", "cpu_7_4_1f65e835_9e"},
        {"DB=kabylake", "cpu_7_8_f817246_9e"},
        {"DB=a14 CPU=cpu_100000c_2_6f5129ac", "cpu_100000c_2_6f5129ac"},
        {"DB=skylake CPU=cpu_7_8_10b282dc_46", "cpu_7_8_10b282dc_46"},
        {"DB=a14 NOROOT=1", "cpu_100000c_2_1b588bb3"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        use(cases[i].spec);
        memset(buf, 'x', sizeof buf);
        CHECK_INT(K.cpu_string(buf, sizeof buf), strlen(cases[i].want));
        CHECK(strcmp(buf, cases[i].want) == 0, "%s: got %s, want %s", cases[i].spec, buf, cases[i].want);
    }
    use("DB=a14");
    memset(buf, 'x', sizeof buf);
    CHECK_INT(K.cpu_string(buf, 8), 22); /* snprintf: truncated, full length returned */
    CHECK(strcmp(buf, "cpu_100") == 0);
    FAILS(K.cpu_string(NULL, 8), -1, EINVAL);
    FAILS(K.cpu_string(buf, 0), -1, EINVAL);
}

/* force_all_ctrs get/set and another task holding the force (§2,
 * kpc_common.c kpc_force_all_ctrs; cpc.c cpc_task_set_owner). */
static void case_force(void)
{
    int v = -1;
    static const char *const kernels[] = {"KERNEL=pre14.4 DB=a14", "KERNEL=cpc DB=a14"};
    for (size_t k = 0; k < 2; k++) {
        use(kernels[k]);
        OK(K.force_all_ctrs_get(&v));
        CHECK_INT(v, 0);
        FAILS(K.force_all_ctrs_get(NULL), -1, EFAULT);
        OK(K.force_all_ctrs_set(5));
        OK(K.force_all_ctrs_get(&v));
        CHECK_INT(v, 1);
        CHECK_INT(state().force_all, 1);
        CHECK_INT(state().force_owned, 1);
        OK(K.force_all_ctrs_set(0));
        OK(K.force_all_ctrs_get(&v));
        CHECK_INT(v, 0);
    }

    /* Held by another task: EACCES before cpc, whatever the argument ... */
    use("KERNEL=15 DB=a14 FORCE_HELD=1");
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 1);
    FAILS(K.force_all_ctrs_set(1), -1, EACCES);
    FAILS(K.force_all_ctrs_set(0), -1, EACCES);
    CHECK_INT(K.get_counter_count(CONF), 8); /* forced, by the other task */
    CHECK_INT(state().force_all, 1);
    /* ... and on cpc 0, changing nothing. */
    use("KERNEL=cpc DB=a14 FORCE_HELD=1");
    OK(K.force_all_ctrs_set(1));
    OK(K.force_all_ctrs_set(0));
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 1);
    CHECK_INT(state().force_owned, 0);
    uint64_t w[8] = {0x2, 0, 0, 0, 0, 0, 0, 0};
    OK(K.set_config(CONF, w));
    CHECK_INT(state().force_owned, 0);

    /* x86: forcing changes no count; cpc reports it forced without a
     * power manager, whatever is asked. */
    use("KERNEL=15 DB=icelake");
    OK(K.force_all_ctrs_set(1));
    CHECK_INT(K.get_counter_count(CONF), 8);
    use("KERNEL=cpc DB=icelake");
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 1);
    OK(K.force_all_ctrs_set(0));
    OK(K.force_all_ctrs_get(&v));
    CHECK_INT(v, 1);
}

/* pmu_version, sw_inc, period and actionid. */
static void case_misc(void)
{
    use("DB=a14");
    FAILS(K.sw_inc(1), -1, ENOTSUP);
    const uint64_t hi = 1ull << 40; /* periods are 64-bit */
    uint64_t p[8] = {hi + 100, 200, 300, 400, 500, 600, 700, 800}, got[10];
    OK(K.set_period(CONF, p)); /* five values, unforced */
    memset(got, 0, sizeof got);
    OK(K.get_period(FC, got));
    uint64_t want_p[7] = {0, 0, hi + 100, 200, 300, 400, 500};
    EQ_ARRAY(got, want_p, 7);
    FAILS(K.set_period(POWER, p), -1, EPERM);
    FAILS(K.set_period(0, p), -1, EINVAL);
    FAILS(K.get_period(0, got), -1, EINVAL);
    FAILS(K.get_period(CONF, NULL), -1, EFAULT);
    OK(K.force_all_ctrs_set(1));
    OK(K.get_period(CONF, got));
    uint64_t want_pf[8] = {hi + 100, 200, 300, 0, 0, 0, 400, 500}; /* PMC2,3,4,8,9 held them */
    EQ_ARRAY(got, want_pf, 8);

    uint32_t a[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ga[10] = {0};
    OK(K.set_actionid(FC, a));
    OK(K.get_actionid(FC, ga));
    for (int i = 0; i < 10; i++)
        CHECK_INT(ga[i], a[i]);
    FAILS(K.set_actionid(0, a), -1, EINVAL);
    FAILS(K.get_actionid(CONF, NULL), -1, EFAULT);

    use("KERNEL=15 DB=skylake");
    uint64_t sp[7] = {1, 2, 3, 4, 5, 6, 7};
    OK(K.set_period(FC, sp));
    OK(K.get_period(FIXED, got));
    CHECK_INT(got[0], 1);
    CHECK_INT(got[2], 3);
    OK(K.get_period(CONF, got));
    CHECK_INT(got[0], 4);
    CHECK_INT(got[3], 7);
}

/* An environment the simulator cannot use. */
static void case_badenv(void)
{
    struct kpmc_sim_state s;
    static const char *const bad[] = {
        "DB=nosuch",
        "NOROOT=yes",
        "KERNEL=16",
        "KERNEL=CPC",
        "BUSY=2",
        "KERNEL_COUNTING=true",
        "FORCE_HELD=true",
        "ALLOWLIST=some",
        "ALLOWLIST=0x8c,",
        "ALLOWLIST=0x10000",
        "KERNEL=pre14.4 ALLOWLIST=db",
        "KERNEL=15 DB=skylake ALLOWLIST=db",
        "KERNEL=cpc KERNEL_COUNTING=1 ALLOWLIST=db",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        CHECK_INT(K.get_state(&s), -1);
        FAILS(K.get_counter_count(FC), 0, ENODEV);
        FAILS(K.cpu_string((char[8]){0}, 8), -1, ENODEV);
    }
    /* A later reset with a good environment recovers. */
    use("DB=ICELAKE");
    CHECK_INT(K.get_state(&s), 0);
    CHECK(strcmp(s.db, "icelake") == 0);
    CHECK(strcmp(s.kernel, "cpc") == 0); /* the default */
    CHECK_INT(K.get_state(NULL), -1);
    use("DB=a14 NOROOT=0 ALLOWLIST= FORCE_HELD=0 BUSY=0 KERNEL_COUNTING=0 KERNEL=");
    CHECK_INT(K.force_all_ctrs_set(1), 0);
    use("KERNEL=15 DB=skylake ALLOWLIST=off");
    CHECK_INT(K.get_state(&s), 0);
}

/* Every database: counts and unforced word placement, recomputed from the
 * catalog's masks with a separate loop. */
static unsigned bits(uint32_t m)
{
    unsigned n = 0;
    for (unsigned i = 0; i < 32; i++)
        n += m >> i & 1;
    return n;
}

static void case_allcounts(void)
{
    CHECK(kpmc_db_count() == 21);
    for (size_t d = 0; d < kpmc_db_count(); d++) {
        kpmc_db_info info = {.size = sizeof info};
        if (kpmc_db_get(kpmc_db_at(d), &info) != 0) {
            CHECK(0);
            continue;
        }
        char spec[80];
        snprintf(spec, sizeof spec, "KERNEL=14.4 ALLOWLIST=off DB=%s INIT=3:0:0", info.name);
        use(spec);
        int x86 = info.arch == KPMC_ARCH_X86_64;
        unsigned nf = bits(info.fixed_counters), nc = bits(info.config_counters);
        unsigned nu = bits(info.config_counters) - bits(info.config_counters & info.power_counters);
        CHECK_INT(K.get_counter_count(FIXED), nf);
        CHECK_INT(K.get_counter_count(CONF), nu);
        CHECK_INT(K.get_config_count(FIXED), x86 ? 1 : 0);
        CHECK_INT(K.get_config_count(FC), (x86 ? 1u : 0u) + nu);
        CHECK(x86 ? info.power_counters == 0 : nu + 3 == nc); /* §2: three reserved on Apple */

        /* Unforced words: the j-th configurable counter gets the next word
         * unless it is a power counter.  User-mode words (arm64
         * EL0A32|EL0A64), all rings on x86_64 (USR|OS). */
        uint64_t w[17];
        for (unsigned i = 0; i < 17; i++)
            w[i] = 0x10 + i + 0x30000;
        OK(K.set_config(FC, w));
        struct kpmc_sim_state s = state();
        unsigned next = x86 ? 1 : 0, j = 0;
        for (unsigned c = 0; c < 32; c++) {
            if (!(info.config_counters >> c & 1))
                continue;
            uint64_t want = (info.power_counters >> c & 1) ? 0 : w[next++];
            CHECK_INT(s.config[j], want);
            j++;
        }
        CHECK_INT(j, nc);

        /* Forced: all words, read back k times. */
        OK(K.force_all_ctrs_set(1));
        CHECK_INT(K.get_counter_count(CONF), nc);
        OK(K.set_config(FC, w));
        OK(K.set_thread_counting(FC));
        uint64_t buf[32];
        OK(read_n(4, 32, buf));
        for (unsigned i = 0; i < nf; i++)
            CHECK_INT(buf[i], 4 * FIX(i));
        for (unsigned i = 0; i < nc; i++)
            CHECK_INT(buf[nf + i], (x86 ? 12ull : 4ull) * (0x10 + (x86 ? 1 : 0) + i));
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        {"counts", case_counts},         {"arm64", case_arm64},   {"x86", case_x86},
        {"x86_cpc", case_x86_cpc},       {"layout", case_layout}, {"modes", case_modes},
        {"threads", case_threads},       {"noroot", case_noroot}, {"busy", case_busy},
        {"allowlist", case_allowlist},   {"faults", case_faults}, {"log", case_log},
        {"init", case_init},             {"cpu_string", case_cpu_string}, {"force", case_force},
        {"misc", case_misc},             {"badenv", case_badenv}, {"allcounts", case_allcounts},
    };
    if (argc != 2) {
        fprintf(stderr, "usage: test_sim CASE\n");
        return 2;
    }
    if (load_sim() != 0)
        return 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return check_result(argv[1]);
        }
    fprintf(stderr, "test_sim: no case %s\n", argv[1]);
    return 2;
}
