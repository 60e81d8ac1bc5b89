#include "reap_watch.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace bench {

Result<ReapWatch> ReapWatch::watch(const std::vector<pid_t>& pids) {
    int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0)
        return fail(errno_message("epoll_create1"));
    ReapWatch watch(epoll_fd);
    for (pid_t pid : pids) {
        int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        if (pidfd < 0)
            return fail(errno_message("pidfd_open " + std::to_string(pid)));
        watch.pidfds_.push_back(pidfd);
        ++watch.open_;
        // No events asked for: epoll always reports EPOLLHUP, and only that
        // (not the EPOLLIN of an exit) is wanted.
        epoll_event interest{};
        interest.data.u64 = watch.pidfds_.size() - 1;
        if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, pidfd, &interest) < 0)
            return fail(errno_message("epoll_ctl add pidfd"));
    }
    return watch;
}

ReapWatch::ReapWatch(ReapWatch&& other) noexcept
    : epoll_fd_(other.epoll_fd_), pidfds_(std::move(other.pidfds_)), open_(other.open_) {
    other.epoll_fd_ = -1;
    other.pidfds_.clear();
    other.open_ = 0;
}

ReapWatch::~ReapWatch() {
    for (int pidfd : pidfds_) {
        if (pidfd >= 0)
            close(pidfd);
    }
    if (epoll_fd_ >= 0)
        close(epoll_fd_);
}

Result<int> ReapWatch::wait_for_reaps(int timeout_ms) {
    int reaped = 0;
    epoll_event events[256];
    for (;;) {
        int ready = epoll_wait(epoll_fd_, events, 256, reaped ? 0 : timeout_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return fail(errno_message("epoll_wait"));
        // Closing a reaped process's pidfd also takes it out of the epoll
        // set, which would otherwise report it again and again.
        for (int i = 0; i < ready; ++i) {
            int& pidfd = pidfds_[events[i].data.u64];
            close(pidfd);
            pidfd = -1;
            --open_;
        }
        reaped += ready;
        // A full buffer may have left reports behind: collect them too.
        if (ready < 256)
            return reaped;
    }
}

Result<size_t> ReapWatch::count_exited() {
    // A pidfd is readable once its process has exited; a closed one was reaped.
    std::vector<pollfd> exits;
    for (int pidfd : pidfds_) exits.push_back({pidfd, POLLIN, 0});
    if (poll(exits.data(), exits.size(), 0) < 0)
        return fail(errno_message("poll pidfds"));
    size_t exited = 0;
    for (const pollfd& exit : exits) exited += exit.fd < 0 || (exit.revents & POLLIN);
    return exited;
}

}  // namespace bench
