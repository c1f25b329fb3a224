/* Measurements: groups of events counted in turn, the caller's region and
 * an empty one repeated on a schedule, the statistics of the differences.
 *
 * Storage.  The schedule (measure.h) is a list of samples; consecutive
 * samples of one group and one region form a segment, and a segment of k
 * samples is k + 1 counter reads ("snapshots") stored one after the other,
 * each the raw kpc buffer of its group: the read that ends a sample starts
 * the next.  Everything is allocated by kpmc_measure_new; a run only writes.
 * kpmc_set_start may plan a set again (the kernel counts otherwise than the
 * session knew), so a snapshot has room for the most values any plan of
 * the database reads, and a run takes each group's buffer size, index map,
 * events counted and their modes from its set as started
 * (kpmc_set_plan, kpmc_set_event_modes after kpmc_set_start).
 *
 * The loop.  kpmc_measure_next reads into the current snapshot (the kpc
 * function called directly, as kpmc_set_read_raw does), records the core
 * type when asked, moves on, and returns 1 unless the segment is over; then
 * advance() starts the next segment (switching sets when the group
 * changes) or ends the run.  The empty region's segments are run by
 * advance() itself, in a loop of kpmc_measure_next like the caller's, before
 * it hands the caller the first sample of its region. */
#define _POSIX_C_SOURCE 200809L

#include <kpmc/measure.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ascii.h"
#include "cores.h"
#include "detail.h"
#include "groups.h"
#include "session_internal.h"

#define NONE ((size_t)-1)

/* Kept out of the loop's code: the segment switch, and failures. */
#if defined(__GNUC__)
#define NOINLINE_COLD __attribute__((noinline, cold))
#else
#define NOINLINE_COLD
#endif

enum region { EMPTY, CODE };

struct segment {
    size_t group;
    enum region region;
    size_t first; /* its first sample in m->slots */
    size_t count; /* samples */
    size_t snap;  /* its first snapshot's first value in m->snaps */
    size_t core;  /* its first snapshot in m->cores */
};

struct slot {
    size_t group;
    size_t rep; /* NONE: a warm-up sample */
};

/* Where a result event is counted. */
struct source {
    size_t anchor;    /* the anchor's position in every group, or NONE */
    size_t group;     /* else its group */
    size_t pos;       /* and its position in that group's plan */
    unsigned counted; /* the database's event counted */
};

struct kpmc_measure {
    /* The loop: kpmc_measure_next reads these first. */
    uint64_t *cur;          /* where the next read goes */
    uint64_t *end;          /* the end of the current segment's snapshots */
    kpmc_kpc_read_fn read;  /* the running set's kpc read */
    uint32_t nc;            /* values per read */
    kpmc_core_fn core_fn;   /* NULL: core types not recorded */
    void *core_arg;
    unsigned char *core_cur;

    /* The run. */
    size_t seg;             /* current segment; NONE between runs */
    int in_empty;           /* advance() runs the empty region's loop */
    void (*empty_fn)(void *); /* kpmc_measure_run: the empty function */
    void *empty_arg;
    size_t running;         /* group whose set counts, or NONE */
    struct kpmc_pin pin;
    int pinned;
    uint64_t scratch[1];    /* the idle read's target */

    kpmc_session *s;
    const kpmc_db *db;
    kpmc_measure_options opt;
    char *strings;          /* copies of the names */
    size_t n_groups;
    kpmc_groups *all_groups; /* what kpmc_measure_groups gives */
    struct kpmc_group *groups; /* all_groups->g */
    kpmc_set **sets;
    uint32_t stride;        /* room for the values of one read */
    unsigned char *started; /* the group's set was started in this run */
    unsigned *modes;        /* KPMC_COUNTS_* of each group's events as started,
                               KPMC_MAX_EVENTS a group */
    size_t n_segs;
    struct segment *segs;
    struct slot *slots;
    uint64_t *snaps;
    unsigned char *cores;

    /* The result. */
    int have_result;
    kpmc_result result;
    size_t n_events;
    kpmc_measured_event *events;
    struct source *src;
    kpmc_measured_metric *metrics;
    kpmc_sample *samples;
    double *values;          /* n_events x n_samples */
    double *work, *work2;    /* statistics scratch, n_samples each */
    char detail[KPMC_DETAIL_MAX];
};

