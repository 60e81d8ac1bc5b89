// `vigil probe [OPTIONS] [URL]`: the health probe's command line and
// environment. A pure function, like the supervisor's, so it is tested
// without sockets.
#pragma once

#include "base/environment.h"
#include "probe/check_spec.h"

namespace vigil {

struct ProbeConfig {
    CheckSpec check;
    bool quiet = false;
};

enum class ProbeAction { run, help, usage_error };

struct ParsedProbeCommandLine {
    ProbeAction action = ProbeAction::usage_error;
    ProbeConfig config;
    char error[256] = {};  // the one-line reason, when action is usage_error
};

// argv[0] is the word "probe". Options may come before or after the URL.
ParsedProbeCommandLine parse_probe_command_line(int argc, char** argv,
                                                EnvironmentLookup environment);

extern const char probe_help_text[];

}  // namespace vigil
