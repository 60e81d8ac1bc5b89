// Tells the driver when processes that are not its children get reaped by
// someone else (the init under test). A pidfd reports EPOLLHUP only once its
// process is gone for good, reaped, not merely exited; and the kernel wakes
// the pidfd's waiters at that moment, so an epoll set of pidfds delivers
// each reap as it happens, without polling /proc.
#pragma once

#include <sys/types.h>

#include <vector>

#include "result.h"

namespace bench {

class ReapWatch {
  public:
    static Result<ReapWatch> watch(const std::vector<pid_t>& pids);
    ReapWatch(ReapWatch&& other) noexcept;
    ReapWatch(const ReapWatch&) = delete;
    ~ReapWatch();

    // Waits until at least one more watched process is reaped, or until
    // timeout_ms passes (0: just looks); returns how many were reaped.
    Result<int> wait_for_reaps(int timeout_ms);
    // How many watched processes have exited, reaped or not (zombies).
    Result<size_t> count_exited();
    size_t watching() const { return open_; }

  private:
    explicit ReapWatch(int epoll_fd) : epoll_fd_(epoll_fd) {}

    int epoll_fd_ = -1;
    std::vector<int> pidfds_;  // -1 once reported reaped
    size_t open_ = 0;
};

}  // namespace bench
