/* Event sets: build a plan on the session's database, program it (start),
 * read the calling thread's counters, stop, free. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_internal.h"

/* ---- creation ---- */

/* The plan's events as set->index and the read-path fields. */
static void set_init(kpmc_set *set, kpmc_session *s)
{
    set->s = s;
    set->read = kpmc_set_read_stopped;
    set->n_counters = set->plan.n_counters;
    set->last = set->plan.n_events - 1;
    for (unsigned i = 0; i < set->plan.n_events; i++)
        set->index[i] = (uint8_t)set->plan.events[i].index;
    set->next = s->sets;
    s->sets = set;
}

enum by { BY_NAME, BY_EV, BY_DB };

/* Resolve portable ids to indices of db. */
static int resolve_ev(kpmc_session *s, const int *ev, size_t n, unsigned *idx)
{
    if (n > KPMC_MAX_EVENTS) {
        snprintf(s->detail, sizeof s->detail, "%zu events asked for; a set holds at most %d", n,
                 KPMC_MAX_EVENTS);
        return KPMC_E_TOOMANY;
    }
    for (size_t i = 0; i < n; i++) {
        int r = kpmc_ev_resolve(s->db, ev[i]);
        if (r == KPMC_E_INVAL) {
            snprintf(s->detail, sizeof s->detail, "event %zu: %d is not a portable event id (KPMC_EV_*)", i,
                     ev[i]);
            return r;
        }
        if (r < 0) {
            snprintf(s->detail, sizeof s->detail, "event %zu: database %s has no event %s", i,
                     kpmc_db_name(s->db), kpmc_ev_name(ev[i]));
            return KPMC_E_NOEVENT;
        }
        idx[i] = (unsigned)r;
    }
    return 0;
}

static int set_new(kpmc_session *s, kpmc_set **out, enum by by, const void *events, size_t n,
                   size_t db_id, int mode)
{
    if (!out)
        return KPMC_E_INVAL;
    *out = NULL;
    if (!s)
        return KPMC_E_INVAL;
    if (!events && n) {
        pthread_mutex_lock(&s->lock);
        snprintf(s->detail, sizeof s->detail, "the event array is NULL");
        pthread_mutex_unlock(&s->lock);
        return KPMC_E_INVAL;
    }
    pthread_mutex_lock(&s->lock);
    int r = 0;
    kpmc_set *set = NULL;
    if (!s->db) {
        /* The detail of the failed kpmc_open stays: it says why. */
        r = KPMC_E_STATE;
        goto done;
    }
    set = calloc(1, sizeof *set);
    if (!set) {
        snprintf(s->detail, sizeof s->detail, "out of memory for an event set");
        r = KPMC_E_NOMEM;
        goto done;
    }
    unsigned idx[KPMC_MAX_EVENTS];
    switch (by) {
    case BY_NAME:
        r = kpmc_plan_build_names(&set->plan, s->db, events, n, mode, s->detail, sizeof s->detail);
        break;
    case BY_EV:
        r = resolve_ev(s, events, n, idx);
        if (r == 0)
            r = kpmc_plan_build(&set->plan, s->db, idx, n, mode, s->detail, sizeof s->detail);
        break;
    case BY_DB:
        if (db_id != kpmc_db_id(s->db)) {
            const kpmc_db *other = kpmc_db_at(db_id);
            if (other)
                snprintf(s->detail, sizeof s->detail,
                         "event ids of database %s used with a session on database %s",
                         kpmc_db_name(other), kpmc_db_name(s->db));
            else
                snprintf(s->detail, sizeof s->detail, "%zu is not a database id (KPMC_DB_*)", db_id);
            r = KPMC_E_WRONGDB;
            break;
        }
        r = kpmc_plan_build(&set->plan, s->db, events, n, mode, s->detail, sizeof s->detail);
        break;
    }
    if (r == 0) {
        set_init(set, s);
        *out = set;
        set = NULL;
    }
done:
    pthread_mutex_unlock(&s->lock);
    free(set);
    return r;
}

int kpmc_set_new(kpmc_session *s, kpmc_set **out, const char *const *names, size_t n, int mode)
{
    return set_new(s, out, BY_NAME, names, n, 0, mode);
}

