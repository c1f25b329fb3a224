/* Event sets: build a plan on the session's database, program it (start),
 * read the calling thread's counters, stop, free. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "detail.h"
#include "digest.h"
#include "session_internal.h"

/* ---- creation ---- */

/* The read-path fields from the set's plan, and the kernel it was planned
 * for. */
static void set_plan_fields(kpmc_set *set, const kpmc_session *s)
{
    set->n_counters = set->plan.n_counters;
    set->last = set->plan.n_events - 1;
    for (unsigned i = 0; i < set->plan.n_events; i++)
        set->index[i] = (uint8_t)set->plan.events[i].index;
    set->planned_flags = s->kernel.flags & s->kernel.known;
    set->planned_known = s->kernel.known;
}

/* A new set takes a reference to its session; session locked. */
static void set_init(kpmc_set *set, kpmc_session *s)
{
    set->s = s;
    set->serial = kpmc_serial();
    atomic_init(&set->read, kpmc_set_read_idle);
    atomic_init(&set->state, KPMC_SET_STOPPED);
    set_plan_fields(set, s);
    set->next = s->sets;
    s->sets = set;
    s->refs++;
}

enum by { BY_NAME, BY_EV, BY_DB };

/* Resolve portable ids to indices of db. */
static int resolve_ev(kpmc_session *s, const int *ev, size_t n, unsigned *idx)
{
    if (n > KPMC_MAX_EVENTS) {
        kpmc_detail_set(s->detail, sizeof s->detail, "%zu events asked for; a set holds at most %d", n,
                        KPMC_MAX_EVENTS);
        return KPMC_E_TOOMANY;
    }
    for (size_t i = 0; i < n; i++) {
        /* Positions count from 1, as in every message about a set. */
        int r = kpmc_ev_resolve(s->db, ev[i]);
        if (r == KPMC_E_INVAL) {
            kpmc_detail_set(s->detail, sizeof s->detail,
                            "%d (position %zu of the set) is not a portable event id (KPMC_EV_*)", ev[i], i + 1);
            return r;
        }
        if (r < 0) {
            kpmc_detail_set(s->detail, sizeof s->detail, "database %s has no event %s (position %zu of the set)",
                            kpmc_db_name(s->db), kpmc_ev_name(ev[i]), i + 1);
            return KPMC_E_NOEVENT;
        }
        idx[i] = (unsigned)r;
    }
    return 0;
}

/* catalog: the caller's KPMC_CATALOG_DIGEST, for ids (BY_EV, BY_DB). */
static int set_new(kpmc_session *s, kpmc_set **out, enum by by, const void *events, size_t n,
                   size_t db_id, int mode, uint64_t catalog)
{
    if (!out)
        return KPMC_E_INVAL;
    *out = NULL;
    if (!s)
        return KPMC_E_INVAL;
    kpmc_call_begin(s);
    int r = 0;
    kpmc_set *set = NULL;
    if (!s->db) {
        /* The detail of the failed kpmc_open stays: it says why. */
        r = KPMC_E_STATE;
        goto done;
    }
    if (s->closed) {
        /* Only reachable while sets keep the closed session's memory. */
        kpmc_detail_set(s->detail, sizeof s->detail, "kpmc_set_new: the session is closed");
        r = KPMC_E_STATE;
        goto done;
    }
    if (by != BY_NAME && (r = kpmc_cat_digest_check(catalog, s->detail, sizeof s->detail)) != 0)
        goto done;
    if (!events && n) {
        kpmc_detail_set(s->detail, sizeof s->detail, "the event array is NULL");
        r = KPMC_E_INVAL;
        goto done;
    }
    set = calloc(1, sizeof *set);
    if (!set) {
        kpmc_detail_set(s->detail, sizeof s->detail, "out of memory for an event set");
        r = KPMC_E_NOMEM;
        goto done;
    }
    unsigned idx[KPMC_MAX_EVENTS];
    switch (by) {
    case BY_NAME:
        r = kpmc_plan_build_names_kernel(&set->plan, s->db, &s->kernel, events, n, mode, s->detail,
                                         sizeof s->detail);
        break;
    case BY_EV:
        r = resolve_ev(s, events, n, idx);
        if (r == 0)
            r = kpmc_plan_build_kernel(&set->plan, s->db, &s->kernel, idx, n, mode, s->detail, sizeof s->detail);
        break;
    case BY_DB:
        if (db_id != kpmc_db_id(s->db)) {
            const kpmc_db *other = kpmc_db_at(db_id);
            if (other)
                kpmc_detail_set(s->detail, sizeof s->detail,
                                "event ids of database %s used with a session on database %s", kpmc_db_name(other),
                                kpmc_db_name(s->db));
            else
                kpmc_detail_set(s->detail, sizeof s->detail, "%zu is not a database id (KPMC_DB_*)", db_id);
            r = KPMC_E_WRONGDB;
            break;
        }
        r = kpmc_plan_build_kernel(&set->plan, s->db, &s->kernel, events, n, mode, s->detail, sizeof s->detail);
        break;
    }
    if (s->selfcounts)
        r = kpmc_selfcounts_plan(s, &set->plan, mode, r);
    if (r == 0) {
        set_init(set, s);
        *out = set;
        set = NULL;
    }
done:
    r = kpmc_call_end(s, r);
    free(set);
    return r;
}

