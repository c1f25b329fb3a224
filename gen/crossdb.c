/* kpmc-gen: work across databases once every file is read (model_finish):
 * database order and names, family links, portable ids, and the fixed
 * counter inconsistencies that need all of a database's events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crossdb.h"
#include "util.h"

static int cmp_db(const void *a, const void *b)
{
    const struct gen_db *x = a, *y = b;
    int c = gen_natcmp(x->name, y->name);
    if (!c)
        c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->file, y->file); /* same name: reported, in a fixed order */
}

static int cmp_link(const void *a, const void *b)
{
    const struct gen_link *x = a, *y = b;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    if (x->cputype != y->cputype)
        return x->cputype < y->cputype ? -1 : 1;
    if (x->cpusubtype != y->cpusubtype)
        return x->cpusubtype < y->cpusubtype ? -1 : 1;
    return strcmp(x->file, y->file);
}

static int check_dbs(struct gen_catalog *cat)
{
    int bad = 0;
    qsort(cat->dbs, cat->n_dbs, sizeof *cat->dbs, cmp_db);
    for (size_t i = 0; i < cat->n_dbs; i++)
        for (size_t j = i + 1; j < cat->n_dbs; j++) {
            const struct gen_db *a = &cat->dbs[i], *b = &cat->dbs[j];
            if (!kpmc_ascii_casecmp(a->name, b->name)) {
                gen_error(b->path, b->name_line, "database %s is also defined by %s", b->name, a->path);
                bad = 1;
            } else if (!strcmp(a->ident, b->ident)) {
                gen_error(b->path, b->name_line, "databases %s (%s) and %s both become the identifier KPMC_DB_%s",
                          a->name, a->path, b->name, a->ident);
                bad = 1;
            }
        }
    if (cat->n_dbs >= 256) {
        gen_error(NULL, 0, "%zu databases; kpmc supports at most 255", cat->n_dbs);
        bad = 1;
    }
    return bad ? -1 : 0;
}

static int resolve_links(struct gen_catalog *cat)
{
    int bad = 0;
    for (size_t i = 0; i < cat->n_links; i++) {
        struct gen_link *l = &cat->links[i];
        l->db = -1;
        for (size_t j = 0; j < cat->n_dbs; j++)
            if (!strcmp(cat->dbs[j].file, l->target))
                l->db = (int)j;
        if (l->db < 0) {
            gen_error(l->path, 0, "links to %s, which is not a database among the inputs", l->target);
            bad = 1;
        }
    }
    if (bad)
        return -1;
    if (cat->n_links) /* links is NULL when there are none */
        qsort(cat->links, cat->n_links, sizeof *cat->links, cmp_link);
    for (size_t i = 1; i < cat->n_links; i++) {
        const struct gen_link *a = &cat->links[i - 1], *b = &cat->links[i];
        if (a->family == b->family && a->db != b->db) {
            gen_error(b->path, 0, "CPU family 0x%x maps to %s here but to %s in %s", b->family,
                      cat->dbs[b->db].name, cat->dbs[a->db].name, a->file);
            bad = 1;
        }
    }
    for (size_t i = 0; i < cat->n_links; i++)
        cat->dbs[cat->links[i].db].n_families++;
    return bad ? -1 : 0;
}

/* ---- portable ids ---- */

struct spelling {
    const char *fold, *name, *ident;
    const struct gen_db *db;
    long line;
};

static int cmp_spelling(const void *a, const void *b)
{
    const struct spelling *x = a, *y = b;
    int c = strcmp(x->fold, y->fold);
    return c ? c : strcmp(x->name, y->name);
}

static int cmp_ident(const void *a, const void *b)
{
    const struct spelling *x = *(const struct spelling *const *)a, *y = *(const struct spelling *const *)b;
    int c = strcmp(x->ident, y->ident);
    if (!c)
        c = strcmp(x->fold, y->fold);
    return c ? c : strcmp(x->name, y->name);
}

static int fold_cmp(const void *key, const void *fold)
{
    return strcmp(key, *(const char *const *)fold);
}

static unsigned pid_of(const struct gen_catalog *cat, const char *fold)
{
    const char **p = bsearch(fold, cat->pid_fold, cat->n_pids, sizeof *cat->pid_fold, fold_cmp);
    if (!p)
        abort(); /* every fold was collected */
    return (unsigned)(p - cat->pid_fold);
}

