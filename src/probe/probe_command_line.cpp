#include "probe/probe_command_line.h"

#include "base/format.h"

namespace vigil {

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
            return add_check_header(check, value, parsed.environment);
        case set_method:
            return set_check_method(check, value);
        case set_unix_socket:
            if (!*value)
                return "empty";
            check.unix_socket = value;
            return nullptr;
        case set_expect:
            if (!*value)
                return "empty";
            check.expect = value;
            return nullptr;
        case set_follow_redirects:
            check.follow_redirects = true;
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

constexpr auto packed_rows =
    pack_options<packed_names_size(rows, "VIGIL_PROBE_")>(rows, "VIGIL_PROBE_");

// The options that make sense for http:// only, given on the command line
// with another scheme: a mistake, not something to ignore. (A gRPC check is
// one POST and healthy means SERVING; a TCP check reads nothing, and has
// always let -s and -X pass unused.) Their variables, maybe set for a whole
// image, are ignored there.
const char* http_only_option(UrlScheme scheme, const OptionTable& table) {
    if (scheme == UrlScheme::http)
        return nullptr;
    bool grpc = scheme == UrlScheme::grpc;
    return grpc && table.given(status_row)     ? "-s/--status"
           : grpc && table.given(method_row)   ? "-X/--method"
           : table.given(expect_row)           ? "--expect"
           : table.given(follow_redirects_row) ? "--follow-redirects"
                                               : nullptr;
}

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
    out.environment = environment;
    out.config.check.timeout_ms = default_probe_timeout_ms;
    OptionList options(packed_rows, "VIGIL_PROBE_", apply_option);
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
    if (const char* error = set_check_url(out.config.check, url, environment)) {
        table.fail("invalid URL '%s'%s: %s", url, url_from_environment ? " in VIGIL_PROBE_URL" : "",
                   error);
        out.action = ProbeAction::usage_error;
        return;
    }
    // A gRPC health check is one POST, and healthy means SERVING: an option
    // that says otherwise is a mistake, not something to ignore. (Their
    // variables, maybe set for a whole image, are ignored.)
    if (const char* option = http_only_option(out.config.check.url.scheme, table)) {
        table.fail("%s applies to http:// URLs only", option);
        out.action = ProbeAction::usage_error;
    }
}

}  // namespace vigil
