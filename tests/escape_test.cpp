#include "base/escape.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace vigil;

namespace {

std::string escape(std::string_view input, EscapeForm form) {
    std::string out;
    while (!input.empty()) {
        EscapedCharacter escaped = escape_character(input, form);
        EXPECT_GE(escaped.consumed, 1u);
        EXPECT_LE(escaped.length, max_escaped_length);
        out.append(escaped.text, escaped.length);
        input.remove_prefix(escaped.consumed);
    }
    return out;
}

std::string as_line(std::string_view input) {
    return escape(input, EscapeForm::line);
}
std::string as_quoted(std::string_view input) {
    return escape(input, EscapeForm::quoted);
}
std::string as_json(std::string_view input) {
    return escape(input, EscapeForm::json);
}

}  // namespace

TEST(Escape, PassesPrintableAsciiAndUtf8TextAsTheyAre) {
    for (std::string text :
         {"GET /healthz?deep=1 HTTP/1.1", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
          "\xf0\x9f\x99\x82", "\xc2\xa0nbsp", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"}) {
        EXPECT_EQ(as_line(text), text);
        EXPECT_EQ(as_quoted(text), text);
        EXPECT_EQ(as_json(text), text);
    }
}

TEST(Escape, WritesC0ControlsAndDelVisibly) {
    EXPECT_EQ(as_line("a\nb\rc\td"), "a\\nb\\rc\\td");
    EXPECT_EQ(as_json("a\nb\rc\td"), "a\\nb\\rc\\td");
    EXPECT_EQ(as_line("\x1b[2J\x1b]0;pwned\x07"), "\\x1b[2J\\x1b]0;pwned\\x07");
    EXPECT_EQ(as_json("\x1b[2J\x1b]0;pwned\x07"), "\\u001b[2J\\u001b]0;pwned\\u0007");
    EXPECT_EQ(as_line(std::string("\0\x7f", 2)), "\\x00\\x7f");
    EXPECT_EQ(as_json(std::string("\0\x7f", 2)), "\\u0000\\u007f");
}

TEST(Escape, WritesC1ControlsEncodedAsUtf8Visibly) {
    // C2 9B is CSI and C2 9D is OSC: terminals that decode UTF-8 obey them.
    EXPECT_EQ(as_line("\xc2\x9b"
                      "2J"),
              "\\u009b2J");
    EXPECT_EQ(as_line("\xc2\x9d"
                      "0;title"),
              "\\u009d0;title");
    EXPECT_EQ(as_json("\xc2\x80\xc2\x9f"), "\\u0080\\u009f");
    EXPECT_EQ(as_quoted("\xc2\x85"), "\\u0085");  // NEL, a line break to some
}

TEST(Escape, WritesEveryByteOutsideWellFormedUtf8AsItsValue) {
    EXPECT_EQ(as_line("\x9b"
                      "2J"),
              "\\x9b2J");  // 8-bit CSI
    EXPECT_EQ(as_json("\x9b"
                      "2J"),
              "\\\\x9b2J");
    EXPECT_EQ(as_line("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(as_line("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong, 3 bytes
    EXPECT_EQ(as_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(as_line("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
    EXPECT_EQ(as_line("\xf5\xff\xfe"), "\\xf5\\xff\\xfe");
    EXPECT_EQ(as_line("\xe2\x82"
                      "x"),
              "\\xe2\\x82x");                   // cut short
    EXPECT_EQ(as_line("caf\xe9"), "caf\\xe9");  // Latin-1
}

TEST(Escape, WritesLineSeparatorsAndBidirectionalControlsVisibly) {
    EXPECT_EQ(as_line("a\xe2\x80\xa8"
                      "b\xe2\x80\xa9"),
              "a\\u2028b\\u2029");
    EXPECT_EQ(as_json("\xe2\x80\xae"
                      "evil"),
              "\\u202eevil");
    EXPECT_EQ(as_line("\xe2\x80\x8e\xe2\x80\x8f\xe2\x81\xa6\xe2\x81\xa9"),
              "\\u200e\\u200f\\u2066\\u2069");
    EXPECT_EQ(as_line("\xe2\x80\xa7\xe2\x80\xaf"), "\xe2\x80\xa7\xe2\x80\xaf");  // neighbours pass
}

TEST(Escape, DoublesBackslashesAndEscapesQuotesWhereTheyDelimit) {
    EXPECT_EQ(as_line("C:\\x9b \"q\""), "C:\\\\x9b \"q\"");
    EXPECT_EQ(as_quoted("C:\\x9b \"q\""), "C:\\\\x9b \\\"q\\\"");
    EXPECT_EQ(as_json("C:\\x9b \"q\""), "C:\\\\x9b \\\"q\\\"");
}

TEST(Escape, WritesWhatFitsAndSaysHowMuchOfTheInputThatTook) {
    std::string text = "ab\x9b\xc2\x9b\n\\\"caf\xc3\xa9\xe2\x80\xa8";
    for (EscapeForm form : {EscapeForm::line, EscapeForm::quoted, EscapeForm::json}) {
        std::string whole = escape(text, form);
        for (size_t room = 0; room <= whole.size() + 1; ++room) {
            char out[64];
            size_t written = 99;
            size_t used = escape_some(text, form, out, room, written);
            EXPECT_LE(written, room);
            EXPECT_EQ(std::string(out, written), escape(text.substr(0, used), form));
            EXPECT_EQ(used == text.size(), room >= whole.size()) << room;
        }
    }
}

TEST(Escape, WritesWholeCharactersAndEscapesOnly) {
    auto some = [](std::string_view text, size_t room) {
        char out[64];
        size_t written = 0;
        escape_some(text, EscapeForm::line, out, room, written);
        return std::string(out, written);
    };
    EXPECT_EQ(some("ab\xc3\xa9", 3), "ab");  // 3 bytes of room, the \xc3\xa9 needs 2 more
    EXPECT_EQ(some("ab\xc3\xa9", 4), "ab\xc3\xa9");
    EXPECT_EQ(some("a\x1b", 4), "a");  // "\x1b" needs 4
    EXPECT_EQ(some("a\x1b", 5), "a\\x1b");
    EXPECT_EQ(some(std::string("nul\0x", 5), 64), "nul\\x00x");
    EXPECT_EQ(some("abc", 0), "");
}
