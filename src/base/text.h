// ASCII text helpers shared by the parsers (signal names, URLs, HTTP). HTTP
// names and schemes are ASCII and case-insensitive; locales play no part.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

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

inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

inline bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// The `index`th string of `list`, a run of NUL-terminated strings ended by
// an empty one ("OK\0CANCELLED\0"): names indexed by a code without a table
// of pointers. Null when the list is shorter.
inline const char* nth_string(const char* list, unsigned index) {
    for (; *list; list += __builtin_strlen(list) + 1)
        if (index-- == 0)
            return list;
    return nullptr;
}

// The whole of `text` as a decimal number of type T: nullopt when it is
// empty, has anything but the number in it, or does not fit.
template <typename T>
std::optional<T> parse_number(std::string_view text) {
    T value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// The same, and within [low, high].
template <typename T>
std::optional<T> parse_number_in(std::string_view text, T low, T high) {
    std::optional<T> value = parse_number<T>(text);
    return value && *value >= low && *value <= high ? value : std::nullopt;
}

}  // namespace vigil
