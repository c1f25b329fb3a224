/* Configuration words, the kpc_set_config array and the counter-buffer index
 * map of plans.
 *
 * Every expected word is a literal worked out by hand from the database
 * plists (catalog/kpep) and the layouts of docs/kpc.md §3 and §4; the
 * arithmetic is in the comments.
 *
 * arm64:  word = number | (user mode ? EL0A32EN 0x10000 | EL0A64EN 0x20000 : 0)
 * x86_64: word = number | umask << 8 | (other & 0xFF84) << 16
 *                | USR 0x10000 [if other has USR or no other]
 *                | OS 0x20000 [mode all, and other has OS or no other]
 *                | EN 0x400000
 */
#include <stdint.h>

#include "encode.h"
#include "plan_test.h"
#include "plan_view.h"

/* One event alone in a plan: its counter and word. */
static void word(const char *db, int mode, const char *name, unsigned counter, uint64_t want)
{
    struct plan_view p;
    char d[KPMC_DETAIL_MAX];
    int rc = view_build_names(&p, need_db(db), NULL, &name, 1, mode, d, sizeof d);
    CHECK(rc == 0, "%s %s mode %d: %d %s", db, name, mode, rc, d);
    if (rc)
        return;
    CHECK(p.events[0].config == want, "%s %s mode %d: word 0x%llx, want 0x%llx", db, name, mode,
          (unsigned long long)p.events[0].config, (unsigned long long)want);
    CHECK(p.events[0].counter == counter, "%s %s: counter %u, want %u", db, name, p.events[0].counter, counter);
}

static void arm64_words(void)
{
    /* a14 L1D_CACHE_MISS_LD: number 0xA3 (8-bit selector), no mask: PMC2 */
    word("a14", KPMC_MODE_ALL, "L1D_CACHE_MISS_LD", 2, 0xA3);
    word("a14", KPMC_MODE_USER, "L1D_CACHE_MISS_LD", 2, 0x300A3); /* 0xA3 | 0x30000 */
    /* a14 INST_ALL: number 0x8C, counters_mask 128: PMC7 */
    word("a14", KPMC_MODE_ALL, "INST_ALL", 7, 0x8C);
    word("a14", KPMC_MODE_USER, "INST_ALL", 7, 0x3008C);
    /* a16 L1D_CACHE_MISS_LD: number 0x5A3, a 16-bit selector */
    word("a16", KPMC_MODE_ALL, "L1D_CACHE_MISS_LD", 2, 0x5A3);
    word("a16", KPMC_MODE_USER, "L1D_CACHE_MISS_LD", 2, 0x305A3); /* 0x5A3 | 0x30000 */
    /* as4 L1I_CACHE_MISS_DEMAND: number 0x4006 */
    word("as4", KPMC_MODE_ALL, "L1I_CACHE_MISS_DEMAND", 2, 0x4006);
    word("as4", KPMC_MODE_USER, "L1I_CACHE_MISS_DEMAND", 2, 0x34006); /* 0x4006 | 0x30000 */
    /* as4 INST_BRANCH_COND: number 0x894, mask 252 (PMC2-7) */
    word("as4", KPMC_MODE_ALL, "INST_BRANCH_COND", 2, 0x894);
    /* a7 INST_ALL: number 122 = 0x7A, mask 192: PMC6 first */
    word("a7", KPMC_MODE_ALL, "INST_ALL", 6, 0x7A);

    /* the encoder alone */
    CHECK(kpmc_encode_arm64(0x4006, KPMC_MODE_ALL) == 0x4006, "arm64 all");
    CHECK(kpmc_encode_arm64(0x4006, KPMC_MODE_USER) == 0x34006, "arm64 user");
    CHECK(kpmc_encode_arm64(0x1FFFF, KPMC_MODE_ALL) == 0xFFFF, "arm64 selector is 16 bits");
}

