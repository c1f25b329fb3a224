/* The measurement API against the simulated kperf, under each of its
 * kernels (KPMC_SIM_KERNEL, set per registration: measure.CASE.KERNEL).
 *
 * Known work: the simulator advances a thread's counters at every
 * kpc_get_thread_counters() call by what each counter counts in the modes
 * it counts (tests/sim/kpmc_sim.h: its base in user mode, twice its base in
 * kernel mode; fixed counter i has base (i + 1) * 1000, a configurable
 * counter its selector), so the measured code here is "k calls of the
 * simulator's kpc_get_thread_counters".  A sample whose region made K such
 * calls reads (K + 1) steps (the read that ends it adds one); the empty
 * region reads 1 step; so after calibration a sample is K steps, and per
 * iteration K * step / iterations.  What each event counts, and so its
 * step, is worked out below from the database, the README ("Modes",
 * "Kernel versions": on a kernel whose configurable counters count user
 * mode only, a KPMC_MODE_ALL measurement mixing fixed and configurable
 * events counts every event in user mode on configurable counters, Cycles
 * as CORE_ACTIVE_CYCLE and Instructions as INST_ALL) and the simulator's
 * model (test_session_util.c's per_read), never from kpmc's output.
 *
 * Usage: test_measure CASE (one CTest case each, see main()). */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#include "stats_ref.h"
#include "test_session.h"
#include "plan_view.h"

/* ---- known work ---- */

static int (*sim_read)(uint32_t, uint32_t, uint64_t *);

static void work(unsigned k)
{
    uint64_t buf[KPMC_SIM_MAX_COUNTERS];
    for (unsigned i = 0; i < k; i++)
        sim_read(0, KPMC_SIM_MAX_COUNTERS, buf);
}

/* A script of work: call c (from 0) makes k[c % len] reads. */
struct script {
    const unsigned *k;
    size_t len;
    unsigned calls;
    uint64_t word7[512]; /* by the callback: see scripted() */
};

static void step(struct script *s)
{
    work(s->k[s->calls++ % s->len]);
}

/* The callback: the script's next call, recording which group is
 * programmed (by the word on configurable counter 7). */
static void scripted(void *arg)
{
    struct script *s = arg;
    if (s->calls < 512) {
        struct kpmc_sim_state st = sim_state();
        s->word7[s->calls] = st.config[5]; /* a14: counter 7 is the 6th configurable */
    }
    step(s);
}

/* The region loop over m, each run the script's next call; what
 * kpmc_measure_next ended with. */
static int region_loop(kpmc_measure *m, struct script *s)
{
    int r;
    while ((r = kpmc_measure_next(m)) > 0)
        step(s);
    return r;
}

static void check_stats(const kpmc_stats *got, const kpmc_stats *want, const char *what)
{
    CHECK(got->size == sizeof *got, "%s: size %zu", what, got->size);
    CHECK(got->n == want->n, "%s: n %zu, want %zu", what, got->n, want->n);
    CHECK(stats_ref_near(got->min, want->min), "%s: min %g, want %g", what, got->min, want->min);
    CHECK(stats_ref_near(got->median, want->median), "%s: median %g, want %g", what, got->median, want->median);
    CHECK(stats_ref_near(got->mean, want->mean), "%s: mean %.17g, want %.17g", what, got->mean, want->mean);
    CHECK(stats_ref_near(got->stddev, want->stddev), "%s: stddev %.17g, want %.17g", what, got->stddev, want->stddev);
    CHECK(stats_ref_near(got->mad, want->mad), "%s: mad %g, want %g", what, got->mad, want->mad);
}

/* The overhead of an event: every empty sample reads one step. */
static void check_overhead(const kpmc_measured_event *ev, double step, size_t n)
{
    kpmc_stats want = {sizeof want, step, step, step, 0, 0, n};
    char what[96];
    snprintf(what, sizeof what, "%s overhead", ev->name);
    check_stats(&ev->overhead, &want, what);
}

/* ---- what an event counts on the simulated kernel ---- */

struct expect {
    const char *counted; /* the database's event counted */
    uint64_t word;       /* its configurable word as the kernel stores it (0: fixed) */
    double step;         /* what one read adds to it */
    unsigned counts;     /* KPMC_COUNTS_* */
};

/* Fixed events and the configurable events that count them on a
 * configurable counter (README "Modes"): FIXED_INSTRUCTIONS's fallback,
 * CORE_ACTIVE_CYCLE for FIXED_CYCLES (which has none); `always`: also in
 * KPMC_MODE_ALL on every kernel (the catalog flags skylake's
 * CPU_CLK_UNHALTED.THREAD's fixed counter as shared). */
static const struct {
    const char *db, *fixed, *conf;
    int always;
} moves[] = {{"a14", "FIXED_CYCLES", "CORE_ACTIVE_CYCLE", 0},
             {"a14", "FIXED_INSTRUCTIONS", "INST_ALL", 0},
             {"skylake", "CPU_CLK_UNHALTED.THREAD", "CPU_CLK_UNHALTED.THREAD_P", 1}};

/* What `event` (a name or alias of database db_name) counts in a
 * measurement in `mode` on the simulated kernel; `mixed`: the measurement
 * mixes fixed and configurable events. */