void kpmc_measure_defaults(kpmc_measure_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->mode = KPMC_MODE_ALL;
    o->repetitions = 10;
    o->warmup = 1;
    o->iterations = 1;
    o->calibrate = 1;
    o->core_types = 1;
}

/* ---- the loop ---- */

static int read_nothing(uint32_t tid, uint32_t n, uint64_t *buf)
{
    (void)tid, (void)n, (void)buf;
    return 0;
}

/* Between runs: the next call of kpmc_measure_next reads nothing and
 * starts a run. */
static void idle(kpmc_measure *m)
{
    m->read = read_nothing;
    m->nc = 0;
    m->cur = m->end = m->scratch;
    m->core_fn = NULL;
    m->seg = NONE;
    m->in_empty = 0;
}

/* The measurement's detail := the sentence. */
#define say(m, ...) kpmc_detail_set((m)->detail, sizeof (m)->detail, __VA_ARGS__)

/* Stop the running group's set (m->running is left as it was). */
static int stop_group(kpmc_measure *m)
{
    int r = kpmc_set_stop(m->sets[m->running]);
    if (r != 0)
        say(m, "stopping group %zu: %s", m->running + 1, kpmc_session_error(m->s));
    return r;
}

/* Stop the running set, give the QoS class back, go idle. */
static int stop_run(kpmc_measure *m)
{
    int r = 0;
    if (m->running != NONE) {
        r = stop_group(m);
        m->running = NONE;
    }
    kpmc_cores_unpin(&m->pin);
    idle(m);
    return r;
}

static int abort_run(kpmc_measure *m, int code)
{
    char keep[sizeof m->detail];
    memcpy(keep, m->detail, sizeof keep);
    stop_run(m);
    memcpy(m->detail, keep, sizeof keep);
    return code;
}

NOINLINE_COLD static int read_failed(kpmc_measure *m, int err)
{
    char call[64];
    snprintf(call, sizeof call, "kpc_get_thread_counters(0, %u)", (unsigned)m->nc);
    kpmc_kpc_failure(m->detail, sizeof m->detail, call, err);
    if (err == EINVAL)
        kpmc_detail_add(m->detail, sizeof m->detail, "; run a measurement on one thread");
    return abort_run(m, KPMC_E_KPC);
}

NOINLINE_COLD static int advance(kpmc_measure *m);

/* m->cur is read again after the kpc call rather than kept across it: one
 * callee-saved register (m) instead of two, and no stack adjustment. */
int kpmc_measure_next(kpmc_measure *m)
{
    if (m->read(0, m->nc, m->cur) != 0)
        return read_failed(m, errno);
    if (m->core_fn)
        *m->core_cur++ = (unsigned char)m->core_fn(m->core_arg);
    uint64_t *p = m->cur + m->nc;
    m->cur = p;
    if (p == m->end)
        return advance(m);
    return 1;
}

/* The region loop of kpmc_measure_run and of the empty region. */
static int drive(kpmc_measure *m, void (*fn)(void *), void *arg)
{
    int r;
    if (!fn) {
        while ((r = kpmc_measure_next(m)) > 0) {
        }
        return r;
    }
    uint64_t n = m->opt.iterations;
    while ((r = kpmc_measure_next(m)) > 0)
        for (uint64_t i = 0; i < n; i++)
            fn(arg);
    return r;
}

static void empty(void *arg)
{
    (void)arg;
}

int kpmc_measure_run(kpmc_measure *m, void (*fn)(void *arg), void *arg)
{
    if (!m || !fn)
        return KPMC_E_INVAL;
    m->empty_fn = empty;
    m->empty_arg = arg;
    int r = drive(m, fn, arg);
    m->empty_fn = NULL;
    m->empty_arg = NULL;
    return r < 0 ? r : 0;
}

/* Group g's set was just started and reads nc values a read: take its plan
 * as started (the first start in a run; its n_counters are the values of
 * each of the group's snapshots), or check that it is the plan the run took
 * (a later one). */
