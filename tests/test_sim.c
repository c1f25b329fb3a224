/* Tests of the simulated kperf.framework (tests/sim/kpmc_sim.h).
 *
 * The simulator is loaded the way the runtime loads kperf.framework: dlopen
 * by path, every kpc_* function through dlsym.  Expected values are worked
 * out by hand from docs/kpc.md (§2 counter counts and power
 * counters, §3 order of values and words, §4 x86 masking, §9 allowlist) and
 * the kpep plists; the "allcounts" case recomputes them for every database
 * from the catalog's masks with its own loop.
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
#undef LOAD
    /* The catalog linked into the simulator must stay private to it. */
    if (dlsym(h, "kpmc_db_find")) {
        fprintf(stderr, "test_sim: %s exports kpmc_db_find\n", KPMC_SIM_PATH);
        bad = -1;
    }
    return bad ? -1 : 0;
}

/* ---- checks ---- */

static int failures;

static void check(int ok, const char *file, int line, const char *what)
{
    if (!ok) {
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
        failures++;
    }
}

static void check_eq(unsigned long long got, unsigned long long want, const char *file, int line,
                     const char *what)
{
    if (got != want) {
        fprintf(stderr, "%s:%d: %s: got %llu (0x%llx), want %llu (0x%llx)\n", file, line, what,
                got, got, want, want);
        failures++;
    }
}

#define CHECK(c) check(!!(c), __FILE__, __LINE__, #c)
#define EQ(got, want) check_eq((unsigned long long)(got), (unsigned long long)(want), __FILE__, __LINE__, #got)
/* expr must fail with `ret` and errno `err`. */
#define FAILS(expr, ret, err)                                                                      \
    do {                                                                                           \
        errno = 0;                                                                                 \
        unsigned long long r_ = (unsigned long long)(expr);                                        \
        int e_ = errno;                                                                            \
        check_eq(r_, (unsigned long long)(ret), __FILE__, __LINE__, #expr " (return)");           \
        check_eq((unsigned long long)e_, (unsigned long long)(err), __FILE__, __LINE__,            \
                 #expr " (errno)");                                                                \
    } while (0)
#define OK(expr) EQ((expr), 0)
#define EQ_ARRAY(got, want, n) eq_array((got), (want), (n), __FILE__, __LINE__, #got)

static void eq_array(const uint64_t *got, const uint64_t *want, size_t n, const char *file,
                     int line, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i]) {
            fprintf(stderr, "%s:%d: %s[%zu]: got %llu (0x%llx), want %llu (0x%llx)\n", file, line,
                    what, i, (unsigned long long)got[i], (unsigned long long)got[i],
                    (unsigned long long)want[i], (unsigned long long)want[i]);
            failures++;
            return;
        }
}

/* Environment "DB=a14 NOROOT=1" (KPMC_SIM_ prefix implied, every other
 * KPMC_SIM_* variable unset), then kpmc_sim_reset(). */
static void use(const char *spec)
{
    static const char *const vars[] = {"DB", "CPU", "NOROOT", "STRICT", "FORCE_HELD", "FAULT", "INIT"};
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
    if (K.get_state(&s) != 0) {
        fprintf(stderr, "test_sim: kpmc_sim_get_state failed\n");
        failures++;
    }
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

static void check_counts(const struct counts *c)
{
    char spec[64];
    snprintf(spec, sizeof spec, "DB=%s", c->db);
    use(spec);
    struct kpmc_sim_state s = state();
    CHECK(strcmp(s.db, c->db) == 0);
    EQ(s.n_fixed, c->fixed);
    EQ(s.n_config, c->conf_forced);
    EQ(s.force_all, 0);
    EQ(K.pmu_version(), c->pmu);
    for (int forced = 0; forced < 2; forced++) {
        unsigned conf = forced ? c->conf_forced : c->conf;
        OK(K.force_all_ctrs_set(forced));
        EQ(K.get_counter_count(FIXED), c->fixed);
        EQ(K.get_counter_count(CONF), conf);
        EQ(K.get_counter_count(FC), c->fixed + conf);
        EQ(K.get_counter_count(POWER), 0);
        EQ(K.get_counter_count(RAWPMU), 0);
        EQ(K.get_counter_count(0), 0);
        EQ(K.get_config_count(FIXED), c->fixed_words);
        EQ(K.get_config_count(CONF), conf);
        EQ(K.get_config_count(FC), c->fixed_words + conf);
    }
    OK(K.force_all_ctrs_set(0));
}

/* Counts and config counts per database (§2, §3). */
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
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_counts(&cases[i]);
}

