/* libkpmc_stat_inject: the library `kpmc stat` injects into the command it
 * counts (DYLD_INSERT_LIBRARIES on macOS, LD_PRELOAD elsewhere), so that
 * every thread of the command and of its children hands its counter totals
 * to kpmc stat through shared memory (tools/stat_shm.h).
 *
 * When loaded (a constructor) it maps the segment named by $KPMC_STAT_SHM,
 * dlopens the kperf library named by $KPMC_STAT_KPERF (the one kpmc stat's
 * session loaded), claims an image number and registers the calling thread.
 * It then learns of every other thread: on macOS through the pthread
 * introspection hook (which also sees the threads the kernel creates for
 * libdispatch), elsewhere by wrapping pthread_create.  Each thread reads its
 * own counters (kpc_get_thread_counters(0, ...): the kernel only reads the
 * calling thread's) when it ends, through a pthread key destructor and, on
 * macOS, the hook's terminate event.
 *
 * At process exit (a destructor) and before an exec, the thread that exits
 * or execs reads its own counters and then signals every other registered
 * thread of the image still running; the signal handler reads that thread's
 * counters (async-signal-safe: a kpc call, atomics, no lock, no allocation).
 * It waits up to EXIT_WAIT_MS for the answers and counts the threads that
 * did not answer (signal blocked) in the segment.  A forked child registers
 * its thread again as a new image (pthread_atfork): the kernel counts a
 * child's thread from zero.  An exec'd program loads the library again
 * through the inherited environment.
 *
 * The kernel facts it relies on are in docs/kpc.md §12.
 *
 * The library prints nothing and never changes what the program does: with
 * no segment, a bad one, or no kperf it stays inert (and says so in the
 * segment when it can). */
#if defined(__linux__)
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE
#endif

#include "stat_shm.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__APPLE__)
#if defined(__has_include) && __has_include(<pthread/introspection.h>)
#include <pthread/introspection.h>
#else
/* libpthread's <pthread/introspection.h> (macOS 10.9 and later), for SDKs
 * that lack the header. */
enum {
    PTHREAD_INTROSPECTION_THREAD_CREATE = 1,
    PTHREAD_INTROSPECTION_THREAD_START,
    PTHREAD_INTROSPECTION_THREAD_TERMINATE,
    PTHREAD_INTROSPECTION_THREAD_DESTROY
};
typedef void (*pthread_introspection_hook_t)(unsigned int event, pthread_t thread, void *addr, size_t size);
extern pthread_introspection_hook_t pthread_introspection_hook_install(pthread_introspection_hook_t hook);
#endif
/* macOS has no real-time signals; SIGINFO's default action is to do
 * nothing, so a late signal cannot hurt. */
#define REPORT_SIGNAL SIGINFO
#else
#define REPORT_SIGNAL (SIGRTMAX - 1)
#endif

/* How long the exiting thread waits for the others to answer. */
#define EXIT_WAIT_MS 500

#define EXPORT __attribute__((visibility("default")))

typedef int (*kpc_read_fn)(uint32_t tid, uint32_t buf_count, uint64_t *buf);

static struct kpmc_stat_shm *shm;
static kpc_read_fn kpc_read;
static pthread_key_t slot_key; /* slot index + 1 of the thread */
static uint32_t image;         /* this image's number; 0: inert */
static pid_t image_pid;        /* getpid() of this image (vfork children differ) */
/* The state a signalled thread's reading ends in: DONE at exit, EXEC before
 * an exec. */
static _Atomic uint32_t signal_state = KPMC_STAT_DONE;

/* ---- slots ---- */

static uint64_t thread_word(pthread_t t)
{
    uint64_t w = 0;
    memcpy(&w, &t, sizeof t < sizeof w ? sizeof t : sizeof w);
    return w;
}

static pthread_t word_thread(uint64_t w)
{
    pthread_t t;
    memset(&t, 0, sizeof t);
    memcpy(&t, &w, sizeof t < sizeof w ? sizeof t : sizeof w);
    return t;
}

/* Claim a slot for the calling thread; NULL when none is left (kpmc stat
 * sees next_slot pass n_slots and reports the threads it could not
 * follow). */
