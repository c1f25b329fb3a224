/* A program compiled against one catalog's headers and linked with a library
 * of another: every function that takes ids refuses them with
 * KPMC_E_CATALOG and, where it has a detail, names both digests; name-based
 * functions work as ever.  tests/digest.cmake builds it twice: against the
 * golden fixture catalog's headers with the whole library of the build's
 * catalog (KPMC_TEST_FULL: plans, groups, sessions on the simulated kperf),
 * and against the build's headers with the fixture catalog's library
 * (the catalog layer only).
 *
 *   test_catalog_digest HEADERS_DIGEST LIBRARY_DIGEST
 *
 * The two digests come from tests/test_catalog_digest.py, which computes
 * them from the two catalogs' headers. */
#include <stdint.h>
#include <stdlib.h>

#include <kpmc/events.h>
#include <kpmc/generic.h>
#ifdef KPMC_TEST_FULL
#include <kpmc/kpmc.h>
#include <kpmc/measure.h>
#endif

#include "test_catalog.h"

static char want_detail[256];

#ifdef KPMC_TEST_FULL
/* Plans, groups and sets from ids: refused, with both digests. */
static void check_full(const kpmc_db *db)
{
    CHECK_STR(kpmc_strerror(KPMC_E_CATALOG), "the program was compiled against another catalog's headers");
    char detail[256];
    kpmc_plan *plan, *by_index, *by_name;
    if (kpmc_plan_new(&plan) || kpmc_plan_new(&by_index) || kpmc_plan_new(&by_name)) {
        fprintf(stderr, "kpmc_plan_new failed\n");
        exit(1);
    }
    const char *name = kpmc_event_name(db, 0);
    kpmc_plan_info pi = {.size = sizeof pi};
    /* A compound literal with a comma inside passes through the macro. */
    CHECK_INT(kpmc_plan_build_names(plan, db, &name, 1, KPMC_MODE_ALL, NULL, 0), 0);
    strcpy(detail, "untouched");
    CHECK_INT(kpmc_plan_build(plan, db, (unsigned[]){0, 1}, 2, KPMC_MODE_ALL, detail, sizeof detail),
              KPMC_E_CATALOG);
    CHECK_STR(detail, want_detail);
    /* emptied, as on every failure */
    CHECK(kpmc_plan_get(plan, &pi) == 0 && pi.db == NULL && pi.n_events == 0 && pi.n_config == 0);

    CHECK_INT(kpmc_plan_build_names(plan, db, &name, 1, KPMC_MODE_ALL, NULL, 0), 0);
    strcpy(detail, "untouched");
    CHECK_INT(kpmc_plan_build_kernel(plan, db, NULL, (unsigned[]){0}, 1, KPMC_MODE_USER, detail, sizeof detail),
              KPMC_E_CATALOG);
    CHECK_STR(detail, want_detail);
    CHECK(kpmc_plan_get(plan, &pi) == 0 && pi.db == NULL && pi.n_events == 0);

    unsigned resolved = 77;
    uint32_t counters = 77;
    strcpy(detail, "untouched");
    CHECK_INT(kpmc_plan_event_counters(db, 0, KPMC_MODE_ALL, &resolved, &counters, detail, sizeof detail),
              KPMC_E_CATALOG);
    CHECK_STR(detail, want_detail);
    CHECK(resolved == 77 && counters == 77);

    kpmc_groups *groups = (kpmc_groups *)&resolved;
    strcpy(detail, "untouched");
    CHECK_INT(kpmc_groups_build_db(&groups, db, (unsigned[]){0}, 1, NULL, 0, KPMC_MODE_ALL, detail, sizeof detail),
              KPMC_E_CATALOG);
    CHECK_STR(detail, want_detail);
    CHECK(groups == NULL);

    /* The same calls with the library's own digest are not refused, and
     * the plan of an event by index is the plan of its name. */
    int ri = kpmc_plan_build_v(kpmc_catalog_digest(), by_index, db, (unsigned[]){0}, 1, KPMC_MODE_ALL, NULL, 0);
    int rn = kpmc_plan_build_names(by_name, db, &name, 1, KPMC_MODE_ALL, NULL, 0);
    CHECK_INT(ri, rn);
    kpmc_plan_info ia = {.size = sizeof ia}, ib = {.size = sizeof ib};
    kpmc_plan_event ea = {.size = sizeof ea}, eb = {.size = sizeof eb};
    CHECK(ri != 0 || (kpmc_plan_get(by_index, &ia) == 0 && kpmc_plan_get(by_name, &ib) == 0 &&
                      kpmc_plan_event_get(by_index, 0, &ea) == 0 && kpmc_plan_event_get(by_name, 0, &eb) == 0 &&
                      ia.n_events == ib.n_events && ia.classes == ib.classes && ia.n_config == ib.n_config &&
                      !memcmp(ia.config, ib.config, ia.n_config * sizeof ia.config[0]) && !memcmp(&ea, &eb, sizeof ea)));
    CHECK(kpmc_groups_build(&groups, db, &name, 1, NULL, 0, KPMC_MODE_ALL, NULL, 0) != KPMC_E_CATALOG);
    kpmc_groups_free(groups);

    /* Metrics bind to the events a plan counted only with the library's
     * digest (the answer is yes or no: another catalog's is no). */
    const char *ipc_inputs[] = {"instructions", "cycles"};
    CHECK_INT(kpmc_plan_build_names(plan, db, ipc_inputs, 2, KPMC_MODE_ALL, NULL, 0), 0);
    kpmc_plan_event e0 = {.size = sizeof e0}, e1 = {.size = sizeof e1};
    CHECK(kpmc_plan_event_get(plan, 0, &e0) == 0 && kpmc_plan_event_get(plan, 1, &e1) == 0);
    unsigned counted[2] = {e0.resolved, e1.resolved};
    kpmc_plan_free(plan);
    kpmc_plan_free(by_index);
    kpmc_plan_free(by_name);
    kpmc_metric_info mi = {.size = sizeof mi};
    CHECK(kpmc_metric_at(0, &mi) == 0 && !strcmp(mi.name, "ipc"));
    size_t num = 9, den = 9;
    CHECK_INT(kpmc_metric_bind_v(kpmc_catalog_digest(), 0, db, KPMC_MODE_ALL, counted, 2, &num, &den), 1);
    CHECK(num == 0 && den == 1);
    num = den = 9;
    CHECK_INT(kpmc_metric_bind(0, db, KPMC_MODE_ALL, counted, 2, &num, &den), 0);
    CHECK(num == 9 && den == 9);

    /* Sessions on the simulated kperf (KPMC_KPERF_PATH): ids are refused on
     * the open session, names are counted. */
    kpmc_session *s = NULL;
    int r = kpmc_open(&s, NULL);
    CHECK_INT(r, 0);
    if (r != 0)
        fprintf(stderr, "kpmc_open: %s\n", kpmc_session_error(s));
    kpmc_set *set = (kpmc_set *)&r;
    CHECK_INT(kpmc_set_new_ev(s, &set, (int[]){0, 1}, 2, KPMC_MODE_ALL), KPMC_E_CATALOG);
    CHECK(set == NULL);
    CHECK_STR(kpmc_session_error(s), want_detail);
    set = (kpmc_set *)&r;
    CHECK_INT(kpmc_set_new_db(s, &set, kpmc_db_id(kpmc_session_db(s)), (unsigned[]){0, 1}, 2, KPMC_MODE_ALL),
              KPMC_E_CATALOG);
    CHECK(set == NULL);
    CHECK_STR(kpmc_session_error(s), want_detail);
    const char *names[] = {"Cycles", "Instructions"};
    CHECK_INT(kpmc_set_new(s, &set, names, 2, KPMC_MODE_ALL), 0);
    CHECK(set != NULL);
    kpmc_set_free(set);
    kpmc_close(s);

    /* An inert session says why kpmc_open failed, ids or not. */
    kpmc_options o = {.size = sizeof o, .kperf_path = "/nonexistent/kperf"};
    s = NULL;
    CHECK_INT(kpmc_open(&s, &o), KPMC_E_LOAD);
    char why[256];
    snprintf(why, sizeof why, "%s", kpmc_session_error(s));
    CHECK(strstr(why, "/nonexistent/kperf") != NULL);
    CHECK_INT(kpmc_set_new_ev(s, &set, (int[]){0}, 1, KPMC_MODE_ALL), KPMC_E_STATE);
    CHECK_STR(kpmc_session_error(s), why);
    kpmc_close(s);
}
#endif

