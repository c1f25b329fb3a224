/* Cross-check against Apple's kperfdata.framework (macOS, no root needed).
 *
 * kperfdata reads this Mac's kpep database and computes kpc configuration
 * words and counter maps (kpep_config_kpc, kpep_config_kpc_map); kpmc
 * computes the same from its catalog (kpmc_plan_build).  For every event of
 * the machine's database, in both modes, and for random sets of events, this
 * program builds both and compares, event by event:
 *  - the configuration word each side programs for the event;
 *  - the counter each side's map points at, read through the kernel's buffer
 *    layout for that side's classes (docs/kpc.md §3), which must
 *    be a counter the event may use;
 *  - unused configuration slots, which must be 0.
 * The two may choose different counters for an event (kpmc matches, kperfdata
 * takes the first free counter), so counters are not compared.
 *
 * Differences kpmc makes on purpose (docs/kpc.md §4, §5) are reported as
 * "deliberate" and do not fail the test:
 *  - Intel events with `other`: kpmc keeps CMASK, INV and EDGE and takes
 *    USR/OS from the mode and `other`; kperfdata ignores `other`;
 *  - user-only mode: kpmc replaces a fixed event (which counts the kernel
 *    too) by its fallback, or refuses it when it has none;
 *  - x86_64: kperfdata never uses a fixed counter (it takes the fallback or
 *    fails with 14); kpmc does;
 *  - a set that kpmc places but kperfdata's greedy allocation cannot (12).
 * Every other difference is reported with the event, the mode and both
 * words, and fails the test.
 *
 * The function types and struct layouts of kperfdata are declared here from
 * docs/kpc.md §5-§6.  Environment: KPMC_KPERFDATA_PATH loads another
 * kperfdata (this also lets the program run off macOS); KPMC_DB names the
 * database to compare with (default: this Mac's); KPMC_TEST_SEED and
 * KPMC_TEST_SETS control the random sets.
 *
 * Skips (77) when not on macOS (without KPMC_KPERFDATA_PATH) or when
 * kperfdata cannot be loaded.
 */
#include <kpmc/kpmc.h>

#include <dlfcn.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_view.h"
#include "sim/bits_ref.h"
#include "sim/kpep_event.h"

#define KPERFDATA_PATH "/System/Library/PrivateFrameworks/kperfdata.framework/kperfdata"
#define MAX_WORDS 32
#define MAX_COUNTERS 32
#define DEFAULT_SETS 2000
#define MAX_PRINTED_SET_DIFFS 60

/* ---- kperfdata's interface (docs/kpc.md §5-§6) ---- */

typedef struct kpep_db kpep_db;
typedef struct kpep_config kpep_config;
typedef struct kpep_event kpep_event;

/* kpep_event (sim/kpep_event.h) is read only when the stride of
 * kpep_db_events() confirms its size. */

typedef int (*kp_db_create_fn)(const char *name, kpep_db **db);
typedef void (*kp_db_free_fn)(kpep_db *db);
typedef int (*kp_db_event_fn)(kpep_db *db, const char *name, kpep_event **ev);
typedef int (*kp_db_events_count_fn)(kpep_db *db, size_t *count);
typedef int (*kp_db_events_fn)(kpep_db *db, kpep_event **buf, size_t bytes);
typedef int (*kp_config_create_fn)(kpep_db *db, kpep_config **cfg);
typedef void (*kp_config_free_fn)(kpep_config *cfg);
typedef int (*kp_config_force_counters_fn)(kpep_config *cfg);
typedef int (*kp_config_add_event_fn)(kpep_config *cfg, kpep_event **ev, uint32_t flag, uint32_t *err);
typedef int (*kp_config_kpc_classes_fn)(kpep_config *cfg, uint32_t *classes);
typedef int (*kp_config_kpc_count_fn)(kpep_config *cfg, size_t *count);
typedef int (*kp_config_kpc_fn)(kpep_config *cfg, uint64_t *buf, size_t bytes);
typedef int (*kp_config_kpc_map_fn)(kpep_config *cfg, size_t *buf, size_t bytes);

static struct {
    kp_db_create_fn db_create;
    kp_db_free_fn db_free;
    kp_db_event_fn db_event;
    kp_db_events_count_fn db_events_count;
    kp_db_events_fn db_events;
    kp_config_create_fn config_create;
    kp_config_free_fn config_free;
    kp_config_force_counters_fn config_force_counters;
    kp_config_add_event_fn config_add_event;
    kp_config_kpc_classes_fn config_kpc_classes;
    kp_config_kpc_count_fn config_kpc_count;
    kp_config_kpc_fn config_kpc;
    kp_config_kpc_map_fn config_kpc_map;
} kp;

