// vigil as the init of real Docker containers: exit status, docker stop,
// --grace, docker kill, orphan reaping, hardened runs and drain. Each test runs
// the static test application under vigil in a FROM-scratch image, with a host
// directory mounted at /state where the application leaves its ready file,
// the signals it received and its markers.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "docker.h"
#include "images.h"
#include "process_harness.h"
#include "terminal.h"

using namespace vigil_e2e;
using vigil_test::read_file;
using vigil_test::read_recorded_signals;
using vigil_test::wait_for_file;
using vigil_test::wait_until;

namespace {

class ContainerInit : public DockerTest {
  protected:
    void SetUp() override {
        DockerTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        REQUIRE_SHARED_DIRECTORIES();
        const TestImages& images = test_images();
        ASSERT_EQ(images.error, "") << "building the test images failed";
        image_ = images.app;
    }

    // `docker run` with the state directory at /state; DETACHED returns at
    // once, otherwise when the container has exited.
    RunOutput run(const std::string& name, std::vector<std::string> options,
                  const std::vector<std::string>& command, bool detached,
                  const std::string& image = "") {
        std::vector<std::string> args = run_arguments(name);
        if (detached)
            args.push_back("-d");
        args.push_back("-v");
        args.push_back(state_.path() + ":/state");
        args.insert(args.end(), options.begin(), options.end());
        args.push_back(image.empty() ? image_ : image);
        args.insert(args.end(), command.begin(), command.end());
        RunOutput output = docker(args);
        last_command_ = describe(args, output);
        return output;
    }

    // Starts a container and waits for the application's ready file.
    void start(const std::string& name, const std::vector<std::string>& options,
               std::vector<std::string> command, const std::string& image = "") {
        command.push_back("--ready");
        command.push_back("/state/ready");
        RunOutput output = run(name, options, command, true, image);
        ASSERT_EQ(output.result.exit_code, 0) << last_command_;
        ASSERT_TRUE(wait_for_file(state_.file("ready"), 20s))
            << "the application never became ready: " << last_command_;
    }

    // `docker stop -t 30`: how long it took.
    std::chrono::milliseconds stop(const std::string& name) {
        RunOutput output = docker({"stop", "-t", "30", name}, 60s);
        EXPECT_EQ(output.result.exit_code, 0) << describe({"stop", name}, output);
        std::printf("docker stop -t 30 took %lld ms\n",
                    static_cast<long long>(output.result.elapsed.count()));
        return output.result.elapsed;
    }

    int exit_code(const std::string& name) {
        std::string code = inspect(name, "{{.State.ExitCode}}");
        return code.empty() ? -1 : std::stoi(code);
    }

    // vigil's PID on the host (the container's PID 1), read from /proc. The
    // engine runs on this machine, so its containers' processes are visible.
    pid_t host_pid(const std::string& name) {
        std::string pid = inspect(name, "{{.State.Pid}}");
        return pid.empty() ? -1 : static_cast<pid_t>(std::stol(pid));
    }

    std::string image_;
    std::string last_command_;
    vigil_test::TempDir state_;
};

// The only child vigil has left once its orphans are reaped: the application.
bool only_the_application_left(pid_t vigil) {
    return vigil_test::count_zombie_descendants(vigil) == 0 &&
           vigil_test::child_pids(vigil).size() == 1;
}

}  // namespace

TEST_F(ContainerInit, DockerRunReturnsTheApplicationsExitStatus) {
    for (int code : {0, 3, 42}) {
        std::string name = resources_.container_name("exit");
        RunOutput output = run(name, {}, {"/app", "--exit", std::to_string(code)}, false);
        EXPECT_TRUE(output.result.exited) << last_command_;
        EXPECT_EQ(output.result.exit_code, code) << last_command_;
        EXPECT_EQ(exit_code(name), code);
    }
}

TEST_F(ContainerInit, DockerRunReturns128PlusNWhenSignalNKillsTheApplication) {
    // Signals whose default action ends the process without a core dump.
    for (int signal : {SIGUSR1, SIGKILL, SIGTERM}) {
        std::string name = resources_.container_name("killed");
        RunOutput output = run(name, {}, {"/app", "--kill-self", std::to_string(signal)}, false);
        EXPECT_EQ(output.result.exit_code, 128 + signal) << last_command_;
        EXPECT_EQ(exit_code(name), 128 + signal);
    }
}