static int plan_started(kpmc_measure *m, size_t g, uint32_t nc)
{
    kpmc_set *set = m->sets[g];
    const kpmc_plan *p = kpmc_set_plan(set);
    struct kpmc_group *gr = &m->groups[g];
    if (nc != p->n_counters || nc > m->stride || p->n_events != gr->n) {
        say(m, "group %zu reads %u values where its plan has %u (room for %u) and %u events where it has %zu",
            g + 1, (unsigned)nc, p->n_counters, (unsigned)m->stride, p->n_events, gr->n);
        return KPMC_E_STATE;
    }
    if (!m->started[g]) {
        gr->plan = *p;
        for (size_t i = 0; i < gr->n; i++) {
            int modes = kpmc_set_event_modes(set, i);
            m->modes[g * KPMC_MAX_EVENTS + i] = modes > 0 ? (unsigned)modes : 0u;
        }
        m->started[g] = 1;
        return 0;
    }
    for (size_t i = 0; i < gr->n; i++)
        if (p->events[i].index != gr->plan.events[i].index || p->events[i].resolved != gr->plan.events[i].resolved) {
            say(m,
                "group %zu was planned again between two of its starts in one run (the session learned more of "
                "the kernel); run the measurement again",
                g + 1);
            return KPMC_E_STATE;
        }
    return 0;
}

/* Program the segment's group if it is not counting, and take its first
 * snapshot. */
static int segment_begin(kpmc_measure *m, const struct segment *sg)
{
    if (sg->group != m->running) {
        if (m->running != NONE) {
            int r = stop_group(m);
            if (r != 0)
                return abort_run(m, r);
            m->running = NONE;
        }
        kpmc_set *set = m->sets[sg->group];
        int r = kpmc_set_start(set);
        if (r != 0) {
            say(m, "starting group %zu: %s", sg->group + 1, kpmc_session_error(m->s));
            return abort_run(m, r);
        }
        m->running = sg->group;
        uint32_t nc;
        kpmc_set_reader(set, &m->read, &nc);
        r = plan_started(m, sg->group, nc);
        if (r != 0)
            return abort_run(m, r);
        m->nc = nc;
    }
    uint64_t *p = m->snaps + sg->snap;
    m->end = p + (sg->count + 1) * m->nc;
    m->core_cur = m->cores + sg->core;
    if (m->read(0, m->nc, p) != 0)
        return read_failed(m, errno);
    if (m->core_fn)
        *m->core_cur++ = (unsigned char)m->core_fn(m->core_arg);
    m->cur = p + m->nc;
    return 1;
}

static void compute(kpmc_measure *m);

/* A run starts: pinning, the core type source, the schedule's start. */
static void run_begin(kpmc_measure *m)
{
    m->have_result = 0;
    m->detail[0] = '\0';
    m->running = NONE;
    m->pinned = m->opt.pin ? kpmc_cores_pin(m->opt.pin, &m->pin) : 0;
    if (m->opt.core_types) {
        m->core_fn = m->opt.core_type ? m->opt.core_type : kpmc_cores_source();
        m->core_arg = m->opt.core_type ? m->opt.core_arg : NULL;
    }
    memset(m->cores, 0, m->segs[m->n_segs - 1].core + m->segs[m->n_segs - 1].count + 1);
    memset(m->started, 0, m->n_groups);
    m->seg = 0;
}

NOINLINE_COLD static int advance(kpmc_measure *m)
{
    if (m->seg == NONE)
        run_begin(m);
    else
        m->seg++;
    if (m->seg == m->n_segs) {
        int core_types = m->core_fn != NULL;
        int r = stop_run(m);
        if (r != 0)
            return r;
        m->result.core_types = core_types;
        compute(m);
        return 0;
    }
    const struct segment *sg = &m->segs[m->seg];
    if (sg->region == CODE && m->in_empty)
        return 0; /* ends the empty region's loop; the caller's region starts below */
    if (sg->region == EMPTY && !m->in_empty) {
        m->in_empty = 1;
        int r = segment_begin(m, sg);
        if (r > 0)
            r = drive(m, m->empty_fn, m->empty_arg);
        if (r < 0)
            return r;
        m->in_empty = 0;
        sg = &m->segs[m->seg];
    }
    return segment_begin(m, sg);
}

/* ---- results ---- */

/* The difference of counter `index` over snapshot j of segment sg. */
static double delta(const kpmc_measure *m, const struct segment *sg, size_t j, size_t index)
{
    size_t nc = m->groups[sg->group].plan.n_counters;
    const uint64_t *before = m->snaps + sg->snap + j * nc;
    return (double)(before[nc + index] - before[index]);
}