static int assign_pids(struct gen_catalog *cat)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->n_dbs; i++)
        n += cat->dbs[i].n_events + cat->dbs[i].n_aliases;
    struct spelling *s = gen_alloc((n + 1) * sizeof *s);
    size_t k = 0;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events; j++)
            s[k++] = (struct spelling){db->events[j].fold, db->events[j].name, db->events[j].ident, db,
                                       db->events[j].line};
        for (size_t j = 0; j < db->n_aliases; j++)
            s[k++] = (struct spelling){db->aliases[j].fold, db->aliases[j].name, db->aliases[j].ident, db,
                                       db->aliases[j].line};
    }
    qsort(s, n, sizeof *s, cmp_spelling);
    size_t n_pids = 0;
    for (size_t i = 0; i < n; i++)
        n_pids += !i || strcmp(s[i].fold, s[i - 1].fold);
    if (n_pids >= KPMC_CAT_LIMIT) {
        gen_error(NULL, 0, "%zu distinct event names; kpmc supports at most %u", n_pids, KPMC_CAT_LIMIT - 1);
        return -1;
    }
    cat->pid_name = gen_alloc((n_pids + 1) * sizeof *cat->pid_name);
    cat->pid_fold = gen_alloc((n_pids + 1) * sizeof *cat->pid_fold);
    cat->pid_ident = gen_alloc((n_pids + 1) * sizeof *cat->pid_ident);
    size_t p = 0;
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(s[i].fold, s[i - 1].fold)) {
            cat->pid_name[p] = s[i].name;
            cat->pid_fold[p] = s[i].fold;
            cat->pid_ident[p] = s[i].ident;
            p++;
        }
    cat->n_pids = n_pids;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events; j++)
            db->events[j].pid = pid_of(cat, db->events[j].fold);
        for (size_t j = 0; j < db->n_aliases; j++)
            db->aliases[j].pid = pid_of(cat, db->aliases[j].fold);
    }
    return 0;
}

/* Two fixed events on one fixed counter while another fixed counter has
 * none: the database gives one of them the wrong counter (skylake's
 * CPU_CLK_UNHALTED.REF_TSC on counter 1).  Which one cannot be told from the
 * data, so every claimant of the shared counter is marked. */
static void find_shared_fixed(struct gen_db *db)
{
    unsigned claims[16] = {0};
    for (size_t i = 0; i < db->n_events; i++) {
        const struct gen_event *e = &db->events[i];
        if ((e->has & KPMC_HAS_FIXED_COUNTER) && !(e->flags & (KPMC_EVF_FIXED_OUTSIDE | KPMC_EVF_FIXED_MASK)))
            claims[e->fixed_counter]++;
    }
    unsigned unclaimed = 0;
    for (unsigned c = 0; c < 16; c++)
        if ((db->fixed_counters >> c & 1) && !claims[c])
            unclaimed |= 1u << c;
    if (!unclaimed)
        return;
    for (unsigned c = 0; c < 16; c++) {
        if (claims[c] < 2)
            continue;
        struct buf names = {0};
        long line = 0;
        unsigned n = 0;
        for (size_t i = 0; i < db->n_events; i++) {
            struct gen_event *e = &db->events[i];
            if ((e->has & KPMC_HAS_FIXED_COUNTER) && e->fixed_counter == c &&
                !(e->flags & (KPMC_EVF_FIXED_OUTSIDE | KPMC_EVF_FIXED_MASK))) {
                e->flags |= KPMC_EVF_FIXED_SHARED;
                n++;
                buf_printf(&names, "%s%s (line %ld)", n == 1 ? "" : n == claims[c] ? " and " : ", ", e->name,
                           e->line);
                if (!line || e->line < line)
                    line = e->line;
            }
        }
        gen_warn(db->path, line,
                 "%s claim fixed counter %u while fixed counters 0x%x are claimed by none; "
                 "kpmc will not program them on a fixed counter",
                 names.data, c, unclaimed);
        buf_free(&names);
    }
}

/* Every enumerator of the generated headers, KPMC_DB_*, KPMC_EV_* and
 * KPMC_<DB>_*, must be unique, and a database identifier must not start
 * like the hand-written names of the kpmc headers (KPMC_E_*, KPMC_MODE_*, ...). */
