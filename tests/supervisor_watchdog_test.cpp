// --watchdog and the supervisor's event loop: a real vigil probing a real
// HTTP server on loopback whose answers the test scripts, with testapp as
// the application.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "grpc_servers.h"
#include "process_harness.h"
#include "scripted_server.h"
#include "strict_json.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

constexpr int watchdog_status = 124;

ServerScript statuses(const std::vector<int>& sequence) {
    ServerScript script;
    for (int status : sequence) script.replies.push_back(http_reply(status));
    return script;
}

class Watchdog : public ::testing::Test {
  protected:
    // vigil with the watchdog on `server`, then testapp with `flags`.
    std::vector<std::string> vigil_app(const ScriptedServer& server,
                                       std::vector<std::string> options,
                                       std::vector<std::string> flags = {}) {
        std::vector<std::string> argv{vigil_binary(), "--watchdog", server.url()};
        argv.insert(argv.end(), options.begin(), options.end());
        argv.insert(argv.end(), {"--", testapp_binary(), "--record", record_, "--ready", ready_});
        argv.insert(argv.end(), flags.begin(), flags.end());
        return argv;
    }
    TempDir dir_;
    std::string record_ = dir_.file("signals");
    std::string ready_ = dir_.file("ready");
};

}  // namespace

TEST_F(Watchdog, FiresAfterNConsecutiveFailuresAndASuccessResetsTheCount) {
    // Two failures (N-1), a success, then failures: it fires on the sixth.
    ScriptedServer server("127.0.0.1", statuses({503, 503, 200, 503, 503, 503, 200}));
    ASSERT_TRUE(server.listening());
    RunOutput output =
        run(vigil_app(server, {"--watchdog-interval", "100ms", "--watchdog-failures", "3"}), 20s);
    ASSERT_TRUE(output.result.exited);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_EQ(server.connections(), 6) << output.err;
    EXPECT_EQ(read_recorded_signals(record_), std::vector<int>{SIGTERM});
    // State changes are logged at the default verbosity, probes only at -v.
    EXPECT_NE(output.err.find("watchdog: the application is failing its health check"),
              std::string::npos)
        << output.err;
    EXPECT_NE(output.err.find("watchdog: the application recovered"), std::string::npos);
    EXPECT_NE(output.err.find("watchdog: the application failed its health check; stopping it"),
              std::string::npos);
    EXPECT_NE(output.err.find("HTTP 503 from 127.0.0.1:" + std::to_string(server.port())),
              std::string::npos);
    EXPECT_EQ(output.err.find("watchdog probe "), std::string::npos) << output.err;
}

