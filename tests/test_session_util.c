/* Helpers of the session tests; see test_session.h. */
#define _POSIX_C_SOURCE 200809L

#include "test_session.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct sim sim;

static const char *const sim_vars[] = {"KPMC_SIM_KERNEL",     "KPMC_SIM_DB",     "KPMC_SIM_CPU",
                                       "KPMC_SIM_NOROOT",     "KPMC_SIM_ALLOWLIST", "KPMC_SIM_KERNEL_COUNTING",
                                       "KPMC_SIM_FORCE_HELD", "KPMC_SIM_BUSY",   "KPMC_SIM_FAULT",
                                       "KPMC_SIM_INIT",       "KPMC_DB",         "KPMC_DB_FORCE",
                                       "KPMC_SIM_SELFCOUNTS_FAIL", "KPMC_SIM_READ_STEP"};

/* The kernel profile of the test run (CTest sets KPMC_SIM_KERNEL per
 * registration), kept across sim_env() unless a case names another. */
static char run_kernel[32];

void sim_load(void)
{
    const char *kernel = getenv("KPMC_SIM_KERNEL");
    snprintf(run_kernel, sizeof run_kernel, "%s", kernel ? kernel : "");
    sim.path = getenv("KPMC_KPERF_PATH");
    if (!sim.path || !*sim.path) {
        fprintf(stderr, "KPMC_KPERF_PATH must name libkpmc_sim\n");
        exit(1);
    }
    sim.handle = dlopen(sim.path, RTLD_NOW | RTLD_LOCAL);
    if (!sim.handle) {
        fprintf(stderr, "dlopen %s: %s\n", sim.path, dlerror());
        exit(1);
    }
    sim_find("kpmc_sim_get_state", &sim.get_state);
    sim_find("kpmc_sim_reset", &sim.reset);
}

void sim_find(const char *name, void *fn)
{
    void *f = dlsym(sim.handle, name);
    if (!f) {
        fprintf(stderr, "%s has no %s\n", sim.path, name);
        exit(1);
    }
    memcpy(fn, &f, sizeof f);
}

void sim_env(const char *first, ...)
{
    for (size_t i = 0; i < sizeof sim_vars / sizeof sim_vars[0]; i++)
        unsetenv(sim_vars[i]);
    if (run_kernel[0])
        setenv("KPMC_SIM_KERNEL", run_kernel, 1);
    va_list ap;
    va_start(ap, first);
    for (const char *kv = first; kv; kv = va_arg(ap, const char *)) {
        const char *eq = strchr(kv, '=');
        char name[64];
        size_t n = eq ? (size_t)(eq - kv) : 0;
        if (!eq || n >= sizeof name) {
            fprintf(stderr, "sim_env: bad \"%s\"\n", kv);
            exit(1);
        }
        memcpy(name, kv, n);
        name[n] = '\0';
        setenv(name, eq + 1, 1);
    }
    va_end(ap);
    sim.reset();
}

struct kpmc_sim_state sim_state(void)
{
    struct kpmc_sim_state st;
    memset(&st, 0, sizeof st);
    if (sim.get_state(&st) != 0) {
        fprintf(stderr, "kpmc_sim_get_state failed (bad simulator environment?)\n");
        exit(1);
    }
    return st;
}

int same_kernel_state(const struct kpmc_sim_state *a, const struct kpmc_sim_state *b, const char *what)
{
    if (a->counting == b->counting && a->thread_counting == b->thread_counting &&
        a->force_all == b->force_all)
        return 1;
    fprintf(stderr, "%s: kernel state counting 0x%x thread_counting 0x%x force_all %d, expected 0x%x 0x%x %d\n",
            what, (unsigned)a->counting, (unsigned)a->thread_counting, a->force_all, (unsigned)b->counting,
            (unsigned)b->thread_counting, b->force_all);
    return 0;
}

