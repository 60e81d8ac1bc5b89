// vigil as Docker's own init, engine-wide (README, "Docker's and Podman's own
// init"): a second dockerd, started by each test with --init-path pointing at
// the vigil under test, runs `docker run --init` containers with vigil as
// their PID 1. `docker info` shows vigil's version with no warning in that
// daemon's log; the application's exit status comes back, `docker stop`
// reaches it at once, orphans are reaped, and an image that already has vigil
// as its ENTRYPOINT still works under it. The daemon cannot pull: the image
// (FROM scratch: the test application and vigil) is built in it.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "docker.h"
#include "images.h"
#include "private_dockerd.h"
#include "process_harness.h"

using namespace vigil_e2e;
using vigil_test::read_recorded_signals;
using vigil_test::wait_for_file;
using vigil_test::wait_until;

namespace {

class InitPath : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why_not;
        if (!vigil_test::is_root())
            why_not = "a second dockerd needs root";
        else if (std::string problem = static_binary_problem(vigil_); !problem.empty())
            why_not = problem;
        else if (image_testapp().empty())
            why_not = "no test application for " + vigil_;
        else if (docker_at("", {"--version"}, 30s).result.exit_code != 0)
            why_not = "the docker CLI is not installed (Debian: apt-get install docker.io)";
        if (!why_not.empty()) {
            if (vigil_test::in_ci())
                FAIL() << why_not << "; CI=true forbids skipping";
            GTEST_SKIP() << why_not;
        }
        daemon_ = std::make_unique<PrivateDockerd>(std::vector<std::string>{"--init-path", vigil_});
        ASSERT_EQ(daemon_->problem(), "");

        vigil_test::TempDir context;
        std::filesystem::copy_file(image_testapp(), context.file("app"));
        std::filesystem::copy_file(vigil_, context.file("vigil"));
        std::ofstream(context.file("Dockerfile")) << "FROM scratch\n"
                                                     "COPY app /app\n"
                                                     "COPY vigil /vigil\n"
                                                     "CMD [\"/app\"]\n";
        ASSERT_EQ(daemon_->build(image_, context.path()), "");
    }

    void TearDown() override {
        if (HasFailure() && daemon_) {
            std::string log = daemon_->log();
            std::fprintf(stderr, "the test's dockerd logged:\n%s\n",
                         log.substr(log.size() > 6000 ? log.size() - 6000 : 0).c_str());
        }
        daemon_.reset();  // the daemon, its containers, mounts and directory
    }

    // `docker run --init` in the test's daemon, with the state directory at
    // /state; DETACHED returns at once, otherwise when the container has exited.
    RunOutput run(const std::string& name, const std::vector<std::string>& options,
                  const std::vector<std::string>& command, bool detached = false) {
        std::vector<std::string> args = run_arguments(name);
        args.insert(args.end(), {"--init", "-v", state_.path() + ":/state"});
        if (detached)
            args.push_back("-d");
        args.insert(args.end(), options.begin(), options.end());
        args.push_back(image_);
        args.insert(args.end(), command.begin(), command.end());
        RunOutput output = daemon_->docker(args);
        last_command_ = describe(args, output);
        return output;
    }

    std::string inspect(const std::string& object, const std::string& format) {
        RunOutput output = daemon_->docker({"inspect", "-f", format, object}, 30s);
        return output.result.exit_code == 0 ? trim(output.out) : "";
    }

    const std::string vigil_ = static_vigil_binary();
    const std::string image_ = "vigil-e2e-init:test";
    std::unique_ptr<PrivateDockerd> daemon_;
    vigil_test::TempDir state_;
    std::string last_command_;
};

}  // namespace

// dockerd runs its init with --version for `docker info` and expects tini's
// "NAME version - git.COMMIT"; anything else it logs as a warning on every
// `docker info` ("failed to parse /usr/bin/vigil version: unknown output
// format").
TEST_F(InitPath, DockerInfoShowsVigilsVersionAndTheDaemonLogsNoWarning) {
    RunOutput version = vigil_test::run({vigil_, "--version"}, 30s);
    ASSERT_EQ(version.result.exit_code, 0);
    size_t commit = version.out.find(" - git.");
    ASSERT_NE(commit, std::string::npos) << version.out;
    std::string expected = trim(version.out.substr(commit + 7));

    RunOutput info =
        daemon_->docker({"info", "--format", "{{.InitBinary}} {{.InitCommit.ID}}"}, 60s);
    ASSERT_EQ(info.result.exit_code, 0) << info.err;
    EXPECT_EQ(trim(info.out), vigil_ + " " + expected);
    // dockerd's warning names the init by its path: "failed to parse PATH
    // version: unknown output format: ..." or "failed to retrieve PATH version".
    std::istringstream log(daemon_->log());
    for (std::string line; std::getline(log, line);) {
        bool warning = line.find("level=warning") != std::string::npos ||
                       line.find("level=error") != std::string::npos;
        EXPECT_FALSE(warning && line.find(vigil_) != std::string::npos)
            << "the daemon warned about its init: " << line;
    }
}

