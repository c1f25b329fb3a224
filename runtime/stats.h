/* Statistics of a sample of values (stats.c).  Internal. */
#ifndef KPMC_RUNTIME_STATS_H
#define KPMC_RUNTIME_STATS_H

#include <kpmc/measure.h>

/* kpmc_stats_of is public: <kpmc/measure.h>. */

#endif
