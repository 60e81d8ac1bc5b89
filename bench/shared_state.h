// The page the driver shares with bench-child (and the orphans it forks): a
// /dev/shm file both map. The 32-bit words double as futexes, so the side
// that waits sleeps in the kernel instead of spinning on one of two cores.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdint>

namespace bench {

struct SharedState {
    uint32_t ready;            // bench-child: child_ready once set up, child_failed if not
    uint32_t signals_seen;     // bench-child: +1 per SIGUSR1, after stamping it
    int64_t last_signal_ns;    // bench-child: CLOCK_MONOTONIC in the SIGUSR1 handler
    uint32_t release_orphans;  // driver: 1 lets every orphan exit
    uint32_t orphans_waiting;  // orphans: +1 each once blocked on release_orphans
    uint32_t orphans_exited;   // orphans: +1 each just before _exit
};

constexpr uint32_t child_ready = 1;
constexpr uint32_t child_failed = 2;

// Atomic access to a field of the shared page (plain fields, so the layout
// is the same in both programs; std::atomic_ref gives the ordering).
template <typename T>
std::atomic_ref<T> shared(T& field) {
    return std::atomic_ref<T>(field);
}

// Sleeps while `word` still holds `expected`, at most `timeout_ns` (< 0:
// no limit). Shared (not FUTEX_PRIVATE) because the waker is another process.
inline void futex_wait(uint32_t& word, uint32_t expected, int64_t timeout_ns) {
    timespec timeout{static_cast<time_t>(timeout_ns / 1'000'000'000),
                     static_cast<long>(timeout_ns % 1'000'000'000)};
    syscall(SYS_futex, &word, FUTEX_WAIT, expected, timeout_ns < 0 ? nullptr : &timeout, nullptr,
            0);
}

inline void futex_wake_all(uint32_t& word) {
    syscall(SYS_futex, &word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace bench
