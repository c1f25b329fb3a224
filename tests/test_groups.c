/* kpmc_groups_build: the fewest groups, checked against an exhaustive
 * search on random small cases of every database, then by hand.
 *
 * The exhaustive side knows nothing of the branch and bound: it asks
 * whether the anchors plus each subset of the events fit (on databases,
 * kpmc_plan_build_names; on random counter masks, which unlike the
 * databases' nest in no order, a backtracking search of its own), then finds
 * the minimum partition by dynamic programming over all subsets (3^n
 * steps). */
#include <stdint.h>

#include "plan_test.h"
#include "sim/bits_ref.h"

#include <kpmc/measure.h>

#include "groups.h"
#include "plan_view.h"

#define MAXN 10

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static int same(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Does the set anchors + the events of `subset` fit? */
static int fits(const kpmc_db *db, int mode, const char *const *anchors, size_t na, const char *const *ev,
                unsigned subset)
{
    const char *names[KPMC_MAX_EVENTS + MAXN];
    size_t k = 0;
    for (size_t j = 0; j < na; j++)
        names[k++] = anchors[j];
    for (unsigned i = 0; i < MAXN; i++)
        if (subset >> i & 1u)
            names[k++] = ev[i];
    if (k > KPMC_MAX_EVENTS)
        return 0;
    struct plan_view p;
    return view_build_names(&p, db, NULL, names, k, mode, NULL, 0) == 0;
}

static unsigned char ok[1u << MAXN];

/* The least number of blocks, every block fitting (ok[block]): best[s] over
 * subsets s. */
static unsigned min_partition(unsigned n)
{
    static unsigned best[1u << MAXN];
    best[0] = 0;
    for (unsigned s = 1; s < (1u << n); s++) {
        unsigned low = s & (~s + 1u), rest = s & ~low;
        best[s] = ~0u;
        /* every block holding the lowest event: low | a subset of rest */
        for (unsigned sub = rest;; sub = (sub - 1) & rest) {
            unsigned block = low | sub;
            if (ok[block] && best[s & ~block] != ~0u && best[s & ~block] + 1 < best[s])
                best[s] = best[s & ~block] + 1;
            if (!sub)
                break;
        }
    }
    return best[(1u << n) - 1];
}

static unsigned minimum(const kpmc_db *db, int mode, const char *const *anchors, size_t na, const char *const *ev,
                        unsigned n)
{
    for (unsigned s = 1; s < (1u << n); s++)
        ok[s] = (unsigned char)fits(db, mode, anchors, na, ev, s);
    return min_partition(n);
}

/* Can masks[0 .. n-1] take distinct counters?  Plain backtracking. */
static int assignable(const uint32_t *masks, unsigned n, uint32_t used)
{
    if (n == 0)
        return 1;
    for (uint32_t c = masks[0] & ~used; c; c &= c - 1)
        if (assignable(masks + 1, n - 1, used | (c & (~c + 1u))))
            return 1;
    return 0;
}

static int masks_fit(const uint32_t *anchors, unsigned na, const uint32_t *masks, unsigned subset)
{
    uint32_t all[2 * MAXN];
    unsigned k = 0;
    for (unsigned j = 0; j < na; j++)
        all[k++] = anchors[j];
    for (unsigned i = 0; i < MAXN; i++)
        if (subset >> i & 1u)
            all[k++] = masks[i];
    return assignable(all, k, 0);
}

/* Random masks over 2 to 6 counters against the exhaustive search. */
static void random_masks(void)
{
    unsigned cases = 0, beyond_bound = 0;
    for (unsigned round = 0; round < 8000; round++) {
        unsigned counters = 2 + rnd(5);
        uint32_t full = (1u << counters) - 1;
        uint32_t anchors[2];
        unsigned na = rnd(3);
        for (unsigned j = 0; j < na; j++)
            anchors[j] = 1u + rnd(full);
        if (!masks_fit(anchors, na, NULL, 0))
            continue;
        uint32_t masks[MAXN];
        unsigned n = 0, want = 1 + rnd(MAXN);
        for (unsigned tries = 0; n < want && tries < 100; tries++) {
            /* two or three counters per mask, so that groups are needed
             * and the masks overlap without nesting */
            uint32_t x = (1u << rnd(counters)) | (1u << rnd(counters)) | (rnd(3) ? 0 : 1u << rnd(counters));
            masks[n] = x;
            if (masks_fit(anchors, na, masks, 1u << n))
                n++;
        }
        for (unsigned s = 1; s < (1u << n); s++)
            ok[s] = (unsigned char)masks_fit(anchors, na, masks, s);
        unsigned expect = min_partition(n);
        size_t group_of[MAXN];
        size_t got = kpmc_groups_search(masks, n, anchors, na, group_of);
        CHECK(got == expect, "masks round %u: %zu groups, the exhaustive search needs %u", round, got, expect);
        for (size_t g = 0; g < got; g++) {
            unsigned block = 0;
            for (unsigned i = 0; i < n; i++)
                if (group_of[i] == g)
                    block |= 1u << i;
            CHECK(block && ok[block], "masks round %u: group %zu (0x%x) does not fit", round, g, block);
        }
        for (unsigned i = 0; i < n; i++)
            CHECK(group_of[i] < got, "masks round %u: mask %u in group %zu of %zu", round, i, group_of[i], got);
        cases++;
        /* cases where first fit, most constrained first, is not enough */
        unsigned order[MAXN], greedy = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned k = i;
            while (k > 0 && popcount32(masks[order[k - 1]]) > popcount32(masks[i])) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        {
            unsigned blocks[MAXN] = {0};
            for (unsigned k = 0; k < n; k++) {
                unsigned i = order[k], b = 0;
                while (b < greedy && !ok[blocks[b] | 1u << i])
                    b++;
                if (b == greedy)
                    greedy++;
                blocks[b] |= 1u << i;
            }
        }
        beyond_bound += greedy > expect;
    }
    printf("random masks: %u cases compared with the exhaustive search, %u where first fit needs more groups\n",
           cases, beyond_bound);
    CHECK(cases > 7000 && beyond_bound > 40, "too few informative cases: %u, %u", cases, beyond_bound);
}

/* An event worth drawing: half the time one that may use few counters. */
static const char *draw_event(const kpmc_db *db, const kpmc_db_info *d)
{
    for (;;) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, rnd((unsigned)d->n_events), &e);
        unsigned width = popcount32(e.counters & (d->config_counters | d->fixed_counters));
        if (rnd(2) || width <= 3)
            return e.name;
    }
}

