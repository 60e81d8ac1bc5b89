#include "probe/http2_frame.h"

#include "base/text.h"

namespace vigil {

namespace http2 {

const char* error_code_name(uint32_t code) {
    return nth_string(
        "NO_ERROR\0PROTOCOL_ERROR\0INTERNAL_ERROR\0FLOW_CONTROL_ERROR\0SETTINGS_TIMEOUT\0"
        "STREAM_CLOSED\0FRAME_SIZE_ERROR\0REFUSED_STREAM\0CANCEL\0COMPRESSION_ERROR\0"
        "CONNECT_ERROR\0ENHANCE_YOUR_CALM\0INADEQUATE_SECURITY\0HTTP_1_1_REQUIRED\0",
        code);
}

const char* frame_type_name(uint8_t type) {
    return nth_string(
        "DATA\0HEADERS\0PRIORITY\0RST_STREAM\0SETTINGS\0PUSH_PROMISE\0PING\0GOAWAY\0"
        "WINDOW_UPDATE\0CONTINUATION\0",
        type);
}

void put_frame_header(char* out, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id) {
    out[0] = static_cast<char>(length >> 16);
    out[1] = static_cast<char>(length >> 8);
    out[2] = static_cast<char>(length);
    out[3] = static_cast<char>(type);
    out[4] = static_cast<char>(flags);
    out[5] = static_cast<char>(stream_id >> 24);
    out[6] = static_cast<char>(stream_id >> 16);
    out[7] = static_cast<char>(stream_id >> 8);
    out[8] = static_cast<char>(stream_id);
}

}  // namespace http2

const char* FrameReader::error_text() const {
    // In Error's order.
    return nth_string(
        "no error\0a frame larger than the 16384 bytes advertised\0"
        "a frame shorter than its padding and priority fields\0",
        static_cast<unsigned>(error_));
}

FrameReader::Event FrameReader::next(std::string_view& input) {
    for (;;) {
        switch (state_) {
            case State::header: {
                while (have_ < sizeof header_bytes_ && !input.empty()) {
                    header_bytes_[have_++] = static_cast<unsigned char>(input[0]);
                    input.remove_prefix(1);
                }
                if (have_ < sizeof header_bytes_)
                    return Event::need_more;
                const unsigned char* h = header_bytes_;
                header_.length = uint32_t{h[0]} << 16 | uint32_t{h[1]} << 8 | h[2];
                header_.type = h[3];
                header_.flags = h[4];
                header_.stream_id =
                    (uint32_t{h[5]} << 24 | uint32_t{h[6]} << 16 | uint32_t{h[7]} << 8 | h[8]) &
                    0x7fffffffU;
                have_ = 0;
                ++frames_;
                if (header_.length > http2::max_frame_size_floor) {
                    error_ = Error::frame_too_large;
                    state_ = State::end;
                    return Event::error;
                }
                left_ = header_.length;
                pad_length_ = 0;
                // §6.1, §6.2, §6.6: these three may carry padding.
                bool paddable = header_.type == http2::data || header_.type == http2::headers ||
                                header_.type == http2::push_promise;
                if (paddable && (header_.flags & http2::flag_padded))
                    state_ = State::pad_length;
                else if (header_.type == http2::headers && (header_.flags & http2::flag_priority))
                    state_ = State::priority_fields;
                else
                    state_ = State::content;
                return Event::frame_start;
            }
            case State::pad_length:
                if (left_ == 0) {
                    error_ = Error::bad_padding;
                    state_ = State::end;
                    return Event::error;
                }
                if (input.empty())
                    return Event::need_more;
                pad_length_ = static_cast<unsigned char>(input[0]);
                input.remove_prefix(1);
                --left_;
                if (pad_length_ > left_) {
                    error_ = Error::bad_padding;
                    state_ = State::end;
                    return Event::error;
                }
                state_ = header_.type == http2::headers && (header_.flags & http2::flag_priority)
                             ? State::priority_fields
                             : State::content;
                break;
            case State::priority_fields:
                // Stream dependency and weight: 5 bytes, of no use to a
                // client with one stream.
                if (left_ - pad_length_ < 5 - have_) {
                    error_ = Error::bad_padding;
                    state_ = State::end;
                    return Event::error;
                }
                while (have_ < 5 && !input.empty()) {
                    input.remove_prefix(1);
                    ++have_;
                    --left_;
                }
                if (have_ < 5)
                    return Event::need_more;
                have_ = 0;
                state_ = State::content;
                break;
            case State::content: {
                uint32_t content_left = left_ - pad_length_;
                if (content_left == 0) {
                    state_ = State::padding;
                    break;
                }
                if (input.empty())
                    return Event::need_more;
                size_t piece = input.size() < content_left ? input.size() : content_left;
                content_ = input.substr(0, piece);
                input.remove_prefix(piece);
                left_ -= static_cast<uint32_t>(piece);
                return Event::content;
            }
            case State::padding: {
                // §6.1: padding octets should be zero, but a receiver need
                // not check them.
                size_t skip = input.size() < left_ ? input.size() : left_;
                input.remove_prefix(skip);
                left_ -= static_cast<uint32_t>(skip);
                if (left_ > 0)
                    return Event::need_more;
                state_ = State::header;
                return Event::frame_end;
            }
            case State::end:
                return Event::error;
        }
    }
}

}  // namespace vigil
