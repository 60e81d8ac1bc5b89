#include "scripted_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace vigil_test {
namespace {

const char* reason_for(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 103:
            return "Early Hints";
        case 200:
            return "OK";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 404:
            return "Not Found";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Other";
    }
}

}  // namespace

std::string http_reply(int status, const std::string& extra_headers) {
    std::string reply = "HTTP/1.1 " + std::to_string(status) + " " + reason_for(status) + "\r\n";
    if (status != 204 && status >= 200)
        reply += "Content-Length: 0\r\n";
    return reply + extra_headers + "\r\n";
}

ScriptedServer::ScriptedServer(const std::string& address, ServerScript script)
    : script_(std::move(script)), host_(address) {
    bool ipv6 = address.find(':') != std::string::npos;
    listen_fd_ = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage storage{};
    socklen_t length;
    if (ipv6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr);
        length = sizeof *in6;
        int only = 1;
        setsockopt(listen_fd_, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
    } else {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        inet_pton(AF_INET, address.c_str(), &in->sin_addr);
        length = sizeof *in;
    }
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&storage), length) < 0 ||
        listen(listen_fd_, 16) < 0) {
        if (listen_fd_ >= 0)
            close(listen_fd_);
        listen_fd_ = -1;
        return;
    }
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                       : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
    start_thread();
}

ScriptedServer* ScriptedServer::on_unix_socket(const std::string& path, ServerScript script) {
    auto* server = new ScriptedServer();
    server->script_ = std::move(script);
    server->host_ = "localhost";
    server->listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    unlink(path.c_str());
    if (bind(server->listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 ||
        listen(server->listen_fd_, 16) < 0) {
        close(server->listen_fd_);
        server->listen_fd_ = -1;
        return server;
    }
    server->start_thread();
    return server;
}

void ScriptedServer::start_thread() {
    if (pipe2(stop_pipe_, O_CLOEXEC) < 0)
        return;
    thread_ = std::thread([this] { serve(); });
}

ScriptedServer::~ScriptedServer() {
    if (thread_.joinable()) {
        char stop = 's';
        ssize_t ignored = write(stop_pipe_[1], &stop, 1);
        (void)ignored;
        thread_.join();
    }
    for (int fd : {listen_fd_, stop_pipe_[0], stop_pipe_[1]})
        if (fd >= 0)
            close(fd);
}

std::string ScriptedServer::url(const std::string& path) const {
    bool ipv6 = host_.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_) + path;
}

std::vector<std::string> ScriptedServer::requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

bool ScriptedServer::wait_readable(int fd, int ms) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int ready = poll(fds, 2, ms);
    return ready >= 0 && !(fds[1].revents & POLLIN);
}

void ScriptedServer::serve() {
    for (;;) {
        if (!wait_readable(listen_fd_, -1))
            return;
        int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0)
            continue;
        ++connections_;
        handle(connection);
        close(connection);
    }
}

void ScriptedServer::handle(int connection) {
    if (script_.close_at_once)
        return;
    const std::string& reply = script_.replies.empty()
                                   ? script_.reply
                                   : script_.replies[std::min(static_cast<size_t>(connections_) - 1,
                                                              script_.replies.size() - 1)];
    size_t request_index = 0;
    if (script_.read_request) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            if (!wait_readable(connection, 5000))
                return;
            ssize_t length = recv(connection, buffer, sizeof buffer, MSG_DONTWAIT);
            if (length <= 0)
                break;
            request.append(buffer, static_cast<size_t>(length));
        }
        std::lock_guard<std::mutex> lock(mutex_);
        request_index = requests_.size();
        requests_.push_back(request);
    }
    for (size_t sent = 0; sent < reply.size();) {
        size_t chunk = script_.drip_ms > 0 ? 1 : reply.size() - sent;
        if (script_.drip_ms > 0 && sent > 0) {
            // Wait between bytes, but notice the client leaving or a stop.
            if (!wait_readable(connection, script_.drip_ms))
                return;
        }
        ssize_t written = send(connection, reply.data() + sent, chunk, MSG_NOSIGNAL);
        if (written <= 0)
            return;
        sent += static_cast<size_t>(written);
    }
    if (script_.endless_body) {
        std::string body(16384, 'x');
        while (send(connection, body.data(), body.size(), MSG_NOSIGNAL) > 0) {
        }
        return;
    }
    if (script_.hang) {
        // Until the client hangs up or the test ends; what else it sends
        // belongs to its request.
        char byte;
        while (wait_readable(connection, -1) && recv(connection, &byte, 1, MSG_DONTWAIT) > 0) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (script_.read_request)
                requests_[request_index] += byte;
        }
    }
}

bool have_ipv6_loopback() {
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

uint16_t unused_port() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

}  // namespace vigil_test
