#include "resolver/resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "base/error_text.h"
#include "base/format.h"
#include "base/random.h"
#include "base/socket_address.h"

namespace vigil {
namespace {

constexpr uint16_t query_types[2] = {dns::type_a, dns::type_aaaa};

// An IPv4 server as a dual-stack IPv6 socket reaches it: ::ffff:a.b.c.d.
void map_to_ipv6(sockaddr_storage& server, socklen_t& length) {
    if (server.ss_family != AF_INET)
        return;
    const auto* in = reinterpret_cast<const sockaddr_in*>(&server);
    sockaddr_in6 mapped{};
    mapped.sin6_family = AF_INET6;
    mapped.sin6_port = in->sin_port;
    mapped.sin6_addr.s6_addr[10] = 0xff;
    mapped.sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&mapped.sin6_addr.s6_addr[12], &in->sin_addr, 4);
    std::memcpy(&server, &mapped, sizeof mapped);
    length = sizeof mapped;
}

bool same_address(const sockaddr_storage& a, const sockaddr_storage& b) {
    if (a.ss_family != b.ss_family)
        return false;
    if (a.ss_family == AF_INET) {
        const auto* x = reinterpret_cast<const sockaddr_in*>(&a);
        const auto* y = reinterpret_cast<const sockaddr_in*>(&b);
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const auto* x = reinterpret_cast<const sockaddr_in6*>(&a);
    const auto* y = reinterpret_cast<const sockaddr_in6*>(&b);
    return x->sin6_port == y->sin6_port &&
           std::memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
}

// Query IDs a spoofer off the path cannot guess (RFC 5452).
uint16_t random_id() {
    uint16_t id = 0;
    fill_random(&id, sizeof id);
    return id;
}

}  // namespace

void Resolver::stop() {
    if (fd_ >= 0)
        close(fd_);
    fd_ = -1;
}

void Resolver::finish(const char* error) {
    stop();
    error_ = error;
    // IPv4 first: the localhost rule's order, and what a dual-stack loopback
    // server most often listens on.
    dns::Address sorted[dns::max_answer_addresses];
    size_t count = 0;
    for (int family : {AF_INET, AF_INET6})
        for (size_t i = 0; i < address_count_; ++i)
            if (addresses_[i].family == family)
                sorted[count++] = addresses_[i];
    std::memcpy(addresses_, sorted, sizeof(dns::Address) * count);
}

void Resolver::start(std::string_view name, const ResolverFiles& files, int64_t now_us) {
    stop();
    // A fresh resolver, made in place: `*this = Resolver{}` built a 2.5 KB
    // temporary, zeroed the buffers that are written before they are read,
    // and copied it over.
    new (this) Resolver;
    bool absolute = !name.empty() && name.back() == '.';
    if (absolute)
        name.remove_suffix(1);
    if (name.empty() || name.size() >= sizeof name_)
        return finish("not a valid host name");
    std::memcpy(name_, name.data(), name.size());
    name_length_ = name.size();

    HostsLookup hosts(name);
    read_lines(files.hosts, hosts);
    for (const dns::Address& address : hosts.addresses()) addresses_[address_count_++] = address;
    if (address_count_ > 0)
        return finish("");

    config_.port = files.dns_port;
    read_lines(files.resolv_conf, config_);
    config_.finish();
    format_socket_address(config_.nameservers[0], server_text_, sizeof server_text_);

    size_t dots = 0;
    for (char c : name) dots += c == '.';
    absolute_first_ = absolute || dots >= static_cast<size_t>(config_.ndots);
    candidate_count_ = absolute ? 1 : config_.search_count + 1;

    socket_family_ = AF_INET;
    for (size_t i = 0; i < config_.nameserver_count; ++i)
        if (config_.nameservers[i].ss_family == AF_INET6)
            socket_family_ = AF_INET6;
    fd_ = open_nonblocking_socket(socket_family_, SOCK_DGRAM);
    if (fd_ >= 0 && socket_family_ == AF_INET6) {
        int v6_only = 0;
        setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &v6_only, sizeof v6_only);
    } else if (fd_ < 0 && socket_family_ == AF_INET6) {
        socket_family_ = AF_INET;  // IPv6 is off in this kernel: IPv4 servers only
        fd_ = open_nonblocking_socket(AF_INET, SOCK_DGRAM);
    }
    if (fd_ < 0)
        return finish("cannot open a socket for DNS");
    // From here on the servers are as the socket takes them (messages name
    // them as written: server_text_, above).
    if (socket_family_ == AF_INET6)
        for (size_t i = 0; i < config_.nameserver_count; ++i)
            map_to_ipv6(config_.nameservers[i], config_.nameserver_lengths[i]);
    start_candidate(now_us);
}

// The names to try, in order: the name itself first when it has ndots dots
// or more (or ends with a dot), else each search domain appended first.
bool Resolver::candidate_name(size_t index, char* out, size_t size) const {
    std::string_view name(name_, name_length_);
    size_t domain = index;
    if (absolute_first_) {
        if (index == 0)
            domain = config_.search_count;  // none: the name alone
        else
            domain = index - 1;
    }
    int length =
        domain < config_.search_count
            ? format_into(out, size, "%.*s.%.*s", static_cast<int>(name.size()), name.data(),
                          static_cast<int>(config_.search_domain(domain).size()),
                          config_.search_domain(domain).data())
            : format_into(out, size, "%.*s", static_cast<int>(name.size()), name.data());
    return length > 0 && static_cast<size_t>(length) < size;
}

