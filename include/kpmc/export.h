/* kpmc — KPMC_API marks every function of the public interface.
 *
 * libkpmc is built with hidden visibility: only what a public header
 * declares with KPMC_API is exported from the shared library.
 */
#ifndef KPMC_EXPORT_H
#define KPMC_EXPORT_H

#if defined(KPMC_BUILDING) && defined(__GNUC__)
#define KPMC_API __attribute__((visibility("default")))
#else
#define KPMC_API
#endif

#endif
