/* Configuration words, exactly as docs/kpc-abi.md §4 lays them out. */
#include "encode.h"

#include <kpmc/kpmc.h>

/* User-only mode on arm64 sets both EL0 enables, EL0A32EN | EL0A64EN =
 * 0x30000, rather than EL0A64EN alone (kpc-abi §4 and §10.2: the two
 * kperfdata builds examined disagree on exactly this bit).  Reasons:
 *  - "user only" means EL0 in either execution state; 0x20000 alone would
 *    miss AArch32 user code on the parts that can run it (A7-A10), while on
 *    parts without AArch32 (A11 on, every Apple-silicon Mac) the extra bit
 *    is inert, so counts are the same there;
 *  - the kernel itself enables both EL0 bits for the fixed counters (it ORs
 *    0x30303 into PMCR1), so the pair is its own notion of EL0;
 *  - the selector allowlist of newer kernels checks only the low 16 bits.
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
