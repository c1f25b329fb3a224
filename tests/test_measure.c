/* The measurement API against the simulated kperf.
 *
 * Known work: the simulator advances a thread's counters at every
 * kpc_get_thread_counters() call (fixed counter i by (i + 1) * 1000, a
 * configurable counter by its word), so the measured code here is "k calls
 * of the simulator's kpc_get_thread_counters".  A sample whose region made
 * K such calls reads (K + 1) steps (the read that ends it adds one); the
 * empty region reads 1 step; so after calibration a sample is K steps, and
 * per iteration K * step / iterations.  Every expected value below is worked
 * out from that model and the test's own statistics, never from kpmc's.
 *
 * Usage: test_measure CASE (one CTest case each, see main()). */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#include "stats_ref.h"
#include "test_session.h"
#include "plan_view.h"

/* ---- known work ---- */

static int (*sim_read)(uint32_t, uint32_t, uint64_t *);

static void find_sim_read(void)
{
    void *f = dlsym(sim.handle, "kpc_get_thread_counters");
    if (!f) {
        fprintf(stderr, "the simulator has no kpc_get_thread_counters\n");
        exit(1);
    }
    memcpy(&sim_read, &f, sizeof f);
}

static void work(unsigned k)
{
    uint64_t buf[KPMC_SIM_MAX_COUNTERS];
    for (unsigned i = 0; i < k; i++)
        sim_read(0, KPMC_SIM_MAX_COUNTERS, buf);
}

/* The callback: call c (from 0) makes script[c % len] reads, and records
 * which group is programmed (by the word on configurable counter 7). */
struct script {
    const unsigned *k;
    size_t len;
    unsigned calls;
    uint64_t word7[512];
};

static void scripted(void *arg)
{
    struct script *s = arg;
    if (s->calls < 512) {
        struct kpmc_sim_state st = sim_state();
        s->word7[s->calls] = st.config[5]; /* a14: counter 7 is the 6th configurable */
    }
    work(s->k[s->calls++ % s->len]);
}

static void check_stats(const kpmc_stats *got, const kpmc_stats *want, const char *what)
{
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
    kpmc_stats want = {step, step, step, 0, 0, n};
    char what[96];
    snprintf(what, sizeof what, "%s overhead", ev->name);
    check_stats(&ev->overhead, &want, what);
}

/* a14 words (kpc-abi.md §4, all modes: the selector). */
static uint64_t word_of(const char *db_name, const char *event, int user)
{
    const kpmc_db *db = kpmc_db_find(db_name);
    kpmc_db_info d = {.size = sizeof d};
    kpmc_event_info e = {.size = sizeof e};
    kpmc_db_get(db, &d);
    kpmc_event_get(db, (unsigned)kpmc_event_find(db, event), &e);
    uint64_t w = stored_word(&d, expected_word(&d, &e));
    return user && d.arch == KPMC_ARCH_ARM64 ? w | 0x30000u : w;
}

static kpmc_session *open_db(const char *db, const char *fault)
{
    char env[64];
    snprintf(env, sizeof env, "KPMC_SIM_DB=%s", db);
    sim_env(env, fault, NULL);
    find_sim_read();
    kpmc_session *s;
    if (kpmc_open(&s, NULL) != 0) {
        fprintf(stderr, "kpmc_open: %s\n", kpmc_session_error(s));
        exit(1);
    }
    return s;
}

/* ---- one group: calibration, statistics, normalisation, metrics ---- */

static const unsigned script_a[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9};

