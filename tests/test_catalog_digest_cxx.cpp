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
    kpmc_plan by_index, by_name;
    CHECK(kpmc_plan_build(&by_index, a14, ev, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    CHECK(kpmc_plan_build_names(&by_name, a14, names, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    CHECK(std::memcmp(&by_index, &by_name, sizeof by_index) == 0);

    // A pointer takes the _v function, given the digest explicitly.
    int (*build)(uint64_t, kpmc_plan *, const kpmc_db *, const unsigned *, size_t, int, char *, size_t) =
        &kpmc_plan_build_v;
    kpmc_plan p;
    CHECK(build(KPMC_CATALOG_DIGEST, &p, a14, ev, 2, KPMC_MODE_ALL, nullptr, 0) == 0);
    char detail[256];
    CHECK(build(KPMC_CATALOG_DIGEST ^ 1, &p, a14, ev, 2, KPMC_MODE_ALL, detail, sizeof detail) == KPMC_E_CATALOG);
    CHECK(std::strstr(detail, "this library has catalog") != nullptr);
    auto groups = &kpmc_groups_build_db_v;
    static kpmc_group g[2];
    CHECK(groups(KPMC_CATALOG_DIGEST, g, 2, a14, ev, 2, nullptr, 0, KPMC_MODE_ALL, nullptr, 0) == 1);
    return check_result("catalog_digest_cxx");
}
