/* The command the kpmc stat tests count: threads, short-lived threads, a
 * thread still running at exit, a forked child and an exec'd child, each
 * doing a known number of units of simulated work (kpmc_sim_work of the
 * simulator named by $KPMC_KPERF_PATH), so that the test can compute every
 * total kpmc stat must report.  Built without sanitizers: kpmc stat injects
 * its library into it.
 *
 *   stat_workload [--cpu C] [--main N] [--threads K:N[:C]] [--short K:N]
 *                 [--running N[:C]] [--fork N] [--exec N] [--exit S]
 *                 [--ready FILE]
 *
 *   --cpu C         the process runs on simulated CPU C (children too)
 *   --main N        N units on the main thread
 *   --threads K:N:C K threads of N units each, on CPU C (default --cpu)
 *   --short K:N     K threads of N units, one after the other
 *   --running N:C   a thread that does N units and is still running (blocked)
 *                   when the process exits
 *   --fork N        a forked child doing N units on its one thread
 *   --exec N        a forked child that execs this program with --main N
 *   --exit S        exit with status S
 *   --ready FILE    after the work, create FILE and wait for a signal
 *   --say TEXT      print TEXT on stdout (the command's own output)
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*work_fn)(uint64_t units);
typedef void (*cpu_fn)(unsigned cpu);
typedef void (*begin_fn)(void);

static work_fn work;
static cpu_fn set_cpu;
/* The simulator's stand-in for the kernel creating a thread: every thread
 * the workload makes, a forked child's included, calls it first, so that
 * each has a counter buffer as a new thread on a counting kernel does. */
static begin_fn thread_begin;
static unsigned cpu;
static int have_cpu;

struct job {
    uint64_t units;
    unsigned cpu;
    int block; /* then wait for the process to end */
};

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t started_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started_cond = PTHREAD_COND_INITIALIZER;
static int started;

static void *run_job(void *p)
{
    struct job *j = p;
    thread_begin();
    if (set_cpu)
        set_cpu(j->cpu);
    work(j->units);
    if (j->block) {
        pthread_mutex_lock(&started_lock);
        started = 1;
        pthread_cond_signal(&started_cond);
        pthread_mutex_unlock(&started_lock);
        pthread_mutex_lock(&hold); /* held by main until exit: never returns */
        pthread_mutex_unlock(&hold);
    }
    return NULL;
}

static void die(const char *what)
{
    fprintf(stderr, "stat_workload: %s: %s\n", what, strerror(errno));
    exit(99);
}

static int parse(const char *s, unsigned long *a, unsigned long *b, unsigned long *c)
{
    char *end;
    *a = strtoul(s, &end, 10);
    if (b && *end == ':')
        *b = strtoul(end + 1, &end, 10);
    if (c && *end == ':')
        *c = strtoul(end + 1, &end, 10);
    return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *path = getenv("KPMC_KPERF_PATH");
    void *sim = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    void *w = sim ? dlsym(sim, "kpmc_sim_work") : NULL, *c = sim ? dlsym(sim, "kpmc_sim_set_cpu") : NULL;
    void *b = sim ? dlsym(sim, "kpmc_sim_thread_begin") : NULL;
    if (!w || !b) {
        fprintf(stderr, "stat_workload: no kpmc_sim_work in $KPMC_KPERF_PATH (%s)\n", path ? path : "unset");
        return 98;
    }
    memcpy(&work, &w, sizeof w);
    memcpy(&set_cpu, &c, sizeof c);
    memcpy(&thread_begin, &b, sizeof b);
    thread_begin();

    unsigned long main_units = 0, k = 0, n = 0, tcpu = 0, sk = 0, sn = 0, run_units = 0, rcpu = 0;
    unsigned long fork_units = 0, exec_units = 0, status = 0;
    int threads = 0, running = 0, has_tcpu = 0, has_rcpu = 0;
    const char *ready = NULL, *say = NULL;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long x = 0;
        int bad = !v;
        if (!bad && !strcmp(a, "--cpu")) {
            bad = parse(v, &x, NULL, NULL);
            cpu = (unsigned)x;
            have_cpu = 1;
        } else if (!bad && !strcmp(a, "--main")) {
            bad = parse(v, &main_units, NULL, NULL);
        } else if (!bad && !strcmp(a, "--threads")) {
            tcpu = ~0ul;
            bad = parse(v, &k, &n, &tcpu);
            has_tcpu = tcpu != ~0ul;
            threads = 1;
        } else if (!bad && !strcmp(a, "--short")) {
            bad = parse(v, &sk, &sn, NULL);
        } else if (!bad && !strcmp(a, "--running")) {
            rcpu = ~0ul;
            bad = parse(v, &run_units, &rcpu, NULL);
            has_rcpu = rcpu != ~0ul;
            running = 1;
        } else if (!bad && !strcmp(a, "--fork")) {
            bad = parse(v, &fork_units, NULL, NULL);
        } else if (!bad && !strcmp(a, "--exec")) {
            bad = parse(v, &exec_units, NULL, NULL);
        } else if (!bad && !strcmp(a, "--exit")) {
            bad = parse(v, &status, NULL, NULL);
        } else if (!bad && !strcmp(a, "--ready")) {
            ready = v;
        } else if (!bad && !strcmp(a, "--say")) {
            say = v;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "stat_workload: bad argument '%s'\n", a);
            return 97;
        }
    }
    if (have_cpu && set_cpu)
        set_cpu(cpu);
    work(main_units);
    if (say) {
        printf("%s\n", say);
        fflush(stdout);
    }

    pthread_mutex_lock(&hold);
    pthread_t tids[64];
    struct job jobs[64];
    if (threads) {
        if (k > 64)
            k = 64;
        for (unsigned long i = 0; i < k; i++) {
            jobs[i] = (struct job){n, has_tcpu ? (unsigned)tcpu : cpu, 0};
            if (pthread_create(&tids[i], NULL, run_job, &jobs[i]) != 0)
                die("pthread_create");
        }
        for (unsigned long i = 0; i < k; i++)
            pthread_join(tids[i], NULL);
    }
    for (unsigned long i = 0; i < sk; i++) {
        struct job j = {sn, cpu, 0};
        pthread_t t;
        if (pthread_create(&t, NULL, run_job, &j) != 0)
            die("pthread_create");
        pthread_join(t, NULL);
    }
    static struct job blocked;
    if (running) {
        blocked = (struct job){run_units, has_rcpu ? (unsigned)rcpu : cpu, 1};
        pthread_t t;
        if (pthread_create(&t, NULL, run_job, &blocked) != 0)
            die("pthread_create");
        pthread_detach(t);
        pthread_mutex_lock(&started_lock);
        while (!started)
            pthread_cond_wait(&started_cond, &started_lock);
        pthread_mutex_unlock(&started_lock);
    }
    if (fork_units) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            thread_begin();
            work(fork_units);
            exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            die("forked child failed");
    }
    if (exec_units) {
        char units[32], cpus[32];
        snprintf(units, sizeof units, "%lu", exec_units);
        snprintf(cpus, sizeof cpus, "%u", cpu);
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            thread_begin();
            execl("/proc/self/exe", argv[0], "--main", units, "--cpu", cpus, (char *)NULL);
            execl(argv[0], argv[0], "--main", units, "--cpu", cpus, (char *)NULL);
            _exit(96);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            die("exec'd child failed");
    }
    if (ready) {
        int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            die(ready);
        close(fd);
        for (;;)
            pause();
    }
    return (int)status;
}
