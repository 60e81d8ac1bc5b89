// `vigil probe [OPTIONS] [URL]`: the health probe's command line and
// environment, one row of probe_options() per option. A pure function, like
// the supervisor's, so it is tested without sockets.
#pragma once

#include <cstdint>
#include <span>

#include "base/environment.h"
#include "base/option_table.h"
#include "probe/check_spec.h"
#include "probe/probe_options.h"

namespace vigil {

// The probe's deadline unless -t says otherwise: below the orchestrators'
// own health-check timeouts (Kubernetes' timeoutSeconds defaults to 1 s,
// Docker's --timeout to 30 s), with room for starting the probe, so that a
// probe that times out reports its own reason instead of the orchestrator's
// "exceeded timeout".
inline constexpr int64_t default_probe_timeout_ms = 800;

struct ProbeConfig {
    CheckSpec check;
    bool quiet = false;
};

enum class ProbeAction { run, help, usage_error };

// Filled in place (the check keeps text of its own).
struct ParsedProbeCommandLine {
    ProbeAction action = ProbeAction::usage_error;
    ProbeConfig config;
    const char* url_operand = nullptr;        // the URL as given on the command line
    EnvironmentLookup environment = nullptr;  // for ${NAME} in the URL and headers
    char error[256] = {};                     // the one-line reason, when action is usage_error
};

// argv[0] is the word "probe". Options may come before or after the URL.
// `out` must be fresh.
void parse_probe_command_line(int argc, char** argv, EnvironmentLookup environment,
                              ParsedProbeCommandLine& out);

// The text printed by --help (probe_help.txt), kept compressed
// (base/compressed_text.h).
extern const unsigned char probe_help[];
// The same text as it is, for tests and docs checks only.
extern const char probe_help_text[];

}  // namespace vigil
