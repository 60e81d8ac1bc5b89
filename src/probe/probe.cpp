#include "probe/probe.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include "base/clock.h"
#include "base/compressed_text.h"
#include "base/format.h"
#include "base/line_output.h"
#include "base/log.h"
#include "base/signal_disposition.h"
#include "probe/health_check.h"
#include "probe/probe_command_line.h"

namespace vigil {
namespace {

// One line to `fd`, cut to fit if need be. It waits at most 100 ms for a
// reader: the probe's deadline is not to be overrun by a stalled pipe.
__attribute__((format(printf, 2, 3))) void print_line(int fd, const char* format, ...) {
    char line[512];
    va_list arguments;
    va_start(arguments, format);
    int length = vformat_into(line, sizeof line - 1, format, arguments);
    va_end(arguments);
    size_t end = length < 0 ? 0 : static_cast<size_t>(length);
    if (end > sizeof line - 2)
        end = sizeof line - 2;
    line[end] = '\n';
    LineOutput output;
    output.open(fd);
    output.write_line(line, end + 1, 100);
}

}  // namespace

int run_probe(int argc, char** argv) {
    int64_t started = monotonic_us();
    // A reader that went away must not turn the verdict into death by
    // SIGPIPE (status 141): the probe's statuses are 0 and 1 only.
    set_signal_disposition(SIGPIPE, SIG_IGN);
    ParsedProbeCommandLine parsed;
    parse_probe_command_line(argc, argv, std::getenv, parsed);
    if (parsed.action == ProbeAction::help) {
        write_compressed_text(STDOUT_FILENO, probe_help);
        return probe_healthy;
    }
    // Usage errors go to stderr (Docker keeps both streams in the health
    // log) even with -q: a broken HEALTHCHECK line must be visible.
    const char* error = parsed.error;
    HealthCheck check;
    if (parsed.action == ProbeAction::usage_error || !check.prepare(parsed.config.check, error)) {
        print_line(STDERR_FILENO, "vigil probe: %s (try 'vigil probe --help')", error);
        return probe_unhealthy;
    }

    check.start(started);
    while (check.running()) {
        pollfd ready = check.poll_request();
        int64_t remaining_us = check.wake_at_us() - monotonic_us();
        // Rounded up: waking before the deadline only means looking again.
        if (poll(&ready, 1, poll_timeout_ms((remaining_us + 999) / 1000)) < 0)
            ready.revents = 0;  // EINTR: no signal is handled here, so merely look again
        check.advance(ready.revents, monotonic_us());
    }

    if (!parsed.config.quiet)
        print_line(STDOUT_FILENO, "%s", check.summary());
    return check.healthy() ? probe_healthy : probe_unhealthy;
}

}  // namespace vigil
