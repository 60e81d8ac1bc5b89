#include "probe/url.h"

#include <arpa/inet.h>

#include <cstring>

#include "base/ip_address.h"
#include "base/text.h"

namespace vigil {
namespace {

bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

bool is_address_literal(int family, std::string_view text) {
    uint8_t address[16];
    return family == AF_INET ? parse_ipv4_address(text, address)
                             : parse_ipv6_address(text, address);
}

// Four decimal numbers and three dots, nothing else: "127.1" and "0x7f.0.0.1"
// are names to the resolver's eyes, but surely mistakes here.
bool looks_like_ipv4(std::string_view host) {
    for (char c : host)
        if (!is_digit(c) && c != '.')
            return false;
    return true;
}

UrlParse failure(const char* error) {
    UrlParse result;
    result.error = error;
    return result;
}

}  // namespace

UrlParse parse_url(std::string_view text) {
    UrlParse result;
    Url& url = result.url;
    // The schemes in UrlScheme's order, then the two refused with advice.
    size_t scheme_end = text.find("://");
    int scheme =
        scheme_end == std::string_view::npos
            ? -1
            : find_string(text.substr(0, scheme_end), "http\0tcp\0grpc\0https\0grpcs\0", true);
    if (scheme == 3)
        return failure("https is not supported; probe the plain-HTTP port, or use tcp://");
    if (scheme == 4)
        return failure("gRPC over TLS is not supported; probe a plaintext port, or use tcp://");
    if (scheme < 0)
        return failure(
            "expected http://HOST[:PORT][/PATH], tcp://HOST:PORT or grpc://HOST:PORT[/SERVICE]");
    url.scheme = static_cast<UrlScheme>(scheme);
    text.remove_prefix(scheme_end + 3);

    size_t authority_end = text.find_first_of("/?#");
    url.authority = text.substr(0, authority_end);
    std::string_view rest =
        authority_end == std::string_view::npos ? std::string_view() : text.substr(authority_end);
    if (url.authority.find('@') != std::string_view::npos)
        return failure("user information (user@host) is not supported");

    // HOST: [IPv6], or everything up to the last colon.
    std::string_view port_text;
    bool has_port = false;
    if (!url.authority.empty() && url.authority[0] == '[') {
        size_t close = url.authority.find(']');
        if (close == std::string_view::npos)
            return failure("unclosed '[' in the host");
        url.host = url.authority.substr(1, close - 1);
        std::string_view after = url.authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':')
                return failure("unexpected text after ']'");
            port_text = after.substr(1);
            has_port = true;
        }
        if (!is_address_literal(AF_INET6, url.host))
            return failure("not a valid IPv6 address between '[' and ']'");
        url.host_kind = HostKind::ipv6;
    } else {
        size_t colon = url.authority.rfind(':');
        url.host = url.authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port_text = url.authority.substr(colon + 1);
            has_port = true;
        }
        if (url.host.empty())
            return failure("no host");
        if (url.host.find(':') != std::string_view::npos)
            return failure("an IPv6 address must be in brackets, e.g. [::1]");
        for (char c : url.host)
            if (!is_name_character(c))
                return failure("the host has a character that no host name or address has");
        if (url.host.size() > 253)
            return failure("the host name is longer than 253 characters");
        if (looks_like_ipv4(url.host)) {
            if (!is_address_literal(AF_INET, url.host))
                return failure("not a valid IPv4 address");
            url.host_kind = HostKind::ipv4;
        } else if (equals_ignoring_case(url.host, "localhost")) {
            url.host_kind = HostKind::localhost;
        } else {
            url.host_kind = HostKind::name;
        }
    }

    if (has_port) {
        auto port = parse_number_in<unsigned>(port_text, 1, 65535);
        if (!port)
            return failure("the port must be a number from 1 to 65535");
        url.port = static_cast<uint16_t>(*port);
    } else if (url.scheme == UrlScheme::tcp) {
        return failure("tcp:// needs a port, e.g. tcp://localhost:5432");
    } else if (url.scheme == UrlScheme::grpc) {
        // gRPC has no standard port (50051 is only the examples').
        return failure("grpc:// needs a port, e.g. grpc://localhost:50051");
    }

    // The request target: path and query; a fragment is never sent.
    size_t fragment = rest.find('#');
    if (fragment != std::string_view::npos)
        rest = rest.substr(0, fragment);
    if (url.scheme == UrlScheme::tcp) {
        if (!rest.empty() && rest != "/")
            return failure("tcp:// takes no path");
        result.ok = true;
        return result;
    }
    if (url.scheme == UrlScheme::grpc) {
        // The service name as servers register it ("grpc.health.v1.Health",
        // "myapp.Orders", "readiness"): no escapes, nothing to decode.
        if (fragment != std::string_view::npos || rest.find('?') != std::string_view::npos)
            return failure("grpc:// takes no query or fragment");
        if (!rest.empty())
            rest.remove_prefix(1);
        for (char c : rest)
            if (!is_name_character(c) && c != '/')
                return failure(
                    "a gRPC service name has only letters, digits and . _ - / in the URL");
        if (rest.size() > 200)
            return failure("the service name is longer than 200 characters");
        url.target = rest;
        result.ok = true;
        return result;
    }
    for (char c : rest)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return failure("spaces and control characters must be percent-encoded in the path");
    url.target = rest;
    result.ok = true;
    return result;
}

}  // namespace vigil
