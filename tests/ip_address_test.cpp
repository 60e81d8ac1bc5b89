// vigil's address-literal parser against libc's inet_pton, which it replaces
// in the release binary: the same verdict and the same bytes.
#include "base/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace {

void expect_same_as_inet_pton(const std::string& text) {
    uint8_t expected4[4] = {};
    uint8_t actual4[4] = {};
    bool valid4 = inet_pton(AF_INET, text.c_str(), expected4) == 1;
    ASSERT_EQ(vigil::parse_ipv4_address(text, actual4), valid4) << "'" << text << "'";
    if (valid4) {
        EXPECT_EQ(std::memcmp(actual4, expected4, 4), 0) << text;
    }
    uint8_t expected6[16] = {};
    uint8_t actual6[16] = {};
    bool valid6 = inet_pton(AF_INET6, text.c_str(), expected6) == 1;
    ASSERT_EQ(vigil::parse_ipv6_address(text, actual6), valid6) << "'" << text << "'";
    if (valid6) {
        EXPECT_EQ(std::memcmp(actual6, expected6, 16), 0) << text;
    }
}

TEST(IpAddress, ParsesTheLiteralsVigilMeets) {
    uint8_t ipv4[4];
    ASSERT_TRUE(vigil::parse_ipv4_address("127.0.0.1", ipv4));
    EXPECT_EQ(ipv4[0], 127);
    EXPECT_EQ(ipv4[3], 1);
    uint8_t ipv6[16];
    ASSERT_TRUE(vigil::parse_ipv6_address("::1", ipv6));
    EXPECT_EQ(ipv6[15], 1);
    ASSERT_TRUE(vigil::parse_ipv6_address("::ffff:10.0.0.1", ipv6));
    EXPECT_EQ(ipv6[10], 0xff);
    EXPECT_EQ(ipv6[12], 10);
    EXPECT_FALSE(vigil::parse_ipv4_address("127.1", ipv4));
    EXPECT_FALSE(vigil::parse_ipv6_address("localhost", ipv6));
}

TEST(IpAddress, AgreesWithInetPtonOnEdgeCases) {
    for (const char* text : {"",
                             ".",
                             "0.0.0.0",
                             "255.255.255.255",
                             "256.0.0.1",
                             "1.2.3",
                             "1.2.3.4.5",
                             "01.2.3.4",
                             "1.2.3.04",
                             "1..2.3",
                             "1.2.3.4.",
                             " 1.2.3.4",
                             "1.2.3.4 ",
                             "0x1.2.3.4",
                             "1234.1.1.1",
                             "::",
                             ":",
                             ":::",
                             "::1",
                             "1::",
                             "1:2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7:8:9",
                             "1:2:3:4:5:6:7::",
                             "::2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7::8",
                             "1::2::3",
                             ":1::2",
                             "1::2:",
                             "12345::",
                             "abcd:EF01:2345:6789:abcd:ef01:2345:6789",
                             "g::",
                             "::ffff:1.2.3.4",
                             "::1.2.3.4",
                             "1:2:3:4:5:6:1.2.3.4",
                             "1:2:3:4:5:6:7:1.2.3.4",
                             "1:2:3:4:5::1.2.3.4",
                             "::1.2.3",
                             "::1.2.3.4:5",
                             "::ffff:01.2.3.4",
                             "fe80::1%eth0",
                             "[::1]",
                             "1:2:3:4:5:6:7:8::",
                             "::0:0:0:0:0:0:0",
                             "0:0:0:0:0:0:0::"})
        expect_same_as_inet_pton(text);
}

TEST(IpAddress, AgreesWithInetPtonOnRandomText) {
    std::mt19937 generator(7);
    const std::string alphabet = "0123456789abcdefABCDEFg:.:.::..%x ";
    std::uniform_int_distribution<size_t> length(0, 45);
    std::uniform_int_distribution<size_t> character(0, alphabet.size() - 1);
    for (int i = 0; i < 300000 && !HasFailure(); ++i) {
        std::string text(length(generator), ' ');
        for (char& c : text) c = alphabet[character(generator)];
        expect_same_as_inet_pton(text);
    }
}

TEST(IpAddress, AgreesWithInetPtonOnRandomAddressesAsInetNtopWritesThem) {
    std::mt19937 generator(11);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> zero(0, 2);
    for (int i = 0; i < 100000 && !HasFailure(); ++i) {
        uint8_t address[16];
        // Runs of zeros, so that "::" appears in every position.
        for (uint8_t& value : address) value = zero(generator) == 0 ? 0 : byte(generator);
        char text[INET6_ADDRSTRLEN];
        ASSERT_NE(inet_ntop(AF_INET6, address, text, sizeof text), nullptr);
        expect_same_as_inet_pton(text);
        ASSERT_NE(inet_ntop(AF_INET, address, text, sizeof text), nullptr);
        expect_same_as_inet_pton(text);
    }
}

}  // namespace
