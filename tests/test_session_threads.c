/* Event sets and threads, and the set life cycle: two threads counting
 * with sets of the same configuration, each reading its own counters; a set
 * with another configuration refused while one counts; start and stop on
 * different threads; reads of sets that do not count; a failed read; each
 * thread's own detail messages; kpmc_close racing set calls on other
 * threads (close_race, a stress test: KPMC_STRESS_ROUNDS=N for a longer
 * run).
 *
 * Usage: test_session_threads CASE (one CTest case each, see main()). */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan_view.h"
#include "test_session.h"

/* a14: fixed counters 0-1, configurable 2-9 (docs/kpc.md §2). */
static const char *const names_a[] = {"INST_BRANCH", "Cycles", "Instructions"};
static const char *const names_b[] = {"Instructions", "INST_BRANCH", "Cycles"}; /* same configuration */
static const char *const names_c[] = {"Cycles", "INST_LDST"};                   /* another one */

/* a14's description of event `name` into *e, the database's into *d. */
static void a14_event(const char *name, kpmc_db_info *d, kpmc_event_info *e)
{
    const kpmc_db *db = kpmc_db_find("a14");
    d->size = sizeof *d;
    e->size = sizeof *e;
    kpmc_db_get(db, d);
    kpmc_event_get(db, (unsigned)kpmc_event_find(db, name), e);
}

static uint64_t word_of(const char *name)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_event_info e = {.size = sizeof e};
    a14_event(name, &d, &e);
    return expected_word(&d, &e);
}

/* What one read adds to event `name` of a KPMC_MODE_ALL a14 set that mixes
 * fixed and configurable events (every set here): on a kernel whose
 * configurable counters count user mode only, every event counts user
 * mode on a configurable counter, Cycles as CORE_ACTIVE_CYCLE and
 * Instructions as INST_ALL. */
static uint64_t per_read_of(const char *name)
{
    const kpmc_db *db = kpmc_db_find("a14");
    kpmc_db_info d = {.size = sizeof d};
    kpmc_event_info e = {.size = sizeof e};
    a14_event(name, &d, &e);
    int user_only = !sim_counts_kernel(&d);
    if (e.has & KPMC_HAS_FIXED_COUNTER) {
        if (!user_only)
            return per_read(&d, 0, (int)rank_in(d.fixed_counters, ctz32(e.counters)));
        const char *eq = e.fallback_index >= 0 ? kpmc_event_name(db, (unsigned)e.fallback_index) : "CORE_ACTIVE_CYCLE";
        kpmc_event_get(db, (unsigned)kpmc_event_find(db, eq), &e);
    }
    return per_read(&d, user_only ? (e.number | 0x30000u) : expected_word(&d, &e), -1);
}

/* The classes a KPMC_MODE_ALL a14 set mixing fixed and configurable events
 * counts: both, or only configurable ones where those count user mode only
 * (the fixed events then count on configurable counters too). */
static uint32_t mixed_classes(void)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_db_find("a14"), &d);
    return sim_counts_kernel(&d) ? KPMC_CLASS_FIXED | KPMC_CLASS_CONFIGURABLE : KPMC_CLASS_CONFIGURABLE;
}

static kpmc_session *open_a14(const char *fault)
{
    sim_env("KPMC_SIM_DB=a14", fault, NULL);
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    if (r != 0) {
        fprintf(stderr, "kpmc_open: %s\n", kpmc_session_error(s));
        exit(1);
    }
    return s;
}

/* ---- two threads ---- */

struct worker {
    kpmc_session *s;
    const char *const *names;
    unsigned reads;
    struct gate *gate;
    int start_rc, read_rc, stop_rc;
    uint64_t v[3];
    unsigned long set_config_calls_seen;
    int had_buffer; /* the kernel's counter buffer, before and after start */
    int has_buffer;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    kpmc_set *set = NULL;
    /* Both threads exist before either starts counting: the one that joins
     * gets its counter buffer only because kpmc asks for it. */
    w->had_buffer = sim_state().thread_has_buffer;
    w->start_rc = kpmc_set_new(w->s, &set, w->names, 3, KPMC_MODE_ALL);
    if (w->start_rc == 0)
        w->start_rc = kpmc_set_start(set);
    w->has_buffer = sim_state().thread_has_buffer;
    gate_wait(w->gate); /* both count */
    w->set_config_calls_seen = sim_state().set_config_calls;
    uint64_t first[3] = {0};
    w->read_rc |= kpmc_set_read(set, first);
    for (unsigned i = 0; i < w->reads; i++)
        w->read_rc |= kpmc_set_read(set, w->v);
    for (int k = 0; k < 3; k++)
        w->v[k] -= first[k];
    gate_wait(w->gate); /* both have read */
    w->stop_rc = kpmc_set_stop(set);
    kpmc_set_free(set);
    return NULL;
}

