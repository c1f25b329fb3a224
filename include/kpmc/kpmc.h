/* kpmc — Apple hardware performance counters from a static event catalog.
 *
 *   #include <kpmc/kpmc.h>
 *
 *   kpmc_session *s;
 *   if (kpmc_open(&s, NULL) != 0) { puts(kpmc_session_error(s)); kpmc_close(s); return; }
 *   const char *names[] = { "Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC" };
 *   kpmc_set *set;
 *   if (kpmc_set_new(s, &set, names, 3, KPMC_MODE_ALL) == 0 && kpmc_set_start(set) == 0) {
 *       uint64_t a[3], b[3];
 *       kpmc_set_read(set, a);  work();  kpmc_set_read(set, b);
 *       // b[i] - a[i] is the count of names[i]
 *       kpmc_set_stop(set);
 *   }
 *   kpmc_set_free(set);
 *   kpmc_close(s);
 *
 * Three layers:
 *  - <kpmc/catalog.h>: the databases and their events (any OS).
 *  - plans (kpmc_plan_*): place a set of events on the counters of a database
 *    and compute the kpc configuration words; pure computation, any OS.
 *  - sessions and sets: load kperf.framework, force all counters, program a
 *    plan and read it, restoring the kernel's state on close (macOS, root;
 *    without root, each thread's own cycles and instructions).
 *
 * Thread rules: kpc state is global to the machine, so a session is
 * process-wide: open one.  Calls on a session and its sets (kpmc_set_new*,
 * kpmc_set_start, kpmc_set_stop, kpmc_set_free, kpmc_session_probe,
 * kpmc_session_kernel, kpmc_session_cpus, kpmc_set_read_cpus) may be made
 * from any thread; they serialise on the session.  kpmc_close ends the session handle as free() ends memory: no
 * call that takes the session may overlap it or follow it.  Calls on its
 * sets may race it: once it has run they fail with KPMC_E_STATE (a read
 * that raced it may still return values), and each set must still be freed;
 * the session's memory and kperf.framework stay until the last of its sets
 * is freed.  A set counts the thread that started it: kpmc_set_read() reads
 * the calling thread's counters and must be called on that thread; it takes
 * no lock and allocates nothing, so it, kpmc_set_plan() and
 * kpmc_set_event_modes() must not overlap a kpmc_set_start() or
 * kpmc_set_free() of the same set.  Several sets may count at once (one per
 * thread, say) only when they program the same configuration; starting a
 * set with another configuration while one is counting fails with
 * KPMC_E_BUSY.
 *
 * The library never prints and never exits.  Errors are negative KPMC_E_*
 * codes; kpmc_strerror() gives the sentence and kpmc_session_error() the
 * detail (which event, which counter, which kpc call and errno).  Details
 * belong to the thread that made the failed call: another thread's call
 * never changes the one a thread reads.
 */
#ifndef KPMC_KPMC_H
#define KPMC_KPMC_H

#include <stddef.h>
#include <stdint.h>

#include <kpmc/catalog.h>
#include <kpmc/error.h>
#include <kpmc/events.h>
#include <kpmc/export.h>
#include <kpmc/generic.h>
#include <kpmc/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* No database has more than 16 counters, fixed and configurable together:
 * a set of this library holds at most this many events (KPMC_E_TOOMANY).
 * No public struct is sized by it, so a later library may raise it without
 * breaking programs built against these headers. */
#define KPMC_MAX_EVENTS 16
/* Detail messages are truncated to this many bytes, NUL included. */
#define KPMC_DETAIL_MAX 256

/* Counting modes, per event set. */
enum kpmc_mode {
    KPMC_MODE_ALL = 0, /* user and kernel (default) */
    KPMC_MODE_USER = 1 /* user only */
};

/* The modes an event counts in (kpmc_plan_event.counts,
 * kpmc_set_event_modes). */
#define KPMC_COUNTS_USER 0x1u
#define KPMC_COUNTS_KERNEL 0x2u

/* kpc classes (1u << KPC_CLASS_*). */
#define KPMC_CLASS_FIXED 0x1u
#define KPMC_CLASS_CONFIGURABLE 0x2u
#define KPMC_CLASS_POWER 0x4u

