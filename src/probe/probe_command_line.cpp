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
    "                           sending, reading [VIGIL_PROBE_TIMEOUT] (default 3s)\n"
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

using namespace probe_option;

const char* apply_option(void* settings, uint8_t action, const char* value, OptionWhy&) {
    auto& parsed = *static_cast<ParsedProbeCommandLine*>(settings);
    CheckSpec& check = parsed.config.check;
    switch (static_cast<ProbeOption>(action)) {
        case set_timeout:
            return set_check_timeout(check, value);
        case set_status:
            return set_check_status(check, value);
        case add_header:
            return add_check_header(check, value);
        case set_method:
            return set_check_method(check, value);
        case set_unix_socket:
            if (!*value)
                return "empty";
            check.unix_socket = value;
            return nullptr;
        case set_quiet:
            parsed.config.quiet = true;
            return nullptr;
        case ask_help:
            parsed.action = ProbeAction::help;
            return nullptr;
    }
    return nullptr;
}

constexpr auto packed_rows = pack_options<packed_names_size(rows)>(rows);

// The URL, from wherever it comes among the options: only one.
const char* take_url(void* settings, const char* operand) {
    const char*& url = static_cast<ParsedProbeCommandLine*>(settings)->url_operand;
    if (url) {
        static char error[160];
        format_into(error, sizeof error, "more than one URL: '%s' and '%s'", url, operand);
        return error;
    }
    url = operand;
    return nullptr;
}

}  // namespace

void parse_probe_command_line(int argc, char** argv, EnvironmentLookup environment,
                              ParsedProbeCommandLine& out) {
    out.action = ProbeAction::run;
    OptionList options(packed_rows, apply_option);
    OptionTable table(options, &out, out.error, sizeof out.error);
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
