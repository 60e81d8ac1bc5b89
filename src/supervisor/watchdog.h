// --watchdog: vigil probes the application itself and stops it when it stays
// unhealthy, so that the orchestrator's restart policy (restart: on-failure,
// unless-stopped, always) replaces it. Docker alone only marks a container
// unhealthy and leaves it wedged; this closes the loop without a sidecar or
// the Docker socket.
//
// The checks are the probe's HealthCheck, run inside the supervisor's event
// loop: between probes the watchdog only sets the loop's timeout, and during
// one it adds the check's socket to the loop's poll. Nothing blocks, nothing
// is spawned, and signals and children are handled while a probe waits.
#pragma once

#include <poll.h>

#include <cstdint>

#include "probe/health_check.h"
#include "supervisor/watchdog_config.h"

namespace vigil {

// The watchdog's decisions, without sockets or clocks of its own: counts
// consecutive failures, applies Docker's start-period rule (failures in the
// start period count only once a probe has succeeded), and says when the
// state changes.
class WatchdogCounter {
  public:
    enum class Change { none, failing, recovered, fired };

    WatchdogCounter(int failures_to_fire, int64_t start_period_ends_ms)
        : failures_to_fire_(failures_to_fire), start_period_ends_ms_(start_period_ends_ms) {}

    Change record(bool healthy, int64_t now_ms);
    int consecutive_failures() const { return failures_; }
    bool fired() const { return fired_; }

  private:
    int failures_to_fire_;
    int64_t start_period_ends_ms_;
    int failures_ = 0;
    bool succeeded_once_ = false;
    bool fired_ = false;
};

class Watchdog {
  public:
    // False with `error` set when the check cannot be prepared.
    bool prepare(const WatchdogConfig& config, const char*& error);
    // Begins watching: the first probe comes one interval from now, as
    // Docker's first health check does.
    void start(int64_t now_us);
    // No more probes (a stop signal came, the child exited, or it fired).
    void stop();

    bool active() const { return active_; }
    // The check's socket while a probe is in flight; fd -1 otherwise.
    pollfd poll_request() const;
    // When the loop must call advance() even if nothing is ready; INT64_MAX
    // when stopped.
    int64_t wake_at_us() const;
    // Starts a probe when one is due and moves the one in flight on; logs
    // results. Returns true once, when the failures fire the watchdog.
    bool advance(short revents, int64_t now_us);

    // For the line logged when it fires: the last distinct failure
    // summaries, oldest first, joined by " | ".
    void describe_failures(char* out, size_t size) const;
    int failures_to_fire() const { return config_->failures; }

  private:
    static constexpr size_t kept_reasons = 3;

    bool on_result(int64_t now_us);
    void remember_failure(const char* summary);

    const WatchdogConfig* config_ = nullptr;
    HealthCheck check_;
    WatchdogCounter counter_{0, 0};
    bool active_ = false;
    int64_t next_probe_us_ = 0;
    char reasons_[kept_reasons][max_summary_length + 1] = {};
    size_t reason_count_ = 0;
};

}  // namespace vigil
