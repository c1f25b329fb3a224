/* kpmc stat: running the command once (see stat_run.h). */
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE
#else
#define _GNU_SOURCE /* environ */
#endif

#include "stat_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#define PRELOAD_VAR "DYLD_INSERT_LIBRARIES"
#else
#define PRELOAD_VAR "LD_PRELOAD"
#endif

extern char **environ;

#ifndef KPMC_STAT_INJECT_NAME
#define KPMC_STAT_INJECT_NAME "libkpmc_stat_inject.so"
#endif
#ifndef KPMC_STAT_INJECT_LIBDIR
#define KPMC_STAT_INJECT_LIBDIR "lib"
#endif

/* ---- signals ---- */

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t running_pid;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    if (!first_signal)
        first_signal = sig;
    pid_t pid = (pid_t)running_pid;
    /* kill(2) from another process: pass it on.  A terminal's signal goes
     * to the whole foreground process group, the command included. */
    if (pid > 0 && si && si->si_pid != 0 && (si->si_code == SI_USER || si->si_code == SI_QUEUE))
        kill(pid, sig);
}

static void on_child(int sig)
{
    (void)sig; /* wakes stat_wait_ended's sigsuspend */
}

void stat_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaction(caught[i], &sa, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
}

int stat_signal(void)
{
    return first_signal;
}

/* The caught signals and SIGCHLD: blocked while a command runs, except
 * inside sigsuspend. */
static void block_caught(int how, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&set, caught[i]);
    sigaddset(&set, SIGCHLD);
    sigprocmask(how, &set, old);
}

/* ---- the shared segment ---- */

int stat_segment_create(struct stat_segment *seg, unsigned n_values, char *err, size_t err_len)
{
    static unsigned seq;
    memset(seg, 0, sizeof *seg);
    if (n_values == 0 || n_values > KPMC_STAT_MAX_VALUES) {
        snprintf(err, err_len, "a reading of %u values does not fit the shared segment (at most %u)", n_values,
                 KPMC_STAT_MAX_VALUES);
        return -1;
    }
    /* macOS allows 31 characters in a shared-memory name. */
    snprintf(seg->name, sizeof seg->name, "/kpmc.%ld.%u", (long)getpid(), seq++);
    size_t size = KPMC_STAT_SHM_SIZE(KPMC_STAT_SLOTS);
    int fd = shm_open(seg->name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, err_len, "shm_open(%s): %s", seg->name, strerror(errno));
        seg->name[0] = '\0';
        return -1;
    }
    void *p = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) == 0)
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int e = errno;
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(err, err_len, "shared memory of %zu bytes (%s): %s", size, seg->name, strerror(e));
        shm_unlink(seg->name);
        seg->name[0] = '\0';
        return -1;
    }
    seg->shm = p;
    seg->size = size;
    seg->shm->magic = KPMC_STAT_MAGIC;
    seg->shm->layout = KPMC_STAT_LAYOUT;
    seg->shm->n_values = n_values;
    seg->shm->n_slots = KPMC_STAT_SLOTS;
    return 0;
}

void stat_segment_destroy(struct stat_segment *seg)
{
    if (seg->shm)
        munmap(seg->shm, seg->size);
    if (seg->name[0])
        shm_unlink(seg->name);
    memset(seg, 0, sizeof *seg);
}

/* ---- the injected library ---- */

