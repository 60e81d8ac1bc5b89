#include "process_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace vigil_test {

std::string vigil_binary() {
    const char* from_environment = std::getenv("VIGIL_BINARY");
    if (from_environment && *from_environment)
        return from_environment;
    return VIGIL_DEFAULT_BINARY;
}

std::string testapp_binary() {
    return TESTAPP_BINARY;
}

const std::string& emulation() {
    static const std::string description = [] {
        int fd = open(vigil_binary().c_str(), O_RDONLY | O_CLOEXEC);
        unsigned char header[20] = {};
        bool read_ok = fd >= 0 && pread(fd, header, sizeof header, 0) == sizeof header;
        if (fd >= 0)
            close(fd);
        if (!read_ok || std::memcmp(header,
                                    "\x7f"
                                    "ELF",
                                    4) != 0)
            return std::string();
        // e_machine, in the file's byte order.
        unsigned machine =
            header[5] == 2 ? header[18] << 8 | header[19] : header[19] << 8 | header[18];
#if defined(__x86_64__)
        const unsigned native = 62;  // EM_X86_64
#elif defined(__aarch64__)
        const unsigned native = 183;  // EM_AARCH64
#else
        const unsigned native = machine;
#endif
        if (machine == native)
            return std::string();
        const char* name = machine == 183  ? "an aarch64"
                           : machine == 62 ? "an x86-64"
                                           : "a foreign";
        return std::string(name) + " vigil under qemu-user";
    }();
    return description;
}

bool is_root() {
    return geteuid() == 0;
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::strcmp(ci, "true") == 0;
}

const std::string& mount_namespace_problem() {
    static const std::string problem = []() -> std::string {
        int report[2];
        if (pipe2(report, O_CLOEXEC) < 0)
            return std::string("pipe2: ") + std::strerror(errno);
        pid_t child = fork();
        if (child < 0)
            return std::string("fork: ") + std::strerror(errno);
        if (child == 0) {
            // What the harness does for bind_mounts, reporting the first
            // failure as "STEP ERRNO".
            char text[32] = "";
            if (unshare(CLONE_NEWNS) < 0)
                std::snprintf(text, sizeof text, "unshare %d", errno);
            else if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
                std::snprintf(text, sizeof text, "mount %d", errno);
            ssize_t ignored = write(report[1], text, std::strlen(text));
            (void)ignored;
            _exit(0);
        }
        close(report[1]);
        char text[32] = {};
        ssize_t length = read(report[0], text, sizeof text - 1);
        close(report[0]);
        waitpid(child, nullptr, 0);
        if (length <= 0)
            return "";
        int error = 0;
        if (std::sscanf(text, "unshare %d", &error) == 1)
            return std::string("cannot unshare a mount namespace: ") + std::strerror(error);
        std::sscanf(text, "mount %d", &error);
        if (error == EINVAL)
            return "/ is not a mount point here (a plain chroot?), so a mount namespace cannot "
                   "be made private (mount --make-rprivate /: Invalid argument); bind-mount "
                   "the root onto itself (mount --rbind DIR DIR) to run this test";
        return std::string("cannot make / private in a new mount namespace: ") +
               std::strerror(error);
    }();
    return problem;
}

TempDir::TempDir() {
    char pattern[] = "/tmp/vigil-test-XXXXXX";
    const char* made = mkdtemp(pattern);
    path_ = made ? made : "/tmp";
    chmod(path_.c_str(), 0777);  // tests may run the app as another user
}

TempDir::~TempDir() {
    if (path_ != "/tmp") {
        std::string command = "rm -rf '" + path_ + "'";
        int ignored = std::system(command.c_str());
        (void)ignored;
    }
}

namespace {

std::vector<char*> build_environment(const ProcessOptions& options,
                                     std::vector<std::string>& storage) {
    for (char** entry = environ; *entry; ++entry) {
        std::string text(*entry);
        std::string name = text.substr(0, text.find('='));
        bool replaced = false;
        for (const std::string& unset : options.unset_environment) replaced |= unset == name;
        for (const std::string& extra : options.environment)
            replaced |= extra.substr(0, extra.find('=')) == name;
        if (!replaced)
            storage.push_back(text);
    }
    for (const std::string& extra : options.environment) storage.push_back(extra);
    std::vector<char*> pointers;
    for (std::string& entry : storage) pointers.push_back(entry.data());
    pointers.push_back(nullptr);
    return pointers;
}

[[noreturn]] void exec_or_die(const std::vector<std::string>& argv, char** envp) {
    std::vector<char*> pointers;
    for (const std::string& argument : argv)
        pointers.push_back(const_cast<char*>(argument.c_str()));
    pointers.push_back(nullptr);
    execve(pointers[0], pointers.data(), envp);
    std::fprintf(stderr, "harness: cannot exec %s: %s\n", pointers[0], std::strerror(errno));
    _exit(250);
}

}  // namespace

