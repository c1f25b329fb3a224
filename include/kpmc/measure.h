/* kpmc — measuring: groups of events, calibrated repeated samples,
 * statistics and derived metrics.
 *
 *   #include <kpmc/measure.h>
 *
 *   kpmc_measure_options o;
 *   kpmc_measure_defaults(&o);
 *   o.repetitions = 20;
 *   o.iterations = 1000;                  // the region runs the code 1000 times
 *   const char *ev[] = {"FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"};
 *   kpmc_measure *m;
 *   if (kpmc_measure_new(session, &m, ev, 3, &o) == 0) {
 *       int r;
 *       while ((r = kpmc_measure_next(m)) > 0)
 *           for (int i = 0; i < 1000; i++) work();
 *       if (r == 0)
 *           kpmc_result_write_json(kpmc_measure_result(m), stdout);
 *       kpmc_measure_free(m);
 *   }
 *
 * Groups.  Events that do not fit the counters together are split into the
 * fewest groups that each fit (kpmc_groups_build), each carrying the anchor
 * events, if any, so that every group can be normalised by them.  kpc has no
 * multiplexing: a measurement programs one group at a time.
 *
 * Schedule of a run.  With G groups and R repetitions: first the empty
 * region (calibration): `warmup` unrecorded samples on the first group, then
 * R rounds each taking one sample of every group in order (rep-major, so
 * drift spreads evenly over the groups); then the caller's region the same
 * way.  Consecutive samples of one group share a counter read: the read that
 * ends a sample starts the next, so a sample costs one kpc call.  The empty
 * region is measured by the same code as the caller's (kpmc_measure_next in
 * a loop; for kpmc_measure_run, an empty function called `iterations` times
 * per sample), and its median count per sample, per event, is subtracted
 * from each of the event's samples.
 *
 * Allocation: kpmc_measure_new allocates everything a run needs; a run
 * (kpmc_measure_next, kpmc_measure_run, the statistics at its end)
 * allocates nothing.  The library never prints: the writers below write
 * into the caller's buffer or FILE *.
 *
 * Threads: a measurement runs on one thread, which its counters count; its
 * sets are started on the thread that calls kpmc_measure_next first in a
 * run.  Different measurements may run on different threads when their
 * groups program the same configuration (as for sets).
 */
#ifndef KPMC_MEASURE_H
#define KPMC_MEASURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kpmc/kpmc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- groups ---- */

/* kpmc_groups_build partitions at most this many events (anchors not
 * counted).  The partition is exact (branch and bound over the events, most
 * constrained first, from a lower bound on every union of counter masks);
 * its cost grows exponentially only when that bound is not met, which the
 * databases' few distinct counter masks make rare. */
#define KPMC_GROUPS_MAX 64

/* Groups: opaque, read through kpmc_groups_get(). */
typedef struct kpmc_groups kpmc_groups;

/* Group g of a kpmc_groups (kpmc_groups_get()); the pointers point into the
 * groups and stay valid until they are freed. */
typedef struct kpmc_group_info {
    size_t size;              /* sizeof(kpmc_group_info), set by the caller
                                 (<kpmc/catalog.h>) */
    /* The set as kpmc_plan_build_names(names, n) places it; identical to
     * what `kpmc check` prints for these names in this order (a
     * measurement's groups: see kpmc_measure_groups). */
    const kpmc_plan *plan;
    size_t n;                 /* names in the set (the plan's n_events) */
    size_t n_anchors;         /* names[0 .. n_anchors-1] are the anchors */
    const char *const *names; /* n names as given (the caller's strings): the
                                 anchors in order, then the group's events in
                                 the caller's order */
    const size_t *input;      /* n: names[i] is anchors[input[i]] for
                                 i < n_anchors, else events[input[i]] */
} kpmc_group_info;

/* Split events (names or aliases of db) into the fewest groups such that
 * each group, together with every anchor, fits the counters in `mode`.
 * On success *out holds the groups, ordered by their first event in the
 * caller's order, and their number (>= 1) is returned.  An event that
 * counts the same as an anchor (say FIXED_CYCLES and the anchor Cycles) is
 * counted by the anchor and placed in no group.  The same arguments always
 * give the same groups.  The groups point to the caller's names, which must
 * outlive them.
 * Errors (*out NULL; detail, if not NULL, names the events and counters at
 * fault, as kpmc_plan_build does): KPMC_E_INVAL (arguments), KPMC_E_EMPTY,
 * KPMC_E_TOOMANY (more than KPMC_GROUPS_MAX events or more anchors than
 * KPMC_MAX_EVENTS), KPMC_E_NOEVENT, KPMC_E_UNAVAILABLE, KPMC_E_DUPLICATE
 * (two events, or two anchors, that count the same event), KPMC_E_NOFIT
 * (the anchors do not fit together, or an event does not fit with them),
 * KPMC_E_NOMEM.  One allocation, no lock. */