/* ---- plans: placement and encoding, no kernel involved ---- */

/* A plan: events placed on the counters of a database, with the kpc
 * configuration words.  Opaque, so that its capacity is the library's: make
 * one with kpmc_plan_new(), fill it with kpmc_plan_build*() as often as
 * needed (building allocates nothing), read it with kpmc_plan_get() and
 * kpmc_plan_event_get(), free it with kpmc_plan_free(). */
typedef struct kpmc_plan kpmc_plan;

/* One event of a plan (kpmc_plan_event_get()). */
typedef struct kpmc_plan_event {
    size_t size;        /* sizeof(kpmc_plan_event), set by the caller */
    unsigned requested; /* the event asked for (an alias is already applied) */
    unsigned resolved;  /* the event programmed: `requested` or its fallback */
    unsigned counter;   /* hardware counter: bit index in counters masks */
    unsigned fixed;     /* 1 when `counter` is a fixed counter */
    unsigned index;     /* position in the kpc_get_thread_counters() buffer */
    uint64_t config;    /* configuration word; 0 on a fixed counter */
    unsigned counts;    /* KPMC_COUNTS_* the event counts on the plan's kernel:
                           fixed counters always count both */
} kpmc_plan_event;

/* A plan as a whole (kpmc_plan_get()). */
typedef struct kpmc_plan_info {
    size_t size;                /* sizeof(kpmc_plan_info), set by the caller */
    const kpmc_db *db;          /* NULL for a plan never built successfully */
    int mode;                   /* enum kpmc_mode */
    uint32_t classes;           /* KPMC_CLASS_* to configure and count */
    unsigned n_events;          /* kpmc_plan_event_get(plan, 0 .. n_events-1) */
    /* Words of config[] in kpc_set_config() order: on x86_64 one FIXED
     * word (0; the kernel ignores it) when classes has FIXED, then, when
     * classes has CONFIGURABLE, one word per configurable counter of the
     * database (all of them: counters are forced), ascending, 0 where no
     * event is placed.  0 for fixed events alone on arm64: there is nothing
     * to configure, and kpc_set_config() (which fails for a zero count) must
     * be skipped. */
    unsigned n_config;
    /* config[0 .. n_config-1], inside the plan: valid until it is built
     * again or freed. */
    const uint64_t *config;
    /* Leading words of config[] that kpmc_set_start does not pass to the
     * kernel: x86_64's FIXED word (1 when classes has FIXED there), since
     * CPC-era kernels read the words from index 0 whatever the classes.
     * kpmc_set_start calls kpc_set_config(KPMC_CLASS_CONFIGURABLE,
     * config + config_skip) when classes has CONFIGURABLE. */
    unsigned config_skip;
    /* Values kpc_get_thread_counters() returns for `classes`: all of the
     * database's fixed counters when classes has FIXED, then all of its
     * configurable counters, ascending. */
    unsigned n_counters;
} kpmc_plan_info;

/* An empty plan (n_events 0) into *out.  KPMC_E_INVAL (out NULL),
 * KPMC_E_NOMEM. */
KPMC_API int kpmc_plan_new(kpmc_plan **out);
/* NULL is allowed. */
KPMC_API void kpmc_plan_free(kpmc_plan *plan);
/* The plan as a whole; KPMC_E_INVAL for NULL or a size too small. */
KPMC_API int kpmc_plan_get(const kpmc_plan *plan, kpmc_plan_info *out);
/* Event i of the plan, in the caller's order; KPMC_E_INVAL for NULL, a
 * size too small or i >= n_events. */
KPMC_API int kpmc_plan_event_get(const kpmc_plan *plan, size_t i, kpmc_plan_event *out);

/* What a kernel does with kpc, as far as plans are concerned
 * (README "Kernel versions"). */
typedef struct kpmc_kernel {
    size_t size;              /* sizeof(kpmc_kernel) (<kpmc/catalog.h>) */
    unsigned flags;           /* KPMC_KERNEL_* */
    unsigned known;           /* the KPMC_KERNEL_* flags whose value is known
                                 (a session learns them as it programs) */
    uint32_t config_counters; /* the configurable counters the kernel gives,
                                 global counter indices; 0: the database's */
} kpmc_kernel;
/* Configurable counters count user mode only, whatever the word asks
 * (arm64, macOS 15 and later on a stock machine). */