/* Buffer position of result event e in the snapshots of segment sg, or
 * NONE when sg does not time `region` or its group does not count e. */
static size_t position(const kpmc_measure *m, size_t e, const struct segment *sg, enum region region)
{
    const struct source *src = &m->src[e];
    size_t g = sg->group;
    size_t pos = src->anchor != NONE ? src->anchor : src->group == g ? src->pos : NONE;
    return pos == NONE || sg->region != region ? NONE : m->groups[g].plan.events[pos].index;
}

/* What result event e counted in this run: the event and its modes, from
 * its group's set as started (an anchor's from the first group). */
static void counted_as_started(kpmc_measure *m, size_t e)
{
    struct source *src = &m->src[e];
    size_t g = src->anchor != NONE ? 0 : src->group, pos = src->anchor != NONE ? src->anchor : src->pos;
    src->counted = m->groups[g].plan.events[pos].resolved;
    m->events[e].counted = kpmc_event_name(m->db, src->counted);
    m->events[e].counts = m->modes[g * KPMC_MAX_EVENTS + pos];
}

static void compute(kpmc_measure *m)
{
    size_t n_samples = m->result.n_samples;
    size_t G = m->n_groups;
    m->result.migrated = 0;
    for (size_t e = 0; e < m->n_events; e++)
        counted_as_started(m, e);
    /* the samples */
    for (size_t k = 0; k < m->n_segs; k++) {
        const struct segment *sg = &m->segs[k];
        for (size_t j = 0; j < sg->count; j++) {
            const struct slot *sl = &m->slots[sg->first + j];
            if (sl->rep == NONE || sg->region != CODE)
                continue;
            kpmc_sample *x = &m->samples[sl->rep * G + sl->group];
            x->group = (unsigned)sl->group;
            x->rep = (unsigned)sl->rep;
            x->core_start = m->cores[sg->core + j];
            x->core_end = m->cores[sg->core + j + 1];
            x->migrated = x->core_start && x->core_end && x->core_start != x->core_end;
            m->result.migrated += (size_t)x->migrated;
        }
    }
    double iterations = (double)m->opt.iterations;
    for (size_t e = 0; e < m->n_events; e++) {
        kpmc_measured_event *ev = &m->events[e];
        /* the empty region */
        size_t n = 0;
        for (size_t k = 0; k < m->n_segs; k++) {
            const struct segment *sg = &m->segs[k];
            size_t index = position(m, e, sg, EMPTY);
            if (index == NONE)
                continue;
            for (size_t j = 0; j < sg->count; j++) {
                unsigned char a = m->cores[sg->core + j], b = m->cores[sg->core + j + 1];
                if (m->slots[sg->first + j].rep != NONE && !(a && b && a != b))
                    m->work[n++] = delta(m, sg, j, index);
            }
        }
        ev->overhead.size = sizeof ev->overhead;
        kpmc_stats_of(m->work, n, m->work2, &ev->overhead);
        if (!m->opt.calibrate) {
            memset(&ev->overhead, 0, sizeof ev->overhead);
            ev->overhead.size = sizeof ev->overhead;
        }
        double subtract = ev->overhead.n ? ev->overhead.median : 0;
        /* the caller's region */
        double *values = m->values + e * n_samples;
        for (size_t i = 0; i < n_samples; i++)
            values[i] = NAN;
        for (size_t k = 0; k < m->n_segs; k++) {
            const struct segment *sg = &m->segs[k];
            size_t index = position(m, e, sg, CODE);
            if (index == NONE)
                continue;
            for (size_t j = 0; j < sg->count; j++) {
                const struct slot *sl = &m->slots[sg->first + j];
                if (sl->rep != NONE)
                    values[sl->rep * G + sl->group] = (delta(m, sg, j, index) - subtract) / iterations;
            }
        }
        n = 0;
        for (size_t i = 0; i < n_samples; i++)
            if (!isnan(values[i]) && !m->samples[i].migrated)
                m->work[n++] = values[i];
        ev->stats.size = sizeof ev->stats;
        kpmc_stats_of(m->work, n, m->work2, &ev->stats);
    }
    /* derived metrics */
    unsigned counted[KPMC_GROUPS_MAX + KPMC_MAX_EVENTS];
    for (size_t e = 0; e < m->n_events; e++)
        counted[e] = m->src[e].counted;
    size_t n_metrics = 0;
    for (size_t i = 0; i < kpmc_metric_count(); i++) {
        size_t num, den;
        /* and only from counts of the same modes */
        if (!kpmc_metric_bind(i, m->db, m->opt.mode, counted, m->n_events, &num, &den) ||
            m->events[num].counts != m->events[den].counts)
            continue;
        kpmc_metric_info info = {.size = sizeof info};
        kpmc_metric_at(i, &info);
        kpmc_measured_metric *x = &m->metrics[n_metrics++];
        x->name = info.name;
        x->description = info.description;
        x->numerator = num;
        x->denominator = den;
        double a = m->events[num].stats.median, b = m->events[den].stats.median;
        x->value = b > 0 ? info.scale * a / b : NAN;
    }
    m->result.n_metrics = n_metrics;
    m->result.pinned = m->pinned;
    m->have_result = 1;
}