int kpmc_set_new(kpmc_session *s, kpmc_set **out, const char *const *names, size_t n, int mode)
{
    return set_new(s, out, BY_NAME, names, n, 0, mode, 0);
}

int kpmc_set_new_ev_v(uint64_t catalog, kpmc_session *s, kpmc_set **out, const int *ev, size_t n, int mode)
{
    return set_new(s, out, BY_EV, ev, n, 0, mode, catalog);
}

int kpmc_set_new_db_v(uint64_t catalog, kpmc_session *s, kpmc_set **out, size_t db_id, const unsigned *events,
                      size_t n, int mode)
{
    return set_new(s, out, BY_DB, events, n, db_id, mode, catalog);
}

const kpmc_plan *kpmc_set_plan(const kpmc_set *set)
{
    return set ? &set->plan : NULL;
}

/* ---- start and stop ---- */

static int same_config(const kpmc_session *s, const kpmc_plan *p)
{
    return s->run_classes == p->classes && s->run_n_config == p->n_config &&
           memcmp(s->run_config, p->config, p->n_config * sizeof p->config[0]) == 0;
}

unsigned kpmc_conf_words(const kpmc_plan *p, uint64_t *words)
{
    unsigned n = p->n_config - p->config_skip;
    memset(words, 0, (KPMC_MAX_EVENTS + 1) * sizeof *words);
    memcpy(words, p->config + p->config_skip, n * sizeof *words);
    return n;
}

unsigned kpmc_conf_slot(const kpmc_session *s, const kpmc_plan_event *e)
{
    return kpmc_popcount32(s->kernel.config_counters & ((1u << e->counter) - 1u));
}

/* kpc_set_config refused p with EPERM: try its events one by one to name
 * those the kernel's allowlist refuses, then put back the words the kernel
 * held before. */
