/* The catalog API (include/kpmc/catalog.h) over the generated tables
 * (internal/catalog_format.h).  Read-only, no allocation, thread-safe. */
#include <kpmc/catalog.h>

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "catalog_format.h"
#include "digest.h"
#include "outstruct.h"

/* A `const kpmc_db *` points into kpmc_cat_dbs. */
static const struct kpmc_cat_db *cat_db(const kpmc_db *db)
{
    return (const struct kpmc_cat_db *)(const void *)db;
}

static const kpmc_db *handle(const struct kpmc_cat_db *d)
{
    return (const kpmc_db *)(const void *)d;
}

/* The fields of kpmc_db_info and kpmc_event_info that their catalog rows
 * hold as they are. */
#define KPMC_DB_ROW_FIELDS(X)                                                                                      \
    X(sha256) X(arch) X(has) X(internal) X(n_version) X(fixed_counters) X(config_counters) X(power_counters)     \
    X(n_events) X(n_aliases) X(n_families)
#define KPMC_EVENT_ROW_FIELDS(X) X(has) X(flags) X(number) X(umask) X(other) X(fixed_counter) X(counters_mask)

static int valid_db(const kpmc_db *db)
{
    const struct kpmc_cat_db *d = cat_db(db);
    return d && d >= kpmc_cat_dbs && d < kpmc_cat_dbs + kpmc_cat_n_dbs;
}

static const char *str(uint32_t off)
{
    return kpmc_cat_pool + off;
}

static const struct kpmc_cat_event *row(const struct kpmc_cat_db *d, unsigned index)
{
    return &kpmc_cat_events[kpmc_cat_db_events[d->events + index]];
}

/* ---- databases ---- */

size_t kpmc_db_count(void)
{
    return kpmc_cat_n_dbs;
}

const kpmc_db *kpmc_db_at(size_t i)
{
    return i < kpmc_cat_n_dbs ? handle(&kpmc_cat_dbs[i]) : NULL;
}

size_t kpmc_db_id(const kpmc_db *db)
{
    return valid_db(db) ? (size_t)(cat_db(db) - kpmc_cat_dbs) : (size_t)-1;
}

static const char *opt_str(uint32_t off)
{
    return off == KPMC_CAT_NO_STRING ? NULL : str(off);
}

const kpmc_db *kpmc_db_find(const char *name)
{
    if (!name)
        return NULL;
    size_t len = strlen(name);
    for (size_t i = 0; i < kpmc_cat_n_dbs; i++)
        if (kpmc_ascii_same_n(str(kpmc_cat_dbs[i].name), name, len))
            return handle(&kpmc_cat_dbs[i]);
    for (size_t i = 0; i < kpmc_cat_n_chips; i++)
        if (kpmc_chip_same_n(str(kpmc_cat_chips[i].name), name, len))
            return handle(&kpmc_cat_dbs[kpmc_cat_chips[i].db]);
    return NULL;
}

const kpmc_db *kpmc_db_for_family(uint32_t family)
{
    for (size_t i = 0; i < kpmc_cat_n_families; i++)
        if (kpmc_cat_families[i].family == family)
            return handle(&kpmc_cat_dbs[kpmc_cat_families[i].db]);
    return NULL;
}

/* A hex field (kpmc_ascii_hex32) ending at a char of `ends` (its NUL
 * included); advances *p past the digits. */
static int hex_field(const char **p, const char *ends, uint32_t *out)
{
    const char *s = *p;
    if (kpmc_ascii_hex32(&s, out) || !strchr(ends, *s))
        return -1;
    *p = s;
    return 0;
}

const kpmc_db *kpmc_db_for_cpu_string(const char *s)
{
    uint32_t type, subtype, family, model;
    if (!s || strncmp(s, "cpu_", 4))
        return NULL;
    const char *p = s + 4;
    if (hex_field(&p, "_", &type) || !*p++ || hex_field(&p, "_", &subtype) || !*p++ ||
        hex_field(&p, "_.", &family))
        return NULL;
    if (*p == '_') { /* the model kpc_cpu_string appends on Intel */
        p++;
        if (hex_field(&p, ".", &model))
            return NULL;
    }
    if (*p && strcmp(p, ".plist"))
        return NULL;
    for (size_t i = 0; i < kpmc_cat_n_families; i++) {
        const struct kpmc_cat_family *f = &kpmc_cat_families[i];
        if (f->family == family && f->cputype == type && f->cpusubtype == subtype)
            return handle(&kpmc_cat_dbs[f->db]);
    }
    return NULL;
}

