#include "supervisor/shutdown.h"

#include <csignal>

namespace vigil {

Shutdown::Actions Shutdown::on_termination_request(int signal, int stop_signal, int64_t now_ms) {
    return request(signal, stop_signal, now_ms);
}

Shutdown::Actions Shutdown::on_watchdog_fired(int stop_signal, int64_t now_ms) {
    if (phase_ != Phase::running)
        return {};  // already stopping: the application is going away anyway
    stopped_by_watchdog_ = true;
    if (!times_.grace_ms)
        grace_ms_ = times_.watchdog_grace_ms;
    return request(stop_signal, stop_signal, now_ms);
}

Shutdown::Actions Shutdown::request(int signal, int stop_signal, int64_t now_ms) {
    Actions actions;
    bool first = !request_seen_;
    request_seen_ = true;
    actions.stop_probing = first;
    switch (phase_) {
        case Phase::running:
            // --stop-delay: the first stop signal waits, so that load balancers
            // notice the instance going away before the application stops
            // serving.
            if (signal == stop_signal && times_.stop_delay_ms > 0) {
                phase_ = Phase::holding;
                held_signal_ = signal;
                hold_until_ = now_ms + times_.stop_delay_ms;
                actions.note = Note::holding;
                return actions;
            }
            phase_ = Phase::stopping;
            actions.forward = signal;
            start_grace(now_ms, actions);
            return actions;
        case Phase::holding:
            // Another request ends the wait at once: a second stop signal
            // (the held one stands for both), or SIGINT (someone is
            // impatient), which is forwarded too.
            phase_ = Phase::stopping;
            hold_until_.reset();
            actions.forward_held = held_signal_;
            if (signal != held_signal_)
                actions.forward = signal;
            start_grace(now_ms, actions);
            return actions;
        case Phase::stopping:
        case Phase::draining:
        case Phase::killed:
            // The grace period, or the drain, already runs: forward and
            // change nothing (forwarding after the main child exited reaches
            // what remains).
            actions.forward = signal;
            return actions;
        case Phase::finished:
            return actions;
    }
    return actions;
}

void Shutdown::start_grace(int64_t now_ms, Actions& actions) {
    if (!grace_ms_)
        grace_ms_ = times_.grace_ms;
    if (!grace_ms_)
        return;
    grace_until_ = now_ms + *grace_ms_;
    actions.note = Note::grace_started;
}

Shutdown::Actions Shutdown::on_main_child_exited(bool nothing_left, int64_t now_ms) {
    Actions actions;
    actions.stop_probing = true;
    hold_until_.reset();  // nothing left to stop
    grace_until_.reset();
    if (nothing_left) {
        phase_ = Phase::finished;
        return actions;
    }
    rescan_at_ = now_ms + times_.rescan_ms;
    if (times_.drain_ms == 0) {
        phase_ = Phase::killed;
        actions.signal_leftovers = SIGKILL;
        give_up_at_ = now_ms + times_.give_up_ms;
        return actions;
    }
    phase_ = Phase::draining;
    actions.signal_leftovers = SIGTERM;
    drain_until_ = now_ms + times_.drain_ms;
    return actions;
}

Shutdown::Actions Shutdown::on_reaped(int64_t) {
    Actions actions;
    if (phase_ == Phase::draining)
        actions.signal_leftovers = SIGTERM;
    else if (phase_ == Phase::killed)
        actions.signal_leftovers = SIGKILL;
    return actions;
}

void Shutdown::on_leftovers_gone() {
    if (phase_ == Phase::draining || phase_ == Phase::killed)
        phase_ = Phase::finished;
}

Shutdown::Actions Shutdown::on_time(int64_t now_ms) {
    Actions actions;
    switch (phase_) {
        case Phase::running:
        case Phase::finished:
            break;
        case Phase::holding:
            if (now_ms >= *hold_until_) {
                phase_ = Phase::stopping;
                hold_until_.reset();
                actions.forward_held = held_signal_;
                start_grace(now_ms, actions);
            }
            break;
        case Phase::stopping:
            if (grace_until_ && now_ms >= *grace_until_) {
                grace_until_.reset();
                actions.kill_main_child = true;
                actions.note = Note::grace_expired;
            }
            break;
        case Phase::draining:
            if (now_ms >= *drain_until_) {
                phase_ = Phase::killed;
                drain_until_.reset();
                give_up_at_ = now_ms + times_.give_up_ms;
                rescan_at_ = now_ms + times_.rescan_ms;
                actions.signal_leftovers = SIGKILL;
                actions.note = Note::drain_expired;
            } else if (now_ms >= *rescan_at_) {
                rescan_at_ = now_ms + times_.rescan_ms;
                actions.signal_leftovers = SIGTERM;
            }
            break;
        case Phase::killed:
            if (now_ms >= *give_up_at_) {
                phase_ = Phase::finished;
                actions.note = Note::gave_up;
            } else if (now_ms >= *rescan_at_) {
                rescan_at_ = now_ms + times_.rescan_ms;
                actions.signal_leftovers = SIGKILL;
            }
            break;
    }
    return actions;
}

std::optional<int64_t> Shutdown::next_deadline() const {
    std::optional<int64_t> nearest;
    auto consider = [&nearest](const std::optional<int64_t>& deadline) {
        if (deadline && (!nearest || *deadline < *nearest))
            nearest = deadline;
    };
    switch (phase_) {
        case Phase::running:
        case Phase::finished:
            break;
        case Phase::holding:
            consider(hold_until_);
            break;
        case Phase::stopping:
            consider(grace_until_);
            break;
        case Phase::draining:
            consider(drain_until_);
            consider(rescan_at_);
            break;
        case Phase::killed:
            consider(give_up_at_);
            consider(rescan_at_);
            break;
    }
    return nearest;
}

}  // namespace vigil
