// Fuzzes the lines of /etc/resolv.conf and /etc/hosts as the resolver reads
// them: whatever the files hold, the configuration has one to three servers
// of a real family, at most six search domains inside their buffer, ndots
// from 0 to 15; and a hosts lookup (for the name on the first line) finds at
// most eight addresses, each IPv4 or IPv6.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "resolver/resolver_config.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string_view name = text.substr(0, text.find('\n'));
    vigil::ResolverConfig config;
    vigil::HostsLookup hosts(name);
    for (std::string_view rest = text; !rest.empty();) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        config.add_line(line);
        hosts.add_line(line);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    config.finish();

    check(config.nameserver_count >= 1 && config.nameserver_count <= vigil::max_nameservers);
    for (size_t i = 0; i < config.nameserver_count; ++i) {
        int family = config.nameservers[i].ss_family;
        check(family == AF_INET || family == AF_INET6);
        check(config.nameserver_lengths[i] > 0 &&
              config.nameserver_lengths[i] <= sizeof config.nameservers[i]);
    }
    check(config.search_count <= vigil::max_search_domains);
    check(config.search_length <= sizeof config.search);
    for (size_t i = 0; i < config.search_count; ++i) {
        std::string_view domain = config.search_domain(i);
        check(!domain.empty() && domain.data() >= config.search &&
              domain.data() + domain.size() < config.search + sizeof config.search);
    }
    check(config.ndots >= 0 && config.ndots <= 15);

    check(hosts.addresses().size() <= vigil::dns::max_answer_addresses);
    for (const vigil::dns::Address& address : hosts.addresses())
        check(address.family == AF_INET || address.family == AF_INET6);
    return 0;
}