static void callback(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"};
    const double step[] = {1000, 2000, (double)word_of("a14", "BRANCH_MISPRED_NONSPEC", 0)};
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 7, W = 2, N = 3;
    o.repetitions = R;
    o.warmup = W;
    o.iterations = N;
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 3, &o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    CHECK(kpmc_measure_result(m) == NULL, "a result before any run");
    struct script sc = {script_a, sizeof script_a / sizeof script_a[0], 0, {0}};
    r = kpmc_measure_run(m, scripted, &sc);
    CHECK(r == 0, "kpmc_measure_run: %d %s", r, kpmc_measure_error(m));
    CHECK(sc.calls == (W + R) * N, "the callback ran %u times, want %u", sc.calls, (W + R) * N);
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(res != NULL, "no result");
    if (!res) {
        kpmc_measure_free(m);
        kpmc_close(s);
        return;
    }
    CHECK(res->n_events == 3 && res->n_samples == R && res->n_groups == 1 && res->iterations == N &&
              res->repetitions == R && res->warmup == W && res->calibrated && res->migrated == 0,
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
        const kpmc_measured_event *x = &res->events[e];
        CHECK(!strcmp(x->name, ev[e]) && !strcmp(x->counted, ev[e]) && !x->anchor && x->group == 0, "event %d: %s",
              e, x->name);
        double want[16];
        for (unsigned rep = 0; rep < R; rep++) {
            want[rep] = K[rep] * step[e] / N;
            CHECK(stats_ref_near(x->values[rep], want[rep]), "%s sample %u: %g, want %g", ev[e], rep, x->values[rep],
                  want[rep]);
            CHECK(res->samples[rep].rep == rep && res->samples[rep].group == 0, "sample %u", rep);
        }
        kpmc_stats st = stats_ref(want, R);
        check_stats(&x->stats, &st, ev[e]);
        check_overhead(x, step[e], R);
    }
    /* IPC = 2000 / 1000; branch misses per 1,000 instructions = 1000 * 203 / 2000;
     * nothing else has both inputs */
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *mpki = kpmc_result_metric(res, "branch-mpki");
    CHECK(res->n_metrics == 2 && ipc && mpki, "%zu metrics", res->n_metrics);
    if (ipc && mpki) {
        CHECK(stats_ref_near(ipc->value, 2.0) && ipc->numerator == 1 && ipc->denominator == 0, "ipc %g", ipc->value);
        CHECK(stats_ref_near(mpki->value, 1000.0 * step[2] / 2000.0), "branch-mpki %g", mpki->value);
    }
    CHECK(kpmc_result_event(res, "cycles") == &res->events[0], "lookup by alias");
    CHECK(kpmc_result_event(res, "branch_mispred_nonspec") == &res->events[2], "lookup by name");
    CHECK(kpmc_result_event(res, "INST_ALL") == NULL, "lookup of an event not measured");

    /* a second run replaces the result; the counters are stopped between */
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "counting after the run: %u %u", st.counting,
          st.thread_counting);
    kpmc_stats before = res->events[2].stats;
    sc.calls = 0;
    r = kpmc_measure_run(m, scripted, &sc);
    CHECK(r == 0 && kpmc_measure_result(m) == res, "second run: %d", r);
    check_stats(&res->events[2].stats, &before, "second run");
    kpmc_measure_free(m);
    kpmc_close(s);
}

/* The region loop: the same arithmetic without a callback, and without
 * calibration: each sample then also holds the read that ends it. */
