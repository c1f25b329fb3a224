/* kpmc stat: what was counted, and its text, JSON and CSV forms. */
#ifndef KPMC_TOOLS_STAT_REPORT_H
#define KPMC_TOOLS_STAT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include <kpmc/measure.h>

enum stat_scope { STAT_PROCESS, STAT_THREADS, STAT_SYSTEM };

#define STAT_MAX_NOTES 12
#define STAT_NOTE_LEN 320

struct stat_event {
    const char *name;   /* as given */
    char resolved[64];  /* the event counted (process scope: the rusage field) */
    unsigned counts;    /* KPMC_COUNTS_* the event counted in, as the kernel read back */
    int index;          /* the event counted, as an index of the report's db; -1 if none */
    unsigned group;
    const char *not_counted; /* NULL when counted, else why not */
    unsigned n_values;  /* runs of its group that counted it */
    uint64_t *values;   /* one per run */
    /* Performance-level (cluster) shares, one per run, when the report has
     * levels: [0] performance cores, [1] efficiency cores. */
    uint64_t *level_values[2];
};

struct stat_report {
    char *const *command;
    int n_command;
    int mode;              /* enum kpmc_mode */
    const kpmc_db *db;     /* the database of the events (derived metrics) */
    enum stat_scope scope;
    unsigned runs;         /* runs asked for per group (-r) */
    unsigned n_groups;
    unsigned n_events;
    struct stat_event *events;
    unsigned n_wall;
    int64_t *wall_ns;      /* one per run, every group's runs */
    int exit_status;
    int has_levels;        /* events carry level_values */
    char level_name[2][24];
    unsigned n_cpus, level_cpus[2];
    /* Threads scope, last run: threads read, process images. */
    unsigned threads, images;
    unsigned n_notes;
    char notes[STAT_MAX_NOTES][STAT_NOTE_LEN];
};

/* Add a sentence to the report's notes (dropped beyond STAT_MAX_NOTES). */
void stat_note(struct stat_report *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void stat_print_text(FILE *f, const struct stat_report *r);
void stat_print_json(FILE *f, const struct stat_report *r);
void stat_print_csv(FILE *f, const struct stat_report *r);

#endif
