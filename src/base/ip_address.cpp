#include "base/ip_address.h"

#include <cstring>

#include "base/text.h"

namespace vigil {
namespace {

int hex_value(char c) {
    if (is_digit(c))
        return c - '0';
    c = ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

bool parse_ipv4_address(std::string_view text, uint8_t* bytes) {
    uint8_t parsed[4];
    size_t position = 0;
    for (uint8_t& byte : parsed) {
        if (&byte != parsed) {
            if (position == text.size() || text[position] != '.')
                return false;
            ++position;
        }
        size_t start = position;
        unsigned value = 0;
        while (position < text.size() && position - start < 3 && is_digit(text[position]))
            value = value * 10 + static_cast<unsigned>(text[position++] - '0');
        size_t digits = position - start;
        if (digits == 0 || (digits > 1 && text[start] == '0') || value > 255)
            return false;
        byte = static_cast<uint8_t>(value);
    }
    if (position != text.size())
        return false;
    std::memcpy(bytes, parsed, sizeof parsed);
    return true;
}

bool parse_ipv6_address(std::string_view text, uint8_t* bytes) {
    uint8_t parsed[16] = {};
    size_t count = 0;  // bytes parsed
    int gap = -1;      // where "::" stands, in bytes; -1: no "::"
    size_t position = 0;
    if (text.substr(0, 2) == "::") {
        gap = 0;
        position = 2;
    }
    while (position < text.size()) {
        size_t start = position;
        unsigned group = 0;
        while (position < text.size() && position - start < 4 && hex_value(text[position]) >= 0)
            group = group << 4 | static_cast<unsigned>(hex_value(text[position++]));
        if (position == start || count == 16)
            return false;
        if (position < text.size() && text[position] == '.') {
            // The last 32 bits as an IPv4 address, from the start of this group.
            uint8_t ipv4[4];
            if (count > 12 || !parse_ipv4_address(text.substr(start), ipv4))
                return false;
            std::memcpy(parsed + count, ipv4, 4);
            count += 4;
            break;
        }
        parsed[count++] = static_cast<uint8_t>(group >> 8);
        parsed[count++] = static_cast<uint8_t>(group);
        if (position == text.size())
            break;
        // A separator; a fifth hexadecimal digit lands here too.
        if (text[position++] != ':' || position == text.size())
            return false;
        if (text[position] == ':') {
            if (gap >= 0)
                return false;
            gap = static_cast<int>(count);
            ++position;
        }
    }
    // Without "::" all eight groups are there; with it, at least one is not.
    if (gap < 0 ? count != 16 : count == 16)
        return false;
    size_t tail = count - static_cast<size_t>(gap);
    std::memset(bytes, 0, 16);
    std::memcpy(bytes, parsed, static_cast<size_t>(gap < 0 ? 16 : gap));
    if (gap >= 0)
        std::memcpy(bytes + 16 - tail, parsed + gap, tail);
    return true;
}

}  // namespace vigil
