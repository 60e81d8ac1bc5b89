// What the supervisor's integration tests share: vigil's command line around
// the test application, the two ways every behaviour is proven (as PID 1 of
// a fresh PID namespace, as in a container, and as an ordinary process, a
// subreaper, as in a pod sharing its PID namespace or run by hand), and
// questions about recorded signals.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process_harness.h"

namespace vigil_test {

// "vigil OPTIONS -- PROGRAM..."
std::vector<std::string> vigil_command(const std::vector<std::string>& vigil_options,
                                       const std::vector<std::string>& program);
// "vigil OPTIONS -- testapp FLAGS..."
std::vector<std::string> vigil_testapp(const std::vector<std::string>& vigil_options,
                                       const std::vector<std::string>& flags);

bool contains(const std::vector<int>& signals, int signal);
size_t count_of(const std::vector<int>& signals, int signal);

enum class Mode { pid1, process };

// A test run both ways: INSTANTIATE_TEST_SUITE_P(Modes, Suite, both_modes(), mode_name).
class BothModes : public ::testing::TestWithParam<Mode> {
  protected:
    void SetUp() override;
    bool as_pid1() const { return GetParam() == Mode::pid1; }
    ProcessOptions options() const;
    TempDir dir_;
};

inline auto both_modes() {
    return ::testing::Values(Mode::pid1, Mode::process);
}
std::string mode_name(const ::testing::TestParamInfo<Mode>& info);

// The host PID of the only child of `parent` (vigil's main child), or -1.
pid_t only_child(pid_t parent);

}  // namespace vigil_test