static int refused_events(kpmc_session *s, const kpmc_plan *p)
{
    struct kpmc_kperf *k = &s->k;
    uint64_t saved[KPMC_MAX_EVENTS + 1], one[KPMC_MAX_EVENTS + 1];
    int have_saved = k->kpc_get_config(KPMC_CLASS_CONFIGURABLE, saved) == 0;
    char names[KPMC_DETAIL_MAX];
    size_t nn = 0;
    unsigned refused = 0;
    names[0] = '\0';
    for (unsigned i = 0; i < p->n_events; i++) {
        const kpmc_plan_event *e = &p->events[i];
        if (e->fixed)
            continue;
        memset(one, 0, sizeof one);
        one[kpmc_conf_slot(s, e)] = e->config;
        if (k->kpc_set_config(KPMC_CLASS_CONFIGURABLE, one) == 0 || errno != EPERM)
            continue;
        int w = snprintf(names + nn, sizeof names - nn, "%s%s (selector 0x%llx)", refused ? ", " : "",
                         kpmc_event_name(p->db, e->resolved), (unsigned long long)(e->config & 0xFFFFu));
        if (w > 0 && nn + (size_t)w < sizeof names)
            nn += (size_t)w;
        refused++;
    }
    if (have_saved)
        (void)k->kpc_set_config(KPMC_CLASS_CONFIGURABLE, saved); /* nobody to report to */
    char call[64];
    snprintf(call, sizeof call, "kpc_set_config(CONFIGURABLE, %u words)", p->n_config - p->config_skip);
    kpmc_kpc_failure(s->detail, sizeof s->detail, call, EPERM);
    if (refused) {
        kpmc_detail_add(s->detail, sizeof s->detail,
                        ": the kernel's selector allowlist refuses %s; the kernel knows only the events of "
                        "its own list for this chip (is the database right for this CPU?)",
                        names);
        kpmc_kernel_learn(s, KPMC_KERNEL_ALLOWLIST, 1);
        return KPMC_E_UNAVAILABLE;
    }
    kpmc_detail_add(s->detail, sizeof s->detail, ": the kernel refuses the set, yet none of its events alone");
    return KPMC_E_KPC;
}

/* The configurable words of p: kpc_set_config(CONFIGURABLE), not called
 * when p counts fixed counters only (they are always on). */
static int configure(kpmc_session *s, const kpmc_plan *p)
{
    if (!(p->classes & KPMC_CLASS_CONFIGURABLE))
        return 0;
    uint64_t words[KPMC_MAX_EVENTS + 1];
    unsigned n = kpmc_conf_words(p, words);
    if (s->k.kpc_set_config(KPMC_CLASS_CONFIGURABLE, words) == 0)
        return 0;
    int e = errno;
    if (e == EPERM)
        return refused_events(s, p);
    char call[64];
    snprintf(call, sizeof call, "kpc_set_config(CONFIGURABLE, %u words)", n);
    int r = kpmc_kpc_error(s, call, e);
    struct kpmc_detail d = kpmc_detail_open(s->detail, sizeof s->detail, 1);
    for (unsigned i = 0; i < p->n_events; i++) {
        const kpmc_plan_event *ev = &p->events[i];
        if (!ev->fixed)
            kpmc_detail_put(&d, " %s=0x%llx@%u", kpmc_event_name(p->db, ev->resolved), (unsigned long long)ev->config,
                            ev->counter);
    }
    return r;
}

/* Whether a configurable word asks for kernel mode. */
static int asks_kernel(const kpmc_db_info *d, uint64_t w)
{
    if (d->arch == KPMC_ARCH_X86_64)
        return (w & 0x20000u) != 0;
    return (w & 0x70000u) == 0 || (w & 0x40000u) != 0;
}

unsigned kpmc_modes_of(const kpmc_db_info *d, uint64_t rb)
{
    if (d->arch == KPMC_ARCH_X86_64)
        return ((rb & 0x10000u) ? KPMC_COUNTS_USER : 0u) | ((rb & 0x20000u) ? KPMC_COUNTS_KERNEL : 0u);
    return ((rb & 0x30000u) ? KPMC_COUNTS_USER : 0u) | ((rb & 0x40000u) ? KPMC_COUNTS_KERNEL : 0u);
}

/* Bits of a word that must read back as programmed: the selector, and on
 * x86_64 EDGE, INV and CMASK as well. */
static uint64_t kept_bits(const kpmc_db_info *d)
{
    return d->arch == KPMC_ARCH_X86_64 ? 0xFF84FFFFull : 0xFFFFull;
}

/* set->modes from the words read back for its plan. */
static void set_modes(const kpmc_session *s, kpmc_set *set, const uint64_t *rb)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(s->db, &d);
    for (unsigned i = 0; i < set->plan.n_events; i++) {
        const kpmc_plan_event *e = &set->plan.events[i];
        set->modes[i] = e->fixed ? KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL : kpmc_modes_of(&d, rb[kpmc_conf_slot(s, e)]);
    }
    set->started = 1;
}

