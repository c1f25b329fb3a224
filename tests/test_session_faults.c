/* Sessions against a simulated kernel that fails: a fault at every kpc
 * call of open, start, stop and close; no root; counters held by another
 * task; a non-zero initial state; the selector allowlist; an unknown CPU or
 * database; counts that disagree with the database; a kperf that cannot be
 * loaded.  Whatever fails, the kernel's counting, thread counting and
 * force_all_ctrs must end as they were found.
 *
 * Usage: test_session_faults CASE (one CTest case each, see main()). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "test_session.h"

static const char *const set_names[] = {"Cycles", "Instructions", "INST_BRANCH", "INST_LDST"};
#define N_SET 4

/* ---- the fault sweep ---- */

/* The kpc calls of one session's life, in the order docs/kpc.md §8 gives
 * them; a step that changes nothing is skipped (close restores only what
 * differs from what open found). */
enum op { OPEN, START, READ, STOP, CLOSE };
static const char *const op_names[] = {"open", "start", "read", "stop", "close"};

struct call {
    enum op op;
    const char *fn;
};

/* Every life opens, starts and reads once ... */
static const struct call life_begin[] = {
    {OPEN, "kpc_cpu_string"},           {OPEN, "kpc_force_all_ctrs_get"},
    {OPEN, "kpc_get_counting"},         {OPEN, "kpc_get_thread_counting"},
    {OPEN, "kpc_force_all_ctrs_set"},   {OPEN, "kpc_get_counter_count"},
    {OPEN, "kpc_get_config_count"},     {START, "kpc_set_config"},
    {START, "kpc_set_counting"},        {START, "kpc_set_thread_counting"},
    {READ, "kpc_get_thread_counters"},
};
#define N_BEGIN (sizeof life_begin / sizeof life_begin[0])
/* ... then ends one of these ways. */
static const struct call stop_calls[] = {{STOP, "kpc_set_thread_counting"}, {STOP, "kpc_set_counting"}};
static const struct call close_force[] = {{CLOSE, "kpc_force_all_ctrs_set"}};
static const struct call close_all[] = {
    {CLOSE, "kpc_set_thread_counting"}, {CLOSE, "kpc_set_counting"}, {CLOSE, "kpc_force_all_ctrs_set"}};

struct outcome {
    int failed;       /* 0 or the op + 1 that failed first */
    int code;
    char detail[KPMC_DETAIL_MAX];
};

/* One life; stops at the first failure and cleans up as a user would. */
static void live(int with_stop, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    kpmc_session *s;
    kpmc_set *set = NULL;
    int r = kpmc_open(&s, NULL);
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
    if (r != 0) {
        struct kpmc_sim_state now = sim_state();
        CHECK(same_kernel_state(&now, &was, "failed start"), "start failed with %s", kpmc_session_error(s));
        o->failed = START + 1;
        goto fail;
    }
    uint64_t v[N_SET];
    r = kpmc_set_read(set, v);
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
            goto fail;
        }
    }
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
}

/* A life: life_begin, stop_calls when with_stop, then close's calls
 * (close_all, or close_force when close finds only the force to restore). */
