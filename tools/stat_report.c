/* kpmc stat: the report in text (like perf stat), JSON and CSV. */
#include "stat_report.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <kpmc/kpmc.h>

#include "cli.h"
#include "counts.h"
#include "doc_fmt.h"

void stat_note(struct stat_report *r, const char *fmt, ...)
{
    if (r->n_notes >= STAT_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->notes[r->n_notes++], STAT_NOTE_LEN, fmt, ap);
    va_end(ap);
}

/* ---- statistics and metrics ---- */

struct summary {
    double mean, stddev; /* kpmc_stats_of's: sample standard deviation */
};

/* Value i of an array of int64_t (is_signed) or uint64_t. */
static double value_at(const void *v, int is_signed, unsigned i)
{
    return is_signed ? (double)((const int64_t *)v)[i] : (double)((const uint64_t *)v)[i];
}

static struct summary summarize(const void *v, int is_signed, unsigned n)
{
    struct summary s = {0, 0};
    double *d = n ? malloc(2 * (size_t)n * sizeof *d) : NULL;
    if (!d)
        return s;
    for (unsigned i = 0; i < n; i++)
        d[i] = value_at(v, is_signed, i);
    kpmc_stats st = {.size = sizeof st};
    kpmc_stats_of(d, n, d + n, &st);
    free(d);
    s.mean = st.mean;
    s.stddev = st.stddev;
    return s;
}

static struct summary summarize_u64(const uint64_t *v, unsigned n)
{
    return summarize(v, 0, n);
}

static struct summary summarize_i64(const int64_t *v, unsigned n)
{
    return summarize(v, 1, n);
}

/* A derived metric of the library's table (kpmc_metric_at) whose inputs
 * were counted: value = scale * mean(numerator) / mean(denominator). */
struct derived {
    kpmc_metric_info info;
    unsigned numerator; /* index in r->events */
    double value;
};

/* The metrics the report's counted events give, at most max. */
static unsigned derive(const struct stat_report *r, struct derived *out, unsigned max)
{
    unsigned counted[KPMC_GROUPS_MAX], pos[KPMC_GROUPS_MAX], n = 0, k = 0;
    if (!r->db)
        return 0;
    for (unsigned i = 0; i < r->n_events && n < KPMC_GROUPS_MAX; i++)
        if (!r->events[i].not_counted && r->events[i].n_values && r->events[i].index >= 0) {
            counted[n] = (unsigned)r->events[i].index;
            pos[n++] = i;
        }
    for (size_t m = 0; m < kpmc_metric_count() && k < max; m++) {
        size_t num, den;
        out[k].info.size = sizeof out[k].info;
        if (kpmc_metric_at(m, &out[k].info) != 0 || !kpmc_metric_bind(m, r->db, r->mode, counted, n, &num, &den))
            continue;
        const struct stat_event *a = &r->events[pos[num]], *b = &r->events[pos[den]];
        double d = summarize_u64(b->values, b->n_values).mean;
        if (d <= 0)
            continue;
        out[k].numerator = pos[num];
        out[k].value = out[k].info.scale * summarize_u64(a->values, a->n_values).mean / d;
        k++;
    }
    return k;
}

#define MAX_DERIVED 32

/* ---- text ---- */

/* n with thousands separators. */
static const char *grouped(double v, char *buf, size_t len)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n && k + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

static void quoted_command(FILE *f, const struct stat_report *r)
{
    for (int i = 0; i < r->n_command; i++)
        fprintf(f, "%s%s", i ? " " : "", r->command[i]);
}

static const char *mode_words(int mode)
{
    return mode == KPMC_MODE_USER ? "user mode only" : "user and kernel mode";
}

