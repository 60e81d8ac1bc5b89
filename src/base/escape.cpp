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

void put(EscapedCharacter& out, const char* text) {
    out.length = std::strlen(text);
    std::memcpy(out.text, text, out.length);
}

// `prefix` then `value` in `digits` lowercase hexadecimal digits.
void put_hex(EscapedCharacter& out, const char* prefix, uint32_t value, size_t digits) {
    put(out, prefix);
    while (digits-- > 0) out.text[out.length++] = "0123456789abcdef"[(value >> (4 * digits)) & 15];
}

}  // namespace

EscapedCharacter escape_character(std::string_view input, EscapeForm form) {
    EscapedCharacter out;
    unsigned char first = static_cast<unsigned char>(input[0]);
    uint32_t code_point = first;
    out.consumed = first < 0x80 ? 1 : utf8_sequence(input, code_point);
    if (out.consumed == 0) {  // not UTF-8: the byte's value
        out.consumed = 1;
        put_hex(out, form == EscapeForm::json ? "\\\\x" : "\\x", first, 2);
    } else if (first == '\\') {
        put(out, "\\\\");
    } else if (first == '"' && form != EscapeForm::line) {
        put(out, "\\\"");
    } else if (first == '\n' || first == '\r' || first == '\t') {
        put(out, first == '\n' ? "\\n" : first == '\r' ? "\\r" : "\\t");
    } else if (code_point < 0x80 && is_escaped(code_point)) {
        put_hex(out, form == EscapeForm::json ? "\\u00" : "\\x", code_point, 2);
    } else if (is_escaped(code_point)) {
        put_hex(out, "\\u", code_point, 4);
    } else {
        out.length = out.consumed;
        std::memcpy(out.text, input.data(), out.consumed);
    }
    return out;
}

size_t escaped_length(std::string_view input, EscapeForm form, size_t limit) {
    size_t length = 0;
    while (!input.empty() && length <= limit) {
        size_t consumed = 1;
        if (is_plain_ascii(input[0])) {
            ++length;
        } else {
            EscapedCharacter escaped = escape_character(input, form);
            length += escaped.length;
            consumed = escaped.consumed;
        }
        input.remove_prefix(consumed);
    }
    return length;
}

size_t escape_into(std::string_view input, EscapeForm form, char* out, size_t size) {
    size_t length = 0;
    while (!input.empty()) {
        if (is_plain_ascii(input[0]) && length + 1 < size) {
            out[length++] = input[0];
            input.remove_prefix(1);
            continue;
        }
        EscapedCharacter escaped = escape_character(input, form);
        if (length + escaped.length >= size)
            break;
        std::memcpy(out + length, escaped.text, escaped.length);
        length += escaped.length;
        input.remove_prefix(escaped.consumed);
    }
    if (size > 0)
        out[length] = '\0';
    return length;
}

}  // namespace vigil
