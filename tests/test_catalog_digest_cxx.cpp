// The digest macros from C++ (C++11): called plainly, qualified with ::,
// inside a namespace, and the _v functions through pointers; with this
// build's headers and library every call is answered as without the check.
#include <kpmc/db/a14.h>
#include <kpmc/kpmc.h>
#include <kpmc/measure.h>

#include <cstring>

#include "check.h"

namespace app {
int resolve(const kpmc_db *db, int ev)
{
    return kpmc_ev_resolve(db, ev);
}
} // namespace app

int main()
{
    const kpmc_db *a14 = kpmc_db_at(KPMC_DB_A14);
    CHECK(KPMC_CATALOG_DIGEST == kpmc_catalog_digest());
    CHECK(app::resolve(a14, KPMC_EV_INST_ALL) == KPMC_A14_INST_ALL);
    CHECK(::kpmc_ev_resolve(a14, KPMC_EV_INST_ALL) == KPMC_A14_INST_ALL);
    CHECK(kpmc_generic_resolve(a14, KPMC_GEN_CYCLES, KPMC_MODE_USER) == KPMC_A14_CORE_ACTIVE_CYCLE);

    const unsigned ev[] = {KPMC_A14_INST_ALL, KPMC_A14_CORE_ACTIVE_CYCLE};
    const char *names[] = {"INST_ALL", "CORE_ACTIVE_CYCLE"};
    kpmc_plan *by_index = nullptr, *by_name = nullptr;
    CHECK(kpmc_plan_new(&by_index) == 0 && kpmc_plan_new(&by_name) == 0);
    CHECK(kpmc_plan_build(by_index, a14, ev, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    CHECK(kpmc_plan_build_names(by_name, a14, names, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    for (size_t i = 0; i < 2; i++) {
        kpmc_plan_event a{}, b{};
        a.size = b.size = sizeof a;
        CHECK(kpmc_plan_event_get(by_index, i, &a) == 0 && kpmc_plan_event_get(by_name, i, &b) == 0 &&
              std::memcmp(&a, &b, sizeof a) == 0);
    }

    // A pointer takes the _v function, given the digest explicitly.
    int (*build)(uint64_t, kpmc_plan *, const kpmc_db *, const unsigned *, size_t, int, char *, size_t) =
        &kpmc_plan_build_v;
    CHECK(build(KPMC_CATALOG_DIGEST, by_index, a14, ev, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    char detail[256];
    CHECK(build(KPMC_CATALOG_DIGEST ^ 1, by_index, a14, ev, 2, KPMC_MODE_ALL, detail, sizeof detail) ==
          KPMC_E_CATALOG);
    CHECK(std::strstr(detail, "this library has catalog") != nullptr);
    kpmc_plan_free(by_index);
    kpmc_plan_free(by_name);
    auto groups = &kpmc_groups_build_db_v;
    kpmc_groups *g = nullptr;
    CHECK(groups(KPMC_CATALOG_DIGEST, &g, a14, ev, 2, nullptr, 0, KPMC_MODE_ALL, nullptr, 0) == 1);
    kpmc_groups_free(g);
    return check_result("catalog_digest_cxx");
}