TEST_F(ContainerInit, DockerStopReturnsPromptlyWhenTheApplicationHandlesSigterm) {
    // The application exits 300 ms after SIGTERM; docker stop must return
    // right after that, not after its 30 s timeout (nor Docker's default 10 s).
    std::string name = resources_.container_name("stop");
    ASSERT_NO_FATAL_FAILURE(
        start(name, {}, {"/app", "--term-delay", "300", "--record", "/state/signals"}));
    std::chrono::milliseconds took = stop(name);
    EXPECT_GE(took.count(), 300);
    EXPECT_LT(took.count(), 300 + 700) << "docker stop waited long after the application exited";
    EXPECT_EQ(exit_code(name), 0);
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), std::vector<int>{SIGTERM});
}

TEST_F(ContainerInit, GraceKillsAnApplicationThatIgnoresSigtermAfterTwoSeconds) {
    std::string name = resources_.container_name("grace");
    ASSERT_NO_FATAL_FAILURE(
        start(name, {"--entrypoint", "/vigil"}, {"--grace", "2s", "--", "/app", "--ignore-term"}));
    std::chrono::milliseconds took = stop(name);
    EXPECT_GE(took.count(), 1900);
    EXPECT_LT(took.count(), 3500) << "vigil, not docker stop -t 30, should have ended it";
    EXPECT_EQ(exit_code(name), 137);
}

TEST_F(ContainerInit, DockerKillDeliversUsr1HupAndUsr2ToTheApplication) {
    std::string name = resources_.container_name("kill");
    ASSERT_NO_FATAL_FAILURE(start(name, {}, {"/app", "--record", "/state/signals"}));
    std::vector<int> expected;
    for (auto [spelled, number] :
         {std::pair{"USR1", SIGUSR1}, {"HUP", SIGHUP}, {"USR2", SIGUSR2}}) {
        RunOutput output = docker({"kill", "-s", spelled, name}, 30s);
        ASSERT_EQ(output.result.exit_code, 0) << describe({"kill", "-s", spelled, name}, output);
        expected.push_back(number);
        // One at a time, so that the order is part of what is checked.
        EXPECT_TRUE(wait_until(
            [&] { return read_recorded_signals(state_.file("signals")).size() >= expected.size(); },
            10s))
            << spelled << " did not reach the application";
    }
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), expected);
    EXPECT_EQ(docker({"kill", "-s", "TERM", name}, 30s).result.exit_code, 0);
    EXPECT_TRUE(wait_until([&] { return inspect(name, "{{.State.Running}}") == "false"; }, 10s));
    EXPECT_EQ(exit_code(name), 0);
}

TEST_F(ContainerInit, ReapsABurstOfOrphansLeavingNoZombies) {
    // 200 orphans that are already zombies when vigil adopts them, then 100
    // that live a second as vigil's children and then exit.
    std::string name = resources_.container_name("orphans");
    ASSERT_NO_FATAL_FAILURE(
        start(name, {}, {"/app", "--orphans", "200", "--orphan-life", "1000", "--orphans", "100"}));
    pid_t vigil = host_pid(name);
    ASSERT_GT(vigil, 0);
    ASSERT_TRUE(vigil_test::proc_state(vigil) != '?')
        << "cannot see the container's processes in this machine's /proc";
    EXPECT_GT(vigil_test::child_pids(vigil).size(), 1u)
        << "the living orphans should have become vigil's children";
    EXPECT_TRUE(wait_until([&] { return only_the_application_left(vigil); }, 10s))
        << vigil_test::count_zombie_descendants(vigil) << " zombies, "
        << vigil_test::child_pids(vigil).size() << " children of vigil";
    EXPECT_EQ(vigil_test::count_zombie_descendants(vigil), 0);
    EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");
}