const kpmc_result *kpmc_measure_result(const kpmc_measure *m)
{
    return m && m->have_result ? &m->result : NULL;
}

const kpmc_groups *kpmc_measure_groups(const kpmc_measure *m)
{
    return m ? m->all_groups : NULL;
}

const char *kpmc_measure_error(const kpmc_measure *m)
{
    return m ? m->detail : "";
}

const kpmc_measured_event *kpmc_result_event(const kpmc_result *r, const char *name)
{
    if (!r || !name)
        return NULL;
    for (size_t e = 0; e < r->n_events; e++)
        if (!kpmc_ascii_casecmp(r->events[e].name, name) || !kpmc_ascii_casecmp(r->events[e].counted, name))
            return &r->events[e];
    /* The event the name counts; in a KPMC_MODE_ALL measurement, an event
     * counted in user mode only may also count it as a kernel whose
     * configurable counters count user mode only does (Cycles as
     * CORE_ACTIVE_CYCLE). */
    unsigned plain, user;
    int have_plain = kpmc_groups_resolve(r->db, name, r->mode, &plain, NULL, NULL, 0) == 0;
    kpmc_kernel user_only = {.size = sizeof user_only};
    memset(&user_only, 0, sizeof user_only);
    user_only.size = sizeof user_only;
    user_only.flags = user_only.known = KPMC_KERNEL_USER_ONLY;
    int have_user = r->mode == KPMC_MODE_ALL &&
                    kpmc_groups_resolve_kernel(r->db, &user_only, name, r->mode, 1, &user, NULL, NULL, 0) == 0;
    for (size_t e = 0; e < r->n_events; e++) {
        int counted = kpmc_event_find(r->db, r->events[e].counted);
        if ((have_plain && counted == (int)plain) ||
            (have_user && r->events[e].counts == KPMC_COUNTS_USER && counted == (int)user))
            return &r->events[e];
    }
    return NULL;
}

const kpmc_measured_metric *kpmc_result_metric(const kpmc_result *r, const char *name)
{
    if (!r || !name)
        return NULL;
    for (size_t i = 0; i < r->n_metrics; i++)
        if (!kpmc_ascii_casecmp(r->metrics[i].name, name))
            return &r->metrics[i];
    return NULL;
}

/* ---- creation ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int new_failed(kpmc_session *s, int code, const char *fmt, ...)
{
    kpmc_call_begin(s);
    if (s->db) { /* an inert session keeps kpmc_open's detail */
        struct kpmc_detail d = kpmc_detail_open(s->detail, sizeof s->detail, 0);
        va_list ap;
        va_start(ap, fmt);
        kpmc_detail_vput(&d, fmt, ap);
        va_end(ap);
    }
    return kpmc_call_end(s, code);
}