/* set_config errors and word placement on arm64. */
static void case_arm64(void)
{
    use("DB=a14");
    uint64_t w[16] = {0};
    FAILS(K.set_config(FIXED, w), -1, EINVAL); /* no word to read */
    FAILS(K.set_config(0, w), -1, EINVAL);
    FAILS(K.set_config(CONF | POWER, w), -1, EPERM);
    FAILS(K.set_config(POWER, w), -1, EPERM);
    FAILS(K.get_config(FIXED, w), -1, EINVAL);
    FAILS(K.set_config(CONF, NULL), -1, EFAULT);
    struct kpmc_sim_state s = state();
    EQ(s.set_config_calls, 0);
    EQ(s.failed_calls, 6);

    /* A7 unforced: the words land on PMC2, 3, 4. */
    use("DB=a7");
    uint64_t a7w[3] = {0x2, 0x20011, 0x1};
    OK(K.set_config(CONF, a7w));
    s = state();
    uint64_t want_a7[8] = {0x2, 0x20011, 0x1, 0, 0, 0, 0, 0};
    EQ_ARRAY(s.config, want_a7, 8);
    EQ(s.set_config_calls, 1);
}

/* x86_64: one ignored FIXED word, kernel masking (§3, §4). */
static void case_x86(void)
{
    use("DB=skylake");
    struct kpmc_sim_state s;
    /* FIXED alone: one word, accepted and ignored. */
    uint64_t fixed_word = 0x333;
    OK(K.set_config(FIXED, &fixed_word));
    s = state();
    EQ(s.config[0], 0);
    EQ(s.set_config_calls, 1);

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
    EQ(got[0], 0);
    EQ(got[1], 0xeeeeeeeeeeeeeeeeull);
    /* CONFIGURABLE alone: the first word goes to GP0. */
    uint64_t w2[4] = {0x4300c4, 0, 0, 0x53003c}; /* 0x53: INT set, dropped */
    OK(K.set_config(CONF, w2));
    s = state();
    uint64_t want2[4] = {0x4300c4, 0, 0, 0x43003c};
    EQ_ARRAY(s.config, want2, 4);

    use("DB=icelake");
    uint64_t iw[9] = {0, 1, 2, 3, 4, 5, 6, 7, 0x3f0008};
    OK(K.set_config(FC, iw));
    s = state();
    uint64_t want_ice[8] = {1, 2, 3, 4, 5, 6, 7, 0x070008};
    EQ_ARRAY(s.config, want_ice, 8);
}