static void x86_words(void)
{
    /* haswell BR_INST_RETIRED.ALL_BRANCHES: event 0xC4, umask 0x00, other
     * 0x53 (USR OS INT EN): 0x53 & 0xFF84 = 0.
     * all:  0xC4 | 0x10000 | 0x20000 | 0x400000 = 0x4300C4
     * user: 0xC4 | 0x10000 | 0x400000           = 0x4100C4 */
    word("haswell", KPMC_MODE_ALL, "BR_INST_RETIRED.ALL_BRANCHES", 3, 0x4300C4);
    word("haswell", KPMC_MODE_USER, "BR_INST_RETIRED.ALL_BRANCHES", 3, 0x4100C4);
    /* haswell BR_INST_RETIRED.NEAR_CALL_R3: 0xC4, umask 0x02, other 0x51
     * (USR INT EN, OS clear): user only in both modes.
     * 0xC4 | 0x02 << 8 | 0x10000 | 0x400000 = 0x4102C4 */
    word("haswell", KPMC_MODE_ALL, "BR_INST_RETIRED.NEAR_CALL_R3", 3, 0x4102C4);
    word("haswell", KPMC_MODE_USER, "BR_INST_RETIRED.NEAR_CALL_R3", 3, 0x4102C4);
    /* haswell CPL_CYCLES.RING0_TRANS: 0x5C, umask 0x01, other 0x157
     * (CMASK 1, EDGE): 0x157 & 0xFF84 = 0x104, << 16 = 0x1040000.
     * all:  0x5C | 0x100 | 0x1040000 | 0x30000 | 0x400000 = 0x147015C
     * user: 0x5C | 0x100 | 0x1040000 | 0x10000 | 0x400000 = 0x145015C */
    word("haswell", KPMC_MODE_ALL, "CPL_CYCLES.RING0_TRANS", 3, 0x147015C);
    word("haswell", KPMC_MODE_USER, "CPL_CYCLES.RING0_TRANS", 3, 0x145015C);
    /* haswell UOPS_ISSUED.STALL_CYCLES: 0x0E, umask 0x01, other 0x1D3
     * (CMASK 1, INV): 0x1D3 & 0xFF84 = 0x180, << 16 = 0x1800000.
     * all:  0x0E | 0x100 | 0x1800000 | 0x30000 | 0x400000 = 0x1C3010E
     * user: 0x0E | 0x100 | 0x1800000 | 0x10000 | 0x400000 = 0x1C1010E */
    word("haswell", KPMC_MODE_ALL, "UOPS_ISSUED.STALL_CYCLES", 3, 0x1C3010E);
    word("haswell", KPMC_MODE_USER, "UOPS_ISSUED.STALL_CYCLES", 3, 0x1C1010E);
    /* haswell UOPS_EXECUTED_PORT.PORT_0_CORE: 0xA1, umask 0x01, other 0x73
     * (ANY set): 0x73 & 0xFF84 = 0, ANY dropped.
     * all: 0xA1 | 0x100 | 0x30000 | 0x400000 = 0x4301A1 */
    word("haswell", KPMC_MODE_ALL, "UOPS_EXECUTED_PORT.PORT_0_CORE", 3, 0x4301A1);
    /* haswell UOPS_RETIRED.TOTAL_CYCLES: 0xC2, umask 0x01, other 0x10D3
     * (CMASK 16, INV): 0x10D3 & 0xFF84 = 0x1080, << 16 = 0x10800000.
     * all:  0xC2 | 0x100 | 0x10800000 | 0x30000 | 0x400000 = 0x10C301C2
     * user: 0xC2 | 0x100 | 0x10800000 | 0x10000 | 0x400000 = 0x10C101C2 */
    word("haswell", KPMC_MODE_ALL, "UOPS_RETIRED.TOTAL_CYCLES", 3, 0x10C301C2);
    word("haswell", KPMC_MODE_USER, "UOPS_RETIRED.TOTAL_CYCLES", 3, 0x10C101C2);
    /* haswell L1D_PEND_MISS.PENDING: 0x48, umask 0x01, other 0x53, mask
     * 0x20 = GP2 = counter 5.  0x48 | 0x100 | 0x30000 | 0x400000 = 0x430148 */
    word("haswell", KPMC_MODE_ALL, "L1D_PEND_MISS.PENDING", 5, 0x430148);
    /* broadwell BR_INST_RETIRED.NEAR_CALL_R3_PS: 0xC4, umask 0x02, other
     * 0x41 (USR EN): 0xC4 | 0x200 | 0x10000 | 0x400000 = 0x4102C4 */
    word("broadwell", KPMC_MODE_ALL, "BR_INST_RETIRED.NEAR_CALL_R3_PS", 3, 0x4102C4);
    /* broadwell RS_EVENTS.EMPTY_END: 0x5E, umask 0x01, other 0x1D7 (CMASK 1,
     * INV, EDGE): 0x1D7 & 0xFF84 = 0x184, << 16 = 0x1840000.
     * all: 0x5E | 0x100 | 0x1840000 | 0x30000 | 0x400000 = 0x1C7015E */
    word("broadwell", KPMC_MODE_ALL, "RS_EVENTS.EMPTY_END", 3, 0x1C7015E);
    /* skylake MEM_LOAD_RETIRED.L1_MISS: 0xD1, umask 0x08, no other.
     * all:  0xD1 | 0x800 | 0x30000 | 0x400000 = 0x4308D1
     * user: 0xD1 | 0x800 | 0x10000 | 0x400000 = 0x4108D1 */
    word("skylake", KPMC_MODE_ALL, "MEM_LOAD_RETIRED.L1_MISS", 3, 0x4308D1);
    word("skylake", KPMC_MODE_USER, "MEM_LOAD_RETIRED.L1_MISS", 3, 0x4108D1);
    /* skylake CYCLE_ACTIVITY.STALLS_TOTAL: 0xA3, umask 0x04 (no CMASK can be
     * expressed without `other`): 0xA3 | 0x400 | 0x30000 | 0x400000 = 0x4304A3 */
    word("skylake", KPMC_MODE_ALL, "CYCLE_ACTIVITY.STALLS_TOTAL", 3, 0x4304A3);
    /* skylake INST_RETIRED.PREC_DIST: 0xC0, umask 0x01, mask 0x10 = GP1 =
     * counter 4.  0xC0 | 0x100 | 0x30000 | 0x400000 = 0x4301C0 */
    word("skylake", KPMC_MODE_ALL, "INST_RETIRED.PREC_DIST", 4, 0x4301C0);
    /* icelake MEM_LOAD_RETIRED.L1_MISS: 0xD1, umask 0x08, mask 0xF0: counter 4 */
    word("icelake", KPMC_MODE_USER, "MEM_LOAD_RETIRED.L1_MISS", 4, 0x4108D1);
    /* x86 fallbacks in user mode: INST_RETIRED.ANY -> INST_RETIRED.ANY_P
     * (0xC0, umask 0, other 0x53): 0xC0 | 0x10000 | 0x400000 = 0x4100C0 */
    word("haswell", KPMC_MODE_USER, "INST_RETIRED.ANY", 3, 0x4100C0);
    /* arm64: FIXED_INSTRUCTIONS -> INST_ALL (0x8C): 0x8C | 0x30000 */
    word("a14", KPMC_MODE_USER, "Instructions", 7, 0x3008C);

    /* the encoder alone, with `other` values the plists do not combine */
    CHECK(kpmc_encode_x86(0xC4, 0x02, 1, 0x51, KPMC_MODE_USER) == 0x4102C4, "x86 0x51 user");
    /* other 0x52 (OS INT, no USR): kernel only; in user mode no ring */
    CHECK(kpmc_encode_x86(0x3C, 0x00, 1, 0x52, KPMC_MODE_ALL) == 0x42003C, "x86 kernel-only event");
    CHECK(kpmc_encode_x86(0x3C, 0x00, 1, 0x52, KPMC_MODE_USER) == 0x40003C, "x86 kernel-only event, user mode");
    /* PC (0x08), INT (0x10), ANY (0x20), EN (0x40) dropped; EDGE, INV, CMASK kept:
     * 0xFFFF & 0xFF84 = 0xFF84 -> 0xFF840000 | 0x30000 | 0x400000 = 0xFFC70000 */
    CHECK(kpmc_encode_x86(0, 0, 1, 0xFFFF, KPMC_MODE_ALL) == 0xFFC70000u, "x86 all other bits");
    CHECK(kpmc_encode_x86(0x2E, 0x4F, 0, 0, KPMC_MODE_ALL) == 0x434F2E, "x86 no other");
}

