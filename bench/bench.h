/* What the benchmarks that link kpmc share: a session, a plan to build
 * into, events that fit together, and a clock. */
#ifndef KPMC_BENCH_H
#define KPMC_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <kpmc/kpmc.h>

/* A session (kperf from $KPMC_KPERF_PATH: the simulator in a build tree,
 * the real framework as root on a Mac); when kpmc_open fails, why on stderr
 * after "program: " and exit status 1. */
static inline kpmc_session *bench_open(const char *program)
{
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    if (r != 0) {
        fprintf(stderr, "%s: kpmc_open: %s: %s\n", program, kpmc_strerror(r), kpmc_session_error(s));
        kpmc_close(s);
        exit(1);
    }
    return s;
}

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

/* n events of db that fit together into ev, in reverse order of choice
 * (so that a read permutes): fixed events first, one per fixed counter,
 * then configurable events.  0, or -1 after saying on stderr (after
 * "program: ") that db has fewer. */
static inline int pick(const char *program, const kpmc_db *db, unsigned *ev, unsigned n)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    unsigned got = 0;
    uint32_t fixed_used = 0;
    for (int pass = 0; pass < 2; pass++)
        for (unsigned i = 0; i < d.n_events && got < n; i++) {
            kpmc_event_info e = {.size = sizeof e};
            kpmc_event_get(db, i, &e);
            int fixed = (e.has & KPMC_HAS_FIXED_COUNTER) != 0;
            if (fixed != (pass == 0) || (fixed && (e.flags || (e.counters & fixed_used))))
                continue;
            if (!fixed && (!(e.has & KPMC_HAS_NUMBER) || !e.number))
                continue;
            ev[got++] = i;
            if (kpmc_plan_build(bench_plan(), db, ev, got, KPMC_MODE_ALL, NULL, 0) != 0)
                got--;
            else if (fixed)
                fixed_used |= e.counters;
        }
    if (got != n) {
        fprintf(stderr, "%s: database %s has only %u events that fit together, not %u\n", program, d.name, got, n);
        return -1;
    }
    for (unsigned i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        unsigned t = ev[i];
        ev[i] = ev[j];
        ev[j] = t;
    }
    return 0;
}

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#endif
