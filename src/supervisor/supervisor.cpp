#include "supervisor/supervisor.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "base/clock.h"
#include "base/duration.h"
#include "base/error_text.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "supervisor/descendants.h"
#include "supervisor/processes.h"
#include "supervisor/shutdown.h"
#include "supervisor/signal_channel.h"
#include "supervisor/spawn.h"
#include "supervisor/watchdog.h"

namespace vigil {
namespace {

ShutdownTimes shutdown_times(const SupervisorConfig& config) {
    ShutdownTimes times;
    times.stop_delay_ms = config.stop_delay_ms;
    times.grace_ms = config.grace_ms;
    times.drain_ms = config.drain_ms;
    return times;
}

class Supervisor {
  public:
    explicit Supervisor(const SupervisorConfig& config)
        : config_(config), shutdown_(shutdown_times(config)) {}

    // Sets up signals and the terminal, starts the main child and runs the
    // loop until the shutdown has finished; returns vigil's exit status.
    int run();

  private:
    int start();
    bool wait_for_events();
    void read_signals();
    bool reached_main_child(const signalfd_siginfo& info) const;
    void handle_signal(int signal, bool reached_main_child);
    bool is_termination_request(int signal) const {
        return signal == config_.stop_signal || signal == SIGINT;
    }
    void perform(const Shutdown::Actions& actions);
    void forward(int received);
    void kill_main_child() const;
    void reap_children();
    void on_main_child_stopped();
    void on_main_child_exited(int wait_status);
    void on_watchdog_fired();
    bool drain_complete() const;
    int wait_timeout_ms(int64_t now) const;

    const SupervisorConfig& config_;
    pid_t own_pid_ = 0;
    bool is_pid1_ = false;
    SignalChannel signals_;
    bool signals_pending_ = false;  // the last read filled its buffer
    TerminalRole terminal_ = TerminalRole::none;
    bool job_control_above_ = false;  // a shell will resume vigil after it stops

    pid_t main_child_ = -1;
    pid_t main_group_ = 0;  // 0 with -c: the main child shares vigil's group
    std::optional<int> main_wait_status_;
    bool have_children_ = true;  // false once waitpid says ECHILD