TEST_F(InitPath, DockerRunInitReturnsTheApplicationsStatusWithVigilAsPid1) {
    for (int code : {0, 3}) {
        std::string name = "vigil-e2e-init-exit-" + std::to_string(code);
        // VIGIL_VERBOSITY: the engine passes vigil no flags, only the environment.
        RunOutput output =
            run(name, {"-e", "VIGIL_VERBOSITY=1"}, {"/app", "--exit", std::to_string(code)});
        EXPECT_EQ(output.result.exit_code, code) << last_command_;
        RunOutput logs = daemon_->docker({"logs", name}, 30s);
        EXPECT_NE(logs.err.find("vigil: started child"), std::string::npos)
            << "vigil is not the container's init: " << logs.out << logs.err;
    }
    RunOutput killed = run("vigil-e2e-init-killed", {}, {"/app", "--kill-self", "10"});
    EXPECT_EQ(killed.result.exit_code, 128 + SIGUSR1) << last_command_;
}

TEST_F(InitPath, DockerStopReachesTheApplicationThroughVigil) {
    // The application takes 300 ms after SIGTERM. Without an init that
    // forwards it, docker stop would wait out its 30 s.
    std::string name = "vigil-e2e-init-stop";
    RunOutput started = run(
        name, {},
        {"/app", "--term-delay", "300", "--record", "/state/signals", "--ready", "/state/ready"},
        true);
    ASSERT_EQ(started.result.exit_code, 0) << last_command_;
    ASSERT_TRUE(wait_for_file(state_.file("ready"), 30s)) << "the application never started";
    RunOutput stopped = daemon_->docker({"stop", "-t", "30", name}, 60s);
    EXPECT_EQ(stopped.result.exit_code, 0) << stopped.err;
    EXPECT_GE(stopped.result.elapsed.count(), 300);
    EXPECT_LT(stopped.result.elapsed.count(), 5000) << "docker stop waited for its timeout";
    EXPECT_EQ(inspect(name, "{{.State.ExitCode}}"), "0");
    EXPECT_EQ(read_recorded_signals(state_.file("signals")), std::vector<int>{SIGTERM});
}

TEST_F(InitPath, ReapsABurstOfOrphansAsTheInit) {
    // 200 orphans that are zombies when vigil adopts them, 100 that live a
    // second as its children and then exit.
    std::string name = "vigil-e2e-init-orphans";
    RunOutput started = run(name, {},
                            {"/app", "--orphans", "200", "--orphan-life", "1000", "--orphans",
                             "100", "--ready", "/state/ready"},
                            true);
    ASSERT_EQ(started.result.exit_code, 0) << last_command_;
    ASSERT_TRUE(wait_for_file(state_.file("ready"), 30s)) << "the application never started";
    pid_t init = static_cast<pid_t>(std::atol(inspect(name, "{{.State.Pid}}").c_str()));
    ASSERT_GT(init, 0);
    EXPECT_TRUE(wait_until(
        [&] {
            return vigil_test::count_zombie_descendants(init) == 0 &&
                   vigil_test::child_pids(init).size() == 1;
        },
        20s))
        << vigil_test::count_zombie_descendants(init) << " zombies, "
        << vigil_test::child_pids(init).size() << " children of the init";
    EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");
}

// With vigil as the image's ENTRYPOINT, --init is not needed; given anyway,
// the engine's vigil is PID 1 and the image's runs under it, and the status
// still comes back.
TEST_F(InitPath, AnImageWithVigilAsItsEntrypointStillWorksUnderIt) {
    RunOutput output =
        run("vigil-e2e-init-twice", {"--entrypoint", "/vigil"}, {"--", "/app", "--exit", "5"});
    EXPECT_EQ(output.result.exit_code, 5) << last_command_;
    RunOutput killed = run("vigil-e2e-init-twice-killed", {"--entrypoint", "/vigil"},
                           {"--", "/app", "--kill-self", "15"});
    EXPECT_EQ(killed.result.exit_code, 128 + SIGTERM) << last_command_;
}
