#include "probe/url.h"

#include <gtest/gtest.h>

#include <string>

using namespace vigil;

TEST(Url, HttpWithPortPathAndQuery) {
    UrlParse parsed = parse_url("http://127.0.0.1:8080/healthz?deep=1");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.scheme, UrlScheme::http);
    EXPECT_EQ(parsed.url.host_kind, HostKind::ipv4);
    EXPECT_EQ(parsed.url.host, "127.0.0.1");
    EXPECT_EQ(parsed.url.port, 8080);
    EXPECT_EQ(parsed.url.authority, "127.0.0.1:8080");
    EXPECT_EQ(parsed.url.target, "/healthz?deep=1");
}

TEST(Url, DefaultsToPort80AndAnEmptyTarget) {
    UrlParse parsed = parse_url("http://example.com");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.host_kind, HostKind::name);
    EXPECT_EQ(parsed.url.port, 80);
    EXPECT_EQ(parsed.url.target, "");
    EXPECT_EQ(parse_url("http://example.com?x=1").url.target, "?x=1");
}

TEST(Url, LocalhostInAnyCaseIsResolvedByVigil) {
    EXPECT_EQ(parse_url("http://localhost:8080/").url.host_kind, HostKind::localhost);
    EXPECT_EQ(parse_url("http://LocalHost/").url.host_kind, HostKind::localhost);
    EXPECT_EQ(parse_url("http://localhost.localdomain/").url.host_kind, HostKind::name);
}

TEST(Url, BracketedIpv6Literal) {
    UrlParse parsed = parse_url("http://[::1]:9000/ready");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.host_kind, HostKind::ipv6);
    EXPECT_EQ(parsed.url.host, "::1");
    EXPECT_EQ(parsed.url.port, 9000);
    EXPECT_EQ(parsed.url.authority, "[::1]:9000");
    EXPECT_TRUE(parse_url("http://[fe80::1:2]/").ok);
}

TEST(Url, SchemeIsCaseInsensitiveAndFragmentIsDropped) {
    UrlParse parsed = parse_url("HTTP://host/path#section");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.target, "/path");
}

TEST(Url, TcpNeedsAPortAndNoPath) {
    UrlParse parsed = parse_url("tcp://localhost:5432");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.scheme, UrlScheme::tcp);
    EXPECT_EQ(parsed.url.port, 5432);
    EXPECT_TRUE(parse_url("tcp://db:5432/").ok);
    EXPECT_STREQ(parse_url("tcp://db").error, "tcp:// needs a port, e.g. tcp://localhost:5432");
    EXPECT_STREQ(parse_url("tcp://db:5432/x").error, "tcp:// takes no path");
}

TEST(Url, GrpcNeedsAPortAndTakesTheServiceFromThePath) {
    UrlParse parsed = parse_url("grpc://localhost:50051");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.url.scheme, UrlScheme::grpc);
    EXPECT_EQ(parsed.url.port, 50051);
    EXPECT_EQ(parsed.url.authority, "localhost:50051");
    EXPECT_EQ(parsed.url.target, "");
    EXPECT_EQ(parse_url("GRPC://[::1]:50051/").url.target, "");
    EXPECT_EQ(parse_url("grpc://app:50051/grpc.health.v1.Health").url.target,
              "grpc.health.v1.Health");
    EXPECT_EQ(parse_url("grpc://app:50051/my-app/orders_v2").url.target, "my-app/orders_v2");
    EXPECT_STREQ(parse_url("grpc://app").error,
                 "grpc:// needs a port, e.g. grpc://localhost:50051");
    EXPECT_STREQ(parse_url("grpc://app:50051/a?b").error, "grpc:// takes no query or fragment");
    EXPECT_STREQ(parse_url("grpc://app:50051/a#b").error, "grpc:// takes no query or fragment");
    EXPECT_STREQ(parse_url("grpc://app:50051/a%20b").error,
                 "a gRPC service name has only letters, digits and . _ - / in the URL");
    EXPECT_STREQ(parse_url("grpc://app:50051/" + std::string(201, 's')).error,
                 "the service name is longer than 200 characters");
    EXPECT_STREQ(parse_url("grpcs://app:443").error,
                 "gRPC over TLS is not supported; probe a plaintext port, or use tcp://");
}

struct BadUrl {
    const char* text;
    const char* expected_in_error;
};

class UrlErrors : public ::testing::TestWithParam<BadUrl> {};

TEST_P(UrlErrors, AreRejectedWithAReason) {
    UrlParse parsed = parse_url(GetParam().text);
    EXPECT_FALSE(parsed.ok) << GetParam().text;
    EXPECT_NE(std::string(parsed.error).find(GetParam().expected_in_error), std::string::npos)
        << GetParam().text << ": " << parsed.error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlErrors,
    ::testing::Values(BadUrl{"", "expected http://"}, BadUrl{"localhost:8080", "expected http://"},
                      BadUrl{"ftp://host/", "expected http://"},
                      BadUrl{"https://host/", "https is not supported"},
                      BadUrl{"http://", "no host"}, BadUrl{"http://:80/", "no host"},
                      BadUrl{"http://user@host/", "user information"},
                      BadUrl{"http://host:0/", "1 to 65535"},
                      BadUrl{"http://host:65536/", "1 to 65535"},
                      BadUrl{"http://host:/", "1 to 65535"},
                      BadUrl{"http://host:8o/", "1 to 65535"}, BadUrl{"http://[::1/", "unclosed"},
                      BadUrl{"http://[::1]x/", "after ']'"}, BadUrl{"http://[nonsense]/", "IPv6"},
                      BadUrl{"http://::1/", "brackets"}, BadUrl{"http://256.1.1.1/", "IPv4"},
                      BadUrl{"http://127.1/", "IPv4"}, BadUrl{"http://ho st/", "character"},
                      BadUrl{"http://host/a b", "percent"}, BadUrl{"http://host/a\tb", "percent"}));
