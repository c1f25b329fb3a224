/* Sessions against a simulated kernel that fails: a fault at every kpc
 * call of open, start, read, stop and close (the calls taken from the
 * simulator's log, so that each kernel's life is swept); no root; counters
 * held or used by another client; a non-zero initial state; the selector
 * allowlist; an unknown CPU or database, or another CPU's; counts that
 * disagree with the database or change under the session; x86_64 on
 * CPC-era kernels; the modes each event counts in.  Whatever fails, the
 * kernel's counting, thread counting and force_all_ctrs must end as they
 * were found.
 *
 * Usage: test_session_faults CASE (one CTest case each, see main()). */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "test_session.h"
#include "plan_view.h"

/* Fits every kernel: on one whose configurable counters count user mode
 * only, Cycles and Instructions become CORE_ACTIVE_CYCLE and INST_ALL. */
static const char *const set_names[] = {"Cycles", "Instructions", "INST_BRANCH", "L1D_TLB_ACCESS"};
#define N_SET 4

/* ---- the fault sweep ---- */

/* The operations of one session's life; a fault in one of its kpc calls
 * must make that operation fail (close: be absorbed). */
enum op { OPEN, START, READ, STOP, CLOSE, N_OPS };
static const char *const op_names[] = {"open", "start", "read", "stop", "close"};

struct outcome {
    int failed;       /* 0 or the op + 1 that failed first */
    int code;
    char detail[KPMC_DETAIL_MAX];
    unsigned long mark[N_OPS]; /* kpc calls made when each op had ended */
};

/* kpmc_options asking for kpc or nothing (no unprivileged session): the
 * life below is kpc's, and a refused kpc fails it. */
static const kpmc_options *kpc_only(void)
{
    static kpmc_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.kpc_only = 1;
    return &o;
}

/* One life; stops at the first failure and cleans up as a user would. */
static void live(int with_stop, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    kpmc_session *s;
    kpmc_set *set = NULL;
    int r = kpmc_open(&s, kpc_only());
    o->mark[OPEN] = sim_state().calls;
    if (r != 0) {
        o->failed = OPEN + 1;
        goto fail;
    }
    r = kpmc_set_new(s, &set, set_names, N_SET, KPMC_MODE_ALL);
    if (r != 0) {
        fprintf(stderr, "kpmc_set_new: %s\n", kpmc_session_error(s));
        exit(1);
    }
    /* A failed start or stop leaves counting as it was before the call. */
    struct kpmc_sim_state was = sim_state();
    r = kpmc_set_start(set);
    o->mark[START] = sim_state().calls;
    if (r != 0) {
        struct kpmc_sim_state now = sim_state();
        CHECK(same_kernel_state(&now, &was, "failed start"), "start failed with %s", kpmc_session_error(s));
        o->failed = START + 1;
        goto fail;
    }
    uint64_t v[N_SET];
    r = kpmc_set_read(set, v);
    o->mark[READ] = sim_state().calls;
    if (r != 0) {
        o->failed = READ + 1;
        snprintf(o->detail, sizeof o->detail, "%s", kpmc_set_error(set));
        o->code = r;
        CHECK(kpmc_session_error(s)[0] == '\0', "a failed read wrote the session's detail: %s",
              kpmc_session_error(s));
        goto done;
    }
    if (with_stop) {
        was = sim_state();
        r = kpmc_set_stop(set);
        if (r != 0) {
            struct kpmc_sim_state now = sim_state();
            CHECK(same_kernel_state(&now, &was, "failed stop"), "stop failed with %s", kpmc_session_error(s));
            o->failed = STOP + 1;
            o->mark[STOP] = sim_state().calls;
            goto fail;
        }
    }
    o->mark[STOP] = sim_state().calls;
    goto done;
fail:
    o->code = r;
    snprintf(o->detail, sizeof o->detail, "%s", kpmc_session_error(s));
done:
    /* Without a stop, close first: it must stop the set itself. */
    if (with_stop)
        kpmc_set_free(set);
    kpmc_close(s);
    if (!with_stop)
        kpmc_set_free(set);
    o->mark[CLOSE] = sim_state().calls;
}

/* The calls of a life without faults, from the simulator's log, each with
 * the operation that made it. */
struct call {
    enum op op;
    char fn[40];
};

static size_t record_life(const char *init_env, int with_stop, struct call *life, size_t max)
{
    sim_env(init_env, NULL);
    struct kpmc_sim_state found = sim_state();
    struct outcome o;
    live(with_stop, &o);
    struct kpmc_sim_state st = sim_state();
    CHECK(o.failed == 0, "%s: no fault, yet %s failed: %s", init_env, op_names[o.failed - 1], o.detail);
    CHECK(same_kernel_state(&st, &found, "no fault"), "%s", init_env);
    CHECK(!st.log_full && st.failed_calls == 0, "%s: log full or calls failed", init_env);
    size_t n = 0;
    char log[sizeof st.log];
    snprintf(log, sizeof log, "%s", st.log);
    for (char *save = NULL, *tok = strtok_r(log, " ", &save); tok && n < max; tok = strtok_r(NULL, " ", &save)) {
        enum op op = OPEN;
        while (op < CLOSE && n >= o.mark[op])
            op++;
        life[n].op = op;
        snprintf(life[n].fn, sizeof life[n].fn, "kpc_%s", tok);
        n++;
    }
    CHECK(n == st.calls, "%s: %zu calls in the log, %lu made", init_env, n, st.calls);
    return n;
}

