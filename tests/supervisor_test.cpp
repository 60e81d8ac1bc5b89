// vigil as an ordinary process (not PID 1): the built binary, run for real.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "process_harness.h"
#include "strict_json.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> vigil(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), vigil_binary());
    return arguments;
}

// "vigil [options] -- testapp [flags]"
std::vector<std::string> vigil_app(std::vector<std::string> options,
                                   std::vector<std::string> flags) {
    std::vector<std::string> argv = vigil(std::move(options));
    argv.push_back("--");
    argv.push_back(testapp_binary());
    argv.insert(argv.end(), flags.begin(), flags.end());
    return argv;
}

// Fields 5 (pgrp) and 6 (session) of /proc/PID/stat.
std::pair<long, long> group_and_session(pid_t pid) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string state;
    long parent = 0, group = 0, session = 0;
    rest >> state >> parent >> group >> session;
    return {group, session};
}

pid_t read_pid(const std::string& path) {
    return static_cast<pid_t>(std::atol(read_file(path).c_str()));
}

}  // namespace

TEST(Supervisor, ExitsWithTheChildsExitStatus) {
    for (int code : {0, 1, 3, 42, 100, 126, 127, 128, 200, 254, 255}) {
        auto output = run(vigil_app({}, {"--exit", std::to_string(code)}), 10s);
        ASSERT_TRUE(output.result.exited);
        EXPECT_EQ(output.result.exit_code, code) << output.err;
    }
}

TEST(Supervisor, ReportsDeathBySignalNAs128PlusN) {
    for (int signal : {SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGUSR1, SIGHUP}) {
        auto output = run(vigil_app({}, {"--kill-self", std::to_string(signal)}), 10s);
        ASSERT_TRUE(output.result.exited);
        EXPECT_EQ(output.result.exit_code, 128 + signal) << "signal " << signal << output.err;
        EXPECT_EQ(output.result.signal, 0);  // vigil itself exits normally
    }
}

TEST(Supervisor, RemapExitReportsChosenStatusesAsSuccess) {
    EXPECT_EQ(run(vigil_app({"-e", "3"}, {"--exit", "3"}), 10s).result.exit_code, 0);
    EXPECT_EQ(run(vigil_app({"-e", "3"}, {"--exit", "4"}), 10s).result.exit_code, 4);
    EXPECT_EQ(run(vigil_app({"-e", "143"}, {"--kill-self", "15"}), 10s).result.exit_code, 0);
    EXPECT_EQ(run(vigil_app({"-e", "143", "-e", "1"}, {"--exit", "1"}), 10s).result.exit_code, 0);
}

TEST(Supervisor, MissingProgramExits127NamingIt) {
    auto output = run(vigil({"/nonexistent/app"}), 10s);
    EXPECT_EQ(output.result.exit_code, 127);
    EXPECT_NE(output.err.find("/nonexistent/app"), std::string::npos) << output.err;
    EXPECT_NE(output.err.find("No such file or directory"), std::string::npos) << output.err;
    EXPECT_EQ(run(vigil({"no-such-program-anywhere"}), 10s).result.exit_code, 127);
}

namespace {

// Standard error without the warnings that vigil under qemu-user gives
// first, as qemu rejects PR_SET_CHILD_SUBREAPER (natively: all of it).
std::string without_subreaper_warnings(const std::string& err) {
    if (emulation().empty())
        return err;
    std::string kept;
    size_t start = 0;
    while (start < err.size()) {
        size_t end = err.find('\n', start);
        end = end == std::string::npos ? err.size() : end + 1;
        std::string line = err.substr(start, end - start);
        if (line.find("subreaper") == std::string::npos)
            kept += line;
        start = end;
    }
    return kept;
}

}  // namespace

