#include "supervisor/spawn.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "base/error_text.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "base/signal_disposition.h"
#include "supervisor/signal_channel.h"

namespace vigil {
namespace {

// Drops any pending SIGHUP and SIGCONT without waiting.
void discard_hangup_and_continue() {
    sigset_t set;
    sigemptyset(&set);
    add_to_kernel_mask(set, SIGHUP);
    add_to_kernel_mask(set, SIGCONT);
    timespec zero{};
    while (sigtimedwait(&set, nullptr, &zero) > 0) {
    }
}

// execvp(3), but a PATH directory that cannot be searched is skipped like
// one that lacks the program: EACCES (126) means a file of that name was
// found and cannot be executed, and a program found nowhere is ENOENT (127)
// whatever PATH holds, as bash and runc report it. libc's execvp reports
// EACCES for a missing program when any directory on PATH is unsearchable
// (seen: PATH with root's own directories, under su). An empty PATH element
// is the current directory (POSIX). Returns the errno value to report.
int execute(char* const argv[]) {
    const char* file = argv[0];
    if (std::strchr(file, '/') != nullptr || *file == '\0') {
        execve(file, argv, environ);
        return errno;
    }
    const char* path = std::getenv("PATH");
    if (path == nullptr)
        path = "/usr/local/bin:/bin:/usr/bin";
    size_t file_length = std::strlen(file);
    char candidate[PATH_MAX];
    int error = ENOENT;
    for (const char* directory = path;; ++directory) {
        const char* end = directory;
        while (*end != '\0' && *end != ':') ++end;
        auto directory_length = static_cast<size_t>(end - directory);
        if (directory_length + 1 + file_length < sizeof candidate) {
            char* at = candidate;
            if (directory_length != 0) {
                std::memcpy(at, directory, directory_length);
                at += directory_length;
                *at++ = '/';
            }
            std::memcpy(at, file, file_length + 1);
            execve(candidate, argv, environ);
            if (errno == EACCES) {
                // The file itself, or a directory on the way to it?
                // faccessat(2) itself: musl's wrapper is 480 bytes.
                if (syscall(SYS_faccessat, long{AT_FDCWD}, candidate, long{F_OK}) == 0)
                    error = EACCES;
            } else if (errno != ENOENT && errno != ENOTDIR) {
                return errno;
            }
        }  // else too long for any path: skipped, as libc does
        directory = end;
        if (*directory == '\0')
            return error;
    }
}

// Runs in the child between fork and exec.
[[noreturn]] void become_program(const SpawnRequest& request) {
    switch (request.terminal) {
        case TerminalRole::new_session_owns_terminal:
            setsid();  // EPERM only for a group leader; a fresh fork is none
            // The terminal has no session now (vigil released it), so a new
            // session leader may take it without privileges. ENOTTY, EPERM:
            // the terminal went away or was taken; run without it.
            if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
                log_message(LogLevel::warn, "cannot make stdin the controlling terminal",
                            {{"error", error_text(errno)}});
            break;
        case TerminalRole::job:
            // EPERM only if the group exists already (it cannot: our PID).
            setpgid(0, 0);
            // SIGTTOU is still blocked here, so a background group may take
            // the foreground without being stopped.
            if (request.take_foreground && tcsetpgrp(STDIN_FILENO, getpid()) < 0)
                log_message(LogLevel::warn, "cannot give the terminal to the child",
                            {{"error", error_text(errno)}});
            break;
        case TerminalRole::none:
            if (!request.single_child)
                setsid();  // EPERM only for a group leader; a fresh fork is none
            break;
    }

    // Neither can fail: the signals are valid and catchable (vigil caught
    // them), and the mask is the one the kernel gave vigil.
    for (int signal = 1; signal < NSIG; ++signal)
        if (sigismember(request.child_ignored, signal) == 1)
            set_signal_disposition(signal, SIG_IGN);
    set_kernel_signal_mask(SIG_SETMASK, request.child_mask, nullptr);
    int error = execute(request.argv);
    log_message(LogLevel::error, "cannot run program",
                {{"program", request.argv[0]}, {"error", error_text(error)}});
    _exit(exit_code_for_exec_error(error));
}

}  // namespace

int exit_code_for_exec_error(int error) {
    return error == ENOENT || error == ENOTDIR ? exit_not_found : exit_cannot_execute;
}

TerminalRole prepare_terminal(bool single_child) {
    if (single_child)
        return TerminalRole::none;
    // No terminal on stdin fails too (ENOTTY), as does a terminal that is
    // not vigil's controlling one: no isatty() needed.
    pid_t terminal_session = tcgetsid(STDIN_FILENO);
    if (terminal_session < 0 || terminal_session != getsid(0))
        return TerminalRole::none;  // no terminal, or not ours to hand over
    if (getsid(0) != getpid())
        return TerminalRole::job;

    // Give the terminal up so that the child's new session can own it. The
    // kernel sends SIGHUP and SIGCONT to our (foreground) group as it does;
    // they are blocked, and are not the application's business.
    if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0) {
        log_message(LogLevel::warn, "cannot release the terminal for the child",
                    {{"error", error_text(errno)}});
        return TerminalRole::none;
    }
    discard_hangup_and_continue();
    return TerminalRole::new_session_owns_terminal;
}

bool holds_foreground() {
    return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

pid_t spawn_child(const SpawnRequest& request) {
    // The child is made by clone(2) itself, as fork(2) makes one (no flags
    // but SIGCHLD at its exit). libc's fork() runs atfork handlers and takes
    // libc's locks (musl: 1.1 KB), and even musl's _Fork() blocks signals,
    // takes a lock and resets its thread list in the child (700 bytes): all
    // for threads that vigil does not have. Every signal is blocked already,
    // and the child calls only system-call wrappers, getenv() and the
    // logger, none of which reads libc's thread state.
    // The flags are the first argument on every architecture vigil builds
    // for; s390 and CRIS put the stack pointer first.
#if defined(__s390__) || defined(__CRIS__)
#error "clone(2) takes the stack first here: swap the first two arguments"
#endif
    pid_t pid = static_cast<pid_t>(syscall(SYS_clone, long{SIGCHLD}, 0L, 0L, 0L, 0L));
    if (pid == 0)
        become_program(request);
    // Also here, so the group exists before vigil signals it. EACCES: the
    // child has exec'd already, and made its group itself.
    if (pid > 0 && request.terminal == TerminalRole::job)
        setpgid(pid, pid);
    return pid;
}

}  // namespace vigil
