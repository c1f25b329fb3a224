/* kpmc stat: count a whole command, its threads and its children, like
 * perf stat.  Three scopes:
 *  - threads (root): thread counting is on before the command starts and
 *    libkpmc_stat_inject, injected into the command, collects every
 *    thread's totals (tools/stat_inject.c, tools/stat_shm.h);
 *  - system (-a, root): every CPU's counters around the command;
 *  - process (no root): the cycles and instructions the kernel accounts to
 *    the command's process, read from the zombie before it is reaped.
 * The command runs with stat_run.c; the report is printed by
 * stat_report.c. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "stat_report.h"
#include "stat_run.h"

#define CMD "stat"
#define DEFAULT_EVENTS "cycles,instructions,branches,branch-misses"
#define MAX_RUNS 100000u
#define MAX_EVENTS KPMC_GROUPS_MAX /* events of a report, in as many groups */
#define MAX_GROUPS KPMC_GROUPS_MAX

static void usage(FILE *f)
{
    fputs("usage: kpmc stat [-e EVENT[,EVENT...]] [-r N] [--user] [-a] [--format text|json|csv] [-o FILE] -- COMMAND [ARG...]\n"
          "\n"
          "Run COMMAND and count hardware events over all of it, like perf stat: every\n"
          "thread of the command and of the processes it starts.  The report goes to\n"
          "stderr (or to FILE), so the command's own output is left alone.\n"
          "\n"
          "How it counts, said in the report:\n"
          "  as root       every thread of the command and of its children: thread\n"
          "                counting is on before the command starts, and a small library\n"
          "                of kpmc's, injected into the command (DYLD_INSERT_LIBRARIES;\n"
          "                LD_PRELOAD elsewhere), reads each thread's counters when it\n"
          "                ends.  macOS refuses the library to SIP-protected system\n"
          "                programs and hardened ones: the report says so; use -a\n"
          "  without root  cycles and instructions of the command's own process, from the\n"
          "                kernel's resource usage (proc_pid_rusage), with the share of\n"
          "                performance cores; other events are reported as needing root\n"
          "  -a            the whole system, on every CPU, while the command runs (root)\n"
          "\n"
          "  -e, --event EVENTS   events to count, comma-separated (up to 64): generic\n"
          "                       names (kpmc list --generic), or names or aliases of\n"
          "                       this Mac's database (case-insensitive); default\n"
          "                       " DEFAULT_EVENTS "\n"
          "                       Events that do not fit the counters together are\n"
          "                       split into the fewest groups that do, and the command\n"
          "                       runs once per group\n"
          "  -r, --repeat N       run the command N times (per group); the report gives\n"
          "                       the mean and the standard deviation (default 1), and\n"
          "                       the derived metrics (instructions per cycle, ...)\n"
          "  --user               count user mode only (default: user and kernel)\n"
          "  -a, --all-cpus       count every CPU, with totals per core type\n"
          "  --format FORMAT      text (default), json (one object: command, runs, mode,\n"
          "                       scope, wall_ns, events with one value per run, metrics,\n"
          "                       exit_status) or csv (a header, then one line per event)\n"
          "  -o, --output FILE    write the report to FILE (replaced whole, only once\n"
          "                       complete) instead of stderr\n"
          "  --help               print this help\n"
          "\n"
          "A run in which the command fails (non-zero exit status, killed by a signal)\n"
          "ends the repeats.  A signal sent to kpmc stat (SIGINT, SIGTERM, SIGHUP,\n"
          "SIGQUIT) is passed on to the command; what was counted is reported and the\n"
          "kernel's counter state is put back.  When kpmc fails after some runs (the\n"
          "command can no longer be started, ...), what those runs counted is reported\n"
          "too, and kpmc exits with its own status.\n"
          "\n"
          "Exit status: the command's (128 + N when signal N ended it); 127 the command\n"
          "was not found, 126 it could not be run; 1 kpmc could not count (unknown event,\n"
          "not root for an event that needs it, counters held by another client); 2 usage\n"
          "error (no command, unknown option or format, bad -r).\n",
          f);
}

/* ---- the events ---- */

