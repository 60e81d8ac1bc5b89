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

// What every first flight starts with, as one constant: the preface (§3.4),
// SETTINGS with what vigil can hold (§6.5.2), room for the HEADERS frame
// header, and the constant start of the header block in PROTOCOL-HTTP2.md's
// order: the pseudo-header fields, then content-type and te. Every field is a literal without
// indexing (RFC 7541 §6.2.2), so vigil keeps no encoder table; names are static-table indexes where
// the table has them.
constexpr char first_flight[] =
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    "\0\0\x18\x04\0\0\0\0\0"  // SETTINGS, 24 bytes, stream 0
    "\0\x01\0\0\x10\0"        // HEADER_TABLE_SIZE 4096
    "\0\x02\0\0\0\0"          // ENABLE_PUSH 0
    "\0\x05\0\0\x40\0"        // MAX_FRAME_SIZE 16384
    "\0\x06\0\0\x40\0"        // MAX_HEADER_LIST_SIZE 16384
    "\0\0\0\0\0\0\0\0\0"      // the HEADERS frame header, once the block's length is known
    "\x83"                    // :method: POST (static index 3)
    "\x86"                    // :scheme: http (6)
    "\x04\x1c"                // :path (4), 28 bytes
    "/grpc.health.v1.Health/Check";
// After :authority, since pseudo-header fields come first (RFC 9113 §8.3).
constexpr char after_authority[] =
    "\x0f\x10\x10"  // content-type (31 = 15 + 16), 16 bytes
    "application/grpc"
    "\0\x02te\x08trailers";
constexpr size_t header_block_start = 24 + 9 + 24 + 9;
constexpr uint32_t index_authority = 1;
constexpr uint32_t index_user_agent = 58;

std::string_view header_value(std::string_view header) {
    std::string_view value = header.substr(header.find(':') + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
}

}  // namespace

size_t build_grpc_request(const GrpcCallSpec& spec, int64_t timeout_ms, char* out, size_t size) {
    size_t length = sizeof first_flight - 1;
    if (size < length)
        return 0;
    std::memcpy(out, first_flight, length);
    char timeout[16];
    grpc::format_timeout(timeout_ms, timeout, sizeof timeout);
    // A -H Host header is the :authority, a User-Agent replaces vigil's;
    // the others follow as metadata.
    std::string_view authority = spec.authority;
    std::string_view user_agent = "vigil-probe/" VIGIL_VERSION;
    for (int pass = 0; pass < 2; ++pass) {
        for (std::string_view header : spec.headers) {
            size_t colon = header.find(':');
            std::string_view name(header.data(), colon);
            std::string_view value = header_value(header);
            int replaces = find_string(name, "host\0user-agent\0", true);
            bool is_host = replaces == 0;
            bool is_user_agent = replaces == 1;
            if (pass == 0) {
                if (is_host)
                    authority = value;
                if (is_user_agent)
                    user_agent = value;
            } else if (length && !is_host && !is_user_agent) {
                length = hpack_put_literal(out, size, length, 0, name, value);
            }
        }
        if (pass == 0 && length) {
            length = hpack_put_literal(out, size, length, index_authority, "", authority);
            if (length && size - length >= sizeof after_authority - 1) {
                std::memcpy(out + length, after_authority, sizeof after_authority - 1);
                length += sizeof after_authority - 1;
            } else {
                length = 0;
            }
            if (length)
                length = hpack_put_literal(out, size, length, 0, "grpc-timeout", timeout);
            if (length)
                length = hpack_put_literal(out, size, length, index_user_agent, "", user_agent);
        }
    }
    // One HEADERS frame holds the block (at most 8 KiB: far below the frame
    // size every server accepts); DATA with the HealthCheckRequest ends the
    // stream.
    if (length == 0 || size - length < 9)
        return 0;
    put_frame_header(out + header_block_start - 9,
                     static_cast<uint32_t>(length - header_block_start), http2::headers,
                     flag_end_headers, 1);
    size_t message = grpc::put_health_request(out + length + 9, size - length - 9, spec.service);
    if (message == 0)
        return 0;
    put_frame_header(out + length, static_cast<uint32_t>(message), http2::data, flag_end_stream, 1);
    return length + 9 + message;
}

