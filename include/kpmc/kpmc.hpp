/* kpmc — the C++ interface (C++11): sessions, event sets, RAII regions and
 * measurements over the C API, which stays usable alongside.
 *
 *   #include <kpmc/kpmc.hpp>
 *
 *   kpmc::session s;                       // throws kpmc::error (e.g. not root)
 *   kpmc::counters c(s, {"FIXED_CYCLES", "FIXED_INSTRUCTIONS"});
 *   {
 *       kpmc::region r(c);                 // reads here ...
 *       work();
 *   }                                      // ... and here: c.totals() += the difference
 *   std::printf("%llu cycles\n", (unsigned long long)c.total("FIXED_CYCLES"));
 *
 *   kpmc::measurement m(s, {"FIXED_CYCLES", "FIXED_INSTRUCTIONS"});
 *   const kpmc_result &res = m.run([] { work(); });   // see <kpmc/measure.h>
 *   std::fputs(m.json().c_str(), stdout);
 *
 * Errors throw kpmc::error (a std::runtime_error carrying the KPMC_E_* code
 * and kpmc's detail), except in destructors: a region whose closing read
 * fails adds nothing and counts the failure in counters::failures().
 * Threads: as in C; a counters object counts the thread that constructed
 * it, and is read (regions included) on that thread.
 */
#ifndef KPMC_KPMC_HPP
#define KPMC_KPMC_HPP

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include <kpmc/kpmc.h>
#include <kpmc/measure.h>

namespace kpmc {

/* A failed kpmc call: what() is kpmc_strerror(code) and kpmc's detail. */
class error : public std::runtime_error {
  public:
    error(int code, const char *detail)
        : std::runtime_error(std::string(kpmc_strerror(code)) + (detail && *detail ? ": " : "") +
                             (detail ? detail : "")),
          code_(code)
    {
    }
    int code() const noexcept { return code_; }

  private:
    int code_;
};

/* A session: kpmc_open in the constructor, kpmc_close in the destructor. */
class session {
  public:
    explicit session(const kpmc_options *opt = nullptr)
    {
        int r = kpmc_open(&s_, opt);
        if (r != 0) {
            error e(r, kpmc_session_error(s_));
            kpmc_close(s_);
            throw e;
        }
    }
    ~session() { kpmc_close(s_); }
    session(const session &) = delete;
    session &operator=(const session &) = delete;

    kpmc_session *get() const noexcept { return s_; }
    const kpmc_db *db() const noexcept { return kpmc_session_db(s_); }

  private:
    kpmc_session *s_ = nullptr;
};

/* An event set started on the constructing thread (kpmc_set_new,
 * kpmc_set_start), stopped and freed by the destructor, with totals that
 * regions add to. */
class counters {
  public:
    counters(session &s, std::vector<std::string> events, int mode = KPMC_MODE_ALL)
        : names_(std::move(events)), totals_(names_.size(), 0)
    {
        std::vector<const char *> p;
        for (const std::string &n : names_)
            p.push_back(n.c_str());
        int r = kpmc_set_new(s.get(), &set_, p.data(), p.size(), mode);
        if (r == 0)
            r = kpmc_set_start(set_);
        if (r != 0) {
            error e(r, kpmc_session_error(s.get()));
            kpmc_set_free(set_);
            throw e;
        }
    }
    counters(session &s, std::initializer_list<const char *> events, int mode = KPMC_MODE_ALL)
        : counters(s, std::vector<std::string>(events.begin(), events.end()), mode)
    {
    }
    ~counters() { kpmc_set_free(set_); }
    counters(const counters &) = delete;
    counters &operator=(const counters &) = delete;

