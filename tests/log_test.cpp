#include "base/log.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "strict_json.h"

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
    EXPECT_NE(line.find("\"msg\":\"bad \\\"x\\\"\\\\\\n\\t\""), std::string::npos) << line;
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

namespace {

// The line without its newline, which must be its only one.
std::string one_line(const std::string& line) {
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    return line.substr(0, line.size() - 1);
}

}  // namespace

TEST(Log, TheStrictJsonCheckAcceptsJsonAndNothingElse) {
    using vigil_test::is_strict_json;
    for (const char* good : {R"({"a":"b","n":-12.5e+3,"t":[true,false,null],"o":{}})",
                             R"("\u00e9\ud83d\ude42\\\"\/\b\f\n\r\t")", " [ 1 , 2 ] ", "0"})
        EXPECT_TRUE(is_strict_json(good)) << good;
    for (const char* bad :
         {R"({"a":"b")", R"({"a":"b",})", R"({"a":"b"}})", "\"a\x01\"", R"("\x9b")", R"("\ud800")",
          R"("\udc00x")", "01", "\"\x9b\"", "\"\xc0\xaf\"", R"({a:1})", "[1,]", "", "\"abc"})
        EXPECT_FALSE(is_strict_json(bad)) << bad;
}

// `vigil -- $'/no/such\nvigil: forged'` must not print a second vigil line.
TEST(Log, TextValuesWithControlsAreQuotedAndEscapedSoOneEventIsOneLine) {
    std::string line = format(LogFormat::text, LogLevel::error, "cannot run program",
                              {{"program", "/no/such\nvigil: forged"}, {"error", "ENOENT"}});
    EXPECT_EQ(line,
              "vigil: error: cannot run program program=\"/no/such\\nvigil: forged\" "
              "error=ENOENT\n");
}

TEST(Log, TextValuesAreBareOnlyWhenNothingInThemNeedsQuoting) {
    auto value = [](const char* text) {
        std::string line = one_line(format(LogFormat::text, LogLevel::info, "m", {{"k", text}}));
        return line.substr(std::string("vigil: m k=").size());
    };
    EXPECT_EQ(value("SIGTERM"), "SIGTERM");
    EXPECT_EQ(value("/usr/bin/caf\xc3\xa9"), "\"/usr/bin/caf\xc3\xa9\"");  // quoted, not escaped
    EXPECT_EQ(value(""), "\"\"");
    EXPECT_EQ(value("a b"), "\"a b\"");
    EXPECT_EQ(value("x\" forged=\"1"), "\"x\\\" forged=\\\"1\"");
    EXPECT_EQ(value("k=v"), "\"k=v\"");
    EXPECT_EQ(value("C:\\app"), "\"C:\\\\app\"");
    EXPECT_EQ(value("\x9b"
                    "2J\xc2\x9d"),
              "\"\\x9b2J\\u009d\"");
}

TEST(Log, JsonWritesBytesFromServersAsValidUtf8) {
    // A watchdog reason with what a server sent: raw 0x9B, CSI and OSC as
    // UTF-8, Latin-1, ESC, and UTF-8 text that is fine as it is.
    std::string line = format(LogFormat::json, LogLevel::error, "watchdog: stopping it",
                              {{"failures", 3},
                               {"reasons",
                                "unhealthy: \"\x9b"
                                "2J\xc2\x9b\xc2\x9d\xe9\x1b[0m caf\xc3\xa9\""}});
    EXPECT_TRUE(vigil_test::is_strict_json(one_line(line))) << line;
    EXPECT_NE(line.find(R"(\"\\x9b2J\u009b\u009d\\xe9\u001b[0m caf)"
                        "\xc3\xa9"
                        R"(\")"),
              std::string::npos)
        << line;
}

TEST(Log, JsonLinesCutAt1KiBStayValidAndSaySo) {
    std::string big(2048, 'x');
    for (const std::vector<LogField>& fields : std::vector<std::vector<LogField>>{
             {{"summary", big.c_str()}, {"failures", 3}},
             {{"pid", 7}, {"reasons", big.c_str()}},
             {{"a", big.c_str()}, {"b", big.c_str()}, {"c", "ok"}}}) {
        std::string line = format(LogFormat::json, LogLevel::error, "watchdog", fields);
        EXPECT_LE(line.size(), 1024u);
        EXPECT_GE(line.size(), 1000u);  // cut where the buffer ends, not long before
        EXPECT_EQ(line.substr(line.size() - 2), "}\n");
        EXPECT_TRUE(vigil_test::is_strict_json(one_line(line))) << line;
        EXPECT_NE(line.find("xxx...(truncated)\""), std::string::npos) << line;
        for (const LogField& field : fields)  // every key is there, and every number
            EXPECT_NE(line.find(std::string("\"") + field.key + "\":"), std::string::npos) << line;
    }
    std::string line =
        format(LogFormat::json, LogLevel::info, "m", {{"summary", big.c_str()}, {"failures", 3}});
    EXPECT_NE(line.find(",\"failures\":3}"), std::string::npos) << line;
    // Escapes are never cut in half.
    std::string escapes(1000, '\x01');
    line = format(LogFormat::json, LogLevel::info, "m", {{"k", escapes.c_str()}});
    EXPECT_TRUE(vigil_test::is_strict_json(one_line(line))) << line;
    EXPECT_NE(line.find("\\u0001...(truncated)\"}"), std::string::npos) << line;
}

TEST(Log, TextLinesCutAt1KiBCloseTheirQuotesAndSaySo) {
    std::string big(2048, 'x');
    big[5] = ' ';
    std::string line = format(LogFormat::text, LogLevel::warn, "watchdog",
                              {{"summary", big.c_str()}, {"failures", 3}});
    EXPECT_LE(line.size(), 1024u);
    std::string end = "xxx...(truncated)\" failures=3\n";
    ASSERT_GT(line.size(), end.size());
    EXPECT_EQ(line.substr(line.size() - end.size()), end);
}

// Whatever the values hold, a JSON line parses and a text line is one line
// of printable text: random bytes, many times over.
TEST(Log, AnyBytesGiveOneValidLine) {
    uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245 + 12345;
        return static_cast<unsigned char>(state >> 16);
    };
    for (int round = 0; round < 2000; ++round) {
        std::string values[2];
        for (std::string& value : values) {
            size_t length = next() % 4 == 0 ? 1500 : next() % 64;
            for (size_t i = 0; i < length; ++i) value += static_cast<char>(next());
            value = value.c_str();  // up to a NUL, as a C string would be
        }
        std::vector<LogField> fields{
            {"a", values[0].c_str()}, {"n", -42}, {"b", values[1].c_str()}};
        std::string json = format(LogFormat::json, LogLevel::debug, "m", fields);
        ASSERT_TRUE(vigil_test::is_strict_json(one_line(json))) << json;
        ASSERT_LE(json.size(), 1024u);
        std::string text = format(LogFormat::text, LogLevel::debug, "m", fields);
        ASSERT_TRUE(vigil_test::is_safe_line(one_line(text))) << text;
        ASSERT_NE(text.find(" n=-42 "), std::string::npos) << text;
    }
}
