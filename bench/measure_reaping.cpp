// Reaping: how fast an init reaps orphans. Under each init, running as PID 1
// of a fresh PID namespace, `bench-child orphans` leaves N orphans blocked on
// a futex; the driver watches every one through a pidfd (reap_watch.h) and
// releases them all at once. Two kinds of burst, alternating:
//
// - storm: the init runs while the orphans exit, competing with them for the
//   two cores. Timed from the release to the last reap; zombies are the
//   orphans that announced their exit (a counter each bumps just before
//   _exit) minus those reaped so far.
// - waiting zombies: the init is stopped (SIGSTOP) until every orphan is a
//   zombie, then continued (SIGCONT). Timed from SIGCONT to the last reap:
//   the init's own reaping work, without the storm's scheduling noise.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <optional>

#include "clock.h"
#include "init_session.h"
#include "measurements.h"
#include "proc_files.h"
#include "reap_watch.h"

namespace bench {
namespace {

constexpr int64_t reaping_timeout_ns = 30'000'000'000;
// The driver collects reaps every millisecond instead of waking for each,
// so that it takes as little CPU from the init and the orphans as it can.
constexpr int64_t collect_interval_ns = 1'000'000;

struct Burst {
    double milliseconds;
    double peak_zombies;
};

// The watch holds a pidfd per orphan, beyond the usual limit of 1024 open
// files. Raised only for this measurement, so that no other run inherits it.
class OpenFilesLimit {
  public:
    static Result<OpenFilesLimit> raise_to(rlim_t wanted) {
        rlimit original{};
        if (getrlimit(RLIMIT_NOFILE, &original) < 0)
            return fail(errno_message("getrlimit RLIMIT_NOFILE"));
        rlimit raised = original;
        raised.rlim_cur = std::max(original.rlim_cur, wanted);
        raised.rlim_max = std::max(original.rlim_max, raised.rlim_cur);  // root may raise it
        if (setrlimit(RLIMIT_NOFILE, &raised) < 0)
            return fail(errno_message("setrlimit RLIMIT_NOFILE"));
        return OpenFilesLimit(original);
    }
    OpenFilesLimit(OpenFilesLimit&& other) noexcept : original_(other.original_) {
        other.restore_ = false;
    }
    ~OpenFilesLimit() {
        if (restore_)
            setrlimit(RLIMIT_NOFILE, &original_);
    }

