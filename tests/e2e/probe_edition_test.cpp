// The probe's second edition (issue 13) in a real Docker engine: a gRPC
// HEALTHCHECK against grpc-go's own health server in a FROM-scratch image,
// with the port taken from the container's environment by the probe's own
// ${NAME:-default} expansion (exec form: Docker expands nothing); --expect
// and --follow-redirects against the test application; and the watchdog
// stopping a gRPC application that turned NOT_SERVING, with status 124.
//
// The health server in a container has no stdin to take commands from, so it
// runs with -status-file /state/status, a file on a bind mount that it reads
// every 100 ms; the test application likewise reads /state/unhealthy and
// /state/body there. Each test flips its application by writing that file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "docker.h"
#include "grpc_servers.h"
#include "images.h"
#include "process_harness.h"

using namespace vigil_e2e;
using vigil_test::GrpcServerKind;

namespace {

// Writes a file on the bind mount whole: a new file renamed over the old, so
// that an application polling it from inside the container never reads half.
void replace_file(const std::string& path, const std::string& content) {
    std::string fresh = path + ".new";
    std::ofstream(fresh) << content;
    ASSERT_EQ(std::rename(fresh.c_str(), path.c_str()), 0) << "cannot rename " << fresh;
}

// The last health check of a container, for the messages of a failed test.
std::string last_output(const std::vector<HealthCheckRun>& log) {
    return log.empty() ? "(no health check ran)" : log.back().output;
}

class ProbeEdition : public DockerTest {
  protected:
    // An image FROM the suite's scratch image (/vigil, /app), with the static
    // grpc-go health server as /health_server when `with_grpc_server`, and
    // then the Dockerfile `lines`. "" when the image could not be built.
    std::string build_image(const std::string& what, bool with_grpc_server,
                            const std::string& lines) {
        const TestImages& images = test_images();
        EXPECT_EQ(images.error, "");
        if (!images.error.empty())
            return "";
        vigil_test::TempDir context;
        std::string dockerfile = "FROM " + images.app + "\n";
        if (with_grpc_server) {
            std::string server = vigil_test::grpc_go_server_binary();
            EXPECT_EQ(static_binary_problem(server), "");
            std::error_code error;
            std::filesystem::copy_file(server, context.file("health_server"), error);
            EXPECT_FALSE(error) << "cannot copy " << server << ": " << error.message();
            if (HasFailure())
                return "";
            dockerfile += "COPY health_server /health_server\n";
        }
        std::ofstream(context.file("Dockerfile")) << dockerfile << lines;
        std::string image = unique_name(what) + ":test";
        std::string problem = resources_.build({image, context.path(), "", {}});
        EXPECT_EQ(problem, "");
        return problem.empty() ? image : "";
    }

    // Starts `image` detached, with state_ bound at /state, then `options`
    // before the image and `command` after it. Returns the container's name.
    std::string start(const std::string& image, const std::vector<std::string>& options,
                      const std::vector<std::string>& command) {
        std::vector<std::string> state_and_options{"-v", state_.path() + ":/state"};
        state_and_options.insert(state_and_options.end(), options.begin(), options.end());
        return run_detached("probe-edition", state_and_options, image, command);
    }

    // Follows the container from starting to healthy; returns the health
    // check that made it so, or one with exit code -1 when it never got there
    // (the caller stops: the rest would only wait in vain).
    HealthCheckRun expect_healthy(const std::string& name) {
        EXPECT_EQ(health_status(name), "starting");
        std::vector<std::string> seen = wait_for_status(name, "healthy", 30s);
        EXPECT_EQ(seen, (std::vector<std::string>{"starting", "healthy"})) << joined(seen);
        if (seen.back() != "healthy")
            return {-1, "never healthy: " + last_output(health_log(name))};
        return checked_last_run(name, 0);
    }

    // After the test flipped the application: follows the container to
    // unhealthy, still running (a health check stops nothing).
    HealthCheckRun expect_unhealthy(const std::string& name) {
        std::vector<std::string> seen = wait_for_status(name, "unhealthy", 30s);
        EXPECT_EQ(seen.back(), "unhealthy") << joined(seen);
        EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");
        return checked_last_run(name, 1);
    }

