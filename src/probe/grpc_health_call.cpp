#include "probe/grpc_health_call.h"

#include <cstring>

#include "base/escape.h"
#include "base/format.h"
#include "base/text.h"
#include "base/version.h"
#include "probe/grpc_protocol.h"

namespace vigil {
namespace {

using namespace http2;

// The limits that turn a hostile server's tricks into a verdict before the
// deadline (the summary names them: their text too). A real server's whole
// answer is about seven frames.
constexpr int max_control_frames = 100;  // SETTINGS, and PING (each counted alone)
constexpr char max_control_frames_text[] = "100";
constexpr int max_block_frames = 64;  // HEADERS and CONTINUATION in one block
constexpr char max_block_frames_text[] = "64";
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
// After :authority, since pseudo-header fields come first (RFC 9113 §8.3),
// and then the start of grpc-timeout: its value's length and digits follow.
constexpr char after_authority[] =
    "\x0f\x10\x10"  // content-type (31 = 15 + 16), 16 bytes
    "application/grpc"
    "\0\x02te\x08trailers"
    "\0\x0cgrpc-timeout";
constexpr size_t header_block_start = 24 + 9 + 24 + 9;
constexpr uint32_t index_authority = 1;
constexpr uint32_t index_user_agent = 58;
constexpr char vigil_user_agent[] = "vigil-probe/" VIGIL_VERSION;

// A -H header, "Name: value" (check_header() saw the colon): its name, and
// its value without the blanks around it.
std::string_view header_name(const char* header) {
    return {header, static_cast<size_t>(std::strchr(header, ':') - header)};
}

std::string_view header_value(const char* header) {
    const char* value = std::strchr(header, ':') + 1;
    const char* end = value + std::strlen(value);
    while (value < end && (*value == ' ' || *value == '\t')) ++value;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) --end;
    return {value, static_cast<size_t>(end - value)};
}

// Whether the header is one vigil writes otherwise: 0 Host (the
// :authority), 1 User-Agent; -1 for metadata.
int own_header(const char* header) {
    return find_string(header_name(header), "host\0user-agent\0", true);
}

char* put_bytes(char* out, const char* bytes, size_t length) {
    std::memcpy(out, bytes, length);
    return out + length;
}

// What is wrong with a frame, after its type's name ("DATA before the
// response headers"), in FrameProblem's order: a number at each place that
// finds one costs less code than a pointer.
constexpr char frame_problems[] =
    " inside a header block\0"
    " on a stream vigil did not open\0"
    " after the trailers\0"
    " of trailers without END_STREAM\0"
    " without HEADERS\0"
    " before the response headers\0"
    " of a wrong length or on a wrong stream\0"
    " with a value out of range\0"
    " though vigil disabled server push\0";

// The summaries after their verdict, one per Outcome in its order and then
// two variants. Each takes the same four strings, a name, the peer, a
// detail and its end; one left empty where a summary has no use for it.
constexpr char summary_formats[] =
    "?\0"                                                  // pending
    "gRPC %s from %s in \0"                                // serving_status
    "gRPC status %s from %s\0"                             // grpc_status
    "not an HTTP/2 server%s at %s\0"                       // not_http2
    "HTTP/2 status %s from %s, not a gRPC response\0"      // http_status
    "not a gRPC response%s from %s\0"                      // not_grpc
    "GOAWAY%s from %s (error %s)\0"                        // goaway
    "RST_STREAM%s from %s (error %s)\0"                    // rst_stream
    "HTTP/2 protocol error%s from %s: %s%s\0"              // protocol_error
    "response headers%s from %s exceed 16 KiB\0"           // headers_too_large
    "%s flood from %s (more than %s frames)\0"             // flood
    "bad gRPC response%s from %s: %s\0"                    // bad_message
    "gRPC response%s from %s ended without grpc-status\0"  // no_grpc_status
    "connection closed%s by %s without a response\0"       // closed
    "connection closed%s by %s after %s bytes, before the gRPC response ended\0"
    "gRPC serving status %s from %s in \0";
constexpr unsigned closed_after_bytes = 14;
constexpr unsigned unnamed_serving_status = 15;

// How each summary quotes what the server said, if it said anything, by
// Outcome: not at all, as it is (grpc-message, percent-decoded), or in
// quotes after an introduction.
constexpr uint8_t quote_styles[] = {0, 0, 1, 2, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0};
constexpr char quote_introductions[] = ": \0: \"\0: content-type \"\0";

}  // namespace

