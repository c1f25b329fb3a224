/* Placement of events on counters: kpmc_alloc_place() and the placement
 * rules of kpmc_plan_build*().
 *
 * The oracle is an exhaustive search written here (backtracking over the
 * counters), and the fixed-counter/fallback rules are restated here from
 * docs/kpc.md and catalog.h, so that a wrong rule in runtime/plan.c
 * shows up as a disagreement.
 *
 *   test_alloc [SEED]     (default seed 20241)
 */
#include <stdint.h>

#include "alloc.h"
#include "plan_test.h"
#include "plan_view.h"

/* ---- a seeded PRNG (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rng() % n);
}

/* ---- the oracle ---- */

static int bits(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Can events k..n-1 be placed on counters outside `used`? */
static int search(const uint32_t *allowed, unsigned n, unsigned k, uint32_t used)
{
    if (k == n)
        return 1;
    for (unsigned c = 0; c < 32; c++)
        if ((allowed[k] >> c & 1u) && !(used >> c & 1u) && search(allowed, n, k + 1, used | 1u << c))
            return 1;
    return 0;
}

static uint32_t neighbours(const uint32_t *allowed, uint32_t set)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < 32; i++)
        if (set >> i & 1u)
            n |= allowed[i];
    return n;
}

/* Fewer counters than events: the set cannot be placed (Hall). */
static int violates(const uint32_t *allowed, uint32_t set)
{
    return bits(neighbours(allowed, set)) < bits(set);
}

/* No proper non-empty subset of `set` violates. */
static int minimal_violator(const uint32_t *allowed, uint32_t set)
{
    for (uint32_t sub = (set - 1) & set; sub; sub = (sub - 1) & set)
        if (violates(allowed, sub))
            return 0;
    return 1;
}

/* Check a kpmc_alloc_place() result against the oracle. */
static void check_place(const uint32_t *allowed, unsigned n, const char *what)
{
    unsigned counter[KPMC_ALLOC_MAX];
    uint32_t competing = 0xDEAD;
    int rc = kpmc_alloc_place(allowed, n, counter, &competing);
    int fits = search(allowed, n, 0, 0);
    CHECK((rc == 0) == fits, "%s: place %d, exhaustive search %s", what, rc, fits ? "fits" : "does not fit");
    if (rc == 0) {
        uint32_t used = 0;
        for (unsigned i = 0; i < n; i++) {
            CHECK(counter[i] < 32 && (allowed[i] >> counter[i] & 1u), "%s: event %u on counter %u, allowed 0x%x",
                  what, i, counter[i], allowed[i]);
            CHECK(!(used >> counter[i] & 1u), "%s: counter %u used twice", what, counter[i]);
            used |= 1u << (counter[i] & 31);
        }
        CHECK(competing == 0, "%s: competing 0x%x on success", what, competing);
        /* deterministic */
        unsigned again[KPMC_ALLOC_MAX];
        kpmc_alloc_place(allowed, n, again, NULL);
        CHECK(!memcmp(counter, again, n * sizeof *counter), "%s: second placement differs", what);
    } else if (rc == KPMC_E_NOFIT) {
        CHECK(competing && !(competing >> n), "%s: competing 0x%x", what, competing);
        CHECK(violates(allowed, competing), "%s: competing 0x%x is not a Hall violator", what, competing);
        if (bits(competing) <= 12)
            CHECK(minimal_violator(allowed, competing), "%s: competing 0x%x is not minimal", what, competing);
    }
}