    Shutdown shutdown_;
    Descendants descendants_;
    std::optional<Watchdog> watchdog_;  // engaged only with --watchdog
};

int Supervisor::run() {
    if (int status = start())
        return status;
    while (!shutdown_.finished()) {
        perform(shutdown_.on_time(monotonic_ms()));
        if (shutdown_.finished())
            break;
        if (!wait_for_events())
            return exit_internal;
        if (shutdown_.main_child_exited() && drain_complete())
            shutdown_.on_leftovers_gone();
    }

    int code = exit_code_from_wait_status(*main_wait_status_);
    int reported = shutdown_.stopped_by_watchdog() ? exit_watchdog : config_.remap.apply(code);
    log_message(LogLevel::info, "exiting", {{"status", reported}});
    return reported;
}

// Everything before the loop; returns 0, or the exit status when vigil
// cannot start.
int Supervisor::start() {
    own_pid_ = getpid();
    is_pid1_ = own_pid_ == 1;
    if (!open_signal_channel(signals_)) {
        log_message(LogLevel::error, "cannot set up signal handling",
                    {{"error", error_text(errno)}});
        return exit_internal;
    }

    if (config_.parent_death_signal) {
        if (int error = set_parent_death_signal(config_.parent_death_signal))
            log_message(LogLevel::warn, "cannot set the parent-death signal",
                        {{"error", error_text(error)}});
    }
    // Not PID 1 (a Kubernetes pod sharing its PID namespace, or run by hand):
    // be the subreaper anyway, so orphans come to vigil and are reaped.
    bool subreaper = is_pid1_;
    if (!is_pid1_ || config_.subreaper) {
        if (int error = become_subreaper())
            log_message(LogLevel::warn,
                        "cannot register as child subreaper; orphans will not be reaped",
                        {{"error", error_text(error)}});
        else
            subreaper = true;
    }
    descendants_.prepare(own_pid_, is_pid1_, subreaper);
    int proc_error = 0;
    if (const char* limitation = descendants_.limitation(proc_error)) {
        if (proc_error)
            log_message(LogLevel::warn, limitation, {{"error", error_text(proc_error)}});
        else
            log_message(LogLevel::warn, limitation);
    }

    if (config_.watchdog_enabled) {
        const char* error = nullptr;
        if (!watchdog_.emplace().prepare(config_.watchdog, error)) {
            log_message(LogLevel::error, "invalid --watchdog", {{"error", error}});
            return exit_usage;
        }
    }

    terminal_ = prepare_terminal(config_.single_child);
    // Who will resume vigil after it stops for a job-control stop of its
    // child: an interactive shell made vigil a job (a group of its own) and
    // waits for it; an init as its parent (PID 1, or 0: a parent outside the
    // namespace) never does. A shell running as PID 1 is the rule's limit.
    job_control_above_ = getpgrp() == own_pid_ && getppid() > 1;
    SpawnRequest request{config_.program,
                         config_.single_child,
                         terminal_,
                         terminal_ == TerminalRole::job && holds_foreground(),
                         &signals_.original_mask,
                         &signals_.ignored_at_start};
    main_child_ = spawn_child(request);
    if (main_child_ < 0) {
        log_message(LogLevel::error, "cannot start the child",
                    {{"program", config_.program[0]}, {"error", error_text(errno)}});
        return exit_internal;
    }
    main_group_ = config_.single_child ? 0 : main_child_;
    descendants_.set_main_group(main_group_);
    log_message(LogLevel::info, "started child",
                {{"pid", main_child_}, {"program", config_.program[0]}});
    // PID 1 must not keep a volume busy with its working directory; the
    // child has its own. "/" always exists: nothing to report.
    if (chdir("/") < 0)
        log_message(LogLevel::debug, "cannot change to /", {{"error", error_text(errno)}});
    if (watchdog_)
        watchdog_->start(monotonic_us());
    return 0;
}

// Waits for a signal, a deadline or the watchdog's socket, and handles what
// came. poll(2) skips a negative fd: the probe's slot is empty between
// probes. With no deadline, no probe in flight and no signal left over, vigil
// waits in read(2) on the signalfd itself instead: one system call per signal
// rather than two. False when waiting failed for good.
bool Supervisor::wait_for_events() {
    pollfd ready[2] = {{signals_.fd, POLLIN, 0},
                       watchdog_ ? watchdog_->poll_request() : pollfd{-1, 0, 0}};
    int timeout = signals_pending_ ? 0 : wait_timeout_ms(monotonic_ms());
    bool signals_ready = true;
    if (timeout >= 0 || ready[1].fd >= 0) {
        int count = poll(ready, 2, timeout);
        if (count < 0 && errno != EINTR) {
            log_message(LogLevel::error, "poll failed", {{"error", error_text(errno)}});
            return false;
        }
        signals_ready = count > 0 && (ready[0].revents & POLLIN);
    }
    if (signals_ready)
        read_signals();
    if (watchdog_ && watchdog_->advance(ready[1].revents, monotonic_us()))
        on_watchdog_fired();
    return true;
}

// Handles the pending signals, up to a buffer full (the signalfd blocks, so
// a full buffer leaves signals_pending_ for the loop to look again without
// waiting). Children are reaped first: forwarding to a process group walks
// every member, zombies included, and after a burst of orphans (or a
// SIGSTOP that let them pile up) there may be thousands.
void Supervisor::read_signals() {
    signalfd_siginfo infos[16];
    ssize_t length = read(signals_.fd, infos, sizeof infos);
    signals_pending_ = length == static_cast<ssize_t>(sizeof infos);
    size_t count = length > 0 ? static_cast<size_t>(length) / sizeof infos[0] : 0;
    for (size_t i = 0; i < count; ++i) {
        if (infos[i].ssi_signo == SIGCHLD) {
            reap_children();
            break;
        }
    }
    for (size_t i = 0; i < count; ++i) {
        const signalfd_siginfo& info = infos[i];
        int signal = static_cast<int>(info.ssi_signo);
        if (signal == SIGCHLD)
            continue;
        if (info.ssi_code == SI_USER && static_cast<pid_t>(info.ssi_pid) == own_pid_)
            continue;  // raised by vigil's own I/O (SIGPIPE, SIGXFSZ): not the child's
        handle_signal(signal, reached_main_child(info));
    }
}

// With -c the main child shares vigil's process group. A signal the terminal
// sent to the foreground group (Ctrl-C, Ctrl-\, Ctrl-Z, a resize, a hangup:
// the kernel's own, si_code SI_KERNEL) has reached the child already;
// forwarding it again would be a second Ctrl-C, which many applications
// read as "quit now, skip the graceful shutdown".
bool Supervisor::reached_main_child(const signalfd_siginfo& info) const {
    if (main_group_ != 0 || info.ssi_code != SI_KERNEL)
        return false;
    switch (info.ssi_signo) {
        case SIGINT:
        case SIGQUIT:
        case SIGTSTP:
        case SIGWINCH:
        case SIGHUP:
        case SIGCONT: {
            // Unless the child has left vigil's group since (ESRCH: it is
            // gone, and nothing needs forwarding).
            pid_t group = getpgid(main_child_);
            return group == getpgrp() || (group < 0 && errno == ESRCH);
        }
        default:
            return false;
    }
}

void Supervisor::handle_signal(int signal, bool reached_main_child) {
    // The shell resumed vigil after a job-control stop, or brought it to the
    // foreground (fg; bg resumes it in the background): when vigil's group
    // holds the terminal, hand it to the main child's before resuming it.
    if (signal == SIGCONT && terminal_ == TerminalRole::job && !shutdown_.main_child_exited() &&
        holds_foreground())
        tcsetpgrp(STDIN_FILENO, main_group_);  // ENOTTY, EIO: the terminal is gone

    if (is_termination_request(signal)) {
        Shutdown::Actions actions =
            shutdown_.on_termination_request(signal, config_.stop_signal, monotonic_ms());
        if (reached_main_child && actions.forward == signal)
            actions.forward = 0;
        perform(actions);
    } else if (!reached_main_child) {
        forward(signal);
    }
}

// The watchdog gave up on the application: stop it as the orchestrator
// would, and exit with the watchdog's own status so that a restart policy
// replaces the container.
void Supervisor::on_watchdog_fired() {
    char reasons[max_summary_length * 3 + 8];
    watchdog_->describe_failures(reasons, sizeof reasons);
    log_message(LogLevel::error, "watchdog: the application failed its health check; stopping it",
                {{"failures", watchdog_->failures_to_fire()}, {"reasons", reasons}});
    perform(shutdown_.on_watchdog_fired(config_.stop_signal, monotonic_ms()));
}

// Carries out what the shutdown machine decided, in the order of its fields.
void Supervisor::perform(const Shutdown::Actions& actions) {
    char name[24];
    char duration[16];
    if (actions.stop_probing && watchdog_)
        watchdog_->stop();
    if (actions.forward_held)
        forward(actions.forward_held);
    if (actions.forward)
        forward(actions.forward);
    switch (actions.note) {
        case Shutdown::Note::none:
            break;
        case Shutdown::Note::holding:
            log_message(
                LogLevel::info, "holding the stop signal before forwarding it",
                {{"signal", signal_name(config_.stop_signal, name, sizeof name)},
                 {"delay", format_duration(config_.stop_delay_ms, duration, sizeof duration)}});
            break;
        case Shutdown::Note::grace_started:
            log_message(
                LogLevel::info, "grace period started",
                {{"grace", format_duration(*shutdown_.grace_ms(), duration, sizeof duration)}});
            break;
        case Shutdown::Note::grace_expired:
            log_message(LogLevel::warn, "grace period expired; killing the child with SIGKILL",
                        {{"pid", main_child_}});
            break;
        case Shutdown::Note::drain_expired:
            log_message(LogLevel::warn,
                        "drain period expired; killing the remaining processes with SIGKILL");
            break;
        case Shutdown::Note::gave_up:
            log_message(LogLevel::warn,
                        "processes that vigil cannot reap remain after SIGKILL; exiting");
            break;
    }
    if (actions.kill_main_child)
        kill_main_child();
    if (actions.signal_leftovers)
        descendants_.drain(actions.signal_leftovers);
}

// Rewrites a received signal and sends it where --forward-to says: the main
// child's process group (or its PID, when it left the group for a session of
// its own), the main child's PID alone (-c, --forward-to child), or every
// descendant. Once the main child has exited, it goes to what remains of its
// group (or every descendant). The signal goes out first; naming it for the
// log comes after, and only when something will be logged: forwarding
// latency is what users measure.
void Supervisor::forward(int received) {
    char name[24];
    int signal = config_.rewrites.apply(received);
    if (signal == 0) {
        if (log_enabled(LogLevel::debug))
            log_message(LogLevel::debug, "dropped signal",
                        {{"signal", signal_name(received, name, sizeof name)}});
        return;
    }
    // ESRCH from any kill below: nothing there any more, no one to tell.
    bool exited = shutdown_.main_child_exited();
    switch (config_.forward_to) {
        case ForwardScope::all:
            descendants_.forward(signal);
            break;
        case ForwardScope::child:
            if (!exited)
                kill(main_child_, signal);
            else if (main_group_)
                kill(-main_group_, signal);
            break;
        case ForwardScope::group:
            if (main_group_ && kill(-main_group_, signal) < 0 && errno == ESRCH && !exited)
                kill(main_child_, signal);
            break;
    }
    if (log_enabled(LogLevel::debug))
        log_message(LogLevel::debug,
                    exited ? "forwarded signal to what remains" : "forwarded signal",
                    {{"signal", signal_name(signal, name, sizeof name)}, {"pid", main_child_}});
}

// The grace period is over: SIGKILL for the main child's group, the main
// child itself (it may have left the group), and as PID 1 every process,
// since the container ends with vigil anyway. ESRCH on any of them only
// means that one is gone already.
void Supervisor::kill_main_child() const {
    if (main_group_)
        kill(-main_group_, SIGKILL);
    kill(main_child_, SIGKILL);
    if (is_pid1_)
        kill(-1, SIGKILL);
}

void Supervisor::reap_children() {
    int options = WNOHANG;
    if (terminal_ == TerminalRole::job)
        options |= WUNTRACED;
    have_children_ = true;
    bool reaped = false;
    bool main_child_exited = false;
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, options);
        if (pid == 0)
            break;
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            have_children_ = false;  // ECHILD
            break;
        }
        if (WIFSTOPPED(status)) {
            if (pid == main_child_)
                on_main_child_stopped();
            continue;
        }
        reaped = true;
        LogLevel orphan_level = config_.warn_reap ? LogLevel::warn : LogLevel::debug;
        if (pid == main_child_ && !main_wait_status_) {
            on_main_child_exited(status);
            main_child_exited = true;
        } else if (log_enabled(orphan_level)) {  // a burst reaps thousands: skip the work
            log_message(orphan_level, "reaped orphan",
                        {{"pid", pid}, {"status", exit_code_from_wait_status(status)}});
        }
    }
    // The drain starts only once every child that had exited is reaped, so
    // that have_children_ tells whether anything can be left.
    int64_t now = monotonic_ms();
    if (main_child_exited)
        perform(shutdown_.on_main_child_exited(is_pid1_ && !have_children_, now));
    else if (reaped)
        perform(shutdown_.on_reaped(now));
}

