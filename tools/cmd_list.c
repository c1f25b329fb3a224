/* kpmc list: the events of one or every database, as text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "doc_fmt.h"
#include "list_md_csv.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc list [--db NAME | --all | --generic] [--format text|json|md|csv]\n"
          "\n"
          "List the events of a kpep database from kpmc's built-in catalog.\n"
          "\n"
          "  --db NAME        the database to list (e.g. a14, as4, skylake) or a chip\n"
          "                   that uses it (M1, \"M3 Pro\", \"Coffee Lake\"); the default\n"
          "                   is $KPMC_DB, else this Mac's database, else a14 (Apple M1)\n"
          "  --all            list every database\n"
          "  --generic        list the generic events (cycles, instructions,\n"
          "                   branch-misses, ...): for every database (or the one of\n"
          "                   --db) the event that counts each in all modes and in user\n"
          "                   mode, \"-\" where none counts it faithfully; text or json:\n"
          "                   {\"generic\":[{\"name\",\"description\",\"databases\":\n"
          "                   {\"a14\":{\"all\":\"FIXED_CYCLES\",\"user\":\"CORE_ACTIVE_CYCLE\"},\n"
          "                   ...}}]} with null where none\n"
          "  --format FORMAT  text (default): aligned columns for people;\n"
          "                   json: every field of every event, keys as in the plists;\n"
          "                   md: a Markdown section per database with a table of events;\n"
          "                   csv: one line per event under one header line (RFC 4180\n"
          "                   quoting), with `other` decoded into cmask, inv, edge, any,\n"
          "                   usr and os\n"
          "  --help           print this help\n"
          "\n"
          "Exit status: 0 success, 1 the output could not be written, 2 usage error\n"
          "(unknown option, database or format).\n",
          f);
}

static void list_text(const kpmc_db *db, FILE *f)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN], label[DOC_LABEL_LEN];
    doc_counters_str(d.fixed_counters, fixed);
    doc_counters_str(d.config_counters, config);
    doc_counters_str(d.power_counters, power);
    doc_db_label(&d, label);
    fprintf(f, "%s: %s, %s, kpep version %u", d.name, label, d.architecture, d.version[0]);
    if (d.n_version > 1)
        fprintf(f, ".%u", d.version[1]);
    fprintf(f, ", %zu events\n", d.n_events);
    fprintf(f, "counters: fixed %s, configurable %s", fixed, config);
    if (d.power_counters)
        fprintf(f, " (%s reserved by the power manager unless forced)", power);
    fputc('\n', f);
    for (size_t k = 0; k < d.n_families; k++) {
        kpmc_family_info fi = {.size = sizeof fi};
        char chips[DOC_CHIPS_LEN], link[DOC_LINK_LEN];
        kpmc_db_family(db, k, &fi);
        doc_family_chips(&fi, chips);
        doc_family_link(&fi, link);
        fprintf(f, "%s 0x%x (%s)%s%s\n", k ? "             " : "CPU families:", fi.family, link, chips[0] ? ": " : "",
                chips);
    }
    doc_aliases(f, db, &(const struct doc_alias_list){"alias: ", "\n       ", " -> ", "\n", NULL, NULL});

    int wname = 4;
    for (unsigned i = 0; i < d.n_events; i++) {
        int n = (int)strlen(kpmc_event_name(db, i));
        if (n > wname)
            wname = n;
    }
    const int wsel = 11, wcnt = 11;
    fprintf(f, "\n%-*s  %-*s  %-*s  %s\n", wname, "NAME", wsel, "SELECTOR", wcnt, "COUNTERS", "DESCRIPTION");
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        char sel[DOC_SEL_LEN], cnt[DOC_COUNTERS_LEN];
        doc_selector_str(&d, &e, sel);
        doc_counters_str(e.counters, cnt);
        const char *notes[4];
        char extra[3][160];
        int n_notes = 0, n_extra = 0;
        if (e.description)
            notes[n_notes++] = e.description;
        if (e.fallback) {
            snprintf(extra[n_extra], sizeof extra[0], "(fallback: %s)", e.fallback);
            notes[n_notes++] = extra[n_extra++];
        }
        if (e.flags) {
            snprintf(extra[n_extra], sizeof extra[0], "(inconsistent in the database: %s)",
                     (e.flags & KPMC_EVF_FIXED_OUTSIDE) ? "its fixed counter does not exist"
                     : (e.flags & KPMC_EVF_FIXED_SHARED) ? "another event claims the same fixed counter"
                                                         : "counters_mask disagrees with fixed_counter");
            notes[n_notes++] = extra[n_extra++];
        }
        char other[DOC_OTHER_LEN] = "";
        if (e.has & KPMC_HAS_OTHER)
            doc_other_str(e.other, other);
        if (other[0]) {
            snprintf(extra[n_extra], sizeof extra[0], "(%s)", other);
            notes[n_notes++] = extra[n_extra++];
        }
        if (!n_notes) {
            fprintf(f, "%-*s  %-*s  %s\n", wname, e.name, wsel, sel, cnt);
            continue;
        }
        int col = fprintf(f, "%-*s  %-*s  %-*s", wname, e.name, wsel, sel, wcnt, cnt);
        int start = wname + wsel + wcnt + 6;
        int width = start + (100 - start > 50 ? 100 - start : 50);
        for (int k = 0; k < n_notes; k++) {
            if (k) {
                fprintf(f, "\n%*s", start, "");
                col = start;
            } else {
                fputs("  ", f);
                col += 2;
            }
            cli_wrap(f, notes[k], col, start, width);
        }
        fputc('\n', f);
    }
}

static void json_uint_or_null(FILE *f, int present, unsigned v)
{
    if (present)
        fprintf(f, "%u", v);
    else
        fputs("null", f);
}

static void list_json(const kpmc_db *db, FILE *f)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    cli_json_member(f, "{", "name", d.name);
    cli_json_member(f, ",", "marketing_name", d.marketing_name);
    cli_json_member(f, ",", "architecture", d.architecture);
    fprintf(f, ",\"version\":[%u", d.version[0]);
    if (d.n_version > 1)
        fprintf(f, ",%u", d.version[1]);
    fputs("],\"internal\":", f);
    fputs(!(d.has & KPMC_DB_HAS_INTERNAL) ? "null" : d.internal ? "true" : "false", f);
    fprintf(f, ",\"fixed_counters\":%u,\"config_counters\":%u,\"power_counters\":", d.fixed_counters,
            d.config_counters);
    json_uint_or_null(f, d.has & KPMC_DB_HAS_POWER_COUNTERS, d.power_counters);
    fputs(",\"families\":[", f);
    for (size_t k = 0; k < d.n_families; k++) {
        kpmc_family_info fi = {.size = sizeof fi};
        kpmc_db_family(db, k, &fi);
        fprintf(f, "%s%u", k ? "," : "", fi.family);
    }
    fputs("],\"aliases\":{", f);
    doc_aliases(f, db, &(const struct doc_alias_list){"", ",", ":", "", cli_json_str, cli_json_str});
    fputs("},\"events\":[", f);
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        cli_json_member(f, i ? ",\n{" : "\n{", "name", e.name);
        cli_json_member(f, ",", "description", e.description);
        const struct {
            const char *key;
            unsigned has, v;
        } numbers[] = {{"number", KPMC_HAS_NUMBER, e.number},
                       {"umask", KPMC_HAS_UMASK, e.umask},
                       {"other", KPMC_HAS_OTHER, e.other},
                       {"counters_mask", KPMC_HAS_COUNTERS_MASK, e.counters_mask},
                       {"fixed_counter", KPMC_HAS_FIXED_COUNTER, e.fixed_counter}};
        for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
            fprintf(f, ",\"%s\":", numbers[k].key);
            json_uint_or_null(f, e.has & numbers[k].has, numbers[k].v);
        }
        cli_json_member(f, ",", "fallback", e.fallback);
        fputs(",\"aliases\":[", f);
        for (size_t k = 0; k < e.n_aliases; k++) {
            fputs(k ? "," : "", f);
            cli_json_str(f, kpmc_event_alias(db, i, k));
        }
        fputs("]}", f);
    }
    fputs("]}", f);
}

/* ---- --generic ---- */

