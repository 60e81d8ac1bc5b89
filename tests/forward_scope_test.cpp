// --forward-to: whom forwarded signals reach while the main child runs. The
// default is its process group; `child` is its PID alone (it still has a
// session and group of its own, as under tini without -g); `all` is every
// other process as PID 1 and every descendant as a subreaper, each once, so
// that a daemon that detached and was adopted sees `docker kill -s HUP` too.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

using ForwardScope = BothModes;

bool has(const std::string& record, int signal) {
    return contains(read_recorded_signals(record), signal);
}

}  // namespace

TEST_P(ForwardScope, ChildReachesTheMainChildAlone) {
    Process vigil_process(vigil_testapp({"--forward-to", "child", "--drain", "200ms"},
                                        {"--record", dir_.file("child"), "--fork-recorder",
                                         dir_.file("grandchild"), "--ready", dir_.file("ready")}),
                          options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    ASSERT_TRUE(wait_for_file(dir_.file("grandchild"), 5s));
    pid_t app = only_child(vigil_process.pid());
    ASSERT_GT(app, 0);
    EXPECT_EQ(getsid(app), app) << "the child should have a session of its own";
    vigil_process.send_signal(SIGUSR1);
    ASSERT_TRUE(wait_until([&] { return has(dir_.file("child"), SIGUSR1); }, 5s));
    // The sentinel, straight to the grandchild: a group signal would have
    // reached it with the child's.
    std::vector<pid_t> grandchildren = child_pids(app);
    ASSERT_EQ(grandchildren.size(), 1u);
    kill(grandchildren[0], SIGUSR2);
    ASSERT_TRUE(wait_until([&] { return has(dir_.file("grandchild"), SIGUSR2); }, 5s));
    EXPECT_EQ(read_recorded_signals(dir_.file("grandchild")), std::vector<int>{SIGUSR2});
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
    // Drained by vigil natively; under qemu-user, with no subreaper, it goes
    // to init and would outlive the test (killed only if it is still ours).
    std::string command_line = read_file("/proc/" + std::to_string(grandchildren[0]) + "/cmdline");
    if (command_line.find(dir_.path()) != std::string::npos)
        kill(grandchildren[0], SIGKILL);
}

TEST_P(ForwardScope, AllReachesADetachedDaemonAndEveryOtherDescendantOnce) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION(
            "qemu-user rejects PR_SET_CHILD_SUBREAPER, so the daemon goes to init");
    Process vigil_process(
        vigil_testapp({"--forward-to", "all", "--drain", "200ms"},
                      {"--record", dir_.file("child"), "--fork-recorder", dir_.file("grandchild"),
                       "--daemon-recorder", dir_.file("daemon"), "--ready", dir_.file("ready")}),
        options());
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    ASSERT_TRUE(wait_for_file(dir_.file("grandchild"), 5s));
    ASSERT_TRUE(wait_for_file(dir_.file("daemon"), 5s));
    const std::vector<std::string> records{dir_.file("child"), dir_.file("grandchild"),
                                           dir_.file("daemon")};
    vigil_process.send_signal(SIGUSR1);
    vigil_process.send_signal(SIGUSR2);  // the sentinel, after USR1 everywhere
    for (const std::string& record : records)
        ASSERT_TRUE(wait_until([&] { return has(record, SIGUSR2); }, 5s)) << record;
    // Once each (a handler may be interrupted by the next signal, so the
    // order of two signals sent together is not the order they are recorded).
    for (const std::string& record : records) {
        std::vector<int> received = read_recorded_signals(record);
        EXPECT_EQ(count_of(received, SIGUSR1), 1u) << record;
        EXPECT_EQ(count_of(received, SIGUSR2), 1u) << record;
    }
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Modes, ForwardScope, both_modes(), mode_name);