static void case_two_threads(void)
{
    kpmc_session *s = open_a14(NULL);
    struct gate b;
    gate_init(&b, 2);
    struct worker w[2] = {{s, names_a, 3, &b, 0, 0, 0, {0}, 0, 0, 0}, {s, names_b, 1, &b, 0, 0, 0, {0}, 0, 0, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, &w[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    gate_destroy(&b);
    /* Thread 0 read 3 times after its first read, thread 1 once:
     * per-thread counters. */
    uint64_t want0[3], want1[3];
    for (int k = 0; k < 3; k++) {
        want0[k] = 3 * per_read_of(names_a[k]);
        want1[k] = 1 * per_read_of(names_b[k]);
    }
    /* One configuration: one kpc_set_config, or two where the first start
     * finds configurable counters counting user mode only and plans again. */
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_db_find("a14"), &d);
    unsigned long configs = sim_counts_kernel(&d) ? 1 : 2;
    for (int i = 0; i < 2; i++) {
        CHECK(w[i].start_rc == 0 && w[i].read_rc == 0 && w[i].stop_rc == 0, "thread %d: %d %d %d (%s)", i,
              w[i].start_rc, w[i].read_rc, w[i].stop_rc, kpmc_session_error(s));
        CHECK(w[i].set_config_calls_seen == configs, "thread %d: %lu kpc_set_config calls, expected %lu", i,
              w[i].set_config_calls_seen, configs);
        CHECK(!w[i].had_buffer && w[i].has_buffer, "thread %d: counter buffer %d before start, %d after", i,
              w[i].had_buffer, w[i].has_buffer);
    }
    for (int k = 0; k < 3; k++) {
        CHECK(w[0].v[k] == want0[k], "thread 0, %s: %llu, expected %llu", names_a[k],
              (unsigned long long)w[0].v[k], (unsigned long long)want0[k]);
        CHECK(w[1].v[k] == want1[k], "thread 1, %s: %llu, expected %llu", names_b[k],
              (unsigned long long)w[1].v[k], (unsigned long long)want1[k]);
    }
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "counting after both stopped");
    kpmc_close(s);
}

/* ---- configurations ---- */

static void case_busy(void)
{
    kpmc_session *s = open_a14(NULL);
    kpmc_set *a, *c, *b;
    CHECK(kpmc_set_new(s, &a, names_a, 3, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_new(s, &b, names_b, 3, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_new(s, &c, names_c, 2, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_start(a) == 0, "%s", kpmc_session_error(s));
    int r = kpmc_set_start(c);
    CHECK(r == KPMC_E_BUSY && contains(kpmc_session_error(s), "different configuration"), "%s (%s)",
          kpmc_strerror(r), kpmc_session_error(s));
    struct kpmc_sim_state st = sim_state();
    kpmc_plan_event a0 = {.size = sizeof a0}, *pa = &a0;
    CHECK(kpmc_plan_event_get(kpmc_set_plan(a), 0, pa) == 0, "event 0 of a");
    CHECK(st.config[rank_in(0x3FCu, pa->counter)] == pa->config && (pa->config & 0xFFFFu) == word_of("INST_BRANCH"),
          "a refused set changed the configuration");
    /* The same configuration in another order counts alongside. */
    CHECK(kpmc_set_start(b) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_stop(a) == 0, "%s", kpmc_session_error(s));
    st = sim_state();
    CHECK(st.counting == mixed_classes() && st.thread_counting == mixed_classes(),
          "stopping one of two sets stopped counting");
    CHECK(kpmc_set_start(c) == KPMC_E_BUSY, "c started while b counts");
    CHECK(kpmc_set_stop(b) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_start(c) == 0, "c after a and b stopped: %s", kpmc_session_error(s));
    uint64_t u[2], v[2];
    CHECK(kpmc_set_read(c, u) == 0 && kpmc_set_read(c, v) == 0 && v[0] - u[0] == per_read_of("Cycles") &&
              v[1] - u[1] == per_read_of("INST_LDST"),
          "c reads %llu %llu", (unsigned long long)(v[0] - u[0]), (unsigned long long)(v[1] - u[1]));
    /* free stops a set that counts */
    kpmc_set_free(c);
    st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "free left counting on");
    kpmc_set_free(a);
    kpmc_set_free(b);

    /* Same event and classes, other mode bits: another configuration. */
    const char *branch[] = {"INST_BRANCH"};
    kpmc_set *all, *user;
    CHECK(kpmc_set_new(s, &all, branch, 1, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_new(s, &user, branch, 1, KPMC_MODE_USER) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_start(all) == 0, "%s", kpmc_session_error(s));
    r = kpmc_set_start(user);
    CHECK(r == KPMC_E_BUSY, "INST_BRANCH in user mode while it counts in all modes: %s", kpmc_strerror(r));
    kpmc_set_free(user);
    kpmc_set_free(all);
    kpmc_close(s);
}

/* ---- threads that start and stop ---- */

struct starter {
    kpmc_set *set;
    struct gate *gate;
    int stop; /* stop it after the second gate */
    int start_rc, stop_rc;
};

/* Starts the set, lets the main thread try to stop it, stops it. */
static void *start_then_stop(void *arg)
{
    struct starter *st = arg;
    st->start_rc = kpmc_set_start(st->set);
    gate_wait(st->gate); /* started */
    gate_wait(st->gate); /* the main thread tried */
    if (st->stop)
        st->stop_rc = kpmc_set_stop(st->set);
    return NULL;
}

static void case_wrong_thread(void)
{
    kpmc_session *s = open_a14(NULL);
    struct gate g;
    gate_init(&g, 2);
    struct starter st = {NULL, &g, 1, -99, -99};
    CHECK(kpmc_set_new(s, &st.set, names_a, 3, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    pthread_t t;
    pthread_create(&t, NULL, start_then_stop, &st);
    gate_wait(&g);
    CHECK(st.start_rc == 0, "start on thread A: %s", kpmc_session_error(s));
    int r = kpmc_set_stop(st.set);
    CHECK(r == KPMC_E_STATE && contains(kpmc_session_error(s), "thread"), "stop on thread B: %s (%s)",
          kpmc_strerror(r), kpmc_session_error(s));
    r = kpmc_set_start(st.set);
    CHECK(r == KPMC_E_STATE, "start of a counting set: %s", kpmc_strerror(r));
    CHECK(sim_state().counting == mixed_classes(), "a refused stop stopped counting");
    gate_wait(&g);
    pthread_join(t, NULL);
    CHECK(st.stop_rc == 0, "stop on thread A: %s", kpmc_strerror(st.stop_rc));
    struct kpmc_sim_state ss = sim_state();
    CHECK(ss.counting == 0 && ss.thread_counting == 0, "thread A's stop left counting on");

    /* Once stopped, any thread may start it again; free stops it from any
     * thread. */
    st.start_rc = -99;
    st.stop = 0;
    pthread_create(&t, NULL, start_then_stop, &st);
    gate_wait(&g);
    CHECK(st.start_rc == 0, "restart on a new thread: %s", kpmc_session_error(s));
    kpmc_set_free(st.set);
    ss = sim_state();
    CHECK(ss.counting == 0 && ss.thread_counting == 0, "free from another thread left counting on");
    gate_wait(&g);
    pthread_join(t, NULL);
    gate_destroy(&g);
    kpmc_close(s);
}

/* ---- reads that fail ---- */

static void case_read_errors(void)
{
    /* The second kpc_get_thread_counters call fails. */
    kpmc_session *s = open_a14("KPMC_SIM_FAULT=kpc_get_thread_counters:2:EINVAL");
    kpmc_set *set;
    uint64_t v[3];
    CHECK(kpmc_set_new(s, &set, names_a, 3, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    int r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_STATE && contains(kpmc_set_error(set), "not counting"), "read before start: %s (%s)",
          kpmc_strerror(r), kpmc_set_error(set));
    r = kpmc_set_stop(set);
    CHECK(r == KPMC_E_STATE, "stop before start: %s", kpmc_strerror(r));
    CHECK(kpmc_set_start(set) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_read(set, v) == 0, "%s", kpmc_set_error(set));
    CHECK(kpmc_set_stop(set) == 0, "%s", kpmc_session_error(s));
    r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_STATE, "read after stop: %s", kpmc_strerror(r));

    /* The kpc call fails: errno in the set's detail, not the session's. */
    CHECK(kpmc_set_start(set) == 0, "%s", kpmc_session_error(s));
    char before[KPMC_DETAIL_MAX];
    snprintf(before, sizeof before, "%s", kpmc_session_error(s));
    r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_KPC && contains(kpmc_set_error(set), "kpc_get_thread_counters") &&
              contains(kpmc_set_error(set), "EINVAL"),
          "%s (%s)", kpmc_strerror(r), kpmc_set_error(set));
    CHECK(!strcmp(before, kpmc_session_error(s)), "the session's detail changed: %s", kpmc_session_error(s));
    uint64_t u[3];
    CHECK(kpmc_set_read(set, u) == 0 && kpmc_set_read(set, v) == 0 && v[1] - u[1] == per_read_of("Cycles"),
          "the next reads: %s", kpmc_set_error(set));

    /* After close the set is inert; freeing it is still allowed. */
    kpmc_close(s);
    r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_STATE && contains(kpmc_set_error(set), "closed"), "read after close: %s (%s)",
          kpmc_strerror(r), kpmc_set_error(set));
    CHECK(kpmc_set_start(set) == KPMC_E_STATE, "start after close");
    CHECK(kpmc_set_stop(set) == KPMC_E_STATE, "stop after close");
    kpmc_set_free(set);
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0 && st.force_all == 0, "close with a counting set");
}

/* ---- what a read failure says ---- */

static void *read_elsewhere(void *arg)
{
    kpmc_set *set = arg;
    uint64_t v[3];
    int r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_KPC && contains(kpmc_set_error(set), "EINVAL") &&
              contains(kpmc_set_error(set), "no counter buffer") &&
              contains(kpmc_set_error(set), "thread that started it"),
          "read on a thread without a counter buffer: %s (%s)", kpmc_strerror(r), kpmc_set_error(set));
    return NULL;
}

static void case_read_sentences(void)
{
    kpmc_session *s = open_a14(NULL);
    kpmc_set *set;
    const char *conf[] = {"INST_BRANCH", "L1D_TLB_ACCESS"};
    CHECK(kpmc_set_new(s, &set, conf, 2, KPMC_MODE_USER) == 0 && kpmc_set_start(set) == 0, "%s",
          kpmc_session_error(s));
    uint64_t v[3];
    CHECK(kpmc_set_read(set, v) == 0, "%s", kpmc_set_error(set));
    /* A thread that never switched thread counting on: EINVAL. */
    pthread_t t;
    pthread_create(&t, NULL, read_elsewhere, set);
    pthread_join(t, NULL);
    /* Another client switches thread counting to FIXED|CONFIGURABLE: the
     * kernel now has 10 values a thread, the set reads 8: ENOMEM. */
    int (*thread_counting)(uint32_t);
    void *fn = dlsym(sim.handle, "kpc_set_thread_counting");
    memcpy(&thread_counting, &fn, sizeof fn);
    CHECK(fn && thread_counting(KPMC_CLASS_FIXED | KPMC_CLASS_CONFIGURABLE) == 0, "the other client");
    int r = kpmc_set_read(set, v);
    CHECK(r == KPMC_E_KPC && contains(kpmc_set_error(set), "kpc_get_thread_counters(0, 8)") &&
              contains(kpmc_set_error(set), "ENOMEM") && contains(kpmc_set_error(set), "more counter values"),
          "read after the classes changed: %s (%s)", kpmc_strerror(r), kpmc_set_error(set));
    kpmc_set_free(set);
    kpmc_close(s);
}

/* ---- creating sets ---- */

static void case_new(void)
{
    kpmc_session *s = open_a14(NULL);
    kpmc_set *set = NULL;
    const int ev[] = {KPMC_EV_CYCLES, KPMC_EV_INST_BRANCH};
    CHECK(kpmc_set_new_ev(s, &set, ev, 2, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    struct plan_view pv;
    plan_read(kpmc_set_plan(set), &pv);
    CHECK(pv.n_events == 2 && pv.events[0].fixed, "plan of portable ids");
    kpmc_set_free(set);

    /* An Intel-only portable id on a14 */
    const int intel[] = {KPMC_EV_CYCLES, KPMC_EV_INST_RETIRED_ANY};
    int r = kpmc_set_new_ev(s, &set, intel, 2, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_NOEVENT && set == NULL && contains(kpmc_session_error(s), "INST_RETIRED.ANY") &&
              contains(kpmc_session_error(s), "a14"),
          "%s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    /* Positions count from 1 in every message about a set: here as in
     * kpmc_plan_build's. */
    CHECK(contains(kpmc_session_error(s), "(position 2 of the set)"), "%s", kpmc_session_error(s));
    const int bad[] = {KPMC_EV_CYCLES, -5};
    r = kpmc_set_new_ev(s, &set, bad, 2, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_INVAL && contains(kpmc_session_error(s), "-5 (position 2 of the set)"), "id -5: %s (%s)",
          kpmc_strerror(r), kpmc_session_error(s));
    const unsigned out_of_range[] = {0, 100000};
    r = kpmc_set_new_db(s, &set, KPMC_DB_A14, out_of_range, 2, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_INVAL && contains(kpmc_session_error(s), "(position 2 of the set)"), "index 100000: %s (%s)",
          kpmc_strerror(r), kpmc_session_error(s));
    int many[KPMC_MAX_EVENTS + 1];
    for (int i = 0; i <= KPMC_MAX_EVENTS; i++)
        many[i] = KPMC_EV_CYCLES;
    r = kpmc_set_new_ev(s, &set, many, KPMC_MAX_EVENTS + 1, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_TOOMANY, "17 ids: %s", kpmc_strerror(r));

    /* Per-database ids: of this database, of another one, of none. */
    const unsigned a14_ev[] = {(unsigned)kpmc_event_find(kpmc_db_find("a14"), "INST_LDST")};
    CHECK(kpmc_set_new_db(s, &set, KPMC_DB_A14, a14_ev, 1, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    kpmc_set_free(set);
    r = kpmc_set_new_db(s, &set, KPMC_DB_A15, a14_ev, 1, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_WRONGDB && contains(kpmc_session_error(s), "a15") && contains(kpmc_session_error(s), "a14"),
          "%s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    r = kpmc_set_new_db(s, &set, 999, a14_ev, 1, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_WRONGDB, "db 999: %s", kpmc_strerror(r));

    /* Plan errors reach the session's detail. */
    const char *unknown[] = {"Cycles", "NO_SUCH_EVENT"};
    r = kpmc_set_new(s, &set, unknown, 2, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_NOEVENT && contains(kpmc_session_error(s), "NO_SUCH_EVENT"), "%s (%s)", kpmc_strerror(r),
          kpmc_session_error(s));
    r = kpmc_set_new(s, &set, unknown, 0, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_EMPTY, "empty: %s", kpmc_strerror(r));
    r = kpmc_set_new(s, &set, NULL, 2, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_INVAL, "NULL names: %s", kpmc_strerror(r));
    r = kpmc_set_new(s, NULL, unknown, 1, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_INVAL, "NULL out: %s", kpmc_strerror(r));
    r = kpmc_set_new(s, &set, unknown, 1, 7);
    CHECK(r == KPMC_E_INVAL, "mode 7: %s", kpmc_strerror(r));
    CHECK(kpmc_set_start(NULL) == KPMC_E_INVAL && kpmc_set_stop(NULL) == KPMC_E_INVAL, "NULL set");
    kpmc_set_free(NULL);
    kpmc_close(NULL);
    kpmc_close(s);
}

/* ---- details belong to the thread ---- */

struct teller {
    kpmc_session *s;
    struct gate *gate;
    const char *name; /* an event the database lacks */
    kpmc_set *set;    /* read while it does not count (second part) */
    char seen[KPMC_DETAIL_MAX];
    int rc;
};

/* Fails a call naming its own event, waits while the other threads fail
 * theirs, then looks at its detail. */
static void *tell(void *arg)
{
    struct teller *t = arg;
    const char *names[] = {"Cycles", t->name};
    kpmc_set *set = NULL;
    t->rc = kpmc_set_new(t->s, &set, names, 2, KPMC_MODE_ALL);
    gate_wait(t->gate); /* every thread failed once */
    gate_wait(t->gate); /* the main thread failed again */
    snprintf(t->seen, sizeof t->seen, "%s", kpmc_session_error(t->s));
    return NULL;
}

/* Fails a read of a set that does not count; looks at the set's detail
 * after the main thread closed the session and failed to start the set. */
static void *tell_set(void *arg)
{
    struct teller *t = arg;
    uint64_t v[3];
    t->rc = kpmc_set_read(t->set, v);
    gate_wait(t->gate); /* failed */
    gate_wait(t->gate); /* the main thread closed and failed */
    snprintf(t->seen, sizeof t->seen, "%s", kpmc_set_error(t->set));
    return NULL;
}

static void *tell_inert(void *arg)
{
    struct teller *t = arg;
    snprintf(t->seen, sizeof t->seen, "%s", kpmc_session_error(t->s));
    return NULL;
}

static void case_details(void)
{
    /* Three threads fail session calls on one session: each reads its own
     * detail, whatever the others did since. */
    kpmc_session *s = open_a14(NULL);
    struct gate g;
    gate_init(&g, 3);
    struct teller t[2] = {{s, &g, "NO_SUCH_EVENT_ONE", NULL, "", 0}, {s, &g, "NO_SUCH_EVENT_TWO", NULL, "", 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, tell, &t[i]);
    CHECK(!strcmp(kpmc_session_error(s), ""), "no failed call on this thread yet: %s", kpmc_session_error(s));
    gate_wait(&g);
    const char *mine[] = {"NO_SUCH_EVENT_MAIN"};
    kpmc_set *set = NULL;
    CHECK(kpmc_set_new(s, &set, mine, 1, KPMC_MODE_ALL) == KPMC_E_NOEVENT, "unknown event");
    gate_wait(&g);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        CHECK(t[i].rc == KPMC_E_NOEVENT, "thread %d: %s", i, kpmc_strerror(t[i].rc));
        CHECK(contains(t[i].seen, t[i].name) && !contains(t[i].seen, t[1 - i].name) && !contains(t[i].seen, "MAIN"),
              "thread %d reads another thread's detail: %s", i, t[i].seen);
    }
    CHECK(contains(kpmc_session_error(s), "NO_SUCH_EVENT_MAIN"), "this thread's detail: %s", kpmc_session_error(s));

    /* A set's detail: a failed read on one thread, a start refused after
     * the close on another. */
    kpmc_set *shared;
    CHECK(kpmc_set_new(s, &shared, names_a, 3, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    gate_destroy(&g);
    gate_init(&g, 2);
    struct teller reader = {s, &g, NULL, shared, "", 0};
    pthread_create(&th[0], NULL, tell_set, &reader);
    gate_wait(&g);
    kpmc_close(s);
    CHECK(kpmc_set_start(shared) == KPMC_E_STATE && contains(kpmc_set_error(shared), "closed"),
          "start after close: %s", kpmc_set_error(shared));
    gate_wait(&g);
    pthread_join(th[0], NULL);
    CHECK(reader.rc == KPMC_E_STATE && contains(reader.seen, "not counting") && !contains(reader.seen, "closed"),
          "the reading thread's set detail: %s", reader.seen);
    kpmc_set_free(shared);
    gate_destroy(&g);

    /* kpmc_open's detail reads the same on every thread: an inert
     * session's (another client holds the counters), an unprivileged one's
     * (no root: why kpc was refused). */
    const char *cases[][3] = {{"KPMC_SIM_BUSY=1", "another client", "inert"},
                              {"KPMC_SIM_NOROOT=1", "sudo", "unprivileged"}};
    for (int c = 0; c < 2; c++) {
        sim_env("KPMC_SIM_DB=a14", cases[c][0], NULL);
        kpmc_session *o;
        int r = kpmc_open(&o, NULL);
        CHECK(c == 0 ? r == KPMC_E_BUSY : r == 0 && kpmc_session_privileged(o) == 0, "%s: %s", cases[c][2],
              kpmc_strerror(r));
        struct teller other = {o, NULL, NULL, NULL, "", 0};
        pthread_create(&th[0], NULL, tell_inert, &other);
        pthread_join(th[0], NULL);
        CHECK(contains(other.seen, cases[c][1]) && !strcmp(other.seen, kpmc_session_error(o)),
              "%s session's detail on another thread: '%s', on this one '%s'", cases[c][2], other.seen,
              kpmc_session_error(o));
        /* A failed call on an inert session keeps kpmc_open's detail. */
        kpmc_set *none = NULL;
        if (c == 0)
            CHECK(kpmc_set_new(o, &none, names_a, 3, KPMC_MODE_ALL) == KPMC_E_STATE &&
                      !strcmp(other.seen, kpmc_session_error(o)),
                  "inert session after a failed kpmc_set_new: %s", kpmc_session_error(o));
        kpmc_close(o);
    }
}

/* ---- kpmc_close racing set calls on other threads ---- */

/* Threads that create, start, read, stop and free sets while the main
 * thread closes the session at a random point.  Every call must return 0
 * or one of the errors kpmc.h gives it; two reads of a counting set, both
 * before the close began, must differ by what the simulator counts for one
 * read; after the round the kernel state must be what kpmc_open found.
 * kpmc_set_new* takes the session, which kpmc_close ends, so those two
 * never overlap (a read-write lock); the set calls race it freely. */
#define RACE_THREADS 4
#define RACE_SETS 3     /* sets a thread holds at once */
#define RACE_OPS 120    /* calls a thread makes a round */
#define RACE_ROUNDS 200 /* default; KPMC_STRESS_ROUNDS overrides */

struct race {
    kpmc_session *s;
    pthread_rwlock_t new_lock; /* kpmc_set_new* versus kpmc_close */
    int closed;                /* under new_lock */
    atomic_int closing;        /* set before kpmc_close is called */
    atomic_uint progress;      /* calls made so far by every thread */
    uint64_t per_read[3][3];   /* what one read adds, per name list and event */
};

static const char *const *const race_names[3] = {names_a, names_b, names_c};
static const size_t race_n[3] = {3, 3, 2};

struct racer {
    struct race *race;
    uint64_t rng;
    unsigned id;
    /* figures */
    unsigned long calls, after_close, checked_reads, busy;
    int failures;
};

static uint64_t rng_next(uint64_t *x)
{
    /* xorshift64* */
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1Dull;
}

#define RACE_CHECK(w, cond, ...)                                                      \
    do {                                                                              \
        if (!(cond)) {                                                                \
            (w)->failures++;                                                          \
            fprintf(stderr, "%s:%d: thread %u: CHECK(%s) failed: ", __FILE__, __LINE__, (w)->id, #cond); \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
        }                                                                             \
    } while (0)

static int closing(struct race *r)
{
    return atomic_load(&r->closing);
}

static void *race_run(void *arg)
{
    struct racer *w = arg;
    struct race *race = w->race;
    kpmc_set *set[RACE_SETS] = {NULL};
    unsigned list[RACE_SETS] = {0};
    int counting[RACE_SETS] = {0};
    for (unsigned op = 0; op < RACE_OPS; op++, atomic_fetch_add(&race->progress, 1)) {
        uint64_t x = rng_next(&w->rng);
        unsigned k = (unsigned)(x % RACE_SETS), what = (unsigned)(x >> 8) % 8;
        if (!set[k]) {
            pthread_rwlock_rdlock(&race->new_lock);
            if (!race->closed) {
                w->calls++;
                list[k] = (unsigned)(x >> 16) % 3;
                int r = kpmc_set_new(race->s, &set[k], race_names[list[k]], race_n[list[k]], KPMC_MODE_ALL);
                RACE_CHECK(w, r == 0 && set[k], "kpmc_set_new: %s (%s)", kpmc_strerror(r), kpmc_session_error(race->s));
            }
            pthread_rwlock_unlock(&race->new_lock);
            continue;
        }
        w->calls++;
        if (closing(race))
            w->after_close++;
        if (what < 2) {
            int r = kpmc_set_start(set[k]);
            if (r == 0) {
                RACE_CHECK(w, !counting[k], "a counting set started again");
                counting[k] = 1;
            } else if (r == KPMC_E_BUSY) {
                w->busy++;
                RACE_CHECK(w, !counting[k], "a counting set: KPMC_E_BUSY");
            } else {
                RACE_CHECK(w, r == KPMC_E_STATE && (counting[k] || closing(race)), "kpmc_set_start: %s",
                           kpmc_strerror(r));
                if (r == KPMC_E_STATE && !counting[k])
                    RACE_CHECK(w, contains(kpmc_set_error(set[k]), "closed"), "start after close: %s",
                               kpmc_set_error(set[k]));
            }
        } else if (what < 5) {
            uint64_t a[3], b[3];
            int r1 = kpmc_set_read(set[k], a);
            int r2 = kpmc_set_read(set[k], b);
            int before_close = !closing(race);
            for (int i = 0; i < 2; i++) {
                int r = i ? r2 : r1;
                if (!counting[k])
                    RACE_CHECK(w, r == KPMC_E_STATE, "read of a set that does not count: %s", kpmc_strerror(r));
                else
                    RACE_CHECK(w, r == 0 || (r == KPMC_E_STATE && !before_close), "read: %s (%s)", kpmc_strerror(r),
                               kpmc_set_error(set[k]));
            }
            if (counting[k] && r1 == 0 && r2 == 0 && before_close) {
                w->checked_reads++;
                for (size_t e = 0; e < race_n[list[k]]; e++)
                    RACE_CHECK(w, b[e] - a[e] == race->per_read[list[k]][e], "%s: %llu a read, expected %llu",
                               race_names[list[k]][e], (unsigned long long)(b[e] - a[e]),
                               (unsigned long long)race->per_read[list[k]][e]);
            }
        } else if (what < 7) {
            int r = kpmc_set_stop(set[k]);
            if (counting[k])
                RACE_CHECK(w, r == 0 || (r == KPMC_E_STATE && closing(race)), "stop: %s", kpmc_strerror(r));
            else
                RACE_CHECK(w, r == KPMC_E_STATE, "stop of a set that does not count: %s", kpmc_strerror(r));
            counting[k] = 0;
        } else {
            kpmc_set_free(set[k]); /* stops it when it counts */
            set[k] = NULL;
            counting[k] = 0;
        }
    }
    for (unsigned k = 0; k < RACE_SETS; k++)
        kpmc_set_free(set[k]);
    return NULL;
}

static void case_close_race(void)
{
    unsigned rounds = RACE_ROUNDS;
    const char *env = getenv("KPMC_STRESS_ROUNDS");
    if (env && *env)
        rounds = (unsigned)strtoul(env, NULL, 10);
    sim_env("KPMC_SIM_DB=a14", NULL);
    struct kpmc_sim_state found = sim_state();
    struct race race;
    memset(&race, 0, sizeof race);
    for (unsigned l = 0; l < 3; l++)
        for (size_t e = 0; e < race_n[l]; e++)
            race.per_read[l][e] = per_read_of(race_names[l][e]);
    unsigned long calls = 0, after_close = 0, checked = 0, busy = 0;
    uint64_t main_rng = 0x9E3779B97F4A7C15ull;
    for (unsigned round = 0; round < rounds; round++) {
        /* A round takes milliseconds: a deadlock ends the test instead of
         * hanging it. */
        alarm(30);
        CHECK(kpmc_open(&race.s, NULL) == 0, "round %u: %s", round, kpmc_session_error(race.s));
        pthread_rwlock_init(&race.new_lock, NULL);
        race.closed = 0;
        atomic_store(&race.closing, 0);
        atomic_store(&race.progress, 0);
        struct racer w[RACE_THREADS];
        pthread_t t[RACE_THREADS];
        for (unsigned i = 0; i < RACE_THREADS; i++) {
            memset(&w[i], 0, sizeof w[i]);
            w[i].race = &race;
            w[i].id = i;
            w[i].rng = 0x2545F4914F6CDD1Dull * (round * RACE_THREADS + i + 1);
            pthread_create(&t[i], NULL, race_run, &w[i]);
        }
        /* Close once the threads made a random share of their calls. */
        unsigned at = (unsigned)(rng_next(&main_rng) % (RACE_THREADS * RACE_OPS));
        while (atomic_load(&race.progress) < at)
            sched_yield();
        atomic_store(&race.closing, 1);
        pthread_rwlock_wrlock(&race.new_lock);
        kpmc_close(race.s);
        race.closed = 1;
        pthread_rwlock_unlock(&race.new_lock);
        for (unsigned i = 0; i < RACE_THREADS; i++) {
            pthread_join(t[i], NULL);
            t_failures += w[i].failures;
            calls += w[i].calls;
            after_close += w[i].after_close;
            checked += w[i].checked_reads;
            busy += w[i].busy;
        }
        pthread_rwlock_destroy(&race.new_lock);
        struct kpmc_sim_state st = sim_state();
        char what[64];
        snprintf(what, sizeof what, "round %u, after close", round);
        CHECK(same_kernel_state(&st, &found, what), "the kernel state is not restored");
        if (t_failures)
            break;
    }
    alarm(0);
    printf("close_race: %u rounds, %d threads and a closing one, %lu set calls (%lu after the close began), "
           "%lu read pairs checked, %lu starts refused as busy\n",
           rounds, RACE_THREADS, calls, after_close, checked, busy);
}

int main(int argc, char **argv)
{
    static const struct t_case cases[] = {
        {"two_threads", case_two_threads}, {"busy", case_busy},   {"wrong_thread", case_wrong_thread},
        {"read_errors", case_read_errors}, {"new", case_new},     {"read_sentences", case_read_sentences},
        {"details", case_details},         {"close_race", case_close_race},
    };
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
