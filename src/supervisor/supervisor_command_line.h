// The supervisor's command line and environment: `vigil [OPTIONS] [--]
// PROGRAM [ARG...]`. Parsing is a pure function from argv and an environment
// lookup to a SupervisorConfig (or a one-line error), so it is tested without processes.
#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/environment.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "supervisor/signals.h"
#include "supervisor/watchdog_config.h"

namespace vigil {

struct SupervisorConfig {
    std::optional<int64_t> grace_ms;  // nullopt: no limit
    int64_t drain_ms = 3000;
    int64_t stop_delay_ms = 0;  // hold the first stop signal this long
    // The orchestrator's stop signal (Docker's STOPSIGNAL): with SIGINT, the
    // termination requests that start the shutdown.
    int stop_signal = SIGTERM;
    SignalRewrites rewrites;
    bool single_child = false;
    ExitRemap remap;
    int parent_death_signal = 0;  // 0: none
    bool subreaper = false;       // asked for explicitly with -s
    bool warn_reap = false;
    int verbosity = 0;
    LogFormat log_format = LogFormat::text;
    bool watchdog_enabled = false;  // --watchdog URL given
    WatchdogConfig watchdog;
    char** program = nullptr;  // NULL-terminated argv of the child
};

enum class SupervisorAction { run, help, version, usage_error };

struct ParsedSupervisorCommandLine {
    SupervisorAction action = SupervisorAction::usage_error;
    SupervisorConfig config;
    char error[256] = {};  // the one-line reason, when action is usage_error
};

// Parses argv (argv[0] is vigil's own name). Options stop at the first
// non-option or at "--". Environment variables fill what options leave unset.
ParsedSupervisorCommandLine parse_supervisor_command_line(int argc, char** argv,
                                                          EnvironmentLookup environment);

// The text printed by --help.
extern const char supervisor_help_text[];

}  // namespace vigil