const char *kpmc_db_name(const kpmc_db *db)
{
    return valid_db(db) ? str(cat_db(db)->name) : NULL;
}

int kpmc_db_get(const kpmc_db *db, kpmc_db_info *res)
{
    if (!valid_db(db) || !kpmc_out_ok(res, KPMC_SIZE_TO(kpmc_db_info, chips)))
        return KPMC_E_INVAL;
    const struct kpmc_cat_db *d = cat_db(db);
    kpmc_db_info full, *out = &full;
    memset(out, 0, sizeof *out);
    out->name = str(d->name);
    out->marketing_name = str(d->marketing_name);
    out->architecture = str(d->architecture);
    out->source = str(d->source);
#define SAME(f) out->f = d->f;
    KPMC_DB_ROW_FIELDS(SAME)
#undef SAME
    out->version[0] = d->version[0];
    out->version[1] = d->version[1];
    out->chips = opt_str(kpmc_cat_db_chips[d - kpmc_cat_dbs]);
    return kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_db_info, chips));
}

static int family_info(const struct kpmc_cat_family *f, kpmc_family_info *res)
{
    const struct kpmc_cat_family_chips *c = &kpmc_cat_family_chips[f - kpmc_cat_families];
    kpmc_family_info full, *out = &full;
    memset(out, 0, sizeof *out);
    out->cputype = f->cputype;
    out->cpusubtype = f->cpusubtype;
    out->family = f->family;
    out->db = handle(&kpmc_cat_dbs[f->db]);
    out->chips = opt_str(c->chips);
    out->codename = opt_str(c->codename);
    return kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_family_info, codename));
}

int kpmc_db_family(const kpmc_db *db, size_t k, kpmc_family_info *out)
{
    if (!valid_db(db) || !out)
        return KPMC_E_INVAL;
    uint32_t id = (uint32_t)(cat_db(db) - kpmc_cat_dbs);
    for (size_t i = 0; i < kpmc_cat_n_families; i++)
        if (kpmc_cat_families[i].db == id && k-- == 0)
            return family_info(&kpmc_cat_families[i], out);
    return KPMC_E_INVAL;
}

int kpmc_db_alias(const kpmc_db *db, size_t k, const char **alias, unsigned *event)
{
    if (!valid_db(db) || k >= cat_db(db)->n_aliases)
        return KPMC_E_INVAL;
    const struct kpmc_cat_alias *a = &kpmc_cat_aliases[cat_db(db)->aliases + k];
    if (alias)
        *alias = str(a->name);
    if (event)
        *event = a->event;
    return 0;
}

/* ---- portable ids ---- */

size_t kpmc_ev_count(void)
{
    return kpmc_cat_n_pids;
}

const char *kpmc_ev_name(int ev)
{
    if (ev < 0 || ev >= kpmc_cat_n_pids)
        return NULL;
    return str(kpmc_cat_pid_names[ev]);
}

/* Does the portable name pid equal name[0..len) ignoring ASCII case?
 * Eight bytes at a time, folded as the hash folds them. */
static int pid_is(unsigned pid, const char *name, size_t len)
{
    if (kpmc_cat_pid_lengths[pid] != len)
        return 0;
    const char *s = str(kpmc_cat_pid_names[pid]);
    for (; len >= 8; s += 8, name += 8, len -= 8)
        if (kpmc_fold8(kpmc_load8(s, 8)) != kpmc_fold8(kpmc_load8(name, 8)))
            return 0;
    return kpmc_fold8(kpmc_load8(s, len)) == kpmc_fold8(kpmc_load8(name, len));
}

int kpmc_ev_find_n(const char *name, size_t len)
{
    if (!name)
        return KPMC_E_INVAL;
    uint64_t h = kpmc_name_hash(name, len, kpmc_cat_hash.seed);
    uint32_t slot = kpmc_name_slot(h, kpmc_cat_hash_disp, kpmc_cat_hash.n_buckets, kpmc_cat_hash.n_slots);
    uint16_t pid = kpmc_cat_hash_slots[slot];
    if (pid == KPMC_CAT_NONE || !pid_is(pid, name, len))
        return KPMC_E_NOEVENT;
    return pid;
}

int kpmc_ev_find(const char *name)
{
    return name ? kpmc_ev_find_n(name, strlen(name)) : KPMC_E_INVAL;
}

