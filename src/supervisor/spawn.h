// Starting the application: session, process group and terminal set-up, then
// exec with the signal mask vigil inherited.
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace vigil {

// How the main child relates to the terminal on stdin.
enum class TerminalRole {
    // No terminal of vigil's on stdin (the usual case in a container), or -c:
    // nothing to hand over.
    none,
    // vigil led the session that owned the terminal and gave it up
    // (TIOCNOTTY): the child starts a new session and takes the terminal as
    // its controlling terminal, which also makes its group the foreground one.
    // This is `docker run -it`, where the runtime made vigil a session leader.
    new_session_owns_terminal,
    // vigil runs in someone else's session, as a job of an interactive shell
    // or as the child of an init that gave it the terminal (Docker's --init):
    // the child gets its own process group in that session, and that group
    // holds the terminal's foreground whenever vigil's would, never otherwise
    // (a job started with & must not take the terminal from its shell).
    job,
};

// Decides the terminal role and, for new_session_owns_terminal, detaches vigil
// from the terminal. Must run with all signals blocked: detaching sends SIGHUP
// and SIGCONT to vigil's own group, and those are discarded here.
TerminalRole prepare_terminal(bool single_child);

// True when the terminal's foreground process group is vigil's own.
bool holds_foreground();

struct SpawnRequest {
    char** argv;
    bool single_child;  // -c: stay in vigil's session and group
    TerminalRole terminal;
    bool take_foreground;           // job: the child's group takes the terminal's foreground
    const sigset_t* child_mask;     // the mask vigil inherited, restored in the child
    const sigset_t* child_ignored;  // signals vigil inherited as SIG_IGN, ignored again
};

// Forks and execs the program. Returns the child's PID, or -1 with errno set
// when fork fails. When exec fails the child reports the program and reason on
// stderr and exits 127 (not found) or 126 (not executable), as shells do.
pid_t spawn_child(const SpawnRequest& request);

// Exit status for a failed exec: 127 when the program does not exist, 126 when
// it exists but cannot be executed.
int exit_code_for_exec_error(int error);

}  // namespace vigil
