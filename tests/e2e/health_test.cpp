// Docker HEALTHCHECK with `vigil probe` in FROM-scratch images: the status
// goes from starting to healthy, then to unhealthy once the application
// answers 503, and the health log holds the probe's one-line message. Run on
// the suite's own scratch image and on the image Dockerfile.example builds.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "docker.h"
#include "images.h"
#include "process_harness.h"

using namespace vigil_e2e;

namespace {

// The base image Dockerfile.example's build stage is given: made once per
// machine by tests/e2e/make-base-image.sh and kept (no registry to pull from).
constexpr const char* build_base_image = "vigil-build-base:bookworm-clang";

class HealthCheck : public DockerTest {
  protected:
    void SetUp() override {
        DockerTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        REQUIRE_SHARED_DIRECTORIES();
    }

    // Starts IMAGE (with OPTIONS and COMMAND) and follows its health from
    // starting to healthy, makes the application answer 503, and follows it
    // to unhealthy, checking the probe's message in the health log each time.
    void expect_health_cycle(const std::string& image, const std::vector<std::string>& options,
                             const std::vector<std::string>& command) {
        std::vector<std::string> state_and_options{"-v", state_.path() + ":/state"};
        state_and_options.insert(state_and_options.end(), options.begin(), options.end());
        std::string name = run_detached("health", state_and_options, image, command);
        ASSERT_FALSE(name.empty());

        EXPECT_EQ(health_status(name), "starting");
        std::vector<std::string> seen = wait_for_status(name, "healthy", 20s);
        ASSERT_EQ(seen.back(), "healthy") << joined(seen);
        EXPECT_EQ(seen, (std::vector<std::string>{"starting", "healthy"})) << joined(seen);
        std::vector<HealthCheckRun> log = health_log(name);
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.back().exit_code, 0);
        EXPECT_TRUE(is_one_line(log.back().output)) << "probe output: " << log.back().output;
        EXPECT_EQ(log.back().output.rfind("healthy: HTTP 200", 0), 0u)
            << "probe output: " << log.back().output;

        // The test application answers 503 while this file exists.
        std::ofstream(state_.file("unhealthy")) << "1\n";
        seen = wait_for_status(name, "unhealthy", 20s);
        ASSERT_EQ(seen.back(), "unhealthy") << joined(seen);
        log = health_log(name);
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.back().exit_code, 1);
        EXPECT_TRUE(is_one_line(log.back().output)) << "probe output: " << log.back().output;
        EXPECT_NE(log.back().output.find("503"), std::string::npos)
            << "probe output: " << log.back().output;
        EXPECT_NE(log.back().output.rfind("healthy", 0), 0u)
            << "probe output: " << log.back().output;
        EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");
    }

    vigil_test::TempDir state_;
};

}  // namespace

TEST_F(HealthCheck, ProbeInScratchImageGoesFromStartingToHealthyToUnhealthy) {
    const TestImages& images = test_images();
    ASSERT_EQ(images.error, "");
    vigil_test::TempDir context;
    {
        std::ofstream dockerfile(context.file("Dockerfile"));
        dockerfile << "FROM " << images.app << "\n"
                   << "HEALTHCHECK --interval=1s --timeout=5s --retries=2 \\\n"
                   << "    CMD [\"/vigil\", \"probe\", \"http://localhost:8080/healthz\"]\n"
                   << "CMD [\"/app\", \"--serve\", \"8080\", \"--unhealthy-file\", "
                      "\"/state/unhealthy\"]\n";
    }
    std::string image = unique_name("health") + ":test";
    ASSERT_EQ(resources_.build({image, context.path(), "", {}}), "");
    expect_health_cycle(image, {}, {});
}

