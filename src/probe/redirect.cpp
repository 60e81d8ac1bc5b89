#include "probe/redirect.h"

#include <cstring>

#include "base/text.h"

namespace vigil {
namespace {

// A request target: visible ASCII only (RFC 9112, 3.2), which keeps a
// server's Location from smuggling anything into the next request line.
bool is_target_text(std::string_view text) {
    for (char c : text)
        if (c <= ' ' || c == 0x7f)
            return false;
    return true;
}

bool write_target(std::string_view prefix, std::string_view rest, char* out, size_t size) {
    if (prefix.size() + rest.size() >= size)
        return false;
    // Either may be empty, and then have no data at all (memcpy wants some).
    if (!prefix.empty())
        std::memcpy(out, prefix.data(), prefix.size());
    if (!rest.empty())
        std::memcpy(out + prefix.size(), rest.data(), rest.size());
    out[prefix.size() + rest.size()] = '\0';
    return true;
}

}  // namespace

bool is_redirect_status(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

RedirectKind resolve_redirect(std::string_view location, const Url& current,
                              std::string_view current_target, char* out, size_t size) {
    location = location.substr(0, location.find('#'));
    if (location.empty() || !is_target_text(location))
        return RedirectKind::invalid;

    if (location.substr(0, 2) == "//" || location.find("://") != std::string_view::npos) {
        bool scheme_relative = location[0] == '/';
        if (!scheme_relative && !starts_with_ignoring_case(location, "http://"))
            return starts_with_ignoring_case(location, "https://") ? RedirectKind::other_origin
                                                                   : RedirectKind::invalid;
        char absolute[1024];
        if (!write_target(scheme_relative ? "http:" : "", location, absolute, sizeof absolute))
            return RedirectKind::invalid;
        UrlParse parsed = parse_url(absolute);
        if (!parsed.ok)
            return RedirectKind::invalid;
        if (!equals_ignoring_case(parsed.url.host, current.host) || parsed.url.port != current.port)
            return RedirectKind::other_origin;
        std::string_view target = parsed.url.target;
        bool fits = target.empty() || target[0] == '?' ? write_target("/", target, out, size)
                                                       : write_target("", target, out, size);
        return fits ? RedirectKind::same_origin : RedirectKind::invalid;
    }

    bool fits;
    std::string_view path = current_target.substr(0, current_target.find('?'));
    if (path.empty())
        path = "/";
    if (location[0] == '/')
        fits = write_target("", location, out, size);
    else if (location[0] == '?')
        fits = write_target(path, location, out, size);
    else  // relative to the directory of the path probed last
        fits = write_target(path.substr(0, path.rfind('/') + 1), location, out, size);
    return fits ? RedirectKind::same_origin : RedirectKind::invalid;
}

}  // namespace vigil
