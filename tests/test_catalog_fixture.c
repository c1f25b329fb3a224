/* The catalog API over the golden fixture catalog (tests/data/golden, built
 * from tests/data/gen/ok with runtime/catalog.c and plan.c): every value below is what
 * the fixture plists say, read off them by hand, and every compile-time id
 * is checked against a lookup.  The generic events and chips are those of
 * tests/data/gen/tables, read off by hand too. */
#include <kpmc/catalog.h>
#include <kpmc/kpmc.h>
#include <kpmc/db/all.h>
#include <kpmc/events.h>
#include <kpmc/generic.h>

#include "test_catalog.h"

struct want_db {
    int id;
    const char *name, *marketing_name, *architecture, *source;
    int arch;
    unsigned has;
    int internal;
    unsigned n_version, version[2];
    uint32_t fixed_counters, config_counters, power_counters;
    size_t n_events, n_aliases, n_families;
};

/* The fields of kpmc_db_info and kpmc_event_info the tables below give. */
#define DB_STRINGS(X) X(name) X(marketing_name) X(architecture) X(source)
#define DB_NUMBERS(X)                                                                                   \
    X(arch) X(has) X(internal) X(n_version) X(version[0]) X(version[1]) X(fixed_counters) X(config_counters) \
        X(power_counters) X(n_events) X(n_aliases) X(n_families)
#define EVENT_STRINGS(X) X(name) X(description) X(fallback)
#define EVENT_NUMBERS(X) X(index) X(has) X(flags) X(number) X(umask) X(other) X(counters_mask) X(fixed_counter)
#define SAME_STRING(field) CHECK_STR(got.field, w->field);
#define SAME_NUMBER(field) CHECK_INT(got.field, w->field);

static const struct want_db want_dbs[] = {
    {KPMC_DB_FIXTURE, "fixture", "Fixture & Co <Test>", "arm64", "fixture.plist", KPMC_ARCH_ARM64,
     KPMC_DB_HAS_INTERNAL | KPMC_DB_HAS_POWER_COUNTERS, 1, 2, {1, 0}, 0x3, 0x3FC, 0xE0, 11, 3, 2},
    {KPMC_DB_FIXTURE2, "fixture2", "Fixture Two", "arm64", "fixture2.plist", KPMC_ARCH_ARM64,
     KPMC_DB_HAS_INTERNAL | KPMC_DB_HAS_POWER_COUNTERS, 0, 2, {1, 0}, 0x1, 0x2, 0, 3, 0, 1},
    {KPMC_DB_FIXTURE10, "fixture10", "Fixture Ten", "x86_64", "fixture10.plist", KPMC_ARCH_X86_64, 0, 0, 2,
     {1, 7}, 0, 0xF, 0, 2, 0, 0},
    {KPMC_DB_FIXTUREX, "fixturex", "Fixture X86 \"Lake\"", "x86_64", "fixturex.plist", KPMC_ARCH_X86_64, 0, 0, 1,
     {1, 0}, 0x7, 0x78, 0, 10, 4, 1},
};

enum { N = KPMC_HAS_NUMBER, D = KPMC_HAS_DESCRIPTION, U = KPMC_HAS_UMASK, O = KPMC_HAS_OTHER,
       M = KPMC_HAS_COUNTERS_MASK, F = KPMC_HAS_FIXED_COUNTER, B = KPMC_HAS_FALLBACK };

struct want_event {
    int db, index;
    const char *name;
    unsigned has, number, umask, other, counters_mask, fixed_counter, flags;
    const char *fallback, *description;
    const char *alias; /* the one alias naming it, or NULL */
};