void GrpcHealthCall::start() {
    state_ = State{};
    reader_ = FrameReader{};
    hpack_.reset();
}

void GrpcHealthCall::finish(Outcome outcome, const char* problem) {
    if (state_.outcome != Outcome::pending)
        return;
    state_.outcome = outcome;
    state_.problem = problem;
}

// A protocol error that names the frame: "DATA" + " before the response
// headers".
void GrpcHealthCall::frame_error(const char* problem) {
    state_.problem_names_frame = true;
    state_.frame_type = reader_.header().type;
    finish(Outcome::protocol_error, problem);
}

// Too many frames of the current type: SETTINGS, PING or CONTINUATION.
void GrpcHealthCall::flood(int limit) {
    state_.frame_type = reader_.header().type;
    state_.flood_limit = limit;
    finish(Outcome::flood);
}

void GrpcHealthCall::output_sent(size_t bytes) {
    state_.output_sent += bytes;
    if (state_.output_sent >= state_.output_length)
        state_.output_sent = state_.output_length = 0;
}

void GrpcHealthCall::queue_frame(uint8_t type, uint8_t flags, uint32_t stream_id,
                                 const char* payload, size_t length) {
    // With at most grpc_max_receive_bytes received per call and the output
    // sent in between, the answers always fit: each answers a frame at least
    // as long. A caller that breaks the rule gets a verdict, not an overflow.
    if (sizeof output_ - state_.output_length < 9 + length)
        return finish(Outcome::protocol_error, "more frames to answer than vigil can hold");
    put_frame_header(output_ + state_.output_length, static_cast<uint32_t>(length), type, flags,
                     stream_id);
    for (size_t i = 0; i < length; ++i) output_[state_.output_length + 9 + i] = payload[i];
    state_.output_length += 9 + length;
}

uint32_t GrpcHealthCall::control_word(size_t at) const {
    return uint32_t{control_[at]} << 24 | uint32_t{control_[at + 1]} << 16 |
           uint32_t{control_[at + 2]} << 8 | control_[at + 3];
}

void GrpcHealthCall::receive(std::string_view bytes) {
    state_.received += bytes.size();
    for (size_t i = 0; i < bytes.size() && state_.excerpt_length < sizeof excerpt_; ++i)
        excerpt_[state_.excerpt_length++] = bytes[i];
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
    // Some bytes, but not even a frame header: what were they?
    finish(reader_.frames_seen() == 0 && state_.received > 0 ? Outcome::not_http2
                                                             : Outcome::closed);
}

