// The supervisor's command line and environment: `vigil [OPTIONS] [--]
// PROGRAM [ARG...]`. Every option and its environment variable is one row of
// supervisor_options() (supervisor_options.h); parsing is a pure function from argv and an
// environment lookup to a SupervisorConfig (or a one-line error), so it is
// tested without processes.
#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/environment.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "base/option_table.h"
#include "supervisor/signals.h"
#include "supervisor/supervisor_options.h"
#include "supervisor/watchdog_config.h"

namespace vigil {

// Whom a forwarded signal reaches while the main child runs.
enum class ForwardScope {
    group,  // the main child's process group (the default; tini's -g)
    child,  // the main child's PID only; it still has its own session (tini's default)
    all,    // every other process as PID 1, every descendant as a subreaper
};

struct SupervisorConfig {
    std::optional<int64_t> grace_ms;  // nullopt: no limit
    int64_t drain_ms = 3000;
    int64_t stop_delay_ms = 0;  // hold the first stop signal this long
    // The orchestrator's stop signal (Docker's STOPSIGNAL): with SIGINT, the
    // termination requests that start the shutdown.
    int stop_signal = SIGTERM;
    ForwardScope forward_to = ForwardScope::group;
    SignalRewrites rewrites;
    // -c: the main child stays in vigil's session and process group, and
    // signals go to its PID.
    bool single_child = false;
    ExitRemap remap;
    int parent_death_signal = 0;  // 0: none
    bool subreaper = false;       // asked for explicitly with -s
    bool warn_reap = false;
    int verbosity = 0;
    LogFormat log_format = LogFormat::text;
    bool watchdog_enabled = false;  // --watchdog URL given
    WatchdogConfig watchdog;
    char** program = nullptr;  // NULL-terminated argv of the main child
};

enum class SupervisorAction { run, help, version, usage_error };

// Filled in place (the watchdog's check keeps text of its own).
struct ParsedSupervisorCommandLine {
    SupervisorAction action = SupervisorAction::usage_error;
    SupervisorConfig config;
    bool forward_to_given = false;            // --forward-to or -g, which -c contradicts
    EnvironmentLookup environment = nullptr;  // for ${NAME} in the watchdog's URL and headers
    char error[256] = {};                     // the one-line reason, when action is usage_error
};

// Parses argv (argv[0] is vigil's own name) into `out`, which must be fresh.
// Options stop at the first non-option or at "--". Environment variables fill
// what options leave unset.
void parse_supervisor_command_line(int argc, char** argv, EnvironmentLookup environment,
                                   ParsedSupervisorCommandLine& out);

// The text printed by --help (supervisor_help.txt), kept compressed
// (base/compressed_text.h).
extern const unsigned char supervisor_help[];
// The same text as it is, for tests and docs checks only.
extern const char supervisor_help_text[];

}  // namespace vigil