KPMC_API int kpmc_groups_build(kpmc_groups **out, const kpmc_db *db, const char *const *events, size_t n,
                               const char *const *anchors, size_t n_anchors, int mode, char *detail,
                               size_t detail_len);
/* The same from indices of db's table (the names are the database's);
 * KPMC_E_CATALOG when the caller's headers are another catalog's
 * (<kpmc/catalog.h>).  kpmc_groups_build_db(...) calls
 * kpmc_groups_build_db_v(KPMC_CATALOG_DIGEST, ...). */
KPMC_API int kpmc_groups_build_db_v(uint64_t catalog, kpmc_groups **out, const kpmc_db *db, const unsigned *events,
                                    size_t n, const unsigned *anchors, size_t n_anchors, int mode, char *detail,
                                    size_t detail_len);
#define kpmc_groups_build_db(...) kpmc_groups_build_db_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
/* How many groups (0 for NULL). */
KPMC_API size_t kpmc_groups_count(const kpmc_groups *groups);
/* Group g; KPMC_E_INVAL for NULL, a size too small or g out of range. */
KPMC_API int kpmc_groups_get(const kpmc_groups *groups, size_t g, kpmc_group_info *out);
/* NULL is allowed. */
KPMC_API void kpmc_groups_free(kpmc_groups *groups);

/* ---- measurements ---- */

/* Core types (kpmc_sample, kpmc_measure_options.pin). */
enum kpmc_core {
    KPMC_CORE_UNKNOWN = 0,
    KPMC_CORE_PERFORMANCE = 1,
    KPMC_CORE_EFFICIENCY = 2
};

/* A source of the calling thread's current core type (enum kpmc_core). */
typedef int (*kpmc_core_fn)(void *arg);

typedef struct kpmc_measure_options {
    size_t size;           /* sizeof(kpmc_measure_options); smaller: KPMC_E_INVAL */
    int mode;              /* KPMC_MODE_ALL (default) or KPMC_MODE_USER */
    unsigned repetitions;  /* recorded samples per group, >= 1 (default 10) */
    unsigned warmup;       /* unrecorded samples before the recorded ones (default 1) */
    uint64_t iterations;   /* times the region runs the measured code per
                              sample, >= 1 (default 1): results are per iteration */
    const char *const *anchors; /* events counted in every group (default none) */
    size_t n_anchors;
    int calibrate;         /* subtract the empty region's counts (default 1) */
    /* Ask the scheduler for a core type during runs (KPMC_CORE_PERFORMANCE or
     * KPMC_CORE_EFFICIENCY) through the thread's QoS class on macOS
     * (user-interactive or background; restored after the run); 0 (default)
     * leaves the thread alone.  Elsewhere nothing is done and
     * kpmc_result.pinned says so. */
    int pin;
    /* Record the core type at every counter read (default 1): the source is
     * core_type(core_arg) when set, else the platform's (macOS on Apple
     * silicon: the CPU number of pthread_cpu_number_np, whose level is read
     * as kpmc_session_cpus reads it: each die's efficiency cluster first);
     * with neither, samples carry KPMC_CORE_UNKNOWN. */
    int core_types;
    kpmc_core_fn core_type;
    void *core_arg;
} kpmc_measure_options;

/* Fill *o with the defaults above (size included). */
KPMC_API void kpmc_measure_defaults(kpmc_measure_options *o);

typedef struct kpmc_stats {
    size_t size;   /* sizeof(kpmc_stats), set by the caller of kpmc_stats_of
                      (<kpmc/catalog.h>); in results, set by the library */
    double min, median, mean;
    double stddev; /* sample standard deviation (n - 1); 0 when n < 2 */
    double mad;    /* median absolute deviation from the median, unscaled */
    size_t n;      /* samples; with none, the other fields are NaN */
} kpmc_stats;

typedef struct kpmc_sample {
    unsigned group;      /* group counted */
    unsigned rep;        /* repetition, 0 .. repetitions-1 */
    int core_start;      /* enum kpmc_core at the read that started it */
    int core_end;        /* ... and at the read that ended it */
    int migrated;        /* both known and different: left out of the statistics */
} kpmc_sample;