static struct expect expect(const char *db_name, const char *event, int mode, int mixed)
{
    const kpmc_db *db = kpmc_db_find(db_name);
    kpmc_db_info d = {.size = sizeof d};
    kpmc_event_info e = {.size = sizeof e};
    kpmc_db_get(db, &d);
    if (kpmc_event_get(db, (unsigned)kpmc_event_find(db, event), &e) != 0) {
        fprintf(stderr, "%s has no event %s\n", db_name, event);
        exit(1);
    }
    int user = mode == KPMC_MODE_USER || (mixed && mode == KPMC_MODE_ALL && !sim_counts_kernel(&d));
    if (e.has & KPMC_HAS_FIXED_COUNTER) {
        const char *conf = NULL;
        for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
            if (!strcmp(moves[i].db, db_name) && !strcmp(moves[i].fixed, e.name) && (user || moves[i].always))
                conf = moves[i].conf;
        if (!conf) {
            struct expect x = {e.name, 0,
                               (double)per_read(&d, 0, (int)rank_in(d.fixed_counters, e.fixed_counter)),
                               KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL};
            return x;
        }
        kpmc_event_get(db, (unsigned)kpmc_event_find(db, conf), &e);
    }
    uint64_t w = stored_word(&d, expected_word(&d, &e));
    unsigned counts;
    if (d.arch == KPMC_ARCH_ARM64) {
        w |= user ? 0x30000u : 0u; /* EL0A32EN | EL0A64EN */
        counts = KPMC_COUNTS_USER | (!user && sim_counts_kernel(&d) ? KPMC_COUNTS_KERNEL : 0u);
    } else {
        counts = ((w & 0x10000u) ? KPMC_COUNTS_USER : 0u) | ((w & 0x20000u) ? KPMC_COUNTS_KERNEL : 0u);
    }
    struct expect x = {e.name, w, (double)per_read(&d, w, -1), counts};
    return x;
}

/* expect() of each of the n events ev. */
static void expect_all(struct expect *x, const char *db_name, const char *const *ev, size_t n, int mode, int mixed)
{
    for (size_t e = 0; e < n; e++)
        x[e] = expect(db_name, ev[e], mode, mixed);
}

/* The simulated kernel's configurable counters of db_name count user mode
 * only. */
static int user_only(const char *db_name)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_db_find(db_name), &d);
    return !sim_counts_kernel(&d);
}

/* What a result event says it counted, against x. */
static void check_counted(const kpmc_measured_event *ev, const struct expect *x)
{
    CHECK(!strcmp(ev->counted, x->counted) && ev->counts == x->counts, "%s counted %s, counts 0x%x; want %s, 0x%x",
          ev->name, ev->counted, ev->counts, x->counted, x->counts);
}

static kpmc_session *open_db(const char *db, const char *fault)
{
    char env[64];
    snprintf(env, sizeof env, "KPMC_SIM_DB=%s", db);
    sim_env(env, fault, NULL);
    sim_find("kpc_get_thread_counters", &sim_read);
    kpmc_session *s;
    if (kpmc_open(&s, NULL) != 0) {
        fprintf(stderr, "kpmc_open: %s\n", kpmc_session_error(s));
        exit(1);
    }
    return s;
}

/* kpmc_measure_new of the n events ev with options o on s, checked; NULL
 * when it fails, and then s is closed (the case ends there). */
