// Fuzzes signal names (kill(1)'s forms: TERM, SIGTERM, 15, RTMIN+2) and the
// rewrites of -r FROM:TO: a name parses to 1..64 (or 0 where "drop" is
// allowed), the canonical name (but for those libc reserves, "signal 33")
// parses back to the same signal, and a rewrite
// table that the command line accepts maps every signal to 0..64 and never
// touches SIGKILL, SIGSTOP or SIGCHLD.
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "supervisor/signals.h"
#include "supervisor/supervisor_command_line.h"

using vigil_fuzz::check;

namespace {

char* no_environment(const char*) {
    return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (std::optional<int> signal = vigil::parse_signal(text)) {
        check(*signal >= 1 && *signal <= vigil::max_signal);
        char name[32];  // "signal 33" names one that libc keeps for itself
        std::string_view written = vigil::signal_name(*signal, name, sizeof name);
        check(written.rfind("signal ", 0) == 0 || vigil::parse_signal(written) == signal);
    }
    if (std::optional<int> signal = vigil::parse_signal_or_zero(text))
        check(*signal >= 0 && *signal <= vigil::max_signal);
    if (size >= 2) {  // any number, any buffer: always NUL-terminated inside it
        char name[16];
        size_t room = 1 + data[1] % sizeof name;
        vigil::signal_name(static_cast<int8_t>(data[0]), name, room);
        check(std::string_view(name, room).find('\0') != std::string_view::npos);
    }

    std::string rewrite(text.substr(0, text.find('\0')));
    std::string argv_text[] = {"vigil", "-r", rewrite, "--", "app"};
    char* argv[] = {argv_text[0].data(), argv_text[1].data(), argv_text[2].data(),
                    argv_text[3].data(), argv_text[4].data(), nullptr};
    auto parsed = std::make_unique<vigil::ParsedSupervisorCommandLine>();
    vigil::parse_supervisor_command_line(5, argv, no_environment, *parsed);
    if (parsed->action == vigil::SupervisorAction::usage_error) {
        check(parsed->error[0] != '\0' && vigil_fuzz::is_safe_line(parsed->error));
        return 0;
    }
    const vigil::SignalRewrites& rewrites = parsed->config.rewrites;
    for (int signal = 1; signal <= vigil::max_signal; ++signal)
        check(rewrites.apply(signal) >= 0 && rewrites.apply(signal) <= vigil::max_signal);
    for (int fixed : {SIGKILL, SIGSTOP, SIGCHLD}) check(rewrites.apply(fixed) == fixed);
    return 0;
}
