#include "command_line.h"

#include <charconv>
#include <cstdarg>
#include <cstring>
#include <string_view>

#include "duration.h"
#include "format.h"
#include "option_scanner.h"

namespace vigil {

const char help_text[] =
    "Usage: vigil [OPTIONS] [--] PROGRAM [ARG...]\n"
    "       vigil probe [OPTIONS] URL          (health check; see vigil probe --help)\n"
    "\n"
    "Runs PROGRAM as the init of a container: forwards signals to it, reaps\n"
    "zombies, stops it gracefully and exits with its status.\n"
    "\n"
    "Options (environment variable in brackets; the option wins):\n"
    "      --grace DURATION     after SIGTERM/SIGINT is forwarded, SIGKILL the child's\n"
    "                           group this long later [VIGIL_GRACE] (default: no limit)\n"
    "      --drain DURATION     when the child exits, SIGTERM the processes left and\n"
    "                           SIGKILL them this long later [VIGIL_DRAIN] (default 3s)\n"
    "      --stop-delay DURATION  hold the first SIGTERM this long before forwarding it,\n"
    "                           so load balancers stop sending traffic first\n"
    "                           [VIGIL_STOP_DELAY] (default 0)\n"
    "  -r, --rewrite FROM:TO    forward signal FROM as TO; TO=0 drops it (repeatable)\n"
    "  -c, --single-child       forward to the child's PID only; no session of its own\n"
    "  -e, --remap-exit CODE    report child exit status CODE as 0 (repeatable)\n"
    "  -p, --pdeathsig SIGNAL   have the kernel send vigil SIGNAL when its parent dies\n"
    "  -s, --subreaper          register as child subreaper (default when not PID 1)\n"
    "  -w, --warn-reap          log each orphan that is reaped\n"
    "  -v, --verbose            more logging; repeatable [VIGIL_VERBOSITY=N]\n"
    "      --log-format FORMAT  text or json [VIGIL_LOG_FORMAT] (default text)\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "DURATION: 1500ms, 2s, 1.5s, 1m, or a number of seconds.\n"
    "SIGNAL: TERM, SIGTERM, 15, RTMIN+2.\n"
    "\n"
    "Exit status: the child's exit status, or 128+N if signal N killed it;\n"
    "2 usage error; 125 vigil failed; 126 PROGRAM not executable;\n"
    "127 PROGRAM not found.\n";

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
};

class Parser {
public:
    explicit Parser(ParsedCommandLine& result) : result_(result) {}

    // Each returns false after writing the error.
    bool apply(const OptionSpec& spec, const char* value, const char* spelled, SetByOption& set);
    bool apply_environment(EnvironmentLookup environment, const SetByOption& set);

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
    std::string_view text(value);
    int level = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), level);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || level < 0 ||
        level > 9)
        return fail("invalid verbosity '%s' for %s: expected a number from 0 to 9", value,
                    spelled);
    result_.config.verbosity = level;
    return true;
}

bool Parser::apply(const OptionSpec& spec, const char* value, const char* spelled,
                   SetByOption& set) {
    Config& config = result_.config;
    switch (static_cast<OptionId>(spec.id)) {
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
        case OptionId::single_child: config.single_child = true; return true;
        case OptionId::remap_exit: {
            std::string_view text(value);
            int code = -1;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
            if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
                code < 0 || code > 255)
                return fail("invalid exit code '%s' for %s: expected 0 to 255", value, spelled);
            config.remap.add(code);
            return true;
        }
        case OptionId::pdeathsig: {
            auto signal = parse_signal(value);
            if (!signal)
                return fail("invalid signal '%s' for %s", value, spelled);
            config.parent_death_signal = *signal;
            return true;
        }
        case OptionId::subreaper: config.subreaper = true; return true;
        case OptionId::warn_reap: config.warn_reap = true; return true;
        case OptionId::verbose:
            ++config.verbosity;
            set.verbosity = true;
            return true;
        case OptionId::log_format:
            set.log_format = true;
            return set_log_format(value, spelled);
        case OptionId::help: result_.action = CommandAction::help; return true;
        case OptionId::version: result_.action = CommandAction::version; return true;
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
    if (!parser.apply_environment(environment, set))
        return result;
    if (index >= argc) {
        parser.fail("no program given: usage is vigil [OPTIONS] [--] PROGRAM [ARG...]");
        return result;
    }
    result.config.program = argv + index;
    return result;
}

}  // namespace vigil
