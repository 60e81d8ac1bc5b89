#include "supervisor/supervisor_command_line.h"

#include <cstring>
#include <string_view>

#include "base/duration.h"
#include "base/format.h"
#include "base/text.h"

namespace vigil {

namespace {

using namespace supervisor_option;

const char* set_duration(int64_t& out, const char* value) {
    auto duration = parse_duration_ms(value);
    if (!duration)
        return duration_syntax_hint;
    out = *duration;
    return nullptr;
}

const char* set_signal(int& out, const char* value) {
    auto signal = parse_signal(value);
    if (!signal)
        return "expected a signal name or number, e.g. TERM, SIGQUIT or 3";
    out = *signal;
    return nullptr;
}

const char* set_forward_to(ParsedSupervisorCommandLine& parsed, const char* value) {
    // In ForwardScope's order.
    int scope = find_string(value, "group\0child\0all\0");
    if (scope < 0)
        return "expected group, child or all";
    parsed.config.forward_to = static_cast<ForwardScope>(scope);
    parsed.forward_to_given = true;
    return nullptr;
}

const char* add_rewrite(SupervisorConfig& config, const char* value, OptionWhy& why) {
    const char* colon = std::strchr(value, ':');
    if (!colon)
        return "expected FROM:TO, e.g. TERM:QUIT";
    std::string_view from_text(value, static_cast<size_t>(colon - value));
    auto from = parse_signal(from_text);
    auto to = parse_signal_or_zero(colon + 1);
    if (!from || !to) {
        std::string_view unknown = !from ? from_text : std::string_view(colon + 1);
        format_into(why.text, sizeof why.text, "unknown signal '%.*s'",
                    static_cast<int>(unknown.size()), unknown.data());
        return why.text;
    }
    if (!is_forwardable(*from)) {
        format_into(why.text, sizeof why.text, "%.*s is never forwarded",
                    static_cast<int>(from_text.size()), from_text.data());
        return why.text;
    }
    config.rewrites.set(*from, *to);
    return nullptr;
}

// A number within [low, high] into `out`; otherwise `expected`.
const char* set_number(int& out, const char* value, int low, int high, const char* expected) {
    auto number = parse_number_in(value, low, high);
    if (!number)
        return expected;
    out = *number;
    return nullptr;
}

// What each option does, by its row's action. One switch rather than a
// function per row: a column of function pointers costs 8 bytes a row, and a
// relocation each in a static PIE.
const char* apply_option(void* settings, uint8_t action, const char* value, OptionWhy& why) {
    auto& parsed = *static_cast<ParsedSupervisorCommandLine*>(settings);
    SupervisorConfig& config = parsed.config;
    CheckSpec& check = config.watchdog.check;
    switch (static_cast<SupervisorOption>(action)) {
        case set_grace: {
            int64_t grace = 0;
            const char* error = set_duration(grace, value);
            if (!error)
                config.grace_ms = grace;
            return error;
        }
        case set_drain:
            return set_duration(config.drain_ms, value);
        case set_stop_delay:
            return set_duration(config.stop_delay_ms, value);
        case set_stop_signal:
        case set_pdeathsig: {
            // Both are signals vigil itself receives and must catch: SIGKILL
            // from a dying parent would end vigil and orphan the child.
            int signal = 0;
            if (const char* error = set_signal(signal, value))
                return error;
            if (!is_forwardable(signal))
                return "SIGKILL, SIGSTOP and SIGCHLD cannot be caught (to end the child when "
                       "vigil's parent dies: -p TERM, and --grace)";
            (action == set_stop_signal ? config.stop_signal : config.parent_death_signal) = signal;
            return nullptr;
        }
        case set_forward_to_scope:
            return set_forward_to(parsed, value);
        case forward_to_group:
            return set_forward_to(parsed, "group");
        case add_rewrite_rule:
            return add_rewrite(config, value, why);
        case set_single_child:
            config.single_child = true;
            return nullptr;
        case add_remap_exit: {
            int code = 0;
            const char* error = set_number(code, value, 0, 255, "expected 0 to 255");
            if (!error)
                config.remap.add(code);
            return error;
        }
        case set_subreaper:
            config.subreaper = true;
            return nullptr;
        case set_warn_reap:
            config.warn_reap = true;
            return nullptr;
        case add_verbosity:
            if (value)
                return set_number(config.verbosity, value, 0, 9, "expected a number from 0 to 9");
            ++config.verbosity;
            return nullptr;
        case set_log_format: {
            int format = find_string(value, "text\0json\0");  // in LogFormat's order
            if (format < 0)
                return "expected text or json";
            config.log_format = static_cast<LogFormat>(format);
            return nullptr;
        }
        case set_watchdog:
            if (const char* error = set_check_url(check, value, parsed.environment))
                return error;
            config.watchdog_enabled = true;
            return nullptr;
        case set_watchdog_interval: {
            int64_t& interval = config.watchdog.interval_ms;
            if (const char* error = set_duration(interval, value))
                return error;
            return interval == 0 ? "the interval must be longer than 0" : nullptr;
        }
        case set_watchdog_timeout:
            return set_check_timeout(check, value);
        case set_watchdog_failures:
            return set_number(config.watchdog.failures, value, 1, 1000,
                              "expected a number from 1 to 1000");
        case set_watchdog_start_period:
            return set_duration(config.watchdog.start_period_ms, value);
        case set_watchdog_status:
            return set_check_status(check, value);
        case add_watchdog_header:
            return add_check_header(check, value, parsed.environment);
        case set_watchdog_expect:
            if (!*value)
                return "empty";
            check.expect = value;
            return nullptr;
        case set_watchdog_follow_redirects:
            check.follow_redirects = true;
            return nullptr;
        case set_watchdog_unix_socket:
            if (!*value)
                return "empty";
            check.unix_socket = value;
            return nullptr;
        case ask_help:
            parsed.action = SupervisorAction::help;
            return nullptr;
        case ask_version:
            parsed.action = SupervisorAction::version;
            return nullptr;
    }
    return nullptr;
}

constexpr auto packed_rows = pack_options<packed_names_size(rows, "VIGIL_")>(rows, "VIGIL_");

static_assert(std::size(rows) <= OptionTable::max_rows);

// The flags of tini and dumb-init that vigil does not have (every other one
// means the same in vigil).
constexpr OptionAdvice peer_flags[] = {
    {"-l", "that is tini's license flag; vigil's license (MIT) is in its README"},
};

}  // namespace

void parse_supervisor_command_line(int argc, char** argv, EnvironmentLookup environment,
                                   ParsedSupervisorCommandLine& out) {
    out.action = SupervisorAction::run;
    out.environment = environment;
    OptionList options(packed_rows, "VIGIL_", apply_option, peer_flags);
    OptionTable table(options, &out, out.error, sizeof out.error);
    int next = argc;
    if (!table.parse_arguments(argc, argv, OptionTable::Operands::end_options, next)) {
        out.action = SupervisorAction::usage_error;
        return;
    }
    if (out.action != SupervisorAction::run)
        return;  // --help or --version: nothing else matters
    if (!table.apply_environment(environment) || !table.check_requirements()) {
        out.action = SupervisorAction::usage_error;
        return;
    }
    SupervisorConfig& config = out.config;
    if (config.single_child && out.forward_to_given && config.forward_to != ForwardScope::child) {
        table.fail(
            "-c (VIGIL_SINGLE_CHILD) sends signals to the child's PID; it cannot be combined "
            "with --forward-to (VIGIL_FORWARD_TO) group or all");
        out.action = SupervisorAction::usage_error;
        return;
    }
    if (config.single_child)
        config.forward_to = ForwardScope::child;
    // As for vigil probe: these make sense for http:// only; given with
    // another scheme, a mistake (their variables are ignored there).
    if (config.watchdog_enabled && config.watchdog.check.url.scheme != UrlScheme::http) {
        bool grpc = config.watchdog.check.url.scheme == UrlScheme::grpc;
        const char* option = grpc && table.given(watchdog_status_row) ? "--watchdog-status"
                             : table.given(watchdog_expect_row)       ? "--watchdog-expect"
                             : table.given(watchdog_follow_redirects_row)
                                 ? "--watchdog-follow-redirects"
                                 : nullptr;
        if (option) {
            table.fail("option %s applies to http:// URLs only", option);
            out.action = SupervisorAction::usage_error;
            return;
        }
    }
    if (next >= argc) {
        table.fail("no program given: usage is vigil [OPTIONS] [--] PROGRAM [ARG...]");
        out.action = SupervisorAction::usage_error;
        return;
    }
    config.program = argv + next;
}

}  // namespace vigil
