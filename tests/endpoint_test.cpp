#include "probe/endpoint.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>
#include <string>

using namespace vigil;

namespace {

std::string text_of(const char* url) {
    UrlParse parsed = parse_url(url);
    EXPECT_TRUE(parsed.ok) << url;
    Endpoint endpoints[2];
    size_t count = endpoints_without_resolver(parsed.url, endpoints);
    std::string text;
    for (size_t i = 0; i < count; ++i) text += (i ? " " : "") + std::string(endpoints[i].text);
    return text;
}

// The text inet_ntop gives, to compare with ours.
std::string libc_text(const char* address) {
    in6_addr bytes;
    inet_pton(AF_INET6, address, &bytes);
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &bytes, text, sizeof text);
    return "[" + std::string(text) + "]:80";
}

}  // namespace

TEST(Endpoint, LocalhostIsIpv4ThenIpv6WithoutAResolver) {
    EXPECT_EQ(text_of("http://localhost:8080/"), "127.0.0.1:8080 [::1]:8080");
    EXPECT_EQ(text_of("http://10.1.2.3/"), "10.1.2.3:80");
    EXPECT_EQ(text_of("http://[::1]:9/"), "[::1]:9");
    EXPECT_EQ(text_of("http://some.name/"), "");
}

TEST(Endpoint, Ipv6IsWrittenAsInetNtopWritesIt) {
    for (const char* address :
         {"::", "::1", "fe80::1", "2001:db8::8:800:200c:417a", "2001:db8:0:0:1:0:0:1",
          "1:0:0:2:0:0:0:3", "1:2:3:4:5:6:7:8", "0:0:1::", "1::", "::ffff:0:1"}) {
        std::string url = "http://[" + std::string(address) + "]/";  // the views point into it
        UrlParse parsed = parse_url(url);
        ASSERT_TRUE(parsed.ok) << address;
        Endpoint endpoint;
        endpoints_without_resolver(parsed.url, std::span<Endpoint>(&endpoint, 1));
        EXPECT_EQ(std::string(endpoint.text), libc_text(address)) << address;
    }
}

TEST(Endpoint, UnixSocketsAndAbstractNames) {
    Endpoint endpoint;
    ASSERT_TRUE(unix_socket_endpoint("/run/app.sock", endpoint));
    EXPECT_STREQ(endpoint.text, "unix:/run/app.sock");
    auto* address = reinterpret_cast<sockaddr_un*>(&endpoint.address);
    EXPECT_STREQ(address->sun_path, "/run/app.sock");
    ASSERT_TRUE(unix_socket_endpoint("@app", endpoint));
    address = reinterpret_cast<sockaddr_un*>(&endpoint.address);
    EXPECT_EQ(address->sun_path[0], '\0');
    EXPECT_EQ(std::memcmp(address->sun_path + 1, "app", 3), 0);
    EXPECT_EQ(endpoint.length, offsetof(sockaddr_un, sun_path) + 4);
    EXPECT_FALSE(unix_socket_endpoint("", endpoint));
    EXPECT_FALSE(unix_socket_endpoint(std::string(200, 'p').c_str(), endpoint));
}
