/* kpmc check: how a set of events would be placed and encoded, computed from
 * the catalog alone (kpmc_plan_build_names); no counter is touched.  With
 * --groups, the fewest such sets for any number of events
 * (kpmc_groups_build), each printed as a set is. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#include "cli.h"
#include "counts.h"
#include "commands.h"
#include "doc_fmt.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc check [--db NAME] [--user] [--kernel NAME | --groups [--anchors LIST]] [--format text|json] EVENT...\n"
          "\n"
          "Show where a set of events would be counted: the counter each event gets\n"
          "(all counters forced), its kpc configuration word and its position in the\n"
          "buffer kpc_get_thread_counters() fills.  Computed from kpmc's built-in\n"
          "catalog only: nothing is programmed, no root is needed, any OS will do.\n"
          "\n"
          "  EVENT            an event name or alias of the database, or a generic event\n"
          "                   (cycles, branch-misses, ...: kpmc list --generic), counted\n"
          "                   by the database's event for the mode; case-insensitive\n"
          "  --db NAME        the database (e.g. a14, as4, skylake) or a chip (M2); by\n"
          "                   default $KPMC_DB, else this Mac's database, else a14 (M1)\n"
          "  --user           count user mode only (default: user and kernel); fixed\n"
          "                   events then fall back to a configurable event or are refused\n"
          "  --kernel NAME    plan for a kernel: pre14.4 (macOS before 14.4), 14.4, 15, cpc\n"
          "                   (CPC-era kernels); on 15 and cpc configurable counters count\n"
          "                   user mode only, so a set mixing fixed and configurable events\n"
          "                   counts every event in user mode on configurable counters; on\n"
          "                   cpc x86_64 only half the general-purpose counters remain and\n"
          "                   events needing CMASK, INV or EDGE are refused.  Adds what each\n"
          "                   event counts (COUNTS; json: \"kernel\" and each event's\n"
          "                   \"counts\": \"user\" or \"all\").  Default: no kernel's limits\n"
          "  --format FORMAT  text (default): a table for people; json: one object\n"
          "                   {\"db\", \"mode\", \"classes\", \"config\", \"events\"}, where config\n"
          "                   lists the words in kpc_set_config() order and each event has\n"
          "                   \"name\" (as given), \"resolved\" (the event programmed),\n"
          "                   \"counter\", \"config\" (null on a fixed counter) and \"index\"\n"
          "  --groups         split the events (up to 64) into the fewest sets that each\n"
          "                   fit, and show each set; json: {\"db\", \"mode\", \"groups\"}, where\n"
          "                   each group is the object a check of its events prints\n"
          "  --anchors LIST   with --groups: events, separated by commas, added first to\n"
          "                   every set (e.g. Cycles,Instructions), so that each can be\n"
          "                   normalised by them; an EVENT they count is not repeated\n"
          "  --help           print this help\n"
          "\n"
          "Exit status: 0 the set fits (--groups: the groups were built); 1 it does\n"
          "not fit or an event is unknown or unavailable (json: {\"error\", \"events\"}\n"
          "on stdout; text: the reason on stderr); 2 usage error (unknown option,\n"
          "database or format, no EVENT).\n",
          f);
}

/* The object of a set, without a newline. */
static void print_json(FILE *f, const kpmc_plan *plan, const char *const *names, const char *kernel)
{
    kpmc_plan_info pi = {.size = sizeof pi}, *p = &pi;
    kpmc_plan_get(plan, p);
    cli_json_member(f, "{", "db", kpmc_db_name(p->db));
    if (kernel) {
        cli_json_member(f, ",", "kernel", kernel);
    }
    fprintf(f, ",\"mode\":\"%s\",\"classes\":%" PRIu32 ",\"config\":[", cli_mode_name(p->mode), p->classes);
    for (unsigned k = 0; k < p->n_config; k++)
        fprintf(f, "%s%" PRIu64, k ? "," : "", p->config[k]);
    fputs("],\"events\":[", f);
    for (unsigned i = 0; i < p->n_events; i++) {
        kpmc_plan_event ev = {.size = sizeof ev}, *e = &ev;
        kpmc_plan_event_get(plan, i, e);
        cli_json_member(f, i ? ",{" : "{", "name", names[i]);
        cli_json_member(f, ",", "resolved", kpmc_event_name(p->db, e->resolved));
        fprintf(f, ",\"counter\":%u,\"config\":", e->counter);
        if (e->fixed)
            fputs("null", f);
        else
            fprintf(f, "%" PRIu64, e->config);
        fprintf(f, ",\"index\":%u", e->index);
        if (kernel)
            fprintf(f, ",\"counts\":\"%s\"", kpmc_counts_word(e->counts));
        fputc('}', f);
    }
    fputs("]}", f);
}