void GrpcHealthCall::on_frame_start() {
    const FrameHeader& frame = reader_.header();
    bool ack = frame.flags & flag_ack;
    bool on_stream_zero = frame.stream_id == 0;
    // §3.4: the server's preface is a SETTINGS frame. Anything else is
    // another protocol (an HTTP/1.1 server answers "HTTP/1.1 400").
    if (reader_.frames_seen() == 1 && (frame.type != http2::settings || !on_stream_zero || ack))
        return finish(Outcome::not_http2);
    // §6.10: a header block is one run of frames on one stream.
    if (state_.in_block && (frame.type != continuation || frame.stream_id != 1))
        return frame_error(" inside a header block");
    state_.control_length = 0;
    // §6: the shape of each frame type; a frame of another shape is a
    // connection error.
    bool malformed = false;
    switch (frame.type) {
        case http2::data:
        case http2::headers:
            if (frame.stream_id != 1)
                return frame_error(" on a stream vigil did not open");
            if (state_.blocks == 2)
                return frame_error(" after the trailers");
            if (frame.type == http2::data) {
                if (state_.blocks == 0)
                    return frame_error(" before the response headers");
                state_.unacknowledged_data += frame.length;  // padding counts (§6.9.1)
                return;
            }
            state_.block_ends_stream = frame.flags & flag_end_stream;
            if (state_.blocks == 1 && !state_.block_ends_stream)
                return frame_error(" of trailers without END_STREAM");
            state_.in_block = true;
            state_.block_bytes = state_.field_bytes = 0;
            state_.block_frames = 0;
            hpack_.begin_block();
            [[fallthrough]];
        case continuation:
            if (!state_.in_block)
                return frame_error(" without HEADERS");
            if (++state_.block_frames > max_block_frames) {
                return flood(max_block_frames);
            }
            return;
        case http2::settings:
            malformed = !on_stream_zero || (ack ? frame.length != 0 : frame.length % 6 != 0);
            if (!malformed && !ack && ++state_.settings_frames > max_settings_frames) {
                return flood(max_settings_frames);
            }
            break;
        case http2::ping:
            malformed = !on_stream_zero || frame.length != 8;
            if (!malformed && !ack && ++state_.pings > max_pings) {
                return flood(max_pings);
            }
            break;
        case http2::goaway:
            malformed = !on_stream_zero || frame.length < 8;
            break;
        case http2::rst_stream:
            malformed = on_stream_zero || frame.length != 4;
            break;
        case http2::window_update:
            malformed = frame.length != 4;
            break;
        case http2::push_promise:
            return frame_error(" though vigil disabled server push");
        default:
            return;  // PRIORITY, and types this code does not know (§5.5)
    }
    if (malformed)
        frame_error(" of a wrong length or on a wrong stream");
}

void GrpcHealthCall::on_content(std::string_view piece) {
    switch (reader_.header().type) {
        case http2::headers:
        case continuation:
            state_.block_bytes += piece.size();
            if (state_.block_bytes > max_response_header_bytes)
                return finish(Outcome::headers_too_large);
            if (!hpack_.feed(
                    piece,
                    {[](void* self, std::string_view name, std::string_view value, bool complete) {
                         static_cast<GrpcHealthCall*>(self)->on_field(name, value, complete);
                     },
                     this}))
                finish(Outcome::protocol_error, hpack_.error_text());
            return;
        case http2::data:
            return on_data(piece);
        case http2::settings:
            // §6.5.2: values out of range are connection errors. The rest
            // need nothing from vigil: its request went out whole with the
            // first flight, and it never indexes into the server's table.
            for (char c : piece) {
                control_[state_.control_length++] = static_cast<unsigned char>(c);
                if (state_.control_length < 6)
                    continue;
                state_.control_length = 0;
                uint32_t id = uint32_t{control_[0]} << 8 | control_[1];
                uint32_t value = control_word(2);
                if ((id == enable_push && value > 1) ||
                    (id == initial_window_size && value > 0x7fffffffU) ||
                    (id == max_frame_size && (value < max_frame_size_floor || value > 0xffffffU)))
                    return frame_error(" with a value out of range");
            }
            return;
        case http2::goaway:
        case http2::ping:
        case http2::rst_stream:
        case http2::window_update:
            for (char c : piece) {
                if (state_.control_length < sizeof control_)
                    control_[state_.control_length++] = static_cast<unsigned char>(c);
                else if (state_.goaway_debug_length < sizeof goaway_debug_)
                    goaway_debug_[state_.goaway_debug_length++] = c;
            }
            return;
        default:
            return;
    }
}

