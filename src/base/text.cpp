#include "base/text.h"

namespace vigil {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

int find_string(std::string_view text, const char* list, bool ignoring_case) {
    for (int index = 0; *list; ++index, list += __builtin_strlen(list) + 1)
        if (ignoring_case ? equals_ignoring_case(text, list) : text == list)
            return index;
    return -1;
}

bool parse_integer(std::string_view text, int64_t low, int64_t high, bool allow_minus,
                   int64_t& value) {
    bool negative = allow_minus && !text.empty() && text[0] == '-';
    if (negative)
        text.remove_prefix(1);
    if (text.empty())
        return false;
    uint64_t magnitude = 0;
    for (char c : text) {
        // From 2^60 on, one more digit goes past every int64_t.
        if (!is_digit(c) || magnitude >= uint64_t{1} << 60)
            return false;
        magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
    }
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + negative)
        return false;
    value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return value >= low && value <= high;
}

}  // namespace vigil
