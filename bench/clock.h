// The one clock every figure uses: CLOCK_MONOTONIC, shared by the driver and
// bench-child, so timestamps taken in different processes can be subtracted.
#pragma once

#include <time.h>

#include <cstdint>

namespace bench {

inline int64_t monotonic_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

inline void sleep_ns(int64_t duration) {
    timespec pause{static_cast<time_t>(duration / 1'000'000'000),
                   static_cast<long>(duration % 1'000'000'000)};
    while (nanosleep(&pause, &pause) != 0) {
    }
}

}  // namespace bench
