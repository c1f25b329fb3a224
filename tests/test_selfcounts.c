/* Unprivileged sessions against the simulated kperf, under each of its
 * kernels (runtime.noroot_CASE.KERNEL): without root (KPMC_SIM_NOROOT=1)
 * kpmc_open gives a session that counts each thread's own cycles and
 * instructions through thread_selfcounts, and refuses every other event.
 *
 * Expected values come from the kernel's facts (docs/kpc.md §13: on arm64
 * the self counts are fixed counters 0, cycles, and 1, instructions; on
 * x86_64 fixed counter 0 is instructions and 1 cycles) and the simulator's
 * documented model (tests/sim/kpmc_sim.h: a thread's own counts advance by
 * the step of that fixed counter, (rank + 1) * KPMC_SIM_FIXED_STEP *
 * (1 + KPMC_SIM_KERNEL_FACTOR), per unit of kpmc_sim_work and per
 * thread_selfcounts call), never from kpmc's output.
 *
 * Usage: test_selfcounts CASE (see main()). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#include "test_session.h"
#include "plan_view.h"

enum kind { CYCLES, INSTRUCTIONS };

static void (*sim_work)(uint64_t);

/* The rank among the database's fixed counters of the counter the kernel
 * reads for `kind`. */
static unsigned kernel_rank(const kpmc_db_info *d, enum kind kind)
{
    int x86 = d->arch == KPMC_ARCH_X86_64;
    return kind == CYCLES ? (x86 ? 1u : 0u) : (x86 ? 0u : 1u);
}

/* What one unit of work adds to a thread's own count of `kind`. */
static uint64_t unit(const kpmc_db_info *d, enum kind kind)
{
    return (uint64_t)(kernel_rank(d, kind) + 1) * KPMC_SIM_FIXED_STEP * (1 + KPMC_SIM_KERNEL_FACTOR);
}

/* The database's event of that fixed counter, by name. */
static const char *canonical(const kpmc_db_info *d, enum kind kind)
{
    if (d->arch == KPMC_ARCH_X86_64)
        return kind == CYCLES ? "CPU_CLK_UNHALTED.THREAD" : "INST_RETIRED.ANY";
    return kind == CYCLES ? "FIXED_CYCLES" : "FIXED_INSTRUCTIONS";
}

/* The global index of the rank-th fixed counter. */
static unsigned fixed_counter(const kpmc_db_info *d, unsigned rank)
{
    uint32_t m = d->fixed_counters;
    for (; rank; rank--)
        m &= m - 1;
    return ctz32(m);
}

/* An unprivileged session on database `db` (KPMC_SIM_NOROOT=1, the
 * simulator reset: every thread's own counts 0). */
static kpmc_session *open_noroot(const char *db, const char *extra)
{
    char dbv[64];
    snprintf(dbv, sizeof dbv, "KPMC_SIM_DB=%s", db);
    sim_env("KPMC_SIM_NOROOT=1", dbv, extra, NULL);
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_privileged(s) == 0 && kpmc_session_db(s) == kpmc_db_find(db),
          "%s: kpmc_open without root: %s (%s), privileged %d", db, kpmc_strerror(r), kpmc_session_error(s),
          kpmc_session_privileged(s));
    if (r != 0) {
        kpmc_close(s);
        return NULL;
    }
    return s;
}

/* The plan of an unprivileged set of `names`: nothing for kpc, each event
 * on the fixed counter the kernel reads, the buffer thread_selfcounts'
 * (struct thsc_cpi: instructions, cycles). */