/* Buffer layouts and the k*word counting model (§3). */
static void case_layout(void)
{
    uint64_t buf[32];

    /* a14 not forced: words land on PMC2, 3, 4, 8, 9. */
    use("DB=a14");
    uint64_t w5[5] = {1, 2, 3, 4, 5};
    OK(K.set_config(CONF, w5));
    struct kpmc_sim_state s = state();
    uint64_t want_cfg[8] = {1, 2, 3, 0, 0, 0, 4, 5};
    EQ_ARRAY(s.config, want_cfg, 8);
    uint64_t got5[5];
    OK(K.get_config(FC, got5));
    EQ_ARRAY(got5, w5, 5);

    /* kpc.counting keeps the classes with counters. */
    OK(K.set_counting(0xF));
    EQ(K.get_counting(), FC);
    /* No thread counting yet: no buffer. */
    FAILS(K.get_thread_counters(0, 32, buf), -1, EINVAL);
    OK(K.set_counting(FC));
    OK(K.set_thread_counting(FC));
    EQ(K.get_counting(), FC);
    EQ(K.get_thread_counting(), FC);
    FAILS(K.get_thread_counters(1, 32, buf), -1, EINVAL);
    FAILS(K.get_thread_counters(0, 6, buf), -1, EINVAL);
    FAILS(K.get_thread_counters(0, 7, NULL), -1, EFAULT);
    for (size_t i = 0; i < 32; i++)
        buf[i] = 0x5151;
    OK(read_n(3, 32, buf));
    uint64_t want7[8] = {3 * STEP, 6 * STEP, 3, 6, 9, 12, 15, 0x5151};
    EQ_ARRAY(buf, want7, 8); /* seven values, the rest untouched */

    /* Counting only CONFIGURABLE: the fixed counters stop. */
    OK(K.set_counting(CONF));
    OK(read_n(1, 7, buf));
    uint64_t want_c[7] = {3 * STEP, 6 * STEP, 4, 8, 12, 16, 20};
    EQ_ARRAY(buf, want_c, 7);
    /* Counting nothing: nothing moves. */
    OK(K.set_counting(0));
    OK(read_n(2, 7, buf));
    EQ_ARRAY(buf, want_c, 7);
    OK(K.set_counting(FC));

    /* Forcing after thread counting was sized keeps the 7-value buffer
     * (§8: force first); its slots now hold PMC0, 1, 2, 3, 4, 5, 6. */
    OK(K.force_all_ctrs_set(1));
    uint64_t w8[8] = {10, 20, 30, 40, 50, 60, 70, 80};
    OK(K.set_config(CONF, w8));
    s = state();
    EQ_ARRAY(s.config, w8, 8);
    buf[7] = 0x5151;
    OK(read_n(1, 7, buf));
    uint64_t want_stale[8] = {4 * STEP, 8 * STEP, 4 + 10, 8 + 20, 12 + 30, 40, 50, 0x5151};
    EQ_ARRAY(buf, want_stale, 8);
    /* Sizing again while forced: ten values, counters kept per PMC
     * (PMC8, 9 held 16, 20 from the unforced reads). */
    OK(K.set_thread_counting(FC));
    FAILS(K.get_thread_counters(0, 9, buf), -1, EINVAL);
    OK(read_n(1, 10, buf));
    uint64_t want10[10] = {5 * STEP, 10 * STEP, 24, 48, 72, 80, 100, 60, 16 + 70, 20 + 80};
    EQ_ARRAY(buf, want10, 10);
    /* Released again with the 10-slot buffer: slots past the 7-counter
     * layout read 0. */
    OK(K.force_all_ctrs_set(0));
    OK(read_n(1, 10, buf));
    uint64_t want_rel[10] = {6 * STEP, 12 * STEP, 34, 68, 102, 86 + 70, 100 + 80, 0, 0, 0};
    EQ_ARRAY(buf, want_rel, 10);

    /* Switching thread counting off and on restarts the counters at 0. */
    OK(K.set_thread_counting(0));
    EQ(K.get_thread_counting(), 0);
    FAILS(K.get_thread_counters(0, 10, buf), -1, EINVAL);
    OK(K.force_all_ctrs_set(1));
    OK(K.set_thread_counting(CONF));
    OK(read_n(2, 8, buf));
    uint64_t want_conf[8] = {20, 40, 60, 80, 100, 120, 140, 160};
    EQ_ARRAY(buf, want_conf, 8);
    /* Re-setting while on does not restart. */
    OK(K.set_thread_counting(CONF));
    OK(read_n(1, 8, buf));
    EQ(buf[0], 30);
    /* Thread counting of a class without counters switches it off. */
    OK(K.set_thread_counting(POWER));
    EQ(K.get_thread_counting(), 0);

    /* skylake: three fixed counters, then GP0-3. */
    use("DB=skylake");
    uint64_t sw[5] = {0, 0x4300c5, 0x4301c4, 0, 0x43003c};
    OK(K.set_config(FC, sw));
    OK(K.set_counting(FC));
    OK(K.set_thread_counting(FC));
    OK(read_n(2, 7, buf));
    uint64_t want_sky[7] = {2 * STEP, 4 * STEP, 6 * STEP, 2 * 0x4300c5, 2 * 0x4301c4, 0, 2 * 0x43003c};
    EQ_ARRAY(buf, want_sky, 7);

    /* icelake: four fixed, eight GP. */
    use("DB=icelake INIT=3:3:0");
    uint64_t iw[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    OK(K.set_config(FC, iw));
    FAILS(K.get_thread_counters(0, 11, buf), -1, EINVAL);
    OK(read_n(1, 12, buf));
    uint64_t want_ice[12] = {STEP, 2 * STEP, 3 * STEP, 4 * STEP, 1, 2, 3, 4, 5, 6, 7, 8};
    EQ_ARRAY(buf, want_ice, 12);

    /* CPU counters: the same layout, advanced per call for (classes & counting). */
    use("DB=a14");
    OK(K.set_config(CONF, w5));
    int cpu = -1;
    FAILS(K.get_cpu_counters(false, 0, &cpu, buf), -1, EINVAL);
    FAILS(K.get_cpu_counters(false, FC, &cpu, NULL), -1, EFAULT);
    OK(K.get_cpu_counters(false, FC, &cpu, buf));
    EQ(cpu, 0);
    uint64_t zero7[7] = {0};
    EQ_ARRAY(buf, zero7, 7); /* not counting */
    OK(K.set_counting(FC));
    OK(K.get_cpu_counters(true, FC, NULL, buf));
    OK(K.get_cpu_counters(false, FC, &cpu, buf));
    uint64_t want_cpu[7] = {2 * STEP, 4 * STEP, 2, 4, 6, 8, 10};
    EQ_ARRAY(buf, want_cpu, 7);
    OK(K.get_cpu_counters(false, CONF, &cpu, buf));
    uint64_t want_cpu_c[5] = {3, 6, 9, 12, 15};
    EQ_ARRAY(buf, want_cpu_c, 5);
    /* Thread counters are separate from the CPU's. */
    OK(K.set_thread_counting(FC));
    OK(read_n(1, 7, buf));
    uint64_t want_t1[7] = {STEP, 2 * STEP, 1, 2, 3, 4, 5};
    EQ_ARRAY(buf, want_t1, 7);
}

/* ---- threads ---- */

/* Releases the readers together (pthread barriers are missing on macOS). */
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
    unsigned reads;
    uint64_t last[10];
    int err;
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    gate_wait(r->start);
    r->err = read_n(r->reads, 10, r->last);
    return NULL;
}