/* Everything kpmc_groups_build promises about its output, beyond the count. */
static void check_groups(const kpmc_db *db, int mode, const char *const *anchors, size_t na, const char *const *ev,
                         unsigned n, const struct group_view *g, int count, const char *what)
{
    unsigned seen = 0;
    size_t last_first = 0;
    for (int k = 0; k < count; k++) {
        CHECK(g[k].n_anchors == na && g[k].n == g[k].plan.n_events, "%s: group %d sizes", what, k);
        for (size_t j = 0; j < na; j++)
            CHECK(g[k].names[j] == anchors[j] && g[k].input[j] == j, "%s: group %d anchor %zu", what, k, j);
        size_t prev = 0;
        for (size_t i = na; i < g[k].n; i++) {
            size_t in = g[k].input[i];
            CHECK(in < n && g[k].names[i] == ev[in], "%s: group %d member %zu", what, k, i);
            CHECK(i == na || in > prev, "%s: group %d not in the caller's order", what, k);
            CHECK(!(seen >> in & 1u), "%s: event %zu in two groups", what, in);
            seen |= 1u << in;
            prev = in;
        }
        if (g[k].n > na) {
            CHECK(k == 0 || g[k].input[na] > last_first, "%s: groups not ordered by first event", what);
            last_first = g[k].input[na];
        }
        struct plan_view p;
        int r = view_build_names(&p, db, NULL, g[k].names, g[k].n, mode, NULL, 0);
        CHECK(r == 0 && memcmp(&p, &g[k].plan, sizeof p) == 0, "%s: group %d's plan is not kpmc_plan_build_names'",
              what, k);
    }
    CHECK(seen == (1u << n) - 1, "%s: events placed 0x%x of 0x%x", what, seen, (1u << n) - 1);
}