int kpmc_set_new_ev(kpmc_session *s, kpmc_set **out, const int *ev, size_t n, int mode)
{
    return set_new(s, out, BY_EV, ev, n, 0, mode);
}

int kpmc_set_new_db(kpmc_session *s, kpmc_set **out, size_t db_id, const unsigned *events, size_t n,
                    int mode)
{
    return set_new(s, out, BY_DB, events, n, db_id, mode);
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

/* The detail of a failed kpc_set_config: the call, errno and the words. */
static void config_failure(kpmc_session *s, const kpmc_plan *p, int err)
{
    char call[64];
    snprintf(call, sizeof call, "kpc_set_config(classes 0x%x, %u words)", (unsigned)p->classes,
             p->n_config);
    kpmc_kpc_failure(s->detail, sizeof s->detail, call, err);
    size_t n = strlen(s->detail);
    if (err == EPERM && n < sizeof s->detail)
        n += (size_t)snprintf(s->detail + n, sizeof s->detail - n,
                              ": the kernel refuses a selector of this set (is the database right "
                              "for this CPU?):");
    for (unsigned i = 0; i < p->n_events && n < sizeof s->detail; i++) {
        const kpmc_plan_event *e = &p->events[i];
        if (!e->fixed)
            n += (size_t)snprintf(s->detail + n, sizeof s->detail - n, " %s=0x%llx@%u",
                                  kpmc_event_name(p->db, e->resolved), (unsigned long long)e->config,
                                  e->counter);
    }
}

static int kpc_error(kpmc_session *s, const char *call, int err)
{
    kpmc_kpc_failure(s->detail, sizeof s->detail, call, err);
    return err == EBUSY || err == EACCES ? KPMC_E_BUSY : KPMC_E_KPC;
}

/* Program p and count: kpc_set_config, kpc_set_counting,
 * kpc_set_thread_counting; a failure undoes the earlier steps. */
static int program(kpmc_session *s, const kpmc_plan *p)
{
    struct kpmc_kperf *k = &s->k;
    if (p->n_config) {
        uint64_t words[KPMC_MAX_EVENTS + 1];
        memcpy(words, p->config, sizeof words);
        if (k->kpc_set_config(p->classes, words) != 0) {
            int e = errno;
            config_failure(s, p, e);
            return e == EBUSY ? KPMC_E_BUSY : KPMC_E_KPC;
        }
    }
    if (k->kpc_set_counting(p->classes) != 0)
        return kpc_error(s, "kpc_set_counting", errno);
    uint32_t before = s->cur_counting;
    s->cur_counting = p->classes;
    if (k->kpc_set_thread_counting(p->classes) != 0) {
        int r = kpc_error(s, "kpc_set_thread_counting", errno);
        if (kpmc_restore_u32(k->kpc_set_counting, before) == 0)
            s->cur_counting = before;
        return r;
    }
    s->cur_thread_counting = p->classes;
    s->run_classes = p->classes;
    s->run_n_config = p->n_config;
    memcpy(s->run_config, p->config, sizeof s->run_config);
    return 0;
}

static int start_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    int r = 0;
    if (set->running) {
        snprintf(s->detail, sizeof s->detail, "kpmc_set_start: the set is already counting");
        r = KPMC_E_STATE;
    } else if (s->running && !same_config(s, &set->plan)) {
        snprintf(s->detail, sizeof s->detail,
                 "kpmc_set_start: %u other event set%s with a different configuration %s counting; "
                 "stop %s first",
                 s->running, s->running > 1 ? "s" : "", s->running > 1 ? "are" : "is",
                 s->running > 1 ? "them" : "it");
        r = KPMC_E_BUSY;
    } else if (!s->running) {
        r = program(s, &set->plan);
    }
    if (r == 0) {
        s->running++;
        set->running = 1;
        set->thread = pthread_self();
        set->read = s->k.kpc_get_thread_counters;
    }
    return r;
}