/* Split a comma-separated list into names (pointing into a copy, *buf). */
static int split_events(const char *list, char **buf, const char ***names, unsigned *n)
{
    *buf = strdup(list);
    size_t max = 1;
    for (const char *p = list; *p; p++)
        max += *p == ',';
    *names = calloc(max, sizeof **names);
    if (!*buf || !*names)
        return cli_error(CMD, "out of memory");
    *n = 0;
    for (char *p = *buf;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p)
            return cli_usage_error(CMD, "empty event name in '%s'", list);
        if (*n >= MAX_EVENTS)
            return cli_usage_error(CMD, "more than %d events in '%s'", MAX_EVENTS, list);
        for (unsigned i = 0; i < *n; i++)
            if (!strcasecmp((*names)[i], p))
                return cli_usage_error(CMD, "event '%s' is named twice", p);
        (*names)[(*n)++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return -1;
}

/* The database events are checked against when no session counts: that of
 * the CPU the failed session saw, unless $KPMC_DB names one; else the
 * command line's default (cli_default_db). */
static const kpmc_db *fallback_db(const kpmc_session *s)
{
    const char *env = getenv("KPMC_DB"), *why;
    const kpmc_db *db = env && *env ? NULL : kpmc_db_for_cpu_string(kpmc_session_cpu(s));
    return db ? db : cli_default_db(CMD, &why);
}

/* Without root the kernel gives a process's cycles and instructions: the
 * generic events (and the aliases of the same names). */
static const char *rusage_field(const char *name)
{
    int g = kpmc_generic_find(name);
    return g == KPMC_GEN_CYCLES ? "ri_cycles" : g == KPMC_GEN_INSTRUCTIONS ? "ri_instructions" : NULL;
}

/* ---- counting ---- */

struct stat_ctx {
    kpmc_session *s;
    const char *kperf;       /* the kperf library the session loaded */
    char inject[PATH_MAX];   /* libkpmc_stat_inject (threads scope) */
    unsigned n_groups;
    kpmc_set *sets[MAX_GROUPS];
    unsigned ev_group[MAX_EVENTS], ev_pos[MAX_EVENTS];
    kpmc_cpus cpus;
    uint64_t *cpu_before, *cpu_after;
    /* Totals over runs, for the notes. */
    unsigned no_image_runs, unreported, failed, no_answer, no_kperf, overflow;
    int failed_errno;
    char kperf_error[220];
    int proc_error_noted;
};

/* kpmc's failure r, with the library's detail; returns 1. */
static int count_error(int r, const char *detail)
{
    if (r == KPMC_E_NOEVENT)
        return cli_error(CMD, "unknown event: %s", detail);
    if (r == KPMC_E_NOFIT)
        return cli_error(CMD, "the events do not fit the counters together: %s", detail);
    return cli_error(CMD, "%s: %s", kpmc_strerror(r), detail);
}

/* The plan of a set (as started, after kpmc_set_start) and its event k. */
static kpmc_plan_info plan_info(const kpmc_set *set)
{
    kpmc_plan_info pi = {.size = sizeof pi};
    kpmc_plan_get(kpmc_set_plan(set), &pi);
    return pi;
}

static kpmc_plan_event plan_event(const kpmc_set *set, size_t k)
{
    kpmc_plan_event e = {.size = sizeof e};
    kpmc_plan_event_get(kpmc_set_plan(set), k, &e);
    return e;
}

/* The fewest groups of events that each fit the counters in mode
 * `placement` (kpmc_groups_build), and an event set for each, in the
 * report's mode.  0, or kpmc's exit status after a message. */
static int build_groups(struct stat_ctx *c, struct stat_report *rep, const char *const *names, unsigned n,
                        int placement)
{
    kpmc_groups *groups;
    char detail[KPMC_DETAIL_MAX];
    const kpmc_db *db = kpmc_session_db(c->s);
    int ng = kpmc_groups_build(&groups, db, names, n, NULL, 0, placement, detail, sizeof detail);
    if (ng < 0)
        return count_error(ng, detail);
    rep->db = db;
    for (int g = 0; g < ng; g++) {
        kpmc_group_info gi = {.size = sizeof gi};
        kpmc_groups_get(groups, (size_t)g, &gi);
        int r = kpmc_set_new(c->s, &c->sets[g], gi.names, gi.n, rep->mode);
        if (r != 0) {
            kpmc_groups_free(groups);
            return count_error(r, kpmc_session_error(c->s));
        }
        for (size_t i = 0; i < gi.n; i++) {
            size_t ev = gi.input[i];
            kpmc_plan_event pe = plan_event(c->sets[g], i);
            c->ev_group[ev] = (unsigned)g;
            c->ev_pos[ev] = (unsigned)i;
            rep->events[ev].group = (unsigned)g;
            rep->events[ev].index = (int)pe.resolved;
            snprintf(rep->events[ev].resolved, sizeof rep->events[ev].resolved, "%s", kpmc_event_name(db, pe.resolved));
        }
    }
    kpmc_groups_free(groups);
    c->n_groups = (unsigned)ng;
    return 0;
}

/* Sum a run's slots into the events of group g; returns 0 when no thread
 * reported (nothing counted). */
static int collect_threads(struct stat_ctx *c, struct stat_report *rep, unsigned g,
                           struct kpmc_stat_shm *shm, uint64_t *sums)
{
    kpmc_plan_info plan = plan_info(c->sets[g]);
    unsigned index[KPMC_MAX_EVENTS];
    for (unsigned k = 0; k < plan.n_events; k++)
        index[k] = plan_event(c->sets[g], k).index;
    uint32_t used = atomic_load(&shm->next_slot);
    if (used > shm->n_slots) {
        c->overflow += used - shm->n_slots;
        used = shm->n_slots;
    }
    unsigned threads = 0;
    for (uint32_t i = 0; i < used; i++) {
        struct kpmc_stat_slot *sl = &shm->slots[i];
        uint32_t st = atomic_load(&sl->state);
        if (st == KPMC_STAT_DONE || st == KPMC_STAT_EXEC) {
            threads++;
            for (unsigned k = 0; k < plan.n_events; k++)
                sums[k] += sl->values[index[k]];
        } else if (st == KPMC_STAT_FAILED) {
            if (!c->failed++)
                c->failed_errno = sl->err;
        } else {
            c->unreported++;
        }
    }
    unsigned images = atomic_load(&shm->images);
    c->no_answer += atomic_load(&shm->no_answer);
    unsigned bad = atomic_load(&shm->no_kperf);
    if (bad && !c->no_kperf && atomic_load(&shm->error_set) == 1)
        snprintf(c->kperf_error, sizeof c->kperf_error, "%s", shm->error);
    c->no_kperf += bad;
    rep->threads = threads;
    rep->images = images;
    if (!images)
        c->no_image_runs++;
    return threads > 0;
}

/* Run the command once for group g.  Returns -1 when the run happened
 * (its exit status in rep->exit_status), else kpmc's exit status. */
static int run_once(struct stat_ctx *c, struct stat_report *rep, unsigned g, char *const *argv)
{
    struct stat_segment seg;
    memset(&seg, 0, sizeof seg);
    char err[256];
    kpmc_plan_info plan = {.size = sizeof plan};
    if (c->n_groups)
        plan = plan_info(c->sets[g]);
    if (rep->scope == STAT_THREADS && stat_segment_create(&seg, plan.n_counters, err, sizeof err) != 0)
        return cli_error(CMD, "%s", err);
    unsigned ncpu = c->cpus.n_cpus, nev = plan.n_events;
    if (rep->scope == STAT_SYSTEM && kpmc_set_read_cpus(c->sets[g], c->cpu_before) != 0)
        return cli_error(CMD, "%s", kpmc_set_error(c->sets[g]));

    struct stat_child child;
    int e = stat_spawn(&child, argv, rep->scope == STAT_THREADS ? c->inject : NULL, seg.name, c->kperf);
    if (e) {
        stat_segment_destroy(&seg);
        cli_error(CMD, "cannot run '%s': %s", argv[0], strerror(e));
        return e == ENOENT ? 127 : 126;
    }
    stat_wait_ended(&child);
    uint64_t sums[MAX_EVENTS] = {0};
    uint64_t levels[2][MAX_EVENTS] = {{0}};
    int counted = 1;
    if (rep->scope == STAT_PROCESS) {
        kpmc_proc_counts pc = {.size = sizeof pc};
        char detail[KPMC_DETAIL_MAX];
        if (kpmc_proc_counts_get((int)child.pid, NULL, &pc, detail, sizeof detail) != 0) {
            counted = 0;
            if (!c->proc_error_noted++)
                stat_note(rep, "The command's resource usage could not be read: %s.", detail);
        } else {
            for (unsigned i = 0; i < rep->n_events; i++) {
                const char *field = rusage_field(rep->events[i].name);
                if (!field || rep->events[i].not_counted)
                    continue;
                int cyc = !strcmp(field, "ri_cycles");
                sums[i] = cyc ? pc.cycles : pc.instructions;
                if (pc.has_p) {
                    levels[0][i] = cyc ? pc.p_cycles : pc.p_instructions;
                    levels[1][i] = sums[i] - levels[0][i];
                }
            }
            rep->has_levels = pc.has_p;
        }
    } else if (rep->scope == STAT_SYSTEM) {
        if (kpmc_set_read_cpus(c->sets[g], c->cpu_after) != 0) {
            stat_note(rep, "Reading every CPU's counters after the command failed: %s.", kpmc_set_error(c->sets[g]));
            counted = 0;
        } else {
            for (unsigned cpu = 0; cpu < ncpu; cpu++)
                for (unsigned k = 0; k < nev; k++) {
                    uint64_t d = c->cpu_after[cpu * nev + k] - c->cpu_before[cpu * nev + k];
                    sums[k] += d;
                    levels[c->cpus.level[cpu]][k] += d;
                }
        }
    }
    int sig = 0;
    rep->exit_status = stat_reap(&child, &sig);
    if (rep->scope == STAT_THREADS) {
        counted = collect_threads(c, rep, g, seg.shm, sums);
        stat_segment_destroy(&seg);
    }
    rep->wall_ns[rep->n_wall++] = child.end_ns - child.start_ns;
    if (!counted)
        return -1;
    for (unsigned i = 0; i < rep->n_events; i++) {
        struct stat_event *ev = &rep->events[i];
        if (ev->not_counted || (rep->scope != STAT_PROCESS && c->ev_group[i] != g))
            continue;
        unsigned k = rep->scope == STAT_PROCESS ? i : c->ev_pos[i];
        ev->values[ev->n_values] = sums[k];
        if (ev->level_values[0]) {
            ev->level_values[0][ev->n_values] = levels[0][k];
            ev->level_values[1][ev->n_values] = levels[1][k];
        }
        ev->n_values++;
    }
    return -1;
}

static void add_notes(struct stat_ctx *c, struct stat_report *rep)
{
    if (c->no_image_runs)
        stat_note(rep,
                  "In %u run%s no process of the command loaded kpmc's counting library, so nothing of it was "
                  "counted: macOS refuses DYLD_INSERT_LIBRARIES to SIP-protected system programs and to programs "
                  "with the hardened runtime. Count the whole system while it runs with -a.",
                  c->no_image_runs, c->no_image_runs == 1 ? "" : "s");
    if (c->no_kperf)
        stat_note(rep, "%u process image%s of the command could not load kperf: %s.", c->no_kperf,
                  c->no_kperf == 1 ? "" : "s", c->kperf_error);
    if (c->failed)
        stat_note(rep, "%u thread%s could not read %s counters: kpc_get_thread_counters failed: %s.", c->failed,
                  c->failed == 1 ? "" : "s", c->failed == 1 ? "its" : "their", strerror(c->failed_errno));
    if (c->no_answer)
        stat_note(rep,
                  "%u thread%s still running when %s process exited did not answer in time (the signal kpmc "
                  "uses was blocked): %s counts are missing.",
                  c->no_answer, c->no_answer == 1 ? "" : "s", c->no_answer == 1 ? "its" : "their",
                  c->no_answer == 1 ? "its" : "their");
    unsigned missing = c->unreported > c->no_answer ? c->unreported - c->no_answer : 0;
    if (missing)
        stat_note(rep,
                  "%u thread%s never reported %s counts (%s process was killed, called _exit, or exec'd a "
                  "program that could not load kpmc's library): %s missing.",
                  missing, missing == 1 ? "" : "s", missing == 1 ? "its" : "their",
                  missing == 1 ? "its" : "their", missing == 1 ? "it is" : "they are");
    if (c->overflow)
        stat_note(rep, "%u thread%s could not be followed (more than %u threads in a run): %s counts are missing.",
                  c->overflow, c->overflow == 1 ? "" : "s", KPMC_STAT_SLOTS, c->overflow == 1 ? "its" : "their");
}

/* After group g's first start: the events it counts (kpmc_set_start plans
 * a set again when the kernel's configurable counters count user mode only)
 * and the modes the kernel read back. */
static void note_modes(struct stat_ctx *c, struct stat_report *rep, unsigned g)
{
    kpmc_plan_info plan = plan_info(c->sets[g]);
    for (unsigned i = 0; i < rep->n_events; i++) {
        struct stat_event *e = &rep->events[i];
        if (c->ev_group[i] != g || e->not_counted)
            continue;
        unsigned k = c->ev_pos[i];
        kpmc_plan_event pe = plan_event(c->sets[g], k);
        snprintf(e->resolved, sizeof e->resolved, "%s", kpmc_event_name(plan.db, pe.resolved));
        e->index = (int)pe.resolved;
        rep->db = plan.db;
        int m = kpmc_set_event_modes(c->sets[g], k);
        e->counts = m > 0 ? (unsigned)m : pe.counts;
    }
}

/* 1 when the session has seen that its kernel's configurable counters
 * count user mode only. */
static int user_only_kernel(kpmc_session *s)
{
    kpmc_kernel k = {.size = sizeof k};
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    return kpmc_session_kernel(s, &k) == 0 && (k.known & k.flags & KPMC_KERNEL_USER_ONLY);
}

/* Build the groups and start and stop each once before the command runs,
 * so that the kernel says what each event counts (note_modes).  A kernel
 * whose configurable counters count user mode only counts a KPMC_MODE_ALL
 * group that mixes fixed and configurable events wholly in user mode on
 * configurable counters, where it may no longer fit: the groups are then
 * built again as user mode places them.  0, or kpmc's exit status. */
static int prepare_groups(struct stat_ctx *c, struct stat_report *rep, const char *const *names, unsigned n)
{
    for (int attempt = 0;; attempt++) {
        int st = build_groups(c, rep, names, n, attempt ? KPMC_MODE_USER : rep->mode);
        if (st)
            return st;
        int again = 0;
        for (unsigned g = 0; g < c->n_groups && !again; g++) {
            int r = kpmc_set_start(c->sets[g]);
            if (r == KPMC_E_NOFIT && !attempt && rep->mode == KPMC_MODE_ALL && user_only_kernel(c->s)) {
                again = 1;
            } else if (r != 0) {
                return cli_error(CMD, "starting the counters: %s", kpmc_session_error(c->s));
            } else {
                note_modes(c, rep, g);
                kpmc_set_stop(c->sets[g]);
            }
        }
        if (!again)
            return 0;
        for (unsigned g = 0; g < c->n_groups; g++) {
            kpmc_set_free(c->sets[g]);
            c->sets[g] = NULL;
        }
        c->n_groups = 0;
    }
}

enum { STOP_NO = 0, STOP_RUNS = 1, STOP_ERROR = 2 };

/* -r runs of every group, in turn.  Returns STOP_NO when all ran,
 * STOP_RUNS when a signal or a failing command ended them (reported),
 * STOP_ERROR when kpmc failed (*status is then its exit status).  Sets
 * rep->runs to the runs made and *status to the last command's status. */
static int run_all(struct stat_ctx *c, struct stat_report *rep, char *const *command, int *status)
{
    unsigned runs = rep->runs;
    rep->runs = 0;
    for (unsigned run = 0; run < runs; run++) {
        for (unsigned g = 0; g < rep->n_groups; g++) {
            if (stat_signal()) {
                stat_note(rep, "Stopped by signal %d (%s) after %u run%s of the command.", stat_signal(),
                          strsignal(stat_signal()), rep->n_wall, rep->n_wall == 1 ? "" : "s");
                return STOP_RUNS;
            }
            if (c->n_groups && kpmc_set_start(c->sets[g]) != 0) {
                *status = cli_error(CMD, "starting the counters: %s", kpmc_session_error(c->s));
                return STOP_ERROR;
            }
            int e = run_once(c, rep, g, command);
            if (c->n_groups)
                kpmc_set_stop(c->sets[g]);
            if (e >= 0) {
                *status = e;
                return STOP_ERROR;
            }
            if (g == 0)
                rep->runs++;
            *status = rep->exit_status;
            if (rep->exit_status != 0) {
                if (run + 1 < runs || g + 1 < rep->n_groups)
                    stat_note(rep, "Run %u of %u ended with exit status %d: no further run.", run + 1, runs,
                              rep->exit_status);
                return STOP_RUNS;
            }
        }
    }
    return STOP_NO;
}

/* ---- the output file ---- */

struct output {
    FILE *f;
    const char *path;
    char tmp[PATH_MAX];
};

static int output_open(struct output *o, const char *path)
{
    memset(o, 0, sizeof o[0]);
    o->f = stderr;
    if (!path)
        return 0;
    if ((size_t)snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path) >= sizeof o->tmp)
        return cli_error(CMD, "-o %s: the path is too long", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        o->tmp[0] = '\0';
        return cli_error(CMD, "-o %s: cannot create a file next to it: %s", path, strerror(errno));
    }
    o->f = fdopen(fd, "w");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        o->f = stderr;
        return cli_error(CMD, "-o %s: %s", path, strerror(errno));
    }
    o->path = path;
    return 0;
}

