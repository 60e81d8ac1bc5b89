// DNS messages, as far as a health probe needs them (RFC 1035): a query for
// one name's A or AAAA records, and the addresses in the answer. Pure
// functions over bytes, bounds-checked everywhere, so they can be fuzzed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::dns {

inline constexpr uint16_t type_a = 1;
inline constexpr uint16_t type_aaaa = 28;

inline constexpr int rcode_ok = 0;
inline constexpr int rcode_server_failure = 2;
inline constexpr int rcode_name_error = 3;  // NXDOMAIN: the name does not exist
inline constexpr int rcode_refused = 5;

// The largest message vigil sends (a query for a 253-character name).
inline constexpr size_t max_query_bytes = 12 + 255 + 4;

struct Address {
    int family = 0;  // AF_INET or AF_INET6
    uint8_t bytes[16] = {};
};

inline constexpr size_t max_answer_addresses = 8;

struct Answer {
    uint16_t id = 0;
    uint16_t question_type = 0;
    int rcode = 0;
    size_t address_count = 0;  // A and AAAA records, CNAMEs skipped
    Address addresses[max_answer_addresses];
};

// Writes a recursive query for `name` (no trailing dot); returns its length,
// or 0 when `name` is not a valid DNS name or `out` is too small.
size_t build_query(uint16_t id, std::string_view name, uint16_t type, std::span<uint8_t> out);

// Reads a response; false when it is not a well-formed response to one
// question. Records past max_answer_addresses are ignored.
bool parse_answer(std::span<const uint8_t> message, Answer& answer);

// True when `response` is to `query` (a message build_query wrote): the same
// ID and the same one question, its name compared without regard to ASCII
// case (RFC 4343), its type and class byte for byte. An answer with the
// right ID to another question is a forgery or a confused server (RFC 5452,
// section 9.1), and must be ignored.
bool answers_query(std::span<const uint8_t> response, std::span<const uint8_t> query);

}  // namespace vigil::dns
