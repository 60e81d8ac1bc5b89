// How vigil stops the application and what it leaves behind: the stop delay,
// the grace period, the drain and giving up, as one state machine over events
// and the current time. It makes no system calls and reads no clock: the
// supervisor's loop reports what happened, performs the returned Actions in
// the order of their fields, and asks next_deadline() how long it may sleep.
//
//   running --request--> holding --delay over, or another request--> stopping
//   running --request-------------------------------------------> stopping
//   running, holding, stopping --main child exited--> draining (or killed
//       with --drain 0, or finished when nothing can be left)
//   stopping --grace over--> SIGKILL to the main child; stays stopping
//   draining --drain over--> killed (SIGKILL to every leftover)
//   draining, killed --leftovers gone--> finished
//   killed --give-up over--> finished
//
// A termination request is the orchestrator's stop signal (--stop-signal,
// SIGTERM by default) or SIGINT; the supervisor decides which signals are
// requests, and rewriting (-r) changes only what is forwarded, never whether
// the shutdown starts. The watchdog firing is a request too, one that always
// ends: without --grace it gets watchdog_grace_ms.
#pragma once

#include <cstdint>
#include <optional>

namespace vigil {

struct ShutdownTimes {
    int64_t stop_delay_ms = 0;        // --stop-delay: how long the first stop signal is held
    std::optional<int64_t> grace_ms;  // --grace; nullopt: no limit
    int64_t drain_ms = 3000;          // --drain
    // The grace period of a watchdog stop when --grace is not set: a stop
    // vigil starts on its own must end without the orchestrator's help.
    int64_t watchdog_grace_ms = 10000;
    // After SIGKILL, how long to wait for leftovers that vigil cannot reap
    // (members of the main child's group that are not its descendants).
    int64_t give_up_ms = 1000;
    // While draining, how often to look for leftovers again: processes that
    // were adopted or started since the last look get their SIGTERM too.
    int64_t rescan_ms = 50;
};

class Shutdown {
  public:
    enum class Phase { running, holding, stopping, draining, killed, finished };

    // What the loop logs about a transition (the machine itself logs nothing).
    enum class Note {
        none,
        holding,        // a stop signal is held for the stop delay
        grace_started,  // a request was forwarded and the grace period runs
        grace_expired,  // the main child is being killed
        drain_expired,  // the leftovers are being killed
        gave_up,        // leftovers that cannot be reaped remain; exiting anyway
    };

    // What the loop must do now, in this order.
    struct Actions {
        bool stop_probing = false;     // end the watchdog: the application is going away
        int forward_held = 0;          // release the held stop signal: forward it now
        int forward = 0;               // forward this received signal now
        bool kill_main_child = false;  // SIGKILL the main child's group (as PID 1, everything)
        int signal_leftovers = 0;      // SIGTERM (with SIGCONT) or SIGKILL to what remains
        Note note = Note::none;
    };

    explicit Shutdown(const ShutdownTimes& times) : times_(times) {}

    // A termination request arrived. `stop_signal` is vigil's --stop-signal,
    // the one request that the stop delay holds (SIGINT never is: someone at
    // a terminal is waiting).
    Actions on_termination_request(int signal, int stop_signal, int64_t now_ms);
    // The watchdog gave up on the application: stop it with the stop signal.
    Actions on_watchdog_fired(int stop_signal, int64_t now_ms);
    // The main child was reaped, with every other child that had exited.
    // `nothing_left`: vigil is PID 1 and has no children, so no process can
    // remain (a subreaper cannot know that without looking).
    Actions on_main_child_exited(bool nothing_left, int64_t now_ms);
    // Children were reaped while draining: new orphans may have been adopted.
    Actions on_reaped(int64_t now_ms);
    // The supervisor found nothing left to drain.
    void on_leftovers_gone();
    // Time passed: whichever deadlines are due.
    Actions on_time(int64_t now_ms);

    // The earliest deadline, if any (the loop sleeps until then at most).
    std::optional<int64_t> next_deadline() const;

    Phase phase() const { return phase_; }
    bool finished() const { return phase_ == Phase::finished; }
    // A request has arrived (probing ends; the application is going away).
    bool requested() const { return phase_ != Phase::running || request_seen_; }
    bool main_child_exited() const { return phase_ >= Phase::draining; }
    bool stopped_by_watchdog() const { return stopped_by_watchdog_; }
    // The grace period in force once one runs (for the log line).
    std::optional<int64_t> grace_ms() const { return grace_ms_; }

  private:
    Actions request(int signal, int stop_signal, int64_t now_ms);
    void start_grace(int64_t now_ms, Actions& actions);

    ShutdownTimes times_;
    Phase phase_ = Phase::running;
    bool request_seen_ = false;
    bool stopped_by_watchdog_ = false;
    int held_signal_ = 0;
    std::optional<int64_t> grace_ms_;  // times_.grace_ms, or the watchdog's
    std::optional<int64_t> hold_until_;
    std::optional<int64_t> grace_until_;
    std::optional<int64_t> drain_until_;
    std::optional<int64_t> rescan_at_;
    std::optional<int64_t> give_up_at_;
};

}  // namespace vigil
