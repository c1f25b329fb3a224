/* The simulated machine shared by the processes that load the simulator
 * (sim_shared.h), and the two functions of libSystem kpmc looks up in the
 * kperf library: sysctlbyname (the CPUs) and proc_pid_rusage (a process's
 * cycles and instructions). */
#define _POSIX_C_SOURCE 200809L

#include "sim_shared.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* XNU's struct rusage_info_v6 (bsd/sys/resource.h), as the simulated Mac
 * fills it: ri_uuid (16 bytes), then 56 64-bit fields numbered here from
 * ri_user_time (0).  The four kpmc reads are ri_instructions (29),
 * ri_cycles (30), ri_pinstructions (38) and ri_pcycles (39);
 * rusage_info_v4 ends with ri_runnable_time (34).  Written by position,
 * independently of the runtime's runtime/rusage_info.h, so that a field
 * the runtime reads from the wrong place reads the wrong value. */
#define RUSAGE_INFO_V4 4
#define RUSAGE_INFO_V6 6
#define RI_UUID_BYTES 16
#define RI_FIELDS_V4 35
#define RI_FIELDS_V6 56
#define RI_INSTRUCTIONS 29
#define RI_CYCLES 30
#define RI_PINSTRUCTIONS 38
#define RI_PCYCLES 39

#define MACHINE_MAGIC UINT64_C(0x6b706d6373696d31) /* "kpmcsim1" */
#define USAGE_SLOTS 1024
#define KERNEL_MAX 65536
#define SPINS_BEFORE_CHECK 4096

struct usage {
    int32_t pid; /* 0: free */
    uint32_t pad;
    uint64_t cycles, instructions, pcycles, pinstructions;
};

struct machine {
    uint64_t magic;
    _Atomic int32_t lock;  /* pid of the holder; 0: free */
    _Atomic uint32_t ready; /* the creator filled the topology */
    uint32_t kernel_stored; /* a kernel state is stored */
    uint32_t kernel_size;
    uint32_t n_cpus, n_levels;
    uint32_t level_cpus[2], e_per_l2;
    uint8_t level[SIM_MAX_CPUS];
    uint64_t cpu[SIM_MAX_CPUS][SIM_MAX_COUNTERS_PER_CPU];
    struct usage usage[USAGE_SLOTS];
    unsigned char kernel[KERNEL_MAX];
};

static struct machine *m;
static struct machine private_machine; /* without KPMC_SIM_SHARED */
static pthread_mutex_t attach_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local unsigned self_cpu;

/* $KPMC_SIM_CPUS: "P,E[,L2]" or "N" (one level). */
static int topology(struct machine *mm, char *err, size_t err_len)
{
    const char *s = getenv("KPMC_SIM_CPUS");
    unsigned long p = 1, e = 0, l2 = 0;
    if (s && *s) {
        char *end;
        p = strtoul(s, &end, 10);
        if (*end == ',')
            e = strtoul(end + 1, &end, 10);
        if (*end == ',')
            l2 = strtoul(end + 1, &end, 10);
        if (*end || p + e == 0 || p + e > SIM_MAX_CPUS || (l2 && e % l2)) {
            snprintf(err, err_len,
                     "KPMC_SIM_CPUS=%s: expected P,E[,L2] (performance and efficiency CPUs, at most %d in all; "
                     "E a multiple of L2)",
                     s, SIM_MAX_CPUS);
            return -1;
        }
    }
    mm->n_cpus = (uint32_t)(p + e);
    mm->n_levels = p && e ? 2 : 1;
    mm->level_cpus[0] = (uint32_t)(mm->n_levels == 2 ? p : p + e);
    mm->level_cpus[1] = (uint32_t)(mm->n_levels == 2 ? e : 0);
    mm->e_per_l2 = (uint32_t)(l2 ? l2 : e);
    /* Per die (one per efficiency cluster), its efficiency CPUs first. */
    unsigned dies = mm->n_levels == 2 && mm->e_per_l2 ? (unsigned)(e / mm->e_per_l2) : 1;
    if (!dies || p % dies)
        dies = 1;
    unsigned cpu = 0;
    for (unsigned d = 0; d < dies; d++) {
        for (unsigned i = 0; mm->n_levels == 2 && i < e / dies; i++)
            mm->level[cpu++] = 1;
        for (unsigned i = 0; i < (mm->n_levels == 2 ? p : p + e) / dies; i++)
            mm->level[cpu++] = 0;
    }
    return 0;
}

