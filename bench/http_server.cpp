#include "http_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace bench {
namespace {

void write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t written = write(fd, text.data(), text.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;  // the client went away; nothing to do about it
        text.remove_prefix(static_cast<size_t>(written));
    }
}

// Reads the request head (a probe sends no body), then answers. A client
// that sends nothing for 2 s is dropped, so one stuck probe cannot stall the
// server for the others.
void answer(int connection) {
    timeval timeout{2, 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string request;
    char buffer[2048];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
        ssize_t length = read(connection, buffer, sizeof buffer);
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0)
            return;
        request.append(buffer, static_cast<size_t>(length));
    }
    constexpr std::string_view head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
        "Connection: close\r\n\r\n";
    write_all(connection, head);
    if (request.compare(0, 5, "HEAD ") != 0)
        write_all(connection, "ok\n");
}

[[noreturn]] void serve(int listener) {
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        int connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0) {
            if (errno != EINTR && errno != ECONNABORTED)
                std::perror("bench: http server: accept4");
            continue;
        }
        answer(connection);
        close(connection);
    }
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start() {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return fail(errno_message("socket"));
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // the kernel picks a free port
    socklen_t length = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 ||
        listen(listener, 128) < 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        std::string message = errno_message("bind/listen on 127.0.0.1");
        close(listener);
        return fail(message);
    }
    pid_t pid = fork();
    if (pid < 0) {
        std::string message = errno_message("fork http server");
        close(listener);
        return fail(message);
    }
    if (pid == 0)
        serve(listener);
    close(listener);
    return std::unique_ptr<HttpServer>(new HttpServer(pid, ntohs(address.sin_port)));
}

HttpServer::~HttpServer() {
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
}

std::string HttpServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/healthz";
}

}  // namespace bench
