// Helpers of the C++ tests (test_cxx.cpp, test_benchmark.cpp): checks, and
// the simulated kperf (tests/sim/kpmc_sim.h) the runtime loads from
// $KPMC_KPERF_PATH, whose kpc_get_thread_counters() is the known work:
// every call advances a counter by its base in user mode and twice its base
// in kernel mode, each when it counts that mode (fixed counter i: base
// (i + 1) * 1000, user and kernel; a configurable counter: its selector).
#ifndef KPMC_TEST_CXX_H
#define KPMC_TEST_CXX_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

#include "check.h"

namespace test {

// Failed checks so far (check.h).
inline int &failures()
{
    return check_failures;
}

// kpc_get_thread_counters of the simulator; exits when it cannot be found.
inline int (*sim_read())(std::uint32_t, std::uint32_t, std::uint64_t *)
{
    static int (*fn)(std::uint32_t, std::uint32_t, std::uint64_t *);
    if (!fn) {
        const char *path = std::getenv("KPMC_KPERF_PATH");
        void *h = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : nullptr;
        void *f = h ? dlsym(h, "kpc_get_thread_counters") : nullptr;
        if (!f) {
            std::fprintf(stderr, "KPMC_KPERF_PATH must name libkpmc_sim\n");
            std::exit(1);
        }
        std::memcpy(&fn, &f, sizeof f);
    }
    return fn;
}

// The simulated kernel (KPMC_SIM_KERNEL, default cpc) counts configurable
// counters in user mode only: 15 and cpc, where kpmc counts a KPMC_MODE_ALL
// set mixing fixed and configurable events wholly in user mode on
// configurable counters (README "Kernel versions").
inline bool user_only()
{
    const char *k = std::getenv("KPMC_SIM_KERNEL");
    return !k || !*k || std::strcmp(k, "15") == 0 || std::strcmp(k, "cpc") == 0;
}

// What one read adds to a14's events in a KPMC_MODE_ALL set that mixes
// fixed and configurable events: on kernels counting kernel mode, 3 times
// the base (FIXED_CYCLES 1000, FIXED_INSTRUCTIONS 2000,
// BRANCH_MISPRED_NONSPEC its selector 0xcb); on the others, the user-mode
// base of the event counted: CORE_ACTIVE_CYCLE (selector 2), INST_ALL
// (0x8c) and 0xcb.
struct mixed_a14 {
    double cycles, instructions, branch_misses;
    const char *cycles_counted, *instructions_counted;
    unsigned counts; // KPMC_COUNTS_USER 1 | KPMC_COUNTS_KERNEL 2
};
inline mixed_a14 mixed_steps()
{
    if (user_only())
        return {2, 0x8c, 0xcb, "CORE_ACTIVE_CYCLE", "INST_ALL", 1};
    return {3 * 1000, 3 * 2000, 3 * 0xcb, "FIXED_CYCLES", "FIXED_INSTRUCTIONS", 3};
}

// k reads of the simulated counters.
inline void work(unsigned k)
{
    std::uint64_t buf[32];
    for (unsigned i = 0; i < k; i++)
        sim_read()(0, 32, buf);
}

// The exit status of a case.
inline int result(const char *name)
{
    return check_result(name);
}

} // namespace test

#endif
