#include "probe/health_check.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>

#include "base/duration.h"
#include "base/error_text.h"
#include "base/format.h"
#include "base/socket_address.h"
#include "probe/http_request.h"
#include "probe/redirect.h"
#include "resolver/resolver.h"

namespace vigil {

const char* format_elapsed_us(int64_t us, char* buffer, size_t size) {
    auto whole = [](int64_t value) { return static_cast<long long>(value); };
    if (us < 10000)
        format_into(buffer, size, "%lld.%lld ms", whole(us / 1000), whole(us % 1000 / 100));
    else if (us < 1000000)
        format_into(buffer, size, "%lld ms", whole(us / 1000));
    else
        format_into(buffer, size, "%lld.%02lld s", whole(us / 1000000),
                    whole(us % 1000000 / 10000));
    return buffer;
}

GrpcCallSpec HealthCheck::grpc_spec() const {
    return {spec_->url.authority, spec_->url.target,
            std::span<const char* const>(spec_->headers.data(), spec_->header_count)};
}

bool HealthCheck::build_http_request(std::string_view method, std::string_view target) {
    RequestSpec request{method, target, spec_->url.authority,
                        std::span<const char* const>(spec_->headers.data(), spec_->header_count)};
    request_length_ = build_request(request, request_, sizeof request_);
    return request_length_ > 0;
}

bool HealthCheck::prepare(const CheckSpec& spec, const char*& error) {
    spec_ = &spec;
    summary_[0] = '\0';
    request_length_ = 0;
    if (spec.url.scheme == UrlScheme::http)
        build_http_request(spec.method, spec.url.target);
    else if (spec.url.scheme == UrlScheme::grpc)
        // Built again when connected, with the time left: that grpc-timeout
        // is never longer than this one, the longest there is.
        request_length_ = build_grpc_request(grpc_spec(), 99999999, request_, sizeof request_);
    if (spec.url.scheme != UrlScheme::tcp && request_length_ == 0) {
        error = "the request would exceed 8 KiB";
        return false;
    }
    if (spec.unix_socket && !unix_socket_endpoint(spec.unix_socket, endpoints_[0])) {
        error = "the --unix-socket path is too long";
        return false;
    }
    format_into(host_, sizeof host_, "%.*s", static_cast<int>(spec.url.host.size()),
                spec.url.host.data());
    return true;
}

void HealthCheck::start(int64_t started_us) {
    abandon();
    started_us_ = started_us;
    deadline_us_ = started_us + spec_->timeout_ms * 1000;
    healthy_ = false;
    summary_[0] = '\0';
    endpoint_index_ = 0;
    connect_errors_.fill(0);
    sent_ = 0;
    parser_.reset();
    if (redirects_ > 0)  // the last check was redirected: ask for the URL's own target again
        build_http_request(spec_->method, spec_->url.target);
    redirects_ = 0;

    if (spec_->unix_socket) {
        endpoint_count_ = 1;  // endpoints_[0], made by prepare()
    } else {
        endpoint_count_ = endpoints_without_resolver(spec_->url, endpoints_);
        if (endpoint_count_ == 0) {
            phase_ = Phase::resolving;
            resolver_.start(spec_->url.host, ResolverFiles{}, started_us);
            if (!resolver_.running())
                on_resolved(started_us);
            return;
        }
    }
    connect_next(started_us);
}

void HealthCheck::on_resolved(int64_t now_us) {
    std::span<const dns::Address> addresses = resolver_.addresses();
    if (addresses.empty()) {
        finish(false, "cannot resolve %s: %s", host_, resolver_.error());
        return;
    }
    endpoint_count_ = 0;
    for (const dns::Address& address : addresses)
        if (endpoint_count_ < endpoints_.size())
            endpoints_[endpoint_count_++] = address_endpoint(address, spec_->url.port);
    connect_next(now_us);
}

pollfd HealthCheck::poll_request() const {
    switch (phase_) {
        case Phase::idle:
            return pollfd{-1, 0, 0};
        case Phase::resolving:
            return resolver_.poll_request();
        case Phase::receiving_body:
        case Phase::receiving:
            // While the gRPC call has answers to send, it reads nothing.
            return pollfd{
                fd_, static_cast<short>(is_grpc() && !grpc_.output().empty() ? POLLOUT : POLLIN),
                0};
        case Phase::connecting:
        case Phase::sending:
            return pollfd{fd_, POLLOUT, 0};
    }
    return pollfd{-1, 0, 0};
}

int64_t HealthCheck::wake_at_us() const {
    if (phase_ == Phase::resolving && resolver_.wake_at_us() < deadline_us_)
        return resolver_.wake_at_us();
    return deadline_us_;
}

void HealthCheck::close_connection() {
    if (fd_ >= 0)
        close(fd_);
    fd_ = -1;
}

void HealthCheck::abandon() {
    resolver_.stop();
    close_connection();
    phase_ = Phase::idle;
}

// Ends the check with its verdict, which the summary begins with: every
// message below is what follows "healthy: " or "unhealthy: ".
void HealthCheck::conclude(bool healthy) {
    abandon();
    healthy_ = healthy;
    const char* verdict = healthy ? "healthy: " : "unhealthy: ";
    std::memcpy(summary_, verdict, std::strlen(verdict) + 1);
}

void HealthCheck::finish(bool healthy, const char* format, ...) {
    conclude(healthy);
    va_list arguments;
    va_start(arguments, format);
    vappend(format, arguments);
    va_end(arguments);
}

void HealthCheck::append(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vappend(format, arguments);
    va_end(arguments);
}

void HealthCheck::vappend(const char* format, va_list arguments) {
    size_t length = std::strlen(summary_);
    vformat_one_line(summary_ + length, sizeof summary_ - length, format, arguments);
}

const char* HealthCheck::elapsed(int64_t now_us) {
    return format_elapsed_us(now_us - started_us_, elapsed_, sizeof elapsed_);
}

// Tries the endpoints from endpoint_index_ on. A refusal is known at once for
// loopback and unix sockets; anything slower completes in advance().
void HealthCheck::connect_next(int64_t now_us) {
    while (endpoint_index_ < endpoint_count_) {
        const Endpoint& endpoint = endpoints_[endpoint_index_];
        int fd = open_nonblocking_socket(endpoint.address.ss_family, SOCK_STREAM);
        if (fd < 0) {
            connect_errors_[endpoint_index_++] = errno;
            continue;
        }
        fd_ = fd;
        phase_ = Phase::connecting;
        if (connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length) == 0)
            return on_connected(now_us);
        if (errno == EINPROGRESS)
            return;
        connect_errors_[endpoint_index_++] = errno;
        close_connection();
    }
    finish_connect_failures();
}

