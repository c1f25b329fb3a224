/* kpmc diff: what changed between two databases of the catalog, event by
 * event, matched by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "doc_fmt.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc diff DB1 DB2 [--format text|json|md]\n"
          "\n"
          "Compare two databases of kpmc's built-in catalog.  Events are matched by\n"
          "name (ASCII case-insensitively) and reported as:\n"
          "  added        only in DB2\n"
          "  removed      only in DB1\n"
          "  renumbered   programmed differently: number, umask, other or fixed\n"
          "               counter changed\n"
          "  counters     allowed on other counters (counters_mask; without one,\n"
          "               a fixed event's fixed counter, any other event the\n"
          "               database's configurable counters)\n"
          "  description  described differently\n"
          "and aliases added, removed or pointing to another event.  Changes of the\n"
          "marketing name, architecture and counter masks are shown first.\n"
          "\n"
          "  --format FORMAT  text (default), json or md (Markdown)\n"
          "  --help           print this help\n"
          "\n"
          "Exit status: 0 success (whether or not the databases differ), 1 the output\n"
          "could not be written, 2 usage error (unknown option, database or format).\n",
          f);
}

/* One event present in both databases, by index in each. */
struct pair {
    unsigned a, b;
};

/* One alias that differs: its name and the event it names in each database
 * (NULL where the database lacks it). */
struct alias_change {
    const char *alias, *from, *to;
};

struct diff {
    const kpmc_db *db[2];
    kpmc_db_info d[2];
    unsigned *added, *removed;  /* indices in db[1], db[0] */
    struct pair *renumbered, *counters, *descriptions;
    size_t n_added, n_removed, n_renumbered, n_counters, n_descriptions;
    struct alias_change *aliases;
    size_t n_aliases;
};

