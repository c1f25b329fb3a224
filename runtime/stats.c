/* Statistics of the measurements: min, median, mean, sample standard
 * deviation, median absolute deviation. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of sorted v[0 .. n-1], n > 0. */
static double median_sorted(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void kpmc_stats_of(double *v, size_t n, double *scratch, kpmc_stats *out)
{
    out->n = n;
    if (n == 0) {
        out->min = out->median = out->mean = out->stddev = out->mad = NAN;
        return;
    }
    qsort(v, n, sizeof v[0], by_value);
    out->min = v[0];
    out->median = median_sorted(v, n);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    out->mean = sum / (double)n;
    double squares = 0;
    for (size_t i = 0; i < n; i++)
        squares += (v[i] - out->mean) * (v[i] - out->mean);
    out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0;
    for (size_t i = 0; i < n; i++)
        scratch[i] = fabs(v[i] - out->median);
    qsort(scratch, n, sizeof scratch[0], by_value);
    out->mad = median_sorted(scratch, n);
}