/* What the kernel did with the set's plan, now counting: its buffer size,
 * and the words read back (selectors, modes).  Learns the kernel's flags
 * into s->kernel. */
static int check(kpmc_session *s, kpmc_set *set, uint64_t *rb, unsigned *n_rb)
{
    const kpmc_plan *p = &set->plan;
    struct kpmc_kperf *k = &s->k;
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(s->db, &d);
    errno = 0;
    uint32_t count = k->kpc_get_counter_count(p->classes);
    if (count == 0 && errno)
        return kpmc_kpc_error(s, "kpc_get_counter_count", errno);
    if (count != p->n_counters) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "kpc_get_counter_count(0x%x) reports %u counter values a thread, but the set reads %u: the "
                        "kernel's counters changed since kpmc_open (another client forced or released them?)",
                        (unsigned)p->classes, (unsigned)count, p->n_counters);
        return KPMC_E_KPC;
    }
    *n_rb = 0;
    memset(rb, 0, KPMC_MAX_EVENTS * sizeof *rb);
    if (!(p->classes & KPMC_CLASS_CONFIGURABLE)) {
        set_modes(s, set, rb);
        return 0;
    }
    uint64_t got[KPMC_MAX_EVENTS + 1];
    if (k->kpc_get_config(KPMC_CLASS_CONFIGURABLE, got) != 0)
        return kpmc_kpc_error(s, "kpc_get_config(CONFIGURABLE)", errno);
    *n_rb = kpmc_popcount32(s->kernel.config_counters);
    memcpy(rb, got, *n_rb * sizeof *rb);
    for (unsigned i = 0; i < p->n_events; i++) {
        const kpmc_plan_event *e = &p->events[i];
        if (e->fixed)
            continue;
        uint64_t back = rb[kpmc_conf_slot(s, e)];
        if ((back & kept_bits(&d)) != (e->config & kept_bits(&d))) {
            if (d.arch == KPMC_ARCH_X86_64 && (back & 0xFFFFu) == (e->config & 0xFFFFu)) {
                /* CMASK, INV or EDGE lost: a kernel that programs only the
                 * event, umask and modes.  Planning again says which. */
                kpmc_kernel_learn(s, KPMC_KERNEL_X86_PLAIN, 1);
                continue;
            }
            kpmc_detail_set(s->detail, sizeof s->detail,
                            "kpc_get_config reads back 0x%llx for %s on counter %u, but kpmc programmed 0x%llx: the "
                            "kernel did not program its selector",
                            (unsigned long long)back, kpmc_event_name(p->db, e->resolved), e->counter,
                            (unsigned long long)e->config);
            return KPMC_E_KPC;
        }
        unsigned m = kpmc_modes_of(&d, back);
        if (!m) {
            kpmc_detail_set(s->detail, sizeof s->detail,
                            "kpc_get_config reads back 0x%llx for %s on counter %u: the kernel counts it in no mode",
                            (unsigned long long)back, kpmc_event_name(p->db, e->resolved), e->counter);
            return KPMC_E_KPC;
        }
        if (asks_kernel(&d, e->config))
            kpmc_kernel_learn(s, KPMC_KERNEL_USER_ONLY, !(m & KPMC_COUNTS_KERNEL));
    }
    set_modes(s, set, rb);
    return 0;
}

/* Plan the set again when the session learned something about the kernel
 * since it was planned. */
static int replan(kpmc_session *s, kpmc_set *set)
{
    if (set->planned_known == s->kernel.known && set->planned_flags == (s->kernel.flags & s->kernel.known))
        return 0;
    unsigned ev[KPMC_MAX_EVENTS];
    for (unsigned i = 0; i < set->plan.n_events; i++)
        ev[i] = set->plan.events[i].requested;
    kpmc_plan p;
    int r = kpmc_plan_build_kernel(&p, s->db, &s->kernel, ev, set->plan.n_events, set->plan.mode, s->detail,
                                   sizeof s->detail);
    if (r != 0)
        return r;
    set->plan = p;
    set_plan_fields(set, s);
    return 0;
}