static void region(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"INST_BRANCH", "Cycles"};
    const double step[] = {(double)word_of("a14", "INST_BRANCH", 0), 1000};
    for (int calibrate = 1; calibrate >= 0; calibrate--) {
        kpmc_measure_options o;
        kpmc_measure_defaults(&o);
        o.repetitions = 6;
        o.warmup = 1;
        o.calibrate = calibrate;
        kpmc_measure *m;
        int r = kpmc_measure_new(s, &m, ev, 2, &o);
        CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
        if (r)
            continue;
        unsigned runs = 0;
        while ((r = kpmc_measure_next(m)) > 0)
            work(runs++ * 2); /* 0, 2, 4, ...: warm-up 0, then 2, 4, ... 12 */
        CHECK(r == 0 && runs == 7, "loop: %d after %u runs: %s", r, runs, kpmc_measure_error(m));
        const kpmc_result *res = kpmc_measure_result(m);
        if (!res)
            continue;
        for (int e = 0; e < 2; e++) {
            double want[6];
            for (unsigned rep = 0; rep < 6; rep++)
                want[rep] = (2.0 * (rep + 1) + (calibrate ? 0 : 1)) * step[e];
            kpmc_stats st = stats_ref(want, 6);
            check_stats(&res->events[e].stats, &st, calibrate ? "calibrated" : "not calibrated");
            if (calibrate)
                check_overhead(&res->events[e], step[e], 6);
            else
                CHECK(res->events[e].overhead.n == 0 && res->events[e].overhead.median == 0, "no overhead");
        }
        CHECK(!strcmp(res->events[1].name, "Cycles") && !strcmp(res->events[1].counted, "FIXED_CYCLES"), "alias");
        CHECK(res->calibrated == calibrate, "calibrated %d", res->calibrated);
        kpmc_measure_free(m);
    }
    kpmc_close(s);
}

/* ---- several groups, interleaved, with anchors ---- */

