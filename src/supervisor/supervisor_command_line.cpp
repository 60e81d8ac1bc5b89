#include "supervisor/supervisor_command_line.h"

#include <cstring>
#include <string_view>

#include "base/duration.h"
#include "base/format.h"
#include "base/text.h"

namespace vigil {

const char supervisor_help_text[] =
    "Usage: vigil [OPTIONS] [--] PROGRAM [ARG...]\n"
    "       vigil probe [OPTIONS] URL          (health check; see vigil probe --help)\n"
    "\n"
    "Runs PROGRAM as the init of a container: forwards signals to it, reaps\n"
    "zombies, stops it gracefully and exits with its status.\n"
    "\n"
    "Options (environment variable in brackets; the option wins):\n"
    "      --grace DURATION     after a termination request, SIGKILL the child's\n"
    "                           group this long later [VIGIL_GRACE] (no limit)\n"
    "      --drain DURATION     when the child exits, SIGTERM the processes left,\n"
    "                           SIGKILL them this long later [VIGIL_DRAIN] (3s)\n"
    "      --stop-delay DURATION  hold the first stop signal this long before\n"
    "                           forwarding it, so load balancers stop sending\n"
    "                           traffic first [VIGIL_STOP_DELAY] (0)\n"
    "      --stop-signal SIGNAL the orchestrator's stop signal (the image's\n"
    "                           STOPSIGNAL); it and SIGINT are termination\n"
    "                           requests [VIGIL_STOP_SIGNAL] (TERM)\n"
    "      --forward-to SCOPE   group (the child's process group), child (its PID)\n"
    "                           or all (every other process) [VIGIL_FORWARD_TO]\n"
    "  -r, --rewrite FROM:TO    forward signal FROM as TO; TO=0 drops it (repeatable)\n"
    "                           [VIGIL_REWRITE, comma-separated]\n"
    "  -c, --single-child       no own session; signals to the child's PID only\n"
    "                           [VIGIL_SINGLE_CHILD=1]\n"
    "  -e, --remap-exit CODE    report child exit status CODE as 0 (repeatable)\n"
    "                           [VIGIL_REMAP_EXIT, comma-separated]\n"
    "  -p, --pdeathsig SIGNAL   have the kernel send SIGNAL when vigil's parent dies\n"
    "                           [VIGIL_PDEATHSIG]\n"
    "  -s, --subreaper          register as child subreaper (default when not PID 1)\n"
    "                           [VIGIL_SUBREAPER=1]\n"
    "  -w, --warn-reap          log each orphan that is reaped [VIGIL_WARN_REAP=1]\n"
    "  -v, --verbose            more logging; repeatable [VIGIL_VERBOSITY=N]\n"
    "      --log-format FORMAT  text or json [VIGIL_LOG_FORMAT] (text)\n"
    "  -g                       tini's flag: forward to the child's process group,\n"
    "                           which is vigil's default\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "Watchdog: vigil probes URL itself; after N failures in a row it stops PROGRAM\n"
    "as the stop signal would and exits 124, so that a restart policy replaces it.\n"
    "      --watchdog URL                 http://, tcp://, grpc://, as for vigil probe\n"
    "                                     [VIGIL_WATCHDOG]\n"
    "      --watchdog-interval DURATION   time between probes (10s)\n"
    "                                     [VIGIL_WATCHDOG_INTERVAL]\n"
    "      --watchdog-timeout DURATION    deadline of one probe (3s)\n"
    "                                     [VIGIL_WATCHDOG_TIMEOUT]\n"
    "      --watchdog-failures N          failures in a row that fire it (3)\n"
    "                                     [VIGIL_WATCHDOG_FAILURES]\n"
    "      --watchdog-start-period DURATION  failures in it count only after a\n"
    "                                     first success (0)\n"
    "                                     [VIGIL_WATCHDOG_START_PERIOD]\n"
    "      --watchdog-status LIST         healthy statuses (200-399)\n"
    "                                     [VIGIL_WATCHDOG_STATUS]\n"
    "      --watchdog-header 'NAME: VALUE'  extra request header (repeatable)\n"
    "                                     [VIGIL_WATCHDOG_HEADER, one per line]\n"
    "\n"
    "Termination requests are the stop signal and SIGINT: they start --grace\n"
    "whatever -r forwards. Messages go to stderr; a line it cannot take at once\n"
    "is dropped and counted, never waited for. On a terminal the child holds the\n"
    "foreground only while vigil's group would (see vigil(1), TERMINALS).\n"
    "\n"
    "DURATION: 1500ms, 2s, 1.5s, 1m, 1h, or a number of seconds (at most 30 days).\n"
    "SIGNAL: TERM, SIGTERM, 15, RTMIN+2. Boolean variables: 1, true, yes, on or\n"
    "0, false, no, off.\n"
    "\n"
    "Exit status: the child's exit status, or 128+N if signal N killed it;\n"
    "2 usage error; 124 the watchdog stopped the child; 125 vigil failed;\n"
    "126 PROGRAM not executable; 127 PROGRAM not found.\n";

namespace {

ParsedSupervisorCommandLine& parsed(void* settings) {
    return *static_cast<ParsedSupervisorCommandLine*>(settings);
}

SupervisorConfig& config(void* settings) {
    return parsed(settings).config;
}

CheckSpec& check(void* settings) {
    return config(settings).watchdog.check;
}

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

const char* set_grace(void* settings, const char* value, OptionWhy&) {
    int64_t grace = 0;
    const char* error = set_duration(grace, value);
    if (!error)
        config(settings).grace_ms = grace;
    return error;
}

const char* set_drain(void* settings, const char* value, OptionWhy&) {
    return set_duration(config(settings).drain_ms, value);
}

const char* set_stop_delay(void* settings, const char* value, OptionWhy&) {
    return set_duration(config(settings).stop_delay_ms, value);
}

const char* set_stop_signal(void* settings, const char* value, OptionWhy&) {
    int signal = 0;
    if (const char* error = set_signal(signal, value))
        return error;
    if (!is_forwardable(signal))
        return "SIGKILL, SIGSTOP and SIGCHLD cannot be caught";
    config(settings).stop_signal = signal;
    return nullptr;
}

const char* set_forward_to(void* settings, const char* value, OptionWhy&) {
    std::string_view scope(value);
    ForwardScope& out = config(settings).forward_to;
    if (scope == "group")
        out = ForwardScope::group;
    else if (scope == "child")
        out = ForwardScope::child;
    else if (scope == "all")
        out = ForwardScope::all;
    else
        return "expected group, child or all";
    parsed(settings).forward_to_given = true;
    return nullptr;
}

const char* forward_to_group(void* settings, const char*, OptionWhy& why) {
    return set_forward_to(settings, "group", why);
}

const char* add_rewrite(void* settings, const char* value, OptionWhy& why) {
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
    config(settings).rewrites.set(*from, *to);
    return nullptr;
}

const char* set_single_child(void* settings, const char*, OptionWhy&) {
    config(settings).single_child = true;
    return nullptr;
}

const char* add_remap_exit(void* settings, const char* value, OptionWhy&) {
    auto code = parse_number_in(value, 0, 255);
    if (!code)
        return "expected 0 to 255";
    config(settings).remap.add(*code);
    return nullptr;
}

const char* set_pdeathsig(void* settings, const char* value, OptionWhy&) {
    return set_signal(config(settings).parent_death_signal, value);
}

const char* set_subreaper(void* settings, const char*, OptionWhy&) {
    config(settings).subreaper = true;
    return nullptr;
}

const char* set_warn_reap(void* settings, const char*, OptionWhy&) {
    config(settings).warn_reap = true;
    return nullptr;
}

const char* add_verbosity(void* settings, const char*, OptionWhy&) {
    ++config(settings).verbosity;
    return nullptr;
}

const char* set_verbosity(void* settings, const char* value, OptionWhy&) {
    auto level = parse_number_in(value, 0, 9);
    if (!level)
        return "expected a number from 0 to 9";
    config(settings).verbosity = *level;
    return nullptr;
}

const char* set_log_format(void* settings, const char* value, OptionWhy&) {
    std::string_view text(value);
    if (text == "text")
        config(settings).log_format = LogFormat::text;
    else if (text == "json")
        config(settings).log_format = LogFormat::json;
    else
        return "expected text or json";
    return nullptr;
}

const char* set_watchdog(void* settings, const char* value, OptionWhy&) {
    if (const char* error = set_check_url(check(settings), value))
        return error;
    config(settings).watchdog_enabled = true;
    return nullptr;
}

const char* set_watchdog_interval(void* settings, const char* value, OptionWhy&) {
    int64_t& interval = config(settings).watchdog.interval_ms;
    if (const char* error = set_duration(interval, value))
        return error;
    return interval == 0 ? "the interval must be longer than 0" : nullptr;
}

const char* set_watchdog_timeout(void* settings, const char* value, OptionWhy&) {
    return set_check_timeout(check(settings), value);
}

const char* set_watchdog_failures(void* settings, const char* value, OptionWhy&) {
    auto count = parse_number_in(value, 1, 1000);
    if (!count)
        return "expected a number from 1 to 1000";
    config(settings).watchdog.failures = *count;
    return nullptr;
}

const char* set_watchdog_start_period(void* settings, const char* value, OptionWhy&) {
    return set_duration(config(settings).watchdog.start_period_ms, value);
}

const char* set_watchdog_status(void* settings, const char* value, OptionWhy&) {
    return set_check_status(check(settings), value);
}

const char* add_watchdog_header(void* settings, const char* value, OptionWhy&) {
    return add_check_header(check(settings), value);
}

const char* ask_help(void* settings, const char*, OptionWhy&) {
    parsed(settings).action = SupervisorAction::help;
    return nullptr;
}

const char* ask_version(void* settings, const char*, OptionWhy&) {
    parsed(settings).action = SupervisorAction::version;
    return nullptr;
}

constexpr OptionKind flag = OptionKind::flag;
constexpr OptionKind value = OptionKind::value;
constexpr OptionKind list = OptionKind::list;
constexpr int watchdog_row = 14;  // the row every other --watchdog-* row requires

constexpr OptionRow rows[] = {
    {0, "grace", "VIGIL_GRACE", value, "duration", set_grace},
    {0, "drain", "VIGIL_DRAIN", value, "duration", set_drain},
    {0, "stop-delay", "VIGIL_STOP_DELAY", value, "duration", set_stop_delay},
    {0, "stop-signal", "VIGIL_STOP_SIGNAL", value, "signal", set_stop_signal},
    {0, "forward-to", "VIGIL_FORWARD_TO", value, "scope", set_forward_to},
    {'r', "rewrite", "VIGIL_REWRITE", list, "rewrite", add_rewrite},
    {'c', "single-child", "VIGIL_SINGLE_CHILD", flag, "value", set_single_child},
    {'e', "remap-exit", "VIGIL_REMAP_EXIT", list, "exit code", add_remap_exit},
    {'p', "pdeathsig", "VIGIL_PDEATHSIG", value, "signal", set_pdeathsig},
    {'s', "subreaper", "VIGIL_SUBREAPER", flag, "value", set_subreaper},
    {'w', "warn-reap", "VIGIL_WARN_REAP", flag, "value", set_warn_reap},
    {'v', "verbose", "VIGIL_VERBOSITY", flag, "verbosity", add_verbosity, set_verbosity},
    {0, "log-format", "VIGIL_LOG_FORMAT", value, "log format", set_log_format},
    {'g', nullptr, nullptr, flag, "value", forward_to_group},
    {0, "watchdog", "VIGIL_WATCHDOG", value, "URL", set_watchdog},
    {0, "watchdog-interval", "VIGIL_WATCHDOG_INTERVAL", value, "duration", set_watchdog_interval,
     nullptr, nullptr, watchdog_row},
    {0, "watchdog-timeout", "VIGIL_WATCHDOG_TIMEOUT", value, "duration", set_watchdog_timeout,
     nullptr, nullptr, watchdog_row},
    {0, "watchdog-failures", "VIGIL_WATCHDOG_FAILURES", value, "count", set_watchdog_failures,
     nullptr, nullptr, watchdog_row},
    {0, "watchdog-start-period", "VIGIL_WATCHDOG_START_PERIOD", value, "duration",
     set_watchdog_start_period, nullptr, nullptr, watchdog_row},
    {0, "watchdog-status", "VIGIL_WATCHDOG_STATUS", value, "status list", set_watchdog_status,
     nullptr, nullptr, watchdog_row},
    // One header per line: a header's value may hold commas and spaces.
    {0, "watchdog-header", "VIGIL_WATCHDOG_HEADER", list, "header", add_watchdog_header, nullptr,
     "\n", watchdog_row},
    {'h', "help", nullptr, flag, "value", ask_help},
    {'V', "version", nullptr, flag, "value", ask_version},
};
static_assert(rows[watchdog_row].apply == set_watchdog);
constexpr int watchdog_status_row = watchdog_row + 5;
static_assert(rows[watchdog_status_row].apply == set_watchdog_status);
static_assert(sizeof rows / sizeof rows[0] <= OptionTable::max_rows);

// The flags of tini and dumb-init that vigil does not have (every other one
// means the same in vigil).
constexpr OptionAdvice peer_flags[] = {
    {"-l", "that is tini's license flag; vigil's license (MIT) is in its README"},
};

}  // namespace

std::span<const OptionRow> supervisor_options() {
    return rows;
}

void parse_supervisor_command_line(int argc, char** argv, EnvironmentLookup environment,
                                   ParsedSupervisorCommandLine& out) {
    out.action = SupervisorAction::run;
    OptionTable table(rows, &out, out.error, sizeof out.error, peer_flags);
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
            "-c sends signals to the child's PID; it cannot be combined with "
            "--forward-to group or all");
        out.action = SupervisorAction::usage_error;
        return;
    }
    if (config.single_child)
        config.forward_to = ForwardScope::child;
    // As for vigil probe: healthy means SERVING, the variable is ignored.
    if (config.watchdog_enabled && config.watchdog.check.url.scheme == UrlScheme::grpc &&
        table.given(watchdog_status_row)) {
        table.fail("option --watchdog-status does not apply to grpc:// (healthy means SERVING)");
        out.action = SupervisorAction::usage_error;
        return;
    }
    if (next >= argc) {
        table.fail("no program given: usage is vigil [OPTIONS] [--] PROGRAM [ARG...]");
        out.action = SupervisorAction::usage_error;
        return;
    }
    config.program = argv + next;
}

}  // namespace vigil
