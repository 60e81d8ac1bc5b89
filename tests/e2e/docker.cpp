#include "docker.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <thread>

namespace vigil_e2e {

namespace {

// The docker CLI by absolute path (the harness execs without a PATH search).
std::vector<std::string> docker_clis();
std::string docker_cli() {
    static const std::string path = [] {
        std::vector<std::string> found = docker_clis();
        return found.empty() ? std::string() : found.front();
    }();
    return path;
}

// Every `docker` on PATH, in order.
std::vector<std::string> docker_clis() {
    std::vector<std::string> found;
    const char* search = std::getenv("PATH");
    std::istringstream directories(search ? search : "/usr/local/bin:/usr/bin:/bin");
    std::string directory;
    while (std::getline(directories, directory, ':')) {
        std::string candidate = (directory.empty() ? "." : directory) + "/docker";
        if (access(candidate.c_str(), X_OK) == 0)
            found.push_back(candidate);
    }
    return found;
}

// e_machine of an ELF file, or 0.
unsigned elf_machine(const std::string& path) {
    std::string header = vigil_test::read_file(path).substr(0, sizeof(Elf64_Ehdr));
    if (header.size() < sizeof(Elf64_Ehdr) || header.compare(0, SELFMAG, ELFMAG) != 0)
        return 0;
    Elf64_Ehdr elf;
    std::memcpy(&elf, header.data(), sizeof elf);
    return elf.e_machine;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

std::string first_line(const std::string& text) {
    std::string trimmed = trim(text);
    return trimmed.substr(0, trimmed.find('\n'));
}

// The IDs of the images a legacy build committed: each step prints one
// (" ---> 0123456789ab"). Not ours: the image a FROM step names, and an ID
// after " ---> Using cache", which existed before.
std::vector<std::string> committed_images(const std::string& build_output) {
    std::vector<std::string> images;
    std::istringstream lines(build_output);
    std::string line;
    bool existed = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (starts_with(line, "Step ")) {
            existed = line.find(" : FROM ") != std::string::npos;
            continue;
        }
        if (!starts_with(line, " ---> "))
            continue;
        std::string rest = line.substr(6);
        if (rest == "Using cache") {
            existed = true;
            continue;
        }
        bool is_id =
            rest.size() == 12 && rest.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (is_id && !existed)
            images.push_back(rest);
        if (is_id)
            existed = false;
    }
    return images;
}

// Decodes the JSON string literal Go's `json` template function prints.
std::string decode_json_string(const std::string& literal) {
    std::string text;
    for (size_t i = 1; i + 1 < literal.size(); ++i) {
        char c = literal[i];
        if (c != '\\') {
            text += c;
            continue;
        }
        char escaped = literal[++i];
        switch (escaped) {
            case 'n':
                text += '\n';
                break;
            case 't':
                text += '\t';
                break;
            case 'r':
                text += '\r';
                break;
            case 'u': {
                unsigned code =
                    static_cast<unsigned>(std::stoul(literal.substr(i + 1, 4), nullptr, 16));
                i += 4;
                if (code < 0x80) {
                    text += static_cast<char>(code);
                } else if (code < 0x800) {
                    text += static_cast<char>(0xc0 | (code >> 6));
                    text += static_cast<char>(0x80 | (code & 0x3f));
                } else {
                    text += static_cast<char>(0xe0 | (code >> 12));
                    text += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
                    text += static_cast<char>(0x80 | (code & 0x3f));
                }
                break;
            }
            default:
                text += escaped;
                break;  // \" \\ \/
        }
    }
    return text;
}

}  // namespace

std::string trim(const std::string& text) {
    size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return "";
    size_t end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

RunOutput docker(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    return docker_at("", args, timeout);
}

RunOutput docker_at(const std::string& host, const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout) {
    std::vector<std::string> argv{docker_cli()};
    if (!host.empty())
        argv.insert(argv.end(), {"-H", host});
    argv.insert(argv.end(), args.begin(), args.end());
    vigil_test::ProcessOptions options;
    // The legacy builder, always: Debian's docker.io has no buildx, and its
    // output names the intermediate images a multi-stage build leaves.
    options.environment = {"DOCKER_BUILDKIT=0", "DOCKER_CLI_HINTS=false"};
    return vigil_test::run(argv, timeout, options);
}

std::string describe(const std::vector<std::string>& args, const RunOutput& output) {
    std::string text = "docker";
    for (const std::string& arg : args) text += " " + arg;
    if (!output.result.exited)
        return text + ": timed out after " + std::to_string(output.result.elapsed.count()) + " ms";
    text += ": status " + std::to_string(output.result.shell_status());
    if (!trim(output.err).empty())
        text += ", stderr: " + trim(output.err);
    return text;
}

const std::string& engine_problem() {
    static const std::string problem = []() -> std::string {
        if (docker_cli().empty())
            return "the docker CLI is not installed (Debian: apt-get install docker.io)";
        std::vector<std::string> args{"info", "--format", "{{.ServerVersion}}"};
        RunOutput info = docker(args, 30s);
        if (info.result.exited && info.result.exit_code == 0 && !trim(info.out).empty())
            return "";
        return "`docker info` failed: " + first_line(info.err.empty() ? info.out : info.err) +
               " (start one with: dockerd --bridge=none --iptables=false --ip6tables=false)";
    }();
    return problem;
}

const std::string& shared_directory_problem() {
    static const std::string problem = []() -> std::string {
        if (!engine_problem().empty())
            return "";
        // The engine checks a bind mount's source when it creates the
        // container, before it looks for the image: a directory it cannot
        // see is refused by name, one it can see gets as far as the image,
        // which does not exist (and is never pulled), so nothing is created.
        vigil_test::TempDir directory;
        std::string name = unique_name("shared-directory");
        std::vector<std::string> args{"create",
                                      "--pull",
                                      "never",
                                      "--network",
                                      "none",
                                      "--name",
                                      name,
                                      "--mount",
                                      "type=bind,source=" + directory.path() + ",target=/state",
                                      name + ":no-such-image"};
        RunOutput created = docker(args, 60s);
        if (created.result.exited && created.result.exit_code == 0)
            docker({"rm", "-f", name}, 60s);
        if (created.err.find("bind source path does not exist") == std::string::npos)
            return "";
        return "the Docker engine cannot see this machine's " + directory.path() +
               " (it runs elsewhere: on another machine, or it is the host's engine reached "
               "through a socket mounted into this container), so the tests that mount a "
               "directory into their containers cannot run";
    }();
    return problem;
}

namespace {

// Says once, before the first test, why the engine cannot be used.
class EngineCheck : public ::testing::Environment {
  public:
    void SetUp() override {
        const std::string& engine = engine_problem();
        const std::string& shared = shared_directory_problem();
        if (!engine.empty())
            std::fprintf(stderr, "e2e: no Docker engine: %s\n", engine.c_str());
        else if (!shared.empty())
            std::fprintf(stderr, "e2e: %s\n", shared.c_str());
    }
};

[[maybe_unused]] ::testing::Environment* const engine_check =
    ::testing::AddGlobalTestEnvironment(new EngineCheck);

}  // namespace

std::string unique_name(const std::string& what) {
    static std::mt19937_64 generator{std::random_device{}()};
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(generator() & 0xffffffffu));
    return "vigil-e2e-" + what + "-" + suffix;
}

std::string static_vigil_binary() {
    const char* from_environment = std::getenv("VIGIL_BINARY");
    if (from_environment && *from_environment)
        return from_environment;
    return VIGIL_STATIC_DEFAULT_BINARY;
}

std::string static_binary_problem(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return path + ": cannot open: " + std::strerror(errno);
    Elf64_Ehdr header{};
    std::string problem;
    if (pread(fd, &header, sizeof header, 0) != sizeof header ||
        std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64) {
        problem = path + ": not a 64-bit ELF file";
    }
    for (int i = 0; problem.empty() && i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        off_t offset =
            static_cast<off_t>(header.e_phoff) + i * static_cast<off_t>(header.e_phentsize);
        if (pread(fd, &segment, sizeof segment, offset) != sizeof segment)
            problem = path + ": truncated program header";
        else if (segment.p_type == PT_INTERP)
            problem = path +
                      ": dynamically linked, so it cannot run in a FROM-scratch image "
                      "(point VIGIL_BINARY at the static release build)";
    }
    close(fd);
    return problem;
}

const std::string& buildkit_cli() {
    static const std::string path = [] {
        for (const std::string& candidate : docker_clis()) {
            RunOutput buildx = vigil_test::run({candidate, "buildx", "version"}, 30s);
            if (buildx.result.exited && buildx.result.exit_code == 0)
                return candidate;
            RunOutput version =
                vigil_test::run({candidate, "version", "--format", "{{.Client.Version}}"}, 30s);
            int major = std::atoi(trim(version.out).c_str());
            if (major > 0 && major < 23)
                return candidate;
        }
        return std::string();
    }();
    return path;
}

const std::string& vigil_architecture() {
    static const std::string architecture = [] {
        switch (elf_machine(static_vigil_binary())) {
            case EM_X86_64:
                return std::string("amd64");
            case EM_AARCH64:
                return std::string("arm64");
            default:
                return std::string();
        }
    }();
    return architecture;
}

const std::string& foreign_platform() {
#if defined(__x86_64__)
    static const std::string native = "amd64";
#elif defined(__aarch64__)
    static const std::string native = "arm64";
#else
    static const std::string native = "";
#endif
    static const std::string platform =
        vigil_architecture().empty() || vigil_architecture() == native
            ? std::string()
            : "linux/" + vigil_architecture();
    return platform;
}

std::string image_testapp() {
    if (vigil_architecture() == "arm64")
        return TESTAPP_ARM64;
    if (vigil_architecture() == "amd64")
        return TESTAPP_AMD64;
    return "";
}

std::string source_dir() {
    return VIGIL_SOURCE_DIR;
}

DockerResources::~DockerResources() {
    remove_all();
}

std::string DockerResources::container_name(const std::string& what) {
    containers_.push_back(unique_name(what));
    return containers_.back();
}

RunOutput build_image(const std::string& host, const std::vector<std::string>& options,
                      std::chrono::milliseconds timeout) {
    std::vector<std::string> args{"build"};
    if (!foreign_platform().empty())
        args.insert(args.end(), {"--platform", foreign_platform()});
    args.insert(args.end(), options.begin(), options.end());
    if (foreign_platform().empty())
        return docker_at(host, args, timeout);
    // BuildKit keeps no intermediate images, only its cache.
    if (buildkit_cli().empty()) {
        RunOutput refused;
        refused.result.exited = true;
        refused.result.exit_code = 1;
        refused.err = "building images for " + foreign_platform() +
                      " needs BuildKit, and no docker CLI on PATH has it (Debian 12's docker.io "
                      "has it built in; Docker 23 and later need the buildx plugin)";
        return refused;
    }
    std::vector<std::string> argv{buildkit_cli()};
    if (!host.empty())
        argv.insert(argv.end(), {"-H", host});
    argv.insert(argv.end(), args.begin(), args.end());
    vigil_test::ProcessOptions process;
    process.environment = {"DOCKER_BUILDKIT=1", "DOCKER_CLI_HINTS=false"};
    return vigil_test::run(argv, timeout, process);
}

std::string DockerResources::build(const BuildRequest& request) {
    std::vector<std::string> args{"--force-rm", "--label", resource_label, "-t", request.tag};
    if (!request.dockerfile.empty()) {
        args.push_back("-f");
        args.push_back(request.dockerfile);
    }
    for (const auto& [name, value] : request.build_args) {
        args.push_back("--build-arg");
        args.push_back(name + "=" + value);
    }
    args.push_back(request.context);
    images_.push_back(request.tag);
    RunOutput output = build_image("", args, 600s);
    for (const std::string& image : committed_images(output.out))
        intermediate_images_.push_back(image);
    if (output.result.exited && output.result.exit_code == 0)
        return "";
    args.insert(args.begin(), "build");
    return describe(args, output) + "\n" + output.out;
}

std::string DockerResources::diagnostics() const {
    std::string text;
    for (const std::string& container : containers_) {
        std::string state = inspect(container, "{{json .State}}");
        if (state.empty())
            continue;
        RunOutput logs = docker({"logs", "--tail", "40", container}, 30s);
        text += "container " + container + ": " + state + "\n";
        if (!logs.out.empty() || !logs.err.empty())
            text += "  logs:\n" + logs.out + logs.err;
    }
    return text;
}

void DockerResources::remove_all() {
    if (!containers_.empty()) {
        std::vector<std::string> args{"rm", "-f", "-v"};
        args.insert(args.end(), containers_.begin(), containers_.end());
        docker(args, 60s);  // names never started are "no such container": fine
        containers_.clear();
    }
    // Tags first: that also removes each image's own untagged parents. What
    // is left of a multi-stage build's other stages goes after, newest first;
    // an image someone else now uses stays (rmi without -f refuses).
    if (!images_.empty()) {
        std::vector<std::string> args{"rmi"};
        args.insert(args.end(), images_.begin(), images_.end());
        docker(args, 120s);
    }
    for (auto image = intermediate_images_.rbegin(); image != intermediate_images_.rend();
         ++image) {
        // Only if still there and untagged: never an image someone named.
        if (inspect(*image, "{{len .RepoTags}}") == "0")
            docker({"rmi", *image}, 60s);
    }
    images_.clear();
    intermediate_images_.clear();
}

std::string inspect(const std::string& object, const std::string& format) {
    RunOutput output = docker({"inspect", "-f", format, object}, 30s);
    if (!output.result.exited || output.result.exit_code != 0)
        return "";
    return trim(output.out);
}

std::vector<HealthCheckRun> health_log(const std::string& container) {
    std::string lines =
        inspect(container, "{{range .State.Health.Log}}{{.ExitCode}} {{json .Output}}\n{{end}}");
    std::vector<HealthCheckRun> log;
    size_t start = 0;
    while (start < lines.size()) {
        size_t end = lines.find('\n', start);
        std::string line =
            lines.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? lines.size() : end + 1;
        size_t space = line.find(' ');
        if (space == std::string::npos)
            continue;
        log.push_back(
            {std::stoi(line.substr(0, space)), decode_json_string(line.substr(space + 1))});
    }
    return log;
}

std::string health_status(const std::string& container) {
    return inspect(container, "{{if .State.Health}}{{.State.Health.Status}}{{end}}");
}

std::vector<std::string> wait_for_status(const std::string& container, const std::string& wanted,
                                         std::chrono::milliseconds timeout) {
    std::vector<std::string> seen;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::string status = health_status(container);
        if (seen.empty() || seen.back() != status)
            seen.push_back(status);
        if (status == wanted || std::chrono::steady_clock::now() >= deadline)
            return seen;
        std::this_thread::sleep_for(200ms);
    }
}

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) text += (text.empty() ? "" : " -> ") + word;
    return text;
}