static void groups(void)
{
    kpmc_session *s = open_db("a14", NULL);
    /* INST_ALL and INST_INT_ALU both need counter 7: two groups */
    const char *ev[] = {"INST_ALL", "INST_INT_ALU", "BRANCH_MISPRED_NONSPEC", "FIXED_CYCLES"};
    const char *anchors[] = {"Cycles", "Instructions"};
    uint64_t w_all = word_of("a14", "INST_ALL", 0), w_alu = word_of("a14", "INST_INT_ALU", 0);
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 5, W = 2;
    o.repetitions = R;
    o.warmup = W;
    o.anchors = anchors;
    o.n_anchors = 2;
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 4, &o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    struct group_view g[4];
    size_t ng = groups_read(kpmc_measure_groups(m), g, 4);
    CHECK(ng == 2 && g[0].n == 4 && g[1].n == 3 && !strcmp(g[1].names[2], "INST_INT_ALU"), "groups: %zu", ng);
    /* region k per (group, rep) so that each sample is told apart */
    static const unsigned ks[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    struct script sc = {ks, 13, 0, {0}};
    r = kpmc_measure_run(m, scripted, &sc);
    CHECK(r == 0, "run: %d %s", r, kpmc_measure_error(m));
    const kpmc_result *res = kpmc_measure_result(m);
    if (!res) {
        kpmc_measure_free(m);
        kpmc_close(s);
        return;
    }
    /* the schedule: W warm-ups of group 1, then rounds of group 1, group 2 */
    CHECK(sc.calls == W + R * 2, "calls %u", sc.calls);
    for (unsigned c = 0; c < sc.calls; c++) {
        uint64_t want = c < W || (c - W) % 2 == 0 ? w_all : w_alu;
        CHECK(sc.word7[c] == want, "call %u ran with word %llu on counter 7, want %llu", c,
              (unsigned long long)sc.word7[c], (unsigned long long)want);
    }
    /* events: the caller's (FIXED_CYCLES is the anchor Cycles), then the
     * anchor Instructions */
    CHECK(res->n_events == 5 && res->n_samples == 2 * R && res->n_groups == 2, "shape %zu %zu", res->n_events,
          res->n_samples);
    const char *names[] = {"INST_ALL", "INST_INT_ALU", "BRANCH_MISPRED_NONSPEC", "FIXED_CYCLES", "Instructions"};
    const double step[] = {(double)w_all, (double)w_alu, (double)word_of("a14", "BRANCH_MISPRED_NONSPEC", 0), 1000,
                           2000};
    const int group[] = {0, 1, 0, -1, -1};
    for (int e = 0; e < 5; e++) {
        const kpmc_measured_event *x = &res->events[e];
        CHECK(!strcmp(x->name, names[e]) && x->anchor == (group[e] < 0), "event %d: %s", e, x->name);
        double want[32];
        size_t n = 0;
        for (unsigned i = 0; i < 2 * R; i++) {
            unsigned gi = i % 2;
            double k = ks[(W + i) % 13];
            int counted = group[e] < 0 || (unsigned)group[e] == gi;
            CHECK(res->samples[i].group == gi && res->samples[i].rep == i / 2, "sample %u", i);
            if (!counted) {
                CHECK(isnan(x->values[i]), "%s sample %u: %g, not counted", names[e], i, x->values[i]);
                continue;
            }
            want[n] = k * step[e];
            CHECK(stats_ref_near(x->values[i], want[n]), "%s sample %u: %g, want %g", names[e], i, x->values[i], want[n]);
            n++;
        }
        kpmc_stats st = stats_ref(want, n);
        check_stats(&x->stats, &st, names[e]);
        check_overhead(x, step[e], n);
    }
    /* IPC from the anchors (their medians over both groups) */
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    CHECK(ipc && ipc->numerator == 4 && ipc->denominator == 3 && stats_ref_near(ipc->value, 2.0), "ipc");
    kpmc_measure_free(m);
    kpmc_close(s);
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
    double step = (double)word_of("a14", "INST_BRANCH", 0);
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 12, W = 1;
    o.repetitions = R;
    o.warmup = W;
    struct core_script cs = {0};
    o.core_type = core_type;
    o.core_arg = &cs;
    o.pin = KPMC_CORE_PERFORMANCE;
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 1, &o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    unsigned runs = 0;
    while ((r = kpmc_measure_next(m)) > 0)
        work(runs++ % 4 + 1);
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(r == 0 && res, "run: %d %s", r, kpmc_measure_error(m));
    if (!res)
        return;
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
        const kpmc_sample *x = &res->samples[rep];
        CHECK(x->core_start == a && x->core_end == b && x->migrated == flag, "sample %u: %d %d %d, want %d %d %d", rep,
              x->core_start, x->core_end, x->migrated, a, b, flag);
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
    r = kpmc_measure_new(s, &m, ev, 1, &o);
    CHECK(r == 0, "kpmc_measure_new: %d", r);
    while ((r = kpmc_measure_next(m)) > 0) {
    }
    res = kpmc_measure_result(m);
#if !defined(__APPLE__)
    CHECK(res && res->core_types == 0 && res->samples[0].core_start == KPMC_CORE_UNKNOWN, "no core source");
#endif
    kpmc_measure_free(m);
    kpmc_close(s);
}

/* ---- other databases and modes ---- */

/* User mode on a14: the fixed instructions counter falls back to INST_ALL,
 * cycles come from CORE_ACTIVE_CYCLE, and the metrics bind to them. */
static void user_mode(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"CORE_ACTIVE_CYCLE", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC", "INST_BRANCH"};
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.mode = KPMC_MODE_USER;
    o.repetitions = 3;
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 4, &o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    unsigned runs = 0;
    while ((r = kpmc_measure_next(m)) > 0)
        work(runs++ % 2 + 1);
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(r == 0 && res, "run %d", r);
    if (!res)
        return;
    double cyc = (double)word_of("a14", "CORE_ACTIVE_CYCLE", 1), ins = (double)word_of("a14", "INST_ALL", 1);
    double mis = (double)word_of("a14", "BRANCH_MISPRED_NONSPEC", 1), br = (double)word_of("a14", "INST_BRANCH", 1);
    CHECK(!strcmp(res->events[1].counted, "INST_ALL") && res->mode == KPMC_MODE_USER, "fallback");
    /* samples 1: k = 2, 1, 2 -> median 2 */
    CHECK(stats_ref_near(res->events[0].stats.median, 2 * cyc) && stats_ref_near(res->events[1].stats.median, 2 * ins),
          "medians %g %g", res->events[0].stats.median, res->events[1].stats.median);
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *ratio = kpmc_result_metric(res, "branch-miss-ratio");
    const kpmc_measured_metric *mpki = kpmc_result_metric(res, "branch-mpki");
    CHECK(res->n_metrics == 3 && ipc && ratio && mpki, "%zu metrics", res->n_metrics);
    if (ipc && ratio && mpki) {
        CHECK(stats_ref_near(ipc->value, ins / cyc), "ipc %.17g, want %.17g", ipc->value, ins / cyc);
        CHECK(stats_ref_near(ratio->value, mis / br), "branch-miss-ratio %g", ratio->value);
        CHECK(stats_ref_near(mpki->value, 1000 * mis / ins), "branch-mpki %g", mpki->value);
    }
    kpmc_measure_free(m);
    kpmc_close(s);
}

/* skylake: Apple's names are aliases there, and the metrics bind to them. */
static void intel(void)
{
    kpmc_session *s = open_db("skylake", NULL);
    const char *ev[] = {"INST_RETIRED.ANY", "CPU_CLK_UNHALTED.THREAD", "BR_MISP_RETIRED.ALL_BRANCHES",
                        "MEM_LOAD_RETIRED.L1_MISS"};
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.repetitions = 4;
    o.iterations = 10;
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 4, &o);
    CHECK(r == 0, "kpmc_measure_new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    while ((r = kpmc_measure_next(m)) > 0)
        work(20);
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(r == 0 && res, "run %d", r);
    if (!res)
        return;
    double mis = (double)word_of("skylake", "BR_MISP_RETIRED.ALL_BRANCHES", 0);
    double l1 = (double)word_of("skylake", "MEM_LOAD_RETIRED.L1_MISS", 0);
    /* INST_RETIRED.ANY on fixed counter 0 (1000 a read); the catalog flags
     * CPU_CLK_UNHALTED.THREAD's fixed counter as shared, so it is counted as
     * CPU_CLK_UNHALTED.THREAD_P; 20 reads over 10 iterations */
    double cyc = (double)word_of("skylake", "CPU_CLK_UNHALTED.THREAD_P", 0);
    CHECK(!strcmp(res->events[1].counted, "CPU_CLK_UNHALTED.THREAD_P"), "counted %s", res->events[1].counted);
    CHECK(stats_ref_near(res->events[0].stats.median, 2000) && stats_ref_near(res->events[1].stats.median, 2 * cyc) &&
              stats_ref_near(res->events[2].stats.median, 2 * mis),
          "medians %g %g %g", res->events[0].stats.median, res->events[1].stats.median, res->events[2].stats.median);
    const kpmc_measured_metric *ipc = kpmc_result_metric(res, "ipc");
    const kpmc_measured_metric *l1d = kpmc_result_metric(res, "l1d-load-mpki");
    CHECK(res->n_metrics == 3 && ipc && l1d && kpmc_result_metric(res, "branch-mpki"), "%zu metrics",
          res->n_metrics);
    if (ipc && l1d) {
        CHECK(stats_ref_near(ipc->value, 1000 / cyc), "ipc %g", ipc->value);
        CHECK(stats_ref_near(l1d->value, 1000 * l1 / 1000), "l1d-load-mpki %g", l1d->value);
    }
    kpmc_measure_free(m);
    kpmc_close(s);
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

    /* a read that fails in the middle of a run: the run stops, the counters
     * stop, and the next run works (the fault is the 6th read: the empty
     * region's reads are 1-4 with warm-up 1 and 2 repetitions) */
    s = open_db("a14", "KPMC_SIM_FAULT=get_thread_counters:6:EIO");
    kpmc_measure_defaults(&o);
    o.repetitions = 2;
    r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == 0, "new: %d", r);
    unsigned runs = 0;
    while ((r = kpmc_measure_next(m)) > 0)
        runs++;
    CHECK(r == KPMC_E_KPC && contains(kpmc_measure_error(m), "kpc_get_thread_counters") &&
              contains(kpmc_measure_error(m), "EIO"),
          "failed read: %d after %u runs: %s", r, runs, kpmc_measure_error(m));
    CHECK(runs == 1 && kpmc_measure_result(m) == NULL, "runs %u", runs);
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "still counting: %u %u", st.counting, st.thread_counting);
    runs = 0;
    while ((r = kpmc_measure_next(m)) > 0)
        runs++;
    CHECK(r == 0 && runs == 3 && kpmc_measure_result(m) && !kpmc_measure_error(m)[0], "next run: %d %u", r, runs);
    kpmc_measure_free(m);
    kpmc_close(s);
}