int sim_shared_attach(size_t kernel_size, char *err, size_t err_len)
{
    if (kernel_size > KERNEL_MAX) {
        snprintf(err, err_len, "the kernel state (%zu bytes) exceeds the shared segment's %d", kernel_size,
                 KERNEL_MAX);
        return -1;
    }
    pthread_mutex_lock(&attach_lock);
    int r = 0;
    if (m)
        goto done;
    const char *name = getenv("KPMC_SIM_SHARED");
    struct machine *mm = MAP_FAILED;
    int created = 1;
    if (name && *name) {
        int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0 && errno == EEXIST) {
            created = 0;
            fd = shm_open(name, O_RDWR, 0);
        }
        if (fd >= 0) {
            if (!created || ftruncate(fd, sizeof *mm) == 0)
                mm = mmap(NULL, sizeof *mm, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            close(fd);
        }
        if (mm == MAP_FAILED) {
            snprintf(err, err_len, "KPMC_SIM_SHARED=%s: %s", name, strerror(errno));
            r = -1;
            goto done;
        }
    } else {
        mm = &private_machine; /* zero: static */
    }
    if (created) {
        if (topology(mm, err, err_len) != 0) {
            if (name && *name) {
                munmap(mm, sizeof *mm);
                shm_unlink(name);
            }
            r = -1;
            goto done;
        }
        mm->magic = MACHINE_MAGIC;
        atomic_store(&mm->ready, 1);
    } else {
        /* Another process is creating it: wait for the topology. */
        for (int i = 0; !atomic_load(&mm->ready) && i < 100000; i++)
            sched_yield();
        if (mm->magic != MACHINE_MAGIC) {
            snprintf(err, err_len, "KPMC_SIM_SHARED=%s is not a simulated machine", name);
            munmap(mm, sizeof *mm);
            r = -1;
            goto done;
        }
    }
    m = mm;
done:
    pthread_mutex_unlock(&attach_lock);
    return r;
}

int sim_shared_is_shared(void)
{
    return m && m != &private_machine;
}

/* ---- the lock ---- */

static void lock(void)
{
    int32_t me = (int32_t)getpid();
    for (unsigned spins = 0;; spins++) {
        int32_t free_ = 0;
        if (atomic_compare_exchange_weak(&m->lock, &free_, me))
            return;
        if (spins % SPINS_BEFORE_CHECK == SPINS_BEFORE_CHECK - 1) {
            /* A process killed inside a call leaves the lock taken. */
            int32_t holder = atomic_load(&m->lock);
            if (holder && holder != me && kill(holder, 0) != 0 && errno == ESRCH &&
                atomic_compare_exchange_strong(&m->lock, &holder, me))
                return;
        }
        sched_yield();
    }
}

static void unlock(void)
{
    atomic_store(&m->lock, 0);
}

void sim_shared_lock(void *kernel, size_t size, int *fresh)
{
    lock();
    *fresh = !m->kernel_stored || m->kernel_size != size;
    if (!*fresh)
        memcpy(kernel, m->kernel, size);
}

void sim_shared_unlock(const void *kernel, size_t size)
{
    memcpy(m->kernel, kernel, size);
    m->kernel_size = (uint32_t)size;
    m->kernel_stored = 1;
    unlock();
}

void sim_shared_clear(void)
{
    m->kernel_stored = 0;
    memset(m->cpu, 0, sizeof m->cpu);
    memset(m->usage, 0, sizeof m->usage);
}

/* ---- CPUs ---- */

unsigned sim_cpu_count(void)
{
    return m ? m->n_cpus : 1;
}

int sim_cpu_level(unsigned cpu)
{
    return m && cpu < m->n_cpus ? m->level[cpu] : 0;
}

unsigned sim_cpu_self(void)
{
    return self_cpu < sim_cpu_count() ? self_cpu : 0;
}

void sim_cpu_set_self(unsigned cpu)
{
    self_cpu = cpu;
}

uint64_t *sim_cpu_counters(unsigned cpu)
{
    return m->cpu[cpu < m->n_cpus ? cpu : 0];
}

/* ---- resource usage ---- */

static struct usage *usage_of(int32_t pid, int claim)
{
    struct usage *free_slot = NULL;
    for (unsigned i = 0; i < USAGE_SLOTS; i++) {
        if (m->usage[i].pid == pid)
            return &m->usage[i];
        if (!free_slot && m->usage[i].pid == 0)
            free_slot = &m->usage[i];
    }
    if (!claim)
        return NULL;
    if (!free_slot) /* full: take one of a process that is gone */
        for (unsigned i = 0; i < USAGE_SLOTS && !free_slot; i++)
            if (kill(m->usage[i].pid, 0) != 0 && errno == ESRCH)
                free_slot = &m->usage[i];
    if (!free_slot)
        free_slot = &m->usage[(uint32_t)pid % USAGE_SLOTS];
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->pid = pid;
    return free_slot;
}