static void check_plan(const kpmc_set *set, const kpmc_db_info *d, const char *const *names, const enum kind *kinds,
                       size_t n, const char *what)
{
    struct plan_view p_view;
    plan_read(kpmc_set_plan(set), &p_view);
    const struct plan_view *p = &p_view;
    CHECK(p->classes == 0 && p->n_config == 0 && p->config_skip == 0 && p->n_counters == 2 && p->n_events == n &&
              p->mode == KPMC_MODE_ALL,
          "%s: plan classes 0x%x, %u words, %u counters, %u events", what, (unsigned)p->classes, p->n_config,
          p->n_counters, p->n_events);
    for (size_t i = 0; i < n && i < p->n_events; i++) {
        const kpmc_plan_event *e = &p->events[i];
        unsigned rank = kernel_rank(d, kinds[i]);
        const kpmc_db *db = kpmc_db_find(d->name);
        int ev = kpmc_event_find(db, canonical(d, kinds[i]));
        int asked = names ? kpmc_event_find(db, names[i]) : ev;
        if (names && asked < 0) /* a generic name */
            asked = ev;
        CHECK(e->fixed && e->index == (kinds[i] == CYCLES ? 1u : 0u) && e->counter == fixed_counter(d, rank) && (int)e->requested == asked &&
                  (int)e->resolved == ev && e->config == 0 && e->counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL),
              "%s: event %zu: fixed %u, index %u, counter %u, %s, counts %u", what, i, e->fixed, e->index, e->counter,
              kpmc_event_name(kpmc_db_find(d->name), e->resolved), e->counts);
    }
}

/* Count a set of `names` (kinds[i] says what each counts): its first read
 * (`first_units` units of the thread's own counts so far), work, raw
 * reads, stop and start again.  Returns the thread_selfcounts calls the
 * set made. */
static unsigned count_set(kpmc_session *s, const kpmc_db_info *d, const char *const *names, const enum kind *kinds,
                          size_t n, uint64_t first_units)
{
    char what[160];
    snprintf(what, sizeof what, "%s: %s%s%s", d->name, names[0], n > 1 ? ", " : "", n > 1 ? names[1] : "");
    kpmc_set *set = NULL;
    int r = kpmc_set_new(s, &set, names, n, KPMC_MODE_ALL);
    CHECK(r == 0, "%s: kpmc_set_new: %s", what, kpmc_session_error(s));
    if (r != 0)
        return 0;
    check_plan(set, d, names, kinds, n, what);
    CHECK(kpmc_set_event_modes(set, 0) == KPMC_E_STATE, "%s: modes before the start", what);
    r = kpmc_set_start(set);
    CHECK(r == 0, "%s: kpmc_set_start: %s", what, kpmc_session_error(s));
    for (size_t i = 0; i < n; i++)
        CHECK(kpmc_set_event_modes(set, i) == (int)(KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL), "%s: modes of %zu: %d",
              what, i, kpmc_set_event_modes(set, i));
    unsigned calls = 0;
    uint64_t a[KPMC_MAX_EVENTS], b[KPMC_MAX_EVENTS];
    r = kpmc_set_read(set, a);
    calls++;
    CHECK(r == 0, "%s: read: %s", what, kpmc_set_error(set));
    for (size_t i = 0; first_units && i < n; i++)
        CHECK(a[i] == first_units * unit(d, kinds[i]), "%s: first read of %s: %llu, want %llu", what, names[i],
              (unsigned long long)a[i], (unsigned long long)(first_units * unit(d, kinds[i])));
    sim_work(5);
    r = kpmc_set_read(set, b);
    calls++;
    for (size_t i = 0; i < n; i++)
        CHECK(r == 0 && b[i] - a[i] == 6 * unit(d, kinds[i]), "%s: %s counted %llu for 5 units and a read, want %llu",
              what, names[i], (unsigned long long)(b[i] - a[i]), (unsigned long long)(6 * unit(d, kinds[i])));
    /* the raw read: the counts at the plan's positions */
    uint64_t raw[KPMC_MAX_EVENTS];
    r = kpmc_set_read_raw(set, raw);
    calls++;
    struct plan_view p_view;
    plan_read(kpmc_set_plan(set), &p_view);
    const struct plan_view *p = &p_view;
    for (size_t i = 0; i < n; i++)
        CHECK(r == 0 && raw[p->events[i].index] - b[i] == unit(d, kinds[i]), "%s: raw read of %s: %llu after %llu",
              what, names[i], (unsigned long long)raw[p->events[i].index], (unsigned long long)b[i]);
    /* stopped, nothing is read; started again, it counts on */
    CHECK(kpmc_set_stop(set) == 0, "%s: stop: %s", what, kpmc_session_error(s));
    CHECK(kpmc_set_read(set, a) == KPMC_E_STATE && contains(kpmc_set_error(set), "not counting"),
          "%s: a read of a stopped set: %s", what, kpmc_set_error(set));
    CHECK(kpmc_set_stop(set) == KPMC_E_STATE, "%s: stopping twice", what);
    CHECK(kpmc_set_start(set) == 0 && kpmc_set_start(set) == KPMC_E_STATE, "%s: start again, and twice", what);
    r = kpmc_set_read(set, a);
    calls++;
    for (size_t i = 0; i < n; i++)
        CHECK(r == 0 && a[i] - raw[p->events[i].index] == unit(d, kinds[i]), "%s: after a restart %s: %llu", what,
              names[i], (unsigned long long)a[i]);
    kpmc_set_free(set); /* stops it */
    return calls;
}