/* "FIXED_CYCLES, user mode CORE_ACTIVE_CYCLE", "INST_BRANCH", "-". */
static void mapping_text(const kpmc_db *db, int g, char *out, size_t len)
{
    const char *all = doc_generic_event(db, g, KPMC_MODE_ALL), *user = doc_generic_event(db, g, KPMC_MODE_USER);
    if (all && user && strcmp(all, user))
        snprintf(out, len, "%s, user mode %s", all, user);
    else if (all && !user)
        snprintf(out, len, "%s, user mode -", all);
    else if (!all && user)
        snprintf(out, len, "-, user mode %s", user);
    else
        snprintf(out, len, "%s", all ? all : "-");
}

static void generic_text(const kpmc_db *one, FILE *f)
{
    size_t n = kpmc_generic_count();
    fprintf(f, "%zu generic events: names that mean the same on every chip.  Each line gives the\n"
               "event that counts it in all modes and, where another, in user mode; \"-\": no event\n"
               "of that database counts it faithfully.\n",
            n);
    for (size_t g = 0; g < n; g++) {
        kpmc_generic_info gi = {.size = sizeof gi};
        kpmc_generic_get((int)g, &gi);
        fprintf(f, "\n%s: %s\n", gi.name, gi.description);
        size_t first = one ? kpmc_db_id(one) : 0, last = one ? first + 1 : kpmc_db_count();
        for (size_t i = first; i < last; i++) {
            const kpmc_db *db = kpmc_db_at(i);
            if (!doc_generic_first(first, i, (int)g))
                continue; /* listed with the first database that maps it alike */
            char text[256], dbs[512] = "";
            size_t used = 0;
            for (size_t k = i; k < last; k++)
                if (doc_generic_same(db, kpmc_db_at(k), (int)g) && used < sizeof dbs)
                    used += (size_t)snprintf(dbs + used, sizeof dbs - used, "%s%s", used ? " " : "",
                                             kpmc_db_name(kpmc_db_at(k)));
            mapping_text(db, (int)g, text, sizeof text);
            fputs("  ", f);
            cli_wrap(f, dbs, 2, 2, 100);
            fputs(":\n    ", f);
            cli_wrap(f, text, 4, 6, 100);
            const char *note = kpmc_generic_note(db, (int)g);
            if (note) {
                fputs("\n      (", f);
                cli_wrap(f, note, 7, 7, 100);
                fputc(')', f);
            }
            fputc('\n', f);
        }
    }
}

