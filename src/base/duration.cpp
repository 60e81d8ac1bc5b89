#include "base/duration.h"

#include "base/format.h"
#include "base/text.h"

namespace vigil {

std::optional<int64_t> parse_duration_ms(std::string_view text) {
    // Split into the number and the unit suffix.
    size_t unit_start = 0;
    while (unit_start < text.size() &&
           ((text[unit_start] >= '0' && text[unit_start] <= '9') || text[unit_start] == '.'))
        ++unit_start;
    std::string_view number = text.substr(0, unit_start);
    std::string_view unit = text.substr(unit_start);

    constexpr int64_t unit_lengths_ms[] = {1000, 1, 60 * 1000, 3600 * 1000};
    int unit_index = unit.empty() ? 0 : find_string(unit, "s\0ms\0m\0h\0");
    if (unit_index < 0)
        return std::nullopt;
    int64_t unit_ms = unit_lengths_ms[unit_index];

    // Integer part, then at most 9 fractional digits, as a count of
    // nanoseconds-of-a-unit so that "1.5" and "0.001" are exact.
    int64_t whole = 0;
    int64_t fraction_nanos = 0;
    int64_t fraction_scale = 100000000;
    bool seen_digit = false;
    bool seen_point = false;
    for (char c : number) {
        if (c == '.') {
            if (seen_point)
                return std::nullopt;
            seen_point = true;
            continue;
        }
        seen_digit = true;
        int digit = c - '0';
        if (!seen_point) {
            whole = whole * 10 + digit;
            if (whole * unit_ms > max_duration_ms)
                return std::nullopt;
        } else if (fraction_scale > 0) {
            fraction_nanos += digit * fraction_scale;
            fraction_scale /= 10;
        }
    }
    if (!seen_digit)
        return std::nullopt;

    int64_t total = whole * unit_ms + fraction_nanos * unit_ms / 1000000000;
    if (total > max_duration_ms)
        return std::nullopt;
    return total;
}

const char* format_duration(int64_t ms, char* buffer, size_t size) {
    if (ms < 1000 || ms % 100 != 0)
        format_into(buffer, size, "%lldms", static_cast<long long>(ms));
    else if (ms % 60000 == 0)
        format_into(buffer, size, "%lldm", static_cast<long long>(ms / 60000));
    else if (ms % 1000 == 0)
        format_into(buffer, size, "%llds", static_cast<long long>(ms / 1000));
    else
        format_into(buffer, size, "%lld.%llds", static_cast<long long>(ms / 1000),
                    static_cast<long long>(ms % 1000 / 100));
    return buffer;
}

}  // namespace vigil
