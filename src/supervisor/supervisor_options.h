// Every option of the supervisor's command line and its environment
// variable, one row each, with what it does (SupervisorOption, which
// supervisor_command_line.cpp applies).
//
// The rows live in a header of their own so that only the tests and docs
// checks keep them as they are: vigil packs them at compile time
// (pack_options), and a source file that used them at run time would carry
// every name twice.
#pragma once

#include <cstdint>
#include <span>

#include "base/option_table.h"

namespace vigil {
namespace supervisor_option {

enum SupervisorOption : uint8_t {
    set_grace,
    set_drain,
    set_stop_delay,
    set_stop_signal,
    set_forward_to_scope,
    forward_to_group,
    add_rewrite_rule,
    set_single_child,
    add_remap_exit,
    set_pdeathsig,
    set_subreaper,
    set_warn_reap,
    add_verbosity,  // -v: one more; VIGIL_VERBOSITY=N: N
    set_log_format,
    set_watchdog,
    set_watchdog_interval,
    set_watchdog_timeout,
    set_watchdog_failures,
    set_watchdog_start_period,
    set_watchdog_status,
    add_watchdog_header,
    set_watchdog_expect,
    set_watchdog_follow_redirects,
    set_watchdog_unix_socket,
    ask_help,
    ask_version,
};

inline constexpr OptionKind flag = OptionKind::flag;
inline constexpr OptionKind value = OptionKind::value;
inline constexpr OptionKind list = OptionKind::list;
inline constexpr int watchdog_row = 14;  // the row every other --watchdog-* row requires

inline constexpr OptionRow rows[] = {
    {0, "grace", "VIGIL_GRACE", value, "duration", set_grace},
    {0, "drain", "VIGIL_DRAIN", value, "duration", set_drain},
    {0, "stop-delay", "VIGIL_STOP_DELAY", value, "duration", set_stop_delay},
    {0, "stop-signal", "VIGIL_STOP_SIGNAL", value, "signal", set_stop_signal},
    {0, "forward-to", "VIGIL_FORWARD_TO", value, "scope", set_forward_to_scope},
    {'r', "rewrite", "VIGIL_REWRITE", list, "rewrite", add_rewrite_rule},
    {'c', "single-child", "VIGIL_SINGLE_CHILD", flag, "value", set_single_child},
    {'e', "remap-exit", "VIGIL_REMAP_EXIT", list, "exit code", add_remap_exit},
    {'p', "pdeathsig", "VIGIL_PDEATHSIG", value, "signal", set_pdeathsig},
    {'s', "subreaper", "VIGIL_SUBREAPER", flag, "value", set_subreaper},
    {'w', "warn-reap", "VIGIL_WARN_REAP", flag, "value", set_warn_reap},
    {'v', "verbose", "VIGIL_VERBOSITY", flag, "verbosity", add_verbosity, true},
    {0, "log-format", "VIGIL_LOG_FORMAT", value, "log format", set_log_format},
    {'g', nullptr, nullptr, flag, "value", forward_to_group},
    {0, "watchdog", "VIGIL_WATCHDOG", value, "URL", set_watchdog},
    {0, "watchdog-interval", "VIGIL_WATCHDOG_INTERVAL", value, "duration", set_watchdog_interval,
     false, false, watchdog_row},
    {0, "watchdog-timeout", "VIGIL_WATCHDOG_TIMEOUT", value, "duration", set_watchdog_timeout,
     false, false, watchdog_row},
    {0, "watchdog-failures", "VIGIL_WATCHDOG_FAILURES", value, "count", set_watchdog_failures,
     false, false, watchdog_row},
    {0, "watchdog-start-period", "VIGIL_WATCHDOG_START_PERIOD", value, "duration",
     set_watchdog_start_period, false, false, watchdog_row},
    {0, "watchdog-status", "VIGIL_WATCHDOG_STATUS", value, "status list", set_watchdog_status,
     false, false, watchdog_row},
    // One header per line: a header's value may hold commas and spaces.
    {0, "watchdog-header", "VIGIL_WATCHDOG_HEADER", list, "header", add_watchdog_header, false,
     true, watchdog_row},
    {0, "watchdog-expect", "VIGIL_WATCHDOG_EXPECT", value, "text", set_watchdog_expect, false,
     false, watchdog_row},
    {0, "watchdog-follow-redirects", "VIGIL_WATCHDOG_FOLLOW_REDIRECTS", flag, "value",
     set_watchdog_follow_redirects, false, false, watchdog_row},
    {0, "watchdog-unix-socket", "VIGIL_WATCHDOG_UNIX_SOCKET", value, "path",
     set_watchdog_unix_socket, false, false, watchdog_row},
    {'h', "help", nullptr, flag, "value", ask_help},
    {'V', "version", nullptr, flag, "value", ask_version},
};
static_assert(rows[watchdog_row].action == set_watchdog);
inline constexpr int watchdog_status_row = watchdog_row + 5;
inline constexpr int watchdog_expect_row = watchdog_row + 7;
inline constexpr int watchdog_follow_redirects_row = watchdog_row + 8;
static_assert(rows[watchdog_status_row].action == set_watchdog_status &&
              rows[watchdog_expect_row].action == set_watchdog_expect &&
              rows[watchdog_follow_redirects_row].action == set_watchdog_follow_redirects);

}  // namespace supervisor_option

// Every option, with its environment variable (for tests and docs checks).
inline std::span<const OptionRow> supervisor_options() {
    return supervisor_option::rows;
}

}  // namespace vigil