/* Put counting and thread counting back to what they were. */
static void undo_counting(kpmc_session *s, uint32_t counting, uint32_t thread_counting)
{
    struct kpmc_kperf *k = &s->k;
    if (s->cur_thread_counting != thread_counting &&
        kpmc_restore_u32(k->kpc_set_thread_counting, thread_counting) == 0)
        s->cur_thread_counting = thread_counting;
    if (s->cur_counting != counting && kpmc_restore_u32(k->kpc_set_counting, counting) == 0)
        s->cur_counting = counting;
}

/* Program the set's plan and count, then check what the kernel did; when
 * that teaches the session something that changes the plan, once more. */
static int program(kpmc_session *s, kpmc_set *set)
{
    struct kpmc_kperf *k = &s->k;
    uint32_t counting = s->cur_counting, thread_counting = s->cur_thread_counting;
    uint64_t rb[KPMC_MAX_EVENTS];
    unsigned n_rb = 0;
    int r = 0;
    for (int round = 0;; round++) {
        const kpmc_plan *p = &set->plan;
        r = configure(s, p);
        if (r != 0)
            break;
        if (k->kpc_set_counting(p->classes) != 0) {
            r = kpmc_kpc_error(s, "kpc_set_counting", errno);
            break;
        }
        s->cur_counting = p->classes;
        if (k->kpc_set_thread_counting(p->classes) != 0) {
            r = kpmc_kpc_error(s, "kpc_set_thread_counting", errno);
            break;
        }
        s->cur_thread_counting = p->classes;
        r = check(s, set, rb, &n_rb);
        if (r != 0 || round == 1)
            break;
        /* What the kernel did may change the plan (user-only configurable
         * counters, words losing bits): then program it once more. */
        uint32_t classes = p->classes;
        unsigned n_config = p->n_config;
        uint64_t config[KPMC_MAX_EVENTS + 1];
        memcpy(config, p->config, sizeof config);
        r = replan(s, set);
        if (r != 0 || (set->plan.classes == classes && set->plan.n_config == n_config &&
                       !memcmp(set->plan.config, config, sizeof config)))
            break;
    }
    if (r != 0) {
        undo_counting(s, counting, thread_counting);
        return r;
    }
    s->run_classes = set->plan.classes;
    s->run_n_config = set->plan.n_config;
    memcpy(s->run_config, set->plan.config, sizeof s->run_config);
    s->run_n_readback = n_rb;
    memcpy(s->run_readback, rb, sizeof s->run_readback);
    return 0;
}

static int start_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    int r = 0;
    if (kpmc_set_counting(set)) {
        kpmc_detail_set(s->detail, sizeof s->detail, "kpmc_set_start: the set is already counting");
        return KPMC_E_STATE;
    }
    if (s->selfcounts) {
        kpmc_selfcounts_start(set);
        return 0;
    }
    r = replan(s, set);
    if (r != 0)
        return r;
    if (s->running && !same_config(s, &set->plan)) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "kpmc_set_start: %u other event set%s with a different configuration %s counting; "
                        "stop %s first",
                        s->running, s->running > 1 ? "s" : "", s->running > 1 ? "are" : "is",
                        s->running > 1 ? "them" : "it");
        return KPMC_E_BUSY;
    }
    if (s->running) {
        /* Joining: the kernel gives this thread a counter buffer only when
         * it switches thread counting on itself (or was created after). */
        if (s->k.kpc_set_thread_counting(s->run_classes) != 0)
            return kpmc_kpc_error(s, "kpc_set_thread_counting", errno);
        set_modes(s, set, s->run_readback);
    } else {
        r = program(s, set);
    }
    if (r == 0) {
        s->running++;
        set->thread = pthread_self();
        kpmc_set_switch(set, KPMC_SET_COUNTING, s->k.kpc_get_thread_counters);
    }
    return r;
}

