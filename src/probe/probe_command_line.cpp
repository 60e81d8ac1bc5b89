#include "probe/probe_command_line.h"

#include <cstdarg>

#include "base/format.h"
#include "base/option_scanner.h"

namespace vigil {

const char probe_help_text[] =
    "Usage: vigil probe [OPTIONS] URL\n"
    "\n"
    "Checks URL once and prints one line that says what it found. Exit status:\n"
    "0 healthy, 1 anything else (never 2, which Docker reserves).\n"
    "\n"
    "URL: http://HOST[:PORT][/PATH[?QUERY]]  healthy when the status is in --status\n"
    "     tcp://HOST:PORT                    healthy when the connection opens\n"
    "     grpc://HOST:PORT[/SERVICE]         gRPC health Check (grpc.health.v1) over\n"
    "                                        HTTP/2 without TLS; healthy on SERVING.\n"
    "                                        SERVICE: letters, digits, . _ - /; none:\n"
    "                                        the server's overall health\n"
    "HOST: localhost (127.0.0.1, then ::1; no DNS), 1.2.3.4, [::1], or a name.\n"
    "\n"
    "Options (environment variable in brackets; the option wins):\n"
    "  -t, --timeout DURATION   give up after DURATION in all: resolving, connecting,\n"
    "                           sending, reading [VIGIL_PROBE_TIMEOUT] (default 3s)\n"
    "  -s, --status LIST        healthy HTTP statuses: 200-399, 200,204, 2xx\n"
    "                           [VIGIL_PROBE_STATUS] (default 200-399)\n"
    "  -H, --header 'NAME: VALUE'  send this header too; repeatable; a Host header\n"
    "                           replaces the URL's (grpc://: metadata, lowercased)\n"
    "  -X, --method METHOD      request method (default GET; not for grpc://)\n"
    "      --unix-socket PATH   connect to this unix socket instead (@NAME: an\n"
    "                           abstract one); the URL's host fills the Host header\n"
    "  -q, --quiet              print nothing\n"
    "  -h, --help               print this help and exit\n"
    "URL may also come from VIGIL_PROBE_URL.\n"
    "\n"
    "Redirects are not followed: a 3xx is judged by --status like any status.\n"
    "No TLS (https://, gRPC over TLS): probe a plaintext port, or use tcp://.\n";

namespace {

enum class ProbeOptionId { timeout, status, header, method, unix_socket, quiet, help };

constexpr OptionSpec option(ProbeOptionId id, char short_name, const char* long_name,
                            bool takes_value) {
    return {static_cast<int>(id), short_name, long_name, takes_value};
}

constexpr OptionSpec probe_option_specs[] = {
    option(ProbeOptionId::timeout, 't', "timeout", true),
    option(ProbeOptionId::status, 's', "status", true),
    option(ProbeOptionId::header, 'H', "header", true),
    option(ProbeOptionId::method, 'X', "method", true),
    option(ProbeOptionId::unix_socket, 0, "unix-socket", true),
    option(ProbeOptionId::quiet, 'q', "quiet", false),
    option(ProbeOptionId::help, 'h', "help", false),
};

// Sets the one-line usage error; returns `result` for the caller to return.
__attribute__((format(printf, 2, 3))) ParsedProbeCommandLine& usage_error(
    ParsedProbeCommandLine& result, const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vformat_one_line(result.error, sizeof result.error, format, arguments);
    va_end(arguments);
    result.action = ProbeAction::usage_error;
    return result;
}

}  // namespace

ParsedProbeCommandLine parse_probe_command_line(int argc, char** argv,
                                                EnvironmentLookup environment) {
    ParsedProbeCommandLine result;
    CheckSpec& check = result.config.check;
    auto fail = [&](const char* what, const char* value, const char* where, const char* why) {
        return usage_error(result, "invalid %s '%s' for %s: %s", what, value, where, why);
    };

    const char* url = nullptr;
    bool timeout_given = false;
    bool status_given = false;
    bool method_given = false;
    OptionScanner scanner(argc, argv, probe_option_specs);
    for (bool done = false; !done;) {
        switch (scanner.next()) {
            case OptionScanner::Step::error:
                return usage_error(result, "%s", scanner.error());
            case OptionScanner::Step::end:
                done = true;
                break;
            case OptionScanner::Step::double_dash:
                break;
            case OptionScanner::Step::operand: {
                if (url)
                    return usage_error(result, "more than one URL: '%s' and '%s'", url,
                                       argv[scanner.index()]);
                url = argv[scanner.index()];
                scanner.skip_operand();
                break;
            }
            case OptionScanner::Step::option: {
                const char* value = scanner.value();
                const char* spelled = scanner.spelled();
                const char* error = nullptr;
                switch (static_cast<ProbeOptionId>(scanner.option().id)) {
                    case ProbeOptionId::timeout:
                        timeout_given = true;
                        if ((error = set_check_timeout(check, value)))
                            return fail("duration", value, spelled, error);
                        break;
                    case ProbeOptionId::status:
                        status_given = true;
                        if ((error = set_check_status(check, value)))
                            return fail("status list", value, spelled, error);
                        break;
                    case ProbeOptionId::header:
                        if ((error = add_check_header(check, value)))
                            return fail("header", value, spelled, error);
                        break;
                    case ProbeOptionId::method:
                        method_given = true;
                        if ((error = set_check_method(check, value)))
                            return fail("method", value, spelled, error);
                        break;
                    case ProbeOptionId::unix_socket:
                        check.unix_socket = value;
                        break;
                    case ProbeOptionId::quiet:
                        result.config.quiet = true;
                        break;
                    case ProbeOptionId::help:
                        result.action = ProbeAction::help;
                        return result;
                }
                break;
            }
        }
    }

    const char* value = nullptr;
    const char* error = nullptr;
    if (!timeout_given && (value = environment("VIGIL_PROBE_TIMEOUT")) && *value &&
        (error = set_check_timeout(check, value)))
        return fail("duration", value, "VIGIL_PROBE_TIMEOUT", error);
    if (!status_given && (value = environment("VIGIL_PROBE_STATUS")) && *value &&
        (error = set_check_status(check, value)))
        return fail("status list", value, "VIGIL_PROBE_STATUS", error);
    bool url_from_environment = !url;
    if (!url)
        url = environment("VIGIL_PROBE_URL");
    if (!url || !*url)
        return usage_error(result, "no URL given: usage is vigil probe [OPTIONS] URL");
    if ((error = set_check_url(check, url)))
        return usage_error(result, "invalid URL '%s'%s: %s", url,
                           url_from_environment ? " in VIGIL_PROBE_URL" : "", error);
    // A gRPC health check is one POST, and healthy means SERVING: an
    // option that says otherwise is a mistake, not something to ignore.
    // (VIGIL_PROBE_STATUS, maybe set for a whole image, is ignored.)
    if (check.url.scheme == UrlScheme::grpc && (status_given || method_given))
        return usage_error(result, "%s does not apply to grpc:// (healthy means SERVING)",
                           method_given ? "-X/--method" : "-s/--status");
    if (check.unix_socket && !*check.unix_socket)
        return fail("path", "", "--unix-socket", "empty");
    result.action = ProbeAction::run;
    return result;
}

}  // namespace vigil
