#include "probe/probe_command_line.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "command_line_args.h"

using namespace vigil;
using vigil_test::Argv;
using vigil_test::FakeEnvironment;

namespace {

auto& fake_environment = FakeEnvironment::variables();

// Parsed results are filled in place and never copied: they live on the heap
// here, as long as the test holds them.
std::shared_ptr<ParsedProbeCommandLine> parse_words(Argv& args) {
    auto parsed = std::make_shared<ParsedProbeCommandLine>();
    parse_probe_command_line(args.argc(), args.argv(), FakeEnvironment::lookup, *parsed);
    return parsed;
}

class ProbeCommandLine : public ::testing::Test {
  protected:
    void SetUp() override { fake_environment.clear(); }
    // The result points into its argv, which lives as long as the test.
    std::shared_ptr<ParsedProbeCommandLine> parse(std::vector<std::string> words) {
        return parse_words(*argvs_.emplace_back(std::make_unique<Argv>("probe", std::move(words))));
    }
    std::vector<std::unique_ptr<Argv>> argvs_;
};

}  // namespace

TEST_F(ProbeCommandLine, ALongInvalidHeaderLeavesRoomForTheReason) {
    auto parsed = parse({"-H", "X: " + std::string(4093, 'a'), "http://127.0.0.1:1/"});
    ASSERT_EQ(parsed->action, ProbeAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "...' for -H: the URL and headers exceed 4 KiB in all"),
              nullptr)
        << parsed->error;
}