static void case_threads(void)
{
    use("DB=a14 INIT=3:3:1");
    uint64_t w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    OK(K.set_config(CONF, w));
    uint64_t mine[10];
    OK(read_n(3, 10, mine));

    struct gate start = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    struct reader r[2] = {{&start, 500, {0}, 0}, {&start, 300, {0}, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, reader_main, &r[i]) == 0);
    gate_open(&start);
    for (int i = 0; i < 50; i++)
        CHECK(read_n(1, 10, mine) == 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);

    /* Each thread's counters started at 0 and moved only with its own reads. */
    for (int i = 0; i < 2; i++) {
        EQ(r[i].err, 0);
        uint64_t n = r[i].reads;
        uint64_t want[10] = {n * STEP, 2 * n * STEP, n, 2 * n, 3 * n, 4 * n, 5 * n, 6 * n, 7 * n, 8 * n};
        EQ_ARRAY(r[i].last, want, 10);
    }
    uint64_t want_main[10] = {53 * STEP, 106 * STEP, 53, 106, 159, 212, 265, 318, 371, 424};
    EQ_ARRAY(mine, want_main, 10);
    EQ(state().calls, 1 + 3 + 500 + 300 + 50);
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
    EQ(v, 7);
    EQ(cpu, 7);
    for (int i = 0; i < 16; i++) {
        EQ(b[i], 7);
        EQ(a[i], 7);
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
    EQ(K.get_counter_count(FC), 7);
    EQ(K.get_config_count(FC), 5);
    EQ(K.cpu_string(s, sizeof s), strlen("cpu_100000c_2_1b588bb3"));
    EQ(errno, 0);
    struct kpmc_sim_state st = state();
    EQ(st.calls, 19);
    EQ(st.failed_calls, 16);
    EQ(st.counting, 0);
    EQ(st.force_all, 0);
    EQ(st.set_config_calls, 0);
}

/* The selector allowlist (§9). */
static void case_strict(void)
{
    use("DB=a14 STRICT=1 INIT=0:0:1");
    /* a14 selectors: 0x8c INST_ALL, 0x2 CORE_ACTIVE_CYCLE; mode bits and
     * zero words pass. */
    uint64_t good[8] = {0x8c | 0x20000, 0x2, 0, 0, 0x2 | 0x30000, 0, 0, 0xcb};
    OK(K.set_config(CONF, good));
    EQ_ARRAY(state().config, good, 8);
    /* 0x11 is as4's CORE_ACTIVE_CYCLE, 0x5a3 a16's L1D_CACHE_MISS_LD: not a14's. */
    uint64_t bad[8] = {0x8c, 0x11, 0, 0, 0, 0, 0, 0};
    FAILS(K.set_config(CONF, bad), -1, EPERM);
    bad[1] = 0x5a3;
    FAILS(K.set_config(CONF, bad), -1, EPERM);
    EQ_ARRAY(state().config, good, 8); /* nothing stored */
    EQ(state().set_config_calls, 1);

    /* M4 renumbering: 0x2 rejected, 0x11 accepted on as4. */
    use("DB=as4 STRICT=1 INIT=0:0:1");
    uint64_t m4[8] = {0x2, 0, 0, 0, 0, 0, 0, 0};
    FAILS(K.set_config(CONF, m4), -1, EPERM);
    m4[0] = 0x11;
    m4[1] = 0x4006; /* L1I_CACHE_MISS_DEMAND, 16 bits */
    OK(K.set_config(CONF, m4));

    /* x86: event | umask << 8; the FIXED word is not checked. */
    use("DB=skylake STRICT=1");
    uint64_t sky[5] = {0xffff, 0x4300c5, 0x4301c4, 0x53003c, 0};
    OK(K.set_config(FC, sky));
    sky[2] = 0x4399c4; /* umask 0x99 of event 0xc4 does not exist */
    FAILS(K.set_config(FC, sky), -1, EPERM);

    /* Without STRICT anything goes. */
    use("DB=a14 STRICT=0");
    uint64_t any[5] = {0x5a3, 0xffff, 0x11, 0, 0};
    OK(K.set_config(CONF, any));
}

/* KPMC_SIM_FAULT in all its forms. */
static void case_faults(void)
{
    uint64_t w[8] = {1, 2, 3, 4, 5, 0, 0, 0};
    struct kpmc_sim_state s;

    /* By name, the second call only; the failed call changes nothing. */
    use("DB=a14 FAULT=kpc_set_config:2:EBUSY");
    OK(K.set_config(CONF, w));
    uint64_t w2[5] = {9, 9, 9, 9, 9};
    FAILS(K.set_config(CONF, w2), -1, EBUSY);
    s = state();
    EQ(s.config[0], 1);
    EQ(s.set_config_calls, 1);
    EQ(s.failed_calls, 1);
    OK(K.set_config(CONF, w2));
    EQ(state().config[0], 9);

    /* Numeric errno, function name without the kpc_ prefix. */
    use("DB=a14 FAULT=set_counting:1:5");
    FAILS(K.set_counting(FC), -1, 5);
    EQ(K.get_counting(), 0);
    OK(K.set_counting(FC));
    EQ(K.get_counting(), FC);

    /* Several faults; each function's own error value. */
    use("DB=a14 INIT=3:3:0 FAULT=get_counting:1:EACCES,get_thread_counting:1:EPERM,"
        "get_config_count:1:EINVAL,get_counter_count:1:EIO,pmu_version:1:ENOMEM,"
        "cpu_string:2:EIO,force_all_ctrs_get:1:EBUSY,force_all_ctrs_get:3:ENOTSUP");
    char str[64];
    int v = 5;
    FAILS(K.get_counting(), 0, EACCES);
    FAILS(K.get_thread_counting(), 0xFFFFFFFFu, EPERM);
    FAILS(K.get_config_count(FC), 0, EINVAL);
    FAILS(K.get_counter_count(FC), 0, EIO);
    FAILS(K.pmu_version(), 0, ENOMEM);
    EQ(K.cpu_string(str, sizeof str), 22);
    FAILS(K.cpu_string(str, sizeof str), -1, EIO);
    FAILS(K.force_all_ctrs_get(&v), -1, EBUSY);
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 0);
    FAILS(K.force_all_ctrs_get(&v), -1, ENOTSUP);
    OK(K.force_all_ctrs_get(&v));
    EQ(K.get_counting(), FC);
    EQ(K.get_thread_counting(), FC);
    EQ(K.get_config_count(FC), 5);
    EQ(K.get_counter_count(FC), 7);
    EQ(K.pmu_version(), 2);
    s = state();
    EQ(s.failed_calls, 8);
    EQ(s.calls, 16);

    /* Faults come before the root check; calls that fail for other reasons
     * still count toward N. */
    use("DB=a14 NOROOT=1 FAULT=set_counting:1:EBUSY");
    FAILS(K.set_counting(FC), -1, EBUSY);
    FAILS(K.set_counting(FC), -1, EPERM);
    use("DB=a14 FAULT=set_config:2:EIO");
    FAILS(K.set_config(FIXED, w), -1, EINVAL);
    FAILS(K.set_config(CONF, w), -1, EIO);
    OK(K.set_config(CONF, w));

    /* Every kpc function can be made to fail, and the state stays. */
    use("DB=a14 INIT=2:2:0 FAULT=pmu_version:1:EIO,set_counting:1:EIO,get_counting:1:EIO,"
        "set_thread_counting:1:EIO,get_thread_counting:1:EIO,get_config:1:EIO,set_config:1:EIO,"
        "get_cpu_counters:1:EIO,get_thread_counters:1:EIO,set_period:1:EIO,get_period:1:EIO,"
        "set_actionid:1:EIO,get_actionid:1:EIO,force_all_ctrs_set:1:EIO,"
        "force_all_ctrs_get:1:EIO,sw_inc:1:EIO");
    gated_calls_fail(EIO);
    s = state();
    EQ(s.counting, CONF);
    EQ(s.thread_counting, CONF);
    EQ(s.force_all, 0);
    EQ(s.config[0], 0);
    EQ(s.failed_calls, 16);

    /* A reset restarts the call numbers. */
    use("DB=a14 FAULT=get_counting:1:EBUSY");
    FAILS(K.get_counting(), 0, EBUSY);
    K.reset();
    FAILS(K.get_counting(), 0, EBUSY);
    EQ(K.get_counting(), 0);

    /* Malformed: every call fails with ENODEV, get_state with -1. */
    static const char *const bad[] = {
        "FAULT=set_config:0:EBUSY", "FAULT=nosuch:1:EIO", "FAULT=set_config:1:EWHAT",
        "FAULT=set_config:1", "FAULT=set_config:1:EIO,", "FAULT=set_config:x:EIO",
        "FAULT=set_config:1:EIO:2", "FAULT=kpc_:1:EIO", "FAULT=set_config:1:0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        struct kpmc_sim_state st;
        EQ(K.get_state(&st), -1);
        FAILS(K.get_counter_count(FC), 0, ENODEV);
        FAILS(K.set_config(CONF, w), -1, ENODEV);
    }
}