/* Stop set, whichever thread calls; session locked. */
static int stop_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    struct kpmc_kperf *k = &s->k;
    if (s->selfcounts) {
        kpmc_set_switch(set, KPMC_SET_STOPPED, kpmc_set_read_idle);
        return 0;
    }
    if (s->running == 1) {
        /* The last set: thread counting off, then counting off. */
        if (k->kpc_set_thread_counting(0) != 0)
            return kpmc_kpc_error(s, "kpc_set_thread_counting(0)", errno);
        uint32_t before = s->cur_thread_counting;
        s->cur_thread_counting = 0;
        if (k->kpc_set_counting(0) != 0) {
            int r = kpmc_kpc_error(s, "kpc_set_counting(0)", errno);
            if (kpmc_restore_u32(k->kpc_set_thread_counting, before) == 0)
                s->cur_thread_counting = before;
            return r;
        }
        s->cur_counting = 0;
    }
    s->running--;
    kpmc_set_switch(set, KPMC_SET_STOPPED, kpmc_set_read_idle);
    return 0;
}

/* Stop set on the thread that started it; session locked. */
static int stop_own_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    if (!kpmc_set_counting(set)) {
        kpmc_detail_set(s->detail, sizeof s->detail, "kpmc_set_stop: the set is not counting");
        return KPMC_E_STATE;
    }
    if (!pthread_equal(set->thread, pthread_self())) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "kpmc_set_stop: the set counts another thread; stop it on the thread that started it");
        return KPMC_E_STATE;
    }
    return stop_locked(set);
}

/* fn (for messages) on set with its session locked.  The session outlives
 * its sets, so set->s is valid; whether it is closed is read under its
 * lock. */
static int with_session(kpmc_set *set, const char *fn, int (*body)(kpmc_set *))
{
    if (!set)
        return KPMC_E_INVAL;
    kpmc_session *s = set->s;
    kpmc_call_begin(s);
    if (s->closed) {
        kpmc_detail_set(kpmc_set_detail(set), KPMC_DETAIL_MAX, "%s: the set's session is closed", fn);
        pthread_mutex_unlock(&s->lock);
        return KPMC_E_STATE;
    }
    return kpmc_call_end(s, body(set));
}

int kpmc_set_start(kpmc_set *set)
{
    return with_session(set, "kpmc_set_start", start_locked);
}

int kpmc_set_stop(kpmc_set *set)
{
    return with_session(set, "kpmc_set_stop", stop_own_locked);
}

void kpmc_set_free(kpmc_set *set)
{
    if (!set)
        return;
    kpmc_session *s = set->s;
    pthread_mutex_lock(&s->lock);
    /* Nothing counts once the session is closed. */
    if (kpmc_set_counting(set) && stop_locked(set) != 0) {
        /* The kernel keeps counting; kpmc_close restores it. */
        s->running--;
    }
    for (kpmc_set **p = &s->sets; *p; p = &(*p)->next)
        if (*p == set) {
            *p = set->next;
            break;
        }
    kpmc_session_unref(s);
    free(set);
}

/* ---- reading ---- */

int kpmc_set_read_idle(uint32_t tid, uint32_t buf_count, uint64_t *buf)
{
    (void)tid, (void)buf_count, (void)buf;
    return -1;
}

void kpmc_set_switch(kpmc_set *set, int state, kpmc_kpc_read_fn read)
{
    atomic_store_explicit(&set->state, state, memory_order_relaxed);
    atomic_store_explicit(&set->read, read, memory_order_release);
}

