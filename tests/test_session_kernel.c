/* Plans for a kernel (kpmc_plan_build_kernel, kpmc_kernel_profile): the
 * counters the kernel gives, user-only configurable counters, x86 words
 * that lose CMASK/INV/EDGE.  No kernel involved: pure plans, checked against
 * words and events worked out here from the catalog (docs/kpc.md §4). */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <string.h>

#include "test_session.h"
#include "plan_view.h"

static const kpmc_db *db(const char *name)
{
    return kpmc_db_find(name);
}

static unsigned ev(const char *dbname, const char *name)
{
    return (unsigned)kpmc_event_find(db(dbname), name);
}

static unsigned number(const char *dbname, const char *name)
{
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(db(dbname), ev(dbname, name), &e);
    return e.number;
}

static void case_profiles(void)
{
    static const struct {
        const char *profile, *db;
        unsigned flags;
        uint32_t conf;
    } cases[] = {
        {"pre14.4", "a14", 0, 0x3FC},
        {"14.4", "a14", KPMC_KERNEL_ALLOWLIST, 0x3FC},
        {"15", "a14", KPMC_KERNEL_ALLOWLIST | KPMC_KERNEL_USER_ONLY, 0x3FC},
        {"cpc", "as4", KPMC_KERNEL_ALLOWLIST | KPMC_KERNEL_USER_ONLY, 0x3FC},
        {"pre14.4", "skylake", 0, 0x78},
        {"15", "skylake", 0, 0x78},
        {"cpc", "skylake", KPMC_KERNEL_X86_PLAIN, 0x18},  /* GP0, GP1 */
        {"cpc", "icelake", KPMC_KERNEL_X86_PLAIN, 0xF0},  /* four fixed: GP0-3 of eight */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kpmc_kernel k = {.size = sizeof k};
        memset(&k, 0xa5, sizeof k);
        int r = kpmc_kernel_profile(&k, cases[i].profile, db(cases[i].db));
        CHECK(r == 0 && k.size == sizeof k && k.flags == cases[i].flags &&
                  k.known == (KPMC_KERNEL_USER_ONLY | KPMC_KERNEL_ALLOWLIST | KPMC_KERNEL_X86_PLAIN) &&
                  k.config_counters == cases[i].conf,
              "%s on %s: %d flags 0x%x known 0x%x counters 0x%x", cases[i].profile, cases[i].db, r, k.flags,
              k.known, (unsigned)k.config_counters);
    }
    kpmc_kernel k = {.size = sizeof k};
    CHECK(kpmc_kernel_profile(&k, "16", db("a14")) == KPMC_E_INVAL, "unknown profile");
    CHECK(kpmc_kernel_profile(&k, "15", NULL) == KPMC_E_INVAL, "no database");
    CHECK(kpmc_kernel_profile(NULL, "15", db("a14")) == KPMC_E_INVAL, "no kernel");
    size_t n = 0;
    while (kpmc_kernel_profile_names()[n])
        n++;
    CHECK(n == 4 && !strcmp(kpmc_kernel_profile_names()[0], "pre14.4") && !strcmp(kpmc_kernel_profile_names()[3], "cpc"),
          "%zu profiles", n);
}

/* A NULL kernel, or one that knows nothing, plans as kpmc_plan_build. */
static void case_no_kernel(void)
{
    const char *names[] = {"Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC"};
    struct plan_view a, b, c;
    char d[256];
    CHECK(view_build_names(&a, db("a14"), NULL, names, 3, KPMC_MODE_ALL, d, sizeof d) == 0, "%s", d);
    CHECK(view_build_names(&b, db("a14"), NULL, names, 3, KPMC_MODE_ALL, d, sizeof d) == 0, "%s", d);
    kpmc_kernel unknown = {sizeof unknown, KPMC_KERNEL_USER_ONLY, 0, 0};
    CHECK(view_build_names(&c, db("a14"), &unknown, names, 3, KPMC_MODE_ALL, d, sizeof d) == 0, "%s",
          d);
    CHECK(!memcmp(&a, &b, sizeof a) && !memcmp(&a, &c, sizeof a), "plans differ");
    CHECK(a.events[0].fixed && a.events[0].counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL) &&
              a.events[2].counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL) && a.config_skip == 0,
          "counts %u %u", a.events[0].counts, a.events[2].counts);
    /* short of config_counters, the last field of the first release */
    kpmc_kernel small = {offsetof(kpmc_kernel, config_counters), 0, 0, 0};
    CHECK(view_build_names(&c, db("a14"), &small, names, 3, KPMC_MODE_ALL, d, sizeof d) ==
                  KPMC_E_INVAL &&
              strstr(d, "sizeof(kpmc_kernel)"),
          "short kernel: %s", d);
}

