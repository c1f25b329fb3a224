// kpmc/benchmark.hpp with Debian's Google Benchmark against the simulated
// kperf (KPMC_KPERF_PATH, KPMC_SIM_KERNEL).  Every kpc_get_thread_counters()
// call advances the counters by one step of the simulator's model
// (test_cxx.h), so a benchmark whose iteration makes k calls counts, over n
// iterations, k n + 1 steps (the closing read adds one), and Google
// Benchmark reports that over n.  The runs are caught by a reporter and
// compared with those numbers.
//
// Usage: test_benchmark counters | noroot
#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <kpmc/benchmark.hpp>

#include "sim/kpmc_sim.h"
#include "test_cxx.h"

namespace {

using test::work;

const int iterations = 1000;

// What the first event of BM_three_reads counted (pmc.get()).
std::mutex counted_lock;
std::string counted0;
unsigned counts0;

void BM_three_reads(benchmark::State &state)
{
    kpmc::benchmark_counters pmc(state, {"FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"});
    if (pmc.get()) {
        std::lock_guard<std::mutex> hold(counted_lock);
        counted0 = pmc.get()->counted(0);
        counts0 = pmc.get()->counts(0);
    }
    for (auto _ : state)
        work(3);
}
BENCHMARK(BM_three_reads)->Iterations(iterations);
BENCHMARK(BM_three_reads)->Iterations(iterations)->Threads(2);

// 2 reads counted, then 5 left out: the pause read is counted, the resume
// read is not
void BM_paused(benchmark::State &state)
{
    kpmc::benchmark_counters pmc(state, {"Cycles"});
    for (auto _ : state) {
        work(2);
        pmc.pause();
        work(5);
        pmc.resume();
    }
}
BENCHMARK(BM_paused)->Iterations(iterations);

void BM_unknown(benchmark::State &state)
{
    kpmc::benchmark_counters pmc(state, {"FIXED_CYCLES", "NOT_AN_EVENT"});
    for (auto _ : state)
        work(1);
}
BENCHMARK(BM_unknown)->Iterations(iterations);

class capture : public benchmark::BenchmarkReporter {
  public:
    bool ReportContext(const Context &) override { return true; }
    void ReportRuns(const std::vector<Run> &runs) override
    {
        for (const Run &r : runs)
            got[r.benchmark_name()] = r;
    }
    std::map<std::string, Run> got;
};

double counter(const benchmark::BenchmarkReporter::Run &run, const char *name)
{
    auto it = run.counters.find(name);
    return it == run.counters.end() ? -1 : it->second.value;
}

bool near(double a, double b)
{
    return std::fabs(a - b) <= 1e-9 * std::fabs(b);
}

} // namespace

int main(int argc, char **argv)
{
    test::sim_read();
    std::string name = argc > 1 ? argv[1] : "";
    int bargc = 1;
    char *bargv[] = {argv[0], nullptr};
    benchmark::Initialize(&bargc, bargv);
    capture rep;
    benchmark::RunSpecifiedBenchmarks(&rep);

    const char *three = "BM_three_reads/iterations:1000", *threads = "BM_three_reads/iterations:1000/threads:2",
               *paused = "BM_paused/iterations:1000", *unknown = "BM_unknown/iterations:1000";
    for (const char *b : {three, threads, paused, unknown})
        CHECK(rep.got.count(b), "no run %s", b);
    if (test::failures())
        return test::result(argv[0]);
    if (name == "counters") {
        // (3 n + 1) steps over n iterations; with two threads, each thread
        // adds its own closing read, over 2 n iterations
        // a mixed KPMC_MODE_ALL set (test_cxx.h), its events named as given
        const test::mixed_a14 x = test::mixed_steps();
        double per = (3.0 * iterations + 1) / iterations, per2 = (3.0 * 2 * iterations + 2) / (2 * iterations);
        for (const char *b : {three, threads}) {
            const benchmark::BenchmarkReporter::Run &run = rep.got[b];
            double p = b == three ? per : per2;
            CHECK(!run.error_occurred, "%s: %s", b, run.error_message.c_str());
            CHECK(near(counter(run, "FIXED_CYCLES"), p * x.cycles) &&
                      near(counter(run, "FIXED_INSTRUCTIONS"), p * x.instructions) &&
                      near(counter(run, "BRANCH_MISPRED_NONSPEC"), p * x.branch_misses),
                  "%s: %g %g %g", b, counter(run, "FIXED_CYCLES"), counter(run, "FIXED_INSTRUCTIONS"),
                  counter(run, "BRANCH_MISPRED_NONSPEC"));
        }
        CHECK(counted0 == x.cycles_counted && counts0 == x.counts, "FIXED_CYCLES counted as %s, counts %u",
              counted0.c_str(), counts0);
        // Cycles alone stays on its fixed counter, user and kernel mode, on
        // every kernel: 3 x 1000 a read
        double pp = (3.0 * iterations + 1) / iterations * 3 * 1000;
        CHECK(near(counter(rep.got[paused], "Cycles"), pp), "paused: %g, want %g", counter(rep.got[paused], "Cycles"),
              pp);
        CHECK(rep.got[unknown].error_occurred &&
                  rep.got[unknown].error_message.find("kpmc: ") == 0 &&
                  rep.got[unknown].error_message.find("NOT_AN_EVENT") != std::string::npos,
              "unknown event: %s", rep.got[unknown].error_message.c_str());
    } else if (name == "noroot") {
        // BRANCH_MISPRED_NONSPEC needs root ...
        for (const char *b : {three, threads}) {
            const benchmark::BenchmarkReporter::Run &run = rep.got[b];
            CHECK(run.error_occurred && run.error_message.find("counting needs root") != std::string::npos &&
                      run.error_message.find("BRANCH_MISPRED_NONSPEC (position 3 of the set) needs root") !=
                          std::string::npos &&
                      run.counters.empty(),
                  "%s: %s", b, run.error_message.c_str());
        }
        // ... Cycles does not (thread_selfcounts).  work() is kpc reads,
        // refused without root, so only kpmc's reads work: each is one unit,
        // a14's cycles KPMC_SIM_FIXED_STEP * (1 + KPMC_SIM_KERNEL_FACTOR) a
        // unit; counted: every pause read and the closing one, n + 1.
        double pp = (iterations + 1.0) / iterations * KPMC_SIM_FIXED_STEP * (1 + KPMC_SIM_KERNEL_FACTOR);
        CHECK(!rep.got[paused].error_occurred && near(counter(rep.got[paused], "Cycles"), pp), "paused: %s %g, want %g",
              rep.got[paused].error_message.c_str(), counter(rep.got[paused], "Cycles"), pp);
    } else {
        std::fprintf(stderr, "usage: test_benchmark counters|noroot\n");
        return 2;
    }
    return test::result(name.c_str());
}