#define KPMC_KERNEL_USER_ONLY 0x1u
/* A selector outside the kernel's compiled list is refused with EPERM
 * (arm64, macOS 14.4 and later). */
#define KPMC_KERNEL_ALLOWLIST 0x2u
/* x86_64: only event, umask and the USR/OS modes of a word reach the
 * counter; CMASK, INV and EDGE are dropped (CPC-era kernels). */
#define KPMC_KERNEL_X86_PLAIN 0x4u

/* The kernel profile `name` for database db: "pre14.4" (macOS before
 * 14.4), "14.4", "15" or "cpc" (the CPC-era kernels).  All flags known;
 * config_counters is the database's, but on a cpc x86_64 kernel the lower
 * half of them.  KPMC_E_INVAL for an unknown name or database. */
KPMC_API int kpmc_kernel_profile(kpmc_kernel *kernel, const char *name, const kpmc_db *db);
/* The profile names, NULL-terminated, oldest first. */
KPMC_API const char *const *kpmc_kernel_profile_names(void);

/* kpmc_plan_build and kpmc_plan_build_names for a kernel (NULL: the
 * database's counters, no restriction).  On a kernel with
 * KPMC_KERNEL_USER_ONLY, a KPMC_MODE_ALL set that mixes fixed and
 * configurable events counts every event in user mode on configurable
 * counters (a fixed event through its fallback, or FIXED_CYCLES through
 * CORE_ACTIVE_CYCLE; without one it is refused), so that no count includes
 * the kernel while another does not; every `counts` says what it counts.
 * With KPMC_KERNEL_X86_PLAIN an event whose word needs CMASK, INV or EDGE
 * is refused (KPMC_E_UNAVAILABLE); events go only on config_counters. */
KPMC_API int kpmc_plan_build_kernel_v(uint64_t catalog, kpmc_plan *plan, const kpmc_db *db,
                                      const kpmc_kernel *kernel, const unsigned *events, size_t n, int mode,
                                      char *detail, size_t detail_len);
#define kpmc_plan_build_kernel(...) kpmc_plan_build_kernel_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
KPMC_API int kpmc_plan_build_names_kernel(kpmc_plan *plan, const kpmc_db *db, const kpmc_kernel *kernel,
                                 const char *const *names, size_t n, int mode, char *detail,
                                 size_t detail_len);

/* Place events (indices in db's table, in the caller's order) on db's
 * counters, all counters forced, and encode them.  Any set that fits is
 * placed; the same arguments always give the same plan.
 * A fixed event goes on its fixed counter, except in KPMC_MODE_USER (fixed
 * counters always count the kernel too) and when the database describes it
 * inconsistently (KPMC_EVF_*): then its fallback is programmed as a
 * configurable event (`resolved`), or, without one, it is refused with
 * KPMC_E_UNAVAILABLE.  On arm64, KPMC_MODE_USER sets EL0A32EN | EL0A64EN
 * (0x30000) in each word, KPMC_MODE_ALL no mode bit.
 * On failure returns KPMC_E_EMPTY, KPMC_E_TOOMANY, KPMC_E_INVAL,
 * KPMC_E_DUPLICATE (also two events that would program the same fallback),
 * KPMC_E_UNAVAILABLE, KPMC_E_NOFIT or KPMC_E_CATALOG (the caller's headers
 * are another catalog's, <kpmc/catalog.h>), empties the plan and, if detail is not
 * NULL, writes a sentence naming the events and counters at fault (for
 * KPMC_E_NOFIT: competing events that together may use fewer counters than
 * they number, none of which could be left out of that claim, with the
 * counters each may use), cut to detail_len bytes and then ending in "...".
 * No allocation, no lock: callable from any thread.
 * kpmc_plan_build(...) calls kpmc_plan_build_v(KPMC_CATALOG_DIGEST, ...). */
