// ASCII text helpers shared by the parsers (signal names, URLs, HTTP). HTTP
// names and schemes are ASCII and case-insensitive; locales play no part.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

namespace vigil {

inline char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A character of an HTTP token (RFC 9110's tchar): methods, header names.
inline bool is_token_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Out of line, both: inlined, each comparison was a loop of its own.
bool equals_ignoring_case(std::string_view a, std::string_view b);
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

// The `index`th string of `list`, a run of NUL-terminated strings ended by
// an empty one ("OK\0CANCELLED\0"): names indexed by a code without a table
// of pointers. Null when the list is shorter.
inline const char* nth_string(const char* list, unsigned index) {
    for (; *list; list += __builtin_strlen(list) + 1)
        if (index-- == 0)
            return list;
    return nullptr;
}

// Where `text` is in `list`, a run of strings as nth_string() reads it
// ("group\0child\0all\0"): its index, or -1. One call and a switch in place
// of a chain of comparisons, each of which cost a call of its own.
int find_string(std::string_view text, const char* list, bool ignoring_case = false);

// The whole of `text` as a decimal number within [low, high], with a leading
// '-' only when `allow_minus` (std::from_chars' rules): false when it is empty,
// has anything but the number in it, or is out of range. One function for
// every integer type, out of line: each instantiation of std::from_chars
// cost some 200 bytes of the release binary.
bool parse_integer(std::string_view text, int64_t low, int64_t high, bool allow_minus,
                   int64_t& value);

// The same as an optional of type T, which int64_t must hold.
template <typename T>
std::optional<T> parse_number_in(std::string_view text, T low, T high) {
    static_assert(std::numeric_limits<T>::max() <= std::numeric_limits<int64_t>::max());
    int64_t value = 0;
    if (!parse_integer(text, static_cast<int64_t>(low), static_cast<int64_t>(high),
                       std::is_signed_v<T>, value))
        return std::nullopt;
    return static_cast<T>(value);
}

// Any value of type T.
template <typename T>
std::optional<T> parse_number(std::string_view text) {
    return parse_number_in<T>(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
}

}  // namespace vigil
