// A pseudo-terminal for tests that type at a program as a person would
// (Ctrl-C, Ctrl-Z, a shell's commands) and read what the terminal shows.
#pragma once

#include <chrono>
#include <string>

#include "process_harness.h"

namespace vigil_test {

// A pseudo-terminal pair; the test types into the master side, the program
// under test gets the slave side.
class Terminal {
  public:
    Terminal();
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    bool ok() const { return master_ >= 0 && slave_ >= 0; }
    int slave() const { return slave_; }
    void close_slave();

    // Writes `keys` as if typed; false when the terminal did not take them.
    bool type(const std::string& keys);

    // Reads what the terminal shows until `text` appears (after what earlier
    // calls found) or `timeout` passes.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
    const std::string& screen() const { return screen_; }

  private:
    int master_ = -1;
    int slave_ = -1;
    std::string screen_;
    size_t searched_from_ = 0;
};

// A program on `terminal`: the slave side is its stdin, stdout and stderr,
// and it leads a new session whose controlling terminal it is, as a
// container runtime makes its init under `docker run -it`.
ProcessOptions on_terminal(const Terminal& terminal, bool pid_namespace);

}  // namespace vigil_test
