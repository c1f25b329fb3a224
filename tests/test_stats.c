/* kpmc_stats_of (runtime/stats.c) against statistics computed by sorting
 * (stats_ref.h): random samples of every size up to 300, with many ties,
 * all equal, and a hand-worked case. */
#include "plan_test.h"
#include "stats_ref.h"

int main(void)
{
    double v[300], copy[300], scratch[300];
    kpmc_stats st = {.size = sizeof st};
    /* by hand: 1 2 3 4 10 -> median 3, mean 4, sd sqrt(50 / 4), MAD median(2 1 0 1 7) = 1 */
    double hand[] = {10, 2, 4, 1, 3};
    kpmc_stats_of(hand, 5, scratch, &st);
    CHECK(st.n == 5 && st.min == 1 && st.median == 3 && st.mean == 4 && stats_ref_near(st.stddev, sqrt(12.5)) &&
              st.mad == 1,
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
        kpmc_stats want = stats_ref(copy, n);
        CHECK(st.n == n && st.min == want.min && st.median == want.median && stats_ref_near(st.mean, want.mean) &&
                  stats_ref_near(st.stddev, want.stddev) && st.mad == want.mad,
              "round %u (n %zu): %g %g %g %g %g, want %g %g %g %g %g", round, n, st.min, st.median, st.mean,
              st.stddev, st.mad, want.min, want.median, want.mean, want.stddev, want.mad);
        /* the same values, reordered */
        qsort(copy, n, sizeof copy[0], stats_ref_cmp);
        qsort(v, n, sizeof v[0], stats_ref_cmp);
        CHECK(!memcmp(v, copy, n * sizeof v[0]), "round %u: the values changed, not only their order", round);
    }
    return check_result("test_stats");
}