// `vigil -- $'/no/such\nvigil: forged'` printed a second, forged vigil line.
TEST(Supervisor, AProgramNameCannotForgeALogLine) {
    auto output = run(vigil({"--", "/no/such\nvigil: forged"}), 10s);
    output.err = without_subreaper_warnings(output.err);
    EXPECT_EQ(output.result.exit_code, 127);
    EXPECT_EQ(output.err,
              "vigil: error: cannot run program program=\"/no/such\\nvigil: forged\" "
              "error=\"No such file or directory\"\n");

    // In JSON, bytes that are not UTF-8 still make valid JSON.
    output = run(vigil({"--log-format", "json", "--", "/no/such/\x9b\xc2\x9b\xff\n"}), 10s);
    output.err = without_subreaper_warnings(output.err);
    EXPECT_EQ(output.result.exit_code, 127);
    ASSERT_EQ(std::count(output.err.begin(), output.err.end(), '\n'), 1) << output.err;
    EXPECT_TRUE(is_strict_json(output.err.substr(0, output.err.size() - 1))) << output.err;
    EXPECT_NE(output.err.find(R"("program":"/no/such/\\x9b\u009b\\xff\n")"), std::string::npos)
        << output.err;
}

// The value given, C1 controls and stray bytes included, is shown escaped.
TEST(Supervisor, UsageErrorsWriteWhatTheUserGaveVisibly) {
    auto output = run(vigil({"--grace", "\x9b\xc2\x9b\x1b[2J", "--", "true"}), 10s);
    EXPECT_EQ(output.result.exit_code, 2);
    EXPECT_EQ(std::count(output.err.begin(), output.err.end(), '\n'), 1) << output.err;
    EXPECT_NE(output.err.find("'\\x9b\\u009b\\x1b[2J'"), std::string::npos) << output.err;
    EXPECT_TRUE(is_safe_line(output.err.substr(0, output.err.size() - 1))) << output.err;
}

TEST(Supervisor, NonExecutableProgramExits126NamingIt) {
    TempDir dir;
    std::ofstream(dir.file("script")) << "not a program\n";
    auto output = run(vigil({dir.file("script")}), 10s);
    EXPECT_EQ(output.result.exit_code, 126);
    EXPECT_NE(output.err.find(dir.file("script")), std::string::npos) << output.err;
    EXPECT_NE(output.err.find("Permission denied"), std::string::npos) << output.err;
    EXPECT_EQ(run(vigil({dir.path()}), 10s).result.exit_code, 126);  // a directory
}

// libc's execvp says EACCES for a program found nowhere when a directory on
// PATH cannot be searched (found by running the README's test line as a new
// user under su, whose PATH kept root's directories): vigil said 126
// "Permission denied" for a missing program. Found nowhere is 127 whatever
// PATH holds; 126 is for a file found and not executable.
TEST(Supervisor, AnUnsearchableDirectoryOnPathIsSkippedLikeAnEmptyOne) {
    TempDir dir;
    std::string locked = dir.file("locked"), found = dir.file("found");
    ASSERT_EQ(mkdir(locked.c_str(), 0700), 0);
    ASSERT_EQ(mkdir(found.c_str(), 0755), 0);
    std::ofstream(found + "/not-executable") << "not a program\n";
    ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
    // Root searches any directory: run vigil as nobody there (a copy, where
    // nobody may run it); others lock the directory against themselves.
    std::vector<std::string> as_user;
    std::string binary = vigil_binary();
    if (geteuid() == 0) {
        binary = dir.file("vigil");
        ASSERT_EQ(run({"/bin/cp", vigil_binary(), binary}, 10s).result.exit_code, 0);
        as_user = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
        std::vector<std::string> version = as_user;
        version.insert(version.end(), {binary, "--version"});
        RunOutput output = run(version, 10s);
        ASSERT_EQ(output.result.exit_code, 0) << "vigil --version as nobody: " << output.err;
    } else {
        ASSERT_EQ(chmod(locked.c_str(), 0), 0);
    }
    auto vigil_with_path = [&](const std::string& path, const std::string& program) {
        std::vector<std::string> argv = as_user;
        argv.insert(argv.end(), {"/usr/bin/env", "PATH=" + path, binary, "--", program});
        return run(argv, 10s);
    };
    RunOutput missing = vigil_with_path(locked + ":/usr/bin:/bin", "no-such-program-anywhere");
    EXPECT_EQ(missing.result.exit_code, 127) << missing.err;
    EXPECT_NE(missing.err.find("No such file or directory"), std::string::npos) << missing.err;
    EXPECT_EQ(vigil_with_path(locked + ":/usr/bin:/bin", "true").result.exit_code, 0);
    RunOutput denied = vigil_with_path(locked + ":" + found, "not-executable");
    EXPECT_EQ(denied.result.exit_code, 126) << denied.err;
    EXPECT_NE(denied.err.find("Permission denied"), std::string::npos) << denied.err;
    chmod(locked.c_str(), 0700);  // for TempDir's removal
}

