// vigil with a terminal on stdin, as under `docker run -it`: the child's
// session owns the terminal, so Ctrl-C and Ctrl-Z go to the application's
// foreground job and never to vigil, and shells get job control.
#include "terminal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "process_harness.h"
#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

class TerminalSession : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        if (GetParam())
            REQUIRE_ROOT();
        ASSERT_TRUE(terminal_.ok());
    }
    Terminal terminal_;
    TempDir dir_;
};

}  // namespace

// Ctrl-C reaches the application's group from the terminal; vigil gets
// nothing (with INT rewritten to USR1, a SIGINT to vigil would show as USR1).
TEST_P(TerminalSession, CtrlCInterruptsTheApplicationNotVigil) {
    SKIP_UNDER_EMULATION(
        "job control through the terminal does not reach the emulated program as it does natively");
    Process vigil_process({vigil_binary(), "-r", "INT:USR1", "--", testapp_binary(), "--record",
                           dir_.file("record"), "--ready", dir_.file("ready")},
                          on_terminal(terminal_, GetParam()));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    ASSERT_TRUE(terminal_.type("\x03"));
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGINT); }, 5s));
    // The sentinel: had vigil got the SIGINT too, it would have forwarded it
    // as USR1 before this USR2.
    vigil_process.send_signal(SIGUSR2);
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGUSR2); }, 5s));
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), (std::vector<int>{SIGINT, SIGUSR2}));
    EXPECT_TRUE(vigil_process.running());
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

// Ctrl-Z cannot strand an application that has no shell to resume it: its
// session is its own, so the kernel does not stop it; Ctrl-C then ends it.
TEST_P(TerminalSession, CtrlZLeavesNothingStoppedAndCtrlCEndsTheApplication) {
    Process vigil_process({vigil_binary(), "--", testapp_binary(), "--pid-file", dir_.file("pid"),
                           "--ready", dir_.file("ready")},
                          on_terminal(terminal_, GetParam()));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    pid_t app = static_cast<pid_t>(std::atol(read_file(dir_.file("pid")).c_str()));
    if (GetParam()) {
        // The app's PID file holds its PID inside the namespace; find it from outside.
        std::vector<pid_t> children = child_pids(vigil_process.pid());
        ASSERT_EQ(children.size(), 1u);
        app = children[0];
    }
    ASSERT_TRUE(terminal_.type("\x1a"));
    usleep(300 * 1000);
    EXPECT_NE(proc_state(app), 'T') << "the application was left stopped";
    EXPECT_NE(proc_state(vigil_process.pid()), 'T') << "vigil was stopped";
    ASSERT_TRUE(terminal_.type("\x03"));
    ExitResult result = vigil_process.wait(10s);
    ASSERT_TRUE(result.exited);
    EXPECT_EQ(result.exit_code, 128 + SIGINT);
}

// An interactive shell under vigil has job control: Ctrl-Z stops the
// foreground job, fg resumes it, Ctrl-C interrupts it, and the shell and
// vigil carry on.
TEST_P(TerminalSession, InteractiveShellHasJobControl) {
    SKIP_UNDER_EMULATION(
        "job control through the terminal does not reach the emulated program as it does natively");
    if (access("/bin/bash", X_OK) != 0)
        GTEST_SKIP() << "needs /bin/bash";
    Process vigil_process({vigil_binary(), "--", "/bin/bash", "--norc", "--noprofile", "-i"},
                          on_terminal(terminal_, GetParam()));
    ASSERT_TRUE(terminal_.type("echo READY-$((40+2))\n"));
    ASSERT_TRUE(terminal_.wait_for_output("READY-42", 10s)) << terminal_.screen();
    ASSERT_TRUE(terminal_.type("sleep 30\n"));
    usleep(300 * 1000);
    ASSERT_TRUE(terminal_.type("\x1a"));
    ASSERT_TRUE(terminal_.wait_for_output("Stopped", 5s)) << terminal_.screen();
    ASSERT_TRUE(terminal_.type("fg\n"));
    ASSERT_TRUE(terminal_.wait_for_output("sleep 30", 5s)) << terminal_.screen();
    usleep(300 * 1000);
    ASSERT_TRUE(terminal_.type("\x03"));
    ASSERT_TRUE(terminal_.type("echo AFTER-$((1+2)) status=$?\n"));
    ASSERT_TRUE(terminal_.wait_for_output("AFTER-3 status=130", 5s)) << terminal_.screen();
    EXPECT_EQ(terminal_.screen().find("no job control"), std::string::npos) << terminal_.screen();
    ASSERT_TRUE(terminal_.type("exit 7\n"));
    ExitResult result = vigil_process.wait(10s);
    ASSERT_TRUE(result.exited);
    EXPECT_EQ(result.exit_code, 7);
}

INSTANTIATE_TEST_SUITE_P(Modes, TerminalSession, ::testing::Values(true, false),
                         [](const auto& test) { return test.param ? "AsPid1" : "AsProcess"; });

