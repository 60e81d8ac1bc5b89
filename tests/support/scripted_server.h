// Servers for the probe tests, on loopback or a unix socket, each on its own
// thread and following a script: what to answer, how fast, and whether to
// hang up. They play the servers a health probe meets in real life: healthy
// ones, failing ones, slow ones, silent ones, and ones that are not HTTP.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil_test {

struct ServerScript {
    bool read_request = true;  // read up to the end of the request head first
    std::string reply;         // sent after that
    // When not empty: the reply to the Nth connection, the last one for all
    // connections after (overrides `reply`).
    std::vector<std::string> replies;
    int drip_ms = 0;            // > 0: send the reply one byte per drip_ms
    bool endless_body = false;  // after the reply, send body bytes until the client leaves
    bool hang = false;          // after the reply, keep the connection open (and record what comes)
    bool close_at_once = false;  // accept, then close without reading or sending
};

// A plain HTTP reply with an empty body.
std::string http_reply(int status, const std::string& extra_headers = "");

class ScriptedServer {
  public:
    // Listens on `address` ("127.0.0.1", "::1") at an ephemeral port.
    ScriptedServer(const std::string& address, ServerScript script);
    // Listens on a unix socket at `path`.
    static ScriptedServer* on_unix_socket(const std::string& path, ServerScript script);
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    bool listening() const { return listen_fd_ >= 0; }
    uint16_t port() const { return port_; }
    std::string url(const std::string& path = "/healthz") const;
    // The request heads received so far, in order (with a hanging script,
    // everything the client sent).
    std::vector<std::string> requests();
    int connections() const { return connections_; }

  private:
    ScriptedServer() = default;
    void start_thread();
    void serve();
    void handle(int connection);
    // Waits up to `ms` (-1: for ever) for `fd` to be readable or the stop
    // pipe to fire; false when stopping.
    bool wait_readable(int fd, int ms);

    ServerScript script_;
    std::string host_;
    int listen_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    uint16_t port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::atomic<int> connections_{0};
};

// True when this machine has an IPv6 loopback to test with.
bool have_ipv6_loopback();

// A port on 127.0.0.1 that nothing listens on (bound, then released).
uint16_t unused_port();

}  // namespace vigil_test
