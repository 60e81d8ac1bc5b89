// What the fuzz targets share: a check that aborts (libFuzzer reports it with
// the input), input split at NUL bytes into C strings as argv would be, and
// the tests' checks of JSON and of lines safe to print (strict_json.h).
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

using vigil_test::is_safe_line;

}  // namespace vigil_fuzz