size_t build_grpc_request(const GrpcCallSpec& spec, int64_t timeout_ms, char* out, size_t size) {
    // A -H Host header is the :authority, a User-Agent replaces vigil's;
    // the others follow as metadata. The most the request can take is
    // checked once, so the writes need no checks: the constant parts, the
    // strings, and for each field a byte for its representation and three
    // for each string's length (which stays below 2^14); 64 bytes cover
    // those of :authority and vigil's User-Agent, grpc-timeout's value and
    // the DATA frame but for the service's name.
    std::string_view authority = spec.authority;
    size_t most = sizeof first_flight + sizeof after_authority + sizeof vigil_user_agent + 64 +
                  authority.size() + spec.service.size();
    for (const char* header : spec.headers) {
        if (own_header(header) == 0)
            authority = header_value(header);
        most += std::strlen(header) + 7;
    }
    if (most > size)
        return 0;
    char* at = put_bytes(out, first_flight, sizeof first_flight - 1);
    at = hpack_put_literal(at, index_authority, "", authority);
    at = put_bytes(at, after_authority, sizeof after_authority - 1);
    *at = static_cast<char>(grpc::format_timeout(timeout_ms, at + 1, 16));  // below 127
    at += 1 + *at;
    bool user_agent_given = false;
    for (const char* header : spec.headers) {
        int own = own_header(header);
        user_agent_given = user_agent_given || own == 1;
        if (own != 0)
            at = hpack_put_literal(at, 0, header_name(header), header_value(header));
    }
    if (!user_agent_given)
        at = hpack_put_literal(at, index_user_agent, "", vigil_user_agent);
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

void GrpcHealthCall::start(const char* peer) {
    state_ = State{};
    state_.peer = peer;
    reader_.reset();
    hpack_.reset();
}

// The first outcome counts: its summary (after the verdict, which
// describe() adds) is written at once, and then what the server said,
// escaped, where the summary quotes that. A connection closed with bytes
// received and a serving status without a name (`name` is then a number)
// have summaries of their own.
void GrpcHealthCall::finish(Outcome outcome, const char* name, const char* detail,
                            const char* detail_end) {
    if (done())
        return;
    state_.outcome = outcome;
    auto format = static_cast<unsigned>(outcome);
    if (outcome == Outcome::closed && detail)
        format = closed_after_bytes;
    if (outcome == Outcome::serving_status && name == state_.number)
        format = unnamed_serving_status;
    char* summary = state_.summary;
    size_t size = sizeof state_.summary - 11;  // room for the verdict: "unhealthy: "
    auto at = static_cast<size_t>(format_into(summary, size, nth_string(summary_formats, format),
                                              name ? name : "", state_.peer, detail ? detail : "",
                                              detail_end));
    unsigned quote = quote_styles[static_cast<unsigned>(outcome)];
    if (quote == 0 || state_.text_length == 0 || at + 2 >= size)
        return;
    bool in_quotes = quote > 1;
    for (const char* c = nth_string(quote_introductions, quote - 1); *c && at + 2 < size; ++c)
        summary[at++] = *c;
    escape_some(std::string_view(state_.text, state_.text_length), EscapeForm::line, summary + at,
                size - at - 1 - in_quotes, state_.quoted_length);
    at += state_.quoted_length;
    if (in_quotes)
        summary[at++] = '"';
    summary[at] = '\0';
}

// A code by its name in `names`, or else as a number.
const char* GrpcHealthCall::name_or_number(const char* names, uint32_t number) {
    if (const char* name = nth_string(names, number))
        return name;
    format_into(state_.number, sizeof state_.number, "%u", number);
    return state_.number;
}

void GrpcHealthCall::keep_text(const char* text, size_t length) {
    state_.text_length = length < sizeof state_.text ? length : sizeof state_.text;
    std::memcpy(state_.text, text, state_.text_length);
}

// What answered is not HTTP/2: its first line ("HTTP/1.1 400 Bad Request")
// tells what it is.
void GrpcHealthCall::not_http2() {
    size_t length = 0;
    while (length < state_.text_length && state_.text[length] != '\r' &&
           state_.text[length] != '\n')
        ++length;
    state_.text_length = length;
    finish(Outcome::not_http2);
}

// A protocol error: `problem` (an HPACK error, a frame too large...), or
// one of a frame, after its type's name.
void GrpcHealthCall::protocol_error(const char* problem) {
    finish(Outcome::protocol_error, nullptr, nullptr, problem);
}

void GrpcHealthCall::frame_error(FrameProblem problem) {
    finish(Outcome::protocol_error, nullptr, frame_type_name(reader_.header().type),
           nth_string(frame_problems, static_cast<unsigned>(problem)));
}

// Too many frames of the current type: SETTINGS, PING or CONTINUATION.
void GrpcHealthCall::flood(const char* limit) {
    finish(Outcome::flood, frame_type_name(reader_.header().type), limit);
}

void GrpcHealthCall::headers_too_large() {
    finish(Outcome::headers_too_large);
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
        protocol_error("more frames to answer than vigil can hold");
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
        state_.text[state_.text_length++] = bytes[i];
    while (!done()) {
        switch (reader_.next(bytes)) {
            case FrameReader::Event::need_more:
                return;
            case FrameReader::Event::frame:
                on_frame();
                break;
            case FrameReader::Event::error:
                // A frame that would not fit beside the header block kept,
                // or that breaks into it (§6.10).
                if (!state_.settings_seen)
                    return not_http2();
                if (state_.in_block)
                    return reader_.header().type == continuation
                               ? headers_too_large()
                               : frame_error(FrameProblem::inside_block);
                return protocol_error(reader_.error_text());
        }
    }
}

void GrpcHealthCall::connection_closed() {
    // Some bytes, but not even a frame header: what were they?
    if (state_.received > 0 && state_.received < 9)
        return not_http2();
    finish(Outcome::closed, nullptr,
           state_.received ? name_or_number("", static_cast<uint32_t>(state_.received)) : nullptr);
}

// A whole frame: whether it has the shape its type needs (§6), and what it
// means for the call.
void GrpcHealthCall::on_frame() {
    const FrameHeader& frame = reader_.header();
    const char* bytes = reader_.content().data();
    size_t length = reader_.content().size();
    bool ack = frame.flags & flag_ack;  // and END_STREAM on DATA and HEADERS
    bool on_stream_zero = frame.stream_id == 0;
    // §6.10: a header block is one run of frames on one stream.
    if (state_.in_block && (frame.type != continuation || frame.stream_id != 1))
        return frame_error(FrameProblem::inside_block);
    switch (frame.type) {
        case http2::data:
        case http2::headers:
            if (frame.stream_id != 1)
                return frame_error(FrameProblem::other_stream);
            if (state_.blocks == 2)
                return frame_error(FrameProblem::after_trailers);
            if (frame.type == http2::data)
                return on_data(bytes, length);
            state_.block_ends_stream = ack;
            if (state_.blocks == 1 && !ack)
                return frame_error(FrameProblem::trailers_not_ending);
            state_.in_block = true;
            state_.block_frames = 0;
            [[fallthrough]];
        case continuation: {
            if (!state_.in_block)
                return frame_error(FrameProblem::no_headers);
            if (++state_.block_frames > max_block_frames)
                return flood(max_block_frames_text);
            std::string_view block = reader_.keep_content();
            if (!(frame.flags & flag_end_headers))
                return;
            state_.in_block = false;
            reader_.drop_kept();
            return on_header_block(block);
        }
        case http2::settings:
        case http2::ping:
            if (!on_stream_zero || (frame.type == http2::ping ? frame.length != 8
                                    : ack                     ? frame.length != 0
                                                              : frame.length % 6 != 0))
                break;
            if (frame.type == http2::settings && !state_.settings_seen) {
                state_.settings_seen = true;
                state_.text_length = 0;  // the first bytes were HTTP/2 after all
            }
            if (ack)
                return;
            if (++(frame.type == http2::ping ? state_.pings : state_.settings_frames) >
                max_control_frames)
                return flood(max_control_frames_text);
            if (frame.type == http2::ping) {
                if (char* payload = queue_frame(http2::ping, flag_ack, 0, 8))
                    std::memcpy(payload, bytes, 8);  // §6.7: the same 8 bytes back
                return;
            }
            // §6.5.2: values out of range are connection errors. The rest
            // need nothing from vigil: its request went out whole with the
            // first flight, and it never indexes into the server's table.
            for (size_t at = 0; at < length; at += 6) {
                uint32_t id = read_u32(bytes + at) >> 16;
                uint32_t value = read_u32(bytes + at + 2);
                if ((id == enable_push && value > 1) ||
                    (id == initial_window_size && value > 0x7fffffffU) ||
                    (id == max_frame_size && (value < max_frame_size_floor || value > 0xffffffU)))
                    return frame_error(FrameProblem::bad_setting);
            }
            queue_frame(http2::settings, flag_ack, 0, 0);  // §6.5.3
            return;
        case http2::goaway:
        case http2::rst_stream: {
            bool goaway = frame.type == http2::goaway;
            if (goaway ? !on_stream_zero || length < 8 : on_stream_zero || length != 4)
                break;
            // §6.8: a graceful GOAWAY (NO_ERROR) that covers stream 1 lets
            // the response finish; anything else ends the call, with the
            // debug data. RST_STREAM ends it when it is for stream 1.
            uint32_t error_code = read_u32(bytes + (goaway ? 4 : 0));
            if (goaway ? error_code == 0 && (read_u32(bytes) & 0x7fffffffU) >= 1
                       : frame.stream_id != 1)
                return;
            if (goaway)
                keep_text(bytes + 8, length - 8);
            return finish(goaway ? Outcome::goaway : Outcome::rst_stream, nullptr,
                          name_or_number(error_code_names, error_code));
        }
        case http2::window_update:
            if (length == 4)
                return;
            break;
        case http2::push_promise:
            return frame_error(FrameProblem::push);
        default:
            return;  // PRIORITY, and types this code does not know (§5.5)
    }
    frame_error(FrameProblem::bad_shape);
}

// DATA on the stream: kept up to what one response message can take, and
// judged when the stream ends.
void GrpcHealthCall::on_data(const char* bytes, size_t length) {
    if (state_.blocks == 0)
        return frame_error(FrameProblem::before_headers);
    size_t kept =
        state_.data_length < sizeof state_.message ? state_.data_length : sizeof state_.message;
    size_t take = sizeof state_.message - kept;
    std::memcpy(state_.message + kept, bytes, take < length ? take : length);
    state_.data_length += length;
    state_.unacknowledged_data += reader_.header().length;  // padding counts (§6.9.1)
    if (reader_.header().flags & flag_end_stream)
        return end_of_stream();
    if (state_.unacknowledged_data >= window_update_threshold) {
        // §6.9: give the bytes back to the connection and the stream.
        for (uint32_t stream = 0; stream < 2; ++stream)
            if (char* increment = queue_frame(window_update, 0, stream, 4))
                put_u32(increment, state_.unacknowledged_data);
        state_.unacknowledged_data = 0;
    }
}

void GrpcHealthCall::on_header_block(std::string_view block) {
    state_.field_bytes = 0;
    hpack_.begin_block(block);
    while (!done() && hpack_.next()) on_field(hpack_.name(), hpack_.value());
    if (hpack_.error() != HpackDecoder::Error::none)
        return protocol_error(hpack_.error_text());
    if (done())
        return;
    if (++state_.blocks == 1) {  // the response headers, or all of a trailers-only response
        if (state_.http_status != 200)
            return finish(Outcome::http_status,
                          name_or_number("", static_cast<uint32_t>(state_.http_status)));
        if (state_.content_type_not_grpc)
            return finish(Outcome::not_grpc);
    }
    if (state_.block_ends_stream)
        end_of_stream();
}

void GrpcHealthCall::on_field(std::string_view name, std::string_view value) {
    // §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE's accounting: 32 bytes a field.
    state_.field_bytes += name.size() + value.size() + 32;
    if (state_.field_bytes > max_response_header_bytes || hpack_.field_cut())
        return headers_too_large();
    switch (find_string(name, ":status\0content-type\0grpc-status\0grpc-message\0")) {
        case 0:  // three digits, in the response headers
            if (state_.blocks == 0 &&
                (!parse_integer(value, 100, 999, false, state_.http_status) || value.size() != 3))
                state_.http_status = 0;
            return;
        case 1:
            // PROTOCOL-HTTP2.md: "application/grpc", maybe with "+proto" or
            // "+json", or parameters.
            state_.content_type_not_grpc =
                value.size() < 16 || std::memcmp(value.data(), "application/grpc", 16) != 0 ||
                (value.size() > 16 && value[16] != '+' && value[16] != ';');
            if (state_.content_type_not_grpc)
                keep_text(value.data(), value.size());
            return;
        case 2:
            state_.grpc_status_seen = true;
            state_.grpc_status_bad =
                !parse_integer(value, 0, 0x7fffffff, false, state_.grpc_status);
            return;
        case 3:  // percent-encoded (PROTOCOL-HTTP2.md); a bad content-type says more
            if (!state_.content_type_not_grpc)
                state_.text_length = grpc::percent_decode(value, state_.text, sizeof state_.text);
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
        return protocol_error("a grpc-status that is not a number");
    if (state_.grpc_status != 0)
        return finish(
            Outcome::grpc_status,
            name_or_number(grpc::status_code_names, static_cast<uint32_t>(state_.grpc_status)));
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
    if (!problem)
        problem = grpc::parse_health_response({state_.message + 5, length}, state_.serving_status);
    if (problem)
        return finish(Outcome::bad_message, nullptr, problem);
    finish(Outcome::serving_status,
           name_or_number(grpc::serving_status_names, state_.serving_status));
}

void GrpcHealthCall::describe(char* out, size_t size, const char* elapsed) const {
    format_into(out, size, "%s: %s%s", healthy() ? "healthy" : "unhealthy", state_.summary,
                state_.outcome == Outcome::serving_status ? elapsed : "");
}

const char* GrpcHealthCall::waiting() const {
    return state_.received == 0                     ? "waiting for a response from"
           : !state_.settings_seen                  ? "waiting for HTTP/2 SETTINGS from"
           : state_.blocks == 0 && !state_.in_block ? "waiting for the gRPC response from"
                                                    : "reading the gRPC response from";
}

}  // namespace vigil
