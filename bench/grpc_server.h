// The gRPC server the gRPC probe asks: grpc-go's own health service, the
// program the gRPC probe's tests use (tests/grpc/health_server.go, built
// offline from Debian's golang-google-grpc-dev by bench/CMakeLists.txt), on
// 127.0.0.1 and a free port. grpc-go's health server reports the server's
// overall health SERVING from the start, which is what `vigil probe
// grpc://HOST:PORT` asks. The program says "listening on ADDRESS" once it
// accepts connections, and runs until its stdin closes.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "result.h"

namespace bench {

class GrpcServer {
  public:
    // `program` is the built health server; what it prints on stderr goes
    // to `log_fd` (the children's log).
    static Result<std::unique_ptr<GrpcServer>> start(const std::string& program, int log_fd);
    ~GrpcServer();  // kills and reaps the server process
    GrpcServer(const GrpcServer&) = delete;
    GrpcServer& operator=(const GrpcServer&) = delete;

    std::string url() const;  // grpc://127.0.0.1:PORT

  private:
    GrpcServer(pid_t pid, int input, int output, std::string address)
        : pid_(pid), input_(input), output_(output), address_(std::move(address)) {}

    pid_t pid_;
    int input_;   // the server's stdin, held open: it stops when stdin closes
    int output_;  // its stdout, held open so that a later line cannot hit a closed pipe
    std::string address_;
};

}  // namespace bench
