/* Statistics of the measurements: min, median, mean, sample standard
 * deviation, median absolute deviation.  Medians by selection (Hoare's
 * partition around a median of three), linear on average, rather than by
 * sorting: a run's statistics stay small next to the run itself. */
#include <kpmc/measure.h>

#include <math.h>
#include <stddef.h>

#include <kpmc/error.h>

#include "outstruct.h"

/* Reorder v[0 .. n-1] (n > 0) so that v[k] is the value a sort would put
 * there, with nothing larger before it and nothing smaller after it. */
static void select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;
    while (lo < hi) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        ptrdiff_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        /* v[lo .. j] <= pivot <= v[i .. hi], and between them the pivot */
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return;
    }
}

/* The median of v[0 .. n-1] (n > 0), reordering it. */
static double median_of(double *v, size_t n)
{
    size_t k = n / 2;
    select_kth(v, n, k);
    if (n % 2)
        return v[k];
    double below = v[0]; /* the largest of v[0 .. k-1], all <= v[k] */
    for (size_t i = 1; i < k; i++)
        below = v[i] > below ? v[i] : below;
    return (below + v[k]) / 2;
}

int kpmc_stats_of(double *v, size_t n, double *scratch, kpmc_stats *res)
{
    if (!kpmc_out_ok(res, KPMC_SIZE_TO(kpmc_stats, n)))
        return KPMC_E_INVAL;
    kpmc_stats full = {.size = sizeof full}, *out = &full;
    out->n = n;
    if (n == 0) {
        out->min = out->median = out->mean = out->stddev = out->mad = NAN;
        return kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_stats, n));
    }
    double min = v[0], sum = 0;
    for (size_t i = 0; i < n; i++) {
        min = v[i] < min ? v[i] : min;
        sum += v[i];
    }
    out->min = min;
    out->mean = sum / (double)n;
    double squares = 0;
    for (size_t i = 0; i < n; i++)
        squares += (v[i] - out->mean) * (v[i] - out->mean);
    out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0;
    out->median = median_of(v, n);
    for (size_t i = 0; i < n; i++)
        scratch[i] = fabs(v[i] - out->median);
    out->mad = median_of(scratch, n);
    return kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_stats, n));
}
