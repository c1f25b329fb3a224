/* What `kpmc stat` and the library it injects into the command
 * (libkpmc_stat_inject, tools/stat_inject.c) share: the environment
 * variables that connect them and the layout of the shared-memory segment
 * where every thread of the command and of its children leaves its counter
 * totals.
 *
 * kpmc stat creates the segment (shm_open + ftruncate + mmap), fills the
 * header and starts the command with the library injected
 * (DYLD_INSERT_LIBRARIES on macOS, LD_PRELOAD elsewhere).  Every process
 * image that loads the library claims an image number; every thread it
 * learns of claims a slot (an atomic counter hands them out, no lock) and,
 * when the thread ends, when its process exits or before it execs, reads its
 * own counters with kpc_get_thread_counters(0, ...) into the slot.  After
 * the command has ended kpmc stat sums the slots that hold a reading.
 *
 * Slot states move forward only, by compare-and-swap, so that a thread that
 * ends while its process exits is read exactly once:
 *   FREE -> LIVE (registered) -> BUSY (being read) -> DONE | FAILED;
 *   LIVE -> BUSY -> EXEC (read before an exec) -> BUSY -> DONE | FAILED
 *   (the exec failed and the thread went on; its later reading replaces the
 *   earlier one, which is fine: kernel counters only grow).
 * A slot left LIVE belongs to a thread that never reported: its process was
 * killed, called _exit, or the thread did not answer at exit. */
#ifndef KPMC_TOOLS_STAT_SHM_H
#define KPMC_TOOLS_STAT_SHM_H

#include <stdatomic.h>
#include <stdint.h>

/* The segment's name (for shm_open) and the kperf library to load: the one
 * kpmc stat's session loaded. */
#define KPMC_STAT_ENV_SHM "KPMC_STAT_SHM"
#define KPMC_STAT_ENV_KPERF "KPMC_STAT_KPERF"

#define KPMC_STAT_MAGIC UINT64_C(0x6b706d6373746174) /* "kpmcstat" */
#define KPMC_STAT_LAYOUT 1u
/* Values per reading: at least the kpc buffer of any database (fixed and
 * configurable counters together). */
#define KPMC_STAT_MAX_VALUES 16u
/* Slots in a segment: threads kpmc stat can follow in one run.  Only the
 * pages of slots in use are ever touched. */
#define KPMC_STAT_SLOTS 65536u

enum kpmc_stat_slot_state {
    KPMC_STAT_FREE = 0,
    KPMC_STAT_LIVE = 1,
    KPMC_STAT_BUSY = 2,
    KPMC_STAT_EXEC = 3,
    KPMC_STAT_DONE = 4,
    KPMC_STAT_FAILED = 5
};

struct kpmc_stat_slot {
    _Atomic uint32_t state; /* enum kpmc_stat_slot_state */
    int32_t pid;            /* the process of the thread */
    uint32_t image;         /* the library load (process image) that registered it */
    int32_t err;            /* errno of a failed reading (FAILED) */
    uint64_t thread;        /* its pthread_t, meaningful inside that image only */
    uint64_t values[KPMC_STAT_MAX_VALUES]; /* the kpc buffer as read */
};

struct kpmc_stat_shm {
    /* Written by kpmc stat before the command starts. */
    uint64_t magic;    /* KPMC_STAT_MAGIC */
    uint32_t layout;   /* KPMC_STAT_LAYOUT */
    uint32_t n_values; /* values each reading takes: the set's kpc buffer */
    uint32_t n_slots;  /* slots[] entries */
    uint32_t reserved;
    /* Updated by the injected library. */
    _Atomic uint32_t next_slot;  /* slots handed out (may pass n_slots) */
    _Atomic uint32_t images;     /* library loads: processes and exec'd images */
    _Atomic uint32_t no_kperf;   /* images that could not load kperf */
    _Atomic uint32_t no_answer;  /* threads that did not answer at exit in time */
    _Atomic uint32_t error_set;  /* 1 once error[] holds the first load error */
    char error[220];             /* why kperf could not be loaded, first image */
    struct kpmc_stat_slot slots[];
};

#define KPMC_STAT_SHM_SIZE(n_slots) \
    (sizeof(struct kpmc_stat_shm) + (size_t)(n_slots) * sizeof(struct kpmc_stat_slot))

#endif