    std::size_t size() const noexcept { return names_.size(); }
    const std::vector<std::string> &names() const noexcept { return names_; }
    /* The running totals of this thread's counters (kpmc_set_read). */
    void read(std::uint64_t *out)
    {
        int r = kpmc_set_read(set_, out);
        if (r != 0)
            throw error(r, kpmc_set_error(set_));
    }
    /* What the regions counted, in the events' order. */
    const std::vector<std::uint64_t> &totals() const noexcept { return totals_; }
    /* One event's total by the name it was given; throws std::out_of_range. */
    std::uint64_t total(const std::string &name) const
    {
        for (std::size_t i = 0; i < names_.size(); i++)
            if (names_[i] == name)
                return totals_[i];
        throw std::out_of_range("kpmc::counters: no event " + name);
    }
    void reset() noexcept
    {
        for (std::uint64_t &t : totals_)
            t = 0;
        failures_ = 0;
    }
    /* What event i counts, from the set as started: the database's event
     * (kpmc_set_plan; on macOS 15 and later a KPMC_MODE_ALL set mixing
     * fixed and configurable events counts FIXED_CYCLES as
     * CORE_ACTIVE_CYCLE) and the modes it counts in (KPMC_COUNTS_USER |
     * KPMC_COUNTS_KERNEL, kpmc_set_event_modes).  Throw std::out_of_range
     * for i >= size(). */
    const char *counted(std::size_t i) const
    {
        const kpmc_plan *p = kpmc_set_plan(set_);
        if (i >= names_.size())
            throw std::out_of_range("kpmc::counters: no event " + std::to_string(i));
        kpmc_plan_info info{};
        info.size = sizeof info;
        kpmc_plan_event e{};
        e.size = sizeof e;
        if (kpmc_plan_get(p, &info) != 0 || kpmc_plan_event_get(p, i, &e) != 0)
            throw error(KPMC_E_INVAL, "kpmc_plan_event_get");
        return kpmc_event_name(info.db, e.resolved);
    }
    unsigned counts(std::size_t i) const
    {
        if (i >= names_.size())
            throw std::out_of_range("kpmc::counters: no event " + std::to_string(i));
        int m = kpmc_set_event_modes(set_, i);
        if (m < 0)
            throw error(m, "kpmc_set_event_modes");
        return static_cast<unsigned>(m);
    }
    /* Regions whose closing read failed (they added nothing). */
    unsigned failures() const noexcept { return failures_; }
    kpmc_set *get() const noexcept { return set_; }

  private:
    friend class region;
    std::vector<std::string> names_;
    std::vector<std::uint64_t> totals_;
    unsigned failures_ = 0;
    kpmc_set *set_ = nullptr;
};

/* Counts its scope: reads at construction and destruction and adds the
 * difference to the counters' totals. */
class region {
  public:
    explicit region(counters &c) : c_(c) { c_.read(before_); }
    ~region()
    {
        std::uint64_t after[KPMC_MAX_EVENTS];
        if (kpmc_set_read(c_.set_, after) != 0) {
            c_.failures_++;
            return;
        }
        for (std::size_t i = 0; i < c_.totals_.size(); i++)
            c_.totals_[i] += after[i] - before_[i];
    }
    region(const region &) = delete;
    region &operator=(const region &) = delete;

  private:
    counters &c_;
    std::uint64_t before_[KPMC_MAX_EVENTS];
};

/* A measurement (<kpmc/measure.h>): groups, calibration, repetitions,
 * statistics and derived metrics. */
class measurement {
  public:
    measurement(session &s, const std::vector<std::string> &events, const kpmc_measure_options *opt = nullptr)
    {
        std::vector<const char *> p;
        for (const std::string &n : events)
            p.push_back(n.c_str());
        int r = kpmc_measure_new(s.get(), &m_, p.data(), p.size(), opt);
        if (r != 0)
            throw error(r, kpmc_session_error(s.get()));
    }
    measurement(session &s, std::initializer_list<const char *> events, const kpmc_measure_options *opt = nullptr)
        : measurement(s, std::vector<std::string>(events.begin(), events.end()), opt)
    {
    }
    ~measurement() { kpmc_measure_free(m_); }
    measurement(const measurement &) = delete;
    measurement &operator=(const measurement &) = delete;

    /* Measure f() (called opt->iterations times per sample). */
    template <class F> const kpmc_result &run(F &&f)
    {
        auto *p = &f; /* a pointer to the callable, or a function pointer */
        int r = kpmc_measure_run(m_, &call<decltype(p)>, &p);
        if (r != 0)
            throw error(r, kpmc_measure_error(m_));
        return result();
    }
    /* The region loop: while (m.next()) region(); */
    bool next()
    {
        int r = kpmc_measure_next(m_);
        if (r < 0)
            throw error(r, kpmc_measure_error(m_));
        return r > 0;
    }
    /* The last complete run; throws kpmc::error (KPMC_E_STATE) before one. */
    const kpmc_result &result() const
    {
        const kpmc_result *r = kpmc_measure_result(m_);
        if (!r)
            throw error(KPMC_E_STATE, "no complete run yet");
        return *r;
    }
    std::string json() const { return text(kpmc_result_json); }
    std::string csv() const { return text(kpmc_result_csv); }
    kpmc_measure *get() const noexcept { return m_; }

  private:
    template <class P> static void call(void *arg) { (**static_cast<P *>(arg))(); }
    std::string text(std::size_t (*write)(const kpmc_result *, char *, std::size_t)) const
    {
        const kpmc_result &r = result();
        std::string out(write(&r, nullptr, 0) + 1, '\0');
        out.resize(write(&r, &out[0], out.size()));
        return out;
    }
    kpmc_measure *m_ = nullptr;
};

} // namespace kpmc

#endif
