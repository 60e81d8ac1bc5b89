// Fuzzes parse_duration_ms and format_duration: a parsed duration lies
// between 0 and 30 days, and what format_duration writes for it (or for any
// duration in range) parses back to the same number of milliseconds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "base/duration.h"
#include "fuzz_check.h"

using vigil_fuzz::check;

namespace {

void check_round_trip(int64_t ms) {
    char text[32];
    vigil::format_duration(ms, text, sizeof text);
    std::optional<int64_t> again = vigil::parse_duration_ms(text);
    check(again && *again == ms);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (std::optional<int64_t> ms = vigil::parse_duration_ms(text)) {
        check(*ms >= 0 && *ms <= vigil::max_duration_ms);
        check_round_trip(*ms);
    }
    if (size >= 8) {
        uint64_t bits = 0;
        std::memcpy(&bits, data, 8);
        check_round_trip(static_cast<int64_t>(bits % (vigil::max_duration_ms + 1)));
    }
    return 0;
}
