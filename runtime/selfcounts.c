/* Unprivileged sessions: when kpc is not permitted, each thread's own
 * cycles and instructions through thread_selfcounts (docs/kpc.md §13). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "alloc.h"
#include "session_internal.h"

/* thread_selfcounts(THSC_CPI, dst, size) fills struct thsc_cpi:
 * instructions, then cycles (bsd/sys/resource_private.h). */
#define THSC_CPI 1u
struct thsc_cpi {
    uint64_t instructions;
    uint64_t cycles;
};

typedef int (*selfcounts_fn)(uint32_t kind, void *dst, size_t size);

/* The process's thread_selfcounts, through which the sets of every
 * unprivileged session read.  It comes from a library kept loaded for good
 * (kpmc_kperf_kept_symbol), so it never dangles. */
static _Atomic(selfcounts_fn) selfcounts;

/* The rank among the database's fixed counters of the counter the kernel
 * reads for cycles or instructions (docs/kpc.md §13): arm64 PMC0 cycles and
 * PMC1 instructions; x86_64 fixed counter 0 instructions and 1 cycles. */
static unsigned fixed_rank(const kpmc_db_info *d, int is_cycles)
{
    return (d->arch == KPMC_ARCH_X86_64) == !is_cycles ? 0u : 1u;
}

/* The read function of started sets, in kpc_get_thread_counters' shape:
 * the set's buffer is thread_selfcounts', instructions then cycles. */
static int read_selfcounts(uint32_t tid, uint32_t n, uint64_t *buf)
{
    (void)tid, (void)n;
    return atomic_load_explicit(&selfcounts, memory_order_relaxed)(THSC_CPI, buf, sizeof(struct thsc_cpi));
}

int kpmc_selfcounts_open(kpmc_session *s)
{
    void *sym = kpmc_kperf_kept_symbol(s->k.path, "thread_selfcounts");
    selfcounts_fn fn;
    memcpy(&fn, &sym, sizeof sym);
    if (!fn) {
        kpmc_detail_add(s->detail, sizeof s->detail,
                        "; thread_selfcounts, which counts cycles and instructions without root, is missing too");
        return KPMC_E_PERM;
    }
    struct thsc_cpi c;
    if (fn(THSC_CPI, &c, sizeof c) != 0) {
        char why[128];
        kpmc_kpc_failure(why, sizeof why, "thread_selfcounts(THSC_CPI)", errno);
        kpmc_detail_add(s->detail, sizeof s->detail, "; %s, so nothing can be counted without root", why);
        return KPMC_E_PERM;
    }
    atomic_store_explicit(&selfcounts, fn, memory_order_relaxed);
    s->selfcounts = 1;
    s->kernel.size = sizeof s->kernel;
    return 0; /* the detail keeps why kpc was refused */
}

int kpmc_session_need_kpc(kpmc_session *s, const char *what)
{
    if (!s->db)
        return KPMC_E_STATE;
    if (!s->selfcounts)
        return 0;
    kpmc_detail_set(s->detail, sizeof s->detail,
                    "%s needs root (run with sudo): this session counts each thread's cycles and instructions only, "
                    "through thread_selfcounts",
                    what);
    return KPMC_E_PERM;
}

/* The event of the kernel's self counts that event e stands for: cycles or
 * instructions (their events in KPMC_MODE_ALL), or the configurable event
 * the database names as the fallback of one, which counts the same on a
 * configurable counter; -1 for any other. */
static int counted_as(const kpmc_db *db, int e, int cycles, int instructions)
{
    const int ours[2] = {cycles, instructions};
    for (int k = 0; k < 2; k++) {
        kpmc_event_info info = {.size = sizeof info};
        if (ours[k] < 0)
            continue;
        if (e == ours[k] || (kpmc_event_get(db, (unsigned)ours[k], &info) == 0 && info.fallback_index == e))
            return ours[k];
    }
    return -1;
}

int kpmc_selfcounts_plan(kpmc_session *s, kpmc_plan *p, int mode, int built)
{
    /* Unknown names, duplicates, too many events: as with root.  A set
     * that does not fit the counters holds more than the two events. */
    if (built != 0 && built != KPMC_E_NOFIT && (built != KPMC_E_UNAVAILABLE || mode == KPMC_MODE_ALL))
        return built;
    const kpmc_db *db = s->db;
    int cycles = kpmc_generic_resolve(db, KPMC_GEN_CYCLES, KPMC_MODE_ALL);
    int instructions = kpmc_generic_resolve(db, KPMC_GEN_INSTRUCTIONS, KPMC_MODE_ALL);
    const char *cname = cycles >= 0 ? kpmc_event_name(db, (unsigned)cycles) : "-";
    const char *iname = instructions >= 0 ? kpmc_event_name(db, (unsigned)instructions) : "-";
    if (mode != KPMC_MODE_ALL) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "KPMC_MODE_USER needs root (run with sudo): without root kpmc counts cycles and instructions "
                        "through thread_selfcounts, which counts user and kernel mode together (use KPMC_MODE_ALL)");
        return KPMC_E_PERM;
    }
    if (built != 0) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "the set needs root (run with sudo): without root kpmc counts only cycles and instructions "
                        "(%s, %s), in KPMC_MODE_ALL, through thread_selfcounts",
                        cname, iname);
        return KPMC_E_PERM;
    }
    unsigned counted[KPMC_MAX_EVENTS];
    for (unsigned i = 0; i < p->n_events; i++) {
        int e = (int)p->events[i].requested;
        int c = counted_as(db, e, cycles, instructions);
        if (c >= 0) {
            counted[i] = (unsigned)c;
            continue;
        }
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "%s (position %u of the set) needs root (run with sudo): without root kpmc counts only cycles "
                        "and instructions (%s, %s), in KPMC_MODE_ALL, through thread_selfcounts",
                        kpmc_event_name(db, (unsigned)e), i + 1, cname, iname);
        return KPMC_E_PERM;
    }
    /* What the set reads: each event on its fixed counter, at its position
     * in thread_selfcounts' buffer; nothing for kpc to program. */
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    kpmc_plan q;
    memset(&q, 0, sizeof q);
    q.db = db;
    q.mode = p->mode;
    q.n_events = p->n_events;
    q.n_counters = 2;
    for (unsigned i = 0; i < p->n_events; i++) {
        kpmc_plan_event *e = &q.events[i];
        e->size = sizeof *e;
        e->requested = p->events[i].requested;
        e->resolved = counted[i];
        e->fixed = 1;
        int is_cycles = (int)e->resolved == cycles;
        unsigned rank = fixed_rank(&d, is_cycles);
        e->index = is_cycles ? 1u : 0u;
        e->counter = kpmc_ctz32(kpmc_low_bits(d.fixed_counters, rank + 1) & ~kpmc_low_bits(d.fixed_counters, rank));
        e->counts = KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL;
    }
    *p = q;
    return 0;
}

void kpmc_selfcounts_start(kpmc_set *set)
{
    for (unsigned i = 0; i < set->plan.n_events; i++)
        set->modes[i] = KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL;
    set->started = 1;
    set->thread = pthread_self();
    kpmc_set_switch(set, KPMC_SET_COUNTING, read_selfcounts);
}

int kpmc_session_privileged(const kpmc_session *s)
{
    if (!s)
        return KPMC_E_INVAL;
    if (!s->db)
        return KPMC_E_STATE;
    return s->selfcounts ? 0 : 1;
}
