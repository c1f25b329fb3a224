/* kpmc stat: running the command once — the shared-memory segment the
 * injected library fills, the command's environment, starting it, waiting
 * for it (the zombie is inspected before it is reaped), signals. */
#ifndef KPMC_TOOLS_STAT_RUN_H
#define KPMC_TOOLS_STAT_RUN_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "stat_shm.h"

/* ---- signals ---- */

/* Catch SIGINT, SIGTERM, SIGHUP and SIGQUIT for the whole of kpmc stat: a
 * signal another process sends to kpmc stat is passed on to the running
 * command (a terminal's Ctrl-C reaches the command by itself), and no
 * further run starts.  stat_signal() is the first signal caught, or 0. */
void stat_signals_install(void);
int stat_signal(void);

/* ---- the shared segment ---- */

struct stat_segment {
    char name[64];
    struct kpmc_stat_shm *shm;
    size_t size;
};

/* Create and map a fresh segment for readings of n_values values; on
 * failure write a sentence into err and return -1. */
int stat_segment_create(struct stat_segment *seg, unsigned n_values, char *err, size_t err_len);
/* Unmap and remove it (safe on a segment never created). */
void stat_segment_destroy(struct stat_segment *seg);

/* ---- the injected library ---- */

/* The path of libkpmc_stat_inject: $KPMC_STAT_INJECT, else next to the
 * kpmc executable, else in the library folder of its installation.  0, or
 * -1 with a sentence naming where it looked. */
int stat_inject_path(char *buf, size_t len, char *err, size_t err_len);

/* ---- one run ---- */

struct stat_child {
    pid_t pid;
    int64_t start_ns, end_ns; /* CLOCK_MONOTONIC around the command's life */
    sigset_t mask;            /* kpmc's signal mask outside the wait */
};

/* Start argv[0] (searched in PATH) with the current environment, plus,
 * when inject_lib is not NULL, the injected library and the variables that
 * connect it to kpmc stat (segment name, kperf path).  Returns 0, or the
 * errno of the failed start (ENOENT, EACCES, ...). */
int stat_spawn(struct stat_child *c, char *const argv[], const char *inject_lib, const char *segment,
               const char *kperf_path);
/* Wait until the command has ended, leaving it a zombie (waitid WNOWAIT)
 * so its resource usage can still be read; sets end_ns. */
void stat_wait_ended(struct stat_child *c);
/* Reap it; returns its exit status as a shell reports it (128 + signal
 * when a signal killed it) and the signal in *sig (0 if none). */
int stat_reap(struct stat_child *c, int *sig);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t stat_now_ns(void);

#endif
