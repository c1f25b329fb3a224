/* Counting with the real kperf.framework (macOS, root): a loop whose
 * instruction count is known exactly, measured as Instructions (the alias)
 * and Cycles, in user+kernel and in user-only mode.
 *
 * The loop, in inline assembly, runs N iterations of a block of BLOCK
 * dependent adds plus a decrement and a conditional branch: N * (BLOCK + 2)
 * instructions.  Fixed costs (the reads themselves, kernel entry and exit)
 * cancel in the difference between a run of 2N and a run of N iterations;
 * the minimum over several runs discards interrupts.  Checks:
 *  - every run counts at least the loop's own instructions;
 *  - count(2N) - count(N) is N * (BLOCK + 2) within TOLERANCE;
 *  - in user-only mode, the instructions outside the loop (the user-mode
 *    part of two reads) stay below USER_OVERHEAD_MAX;
 *  - the chain of BLOCK dependent adds takes at least BLOCK cycles per
 *    iteration, and no more than CYCLES_SLACK times that.
 * It reports what the kernel of the machine does (kpmc_session_probe: the
 * allowlist, whether configurable counters count kernel mode) and the modes
 * each event counts in, as read back (kpmc_set_event_modes), and checks that
 * a KPMC_MODE_ALL set mixing fixed and configurable events counts every
 * event in the same modes, with the modes the plan expects.
 *
 * Skips (77) when not on macOS, when not root, and under Rosetta.
 */
#include <kpmc/kpmc.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

#include "plan_view.h"

#define BLOCK 16
#define PER_ITER (BLOCK + 2)
#define N_ITER 1000000u
#define REPEATS 9
#define TOLERANCE 0.01
#define USER_OVERHEAD_MAX 5000u
#define CYCLES_SLACK 8

/* The loop: BLOCK adds into acc, then n decremented and a branch back to
 * the top while it is not 0; ADD1 and NEXT are the instructions of each
 * architecture. */
#define ADD4(op) op op op op
#if defined(__x86_64__)
#define HAVE_LOOP 1
#define ADD1 "add $1, %1\n\t"
#define NEXT "sub $1, %0\n\t" \
             "jnz 1b\n\t"
#elif defined(__aarch64__) || defined(__arm64__)
#define HAVE_LOOP 1
#define ADD1 "add %1, %1, #1\n\t"
#define NEXT "subs %0, %0, #1\n\t" \
             "b.ne 1b\n\t"
#else
#define HAVE_LOOP 0
#endif

static void run_loop(uint64_t n)
{
#if HAVE_LOOP
    uint64_t acc = 0;
    __asm__ __volatile__("1:\n\t" ADD4(ADD4(ADD1)) NEXT : "+r"(n), "+r"(acc) : : "cc");
#else
    (void)n;
#endif
}

static int translated(void)
{
#if defined(__APPLE__)
    int v = 0;
    size_t len = sizeof v;
    if (sysctlbyname("sysctl.proc_translated", &v, &len, NULL, 0) == 0 && v == 1)
        return 1;
#endif
    return 0;
}

static const char *mode_name(int mode)
{
    return mode == KPMC_MODE_USER ? "user" : "all";
}

static const char *modes_name(int modes)
{
    switch (modes) {
    case KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL: return "user and kernel mode";
    case KPMC_COUNTS_USER: return "user mode only";
    case KPMC_COUNTS_KERNEL: return "kernel mode only";
    default: return "nothing (or an error)";
    }
}

/* What the machine's kernel does, from kpmc_session_probe. */
static void report_kernel(kpmc_session *s)
{
    kpmc_probe pr = {.size = sizeof pr};
    memset(&pr, 0, sizeof pr);
    pr.size = sizeof pr;
    int rc = kpmc_session_probe(s, &pr);
    if (rc != 0) {
        printf("kernel: probe failed: %s (%s)\n", kpmc_strerror(rc), kpmc_session_error(s));
        return;
    }
    printf("kernel: allowlist %s, %u of %u configurable events refused alone; configurable counters count %s\n",
           pr.allowlist < 0 ? "none" : pr.allowlist ? "on" : "off", pr.n_refused, pr.n_tried,
           pr.kernel_counting < 0 ? "unknown modes" : pr.kernel_counting ? "user and kernel mode" : "user mode only");
}

