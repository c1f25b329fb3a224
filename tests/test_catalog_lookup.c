/* Lookups in the built catalog, checked against answers the test computes by
 * itself: a linear, case-insensitive scan of every database's names and
 * aliases (not the catalog's perfect hash), the cpu_* links read from the
 * kpep folder (or from the catalog's banner), and every enumerator of the
 * generated headers (enum_table, written by tests/test_gen_enum_table.py).
 *
 *   test_catalog_lookup LINKS [--snapshot]
 *
 * LINKS is the kpep folder the catalog came from, or its catalog_data.c
 * (whose banner lists the links).  --snapshot: the catalog is the committed
 * one, made from catalog/kpep; also check facts of those files (the 21
 * databases, 22 links, the inconsistencies of skylake, kabylake, cometlake). */
#define _POSIX_C_SOURCE 200809L
#include <kpmc/catalog.h>
#include <kpmc/db/all.h>
#include <kpmc/events.h>

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_catalog.h"

struct enum_entry {
    int db; /* KPMC_DB_*, or -1 for a KPMC_DB_* entry, -2 for a KPMC_EV_* entry, -3 for KPMC_GEN_* */
    const char *ident, *suffix;
    long value;
};
extern const struct enum_entry enum_table[];
extern const size_t enum_table_len, enum_table_headers;

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 32 : c;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII case-insensitive equality of s and q[0..len). */
static int same(const char *s, const char *q, size_t len)
{
    size_t i = 0;
    for (; i < len; i++)
        if (!s[i] || upper((unsigned char)s[i]) != upper((unsigned char)q[i]))
            return 0;
    return !s[i];
}

/* The index kpmc_event_find_n must give: a plain scan. */
static int oracle(const kpmc_db *db, const char *q, size_t len)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    for (unsigned i = 0; i < d.n_events; i++)
        if (same(kpmc_event_name(db, i), q, len))
            return (int)i;
    for (size_t k = 0; k < d.n_aliases; k++) {
        const char *a;
        unsigned ev;
        kpmc_db_alias(db, k, &a, &ev);
        if (same(a, q, len))
            return (int)ev;
    }
    return KPMC_E_NOEVENT;
}

static void recase(const char *s, char *out, int how)
{
    size_t i = 0;
    for (; s[i]; i++)
        out[i] = (char)(how == 0 ? lower((unsigned char)s[i])
                        : how == 1 ? upper((unsigned char)s[i])
                                   : (i % 2 ? lower((unsigned char)s[i]) : upper((unsigned char)s[i])));
    out[i] = '\0';
}

/* ---- every name, by exact, other-case and near-miss spellings ---- */

static void check_name(const kpmc_db *db, const char *name, int want)
{
    char buf[256], other[256];
    size_t n = strlen(name);
    if (n + 8 > sizeof buf) {
        CHECK(!"name too long for the test");
        return;
    }
    CHECK_INT(kpmc_event_find(db, name), want);
    for (int how = 0; how < 3; how++) {
        recase(name, other, how);
        CHECK_INT(kpmc_event_find(db, other), want);
    }
    /* not NUL-terminated: the name followed by more characters */
    memcpy(buf, name, n);
    memcpy(buf + n, "_X. #", 5);
    CHECK_INT(kpmc_event_find_n(db, buf, n), want);
    recase(name, other, 2);
    memcpy(other + n, "Q", 2);
    CHECK_INT(kpmc_event_find_n(db, other, n), want);
    /* near misses: what the scan says (almost always no event) */
    CHECK_INT(kpmc_event_find_n(db, buf, n - 1), oracle(db, buf, n - 1));
    CHECK_INT(kpmc_event_find_n(db, buf, n + 1), oracle(db, buf, n + 1));
    buf[n] = ' ';
    CHECK_INT(kpmc_event_find_n(db, buf, n + 1), KPMC_E_NOEVENT);
    other[0] = ' ';
    memcpy(other + 1, name, n + 1);
    CHECK_INT(kpmc_event_find(db, other), KPMC_E_NOEVENT);
    memcpy(buf, name, n + 1);
    buf[n - 1] = buf[n - 1] == '#' ? '%' : '#';
    CHECK_INT(kpmc_event_find(db, buf), oracle(db, buf, n));
}