void HealthCheck::on_connected(int64_t now_us) {
    if (spec_->url.scheme == UrlScheme::tcp) {
        finish(true, "TCP connection to %s in %s", peer(), elapsed(now_us));
        return;
    }
    if (is_grpc()) {
        // The server learns the deadline too, as grpc-timeout: what is left.
        request_length_ = build_grpc_request(grpc_spec(), (deadline_us_ - now_us + 999) / 1000,
                                             request_, sizeof request_);
        grpc_.start(peer());
    }
    phase_ = Phase::sending;
    send_request(now_us);
}

void HealthCheck::send_request(int64_t now_us) {
    while (sent_ < request_length_) {
        // MSG_NOSIGNAL: a peer that closed early must not raise SIGPIPE.
        ssize_t written = send(fd_, request_ + sent_, request_length_ - sent_, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            finish(false, "cannot send the request to %s: %s", peer(), error_text(errno));
            return;
        }
        sent_ += static_cast<size_t>(written);
    }
    phase_ = Phase::receiving;
    receive(now_us);
}

void HealthCheck::receive(int64_t now_us) {
    if (is_grpc())
        return exchange_grpc(now_us);
    char buffer[2048];
    for (;;) {
        ssize_t length = recv(fd_, buffer, sizeof buffer, 0);
        if (length < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            return finish_read_error();
        }
        if (length == 0 && phase_ == Phase::receiving_body) {
            body_.end_of_input();
            return finish_body(now_us);
        }
        if (length == 0) {
            if (parser_.bytes_seen() == 0)
                finish(false, "connection closed by %s without a response", peer());
            else
                finish(false,
                       "connection closed by %s after %zu bytes, before the end of "
                       "the response headers",
                       peer(), parser_.bytes_seen());
            return;
        }
        std::string_view bytes(buffer, static_cast<size_t>(length));
        if (phase_ == Phase::receiving) {
            bytes.remove_prefix(parser_.feed(bytes));
            if (parser_.state() == ResponseParser::State::more)
                continue;
            if (!on_response_head(now_us))
                return;  // judged, or redirected
        }
        body_.feed(bytes);  // what came after the head, then each read
        if (body_.state() != BodyReader::State::more ||
            body_.body().find(spec_->expect) != std::string_view::npos)
            return finish_body(now_us);  // the end, or the text: no need to read on
    }
}

