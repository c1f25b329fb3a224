/* Helpers of the read benchmarks (bench_read.c, bench_measure.c). */
#ifndef KPMC_BENCH_PICK_EVENTS_H
#define KPMC_BENCH_PICK_EVENTS_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <kpmc/kpmc.h>

/* Up to max events of db that fit together: fixed events first, one per
 * fixed counter, then configurable events. */
/* A plan to build into, made once (kpmc_plan_new) and kept for the
 * program's life. */
static inline kpmc_plan *bench_plan(void)
{
    static kpmc_plan *plan;
    if (!plan && kpmc_plan_new(&plan) != 0) {
        fprintf(stderr, "kpmc_plan_new failed\n");
        exit(1);
    }
    return plan;
}

static inline unsigned pick(const kpmc_db *db, unsigned *ev, unsigned max)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    unsigned n = 0;
    uint32_t fixed_used = 0;
    for (int pass = 0; pass < 2; pass++)
        for (unsigned i = 0; i < d.n_events && n < max; i++) {
            kpmc_event_info e = {.size = sizeof e};
            kpmc_event_get(db, i, &e);
            int fixed = (e.has & KPMC_HAS_FIXED_COUNTER) != 0;
            if (fixed != (pass == 0) || (fixed && (e.flags || (e.counters & fixed_used))))
                continue;
            if (!fixed && (!(e.has & KPMC_HAS_NUMBER) || !e.number))
                continue;
            ev[n++] = i;
            if (kpmc_plan_build(bench_plan(), db, ev, n, KPMC_MODE_ALL, NULL, 0) != 0)
                n--;
            else if (fixed)
                fixed_used |= e.counters;
        }
    for (unsigned i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        unsigned t = ev[i];
        ev[i] = ev[j];
        ev[j] = t;
    }
    return n;
}

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#endif
