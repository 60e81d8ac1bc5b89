// Durations as people write them on a command line or in an environment
// variable: "1500ms", "2s", "1.5s", "1m", "1h", or a bare number of seconds.
// vigil keeps every duration in whole milliseconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil {

// The longest duration accepted: 30 days. Longer values are surely typos, and
// the cap keeps every deadline computation far from overflow.
inline constexpr int64_t max_duration_ms = 30LL * 24 * 3600 * 1000;

// What a valid duration looks like, for error messages.
inline constexpr const char duration_syntax_hint[] =
    "expected e.g. 1500ms, 2s, 1.5s or 1m, at most 30 days";

// Parses `text`; nullopt when it is empty, negative, malformed, has an unknown
// unit or exceeds max_duration_ms. Fractions below a millisecond round down.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// Writes `ms` as a short human string ("250ms", "2s", "1.5s", "3m") into
// `buffer` (always NUL-terminated) and returns it.
const char* format_duration(int64_t ms, char* buffer, size_t size);

}  // namespace vigil
