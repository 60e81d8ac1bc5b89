#include "base/socket_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "base/format.h"

namespace vigil {

void format_socket_address(const sockaddr_storage& address, char* out, size_t size) {
    if (address.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
        const auto* bytes = reinterpret_cast<const uint8_t*>(&in->sin_addr);
        format_into(out, size, "%u.%u.%u.%u:%u", bytes[0], bytes[1], bytes[2], bytes[3],
                    ntohs(in->sin_port));
        return;
    }
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    const uint8_t* bytes = in6->sin6_addr.s6_addr;
    static constexpr uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, mapped_prefix, sizeof mapped_prefix) == 0) {  // an IPv4-mapped address
        format_into(out, size, "[::ffff:%u.%u.%u.%u]:%u", bytes[12], bytes[13], bytes[14],
                    bytes[15], ntohs(in6->sin6_port));
        return;
    }
    unsigned groups[8];
    for (int i = 0; i < 8; ++i)
        groups[i] = static_cast<unsigned>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    // The longest run of two or more zero groups (the first, on a tie).
    int best_start = -1;
    int best_length = 1;
    for (int i = 0; i < 8;) {
        int length = 0;
        while (i + length < 8 && groups[i + length] == 0) ++length;
        if (length > best_length) {
            best_start = i;
            best_length = length;
        }
        i += length ? length : 1;
    }
    char text[48];
    size_t length = 0;
    text[length++] = '[';
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            text[length++] = ':';
            text[length++] = ':';
            i += best_length - 1;
            continue;
        }
        if (length > 1 && text[length - 1] != ':')
            text[length++] = ':';
        length +=
            static_cast<size_t>(format_into(text + length, sizeof text - length, "%x", groups[i]));
    }
    text[length] = '\0';
    format_into(out, size, "%s]:%u", text, ntohs(in6->sin6_port));
}

int open_nonblocking_socket(int family, int type) {
    return static_cast<int>(syscall(SYS_socket, family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

}  // namespace vigil