/* The event an alias names in db, or NULL. */
static const char *alias_target(const kpmc_db *db, const kpmc_db_info *d, const char *alias)
{
    for (size_t k = 0; k < d->n_aliases; k++) {
        const char *name;
        unsigned ev;
        kpmc_db_alias(db, k, &name, &ev);
        if (!kpmc_ascii_casecmp(name, alias))
            return kpmc_event_name(db, ev);
    }
    return NULL;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void diff_aliases(struct diff *df)
{
    for (int side = 0; side < 2; side++) {
        const kpmc_db *db = df->db[side];
        for (size_t k = 0; k < df->d[side].n_aliases; k++) {
            const char *name;
            unsigned ev;
            kpmc_db_alias(db, k, &name, &ev);
            const char *here = kpmc_event_name(db, ev);
            const char *there = alias_target(df->db[!side], &df->d[!side], name);
            /* An alias in both databases is reported once, from DB1's side. */
            if (there && (side == 1 || !kpmc_ascii_casecmp(here, there)))
                continue;
            struct alias_change *c = &df->aliases[df->n_aliases++];
            c->alias = name;
            c->from = side == 0 ? here : NULL;
            c->to = side == 0 ? there : here;
        }
    }
}

static int diff_build(struct diff *df)
{
    size_t na = df->d[0].n_events, nb = df->d[1].n_events;
    df->added = malloc((nb + 1) * sizeof *df->added);
    df->removed = malloc((na + 1) * sizeof *df->removed);
    df->renumbered = malloc((na + 1) * sizeof *df->renumbered);
    df->counters = malloc((na + 1) * sizeof *df->counters);
    df->descriptions = malloc((na + 1) * sizeof *df->descriptions);
    df->aliases = malloc((df->d[0].n_aliases + df->d[1].n_aliases + 1) * sizeof *df->aliases);
    if (!df->added || !df->removed || !df->renumbered || !df->counters || !df->descriptions || !df->aliases)
        return -1;
    for (unsigned i = 0; i < na; i++) {
        kpmc_event_info ea = {.size = sizeof ea};
        kpmc_event_info eb = {.size = sizeof eb};
        kpmc_event_get(df->db[0], i, &ea);
        int j = doc_find_event(df->db[1], ea.name);
        if (j < 0) {
            df->removed[df->n_removed++] = i;
            continue;
        }
        kpmc_event_get(df->db[1], (unsigned)j, &eb);
        struct pair p = {i, (unsigned)j};
        if (doc_selector_differs(&ea, &eb))
            df->renumbered[df->n_renumbered++] = p;
        if (ea.counters != eb.counters)
            df->counters[df->n_counters++] = p;
        if (!same_text(ea.description, eb.description))
            df->descriptions[df->n_descriptions++] = p;
    }
    for (unsigned j = 0; j < nb; j++)
        if (doc_find_event(df->db[0], kpmc_event_name(df->db[1], j)) < 0)
            df->added[df->n_added++] = j;
    diff_aliases(df);
    return 0;
}

static void diff_free(struct diff *df)
{
    free(df->added);
    free(df->removed);
    free(df->renumbered);
    free(df->counters);
    free(df->descriptions);
    free(df->aliases);
}

/* ---- what is compared, as text ---- */

/* One side of a change as text: event i of database `side`. */
enum { SIDE_LEN = DOC_COUNTERS_LEN };
_Static_assert((int)DOC_SEL_FULL_LEN <= (int)SIDE_LEN, "a selector fits a side's buffer");
typedef void side_text(const struct diff *df, int side, unsigned i, char out[SIDE_LEN]);

static void event_counters(const struct diff *df, int side, unsigned i, char out[SIDE_LEN])
{
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(df->db[side], i, &e);
    doc_counters_str(e.counters, out);
}

static void event_selector(const struct diff *df, int side, unsigned i, char out[SIDE_LEN])
{
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(df->db[side], i, &e);
    doc_selector_full(&df->d[side], &e, out);
}

/* A section of changed events, one line each: "  NAME  FROM -> TO" (text)
 * or "| `NAME` | FROM | TO |" under a table head (Markdown). */
static void pair_section(FILE *f, const struct diff *df, int md, const char *title, const struct pair *p, size_t n,
                         side_text *what)
{
    if (!n)
        return;
    if (md)
        fprintf(f, "\n## %s (%zu)\n\n| Event | %s | %s |\n|---|---|---|\n", title, n, df->d[0].name,
                df->d[1].name);
    else
        fprintf(f, "\n%s (%zu):\n", title, n);
    for (size_t k = 0; k < n; k++) {
        char from[SIDE_LEN], to[SIDE_LEN];
        what(df, 0, p[k].a, from);
        what(df, 1, p[k].b, to);
        fprintf(f, md ? "| `%s` | %s | %s |\n" : "  %s  %s -> %s\n", kpmc_event_name(df->db[0], p[k].a), from, to);
    }
}

/* Database-level fields that differ, as (label, from, to) strings. */
struct field_change {
    const char *label;
    char from[DOC_COUNTERS_LEN], to[DOC_COUNTERS_LEN];
};

static size_t db_changes(const struct diff *df, struct field_change out[5])
{
    size_t n = 0;
    const kpmc_db_info *a = &df->d[0], *b = &df->d[1];
    const struct {
        const char *label;
        const char *sa, *sb;
        uint32_t ma, mb;
    } f[] = {
        {"marketing name", a->marketing_name, b->marketing_name, 0, 0},
        {"architecture", a->architecture, b->architecture, 0, 0},
        {"fixed counters", NULL, NULL, a->fixed_counters, b->fixed_counters},
        {"configurable counters", NULL, NULL, a->config_counters, b->config_counters},
        {"power counters", NULL, NULL, a->power_counters, b->power_counters},
    };
    for (size_t i = 0; i < 5; i++) {
        if (f[i].sa ? same_text(f[i].sa, f[i].sb) : f[i].ma == f[i].mb)
            continue;
        out[n].label = f[i].label;
        if (f[i].sa) {
            snprintf(out[n].from, sizeof out[n].from, "%s", f[i].sa);
            snprintf(out[n].to, sizeof out[n].to, "%s", f[i].sb);
        } else {
            doc_counters_str(f[i].ma, out[n].from);
            doc_counters_str(f[i].mb, out[n].to);
        }
        n++;
    }
    return n;
}

static void summary_line(const struct diff *df, FILE *f)
{
    fprintf(f, "%zu added, %zu removed, %zu renumbered, %zu on other counters, %zu described differently, "
               "%zu aliases changed",
            df->n_added, df->n_removed, df->n_renumbered, df->n_counters, df->n_descriptions, df->n_aliases);
}

/* ---- text ---- */

static void print_text(const struct diff *df, FILE *f)
{
    const kpmc_db_info *a = &df->d[0], *b = &df->d[1];
    char la[DOC_LABEL_LEN], lb[DOC_LABEL_LEN];
    doc_db_label(a, la);
    doc_db_label(b, lb);
    fprintf(f, "%s (%s, %zu events) -> %s (%s, %zu events)\n", a->name, la, a->n_events, b->name, lb, b->n_events);
    summary_line(df, f);
    fputc('\n', f);
    struct field_change fc[5];
    size_t n_fc = db_changes(df, fc);
    for (size_t i = 0; i < n_fc; i++)
        fprintf(f, "%s: %s -> %s\n", fc[i].label, fc[i].from, fc[i].to);

    for (int side = 1; side >= 0; side--) {
        size_t n = side ? df->n_added : df->n_removed;
        const unsigned *idx = side ? df->added : df->removed;
        if (n)
            fprintf(f, "\n%s (%zu):\n", side ? "added" : "removed", n);
        for (size_t k = 0; k < n; k++) {
            char sel[SIDE_LEN];
            event_selector(df, side, idx[k], sel);
            fprintf(f, "  %s  %s\n", kpmc_event_name(df->db[side], idx[k]), sel);
        }
    }
    pair_section(f, df, 0, "renumbered", df->renumbered, df->n_renumbered, event_selector);
    pair_section(f, df, 0, "counters changed", df->counters, df->n_counters, event_counters);
    if (df->n_descriptions)
        fprintf(f, "\ndescription changed (%zu):\n", df->n_descriptions);
    for (size_t k = 0; k < df->n_descriptions; k++) {
        kpmc_event_info ea = {.size = sizeof ea};
        kpmc_event_info eb = {.size = sizeof eb};
        kpmc_event_get(df->db[0], df->descriptions[k].a, &ea);
        kpmc_event_get(df->db[1], df->descriptions[k].b, &eb);
        fprintf(f, "  %s\n    - %s\n    + %s\n", ea.name, ea.description ? ea.description : "(none)",
                eb.description ? eb.description : "(none)");
    }
    if (df->n_aliases)
        fprintf(f, "\naliases changed (%zu):\n", df->n_aliases);
    for (size_t k = 0; k < df->n_aliases; k++) {
        const struct alias_change *c = &df->aliases[k];
        fprintf(f, "  %s  %s -> %s\n", c->alias, c->from ? c->from : "(none)", c->to ? c->to : "(none)");
    }
}

/* ---- Markdown ---- */

static void print_md(const struct diff *df, FILE *f)
{
    const kpmc_db_info *a = &df->d[0], *b = &df->d[1];
    fprintf(f, "# %s → %s\n\n", a->name, b->name);
    char la[DOC_LABEL_LEN], lb[DOC_LABEL_LEN];
    doc_db_label(a, la);
    doc_db_label(b, lb);
    fprintf(f, "%s (", a->name);
    doc_md(f, la);
    fprintf(f, ", %zu events) → %s (", a->n_events, b->name);
    doc_md(f, lb);
    fprintf(f, ", %zu events): ", b->n_events);
    summary_line(df, f);
    fputs(".\n", f);
    struct field_change fc[5];
    size_t n_fc = db_changes(df, fc);
    if (n_fc)
        fputc('\n', f);
    for (size_t i = 0; i < n_fc; i++) {
        fprintf(f, "- %s: ", fc[i].label);
        doc_md(f, fc[i].from);
        fputs(" → ", f);
        doc_md(f, fc[i].to);
        fputc('\n', f);
    }

    for (int side = 1; side >= 0; side--) {
        size_t n = side ? df->n_added : df->n_removed;
        const unsigned *idx = side ? df->added : df->removed;
        if (!n)
            continue;
        fprintf(f, "\n## %s (%zu)\n\n| Event | Selector | Description |\n|---|---|---|\n",
                side ? "Added" : "Removed", n);
        for (size_t k = 0; k < n; k++) {
            kpmc_event_info e = {.size = sizeof e};
            char sel[DOC_SEL_FULL_LEN];
            kpmc_event_get(df->db[side], idx[k], &e);
            doc_selector_full(&df->d[side], &e, sel);
            fprintf(f, "| `%s` | %s |", e.name, sel);
            doc_md_cell(f, e.description);
            fputc('\n', f);
        }
    }
    pair_section(f, df, 1, "Renumbered", df->renumbered, df->n_renumbered, event_selector);
    pair_section(f, df, 1, "Counters changed", df->counters, df->n_counters, event_counters);
    if (df->n_descriptions)
        fprintf(f, "\n## Description changed (%zu)\n\n| Event | %s | %s |\n|---|---|---|\n", df->n_descriptions,
                a->name, b->name);
    for (size_t k = 0; k < df->n_descriptions; k++) {
        kpmc_event_info ea = {.size = sizeof ea};
        kpmc_event_info eb = {.size = sizeof eb};
        kpmc_event_get(df->db[0], df->descriptions[k].a, &ea);
        kpmc_event_get(df->db[1], df->descriptions[k].b, &eb);
        fprintf(f, "| `%s` |", ea.name);
        doc_md_cell(f, ea.description);
        doc_md_cell(f, eb.description);
        fputc('\n', f);
    }
    if (df->n_aliases) {
        fprintf(f, "\n## Aliases changed (%zu)\n\n| Alias | %s | %s |\n|---|---|---|\n", df->n_aliases, a->name,
                b->name);
    }
    for (size_t k = 0; k < df->n_aliases; k++) {
        const struct alias_change *c = &df->aliases[k];
        fprintf(f, "| `%s` | %s%s%s | %s%s%s |\n", c->alias, c->from ? "`" : "", c->from ? c->from : "",
                c->from ? "`" : "", c->to ? "`" : "", c->to ? c->to : "", c->to ? "`" : "");
    }
}

/* ---- JSON ---- */

static void json_opt(FILE *f, const char *key, int present, unsigned v)
{
    fprintf(f, "\"%s\":", key);
    if (present)
        fprintf(f, "%u", v);
    else
        fputs("null", f);
}

static void json_programming(FILE *f, const kpmc_event_info *e)
{
    fputc('{', f);
    json_opt(f, "number", e->has & KPMC_HAS_NUMBER, e->number);
    fputc(',', f);
    json_opt(f, "umask", e->has & KPMC_HAS_UMASK, e->umask);
    fputc(',', f);
    json_opt(f, "other", e->has & KPMC_HAS_OTHER, e->other);
    fputc(',', f);
    json_opt(f, "fixed_counter", e->has & KPMC_HAS_FIXED_COUNTER, e->fixed_counter);
    fputc('}', f);
}

static void json_names(FILE *f, const char *key, const kpmc_db *db, const unsigned *idx, size_t n)
{
    fprintf(f, ",\n\"%s\":[", key);
    for (size_t k = 0; k < n; k++) {
        fputs(k ? "," : "", f);
        cli_json_str(f, kpmc_event_name(db, idx[k]));
    }
    fputc(']', f);
}

/* One changed event: {"name":..,"from":X,"to":Y} with X and Y written by
 * `value` for each side. */
static void json_pairs(FILE *f, const char *key, const struct diff *df, const struct pair *p, size_t n,
                       void (*value)(FILE *, const struct diff *, int, const kpmc_event_info *))
{
    fprintf(f, ",\n\"%s\":[", key);
    for (size_t k = 0; k < n; k++) {
        kpmc_event_info ea = {.size = sizeof ea};
        kpmc_event_info eb = {.size = sizeof eb};
        kpmc_event_get(df->db[0], p[k].a, &ea);
        kpmc_event_get(df->db[1], p[k].b, &eb);
        cli_json_member(f, k ? ",\n{" : "\n{", "name", ea.name);
        fputs(",\"from\":", f);
        value(f, df, 0, &ea);
        fputs(",\"to\":", f);
        value(f, df, 1, &eb);
        fputc('}', f);
    }
    fputc(']', f);
}

static void value_programming(FILE *f, const struct diff *df, int side, const kpmc_event_info *e)
{
    (void)df;
    (void)side;
    json_programming(f, e);
}

static void value_counters(FILE *f, const struct diff *df, int side, const kpmc_event_info *e)
{
    (void)df;
    (void)side;
    fprintf(f, "%u", (unsigned)e->counters);
}

static void value_description(FILE *f, const struct diff *df, int side, const kpmc_event_info *e)
{
    (void)df;
    (void)side;
    cli_json_str(f, e->description);
}

static void print_json(const struct diff *df, FILE *f)
{
    cli_json_member(f, "{", "from", df->d[0].name);
    cli_json_member(f, ",", "to", df->d[1].name);
    fputs(",\"database\":{", f);
    const kpmc_db_info *a = &df->d[0], *b = &df->d[1];
    int first = 1;
    if (!same_text(a->marketing_name, b->marketing_name)) {
        fputs("\"marketing_name\":{\"from\":", f);
        cli_json_str(f, a->marketing_name);
        cli_json_member(f, ",", "to", b->marketing_name);
        fputc('}', f);
        first = 0;
    }
    if (!same_text(a->architecture, b->architecture)) {
        fputs(first ? "\"architecture\":{\"from\":" : ",\"architecture\":{\"from\":", f);
        cli_json_str(f, a->architecture);
        cli_json_member(f, ",", "to", b->architecture);
        fputc('}', f);
        first = 0;
    }
    const struct {
        const char *key;
        uint32_t from, to;
    } masks[] = {{"fixed_counters", a->fixed_counters, b->fixed_counters},
                 {"config_counters", a->config_counters, b->config_counters},
                 {"power_counters", a->power_counters, b->power_counters}};
    for (size_t i = 0; i < 3; i++) {
        if (masks[i].from == masks[i].to)
            continue;
        fprintf(f, "%s\"%s\":{\"from\":%u,\"to\":%u}", first ? "" : ",", masks[i].key, (unsigned)masks[i].from,
                (unsigned)masks[i].to);
        first = 0;
    }
    fputc('}', f);
    json_names(f, "added", df->db[1], df->added, df->n_added);
    json_names(f, "removed", df->db[0], df->removed, df->n_removed);
    json_pairs(f, "renumbered", df, df->renumbered, df->n_renumbered, value_programming);
    json_pairs(f, "counters", df, df->counters, df->n_counters, value_counters);
    json_pairs(f, "descriptions", df, df->descriptions, df->n_descriptions, value_description);
    fputs(",\n\"aliases\":[", f);
    for (size_t k = 0; k < df->n_aliases; k++) {
        cli_json_member(f, k ? ",\n{" : "\n{", "alias", df->aliases[k].alias);
        cli_json_member(f, ",", "from", df->aliases[k].from);
        cli_json_member(f, ",", "to", df->aliases[k].to);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

int kpmc_cmd_diff(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "md", NULL};
    const char *names[2] = {NULL, NULL}, *format = "text";
    int n_names = 0;
    const struct cli_option opts[] = {{"--format", &format, NULL}, {NULL, NULL, NULL}};
    int st = cli_parse("diff", argc, argv, opts, usage, names, 2, &n_names);
    if (st >= 0)
        return st;
    if (n_names < 2)
        return cli_usage_error("diff", "give two databases, e.g. 'kpmc diff a14 a15'");
    int fmt = cli_choice("diff", "format", format, formats);
    if (fmt < 0)
        return 2;
    struct diff df;
    memset(&df, 0, sizeof df);
    for (int side = 0; side < 2; side++) {
        if (!(df.db[side] = cli_find_db("diff", names[side])))
            return 2;
        df.d[side].size = sizeof df.d[side];
        kpmc_db_get(df.db[side], &df.d[side]);
    }
    if (diff_build(&df) != 0) {
        diff_free(&df);
        return cli_error("diff", "out of memory");
    }
    FILE *f = stdout;
    if (fmt == 0)
        print_text(&df, f);
    else if (fmt == 1)
        print_json(&df, f);
    else
        print_md(&df, f);
    diff_free(&df);
    if (fflush(f) || ferror(f))
        return cli_error("diff", "cannot write the output");
    return 0;
}
