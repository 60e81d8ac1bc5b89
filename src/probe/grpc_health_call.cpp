#include "probe/grpc_health_call.h"

#include <cstring>

#include "base/format.h"
#include "base/text.h"
#include "base/version.h"
#include "probe/grpc_protocol.h"
#include "probe/line_escape.h"

namespace vigil {
namespace {

using namespace http2;

// The limits that turn a hostile server's tricks into a verdict before the
// deadline. A real server's whole answer is about seven frames.
constexpr int max_settings_frames = 100;
constexpr int max_pings = 100;
constexpr int max_block_frames = 64;
constexpr size_t max_response_header_bytes = 16 * 1024;  // as the HTTP/1.1 probe
// Give DATA bytes back once this many are unacknowledged: a
// HealthCheckResponse never gets there, a server that pads its DATA may.
constexpr uint32_t window_update_threshold = 16384;

// The static-table indexes (RFC 7541 Appendix A) of the request's names.
constexpr uint32_t index_authority = 1;
constexpr uint32_t index_method_post = 3;  // ":method: POST", name and value
constexpr uint32_t index_path = 4;
constexpr uint32_t index_scheme_http = 6;  // ":scheme: http"
constexpr uint32_t index_content_type = 31;
constexpr uint32_t index_user_agent = 58;

std::string_view header_value(std::string_view header) {
    std::string_view value = header.substr(header.find(':') + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
}

// The -H header named `name` (ASCII case ignored), or null.
const char* find_header(std::span<const char* const> headers, std::string_view name) {
    for (const char* header : headers) {
        std::string_view text(header);
        if (equals_ignoring_case(text.substr(0, text.find(':')), name))
            return header;
    }
    return nullptr;
}

}  // namespace

size_t build_grpc_request(const GrpcCallSpec& spec, int64_t timeout_ms, char* out, size_t size) {
    // §3.4: the preface, then SETTINGS: what vigil can hold (§6.5.2).
    static constexpr unsigned char settings[] = {
        0, header_table_size,    0, 0, 0x10, 0x00,  // 4096
        0, enable_push,          0, 0, 0,    0,     // no server push
        0, max_frame_size,       0, 0, 0x40, 0x00,  // 16384
        0, max_header_list_size, 0, 0, 0x40, 0x00,  // 16384
    };
    // Then the request headers, after room for their frame header.
    size_t block_start = client_preface.size() + 9 + sizeof settings + 9;
    size_t length = block_start;
    if (size < length)
        return 0;
    std::memcpy(out, client_preface.data(), client_preface.size());
    put_frame_header(out + client_preface.size(), sizeof settings, http2::settings, 0, 0);
    std::memcpy(out + client_preface.size() + 9, settings, sizeof settings);

    // PROTOCOL-HTTP2.md's order: pseudo-headers first, then te,
    // content-type, grpc-timeout and the metadata. Literals without
    // indexing, so vigil keeps no encoder table.
    const char* host = find_header(spec.headers, "host");
    const char* user_agent = find_header(spec.headers, "user-agent");
    char timeout[16];
    grpc::format_timeout(timeout_ms, timeout, sizeof timeout);
    auto indexed = [&](uint32_t index) {
        length = length ? hpack_put_integer(out, size, length, 0x80, 7, index) : 0;
    };
    auto literal = [&](uint32_t name_index, std::string_view name, std::string_view value) {
        length = length ? hpack_put_literal(out, size, length, name_index, name, value) : 0;
    };
    indexed(index_method_post);
    indexed(index_scheme_http);
    literal(index_path, "", grpc::health_check_path);
    literal(index_authority, "", host ? header_value(host) : spec.authority);
    literal(index_content_type, "", "application/grpc");
    literal(0, "te", "trailers");
    literal(0, "grpc-timeout", timeout);
    literal(index_user_agent, "",
            user_agent ? header_value(user_agent) : std::string_view("vigil-probe/" VIGIL_VERSION));
    for (const char* header : spec.headers) {
        std::string_view text(header);
        if (header != host && header != user_agent)
            literal(0, text.substr(0, text.find(':')), header_value(text));
    }
    // One HEADERS frame holds the block: far below the frame size every
    // server accepts.
    if (length == 0 || length - block_start > max_frame_size_floor)
        return 0;
    put_frame_header(out + block_start - 9, static_cast<uint32_t>(length - block_start),
                     http2::headers, flag_end_headers, 1);

    // DATA with the HealthCheckRequest ends the stream: the request is whole.
    if (size - length < 9)
        return 0;
    size_t message = grpc::put_health_request(out + length + 9, size - length - 9, spec.service);
    if (message == 0)
        return 0;
    put_frame_header(out + length, static_cast<uint32_t>(message), http2::data, flag_end_stream, 1);
    return length + 9 + message;
}

void GrpcHealthCall::start() {
    outcome_ = Outcome::pending;
    problem_ = nullptr;
    reader_ = FrameReader{};
    hpack_.reset();
    received_ = excerpt_length_ = 0;
    settings_seen_ = goaway_seen_ = false;
    settings_frames_ = pings_ = 0;
    unacknowledged_data_ = error_code_ = 0;
    goaway_debug_length_ = control_length_ = 0;
    blocks_ = 0;
    in_block_ = block_ends_stream_ = false;
    http_status_ = -1;
    content_type_grpc_ = true;
    content_type_length_ = 0;
    grpc_status_ = -1;
    grpc_message_length_ = 0;
    prefix_length_ = message_have_ = 0;
    in_message_ = false;
    messages_ = 0;
    serving_status_ = 0;
    output_length_ = output_sent_ = 0;
}

void GrpcHealthCall::finish(Outcome outcome, const char* problem) {
    if (outcome_ != Outcome::pending)
        return;
    outcome_ = outcome;
    problem_ = problem;
}

void GrpcHealthCall::fail_flood(const char* what, int limit) {
    flood_limit_ = limit;
    finish(Outcome::flood, what);
}

void GrpcHealthCall::output_sent(size_t bytes) {
    output_sent_ += bytes;
    if (output_sent_ >= output_length_)
        output_sent_ = output_length_ = 0;
}

void GrpcHealthCall::queue(const char* bytes, size_t length) {
    // With at most grpc_max_receive_bytes received per call and the output
    // sent in between, the answers always fit: each answers a frame at least
    // as long. A caller that breaks the rule gets a verdict, not an overflow.
    if (sizeof output_ - output_length_ < length)
        return finish(Outcome::protocol_error, "more frames to answer than vigil can hold");
    for (size_t i = 0; i < length; ++i) output_[output_length_++] = bytes[i];
}

void GrpcHealthCall::queue_frame(uint8_t type, uint8_t flags, uint32_t stream_id,
                                 const char* payload, size_t length) {
    char header[9];
    put_frame_header(header, static_cast<uint32_t>(length), type, flags, stream_id);
    queue(header, sizeof header);
    queue(payload, length);
}

uint32_t GrpcHealthCall::control_word(size_t at) const {
    return uint32_t{control_[at]} << 24 | uint32_t{control_[at + 1]} << 16 |
           uint32_t{control_[at + 2]} << 8 | control_[at + 3];
}

void GrpcHealthCall::receive(std::string_view bytes) {
    received_ += bytes.size();
    for (size_t i = 0; i < bytes.size() && excerpt_length_ < sizeof excerpt_; ++i)
        excerpt_[excerpt_length_++] = bytes[i];
    while (!done()) {
        switch (reader_.next(bytes)) {
            case FrameReader::Event::need_more:
                return;
            case FrameReader::Event::error:
                if (reader_.frames_seen() == 1)
                    return finish(Outcome::not_http2);  // "HTTP/1.1 400 ..." is a huge length
                return finish(Outcome::protocol_error, reader_.error_text());
            case FrameReader::Event::frame_start:
                on_frame_start();
                break;
            case FrameReader::Event::content:
                on_content(reader_.content());
                break;
            case FrameReader::Event::frame_end:
                on_frame_end();
                break;
        }
    }
}

void GrpcHealthCall::connection_closed() {
    if (reader_.frames_seen() == 0 && received_ > 0)
        return finish(Outcome::not_http2);
    finish(Outcome::closed);
}

void GrpcHealthCall::on_frame_start() {
    const FrameHeader& frame = reader_.header();
    // §3.4: the server's preface is a SETTINGS frame. Anything else is
    // another protocol (an HTTP/1.1 server answers "HTTP/1.1 400").
    if (reader_.frames_seen() == 1 &&
        (frame.type != http2::settings || frame.stream_id != 0 || (frame.flags & flag_ack)))
        return finish(Outcome::not_http2);
    // §6.10: a header block is one run of frames on one stream.
    if (in_block_ && (frame.type != continuation || frame.stream_id != 1))
        return finish(Outcome::protocol_error, "a header block interrupted by another frame");
    control_length_ = 0;
    switch (frame.type) {
        case http2::data:
            if (frame.stream_id != 1)
                return finish(Outcome::protocol_error, "DATA on a stream vigil did not open");
            if (blocks_ != 1)
                return finish(Outcome::protocol_error, blocks_ == 0
                                                           ? "DATA before the response headers"
                                                           : "DATA after the trailers");
            unacknowledged_data_ += frame.length;  // padding counts too (§6.9.1)
            return;
        case http2::headers:
            if (frame.stream_id != 1)
                return finish(Outcome::protocol_error, "HEADERS on a stream vigil did not open");
            if (blocks_ == 2)
                return finish(Outcome::protocol_error, "HEADERS after the trailers");
            block_ends_stream_ = frame.flags & flag_end_stream;
            if (blocks_ == 1 && !block_ends_stream_)
                return finish(Outcome::protocol_error, "trailers without END_STREAM");
            in_block_ = true;
            block_bytes_ = field_bytes_ = 0;
            block_frames_ = 1;
            hpack_.begin_block();
            return;
        case continuation:
            if (!in_block_)
                return finish(Outcome::protocol_error, "CONTINUATION without HEADERS");
            if (++block_frames_ > max_block_frames)
                return fail_flood("CONTINUATION", max_block_frames);
            return;
        case http2::settings:
            if (frame.stream_id != 0)
                return finish(Outcome::protocol_error, "SETTINGS on a stream");
            if ((frame.flags & flag_ack) ? frame.length != 0 : frame.length % 6 != 0)
                return finish(Outcome::protocol_error, "a SETTINGS frame of a bad length");
            if (!(frame.flags & flag_ack) && ++settings_frames_ > max_settings_frames)
                return fail_flood("SETTINGS", max_settings_frames);
            return;
        case http2::ping:
            if (frame.stream_id != 0 || frame.length != 8)
                return finish(Outcome::protocol_error, "a PING frame not of 8 bytes on stream 0");
            if (!(frame.flags & flag_ack) && ++pings_ > max_pings)
                return fail_flood("PING", max_pings);
            return;
        case http2::goaway:
            if (frame.stream_id != 0 || frame.length < 8)
                return finish(Outcome::protocol_error, "a GOAWAY frame shorter than 8 bytes");
            goaway_debug_length_ = 0;
            return;
        case http2::rst_stream:
        case http2::window_update:
            if (frame.length != 4 || (frame.type == http2::rst_stream && frame.stream_id == 0))
                return finish(Outcome::protocol_error,
                              "a RST_STREAM or WINDOW_UPDATE frame not of 4 bytes");
            return;
        case http2::push_promise:
            return finish(Outcome::protocol_error, "PUSH_PROMISE, though vigil disabled push");
        default:
            return;  // PRIORITY, and types this code does not know (§5.5)
    }
}

void GrpcHealthCall::on_content(std::string_view piece) {
    switch (reader_.header().type) {
        case http2::headers:
        case continuation:
            block_bytes_ += piece.size();
            if (block_bytes_ > max_response_header_bytes)
                return finish(Outcome::headers_too_large);
            if (!hpack_.feed(piece, *this))
                finish(Outcome::protocol_error, hpack_.error_text());
            return;
        case http2::data:
            return on_data(piece);
        case http2::settings:
            for (char c : piece) {
                control_[control_length_++] = static_cast<unsigned char>(c);
                if (control_length_ == 6) {
                    on_setting();
                    control_length_ = 0;
                }
            }
            return;
        case http2::goaway:
        case http2::ping:
        case http2::rst_stream:
        case http2::window_update:
            for (char c : piece) {
                if (control_length_ < sizeof control_)
                    control_[control_length_++] = static_cast<unsigned char>(c);
                else if (goaway_debug_length_ < sizeof goaway_debug_)
                    goaway_debug_[goaway_debug_length_++] = c;
            }
            return;
        default:
            return;
    }
}

// §6.5.2: values out of range are connection errors. The others need
// nothing from vigil: its request went out whole with the first flight, and
// it never indexes into the server's HPACK table.
void GrpcHealthCall::on_setting() {
    uint32_t id = uint32_t{control_[0]} << 8 | control_[1];
    uint32_t value = control_word(2);
    if ((id == enable_push && value > 1) || (id == initial_window_size && value > 0x7fffffffu) ||
        (id == max_frame_size && (value < max_frame_size_floor || value > 0xffffffu)))
        finish(Outcome::protocol_error, "a SETTINGS value out of range");
}

void GrpcHealthCall::on_frame_end() {
    const FrameHeader& frame = reader_.header();
    bool ack = frame.flags & flag_ack;
    switch (frame.type) {
        case http2::headers:
        case continuation:
            if (!(frame.flags & flag_end_headers))
                return;
            in_block_ = false;
            if (!hpack_.end_block())
                return finish(Outcome::protocol_error, hpack_.error_text());
            ++blocks_;
            return on_header_block();
        case http2::data:
            if (frame.flags & flag_end_stream)
                return end_of_stream();
            if (unacknowledged_data_ >= window_update_threshold) {
                // §6.9: give the bytes back to the connection and the stream.
                char increment[4];
                for (int i = 0; i < 4; ++i)
                    increment[i] = static_cast<char>(unacknowledged_data_ >> (24 - 8 * i));
                queue_frame(window_update, 0, 0, increment, 4);
                queue_frame(window_update, 0, 1, increment, 4);
                unacknowledged_data_ = 0;
            }
            return;
        case http2::settings:
            settings_seen_ = true;
            if (!ack)
                queue_frame(http2::settings, flag_ack, 0, nullptr, 0);  // §6.5.3
            return;
        case http2::ping:
            if (!ack)  // §6.7: the same 8 bytes back
                queue_frame(http2::ping, flag_ack, 0, reinterpret_cast<const char*>(control_), 8);
            return;
        case http2::goaway: {
            // §6.8: a graceful GOAWAY (NO_ERROR) that covers stream 1 lets
            // the response finish; anything else ends the call.
            uint32_t last_stream = control_word(0) & 0x7fffffffu;
            error_code_ = control_word(4);
            goaway_seen_ = true;
            if (error_code_ != 0 || last_stream < 1)
                finish(Outcome::goaway);
            return;
        }
        case http2::rst_stream:
            if (frame.stream_id == 1) {
                error_code_ = control_word(0);
                finish(Outcome::rst_stream);
            }
            return;
        default:
            return;
    }
}

void GrpcHealthCall::on_field(std::string_view name, std::string_view value, bool complete) {
    // §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE's accounting: 32 bytes a field.
    field_bytes_ += name.size() + value.size() + 32;
    if (field_bytes_ > max_response_header_bytes || !complete)
        return finish(Outcome::headers_too_large);
    if (name == ":status" && blocks_ == 0) {
        auto status = parse_number_in<int>(value, 100, 999);
        http_status_ = status && value.size() == 3 ? *status : 0;
    } else if (name == "content-type") {
        // PROTOCOL-HTTP2.md: "application/grpc", maybe with "+proto" or
        // "+json" or parameters.
        content_type_grpc_ = value.substr(0, 16) == "application/grpc" &&
                             (value.size() == 16 || value[16] == '+' || value[16] == ';');
        content_type_length_ =
            value.size() < sizeof content_type_ ? value.size() : sizeof content_type_;
        std::memcpy(content_type_, value.data(), content_type_length_);
    } else if (name == "grpc-status") {
        auto status = parse_number_in<uint32_t>(value, 0, 0x7fffffff);
        grpc_status_ = status ? *status : -2;
    } else if (name == "grpc-message") {
        grpc_message_length_ =
            value.size() < sizeof grpc_message_ ? value.size() : sizeof grpc_message_;
        std::memcpy(grpc_message_, value.data(), grpc_message_length_);
    }
}

void GrpcHealthCall::on_header_block() {
    if (blocks_ == 1) {  // the response headers, or the whole of a trailers-only response
        if (http_status_ < 0)
            return finish(Outcome::protocol_error, "response headers without :status");
        if (http_status_ != 200)
            return finish(Outcome::http_status);
        if (!content_type_grpc_)
            return finish(Outcome::not_grpc);
    }
    if (block_ends_stream_)
        end_of_stream();
}

// PROTOCOL-HTTP2.md: Length-Prefixed-Message, a flag byte (1: compressed)
// and a 4-byte length. A unary response has exactly one.
void GrpcHealthCall::on_data(std::string_view piece) {
    while (!piece.empty() && !done()) {
        if (!in_message_) {
            prefix_[prefix_length_++] = static_cast<unsigned char>(piece[0]);
            piece.remove_prefix(1);
            if (prefix_length_ < sizeof prefix_)
                continue;
            if (messages_ > 0)
                return finish(Outcome::bad_message, "more than one response message");
            if (prefix_[0] != 0)
                return finish(Outcome::bad_message,
                              "a compressed message, though vigil asked for none");
            message_length_ = uint32_t{prefix_[1]} << 24 | uint32_t{prefix_[2]} << 16 |
                              uint32_t{prefix_[3]} << 8 | prefix_[4];
            if (message_length_ > sizeof message_)
                return finish(Outcome::bad_message, "a message too long for a HealthCheckResponse");
            in_message_ = true;
            message_have_ = 0;
        }
        size_t take = message_length_ - message_have_;
        if (take > piece.size())
            take = piece.size();
        std::memcpy(message_ + message_have_, piece.data(), take);
        message_have_ += take;
        piece.remove_prefix(take);
        if (message_have_ == message_length_) {
            ++messages_;
            in_message_ = false;
            prefix_length_ = 0;
        }
    }
}

void GrpcHealthCall::end_of_stream() {
    if (grpc_status_ == -1)
        return finish(Outcome::no_grpc_status);
    if (grpc_status_ == -2)
        return finish(Outcome::protocol_error, "a grpc-status that is not a number");
    if (grpc_status_ != 0)
        return finish(Outcome::grpc_status);
    if (in_message_ || prefix_length_ > 0)
        return finish(Outcome::bad_message, "the response message is cut short");
    if (messages_ == 0)
        return finish(Outcome::bad_message, "status OK without a HealthCheckResponse");
    if (const char* error = grpc::parse_health_response(std::string_view(message_, message_length_),
                                                        serving_status_))
        return finish(Outcome::bad_message, error);
    finish(Outcome::serving_status);
}

namespace {

// Appends " \"TEXT\"" (escaped, cut to fit) at the end of the summary in
// `out`.
void append_quoted(char* out, size_t size, const char* before, std::string_view text) {
    size_t length = std::strlen(out);
    length += static_cast<size_t>(format_into(out + length, size - length, "%s\"", before));
    if (length + 2 >= size)
        return;
    length += escape_for_line(text, out + length, size - length - 1);
    format_into(out + length, size - length, "\"");
}

const char* error_code_text(uint32_t code, char* buffer, size_t size) {
    if (const char* name = error_code_name(code))
        return name;
    format_into(buffer, size, "0x%x", code);
    return buffer;
}

}  // namespace

void GrpcHealthCall::describe(char* out, size_t size, const char* peer, const char* elapsed) const {
    char number[16];
    switch (outcome_) {
        case Outcome::pending:
            format_into(out, size, "unhealthy: no answer yet from %s", peer);
            return;
        case Outcome::serving_status: {
            const char* name = grpc::serving_status_name(serving_status_);
            if (!name) {
                format_into(number, sizeof number, "serving status %u", serving_status_);
                name = number;
            }
            format_into(out, size, "%s: gRPC %s from %s in %s", healthy() ? "healthy" : "unhealthy",
                        name, peer, elapsed);
            return;
        }
        case Outcome::grpc_status: {
            auto code = static_cast<uint32_t>(grpc_status_);
            const char* name = grpc::status_code_name(code);
            if (!name) {
                format_into(number, sizeof number, "%u", code);
                name = number;
            }
            format_into(out, size, "unhealthy: gRPC status %s from %s", name, peer);
            if (grpc_message_length_ > 0) {
                char message[sizeof grpc_message_];
                size_t length = grpc::percent_decode(
                    std::string_view(grpc_message_, grpc_message_length_), message, sizeof message);
                size_t at = std::strlen(out);
                if (at + 3 < size) {
                    format_into(out + at, size - at, ": ");
                    escape_for_line(std::string_view(message, length), out + at + 2, size - at - 2);
                }
            }
            return;
        }
        case Outcome::not_http2: {
            std::string_view first(excerpt_, excerpt_length_);
            first = first.substr(0, first.find_first_of("\r\n"));
            format_into(out, size, "unhealthy: not an HTTP/2 server at %s", peer);
            append_quoted(out, size, ": ", first);
            return;
        }
        case Outcome::http_status:
            format_into(out, size, "unhealthy: HTTP/2 status %d from %s, not a gRPC response",
                        http_status_, peer);
            return;
        case Outcome::not_grpc:
            format_into(out, size, "unhealthy: not a gRPC response from %s", peer);
            append_quoted(out, size, ": content-type ",
                          std::string_view(content_type_, content_type_length_));
            return;
        case Outcome::goaway:
            format_into(out, size, "unhealthy: GOAWAY from %s (error %s)", peer,
                        error_code_text(error_code_, number, sizeof number));
            if (goaway_debug_length_ > 0)
                append_quoted(out, size, ": ",
                              std::string_view(goaway_debug_, goaway_debug_length_));
            return;
        case Outcome::rst_stream:
            format_into(out, size, "unhealthy: RST_STREAM from %s (error %s)", peer,
                        error_code_text(error_code_, number, sizeof number));
            return;
        case Outcome::protocol_error:
            format_into(out, size, "unhealthy: HTTP/2 protocol error from %s: %s", peer, problem_);
            return;
        case Outcome::headers_too_large:
            format_into(out, size, "unhealthy: response headers from %s exceed 16 KiB", peer);
            return;
        case Outcome::flood:
            format_into(out, size, "unhealthy: %s flood from %s (more than %d frames)", problem_,
                        peer, flood_limit_);
            return;
        case Outcome::bad_message:
            format_into(out, size, "unhealthy: bad gRPC response from %s: %s", peer, problem_);
            return;
        case Outcome::no_grpc_status:
            format_into(out, size, "unhealthy: gRPC response from %s ended without grpc-status",
                        peer);
            return;
        case Outcome::closed:
            if (received_ == 0)
                format_into(out, size, "unhealthy: connection closed by %s without a response",
                            peer);
            else if (goaway_seen_)
                format_into(out, size,
                            "unhealthy: connection closed by %s after GOAWAY (error %s), before "
                            "the gRPC response ended",
                            peer, error_code_text(error_code_, number, sizeof number));
            else
                format_into(out, size,
                            "unhealthy: connection closed by %s after %zu bytes, before the gRPC "
                            "response ended",
                            peer, received_);
            return;
    }
}

void GrpcHealthCall::describe_timeout(char* out, size_t size, const char* timeout,
                                      const char* peer) const {
    if (received_ == 0)
        format_into(out, size, "unhealthy: timed out after %s waiting for a response from %s",
                    timeout, peer);
    else if (!settings_seen_)
        format_into(out, size,
                    "unhealthy: timed out after %s waiting for HTTP/2 SETTINGS from %s (%zu "
                    "bytes received)",
                    timeout, peer, received_);
    else if (blocks_ == 0 && !in_block_)
        format_into(out, size,
                    "unhealthy: timed out after %s waiting for the gRPC response from %s", timeout,
                    peer);
    else
        format_into(out, size,
                    "unhealthy: timed out after %s reading the gRPC response from %s (%zu bytes "
                    "received)",
                    timeout, peer, received_);
}

}  // namespace vigil
