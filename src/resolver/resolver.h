// Resolves a host name without blocking, inside a deadline: /etc/hosts
// first, then DNS over UDP to the servers in /etc/resolv.conf, with its
// search list and ndots, A and AAAA queries to every server at once. This is
// what a libc resolver does in a container, but as a state machine driven by
// poll(2), so a probe gives up exactly at its deadline and the supervisor's
// watchdog never blocks its event loop. libc's getaddrinfo could do neither,
// and would add some 40 KB (malloc among it) to vigil's static binary.
//
// Not done: TCP fallback for truncated answers (an A or AAAA answer fits in
// UDP), nsswitch.conf (musl has none), DNSSEC.
#pragma once

#include <poll.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "resolver/dns_message.h"
#include "resolver/resolver_config.h"

namespace vigil {

struct ResolverFiles {
    const char* hosts = "/etc/hosts";
    const char* resolv_conf = "/etc/resolv.conf";
    uint16_t dns_port = 53;  // tests run their own server elsewhere
};

class Resolver {
  public:
    // How often unanswered queries are sent again.
    static constexpr int64_t retry_interval_us = 1000000;
    // The most datagrams one advance() reads: the rest wait for the next
    // poll, so a flood cannot keep the caller's loop from its signals.
    static constexpr size_t max_datagrams_per_advance = 16;

    // Starts resolving `name` (at most 253 characters). When /etc/hosts
    // knows it, or it cannot be resolved at all, the result is there at once.
    void start(std::string_view name, const ResolverFiles& files, int64_t now_us);
    bool running() const { return fd_ >= 0; }
    pollfd poll_request() const { return pollfd{fd_, POLLIN, 0}; }
    // When advance() must be called even without an answer (to send again).
    int64_t wake_at_us() const { return retry_at_us_; }
    void advance(short revents, int64_t now_us);
    void stop();

    // Once not running: the addresses found (IPv4 first), or an error.
    std::span<const dns::Address> addresses() const { return {addresses_, address_count_}; }
    const char* error() const { return error_; }
    // While running, what has arrived, for a message when time runs out: "no
    // answer from 127.0.0.11:53", or "an A answer for api.example with 1
    // address, but no AAAA answer from 127.0.0.11:53".
    const char* progress() const { return progress_; }

  private:
    enum class QueryState { waiting, answered, failed };

    bool start_candidate(int64_t now_us);
    bool candidate_name(size_t index, char* out, size_t size) const;
    void send_queries();
    void on_answer(size_t query, const dns::Answer& answer, int64_t now_us);
    void describe_progress();
    void conclude_candidate(int64_t now_us);
    void finish(const char* error);

    // Members with default values first, then the configuration, then the
    // buffers, which have none (each is written before it is read): a
    // resolver's construction (made again for every start()) then writes as
    // few pages as it can.
    size_t name_length_ = 0;
    bool absolute_first_ = false;  // the name as given, before the search list
    size_t candidate_ = 0;         // index into the candidate order
    size_t candidate_count_ = 0;
    int fd_ = -1;
    int socket_family_ = 0;
    size_t query_lengths_[2] = {};
    QueryState states_[2] = {};
    size_t failures_[2] = {};  // servers that answered with an error
    int last_rcode_ = 0;
    bool any_sent_ = false;
    int64_t retry_at_us_ = 0;
    size_t address_count_ = 0;
    const char* error_ = "";

    ResolverConfig config_;
    char name_[254];
    uint8_t queries_[2][dns::max_query_bytes];
    dns::Address addresses_[dns::max_answer_addresses];
    char error_text_[128];  // for errors that name a server or a reason
    char server_text_[64];
    char progress_[384];
};

}  // namespace vigil