/* Inject EIO at each call of the life in turn. */
static void sweep(const char *init, int with_stop)
{
    char init_env[64];
    snprintf(init_env, sizeof init_env, "KPMC_SIM_INIT=%s", init);
    struct call life[128];
    size_t n = record_life(init_env, with_stop, life, sizeof life / sizeof life[0]);
    CHECK(n >= 12, "%s: a life of %zu calls is too short", init_env, n);
    for (size_t j = 0; j < n; j++) {
        unsigned nth = 0;
        for (size_t i = 0; i <= j; i++)
            nth += strcmp(life[i].fn, life[j].fn) == 0;
        char fault[96];
        snprintf(fault, sizeof fault, "KPMC_SIM_FAULT=%s:%u:EIO", life[j].fn, nth);
        sim_env(init_env, fault, NULL);
        struct kpmc_sim_state found = sim_state();
        struct outcome o;
        live(with_stop, &o);
        struct kpmc_sim_state st = sim_state();
        const char *where = fault + strlen("KPMC_SIM_FAULT=");
        CHECK(st.failed_calls == 1, "init %s, %s: %lu calls failed, expected the fault alone", init, where,
              st.failed_calls);
        CHECK(same_kernel_state(&st, &found, where), "init %s, fault %s (in %s)", init, where,
              op_names[life[j].op]);
        if (life[j].op == CLOSE) {
            CHECK(o.failed == 0, "%s: %s failed", where, o.failed ? op_names[o.failed - 1] : "");
            continue;
        }
        CHECK(o.failed == (int)life[j].op + 1, "%s: expected %s to fail, got %s", where, op_names[life[j].op],
              o.failed ? op_names[o.failed - 1] : "nothing");
        CHECK(o.code == KPMC_E_KPC, "%s: %s, expected KPMC_E_KPC", where, kpmc_strerror(o.code));
        CHECK(contains(o.detail, life[j].fn) && contains(o.detail, "EIO"), "%s: detail \"%s\"", where,
              o.detail);
    }
}

static void case_faults(void)
{
    sweep("0:0:0", 1); /* stopped: close gives back the force alone */
    sweep("0:0:0", 0); /* closed while counting */
    /* Found counting something else: close puts it back. */
    sweep("2:2:0", 1);
    sweep("2:2:0", 0);
}