/* KPMC_SIM_INIT. */
static void case_init(void)
{
    uint64_t b[16];
    int v = -1;
    use("DB=a14 INIT=3:3:1");
    EQ(K.get_counting(), 3);
    EQ(K.get_thread_counting(), 3);
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 1);
    EQ(K.get_counter_count(CONF), 8);
    FAILS(K.get_thread_counters(0, 9, b), -1, EINVAL); /* sized while forced: 10 */
    OK(K.get_thread_counters(0, 10, b));
    EQ(b[0], STEP);
    EQ(b[2], 0);

    use("DB=a14 INIT=0x2:0:0");
    EQ(K.get_counting(), CONF);
    EQ(K.get_thread_counting(), 0);
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 0);

    use("DB=a14 INIT=7:0xb:0"); /* counting keeps FIXED|CONF; thread counting as given */
    struct kpmc_sim_state s = state();
    EQ(s.counting, 3);
    EQ(s.thread_counting, 0xb);
    OK(K.get_thread_counters(0, 7, b));
    use("DB=a14 INIT=0:4:0"); /* POWER alone has no counters */
    EQ(K.get_thread_counting(), 0);

    use("DB=a14");
    s = state();
    EQ(s.counting, 0);
    EQ(s.thread_counting, 0);
    EQ(s.force_all, 0);
    uint64_t zero[KPMC_SIM_MAX_COUNTERS] = {0};
    EQ_ARRAY(s.config, zero, KPMC_SIM_MAX_COUNTERS);
    EQ(s.calls, 0);

    static const char *const bad[] = {"INIT=1:2", "INIT=a:b:c", "INIT=1:2:3:4", "INIT=::", "INIT=-1:0:0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        EQ(K.get_state(&s), -1);
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
        EQ(K.cpu_string(buf, sizeof buf), strlen(cases[i].want));
        if (strcmp(buf, cases[i].want) != 0) {
            fprintf(stderr, "%s:%d: %s: got %s, want %s\n", __FILE__, __LINE__, cases[i].spec, buf,
                    cases[i].want);
            failures++;
        }
    }
    use("DB=a14");
    memset(buf, 'x', sizeof buf);
    EQ(K.cpu_string(buf, 8), 22); /* snprintf: truncated, full length returned */
    CHECK(strcmp(buf, "cpu_100") == 0);
    FAILS(K.cpu_string(NULL, 8), -1, EINVAL);
    FAILS(K.cpu_string(buf, 0), -1, EINVAL);
}

