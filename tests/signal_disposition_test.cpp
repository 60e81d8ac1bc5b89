#include "base/signal_disposition.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

using namespace vigil;

namespace {

// Runs `body` in a child process, so that the dispositions it sets are its
// own; returns the child's exit status, or -1 when it did not exit.
int in_child(int (*body)()) {
    pid_t pid = fork();
    if (pid == 0)
        _exit(body());
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(SignalDisposition, SetsAndReadsIgnoredAndDefaultAsLibcSeesThem) {
    EXPECT_EQ(in_child([] {
                  if (signal_ignored(SIGUSR1) || !set_signal_disposition(SIGUSR1, SIG_IGN))
                      return 1;
                  struct sigaction seen {};
                  if (!signal_ignored(SIGUSR1) || sigaction(SIGUSR1, nullptr, &seen) != 0 ||
                      seen.sa_handler != SIG_IGN)
                      return 2;
                  if (!set_signal_disposition(SIGUSR1, SIG_DFL) || signal_ignored(SIGUSR1) ||
                      sigaction(SIGUSR1, nullptr, &seen) != 0 || seen.sa_handler != SIG_DFL)
                      return 3;
                  return 0;
              }),
              0);
}

TEST(SignalDisposition, AnIgnoredSignalIsDiscarded) {
    EXPECT_EQ(in_child([] {
                  set_signal_disposition(SIGTERM, SIG_IGN);
                  kill(getpid(), SIGTERM);
                  return 0;
              }),
              0);
}

// libc refuses the real-time signals it reserves for itself; the kernel
// does not, and vigil forwards those too.
TEST(SignalDisposition, ReachesLibcReservedSignals) {
    EXPECT_EQ(in_child([] {
                  for (int signal : {32, 33, 34}) {
                      if (!set_signal_disposition(signal, SIG_IGN) || !signal_ignored(signal))
                          return signal;
                      set_signal_disposition(signal, SIG_DFL);
                  }
                  return 0;
              }),
              0);
}

TEST(SignalDisposition, RefusesKillStopAndNonSignals) {
    for (int signal : {SIGKILL, SIGSTOP, 0, 65}) {
        errno = 0;
        EXPECT_FALSE(set_signal_disposition(signal, SIG_IGN)) << signal;
        EXPECT_EQ(errno, EINVAL) << signal;
    }
    EXPECT_FALSE(signal_ignored(0));
}
