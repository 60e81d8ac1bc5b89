#include "supervisor/supervisor_command_line.h"

#include <gtest/gtest.h>

#include <csignal>
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
std::shared_ptr<ParsedSupervisorCommandLine> parse_words(Argv& args) {
    auto parsed = std::make_shared<ParsedSupervisorCommandLine>();
    parse_supervisor_command_line(args.argc(), args.argv(), FakeEnvironment::lookup, *parsed);
    return parsed;
}

class CommandLine : public ::testing::Test {
  protected:
    void SetUp() override { fake_environment.clear(); }
    // The result points into its argv, which lives as long as the test.
    std::shared_ptr<ParsedSupervisorCommandLine> parse(std::vector<std::string> words) {
        return parse_words(*argvs_.emplace_back(std::make_unique<Argv>("vigil", std::move(words))));
    }
    std::vector<std::unique_ptr<Argv>> argvs_;
};

}  // namespace

TEST_F(CommandLine, DefaultsWithProgramOnly) {
    auto parsed = parse({"sleep", "10"});
    ASSERT_EQ(parsed->action, SupervisorAction::run);
    EXPECT_STREQ(parsed->config.program[0], "sleep");
    EXPECT_STREQ(parsed->config.program[1], "10");
    EXPECT_EQ(parsed->config.program[2], nullptr);
    EXPECT_FALSE(parsed->config.grace_ms.has_value());
    EXPECT_EQ(parsed->config.drain_ms, 3000);
    EXPECT_EQ(parsed->config.stop_delay_ms, 0);
    EXPECT_FALSE(parsed->config.single_child);
    EXPECT_EQ(parsed->config.verbosity, 0);
    EXPECT_EQ(parsed->config.log_format, LogFormat::text);
}

TEST_F(CommandLine, OptionParsingStopsAtFirstNonOption) {
    auto parsed = parse({"sh", "-c", "exit 3"});
    ASSERT_EQ(parsed->action, SupervisorAction::run);
    EXPECT_STREQ(parsed->config.program[0], "sh");
    EXPECT_STREQ(parsed->config.program[1], "-c");
    EXPECT_FALSE(parsed->config.single_child);
}

TEST_F(CommandLine, DoubleDashEndsOptions) {
    auto parsed = parse({"-v", "--", "-weird-program", "--grace"});
    ASSERT_EQ(parsed->action, SupervisorAction::run);
    EXPECT_STREQ(parsed->config.program[0], "-weird-program");
    EXPECT_EQ(parsed->config.verbosity, 1);
}