static kpmc_measure *measure_new(kpmc_session *s, const char *const *ev, size_t n, const kpmc_measure_options *o)
{
    kpmc_measure *m = NULL;
    int r = kpmc_measure_new(s, &m, ev, n, o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        kpmc_close(s);
    return r ? NULL : m;
}

static void measure_close(kpmc_session *s, kpmc_measure *m)
{
    kpmc_measure_free(m);
    kpmc_close(s);
}

/* The result of the run of m that returned r, checked (r is 0, there is a
 * result); NULL when there is none, and then m and s are closed. */
static const kpmc_result *measure_result(kpmc_session *s, kpmc_measure *m, int r)
{
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(r == 0 && res, "run: %d %s", r, kpmc_measure_error(m));
    if (!res)
        measure_close(s, m);
    return res;
}

/* ---- one group: calibration, statistics, normalisation, metrics ---- */

static const unsigned script_a[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9};

static void callback(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"};
    struct expect x[3];
    expect_all(x, "a14", ev, 3, KPMC_MODE_ALL, 1);
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 7, W = 2, N = 3;
    o.repetitions = R;
    o.warmup = W;
    o.iterations = N;
    kpmc_measure *m = measure_new(s, ev, 3, &o);
    if (!m)
        return;
    /* finding out what the kernel counts left it as found */
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "counting after kpmc_measure_new: %u %u", st.counting,
          st.thread_counting);
    kpmc_kernel k = {.size = sizeof k};
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    CHECK(kpmc_session_kernel(s, &k) == 0 && (k.known & KPMC_KERNEL_USER_ONLY) &&
              !(k.flags & KPMC_KERNEL_USER_ONLY) == !user_only("a14"),
          "the session's kernel after kpmc_measure_new: known 0x%x flags 0x%x", k.known, k.flags);
    CHECK(kpmc_measure_result(m) == NULL, "a result before any run");
    struct script sc = {script_a, sizeof script_a / sizeof script_a[0], 0, {0}};
    int r = kpmc_measure_run(m, scripted, &sc);
    CHECK(r == 0, "kpmc_measure_run: %d %s", r, kpmc_measure_error(m));
    CHECK(sc.calls == (W + R) * N, "the callback ran %u times, want %u", sc.calls, (W + R) * N);
    const kpmc_result *res = measure_result(s, m, r);
    if (!res)
        return;
    CHECK(res->n_events == 3 && res->n_samples == R && res->n_groups == 1 && res->iterations == N &&
              res->repetitions == R && res->warmup == W && res->calibrated && res->migrated == 0 &&
              res->mode == KPMC_MODE_ALL,
          "result shape");
    CHECK(res->pinned == 0 && res->core_types == 0, "pinned %d, core types %d", res->pinned, res->core_types);
    /* sample r: calls (W + r) * N ... + N - 1 */
    double K[16];
    for (unsigned rep = 0; rep < R; rep++) {
        K[rep] = 0;
        for (unsigned i = 0; i < N; i++)
            K[rep] += script_a[((W + rep) * N + i) % sc.len];
    }
    for (int e = 0; e < 3; e++) {
        const kpmc_measured_event *v = &res->events[e];
        CHECK(!strcmp(v->name, ev[e]) && !v->anchor && v->group == 0, "event %d: %s", e, v->name);
        check_counted(v, &x[e]);
        double want[16];
        for (unsigned rep = 0; rep < R; rep++) {
            want[rep] = K[rep] * x[e].step / N;
            CHECK(stats_ref_near(v->values[rep], want[rep]), "%s sample %u: %g, want %g", ev[e], rep, v->values[rep],
                  want[rep]);
            CHECK(res->samples[rep].rep == rep && res->samples[rep].group == 0, "sample %u", rep);
        }
        kpmc_stats sr = stats_ref(want, R);
        check_stats(&v->stats, &sr, ev[e]);
        check_overhead(v, x[e].step, R);
    }
    /* IPC and branch misses per 1,000 instructions: every sample of an
     * event is K steps, so their medians are in the ratio of the steps;
     * nothing else has both inputs */
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *mpki = kpmc_result_metric(res, "branch-mpki");
    CHECK(res->n_metrics == 2 && ipc && mpki, "%zu metrics", res->n_metrics);
    if (ipc && mpki) {
        CHECK(stats_ref_near(ipc->value, x[1].step / x[0].step) && ipc->numerator == 1 && ipc->denominator == 0,
              "ipc %g, want %g", ipc->value, x[1].step / x[0].step);
        CHECK(stats_ref_near(mpki->value, 1000.0 * x[2].step / x[1].step), "branch-mpki %g", mpki->value);
    }
    CHECK(kpmc_result_event(res, "cycles") == &res->events[0], "lookup by generic name");
    CHECK(kpmc_result_event(res, "Instructions") == &res->events[1], "lookup by alias");
    CHECK(kpmc_result_event(res, "branch_mispred_nonspec") == &res->events[2], "lookup by name");
    /* INST_ALL is measured where it counts FIXED_INSTRUCTIONS */
    CHECK(kpmc_result_event(res, "INST_ALL") == (user_only("a14") ? &res->events[1] : NULL), "lookup of INST_ALL");
    CHECK(kpmc_result_event(res, "INST_BRANCH") == NULL, "lookup of an event not measured");

    /* a second run replaces the result; the counters are stopped between */
    st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "counting after the run: %u %u", st.counting,
          st.thread_counting);
    kpmc_stats before = res->events[2].stats;
    sc.calls = 0;
    r = kpmc_measure_run(m, scripted, &sc);
    CHECK(r == 0 && kpmc_measure_result(m) == res, "second run: %d", r);
    check_stats(&res->events[2].stats, &before, "second run");
    check_counted(&res->events[0], &x[0]);
    measure_close(s, m);
}

/* The region loop: the same arithmetic without a callback, and without
 * calibration: each sample then also holds the read that ends it. */
static void region(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"INST_BRANCH", "Cycles"};
    struct expect x[2];
    expect_all(x, "a14", ev, 2, KPMC_MODE_ALL, 1);
    static const unsigned ks[] = {0, 2, 4, 6, 8, 10, 12}; /* warm-up 0, then 2, 4, ... 12 */
    for (int calibrate = 1; calibrate >= 0; calibrate--) {
        kpmc_measure_options o;
        kpmc_measure_defaults(&o);
        o.repetitions = 6;
        o.warmup = 1;
        o.calibrate = calibrate;
        kpmc_measure *m = measure_new(s, ev, 2, &o);
        if (!m)
            return;
        struct script sc = {ks, 7, 0, {0}};
        int r = region_loop(m, &sc);
        CHECK(sc.calls == 7, "the loop ran %u times", sc.calls);
        const kpmc_result *res = measure_result(s, m, r);
        if (!res)
            return;
        for (int e = 0; e < 2; e++) {
            double want[6];
            for (unsigned rep = 0; rep < 6; rep++)
                want[rep] = (2.0 * (rep + 1) + (calibrate ? 0 : 1)) * x[e].step;
            kpmc_stats st = stats_ref(want, 6);
            check_stats(&res->events[e].stats, &st, calibrate ? "calibrated" : "not calibrated");
            if (calibrate)
                check_overhead(&res->events[e], x[e].step, 6);
            else
                CHECK(res->events[e].overhead.n == 0 && res->events[e].overhead.median == 0, "no overhead");
            check_counted(&res->events[e], &x[e]);
        }
        CHECK(!strcmp(res->events[1].name, "Cycles"), "the name given");
        CHECK(res->calibrated == calibrate, "calibrated %d", res->calibrated);
        kpmc_measure_free(m);
    }
    kpmc_close(s);
}

