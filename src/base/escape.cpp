#include "base/escape.h"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

// The length of the well-formed UTF-8 sequence that starts `input`, with its
// code point, or 0 (RFC 3629's syntax: the second byte's range excludes
// overlong forms, surrogates and code points above U+10FFFF).
size_t utf8_sequence(std::string_view input, uint32_t& code_point) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(input[i]); };
    unsigned char lead = byte(0);
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    size_t length = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : low;
        high = lead == 0xed ? 0x9f : high;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : low;
        high = lead == 0xf4 ? 0x8f : high;
    } else {
        return 0;
    }
    if (input.size() < length)
        return 0;
    code_point = lead & (0x7fU >> length);
    for (size_t i = 1; i < length; ++i) {
        unsigned char next = byte(i);
        if (next < low || next > high)
            return 0;
        code_point = code_point << 6 | (next & 0x3fU);
        low = 0x80;
        high = 0xbf;
    }
    return length;
}

// Controls (C0, DEL, C1), line separators and bidirectional formatting.
bool is_escaped(uint32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f) ||
           code_point == 0x200e || code_point == 0x200f ||
           (code_point >= 0x2028 && code_point <= 0x202e) ||
           (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

EscapedCharacter escape_character(std::string_view input, EscapeForm form) {
    EscapedCharacter out;
    auto first = static_cast<unsigned char>(input[0]);
    uint32_t code_point = first;
    out.consumed = first < 0x80 ? 1 : utf8_sequence(input, code_point);
    bool json = form == EscapeForm::json;
    // The escape: a prefix, then `digits` hexadecimal digits of `value`.
    const char* prefix = nullptr;
    uint32_t value = code_point;
    int digits = 0;
    if (out.consumed == 0) {  // not UTF-8: the byte's value
        out.consumed = 1;
        prefix = json ? "\\\\x" : "\\x";
        value = first;
        digits = 2;
    } else if (first == '\\') {
        prefix = "\\\\";
    } else if (first == '"') {
        prefix = form == EscapeForm::line ? nullptr : "\\\"";
    } else if (first == '\n' || first == '\r' || first == '\t') {
        prefix = first == '\n' ? "\\n" : first == '\r' ? "\\r" : "\\t";
    } else if (is_escaped(code_point)) {
        prefix = code_point >= 0x80 ? "\\u" : json ? "\\u00" : "\\x";
        digits = code_point >= 0x80 ? 4 : 2;
    }
    if (!prefix) {
        out.length = out.consumed;
        std::memcpy(out.text, input.data(), out.consumed);
        return out;
    }
    out.length = std::strlen(prefix);
    std::memcpy(out.text, prefix, out.length);
    while (digits-- > 0) out.text[out.length++] = "0123456789abcdef"[(value >> (4 * digits)) & 15];
    return out;
}

size_t escape_some(std::string_view input, EscapeForm form, char* out, size_t room,
                   size_t& written) {
    size_t used = 0;
    written = 0;
    while (used < input.size()) {
        if (is_plain_ascii(input[used])) {  // the common case, without a call
            if (written == room)
                break;
            out[written++] = input[used++];
            continue;
        }
        EscapedCharacter escaped = escape_character(input.substr(used), form);
        if (written + escaped.length > room)
            break;
        std::memcpy(out + written, escaped.text, escaped.length);
        written += escaped.length;
        used += escaped.consumed;
    }
    return used;
}

}  // namespace vigil
