// The URL a probe checks: `http://HOST[:PORT][/PATH[?QUERY]]`,
// `tcp://HOST:PORT` or `grpc://HOST:PORT[/SERVICE]`. Parsing is strict and pure: the pieces are
// views into the text given, nothing is resolved, and every rejection says why in a phrase that
// completes "invalid URL 'X': ...".
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil {

enum class UrlScheme { http, tcp, grpc };

enum class HostKind {
    localhost,  // resolved by vigil itself: 127.0.0.1, then ::1
    ipv4,       // a dotted-quad literal
    ipv6,       // a bracketed literal, [::1]; `host` holds it without brackets
    name,       // anything else: the system resolver's
};

struct Url {
    UrlScheme scheme = UrlScheme::http;
    HostKind host_kind = HostKind::name;
    std::string_view host;  // without brackets
    uint16_t port = 80;
    std::string_view authority;  // HOST[:PORT] as written: the default Host header
    // http: path and query as written. Empty, or starting with '?', when
    // the URL has no path: the request line then puts a '/' first.
    // grpc: the service name to ask the health service about, the path
    // without its '/'; empty asks for the server's overall health.
    std::string_view target;
};

struct UrlParse {
    bool ok = false;
    Url url;
    const char* error = "";  // static text, when !ok
};

UrlParse parse_url(std::string_view text);

}  // namespace vigil
