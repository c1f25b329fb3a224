/* kperfdata's kpep_event, 56 bytes on 64-bit targets (docs/kpc.md §6): read
 * by tests/test_macos_kperfdata.c from kpep_db_events(), written by its
 * stand-in tests/sim/kperfdata_sim.c. */
#ifndef KPMC_TESTS_KPEP_EVENT_H
#define KPMC_TESTS_KPEP_EVENT_H

#include <stdint.h>

struct kpep_event {
    const char *name;
    const char *description;
    const char *errata;
    const char *alias;
    const char *fallback;
    uint32_t mask;
    uint16_t number;
    uint8_t byte46; /* the umask, or an is-fixed flag: open (§6) */
    uint8_t byte47;
    uint8_t flags; /* bit 0: fixed */
    uint8_t reserved[7];
};
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct kpep_event) == 56, "kpep_event is 56 bytes");
#endif

#endif
