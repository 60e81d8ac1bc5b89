// What the fuzz targets share: a check that aborts (libFuzzer reports it with
// the input), input split at NUL bytes into C strings as argv would be, and
// the test of a line that reaches a terminal or a log: printable, valid
// UTF-8, no C1 control, nothing base/escape.h escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "strict_json.h"

namespace vigil_fuzz {

inline void check(bool condition) {
    if (!condition)
        std::abort();
}

// The pieces of `data` between NUL bytes (an empty one at the end dropped).
inline std::vector<std::string> split_at_nul(const uint8_t* data, size_t size) {
    std::vector<std::string> pieces(1);
    for (size_t i = 0; i < size; ++i) {
        if (data[i] == 0)
            pieces.emplace_back();
        else
            pieces.back() += static_cast<char>(data[i]);
    }
    if (pieces.back().empty())
        pieces.pop_back();
    return pieces;
}

// True when `text` could go to a terminal or a log as one line: valid UTF-8,
// no C0 control or DEL, no C1 control, no line separator and no
// bidirectional control.
inline bool is_safe_line(std::string_view text) {
    if (!vigil_test::is_valid_utf8(text))
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        auto next = [&](size_t k) {
            return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
        };
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c == 0xc2 && next(1) < 0xa0)
            return false;  // U+0080 to U+009F
        if (c == 0xe2 && next(1) == 0x80 &&
            (next(2) == 0x8e || next(2) == 0x8f || (next(2) >= 0xa8 && next(2) <= 0xae)))
            return false;  // U+200E, U+200F, U+2028 to U+202E
        if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9)
            return false;  // U+2066 to U+2069
    }
    return true;
}

}  // namespace vigil_fuzz