Process::Process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    std::vector<std::string> storage;
    std::vector<char*> envp = build_environment(options, storage);
    int out_pipe[2] = {-1, -1};
    int err_pipe[2] = {-1, -1};
    if (options.capture_output) {
        if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0)
            std::abort();
    }
    int pid_pipe[2];
    if (pipe2(pid_pipe, O_CLOEXEC) < 0)
        std::abort();

    started_ = std::chrono::steady_clock::now();
    waited_pid_ = fork();
    if (waited_pid_ == 0) {
        int input = options.stdin_fd >= 0 ? options.stdin_fd : open("/dev/null", O_RDONLY);
        dup2(input, STDIN_FILENO);
        if (options.output_to_stdin) {
            dup2(STDIN_FILENO, STDOUT_FILENO);
            dup2(STDIN_FILENO, STDERR_FILENO);
        } else if (options.capture_output) {
            dup2(out_pipe[1], STDOUT_FILENO);
            dup2(err_pipe[1], STDERR_FILENO);
        }
        if (options.stdout_fd >= 0)
            dup2(options.stdout_fd, STDOUT_FILENO);
        if (options.stderr_fd >= 0)
            dup2(options.stderr_fd, STDERR_FILENO);
        // The process that execs leads the new session and takes the
        // terminal, as a container runtime does for its init.
        auto lead_session = [&] {
            if (!options.new_session)
                return;
            setsid();
            if (isatty(STDIN_FILENO))
                ioctl(STDIN_FILENO, TIOCSCTTY, 0);
        };
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!options.bind_mounts.empty()) {
            if (unshare(CLONE_NEWNS) < 0 ||
                mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
                std::fprintf(stderr, "harness: mount namespace: %s\n", std::strerror(errno));
                _exit(250);
            }
            for (const auto& [file, path] : options.bind_mounts) {
                if (mount(file.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) < 0) {
                    std::fprintf(stderr, "harness: bind %s on %s: %s\n", file.c_str(), path.c_str(),
                                 std::strerror(errno));
                    _exit(250);
                }
            }
        }
        if (!options.pid_namespace) {
            pid_t self = getpid();
            ssize_t ignored = write(pid_pipe[1], &self, sizeof self);
            (void)ignored;
            lead_session();
            exec_or_die(argv, envp.data());
        }
        if (unshare(CLONE_NEWPID) < 0) {
            std::fprintf(stderr, "harness: unshare(CLONE_NEWPID): %s\n", std::strerror(errno));
            _exit(251);
        }
        pid_t init = fork();
        if (init == 0) {
            // As a container runtime does: the namespace's own /proc, in a
            // mount namespace of its own. Where that cannot be done (no
            // mount point at /, as in a plain chroot), the host's stays.
            if (options.own_proc && unshare(CLONE_NEWNS) == 0 &&
                mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0)
                mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
            lead_session();
            exec_or_die(argv, envp.data());
        }
        // This middle process only relays: it reports the host PID of the
        // namespace's PID 1, then ends the way PID 1 ended.
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        ssize_t ignored = write(pid_pipe[1], &init, sizeof init);
        (void)ignored;
        int status = 0;
        while (waitpid(init, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
            signal(WTERMSIG(status), SIG_DFL);
            struct rlimit no_core {
                0, 0
            };
            setrlimit(RLIMIT_CORE, &no_core);
            kill(getpid(), WTERMSIG(status));
        }
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 255);
    }
    close(pid_pipe[1]);
    if (read(pid_pipe[0], &target_pid_, sizeof target_pid_) != sizeof target_pid_)
        target_pid_ = waited_pid_;
    close(pid_pipe[0]);
    if (options.capture_output) {
        close(out_pipe[1]);
        close(err_pipe[1]);
        out_fd_ = out_pipe[0];
        err_fd_ = err_pipe[0];
        fcntl(out_fd_, F_SETFL, O_NONBLOCK);
        fcntl(err_fd_, F_SETFL, O_NONBLOCK);
    }
}

Process::~Process() {
    if (!finished_) {
        kill(target_pid_, SIGKILL);
        kill(waited_pid_, SIGKILL);
        waitpid(waited_pid_, nullptr, 0);
    }
    if (out_fd_ >= 0)
        close(out_fd_);
    if (err_fd_ >= 0)
        close(err_fd_);
}

