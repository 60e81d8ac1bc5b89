#include "supervisor/signals.h"

#include <csignal>
#include <cstdint>

#include "base/format.h"
#include "base/text.h"

namespace vigil {
namespace {

// The name of each signal without its "SIG", aliases after the name they
// stand for. Names in place rather than pointers to them: a pointer costs
// 8 bytes, and in a static PIE a 24-byte relocation as well.
struct NamedSignal {
    char name[7];
    uint8_t number;
};

constexpr NamedSignal named_signals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

// "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (prefix SIG already removed).
std::optional<int> parse_realtime(std::string_view text) {
    bool from_min = starts_with_ignoring_case(text, "RTMIN");
    if (!from_min && !starts_with_ignoring_case(text, "RTMAX"))
        return std::nullopt;
    std::string_view rest = text.substr(5);
    int offset = 0;
    if (!rest.empty()) {
        if (rest[0] != (from_min ? '+' : '-'))
            return std::nullopt;
        auto number = parse_number<int>(rest.substr(1));
        if (!number)
            return std::nullopt;
        offset = *number;
    }
    int signal = from_min ? SIGRTMIN + offset : SIGRTMAX - offset;
    if (signal < SIGRTMIN || signal > SIGRTMAX)
        return std::nullopt;
    return signal;
}

}  // namespace

std::optional<int> parse_signal_or_zero(std::string_view text) {
    if (auto number = parse_number<int>(text))
        return *number >= 0 && *number <= max_signal ? number : std::nullopt;
    if (starts_with_ignoring_case(text, "SIG"))
        text = text.substr(3);
    for (const NamedSignal& named : named_signals)
        if (equals_ignoring_case(text, named.name))
            return named.number;
    return parse_realtime(text);
}

std::optional<int> parse_signal(std::string_view text) {
    auto signal = parse_signal_or_zero(text);
    if (signal && *signal == 0)
        return std::nullopt;
    return signal;
}

const char* signal_name(int signal, char* buffer, size_t size) {
    for (const NamedSignal& named : named_signals) {
        if (named.number == signal) {
            format_into(buffer, size, "SIG%s", named.name);
            return buffer;
        }
    }
    if (signal == SIGRTMIN)
        format_into(buffer, size, "SIGRTMIN");
    else if (signal > SIGRTMIN && signal <= SIGRTMAX)
        format_into(buffer, size, "SIGRTMIN+%d", signal - SIGRTMIN);
    else
        format_into(buffer, size, "signal %d", signal);
    return buffer;
}

bool is_forwardable(int signal) {
    if (signal == SIGKILL || signal == SIGSTOP || signal == SIGCHLD)
        return false;
    // 32..SIGRTMIN-1 are real-time signals that libc reserves for itself;
    // vigil does not use them, so they are forwarded too.
    return signal >= 1 && signal <= max_signal;
}

SignalRewrites::SignalRewrites() {
    for (size_t i = 0; i < target_.size(); ++i) target_[i] = static_cast<uint8_t>(i);
}

int SignalRewrites::apply(int signal) const {
    if (signal < 0 || signal > max_signal)
        return signal;
    return target_[static_cast<size_t>(signal)];
}

}  // namespace vigil
