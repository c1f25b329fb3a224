/* Plans: resolve a set of events, place it on the counters of a database
 * (all counters forced) and encode it for kpc.  Pure computation on the
 * static catalog: no kernel, no allocation, no global state.
 *
 * Rules (docs/kpc.md §2-§5):
 *  - A fixed event goes on its fixed counter, the lowest of its `counters`
 *    (kpmc_event_info: ctz(counters_mask) when the database gives a mask,
 *    as kperfdata reads it, else fixed_counter).  It is
 *    replaced by its fallback, a configurable event, when the fixed counter
 *    cannot count it as asked: in user-only mode (fixed counters always
 *    count every ring on x86_64, and EL0 and EL1 on arm64) and when the
 *    catalog flags the event as inconsistent (KPMC_EVF_*).  Without a usable
 *    fallback the event is refused with KPMC_E_UNAVAILABLE.
 *  - Configurable events may use the configurable counters of their
 *    `counters` mask; they are placed by maximum bipartite matching
 *    (alloc.c), together with the fixed ones, so that every set that fits is
 *    placed and two events on one fixed counter are reported like any other
 *    conflict.
 *  - Words, the config array and the buffer index map follow §3 and §4.
 *  - For a kernel (kpmc_kernel): configurable events go only on the
 *    counters it gives; on one whose configurable counters count user mode
 *    only, a KPMC_MODE_ALL set mixing fixed and configurable events counts
 *    every event in user mode on configurable counters (a fixed event
 *    through its configurable equivalent); on one that keeps only event,
 *    umask and USR/OS of an x86_64 word, events needing CMASK, INV or EDGE
 *    are refused.
 */
#include <kpmc/kpmc.h>

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ascii.h"
#include "detail.h"
#include "digest.h"
#include "encode.h"
#include "outstruct.h"
#include "plan.h"

/* One event of the set while the plan is built. */
struct item {
    const char *given;    /* the caller's spelling (names only), else NULL */
    const char *name;     /* the database's name of `requested` */
    const char *resolved_name;
    unsigned requested, resolved;
    uint32_t allowed;     /* counters it may use */
    int fixed;
    uint64_t config;
    unsigned counts;      /* KPMC_COUNTS_* */
};

struct ctx {
    const kpmc_db *db;
    kpmc_db_info info;
    int mode;
    unsigned kflags;  /* KPMC_KERNEL_* of the kernel planned for */
    uint32_t conf;    /* the configurable counters the kernel gives */
    int to_conf;      /* fixed events go to configurable equivalents, and
                         every word counts user mode (user-only kernel) */
    size_t n;
    struct item it[KPMC_MAX_EVENTS];
    struct kpmc_detail d;
};

/* How messages name event i: its name as given, the database's name when
 * the caller used an alias, and the event actually counted. */
static void put_item(struct ctx *x, size_t i)
{
    const struct item *e = &x->it[i];
    int alias = e->given && kpmc_ascii_casecmp(e->given, e->name);
    kpmc_detail_put(&x->d, "%s", alias ? e->given : e->name);
    if (alias && e->resolved != e->requested)
        kpmc_detail_put(&x->d, " (%s, counted as %s)", e->name, e->resolved_name);
    else if (alias)
        kpmc_detail_put(&x->d, " (%s)", e->name);
    else if (e->resolved != e->requested)
        kpmc_detail_put(&x->d, " (counted as %s)", e->resolved_name);
}

/* "counter 7", "counters 5-7", "counters 2-4,8,9", "fixed counter 0". */
static void put_counters(struct ctx *x, uint32_t mask)
{
    int fixed = (mask & ~x->info.fixed_counters) == 0;
    char list[KPMC_COUNTER_LIST_LEN];
    kpmc_counter_list(mask, list);
    kpmc_detail_put(&x->d, "%scounter%s %s", fixed ? "fixed " : "", kpmc_popcount32(mask) > 1 ? "s" : "", list);
}

/* The events of `set` (bits over positions) as "A", "A and B", "A, B and C". */
static void put_items(struct ctx *x, uint32_t set)
{
    unsigned total = kpmc_popcount32(set), k = 0;
    for (; set; set &= set - 1, k++) {
        if (k)
            kpmc_detail_put(&x->d, k + 1 == total ? " and " : ", ");
        put_item(x, kpmc_ctz32(set));
    }
}

