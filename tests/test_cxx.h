// Helpers of the C++ tests (test_cxx.cpp, test_benchmark.cpp): checks, and
// the simulated kperf (tests/sim/kpmc_sim.h) the runtime loads from
// $KPMC_KPERF_PATH, whose kpc_get_thread_counters() is the known work:
// every call advances fixed counter i by (i + 1) * 1000 and a configurable
// counter by its word.
#ifndef KPMC_TEST_CXX_H
#define KPMC_TEST_CXX_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace test {

inline int &failures()
{
    static int n;
    return n;
}

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            test::failures()++;                                                                \
            std::fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);     \
            std::fprintf(stderr, __VA_ARGS__);                                                 \
            std::fputc('\n', stderr);                                                          \
        }                                                                                      \
    } while (0)

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
    if (failures()) {
        std::fprintf(stderr, "%s: %d check(s) failed\n", name, failures());
        return 1;
    }
    std::printf("%s: ok\n", name);
    return 0;
}

} // namespace test

#endif
