// UTC calendar date and time of day from seconds since the Unix epoch, for
// the JSON log's "ts". libc's gmtime_r would do, but in a static musl build
// it brings the time-zone code with it (its UTC name lives there); this is
// the plain arithmetic, proleptic Gregorian calendar, no leap seconds.
#pragma once

#include <cstdint>

namespace vigil {

struct CivilTime {
    int64_t year;
    int month;  // 1-12
    int day;    // 1-31
    int hour;
    int minute;
    int second;
};

CivilTime civil_time_from_unix(int64_t seconds);

}  // namespace vigil