static void random_cases(void)
{
    unsigned cases = 0, multi = 0;
    for (unsigned round = 0; round < 1500; round++) {
        const kpmc_db *db = kpmc_db_at(rnd((unsigned)kpmc_db_count()));
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        int mode = rnd(3) == 0 ? KPMC_MODE_USER : KPMC_MODE_ALL;
        const char *anchors[2];
        size_t na = rnd(3);
        for (size_t j = 0; j < na; j++)
            anchors[j] = draw_event(db, &d);
        struct plan_view p;
        if (na && view_build_names(&p, db, NULL, anchors, na, mode, NULL, 0) != 0)
            continue;
        /* events that fit with the anchors and count nothing another counts */
        const char *ev[MAXN];
        unsigned n = 0, want = 1 + rnd(round % 4 == 0 ? MAXN : 8);
        for (unsigned tries = 0; n < want && tries < 200; tries++) {
            const char *x = draw_event(db, &d);
            const char *names[KPMC_MAX_EVENTS + 2];
            memcpy(names, anchors, na * sizeof names[0]);
            names[na] = x;
            if (view_build_names(&p, db, NULL, names, na + 1, mode, NULL, 0) != 0)
                continue;
            int clash = 0;
            for (unsigned i = 0; i < n && !clash; i++) {
                const char *pair[2] = {ev[i], x};
                clash = view_build_names(&p, db, NULL, pair, 2, mode, NULL, 0) == KPMC_E_DUPLICATE;
            }
            if (!clash)
                ev[n++] = x;
        }
        unsigned expect = minimum(db, mode, anchors, na, ev, n);
        struct group_view g[MAXN];
        char detail[KPMC_DETAIL_MAX], what[96];
        snprintf(what, sizeof what, "round %u (%s, %s, %u events, %zu anchors)", round, d.name,
                 mode == KPMC_MODE_USER ? "user" : "all", n, na);
        int count = groups_view_build(g, n, db, ev, n, anchors, na, mode, detail, sizeof detail);
        CHECK(count == (int)expect, "%s: %d groups, the exhaustive search needs %u (%s)", what, count, expect,
              detail);
        if (count > 0)
            check_groups(db, mode, anchors, na, ev, n, g, count, what);
        cases++;
        multi += expect > 1;
    }
    printf("random cases: %u compared with the exhaustive search, %u needing several groups\n", cases, multi);
    CHECK(cases > 1000 && multi > 300, "too few informative cases: %u, %u", cases, multi);
}