static void check_events(void)
{
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        kpmc_db_info d = {.size = sizeof d};
        CHECK_INT(kpmc_db_get(db, &d), 0);
        CHECK(d.n_events > 0);
        for (unsigned e = 0; e < d.n_events; e++) {
            const char *name = kpmc_event_name(db, e);
            CHECK(name != NULL);
            if (!name)
                continue;
            CHECK_INT(oracle(db, name, strlen(name)), (int)e); /* names are unique in a database */
            check_name(db, name, (int)e);
        }
        for (size_t k = 0; k < d.n_aliases; k++) {
            const char *alias = NULL;
            unsigned ev = 0;
            CHECK_INT(kpmc_db_alias(db, k, &alias, &ev), 0);
            CHECK(ev < d.n_events);
            if (alias)
                check_name(db, alias, (int)ev);
        }
        CHECK_INT(kpmc_event_find(db, ""), KPMC_E_NOEVENT);
        CHECK_INT(kpmc_event_find(db, "NO_SUCH_EVENT_ANYWHERE"), KPMC_E_NOEVENT);
        CHECK_INT(kpmc_event_find(db, NULL), KPMC_E_INVAL);
    }
}

/* The k-th name of db: its events' names, then its aliases. */
static const char *name_at(const kpmc_db *db, const kpmc_db_info *d, size_t k)
{
    const char *name = NULL;
    if (k < d->n_events)
        name = kpmc_event_name(db, (unsigned)k);
    else
        kpmc_db_alias(db, k - d->n_events, &name, NULL);
    return name ? name : "";
}

/* Every name of every database, looked up in every other database. */
static void check_cross(void)
{
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *src = kpmc_db_at(i);
        kpmc_db_info s = {.size = sizeof s};
        kpmc_db_get(src, &s);
        for (size_t k = 0; k < s.n_events + s.n_aliases; k++) {
            const char *name = name_at(src, &s, k);
            for (size_t j = 0; j < kpmc_db_count(); j++) {
                const kpmc_db *db = kpmc_db_at(j);
                CHECK_INT(kpmc_event_find(db, name), oracle(db, name, strlen(name)));
            }
        }
    }
}

/* ---- every event's fields that follow from others ---- */

static void check_fields(void)
{
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        for (unsigned e = 0; e < d.n_events; e++) {
            kpmc_event_info info = {.size = sizeof info};
            CHECK_INT(kpmc_event_get(db, e, &info), 0);
            CHECK_INT(info.index, e);
            CHECK_STR(info.name, kpmc_event_name(db, e));
            if (info.has & KPMC_HAS_COUNTERS_MASK) {
                CHECK_INT(info.counters, info.counters_mask);
            } else {
                CHECK_INT(info.counters, d.config_counters);
                CHECK_INT(info.counters_mask, 0);
            }
            CHECK((info.description != NULL) == !!(info.has & KPMC_HAS_DESCRIPTION));
            CHECK(info.has & (KPMC_HAS_NUMBER | KPMC_HAS_FIXED_COUNTER));
            if (info.has & KPMC_HAS_FALLBACK) {
                CHECK(info.fallback != NULL);
                if (info.fallback)
                    CHECK_INT(info.fallback_index, kpmc_event_find(db, info.fallback));
            } else {
                CHECK_STR(info.fallback, NULL);
                CHECK_INT(info.fallback_index, -1);
            }
            CHECK_INT(info.portable, kpmc_ev_find(info.name));
            size_t n = 0;
            for (size_t k = 0; k < d.n_aliases; k++) {
                const char *a;
                unsigned ev;
                kpmc_db_alias(db, k, &a, &ev);
                if (ev == e)
                    CHECK_STR(kpmc_event_alias(db, e, n++), a);
            }
            CHECK_INT(info.n_aliases, n);
            CHECK_STR(kpmc_event_alias(db, e, n), NULL);
        }
        kpmc_event_info info = {.size = sizeof info};
        CHECK_INT(kpmc_event_get(db, (unsigned)d.n_events, &info), KPMC_E_INVAL);
        CHECK_STR(kpmc_event_name(db, (unsigned)d.n_events), NULL);
    }
}

