/* bench_measure: the measurement loop (kpmc_measure_next) and the raw read
 * (kpmc_set_read_raw).
 *
 *   bench_measure [--samples S] region|raw|read N
 *
 * Opens a session (kperf from $KPMC_KPERF_PATH: the simulator in a build
 * tree, the real framework as root on a Mac) and picks N events of its
 * database that fit together (as bench_read does), then
 *   region: measures an empty region S times (one group, no warm-up, the
 *           empty region's calibration included: 2 S samples in all) with
 *           `while (kpmc_measure_next(m) > 0) {}`;
 *   raw:    reads the set S times with kpmc_set_read_raw;
 *   read:   reads the set S times with kpmc_set_read.
 * Prints the wall-clock time per sample or read, kpc call included.
 *
 * The instructions of kpmc's own part, beyond the kpc calls, are counted by
 * running this program under callgrind: bench/measure.cmake (target
 * bench_measure_callgrind) and bench/measure_callgrind.sh. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#include "bench.h"

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* The loops callgrind looks at: each is its own function. */
NOINLINE static int region_loop(kpmc_measure *m)
{
    int r;
    while ((r = kpmc_measure_next(m)) > 0) {
    }
    return r;
}

NOINLINE static int raw_loop(kpmc_set *set, uint64_t *buf, unsigned long n)
{
    int r = 0;
    for (unsigned long i = 0; i < n; i++)
        r |= kpmc_set_read_raw(set, buf);
    return r;
}

NOINLINE static int read_loop(kpmc_set *set, uint64_t *out, unsigned long n)
{
    int r = 0;
    for (unsigned long i = 0; i < n; i++)
        r |= kpmc_set_read(set, out);
    return r;
}

int main(int argc, char **argv)
{
    unsigned long samples = 100000;
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "--samples")) {
        char *end;
        samples = strtoul(argv[a + 1], &end, 10);
        if (*end || !samples || samples > (1ul << 24)) {
            fprintf(stderr, "bench_measure: --samples needs a number from 1 to %lu\n", 1ul << 24);
            return 2;
        }
        a += 2;
    }
    unsigned long want = a + 1 < argc ? strtoul(argv[a + 1], NULL, 10) : 0;
    if (a + 2 != argc || (strcmp(argv[a], "region") && strcmp(argv[a], "raw") && strcmp(argv[a], "read")) ||
        want < 1 || want > KPMC_MAX_EVENTS) {
        fprintf(stderr, "usage: bench_measure [--samples S] region|raw|read N  (1 <= N <= %d)\n", KPMC_MAX_EVENTS);
        return 2;
    }
    const char *what = argv[a];

    kpmc_session *s = bench_open("bench_measure");
    const kpmc_db *db = kpmc_session_db(s);
    unsigned ev[KPMC_MAX_EVENTS], n = (unsigned)want;
    if (pick("bench_measure", db, ev, n) != 0) {
        kpmc_close(s);
        return 1;
    }
    const char *names[KPMC_MAX_EVENTS];
    for (unsigned i = 0; i < n; i++)
        names[i] = kpmc_event_name(db, ev[i]);

    int r;
    double t0 = 0, t1 = 0;
    if (!strcmp(what, "region")) {
        kpmc_measure_options o;
        kpmc_measure_defaults(&o);
        o.repetitions = (unsigned)samples;
        o.warmup = 0;
        kpmc_measure *m;
        r = kpmc_measure_new(s, &m, names, n, &o);
        if (r == 0) {
            t0 = now_ns();
            r = region_loop(m);
            t1 = now_ns();
            if (r != 0)
                fprintf(stderr, "bench_measure: %s\n", kpmc_measure_error(m));
            kpmc_measure_free(m);
        } else {
            fprintf(stderr, "bench_measure: %s\n", kpmc_session_error(s));
        }
        samples *= 2; /* the empty region's samples too */
    } else {
        kpmc_set *set;
        r = kpmc_set_new(s, &set, names, n, KPMC_MODE_ALL);
        if (r == 0)
            r = kpmc_set_start(set);
        uint64_t buf[KPMC_MAX_EVENTS];
        if (r == 0) {
            t0 = now_ns();
            r = !strcmp(what, "raw") ? raw_loop(set, buf, samples) : read_loop(set, buf, samples);
            t1 = now_ns();
            kpmc_set_stop(set);
        }
        if (r != 0)
            fprintf(stderr, "bench_measure: %s %s\n", kpmc_session_error(s), kpmc_set_error(set));
        kpmc_set_free(set);
    }
    if (r == 0)
        printf("%s, %u events on %s: %lu %s, %.1f ns each (wall clock, kpc call included)\n", what, n,
               kpmc_db_name(db), samples, strcmp(what, "region") ? "reads" : "samples", (t1 - t0) / (double)samples);
    kpmc_close(s);
    return r != 0;
}