static void by_hand(void)
{
    const kpmc_db *a14 = need_db("a14");
    struct group_view g[8];
    char detail[KPMC_DETAIL_MAX];

    /* INST_ALL and INST_INT_ALU may use counter 7 only: two groups, each
     * with the anchors. */
    const char *ev1[] = {"INST_ALL", "L1D_CACHE_MISS_LD", "INST_INT_ALU"};
    const char *an1[] = {"Cycles", "Instructions"};
    int r = groups_view_build(g, 8, a14, ev1, 3, an1, 2, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == 2, "two groups: %d %s", r, detail);
    if (r == 2) {
        CHECK(g[0].n == 4 && same(g[0].names[0], "Cycles") && same(g[0].names[1], "Instructions") &&
                  same(g[0].names[2], "INST_ALL") && same(g[0].names[3], "L1D_CACHE_MISS_LD"),
              "group 1: %zu names", g[0].n);
        CHECK(g[1].n == 3 && same(g[1].names[2], "INST_INT_ALU") && g[1].input[2] == 2, "group 2");
        CHECK(g[0].plan.events[2].counter == 7 && g[1].plan.events[2].counter == 7, "counter 7");
    }

    /* an event the anchor counts is not placed again */
    const char *ev2[] = {"FIXED_CYCLES", "INST_BRANCH"};
    const char *an2[] = {"cycles"};
    r = groups_view_build(g, 8, a14, ev2, 2, an2, 1, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == 1 && g[0].n == 2 && same(g[0].names[0], "cycles") && same(g[0].names[1], "INST_BRANCH"),
          "merged into the anchor: %d %s", r, detail);
    /* ... also when every event is: one group of anchors */
    r = groups_view_build(g, 8, a14, ev2, 1, an2, 1, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == 1 && g[0].n == 1 && same(g[0].names[0], "cycles"), "anchors only: %d %s", r, detail);

    /* errors */
    const char *dup[] = {"Cycles", "INST_ALL", "FIXED_CYCLES"};
    r = groups_view_build(g, 8, a14, dup, 3, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_DUPLICATE && strstr(detail, "'Cycles' and 'FIXED_CYCLES' both count FIXED_CYCLES"),
          "duplicate: %d %s", r, detail);
    const char *unknown[] = {"INST_ALL", "NO_SUCH_EVENT"};
    r = groups_view_build(g, 8, a14, unknown, 2, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_NOEVENT && strstr(detail, "NO_SUCH_EVENT"), "unknown: %d %s", r, detail);
    const char *bad_anchors[] = {"INST_ALL", "INST_INT_ALU"};
    r = groups_view_build(g, 8, a14, ev2 + 1, 1, bad_anchors, 2, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_NOFIT && strstr(detail, "counter 7"), "anchors that do not fit: %d %s", r, detail);
    const char *alu[] = {"INST_INT_ALU"};
    const char *an_all[] = {"INST_ALL"};
    r = groups_view_build(g, 8, a14, alu, 1, an_all, 1, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_NOFIT && strstr(detail, "'INST_INT_ALU' does not fit with the anchors") &&
              strstr(detail, "counter 7"),
          "event that does not fit with the anchors: %d %s", r, detail);
    /* The groups object: counted and read through accessors; a group out
     * of range, a kpmc_group_info too small or no pointer is refused. */
    kpmc_groups *gs = NULL;
    r = kpmc_groups_build(&gs, a14, ev1, 3, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    kpmc_group_info gi = {.size = sizeof gi};
    CHECK(r == 2 && kpmc_groups_count(gs) == 2 && kpmc_groups_get(gs, 2, &gi) == KPMC_E_INVAL &&
              kpmc_groups_get(NULL, 0, &gi) == KPMC_E_INVAL,
          "groups out of range: %d %s", r, detail);
    gi.size = sizeof gi - 1;
    CHECK(kpmc_groups_get(gs, 0, &gi) == KPMC_E_INVAL && gi.size == sizeof gi - 1, "a kpmc_group_info too small");
    gi.size = sizeof gi;
    CHECK(kpmc_groups_get(gs, 1, &gi) == 0 && gi.n == 1 && gi.input[0] == 2 && same(gi.names[0], "INST_INT_ALU"),
          "group 2 through kpmc_groups_get");
    kpmc_groups_free(gs);
    kpmc_groups_free(NULL);
    r = kpmc_groups_build(NULL, a14, ev1, 3, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_INVAL && kpmc_groups_count(NULL) == 0, "no kpmc_groups pointer: %d", r);
    const char *fixed[] = {"FIXED_CYCLES"};
    r = groups_view_build(g, 8, a14, fixed, 1, NULL, 0, KPMC_MODE_USER, detail, sizeof detail);
    CHECK(r == KPMC_E_UNAVAILABLE && strstr(detail, "CORE_ACTIVE_CYCLE"), "user-mode FIXED_CYCLES: %d %s", r,
          detail);
    r = groups_view_build(g, 8, a14, fixed, 0, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_EMPTY, "empty: %d", r);
    r = groups_view_build(g, 8, NULL, fixed, 1, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_INVAL && strstr(detail, "not a database"), "no db: %d %s", r, detail);
    r = groups_view_build(g, 8, a14, fixed, 1, NULL, 0, 7, detail, sizeof detail);
    CHECK(r == KPMC_E_INVAL, "bad mode: %d", r);

    /* by index */
    unsigned ids[] = {need_event(a14, "INST_INT_ALU"), need_event(a14, "INST_ALL"), need_event(a14, "INST_BRANCH")};
    unsigned an_ids[] = {need_event(a14, "FIXED_CYCLES")};
    r = groups_view_build_db(g, 8, a14, ids, 3, an_ids, 1, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == 2 && same(g[0].names[0], "FIXED_CYCLES") && same(g[0].names[1], "INST_INT_ALU") &&
              same(g[0].names[2], "INST_BRANCH") && same(g[1].names[1], "INST_ALL"),
          "by index: %d %s", r, detail);
    unsigned bad_id[] = {100000};
    r = groups_view_build_db(g, 8, a14, bad_id, 1, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_INVAL && strstr(detail, "out of range"), "bad index: %d %s", r, detail);
}

/* The groups of a measurement, for a kernel (kpmc_groups_partition, which
 * kpmc_measure_new calls with the session's): the counters it gives, and
 * on one whose configurable counters count user mode only (macOS 15), a
 * KPMC_MODE_ALL measurement mixing fixed and configurable events counted
 * wholly in user mode on configurable counters, every group alike (README
 * "Measuring": Cycles as CORE_ACTIVE_CYCLE, Instructions as INST_ALL). */
static void for_kernel(void)
{
    const kpmc_db *a14 = need_db("a14");
    struct kpmc_group g[8];
    struct kpmc_groups_info info;
    char detail[KPMC_DETAIL_MAX];
    kpmc_kernel k15 = {.size = sizeof k15};
    kpmc_kernel k144 = {.size = sizeof k144};
    kpmc_kernel unknown = {.size = sizeof unknown};
    CHECK(kpmc_kernel_profile(&k15, "15", a14) == 0 && kpmc_kernel_profile(&k144, "14.4", a14) == 0, "profiles");
    unknown = k15;
    unknown.known = 0;

    /* INST_INT_ALU and INST_LDST both need counter 7; Cycles, in a group
     * of its own, would stay on its fixed counter in a set, but the
     * measurement mixes: it is CORE_ACTIVE_CYCLE in every group */
    const char *ev[] = {"INST_INT_ALU", "INST_LDST", "Cycles"};
    unsigned cac = need_event(a14, "CORE_ACTIVE_CYCLE"), alu = need_event(a14, "INST_INT_ALU");
    int r = kpmc_groups_partition(g, 8, a14, &k15, ev, 3, NULL, 0, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 2 && info.user_only && !info.modes_unknown, "15: %d groups %s", r, detail);
    if (r == 2) {
        CHECK(g[0].n == 2 && same(g[0].names[0], "INST_INT_ALU") && same(g[0].names[1], "Cycles") &&
                  g[0].plan.events[1].resolved == cac && g[1].n == 1 && same(g[1].names[0], "INST_LDST"),
              "15: groups");
        /* user-mode plans of the events counted: EL0 bits in every word */
        for (int i = 0; i < 2; i++)
            for (unsigned e = 0; e < g[i].plan.n_events; e++)
                CHECK(g[i].plan.mode == KPMC_MODE_USER && !g[i].plan.events[e].fixed &&
                          (g[i].plan.events[e].config & 0x30000u) == 0x30000u &&
                          g[i].plan.events[e].counts == KPMC_COUNTS_USER,
                      "15: group %d event %u", i + 1, e);
    }
    /* 14.4: Cycles on its fixed counter, all modes */
    r = kpmc_groups_partition(g, 8, a14, &k144, ev, 3, NULL, 0, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 2 && !info.user_only && !info.modes_unknown && g[0].plan.events[1].fixed &&
              g[0].plan.events[1].counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL),
          "14.4: %d %s", r, detail);
    /* not known: built as if the kernel counted kernel mode, and says so,
     * with a configurable event to find out with */
    r = kpmc_groups_partition(g, 8, a14, &unknown, ev, 3, NULL, 0, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 2 && info.modes_unknown && info.configurable == alu && g[0].plan.events[1].fixed, "unknown: %d %s", r,
          detail);
    /* in user mode, or without a fixed event, nothing depends on it */
    const char *conf[] = {"INST_INT_ALU", "INST_LDST"};
    r = kpmc_groups_partition(g, 8, a14, &unknown, conf, 2, NULL, 0, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 2 && !info.modes_unknown && !info.user_only, "configurable only: %d %s", r, detail);
    const char *user[] = {"INST_BRANCH", "Instructions"};
    r = kpmc_groups_partition(g, 8, a14, &unknown, user, 2, NULL, 0, KPMC_MODE_USER, &info, detail, sizeof detail);
    CHECK(r == 1 && !info.modes_unknown, "user mode: %d %s", r, detail);

    /* anchors: Instructions is INST_ALL on 15, so an event that is INST_ALL
     * is counted by it, and one needing counter 7 does not fit */
    const char *anchors[] = {"Cycles", "Instructions"};
    const char *with_all[] = {"INST_ALL", "INST_BRANCH"};
    r = kpmc_groups_partition(g, 8, a14, &k15, with_all, 2, anchors, 2, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 1 && info.anchor_of[0] == 1 && info.anchor_of[1] == (size_t)-1 && g[0].n == 3, "15, anchors: %d %s", r,
          detail);
    r = kpmc_groups_partition(g, 8, a14, &k144, with_all, 2, anchors, 2, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == 1 && info.anchor_of[0] == (size_t)-1 && g[0].n == 4, "14.4, anchors: %d %s", r, detail);
    const char *alu1[] = {"INST_INT_ALU"};
    r = kpmc_groups_partition(g, 8, a14, &k15, alu1, 1, anchors, 2, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == KPMC_E_NOFIT && strstr(detail, "'INST_INT_ALU' does not fit with the anchors") &&
              strstr(detail, "counter 7"),
          "15, counter 7 taken by the anchor: %d %s", r, detail);

    /* skylake on a CPC-era kernel: half the general-purpose counters */
    const kpmc_db *sky = need_db("skylake");
    kpmc_kernel kcpc = {.size = sizeof kcpc};
    CHECK(kpmc_kernel_profile(&kcpc, "cpc", sky) == 0, "cpc profile");
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(sky, &d);
    const char *sev[] = {"BR_MISP_RETIRED.ALL_BRANCHES", "MEM_LOAD_RETIRED.L1_MISS", "CPU_CLK_UNHALTED.THREAD_P",
                         "INST_RETIRED.ANY_P"};
    unsigned width = popcount32(d.config_counters) / 2;
    r = kpmc_groups_partition(g, 8, sky, &kcpc, sev, 4, NULL, 0, KPMC_MODE_ALL, &info, detail, sizeof detail);
    CHECK(r == (int)((4 + width - 1) / width), "skylake, cpc: %d groups on %u counters: %s", r, width, detail);
    for (int i = 0; i < r; i++)
        for (unsigned e = 0; e < g[i].plan.n_events; e++)
            CHECK(kcpc.config_counters >> g[i].plan.events[e].counter & 1u, "skylake, cpc: counter %u",
                  g[i].plan.events[e].counter);
}