KPMC_API int kpmc_plan_build_v(uint64_t catalog, kpmc_plan *plan, const kpmc_db *db, const unsigned *events,
                               size_t n, int mode, char *detail, size_t detail_len);
#define kpmc_plan_build(...) kpmc_plan_build_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
/* The same from names, aliases or generic event names (case-insensitive;
 * a generic name resolves to its event for `mode`, kpmc_generic_resolve).
 * KPMC_E_NOEVENT names the first unknown one and what was probably meant
 * (kpmc_suggest_event). */
KPMC_API int kpmc_plan_build_names(kpmc_plan *plan, const kpmc_db *db,
                          const char *const *names, size_t n, int mode,
                          char *detail, size_t detail_len);
/* How event `event` (an index of db) would be counted in `mode` when it is
 * part of a set: the event programmed (*resolved: `event`, or its fallback)
 * and the counters it may use (*counters, bit c = counter c; one bit for a
 * fixed counter).  A set fits exactly when its events can be given distinct
 * counters from these masks.  KPMC_E_UNAVAILABLE (with the sentence
 * kpmc_plan_build would give) when it cannot be counted at all;
 * KPMC_E_INVAL for a bad database, index or mode; KPMC_E_CATALOG as for
 * kpmc_plan_build.  resolved and counters may be NULL. */
KPMC_API int kpmc_plan_event_counters_v(uint64_t catalog, const kpmc_db *db, unsigned event, int mode,
                                        unsigned *resolved, uint32_t *counters, char *detail, size_t detail_len);
#define kpmc_plan_event_counters(...) kpmc_plan_event_counters_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)

/* ---- the host ---- */

/* This machine's "cpu_<cputype>_<cpusubtype>_<cpufamily>" (lower-case hex,
 * as the /usr/share/kpep links are named), read with sysctl; no root and no
 * kperf.framework needed.  KPMC_E_UNSUPPORTED when not on macOS,
 * KPMC_E_INVAL when buf is too small. */
KPMC_API int kpmc_host_cpu_string(char *buf, size_t len);
/* The catalog's database for this machine; NULL when not on macOS or when
 * the catalog has no database for its CPU family. */
KPMC_API const kpmc_db *kpmc_host_db(void);

/* ---- sessions ---- */

typedef struct kpmc_session kpmc_session;
typedef struct kpmc_set kpmc_set;

typedef struct kpmc_options {
    size_t size;            /* sizeof(kpmc_options); smaller than the fields
                               up to db: KPMC_E_INVAL; later fields are read
                               only when size covers them */
    const char *kperf_path; /* NULL: $KPMC_KPERF_PATH, else the system kperf.framework */
    const char *db;         /* NULL: $KPMC_DB, else the database of this CPU */
    int force_db;           /* 1: use db (or $KPMC_DB) even when its CPU
                               families do not include this CPU; 0:
                               $KPMC_DB_FORCE=1 does the same */
    int kpc_only;           /* 1: when kpc is not permitted, fail with
                               KPMC_E_PERM rather than open an unprivileged
                               session (kpmc_session_privileged) */
} kpmc_options;

/* Load kperf.framework, detect the CPU and its database, save the kernel's
 * counter state and force all counters (the steps: README "What kpmc_open
 * does").  Not root (kpc_force_all_ctrs_get: EPERM), it still succeeds
 * with an unprivileged session that counts each thread's own cycles and
 * instructions only (README "Without root", kpmc_session_privileged),
 * unless kpmc_options.kpc_only is set or the kernel has no
 * thread_selfcounts.  On failure *out is still an inert session (unless
 * memory ran out) whose kpmc_session_error() says why; pass it to
 * kpmc_close().
 * Errors: KPMC_E_LOAD, KPMC_E_PERM (not root), KPMC_E_NODB, KPMC_E_KPC,
 * KPMC_E_BUSY, KPMC_E_NOMEM. */
