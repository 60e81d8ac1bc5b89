#include "probe/line_escape.h"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

// The length of the valid UTF-8 sequence of two or more bytes at the start
// of `text` (RFC 3629: no overlong forms, no surrogates, nothing beyond
// U+10FFFF), or 0. C1 controls (U+0080 to U+009F) count as invalid here.
size_t utf8_sequence(std::string_view text) {
    auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
    uint8_t lead = byte(0);
    size_t length = lead >= 0xc2 && lead <= 0xdf   ? 2
                    : lead >= 0xe0 && lead <= 0xef ? 3
                    : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                   : 0;
    if (length == 0 || text.size() < length)
        return 0;
    for (size_t i = 1; i < length; ++i)
        if ((byte(i) & 0xc0) != 0x80)
            return 0;
    uint8_t second = byte(1);
    if ((lead == 0xc2 && second < 0xa0) || (lead == 0xe0 && second < 0xa0) ||
        (lead == 0xed && second > 0x9f) || (lead == 0xf0 && second < 0x90) ||
        (lead == 0xf4 && second > 0x8f))
        return 0;
    return length;
}

}  // namespace

size_t escape_for_line(std::string_view text, char* out, size_t size) {
    if (size == 0)
        return 0;
    size_t length = 0;
    while (!text.empty()) {
        char piece[4];
        size_t piece_length = 0;
        size_t used = 1;
        auto c = static_cast<uint8_t>(text[0]);
        if (c == '\\') {
            piece[0] = piece[1] = '\\';
            piece_length = 2;
        } else if (c >= 0x20 && c < 0x7f) {
            piece[0] = static_cast<char>(c);
            piece_length = 1;
        } else if ((used = utf8_sequence(text)) != 0) {
            std::memcpy(piece, text.data(), used);
            piece_length = used;
        } else {
            static constexpr char digits[] = "0123456789abcdef";
            piece[0] = '\\';
            piece[1] = 'x';
            piece[2] = digits[c >> 4];
            piece[3] = digits[c & 15];
            piece_length = 4;
            used = 1;
        }
        if (length + piece_length >= size)
            break;
        std::memcpy(out + length, piece, piece_length);
        length += piece_length;
        text.remove_prefix(used);
    }
    out[length] = '\0';
    return length;
}

}  // namespace vigil
