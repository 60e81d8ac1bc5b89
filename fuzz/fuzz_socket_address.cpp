// Fuzzes format_socket_address, vigil's own inet_ntop: any IPv4 or IPv6
// address and port, any buffer size. The text is always NUL-terminated
// inside the buffer, a shorter buffer gets a prefix of the whole text, and
// the whole text is the address libc's inet_pton reads back, with its port.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/socket_address.h"
#include "fuzz_check.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    bool ipv6 = data[0] & 1;
    size_t room = 1 + data[1] % 64;
    data += 2;
    size -= 2;
    sockaddr_storage address{};
    std::memcpy(&address, data, size < sizeof address ? size : sizeof address);
    address.ss_family = ipv6 ? AF_INET6 : AF_INET;

    char whole[128];
    vigil::format_socket_address(address, whole, sizeof whole);
    std::string_view text(whole);
    check(text.size() < sizeof whole - 1);
    char part[64];
    std::memset(part, '#', sizeof part);
    vigil::format_socket_address(address, part, room);
    std::string_view prefix(part, std::strlen(part));
    check(prefix.size() < room && text.substr(0, prefix.size()) == prefix);

    size_t colon = text.rfind(':');
    check(colon != std::string_view::npos);
    std::string host(text.substr(0, colon));
    std::string port(text.substr(colon + 1));
    if (ipv6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
        check(host.size() > 2 && host.front() == '[' && host.back() == ']');
        in6_addr parsed{};
        check(inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &parsed) == 1);
        check(std::memcmp(&parsed, &in6->sin6_addr, sizeof parsed) == 0);
        check(port == std::to_string(ntohs(in6->sin6_port)));
    } else {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
        in_addr parsed{};
        check(inet_pton(AF_INET, host.c_str(), &parsed) == 1);
        check(parsed.s_addr == in->sin_addr.s_addr);
        check(port == std::to_string(ntohs(in->sin_port)));
    }
    return 0;
}