static int check_options(kpmc_session *s, const kpmc_measure_options *o)
{
    if (o->size < sizeof *o)
        return new_failed(s, KPMC_E_INVAL, "kpmc_measure_options.size is %zu; set it to sizeof(kpmc_measure_options) (%zu)",
                          o->size, sizeof *o);
    if (o->mode != KPMC_MODE_ALL && o->mode != KPMC_MODE_USER)
        return new_failed(s, KPMC_E_INVAL, "mode %d is neither KPMC_MODE_ALL nor KPMC_MODE_USER", o->mode);
    if (o->repetitions < 1 || o->iterations < 1)
        return new_failed(s, KPMC_E_INVAL, "%s must be at least 1", o->repetitions < 1 ? "repetitions" : "iterations");
    if (o->repetitions > (1u << 24) || o->warmup > (1u << 24))
        return new_failed(s, KPMC_E_INVAL, "%s is above %u", o->warmup > (1u << 24) ? "warmup" : "repetitions",
                          1u << 24);
    if (o->n_anchors && !o->anchors)
        return new_failed(s, KPMC_E_INVAL, "n_anchors is %zu but anchors is NULL", o->n_anchors);
    if (o->pin != 0 && o->pin != KPMC_CORE_PERFORMANCE && o->pin != KPMC_CORE_EFFICIENCY)
        return new_failed(s, KPMC_E_INVAL, "pin %d is none of 0, KPMC_CORE_PERFORMANCE and KPMC_CORE_EFFICIENCY",
                          o->pin);
    return 0;
}

/* Copies of the names, so that the caller's may go. */
static char *copy_names(const char *const *names, size_t n, const char **out, char *to)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]) + 1;
        memcpy(to, names[i], len);
        out[i] = to;
        to += len;
    }
    return to;
}

/* The schedule: slots, segments, snapshot offsets.  Returns the number of
 * snapshot values and cores. */
static void schedule(kpmc_measure *m, size_t *n_values, size_t *n_cores)
{
    size_t G = m->n_groups, R = m->opt.repetitions, W = m->opt.warmup, n = 0;
    for (int phase = m->opt.calibrate ? 0 : 1; phase < 2; phase++) {
        size_t start = n;
        for (size_t w = 0; w < W; w++)
            m->slots[n++] = (struct slot){0, NONE};
        for (size_t r = 0; r < R; r++)
            for (size_t g = 0; g < G; g++)
                m->slots[n++] = (struct slot){g, r};
        for (size_t i = start; i < n; i++) {
            struct segment *last = m->n_segs ? &m->segs[m->n_segs - 1] : NULL;
            if (last && last->group == m->slots[i].group && last->region == (enum region)phase) {
                last->count++;
                continue;
            }
            struct segment *sg = &m->segs[m->n_segs++];
            sg->group = m->slots[i].group;
            sg->region = (enum region)phase;
            sg->first = i;
            sg->count = 1;
        }
    }
    size_t values = 0, cores = 0;
    for (size_t k = 0; k < m->n_segs; k++) {
        m->segs[k].snap = values;
        m->segs[k].core = cores;
        values += (m->segs[k].count + 1) * m->stride;
        cores += m->segs[k].count + 1;
    }
    *n_values = values;
    *n_cores = cores;
}

/* The result's events: the caller's, then the anchors not among them, and
 * where each is counted (what it counted is taken from each run's sets:
 * counted_as_started). */
static void result_events(kpmc_measure *m, const char *const *names, size_t n, const char *const *anchors,
                          const size_t *anchor_of)
{
    size_t n_anchors = m->opt.n_anchors;
    int listed[KPMC_MAX_EVENTS] = {0};
    for (size_t i = 0; i < n + n_anchors; i++) {
        struct source src = {NONE, 0, 0, 0};
        const char *name;
        if (i < n) {
            name = names[i];
            if (anchor_of[i] != NONE) {
                src.anchor = anchor_of[i];
                listed[src.anchor] = 1;
            } else {
                for (size_t g = 0; g < m->n_groups; g++)
                    for (size_t p = n_anchors; p < m->groups[g].n; p++)
                        if (m->groups[g].input[p] == i) {
                            src.group = g;
                            src.pos = p;
                        }
            }
        } else {
            if (listed[i - n])
                continue;
            name = anchors[i - n];
            src.anchor = i - n;
        }
        kpmc_measured_event *ev = &m->events[m->n_events];
        ev->name = name;
        ev->anchor = src.anchor != NONE;
        ev->group = (unsigned)(src.anchor != NONE ? 0 : src.group);
        m->src[m->n_events++] = src;
    }
}

/* Start and stop a KPMC_MODE_ALL set of configurable event `event`, so
 * that the session learns from the configuration read back whether
 * configurable counters count kernel mode. */
