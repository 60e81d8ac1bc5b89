// HTTP/2 frames (RFC 9113 §4, §6) as a stream: the reader takes bytes as
// they arrive, in any split, and hands out each frame's header, then its
// content in pieces, then its end. Padding (§6.1, §6.2) and the priority
// fields of HEADERS (§6.2) are taken off, so the pieces are the content
// proper: HPACK bytes, DATA bytes, a SETTINGS list. Nothing is buffered
// beyond the 9-byte frame header, so a frame of the 16384 bytes every peer
// may send costs no memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

// §7: the error codes of RST_STREAM and GOAWAY by name ("ENHANCE_YOUR_CALM"),
// or null for a code without one.
const char* error_code_name(uint32_t code);
// "DATA", ... "CONTINUATION", or null for a type §6 does not define.
const char* frame_type_name(uint8_t type);

// Writes a frame header (9 bytes) at `out`.
void put_frame_header(char* out, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id);

}  // namespace http2

struct FrameHeader {
    uint32_t length = 0;  // of the payload as sent, padding included
    uint8_t type = 0;
    uint8_t flags = 0;
    uint32_t stream_id = 0;  // the reserved bit cleared
};

class FrameReader {
  public:
    enum class Event {
        need_more,    // every byte given was used; give more
        frame_start,  // header() is the new frame's
        content,      // content() is the next piece of the current frame
        frame_end,    // the current frame is complete
        error,        // error() says why; the connection cannot go on
    };
    enum class Error {
        none,
        frame_too_large,  // length above max_frame_size_floor (FRAME_SIZE_ERROR)
        bad_padding,      // shorter than its padding and priority fields (PROTOCOL_ERROR)
    };

    // Takes bytes from the front of `input` and returns the next event.
    // Call again with what is left until need_more.
    Event next(std::string_view& input);

    const FrameHeader& header() const { return header_; }
    std::string_view content() const { return content_; }
    Error error() const { return error_; }
    const char* error_text() const;
    // Frames whose header has been read so far.
    size_t frames_seen() const { return frames_; }

  private:
    enum class State { header, pad_length, priority_fields, content, padding, end };

    State state_ = State::header;
    Error error_ = Error::none;
    unsigned char header_bytes_[9] = {};
    size_t have_ = 0;          // header bytes, or priority bytes skipped
    uint32_t left_ = 0;        // of the payload still to come, padding included
    uint32_t pad_length_ = 0;  // padding at the end of this frame
    FrameHeader header_;
    std::string_view content_;
    size_t frames_ = 0;
};

}  // namespace vigil
