/* bench_plan: how long a plan takes to build (names resolved, events placed
 * and encoded), for several event sets and databases.
 *
 *   bench_plan [ROUNDS]
 *
 * Each set is built ITERS times per round; the best round is reported in ns
 * per build.  Budget (docs/design.md): resolve + allocate + encode 6 named
 * events in <= 1 us.  Build without sanitizers for meaningful figures. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define ITERS 20000

static volatile unsigned sink;

struct set {
    const char *what;
    const char *db;
    int mode;
    int expect; /* return code the set must give */
    size_t n;
    const char *names[KPMC_MAX_EVENTS];
};

static const struct set sets[] = {
    {"6 events, 2 fixed", "a14", KPMC_MODE_ALL, 0, 6,
     {"Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC", "L1D_CACHE_MISS_LD", "INST_BRANCH", "L1I_CACHE_MISS_DEMAND"}},
    {"6 events, user mode (fallback)", "a14", KPMC_MODE_USER, 0, 6,
     {"CORE_ACTIVE_CYCLE", "Instructions", "BRANCH_MISPRED_NONSPEC", "L1D_CACHE_MISS_LD", "INST_BRANCH",
      "L1I_CACHE_MISS_DEMAND"}},
    {"6 events, lower case", "as4", KPMC_MODE_ALL, 0, 6,
     {"cycles", "instructions", "inst_all", "l1d_cache_miss_ld", "inst_branch", "branch_mispred_nonspec"}},
    {"6 events, aliases, 3 fixed", "cometlake", KPMC_MODE_ALL, 0, 6,
     {"INST_ALL", "CORE_ACTIVE_CYCLE", "ReferenceCycles", "INST_BRANCH", "BRANCH_MISPRED_NONSPEC",
      "L1D_CACHE_MISS_LD"}},
    {"5 events, inconsistent fixed", "skylake", KPMC_MODE_ALL, 0, 5,
     {"INST_ALL", "CORE_ACTIVE_CYCLE", "INST_BRANCH", "BRANCH_MISPRED_NONSPEC", "INST_RETIRED.PREC_DIST"}},
    {"4 events, user, other bits", "haswell", KPMC_MODE_USER, 0, 4,
     {"INST_ALL", "CPL_CYCLES.RING0_TRANS", "BR_INST_RETIRED.NEAR_CALL_R3", "UOPS_RETIRED.TOTAL_CYCLES"}},
    {"6 events, masks 0xF0", "icelake", KPMC_MODE_ALL, 0, 6,
     {"INST_RETIRED.ANY", "TOPDOWN.SLOTS", "MEM_LOAD_RETIRED.L1_MISS", "MEM_LOAD_RETIRED.L2_MISS",
      "MEM_LOAD_RETIRED.L3_MISS", "MEM_LOAD_RETIRED.L1_HIT"}},
    {"10 events, every counter", "a14", KPMC_MODE_ALL, 0, 10,
     {"L1D_CACHE_MISS_LD", "L1I_CACHE_MISS_DEMAND", "CORE_ACTIVE_CYCLE", "L1D_TLB_MISS", "INST_BRANCH",
      "BRANCH_MISPRED_NONSPEC", "INST_ALL", "MAP_STALL", "Cycles", "Instructions"}},
    {"does not fit (detail written)", "a14", KPMC_MODE_ALL, KPMC_E_NOFIT, 6,
     {"Cycles", "INST_BRANCH", "INST_BRANCH_CALL", "INST_BRANCH_COND", "INST_ALL", "L1D_CACHE_MISS_LD"}},
};

static double best_of(int rounds, const struct set *s, const kpmc_db *db, const unsigned *events)
{
    double best = 1e30;
    kpmc_plan *plan = bench_plan();
    char detail[KPMC_DETAIL_MAX];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int i = 0; i < ITERS; i++) {
            int rc = events ? kpmc_plan_build(plan, db, events, s->n, s->mode, detail, sizeof detail)
                            : kpmc_plan_build_names(plan, db, s->names, s->n, s->mode, detail, sizeof detail);
            sink += (unsigned)rc;
        }
        double t = (now_ns() - t0) / ITERS;
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 15;
    if (rounds < 1)
        rounds = 1;
    printf("bench_plan: best of %d rounds x %d builds, ns per build\n\n", rounds, ITERS);
    printf("%-10s %-32s %6s %10s %10s\n", "database", "set", "events", "names", "indices");
    double worst6 = 0;
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        const struct set *s = &sets[k];
        const kpmc_db *db = kpmc_db_find(s->db);
        char detail[KPMC_DETAIL_MAX];
        int rc = db ? kpmc_plan_build_names(bench_plan(), db, s->names, s->n, s->mode, detail, sizeof detail) : -1;
        if (!db || rc != s->expect) {
            fprintf(stderr, "bench_plan: %s %s: %d, expected %d: %s\n", s->db, s->what, rc, s->expect,
                    db ? detail : "no such database");
            return 1;
        }
        unsigned events[KPMC_MAX_EVENTS];
        for (size_t i = 0; i < s->n; i++)
            events[i] = (unsigned)kpmc_event_find(db, s->names[i]);
        double by_name = best_of(rounds, s, db, NULL);
        double by_index = best_of(rounds, s, db, events);
        printf("%-10s %-32s %6zu %10.1f %10.1f\n", s->db, s->what, s->n, by_name, by_index);
        if (s->n == 6 && s->expect == 0 && by_name > worst6)
            worst6 = by_name;
    }
    printf("\nslowest 6-event set from names: %.1f ns (budget 1000 ns: %s)\n", worst6,
           worst6 <= 1000 ? "within" : "OVER");
    return 0;
}