static int learn_modes(kpmc_measure *m, unsigned event)
{
    kpmc_session *s = m->s;
    kpmc_set *set = NULL;
    int r = kpmc_set_new_db(s, &set, kpmc_db_id(m->db), &event, 1, KPMC_MODE_ALL);
    if (r == 0) {
        r = kpmc_set_start(set);
        if (r == 0)
            r = kpmc_set_stop(set);
    }
    kpmc_set_free(set);
    if (r != 0) {
        char why[KPMC_DETAIL_MAX];
        snprintf(why, sizeof why, "%s", kpmc_session_error(s));
        new_failed(s, r,
                   "finding out whether this kernel's configurable counters count kernel mode (%s counted alone): %s",
                   kpmc_event_name(m->db, event), why);
    }
    return r;
}

/* The groups for what the session knows of its kernel.  When they depend
 * on whether its configurable counters count kernel mode and the session
 * does not know yet, one set is started and stopped to find out, and the
 * groups are built again. */
static int partition(kpmc_measure *m, const char *const *names, size_t n, const char *const *anchors,
                     struct kpmc_groups_info *gi)
{
    kpmc_session *s = m->s;
    char detail[KPMC_DETAIL_MAX];
    for (int round = 0;; round++) {
        kpmc_kernel k = {.size = sizeof k};
        int r = kpmc_session_kernel(s, &k);
        if (r != 0)
            return r;
        r = kpmc_groups_partition(m->groups, n ? n : 1, m->db, &k, names, n, anchors, m->opt.n_anchors, m->opt.mode,
                                  gi, detail, sizeof detail);
        if (r < 0)
            return new_failed(s, r, "%s", detail);
        /* An unprivileged session counts no configurable event: nothing to
         * learn, and its sets say what needs root. */
        if (!gi->modes_unknown || round == 1 || kpmc_session_privileged(s) == 0)
            return r;
        r = learn_modes(m, gi->configurable);
        if (r != 0)
            return r;
    }
}

void kpmc_measure_free(kpmc_measure *m)
{
    if (!m)
        return;
    if (m->seg != NONE)
        stop_run(m);
    for (size_t g = 0; m->sets && g < m->n_groups; g++)
        kpmc_set_free(m->sets[g]);
    free(m->strings);
    kpmc_groups_free(m->all_groups);
    free(m->sets);
    free(m->started);
    free(m->modes);
    free(m->segs);
    free(m->slots);
    free(m->snaps);
    free(m->cores);
    free(m->events);
    free(m->src);
    free(m->metrics);
    free(m->samples);
    free(m->values);
    free(m->work);
    free(m->work2);
    free(m);
}

