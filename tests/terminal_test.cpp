// vigil with a terminal on stdin, as under `docker run -it`: the child's
// session owns the terminal, so Ctrl-C and Ctrl-Z go to the application's
// foreground job and never to vigil, and shells get job control.
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

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

// A pseudo-terminal pair; the test types into the master side.
class Terminal {
  public:
    Terminal() {
        master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master_ < 0 || grantpt(master_) < 0 || unlockpt(master_) < 0)
            return;
        slave_ = open(ptsname(master_), O_RDWR | O_NOCTTY | O_CLOEXEC);
    }
    ~Terminal() {
        close(slave_);
        close(master_);
    }
    bool ok() const { return master_ >= 0 && slave_ >= 0; }
    int slave() const { return slave_; }
    void close_slave() {
        close(slave_);
        slave_ = -1;
    }

    void type(const std::string& keys) {
        ASSERT_EQ(write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
    }

    // Reads what the terminal shows until `text` appears or `timeout` passes.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (screen_.find(text, searched_from_) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return false;
            pollfd ready{master_, POLLIN, 0};
            if (poll(&ready, 1, static_cast<int>(left.count())) <= 0)
                continue;
            char buffer[1024];
            ssize_t length = read(master_, buffer, sizeof buffer);
            if (length <= 0)
                return false;
            screen_.append(buffer, static_cast<size_t>(length));
        }
        searched_from_ = screen_.find(text, searched_from_) + text.size();
        return true;
    }
    const std::string& screen() const { return screen_; }

  private:
    int master_ = -1;
    int slave_ = -1;
    std::string screen_;
    size_t searched_from_ = 0;
};

ProcessOptions on_terminal(const Terminal& terminal, bool pid_namespace) {
    ProcessOptions options;
    options.stdin_fd = terminal.slave();
    options.new_session = true;
    options.output_to_stdin = true;
    options.capture_output = false;
    options.pid_namespace = pid_namespace;
    return options;
}

bool contains(const std::vector<int>& signals, int signal) {
    return std::find(signals.begin(), signals.end(), signal) != signals.end();
}

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
    terminal_.type("\x03");
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGINT); }, 5s));
    usleep(200 * 1000);
    EXPECT_EQ(read_recorded_signals(dir_.file("record")), std::vector<int>{SIGINT});
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
    terminal_.type("\x1a");
    usleep(300 * 1000);
    EXPECT_NE(proc_state(app), 'T') << "the application was left stopped";
    EXPECT_NE(proc_state(vigil_process.pid()), 'T') << "vigil was stopped";
    terminal_.type("\x03");
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
    terminal_.type("echo READY-$((40+2))\n");
    ASSERT_TRUE(terminal_.wait_for_output("READY-42", 10s)) << terminal_.screen();
    terminal_.type("sleep 30\n");
    usleep(300 * 1000);
    terminal_.type("\x1a");
    ASSERT_TRUE(terminal_.wait_for_output("Stopped", 5s)) << terminal_.screen();
    terminal_.type("fg\n");
    ASSERT_TRUE(terminal_.wait_for_output("sleep 30", 5s)) << terminal_.screen();
    usleep(300 * 1000);
    terminal_.type("\x03");
    terminal_.type("echo AFTER-$((1+2)) status=$?\n");
    ASSERT_TRUE(terminal_.wait_for_output("AFTER-3 status=130", 5s)) << terminal_.screen();
    EXPECT_EQ(terminal_.screen().find("no job control"), std::string::npos) << terminal_.screen();
    terminal_.type("exit 7\n");
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
    terminal.type("echo READY-$((40+2))\n");
    ASSERT_TRUE(terminal.wait_for_output("READY-42", 10s)) << terminal.screen();
    terminal.type(vigil_binary() + " -- " + testapp_binary() + " --ready " + dir.file("ready") +
                  "\n");
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    terminal.type("\x1a");
    ASSERT_TRUE(terminal.wait_for_output("Stopped", 5s)) << terminal.screen();
    terminal.type("fg\n");
    usleep(300 * 1000);
    terminal.type("\x03");
    terminal.type("echo AFTER status=$?\n");
    ASSERT_TRUE(terminal.wait_for_output("AFTER status=130", 5s)) << terminal.screen();
    terminal.type("exit 0\n");
    EXPECT_EQ(shell.wait(10s).exit_code, 0);
}