/* Stop set, whichever thread calls; session locked. */
static int stop_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    struct kpmc_kperf *k = &s->k;
    if (s->running == 1) {
        /* The last set: thread counting off, then counting off. */
        if (k->kpc_set_thread_counting(0) != 0)
            return kpc_error(s, "kpc_set_thread_counting(0)", errno);
        uint32_t before = s->cur_thread_counting;
        s->cur_thread_counting = 0;
        if (k->kpc_set_counting(0) != 0) {
            int r = kpc_error(s, "kpc_set_counting(0)", errno);
            if (kpmc_restore_u32(k->kpc_set_thread_counting, before) == 0)
                s->cur_thread_counting = before;
            return r;
        }
        s->cur_counting = 0;
    }
    s->running--;
    set->running = 0;
    set->read = kpmc_set_read_stopped;
    return 0;
}

/* Stop set on the thread that started it; session locked. */
static int stop_own_locked(kpmc_set *set)
{
    kpmc_session *s = set->s;
    if (!set->running) {
        snprintf(s->detail, sizeof s->detail, "kpmc_set_stop: the set is not counting");
        return KPMC_E_STATE;
    }
    if (!pthread_equal(set->thread, pthread_self())) {
        snprintf(s->detail, sizeof s->detail,
                 "kpmc_set_stop: the set counts another thread; stop it on the thread that started it");
        return KPMC_E_STATE;
    }
    return stop_locked(set);
}

/* fn (for messages) on set with its session locked. */
static int with_session(kpmc_set *set, const char *fn, int (*body)(kpmc_set *))
{
    if (!set)
        return KPMC_E_INVAL;
    kpmc_session *s = set->s;
    if (!s) {
        snprintf(set->detail, sizeof set->detail, "%s: the set's session is closed", fn);
        return KPMC_E_STATE;
    }
    pthread_mutex_lock(&s->lock);
    int r = body(set);
    pthread_mutex_unlock(&s->lock);
    return r;
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
    if (s) {
        pthread_mutex_lock(&s->lock);
        if (set->running && stop_locked(set) != 0) {
            /* The kernel keeps counting; kpmc_close restores it. */
            s->running--;
        }
        for (kpmc_set **p = &s->sets; *p; p = &(*p)->next)
            if (*p == set) {
                *p = set->next;
                break;
            }
        pthread_mutex_unlock(&s->lock);
    }
    free(set);
}

/* ---- reading ---- */

int kpmc_set_read_stopped(uint32_t tid, uint32_t buf_count, uint64_t *buf)
{
    (void)tid, (void)buf_count, (void)buf;
    return -1;
}

int kpmc_set_read_closed(uint32_t tid, uint32_t buf_count, uint64_t *buf)
{
    (void)tid, (void)buf_count, (void)buf;
    return -2; /* differs from the stub above, which keeps their addresses apart */
}

#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int read_failed(kpmc_set *set, int err)
{
    if (set->read == kpmc_set_read_stopped) {
        snprintf(set->detail, sizeof set->detail, "kpmc_set_read: the set is not counting (start it first)");
        return KPMC_E_STATE;
    }
    if (set->read == kpmc_set_read_closed) {
        snprintf(set->detail, sizeof set->detail, "kpmc_set_read: the set's session is closed");
        return KPMC_E_STATE;
    }
    char call[64];
    snprintf(call, sizeof call, "kpc_get_thread_counters(0, %u)", (unsigned)set->n_counters);
    kpmc_kpc_failure(set->detail, sizeof set->detail, call, err);
    if (err == EINVAL) {
        size_t n = strlen(set->detail);
        snprintf(set->detail + n, sizeof set->detail - n,
                 "; read a set on the thread that started it");
    }
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
    if (set->read(0, set->n_counters, set->buf) != 0)
        return read_failed(set, errno);
    out = set->out;
    const uint64_t *buf = set->buf;
    const uint8_t *ix = set->index;
    switch (set->last & 15) {
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

const char *kpmc_set_error(const kpmc_set *set)
{
    return set ? set->detail : "";
}

/* ---- raw reads ---- */

int kpmc_set_read_raw(kpmc_set *set, uint64_t *buf)
{
    if (set->read(0, set->n_counters, buf) != 0)
        return read_failed(set, errno);
    return 0;
}

void kpmc_set_reader(const kpmc_set *set, kpmc_kpc_read_fn *fn, uint32_t *n_counters)
{
    *fn = set->read;
    *n_counters = set->n_counters;
}
