// The HTTP server every probe asks: a forked process on 127.0.0.1 (a free
// port) that answers each connection with "200 OK" and closes it, one
// connection at a time, like a minimal health endpoint.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "result.h"

namespace bench {

class HttpServer {
  public:
    static Result<std::unique_ptr<HttpServer>> start();
    ~HttpServer();  // kills and reaps the server process
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::string url() const;  // http://127.0.0.1:PORT/healthz

  private:
    HttpServer(pid_t pid, int port) : pid_(pid), port_(port) {}

    pid_t pid_;
    int port_;
};

}  // namespace bench
