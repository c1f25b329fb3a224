#define _POSIX_C_SOURCE 200809L
/* kpmc-gen: the generic-event table and the chip table (see tables.h and
 * the header comments of catalog/tables/generic.tsv and chips.tsv). */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "file.h"
#include "sha256.h"
#include "util.h"

/* Longest generic event name (the runtime's suggestions compare names of
 * up to 127 bytes). */
#define GENERIC_NAME_MAX 64

/* ---- lines and fields ---- */

struct line {
    long no;
    char **field;
    size_t n_fields;
};

/* The file's meaningful lines split at TABs; comment and blank lines are
 * dropped; its base name and SHA-256 go to *src.  -1 after an error. */
static int read_lines(const char *path, struct line **out, size_t *n_out, struct gen_table_source *src)
{
    char *data;
    size_t len;
    if (gen_read_file(path, &data, &len))
        return -1;
    const char *slash = strrchr(path, '/');
    src->file = slash ? slash + 1 : path;
    sha256(data, len, src->sha256);
    if (memchr(data, '\0', len)) {
        gen_error(path, 0, "holds a NUL byte; a table is text");
        return -1;
    }

    size_t cap = 0, n = 0;
    struct line *lines = NULL;
    long no = 0;
    for (char *p = data; *p;) {
        char *end = strchr(p, '\n');
        char *next = end ? end + 1 : p + strlen(p);
        if (end)
            *end = '\0';
        no++;
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r')
            p[--l] = '\0';
        if (l && p[0] != '#') {
            for (const unsigned char *c = (const unsigned char *)p; *c; c++)
                if ((*c < 0x20 && *c != '\t') || *c >= 0x7f) {
                    gen_error(path, no, "a character that is not printable ASCII (0x%02x)", *c);
                    return -1;
                }
            lines = gen_grow(lines, n, &cap, sizeof *lines, 64);
            struct line *ln = &lines[n++];
            ln->no = no;
            size_t nf = 1;
            for (const char *c = p; *c; c++)
                nf += *c == '\t';
            ln->field = gen_alloc(nf * sizeof *ln->field);
            for (char *c = p;; c++) {
                if (*c == '\t' || !*c) {
                    int last = !*c;
                    *c = '\0';
                    ln->field[ln->n_fields++] = p;
                    p = c + 1;
                    if (last)
                        break;
                }
            }
        }
        p = next;
    }
    *out = lines;
    *n_out = n;
    return 0;
}

/* Fields may not be empty or start or end with a space. */
static int check_fields(const char *path, const struct line *ln)
{
    for (size_t i = 0; i < ln->n_fields; i++) {
        const char *s = ln->field[i];
        size_t l = strlen(s);
        if (!l) {
            gen_error(path, ln->no, "field %zu is empty (fields are separated by one TAB)", i + 1);
            return -1;
        }
        if (s[0] == ' ' || s[l - 1] == ' ') {
            gen_error(path, ln->no, "field %zu '%s' starts or ends with a space", i + 1, s);
            return -1;
        }
    }
    return 0;
}

/* s split at commas, each part trimmed of spaces; empty parts are errors. */
static int split_list(const char *path, long line, const char *what, const char *s, const char ***out, size_t *n)
{
    size_t cap = 1;
    for (const char *c = s; *c; c++)
        cap += *c == ',';
    const char **v = gen_alloc(cap * sizeof *v);
    *n = 0;
    for (const char *p = s;;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (a == b) {
            gen_error(path, line, "an empty %s in the list '%s'", what, s);
            return -1;
        }
        v[(*n)++] = gen_strndup(a, (size_t)(b - a));
        if (!*end)
            break;
        p = end + 1;
    }
    *out = v;
    return 0;
}

/* ---- generic events ---- */

static int db_by_name(const struct gen_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_dbs; i++)
        if (!strcmp(cat->dbs[i].name, name))
            return (int)i;
    return -1;
}

static int event_by_name(const struct gen_db *db, const char *name)
{
    for (size_t j = 0; j < db->n_events; j++)
        if (!strcmp(db->events[j].name, name))
            return (int)j;
    return -1;
}

