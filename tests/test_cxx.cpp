// kpmc.hpp against the simulated kperf: sessions, counters, RAII regions and
// measurements, with the simulator's counting model (test_cxx.h): a region
// that makes k kpc_get_thread_counters() calls counts k + 1 steps (the
// closing read adds one).
//
// Usage: test_cxx CASE (counters, measurement, noroot), with
// KPMC_KPERF_PATH naming the simulator and KPMC_SIM_KERNEL its kernel.
#include <cmath>
#include <cstring>
#include <string>

#include <kpmc/kpmc.hpp>

#include "sim/kpmc_sim.h"
#include "test_cxx.h"

namespace {

using test::work;

void counters_case()
{
    const test::mixed_a14 x = test::mixed_steps();
    kpmc::session s;
    CHECK(std::strcmp(kpmc_db_name(s.db()), "a14") == 0, "database %s", kpmc_db_name(s.db()));
    kpmc::counters c(s, {"FIXED_CYCLES", "Instructions", "BRANCH_MISPRED_NONSPEC"});
    CHECK(c.size() == 3 && c.names()[1] == "Instructions", "names");
    // what each event counts, as the set was started
    CHECK(std::strcmp(c.counted(0), x.cycles_counted) == 0 && std::strcmp(c.counted(1), x.instructions_counted) == 0 &&
              std::strcmp(c.counted(2), "BRANCH_MISPRED_NONSPEC") == 0,
          "counted %s %s %s", c.counted(0), c.counted(1), c.counted(2));
    for (std::size_t i = 0; i < 3; i++)
        CHECK(c.counts(i) == x.counts, "event %zu counts 0x%x, want 0x%x", i, c.counts(i), x.counts);
    bool thrown = false;
    try {
        c.counted(3);
    } catch (const std::out_of_range &) {
        thrown = true;
    }
    CHECK(thrown, "counted() of an event not in the set");
    {
        kpmc::region r(c);
        work(4);
    }
    CHECK(c.totals()[0] == 5 * x.cycles && c.totals()[1] == 5 * x.instructions && c.totals()[2] == 5 * x.branch_misses,
          "one region: %llu %llu %llu", (unsigned long long)c.totals()[0], (unsigned long long)c.totals()[1],
          (unsigned long long)c.totals()[2]);
    {
        kpmc::region r(c);
        work(1);
    }
    CHECK(c.total("FIXED_CYCLES") == 7 * x.cycles && c.total("Instructions") == 7 * x.instructions,
          "two regions: %llu", (unsigned long long)c.total("FIXED_CYCLES"));
    thrown = false;
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
    const test::mixed_a14 x = test::mixed_steps();
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
    const double step = x.cycles;
    double want[5];
    for (unsigned r = 0; r < 5; r++)
        want[r] = ((2 + 2 * r) % 3 + (3 + 2 * r) % 3) * step / 2;
    for (unsigned r = 0; r < 5; r++)
        CHECK(std::fabs(res.events[0].values[r] - want[r]) < 1e-9, "sample %u: %g, want %g", r,
              res.events[0].values[r], want[r]);
    // values 1, 1.5, 0.5, 1, 1.5 steps: median a step, MAD and min half
    CHECK(res.events[0].stats.median == step && res.events[0].stats.mad == step / 2 &&
              res.events[0].stats.min == step / 2,
          "stats %g %g", res.events[0].stats.median, res.events[0].stats.mad);
    CHECK(std::fabs(res.events[1].stats.median - x.branch_misses) < 1e-9, "branch median %g",
          res.events[1].stats.median);
    CHECK(std::strcmp(res.events[0].counted, x.cycles_counted) == 0 && res.events[0].counts == x.counts &&
              res.events[1].counts == x.counts,
          "counted %s, counts 0x%x 0x%x", res.events[0].counted, res.events[0].counts, res.events[1].counts);
    std::string json = m.json(), csv = m.csv();
    const std::string head = "{\"db\":\"a14\",\"mode\":\"all\",\"iterations\":2,";
    CHECK(json.compare(0, head.size(), head) == 0 && json.back() == '\n' &&
              json.size() == kpmc_result_json(&res, nullptr, 0),
          "json %s", json.c_str());
    char line[128];
    std::snprintf(line, sizeof line, "event,FIXED_CYCLES,%s,%s,0,5,%g,%g,", x.cycles_counted,
                  x.counts == 1 ? "user" : "all", step / 2, step);
    CHECK(csv.compare(0, 5, "kind,") == 0 && csv.find(line) != std::string::npos, "csv %s, want %s", csv.c_str(),
          line);

    // the region loop (which, as the options say, runs 2 iterations)
    unsigned runs = 0;
    while (m.next())
        work(runs++ == 0 ? 9 : 2);
    CHECK(runs == 6 && m.result().events[0].stats.median == step, "region loop: %u runs, median %g", runs,
          m.result().events[0].stats.median);
}

// Without root: an unprivileged session (each thread's cycles and
// instructions through thread_selfcounts), unless kpc only is asked for.
// In the simulator a thread_selfcounts call is one unit of work: a14's
// cycles are fixed counter 0's and instructions fixed counter 1's step,
// (rank + 1) * KPMC_SIM_FIXED_STEP * (1 + KPMC_SIM_KERNEL_FACTOR).
void noroot_case()
{
    kpmc_options only;
    std::memset(&only, 0, sizeof only);
    only.size = sizeof only;
    only.kpc_only = 1;
    try {
        kpmc::session s(&only);
        CHECK(false, "a kpc-only session opened without root");
    } catch (const kpmc::error &e) {
        CHECK(e.code() == KPMC_E_PERM && std::strstr(e.what(), "counting needs root"), "%d %s", e.code(), e.what());
    }
    kpmc::session s;
    CHECK(kpmc_session_privileged(s.get()) == 0, "privileged %d", kpmc_session_privileged(s.get()));
    try {
        kpmc::counters c(s, {"FIXED_CYCLES", "Instructions", "BRANCH_MISPRED_NONSPEC"});
        CHECK(false, "BRANCH_MISPRED_NONSPEC counted without root");
    } catch (const kpmc::error &e) {
        CHECK(e.code() == KPMC_E_PERM && std::strstr(e.what(), "BRANCH_MISPRED_NONSPEC (position 3 of the set) needs root"),
              "%d %s", e.code(), e.what());
    }
    const std::uint64_t unit = std::uint64_t(KPMC_SIM_FIXED_STEP) * (1 + KPMC_SIM_KERNEL_FACTOR);
    kpmc::counters c(s, {"cycles", "instructions"});
    {
        kpmc::region r(c); // its closing read is one unit
    }
    CHECK(c.totals()[0] == unit && c.totals()[1] == 2 * unit, "one region: %llu %llu",
          (unsigned long long)c.totals()[0], (unsigned long long)c.totals()[1]);
    CHECK(std::strcmp(c.counted(0), "FIXED_CYCLES") == 0 && std::strcmp(c.counted(1), "FIXED_INSTRUCTIONS") == 0 &&
              c.counts(0) == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL),
          "counted %s %s, modes %u", c.counted(0), c.counted(1), c.counts(0));
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
