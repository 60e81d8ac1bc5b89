// What --watchdog and its --watchdog-* options ask for: the check (as for
// `vigil probe`) and when to probe and give up. Kept apart from watchdog.h so
// that the supervisor's configuration does not pull in the probe's runtime.
#pragma once

#include <cstdint>

#include "probe/check_spec.h"

namespace vigil {

struct WatchdogConfig {
    CheckSpec check;              // URL, --watchdog-status, --watchdog-header, --watchdog-timeout
    int64_t interval_ms = 10000;  // from the end of one probe to the start of the next
    int failures = 3;             // consecutive failures that fire it
    int64_t start_period_ms = 0;  // failures in it count only after a success
};

}  // namespace vigil