/* Each database's events in table order: sorted by the upper-cased name. */
static const struct want_event want_events[] = {
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_EMPTY_DESC, "EMPTY_DESC", N | D, 7, 0, 0, 0, 0, 0, NULL, "", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_FIXED_CYCLES, "FIXED_CYCLES", M | F, 0, 0, 0, 1, 0, 0, NULL, NULL, "Cycles"},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_FIXED_INSTRUCTIONS, "FIXED_INSTRUCTIONS", M | F | B, 0, 0, 0, 2, 1, 0,
     "INST_ALL", NULL, "Instructions"},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_INST_ALL, "INST_ALL", N | D | M, 140, 0, 0, 0xE0, 0, 0, NULL,
     "All retired instructions & nothing else", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_L1D_MISS, "L1D_MISS", N | D | M, 163, 0, 0, 128, 0, 0, NULL,
     "L1 data cache misses", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_LD_UNIT_UOP, "LD_UNIT_UOP", N | D, 166, 0, 0, 0, 0, 0, NULL,
     "Load <uops> & \"quotes\" kept as written", "Loads"},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_MIXED_CASE_NAME, "Mixed.Case-Name", N | D, 0x4006, 0, 0, 0, 0, 0, NULL,
     "BeforeAfter AB <tag> \"q\" 'a'", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_MULTI_LINE, "MULTI_LINE", N | D, 2, 0, 0, 0, 0, 0, NULL,
     "  first line\nsecond line\twith a tab  ", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_NO_DESC_EVENT, "NO_DESC_EVENT", N, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_UTF8_DESC, "UTF8_DESC", N | D, 0x1F, 0, 0, 0, 0, 0, NULL,
     "caf\xc3\xa9 \xe2\x80\x94 na\xc3\xafve", NULL},
    {KPMC_DB_FIXTURE, KPMC_FIXTURE_WIDE_MAX, "WIDE_MAX", N | D | M, 0xFFFF, 0, 0, 252, 0, 0, NULL,
     "Ends a C comment */ and opens one /* and has a trigraph ?\?= and a \\ backslash", NULL},
    /* a fixed event without counters_mask: it may use its fixed counter only */
    {KPMC_DB_FIXTURE2, KPMC_FIXTURE2_FIXED_CYCLES, "FIXED_CYCLES", F, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {KPMC_DB_FIXTURE2, KPMC_FIXTURE2_INST_ALL, "INST_ALL", N | D, 140, 0, 0, 0, 0, 0, NULL,
     "Instructions, on the only configurable counter", NULL},
    {KPMC_DB_FIXTURE2, KPMC_FIXTURE2_ONLY_TWO, "ONLY_TWO", N, 5, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {KPMC_DB_FIXTURE10, KPMC_FIXTURE10_EV10_A, "EV10.A", N | U | M, 1, 2, 0, 1, 0, 0, NULL, NULL, NULL},
    {KPMC_DB_FIXTURE10, KPMC_FIXTURE10_ODD__NAME__X, "ODD*/NAME/*X", N | D, 3, 0, 0, 0, 0, 0, NULL,
     "A name that would end and open C comments", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_CPU_CLK_UNHALTED_REF_TSC, "CPU_CLK_UNHALTED.REF_TSC", D | U | M | F, 0, 3, 0,
     2, 1, KPMC_EVF_FIXED_SHARED, NULL, "Reference cycles (claims the same fixed counter as .THREAD)",
     "ReferenceCycles"},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD, "CPU_CLK_UNHALTED.THREAD", D | U | M | F | B, 0, 0,
     0, 2, 1, KPMC_EVF_FIXED_SHARED, "CPU_CLK_UNHALTED.THREAD_P", "Core cycles when the thread is not halted",
     "Cycles"},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD_P, "CPU_CLK_UNHALTED.THREAD_P", N | D | U | O, 60, 0,
     83, 0, 0, 0, NULL, "Core cycles when the thread is not halted\n(any counter)", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_FIXED_MASK_ODD, "FIXED_MASK_ODD", D | U | M | F, 0, 1, 0, 6, 2,
     KPMC_EVF_FIXED_MASK, NULL, "Fixed counter 2 with a mask of counters 1 and 2", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_INST_RETIRED_ANY, "INST_RETIRED.ANY", D | U | M | F | B, 0, 0, 0, 1, 0, 0,
     "INST_RETIRED.ANY_P", "Instructions retired", "INST_ALL"},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_INST_RETIRED_ANY_P, "INST_RETIRED.ANY_P", N | D | U | O, 192, 0, 0x53, 0, 0, 0,
     NULL, "Instructions retired (any counter)", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_L1D_MISS, "l1d_miss", N | D | U, 81, 1, 0, 0, 0, 0, NULL,
     "Spelled in lower case here, upper case in fixture", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_MEM_LOADS, "MEM.LOADS", N | D | U | O | M, 0xD0, 129, 0x153, 8, 0, 0, NULL,
     "Loads, first general-purpose counter only", "Loads"},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_TOPDOWN_SLOTS, "TOPDOWN.SLOTS", D | U | M | F, 0, 4, 0, 8, 3,
     KPMC_EVF_FIXED_OUTSIDE, NULL, "Issue slots (fixed counter 3, which this database does not have)", NULL},
    {KPMC_DB_FIXTUREX, KPMC_FIXTUREX_UMASK_MAX, "UMASK_MAX", N | D | U | O, 0xFFFF, 255, 0xFFFF, 0, 0, 0, NULL,
     "Largest umask, other and number", NULL},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void check_databases(void)
{
    CHECK_INT(kpmc_db_count(), KPMC_DB_COUNT);
    CHECK_INT(KPMC_DB_COUNT, 4);
    /* natural order: fixture < fixture2 < fixture10 < fixturex */
    CHECK_INT(KPMC_DB_FIXTURE, 0);
    CHECK_INT(KPMC_DB_FIXTURE2, 1);
    CHECK_INT(KPMC_DB_FIXTURE10, 2);
    CHECK_INT(KPMC_DB_FIXTUREX, 3);
    CHECK(kpmc_db_at(4) == NULL);
    for (size_t i = 0; i < COUNT(want_dbs); i++) {
        const struct want_db *w = &want_dbs[i];
        const kpmc_db *db = kpmc_db_at((size_t)w->id);
        kpmc_db_info got = {.size = sizeof got};
        CHECK_INT(kpmc_db_get(db, &got), 0);
        DB_STRINGS(SAME_STRING)
        DB_NUMBERS(SAME_NUMBER)
        CHECK_STR(kpmc_db_name(db), w->name);
        CHECK(got.sha256 != NULL);
        CHECK_INT(kpmc_db_id(db), w->id);
        CHECK(kpmc_db_find(w->name) == db);
    }
    CHECK_INT(KPMC_FIXTURE_EVENT_COUNT, 11);
    CHECK_INT(KPMC_FIXTURE2_EVENT_COUNT, 3);
    CHECK_INT(KPMC_FIXTURE10_EVENT_COUNT, 2);
    CHECK_INT(KPMC_FIXTUREX_EVENT_COUNT, 10);
    CHECK(kpmc_db_find("FIXTUREX") == kpmc_db_at(KPMC_DB_FIXTUREX));
    CHECK(kpmc_db_find("Fixture10") == kpmc_db_at(KPMC_DB_FIXTURE10));
    CHECK(kpmc_db_find("fixture1") == NULL);
    CHECK(kpmc_db_find("fixture ") == NULL);
    CHECK(kpmc_db_find("fixturexx") == NULL);
    CHECK(kpmc_db_find("") == NULL);
    CHECK(kpmc_db_find(NULL) == NULL);
    kpmc_db_info d = {.size = sizeof d};
    CHECK_INT(kpmc_db_get(NULL, &d), KPMC_E_INVAL);
    CHECK_STR(kpmc_db_name(NULL), NULL);
    CHECK(!strncmp(kpmc_catalog_generator(), "kpmc-gen ", 9));
    /* the data's digest is the headers' (whose value gen_golden_check computes) */
    CHECK(kpmc_catalog_digest() == KPMC_CATALOG_DIGEST);
}