/* The folder of the running kpmc executable, into buf. */
static int exe_dir(char *buf, size_t len)
{
    char path[PATH_MAX];
#if defined(__APPLE__)
    char raw[PATH_MAX];
    uint32_t n = sizeof raw;
    if (_NSGetExecutablePath(raw, &n) != 0 || !realpath(raw, path))
        return -1;
#else
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return -1;
    path[n] = '\0';
#endif
    char *slash = strrchr(path, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if ((size_t)snprintf(buf, len, "%s", path) >= len)
        return -1;
    return 0;
}

int stat_inject_path(char *buf, size_t len, char *err, size_t err_len)
{
    const char *env = getenv("KPMC_STAT_INJECT");
    if (env && *env) {
        if (access(env, R_OK) != 0) {
            snprintf(err, err_len, "KPMC_STAT_INJECT=%s: %s", env, strerror(errno));
            return -1;
        }
        snprintf(buf, len, "%s", env);
        return 0;
    }
    char dir[PATH_MAX];
    if (exe_dir(dir, sizeof dir) != 0) {
        snprintf(err, err_len, "cannot tell where the kpmc executable is, to find %s; set KPMC_STAT_INJECT",
                 KPMC_STAT_INJECT_NAME);
        return -1;
    }
    char a[PATH_MAX + 64], b[PATH_MAX + 128];
    snprintf(a, sizeof a, "%s/%s", dir, KPMC_STAT_INJECT_NAME);
    if (KPMC_STAT_INJECT_LIBDIR[0] == '/') /* an absolute install folder */
        snprintf(b, sizeof b, "%s/%s", KPMC_STAT_INJECT_LIBDIR, KPMC_STAT_INJECT_NAME);
    else
        snprintf(b, sizeof b, "%s/../%s/%s", dir, KPMC_STAT_INJECT_LIBDIR, KPMC_STAT_INJECT_NAME);
    const char *found = access(a, R_OK) == 0 ? a : access(b, R_OK) == 0 ? b : NULL;
    if (!found) {
        snprintf(err, err_len, "%s is neither %s nor %s; set KPMC_STAT_INJECT to its path", KPMC_STAT_INJECT_NAME, a,
                 b);
        return -1;
    }
    char *real = realpath(found, NULL);
    snprintf(buf, len, "%s", real ? real : found);
    free(real);
    return 0;
}

/* ---- one run ---- */

int64_t stat_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int starts_with_var(const char *entry, const char *name)
{
    size_t n = strlen(name);
    return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* The current environment with the injection variables set; NULL when
 * memory runs out.  Strings are allocated: free with free_env. */
static char **injected_env(const char *lib, const char *segment, const char *kperf)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 4, sizeof *env);
    if (!env)
        return NULL;
    const char *preload = getenv(PRELOAD_VAR);
    size_t k = 0;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (starts_with_var(environ[i], PRELOAD_VAR) || starts_with_var(environ[i], KPMC_STAT_ENV_SHM) ||
            starts_with_var(environ[i], KPMC_STAT_ENV_KPERF))
            continue;
        ok = (env[k++] = strdup(environ[i])) != NULL;
    }
    const char *vars[3] = {PRELOAD_VAR, KPMC_STAT_ENV_SHM, KPMC_STAT_ENV_KPERF};
    const char *vals[3] = {lib, segment, kperf};
    for (int v = 0; v < 3 && ok; v++) {
        int extra = v == 0 && preload && *preload;
        size_t len = strlen(vars[v]) + strlen(vals[v]) + (extra ? strlen(preload) + 1 : 0) + 2;
        char *s = malloc(len);
        if (!s) {
            ok = 0;
            break;
        }
        if (extra)
            snprintf(s, len, "%s=%s:%s", vars[v], vals[v], preload);
        else
            snprintf(s, len, "%s=%s", vars[v], vals[v]);
        env[k++] = s;
    }
    if (!ok) {
        for (size_t i = 0; i < k; i++)
            free(env[i]);
        free(env);
        return NULL;
    }
    return env;
}

static void free_env(char **env)
{
    if (!env)
        return;
    for (size_t i = 0; env[i]; i++)
        free(env[i]);
    free(env);
}

int stat_spawn(struct stat_child *c, char *const argv[], const char *inject_lib, const char *segment,
               const char *kperf_path)
{
    memset(c, 0, sizeof *c);
    char **env = environ;
    if (inject_lib) {
        env = injected_env(inject_lib, segment, kperf_path);
        if (!env)
            return ENOMEM;
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, old;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    /* A signal sent before the pid is known waits until it is; the signals
     * stay blocked until stat_wait_ended waits for them. */
    block_caught(SIG_BLOCK, &old);
    pid_t pid = 0;
    c->start_ns = stat_now_ns();
    int r = posix_spawnp(&pid, argv[0], NULL, &attr, argv, env);
    if (r == 0) {
        c->pid = pid;
        running_pid = pid;
        c->mask = old;
    } else {
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    posix_spawnattr_destroy(&attr);
    if (env != environ)
        free_env(env);
    return r;
}

void stat_wait_ended(struct stat_child *c)
{
    /* Not a blocking waitid: signal handlers run inside sigsuspend, where
     * every platform (and every sanitizer's interception) delivers them at
     * once; SIGCHLD wakes it when the command ends. */
    siginfo_t info;
    for (;;) {
        memset(&info, 0, sizeof info);
        int r = waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOWAIT | WNOHANG);
        if ((r == 0 && info.si_pid == c->pid) || (r < 0 && errno != EINTR))
            break;
        sigsuspend(&c->mask);
    }
    c->end_ns = stat_now_ns();
    sigprocmask(SIG_SETMASK, &c->mask, NULL);
}

int stat_reap(struct stat_child *c, int *sig)
{
    int status = 0;
    running_pid = 0; /* a zombie now: nothing to pass signals on to */
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    *sig = 0;
    if (WIFSIGNALED(status)) {
        *sig = WTERMSIG(status);
        return 128 + *sig;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
