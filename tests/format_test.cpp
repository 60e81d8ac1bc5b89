#include "base/format.h"

#include <gtest/gtest.h>

#include <climits>
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