/* Random masks over 12 counters, dense and sparse, n up to 16. */
static void random_masks(unsigned rounds)
{
    uint32_t allowed[KPMC_ALLOC_MAX];
    unsigned fit = 0, nofit = 0;
    for (unsigned r = 0; r < rounds; r++) {
        unsigned n = 1 + below(16), width = 4 + below(9), density = 1 + below(4);
        for (unsigned i = 0; i < n; i++) {
            uint32_t m = 0;
            while (!m) {
                for (unsigned c = 0; c < width; c++)
                    if (below(density + 2) == 0)
                        m |= 1u << c;
            }
            allowed[i] = m;
        }
        char what[64];
        snprintf(what, sizeof what, "random masks round %u", r);
        check_place(allowed, n, what);
        search(allowed, n, 0, 0) ? fit++ : nofit++;
    }
    printf("random masks: %u sets, %u fit, %u do not\n", rounds, fit, nofit);
    CHECK(fit > rounds / 10 && nofit > rounds / 10, "random masks too one-sided: %u fit, %u not", fit, nofit);

    /* edge cases */
    CHECK(kpmc_alloc_place(allowed, 0, NULL, NULL) == 0, "empty set");
    uint32_t zero[1] = {0};
    unsigned c[1];
    CHECK(kpmc_alloc_place(zero, 1, c, NULL) == KPMC_E_INVAL, "event allowing no counter");
    CHECK(kpmc_alloc_place(allowed, KPMC_ALLOC_MAX + 1, c, NULL) == KPMC_E_INVAL, "too many events");
    uint32_t top[2] = {0x80000000u, 0x80000001u};
    unsigned tc[2];
    CHECK(kpmc_alloc_place(top, 2, tc, NULL) == 0 && tc[0] == 31 && tc[1] == 0, "counter 31");
}

/* ---- the rules of plans, restated ---- */

struct expect {
    int unavailable;  /* the plan must refuse the event */
    unsigned resolved;
    uint32_t allowed;
    int fixed;
};

static struct expect expected(const kpmc_db *db, const kpmc_db_info *d, unsigned ev, int mode)
{
    struct expect x = {0, ev, 0, 0};
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(db, ev, &e);
    if (e.has & KPMC_HAS_FIXED_COUNTER) {
        /* kperfdata's slot: the lowest bit of counters_mask */
        unsigned c = e.counters_mask ? (unsigned)__builtin_ctz(e.counters_mask) : e.fixed_counter;
        if (!e.flags && (d->fixed_counters >> c & 1u) && mode == KPMC_MODE_ALL) {
            x.allowed = 1u << c;
            x.fixed = 1;
            return x;
        }
        kpmc_event_info fb = {.size = sizeof fb};
        if (e.fallback_index < 0) {
            x.unavailable = 1;
            return x;
        }
        kpmc_event_get(db, (unsigned)e.fallback_index, &fb);
        if (fb.has & KPMC_HAS_FIXED_COUNTER) {
            x.unavailable = 1;
            return x;
        }
        e = fb;
        x.resolved = fb.index;
    }
    x.allowed = e.counters & d->config_counters;
    x.unavailable = x.allowed == 0;
    return x;
}

/* Is `name` a whole word of s (bounded by start/end, space, comma, ';',
 * '(' or ')')? */
static int names_word(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
        int before = p == s || strchr(" ,;()", p[-1]);
        int after = !p[n] || strchr(" ,;()", p[n]);
        if (before && after)
            return 1;
    }
    return 0;
}