/* Every database, every name of its cycles and instructions (generic
 * names, aliases, events; also by portable and per-database ids): exact
 * counts, and kpc asked nothing after kpmc_open's one refused call. */
static void case_counts(void)
{
    sim_find("kpmc_sim_work", &sim_work);
    for (size_t k = 0; k < kpmc_db_count(); k++) {
        const kpmc_db *db = kpmc_db_at(k);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        kpmc_session *s = open_noroot(d.name, NULL);
        if (!s)
            continue;
        struct kpmc_sim_state found = sim_state();
        int x86 = d.arch == KPMC_ARCH_X86_64;
        static const enum kind ci[] = {CYCLES, INSTRUCTIONS}, ic[] = {INSTRUCTIONS, CYCLES}, i1[] = {INSTRUCTIONS};
        const char *generic[] = {"cycles", "instructions"};
        const char *alias[] = {x86 ? "CORE_ACTIVE_CYCLE" : "Cycles", x86 ? "INST_ALL" : "Instructions"};
        const char *events[] = {canonical(&d, INSTRUCTIONS), canonical(&d, CYCLES)};
        const char *one[] = {"INSTRUCTIONS"};
        /* the configurable events the database names as their fallbacks */
        const char *fallbacks[] = {x86 ? "CPU_CLK_UNHALTED.THREAD_P" : "INST_ALL", "INST_RETIRED.ANY_P"};
        static const enum kind fb[] = {CYCLES, INSTRUCTIONS}, fb_arm[] = {INSTRUCTIONS};
        /* kpmc_open's probe was the first unit; the first read the second */
        unsigned calls = 1;
        calls += count_set(s, &d, generic, ci, 2, 2);
        calls += count_set(s, &d, alias, ci, 2, 0);
        calls += count_set(s, &d, events, ic, 2, 0);
        calls += count_set(s, &d, one, i1, 1, 0);
        calls += count_set(s, &d, fallbacks, x86 ? fb : fb_arm, x86 ? 2 : 1, 0);
        /* by ids */
        int ev[2] = {kpmc_ev_find(canonical(&d, CYCLES)), kpmc_ev_find(canonical(&d, INSTRUCTIONS))};
        unsigned idx[2] = {(unsigned)kpmc_event_find(db, canonical(&d, CYCLES)),
                           (unsigned)kpmc_event_find(db, canonical(&d, INSTRUCTIONS))};
        kpmc_set *a = NULL, *b = NULL;
        CHECK(kpmc_set_new_ev(s, &a, ev, 2, KPMC_MODE_ALL) == 0 && kpmc_set_new_db(s, &b, k, idx, 2, KPMC_MODE_ALL) == 0,
              "%s: by ids: %s", d.name, kpmc_session_error(s));
        if (a && b) {
            check_plan(a, &d, NULL, ci, 2, "portable ids");
            check_plan(b, &d, NULL, ci, 2, "database ids");
        }
        kpmc_set_free(a);
        kpmc_set_free(b);
        struct kpmc_sim_state st = sim_state();
        CHECK(st.calls == found.calls && same_kernel_state(&st, &found, d.name) &&
                  !strcmp(st.log, "cpu_string force_all_ctrs_get") && st.selfcounts_calls == calls,
              "%s: kpc calls \"%s\" (%lu since the open), %lu thread_selfcounts calls, want %u", d.name, st.log,
              st.calls - found.calls, st.selfcounts_calls, calls);
        kpmc_close(s);
        st = sim_state();
        CHECK(same_kernel_state(&st, &found, d.name) && st.calls == found.calls, "%s: kpmc_close touched kpc: %s",
              d.name, st.log);
    }
}

