// The drain reaches every descendant the main child leaves behind, exactly
// once: however deep, whether or not it left the main child's process group,
// and whether it was adopted before or during the drain; SIGKILL only at the
// deadline. Proven as PID 1 and as a subreaper.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "supervisor/descendants.h"
#include "supervisor_runs.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

class Drain : public BothModes {
  protected:
    // A shell script in the test's directory.
    std::string script(const std::string& name, const std::string& text) {
        std::string path = dir_.file(name);
        std::ofstream(path) << "#!/bin/sh\n" << text;
        chmod(path.c_str(), 0755);
        return path;
    }
};

}  // namespace

// The input: sh starts b.sh and exits after 0.3 s; b.sh traps TERM
// (0.2 s to finish) and runs c.sh, which traps TERM and exits at once. As a
// subreaper, c.sh (a grandchild of the main child, whose parent lives on)
// used to get no SIGTERM, and vigil waited out the whole 3 s drain.
TEST_P(Drain, ReachesDescendantsWhoseParentIsStillAlive) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION(
            "qemu-user rejects PR_SET_CHILD_SUBREAPER, so the leftovers go to init");
    std::string c = script("c.sh", "trap 'echo c > " + dir_.file("c-got-term") +
                                       "; exit 0' TERM\n"
                                       "while :; do sleep 0.05; done\n");
    std::string b = script("b.sh", "trap 'sleep 0.2; echo b > " + dir_.file("b-got-term") +
                                       "; exit 0' TERM\n"
                                       "sh " +
                                       c + " &\n" + "while :; do sleep 0.05; done\n");
    auto started = std::chrono::steady_clock::now();
    RunOutput output =
        run(vigil_command({"-c"}, {"/bin/sh", "-c", "sh " + b + " & sleep 0.3"}), 20s, options());
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(output.result.exit_code, 0) << output.err;
    EXPECT_EQ(read_file(dir_.file("c-got-term")), "c\n") << "c.sh got no SIGTERM";
    EXPECT_EQ(read_file(dir_.file("b-got-term")), "b\n") << "b.sh got no SIGTERM";
    EXPECT_LT(took, 2s) << "the drain waited for its deadline";
    EXPECT_EQ(output.err.find("drain period expired"), std::string::npos) << output.err;
}

// A leftover both in the main child's process group and adopted by vigil
// gets SIGTERM and SIGCONT once, however often the drain looks again while
// it ignores them (it records and stays until the deadline's SIGKILL).
TEST_P(Drain, SignalsALeftoverExactlyOnceThoughItStaysAndIsInTheGroup) {
    RunOutput output = run(vigil_testapp({"--drain", "600ms"},
                                         {"--fork-recorder", dir_.file("leftover"), "--exit", "0"}),
                           20s, options());
    EXPECT_EQ(output.result.exit_code, 0) << output.err;
    std::vector<int> received = read_recorded_signals(dir_.file("leftover"));
    EXPECT_EQ(count_of(received, SIGTERM), 1u);
    EXPECT_EQ(count_of(received, SIGCONT), 1u);
    EXPECT_NE(output.err.find("drain period expired"), std::string::npos) << output.err;
}