/* Large inputs: as many events as allowed, against the bound they must meet. */
static void large(void)
{
    static struct group_view g[KPMC_GROUPS_MAX];
    char detail[KPMC_DETAIL_MAX];
    const char *names[KPMC_GROUPS_MAX + 1];
    /* skylake: four configurable counters, and 64 events any of them may count */
    const kpmc_db *sky = need_db("skylake");
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(sky, &d);
    size_t n = 0;
    for (unsigned i = 0; i < d.n_events && n < KPMC_GROUPS_MAX; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(sky, i, &e);
        struct plan_view p;
        if (!(e.has & KPMC_HAS_FIXED_COUNTER) && (e.counters & d.config_counters) == d.config_counters &&
            view_build(&p, sky, NULL, &i, 1, KPMC_MODE_ALL, NULL, 0) == 0)
            names[n++] = e.name;
    }
    CHECK(n == KPMC_GROUPS_MAX, "skylake: %zu unrestricted events", n);
    int r = groups_view_build(g, KPMC_GROUPS_MAX, sky, names, n, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    unsigned width = popcount32(d.config_counters);
    CHECK(r == (int)((n + width - 1) / width), "skylake: %d groups of %zu events on %u counters (%s)", r, n, width,
          detail);
    names[n] = "INST_ALL";
    r = groups_view_build(g, KPMC_GROUPS_MAX, sky, names, n + 1, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(r == KPMC_E_TOOMANY && strstr(detail, "at most 64"), "65 events: %d %s", r, detail);

    /* a14: every event that can be counted alone, anchored by the fixed
     * counters; the bound: the events confined to counters 5-7 over 3. */
    const kpmc_db *a14 = need_db("a14");
    kpmc_db_get(a14, &d);
    n = 0;
    size_t confined = 0;
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(a14, i, &e);
        struct plan_view p;
        if ((e.has & KPMC_HAS_FIXED_COUNTER) || view_build(&p, a14, NULL, &i, 1, KPMC_MODE_ALL, NULL, 0) != 0)
            continue;
        names[n++] = e.name;
        confined += (e.counters & d.config_counters & ~0xe0u) == 0;
    }
    const char *anchors[] = {"Cycles", "Instructions"};
    r = groups_view_build(g, KPMC_GROUPS_MAX, a14, names, n, anchors, 2, KPMC_MODE_ALL, detail, sizeof detail);
    size_t bound = (confined + 2) / 3, total = (n + 7) / 8;
    CHECK(r == (int)(bound > total ? bound : total), "a14: %d groups for %zu events (%zu confined to 5-7): %s", r, n,
          confined, detail);
    printf("a14: %zu events in %d groups; skylake: 64 events in %d\n", n, r, (int)((64 + width - 1) / width));
}

int main(void)
{
    by_hand();
    for_kernel();
    large();
    random_cases();
    random_masks();
    return check_result("test_groups");
}