    // The last health check: its exit code is `exit_code`, its output one line.
    HealthCheckRun checked_last_run(const std::string& name, int exit_code) {
        std::vector<HealthCheckRun> log = health_log(name);
        EXPECT_FALSE(log.empty());
        if (log.empty())
            return {};
        EXPECT_EQ(log.back().exit_code, exit_code) << last_output(log);
        EXPECT_TRUE(is_one_line(log.back().output)) << "probe output: " << last_output(log);
        return log.back();
    }

    // The gRPC image of the first two tests: the README's HEALTHCHECK line
    // with the port from the environment.
    std::string build_grpc_healthcheck_image() {
        std::string image = build_image(
            "grpc-health", true,
            "HEALTHCHECK --interval=1s --timeout=5s --retries=2 \\\n"
            "    CMD [\"/vigil\", \"probe\", \"grpc://localhost:${GRPC_PORT:-50051}\"]\n");
        // Docker keeps the variable as written; the probe expands it.
        if (!image.empty()) {
            EXPECT_EQ(inspect(image, "{{json .Config.Healthcheck.Test}}"),
                      R"(["CMD","/vigil","probe","grpc://localhost:${GRPC_PORT:-50051}"])");
        }
        return image;
    }

    // Runs the health server on `port` (with `options`, e.g. -e GRPC_PORT)
    // and follows the container to healthy, then, once the server turned
    // NOT_SERVING, to unhealthy, checking the probe's line each time.
    void expect_grpc_health_cycle(const std::string& image, int port,
                                  const std::vector<std::string>& options) {
        std::string address = "127.0.0.1:" + std::to_string(port);
        std::string name =
            start(image, options,
                  {"/health_server", "-listen", address, "-status-file", "/state/status"});
        ASSERT_FALSE(name.empty());
        HealthCheckRun healthy = expect_healthy(name);
        ASSERT_EQ(healthy.exit_code, 0) << healthy.output;
        EXPECT_EQ(healthy.output.rfind("healthy: gRPC SERVING from " + address + " in ", 0), 0u)
            << "probe output: " << healthy.output;

        replace_file(state_.file("status"), "- NOT_SERVING\n");
        HealthCheckRun unhealthy = expect_unhealthy(name);
        EXPECT_EQ(unhealthy.output.rfind("unhealthy: gRPC NOT_SERVING from " + address, 0), 0u)
            << "probe output: " << unhealthy.output;
    }

    // The HTTP image: --follow-redirects and --expect in one HEALTHCHECK,
    // asking /redirect, which the test application answers with a 302 to
    // /healthz; the port from the environment.
    std::string build_http_healthcheck_image() {
        return build_image(
            "expect-redirect", false,
            "HEALTHCHECK --interval=1s --timeout=5s --retries=2 \\\n"
            "    CMD [\"/vigil\", \"probe\", \"--follow-redirects\", \"--expect\", \"ok\", \\\n"
            "         \"http://localhost:${PORT:-8080}/redirect\"]\n");
    }

    // The test application on `port`, flipped by files in /state.
    std::vector<std::string> http_application(int port) {
        return {"/app",
                "--serve",
                std::to_string(port),
                "--unhealthy-file",
                "/state/unhealthy",
                "--body-file",
                "/state/body"};
    }

    vigil_test::TempDir state_;
};

}  // namespace

TEST_F(ProbeEdition, GrpcHealthcheckGoesHealthyThenUnhealthyOnNotServing) {
    REQUIRE_GRPC_SERVER(GrpcServerKind::go);
    std::string image = build_grpc_healthcheck_image();
    ASSERT_FALSE(image.empty());
    expect_grpc_health_cycle(image, 50051, {});
}

TEST_F(ProbeEdition, GrpcHealthcheckTakesItsPortFromTheContainersEnvironment) {
    REQUIRE_GRPC_SERVER(GrpcServerKind::go);
    std::string image = build_grpc_healthcheck_image();
    ASSERT_FALSE(image.empty());
    // Nothing listens on the default port: only the expansion finds the server.
    expect_grpc_health_cycle(image, 50052, {"-e", "GRPC_PORT=50052"});
}

TEST_F(ProbeEdition, ExpectGoesUnhealthyWhenTheBodyLacksTheText) {
    std::string image = build_http_healthcheck_image();
    ASSERT_FALSE(image.empty());
    std::string name = start(image, {}, http_application(8080));
    ASSERT_FALSE(name.empty());
    HealthCheckRun healthy = expect_healthy(name);
    ASSERT_EQ(healthy.exit_code, 0) << healthy.output;
    EXPECT_EQ(healthy.output.rfind("healthy: HTTP 200 from 127.0.0.1:8080 ", 0), 0u)
        << "probe output: " << healthy.output;
    EXPECT_NE(healthy.output.find("after 1 redirect"), std::string::npos)
        << "probe output: " << healthy.output;

    // Still 200, and still behind the redirect, but without "ok" in the body.
    replace_file(state_.file("body"), "degraded\n");
    HealthCheckRun unhealthy = expect_unhealthy(name);
    EXPECT_EQ(unhealthy.output.rfind("unhealthy: HTTP 200 from 127.0.0.1:8080", 0), 0u)
        << "probe output: " << unhealthy.output;
    EXPECT_NE(unhealthy.output.find("\"ok\" is not in its body"), std::string::npos)
        << "probe output: " << unhealthy.output;
}

TEST_F(ProbeEdition, FollowRedirectsJudgesTheStatusOfTheRedirectsTarget) {
    std::string image = build_http_healthcheck_image();
    ASSERT_FALSE(image.empty());
    std::string name = start(image, {"-e", "PORT=8081"}, http_application(8081));
    ASSERT_FALSE(name.empty());
    HealthCheckRun healthy = expect_healthy(name);
    ASSERT_EQ(healthy.exit_code, 0) << healthy.output;
    EXPECT_EQ(healthy.output.rfind("healthy: HTTP 200 from 127.0.0.1:8081 ", 0), 0u)
        << "probe output: " << healthy.output;

    // /redirect still answers 302; /healthz behind it now answers 503, which
    // decides (without --follow-redirects the 302 would count as healthy).
    std::ofstream(state_.file("unhealthy")) << "1\n";
    HealthCheckRun unhealthy = expect_unhealthy(name);
    EXPECT_EQ(unhealthy.output.rfind("unhealthy: HTTP 503 from 127.0.0.1:8081 ", 0), 0u)
        << "probe output: " << unhealthy.output;
    EXPECT_NE(unhealthy.output.find("after 1 redirect"), std::string::npos)
        << "probe output: " << unhealthy.output;
}

// The README's watchdog with a gRPC URL, the health server as the
// application. -v logs every probe, so the test knows the watchdog saw the
// server SERVING before it turns NOT_SERVING.
TEST_F(ProbeEdition, GrpcWatchdogStopsTheContainerWith124OnNotServing) {
    REQUIRE_GRPC_SERVER(GrpcServerKind::go);
    std::string image = build_image(
        "grpc-watchdog", true,
        "ENTRYPOINT [\"/vigil\", \"-v\", \"--watchdog\", \"grpc://localhost:50051\", \\\n"
        "            \"--watchdog-interval\", \"1s\", \"--watchdog-failures\", \"2\", \"--\"]\n"
        "CMD [\"/health_server\", \"-listen\", \"127.0.0.1:50051\", \"-status-file\", "
        "\"/state/status\"]\n");
    ASSERT_FALSE(image.empty());
    std::string name = start(image, {}, {});
    ASSERT_FALSE(name.empty());
    auto logs = [&] {
        RunOutput output = docker({"logs", name}, 30s);
        return output.out + output.err;
    };
    ASSERT_TRUE(vigil_test::wait_until(
        [&] { return logs().find("result=healthy") != std::string::npos; }, 30s))
        << "the watchdog never saw the server healthy:\n"
        << logs();
    EXPECT_EQ(inspect(name, "{{.State.Running}}"), "true");

    replace_file(state_.file("status"), "- NOT_SERVING\n");
    RunOutput waited = docker({"wait", name}, 30s);
    ASSERT_TRUE(waited.result.exited) << "the container still runs 30 s after NOT_SERVING";
    EXPECT_EQ(trim(waited.out), "124") << describe({"wait", name}, waited);
    EXPECT_EQ(inspect(name, "{{.State.ExitCode}}"), "124");

    std::string fired;
    std::istringstream lines(logs());
    for (std::string line; std::getline(lines, line);)
        if (line.find("watchdog: the application failed its health check") != std::string::npos)
            fired = line;
    EXPECT_NE(fired.find("unhealthy: gRPC NOT_SERVING from 127.0.0.1:50051"), std::string::npos)
        << "vigil's watchdog line: " << fired << "\nlogs:\n"
        << logs();
}