/* Why `name` is not an event of db, for the error message. */
static void explain_missing(const char *path, long line, const struct gen_generic *g, const struct gen_db *db,
                            const char *name)
{
    for (size_t j = 0; j < db->n_aliases; j++)
        if (!kpmc_ascii_casecmp(db->aliases[j].name, name)) {
            gen_error(path, line, "%s: %s is an alias in database %s; name its event %s", g->name, name, db->name,
                      db->events[db->aliases[j].event].name);
            return;
        }
    for (size_t j = 0; j < db->n_events; j++)
        if (!kpmc_ascii_casecmp(db->events[j].name, name)) {
            gen_error(path, line, "%s: no event %s in database %s (it spells it %s)", g->name, name, db->name,
                      db->events[j].name);
            return;
        }
    gen_error(path, line, "%s: no event %s in database %s", g->name, name, db->name);
}

/* The checks on one mapped event; mode 0 all, 1 user. */
static int check_mapped(const char *path, long line, const struct gen_generic *g, const struct gen_db *db,
                        const struct gen_event *e, int mode)
{
    const char *m = mode ? "user" : "all";
    if (mode && (e->has & KPMC_HAS_FIXED_COUNTER)) {
        gen_error(path, line,
                  "%s: %s is a fixed event of %s, and a fixed counter counts the kernel too; user mode needs an "
                  "event a configurable counter counts%s%s",
                  g->name, e->name, db->name, e->fallback ? ", such as its fallback " : "",
                  e->fallback ? e->fallback : "");
        return -1;
    }
    if (!(e->has & KPMC_HAS_FIXED_COUNTER) && !(e->has & KPMC_HAS_NUMBER)) {
        gen_error(path, line, "%s: %s has no event number in %s", g->name, e->name, db->name);
        return -1;
    }
    if ((e->has & KPMC_HAS_FIXED_COUNTER) && e->flags && e->fallback_index < 0) {
        gen_error(path, line,
                  "%s: %s is described inconsistently in %s (flags 0x%x) and has no fallback, so kpmc cannot count it",
                  g->name, e->name, db->name, e->flags);
        return -1;
    }
    if (db->arch == KPMC_ARCH_X86_64 && (e->has & KPMC_HAS_OTHER)) {
        unsigned usr = e->other & 1u, os = e->other >> 1 & 1u;
        if (!usr || (!mode && !os)) {
            gen_error(path, line, "%s: %s of %s counts %s only (other 0x%x), not what %s mode asks", g->name,
                      e->name, db->name, usr ? "user mode" : os ? "kernel mode" : "no mode", e->other, m);
            return -1;
        }
    }
    return 0;
}

