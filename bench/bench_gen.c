/* bench_gen: kpmc-gen on a folder of kpep plists versus libxml2 alone
 * parsing the same files, each as its own process, alternating.
 *
 *   bench_gen PATH/TO/kpmc-gen KPEP_DIR [RUNS]
 *
 * The baseline is this program re-run as `bench_gen --parse-only DIR`: it
 * reads every database plist of DIR and parses it with xmlReadMemory and the
 * options kpmc-gen uses, then frees it.  kpmc-gen writes into a fresh empty
 * folder each run.  Prints median and minimum wall time and CPU time (user +
 * system) of both, and the ratios; the budget is 1.5x. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

extern char **environ;

static int parse_only(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    xmlInitParser();
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "cpu_", 4) || len < 7 || strcmp(e->d_name + len - 6, ".plist"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char *buf = NULL;
        size_t size = 0, cap = 0, got;
        char tmp[65536];
        while ((got = fread(tmp, 1, sizeof tmp, f)) > 0) {
            if (size + got > cap) {
                cap = 2 * (size + got);
                buf = realloc(buf, cap);
            }
            memcpy(buf + size, tmp, got);
            size += got;
        }
        fclose(f);
        xmlDocPtr doc = xmlReadMemory(buf, (int)size, path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
        n += doc != NULL;
        xmlFreeDoc(doc);
        free(buf);
    }
    closedir(d);
    xmlCleanupParser();
    return n ? 0 : 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double child_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Run argv; wall and CPU seconds.  -1 on failure. */
static int run(char *const argv[], double *wall, double *cpu)
{
    double c0 = child_cpu(), t0 = now();
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "bench_gen: %s failed\n", argv[0]);
        return -1;
    }
    *wall = now() - t0;
    *cpu = child_cpu() - c0;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--parse-only"))
        return parse_only(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: %s PATH/TO/kpmc-gen KPEP_DIR [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 40;
    if (runs < 1)
        runs = 1;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        snprintf(self, sizeof self, "%s", argv[0]);
    } else {
        self[n] = '\0';
    }
    double *gw = calloc((size_t)runs, sizeof *gw), *gc = calloc((size_t)runs, sizeof *gc);
    double *pw = calloc((size_t)runs, sizeof *pw), *pc = calloc((size_t)runs, sizeof *pc);
    char tmpl[] = "/tmp/bench_gen.XXXXXX";
    const char *tmp = mkdtemp(tmpl);
    if (!gw || !gc || !pw || !pc || !tmp) {
        perror("bench_gen");
        return 1;
    }
    for (int i = -3; i < runs; i++) { /* three warm-up rounds */
        char out[4200], rm[4300];
        snprintf(out, sizeof out, "%s/out%d", tmp, i + 3);
        char quiet[] = "--quiet", out_opt[] = "--out", parse_opt[] = "--parse-only";
        char *gen_argv[] = {argv[1], quiet, out_opt, out, argv[2], NULL};
        char *parse_argv[] = {self, parse_opt, argv[2], NULL};
        double w, c;
        if (run(parse_argv, &w, &c))
            return 1;
        if (i >= 0) {
            pw[i] = w;
            pc[i] = c;
        }
        if (run(gen_argv, &w, &c))
            return 1;
        if (i >= 0) {
            gw[i] = w;
            gc[i] = c;
        }
        snprintf(rm, sizeof rm, "rm -rf '%s'", out);
        if (system(rm) != 0)
            return 1;
    }
    rmdir(tmp);
    double mgw = median(gw, runs), mpw = median(pw, runs), mgc = median(gc, runs), mpc = median(pc, runs);
    printf("kpmc-gen on %s, %d runs each, alternating:\n", argv[2], runs);
    printf("  libxml2 parse only : wall median %7.2f ms  min %7.2f ms   cpu median %7.2f ms\n", mpw * 1e3,
           pw[0] * 1e3, mpc * 1e3);
    printf("  kpmc-gen           : wall median %7.2f ms  min %7.2f ms   cpu median %7.2f ms\n", mgw * 1e3,
           gw[0] * 1e3, mgc * 1e3);
    printf("  ratio (budget 1.5) : wall %.2fx (min %.2fx)   cpu %.2fx\n", mgw / mpw, gw[0] / pw[0], mgc / mpc);
    free(gw);
    free(gc);
    free(pw);
    free(pc);
    return 0;
}
