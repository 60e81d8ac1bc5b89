// Termination requests are whatever the orchestrator sends: the stop signal
// (--stop-signal, the image's STOPSIGNAL; SIGTERM by default) or SIGINT. A
// request arms the stop delay, ends probing and starts the grace period,
// whatever -r turns it into; the watchdog stops the application with the
// same request, and a watchdog stop always ends.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "scripted_server.h"
#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

using TerminationRequest = BothModes;

constexpr int watchdog_status = 124;

}  // namespace

// nginx and php-fpm images stop with SIGQUIT: with --stop-signal QUIT, a
// SIGQUIT starts the grace period (before, only SIGTERM and SIGINT did, and
// an application that took its time was left to the orchestrator's SIGKILL).
TEST_P(TerminationRequest, TheStopSignalStartsTheGracePeriod) {
    Process vigil_process(
        vigil_testapp({"--stop-signal", "QUIT", "--grace", "1s"},
                      {"--record", dir_.file("record"), "--ready", dir_.file("ready")}),
        options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    auto signalled = std::chrono::steady_clock::now();
    vigil_process.send_signal(SIGQUIT);  // recorded and ignored: the app never finishes
    ExitResult result = vigil_process.wait(10s);
    auto took = std::chrono::steady_clock::now() - signalled;
    ASSERT_TRUE(result.exited);
    EXPECT_EQ(result.exit_code, 137);
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 3s);
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), std::vector<int>{SIGQUIT});
}

// The second input: -r TERM:QUIT used to disable --grace, so an
// application that never finishes its SIGQUIT shutdown kept vigil forever.
TEST_P(TerminationRequest, RewritingTheRequestKeepsTheGracePeriod) {
    Process vigil_process(
        vigil_testapp({"--grace", "1s", "-r", "TERM:QUIT"},
                      {"--record", dir_.file("record"), "--ready", dir_.file("ready")}),
        options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    vigil_process.send_signal(SIGTERM);
    ExitResult result = vigil_process.wait(10s);
    ASSERT_TRUE(result.exited) << "vigil never gave up on the application";
    EXPECT_EQ(result.exit_code, 137);
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), std::vector<int>{SIGQUIT});
}

// With another stop signal, SIGTERM is an ordinary signal: forwarded, and no
// clock. (SIGQUIT is no request by default either: for a JVM it means
// "thread dump".)
TEST_P(TerminationRequest, OtherSignalsAreForwardedWithoutStartingTheGracePeriod) {
    Process vigil_process(vigil_testapp({"--stop-signal", "USR2", "--grace", "300ms"},
                                        {"--record", dir_.file("record"), "--ignore-term",
                                         "--ready", dir_.file("ready")}),
                          options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    vigil_process.send_signal(SIGTERM);
    vigil_process.send_signal(SIGQUIT);
    vigil_process.send_signal(SIGUSR1);  // the sentinel: the others went out before it
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGUSR1); }, 5s));
    usleep(800 * 1000);  // longer than the grace period: nothing may kill it
    EXPECT_TRUE(vigil_process.running()) << "killed although no termination request came";
    vigil_process.send_signal(SIGUSR2);  // the stop signal: recorded, ignored, then killed
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 137);
}

// The stop delay holds the stop signal, whichever it is.
TEST_P(TerminationRequest, TheStopDelayHoldsTheStopSignal) {
    Process vigil_process(
        vigil_testapp({"--stop-signal", "SIGHUP", "--stop-delay", "600ms"},
                      {"--record", dir_.file("record"), "--ready", dir_.file("ready")}),
        options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    auto signalled = std::chrono::steady_clock::now();
    vigil_process.send_signal(SIGHUP);
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGHUP); }, 5s));
    EXPECT_GE(std::chrono::steady_clock::now() - signalled, 550ms) << "forwarded too early";
    vigil_process.send_signal(SIGTERM);  // no request here: forwarded; the app exits on it
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Modes, TerminationRequest, both_modes(), mode_name);

namespace {

class WatchdogStop : public ::testing::Test {
  protected:
    ServerScript failing() {
        ServerScript script;
        script.reply = http_reply(503);
        return script;
    }
    TempDir dir_;
};

}  // namespace

// The watchdog stops the application with the stop signal, as the
// orchestrator would, and the stop still exits 124.
TEST_F(WatchdogStop, StopsTheApplicationWithTheStopSignal) {
    ScriptedServer server("127.0.0.1", failing());
    ASSERT_TRUE(server.listening());
    RunOutput output =
        run(vigil_testapp({"--stop-signal", "QUIT", "--grace", "500ms", "--watchdog", server.url(),
                           "--watchdog-interval", "100ms", "--watchdog-failures", "1"},
                          {"--record", dir_.file("record")}),
            20s);
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), std::vector<int>{SIGQUIT});
}

// A stop that vigil starts on its own must end without the orchestrator:
// with the request dropped (-r TERM:0) and no --grace, the application is
// killed after the watchdog's own grace period (10 s) and vigil exits 124.
TEST_F(WatchdogStop, EndsWithSigkillWhenTheRequestIsDroppedAndNoGraceIsSet) {
    ScriptedServer server("127.0.0.1", failing());
    ASSERT_TRUE(server.listening());
    auto started = std::chrono::steady_clock::now();
    RunOutput output =
        run(vigil_testapp({"-r", "TERM:0", "--watchdog", server.url(), "--watchdog-interval",
                           "100ms", "--watchdog-failures", "1"},
                          {"--record", dir_.file("record")}),
            30s);
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(output.result.exited) << "the watchdog's stop never ended";
    EXPECT_EQ(output.result.exit_code, watchdog_status) << output.err;
    EXPECT_TRUE(read_recorded_signals(dir_.file("record")).empty());
    EXPECT_GE(took, 10s);
    EXPECT_LT(took, 15s);
    EXPECT_NE(output.err.find("grace period expired"), std::string::npos) << output.err;
}
