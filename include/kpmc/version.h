/* kpmc — version numbers.
 *
 * KPMC_VERSION_* describe the release; KPMC_ABI_VERSION the binary
 * interface of libkpmc.so, which is its SOVERSION: it changes whenever a
 * public struct layout, an enum value or a function signature changes
 * incompatibly.  This header is the one home of both: CMake reads them from
 * here.
 */
#ifndef KPMC_VERSION_H
#define KPMC_VERSION_H

#include <kpmc/export.h>

#define KPMC_VERSION_MAJOR 0
#define KPMC_VERSION_MINOR 2
#define KPMC_VERSION_PATCH 0
#define KPMC_ABI_VERSION 1

#define KPMC_VERSION_HEX                                                     \
    ((KPMC_VERSION_MAJOR << 16) | (KPMC_VERSION_MINOR << 8) | KPMC_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* KPMC_VERSION_HEX of the library that is running (which may differ from
 * the headers a program was compiled with). */
KPMC_API unsigned kpmc_version(void);
/* "MAJOR.MINOR.PATCH" of the library that is running. */
KPMC_API const char *kpmc_version_string(void);

#ifdef __cplusplus
}
#endif

#endif