bool Resolver::start_candidate(int64_t now_us) {
    for (; candidate_ < candidate_count_; ++candidate_) {
        char name[256];
        if (!candidate_name(candidate_, name, sizeof name))
            continue;
        bool built = true;
        uint16_t id = random_id();
        for (size_t i = 0; i < 2; ++i) {
            // id + i: never the same
            query_lengths_[i] =
                dns::build_query(static_cast<uint16_t>(id + i), name, query_types[i], queries_[i]);
            built = built && query_lengths_[i] > 0;
            states_[i] = QueryState::waiting;
            failures_[i] = 0;
        }
        if (!built)
            continue;  // too long with this domain, or not a DNS name
        describe_progress();
        send_queries();
        retry_at_us_ = now_us + retry_interval_us;
        return running();
    }
    finish("not found in /etc/hosts or DNS");
    return false;
}

void Resolver::send_queries() {
    int last_error = 0;
    for (size_t i = 0; i < 2; ++i) {
        if (states_[i] != QueryState::waiting)
            continue;
        for (size_t server = 0; server < config_.nameserver_count; ++server) {
            const sockaddr_storage& address = config_.nameservers[server];
            if (address.ss_family != socket_family_)
                continue;  // an IPv6 server, and IPv6 is off
            if (sendto(fd_, queries_[i], query_lengths_[i], MSG_NOSIGNAL,
                       reinterpret_cast<const sockaddr*>(&address),
                       config_.nameserver_lengths[server]) >= 0)
                any_sent_ = true;
            else
                last_error = errno;
        }
    }
    // Nothing could be sent, now or before (no route to any server, as in a
    // container without a network whose resolv.conf names the host's DNS).
    if (!any_sent_) {
        format_into(error_text_, sizeof error_text_, "cannot reach the DNS server %s: %s",
                    server_text_, error_text(last_error));
        finish(error_text_);
    }
}

void Resolver::advance(short revents, int64_t now_us) {
    if (fd_ < 0)
        return;
    if (revents) {
        uint8_t message[1232];  // the usual EDNS buffer; plain DNS stays under 512
        // A bounded batch: a flood of datagrams must not keep the caller
        // (the supervisor's loop) from its signals; poll wakes it again.
        for (size_t reads = 0; reads < max_datagrams_per_advance; ++reads) {
            sockaddr_storage from{};
            socklen_t from_length = sizeof from;
            ssize_t length = recvfrom(fd_, message, sizeof message, 0,
                                      reinterpret_cast<sockaddr*>(&from), &from_length);
            if (length < 0 && errno == EINTR)
                continue;
            if (length < 0)
                break;  // EAGAIN; or an ICMP error from one server: others may answer
            bool from_server = false;
            for (size_t i = 0; i < config_.nameserver_count; ++i)
                from_server = from_server || same_address(from, config_.nameservers[i]);
            std::span<const uint8_t> received(message, static_cast<size_t>(length));
            dns::Answer answer;
            for (size_t i = 0; i < 2; ++i)
                if (from_server && states_[i] == QueryState::waiting &&
                    dns::answers_query(received, {queries_[i], query_lengths_[i]}) &&
                    dns::parse_answer(received, answer))
                    on_answer(i, answer, now_us);
            if (fd_ < 0)
                return;
        }
    }
    if (now_us >= retry_at_us_) {
        send_queries();
        retry_at_us_ = now_us + retry_interval_us;
    }
}

// The answer to one query (0: A, 1: AAAA) of the current candidate.
void Resolver::on_answer(size_t query, const dns::Answer& answer, int64_t now_us) {
    if (answer.rcode == dns::rcode_ok || answer.rcode == dns::rcode_name_error) {
        states_[query] = QueryState::answered;
        for (size_t a = 0; a < answer.address_count && address_count_ < dns::max_answer_addresses;
             ++a)
            addresses_[address_count_++] = answer.addresses[a];
    } else {
        // One server failed; another may still answer.
        last_rcode_ = answer.rcode;
        if (++failures_[query] >= config_.nameserver_count)
            states_[query] = QueryState::failed;
    }
    if (states_[0] != QueryState::waiting && states_[1] != QueryState::waiting)
        return conclude_candidate(now_us);
    describe_progress();
}

// What has come so far, for the message when the deadline ends the search:
// a server that answers A and drops AAAA queries is not silent.
void Resolver::describe_progress() {
    // One answered, the other not: the addresses are the answered one's.
    bool a_only = states_[0] == QueryState::answered && states_[1] == QueryState::waiting;
    bool aaaa_only = states_[1] == QueryState::answered && states_[0] == QueryState::waiting;
    if (!a_only && !aaaa_only) {
        format_into(progress_, sizeof progress_, "no answer from %s", server_text_);
        return;
    }
    char name[256];
    candidate_name(candidate_, name, sizeof name);
    format_into(progress_, sizeof progress_,
                "an %s answer for %s with %zu address%s, but no %s answer from %s",
                a_only ? "A" : "AAAA", name, address_count_, address_count_ == 1 ? "" : "es",
                a_only ? "AAAA" : "A", server_text_);
}

void Resolver::conclude_candidate(int64_t now_us) {
    if (address_count_ > 0)
        return finish("");
    if (states_[0] == QueryState::failed || states_[1] == QueryState::failed) {
        // A failing server says nothing about whether the name exists; the
        // search stops here rather than try names the user did not mean.
        return finish(last_rcode_ == dns::rcode_server_failure ? "the DNS server failed (SERVFAIL)"
                      : last_rcode_ == dns::rcode_refused
                          ? "the DNS server refused the query"
                          : "the DNS server answered with an error");
    }
    ++candidate_;
    start_candidate(now_us);
}

}  // namespace vigil