TEST_F(HealthCheck, DockerfileExampleBuildsAScratchImageThatPassesTheHealthCheck) {
    // Not a kernel feature qemu-user lacks, but time: for arm64 the build
    // stage would be an arm64 Debian (debootstrap's second stage under qemu)
    // compiling vigil under qemu, minutes that CI does not spend.
    SKIP_UNDER_EMULATION(
        "building Dockerfile.example for another architecture would compile vigil in an "
        "emulated Debian build stage (made with debootstrap under qemu-user): minutes, not run "
        "here; the native run builds it");
    // The build stage's base image: made locally, once per machine, which
    // takes root (debootstrap).
    if (inspect(build_base_image, "{{.Id}}").empty() && !vigil_test::is_root()) {
        if (vigil_test::in_ci())
            FAIL() << "making " << build_base_image << " needs root; CI=true forbids skipping";
        GTEST_SKIP() << build_base_image << " is missing and making it needs root (debootstrap)";
    }
    std::string script = source_dir() + "/tests/e2e/make-base-image.sh";
    RunOutput base = vigil_test::run({"/bin/bash", script, build_base_image}, 900s);
    ASSERT_EQ(base.result.exit_code, 0) << script << ":\n" << base.out << base.err;

    // The file exactly as users copy it, with the repository as context.
    std::string image = unique_name("example") + ":test";
    ASSERT_EQ(resources_.build({image,
                                source_dir(),
                                source_dir() + "/Dockerfile.example",
                                {{"BUILD_IMAGE", build_base_image}}}),
              "");

    // Only vigil and the application, not root, vigil as the entrypoint.
    EXPECT_EQ(image_files(image), (std::vector<std::string>{"app", "vigil"}));
    EXPECT_EQ(inspect(image, "{{.Config.User}}"), "10001:10001");
    EXPECT_EQ(inspect(image, "{{json .Config.Entrypoint}}"), R"(["/vigil","--grace","6s","--"])");
    EXPECT_EQ(inspect(image, "{{json .Config.Healthcheck.Test}}"),
              R"(["CMD","/vigil","probe","http://localhost:8080/healthz"])");
    std::string version_name = resources_.container_name("example-version");
    std::vector<std::string> version_args = run_arguments(version_name);
    version_args.insert(version_args.end(), {"--entrypoint", "/vigil", image, "--version"});
    RunOutput version = docker(version_args);
    EXPECT_EQ(version.out.rfind(std::string("vigil ") + project_version, 0), 0u)
        << describe(version_args, version);

    // Through the health cycle, with the image's own HEALTHCHECK command at a
    // one-second interval.
    expect_health_cycle(image, {"--health-interval", "1s", "--health-retries", "2"},
                        {"/app", "--serve", "8080", "--unhealthy-file", "/state/unhealthy"});
}

// Every HEALTHCHECK line the README shows, exactly as written, against an
// application that accepts connections and never answers: the health log
// must hold vigil's own reason, not Docker's "Health check exceeded timeout"
// (Docker's timer starts before the probe does, so a probe whose deadline is
// the orchestrator's own loses). Only the interval is shortened, with
// --health-interval, so the first check comes after a second, not after ten
// or thirty: it decides when the check runs, not what it reports.
TEST_F(HealthCheck, TheReadmesHealthcheckLinesReportTheProbesOwnTimeout) {
    const TestImages& images = test_images();
    ASSERT_EQ(images.error, "");
    std::vector<std::string> lines;
    std::ifstream readme(source_dir() + "/README.md");
    for (std::string line; std::getline(readme, line);)
        if (line.rfind("HEALTHCHECK ", 0) == 0 &&
            line.find("\"/vigil\", \"probe\"") != std::string::npos)
            lines.push_back(line);
    ASSERT_GE(lines.size(), 2u) << "no HEALTHCHECK lines found in README.md";

    std::vector<std::pair<std::string, std::string>> containers;  // name, line
    for (const std::string& line : lines) {
        vigil_test::TempDir context;
        std::ofstream(context.file("Dockerfile"))
            << "FROM " << images.app << "\n"
            << line << "\n"
            << "CMD [\"/app\", \"--serve\", \"8080\", \"--silent\"]\n";
        std::string image = unique_name("readme-health") + ":test";
        ASSERT_EQ(resources_.build({image, context.path(), "", {}}), "") << line;
        std::string name = resources_.container_name("readme-health");
        std::vector<std::string> args = run_arguments(name);
        args.insert(args.end(), {"-d", "--health-interval", "1s", image});
        // A gRPC line's port gets the same silent server.
        if (line.find("grpc://localhost:50051") != std::string::npos)
            args.insert(args.end(), {"/app", "--serve", "50051", "--silent"});
        RunOutput started = docker(args);
        ASSERT_EQ(started.result.exit_code, 0) << describe(args, started);
        containers.push_back({name, line});
    }
    for (const auto& [name, line] : containers) {
        const std::string& container = name;  // clang 14 cannot capture a binding
        ASSERT_TRUE(vigil_test::wait_until([&] { return !health_log(container).empty(); }, 60s))
            << "no health check ran for: " << line;
        HealthCheckRun run = health_log(name).front();
        EXPECT_EQ(run.exit_code, 1) << line << "\n" << run.output;
        EXPECT_TRUE(is_one_line(run.output)) << run.output;
        EXPECT_EQ(run.output.rfind("unhealthy: timed out after ", 0), 0u)
            << line << "\nthe health log says: " << run.output;
    }
}
