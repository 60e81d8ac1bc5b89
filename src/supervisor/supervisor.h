// The supervisor: runs the application (the main child) and stays with it
// until the end.
//
// One event loop owns all of vigil's state. Every catchable signal is blocked
// and read from a signalfd: SIGCHLD means "reap", a termination request
// (--stop-signal or SIGINT) goes to the shutdown state machine (shutdown.h),
// and every other signal is rewritten and forwarded to the main child's
// process group. While a deadline runs (stop delay, grace, drain, the next
// watchdog probe) or a watchdog probe is in flight, the loop waits in poll(2)
// with a timeout; otherwise it waits in read(2) on the signalfd itself, so an
// idle vigil without a watchdog never wakes up.
#pragma once

#include "supervisor/supervisor_command_line.h"

namespace vigil {

// Starts the main child under `config` and supervises it until vigil exits;
// returns vigil's exit status (see exit_status.h).
int run_supervisor(const SupervisorConfig& config);

}  // namespace vigil
