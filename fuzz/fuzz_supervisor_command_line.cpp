// Fuzzes the supervisor's command line and environment (vigil [OPTIONS] [--]
// PROGRAM [ARG...]): any argv and any VIGIL_* variables give either a
// configuration within its documented bounds or one line of usage error
// that is safe to print.
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/duration.h"
#include "command_line_input.h"
#include "fuzz_check.h"
#include "supervisor/supervisor_command_line.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    vigil_fuzz::CommandLineInput input("vigil", data, size);
    auto parsed = std::make_unique<vigil::ParsedSupervisorCommandLine>();
    vigil::parse_supervisor_command_line(input.argc(), input.argv(),
                                         vigil_fuzz::CommandLineInput::lookup, *parsed);
    if (parsed->action == vigil::SupervisorAction::usage_error) {
        check(parsed->error[0] != '\0' && vigil_fuzz::is_safe_line(parsed->error));
        return 0;
    }
    if (parsed->action != vigil::SupervisorAction::run)
        return 0;
    const vigil::SupervisorConfig& config = parsed->config;
    check(config.program && config.program[0]);
    check(!config.grace_ms ||
          (*config.grace_ms >= 0 && *config.grace_ms <= vigil::max_duration_ms));
    for (int64_t ms : {config.drain_ms, config.stop_delay_ms})
        check(ms >= 0 && ms <= vigil::max_duration_ms);
    check(config.stop_signal >= 1 && config.stop_signal <= vigil::max_signal);
    check(config.parent_death_signal >= 0 && config.parent_death_signal <= vigil::max_signal);
    check(config.verbosity >= 0);
    for (int fixed : {SIGKILL, SIGSTOP, SIGCHLD}) check(config.rewrites.apply(fixed) == fixed);
    if (config.watchdog_enabled) {
        const vigil::WatchdogConfig& watchdog = config.watchdog;
        check(watchdog.failures >= 1 && watchdog.failures <= 1000);
        check(watchdog.interval_ms >= 0 && watchdog.interval_ms <= vigil::max_duration_ms);
        check(!watchdog.check.url.host.empty() && watchdog.check.url.port != 0);
        check(watchdog.check.header_count <= vigil::max_extra_headers);
    }
    return 0;
}
