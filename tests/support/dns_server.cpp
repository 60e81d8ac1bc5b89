#include "dns_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace vigil_test {
namespace {

constexpr uint16_t type_a = 1;
constexpr uint16_t type_cname = 5;
constexpr uint16_t type_aaaa = 28;

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

void put16(std::string& out, unsigned value) {
    out += static_cast<char>(value >> 8);
    out += static_cast<char>(value & 0xff);
}

std::string encode_name(const std::string& name) {
    std::string out;
    size_t start = 0;
    while (start < name.size()) {
        size_t dot = name.find('.', start);
        if (dot == std::string::npos)
            dot = name.size();
        out += static_cast<char>(dot - start);
        out += name.substr(start, dot - start);
        start = dot + 1;
    }
    return out + '\0';
}

void add_record(std::string& out, const std::string& owner, uint16_t type,
                const std::string& data) {
    out += encode_name(owner);
    put16(out, type);
    put16(out, 1);  // IN
    put16(out, 0);
    put16(out, 60);  // TTL
    put16(out, static_cast<unsigned>(data.size()));
    out += data;
}

}  // namespace

DnsServer::DnsServer(const std::string& address, uint16_t port) {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in bound{};
    bound.sin_family = AF_INET;
    bound.sin_port = htons(port);
    inet_pton(AF_INET, address.c_str(), &bound.sin_addr);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&bound), sizeof bound) < 0 ||
        pipe2(stop_pipe_, O_CLOEXEC) < 0) {
        if (fd_ >= 0)
            close(fd_);
        fd_ = -1;
        return;
    }
    socklen_t length = sizeof bound;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.sin_port);
    thread_ = std::thread([this] { serve(); });
}

DnsServer::~DnsServer() {
    if (thread_.joinable()) {
        char stop = 's';
        ssize_t ignored = write(stop_pipe_[1], &stop, 1);
        (void)ignored;
        thread_.join();
    }
    for (int fd : {fd_, stop_pipe_[0], stop_pipe_[1]})
        if (fd >= 0)
            close(fd);
}

void DnsServer::add_address(const std::string& name, const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    addresses_.emplace(lower(name), address);
}

void DnsServer::add_alias(const std::string& name, const std::string& target) {
    std::lock_guard<std::mutex> lock(mutex_);
    aliases_[lower(name)] = lower(target);
}

void DnsServer::fail_with(const std::string& name, int rcode) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_[lower(name)] = rcode;
}

std::vector<std::string> DnsServer::queries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return queries_;
}

void DnsServer::serve() {
    for (;;) {
        pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN))
            return;
        uint8_t query[512];
        sockaddr_storage from{};
        socklen_t from_length = sizeof from;
        ssize_t length =
            recvfrom(fd_, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
        if (length < 12)
            continue;
        std::string reply = answer(query, static_cast<size_t>(length));
        auto send = [&](const std::string& datagram, int sender) {
            sendto(sender, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&from),
                   from_length);
        };
        if (int count = flood_.exchange(0); count > 0) {
            for (int i = 0; i < count; ++i, ++junk_sent_)
                send(std::string(reinterpret_cast<const char*>(query), 2) + "junk", fd_);
            continue;
        }
        uint16_t type = static_cast<uint16_t>(query[length - 4] << 8 | query[length - 3]);
        if (silent_ || reply.empty() || (ignored_type_ != 0 && type == ignored_type_))
            continue;
        if (to_drop_ > 0) {
            --to_drop_;
            continue;
        }
        if (forge_)
            send(forged_answer(query, static_cast<size_t>(length)), fd_);
        int sender = other_port_ ? socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) : fd_;
        send(reply, sender);
        if (sender != fd_)
            close(sender);
    }
}

std::string DnsServer::answer(const uint8_t* query, size_t length) {
    // The question: labels, then type and class.
    std::string name;
    size_t at = 12;
    while (at < length && query[at] != 0) {
        size_t label = query[at];
        if (at + 1 + label > length)
            return "";
        if (!name.empty())
            name += '.';
        name.append(reinterpret_cast<const char*>(query + at + 1), label);
        at += 1 + label;
    }
    if (at + 5 > length)
        return "";
    uint16_t type = static_cast<uint16_t>(query[at + 1] << 8 | query[at + 2]);
    size_t question_end = at + 5;
    name = lower(name);

    std::lock_guard<std::mutex> lock(mutex_);
    queries_.push_back(name + (type == type_a ? " A" : type == type_aaaa ? " AAAA" : " other"));

    std::string records;
    int count = 0;
    int rcode = 0;
    std::string owner = name;
    if (auto failure = failures_.find(name); failure != failures_.end()) {
        rcode = failure->second;
    } else {
        if (auto alias = aliases_.find(name); alias != aliases_.end()) {
            add_record(records, name, type_cname, encode_name(alias->second));
            ++count;
            owner = alias->second;
        }
        auto [first, last] = addresses_.equal_range(owner);
        bool known = first != last || count > 0;
        for (auto it = first; it != last; ++it) {
            uint8_t bytes[16];
            if (type == type_a && inet_pton(AF_INET, it->second.c_str(), bytes) == 1) {
                add_record(records, owner, type_a, std::string(reinterpret_cast<char*>(bytes), 4));
                ++count;
            } else if (type == type_aaaa && inet_pton(AF_INET6, it->second.c_str(), bytes) == 1) {
                add_record(records, owner, type_aaaa,
                           std::string(reinterpret_cast<char*>(bytes), 16));
                ++count;
            }
        }
        if (!known)
            rcode = 3;  // NXDOMAIN
    }

    std::string reply(reinterpret_cast<const char*>(query), 2);  // the ID
    reply += static_cast<char>(0x81);                            // QR, RD
    reply += static_cast<char>(0x80 | rcode);                    // RA
    put16(reply, 1);
    put16(reply, static_cast<unsigned>(count));
    put16(reply, 0);
    put16(reply, 0);
    reply.append(reinterpret_cast<const char*>(query + 12), question_end - 12);
    return reply + records;
}

std::string DnsServer::forged_answer(const uint8_t* query, size_t length) {
    uint16_t type = static_cast<uint16_t>(query[length - 4] << 8 | query[length - 3]);
    std::string reply(reinterpret_cast<const char*>(query), 2);  // the ID
    reply += static_cast<char>(0x81);
    reply += static_cast<char>(0x80);
    put16(reply, 1);
    put16(reply, 1);
    put16(reply, 0);
    put16(reply, 0);
    reply += encode_name("forged.example");
    put16(reply, type);
    put16(reply, 1);
    uint8_t bytes[16];
    if (type == type_aaaa && inet_pton(AF_INET6, "fd66::66", bytes) == 1)
        add_record(reply, "forged.example", type, std::string(reinterpret_cast<char*>(bytes), 16));
    else if (inet_pton(AF_INET, "10.66.66.66", bytes) == 1)
        add_record(reply, "forged.example", type_a, std::string(reinterpret_cast<char*>(bytes), 4));
    return reply;
}

}  // namespace vigil_test
