// vigil's own descriptors and outputs, whatever it is started with: a stderr
// pipe nobody reads never stops the supervisor, closed standard descriptors
// are not taken by vigil's own, a vanished stdout reader does not change the
// probe's verdict, and PID 1 keeps no directory busy.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <string>
#include <vector>

#include "scripted_server.h"
#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

using StalledStderr = BothModes;

// Everything the pipe holds now.
std::string read_available(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t length; (length = read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<size_t>(length));
    return text;
}

}  // namespace

// The input: stderr a pipe nobody drains (a stalled log driver), -w,
// and a few thousand short-lived orphans. vigil used to block in write(2):
// zombies piled up and SIGTERM never reached the application.
TEST_P(StalledStderr, ReapingAndForwardingGoOnAndDroppedLinesAreCounted) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION("qemu-user rejects PR_SET_CHILD_SUBREAPER, so the orphans go to init");
    int pipe_fds[2];
    ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
    ProcessOptions options = this->options();
    options.capture_output = false;
    options.stderr_fd = pipe_fds[1];
    Process vigil_process(
        vigil_testapp({"-w", "-vv"}, {"--orphans", "3000", "--ready", dir_.file("ready"),
                                      "--record", dir_.file("record")}),
        options);
    close(pipe_fds[1]);
    ASSERT_TRUE(wait_for_file(dir_.file("ready"), 60s));
    EXPECT_TRUE(wait_until([&] { return count_zombie_descendants(vigil_process.pid()) == 0; }, 20s))
        << count_zombie_descendants(vigil_process.pid()) << " zombies left";

    // Writing works again: the next line says how many were dropped.
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    std::string before = read_available(pipe_fds[0]);
    EXPECT_GT(before.size(), 0u);
    EXPECT_EQ(before.back(), '\n') << "half a line was left in the pipe";
    vigil_process.send_signal(SIGUSR1);  // logged at -vv as it is forwarded
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir_.file("record")), SIGUSR1); }, 10s));
    ASSERT_TRUE(wait_until(
        [&] {
            return before.append(read_available(pipe_fds[0])).find("dropped log lines") !=
                   std::string::npos;
        },
        5s))
        << before.substr(before.size() > 500 ? before.size() - 500 : 0);
    EXPECT_NE(before.find("count="), std::string::npos);

    // Stall it again: SIGTERM still reaches the application, vigil exits.
    vigil_process.send_signal(SIGTERM);
    ExitResult result = vigil_process.wait(10s);
    ASSERT_TRUE(result.exited) << "vigil hung";
    EXPECT_EQ(result.exit_code, 0);
    close(pipe_fds[0]);
}

INSTANTIATE_TEST_SUITE_P(Modes, StalledStderr, both_modes(), mode_name);

// Started with 0 and 2 closed, vigil's signalfd took 0 and the watchdog's
// socket 2, and a log line written while a probe was in flight went into the
// watchdog's request.
TEST(StandardDescriptors, ClosedOnesAreHeldSoLogLinesNeverReachASocket) {
    ServerScript silent;
    silent.hang = true;  // reads the request, then keeps the connection open
    ScriptedServer server("127.0.0.1", silent);
    ASSERT_TRUE(server.listening());
    TempDir dir;
    std::vector<std::string> command =
        vigil_testapp({"-vv", "--watchdog", server.url(), "--watchdog-interval", "100ms",
                       "--watchdog-timeout", "5s"},
                      {"--record", dir.file("record"), "--ready", dir.file("ready")});
    command.insert(command.begin(), {"/bin/sh", "-c", "exec \"$@\" <&- 2>&-", "sh"});
    Process vigil_process(command);
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    ASSERT_TRUE(wait_until([&] { return server.connections() == 1; }, 5s));
    vigil_process.send_signal(SIGUSR1);  // logged at -vv while the probe waits
    ASSERT_TRUE(wait_until(
        [&] { return contains(read_recorded_signals(dir.file("record")), SIGUSR1); }, 5s));
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
    std::vector<std::string> requests = server.requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests[0].rfind("GET /healthz HTTP/1.1\r\n", 0), 0u) << requests[0];
    EXPECT_EQ(requests[0].find("vigil:"), std::string::npos) << requests[0];
}

// The probe's statuses are 0 and 1: a reader that went away means no line
// printed, not death by SIGPIPE (141).
TEST(StandardDescriptors, ProbeKeepsItsVerdictWhenStdoutHasNoReader) {
    ServerScript script;
    script.reply = http_reply(200);
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    int pipe_fds[2];
    ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
    close(pipe_fds[0]);
    ProcessOptions options;
    options.stdout_fd = pipe_fds[1];
    RunOutput output = run({vigil_binary(), "probe", server.url()}, 20s, options);
    close(pipe_fds[1]);
    EXPECT_EQ(output.result.signal, 0) << "killed by signal " << output.result.signal;
    EXPECT_EQ(output.result.exit_code, 0);
}

// PID 1 must not keep a volume busy: vigil moves to / once the child runs;
// the child keeps the directory it was started in.
TEST(StandardDescriptors, VigilLeavesItsWorkingDirectoryTheChildKeepsIt) {
    TempDir dir;
    char here[PATH_MAX];
    ASSERT_NE(getcwd(here, sizeof here), nullptr);
    Process vigil_process(vigil_testapp({}, {"--ready", dir.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    pid_t app = only_child(vigil_process.pid());
    ASSERT_GT(app, 0);
    auto cwd_of = [](pid_t pid) {
        char target[PATH_MAX] = {};
        std::string link = "/proc/" + std::to_string(pid) + "/cwd";
        ssize_t length = readlink(link.c_str(), target, sizeof target - 1);
        return length > 0 ? std::string(target, static_cast<size_t>(length)) : std::string();
    };
    EXPECT_EQ(cwd_of(vigil_process.pid()), "/");
    EXPECT_EQ(cwd_of(app), here);
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}
