#include "base/format.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>

using namespace vigil;

// Every directive vigil uses must print exactly what snprintf prints.
#define EXPECT_LIKE_SNPRINTF(...)                                             \
    do {                                                                      \
        char ours[128];                                                       \
        char theirs[128];                                                     \
        int our_length = format_into(ours, sizeof ours, __VA_ARGS__);         \
        int their_length = std::snprintf(theirs, sizeof theirs, __VA_ARGS__); \
        EXPECT_STREQ(ours, theirs);                                           \
        EXPECT_EQ(our_length, their_length) << theirs;                        \
    } while (0)

TEST(Format, MatchesSnprintfForTheSubsetVigilUses) {
    EXPECT_LIKE_SNPRINTF("plain text");
    EXPECT_LIKE_SNPRINTF("%s and %s", "this", "that");
    EXPECT_LIKE_SNPRINTF("[%.*s]", 3, "abcdef");
    EXPECT_LIKE_SNPRINTF("[%.*s]", 10, "abc");
    EXPECT_LIKE_SNPRINTF("[%.2s]", "abc");
    EXPECT_LIKE_SNPRINTF("[%-6s|%6s]", "ab", "cd");
    EXPECT_LIKE_SNPRINTF("%c%c", 'o', 'k');
    EXPECT_LIKE_SNPRINTF("%d %d %d %i", 0, 42, -42, INT_MIN);
    EXPECT_LIKE_SNPRINTF("%02d:%02d %04d %03ld", 5, 59, 2026, 7L);
    EXPECT_LIKE_SNPRINTF("%05d", -42);
    EXPECT_LIKE_SNPRINTF("%lld %lld", LLONG_MAX, LLONG_MIN);
    EXPECT_LIKE_SNPRINTF("%02lld.%lld", 3LL, 123456789012LL);
    EXPECT_LIKE_SNPRINTF("%u %lu %zu", UINT_MAX, ULONG_MAX, SIZE_MAX);
    EXPECT_LIKE_SNPRINTF("%x %04x %x", 0u, 0xabu, 0xffffffffu);
    EXPECT_LIKE_SNPRINTF("100%% sure");
}

TEST(Format, TruncatesLikeSnprintfAndReportsTheFullLength) {
    char buffer[8];
    EXPECT_EQ(format_into(buffer, sizeof buffer, "%s", "0123456789"), 10);
    EXPECT_STREQ(buffer, "0123456");
    EXPECT_EQ(format_into(buffer, 1, "%d", 12345), 5);
    EXPECT_STREQ(buffer, "");
    EXPECT_EQ(format_into(nullptr, 0, "%s", "abc"), 3);
}

TEST(Format, ShowsUnsupportedDirectivesInsteadOfMisreadingArguments) {
    char buffer[32];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
    format_into(buffer, sizeof buffer, "a%");
    EXPECT_STREQ(buffer, "a%");
    format_into(buffer, sizeof buffer, "[%q]", 1);
    EXPECT_STREQ(buffer, "[%q]");
#pragma GCC diagnostic pop
}

namespace {

__attribute__((format(printf, 2, 3))) std::string one_line(size_t size, const char* format, ...) {
    std::string buffer(size, '#');
    va_list arguments;
    va_start(arguments, format);
    vformat_one_line(buffer.data(), buffer.size(), format, arguments);
    va_end(arguments);
    return buffer.substr(0, buffer.find('\0'));
}

}  // namespace

TEST(Format, OneLineEscapesWhatTheArgumentsHoldAndNotTheFormat) {
    EXPECT_EQ(one_line(128, "invalid '%s' for %s", "x\ny", "--grace"),
              "invalid 'x\\ny' for --grace");
    // From a server: 8-bit CSI, CSI and OSC as UTF-8, ESC, a backslash.
    EXPECT_EQ(
        one_line(128, "from %s: \"%.*s\"", "127.0.0.1:80", 10, "\x9b\xc2\x9b\xc2\x9d\x1b[2J\\zzzz"),
        "from 127.0.0.1:80: \"\\x9b\\u009b\\u009d\\x1b[2J\\\\\"");
    EXPECT_EQ(one_line(128, "[%c%c]", '\x07', 'k'), "[\\x07k]");
    EXPECT_EQ(one_line(128, "%d%%", 50), "50%");
}

TEST(Format, OneLineCutsBetweenEscapesNeverInside) {
    // Room for 7 characters: one escape of 4, then not the next.
    EXPECT_EQ(one_line(8, "%s", "\x1b\x1b"), "\\x1b");
    EXPECT_EQ(one_line(8, "ab%s", "\xc2\x9b"), "ab");
    EXPECT_EQ(one_line(8, "%s", "caf\xc3\xa9\xe6\x97\xa5"), "caf\xc3\xa9");
    // Nothing after a cut either, though a shorter piece would fit.
    EXPECT_EQ(one_line(8, "12345%sx", "\x01"), "12345");
}