KPMC_API int kpmc_open(kpmc_session **out, const kpmc_options *opt);
/* Stop every set, restore what kpmc_open changed, in reverse order, and
 * free.  NULL is allowed.
 * Thread counting, counting and force_all_ctrs are each set back to the
 * value kpmc_open found, in that order, when kpmc left it different; each
 * call is tried twice, since nothing could report its failure.  The sets
 * stay allocated but inert: reading, starting or stopping one fails with
 * KPMC_E_STATE, and each must still be given to kpmc_set_free(); the last
 * of them frees what is left of the session (its memory, kperf.framework).
 * Calls on the sets may run on other threads meanwhile; calls that take s
 * may not: s is gone for the caller once kpmc_close is called. */
KPMC_API void kpmc_close(kpmc_session *s);
/* The detail of the calling thread's last failed call on s (kpmc_set_new*,
 * kpmc_set_start, kpmc_set_stop, kpmc_session_probe, ...).  Each thread has
 * its own: another thread's call cannot change it while it is read.  Before
 * a thread's first failed call on s it is kpmc_open's, the same on every
 * thread: why kpmc_open failed (an inert session, whose later failures keep
 * it), why kpc was refused (an unprivileged session), else "".  A thread
 * keeps the detail of one session: after a failed call on another session,
 * s gives kpmc_open's again.  The string stays valid until the thread's
 * next failed call. */
KPMC_API const char *kpmc_session_error(const kpmc_session *s);
/* NULL for an inert session. */
KPMC_API const kpmc_db *kpmc_session_db(const kpmc_session *s);
/* kpc_cpu_string() as the framework answered it ("" if unknown). */
KPMC_API const char *kpmc_session_cpu(const kpmc_session *s);
/* 1 when the session counts through kpc (root), 0 when it is unprivileged
 * and counts the calling thread's cycles and instructions through
 * thread_selfcounts (kpmc_open); KPMC_E_STATE for an inert session,
 * KPMC_E_INVAL for NULL. */
KPMC_API int kpmc_session_privileged(const kpmc_session *s);
/* What the session knows of its kernel: the configurable counters it gives
 * (from kpmc_open) and the flags learned from the configurations read back
 * so far (`known` says which).  KPMC_E_INVAL for NULL or a size too small,
 * KPMC_E_STATE on an inert session. */
KPMC_API int kpmc_session_kernel(kpmc_session *s, kpmc_kernel *out);

/* What kpmc_session_probe finds out (kpmc info). */
/* Refused events kpmc_probe lists: the first ones. */
#define KPMC_PROBE_REFUSED 16

typedef struct kpmc_probe {
    size_t size;              /* sizeof(kpmc_probe) (<kpmc/catalog.h>) */
    int force_found;          /* force_all_ctrs when the session opened: 1 when
                                 another client held the counters (or, on
                                 CPC-era kernels without a power manager,
                                 always) */
    uint32_t counting_found;  /* kpc.counting and kpc.thread_counting then */
    uint32_t thread_counting_found;
    int allowlist;            /* 1 the kernel refuses a selector that no event
                                 of the database has, 0 it accepts it, -1 not
                                 tried (x86_64: no list) */
    unsigned n_tried;         /* configurable events tried one by one */
    unsigned n_refused;       /* of which the kernel refused (EPERM) */
    unsigned refused[KPMC_PROBE_REFUSED]; /* the first refused ones (event indices) */
    int kernel_counting;      /* configurable counters count kernel mode: 1 yes,
                                 0 user mode only, -1 unknown (no event could
                                 be programmed) */
    uint32_t config_counters; /* the configurable counters the kernel gives */
} kpmc_probe;
/* Probe the kernel by programming it: a selector of no event of the
 * database (the allowlist), each configurable event alone (which ones the
 * list refuses), one allowed event counted in KPMC_MODE_ALL and read back
 * (whether configurable counters count the kernel).  Needs an open session
 * with no set counting (else KPMC_E_BUSY); counting and thread counting are
 * left as found, and the configuration words as read back before.
 * KPMC_E_INVAL, KPMC_E_STATE (inert session), KPMC_E_KPC, KPMC_E_PERM (an
 * unprivileged session). */
KPMC_API int kpmc_session_probe(kpmc_session *s, kpmc_probe *out);

/* ---- event sets ---- */