/* Anything else says it needs root (or fails as it would with root), and
 * asks kpc nothing. */
static void refuse(kpmc_session *s, const char *const *names, size_t n, int mode, int code, const char *needle)
{
    kpmc_set *set = (kpmc_set *)(void *)&set;
    int r = kpmc_set_new(s, &set, names, n, mode);
    CHECK(r == code && set == NULL && contains(kpmc_session_error(s), needle),
          "%s%s: %s (%s), want %s with \"%s\"", names[0], n > 1 ? ", ..." : "", kpmc_strerror(r),
          kpmc_session_error(s), kpmc_strerror(code), needle);
    if (r == 0)
        kpmc_set_free(set);
}

static void case_refused(void)
{
    kpmc_session *s = open_noroot("a14", NULL);
    if (!s)
        return;
    struct kpmc_sim_state found = sim_state();
    const char *branch[] = {"Cycles", "INST_BRANCH"};
    refuse(s, branch, 2, KPMC_MODE_ALL, KPMC_E_PERM,
           "INST_BRANCH (position 2 of the set) needs root (run with sudo): without root kpmc counts only cycles and "
           "instructions (FIXED_CYCLES, FIXED_INSTRUCTIONS), in KPMC_MODE_ALL, through thread_selfcounts");
    /* a configurable event that counts cycles, but is not the database's
     * fallback of FIXED_CYCLES (it has none) */
    const char *active[] = {"CORE_ACTIVE_CYCLE"};
    refuse(s, active, 1, KPMC_MODE_ALL, KPMC_E_PERM, "CORE_ACTIVE_CYCLE (position 1 of the set) needs root");
    const char *inst_all[] = {"INST_ALL"};
    const char *cycles[] = {"cycles"};
    refuse(s, cycles, 1, KPMC_MODE_USER, KPMC_E_PERM, "KPMC_MODE_USER needs root");
    const char *fixed[] = {"FIXED_CYCLES"}; /* refused in user mode even with root */
    refuse(s, fixed, 1, KPMC_MODE_USER, KPMC_E_PERM, "KPMC_MODE_USER needs root");
    /* two events only counter 7 can count: with root, KPMC_E_NOFIT */
    const char *nofit[] = {"INST_ALL", "INST_INT_ALU"};
    refuse(s, nofit, 2, KPMC_MODE_ALL, KPMC_E_PERM, "the set needs root");
    /* what root would meet too */
    const char *unknown[] = {"cycles", "NOT_AN_EVENT"};
    refuse(s, unknown, 2, KPMC_MODE_ALL, KPMC_E_NOEVENT, "NOT_AN_EVENT");
    const char *dup[] = {"Cycles", "FIXED_CYCLES"};
    refuse(s, dup, 2, KPMC_MODE_ALL, KPMC_E_DUPLICATE, "FIXED_CYCLES");
    kpmc_set *set = NULL;
    unsigned idx = 0;
    CHECK(kpmc_set_new_db(s, &set, kpmc_db_id(kpmc_db_find("skylake")), &idx, 1, KPMC_MODE_ALL) == KPMC_E_WRONGDB,
          "another database's ids: %s", kpmc_session_error(s));
    /* the session's other kpc calls */
    kpmc_cpus cpus = {.size = sizeof cpus};
    CHECK(kpmc_session_cpus(s, &cpus) == KPMC_E_PERM && contains(kpmc_session_error(s), "counting on every CPU needs root"),
          "kpmc_session_cpus: %s", kpmc_session_error(s));
    kpmc_probe pr = {.size = sizeof pr};
    memset(&pr, 0, sizeof pr);
    pr.size = sizeof pr;
    CHECK(kpmc_session_probe(s, &pr) == KPMC_E_PERM && contains(kpmc_session_error(s), "needs root"),
          "kpmc_session_probe: %s", kpmc_session_error(s));
    kpmc_kernel k = {.size = sizeof k};
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    CHECK(kpmc_session_kernel(s, &k) == 0 && k.size == sizeof k && k.known == 0 && k.config_counters == 0,
          "kpmc_session_kernel: known 0x%x", k.known);
    struct kpmc_sim_state st = sim_state();
    CHECK(st.calls == found.calls && st.selfcounts_calls == 1, "refusing asked kpc \"%s\", thread_selfcounts %lu times",
          st.log, st.selfcounts_calls);
    kpmc_close(s);

    /* Intel: the third fixed counter is not counted without root */
    s = open_noroot("ivybridge", NULL);
    if (!s)
        return;
    const char *ref[] = {"INST_RETIRED.ANY", "ReferenceCycles"};
    refuse(s, ref, 2, KPMC_MODE_ALL, KPMC_E_PERM, "CPU_CLK_UNHALTED.REF_TSC (position 2 of the set) needs root");
    refuse(s, inst_all, 1, KPMC_MODE_USER, KPMC_E_PERM, "KPMC_MODE_USER needs root");
    kpmc_close(s);
}