typedef struct kpmc_measured_event {
    const char *name;     /* as given (an anchor's name when not among the events) */
    /* The database's event counted (alias and fallback applied) and the
     * modes it counted in (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL), as its
     * set was started in the run (kpmc_set_plan, kpmc_set_event_modes).  On
     * macOS 15 and later a KPMC_MODE_ALL measurement that mixes fixed and
     * configurable events counts every event in user mode on configurable
     * counters: Cycles as CORE_ACTIVE_CYCLE, Instructions as INST_ALL, each
     * with counts KPMC_COUNTS_USER. */
    const char *counted;
    unsigned counts;
    int anchor;           /* 1: counted by an anchor, in every group */
    unsigned group;       /* its group (anchors: 0) */
    kpmc_stats stats;     /* per iteration, overhead subtracted, migrated samples left out */
    kpmc_stats overhead;  /* the empty region's count per sample (0s when not
                             calibrated); its median is what was subtracted */
    /* Per iteration, overhead subtracted, for every sample of the result in
     * its order (kpmc_result.samples), NaN where the sample's group did not
     * count the event. */
    const double *values;
} kpmc_measured_event;

/* A derived metric, from two events counted in the same modes
 * (kpmc_measured_event.counts). */
typedef struct kpmc_measured_metric {
    const char *name;        /* e.g. "ipc" (kpmc_metric_at) */
    const char *description;
    size_t numerator;        /* indices into kpmc_result.events */
    size_t denominator;
    double value;            /* scale * numerator.median / denominator.median;
                                NaN when that median is not positive */
} kpmc_measured_metric;

typedef struct kpmc_result {
    const kpmc_db *db;
    int mode;
    uint64_t iterations;
    unsigned repetitions, warmup;
    size_t n_groups;
    int calibrated;       /* 1 when the empty region was subtracted */
    int pinned;           /* 1 the QoS class was set, 0 not asked; not done:
                             KPMC_E_UNSUPPORTED off macOS, KPMC_E_STATE when
                             macOS refused the QoS class */
    int core_types;       /* 1 when samples carry core types */
    size_t migrated;      /* recorded samples flagged migrated */
    size_t n_events;
    const kpmc_measured_event *events; /* the events in the caller's order, then
                                          the anchors not among them */
    size_t n_metrics;
    const kpmc_measured_metric *metrics; /* those whose inputs were counted */
    size_t n_samples;     /* repetitions * n_groups, in schedule order */
    const kpmc_sample *samples;
} kpmc_result;

typedef struct kpmc_measure kpmc_measure;

/* Build the groups of events (with opt->anchors) on the session's database
 * for what the session knows of its kernel (kpmc_session_kernel: the
 * counters it gives, whether its configurable counters count kernel mode)
 * and an event set for each; allocate everything a run needs.  opt NULL:
 * defaults.
 * Modes: on a kernel whose configurable counters count user mode only
 * (macOS 15 and later), a KPMC_MODE_ALL measurement that mixes fixed and
 * configurable events is counted wholly in user mode on configurable
 * counters, every group alike (Cycles as CORE_ACTIVE_CYCLE, Instructions as
 * INST_ALL; kpmc_plan_build_kernel), so that no two of its counts differ in
 * the modes they include.  When the session does not know yet, this call
 * finds out by starting and stopping a set of one of the configurable
 * events (kpmc_set_start reads the configuration back): it then needs the
 * counters as kpmc_set_start does.
 * On failure *out is NULL and kpmc_session_error(s) says why; errors as
 * kpmc_groups_build, kpmc_set_new and kpmc_set_start, and KPMC_E_INVAL for
 * bad options. */
KPMC_API int kpmc_measure_new(kpmc_session *s, kpmc_measure **out, const char *const *events, size_t n,
                     const kpmc_measure_options *opt);

/* The region loop:
 *
 *     int r;
 *     while ((r = kpmc_measure_next(m)) > 0)
 *         region();
 *
 * Returns 1 while the region must run once more, 0 when the run is complete
 * (kpmc_measure_result holds it), or a negative KPMC_E_* code when a kpc
 * call failed (kpmc_measure_error says which; the run is abandoned and its
 * sets stopped).  The first call of a run starts the sets and measures the
 * empty region before it returns.  A call after the end starts a new run.
 * Per sample, on the common path: one kpc_get_thread_counters() call into
 * the measurement's storage, a pointer increment and a comparison. */
KPMC_API int kpmc_measure_next(kpmc_measure *m);
/* The same for a callback: fn(arg) runs opt->iterations times per sample,
 * and the empty region is an empty function called the same way.  Returns 0
 * or a negative KPMC_E_* code. */
KPMC_API int kpmc_measure_run(kpmc_measure *m, void (*fn)(void *arg), void *arg);
/* The last complete run's result, valid until the next run starts or the
 * measurement is freed; NULL before the first. */
KPMC_API const kpmc_result *kpmc_measure_result(const kpmc_measure *m);
/* The groups measured, valid until the measurement is freed.  Unlike
 * kpmc_groups_build's, their plans are for the session's kernel and hold
 * the events counted; after a run, each is its set's plan as started in
 * that run (kpmc_set_plan after kpmc_set_start). */
