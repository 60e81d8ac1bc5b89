// HPACK decoding (RFC 7541): the examples of Appendix C, the dynamic table's
// sizes and evictions, and the errors a hostile server can provoke.
#include "probe/hpack.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace vigil;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string bytes(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// One header block; `cut` says whether each field was cut short.
Fields decode(HpackDecoder& decoder, const std::string& block, bool* ok = nullptr,
              std::vector<bool>* cut = nullptr) {
    Fields fields;
    decoder.begin_block(block);
    while (decoder.next()) {
        fields.emplace_back(std::string(decoder.name()), std::string(decoder.value()));
        if (cut)
            cut->push_back(decoder.field_cut());
    }
    bool decoded = decoder.error() == HpackDecoder::Error::none;
    if (ok)
        *ok = decoded;
    else
        EXPECT_TRUE(decoded) << decoder.error_text();
    return fields;
}

const Fields request1 = {
    {":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}};
const Fields request2 = {{":method", "GET"},
                         {":scheme", "http"},
                         {":path", "/"},
                         {":authority", "www.example.com"},
                         {"cache-control", "no-cache"}};
const Fields request3 = {{":method", "GET"},
                         {":scheme", "https"},
                         {":path", "/index.html"},
                         {":authority", "www.example.com"},
                         {"custom-key", "custom-value"}};
const Fields response1 = {{":status", "302"},
                          {"cache-control", "private"},
                          {"date", "Mon, 21 Oct 2013 20:13:21 GMT"},
                          {"location", "https://www.example.com"}};
const Fields response2 = {{":status", "307"},
                          {"cache-control", "private"},
                          {"date", "Mon, 21 Oct 2013 20:13:21 GMT"},
                          {"location", "https://www.example.com"}};
const Fields response3 = {
    {":status", "200"},
    {"cache-control", "private"},
    {"date", "Mon, 21 Oct 2013 20:13:22 GMT"},
    {"location", "https://www.example.com"},
    {"content-encoding", "gzip"},
    {"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"}};

struct Step {
    std::string hex;
    Fields fields;
    size_t table_size;
    size_t entries;
};

// Runs a sequence of blocks on one decoder, checking the fields and the
// table after each.
void check_sequence(const std::vector<Step>& steps, const std::string& first_prefix = "") {
    HpackDecoder decoder;
    for (size_t i = 0; i < steps.size(); ++i) {
        std::string block = (i == 0 ? bytes(first_prefix) : "") + bytes(steps[i].hex);
        EXPECT_EQ(decode(decoder, block), steps[i].fields) << "block " << i;
        EXPECT_EQ(decoder.table_size(), steps[i].table_size) << "block " << i;
        EXPECT_EQ(decoder.table_entries(), steps[i].entries) << "block " << i;
    }
}

}  // namespace

TEST(Hpack, AppendixC2LiteralsAndIndexedField) {
    HpackDecoder decoder;
    EXPECT_EQ(decode(decoder, bytes("400a637573746f6d2d6b65790d637573746f6d2d686561646572")),
              (Fields{{"custom-key", "custom-header"}}));
    EXPECT_EQ(decoder.table_size(), 55u);
    HpackDecoder without_indexing;
    EXPECT_EQ(decode(without_indexing, bytes("040c2f73616d706c652f70617468")),
              (Fields{{":path", "/sample/path"}}));
    EXPECT_EQ(without_indexing.table_size(), 0u);
    HpackDecoder never_indexed;
    EXPECT_EQ(decode(never_indexed, bytes("100870617373776f726406736563726574")),
              (Fields{{"password", "secret"}}));
    EXPECT_EQ(never_indexed.table_size(), 0u);
    HpackDecoder indexed;
    EXPECT_EQ(decode(indexed, bytes("82")), (Fields{{":method", "GET"}}));
}

TEST(Hpack, AppendixC3RequestsWithoutHuffman) {
    check_sequence({
        {"828684410f7777772e6578616d706c652e636f6d", request1, 57, 1},
        {"828684be58086e6f2d6361636865", request2, 110, 2},
        {"828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", request3, 164, 3},
    });
}

TEST(Hpack, AppendixC4RequestsWithHuffman) {
    check_sequence({
        {"828684418cf1e3c2e5f23a6ba0ab90f4ff", request1, 57, 1},
        {"828684be5886a8eb10649cbf", request2, 110, 2},
        {"828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", request3, 164, 3},
    });
}

// C.5 and C.6 use a 256-byte table: a size update (001, 256 = 31 + 225)
// starts the first block, and entries are evicted.
TEST(Hpack, AppendixC5ResponsesWithEviction) {
    check_sequence(
        {
            {"4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a3231"
             "20474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
             response1, 222, 4},
            {"4803333037c1c0bf", response2, 222, 4},
            {"88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a6970"
             "7738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167"
             "653d333630303b2076657273696f6e3d31",
             response3, 215, 3},
        },
        "3fe101");
}

TEST(Hpack, AppendixC6ResponsesWithHuffmanAndEviction) {
    check_sequence(
        {
            {"488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad17"
             "1863c78f0b97c8e9ae82ae43d3",
             response1, 222, 4},
            {"4883640effc1c0bf", response2, 222, 4},
            {"88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6"
             "c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
             response3, 215, 3},
        },
        "3fe101");
}

TEST(Hpack, SizeUpdateEvictsAndLimitsTheTable) {
    HpackDecoder decoder;
    decode(decoder, bytes("828684410f7777772e6578616d706c652e636f6d"));
    ASSERT_EQ(decoder.table_size(), 57u);
    decode(decoder, bytes("20"));  // size 0: everything goes
    EXPECT_EQ(decoder.table_entries(), 0u);
    EXPECT_EQ(decoder.table_max_size(), 0u);
    // With a maximum of 0 nothing can be added.
    decode(decoder, bytes("400a637573746f6d2d6b65790d637573746f6d2d686561646572"));
    EXPECT_EQ(decoder.table_entries(), 0u);
    // Two updates at the start of a block are allowed; the last one counts.
    decode(decoder, bytes("203fe11f"));  // 0, then 4096 (31 + 4065)
    EXPECT_EQ(decoder.table_max_size(), 4096u);
}

TEST(Hpack, RejectsASizeUpdateAboveTheAdvertisedSize) {
    HpackDecoder decoder;
    bool ok = true;
    decode(decoder, bytes("3fe21f"), &ok);  // 4097
    EXPECT_FALSE(ok);
    EXPECT_EQ(decoder.error(), HpackDecoder::Error::table_size_too_large);
    HpackDecoder huge;
    decode(huge, bytes("3fffffff07"), &ok);  // about 2^24
    EXPECT_FALSE(ok);
    EXPECT_EQ(huge.error(), HpackDecoder::Error::table_size_too_large);
}

TEST(Hpack, RejectsASizeUpdateAfterAField) {
    HpackDecoder decoder;
    bool ok = true;
    decode(decoder, bytes("8220"), &ok);
    EXPECT_FALSE(ok);
    EXPECT_EQ(decoder.error(), HpackDecoder::Error::misplaced_size_update);
}

TEST(Hpack, RejectsIntegersBeyondTwoToThe28) {
    HpackDecoder decoder;
    bool ok = true;
    decode(decoder, bytes("ffffffffff7f"), &ok);  // five continuation bytes
    EXPECT_FALSE(ok);
    EXPECT_EQ(decoder.error(), HpackDecoder::Error::integer_overflow);
    HpackDecoder endless;
    decode(endless, std::string(1, '\xff') + std::string(1000, '\x80'), &ok);
    EXPECT_FALSE(ok);
    EXPECT_EQ(endless.error(), HpackDecoder::Error::integer_overflow);
}

TEST(Hpack, RejectsIndexesOutOfRange) {
    for (const char* hex : {"80", "be", "7e00", "ff00"}) {  // 0, 62, 62 as a name, 127
        HpackDecoder decoder;
        bool ok = true;
        decode(decoder, bytes(hex), &ok);
        EXPECT_FALSE(ok) << hex;
        EXPECT_EQ(decoder.error(), HpackDecoder::Error::bad_index) << hex;
    }
    HpackDecoder decoder;  // 61 is the last static entry; 62 the first dynamic one
    EXPECT_EQ(decode(decoder, bytes("bd")), (Fields{{"www-authenticate", ""}}));
}

TEST(Hpack, RejectsBadHuffmanCodes) {
    struct Case {
        const char* hex;
        const char* why;
    };
    for (Case bad :
         {Case{"0081ff", "eight bits of padding"}, Case{"0084ffffffff", "the EOS symbol (30 ones)"},
          Case{"00811e", "padding not all ones ('0' is 00000, then 110)"},
          Case{"008207ff", "'0', then padding of 11 bits"}}) {
        HpackDecoder decoder;
        bool ok = true;
        decode(decoder, bytes(bad.hex), &ok);
        EXPECT_FALSE(ok) << bad.why;
        EXPECT_EQ(decoder.error(), HpackDecoder::Error::bad_huffman) << bad.why;
    }
}

TEST(Hpack, RejectsABlockThatEndsInsideAField) {
    for (const char* hex : {"40", "400a6375", "ff", "0085f1e3"}) {
        HpackDecoder decoder;
        bool ok = true;
        decode(decoder, bytes(hex), &ok);
        EXPECT_FALSE(ok) << hex;
        EXPECT_EQ(decoder.error(), HpackDecoder::Error::truncated_block) << hex;
    }
}

TEST(Hpack, PassesOnAFieldTooLargeToHoldCutShortAndEmptiesTheTable) {
    HpackDecoder decoder;
    decode(decoder, bytes("828684410f7777772e6578616d706c652e636f6d"));
    std::string value(5000, 'v');
    std::string block = bytes("4001") + "x" + bytes("7f");
    // length 5000 = 127 + 4873: 0x7f, then 4873 in 7-bit groups.
    block += static_cast<char>(0x80 | (4873 & 0x7f));
    block += static_cast<char>(4873 >> 7);
    block += value;
    std::vector<bool> cut;
    Fields fields = decode(decoder, block, nullptr, &cut);
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(cut, std::vector<bool>{true});
    EXPECT_EQ(fields[0].first, "x");
    EXPECT_EQ(fields[0].second.size(), hpack_field_bytes - 1);
    EXPECT_EQ(decoder.table_entries(), 0u);  // §4.4: too large for the table
}

TEST(Hpack, EvictsOldestEntriesAcrossManyInsertions) {
    // 300 entries of 32 + 1 + 100 bytes through a 4096-byte table: the
    // table keeps the newest 30, and index 62 is always the newest.
    HpackDecoder decoder;
    for (int i = 0; i < 300; ++i) {
        std::string value = std::to_string(i);
        value.resize(100, '.');
        std::string block = bytes("4001") + "n" + static_cast<char>(100) + value;
        decode(decoder, block);
        ASSERT_EQ(decode(decoder, bytes("be")), (Fields{{"n", value}})) << i;
        ASSERT_LE(decoder.table_size(), 4096u);
    }
    EXPECT_EQ(decoder.table_entries(), 30u);
    EXPECT_EQ(decoder.table_size(), 30u * 133);
}

TEST(Hpack, EncodesIntegersAndLiteralsAsSection5Says) {
    char out[32];
    auto written = [&](char* end) { return std::string(out, end); };
    // C.1.1, C.1.2: 10 and 1337 with a 5-bit prefix are 0a and 1f 9a 0a.
    EXPECT_EQ(written(hpack_put_integer(out, 5, 10)), bytes("0a"));
    EXPECT_EQ(written(hpack_put_integer(out, 5, 1337)), bytes("1f9a0a"));
    EXPECT_EQ(written(hpack_put_integer(out, 7, 127)), bytes("7f00"));
    // C.2.2 without indexing, the name by index; a new name in lowercase.
    EXPECT_EQ(written(hpack_put_literal(out, 4, "", "/sample/path")),
              bytes("040c2f73616d706c652f70617468"));
    EXPECT_EQ(written(hpack_put_literal(out, 0, "X-Token", "A")), std::string("\0\x07x-token\x01"
                                                                              "A",
                                                                              11));
    // And the decoder reads what the encoder wrote.
    std::string literal = written(hpack_put_literal(out, 0, "grpc-timeout", "2999m"));
    HpackDecoder decoder;
    EXPECT_EQ(decode(decoder, literal), (Fields{{"grpc-timeout", "2999m"}}));
}
