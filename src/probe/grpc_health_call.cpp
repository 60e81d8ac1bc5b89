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

// "Name: value" (check_header() saw the colon): the name, and the value
// without the blanks around it.
std::string_view split_header(const char* header, std::string_view& name) {
    const char* colon = std::strchr(header, ':');
    name = {header, static_cast<size_t>(colon - header)};
    const char* value = colon + 1;
    const char* end = value + std::strlen(value);
    while (value < end && (*value == ' ' || *value == '\t')) ++value;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) --end;
    return {value, static_cast<size_t>(end - value)};
}

char* put_bytes(char* out, const char* bytes, size_t length) {
    std::memcpy(out, bytes, length);
    return out + length;
}

}  // namespace

size_t build_grpc_request(const GrpcCallSpec& spec, int64_t timeout_ms, char* out, size_t size) {
    // A -H Host header is the :authority, a User-Agent replaces vigil's;
    // the others follow as metadata. The most the request can take is
    // checked once, so the writes need no checks: the constant parts, the
    // strings, and for each field a byte for its representation and three
    // for each string's length (which stays below 2^14).
    std::string_view authority = spec.authority;
    std::string_view user_agent = "vigil-probe/" VIGIL_VERSION;
    size_t most = sizeof first_flight + sizeof after_authority + 64 + authority.size() +
                  user_agent.size() + spec.service.size();
    for (const char* header : spec.headers) {
        std::string_view name;
        std::string_view value = split_header(header, name);
        switch (find_string(name, "host\0user-agent\0", true)) {
            case 0:
                authority = value;
                break;
            case 1:
                user_agent = value;
                break;
        }
        most += std::strlen(header) + 7;
    }
    if (most > size)
        return 0;
    char timeout[16];
    grpc::format_timeout(timeout_ms, timeout, sizeof timeout);
    char* at = put_bytes(out, first_flight, sizeof first_flight - 1);
    at = hpack_put_literal(at, index_authority, "", authority);
    at = put_bytes(at, after_authority, sizeof after_authority - 1);
    at = hpack_put_literal(at, 0, "grpc-timeout", timeout);
    at = hpack_put_literal(at, index_user_agent, "", user_agent);
    for (const char* header : spec.headers) {
        std::string_view name;
        std::string_view value = split_header(header, name);
        if (find_string(name, "host\0user-agent\0", true) < 0)
            at = hpack_put_literal(at, 0, name, value);
    }
    // One HEADERS frame holds the block (at most 8 KiB: far below the frame
    // size every server accepts); DATA with the HealthCheckRequest ends the
    // stream.
    put_frame_header(out + header_block_start - 9,
                     static_cast<uint32_t>(at - out - header_block_start), http2::headers,
                     flag_end_headers, 1);
    char* end = grpc::put_health_request(at + 9, spec.service);
    put_frame_header(at, static_cast<uint32_t>(end - at - 9), http2::data, flag_end_stream, 1);
    return static_cast<size_t>(end - out);
}

void GrpcHealthCall::start() {
    state_ = State{};
    reader_.reset();
    hpack_.reset();
}

// The first outcome counts. `name` and `detail` (empty when null) are
// pieces of its summary.
void GrpcHealthCall::finish(Outcome outcome, const char* name, const char* detail) {
    if (done())
        return;
    state_.outcome = outcome;
    state_.name = name ? name : "";
    state_.detail = detail ? detail : "";
}

// A code or count by its name in `names`, or else as a number after
// `prefix` ("serving status 7").
const char* GrpcHealthCall::name_or_number(const char* names, uint32_t number, const char* prefix) {
    if (const char* name = nth_string(names, number))
        return name;
    format_into(state_.number, sizeof state_.number, "%s%u", prefix, number);
    return state_.number;
}

void GrpcHealthCall::keep_text(std::string_view text) {
    state_.text_length = text.size() < sizeof text_ ? text.size() : sizeof text_;
    std::memcpy(text_, text.data(), state_.text_length);
}

// What answered is not HTTP/2: its first line ("HTTP/1.1 400 Bad Request")
// tells what it is.
void GrpcHealthCall::not_http2() {
    size_t length = 0;
    while (length < state_.text_length && text_[length] != '\r' && text_[length] != '\n') ++length;
    state_.text_length = length;
    finish(Outcome::not_http2);
}

// A protocol error, which names the frame ("DATA" + " before the response
// headers") when it is about one.
void GrpcHealthCall::frame_error(const char* problem, bool names_frame) {
    if (done())
        return;
    finish(Outcome::protocol_error, nullptr,
           names_frame ? frame_type_name(reader_.header().type) : nullptr);
    state_.detail_end = problem;
}