static void print_scope(FILE *f, const struct stat_report *r)
{
    switch (r->scope) {
    case STAT_PROCESS:
        fprintf(f,
                " Counted: the command's own process (not its children), %s, from the kernel's resource usage "
                "of the process (no root needed).\n",
                mode_words(r->mode));
        break;
    case STAT_THREADS:
        fprintf(f, " Counted: every thread of the command and of its children (%u thread%s in %u process image%s), %s.\n",
                r->threads, r->threads == 1 ? "" : "s", r->images, r->images == 1 ? "" : "s", mode_words(r->mode));
        break;
    case STAT_SYSTEM:
        fprintf(f, " Counted: the whole system on every CPU (%u CPUs", r->n_cpus);
        if (r->has_levels)
            fprintf(f, ": %u %s, %u %s", r->level_cpus[0], r->level_name[0], r->level_cpus[1], r->level_name[1]);
        fprintf(f, ") while the command ran, %s.\n", mode_words(r->mode));
        break;
    }
    unsigned user_only = 0;
    for (unsigned i = 0; i < r->n_events; i++)
        user_only += r->mode == KPMC_MODE_ALL && !r->events[i].not_counted && r->events[i].counts == KPMC_COUNTS_USER;
    if (user_only)
        fprintf(f,
                " This kernel's configurable counters count user mode only: the event%s marked :u counted user "
                "mode only.\n",
                user_only == 1 ? "" : "s");
    if (r->n_groups > 1)
        fprintf(f,
                " The events do not fit the counters together: they were counted in %u groups, the command running "
                "once per group in each of the %u run%s.\n",
                r->n_groups, r->runs, r->runs == 1 ? "" : "s");
}

void stat_print_text(FILE *f, const struct stat_report *r)
{
    char num[48];
    fputs("\n Performance counter stats for '", f);
    quoted_command(f, r);
    fputc('\'', f);
    if (r->runs > 1)
        fprintf(f, " (%u runs)", r->runs);
    fputs(":\n\n", f);
    const char *suffix = r->mode == KPMC_MODE_USER ? ":u" : "";
    struct derived derived[MAX_DERIVED];
    unsigned n_derived = derive(r, derived, MAX_DERIVED);
    for (unsigned i = 0; i < r->n_events; i++) {
        const struct stat_event *e = &r->events[i];
        char name[96];
        /* perf's :u for an event that counted user mode only. */
        snprintf(name, sizeof name, "%s%s", e->name,
                 e->counts == KPMC_COUNTS_USER && !e->not_counted ? ":u" : suffix);
        if (e->not_counted || !e->n_values) {
            fprintf(f, "%18s      %-26s %s\n", "<not counted>", name, e->not_counted ? e->not_counted : "");
            continue;
        }
        struct summary s = summarize_u64(e->values, e->n_values);
        fprintf(f, "%18s      %-26s", grouped(s.mean, num, sizeof num), name);
        /* The event's first metric on its line, the others below it. */
        int col = 50, shown = 0;
        for (unsigned m = 0; m < n_derived && !shown; m++)
            if (derived[m].numerator == i) {
                col += fprintf(f, " # %8.3f  %s", derived[m].value, derived[m].info.description);
                shown = (int)m + 1;
            }
        if (e->n_values > 1) {
            double pct = s.mean ? 100.0 * s.stddev / s.mean : 0;
            fprintf(f, "%*s( +- %5.2f%% )", col < 84 ? 84 - col : 1, "", pct);
        }
        fputc('\n', f);
        for (unsigned m = shown; shown && m < n_derived; m++)
            if (derived[m].numerator == i)
                fprintf(f, "%50s # %8.3f  %s\n", "", derived[m].value, derived[m].info.description);
        if (r->has_levels && e->level_values[0])
            for (int l = 0; l < 2; l++) {
                struct summary ls = summarize_u64(e->level_values[l], e->n_values);
                fprintf(f, "%18s        on %s cores\n", grouped(ls.mean, num, sizeof num), r->level_name[l]);
            }
    }
    struct summary w = summarize_i64(r->wall_ns, r->n_wall);
    int col = fprintf(f, "\n%18.9f seconds time elapsed", w.mean / 1e9) - 1;
    if (r->n_wall > 1)
        fprintf(f, "%*s( +- %5.2f%% )", col < 84 ? 84 - col : 1, "", w.mean ? 100.0 * w.stddev / w.mean : 0);
    fputs("\n\n", f);
    print_scope(f, r);
    if (r->exit_status > 128)
        fprintf(f, " The command was killed by signal %d.\n", r->exit_status - 128);
    else if (r->exit_status)
        fprintf(f, " The command exited with status %d.\n", r->exit_status);
    for (unsigned i = 0; i < r->n_notes; i++)
        fprintf(f, " %s\n", r->notes[i]);
    fputc('\n', f);
}

/* ---- JSON ---- */

static void json_number(FILE *f, double v)
{
    if (v == floor(v) && fabs(v) < 9e15)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.17g", v);
}

