// Sockets and their addresses as vigil writes them in messages:
// "127.0.0.1:53", "[::1]:8080", "[::ffff:10.0.0.1]:53". Used by the resolver
// (its servers) and the probe (its endpoints).
#pragma once

#include <sys/socket.h>

#include <cstddef>

namespace vigil {

// Writes an AF_INET or AF_INET6 address with its port into `out` (always
// NUL-terminated). IPv6 is written as RFC 5952 has it: lowercase, the longest
// run of two or more zero groups as "::", IPv4-mapped addresses in dotted
// form. (libc's inet_ntop would bring in all of printf.)
void format_socket_address(const sockaddr_storage& address, char* out, size_t size);

// A non-blocking, close-on-exec socket of `family` and `type` (SOCK_STREAM,
// SOCK_DGRAM); -1 with errno set when there is none. socket(2) is called
// directly: musl's socket() adds 200 bytes of fallback for kernels older
// than SOCK_NONBLOCK and SOCK_CLOEXEC (2.6.27).
int open_nonblocking_socket(int family, int type);

}  // namespace vigil
