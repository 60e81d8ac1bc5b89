#include "supervisor/supervisor.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/clock.h"
#include "base/duration.h"
#include "base/exit_status.h"
#include "base/log.h"
#include "supervisor/processes.h"
#include "supervisor/signal_channel.h"

namespace vigil {
namespace {

// How long to keep checking for leftover processes that vigil cannot wait
// for (not its children) once they have been sent SIGKILL.
constexpr int64_t give_up_after_kill_ms = 1000;
// How often to look for such processes while the drain runs.
constexpr int64_t group_poll_interval_ms = 50;

// Signals what the drain targets (a PID, a group, or -1 for all); SIGTERM
// comes with SIGCONT, since a stopped process must run to see it.
void signal_leftover(pid_t target, int signal) {
    if (kill(target, signal) == 0 && signal == SIGTERM)
        kill(target, SIGCONT);
}

void send_signal_to(pid_t pid, void* signal) {
    signal_leftover(pid, *static_cast<int*>(signal));
}

}  // namespace

int run_supervisor(const Config& config) {
    // The watchdog's buffers (some 13 KB) live in static storage, zeroed by
    // the loader: a vigil without --watchdog never touches their pages, where
    // on the stack they would add to every vigil's resident memory.
    static std::optional<Watchdog> watchdog;
    Supervisor supervisor(config, watchdog);
    return supervisor.run();
}

int Supervisor::run() {
    own_pid_ = getpid();
    is_pid1_ = own_pid_ == 1;
    if (!open_signal_channel(signals_)) {
        log_message(LogLevel::error, "cannot set up signal handling",
                    {{"error", std::strerror(errno)}});
        return exit_internal;
    }

    if (config_.parent_death_signal) {
        if (int error = set_parent_death_signal(config_.parent_death_signal))
            log_message(LogLevel::warn, "cannot set the parent-death signal",
                        {{"error", std::strerror(error)}});
    }
    // Not PID 1 (a Kubernetes pod sharing its PID namespace, or run by hand):
    // be the subreaper anyway, so orphans come to vigil and are reaped.
    if (!is_pid1_ || config_.subreaper) {
        if (int error = become_subreaper())
            log_message(LogLevel::warn,
                        "cannot register as child subreaper; orphans will not be reaped",
                        {{"error", std::strerror(error)}});
    }

    if (config_.watchdog_enabled) {
        const char* error = nullptr;
        if (!watchdog_.emplace().prepare(config_.watchdog, error)) {
            log_message(LogLevel::error, "invalid --watchdog", {{"error", error}});
            return exit_usage;
        }
    }

    terminal_ = prepare_terminal(config_.single_child);
    SpawnRequest request{config_.program, config_.single_child, terminal_, &signals_.original_mask,
                         &signals_.ignored_at_start};
    child_ = spawn_child(request);
    if (child_ < 0) {
        log_message(LogLevel::error, "cannot start the child",
                    {{"program", config_.program[0]}, {"error", std::strerror(errno)}});
        return exit_internal;
    }
    child_group_ = config_.single_child ? 0 : child_;
    log_message(LogLevel::info, "started child",
                {{"pid", child_}, {"program", config_.program[0]}});
    if (watchdog_)
        watchdog_->start(monotonic_us());

    while (phase_ != Phase::finished) {
        int64_t now = monotonic_ms();
        check_deadlines(now);
        if (phase_ == Phase::finished)
            break;

        // poll(2) skips a negative fd: the probe's slot is empty between
        // probes. With no deadline, no probe in flight and no signal left
        // over, vigil waits in read(2) on the signalfd itself instead: one
        // system call per signal rather than two.
        pollfd ready[2] = {{signals_.fd, POLLIN, 0},
                           watchdog_ ? watchdog_->poll_request() : pollfd{-1, 0, 0}};
        int timeout = signals_pending_ ? 0 : poll_timeout_ms(now);
        bool signals_ready = true;
        if (timeout >= 0 || ready[1].fd >= 0) {
            int count = poll(ready, 2, timeout);
            if (count < 0 && errno != EINTR) {
                log_message(LogLevel::error, "poll failed", {{"error", std::strerror(errno)}});
                return exit_internal;
            }
            signals_ready = count > 0 && (ready[0].revents & POLLIN);
        }

        if (signals_ready)
            read_signals();
        if (watchdog_ && watchdog_->advance(ready[1].revents, monotonic_us()))
            on_watchdog_fired();

        if (phase_ == Phase::draining) {
            if (drain_complete()) {
                phase_ = Phase::finished;
            } else if (!have_children_) {
                drain_poll_at_ = monotonic_ms() + group_poll_interval_ms;
            }
        }
    }

    int code = exit_code_from_wait_status(*child_wait_status_);
    int reported = watchdog_fired_ ? exit_watchdog : config_.remap.apply(code);
    log_message(LogLevel::info, "exiting", {{"status", reported}});
    return reported;
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
        handle_signal(signal);
    }
}

