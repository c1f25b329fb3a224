/* Sessions and event sets: the structures session.c and set.c share.
 * Internal. */
#ifndef KPMC_RUNTIME_SESSION_INTERNAL_H
#define KPMC_RUNTIME_SESSION_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include <kpmc/kpmc.h>

#include "kperf.h"
#include "plan.h"

/* Lifetime: a session is referenced by its owner (until kpmc_close) and by
 * each of its sets (until kpmc_set_free); whichever call drops the last
 * reference unloads kperf, destroys the lock and frees the session.  So a
 * set's `s` is valid for the set's whole life, and every set call takes the
 * lock before it looks at the session's state. */
struct kpmc_session {
    pthread_mutex_t lock; /* serialises every session and set call */
    unsigned refs;        /* the owner's (until kpmc_close) + one per set */
    int closed;           /* kpmc_close ran: the sets are inert */
    uint64_t serial;      /* names the session's details (kpmc_call_end) */
    struct kpmc_kperf k;
    const kpmc_db *db; /* NULL: inert (kpmc_open failed); set by kpmc_open only */
    int selfcounts;    /* unprivileged: kpc refused, sets read
                          thread_selfcounts (selfcounts.c) */
    char cpu[64];      /* kpc_cpu_string() */
    /* The detail of the call in progress, under the lock (kpmc_call_end
     * gives it to the calling thread); on an inert session, that of the
     * failed kpmc_open, never written again. */
    char detail[KPMC_DETAIL_MAX];
    /* What kpmc_open said, never written again once it returns: why it
     * failed (inert), why kpc was refused (unprivileged), else "".  Every
     * thread's kpmc_session_error() until its own failed call on s. */
    char open_detail[KPMC_DETAIL_MAX];

    /* The kernel's state as kpmc_open found it, and as kpmc last set it
     * (a failed kpc call is taken to have changed nothing). */
    int saved_force, cur_force;
    uint32_t saved_counting, cur_counting;
    uint32_t saved_thread_counting, cur_thread_counting;

    /* What is known of the kernel: the configurable counters it gives
     * (kpmc_open) and the flags learned from read-backs. */
    kpmc_kernel kernel;

    /* The configuration programmed while sets count, and what the kernel
     * read back for its configurable counters (in pmc_mask order). */
    unsigned running; /* sets counting */
    uint32_t run_classes;
    unsigned run_n_config;
    uint64_t run_config[KPMC_MAX_EVENTS + 1];
    unsigned run_n_readback;
    uint64_t run_readback[KPMC_MAX_EVENTS];

    kpmc_set *sets; /* every set of the session, for kpmc_close */

    /* Counting on every CPU (cpus.c), once kpmc_session_cpus has run. */
    int (*kpc_get_cpu_counters)(_Bool all, uint32_t classes, int *curcpu, uint64_t *buf);
    unsigned n_cpus;
    uint64_t *cpu_buf; /* n_cpus * KPMC_MAX_EVENTS values */
};

struct kpmc_set {
    /* The read path touches only these first fields. */
    uint64_t buf[KPMC_MAX_EVENTS];  /* the kpc call's buffer (first: its
                                       address is the set's) */
    /* kpc_get_thread_counters (or an unprivileged session's read), or
     * kpmc_set_read_idle while the set does not count: written with `state`
     * under the session lock (kpmc_set_switch), loaded by kpmc_set_read
     * without it; relaxed atomics, plain loads and stores on arm64 and
     * x86_64.  kperf stays loaded while the set exists. */
    _Atomic(kpmc_kpc_read_fn) read;
    uint64_t *out;           /* the caller's array during a read */
    uint32_t n_counters;     /* values the kpc call returns */
    uint32_t last;           /* n_events - 1 */
    uint8_t index[KPMC_MAX_EVENTS]; /* buffer position of each event */

    kpmc_session *s; /* for the set's whole life (it holds a reference) */
    uint64_t serial; /* names the set's details (kpmc_set_detail) */
    kpmc_set *next;
    /* KPMC_SET_*: whether it counts (kpmc_set_counting), and why a read
     * fails (read on the cold path only) */
    atomic_int state;
    pthread_t thread; /* the thread that started it */
    int started;      /* started at least once: modes[] is valid */
    unsigned modes[KPMC_MAX_EVENTS]; /* KPMC_COUNTS_* as read back */
    unsigned planned_flags, planned_known; /* the kernel the plan was built for */
    kpmc_plan plan;
};

/* A set's state: counting, stopped (or never started), or its session
 * closed. */
