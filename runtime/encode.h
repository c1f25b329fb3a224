/* kpmc — configuration words for kpc_set_config (internal to the runtime).
 * The layouts are those of docs/kpc.md §4. */
#ifndef KPMC_ENCODE_H
#define KPMC_ENCODE_H

#include <stdint.h>

/* arm64 PMCR1 mode bits as kpc takes them in a configuration word. */
#define KPMC_ARM64_EL0A32EN 0x10000u
#define KPMC_ARM64_EL0A64EN 0x20000u
#define KPMC_ARM64_EL1EN 0x40000u
/* What KPMC_MODE_USER adds on arm64 (see encode.c for the choice). */
#define KPMC_ARM64_USER_BITS (KPMC_ARM64_EL0A32EN | KPMC_ARM64_EL0A64EN)

/* x86_64 IA32_PERFEVTSELx bits. */
#define KPMC_X86_USR 0x10000u
#define KPMC_X86_OS 0x20000u
#define KPMC_X86_EN 0x400000u
/* The part of a plist `other` value (PERFEVTSEL bits 16-31) kpmc keeps:
 * EDGE (bit 18), INV (bit 23) and CMASK (bits 24-31).  USR and OS come from
 * the mode; PC, INT, ANY and EN are dropped (the kernel sets EN and INT and
 * strips ANY and PC). */
#define KPMC_X86_OTHER_KEEP 0xFF84u

/* arm64: the selector (16 bits) plus the mode bits: nothing for
 * KPMC_MODE_ALL, KPMC_ARM64_USER_BITS for KPMC_MODE_USER. */
uint64_t kpmc_encode_arm64(unsigned number, int mode);

/* x86_64: number | umask << 8 | kept `other` bits << 16 | USR | OS | EN.
 * USR is always asked for and OS only in KPMC_MODE_ALL; when the event has
 * an `other` value, each is kept only if `other` sets it too (bit 0 USR,
 * bit 1 OS).  The result may have neither USR nor OS set (an event that
 * counts the kernel only, asked for in user mode): it then counts nothing,
 * and the caller should refuse it. */
uint64_t kpmc_encode_x86(unsigned number, unsigned umask, int has_other, unsigned other, int mode);

#endif