/* ---- portable ids ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ev_oracle(const char *q, size_t len)
{
    for (int ev = 0; ev < (int)kpmc_ev_count(); ev++)
        if (same(kpmc_ev_name(ev), q, len))
            return ev;
    return KPMC_E_NOEVENT;
}

static void check_portable(void)
{
    /* the distinct upper-cased names and aliases of all databases */
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(i), &d);
        cap += d.n_events + d.n_aliases;
    }
    char **folds = calloc(cap + 1, sizeof *folds);
    for (size_t i = 0; folds && i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        for (size_t k = 0; k < d.n_events + d.n_aliases; k++) {
            const char *name = name_at(db, &d, k);
            folds[n] = malloc(strlen(name) + 1);
            if (folds[n])
                recase(name, folds[n++], 1);
        }
    }
    qsort(folds, n, sizeof *folds, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += !i || strcmp(folds[i], folds[i - 1]);
    CHECK_INT(kpmc_ev_count(), distinct);
    CHECK_INT(KPMC_EV_COUNT, distinct);
    for (size_t i = 0; i < n; i++) {
        int ev = kpmc_ev_find(folds[i]);
        CHECK(ev >= 0);
        if (ev >= 0)
            CHECK(same(kpmc_ev_name(ev), folds[i], strlen(folds[i])));
        free(folds[i]);
    }
    free(folds);
    for (int ev = 0; ev < (int)kpmc_ev_count(); ev++) {
        const char *name = kpmc_ev_name(ev);
        CHECK(name != NULL);
        if (!name)
            continue;
        char other[256];
        recase(name, other, 0);
        CHECK_INT(kpmc_ev_find(name), ev);
        CHECK_INT(kpmc_ev_find(other), ev);
        CHECK_INT(kpmc_ev_find_n(name, strlen(name) - 1), ev_oracle(name, strlen(name) - 1));
        char padded[260];
        snprintf(padded, sizeof padded, "%s ", name);
        CHECK_INT(kpmc_ev_find(padded), KPMC_E_NOEVENT);
        for (size_t i = 0; i < kpmc_db_count(); i++) {
            const kpmc_db *db = kpmc_db_at(i);
            CHECK_INT(kpmc_ev_resolve(db, ev), oracle(db, name, strlen(name)));
        }
    }
    CHECK_STR(kpmc_ev_name((int)kpmc_ev_count()), NULL);
    CHECK_STR(kpmc_ev_name(-1), NULL);
    CHECK_INT(kpmc_ev_resolve(kpmc_db_at(0), (int)kpmc_ev_count()), KPMC_E_INVAL);
    CHECK_INT(kpmc_ev_resolve(kpmc_db_at(0), -1), KPMC_E_INVAL);
    CHECK_INT(kpmc_ev_resolve(NULL, 0), KPMC_E_INVAL);
    CHECK_INT(kpmc_ev_find("NO_SUCH_EVENT_ANYWHERE"), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_find(""), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_find(NULL), KPMC_E_INVAL);
}

/* ---- every enumerator of the generated headers ---- */

#ifdef KPMC_TEST_NO_ENUM_TABLE /* built without python3 */
const struct enum_entry enum_table[] = {{0, "", "", 0}};
const size_t enum_table_len = 0, enum_table_headers = 0;
#endif