// Too many frames of the current type: SETTINGS, PING or CONTINUATION.
void GrpcHealthCall::flood(int limit) {
    finish(Outcome::flood, frame_type_name(reader_.header().type),
           name_or_number("", static_cast<uint32_t>(limit)));
}

void GrpcHealthCall::output_sent(size_t bytes) {
    state_.output_sent += bytes;
    if (state_.output_sent >= state_.output_length)
        state_.output_sent = state_.output_length = 0;
}

// Adds a frame to the output and returns where its payload goes. With at
// most grpc_max_receive_bytes received per call and the output sent in
// between, the answers always fit: each answers a frame at least as long.
// A caller that breaks the rule gets a verdict, not an overflow.
char* GrpcHealthCall::queue_frame(uint8_t type, uint8_t flags, uint32_t stream_id, size_t length) {
    if (sizeof output_ - state_.output_length < 9 + length) {
        frame_error("more frames to answer than vigil can hold", false);
        return nullptr;
    }
    char* frame = output_ + state_.output_length;
    put_frame_header(frame, static_cast<uint32_t>(length), type, flags, stream_id);
    state_.output_length += 9 + length;
    return frame + 9;
}

void GrpcHealthCall::receive(std::string_view bytes) {
    state_.received += bytes.size();
    // Until the server's SETTINGS, the first bytes may be another protocol's.
    for (size_t i = 0; i < bytes.size() && !state_.settings_seen && state_.text_length < 40; ++i)
        text_[state_.text_length++] = bytes[i];
    while (!done()) {
        switch (reader_.next(bytes)) {
            case FrameReader::Event::need_more:
                return;
            case FrameReader::Event::error:
                if (!state_.settings_seen)
                    return not_http2();  // "HTTP/1.1 400 ..." is a huge length
                return frame_error(reader_.error_text(), false);
            case FrameReader::Event::header:
                on_frame_header();
                break;
            case FrameReader::Event::frame:
                on_frame();
                break;
        }
    }
}

void GrpcHealthCall::connection_closed() {
    // Some bytes, but not even a frame header: what were they?
    if (state_.received > 0 && state_.received < 9)
        return not_http2();
    finish(Outcome::closed, nullptr, name_or_number("", static_cast<uint32_t>(state_.received)));
}

// §6: what each frame type must look like, checked by its header, so that a
// frame of the wrong shape is refused before its payload arrives.
void GrpcHealthCall::on_frame_header() {
    const FrameHeader& frame = reader_.header();
    bool ack = frame.flags & flag_ack;
    bool on_stream_zero = frame.stream_id == 0;
    // §3.4: the server's preface is a SETTINGS frame. Anything else is
    // another protocol (an HTTP/1.1 server answers "HTTP/1.1 400").
    if (!state_.settings_seen && (frame.type != http2::settings || !on_stream_zero || ack))
        return not_http2();
    // §6.10: a header block is one run of frames on one stream.
    if (state_.in_block && (frame.type != continuation || frame.stream_id != 1))
        return frame_error(" inside a header block");
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
                return;
            }
            state_.block_ends_stream = frame.flags & flag_end_stream;
            if (state_.blocks == 1 && !state_.block_ends_stream)
                return frame_error(" of trailers without END_STREAM");
            state_.in_block = true;
            state_.block_frames = 0;
            [[fallthrough]];
        case continuation:
            if (!state_.in_block)
                return frame_error(" without HEADERS");
            if (++state_.block_frames > max_block_frames)
                return flood(max_block_frames);
            if (reader_.kept() + frame.length > max_response_header_bytes)
                finish(Outcome::headers_too_large);
            return;
        case http2::settings:
            malformed = !on_stream_zero || (ack ? frame.length != 0 : frame.length % 6 != 0);
            if (!malformed && !ack && ++state_.settings_frames > max_settings_frames)
                return flood(max_settings_frames);
            break;
        case http2::ping:
            malformed = !on_stream_zero || frame.length != 8;
            if (!malformed && !ack && ++state_.pings > max_pings)
                return flood(max_pings);
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