TEST_F(ProbeCommandLine, UrlAloneGivesTheDefaults) {
    auto parsed = parse({"http://localhost:8080/healthz"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    const CheckSpec& check = parsed->config.check;
    EXPECT_EQ(check.url.port, 8080);
    EXPECT_EQ(check.url.target, "/healthz");
    EXPECT_EQ(check.timeout_ms, 800);
    EXPECT_TRUE(check.healthy.contains(200));
    EXPECT_TRUE(check.healthy.contains(399));
    EXPECT_FALSE(check.healthy.contains(400));
    EXPECT_EQ(check.method, "GET");
    EXPECT_EQ(check.header_count, 0u);
    EXPECT_EQ(check.unix_socket, nullptr);
    EXPECT_FALSE(parsed->config.quiet);
}

TEST_F(ProbeCommandLine, EveryOptionBeforeOrAfterTheUrl) {
    auto parsed =
        parse({"-t", "500ms", "http://127.0.0.1/", "--status=2xx", "-H", "Host: app", "--header",
               "X-A: 1", "-X", "HEAD", "--unix-socket", "/run/app.sock", "-q"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    const CheckSpec& check = parsed->config.check;
    EXPECT_EQ(check.timeout_ms, 500);
    EXPECT_TRUE(check.healthy.contains(204));
    EXPECT_FALSE(check.healthy.contains(301));
    ASSERT_EQ(check.header_count, 2u);
    EXPECT_STREQ(check.headers[0], "Host: app");
    EXPECT_STREQ(check.headers[1], "X-A: 1");
    EXPECT_EQ(check.method, "HEAD");
    EXPECT_STREQ(check.unix_socket, "/run/app.sock");
    EXPECT_TRUE(parsed->config.quiet);
}

TEST_F(ProbeCommandLine, EnvironmentFillsWhatOptionsLeave) {
    fake_environment["VIGIL_PROBE_URL"] = "tcp://localhost:5432";
    fake_environment["VIGIL_PROBE_TIMEOUT"] = "1s";
    fake_environment["VIGIL_PROBE_STATUS"] = "200";
    auto parsed = parse({});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.check.url.scheme, UrlScheme::tcp);
    EXPECT_EQ(parsed->config.check.timeout_ms, 1000);
    EXPECT_FALSE(parsed->config.check.healthy.contains(204));

    parsed = parse({"-t", "2s", "-s", "204", "http://h/"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.check.url.scheme, UrlScheme::http);
    EXPECT_EQ(parsed->config.check.timeout_ms, 2000);
    EXPECT_TRUE(parsed->config.check.healthy.contains(204));
}

TEST_F(ProbeCommandLine, EveryOptionHasItsVariable) {
    fake_environment["VIGIL_PROBE_HEADER"] = "Host: app\nX-Trace: 1, 2";
    fake_environment["VIGIL_PROBE_METHOD"] = "HEAD";
    fake_environment["VIGIL_PROBE_UNIX_SOCKET"] = "/run/app.sock";
    fake_environment["VIGIL_PROBE_QUIET"] = "1";
    auto parsed = parse({"http://h/"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    const CheckSpec& check = parsed->config.check;
    ASSERT_EQ(check.header_count, 2u);
    EXPECT_STREQ(check.headers[1], "X-Trace: 1, 2");
    EXPECT_EQ(check.method, "HEAD");
    EXPECT_STREQ(check.unix_socket, "/run/app.sock");
    EXPECT_TRUE(parsed->config.quiet);
    // The option wins over the whole list.
    parsed = parse({"-H", "X-Only: 1", "http://h/"});
    ASSERT_EQ(parsed->config.check.header_count, 1u);
}

TEST_F(ProbeCommandLine, UrlAndHeadersFollowTheEnvironment) {
    fake_environment["PORT"] = "9090";
    fake_environment["TENANT"] = "blue";
    auto parsed = parse({"http://localhost:${PORT}/health/${TENANT}", "-H", "X-Tenant: ${TENANT}",
                         "-H", "Host: ${VHOST:-app.local}"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.check.url.port, 9090);
    EXPECT_EQ(parsed->config.check.url.target, "/health/blue");
    ASSERT_EQ(parsed->config.check.header_count, 2u);
    EXPECT_STREQ(parsed->config.check.headers[0], "X-Tenant: blue");
    EXPECT_STREQ(parsed->config.check.headers[1], "Host: app.local");

    fake_environment["VIGIL_PROBE_URL"] = "http://localhost:${PORT:-8080}/";
    parsed = parse({});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.check.url.port, 9090);

    parsed = parse({"http://localhost:${MISSING}/"});
    EXPECT_EQ(parsed->action, ProbeAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "MISSING is not set"), nullptr) << parsed->error;
}

TEST_F(ProbeCommandLine, HelpAndDoubleDash) {
    EXPECT_EQ(parse({"--help"})->action, ProbeAction::help);
    EXPECT_EQ(parse({"-h"})->action, ProbeAction::help);
    auto parsed = parse({"-q", "--", "http://h/"});
    EXPECT_EQ(parsed->action, ProbeAction::run) << parsed->error;
}

struct BadProbeInput {
    std::vector<std::string> words;
    const char* expected_in_error;
};

class ProbeCommandLineErrors : public ::testing::TestWithParam<BadProbeInput> {};

TEST_P(ProbeCommandLineErrors, AreOneLineUsageErrorsNamingTheProblem) {
    fake_environment.clear();
    Argv args("probe", GetParam().words);
    auto parsed = parse_words(args);
    EXPECT_EQ(parsed->action, ProbeAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, GetParam().expected_in_error), nullptr) << parsed->error;
    EXPECT_EQ(std::strchr(parsed->error, '\n'), nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProbeCommandLineErrors,
    ::testing::Values(
        BadProbeInput{{}, "no URL"}, BadProbeInput{{"-q"}, "no URL"},
        BadProbeInput{{"http://a/", "http://b/"}, "more than one URL"},
        BadProbeInput{{"localhost:8080"}, "invalid URL 'localhost:8080'"},
        BadProbeInput{{"-t", "soon", "http://h/"}, "invalid duration 'soon' for -t"},
        BadProbeInput{{"-t", "0", "http://h/"}, "longer than 0"},
        BadProbeInput{{"--status", "ok", "http://h/"}, "invalid status list 'ok' for --status"},
        BadProbeInput{{"-H", "X-Bad: a\r\nInjected: 1", "http://h/"}, "CR or LF"},
        BadProbeInput{{"-H", "NoColon", "http://h/"}, "invalid header 'NoColon'"},
        BadProbeInput{{"-X", "GET /", "http://h/"}, "invalid method"},
        BadProbeInput{{"--unix-socket", "", "http://h/"}, "--unix-socket"},
        BadProbeInput{{"--bogus", "http://h/"}, "unknown option '--bogus'"},
        BadProbeInput{{"-t"}, "needs a value"},
        BadProbeInput{{"-s", "200", "grpc://h:50051"}, "-s/--status applies to http:// URLs only"},
        BadProbeInput{{"grpc://h:50051", "-X", "HEAD"}, "-X/--method applies to http:// URLs only"},
        BadProbeInput{{"--expect", "UP", "tcp://h:5432"}, "--expect applies to http:// URLs only"},
        BadProbeInput{{"grpc://h:1", "--follow-redirects"},
                      "--follow-redirects applies to http://"},
        BadProbeInput{{"--expect", "", "http://h/"}, "invalid text '' for --expect: empty"}));

TEST_F(ProbeCommandLine, GrpcTakesHeadersAndUnixSocketAndIgnoresTheStatusVariable) {
    fake_environment["VIGIL_PROBE_STATUS"] = "200";
    auto parsed = parse({"-H", "authorization: Bearer x", "--unix-socket", "/run/app.sock",
                         "grpc://localhost:50051/app"});
    ASSERT_EQ(parsed->action, ProbeAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.check.url.scheme, UrlScheme::grpc);
    EXPECT_EQ(parsed->config.check.url.target, "app");
    EXPECT_EQ(parsed->config.check.header_count, 1u);
    EXPECT_STREQ(parsed->config.check.unix_socket, "/run/app.sock");
}

TEST_F(ProbeCommandLine, BadEnvironmentIsAUsageErrorNamingTheVariable) {
    fake_environment["VIGIL_PROBE_TIMEOUT"] = "later";
    auto parsed = parse({"http://h/"});
    EXPECT_EQ(parsed->action, ProbeAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_PROBE_TIMEOUT"), nullptr) << parsed->error;
    fake_environment.clear();
    fake_environment["VIGIL_PROBE_URL"] = "gopher://h/";
    parsed = parse({});
    EXPECT_EQ(parsed->action, ProbeAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_PROBE_URL"), nullptr) << parsed->error;
}