/* A KPMC_MODE_ALL set mixing fixed and configurable events: every event
 * must count in the same modes, those its plan expects. */
static int check_mixed(kpmc_session *s)
{
    const int ev[] = {KPMC_EV_INSTRUCTIONS, KPMC_EV_CYCLES, KPMC_EV_INST_BRANCH};
    static const char *const names[] = {"Instructions", "Cycles", "INST_BRANCH"};
    kpmc_set *set = NULL;
    int rc = kpmc_set_new_ev(s, &set, ev, 3, KPMC_MODE_ALL);
    if (rc == KPMC_E_NOEVENT) {
        printf("[mixed] skipped: %s\n", kpmc_session_error(s));
        return 0;
    }
    if (rc == 0)
        rc = kpmc_set_start(set);
    if (rc != 0) {
        printf("FAIL [mixed]: %s (%s)\n", kpmc_strerror(rc), kpmc_session_error(s));
        kpmc_set_free(set);
        return 1;
    }
    struct plan_view plan_view;
    plan_read(kpmc_set_plan(set), &plan_view);
    const struct plan_view *plan = &plan_view;
    int failures = 0, first = kpmc_set_event_modes(set, 0);
    for (unsigned i = 0; i < plan->n_events; i++) {
        int m = kpmc_set_event_modes(set, i);
        printf("[mixed] %s -> %s%s, counts %s\n", names[i], kpmc_event_name(plan->db, plan->events[i].resolved),
               plan->events[i].fixed ? " (fixed)" : "", modes_name(m));
        if (m != first || m != (int)plan->events[i].counts) {
            printf("FAIL [mixed]: %s counts %s, the set's first event %s, its plan %s\n", names[i], modes_name(m),
                   modes_name(first), modes_name((int)plan->events[i].counts));
            failures++;
        }
    }
    kpmc_set_stop(set);
    kpmc_set_free(set);
    return failures;
}

/* Instructions and cycles of one run of n iterations. */
static int measure(kpmc_set *set, uint64_t n, uint64_t out[2])
{
    uint64_t a[2], b[2];
    int rc = kpmc_set_read(set, a);
    if (rc == 0) {
        run_loop(n);
        rc = kpmc_set_read(set, b);
    }
    if (rc != 0) {
        printf("FAIL: kpmc_set_read: %s (%s)\n", kpmc_strerror(rc), kpmc_set_error(set));
        return -1;
    }
    out[0] = b[0] - a[0];
    out[1] = b[1] - a[1];
    return 0;
}

