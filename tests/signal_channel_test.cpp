#include "supervisor/signal_channel.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>

#include "base/signal_disposition.h"

using namespace vigil;

namespace {

// Runs `body` in a child process that has opened the signal channel the way
// vigil does, with default dispositions (as in the release binary, which
// installs no handler). Returns the child's wait status.
int run_with_channel(int (*body)(SignalChannel&)) {
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);  // the sanitizer runtime's handler is not vigil's
        signal(SIGBUS, SIG_DFL);
        SignalChannel channel;
        if (!open_signal_channel(channel))
            _exit(90);
        _exit(body(channel));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

// An unmapped address (not null, which the sanitizers intercept first).
uintptr_t volatile unmapped_address = 16;

}  // namespace

TEST(SignalChannel, AFaultInVigilItselfKillsItInsteadOfBeingQueued) {
    int status = run_with_channel([](SignalChannel&) {
        *reinterpret_cast<int volatile*>(unmapped_address) =
            1;  // a real fault, raised by the kernel
        return 0;
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

TEST(SignalChannel, TheSameSignalSentWithKillIsQueuedForForwarding) {
    int status = run_with_channel([](SignalChannel& channel) {
        kill(getpid(), SIGSEGV);
        signalfd_siginfo info{};
        if (read(channel.fd, &info, sizeof info) != sizeof info)
            return 1;
        return info.ssi_signo == SIGSEGV ? 0 : 2;
    });
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SignalChannel, LibcReservedRealTimeSignalsAreReadToo) {
    int status = run_with_channel([](SignalChannel& channel) {
        for (int signal : {32, 33, 34, 64}) {
            kill(getpid(), signal);
            signalfd_siginfo info{};
            if (read(channel.fd, &info, sizeof info) != sizeof info ||
                static_cast<int>(info.ssi_signo) != signal)
                return signal;
        }
        return 0;
    });
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SignalChannel, InheritedIgnoredSignalsAreRecordedAndReceived) {
    int status = run_with_channel([](SignalChannel&) { return 0; });
    EXPECT_TRUE(WIFEXITED(status));
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, SIG_IGN);
        signal(SIGCHLD, SIG_IGN);
        SignalChannel channel;
        if (!open_signal_channel(channel))
            _exit(90);
        if (sigismember(&channel.ignored_at_start, SIGUSR1) != 1 ||
            sigismember(&channel.ignored_at_start, SIGCHLD) != 1 ||
            sigismember(&channel.ignored_at_start, SIGUSR2) != 0)
            _exit(1);
        kill(getpid(), SIGUSR1);  // no longer discarded
        signalfd_siginfo info{};
        if (read(channel.fd, &info, sizeof info) != sizeof info || info.ssi_signo != SIGUSR1)
            _exit(2);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// libc's sigaction() refuses the real-time signals libc reserves for itself:
// one of those inherited as ignored is read from the channel all the same,
// and kept for the child to inherit ignored again.
TEST(SignalChannel, LibcReservedSignalsInheritedAsIgnoredAreRecordedAndReceived) {
    pid_t pid = fork();
    if (pid == 0) {
        set_signal_disposition(34, SIG_IGN);
        SignalChannel channel;
        if (!open_signal_channel(channel))
            _exit(90);
        if (sigismember(&channel.ignored_at_start, 34) != 1 || signal_ignored(34))
            _exit(1);
        kill(getpid(), 34);
        signalfd_siginfo info{};
        if (read(channel.fd, &info, sizeof info) != sizeof info || info.ssi_signo != 34)
            _exit(2);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}
