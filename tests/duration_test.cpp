#include "base/duration.h"

#include <gtest/gtest.h>

using vigil::format_duration;
using vigil::parse_duration_ms;

TEST(Duration, AcceptsEveryDocumentedForm) {
    EXPECT_EQ(parse_duration_ms("1500ms"), 1500);
    EXPECT_EQ(parse_duration_ms("2s"), 2000);
    EXPECT_EQ(parse_duration_ms("1.5s"), 1500);
    EXPECT_EQ(parse_duration_ms("1m"), 60000);
    EXPECT_EQ(parse_duration_ms("1h"), 3600000);
    EXPECT_EQ(parse_duration_ms("10"), 10000);
    EXPECT_EQ(parse_duration_ms("0.25"), 250);
    EXPECT_EQ(parse_duration_ms("0"), 0);
    EXPECT_EQ(parse_duration_ms("0ms"), 0);
    EXPECT_EQ(parse_duration_ms(".5s"), 500);
    EXPECT_EQ(parse_duration_ms("2.s"), 2000);
}

TEST(Duration, FractionsBelowAMillisecondRoundDown) {
    EXPECT_EQ(parse_duration_ms("0.0009s"), 0);
    EXPECT_EQ(parse_duration_ms("1.0019s"), 1001);
    EXPECT_EQ(parse_duration_ms("1.999ms"), 1);
}

TEST(Duration, RejectsMalformedInput) {
    for (const char* bad : {"", "s", "ms", "-1", "-1s", "1x", "1 s", " 1s", "1s ", "1..5s", ".",
                            "1.5.s", "1sec", "1S", "1e3", "+1", "0x10", "abc", "1ms5"}) {
        EXPECT_FALSE(parse_duration_ms(bad).has_value()) << "'" << bad << "'";
    }
}

TEST(Duration, RejectsValuesBeyondThirtyDays) {
    EXPECT_EQ(parse_duration_ms("720h"), vigil::max_duration_ms);
    EXPECT_FALSE(parse_duration_ms("721h").has_value());
    EXPECT_FALSE(parse_duration_ms("99999999999999999999").has_value());
    EXPECT_FALSE(parse_duration_ms("2592000.001").has_value());
}

TEST(Duration, FormatsForPeople) {
    char buffer[32];
    EXPECT_STREQ(format_duration(250, buffer, sizeof buffer), "250ms");
    EXPECT_STREQ(format_duration(2000, buffer, sizeof buffer), "2s");
    EXPECT_STREQ(format_duration(1500, buffer, sizeof buffer), "1.5s");
    EXPECT_STREQ(format_duration(180000, buffer, sizeof buffer), "3m");
    EXPECT_STREQ(format_duration(1234, buffer, sizeof buffer), "1234ms");
}