static struct kpmc_stat_slot *register_self(void)
{
    uint32_t i = atomic_fetch_add_explicit(&shm->next_slot, 1, memory_order_relaxed);
    if (i >= shm->n_slots)
        return NULL;
    struct kpmc_stat_slot *sl = &shm->slots[i];
    sl->pid = (int32_t)getpid();
    sl->image = image;
    sl->thread = thread_word(pthread_self());
    atomic_store_explicit(&sl->state, KPMC_STAT_LIVE, memory_order_release);
    pthread_setspecific(slot_key, (void *)(uintptr_t)(i + 1));
    return sl;
}

/* The calling thread's slot in this image, from the key or, where the key
 * is already cleared (the terminate hook), by a search. */
static struct kpmc_stat_slot *own_slot(void)
{
    uintptr_t v = (uintptr_t)pthread_getspecific(slot_key);
    if (v)
        return &shm->slots[v - 1];
    uint64_t self = thread_word(pthread_self());
    uint32_t n = atomic_load_explicit(&shm->next_slot, memory_order_acquire);
    if (n > shm->n_slots)
        n = shm->n_slots;
    for (uint32_t i = n; i-- > 0;) {
        struct kpmc_stat_slot *sl = &shm->slots[i];
        uint32_t st = atomic_load_explicit(&sl->state, memory_order_acquire);
        if ((st == KPMC_STAT_LIVE || st == KPMC_STAT_EXEC) && sl->image == image && sl->thread == self)
            return sl;
    }
    return NULL;
}

/* Read the calling thread's counters into its slot, once per state: the
 * slot moves LIVE or EXEC -> BUSY -> `to` (or FAILED).  Async-signal-safe. */
static void read_into(struct kpmc_stat_slot *sl, uint32_t to)
{
    uint32_t st = KPMC_STAT_LIVE;
    if (!atomic_compare_exchange_strong(&sl->state, &st, KPMC_STAT_BUSY)) {
        st = KPMC_STAT_EXEC;
        if (to != KPMC_STAT_DONE || !atomic_compare_exchange_strong(&sl->state, &st, KPMC_STAT_BUSY))
            return;
    }
    int saved = errno;
    int r = kpc_read(0, shm->n_values, sl->values);
    sl->err = r == 0 ? 0 : errno;
    atomic_store_explicit(&sl->state, r == 0 ? to : KPMC_STAT_FAILED, memory_order_release);
    errno = saved;
}

static void report_self(uint32_t to)
{
    struct kpmc_stat_slot *sl = own_slot();
    if (!sl && to == KPMC_STAT_DONE)
        sl = register_self(); /* a thread started before the library */
    if (sl)
        read_into(sl, to);
}

static void on_report_signal(int sig)
{
    (void)sig;
    if (image)
        report_self(atomic_load(&signal_state));
}

/* The thread's end: its key's destructor gets the slot. */
static void on_thread_end(void *v)
{
    if (image && v)
        read_into(&shm->slots[(uintptr_t)v - 1], KPMC_STAT_DONE);
}

static int waiting_on(uint32_t st, uint32_t to)
{
    return st == KPMC_STAT_LIVE || st == KPMC_STAT_BUSY || (to == KPMC_STAT_DONE && st == KPMC_STAT_EXEC);
}

/* Every registered thread of this image reads its counters into its slot,
 * ending in state `to`: the calling thread directly, the others through
 * REPORT_SIGNAL. */
static void report_all(uint32_t to)
{
    report_self(to);
    atomic_store(&signal_state, to);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_report_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(REPORT_SIGNAL, &sa, NULL);

    uint64_t self = thread_word(pthread_self());
    uint32_t n = atomic_load_explicit(&shm->next_slot, memory_order_acquire);
    if (n > shm->n_slots)
        n = shm->n_slots;
    unsigned asked = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct kpmc_stat_slot *sl = &shm->slots[i];
        uint32_t st = atomic_load_explicit(&sl->state, memory_order_acquire);
        if (sl->image != image || sl->thread == self || !waiting_on(st, to) || st == KPMC_STAT_BUSY)
            continue;
        if (pthread_kill(word_thread(sl->thread), REPORT_SIGNAL) == 0)
            asked++;
    }
    if (!asked)
        return;
    struct timespec tick = {0, 1000000};
    for (int ms = 0; ms < EXIT_WAIT_MS; ms++) {
        unsigned left = 0;
        for (uint32_t i = 0; i < n; i++) {
            struct kpmc_stat_slot *sl = &shm->slots[i];
            if (sl->image == image && sl->thread != self &&
                waiting_on(atomic_load_explicit(&sl->state, memory_order_acquire), to))
                left++;
        }
        if (!left)
            return;
        if (ms + 1 == EXIT_WAIT_MS) {
            atomic_fetch_add(&shm->no_answer, left);
            return;
        }
        nanosleep(&tick, NULL);
    }
}

