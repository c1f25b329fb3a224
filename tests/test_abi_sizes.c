/* The size convention of the structs the library fills (<kpmc/catalog.h>):
 * for every such call, a size below the first release's struct (its bytes
 * up to its last field, computed here from the header) is refused with
 * KPMC_E_INVAL and nothing is written; exactly that size is filled and
 * nothing beyond it; a caller's struct larger than the library's (a program
 * built against later headers) gets the library's struct, size set to it,
 * and nothing beyond. */
#include <stddef.h>

#include <kpmc/measure.h>

#include "plan_test.h"

/* A call that fills *out. */
typedef int (*fill_fn)(void *out);

static const kpmc_db *a14;
static kpmc_plan *plan;
static kpmc_groups *groups;

static int stats_of_three(void *out)
{
    double v[3] = {3, 1, 2}, scratch[3];
    return kpmc_stats_of(v, 3, scratch, out);
}

/* Each call that fills a struct: its name, the call (filling `out`), the
 * struct, and the struct's last field in the first release. */
#define FILLS(X)                                                                               \
    X(db_get, kpmc_db_get(a14, out), kpmc_db_info, chips)                                      \
    X(event_get, kpmc_event_get(a14, 3, out), kpmc_event_info, n_aliases)                      \
    X(db_family, kpmc_db_family(a14, 0, out), kpmc_family_info, codename)                      \
    X(family_at, kpmc_family_at(0, out), kpmc_family_info, codename)                           \
    X(generic_get, kpmc_generic_get(0, out), kpmc_generic_info, description)                   \
    X(chip_at, kpmc_chip_at(0, out), kpmc_chip_info, db)                                       \
    X(metric_at, kpmc_metric_at(0, out), kpmc_metric_info, scale)                              \
    X(plan_get, kpmc_plan_get(plan, out), kpmc_plan_info, n_counters)                          \
    X(plan_event_get, kpmc_plan_event_get(plan, 1, out), kpmc_plan_event, counts)              \
    X(groups_get, kpmc_groups_get(groups, 0, out), kpmc_group_info, input)                     \
    X(kernel_profile, kpmc_kernel_profile(out, "15", a14), kpmc_kernel, config_counters)       \
    X(stats_of, stats_of_three(out), kpmc_stats, n)

#define FILL_FN(name, call, type, last) static int fill_##name(void *out) { return call; }
FILLS(FILL_FN)

#define ROOM 64
union buffer {
    max_align_t align;
    unsigned char b[512 + ROOM];
};

/* Fill a buffer of `size` bytes (the rest 0xA5) with fn; 1 when every byte
 * from `untouched` on is still 0xA5. */
static int call(fill_fn fn, union buffer *u, size_t size, size_t untouched, int *rc)
{
    memset(u->b, 0xA5, sizeof u->b);
    memcpy(u->b, &size, sizeof size);
    *rc = fn(u->b);
    for (size_t i = untouched; i < sizeof u->b; i++)
        if (u->b[i] != 0xA5)
            return 0;
    return 1;
}

static size_t size_of(const union buffer *u)
{
    size_t s;
    memcpy(&s, u->b, sizeof s);
    return s;
}

/* min: the bytes up to the struct's last field; last_off, last_size: that
 * field, compared between a full and a minimal call. */
static void check_out(const char *what, fill_fn fn, size_t full, size_t last_off, size_t last_size)
{
    size_t min = last_off + last_size;
    union buffer whole, least, later;
    int rc;
    CHECK(full + ROOM <= sizeof whole.b, "%s: struct of %zu bytes", what, full);
    CHECK(call(fn, &whole, full, full, &rc) && rc == 0 && size_of(&whole) == full, "%s: sizeof: %d, size %zu", what,
          rc, size_of(&whole));
    CHECK(call(fn, &least, min, min, &rc) && rc == 0 && size_of(&least) == min, "%s: %zu bytes: %d, size %zu", what,
          min, rc, size_of(&least));
    CHECK(!memcmp(whole.b + last_off, least.b + last_off, last_size), "%s: the last field differs", what);
    CHECK(call(fn, &later, min - 1, sizeof(size_t), &rc) && rc == KPMC_E_INVAL && size_of(&later) == min - 1,
          "%s: %zu bytes, one short: %d", what, min - 1, rc);
    CHECK(call(fn, &later, 0, sizeof(size_t), &rc) && rc == KPMC_E_INVAL, "%s: size 0: %d", what, rc);
    CHECK(call(fn, &later, full + ROOM, full, &rc) && rc == 0 && size_of(&later) == full &&
              !memcmp(whole.b + last_off, later.b + last_off, last_size),
          "%s: a larger struct: %d, size %zu", what, rc, size_of(&later));
    CHECK(fn(NULL) == KPMC_E_INVAL, "%s: NULL", what);
}

#define FILL_CHECK(name, call, type, last)                                                     \
    check_out(#name, fill_##name, sizeof(type), offsetof(type, last), sizeof(((type *)0)->last));

int main(void)
{
    a14 = kpmc_db_find("a14");
    const char *names[] = {"Cycles", "INST_BRANCH", "INST_LDST"};
    if (!a14 || kpmc_plan_new(&plan) != 0 || kpmc_plan_build_names(plan, a14, names, 3, KPMC_MODE_ALL, NULL, 0) != 0 ||
        kpmc_groups_build(&groups, a14, names, 3, NULL, 0, KPMC_MODE_ALL, NULL, 0) != 1) {
        fprintf(stderr, "a14, its plan or its groups are missing\n");
        return 1;
    }
    FILLS(FILL_CHECK)

    /* Accessors of the opaque plan and groups out of range. */
    kpmc_plan_event e = {.size = sizeof e};
    kpmc_plan_info pi = {.size = sizeof pi};
    CHECK(kpmc_plan_event_get(plan, 3, &e) == KPMC_E_INVAL && kpmc_plan_event_get(NULL, 0, &e) == KPMC_E_INVAL &&
              kpmc_plan_get(NULL, &pi) == KPMC_E_INVAL,
          "plan accessors out of range");
    CHECK(kpmc_plan_new(NULL) == KPMC_E_INVAL, "kpmc_plan_new(NULL)");
    kpmc_plan *empty;
    CHECK(kpmc_plan_new(&empty) == 0 && kpmc_plan_get(empty, &pi) == 0 && pi.n_events == 0 && pi.db == NULL &&
              kpmc_plan_event_get(empty, 0, &e) == KPMC_E_INVAL,
          "a new plan is empty");
    /* A failed build empties the plan. */
    const char *unknown[] = {"Cycles", "NO_SUCH_EVENT"};
    CHECK(kpmc_plan_build_names(plan, a14, unknown, 2, KPMC_MODE_ALL, NULL, 0) == KPMC_E_NOEVENT &&
              kpmc_plan_get(plan, &pi) == 0 && pi.n_events == 0,
          "a failed build leaves %u events", pi.n_events);
    kpmc_plan_free(empty);
    kpmc_plan_free(plan);
    kpmc_plan_free(NULL);
    kpmc_groups_free(groups);
    return check_result("abi.sizes (12 calls that fill a struct)");
}
