// Start-up overhead: what an init adds to a program that does nothing.
// Each round runs bare /bin/true and then `INIT -- /bin/true` for every
// init, all as PID 1 of a fresh PID namespace (as in a container), and the
// overhead is each init's time minus the bare time of the same round.
#include "clock.h"
#include "measurements.h"
#include "spawn.h"
#include "statistics.h"

namespace bench {
namespace {

// Microseconds from clone to wait4 returning; the command must succeed.
Result<double> time_run(const std::vector<std::string>& command) {
    int64_t started = monotonic_ns();
    Result<Child> child = Child::spawn(command, {.pid_namespace = true});
    if (!child)
        return fail(child.error());
    Result<ExitInfo> exit = child->wait(5000);
    if (!exit)
        return fail(exit.error());
    if (!exit->succeeded())
        return fail("ended with " + exit->describe());
    return static_cast<double>(exit->exited_ns - started) / 1e3;
}

}  // namespace

Measurement measure_startup(const BenchConfig& config, const std::vector<Init>& inits) {
    const std::vector<std::string> program{"/bin/true"};
    // Slot 0 is bare /bin/true, slot i+1 is inits[i].
    std::vector<std::vector<std::string>> commands{program};
    std::vector<std::string> errors{""};
    for (const Init& init : inits) {
        commands.push_back(init.command(program));
        errors.push_back(missing_binary(init.path));
    }
    std::vector<std::vector<double>> times(commands.size());
    for (int round = 0; round < config.startup_rounds; ++round) {
        for (size_t slot = 0; slot < commands.size(); ++slot) {
            if (!errors[slot].empty())
                continue;
            Result<double> elapsed = time_run(commands[slot]);
            if (elapsed)
                times[slot].push_back(*elapsed);
            else
                errors[slot] = elapsed.error();
        }
    }

    Measurement measurement{
        .key = "startup", .title = "Start-up overhead", .unit = "µs", .show_p99 = true};
    for (size_t i = 0; i < inits.size(); ++i) {
        Figure figure{.subject = inits[i].name, .error = errors[i + 1]};
        if (!errors[0].empty())
            figure.error = "bare /bin/true failed: " + errors[0];
        // A failing subject stops being run, so rounds stay paired by index.
        size_t rounds = std::min(times[0].size(), times[i + 1].size());
        for (size_t round = 0; round < rounds; ++round)
            figure.samples.push_back(times[i + 1][round] - times[0][round]);
        // The rank tests compare the inits' own times: a shift between them
        // is a shift between overheads, without the bare run's noise, which
        // the differences of one round share across inits.
        figure.ranked.assign(times[i + 1].begin(), times[i + 1].begin() + rounds);
        measurement.figures.push_back(figure);
    }
    char bare[64];
    std::snprintf(bare, sizeof bare, "%.0f µs", median(times[0]));
    measurement.how =
        "Wall time from `clone()` to `wait4()` returning for `INIT -- /bin/true` (`dumb-init "
        "/bin/true`), minus the time of bare `/bin/true` in the same round, both started as "
        "PID 1 of a fresh PID namespace. Rounds run bare `/bin/true` and then each init in "
        "turn; median and p99 are over the per-round differences. Bare `/bin/true` took " +
        std::string(bare) + " (median), the cost of creating the namespace included.";
    return measurement;
}

}  // namespace bench