/* ---- several groups, interleaved, with anchors ---- */

static void groups(void)
{
    kpmc_session *s = open_db("a14", NULL);
    /* INST_ALL and INST_INT_ALU both need counter 7: two groups, the first
     * also holding BRANCH_MISPRED_NONSPEC (counters 5-7; the search fills
     * the groups it has first); FIXED_CYCLES is the anchor Cycles */
    const char *ev[] = {"INST_ALL", "INST_INT_ALU", "BRANCH_MISPRED_NONSPEC", "FIXED_CYCLES"};
    const char *anchors[] = {"Cycles", "Instructions"};
    struct expect x[4];
    expect_all(x, "a14", ev, 4, KPMC_MODE_ALL, 1);
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 5, W = 2;
    o.repetitions = R;
    o.warmup = W;
    o.anchors = anchors;
    o.n_anchors = 2;
    kpmc_measure *m;
    /* With Instructions as an anchor as well: on a kernel counting user mode
     * only it is INST_ALL, which takes counter 7 in every group, where
     * INST_INT_ALU cannot go; elsewhere the fixed counter counts it. */
    int r = kpmc_measure_new(s, &m, ev, 4, &o);
    if (user_only("a14")) {
        CHECK(r == KPMC_E_NOFIT && contains(kpmc_session_error(s), "'INST_INT_ALU' does not fit with the anchors") &&
                  contains(kpmc_session_error(s), "counter 7"),
              "two anchors on a kernel counting user mode only: %d %s", r, kpmc_session_error(s));
    } else {
        struct group_view g[4];
        size_t ng = r == 0 ? groups_read(kpmc_measure_groups(m), g, 4) : 0;
        CHECK(r == 0 && ng == 2 && g[0].n == 4 && g[1].n == 3, "two anchors: %d %s", r, kpmc_session_error(s));
        kpmc_measure_free(m);
    }

    o.n_anchors = 1;
    if (!(m = measure_new(s, ev, 4, &o)))
        return;
    struct group_view g[4];
    size_t ng = groups_read(kpmc_measure_groups(m), g, 4);
    CHECK(ng == 2 && g[0].n == 3 && g[1].n == 2 && !strcmp(g[0].names[1], "INST_ALL") &&
              !strcmp(g[0].names[2], "BRANCH_MISPRED_NONSPEC") && !strcmp(g[1].names[1], "INST_INT_ALU"),
          "groups: %zu", ng);
    /* region k per (group, rep) so that each sample is told apart */
    static const unsigned ks[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    struct script sc = {ks, 13, 0, {0}};
    const kpmc_result *res = measure_result(s, m, kpmc_measure_run(m, scripted, &sc));
    if (!res)
        return;
    /* the schedule: W warm-ups of group 1, then rounds of group 1, group 2 */
    CHECK(sc.calls == W + R * 2, "calls %u", sc.calls);
    for (unsigned c = 0; c < sc.calls; c++) {
        uint64_t want = c < W || (c - W) % 2 == 0 ? x[0].word : x[1].word;
        CHECK(sc.word7[c] == want, "call %u ran with word 0x%llx on counter 7, want 0x%llx", c,
              (unsigned long long)sc.word7[c], (unsigned long long)want);
    }
    /* after the run, each group's plan is its set's as started: the events
     * counted */
    CHECK(g[0].plan.events[1].resolved == (unsigned)kpmc_event_find(kpmc_db_find("a14"), x[0].counted) &&
              g[0].plan.events[0].resolved == (unsigned)kpmc_event_find(kpmc_db_find("a14"), x[3].counted),
          "group 1's plan as started");
    /* events: the caller's, FIXED_CYCLES counted by the anchor Cycles */
    CHECK(res->n_events == 4 && res->n_samples == 2 * R && res->n_groups == 2, "shape %zu %zu", res->n_events,
          res->n_samples);
    const int group[] = {0, 1, 0, -1};
    double values[4][32];
    size_t nv[4] = {0};
    for (int e = 0; e < 4; e++) {
        const kpmc_measured_event *v = &res->events[e];
        CHECK(!strcmp(v->name, ev[e]) && v->anchor == (group[e] < 0), "event %d: %s", e, v->name);
        check_counted(v, &x[e]);
        for (unsigned i = 0; i < 2 * R; i++) {
            unsigned gi = i % 2;
            double k = ks[(W + i) % 13];
            int counted = group[e] < 0 || (unsigned)group[e] == gi;
            CHECK(res->samples[i].group == gi && res->samples[i].rep == i / 2, "sample %u", i);
            if (!counted) {
                CHECK(isnan(v->values[i]), "%s sample %u: %g, not counted", ev[e], i, v->values[i]);
                continue;
            }
            double want = k * x[e].step;
            CHECK(stats_ref_near(v->values[i], want), "%s sample %u: %g, want %g", ev[e], i, v->values[i], want);
            values[e][nv[e]++] = want;
        }
        kpmc_stats st = stats_ref(values[e], nv[e]);
        check_stats(&v->stats, &st, ev[e]);
        check_overhead(v, x[e].step, nv[e]);
    }
    /* IPC: INST_ALL's median (group 1) over the anchor's (both groups);
     * branch misses per 1,000 instructions, both of group 1 */
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *mpki = kpmc_result_metric(res, "branch-mpki");
    double want_ipc = stats_ref(values[0], nv[0]).median / stats_ref(values[3], nv[3]).median;
    CHECK(res->n_metrics == 2 && ipc && mpki, "%zu metrics", res->n_metrics);
    CHECK(ipc && ipc->numerator == 0 && ipc->denominator == 3 && stats_ref_near(ipc->value, want_ipc),
          "ipc %g, want %g", ipc ? ipc->value : NAN, want_ipc);
    CHECK(mpki && stats_ref_near(mpki->value, 1000 * x[2].step / x[0].step), "branch-mpki");
    measure_close(s, m);
}

/* ---- core types and migration ---- */

/* Core types of successive reads: P P P E E P P E P ... (a pattern of 11). */
static const int cores[] = {1, 1, 1, 2, 2, 1, 1, 2, 1, 1, 0};
struct core_script {
    unsigned calls;
};

static int core_type(void *arg)
{
    struct core_script *c = arg;
    return cores[c->calls++ % 11];
}

static void migration(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"INST_BRANCH"};
    struct expect x = expect("a14", ev[0], KPMC_MODE_ALL, 0);
    double step = x.step;
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 12, W = 1;
    o.repetitions = R;
    o.warmup = W;
    struct core_script cs = {0};
    o.core_type = core_type;
    o.core_arg = &cs;
    o.pin = KPMC_CORE_PERFORMANCE;
    /* no fixed event: nothing to find out about the kernel, nothing
     * programmed before the run */
    unsigned long configs = sim_state().set_config_calls;
    kpmc_measure *m = measure_new(s, ev, 1, &o);
    if (!m)
        return;
    CHECK(sim_state().set_config_calls == configs, "kpmc_measure_new programmed the kernel");
    static const unsigned ks[] = {1, 2, 3, 4};
    struct script sc = {ks, 4, 0, {0}};
    const kpmc_result *res = measure_result(s, m, region_loop(m, &sc));
    if (!res)
        return;
    check_counted(&res->events[0], &x);
    /* one core read per counter read: the empty region's W + R + 1 reads,
     * then the region's */
    unsigned first = W + R + 1;
    CHECK(cs.calls == 2 * first, "core type read %u times, want %u", cs.calls, 2 * first);
    CHECK(res->core_types == 1, "core types not reported");
    double want[16];
    size_t n = 0, migrated = 0, cal_kept = 0;
    for (unsigned rep = 0; rep < R; rep++) {
        unsigned at = first + W + rep;
        int a = cores[at % 11], b = cores[(at + 1) % 11];
        int flag = a && b && a != b;
        const kpmc_sample *v = &res->samples[rep];
        CHECK(v->core_start == a && v->core_end == b && v->migrated == flag, "sample %u: %d %d %d, want %d %d %d", rep,
              v->core_start, v->core_end, v->migrated, a, b, flag);
        migrated += (size_t)flag;
        if (!flag)
            want[n++] = (double)((W + rep) % 4 + 1) * step;
        int ca = cores[(W + rep) % 11], cb = cores[(W + rep + 1) % 11];
        cal_kept += !(ca && cb && ca != cb);
    }
    CHECK(res->migrated == migrated && migrated > 0 && migrated < R, "migrated %zu, want %zu", res->migrated,
          migrated);
    kpmc_stats st = stats_ref(want, n);
    check_stats(&res->events[0].stats, &st, "without migrated samples");
    check_overhead(&res->events[0], step, cal_kept);
    /* pinning is macOS's; elsewhere it is reported as not done */
#if defined(__APPLE__)
    CHECK(res->pinned == 1 || res->pinned == KPMC_E_STATE, "pinned %d", res->pinned);
#else
    CHECK(res->pinned == KPMC_E_UNSUPPORTED, "pinned %d", res->pinned);
#endif
    char json[8192];
    kpmc_result_json(res, json, sizeof json);
    CHECK(contains(json, "\"core_types\":true") && contains(json, "\"migrated\":"), "json: %s", json);
#if !defined(__APPLE__)
    CHECK(contains(json, "\"pinned\":\"unsupported\""), "json: %s", json);
#endif
    kpmc_measure_free(m);

    /* without a source (off macOS), nothing is recorded */
    kpmc_measure_defaults(&o);
    o.core_types = 1;
    if (!(m = measure_new(s, ev, 1, &o)))
        return;
    static const unsigned none[] = {0};
    struct script empty = {none, 1, 0, {0}};
    region_loop(m, &empty);
    res = kpmc_measure_result(m);
#if !defined(__APPLE__)
    CHECK(res && res->core_types == 0 && res->samples[0].core_start == KPMC_CORE_UNKNOWN, "no core source");
#endif
    measure_close(s, m);
}

