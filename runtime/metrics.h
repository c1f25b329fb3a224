/* Derived metrics (metrics.c): binding a metric's inputs to the events of
 * a measurement.  Internal. */
#ifndef KPMC_RUNTIME_METRICS_H
#define KPMC_RUNTIME_METRICS_H

#include <kpmc/measure.h>

/* kpmc_metric_bind is public: <kpmc/measure.h>. */

#endif