/* Plans of one database for one kernel; d: what the last build said. */
struct kplan {
    const kpmc_db *db;
    kpmc_kernel k;
    struct plan_view p;
    char d[512];
};

/* t plans for database dbname on the kernel of profile `profile`. */
static void kplan_on(struct kplan *t, const char *profile, const char *dbname)
{
    memset(t, 0, sizeof *t);
    t->db = db(dbname);
    t->k.size = sizeof t->k;
    kpmc_kernel_profile(&t->k, profile, t->db);
}

/* The plan of the n events `names` in mode, into t->p and t->d. */
static int kplan_build(struct kplan *t, const char *const *names, size_t n, int mode)
{
    return view_build_names(&t->p, t->db, &t->k, names, n, mode, t->d, sizeof t->d);
}

/* A plan refused: its events (NULL-ended), mode, the code and what the
 * detail says (also: a second part, or NULL); line: the table row's. */
struct refusal {
    int line;
    const char *names[4];
    int mode, rc;
    const char *says, *also;
};

static size_t n_names(const char *const *names)
{
    size_t n = 0;
    while (n < 4 && names[n])
        n++;
    return n;
}

/* Each of the n refusals, planned on t. */
static void kplan_refused(struct kplan *t, const struct refusal *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct refusal *w = &rows[i];
        int r = kplan_build(t, w->names, n_names(w->names), w->mode);
        CHECK(r == w->rc && strstr(t->d, w->says) && (!w->also || strstr(t->d, w->also)),
              "row at line %d: %d, want %d: %s", w->line, r, w->rc, t->d);
    }
}

/* Configurable counters that count user mode only. */
static void case_user_only(void)
{
    struct kplan t;
    kplan_on(&t, "15", "a14");
    /* Mixed, all modes: every event on a configurable counter, user mode. */
    const char *mixed[] = {"Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC"};
    int r = kplan_build(&t, mixed, 3, KPMC_MODE_ALL);
    CHECK(r == 0 && t.d[0] == '\0', "%s", t.d);
    const char *counted[] = {"CORE_ACTIVE_CYCLE", "INST_ALL", "BRANCH_MISPRED_NONSPEC"};
    for (unsigned i = 0; i < 3; i++) {
        const kpmc_plan_event *e = &t.p.events[i];
        CHECK(e->resolved == ev("a14", counted[i]) && !e->fixed && e->counts == KPMC_COUNTS_USER &&
                  e->config == (number("a14", counted[i]) | 0x30000u),
              "%s: counted as %s, fixed %u, counts %u, word 0x%llx", mixed[i], kpmc_event_name(t.db, e->resolved),
              e->fixed, e->counts, (unsigned long long)e->config);
    }
    CHECK(t.p.classes == KPMC_CLASS_CONFIGURABLE && t.p.n_counters == 8 && t.p.mode == KPMC_MODE_ALL,
          "classes 0x%x, %u counters", (unsigned)t.p.classes, t.p.n_counters);
    /* Not mixed: fixed events stay fixed (all modes), configurable ones
     * keep all-mode words and count user mode. */
    const char *fixed[] = {"Cycles", "Instructions"};
    CHECK(kplan_build(&t, fixed, 2, KPMC_MODE_ALL) == 0 && t.p.events[0].fixed && t.p.events[1].fixed &&
              t.p.events[1].counts == 3u,
          "fixed only: %s", t.d);
    const char *conf[] = {"INST_BRANCH", "L1D_TLB_ACCESS"};
    CHECK(kplan_build(&t, conf, 2, KPMC_MODE_ALL) == 0 && t.p.events[0].config == number("a14", "INST_BRANCH") &&
              t.p.events[0].counts == KPMC_COUNTS_USER,
          "configurable only: %s", t.d);
    static const struct refusal refused[] = {
        /* User mode is unchanged: FIXED_CYCLES has no fallback (the name
         * Cycles is the generic cycles there, CORE_ACTIVE_CYCLE). */
        {__LINE__, {"FIXED_CYCLES", "Instructions", "BRANCH_MISPRED_NONSPEC"}, KPMC_MODE_USER, KPMC_E_UNAVAILABLE,
         "CORE_ACTIVE_CYCLE counts user-mode cycles", NULL},
        /* What no longer fits, or would count one event twice, says why. */
        {__LINE__, {"Instructions", "INST_LDST", "Cycles"}, KPMC_MODE_ALL, KPMC_E_NOFIT, "count user mode only",
         "Instructions (FIXED_INSTRUCTIONS, counted as INST_ALL) and INST_LDST can only use counter 7"},
        {__LINE__, {"Instructions", "INST_ALL", "Cycles"}, KPMC_MODE_ALL, KPMC_E_DUPLICATE,
         "would both count INST_ALL", "user mode only"},
    };
    kplan_refused(&t, refused, sizeof refused / sizeof refused[0]);
    /* A fixed event with no configurable equivalent: refused (ivybridge's
     * REF_TSC, were its configurable counters user-only). */
    kpmc_kernel x = {sizeof x, KPMC_KERNEL_USER_ONLY, KPMC_KERNEL_USER_ONLY, 0};
    t.db = db("ivybridge");
    t.k = x;
    static const struct refusal ref = {__LINE__, {"ReferenceCycles", "BR_INST_RETIRED.ALL_BRANCHES"}, KPMC_MODE_ALL,
                                       KPMC_E_UNAVAILABLE, "no configurable equivalent", "fixed events only"};
    kplan_refused(&t, &ref, 1);
}

