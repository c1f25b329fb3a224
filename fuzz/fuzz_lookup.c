/* libFuzzer target: catalog lookups and plans.
 *
 * Input: byte 0 picks a database (modulo their number) unless the first
 * line names one, byte 1 the mode (bit 0: KPMC_MODE_USER) and the size of
 * the detail buffer (bits 1-3); then lines separated by '\n' (a line may
 * hold any other byte): the database's name, then up to KPMC_MAX_EVENTS + 2
 * event names.  Every name goes through kpmc_db_find,
 * kpmc_db_for_cpu_string, kpmc_event_find(_n), kpmc_ev_find(_n) and
 * kpmc_ev_resolve; the names together through kpmc_plan_build_names and
 * kpmc_plan_build.  Beyond the sanitizers (the detail buffer is an
 * allocation of exactly the size passed), the answers must agree:
 *  - a database found by name has that name, case-insensitively;
 *  - an event found is named so, or has an alias so named; the _n forms
 *    agree with the NUL-terminated ones; a portable id found resolves in the
 *    database to the event found there, or to nothing when none was;
 *  - a plan places every event on a counter it may use, no counter twice,
 *    the buffer positions distinct and below n_counters, and the same plan
 *    comes from names and from indices; a refusal leaves a detail that ends
 *    within the buffer. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <kpmc/kpmc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES (KPMC_MAX_EVENTS + 2)

static void fail(const char *what, const char *name)
{
    fprintf(stderr, "fuzz_lookup: %s (%.60s)\n", what, name ? name : "");
    abort();
}

/* a and b equal without regard to case, spaces, '-' and '_', as chip names
 * compare (include/kpmc/catalog.h, kpmc_db_find). */
static int same_chip_name(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '-' || *a == '_')
            a++;
        while (*b == ' ' || *b == '-' || *b == '_')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
}

/* name names d: its own name, case-insensitively, or a chip of it. */
static int names_db(const kpmc_db *d, const char *name)
{
    if (!strcasecmp(kpmc_db_name(d), name))
        return 1;
    kpmc_chip_info c = {.size = sizeof c};
    for (size_t k = 0; kpmc_chip_at(k, &c) == 0; k++)
        if (c.db == d && same_chip_name(c.name, name))
            return 1;
    return 0;
}

static void check_name(const kpmc_db *db, const char *name, size_t len)
{
    const kpmc_db *d = kpmc_db_find(name);
    if (d && !names_db(d, name))
        fail("kpmc_db_find gave another database", name);
    (void)kpmc_db_for_cpu_string(name);

    /* No catalog name holds a NUL: a name with one inside is found by
     * neither form (the NUL-terminated one sees only its first part). */
    int whole = strlen(name) == len;
    int i = kpmc_event_find(db, name);
    int i_n = kpmc_event_find_n(db, name, len);
    if (whole ? i_n != i : i_n >= 0)
        fail("kpmc_event_find_n disagrees", name);
    if (i >= 0) {
        kpmc_event_info e = {.size = sizeof e};
        if (kpmc_event_get(db, (unsigned)i, &e))
            fail("kpmc_event_get fails on a found event", name);
        int named = !strcasecmp(e.name, name);
        for (size_t k = 0; !named && k < e.n_aliases; k++)
            named = !strcasecmp(kpmc_event_alias(db, (unsigned)i, k), name);
        if (!named)
            fail("kpmc_event_find found an event of another name", name);
    }
    int ev = kpmc_ev_find(name);
    int ev_n = kpmc_ev_find_n(name, len);
    if (whole ? ev_n != ev : ev_n >= 0)
        fail("kpmc_ev_find_n disagrees", name);
    if (ev >= 0) {
        if (strcasecmp(kpmc_ev_name(ev), name))
            fail("kpmc_ev_find found an id of another name", name);
        int r = kpmc_ev_resolve(db, ev);
        if (r != (i >= 0 ? i : KPMC_E_NOEVENT))
            fail("kpmc_ev_resolve disagrees with kpmc_event_find", name);
    } else if (i >= 0) {
        fail("an event found in a database has no portable id", name);
    }
}

/* A plan's info and events through the accessors; aborts when they fail. */
static void read_plan(const kpmc_plan *plan, kpmc_plan_info *info, kpmc_plan_event *ev)
{
    info->size = sizeof *info;
    if (kpmc_plan_get(plan, info) != 0 || info->n_events > KPMC_MAX_EVENTS)
        fail("kpmc_plan_get fails on a plan just built", NULL);
    for (unsigned k = 0; k < info->n_events; k++) {
        ev[k].size = sizeof ev[k];
        if (kpmc_plan_event_get(plan, k, &ev[k]) != 0)
            fail("kpmc_plan_event_get fails within n_events", NULL);
    }
}

