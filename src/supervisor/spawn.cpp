#include "supervisor/spawn.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "base/error_text.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "supervisor/signal_channel.h"

namespace vigil {
namespace {

// Drops any pending instance of the given signals without waiting.
void discard_pending(int signal) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    timespec zero{};
    while (sigtimedwait(&set, nullptr, &zero) > 0) {
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
            ::signal(signal, SIG_IGN);
    set_kernel_signal_mask(SIG_SETMASK, request.child_mask, nullptr);
    execvp(request.argv[0], request.argv);

    int error = errno;
    log_message(LogLevel::error, "cannot run program",
                {{"program", request.argv[0]}, {"error", error_text(error)}});
    _exit(exit_code_for_exec_error(error));
}

}  // namespace

int exit_code_for_exec_error(int error) {
    return error == ENOENT || error == ENOTDIR ? exit_not_found : exit_cannot_execute;
}

TerminalRole prepare_terminal(bool single_child) {
    if (single_child || !isatty(STDIN_FILENO))
        return TerminalRole::none;
    pid_t terminal_session = tcgetsid(STDIN_FILENO);
    if (terminal_session < 0 || terminal_session != getsid(0))
        return TerminalRole::none;  // a terminal, but not ours to hand over
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
    discard_pending(SIGHUP);
    discard_pending(SIGCONT);
    return TerminalRole::new_session_owns_terminal;
}

bool holds_foreground() {
    return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

pid_t spawn_child(const SpawnRequest& request) {
    // _Fork: fork without atfork handlers and libc's locks, which a process
    // with one thread does not need; musl's fork brings 1.1 KB of them.
    pid_t pid = _Fork();
    if (pid == 0)
        become_program(request);
    // Also here, so the group exists before vigil signals it. EACCES: the
    // child has exec'd already, and made its group itself.
    if (pid > 0 && request.terminal == TerminalRole::job)
        setpgid(pid, pid);
    return pid;
}

}  // namespace vigil
