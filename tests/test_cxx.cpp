// kpmc.hpp against the simulated kperf: sessions, counters, RAII regions and
// measurements, with the simulator's counting model (tests/sim/kpmc_sim.h):
// every kpc_get_thread_counters() call advances fixed counter i by
// (i + 1) * 1000 and a configurable counter by its word, so a region that
// makes k such calls counts k + 1 steps (the closing read adds one).
//
// Usage: test_cxx CASE (counters, measurement, noroot), with
// KPMC_KPERF_PATH naming the simulator.
#include <cmath>
#include <cstring>
#include <string>

#include <kpmc/kpmc.hpp>

#include "test_cxx.h"

namespace {

using test::work;

// a14: BRANCH_MISPRED_NONSPEC's word is its selector, 0xcb.
const double branch_step = 0xcb;

void counters_case()
{
    kpmc::session s;
    CHECK(std::strcmp(kpmc_db_name(s.db()), "a14") == 0, "database %s", kpmc_db_name(s.db()));
    kpmc::counters c(s, {"FIXED_CYCLES", "Instructions", "BRANCH_MISPRED_NONSPEC"});
    CHECK(c.size() == 3 && c.names()[1] == "Instructions", "names");
    {
        kpmc::region r(c);
        work(4);
    }
    CHECK(c.totals()[0] == 5000 && c.totals()[1] == 10000 && c.totals()[2] == 5 * 0xcb, "one region: %llu %llu %llu",
          (unsigned long long)c.totals()[0], (unsigned long long)c.totals()[1], (unsigned long long)c.totals()[2]);
    {
        kpmc::region r(c);
        work(1);
    }
    CHECK(c.total("FIXED_CYCLES") == 7000 && c.total("Instructions") == 14000, "two regions: %llu",
          (unsigned long long)c.total("FIXED_CYCLES"));
    bool thrown = false;
    try {
        c.total("INST_ALL");
    } catch (const std::out_of_range &) {
        thrown = true;
    }
    CHECK(thrown, "total of an event not counted");
    c.reset();
    CHECK(c.totals()[0] == 0 && c.failures() == 0, "reset");

    // a region whose closing read fails (the set was stopped inside it)
    {
        kpmc::region r(c);
        kpmc_set_stop(c.get());
    }
    CHECK(c.failures() == 1 && c.totals()[0] == 0, "failed closing read: %u", c.failures());

    try {
        kpmc::counters bad(s, {"INST_ALL", "NOT_AN_EVENT"});
        CHECK(false, "an unknown event was accepted");
    } catch (const kpmc::error &e) {
        CHECK(e.code() == KPMC_E_NOEVENT && std::strstr(e.what(), "NOT_AN_EVENT"), "error: %d %s", e.code(),
              e.what());
    }
}

struct calls {
    unsigned n = 0;
};

void measurement_case()
{
    kpmc::session s;
    kpmc_measure_options o;
    kpmc_measure_defaults(&o);
    o.repetitions = 5;
    o.warmup = 1;
    o.iterations = 2;
    kpmc::measurement m(s, {"FIXED_CYCLES", "BRANCH_MISPRED_NONSPEC"}, &o);
    bool thrown = false;
    try {
        m.result();
    } catch (const kpmc::error &e) {
        thrown = e.code() == KPMC_E_STATE;
    }
    CHECK(thrown, "a result before any run");
    calls c;
    // call i makes i % 3 reads; sample r (after the warm-up) holds calls
    // 2 + 2r and 3 + 2r
    const kpmc_result &res = m.run([&c] { work(c.n++ % 3); });
    CHECK(c.n == 12, "%u calls", c.n);
    double want[5];
    for (unsigned r = 0; r < 5; r++)
        want[r] = ((2 + 2 * r) % 3 + (3 + 2 * r) % 3) * 1000.0 / 2;
    for (unsigned r = 0; r < 5; r++)
        CHECK(std::fabs(res.events[0].values[r] - want[r]) < 1e-9, "sample %u: %g, want %g", r,
              res.events[0].values[r], want[r]);
    // values 1000 1500 500 1000 1500: median 1000, MAD 500
    CHECK(res.events[0].stats.median == 1000 && res.events[0].stats.mad == 500 && res.events[0].stats.min == 500,
          "stats %g %g", res.events[0].stats.median, res.events[0].stats.mad);
    CHECK(std::fabs(res.events[1].stats.median - 2 * branch_step / 2) < 1e-9, "branch median %g",
          res.events[1].stats.median);
    std::string json = m.json(), csv = m.csv();
    const std::string head = "{\"db\":\"a14\",\"mode\":\"all\",\"iterations\":2,";
    CHECK(json.compare(0, head.size(), head) == 0 && json.back() == '\n' &&
              json.size() == kpmc_result_json(&res, nullptr, 0),
          "json %s", json.c_str());
    CHECK(csv.compare(0, 5, "kind,") == 0 && csv.find("event,FIXED_CYCLES,FIXED_CYCLES,0,5,500,1000,") !=
                                                 std::string::npos,
          "csv %s", csv.c_str());

    // the region loop (which, as the options say, runs 2 iterations)
    unsigned runs = 0;
    while (m.next())
        work(runs++ == 0 ? 9 : 2);
    CHECK(runs == 6 && m.result().events[0].stats.median == 1000, "region loop: %u runs, median %g", runs,
          m.result().events[0].stats.median);
}

void noroot_case()
{
    try {
        kpmc::session s;
        CHECK(false, "a session opened without root");
    } catch (const kpmc::error &e) {
        CHECK(e.code() == KPMC_E_PERM && std::strstr(e.what(), "counting needs root"), "%d %s", e.code(), e.what());
    }
}

} // namespace

int main(int argc, char **argv)
{
    test::sim_read();
    std::string name = argc > 1 ? argv[1] : "";
    if (name == "counters")
        counters_case();
    else if (name == "measurement")
        measurement_case();
    else if (name == "noroot")
        noroot_case();
    else {
        std::fprintf(stderr, "usage: test_cxx counters|measurement|noroot\n");
        return 2;
    }
    return test::result(name.c_str());
}