/* A plan places an event on the counters kpmc_event_info.counters gives
 * (only its configurable ones for a configurable event), whenever it counts
 * the event itself. */
static void check_plan_counters(const kpmc_db *db, const kpmc_db_info *d, const kpmc_event_info *e)
{
    unsigned resolved;
    uint32_t counters;
    if (kpmc_plan_event_counters(db, e->index, KPMC_MODE_ALL, &resolved, &counters, NULL, 0) != 0 ||
        resolved != e->index)
        return;
    CHECK_INT(counters, (e->has & KPMC_HAS_FIXED_COUNTER) ? e->counters : e->counters & d->config_counters);
}

static void check_events(void)
{
    int seen[4] = {0};
    for (size_t i = 0; i < COUNT(want_events); i++) {
        const struct want_event *w = &want_events[i];
        const kpmc_db *db = kpmc_db_at((size_t)w->db);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        /* table order: the entries above are each database's events in order */
        CHECK_INT(w->index, seen[w->db]++);
        kpmc_event_info got = {.size = sizeof got};
        CHECK_INT(kpmc_event_get(db, (unsigned)w->index, &got), 0);
        EVENT_STRINGS(SAME_STRING)
        EVENT_NUMBERS(SAME_NUMBER)
        CHECK_STR(kpmc_event_name(db, (unsigned)w->index), w->name);
        /* counters_mask; without one, a fixed event's own counter, any other
         * event the configurable counters */
        CHECK_INT(got.counters, (w->has & M)   ? w->counters_mask
                                : (w->has & F) ? 1u << w->fixed_counter
                                               : d.config_counters);
        check_plan_counters(db, &d, &got);
        CHECK_INT(got.fallback_index, w->fallback ? kpmc_event_find(db, w->fallback) : -1);
        CHECK_INT(got.portable, kpmc_ev_find(w->name));
        CHECK_INT(kpmc_event_find(db, w->name), w->index);
        CHECK_INT(got.n_aliases, w->alias ? 1 : 0);
        CHECK_STR(kpmc_event_alias(db, (unsigned)w->index, 0), w->alias);
        CHECK_STR(kpmc_event_alias(db, (unsigned)w->index, 1), NULL);
        if (w->alias)
            CHECK_INT(kpmc_event_find(db, w->alias), w->index);
    }
    for (int i = 0; i < 4; i++)
        CHECK_INT(seen[i], want_dbs[i].n_events);
    const kpmc_db *x = kpmc_db_at(KPMC_DB_FIXTUREX);
    kpmc_event_info e = {.size = sizeof e};
    CHECK_INT(kpmc_event_get(x, 10, &e), KPMC_E_INVAL);
    CHECK_INT(kpmc_event_get(NULL, 0, &e), KPMC_E_INVAL);
    CHECK_STR(kpmc_event_name(x, 10), NULL);
}