/* ---- the raw read ---- */

/* kpmc_set_read_raw writes the kernel's buffer: after k reads, a fixed
 * counter i reads k (i + 1) 1000 and a configurable counter k times its
 * word, at the positions the plan gives; nothing past n_counters. */
static void raw(void)
{
    kpmc_session *s = open_db("a14", NULL);
    const char *ev[] = {"BRANCH_MISPRED_NONSPEC", "Instructions", "L1D_CACHE_MISS_LD"};
    kpmc_set *set;
    int r = kpmc_set_new(s, &set, ev, 3, KPMC_MODE_ALL);
    CHECK(r == 0, "set: %d", r);
    if (r)
        return;
    uint64_t buf[KPMC_MAX_EVENTS + 1];
    r = kpmc_set_read_raw(set, buf);
    CHECK(r == KPMC_E_STATE && contains(kpmc_set_error(set), "not counting"), "before start: %d %s", r,
          kpmc_set_error(set));
    CHECK(kpmc_set_start(set) == 0, "start");
    struct plan_view p_view;
    plan_read(kpmc_set_plan(set), &p_view);
    const struct plan_view *p = &p_view;
    CHECK(p->n_counters == 10, "a14 with fixed and configurable classes reads 10 values, not %u", p->n_counters);
    const double step[] = {(double)word_of("a14", "BRANCH_MISPRED_NONSPEC", 0), 2000,
                           (double)word_of("a14", "L1D_CACHE_MISS_LD", 0)};
    for (unsigned k = 1; k <= 3; k++) {
        for (size_t i = 0; i <= KPMC_MAX_EVENTS; i++)
            buf[i] = 0xdeadbeef;
        r = kpmc_set_read_raw(set, buf);
        CHECK(r == 0, "read %u: %d %s", k, r, kpmc_set_error(set));
        unsigned used = 0;
        for (unsigned i = 0; i < 3; i++) {
            CHECK((double)buf[p->events[i].index] == k * step[i], "read %u, %s at %u: %llu, want %g", k, ev[i],
                  p->events[i].index, (unsigned long long)buf[p->events[i].index], k * step[i]);
            used |= 1u << p->events[i].index;
        }
        for (unsigned i = 0; i < p->n_counters; i++)
            if (!(used >> i & 1u))
                CHECK(buf[i] == (i == 0 ? k * 1000u : 0), "read %u: position %u holds %llu", k, i,
                      (unsigned long long)buf[i]);
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
    kpmc_measure *m;
    int r = kpmc_measure_new(s, &m, ev, 3, &o);
    CHECK(r == 0, "new: %d %s", r, kpmc_session_error(s));
    if (r)
        return;
    static const unsigned ks[] = {1, 2, 3, 4, 5, 6, 7};
    struct script sc = {ks, 7, 0, {0}};
    r = kpmc_measure_run(m, scripted, &sc);
    const kpmc_result *res = kpmc_measure_result(m);
    CHECK(r == 0 && res, "run: %d", r);
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
    CHECK(csv && kpmc_result_csv(res, csv, clen + 1) == clen && !strncmp(csv, "kind,name,counted,group,n,", 26),
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
    kpmc_measure_free(m);
    kpmc_close(s);
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
