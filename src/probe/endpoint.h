// Where a probe connects: a socket address and how to name it in messages
// ("127.0.0.1:8080", "[::1]:8080", "unix:/run/app.sock").
//
// `localhost` is resolved here, without DNS and without /etc/hosts: a scratch
// image has neither, and a resolver can then spend seconds asking a DNS
// server that is not there. Address literals need no resolver either. Other
// names go through the Resolver, whose addresses become endpoints here.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "probe/url.h"
#include "resolver/dns_message.h"

namespace vigil {

// No default member values: a HealthCheck holds several, and zeroing them at
// its construction was code of its own. The functions below fill one whole.
struct Endpoint {
    sockaddr_storage address;
    socklen_t length;
    char text[72];  // for messages; a unix path is cut short if need be
};

// localhost gives 127.0.0.1 then ::1; a literal gives itself. Returns the
// number of endpoints written: 0 for a name, which the Resolver
// (resolver/resolver.h) turns into addresses for address_endpoint().
size_t endpoints_without_resolver(const Url& url, std::span<Endpoint> out);

// The unix socket at `path`; a leading '@' names an abstract socket. Returns
// false when the path is too long for a socket address.
bool unix_socket_endpoint(const char* path, Endpoint& out);

// The endpoint for a resolved address and a port.
Endpoint address_endpoint(const dns::Address& address, uint16_t port);

}  // namespace vigil