// vigil run as a job of an interactive shell (not a session leader): the
// application becomes the terminal's foreground group; Ctrl-Z stops the job
// as a whole (vigil too, so the shell sees it), and fg resumes both.
TEST(TerminalJob, VigilStartedFromAnInteractiveShellSupportsCtrlZAndFg) {
    SKIP_UNDER_EMULATION(
        "job control through the terminal does not reach the emulated program as it does natively");
    if (access("/bin/bash", X_OK) != 0)
        GTEST_SKIP() << "needs /bin/bash";
    Terminal terminal;
    ASSERT_TRUE(terminal.ok());
    TempDir dir;
    Process shell({"/bin/bash", "--norc", "--noprofile", "-i"}, on_terminal(terminal, false));
    ASSERT_TRUE(terminal.type("echo READY-$((40+2))\n"));
    ASSERT_TRUE(terminal.wait_for_output("READY-42", 10s)) << terminal.screen();
    ASSERT_TRUE(terminal.type(vigil_binary() + " -- " + testapp_binary() + " --ready " +
                              dir.file("ready") + "\n"));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    ASSERT_TRUE(terminal.type("\x1a"));
    ASSERT_TRUE(terminal.wait_for_output("Stopped", 5s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("fg\n"));
    usleep(300 * 1000);
    ASSERT_TRUE(terminal.type("\x03"));
    ASSERT_TRUE(terminal.type("echo AFTER status=$?\n"));
    ASSERT_TRUE(terminal.wait_for_output("AFTER status=130", 5s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("exit 0\n"));
    EXPECT_EQ(shell.wait(10s).exit_code, 0);
}

// A vigil started in the background (`vigil -- app &` in an interactive
// shell) used to hand the terminal's foreground to its child, and the shell
// exited at its next read. The terminal stays the shell's; the application
// runs in a group of its own, in the background like vigil.
TEST(TerminalJob, BackgroundedVigilLeavesTheTerminalToItsShell) {
    if (access("/bin/bash", X_OK) != 0)
        GTEST_SKIP() << "needs /bin/bash";
    Terminal terminal;
    ASSERT_TRUE(terminal.ok());
    TempDir dir;
    Process shell({"/bin/bash", "--norc", "--noprofile", "-i"}, on_terminal(terminal, false));
    ASSERT_TRUE(terminal.type("echo READY-$((40+2))\n"));
    ASSERT_TRUE(terminal.wait_for_output("READY-42", 10s)) << terminal.screen();
    ASSERT_TRUE(terminal.type(vigil_binary() + " -- " + testapp_binary() + " --ready " +
                              dir.file("ready") + " &\n"));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    ASSERT_TRUE(terminal.type("echo ALIVE-$((1+1))\n"));
    ASSERT_TRUE(terminal.wait_for_output("ALIVE-2", 5s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("kill %1; wait; echo DONE-$?\n"));
    ASSERT_TRUE(terminal.wait_for_output("DONE-0", 10s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("exit 0\n"));
    EXPECT_EQ(shell.wait(10s).exit_code, 0);
}

// Under Docker's own init (`docker run -it --init`: tini as PID 1, which put
// vigil in a process group of its own and gave it the terminal), nothing
// resumes a stopped job. vigil used to stop itself on Ctrl-Z, waiting for a
// shell's SIGCONT that never came; Ctrl-C then did nothing. It resumes the
// application instead, and Ctrl-C ends the container with 130.
TEST(TerminalUnderInit, CtrlZIsUndoneAndCtrlCEndsTheApplication) {
    SKIP_UNDER_EMULATION(
        "job control through the terminal does not reach the emulated program as it does "
        "natively");
    REQUIRE_ROOT();
    const char* tini = "/usr/bin/tini-static";
    if (access(tini, X_OK) != 0) {
        if (in_ci())
            FAIL() << "needs tini-static (Debian's tini package); CI=true forbids skipping";
        GTEST_SKIP() << "needs tini-static (Debian's tini package)";
    }
    Terminal terminal;
    ASSERT_TRUE(terminal.ok());
    TempDir dir;
    Process init(
        {tini, "--", vigil_binary(), "-v", "--", testapp_binary(), "--ready", dir.file("ready")},
        on_terminal(terminal, true));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    pid_t vigil_pid = only_child(init.pid());
    ASSERT_GT(vigil_pid, 0);
    pid_t app = only_child(vigil_pid);
    ASSERT_GT(app, 0);
    ASSERT_TRUE(terminal.type("\x1a"));
    ASSERT_TRUE(terminal.wait_for_output("resuming it", 5s)) << terminal.screen();
    EXPECT_TRUE(wait_until([&] { return proc_state(app) != 'T'; }, 2s))
        << "the application was left stopped";
    EXPECT_NE(proc_state(vigil_pid), 'T') << "vigil stopped itself";
    ASSERT_TRUE(terminal.type("\x03"));
    ExitResult result = init.wait(10s);
    ASSERT_TRUE(result.exited) << "Ctrl-C did not end the container";
    EXPECT_EQ(result.exit_code, 128 + SIGINT);
}

// With -c the application shares vigil's process group, so Ctrl-C from the
// terminal reaches it from the kernel; vigil used to forward it again, a
// second SIGINT that many applications read as "quit now".
TEST_P(TerminalSession, CtrlCReachesASingleChildOnce) {
    Process vigil_process({vigil_binary(), "-c", "--", testapp_binary(), "--record",
                           dir_.file("record"), "--ready", dir_.file("ready")},
                          on_terminal(terminal_, GetParam()));
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 5s));
    ASSERT_TRUE(terminal_.type("\x03"));
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGINT); }, 5s));
    vigil_process.send_signal(SIGUSR1);  // the sentinel: a second SIGINT would come before it
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGUSR1); }, 5s));
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), (std::vector<int>{SIGINT, SIGUSR1}));
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}
