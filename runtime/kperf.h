/* kperf.framework: loading it with dlopen and the table of its kpc_*
 * functions the runtime calls (docs/kpc.md §1).  Internal. */
#ifndef KPMC_RUNTIME_KPERF_H
#define KPMC_RUNTIME_KPERF_H

#include <stddef.h>
#include <stdint.h>

/* The system framework; kpmc never loads kperfdata. */
#define KPMC_KPERF_SYSTEM_PATH "/System/Library/PrivateFrameworks/kperf.framework/kperf"

/* Every kpc_* function the runtime calls: return type, name, parameters.
 * All of them are resolved when the framework is loaded. */
#define KPMC_KPERF_FUNCTIONS(X)                                      \
    X(int, kpc_cpu_string, (char *buf, size_t len))                  \
    X(int, kpc_force_all_ctrs_get, (int *out))                       \
    X(int, kpc_force_all_ctrs_set, (int on))                         \
    X(uint32_t, kpc_get_counting, (void))                            \
    X(int, kpc_set_counting, (uint32_t classes))                     \
    X(uint32_t, kpc_get_thread_counting, (void))                     \
    X(int, kpc_set_thread_counting, (uint32_t classes))              \
    X(uint32_t, kpc_get_counter_count, (uint32_t classes))           \
    X(uint32_t, kpc_get_config_count, (uint32_t classes))            \
    X(int, kpc_set_config, (uint32_t classes, uint64_t *config))     \
    X(int, kpc_get_config, (uint32_t classes, uint64_t *config))     \
    X(int, kpc_get_thread_counters, (uint32_t tid, uint32_t buf_count, uint64_t *buf))

/* The signature of kpc_get_thread_counters, which event sets keep. */
typedef int (*kpmc_kpc_read_fn)(uint32_t tid, uint32_t buf_count, uint64_t *buf);

struct kpmc_kperf {
    void *handle; /* dlopen handle, NULL when not loaded */
    char path[1024]; /* the path given to dlopen */
#define KPMC_KPERF_FIELD(ret, name, params) ret(*name) params;
    KPMC_KPERF_FUNCTIONS(KPMC_KPERF_FIELD)
#undef KPMC_KPERF_FIELD
};

/* Load kperf from path; NULL means $KPMC_KPERF_PATH, else the system
 * framework (macOS only).  Resolves every function of the table.  On failure
 * returns KPMC_E_LOAD, leaves *k unloaded and writes why into detail. */
int kpmc_kperf_load(struct kpmc_kperf *k, const char *path, char *detail, size_t len);
void kpmc_kperf_unload(struct kpmc_kperf *k);

/* A function the kperf library may provide besides the kpc_* ones (the
 * simulator provides proc_pid_rusage and sysctlbyname; on macOS kperf's own
 * dependencies do): looked up in `handle` first (may be NULL), then in the
 * program and its libraries.  NULL when neither has it. */
void *kpmc_kperf_symbol(void *handle, const char *name);
/* The same for the kperf library at `path` (NULL: the program only), which
 * stays loaded for the life of the process, so that the function found
 * stays valid after every session closed (proc_pid_rusage for
 * kpmc_proc_counts_get, thread_selfcounts for unprivileged sessions).
 * Answers are kept per path and name.  Thread-safe. */
void *kpmc_kperf_kept_symbol(const char *path, const char *name);
/* The path kpmc_kperf_load would load for `path`: path, else
 * $KPMC_KPERF_PATH, else the system framework on macOS; NULL elsewhere. */
const char *kpmc_kperf_default_path(const char *path);

/* "CALL failed with ENAME (strerror)" into buf, for errno err. */
void kpmc_kpc_failure(char *buf, size_t len, const char *call, int err);

#endif
