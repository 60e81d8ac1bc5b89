#include "resolver/resolver_config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/ip_address.h"
#include "base/text.h"

namespace vigil {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

// Splits off the next whitespace-separated word of `line`.
std::string_view next_word(std::string_view& line) {
    size_t start = 0;
    while (start < line.size() && is_space(line[start])) ++start;
    size_t end = start;
    while (end < line.size() && !is_space(line[end])) ++end;
    std::string_view word = line.substr(start, end - start);
    line.remove_prefix(end);
    return word;
}

std::string_view without_comment(std::string_view line) {
    size_t hash = line.find_first_of("#;");
    return line.substr(0, hash);
}

// An IPv4 or IPv6 literal into `address`; false if it is neither.
bool parse_address(std::string_view text, dns::Address& address) {
    if (parse_ipv4_address(text, address.bytes)) {
        address.family = AF_INET;
        return true;
    }
    if (parse_ipv6_address(text, address.bytes)) {
        address.family = AF_INET6;
        return true;
    }
    return false;
}

}  // namespace

bool ResolverConfig::add_nameserver(std::string_view text) {
    dns::Address address;
    if (nameserver_count == max_nameservers || !parse_address(text, address))
        return false;
    sockaddr_storage& storage = nameservers[nameserver_count];
    storage = {};
    if (address.family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        std::memcpy(&in->sin_addr, address.bytes, 4);
        nameserver_lengths[nameserver_count++] = sizeof *in;
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        std::memcpy(&in6->sin6_addr, address.bytes, 16);
        nameserver_lengths[nameserver_count++] = sizeof *in6;
    }
    return true;
}

void ResolverConfig::add_line(std::string_view line) {
    line = without_comment(line);
    int keyword = find_string(next_word(line), "nameserver\0search\0domain\0options\0");
    if (keyword == 0) {
        add_nameserver(next_word(line));
    } else if (keyword == 1 || keyword == 2) {  // search, domain
        // The last search or domain line wins, as in glibc.
        search_length = 0;
        search_count = 0;
        for (std::string_view domain = next_word(line); !domain.empty(); domain = next_word(line)) {
            if (domain.back() == '.')
                domain.remove_suffix(1);
            // A NUL would split the domain in two in the NUL-separated list.
            if (domain.empty() || search_count == max_search_domains ||
                search_length + domain.size() + 1 > sizeof search ||
                domain.find('\0') != std::string_view::npos)
                continue;
            std::memcpy(search + search_length, domain.data(), domain.size());
            search_length += domain.size();
            search[search_length++] = '\0';
            ++search_count;
        }
    } else if (keyword == 3) {  // options
        for (std::string_view option = next_word(line); !option.empty(); option = next_word(line)) {
            if (option.substr(0, 6) != "ndots:")
                continue;
            // As glibc: values above 15 mean 15.
            if (auto value = parse_number<int>(option.substr(6)); value && *value >= 0)
                ndots = *value > 15 ? 15 : *value;
        }
    }
}

void ResolverConfig::finish() {
    if (nameserver_count == 0)
        add_nameserver("127.0.0.1");
}

std::string_view ResolverConfig::search_domain(size_t i) const {
    const char* domain = search;
    while (i-- > 0) domain += std::strlen(domain) + 1;
    return domain;
}

void HostsLookup::add_line(std::string_view line) {
    line = without_comment(line);
    dns::Address address;
    if (!parse_address(next_word(line), address))
        return;
    for (std::string_view name = next_word(line); !name.empty(); name = next_word(line)) {
        if (equals_ignoring_case(name, name_) && count_ < dns::max_answer_addresses) {
            addresses_[count_++] = address;
            return;
        }
    }
}

bool for_each_line(const char* path, void (*callback)(std::string_view, void*), void* context) {
    // The watchdog reads these inside PID 1, so nothing here may wait for
    // ever: O_NONBLOCK, so that a FIFO put in the file's place neither blocks
    // the open (no writer) nor a read (no data: EAGAIN ends the file); and at
    // most max_line_file_bytes, so that an endless file (/dev/zero) ends too.
    // openat(): musl's open() adds a fallback for kernels without O_CLOEXEC.
    int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return false;
    char buffer[1024];
    size_t held = 0;        // bytes of an unfinished line at the start of buffer
    bool skipping = false;  // inside a line too long for the buffer
    for (size_t total = 0; total < max_line_file_bytes;) {
        ssize_t length = read(fd, buffer + held, sizeof buffer - held);
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0)
            break;
        total += static_cast<size_t>(length);
        size_t end = held + static_cast<size_t>(length);
        size_t start = 0;
        for (size_t i = held; i < end; ++i) {
            if (buffer[i] != '\n')
                continue;
            if (!skipping)
                callback(std::string_view(buffer + start, i - start), context);
            skipping = false;
            start = i + 1;
        }
        held = end - start;
        if (held == sizeof buffer) {  // no line break in a whole buffer
            skipping = true;
            held = 0;
        } else {
            std::memmove(buffer, buffer + start, held);
        }
    }
    if (held > 0 && !skipping)
        callback(std::string_view(buffer, held), context);
    close(fd);
    return true;
}

}  // namespace vigil
