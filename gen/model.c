/* kpmc-gen: one database plist → struct gen_db, with validation.
 *
 * Every error names the file and line; unknown keys are left out of the
 * model with a warning, since newer macOS releases add keys. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "plist.h"
#include "util.h"

struct reader {
    const struct pl_doc *doc;
    const char *file;
};

static int want(const struct reader *r, const struct pl_entry *e, enum pl_kind kind)
{
    enum pl_kind k = plist_kind(e->value);
    if (k == kind)
        return 0;
    gen_error(r->file, plist_line(e->value), "'%s' must be <%s>, not <%s>", e->key, plist_kind_name(kind),
              e->value->name);
    return -1;
}

static int get_string(const struct reader *r, const struct pl_entry *e, const char **out)
{
    return want(r, e, PL_STRING) || plist_text(r->doc, e->value, out) ? -1 : 0;
}

/* An integer in [lo, hi]; `what` names it in messages. */
static int get_int(const struct reader *r, const struct pl_entry *e, const char *what, long long lo,
                   long long hi, unsigned *out)
{
    long long v;
    if (want(r, e, PL_INTEGER) || plist_integer(r->doc, e->value, &v))
        return -1;
    if (v < lo || v > hi) {
        gen_error(r->file, plist_line(e->value), "%s %lld is out of range (%lld..%lld)", what, v, lo, hi);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static void unknown_key(const struct reader *r, const struct pl_entry *e, const char *where)
{
    gen_warn(r->file, e->line, "unknown key '%s' in %s ignored", e->key, where);
}

static const struct pl_entry *find(const struct pl_entry *e, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(e[i].key, key))
            return &e[i];
    return NULL;
}

static int check_name(const struct reader *r, long line, const char *what, const char *name)
{
    if (!*name) {
        gen_error(r->file, line, "%s has an empty name", what);
        return -1;
    }
    if (strlen(name) > 255) {
        gen_error(r->file, line, "%s '%.40s...' is longer than 255 characters", what, name);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x21 || *p > 0x7e) {
            gen_error(r->file, line, "%s '%s' has a character that is not printable ASCII", what, name);
            return -1;
        }
    return 0;
}

/* ---- one event ---- */

static int read_event(const struct reader *r, const struct gen_db *db, const struct pl_entry *ev,
                      struct gen_event *out)
{
    out->name = ev->key;
    out->line = ev->line;
    out->fallback_index = -1;
    if (check_name(r, ev->line, "an event", ev->key) || want(r, ev, PL_DICT))
        return -1;
    struct pl_entry *e;
    size_t n;
    if (plist_dict(r->doc, ev->value, &e, &n))
        return -1;
    int bad = 0;
    unsigned all = db->fixed_counters | db->config_counters;
    for (size_t i = 0; i < n; i++) {
        const char *k = e[i].key;
        if (!strcmp(k, "number")) {
            bad |= get_int(r, &e[i], "number", 0, 0xFFFF, &out->number);
            out->has |= KPMC_HAS_NUMBER;
        } else if (!strcmp(k, "description")) {
            bad |= get_string(r, &e[i], &out->description);
            out->has |= KPMC_HAS_DESCRIPTION;
        } else if (!strcmp(k, "umask")) {
            bad |= get_int(r, &e[i], "umask", 0, 0xFF, &out->umask);
            out->has |= KPMC_HAS_UMASK;
        } else if (!strcmp(k, "other")) {
            bad |= get_int(r, &e[i], "other", 0, 0xFFFF, &out->other);
            out->has |= KPMC_HAS_OTHER;
        } else if (!strcmp(k, "counters_mask")) {
            bad |= get_int(r, &e[i], "counters_mask", 1, GEN_MAX_COUNTER_MASK, &out->counters_mask);
            if (!bad && (out->counters_mask & ~all)) {
                gen_error(r->file, plist_line(e[i].value),
                          "event %s: counters_mask 0x%x names counters the database does not have "
                          "(fixed 0x%x, configurable 0x%x)",
                          out->name, out->counters_mask, db->fixed_counters, db->config_counters);
                bad = 1;
            }
            out->has |= KPMC_HAS_COUNTERS_MASK;
        } else if (!strcmp(k, "fixed_counter")) {
            bad |= get_int(r, &e[i], "fixed_counter", 0, 15, &out->fixed_counter);
            out->has |= KPMC_HAS_FIXED_COUNTER;
        } else if (!strcmp(k, "fallback")) {
            bad |= get_string(r, &e[i], &out->fallback);
            out->fallback_line = plist_line(e[i].value);
            out->has |= KPMC_HAS_FALLBACK;
        } else {
            unknown_key(r, &e[i], gen_printf("event %s", out->name));
        }
    }
    if (bad)
        return -1;
    if (!(out->has & (KPMC_HAS_NUMBER | KPMC_HAS_FIXED_COUNTER))) {
        gen_error(r->file, ev->line, "event %s has neither 'number' nor 'fixed_counter'", out->name);
        return -1;
    }
    if (out->has & KPMC_HAS_FIXED_COUNTER) {
        unsigned bit = 1u << out->fixed_counter;
        if (!(db->fixed_counters & bit)) {
            out->flags |= KPMC_EVF_FIXED_OUTSIDE;
            gen_warn(r->file, ev->line,
                     "event %s: fixed_counter %u is not one of the database's fixed counters (0x%x); "
                     "kpmc will not program it on a fixed counter",
                     out->name, out->fixed_counter, db->fixed_counters);
        }
        if ((out->has & KPMC_HAS_COUNTERS_MASK) && out->counters_mask != bit) {
            out->flags |= KPMC_EVF_FIXED_MASK;
            gen_warn(r->file, ev->line,
                     "event %s: counters_mask 0x%x disagrees with fixed_counter %u; "
                     "kpmc will not program it on a fixed counter",
                     out->name, out->counters_mask, out->fixed_counter);
        }
    } else {
        unsigned allowed =
            kpmc_cat_counters(out->has & KPMC_HAS_COUNTERS_MASK, out->counters_mask, 0, 0, db->config_counters);
        if (!(allowed & db->config_counters)) {
            gen_error(r->file, ev->line, "event %s: counters_mask 0x%x names no configurable counter (0x%x)",
                      out->name, allowed, db->config_counters);
            return -1;
        }
    }
    out->fold = gen_fold(out->name);
    out->ident = gen_mangle(out->name);
    return 0;
}

/* ---- the whole file ---- */

static int cmp_event(const void *a, const void *b)
{
    const struct gen_event *x = a, *y = b;
    int c = strcmp(x->fold, y->fold);
    return c ? c : strcmp(x->name, y->name);
}

static int cmp_alias(const void *a, const void *b)
{
    const struct gen_alias *x = a, *y = b;
    int c = strcmp(x->fold, y->fold);
    return c ? c : strcmp(x->name, y->name);
}

static int event_fold_cmp(const void *key, const void *event)
{
    return strcmp(key, ((const struct gen_event *)event)->fold);
}

/* Index of the event whose folded name is f, or -1 (events sorted). */
static int find_event(const struct gen_db *db, const char *f)
{
    const struct gen_event *e =
        db->n_events ? bsearch(f, db->events, db->n_events, sizeof *db->events, event_fold_cmp) : NULL;
    return e ? (int)(e - db->events) : -1;
}

static int read_events(const struct reader *r, struct gen_db *db, const struct pl_entry *ev)
{
    struct pl_entry *e;
    size_t n;
    if (want(r, ev, PL_DICT) || plist_dict(r->doc, ev->value, &e, &n))
        return -1;
    if (n == 0) {
        gen_error(r->file, ev->line, "'events' is empty");
        return -1;
    }
    if (n >= KPMC_CAT_LIMIT) {
        gen_error(r->file, ev->line, "%zu events; kpmc supports at most %u per database", n, KPMC_CAT_LIMIT - 1);
        return -1;
    }
    db->events = gen_alloc(n * sizeof *db->events);
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= read_event(r, db, &e[i], &db->events[i]);
    if (bad)
        return -1;
    db->n_events = n;
    qsort(db->events, n, sizeof *db->events, cmp_event);
    return 0;
}

static int read_aliases(const struct reader *r, struct gen_db *db, const struct pl_entry *al)
{
    struct pl_entry *e;
    size_t n;
    if (want(r, al, PL_DICT) || plist_dict(r->doc, al->value, &e, &n))
        return -1;
    db->aliases = gen_alloc((n + 1) * sizeof *db->aliases);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct gen_alias *a = &db->aliases[i];
        a->name = e[i].key;
        a->line = e[i].line;
        a->event = -1;
        if (check_name(r, e[i].line, "an alias", e[i].key) || get_string(r, &e[i], &a->target)) {
            bad = 1;
            continue;
        }
        a->fold = gen_fold(a->name);
        a->ident = gen_mangle(a->name);
    }
    if (bad)
        return -1;
    db->n_aliases = n;
    qsort(db->aliases, n, sizeof *db->aliases, cmp_alias);
    return 0;
}