bool is_one_line(const std::string& output) {
    std::string line = trim(output);
    return !line.empty() && line.find('\n') == std::string::npos;
}

std::vector<std::string> image_files(const std::string& image) {
    vigil_test::TempDir directory;
    std::string archive = directory.file("image.tar");
    RunOutput saved = docker({"save", "-o", archive, image}, 120s);
    if (!saved.result.exited || saved.result.exit_code != 0)
        return {"(docker save failed: " + trim(saved.err) + ")"};
    // Each layer is a tar inside the saved tar: unpack them all into one tree
    // (the suite's images delete nothing, so their order does not matter) and
    // list everything that is not a directory.
    std::string script = "cd '" + directory.path() +
                         "' && tar -xf image.tar && mkdir root && for layer in */layer.tar; do "
                         "tar -xf \"$layer\" -C root || exit; done && cd root && find . ! -type d";
    RunOutput listing = vigil_test::run({"/bin/sh", "-c", script}, 60s);
    if (!listing.result.exited || listing.result.exit_code != 0)
        return {"(unpacking the layers failed: " + trim(listing.err) + ")"};
    std::vector<std::string> files;
    std::istringstream lines(listing.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (starts_with(line, "./"))
            files.push_back(line.substr(2));
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> run_arguments(const std::string& name) {
    std::vector<std::string> args{"run",          "--network", "none", "--label",
                                  resource_label, "--name",    name};
    if (!foreign_platform().empty()) {
        args.push_back("--platform");
        args.push_back(foreign_platform());
    }
    return args;
}

void DockerTest::SetUp() {
    REQUIRE_DOCKER();
}

std::string DockerTest::run_detached(const std::string& what,
                                     const std::vector<std::string>& options,
                                     const std::string& image,
                                     const std::vector<std::string>& command) {
    std::string name = resources_.container_name(what);
    std::vector<std::string> args = run_arguments(name);
    args.push_back("-d");
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(image);
    args.insert(args.end(), command.begin(), command.end());
    RunOutput started = docker(args);
    if (started.result.exited && started.result.exit_code == 0)
        return name;
    ADD_FAILURE() << describe(args, started);
    return "";
}

void DockerTest::TearDown() {
    if (HasFailure()) {
        std::string diagnostics = resources_.diagnostics();
        if (!diagnostics.empty())
            std::fprintf(stderr, "%s", diagnostics.c_str());
    }
    resources_.remove_all();
}

}  // namespace vigil_e2e