TEST(Supervisor, UsageErrorExits2WithOneLineAndNeverStartsTheChild) {
    TempDir dir;
    for (auto options : std::vector<std::vector<std::string>>{
             {"--grace", "soon"}, {"--bogus"}, {"-r", "NOPE:TERM"}, {"-e", "300"}}) {
        auto argv = vigil_app(options, {"--ready", dir.file("started")});
        auto output = run(argv, 10s);
        EXPECT_EQ(output.result.exit_code, 2) << output.err;
        EXPECT_EQ(std::count(output.err.begin(), output.err.end(), '\n'), 1) << output.err;
        EXPECT_NE(output.err.find("vigil --help"), std::string::npos) << output.err;
        EXPECT_TRUE(output.out.empty());
    }
    auto output = run(vigil_app({}, {"--ready", dir.file("started")}), 10s,
                      ProcessOptions{.environment = {"VIGIL_DRAIN=forever"}});
    EXPECT_EQ(output.result.exit_code, 2);
    EXPECT_NE(output.err.find("VIGIL_DRAIN"), std::string::npos) << output.err;
    // vigil has exited: a child it started would have had a second to write.
    EXPECT_NE(access(dir.file("started").c_str(), F_OK), 0) << "the child was started";
    EXPECT_EQ(run(vigil({}), 10s).result.exit_code, 2);
}

TEST(Supervisor, VersionAndHelpPrintToStdoutAndExit0) {
    auto version = run(vigil({"--version"}), 10s);
    EXPECT_EQ(version.result.exit_code, 0);
    EXPECT_EQ(version.out.rfind("vigil 0.", 0), 0u) << version.out;
    // dockerd's reading of `docker-init --version` (daemon/info_unix.go,
    // parseInitVersion): split at " - ", the second part "git.COMMIT" with
    // exactly one dot. `docker info` shows COMMIT, which holds the version.
    std::string line = version.out.substr(0, version.out.find('\n'));
    EXPECT_EQ(version.out, line + "\n") << "one line only";
    size_t dash = line.find(" - ");
    ASSERT_NE(dash, std::string::npos) << line;
    std::string commit_part = line.substr(dash + 3);
    EXPECT_EQ(commit_part.find(" - "), std::string::npos) << line;
    ASSERT_EQ(commit_part.rfind("git.", 0), 0u) << line;
    std::string commit = commit_part.substr(4);
    EXPECT_EQ(commit.find('.'), std::string::npos) << line;
    std::string version_token = "v" + std::string(VIGIL_PROJECT_VERSION);
    for (char& c : version_token) c = c == '.' ? '_' : c;
    EXPECT_EQ(commit.rfind(version_token, 0), 0u) << line;
    EXPECT_EQ(line.substr(0, dash), "vigil " + std::string(VIGIL_PROJECT_VERSION));
    auto help = run(vigil({"--help"}), 10s);
    EXPECT_EQ(help.result.exit_code, 0);
    for (const char* option :
         {"--grace", "--drain", "--rewrite", "--single-child", "--remap-exit", "--pdeathsig",
          "--subreaper", "--warn-reap", "--verbose", "--log-format", "VIGIL_GRACE", "VIGIL_DRAIN",
          "VIGIL_VERBOSITY", "VIGIL_LOG_FORMAT", "probe"})
        EXPECT_NE(help.out.find(option), std::string::npos) << option;
}

