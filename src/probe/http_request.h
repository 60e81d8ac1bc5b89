// The probe's HTTP request: `METHOD /path HTTP/1.1` with Host, User-Agent,
// Accept and Connection: close, then the headers given with -H. A -H header
// named like one of those four replaces it (a Host header probes a virtual
// host on 127.0.0.1).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace vigil {

struct RequestSpec {
    std::string_view method = "GET";
    std::string_view target;               // path and query as in Url::target
    std::string_view host;                 // the default Host header: the URL's authority
    std::span<const char* const> headers;  // "Name: value", each checked
};

// Checks a -H argument: a header name (an HTTP token), a colon, and a value
// without CR, LF or NUL (which would let it smuggle in more of the request).
// Returns null, or a phrase that completes "invalid header 'X': ...".
const char* check_header(std::string_view header);

// Checks a -X argument: an HTTP token such as GET or HEAD.
const char* check_method(std::string_view method);

// Writes the request into `buffer`; returns its length, or 0 when it does not
// fit in `size` bytes.
size_t build_request(const RequestSpec& spec, char* buffer, size_t size);

}  // namespace vigil