// A job-control stop of the main child (Ctrl-Z, or a read from the terminal
// in the background) while vigil is a job in someone else's session.
//   - Under an interactive job-control shell, vigil stops too, with the
//     terminal taken back, so the shell sees its job stopped; its SIGCONT
//     (fg, bg) later resumes vigil, which resumes the main child.
//   - Under an init (Docker's --init, Compose's init: true: tini as PID 1,
//     which put vigil in a group of its own and gave it the terminal), nothing
//     would ever resume vigil: it gives the terminal back to the main child
//     and resumes it at once, so that Ctrl-C still ends it.
void Supervisor::on_main_child_stopped() {
    if (terminal_ != TerminalRole::job)
        return;
    pid_t foreground = tcgetpgrp(STDIN_FILENO);
    if (job_control_above_) {
        if (foreground == main_group_)
            tcsetpgrp(STDIN_FILENO, getpgrp());  // ENOTTY, EIO: the terminal is gone
        kill(own_pid_, SIGSTOP);                 // to itself: cannot fail
        return;
    }
    // Resumed only when it holds the terminal: a background read would stop
    // it again at once, and over again.
    if (foreground == main_group_ ||
        (foreground == getpgrp() && tcsetpgrp(STDIN_FILENO, main_group_) == 0)) {
        kill(-main_group_, SIGCONT);  // ESRCH: it exited meanwhile, and is reaped next
        log_message(LogLevel::info,
                    "the child was stopped and nothing above vigil resumes a stopped job; "
                    "resuming it",
                    {{"pid", main_child_}});
    }
}