/* ---- building ---- */

/* Why a fixed event cannot go on its fixed counter. */
enum fixed_problem { FIXED_OK, FIXED_OUTSIDE, FIXED_SHARED, FIXED_MASK, FIXED_USER, FIXED_MIX };

/* Configurable equivalents of fixed events that have no fallback in the
 * databases, used where every event of a set must count user mode only on
 * a configurable counter. */
static const struct {
    const char *fixed, *equivalent;
} equivalents[] = {{"FIXED_CYCLES", "CORE_ACTIVE_CYCLE"}};

/* The database's configurable equivalent of fixed event e, or -1. */
static int equivalent(const struct ctx *x, const kpmc_event_info *e)
{
    for (size_t i = 0; i < sizeof equivalents / sizeof equivalents[0]; i++)
        if (!strcmp(e->name, equivalents[i].fixed))
            return kpmc_event_find(x->db, equivalents[i].equivalent);
    return -1;
}

static enum fixed_problem fixed_problem(const struct ctx *x, const kpmc_event_info *e, unsigned c)
{
    if ((e->flags & KPMC_EVF_FIXED_OUTSIDE) || c >= 32 || !(x->info.fixed_counters >> c & 1u))
        return FIXED_OUTSIDE;
    if (e->flags & KPMC_EVF_FIXED_SHARED)
        return FIXED_SHARED;
    if (e->flags & KPMC_EVF_FIXED_MASK)
        return FIXED_MASK;
    if (x->mode == KPMC_MODE_USER)
        return FIXED_USER;
    if (x->to_conf)
        return FIXED_MIX;
    return FIXED_OK;
}

/* Event i cannot use its fixed counter c and has no fallback. */
static int refuse_fixed(struct ctx *x, size_t i, const kpmc_event_info *e, unsigned c, enum fixed_problem why)
{
    put_item(x, i);
    if (why == FIXED_USER) {
        if (x->info.arch == KPMC_ARCH_ARM64)
            kpmc_detail_put(
                &x->d, " counts only on fixed counter %u, which always counts user and kernel mode (EL0 and EL1)", c);
        else
            kpmc_detail_put(&x->d,
                            " counts only on fixed counter %u, which counts user and kernel mode alike on x86_64", c);
        kpmc_detail_put(&x->d, ", and it has no fallback event to count user mode only");
        int eq = equivalent(x, e);
        if (eq >= 0)
            kpmc_detail_put(&x->d, "; %s counts user-mode %s on a configurable counter",
                            kpmc_event_name(x->db, (unsigned)eq),
                            !strcmp(e->name, "FIXED_CYCLES") ? "cycles" : "events");
        return KPMC_E_UNAVAILABLE;
    }
    if (why == FIXED_MIX) {
        kpmc_detail_put(
            &x->d,
            " counts only on fixed counter %u, which counts kernel mode too, while this kernel's configurable "
            "counters count user mode only; kpmc counts a KPMC_MODE_ALL set mixing the two in user mode on "
            "configurable counters, and it has no configurable equivalent: count it in a set of fixed events only",
            c);
        return KPMC_E_UNAVAILABLE;
    }
    kpmc_detail_put(&x->d, " cannot be counted on a fixed counter because database %s is inconsistent: ", x->info.name);
    if (why == FIXED_OUTSIDE)
        kpmc_detail_put(&x->d, "its fixed counter %u is not one of the database's fixed counters (0x%x)",
                        e->fixed_counter, x->info.fixed_counters);
    else if (why == FIXED_SHARED)
        kpmc_detail_put(&x->d,
                        "another event claims the same fixed counter %u while a fixed counter is claimed by none",
                        e->fixed_counter);
    else
        kpmc_detail_put(&x->d, "its counters_mask 0x%x disagrees with its fixed_counter %u", e->counters_mask,
                        e->fixed_counter);
    kpmc_detail_put(&x->d, "; it has no fallback event");
    return KPMC_E_UNAVAILABLE;
}

