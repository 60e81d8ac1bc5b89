#include "probe/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

#include "base/format.h"
#include "base/ip_address.h"
#include "base/socket_address.h"

namespace vigil {
namespace {

// `host` is a literal the URL parser has checked.
Endpoint literal_endpoint(int family, std::string_view host, uint16_t port) {
    dns::Address address;
    address.family = family;
    if (family == AF_INET)
        parse_ipv4_address(host, address.bytes);
    else
        parse_ipv6_address(host, address.bytes);
    return address_endpoint(address, port);
}

}  // namespace

size_t endpoints_without_resolver(const Url& url, std::span<Endpoint> out) {
    if (out.empty())
        return 0;
    switch (url.host_kind) {
        case HostKind::localhost:
            out[0] = literal_endpoint(AF_INET, "127.0.0.1", url.port);
            if (out.size() < 2)
                return 1;
            out[1] = literal_endpoint(AF_INET6, "::1", url.port);
            return 2;
        case HostKind::ipv4:
            out[0] = literal_endpoint(AF_INET, url.host, url.port);
            return 1;
        case HostKind::ipv6:
            out[0] = literal_endpoint(AF_INET6, url.host, url.port);
            return 1;
        case HostKind::name:
            return 0;
    }
    return 0;
}

bool unix_socket_endpoint(const char* path, Endpoint& out) {
    auto* un = reinterpret_cast<sockaddr_un*>(&out.address);
    size_t length = std::strlen(path);
    if (length == 0 || length >= sizeof un->sun_path)
        return false;
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, path, length);
    out.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
    if (path[0] == '@')
        un->sun_path[0] = '\0';  // abstract: the name is the bytes after the NUL
    else
        out.length += 1;  // and the terminating NUL
    format_into(out.text, sizeof out.text, "unix:%s", path);
    return true;
}

Endpoint address_endpoint(const dns::Address& address, uint16_t port) {
    Endpoint endpoint{};
    if (address.family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&endpoint.address);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        std::memcpy(&in->sin_addr, address.bytes, 4);
        endpoint.length = sizeof *in;
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&endpoint.address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        std::memcpy(&in6->sin6_addr, address.bytes, 16);
        endpoint.length = sizeof *in6;
    }
    format_socket_address(endpoint.address, endpoint.text, sizeof endpoint.text);
    return endpoint;
}

}  // namespace vigil
