#include "grpc_servers.h"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

namespace vigil_test {
namespace {

using namespace std::chrono_literals;

// Debian's python3-grpcio installs into the system Python, which a pyenv
// or virtualenv python3 earlier on PATH may not see.
const char* const system_python = "/usr/bin/python3";

std::vector<std::string> command(GrpcServerKind kind) {
    switch (kind) {
        case GrpcServerKind::go:
            return {GRPC_GO_SERVER};
        case GrpcServerKind::python:
            return {system_python, GRPC_TEST_SOURCE_DIR "/health_server.py"};
        case GrpcServerKind::node:
            return {"/usr/bin/env", "node", GRPC_TEST_SOURCE_DIR "/node/health_server.js"};
    }
    return {};
}

bool succeeds(const std::vector<std::string>& argv) {
    RunOutput output = run(argv, 30s);
    return output.result.exited && output.result.exit_code == 0;
}

size_t count(const std::string& text, const std::string& what) {
    size_t found = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++found;
    return found;
}

}  // namespace

const char* grpc_server_name(GrpcServerKind kind) {
    switch (kind) {
        case GrpcServerKind::go:
            return "grpc-go";
        case GrpcServerKind::python:
            return "gRPC for Python";
        case GrpcServerKind::node:
            return "gRPC for Node";
    }
    return "?";
}

std::string grpc_go_server_binary() {
    return GRPC_GO_SERVER;
}

std::string grpc_server_unavailable(GrpcServerKind kind) {
    switch (kind) {
        case GrpcServerKind::go:
            if (access(GRPC_GO_SERVER, X_OK) != 0)
                return "the grpc-go health server was not built (install golang-go and "
                       "golang-google-grpc-dev, then configure again)";
            return "";
        case GrpcServerKind::python:
            if (!succeeds({system_python, "-c", "import grpc"}))
                return "gRPC for Python is missing (install python3-grpcio)";
            return "";
        case GrpcServerKind::node:
            if (!succeeds({"/usr/bin/env", "node", "-e",
                           "require('" GRPC_TEST_SOURCE_DIR "/node/node_modules/@grpc/grpc-js');"
                           "require('" GRPC_TEST_SOURCE_DIR
                           "/node/node_modules/grpc-health-check')"}))
                return "gRPC for Node is missing (install nodejs, then run "
                       "tests/grpc/install-node-deps.sh)";
            return "";
    }
    return "unknown server";
}

GrpcHealthServer::GrpcHealthServer(GrpcServerKind kind, const GrpcServerOptions& options) {
    std::vector<std::string> argv = command(kind);
    bool dashes = kind != GrpcServerKind::go;  // Go's flag package takes "-listen" too
    if (options.unix_socket.empty())
        argv.insert(argv.end(), {dashes ? "--listen" : "-listen", options.listen});
    else
        argv.insert(argv.end(), {dashes ? "--unix" : "-unix", options.unix_socket});
    if (options.no_health)
        argv.push_back(dashes ? "--no-health" : "-no-health");
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return;
    ProcessOptions process_options;
    process_options.stdin_fd = fds[0];
    process_ = std::make_unique<Process>(argv, process_options);
    close(fds[0]);
    input_ = fds[1];
    const std::string marker = "listening on ";
    if (!wait_until(
            [&] {
                return process_->out().find('\n', process_->out().find(marker)) !=
                           std::string::npos &&
                       process_->out().find(marker) != std::string::npos;
            },
            20s))
        return;
    const std::string& out = process_->out();
    size_t start = out.find(marker) + marker.size();
    address_ = out.substr(start, out.find('\n', start) - start);
}

GrpcHealthServer::~GrpcHealthServer() {
    stop();
}

std::string GrpcHealthServer::url(const std::string& service) const {
    std::string host = address_;
    if (host.rfind("/", 0) == 0)  // a unix socket: --unix-socket connects, the URL names it
        host = "localhost:50051";
    return "grpc://" + host + (service.empty() ? "" : "/" + service);
}

bool GrpcHealthServer::set_status(const std::string& service, const std::string& status) {
    std::string line = (service.empty() ? "-" : service) + " " + status + "\n";
    if (input_ < 0 || write(input_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        return false;
    ++confirmed_;
    return wait_until([&] { return count(process_->out(), "ok\n") >= confirmed_; }, 10s);
}

void GrpcHealthServer::stop() {
    if (input_ >= 0) {
        close(input_);
        input_ = -1;
    }
    if (process_)
        process_->wait(10s);
}

std::string GrpcHealthServer::output() {
    return process_ ? process_->out() + process_->err() : "not started";
}

}  // namespace vigil_test
