#include "supervisor/watchdog.h"

#include <gtest/gtest.h>

using namespace vigil;
using Change = WatchdogCounter::Change;

TEST(WatchdogCounter, FiresAfterNConsecutiveFailuresAndNotBefore) {
    WatchdogCounter counter(3, 0);
    EXPECT_EQ(counter.record(false, 10), Change::failing);
    EXPECT_EQ(counter.record(false, 20), Change::none);
    EXPECT_FALSE(counter.fired());
    EXPECT_EQ(counter.record(false, 30), Change::fired);
    EXPECT_TRUE(counter.fired());
    EXPECT_EQ(counter.record(false, 40), Change::none);  // once only
    EXPECT_EQ(counter.record(true, 50), Change::none);
}

TEST(WatchdogCounter, ASuccessResetsTheCount) {
    WatchdogCounter counter(3, 0);
    counter.record(false, 10);
    counter.record(false, 20);
    EXPECT_EQ(counter.record(true, 30), Change::recovered);
    EXPECT_EQ(counter.consecutive_failures(), 0);
    EXPECT_EQ(counter.record(true, 40), Change::none);
    EXPECT_EQ(counter.record(false, 50), Change::failing);
    EXPECT_EQ(counter.record(false, 60), Change::none);
    EXPECT_EQ(counter.record(false, 70), Change::fired);
}

TEST(WatchdogCounter, OneFailureFiresWhenNIsOne) {
    WatchdogCounter counter(1, 0);
    EXPECT_EQ(counter.record(false, 1), Change::fired);
}

TEST(WatchdogCounter, StartPeriodFailuresDoNotCountUntilTheFirstSuccess) {
    WatchdogCounter counter(2, 1000);
    for (int64_t now = 100; now < 1000; now += 100)
        EXPECT_EQ(counter.record(false, now), Change::none) << now;
    EXPECT_EQ(counter.consecutive_failures(), 0);
    // After the start period every failure counts.
    EXPECT_EQ(counter.record(false, 1000), Change::failing);
    EXPECT_EQ(counter.record(false, 1100), Change::fired);
}

TEST(WatchdogCounter, ASuccessEndsTheStartPeriodEarly) {
    WatchdogCounter counter(2, 10000);
    EXPECT_EQ(counter.record(false, 100), Change::none);
    EXPECT_EQ(counter.record(true, 200), Change::none);
    EXPECT_EQ(counter.record(false, 300), Change::failing);
    EXPECT_EQ(counter.record(false, 400), Change::fired);
}
