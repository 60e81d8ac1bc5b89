#include "resolver/dns_message.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

using namespace vigil;

namespace {

// A response to `query` with the given rcode and answer records.
std::vector<uint8_t> response(const std::vector<uint8_t>& query, int rcode, int answers,
                              const std::string& records) {
    std::vector<uint8_t> message(query);
    message[2] = 0x81;
    message[3] = static_cast<uint8_t>(0x80 | rcode);
    message[7] = static_cast<uint8_t>(answers);
    message.insert(message.end(), records.begin(), records.end());
    return message;
}

// A record whose owner is a pointer to the question's name (offset 12).
std::string record(uint16_t type, const std::string& data) {
    std::string out = {
        '\xc0', '\x0c', static_cast<char>(type >> 8),  static_cast<char>(type), 0, 1, 0, 0, 0,
        60,     0,      static_cast<char>(data.size())};
    return out + data;
}

}  // namespace

TEST(DnsMessage, BuildsARecursiveQueryForOneName) {
    uint8_t buffer[dns::max_query_bytes];
    size_t length = dns::build_query(0xbeef, "app.svc.local", dns::type_aaaa, buffer);
    std::string expected(
        "\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
        "\x03"
        "app"
        "\x03"
        "svc"
        "\x05"
        "local"
        "\x00"
        "\x00\x1c\x00\x01",
        12 + 15 + 4);
    ASSERT_EQ(length, expected.size());
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), length), expected);
}

TEST(DnsMessage, RefusesNamesDnsCannotCarry) {
    uint8_t buffer[dns::max_query_bytes];
    EXPECT_EQ(dns::build_query(1, "", dns::type_a, buffer), 0u);
    EXPECT_EQ(dns::build_query(1, "a..b", dns::type_a, buffer), 0u);
    EXPECT_EQ(dns::build_query(1, "trailing.", dns::type_a, buffer), 0u);
    EXPECT_EQ(dns::build_query(1, std::string(64, 'a') + ".com", dns::type_a, buffer), 0u);
    EXPECT_EQ(dns::build_query(1, std::string(254, 'a'), dns::type_a, buffer), 0u);
    EXPECT_GT(dns::build_query(1, std::string(63, 'a') + ".com", dns::type_a, buffer), 0u);
    uint8_t small[16];
    EXPECT_EQ(dns::build_query(1, "example.com", dns::type_a, small), 0u);
}

TEST(DnsMessage, ReadsAddressesAndSkipsCnames) {
    uint8_t buffer[dns::max_query_bytes];
    size_t length = dns::build_query(7, "www.example", dns::type_a, buffer);
    std::vector<uint8_t> query(buffer, buffer + length);
    std::string cname_target =
        "\x03"
        "web"
        "\xc0\x10";  // web.example, compressed
    std::string records = record(5, cname_target) + record(1, std::string("\x0a\x00\x00\x07", 4)) +
                          record(1, std::string("\x0a\x00\x00\x08", 4));
    dns::Answer answer;
    ASSERT_TRUE(dns::parse_answer(response(query, 0, 3, records), answer));
    EXPECT_EQ(answer.id, 7);
    EXPECT_EQ(answer.question_type, dns::type_a);
    EXPECT_EQ(answer.rcode, dns::rcode_ok);
    ASSERT_EQ(answer.address_count, 2u);
    EXPECT_EQ(answer.addresses[0].family, AF_INET);
    EXPECT_EQ(answer.addresses[0].bytes[3], 7);
    EXPECT_EQ(answer.addresses[1].bytes[3], 8);
}

TEST(DnsMessage, ReadsIpv6AndRcodes) {
    uint8_t buffer[dns::max_query_bytes];
    size_t length = dns::build_query(9, "v6", dns::type_aaaa, buffer);
    std::vector<uint8_t> query(buffer, buffer + length);
    std::string loopback(15, '\0');
    loopback += '\x01';
    dns::Answer answer;
    ASSERT_TRUE(dns::parse_answer(response(query, 0, 1, record(28, loopback)), answer));
    ASSERT_EQ(answer.address_count, 1u);
    EXPECT_EQ(answer.addresses[0].family, AF_INET6);
    EXPECT_EQ(answer.addresses[0].bytes[15], 1);

    ASSERT_TRUE(dns::parse_answer(response(query, 3, 0, ""), answer));
    EXPECT_EQ(answer.rcode, dns::rcode_name_error);
    EXPECT_EQ(answer.address_count, 0u);
}

TEST(DnsMessage, RejectsTruncatedAndMalformedMessages) {
    uint8_t buffer[dns::max_query_bytes];
    size_t length = dns::build_query(3, "host", dns::type_a, buffer);
    std::vector<uint8_t> query(buffer, buffer + length);
    std::vector<uint8_t> good =
        response(query, 0, 1, record(1, std::string("\x01\x02\x03\x04", 4)));
    dns::Answer answer;
    ASSERT_TRUE(dns::parse_answer(good, answer));
    // Every prefix of a good answer is refused, never read out of bounds.
    for (size_t cut = 0; cut < good.size(); ++cut)
        EXPECT_FALSE(dns::parse_answer(std::span<const uint8_t>(good.data(), cut), answer)) << cut;
    EXPECT_FALSE(dns::parse_answer(query, answer));  // a query, not a response
    std::vector<uint8_t> reserved = good;
    reserved[12] = 0x80;  // a reserved label type
    EXPECT_FALSE(dns::parse_answer(reserved, answer));
}

TEST(DnsMessage, AnAnswerMustRepeatTheQuestionThatWasAsked) {
    uint8_t buffer[dns::max_query_bytes];
    size_t length = dns::build_query(0x1234, "api.svc.local", dns::type_a, buffer);
    std::vector<uint8_t> query(buffer, buffer + length);
    std::span<const uint8_t> asked(query);
    std::string address("\x0a\x00\x00\x07", 4);

    std::vector<uint8_t> right = response(query, 0, 1, record(dns::type_a, address));
    EXPECT_TRUE(dns::answers_query(right, asked));
    std::vector<uint8_t> shouting = right;  // names are compared without case (RFC 4343)
    for (size_t at = 13; at < 16; ++at)
        shouting[at] = static_cast<uint8_t>(std::toupper(shouting[at]));
    EXPECT_TRUE(dns::answers_query(shouting, asked));

    // The right ID, but another name: a forgery.
    length = dns::build_query(0x1234, "evil.svc.local", dns::type_a, buffer);
    std::vector<uint8_t> other_name =
        response(std::vector<uint8_t>(buffer, buffer + length), 0, 1, record(dns::type_a, address));
    EXPECT_FALSE(dns::answers_query(other_name, asked));
    // Same length, one letter off.
    std::vector<uint8_t> one_letter = right;
    one_letter[13] = 'b';
    EXPECT_FALSE(dns::answers_query(one_letter, asked));

    std::vector<uint8_t> other_id = right;
    other_id[1] ^= 1;
    EXPECT_FALSE(dns::answers_query(other_id, asked));
    std::vector<uint8_t> other_type = right;
    other_type[query.size() - 3] = 28;  // the question's type: AAAA
    EXPECT_FALSE(dns::answers_query(other_type, asked));
    std::vector<uint8_t> two_questions = right;
    two_questions[5] = 2;
    EXPECT_FALSE(dns::answers_query(two_questions, asked));
    EXPECT_FALSE(
        dns::answers_query(std::span<const uint8_t>(right).first(query.size() - 1), asked));
}
