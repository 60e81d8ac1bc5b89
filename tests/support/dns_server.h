// A DNS server for the resolver tests, on a loopback UDP port, on its own
// thread. It knows the names it is told about (A, AAAA, CNAME), says NXDOMAIN
// for the rest, and can be told to fail (an rcode), to stay silent, or to
// drop the first queries so that the client has to send them again.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil_test {

class DnsServer {
  public:
    // Listens on `address` port `port` (0: an ephemeral port).
    explicit DnsServer(const std::string& address = "127.0.0.1", uint16_t port = 0);
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    bool listening() const { return fd_ >= 0; }
    uint16_t port() const { return port_; }

    // An A or AAAA record, by the form of `address`.
    void add_address(const std::string& name, const std::string& address);
    // `name` is an alias of `target`: answers hold the CNAME and the target's records.
    void add_alias(const std::string& name, const std::string& target);
    // Answer queries for `name` with this rcode (2 SERVFAIL, 5 REFUSED) and no records.
    void fail_with(const std::string& name, int rcode);
    void set_silent(bool silent) { silent_ = silent; }
    void drop_first_queries(int count) { to_drop_ = count; }
    // Answer from a socket of another port, as a spoofer would.
    void reply_from_another_port(bool other) { other_port_ = other; }

    // "name TYPE" for every query received ("app.svc.local A"), in order.
    std::vector<std::string> queries();

  private:
    void serve();
    std::string answer(const uint8_t* query, size_t length);

    int fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    uint16_t port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::multimap<std::string, std::string> addresses_;
    std::map<std::string, std::string> aliases_;
    std::map<std::string, int> failures_;
    std::vector<std::string> queries_;
    std::atomic<bool> silent_{false};
    std::atomic<int> to_drop_{0};
    std::atomic<bool> other_port_{false};
};

}  // namespace vigil_test