KPMC_API const kpmc_groups *kpmc_measure_groups(const kpmc_measure *m);
/* Detail of the last failed run ("" if none). */
KPMC_API const char *kpmc_measure_error(const kpmc_measure *m);
/* Stops and frees its sets; NULL is allowed.  Before kpmc_close. */
KPMC_API void kpmc_measure_free(kpmc_measure *m);

/* An event of the result by the name it was given (case-insensitive) or
 * the database name of the event counted; NULL if none. */
KPMC_API const kpmc_measured_event *kpmc_result_event(const kpmc_result *r, const char *name);
/* A metric of the result by name; NULL when its inputs were not counted. */
KPMC_API const kpmc_measured_metric *kpmc_result_metric(const kpmc_result *r, const char *name);

/* ---- derived metrics ---- */

typedef struct kpmc_metric_info {
    size_t size;             /* sizeof(kpmc_metric_info), set by the caller
                                (<kpmc/catalog.h>) */
    const char *name;        /* "ipc", "branch-miss-ratio", "l1d-load-mpki", ... */
    const char *description;
    /* The inputs: event names tried in order, separated by '|'; each is
     * resolved on the measurement's database in its mode, and the first that
     * counts the same event as a measured event binds. */
    const char *numerator;
    const char *denominator;
    double scale;            /* value = scale * numerator / denominator */
} kpmc_metric_info;

/* The metrics kpmc derives (one table, runtime/metrics.def). */
KPMC_API size_t kpmc_metric_count(void);
/* KPMC_E_INVAL when i >= kpmc_metric_count() or out's size is too small. */
KPMC_API int kpmc_metric_at(size_t i, kpmc_metric_info *out);
/* Bind metric i to counted events: counted[0 .. n-1] are the events
 * counted, as indices of db, in `mode`; *numerator and *denominator get the
 * positions in counted[] of its inputs (each input's first name that counts
 * one of them).  1 when both bind, else 0 (also when the caller's headers
 * are another catalog's, <kpmc/catalog.h>: indices are ids).  Measurements
 * use it, and kpmc stat for the events it counted.
 * kpmc_metric_bind(...) calls kpmc_metric_bind_v(KPMC_CATALOG_DIGEST, ...). */
KPMC_API int kpmc_metric_bind_v(uint64_t catalog, size_t i, const kpmc_db *db, int mode, const unsigned *counted,
                                size_t n, size_t *numerator, size_t *denominator);
#define kpmc_metric_bind(...) kpmc_metric_bind_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)

/* ---- statistics ---- */

/* The statistics of v[0 .. n-1] as kpmc_stats gives them (v is reordered in
 * place; scratch holds n values).  n = 0: every field NaN but n.  0, or
 * KPMC_E_INVAL for an out whose size is too small.  No allocation.  Measurements use it, and kpmc stat over its runs. */
KPMC_API int kpmc_stats_of(double *v, size_t n, double *scratch, kpmc_stats *out);

/* ---- writing results ---- */

/* JSON: one object
 *   {"db","mode","iterations","repetitions","warmup","groups","calibrated",
 *    "pinned","core_types","migrated","events":[{"name","counted","counts",
 *    "anchor","group","n","min","median","mean","stddev","mad","overhead":
 *    {...same statistics...}}],"metrics":[{"name","description","numerator",
 *    "denominator","value"}]}
 * followed by a newline; numbers that are not finite are null.  "mode" is
 * the mode asked for; "counts" what the event counted: "all" (user and
 * kernel), "user" or "kernel" (kpmc_measured_event.counts).
 * CSV: a header line "kind,name,counted,counts,group,n,min,median,mean,
 * stddev,mad,overhead,value", one "event" line per event (overhead: the
 * median subtracted) and one "metric" line per metric (name, value; counted
 * holds "numerator/denominator"), RFC 4180 quoting.
 * Into a buffer: like snprintf, the output's length (without the NUL) is
 * returned whatever len is, and buf[0 .. len-1] holds as much of it as fits,
 * NUL-terminated when len > 0.  Into a FILE *: 0, or KPMC_E_IO when writing
 * failed.  KPMC_E_INVAL (FILE) or 0 (buffer) for a NULL result. */
KPMC_API size_t kpmc_result_json(const kpmc_result *r, char *buf, size_t len);
KPMC_API size_t kpmc_result_csv(const kpmc_result *r, char *buf, size_t len);
KPMC_API int kpmc_result_write_json(const kpmc_result *r, FILE *f);
KPMC_API int kpmc_result_write_csv(const kpmc_result *r, FILE *f);

#ifdef __cplusplus
}
#endif

#endif
