// Hardware counters in a Google Benchmark: instructions, cycles and
// mispredicted branches per iteration, next to the time.
//
//   c++ -std=c++11 -o benchmark benchmark.cpp $(pkg-config --cflags --libs kpmc) -lbenchmark -lpthread
//   sudo ./benchmark
//
// Without root each benchmark is reported as skipped, with kpmc's reason.
#include <cstdint>

#include <kpmc/benchmark.hpp>

static std::uint64_t walk(std::uint64_t x, int n)
{
    std::uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x & 1)
            sum += x;
    }
    return sum;
}

static void BM_walk(benchmark::State &state)
{
    kpmc::benchmark_counters pmc(state, {"INST_ALL", "CORE_ACTIVE_CYCLE", "BRANCH_MISPRED_NONSPEC"});
    std::uint64_t seed = 88172645463325252u;
    for (auto _ : state)
        benchmark::DoNotOptimize(seed = walk(seed, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_walk)->Arg(1000)->Arg(100000);

BENCHMARK_MAIN();
