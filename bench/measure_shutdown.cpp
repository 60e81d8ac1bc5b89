// Shutdown: SIGTERM to the init until wait4 reports it gone. The child
// (`bench-child wait`) keeps SIGTERM's default action, so it dies as soon as
// the init forwards the signal; the figure is how fast the init passes it on,
// notices the death, and exits.
#include <signal.h>

#include "clock.h"
#include "init_session.h"
#include "measurements.h"

namespace bench {
namespace {

Result<double> time_one_shutdown(const Init& init, const BenchConfig& config) {
    Result<InitSession> session = start_init_session(init, config, "wait");
    if (!session)
        return fail(session.error());
    int64_t sent = monotonic_ns();
    if (kill(session->init.pid(), SIGTERM) < 0)
        return fail(errno_message("kill SIGTERM"));
    Result<ExitInfo> exit = session->init.wait(5000);
    if (!exit)
        return fail("after SIGTERM: " + exit.error());
    return static_cast<double>(exit->exited_ns - sent) / 1e3;
}

}  // namespace

Measurement measure_shutdown(const BenchConfig& config, const std::vector<Init>& inits) {
    Measurement measurement{
        .key = "shutdown",
        .title = "Shutdown",
        .unit = "µs",
        .how =
            "The init runs as PID 1 of a fresh PID namespace with one child that dies of "
            "SIGTERM at once (default action). Once the child has reported ready, the driver "
            "takes a timestamp, sends SIGTERM to the init and waits for it to exit; the figure "
            "ends when `wait4()` returns. Rounds start each init in turn.",
        .show_p99 = true};
    for (const Init& init : inits)
        measurement.figures.push_back({.subject = init.name, .error = missing_binary(init.path)});
    for (int round = 0; round < config.shutdown_rounds; ++round) {
        for (size_t i = 0; i < inits.size(); ++i) {
            Figure& figure = measurement.figures[i];
            if (!figure.error.empty())
                continue;
            Result<double> elapsed = time_one_shutdown(inits[i], config);
            if (elapsed)
                figure.samples.push_back(*elapsed);
            else
                figure.error = elapsed.error();
        }
    }
    return measurement;
}

}  // namespace bench
