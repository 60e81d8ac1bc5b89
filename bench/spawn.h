// Starting and waiting for the processes the driver measures. Each child is
// made with a raw clone(2): CLONE_PIDFD gives a descriptor to wait on with a
// timeout (so a hung init cannot hang the run), and CLONE_NEWPID makes the
// child PID 1 of a fresh PID namespace, as an init is in a container, while
// it stays the driver's own child (waitpid and rusage work directly).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "result.h"

namespace bench {

struct SpawnOptions {
    bool pid_namespace = false;  // PID 1 of a fresh PID namespace
    int output_fd = -1;          // stdout and stderr; -1 means /dev/null
    bool traced = false;         // PTRACE_TRACEME before exec; see Child::wait_traced
};

struct ExitInfo {
    int status = 0;         // as wait4 reports it
    rusage usage{};         // as wait4 reports it
    int64_t exited_ns = 0;  // CLOCK_MONOTONIC when wait4 returned
    bool succeeded() const;
    std::string describe() const;  // "exit status 1", "killed by signal 9"
};

class Child {
  public:
    static Result<Child> spawn(const std::vector<std::string>& argv,
                               const SpawnOptions& options = {});
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    // A child still running is killed and reaped: nothing outlives the driver.
    ~Child();

    pid_t pid() const { return pid_; }
    bool has_exited() const;  // without reaping it
    // Waits up to timeout_ms for the child to exit and reaps it.
    Result<ExitInfo> wait(int timeout_ms);
    void kill_and_reap();
    // For a child spawned with `traced`: lets it run, calls at_exit(pid) when
    // it is about to exit (PTRACE_EVENT_EXIT: its memory is still mapped),
    // then reaps it. Stops are polled for, so this is not for timing.
    Result<ExitInfo> wait_traced(int timeout_ms, const std::function<void(pid_t)>& at_exit);

  private:
    Child(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
    void release();

    pid_t pid_ = -1;
    int pidfd_ = -1;
};

}  // namespace bench