static void check_enum_table(void)
{
#ifdef KPMC_TEST_NO_ENUM_TABLE
    puts("no table of the headers' enumerators (no python3 at build time): not checked");
    return;
#endif
    size_t per_db[256] = {0}, n_db = 0, n_ev = 0, n_gen = 0;
    char ident[256];
    CHECK_INT(enum_table_headers, kpmc_db_count());
    for (size_t t = 0; t < enum_table_len; t++) {
        const struct enum_entry *x = &enum_table[t];
        if (x->db == -1) { /* KPMC_DB_<IDENT> = its position */
            n_db++;
            test_mangle(kpmc_db_name(kpmc_db_at((size_t)x->value)) ? kpmc_db_name(kpmc_db_at((size_t)x->value))
                                                                     : "",
                        ident, sizeof ident);
            CHECK_STR(ident, x->suffix);
            continue;
        }
        if (x->db == -2) { /* KPMC_EV_<IDENT> = the id of a name that mangles to IDENT */
            n_ev++;
            const char *name = kpmc_ev_name((int)x->value);
            test_mangle(name ? name : "", ident, sizeof ident);
            CHECK_STR(ident, x->suffix);
            continue;
        }
        if (x->db == -3) { /* KPMC_GEN_<IDENT> = the id of the generic event that mangles to IDENT */
            n_gen++;
            const char *name = kpmc_generic_name((int)x->value);
            test_mangle(name ? name : "", ident, sizeof ident);
            CHECK_STR(ident, x->suffix);
            CHECK_INT(name ? kpmc_generic_find(name) : -1, x->value);
            continue;
        }
        const kpmc_db *db = kpmc_db_at((size_t)x->db);
        kpmc_db_info d = {.size = sizeof d};
        if (kpmc_db_get(db, &d) || (size_t)x->db >= 256) {
            CHECK(!"enumerator of an unknown database");
            continue;
        }
        test_mangle(d.name, ident, sizeof ident);
        CHECK_STR(ident, x->ident);
        per_db[x->db]++;
        if (!strcmp(x->suffix, "EVENT_COUNT")) {
            CHECK_INT(x->value, d.n_events);
            continue;
        }
        /* the value is an event whose name or one of whose aliases mangles
         * to the suffix, and looking that name up gives the value */
        CHECK(x->value >= 0 && (size_t)x->value < d.n_events);
        const char *match = NULL;
        int matches = 0;
        for (size_t k = 0; k <= d.n_aliases; k++) {
            const char *name = k == 0 ? kpmc_event_name(db, (unsigned)x->value)
                                      : kpmc_event_alias(db, (unsigned)x->value, k - 1);
            if (!name)
                break;
            test_mangle(name, ident, sizeof ident);
            if (!strcmp(ident, x->suffix)) {
                match = name;
                matches++;
            }
        }
        if (matches != 1)
            fprintf(stderr, "KPMC_%s_%s = %ld: %d names of that event mangle to %s\n", x->ident, x->suffix, x->value,
                    matches, x->suffix);
        CHECK_INT(matches, 1);
        if (match)
            CHECK_INT(kpmc_event_find(db, match), x->value);
    }
    CHECK_INT(n_db, kpmc_db_count());
    CHECK_INT(n_ev, kpmc_ev_count());
    CHECK_INT(n_gen, kpmc_generic_count());
    for (size_t i = 0; i < kpmc_db_count() && i < 256; i++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(i), &d);
        CHECK_INT(per_db[i], d.n_events + d.n_aliases + 1); /* every name, and EVENT_COUNT */
    }
}