TEST(Supervisor, OwnMessagesGoToStderrOnly) {
    auto output = run(vigil_app({"-vv"}, {"--exit", "0"}), 10s);
    EXPECT_EQ(output.result.exit_code, 0);
    EXPECT_TRUE(output.out.empty()) << output.out;
    EXPECT_NE(output.err.find("vigil: started child"), std::string::npos) << output.err;
    // Default verbosity: nothing at all for a clean run.
    SKIP_UNDER_EMULATION("qemu-user rejects PR_SET_CHILD_SUBREAPER, so vigil warns once");
    EXPECT_TRUE(run(vigil_app({}, {"--exit", "0"}), 10s).err.empty());
}

TEST(Supervisor, JsonLogFormatWritesOneObjectPerLine) {
    auto output = run(vigil_app({"-v"}, {"--exit", "5"}), 10s,
                      ProcessOptions{.environment = {"VIGIL_LOG_FORMAT=json"}});
    EXPECT_EQ(output.result.exit_code, 5);
    std::istringstream lines(output.err);
    std::string line;
    int count = 0;
    bool saw_exit = false;
    while (std::getline(lines, line)) {
        ++count;
        EXPECT_TRUE(is_strict_json(line)) << line;
        EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u) << line;
        EXPECT_EQ(line.back(), '}') << line;
        EXPECT_NE(line.find("\"level\":\""), std::string::npos) << line;
        EXPECT_NE(line.find("\"msg\":\""), std::string::npos) << line;
        saw_exit |= line.find("\"msg\":\"child exited\"") != std::string::npos &&
                    line.find("\"status\":5") != std::string::npos;
    }
    EXPECT_GE(count, 2);
    EXPECT_TRUE(saw_exit) << output.err;
}

