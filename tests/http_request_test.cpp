#include "probe/http_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/version.h"

using namespace vigil;

namespace {

std::string request(std::string_view method, std::string_view target, std::string_view host,
                    std::vector<const char*> headers = {}) {
    char buffer[2048];
    RequestSpec spec{method, target, host, headers};
    size_t length = build_request(spec, buffer, sizeof buffer);
    return std::string(buffer, length);
}

}  // namespace

TEST(HttpRequest, HasTheFourDefaultHeadersInOrder) {
    EXPECT_EQ(request("GET", "/healthz", "127.0.0.1:8080"),
              "GET /healthz HTTP/1.1\r\n"
              "Host: 127.0.0.1:8080\r\n"
              "User-Agent: vigil-probe/" VIGIL_VERSION
              "\r\n"
              "Accept: */*\r\n"
              "Connection: close\r\n"
              "\r\n");
}

TEST(HttpRequest, AnEmptyPathBecomesSlash) {
    EXPECT_EQ(request("HEAD", "", "h").substr(0, 17), "HEAD / HTTP/1.1\r\n");
    EXPECT_EQ(request("GET", "?x=1", "h").substr(0, 20), "GET /?x=1 HTTP/1.1\r\n");
}

TEST(HttpRequest, ExtraHeadersFollowAndAHostHeaderReplacesTheDefault) {
    std::string text = request("GET", "/", "127.0.0.1:8080", {"host: app.example", "X-Token: abc"});
    EXPECT_EQ(text.find("Host: 127.0.0.1"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nhost: app.example\r\nX-Token: abc\r\n\r\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("User-Agent: vigil-probe/"), std::string::npos);
}

TEST(HttpRequest, DoesNotOverflowASmallBuffer) {
    char buffer[32];
    RequestSpec spec{"GET", "/a-rather-long-path-that-does-not-fit", "host", {}};
    EXPECT_EQ(build_request(spec, buffer, sizeof buffer), 0u);
}

TEST(HttpRequest, HeadersWithCrOrLfAreRefused) {
    EXPECT_EQ(check_header("X-Ok: fine value"), nullptr);
    EXPECT_EQ(check_header("X-Empty:"), nullptr);
    EXPECT_NE(check_header("X-Bad: a\r\nInjected: yes"), nullptr);
    EXPECT_NE(check_header("X-Bad: a\nb"), nullptr);
    EXPECT_NE(check_header("X-Bad: a\rb"), nullptr);
    EXPECT_NE(check_header("no colon"), nullptr);
    EXPECT_NE(check_header(": no name"), nullptr);
    EXPECT_NE(check_header("Bad Name: x"), nullptr);
}

TEST(HttpRequest, MethodsAreTokens) {
    EXPECT_EQ(check_method("GET"), nullptr);
    EXPECT_EQ(check_method("HEAD"), nullptr);
    EXPECT_NE(check_method(""), nullptr);
    EXPECT_NE(check_method("GET /"), nullptr);
    EXPECT_NE(check_method("GE\nT"), nullptr);
}