/* What the kernel profile does to plans, in a sentence. */
static void print_kernel(FILE *f, const char *kernel, const kpmc_kernel *k, const kpmc_db_info *d)
{
    const char *sep = "";
    fprintf(f, "kernel %s: ", kernel);
    if (!k->flags)
        fputs("no selector allowlist, configurable counters count the modes asked", f);
    if (k->flags & KPMC_KERNEL_ALLOWLIST) {
        fputs("selectors outside the kernel's list are refused (EPERM)", f);
        sep = "; ";
    }
    if (k->flags & KPMC_KERNEL_USER_ONLY) {
        fprintf(f, "%sconfigurable counters count user mode only", sep);
        sep = "; ";
    }
    if (k->flags & KPMC_KERNEL_X86_PLAIN)
        fprintf(f, "%s%u of the %u general-purpose counters; CMASK, INV and EDGE are dropped", sep,
                kpmc_popcount32(k->config_counters), kpmc_popcount32(d->config_counters));
    fputs(".\n", f);
}

static void print_text(FILE *f, const kpmc_plan *plan, const char *const *names, const char *kernel,
                       const kpmc_kernel *kern)
{
    kpmc_plan_info pi = {.size = sizeof pi}, *p = &pi;
    kpmc_plan_get(plan, p);
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(p->db, &d);
    fprintf(f, "database %s (%s, %s), mode %s\n", d.name, d.marketing_name, d.architecture,
            p->mode == KPMC_MODE_USER ? "user (user only)" : "all (user and kernel)");
    if (kernel)
        print_kernel(f, kernel, kern, &d);
    fprintf(f, "classes 0x%" PRIx32 " (%s%s%s); kpc_set_config takes %u word%s, kpc_get_thread_counters gives %u value%s\n",
            p->classes, (p->classes & KPMC_CLASS_FIXED) ? "fixed" : "",
            p->classes == (KPMC_CLASS_FIXED | KPMC_CLASS_CONFIGURABLE) ? ", " : "",
            (p->classes & KPMC_CLASS_CONFIGURABLE) ? "configurable" : "", p->n_config, p->n_config == 1 ? "" : "s",
            p->n_counters, p->n_counters == 1 ? "" : "s");

    int wname = 5, wres = 7;
    for (unsigned i = 0; i < p->n_events; i++) {
        kpmc_plan_event e = {.size = sizeof e};
        kpmc_plan_event_get(plan, i, &e);
        int a = (int)strlen(names[i]), b = (int)strlen(kpmc_event_name(p->db, e.resolved));
        wname = a > wname ? a : wname;
        wres = b > wres ? b : wres;
    }
    fprintf(f, "\n%-*s  %-*s  %-8s  %-10s  %s%s\n", wname, "EVENT", wres, "COUNTED", "COUNTER", "CONFIG", "INDEX",
            kernel ? "  COUNTS" : "");
    for (unsigned i = 0; i < p->n_events; i++) {
        kpmc_plan_event ev = {.size = sizeof ev}, *e = &ev;
        kpmc_plan_event_get(plan, i, e);
        char counter[24], config[24];
        snprintf(counter, sizeof counter, e->fixed ? "%u fixed" : "%u", e->counter);
        if (e->fixed)
            snprintf(config, sizeof config, "-");
        else
            snprintf(config, sizeof config, "0x%" PRIx64, e->config);
        fprintf(f, "%-*s  %-*s  %-8s  %-10s  ", wname, names[i], wres, kpmc_event_name(p->db, e->resolved),
                counter, config);
        if (kernel)
            fprintf(f, "%-5u  %s\n", e->index, kpmc_counts_word(e->counts));
        else
            fprintf(f, "%u\n", e->index);
    }
    fputs("\nkpc_set_config words:", f);
    if (!p->n_config)
        fputs(" none (fixed counters take no word; kpc_set_config is skipped)", f);
    for (unsigned k = 0; k < p->n_config; k++)
        fprintf(f, " 0x%" PRIx64, p->config[k]);
    if (d.arch == KPMC_ARCH_X86_64 && (p->classes & KPMC_CLASS_FIXED))
        fputs("\n(the first word is the fixed counters' word, which the kernel ignores; kpmc passes the others\n"
              "alone, as CONFIGURABLE)", f);
    fputc('\n', f);
}

static void print_error_json(FILE *f, const char *message, const char *const *names, int n)
{
    cli_json_member(f, "{", "error", message);
    fputs(",\"events\":[", f);
    for (int i = 0; i < n; i++) {
        fputs(i ? "," : "", f);
        cli_json_str(f, names[i]);
    }
    fputs("]}\n", f);
}