#define KP_E_CONFLICT 12
#define KP_E_UNAVAILABLE 14

static const char *kp_strerror(int e)
{
    static const char *const msg[] = {
        "none", "invalid argument", "out of memory", "I/O", "buffer too small",
        "current system unknown", "database path invalid", "database not found",
        "database architecture unsupported", "database version unsupported", "database corrupt",
        "event not found", "conflicting events", "all counters must be forced",
        "event unavailable", "check errno"};
    return e >= 0 && (size_t)e < sizeof msg / sizeof msg[0] ? msg[e] : "unknown error";
}

static int load_symbol(void *h, const char *name, void *fn, size_t size)
{
    void *p = dlsym(h, name);
    if (!p) {
        printf("FAIL: kperfdata has no symbol %s\n", name);
        return -1;
    }
    /* Function pointers are data-pointer sized on every target kpmc has. */
    if (size != sizeof p)
        return -1;
    memcpy(fn, &p, size);
    return 0;
}

#define LOAD(h, sym, field) load_symbol(h, sym, &kp.field, sizeof kp.field)

static int load_kperfdata(void *h)
{
    return LOAD(h, "kpep_db_create", db_create) | LOAD(h, "kpep_db_free", db_free) |
           LOAD(h, "kpep_db_event", db_event) | LOAD(h, "kpep_db_events_count", db_events_count) |
           LOAD(h, "kpep_db_events", db_events) | LOAD(h, "kpep_config_create", config_create) |
           LOAD(h, "kpep_config_free", config_free) |
           LOAD(h, "kpep_config_force_counters", config_force_counters) |
           LOAD(h, "kpep_config_add_event", config_add_event) |
           LOAD(h, "kpep_config_kpc_classes", config_kpc_classes) |
           LOAD(h, "kpep_config_kpc_count", config_kpc_count) |
           LOAD(h, "kpep_config_kpc", config_kpc) | LOAD(h, "kpep_config_kpc_map", config_kpc_map);
}

/* ---- the database, as kpmc's catalog describes it ---- */

static const kpmc_db *db;
static kpmc_db_info dbi;
static kpmc_event_info *evi; /* dbi.n_events entries */
static kpep_event **kev;     /* kperfdata's event of the same name, or NULL */
static int is_x86;

/* Counters in the kernel's buffer order for `classes`, with every counter
 * forced: the fixed counters (if FIXED), then the configurable ones,
 * ascending (docs/kpc.md §3). */
static unsigned buffer_layout(uint32_t classes, unsigned *list)
{
    unsigned n = 0;
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        if ((classes & KPMC_CLASS_FIXED) && (dbi.fixed_counters >> c & 1))
            list[n++] = c;
    for (unsigned c = 0; c < MAX_COUNTERS; c++)
        if ((classes & KPMC_CLASS_CONFIGURABLE) && (dbi.config_counters >> c & 1))
            list[n++] = c;
    return n;
}

/* Index of configurable counter c in the config array for `classes`: on
 * x86_64 the FIXED class takes one (ignored) word first; on arm64 none. */
static unsigned config_slot(uint32_t classes, unsigned c)
{
    unsigned slot = is_x86 && (classes & KPMC_CLASS_FIXED) ? 1 : 0;
    return slot + popcount32(dbi.config_counters & ((1u << c) - 1));
}

/* Words kpc_set_config() takes for `classes` (docs/kpc.md §2-§3). */
static unsigned config_words(uint32_t classes)
{
    unsigned n = is_x86 && (classes & KPMC_CLASS_FIXED) ? 1 : 0;
    if (classes & KPMC_CLASS_CONFIGURABLE)
        n += popcount32(dbi.config_counters);
    return n;
}

static int is_fixed_event(unsigned e)
{
    return (evi[e].has & KPMC_HAS_FIXED_COUNTER) != 0;
}

static int counter_allowed(unsigned e, unsigned c)
{
    return c < MAX_COUNTERS && (evi[e].counters >> c & 1);
}

/* kpmc's word for an Intel event with `other` (docs/kpc.md §4): number,
 * umask, CMASK/INV/EDGE from `other`, USR/OS from the mode intersected with
 * `other`'s, EN. */