// The head is in. Returns true when the body is to be read (--expect), else
// false once the check has ended or gone after a redirect.
bool HealthCheck::on_response_head(int64_t now_us) {
    if (parser_.state() == ResponseParser::State::failed) {
        finish_response(now_us);
        return false;
    }
    int status = parser_.status();
    if (spec_->follow_redirects && is_redirect_status(status) && follow_redirect(now_us))
        return false;
    bool healthy = spec_->healthy.contains(status);
    if (!spec_->expect || !healthy) {
        finish_status(healthy, status, now_us);
        return false;
    }
    // The body's framing (RFC 9112, 6.3): none after HEAD and for 1xx, 204
    // and 304; chunked; Content-Length; else until the server closes.
    bool no_body = spec_->method == "HEAD" || status < 200 || status == 204 || status == 304;
    body_.start(no_body                         ? BodyReader::Framing::none
                : parser_.chunked()             ? BodyReader::Framing::chunked
                : parser_.content_length() >= 0 ? BodyReader::Framing::length
                                                : BodyReader::Framing::close,
                static_cast<uint64_t>(parser_.content_length()));
    phase_ = Phase::receiving_body;
    return true;
}

// A 3xx with --follow-redirects: true when the check goes on (a new request
// on a new connection, or the end because of the redirect); false when the
// 3xx itself is to be judged (a Location elsewhere, as the kubelet does).
bool HealthCheck::follow_redirect(int64_t now_us) {
    int status = parser_.status();
    std::string_view current = redirects_ ? std::string_view(target_) : spec_->url.target;
    char next[sizeof target_];
    switch (resolve_redirect(parser_.location(), spec_->url, current, next, sizeof next)) {
        case RedirectKind::other_origin:
            return false;
        case RedirectKind::invalid:
            finish(false, "HTTP %d from %s redirects to no usable Location", status, peer());
            return true;
        case RedirectKind::same_origin:
            break;
    }
    if (redirects_ == max_redirects) {
        finish(false, "stopped after %d redirects from %s", max_redirects, peer());
        return true;
    }
    ++redirects_;
    std::memcpy(target_, next, sizeof target_);
    // 303 asks for a GET; the others repeat the method (RFC 9110, 15.4).
    std::string_view method = status == 303 && spec_->method != "HEAD" ? "GET" : spec_->method;
    if (!build_http_request(method, target_)) {
        finish(false, "the redirected request to %s would exceed 8 KiB", peer());
        return true;
    }
    close_connection();
    sent_ = 0;
    parser_.reset();
    connect_next(now_us);  // the endpoint that answered, again: Connection: close
    return true;
}

void HealthCheck::finish_status(bool healthy, int status, int64_t now_us) {
    finish(healthy, "HTTP %d from %s in %s", status, peer(), elapsed(now_us));
    if (redirects_ > 0)
        append(" after %d redirect%s", redirects_, redirects_ == 1 ? "" : "s");
}

void HealthCheck::finish_body(int64_t now_us) {
    int status = parser_.status();
    std::string_view expect(spec_->expect);
    bool found = body_.body().find(expect) != std::string_view::npos;
    if (found) {
        finish_status(true, status, now_us);
        append(", \"%.40s\" found", spec_->expect);
    } else if (body_.state() == BodyReader::State::failed) {
        finish(false,
               "HTTP %d from %s, but its body ended early or was malformed "
               "before \"%.40s\" was found",
               status, peer(), spec_->expect);
    } else {
        finish(false, "HTTP %d from %s, but \"%.40s\" is not in %s", status, peer(), spec_->expect,
               body_.cut_at_limit() ? "its first 10 KiB" : "its body");
    }
}

void HealthCheck::finish_read_error() {
    if (errno == ECONNRESET && bytes_received() == 0)
        finish(false, "connection reset by %s without a response", peer());
    else if (errno == ECONNRESET)
        finish(false, "connection reset by %s after %zu bytes", peer(), bytes_received());
    else
        finish(false, "cannot read from %s: %s", peer(), error_text(errno));
}

// The gRPC call's answers (SETTINGS and PING acknowledgements) go out before
// more is read, so they never pile up: each recv() brings at most what the
// call can answer. What comes back is read into the request's buffer, whose
// request went out whole (and is built again for the next connection).
static_assert(grpc_max_receive_bytes <= max_request_bytes);
void HealthCheck::exchange_grpc(int64_t now_us) {
    for (;;) {
        std::string_view output = grpc_.output();
        ssize_t length = output.empty() ? recv(fd_, request_, grpc_max_receive_bytes, 0)
                                        : send(fd_, output.data(), output.size(), MSG_NOSIGNAL);
        if (length < 0 && errno == EINTR)
            continue;
        if (length < 0 && errno == EAGAIN)
            return;  // poll_request() asks for POLLOUT while there is output
        if (length < 0 && !output.empty())
            return finish(false, "cannot send to %s: %s", peer(), error_text(errno));
        if (length < 0)
            return finish_read_error();
        if (!output.empty())
            grpc_.output_sent(static_cast<size_t>(length));
        else if (length == 0)
            grpc_.connection_closed();
        else
            grpc_.receive(std::string_view(request_, static_cast<size_t>(length)));
        if (grpc_.done())
            return finish_grpc(now_us);
    }
}

