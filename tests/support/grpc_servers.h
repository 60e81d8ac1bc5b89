// Real gRPC servers that nobody here wrote, each serving the standard health
// service (grpc.health.v1.Health) with statuses a test sets: grpc-go's own
// health server, gRPC for Python (grpcio's C core) and gRPC for Node
// (@grpc/grpc-js with grpc-health-check). The programs are in tests/grpc/;
// each prints "listening on ADDRESS" and takes "SERVICE STATUS" lines on
// stdin. A server whose runtime is missing is skipped with the reason, or,
// under CI=true, fails the test (REQUIRE_GRPC_SERVER).
#pragma once

#include <memory>
#include <string>

#include "process_harness.h"

namespace vigil_test {

enum class GrpcServerKind { go, python, node };

const char* grpc_server_name(GrpcServerKind kind);  // "grpc-go", ...
// Empty when the server can run here; otherwise why not, and what installs it.
std::string grpc_server_unavailable(GrpcServerKind kind);
// The grpc-go health server's binary, built static so that the end-to-end
// tests can put it into FROM-scratch images too.
std::string grpc_go_server_binary();

#define REQUIRE_GRPC_SERVER(kind)                                          \
    do {                                                                   \
        std::string why_not = ::vigil_test::grpc_server_unavailable(kind); \
        if (!why_not.empty()) {                                            \
            if (::vigil_test::in_ci())                                     \
                FAIL() << why_not << "; CI=true forbids skipping";         \
            GTEST_SKIP() << why_not;                                       \
        }                                                                  \
    } while (0)

struct GrpcServerOptions {
    std::string listen = "127.0.0.1:0";  // or "[::1]:0"
    std::string unix_socket;             // listen here instead
    bool no_health = false;              // no health service: calls get UNIMPLEMENTED
};

class GrpcHealthServer {
  public:
    GrpcHealthServer(GrpcServerKind kind, const GrpcServerOptions& options = {});
    ~GrpcHealthServer();
    GrpcHealthServer(const GrpcHealthServer&) = delete;
    GrpcHealthServer& operator=(const GrpcHealthServer&) = delete;

    // True once the server listens (within 20 s); `output()` says why not.
    bool started() const { return !address_.empty(); }
    // "127.0.0.1:PORT", "[::1]:PORT" or the unix socket's path.
    const std::string& address() const { return address_; }
    std::string url(const std::string& service = "") const;
    // Sets SERVICE's status ("" is the server's overall health) and waits
    // for the server to confirm.
    bool set_status(const std::string& service, const std::string& status);
    // Stops the server (closing its stdin) and waits for it to exit.
    void stop();
    std::string output();

  private:
    std::unique_ptr<Process> process_;
    int input_ = -1;  // the server's stdin
    std::string address_;
    size_t confirmed_ = 0;
};

}  // namespace vigil_test