/* A whole plan: classes, the config array and the index map. */
struct want_event {
    unsigned counter, fixed, index;
    uint64_t config;
};

static void layout(const char *db, int mode, const char *const *names, size_t n, uint32_t classes, unsigned n_config,
                   const uint64_t *config, unsigned n_counters, const struct want_event *want)
{
    struct plan_view p;
    char d[KPMC_DETAIL_MAX];
    int rc = view_build_names(&p, need_db(db), NULL, names, n, mode, d, sizeof d);
    CHECK(rc == 0, "%s %s...: %d %s", db, names[0], rc, d);
    if (rc)
        return;
    CHECK(p.classes == classes, "%s %s...: classes 0x%x want 0x%x", db, names[0], p.classes, classes);
    CHECK(p.n_config == n_config, "%s %s...: n_config %u want %u", db, names[0], p.n_config, n_config);
    CHECK(p.n_counters == n_counters, "%s %s...: n_counters %u want %u", db, names[0], p.n_counters, n_counters);
    for (unsigned k = 0; k < n_config && k < p.n_config; k++)
        CHECK(p.config[k] == config[k], "%s %s...: config[%u] 0x%llx want 0x%llx", db, names[0], k,
              (unsigned long long)p.config[k], (unsigned long long)config[k]);
    for (unsigned k = p.n_config; k < KPMC_MAX_EVENTS + 1; k++)
        CHECK(p.config[k] == 0, "%s: config[%u] beyond n_config is 0x%llx", db, k, (unsigned long long)p.config[k]);
    for (size_t i = 0; i < n; i++) {
        const kpmc_plan_event *e = &p.events[i];
        CHECK(e->counter == want[i].counter && e->fixed == want[i].fixed && e->index == want[i].index &&
                  e->config == want[i].config,
              "%s %s: counter %u fixed %u index %u config 0x%llx; want %u %u %u 0x%llx", db, names[i], e->counter,
              e->fixed, e->index, (unsigned long long)e->config, want[i].counter, want[i].fixed, want[i].index,
              (unsigned long long)want[i].config);
    }
}