// A daemon that detached (setsid) still descends from vigil and is drained.
TEST_P(Drain, ReachesADaemonThatLeftTheSessionAndGroup) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION(
            "qemu-user rejects PR_SET_CHILD_SUBREAPER, so the leftovers go to init");
    auto started = std::chrono::steady_clock::now();
    RunOutput output = run(
        vigil_testapp({"--drain", "5s"}, {"--daemon-recorder", dir_.file("daemon"), "--exit", "3"}),
        20s, options());
    EXPECT_EQ(output.result.exit_code, 3) << output.err;
    // SIGCONT follows SIGTERM; the daemon may be gone before it handles it.
    std::vector<int> received = read_recorded_signals(dir_.file("daemon"));
    EXPECT_EQ(count_of(received, SIGTERM), 1u);
    EXPECT_LE(count_of(received, SIGCONT), 1u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// A process started during the drain (here by a leftover's SIGTERM handler,
// which then exits, so the new one is adopted) gets its SIGTERM too, without
// waiting for the deadline.
TEST_P(Drain, ReachesProcessesStartedAndAdoptedDuringTheDrain) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION(
            "qemu-user rejects PR_SET_CHILD_SUBREAPER, so the leftovers go to init");
    // As PID 1, vigil finds the late process in its namespace's own /proc,
    // which the harness can mount only in a mount namespace of its own.
    if (as_pid1())
        REQUIRE_MOUNT_NAMESPACE();
    // The helper is ready (its handlers in place) before the main child
    // exits, and its late process records from its first instant: no signal
    // can fall between a fork and an exec, as it can with shell scripts.
    std::string ready = dir_.file("helper-ready");
    std::string late = dir_.file("late");
    std::string helper = testapp_binary() + " --ready " + ready + " --recorder-on-term " + late +
                         " --term-delay 300";
    auto started = std::chrono::steady_clock::now();
    RunOutput output = run(
        vigil_command({"-c", "--drain", "5s"},
                      {"/bin/sh", "-c",
                       helper + " & while [ ! -e " + ready + " ]; do sleep 0.01; done; sleep 0.1"}),
        20s, options());
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(output.result.exit_code, 0) << output.err;
    EXPECT_EQ(count_of(read_recorded_signals(late), SIGTERM), 1u)
        << "the late process got no SIGTERM, or more than one";
    EXPECT_LT(took, 3s) << "the drain waited for its deadline";
}

// SIGKILL comes at the deadline only: a leftover that finishes its shutdown
// in time is never killed, one that does not is.
TEST_P(Drain, KillsOnlyAtTheDeadline) {
    if (GetParam() == Mode::process)
        SKIP_UNDER_EMULATION(
            "qemu-user rejects PR_SET_CHILD_SUBREAPER, so the leftovers go to init");
    std::string slow = script("slow.sh", "trap 'sleep 0.6; echo done > " + dir_.file("slow-done") +
                                             "; exit 0' TERM\n"
                                             "while :; do sleep 0.05; done\n");
    RunOutput output = run(
        vigil_command({"-c", "--drain", "3s"}, {"/bin/sh", "-c", "sh " + slow + " & sleep 0.2"}),
        20s, options());
    EXPECT_EQ(output.result.exit_code, 0) << output.err;
    EXPECT_EQ(read_file(dir_.file("slow-done")), "done\n") << "killed before its drain ran out";
}

INSTANTIATE_TEST_SUITE_P(Modes, Drain, both_modes(), mode_name);

// A PID namespace whose /proc is the host's (unshare --pid without
// --mount-proc): vigil must not read it (its PIDs are other processes), says
// so once at start, and as PID 1 still drains with kill(-1).
TEST(DrainWithoutProc, SaysWhatItCannotDrainAndStillDrainsAsPid1) {
    REQUIRE_ROOT();
    TempDir dir;
    ProcessOptions options;
    options.pid_namespace = true;
    options.own_proc = false;
    auto started = std::chrono::steady_clock::now();
    RunOutput output = run(
        vigil_testapp({"--drain", "5s"}, {"--daemon-recorder", dir.file("daemon"), "--exit", "0"}),
        20s, options);
    EXPECT_EQ(output.result.exit_code, 0) << output.err;
    EXPECT_NE(output.err.find("cannot read this namespace's /proc"), std::string::npos)
        << output.err;
    EXPECT_EQ(count_of(read_recorded_signals(dir.file("daemon")), SIGTERM), 1u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// Not PID 1 and not the subreaper (the kernel refused, as qemu-user does):
// /proc is readable, so the warning names the real limit and no error.
TEST(DrainLimitation, WithoutSubreaperNamesThatAndNoProcError) {
    vigil::Descendants descendants;
    descendants.prepare(getpid(), false, false);
    int error = -1;
    const char* limitation = descendants.limitation(error);
    ASSERT_NE(limitation, nullptr);
    EXPECT_NE(std::string(limitation).find("not a subreaper"), std::string::npos) << limitation;
    EXPECT_EQ(error, 0);

    descendants.prepare(getpid(), false, true);
    EXPECT_EQ(descendants.limitation(error), nullptr);
}
