#include "base/exit_status.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor/spawn.h"

using namespace vigil;

namespace {

// A real wait status from a real child.
int wait_status_of(void (*body)()) {
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

}  // namespace

TEST(ExitStatus, ExitCodeIsPassedThrough) {
    EXPECT_EQ(exit_code_from_wait_status(wait_status_of([] { _exit(0); })), 0);
    EXPECT_EQ(exit_code_from_wait_status(wait_status_of([] { _exit(3); })), 3);
    EXPECT_EQ(exit_code_from_wait_status(wait_status_of([] { _exit(255); })), 255);
}

TEST(ExitStatus, DeathBySignalIs128PlusSignal) {
    EXPECT_EQ(exit_code_from_wait_status(wait_status_of([] {
                  signal(SIGTERM, SIG_DFL);
                  raise(SIGTERM);
              })),
              128 + SIGTERM);
    EXPECT_EQ(exit_code_from_wait_status(wait_status_of([] { raise(SIGKILL); })), 137);
}

TEST(ExitRemap, RemapsOnlyChosenCodes) {
    ExitRemap remap;
    remap.add(143);
    remap.add(0);
    remap.add(255);
    remap.add(64);
    EXPECT_EQ(remap.apply(143), 0);
    EXPECT_EQ(remap.apply(255), 0);
    EXPECT_EQ(remap.apply(64), 0);
    EXPECT_EQ(remap.apply(63), 63);
    EXPECT_EQ(remap.apply(65), 65);
    EXPECT_EQ(remap.apply(1), 1);
    EXPECT_EQ(remap.apply(137), 137);
}

TEST(ExitRemap, EmptyRemapChangesNothing) {
    ExitRemap remap;
    for (int code = 0; code < 256; ++code) EXPECT_EQ(remap.apply(code), code);
}

TEST(ExecError, MissingProgramIs127AndUnrunnableIs126) {
    EXPECT_EQ(exit_code_for_exec_error(ENOENT), 127);
    EXPECT_EQ(exit_code_for_exec_error(ENOTDIR), 127);
    EXPECT_EQ(exit_code_for_exec_error(EACCES), 126);
    EXPECT_EQ(exit_code_for_exec_error(ENOEXEC), 126);
    EXPECT_EQ(exit_code_for_exec_error(EISDIR), 126);
}
