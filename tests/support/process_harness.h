// Test harness: runs real processes (vigil, testapp, shells) with pipes,
// timeouts and optional PID namespaces, and reads what they leave in /proc
// and in files. Shared by the integration, probe and end-to-end suites.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace vigil_test {

// The binary under test: $VIGIL_BINARY, else the one this build produced.
std::string vigil_binary();
// The test application (tests/testapp).
std::string testapp_binary();

// True when running as root (PID namespaces need it). Under CI=true a test
// that needs root must fail rather than skip; see REQUIRE_ROOT.
bool is_root();
bool in_ci();

// How the binary under test runs when it is not built for this machine:
// "" natively, else e.g. "an aarch64 vigil under qemu-user" (binfmt runs it
// transparently). qemu-user does not emulate every kernel feature; the
// tests that need one skip under it, saying which, for that architecture
// only. The README lists them.
const std::string& emulation();

// Skips the rest of the test when vigil runs under an emulator, with why.
#define SKIP_UNDER_EMULATION(why)                                       \
    do {                                                                \
        if (!::vigil_test::emulation().empty())                         \
            GTEST_SKIP() << ::vigil_test::emulation() << ": " << (why); \
    } while (0)

// Skips the test when not root, except under CI=true, where it fails.
#define REQUIRE_ROOT()                                                                       \
    do {                                                                                     \
        if (!::vigil_test::is_root()) {                                                      \
            if (::vigil_test::in_ci())                                                       \
                FAIL() << "this test needs root (PID namespaces); CI=true forbids skipping"; \
            GTEST_SKIP() << "needs root for PID namespaces";                                 \
        }                                                                                    \
    } while (0)

// Why a process cannot get a private mount namespace here ("" when it can),
// as the tests that bind-mount files over /etc need. In a plain chroot
// (pbuilder's, a debootstrap tree) `/` is not a mount point, and making it
// private fails with EINVAL. Tried once, in a child process.
const std::string& mount_namespace_problem();

// Skips the test where mount namespaces cannot be used, saying why; also
// under CI=true (a chroot is a place to build in, not a CI failure).
#define REQUIRE_MOUNT_NAMESPACE()                                             \
    do {                                                                      \
        const std::string& problem = ::vigil_test::mount_namespace_problem(); \
        if (!problem.empty())                                                 \
            GTEST_SKIP() << problem;                                          \
    } while (0)

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

struct ExitResult {
    bool exited = false;  // false: timed out (the process was killed)
    int exit_code = -1;   // WEXITSTATUS when it exited normally
    int signal = 0;       // WTERMSIG when a signal killed it
    std::chrono::milliseconds elapsed{0};
    // The status a shell reports: exit code, or 128+signal.
    int shell_status() const { return signal ? 128 + signal : exit_code; }
};

struct ProcessOptions {
    bool pid_namespace = false;            // run as PID 1 of a new PID namespace
    bool own_proc = true;                  // ... with that namespace's /proc mounted
    bool capture_output = true;            // stdout/stderr to pipes (else inherited)
    std::vector<std::string> environment;  // extra NAME=VALUE entries
    std::vector<std::string> unset_environment;
    int stdin_fd = -1;             // -1: /dev/null
    bool new_session = false;      // setsid() before exec (with a terminal on stdin: take it)
    bool output_to_stdin = false;  // stdout and stderr go where stdin is (a terminal)
    int stdout_fd = -1;            // >= 0: stdout goes there (not captured)
    int stderr_fd = -1;            // >= 0: stderr goes there (not captured)
    // FILE -> PATH: in a mount namespace of its own, the process sees FILE at
    // PATH (e.g. a test's resolv.conf at /etc/resolv.conf). Needs root.
    std::vector<std::pair<std::string, std::string>> bind_mounts;
};

// A running process. `pid()` is the PID to signal: with pid_namespace, the
// host PID of the namespace's PID 1; the result is that process's.
class Process {
  public:
    Process(const std::vector<std::string>& argv, const ProcessOptions& options = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return target_pid_; }
    // Waits up to `timeout`; on timeout kills the process (and the namespace)
    // and returns exited=false.
    ExitResult wait(std::chrono::milliseconds timeout);
    bool running();
    void send_signal(int signal);
    // Output collected so far (drains the pipes); complete after wait().
    const std::string& out();
    const std::string& err();

  private:
    void drain_pipes(int timeout_ms);

    pid_t waited_pid_ = -1;  // the process we waitpid() for
    pid_t target_pid_ = -1;  // the process tests signal
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string out_;
    std::string err_;
    bool finished_ = false;
    ExitResult result_;
    std::chrono::steady_clock::time_point started_;
};

// Runs to completion (or `timeout`), capturing output.
struct RunOutput {
    ExitResult result;
    std::string out;
    std::string err;
};
RunOutput run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
              const ProcessOptions& options = {});

// Polls until `path` exists, up to `timeout`.
bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout);
// Polls until `predicate` holds, up to `timeout`.
template <typename Predicate>
bool wait_until(Predicate predicate, std::chrono::milliseconds timeout);

std::string read_file(const std::string& path);
// The signal numbers a testapp --record file holds, in order.
std::vector<int> read_recorded_signals(const std::string& path);

// Fields of /proc/PID/status; nullopt when the process is gone.
std::optional<long> proc_status_field(pid_t pid, const char* field);
// The process state letter from /proc/PID/stat ('S', 'R', 'Z', 'T'...).
char proc_state(pid_t pid);
// PIDs (host view) whose parent is `parent`.
std::vector<pid_t> child_pids(pid_t parent);
// Counts zombie processes among the descendants of `root` (host view).
int count_zombie_descendants(pid_t root);

template <typename Predicate>
bool wait_until(Predicate predicate, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (predicate())
            return true;
        struct timespec pause {
            0, 5 * 1000 * 1000
        };
        nanosleep(&pause, nullptr);
    }
    return predicate();
}

}  // namespace vigil_test
