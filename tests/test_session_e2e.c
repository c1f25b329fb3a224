/* End to end against the simulated kperf, for every database of the
 * catalog: detect the CPU, open, build a set that fills fixed and
 * configurable counters (given in an order unlike the kernel's), start, read
 * twice, stop, close.
 *
 * Expected values come from the simulator's counting model
 * (tests/sim/kpmc_sim.h): after k reads, fixed counter i reads
 * k * (i + 1) * KPMC_SIM_FIXED_STEP and a configurable counter holding word
 * w reads k * w; the words are those of docs/kpc.md §4 (test_session_util.c),
 * cross-checked against the words the simulator recorded. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "test_session.h"

struct pick {
    unsigned n;
    unsigned ev[KPMC_MAX_EVENTS];     /* database indices, caller order */
    const char *name[KPMC_MAX_EVENTS];
    int portable[KPMC_MAX_EVENTS];
    int fixed[KPMC_MAX_EVENTS];
    uint64_t word[KPMC_MAX_EVENTS];   /* expected configuration word */
};

static int word_taken(const struct pick *p, uint64_t w)
{
    for (unsigned i = 0; i < p->n; i++)
        if (!p->fixed[i] && p->word[i] == w)
            return 1;
    /* values a fixed counter reads after one read */
    return w % KPMC_SIM_FIXED_STEP == 0 && w / KPMC_SIM_FIXED_STEP <= 16;
}

static void add(struct pick *p, const kpmc_event_info *e, int fixed, uint64_t w)
{
    p->ev[p->n] = e->index;
    p->name[p->n] = e->name;
    p->portable[p->n] = e->portable;
    p->fixed[p->n] = fixed;
    p->word[p->n] = w;
    p->n++;
}

/* One event per fixed counter, then configurable events with distinct
 * words while they fit (the plan is only asked whether a set fits). */
static void choose(const kpmc_db *db, const kpmc_db_info *d, struct pick *p)
{
    memset(p, 0, sizeof *p);
    uint32_t fixed_done = 0;
    for (unsigned i = 0; i < d->n_events; i++) {
        kpmc_event_info e;
        kpmc_event_get(db, i, &e);
        if (!(e.has & KPMC_HAS_FIXED_COUNTER) || e.flags)
            continue;
        uint32_t m = e.counters;
        if (popcount32(m) != 1 || !(m & d->fixed_counters) || (m & fixed_done))
            continue;
        fixed_done |= m;
        add(p, &e, 1, 0);
    }
    unsigned want = popcount32(d->fixed_counters) + popcount32(d->config_counters);
    for (unsigned i = 0; i < d->n_events && p->n < want; i++) {
        kpmc_event_info e;
        kpmc_event_get(db, i, &e);
        if ((e.has & KPMC_HAS_FIXED_COUNTER) || !(e.has & KPMC_HAS_NUMBER) || !e.number ||
            !(e.counters & d->config_counters))
            continue;
        uint64_t w = expected_word(d, &e);
        if (d->arch == KPMC_ARCH_X86_64 && !(w & 0x30000u))
            continue; /* counts in no ring */
        if (word_taken(p, stored_word(d, w)))
            continue;
        add(p, &e, 0, w);
        kpmc_plan plan;
        if (kpmc_plan_build(&plan, db, p->ev, p->n, KPMC_MODE_ALL, NULL, 0) != 0)
            p->n--;
    }
    /* Caller order: reversed, so that configurable events come first. */
    struct pick t = *p;
    for (unsigned i = 0; i < p->n; i++) {
        unsigned j = p->n - 1 - i;
        p->ev[i] = t.ev[j];
        p->name[i] = t.name[j];
        p->portable[i] = t.portable[j];
        p->fixed[i] = t.fixed[j];
        p->word[i] = t.word[j];
    }
}