void HealthCheck::finish_grpc(int64_t now_us) {
    abandon();
    healthy_ = grpc_.healthy();
    grpc_.describe(summary_, sizeof summary_, elapsed(now_us));
}

void HealthCheck::finish_response(int64_t now_us) {
    std::string_view excerpt = parser_.excerpt();
    int excerpt_length = static_cast<int>(excerpt.size());
    switch (parser_.failure()) {
        case ResponseParser::Failure::none: {
            int status = parser_.status();
            finish_status(spec_->healthy.contains(status), status, now_us);
            return;
        }
        case ResponseParser::Failure::not_http:
        case ResponseParser::Failure::bad_status_line:
            finish(false, "%s from %s: \"%.*s\"", parser_.failure_text(), peer(), excerpt_length,
                   excerpt.data());
            return;
        case ResponseParser::Failure::bad_header_line:
        case ResponseParser::Failure::bad_line_ending:
            finish(false, "%s from %s after %zu bytes", parser_.failure_text(), peer(),
                   parser_.bytes_seen());
            return;
        case ResponseParser::Failure::header_section_too_large:
            finish(false, "response headers from %s exceed 16 KiB", peer());
            return;
    }
}

// Every endpoint refused or failed: one phrase each, or one for all when
// each was refused (the usual case: nothing listens on the port).
void HealthCheck::finish_connect_failures() {
    conclude(false);
    bool all_refused = endpoint_count_ > 0;
    for (size_t i = 0; i < endpoint_count_; ++i)
        all_refused = all_refused && connect_errors_[i] == ECONNREFUSED;

    if (endpoint_count_ == 0) {
        append("no address to connect to");
        return;
    }
    if (all_refused) {
        append("connection refused by %s", endpoints_[0].text);
        for (size_t i = 1; i < endpoint_count_; ++i)
            append("%s%s", i + 1 == endpoint_count_ ? " and " : ", ", endpoints_[i].text);
        return;
    }
    for (size_t i = 0; i < endpoint_count_; ++i) {
        int error = connect_errors_[i];
        const char* separator = i == 0 ? "" : "; ";
        if (error == ECONNREFUSED)
            append("%sconnection refused by %s", separator, endpoints_[i].text);
        else if (error == ENETUNREACH || error == EHOSTUNREACH)
            append("%s%s is unreachable", separator, endpoints_[i].text);
        else
            append("%scannot connect to %s: %s", separator, endpoints_[i].text, error_text(error));
    }
}

// "timed out after 800ms connecting to 10.0.0.5:8080": what the check was
// doing, to whom, and what had come by then.
void HealthCheck::finish_timeout() {
    Phase phase = phase_;
    if (phase == Phase::idle)
        return;
    char timeout[16];
    format_duration(spec_->timeout_ms, timeout, sizeof timeout);
    size_t received = bytes_received();
    const char* target = phase == Phase::resolving ? host_ : peer();
    const char* activity = phase == Phase::resolving        ? "resolving"
                           : phase == Phase::connecting     ? "connecting to"
                           : phase == Phase::sending        ? "sending the request to"
                           : phase == Phase::receiving_body ? "reading the body from"
                           : is_grpc()                      ? grpc_.waiting()
                           : received > 0                   ? "reading the response headers from"
                                                            : "waiting for a response from";
    finish(false, "timed out after %s %s %s", timeout, activity, target);
    if (phase == Phase::resolving)
        append(" (%s)", resolver_.progress());
    else if (phase == Phase::receiving_body)
        append(" (HTTP %d, %zu bytes of body, \"%.40s\" not found)", parser_.status(),
               body_.body().size(), spec_->expect);
    else if (phase == Phase::receiving && received > 0)
        append(" (%zu bytes received)", received);
}

void HealthCheck::advance(short revents, int64_t now_us) {
    if (phase_ == Phase::resolving) {
        resolver_.advance(revents, now_us);
        if (!resolver_.running())
            on_resolved(now_us);
        revents = 0;  // they were the resolver's
    }
    if (revents) {
        switch (phase_) {
            case Phase::idle:
            case Phase::resolving:
                break;
            case Phase::connecting: {
                int error = 0;
                socklen_t length = sizeof error;
                if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
                    error = errno;
                if (error == 0) {
                    on_connected(now_us);
                } else {
                    connect_errors_[endpoint_index_++] = error;
                    close_connection();
                    connect_next(now_us);
                }
                break;
            }
            case Phase::sending:
                send_request(now_us);
                break;
            case Phase::receiving:
            case Phase::receiving_body:
                receive(now_us);
                break;
        }
    }
    if (running() && now_us >= deadline_us_)
        finish_timeout();
}

}  // namespace vigil