// A whole frame, of the shape its header promised.
void GrpcHealthCall::on_frame() {
    const FrameHeader& frame = reader_.header();
    std::string_view content = reader_.content();
    const char* bytes = content.data();
    bool ack = frame.flags & flag_ack;
    switch (frame.type) {
        case http2::headers:
        case continuation: {
            std::string_view block = reader_.keep_content();
            if (frame.flags & flag_end_headers) {
                state_.in_block = false;
                reader_.drop_kept();
                on_header_block(block);
            }
            return;
        }
        case http2::data: {
            // Kept up to what one response message can take; judged when
            // the stream ends.
            size_t kept = state_.data_length < sizeof state_.message ? state_.data_length
                                                                     : sizeof state_.message;
            size_t take = sizeof state_.message - kept;
            std::memcpy(state_.message + kept, bytes,
                        take < content.size() ? take : content.size());
            state_.data_length += content.size();
            state_.unacknowledged_data += frame.length;  // padding counts (§6.9.1)
            if (frame.flags & flag_end_stream)
                return end_of_stream();
            if (state_.unacknowledged_data >= window_update_threshold) {
                // §6.9: give the bytes back to the connection and the stream.
                for (uint32_t stream = 0; stream < 2; ++stream)
                    if (char* increment = queue_frame(window_update, 0, stream, 4))
                        put_u32(increment, state_.unacknowledged_data);
                state_.unacknowledged_data = 0;
            }
            return;
        }
        case http2::settings:
            if (!state_.settings_seen)
                state_.text_length = 0;  // the first bytes were HTTP/2 after all
            state_.settings_seen = true;
            if (ack)
                return;
            // §6.5.2: values out of range are connection errors. The rest
            // need nothing from vigil: its request went out whole with the
            // first flight, and it never indexes into the server's table.
            for (size_t at = 0; at < content.size(); at += 6) {
                uint32_t id = read_u32(bytes + at) >> 16;
                uint32_t value = read_u32(bytes + at + 2);
                if ((id == enable_push && value > 1) ||
                    (id == initial_window_size && value > 0x7fffffffU) ||
                    (id == max_frame_size && (value < max_frame_size_floor || value > 0xffffffU)))
                    return frame_error(" with a value out of range");
            }
            queue_frame(http2::settings, flag_ack, 0, 0);  // §6.5.3
            return;
        case http2::ping:
            if (char* payload = ack ? nullptr : queue_frame(http2::ping, flag_ack, 0, 8))
                std::memcpy(payload, bytes, 8);  // §6.7: the same 8 bytes back
            return;
        case http2::goaway: {
            // §6.8: a graceful GOAWAY (NO_ERROR) that covers stream 1 lets
            // the response finish; anything else ends the call.
            uint32_t error_code = read_u32(bytes + 4);
            if (error_code == 0 && (read_u32(bytes) & 0x7fffffffU) >= 1)
                return;
            keep_text(content.substr(8));  // the debug data
            finish(Outcome::goaway, nullptr, name_or_number(error_code_names, error_code));
            return;
        }
        case http2::rst_stream:
            if (frame.stream_id == 1)
                finish(Outcome::rst_stream, nullptr,
                       name_or_number(error_code_names, read_u32(bytes)));
            return;
        default:
            return;
    }
}

void GrpcHealthCall::on_header_block(std::string_view block) {
    state_.field_bytes = 0;
    hpack_.begin_block(block);
    for (std::string_view name, value; !done() && hpack_.next(name, value);) on_field(name, value);
    if (hpack_.error() != HpackDecoder::Error::none)
        return frame_error(hpack_.error_text(), false);
    if (done())
        return;
    if (++state_.blocks == 1) {  // the response headers, or all of a trailers-only response
        if (state_.http_status != 200) {
            finish(Outcome::http_status, name_or_number("", state_.http_status));
            return;
        }
        if (state_.content_type_not_grpc) {
            finish(Outcome::not_grpc);
            return;
        }
    }
    if (state_.block_ends_stream)
        end_of_stream();
}

void GrpcHealthCall::on_field(std::string_view name, std::string_view value) {
    // §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE's accounting: 32 bytes a field.
    state_.field_bytes += name.size() + value.size() + 32;
    if (state_.field_bytes > max_response_header_bytes || hpack_.field_cut())
        return finish(Outcome::headers_too_large);
    switch (find_string(name, ":status\0content-type\0grpc-status\0grpc-message\0")) {
        case 0:
            if (state_.blocks == 0) {
                auto status = parse_number_in<uint32_t>(value, 100, 999);
                state_.http_status = status && value.size() == 3 ? *status : 0;
            }
            return;
        case 1:
            // PROTOCOL-HTTP2.md: "application/grpc", maybe with "+proto" or
            // "+json", or parameters.
            state_.content_type_not_grpc =
                !value.starts_with("application/grpc") ||
                (value.size() > 16 && value[16] != '+' && value[16] != ';');
            if (state_.content_type_not_grpc)
                keep_text(value);
            return;
        case 2: {
            auto status = parse_number_in<uint32_t>(value, 0, 0x7fffffff);
            state_.grpc_status_seen = true;
            state_.grpc_status_bad = !status;
            state_.grpc_status = status ? *status : 0;
            return;
        }
        case 3:  // percent-encoded (PROTOCOL-HTTP2.md); a bad content-type says more
            if (!state_.content_type_not_grpc)
                state_.text_length = grpc::percent_decode(value, text_, sizeof text_);
            return;
    }
}