static void check_aliases(void)
{
    static const struct {
        int db;
        const char *alias;
        int event;
    } want[] = {
        /* sorted by the upper-cased alias */
        {KPMC_DB_FIXTURE, "Cycles", KPMC_FIXTURE_FIXED_CYCLES},
        {KPMC_DB_FIXTURE, "Instructions", KPMC_FIXTURE_FIXED_INSTRUCTIONS},
        {KPMC_DB_FIXTURE, "Loads", KPMC_FIXTURE_LD_UNIT_UOP},
        {KPMC_DB_FIXTUREX, "Cycles", KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD},
        {KPMC_DB_FIXTUREX, "INST_ALL", KPMC_FIXTUREX_INST_RETIRED_ANY},
        {KPMC_DB_FIXTUREX, "Loads", KPMC_FIXTUREX_MEM_LOADS},
        {KPMC_DB_FIXTUREX, "ReferenceCycles", KPMC_FIXTUREX_CPU_CLK_UNHALTED_REF_TSC},
    };
    size_t k[4] = {0};
    for (size_t i = 0; i < COUNT(want); i++) {
        const kpmc_db *db = kpmc_db_at((size_t)want[i].db);
        const char *alias = NULL;
        unsigned event = 99;
        CHECK_INT(kpmc_db_alias(db, k[want[i].db]++, &alias, &event), 0);
        CHECK_STR(alias, want[i].alias);
        CHECK_INT(event, want[i].event);
    }
    CHECK_INT(kpmc_db_alias(kpmc_db_at(KPMC_DB_FIXTURE), 3, NULL, NULL), KPMC_E_INVAL);
    CHECK_INT(kpmc_db_alias(kpmc_db_at(KPMC_DB_FIXTURE2), 0, NULL, NULL), KPMC_E_INVAL);
    /* the alias enumerators are their events' indices */
    CHECK_INT(KPMC_FIXTURE_CYCLES, KPMC_FIXTURE_FIXED_CYCLES);
    CHECK_INT(KPMC_FIXTURE_INSTRUCTIONS, KPMC_FIXTURE_FIXED_INSTRUCTIONS);
    CHECK_INT(KPMC_FIXTURE_LOADS, KPMC_FIXTURE_LD_UNIT_UOP);
    CHECK_INT(KPMC_FIXTUREX_CYCLES, KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD);
    CHECK_INT(KPMC_FIXTUREX_INST_ALL, KPMC_FIXTUREX_INST_RETIRED_ANY);
    CHECK_INT(KPMC_FIXTUREX_LOADS, KPMC_FIXTUREX_MEM_LOADS);
    CHECK_INT(KPMC_FIXTUREX_REFERENCECYCLES, KPMC_FIXTUREX_CPU_CLK_UNHALTED_REF_TSC);
}

static void check_lookup(void)
{
    const kpmc_db *f = kpmc_db_at(KPMC_DB_FIXTURE), *f2 = kpmc_db_at(KPMC_DB_FIXTURE2);
    const kpmc_db *f10 = kpmc_db_at(KPMC_DB_FIXTURE10), *x = kpmc_db_at(KPMC_DB_FIXTUREX);
    CHECK_INT(kpmc_event_find(f, "loads"), KPMC_FIXTURE_LD_UNIT_UOP);
    CHECK_INT(kpmc_event_find(f, "LOADS"), KPMC_FIXTURE_LD_UNIT_UOP);
    CHECK_INT(kpmc_event_find(f, "mixed.case-name"), KPMC_FIXTURE_MIXED_CASE_NAME);
    CHECK_INT(kpmc_event_find(f, "MIXED.CASE-NAME"), KPMC_FIXTURE_MIXED_CASE_NAME);
    CHECK_INT(kpmc_event_find(f, "Mixed.Case_Name"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f, "MIXED_CASE_NAME"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f10, "odd*/name/*x"), KPMC_FIXTURE10_ODD__NAME__X);
    CHECK_INT(kpmc_event_find(x, "L1D_MISS"), KPMC_FIXTUREX_L1D_MISS);
    CHECK_INT(kpmc_event_find(f, "l1d_miss"), KPMC_FIXTURE_L1D_MISS);
    CHECK_INT(kpmc_event_find(x, "inst_all"), KPMC_FIXTUREX_INST_RETIRED_ANY);
    CHECK_INT(kpmc_event_find(f10, "INST_ALL"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f, "ONLY_TWO"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f2, "ONLY_TWO"), KPMC_FIXTURE2_ONLY_TWO);
    CHECK_INT(kpmc_event_find(f, "INST_AL"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f, "INST_ALL "), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f, ""), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_event_find(f, NULL), KPMC_E_INVAL);
    CHECK_INT(kpmc_event_find(NULL, "INST_ALL"), KPMC_E_INVAL);
    CHECK_INT(kpmc_event_find_n(f, "INST_ALLXYZ", 8), KPMC_FIXTURE_INST_ALL);
    CHECK_INT(kpmc_event_find_n(f, "CyclesCycles", 6), KPMC_FIXTURE_FIXED_CYCLES);
    CHECK_INT(kpmc_event_find_n(f, "INST_ALL", 7), KPMC_E_NOEVENT);

    /* portable ids: one per upper-cased name over all four databases */
    CHECK_INT(kpmc_ev_count(), KPMC_EV_COUNT);
    CHECK_INT(KPMC_EV_COUNT, 27);
    CHECK_INT(kpmc_ev_find("l1d_miss"), KPMC_EV_L1D_MISS);
    CHECK_STR(kpmc_ev_name(KPMC_EV_L1D_MISS), "L1D_MISS"); /* the spelling first by strcmp */
    CHECK_STR(kpmc_ev_name(KPMC_EV_ODD__NAME__X), "ODD*/NAME/*X");
    CHECK_STR(kpmc_ev_name(KPMC_EV_COUNT), NULL);
    CHECK_STR(kpmc_ev_name(-1), NULL);
    CHECK_INT(kpmc_ev_find("NO_SUCH"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_find_n("LoadsX", 5), KPMC_EV_LOADS);
    CHECK_INT(kpmc_ev_resolve(f, KPMC_EV_LOADS), KPMC_FIXTURE_LD_UNIT_UOP);
    CHECK_INT(kpmc_ev_resolve(x, KPMC_EV_LOADS), KPMC_FIXTUREX_MEM_LOADS);
    CHECK_INT(kpmc_ev_resolve(f2, KPMC_EV_LOADS), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_resolve(f, KPMC_EV_INST_ALL), KPMC_FIXTURE_INST_ALL);
    CHECK_INT(kpmc_ev_resolve(f2, KPMC_EV_INST_ALL), KPMC_FIXTURE2_INST_ALL);
    CHECK_INT(kpmc_ev_resolve(x, KPMC_EV_INST_ALL), KPMC_FIXTUREX_INST_RETIRED_ANY);
    CHECK_INT(kpmc_ev_resolve(f10, KPMC_EV_INST_ALL), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_resolve(f, KPMC_EV_CYCLES), KPMC_FIXTURE_FIXED_CYCLES);
    CHECK_INT(kpmc_ev_resolve(x, KPMC_EV_CYCLES), KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD);
    CHECK_INT(kpmc_ev_resolve(x, KPMC_EV_L1D_MISS), KPMC_FIXTUREX_L1D_MISS);
    CHECK_INT(kpmc_ev_resolve(x, KPMC_EV_COUNT), KPMC_E_INVAL);
    CHECK_INT(kpmc_ev_resolve(x, -1), KPMC_E_INVAL);
    CHECK_INT(kpmc_ev_resolve(NULL, KPMC_EV_INST_ALL), KPMC_E_INVAL);
}

