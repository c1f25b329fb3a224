/* Configuration words, exactly as docs/kpc.md §4 lays them out. */
#include "encode.h"

#include <kpmc/kpmc.h>

/* User-only mode on arm64 sets both EL0 enables, EL0A32EN | EL0A64EN =
 * 0x30000 (why: docs/kpc.md §4; what kperfdata does is open, §10 item 2).
 * KPMC_MODE_ALL adds no bit: a non-zero word with every mode bit clear
 * counts in all modes, as kperfdata's flag 0 does. */
uint64_t kpmc_encode_arm64(unsigned number, int mode)
{
    uint64_t word = number & 0xFFFFu;
    if (mode == KPMC_MODE_USER)
        word |= KPMC_ARM64_USER_BITS;
    return word;
}

uint64_t kpmc_encode_x86(unsigned number, unsigned umask, int has_other, unsigned other, int mode)
{
    uint64_t rings = KPMC_X86_USR | (mode == KPMC_MODE_USER ? 0u : KPMC_X86_OS);
    uint64_t kept = 0;
    if (has_other) {
        /* other's own USR (bit 0) and OS (bit 1) at their PERFEVTSEL place */
        rings &= (uint64_t)(other & 0x3u) << 16;
        kept = (uint64_t)(other & KPMC_X86_OTHER_KEEP) << 16;
    }
    return (uint64_t)(number & 0xFFFFu) | (uint64_t)(umask & 0xFFu) << 8 | kept | rings | KPMC_X86_EN;
}