struct idref {
    const char *ident, *name;
    long line;
};

static int cmp_idref(const void *a, const void *b)
{
    const struct idref *x = a, *y = b;
    int c = strcmp(x->ident, y->ident);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Names and identifiers of events and aliases must be unique within the
 * database; fallbacks and alias targets must name events. */
static int link_names(const struct reader *r, struct gen_db *db)
{
    int bad = 0;
    for (size_t i = 1; i < db->n_events; i++)
        if (!strcmp(db->events[i].fold, db->events[i - 1].fold)) {
            /* the later of the two in the file is the duplicate */
            const struct gen_event *a = &db->events[i - 1], *b = &db->events[i];
            if (a->line > b->line) {
                const struct gen_event *t = a;
                a = b;
                b = t;
            }
            gen_error(r->file, b->line, "duplicate event %s (also %s at line %ld; names are case-insensitive)",
                      b->name, a->name, a->line);
            bad = 1;
        }
    for (size_t i = 0; i < db->n_aliases; i++) {
        struct gen_alias *a = &db->aliases[i];
        if (i && !strcmp(a->fold, db->aliases[i - 1].fold)) {
            const struct gen_alias *first = &db->aliases[i - 1], *dup = a;
            if (first->line > dup->line) {
                first = a;
                dup = &db->aliases[i - 1];
            }
            gen_error(r->file, dup->line, "duplicate alias %s (also %s at line %ld)", dup->name, first->name,
                      first->line);
            bad = 1;
        }
        int same = find_event(db, a->fold);
        if (same >= 0) {
            gen_error(r->file, a->line, "alias %s has the name of event %s (line %ld)", a->name,
                      db->events[same].name, db->events[same].line);
            bad = 1;
        }
        a->event = find_event(db, gen_fold(a->target));
        if (a->event < 0) {
            gen_error(r->file, a->line, "alias %s names %s, which is not an event of %s", a->name, a->target,
                      db->name);
            bad = 1;
        } else {
            db->events[a->event].n_aliases++;
        }
    }
    for (size_t i = 0; i < db->n_events; i++) {
        struct gen_event *ev = &db->events[i];
        if (!ev->fallback)
            continue;
        ev->fallback_index = find_event(db, gen_fold(ev->fallback));
        if (ev->fallback_index < 0) {
            gen_error(r->file, ev->fallback_line, "event %s: fallback %s is not an event of %s", ev->name,
                      ev->fallback, db->name);
            bad = 1;
        } else if ((size_t)ev->fallback_index == i) {
            gen_error(r->file, ev->fallback_line, "event %s is its own fallback", ev->name);
            bad = 1;
        } else if (db->events[ev->fallback_index].has & KPMC_HAS_FIXED_COUNTER) {
            gen_error(r->file, ev->fallback_line, "event %s: fallback %s is itself a fixed event", ev->name,
                      ev->fallback);
            bad = 1;
        }
    }
    /* Identifiers: events, aliases and the reserved EVENT_COUNT. */
    size_t n = db->n_events + db->n_aliases + 1;
    struct idref *ids = gen_alloc(n * sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < db->n_events; i++)
        ids[k++] = (struct idref){db->events[i].ident, db->events[i].name, db->events[i].line};
    for (size_t i = 0; i < db->n_aliases; i++)
        ids[k++] = (struct idref){db->aliases[i].ident, db->aliases[i].name, db->aliases[i].line};
    ids[k++] = (struct idref){"EVENT_COUNT", "(the event count)", 0};
    qsort(ids, k, sizeof *ids, cmp_idref);
    for (size_t i = 1; i < k; i++)
        if (!strcmp(ids[i].ident, ids[i - 1].ident) && kpmc_ascii_casecmp(ids[i].name, ids[i - 1].name)) {
            const struct idref *a = &ids[i - 1], *b = &ids[i];
            gen_error(r->file, b->line ? b->line : a->line, "%s (line %ld) and %s (line %ld) both become the identifier KPMC_%s_%s",
                      a->name, a->line, b->name, b->line, db->ident, a->ident);
            bad = 1;
        }
    return bad ? -1 : 0;
}

static int read_cpu(const struct reader *r, struct gen_db *db, const struct pl_entry *cpu)
{
    struct pl_entry *e;
    size_t n;
    if (want(r, cpu, PL_DICT) || plist_dict(r->doc, cpu->value, &e, &n))
        return -1;
    static const char *const required[] = {"marketing_name", "architecture", "fixed_counters",
                                           "config_counters", "events"};
    int bad = 0;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!find(e, n, required[i])) {
            gen_error(r->file, cpu->line, "system.cpu has no '%s'", required[i]);
            bad = 1;
        }
    if (bad)
        return -1;
    const struct pl_entry *events = NULL, *aliases = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *k = e[i].key;
        if (!strcmp(k, "marketing_name")) {
            bad |= get_string(r, &e[i], &db->marketing_name);
        } else if (!strcmp(k, "architecture")) {
            if (get_string(r, &e[i], &db->architecture)) {
                bad = 1;
            } else if (!strcmp(db->architecture, "arm64")) {
                db->arch = KPMC_ARCH_ARM64;
            } else if (!strcmp(db->architecture, "x86_64")) {
                db->arch = KPMC_ARCH_X86_64;
            } else {
                gen_error(r->file, plist_line(e[i].value), "unsupported architecture '%s' (arm64 or x86_64)",
                          db->architecture);
                bad = 1;
            }
        } else if (!strcmp(k, "fixed_counters")) {
            bad |= get_int(r, &e[i], "fixed_counters", 0, GEN_MAX_COUNTER_MASK, &db->fixed_counters);
        } else if (!strcmp(k, "config_counters")) {
            bad |= get_int(r, &e[i], "config_counters", 1, GEN_MAX_COUNTER_MASK, &db->config_counters);
        } else if (!strcmp(k, "power_counters")) {
            bad |= get_int(r, &e[i], "power_counters", 0, GEN_MAX_COUNTER_MASK, &db->power_counters);
            db->has |= KPMC_DB_HAS_POWER_COUNTERS;
        } else if (!strcmp(k, "events")) {
            events = &e[i];
        } else if (!strcmp(k, "aliases")) {
            aliases = &e[i];
        } else {
            unknown_key(r, &e[i], "system.cpu");
        }
    }
    if (bad)
        return -1;
    if (db->fixed_counters & db->config_counters) {
        gen_error(r->file, cpu->line, "fixed_counters 0x%x and config_counters 0x%x overlap", db->fixed_counters,
                  db->config_counters);
        return -1;
    }
    if (db->power_counters & ~db->config_counters) {
        gen_error(r->file, cpu->line, "power_counters 0x%x are not among config_counters 0x%x", db->power_counters,
                  db->config_counters);
        return -1;
    }
    if (read_events(r, db, events))
        return -1;
    if (aliases && read_aliases(r, db, aliases))
        return -1;
    return link_names(r, db);
}

