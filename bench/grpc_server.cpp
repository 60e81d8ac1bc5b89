#include "grpc_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "clock.h"

namespace bench {
namespace {

constexpr int64_t start_timeout_ns = 20'000'000'000;
const std::string listening = "listening on ";

void close_pair(int fds[2]) {
    close(fds[0]);
    close(fds[1]);
}

// Reads the server's stdout until it names its address, gives up, or 20 s
// pass. Returns the address ("127.0.0.1:PORT").
Result<std::string> read_address(int output) {
    std::string said;
    int64_t deadline = monotonic_ns() + start_timeout_ns;
    for (;;) {
        size_t start = said.find(listening);
        size_t end = start == std::string::npos ? start : said.find('\n', start);
        if (end != std::string::npos)
            return said.substr(start + listening.size(), end - start - listening.size());
        int64_t left = deadline - monotonic_ns();
        if (left <= 0)
            return fail("the gRPC server did not say it was listening within 20 s");
        pollfd readable{output, POLLIN, 0};
        int ready = poll(&readable, 1, static_cast<int>(left / 1'000'000) + 1);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return fail(errno_message("poll the gRPC server's output"));
        if (ready == 0)
            continue;
        char buffer[512];
        ssize_t length = read(output, buffer, sizeof buffer);
        if (length < 0 && errno == EINTR)
            continue;
        if (length < 0)
            return fail(errno_message("read the gRPC server's output"));
        if (length == 0)
            return fail("the gRPC server exited before listening" +
                        (said.empty() ? std::string() : "; it said: " + said));
        said.append(buffer, static_cast<size_t>(length));
    }
}

}  // namespace

Result<std::unique_ptr<GrpcServer>> GrpcServer::start(const std::string& program, int log_fd) {
    if (access(program.c_str(), X_OK) != 0)
        return fail("the grpc-go health server was not built (" + program +
                    "; install golang-go and golang-google-grpc-dev, then build again)");
    int input[2];
    int output[2];
    if (pipe2(input, O_CLOEXEC) < 0)
        return fail(errno_message("pipe2"));
    if (pipe2(output, O_CLOEXEC) < 0) {
        std::string message = errno_message("pipe2");
        close_pair(input);
        return fail(message);
    }
    std::string address_flag = "127.0.0.1:0";
    char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("-listen"),
                    address_flag.data(), nullptr};
    pid_t pid = fork();
    if (pid < 0) {
        std::string message = errno_message("fork the gRPC server");
        close_pair(input);
        close_pair(output);
        return fail(message);
    }
    if (pid == 0) {
        dup2(input[0], STDIN_FILENO);
        dup2(output[1], STDOUT_FILENO);
        if (log_fd >= 0)
            dup2(log_fd, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    close(input[0]);
    close(output[1]);
    Result<std::string> address = read_address(output[0]);
    if (!address) {
        kill(pid, SIGKILL);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        close(input[1]);
        close(output[0]);
        return fail(address.error());
    }
    return std::unique_ptr<GrpcServer>(new GrpcServer(pid, input[1], output[0], *address));
}

GrpcServer::~GrpcServer() {
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    close(input_);
    close(output_);
}

std::string GrpcServer::url() const {
    return "grpc://" + address_;
}

}  // namespace bench