/* Each thread counts its own work, with sets counting at once. */
struct worker {
    kpmc_session *s;
    struct gate *gate;
    uint64_t units, counted[2];
    int r;
};

static void *work_thread(void *arg)
{
    struct worker *w = arg;
    const char *names[] = {"cycles", "instructions"};
    kpmc_set *set = NULL;
    uint64_t a[2], b[2];
    w->r = kpmc_set_new(w->s, &set, names, 2, KPMC_MODE_ALL);
    if (w->r == 0)
        w->r = kpmc_set_start(set);
    gate_wait(w->gate); /* every set counts */
    if (w->r == 0)
        w->r = kpmc_set_read(set, a);
    sim_work(w->units);
    if (w->r == 0)
        w->r = kpmc_set_read(set, b);
    gate_wait(w->gate);
    if (w->r == 0) {
        w->counted[0] = b[0] - a[0];
        w->counted[1] = b[1] - a[1];
        w->r = kpmc_set_stop(set);
    }
    kpmc_set_free(set);
    return NULL;
}

static void case_threads(void)
{
    sim_find("kpmc_sim_work", &sim_work);
    kpmc_session *s = open_noroot("a14", NULL);
    if (!s)
        return;
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_session_db(s), &d);
    enum { N = 3 };
    struct gate g;
    gate_init(&g, N);
    struct worker w[N];
    pthread_t t[N];
    for (unsigned i = 0; i < N; i++) {
        w[i] = (struct worker){s, &g, 2 + 5 * i, {0, 0}, -1};
        CHECK(pthread_create(&t[i], NULL, work_thread, &w[i]) == 0, "pthread_create");
    }
    for (unsigned i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    gate_destroy(&g);
    for (unsigned i = 0; i < N; i++)
        CHECK(w[i].r == 0 && w[i].counted[0] == (w[i].units + 1) * unit(&d, CYCLES) &&
                  w[i].counted[1] == (w[i].units + 1) * unit(&d, INSTRUCTIONS),
              "thread %u (%llu units): %d, %llu cycles, %llu instructions", i, (unsigned long long)w[i].units, w[i].r,
              (unsigned long long)w[i].counted[0], (unsigned long long)w[i].counted[1]);
    kpmc_close(s);
}