/* Compile-time ids of a few names per database, as the plists spell them. */
static void check_samples(void)
{
    static const struct {
        int db, id;
        const char *name;
    } s[] = {
#define APPLE(X)                                                                                        \
    {KPMC_DB_##X, KPMC_##X##_INST_ALL, "INST_ALL"}, {KPMC_DB_##X, KPMC_##X##_FIXED_CYCLES, "FIXED_CYCLES"}, \
        {KPMC_DB_##X, KPMC_##X##_CYCLES, "Cycles"}, {KPMC_DB_##X, KPMC_##X##_INSTRUCTIONS, "instructions"}
#define INTEL(X)                                                                                                     \
    {KPMC_DB_##X, KPMC_##X##_INST_RETIRED_ANY, "INST_RETIRED.ANY"}, {KPMC_DB_##X, KPMC_##X##_INST_ALL, "INST_ALL"}, \
        {KPMC_DB_##X, KPMC_##X##_CPU_CLK_UNHALTED_THREAD, "cpu_clk_unhalted.thread"},                               \
        {KPMC_DB_##X, KPMC_##X##_REFERENCECYCLES, "ReferenceCycles"}
        APPLE(A7), APPLE(A8), APPLE(A9), APPLE(A10), APPLE(A11), APPLE(A12), APPLE(A13), APPLE(A14), APPLE(A15),
        APPLE(A16), APPLE(AS1), APPLE(AS2), APPLE(AS3), APPLE(AS4),
        INTEL(IVYBRIDGE), INTEL(HASWELL), INTEL(BROADWELL), INTEL(SKYLAKE), INTEL(KABYLAKE), INTEL(COMETLAKE),
        INTEL(ICELAKE),
#undef APPLE
#undef INTEL
        {KPMC_DB_A14, KPMC_A14_L1D_CACHE_MISS_LD, "L1D_CACHE_MISS_LD"},
        {KPMC_DB_SKYLAKE, KPMC_SKYLAKE_MEM_LOAD_RETIRED_L1_MISS, "MEM_LOAD_RETIRED.L1_MISS"},
        {KPMC_DB_ICELAKE, KPMC_ICELAKE_TOPDOWN_SLOTS, "TOPDOWN.SLOTS"},
        {KPMC_DB_BROADWELL, KPMC_BROADWELL_INST_SIMD_ALU, "INST_RETIRED.X87"},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        CHECK_INT(s[i].id, kpmc_event_find(kpmc_db_at((size_t)s[i].db), s[i].name));
    static const char *const names[] = {"a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15", "a16", "as1",
                                        "as2", "as3", "as4", "broadwell", "cometlake", "haswell", "icelake",
                                        "ivybridge", "kabylake", "skylake"};
    static const int ids[] = {KPMC_DB_A7, KPMC_DB_A8, KPMC_DB_A9, KPMC_DB_A10, KPMC_DB_A11, KPMC_DB_A12,
                              KPMC_DB_A13, KPMC_DB_A14, KPMC_DB_A15, KPMC_DB_A16, KPMC_DB_AS1, KPMC_DB_AS2,
                              KPMC_DB_AS3, KPMC_DB_AS4, KPMC_DB_BROADWELL, KPMC_DB_COMETLAKE, KPMC_DB_HASWELL,
                              KPMC_DB_ICELAKE, KPMC_DB_IVYBRIDGE, KPMC_DB_KABYLAKE, KPMC_DB_SKYLAKE};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_STR(kpmc_db_name(kpmc_db_at((size_t)ids[i])), names[i]);

    /* portable ids across databases */
    const kpmc_db *a14 = kpmc_db_at(KPMC_DB_A14), *sky = kpmc_db_at(KPMC_DB_SKYLAKE);
    CHECK_INT(kpmc_ev_resolve(a14, KPMC_EV_INST_ALL), KPMC_A14_INST_ALL);
    CHECK_STR(kpmc_event_name(a14, KPMC_A14_INST_ALL), "INST_ALL");
    CHECK_INT(kpmc_ev_resolve(sky, KPMC_EV_INST_ALL), KPMC_SKYLAKE_INST_RETIRED_ANY);
    CHECK_STR(kpmc_event_name(sky, KPMC_SKYLAKE_INST_RETIRED_ANY), "INST_RETIRED.ANY");
    CHECK_INT(kpmc_ev_resolve(a14, KPMC_EV_CYCLES), KPMC_A14_FIXED_CYCLES);
    CHECK_STR(kpmc_event_name(a14, KPMC_A14_FIXED_CYCLES), "FIXED_CYCLES");
    CHECK_INT(kpmc_ev_resolve(sky, KPMC_EV_CYCLES), KPMC_E_NOEVENT);
    CHECK(kpmc_ev_resolve(a14, KPMC_EV_ATOMIC_OR_EXCLUSIVE_FAIL) >= 0);
    CHECK_INT(kpmc_ev_resolve(sky, KPMC_EV_ATOMIC_OR_EXCLUSIVE_FAIL), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_resolve(kpmc_db_at(KPMC_DB_A7), KPMC_EV_INST_RETIRED_ANY), KPMC_E_NOEVENT);
    CHECK_INT(kpmc_ev_resolve(kpmc_db_at(KPMC_DB_ICELAKE), KPMC_EV_REFERENCECYCLES), KPMC_ICELAKE_CPU_CLK_UNHALTED_REF_TSC);
}

/* ---- databases by name ---- */

static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            long x = 0, y = 0;
            for (; *a >= '0' && *a <= '9'; a++)
                x = x * 10 + (*a - '0');
            for (; *b >= '0' && *b <= '9'; b++)
                y = y * 10 + (*b - '0');
            if (x != y)
                return x < y ? -1 : 1;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static const kpmc_db *db_oracle(const char *q)
{
    for (size_t i = 0; i < kpmc_db_count(); i++)
        if (same(kpmc_db_name(kpmc_db_at(i)), q, strlen(q)))
            return kpmc_db_at(i);
    return NULL;
}

static void check_databases(void)
{
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        const char *name = kpmc_db_name(db);
        char buf[64];
        CHECK_INT(kpmc_db_id(db), i);
        CHECK(kpmc_db_find(name) == db);
        for (int how = 0; how < 3; how++) {
            recase(name, buf, how);
            CHECK(kpmc_db_find(buf) == db);
        }
        snprintf(buf, sizeof buf, "%s ", name);
        CHECK(kpmc_db_find(buf) == NULL);
        snprintf(buf, sizeof buf, " %s", name);
        CHECK(kpmc_db_find(buf) == NULL);
        snprintf(buf, sizeof buf, "%sx", name);
        CHECK(kpmc_db_find(buf) == db_oracle(buf));
        snprintf(buf, sizeof buf, "%.*s", (int)strlen(name) - 1, name);
        CHECK(kpmc_db_find(buf) == db_oracle(buf));
        if (i)
            CHECK(natural_cmp(kpmc_db_name(kpmc_db_at(i - 1)), name) < 0);
    }
    CHECK(kpmc_db_at(kpmc_db_count()) == NULL);
    CHECK(kpmc_db_find("") == NULL);
    CHECK(kpmc_db_find(NULL) == NULL);
    CHECK(kpmc_db_find("a14.plist") == NULL);
}

/* ---- families: the cpu_* links ---- */

struct link {
    uint32_t type, subtype, family;
    char file[64]; /* the target: a database's file name */
};

static struct link links[256];
static size_t n_links;

static int parse_link_name(const char *s, struct link *l)
{
    unsigned long v[3];
    char *end;
    if (strncmp(s, "cpu_", 4))
        return 0;
    s += 4;
    for (int i = 0; i < 3; i++) {
        v[i] = strtoul(s, &end, 16);
        if (end == s || end - s > 8 || *end != (i < 2 ? '_' : '.'))
            return 0;
        s = end + 1;
    }
    if (strncmp(s, "plist", 5))
        return 0;
    l->type = (uint32_t)v[0];
    l->subtype = (uint32_t)v[1];
    l->family = (uint32_t)v[2];
    return 1;
}

static void set_target(struct link *l, const char *target)
{
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    snprintf(l->file, sizeof l->file, "%.*s", (int)strcspn(base, "\r\n "), base);
}

/* The database read from that file. */
static const kpmc_db *db_of(const struct link *l)
{
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(i), &d);
        if (!strcmp(d.source, l->file))
            return kpmc_db_at(i);
    }
    return NULL;
}

static void read_links_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) && n_links < 256;) {
        struct link *l = &links[n_links];
        if (!parse_link_name(e->d_name, l))
            continue;
        char path[4096], target[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0) { /* a file holding the target's name */
            FILE *f = fopen(path, "r");
            n = f ? (ssize_t)fread(target, 1, sizeof target - 1, f) : -1;
            if (f)
                fclose(f);
        }
        if (n <= 0 || target[0] == '<')
            continue; /* unreadable, or a copy of its database */
        target[n] = '\0';
        set_target(l, target);
        n_links++;
    }
    closedir(d);
}