/* By names or aliases of the session's database.
 * In an unprivileged session (kpmc_session_privileged() == 0) a set may
 * hold only the two events the kernel counts for every thread without
 * root: the events the generic events cycles and instructions name in
 * KPMC_MODE_ALL (FIXED_CYCLES and FIXED_INSTRUCTIONS on Apple's chips,
 * CPU_CLK_UNHALTED.THREAD and INST_RETIRED.ANY on Intel), by any of their
 * names, aliases or ids, and the configurable events the database names
 * as their fallbacks (INST_ALL; CPU_CLK_UNHALTED.THREAD_P,
 * INST_RETIRED.ANY_P), which count the same; in KPMC_MODE_ALL only: they
 * count user and kernel mode together.  Any other event, or
 * KPMC_MODE_USER, is refused with KPMC_E_PERM and a sentence saying it
 * needs root.  The plan then describes what is read: no classes and no
 * configuration words, each event (`resolved`: the fixed event counted)
 * on its fixed counter, and the buffer thread_selfcounts' (n_counters 2:
 * index 0 instructions, 1 cycles). */
KPMC_API int kpmc_set_new(kpmc_session *s, kpmc_set **out, const char *const *names,
                 size_t n, int mode);
/* By portable ids (KPMC_EV_*); KPMC_E_NOEVENT when the session's database
 * has no such event.  Both this and kpmc_set_new_db fail with
 * KPMC_E_CATALOG when the caller's headers are another catalog's
 * (<kpmc/catalog.h>); kpmc_session_error() names both digests.
 * kpmc_set_new_ev(...) calls kpmc_set_new_ev_v(KPMC_CATALOG_DIGEST, ...). */
KPMC_API int kpmc_set_new_ev_v(uint64_t catalog, kpmc_session *s, kpmc_set **out, const int *ev, size_t n,
                               int mode);
#define kpmc_set_new_ev(...) kpmc_set_new_ev_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
/* By per-database ids (KPMC_DB_A14 with KPMC_A14_*); KPMC_E_WRONGDB when
 * db_id is not the session's database.
 * kpmc_set_new_db(...) calls kpmc_set_new_db_v(KPMC_CATALOG_DIGEST, ...). */
KPMC_API int kpmc_set_new_db_v(uint64_t catalog, kpmc_session *s, kpmc_set **out, size_t db_id,
                               const unsigned *events, size_t n, int mode);
#define kpmc_set_new_db(...) kpmc_set_new_db_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
/* The set's plan: built by kpmc_set_new* for what the session knows of the
 * kernel, and built again by kpmc_set_start when the kernel turns out to
 * count configurable events in user mode only (see there). */
KPMC_API const kpmc_plan *kpmc_set_plan(const kpmc_set *set);
/* Program the plan and count: kpc_set_config(CONFIGURABLE, words) (skipped
 * when the plan has no configurable event), kpc_set_counting,
 * kpc_set_thread_counting, in that order; then check what the kernel did:
 * kpc_get_counter_count of the classes must be the plan's buffer size, and
 * kpc_get_config reads the words back: the selectors (and on x86_64 CMASK,
 * INV, EDGE) must be those programmed, and the mode bits tell what each
 * event counts (kpmc_set_event_modes).  When the read-back shows that
 * configurable counters count user mode only and the set is a KPMC_MODE_ALL
 * set mixing fixed and configurable events, the set is planned again for
 * that kernel (kpmc_plan_build_kernel: every event in user mode on
 * configurable counters), programmed again and checked again; the session
 * remembers the kernel, so later sets are planned for it from the start.
 * A failure switches counting and thread counting back to what they were
 * (the configuration words stay programmed).
 * When other sets count, nothing is programmed: a set with the same classes
 * and words joins them (its thread only calls kpc_set_thread_counting, so
 * that the kernel gives it a counter buffer), any other fails with
 * KPMC_E_BUSY.  The calling thread becomes the set's: read and stop it
 * there.  A kpc_set_config refused with EPERM (the kernel's selector
 * allowlist) is retried event by event to name the refused events
 * (KPMC_E_UNAVAILABLE; the words found before are put back).
 * Errors: KPMC_E_STATE (already counting, session closed), KPMC_E_BUSY,
 * KPMC_E_UNAVAILABLE, KPMC_E_NOFIT (planned again for the kernel, the set no
 * longer fits), KPMC_E_KPC.
 * In an unprivileged session nothing is programmed and no call is made:
 * the set reads the calling thread's counts from now on, and any number of
 * sets may count at once. */
