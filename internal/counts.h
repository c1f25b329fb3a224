/* kpmc internal: the word for the modes an event counted in
 * (KPMC_COUNTS_*), as the library's JSON results and the command's
 * output write it. */
#ifndef KPMC_INTERNAL_COUNTS_H
#define KPMC_INTERNAL_COUNTS_H

#include <kpmc/kpmc.h>

static inline const char *kpmc_counts_word(unsigned counts)
{
    return counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL) ? "all"
           : counts == KPMC_COUNTS_USER                     ? "user"
           : counts == KPMC_COUNTS_KERNEL                   ? "kernel"
                                                            : "none";
}

#endif