static void read_links_banner(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f) && strncmp(line, " */", 3) && n_links < 256) {
        char name[256], target[256];
        if (sscanf(line, " * %255s -> %255s", name, target) == 2 && parse_link_name(name, &links[n_links])) {
            set_target(&links[n_links], target);
            n_links++;
        }
    }
    if (f)
        fclose(f);
}

static const kpmc_db *link_oracle(uint32_t type, uint32_t subtype, uint32_t family)
{
    for (size_t i = 0; i < n_links; i++)
        if (links[i].type == type && links[i].subtype == subtype && links[i].family == family)
            return db_of(&links[i]);
    return NULL;
}

/* The cpu-string forms below are formats applied to each link's numbers. */
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif

static void check_families(void)
{
    CHECK(n_links > 0);
    CHECK_INT(kpmc_family_count(), n_links);
    for (size_t i = 0; i < n_links; i++) {
        const struct link *l = &links[i];
        const kpmc_db *db = db_of(l);
        char s[128];
        CHECK(db != NULL);
        CHECK(kpmc_db_for_family(l->family) == db);
        static const char *const forms[] = {"cpu_%x_%x_%x", "cpu_%x_%x_%x_9e", "cpu_%x_%x_%x.plist",
                                            "cpu_%x_%x_%x_a5.plist", "cpu_%X_%X_%X", "cpu_%X_%X_%X_A5"};
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            snprintf(s, sizeof s, forms[f], l->type, l->subtype, l->family);
            if (kpmc_db_for_cpu_string(s) != db)
                fprintf(stderr, "kpmc_db_for_cpu_string(\"%s\") is not %s\n", s, l->file);
            CHECK(kpmc_db_for_cpu_string(s) == db);
        }
        static const char *const malformed[] = {
            "cpu_%x_%x", "cpu_%x_%x_", "cpu_%x__%x_%x", "cpu__%x_%x_%x", "cpu_%x_%x_%x_", "cpu_%x_%x_%x_9e_",
            "cpu_%x_%x_%x_9e_1", "cpu_%x_%x_%xg", "cpu_%x_%x_%x.plistx", "cpu_%x_%x_%x.", "cpu_%x_%x_%x ",
            " cpu_%x_%x_%x", "cpu%x_%x_%x", "cpu_%x_%x_%x_123456789", "cpu_%x-%x-%x", "cpu_%x_%x_%x.plist.plist"};
        for (size_t f = 0; f < sizeof malformed / sizeof malformed[0]; f++) {
            snprintf(s, sizeof s, malformed[f], l->type, l->subtype, l->family);
            if (kpmc_db_for_cpu_string(s))
                fprintf(stderr, "kpmc_db_for_cpu_string(\"%s\") is not NULL\n", s);
            CHECK(kpmc_db_for_cpu_string(s) == NULL);
        }
        /* more than 8 hex digits, though the value is the same */
        snprintf(s, sizeof s, "cpu_%x_%x_0%08x", l->type, l->subtype, l->family);
        CHECK(kpmc_db_for_cpu_string(s) == NULL);
        snprintf(s, sizeof s, "cpu_0%08x_%x_%x", l->type, l->subtype, l->family);
        CHECK(kpmc_db_for_cpu_string(s) == NULL);
        /* another type, subtype or family: whatever the links say */
        snprintf(s, sizeof s, "cpu_%x_%x_%x", l->type + 1, l->subtype, l->family);
        CHECK(kpmc_db_for_cpu_string(s) == link_oracle(l->type + 1, l->subtype, l->family));
        snprintf(s, sizeof s, "cpu_%x_%x_%x", l->type, l->subtype + 1, l->family);
        CHECK(kpmc_db_for_cpu_string(s) == link_oracle(l->type, l->subtype + 1, l->family));
        snprintf(s, sizeof s, "cpu_%x_%x_%x", l->type, l->subtype, l->family ^ 0x10);
        CHECK(kpmc_db_for_cpu_string(s) == link_oracle(l->type, l->subtype, l->family ^ 0x10));
    }
    CHECK(kpmc_db_for_cpu_string(NULL) == NULL);
    CHECK(kpmc_db_for_cpu_string("") == NULL);
    CHECK(kpmc_db_for_cpu_string("cpu_") == NULL);
    uint32_t prev = 0;
    for (size_t i = 0; i < kpmc_family_count(); i++) {
        kpmc_family_info fi = {.size = sizeof fi};
        CHECK_INT(kpmc_family_at(i, &fi), 0);
        CHECK(i == 0 || fi.family > prev);
        prev = fi.family;
        CHECK(fi.db == link_oracle(fi.cputype, fi.cpusubtype, fi.family));
    }
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        size_t want = 0;
        for (size_t k = 0; k < n_links; k++)
            want += db_of(&links[k]) == db;
        CHECK_INT(d.n_families, want);
        for (size_t k = 0; k < d.n_families; k++) {
            kpmc_family_info fi = {.size = sizeof fi};
            CHECK_INT(kpmc_db_family(db, k, &fi), 0);
            CHECK(fi.db == db);
            CHECK(kpmc_db_for_family(fi.family) == db);
        }
        kpmc_family_info fi = {.size = sizeof fi};
        CHECK_INT(kpmc_db_family(db, d.n_families, &fi), KPMC_E_INVAL);
    }
}