/* Decide what event i counts, where it may go and its configuration word. */
static int resolve(struct ctx *x, size_t i)
{
    struct item *it = &x->it[i];
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(x->db, it->requested, &e);
    it->name = e.name;
    it->resolved = it->requested;
    it->resolved_name = e.name;
    it->fixed = 0;
    it->config = 0;
    it->counts = 0;

    if (e.has & KPMC_HAS_FIXED_COUNTER) {
        unsigned c = kpmc_ctz32(e.counters);
        enum fixed_problem why = fixed_problem(x, &e, c);
        if (why == FIXED_OK) { /* not flagged: its counters are the one bit of c */
            it->fixed = 1;
            it->allowed = e.counters;
            it->counts = KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL;
            return 0;
        }
        kpmc_event_info fb = {.size = sizeof fb};
        int to = e.fallback_index;
        if (to < 0 && why == FIXED_MIX)
            to = equivalent(x, &e);
        if (to < 0 || kpmc_event_get(x->db, (unsigned)to, &fb) != 0 || (fb.has & KPMC_HAS_FIXED_COUNTER))
            return refuse_fixed(x, i, &e, c, why);
        e = fb;
        it->resolved = fb.index;
        it->resolved_name = fb.name;
    }

    if (!(e.has & KPMC_HAS_NUMBER)) {
        put_item(x, i);
        kpmc_detail_put(&x->d, " has no event number in database %s", x->info.name);
        return KPMC_E_UNAVAILABLE;
    }
    it->allowed = e.counters & x->conf;
    if (!it->allowed) {
        put_item(x, i);
        if (e.counters & x->info.config_counters)
            kpmc_detail_put(&x->d, " may only use counters 0x%x, and this kernel gives only configurable counters 0x%x",
                            e.counters, x->conf);
        else
            kpmc_detail_put(&x->d,
                            " may only use counters 0x%x, and none of them is a configurable counter of database %s",
                            e.counters, x->info.name);
        return KPMC_E_UNAVAILABLE;
    }
    int word_mode = x->to_conf ? KPMC_MODE_USER : x->mode;
    if (x->info.arch == KPMC_ARCH_X86_64) {
        it->config = kpmc_encode_x86(e.number, e.umask, (e.has & KPMC_HAS_OTHER) != 0, e.other, word_mode);
        if (!(it->config & (KPMC_X86_USR | KPMC_X86_OS))) {
            put_item(x, i);
            if (e.other & 0x3u)
                kpmc_detail_put(&x->d,
                                " counts kernel mode only (its `other` bits 0x%x clear USR), so nothing in user mode",
                                e.other);
            else
                kpmc_detail_put(&x->d, " counts nothing: its `other` bits 0x%x set neither USR nor OS", e.other);
            return KPMC_E_UNAVAILABLE;
        }
        if ((x->kflags & KPMC_KERNEL_X86_PLAIN) && (it->config & (uint64_t)KPMC_X86_OTHER_KEEP << 16)) {
            put_item(x, i);
            kpmc_detail_put(
                &x->d,
                " needs CMASK, INV or EDGE (`other` 0x%x), which this kernel does not program: it keeps only the "
                "event, umask and USR/OS bits of a word (CPC-era kernels), so it would count the plain event",
                e.other);
            return KPMC_E_UNAVAILABLE;
        }
        it->counts = ((it->config & KPMC_X86_USR) ? KPMC_COUNTS_USER : 0u) |
                     ((it->config & KPMC_X86_OS) ? KPMC_COUNTS_KERNEL : 0u);
    } else {
        it->config = kpmc_encode_arm64(e.number, word_mode);
        if (!it->config) {
            put_item(x, i);
            kpmc_detail_put(&x->d, " has event number 0, which kpc reads as an unused counter");
            return KPMC_E_UNAVAILABLE;
        }
        it->counts = KPMC_COUNTS_USER;
        if (word_mode == KPMC_MODE_ALL && !(x->kflags & KPMC_KERNEL_USER_ONLY))
            it->counts |= KPMC_COUNTS_KERNEL;
    }
    return 0;
}

/* The detail of a set that does not fit: the competing events, grouped by
 * the counters they may use. */
