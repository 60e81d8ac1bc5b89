#include "probe/http2_frame.h"

#include <cstring>

namespace vigil {

namespace http2 {

uint32_t read_u32(const char* in) {
    auto byte = [in](int i) { return uint32_t{static_cast<unsigned char>(in[i])}; };
    return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

void put_u32(char* out, uint32_t value) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(value >> (24 - 8 * i));
}

// The length's three bytes and the type are one 32-bit number.
void put_frame_header(char* out, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id) {
    put_u32(out, length << 8 | type);
    out[4] = static_cast<char>(flags);
    put_u32(out + 5, stream_id);
}

}  // namespace http2

using namespace http2;

const char* FrameReader::error_text() const {
    return error_ == Error::frame_too_large
               ? "a frame larger than the 16384 bytes advertised"
               : "a frame shorter than its padding and priority fields";
}

FrameReader::Event FrameReader::next(std::string_view& input) {
    char* frame = buffer_ + kept_;
    for (;;) {
        bool header_read = have_ >= 9;
        size_t need = header_read ? 9 + header_.length : 9;
        size_t take = need - have_ < input.size() ? need - have_ : input.size();
        std::memcpy(frame + have_, input.data(), take);
        have_ += take;
        input = {input.data() + take, input.size() - take};
        if (have_ < need)
            return Event::need_more;
        if (header_read)
            break;
        header_ = {read_u32(frame) >> 8, static_cast<uint8_t>(frame[3]),
                   static_cast<uint8_t>(frame[4]), read_u32(frame + 5) & 0x7fffffffU};
        // §3.4: the server's preface is its SETTINGS (no acknowledgement);
        // anything else is another protocol ("HTTP/1.1 400 ..." reads as a
        // frame of 4.7 MB). §4.2: no frame larger than vigil advertised, or
        // than the room beside a header block kept.
        if (frames_++ == 0 && (header_.type != settings || header_.flags & flag_ack))
            return fail(Error::not_settings);
        if (kept_ + header_.length > max_frame_size_floor)
            return fail(Error::frame_too_large);
    }
    have_ = 0;
    // §6.1, §6.2: [pad length] [priority fields, 5 bytes] content [padding].
    // PUSH_PROMISE may be padded too, but vigil refuses it anyway.
    uint32_t length = header_.length;
    bool padded = header_.type <= headers && (header_.flags & flag_padded);  // DATA, HEADERS
    uint32_t skip = padded;
    uint32_t padding = padded && length > 0 ? static_cast<unsigned char>(frame[9]) : 0;
    if (header_.type == headers && (header_.flags & flag_priority))
        skip += 5;
    if (skip + padding > length)
        return fail(Error::bad_padding);
    content_ = {frame + 9 + skip, length - skip - padding};
    return Event::frame;
}

std::string_view FrameReader::keep_content() {
    std::memmove(buffer_ + kept_, content_.data(), content_.size());
    kept_ += content_.size();
    return {buffer_, kept_};
}

}  // namespace vigil