static void check_plan(const kpmc_plan_info *p, const kpmc_plan_event *ev, const kpmc_db *db, size_t n)
{
    if (p->n_events != n || p->db != db)
        fail("the plan has another event count or database", NULL);
    uint32_t used = 0;
    unsigned positions[KPMC_MAX_EVENTS];
    for (unsigned k = 0; k < p->n_events; k++) {
        const kpmc_plan_event *e = &ev[k];
        kpmc_event_info info = {.size = sizeof info};
        if (kpmc_event_get(db, e->resolved, &info))
            fail("the plan programs no event", NULL);
        uint32_t bit = 1u << e->counter;
        if (e->counter >= 32 || (used & bit))
            fail("a counter is used twice", info.name);
        used |= bit;
        if (e->fixed ? !(info.has & KPMC_HAS_FIXED_COUNTER) || info.fixed_counter != e->counter
                     : !(info.counters & bit))
            fail("an event is placed on a counter it may not use", info.name);
        if (e->index >= p->n_counters)
            fail("a buffer position is out of the buffer", info.name);
        for (unsigned j = 0; j < k; j++)
            if (positions[j] == e->index)
                fail("two events share a buffer position", info.name);
        positions[k] = e->index;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t detail_sizes[] = {0, 1, 2, 5, 16, 64, 256, 1024};
    if (size < 2)
        return 0;
    int mode = data[1] & 1 ? KPMC_MODE_USER : KPMC_MODE_ALL;
    size_t detail_len = detail_sizes[(data[1] >> 1) & 7];

    char *names[MAX_NAMES + 1];
    size_t lens[MAX_NAMES + 1], n = 0;
    const char *p = (const char *)data + 2, *end = (const char *)data + size;
    while (n < MAX_NAMES + 1 && p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        names[n] = malloc(len + 1); /* exactly its size: a read past it shows */
        if (!names[n])
            abort();
        memcpy(names[n], p, len);
        names[n][len] = '\0';
        lens[n++] = len;
        if (!nl)
            break;
        p = nl + 1;
    }
    /* The first line: the database, by name. */
    const kpmc_db *db = n ? kpmc_db_find(names[0]) : NULL;
    if (!db)
        db = kpmc_db_at(data[0] % kpmc_db_count());
    for (size_t k = 0; k < n; k++)
        check_name(db, names[k], lens[k]);
    char **events = n ? names + 1 : names;
    size_t n_events = n ? n - 1 : 0;

    char *detail = detail_len ? malloc(detail_len) : NULL;
    static kpmc_plan *plan, *again;
    if ((!plan && kpmc_plan_new(&plan) != 0) || (!again && kpmc_plan_new(&again) != 0))
        abort();
    int rc = kpmc_plan_build_names(plan, db, (const char *const *)events, n_events, mode, detail, detail_len);
    if (rc == 0) {
        kpmc_plan_info pi = {.size = sizeof pi};
        kpmc_plan_info ai = {.size = sizeof ai};
        kpmc_plan_event pe[KPMC_MAX_EVENTS], ae[KPMC_MAX_EVENTS];
        read_plan(plan, &pi, pe);
        check_plan(&pi, pe, db, n_events);
        unsigned idx[KPMC_MAX_EVENTS];
        for (size_t k = 0; k < n_events; k++)
            idx[k] = pe[k].requested;
        if (kpmc_plan_build(again, db, idx, n_events, mode, NULL, 0) != 0)
            fail("the events of a plan from names give no plan from indices", NULL);
        read_plan(again, &ai, ae);
        int same = ai.db == pi.db && ai.mode == pi.mode && ai.classes == pi.classes && ai.n_events == pi.n_events &&
                   ai.n_config == pi.n_config && ai.n_counters == pi.n_counters &&
                   !memcmp(ai.config, pi.config, pi.n_config * sizeof pi.config[0]);
        for (size_t k = 0; same && k < n_events; k++) {
            const kpmc_plan_event *a = &ae[k], *b = &pe[k];
            same = a->requested == b->requested && a->resolved == b->resolved && a->counter == b->counter &&
                   a->fixed == b->fixed && a->index == b->index && a->config == b->config;
        }
        if (!same)
            fail("the plan from indices differs from the plan from names", NULL);
    } else if (detail_len && !memchr(detail, '\0', detail_len)) {
        fail("the detail is not terminated within its buffer", NULL);
    }
    free(detail);
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    return 0;
}
