#include "supervisor/command_line.h"

#include <cstdarg>
#include <cstring>
#include <string_view>

#include "base/duration.h"
#include "base/format.h"
#include "base/option_scanner.h"
#include "base/text.h"

namespace vigil {

const char help_text[] =
    "Usage: vigil [OPTIONS] [--] PROGRAM [ARG...]\n"
    "       vigil probe [OPTIONS] URL          (health check; see vigil probe --help)\n"
    "\n"
    "Runs PROGRAM as the init of a container: forwards signals to it, reaps\n"
    "zombies, stops it gracefully and exits with its status.\n"
    "\n"
    "Options (environment variable in brackets; the option wins):\n"
    "      --grace DURATION     after SIGTERM/SIGINT is forwarded, SIGKILL the\n"
    "                           child's group this long later [VIGIL_GRACE]\n"
    "                           (default: no limit)\n"
    "      --drain DURATION     when the child exits, SIGTERM the processes left,\n"
    "                           SIGKILL them this long later [VIGIL_DRAIN] (3s)\n"
    "      --stop-delay DURATION  hold the first SIGTERM this long before\n"
    "                           forwarding it, so load balancers stop sending\n"
    "                           traffic first [VIGIL_STOP_DELAY] (default 0)\n"
    "  -r, --rewrite FROM:TO    forward signal FROM as TO; TO=0 drops it (repeatable)\n"
    "  -c, --single-child       forward to the child's PID only; no own session\n"
    "  -e, --remap-exit CODE    report child exit status CODE as 0 (repeatable)\n"
    "  -p, --pdeathsig SIGNAL   have the kernel send SIGNAL when vigil's parent dies\n"
    "  -s, --subreaper          register as child subreaper (default when not PID 1)\n"
    "  -w, --warn-reap          log each orphan that is reaped\n"
    "  -v, --verbose            more logging; repeatable [VIGIL_VERBOSITY=N]\n"
    "      --log-format FORMAT  text or json [VIGIL_LOG_FORMAT] (default text)\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "Watchdog: vigil probes URL itself; after N failures in a row it stops PROGRAM\n"
    "as SIGTERM would and exits 124, so that a restart policy replaces it.\n"
    "      --watchdog URL       http://..., tcp://... or grpc://..., as for vigil probe\n"
    "      --watchdog-interval DURATION   time between probes (default 10s)\n"
    "      --watchdog-timeout DURATION    deadline of one probe (default 3s)\n"
    "      --watchdog-failures N          failures in a row that fire it (default 3)\n"
    "      --watchdog-start-period DURATION  failures in it count only after a\n"
    "                                     first success (default 0)\n"
    "      --watchdog-status LIST         healthy statuses (default 200-399)\n"
    "      --watchdog-header 'NAME: VALUE'  extra request header (repeatable)\n"
    "  Environment: VIGIL_WATCHDOG, VIGIL_WATCHDOG_INTERVAL, VIGIL_WATCHDOG_TIMEOUT,\n"
    "  VIGIL_WATCHDOG_FAILURES, VIGIL_WATCHDOG_START_PERIOD.\n"
    "\n"
    "DURATION: 1500ms, 2s, 1.5s, 1m, or a number of seconds.\n"
    "SIGNAL: TERM, SIGTERM, 15, RTMIN+2.\n"
    "\n"
    "Exit status: the child's exit status, or 128+N if signal N killed it;\n"
    "2 usage error; 124 the watchdog stopped the child; 125 vigil failed;\n"
    "126 PROGRAM not executable; 127 PROGRAM not found.\n";

namespace {

enum class OptionId {
    grace,
    drain,
    stop_delay,
    rewrite,
    single_child,
    remap_exit,
    pdeathsig,
    subreaper,
    warn_reap,
    verbose,
    log_format,
    watchdog,
    watchdog_interval,
    watchdog_timeout,
    watchdog_failures,
    watchdog_start_period,
    watchdog_status,
    watchdog_header,
    help,
    version,
};

constexpr OptionSpec option(OptionId id, char short_name, const char* long_name, bool takes_value) {
    return {static_cast<int>(id), short_name, long_name, takes_value};
}

constexpr OptionSpec option_specs[] = {
    option(OptionId::grace, 0, "grace", true),
    option(OptionId::drain, 0, "drain", true),
    option(OptionId::stop_delay, 0, "stop-delay", true),
    option(OptionId::rewrite, 'r', "rewrite", true),
    option(OptionId::single_child, 'c', "single-child", false),
    option(OptionId::remap_exit, 'e', "remap-exit", true),
    option(OptionId::pdeathsig, 'p', "pdeathsig", true),
    option(OptionId::subreaper, 's', "subreaper", false),
    option(OptionId::warn_reap, 'w', "warn-reap", false),
    option(OptionId::verbose, 'v', "verbose", false),
    option(OptionId::log_format, 0, "log-format", true),
    option(OptionId::watchdog, 0, "watchdog", true),
    option(OptionId::watchdog_interval, 0, "watchdog-interval", true),
    option(OptionId::watchdog_timeout, 0, "watchdog-timeout", true),
    option(OptionId::watchdog_failures, 0, "watchdog-failures", true),
    option(OptionId::watchdog_start_period, 0, "watchdog-start-period", true),
    option(OptionId::watchdog_status, 0, "watchdog-status", true),
    option(OptionId::watchdog_header, 0, "watchdog-header", true),
    option(OptionId::help, 'h', "help", false),
    option(OptionId::version, 'V', "version", false),
};

// Which settings an option set, so the environment fills only the rest.
struct SetByOption {
    bool grace = false;
    bool drain = false;
    bool stop_delay = false;
    bool verbosity = false;
    bool log_format = false;
    bool watchdog = false;
    bool watchdog_interval = false;
    bool watchdog_timeout = false;
    bool watchdog_failures = false;
    bool watchdog_start_period = false;
    bool watchdog_status = false;
    const char* watchdog_option = nullptr;  // the first --watchdog-* given, for an error
};

class Parser {
  public:
    explicit Parser(ParsedCommandLine& result) : result_(result) {}

