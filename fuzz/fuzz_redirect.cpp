// Fuzzes where a redirect leads (--follow-redirects): a Location header a
// server chose, resolved against one of a few URLs. A redirect followed on
// the same origin gives a request target that can go into a request line as
// it is: it starts with '/', fits its buffer, and holds no space, no control
// character and no fragment, so a server cannot smuggle a header through it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz_check.h"
#include "probe/redirect.h"
#include "probe/url.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    static constexpr std::string_view bases[] = {"http://localhost:8080/healthz",
                                                 "http://127.0.0.1/a/b/c?x=1", "http://[::1]:9000/",
                                                 "http://app.example/deep/path/", "http://h"};
    std::string_view base = bases[data[0] % std::size(bases)];
    vigil::UrlParse current = vigil::parse_url(base);
    check(current.ok);
    std::string_view location(reinterpret_cast<const char*>(data + 2), size - 2);
    size_t room = 2 + data[1] % 255;
    char out[258];
    std::memset(out, '#', sizeof out);
    vigil::RedirectKind kind =
        vigil::resolve_redirect(location, current.url, current.url.target, out, room);
    if (kind != vigil::RedirectKind::same_origin)
        return 0;
    std::string_view target(out, std::strlen(out));
    check(target.size() < room);
    check(!target.empty() && target[0] == '/');
    for (char c : target) check(static_cast<unsigned char>(c) > ' ' && c != 0x7f && c != '#');
    return 0;
}