void Process::drain_pipes(int timeout_ms) {
    pollfd fds[2];
    int count = 0;
    if (out_fd_ >= 0)
        fds[count++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0)
        fds[count++] = {err_fd_, POLLIN, 0};
    if (count == 0) {
        if (timeout_ms > 0) {
            struct timespec pause {
                0, timeout_ms * 1000000L
            };
            nanosleep(&pause, nullptr);
        }
        return;
    }
    poll(fds, static_cast<nfds_t>(count), timeout_ms);
    char buffer[4096];
    for (int* fd : {&out_fd_, &err_fd_}) {
        if (*fd < 0)
            continue;
        for (;;) {
            ssize_t length = read(*fd, buffer, sizeof buffer);
            if (length > 0) {
                (fd == &out_fd_ ? out_ : err_).append(buffer, static_cast<size_t>(length));
                continue;
            }
            if (length == 0) {  // EOF
                close(*fd);
                *fd = -1;
            }
            break;
        }
    }
}

ExitResult Process::wait(std::chrono::milliseconds timeout) {
    if (finished_)
        return result_;
    auto deadline = started_ + timeout;
    if (std::chrono::steady_clock::now() > deadline)
        deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
        pid_t done = waitpid(waited_pid_, &status, WNOHANG);
        if (done == waited_pid_)
            break;
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(target_pid_, SIGKILL);
            kill(waited_pid_, SIGKILL);
            waitpid(waited_pid_, &status, 0);
            result_.exited = false;
            result_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started_);
            finished_ = true;
            drain_pipes(0);
            return result_;
        }
        drain_pipes(5);
    }
    result_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started_);
    result_.exited = true;
    if (WIFEXITED(status))
        result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        result_.signal = WTERMSIG(status);
    finished_ = true;
    // Collect what is left; orphans may hold the pipes open, so not forever.
    auto drain_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    while ((out_fd_ >= 0 || err_fd_ >= 0) && std::chrono::steady_clock::now() < drain_until)
        drain_pipes(10);
    return result_;
}

bool Process::running() {
    if (finished_)
        return false;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(waited_pid_), &info, WEXITED | WNOHANG | WNOWAIT) < 0)
        return false;
    return info.si_pid == 0;
}

void Process::send_signal(int signal) {
    kill(target_pid_, signal);
}

const std::string& Process::out() {
    if (!finished_)
        drain_pipes(0);
    return out_;
}

const std::string& Process::err() {
    if (!finished_)
        drain_pipes(0);
    return err_;
}

RunOutput run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
              const ProcessOptions& options) {
    Process process(argv, options);
    RunOutput output;
    output.result = process.wait(timeout);
    output.out = process.out();
    output.err = process.err();
    return output;
}

bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout) {
    return wait_until([&] { return access(path.c_str(), F_OK) == 0; }, timeout);
}

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

std::vector<int> read_recorded_signals(const std::string& path) {
    std::vector<int> signals;
    std::istringstream lines(read_file(path));
    int signal;
    while (lines >> signal) signals.push_back(signal);
    return signals;
}

std::optional<long> proc_status_field(pid_t pid, const char* field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    if (!status)
        return std::nullopt;
    std::string line;
    std::string prefix = std::string(field) + ":";
    while (std::getline(status, line)) {
        if (line.rfind(prefix, 0) == 0)
            return std::strtol(line.c_str() + prefix.size(), nullptr, 10);
    }
    return std::nullopt;
}

namespace {

// pid, parent and state from /proc/PID/stat.
bool read_stat(pid_t pid, pid_t& parent, char& state) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos || close_paren + 4 >= stat.size())
        return false;
    state = stat[close_paren + 2];
    parent = static_cast<pid_t>(std::strtol(stat.c_str() + close_paren + 4, nullptr, 10));
    return true;
}

std::vector<pid_t> all_pids() {
    std::vector<pid_t> pids;
    DIR* proc = opendir("/proc");
    if (!proc)
        return pids;
    while (dirent* entry = readdir(proc)) {
        char* end = nullptr;
        long pid = std::strtol(entry->d_name, &end, 10);
        if (end && *end == '\0' && pid > 0)
            pids.push_back(static_cast<pid_t>(pid));
    }
    closedir(proc);
    return pids;
}

}  // namespace

char proc_state(pid_t pid) {
    pid_t parent = 0;
    char state = '?';
    return read_stat(pid, parent, state) ? state : '?';
}

std::vector<pid_t> child_pids(pid_t parent) {
    std::vector<pid_t> children;
    for (pid_t pid : all_pids()) {
        pid_t its_parent = 0;
        char state = 0;
        if (read_stat(pid, its_parent, state) && its_parent == parent)
            children.push_back(pid);
    }
    return children;
}

int count_zombie_descendants(pid_t root) {
    int zombies = 0;
    std::vector<pid_t> frontier{root};
    while (!frontier.empty()) {
        pid_t pid = frontier.back();
        frontier.pop_back();
        for (pid_t child : child_pids(pid)) {
            if (proc_state(child) == 'Z')
                ++zombies;
            frontier.push_back(child);
        }
    }
    return zombies;
}

}  // namespace vigil_test