static void generic_json(const kpmc_db *one, FILE *f)
{
    fputs("{\"generic\":[", f);
    for (size_t g = 0; g < kpmc_generic_count(); g++) {
        kpmc_generic_info gi = {.size = sizeof gi};
        kpmc_generic_get((int)g, &gi);
        cli_json_member(f, g ? ",\n{" : "\n{", "name", gi.name);
        cli_json_member(f, ",", "description", gi.description);
        fputs(",\"databases\":{", f);
        size_t first = one ? kpmc_db_id(one) : 0, last = one ? first + 1 : kpmc_db_count();
        for (size_t i = first; i < last; i++) {
            const kpmc_db *db = kpmc_db_at(i);
            fputs(i != first ? "," : "", f);
            cli_json_str(f, kpmc_db_name(db));
            cli_json_member(f, ":{", "all", doc_generic_event(db, (int)g, KPMC_MODE_ALL));
            cli_json_member(f, ",", "user", doc_generic_event(db, (int)g, KPMC_MODE_USER));
            fputc('}', f);
        }
        fputs("}}", f);
    }
    fputs("\n]}\n", f);
}

int kpmc_cmd_list(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "md", "csv", NULL};
    const char *db_name = NULL, *format = "text";
    int all = 0, generic = 0;
    const struct cli_option opts[] = {{"--db", &db_name, NULL},
                                      {"--all", NULL, &all},
                                      {"--generic", NULL, &generic},
                                      {"--format", &format, NULL},
                                      {NULL, NULL, NULL}};
    int st = cli_parse("list", argc, argv, opts, usage, NULL, 0, NULL);
    if (st >= 0)
        return st;
    if (all && db_name)
        return cli_usage_error("list", "--db and --all exclude each other");
    int fmt = cli_choice("list", "format", format, formats);
    if (fmt < 0)
        return 2;
    if (generic) {
        if (fmt > 1)
            return cli_usage_error("list", "--generic lists as text or json, not %s", format);
        const kpmc_db *one = db_name ? cli_find_db("list", db_name) : NULL;
        if (db_name && !one)
            return 2;
        if (fmt == 0)
            generic_text(one, stdout);
        else
            generic_json(one, stdout);
        if (fflush(stdout) || ferror(stdout))
            return cli_error("list", "cannot write the output");
        return 0;
    }

    const kpmc_db *one = NULL;
    const char *why = NULL;
    if (db_name) {
        one = cli_find_db("list", db_name);
        if (!one)
            return 2;
    } else if (!all) {
        one = cli_default_db("list", &why);
        if (!one)
            return 2;
    }
    size_t first = one ? kpmc_db_id(one) : 0, last = one ? first + 1 : kpmc_db_count();

    FILE *f = stdout;
    if (fmt == 0) {
        if (why && !strcmp(why, "this machine")) {
            char cpu[64];
            kpmc_host_cpu_string(cpu, sizeof cpu);
            fprintf(f, "This Mac (%s) uses database %s.\n\n", cpu, kpmc_db_name(one));
        }
        for (size_t i = first; i < last; i++) {
            if (i != first)
                fputs("\n\n", f);
            list_text(kpmc_db_at(i), f);
        }
    } else if (fmt == 2) {
        for (size_t i = first; i < last; i++) {
            if (i != first)
                fputc('\n', f);
            list_md(kpmc_db_at(i), f);
        }
    } else if (fmt == 3) {
        list_csv_header(f);
        for (size_t i = first; i < last; i++)
            list_csv(kpmc_db_at(i), f);
    } else {
        fputs("{\"databases\":[", f);
        for (size_t i = first; i < last; i++) {
            fputs(i != first ? ",\n" : "\n", f);
            list_json(kpmc_db_at(i), f);
        }
        fputs("\n]}\n", f);
    }
    if (fflush(f) || ferror(f))
        return cli_error("list", "cannot write the output");
    return 0;
}
