// What the driver reads about a running process from /proc.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "result.h"

namespace bench {

// A numeric field of /proc/PID/status, e.g. "VmHWM" (in kB) or
// "voluntary_ctxt_switches".
Result<long> status_field(pid_t pid, const std::string& name);

// The PIDs in /proc/PID/task/PID/children: a process's children, zombies
// included until reaped. Slow with thousands of children (milliseconds per
// read), so read once, never polled.
Result<std::vector<pid_t>> child_pids(pid_t pid);

}  // namespace bench