/* force_all_ctrs get/set and another task holding the force (§2). */
static void case_force(void)
{
    int v = -1;
    use("DB=a14");
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 0);
    FAILS(K.force_all_ctrs_get(NULL), -1, EFAULT);
    OK(K.force_all_ctrs_set(5));
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 1);
    EQ(state().force_all, 1);
    OK(K.force_all_ctrs_set(0));
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 0);

    use("DB=a14 FORCE_HELD=1");
    OK(K.force_all_ctrs_get(&v));
    EQ(v, 1);
    FAILS(K.force_all_ctrs_set(1), -1, EACCES);
    FAILS(K.force_all_ctrs_set(0), -1, EACCES);
    EQ(K.get_counter_count(CONF), 8); /* forced, by the other task */
    EQ(state().force_all, 1);

    /* x86: forcing changes no count. */
    use("DB=icelake");
    OK(K.force_all_ctrs_set(1));
    EQ(K.get_counter_count(CONF), 8);
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
        EQ(ga[i], a[i]);
    FAILS(K.set_actionid(0, a), -1, EINVAL);
    FAILS(K.get_actionid(CONF, NULL), -1, EFAULT);

    use("DB=skylake");
    uint64_t sp[7] = {1, 2, 3, 4, 5, 6, 7};
    OK(K.set_period(FC, sp));
    OK(K.get_period(FIXED, got));
    EQ(got[0], 1);
    EQ(got[2], 3);
    OK(K.get_period(CONF, got));
    EQ(got[0], 4);
    EQ(got[3], 7);
}