/* ---- process events ---- */

static int active(void)
{
    return image != 0 && getpid() == image_pid;
}

static void on_fork_child(void)
{
    if (!image)
        return;
    /* The child's one thread is a new kernel thread, counted from zero. */
    image = atomic_fetch_add(&shm->images, 1) + 1;
    image_pid = getpid();
    register_self();
}

__attribute__((destructor)) static void on_image_exit(void)
{
    if (active())
        report_all(KPMC_STAT_DONE);
}

/* Before an exec: the new image gets new threads on macOS, so what this one
 * counted is read now.  A failed exec leaves the threads going; each reads
 * again when it ends (EXEC -> DONE). */
static void before_exec(void)
{
    if (active())
        report_all(KPMC_STAT_EXEC);
}

#if defined(__APPLE__)
static pthread_introspection_hook_t previous_hook;

static void thread_hook(unsigned int event, pthread_t thread, void *addr, size_t size)
{
    if (image && getpid() == image_pid) {
        if (event == PTHREAD_INTROSPECTION_THREAD_START)
            register_self();
        else if (event == PTHREAD_INTROSPECTION_THREAD_TERMINATE)
            report_self(KPMC_STAT_DONE);
    }
    if (previous_hook)
        previous_hook(event, thread, addr, size);
}

static int stat_execve(const char *path, char *const argv[], char *const envp[])
{
    before_exec();
    return execve(path, argv, envp);
}

/* dyld's interposing: every image's calls to execve (libc's exec* family
 * included) come here; this library's own call goes to the original. */
__attribute__((used, section("__DATA,__interpose"))) static const struct {
    const void *replacement, *original;
} interpose_execve = {(const void *)stat_execve, (const void *)execve};
#else
/* ---- pthread_create and exec, wrapped through the dynamic linker ---- */

struct start {
    void *(*fn)(void *);
    void *arg;
};

static void *thread_start(void *p)
{
    struct start st = *(struct start *)p;
    free(p);
    if (image && getpid() == image_pid)
        register_self();
    return st.fn(st.arg);
}

static void *next_symbol(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static pthread_create_fn real;
    if (!real) {
        void *sym = next_symbol("pthread_create");
        memcpy(&real, &sym, sizeof sym);
        if (!real)
            return EAGAIN;
    }
    struct start *st = image ? malloc(sizeof *st) : NULL;
    if (!st)
        return real(t, attr, fn, arg);
    st->fn = fn;
    st->arg = arg;
    int r = real(t, attr, thread_start, st);
    if (r != 0)
        free(st);
    return r;
}

typedef int (*execve_fn)(const char *, char *const[], char *const[]);
typedef int (*execvp_fn)(const char *, char *const[]);
typedef int (*execvpe_fn)(const char *, char *const[], char *const[]);