/* ---- facts of the kpep snapshot ---- */

static void check_snapshot(void)
{
    CHECK_INT(kpmc_db_count(), 21);
    CHECK_INT(n_links, 22);
    /* The inconsistencies of Apple's files (catalog/kpep/README.md), and no others. */
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        const char *dn = kpmc_db_name(db);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        for (unsigned e = 0; e < d.n_events; e++) {
            kpmc_event_info info = {.size = sizeof info};
            kpmc_event_get(db, e, &info);
            unsigned want = 0;
            if ((!strcmp(dn, "skylake") || !strcmp(dn, "kabylake")) &&
                (!strcmp(info.name, "CPU_CLK_UNHALTED.REF_TSC") || !strcmp(info.name, "CPU_CLK_UNHALTED.THREAD")))
                want = KPMC_EVF_FIXED_SHARED;
            if (!strcmp(dn, "cometlake") && !strcmp(info.name, "TOPDOWN.SLOTS"))
                want = KPMC_EVF_FIXED_OUTSIDE;
            if (info.flags != want)
                fprintf(stderr, "%s %s: flags 0x%x, expected 0x%x\n", dn, info.name, info.flags, want);
            CHECK_INT(info.flags, want);
        }
    }
    const kpmc_db *sky = kpmc_db_at(KPMC_DB_SKYLAKE);
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(sky, KPMC_SKYLAKE_CPU_CLK_UNHALTED_REF_TSC, &e);
    CHECK_INT(e.fixed_counter, 1); /* as the file says, flagged rather than corrected */
    CHECK_INT(e.counters_mask, 2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: test_catalog_lookup LINKS [--snapshot]\n", stderr);
        return 2;
    }
    struct stat st;
    if (!stat(argv[1], &st) && S_ISDIR(st.st_mode))
        read_links_folder(argv[1]);
    else
        read_links_banner(argv[1]);
    printf("%zu cpu_* links from %s\n", n_links, argv[1]);
    check_databases();
    check_events();
    check_cross();
    check_fields();
    check_portable();
    check_enum_table();
    check_samples();
    check_families();
    /* the library's digest is its headers' (catalog_check_* computes it) */
    CHECK(kpmc_catalog_digest() == KPMC_CATALOG_DIGEST);
    if (argc > 2 && !strcmp(argv[2], "--snapshot"))
        check_snapshot();
    return check_result("test_catalog_lookup");
}