static uint64_t intel_other_word(unsigned e, int mode)
{
    uint64_t w = (evi[e].number & 0xFFu) | (uint64_t)(evi[e].umask & 0xFFu) << 8;
    w |= (uint64_t)(evi[e].other & 0xFF84u) << 16;
    if (evi[e].other & 1u)
        w |= 0x10000;
    if (mode == KPMC_MODE_ALL && (evi[e].other & 2u))
        w |= 0x20000;
    return w | 0x400000;
}

/* ---- one side's result for a set ---- */

typedef struct placed {
    unsigned counter;
    int fixed;
    unsigned resolved; /* the event programmed */
    uint64_t word;     /* 0 on a fixed counter */
} placed;

typedef struct outcome {
    int err;         /* kpep error (kperfdata) or KPMC_E_* (kpmc); 0 = built */
    unsigned failed; /* kperfdata: position in the set of the event it refused */
    uint32_t classes;
    unsigned n_config;
    uint64_t config[MAX_WORDS];
    placed ev[KPMC_MAX_EVENTS];
    char detail[KPMC_DETAIL_MAX];
} outcome;

static const char *mode_name(int mode)
{
    return mode == KPMC_MODE_USER ? "user" : "all";
}

/* Problems found in one comparison; printed with the set once it is done. */
typedef struct report {
    char text[16384];
    size_t len;
    unsigned diffs;      /* failures */
    unsigned deliberate; /* documented differences */
} report;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void note(report *r, const char *fmt, ...)
{
    static const char more[] = "(more differences not shown)\n";
    size_t room = sizeof r->text - sizeof more - r->len;
    if (r->len + sizeof more > sizeof r->text)
        return; /* the marker is already there */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->text + r->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < room) {
        r->len += (size_t)n;
        return;
    }
    memcpy(r->text + r->len, more, sizeof more);
    r->len = sizeof r->text;
}

/* ---- building a set on each side ---- */

static kpep_db *kdb;

/* kperfdata: config, force, add each event, read back classes, words and
 * map.  The counter of event i is the map's buffer position read through
 * the kernel's layout for the classes; its word the config slot of that
 * counter. */
static void build_kperfdata(const unsigned *set, unsigned n, int mode, outcome *o)
{
    memset(o, 0, sizeof *o);
    kpep_config *cfg = NULL;
    if ((o->err = kp.config_create(kdb, &cfg)) != 0)
        return;
    if ((o->err = kp.config_force_counters(cfg)) != 0)
        goto done;
    for (unsigned i = 0; i < n; i++) {
        uint32_t conflicts = 0;
        if (!kev[set[i]]) {
            o->err = 11; /* event not found */
            o->failed = i;
            goto done;
        }
        o->err = kp.config_add_event(cfg, &kev[set[i]], mode == KPMC_MODE_USER ? 1u : 0u, &conflicts);
        if (o->err) {
            o->failed = i;
            goto done;
        }
    }
    size_t count = 0, map[KPMC_MAX_EVENTS];
    if ((o->err = kp.config_kpc_classes(cfg, &o->classes)) || (o->err = kp.config_kpc_count(cfg, &count)))
        goto done;
    if (count > MAX_WORDS) {
        o->err = 4;
        goto done;
    }
    o->n_config = (unsigned)count;
    if ((o->err = kp.config_kpc(cfg, o->config, count * sizeof o->config[0])) ||
        (o->err = kp.config_kpc_map(cfg, map, n * sizeof map[0])))
        goto done;
    unsigned layout[2 * MAX_COUNTERS];
    unsigned n_layout = buffer_layout(o->classes, layout);
    for (unsigned i = 0; i < n; i++) {
        placed *p = &o->ev[i];
        if (map[i] >= n_layout) {
            o->err = -1000; /* a map entry outside the buffer */
            o->failed = i;
            goto done;
        }
        p->counter = layout[map[i]];
        p->fixed = (dbi.fixed_counters >> p->counter & 1) != 0;
        /* kperfdata replaces a fixed event by its fallback only on x86_64. */
        p->resolved = is_fixed_event(set[i]) && !p->fixed && evi[set[i]].fallback_index >= 0
                          ? (unsigned)evi[set[i]].fallback_index
                          : set[i];
        unsigned slot = config_slot(o->classes, p->counter);
        p->word = p->fixed || slot >= o->n_config ? 0 : o->config[slot];
    }
done:
    kp.config_free(cfg);
}