/* An environment the simulator cannot use. */
static void case_badenv(void)
{
    struct kpmc_sim_state s;
    static const char *const bad[] = {"DB=nosuch", "NOROOT=yes", "STRICT=2", "FORCE_HELD=true"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        use(bad[i]);
        EQ(K.get_state(&s), -1);
        FAILS(K.get_counter_count(FC), 0, ENODEV);
        FAILS(K.cpu_string((char[8]){0}, 8), -1, ENODEV);
    }
    /* A later reset with a good environment recovers. */
    use("DB=ICELAKE");
    EQ(K.get_state(&s), 0);
    CHECK(strcmp(s.db, "icelake") == 0);
    EQ(K.get_state(NULL), -1);
    use("DB=a14 NOROOT=0 STRICT= FORCE_HELD=0");
    EQ(K.force_all_ctrs_set(1), 0);
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
        kpmc_db_info info;
        if (kpmc_db_get(kpmc_db_at(d), &info) != 0) {
            CHECK(0);
            continue;
        }
        char spec[64];
        snprintf(spec, sizeof spec, "DB=%s INIT=3:0:0", info.name);
        use(spec);
        int x86 = info.arch == KPMC_ARCH_X86_64;
        unsigned nf = bits(info.fixed_counters), nc = bits(info.config_counters);
        unsigned nu = bits(info.config_counters) - bits(info.config_counters & info.power_counters);
        EQ(K.get_counter_count(FIXED), nf);
        EQ(K.get_counter_count(CONF), nu);
        EQ(K.get_config_count(FIXED), x86 ? 1 : 0);
        EQ(K.get_config_count(FC), (x86 ? 1u : 0u) + nu);
        CHECK(x86 ? info.power_counters == 0 : nu + 3 == nc); /* §2: three reserved on Apple */

        /* Unforced words: the j-th configurable counter gets the next word
         * unless it is a power counter. */
        uint64_t w[17];
        for (unsigned i = 0; i < 17; i++)
            w[i] = 0x100 + i;
        OK(K.set_config(FC, w));
        struct kpmc_sim_state s = state();
        unsigned next = x86 ? 1 : 0, j = 0;
        for (unsigned c = 0; c < 32; c++) {
            if (!(info.config_counters >> c & 1))
                continue;
            uint64_t want = (info.power_counters >> c & 1) ? 0 : w[next++];
            EQ(s.config[j], want);
            j++;
        }
        EQ(j, nc);

        /* Forced: all words, read back k times. */
        OK(K.force_all_ctrs_set(1));
        EQ(K.get_counter_count(CONF), nc);
        OK(K.set_config(FC, w));
        OK(K.set_thread_counting(FC));
        uint64_t buf[32];
        OK(read_n(4, 32, buf));
        for (unsigned i = 0; i < nf; i++)
            EQ(buf[i], 4ull * (i + 1) * STEP);
        for (unsigned i = 0; i < nc; i++)
            EQ(buf[nf + i], 4 * w[(x86 ? 1 : 0) + i]);
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        {"counts", case_counts},         {"arm64", case_arm64}, {"x86", case_x86},
        {"layout", case_layout},         {"threads", case_threads}, {"noroot", case_noroot},
        {"strict", case_strict},         {"faults", case_faults}, {"init", case_init},
        {"cpu_string", case_cpu_string}, {"force", case_force}, {"misc", case_misc},
        {"badenv", case_badenv},         {"allcounts", case_allcounts},
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
            if (failures)
                fprintf(stderr, "test_sim %s: %d check(s) failed\n", argv[1], failures);
            return failures ? 1 : 0;
        }
    fprintf(stderr, "test_sim: no case %s\n", argv[1]);
    return 2;
}