/* Index of the event with portable id pid in d (not through aliases): the
 * database's rows are ascending and those of pid are
 * [kpmc_cat_pid_rows[pid], kpmc_cat_pid_rows[pid + 1]). */
static int event_by_pid(const struct kpmc_cat_db *d, unsigned pid)
{
    const uint16_t *t = kpmc_cat_db_events + d->events;
    unsigned first = kpmc_cat_pid_rows[pid], n = d->n_events;
    const uint16_t *base = t;
    while (n > 1) { /* lower bound of `first`, without branches on data */
        unsigned half = n / 2;
        base = base[half - 1] < first ? base + half : base;
        n -= half;
    }
    unsigned i = (unsigned)(base - t) + (n == 1 && *base < first);
    if (i < d->n_events && t[i] < kpmc_cat_pid_rows[pid + 1])
        return (int)i;
    return -1;
}

static int ev_resolve(const kpmc_db *db, int ev)
{
    if (!valid_db(db) || ev < 0 || ev >= kpmc_cat_n_pids)
        return KPMC_E_INVAL;
    const struct kpmc_cat_db *d = cat_db(db);
    int i = event_by_pid(d, (unsigned)ev);
    if (i >= 0)
        return i;
    const struct kpmc_cat_alias *a = kpmc_cat_aliases + d->aliases;
    for (unsigned k = 0; k < d->n_aliases; k++)
        if (a[k].pid == ev)
            return a[k].event;
    return KPMC_E_NOEVENT;
}

int kpmc_ev_resolve_v(uint64_t catalog, const kpmc_db *db, int ev)
{
    int r = kpmc_cat_digest_check(catalog, NULL, 0);
    return r ? r : ev_resolve(db, ev);
}

/* ---- events ---- */

int kpmc_event_find_n(const kpmc_db *db, const char *name, size_t len)
{
    if (!valid_db(db))
        return KPMC_E_INVAL;
    int pid = kpmc_ev_find_n(name, len);
    return pid < 0 ? pid : ev_resolve(db, pid);
}

int kpmc_event_find(const kpmc_db *db, const char *name)
{
    return name ? kpmc_event_find_n(db, name, strlen(name)) : KPMC_E_INVAL;
}

const char *kpmc_event_name(const kpmc_db *db, unsigned index)
{
    if (!valid_db(db) || index >= cat_db(db)->n_events)
        return NULL;
    return str(row(cat_db(db), index)->name);
}

int kpmc_event_get(const kpmc_db *db, unsigned index, kpmc_event_info *res)
{
    if (!valid_db(db) || !kpmc_out_ok(res, KPMC_SIZE_TO(kpmc_event_info, n_aliases)) ||
        index >= cat_db(db)->n_events)
        return KPMC_E_INVAL;
    const struct kpmc_cat_db *d = cat_db(db);
    const struct kpmc_cat_event *r = row(d, index);
    kpmc_event_info full, *out = &full;
    memset(out, 0, sizeof *out);
    out->name = str(r->name);
    out->description = (r->has & KPMC_HAS_DESCRIPTION) ? str(r->description) : NULL;
    out->index = index;
#define SAME(f) out->f = r->f;
    KPMC_EVENT_ROW_FIELDS(SAME)
#undef SAME
    out->counters = kpmc_cat_counters(r->has & KPMC_HAS_COUNTERS_MASK, r->counters_mask,
                                      r->has & KPMC_HAS_FIXED_COUNTER, r->fixed_counter, d->config_counters);
    out->portable = r->pid;
    out->fallback_index = -1;
    if (r->fallback != KPMC_CAT_NONE) {
        out->fallback_index = event_by_pid(d, r->fallback);
        out->fallback = out->fallback_index >= 0 ? str(row(d, (unsigned)out->fallback_index)->name) : NULL;
    }
    const struct kpmc_cat_alias *a = kpmc_cat_aliases + d->aliases;
    for (unsigned k = 0; k < d->n_aliases; k++)
        out->n_aliases += a[k].event == index;
    return kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_event_info, n_aliases));
}

const char *kpmc_event_alias(const kpmc_db *db, unsigned index, size_t k)
{
    if (!valid_db(db))
        return NULL;
    const struct kpmc_cat_db *d = cat_db(db);
    const struct kpmc_cat_alias *a = kpmc_cat_aliases + d->aliases;
    for (unsigned i = 0; i < d->n_aliases; i++)
        if (a[i].event == index && k-- == 0)
            return str(a[i].name);
    return NULL;
}

