// IPv4 and IPv6 address literals ("127.0.0.1", "::1", "::ffff:10.0.0.1") into
// their bytes, with inet_pton's rules: four decimal parts 0-255 without
// leading zeros; eight hexadecimal groups of at most four digits, one "::"
// standing for one or more zero groups, and an IPv4 address as the last 32
// bits. musl's inet_pton needs a NUL-terminated copy and costs 830 bytes of
// the release binary; this reads the text where it is, in about a third.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil {

// Each writes its 4 or 16 bytes only when the whole text is an address.
bool parse_ipv4_address(std::string_view text, uint8_t* bytes);
bool parse_ipv6_address(std::string_view text, uint8_t* bytes);

}  // namespace vigil
