// kpmc from C++: count a scope with an RAII region, then measure the same
// code with repetitions, calibration and statistics.
//
//   c++ -std=c++11 -o region region.cpp $(pkg-config --cflags --libs kpmc)
//   sudo ./region
//
// The events are a14's (M1) and as4's (M4) names, and Apple's aliases on
// Intel Macs.  Each count says the modes it includes: on macOS 15 and later
// configurable counters count user mode only, whatever the set asks.  Any
// failure prints kpmc's message and exits with status 1.
#include <cstdint>
#include <cstdio>

#include <kpmc/kpmc.hpp>

static volatile std::uint64_t sink;

// KPMC_COUNTS_* in words.
static const char *modes(unsigned counts)
{
    return counts == (KPMC_COUNTS_USER | KPMC_COUNTS_KERNEL) ? "user and kernel mode"
           : counts == KPMC_COUNTS_USER                     ? "user mode"
                                                            : "kernel mode";
}

// Something to measure: a pseudo-random walk with hard-to-predict branches.
static void work()
{
    std::uint64_t x = 88172645463325252u;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x & 1)
            sink += x;
    }
}

int main()
{
    try {
        kpmc::session s;

        // One region, counted by its scope.  The counters stop with the
        // object: the measurement below programs other events.
        {
            kpmc::counters c(s, {"INST_ALL", "CORE_ACTIVE_CYCLE", "BRANCH_MISPRED_NONSPEC"});
            {
                kpmc::region r(c);
                work();
            }
            for (std::size_t i = 0; i < c.size(); i++)
                std::printf("%-24s %llu (%s)\n", c.names()[i].c_str(), (unsigned long long)c.totals()[i],
                            modes(c.counts(i)));
        }

        // The same code measured: 20 calibrated samples, statistics per
        // call, derived metrics.
        kpmc_measure_options o;
        kpmc_measure_defaults(&o);
        o.repetitions = 20;
        kpmc::measurement m(s, {"INST_ALL", "CORE_ACTIVE_CYCLE", "BRANCH_MISPRED_NONSPEC", "INST_BRANCH"}, &o);
        const kpmc_result &res = m.run(work);
        for (std::size_t i = 0; i < res.n_events; i++)
            std::printf("%-24s median %.1f  MAD %.1f  (n %zu, overhead %.0f subtracted; %s)\n", res.events[i].name,
                        res.events[i].stats.median, res.events[i].stats.mad, res.events[i].stats.n,
                        res.events[i].overhead.median, modes(res.events[i].counts));
        for (std::size_t i = 0; i < res.n_metrics; i++)
            std::printf("%-24s %.4f\n", res.metrics[i].name, res.metrics[i].value);
    } catch (const kpmc::error &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