    // Each returns false after writing the error.
    bool apply(const OptionSpec& spec, const char* value, const char* spelled, SetByOption& set);
    bool apply_environment(EnvironmentLookup environment, const SetByOption& set);
    bool check_watchdog(const SetByOption& set);

    __attribute__((format(printf, 2, 3))) bool fail(const char* format, ...) {
        va_list arguments;
        va_start(arguments, format);
        vformat_one_line(result_.error, sizeof result_.error, format, arguments);
        va_end(arguments);
        result_.action = CommandAction::usage_error;
        return false;
    }

  private:
    bool set_duration(const char* value, const char* spelled, int64_t& out);
    bool set_log_format(const char* value, const char* spelled);
    bool set_verbosity(const char* value, const char* spelled);
    bool set_interval(const char* value, const char* spelled);
    bool set_failures(const char* value, const char* spelled);
    bool set_watchdog_url(const char* value, const char* spelled);
    // Words an error from one of check_spec.h's setters.
    bool check_spec_error(const char* what, const char* value, const char* spelled,
                          const char* error);

    ParsedCommandLine& result_;
};

bool Parser::set_duration(const char* value, const char* spelled, int64_t& out) {
    auto duration = parse_duration_ms(value);
    if (!duration)
        return fail("invalid duration '%s' for %s: %s", value, spelled, duration_syntax_hint);
    out = *duration;
    return true;
}

bool Parser::set_log_format(const char* value, const char* spelled) {
    std::string_view text(value);
    if (text == "text")
        result_.config.log_format = LogFormat::text;
    else if (text == "json")
        result_.config.log_format = LogFormat::json;
    else
        return fail("invalid log format '%s' for %s: expected text or json", value, spelled);
    return true;
}

bool Parser::set_verbosity(const char* value, const char* spelled) {
    auto level = parse_number_in(value, 0, 9);
    if (!level)
        return fail("invalid verbosity '%s' for %s: expected a number from 0 to 9", value, spelled);
    result_.config.verbosity = *level;
    return true;
}

bool Parser::set_interval(const char* value, const char* spelled) {
    int64_t& interval = result_.config.watchdog.interval_ms;
    if (!set_duration(value, spelled, interval))
        return false;
    if (interval == 0)
        return fail("invalid duration '%s' for %s: the interval must be longer than 0", value,
                    spelled);
    return true;
}

bool Parser::set_failures(const char* value, const char* spelled) {
    auto count = parse_number_in(value, 1, 1000);
    if (!count)
        return fail("invalid count '%s' for %s: expected a number from 1 to 1000", value, spelled);
    result_.config.watchdog.failures = *count;
    return true;
}

bool Parser::set_watchdog_url(const char* value, const char* spelled) {
    if (const char* error = set_check_url(result_.config.watchdog.check, value))
        return fail("invalid URL '%s' for %s: %s", value, spelled, error);
    result_.config.watchdog_enabled = true;
    return true;
}

bool Parser::check_spec_error(const char* what, const char* value, const char* spelled,
                              const char* error) {
    if (!error)
        return true;
    return fail("invalid %s '%s' for %s: %s", what, value, spelled, error);
}

bool Parser::apply(const OptionSpec& spec, const char* value, const char* spelled,
                   SetByOption& set) {
    Config& config = result_.config;
    CheckSpec& check = config.watchdog.check;
    if (static_cast<OptionId>(spec.id) > OptionId::watchdog &&
        static_cast<OptionId>(spec.id) <= OptionId::watchdog_header && !set.watchdog_option)
        set.watchdog_option = spec.long_name;
    switch (static_cast<OptionId>(spec.id)) {
        case OptionId::watchdog:
            set.watchdog = true;
            return set_watchdog_url(value, spelled);
        case OptionId::watchdog_interval:
            set.watchdog_interval = true;
            return set_interval(value, spelled);
        case OptionId::watchdog_timeout:
            set.watchdog_timeout = true;
            return check_spec_error("duration", value, spelled, set_check_timeout(check, value));
        case OptionId::watchdog_failures:
            set.watchdog_failures = true;
            return set_failures(value, spelled);
        case OptionId::watchdog_start_period:
            set.watchdog_start_period = true;
            return set_duration(value, spelled, config.watchdog.start_period_ms);
        case OptionId::watchdog_status:
            set.watchdog_status = true;
            return check_spec_error("status list", value, spelled, set_check_status(check, value));
        case OptionId::watchdog_header:
            return check_spec_error("header", value, spelled, add_check_header(check, value));
        case OptionId::grace: {
            int64_t grace = 0;
            if (!set_duration(value, spelled, grace))
                return false;
            config.grace_ms = grace;
            set.grace = true;
            return true;
        }
        case OptionId::drain:
            set.drain = true;
            return set_duration(value, spelled, config.drain_ms);
        case OptionId::stop_delay:
            set.stop_delay = true;
            return set_duration(value, spelled, config.stop_delay_ms);
        case OptionId::rewrite: {
            const char* colon = std::strchr(value, ':');
            if (!colon)
                return fail("invalid rewrite '%s' for %s: expected FROM:TO, e.g. TERM:QUIT", value,
                            spelled);
            std::string_view from_text(value, static_cast<size_t>(colon - value));
            auto from = parse_signal(from_text);
            auto to = parse_signal_or_zero(colon + 1);
            if (!from || !to)
                return fail("invalid rewrite '%s' for %s: unknown signal '%.*s'", value, spelled,
                            static_cast<int>(!from ? from_text.size() : std::strlen(colon + 1)),
                            !from ? from_text.data() : colon + 1);
            if (!is_forwardable(*from))
                return fail("invalid rewrite '%s' for %s: %.*s is never forwarded", value, spelled,
                            static_cast<int>(from_text.size()), from_text.data());
            config.rewrites.set(*from, *to);
            return true;
        }
        case OptionId::single_child:
            config.single_child = true;
            return true;
        case OptionId::remap_exit: {
            auto code = parse_number_in(value, 0, 255);
            if (!code)
                return fail("invalid exit code '%s' for %s: expected 0 to 255", value, spelled);
            config.remap.add(*code);
            return true;
        }
        case OptionId::pdeathsig: {
            auto signal = parse_signal(value);
            if (!signal)
                return fail("invalid signal '%s' for %s", value, spelled);
            config.parent_death_signal = *signal;
            return true;
        }
        case OptionId::subreaper:
            config.subreaper = true;
            return true;
        case OptionId::warn_reap:
            config.warn_reap = true;
            return true;
        case OptionId::verbose:
            ++config.verbosity;
            set.verbosity = true;
            return true;
        case OptionId::log_format:
            set.log_format = true;
            return set_log_format(value, spelled);
        case OptionId::help:
            result_.action = CommandAction::help;
            return true;
        case OptionId::version:
            result_.action = CommandAction::version;
            return true;
    }
    return true;
}

bool Parser::apply_environment(EnvironmentLookup environment, const SetByOption& set) {
    Config& config = result_.config;
    const char* value;
    if (!set.grace && (value = environment("VIGIL_GRACE")) && *value) {
        int64_t grace = 0;
        if (!set_duration(value, "VIGIL_GRACE", grace))
            return false;
        config.grace_ms = grace;
    }
    if (!set.drain && (value = environment("VIGIL_DRAIN")) && *value &&
        !set_duration(value, "VIGIL_DRAIN", config.drain_ms))
        return false;
    if (!set.stop_delay && (value = environment("VIGIL_STOP_DELAY")) && *value &&
        !set_duration(value, "VIGIL_STOP_DELAY", config.stop_delay_ms))
        return false;
    if (!set.verbosity && (value = environment("VIGIL_VERBOSITY")) && *value &&
        !set_verbosity(value, "VIGIL_VERBOSITY"))
        return false;
    if (!set.log_format && (value = environment("VIGIL_LOG_FORMAT")) && *value &&
        !set_log_format(value, "VIGIL_LOG_FORMAT"))
        return false;
    if (!set.watchdog && (value = environment("VIGIL_WATCHDOG")) && *value &&
        !set_watchdog_url(value, "VIGIL_WATCHDOG"))
        return false;
    // Only with a watchdog: a VIGIL_WATCHDOG_* left in an image's environment
    // without VIGIL_WATCHDOG is not worth refusing to start for.
    if (!result_.config.watchdog_enabled)
        return true;
    if (!set.watchdog_interval && (value = environment("VIGIL_WATCHDOG_INTERVAL")) && *value &&
        !set_interval(value, "VIGIL_WATCHDOG_INTERVAL"))
        return false;
    if (!set.watchdog_timeout && (value = environment("VIGIL_WATCHDOG_TIMEOUT")) && *value &&
        !check_spec_error("duration", value, "VIGIL_WATCHDOG_TIMEOUT",
                          set_check_timeout(result_.config.watchdog.check, value)))
        return false;
    if (!set.watchdog_failures && (value = environment("VIGIL_WATCHDOG_FAILURES")) && *value &&
        !set_failures(value, "VIGIL_WATCHDOG_FAILURES"))
        return false;
    if (!set.watchdog_start_period && (value = environment("VIGIL_WATCHDOG_START_PERIOD")) &&
        *value &&
        !set_duration(value, "VIGIL_WATCHDOG_START_PERIOD",
                      result_.config.watchdog.start_period_ms))
        return false;
    return true;
}

bool Parser::check_watchdog(const SetByOption& set) {
    if (set.watchdog_option && !result_.config.watchdog_enabled)
        return fail("option --%s needs --watchdog URL", set.watchdog_option);
    if (set.watchdog_status && result_.config.watchdog.check.url.scheme == UrlScheme::grpc)
        return fail("option --watchdog-status does not apply to grpc:// (healthy means SERVING)");
    return true;
}

}  // namespace

ParsedCommandLine parse_command_line(int argc, char** argv, EnvironmentLookup environment) {
    ParsedCommandLine result;
    result.action = CommandAction::run;
    Parser parser(result);
    SetByOption set;

    OptionScanner scanner(argc, argv, option_specs);
    for (bool options_done = false; !options_done;) {
        switch (scanner.next()) {
            case OptionScanner::Step::option:
                if (!parser.apply(scanner.option(), scanner.value(), scanner.spelled(), set))
                    return result;
                break;
            case OptionScanner::Step::error:
                parser.fail("%s", scanner.error());
                return result;
            case OptionScanner::Step::operand:  // the program: options end here
            case OptionScanner::Step::double_dash:
            case OptionScanner::Step::end:
                options_done = true;
                break;
        }
    }
    int index = scanner.index();

    if (result.action != CommandAction::run)
        return result;  // --help or --version: nothing else matters
    if (!parser.apply_environment(environment, set) || !parser.check_watchdog(set))
        return result;
    if (index >= argc) {
        parser.fail("no program given: usage is vigil [OPTIONS] [--] PROGRAM [ARG...]");
        return result;
    }
    result.config.program = argv + index;
    return result;
}

}  // namespace vigil
