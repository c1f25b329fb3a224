/* Core types and QoS pinning on macOS; nothing elsewhere.
 *
 * Apple silicon has performance and efficiency cores under one counter
 * configuration.  The scheduler prefers performance cores for a thread of
 * QoS class user-interactive and efficiency cores for one of class
 * background (a preference, not a binding).  The core a thread runs on is
 * pthread_cpu_number_np (macOS 11 and later, looked up at run time); which
 * type a CPU number is comes from hw.perflevel0 (performance) and
 * hw.perflevel1 (efficiency) as kpmc_cpu_levels numbers them, the one rule
 * kpmc_session_cpus follows too. */
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif

#include "cores.h"

int kpmc_sysctl_uint(kpmc_sysctlbyname_fn fn, const char *name, unsigned *out)
{
    int v = 0;
    size_t len = sizeof v;
    if (fn(name, &v, &len, NULL, 0) != 0 || len != sizeof v || v < 0)
        return -1;
    *out = (unsigned)v;
    return 0;
}

void kpmc_cpu_levels(unsigned p, unsigned e, unsigned e_per_cluster, unsigned n_cpus, uint8_t *level)
{
    unsigned dies = e_per_cluster && e % e_per_cluster == 0 ? e / e_per_cluster : 1;
    if (dies == 0 || p % dies != 0)
        dies = 1;
    unsigned cpu = 0;
    for (unsigned d = 0; d < dies; d++) {
        for (unsigned i = 0; i < e / dies && cpu < n_cpus; i++)
            level[cpu++] = 1;
        for (unsigned i = 0; i < p / dies && cpu < n_cpus; i++)
            level[cpu++] = 0;
    }
}

#if defined(__APPLE__)

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/qos.h>
#include <sys/sysctl.h>

int kpmc_cores_pin(int kind, struct kpmc_pin *pin)
{
    pin->done = 0;
    pin->saved = (unsigned)qos_class_self();
    qos_class_t want = kind == KPMC_CORE_EFFICIENCY ? QOS_CLASS_BACKGROUND : QOS_CLASS_USER_INTERACTIVE;
    if (pthread_set_qos_class_self_np(want, 0) != 0)
        return KPMC_E_STATE;
    pin->done = 1;
    return 1;
}

void kpmc_cores_unpin(struct kpmc_pin *pin)
{
    if (pin->done && pin->saved != (unsigned)QOS_CLASS_UNSPECIFIED)
        pthread_set_qos_class_self_np((qos_class_t)pin->saved, 0);
    pin->done = 0;
}

static pthread_once_t source_once = PTHREAD_ONCE_INIT;
static int (*cpu_number)(size_t *);
static unsigned n_cpus;
static uint8_t level[KPMC_MAX_CPUS]; /* kpmc_cpu_levels */

static void source_init(void)
{
    unsigned levels = 0, p = 0, e = 0, e_per_cluster = 0;
    if (kpmc_sysctl_uint(sysctlbyname, "hw.nperflevels", &levels) != 0 || levels < 2 ||
        kpmc_sysctl_uint(sysctlbyname, "hw.perflevel0.logicalcpu", &p) != 0 ||
        kpmc_sysctl_uint(sysctlbyname, "hw.perflevel1.logicalcpu", &e) != 0 || e == 0 || p + e > KPMC_MAX_CPUS)
        return;
    if (kpmc_sysctl_uint(sysctlbyname, "hw.perflevel1.cpusperl2", &e_per_cluster) != 0)
        e_per_cluster = 0;
    void *fn = dlsym(RTLD_DEFAULT, "pthread_cpu_number_np");
    if (!fn)
        return;
    n_cpus = p + e;
    kpmc_cpu_levels(p, e, e_per_cluster, n_cpus, level);
    memcpy(&cpu_number, &fn, sizeof fn);
}

static int core_now(void *arg)
{
    (void)arg;
    size_t cpu;
    if (cpu_number(&cpu) != 0 || cpu >= n_cpus)
        return KPMC_CORE_UNKNOWN;
    return level[cpu] ? KPMC_CORE_EFFICIENCY : KPMC_CORE_PERFORMANCE;
}

kpmc_core_fn kpmc_cores_source(void)
{
    pthread_once(&source_once, source_init);
    return cpu_number ? core_now : NULL;
}

#else

int kpmc_cores_pin(int kind, struct kpmc_pin *pin)
{
    (void)kind;
    pin->done = 0;
    pin->saved = 0;
    return KPMC_E_UNSUPPORTED;
}

void kpmc_cores_unpin(struct kpmc_pin *pin)
{
    pin->done = 0;
}

kpmc_core_fn kpmc_cores_source(void)
{
    return NULL;
}

#endif