static int check_mode(kpmc_session *s, int mode)
{
    /* User mode: Cycles (FIXED_CYCLES) has no fallback on Apple chips;
     * CORE_ACTIVE_CYCLE counts them on a configurable counter (on Intel it
     * is an alias of the fixed cycles event, whose fallback counts them). */
    static const char *const all_names[] = {"Instructions", "Cycles"};
    static const char *const user_names[] = {"Instructions", "CORE_ACTIVE_CYCLE"};
    const char *const *names = mode == KPMC_MODE_USER ? user_names : all_names;
    kpmc_set *set = NULL;
    int rc = kpmc_set_new(s, &set, names, 2, mode);
    if (rc == 0)
        rc = kpmc_set_start(set);
    if (rc != 0) {
        printf("FAIL [%s]: cannot count Instructions and Cycles: %s (%s)\n", mode_name(mode),
               kpmc_strerror(rc), kpmc_session_error(s));
        kpmc_set_free(set);
        return 1;
    }
    struct plan_view plan_view;
    plan_read(kpmc_set_plan(set), &plan_view);
    const struct plan_view *plan = &plan_view;
    const kpmc_db *db = kpmc_session_db(s);
    for (unsigned i = 0; i < plan->n_events; i++)
        printf("[%s] %s -> %s on counter %u%s, word 0x%" PRIx64 ", counts %s\n", mode_name(mode), names[i],
               kpmc_event_name(db, plan->events[i].resolved), plan->events[i].counter,
               plan->events[i].fixed ? " (fixed)" : "", plan->events[i].config,
               modes_name(kpmc_set_event_modes(set, i)));

    const uint64_t loop1 = (uint64_t)N_ITER * PER_ITER;
    uint64_t min1[2] = {UINT64_MAX, UINT64_MAX}, min2[2] = {UINT64_MAX, UINT64_MAX};
    uint64_t d[2];
    int failures = 0;
    if (measure(set, N_ITER, d) != 0) /* warm-up */
        failures++;
    for (int r = 0; r < REPEATS && !failures; r++) {
        if (measure(set, N_ITER, d) != 0) {
            failures++;
            break;
        }
        for (int k = 0; k < 2; k++)
            min1[k] = d[k] < min1[k] ? d[k] : min1[k];
        if (measure(set, 2u * N_ITER, d) != 0) {
            failures++;
            break;
        }
        for (int k = 0; k < 2; k++)
            min2[k] = d[k] < min2[k] ? d[k] : min2[k];
    }
    kpmc_set_stop(set);
    kpmc_set_free(set);
    if (failures)
        return 1;

    printf("[%s] %u iterations of %d instructions: min %" PRIu64 " instructions, %" PRIu64
           " cycles; %u iterations: min %" PRIu64 " instructions, %" PRIu64 " cycles\n",
           mode_name(mode), N_ITER, PER_ITER, min1[0], min1[1], 2u * N_ITER, min2[0], min2[1]);

    if (min1[0] < loop1 || min2[0] < 2 * loop1) {
        printf("FAIL [%s]: fewer instructions than the loop itself executes (%" PRIu64 ", %" PRIu64
               " < %" PRIu64 ", %" PRIu64 ")\n",
               mode_name(mode), min1[0], min2[0], loop1, 2 * loop1);
        failures++;
    } else {
        uint64_t diff = min2[0] - min1[0];
        double err = ((double)diff - (double)loop1) / (double)loop1;
        printf("[%s] count(2N) - count(N) = %" PRIu64 ", expected %" PRIu64 " (%+.4f%%)\n",
               mode_name(mode), diff, loop1, 100.0 * err);
        if (err > TOLERANCE || err < -TOLERANCE) {
            printf("FAIL [%s]: the loop's instruction count is off by more than %.1f%%\n",
                   mode_name(mode), 100.0 * TOLERANCE);
            failures++;
        }
        if (mode == KPMC_MODE_USER && min1[0] - loop1 > USER_OVERHEAD_MAX) {
            printf("FAIL [%s]: %" PRIu64 " instructions counted outside the loop in user-only mode "
                   "(at most %u expected: the user-mode part of two reads); is the kernel counted?\n",
                   mode_name(mode), min1[0] - loop1, USER_OVERHEAD_MAX);
            failures++;
        }
    }
    const uint64_t chain = (uint64_t)N_ITER * BLOCK;
    if (min1[1] < chain || min1[1] > CYCLES_SLACK * chain) {
        printf("FAIL [%s]: %" PRIu64 " cycles for %u iterations of %d dependent adds; expected "
               "between %" PRIu64 " and %" PRIu64 "\n",
               mode_name(mode), min1[1], N_ITER, BLOCK, chain, CYCLES_SLACK * chain);
        failures++;
    }
    return failures;
}

static int on_macos(void)
{
#if defined(__APPLE__)
    return 1;
#else
    return 0;
#endif
}

int main(void)
{
    if (!on_macos()) {
        puts("skipped: needs macOS (counts with the real kperf.framework)");
        return 77;
    }
    if (!HAVE_LOOP) {
        puts("skipped: no counting loop for this architecture");
        return 77;
    }
    if (translated()) {
        puts("skipped: running under Rosetta, where the counters are unavailable");
        return 77;
    }
    kpmc_session *s = NULL;
    int rc = kpmc_open(&s, NULL);
    if (rc == KPMC_E_PERM) {
        printf("skipped: counting needs root (%s)\n", s ? kpmc_session_error(s) : "");
        kpmc_close(s);
        return 77;
    }
    if (rc != 0) {
        printf("FAIL: kpmc_open: %s (%s)\n", kpmc_strerror(rc), s ? kpmc_session_error(s) : "");
        kpmc_close(s);
        return 1;
    }
    printf("cpu %s, database %s\n", kpmc_session_cpu(s), kpmc_db_name(kpmc_session_db(s)));
    report_kernel(s);
    int failures = check_mode(s, KPMC_MODE_ALL);
    failures += check_mode(s, KPMC_MODE_USER);
    failures += check_mixed(s);
    kpmc_close(s);
    if (failures) {
        printf("%d check(s) failed\n", failures);
        return 1;
    }
    puts("ok");
    return 0;
}