// The watchdog gave up on the application: stop it as the orchestrator's
// SIGTERM would (stop delay, rewrite, grace, drain), and exit with the
// watchdog's own status so that a restart policy replaces the container.
void Supervisor::on_watchdog_fired() {
    watchdog_fired_ = true;
    char reasons[max_summary_length * 3 + 8];
    watchdog_->describe_failures(reasons, sizeof reasons);
    log_message(LogLevel::error, "watchdog: the application failed its health check; stopping it",
                {{"failures", watchdog_->failures_to_fire()}, {"reasons", reasons}});
    handle_signal(SIGTERM);
}

void Supervisor::handle_signal(int signal) {
    // Probing ends with the first stop signal: the application is going away.
    if (is_stop_signal(signal) && watchdog_)
        watchdog_->stop();

    // The shell that started vigil resumed it after a job-control stop: give
    // the terminal back to the child before resuming it too.
    if (signal == SIGCONT && terminal_ == TerminalRole::foreground_group &&
        phase_ == Phase::running)
        tcsetpgrp(STDIN_FILENO, child_group_);

    // --stop-delay: the first SIGTERM waits, so that load balancers notice the
    // instance going away before the application stops serving. A second
    // SIGTERM, or a SIGINT (someone is impatient), ends the wait at once.
    if (stop_delay_deadline_ && (signal == SIGTERM || signal == SIGINT)) {
        release_held_sigterm();
        if (signal == SIGTERM)
            return;  // the held one stands for both
    } else if (signal == SIGTERM && config_.stop_delay_ms > 0 && !stop_delay_used_ &&
               phase_ == Phase::running) {
        stop_delay_used_ = true;
        stop_delay_deadline_ = monotonic_ms() + config_.stop_delay_ms;
        char delay[16];
        log_message(LogLevel::info, "holding SIGTERM before forwarding it",
                    {{"delay", format_duration(config_.stop_delay_ms, delay, sizeof delay)}});
        return;
    }
    forward_with_rewrite(signal);
}

void Supervisor::release_held_sigterm() {
    stop_delay_deadline_.reset();
    forward_with_rewrite(SIGTERM);
}

void Supervisor::forward_with_rewrite(int signal) {
    int target = config_.rewrites.apply(signal);
    if (target == 0) {
        char name[24];
        log_message(LogLevel::debug, "dropped signal",
                    {{"signal", signal_name(signal, name, sizeof name)}});
        return;
    }
    forward_signal(target);
}

// The signal goes out first; naming it for the log comes after, and only
// when something will be logged: forwarding latency is what users measure.
void Supervisor::forward_signal(int signal) {
    char name[24];
    if (phase_ != Phase::running) {
        if (child_group_)
            kill(-child_group_, signal);
        if (log_enabled(LogLevel::debug))
            log_message(LogLevel::debug, "forwarded signal to what remains",
                        {{"signal", signal_name(signal, name, sizeof name)}});
        return;
    }

    // The group first; if the child left it (setsid of its own), the child.
    int result = child_group_ ? kill(-child_group_, signal) : kill(child_, signal);
    if (result < 0 && child_group_ && errno == ESRCH)
        result = kill(child_, signal);
    if (log_enabled(LogLevel::debug))
        log_message(LogLevel::debug, "forwarded signal",
                    {{"signal", signal_name(signal, name, sizeof name)},
                     {"pid", child_group_ ? -child_group_ : child_}});

    if (is_stop_signal(signal) && config_.grace_ms && !grace_deadline_) {
        grace_deadline_ = monotonic_ms() + *config_.grace_ms;
        char grace[16];
        log_message(LogLevel::info, "grace period started",
                    {{"signal", signal_name(signal, name, sizeof name)},
                     {"grace", format_duration(*config_.grace_ms, grace, sizeof grace)}});
    }
}

void Supervisor::reap_children() {
    int options = WNOHANG;
    if (terminal_ == TerminalRole::foreground_group)
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
            if (pid == child_)
                on_main_child_stopped();
            continue;
        }
        reaped = true;
        LogLevel orphan_level = config_.warn_reap ? LogLevel::warn : LogLevel::debug;
        if (pid == child_ && !child_wait_status_) {
            on_main_child_exited(status);
            main_child_exited = true;
        } else if (log_enabled(orphan_level))  // a burst reaps thousands: skip the work
            log_message(orphan_level, "reaped orphan",
                        {{"pid", pid}, {"status", exit_code_from_wait_status(status)}});
    }
    // Once every child that had exited is reaped, have_children_ tells the
    // drain whether anything is left.
    if (main_child_exited)
        start_drain();
    // Past the drain deadline, processes reparented to vigil since the last
    // SIGKILL (children of the ones just killed) get theirs too.
    else if (reaped && drain_killed_ && !is_pid1_ && have_children_)
        signal_remaining(SIGKILL);
}