/* ---- the measurement API ---- */

static void units3(void *arg)
{
    (void)arg;
    sim_work(3);
}

/* A measurement of cycles and instructions: each call of the callback is 3
 * units; a sample's closing read is one more, which the empty region's
 * overhead (1 unit a sample) takes off again. */
static void measure_db(const char *db_name)
{
    kpmc_session *s = open_noroot(db_name, NULL);
    if (!s)
        return;
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_session_db(s), &d);
    const char *ev[] = {"cycles", "instructions"};
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    const unsigned R = 5, N = 4;
    o.repetitions = R;
    o.iterations = N;
    kpmc_measure *m = NULL;
    int r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == 0, "%s: kpmc_measure_new: %s", db_name, kpmc_session_error(s));
    if (r == 0)
        r = kpmc_measure_run(m, units3, NULL);
    CHECK(r == 0, "%s: kpmc_measure_run: %s", db_name, m ? kpmc_measure_error(m) : "");
    const kpmc_result *res = r == 0 ? kpmc_measure_result(m) : NULL;
    if (res) {
        CHECK(res->n_events == 2 && res->n_groups == 1 && res->n_samples == R, "%s: result shape", db_name);
        for (int e = 0; e < 2 && e < (int)res->n_events; e++) {
            const kpmc_measured_event *v = &res->events[e];
            enum kind kind = e == 0 ? CYCLES : INSTRUCTIONS;
            double per = 3.0 * (double)unit(&d, kind), over = (double)unit(&d, kind);
            CHECK(!strcmp(v->counted, canonical(&d, kind)) && v->counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL),
                  "%s: %s counted %s in %u", db_name, v->name, v->counted, v->counts);
            CHECK(v->stats.n == R && v->stats.min == per && v->stats.median == per && v->stats.mean == per &&
                      v->stats.stddev == 0 && v->stats.mad == 0,
                  "%s: %s per iteration: n %zu min %g median %g mean %g, want %g", db_name, v->name, v->stats.n,
                  v->stats.min, v->stats.median, v->stats.mean, per);
            CHECK(v->overhead.median == over && v->overhead.n == R, "%s: %s overhead %g, want %g", db_name, v->name,
                  v->overhead.median, over);
        }
        /* ipc: instructions per cycle, from the units */
        double ipc = (double)unit(&d, INSTRUCTIONS) / (double)unit(&d, CYCLES);
        int seen = 0;
        for (size_t i = 0; i < res->n_metrics; i++)
            if (!strcmp(res->metrics[i].name, "ipc")) {
                seen = 1;
                CHECK(res->metrics[i].value == ipc, "%s: ipc %g, want %g", db_name, res->metrics[i].value, ipc);
            }
        CHECK(seen, "%s: no ipc", db_name);
    }
    kpmc_measure_free(m);

    /* anything else needs root */
    const char *branch[] = {"cycles", "branch-misses"};
    m = NULL;
    r = kpmc_measure_new(s, &m, branch, 2, &o);
    CHECK(r == KPMC_E_PERM && m == NULL && contains(kpmc_session_error(s), "(position 2 of the set) needs root"),
          "%s: a measurement of branch misses: %s (%s)", db_name, kpmc_strerror(r), kpmc_session_error(s));
    kpmc_measure_free(m);
    o.mode = KPMC_MODE_USER;
    m = NULL;
    r = kpmc_measure_new(s, &m, ev, 2, &o);
    CHECK(r == KPMC_E_PERM && contains(kpmc_session_error(s), "KPMC_MODE_USER needs root"),
          "%s: a user-mode measurement: %s (%s)", db_name, kpmc_strerror(r), kpmc_session_error(s));
    kpmc_measure_free(m);
    struct kpmc_sim_state st = sim_state();
    CHECK(!strcmp(st.log, "cpu_string force_all_ctrs_get"), "%s: measuring asked kpc \"%s\"", db_name, st.log);
    kpmc_close(s);
}

