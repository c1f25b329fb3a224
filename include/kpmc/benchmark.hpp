/* kpmc — hardware counters in Google Benchmark's user counters, as its own
 * perf counters do on Linux (needs <benchmark/benchmark.h>, C++11).
 *
 *   #include <kpmc/benchmark.hpp>
 *
 *   static void BM_work(benchmark::State &state)
 *   {
 *       kpmc::benchmark_counters pmc(state, {"FIXED_CYCLES", "FIXED_INSTRUCTIONS"});
 *       for (auto _ : state)
 *           work();
 *   }   // state.counters["FIXED_CYCLES"] = cycles per iteration, ...
 *   BENCHMARK(BM_work);
 *
 * The object counts the benchmark's thread from its construction to its
 * destruction (or to stop()), less what pause()/resume() leave out, and
 * reports each event as a benchmark::Counter with kAvgIterations: the count
 * per iteration, summed over the benchmark's threads.  Construct it just
 * before the loop.  The session is opened once per process, on first use
 * (kpmc::benchmark_session()).  When counting cannot start (not root, an
 * unknown event, events that do not fit together) the benchmark is skipped
 * with kpmc's message (state.SkipWithError): the loop does not run.
 * Counters are named as given; what each counts is the set's (get(),
 * kpmc::counters::counted and counts): on macOS 15 and later, events
 * mixing fixed and configurable counters in KPMC_MODE_ALL all count user
 * mode only, FIXED_CYCLES as CORE_ACTIVE_CYCLE.
 */
#ifndef KPMC_BENCHMARK_HPP
#define KPMC_BENCHMARK_HPP

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <kpmc/kpmc.hpp>

namespace kpmc {

/* The process's session for benchmarks, opened on first use with the
 * default options; nullptr when it could not be opened, and then *why (if
 * not null) says why. */
inline session *benchmark_session(std::string *why = nullptr)
{
    struct holder {
        std::unique_ptr<session> s;
        std::string failure;
        holder()
        {
            try {
                s.reset(new session());
            } catch (const error &e) {
                failure = e.what();
            }
        }
    };
    static holder h;
    if (!h.s && why)
        *why = h.failure;
    return h.s.get();
}

class benchmark_counters {
  public:
    benchmark_counters(benchmark::State &state, std::vector<std::string> events, int mode = KPMC_MODE_ALL)
        : state_(state), sums_(events.size(), 0)
    {
        std::string why;
        session *s = benchmark_session(&why);
        if (!s) {
            skip(why);
            return;
        }
        try {
            c_.reset(new counters(*s, std::move(events), mode));
            resume();
        } catch (const error &e) {
            c_.reset();
            skip(e.what());
        }
    }
    benchmark_counters(benchmark::State &state, std::initializer_list<const char *> events,
                       int mode = KPMC_MODE_ALL)
        : benchmark_counters(state, std::vector<std::string>(events.begin(), events.end()), mode)
    {
    }
    ~benchmark_counters() { stop(); }
    benchmark_counters(const benchmark_counters &) = delete;
    benchmark_counters &operator=(const benchmark_counters &) = delete;

    /* Leave what follows out of the counts until resume(). */
    void pause()
    {
        if (!c_ || !running_)
            return;
        std::uint64_t now[KPMC_MAX_EVENTS];
        if (kpmc_set_read(c_->get(), now) != 0) {
            skip(kpmc_set_error(c_->get()));
            return;
        }
        for (std::size_t i = 0; i < sums_.size(); i++)
            sums_[i] += now[i] - start_[i];
        running_ = false;
    }
    void resume()
    {
        if (!c_ || running_)
            return;
        if (kpmc_set_read(c_->get(), start_) != 0) {
            skip(kpmc_set_error(c_->get()));
            return;
        }
        running_ = true;
    }
    /* The counters while they count, nullptr once stopped or skipped. */
    const counters *get() const noexcept { return c_.get(); }
    /* Stop counting and fill state.counters (the destructor does it too). */
    void stop()
    {
        if (!c_)
            return;
        pause();
        if (c_) {
            for (std::size_t i = 0; i < sums_.size(); i++)
                state_.counters[c_->names()[i]] =
                    benchmark::Counter(static_cast<double>(sums_[i]), benchmark::Counter::kAvgIterations);
        }
        c_.reset();
    }

  private:
    void skip(const std::string &why)
    {
        c_.reset();
        running_ = false;
        state_.SkipWithError(("kpmc: " + why).c_str());
    }

    benchmark::State &state_;
    std::unique_ptr<counters> c_;
    std::vector<std::uint64_t> sums_;
    std::uint64_t start_[KPMC_MAX_EVENTS] = {0};
    bool running_ = false;
};

} // namespace kpmc

#endif
