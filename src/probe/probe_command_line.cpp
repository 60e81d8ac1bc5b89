#include "probe/probe_command_line.h"

#include "base/format.h"

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
    "                           sending, reading [VIGIL_PROBE_TIMEOUT] (800ms)\n"
    "  -s, --status LIST        healthy HTTP statuses: 200-399, 200,204, 2xx\n"
    "                           [VIGIL_PROBE_STATUS] (default 200-399)\n"
    "  -H, --header 'NAME: VALUE'  send this header too; repeatable; a Host header\n"
    "                           replaces the URL's [VIGIL_PROBE_HEADER, one per line];\n"
    "                           for grpc://, metadata with the name in lowercase\n"
    "  -X, --method METHOD      request method [VIGIL_PROBE_METHOD] (default GET)\n"
    "-s and -X do not apply to grpc:// (their variables are ignored there).\n"
    "      --unix-socket PATH   connect to this unix socket instead (@NAME: an\n"
    "                           abstract one); the URL's host fills the Host header\n"
    "                           [VIGIL_PROBE_UNIX_SOCKET]\n"
    "  -q, --quiet              print nothing [VIGIL_PROBE_QUIET=1]\n"
    "  -h, --help               print this help and exit\n"
    "URL may also come from VIGIL_PROBE_URL.\n"
    "\n"
    "Redirects are not followed: a 3xx is judged by --status like any status.\n"
    "No TLS (https://, gRPC over TLS): probe a plaintext port, or use tcp://.\n";

namespace {

ParsedProbeCommandLine& parsed(void* settings) {
    return *static_cast<ParsedProbeCommandLine*>(settings);
}

CheckSpec& check(void* settings) {
    return parsed(settings).config.check;
}

const char* set_timeout(void* settings, const char* value, OptionWhy&) {
    return set_check_timeout(check(settings), value);
}

const char* set_status(void* settings, const char* value, OptionWhy&) {
    return set_check_status(check(settings), value);
}

const char* add_header(void* settings, const char* value, OptionWhy&) {
    return add_check_header(check(settings), value);
}

const char* set_method(void* settings, const char* value, OptionWhy&) {
    return set_check_method(check(settings), value);
}

const char* set_unix_socket(void* settings, const char* value, OptionWhy&) {
    if (!*value)
        return "empty";
    check(settings).unix_socket = value;
    return nullptr;
}

const char* set_quiet(void* settings, const char*, OptionWhy&) {
    parsed(settings).config.quiet = true;
    return nullptr;
}

const char* ask_help(void* settings, const char*, OptionWhy&) {
    parsed(settings).action = ProbeAction::help;
    return nullptr;
}

constexpr OptionKind flag = OptionKind::flag;
constexpr OptionKind value = OptionKind::value;

enum ProbeRow { timeout_row, status_row, header_row, method_row };

constexpr OptionRow rows[] = {
    {'t', "timeout", "VIGIL_PROBE_TIMEOUT", value, "duration", set_timeout},
    {'s', "status", "VIGIL_PROBE_STATUS", value, "status list", set_status},
    // One header per line: a header's value may hold commas and spaces.
    {'H', "header", "VIGIL_PROBE_HEADER", OptionKind::list, "header", add_header, nullptr, "\n"},
    {'X', "method", "VIGIL_PROBE_METHOD", value, "method", set_method},
    {0, "unix-socket", "VIGIL_PROBE_UNIX_SOCKET", value, "path", set_unix_socket},
    {'q', "quiet", "VIGIL_PROBE_QUIET", flag, "value", set_quiet},
    {'h', "help", nullptr, flag, "value", ask_help},
};

// The URL, from wherever it comes among the options: only one.
const char* take_url(void* settings, const char* operand) {
    const char*& url = parsed(settings).url_operand;
    if (url) {
        static char error[160];
        format_into(error, sizeof error, "more than one URL: '%s' and '%s'", url, operand);
        return error;
    }
    url = operand;
    return nullptr;
}

}  // namespace

std::span<const OptionRow> probe_options() {
    return rows;
}

void parse_probe_command_line(int argc, char** argv, EnvironmentLookup environment,
                              ParsedProbeCommandLine& out) {
    out.action = ProbeAction::run;
    out.config.check.timeout_ms = default_probe_timeout_ms;
    OptionTable table(rows, &out, out.error, sizeof out.error);
    int next = argc;
    if (!table.parse_arguments(argc, argv, OptionTable::Operands::anywhere, next, take_url)) {
        out.action = ProbeAction::usage_error;
        return;
    }
    if (out.action != ProbeAction::run)
        return;  // --help
    if (!table.apply_environment(environment)) {
        out.action = ProbeAction::usage_error;
        return;
    }
    const char* url = out.url_operand;
    bool url_from_environment = !url;
    if (!url)
        url = environment("VIGIL_PROBE_URL");
    if (!url || !*url) {
        table.fail("no URL given: usage is vigil probe [OPTIONS] URL");
        out.action = ProbeAction::usage_error;
        return;
    }
    if (const char* error = set_check_url(out.config.check, url)) {
        table.fail("invalid URL '%s'%s: %s", url, url_from_environment ? " in VIGIL_PROBE_URL" : "",
                   error);
        out.action = ProbeAction::usage_error;
        return;
    }
    // A gRPC health check is one POST, and healthy means SERVING: an option
    // that says otherwise is a mistake, not something to ignore. (Their
    // variables, maybe set for a whole image, are ignored.)
    if (out.config.check.url.scheme == UrlScheme::grpc &&
        (table.given(status_row) || table.given(method_row))) {
        table.fail("%s does not apply to grpc:// (healthy means SERVING)",
                   table.given(method_row) ? "-X/--method" : "-s/--status");
        out.action = ProbeAction::usage_error;
    }
}

}  // namespace vigil