static int read_version(const struct reader *r, struct gen_db *db, const struct pl_entry *v)
{
    struct pl_node **items;
    size_t n;
    if (want(r, v, PL_ARRAY) || plist_array(r->doc, v->value, &items, &n))
        return -1;
    if (n < 1 || n > 2) {
        gen_error(r->file, plist_line(v->value), "'version' must have 1 or 2 integers, not %zu", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct pl_entry item = {v->key, plist_line(items[i]), items[i]};
        if (get_int(r, &item, "version component", 0, 0xFFFF, &db->version[i]))
            return -1;
    }
    db->n_version = (unsigned)n;
    if (db->version[0] != 1) {
        gen_error(r->file, plist_line(v->value), "unsupported version %u%s%s (kpmc-gen reads version 1)",
                  db->version[0], n > 1 ? "." : "", n > 1 ? gen_printf("%u", db->version[1]) : "");
        return -1;
    }
    return 0;
}

int model_read_db(const char *path, const char *file, const char *data, size_t len, struct gen_db *out)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    out->file = file;
    struct pl_doc doc;
    if (plist_parse(path, data, len, &doc))
        return -1;
    struct reader r = {&doc, path};
    int rc = -1;
    struct pl_entry *e;
    size_t n;
    if (plist_kind(doc.root) != PL_DICT) {
        gen_error(path, plist_line(doc.root), "the top level must be <dict>");
        goto done;
    }
    if (plist_dict(&doc, doc.root, &e, &n))
        goto done;
    int bad = 0;
    static const char *const required[] = {"name", "version", "system"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!find(e, n, required[i])) {
            gen_error(path, plist_line(doc.root), "the top-level dict has no '%s'", required[i]);
            bad = 1;
        }
    if (bad)
        goto done;
    const struct pl_entry *system = NULL, *version = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *k = e[i].key;
        if (!strcmp(k, "name")) {
            out->name_line = plist_line(e[i].value);
            bad |= get_string(&r, &e[i], &out->name) || check_name(&r, out->name_line, "the database", out->name);
        } else if (!strcmp(k, "version")) {
            version = &e[i];
        } else if (!strcmp(k, "internal")) {
            enum pl_kind kind = plist_kind(e[i].value);
            if (kind != PL_TRUE && kind != PL_FALSE) {
                gen_error(path, plist_line(e[i].value), "'internal' must be <true/> or <false/>");
                bad = 1;
            }
            out->internal = kind == PL_TRUE;
            out->has |= KPMC_DB_HAS_INTERNAL;
        } else if (!strcmp(k, "system")) {
            system = &e[i];
        } else {
            unknown_key(&r, &e[i], "the top-level dict");
        }
    }
    if (bad || read_version(&r, out, version))
        goto done;
    for (const char *p = out->name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '-' || *p == '_')) {
            gen_error(path, out->name_line, "database name '%s' may hold only letters, digits, '.', '-' and '_'",
                      out->name);
            goto done;
        }
    out->ident = gen_mangle(out->name);
    if (want(&r, system, PL_DICT) || plist_dict(&doc, system->value, &e, &n))
        goto done;
    const struct pl_entry *cpu = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(e[i].key, "cpu"))
            cpu = &e[i];
        else
            unknown_key(&r, &e[i], "system");
    }
    if (!cpu) {
        gen_error(path, system->line, "'system' has no 'cpu'");
        goto done;
    }
    rc = read_cpu(&r, out, cpu);
done:
    return rc;
}
