/* End to end against the simulated kperf, for every database of the
 * catalog: detect the CPU, open, build a set that fills fixed and
 * configurable counters (given in an order unlike the kernel's), start, read
 * twice, stop, close.
 *
 * Run once per simulated kernel (CTest sets KPMC_SIM_KERNEL).  Expected
 * values come from the simulator's counting model (tests/sim/kpmc_sim.h,
 * per_read() in test_session_util.c): after k reads a counter reads k times
 * its user-mode part plus, when it counts the kernel, twice that; the words
 * are those of docs/kpc.md §4 (test_session_util.c), cross-checked against
 * the words the simulator recorded.  On a kernel whose configurable
 * counters count user mode only, the set (mixing fixed and configurable
 * events in KPMC_MODE_ALL) must be counted wholly in user mode on
 * configurable counters. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "test_session.h"
#include "plan_view.h"

struct pick {
    unsigned n;
    unsigned ev[KPMC_MAX_EVENTS];     /* database indices, caller order */
    const char *name[KPMC_MAX_EVENTS];
    int portable[KPMC_MAX_EVENTS];
    int fixed[KPMC_MAX_EVENTS];       /* counted on its fixed counter */
    unsigned counted[KPMC_MAX_EVENTS]; /* the event programmed */
    uint64_t word[KPMC_MAX_EVENTS];   /* expected configuration word */
    uint64_t per_read[KPMC_MAX_EVENTS];
};

/* What the simulated kernel is, for the set: configurable counters that
 * count user mode only (arm64, 15 and cpc), the general-purpose counters an
 * x86_64 cpc kernel gives (the lower half), and whether it drops CMASK, INV
 * and EDGE (x86_64 cpc). */
struct kern {
    int user_only, x86_plain;
    uint32_t conf;
};

static int value_taken(const struct pick *p, uint64_t v)
{
    for (unsigned i = 0; i < p->n; i++)
        if (p->per_read[i] == v)
            return 1;
    return 0;
}

static int event_taken(const struct pick *p, unsigned ev)
{
    for (unsigned i = 0; i < p->n; i++)
        if (p->counted[i] == ev || p->ev[i] == ev)
            return 1;
    return 0;
}

static void add(struct pick *p, const kpmc_event_info *e, int fixed, unsigned counted, uint64_t w, uint64_t per)
{
    p->ev[p->n] = e->index;
    p->name[p->n] = e->name;
    p->portable[p->n] = e->portable;
    p->fixed[p->n] = fixed;
    p->counted[p->n] = counted;
    p->word[p->n] = w;
    p->per_read[p->n] = per;
    p->n++;
}

/* The event a fixed event is counted as in user mode on a configurable
 * counter: its fallback, or CORE_ACTIVE_CYCLE for FIXED_CYCLES (README
 * "Kernel versions"); -1 when none. */
static int user_equivalent(const kpmc_db *db, const kpmc_event_info *e)
{
    if (e->fallback_index >= 0)
        return e->fallback_index;
    return strcmp(e->name, "FIXED_CYCLES") ? -1 : kpmc_event_find(db, "CORE_ACTIVE_CYCLE");
}

/* Does the set fit the kernel?  Asked of the plan, which a test of every
 * placement checks separately (test_alloc). */
static int fits(const kpmc_db *db, const struct kern *kn, const struct pick *p)
{
    kpmc_kernel kk = {sizeof kk, 0, KPMC_KERNEL_USER_ONLY | KPMC_KERNEL_X86_PLAIN, kn->conf};
    kk.flags = (kn->user_only ? KPMC_KERNEL_USER_ONLY : 0u) | (kn->x86_plain ? KPMC_KERNEL_X86_PLAIN : 0u);
    struct plan_view plan;
    return view_build(&plan, db, &kk, p->ev, p->n, KPMC_MODE_ALL, NULL, 0) == 0;
}

/* One event per fixed counter, then configurable events with distinct
 * counts while they fit.  On a user-only kernel the set mixes fixed and
 * configurable events, so every event is counted in user mode on a
 * configurable counter: fixed events through their equivalents. */
static void choose(const kpmc_db *db, const kpmc_db_info *d, const struct kern *kn, struct pick *p)
{
    memset(p, 0, sizeof *p);
    uint32_t fixed_done = 0;
    for (unsigned i = 0; i < d->n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        if (!(e.has & KPMC_HAS_FIXED_COUNTER) || e.flags)
            continue;
        uint32_t m = e.counters;
        if (popcount32(m) != 1 || !(m & d->fixed_counters) || (m & fixed_done))
            continue;
        if (!kn->user_only) {
            fixed_done |= m;
            add(p, &e, 1, i, 0, per_read(d, 0, (int)rank_in(d->fixed_counters, ctz32(m))));
            continue;
        }
        int eq = user_equivalent(db, &e);
        if (eq < 0)
            continue;
        kpmc_event_info q = {.size = sizeof q};
        kpmc_event_get(db, (unsigned)eq, &q);
        uint64_t w = (q.number & 0xFFFFu) | 0x30000u;
        fixed_done |= m;
        add(p, &e, 0, (unsigned)eq, w, per_read(d, w, -1));
        if (!fits(db, kn, p)) {
            p->n--;
            fixed_done &= ~m;
        }
    }
    unsigned want = popcount32(d->fixed_counters) + popcount32(kn->conf);
    for (unsigned i = 0; i < d->n_events && p->n < want; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        if ((e.has & KPMC_HAS_FIXED_COUNTER) || !(e.has & KPMC_HAS_NUMBER) || !e.number ||
            !(e.counters & kn->conf) || event_taken(p, i))
            continue;
        if (kn->x86_plain && (e.has & KPMC_HAS_OTHER) && (e.other & 0xFF84u))
            continue; /* needs CMASK, INV or EDGE: refused there (test_session_faults) */
        uint64_t w = kn->user_only ? (e.number & 0xFFFFu) | 0x30000u : expected_word(d, &e);
        if (d->arch == KPMC_ARCH_X86_64 && !(w & 0x30000u))
            continue; /* counts in no ring */
        uint64_t per = per_read(d, w, -1);
        if (value_taken(p, per) || per % KPMC_SIM_FIXED_STEP == 0)
            continue;
        add(p, &e, 0, i, w, per);
        if (!fits(db, kn, p))
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
        p->counted[i] = t.counted[j];
        p->word[i] = t.word[j];
        p->per_read[i] = t.per_read[j];
    }
}