/* One "DATABASES ALL USER [NOTE]" row under g. */
static int generic_row(const char *path, const struct line *ln, struct gen_generic *g, const struct gen_catalog *cat,
                       const char ***absent, size_t *n_absent)
{
    if (ln->n_fields != 3 && ln->n_fields != 4) {
        gen_error(path, ln->no, "a row has 3 or 4 fields (DATABASES, ALL, USER, NOTE), not %zu", ln->n_fields);
        return -1;
    }
    const char **names;
    size_t n;
    if (split_list(path, ln->no, "database name", ln->field[0], &names, &n))
        return -1;
    const char *all = ln->field[1], *user = ln->field[2], *note = ln->n_fields == 4 ? ln->field[3] : NULL;
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        int twice = 0;
        for (size_t j = 0; j < k && !twice; j++)
            twice = !strcmp(names[j], names[k]);
        if (twice) {
            gen_error(path, ln->no, "%s: database %s is listed twice", g->name, names[k]);
            bad = 1;
            continue;
        }
        int d = db_by_name(cat, names[k]);
        if (d < 0) {
            size_t j = 0;
            while (j < *n_absent && strcmp((*absent)[j], names[k]))
                j++;
            if (j == *n_absent) {
                const char **more = gen_alloc((*n_absent + 1) * sizeof *more);
                if (*n_absent)
                    memcpy(more, *absent, *n_absent * sizeof *more);
                more[(*n_absent)++] = names[k];
                *absent = more;
                gen_note(path, ln->no, "database %s is not among the inputs; its rows are skipped", names[k]);
            }
            continue;
        }
        struct gen_generic_map *m = &g->map[d];
        if (m->line) {
            gen_error(path, ln->no, "%s: a second row for database %s (the first at line %ld)", g->name, names[k],
                      m->line);
            bad = 1;
            continue;
        }
        const struct gen_db *db = &cat->dbs[d];
        m->line = ln->no;
        m->note = note;
        m->all = m->user = -1;
        const char *given[2] = {all, user};
        int *idx[2] = {&m->all, &m->user};
        for (int mode = 0; mode < 2; mode++) {
            if (!strcmp(given[mode], "-"))
                continue;
            int e = event_by_name(db, given[mode]);
            if (e < 0 && mode && !strcmp(given[0], given[1]))
                continue; /* already reported for ALL */
            if (e < 0) {
                explain_missing(path, ln->no, g, db, given[mode]);
                bad = 1;
                continue;
            }
            if (check_mapped(path, ln->no, g, db, &db->events[e], mode)) {
                bad = 1;
                continue;
            }
            *idx[mode] = e;
        }
        if (m->all >= 0 && m->user >= 0 && m->all != m->user &&
            !(db->events[m->all].has & KPMC_HAS_FIXED_COUNTER)) {
            gen_error(path, ln->no,
                      "%s: in %s, %s counts user mode as well; USER must be the same event, not %s", g->name,
                      db->name, all, user);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static int valid_generic_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) || strlen(s) > GENERIC_NAME_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* A generic name may be neither an event name of any database nor an alias
 * that names another event than its all-mode mapping. */
static int check_names(const char *path, const struct gen_generic *g, const struct gen_catalog *cat)
{
    int bad = 0;
    for (size_t d = 0; d < cat->n_dbs; d++) {
        const struct gen_db *db = &cat->dbs[d];
        for (size_t j = 0; j < db->n_events; j++)
            if (!strcmp(db->events[j].fold, g->fold)) {
                gen_error(path, g->line, "generic event %s has the name of event %s of database %s", g->name,
                          db->events[j].name, db->name);
                bad = 1;
            }
        for (size_t j = 0; j < db->n_aliases; j++) {
            const struct gen_alias *a = &db->aliases[j];
            if (strcmp(a->fold, g->fold) || g->map[d].all < 0 || g->map[d].all == a->event)
                continue;
            gen_error(path, g->line,
                      "generic event %s would hide alias %s of database %s, which names %s, not %s", g->name,
                      a->name, db->name, db->events[a->event].name, db->events[g->map[d].all].name);
            bad = 1;
        }
    }
    return bad;
}

static int read_generic(const char *path, const struct gen_catalog *cat, struct gen_tables *t)
{
    struct line *lines;
    size_t n;
    if (read_lines(path, &lines, &n, &t->generic_source))
        return -1;
    size_t n_generic = 0;
    for (size_t i = 0; i < n; i++)
        n_generic += !strcmp(lines[i].field[0], "event");
    t->generic = gen_alloc((n_generic + 1) * sizeof *t->generic);
    const char **absent = NULL;
    size_t n_absent = 0;
    int bad = 0;
    struct gen_generic *g = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct line *ln = &lines[i];
        if (check_fields(path, ln)) {
            bad = 1;
            continue;
        }
        if (!strcmp(ln->field[0], "event")) {
            if (ln->n_fields != 3) {
                gen_error(path, ln->no, "an 'event' line has 3 fields (event, NAME, DESCRIPTION), not %zu",
                          ln->n_fields);
                bad = 1;
                g = NULL;
                continue;
            }
            const char *name = ln->field[1];
            if (!valid_generic_name(name)) {
                gen_error(path, ln->no,
                          "generic event name '%s': letters, digits, '-', '_' and '.', starting with a letter, "
                          "at most %d",
                          name, GENERIC_NAME_MAX);
                bad = 1;
                g = NULL;
                continue;
            }
            g = &t->generic[t->n_generic];
            g->name = name;
            g->fold = gen_fold(name);
            g->ident = gen_mangle(name);
            g->description = ln->field[2];
            g->line = ln->no;
            g->map = gen_alloc((cat->n_dbs + 1) * sizeof *g->map);
            for (size_t d = 0; d < cat->n_dbs; d++)
                g->map[d].all = g->map[d].user = -1;
            for (size_t k = 0; k < t->n_generic; k++) {
                const struct gen_generic *o = &t->generic[k];
                if (!strcmp(o->fold, g->fold)) {
                    gen_error(path, ln->no, "duplicate generic event %s (also %s at line %ld)", name, o->name,
                              o->line);
                    bad = 1;
                } else if (!strcmp(o->ident, g->ident)) {
                    gen_error(path, ln->no, "%s (line %ld) and %s both become the identifier KPMC_GEN_%s", o->name,
                              o->line, name, g->ident);
                    bad = 1;
                }
            }
            if (!strcmp(g->ident, "COUNT")) {
                gen_error(path, ln->no, "generic event %s would make KPMC_GEN_COUNT, which kpmc reserves", name);
                bad = 1;
            }
            t->n_generic++;
            continue;
        }
        if (!g) {
            if (!bad)
                gen_error(path, ln->no, "a row before the first 'event' line");
            bad = 1;
            continue;
        }
        bad |= generic_row(path, ln, g, cat, &absent, &n_absent) != 0;
    }
    if (bad)
        return -1;
    for (size_t k = 0; k < t->n_generic; k++)
        bad |= check_names(path, &t->generic[k], cat);
    if (bad)
        return -1;
    /* Databases the table does not cover (newer than it, say). */
    for (size_t d = 0; d < cat->n_dbs; d++) {
        struct buf missing = {0};
        size_t count = 0;
        for (size_t k = 0; k < t->n_generic; k++)
            if (!t->generic[k].map[d].line) {
                buf_puts(&missing, count++ ? ", " : "");
                buf_puts(&missing, t->generic[k].name);
            }
        if (count)
            gen_note(path, 0, "database %s has no row for %zu generic event%s (%s): %s nothing there",
                     cat->dbs[d].name, count, count == 1 ? "" : "s", missing.data, count == 1 ? "it maps" : "they map");
        buf_free(&missing);
    }
    return 0;
}

