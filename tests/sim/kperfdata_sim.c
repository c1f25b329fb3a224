/* A stand-in for kperfdata.framework, for running test_macos_kperfdata off
 * macOS: the kpep_* functions that test calls, behaving as
 * docs/kpc.md §5-§6 describes kperfdata — its 56-byte event
 * records, name lookup, the greedy first-free counter allocation, fixed
 * events (fallback on x86_64, forced counters on arm64) and its
 * configuration words, which ignore Intel's `other`.  The database is the
 * catalog's $KPMC_DB (default a14).  $KPMC_KPERFDATA_USER_BITS sets the
 * arm64 user-mode bits (default 0x30000), so a test can show that a
 * disagreement is caught.
 *
 * It shares no code with kpmc's allocator or encoder: it is a second,
 * simpler reading of the same document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/catalog.h>

#include "bits_ref.h"
#include "kpep_event.h"

#if defined(__GNUC__)
#define EXPORT __attribute__((visibility("default")))
#else
#define EXPORT
#endif

typedef struct kpep_db {
    const kpmc_db *db;
    kpmc_db_info info;
    struct kpep_event *events;
    kpmc_event_info *ev;
} kpep_db;

#define MAX_EVENTS 32
#define MAX_COUNTERS 32

typedef struct kpep_config {
    kpep_db *db;
    int forced;
    uint32_t classes;
    unsigned n;
    unsigned event[MAX_EVENTS];   /* event index programmed */
    unsigned counter[MAX_EVENTS]; /* counter it holds */
    unsigned flag[MAX_EVENTS];
    int holder[MAX_COUNTERS];     /* position in event[], or -1 */
} kpep_config;

static unsigned ctz(uint32_t v)
{
    unsigned n = 0;
    while (v && !(v & 1)) {
        v >>= 1;
        n++;
    }
    return n;
}

EXPORT int kpep_db_create(const char *name, kpep_db **out);
EXPORT void kpep_db_free(kpep_db *d);
EXPORT int kpep_db_event(kpep_db *d, const char *name, struct kpep_event **ev);
EXPORT int kpep_db_events_count(kpep_db *d, size_t *count);
EXPORT int kpep_db_events(kpep_db *d, struct kpep_event **buf, size_t bytes);
EXPORT int kpep_config_create(kpep_db *d, kpep_config **out);
EXPORT void kpep_config_free(kpep_config *c);
EXPORT int kpep_config_force_counters(kpep_config *c);
EXPORT int kpep_config_add_event(kpep_config *c, struct kpep_event **ev, uint32_t flag, uint32_t *err);
EXPORT int kpep_config_kpc_classes(kpep_config *c, uint32_t *classes);
EXPORT int kpep_config_kpc_count(kpep_config *c, size_t *count);
EXPORT int kpep_config_kpc(kpep_config *c, uint64_t *buf, size_t bytes);
EXPORT int kpep_config_kpc_map(kpep_config *c, size_t *buf, size_t bytes);

int kpep_db_create(const char *name, kpep_db **out)
{
    const char *env = getenv("KPMC_DB");
    const kpmc_db *db = kpmc_db_find(name ? name : env && *env ? env : "a14");
    if (!out)
        return 1;
    if (!db)
        return 7; /* database not found */
    kpep_db *d = calloc(1, sizeof *d);
    if (!d)
        return 2;
    d->db = db;
    d->info.size = sizeof d->info;
    kpmc_db_get(db, &d->info);
    d->events = calloc(d->info.n_events, sizeof *d->events);
    d->ev = calloc(d->info.n_events, sizeof *d->ev);
    if (!d->events || !d->ev) {
        kpep_db_free(d);
        return 2;
    }
    for (unsigned i = 0; i < d->info.n_events; i++) {
        kpmc_event_info *e = &d->ev[i];
        e->size = sizeof *e;
        kpmc_event_get(db, i, e);
        d->events[i].name = e->name;
        d->events[i].description = e->description;
        d->events[i].fallback = e->fallback;
        d->events[i].mask = e->counters;
        d->events[i].number = (uint16_t)e->number;
        d->events[i].byte46 = (uint8_t)e->umask;
        d->events[i].flags = (e->has & KPMC_HAS_FIXED_COUNTER) ? 1 : 0;
        if (d->events[i].flags && !(e->has & KPMC_HAS_COUNTERS_MASK))
            d->events[i].mask = 1u << e->fixed_counter;
    }
    *out = d;
    return 0;
}

void kpep_db_free(kpep_db *d)
{
    if (!d)
        return;
    free(d->events);
    free(d->ev);
    free(d);
}

int kpep_db_event(kpep_db *d, const char *name, struct kpep_event **ev)
{
    int i = d && name ? kpmc_event_find(d->db, name) : -1;
    if (i < 0)
        return 11;
    *ev = &d->events[i];
    return 0;
}

int kpep_db_events_count(kpep_db *d, size_t *count)
{
    *count = d->info.n_events;
    return 0;
}