static unsigned modes_of_word(const kpmc_db_info *d, const struct kern *kn, int fixed, uint64_t w)
{
    if (fixed)
        return KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL;
    if (d->arch == KPMC_ARCH_X86_64)
        return ((w & 0x10000u) ? KPMC_COUNTS_USER : 0u) | ((w & 0x20000u) ? KPMC_COUNTS_KERNEL : 0u);
    return KPMC_COUNTS_USER | (kn->user_only || (w & 0x30000u) ? 0u : KPMC_COUNTS_KERNEL);
}

static void one_db(size_t id)
{
    const kpmc_db *db = kpmc_db_at(id);
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    char env[64];
    snprintf(env, sizeof env, "KPMC_SIM_DB=%s", d.name);
    sim_env(env, NULL);
    struct kpmc_sim_state before = sim_state();
    struct kern kn = {d.arch == KPMC_ARCH_ARM64 && !sim_counts_kernel(&d), 0, d.config_counters};
    if (d.arch == KPMC_ARCH_X86_64 && sim_profile("cpc")) {
        /* cpc_x86_64.c: half the general-purpose counters, the lower ones */
        kn.x86_plain = 1;
        kn.conf = 0;
        for (unsigned c = 0, k = 0; c < 32; c++)
            if ((d.config_counters >> c & 1u) && k++ < popcount32(d.config_counters) / 2)
                kn.conf |= 1u << c;
    }

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
    kpmc_kernel known = {sizeof known, 0, 0, 0};
    CHECK(kpmc_session_kernel(s, &known) == 0 && known.config_counters == kn.conf,
          "%s: the session sees configurable counters 0x%x, the kernel gives 0x%x", d.name,
          (unsigned)known.config_counters, (unsigned)kn.conf);

    struct pick p;
    choose(db, &d, &kn, &p);
    unsigned n_fixed_ev = 0;
    for (unsigned i = 0; i < p.n; i++)
        n_fixed_ev += (unsigned)p.fixed[i];
    /* skylake and kabylake flag two of their three fixed events (they claim
     * one counter), so at least one fixed event, not one per counter; on a
     * user-only kernel none stays fixed. */
    CHECK(kn.user_only ? n_fixed_ev == 0 && p.n >= 3 : n_fixed_ev >= 1 && p.n > n_fixed_ev + 1,
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
    CHECK(kpmc_set_event_modes(set, 0) == KPMC_E_STATE, "%s: modes of a set never started", d.name);

    r = kpmc_set_start(set);
    CHECK(r == 0, "%s: start: %s (%s)", d.name, kpmc_strerror(r), kpmc_session_error(s));
    /* Placement must be legal: each event on a counter it may use, no two
     * on one counter; the event counted is the one expected. */
    struct plan_view plan_view;
    plan_read(kpmc_set_plan(set), &plan_view);
    const struct plan_view *plan = &plan_view;
    uint32_t used = 0, classes = 0;
    for (unsigned i = 0; i < p.n; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, p.counted[i], &e);
        unsigned c = plan->events[i].counter;
        CHECK(plan->events[i].resolved == p.counted[i], "%s: %s counted as %s, expected %s", d.name, p.name[i],
              kpmc_event_name(db, plan->events[i].resolved), e.name);
        CHECK(c < 32 && (e.counters >> c & 1u) && !(used >> c & 1u) &&
                  (p.fixed[i] || (kn.conf >> c & 1u)),
              "%s: %s placed on counter %u", d.name, e.name, c);
        used |= 1u << (c & 31);
        classes |= p.fixed[i] ? KPMC_CLASS_FIXED : KPMC_CLASS_CONFIGURABLE;
        unsigned want_modes = modes_of_word(&d, &kn, p.fixed[i], p.word[i]);
        CHECK(kpmc_set_event_modes(set, i) == (int)want_modes, "%s: %s counts modes %d, expected %u", d.name,
              p.name[i], kpmc_set_event_modes(set, i), want_modes);
    }
    struct kpmc_sim_state st = sim_state();
    CHECK(st.counting == classes && st.thread_counting == classes, "%s: counting 0x%x thread_counting 0x%x",
          d.name, (unsigned)st.counting, (unsigned)st.thread_counting);
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
        for (unsigned i = 0; i < p.n; i++)
            CHECK(v[i] == k * p.per_read[i], "%s: read %llu, event %u (%s): %llu, expected %llu", d.name,
                  (unsigned long long)k, i, p.name[i], (unsigned long long)v[i],
                  (unsigned long long)(k * p.per_read[i]));
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
    return check_result("test_session_e2e");
}
