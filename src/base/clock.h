// Time as vigil measures it: CLOCK_MONOTONIC, which neither jumps with the
// wall clock nor stops while the system sleeps in a way that matters here.
#pragma once

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>

namespace vigil {

// The clock as a system call, not through the vDSO: libc's lookup of the vDSO
// symbol costs some 850 bytes of a binary counted in bytes, and a system
// call's tenth of a microsecond is nothing beside what vigil waits for.
inline void read_clock(clockid_t clock, timespec& now) {
    syscall(SYS_clock_gettime, clock, &now);
}

inline int64_t monotonic_us() {
    timespec now{};
    read_clock(CLOCK_MONOTONIC, now);
    return static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

inline int64_t monotonic_ms() {
    return monotonic_us() / 1000;
}

// The longest single wait: poll(2) takes an int of milliseconds (24.8 days),
// and durations go up to 30 days. A deadline further away is reached by
// waking once a day and looking again.
inline constexpr int64_t max_wait_ms = 24LL * 3600 * 1000;

// poll(2)'s timeout for a wait of `wait_ms`: 0 when due, at most max_wait_ms.
inline int poll_timeout_ms(int64_t wait_ms) {
    return static_cast<int>(wait_ms <= 0 ? 0 : wait_ms < max_wait_ms ? wait_ms : max_wait_ms);
}

}  // namespace vigil