#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int read_failed(kpmc_set *set, int err)
{
    /* the state stored with the read function the read called, or later
     * (kpmc_set_switch: its release store, this fence) */
    atomic_thread_fence(memory_order_acquire);
    int state = atomic_load_explicit(&set->state, memory_order_relaxed);
    char *detail = kpmc_set_detail(set);
    const size_t len = KPMC_DETAIL_MAX;
    if (state == KPMC_SET_STOPPED)
        return kpmc_detail_error(detail, len, KPMC_E_STATE, "kpmc_set_read: the set is not counting (start it first)");
    if (state == KPMC_SET_CLOSED) /* closed now, whether or not the kpc call ran before */
        return kpmc_detail_error(detail, len, KPMC_E_STATE, "kpmc_set_read: the set's session is closed");
    char call[64];
    if (set->s->selfcounts) /* fixed for the session's life */
        snprintf(call, sizeof call, "thread_selfcounts(THSC_CPI)");
    else
        snprintf(call, sizeof call, "kpc_get_thread_counters(0, %u)", (unsigned)set->n_counters);
    kpmc_kpc_failure(detail, len, call, err);
    if (set->s->selfcounts)
        return KPMC_E_KPC;
    if (err == EINVAL)
        kpmc_detail_add(detail, len,
                        ": this thread has no counter buffer in the kernel, which gives one to a thread that switched "
                        "thread counting on or was created while it was on; read a set on the thread that started it");
    else if (err == ENOMEM)
        kpmc_detail_add(detail, len,
                        ": the kernel holds more counter values per thread than the set's %u; thread counting was "
                        "switched to other classes after the set started (by another client?)",
                        (unsigned)set->n_counters);
    return KPMC_E_KPC;
}

/* One kpc call, then the permutation into the caller's order: a copy
 * unrolled for up to KPMC_MAX_EVENTS events, entered at the set's size
 * (3 instructions an event on x86_64; a loop costs 7).  The kpc buffer is
 * the first field, so the set's address is the buffer's, and `out` crosses
 * the call in the set rather than in a second callee-saved register: 19
 * instructions besides the copies and the kpc call (bench/read.cmake). */
int kpmc_set_read(kpmc_set *set, uint64_t *out)
{
    set->out = out;
    if (atomic_load_explicit(&set->read, memory_order_relaxed)(0, set->n_counters, set->buf) != 0)
        return read_failed(set, errno);
    out = set->out;
    const uint64_t *buf = set->buf;
    const uint8_t *ix = set->index;
    switch (set->last) {
    default: /* never: last < KPMC_MAX_EVENTS (kpmc_set_new); telling the
              * compiler so spares the range check of the jump */
#if defined(__GNUC__) || defined(__clang__)
        __builtin_unreachable();
#else
        return KPMC_E_INVAL;
#endif
    case 15: out[15] = buf[ix[15]]; /* fall through */
    case 14: out[14] = buf[ix[14]]; /* fall through */
    case 13: out[13] = buf[ix[13]]; /* fall through */
    case 12: out[12] = buf[ix[12]]; /* fall through */
    case 11: out[11] = buf[ix[11]]; /* fall through */
    case 10: out[10] = buf[ix[10]]; /* fall through */
    case 9: out[9] = buf[ix[9]]; /* fall through */
    case 8: out[8] = buf[ix[8]]; /* fall through */
    case 7: out[7] = buf[ix[7]]; /* fall through */
    case 6: out[6] = buf[ix[6]]; /* fall through */
    case 5: out[5] = buf[ix[5]]; /* fall through */
    case 4: out[4] = buf[ix[4]]; /* fall through */
    case 3: out[3] = buf[ix[3]]; /* fall through */
    case 2: out[2] = buf[ix[2]]; /* fall through */
    case 1: out[1] = buf[ix[1]]; /* fall through */
    case 0: out[0] = buf[ix[0]];
    }
    return 0;
}

int kpmc_set_event_modes(const kpmc_set *set, size_t i)
{
    if (!set || i >= set->plan.n_events)
        return KPMC_E_INVAL;
    if (!set->started)
        return KPMC_E_STATE;
    return (int)set->modes[i];
}

/* ---- raw reads ---- */

int kpmc_set_read_raw(kpmc_set *set, uint64_t *buf)
{
    if (atomic_load_explicit(&set->read, memory_order_relaxed)(0, set->n_counters, buf) != 0)
        return read_failed(set, errno);
    return 0;
}

void kpmc_set_reader(const kpmc_set *set, kpmc_kpc_read_fn *fn, uint32_t *n_counters)
{
    *fn = atomic_load_explicit(&set->read, memory_order_relaxed);
    *n_counters = set->n_counters;
}