static void build_kpmc(const unsigned *set, unsigned n, int mode, outcome *o)
{
    memset(o, 0, sizeof *o);
    struct plan_view plan;
    o->err = view_build(&plan, db, NULL, set, n, mode, o->detail, sizeof o->detail);
    if (o->err)
        return;
    o->classes = plan.classes;
    o->n_config = plan.n_config;
    memcpy(o->config, plan.config, plan.n_config * sizeof plan.config[0]);
    for (unsigned i = 0; i < n; i++) {
        o->ev[i].counter = plan.events[i].counter;
        o->ev[i].fixed = (int)plan.events[i].fixed;
        o->ev[i].resolved = plan.events[i].resolved;
        o->ev[i].word = plan.events[i].config;
    }
}

/* Does kpmc refuse this set for a reason it documents?  Fixed events that
 * kpmc does not put on their fixed counter (user mode, or flagged
 * inconsistent by the catalog) are refused when they have no fallback, and
 * otherwise take a configurable counter through their fallback, where the
 * set may no longer fit; two events may then program the same fallback. */
static int kpmc_refusal_is_deliberate(const unsigned *set, unsigned n, int mode, const outcome *k)
{
    if (k->err == KPMC_E_UNAVAILABLE || k->err == KPMC_E_NOFIT) {
        for (unsigned i = 0; i < n; i++)
            if (is_fixed_event(set[i]) && (mode == KPMC_MODE_USER || evi[set[i]].flags))
                return 1;
        return 0;
    }
    if (k->err == KPMC_E_DUPLICATE)
        return mode == KPMC_MODE_USER || is_x86;
    return 0;
}

static void set_text(const unsigned *set, unsigned n, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n && at + 1 < len; i++) {
        int w = snprintf(buf + at, len - at, "%s%s", i ? ", " : "", evi[set[i]].name);
        if (w < 0)
            break;
        at += (size_t)w < len - at ? (size_t)w : len - at - 1;
    }
}

/* Documented differences: counted, and shown for single events. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void deliberate(report *r, unsigned n, const char *fmt, ...)
{
    r->deliberate++;
    if (n != 1)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    note(r, "deliberate: %s", line);
}

/* The words both sides program for the same event. */
static void compare_words(unsigned e, int mode, uint64_t ours, uint64_t theirs, const char *names,
                          unsigned n, report *r)
{
    if (ours == theirs)
        return;
    if (is_x86 && (evi[e].has & KPMC_HAS_OTHER) && ours == intel_other_word(e, mode) &&
        (ours & 0xFFFF) == (theirs & 0xFFFF)) {
        deliberate(r, n, "[%s] {%s}: %s: Intel `other` 0x%x kept: kpmc word 0x%" PRIx64
                         ", kperfdata word 0x%" PRIx64 "\n",
                   mode_name(mode), names, evi[e].name, evi[e].other, ours, theirs);
        return;
    }
    r->diffs++;
    note(r, "DIFF [%s] {%s}: %s: kpmc word 0x%" PRIx64 ", kperfdata word 0x%" PRIx64 "%s\n", mode_name(mode),
         names, evi[e].name, ours, theirs,
         !is_x86 && mode == KPMC_MODE_USER && (ours ^ theirs) == 0x10000
             ? " -- they differ only in EL0A32EN (0x10000): this settles docs/kpc.md §10 item 2 "
               "(user mode 0x30000 or 0x20000); change kpmc's arm64 user-mode bits in "
               "runtime/encode.c and docs/kpc.md §4 to match kperfdata"
             : "");
}

/* One side counts event e on its fixed counter, the other through e's
 * fallback.  Documented: kpmc takes the fallback in user-only mode (the fixed
 * counters count the kernel too) and for fixed events the catalog flags;
 * kperfdata takes it on x86_64, where it never uses a fixed counter.  The
 * fallback's word is then checked against the other side programming the
 * fallback alone. */