#define REAL(type, name)                          \
    type real_##name;                             \
    do {                                          \
        void *sym_ = next_symbol(#name);          \
        memcpy(&real_##name, &sym_, sizeof sym_); \
    } while (0)

EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
    REAL(execve_fn, execve);
    before_exec();
    return real_execve(path, argv, envp);
}

EXPORT int execv(const char *path, char *const argv[])
{
    REAL(execve_fn, execve);
    before_exec();
    return real_execve(path, argv, environ);
}

EXPORT int execvp(const char *file, char *const argv[])
{
    REAL(execvp_fn, execvp);
    before_exec();
    return real_execvp(file, argv);
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
    REAL(execvpe_fn, execvpe);
    before_exec();
    return real_execvpe(file, argv, envp);
}

/* The arguments of an execl-style call as an argv array (malloc), and the
 * environment after them when envp is not NULL. */
static char **collect(const char *arg0, va_list ap, char ***envp)
{
    va_list count;
    va_copy(count, ap);
    size_t n = 1;
    while (va_arg(count, const char *))
        n++;
    va_end(count);
    char **argv = malloc((n + 1) * sizeof *argv);
    if (!argv)
        return NULL;
    argv[0] = (char *)arg0;
    for (size_t i = 1; i <= n; i++)
        argv[i] = va_arg(ap, char *);
    if (envp)
        *envp = va_arg(ap, char **);
    return argv;
}

enum exec_form { EXEC_V, EXEC_VP, EXEC_VE };

/* execl, execlp, execle: the arguments into an array, then the v form. */
static int exec_list(enum exec_form form, const char *file, const char *arg0, va_list ap)
{
    char **envp = NULL;
    char **argv = collect(arg0, ap, form == EXEC_VE ? &envp : NULL);
    if (!argv) {
        errno = ENOMEM;
        return -1;
    }
    int r = form == EXEC_V ? execv(file, argv) : form == EXEC_VP ? execvp(file, argv) : execve(file, argv, envp);
    free(argv);
    return r;
}

/* execl, execlp and execle themselves: each gathers its variable arguments
 * and hands them to exec_list in its form. */
#define EXEC_LIST_ENTRY(name, form)                               \
    EXPORT int name(const char *file, const char *arg0, ...)      \
    {                                                             \
        va_list ap;                                               \
        va_start(ap, arg0);                                       \
        int r = exec_list(form, file, arg0, ap);                  \
        va_end(ap);                                               \
        return r;                                                 \
    }

EXEC_LIST_ENTRY(execl, EXEC_V)
EXEC_LIST_ENTRY(execlp, EXEC_VP)
EXEC_LIST_ENTRY(execle, EXEC_VE)
#endif

/* ---- loading ---- */

/* Count an image that could not load kperf; the first one says why. */
static void note_error(const char *what, const char *why)
{
    atomic_fetch_add(&shm->no_kperf, 1);
    uint32_t unset = 0;
    if (atomic_compare_exchange_strong(&shm->error_set, &unset, 2)) {
        snprintf(shm->error, sizeof shm->error, "%s%s%s", what, why ? ": " : "", why ? why : "");
        atomic_store(&shm->error_set, 1);
    }
}

__attribute__((constructor)) static void on_image_load(void)
{
    const char *name = getenv(KPMC_STAT_ENV_SHM);
    if (!name || !*name)
        return;
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0)
        return;
    struct stat sb;
    void *p = MAP_FAILED;
    if (fstat(fd, &sb) == 0 && (size_t)sb.st_size >= sizeof(struct kpmc_stat_shm))
        p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return;
    struct kpmc_stat_shm *h = p;
    if (h->magic != KPMC_STAT_MAGIC || h->layout != KPMC_STAT_LAYOUT || h->n_values == 0 ||
        h->n_values > KPMC_STAT_MAX_VALUES || KPMC_STAT_SHM_SIZE(h->n_slots) > (size_t)sb.st_size) {
        munmap(p, (size_t)sb.st_size);
        return;
    }
    shm = h;
    const char *path = getenv(KPMC_STAT_ENV_KPERF);
    if (!path || !*path) {
        note_error(KPMC_STAT_ENV_KPERF " is not set", NULL);
        return;
    }
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        note_error(path, dlerror());
        return;
    }
    void *sym = dlsym(lib, "kpc_get_thread_counters");
    if (!sym) {
        note_error(path, "no kpc_get_thread_counters in it");
        return;
    }
    memcpy(&kpc_read, &sym, sizeof sym);
    if (pthread_key_create(&slot_key, on_thread_end) != 0)
        return;
    pthread_atfork(NULL, NULL, on_fork_child);
    image_pid = getpid();
    image = atomic_fetch_add(&shm->images, 1) + 1;
    register_self();
#if defined(__APPLE__)
    previous_hook = pthread_introspection_hook_install(thread_hook);
#endif
}