/* --groups: the fewest sets, each printed as a check of its events. */
static int check_groups(const kpmc_db *db, int mode, int json, const char **events, int n, const char *anchor_list)
{
    /* the anchors: split at commas into a copy */
    const char *anchors[KPMC_MAX_EVENTS];
    size_t n_anchors = 0;
    char *copy = NULL;
    if (anchor_list) {
        copy = malloc(strlen(anchor_list) + 1);
        if (!copy)
            return cli_error("check", "out of memory");
        strcpy(copy, anchor_list);
        for (char *a = strtok(copy, ","); a; a = strtok(NULL, ","))
            if (n_anchors++ < KPMC_MAX_EVENTS)
                anchors[n_anchors - 1] = a;
        free(n_anchors && n_anchors <= KPMC_MAX_EVENTS ? NULL : copy);
        if (!n_anchors)
            return cli_usage_error("check", "--anchors names no event");
        if (n_anchors > KPMC_MAX_EVENTS)
            return cli_error("check", "--anchors names %zu events; at most %d", n_anchors, KPMC_MAX_EVENTS);
    }
    kpmc_groups *g;
    char detail[1024];
    int count = kpmc_groups_build(&g, db, events, (size_t)n, anchors, n_anchors, mode, detail, sizeof detail);
    FILE *f = stdout;
    if (count < 0) {
        const char *message = detail[0] ? detail : kpmc_strerror(count);
        if (json)
            print_error_json(f, message, events, n);
        else
            cli_error("check", "%s", message);
    } else if (json) {
        cli_json_member(f, "{", "db", kpmc_db_name(db));
        fprintf(f, ",\"mode\":\"%s\",\"groups\":[", cli_mode_name(mode));
        for (int k = 0; k < count; k++) {
            kpmc_group_info gi = {.size = sizeof gi};
            kpmc_groups_get(g, (size_t)k, &gi);
            fputs(k ? ",\n " : "\n ", f);
            print_json(f, gi.plan, gi.names, NULL);
        }
        fputs("]}\n", f);
    } else {
        fprintf(f, "%d event%s in %d group%s", n, n == 1 ? "" : "s", count, count == 1 ? "" : "s");
        for (size_t j = 0; j < n_anchors; j++)
            fprintf(f, "%s%s", j ? ", " : ", each with the anchors ", anchors[j]);
        fputs("\n", f);
        for (int k = 0; k < count; k++) {
            kpmc_group_info gi = {.size = sizeof gi};
            kpmc_groups_get(g, (size_t)k, &gi);
            fprintf(f, "\ngroup %d of %d:", k + 1, count);
            for (size_t i = 0; i < gi.n; i++)
                fprintf(f, " %s", gi.names[i]);
            fputs("\n", f);
            print_text(f, gi.plan, gi.names, NULL, NULL);
        }
    }
    kpmc_groups_free(g);
    free(copy);
    if (fflush(f) || ferror(f))
        return cli_error("check", "cannot write the output");
    return count < 0 ? 1 : 0;
}

int kpmc_cmd_check(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *db_name = NULL, *format = "text", *kernel = NULL;
    int mode = KPMC_MODE_ALL, n_given = 0;
    int user = 0, groups = 0;
    const char *anchors = NULL;
    const struct cli_option opts[] = {{"--db", &db_name, NULL},     {"--format", &format, NULL},
                                      {"--user", NULL, &user},      {"--kernel", &kernel, NULL},
                                      {"--groups", NULL, &groups},  {"--anchors", &anchors, NULL},
                                      {NULL, NULL, NULL}};
    /* Events keep their argv order, moved to the front of argv. */
    const char **events = (const char **)(argv + 1);
    int st = cli_parse("check", argc, argv, opts, usage, events, argc, &n_given);
    if (st >= 0)
        return st;
    if (user)
        mode = KPMC_MODE_USER;
    int fmt = cli_choice("check", "format", format, formats);
    if (fmt < 0)
        return 2;
    if (!n_given)
        return cli_usage_error("check", "no EVENT given; name at least one event or alias");
    const kpmc_db *db;
    if (db_name) {
        db = cli_find_db("check", db_name);
    } else {
        const char *why;
        db = cli_default_db("check", &why);
    }
    if (!db)
        return 2;
    kpmc_kernel k = {.size = sizeof k};
    if (kernel && cli_choice("check", "kernel", kernel, kpmc_kernel_profile_names()) < 0)
        return 2;
    if (kernel)
        kpmc_kernel_profile(&k, kernel, db);

    if (groups && kernel)
        return cli_usage_error("check", "--groups plans for the database's counters; it does not take --kernel");
    if (groups)
        return check_groups(db, mode, fmt, events, n_given, anchors);
    if (anchors)
        return cli_usage_error("check", "--anchors needs --groups");

    kpmc_plan *plan;
    if (kpmc_plan_new(&plan) != 0)
        return cli_error("check", "out of memory");
    char detail[1024];
    int rc = kpmc_plan_build_names_kernel(plan, db, kernel ? &k : NULL, events, (size_t)n_given, mode, detail,
                                          sizeof detail);
    FILE *f = stdout;
    if (rc < 0) {
        const char *message = detail[0] ? detail : kpmc_strerror(rc);
        if (fmt == 1)
            print_error_json(f, message, events, n_given);
        else
            cli_error("check", "%s", message);
    } else if (fmt == 1) {
        print_json(f, plan, events, kernel);
        fputc('\n', f);
    } else {
        print_text(f, plan, events, kernel, &k);
    }
    kpmc_plan_free(plan);
    if (fflush(f) || ferror(f))
        return cli_error("check", "cannot write the output");
    return rc < 0 ? 1 : 0;
}
