/* Statistics of a sample of values (stats.c).  Internal. */
#ifndef KPMC_RUNTIME_STATS_H
#define KPMC_RUNTIME_STATS_H

#include <kpmc/measure.h>

/* The statistics of v[0 .. n-1] (reordered in place; scratch holds n values).
 * n = 0: every field NaN but n.  No allocation. */
void kpmc_stats_of(double *v, size_t n, double *scratch, kpmc_stats *out);

#endif