TEST_F(Watchdog, StartPeriodFailuresDoNotCount) {
    ScriptedServer server("127.0.0.1", statuses({503}));
    ASSERT_TRUE(server.listening());
    RunOutput output = run(vigil_app(server, {"--watchdog-interval", "100ms", "--watchdog-failures",
                                              "2", "--watchdog-start-period", "1s"}),
                           20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_GE(output.result.elapsed, 1000ms);
    // About nine uncounted probes in the start period, then two that count.
    EXPECT_GE(server.connections(), 10);
}

TEST_F(Watchdog, StopsTheApplicationAsSigtermWouldWithGraceAndItsOwnStatus) {
    ScriptedServer server("127.0.0.1", statuses({503}));
    ASSERT_TRUE(server.listening());
    // The application ignores SIGTERM: --grace kills it; -e cannot hide the
    // watchdog's status.
    RunOutput output = run(vigil_app(server,
                                     {"--watchdog-interval", "100ms", "--watchdog-failures", "1",
                                      "--grace", "500ms", "-e", "124", "-e", "137"},
                                     {"--ignore-term"}),
                           20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_NE(output.err.find("grace period expired"), std::string::npos) << output.err;
    EXPECT_GE(output.result.elapsed, 600ms);
    EXPECT_LT(output.result.elapsed, 2500ms);
}

TEST_F(Watchdog, LogsEachProbeAtVerboseInJson) {
    ScriptedServer server("127.0.0.1", statuses({200, 200, 503}));
    ASSERT_TRUE(server.listening());
    RunOutput output = run(vigil_app(server, {"-v", "--log-format", "json", "--watchdog-interval",
                                              "100ms", "--watchdog-failures", "1"}),
                           20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status);
    size_t probes = 0;
    for (size_t at = 0;
         (at = output.err.find("\"msg\":\"watchdog probe\"", at)) != std::string::npos; ++at)
        ++probes;
    EXPECT_EQ(probes, 3u) << output.err;
    EXPECT_NE(output.err.find("\"result\":\"healthy\",\"summary\":\"healthy: HTTP 200 from "),
              std::string::npos)
        << output.err;
    EXPECT_NE(output.err.find("\"result\":\"unhealthy\""), std::string::npos);
}

TEST_F(Watchdog, ForwardsSignalsPromptlyWhileAProbeWaitsOnASilentServer) {
    ServerScript silent;
    silent.hang = true;
    ScriptedServer server("127.0.0.1", silent);
    ASSERT_TRUE(server.listening());
    Process vigil(vigil_app(server, {"--watchdog-interval", "100ms", "--watchdog-timeout", "30s"}));
    ASSERT_TRUE(wait_for_file(ready_, 5s));
    ASSERT_TRUE(wait_until([&] { return server.connections() == 1; }, 5s));
    auto sent = std::chrono::steady_clock::now();
    vigil.send_signal(SIGUSR1);
    ASSERT_TRUE(wait_until([&] { return read_recorded_signals(record_).size() == 1; }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - sent, 500ms);
    EXPECT_EQ(read_recorded_signals(record_), std::vector<int>{SIGUSR1});
    vigil.send_signal(SIGTERM);
    ExitResult result = vigil.wait(10s);
    EXPECT_EQ(result.exit_code, 0);  // testapp exits 0 on SIGTERM; the watchdog never fired
}

TEST_F(Watchdog, ProbingStopsOnceATerminationRequestArrives) {
    ScriptedServer server("127.0.0.1", statuses({200}));
    ASSERT_TRUE(server.listening());
    Process vigil(vigil_app(server, {"--watchdog-interval", "100ms", "--stop-delay", "1500ms"}));
    ASSERT_TRUE(wait_for_file(ready_, 5s));
    ASSERT_TRUE(wait_until([&] { return server.connections() >= 2; }, 5s));
    vigil.send_signal(SIGTERM);  // held for the stop delay
    std::this_thread::sleep_for(200ms);
    int after_stop = server.connections();
    std::this_thread::sleep_for(800ms);
    EXPECT_EQ(server.connections(), after_stop);
    ExitResult result = vigil.wait(10s);
    EXPECT_EQ(result.exit_code, 0);
}

TEST_F(Watchdog, CostsNoWakeupsBeyondItsProbes) {
    ScriptedServer server("127.0.0.1", statuses({200}));
    ASSERT_TRUE(server.listening());
    Process vigil(vigil_app(server, {"--watchdog-interval", "500ms"}));
    ASSERT_TRUE(wait_for_file(ready_, 5s));
    std::this_thread::sleep_for(250ms);  // between two probes
    auto before = proc_status_field(vigil.pid(), "voluntary_ctxt_switches");
    int probes_before = server.connections();
    std::this_thread::sleep_for(2000ms);
    auto after = proc_status_field(vigil.pid(), "voluntary_ctxt_switches");
    int probes = server.connections() - probes_before;
    ASSERT_TRUE(before && after);
    EXPECT_GE(probes, 3);
    EXPECT_LE(probes, 5);
    // A probe wakes vigil for its timer, for the connection and for the
    // answer; nothing else may.
    EXPECT_LE(*after - *before, 3 * probes) << "probes: " << probes;
    vigil.send_signal(SIGTERM);
    vigil.wait(10s);
}

// The watchdog's lines, the one that says why the application was stopped
// among them, carry what a hostile server sent: each text line stays one
// line of printable UTF-8, each JSON line parses.
TEST_F(Watchdog, LogsWhatAServerSentAsEscapedTextAndValidJson) {
    ServerScript script;
    script.replies = {
        "\x9b"
        "2J\xc2\x9b"
        "3J\xc2\x9d"
        "0;pwned\x07\xff\xfe\r\n",
        "\x1b]0;pwned\x07\x1b[2J\"}\\\r\n", "HTTP/1.1 200 OK\x1b[2J\r\n\r\n"};
    for (const char* format : {"text", "json"}) {
        ScriptedServer server("127.0.0.1", script);
        ASSERT_TRUE(server.listening());
        RunOutput output =
            run(vigil_app(server, {"-v", "--log-format", format, "--watchdog-interval", "100ms",
                                   "--watchdog-failures", "3"}),
                20s);
        EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
        std::istringstream lines(output.err);
        std::string line;
        int count = 0;
        while (std::getline(lines, line)) {
            ++count;
            EXPECT_TRUE(is_safe_line(line)) << line;
            if (std::string(format) == "json")
                EXPECT_TRUE(is_strict_json(line)) << line;
            else
                EXPECT_EQ(line.rfind("vigil: ", 0), 0u) << line;
        }
        EXPECT_GE(count, 4);  // three probes, the firing, the exit
        EXPECT_NE(output.err.find("the application failed its health check; stopping it"),
                  std::string::npos)
            << output.err;
        EXPECT_NE(output.err.find("x9b2J"), std::string::npos) << output.err;
        EXPECT_NE(output.err.find("u009d0;pwned"), std::string::npos) << output.err;
    }
}

// --watchdog grpc://: the same HealthCheck, against grpc-go's own health
// server, whose status the test turns to NOT_SERVING while vigil watches.
TEST_F(Watchdog, FiresWhenAGrpcServerStopsServing) {
    REQUIRE_GRPC_SERVER(GrpcServerKind::go);
    GrpcHealthServer server(GrpcServerKind::go);
    ASSERT_TRUE(server.started()) << server.output();
    Process vigil({vigil_binary(), "-v", "--watchdog", server.url(), "--watchdog-interval", "100ms",
                   "--watchdog-failures", "2", "--", testapp_binary(), "--record", record_,
                   "--ready", ready_});
    ASSERT_TRUE(wait_for_file(ready_, 5s));
    // Healthy probes first: the application keeps running.
    ASSERT_TRUE(wait_until(
        [&] { return vigil.err().find("healthy: gRPC SERVING from") != std::string::npos; }, 5s))
        << vigil.err();
    EXPECT_TRUE(vigil.running());
    ASSERT_TRUE(server.set_status("", "NOT_SERVING"));
    ExitResult result = vigil.wait(10s);
    EXPECT_EQ(result.exit_code, watchdog_status) << vigil.err();
    EXPECT_EQ(read_recorded_signals(record_), std::vector<int>{SIGTERM});
    EXPECT_NE(vigil.err().find("unhealthy: gRPC NOT_SERVING from " + server.address()),
              std::string::npos)
        << vigil.err();
}

// The watchdog has what the probe has: --watchdog-expect reads the body,
// --watchdog-follow-redirects follows same-origin redirects, and
// --watchdog-unix-socket reaches a server on a unix socket.
TEST_F(Watchdog, ExpectFiresWhenTheBodyLosesItsText) {
    ServerScript script;
    const std::string up = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"UP\"}";
    const std::string down = "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"status\":\"DOWN\"}";
    script.replies = {up, down};
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    RunOutput output = run(vigil_app(server, {"--watchdog-expect", "\"UP\"", "--watchdog-interval",
                                              "100ms", "--watchdog-failures", "2"}),
                           20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_EQ(server.connections(), 3) << "one healthy probe, then two failures";
    EXPECT_NE(output.err.find("is not in its body"), std::string::npos) << output.err;
}

TEST_F(Watchdog, FollowsRedirectsWhenAsked) {
    ServerScript script;
    script.replies = {http_reply(302, "Location: /down\r\n"), http_reply(503)};
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    RunOutput output = run(vigil_app(server, {"--watchdog-follow-redirects", "--watchdog-interval",
                                              "100ms", "--watchdog-failures", "1"}),
                           20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    std::vector<std::string> requests = server.requests();
    ASSERT_GE(requests.size(), 2u);
    EXPECT_EQ(requests[1].rfind("GET /down HTTP/1.1\r\n", 0), 0u) << requests[1];
}

TEST_F(Watchdog, ReachesAServerOnAUnixSocket) {
    ServerScript script;
    script.replies = {http_reply(200), http_reply(503)};
    std::unique_ptr<ScriptedServer> server(
        ScriptedServer::on_unix_socket(dir_.file("app.sock"), script));
    ASSERT_TRUE(server && server->listening());
    std::vector<std::string> argv{vigil_binary(),
                                  "--watchdog",
                                  "http://app/healthz",
                                  "--watchdog-unix-socket",
                                  dir_.file("app.sock"),
                                  "--watchdog-interval",
                                  "100ms",
                                  "--watchdog-failures",
                                  "1",
                                  "--",
                                  testapp_binary(),
                                  "--record",
                                  record_};
    RunOutput output = run(argv, 20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_EQ(server->connections(), 2);
    std::vector<std::string> requests = server->requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_NE(requests[0].find("Host: app\r\n"), std::string::npos) << requests[0];
}
