/* bench_read: the counter read path, kpmc_set_read().
 *
 *   bench_read [--reads R] [N ...]      N: events per set (default 1 2 4 6 10)
 *
 * Opens a session (kperf from $KPMC_KPERF_PATH: the simulator in a build
 * tree, the real framework as root on a Mac), builds for each N a set of N
 * events of the session's database (the fixed counters first, then
 * configurable ones, given in reverse so that the read permutes), starts it
 * and reads it R times in a loop.  Prints the wall-clock time per read,
 * which includes the kpc call.
 *
 * The instruction count of kpmc's own part of a read (the budget is 19
 * instructions and 3 an event beyond the kpc call) and the absence of allocations are
 * measured by running this program under callgrind: see bench/read.cmake
 * (target bench_read_callgrind) and bench/read_callgrind.sh. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int bench(kpmc_session *s, unsigned want, unsigned long reads)
{
    const kpmc_db *db = kpmc_session_db(s);
    unsigned ev[KPMC_MAX_EVENTS], n = want;
    if (pick("bench_read", db, ev, n) != 0)
        return 1;
    kpmc_set *set;
    int r = kpmc_set_new_db(s, &set, kpmc_db_id(db), ev, n, KPMC_MODE_ALL);
    if (r == 0)
        r = kpmc_set_start(set);
    if (r != 0) {
        fprintf(stderr, "bench_read: %s: %s\n", kpmc_strerror(r), kpmc_session_error(s));
        kpmc_set_free(set);
        return 1;
    }
    uint64_t v[KPMC_MAX_EVENTS];
    uint64_t check = 0;
    double t0 = now_ns();
    for (unsigned long i = 0; i < reads; i++) {
        r |= kpmc_set_read(set, v);
        check += v[n - 1];
    }
    double t1 = now_ns();
    if (r != 0)
        fprintf(stderr, "bench_read: read: %s\n", kpmc_set_error(set));
    else
        printf("%2u events: %lu reads, %.1f ns per read (wall clock, kpc call included; checksum %llu)\n", n,
               reads, (t1 - t0) / (double)reads, (unsigned long long)check);
    kpmc_set_stop(set);
    kpmc_set_free(set);
    return r != 0;
}

int main(int argc, char **argv)
{
    unsigned long reads = 100000;
    unsigned sizes[KPMC_MAX_EVENTS], n_sizes = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--reads") && i + 1 < argc) {
            reads = strtoul(argv[++i], &end, 10);
            if (*end || !reads) {
                fprintf(stderr, "bench_read: --reads needs a positive number\n");
                return 2;
            }
            continue;
        }
        unsigned long v = strtoul(argv[i], &end, 10);
        if (*end || v == 0 || v > KPMC_MAX_EVENTS || n_sizes == KPMC_MAX_EVENTS) {
            fprintf(stderr, "usage: bench_read [--reads R] [N ...]  (1 <= N <= %d)\n", KPMC_MAX_EVENTS);
            return 2;
        }
        sizes[n_sizes++] = (unsigned)v;
    }
    if (!n_sizes) {
        static const unsigned dflt[] = {1, 2, 4, 6, 10};
        memcpy(sizes, dflt, sizeof dflt);
        n_sizes = 5;
    }
    kpmc_session *s = bench_open("bench_read");
    printf("database %s (cpu %s)\n", kpmc_db_name(kpmc_session_db(s)), kpmc_session_cpu(s));
    int rc = 0;
    for (unsigned i = 0; i < n_sizes; i++)
        rc |= bench(s, sizes[i], reads);
    kpmc_close(s);
    return rc;
}