static void sweep(const char *init, int with_stop, int close_restores_all)
{
    struct call life[N_BEGIN + 5];
    size_t n = 0;
    memcpy(life, life_begin, sizeof life_begin);
    n = N_BEGIN;
    if (with_stop) {
        memcpy(life + n, stop_calls, sizeof stop_calls);
        n += 2;
    }
    if (close_restores_all) {
        memcpy(life + n, close_all, sizeof close_all);
        n += 3;
    } else {
        memcpy(life + n, close_force, sizeof close_force);
        n += 1;
    }
    char init_env[64];
    snprintf(init_env, sizeof init_env, "KPMC_SIM_INIT=%s", init);
    /* Without a fault the life runs through and makes exactly these calls. */
    sim_env(init_env, NULL);
    struct kpmc_sim_state found = sim_state();
    struct outcome o;
    live(with_stop, &o);
    struct kpmc_sim_state st = sim_state();
    CHECK(o.failed == 0, "init %s: no fault, yet %s failed: %s", init, op_names[o.failed - 1], o.detail);
    CHECK(st.calls == found.calls + n, "init %s: %lu kpc calls, the life has %zu", init,
          st.calls - found.calls, n);
    CHECK(same_kernel_state(&st, &found, "no fault"), "init %s", init);

    for (size_t j = 0; j < n; j++) {
        unsigned nth = 0;
        for (size_t i = 0; i <= j; i++)
            nth += strcmp(life[i].fn, life[j].fn) == 0;
        char fault[96];
        snprintf(fault, sizeof fault, "KPMC_SIM_FAULT=%s:%u:EIO", life[j].fn, nth);
        sim_env(init_env, fault, NULL);
        found = sim_state();
        live(with_stop, &o);
        st = sim_state();
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
    sweep("0:0:0", 1, 0); /* stopped: close gives back the force alone */
    sweep("0:0:0", 0, 1); /* closed while counting */
    /* Found counting something else: close puts it back. */
    sweep("2:2:0", 1, 1);
    sweep("2:2:0", 0, 1);
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
        {"KPMC_SIM_FAULT=kpc_set_config:1:EPERM", START, KPMC_E_KPC},
        {"KPMC_SIM_FAULT=kpc_set_counting:1:EINVAL", START, KPMC_E_KPC},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_env(cases[i].fault, NULL);
        struct kpmc_sim_state found = sim_state();
        struct outcome o;
        live(1, &o);
        struct kpmc_sim_state st = sim_state();
        CHECK(o.failed == (int)cases[i].op + 1 && o.code == cases[i].code, "%s: %s failed with %s (%s)",
              cases[i].fault, o.failed ? op_names[o.failed - 1] : "nothing", kpmc_strerror(o.code), o.detail);
        CHECK(same_kernel_state(&st, &found, cases[i].fault), "%s", cases[i].fault);
    }
}

/* ---- open refused ---- */

/* kpmc_open in the current environment must fail with code, with every
 * needle (NULL-terminated) in its detail, and change nothing in the kernel;
 * what: the case, for messages.  Returns the inert session; the caller
 * closes it. */
static kpmc_session *open_refused(const char *what, int code, const char *const *needles)
{
    struct kpmc_sim_state found = sim_state();
    kpmc_session *s;
    int r = kpmc_open(&s, NULL);
    CHECK(r == code, "%s: %s, expected %s", what, kpmc_strerror(r), kpmc_strerror(code));
    for (const char *const *n = needles; *n; n++)
        CHECK(contains(kpmc_session_error(s), *n), "%s: \"%s\" not in the detail \"%s\"", what, *n,
              kpmc_session_error(s));
    CHECK(kpmc_session_db(s) == NULL, "%s: an inert session has a database", what);
    struct kpmc_sim_state st = sim_state();
    CHECK(same_kernel_state(&st, &found, what), "%s", what);
    return s;
}


static void case_noroot(void)
{
    sim_env("KPMC_SIM_NOROOT=1", NULL);
    static const char *const needles[] = {"kpc_force_all_ctrs_get", "EPERM", "sudo", NULL};
    kpmc_session *s = open_refused("not root", KPMC_E_PERM, needles);
    static long double not_a_set;
    kpmc_set *set = (kpmc_set *)(void *)&not_a_set;
    int r = kpmc_set_new(s, &set, set_names, N_SET, KPMC_MODE_ALL);
    CHECK(r == KPMC_E_STATE && set == NULL, "kpmc_set_new on an inert session: %s", kpmc_strerror(r));
    CHECK(contains(kpmc_session_error(s), "sudo"), "the open failure's detail was lost: \"%s\"",
          kpmc_session_error(s));
    kpmc_close(s);
}