static void check_families(void)
{
    static const struct {
        uint32_t family, cputype, cpusubtype;
        int db;
    } want[] = {
        /* sorted by family */
        {0x2, 0x100000c, 1, KPMC_DB_FIXTURE2},
        {0x5eed, 7, 8, KPMC_DB_FIXTUREX},
        {0x1a2b3c4d, 0x100000c, 2, KPMC_DB_FIXTURE},
        {0xabcdef01, 0x100000c, 2, KPMC_DB_FIXTURE},
    };
    CHECK_INT(kpmc_family_count(), COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        kpmc_family_info fi = {.size = sizeof fi};
        CHECK_INT(kpmc_family_at(i, &fi), 0);
        CHECK_INT(fi.family, want[i].family);
        CHECK_INT(fi.cputype, want[i].cputype);
        CHECK_INT(fi.cpusubtype, want[i].cpusubtype);
        CHECK(fi.db == kpmc_db_at((size_t)want[i].db));
        CHECK(kpmc_db_for_family(want[i].family) == kpmc_db_at((size_t)want[i].db));
    }
    kpmc_family_info fi = {.size = sizeof fi};
    CHECK_INT(kpmc_family_at(COUNT(want), &fi), KPMC_E_INVAL);
    const kpmc_db *f = kpmc_db_at(KPMC_DB_FIXTURE);
    CHECK_INT(kpmc_db_family(f, 0, &fi), 0);
    CHECK_INT(fi.family, 0x1a2b3c4d);
    CHECK_INT(kpmc_db_family(f, 1, &fi), 0);
    CHECK_INT(fi.family, 0xabcdef01);
    CHECK_INT(kpmc_db_family(f, 2, &fi), KPMC_E_INVAL);
    CHECK_INT(kpmc_db_family(kpmc_db_at(KPMC_DB_FIXTURE10), 0, &fi), KPMC_E_INVAL);
    CHECK(kpmc_db_for_family(0x12345) == NULL);
    CHECK(kpmc_db_for_cpu_string("cpu_100000c_2_abcdef01") == f);
    CHECK(kpmc_db_for_cpu_string("cpu_100000C_2_ABCDEF01_3.plist") == f);
    CHECK(kpmc_db_for_cpu_string("cpu_100000c_1_2") == kpmc_db_at(KPMC_DB_FIXTURE2));
    CHECK(kpmc_db_for_cpu_string("cpu_7_8_5eed_9e") == kpmc_db_at(KPMC_DB_FIXTUREX));
    CHECK(kpmc_db_for_cpu_string("cpu_7_9_5eed") == NULL);
    CHECK(kpmc_db_for_cpu_string("cpu_8_8_5eed") == NULL);
    CHECK(kpmc_db_for_cpu_string("cpu_7_8_5eee") == NULL);
}

