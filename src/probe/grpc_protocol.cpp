#include "probe/grpc_protocol.h"

#include <cstring>

#include "base/format.h"
#include "probe/http2_frame.h"

namespace vigil::grpc {

size_t format_timeout(int64_t ms, char* out, size_t size) {
    bool seconds = ms > 99999999;
    if (ms < 1)
        ms = 1;
    return static_cast<size_t>(format_into(out, size, "%lld%c",
                                           static_cast<long long>(seconds ? (ms + 999) / 1000 : ms),
                                           seconds ? 'S' : 'm'));
}

char* put_health_request(char* out, std::string_view service) {
    char* at = out + 5;
    if (!service.empty()) {  // proto3 leaves an empty string out altogether
        *at++ = 0x0a;        // field 1, wire type 2 (length-delimited)
        size_t length = service.size();
        for (; length >= 0x80; length >>= 7) *at++ = static_cast<char>(length | 0x80);
        *at++ = static_cast<char>(length);
        std::memcpy(at, service.data(), service.size());
        at += service.size();
    }
    out[0] = 0;  // not compressed
    http2::put_u32(out + 1, static_cast<uint32_t>(at - out - 5));
    return at;
}

namespace {

// A protobuf varint (at most 10 bytes) from `at`: the byte after it, or
// null when the bytes end first.
const unsigned char* read_varint(const unsigned char* at, const unsigned char* end,
                                 uint64_t& value) {
    value = 0;
    for (int shift = 0; at < end && shift < 70; shift += 7) {
        uint64_t byte = *at++;
        value |= (byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return at;
    }
    return nullptr;
}

// A hex digit's value, or -1.
int hex_value(char c) {
    unsigned digit = static_cast<unsigned>(c - '0');
    unsigned letter = static_cast<unsigned>((c | 0x20) - 'a');
    return digit < 10 ? static_cast<int>(digit) : letter < 6 ? static_cast<int>(letter) + 10 : -1;
}

}  // namespace

const char* parse_health_response(std::string_view message, uint32_t& status) {
    // One text for every field that ends early: which part of it the bytes
    // ran out in tells a person nothing more.
    constexpr const char* cut_short = "a field is cut short";
    const auto* at = reinterpret_cast<const unsigned char*>(message.data());
    const unsigned char* end = at + message.size();
    status = 0;
    while (at < end) {
        uint64_t key = 0;
        uint64_t value = 0;
        at = read_varint(at, end, key);
        uint64_t wire_type = key & 7;
        uint64_t skip = wire_type == 1 ? 8 : 4;  // fixed 64 or 32 bits
        if (at && (wire_type == 0 || wire_type == 2)) {
            at = read_varint(at, end, value);
            skip = wire_type == 2 ? value : 0;  // a length-delimited field's length
        } else if (at && wire_type != 1 && wire_type != 5) {
            return "a field of an unknown wire type";
        }
        if (!at || skip > static_cast<uint64_t>(end - at))
            return cut_short;
        at += skip;
        if (key >> 3 == 1 && wire_type != 0)
            return "the status field is not a varint";
        if (key >> 3 == 1)
            status = static_cast<uint32_t>(value);  // the last one counts
    }
    return nullptr;
}

size_t percent_decode(std::string_view text, char* out, size_t size) {
    size_t length = 0;
    for (size_t i = 0; i < text.size() && length < size; ++i) {
        int byte = static_cast<unsigned char>(text[i]);
        if (byte == '%' && i + 2 < text.size()) {
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if ((high | low) >= 0) {  // both hex digits
                byte = high << 4 | low;
                i += 2;
            }
        }
        out[length++] = static_cast<char>(byte);
    }
    return length;
}

}  // namespace vigil::grpc
