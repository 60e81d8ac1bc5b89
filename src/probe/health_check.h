// One health check, run without blocking: resolve the host if it is a name,
// connect, send the request, read the response head, judge the status; for
// grpc:// URLs, one gRPC health Check call over HTTP/2 (GrpcHealthCall), whose
// acknowledgements go out on the same socket while the response comes in. It is
// a state machine driven by poll(2) readiness and one absolute deadline, so
// the same code serves the one-shot `vigil probe` and the supervisor's
// watchdog, which runs checks inside its event loop next to signals and
// children.
//
// Each check ends with a verdict and a one-line summary (at most 200
// characters, what came from outside escaped as base/escape.h says) that a
// person reading `docker inspect` understands:
//   healthy: HTTP 200 from 127.0.0.1:8080 in 0.4 ms
//   unhealthy: connection refused by 127.0.0.1:8080 and [::1]:8080
//   healthy: gRPC SERVING from 127.0.0.1:50051 in 1.2 ms
#pragma once

#include <poll.h>

#include <array>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include "probe/check_spec.h"
#include "probe/endpoint.h"
#include "probe/grpc_health_call.h"
#include "probe/http_body.h"
#include "probe/http_response.h"
#include "resolver/resolver.h"

namespace vigil {

inline constexpr size_t max_request_bytes = 8 * 1024;
inline constexpr size_t max_endpoints = 4;
inline constexpr size_t max_summary_length = 200;

class HealthCheck {
  public:
    // Builds the request for `spec`, once for every check that follows; the
    // spec must outlive the checks. False when the request would exceed
    // max_request_bytes or the --unix-socket path is too long (`error` says
    // which).
    bool prepare(const CheckSpec& spec, const char*& error);

    // Starts a check that gives up spec.timeout_ms after `started_us`
    // (CLOCK_MONOTONIC). It may end at once (connection refused).
    void start(int64_t started_us);

    bool running() const { return phase_ != Phase::idle; }
    // The descriptor and events to poll for while running, and the time by
    // which advance() must be called even if nothing is ready.
    pollfd poll_request() const;
    int64_t wake_at_us() const;
    // Moves the check on after poll: reads or writes what is ready, and ends
    // it when the deadline has passed. `revents` may be 0.
    void advance(short revents, int64_t now_us);
    // Ends a running check at once (vigil is stopping): no verdict.
    void abandon();

    bool healthy() const { return healthy_; }
    const char* summary() const { return summary_; }

  private:
    enum class Phase { idle, resolving, connecting, sending, receiving, receiving_body };

    void on_resolved(int64_t now_us);
    void connect_next(int64_t now_us);
    void on_connected(int64_t now_us);
    void send_request(int64_t now_us);
    void receive(int64_t now_us);
    void finish_read_error();
    void exchange_grpc(int64_t now_us);
    GrpcCallSpec grpc_spec() const;
    void finish_grpc(int64_t now_us);
    bool is_grpc() const { return spec_->url.scheme == UrlScheme::grpc; }
    size_t bytes_received() const {
        return is_grpc() ? grpc_.bytes_received() : parser_.bytes_seen();
    }
    void close_connection();
    void conclude(bool healthy);
    void finish(bool healthy, const char* format, ...) __attribute__((format(printf, 3, 4)));
    void append(const char* format, ...) __attribute__((format(printf, 2, 3)));
    void vappend(const char* format, va_list arguments) __attribute__((format(printf, 2, 0)));
    void finish_response(int64_t now_us);
    bool on_response_head(int64_t now_us);
    bool follow_redirect(int64_t now_us);
    void finish_body(int64_t now_us);
    bool build_http_request(std::string_view method, std::string_view target);
    void finish_status(bool healthy, int status, int64_t now_us);
    void finish_connect_failures();
    void finish_timeout();
    const char* peer() const { return endpoints_[endpoint_index_].text; }
    const char* elapsed(int64_t now_us);

    // Members with default values first, then the objects that have some,
    // then the buffers without (written before they are read): constructing
    // a HealthCheck (52 KB, on the probe's stack) then writes as few pages as
    // it can, and the untouched ones never become resident.
    const CheckSpec* spec_ = nullptr;
    size_t request_length_ = 0;
    size_t endpoint_count_ = 0;
    size_t endpoint_index_ = 0;
    int fd_ = -1;
    Phase phase_ = Phase::idle;
    size_t sent_ = 0;
    int redirects_ = 0;  // followed in this check
    int64_t started_us_ = 0;
    int64_t deadline_us_ = 0;
    bool healthy_ = false;

    ResponseParser parser_;
    BodyReader body_;  // --expect only; its buffer untouched otherwise
    Resolver resolver_;
    GrpcHealthCall grpc_;

    char request_[max_request_bytes];
    char host_[64];  // the URL's host, for messages
    std::array<Endpoint, max_endpoints> endpoints_;
    std::array<int, max_endpoints> connect_errors_;  // filled by start()
    char target_[1024];                              // the request target after a redirect
    char elapsed_[24];
    char summary_[max_summary_length + 1];
};

// "0.4 ms", "12 ms", "1.25 s".
const char* format_elapsed_us(int64_t us, char* buffer, size_t size);

}  // namespace vigil
