/* Reference statistics for the measurement tests (test_measure.c,
 * test_stats.c): computed by sorting, as a second route to what
 * runtime/stats.c computes by selection. */
#ifndef KPMC_TESTS_STATS_REF_H
#define KPMC_TESTS_STATS_REF_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/measure.h>

#define STATS_REF_MAX 512

static inline int stats_ref_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0 .. n-1], n > 0, sorting v. */
static inline double stats_ref_median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], stats_ref_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* min, median, mean, sample standard deviation, MAD of in[0 .. n-1],
 * 0 < n <= STATS_REF_MAX. */
static inline kpmc_stats stats_ref(const double *in, size_t n)
{
    double v[STATS_REF_MAX], d[STATS_REF_MAX];
    kpmc_stats st = {sizeof st, 0, 0, 0, 0, 0, n};
    memcpy(v, in, n * sizeof v[0]);
    st.median = stats_ref_median(v, n);
    st.min = v[0];
    for (size_t i = 0; i < n; i++)
        st.mean += v[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        st.stddev += (v[i] - st.mean) * (v[i] - st.mean);
    st.stddev = n > 1 ? sqrt(st.stddev / (double)(n - 1)) : 0;
    for (size_t i = 0; i < n; i++)
        d[i] = fabs(v[i] - st.median);
    st.mad = stats_ref_median(d, n);
    return st;
}

/* Equal to within rounding. */
static inline int stats_ref_near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) > fabs(b) ? fabs(a) : fabs(b)) + 1e-12;
}

#endif
