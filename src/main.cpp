// vigil's entry point: `vigil probe ...` runs the health probe, anything else
// the supervisor.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/compressed_text.h"
#include "base/error_text.h"
#include "base/exit_status.h"
#include "base/format.h"
#include "base/log.h"
#include "base/relro.h"
#include "base/version.h"
#include "probe/probe.h"
#include "supervisor/supervisor.h"
#include "supervisor/supervisor_command_line.h"

using namespace vigil;

namespace {

int print(int fd, const char* text) {
    write_all(fd, text, std::strlen(text));
    return 0;
}

// Started with descriptor 0, 1 or 2 closed, vigil's own descriptors (the
// signalfd, a probe's socket) would take those numbers, and its log lines
// would go into them. /dev/null holds each closed one first, as a daemon's
// standard descriptors; the child inherits them so. Nothing to do about a
// failure: without /dev/null there is nothing better to hold them with.
void occupy_standard_descriptors() {
    for (int fd = 0; fd <= 2; ++fd) {
        // Open unless EBADF. Asked with lseek(), which the log output uses
        // anyway; fcntl() would bring 400 bytes of musl for this one call.
        if (lseek(fd, 0, SEEK_CUR) >= 0 || errno != EBADF)
            continue;
        // openat(), as everywhere in vigil: musl's open() adds 200 bytes of
        // fallback for kernels that predate O_CLOEXEC.
        int null_fd = openat(AT_FDCWD, "/dev/null", O_RDWR);  // takes the lowest free number: fd
        if (null_fd > 2)
            close(null_fd);
    }
}

}  // namespace

int main(int argc, char** argv) {
    occupy_standard_descriptors();
    // First, before anything could overwrite a relocated pointer. Not fatal:
    // an init that refuses to start helps no one.
    if (int error = protect_relro()) {
        char line[160];
        format_into(line, sizeof line, "vigil: warning: cannot make relocated data read-only: %s\n",
                    error_text(error));
        print(STDERR_FILENO, line);
    }
    // `vigil probe`: the health probe. `vigil -- probe` runs a program named
    // probe, since "--" comes first.
    if (argc > 1 && std::strcmp(argv[1], "probe") == 0)
        return run_probe(argc - 1, argv + 1);

    // Static: the configuration lives as long as vigil, and its watchdog
    // check's buffers stay untouched without --watchdog.
    static ParsedSupervisorCommandLine parsed;
    parse_supervisor_command_line(argc, argv, std::getenv, parsed);
    switch (parsed.action) {
        case SupervisorAction::help:
            write_compressed_text(STDOUT_FILENO, supervisor_help);
            return 0;
        case SupervisorAction::version:
            return print(STDOUT_FILENO, VIGIL_VERSION_LINE "\n");
        case SupervisorAction::usage_error: {
            char line[512];
            format_into(line, sizeof line, "vigil: %s (try 'vigil --help')\n", parsed.error);
            print(STDERR_FILENO, line);
            return exit_usage;
        }
        case SupervisorAction::run:
            break;
    }
    log_configure(parsed.config.log_format, parsed.config.verbosity);
    return run_supervisor(parsed.config);
}