KPMC_API int kpmc_set_start(kpmc_set *set);
/* The modes event i of the set counts in (KPMC_COUNTS_USER |
 * KPMC_COUNTS_KERNEL), as the kernel read them back when the set was last
 * started: a fixed counter counts both; a configurable one what its mode
 * bits say.  KPMC_E_STATE when the set was never started, KPMC_E_INVAL for
 * NULL or i out of range. */
KPMC_API int kpmc_set_event_modes(const kpmc_set *set, size_t i);
/* The calling thread's running totals, in the set's event order, into
 * out[0 .. n_events-1]: one kpc_get_thread_counters() call (in an
 * unprivileged session, one thread_selfcounts() call) and a
 * permutation.  Subtract two reads to count a region.  KPMC_E_KPC when the
 * kpc call fails: kpmc_set_error() says what happened (EINVAL: this thread
 * has no counter buffer in the kernel; ENOMEM: the kernel holds more values
 * per thread than the set reads, the counting classes changed under it).
 * set and out must be valid (nothing is checked on this path).  The set
 * holds the kpc buffer, so a set is read by one thread at a time: the one
 * that started it.  KPMC_E_STATE when the set does not count (not started,
 * stopped, or its session closed); kpmc_set_error() says which. */
KPMC_API int kpmc_set_read(kpmc_set *set, uint64_t *out);
/* The raw read, for the tightest loops: one kpc_get_thread_counters() call
 * that writes the kernel's buffer, n_counters values of the set's plan
 * (kpmc_plan_get) in kpc order, into buf; nothing else.  Event i of the
 * set is buf[index] of the plan's event i (kpmc_plan_event_get).  Take both
 * from the plan after kpmc_set_start, which may plan the set again (a
 * KPMC_MODE_ALL set mixing fixed and configurable events on a kernel whose
 * configurable counters count user mode only reads no fixed counters);
 * KPMC_MAX_EVENTS values of buf always suffice.  Errors and rules
 * as kpmc_set_read().  In an unprivileged session buf receives the two
 * counts thread_selfcounts gives, at the positions of the plan. */
KPMC_API int kpmc_set_read_raw(kpmc_set *set, uint64_t *buf);
/* On the thread that started the set (else KPMC_E_STATE, as for a set that
 * does not count).  When the last counting set stops, thread counting and
 * then counting are switched off; kpmc_close() restores what it found.  A
 * failure leaves the set counting. */
KPMC_API int kpmc_set_stop(kpmc_set *set);
/* The detail of the calling thread's last failed kpmc_set_read(),
 * kpmc_set_read_raw() or kpmc_set_read_cpus() on this set, or of a start or
 * stop refused because the session is closed; "" if none.  Per thread, as kpmc_session_error(): a thread keeps the detail of
 * one set, valid until its next failed call on a set. */
KPMC_API const char *kpmc_set_error(const kpmc_set *set);
/* Stops the set if it counts, from any thread (not while the thread that
 * started it reads it).  NULL is allowed; so is a set whose session is
 * closed (the last such set frees what is left of the session). */
KPMC_API void kpmc_set_free(kpmc_set *set);

/* ---- recovery ---- */

/* Put kpc counting, thread counting and force_all_ctrs back to 0, for a
 * machine left counting by a client that crashed.  kperf_path as in
 * kpmc_options.  The three calls are made in that order, each whatever the
 * others did; detail (may be NULL) says what was found and what each call
 * did ("found thread counting 0x3, counting 0x3, force_all_ctrs 1;
 * kpc_set_thread_counting(0) done; ...").  CPC-era kernels answer 0 to a
 * task that cannot release the force; kpmc_reset then reads it again and
 * says it is still held.  Errors: KPMC_E_LOAD, KPMC_E_PERM (not root:
 * nothing changed), KPMC_E_BUSY (another task holds the force), KPMC_E_KPC. */
KPMC_API int kpmc_reset(const char *kperf_path, char *detail, size_t detail_len);

