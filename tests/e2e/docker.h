// The end-to-end suite's handle on a real Docker engine: runs the `docker`
// CLI with timeouts, names what the tests create uniquely, and removes every
// container and image a test made, also when the test failed.
//
// Every container runs with `--network none`: the machines have no registry
// and no network, and a health check needs only the container's own loopback.
// Images are built FROM scratch or from base images made locally.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "process_harness.h"

namespace vigil_e2e {

using namespace std::chrono_literals;
using vigil_test::RunOutput;

// Label on everything the suite creates, so that a person can find leftovers
// of a killed run: docker ps -a --filter label=vigil-e2e
inline constexpr const char* resource_label = "vigil-e2e=1";

// Runs `docker ARGS...`; on timeout the CLI is killed (result.exited false).
RunOutput docker(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 120s);

// The same against the engine at HOST (docker -H HOST; "" for the default).
RunOutput docker_at(const std::string& host, const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = 120s);

// `docker build OPTIONS...` at HOST ("" for the default engine): with the
// legacy builder, or for foreign_platform() with --platform and BuildKit.
RunOutput build_image(const std::string& host, const std::vector<std::string>& options,
                      std::chrono::milliseconds timeout = 600s);

// The first docker CLI on PATH that builds with BuildKit: one with the buildx
// plugin, or one older than 23.0, which has BuildKit built in (Debian 12's
// docker.io, 20.10); "" when there is none. Docker 23 and later build with
// BuildKit only through buildx and refuse DOCKER_BUILDKIT=1 without it.
const std::string& buildkit_cli();

// One line saying what a docker command did, for failure messages.
std::string describe(const std::vector<std::string>& args, const RunOutput& output);

// Why the engine cannot be used ("" when `docker info` answers). Asked once.
const std::string& engine_problem();

// Skips the test without an engine, except under CI=true, where it fails.
#define REQUIRE_DOCKER()                                                                    \
    do {                                                                                    \
        const std::string& problem = ::vigil_e2e::engine_problem();                         \
        if (!problem.empty()) {                                                             \
            if (::vigil_test::in_ci())                                                      \
                FAIL() << "no Docker engine (" << problem << "); CI=true forbids skipping"; \
            GTEST_SKIP() << "no Docker engine: " << problem;                                \
        }                                                                                   \
    } while (0)

// Why the engine cannot see this machine's files ("" when it can), asked
// once. The tests mount temporary directories of their own into containers
// (-v /tmp/vigil-test-XXXXXX:/state); an engine elsewhere (another machine, or
// the host's engine reached through a socket mounted into the container the
// tests run in) does not have them. Empty also when the engine is unusable.
const std::string& shared_directory_problem();

// For tests that mount a directory into a container: skips (under CI=true
// fails) at once when the engine cannot see it.
#define REQUIRE_SHARED_DIRECTORIES()                                          \
    do {                                                                      \
        const std::string& problem = ::vigil_e2e::shared_directory_problem(); \
        if (!problem.empty()) {                                               \
            if (::vigil_test::in_ci())                                        \
                FAIL() << problem << "; CI=true forbids skipping";            \
            GTEST_SKIP() << problem;                                          \
        }                                                                     \
    } while (0)

// "vigil-e2e-WHAT-" plus eight random hex digits.
std::string unique_name(const std::string& what);

// The static vigil the images hold: $VIGIL_BINARY when set (CI points it at
// the release binary), else the release-preset build the e2e CMake makes.
std::string static_vigil_binary();
// Why `path` cannot go into a FROM-scratch image ("" when it is a static ELF).
std::string static_binary_problem(const std::string& path);

// The architecture of the vigil under test as Docker names it ("amd64",
// "arm64"; "" when its file is not an ELF file for either).
const std::string& vigil_architecture();
// The platform the images are built for and run on when it is not this
// machine's ("linux/arm64" for an arm64 vigil here), else "". Such images are
// built with BuildKit (the legacy builder ignores --platform for FROM
// scratch), run with --platform, and run under qemu-user through binfmt_misc.
const std::string& foreign_platform();
// The static test application for vigil_architecture(), or "" when it was not
// built (the other architecture's needs Debian's cross compiler).
std::string image_testapp();

// The repository (Dockerfile.example, packaging/, the build context).
std::string source_dir();

struct BuildRequest {
    std::string tag;
    std::string context;     // directory sent to the engine
    std::string dockerfile;  // path; empty: CONTEXT/Dockerfile
    std::map<std::string, std::string> build_args;
};

// Containers and images one owner (a test, a suite) created. The destructor
// removes them all: `docker rm -f` the containers, then the images, then the
// intermediate images a multi-stage build leaves behind untagged.
class DockerResources {
  public:
    DockerResources() = default;
    ~DockerResources();
    DockerResources(const DockerResources&) = delete;
    DockerResources& operator=(const DockerResources&) = delete;

    // A unique container name, removed on destruction.
    std::string container_name(const std::string& what);
    // Builds an image (labelled) and owns it and its intermediate images:
    // with the legacy builder, or with BuildKit for foreign_platform().
    // Returns "" or what went wrong.
    std::string build(const BuildRequest& request);
    // Owns an image something else created.
    void adopt_image(const std::string& tag) { images_.push_back(tag); }

    const std::vector<std::string>& containers() const { return containers_; }
    // `docker logs` and the state of each container, for a failed test.
    std::string diagnostics() const;
    void remove_all();

  private:
    std::vector<std::string> containers_;
    std::vector<std::string> images_;
    std::vector<std::string> intermediate_images_;
};

// `docker inspect -f FORMAT OBJECT`, trimmed; "" when it fails.
std::string inspect(const std::string& object, const std::string& format);

// One run of a container's HEALTHCHECK: its exit code and its output.
struct HealthCheckRun {
    int exit_code = -1;
    std::string output;
};

// .State.Health.Log, oldest first (Docker keeps the last five).
std::vector<HealthCheckRun> health_log(const std::string& container);
// .State.Health.Status: "starting", "healthy" or "unhealthy"; "" without one.
std::string health_status(const std::string& container);
// Polls the health status (each look is a docker CLI call, so not too often)
// until it is `wanted`; returns the distinct statuses seen on the way.
std::vector<std::string> wait_for_status(const std::string& container, const std::string& wanted,
                                         std::chrono::milliseconds timeout);
// "starting -> healthy": statuses for a failure message.
std::string joined(const std::vector<std::string>& words);
// One line of output: text, at most a final newline, nothing after it.
bool is_one_line(const std::string& output);

// The files (not directories) in an image's layers, sorted, from docker save:
// e.g. {"usr/local/bin/vigil", "vigil"}. On failure, one entry saying why.
std::vector<std::string> image_files(const std::string& image);

// `docker run` arguments every test container gets: no network, the label,
// and the platform when it is foreign.
std::vector<std::string> run_arguments(const std::string& name);

// A test against the engine: skips (or under CI fails) without one, removes
// what it created in TearDown, and prints the containers' logs on failure.
class DockerTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // `docker run -d` of `image`, `options` before it and `command` after it,
    // in a container named after `what` that TearDown removes. Returns the
    // container's name, or "" (with a failure recorded) when it did not start.
    std::string run_detached(const std::string& what, const std::vector<std::string>& options,
                             const std::string& image, const std::vector<std::string>& command);

    DockerResources resources_;
};

// Removes surrounding whitespace.
std::string trim(const std::string& text);

}  // namespace vigil_e2e