/* ---- other databases and modes ---- */

/* User mode on a14: the fixed instructions counter falls back to INST_ALL,
 * cycles come from CORE_ACTIVE_CYCLE, and the metrics bind to them; every
 * kernel counts the same. */
static void user_mode(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"CORE_ACTIVE_CYCLE", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC", "INST_BRANCH"};
    struct expect x[4];
    expect_all(x, "a14", ev, 4, KPMC_MODE_USER, 0);
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.mode = KPMC_MODE_USER;
    o.repetitions = 3;
    kpmc_measure *m = measure_new(s, ev, 4, &o);
    if (!m)
        return;
    static const unsigned ks[] = {1, 2};
    struct script sc = {ks, 2, 0, {0}};
    const kpmc_result *res = measure_result(s, m, region_loop(m, &sc));
    if (!res)
        return;
    CHECK(res->mode == KPMC_MODE_USER, "mode");
    for (int e = 0; e < 4; e++)
        check_counted(&res->events[e], &x[e]);
    /* samples 1: k = 2, 1, 2 -> median 2 */
    CHECK(stats_ref_near(res->events[0].stats.median, 2 * x[0].step) &&
              stats_ref_near(res->events[1].stats.median, 2 * x[1].step),
          "medians %g %g", res->events[0].stats.median, res->events[1].stats.median);
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *ratio = kpmc_result_metric(res, "branch-miss-ratio");
    const kpmc_measured_metric *mpki = kpmc_result_metric(res, "branch-mpki");
    CHECK(res->n_metrics == 3 && ipc && ratio && mpki, "%zu metrics", res->n_metrics);
    if (ipc && ratio && mpki) {
        CHECK(stats_ref_near(ipc->value, x[1].step / x[0].step), "ipc %.17g, want %.17g", ipc->value,
              x[1].step / x[0].step);
        CHECK(stats_ref_near(ratio->value, x[2].step / x[3].step), "branch-miss-ratio %g", ratio->value);
        CHECK(stats_ref_near(mpki->value, 1000 * x[2].step / x[1].step), "branch-mpki %g", mpki->value);
    }
    measure_close(s, m);
}