void Supervisor::on_main_child_exited(int wait_status) {
    main_wait_status_ = wait_status;
    if (WIFSIGNALED(wait_status)) {
        char name[24];
        log_message(LogLevel::info, "child killed by signal",
                    {{"pid", main_child_},
                     {"signal", signal_name(WTERMSIG(wait_status), name, sizeof name)}});
    } else {
        log_message(LogLevel::info, "child exited",
                    {{"pid", main_child_}, {"status", WEXITSTATUS(wait_status)}});
    }
    // The terminal back to vigil's group, if the child's held it (ENOTTY,
    // EIO: the terminal is gone; EPERM cannot happen in our own session).
    if (terminal_ == TerminalRole::job && tcgetpgrp(STDIN_FILENO) == main_group_)
        tcsetpgrp(STDIN_FILENO, getpgrp());
}

// True when nothing is left to drain: no children (as PID 1 or a subreaper,
// every leftover would be one), and nothing left in the main child's group,
// whose members vigil can only poll for when it is not their subreaper.
bool Supervisor::drain_complete() const {
    if (have_children_)
        return false;
    return is_pid1_ || !main_group_ || kill(-main_group_, 0) < 0;
}

int Supervisor::wait_timeout_ms(int64_t now) const {
    std::optional<int64_t> nearest = shutdown_.next_deadline();
    int64_t watchdog_us = watchdog_ ? watchdog_->wake_at_us() : INT64_MAX;
    if (watchdog_us != INT64_MAX) {
        int64_t watchdog_ms = (watchdog_us + 999) / 1000;  // not before it is due
        if (!nearest || watchdog_ms < *nearest)
            nearest = watchdog_ms;
    }
    if (!nearest)
        return -1;  // nothing pending: sleep until a signal arrives
    return poll_timeout_ms(*nearest - now);
}

}  // namespace

int run_supervisor(const SupervisorConfig& config) {
    // Static storage, zeroed by the loader: the watchdog's buffers (some
    // 13 KB) and the drain's process lists are touched only when used, where
    // on the stack they would add to every vigil's resident memory.
    static Supervisor supervisor(config);
    return supervisor.run();
}

}  // namespace vigil
