// How a child's end becomes vigil's exit status: the child's exit code, or
// 128+N when signal N killed it (the shell convention Docker and Kubernetes
// report), then --remap-exit turns chosen codes into 0.
#pragma once

#include <cstdint>

namespace vigil {

// Exit code for a wait status from waitpid(): WEXITSTATUS, or 128+WTERMSIG.
int exit_code_from_wait_status(int wait_status);

// The set of exit codes (0..255) that --remap-exit reports as success.
class ExitRemap {
  public:
    void add(int code) { bits_[code / 64] |= uint64_t{1} << (code % 64); }
    bool contains(int code) const {
        return code >= 0 && code < 256 && (bits_[code / 64] >> (code % 64)) & 1;
    }
    int apply(int code) const { return contains(code) ? 0 : code; }

  private:
    uint64_t bits_[4] = {};
};

// vigil's own exit statuses, documented in the README and the man page.
inline constexpr int exit_usage = 2;             // bad command line; child not started
inline constexpr int exit_cannot_execute = 126;  // program found but not executable
inline constexpr int exit_not_found = 127;       // program not found
inline constexpr int exit_internal = 125;        // vigil itself failed (fork, signalfd...)
// The watchdog stopped the child: GNU timeout's status for "ran out of time",
// never remapped by -e, so that a restart policy always sees a failure.
inline constexpr int exit_watchdog = 124;

}  // namespace vigil
