// Where a redirect leads (--follow-redirects), judged as the kubelet judges
// its HTTP probes: a Location on the same scheme, host and port is followed;
// one elsewhere is not, and the 3xx itself is judged (the kubelet follows
// only redirects to the same host, and judges the redirect response when
// one leads elsewhere). Location may be absolute (http://HOST:PORT/path,
// followed when HOST:PORT is the probed URL's authority as written, case
// aside), an absolute path (/path) or relative (path, ?query), resolved
// against the URL probed (RFC 3986, 5.2); a fragment is dropped. A
// scheme-relative Location (//host/path) is judged, not followed.
#pragma once

#include <cstddef>
#include <string_view>

#include "probe/url.h"

namespace vigil {

// The statuses that redirect (RFC 9110, 15.4): 301, 302, 303, 307, 308.
bool is_redirect_status(int status);

enum class RedirectKind {
    same_origin,   // follow: `out` holds the new request target
    other_origin,  // judge the 3xx itself
    invalid,       // not a usable URL: the probe is unhealthy
};

// Resolves `location` against `current` (an http URL) and the request target
// probed last (`current_target`, path and query). Writes the new target
// (path and query, at most `size` - 1 bytes) into `out`.
RedirectKind resolve_redirect(std::string_view location, const Url& current,
                              std::string_view current_target, char* out, size_t size);

}  // namespace vigil