enum { KPMC_SET_STOPPED, KPMC_SET_COUNTING, KPMC_SET_CLOSED };
/* What a set's reads call when it does not count: fails. */
int kpmc_set_read_idle(uint32_t tid, uint32_t buf_count, uint64_t *buf);
/* Set the set's state and what its reads call (the kernel's read when it
 * counts, else kpmc_set_read_idle); session locked.  A read that fails and
 * then finds the state sees the one stored with the read function it
 * called, or a later one. */
void kpmc_set_switch(kpmc_set *set, int state, kpmc_kpc_read_fn read);
/* Whether the set counts; session locked. */
static inline int kpmc_set_counting(const kpmc_set *set)
{
    return atomic_load_explicit(&set->state, memory_order_relaxed) == KPMC_SET_COUNTING;
}

/* A new serial number for a session or a set: details are kept per thread
 * under it, so that a freed object's address, reused, inherits none. */
uint64_t kpmc_serial(void);
/* Lock s for a call on it (or one of its sets); on a session that is not
 * inert the call's detail starts empty. */
void kpmc_call_begin(kpmc_session *s);
/* Unlock s after the call, which returns r: a failure's detail becomes the
 * calling thread's detail for s (kpmc_session_error).  Returns r. */
int kpmc_call_end(kpmc_session *s, int r);
/* Unlock s, dropping one reference; the last one frees s. */
void kpmc_session_unref(kpmc_session *s);
/* The calling thread's detail buffer for set (KPMC_DETAIL_MAX bytes),
 * emptied: what kpmc_set_error(set) returns on this thread. */
char *kpmc_set_detail(const kpmc_set *set);

/* The session learned the value (0 or 1) of KPMC_KERNEL_* `flag`: known,
 * and set or clear in s->kernel. */
void kpmc_kernel_learn(kpmc_session *s, unsigned flag, int value);

/* "CALL failed with E...: <why>" into s->detail for errno err, and the code:
 * EBUSY (another client) KPMC_E_BUSY, otherwise KPMC_E_KPC. */
int kpmc_kpc_error(kpmc_session *s, const char *call, int err);

/* The configurable words of p in kpc_set_config(CONFIGURABLE) order into
 * words[KPMC_MAX_EVENTS + 1] (the rest 0); returns how many. */
unsigned kpmc_conf_words(const kpmc_plan *p, uint64_t *words);
/* Position of configurable event e among the kernel's configurable words
 * (and in kpc_get_config(CONFIGURABLE)). */
unsigned kpmc_conf_slot(const kpmc_session *s, const kpmc_plan_event *e);
/* The KPMC_COUNTS_* a configuration word read back from the kernel shows. */
unsigned kpmc_modes_of(const kpmc_db_info *d, uint64_t readback);

/* Set a kpc state item (kpc_set_thread_counting, kpc_set_counting,
 * kpc_force_all_ctrs_set) back to a saved value, trying twice: used where
 * kpmc must put the machine back and has no caller to report to. */
int kpmc_restore_u32(int (*fn)(uint32_t), uint32_t value);
int kpmc_restore_int(int (*fn)(int), int value);

/* Unprivileged sessions (selfcounts.c, docs/kpc.md §13).  kpmc_open calls
 * kpmc_selfcounts_open when kpc refused it with KPMC_E_PERM: 0 and the
 * session counts through thread_selfcounts, or KPMC_E_PERM with the
 * detail saying why not.  kpmc_selfcounts_plan takes the result `built`
 * of planning a set in `mode` for the session and turns the plan into what
 * the set reads, or refuses the set (KPMC_E_PERM, detail), or returns
 * `built` (a failure root would meet too).
 * kpmc_selfcounts_start starts a set of such a session.
 * kpmc_session_need_kpc, for calls that need kpc itself: 0 on a kpc
 * session, KPMC_E_STATE on an inert one, and on an unprivileged one
 * KPMC_E_PERM with "<what> needs root ..." in the detail. */
int kpmc_selfcounts_open(kpmc_session *s);
int kpmc_selfcounts_plan(kpmc_session *s, kpmc_plan *p, int mode, int built);
void kpmc_selfcounts_start(kpmc_set *set);
int kpmc_session_need_kpc(kpmc_session *s, const char *what);

/* The read function a started set calls and the values it returns, for the
 * measurement loop (measure.c), which calls it directly into its own
 * storage.  A stopped set gives a stub that fails. */
void kpmc_set_reader(const kpmc_set *set, kpmc_kpc_read_fn *fn, uint32_t *n_counters);

#endif
