/* kpmc_stats_of (runtime/stats.c) against statistics computed here by
 * sorting: random samples of every size up to 300, with many ties, all
 * equal, and a hand-worked case. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int failures;

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            failures++;                                                           \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
        }                                                                         \
    } while (0)

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double sorted_median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fabs(b) + 1e-12;
}

int main(void)
{
    double v[300], copy[300], dev[300], scratch[300];
    kpmc_stats st;
    /* by hand: 1 2 3 4 10 -> median 3, mean 4, sd sqrt(50 / 4), MAD median(2 1 0 1 7) = 1 */
    double hand[] = {10, 2, 4, 1, 3};
    kpmc_stats_of(hand, 5, scratch, &st);
    CHECK(st.n == 5 && st.min == 1 && st.median == 3 && st.mean == 4 && near(st.stddev, sqrt(12.5)) && st.mad == 1,
          "by hand: %g %g %g %g %g", st.min, st.median, st.mean, st.stddev, st.mad);
    kpmc_stats_of(hand, 0, scratch, &st);
    CHECK(st.n == 0 && isnan(st.median) && isnan(st.min), "empty");
    double one = 7;
    kpmc_stats_of(&one, 1, scratch, &st);
    CHECK(st.n == 1 && st.median == 7 && st.stddev == 0 && st.mad == 0, "one value");

    unsigned seed = 12345;
    for (unsigned round = 0; round < 3000; round++) {
        size_t n = 1 + round % 300;
        unsigned spread = round % 3 == 0 ? 3 : round % 3 == 1 ? 1000 : 1; /* ties, few ties, all equal */
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = (double)((seed >> 8) % spread) * 0.5 - 100;
        }
        memcpy(copy, v, n * sizeof v[0]);
        kpmc_stats_of(v, n, scratch, &st);
        double median = sorted_median(copy, n), sum = 0, sq = 0;
        for (size_t i = 0; i < n; i++)
            sum += copy[i];
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++) {
            sq += (copy[i] - mean) * (copy[i] - mean);
            dev[i] = fabs(copy[i] - median);
        }
        double mad = sorted_median(dev, n);
        CHECK(st.n == n && st.min == copy[0] && st.median == median && near(st.mean, mean) &&
                  near(st.stddev, n > 1 ? sqrt(sq / (double)(n - 1)) : 0) && st.mad == mad,
              "round %u (n %zu): %g %g %g %g %g, want %g %g %g %g", round, n, st.min, st.median, st.mean, st.stddev,
              st.mad, copy[0], median, mean, mad);
        qsort(v, n, sizeof v[0], cmp);
        CHECK(!memcmp(v, copy, n * sizeof v[0]), "round %u: the values changed, not only their order", round);
    }
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    else
        printf("ok\n");
    return failures != 0;
}