TEST_F(ContainerInit, WorksUnchangedInAHardenedContainer) {
    // A non-root USER in the image, and every restriction Docker offers.
    vigil_test::TempDir context;
    {
        std::ofstream dockerfile(context.file("Dockerfile"));
        dockerfile << "FROM " << image_ << "\nUSER 10001:10001\n";
    }
    std::string hardened = unique_name("hardened") + ":test";
    ASSERT_EQ(resources_.build({hardened, context.path(), "", {}}), "");
    // clang-format off
    const std::vector<std::string> restrictions{
        "--read-only",
        "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges",
        "--pids-limit", "64",
        "--memory", "32m",
    };
    // clang-format on

    std::string name = resources_.container_name("hardened");
    ASSERT_NO_FATAL_FAILURE(
        start(name, restrictions,
              {"/app", "--orphan-life", "300", "--orphans", "20", "--record", "/state/signals"},
              hardened));
    EXPECT_EQ(inspect(name,
                      "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.PidsLimit}} "
                      "{{.HostConfig.Memory}} {{.HostConfig.CapDrop}}"),
              "true 64 33554432 [ALL]");
    pid_t vigil = host_pid(name);
    ASSERT_GT(vigil, 0);
    EXPECT_EQ(vigil_test::proc_status_field(vigil, "Uid"), 10001);
    EXPECT_EQ(vigil_test::proc_status_field(vigil, "NoNewPrivs"), 1);
    EXPECT_EQ(vigil_test::proc_status_field(vigil, "CapEff"), 0);  // all zero digits
    EXPECT_TRUE(wait_until([&] { return only_the_application_left(vigil); }, 10s))
        << vigil_test::count_zombie_descendants(vigil) << " zombies";

    ASSERT_EQ(docker({"kill", "-s", "USR1", name}, 30s).result.exit_code, 0);
    EXPECT_TRUE(
        wait_until([&] { return !read_recorded_signals(state_.file("signals")).empty(); }, 10s));
    std::chrono::milliseconds took = stop(name);
    EXPECT_LT(took.count(), 1500);
    EXPECT_EQ(exit_code(name), 0);
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), (std::vector<int>{SIGUSR1, SIGTERM}));

    std::string exits = resources_.container_name("hardened-exit");
    RunOutput output = run(exits, restrictions, {"/app", "--exit", "3"}, false, hardened);
    EXPECT_EQ(output.result.exit_code, 3) << last_command_;
}

TEST_F(ContainerInit, DrainLetsASlowHelperFinishWhenTheApplicationExits) {
    // The helper needs 500 ms after SIGTERM to flush; the application exits on
    // its own after 300 ms. Without drain, the kernel would kill the helper
    // the moment PID 1 exits, and the marker would never be written.
    std::string name = resources_.container_name("drain");
    RunOutput output = run(name, {},
                           {"/app", "--marker", "/state/helper-done", "--daemon-term-delay", "500",
                            "--sleep", "300", "--exit", "0"},
                           false);
    EXPECT_EQ(output.result.exit_code, 0) << last_command_;
    EXPECT_EQ(read_file(state_.file("helper-done")), "done\n");
}

TEST_F(ContainerInit, DrainLetsASlowHelperFinishOnDockerStop) {
    // docker stop: the application exits at once, the helper takes 500 ms.
    std::string name = resources_.container_name("drain-stop");
    ASSERT_NO_FATAL_FAILURE(start(name, {},
                                  {"/app", "--marker", "/state/helper-done", "--daemon-term-delay",
                                   "500", "--marker", "/state/app-done", "--term-delay", "0"}));
    std::chrono::milliseconds took = stop(name);
    EXPECT_GE(took.count(), 500);
    EXPECT_LT(took.count(), 500 + 1000);
    EXPECT_EQ(exit_code(name), 0);
    EXPECT_EQ(read_file(state_.file("app-done")), "done\n");
    EXPECT_EQ(read_file(state_.file("helper-done")), "done\n");
}