static void random_sets(unsigned rounds_per_db)
{
    unsigned total[5] = {0}; /* ok, nofit, unavailable, duplicate, other */
    for (size_t di = 0; di < kpmc_db_count(); di++) {
        const kpmc_db *db = kpmc_db_at(di);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        unsigned n_counters = (unsigned)bits(d.fixed_counters | d.config_counters);
        /* the constrained events: fixed ones and those with a mask */
        unsigned constrained[512], n_constrained = 0;
        for (unsigned i = 0; i < d.n_events && n_constrained < 512; i++) {
            kpmc_event_info e = {.size = sizeof e};
            kpmc_event_get(db, i, &e);
            if (e.has & (KPMC_HAS_COUNTERS_MASK | KPMC_HAS_FIXED_COUNTER))
                constrained[n_constrained++] = i;
        }
        for (unsigned r = 0; r < rounds_per_db; r++) {
            int mode = (int)below(2);
            unsigned n = 1 + below(n_counters + 2 < KPMC_MAX_EVENTS ? n_counters + 2 : KPMC_MAX_EVENTS);
            unsigned ev[KPMC_MAX_EVENTS];
            for (unsigned i = 0; i < n; i++) {
            again:
                ev[i] = below(3) ? constrained[below(n_constrained)] : below((unsigned)d.n_events);
                for (unsigned j = 0; j < i; j++)
                    if (ev[j] == ev[i])
                        goto again;
            }
            struct expect x[KPMC_MAX_EVENTS];
            int want_unavail = 0, want_dup = 0;
            uint32_t allowed[KPMC_MAX_EVENTS];
            for (unsigned i = 0; i < n; i++) {
                x[i] = expected(db, &d, ev[i], mode);
                allowed[i] = x[i].allowed;
                want_unavail |= x[i].unavailable;
            }
            for (unsigned i = 0; i < n && !want_unavail; i++)
                for (unsigned j = 0; j < i; j++)
                    want_dup |= x[i].resolved == x[j].resolved;

            struct plan_view p;
            char detail[4096]; /* room for the longest Intel names */
            int rc = view_build(&p, db, NULL, ev, n, mode, detail, sizeof detail);
            char what[96];
            snprintf(what, sizeof what, "%s mode %d round %u", d.name, mode, r);
            if (want_unavail) {
                CHECK(rc == KPMC_E_UNAVAILABLE, "%s: rc %d, want UNAVAILABLE (%s)", what, rc, detail);
                total[2]++;
                continue;
            }
            if (want_dup) {
                CHECK(rc == KPMC_E_DUPLICATE, "%s: rc %d, want DUPLICATE (%s)", what, rc, detail);
                total[3]++;
                continue;
            }
            int fits = search(allowed, n, 0, 0);
            CHECK(fits ? rc == 0 : rc == KPMC_E_NOFIT, "%s: rc %d, search says %s (%s)", what, rc,
                  fits ? "fits" : "does not fit", detail);
            if (rc == 0) {
                total[0]++;
                uint32_t used = 0;
                for (unsigned i = 0; i < n; i++) {
                    const kpmc_plan_event *pe = &p.events[i];
                    CHECK(pe->requested == ev[i] && pe->resolved == x[i].resolved, "%s: event %u resolved %u want %u",
                          what, i, pe->resolved, x[i].resolved);
                    CHECK(allowed[i] >> pe->counter & 1u, "%s: %s on counter %u, allowed 0x%x", what,
                          kpmc_event_name(db, ev[i]), pe->counter, allowed[i]);
                    CHECK(!(used >> pe->counter & 1u), "%s: counter %u used twice", what, pe->counter);
                    CHECK((int)pe->fixed == x[i].fixed, "%s: fixed %u", what, pe->fixed);
                    used |= 1u << pe->counter;
                }
                CHECK(p.n_events == n && p.db == db && p.mode == mode, "%s: plan header", what);
                CHECK(detail[0] == '\0', "%s: detail on success: %s", what, detail);
            } else if (rc == KPMC_E_NOFIT) {
                total[1]++;
                /* The events the sentence names must compete: together
                 * they may use fewer counters than they are. */
                uint32_t named = 0;
                for (unsigned i = 0; i < n; i++)
                    if (names_word(detail, kpmc_event_name(db, ev[i])))
                        named |= 1u << i;
                CHECK(named && violates(allowed, named), "%s: detail names events 0x%x that do not compete: %s",
                      what, named, detail);
                CHECK(strstr(detail, "can only use counter") || strstr(detail, "can only use fixed counter"),
                      "%s: detail: %s", what, detail);
            } else {
                total[4]++;
            }
        }
    }
    printf("plans over %zu databases: %u placed, %u do not fit, %u unavailable, %u duplicates\n", kpmc_db_count(),
           total[0], total[1], total[2], total[3]);
    CHECK(total[0] && total[1] && total[2] && total[3], "random sets did not reach every outcome");
}

/* ---- hand-picked cases ---- */

/* kperfdata's configurable-event placement (docs/kpc.md §5): the first free
 * counter scanning upward from ctz(mask), no backtracking.  Returns 1 when
 * every event finds a counter. */
static int kperfdata_greedy(const uint32_t *masks, unsigned n, unsigned limit)
{
    uint32_t used = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned c = (unsigned)__builtin_ctz(masks[i]);
        while (c < limit && (!(masks[i] >> c & 1u) || (used >> c & 1u)))
            c++;
        if (c >= limit)
            return 0;
        used |= 1u << c;
    }
    return 1;
}

