/* bench_stat: what `kpmc stat` adds to the wall time of a short command.
 *
 *   bench_stat KPMC [RUNS] [-e EVENTS] [-- COMMAND ARG...]
 *
 * Runs COMMAND (default: true) RUNS times (default 200) directly and RUNS
 * times as `KPMC stat [-e EVENTS] --format json -o FILE -- COMMAND`,
 * alternating the two so that drift hits both alike, and prints the median
 * and mean wall time of each, the ratio of the medians (budget: 1.5x for
 * `true` without root), and the command's own wall time as kpmc stat
 * measured it (wall_ns of its report: what counting adds to the command
 * itself).  It also prints the CPU time (user + system, from
 * getrusage(RUSAGE_CHILDREN), the command included) of each, which a loaded machine disturbs less than
 * wall time.  The environment is passed on, so KPMC_KPERF_PATH and
 * KPMC_SIM_NOROOT choose the path kpmc stat takes. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* Wall time of one run of argv, its stderr discarded, and its CPU time
 * into *cpu; -1 if it failed. */
static double run(char **argv, double *cpu)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0)
        return -1;
    int st;
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    double wall = now() - t0;
    getrusage(RUSAGE_CHILDREN, &after); /* the reaped child and what it reaped */
    *cpu = seconds(after.ru_utime) - seconds(before.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_stime);
    return wall;
}

/* wall_ns.mean of a kpmc stat JSON report, in seconds; -1 if absent. */
static double report_wall(const char *path)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *key = "\"wall_ns\":{\"mean\":";
    const char *p = strstr(buf, key);
    return p ? atof(p + strlen(key)) * 1e-9 : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void summary(const char *what, double *t, int n, double *median)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i];
    qsort(t, (size_t)n, sizeof *t, cmp);
    *median = t[n / 2];
    printf("%-28s median %8.1f us  mean %8.1f us  min %8.1f us  (%d runs)\n", what, *median * 1e6,
           sum / n * 1e6, t[0] * 1e6, n);
}

/* The summaries of the runs of cmd alone (direct) and under kpmc stat
 * (counted), each label ending in what; the ratio of their medians, and the
 * median of the direct runs into *direct_median. */
static double versus(const char *cmd, const char *what, double *direct, double *counted, int runs,
                     double *direct_median)
{
    char label[256];
    double md, mc;
    snprintf(label, sizeof label, "%s%s", cmd, what);
    summary(label, direct, runs, &md);
    snprintf(label, sizeof label, "kpmc stat -- %s%s", cmd, what);
    summary(label, counted, runs, &mc);
    *direct_median = md;
    return mc / md;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_stat KPMC [RUNS] [-e EVENTS] [-- COMMAND ARG...]\n");
        return 2;
    }
    int runs = 200, first = argc;
    char *events = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            first = i + 1;
            break;
        }
        if (!strcmp(argv[i], "-e") && i + 1 < argc)
            events = argv[++i];
        else
            runs = atoi(argv[i]);
    }
    if (runs < 3)
        runs = 3;
    static char true_word[] = "true", stat_word[] = "stat", dashes[] = "--", e_word[] = "-e", fmt[] = "--format",
                json_word[] = "json", o_word[] = "-o";
    char report[] = "/tmp/bench_stat.XXXXXX";
    int fd = mkstemp(report);
    if (fd < 0)
        return 1;
    close(fd);
    char *dflt[] = {true_word, NULL};
    char **cmd = first < argc ? argv + first : dflt;
    int ncmd = first < argc ? argc - first : 1;
    char **stat = calloc((size_t)ncmd + 9, sizeof *stat);
    double *direct = calloc((size_t)runs, sizeof *direct), *counted = calloc((size_t)runs, sizeof *counted);
    double *inside = calloc((size_t)runs, sizeof *inside);
    double *cpu_direct = calloc((size_t)runs, sizeof *cpu_direct), *cpu_counted = calloc((size_t)runs, sizeof *cpu_counted);
    if (!stat || !direct || !counted || !inside || !cpu_direct || !cpu_counted)
        return 1;
    int k = 0;
    stat[k++] = argv[1];
    stat[k++] = stat_word;
    if (events) {
        stat[k++] = e_word;
        stat[k++] = events;
    }
    stat[k++] = fmt;
    stat[k++] = json_word;
    stat[k++] = o_word;
    stat[k++] = report;
    stat[k++] = dashes;
    memcpy(stat + k, cmd, (size_t)ncmd * sizeof *cmd);
    /* Warm the caches of both. */
    double scratch;
    if (run(cmd, &scratch) < 0 || run(stat, &scratch) < 0) {
        fprintf(stderr, "bench_stat: '%s' or '%s stat -- %s' failed\n", cmd[0], argv[1], cmd[0]);
        return 1;
    }
    for (int i = 0; i < runs; i++) {
        direct[i] = run(cmd, &cpu_direct[i]);
        counted[i] = run(stat, &cpu_counted[i]);
        inside[i] = report_wall(report);
        if (direct[i] < 0 || counted[i] < 0 || inside[i] < 0) {
            fprintf(stderr, "bench_stat: run %d failed\n", i);
            return 1;
        }
    }
    double md, mi, cd;
    printf("ratio of medians: %.2fx (budget 1.5x)\n", versus(cmd[0], "", direct, counted, runs, &md));
    char label[256];
    snprintf(label, sizeof label, "%s inside kpmc stat", cmd[0]);
    summary(label, inside, runs, &mi);
    printf("the command inside kpmc stat against alone: %.2fx\n", mi / md);
    printf("ratio of CPU time medians: %.2fx\n", versus(cmd[0], ", CPU time", cpu_direct, cpu_counted, runs, &cd));
    free(cpu_direct);
    free(cpu_counted);
    unlink(report);
    free(inside);
    free(stat);
    free(direct);
    free(counted);
    return 0;
}
