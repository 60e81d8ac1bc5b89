// The supervisor: runs the application and stays with it until the end.
//
// One event loop owns all of vigil's state. It sleeps in poll(2) on a
// signalfd (and, while a watchdog probe is in flight, on the probe's socket),
// with a timeout only while a deadline runs (stop delay, grace, drain, the
// next watchdog probe), or with none of those in read(2) on the signalfd, so
// an idle vigil without a watchdog never wakes up.
// Every catchable signal is blocked and read from the signalfd: SIGCHLD means
// "reap", every other signal is rewritten and forwarded to the child's
// process group.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "supervisor/command_line.h"
#include "supervisor/signal_channel.h"
#include "supervisor/spawn.h"
#include "supervisor/watchdog.h"

namespace vigil {

// Runs the supervisor with a parsed configuration; returns vigil's exit status.
int run_supervisor(const Config& config);

class Supervisor {
  public:
    // `watchdog`: storage for --watchdog's state (unused without it).
    Supervisor(const Config& config, std::optional<Watchdog>& watchdog)
        : config_(config), watchdog_(watchdog) {}

    // Sets up signals and the terminal, starts the child and runs the loop.
    int run();

  private:
    enum class Phase { running, draining, finished };

    void read_signals();
    void handle_signal(int signal);
    void forward_signal(int signal);
    void forward_with_rewrite(int signal);
    void release_held_sigterm();
    void reap_children();
    void on_main_child_stopped();
    void on_main_child_exited(int wait_status);
    void start_drain();
    void signal_remaining(int signal);
    void check_deadlines(int64_t now);
    void on_watchdog_fired();
    bool drain_complete();
    int poll_timeout_ms(int64_t now) const;

    const Config& config_;
    pid_t own_pid_ = 0;
    bool is_pid1_ = false;
    SignalChannel signals_;
    bool signals_pending_ = false;  // the last read filled its buffer
    TerminalRole terminal_ = TerminalRole::none;

    pid_t child_ = -1;
    pid_t child_group_ = 0;  // 0 with -c: the child shares vigil's group
    std::optional<int> child_wait_status_;
    bool have_children_ = true;  // false once waitpid says ECHILD

    Phase phase_ = Phase::running;
    std::optional<int64_t> stop_delay_deadline_;  // a SIGTERM is being held until then
    bool stop_delay_used_ = false;                // only the first SIGTERM is held
    std::optional<int64_t> grace_deadline_;
    std::optional<int64_t> drain_deadline_;
    std::optional<int64_t> drain_poll_at_;     // re-check a group we cannot wait for
    std::optional<int64_t> give_up_deadline_;  // after SIGKILL, stop waiting for non-children
    bool drain_killed_ = false;

    std::optional<Watchdog>& watchdog_;  // engaged only with --watchdog
    bool watchdog_fired_ = false;
};

}  // namespace vigil
