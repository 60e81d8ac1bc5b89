// Every accepted duration fires when it is due, up to the 30-day cap.
// Durations from about 596.5 hours on overflowed poll(2)'s int timeout:
// --grace 600h was never armed (vigil waited in read(2) with no timeout) and
// `vigil probe -t 600h` waited forever. Waiting 600 hours is not a test, so
// these look at what vigil waits in: /proc/PID/syscall names the system call
// a sleeping process is in and its arguments (x86_64: poll is 7, read is 0,
// and poll's third argument is its timeout). That the deadlines fire at the
// cap itself is unit-tested with a fake clock (tests/shutdown_test.cpp).
#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>
#include <string>
#include <vector>

#include "scripted_server.h"
#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

constexpr long day_ms = 24L * 3600 * 1000;

struct Syscall {
    long number = -1;
    std::vector<unsigned long> arguments;
};

// "7 0x7ffd5a3c 0x2 0x5265c00 ..." from /proc/PID/syscall.
Syscall waiting_in(pid_t pid) {
    std::istringstream line(read_file("/proc/" + std::to_string(pid) + "/syscall"));
    Syscall call;
    if (!(line >> call.number))
        return {};
    std::string argument;
    while (line >> argument) call.arguments.push_back(std::stoul(argument, nullptr, 16));
    return call;
}

// True once `pid` sleeps in poll(2) with a timeout of at most a day.
bool waits_in_poll_with_a_timeout(pid_t pid, std::string& seen) {
    return wait_until(
        [&] {
            Syscall call = waiting_in(pid);
            seen = read_file("/proc/" + std::to_string(pid) + "/syscall");
            return call.number == 7 && call.arguments.size() >= 3 &&
                   static_cast<int>(call.arguments[2]) > 0 &&
                   static_cast<long>(static_cast<int>(call.arguments[2])) <= day_ms;
        },
        5s);
}

class LongDeadline : public ::testing::Test {
  protected:
    void SetUp() override {
#if !defined(__x86_64__)
        GTEST_SKIP() << "reads x86_64 system call numbers from /proc/PID/syscall";
#endif
        if (!vigil_is_native())
            GTEST_SKIP() << "the vigil under test is not an x86_64 binary (qemu would be seen)";
    }
    static bool vigil_is_native() {
        std::string head = read_file(vigil_binary()).substr(0, 20);
        return head.size() == 20 && head.substr(1, 3) == "ELF" && head[18] == 0x3e;  // EM_X86_64
    }
    TempDir dir_;
};

}  // namespace

TEST_F(LongDeadline, GraceOfSixHundredHoursIsArmed) {
    Process vigil_process(
        vigil_testapp({"--grace", "600h"}, {"--ignore-term", "--ready", dir_.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    pid_t application = only_child(vigil_process.pid());
    vigil_process.send_signal(SIGTERM);
    std::string seen;
    EXPECT_TRUE(waits_in_poll_with_a_timeout(vigil_process.pid(), seen)) << seen;
    // It ignores SIGTERM and has a session of its own: killed here, or it
    // would outlive the test (vigil is killed, not stopped, at the end).
    if (application > 0)
        kill(application, SIGKILL);
}

TEST_F(LongDeadline, StopDelayAtTheThirtyDayCapIsArmed) {
    Process vigil_process(vigil_testapp({"--stop-delay", "720h"}, {"--ready", dir_.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    vigil_process.send_signal(SIGTERM);
    std::string seen;
    EXPECT_TRUE(waits_in_poll_with_a_timeout(vigil_process.pid(), seen)) << seen;
    vigil_process.send_signal(SIGTERM);  // the second releases the held one
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

TEST_F(LongDeadline, WatchdogIntervalOfSixHundredHoursIsArmed) {
    ServerScript script;
    script.reply = http_reply(200);
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    Process vigil_process(vigil_testapp({"--watchdog", server.url(), "--watchdog-interval", "600h"},
                                        {"--ready", dir_.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    std::string seen;
    EXPECT_TRUE(waits_in_poll_with_a_timeout(vigil_process.pid(), seen)) << seen;
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

TEST_F(LongDeadline, ProbeTimeoutOfSixHundredHoursIsArmed) {
    ServerScript silent;
    silent.hang = true;  // reads the request, never answers
    ScriptedServer server("127.0.0.1", silent);
    ASSERT_TRUE(server.listening());
    Process probe({vigil_binary(), "probe", "-t", "600h", server.url()});
    ASSERT_TRUE(wait_until([&] { return server.connections() == 1; }, 5s));
    std::string seen;
    EXPECT_TRUE(waits_in_poll_with_a_timeout(probe.pid(), seen)) << seen;
}