/* ---- whole processes and every CPU (kpmc stat) ---- */

/* The kperf library the session loaded (its path, as given to dlopen); ""
 * for an inert session. */
KPMC_API const char *kpmc_session_kperf_path(const kpmc_session *s);

/* A process's cycles and instructions as the kernel accounts them for its
 * resource usage: every thread of the process, user and kernel mode, no
 * root needed (a process of the same user).  Read with
 * proc_pid_rusage(pid, RUSAGE_INFO_V6) (RUSAGE_INFO_V4 on kernels without
 * V6), which also answers for a zombie: read after waitid(..., WNOWAIT) and
 * before reaping to get the totals of a whole run. */
typedef struct kpmc_proc_counts {
    size_t size;             /* sizeof(kpmc_proc_counts), set by the caller
                                (<kpmc/catalog.h>) */
    uint64_t cycles;         /* ri_cycles */
    uint64_t instructions;   /* ri_instructions */
    uint64_t p_cycles;       /* ri_pcycles: of cycles, those on performance cores */
    uint64_t p_instructions; /* ri_pinstructions */
    int has_p;               /* 1 when the kernel gave the performance-core share (V6) */
} kpmc_proc_counts;
/* proc_pid_rusage is looked up in the kperf library first (kperf_path as
 * in kpmc_options: NULL means $KPMC_KPERF_PATH; the simulator provides it),
 * then in the program.  Errors: KPMC_E_UNSUPPORTED (no proc_pid_rusage:
 * not macOS), KPMC_E_INVAL (no such process, or NULL out or its size too
 * small), KPMC_E_PERM
 * (another user's process), KPMC_E_KPC (another failure); detail (may be
 * NULL) says which. */
KPMC_API int kpmc_proc_counts_get(int pid, const char *kperf_path, kpmc_proc_counts *out, char *detail,
                                  size_t detail_len);

/* The CPUs and their performance levels, for counting on every CPU. */
#define KPMC_MAX_CPUS 256
typedef struct kpmc_cpus {
    size_t size;              /* sizeof(kpmc_cpus), set by the caller
                                 (<kpmc/catalog.h>) */
    unsigned n_cpus;          /* hw.ncpu */
    unsigned n_levels;        /* hw.nperflevels: 1, or 2 on chips with efficiency cores */
    unsigned level_cpus[2];   /* hw.perflevelN.logicalcpu: CPUs of level N */
    char level_name[2][24];   /* hw.perflevelN.name: "Performance", "Efficiency" */
    uint8_t level[KPMC_MAX_CPUS]; /* the level of each CPU, by CPU number */
} kpmc_cpus;
/* Read the CPUs from sysctl (sysctlbyname looked up in the session's kperf
 * library first, as kpmc_proc_counts_get does, then in the program) and
 * prepare the session for kpmc_set_read_cpus.  macOS names no CPU's level;
 * kpmc numbers them as the kernel does on Apple's chips: cluster by
 * cluster, each die's efficiency cluster first, then its performance
 * cores (so on a single die CPUs 0 .. E-1 are efficiency cores).
 * Errors: KPMC_E_STATE (inert session), KPMC_E_UNSUPPORTED (no sysctl or no
 * kpc_get_cpu_counters), KPMC_E_INVAL (more than KPMC_MAX_CPUS CPUs, NULL
 * out or its size too small), KPMC_E_NOMEM, KPMC_E_PERM (an unprivileged session). */
KPMC_API int kpmc_session_cpus(kpmc_session *s, kpmc_cpus *out);
/* Every CPU's counters of the set's events, machine-wide (all tasks):
 * out[cpu * n_events + i] for event i, cpu < n_cpus of kpmc_session_cpus,
 * with one kpc_get_cpu_counters(all CPUs) call.  Raw counter values:
 * subtract two reads.  The set must count (kpmc_set_start); any thread may
 * read.  Errors (kpmc_set_error() says which): KPMC_E_STATE (not
 * counting, kpmc_session_cpus not called, the session closed), KPMC_E_KPC
 * (with the errno); KPMC_E_INVAL for a NULL set or out. */
KPMC_API int kpmc_set_read_cpus(kpmc_set *set, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif
