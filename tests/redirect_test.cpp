// Where --follow-redirects goes: same scheme, host and port only, as the
// kubelet's HTTP probe; every form of Location resolved (RFC 3986, 5.2).
#include "probe/redirect.h"

#include <gtest/gtest.h>

#include <string>

using namespace vigil;

namespace {

struct Resolved {
    RedirectKind kind;
    std::string target;
};

Resolved resolve(const std::string& location,
                 const std::string& current_url = "http://app:8080/a/b?x=1") {
    UrlParse parsed = parse_url(current_url);
    EXPECT_TRUE(parsed.ok) << current_url;
    char out[256] = {};
    std::string target = parsed.url.target.empty() ? "/" : std::string(parsed.url.target);
    RedirectKind kind = resolve_redirect(location, parsed.url, target, out, sizeof out);
    return {kind, kind == RedirectKind::same_origin ? out : ""};
}

}  // namespace

TEST(Redirect, FollowsEveryFormOfASameOriginLocation) {
    EXPECT_EQ(resolve("/ready").target, "/ready");
    EXPECT_EQ(resolve("http://app:8080/ready?deep=1").target, "/ready?deep=1");
    EXPECT_EQ(resolve("HTTP://APP:8080").target, "/");
    EXPECT_EQ(resolve("c").target, "/a/c");
    EXPECT_EQ(resolve("?y=2").target, "/a/b?y=2");
    EXPECT_EQ(resolve("/ready#fragment").target, "/ready");
    EXPECT_EQ(resolve("http://localhost/x", "http://localhost/").target, "/x");
}

TEST(Redirect, LeavesOtherOriginsToBeJudgedAsTheyAre) {
    EXPECT_EQ(resolve("http://other:8080/").kind, RedirectKind::other_origin);
    EXPECT_EQ(resolve("http://app:9090/").kind, RedirectKind::other_origin);
    EXPECT_EQ(resolve("http://app/").kind, RedirectKind::other_origin) << "port 80, not 8080";
    EXPECT_EQ(resolve("https://app:8080/").kind, RedirectKind::other_origin);
    EXPECT_EQ(resolve("//elsewhere/").kind, RedirectKind::other_origin);
    EXPECT_EQ(resolve("//app:8080/z").kind, RedirectKind::other_origin) << "judged, not followed";
}

TEST(Redirect, RefusesWhatCannotBeARequestTarget) {
    EXPECT_EQ(resolve("").kind, RedirectKind::invalid);
    EXPECT_EQ(resolve("/a b").kind, RedirectKind::invalid);
    EXPECT_EQ(resolve("/a\r\nX-Injected: 1").kind, RedirectKind::invalid);
    EXPECT_EQ(resolve("ftp://app/").kind, RedirectKind::invalid);
    EXPECT_EQ(resolve("/" + std::string(300, 'x')).kind, RedirectKind::invalid) << "too long";
}

TEST(Redirect, KnowsWhichStatusesRedirect) {
    for (int status : {301, 302, 303, 307, 308}) EXPECT_TRUE(is_redirect_status(status)) << status;
    for (int status : {200, 300, 304, 305, 306, 399, 404})
        EXPECT_FALSE(is_redirect_status(status)) << status;
}
