/* Internals of the simulated kperf.framework (see kpmc_sim.h). */
#ifndef KPMC_SIM_INTERNAL_H
#define KPMC_SIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kpmc/catalog.h>

/* The kpc functions the simulator exports, in the order of docs/kpc.md §1. */
#define SIM_FUNCTIONS(X)                                                      \
    X(cpu_string) X(pmu_version) X(set_counting) X(get_counting)              \
    X(set_thread_counting) X(get_thread_counting) X(get_config_count)         \
    X(get_counter_count) X(get_config) X(set_config) X(get_cpu_counters)      \
    X(get_thread_counters) X(set_period) X(get_period) X(set_actionid)        \
    X(get_actionid) X(force_all_ctrs_set) X(force_all_ctrs_get) X(sw_inc)

extern const char *const sim_fn_names[];

enum sim_fn {
#define SIM_FN_ENUM(name) SIM_FN_##name,
    SIM_FUNCTIONS(SIM_FN_ENUM)
#undef SIM_FN_ENUM
    SIM_FN_COUNT
};

#define SIM_MAX_FAULTS 32
#define SIM_MAX_ALLOW 1024

/* The kernels (kpmc_sim.h). */
enum sim_kernel { SIM_PRE_14_4, SIM_14_4, SIM_15, SIM_CPC, SIM_KERNEL_COUNT };
extern const char *const sim_kernel_names[SIM_KERNEL_COUNT];

struct sim_fault {
    enum sim_fn fn;
    unsigned long nth; /* 1-based call number */
    int err;           /* errno to fail with */
};

/* What the environment asks for (kpmc_sim.h lists the variables). */
struct sim_config {
    const kpmc_db *db;
    char db_name[32];
    int arch;                 /* enum kpmc_arch */
    uint32_t fixed_counters;  /* the database's masks */
    uint32_t config_counters;
    uint32_t power_counters;
    size_t n_events;
    char cpu_string[128];
    enum sim_kernel kernel;
    unsigned sel_mask;       /* arm64 PMESR field: 0xff (a7-a15) or 0xffff */
    int no_monitor;          /* arm64 without EL3 (8 configurable counters) */
    int noroot, force_held, busy, kernel_counting;
    int allowlist;           /* a list is enforced (arm64 only) */
    uint16_t allow[SIM_MAX_ALLOW]; /* its selectors (0 is always allowed) */
    size_t n_allow;
    struct sim_fault faults[SIM_MAX_FAULTS];
    size_t n_faults;
    /* KPMC_SIM_SELFCOUNTS_FAIL: thread_selfcounts call number
     * selfcounts_fail_nth (1-based; 0: every call) fails with
     * selfcounts_fail_err (0: none) */
    unsigned long selfcounts_fail_nth;
    int selfcounts_fail_err;
    uint32_t init_counting, init_thread_counting;
    int init_force;
    char error[256]; /* empty when the environment is valid */
};

/* Read the environment into *c; on a bad value c->error says which. */
void sim_config_load(struct sim_config *c);

/* The exported kperf.framework functions (signatures of docs/kpc.md §1). */
int kpc_cpu_string(char *buf, size_t len);
uint32_t kpc_pmu_version(void);
int kpc_set_counting(uint32_t classes);
uint32_t kpc_get_counting(void);
int kpc_set_thread_counting(uint32_t classes);
uint32_t kpc_get_thread_counting(void);
uint32_t kpc_get_config_count(uint32_t classes);
uint32_t kpc_get_counter_count(uint32_t classes);
int kpc_get_config(uint32_t classes, uint64_t *cfg);
int kpc_set_config(uint32_t classes, uint64_t *cfg);
int kpc_get_cpu_counters(bool all, uint32_t classes, int *curcpu, uint64_t *buf);
int kpc_get_thread_counters(uint32_t tid, uint32_t buf_count, uint64_t *buf);
int kpc_set_period(uint32_t classes, uint64_t *period);
int kpc_get_period(uint32_t classes, uint64_t *period);
int kpc_set_actionid(uint32_t classes, uint32_t *actionid);
int kpc_get_actionid(uint32_t classes, uint32_t *actionid);
int kpc_force_all_ctrs_set(int val);
int kpc_force_all_ctrs_get(int *val);
int kpc_sw_inc(int mask);
/* libsystem_kernel's thread_selfcounts (docs/kpc.md §13). */
int thread_selfcounts(uint32_t kind, void *dst, size_t size);

#endif