static void greedy_fails_matching_fits(void)
{
    /* a14 (config_counters 0x3FC = PMC2-9): four events without a mask may
     * use PMC2-9, the branch events PMC5-7 (mask 224), INST_ALL only PMC7
     * (mask 128).  In this order kperfdata's scan puts the four unmasked
     * events on PMC2, 3, 4 and 5, the two branch events on PMC6 and 7, and
     * INST_ALL finds PMC7 taken: error 12.  The set fits: unmasked events on
     * PMC2, 3, 4 and 8, branch events on PMC5 and 6, INST_ALL on PMC7. */
    static const char *const names[] = {"L1D_CACHE_MISS_LD", "L1I_CACHE_MISS_DEMAND", "CORE_ACTIVE_CYCLE",
                                        "L1D_TLB_MISS",      "INST_BRANCH",           "BRANCH_MISPRED_NONSPEC",
                                        "INST_ALL"};
    const kpmc_db *db = need_db("a14");
    uint32_t masks[7];
    for (unsigned i = 0; i < 7; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, need_event(db, names[i]), &e);
        masks[i] = e.counters;
    }
    CHECK(masks[0] == 0x3FC && masks[3] == 0x3FC && masks[4] == 224 && masks[5] == 224 && masks[6] == 128,
          "a14 masks changed: 0x%x 0x%x 0x%x 0x%x", masks[0], masks[4], masks[5], masks[6]);
    CHECK(!kperfdata_greedy(masks, 7, 10), "greedy placement should fail");
    struct plan_view p;
    char detail[KPMC_DETAIL_MAX];
    int rc = view_build_names(&p, db, NULL, names, 7, KPMC_MODE_ALL, detail, sizeof detail);
    CHECK(rc == 0, "greedy-failing set not placed: %d %s", rc, detail);
    if (rc == 0) {
        CHECK(p.events[6].counter == 7, "INST_ALL on %u", p.events[6].counter);
        CHECK(p.events[4].counter >= 5 && p.events[4].counter <= 6 && p.events[5].counter >= 5 &&
                  p.events[5].counter <= 6,
              "branch events on %u, %u", p.events[4].counter, p.events[5].counter);
    }
}