// A job-control stop of the child (Ctrl-Z) when vigil itself is a job of an
// interactive shell: take the terminal back and stop too, so the shell sees
// its job stopped; its SIGCONT later resumes vigil, which resumes the child.
void Supervisor::on_main_child_stopped() {
    if (terminal_ != TerminalRole::foreground_group)
        return;
    tcsetpgrp(STDIN_FILENO, getpgrp());
    kill(own_pid_, SIGSTOP);
}

void Supervisor::on_main_child_exited(int wait_status) {
    child_wait_status_ = wait_status;
    if (watchdog_)
        watchdog_->stop();
    grace_deadline_.reset();
    stop_delay_deadline_.reset();  // nothing left to stop
    if (WIFSIGNALED(wait_status)) {
        char name[24];
        log_message(
            LogLevel::info, "child killed by signal",
            {{"pid", child_}, {"signal", signal_name(WTERMSIG(wait_status), name, sizeof name)}});
    } else {
        log_message(LogLevel::info, "child exited",
                    {{"pid", child_}, {"status", WEXITSTATUS(wait_status)}});
    }
    if (terminal_ == TerminalRole::foreground_group)
        tcsetpgrp(STDIN_FILENO, getpgrp());
}

// The child is gone (reaped, with every other child that had exited); what
// it left behind gets SIGTERM and --drain to finish.
void Supervisor::start_drain() {
    phase_ = Phase::draining;
    // As PID 1 with no child left there is nothing to drain: every process
    // in the namespace descends from vigil (but those `docker exec` put
    // there, which the kernel ends when PID 1 exits, drain or not).
    if (is_pid1_ && !have_children_) {
        phase_ = Phase::finished;
        return;
    }
    int64_t now = monotonic_ms();
    if (config_.drain_ms == 0) {
        signal_remaining(SIGKILL);
        drain_killed_ = true;
        give_up_deadline_ = now + give_up_after_kill_ms;
    } else {
        signal_remaining(SIGTERM);
        drain_deadline_ = now + config_.drain_ms;
    }
    // What exits now is reaped on its SIGCHLD, as ever.
}

// Signals every process vigil answers for once the child is gone: as PID 1,
// every other process in the namespace; otherwise the child's process group
// and the orphans adopted as subreaper (vigil's remaining children).
void Supervisor::signal_remaining(int signal) {
    if (is_pid1_) {
        signal_leftover(-1, signal);
        return;
    }
    if (child_group_)
        signal_leftover(-child_group_, signal);
    // Finding the adopted orphans means reading every /proc/PID/stat on the
    // host: only when waitpid says there are some.
    if (have_children_)
        for_each_child_process(own_pid_, send_signal_to, &signal);
}

bool Supervisor::drain_complete() {
    if (have_children_)
        return false;
    // Members of the child's group that are not vigil's children (vigil is
    // neither PID 1 nor a subreaper) can only be polled for.
    return is_pid1_ || !child_group_ || kill(-child_group_, 0) < 0;
}

void Supervisor::check_deadlines(int64_t now) {
    if (stop_delay_deadline_ && now >= *stop_delay_deadline_)
        release_held_sigterm();
    if (grace_deadline_ && now >= *grace_deadline_) {
        grace_deadline_.reset();
        log_message(LogLevel::warn, "grace period expired; killing the child with SIGKILL",
                    {{"pid", child_}});
        if (child_group_)
            kill(-child_group_, SIGKILL);
        kill(child_, SIGKILL);
        if (is_pid1_)
            kill(-1, SIGKILL);
    }
    if (drain_deadline_ && now >= *drain_deadline_) {
        drain_deadline_.reset();
        log_message(LogLevel::warn,
                    "drain period expired; killing the remaining processes with SIGKILL");
        signal_remaining(SIGKILL);
        drain_killed_ = true;
        give_up_deadline_ = now + give_up_after_kill_ms;
    }
    if (drain_poll_at_ && now >= *drain_poll_at_) {
        drain_poll_at_.reset();
        if (drain_complete())
            phase_ = Phase::finished;
    }
    if (give_up_deadline_ && now >= *give_up_deadline_ && phase_ == Phase::draining) {
        log_message(LogLevel::warn,
                    "processes that vigil cannot reap remain after SIGKILL; exiting");
        phase_ = Phase::finished;
    }
}

int Supervisor::poll_timeout_ms(int64_t now) const {
    std::optional<int64_t> nearest;
    for (const std::optional<int64_t>& deadline :
         {stop_delay_deadline_, grace_deadline_, drain_deadline_, drain_poll_at_,
          give_up_deadline_}) {
        if (deadline && (!nearest || *deadline < *nearest))
            nearest = deadline;
    }
    int64_t watchdog_us = watchdog_ ? watchdog_->wake_at_us() : INT64_MAX;
    if (watchdog_us != INT64_MAX) {
        int64_t watchdog_ms = (watchdog_us + 999) / 1000;  // not before it is due
        if (!nearest || watchdog_ms < *nearest)
            nearest = watchdog_ms;
    }
    if (!nearest)
        return -1;  // nothing pending: sleep until a signal arrives
    return *nearest <= now ? 0 : static_cast<int>(*nearest - now);
}

}  // namespace vigil