/* skylake: Apple's names are aliases there, and the metrics bind to them.
 * CPC-era kernels give half the general-purpose counters (kpmc_sim.h),
 * where the three configurable events need two groups. */
static void intel(void)
{
    kpmc_session *s = open_db("skylake", NULL);
    const char *ev[] = {"INST_RETIRED.ANY", "CPU_CLK_UNHALTED.THREAD", "BR_MISP_RETIRED.ALL_BRANCHES",
                        "MEM_LOAD_RETIRED.L1_MISS"};
    struct expect x[4];
    expect_all(x, "skylake", ev, 4, KPMC_MODE_ALL, 1);
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_db_find("skylake"), &d);
    int half = sim_profile("cpc") && popcount32(d.config_counters) == 4;
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.repetitions = 4;
    o.iterations = 10;
    kpmc_measure *m = measure_new(s, ev, 4, &o);
    if (!m)
        return;
    static const unsigned twenty[] = {20};
    struct script sc = {twenty, 1, 0, {0}};
    const kpmc_result *res = measure_result(s, m, region_loop(m, &sc));
    if (!res)
        return;
    /* two groups on two counters: the first fixed, then the first two
     * configurable events in the caller's order; L1_MISS alone */
    const unsigned group[] = {0, 0, 0, half ? 1u : 0u};
    CHECK(res->n_groups == (half ? 2u : 1u), "%zu groups", res->n_groups);
    /* 20 reads over 10 iterations, in every group */
    for (int e = 0; e < 4; e++) {
        check_counted(&res->events[e], &x[e]);
        CHECK(res->events[e].group == group[e] && stats_ref_near(res->events[e].stats.median, 2 * x[e].step),
              "%s: group %u, median %g, want %u, %g", ev[e], res->events[e].group, res->events[e].stats.median,
              group[e], 2 * x[e].step);
    }
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *l1d = kpmc_result_metric(res, "l1d-load-mpki");
    CHECK(res->n_metrics == 3 && ipc && l1d && kpmc_result_metric(res, "branch-mpki"), "%zu metrics",
          res->n_metrics);
    if (ipc && l1d) {
        CHECK(stats_ref_near(ipc->value, x[0].step / x[1].step), "ipc %g", ipc->value);
        CHECK(stats_ref_near(l1d->value, 1000 * x[3].step / x[0].step), "l1d-load-mpki %g", l1d->value);
    }
    measure_close(s, m);
}

/* ---- errors ---- */