void GrpcHealthCall::on_frame_end() {
    const FrameHeader& frame = reader_.header();
    bool ack = frame.flags & flag_ack;
    switch (frame.type) {
        case http2::headers:
        case continuation:
            if (!(frame.flags & flag_end_headers))
                return;
            state_.in_block = false;
            if (!hpack_.end_block())
                return finish(Outcome::protocol_error, hpack_.error_text());
            ++state_.blocks;
            return on_header_block();
        case http2::data:
            if (frame.flags & flag_end_stream)
                return end_of_stream();
            if (state_.unacknowledged_data >= window_update_threshold) {
                // §6.9: give the bytes back to the connection and the stream.
                char increment[4];
                for (int i = 0; i < 4; ++i)
                    increment[i] = static_cast<char>(state_.unacknowledged_data >> (24 - 8 * i));
                queue_frame(window_update, 0, 0, increment, 4);
                queue_frame(window_update, 0, 1, increment, 4);
                state_.unacknowledged_data = 0;
            }
            return;
        case http2::settings:
            state_.settings_seen = true;
            if (!ack)
                queue_frame(http2::settings, flag_ack, 0, nullptr, 0);  // §6.5.3
            return;
        case http2::ping:
            if (!ack)  // §6.7: the same 8 bytes back
                queue_frame(http2::ping, flag_ack, 0, reinterpret_cast<const char*>(control_), 8);
            return;
        case http2::goaway:
            // §6.8: a graceful GOAWAY (NO_ERROR) that covers stream 1 lets
            // the response finish; anything else ends the call.
            state_.error_code = control_word(4);
            state_.goaway_seen = true;
            if (state_.error_code != 0 || (control_word(0) & 0x7fffffffU) < 1)
                finish(Outcome::goaway);
            return;
        case http2::rst_stream:
            if (frame.stream_id == 1) {
                state_.error_code = control_word(0);
                finish(Outcome::rst_stream);
            }
            return;
        default:
            return;
    }
}

void GrpcHealthCall::on_field(std::string_view name, std::string_view value, bool complete) {
    // §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE's accounting: 32 bytes a field.
    state_.field_bytes += name.size() + value.size() + 32;
    if (state_.field_bytes > max_response_header_bytes || !complete)
        return finish(Outcome::headers_too_large);
    auto copy = [&](char* to, size_t capacity, size_t& length) {
        length = value.size() < capacity ? value.size() : capacity;
        std::memcpy(to, value.data(), length);
    };
    switch (find_string(name, ":status\0content-type\0grpc-status\0grpc-message\0")) {
        case 0:
            if (state_.blocks == 0) {
                auto status = parse_number_in<uint32_t>(value, 100, 999);
                state_.http_status = status && value.size() == 3 ? *status : 0;
            }
            break;
        case 1:
            // PROTOCOL-HTTP2.md: "application/grpc", maybe with "+proto" or
            // "+json", or parameters.
            state_.content_type_not_grpc =
                !value.starts_with("application/grpc") ||
                (value.size() > 16 && value[16] != '+' && value[16] != ';');
            copy(content_type_, sizeof content_type_, state_.content_type_length);
            break;
        case 2: {
            auto status = parse_number_in<uint32_t>(value, 0, 0x7fffffff);
            state_.grpc_status_seen = true;
            state_.grpc_status_bad = !status;
            state_.grpc_status = status ? *status : 0;
            break;
        }
        case 3:
            copy(grpc_message_, sizeof grpc_message_, state_.grpc_message_length);
            break;
    }
}

void GrpcHealthCall::on_header_block() {
    if (state_.blocks == 1) {  // the response headers, or all of a trailers-only response
        if (state_.http_status != 200)
            return finish(Outcome::http_status);
        if (state_.content_type_not_grpc)
            return finish(Outcome::not_grpc);
    }
    if (state_.block_ends_stream)
        end_of_stream();
}