static void case_measure(void)
{
    sim_find("kpmc_sim_work", &sim_work);
    measure_db("a14");
    /* skylake's catalog doubts CPU_CLK_UNHALTED.THREAD's fixed counter;
     * the kernel's own counts do not depend on it */
    measure_db("skylake");
}

/* ---- with root, nothing changes ---- */

static void case_rootpath(void)
{
    sim_find("kpmc_sim_work", &sim_work);
    /* a broken thread_selfcounts does not matter with root */
    sim_env("KPMC_SIM_DB=a14", "KPMC_SIM_SELFCOUNTS_FAIL=ENOTSUP", NULL);
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_privileged(s) == 1, "with root: %s, privileged %d", kpmc_session_error(s),
          kpmc_session_privileged(s));
    if (r != 0) {
        kpmc_close(s);
        return;
    }
    const char *names[] = {"cycles", "instructions", "INST_BRANCH"};
    kpmc_set *set = NULL;
    r = kpmc_set_new(s, &set, names, 3, KPMC_MODE_ALL);
    kpmc_plan_info pi = {.size = sizeof pi};
    CHECK(r == 0 && kpmc_plan_get(kpmc_set_plan(set), &pi) == 0 && pi.classes != 0, "with root, a set of three: %s",
          kpmc_session_error(s));
    if (r == 0) {
        uint64_t a[3], b[3];
        CHECK(kpmc_set_start(set) == 0 && kpmc_set_read(set, a) == 0 && kpmc_set_read(set, b) == 0,
              "with root: %s %s", kpmc_session_error(s), kpmc_set_error(set));
        kpmc_set_stop(set);
    }
    kpmc_set_free(set);
    struct kpmc_sim_state st = sim_state();
    CHECK(st.selfcounts_calls == 0 && contains(st.log, "get_thread_counters"),
          "with root: %lu thread_selfcounts calls, kpc \"%s\"", st.selfcounts_calls, st.log);
    kpmc_close(s);
}

/* ---- a read that fails ---- */

static void case_read_fails(void)
{
    /* call 1: kpmc_open's; 2: the first read; 3: the second */
    kpmc_session *s = open_noroot("a14", "KPMC_SIM_SELFCOUNTS_FAIL=3:EFAULT");
    if (!s)
        return;
    const char *names[] = {"instructions"};
    kpmc_set *set = NULL;
    uint64_t v[1];
    CHECK(kpmc_set_new(s, &set, names, 1, KPMC_MODE_ALL) == 0 && kpmc_set_start(set) == 0 &&
              kpmc_set_read(set, v) == 0,
          "%s", kpmc_session_error(s));
    int r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_KPC && contains(kpmc_set_error(set), "thread_selfcounts(THSC_CPI) failed with EFAULT") &&
              !contains(kpmc_set_error(set), "counter buffer"),
          "a failed read: %s (%s)", kpmc_strerror(r), kpmc_set_error(set));
    CHECK(kpmc_set_read(set, v) == 0, "the next read: %s", kpmc_set_error(set));
    kpmc_set_free(set);
    kpmc_close(s);
}

int main(int argc, char **argv)
{
    static const struct t_case cases[] = {
        {"noroot_counts", case_counts},   {"noroot_refused", case_refused},       {"noroot_threads", case_threads},
        {"noroot_measure", case_measure}, {"noroot_rootpath", case_rootpath}, {"noroot_read_fails", case_read_fails},
    };
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
