#include "images.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "docker.h"

namespace vigil_e2e {

namespace {

// Owns the shared images; gtest calls TearDown once all tests have run, also
// after failures, so nothing is left in the engine.
class SharedImages : public ::testing::Environment {
  public:
    void TearDown() override { resources.remove_all(); }
    DockerResources resources;
};

SharedImages* const shared_images =
    static_cast<SharedImages*>(::testing::AddGlobalTestEnvironment(new SharedImages));

std::string write_file(const std::string& path, const std::string& content) {
    std::ofstream file(path);
    file << content;
    return file ? "" : "cannot write " + path;
}

std::string copy_executable(const std::string& from, const std::string& to) {
    std::error_code error;
    std::filesystem::copy_file(from, to, error);
    return error ? "cannot copy " + from + " to " + to + ": " + error.message() : "";
}

TestImages build_test_images() {
    TestImages images;
    std::string vigil = static_vigil_binary();
    if (std::string problem = static_binary_problem(vigil); !problem.empty()) {
        images.error = problem;
        return images;
    }
    DockerResources& resources = shared_images->resources;

    std::string architecture = vigil_architecture();
    std::string testapp = image_testapp();
    if (architecture.empty() || testapp.empty()) {
        images.error = "no test application for " + vigil + " (" +
                       (architecture.empty() ? "not an amd64 or arm64 binary"
                                             : "the " + architecture +
                                                   " one is built with Debian's cross compiler") +
                       ")";
        return images;
    }

    // The vigil image, from packaging/Dockerfile; its context is a directory
    // that holds the binary under test as the dist build names it, and
    // nothing else. BuildKit sets TARGETARCH; the legacy builder is told.
    vigil_test::TempDir package_context;
    images.error = copy_executable(
        vigil,
        package_context.file("vigil-" + std::string(project_version) + "-linux-" + architecture));
    if (!images.error.empty())
        return images;
    images.package = unique_name("vigil") + ":" + project_version;
    std::map<std::string, std::string> arguments{{"VERSION", project_version}};
    if (foreign_platform().empty())
        arguments["TARGETARCH"] = architecture;
    images.error = resources.build({images.package, package_context.path(),
                                    source_dir() + "/packaging/Dockerfile", arguments});
    if (!images.error.empty())
        return images;

    vigil_test::TempDir app_context;
    images.error = copy_executable(testapp, app_context.file("app"));
    if (images.error.empty())
        images.error = write_file(app_context.file("Dockerfile"),
                                  "FROM scratch\n"
                                  "COPY --from=" +
                                      images.package +
                                      " /vigil /vigil\n"
                                      "COPY app /app\n"
                                      "ENTRYPOINT [\"/vigil\", \"--\"]\n"
                                      "CMD [\"/app\"]\n");
    if (!images.error.empty())
        return images;
    images.app = unique_name("app") + ":test";
    images.error = resources.build({images.app, app_context.path(), "", {}});
    return images;
}

}  // namespace

const TestImages& test_images() {
    static const TestImages images = build_test_images();
    return images;
}

}  // namespace vigil_e2e
