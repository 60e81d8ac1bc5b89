// HTTP/2 frames (RFC 9113 §4, §6) as a server sends them, read whole: the
// reader takes bytes as they arrive, in any split, and hands out each whole
// frame's content with padding (§6.1, §6.2) and the priority fields of
// HEADERS (§6.2) taken off: HPACK bytes, DATA bytes, a SETTINGS list. A
// frame that cannot be held, or a first frame that is not SETTINGS (not
// HTTP/2 at all), is refused by its 9-byte header.
//
// Whole frames because that is what makes the code small: every frame is
// then handled in one place, with plain pointers, and no state of a
// half-read frame (a padding length, a SETTINGS entry cut in two) has to be
// kept between reads. The buffer holds one frame of the 16384 bytes every
// peer may send (§4.2) and, in front of it, the header block read so far:
// a block split across HEADERS and CONTINUATION frames is gathered in place
// (keep_content()) and decoded once whole, within the same 16 KiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/text.h"

namespace vigil {

namespace http2 {

// §6: the frame types; others exist and are ignored (§4.1, §5.5).
enum FrameType : uint8_t {
    data = 0,
    headers = 1,
    priority = 2,
    rst_stream = 3,
    settings = 4,
    push_promise = 5,
    ping = 6,
    goaway = 7,
    window_update = 8,
    continuation = 9,
};

// Flags (§6). ACK and END_STREAM share a bit, on different frame types.
inline constexpr uint8_t flag_end_stream = 0x1;
inline constexpr uint8_t flag_ack = 0x1;
inline constexpr uint8_t flag_end_headers = 0x4;
inline constexpr uint8_t flag_padded = 0x8;
inline constexpr uint8_t flag_priority = 0x20;

// §6.5.2: the settings vigil sends or reads.
enum Setting : uint16_t {
    header_table_size = 1,
    enable_push = 2,
    max_concurrent_streams = 3,
    initial_window_size = 4,
    max_frame_size = 5,
    max_header_list_size = 6,
};

// The frame size vigil accepts: the floor every peer must accept (§4.2),
// which is also SETTINGS_MAX_FRAME_SIZE's initial value.
inline constexpr uint32_t max_frame_size_floor = 16384;

// §3.4: what a client sends first.
inline constexpr std::string_view client_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// §7: the error codes of RST_STREAM and GOAWAY by name, in code order
// ("NO_ERROR\0PROTOCOL_ERROR\0..."), for nth_string().
inline constexpr char error_code_names[] =
    "NO_ERROR\0PROTOCOL_ERROR\0INTERNAL_ERROR\0FLOW_CONTROL_ERROR\0SETTINGS_TIMEOUT\0"
    "STREAM_CLOSED\0FRAME_SIZE_ERROR\0REFUSED_STREAM\0CANCEL\0COMPRESSION_ERROR\0"
    "CONNECT_ERROR\0ENHANCE_YOUR_CALM\0INADEQUATE_SECURITY\0HTTP_1_1_REQUIRED\0";
// "DATA", ... "CONTINUATION", in type order, for nth_string().
inline constexpr char frame_type_names[] =
    "DATA\0HEADERS\0PRIORITY\0RST_STREAM\0SETTINGS\0PUSH_PROMISE\0PING\0GOAWAY\0"
    "WINDOW_UPDATE\0CONTINUATION\0";
// The name of a code or type, or null for one without a name.
inline const char* error_code_name(uint32_t code) {
    return nth_string(error_code_names, code);
}
inline const char* frame_type_name(uint8_t type) {
    return nth_string(frame_type_names, type);
}

// A 32-bit number in network byte order, as frames carry them.
uint32_t read_u32(const char* in);
void put_u32(char* out, uint32_t value);
// Writes a frame header (9 bytes) at `out`.
void put_frame_header(char* out, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id);

}  // namespace http2

struct FrameHeader {
    uint32_t length;  // of the payload as sent, padding included
    uint8_t type;
    uint8_t flags;
    uint32_t stream_id;  // the reserved bit cleared
};

class FrameReader {
  public:
    enum class Event {
        need_more,  // every byte given was used; give more
        frame,      // a whole frame: header() and content() are ready
        error,      // error() says why; the connection cannot go on
    };
    enum class Error {
        none,
        not_settings,     // the first frame is no SETTINGS frame: not HTTP/2 (§3.4)
        frame_too_large,  // more than fits (FRAME_SIZE_ERROR)
        bad_padding,      // shorter than its padding and priority fields (PROTOCOL_ERROR)
    };

    FrameReader() { reset(); }
    // A new connection, from the server's preface on.
    void reset() {
        have_ = kept_ = frames_ = 0;
        error_ = Error::none;
    }
    // Takes bytes from the front of `input` and returns the next event.
    // Call again with what is left until need_more. A frame too large, or
    // a first frame that is not the server's SETTINGS, is refused by its
    // header, before its payload arrives; header() is then that header.
    Event next(std::string_view& input);

    const FrameHeader& header() const { return header_; }
    std::string_view content() const { return content_; }
    Error error() const { return error_; }
    const char* error_text() const;

    // A header block in several frames: keeps the frame's content in front
    // of the next frame's, and returns all that is kept; a frame whose
    // payload would not fit beside it is refused (frame_too_large).
    std::string_view keep_content();
    void drop_kept() { kept_ = 0; }

  private:
    Event fail(Error error) {
        error_ = error;
        return Event::error;
    }

    // Each frame is read at buffer_ + kept_: the header, then the payload.
    size_t have_;  // bytes of the frame read so far
    size_t kept_;
    size_t frames_;  // whose header was read
    Error error_;
    FrameHeader header_;
    std::string_view content_;
    char buffer_[9 + http2::max_frame_size_floor];
};

}  // namespace vigil
