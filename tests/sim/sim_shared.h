/* The simulated machine shared by every process that loads the simulator
 * (see kpmc_sim.h, "Shared kernel"): the kernel state in a POSIX
 * shared-memory segment named by $KPMC_SIM_SHARED, the CPUs and their
 * performance levels, each CPU's counters, and each process's resource
 * usage (proc_pid_rusage).  Without $KPMC_SIM_SHARED the same holds for the
 * one process: a private segment.  Internal to the simulator. */
#ifndef KPMC_SIM_SHARED_H
#define KPMC_SIM_SHARED_H

#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_CPUS 64
#define SIM_MAX_COUNTERS_PER_CPU 32

/* Map the machine (creating it when this process is the first); `kernel`
 * is the size of the kernel state the simulator keeps.  Returns 0, or -1
 * with a sentence in err. */
int sim_shared_attach(size_t kernel_size, char *err, size_t err_len);

/* 1 when the machine is shared between processes ($KPMC_SIM_SHARED). */
int sim_shared_is_shared(void);

/* Take the machine's lock and copy the shared kernel state into `kernel`;
 * *fresh is 1 when no process has stored a kernel state yet (the caller
 * then initialises `kernel` itself).  Not async-signal-safe. */
void sim_shared_lock(void *kernel, size_t size, int *fresh);
/* Store `kernel` as the shared state and release the lock. */
void sim_shared_unlock(const void *kernel, size_t size);
/* Forget the stored kernel state, every CPU's counters and every process's
 * usage (kpmc_sim_reset); under the lock. */
void sim_shared_clear(void);

/* The CPUs ($KPMC_SIM_CPUS = "P,E[,L2]": P performance and E efficiency
 * CPUs, efficiency clusters of L2 CPUs, numbered per die E first; default
 * one CPU, one level).  Under the lock or not. */
unsigned sim_cpu_count(void);
/* 0 performance, 1 efficiency. */
int sim_cpu_level(unsigned cpu);
/* The calling thread's CPU (kpmc_sim_set_cpu; 0 by default). */
unsigned sim_cpu_self(void);
void sim_cpu_set_self(unsigned cpu);
/* CPU cpu's counters, indexed by global counter index; under the lock. */
uint64_t *sim_cpu_counters(unsigned cpu);

/* Add to the calling process's resource usage; under the lock. */
void sim_usage_add(uint64_t cycles, uint64_t instructions, int performance_core);
/* The resource usage of process pid (0s for a live process that did no
 * simulated work); errno value ESRCH when there is no such process.  Takes
 * the lock. */
int sim_usage_get(int pid, uint64_t *cycles, uint64_t *instructions, uint64_t *pcycles, uint64_t *pinstructions);
/* The calling process starts afresh (a new image after exec, or a forked
 * child): its usage goes back to 0.  Under the lock. */
void sim_usage_new_image(void);

#endif