// PROTOCOL-HTTP2.md: Length-Prefixed-Message, a flag byte (1: compressed)
// and a 4-byte length. A unary response has exactly one.
void GrpcHealthCall::on_data(std::string_view piece) {
    while (!piece.empty() && !done()) {
        if (!state_.in_message) {
            prefix_[state_.prefix_length++] = static_cast<unsigned char>(piece[0]);
            piece.remove_prefix(1);
            if (state_.prefix_length < sizeof prefix_)
                continue;
            state_.message_length = uint32_t{prefix_[1]} << 24 | uint32_t{prefix_[2]} << 16 |
                                    uint32_t{prefix_[3]} << 8 | prefix_[4];
            if (state_.messages > 0)
                return finish(Outcome::bad_message, "more than one response message");
            if (prefix_[0] != 0)
                return finish(Outcome::bad_message,
                              "a compressed message, though vigil asked for none");
            if (state_.message_length > sizeof message_)
                return finish(Outcome::bad_message, "a message too long for a HealthCheckResponse");
            state_.in_message = true;
            state_.message_have = 0;
        }
        size_t take = state_.message_length - state_.message_have;
        if (take > piece.size())
            take = piece.size();
        std::memcpy(message_ + state_.message_have, piece.data(), take);
        state_.message_have += take;
        piece.remove_prefix(take);
        if (state_.message_have == state_.message_length) {
            ++state_.messages;
            state_.in_message = false;
            state_.prefix_length = 0;
        }
    }
}

void GrpcHealthCall::end_of_stream() {
    if (!state_.grpc_status_seen)
        return finish(Outcome::no_grpc_status);
    if (state_.grpc_status_bad)
        return finish(Outcome::protocol_error, "a grpc-status that is not a number");
    if (state_.grpc_status != 0)
        return finish(Outcome::grpc_status);
    if (state_.in_message || state_.prefix_length > 0 || state_.messages == 0)
        return finish(Outcome::bad_message, "status OK without a whole HealthCheckResponse");
    if (const char* error = grpc::parse_health_response(
            std::string_view(message_, state_.message_length), state_.serving_status))
        return finish(Outcome::bad_message, error);
    finish(Outcome::serving_status);
}

namespace {

// The summaries, one per Outcome in its order and then two variants. Each
// takes the same five strings: the verdict, a name, the peer, a detail and
// its end; "%.0s" takes a string and prints none of it, where a summary
// has no name. One table and one call to format them: a switch that set the
// pieces of each summary apart cost three times as much code.
constexpr char summary_formats[] =
    "%s: connection closed%.0s by %s without a response\0"       // pending (not asked for)
    "%s: gRPC %s from %s in %s\0"                                // serving_status
    "%s: gRPC status %s from %s\0"                               // grpc_status
    "%s: not an HTTP/2 server%.0s at %s\0"                       // not_http2
    "%s: HTTP/2 status %s from %s, not a gRPC response\0"        // http_status
    "%s: not a gRPC response%.0s from %s\0"                      // not_grpc
    "%s: GOAWAY%.0s from %s (error %s)\0"                        // goaway
    "%s: RST_STREAM%.0s from %s (error %s)\0"                    // rst_stream
    "%s: HTTP/2 protocol error%.0s from %s: %s%s\0"              // protocol_error
    "%s: response headers%.0s from %s exceed 16 KiB\0"           // headers_too_large
    "%s: %s flood from %s (more than %s frames)\0"               // flood
    "%s: bad gRPC response%.0s from %s: %s\0"                    // bad_message
    "%s: gRPC response%.0s from %s ended without grpc-status\0"  // no_grpc_status
    "%s: connection closed%.0s by %s without a response\0"       // closed
    "%s: connection closed%.0s by %s after %s bytes, before the gRPC response ended\0"
    "%s: gRPC serving status %s from %s in %s\0";  // a serving status without a name
constexpr unsigned closed_after_bytes = 14;
constexpr unsigned serving_status_number = 15;

}  // namespace

