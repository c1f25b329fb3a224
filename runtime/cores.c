/* Core types and QoS pinning on macOS; nothing elsewhere.
 *
 * Apple silicon has performance and efficiency cores under one counter
 * configuration.  The scheduler prefers performance cores for a thread of
 * QoS class user-interactive and efficiency cores for one of class
 * background (a preference, not a binding).  The core a thread runs on is
 * pthread_cpu_number_np (macOS 11 and later, looked up at run time); which
 * type a CPU number is comes from its rank: the efficiency cores are
 * numbered first, hw.perflevel1.logicalcpu of them (hw.perflevel0 being
 * the performance cores), as on every Apple silicon Mac so far. */
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif

#include "cores.h"

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
static size_t n_efficiency;

static void source_init(void)
{
    int levels = 0, efficiency = 0;
    size_t len = sizeof levels;
    if (sysctlbyname("hw.nperflevels", &levels, &len, NULL, 0) != 0 || levels < 2)
        return;
    len = sizeof efficiency;
    if (sysctlbyname("hw.perflevel1.logicalcpu", &efficiency, &len, NULL, 0) != 0 || efficiency <= 0)
        return;
    void *fn = dlsym(RTLD_DEFAULT, "pthread_cpu_number_np");
    if (!fn)
        return;
    n_efficiency = (size_t)efficiency;
    memcpy(&cpu_number, &fn, sizeof fn);
}

static int core_now(void *arg)
{
    (void)arg;
    size_t cpu;
    if (cpu_number(&cpu) != 0)
        return KPMC_CORE_UNKNOWN;
    return cpu < n_efficiency ? KPMC_CORE_EFFICIENCY : KPMC_CORE_PERFORMANCE;
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
