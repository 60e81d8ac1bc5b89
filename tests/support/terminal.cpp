#include "terminal.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

namespace vigil_test {

Terminal::Terminal() {
    master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0 || grantpt(master_) < 0 || unlockpt(master_) < 0)
        return;
    slave_ = open(ptsname(master_), O_RDWR | O_NOCTTY | O_CLOEXEC);
}

Terminal::~Terminal() {
    if (slave_ >= 0)
        close(slave_);
    if (master_ >= 0)
        close(master_);
}

void Terminal::close_slave() {
    close(slave_);
    slave_ = -1;
}

bool Terminal::type(const std::string& keys) {
    return write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size());
}

bool Terminal::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (screen_.find(text, searched_from_) == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd ready{master_, POLLIN, 0};
        if (poll(&ready, 1, static_cast<int>(left.count())) <= 0)
            continue;
        char buffer[1024];
        ssize_t length = read(master_, buffer, sizeof buffer);
        if (length <= 0)
            return false;
        screen_.append(buffer, static_cast<size_t>(length));
    }
    searched_from_ = screen_.find(text, searched_from_) + text.size();
    return true;
}

ProcessOptions on_terminal(const Terminal& terminal, bool pid_namespace) {
    ProcessOptions options;
    options.stdin_fd = terminal.slave();
    options.new_session = true;
    options.output_to_stdin = true;
    options.capture_output = false;
    options.pid_namespace = pid_namespace;
    return options;
}

}  // namespace vigil_test
