/* kpmc quick start: count the cycles, instructions and mispredicted
 * branches of a loop on this thread.
 *
 *   cc -o quickstart quickstart.c $(pkg-config --cflags --libs kpmc)
 *   sudo ./quickstart
 *
 * Counting needs root.  Any failure prints kpmc's detail message (which
 * call, which event, which errno) and exits with status 1. */
#include <stdint.h>
#include <stdio.h>

#include <kpmc/kpmc.h>

#define N_EVENTS 3

static volatile uint64_t sink;

/* Something to measure: a pseudo-random walk with hard-to-predict
 * branches. */
static void work(void)
{
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x & 1)
            sink += x;
    }
}

int main(void)
{
    kpmc_session *s;
    int r = kpmc_open(&s, NULL); /* loads kperf, finds this CPU's events */
    if (r != 0) {
        fprintf(stderr, "kpmc_open: %s: %s\n", kpmc_strerror(r), kpmc_session_error(s));
        kpmc_close(s);
        return 1;
    }
    printf("CPU %s, event database %s\n", kpmc_session_cpu(s), kpmc_db_name(kpmc_session_db(s)));

    /* Names or aliases of this CPU's database; "Cycles" and "Instructions"
     * are aliases every Apple database has. */
    const char *names[N_EVENTS] = {"Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC"};
    kpmc_set *set;
    r = kpmc_set_new(s, &set, names, N_EVENTS, KPMC_MODE_ALL);
    if (r == 0)
        r = kpmc_set_start(set); /* counts this thread from now on */
    if (r != 0) {
        fprintf(stderr, "kpmc: %s: %s\n", kpmc_strerror(r), kpmc_session_error(s));
        kpmc_set_free(set);
        kpmc_close(s);
        return 1;
    }

    uint64_t before[N_EVENTS], after[N_EVENTS];
    r = kpmc_set_read(set, before); /* running totals, in the order of names[] */
    if (r == 0) {
        work();
        r = kpmc_set_read(set, after);
    }
    if (r != 0)
        fprintf(stderr, "kpmc_set_read: %s: %s\n", kpmc_strerror(r), kpmc_set_error(set));
    else
        for (int i = 0; i < N_EVENTS; i++)
            printf("%-24s %12llu\n", names[i], (unsigned long long)(after[i] - before[i]));

    int stopped = kpmc_set_stop(set);
    if (stopped != 0) {
        fprintf(stderr, "kpmc_set_stop: %s: %s\n", kpmc_strerror(stopped), kpmc_session_error(s));
        r = stopped;
    }
    kpmc_set_free(set);
    kpmc_close(s); /* puts the kernel's counter state back as it was found */
    return r == 0 ? 0 : 1;
}
