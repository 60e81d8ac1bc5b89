// Peak memory and idle wakeups, from the same runs. Every init is started at
// once as PID 1 of its own PID namespace with an idle child, so they share
// one window of the machine's time; after a settling pause the window starts,
// and at its end the driver reads each init's /proc/PID/status.
#include <optional>

#include "clock.h"
#include "init_session.h"
#include "measurements.h"
#include "proc_files.h"

namespace bench {
namespace {

// Lets each init finish what it does after starting its child.
constexpr int64_t settle_ns = 200'000'000;

}  // namespace

std::vector<Measurement> measure_idle(const BenchConfig& config, const std::vector<Init>& inits) {
    std::vector<Figure> memory;
    std::vector<Figure> wakeups;
    for (const Init& init : inits) {
        std::string missing = missing_binary(init.path);
        memory.push_back({.subject = init.name, .error = missing});
        wakeups.push_back({.subject = init.name, .error = missing});
    }

    for (int round = 0; round < config.idle_rounds; ++round) {
        std::vector<std::optional<InitSession>> sessions(inits.size());
        for (size_t i = 0; i < inits.size(); ++i) {
            if (!memory[i].error.empty())
                continue;
            Result<InitSession> session = start_init_session(inits[i], config, "wait");
            if (session)
                sessions[i] = std::move(*session);
            else
                memory[i].error = wakeups[i].error = session.error();
        }
        sleep_ns(settle_ns);

        std::vector<long> switches_before(inits.size());
        for (size_t i = 0; i < inits.size(); ++i) {
            if (!sessions[i])
                continue;
            Result<long> switches =
                status_field(sessions[i]->init.pid(), "voluntary_ctxt_switches");
            if (switches)
                switches_before[i] = *switches;
            else
                wakeups[i].error = switches.error();
        }
        sleep_ns(int64_t{config.idle_seconds} * 1'000'000'000);

        for (size_t i = 0; i < inits.size(); ++i) {
            if (!sessions[i])
                continue;
            pid_t pid = sessions[i]->init.pid();
            Result<long> switches = status_field(pid, "voluntary_ctxt_switches");
            if (wakeups[i].error.empty() && switches)
                wakeups[i].samples.push_back(static_cast<double>(*switches - switches_before[i]));
            else if (wakeups[i].error.empty())
                wakeups[i].error = switches.error();
            Result<long> peak = status_field(pid, "VmHWM");
            if (peak)
                memory[i].samples.push_back(static_cast<double>(*peak));
            else
                memory[i].error = peak.error();
        }
        // Leaving scope kills each init with SIGKILL, which ends its namespace.
    }

    std::string seconds = std::to_string(config.idle_seconds);
    Measurement memory_measurement{
        .key = "memory",
        .title = "Peak memory of the init",
        .unit = "KiB",
        .how =
            "`VmHWM` (peak resident set) from `/proc/PID/status` of the init, running as PID 1 "
            "of a fresh PID namespace with one idle child (`bench-child wait`), read after " +
            seconds +
            " s of idling. It counts the init's own pages, shared library pages "
            "it touched included. N is the number of runs.",
        .figures = memory};
    Measurement wakeup_measurement{
        .key = "wakeups",
        .title = "Idle wakeups in " + seconds + " s",
        .unit = "count",
        .how = "The growth of `voluntary_ctxt_switches` in `/proc/PID/status` of the init over " +
               seconds +
               " s while it runs as PID 1 of a fresh PID namespace with one idle child. "
               "Every init runs at the same time, in the same window; the window starts 0.2 s "
               "after the child reported ready. N is the number of windows.",
        .figures = wakeups};
    return {memory_measurement, wakeup_measurement};
}

}  // namespace bench
