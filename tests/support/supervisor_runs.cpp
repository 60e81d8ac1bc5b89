#include "supervisor_runs.h"

#include <algorithm>

namespace vigil_test {

std::vector<std::string> vigil_command(const std::vector<std::string>& vigil_options,
                                       const std::vector<std::string>& program) {
    std::vector<std::string> argv{vigil_binary()};
    argv.insert(argv.end(), vigil_options.begin(), vigil_options.end());
    argv.push_back("--");
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

std::vector<std::string> vigil_testapp(const std::vector<std::string>& vigil_options,
                                       const std::vector<std::string>& flags) {
    std::vector<std::string> program{testapp_binary()};
    program.insert(program.end(), flags.begin(), flags.end());
    return vigil_command(vigil_options, program);
}

bool contains(const std::vector<int>& signals, int signal) {
    return std::find(signals.begin(), signals.end(), signal) != signals.end();
}

size_t count_of(const std::vector<int>& signals, int signal) {
    return static_cast<size_t>(std::count(signals.begin(), signals.end(), signal));
}

void BothModes::SetUp() {
    if (as_pid1())
        REQUIRE_ROOT();
}

ProcessOptions BothModes::options() const {
    ProcessOptions options;
    options.pid_namespace = as_pid1();
    return options;
}

std::string mode_name(const ::testing::TestParamInfo<Mode>& info) {
    return info.param == Mode::pid1 ? "AsPid1" : "AsProcess";
}

pid_t only_child(pid_t parent) {
    std::vector<pid_t> children = child_pids(parent);
    return children.size() == 1 ? children[0] : -1;
}

}  // namespace vigil_test