static void errors(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"INST_BRANCH", "Cycles"};
    static int dummy;
    kpmc_measure *m = (kpmc_measure *)(void *)&dummy;
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.size = 8;
    int r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == KPMC_E_INVAL && m == NULL && contains(kpmc_session_error(s), "kpmc_measure_options.size"), "size: %d %s",
          r, kpmc_session_error(s));
    kpmc_measure_defaults(&o);
    o.repetitions = 0;
    r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == KPMC_E_INVAL && contains(kpmc_session_error(s), "repetitions must be at least 1"), "reps: %s",
          kpmc_session_error(s));
    kpmc_measure_defaults(&o);
    o.pin = 9;
    r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == KPMC_E_INVAL && contains(kpmc_session_error(s), "pin 9"), "pin: %s", kpmc_session_error(s));
    const char *bad[] = {"INST_BRANCH", "NOT_AN_EVENT"};
    r = kpmc_measure_new(s, &m, bad, 2, NULL);
    CHECK(r == KPMC_E_NOEVENT && contains(kpmc_session_error(s), "NOT_AN_EVENT"), "unknown: %s",
          kpmc_session_error(s));
    kpmc_measure_defaults(&o);
    const char *an[] = {"INST_ALL"};
    const char *alu[] = {"INST_INT_ALU"};
    o.anchors = an;
    o.n_anchors = 1;
    r = kpmc_measure_new(s, &m, alu, 1, &o);
    CHECK(r == KPMC_E_NOFIT && contains(kpmc_session_error(s), "does not fit with the anchors"), "anchors: %s",
          kpmc_session_error(s));
    CHECK(kpmc_measure_run(NULL, NULL, NULL) == KPMC_E_INVAL, "run NULL");
    kpmc_measure_free(NULL);
    kpmc_close(s);

    /* finding out what the kernel counts fails: kpmc_measure_new says so,
     * and the kernel is left as found */
    s = open_db("a14", "KPMC_SIM_FAULT=set_config:1:EIO");
    struct kpmc_sim_state before = sim_state();
    r = kpmc_measure_new(s, &m, ev, 2, NULL);
    struct kpmc_sim_state after = sim_state();
    CHECK(r == KPMC_E_KPC && m == NULL &&
              contains(kpmc_session_error(s), "finding out whether this kernel's configurable counters count kernel "
                                              "mode (INST_BRANCH counted alone)") &&
              contains(kpmc_session_error(s), "kpc_set_config") && contains(kpmc_session_error(s), "EIO"),
          "failed to find out: %d %s", r, kpmc_session_error(s));
    CHECK(same_kernel_state(&after, &before, "after the failed kpmc_measure_new"), "kernel state");
    /* the next attempt finds out */
    r = kpmc_measure_new(s, &m, ev, 2, NULL);
    CHECK(r == 0, "second kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    measure_close(s, m);

    /* a read that fails in the middle of a run: the run stops, the counters
     * stop, and the next run works (the fault is the 6th read: the empty
     * region's reads are 1-4 with warm-up 1 and 2 repetitions) */
    s = open_db("a14", "KPMC_SIM_FAULT=get_thread_counters:6:EIO");
    kpmc_measure_defaults(&o);
    o.repetitions = 2;
    if (!(m = measure_new(s, ev, 2, &o)))
        return;
    static const unsigned none[] = {0};
    struct script sc = {none, 1, 0, {0}};
    r = region_loop(m, &sc);
    CHECK(r == KPMC_E_KPC && contains(kpmc_measure_error(m), "kpc_get_thread_counters") &&
              contains(kpmc_measure_error(m), "EIO"),
          "failed read: %d after %u runs: %s", r, sc.calls, kpmc_measure_error(m));
    CHECK(sc.calls == 1 && kpmc_measure_result(m) == NULL, "runs %u", sc.calls);
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "still counting: %u %u", st.counting, st.thread_counting);
    sc.calls = 0;
    r = region_loop(m, &sc);
    CHECK(r == 0 && sc.calls == 3 && kpmc_measure_result(m) && !kpmc_measure_error(m)[0], "next run: %d %u", r,
          sc.calls);
    measure_close(s, m);
}

/* ---- the raw read ---- */

/* kpmc_set_read_raw writes the kernel's buffer: after k reads, each event
 * reads k steps at the position the plan as started gives, the fixed
 * cycles counter (when the fixed counters are read) k steps of its own,
 * the other positions 0; nothing past n_counters.  On a kernel counting
 * user mode only, kpmc_set_start plans the set again: the fixed counters
 * are not read, Instructions is counted as INST_ALL. */