TEST_F(CommandLine, EveryOptionInLongForm) {
    auto parsed = parse({"--grace", "10s", "--drain=500ms", "--stop-delay", "5s", "--rewrite",
                         "TERM:QUIT", "--single-child", "--remap-exit", "143", "--pdeathsig", "HUP",
                         "--subreaper", "--warn-reap", "--verbose", "--log-format", "json", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    const SupervisorConfig& config = parsed->config;
    EXPECT_EQ(config.grace_ms, 10000);
    EXPECT_EQ(config.drain_ms, 500);
    EXPECT_EQ(config.stop_delay_ms, 5000);
    EXPECT_EQ(config.rewrites.apply(SIGTERM), SIGQUIT);
    EXPECT_TRUE(config.single_child);
    EXPECT_EQ(config.remap.apply(143), 0);
    EXPECT_EQ(config.parent_death_signal, SIGHUP);
    EXPECT_TRUE(config.subreaper);
    EXPECT_TRUE(config.warn_reap);
    EXPECT_EQ(config.verbosity, 1);
    EXPECT_EQ(config.log_format, LogFormat::json);
}

TEST_F(CommandLine, ShortOptionsClusterAndTakeAttachedValues) {
    auto parsed =
        parse({"-cswvv", "-rUSR1:0", "-r", "INT:TERM", "-e3", "-e", "4", "-pTERM", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_TRUE(parsed->config.single_child);
    EXPECT_TRUE(parsed->config.subreaper);
    EXPECT_TRUE(parsed->config.warn_reap);
    EXPECT_EQ(parsed->config.verbosity, 2);
    EXPECT_EQ(parsed->config.rewrites.apply(SIGUSR1), 0);
    EXPECT_EQ(parsed->config.rewrites.apply(SIGINT), SIGTERM);
    EXPECT_EQ(parsed->config.remap.apply(3), 0);
    EXPECT_EQ(parsed->config.remap.apply(4), 0);
    EXPECT_EQ(parsed->config.remap.apply(5), 5);
    EXPECT_EQ(parsed->config.parent_death_signal, SIGTERM);
}

TEST_F(CommandLine, HelpAndVersion) {
    EXPECT_EQ(parse({"--help"})->action, SupervisorAction::help);
    EXPECT_EQ(parse({"-h"})->action, SupervisorAction::help);
    EXPECT_EQ(parse({"--version"})->action, SupervisorAction::version);
    EXPECT_EQ(parse({"-V"})->action, SupervisorAction::version);
    // No program needed, and a bad environment does not get in the way.
    fake_environment["VIGIL_GRACE"] = "bogus";
    EXPECT_EQ(parse({"--help"})->action, SupervisorAction::help);
}

TEST_F(CommandLine, EnvironmentFillsUnsetOptions) {
    fake_environment["VIGIL_GRACE"] = "2s";
    fake_environment["VIGIL_DRAIN"] = "0";
    fake_environment["VIGIL_STOP_DELAY"] = "1.5s";
    fake_environment["VIGIL_VERBOSITY"] = "2";
    fake_environment["VIGIL_LOG_FORMAT"] = "json";
    auto parsed = parse({"app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.grace_ms, 2000);
    EXPECT_EQ(parsed->config.drain_ms, 0);
    EXPECT_EQ(parsed->config.stop_delay_ms, 1500);
    EXPECT_EQ(parsed->config.verbosity, 2);
    EXPECT_EQ(parsed->config.log_format, LogFormat::json);
}

TEST_F(CommandLine, OptionWinsOverEnvironment) {
    fake_environment["VIGIL_GRACE"] = "2s";
    fake_environment["VIGIL_DRAIN"] = "nonsense";  // never read: the option is given
    fake_environment["VIGIL_VERBOSITY"] = "3";
    fake_environment["VIGIL_LOG_FORMAT"] = "json";
    auto parsed = parse({"--grace", "5s", "--drain", "1s", "-v", "--log-format", "text", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.grace_ms, 5000);
    EXPECT_EQ(parsed->config.drain_ms, 1000);
    EXPECT_EQ(parsed->config.verbosity, 1);
    EXPECT_EQ(parsed->config.log_format, LogFormat::text);
}

TEST_F(CommandLine, EmptyEnvironmentVariablesAreIgnored) {
    fake_environment["VIGIL_GRACE"] = "";
    auto parsed = parse({"app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run);
    EXPECT_FALSE(parsed->config.grace_ms.has_value());
}

TEST_F(CommandLine, WatchdogOptionsAndTheirDefaults) {
    auto parsed = parse({"--watchdog", "http://localhost:8080/healthz", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    const SupervisorConfig& config = parsed->config;
    EXPECT_TRUE(config.watchdog_enabled);
    EXPECT_EQ(config.watchdog.check.url.port, 8080);
    EXPECT_EQ(config.watchdog.interval_ms, 10000);
    EXPECT_EQ(config.watchdog.check.timeout_ms, 3000);
    EXPECT_EQ(config.watchdog.failures, 3);
    EXPECT_EQ(config.watchdog.start_period_ms, 0);
    EXPECT_TRUE(config.watchdog.check.healthy.contains(399));

    parsed =
        parse({"--watchdog=tcp://127.0.0.1:5432", "--watchdog-interval", "5s", "--watchdog-timeout",
               "1s", "--watchdog-failures", "5", "--watchdog-start-period", "1m",
               "--watchdog-status", "204", "--watchdog-header", "Host: app", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.watchdog.check.url.scheme, UrlScheme::tcp);
    EXPECT_EQ(parsed->config.watchdog.interval_ms, 5000);
    EXPECT_EQ(parsed->config.watchdog.check.timeout_ms, 1000);
    EXPECT_EQ(parsed->config.watchdog.failures, 5);
    EXPECT_EQ(parsed->config.watchdog.start_period_ms, 60000);
    EXPECT_FALSE(parsed->config.watchdog.check.healthy.contains(200));
    ASSERT_EQ(parsed->config.watchdog.check.header_count, 1u);

    EXPECT_FALSE(parse({"app"})->config.watchdog_enabled);
}

TEST_F(CommandLine, WatchdogFromTheEnvironment) {
    fake_environment["VIGIL_WATCHDOG"] = "http://127.0.0.1:9/";
    fake_environment["VIGIL_WATCHDOG_INTERVAL"] = "2s";
    fake_environment["VIGIL_WATCHDOG_TIMEOUT"] = "500ms";
    fake_environment["VIGIL_WATCHDOG_FAILURES"] = "4";
    fake_environment["VIGIL_WATCHDOG_START_PERIOD"] = "30s";
    auto parsed = parse({"--watchdog-failures", "2", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_TRUE(parsed->config.watchdog_enabled);
    EXPECT_EQ(parsed->config.watchdog.interval_ms, 2000);
    EXPECT_EQ(parsed->config.watchdog.check.timeout_ms, 500);
    EXPECT_EQ(parsed->config.watchdog.failures, 2);  // the option wins
    EXPECT_EQ(parsed->config.watchdog.start_period_ms, 30000);

    // Without VIGIL_WATCHDOG its companions are ignored, bad or not.
    fake_environment.erase("VIGIL_WATCHDOG");
    fake_environment["VIGIL_WATCHDOG_INTERVAL"] = "never";
    parsed = parse({"app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_FALSE(parsed->config.watchdog_enabled);
}

TEST_F(CommandLine, StopSignalAndForwardScope) {
    auto parsed = parse({"--stop-signal", "QUIT", "--forward-to", "all", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.stop_signal, SIGQUIT);
    EXPECT_EQ(parsed->config.forward_to, ForwardScope::all);

    parsed = parse({"app"});
    EXPECT_EQ(parsed->config.stop_signal, SIGTERM);
    EXPECT_EQ(parsed->config.forward_to, ForwardScope::group);

    // -c keeps its meaning: signals to the child's PID.
    parsed = parse({"-c", "app"});
    EXPECT_EQ(parsed->config.forward_to, ForwardScope::child);
    parsed = parse({"-c", "--forward-to", "child", "app"});
    EXPECT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
}

TEST_F(CommandLine, EveryOptionHasItsVariable) {
    fake_environment["VIGIL_STOP_SIGNAL"] = "SIGQUIT";
    fake_environment["VIGIL_FORWARD_TO"] = "child";
    fake_environment["VIGIL_REWRITE"] = "TERM:QUIT, USR1:0";
    fake_environment["VIGIL_REMAP_EXIT"] = "143,137";
    fake_environment["VIGIL_SINGLE_CHILD"] = "0";
    fake_environment["VIGIL_PDEATHSIG"] = "HUP";
    fake_environment["VIGIL_SUBREAPER"] = "true";
    fake_environment["VIGIL_WARN_REAP"] = "YES";
    fake_environment["VIGIL_WATCHDOG"] = "http://127.0.0.1:9/";
    fake_environment["VIGIL_WATCHDOG_STATUS"] = "204";
    fake_environment["VIGIL_WATCHDOG_HEADER"] = "Host: app\nX-Probe: a, b";
    auto parsed = parse({"app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    const SupervisorConfig& config = parsed->config;
    EXPECT_EQ(config.stop_signal, SIGQUIT);
    EXPECT_EQ(config.forward_to, ForwardScope::child);
    EXPECT_EQ(config.rewrites.apply(SIGTERM), SIGQUIT);
    EXPECT_EQ(config.rewrites.apply(SIGUSR1), 0);
    EXPECT_EQ(config.remap.apply(143), 0);
    EXPECT_EQ(config.remap.apply(137), 0);
    EXPECT_FALSE(config.single_child);
    EXPECT_EQ(config.parent_death_signal, SIGHUP);
    EXPECT_TRUE(config.subreaper);
    EXPECT_TRUE(config.warn_reap);
    EXPECT_FALSE(config.watchdog.check.healthy.contains(200));
    ASSERT_EQ(config.watchdog.check.header_count, 2u);
    EXPECT_STREQ(config.watchdog.check.headers[0], "Host: app");
    EXPECT_STREQ(config.watchdog.check.headers[1], "X-Probe: a, b");

    fake_environment.clear();
    fake_environment["VIGIL_SINGLE_CHILD"] = "on";
    EXPECT_TRUE(parse({"app"})->config.single_child);
}

TEST_F(CommandLine, AListOptionWinsOverItsWholeVariable) {
    fake_environment["VIGIL_REWRITE"] = "USR1:USR2";
    fake_environment["VIGIL_REMAP_EXIT"] = "not even a number";
    auto parsed = parse({"-r", "HUP:0", "-e", "3", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.rewrites.apply(SIGHUP), 0);
    EXPECT_EQ(parsed->config.rewrites.apply(SIGUSR1), SIGUSR1);
}

TEST_F(CommandLine, TheFlagsOfTiniAndDumbInitMeanTheSameOrSayWhatToUse) {
    // tini: -s -p -v -w -g -e, and "--" before the program.
    auto parsed = parse({"-s", "-p", "SIGTERM", "-v", "-w", "-g", "-e", "143", "--", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_TRUE(parsed->config.subreaper);
    EXPECT_EQ(parsed->config.parent_death_signal, SIGTERM);
    EXPECT_EQ(parsed->config.forward_to, ForwardScope::group);
    EXPECT_EQ(parsed->config.remap.apply(143), 0);
    EXPECT_EQ(parse({"-g", "-c", "app"})->action, SupervisorAction::usage_error)
        << "-g contradicts -c";
    // tini's -p SIGKILL would end vigil itself and orphan the child: refused,
    // naming what does end the child.
    parsed = parse({"-p", "SIGKILL", "app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "-p TERM"), nullptr) << parsed->error;
    parsed = parse({"-l"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "license"), nullptr) << parsed->error;
    // dumb-init: -c, -r with numbers, -v, -V.
    parsed = parse({"-c", "-r", "15:3", "-v", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_TRUE(parsed->config.single_child);
    EXPECT_EQ(parsed->config.rewrites.apply(15), 3);
    EXPECT_EQ(parse({"-V"})->action, SupervisorAction::version);
}

TEST_F(CommandLine, WatchdogUrlAndHeadersFollowTheEnvironment) {
    fake_environment["PORT"] = "7070";
    auto parsed = parse(
        {"--watchdog", "http://localhost:${PORT}/", "--watchdog-header", "X-Port: ${PORT}", "app"});
    ASSERT_EQ(parsed->action, SupervisorAction::run) << parsed->error;
    EXPECT_EQ(parsed->config.watchdog.check.url.port, 7070);
    EXPECT_STREQ(parsed->config.watchdog.check.headers[0], "X-Port: 7070");
    parsed = parse({"--watchdog", "http://localhost:${NOPE}/", "app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "NOPE is not set"), nullptr) << parsed->error;
}

struct BadInput {
    std::vector<std::string> words;
    const char* expected_in_error;
};

class CommandLineErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(CommandLineErrors, AreOneLineUsageErrorsNamingTheProblem) {
    fake_environment.clear();
    Argv args("vigil", GetParam().words);
    auto parsed = parse_words(args);
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, GetParam().expected_in_error), nullptr) << parsed->error;
    EXPECT_EQ(std::strchr(parsed->error, '\n'), nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CommandLineErrors,
    ::testing::Values(
        BadInput{{}, "no program"}, BadInput{{"-v"}, "no program"}, BadInput{{"--"}, "no program"},
        BadInput{{"--grace"}, "needs a value"}, BadInput{{"--grace", "5x", "app"}, "'5x'"},
        BadInput{{"--drain", "-1", "app"}, "--drain"},
        BadInput{{"--stop-delay", "later", "app"}, "--stop-delay"},
        BadInput{{"--bogus", "app"}, "unknown option '--bogus'"},
        BadInput{{"-x", "app"}, "unknown option '-x'"}, BadInput{{"-r", "TERM", "app"}, "FROM:TO"},
        BadInput{{"-r", "FOO:TERM", "app"}, "unknown signal 'FOO'"},
        BadInput{{"-r", "TERM:BAR", "app"}, "unknown signal 'BAR'"},
        BadInput{{"-r", "KILL:TERM", "app"}, "never forwarded"},
        BadInput{{"-r", "CHLD:TERM", "app"}, "never forwarded"},
        BadInput{{"-e", "256", "app"}, "0 to 255"}, BadInput{{"-e", "x", "app"}, "0 to 255"},
        BadInput{{"-p", "NOPE", "app"}, "invalid signal"},
        BadInput{{"-p", "STOP", "app"}, "cannot be caught"},
        BadInput{{"--pdeathsig", "CHLD", "app"}, "cannot be caught"},
        BadInput{{"--log-format", "xml", "app"}, "text or json"},
        BadInput{{"--single-child=yes", "app"}, "takes no value"},
        BadInput{{"-e"}, "needs a value"},
        BadInput{{"--watchdog", "localhost:80", "app"}, "invalid URL"},
        BadInput{{"--watchdog-interval", "1s", "app"}, "needs --watchdog URL"},
        BadInput{{"--watchdog", "http://h/", "--watchdog-interval", "0", "app"}, "longer than 0"},
        BadInput{{"--watchdog", "http://h/", "--watchdog-timeout", "0", "app"}, "longer than 0"},
        BadInput{{"--watchdog", "http://h/", "--watchdog-failures", "0", "app"}, "1 to 1000"},
        BadInput{{"--watchdog", "http://h/", "--watchdog-status", "ok", "app"},
                 "invalid status list"},
        BadInput{{"--watchdog", "http://h/", "--watchdog-header", "x", "app"}, "invalid header"},
        BadInput{{"--watchdog-status", "200", "--watchdog", "grpc://h:50051", "app"},
                 "--watchdog-status applies to http:// URLs only"},
        BadInput{{"--stop-signal", "KILL", "app"}, "cannot be caught"},
        BadInput{{"--stop-signal", "NOPE", "app"}, "invalid signal 'NOPE' for --stop-signal"},
        BadInput{{"--forward-to", "everyone", "app"}, "group, child or all"},
        BadInput{{"-c", "--forward-to", "group", "app"}, "cannot be combined"}));

// A long value (here 300 bytes, or 100 control characters escaped to four
// each) once pushed the reason off the one-line message; the value is cut
// with "..." and the reason stays.
TEST_F(CommandLine, ALongInvalidValueLeavesRoomForTheReason) {
    for (const std::string& value : {std::string(300, 'A'), std::string(100, '\x01')}) {
        auto parsed = parse({"-r", value, "app"});
        ASSERT_EQ(parsed->action, SupervisorAction::usage_error);
        EXPECT_NE(std::strstr(parsed->error, "...' for -r: expected FROM:TO"), nullptr)
            << parsed->error;
    }
    fake_environment["VIGIL_GRACE"] = std::string(300, '9');
    auto parsed = parse({"app"});
    ASSERT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "at most 30 days"), nullptr) << parsed->error;
}

TEST_F(CommandLine, BadEnvironmentIsAUsageErrorNamingTheVariable) {
    fake_environment["VIGIL_GRACE"] = "soon";
    auto parsed = parse({"app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_GRACE"), nullptr) << parsed->error;

    fake_environment.clear();
    fake_environment["VIGIL_VERBOSITY"] = "loud";
    parsed = parse({"app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_VERBOSITY"), nullptr) << parsed->error;

    fake_environment.clear();
    fake_environment["VIGIL_SUBREAPER"] = "maybe";
    parsed = parse({"app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_SUBREAPER"), nullptr) << parsed->error;

    fake_environment.clear();
    fake_environment["VIGIL_REWRITE"] = "TERM:QUIT,FOO:TERM";
    parsed = parse({"app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "'FOO:TERM' for VIGIL_REWRITE"), nullptr) << parsed->error;

    fake_environment.clear();
    fake_environment["VIGIL_LOG_FORMAT"] = "yaml";
    parsed = parse({"app"});
    EXPECT_EQ(parsed->action, SupervisorAction::usage_error);
    EXPECT_NE(std::strstr(parsed->error, "VIGIL_LOG_FORMAT"), nullptr) << parsed->error;
}
