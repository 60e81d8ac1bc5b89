#include "probe/redirect.h"

#include <cstring>

#include "base/text.h"

namespace vigil {

bool is_redirect_status(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Plain pointers rather than checked substr(): this is counted in bytes.
RedirectKind resolve_redirect(std::string_view location, const Url& current,
                              std::string_view current_target, char* out, size_t size) {
    const char* at = location.data();
    const char* end = at + location.size();
    if (const void* hash = std::memchr(at, '#', location.size()))
        end = static_cast<const char*>(hash);  // a fragment is never sent
    if (at == end)
        return RedirectKind::invalid;
    // A request target: visible ASCII only (RFC 9112, 3.2), which keeps a
    // server's Location from smuggling anything into the next request line.
    for (const char* c = at; c < end; ++c)
        if (*c <= ' ' || *c == 0x7f)
            return RedirectKind::invalid;

    if (end - at >= 2 && at[0] == '/' && at[1] == '/')
        return RedirectKind::other_origin;  // //host/path: judged, not followed
    std::string_view prefix;                // what goes before the Location's rest
    if (const char* scheme_end = static_cast<const char*>(std::memchr(at, ':', end - at));
        scheme_end && end - scheme_end >= 3 && scheme_end[1] == '/' && scheme_end[2] == '/') {
        // scheme://authority/path: followed when it is http://, with the
        // authority the URL probed has (as written; case aside).
        std::string_view scheme(at, static_cast<size_t>(scheme_end - at));
        if (!equals_ignoring_case(scheme, "http"))
            return equals_ignoring_case(scheme, "https") ? RedirectKind::other_origin
                                                         : RedirectKind::invalid;
        const char* authority = scheme_end + 3;
        const char* path = authority;
        while (path < end && *path != '/' && *path != '?') ++path;
        if (!equals_ignoring_case(
                std::string_view(authority, static_cast<size_t>(path - authority)),
                current.authority))
            return RedirectKind::other_origin;
        at = path;
        if (at == end || *at == '?')
            prefix = "/";
    } else if (*at != '/') {
        // Relative: to the path probed last (?query), or to its directory.
        std::string_view path = current_target.substr(0, current_target.find('?'));
        if (path.empty())
            path = "/";
        prefix = *at == '?' ? path : path.substr(0, path.rfind('/') + 1);
    }
    size_t rest = static_cast<size_t>(end - at);
    if (prefix.size() + rest >= size)
        return RedirectKind::invalid;
    if (!prefix.empty())
        std::memcpy(out, prefix.data(), prefix.size());
    std::memcpy(out + prefix.size(), at, rest);
    out[prefix.size() + rest] = '\0';
    return RedirectKind::same_origin;
}

}  // namespace vigil
