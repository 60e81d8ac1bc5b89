// The two files a libc resolver reads, parsed a line at a time: /etc/hosts
// (names with fixed addresses) and /etc/resolv.conf (DNS servers, the search
// list and ndots). Both are optional: a scratch image has neither, and then
// the defaults apply, as in musl and glibc (the server at 127.0.0.1:53, no
// search list, ndots 1).
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "resolver/dns_message.h"

namespace vigil {

inline constexpr size_t max_nameservers = 3;  // as glibc's MAXNS
inline constexpr size_t max_search_domains = 6;

struct ResolverConfig {
    size_t nameserver_count = 0;
    size_t search_length = 0;
    size_t search_count = 0;
    int ndots = 1;
    uint16_t port = 53;  // of every server (tests run theirs elsewhere)
    // Not zeroed, and after the counts so that construction writes none of
    // their pages: only the entries below the counts are ever read.
    sockaddr_storage nameservers[max_nameservers];
    socklen_t nameserver_lengths[max_nameservers];
    char search[256];  // the search domains, NUL-separated

    // One line of resolv.conf: nameserver, search, domain, options ndots:N.
    void add_line(std::string_view line);
    // Adds a server; false when the list is full or `text` is no literal.
    bool add_nameserver(std::string_view text);
    // After the last line: 127.0.0.1 when no server was named.
    void finish();
    // The i-th search domain, i < search_count.
    std::string_view search_domain(size_t i) const;
};

// Collects the addresses /etc/hosts gives a name (any case), a line at a time.
class HostsLookup {
  public:
    explicit HostsLookup(std::string_view name) : name_(name) {}
    void add_line(std::string_view line);
    std::span<const dns::Address> addresses() const { return {addresses_, count_}; }

  private:
    std::string_view name_;
    dns::Address addresses_[dns::max_answer_addresses];
    size_t count_ = 0;
};

// The most of a file that read_lines reads (4 MiB: large ad-blocking hosts
// files fit); past it the rest is ignored.
inline constexpr size_t max_line_file_bytes = 4 << 20;

// Calls `add_line` on the object for each line of the file at `path`; false
// when the file cannot be opened (lines longer than 1 KiB are skipped). Never
// waits: a FIFO without a writer or without data reads as empty, and an
// endless file ends at max_line_file_bytes.
template <typename Consumer>
bool read_lines(const char* path, Consumer& consumer);

bool for_each_line(const char* path, void (*callback)(std::string_view line, void* context),
                   void* context);

template <typename Consumer>
bool read_lines(const char* path, Consumer& consumer) {
    return for_each_line(
        path,
        [](std::string_view line, void* context) {
            static_cast<Consumer*>(context)->add_line(line);
        },
        &consumer);
}

}  // namespace vigil
