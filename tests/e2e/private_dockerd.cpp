#include "private_dockerd.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "process_harness.h"

namespace vigil_e2e {

namespace {

std::string find_program(const std::string& name) {
    const char* search = std::getenv("PATH");
    std::istringstream directories(std::string(search ? search : "") + ":/usr/sbin:/usr/bin");
    std::string directory;
    while (std::getline(directories, directory, ':')) {
        std::string candidate = directory + "/" + name;
        if (!directory.empty() && access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return "";
}

// Mount points at or under ROOT in this mount namespace, deepest first
// (field 5 of /proc/self/mountinfo; ROOT holds no characters it escapes).
std::vector<std::string> mounts_under(const std::string& root) {
    std::vector<std::string> found;
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::string line;
    while (std::getline(mountinfo, line)) {
        std::istringstream fields(line);
        std::string id, parent, device, source, point;
        fields >> id >> parent >> device >> source >> point;
        if (point == root || point.rfind(root + "/", 0) == 0)
            found.push_back(point);
    }
    std::sort(found.begin(), found.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return found;
}

bool exited_within(pid_t pid, std::chrono::milliseconds timeout) {
    return vigil_test::wait_until([&] { return waitpid(pid, nullptr, WNOHANG) == pid; }, timeout);
}

}  // namespace

PrivateDockerd::PrivateDockerd(const std::vector<std::string>& options) {
    if (geteuid() != 0) {
        problem_ = "a second dockerd needs root";
        return;
    }
    std::string dockerd = find_program("dockerd");
    if (dockerd.empty()) {
        problem_ = "dockerd is not installed (Debian: apt-get install docker.io)";
        return;
    }
    char pattern[] = "/tmp/vigil-e2e-dockerd-XXXXXX";
    if (!mkdtemp(pattern)) {
        problem_ = std::string("mkdtemp: ") + std::strerror(errno);
        return;
    }
    root_ = pattern;
    host_ = "unix://" + root_ + "/docker.sock";
    // Its own containerd namespaces too, should it find the machine's
    // containerd running and use it instead of starting its own.
    std::string name = root_.substr(root_.rfind('/') + 1);
    std::vector<std::string> argv{dockerd,
                                  "--host=" + host_,
                                  "--data-root=" + root_ + "/data",
                                  "--exec-root=" + root_ + "/exec",
                                  "--pidfile=" + root_ + "/dockerd.pid",
                                  "--containerd-namespace=" + name,
                                  "--containerd-plugins-namespace=" + name + "-plugins",
                                  "--bridge=none",
                                  "--iptables=false",
                                  "--ip6tables=false",
                                  "--ip-forward=false",
                                  "--ip-masq=false"};
    argv.insert(argv.end(), options.begin(), options.end());
    std::vector<char*> pointers;
    for (std::string& argument : argv) pointers.push_back(argument.data());
    pointers.push_back(nullptr);

    int log =
        open((root_ + "/dockerd.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
        // SIGTERM when the test program dies, whatever kills it.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        setsid();
        int null = open("/dev/null", O_RDONLY);
        dup2(null, STDIN_FILENO);
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        execv(pointers[0], pointers.data());
        _exit(127);
    }
    close(log);
    if (pid_ < 0) {
        problem_ = std::string("fork: ") + std::strerror(errno);
        return;
    }
    bool answers = vigil_test::wait_until(
        [&] {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return true;
            }
            RunOutput info = docker({"info", "--format", "{{.ID}}"}, 10s);
            return info.result.exited && info.result.exit_code == 0;
        },
        60s);
    if (pid_ < 0)
        problem_ = "dockerd exited at start:\n" + this->log();
    else if (!answers)
        problem_ = "dockerd did not answer within 60 s:\n" + this->log();
}

PrivateDockerd::~PrivateDockerd() {
    stop();
}

void PrivateDockerd::stop() {
    if (pid_ > 0) {
        RunOutput containers = docker({"ps", "-aq"}, 30s);
        std::istringstream ids(containers.out);
        std::vector<std::string> remove{"rm", "-f"};
        for (std::string id; ids >> id;) remove.push_back(id);
        if (remove.size() > 2)
            docker(remove, 60s);
        kill(pid_, SIGTERM);
        if (!exited_within(pid_, 30s)) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        pid_ = -1;
    }
    if (root_.empty())
        return;
    // The containerd it started stops with it; should it not, it goes now
    // (only if its command line names this daemon's directory).
    std::string containerd_pid = vigil_test::read_file(root_ + "/exec/containerd/containerd.pid");
    pid_t containerd = static_cast<pid_t>(std::atol(containerd_pid.c_str()));
    if (containerd > 0) {
        std::string command_line =
            vigil_test::read_file("/proc/" + std::to_string(containerd) + "/cmdline");
        if (command_line.find(root_) != std::string::npos)
            kill(containerd, SIGKILL);
    }
    for (const std::string& point : mounts_under(root_)) umount2(point.c_str(), MNT_DETACH);
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
    root_.clear();
}

RunOutput PrivateDockerd::docker(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout) const {
    return docker_at(host_, args, timeout);
}

std::string PrivateDockerd::build(const std::string& tag, const std::string& context) const {
    std::vector<std::string> options{"-t", tag, context};
    RunOutput output = build_image(host_, options);
    if (output.result.exited && output.result.exit_code == 0)
        return "";
    return describe({"-H", host_, "build", "-t", tag, context}, output) + "\n" + output.out;
}

std::string PrivateDockerd::log() const {
    return root_.empty() ? "" : vigil_test::read_file(root_ + "/dockerd.log");
}

}  // namespace vigil_e2e