TEST_F(ContainerInit, WatchdogHasDockerRestartAnApplicationThatTurnsUnhealthy) {
    // Nothing outside the container acts: vigil's watchdog stops the
    // application with status 124 and Docker's restart policy does the rest.
    std::string name = resources_.container_name("watchdog");
    ASSERT_NO_FATAL_FAILURE(
        start(name, {"--restart", "on-failure", "--entrypoint", "/vigil"},
              {"--watchdog", "http://localhost:8080/healthz", "--watchdog-interval", "200ms",
               "--watchdog-failures", "2", "--", "/app", "--serve", "8080", "--unhealthy-file",
               "/state/unhealthy"}));
    auto restarts = [&] { return inspect(name, "{{.RestartCount}}"); };
    std::this_thread::sleep_for(1s);  // healthy probes: no restart
    EXPECT_EQ(restarts(), "0");

    std::ofstream(state_.file("unhealthy")) << "1\n";
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (restarts() == "0" && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(200ms);
    EXPECT_NE(restarts(), "0") << "Docker never restarted the container";
    RunOutput logs = docker({"logs", name}, 30s);
    EXPECT_NE(logs.err.find("watchdog: the application failed its health check; stopping it"),
              std::string::npos)
        << logs.err;

    // Healthy again: the restarted application stays up.
    std::remove(state_.file("unhealthy").c_str());
    std::this_thread::sleep_for(1500ms);
    std::string settled = restarts();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(restarts(), settled);
    EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");
}

// nginx and php-fpm images stop with STOPSIGNAL SIGQUIT. Told so through the
// environment (as an image would set it), vigil counts SIGQUIT as the
// termination request: its --grace kills an application that never finishes
// its SIGQUIT shutdown after 2 s, where it used to be left to docker stop's
// own SIGKILL (8 s here).
TEST_F(ContainerInit, StopSignalQuitStartsTheGracePeriod) {
    vigil_test::TempDir context;
    std::ofstream(context.file("Dockerfile"))
        << "FROM " << image_ << "\nSTOPSIGNAL SIGQUIT\nENV VIGIL_STOP_SIGNAL=SIGQUIT\n";
    std::string quitting = unique_name("stopsignal") + ":test";
    ASSERT_EQ(resources_.build({quitting, context.path(), "", {}}), "");
    std::string name = resources_.container_name("stopsignal");
    ASSERT_NO_FATAL_FAILURE(start(name, {"--entrypoint", "/vigil"},
                                  {"--grace", "2s", "--", "/app", "--record", "/state/signals"},
                                  quitting));
    RunOutput output = docker({"stop", "-t", "8", name}, 60s);
    EXPECT_EQ(output.result.exit_code, 0) << describe({"stop", name}, output);
    EXPECT_GE(output.result.elapsed.count(), 1900);
    EXPECT_LT(output.result.elapsed.count(), 5000) << "vigil's grace, not docker's -t 8, ended it";
    EXPECT_EQ(exit_code(name), 137);
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), std::vector<int>{SIGQUIT});
}

// A stalled log pipe: vigil's stderr is a FIFO nobody reads (what a log
// driver that stopped reading looks like from inside). With -w and three
// thousand orphans vigil used to block in write(2): zombies piled up and
// docker stop's SIGTERM never reached the application.
TEST_F(ContainerInit, AStalledLogPipeStopsNeitherReapingNorForwarding) {
    std::string fifo = state_.file("stderr.fifo");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0666), 0);
    std::string name = resources_.container_name("stalled-log");
    ASSERT_NO_FATAL_FAILURE(start(name, {"--entrypoint", "/app"},
                                  {"--exec-stderr-to", "/state/stderr.fifo", "/vigil", "-w", "--",
                                   "/app", "--orphans", "3000", "--record", "/state/signals"}));
    pid_t vigil = host_pid(name);
    ASSERT_GT(vigil, 0);
    EXPECT_TRUE(wait_until([&] { return only_the_application_left(vigil); }, 20s))
        << vigil_test::count_zombie_descendants(vigil) << " zombies";
    std::chrono::milliseconds took = stop(name);
    EXPECT_LT(took.count(), 3000) << "docker stop had to kill vigil";
    EXPECT_EQ(exit_code(name), 0);
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), std::vector<int>{SIGTERM});
}

// Docker's own init in front of vigil on a terminal (`docker run -it
// --init`): tini is PID 1 and gives vigil the terminal in a group of its
// own, like a shell would, but never resumes a stopped job. Ctrl-Z used to
// leave the application and vigil stopped for good, and Ctrl-C did nothing;
// vigil now resumes the application, and Ctrl-C ends the container with 130.
TEST_F(ContainerInit, CtrlZUnderDockersInitIsUndoneAndCtrlCEndsTheContainer) {
    SKIP_UNDER_EMULATION(
        "terminal job control does not reach the emulated program as it does natively");
    vigil_test::Terminal terminal;
    ASSERT_TRUE(terminal.ok());
    std::string name = resources_.container_name("init-tty");
    std::vector<std::string> args = run_arguments(name);
    args.insert(args.begin(), "/usr/bin/docker");
    args.insert(args.end(), {"-it", "--init", "-v", state_.path() + ":/state", "--entrypoint",
                             "/vigil", image_, "-v", "--", "/app", "--ready", "/state/ready"});
    vigil_test::Process client(args, vigil_test::on_terminal(terminal, false));
    ASSERT_TRUE(wait_for_file(state_.file("ready"), 20s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("\x1a"));
    ASSERT_TRUE(terminal.wait_for_output("resuming it", 10s)) << terminal.screen();
    ASSERT_TRUE(terminal.type("\x03"));
    vigil_test::ExitResult result = client.wait(20s);
    ASSERT_TRUE(result.exited) << "Ctrl-C did not end the container: " << terminal.screen();
    EXPECT_EQ(result.exit_code, 128 + SIGINT) << terminal.screen();
    EXPECT_EQ(exit_code(name), 128 + SIGINT);
}