static const char *scope_name(enum stat_scope s)
{
    return s == STAT_PROCESS ? "process" : s == STAT_THREADS ? "threads" : "system";
}

void stat_print_json(FILE *f, const struct stat_report *r)
{
    fputs("{\"command\":[", f);
    for (int i = 0; i < r->n_command; i++) {
        if (i)
            fputc(',', f);
        cli_json_str(f, r->command[i]);
    }
    fprintf(f, "],\"runs\":%u,\"mode\":\"%s\",\"scope\":\"%s\",\"wall_ns\":{\"mean\":", r->runs,
            cli_mode_name(r->mode), scope_name(r->scope));
    struct summary w = summarize_i64(r->wall_ns, r->n_wall);
    json_number(f, w.mean);
    fputs(",\"stddev\":", f);
    json_number(f, w.stddev);
    fputs("},\"events\":[", f);
    for (unsigned i = 0; i < r->n_events; i++) {
        const struct stat_event *e = &r->events[i];
        cli_json_member(f, i ? ",{" : "{", "name", e->name);
        cli_json_member(f, ",", "resolved", e->not_counted ? NULL : e->resolved);
        fprintf(f, ",\"group\":%u,\"values\":[", e->group);
        for (unsigned k = 0; k < e->n_values; k++)
            fprintf(f, "%s%" PRIu64, k ? "," : "", e->values[k]);
        fputs("],\"mean\":", f);
        if (e->not_counted || !e->n_values) {
            fputs("null,\"stddev\":null", f);
        } else {
            struct summary s = summarize_u64(e->values, e->n_values);
            json_number(f, s.mean);
            fputs(",\"stddev\":", f);
            json_number(f, s.stddev);
        }
        if (r->has_levels && e->level_values[0] && e->n_values) {
            fputs(",\"levels\":{", f);
            for (int l = 0; l < 2; l++) {
                fputs(l ? "," : "", f);
                cli_json_str(f, r->level_name[l]);
                fputc(':', f);
                json_number(f, summarize_u64(e->level_values[l], e->n_values).mean);
            }
            fputc('}', f);
        }
        if (!e->not_counted && e->counts)
            fprintf(f, ",\"counts\":\"%s\"", kpmc_counts_word(e->counts));
        if (e->not_counted) {
            cli_json_member(f, ",", "not_counted", e->not_counted);
        }
        fputc('}', f);
    }
    fputs("],\"metrics\":[", f);
    struct derived derived[MAX_DERIVED];
    unsigned n_derived = derive(r, derived, MAX_DERIVED);
    for (unsigned m = 0; m < n_derived; m++) {
        cli_json_member(f, m ? ",{" : "{", "name", derived[m].info.name);
        fputs(",\"value\":", f);
        json_number(f, derived[m].value);
        fputc('}', f);
    }
    fprintf(f, "],\"exit_status\":%d", r->exit_status);
    if (r->scope == STAT_THREADS)
        fprintf(f, ",\"threads\":%u,\"images\":%u", r->threads, r->images);
    fputs(",\"notes\":[", f);
    for (unsigned i = 0; i < r->n_notes; i++) {
        if (i)
            fputc(',', f);
        cli_json_str(f, r->notes[i]);
    }
    fputs("]}\n", f);
}

/* ---- CSV ---- */

void stat_print_csv(FILE *f, const struct stat_report *r)
{
    fputs("event,resolved,group,runs,mean,stddev,values,scope,mode\n", f);
    for (unsigned i = 0; i < r->n_events; i++) {
        const struct stat_event *e = &r->events[i];
        doc_csv(f, e->name);
        fputc(',', f);
        doc_csv(f, e->not_counted ? "" : e->resolved);
        fprintf(f, ",%u,%u,", e->group, e->n_values);
        if (!e->not_counted && e->n_values) {
            struct summary s = summarize_u64(e->values, e->n_values);
            json_number(f, s.mean);
            fputc(',', f);
            json_number(f, s.stddev);
        } else {
            fputc(',', f);
        }
        fputc(',', f);
        for (unsigned k = 0; k < e->n_values; k++)
            fprintf(f, "%s%" PRIu64, k ? ";" : "", e->values[k]);
        fprintf(f, ",%s,%s\n", scope_name(r->scope), cli_mode_name(r->mode));
    }
}