uint64_t expected_word(const kpmc_db_info *d, const kpmc_event_info *e)
{
    if (d->arch == KPMC_ARCH_ARM64)
        return e->number & 0xFFFFu; /* all modes: no mode bit */
    /* IA32_PERFEVTSEL: event, umask, then USR (16) and OS (17) for all
     * rings, limited to other's own USR/OS bits; EDGE (18), INV (23) and
     * CMASK (24-31) from other; EN (22). */
    uint64_t w = (uint64_t)e->number | (uint64_t)e->umask << 8 | 1u << 22;
    uint64_t rings = 0x30000u;
    if (e->has & KPMC_HAS_OTHER) {
        rings &= (uint64_t)(e->other & 3u) << 16;
        w |= (uint64_t)(e->other & (1u << 2 | 1u << 7 | 0xFF00u)) << 16;
    }
    return w | rings;
}

uint64_t stored_word(const kpmc_db_info *d, uint64_t word)
{
    /* CPC-era kernels keep the word as given (only the hardware drops bits). */
    return d->arch == KPMC_ARCH_X86_64 && strcmp(sim_state().kernel, "cpc") != 0 ? word & 0xffc7ffffu : word;
}

int sim_profile(const char *name)
{
    return !strcmp(sim_state().kernel, name);
}

static int env_on(const char *name)
{
    const char *v = getenv(name);
    return v && !strcmp(v, "1");
}

int sim_counts_kernel(const kpmc_db_info *d)
{
    if (d->arch == KPMC_ARCH_X86_64 || sim_profile("pre14.4") || sim_profile("14.4"))
        return 1;
    if (env_on("KPMC_SIM_KERNEL_COUNTING"))
        return 1;
    const char *allow = getenv("KPMC_SIM_ALLOWLIST");
    return sim_profile("cpc") && allow && !strcmp(allow, "off");
}

int sim_has_allowlist(const kpmc_db_info *d)
{
    if (d->arch == KPMC_ARCH_X86_64 || sim_profile("pre14.4"))
        return 0;
    const char *allow = getenv("KPMC_SIM_ALLOWLIST");
    if (allow && *allow)
        return strcmp(allow, "off") != 0;
    return !(sim_profile("cpc") && env_on("KPMC_SIM_KERNEL_COUNTING"));
}

uint64_t per_read(const kpmc_db_info *d, uint64_t word, int fixed_rank)
{
    const uint64_t f = KPMC_SIM_KERNEL_FACTOR;
    if (fixed_rank >= 0)
        return (uint64_t)(fixed_rank + 1) * KPMC_SIM_FIXED_STEP * (1 + f);
    uint64_t sel = word & 0xFFFFu;
    int user, kernel;
    if (d->arch == KPMC_ARCH_X86_64) {
        user = (word & 0x10000u) != 0;
        kernel = (word & 0x20000u) != 0;
    } else {
        int none = (word & 0x70000u) == 0;
        user = none || (word & 0x30000u);
        kernel = (none || (word & 0x40000u)) && sim_counts_kernel(d);
    }
    return sel * (uint64_t)user + sel * f * (uint64_t)kernel;
}

unsigned rank_in(uint32_t mask, unsigned c)
{
    unsigned k = 0;
    for (unsigned b = 0; b < c; b++)
        k += mask >> b & 1u;
    return k;
}

int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

void gate_init(struct gate *g, unsigned n)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->n = n;
    g->waiting = 0;
    g->round = 0;
}

void gate_wait(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    unsigned round = g->round;
    if (++g->waiting == g->n) {
        g->waiting = 0;
        g->round++;
        pthread_cond_broadcast(&g->cond);
    } else {
        while (round == g->round)
            pthread_cond_wait(&g->cond, &g->lock);
    }
    pthread_mutex_unlock(&g->lock);
}

void gate_destroy(struct gate *g)
{
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
}

int t_main(int argc, char **argv, const struct t_case *cases, size_t n)
{
    for (size_t i = 0; argc >= 2 && i < n; i++)
        if (!strcmp(argv[1], cases[i].name)) {
            sim_load();
            cases[i].run();
            return check_result(cases[i].name);
        }
    fprintf(stderr, "usage: %s CASE; cases:", argv[0]);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", cases[i].name);
    fputc('\n', stderr);
    return 2;
}
