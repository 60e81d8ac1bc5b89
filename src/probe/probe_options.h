// Every option of `vigil probe` and its environment variable, one row each,
// with what it does (ProbeOption, which probe_command_line.cpp applies). In
// a header of its own for the reason supervisor_options.h gives.
#pragma once

#include <cstdint>
#include <span>

#include "base/option_table.h"

namespace vigil {
namespace probe_option {

enum ProbeOption : uint8_t {
    set_timeout,
    set_status,
    add_header,
    set_method,
    set_unix_socket,
    set_expect,
    set_follow_redirects,
    set_quiet,
    ask_help,
};

inline constexpr OptionKind flag = OptionKind::flag;
inline constexpr OptionKind value = OptionKind::value;

enum ProbeRow : uint8_t {
    timeout_row,
    status_row,
    header_row,
    method_row,
    unix_socket_row,
    expect_row,
    follow_redirects_row,
};

inline constexpr OptionRow rows[] = {
    {'t', "timeout", "VIGIL_PROBE_TIMEOUT", value, "duration", set_timeout},
    {'s', "status", "VIGIL_PROBE_STATUS", value, "status list", set_status},
    // One header per line: a header's value may hold commas and spaces.
    {'H', "header", "VIGIL_PROBE_HEADER", OptionKind::list, "header", add_header, false, true},
    {'X', "method", "VIGIL_PROBE_METHOD", value, "method", set_method},
    {0, "unix-socket", "VIGIL_PROBE_UNIX_SOCKET", value, "path", set_unix_socket},
    {0, "expect", "VIGIL_PROBE_EXPECT", value, "text", set_expect},
    {0, "follow-redirects", "VIGIL_PROBE_FOLLOW_REDIRECTS", flag, "value", set_follow_redirects},
    {'q', "quiet", "VIGIL_PROBE_QUIET", flag, "value", set_quiet},
    {'h', "help", nullptr, flag, "value", ask_help},
};
static_assert(rows[status_row].action == set_status && rows[method_row].action == set_method &&
              rows[expect_row].action == set_expect &&
              rows[follow_redirects_row].action == set_follow_redirects);

}  // namespace probe_option

// Every option, with its environment variable (for tests and docs checks).
inline std::span<const OptionRow> probe_options() {
    return probe_option::rows;
}

}  // namespace vigil
