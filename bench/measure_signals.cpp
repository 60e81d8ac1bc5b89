// Signal forwarding latency: from kill() on the init to the child's SIGUSR1
// handler running. Every init runs at once as PID 1 of its own PID namespace
// with `bench-child signals` under it; the driver signals them in turn, one
// signal in flight at a time, and waits until the child has stamped it.
#include <signal.h>

#include <optional>

#include "clock.h"
#include "init_session.h"
#include "measurements.h"

namespace bench {
namespace {

constexpr int64_t signal_timeout_ns = 2'000'000'000;

// Microseconds from kill() to the child's CLOCK_MONOTONIC stamp.
Result<double> time_one_signal(InitSession& session) {
    SharedState& state = session.state();
    uint32_t seen = shared(state.signals_seen).load();
    int64_t sent = monotonic_ns();
    if (kill(session.init.pid(), SIGUSR1) < 0)
        return fail(errno_message("kill SIGUSR1"));
    int64_t deadline = sent + signal_timeout_ns;
    while (shared(state.signals_seen).load() == seen) {
        int64_t left = deadline - monotonic_ns();
        if (left <= 0)
            return fail("SIGUSR1 did not reach the child within 2 s");
        futex_wait(state.signals_seen, seen, left);
    }
    return static_cast<double>(shared(state.last_signal_ns).load() - sent) / 1e3;
}

}  // namespace

Measurement measure_signal_forwarding(const BenchConfig& config, const std::vector<Init>& inits) {
    Measurement measurement{
        .key = "signals",
        .title = "Signal forwarding latency",
        .unit = "µs",
        .how =
            "Every init runs at once as PID 1 of its own fresh PID namespace, with a child "
            "(`bench-child signals`) whose SIGUSR1 handler stores a `CLOCK_MONOTONIC` "
            "timestamp in shared memory and wakes the driver through a futex. The driver "
            "takes a timestamp, calls `kill(init, SIGUSR1)`, and waits for the child's stamp "
            "before sending the next signal; the inits take turns signal by signal. The "
            "figure is the child's stamp minus the driver's.",
        .show_p99 = true};
    std::vector<std::optional<InitSession>> sessions(inits.size());
    for (const Init& init : inits)
        measurement.figures.push_back({.subject = init.name, .error = missing_binary(init.path)});
    for (size_t i = 0; i < inits.size(); ++i) {
        if (!measurement.figures[i].error.empty())
            continue;
        Result<InitSession> session = start_init_session(inits[i], config, "signals");
        if (session)
            sessions[i] = std::move(*session);
        else
            measurement.figures[i].error = session.error();
    }

    for (int round = 0; round < config.signal_rounds; ++round) {
        for (size_t i = 0; i < inits.size(); ++i) {
            if (!sessions[i])
                continue;
            Result<double> latency = time_one_signal(*sessions[i]);
            if (latency) {
                measurement.figures[i].samples.push_back(*latency);
            } else {
                measurement.figures[i].error = latency.error();
                sessions[i].reset();
            }
        }
    }
    return measurement;
}

}  // namespace bench