#define LAYOUT(db, mode, names, classes, config, n_counters, want)                                                 \
    layout(db, mode, names, sizeof names / sizeof names[0], classes, sizeof config / sizeof config[0], config,      \
           n_counters, want)

static void layouts(void)
{
    const uint32_t F = KPMC_CLASS_FIXED, C = KPMC_CLASS_CONFIGURABLE;

    /* a14, fixed_counters 0x3, config_counters 0x3FC: buffer [PMC0, PMC1,
     * PMC2..PMC9] = 10 values; config: 8 words for PMC2..PMC9. */
    {
        static const char *const names[] = {"INST_ALL", "Cycles", "L1D_CACHE_MISS_LD", "Instructions"};
        static const uint64_t config[] = {0xA3, 0, 0, 0, 0, 0x8C, 0, 0};
        static const struct want_event want[] = {
            {7, 0, 7, 0x8C}, {0, 1, 0, 0}, {2, 0, 2, 0xA3}, {1, 1, 1, 0}};
        LAYOUT("a14", KPMC_MODE_ALL, names, F | C, config, 10, want);
    }
    /* a14 without fixed events: buffer [PMC2..PMC9], INST_ALL (PMC7) at 5 */
    {
        static const char *const names[] = {"INST_ALL", "L1D_CACHE_MISS_LD"};
        static const uint64_t config[] = {0x300A3, 0, 0, 0, 0, 0x3008C, 0, 0};
        static const struct want_event want[] = {{7, 0, 5, 0x3008C}, {2, 0, 0, 0x300A3}};
        LAYOUT("a14", KPMC_MODE_USER, names, C, config, 8, want);
    }
    /* a14 fixed alone: no configuration word at all */
    {
        static const char *const names[] = {"Instructions", "Cycles"};
        static const struct want_event want[] = {{1, 1, 1, 0}, {0, 1, 0, 0}};
        struct plan_view p;
        char d[KPMC_DETAIL_MAX];
        int rc = view_build_names(&p, need_db("a14"), NULL, names, 2, KPMC_MODE_ALL, d, sizeof d);
        CHECK(rc == 0 && p.classes == F && p.n_config == 0 && p.n_counters == 2, "a14 fixed alone: %d %u %u %u", rc,
              p.classes, p.n_config, p.n_counters);
        for (unsigned i = 0; i < 2 && rc == 0; i++)
            CHECK(p.events[i].counter == want[i].counter && p.events[i].index == want[i].index && p.events[i].fixed,
                  "a14 fixed alone: event %u", i);
    }
    /* a7, config_counters 0xFC: six words for PMC2..PMC7; INST_ALL (mask
     * 192) on PMC6, INST_INT_ALU (192) on PMC7, BRANCH_MISPRED_NONSPEC
     * (224) left PMC5. */
    {
        static const char *const names[] = {"BRANCH_MISPRED_NONSPEC", "INST_ALL", "INST_INT_ALU", "Cycles"};
        /* numbers: BRANCH_MISPRED_NONSPEC 192 = 0xC0, INST_ALL 122 = 0x7A,
         * INST_INT_ALU 133 = 0x85 */
        static const uint64_t config[] = {0, 0, 0, 0xC0, 0x7A, 0x85};
        static const struct want_event want[] = {
            {5, 0, 5, 0xC0}, {6, 0, 6, 0x7A}, {7, 0, 7, 0x85}, {0, 1, 0, 0}};
        LAYOUT("a7", KPMC_MODE_ALL, names, F | C, config, 8, want);
    }
    /* haswell, fixed_counters 0x7, config_counters 0x78 (GP0-3 = counters
     * 3-6).  With FIXED: config = [ignored fixed word, GP0, GP1, GP2, GP3],
     * buffer = [FIX0, FIX1, FIX2, GP0..GP3]. */
    {
        static const char *const names[] = {"L1D_PEND_MISS.PENDING", "INST_RETIRED.ANY", "ReferenceCycles"};
        static const uint64_t config[] = {0, 0, 0, 0x430148, 0};
        static const struct want_event want[] = {{5, 0, 5, 0x430148}, {0, 1, 0, 0}, {2, 1, 2, 0}};
        LAYOUT("haswell", KPMC_MODE_ALL, names, F | C, config, 7, want);
    }
    /* haswell without FIXED: config = [GP0..GP3], buffer = [GP0..GP3];
     * user mode turns INST_RETIRED.ANY into INST_RETIRED.ANY_P on GP0. */
    {
        static const char *const names[] = {"L1D_PEND_MISS.PENDING", "INST_RETIRED.ANY"};
        static const uint64_t config[] = {0x4100C0, 0, 0x410148, 0};
        static const struct want_event want[] = {{5, 0, 2, 0x410148}, {3, 0, 0, 0x4100C0}};
        LAYOUT("haswell", KPMC_MODE_USER, names, C, config, 4, want);
    }
    /* haswell FIXED alone: one ignored word */
    {
        static const char *const names[] = {"INST_RETIRED.ANY"};
        static const uint64_t config[] = {0};
        static const struct want_event want[] = {{0, 1, 0, 0}};
        LAYOUT("haswell", KPMC_MODE_ALL, names, F, config, 3, want);
    }
    /* icelake, fixed_counters 0xF, config_counters 0xFF0 (GP0-7 = 4-11):
     * TOPDOWN.SLOTS on fixed counter 3; config = [fixed word, GP0..GP7];
     * buffer = [FIX0..FIX3, GP0..GP7]. */
    {
        static const char *const names[] = {"TOPDOWN.SLOTS", "MEM_LOAD_RETIRED.L1_MISS", "BR_INST_RETIRED.ALL_BRANCHES"};
        static const uint64_t config[] = {0, 0x4308D1, 0x4300C4, 0, 0, 0, 0, 0, 0};
        static const struct want_event want[] = {{3, 1, 3, 0}, {4, 0, 4, 0x4308D1}, {5, 0, 5, 0x4300C4}};
        LAYOUT("icelake", KPMC_MODE_ALL, names, F | C, config, 12, want);
    }
}

int main(void)
{
    arm64_words();
    x86_words();
    layouts();
    return check_result("test_encode");
}
