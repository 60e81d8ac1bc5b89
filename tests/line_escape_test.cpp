// What a server says reaches the summary line without control characters
// or invalid UTF-8, and is never cut inside a character.
#include "probe/line_escape.h"

#include <gtest/gtest.h>

#include <string>

using namespace vigil;

namespace {

std::string escape(std::string_view text, size_t size = 256) {
    char out[256];
    escape_for_line(text, out, size);
    return out;
}

}  // namespace

TEST(LineEscape, KeepsPrintableAsciiAndValidUtf8) {
    EXPECT_EQ(escape("unknown service grpc.health.v1.Health"),
              "unknown service grpc.health.v1.Health");
    EXPECT_EQ(escape("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
              "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
}

TEST(LineEscape, EscapesControlsAndInvalidUtf8) {
    EXPECT_EQ(escape("a\nb\rc\td\x1b[31m"), "a\\x0ab\\x0dc\\x09d\\x1b[31m");
    EXPECT_EQ(escape("del\x7f"), "del\\x7f");
    EXPECT_EQ(escape("back\\slash"), "back\\\\slash");
    EXPECT_EQ(escape("c1 \xc2\x85 nel"), "c1 \\xc2\\x85 nel");
    EXPECT_EQ(escape("lone \x80 cont"), "lone \\x80 cont");
    EXPECT_EQ(escape("overlong \xc0\xaf"), "overlong \\xc0\\xaf");
    EXPECT_EQ(escape("overlong \xe0\x80\xaf"), "overlong \\xe0\\x80\\xaf");
    EXPECT_EQ(escape("surrogate \xed\xa0\x80"), "surrogate \\xed\\xa0\\x80");
    EXPECT_EQ(escape("too big \xf4\x90\x80\x80"), "too big \\xf4\\x90\\x80\\x80");
    EXPECT_EQ(escape("cut \xe2\x9c"), "cut \\xe2\\x9c");
    EXPECT_EQ(escape(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(LineEscape, NeverCutsACharacterOrAnEscape) {
    EXPECT_EQ(escape("ab\xc3\xa9", 4), "ab");  // 3 bytes of room, é needs 2 more
    EXPECT_EQ(escape("ab\xc3\xa9", 5), "ab\xc3\xa9");
    EXPECT_EQ(escape("a\n", 5), "a");  // "\x0a" needs 4
    EXPECT_EQ(escape("a\n", 6), "a\\x0a");
    char out[1];
    EXPECT_EQ(escape_for_line("abc", out, 1), 0u);
    EXPECT_EQ(out[0], '\0');
}
