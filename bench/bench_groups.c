/* bench_groups: kpmc_groups_build on large inputs.
 *
 *   bench_groups [ROUNDS]
 *
 * First, for every database, every event that can be counted alone (up to
 * 64), split into groups: the least time of 20 calls.  Then ROUNDS (default
 * 3000) random inputs: a database, a mode, 0-2 anchors and 8-64 events that
 * each fit with the anchors and count nothing another counts: the least of
 * three calls each, on average and the slowest case.  The partition is
 * exact, so its cost depends on how soon the best partition found meets the
 * lower bound. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>

#include <kpmc/measure.h>

#include "bench.h"

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 3000;
    if (argc > 2 || !rounds) {
        fprintf(stderr, "usage: bench_groups [ROUNDS]\n");
        return 2;
    }
    printf("every event of a database that can be counted alone (up to 64), all modes:\n");
    for (size_t d = 0; d < kpmc_db_count(); d++) {
        const kpmc_db *db = kpmc_db_at(d);
        kpmc_db_info info = {.size = sizeof info};
        kpmc_db_get(db, &info);
        const char *names[KPMC_GROUPS_MAX];
        size_t n = 0;
        for (unsigned i = 0; i < info.n_events && n < KPMC_GROUPS_MAX; i++) {
            if (kpmc_plan_build(bench_plan(), db, &i, 1, KPMC_MODE_ALL, NULL, 0) == 0)
                names[n++] = kpmc_event_name(db, i);
        }
        char detail[KPMC_DETAIL_MAX];
        int r = 0;
        double t = 0;
        for (int k = 0; k < 20; k++) {
            double t0 = now_ns();
            kpmc_groups *gs;
            r = kpmc_groups_build(&gs, db, names, n, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
            kpmc_groups_free(gs);
            double dt = now_ns() - t0;
            t = k == 0 || dt < t ? dt : t;
        }
        if (r > 0)
            printf("  %-10s %2zu events: %2d groups in %6.1f us\n", info.name, n, r, t / 1000);
        else
            printf("  %-10s %2zu events: refused in %.1f us (%s)\n", info.name, n, t / 1000, detail);
    }

    srand(1);
    double worst = 0, total = 0;
    const char *worst_db = "";
    size_t worst_n = 0, cases = 0;
    int worst_groups = 0;
    for (unsigned long round = 0; round < rounds; round++) {
        const kpmc_db *db = kpmc_db_at((size_t)rand() % kpmc_db_count());
        kpmc_db_info info = {.size = sizeof info};
        kpmc_db_get(db, &info);
        int mode = rand() % 2 ? KPMC_MODE_USER : KPMC_MODE_ALL;
        const char *anchors[2] = {"INST_ALL", "CORE_ACTIVE_CYCLE"};
        size_t na = (size_t)rand() % 3;
        if (na && kpmc_plan_build_names(bench_plan(), db, anchors, na, mode, NULL, 0) != 0)
            na = 0;
        const char *names[KPMC_GROUPS_MAX];
        size_t n = 0, want = 8 + (size_t)rand() % 57;
        for (int tries = 0; tries < 2000 && n < want; tries++) {
            names[n] = kpmc_event_name(db, (unsigned)rand() % (unsigned)info.n_events);
            kpmc_groups *gs;
            if (kpmc_groups_build(&gs, db, names, n + 1, anchors, na, mode, NULL, 0) > 0)
                n++;
            kpmc_groups_free(gs);
        }
        /* the least of three calls: the machine's noise left out */
        double t = 0;
        int r = 0;
        for (int k = 0; k < 3; k++) {
            double t0 = now_ns();
            kpmc_groups *gs;
            r = kpmc_groups_build(&gs, db, names, n, anchors, na, mode, NULL, 0);
            kpmc_groups_free(gs);
            double dt = now_ns() - t0;
            t = k == 0 || dt < t ? dt : t;
        }
        if (r <= 0)
            continue;
        cases++;
        total += t;
        if (t > worst) {
            worst = t;
            worst_db = info.name;
            worst_n = n;
            worst_groups = r;
        }
    }
    printf("%zu random inputs of 8-64 events: %.1f us on average; the slowest %.1f us (%s, %zu events, %d groups)\n",
           cases, cases ? total / (double)cases / 1000 : 0, worst / 1000, worst_db, worst_n, worst_groups);
    return 0;
}
