#include "supervisor/watchdog.h"

#include <cstring>
#include <string_view>

#include "base/format.h"
#include "base/log.h"

namespace vigil {
namespace {

// Summaries that differ only in the time taken ("... in 0.2 ms") tell the
// same story.
bool same_reason(std::string_view a, std::string_view b) {
    auto without_time = [](std::string_view summary) {
        size_t in = summary.rfind(" in ");
        return in == std::string_view::npos ? summary : summary.substr(0, in);
    };
    return without_time(a) == without_time(b);
}

}  // namespace

WatchdogCounter::Change WatchdogCounter::record(bool healthy, int64_t now_ms) {
    if (fired_)
        return Change::none;
    if (healthy) {
        succeeded_once_ = true;
        bool was_failing = failures_ > 0;
        failures_ = 0;
        return was_failing ? Change::recovered : Change::none;
    }
    if (!succeeded_once_ && now_ms < start_period_ends_ms_)
        return Change::none;  // still starting: not counted
    if (++failures_ >= failures_to_fire_) {
        fired_ = true;
        return Change::fired;
    }
    return failures_ == 1 ? Change::failing : Change::none;
}

bool Watchdog::prepare(const WatchdogConfig& config, const char*& error) {
    config_ = &config;
    return check_.prepare(config.check, error);
}

void Watchdog::start(int64_t now_us) {
    counter_ = WatchdogCounter(config_->failures, now_us / 1000 + config_->start_period_ms);
    active_ = true;
    next_probe_us_ = now_us + config_->interval_ms * 1000;
}

void Watchdog::stop() {
    check_.abandon();
    active_ = false;
}

pollfd Watchdog::poll_request() const {
    if (!active_ || !check_.running())
        return pollfd{-1, 0, 0};
    return check_.poll_request();
}

int64_t Watchdog::wake_at_us() const {
    if (!active_)
        return INT64_MAX;
    return check_.running() ? check_.wake_at_us() : next_probe_us_;
}

bool Watchdog::advance(short revents, int64_t now_us) {
    if (!active_)
        return false;
    if (check_.running()) {
        check_.advance(revents, now_us);
        if (!check_.running())
            return on_result(now_us);
        return false;
    }
    if (now_us < next_probe_us_)
        return false;
    check_.start(now_us);
    if (!check_.running())  // refused at once, say
        return on_result(now_us);
    return false;
}

// A repeated reason is kept once: "connection refused" three times is one.
void Watchdog::remember_failure(const char* summary) {
    if (reason_count_ > 0 && same_reason(reasons_[reason_count_ - 1], summary))
        return;
    if (reason_count_ == kept_reasons) {
        std::memmove(reasons_[0], reasons_[1], sizeof reasons_[0] * (kept_reasons - 1));
        --reason_count_;
    }
    format_into(reasons_[reason_count_++], sizeof reasons_[0], "%s", summary);
}

void Watchdog::describe_failures(char* out, size_t size) const {
    out[0] = '\0';
    for (size_t i = 0; i < reason_count_; ++i) {
        size_t length = std::strlen(out);
        format_into(out + length, size - length, "%s%s", i ? " | " : "", reasons_[i]);
    }
}

bool Watchdog::on_result(int64_t now_us) {
    next_probe_us_ = now_us + config_->interval_ms * 1000;
    bool healthy = check_.healthy();
    const char* summary = check_.summary();
    WatchdogCounter::Change change = counter_.record(healthy, now_us / 1000);
    int failures = counter_.consecutive_failures();
    log_message(LogLevel::info, "watchdog probe",
                {{"result", healthy ? "healthy" : "unhealthy"},
                 {"summary", summary},
                 {"failures", failures}});

    if (!healthy)
        remember_failure(summary);

    switch (change) {
        case WatchdogCounter::Change::none:
            break;
        case WatchdogCounter::Change::failing:
            log_message(LogLevel::warn, "watchdog: the application is failing its health check",
                        {{"failures", failures}, {"of", config_->failures}, {"summary", summary}});
            break;
        case WatchdogCounter::Change::recovered:
            log_message(LogLevel::warn, "watchdog: the application recovered",
                        {{"summary", summary}});
            reason_count_ = 0;
            break;
        case WatchdogCounter::Change::fired:
            stop();
            return true;
    }
    return false;
}

}  // namespace vigil