/* Put the file in place, or remove it (commit 0).  0 or kpmc's exit status. */
static int output_close(struct output *o, int commit)
{
    if (!o->path)
        return 0;
    int bad = ferror(o->f);
    if (fclose(o->f) != 0)
        bad = 1;
    if (commit && !bad && rename(o->tmp, o->path) == 0)
        return 0;
    int e = errno;
    unlink(o->tmp);
    return commit ? cli_error(CMD, "-o %s: %s", o->path, strerror(bad ? EIO : e)) : 0;
}

/* ---- the command ---- */

int kpmc_cmd_stat(int argc, char **argv)
{
    const char *events_arg = NULL, *repeat = NULL, *format = NULL, *output = NULL;
    int user = 0, all_cpus = 0, first = argc;
    const struct cli_option opts[] = {
        {"-e", &events_arg, NULL},   {"--event", &events_arg, NULL}, {"-r", &repeat, NULL},
        {"--repeat", &repeat, NULL}, {"--user", NULL, &user},        {"-a", NULL, &all_cpus},
        {"--all-cpus", NULL, &all_cpus}, {"--format", &format, NULL}, {"-o", &output, NULL},
        {"--output", &output, NULL}, {NULL, NULL, NULL}};
    int st = cli_parse_command(CMD, argc, argv, opts, usage, &first);
    if (st >= 0)
        return st;
    if (first >= argc)
        return cli_usage_error(CMD, "no command to count: give it after the options, e.g. kpmc stat -- ls -l");
    char *const *command = argv + first;
    int n_command = argc - first;

    unsigned runs = 1;
    if (repeat) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(repeat, &end, 10);
        if (errno || end == repeat || *end || v < 1 || v > MAX_RUNS || repeat[0] == '-')
            return cli_usage_error(CMD, "-r takes a number of runs from 1 to %u, not '%s'", MAX_RUNS, repeat);
        runs = (unsigned)v;
    }
    static const char *const formats[] = {"text", "json", "csv", NULL};
    int fmt = format ? cli_choice(CMD, "format", format, formats) : 0;
    if (fmt < 0)
        return 2;

    char *names_buf = NULL;
    const char **names = NULL;
    unsigned n_events = 0;
    st = split_events(events_arg ? events_arg : DEFAULT_EVENTS, &names_buf, &names, &n_events);
    if (st >= 0) {
        free(names_buf);
        free(names);
        return st;
    }

    struct stat_ctx c;
    memset(&c, 0, sizeof c);
    struct stat_report rep;
    memset(&rep, 0, sizeof rep);
    struct output out;
    int status = 1;
    uint64_t *storage = NULL;
    if (output_open(&out, output) != 0)
        goto done;
    stat_signals_install();
    rep.command = command;
    rep.n_command = n_command;
    rep.mode = user ? KPMC_MODE_USER : KPMC_MODE_ALL;
    rep.runs = runs;
    rep.n_events = n_events;
    rep.events = calloc(n_events, sizeof *rep.events);
    if (!rep.events) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    for (unsigned i = 0; i < n_events; i++) {
        rep.events[i].name = names[i];
        rep.events[i].index = -1;
    }

    /* Whether the kernel's resource usage can be read here, asked of kpmc
     * stat's own process: it loads the kperf library for good
     * (kpmc_proc_counts_get keeps it), so the session below and every run
     * find it loaded. */
    kpmc_proc_counts self_counts = {.size = sizeof self_counts};
    int have_rusage = kpmc_proc_counts_get((int)getpid(), NULL, &self_counts, NULL, 0) == 0;
    /* Without root, kpmc stat reads the command's resource usage: no
     * unprivileged session. */
    kpmc_options open_opt;
    memset(&open_opt, 0, sizeof open_opt);
    open_opt.size = sizeof open_opt;
    open_opt.kpc_only = 1;
    int r = kpmc_open(&c.s, &open_opt);
    if (r == KPMC_E_PERM) {
        /* No root: the process's cycles and instructions. */
        if (all_cpus) {
            cli_error(CMD, "-a counts every CPU and needs root (run with sudo): %s", kpmc_session_error(c.s));
            goto done;
        }
        if (user) {
            cli_error(CMD,
                      "--user needs root: without root kpmc stat reads the kernel's resource usage of the "
                      "command, which counts user and kernel mode together");
            goto done;
        }
        const kpmc_db *db = fallback_db(c.s);
        if (!db)
            goto done;
        unsigned countable = 0;
        kpmc_plan *plan;
        if (kpmc_plan_new(&plan) != 0) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        for (unsigned i = 0; i < n_events; i++) {
            char detail[KPMC_DETAIL_MAX];
            const char *one[1] = {names[i]};
            const char *field = rusage_field(names[i]);
            if (!field && kpmc_plan_build_names(plan, db, one, 1, rep.mode, detail, sizeof detail) ==
                              KPMC_E_NOEVENT) {
                kpmc_plan_free(plan);
                count_error(KPMC_E_NOEVENT, detail);
                goto done;
            }
            if (field) {
                snprintf(rep.events[i].resolved, sizeof rep.events[i].resolved, "%s", field);
                rep.events[i].counts = KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL;
                /* What the kernel's cycles and instructions are in db, for
                 * the derived metrics. */
                rep.events[i].index = kpmc_generic_resolve(db, kpmc_generic_find(names[i]), KPMC_MODE_ALL);
                countable++;
            } else {
                rep.events[i].not_counted = "needs root (run with sudo)";
            }
        }
        kpmc_plan_free(plan);
        if (!countable) {
            cli_error(CMD,
                      "%s need%s root (run with sudo); without root kpmc stat counts cycles and instructions "
                      "only",
                      events_arg ? events_arg : DEFAULT_EVENTS, n_events == 1 ? "s" : "");
            goto done;
        }
        if (!have_rusage) {
            char detail[KPMC_DETAIL_MAX];
            kpmc_proc_counts_get((int)getpid(), NULL, &self_counts, detail, sizeof detail);
            cli_error(CMD, "not root, and the kernel's resource usage cannot be read either: %s", detail);
            goto done;
        }
        rep.scope = STAT_PROCESS;
        rep.db = db;
        /* The kernel gives the share of performance cores (V6). */
        snprintf(rep.level_name[0], sizeof rep.level_name[0], "Performance");
        snprintf(rep.level_name[1], sizeof rep.level_name[1], "Efficiency");
    } else if (r != 0) {
        if (r == KPMC_E_BUSY)
            cli_error(CMD, "the counters are in use by another client: %s", kpmc_session_error(c.s));
        else
            cli_error(CMD, "%s: %s", kpmc_strerror(r), kpmc_session_error(c.s));
        goto done;
    } else {
        rep.scope = all_cpus ? STAT_SYSTEM : STAT_THREADS;
        c.kperf = kpmc_session_kperf_path(c.s);
        if (prepare_groups(&c, &rep, names, n_events) != 0)
            goto done;
        if (rep.scope == STAT_THREADS) {
            char err[PATH_MAX + 256];
            if (stat_inject_path(c.inject, sizeof c.inject, err, sizeof err) != 0) {
                cli_error(CMD, "cannot find kpmc's counting library: %s", err);
                goto done;
            }
        } else {
            c.cpus.size = sizeof c.cpus;
            r = kpmc_session_cpus(c.s, &c.cpus);
            if (r != 0) {
                cli_error(CMD, "-a: %s: %s", kpmc_strerror(r), kpmc_session_error(c.s));
                goto done;
            }
            rep.has_levels = c.cpus.n_levels == 2;
            rep.n_cpus = c.cpus.n_cpus;
            for (int l = 0; l < 2; l++) {
                rep.level_cpus[l] = c.cpus.level_cpus[l];
                snprintf(rep.level_name[l], sizeof rep.level_name[l], "%s", c.cpus.level_name[l]);
            }
            c.cpu_before = calloc((size_t)c.cpus.n_cpus * KPMC_MAX_EVENTS, sizeof *c.cpu_before);
            c.cpu_after = calloc((size_t)c.cpus.n_cpus * KPMC_MAX_EVENTS, sizeof *c.cpu_after);
            if (!c.cpu_before || !c.cpu_after) {
                cli_error(CMD, "out of memory");
                goto done;
            }
        }
    }
    rep.n_groups = c.n_groups ? c.n_groups : 1;

    /* One value per run for each event, and per performance level. */
    size_t per = runs;
    storage = calloc((size_t)n_events * per * 3 + (size_t)runs * rep.n_groups, sizeof *storage);
    if (!storage) {
        cli_error(CMD, "out of memory for %u runs", runs);
        goto done;
    }
    for (unsigned i = 0; i < n_events; i++) {
        rep.events[i].values = storage + (size_t)i * per * 3;
        rep.events[i].group = c.ev_group[i];
        if (rep.scope != STAT_THREADS) {
            rep.events[i].level_values[0] = rep.events[i].values + per;
            rep.events[i].level_values[1] = rep.events[i].values + 2 * per;
        }
    }
    rep.wall_ns = (int64_t *)(storage + (size_t)n_events * per * 3);

    int stopped = run_all(&c, &rep, command, &status);
    if (rep.n_wall == 0) {
        if (stopped != STOP_ERROR && stat_signal())
            status = 128 + stat_signal();
        goto done;
    }
    /* kpmc failed after some runs (its message is out): what they counted
     * is reported all the same, with kpmc's exit status. */
    if (stopped == STOP_ERROR)
        stat_note(&rep, "Stopped after %u run%s of the command: kpmc stat could not go on (exit status %d).",
                  rep.n_wall, rep.n_wall == 1 ? "" : "s", status);
    if (rep.scope == STAT_THREADS)
        add_notes(&c, &rep);
    for (unsigned i = 0; i < n_events; i++)
        if (!rep.events[i].n_values && !rep.events[i].not_counted)
            rep.events[i].not_counted = "nothing was counted (see below)";
    if (fmt == 1)
        stat_print_json(out.f, &rep);
    else if (fmt == 2)
        stat_print_csv(out.f, &rep);
    else
        stat_print_text(out.f, &rep);
    if (output_close(&out, 1) != 0)
        status = 1;
    out.path = NULL;
done:
    output_close(&out, 0);
    for (unsigned g = 0; g < MAX_GROUPS; g++)
        kpmc_set_free(c.sets[g]);
    kpmc_close(c.s);
    free(c.cpu_before);
    free(c.cpu_after);
    free(storage);
    free(rep.events);
    free(names);
    free(names_buf);
    return status;
}
