#include "spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "clock.h"

namespace bench {
namespace {

int dev_null() {
    static int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    return fd;
}

}  // namespace

std::string errno_message(const std::string& operation) {
    return operation + ": " + std::strerror(errno);
}

bool ExitInfo::succeeded() const {
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string ExitInfo::describe() const {
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return std::string("killed by ") + sigabbrev_np(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

Result<Child> Child::spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
    if (dev_null() < 0)
        return fail(errno_message("open /dev/null"));
    // Everything the child needs is prepared before clone: between clone and
    // exec it may only make system calls.
    std::vector<char*> arguments;
    for (const std::string& argument : argv)
        arguments.push_back(const_cast<char*>(argument.c_str()));
    arguments.push_back(nullptr);
    int output = options.output_fd >= 0 ? options.output_fd : dev_null();

    // The child reports a failed exec through this pipe; a successful exec
    // closes it (O_CLOEXEC), so the parent reads end-of-file.
    int exec_error[2];
    if (pipe2(exec_error, O_CLOEXEC) < 0)
        return fail(errno_message("pipe2"));

    int pidfd = -1;
    unsigned long flags = CLONE_PIDFD | SIGCHLD | (options.pid_namespace ? CLONE_NEWPID : 0);
    // The raw system call, not glibc's clone(): with no new stack it behaves
    // like fork, and glibc has no fork that takes CLONE_NEWPID or CLONE_PIDFD.
    long pid = syscall(SYS_clone, flags, nullptr, &pidfd, nullptr, nullptr);
    if (pid < 0) {
        std::string message =
            errno_message(options.pid_namespace ? "clone(CLONE_NEWPID)" : "clone");
        close(exec_error[0]);
        close(exec_error[1]);
        return fail(message);
    }
    if (pid == 0) {
        dup2(dev_null(), STDIN_FILENO);
        dup2(output, STDOUT_FILENO);
        dup2(output, STDERR_FILENO);
        if (options.traced && ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) < 0)
            _exit(126);
        execv(arguments[0], arguments.data());
        int error = errno;
        ssize_t ignored = write(exec_error[1], &error, sizeof error);
        (void)ignored;
        _exit(127);
    }
    close(exec_error[1]);
    Child child(static_cast<pid_t>(pid), pidfd);
    int error = 0;
    ssize_t length;
    do {
        length = read(exec_error[0], &error, sizeof error);
    } while (length < 0 && errno == EINTR);
    close(exec_error[0]);
    if (length == sizeof error) {
        child.kill_and_reap();
        return fail("cannot execute " + argv[0] + ": " + std::strerror(error));
    }
    return child;
}

Child::Child(Child&& other) noexcept : pid_(other.pid_), pidfd_(other.pidfd_) {
    other.pid_ = -1;
    other.pidfd_ = -1;
}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        kill_and_reap();
        pid_ = other.pid_;
        pidfd_ = other.pidfd_;
        other.pid_ = -1;
        other.pidfd_ = -1;
    }
    return *this;
}

Child::~Child() {
    kill_and_reap();
}

void Child::release() {
    if (pidfd_ >= 0)
        close(pidfd_);
    pid_ = -1;
    pidfd_ = -1;
}

bool Child::has_exited() const {
    pollfd exited{pidfd_, POLLIN, 0};
    return poll(&exited, 1, 0) > 0;
}

Result<ExitInfo> Child::wait(int timeout_ms) {
    if (pid_ < 0)
        return fail("wait: no child");
    // The pidfd becomes readable when the child exits; wait4 then reaps it
    // at once. The extra poll costs every subject the same.
    pollfd exited{pidfd_, POLLIN, 0};
    int ready;
    do {
        ready = poll(&exited, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    if (ready < 0)
        return fail(errno_message("poll pidfd"));
    if (ready == 0)
        return fail("did not exit within " + std::to_string(timeout_ms) + " ms");
    ExitInfo info;
    pid_t reaped;
    do {
        reaped = wait4(pid_, &info.status, 0, &info.usage);
    } while (reaped < 0 && errno == EINTR);
    info.exited_ns = monotonic_ns();
    if (reaped < 0)
        return fail(errno_message("wait4"));
    release();
    return info;
}

Result<ExitInfo> Child::wait_traced(int timeout_ms, const std::function<void(pid_t)>& at_exit) {
    if (pid_ < 0)
        return fail("wait: no child");
    int64_t deadline = monotonic_ns() + int64_t{timeout_ms} * 1'000'000;
    for (;;) {
        ExitInfo info;
        pid_t changed = wait4(pid_, &info.status, WNOHANG | __WALL, &info.usage);
        if (changed < 0 && errno == EINTR)
            continue;
        if (changed < 0)
            return fail(errno_message("wait4"));
        if (changed == 0) {
            if (monotonic_ns() > deadline)
                return fail("did not exit within " + std::to_string(timeout_ms) + " ms");
            sleep_ns(200'000);
            continue;
        }
        if (WIFEXITED(info.status) || WIFSIGNALED(info.status)) {
            info.exited_ns = monotonic_ns();
            release();
            return info;
        }
        // A stop. The first is the SIGTRAP after exec: ask for the exit
        // event from now on. Any other signal is passed on untouched.
        int resume_with = 0;
        int stop = info.status >> 8;
        if (stop == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
            at_exit(pid_);
        } else if (stop == SIGTRAP) {
            if (ptrace(PTRACE_SETOPTIONS, pid_, nullptr, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL) <
                0)
                return fail(errno_message("ptrace PTRACE_SETOPTIONS"));
        } else {
            resume_with = WSTOPSIG(info.status);
        }
        if (ptrace(PTRACE_CONT, pid_, nullptr, resume_with) < 0)
            return fail(errno_message("ptrace PTRACE_CONT"));
    }
}

void Child::kill_and_reap() {
    if (pid_ < 0)
        return;
    // SIGKILL to PID 1 of a namespace ends every process in it.
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    release();
}

}  // namespace bench