static int parse_digest(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 16);
    *out = v;
    return s[0] == '0' && s[1] == 'x' && *end == '\0';
}

int main(int argc, char **argv)
{
    uint64_t headers, library;
    if (argc != 3 || !parse_digest(argv[1], &headers) || !parse_digest(argv[2], &library)) {
        fprintf(stderr, "usage: test_catalog_digest 0xHEADERS_DIGEST 0xLIBRARY_DIGEST\n");
        return 2;
    }
    /* The headers this program was compiled with and the library it runs
     * with are the two catalogs the driver read. */
    CHECK_INT(KPMC_CATALOG_DIGEST, headers);
    CHECK_INT(kpmc_catalog_digest(), library);
    CHECK(headers != library);
    snprintf(want_detail, sizeof want_detail,
             "compiled against catalog 0x%016llx, this library has catalog 0x%016llx: rebuild the program against "
             "this kpmc's headers",
             (unsigned long long)headers, (unsigned long long)library);

    const kpmc_db *db = kpmc_db_at(0);
    CHECK(db != NULL);
    if (!db)
        return check_result("catalog_digest");

    /* Ids: refused, whatever their value. */
    CHECK_INT(kpmc_ev_resolve(db, 0), KPMC_E_CATALOG);
    CHECK_INT(kpmc_ev_resolve(db, KPMC_EV_COUNT - 1), KPMC_E_CATALOG);
    CHECK_INT(kpmc_generic_resolve(db, 0, 0), KPMC_E_CATALOG);
    CHECK_INT(kpmc_generic_resolve(db, -1, 7), KPMC_E_CATALOG);

    /* Names, and ids the library gave: answered from the library's catalog. */
    const char *name = kpmc_event_name(db, 0);
    CHECK(name != NULL);
    if (name) {
        CHECK_INT(kpmc_event_find(db, name), 0);
        CHECK_INT(kpmc_ev_resolve_v(kpmc_catalog_digest(), db, kpmc_ev_find(name)), 0);
    }
    if (kpmc_generic_count() > 0) {
        int e = kpmc_generic_resolve_v(kpmc_catalog_digest(), db, 0, 0);
        CHECK(e >= 0 || e == KPMC_E_NOEVENT);
    }
#ifdef KPMC_TEST_FULL
    check_full(db);
#endif
    return check_result("catalog_digest");
}
