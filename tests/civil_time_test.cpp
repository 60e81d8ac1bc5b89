// The JSON log's UTC date against libc's gmtime_r, which it replaces in the
// release binary.
#include "base/civil_time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>

namespace {

void expect_same_as_gmtime(int64_t seconds) {
    time_t value = static_cast<time_t>(seconds);
    tm expected{};
    ASSERT_NE(gmtime_r(&value, &expected), nullptr) << seconds;
    vigil::CivilTime civil = vigil::civil_time_from_unix(seconds);
    EXPECT_EQ(civil.year, int64_t{expected.tm_year} + 1900) << seconds;
    EXPECT_EQ(civil.month, expected.tm_mon + 1) << seconds;
    EXPECT_EQ(civil.day, expected.tm_mday) << seconds;
    EXPECT_EQ(civil.hour, expected.tm_hour) << seconds;
    EXPECT_EQ(civil.minute, expected.tm_min) << seconds;
    EXPECT_EQ(civil.second, expected.tm_sec) << seconds;
}

TEST(CivilTime, KnownDates) {
    vigil::CivilTime epoch = vigil::civil_time_from_unix(0);
    EXPECT_EQ(epoch.year, 1970);
    EXPECT_EQ(epoch.month, 1);
    EXPECT_EQ(epoch.day, 1);
    // 2000-02-29T12:34:56Z: a leap day in a year divisible by 400.
    vigil::CivilTime leap = vigil::civil_time_from_unix(951827696);
    EXPECT_EQ(leap.year, 2000);
    EXPECT_EQ(leap.month, 2);
    EXPECT_EQ(leap.day, 29);
    EXPECT_EQ(leap.hour, 12);
    EXPECT_EQ(leap.minute, 34);
    EXPECT_EQ(leap.second, 56);
    // One second before the epoch.
    vigil::CivilTime before = vigil::civil_time_from_unix(-1);
    EXPECT_EQ(before.year, 1969);
    EXPECT_EQ(before.month, 12);
    EXPECT_EQ(before.day, 31);
    EXPECT_EQ(before.second, 59);
}

TEST(CivilTime, AgreesWithGmtimeAroundEveryMonthBoundaryFrom1900To2200) {
    // Midnight of every day from 1900 to 2200, and the second before it:
    // every month and year boundary, every leap day, 1900 and 2100 included.
    for (int64_t day = -25567; day <= 84006; ++day) {
        expect_same_as_gmtime(day * 86400);
        expect_same_as_gmtime(day * 86400 - 1);
        if (HasFailure())
            return;
    }
}

TEST(CivilTime, AgreesWithGmtimeOnRandomSecondsOverTenThousandYears) {
    std::mt19937_64 generator(20250101);
    // About years -3000 to 7000.
    std::uniform_int_distribution<int64_t> seconds(-157000000000, 158000000000);
    for (int i = 0; i < 200000 && !HasFailure(); ++i) expect_same_as_gmtime(seconds(generator));
}

}  // namespace