static int no_fit(struct ctx *x, uint32_t competing)
{
    uint32_t rest = competing, all = 0;
    unsigned groups = 0;
    while (rest) {
        uint32_t mask = x->it[kpmc_ctz32(rest)].allowed, group = 0;
        for (uint32_t s = rest; s; s &= s - 1)
            if (x->it[kpmc_ctz32(s)].allowed == mask)
                group |= 1u << kpmc_ctz32(s);
        if (groups++)
            kpmc_detail_put(&x->d, "; ");
        put_items(x, group);
        kpmc_detail_put(&x->d, " can only use ");
        put_counters(x, mask);
        all |= mask;
        rest &= ~group;
    }
    if (groups > 1) {
        kpmc_detail_put(&x->d, " (%u events for ", kpmc_popcount32(competing));
        put_counters(x, all);
        kpmc_detail_put(&x->d, ")");
    }
    return KPMC_E_NOFIT;
}

/* Resolve every event of x; 0 or the first failure. */
static int resolve_all(struct ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        int rc = resolve(x, i);
        if (rc)
            return rc;
    }
    return 0;
}

static int build(kpmc_plan *plan, const kpmc_db *db, const kpmc_kernel *kernel, const unsigned *events,
                 const char *const *given, size_t n, int mode, char *detail, size_t detail_len)
{
    struct ctx x;
    x.d = kpmc_detail_open(detail, detail_len, 0);
    if (plan)
        memset(plan, 0, sizeof *plan);
    x.info.size = sizeof x.info;
    if (!plan || kpmc_db_get(db, &x.info) != 0 || (n && !events) ||
        (mode != KPMC_MODE_ALL && mode != KPMC_MODE_USER)) {
        kpmc_detail_put(&x.d, "invalid argument: %s",
                        !plan               ? "no plan"
                        : !kpmc_db_name(db) ? "not a database"
                        : (n && !events)    ? "no event array"
                                            : "mode is neither KPMC_MODE_ALL nor KPMC_MODE_USER");
        return KPMC_E_INVAL;
    }
    x.kflags = 0;
    x.conf = x.info.config_counters;
    x.to_conf = 0;
    if (kernel) {
        if (kernel->size < KPMC_SIZE_TO(kpmc_kernel, config_counters)) {
            kpmc_detail_put(&x.d, "invalid argument: kpmc_kernel.size is %zu; set it to sizeof(kpmc_kernel)",
                            kernel->size);
            return KPMC_E_INVAL;
        }
        x.kflags = kernel->flags & kernel->known;
        if (kernel->config_counters)
            x.conf &= kernel->config_counters;
    }
    unsigned n_fixed = kpmc_popcount32(x.info.fixed_counters);
    unsigned n_conf = kpmc_popcount32(x.conf);
    if (n_fixed + kpmc_popcount32(x.info.config_counters) > KPMC_MAX_EVENTS) {
        kpmc_detail_put(&x.d, "database %s has %u counters, more than kpmc supports (%d)", x.info.name,
                        n_fixed + kpmc_popcount32(x.info.config_counters), KPMC_MAX_EVENTS);
        return KPMC_E_INVAL;
    }
    if (n == 0) {
        kpmc_detail_put(&x.d, "no events given");
        return KPMC_E_EMPTY;
    }
    if (n > KPMC_MAX_EVENTS) {
        kpmc_detail_put(&x.d, "%zu events given; kpmc counts at most %d at once (database %s has %u counters)", n,
                        KPMC_MAX_EVENTS, x.info.name, n_fixed + n_conf);
        return KPMC_E_TOOMANY;
    }
    x.db = db;
    x.mode = mode;
    x.n = n;
    for (size_t i = 0; i < n; i++) {
        if (events[i] >= x.info.n_events) {
            kpmc_detail_put(&x.d,
                            "event index %u (position %zu of the set) is out of range: database %s has %zu events",
                            events[i], i + 1, x.info.name, x.info.n_events);
            return KPMC_E_INVAL;
        }
        memset(&x.it[i], 0, sizeof x.it[i]);
        x.it[i].given = given ? given[i] : NULL;
        x.it[i].requested = events[i];
        for (size_t j = 0; j < i; j++)
            if (events[j] == events[i]) {
                kpmc_detail_put(&x.d, "%s is asked for twice (positions %zu and %zu of the set)",
                                kpmc_event_name(db, events[i]), j + 1, i + 1);
                return KPMC_E_DUPLICATE;
            }
    }
    int rc = resolve_all(&x);
    if (rc)
        return rc;
    if ((x.kflags & KPMC_KERNEL_USER_ONLY) && mode == KPMC_MODE_ALL) {
        /* Fixed counters count the kernel, configurable ones cannot: a set
         * mixing them counts everything in user mode instead. */
        int fixed = 0, conf = 0;
        for (size_t i = 0; i < n; i++) {
            fixed |= x.it[i].fixed;
            conf |= !x.it[i].fixed;
        }
        if (fixed && conf) {
            x.to_conf = 1;
            kpmc_detail_put(
                &x.d, "this kernel's configurable counters count user mode only, so kpmc counts every event of this "
                      "KPMC_MODE_ALL set in user mode on a configurable counter: ");
            rc = resolve_all(&x);
            if (rc)
                return rc;
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (x.it[j].resolved == x.it[i].resolved) {
                put_item(&x, j);
                kpmc_detail_put(&x.d, " and ");
                put_item(&x, i);
                kpmc_detail_put(&x.d, " would both count %s", x.it[i].resolved_name);
                return KPMC_E_DUPLICATE;
            }

    uint32_t allowed[KPMC_MAX_EVENTS], competing = 0;
    unsigned counter[KPMC_MAX_EVENTS];
    for (size_t i = 0; i < n; i++)
        allowed[i] = x.it[i].allowed;
    if (kpmc_alloc_place(allowed, (unsigned)n, counter, &competing) != 0)
        return no_fit(&x, competing);
    if (x.d.buf) {
        x.d.pos = 0; /* success: no sentence */
        detail[0] = '\0';
    }

    uint32_t classes = 0;
    for (size_t i = 0; i < n; i++)
        classes |= x.it[i].fixed ? KPMC_CLASS_FIXED : KPMC_CLASS_CONFIGURABLE;
    /* kpc_set_config order: x86_64's one ignored FIXED word, then one word
     * per configurable counter, ascending (all of them: forced). */
    unsigned base = (x.info.arch == KPMC_ARCH_X86_64 && (classes & KPMC_CLASS_FIXED)) ? 1u : 0u;
    unsigned n_config = base + ((classes & KPMC_CLASS_CONFIGURABLE) ? n_conf : 0u);
    /* kpc_get_thread_counters order: the fixed counters when FIXED is
     * counted, then the configurable counters, ascending. */
    unsigned conf_first = (classes & KPMC_CLASS_FIXED) ? n_fixed : 0u;

    plan->db = db;
    plan->mode = mode;
    plan->classes = classes;
    plan->n_events = (unsigned)n;
    plan->n_config = n_config;
    plan->config_skip = base;
    plan->n_counters = conf_first + ((classes & KPMC_CLASS_CONFIGURABLE) ? n_conf : 0u);
    for (size_t i = 0; i < n; i++) {
        kpmc_plan_event *pe = &plan->events[i];
        unsigned c = counter[i];
        uint32_t below = (1u << c) - 1u;
        pe->size = sizeof *pe;
        pe->requested = x.it[i].requested;
        pe->resolved = x.it[i].resolved;
        pe->counter = c;
        pe->fixed = (unsigned)x.it[i].fixed;
        pe->counts = x.it[i].counts;
        if (pe->fixed) {
            pe->index = kpmc_popcount32(x.info.fixed_counters & below);
        } else {
            unsigned k = kpmc_popcount32(x.conf & below);
            pe->index = conf_first + k;
            pe->config = x.it[i].config;
            plan->config[base + k] = pe->config;
        }
    }
    return 0;
}

int kpmc_plan_new(kpmc_plan **out)
{
    if (!out)
        return KPMC_E_INVAL;
    *out = calloc(1, sizeof **out);
    return *out ? 0 : KPMC_E_NOMEM;
}

void kpmc_plan_free(kpmc_plan *plan)
{
    free(plan);
}

int kpmc_plan_get(const kpmc_plan *plan, kpmc_plan_info *out)
{
    if (!plan)
        return KPMC_E_INVAL;
    kpmc_plan_info full = {sizeof full,       plan->db,         plan->mode,       plan->classes,
                           plan->n_events,    plan->n_config,   plan->config,     plan->config_skip,
                           plan->n_counters};
    return kpmc_out_fill(out, &full, sizeof full, KPMC_SIZE_TO(kpmc_plan_info, n_counters));
}

int kpmc_plan_event_get(const kpmc_plan *plan, size_t i, kpmc_plan_event *out)
{
    if (!plan || i >= plan->n_events)
        return KPMC_E_INVAL;
    return kpmc_out_fill(out, &plan->events[i], sizeof plan->events[i], KPMC_SIZE_TO(kpmc_plan_event, counts));
}

/* Indices from the headers of another catalog: refused, *plan zeroed. */
static int other_catalog(uint64_t catalog, kpmc_plan *plan, char *detail, size_t detail_len)
{
    int r = kpmc_cat_digest_check(catalog, detail, detail_len);
    if (r && plan)
        memset(plan, 0, sizeof *plan);
    return r;
}

int kpmc_plan_build_kernel_v(uint64_t catalog, kpmc_plan *plan, const kpmc_db *db, const kpmc_kernel *kernel,
                             const unsigned *events, size_t n, int mode, char *detail, size_t detail_len)
{
    int r = other_catalog(catalog, plan, detail, detail_len);
    return r ? r : build(plan, db, kernel, events, NULL, n, mode, detail, detail_len);
}

int kpmc_plan_build_v(uint64_t catalog, kpmc_plan *plan, const kpmc_db *db, const unsigned *events, size_t n,
                      int mode, char *detail, size_t detail_len)
{
    int r = other_catalog(catalog, plan, detail, detail_len);
    return r ? r : build(plan, db, NULL, events, NULL, n, mode, detail, detail_len);
}

int kpmc_plan_build_names(kpmc_plan *plan, const kpmc_db *db, const char *const *names, size_t n, int mode,
                          char *detail, size_t detail_len)
{
    return kpmc_plan_build_names_kernel(plan, db, NULL, names, n, mode, detail, detail_len);
}

int kpmc_plan_build_names_kernel(kpmc_plan *plan, const kpmc_db *db, const kpmc_kernel *kernel,
                                 const char *const *names, size_t n, int mode, char *detail, size_t detail_len)
{
    unsigned events[KPMC_MAX_EVENTS];
    const char *db_name = kpmc_db_name(db);
    /* Argument errors, an empty set and too many events: build() says which
     * before it reads a single event. */
    if (!names || !plan || !db_name || n == 0 || n > KPMC_MAX_EVENTS ||
        (mode != KPMC_MODE_ALL && mode != KPMC_MODE_USER))
        return build(plan, db, kernel, names ? events : NULL, NULL, n, mode, detail, detail_len);
    struct kpmc_detail d = kpmc_detail_open(detail, detail_len, 0);
    memset(plan, 0, sizeof *plan);
    for (size_t i = 0; i < n; i++) {
        if (!names[i]) {
            kpmc_detail_put(&d, "invalid argument: name %zu of the set is NULL", i + 1);
            return KPMC_E_INVAL;
        }
        /* A generic name means the event that counts it in this mode; the
         * generator keeps generic names apart from event names, and an
         * alias of the same name (Cycles) names the same event in all mode. */
        int generic = kpmc_generic_find(names[i]);
        int ev = generic >= 0 ? kpmc_generic_resolve(db, generic, mode) : KPMC_E_NOEVENT;
        if (ev < 0)
            ev = kpmc_event_find(db, names[i]);
        if (ev < 0) {
            char hint[KPMC_DETAIL_MAX];
            size_t h = kpmc_suggest_event(db, names[i], mode, hint, sizeof hint);
            if (generic >= 0 && h)
                kpmc_detail_put(&d, "%s", hint);
            else
                kpmc_detail_put(&d, "no event or alias '%s' in database %s%s%s", names[i], db_name, h ? "; " : "",
                                h ? hint : "");
            return KPMC_E_NOEVENT;
        }
        events[i] = (unsigned)ev;
        for (size_t j = 0; j < i; j++)
            if (events[j] == events[i]) {
                if (!kpmc_ascii_casecmp(names[j], names[i]))
                    kpmc_detail_put(&d, "'%s' is asked for twice", names[i]);
                else
                    kpmc_detail_put(&d, "'%s' and '%s' both name %s", names[j], names[i],
                                    kpmc_event_name(db, events[i]));
                return KPMC_E_DUPLICATE;
            }
    }
    return build(plan, db, kernel, events, names, n, mode, detail, detail_len);
}

/* ---- kernel profiles ---- */

static const char *const kernel_profiles[] = {"pre14.4", "14.4", "15", "cpc", NULL};

const char *const *kpmc_kernel_profile_names(void)
{
    return kernel_profiles;
}

int kpmc_kernel_profile(kpmc_kernel *out, const char *name, const kpmc_db *db)
{
    kpmc_db_info d = {.size = sizeof d};
    if (!kpmc_out_ok(out, KPMC_SIZE_TO(kpmc_kernel, config_counters)) || !name || kpmc_db_get(db, &d) != 0)
        return KPMC_E_INVAL;
    int p = -1;
    for (int i = 0; kernel_profiles[i]; i++)
        if (!strcmp(name, kernel_profiles[i]))
            p = i;
    if (p < 0)
        return KPMC_E_INVAL;
    kpmc_kernel full, *kernel = &full;
    memset(kernel, 0, sizeof *kernel);
    kernel->size = sizeof *kernel;
    kernel->known = KPMC_KERNEL_USER_ONLY | KPMC_KERNEL_ALLOWLIST | KPMC_KERNEL_X86_PLAIN;
    kernel->config_counters = d.config_counters;
    if (d.arch == KPMC_ARCH_ARM64) {
        if (p >= 1)
            kernel->flags |= KPMC_KERNEL_ALLOWLIST;
        if (p >= 2)
            kernel->flags |= KPMC_KERNEL_USER_ONLY;
    } else if (p == 3) {
        /* cpc_x86_64.c: half the general-purpose counters, the lower ones. */
        kernel->flags |= KPMC_KERNEL_X86_PLAIN;
        kernel->config_counters = kpmc_low_bits(d.config_counters, kpmc_popcount32(d.config_counters) / 2);
    }
    return kpmc_out_fill(out, kernel, sizeof *kernel, KPMC_SIZE_TO(kpmc_kernel, config_counters));
}

int kpmc_plan_event_kernel(const kpmc_db *db, const kpmc_kernel *kernel, unsigned event, int mode, int mixed,
                           unsigned *resolved, uint32_t *counters, char *detail, size_t detail_len)
{
    struct ctx x;
    x.d = kpmc_detail_open(detail, detail_len, 0);
    x.info.size = sizeof x.info;
    if (kpmc_db_get(db, &x.info) != 0 || event >= x.info.n_events ||
        (mode != KPMC_MODE_ALL && mode != KPMC_MODE_USER) ||
        (kernel && kernel->size < KPMC_SIZE_TO(kpmc_kernel, config_counters))) {
        kpmc_detail_put(&x.d, "invalid argument: %s",
                        !kpmc_db_name(db)          ? "not a database"
                        : event >= x.info.n_events ? "event index out of range"
                        : (kernel && kernel->size < KPMC_SIZE_TO(kpmc_kernel, config_counters))
                            ? "kpmc_kernel.size is too small"
                            : "mode is neither KPMC_MODE_ALL nor KPMC_MODE_USER");
        return KPMC_E_INVAL;
    }
    x.db = db;
    x.mode = mode;
    x.kflags = kernel ? kernel->flags & kernel->known : 0;
    x.conf = x.info.config_counters;
    if (kernel && kernel->config_counters)
        x.conf &= kernel->config_counters;
    x.to_conf = mixed && mode == KPMC_MODE_ALL && (x.kflags & KPMC_KERNEL_USER_ONLY);
    x.n = 1;
    memset(&x.it[0], 0, sizeof x.it[0]);
    x.it[0].requested = event;
    int rc = resolve(&x, 0);
    if (rc)
        return rc;
    if (resolved)
        *resolved = x.it[0].resolved;
    if (counters)
        *counters = x.it[0].allowed;
    return 0;
}

int kpmc_plan_event_counters_v(uint64_t catalog, const kpmc_db *db, unsigned event, int mode, unsigned *resolved,
                               uint32_t *counters, char *detail, size_t detail_len)
{
    if (kpmc_cat_digest_check(catalog, detail, detail_len))
        return KPMC_E_CATALOG;
    /* the database's own counters, as for a plan without a kernel */
    return kpmc_plan_event_kernel(db, NULL, event, mode, 0, resolved, counters, detail, detail_len);
}
