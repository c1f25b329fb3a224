/* Helpers of the session tests (tests/test_session_*.c): the simulated
 * kperf (tests/sim/kpmc_sim.h) loaded from $KPMC_KPERF_PATH, its
 * environment, checks, and the configuration words of docs/kpc.md §4
 * computed independently of runtime/encode.c. */
#ifndef KPMC_TEST_SESSION_H
#define KPMC_TEST_SESSION_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <kpmc/kpmc.h>

#include "check.h"
#include "sim/bits_ref.h"
#include "sim/kpmc_sim.h"

/* Failed checks, as the session tests name them (check.h). */
#define t_failures check_failures

/* The simulator this process shares with the runtime. */
struct sim {
    const char *path;
    void *handle;
    int (*get_state)(struct kpmc_sim_state *);
    void (*reset)(void);
};
extern struct sim sim;

/* dlopen $KPMC_KPERF_PATH and find kpmc_sim_get_state/_reset; exits 1 on
 * failure. */
void sim_load(void);
/* Stores the address of the simulator's function `name` in the function
 * pointer *fn points to; exits 1 when the simulator has none. */
void sim_find(const char *name, void *fn);
/* Clear every KPMC_SIM_* variable and KPMC_DB, set the "NAME=VALUE"
 * strings given (NULL-terminated), kpmc_sim_reset(). */
void sim_env(const char *first, ...);
struct kpmc_sim_state sim_state(void);
/* counting, thread_counting and force_all equal; reports where not. */
int same_kernel_state(const struct kpmc_sim_state *a, const struct kpmc_sim_state *b, const char *what);

/* The word docs/kpc.md §4 gives event e of database d in KPMC_MODE_ALL
 * (arm64: the selector; x86_64: kpmc's formula), and the word the
 * simulated kernel stores from it (x86_64 drops PC, INT and ANY). */
uint64_t expected_word(const kpmc_db_info *d, const kpmc_event_info *e);
uint64_t stored_word(const kpmc_db_info *d, uint64_t word);

/* The simulated kernel is profile `name` (pre14.4, 14.4, 15, cpc). */
int sim_profile(const char *name);
/* Configurable counters of database d count the kernel on the simulated
 * kernel (kpmc_sim.h): x86_64 and kernels before 15 always, 15 and cpc only
 * when KPMC_SIM_KERNEL_COUNTING=1 (cpc: or with the allowlist off). */
int sim_counts_kernel(const kpmc_db_info *d);
/* The simulated kernel enforces a selector allowlist for d. */
int sim_has_allowlist(const kpmc_db_info *d);
/* What one read adds to a counter in the simulator's counting model:
 * fixed_rank >= 0 for the fixed_rank-th fixed counter, else a configurable
 * counter programmed with word (a database selector, so within the chip's
 * field) on the simulated kernel. */
uint64_t per_read(const kpmc_db_info *d, uint64_t word, int fixed_rank);

/* Position of global counter c among the set bits of mask. */
unsigned rank_in(uint32_t mask, unsigned c);
int contains(const char *haystack, const char *needle);

/* A barrier for n threads (macOS has no pthread_barrier_t). */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned n, waiting, round;
};
void gate_init(struct gate *g, unsigned n);
void gate_wait(struct gate *g);
void gate_destroy(struct gate *g);

/* main() of a test program with cases: loads the simulator, runs the case
 * argv[1] names, returns its status. */
struct t_case {
    const char *name;
    void (*run)(void);
};
int t_main(int argc, char **argv, const struct t_case *cases, size_t n);

#endif