/* errno decides the code where it means something. */
static void case_fault_codes(void)
{
    static const struct {
        const char *fault;
        enum op op;
        int code;
    } cases[] = {
        {"KPMC_SIM_FAULT=kpc_force_all_ctrs_get:1:EPERM", OPEN, KPMC_E_PERM},
        {"KPMC_SIM_FAULT=kpc_force_all_ctrs_set:1:EACCES", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_force_all_ctrs_set:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_set_config:1:EBUSY", START, KPMC_E_BUSY},
        /* EPERM that no event alone explains: not the allowlist */
        {"KPMC_SIM_FAULT=kpc_set_config:1:EPERM", START, KPMC_E_KPC},
        {"KPMC_SIM_FAULT=kpc_set_counting:1:EINVAL", START, KPMC_E_KPC},
        {"KPMC_SIM_FAULT=kpc_get_config:1:EBUSY", START, KPMC_E_BUSY},
        /* EBUSY anywhere in kpmc_open */
        {"KPMC_SIM_FAULT=kpc_cpu_string:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_force_all_ctrs_get:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_get_counting:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_get_thread_counting:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_get_counter_count:1:EBUSY", OPEN, KPMC_E_BUSY},
        {"KPMC_SIM_FAULT=kpc_get_config_count:1:EBUSY", OPEN, KPMC_E_BUSY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_env(cases[i].fault, NULL);
        struct kpmc_sim_state found = sim_state();
        struct outcome o;
        live(1, &o);
        struct kpmc_sim_state st = sim_state();
        CHECK(o.failed == (int)cases[i].op + 1 && o.code == cases[i].code, "%s: %s failed with %s (%s)",
              cases[i].fault, o.failed ? op_names[o.failed - 1] : "nothing", kpmc_strerror(o.code), o.detail);
        if (o.code == KPMC_E_BUSY)
            CHECK(contains(o.detail, contains(cases[i].fault, "EBUSY") ? "EBUSY" : "EACCES") &&
                      contains(o.detail, "another client"),
                  "%s: detail \"%s\"", cases[i].fault, o.detail);
        CHECK(same_kernel_state(&st, &found, cases[i].fault), "%s", cases[i].fault);
    }
}

/* ---- open refused ---- */

/* kpmc_open in the current environment must fail with code, with every
 * needle (NULL-terminated) in its detail, and change nothing in the kernel;
 * what: the case, for messages.  Returns the inert session; the caller
 * closes it. */
static kpmc_session *open_refused_with(const char *what, int code, const char *const *needles,
                                       const kpmc_options *opt)
{
    struct kpmc_sim_state found = sim_state();
    kpmc_session *s;
    int r = kpmc_open(&s, opt);
    CHECK(r == code, "%s: %s, expected %s", what, kpmc_strerror(r), kpmc_strerror(code));
    for (const char *const *n = needles; *n; n++)
        CHECK(contains(kpmc_session_error(s), *n), "%s: \"%s\" not in the detail \"%s\"", what, *n,
              kpmc_session_error(s));
    CHECK(kpmc_session_db(s) == NULL, "%s: an inert session has a database", what);
    struct kpmc_sim_state st = sim_state();
    CHECK(same_kernel_state(&st, &found, what), "%s", what);
    return s;
}

static kpmc_session *open_refused(const char *what, int code, const char *const *needles)
{
    return open_refused_with(what, code, needles, NULL);
}



static void case_noroot(void)
{
    sim_env("KPMC_SIM_NOROOT=1", NULL);
    static const char *const needles[] = {"kpc_force_all_ctrs_get", "EPERM", "sudo", NULL};
    /* Without thread_selfcounts (a kernel without per-thread counts), and
     * when asked for kpc only, kpmc_open fails as it always did. */
    sim_env("KPMC_SIM_NOROOT=1", "KPMC_SIM_SELFCOUNTS_FAIL=ENOTSUP", NULL);
    static const char *const no_selfcounts[] = {"kpc_force_all_ctrs_get", "EPERM", "sudo",
                                                "thread_selfcounts(THSC_CPI) failed with ENOTSUP", NULL};
    kpmc_close(open_refused("not root, no thread_selfcounts", KPMC_E_PERM, no_selfcounts));
    sim_env("KPMC_SIM_NOROOT=1", NULL);
    kpmc_session *s = open_refused_with("not root, kpc only", KPMC_E_PERM, needles, kpc_only());
    static long double not_a_set;
    kpmc_set *set = (kpmc_set *)(void *)&not_a_set;
    int r = kpmc_set_new(s, &set, set_names, N_SET, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_STATE && set == NULL, "kpmc_set_new on an inert session: %s", kpmc_strerror(r));
    CHECK(contains(kpmc_session_error(s), "sudo"), "the open failure's detail was lost: \"%s\"",
          kpmc_session_error(s));
    CHECK(kpmc_session_privileged(s) == KPMC_E_STATE, "an inert session is privileged or not");
    kpmc_close(s);
    /* Otherwise an unprivileged session (test_selfcounts.c counts with
     * it): kpc asked once, changed in nothing. */
    sim_env("KPMC_SIM_NOROOT=1", NULL);
    struct kpmc_sim_state found = sim_state();
    r = kpmc_open(&s, NULL);
    struct kpmc_sim_state st = sim_state();
    CHECK(r == 0 && kpmc_session_privileged(s) == 0 && kpmc_session_db(s) == kpmc_db_find(st.db),
          "not root: %s, privileged %d", kpmc_strerror(r), kpmc_session_privileged(s));
    for (const char *const *n = needles; *n; n++)
        CHECK(contains(kpmc_session_error(s), *n), "unprivileged: \"%s\" not in \"%s\"", *n, kpmc_session_error(s));
    CHECK(same_kernel_state(&st, &found, "unprivileged") && !strcmp(st.log, "cpu_string force_all_ctrs_get") &&
              st.selfcounts_calls == found.selfcounts_calls + 1,
          "unprivileged open: kpc calls \"%s\", %lu thread_selfcounts calls", st.log,
          st.selfcounts_calls - found.selfcounts_calls);
    kpmc_close(s);
}

/* Another task holds the force: before cpc the kernel refuses ours with
 * EACCES; cpc answers 0 and changes nothing, so kpmc counts alongside. */
static void case_force_held(void)
{
    sim_env("KPMC_SIM_FORCE_HELD=1", NULL);
    if (!sim_profile("cpc")) {
        static const char *const needles[] = {"kpc_force_all_ctrs_set", "EACCES", "another client", NULL};
        kpmc_close(open_refused("force held", KPMC_E_BUSY, needles));
        struct kpmc_sim_state st = sim_state();
        CHECK(st.force_all == 1 && !st.force_owned, "the force held by another task was released");
        return;
    }
    struct kpmc_sim_state found = sim_state();
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0, "cpc, force held: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    kpmc_probe pr = {sizeof pr, 0, 0, 0, 0, 0, 0, {0}, 0, 0};
    CHECK(kpmc_session_probe(s, &pr) == 0 && pr.force_found == 1, "probe: force found %d (%s)", pr.force_found,
          kpmc_session_error(s));
    struct kpmc_sim_state st = sim_state();
    CHECK(st.force_all == 1 && !st.force_owned, "cpc: kpmc took the force from its holder");
    kpmc_close(s);
    st = sim_state();
    CHECK(same_kernel_state(&st, &found, "cpc, force held"), "after close");
}

/* A non-zero state found at open is restored exactly, whether the set was
 * stopped before close or not, and when no set ever ran. */
static void case_init(void)
{
    static const char *const inits[] = {"KPMC_SIM_INIT=3:3:1", "KPMC_SIM_INIT=2:1:0", "KPMC_SIM_INIT=1:0:1",
                                        "KPMC_SIM_INIT=0:3:0", "KPMC_SIM_INIT=3:3:0"};
    for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++) {
        for (int how = 0; how < 3; how++) {
            sim_env(inits[i], NULL);
            struct kpmc_sim_state found = sim_state();
            kpmc_session *s;
            kpmc_set *set = NULL;
            int r = kpmc_open(&s, NULL);
            CHECK(r == 0, "%s: open: %s", inits[i], kpmc_session_error(s));
            if (how > 0) {
                r = kpmc_set_new(s, &set, set_names, N_SET, KPMC_MODE_ALL);
                CHECK(r == 0 && kpmc_set_start(set) == 0, "%s: start: %s", inits[i], kpmc_session_error(s));
                uint64_t v[N_SET];
                CHECK(kpmc_set_read(set, v) == 0, "%s: read: %s", inits[i], kpmc_set_error(set));
                if (how == 2)
                    CHECK(kpmc_set_stop(set) == 0, "%s: stop: %s", inits[i], kpmc_session_error(s));
            }
            kpmc_close(s);
            kpmc_set_free(set); /* after close: allowed */
            struct kpmc_sim_state st = sim_state();
            CHECK(same_kernel_state(&st, &found, inits[i]), "%s, life %d", inits[i], how);
            CHECK(st.failed_calls == 0, "%s: %lu calls failed", inits[i], st.failed_calls);
        }
    }
}

/* ---- the database ---- */

/* The selector allowlist (14.4 and later, arm64): a set with selectors the
 * kernel's list lacks is refused at kpc_set_config with EPERM; kpmc names
 * the refused events, puts back the words it found and leaves counting as
 * it was.  A list here: CORE_ACTIVE_CYCLE (0x2), INST_ALL (0x8c) and
 * INST_BRANCH (0x8d) of a14. */
static void case_allowlist(void)
{
    static const char *const names[] = {"CORE_ACTIVE_CYCLE", "INST_BRANCH", "L1D_TLB_ACCESS", "INST_LDST"};
    if (sim_profile("pre14.4")) {
        /* No list before 14.4: everything is programmed. */
        sim_env("KPMC_SIM_DB=a14", NULL);
        kpmc_session *s;
        kpmc_set *set = NULL;
        CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
        CHECK(kpmc_set_new(s, &set, names, 4, KPMC_MODE_USER) == 0 && kpmc_set_start(set) == 0,
              "pre14.4: %s", kpmc_session_error(s));
        kpmc_set_free(set);
        kpmc_close(s);
        return;
    }
    sim_env("KPMC_SIM_DB=a14", "KPMC_SIM_ALLOWLIST=0x2,0x8c,0x8d", NULL);
    kpmc_session *s;
    CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
    /* Words programmed before: an allowed set, started and stopped. */
    const char *ok_names[] = {"INST_BRANCH", "CORE_ACTIVE_CYCLE"};
    kpmc_set *ok = NULL, *set = NULL;
    CHECK(kpmc_set_new(s, &ok, ok_names, 2, KPMC_MODE_USER) == 0 && kpmc_set_start(ok) == 0 &&
              kpmc_set_stop(ok) == 0,
          "allowed set: %s", kpmc_session_error(s));
    struct kpmc_sim_state found = sim_state();
    CHECK(kpmc_set_new(s, &set, names, 4, KPMC_MODE_USER) == 0, "%s", kpmc_session_error(s));
    int r = kpmc_set_start(set);
    const char *d = kpmc_session_error(s);
    CHECK(r == KPMC_E_UNAVAILABLE, "start: %s (%s)", kpmc_strerror(r), d);
    CHECK(contains(d, "kpc_set_config") && contains(d, "EPERM") && contains(d, "allowlist") &&
              contains(d, "L1D_TLB_ACCESS (selector 0xa0)") && contains(d, "INST_LDST (selector 0x9b)") &&
              !contains(d, "INST_BRANCH") && !contains(d, "CORE_ACTIVE_CYCLE"),
          "detail \"%s\"", d);
    struct kpmc_sim_state st = sim_state();
    CHECK(same_kernel_state(&st, &found, "allowlist"), "a refused start changed counting");
    for (unsigned k = 0; k < st.n_config; k++)
        CHECK((st.config[k] & 0xFFFFu) == (found.config[k] & 0xFFFFu),
              "configurable counter %u: selector 0x%llx, before 0x%llx", k, (unsigned long long)st.config[k],
              (unsigned long long)found.config[k]);
    kpmc_kernel kn = {sizeof kn, 0, 0, 0};
    CHECK(kpmc_session_kernel(s, &kn) == 0 && (kn.known & kn.flags & KPMC_KERNEL_ALLOWLIST),
          "the session did not learn the allowlist");
    kpmc_set_free(set);
    kpmc_set_free(ok);
    kpmc_close(s);

    /* A SoC missing from the kernel's list: nothing but selector 0 passes. */
    sim_env("KPMC_SIM_DB=a14", "KPMC_SIM_ALLOWLIST=none", NULL);
    CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
    CHECK(kpmc_set_new(s, &set, names, 1, KPMC_MODE_USER) == 0, "%s", kpmc_session_error(s));
    r = kpmc_set_start(set);
    CHECK(r == KPMC_E_UNAVAILABLE && contains(kpmc_session_error(s), "CORE_ACTIVE_CYCLE (selector 0x2)"),
          "empty list: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    kpmc_set_free(set);
    /* Fixed counters need no word: a set of them counts. */
    const char *fixed[] = {"Cycles", "Instructions"};
    CHECK(kpmc_set_new(s, &set, fixed, 2, KPMC_MODE_ALL) == 0 && kpmc_set_start(set) == 0,
          "fixed events with an empty list: %s", kpmc_session_error(s));
    kpmc_set_free(set);
    kpmc_close(s);
}

/* The database must be the CPU's: a14's selectors on an M4 count other
 * events.  Forced, the counts must still match. */
static void case_db_force(void)
{
    sim_env("KPMC_SIM_DB=as4", "KPMC_DB=a14", NULL);
    static const char *const needles[] = {"KPMC_DB=a14", "cpu_100000c_2_6f5129ac", "0x6f5129ac", "is as4",
                                          "KPMC_DB_FORCE=1", NULL};
    kpmc_close(open_refused("a14 on an M4", KPMC_E_NODB, needles));
    kpmc_session *s;
    sim_env("KPMC_SIM_DB=as4", "KPMC_DB=a14", "KPMC_DB_FORCE=1", NULL);
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "KPMC_DB_FORCE=1: %s", kpmc_session_error(s));
    kpmc_close(s);
    sim_env("KPMC_SIM_DB=as4", NULL);
    kpmc_options opt = {sizeof opt, NULL, "a14", 1, 0};
    r = kpmc_open(&s, &opt);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "force_db: %s", kpmc_session_error(s));
    kpmc_close(s);
    /* An options struct from before force_db: not read. */
    opt.size = offsetof(kpmc_options, force_db);
    r = kpmc_open(&s, &opt);
    CHECK(r == KPMC_E_NODB, "short options: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    kpmc_close(s);
    /* Naming the CPU's own database needs no force. */
    sim_env("KPMC_SIM_DB=as4", "KPMC_DB=AS4", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == 0, "KPMC_DB=AS4 on an M4: %s", kpmc_session_error(s));
    kpmc_close(s);
}

/* Another client uses the counters: every kpc request answers EBUSY. */
static void case_busy(void)
{
    sim_env("KPMC_SIM_BUSY=1", NULL);
    static const char *const needles[] = {"kpc_force_all_ctrs_get", "EBUSY", "another client", NULL};
    kpmc_close(open_refused("busy", KPMC_E_BUSY, needles));
    sim_env("KPMC_SIM_BUSY=1", "KPMC_SIM_NOROOT=1", NULL);
    static const char *const noroot[] = {"EPERM", "sudo", NULL};
    kpmc_close(open_refused_with("busy, not root", KPMC_E_PERM, noroot, kpc_only()));
    /* Another client's use of kpc does not concern thread_selfcounts. */
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_privileged(s) == 0, "busy, not root, unprivileged: %s", kpmc_session_error(s));
    kpmc_close(s);
}