static void case_force_held(void)
{
    sim_env("KPMC_SIM_FORCE_HELD=1", NULL);
    static const char *const needles[] = {"kpc_force_all_ctrs_set", "EACCES", "another client", NULL};
    kpmc_close(open_refused("force held", KPMC_E_BUSY, needles));
    CHECK(sim_state().force_all == 1, "the force held by another task was released");
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

/* An a14 session on a simulated as4 with the allowlist on: a word whose
 * selector as4 lacks is refused by kpc_set_config with EPERM; one whose
 * selector as4 has goes through. */
static void case_strict(void)
{
    const kpmc_db *a14 = kpmc_db_find("a14"), *as4 = kpmc_db_find("as4");
    kpmc_db_info d14, d4;
    kpmc_db_get(a14, &d14);
    kpmc_db_get(as4, &d4);
    const char *foreign = NULL, *shared = NULL;
    for (unsigned i = 0; i < d14.n_events && (!foreign || !shared); i++) {
        kpmc_event_info e;
        kpmc_event_get(a14, i, &e);
        if ((e.has & KPMC_HAS_FIXED_COUNTER) || !(e.has & KPMC_HAS_NUMBER) || !e.number ||
            (e.counters & 0x3FCu) != 0x3FCu)
            continue;
        int in_as4 = 0;
        for (unsigned j = 0; j < d4.n_events && !in_as4; j++) {
            kpmc_event_info f;
            kpmc_event_get(as4, j, &f);
            in_as4 = (f.has & KPMC_HAS_NUMBER) && f.number == e.number;
        }
        if (in_as4 && !shared)
            shared = e.name;
        if (!in_as4 && !foreign)
            foreign = e.name;
    }
    CHECK(foreign && shared, "no a14 event with a selector as4 lacks (%s) or has (%s)", foreign ? foreign : "-",
          shared ? shared : "-");
    if (!foreign || !shared)
        return;
    for (int pass = 0; pass < 2; pass++) {
        sim_env("KPMC_SIM_DB=as4", "KPMC_DB=a14", "KPMC_SIM_STRICT=1", NULL);
        struct kpmc_sim_state found = sim_state();
        kpmc_session *s;
        int r = kpmc_open(&s, NULL);
        CHECK(r == 0 && !strcmp(kpmc_db_name(kpmc_session_db(s)), "a14"), "open: %s", kpmc_session_error(s));
        const char *names[] = {"Cycles", pass ? foreign : shared};
        kpmc_set *set = NULL;
        r = kpmc_set_new(s, &set, names, 2, KPMC_MODE_ALL);
        CHECK(r == 0, "set: %s", kpmc_session_error(s));
        r = kpmc_set_start(set);
        if (pass == 0) {
            CHECK(r == 0, "%s (as4 has its selector): %s", shared, kpmc_session_error(s));
        } else {
            CHECK(r == KPMC_E_KPC, "%s: %s", foreign, kpmc_strerror(r));
            CHECK(contains(kpmc_session_error(s), "kpc_set_config") && contains(kpmc_session_error(s), "EPERM") &&
                      contains(kpmc_session_error(s), foreign),
                  "detail \"%s\"", kpmc_session_error(s));
            struct kpmc_sim_state st = sim_state();
            CHECK(st.counting == found.counting && st.thread_counting == found.thread_counting,
                  "a refused start left counting on");
        }
        kpmc_set_free(set);
        kpmc_close(s);
        struct kpmc_sim_state st = sim_state();
        CHECK(same_kernel_state(&st, &found, "strict"), "strict, pass %d", pass);
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

    /* KPMC_DB overrides detection, even of an unknown CPU. */
    sim_env("KPMC_SIM_CPU=cpu_100000c_2_deadbeef", "KPMC_DB=a14", NULL);
    r = kpmc_open(&s, NULL);
    CHECK(r == 0 && kpmc_session_db(s) == kpmc_db_find("a14"), "KPMC_DB=a14: %s", kpmc_session_error(s));
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
    /* kpmc_options.db wins over KPMC_DB */
    kpmc_options opt = {sizeof opt, NULL, "a14"};
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
    sim_env("KPMC_SIM_DB=a9", "KPMC_DB=a14", NULL);
    static const char *const needles[] = {"report 8 counters and 6 config words", "a14 has 10 and 8", NULL};
    kpmc_close(open_refused("a9 counted as a14", KPMC_E_NODB, needles));
}

/* ---- loading ---- */

/* The library lacking a symbol (test_session_partial_kperf), argv[2]. */
static const char *partial_kperf = "(no partial kperf given)";

static void case_load(const char *partial)
{
    sim_env(NULL);
    kpmc_session *s;
    kpmc_options opt = {sizeof opt, "/nonexistent/kperf", NULL};
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
        {"faults", case_faults},       {"fault_codes", case_fault_codes}, {"noroot", case_noroot},
        {"force_held", case_force_held}, {"init", case_init},             {"strict", case_strict},
        {"unknown_cpu", case_unknown_cpu}, {"db_name", case_db_name},     {"counts", case_counts},
        {"load", case_load_partial},
    };
    if (argc > 2)
        partial_kperf = argv[2];
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