TEST(Supervisor, ChildGetsItsOwnSessionAndProcessGroup) {
    TempDir dir;
    Process vigil_process(
        vigil_app({}, {"--pid-file", dir.file("pid"), "--ready", dir.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    pid_t child = read_pid(dir.file("pid"));
    auto [group, session] = group_and_session(child);
    EXPECT_EQ(group, child);
    EXPECT_EQ(session, child);
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

TEST(Supervisor, SingleChildSharesVigilsProcessGroup) {
    TempDir dir;
    Process vigil_process(
        vigil_app({"-c"}, {"--pid-file", dir.file("pid"), "--ready", dir.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    auto [child_group, child_session] = group_and_session(read_pid(dir.file("pid")));
    auto [vigil_group, vigil_session] = group_and_session(vigil_process.pid());
    EXPECT_EQ(child_group, vigil_group);
    EXPECT_EQ(child_session, vigil_session);
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

TEST(Supervisor, ChildKeepsEnvironmentAndWorkingDirectory) {
    SKIP_UNDER_EMULATION("qemu-user hands the emulated program its environment in reverse order");
    auto direct = run({"/usr/bin/env"}, 10s, ProcessOptions{.environment = {"APP_SETTING=a b=c"}});
    auto through =
        run(vigil({"/usr/bin/env"}), 10s, ProcessOptions{.environment = {"APP_SETTING=a b=c"}});
    EXPECT_EQ(through.result.exit_code, 0);
    EXPECT_EQ(through.out, direct.out);
    EXPECT_NE(through.out.find("APP_SETTING=a b=c"), std::string::npos);

    char cwd[4096];
    ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
    EXPECT_EQ(run(vigil({"/bin/pwd"}), 10s).out, std::string(cwd) + "\n");
}

TEST(Supervisor, ChildGetsBackTheInheritedSignalMaskAndIgnoredSignals) {
    // The shell ignores USR1 and HUP, then execs vigil; the child must see
    // them ignored, and nothing blocked (vigil blocks everything for itself).
    std::string command = "trap '' USR1 HUP; exec " + vigil_binary() +
                          " -- grep -E '^Sig(Blk|Ign)' /proc/self/status";
    auto through = run({"/bin/sh", "-c", command}, 10s);
    auto direct = run(
        {"/bin/sh", "-c", "trap '' USR1 HUP; exec grep -E '^Sig(Blk|Ign)' /proc/self/status"}, 10s);
    EXPECT_EQ(through.result.exit_code, 0) << through.err;
    EXPECT_EQ(through.out, direct.out);
    EXPECT_NE(through.out.find("SigBlk:\t0000000000000000"), std::string::npos) << through.out;
    // Bits 1 (HUP) and 10 (USR1) => 0x201.
    EXPECT_NE(through.out.find("SigIgn:\t0000000000000201"), std::string::npos) << through.out;
}

TEST(Supervisor, ChildInheritsNoDescriptorOfVigils) {
    auto direct = run({"/bin/ls", "/proc/self/fd"}, 10s);
    auto through = run(vigil({"/bin/ls", "/proc/self/fd"}), 10s);
    EXPECT_EQ(through.result.exit_code, 0);
    EXPECT_EQ(through.out, direct.out);
}

TEST(Supervisor, IdleVigilDoesNotWakeUp) {
    TempDir dir;
    Process vigil_process(vigil_app({}, {"--ready", dir.file("ready")}));
    ASSERT_TRUE(wait_for_file(dir.file("ready"), 5s));
    usleep(200 * 1000);
    auto before = proc_status_field(vigil_process.pid(), "voluntary_ctxt_switches");
    auto before_forced = proc_status_field(vigil_process.pid(), "nonvoluntary_ctxt_switches");
    sleep(2);
    auto after = proc_status_field(vigil_process.pid(), "voluntary_ctxt_switches");
    ASSERT_TRUE(before && after);
    EXPECT_EQ(*after, *before) << "vigil woke up while idle";
    EXPECT_EQ(*proc_status_field(vigil_process.pid(), "nonvoluntary_ctxt_switches"),
              *before_forced);
    vigil_process.send_signal(SIGTERM);
    EXPECT_EQ(vigil_process.wait(10s).exit_code, 0);
}

TEST(Supervisor, ParentDeathSignalIsDeliveredAndForwarded) {
    // A parent shell starts vigil in the background and exits; the kernel then
    // sends vigil USR1 (-p), which it forwards to the application.
    TempDir dir;
    std::string command = vigil_binary() + " -p USR1 -- " + testapp_binary() + " --record " +
                          dir.file("record") + " --ready " + dir.file("ready") + " & echo $! > " +
                          dir.file("vigil.pid") + "; while [ ! -e " + dir.file("ready") +
                          " ]; do sleep 0.05; done; exit 0";
    auto parent = run({"/bin/sh", "-c", command}, 10s);
    ASSERT_EQ(parent.result.exit_code, 0);
    bool forwarded = wait_until(
        [&] {
            auto signals = read_recorded_signals(dir.file("record"));
            return std::find(signals.begin(), signals.end(), SIGUSR1) != signals.end();
        },
        5s);
    EXPECT_TRUE(forwarded);
    pid_t vigil_pid = read_pid(dir.file("vigil.pid"));
    if (vigil_pid > 0)
        kill(vigil_pid, SIGTERM);
    EXPECT_TRUE(
        wait_until([&] { return kill(vigil_pid, 0) != 0 || proc_state(vigil_pid) == 'Z'; }, 5s));
}
