/* Derived metrics (metrics.c): binding a metric's inputs to the events of
 * a measurement.  Internal. */
#ifndef KPMC_RUNTIME_METRICS_H
#define KPMC_RUNTIME_METRICS_H

#include <kpmc/measure.h>

/* For metric i: the positions in counted[0 .. n-1] (the events a
 * measurement counts, as database indices) of its numerator and denominator.
 * 1 when both bind, else 0. */
int kpmc_metric_bind(size_t i, const kpmc_db *db, int mode, const unsigned *counted, size_t n,
                     size_t *numerator, size_t *denominator);

#endif