// Every summary has one shape, "VERDICT: WHAT NAME from PEER DETAIL", with
// " at " or " by " in a few, and the server's own words, escaped, last.
void GrpcHealthCall::describe(char* out, size_t size, const char* peer, const char* elapsed) const {
    auto format = static_cast<unsigned>(state_.outcome);
    // A code or count that has no name (null from the lookups) is printed
    // as a number.
    uint32_t number = 0;
    const char* name = "";
    const char* detail = "";
    const char* detail_end = "";
    std::string_view quoted;  // the server's text, if any
    const char* quote_before = ": \"";
    switch (state_.outcome) {
        case Outcome::serving_status:
            number = state_.serving_status;
            name = grpc::serving_status_name(number);
            if (!name)
                format = serving_status_number;
            detail = elapsed;
            break;
        case Outcome::grpc_status:
            number = state_.grpc_status;
            name = grpc::status_code_name(number);
            quoted = std::string_view(grpc_message_, state_.grpc_message_length);
            quote_before = nullptr;  // percent-decoded, unquoted
            break;
        case Outcome::not_http2:
            quoted = std::string_view(excerpt_, state_.excerpt_length);
            quoted = quoted.substr(0, quoted.find_first_of("\r\n"));
            break;
        case Outcome::http_status:
            number = state_.http_status;
            name = nullptr;
            break;
        case Outcome::not_grpc:
            quote_before = ": content-type \"";
            quoted = std::string_view(content_type_, state_.content_type_length);
            break;
        case Outcome::goaway:
        case Outcome::rst_stream:
            number = state_.error_code;
            detail = error_code_name(number);
            quoted = std::string_view(goaway_debug_, state_.goaway_debug_length);
            break;
        case Outcome::protocol_error:
            // A frame_error()'s problem follows the frame's name.
            detail = state_.problem_names_frame ? frame_type_name(state_.frame_type) : "";
            detail_end = state_.problem;
            break;
        case Outcome::flood:
            name = frame_type_name(state_.frame_type);
            number = static_cast<uint32_t>(state_.flood_limit);
            detail = nullptr;
            break;
        case Outcome::bad_message:
            detail = state_.problem;
            break;
        case Outcome::pending:
        case Outcome::closed:
            if (state_.received) {
                format = closed_after_bytes;
                number = static_cast<uint32_t>(state_.received);
                detail = nullptr;
            }
            break;
        case Outcome::headers_too_large:
        case Outcome::no_grpc_status:
            break;
    }
    char number_text[16];
    format_into(number_text, sizeof number_text, "%u", number);
    auto at = static_cast<size_t>(format_into(
        out, size, nth_string(summary_formats, format), healthy() ? "healthy" : "unhealthy",
        name ? name : number_text, peer, detail ? detail : number_text, detail_end));
    if (quoted.empty() || at + 4 >= size)
        return;
    char decoded[sizeof grpc_message_];
    if (!quote_before) {  // grpc-message is percent-encoded (PROTOCOL-HTTP2.md)
        quoted = std::string_view(decoded, grpc::percent_decode(quoted, decoded, sizeof decoded));
        quote_before = ": ";
    }
    at += static_cast<size_t>(format_into(out + at, size - at, "%s", quote_before));
    if (at + 2 >= size)
        return;
    bool in_quotes = quote_before[std::strlen(quote_before) - 1] == '"';
    at += escape_for_line(quoted, out + at, size - at - (in_quotes ? 1 : 0));
    if (in_quotes)
        format_into(out + at, size - at, "\"");
}

void GrpcHealthCall::describe_timeout(char* out, size_t size, const char* timeout,
                                      const char* peer) const {
    const char* waiting = state_.received == 0    ? "waiting for a response from"
                          : !state_.settings_seen ? "waiting for HTTP/2 SETTINGS from"
                          : state_.blocks == 0 && !state_.in_block
                              ? "waiting for the gRPC response from"
                              : "reading the gRPC response from";
    size_t length = static_cast<size_t>(
        format_into(out, size, "unhealthy: timed out after %s %s %s", timeout, waiting, peer));
    if (state_.received > 0 && length < size)
        format_into(out + length, size - length, " (%zu bytes received)", state_.received);
}

}  // namespace vigil