static void fixed_or_fallback(unsigned e, int mode, const placed *a, const placed *b, const char *names,
                              unsigned n, report *r)
{
    int fb = evi[e].fallback_index;
    if (fb >= 0 && b->fixed && !a->fixed && a->resolved == (unsigned)fb &&
        (mode == KPMC_MODE_USER || evi[e].flags)) {
        outcome alone;
        unsigned f = (unsigned)fb;
        build_kperfdata(&f, 1, mode, &alone);
        deliberate(r, n, "[%s] {%s}: kpmc counts %s's fallback %s on counter %u, kperfdata fixed counter %u\n",
                   mode_name(mode), names, evi[e].name, evi[f].name, a->counter, b->counter);
        if (!alone.err && !alone.ev[0].fixed)
            compare_words(f, mode, a->word, alone.ev[0].word, names, n, r);
        return;
    }
    if (fb >= 0 && a->fixed && !b->fixed && b->resolved == (unsigned)fb && is_x86) {
        outcome alone;
        unsigned f = (unsigned)fb;
        build_kpmc(&f, 1, mode, &alone);
        deliberate(r, n, "[%s] {%s}: kpmc counts %s on fixed counter %u, kperfdata its fallback %s on counter %u\n",
                   mode_name(mode), names, evi[e].name, a->counter, evi[f].name, b->counter);
        if (!alone.err && !alone.ev[0].fixed)
            compare_words(f, mode, alone.ev[0].word, b->word, names, n, r);
        return;
    }
    r->diffs++;
    note(r, "DIFF [%s] {%s}: %s: kpmc programs %s on %s counter %u (word 0x%" PRIx64 "), kperfdata %s on %s "
            "counter %u (word 0x%" PRIx64 ")\n",
         mode_name(mode), names, evi[e].name, evi[a->resolved].name, a->fixed ? "fixed" : "configurable",
         a->counter, a->word, evi[b->resolved].name, b->fixed ? "fixed" : "configurable", b->counter, b->word);
}

/* Compare one set in one mode; differences go to r. */
static void compare(const unsigned *set, unsigned n, int mode, report *r)
{
    outcome k, p;
    build_kpmc(set, n, mode, &k);
    build_kperfdata(set, n, mode, &p);
    char names[512];
    set_text(set, n, names, sizeof names);
    if (k.err && p.err)
        return; /* neither places it */
    if (k.err) {
        if (kpmc_refusal_is_deliberate(set, n, mode, &k)) {
            deliberate(r, n, "[%s] {%s}: kpmc refuses (%s), kperfdata places it: %s\n", mode_name(mode),
                       names, kpmc_strerror(k.err), k.detail);
            return;
        }
        r->diffs++;
        note(r, "DIFF [%s] {%s}: kperfdata places it, kpmc refuses: %s (%s)\n", mode_name(mode), names,
             kpmc_strerror(k.err), k.detail);
        return;
    }
    if (p.err) {
        /* 12 on a set: first-free allocation without backtracking; 14 on
         * x86_64: a fixed event without fallback, which kpmc counts on its
         * fixed counter. */
        if ((p.err == KP_E_CONFLICT && n > 1) ||
            (p.err == KP_E_UNAVAILABLE && is_x86 && p.failed < n && k.ev[p.failed].fixed)) {
            deliberate(r, n, "[%s] {%s}: kperfdata refuses %s (%s), kpmc places it\n", mode_name(mode),
                       names, p.failed < n ? evi[set[p.failed]].name : "?", kp_strerror(p.err));
            return;
        }
        r->diffs++;
        note(r, "DIFF [%s] {%s}: kpmc places it, kperfdata refuses %s: %s (%d)\n", mode_name(mode), names,
             p.failed < n ? evi[set[p.failed]].name : "?", kp_strerror(p.err), p.err);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        const placed *a = &k.ev[i], *b = &p.ev[i];
        const char *name = evi[set[i]].name;
        if (!counter_allowed(a->resolved, a->counter) ||
            (a->fixed && evi[a->resolved].fixed_counter != a->counter)) {
            r->diffs++;
            note(r, "DIFF [%s] {%s}: kpmc puts %s on counter %u, which it may not use\n", mode_name(mode), names,
                 evi[a->resolved].name, a->counter);
        }
        if (!counter_allowed(b->resolved, b->counter) && !b->fixed) {
            r->diffs++;
            note(r, "DIFF [%s] {%s}: kperfdata's map puts %s on counter %u, which it may not use\n",
                 mode_name(mode), names, evi[b->resolved].name, b->counter);
        }
        if (a->fixed && b->fixed && a->resolved == b->resolved) {
            if (a->counter != b->counter) {
                r->diffs++;
                note(r, "DIFF [%s] {%s}: %s: fixed counter %u in kpmc, %u in kperfdata\n", mode_name(mode),
                     names, name, a->counter, b->counter);
            }
            continue;
        }
        if (a->fixed != b->fixed || a->resolved != b->resolved) {
            fixed_or_fallback(set[i], mode, a, b, names, n, r);
            continue;
        }
        compare_words(a->resolved, mode, a->word, b->word, names, n, r);
    }
    /* Configuration slots that hold no event must be 0 on both sides. */
    uint64_t used_k[MAX_WORDS] = {0}, used_p[MAX_WORDS] = {0};
    for (unsigned i = 0; i < n; i++) {
        if (!k.ev[i].fixed)
            used_k[config_slot(k.classes, k.ev[i].counter)] = 1;
        if (!p.ev[i].fixed)
            used_p[config_slot(p.classes, p.ev[i].counter)] = 1;
    }
    for (unsigned s = 0; s < k.n_config && s < MAX_WORDS; s++)
        if (!used_k[s] && k.config[s]) {
            r->diffs++;
            note(r, "DIFF [%s] {%s}: kpmc's unused config word %u is 0x%" PRIx64 "\n", mode_name(mode), names, s,
                 k.config[s]);
        }
    for (unsigned s = 0; s < p.n_config && s < MAX_WORDS; s++)
        if (!used_p[s] && p.config[s]) {
            r->diffs++;
            note(r, "DIFF [%s] {%s}: kperfdata's unused config word %u is 0x%" PRIx64 "\n", mode_name(mode), names,
                 s, p.config[s]);
        }
    if (k.n_config != config_words(k.classes)) {
        r->diffs++;
        note(r, "DIFF [%s] {%s}: kpmc gives %u config words for classes 0x%x, the kernel takes %u\n",
             mode_name(mode), names, k.n_config, (unsigned)k.classes, config_words(k.classes));
    }
}