/* The counters changed under the session between open and start (another
 * client released the force): the buffer the kernel now fills differs from
 * the plan's, so start refuses and leaves counting as it was; on cpc,
 * kpc_set_config forces them again and the set counts. */
static void case_counts_changed(void)
{
    sim_env("KPMC_SIM_DB=a14", NULL);
    kpmc_session *s;
    kpmc_set *set = NULL;
    CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
    const char *names[] = {"L1D_TLB_ACCESS", "INST_BRANCH"};
    CHECK(kpmc_set_new(s, &set, names, 2, KPMC_MODE_USER) == 0, "%s", kpmc_session_error(s));
    int (*force_set)(int);
    void *fn = dlsym(sim.handle, "kpc_force_all_ctrs_set");
    memcpy(&force_set, &fn, sizeof fn);
    CHECK(fn && force_set(0) == 0, "releasing the force as another client");
    struct kpmc_sim_state found = sim_state();
    int r = kpmc_set_start(set);
    if (sim_profile("cpc")) {
        /* kpc_set_config forces the counters by itself there. */
        CHECK(r == 0 && sim_state().force_owned, "cpc: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    } else {
        CHECK(r == KPMC_E_KPC && contains(kpmc_session_error(s), "kpc_get_counter_count(0x2) reports 5") &&
                  contains(kpmc_session_error(s), "set reads 8"),
              "%s (%s)", kpmc_strerror(r), kpmc_session_error(s));
        struct kpmc_sim_state st = sim_state();
        CHECK(same_kernel_state(&st, &found, "counts changed"), "start left counting on");
    }
    kpmc_set_free(set);
    kpmc_close(s);
}

/* x86_64 on a CPC-era kernel: half the general-purpose counters, and
 * CMASK/INV/EDGE dropped.  Before cpc both work. */
static void case_x86(void)
{
    sim_env("KPMC_SIM_DB=ivybridge", NULL);
    kpmc_session *s;
    kpmc_set *set = NULL;
    CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
    kpmc_kernel kn = {sizeof kn, 0, 0, 0};
    CHECK(kpmc_session_kernel(s, &kn) == 0, "%s", kpmc_session_error(s));
    int cpc = sim_profile("cpc");
    /* ivybridge GP0-3 are counters 3-6 */
    CHECK(kn.config_counters == (cpc ? 0x18u : 0x78u), "configurable counters 0x%x", (unsigned)kn.config_counters);
    /* UOPS_ISSUED.STALL_CYCLES: `other` 0x1D3 = CMASK 1 + INV */
    const char *stall[] = {"INST_ALL", "UOPS_ISSUED.STALL_CYCLES"};
    CHECK(kpmc_set_new(s, &set, stall, 2, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
    struct kpmc_sim_state found = sim_state();
    int r = kpmc_set_start(set);
    if (cpc) {
        CHECK(r == KPMC_E_UNAVAILABLE && contains(kpmc_session_error(s), "UOPS_ISSUED.STALL_CYCLES") &&
                  contains(kpmc_session_error(s), "CMASK"),
              "cpc: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
        struct kpmc_sim_state st = sim_state();
        CHECK(same_kernel_state(&st, &found, "x86 cpc"), "a refused start left counting on");
        kpmc_set_free(set);
        /* The session knows now: refused when the set is made. */
        r = kpmc_set_new(s, &set, stall, 2, KPMC_MODE_ALL);
        CHECK(r == KPMC_E_UNAVAILABLE && set == NULL, "second set: %s", kpmc_strerror(r));
    } else {
        CHECK(r == 0, "%s: %s", sim_state().kernel, kpmc_session_error(s));
        struct kpmc_sim_state st = sim_state();
        kpmc_plan_event e1 = {.size = sizeof e1};
        uint64_t w = r == 0 && kpmc_plan_event_get(kpmc_set_plan(set), 1, &e1) == 0 ? e1.config : 0;
        CHECK((w & 0xFF800000u) == 0x01800000u && st.config[rank_in(0x78u, e1.counter)] == w,
              "CMASK 1 + INV programmed: word 0x%llx", (unsigned long long)w);
        kpmc_set_free(set);
    }
    /* L1D_PEND_MISS.PENDING may only use GP2 (counter 5). */
    const char *gp2[] = {"L1D_PEND_MISS.PENDING"};
    set = NULL;
    r = kpmc_set_new(s, &set, gp2, 1, KPMC_MODE_ALL);
    if (cpc)
        CHECK(r == KPMC_E_UNAVAILABLE && contains(kpmc_session_error(s), "gives only configurable counters 0x18"),
              "GP2 on cpc: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
    else
        CHECK(r == 0 && kpmc_set_start(set) == 0, "GP2: %s", kpmc_session_error(s));
    kpmc_set_free(set);
    kpmc_close(s);
}

/* What each event counts, as read back, on every kernel: user mode only
 * sets, all-mode sets, and machines that let configurable counters count
 * the kernel. */
static void case_modes(void)
{
    const kpmc_db_info *dp = NULL;
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_db_find("a14"), &d);
    dp = &d;
    static const char *const mixed[] = {"Cycles", "INST_BRANCH"};
    static const char *const conf_only[] = {"INST_BRANCH", "L1D_TLB_ACCESS"};
    for (int kc = 0; kc < 2; kc++) {
        if (kc && (sim_profile("pre14.4") || sim_profile("14.4")))
            break;
        sim_env("KPMC_SIM_DB=a14", kc ? "KPMC_SIM_KERNEL_COUNTING=1" : "KPMC_SIM_INIT=0:0:0", NULL);
        int kernel = sim_counts_kernel(dp);
        kpmc_session *s;
        kpmc_set *set = NULL;
        CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
        /* Configurable events only, all modes: what the kernel allows. */
        CHECK(kpmc_set_new(s, &set, conf_only, 2, KPMC_MODE_ALL) == 0 && kpmc_set_start(set) == 0,
              "%s", kpmc_session_error(s));
        for (size_t i = 0; i < 2; i++)
            CHECK(kpmc_set_event_modes(set, i) == (int)(kernel ? 3 : 1), "%s all modes, kernel counting %d: %d",
                  conf_only[i], kernel, kpmc_set_event_modes(set, i));
        /* Thread accumulators are never zeroed: count by differences. */
        uint64_t a[2], v[2];
        CHECK(kpmc_set_read(set, a) == 0 && kpmc_set_read(set, v) == 0 && v[0] - a[0] == (kernel ? 3u : 1u) * 0x8Du,
              "INST_BRANCH read %llu", (unsigned long long)(v[0] - a[0]));
        kpmc_set_free(set);
        kpmc_kernel kn = {sizeof kn, 0, 0, 0};
        CHECK(kpmc_session_kernel(s, &kn) == 0 && (kn.known & KPMC_KERNEL_USER_ONLY) &&
                  (!(kn.flags & KPMC_KERNEL_USER_ONLY)) == kernel,
              "learned flags 0x%x known 0x%x", kn.flags, kn.known);
        /* Mixed, all modes: fixed counters stay only where configurable
         * ones count the kernel too; the session knows the kernel now, so
         * the plan is right from kpmc_set_new on. */
        CHECK(kpmc_set_new(s, &set, mixed, 2, KPMC_MODE_ALL) == 0, "%s", kpmc_session_error(s));
        struct plan_view p_view;
        plan_read(kpmc_set_plan(set), &p_view);
        const struct plan_view *p = &p_view;
        CHECK(p->events[0].fixed == (unsigned)kernel && p->events[0].counts == (kernel ? 3u : 1u),
              "Cycles planned fixed %u counts %u", p->events[0].fixed, p->events[0].counts);
        unsigned long configs = sim_state().set_config_calls;
        CHECK(kpmc_set_start(set) == 0, "%s", kpmc_session_error(s));
        CHECK(sim_state().set_config_calls == configs + 1, "planned for the known kernel: one kpc_set_config");
        for (size_t i = 0; i < 2; i++)
            CHECK(kpmc_set_event_modes(set, i) == (int)(kernel ? 3 : 1), "%s mixed: %d", mixed[i],
                  kpmc_set_event_modes(set, i));
        CHECK(kpmc_set_read(set, a) == 0 && kpmc_set_read(set, v) == 0 && v[0] - a[0] == (kernel ? 3000u : 2u) &&
                  v[1] - a[1] == (kernel ? 3u : 1u) * 0x8Du,
              "mixed read %llu %llu", (unsigned long long)(v[0] - a[0]), (unsigned long long)(v[1] - a[1]));
        kpmc_set_free(set);
        /* User mode: everything counts user mode only. */
        CHECK(kpmc_set_new(s, &set, conf_only, 2, KPMC_MODE_USER) == 0 && kpmc_set_start(set) == 0,
              "%s", kpmc_session_error(s));
        for (size_t i = 0; i < 2; i++)
            CHECK(kpmc_set_event_modes(set, i) == 1, "%s user: %d", conf_only[i], kpmc_set_event_modes(set, i));
        CHECK(kpmc_set_event_modes(set, 2) == KPMC_E_INVAL && kpmc_set_event_modes(NULL, 0) == KPMC_E_INVAL,
              "bad index");
        kpmc_set_free(set);
        kpmc_close(s);
    }
}

static void case_unknown_cpu(void)
{
    sim_env("KPMC_SIM_CPU=cpu_100000c_2_deadbeef", NULL);
    static const char *const needles[] = {"cpu_100000c_2_deadbeef", "0xdeadbeef", "/usr/share/kpep",
                                          "-DKPMC_KPEP_DIR=/usr/share/kpep", "this Mac", NULL};
    kpmc_session *s = open_refused("unknown cpu", KPMC_E_NODB, needles);
    CHECK(!strcmp(kpmc_session_cpu(s), "cpu_100000c_2_deadbeef"), "cpu \"%s\"", kpmc_session_cpu(s));
    kpmc_close(s);
    int r;

    /* KPMC_DB names a database for an unknown CPU only when forced. */
    sim_env("KPMC_SIM_CPU=cpu_100000c_2_deadbeef", "KPMC_DB=a14", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == KPMC_E_NODB && contains(kpmc_session_error(s), "database is unknown"), "KPMC_DB=a14: %s",
          kpmc_session_error(s));
    kpmc_close(s);
    sim_env("KPMC_SIM_CPU=cpu_100000c_2_deadbeef", "KPMC_DB=a14", "KPMC_DB_FORCE=1", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "KPMC_DB=a14, forced: %s", kpmc_session_error(s));
    kpmc_close(s);
    /* An Intel string with its model suffix. */
    sim_env("KPMC_SIM_DB=haswell", "KPMC_SIM_CPU=cpu_7_8_10b282dc_46", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("haswell"), "haswell with model: %s",
          kpmc_session_error(s));
    kpmc_close(s);
}

static void case_db_name(void)
{
    sim_env("KPMC_DB=m9", NULL);
    static const char *const needles[] = {"KPMC_DB=m9", " a7 ", " as4 ", " skylake", NULL};
    kpmc_session *s = open_refused("KPMC_DB=m9", KPMC_E_NODB, needles);
    kpmc_close(s);
    int r;
    /* a chip names its database, in any case and spacing */
    sim_env("KPMC_DB=m1 pro", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "KPMC_DB=m1 pro: %s", kpmc_session_error(s));
    kpmc_close(s);
    /* kpmc_options.db wins over KPMC_DB */
    kpmc_options opt = {sizeof opt, NULL, "a14", 0, 0};
    r = kpmc_open(&s, &opt);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "options.db: %s", kpmc_session_error(s));
    kpmc_close(s);
    opt.db = "zz";
    sim_env("KPMC_DB=a14", NULL);
    r = kpmc_open(&s, &opt);
    CHECK(r == KPMC_E_NODB && contains(kpmc_session_error(s), "kpmc_options.db=zz"), "detail \"%s\"",
          kpmc_session_error(s));
    kpmc_close(s);
    opt.size = 0;
    r = kpmc_open(&s, &opt);
    CHECK(r == KPMC_E_INVAL && contains(kpmc_session_error(s), "sizeof(kpmc_options)"), "size 0: %s",
          kpmc_session_error(s));
    kpmc_close(s);
}

/* a9 has 6 configurable counters, a14 8: the counts give it away and the
 * force taken at open is given back. */
static void case_counts(void)
{
    sim_env("KPMC_SIM_DB=a9", "KPMC_DB=a14", "KPMC_DB_FORCE=1", NULL);
    static const char *const needles[] = {"report 8 counters and 6 config words", "a14 has 10 and 8", NULL};
    kpmc_close(open_refused("a9 counted as a14", KPMC_E_NODB, needles));
}

/* ---- kpmc_session_probe ---- */

/* What kpmc info reports, on each kernel: the allowlist, the events it
 * refuses, whether configurable counters count the kernel; the kernel's
 * counting state and selectors are left as found. */
static void case_probe(void)
{
    const kpmc_db *db = kpmc_db_find("a14");
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    /* The configurable events of a14 a probe tries, counted here. */
    unsigned conf_events = 0;
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        conf_events += (e.has & KPMC_HAS_NUMBER) && e.number && !(e.has & KPMC_HAS_FIXED_COUNTER) &&
                       (e.counters & d.config_counters);
    }
    for (int listed = 0; listed < 2; listed++) {
        if (listed && sim_profile("pre14.4"))
            break;
        sim_env("KPMC_SIM_DB=a14", "KPMC_SIM_INIT=2:0:0",
                listed ? "KPMC_SIM_ALLOWLIST=0x2,0x8c,0x8d" : "KPMC_SIM_FAULT=kpc_cpu_string:99:EIO", NULL);
        kpmc_session *s;
        CHECK(kpmc_open(&s, NULL) == 0, "%s", kpmc_session_error(s));
        struct kpmc_sim_state found = sim_state();
        kpmc_probe pr = {.size = sizeof pr};
        memset(&pr, 0xa5, sizeof pr);
        pr.size = sizeof pr;
        int r = kpmc_session_probe(s, &pr);
        CHECK(r == 0, "probe: %s (%s)", kpmc_strerror(r), kpmc_session_error(s));
        int has_list = sim_has_allowlist(&d);
        CHECK(pr.allowlist == has_list, "allowlist %d, expected %d", pr.allowlist, has_list);
        CHECK(pr.n_tried == conf_events, "%u events tried, a14 has %u configurable ones", pr.n_tried, conf_events);
        CHECK(pr.n_refused == (listed ? conf_events - 3 : 0), "%u events refused", pr.n_refused);
        for (unsigned i = 0; i < pr.n_refused && i < KPMC_MAX_EVENTS; i++) {
            const char *name = kpmc_event_name(db, pr.refused[i]);
            CHECK(strcmp(name, "CORE_ACTIVE_CYCLE") && strcmp(name, "INST_ALL") && strcmp(name, "INST_BRANCH"),
                  "%s refused", name);
        }
        CHECK(pr.kernel_counting == sim_counts_kernel(&d), "kernel counting %d", pr.kernel_counting);
        CHECK(pr.force_found == 0 && pr.counting_found == 2 && pr.thread_counting_found == 0 &&
                  pr.config_counters == d.config_counters,
              "found: force %d counting 0x%x thread 0x%x counters 0x%x", pr.force_found,
              (unsigned)pr.counting_found, (unsigned)pr.thread_counting_found, (unsigned)pr.config_counters);
        struct kpmc_sim_state st = sim_state();
        CHECK(same_kernel_state(&st, &found, "probe"), "the probe changed counting");
        for (unsigned k = 0; k < st.n_config; k++)
            CHECK((st.config[k] & 0xFFFFu) == (found.config[k] & 0xFFFFu), "counter %u: selector 0x%llx", k,
                  (unsigned long long)st.config[k]);
        /* The session learned the kernel. */
        kpmc_kernel kn = {sizeof kn, 0, 0, 0};
        CHECK(kpmc_session_kernel(s, &kn) == 0 &&
                  (kn.known & (KPMC_KERNEL_USER_ONLY | KPMC_KERNEL_ALLOWLIST)) ==
                      (KPMC_KERNEL_USER_ONLY | KPMC_KERNEL_ALLOWLIST) &&
                  !!(kn.flags & KPMC_KERNEL_ALLOWLIST) == has_list &&
                  (!(kn.flags & KPMC_KERNEL_USER_ONLY)) == sim_counts_kernel(&d),
              "kernel flags 0x%x known 0x%x", kn.flags, kn.known);
        /* Not while a set counts; not with a short struct. */
        kpmc_set *set = NULL;
        const char *one[] = {"Cycles"};
        CHECK(kpmc_set_new(s, &set, one, 1, KPMC_MODE_ALL) == 0 && kpmc_set_start(set) == 0, "%s",
              kpmc_session_error(s));
        r = kpmc_session_probe(s, &pr);
        CHECK(r == KPMC_E_BUSY && contains(kpmc_session_error(s), "1 event set is counting"), "%s (%s)",
              kpmc_strerror(r), kpmc_session_error(s));
        kpmc_set_free(set);
        pr.size = sizeof pr - 1;
        CHECK(kpmc_session_probe(s, &pr) == KPMC_E_INVAL, "short kpmc_probe");
        kpmc_close(s);
    }
}

/* ---- loading ---- */

/* The library lacking a symbol (test_session_partial_kperf), argv[2]. */
static const char *partial_kperf = "(no partial kperf given)";

static void case_load(const char *partial)
{
    sim_env(NULL);
    kpmc_session *s;
    kpmc_options opt = {sizeof opt, "/nonexistent/kperf", NULL, 0, 0};
    int r = kpmc_open(&s, &opt);
    CHECK(r == KPMC_E_LOAD && contains(kpmc_session_error(s), "dlopen(/nonexistent/kperf)"), "detail \"%s\"",
          kpmc_session_error(s));
    kpmc_close(s);

    opt.kperf_path = partial;
    r = kpmc_open(&s, &opt);
    CHECK(r == KPMC_E_LOAD && contains(kpmc_session_error(s), "kpc_set_thread_counting") &&
              contains(kpmc_session_error(s), partial),
          "detail \"%s\"", kpmc_session_error(s));
    kpmc_close(s);
    char detail[KPMC_DETAIL_MAX];
    r = kpmc_reset(partial, detail, sizeof detail);
    CHECK(r == KPMC_E_LOAD && contains(detail, "kpc_set_thread_counting"), "reset: \"%s\"", detail);

    /* kpmc_options.kperf_path wins over KPMC_KPERF_PATH. */
    opt.kperf_path = sim.path;
    setenv("KPMC_KPERF_PATH", "/nonexistent/kperf", 1);
    r = kpmc_open(&s, &opt);
    CHECK(r == 0, "kperf_path: %s", kpmc_session_error(s));
    kpmc_close(s);
#if !defined(__APPLE__)
    unsetenv("KPMC_KPERF_PATH");
    r = kpmc_open(&s, NULL);
    CHECK(r == KPMC_E_LOAD && contains(kpmc_session_error(s), "only on macOS") &&
              contains(kpmc_session_error(s), "KPMC_KPERF_PATH"),
          "no path: \"%s\"", kpmc_session_error(s));
    kpmc_close(s);
#endif
    setenv("KPMC_KPERF_PATH", sim.path, 1);
}

static void case_load_partial(void)
{
    case_load(partial_kperf);
}

int main(int argc, char **argv)
{
    static const struct t_case cases[] = {
        {"faults", case_faults},           {"fault_codes", case_fault_codes}, {"noroot", case_noroot},
        {"force_held", case_force_held},   {"init", case_init},               {"allowlist", case_allowlist},
        {"unknown_cpu", case_unknown_cpu}, {"db_name", case_db_name},         {"counts", case_counts},
        {"load", case_load_partial},       {"db_force", case_db_force},       {"other_client", case_busy},
        {"counts_changed", case_counts_changed}, {"x86", case_x86},           {"modes", case_modes},
        {"probe", case_probe},
    };
    if (argc > 2)
        partial_kperf = argv[2];
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
