// Signal names and numbers, and the rewrite table of --rewrite FROM:TO.
//
// Names follow kill(1): "TERM", "SIGTERM", a number, or "RTMIN+N"/"RTMAX-N"
// for real-time signals. Numbers are those of the libc vigil is built with
// (musl and glibc reserve different real-time signals for themselves).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil {

// Highest signal number the kernel knows (SIGRTMAX on Linux).
inline constexpr int max_signal = 64;

// Parses a signal name or number. Accepts 1..max_signal; nullopt otherwise.
std::optional<int> parse_signal(std::string_view text);

// Parses a signal like parse_signal, but also accepts 0 (used as "drop").
std::optional<int> parse_signal_or_zero(std::string_view text);

// Writes the canonical name ("SIGTERM", "SIGRTMIN+2", or "signal 33") of
// `signal` into `buffer` and returns it.
const char* signal_name(int signal, char* buffer, size_t size);

// True for the signals vigil receives and forwards: every catchable signal
// (1..31 and the real-time range 32..64) except SIGKILL, SIGSTOP and SIGCHLD.
bool is_forwardable(int signal);

// What to forward in place of each received signal. Identity by default; a
// target of 0 drops the signal.
class SignalRewrites {
  public:
    SignalRewrites();
    void set(int from, int to) { target_[static_cast<size_t>(from)] = static_cast<uint8_t>(to); }
    int apply(int signal) const;

  private:
    std::array<uint8_t, max_signal + 1> target_;
};

}  // namespace vigil