int kpep_db_events(kpep_db *d, struct kpep_event **buf, size_t bytes)
{
    if (bytes < d->info.n_events * sizeof *buf)
        return 4;
    for (size_t i = 0; i < d->info.n_events; i++)
        buf[i] = &d->events[i];
    return 0;
}

int kpep_config_create(kpep_db *d, kpep_config **out)
{
    kpep_config *c = calloc(1, sizeof *c);
    if (!c)
        return 2;
    c->db = d;
    for (unsigned i = 0; i < MAX_COUNTERS; i++)
        c->holder[i] = -1;
    *out = c;
    return 0;
}

void kpep_config_free(kpep_config *c)
{
    free(c);
}

int kpep_config_force_counters(kpep_config *c)
{
    c->forced = 1;
    return 0;
}

static int take(kpep_config *c, unsigned e, unsigned counter, unsigned flag)
{
    if (c->n == MAX_EVENTS)
        return 12;
    c->event[c->n] = e;
    c->counter[c->n] = counter;
    c->flag[c->n] = flag;
    c->holder[counter] = (int)c->n;
    c->n++;
    return 0;
}

int kpep_config_add_event(kpep_config *c, struct kpep_event **evp, uint32_t flag, uint32_t *err)
{
    kpep_db *d = c->db;
    unsigned e = (unsigned)(*evp - d->events);
    int x86 = d->info.arch == KPMC_ARCH_X86_64;
    if (err)
        *err = 0;
    if (d->events[e].flags & 1) {
        if (x86) { /* x86 fixed counters are never used: the fallback is */
            if (d->ev[e].fallback_index < 0)
                return 14;
            e = (unsigned)d->ev[e].fallback_index;
        } else {
            if (!c->forced)
                return 13;
            unsigned slot = ctz(d->events[e].mask);
            if (c->holder[slot] >= 0) {
                if (err)
                    *err = 1u << c->holder[slot];
                return 12;
            }
            c->classes |= 1u; /* FIXED */
            return take(c, e, slot, flag);
        }
    }
    uint32_t mask = d->events[e].mask;
    if (!mask)
        return 16;
    unsigned limit = popcount32(d->info.fixed_counters) + popcount32(d->info.config_counters);
    if (!c->forced)
        limit -= popcount32(d->info.power_counters);
    for (unsigned k = ctz(mask); k < limit && k < MAX_COUNTERS; k++)
        if ((mask >> k & 1) && c->holder[k] < 0) {
            c->classes |= 2u; /* CONFIGURABLE */
            return take(c, e, k, flag);
        }
    if (err)
        for (unsigned k = 0; k < MAX_COUNTERS; k++)
            if ((mask >> k & 1) && c->holder[k] >= 0)
                *err |= 1u << c->holder[k];
    return 12;
}

int kpep_config_kpc_classes(kpep_config *c, uint32_t *classes)
{
    *classes = c->classes;
    return 0;
}

static unsigned words(kpep_config *c)
{
    uint32_t classes = c->classes;
    if (c->db->info.arch == KPMC_ARCH_ARM64)
        classes &= ~1u;
    return ((classes & 1u) ? popcount32(c->db->info.fixed_counters) : 0) +
           ((classes & 2u) ? popcount32(c->db->info.config_counters) : 0);
}

int kpep_config_kpc_count(kpep_config *c, size_t *count)
{
    *count = words(c);
    return 0;
}

int kpep_config_kpc(kpep_config *c, uint64_t *buf, size_t bytes)
{
    unsigned n = words(c);
    if (bytes < n * sizeof *buf)
        return 4;
    memset(buf, 0, n * sizeof *buf);
    const char *bits = getenv("KPMC_KPERFDATA_USER_BITS");
    uint64_t user = bits && *bits ? strtoull(bits, NULL, 0) : 0x30000;
    kpep_db *d = c->db;
    for (unsigned i = 0; i < c->n; i++) {
        unsigned counter = c->counter[i];
        if (d->info.fixed_counters >> counter & 1)
            continue; /* fixed events give no word */
        unsigned slot = popcount32(d->info.config_counters & ((1u << counter) - 1));
        const struct kpep_event *ev = &d->events[c->event[i]];
        uint64_t w = ev->number;
        if (d->info.arch == KPMC_ARCH_X86_64)
            w |= (uint64_t)ev->byte46 << 8 | (c->flag[i] ? 0x10000u : 0x30000u) | 0x400000u;
        else if (c->flag[i])
            w |= user;
        if (slot < n)
            buf[slot] = w;
    }
    return 0;
}

int kpep_config_kpc_map(kpep_config *c, size_t *buf, size_t bytes)
{
    if (bytes < c->n * sizeof *buf)
        return 4;
    unsigned fixed = popcount32(c->db->info.fixed_counters);
    for (unsigned i = 0; i < c->n; i++)
        buf[i] = c->counter[i] - ((c->classes & 1u) ? 0 : fixed);
    return 0;
}