static int check_identifiers(const struct gen_catalog *cat)
{
    static const char *const reserved[] = {"DB", "EV", "E", "OK", "MODE", "CLASS", "HAS", "EVF", "ARCH",
                                           "MAX", "DETAIL", "CAT", "SIM", "CATALOG"};
    int bad = 0;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++) {
            size_t n = strlen(reserved[r]);
            if (!strncmp(db->ident, reserved[r], n) && (!db->ident[n] || db->ident[n] == '_')) {
                gen_error(db->path, db->name_line,
                          "database name %s would make identifiers KPMC_%s_*, which kpmc reserves", db->name,
                          db->ident);
                bad = 1;
            }
        }
    }
    if (bad)
        return -1;
    size_t n = 2 + cat->n_pids;
    for (size_t i = 0; i < cat->n_dbs; i++)
        n += 2 + cat->dbs[i].n_events + cat->dbs[i].n_aliases;
    struct spelling *s = gen_alloc(n * sizeof *s);
    const struct spelling **p = gen_alloc(n * sizeof *p);
    size_t k = 0;
    s[k++] = (struct spelling){"", "(the database count)", "DB_COUNT", NULL, 0};
    s[k++] = (struct spelling){"", "(the id count)", "EV_COUNT", NULL, 0};
    /* A portable name is placed, for messages, where it is spelled as its id's name. */
    const struct gen_db **pid_db = gen_alloc((cat->n_pids + 1) * sizeof *pid_db);
    long *pid_line = gen_alloc((cat->n_pids + 1) * sizeof *pid_line);
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events + db->n_aliases; j++) {
            int ev = j < db->n_events;
            unsigned pid = ev ? db->events[j].pid : db->aliases[j - db->n_events].pid;
            const char *name = ev ? db->events[j].name : db->aliases[j - db->n_events].name;
            if (!pid_db[pid] && !strcmp(name, cat->pid_name[pid])) {
                pid_db[pid] = db;
                pid_line[pid] = ev ? db->events[j].line : db->aliases[j - db->n_events].line;
            }
        }
    }
    for (size_t i = 0; i < cat->n_pids; i++)
        s[k++] = (struct spelling){"", cat->pid_name[i], gen_concat("EV_", cat->pid_ident[i], NULL), pid_db[i],
                                   pid_line[i]};
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        s[k++] = (struct spelling){"", db->name, gen_concat("DB_", db->ident, NULL), db, db->name_line};
        s[k++] = (struct spelling){"", "(the event count)", gen_concat(db->ident, "_EVENT_COUNT", NULL), db, 0};
        for (size_t j = 0; j < db->n_events; j++)
            s[k++] = (struct spelling){"", db->events[j].name, gen_concat(db->ident, "_", db->events[j].ident),
                                       db, db->events[j].line};
        for (size_t j = 0; j < db->n_aliases; j++)
            s[k++] = (struct spelling){"", db->aliases[j].name,
                                       gen_concat(db->ident, "_", db->aliases[j].ident), db, db->aliases[j].line};
    }
    for (size_t i = 0; i < k; i++)
        p[i] = &s[i];
    qsort(p, k, sizeof *p, cmp_ident);
    for (size_t i = 1; i < k; i++)
        if (!strcmp(p[i]->ident, p[i - 1]->ident)) {
            const struct spelling *a = p[i - 1], *b = p[i];
            const struct spelling *at = b->db ? b : a;
            gen_error(at->db ? at->db->path : NULL, at->line, "%s (%s) and %s (%s) both become the identifier KPMC_%s",
                      a->name, a->db ? a->db->name : "portable ids", b->name, b->db ? b->db->name : "portable ids",
                      a->ident);
            bad = 1;
        }
    return bad ? -1 : 0;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The banner lines: every database with its SHA-256, every link. */
static void list_inputs(struct gen_catalog *cat)
{
    size_t n = cat->n_dbs + cat->n_links;
    cat->inputs = gen_alloc((n + 1) * sizeof *cat->inputs);
    for (size_t i = 0; i < cat->n_dbs; i++) {
        char hex[65];
        for (int j = 0; j < 32; j++)
            snprintf(hex + 2 * j, 3, "%02x", cat->dbs[i].sha256[j]);
        cat->inputs[i] = cat->dbs[i].input = gen_printf("%-32s sha256 %s", cat->dbs[i].file, hex);
    }
    for (size_t i = 0; i < cat->n_links; i++)
        cat->inputs[cat->n_dbs + i] = gen_printf("%-32s -> %s", cat->links[i].file, cat->links[i].target);
    qsort(cat->inputs, n, sizeof *cat->inputs, cmp_cstr);
    cat->n_inputs = n;
}

int model_finish(struct gen_catalog *cat)
{
    if (cat->n_dbs == 0) {
        gen_error(NULL, 0, "no database among the inputs");
        return -1;
    }
    if (check_dbs(cat) || resolve_links(cat) || assign_pids(cat) || check_identifiers(cat))
        return -1;
    list_inputs(cat);
    size_t total = 0;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        find_shared_fixed(&cat->dbs[i]);
        total += cat->dbs[i].n_events + cat->dbs[i].n_aliases;
    }
    if (total >= KPMC_CAT_LIMIT) {
        gen_error(NULL, 0, "%zu events and aliases in all; kpmc supports at most %u", total, KPMC_CAT_LIMIT - 1);
        return -1;
    }
    return 0;
}