static void raw(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"BRANCH_MISPRED_NONSPEC", "Instructions", "L1D_CACHE_MISS_LD"};
    struct expect x[3];
    expect_all(x, "a14", ev, 3, KPMC_MODE_ALL, 1);
    struct expect cycles = expect("a14", "FIXED_CYCLES", KPMC_MODE_ALL, 0);
    const kpmc_db *a14 = kpmc_db_find("a14");
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(a14, &d);
    unsigned n_fixed = popcount32(d.fixed_counters), n_conf = popcount32(d.config_counters);
    kpmc_set *set;
    int r = kpmc_set_new(s, &set, ev, 3, KPMC_MODE_ALL);
    CHECK(r == 0, "set: %d", r);
    if (r) {
        kpmc_close(s);
        return;
    }
    uint64_t buf[KPMC_MAX_EVENTS + 1];
    r = kpmc_set_read_raw(set, buf);
    CHECK(r == KPMC_E_STATE && contains(kpmc_set_error(set), "not counting"), "before start: %d %s", r,
          kpmc_set_error(set));
    /* planned for a kernel the session does not know yet: both classes */
    struct plan_view p_view;
    plan_read(kpmc_set_plan(set), &p_view);
    const struct plan_view *p = &p_view;
    CHECK(p->n_counters == n_fixed + n_conf, "before start: %u values", p->n_counters);
    CHECK(kpmc_set_start(set) == 0, "start: %s", kpmc_session_error(s));
    plan_read(kpmc_set_plan(set), &p_view);
    int fixed_read = !user_only("a14");
    CHECK(p->n_counters == (fixed_read ? n_fixed : 0) + n_conf, "a14 reads %u values as started", p->n_counters);
    for (unsigned i = 0; i < 3; i++)
        CHECK(!strcmp(kpmc_event_name(a14, p->events[i].resolved), x[i].counted) &&
                  (unsigned)kpmc_set_event_modes(set, i) == x[i].counts,
              "%s counted as %s, modes %d", ev[i], kpmc_event_name(a14, p->events[i].resolved),
              kpmc_set_event_modes(set, i));
    for (unsigned k = 1; k <= 3; k++) {
        for (size_t i = 0; i <= KPMC_MAX_EVENTS; i++)
            buf[i] = 0xdeadbeef;
        r = kpmc_set_read_raw(set, buf);
        CHECK(r == 0, "read %u: %d %s", k, r, kpmc_set_error(set));
        unsigned used = 0;
        for (unsigned i = 0; i < 3; i++) {
            CHECK((double)buf[p->events[i].index] == k * x[i].step, "read %u, %s at %u: %llu, want %g", k, ev[i],
                  p->events[i].index, (unsigned long long)buf[p->events[i].index], k * x[i].step);
            used |= 1u << p->events[i].index;
        }
        for (unsigned i = 0; i < p->n_counters; i++)
            if (!(used >> i & 1u))
                CHECK((double)buf[i] == (fixed_read && i == 0 ? k * cycles.step : 0), "read %u: position %u holds %llu",
                      k, i, (unsigned long long)buf[i]);
        for (size_t i = p->n_counters; i <= KPMC_MAX_EVENTS; i++)
            CHECK(buf[i] == 0xdeadbeef, "read %u wrote past the buffer, at %zu", k, i);
    }
    kpmc_set_stop(set);
    kpmc_set_free(set);
    kpmc_close(s);
}

/* ---- writers ---- */

/* The JSON and CSV of a known run into the files named by $KPMC_TEST_OUT
 * (".json" and ".csv" appended), for test_measure_output.py; and the
 * buffer contract. */
static void output(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"};
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.repetitions = 5;
    o.iterations = 4;
    kpmc_measure *m = measure_new(s, ev, 3, &o);
    if (!m)
        return;
    static const unsigned ks[] = {1, 2, 3, 4, 5, 6, 7};
    struct script sc = {ks, 7, 0, {0}};
    const kpmc_result *res = measure_result(s, m, kpmc_measure_run(m, scripted, &sc));
    if (!res)
        return;
    size_t len = kpmc_result_json(res, NULL, 0);
    char *full = malloc(len + 1), small[16];
    CHECK(full && kpmc_result_json(res, full, len + 1) == len && strlen(full) == len, "json length %zu", len);
    CHECK(kpmc_result_json(res, small, sizeof small) == len && strlen(small) == 15 && !strncmp(small, full, 15),
          "truncated json: %s", small);
    const char *base = getenv("KPMC_TEST_OUT");
    if (base && full) {
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s.json", base);
        CHECK((f = fopen(path, "w")) && kpmc_result_write_json(res, f) == 0 && fclose(f) == 0, "%s", path);
        snprintf(path, sizeof path, "%s.csv", base);
        CHECK((f = fopen(path, "w")) && kpmc_result_write_csv(res, f) == 0 && fclose(f) == 0, "%s", path);
        /* the FILE * and the buffer agree */
        snprintf(path, sizeof path, "%s.json", base);
        f = fopen(path, "r");
        char *back = malloc(len + 2);
        size_t got = f && back ? fread(back, 1, len + 1, f) : 0;
        CHECK(got == len && back && !memcmp(back, full, len), "file and buffer differ");
        if (f)
            fclose(f);
        free(back);
    }
    size_t clen = kpmc_result_csv(res, NULL, 0);
    char *csv = malloc(clen + 1);
    CHECK(csv && kpmc_result_csv(res, csv, clen + 1) == clen && !strncmp(csv, "kind,name,counted,counts,group,n,", 33),
          "csv");
    free(csv);
    free(full);
    FILE *ro = fopen("/dev/null", "r");
    if (ro) {
        CHECK(kpmc_result_write_json(res, ro) == KPMC_E_IO, "write to a read-only FILE");
        fclose(ro);
    }
    CHECK(kpmc_result_write_json(NULL, stdout) == KPMC_E_INVAL && kpmc_result_json(NULL, small, 16) == 0 &&
              small[0] == '\0',
          "NULL result");
    measure_close(s, m);
}

int main(int argc, char **argv)
{
    static const struct t_case cases[] = {
        {"callback", callback}, {"region", region}, {"groups", groups},    {"migration", migration},
        {"user_mode", user_mode}, {"intel", intel}, {"errors", errors}, {"output", output},
        {"raw", raw},
    };
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