void sim_usage_add(uint64_t cycles, uint64_t instructions, int performance_core)
{
    struct usage *u = usage_of((int32_t)getpid(), 1);
    u->cycles += cycles;
    u->instructions += instructions;
    if (performance_core) {
        u->pcycles += cycles;
        u->pinstructions += instructions;
    }
}

void sim_usage_new_image(void)
{
    struct usage *u = usage_of((int32_t)getpid(), 0);
    if (u) {
        int32_t pid = u->pid;
        memset(u, 0, sizeof *u);
        u->pid = pid;
    }
}

int sim_usage_get(int pid, uint64_t *cycles, uint64_t *instructions, uint64_t *pcycles, uint64_t *pinstructions)
{
    if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
        return ESRCH;
    lock();
    struct usage *u = usage_of(pid, 0);
    *cycles = u ? u->cycles : 0;
    *instructions = u ? u->instructions : 0;
    *pcycles = u ? u->pcycles : 0;
    *pinstructions = u ? u->pinstructions : 0;
    unlock();
    return 0;
}

/* ---- libSystem's functions, as the simulated Mac answers them ---- */

int proc_pid_rusage(int pid, int flavor, void *buffer);
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

int proc_pid_rusage(int pid, int flavor, void *buffer)
{
    char err[160];
    if (sim_shared_attach(0, err, sizeof err) != 0) {
        errno = ENODEV;
        return -1;
    }
    if (flavor != RUSAGE_INFO_V4 && flavor != RUSAGE_INFO_V6) {
        errno = EINVAL;
        return -1;
    }
    if (!buffer) {
        errno = EFAULT;
        return -1;
    }
    uint64_t field[RI_FIELDS_V6] = {0}, pc, pi;
    int e = sim_usage_get(pid, &field[RI_CYCLES], &field[RI_INSTRUCTIONS], &pc, &pi);
    if (e) {
        errno = e;
        return -1;
    }
    if (flavor == RUSAGE_INFO_V6) {
        field[RI_PCYCLES] = pc;
        field[RI_PINSTRUCTIONS] = pi;
    }
    memset(buffer, 0, RI_UUID_BYTES);
    memcpy((char *)buffer + RI_UUID_BYTES, field,
           (flavor == RUSAGE_INFO_V6 ? RI_FIELDS_V6 : RI_FIELDS_V4) * sizeof field[0]);
    return 0;
}

/* Copy an int or a string answer the way sysctl does. */
static int answer(const void *value, size_t len, void *oldp, size_t *oldlenp)
{
    if (!oldlenp) {
        errno = EFAULT;
        return -1;
    }
    if (!oldp) {
        *oldlenp = len;
        return 0;
    }
    if (*oldlenp < len) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(oldp, value, len);
    *oldlenp = len;
    return 0;
}

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
    char err[160];
    (void)newlen;
    if (!name || sim_shared_attach(0, err, sizeof err) != 0) {
        errno = name ? ENODEV : EFAULT;
        return -1;
    }
    if (newp) {
        errno = EPERM;
        return -1;
    }
    int v = -1;
    unsigned level = 0;
    char field[32] = "";
    if (!strcmp(name, "hw.ncpu") || !strcmp(name, "hw.logicalcpu")) {
        v = (int)m->n_cpus;
    } else if (!strcmp(name, "hw.nperflevels")) {
        v = (int)m->n_levels;
    } else if (sscanf(name, "hw.perflevel%u.%31s", &level, field) == 2 && level < m->n_levels) {
        if (!strcmp(field, "logicalcpu") || !strcmp(field, "physicalcpu"))
            v = (int)m->level_cpus[level];
        else if (!strcmp(field, "cpusperl2"))
            v = (int)(level == 1 ? m->e_per_l2 : m->level_cpus[0]);
        else if (!strcmp(field, "name")) {
            const char *s = m->n_levels == 1 ? "Performance" : level == 0 ? "Performance" : "Efficiency";
            return answer(s, strlen(s) + 1, oldp, oldlenp);
        }
    }
    if (v < 0) {
        errno = ENOENT;
        return -1;
    }
    return answer(&v, sizeof v, oldp, oldlenp);
}