/* ---- chips ---- */

static int parse_family(const char *s, uint32_t *out)
{
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return -1;
    s += 2;
    return kpmc_ascii_hex32(&s, out) || *s ? -1 : 0;
}

static int valid_chip_name(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 40 || kpmc_chip_skip((unsigned char)s[0]) || kpmc_chip_skip((unsigned char)s[n - 1]))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == ' ' ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static int read_chips(const char *path, const struct gen_catalog *cat, struct gen_tables *t)
{
    struct line *lines;
    size_t n;
    if (read_lines(path, &lines, &n, &t->chips_source))
        return -1;
    t->families = gen_alloc((n + 1) * sizeof *t->families);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct line *ln = &lines[i];
        if (check_fields(path, ln)) {
            bad = 1;
            continue;
        }
        if (ln->n_fields != 3) {
            gen_error(path, ln->no, "a row has 3 fields (FAMILY, CHIPS, CODENAME), not %zu", ln->n_fields);
            bad = 1;
            continue;
        }
        struct gen_chip_family *f = &t->families[t->n_families];
        f->line = ln->no;
        f->db = -1;
        if (parse_family(ln->field[0], &f->family)) {
            gen_error(path, ln->no, "'%s' is not a CPU family: 0x and 1 to 8 hexadecimal digits", ln->field[0]);
            bad = 1;
            continue;
        }
        if (split_list(path, ln->no, "chip name", ln->field[1], &f->chips, &f->n_chips)) {
            bad = 1;
            continue;
        }
        f->codename = strcmp(ln->field[2], "-") ? ln->field[2] : NULL;
        struct buf joined = {0};
        for (size_t k = 0; k < f->n_chips; k++) {
            if (!valid_chip_name(f->chips[k])) {
                gen_error(path, ln->no, "chip name '%s': letters, digits, spaces, '-', '_' and '.', at most 40, neither starting nor ending with a space, '-' or '_'",
                          f->chips[k]);
                bad = 1;
            }
            buf_puts(&joined, k ? ", " : "");
            buf_puts(&joined, f->chips[k]);
        }
        f->chips_text = gen_strdup(joined.data);
        buf_free(&joined);
        for (size_t k = 0; k < t->n_families; k++) {
            const struct gen_chip_family *o = &t->families[k];
            if (o->family == f->family) {
                gen_error(path, ln->no, "a second row for family 0x%x (the first at line %ld)", f->family, o->line);
                bad = 1;
            }
            for (size_t a = 0; a < o->n_chips; a++)
                for (size_t b = 0; b < f->n_chips; b++)
                    if (kpmc_chip_same(o->chips[a], f->chips[b])) {
                        gen_error(path, ln->no, "chip %s is also %s at line %ld", f->chips[b], o->chips[a],
                                  o->line);
                        bad = 1;
                    }
        }
        for (size_t a = 0; a < f->n_chips; a++)
            for (size_t b = 0; b < a; b++)
                if (kpmc_chip_same(f->chips[a], f->chips[b])) {
                    gen_error(path, ln->no, "chip %s is listed twice", f->chips[a]);
                    bad = 1;
                }
        t->n_families++;
    }
    if (bad)
        return -1;

    t->link_family = gen_alloc((cat->n_links + 1) * sizeof *t->link_family);
    for (size_t l = 0; l < cat->n_links; l++) {
        t->link_family[l] = -1;
        for (size_t k = 0; k < t->n_families; k++)
            if (t->families[k].family == cat->links[l].family) {
                t->link_family[l] = (int)k;
                t->families[k].db = cat->links[l].db;
            }
        if (t->link_family[l] < 0)
            gen_note(path, 0, "CPU family 0x%x (%s, database %s) has no row: its chips have no name",
                     cat->links[l].family, cat->links[l].file, cat->dbs[cat->links[l].db].name);
    }
    for (size_t k = 0; k < t->n_families; k++) {
        const struct gen_chip_family *f = &t->families[k];
        if (f->db < 0) {
            gen_note(path, f->line, "CPU family 0x%x (%s) has no cpu_* link among the inputs", f->family,
                     f->chips_text);
            continue;
        }
        /* A chip named like a database must be that database. */
        for (size_t c = 0; c < f->n_chips; c++)
            for (size_t d = 0; d < cat->n_dbs; d++)
                if ((int)d != f->db && kpmc_chip_same(f->chips[c], cat->dbs[d].name)) {
                    gen_error(path, f->line, "chip %s (database %s) has the name of database %s", f->chips[c],
                              cat->dbs[f->db].name, cat->dbs[d].name);
                    bad = 1;
                }
    }
    return bad ? -1 : 0;
}

int tables_read(const char *generic_path, const char *chips_path, const struct gen_catalog *cat,
                struct gen_tables *out)
{
    memset(out, 0, sizeof *out);
    int bad = 0;
    if (generic_path)
        bad |= read_generic(generic_path, cat, out) != 0;
    if (chips_path)
        bad |= read_chips(chips_path, cat, out) != 0;
    if (bad)
        return -1;
    if (!out->link_family) { /* no chip table: no link has a row */
        out->link_family = gen_alloc((cat->n_links + 1) * sizeof *out->link_family);
        for (size_t l = 0; l < cat->n_links; l++)
            out->link_family[l] = -1;
    }
    out->db_chips = gen_alloc((cat->n_dbs + 1) * sizeof *out->db_chips);
    for (size_t d = 0; d < cat->n_dbs; d++) {
        struct buf joined = {0};
        for (size_t k = 0; k < out->n_families; k++)
            if (out->families[k].db == (int)d) {
                buf_puts(&joined, joined.len ? ", " : "");
                buf_puts(&joined, out->families[k].chips_text);
            }
        out->db_chips[d] = joined.len ? gen_strdup(joined.data) : NULL;
        buf_free(&joined);
    }
    return 0;
}
