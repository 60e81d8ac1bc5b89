#include "base/civil_time.h"

namespace vigil {

// Days are counted in 400-year eras that start on 1 March, so that the leap
// day is the last day of a "year" and the months from March on have a fixed
// pattern of lengths (153 days every five months).
CivilTime civil_time_from_unix(int64_t seconds) {
    int64_t days = seconds / 86400;
    int64_t second_of_day = seconds % 86400;
    if (second_of_day < 0) {
        second_of_day += 86400;
        --days;
    }
    // 719468 days from 0000-03-01 to 1970-01-01; 146097 days in an era.
    int64_t shifted = days + 719468;
    int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
    int64_t day_of_era = shifted - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;

    CivilTime civil{};
    civil.day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    civil.month =
        static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    civil.year = year_of_era + era * 400 + (civil.month <= 2 ? 1 : 0);
    civil.hour = static_cast<int>(second_of_day / 3600);
    civil.minute = static_cast<int>(second_of_day / 60 % 60);
    civil.second = static_cast<int>(second_of_day % 60);
    return civil;
}

}  // namespace vigil