/* ---- tables/generic.tsv: cycles, instructions, L1D.misses, loads ---- */

static void check_generic(void)
{
    CHECK_INT(kpmc_generic_count(), 4);
    CHECK_INT(KPMC_GEN_COUNT, 4);
    static const struct {
        int id;
        const char *name, *description;
    } want[] = {
        {KPMC_GEN_CYCLES, "cycles", "Core cycles"},
        {KPMC_GEN_INSTRUCTIONS, "instructions", "Retired instructions"},
        {KPMC_GEN_L1D_MISSES, "L1D.misses", "Loads that missed L1D, \"quoted\" & <marked>"},
        {KPMC_GEN_LOADS, "loads", "Load uops"},
    };
    for (size_t i = 0; i < COUNT(want); i++) {
        kpmc_generic_info gi = {.size = sizeof gi};
        CHECK_INT(want[i].id, i);
        CHECK_INT(kpmc_generic_get(want[i].id, &gi), 0);
        CHECK_STR(gi.name, want[i].name);
        CHECK_STR(gi.description, want[i].description);
        CHECK_STR(kpmc_generic_name(want[i].id), want[i].name);
        CHECK_INT(kpmc_generic_find(want[i].name), want[i].id);
    }
    CHECK_INT(kpmc_generic_find("CYCLES"), KPMC_GEN_CYCLES);
    CHECK_INT(kpmc_generic_find("l1d.MISSES"), KPMC_GEN_L1D_MISSES);
    CHECK_INT(kpmc_generic_find_n("cyclesX", 6), KPMC_GEN_CYCLES);
    CHECK_INT(kpmc_generic_find("cycle"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_generic_find("l1d_misses"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_generic_find(NULL), KPMC_E_INVAL);
    CHECK(kpmc_generic_name(4) == NULL && kpmc_generic_name(-1) == NULL);
    kpmc_generic_info gi = {.size = sizeof gi};
    CHECK_INT(kpmc_generic_get(4, &gi), KPMC_E_INVAL);
    CHECK_INT(kpmc_generic_get(0, NULL), KPMC_E_INVAL);

    const kpmc_db *f = kpmc_db_at(KPMC_DB_FIXTURE);
    /* {db, id, all, user, note}, -1: none */
    static const struct {
        int db, id, all, user;
        const char *note;
    } map[] = {
        {KPMC_DB_FIXTURE, KPMC_GEN_CYCLES, KPMC_FIXTURE_FIXED_CYCLES, -1, "no user-mode cycle event in this fixture"},
        {KPMC_DB_FIXTUREX, KPMC_GEN_CYCLES, KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD, KPMC_FIXTUREX_CPU_CLK_UNHALTED_THREAD_P,
         NULL},
        {KPMC_DB_FIXTURE2, KPMC_GEN_CYCLES, -1, -1, NULL},
        {KPMC_DB_FIXTURE10, KPMC_GEN_CYCLES, -1, -1, NULL},
        {KPMC_DB_FIXTURE, KPMC_GEN_INSTRUCTIONS, KPMC_FIXTURE_FIXED_INSTRUCTIONS, KPMC_FIXTURE_INST_ALL, NULL},
        {KPMC_DB_FIXTURE2, KPMC_GEN_INSTRUCTIONS, KPMC_FIXTURE2_INST_ALL, KPMC_FIXTURE2_INST_ALL, NULL},
        {KPMC_DB_FIXTUREX, KPMC_GEN_INSTRUCTIONS, KPMC_FIXTUREX_INST_RETIRED_ANY, KPMC_FIXTUREX_INST_RETIRED_ANY_P,
         "the fixed counter in all mode"},
        {KPMC_DB_FIXTURE, KPMC_GEN_L1D_MISSES, -1, -1, "nothing"},
        {KPMC_DB_FIXTUREX, KPMC_GEN_L1D_MISSES, -1, -1, "nothing"},
        {KPMC_DB_FIXTURE2, KPMC_GEN_L1D_MISSES, -1, -1, "nothing"},
        {KPMC_DB_FIXTURE, KPMC_GEN_LOADS, KPMC_FIXTURE_LD_UNIT_UOP, KPMC_FIXTURE_LD_UNIT_UOP, NULL},
        {KPMC_DB_FIXTUREX, KPMC_GEN_LOADS, -1, KPMC_FIXTUREX_MEM_LOADS, "mapped in user mode only, for the test"},
        {KPMC_DB_FIXTURE10, KPMC_GEN_LOADS, -1, -1, NULL},
    };
    for (size_t i = 0; i < COUNT(map); i++) {
        const kpmc_db *db = kpmc_db_at((size_t)map[i].db);
        CHECK_INT(kpmc_generic_resolve(db, map[i].id, 0), map[i].all < 0 ? KPMC_E_NOEVENT : map[i].all);
        CHECK_INT(kpmc_generic_resolve(db, map[i].id, 1), map[i].user < 0 ? KPMC_E_NOEVENT : map[i].user);
        CHECK_STR(kpmc_generic_note(db, map[i].id), map[i].note);
    }
    CHECK_INT(kpmc_generic_resolve(f, KPMC_GEN_CYCLES, 2), KPMC_E_INVAL);
    CHECK_INT(kpmc_generic_resolve(f, -1, 0), KPMC_E_INVAL);
    CHECK_INT(kpmc_generic_resolve(f, KPMC_GEN_COUNT, 0), KPMC_E_INVAL);
    CHECK_INT(kpmc_generic_resolve(NULL, KPMC_GEN_CYCLES, 0), KPMC_E_INVAL);
    CHECK(kpmc_generic_note(NULL, 0) == NULL && kpmc_generic_note(f, 9) == NULL);
}

/* ---- tables/chips.tsv ---- */

static void check_chips(void)
{
    /* table order; 0xdead has no link, fixture10 no family */
    static const struct {
        const char *name;
        uint32_t family;
        int db;
    } want[] = {
        {"Test One", 0x1a2b3c4d, KPMC_DB_FIXTURE},  {"Test One Pro", 0x1a2b3c4d, KPMC_DB_FIXTURE},
        {"Test One Max", 0xabcdef01, KPMC_DB_FIXTURE}, {"Two", 0x2, KPMC_DB_FIXTURE2},
        {"Lake X", 0x5eed, KPMC_DB_FIXTUREX},       {"Lake-Y", 0x5eed, KPMC_DB_FIXTUREX},
    };
    CHECK_INT(kpmc_chip_count(), COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        kpmc_chip_info c = {.size = sizeof c};
        CHECK_INT(kpmc_chip_at(i, &c), 0);
        CHECK_STR(c.name, want[i].name);
        CHECK_INT(c.family, want[i].family);
        CHECK(c.db == kpmc_db_at((size_t)want[i].db));
        CHECK(kpmc_db_find(want[i].name) == kpmc_db_at((size_t)want[i].db));
    }
    kpmc_chip_info c = {.size = sizeof c};
    CHECK_INT(kpmc_chip_at(COUNT(want), &c), KPMC_E_INVAL);
    CHECK_INT(kpmc_chip_at(0, NULL), KPMC_E_INVAL);
    const kpmc_db *f = kpmc_db_at(KPMC_DB_FIXTURE), *fx = kpmc_db_at(KPMC_DB_FIXTUREX);
    /* case, spaces, '-' and '_' inside a name do not matter; at its ends they do */
    CHECK(kpmc_db_find("testonepro") == f);
    CHECK(kpmc_db_find("TEST-ONE_max") == f);
    CHECK(kpmc_db_find("lake y") == fx);
    CHECK(kpmc_db_find("LakeY") == fx);
    CHECK(kpmc_db_find(" Two") == NULL);
    CHECK(kpmc_db_find("Two-") == NULL);
    CHECK(kpmc_db_find("Test On") == NULL);
    CHECK(kpmc_db_find("Not Linked") == NULL);
    CHECK(kpmc_db_find("") == NULL);

    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(f, &d);
    CHECK_STR(d.chips, "Test One, Test One Pro, Test One Max");
    kpmc_db_get(kpmc_db_at(KPMC_DB_FIXTURE2), &d);
    CHECK_STR(d.chips, "Two");
    kpmc_db_get(kpmc_db_at(KPMC_DB_FIXTURE10), &d);
    CHECK(d.chips == NULL);
    kpmc_family_info fi = {.size = sizeof fi};
    CHECK_INT(kpmc_db_family(f, 0, &fi), 0);
    CHECK_STR(fi.chips, "Test One, Test One Pro");
    CHECK_STR(fi.codename, "Alpha/Beta");
    CHECK_INT(kpmc_db_family(f, 1, &fi), 0);
    CHECK_STR(fi.chips, "Test One Max");
    CHECK(fi.codename == NULL);
}

/* ---- did you mean ---- */

/* What a did-you-mean call returned (n) and wrote (buf; NULL when it was
 * given none) against want; a failure names the table row at line. */
static void check_said(int line, const char *call, const char *name, size_t n, const char *buf, const char *want)
{
    char what[128];
    snprintf(what, sizeof what, "%s(\"%s\")", call, name ? name : "NULL");
    check_int(__FILE__, line, what, (long long)n, (long long)strlen(want));
    if (buf)
        check_str(__FILE__, line, what, buf, want);
}

enum { NO_DB = -1, BUF = 256 };

static void check_suggest(void)
{
    /* kpmc_suggest_event(db, name, mode, buf, len): db NO_DB is NULL, len 0
     * a NULL buf; "": nothing to suggest */
    static const struct {
        int line, db;
        const char *name;
        int mode;
        size_t len;
        const char *want;
    } events[] = {
        /* an event of the other architecture, and what counts it here */
        {__LINE__, KPMC_DB_FIXTURE, "INST_RETIRED.ANY", 1, BUF,
         "INST_RETIRED.ANY is an Intel event; on fixture: instructions (INST_ALL)"},
        {__LINE__, KPMC_DB_FIXTURE, "INST_RETIRED.ANY", 0, BUF,
         "INST_RETIRED.ANY is an Intel event; on fixture: instructions (FIXED_INSTRUCTIONS)"},
        {__LINE__, KPMC_DB_FIXTUREX, "FIXED_CYCLES", 0, BUF,
         "FIXED_CYCLES is an Apple event; on fixturex: cycles (CPU_CLK_UNHALTED.THREAD)"},
        /* the user-mode event of a generic event there */
        {__LINE__, KPMC_DB_FIXTURE, "CPU_CLK_UNHALTED.THREAD_P", 0, BUF,
         "CPU_CLK_UNHALTED.THREAD_P is an Intel event; on fixture: cycles (FIXED_CYCLES)"},
        /* neither a generic event nor an alias leads here */
        {__LINE__, KPMC_DB_FIXTURE, "CPU_CLK_UNHALTED.REF_TSC", 0, BUF, "CPU_CLK_UNHALTED.REF_TSC is an Intel event"},
        /* an event of another database of the same architecture */
        {__LINE__, KPMC_DB_FIXTURE2, "LD_UNIT_UOP", 0, BUF, "LD_UNIT_UOP is an event of fixture, not of fixture2"},
        {__LINE__, KPMC_DB_FIXTURE, "ONLY_TWO", 1, BUF, "ONLY_TWO is an event of fixture2, not of fixture"},
        /* misspellings: the closest names, generic ones with their event */
        {__LINE__, KPMC_DB_FIXTURE, "INST_AL", 0, BUF, "did you mean INST_ALL?"},
        {__LINE__, KPMC_DB_FIXTURE, "cycle", 0, BUF, "did you mean cycles (FIXED_CYCLES) or Cycles (FIXED_CYCLES)?"},
        {__LINE__, KPMC_DB_FIXTURE, "lods", 0, BUF, "did you mean loads (LD_UNIT_UOP) or Loads (LD_UNIT_UOP)?"},
        {__LINE__, KPMC_DB_FIXTURE, "wide-max", 0, BUF, "did you mean WIDE_MAX?"},
        {__LINE__, KPMC_DB_FIXTURE, "QQQQQQQQQQ", 0, BUF, ""},
        /* a generic event without an event in this mode */
        {__LINE__, KPMC_DB_FIXTURE, "cycles", 1, BUF,
         "cycles is a generic event that fixture counts in all modes (FIXED_CYCLES), not in user mode: "
         "no user-mode cycle event in this fixture"},
        {__LINE__, KPMC_DB_FIXTURE2, "cycles", 0, BUF, "cycles is a generic event that fixture2 has no event for"},
        /* nothing to suggest for a name that resolves */
        {__LINE__, KPMC_DB_FIXTURE, "cycles", 0, BUF, ""},
        {__LINE__, KPMC_DB_FIXTURE, "loads", 1, BUF, ""},
        {__LINE__, KPMC_DB_FIXTURE, "inst_all", 1, BUF, ""},
        /* bad arguments, truncation */
        {__LINE__, NO_DB, "INST_AL", 0, BUF, ""},
        {__LINE__, KPMC_DB_FIXTURE, NULL, 0, BUF, ""},
        {__LINE__, KPMC_DB_FIXTURE, "INST_AL", 2, BUF, ""},
        {__LINE__, KPMC_DB_FIXTURE, "INST_AL", 0, 0, ""},
        {__LINE__, KPMC_DB_FIXTURE, "INST_AL", 0, 8, "did you"},
    };
    /* kpmc_suggest_db(name, buf, BUF): databases by their names and chips */
    static const struct {
        int line;
        const char *name, *want;
    } dbs[] = {
        {__LINE__, "fixtur", "did you mean fixture?"},
        {__LINE__, "Test Onr Pro", "did you mean Test One Pro (fixture)?"},
        {__LINE__, "lake z", "did you mean Lake X (fixturex) or Lake-Y (fixturex)?"},
        {__LINE__, "fixture", ""},
        {__LINE__, "nothing at all here", ""},
        {__LINE__, NULL, ""},
    };
    char buf[BUF];
    for (size_t i = 0; i < COUNT(events); i++) {
        const kpmc_db *db = events[i].db == NO_DB ? NULL : kpmc_db_at((size_t)events[i].db);
        char *to = events[i].len ? buf : NULL;
        size_t n = kpmc_suggest_event(db, events[i].name, events[i].mode, to, events[i].len);
        check_said(events[i].line, "kpmc_suggest_event", events[i].name, n, to, events[i].want);
    }
    for (size_t i = 0; i < COUNT(dbs); i++) {
        size_t n = kpmc_suggest_db(dbs[i].name, buf, sizeof buf);
        check_said(dbs[i].line, "kpmc_suggest_db", dbs[i].name, n, buf, dbs[i].want);
    }
}

int main(void)
{
    check_databases();
    check_events();
    check_aliases();
    check_lookup();
    check_families();
    check_generic();
    check_chips();
    check_suggest();
    return check_result("test_catalog_fixture");
}