// PROTOCOL-HTTP2.md: a unary response is one Length-Prefixed-Message, a
// flag byte (1: compressed), a 4-byte length and the message, then trailers
// with grpc-status.
void GrpcHealthCall::end_of_stream() {
    if (!state_.grpc_status_seen)
        return finish(Outcome::no_grpc_status);
    if (state_.grpc_status_bad)
        return frame_error("a grpc-status that is not a number", false);
    if (state_.grpc_status != 0)
        return finish(Outcome::grpc_status,
                      name_or_number(grpc::status_code_names, state_.grpc_status));
    size_t have = state_.data_length;
    uint32_t length = read_u32(state_.message + 1);
    const char* whole = "status OK without a whole HealthCheckResponse";
    const char* problem =
        have < 5                     ? whole
        : state_.message[0] != 0     ? "a compressed message, though vigil asked for none"
        : length > max_message_bytes ? "a message too long for a HealthCheckResponse"
        : have < 5 + length          ? whole
        : have > 5 + length          ? "more than one response message"
                                     : nullptr;
    uint32_t status = 0;
    if (!problem)
        problem = grpc::parse_health_response({state_.message + 5, length}, status);
    state_.serving = status == grpc::serving;
    if (problem)
        finish(Outcome::bad_message, nullptr, problem);
    else
        finish(Outcome::serving_status,
               name_or_number(grpc::serving_status_names, status, "serving status "));
}

namespace {

// The summaries, one per Outcome in its order and then a variant. Each
// takes the same five strings: the verdict, a name, the peer, a detail and
// its end (a name left empty where a summary has none). One table and one
// call to format them.
constexpr char summary_formats[] =
    "%s: connection closed%s by %s without a response\0"       // pending (not asked for)
    "%s: gRPC %s from %s in %s\0"                              // serving_status
    "%s: gRPC status %s from %s\0"                             // grpc_status
    "%s: not an HTTP/2 server%s at %s\0"                       // not_http2
    "%s: HTTP/2 status %s from %s, not a gRPC response\0"      // http_status
    "%s: not a gRPC response%s from %s\0"                      // not_grpc
    "%s: GOAWAY%s from %s (error %s)\0"                        // goaway
    "%s: RST_STREAM%s from %s (error %s)\0"                    // rst_stream
    "%s: HTTP/2 protocol error%s from %s: %s%s\0"              // protocol_error
    "%s: response headers%s from %s exceed 16 KiB\0"           // headers_too_large
    "%s: %s flood from %s (more than %s frames)\0"             // flood
    "%s: bad gRPC response%s from %s: %s\0"                    // bad_message
    "%s: gRPC response%s from %s ended without grpc-status\0"  // no_grpc_status
    "%s: connection closed%s by %s without a response\0"       // closed
    "%s: connection closed%s by %s after %s bytes, before the gRPC response ended\0";
constexpr unsigned closed_after_bytes = 14;

// How each summary quotes what the server said, if it said anything: not,
// as it is (grpc-message), or in quotes after an introduction.
constexpr uint8_t quote_styles[] = {0, 0, 1, 2, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0};

}  // namespace

// Every summary has one shape, "VERDICT: WHAT NAME from PEER DETAIL", with
// " at " or " by " in a few, and the server's own words, escaped, last.
void GrpcHealthCall::describe(char* out, size_t size, const char* peer, const char* elapsed) const {
    auto outcome = static_cast<unsigned>(state_.outcome);
    unsigned format = outcome == static_cast<unsigned>(Outcome::closed) && state_.received > 0
                          ? closed_after_bytes
                          : outcome;
    auto at = static_cast<size_t>(format_into(
        out, size, nth_string(summary_formats, format), healthy() ? "healthy" : "unhealthy",
        state_.name, peer, state_.outcome == Outcome::serving_status ? elapsed : state_.detail,
        state_.detail_end));
    unsigned quote = quote_styles[outcome];
    if (quote == 0 || state_.text_length == 0 || at + 4 >= size)
        return;
    at += static_cast<size_t>(format_into(out + at, size - at, "%s",
                                          nth_string(": \0: \"\0: content-type \"\0", quote - 1)));
    bool in_quotes = quote > 1;
    if (at + 2 >= size)
        return;
    at += escape_for_line(std::string_view(text_, state_.text_length), out + at,
                          size - at - in_quotes);
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
