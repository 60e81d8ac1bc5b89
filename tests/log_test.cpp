#include "base/log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace vigil;

namespace {

std::string format(LogFormat format, LogLevel level, const char* message,
                   std::vector<LogField> fields, size_t size = 1024) {
    std::vector<char> buffer(size);
    timespec when{1795444695, 123456789};  // 2026-11-23T14:38:15.123Z
    size_t length = format_log_line(buffer.data(), buffer.size(), format, level, when, message,
                                    std::span<const LogField>(fields.data(), fields.size()));
    return std::string(buffer.data(), length);
}

}  // namespace

TEST(Log, TextLinesStartWithVigilAndCarryFields) {
    EXPECT_EQ(format(LogFormat::text, LogLevel::info, "child exited", {{"pid", 42}, {"status", 3}}),
              "vigil: child exited pid=42 status=3\n");
    EXPECT_EQ(format(LogFormat::text, LogLevel::warn, "grace expired", {}),
              "vigil: warn: grace expired\n");
    EXPECT_EQ(format(LogFormat::text, LogLevel::error, "cannot run program",
                     {{"error", "No such file or directory"}}),
              "vigil: error: cannot run program error=\"No such file or directory\"\n");
}

TEST(Log, JsonLinesAreOneObjectWithTimestampLevelAndFields) {
    EXPECT_EQ(format(LogFormat::json, LogLevel::info, "forwarded signal",
                     {{"signal", "SIGTERM"}, {"pid", -7}}),
              "{\"ts\":\"2026-11-23T14:38:15.123Z\",\"level\":\"info\",\"msg\":\"forwarded "
              "signal\",\"signal\":\"SIGTERM\",\"pid\":-7}\n");
}

TEST(Log, JsonEscapesQuotesBackslashesAndControlCharacters) {
    std::string line = format(LogFormat::json, LogLevel::error, "bad \"x\"\\\n\t", {{"k", "a\"b"}});
    EXPECT_NE(line.find("\"msg\":\"bad \\\"x\\\"\\\\\\n\\u0009\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"k\":\"a\\\"b\""), std::string::npos) << line;
}

TEST(Log, LongLinesAreTruncatedButStillEndWithANewline) {
    std::string long_message(5000, 'x');
    std::string line = format(LogFormat::text, LogLevel::info, long_message.c_str(), {}, 64);
    EXPECT_EQ(line.size(), 64u);
    EXPECT_EQ(line.back(), '\n');
}

TEST(Log, DefaultVerbosityShowsWarningsAndErrorsOnly) {
    log_configure(LogFormat::text, 0);
    EXPECT_TRUE(log_enabled(LogLevel::error));
    EXPECT_TRUE(log_enabled(LogLevel::warn));
    EXPECT_FALSE(log_enabled(LogLevel::info));
    log_configure(LogFormat::text, 1);
    EXPECT_TRUE(log_enabled(LogLevel::info));
    EXPECT_FALSE(log_enabled(LogLevel::debug));
    log_configure(LogFormat::text, 2);
    EXPECT_TRUE(log_enabled(LogLevel::debug));
    log_configure(LogFormat::text, 0);
}
