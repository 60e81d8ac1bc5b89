// The LZ4 block decoder of the compressed --help texts: the texts as built
// decode to the plain text files, and hand-made blocks (literals only, an
// overlapping match, a long run) decode as the block format says.
#include "base/compressed_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "probe/probe_command_line.h"
#include "supervisor/supervisor_command_line.h"

using namespace vigil;

namespace {

std::string decode(const unsigned char* compressed) {
    std::string text(compressed_text_size(compressed), '\0');
    text.resize(decode_compressed_text(compressed, text.data()));
    return text;
}

std::string decode(std::vector<unsigned char> compressed) {
    return decode(compressed.data());
}

}  // namespace

TEST(CompressedText, HelpTextsDecodeToTheirPlainText) {
    EXPECT_EQ(decode(supervisor_help), supervisor_help_text);
    EXPECT_EQ(decode(probe_help), probe_help_text);
    EXPECT_LT(decode(supervisor_help).size(), max_compressed_text_size);
    EXPECT_LT(decode(probe_help).size(), max_compressed_text_size);
}

TEST(CompressedText, DecodesLiteralsAndMatches) {
    // "abc" alone: one sequence of three literals.
    EXPECT_EQ(decode({3, 0, 0x30, 'a', 'b', 'c'}), "abc");
    // "ab" then a match of 6 at offset 2, overlapping what it copies.
    EXPECT_EQ(decode({9, 0, 0x22, 'a', 'b', 2, 0, 0x10, '!'}), "abababab!");
    // 20 literals: the count goes on in a byte after the token.
    std::vector<unsigned char> long_run{20, 0, 0xf0, 5};
    for (int i = 0; i < 20; ++i) long_run.push_back(static_cast<unsigned char>('a' + i));
    EXPECT_EQ(decode(long_run), "abcdefghijklmnopqrst");
    // A match of 4 + 15 + 1 = 20 bytes.
    EXPECT_EQ(decode({22, 0, 0x1f, 'x', 1, 0, 1, 0x10, '.'}), std::string(21, 'x') + ".");
}

TEST(CompressedText, StopsAtAMatchBeforeTheStart) {
    EXPECT_EQ(decode({8, 0, 0x10, 'a', 5, 0, 0x10, 'b'}), "a");
    EXPECT_EQ(decode({8, 0, 0x10, 'a', 0, 0, 0x10, 'b'}), "a");
}