/* ---- generic events ---- */

size_t kpmc_generic_count(void)
{
    return kpmc_cat_n_generic;
}

const char *kpmc_generic_name(int id)
{
    return id >= 0 && id < kpmc_cat_n_generic ? str(kpmc_cat_generic[id].name) : NULL;
}

int kpmc_generic_get(int id, kpmc_generic_info *out)
{
    if (id < 0 || id >= kpmc_cat_n_generic)
        return KPMC_E_INVAL;
    kpmc_generic_info full = {sizeof full, str(kpmc_cat_generic[id].name), str(kpmc_cat_generic[id].description)};
    return kpmc_out_fill(out, &full, sizeof full, KPMC_SIZE_TO(kpmc_generic_info, description));
}

int kpmc_generic_find_n(const char *name, size_t len)
{
    if (!name)
        return KPMC_E_INVAL;
    const struct kpmc_cat_hash *hh = &kpmc_cat_generic_hash;
    uint64_t h = kpmc_name_hash(name, len, hh->seed);
    uint16_t g = kpmc_cat_generic_hash_slots[kpmc_name_slot(h, kpmc_cat_generic_hash_disp, hh->n_buckets, hh->n_slots)];
    if (g == KPMC_CAT_NONE || !kpmc_ascii_same_n(str(kpmc_cat_generic[g].name), name, len))
        return KPMC_E_NOEVENT;
    return g;
}

int kpmc_generic_find(const char *name)
{
    return name ? kpmc_generic_find_n(name, strlen(name)) : KPMC_E_INVAL;
}

static const struct kpmc_cat_generic_map *generic_map(const kpmc_db *db, int id)
{
    if (!valid_db(db) || id < 0 || id >= kpmc_cat_n_generic)
        return NULL;
    return &kpmc_cat_generic_map[(size_t)id * kpmc_cat_n_dbs + (size_t)(cat_db(db) - kpmc_cat_dbs)];
}

int kpmc_generic_resolve_v(uint64_t catalog, const kpmc_db *db, int id, int mode)
{
    if (kpmc_cat_digest_check(catalog, NULL, 0))
        return KPMC_E_CATALOG;
    const struct kpmc_cat_generic_map *m = generic_map(db, id);
    if (!m || (mode != 0 && mode != 1))
        return KPMC_E_INVAL;
    uint16_t e = mode ? m->user : m->all;
    return e == KPMC_CAT_NONE ? KPMC_E_NOEVENT : e;
}

const char *kpmc_generic_note(const kpmc_db *db, int id)
{
    const struct kpmc_cat_generic_map *m = generic_map(db, id);
    return m ? opt_str(m->note) : NULL;
}

/* ---- chips ---- */

size_t kpmc_chip_count(void)
{
    return kpmc_cat_n_chips;
}

int kpmc_chip_at(size_t i, kpmc_chip_info *out)
{
    if (i >= kpmc_cat_n_chips)
        return KPMC_E_INVAL;
    kpmc_chip_info full = {sizeof full, str(kpmc_cat_chips[i].name), kpmc_cat_chips[i].family,
                           handle(&kpmc_cat_dbs[kpmc_cat_chips[i].db])};
    return kpmc_out_fill(out, &full, sizeof full, KPMC_SIZE_TO(kpmc_chip_info, db));
}

/* ---- the family map ---- */

size_t kpmc_family_count(void)
{
    return kpmc_cat_n_families;
}

int kpmc_family_at(size_t i, kpmc_family_info *out)
{
    if (i >= kpmc_cat_n_families)
        return KPMC_E_INVAL;
    return family_info(&kpmc_cat_families[i], out);
}

const char *kpmc_catalog_generator(void)
{
    return kpmc_cat_generator;
}

uint64_t kpmc_catalog_digest(void)
{
    return kpmc_cat_digest;
}

int kpmc_cat_digest_check(uint64_t catalog, char *detail, size_t detail_len)
{
    if (catalog == kpmc_cat_digest)
        return 0;
    if (detail && detail_len)
        snprintf(detail, detail_len,
                 "compiled against catalog 0x%016llx, this library has catalog 0x%016llx: rebuild the program "
                 "against this kpmc's headers",
                 (unsigned long long)catalog, (unsigned long long)kpmc_cat_digest);
    return KPMC_E_CATALOG;
}