static void one_db(size_t id)
{
    const kpmc_db *db = kpmc_db_at(id);
    kpmc_db_info d;
    kpmc_db_get(db, &d);
    char env[64];
    snprintf(env, sizeof env, "KPMC_SIM_DB=%s", d.name);
    sim_env(env, NULL);
    struct kpmc_sim_state before = sim_state();

    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0, "%s: kpmc_open: %s (%s)", d.name, kpmc_strerror(r), kpmc_session_error(s));
    if (r != 0) {
        kpmc_close(s);
        return;
    }
    CHECK(kpmc_session_db(s) == db, "%s: detected %s from cpu string %s", d.name,
          kpmc_db_name(kpmc_session_db(s)), kpmc_session_cpu(s));
    CHECK(sim_state().force_all == 1, "%s: counters not forced", d.name);

    struct pick p;
    choose(db, &d, &p);
    unsigned n_fixed_ev = 0;
    for (unsigned i = 0; i < p.n; i++)
        n_fixed_ev += (unsigned)p.fixed[i];
    /* skylake and kabylake flag two of their three fixed events (they claim
     * one counter), so at least one fixed event, not one per counter. */
    CHECK(n_fixed_ev >= 1 && p.n > n_fixed_ev + 1,
          "%s: set of %u events (%u fixed) does not exercise both kinds", d.name, p.n, n_fixed_ev);

    /* The three ways to make a set, in turn. */
    kpmc_set *set = NULL;
    switch (id % 3) {
    case 0: r = kpmc_set_new(s, &set, p.name, p.n, KPMC_MODE_ALL); break;
    case 1: r = kpmc_set_new_ev(s, &set, p.portable, p.n, KPMC_MODE_ALL); break;
    default: r = kpmc_set_new_db(s, &set, id, p.ev, p.n, KPMC_MODE_ALL); break;
    }
    CHECK(r == 0, "%s: set: %s (%s)", d.name, kpmc_strerror(r), kpmc_session_error(s));
    if (r != 0) {
        kpmc_close(s);
        return;
    }
    /* Placement must be legal: each event on a counter it may use, no two
     * on one counter. */
    const kpmc_plan *plan = kpmc_set_plan(set);
    uint32_t used = 0;
    for (unsigned i = 0; i < p.n; i++) {
        kpmc_event_info e;
        kpmc_event_get(db, p.ev[i], &e);
        unsigned c = plan->events[i].counter;
        CHECK(c < 32 && (e.counters >> c & 1u) && !(used >> c & 1u), "%s: %s placed on counter %u",
              d.name, e.name, c);
        used |= 1u << (c & 31);
    }

    r = kpmc_set_start(set);
    CHECK(r == 0, "%s: start: %s (%s)", d.name, kpmc_strerror(r), kpmc_session_error(s));
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == (KPMC_CLASS_FIXED | KPMC_CLASS_CONFIGURABLE) && st.thread_counting == st.counting,
          "%s: counting 0x%x thread_counting 0x%x", d.name, (unsigned)st.counting,
          (unsigned)st.thread_counting);
    /* The words the kernel holds: ours on the chosen counters, 0 elsewhere. */
    uint64_t want_cfg[KPMC_SIM_MAX_COUNTERS] = {0};
    for (unsigned i = 0; i < p.n; i++)
        if (!p.fixed[i])
            want_cfg[rank_in(d.config_counters, plan->events[i].counter)] = stored_word(&d, p.word[i]);
    for (unsigned k = 0; k < st.n_config; k++)
        CHECK(st.config[k] == want_cfg[k], "%s: configurable counter %u holds 0x%llx, expected 0x%llx",
              d.name, k, (unsigned long long)st.config[k], (unsigned long long)want_cfg[k]);

    for (uint64_t k = 1; k <= 2; k++) {
        uint64_t v[KPMC_MAX_EVENTS];
        memset(v, 0xEE, sizeof v);
        r = kpmc_set_read(set, v);
        CHECK(r == 0, "%s: read %llu: %s (%s)", d.name, (unsigned long long)k, kpmc_strerror(r),
              kpmc_set_error(set));
        for (unsigned i = 0; i < p.n; i++) {
            unsigned c = plan->events[i].counter;
            uint64_t want = p.fixed[i] ? k * (rank_in(d.fixed_counters, c) + 1) * KPMC_SIM_FIXED_STEP
                                       : k * stored_word(&d, p.word[i]);
            CHECK(v[i] == want, "%s: read %llu, event %u (%s): %llu, expected %llu", d.name,
                  (unsigned long long)k, i, p.name[i], (unsigned long long)v[i], (unsigned long long)want);
        }
        CHECK(v[p.n] == 0xEEEEEEEEEEEEEEEEull, "%s: read wrote past the set's %u events", d.name, p.n);
    }
    r = kpmc_set_stop(set);
    CHECK(r == 0, "%s: stop: %s (%s)", d.name, kpmc_strerror(r), kpmc_session_error(s));
    st = sim_state();
    CHECK(st.counting == 0 && st.thread_counting == 0, "%s: still counting after stop", d.name);
    kpmc_set_free(set);
    kpmc_close(s);
    st = sim_state();
    CHECK(same_kernel_state(&st, &before, d.name), "%s: state after close", d.name);
    CHECK(st.failed_calls == 0, "%s: %lu kpc calls failed", d.name, st.failed_calls);
}

int main(void)
{
    sim_load();
    CHECK(kpmc_db_count() == KPMC_DB_COUNT, "catalog has %zu databases", kpmc_db_count());
    for (size_t id = 0; id < kpmc_db_count(); id++)
        one_db(id);
    return t_result("test_session_e2e");
}
