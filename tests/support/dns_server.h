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
    // Before each answer, send one with the same ID for another name
    // (forged.example, 10.66.66.66 or fd66::66), as a confused or forging
    // server would.
    void answer_another_question_first(bool forge) { forge_ = forge; }
    // Never answer queries of this type (28: AAAA), as some middleboxes do.
    void ignore_type(uint16_t type) { ignored_type_ = type; }
    // Answer the next query with `count` datagrams of junk instead.
    void flood_next_query(int count) { flood_ = count; }
    int junk_sent() const { return junk_sent_; }

    // "name TYPE" for every query received ("app.svc.local A"), in order.
    std::vector<std::string> queries();

  private:
    void serve();
    std::string answer(const uint8_t* query, size_t length);
    std::string forged_answer(const uint8_t* query, size_t length);

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
    std::atomic<bool> forge_{false};
    std::atomic<uint16_t> ignored_type_{0};
    std::atomic<int> flood_{0};
    std::atomic<int> junk_sent_{0};
};

}  // namespace vigil_test