  private:
    explicit OpenFilesLimit(rlimit original) : original_(original) {}
    rlimit original_;
    bool restore_ = true;
};

// Polls until `done` holds (true), fails (an error), or 30 s pass.
template <typename Check>
Result<bool> wait_until(const char* what, Check done) {
    int64_t deadline = monotonic_ns() + reaping_timeout_ns;
    for (;;) {
        Result<bool> result = done();
        if (!result || *result)
            return result;
        if (monotonic_ns() > deadline)
            return fail(std::string(what) + " did not happen within 30 s");
        sleep_ns(1'000'000);
    }
}

Result<Burst> reap_one_burst(const Init& init, const BenchConfig& config, bool stop_init) {
    // Forking 10,000 orphans takes a while before bench-child is ready.
    Result<InitSession> session =
        start_init_session(init, config, "orphans", {std::to_string(config.orphans)}, 120'000);
    if (!session)
        return fail(session.error());
    pid_t init_pid = session->init.pid();
    // The init's children: bench-child, which stays, and the orphans.
    Result<std::vector<pid_t>> children = child_pids(init_pid);
    if (!children)
        return fail(children.error());
    if (children->size() != static_cast<size_t>(config.orphans) + 1)
        return fail("the init has " + std::to_string(children->size()) + " children, expected " +
                    std::to_string(config.orphans + 1));
    Result<ReapWatch> watch = ReapWatch::watch(*children);
    if (!watch)
        return fail(watch.error());
    SharedState& state = session->state();

    if (stop_init) {
        // SIGSTOP from the parent namespace reaches even a namespace's PID 1.
        if (kill(init_pid, SIGSTOP) < 0)
            return fail(errno_message("kill SIGSTOP"));
        Result<bool> stopped = wait_until("the init's stop", [&]() -> Result<bool> {
            siginfo_t info{};
            if (waitid(P_PID, init_pid, &info, WSTOPPED | WNOHANG | WNOWAIT) < 0)
                return fail(errno_message("waitid WSTOPPED"));
            return info.si_pid == init_pid;
        });
        if (!stopped)
            return fail(stopped.error());
    }

    int64_t released = monotonic_ns();
    shared(state.release_orphans).store(1);
    futex_wake_all(state.release_orphans);

    int64_t started = released;
    if (stop_init) {
        Result<bool> all_zombies = wait_until("every orphan's exit", [&]() -> Result<bool> {
            Result<size_t> exited = watch->count_exited();
            if (!exited)
                return fail(exited.error());
            return *exited == static_cast<size_t>(config.orphans);
        });
        if (!all_zombies)
            return fail(all_zombies.error());
        started = monotonic_ns();
        if (kill(init_pid, SIGCONT) < 0)
            return fail(errno_message("kill SIGCONT"));
    }

    int reaped = 0;
    int peak_zombies = 0;
    while (reaped < config.orphans) {
        if (monotonic_ns() - started > reaping_timeout_ns)
            return fail(std::to_string(config.orphans - reaped) + " orphans unreaped after 30 s");
        sleep_ns(collect_interval_ns);
        Result<int> more = watch->wait_for_reaps(0);
        if (!more)
            return fail(more.error());
        reaped += *more;
        auto exited = static_cast<int>(shared(state.orphans_exited).load());
        peak_zombies = std::max(peak_zombies, exited - reaped);
    }
    int64_t done = monotonic_ns();
    // Had the init died, the kernel would have ended (and reaped) the orphans.
    if (session->init.has_exited())
        return fail("the init exited during the burst");
    return Burst{static_cast<double>(done - started) / 1e6, static_cast<double>(peak_zombies)};
}

}  // namespace

std::vector<Measurement> measure_reaping(const BenchConfig& config,
                                         const std::vector<Init>& inits) {
    std::vector<Figure> storm_times;
    std::vector<Figure> zombies;
    std::vector<Figure> waiting_times;
    for (const Init& init : inits) {
        std::string missing = missing_binary(init.path);
        storm_times.push_back({.subject = init.name, .error = missing});
        zombies.push_back({.subject = init.name, .error = missing});
        waiting_times.push_back({.subject = init.name, .error = missing});
    }
    Result<OpenFilesLimit> limit = OpenFilesLimit::raise_to(rlim_t(config.orphans) + 1024);
    for (int round = 0; round < config.reaping_rounds; ++round) {
        for (size_t i = 0; i < inits.size(); ++i) {
            if (!limit)
                storm_times[i].error = zombies[i].error = waiting_times[i].error = limit.error();
            if (storm_times[i].error.empty()) {
                Result<Burst> storm = reap_one_burst(inits[i], config, false);
                if (storm) {
                    storm_times[i].samples.push_back(storm->milliseconds);
                    zombies[i].samples.push_back(storm->peak_zombies);
                } else {
                    storm_times[i].error = zombies[i].error = storm.error();
                }
            }
            if (waiting_times[i].error.empty()) {
                Result<Burst> waiting = reap_one_burst(inits[i], config, true);
                if (waiting)
                    waiting_times[i].samples.push_back(waiting->milliseconds);
                else
                    waiting_times[i].error = waiting.error();
            }
        }
    }

    std::string count = std::to_string(config.orphans);
    std::string setup =
        "The init runs as PID 1 of a fresh PID namespace; its child (`bench-child orphans`) forks "
        "a parent that forks " +
        count +
        " processes and exits, so they become the init's "
        "children, each blocked on one futex in shared memory. The driver opens a pidfd for each "
        "(a pidfd reports EPOLLHUP once its process is reaped, and the kernel wakes its waiters "
        "then) and wakes the orphans all at once. ";
    Measurement storm_measurement{
        .key = "reaping",
        .title = "Reaping a storm of " + count + " exiting orphans",
        .unit = "ms",
        .how = setup +
               "The figure is the time from the wake-up to the last pidfd's report "
               "(the driver collects reports every millisecond). It includes the kernel's work of "
               "ending " +
               count +
               " processes, which compete with the init for the two cores: how often the "
               "scheduler lets the init run in the storm varies from burst to burst, so this "
               "figure is noisy. N is the number of bursts.",
        .show_range = true,
        .figures = storm_times};
    Measurement zombie_measurement{
        .key = "zombies",
        .title = "Peak zombies in the storm",
        .unit = "count",
        .how =
            "In the same storms: every millisecond, the number of orphans that had bumped an "
            "exit counter in shared memory just before `_exit` minus the number reaped so "
            "far; the figure is the largest value seen in a storm. It counts zombies and "
            "orphans in the last steps of exiting.",
        .show_range = true,
        .figures = zombies};
    Measurement waiting_measurement{
        .key = "reaping_waiting",
        .title = "Reaping " + count + " waiting zombies",
        .unit = "ms",
        .how = setup +
               "Here the init is stopped with SIGSTOP before the wake-up and continued "
               "with SIGCONT once every orphan is a zombie (every pidfd readable); the figure is "
               "the time from SIGCONT to the last pidfd's report, the init's own reaping work "
               "without the storm, though still with the kernel's own work of freeing " +
               count +
               " processes, which varies from burst to burst. Bursts alternate with the storms. "
               "N is the number of bursts.",
        .show_range = true,
        .figures = waiting_times};
    return {storm_measurement, zombie_measurement, waiting_measurement};
}

}  // namespace bench
