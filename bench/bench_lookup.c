/* bench_lookup: name -> event in kpmc's catalog versus libpfm4's
 * pfm_get_os_event_encoding, on the Skylake events both know, same process,
 * same run.
 *
 *   bench_lookup [ROUNDS]
 *
 * libpfm4 is forced to its Skylake PMU (LIBPFM_FORCE_PMU=skl).  Names are
 * the skylake database's, with the first '.' turned into ':' for libpfm4
 * ("INST_RETIRED.ANY_P" -> "INST_RETIRED:ANY_P").  For each side the best
 * of ROUNDS passes over all names is reported, in ns per name.  kpmc is
 * measured three ways: kpmc_event_find (the lookup), the same with
 * lower-case names (the lookup is case-insensitive), and kpmc_event_find +
 * kpmc_plan_build of that one event (name to configuration word, the closer
 * match for what pfm_get_os_event_encoding returns).  Budget: lookup >= 50x
 * faster than libpfm4. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfmon/pfmlib.h>

#include "bench.h"

static volatile long sink;

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    if (rounds < 1)
        rounds = 1;
    setenv("LIBPFM_FORCE_PMU", "skl", 1);
    int rc = pfm_initialize();
    if (rc != PFM_SUCCESS) {
        fprintf(stderr, "bench_lookup: pfm_initialize: %s\n", pfm_strerror(rc));
        return 1;
    }
    const kpmc_db *db = kpmc_db_find("skylake");
    if (!db) {
        fprintf(stderr, "bench_lookup: the catalog has no skylake database\n");
        return 1;
    }
    kpmc_plan *plan = bench_plan();
    kpmc_db_info info = {.size = sizeof info};
    kpmc_db_get(db, &info);
    char **names = calloc(info.n_events, sizeof *names), **lower = calloc(info.n_events, sizeof *lower);
    char **pfm_names = calloc(info.n_events, sizeof *pfm_names);
    size_t n = 0;
    uint64_t codes[4];
    for (unsigned i = 0; i < info.n_events; i++) {
        const char *name = kpmc_event_name(db, i);
        char *p = strdup(name), *dot = strchr(p, '.');
        if (!dot) {
            free(p);
            continue;
        }
        *dot = ':';
        pfm_pmu_encode_arg_t arg;
        memset(&arg, 0, sizeof arg);
        arg.size = sizeof arg;
        arg.codes = codes;
        arg.count = 4;
        if (pfm_get_os_event_encoding(p, PFM_PLM0 | PFM_PLM3, PFM_OS_NONE, &arg) != PFM_SUCCESS) {
            free(p);
            continue;
        }
        names[n] = strdup(name);
        lower[n] = strdup(name);
        for (char *c = lower[n]; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        pfm_names[n] = p;
        n++;
    }
    if (!n) {
        fprintf(stderr, "bench_lookup: no common event names\n");
        return 1;
    }

    double best_kpmc = 1e30, best_lower = 1e30, best_plan = 1e30, best_pfm = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int rep = 0; rep < 20; rep++)
            for (size_t i = 0; i < n; i++)
                sink += kpmc_event_find(db, names[i]);
        double t1 = now_ns();
        for (int rep = 0; rep < 20; rep++)
            for (size_t i = 0; i < n; i++)
                sink += kpmc_event_find(db, lower[i]);
        double t2 = now_ns();
        for (size_t i = 0; i < n; i++) {
            unsigned ev = (unsigned)kpmc_event_find(db, names[i]);
            kpmc_plan_info pi = {.size = sizeof pi};
            if (kpmc_plan_build(plan, db, &ev, 1, KPMC_MODE_ALL, NULL, 0) == 0 && kpmc_plan_get(plan, &pi) == 0)
                sink += (long)pi.config[0];
        }
        double t3 = now_ns();
        for (size_t i = 0; i < n; i++) {
            pfm_pmu_encode_arg_t arg;
            memset(&arg, 0, sizeof arg);
            arg.size = sizeof arg;
            arg.codes = codes;
            arg.count = 4;
            sink += pfm_get_os_event_encoding(pfm_names[i], PFM_PLM0 | PFM_PLM3, PFM_OS_NONE, &arg);
        }
        double t4 = now_ns();
        double k = (t1 - t0) / (20.0 * (double)n), l = (t2 - t1) / (20.0 * (double)n), p = (t3 - t2) / (double)n,
               f = (t4 - t3) / (double)n;
        best_kpmc = k < best_kpmc ? k : best_kpmc;
        best_lower = l < best_lower ? l : best_lower;
        best_plan = p < best_plan ? p : best_plan;
        best_pfm = f < best_pfm ? f : best_pfm;
    }
    printf("name -> event, %zu Skylake events known to both, best of %d rounds:\n", n, rounds);
    printf("  kpmc_event_find                  %9.1f ns/name\n", best_kpmc);
    printf("  kpmc_event_find (lower case)     %9.1f ns/name\n", best_lower);
    printf("  kpmc_event_find + kpmc_plan_build %8.1f ns/name\n", best_plan);
    printf("  libpfm4 pfm_get_os_event_encoding %8.1f ns/name\n", best_pfm);
    printf("  speed-up: lookup %.0fx, lookup+encode %.0fx (budget: lookup >= 50x)\n", best_pfm / best_kpmc,
           best_pfm / best_plan);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        free(lower[i]);
        free(pfm_names[i]);
    }
    free(names);
    free(lower);
    free(pfm_names);
    pfm_terminate();
    return 0;
}