int kpmc_measure_new(kpmc_session *s, kpmc_measure **out, const char *const *events, size_t n,
                     const kpmc_measure_options *opt)
{
    if (!out)
        return KPMC_E_INVAL;
    *out = NULL;
    if (!s)
        return KPMC_E_INVAL;
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    if (opt) {
        int r = check_options(s, opt);
        if (r)
            return r;
        o = *opt;
        o.size = sizeof o;
    }
    const kpmc_db *db = kpmc_session_db(s);
    if (!db)
        return KPMC_E_STATE; /* an inert session: its detail says why */
    if (!events && n)
        return new_failed(s, KPMC_E_INVAL, "the event array is NULL");
    if (n > KPMC_GROUPS_MAX || o.n_anchors > KPMC_MAX_EVENTS)
        return new_failed(s, KPMC_E_TOOMANY, "%zu %s given; a measurement takes at most %d",
                          n > KPMC_GROUPS_MAX ? n : o.n_anchors, n > KPMC_GROUPS_MAX ? "events" : "anchors",
                          n > KPMC_GROUPS_MAX ? KPMC_GROUPS_MAX : KPMC_MAX_EVENTS);
    for (size_t i = 0; i < n + o.n_anchors; i++)
        if (!(i < n ? events[i] : o.anchors[i - n]))
            return new_failed(s, KPMC_E_INVAL, "%s %zu is NULL", i < n ? "event" : "anchor", i < n ? i + 1 : i - n + 1);

    kpmc_measure *m = calloc(1, sizeof *m);
    if (!m)
        return new_failed(s, KPMC_E_NOMEM, "out of memory for a measurement");
    m->s = s;
    m->db = db;
    m->opt = o;
    m->running = NONE;
    idle(m);
    int r = KPMC_E_NOMEM;

    /* names */
    size_t bytes = 1;
    for (size_t i = 0; i < n + o.n_anchors; i++)
        bytes += strlen(i < n ? events[i] : o.anchors[i - n]) + 1;
    const char *names[KPMC_GROUPS_MAX], *anchors[KPMC_MAX_EVENTS];
    m->strings = malloc(bytes);
    if (!m->strings)
        goto nomem;
    copy_names(o.anchors, o.n_anchors, anchors, copy_names(events, n, names, m->strings));
    m->opt.anchors = NULL;

    /* groups and their sets */
    m->all_groups = kpmc_groups_alloc(n ? n : 1);
    if (!m->all_groups)
        goto nomem;
    m->groups = m->all_groups->g;
    struct kpmc_groups_info gi;
    r = partition(m, names, n, anchors, &gi);
    if (r < 0)
        goto fail;
    m->n_groups = m->all_groups->n = (size_t)r;
    m->sets = calloc(m->n_groups, sizeof *m->sets);
    m->started = calloc(m->n_groups, 1);
    m->modes = calloc(m->n_groups * KPMC_MAX_EVENTS, sizeof *m->modes);
    if (!m->sets || !m->started || !m->modes)
        goto nomem;
    /* Each group's set counts the events its plan counts, in its plan's
     * mode (a fixed event the partition moved to a configurable counter
     * stays there, whatever else the group holds). */
    for (size_t g = 0; g < m->n_groups; g++) {
        const kpmc_plan *p = &m->groups[g].plan;
        unsigned ids[KPMC_MAX_EVENTS];
        for (unsigned i = 0; i < p->n_events; i++)
            ids[i] = p->events[i].resolved;
        r = kpmc_set_new_db(s, &m->sets[g], kpmc_db_id(db), ids, p->n_events, p->mode);
        if (r != 0)
            goto fail;
    }
    kpmc_db_info dinfo = {.size = sizeof dinfo};
    kpmc_db_get(db, &dinfo);
    m->stride = kpmc_popcount32(dinfo.fixed_counters) + kpmc_popcount32(dinfo.config_counters);

    /* the schedule and its storage */
    size_t G = m->n_groups, S = (size_t)o.repetitions * G;
    size_t slots = (o.calibrate ? 2 : 1) * ((size_t)o.warmup + S);
    /* the largest array: a snapshot of up to KPMC_MAX_EVENTS values per
     * sample and segment (where size_t is 32 bits, this can overflow) */
    if ((double)(2 * slots) * (KPMC_MAX_EVENTS * sizeof(uint64_t)) > (double)SIZE_MAX ||
        (double)S * (double)(n + o.n_anchors) * sizeof(double) > (double)SIZE_MAX)
        goto nomem;
    m->slots = malloc(slots * sizeof *m->slots);
    m->segs = calloc(slots, sizeof *m->segs);
    if (!m->slots || !m->segs)
        goto nomem;
    size_t n_values, n_cores;
    schedule(m, &n_values, &n_cores);
    m->snaps = malloc(n_values * sizeof *m->snaps);
    m->cores = calloc(n_cores, 1);

    /* the result */
    size_t n_events = n + o.n_anchors;
    m->events = calloc(n_events, sizeof *m->events);
    m->src = calloc(n_events, sizeof *m->src);
    m->metrics = calloc(kpmc_metric_count(), sizeof *m->metrics);
    m->samples = calloc(S, sizeof *m->samples);
    m->values = malloc(n_events * S * sizeof *m->values);
    m->work = malloc(S * sizeof *m->work);
    m->work2 = malloc(S * sizeof *m->work2);
    if (!m->snaps || !m->cores || !m->events || !m->src || !m->metrics || !m->samples || !m->values ||
        !m->work || !m->work2)
        goto nomem;
    result_events(m, names, n, anchors, gi.anchor_of);
    for (size_t e = 0; e < m->n_events; e++)
        m->events[e].values = m->values + e * S;
    kpmc_result *res = &m->result;
    res->db = db;
    res->mode = o.mode;
    res->iterations = o.iterations;
    res->repetitions = o.repetitions;
    res->warmup = o.warmup;
    res->n_groups = G;
    res->calibrated = o.calibrate != 0;
    res->n_events = m->n_events;
    res->events = m->events;
    res->metrics = m->metrics;
    res->n_samples = S;
    res->samples = m->samples;
    *out = m;
    return 0;

nomem:
    r = new_failed(s, KPMC_E_NOMEM, "out of memory for a measurement");
fail:
    kpmc_measure_free(m);
    return r;
}