static void hand_cases(void)
{
    struct plan_view p;
    char d[KPMC_DETAIL_MAX];
    int rc;

    /* a14: INST_ALL and INST_INT_ALU both have counters_mask 128 (PMC7). */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "INST_ALL", "INST_INT_ALU");
    CHECK(rc == KPMC_E_NOFIT && !strcmp(d, "INST_ALL and INST_INT_ALU can only use counter 7"), "%d %s", rc, d);
    /* three branch events (PMC5-7) and INST_ALL (PMC7): four for three */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "Cycles", "INST_BRANCH", "L1D_TLB_MISS", "INST_BRANCH_CALL",
              "INST_BRANCH_COND", "INST_ALL");
    CHECK(rc == KPMC_E_NOFIT &&
              !strcmp(d, "INST_BRANCH, INST_BRANCH_CALL and INST_BRANCH_COND can only use counters 5-7; "
                         "INST_ALL can only use counter 7 (4 events for counters 5-7)"),
          "%d %s", rc, d);
    /* the same with three branch events: fits, INST_ALL on 7 */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "INST_BRANCH", "INST_BRANCH_CALL", "INST_ALL");
    CHECK(rc == 0 && p.events[2].counter == 7, "%d %s", rc, d);
    /* nine unmasked events for eight configurable counters */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "L1D_CACHE_MISS_LD", "L1D_CACHE_MISS_ST", "L1D_TLB_MISS",
              "L1I_TLB_MISS_DEMAND", "L2_TLB_MISS_DATA", "MAP_STALL", "LD_UNIT_UOP", "ST_UNIT_UOP", "FETCH_RESTART",
              "Cycles");
    CHECK(rc == KPMC_E_NOFIT && strstr(d, "can only use counters 2-9") && strstr(d, "FETCH_RESTART"), "%d %s", rc,
          d);
    /* a7: INST_ALL has mask 192 there (PMC6-7) */
    rc = PLAN(&p, "a7", KPMC_MODE_ALL, d, "INST_ALL", "INST_INT_ALU", "INST_LDST");
    CHECK(rc == KPMC_E_NOFIT && !strcmp(d, "INST_ALL, INST_INT_ALU and INST_LDST can only use counters 6,7"), "%d %s",
          rc, d);

    /* two events on one fixed counter (icelake: both fixed_counter 0) */
    rc = PLAN(&p, "icelake", KPMC_MODE_ALL, d, "INST_RETIRED.ANY", "INST_RETIRED.PREC_DIST");
    CHECK(rc == KPMC_E_NOFIT && !strcmp(d, "INST_RETIRED.ANY and INST_RETIRED.PREC_DIST can only use fixed counter 0"),
          "%d %s", rc, d);
    /* through an alias: INST_ALL -> INST_RETIRED.ANY */
    rc = PLAN(&p, "icelake", KPMC_MODE_ALL, d, "INST_ALL", "INST_RETIRED.PREC_DIST");
    CHECK(rc == KPMC_E_NOFIT && strstr(d, "INST_ALL (INST_RETIRED.ANY) and INST_RETIRED.PREC_DIST"), "%d %s", rc, d);
    /* the same event under two spellings */
    rc = PLAN(&p, "skylake", KPMC_MODE_ALL, d, "INST_RETIRED.PREC_DIST", "inst_retired.prec_dist");
    CHECK(rc == KPMC_E_DUPLICATE && !strcmp(d, "'inst_retired.prec_dist' is asked for twice"), "%d %s", rc, d);
    /* haswell: both have counters_mask 0x20, GP2 = global counter 5 */
    rc = PLAN(&p, "haswell", KPMC_MODE_ALL, d, "L1D_PEND_MISS.PENDING", "L1D_PEND_MISS.PENDING_CYCLES");
    CHECK(rc == KPMC_E_NOFIT &&
              !strcmp(d, "L1D_PEND_MISS.PENDING and L1D_PEND_MISS.PENDING_CYCLES can only use counter 5"),
          "%d %s", rc, d);

    /* duplicates */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "Cycles", "INST_ALL", "FIXED_CYCLES");
    CHECK(rc == KPMC_E_DUPLICATE && !strcmp(d, "'Cycles' and 'FIXED_CYCLES' both name FIXED_CYCLES"), "%d %s", rc, d);
    unsigned twice[2];
    twice[0] = twice[1] = need_event(need_db("a14"), "INST_ALL");
    rc = view_build(&p, need_db("a14"), NULL, twice, 2, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_DUPLICATE && !strcmp(d, "INST_ALL is asked for twice (positions 1 and 2 of the set)"), "%d %s",
          rc, d);
    /* user mode: skylake's alias INST_ALL names INST_RETIRED.ANY, which falls
     * back to INST_RETIRED.ANY_P, which is also asked for */
    rc = PLAN(&p, "skylake", KPMC_MODE_USER, d, "INST_ALL", "INST_RETIRED.ANY_P");
    CHECK(rc == KPMC_E_DUPLICATE && !strcmp(d, "INST_ALL (INST_RETIRED.ANY, counted as INST_RETIRED.ANY_P) and "
                                               "INST_RETIRED.ANY_P would both count INST_RETIRED.ANY_P"),
          "%d %s", rc, d);
    /* the generic name "instructions" (which a14's alias Instructions is,
     * case-insensitively) means INST_ALL itself in user mode */
    rc = PLAN(&p, "a14", KPMC_MODE_USER, d, "Instructions", "INST_ALL");
    CHECK(rc == KPMC_E_DUPLICATE && !strcmp(d, "'Instructions' and 'INST_ALL' both name INST_ALL"), "%d %s", rc, d);
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "Instructions", "INST_ALL");
    CHECK(rc == 0, "%d %s", rc, d);

    /* unknown names */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "Cycles", "NO_SUCH_EVENT", "ALSO_MISSING");
    CHECK(rc == KPMC_E_NOEVENT && !strcmp(d, "no event or alias 'NO_SUCH_EVENT' in database a14"), "%d %s", rc, d);
    rc = PLAN(&p, "skylake", KPMC_MODE_ALL, d, "FIXED_CYCLES");
    CHECK(rc == KPMC_E_NOEVENT && strstr(d, "'FIXED_CYCLES'") && strstr(d, "skylake"), "%d %s", rc, d);

    /* fixed events and fallbacks per mode, arm64 */
    rc = PLAN(&p, "a14", KPMC_MODE_ALL, d, "Instructions", "Cycles");
    CHECK(rc == 0 && p.events[0].fixed && p.events[0].counter == 1 && p.events[1].fixed && p.events[1].counter == 0,
          "%d %s", rc, d);
    rc = PLAN(&p, "a14", KPMC_MODE_USER, d, "FIXED_INSTRUCTIONS");
    CHECK(rc == 0 && !p.events[0].fixed && p.events[0].counter == 7 &&
              p.events[0].requested == need_event(need_db("a14"), "FIXED_INSTRUCTIONS") &&
              p.events[0].resolved == need_event(need_db("a14"), "INST_ALL"),
          "%d %s", rc, d);
    rc = PLAN(&p, "a14", KPMC_MODE_USER, d, "FIXED_CYCLES");
    CHECK(rc == KPMC_E_UNAVAILABLE && strstr(d, "FIXED_CYCLES counts only on fixed counter 0") &&
              strstr(d, "EL0 and EL1") && strstr(d, "CORE_ACTIVE_CYCLE"),
          "%d %s", rc, d);
    rc = PLAN(&p, "as4", KPMC_MODE_USER, d, "CORE_ACTIVE_CYCLE", "Instructions");
    CHECK(rc == 0 && p.events[1].counter >= 2 && p.events[1].counter <= 7, "%d %s", rc, d);

    /* x86_64: fixed counters count every ring */
    rc = PLAN(&p, "haswell", KPMC_MODE_ALL, d, "INST_RETIRED.ANY", "CPU_CLK_UNHALTED.THREAD", "ReferenceCycles");
    CHECK(rc == 0 && p.events[0].counter == 0 && p.events[1].counter == 1 && p.events[2].counter == 2 &&
              p.events[2].fixed,
          "%d %s", rc, d);
    rc = PLAN(&p, "haswell", KPMC_MODE_USER, d, "INST_RETIRED.ANY", "CORE_ACTIVE_CYCLE");
    CHECK(rc == 0 && !p.events[0].fixed && !p.events[1].fixed &&
              p.events[0].resolved == need_event(need_db("haswell"), "INST_RETIRED.ANY_P") &&
              p.events[1].resolved == need_event(need_db("haswell"), "CPU_CLK_UNHALTED.THREAD_P"),
          "%d %s", rc, d);
    rc = PLAN(&p, "haswell", KPMC_MODE_USER, d, "ReferenceCycles");
    CHECK(rc == KPMC_E_UNAVAILABLE && strstr(d, "ReferenceCycles (CPU_CLK_UNHALTED.REF_TSC) counts only on fixed counter 2") &&
              strstr(d, "x86_64"),
          "%d %s", rc, d);
    rc = PLAN(&p, "icelake", KPMC_MODE_ALL, d, "TOPDOWN.SLOTS");
    CHECK(rc == 0 && p.events[0].fixed && p.events[0].counter == 3, "%d %s", rc, d);
    rc = PLAN(&p, "icelake", KPMC_MODE_USER, d, "TOPDOWN.SLOTS");
    CHECK(rc == KPMC_E_UNAVAILABLE, "%d %s", rc, d);

    /* inconsistent databases (catalog/kpep/README.md) */
    rc = PLAN(&p, "skylake", KPMC_MODE_ALL, d, "CPU_CLK_UNHALTED.REF_TSC");
    CHECK(rc == KPMC_E_UNAVAILABLE && strstr(d, "inconsistent") && strstr(d, "same fixed counter 1"), "%d %s", rc, d);
    rc = PLAN(&p, "kabylake", KPMC_MODE_ALL, d, "CPU_CLK_UNHALTED.THREAD");
    CHECK(rc == 0 && !p.events[0].fixed &&
              p.events[0].resolved == need_event(need_db("kabylake"), "CPU_CLK_UNHALTED.THREAD_P"),
          "%d %s", rc, d);
    rc = PLAN(&p, "cometlake", KPMC_MODE_ALL, d, "TOPDOWN.SLOTS");
    CHECK(rc == KPMC_E_UNAVAILABLE && strstr(d, "inconsistent") && strstr(d, "fixed counter 3 is not one"), "%d %s",
          rc, d);
    rc = PLAN(&p, "cometlake", KPMC_MODE_ALL, d, "INST_RETIRED.ANY", "CPU_CLK_UNHALTED.THREAD", "ReferenceCycles");
    CHECK(rc == 0 && p.events[0].fixed && p.events[1].fixed && p.events[2].fixed && p.events[2].counter == 2, "%d %s",
          rc, d);

    /* argument errors */
    rc = view_build_names(&p, need_db("a14"), NULL, NAMES("Cycles"), 0, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_EMPTY && d[0], "%d %s", rc, d);
    rc = view_build(&p, need_db("a14"), NULL, NULL, 0, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_EMPTY, "%d", rc);
    const char *many[KPMC_MAX_EVENTS + 1];
    for (unsigned i = 0; i <= KPMC_MAX_EVENTS; i++)
        many[i] = "Cycles";
    rc = view_build_names(&p, need_db("a14"), NULL, many, KPMC_MAX_EVENTS + 1, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_TOOMANY && strstr(d, "17 events"), "%d %s", rc, d);
    unsigned bad[1] = {9999};
    rc = view_build(&p, need_db("a14"), NULL, bad, 1, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_INVAL && strstr(d, "9999") && strstr(d, "a14"), "%d %s", rc, d);
    rc = PLAN(&p, "a14", 7, d, "Cycles");
    CHECK(rc == KPMC_E_INVAL && strstr(d, "mode"), "%d %s", rc, d);
    rc = kpmc_plan_build_names(NULL, need_db("a14"), NAMES("Cycles"), 1, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_INVAL, "%d", rc);
    rc = view_build_names(&p, NULL, NULL, NAMES("Cycles"), 1, KPMC_MODE_ALL, NULL, 0);
    CHECK(rc == KPMC_E_INVAL, "%d", rc);
    rc = view_build_names(&p, need_db("a14"), NULL, NULL, 1, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_INVAL, "%d", rc);
    rc = view_build_names(&p, need_db("a14"), NULL, NAMES("Cycles", NULL), 2, KPMC_MODE_ALL, d, sizeof d);
    CHECK(rc == KPMC_E_INVAL && strstr(d, "NULL"), "%d %s", rc, d);
    /* a short detail buffer is truncated, never overrun, and says so */
    char small[9];
    memset(small, 'x', sizeof small);
    rc = view_build_names(&p, need_db("a14"), NULL, NAMES("INST_ALL", "INST_INT_ALU"), 2, KPMC_MODE_ALL, small, 8);
    CHECK(rc == KPMC_E_NOFIT && !strcmp(small, "INST...") && small[8] == 'x', "%d %s", rc, small);
    rc = view_build_names(&p, need_db("a14"), NULL, NAMES("INST_ALL", "INST_INT_ALU"), 2, KPMC_MODE_ALL, small, 1);
    CHECK(rc == KPMC_E_NOFIT && small[0] == '\0' && small[1] == 'N', "%d", rc);
    rc = view_build_names(&p, need_db("a14"), NULL, NAMES("INST_ALL", "INST_INT_ALU"), 2, KPMC_MODE_ALL, NULL, 0);
    CHECK(rc == KPMC_E_NOFIT, "%d", rc);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 20241;
    printf("test_alloc: seed %llu (rerun with: test_alloc %llu)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    rng_state = seed;
    if (kpmc_db_count() != 21)
        fprintf(stderr, "note: the catalog has %zu databases, not 21\n", kpmc_db_count());
    random_masks(20000);
    random_sets(3000);
    greedy_fails_matching_fits();
    hand_cases();
    return check_result("test_alloc");
}