/* ---- setup ---- */

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return (x > y) - (x < y);
}

/* 1 when kperfdata's event records are 56 bytes apart (docs/kpc.md §6). */
static int stride_is_56(void)
{
    size_t count = 0;
    if (kp.db_events_count(kdb, &count) || count < 2)
        return 0;
    kpep_event **all = calloc(count, sizeof *all);
    if (!all)
        return 0;
    int ok = 0;
    if (!kp.db_events(kdb, all, count * sizeof *all)) {
        qsort(all, count, sizeof *all, cmp_ptr);
        uintptr_t gap = UINTPTR_MAX;
        for (size_t i = 1; i < count; i++) {
            uintptr_t g = (uintptr_t)all[i] - (uintptr_t)all[i - 1];
            if (g && g < gap)
                gap = g;
        }
        ok = gap == 56;
    }
    free(all);
    return ok;
}

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

int main(void)
{
    const char *path = getenv("KPMC_KPERFDATA_PATH");
#if !defined(__APPLE__)
    if (!path || !*path) {
        puts("skipped: needs macOS (compares with kperfdata.framework)");
        return 77;
    }
#endif
    if (!path || !*path)
        path = KPERFDATA_PATH;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("skipped: cannot load %s: %s\n", path, dlerror());
        return 77;
    }
    if (load_kperfdata(h)) {
        dlclose(h);
        return 1;
    }
    int rc = kp.db_create(NULL, &kdb);
    if (rc || !kdb) {
        printf("skipped: kperfdata has no database for this machine: %s (%d)\n", kp_strerror(rc), rc);
        dlclose(h);
        return 77;
    }
    const char *name = getenv("KPMC_DB");
    db = name && *name ? kpmc_db_find(name) : kpmc_host_db();
    if (!db) {
        printf("FAIL: kpmc's catalog has no database for this machine (%s); rebuild kpmc on it so that the "
               "catalog is generated from /usr/share/kpep\n",
               name && *name ? name : "host");
        kp.db_free(kdb);
        dlclose(h);
        return 1;
    }
    /* The comparison goes through kperfdata's functions only; the event
     * records are read (to compare the catalog's data) only when their
     * layout is the one docs/kpc.md §6 describes. */
    int layout_ok = stride_is_56();
    if (!layout_ok)
        puts("note: kperfdata's kpep_event is not the 56-byte record docs/kpc.md §6 describes; "
             "selectors and masks are not compared");
    dbi.size = sizeof dbi;
    kpmc_db_get(db, &dbi);
    is_x86 = dbi.arch == KPMC_ARCH_X86_64;
    evi = calloc(dbi.n_events + 1, sizeof *evi);
    kev = calloc(dbi.n_events + 1, sizeof *kev);
    if (!evi || !kev)
        return 1;
    unsigned missing = 0, stale = 0;
    size_t their_count = 0;
    if (kp.db_events_count(kdb, &their_count) == 0 && their_count != dbi.n_events) {
        printf("DIFF: kperfdata's database has %zu events, kpmc's %s %zu\n", their_count, dbi.name,
               dbi.n_events);
        stale++;
    }
    for (unsigned e = 0; e < dbi.n_events; e++) {
        evi[e].size = sizeof evi[e];
        kpmc_event_get(db, e, &evi[e]);
        if (kp.db_event(kdb, evi[e].name, &kev[e]) || !kev[e]) {
            kev[e] = NULL;
            printf("DIFF: kperfdata's database has no event %s\n", evi[e].name);
            missing++;
            continue;
        }
        struct kpep_event v;
        if (!layout_ok)
            continue;
        memcpy(&v, (const void *)kev[e], sizeof v);
        if ((evi[e].has & KPMC_HAS_NUMBER) && v.number != evi[e].number) {
            printf("DIFF: %s: selector 0x%x in kpmc's catalog, 0x%x in kperfdata's database\n", evi[e].name,
                   evi[e].number, (unsigned)v.number);
            stale++;
        }
        if (!is_fixed_event(e) && v.mask != evi[e].counters) {
            printf("DIFF: %s: counters 0x%" PRIx32 " in kpmc's catalog, 0x%" PRIx32 " in kperfdata's database\n",
                   evi[e].name, evi[e].counters, v.mask);
            stale++;
        }
    }
    if (missing || stale)
        printf("kpmc's %s is not this machine's kpep database: on a Mac, build kpmc with "
               "-DKPMC_KPEP_DIR=/usr/share/kpep (the default) so that the catalog is generated from it\n",
               dbi.name);
    printf("database %s (%s): %zu events\n", dbi.name, dbi.marketing_name, dbi.n_events);

    report r;
    memset(&r, 0, sizeof r);
    unsigned diffs = missing + stale, deliberate = 0, sets = 0;
    static const int modes[] = {KPMC_MODE_ALL, KPMC_MODE_USER};
    for (int m = 0; m < 2; m++)
        for (unsigned e = 0; e < dbi.n_events; e++) {
            if (!kev[e])
                continue;
            compare(&e, 1, modes[m], &r);
            sets++;
        }
    const char *seed_env = getenv("KPMC_TEST_SEED"), *sets_env = getenv("KPMC_TEST_SETS");
    rng_state = seed_env && *seed_env ? strtoull(seed_env, NULL, 0) : 20241;
    if (!rng_state)
        rng_state = 1;
    unsigned n_sets = sets_env && *sets_env ? (unsigned)strtoul(sets_env, NULL, 0) : DEFAULT_SETS;
    printf("random sets: seed %" PRIu64 ", %u per mode\n", rng_state, n_sets);
    unsigned max_n = popcount32(dbi.fixed_counters | dbi.config_counters);
    if (max_n > KPMC_MAX_EVENTS)
        max_n = KPMC_MAX_EVENTS;
    for (int m = 0; m < 2; m++)
        for (unsigned s = 0; s < n_sets; s++) {
            unsigned set[KPMC_MAX_EVENTS], n = 2 + (unsigned)(rng() % (max_n - 1));
            for (unsigned i = 0; i < n; i++) {
                unsigned e;
                int again;
                do { /* distinct events that kperfdata knows */
                    e = (unsigned)(rng() % dbi.n_events);
                    again = !kev[e];
                    for (unsigned j = 0; j < i; j++)
                        again |= set[j] == e;
                } while (again);
                set[i] = e;
            }
            compare(set, n, modes[m], &r);
            sets++;
            if (r.diffs > MAX_PRINTED_SET_DIFFS)
                break;
        }
    fputs(r.text, stdout);
    diffs += r.diffs;
    deliberate += r.deliberate;
    printf("%u comparisons: %u differences, %u deliberate differences (docs/kpc.md §4-§5)\n", sets, diffs,
           deliberate);
    free(evi);
    free(kev);
    kp.db_free(kdb);
    dlclose(h);
    if (diffs) {
        puts("FAIL");
        return 1;
    }
    puts("ok");
    return 0;
}