/* x86_64 on a CPC-era kernel: the lower general-purpose counters only;
 * CMASK, INV and EDGE refused; the FIXED word not passed. */
static void case_x86(void)
{
    struct kplan t;
    kplan_on(&t, "cpc", "ivybridge");
    const char *plain[] = {"INST_RETIRED.ANY", "BR_INST_RETIRED.ALL_BRANCHES", "BR_INST_RETIRED.NEAR_CALL_R3"};
    int r = kplan_build(&t, plain, 3, KPMC_MODE_ALL);
    CHECK(r == 0, "%s", t.d);
    /* Three fixed counters, two general-purpose: one FIXED word skipped. */
    const struct plan_view *p = &t.p;
    CHECK(p->n_config == 3 && p->config_skip == 1 && p->n_counters == 5 && p->events[1].counter == 3 &&
              p->events[2].counter == 4,
          "n_config %u skip %u counters %u on %u, %u", p->n_config, p->config_skip, p->n_counters,
          p->events[1].counter, p->events[2].counter);
    /* _R3: user mode only, as its `other` says (0x51: USR, INT, EN). */
    CHECK(p->events[0].counts == 3u && p->events[1].counts == 3u && p->events[2].counts == KPMC_COUNTS_USER,
          "counts %u %u %u", p->events[0].counts, p->events[1].counts, p->events[2].counts);
    enum { STALL, GP2, THREE };
    static const struct refusal refused[] = {
        [STALL] = {__LINE__, {"UOPS_ISSUED.STALL_CYCLES"}, KPMC_MODE_ALL, KPMC_E_UNAVAILABLE,
                   "UOPS_ISSUED.STALL_CYCLES needs CMASK, INV or EDGE (`other` 0x1d3)", NULL},
        [GP2] = {__LINE__, {"L1D_PEND_MISS.PENDING"}, KPMC_MODE_ALL, KPMC_E_UNAVAILABLE, "may only use counters 0x20",
                 "gives only configurable counters 0x18"},
        [THREE] = {__LINE__,
                   {"BR_INST_RETIRED.ALL_BRANCHES", "BR_INST_RETIRED.CONDITIONAL", "BR_MISP_RETIRED.ALL_BRANCHES"},
                   KPMC_MODE_ALL, KPMC_E_NOFIT, "counters 3,4", NULL},
    };
    kplan_refused(&t, refused, sizeof refused / sizeof refused[0]);
    /* Before cpc, all four and CMASK. */
    kplan_on(&t, "15", "ivybridge");
    CHECK(kplan_build(&t, refused[STALL].names, 1, KPMC_MODE_ALL) == 0 &&
              (p->events[0].config & 0xFF800000u) == 0x01800000u,
          "15, CMASK: %s", t.d);
    CHECK(kplan_build(&t, refused[THREE].names, 3, KPMC_MODE_ALL) == 0, "15, three: %s", t.d);
}

int main(void)
{
    case_profiles();
    case_no_kernel();
    case_user_only();
    case_x86();
    return check_result("test_session_kernel");
}
